"""``thidua demo``: the whole job on the built-in 2020 Cao Bằng campaign.

Creates the campaign folder, writes the phase-1 templates, plays every unit but one filling
its workbook in (with the mistakes real units make: numbers and dates typed as text, legacy
TCVN3 and VNI text, a late file, two files from one unit, an .xls, a password, a quota
exceeded, the same person proposed by two units), consolidates, plays the clerk approving
the nominations and resolving what the check before documents finds (she keeps one of the
person's two rows, the unit's rows within its quota, and no row with an error), chooses the
delegates to the conference of outstanding examples within the allotment and the share of
direct-production workers (the units' proposals carry the same person from two units and a
missing story), and writes the documents.
"""
from __future__ import annotations

import os
import random
import tempfile
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any, Callable

import openpyxl

from workbook_templates.campaign import Campaign, default_campaign
from workbook_templates.forms import (
    CONSOLIDATED_SHEET, FLAGS_FIELD, HEADER_ROW, NOMINATION_FORMS, NOMINATION_ID,
    REVIEW_FIELDS, NO, ALL_UNIT_FORMS, YES, ControlSheet, Form, Layout,
    outstanding_fields)
from workbook_templates.identity import person_key
from workbook_templates.messages import Msg
from workbook_templates.outstanding import least_direct
from workbook_templates.vntext import to_tcvn3, to_vni

from . import demo_data
from .documents import generate_documents, generate_report
from .folder import CampaignFolder

Say = Callable[[str], None]
MISSING_UNIT = "CS06"  # the unit that sends nothing
LATE_UNITS = ("CDN03", "CS02")


@dataclass
class DemoResult:
    folder: CampaignFolder
    returns: list[Path] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    consolidation: Any = None
    documents: list[Path] = field(default_factory=list)
    fetched: Any = None  # with --mail: what fetch collected and reported


def run_demo(root: Path, say: Say = print, pdf: bool = True, mail=None) -> DemoResult:
    """Run the demo into ``root`` (created; must not hold a campaign already). With ``mail``
    (running :class:`addin.mail.local_servers.LocalMailServers`), the templates go out and
    the returns come in by mail, and each unit gets its reply (``thidua demo --mail``)."""
    from .campaign_setup import init_campaign, write_templates
    from .consolidate import consolidate

    campaign = default_campaign()
    for phase in campaign.phases:
        for key, text in demo_data.phase_narrative(phase.number).items():
            setattr(phase, key, text)
    campaign.next_numbers = {"QĐ": 45, "BC": 112, "TTr": 18}
    campaign.document_date = date(2020, 7, 20)
    campaign.conference_date = date(2020, 8, 25)
    if mail is not None:
        from .mail.demo_loop import office_settings
        office_settings(campaign, mail, OFFICE_ADDRESS)
    init_campaign(root, campaign)
    place = CampaignFolder.at(root, campaign)
    result = DemoResult(place)
    say(f"1/5 Đã tạo thư mục phong trào {place.root}")
    templates = write_templates(root, 1)
    say(f"2/5 Đã tạo {len(templates)} biểu mẫu đợt 1 trong {place.outbox}")
    if mail is not None:
        say(f"    Gửi biểu mẫu: {_mail_step(mail, 'send_templates', root, 1).summary}")
    result.returns = _fill_returns(campaign, place, templates, result.notes)
    if mail is not None:
        result.fetched = _returns_by_mail(mail, campaign, place, result.notes)
    say(f"3/5 Các đơn vị đã gửi {len(result.returns)} tệp về {place.inbox}")
    for note in result.notes:
        say(f"    - {note}")
    consolidation = consolidate(root, 1)
    result.consolidation = consolidation
    say(f"4/5 Tổng hợp: {consolidation.summary}")
    approved = approve_nominations(place.control, random.Random(45))
    withdrawn = resolve_findings(place, campaign, 1)
    say(f"    Văn phòng đã duyệt {approved - withdrawn} đề nghị khen thưởng trong sổ tổng hợp"
        f" ({withdrawn} đề nghị trùng, vượt số lượng hoặc còn lỗi không duyệt)")
    chosen = choose_delegates(place.control, campaign)
    say(f"    Văn phòng đã chọn {chosen} đại biểu dự hội nghị điển hình tiên tiến (được cử "
        f"{campaign.delegates_allotted})")
    result.documents = _documents(root, pdf, say)
    if mail is not None:
        say(f"    Gửi phản hồi: {_mail_step(mail, 'send_replies', root).summary}")
    from .demo_year_end import run_year_end  # issue 14: pledges, self-scores, ranking

    result.documents += run_year_end(root, say, pdf)
    return result


