"""The library calls: the phase report, the decisions, the proposal, the plaques decision
and the certificate print files of a campaign folder."""
from __future__ import annotations

import tempfile
import unicodedata
from collections import OrderedDict, defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Iterable

from addin.folder import CampaignFolder
from workbook_templates.campaign import (
    LEVEL_NATIONAL, LEVEL_PROVINCE, ORDER_BY_NAME, TARGET_COLLECTIVE, TARGET_INDIVIDUAL,
    Campaign)
from workbook_templates.forms import INITIATIVES
from workbook_templates.messages import Msg, Problem

from . import pdf as pdf_mod
from .certificates import place_lines
from .chart import bar_chart
from .data import (
    DocumentData, Nomination, document_data_from_sheets, read_control_sheets, units_by_order)
from .issuing import Issuer, issuing
from .render import AnnexTable, Picture, render
from .vietnamese import (
    date_line, date_words, grouped, money, money_in_words, name_sort_key, padded,
    text_sort_key)

PACKAGE_TEMPLATES = Path(__file__).parent / "templates"
REPORT_TEMPLATE = "bao_cao.docx"
DECISION_TEMPLATE = "quyet_dinh_khen_thuong.docx"
PROPOSAL_TEMPLATE = "to_trinh_de_nghi.docx"
PLAQUES_TEMPLATE = "quyet_dinh_gan_bien.docx"
CERTIFICATE_TEMPLATE = "in_bang_khen.docx"
ALL_KINDS = ("decisions", "proposal", "plaques", "certificates")
CHART_WIDTH_MM = 150
_WORD_NAME = {"QĐ": "QuyetDinh", "TTr": "ToTrinh", "BC": "BaoCao"}
# What the register says a document awards when it awards no form of the catalogue.
PLAQUES_FORM = "Gắn biển công trình, sản phẩm"
# Where the figures of an earlier phase come from, in the problems about them.
REGISTER_LABEL = "Sổ theo dõi, đợt {phase}"
# Problems that tell why a document (or a PDF copy) was not made: part of the summary.
_SUMMARY_MSGS = frozenset({Msg.DOC_SKIPPED_NOBODY, Msg.DOC_SKIPPED_NO_PLAQUE, Msg.DOC_NO_PDF,
                           Msg.DOC_PDF_FAILED, Msg.DOC_PHASE_NOT_IN_REGISTER})


@dataclass
class DocumentsResult:
    """What a run wrote, what it skipped and why, and the document numbers it used."""

    written: list[Path] = field(default_factory=list)
    pdfs: list[Path] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    numbers: dict[str, list[int]] = field(default_factory=dict)  # "QĐ" -> [5, 6]

    @property
    def paths(self) -> list[Path]:
        """Every file written: the Word documents, then their PDF copies."""
        return self.written + self.pdfs

    @property
    def summary(self) -> str:
        """One line: how many Word files and PDF copies were written, and what was not made
        and why."""
        why = "".join(f" {p.text}" for p in self.problems if p.msg in _SUMMARY_MSGS)
        return Problem(Msg.DOC_SUMMARY, value=len(self.written), expected=len(self.pdfs),
                       detail=why).text

    @property
    def other_problems(self) -> list[Problem]:
        """The problems the summary does not tell (the clerk's review to look at again)."""
        return [p for p in self.problems if p.msg not in _SUMMARY_MSGS]


def template_path(name: str, folder: Path | None = None) -> Path:
    """The office's edited copy in ``<folder>/templates/`` if there is one, else the package's."""
    if folder is not None:
        own = Path(folder) / "templates" / name
        if own.is_file():
            return own
    return PACKAGE_TEMPLATES / name


def load_campaign(folder: Path) -> Campaign:
    """The campaign settings of ``folder`` (the *Cấu hình* sheet of its control workbook)."""
    from addin.campaign_setup import load_campaign as setup_load

    return setup_load(folder)[1]


