"""A campaign one level down (issue 16): a district federation's or a sector union's
campaign folder made from the template the province sent it (``thidua init --from-upper``).

What must match the province (year, phase and its dates, movements, indicators, events, the
forms' version) is taken from the template; the award forms are the district's own Giấy
khen plus the province's forms it may propose upward, with the province's quotas; the
district's units are its grassroots unions. The template is kept in ``cap_tren/`` of the
folder, where *Báo cáo lên cấp trên* (:mod:`addin.report_up`) finds it.
"""
from __future__ import annotations

import shutil
from datetime import timedelta
from pathlib import Path

from workbook_templates.campaign import (
    LEVEL_NATIONAL, LEVEL_PROVINCE, TARGET_COLLECTIVE, TARGET_INDIVIDUAL, UT_DISTRICT,
    UT_GRASSROOTS,
    AwardForm, Campaign, Event, Indicator, Phase, Signer, Unit, UpperLink, default_campaign)
from workbook_templates.messages import Msg, Problem
from workbook_templates.settings_sheet import units_from_rows
from workbook_templates.upper_template import UpperTemplate, read_upper_template

from .campaign_setup import init_campaign

UPPER_DIR = "cap_tren"  # the templates the level above sent, kept as they came
# The district's own award (Giấy khen), as a share of the base salary (Nghị định 91/2017,
# Điều 73: cá nhân 0,3; tập thể gấp hai lần).
OWN_AWARD = "Giấy khen của {unit}"
OWN_MULTIPLIER = {TARGET_INDIVIDUAL: 0.3, TARGET_COLLECTIVE: 0.6}
OWN_QUOTA = {TARGET_INDIVIDUAL: 3, TARGET_COLLECTIVE: 1}  # per grassroots union
OWN_DEADLINE_DAYS = 5  # the grassroots report this many days before the province's deadline
PROPOSED_PREFIX = "Đề nghị "
FULL_PREFIXES = {"LĐLĐ": "Liên đoàn Lao động", "CĐ": "Công đoàn"}
PLACE_KINDS = ("thành phố ", "thị xã ", "huyện ", "quận ", "tỉnh ")
# What the clerk must look at on Cấu hình after init (L09, one line each).
TO_CHECK_LOWER = (
    ("Đơn vị", "nhập các công đoàn cơ sở trực thuộc (mã, tên, loại {type})"),
    ("Hạn báo cáo (khối CÁC ĐỢT THI ĐUA)",
     "hạn các CĐCS gửi về: đặt {days} ngày trước hạn của cấp trên ({deadline})"),
    ("Người ký, Tỉnh (địa danh), Ban Thường vụ", "của {unit}"),
    ("HÌNH THỨC KHEN THƯỞNG", "Giấy khen của đơn vị: hệ số và số lượng mỗi CĐCS"),
    ("BÁO CÁO LÊN CẤP TRÊN", "người lập biểu, điện thoại, thủ trưởng, số CNVCLĐ, đoàn viên"),
    ("Các nơi nhận", "của quyết định, báo cáo, tờ trình của đơn vị"),
)


def _full_name(short: str) -> str:
    for abbr, full in FULL_PREFIXES.items():
        if short.startswith(abbr + " "):
            return full + short[len(abbr):]
    return short


def _short_upper(full: str) -> str:
    for abbr, whole in FULL_PREFIXES.items():
        full = full.replace(whole, abbr)
    return full.upper()


def _place(unit_name: str) -> str:
    """The place name of a district's federation, for the date line ("Bảo Lâm, ngày …")."""
    name = unit_name
    for prefix in (*(f"{p} " for pair in FULL_PREFIXES.items() for p in pair), *PLACE_KINDS):
        if name.casefold().startswith(prefix.casefold()):
            name = name[len(prefix):]
    return name.strip() or unit_name


def _indicators(t: UpperTemplate) -> list[Indicator]:
    """The template's indicators, with the province's codes where the titles are the built-in
    ones (so figures line up with the province's register), else numbered codes."""
    known = {i.title: i for i in default_campaign().indicators}
    out = []
    for n, (title, money) in enumerate(t.indicators, start=1):
        base = known.get(title)
        out.append(Indicator(base.code if base else f"chi_tieu_{n:02d}", title,
                             base.at_most if base else None, money))
    codes = {i.code for i in out}
    for i in out:
        if i.at_most not in codes:
            i.at_most = None
    return out


def _awards(t: UpperTemplate) -> list[AwardForm]:
    own = [AwardForm(OWN_AWARD.format(unit=t.unit_name), target, LEVEL_PROVINCE,
                     OWN_AWARD.format(unit=_full_name(t.unit_name)), OWN_MULTIPLIER[target],
                     {UT_GRASSROOTS: OWN_QUOTA[target]})
           for target in (TARGET_COLLECTIVE, TARGET_INDIVIDUAL)]
    upward = [AwardForm(a.name, a.target, LEVEL_NATIONAL, a.name.removeprefix(PROPOSED_PREFIX),
                        0.0, {UT_GRASSROOTS: a.quota}) for a in t.awards]
    return own + upward


def lower_campaign(t: UpperTemplate, units: list[Unit] | None = None) -> Campaign:
    """The district's campaign from the province's template ``t`` for it."""
    full = _full_name(t.unit_name)
    # A district's own place; a sector union of the province dates its documents where the
    # province does.
    place = _place(t.unit_name if t.unit_type == UT_DISTRICT else t.body)
    phase = Phase(t.phase, t.theme, t.start, t.end,
                  max(t.end, t.deadline - timedelta(days=OWN_DEADLINE_DAYS)))
    return Campaign(
        year=t.year, province=place, parent_body=_short_upper(t.body),
        issuing_body=t.unit_name.upper(), issuing_body_full=full,
        standing_committee=f"Ban Thường vụ {t.unit_name}",
        launch_document=f"triển khai phong trào thi đua năm {t.year} của {t.body}",
        phases=[phase], movements=list(t.movements),
        events=[Event(name) for name in t.events], indicators=_indicators(t),
        award_forms=_awards(t), units=list(units or []), current_phase=t.phase,
        signer=Signer(name=""), drafting_unit="VP", drafting_unit_full="Văn phòng",
        recipients=[f"Thường trực {t.body} (b/c)", "Các CĐCS trực thuộc"],
        report_recipients=[t.body], proposal_recipients=[t.body],
        upper=UpperLink(unit_code=t.unit_code, body=t.body))


def init_from_upper(folder: Path, template: Path, units: list[Unit] | None = None
                    ) -> tuple[Path, list[Problem]]:
    """Create the district's campaign ``folder`` from the province's ``template``; returns the
    control workbook and what the clerk must check on Cấu hình (L09)."""
    t = read_upper_template(template)
    control = init_campaign(folder, lower_campaign(t, units))
    keep = Path(folder) / UPPER_DIR
    keep.mkdir(exist_ok=True)
    shutil.copy2(template, keep / Path(template).name)
    values = {"type": UT_GRASSROOTS, "days": OWN_DEADLINE_DAYS, "unit": t.unit_name,
              "deadline": t.deadline.strftime("%d/%m/%Y")}
    return control, [Problem(Msg.CHECK_SETTING, field=what, detail=why.format(**values))
                     for what, why in TO_CHECK_LOWER]


def units_from_workbook(path: Path) -> list[Unit]:
    """The units listed on the first sheet of ``path``, with the columns of Đơn vị."""
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True, data_only=True)
    try:
        return units_from_rows([list(r) for r in wb.worksheets[0].iter_rows(values_only=True)])
    finally:
        wb.close()