OFFICE_ADDRESS = "bantctgnc@congdoancaobang.vn"


def _mail_step(servers, step: str, *args):
    """One mail command of the demo, with the local servers' password (never stored)."""
    from .mail import incoming, outgoing, replies
    from .mail.settings import PASSWORD_ENV

    call = {"send_templates": outgoing.send_templates, "fetch_returns": incoming.fetch_returns,
            "send_replies": replies.send_replies}[step]
    before = os.environ.get(PASSWORD_ENV)
    os.environ[PASSWORD_ENV] = servers.password
    try:
        return call(*args)
    finally:
        if before is None:
            os.environ.pop(PASSWORD_ENV, None)
        else:
            os.environ[PASSWORD_ENV] = before


def _returns_by_mail(servers, campaign: Campaign, place: CampaignFolder, notes: list[str]):
    """Move the returns out of inbox/, mail them from the units, fetch them back; the notes
    tell how they were sent and what fetch reported."""
    import shutil

    from .mail.demo_loop import deliver_returns

    staging = Path(tempfile.mkdtemp(prefix="thidua_demo_units_"))
    try:
        for path in list(place.inbox.iterdir()):
            shutil.move(str(path), staging / path.name)
        notes += deliver_returns(servers, campaign, sorted(staging.iterdir()), OFFICE_ADDRESS)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    fetched = _mail_step(servers, "fetch_returns", place.root)
    notes.append(f"Nhận bài: {fetched.summary}")
    notes += [f"  {p.severity.value} [{p.code}]: {p.text}" for p in fetched.problems
              if p.msg is not Msg.MAIL_DUPLICATE]
    return fetched


def _documents(root: Path, pdf: bool, say: Say) -> list[Path]:
    report = generate_report(root, 1, pdf=pdf)
    docs = generate_documents(root, 1, pdf=pdf)
    paths = list(report.paths) + list(docs.paths)
    say(f"5/5 Văn bản trình ký trong {root / 'output'}:")
    for p in paths:
        say(f"    - {p.name}")
    return paths


# --- the units' returns -------------------------------------------------------------------

def _fill_returns(campaign: Campaign, place: CampaignFolder, templates: list[Path],
                  notes: list[str]) -> list[Path]:
    rng = random.Random(2020)
    place.inbox.mkdir(exist_ok=True)
    by_code = {p.name.split("_")[0]: p for p in templates}
    data = {u.code: demo_data.unit_return(rng, campaign, u, 1)
            for u in campaign.ordered_units() if u.code != MISSING_UNIT}
    deadline = campaign.phase(1).deadline
    phase_forms = campaign.unit_forms(1)
    # The same person proposed by two units.
    twin = dict(data["LD08"]["khen_ca_nhan"][0] if data["LD08"]["khen_ca_nhan"]
                else demo_data.unit_return(rng, campaign, campaign.unit("LD08"), 1)
                ["khen_ca_nhan"][0])
    twin["don_vi_cong_tac"] = campaign.unit("CDN01").name
    data["CDN01"]["khen_ca_nhan"].append(twin)
    _typed_as_text(data["LD02"])
    _typical_errors(data["LD07"])
    _over_quota(rng, campaign, data["LD05"])
    _example_mistakes(data)
    notes += [
        "LD02 gõ số và ngày dạng chữ (“1.500.000”, “1,5 triệu”, “15/3/2020”, “x”)",
        "LD03 gõ bằng bảng mã TCVN3 (.VnTime), LD09 gõ bằng bảng mã VNI",
        "LD04 lưu tệp dạng Excel 97-2003 (.xls)", "LD05 đề nghị vượt số lượng cho phép",
        "LD06 gửi hai lần (bản nháp và bản chính thức)", "LD07 nhập thiếu, nhập sai",
        "CDN01 và LD08 cùng đề nghị một người", "CDN03 và CS02 nộp muộn",
        "CS04 đặt mật khẩu cho tệp", f"{MISSING_UNIT} chưa nộp",
        "LD01 và CS01 cùng đề nghị một điển hình tiên tiến; LD07 thiếu câu chuyện điển hình",
    ]
    written: list[Path] = []
    for code, values in data.items():
        template = by_code[code]
        target = place.inbox / template.name
        encode = {"LD03": to_tcvn3, "LD09": to_vni}.get(code)
        fill_workbook(template, target, values, encode=encode, forms=phase_forms)
        late = code in LATE_UNITS
        stamp = demo_data.received_time(rng, deadline, late)
        if code == "LD06":
            draft = place.inbox / f"{code}_Dot1_2020 (ban nhap).xlsx"
            values_draft = dict(values, khen_ca_nhan=values["khen_ca_nhan"][:1])
            values_draft["thong_tin"] = dict(values["thong_tin"])
            values_draft["thong_tin"]["ngay_bao_cao"] = values["thong_tin"]["ngay_bao_cao"] \
                - (values["thong_tin"]["ngay_bao_cao"] - campaign.phase(1).start) / 2
            fill_workbook(template, draft, values_draft, forms=phase_forms)
            _touch(draft, stamp.replace(day=max(1, stamp.day - 5)))
            written.append(draft)
        if code == "LD04":
            xls = _to_xls(target)
            if xls is None:
                notes.append("Máy không có LibreOffice: LD04 giữ dạng .xlsx")
            else:
                target = xls
        if code == "CS04":
            _encrypt(target)
        _touch(target, stamp)
        written.append(target)
    (place.inbox / "Cong van gui LDLD tinh.docx").write_bytes(b"PK\x03\x04")
    (place.inbox / f"~${by_code['LD01'].name}").write_bytes(b"\x00" * 165)
    return written