def generate_report(folder: Path, phase: int | None = None, *, replace: bool = False,
                    pdf: bool = True, campaign: Campaign | None = None) -> DocumentsResult:
    """Write the report of ``phase`` (default: the campaign's current one): the Báo cáo sơ
    kết, or for the campaign's last phase of several the Báo cáo tổng kết of the year, whose
    earlier phases come from the register. ``campaign``: settings already read by the caller
    (default: read from the folder)."""
    sheets, data, paths = _load(folder, phase, campaign)
    c = data.campaign
    result = DocumentsResult(problems=list(data.problems))
    when = _when(c)
    year_report = len(c.phases) > 1 and data.phase.number == max(p.number for p in c.phases)
    if year_report:
        stem, title = f"BaoCao_TongKet_{c.year}", f"Báo cáo tổng kết năm {c.year}"
    else:
        stem = f"BaoCao_SoKet_Dot{data.phase.number}_{c.year}"
        title = f"Báo cáo sơ kết đợt {data.phase.number} năm {c.year}"
    with issuing(paths, c, data.phase.number, sheets, when) as issue:
        phases = [data]
        if year_report:
            phases = _earlier_phases(issue, data, result.problems) + phases
        number = issue.number("BC")
        out = _free_name(paths.output, stem, replace)
        build_report(phases, issue.stage(out), number=number, when=when,
                     template=template_path(REPORT_TEMPLATE, paths.root))
        issue.record("BC", number, title, out,
                     counted=[n for d in phases for n in d.nominations])
    result.written.append(out)
    result.numbers["BC"] = [number]
    _pdfs(result, pdf)
    return result


def _earlier_phases(issue: Issuer, data: DocumentData, problems: list[Problem]
                    ) -> list[DocumentData]:
    """The phases before ``data``'s as the register keeps them; one missing there is said
    (D08) and left out."""
    c = data.campaign
    found = []
    for number in sorted(p.number for p in c.phases if p.number < data.phase.number):
        sheets = issue.register.phase_sheets(c.year, number)
        if not sheets:
            problems.append(Problem(Msg.DOC_PHASE_NOT_IN_REGISTER, value=number))
            continue
        earlier = document_data_from_sheets(sheets, c, number,
                                            REGISTER_LABEL.format(phase=number))
        problems.extend(earlier.problems)
        found.append(earlier)
    return found


def generate_documents(folder: Path, phase: int | None = None, *, replace: bool = False,
                       pdf: bool = True, kinds: Iterable[str] = ALL_KINDS,
                       campaign: Campaign | None = None) -> DocumentsResult:
    """Write the decisions, the proposal, the plaques decision and the certificate files of
    ``phase`` into the output folder; documents with nobody to name are skipped and said so.
    Numbers are proposed from the register, and every document is recorded in it."""
    from addin.preflight import ensure_clear

    kinds = set(kinds)
    sheets, data, paths = _load(folder, phase, campaign)
    c = data.campaign
    ensure_clear(paths, c, data.phase.number)  # issue 11: nothing numbered over a finding
    result = DocumentsResult(problems=list(data.problems))
    when = _when(c)
    with issuing(paths, c, data.phase.number, sheets, when) as issue:
        _decisions(issue, data, paths, kinds, replace, result, when)
        if "plaques" in kinds:
            _plaques(issue, data, paths, replace, result, when)
        if "proposal" in kinds:
            _proposal(issue, data, paths, replace, result, when)
    _pdfs(result, pdf, skip_prefix="InBang_")
    return result


def _decisions(issue: Issuer, data: DocumentData, paths: CampaignFolder, kinds: set[str],
               replace: bool, result: DocumentsResult, when: date) -> None:
    c = data.campaign
    suffix = _suffix(data)
    for name in _award_names(c, LEVEL_PROVINCE):
        nominees = data.awarded(name)
        if not nominees:
            result.problems.append(Problem(Msg.DOC_SKIPPED_NOBODY, value=f"Quyết định {name}",
                                           expected="tập thể, cá nhân"))
            continue
        if not kinds & {"decisions", "certificates"}:
            continue
        slug = _slug(name)
        qd = issue.number("QĐ", name)
        context, tables = _decision_content(data, name, nominees, qd, when)
        if "decisions" in kinds:
            out = _free_name(paths.output, f"QuyetDinh_{slug}_{suffix}", replace)
            render(template_path(DECISION_TEMPLATE, paths.root), context, issue.stage(out),
                   tables=tables)
            issue.record("QĐ", qd, name, out, listed=nominees,
                         total_money=sum(c.amount(n.award) for n in nominees))
            result.written.append(out)
            result.numbers.setdefault("QĐ", []).append(qd)
        if "certificates" in kinds:
            out = _free_name(paths.output, f"InBang_{slug}_{suffix}", replace)
            staged = issue.stage(out)
            render(template_path(CERTIFICATE_TEMPLATE, paths.root),
                   {**context, "nguoi_nhan": _certificate_lines(data, nominees)}, staged)
            place_lines(staged, c.certificate)
            result.written.append(out)


