"""The check before documents on small campaigns: a person already awarded in an earlier
phase, a form the province neither awards nor proposes, a form not chosen."""
from __future__ import annotations

from datetime import datetime
from pathlib import Path

import openpyxl
import pytest

from addin.consolidate import consolidate
from addin.preflight import PreflightBlocked
from addin.documents import generate_documents
from workbook_templates.forms import ControlSheet
from workbook_templates.messages import Msg, Problem

from test_consolidate import folder, good_sheets, person, put  # noqa: F401

BK = "Bằng khen của BCH LĐLĐ tỉnh"


def _review(control: Path, name: str, **columns) -> None:
    wb = openpyxl.load_workbook(control)
    ws = wb[ControlSheet.INDIVIDUAL]
    header = {c.value: c.column for c in ws[1]}
    for r in range(2, ws.max_row + 1):
        if ws.cell(r, header["Họ và tên"]).value == name:
            for title, value in columns.items():
                ws.cell(r, header[title]).value = value
    wb.save(control)


def test_person_awarded_in_phase_1_stops_phase_2_until_acknowledged(folder):  # noqa: F811
    control = folder / "TongHopThiDua.xlsx"
    put(folder, "LD01_Dot1_2020.xlsx", good_sheets([person("Bế Thị Ngân", 1984)]), unit="LD01")
    consolidate(folder, 1)
    _review(control, "Bế Thị Ngân", **{"Duyệt": "Có", "Hình thức được khen": BK})
    first = generate_documents(folder, 1, pdf=False)
    assert first.numbers["QĐ"]
    generate_documents(folder, 1, pdf=False)  # re-issued: never its own precedent

    info = {**good_sheets()["Thông tin"], "Ngày báo cáo": datetime(2020, 12, 5)}
    put(folder, "LD01_Dot2_2020.xlsx",
        good_sheets([person("Bế Thị Ngân", 1984)], **{"Thông tin": info}),
        unit="LD01", phase=2, when=datetime(2020, 12, 6))
    consolidate(folder, 2)
    _review(control, "Bế Thị Ngân", **{"Duyệt": "Có", "Hình thức được khen": BK})
    with pytest.raises(PreflightBlocked) as caught:
        generate_documents(folder, 2, pdf=False)
    (found,) = caught.value.findings
    assert found.code == Msg.PREFLIGHT_ALREADY_AWARDED.code
    assert "/QĐ-LĐLĐ" in found.text and "đợt 1 năm 2020" in found.text

    _review(control, "Bế Thị Ngân", **{"Đã xem xét": "Có",
                                        "Ghi chú": "Thành tích mới, Thường trực đồng ý"})
    assert generate_documents(folder, 2, pdf=False).numbers["QĐ"]


@pytest.mark.parametrize("awarded, code", [
    ("Huân chương Lao động hạng Ba", Msg.PREFLIGHT_UNKNOWN_FORM.code),
    (None, Msg.PREFLIGHT_NO_FORM.code),
])
def test_a_form_the_province_does_not_give_stops_documents(folder, awarded, code):  # noqa: F811
    control = folder / "TongHopThiDua.xlsx"
    put(folder, "LD01_Dot1_2020.xlsx", good_sheets([person("Bế Thị Ngân", 1984)]), unit="LD01")
    consolidate(folder, 1)
    _review(control, "Bế Thị Ngân", **{"Duyệt": "Có", "Hình thức được khen": awarded,
                                        "Đã xem xét": "Có", "Ghi chú": "đã xem"})
    with pytest.raises(PreflightBlocked) as caught:
        generate_documents(folder, 1, pdf=False)
    assert [p.code for p in caught.value.findings] == [code]
    assert not list((folder / "output").glob("QuyetDinh_*"))


def test_the_message_box_lists_the_first_findings_and_points_to_the_sheet():
    found = [Problem(Msg.PREFLIGHT_NO_FORM, unit=f"LD0{i}", sheet=ControlSheet.INDIVIDUAL,
                     cell=f"A{i + 2}", value=f"Người {i}") for i in range(3)]
    full = PreflightBlocked(found).problem.text
    short = PreflightBlocked(found, shown=1).problem.text
    assert full.count("\n- ") == 3 and "LD02, Khen cá nhân dòng 4, Người 2: [C27]" in full
    assert short.count("\n- ") == 1 and "… và 2 vấn đề khác" in short
    assert ControlSheet.PREFLIGHT in short


def test_a_name_without_diacritics_beside_the_written_one_is_a_warning(folder):  # noqa: F811
    control = folder / "TongHopThiDua.xlsx"
    put(folder, "LD01_Dot1_2020.xlsx", good_sheets([person("Trieu Thi Dung", 1990)]),
        unit="LD01")
    put(folder, "LD02_Dot1_2020.xlsx", good_sheets([person("Triệu Thị Dung", 1990)]),
        unit="LD02")
    consolidate(folder, 1)
    for name in ("Trieu Thi Dung", "Triệu Thị Dung"):
        _review(control, name, **{"Duyệt": "Có", "Hình thức được khen": BK})
    with pytest.raises(PreflightBlocked) as caught:
        generate_documents(folder, 1, pdf=False)
    assert [(p.code, p.unit, p.value) for p in caught.value.findings] == [
        (Msg.PREFLIGHT_TWICE.code, "LD01", "Trieu Thi Dung")]
    _review(control, "Trieu Thi Dung", **{"Đã xem xét": "Có", "Ghi chú": "Hai người khác nhau"})
    assert generate_documents(folder, 1, pdf=False).numbers["QĐ"]
