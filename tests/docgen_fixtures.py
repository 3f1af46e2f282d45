"""A control workbook as Consolidate writes it, generated deterministically for docgen tests."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from openpyxl import Workbook

from workbook_templates.campaign import (
    LEVEL_NATIONAL, LEVEL_PROVINCE, TARGET_COLLECTIVE, TARGET_INDIVIDUAL, Campaign)
from workbook_templates.forms import (
    COLLECTIVE_NOMINATIONS, INDIVIDUAL_NOMINATIONS, INITIATIVES, NO, REGISTRATION,
    STATUS_FIELDS, STATUS_LATE, STATUS_MISSING, STATUS_SUBMITTED, TOTAL_LABEL, WORKS, YES,
    ControlSheet, consolidated_fields, results_fields, titles)

FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Nông", "Đàm", "Lục", "Hà", "Bế", "Lương",
          "Đinh", "Vũ", "Triệu")
MIDDLE_M = ("Văn", "Đức", "Minh", "Quang", "Hữu")
MIDDLE_F = ("Thị", "Thu", "Ngọc", "Thanh", "Kim")
GIVEN_M = ("An", "Bình", "Cường", "Dũng", "Đạt", "Hùng", "Khánh", "Long", "Phúc", "Sơn",
           "Thắng", "Việt")
GIVEN_F = ("Anh", "Ánh", "Hà", "Hằng", "Hoa", "Lan", "Linh", "Mai", "Nga", "Thảo", "Uyên",
           "Yến")
POSITIONS = ("Công nhân vận hành", "Chủ tịch công đoàn cơ sở", "Giáo viên", "Kế toán viên",
             "Bác sĩ", "Kỹ sư điện", "Nhân viên văn phòng")


@dataclass
class Fixture:
    """What was written, so tests can compare documents with it."""

    path: Path
    late: list[str] = field(default_factory=list)  # unit names
    missing: list[str] = field(default_factory=list)
    reporting: list[str] = field(default_factory=list)  # unit codes with data
    approved: dict[tuple[str, str], list[str]] = field(default_factory=dict)  # (form, target)
    plaques: list[str] = field(default_factory=list)
    totals: dict[str, float] = field(default_factory=dict)


def person(i: int) -> tuple[str, str]:
    """The i-th generated person: (full name, gender)."""
    female = i % 2 == 1
    middle = (MIDDLE_F if female else MIDDLE_M)[i // 2 % 5]
    given = (GIVEN_F if female else GIVEN_M)[i // 10 % 12]
    return f"{FAMILY[i % 14]} {middle} {given}", "Nữ" if female else "Nam"


def write_control(path: Path, campaign: Campaign, *, individuals: int = 24,
                  collectives: int = 8, extra_column: bool = True) -> Fixture:
    """Write the control workbook of phase ``campaign.current_phase`` with generated rows.

    Units 3 and 7 of the ordered list are late, units 5 and 12 have not reported; every other
    unit reports figures. Nominations cycle over the campaign's award forms and units; every
    third one is not approved, and approvals mix "Có" and "có" as clerks type them.
    """
    fx = Fixture(Path(path))
    units = campaign.ordered_units()
    wb = Workbook()
    wb.remove(wb.active)

    ws = wb.create_sheet(ControlSheet.STATUS)
    ws.append(titles(STATUS_FIELDS))
    for n, u in enumerate(units, start=1):
        status = STATUS_LATE if n in (3, 7) else STATUS_MISSING if n in (5, 12) else \
            STATUS_SUBMITTED
        if status == STATUS_LATE:
            fx.late.append(u.name)
        if status == STATUS_MISSING:
            fx.missing.append(u.name)
        else:
            fx.reporting.append(u.code)
        ws.append([n, campaign.current_phase, u.code, u.name, u.type, status, "" if status == STATUS_MISSING else
                   f"{u.code}_Dot1_2020.xlsx", None, 0, 0, ""])
    reporting = [u for u in units if u.code in fx.reporting]

    ws = wb.create_sheet(ControlSheet.REGISTRATION)
    ws.append(titles(consolidated_fields(REGISTRATION)))
    for k, u in enumerate(reporting):
        for m, movement in enumerate(campaign.movements):
            yes = (k + m) % 3 != 0
            ws.append([u.code, u.name, movement, YES if yes else NO, 2 + k % 4 if yes else None,
                       40 + 10 * k + m if yes else None, "Đăng ký thực hiện" if yes else None,
                       "x.xlsx", f"C{5 + m}"])
        if k == 2:
            ws.append([])  # a blank row left by the clerk

    ws = wb.create_sheet(ControlSheet.WORKS)
    ws.append(titles(consolidated_fields(WORKS)))
    for k, u in enumerate(reporting[:8]):
        event = campaign.events[k % len(campaign.events)].name
        name = f"Công trình sửa chữa nhà văn hóa số {k + 1}"
        plaque = k % 2 == 0
        if plaque:
            fx.plaques.append(name)
        ws.append([u.code, u.name, name, "Công trình", u.name, event, 50_000_000 + k * 1_000_000,
                   date(2020, 3, 1), date(2020, 5, 10 + k), YES if plaque else NO, "", "",
                   "x.xlsx", f"B{5 + k}"])

    ws = wb.create_sheet(ControlSheet.INITIATIVES)
    ws.append(titles(consolidated_fields(INITIATIVES)))
    levels = ("Cơ sở", "Ngành", "Tỉnh", "Chưa công nhận")
    for k, u in enumerate(reporting[:6]):
        ws.append([u.code, u.name, f"Cải tiến quy trình tiếp nhận hồ sơ số {k + 1}",
                   person(k)[0], u.name, levels[k % 4], 10_000_000 * (k + 1),
                   date(2020, 4, 1), "x.xlsx", f"B{5 + k}"])

    ws = wb.create_sheet(ControlSheet.RESULTS)
    fields = results_fields(campaign.indicators)
    ws.append(titles(fields) + (["Ghi chú của tôi"] if extra_column else []))
    sums = {i.code: 0.0 for i in campaign.indicators}
    for k, u in enumerate(reporting):
        values = []
        for j, ind in enumerate(campaign.indicators):
            v = (k + 1) * (j + 2) * (100_000 if ind.money else 1)
            if ind.code == "cn_truc_tiep":
                v = k + 1
            sums[ind.code] += v
            values.append(v)
        ws.append([u.code, u.name, *values, f"Đơn vị {u.name} hoàn thành kế hoạch.", "",
                   "x.xlsx"] + (["ghi chú riêng"] if extra_column else []))
    ws.append(["", TOTAL_LABEL, *[sums[i.code] for i in campaign.indicators]])
    fx.totals = sums

    province_or_national = [a for a in campaign.award_forms
                            if a.level in (LEVEL_PROVINCE, LEVEL_NATIONAL)]
    coll_forms = [a for a in province_or_national if a.target == TARGET_COLLECTIVE]
    ind_forms = [a for a in province_or_national if a.target == TARGET_INDIVIDUAL]

    ws = wb.create_sheet(ControlSheet.COLLECTIVE)
    ws.append(titles(consolidated_fields(COLLECTIVE_NOMINATIONS)))
    for k in range(collectives):
        u = reporting[k % len(reporting)]
        award = coll_forms[k % len(coll_forms)]
        name = f"Tổ công đoàn Phòng Kỹ thuật số {k + 1}"
        approved = k % 3 != 2
        if approved:
            fx.approved.setdefault((award.name, TARGET_COLLECTIVE), []).append(name)
        ws.append([f"TT1-{u.code}-{k:08X}", u.code, u.name, name, u.name, award.name,
                   campaign.movements[0], "Hoàn thành xuất sắc nhiệm vụ năm 2020", "",
                   ("Có" if k % 2 else "có") if approved else "Không",
                   award.name if approved else "", "", "", "x.xlsx", f"B{5 + k}"])

    ws = wb.create_sheet(ControlSheet.INDIVIDUAL)
    ws.append(titles(consolidated_fields(INDIVIDUAL_NOMINATIONS)))
    for k in range(individuals):
        u = reporting[k % len(reporting)]
        award = ind_forms[k % len(ind_forms)]
        name, gender = person(k)
        approved = k % 3 != 2
        if approved:
            fx.approved.setdefault((award.name, TARGET_INDIVIDUAL), []).append(name)
        ws.append([f"CN1-{u.code}-{k:08X}", u.code, u.name, name, gender, 1970 + k % 30,
                   "Tày" if k % 4 else "Kinh", POSITIONS[k % len(POSITIONS)], u.name,
                   YES if k % 5 == 0 else NO, award.name, campaign.movements[0],
                   "Hoàn thành xuất sắc nhiệm vụ; có sáng kiến được công nhận", "",
                   ("Có" if k % 2 else "có") if approved else "Không",
                   award.name if approved else "", "", "", "x.xlsx", f"B{5 + k}"])
        if k == 4:
            ws.append([None] * 5)  # a blank row
    wb.save(path)
    return fx