def _plaques(issue: Issuer, data: DocumentData, paths: CampaignFolder, replace: bool,
             result: DocumentsResult, when: date) -> None:
    works = [w for w in data.works if w.plaque]
    if not works:
        result.problems.append(Problem(Msg.DOC_SKIPPED_NO_PLAQUE,
                                       value="Quyết định gắn biển công trình, sản phẩm"))
        return
    qd = issue.number("QĐ", PLAQUES_FORM)
    out = _free_name(paths.output, f"QuyetDinh_GanBien_{_suffix(data)}", replace)
    context, tables = _plaques_content(data, works, qd, when)
    render(template_path(PLAQUES_TEMPLATE, paths.root), context, issue.stage(out),
           tables=tables)
    issue.record("QĐ", qd, PLAQUES_FORM, out)
    result.written.append(out)
    result.numbers.setdefault("QĐ", []).append(qd)


def _proposal(issue: Issuer, data: DocumentData, paths: CampaignFolder, replace: bool,
              result: DocumentsResult, when: date) -> None:
    proposed = [n for n in data.nominations if n.award.level == LEVEL_NATIONAL]
    if not proposed:
        result.problems.append(Problem(
            Msg.DOC_SKIPPED_NOBODY, value="Tờ trình đề nghị Tổng Liên đoàn khen thưởng",
            expected="tập thể, cá nhân đề nghị Tổng Liên đoàn khen thưởng"))
        return
    number = issue.number("TTr")
    out = _free_name(paths.output, f"ToTrinh_DeNghiTLD_{_suffix(data)}", replace)
    context, tables = _proposal_content(data, proposed, number, when)
    render(template_path(PROPOSAL_TEMPLATE, paths.root), context, issue.stage(out),
           tables=tables)
    issue.record("TTr", number, "; ".join(f["ten"] for f in context["hinh_thuc"]), out,
                 listed=proposed)
    result.written.append(out)
    result.numbers["TTr"] = [number]


def build_report(data_phases: list[DocumentData], out: Path, *, template: Path, number: int,
                 when: date) -> Path:
    """Render the report of one phase (sơ kết) or, given several phases of the year, the year
    report (tổng kết) adding their figures."""
    context, table, chart = report_content(data_phases, number, when)
    labels, values = chart
    with tempfile.TemporaryDirectory(prefix="thidua_chart_") as tmp:
        pictures = {}
        if labels:
            png = bar_chart(labels, values, Path(tmp) / "bieu_do.png",
                            x_title="Số lượt đoàn viên, CNVCLĐ tham gia")
            pictures["bieu_do"] = Picture(png, CHART_WIDTH_MM)
        else:
            context["bieu_do"] = ""
        return render(template, context, out, tables={"don_vi": table}, pictures=pictures)


# --- contents -----------------------------------------------------------------------------
def _common(c: Campaign, data: DocumentData, number: int, when: date) -> dict:
    return {
        "co_quan_cap_tren": c.parent_body,
        "co_quan_ban_hanh": c.issuing_body,
        "co_quan_day_du": c.issuing_body_full,
        "ban_thuong_vu": c.standing_committee,
        "van_ban_phat_dong": c.launch_document,
        "ban_soan_thao_day_du": c.drafting_unit_full,
        "don_vi_soan_thao": c.drafting_unit,
        "noi_nhan": [r.strip().rstrip(";.").strip() for r in c.recipients if r.strip()],
        "ky_thay": c.signer.on_behalf,
        "chuc_vu_ky": c.signer.title,
        "nguoi_ky": c.signer.name,
        "so": padded(number),
        "dia_danh_ngay": date_line(c.province, when),
        "ngay_chu": date_words(when),
        "nam": c.year,
        "dot": data.phase.number,
        "pham_vi": f"đợt {data.phase.number} năm {c.year}",
    }


