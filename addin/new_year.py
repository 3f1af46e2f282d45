"""A new year from the last (``thidua init DIR --from LAST_YEAR_DIR``, issue 16).

What persists is carried over: the units, the signer, the addressees, the money (base
salary, rounding, coefficients), the award forms and their quotas, the indicators, the legal
frame, the link to the level above, and the register (so a person commended last year is
flagged when proposed again). What belongs to the year is left to be set: the year moves on
by one, the phases keep their numbers with last year's dates moved on a year and no theme or
narrative, the events are emptied, the launch document's number and date are cleared; the
movements stay as they were, to be checked against the new launch document. Every one of
these is listed for the clerk (L09).
"""
from __future__ import annotations

import copy
import sqlite3
from datetime import date
from pathlib import Path

from workbook_templates.campaign import Campaign, Phase
from workbook_templates.messages import Msg, Problem, SetupError

from .campaign_setup import init_campaign, load_campaign
from .folder import CampaignFolder

REPEAT_WINDOW = 2  # at least: this year and the last, so last year's awards are seen
TO_CHECK_NEW_YEAR = (
    ("Năm thi đua", "{year}"),
    ("CÁC ĐỢT THI ĐUA", "chủ đề, từ ngày, đến ngày, hạn báo cáo của từng đợt (đã chuyển "
                        "ngày của năm {last} sang năm {year}, chưa có chủ đề)"),
    ("PHONG TRÀO THI ĐUA", "giữ như năm {last}; sửa theo văn bản phát động năm {year}"),
    ("SỰ KIỆN CHÀO MỪNG", "để trống; nhập các sự kiện của năm {year}"),
    ("Văn bản phát động, Số và Ngày văn bản phát động", "của năm {year}"),
    ("Lương cơ sở, hệ số và số lượng khen thưởng", "giữ như năm {last}"),
    ("Người ký, các nơi nhận", "giữ như năm {last}"),
    ("SỐ VĂN BẢN", "bắt đầu lại từ 1 cho năm {year}"),
    ("Số năm xét khen trùng", "{window} (để thấy người đã được khen năm {last})"),
    ("Đơn vị", "{units} đơn vị như năm {last}; thêm, bớt nếu có thay đổi"),
)
TO_CHECK_LOWER_LEVEL = (
    ("BÁO CÁO LÊN CẤP TRÊN", "chép biểu mẫu năm {year} của cấp trên vào thư mục cap_tren; "
                             "phong trào và chỉ tiêu phải giống biểu mẫu đó"),
)


def _next_year(d: date | None) -> date | None:
    if d is None:
        return None
    try:
        return d.replace(year=d.year + 1)
    except ValueError:  # 29 February
        return d.replace(year=d.year + 1, day=28)


def next_year_campaign(last: Campaign) -> Campaign:
    """The settings of the year after ``last``: what persists kept, the year's own reset."""
    c = copy.deepcopy(last)
    c.year = last.year + 1
    c.phases = [Phase(p.number, "", _next_year(p.start), _next_year(p.end),
                      _next_year(p.deadline)) for p in last.phases]
    c.current_phase = min(p.number for p in c.phases)
    c.events = []
    c.launch_number, c.launch_date, c.document_date = "", None, None
    c.launch_document = last.launch_document.replace(str(last.year), str(c.year))
    c.next_numbers = {kind: 1 for kind in last.next_numbers}
    c.repeat_window_years = max(last.repeat_window_years, REPEAT_WINDOW)
    return c


def init_from_last_year(folder: Path, last_folder: Path) -> tuple[Path, list[Problem]]:
    """Create ``folder`` for the year after the campaign in ``last_folder``; returns the
    control workbook and what to check on Cấu hình (L09). The register is copied (a shared
    PostgreSQL register is the same one already)."""
    last_paths = CampaignFolder.at(last_folder)
    if not last_paths.control.exists():
        raise SetupError(Problem(Msg.LAST_YEAR_MISSING, value=str(last_folder)))
    _, last = load_campaign(last_folder)
    campaign = next_year_campaign(last)
    control = init_campaign(folder, campaign)
    if not campaign.register_url and last_paths.register.exists():
        _copy_register(last_paths.register, CampaignFolder.at(folder).register)
    values = {"year": campaign.year, "last": last.year, "units": len(campaign.units),
              "window": campaign.repeat_window_years}
    lines = TO_CHECK_NEW_YEAR + (TO_CHECK_LOWER_LEVEL if campaign.upper.unit_code else ())
    return control, [Problem(Msg.CHECK_SETTING, field=what, detail=why.format(**values))
                     for what, why in lines]


def _copy_register(source: Path, target: Path) -> None:
    """A consistent copy of the SQLite register (its journal included), via SQLite's own
    backup; the last year's file is only read."""
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    dst = sqlite3.connect(target)
    try:
        with dst:
            src.backup(dst)
    finally:
        src.close()
        dst.close()