def _typed_as_text(values: dict) -> None:
    info = values["thong_tin"]
    info["tong_cnvcld"] = f"{info['tong_cnvcld']:,}".replace(",", ".")
    info["ngay_bao_cao"] = f"{info['ngay_bao_cao'].day}/{info['ngay_bao_cao'].month}/2020"
    info["nguoi_lap"] = f"  {info['nguoi_lap']} "
    for row in values["dang_ky"].values():
        if row["dang_ky"] == YES:
            row["dang_ky"] = "x"
    for w in values["cong_trinh"]:
        w["gia_tri"] = f"{w['gia_tri'] / 1e6:g} triệu".replace(".", ",")
        w["ngay_khoi_cong"] = w["ngay_khoi_cong"].strftime("%d/%m/%Y")
    for row in values["ket_qua"].values():
        if isinstance(row["gia_tri"], int) and row["gia_tri"] >= 1_000_000:
            row["gia_tri"] = f"{row['gia_tri']:,}".replace(",", ".")


def _typical_errors(values: dict) -> None:
    people = values["khen_ca_nhan"]
    if people:
        people[0]["nam_sinh"] = 1945
    if len(people) > 1:
        people[1]["ho_ten"] = None
    values["dang_ky"][next(iter(values["dang_ky"]))].update(
        dang_ky=YES, so_cdcs_tham_gia=values["thong_tin"]["so_cdcs"] + 7, so_nguoi_tham_gia=None)
    values["thong_tin"]["dien_thoai"] = "0206.38"


def _example_mistakes(data: dict) -> None:
    """Issue 15: the same outstanding example proposed by two units, and one without its
    story."""
    twin = dict(data["LD01"]["dien_hinh"][0])
    data["CS01"]["dien_hinh"].append(twin)
    data["LD07"]["dien_hinh"][0]["thanh_tich"] = None


def _over_quota(rng: random.Random, campaign: Campaign, values: dict) -> None:
    unit = campaign.unit("LD05")
    award = campaign.forms_for("Cá nhân", unit.type)[0]
    extra = demo_data.unit_return(rng, campaign, unit, 1)["khen_ca_nhan"]
    same = [r for r in values["khen_ca_nhan"] if r["hinh_thuc"] == award.name]
    for row in (extra * 3)[: award.quotas[unit.type] + 1 - len(same)]:
        row = dict(row, hinh_thuc=award.name, ho_ten=demo_data.person_name(rng, False))
        values["khen_ca_nhan"].append(row)