def report_content(data_phases: list[DocumentData], number: int, when: date
                   ) -> tuple[dict, AnnexTable, tuple[list[str], list[float]]]:
    """The report's context, its per-unit annex and the chart's bars."""
    last = data_phases[-1]
    c = last.campaign
    year_report = len(data_phases) > 1
    ctx = _common(c, last, number, when)
    if year_report:
        ctx["pham_vi"] = f"năm {c.year}"
    ph = last.phase
    order = units_by_order(last)
    statuses = last.statuses
    reported = [s for s in statuses if s.status and s not in last.missing]
    ctx.update({
        "tong_ket": year_report,
        "tu_ngay": ph.start.strftime("%d/%m/%Y"),
        "den_ngay": ph.end.strftime("%d/%m/%Y"),
        "chu_de": ph.theme,
        "so_don_vi": len(statuses),
        "so_da_bao_cao": len(reported),
        "so_nop_muon": len(last.late),
        "nop_muon": "; ".join(s.name for s in last.late),
        "so_chua_nop": len(last.missing),
        "chua_nop": "; ".join(s.name for s in last.missing),
    })

    # registration: per unit and movement the largest figure over the phases
    best: dict[tuple[str, str], tuple[int, int]] = {}
    unit_names: dict[str, str] = {}
    for d in data_phases:
        for r in d.registrations:
            if not r.registered:
                continue
            unit_names[r.unit_code] = r.unit_name
            g, p = best.get((r.unit_code, r.movement), (0, 0))
            best[(r.unit_code, r.movement)] = (max(g, r.grassroots), max(p, r.people))
    movements = list(c.movements) + sorted({m for _, m in best} - set(c.movements))
    ctx["dang_ky"] = [
        {"ten": m, "so_don_vi": len(units), "so_cdcs": grouped(sum(best[u, m][0] for u in units)),
         "so_nguoi": grouped(sum(best[u, m][1] for u in units))}
        for m in movements if (units := [u for (u, mm) in best if mm == m])]
    people_by_unit: dict[str, int] = defaultdict(int)
    movements_by_unit: dict[str, int] = defaultdict(int)
    for (u, _), (_, p) in best.items():
        people_by_unit[u] += p
        movements_by_unit[u] += 1
    chart_units = sorted(people_by_unit, key=lambda u: order[u])
    chart = ([unit_names[u] for u in chart_units], [float(people_by_unit[u]) for u in chart_units])

    works = [w for d in data_phases for w in d.works]
    events = OrderedDict((e.name, []) for e in c.events)
    for w in works:
        events.setdefault(w.event, []).append(w)
    ctx.update({
        "so_cong_trinh": len(works),
        "gia_tri_cong_trinh": money(sum(w.value for w in works)),
        "su_kien": [{"ten": name, "so": len(ws), "gia_tri": money(sum(w.value for w in ws))}
                    for name, ws in events.items() if ws],
        "so_gan_bien": sum(1 for w in works if w.plaque),
    })
    initiatives = [i for d in data_phases for i in d.initiatives]
    levels = OrderedDict((lv, 0) for lv in INITIATIVES.field("cap_cong_nhan").choices)
    for i in initiatives:
        if i.level:
            levels[i.level] = levels.get(i.level, 0) + 1
    ctx.update({
        "so_sang_kien": len(initiatives),
        "gia_tri_sang_kien": money(sum(i.value for i in initiatives)),
        "cap_sang_kien": [{"ten": lv, "so": n} for lv, n in levels.items() if n],
    })

    totals: dict[str, float] = defaultdict(float)
    per_unit: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for d in data_phases:
        for code, v in d.totals.items():
            totals[code] += v
        for r in d.results:
            unit_names.setdefault(r.unit_code, r.unit_name)
            for code, v in r.values.items():
                per_unit[r.unit_code][code] += v
    shown = {i.code: (money if i.money else grouped) for i in c.indicators}
    ctx["kq"] = {code: shown[code](totals[code]) for code in shown}
    ctx["tong"] = ctx["kq"]
    ctx["chi_tieu"] = [{"ten": i.title, "gia_tri": ctx["kq"][i.code]} for i in c.indicators]
    nominations = [n for d in data_phases for n in d.nominations]
    ctx["duyet_tap_the"] = sum(1 for n in nominations if n.target == TARGET_COLLECTIVE)
    ctx["duyet_ca_nhan"] = sum(1 for n in nominations if n.target == TARGET_INDIVIDUAL)
    ctx["danh_gia"] = _paragraphs(ph.assessment)
    ctx["ton_tai"] = _paragraphs(ph.shortcomings)
    ctx["phuong_huong"] = _paragraphs(ph.directions)

    rows = []
    status_of = {s.code: s for s in statuses}
    codes = sorted(set(status_of) | set(per_unit) | set(unit_names), key=lambda u: order[u])
    for n, code in enumerate(codes, start=1):
        s = status_of.get(code)
        row = {"stt": str(n), "ten": s.name if s else unit_names.get(code, code),
               "tinh_trang": s.status if s else "",
               "so_phong_trao": grouped(movements_by_unit[code]) if code in per_unit else ""}
        for i in c.indicators:
            row[i.code] = grouped(per_unit[code][i.code]) if code in per_unit else ""
        rows.append(row)
    fields = frozenset({"stt", "ten", "tinh_trang", "so_phong_trao"} |
                       {i.code for i in c.indicators})
    return ctx, AnnexTable(rows, fields), chart


