"""The documents of a phase as pure functions of its data: the report, the decisions, the
proposal, the plaques decision and the certificate print file, each rendered from a Word
template.

Nothing here knows where the data came from or where the files go: the pipeline
(:mod:`addin.documents`) reads the control workbook, takes the numbers from the register,
names the files and records them; it hands each builder the data, the number and the date.
"""
from __future__ import annotations

import tempfile
from collections import OrderedDict, defaultdict
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from workbook_templates.campaign import (
    LEVEL_NATIONAL, ORDER_BY_NAME, TARGET_COLLECTIVE, TARGET_INDIVIDUAL, Campaign)
from workbook_templates.forms import INITIATIVES

from .certificates import place_lines
from .chart import bar_chart
from .data import DocumentData, Nomination, Work, units_by_order
from .render import AnnexTable, Picture, grouped_rows, render
from .vietnamese import (
    date_line, date_words, grouped, money, money_in_words, name_sort_key, padded,
    text_sort_key)

PACKAGE_TEMPLATES = Path(__file__).parent / "templates"
REPORT_TEMPLATE = "bao_cao.docx"
DECISION_TEMPLATE = "quyet_dinh_khen_thuong.docx"
PROPOSAL_TEMPLATE = "to_trinh_de_nghi.docx"
PLAQUES_TEMPLATE = "quyet_dinh_gan_bien.docx"
CERTIFICATE_TEMPLATE = "in_bang_khen.docx"
CHART_WIDTH_MM = 150
RECOGNISED_NOT = "Chưa công nhận"  # the initiative level that is no recognition


def template_path(name: str, folder: Path | None = None) -> Path:
    """The office's edited copy in ``<folder>/templates/`` if there is one, else the package's."""
    if folder is not None:
        own = Path(folder) / "templates" / name
        if own.is_file():
            return own
    return PACKAGE_TEMPLATES / name


# --- builders -----------------------------------------------------------------------------
def build_report(data_phases: list[DocumentData], out: Path, *, template: Path, number: int,
                 when: date) -> Path:
    """Render the report of one phase (sơ kết) or, given several phases of the year, the year
    report (tổng kết) adding their figures."""
    content = report_content(data_phases, number, when)
    labels, values = content.chart
    with tempfile.TemporaryDirectory(prefix="thidua_chart_") as tmp:
        pictures = {}
        context = dict(content.context)
        if labels:
            png = bar_chart(labels, values, Path(tmp) / "bieu_do.png",
                            x_title=content.chart_title)
            pictures["bieu_do"] = Picture(png, CHART_WIDTH_MM)
        else:
            context["bieu_do"] = ""
        from .emulation import report_ranking  # issue 14; it takes the office's context here

        ranking_context, ranking_tables = report_ranking(data_phases[-1])
        context.update(ranking_context)
        return render(template, context, out,
                      tables={"don_vi": content.table, **ranking_tables}, pictures=pictures)


def build_decision(data: DocumentData, nominees: list[Nomination], out: Path, *,
                   template: Path, number: int, when: date) -> Path:
    """The decision awarding one form to ``nominees``, with its annexed list."""
    context, tables = decision_content(data, nominees, number, when)
    return render(template, context, out, tables=tables)


def build_certificates(data: DocumentData, nominees: list[Nomination], out: Path, *,
                       template: Path, number: int, when: date) -> Path:
    """The certificate print file of one decision: one page per nominee, each line placed
    where the pre-printed paper expects it."""
    context, _ = decision_content(data, nominees, number, when)
    render(template, {**context, "nguoi_nhan": certificate_lines(data, nominees)}, out)
    place_lines(out, data.campaign.certificate)
    return out


def build_plaques(data: DocumentData, works: list[Work], out: Path, *, template: Path,
                  number: int, when: date) -> Path:
    """The decision placing plaques on ``works``, with its annexed list."""
    context, tables = plaques_content(data, works, number, when)
    return render(template, context, out, tables=tables)