def fill_workbook(template: Path, target: Path, values: dict,
                  encode: Callable[[str], str] | None = None,
                  forms: tuple[Form, ...] = ALL_UNIT_FORMS) -> Path:
    """Type ``values`` into a copy of a unit template, as the unit would in Excel.

    ``values``: Thông tin by field key; FIXED forms by row item (movement, indicator title)
    then field key; TABLE forms as lists of rows by field key; the free text by its key.
    """
    wb = openpyxl.load_workbook(template)
    enc = encode or (lambda s: s)
    for form in forms:
        if form.sheet not in wb.sheetnames:  # a year-end form in another phase's template
            continue
        ws = wb[form.sheet]
        if form.layout is Layout.RECORD:
            rows = {str(ws.cell(r, 1).value).strip(): r for r in range(HEADER_ROW, ws.max_row + 1)
                    if ws.cell(r, 1).value}
            for f in form.fields:
                if f.key in values[form.key] and not f.locked:
                    _put(ws.cell(rows[f.title], 2), values[form.key][f.key], enc)
            continue
        cols = {str(ws.cell(HEADER_ROW, c).value).strip(): c
                for c in range(1, ws.max_column + 1) if ws.cell(HEADER_ROW, c).value}
        col = {f.key: cols[f.title] for f in form.fields if f.title in cols}
        if form.layout is Layout.FIXED:
            items = values.get(form.key, {})
            key_col = col[form.row_key]
            for r in range(HEADER_ROW + 1, ws.max_row + 1):
                item = ws.cell(r, key_col).value
                for k, v in items.get(item, {}).items():
                    if k in col:
                        _put(ws.cell(r, col[k]), v, enc)
            if form.free_text is not None and values.get(form.free_text.key):
                _put_free_text(ws, form.free_text.title, values[form.free_text.key], enc)
            if form.scoring is not None and values.get(form.scoring.total.key) is not None:
                _put_beside(ws, form.scoring.total.title, col[form.scoring.points],
                            values[form.scoring.total.key])
            continue
        for i, row in enumerate(values.get(form.key, [])):
            r = HEADER_ROW + 1 + i
            for k, v in row.items():
                if k in col:
                    _put(ws.cell(r, col[k]), v, enc)
    target.parent.mkdir(parents=True, exist_ok=True)
    wb.save(target)
    return target


def _put(cell, value: Any, enc: Callable[[str], str]) -> None:
    if value is None:
        return
    cell.value = enc(value) if isinstance(value, str) else value


def _put_free_text(ws, label: str, text: str, enc) -> None:
    for r in range(1, ws.max_row + 1):
        if str(ws.cell(r, 1).value or "").strip() == label:
            target = ws.cell(r + 1, 1)
            if type(target).__name__ == "MergedCell":
                return
            target.value = enc(text)
            return


def _put_beside(ws, label: str, col: int, value: Any) -> None:
    """The value of a one-cell entry labelled in column A (a scoring table's total)."""
    for r in range(1, ws.max_row + 1):
        if str(ws.cell(r, 1).value or "").strip() == label:
            ws.cell(r, col).value = value
            return


def _touch(path: Path, day) -> None:
    moment = datetime.combine(day, time(9, 30)).timestamp()
    os.utime(path, (moment, moment))


def _to_xls(path: Path) -> Path | None:
    """``path`` re-saved as .xls by LibreOffice (None without it), as an old office would."""
    from docgen.pdf import find_soffice, run_soffice

    soffice = find_soffice()
    if soffice is None:
        return None
    done = run_soffice(["--convert-to", "xls", "--outdir", str(path.parent), str(path)], 180,
                       soffice)
    xls = path.with_suffix(".xls")
    if done.returncode != 0 or not xls.is_file():
        raise RuntimeError(f"LibreOffice could not convert {path.name}: {done.stderr[-300:]}")
    path.unlink()
    return xls


def _encrypt(path: Path) -> None:
    import msoffcrypto.format.ooxml as ooxml

    plain = path.read_bytes()
    with tempfile.TemporaryFile() as src, open(path, "wb") as out:
        src.write(plain)
        src.seek(0)
        ooxml.OOXMLFile(src).encrypt("congdoan2020", out)


# --- the clerk's review ---------------------------------------------------------------------

def approve_nominations(control: Path, rng: random.Random, share: float = 0.85) -> int:
    """Play the clerk: mark most nominations Duyệt = Có with the proposed form."""
    wb = openpyxl.load_workbook(control)
    approved = 0
    for form in NOMINATION_FORMS:
        ws = wb[CONSOLIDATED_SHEET[form.key]]
        col = _review_columns(ws, form)
        for r in range(2, ws.max_row + 1):
            if not ws.cell(r, col[NOMINATION_ID.key]).value:
                continue
            ok = rng.random() < share
            ws.cell(r, col["duyet"]).value = YES if ok else NO
            if ok:
                ws.cell(r, col["hinh_thuc_duoc_khen"]).value = \
                    ws.cell(r, col["hinh_thuc"]).value
                approved += 1
            else:
                ws.cell(r, col["ghi_chu_duyet"]).value = "Chưa đủ tiêu chuẩn, đề nghị xét đợt sau"
    wb.save(control)
    return approved