def _decision_content(data: DocumentData, name: str, nominees: list[Nomination], number: int,
                      when: date) -> tuple[dict, dict[str, AnnexTable]]:
    c = data.campaign
    ctx = _common(c, data, number, when)
    coll = [n for n in nominees if n.target == TARGET_COLLECTIVE]
    ind = [n for n in nominees if n.target == TARGET_INDIVIDUAL]
    coll_amount = c.amount(coll[0].award) if coll else 0
    ind_amount = c.amount(ind[0].award) if ind else 0
    total = coll_amount * len(coll) + ind_amount * len(ind)
    ctx.update({
        "ten_hinh_thuc": nominees[0].award.award_name,
        "so_tap_the": len(coll),
        "so_ca_nhan": len(ind),
        "tien_tap_the": money(coll_amount),
        "tong_tap_the": money(coll_amount * len(coll)),
        "tien_ca_nhan": money(ind_amount),
        "tong_ca_nhan": money(ind_amount * len(ind)),
        "tong_tien": money(total),
        "tong_tien_chu": money_in_words(total),
    })
    return ctx, {"tap_the": _annex(_nominee_rows(data, coll), individual=False),
                 "ca_nhan": _annex(_nominee_rows(data, ind), individual=True)}


def _proposal_content(data: DocumentData, proposed: list[Nomination], number: int, when: date
                      ) -> tuple[dict, dict[str, AnnexTable]]:
    c = data.campaign
    ctx = _common(c, data, number, when)
    names = _award_names(c, LEVEL_NATIONAL)
    by_form = []
    for name in names:
        group = [n for n in proposed if n.award.name == name]
        if group:
            by_form.append({
                "ten": group[0].award.award_name,
                "so_tap_the": sum(1 for n in group if n.target == TARGET_COLLECTIVE),
                "so_ca_nhan": sum(1 for n in group if n.target == TARGET_INDIVIDUAL)})
    coll = [n for n in proposed if n.target == TARGET_COLLECTIVE]
    ind = [n for n in proposed if n.target == TARGET_INDIVIDUAL]
    ctx.update({"hinh_thuc": by_form, "so_tap_the": len(coll), "so_ca_nhan": len(ind)})
    tables = {}
    for key, group in (("tap_the", coll), ("ca_nhan", ind)):
        rows: list[dict] = []
        for name in names:
            members = [n for n in group if n.award.name == name]
            if members:
                rows.append({"nhom": members[0].award.award_name})
                rows += _nominee_rows(data, members, start=_count(rows) + 1, groups=False)
        tables[key] = _annex(rows, key == "ca_nhan")
    return ctx, tables


def _plaques_content(data: DocumentData, works, number: int, when: date
                     ) -> tuple[dict, dict[str, AnnexTable]]:
    c = data.campaign
    ctx = _common(c, data, number, when)
    ctx.update({"so_cong_trinh": len(works),
                "tong_gia_tri": money(sum(w.value for w in works))})
    order = units_by_order(data)
    rows: list[dict] = []
    current = None
    for w in sorted(works, key=lambda w: order[w.unit_code]):
        if w.unit_code != current:
            rows.append({"nhom": w.unit_name})
            current = w.unit_code
        rows.append({"stt": str(_count(rows) + 1), "ten": w.name,
                     "don_vi": w.executor or w.unit_name, "su_kien": w.event,
                     "gia_tri": grouped(w.value) if w.value else "",
                     "ngay": w.finished.strftime("%d/%m/%Y") if w.finished else ""})
    fields = frozenset({"nhom", "stt", "ten", "don_vi", "su_kien", "gia_tri", "ngay"})
    return ctx, {"cong_trinh": AnnexTable(rows, fields)}


def _certificate_lines(data: DocumentData, nominees: list[Nomination]) -> list[dict]:
    ordered = _ordered(data, nominees)
    return [{"ten": n.name,
             "don_vi": _join(n.position, n.workplace) if n.target == TARGET_INDIVIDUAL
             else n.workplace or n.unit_name}
            for n in ordered]


