"""Issue 15: the documents of the conference of outstanding examples, as pure functions of
the delegates chosen on *Điển hình*: the Danh sách đại biểu (by unit, direct-production
workers marked, totals and share), the Quyết định công nhận và biểu dương, one Giấy mời per
delegate and the Kỷ yếu (one story per page). Every count and share is computed once, by
:func:`delegate_figures`, and said the same in all four."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from workbook_templates.campaign import TARGET_COLLECTIVE, TARGET_INDIVIDUAL, Campaign
from workbook_templates.outstanding import SHEET, Proposal, chosen_delegates, share_text

from .data import DocumentData
from .documents import _common
from .render import AnnexTable, grouped_rows, render
from .vietnamese import date_words

LIST_TEMPLATE = "danh_sach_dai_bieu.docx"
DECISION_TEMPLATE = "quyet_dinh_dien_hinh.docx"
INVITATION_TEMPLATE = "giay_moi.docx"
BOOKLET_TEMPLATE = "ky_yeu.docx"
DIRECT_MARK = "x"


@dataclass
class Delegate:
    """A chosen outstanding example, as the documents name it."""

    id: str  # the row's Mã đề nghị (the register's nomination id)
    unit_code: str
    unit_name: str
    target: str
    name: str
    sex: str
    birth_year: str
    ethnic: str
    position: str
    workplace: str
    direct: bool
    model: str
    story: str
    years: str

    @property
    def position_and_workplace(self) -> str:
        return ", ".join(p for p in (self.position, self.workplace or self.unit_name) if p)


def delegates(sheets: dict[str, list[list]], campaign: Campaign) -> list[Delegate]:
    """The delegates chosen on *Điển hình*, grouped by unit in the order of *Đơn vị* (the
    sheet's order within a unit)."""
    order = {u.code: i for i, u in enumerate(campaign.ordered_units())}
    chosen = sorted(chosen_delegates(sheets.get(SHEET, [])),
                    key=lambda p: order.get(p.get("ma_don_vi"), len(order)))
    return [_delegate(p) for p in chosen]


def _delegate(p: Proposal) -> Delegate:
    return Delegate(
        id=p.get("ma_de_nghi"), unit_code=p.get("ma_don_vi"), unit_name=p.get("ten_don_vi"),
        target=TARGET_COLLECTIVE if p.get("doi_tuong") == TARGET_COLLECTIVE
        else TARGET_INDIVIDUAL, name=p.get("ho_ten"), sex=p.get("gioi_tinh"),
        birth_year=p.get("nam_sinh"), ethnic=p.get("dan_toc"), position=p.get("chuc_vu"),
        workplace=p.get("don_vi_cong_tac"), direct=p.direct, model=p.get("mo_hinh"),
        story=p.story, years=p.get("giai_doan"))


def delegate_figures(c: Campaign, chosen: list[Delegate]) -> dict:
    """The conference and the counts every document of it says."""
    direct = sum(1 for d in chosen if d.direct)
    when = date_words(c.conference_date) if c.conference_date else ""
    place = c.conference_place.strip()
    years = Counter(d.years for d in chosen if d.years).most_common(1)
    return {
        "hoi_nghi": c.conference_name.strip(),
        "thoi_gian": when, "dia_diem": place,
        "thoi_gian_dia_diem": ", tại ".join(p for p in (when, place) if p),
        "thoi_gian_dia_diem_cau": "".join(
            (f", tổ chức {when}" if when else "", f" tại {place}" if place else "")),
        "so_dai_bieu": len(chosen), "so_dien_hinh": len(chosen), "so_truc_tiep": direct,
        "ty_le": share_text(direct, len(chosen)),
        "ty_le_toi_thieu": f"{c.direct_min_percent:g}%".replace(".", ","),
        "so_duoc_cu": c.delegates_allotted,
        "giai_doan": years[0][0] if years else f"{c.year - 5} - {c.year}",
    }


def _context(data: DocumentData, chosen: list[Delegate], number: int, when: date) -> dict:
    c = data.campaign
    return {**_common(c, data, number, when, c.recipients), **delegate_figures(c, chosen)}


def _grouped(chosen: list[Delegate], row) -> list[dict]:
    return grouped_rows(chosen, lambda d: (d.unit_code, d.unit_name), row)


def _person(d: Delegate) -> dict:
    return {"ho_ten": d.name, "nam_sinh": d.birth_year, "dan_toc": d.ethnic,
            "chuc_vu_don_vi": d.position_and_workplace}


def build_delegate_list(data: DocumentData, chosen: list[Delegate], out: Path, *,
                        template: Path, when: date) -> Path:
    """The Danh sách đại biểu: by unit, direct-production workers marked, totals, share."""
    rows = _grouped(chosen, lambda d: {**_person(d), "truc_tiep": DIRECT_MARK if d.direct
                                       else ""})
    fields = frozenset({"nhom", "stt", "ho_ten", "nam_sinh", "dan_toc", "chuc_vu_don_vi",
                        "truc_tiep"})
    return render(template, _context(data, chosen, 0, when), out,
                  tables={"dai_bieu": AnnexTable(rows, fields)})


def build_outstanding_decision(data: DocumentData, chosen: list[Delegate], out: Path, *,
                               template: Path, number: int, when: date) -> Path:
    """The Quyết định công nhận và biểu dương điển hình tiên tiến, with its list."""
    rows = _grouped(chosen, lambda d: {"ho_ten": d.name,
                                       "chuc_vu_don_vi": d.position_and_workplace,
                                       "mo_hinh": d.model})
    fields = frozenset({"nhom", "stt", "ho_ten", "chuc_vu_don_vi", "mo_hinh"})
    return render(template, _context(data, chosen, number, when), out,
                  tables={"dien_hinh": AnnexTable(rows, fields)})


def build_invitations(data: DocumentData, chosen: list[Delegate], out: Path, *,
                      template: Path, when: date) -> Path:
    """One Giấy mời per delegate: name, unit, the conference's date and place."""
    people = [{"xung_ho": _address(d), "ten": d.name, "chuc_vu_don_vi": d.position_and_workplace,
               "don_vi": d.unit_name} for d in chosen]
    return render(template, {**_context(data, chosen, 0, when), "dai_bieu": people}, out)


def build_booklet(data: DocumentData, chosen: list[Delegate], out: Path, *,
                  template: Path, when: date) -> Path:
    """The Kỷ yếu: the chosen stories, one per page with name, unit, position and model."""
    stories = [{"ten": d.name, "chuc_vu_don_vi": d.position_and_workplace, "mo_hinh": d.model,
                "doan": [" ".join(line.split()) for line in d.story.splitlines()
                         if line.strip()]}
               for d in chosen]
    return render(template, {**_context(data, chosen, 0, when), "cau_chuyen": stories}, out)


def _address(d: Delegate) -> str:
    """How the invitation addresses the delegate: Ông, Bà, or the collective."""
    if d.target == TARGET_COLLECTIVE:
        return "Đại diện tập thể"
    return {"Nam": "Ông", "Nữ": "Bà"}.get(d.sex, "Ông/Bà")