def resolve_findings(place: CampaignFolder, campaign: Campaign, phase: int) -> int:
    """Play the clerk reading the check before documents: of a person or collective approved
    twice keep the first row, of a unit over its quota keep the first rows, and do not
    approve a row that has an error; each with the reason in Ghi chú. Returns how many
    approvals were withdrawn."""
    from .preflight import check

    withdrawn = 0
    for _ in range(3):  # a withdrawal can settle another finding: look again
        found = check(place, campaign, phase)
        if not found:
            break
        wb = openpyxl.load_workbook(place.control)
        for p in found:
            ws = wb[p.sheet]
            col = _review_columns(ws, next(f for f in NOMINATION_FORMS
                                           if CONSOLIDATED_SHEET[f.key] == p.sheet))
            row = int(p.cell[1:])
            if _keeps(p, row) or ws.cell(row, col["duyet"]).value == NO:
                continue
            ws.cell(row, col["duyet"]).value = NO
            ws.cell(row, col["ghi_chu_duyet"]).value = f"Không duyệt: {p.text}"
            withdrawn += 1
        wb.save(place.control)
    return withdrawn


def choose_delegates(control: Path, campaign: Campaign) -> int:
    """Play the clerk choosing the conference's delegates on *Điển hình* (issue 15): not a
    row flagged as proposed twice (the first stays) or without its story, the
    direct-production workers first, others while the share holds, within the allotment.
    Returns how many were chosen."""
    wb = openpyxl.load_workbook(control)
    ws = wb[ControlSheet.OUTSTANDING]
    header = {c.value: c.column for c in ws[1]}
    col = {f.key: header[f.title] for f in outstanding_fields() if f.title in header}
    rows = [r for r in range(2, ws.max_row + 1) if ws.cell(r, col[NOMINATION_ID.key]).value]
    seen: set[str] = set()
    eligible, notes = [], {}
    for r in rows:
        subject = person_key(ws.cell(r, col["ho_ten"]).value, ws.cell(r, col["nam_sinh"]).value)
        flags = str(ws.cell(r, col[FLAGS_FIELD.key]).value or "")
        if subject in seen:
            notes[r] = "Trùng với đề nghị của đơn vị khác; chọn ở đơn vị đề nghị trước"
        elif any(code in flags for code in (Msg.STORY_MISSING.code, Msg.STORY_TOO_SHORT.code)):
            notes[r] = "Chưa đủ câu chuyện điển hình"
        else:
            eligible.append(r)
        seen.add(subject)
    direct = [r for r in eligible if ws.cell(r, col["truc_tiep_sx"]).value == YES]
    chosen = direct[:campaign.delegates_allotted]
    for r in (r for r in eligible if r not in direct):
        if len(chosen) >= campaign.delegates_allotted or least_direct(
                campaign.direct_min_percent, len(chosen) + 1) > len(direct):
            break
        chosen.append(r)
    for r in rows:
        ws.cell(r, col["chon_dai_bieu"]).value = YES if r in chosen else NO
        if r not in chosen:
            ws.cell(r, col["ghi_chu_chon"]).value = notes.get(r, "Ngoài số đại biểu được cử")
    wb.save(control)
    return len(chosen)


def _keeps(p, row: int) -> bool:
    """Whether the clerk keeps this row approved despite ``p``: the first rows of a group
    approved twice or over its quota."""
    rows = [r for _, r in p.extra.get("rows", ())]
    if not rows:
        return False
    keep = 1 if p.code in ("C21", "C22") else int(p.expected)
    return row in rows[:keep]


def _review_columns(ws, form: Form) -> dict[str, int]:
    """Column numbers of the id, the proposed form and the review fields on ``ws``."""
    header = {c.value: c.column for c in ws[1]}
    wanted = (NOMINATION_ID, form.field("hinh_thuc"), *REVIEW_FIELDS)
    return {f.key: header[f.title] for f in wanted}