# --- lists --------------------------------------------------------------------------------
def _ordered(data: DocumentData, nominees: list[Nomination]) -> list[Nomination]:
    if data.campaign.list_order == ORDER_BY_NAME:
        return sorted(nominees, key=lambda n: name_sort_key(n.name)
                      if n.target == TARGET_INDIVIDUAL else text_sort_key(n.name))
    order = units_by_order(data)
    return sorted(nominees, key=lambda n: order[n.unit_code])  # stable: keeps the sheet order


def _nominee_rows(data: DocumentData, nominees: list[Nomination], *, start: int = 1,
                  groups: bool = True) -> list[dict]:
    rows: list[dict] = []
    by_unit = groups and data.campaign.list_order != ORDER_BY_NAME
    current = None
    n = start
    for nom in _ordered(data, nominees):
        if by_unit and nom.unit_code != current:
            rows.append({"nhom": nom.unit_name})
            current = nom.unit_code
        if nom.target == TARGET_INDIVIDUAL:
            rows.append({"stt": str(n), "ho_ten": nom.name,
                         "chuc_vu_don_vi": _join(nom.position, nom.workplace),
                         "thanh_tich": nom.achievement})
        else:
            rows.append({"stt": str(n), "ten": nom.name, "don_vi": nom.workplace or
                         nom.unit_name, "thanh_tich": nom.achievement})
        n += 1
    return rows


def _annex(rows: list[dict], individual: bool) -> AnnexTable:
    own = {"ho_ten", "chuc_vu_don_vi"} if individual else {"ten", "don_vi"}
    return AnnexTable(rows, frozenset({"nhom", "stt", "thanh_tich"} | own))


def _count(rows: list[dict]) -> int:
    return sum(1 for r in rows if "stt" in r)


# --- helpers ------------------------------------------------------------------------------
def _load(folder: Path, phase: int | None, campaign: Campaign | None
          ) -> tuple[dict[str, list[list]], DocumentData, CampaignFolder]:
    """The control workbook's sheets as the clerk left them, the phase's data read from
    them, and the campaign's paths."""
    campaign = campaign or load_campaign(folder)
    paths = CampaignFolder.at(folder, campaign)
    number = phase if phase is not None else campaign.current_phase
    sheets = read_control_sheets(paths.control)
    data = document_data_from_sheets(sheets, campaign, number, paths.control.name)
    return sheets, data, paths


def _suffix(data: DocumentData) -> str:
    return f"Dot{data.phase.number}_{data.campaign.year}"


def _award_names(c: Campaign, level: str) -> list[str]:
    return list(OrderedDict.fromkeys(a.name for a in c.award_forms if a.level == level))


def _when(c: Campaign) -> date:
    return c.document_date or date.today()


def _paragraphs(text: str) -> list[str]:
    return [" ".join(line.split()) for line in (text or "").splitlines() if line.strip()]


def _join(*parts: str) -> str:
    return ", ".join(p for p in parts if p)


def _slug(name: str) -> str:
    """"Bằng khen của BCH LĐLĐ tỉnh" -> "BangKhen" (the words before "của", ASCII)."""
    head = name.split(" của ")[0]
    plain = unicodedata.normalize("NFD", head.replace("đ", "d").replace("Đ", "D"))
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch))
    return "".join(w[:1].upper() + w[1:] for w in plain.split() if w.isalnum())


def _free_name(out_dir: Path, stem: str, replace: bool) -> Path:
    """``stem.docx`` in ``out_dir``, or ``stem_v2.docx`` (v3, ...) when it exists and
    ``replace`` is not set."""
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"{stem}.docx"
    version = 2
    while path.exists() and not replace:
        path = out_dir / f"{stem}_v{version}.docx"
        version += 1
    return path


def _pdfs(result: DocumentsResult, wanted: bool, skip_prefix: str | None = None) -> None:
    """PDF copies of the written documents (not of the certificate print files)."""
    if not wanted:
        return
    if not pdf_mod.converter_available():
        result.problems.append(Problem(Msg.DOC_NO_PDF))
        return
    for docx in result.written:
        if skip_prefix and docx.name.startswith(skip_prefix):
            continue
        try:
            made = pdf_mod.to_pdf(docx)
        except (RuntimeError, OSError) as err:
            result.problems.append(Problem(Msg.DOC_PDF_FAILED, value=docx.name, detail=str(err)))
            continue
        if made is not None:
            result.pdfs.append(made)