def build_proposal(data: DocumentData, proposed: list[Nomination], out: Path, *,
                   template: Path, number: int, when: date) -> Path:
    """The Tờ trình proposing ``proposed`` to the Tổng Liên đoàn, with its annexed list."""
    context, tables = proposal_content(data, proposed, number, when)
    return render(template, context, out, tables=tables)


def award_total(c: Campaign, nominees: list[Nomination]) -> int:
    """The money a decision awards: each nominee's amount, summed."""
    return sum(c.amount(n.award) for n in nominees)


def award_names(c: Campaign, level: str) -> list[str]:
    """The award forms of ``level``, each name once, in the order of *Cấu hình*."""
    return list(OrderedDict.fromkeys(a.name for a in c.award_forms if a.level == level))


# --- contents -----------------------------------------------------------------------------
def _common(c: Campaign, data: DocumentData, number: int, when: date,
            recipients: list[str]) -> dict:
    return {
        "co_quan_cap_tren": c.parent_body,
        "co_quan_ban_hanh": c.issuing_body,
        "co_quan_day_du": c.issuing_body_full,
        "ban_thuong_vu": c.standing_committee,
        "van_ban_phat_dong": launch_citation(c),
        "can_cu": basis_lines(c),
        "can_cu_quy_che": f"Căn cứ {c.basis_rules.strip()}; căn cứ" if c.basis_rules.strip()
        else "Căn cứ",
        "hieu_luc": f"{c.effect_clause.strip()} " if c.effect_clause.strip() else "",
        "ban_soan_thao_day_du": c.drafting_unit_full,
        "don_vi_soan_thao": c.drafting_unit,
        "noi_nhan": [r.strip().rstrip(";.").strip() for r in recipients if r.strip()],
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


def launch_citation(c: Campaign) -> str:
    """The launch document as cited: "văn bản số 05/KH-LĐLĐ ngày 10/01/2020 của Ban Thường
    vụ … phát động …"; the number and the date only when *Cấu hình* gives them."""
    parts = ["văn bản"]
    if c.launch_number.strip():
        parts.append(f"số {c.launch_number.strip()}")
    if c.launch_date:
        parts.append(f"ngày {c.launch_date:%d/%m/%Y}")
    subject = c.launch_document.strip().rstrip(";.") or f"phát động phong trào thi đua năm {c.year}"
    return " ".join(parts + [f"của {c.standing_committee}", subject[:1].lower() + subject[1:]])


def basis_lines(c: Campaign) -> list[str]:
    """The căn cứ lines of a decision, without their closing mark: the law, the charter and
    the rules set on *Cấu hình* (an empty one left out), the launch document, the proposal."""
    lines = [f"Căn cứ {text.strip().rstrip(';.')}"
             for text in (c.basis_law, c.basis_charter, c.basis_rules) if text.strip()]
    lines.append(f"Căn cứ {launch_citation(c)}")
    if c.drafting_unit_full.strip():
        lines.append(f"Xét đề nghị của {c.drafting_unit_full.strip()}")
    return lines


def whom(collectives: int, individuals: int) -> str:
    """"tập thể, cá nhân", "tập thể" or "cá nhân": who a document speaks of."""
    return ", ".join(w for w, n in (("tập thể", collectives), ("cá nhân", individuals)) if n)


def counted(collectives: int, individuals: int) -> str:
    """"3 tập thể và 12 cá nhân", "3 tập thể" or "12 cá nhân"."""
    return " và ".join(f"{n} {w}" for w, n in (("tập thể", collectives),
                                                ("cá nhân", individuals)) if n)


@dataclass
class ReportContent:
    """The report's context, its per-unit annex and its chart: every figure computed once."""

    context: dict
    table: AnnexTable
    chart: tuple[list[str], list[float]]
    chart_title: str


def report_content(data_phases: list[DocumentData], number: int, when: date) -> ReportContent:
    """The report's figures: the units' results (the same totals in the text, the table of
    indicators, the annex and the chart), the registrations per movement, the works and
    initiatives listed, and which units' files were read."""
    last = data_phases[-1]
    c = last.campaign
    year_report = len(data_phases) > 1
    ctx = _common(c, last, number, when, c.report_recipients)
    if year_report:
        ctx["pham_vi"] = f"năm {c.year}"
    ph = last.phase
    ctx.update({"tong_ket": year_report, "tu_ngay": ph.start.strftime("%d/%m/%Y"),
                "den_ngay": ph.end.strftime("%d/%m/%Y"), "chu_de": ph.theme})
    ctx.update(_submission_figures(last))
    ctx["dang_ky"] = _registration_figures(c, data_phases)
    ctx.update(_works_figures(c, data_phases))
    ctx.update(_initiative_figures(data_phases))
    results = _Results(data_phases)
    shown = {i.code: (money if i.money else grouped) for i in c.indicators}
    ctx["kq"] = {code: shown[code](results.totals[code]) for code in shown}
    ctx["tong"] = {code: grouped(results.totals[code]) for code in shown}
    ctx["chi_tieu"] = [{"ten": i.title, "gia_tri": ctx["kq"][i.code]} for i in c.indicators]
    nominations = [n for d in data_phases for n in d.nominations]
    ctx["duyet_tap_the"] = sum(1 for n in nominations if n.target == TARGET_COLLECTIVE)
    ctx["duyet_ca_nhan"] = sum(1 for n in nominations if n.target == TARGET_INDIVIDUAL)
    ctx["danh_gia"] = _paragraphs(ph.assessment)
    ctx["ton_tai"] = _paragraphs(ph.shortcomings)
    ctx["phuong_huong"] = _paragraphs(ph.directions)

    order = units_by_order(last)
    charted = c.chart_indicator()
    chart_units = sorted(results.per_unit, key=lambda u: order[u])
    chart = ([results.names[u] for u in chart_units],
             [float(results.per_unit[u][charted.code]) for u in chart_units])
    ctx.update({"co_bieu_do": bool(chart_units),
                "bieu_do_ten": f"Biểu đồ: {charted.title} theo đơn vị",
                "ten_chi_tieu_bieu_do": charted.title,
                "tong_bieu_do": ctx["kq"][charted.code]})
    table = _units_annex(last, results, _movements_by_unit(data_phases))
    return ReportContent(ctx, table, chart, charted.title)


class _Results:
    """The units' results added over the phases: per unit and in total, by indicator."""

    def __init__(self, data_phases: list[DocumentData]):
        self.totals: dict[str, float] = defaultdict(float)
        self.per_unit: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
        self.names: dict[str, str] = {}
        for d in data_phases:
            for r in d.results:
                self.names.setdefault(r.unit_code, r.unit_name)
                for code, v in r.values.items():
                    self.per_unit[r.unit_code][code] += v
                    self.totals[code] += v


def _units_annex(last: DocumentData, results: _Results, movements: dict[str, int]
                 ) -> AnnexTable:
    """One row per unit (every unit of the status sheet, and any with results)."""
    c = last.campaign
    order = units_by_order(last)
    status_of = {s.code: s for s in last.statuses}
    rows = []
    codes = sorted(set(status_of) | set(results.per_unit), key=lambda u: order[u])
    for n, code in enumerate(codes, start=1):
        s = status_of.get(code)
        figures = results.per_unit.get(code)
        row = {"stt": str(n), "ten": s.name if s else results.names.get(code, code),
               "tinh_trang": s.status if s else "",
               "so_phong_trao": grouped(movements[code]) if figures else ""}
        for i in c.indicators:
            row[i.code] = grouped(figures[i.code]) if figures else ""
        rows.append(row)
    fields = frozenset({"stt", "ten", "tinh_trang", "so_phong_trao"} |
                       {i.code for i in c.indicators})
    return AnnexTable(rows, fields)


def _submission_figures(data: DocumentData) -> dict:
    """Which units reported: a unit counts only when its file was read and consolidated
    (it has a row of results); a unit whose only file was rejected is named apart."""
    consolidated = {r.unit_code for r in data.results}
    reported = [s for s in data.statuses if s.code in consolidated]
    rejected = [s for s in data.statuses if s.code not in consolidated and s not in data.missing]
    late = [s for s in data.late if s.code in consolidated]
    return {
        "so_don_vi": len(data.statuses),
        "so_da_bao_cao": len(reported),
        "so_nop_muon": len(late),
        "nop_muon": "; ".join(s.name for s in late),
        "so_tep_loi": len(rejected),
        "tep_loi": "; ".join(s.name for s in rejected),
        "so_chua_nop": len(data.missing),
        "chua_nop": "; ".join(s.name for s in data.missing),
    }


def _best_registrations(data_phases: list[DocumentData]) -> dict[tuple[str, str], tuple[int, int]]:
    """Per unit and movement, the largest figures (CĐCS, people) over the phases."""
    best: dict[tuple[str, str], tuple[int, int]] = {}
    for d in data_phases:
        for r in d.registrations:
            if r.registered:
                g, p = best.get((r.unit_code, r.movement), (0, 0))
                best[(r.unit_code, r.movement)] = (max(g, r.grassroots), max(p, r.people))
    return best


def _registration_figures(c: Campaign, data_phases: list[DocumentData]) -> list[dict]:
    best = _best_registrations(data_phases)
    movements = list(c.movements) + sorted({m for _, m in best} - set(c.movements))
    return [
        {"ten": m, "so_don_vi": len(units), "so_cdcs": grouped(sum(best[u, m][0] for u in units)),
         "so_nguoi": grouped(sum(best[u, m][1] for u in units))}
        for m in movements if (units := [u for (u, mm) in best if mm == m])]


def _movements_by_unit(data_phases: list[DocumentData]) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for u, _ in _best_registrations(data_phases):
        counts[u] += 1
    return counts


def _works_figures(c: Campaign, data_phases: list[DocumentData]) -> dict:
    works = [w for d in data_phases for w in d.works]
    events = OrderedDict((e.name, []) for e in c.events)
    for w in works:
        events.setdefault(w.event, []).append(w)
    return {
        "so_cong_trinh": len(works),
        "gia_tri_cong_trinh": money(sum(w.value for w in works)),
        "su_kien": [{"ten": name, "so": len(ws), "gia_tri": money(sum(w.value for w in ws))}
                    for name, ws in events.items() if ws],
        "so_gan_bien": sum(1 for w in works if w.plaque),
    }


def _initiative_figures(data_phases: list[DocumentData]) -> dict:
    """The initiatives listed: those recognised (count, value, by level) apart from those
    not recognised, which the indicators do not count."""
    initiatives = [i for d in data_phases for i in d.initiatives]
    recognised = [i for i in initiatives if i.level and i.level != RECOGNISED_NOT]
    levels = OrderedDict((lv, 0) for lv in INITIATIVES.field("cap_cong_nhan").choices
                         if lv != RECOGNISED_NOT)
    for i in recognised:
        levels[i.level] = levels.get(i.level, 0) + 1
    return {
        "so_sang_kien": len(initiatives),
        "so_sang_kien_cong_nhan": len(recognised),
        "gia_tri_sang_kien": money(sum(i.value for i in recognised)),
        "cap_sang_kien": [{"ten": lv, "so": n} for lv, n in levels.items() if n],
        "so_chua_cong_nhan": len(initiatives) - len(recognised),
    }


def decision_content(data: DocumentData, nominees: list[Nomination], number: int, when: date
                     ) -> tuple[dict, dict[str, AnnexTable]]:
    """A decision's context and its two annexed lists (collectives, individuals)."""
    c = data.campaign
    ctx = _common(c, data, number, when, c.recipients)
    coll = [n for n in nominees if n.target == TARGET_COLLECTIVE]
    ind = [n for n in nominees if n.target == TARGET_INDIVIDUAL]
    coll_amount = c.amount(coll[0].award) if coll else 0
    ind_amount = c.amount(ind[0].award) if ind else 0
    total = award_total(c, nominees)
    ctx.update(_counts(len(coll), len(ind)))
    ctx.update({
        "ten_hinh_thuc": nominees[0].award.award_name,
        "tien_tap_the": money(coll_amount),
        "tong_tap_the": money(coll_amount * len(coll)),
        "tien_ca_nhan": money(ind_amount),
        "tong_ca_nhan": money(ind_amount * len(ind)),
        "tong_tien": money(total),
        "tong_tien_chu": money_in_words(total),
    })
    return ctx, {"tap_the": _annex(_nominee_rows(data, coll), individual=False),
                 "ca_nhan": _annex(_nominee_rows(data, ind), individual=True)}


def _counts(collectives: int, individuals: int) -> dict:
    return {"so_tap_the": collectives, "so_ca_nhan": individuals,
            "hai_phan": bool(collectives and individuals),
            "doi_tuong": whom(collectives, individuals),
            "danh_sach_gom": counted(collectives, individuals)}


def proposal_content(data: DocumentData, proposed: list[Nomination], number: int, when: date
                     ) -> tuple[dict, dict[str, AnnexTable]]:
    """The Tờ trình's context (the forms proposed, with their counts) and its lists."""
    c = data.campaign
    ctx = _common(c, data, number, when, c.proposal_recipients)
    names = award_names(c, LEVEL_NATIONAL)
    by_form = []
    for name in names:
        group = [n for n in proposed if n.award.name == name]
        if group:
            by_form.append({
                "ten": group[0].award.award_name,
                "so": counted(sum(1 for n in group if n.target == TARGET_COLLECTIVE),
                              sum(1 for n in group if n.target == TARGET_INDIVIDUAL))})
    coll = [n for n in proposed if n.target == TARGET_COLLECTIVE]
    ind = [n for n in proposed if n.target == TARGET_INDIVIDUAL]
    ctx.update({"hinh_thuc": by_form, **_counts(len(coll), len(ind))})
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


def plaques_content(data: DocumentData, works: list[Work], number: int, when: date
                    ) -> tuple[dict, dict[str, AnnexTable]]:
    """The plaques decision's context and its list of works, by unit."""
    c = data.campaign
    ctx = _common(c, data, number, when, c.recipients)
    total = sum(w.value for w in works)
    ctx.update({"so_cong_trinh": len(works), "tong_gia_tri": money(total),
                "tong_gia_tri_so": grouped(total)})
    order = units_by_order(data)
    rows = grouped_rows(
        sorted(works, key=lambda w: order[w.unit_code]), lambda w: (w.unit_code, w.unit_name),
        lambda w: {"ten": w.name, "don_vi": w.executor or w.unit_name, "su_kien": w.event,
                   "gia_tri": grouped(w.value) if w.value else "",
                   "ngay": w.finished.strftime("%d/%m/%Y") if w.finished else ""})
    fields = frozenset({"nhom", "stt", "ten", "don_vi", "su_kien", "gia_tri", "ngay"})
    return ctx, {"cong_trinh": AnnexTable(rows, fields)}


def certificate_lines(data: DocumentData, nominees: list[Nomination]) -> list[dict]:
    """One certificate per nominee, in the list's order: the name and the unit line."""
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
    by_unit = groups and data.campaign.list_order != ORDER_BY_NAME
    return grouped_rows(_ordered(data, nominees),
                        (lambda nom: (nom.unit_code, nom.unit_name)) if by_unit else None,
                        _nominee_row, start)


def _nominee_row(nom: Nomination) -> dict:
    if nom.target == TARGET_INDIVIDUAL:
        return {"ho_ten": nom.name, "chuc_vu_don_vi": _join(nom.position, nom.workplace),
                "thanh_tich": nom.achievement}
    return {"ten": nom.name, "don_vi": nom.workplace or nom.unit_name,
            "thanh_tich": nom.achievement}


def _annex(rows: list[dict], individual: bool) -> AnnexTable:
    own = {"ho_ten", "chuc_vu_don_vi"} if individual else {"ten", "don_vi"}
    return AnnexTable(rows, frozenset({"nhom", "stt", "thanh_tich"} | own))


def _count(rows: list[dict]) -> int:
    return sum(1 for r in rows if "stt" in r)


# --- helpers ------------------------------------------------------------------------------
def _paragraphs(text: str) -> list[str]:
    return [" ".join(line.split()) for line in (text or "").splitlines() if line.strip()]


def _join(*parts: str) -> str:
    return ", ".join(p for p in parts if p)
