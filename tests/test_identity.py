"""Person identity (issue 11, point 8): the key for duplicates and repeats, names without
diacritics, names typed all in lower or upper case."""
from __future__ import annotations

import pytest

from addin.consolidate import consolidate
from workbook_templates.forms import ControlSheet
from workbook_templates.identity import bare_key, name_key, person_key, tidy_case
from workbook_templates.messages import Msg

from test_consolidate import folder, good_sheets, person, put, sheet_rows  # noqa: F401

# (one way of writing, another way, the same person?)
NAME_KEYS = [
    ("Nguyễn Thị Thuỷ", "Nguyễn Thị Thủy", True),  # old / new tone placement
    ("Lê Văn Hoà", "Lê Văn Hòa", True),
    ("Hoàng Uỷ", "Hoàng Ủy", True),
    ("Trần Quý", "Trần Qúy", True),
    ("Lương Thị Thoả", "Lương Thị Thỏa", True),
    ("Ðỗ Văn Hùng", "Đỗ Văn Hùng", True),  # Icelandic Ð (U+00D0) for Đ
    ("ðỗ văn hùng", "Đỗ Văn Hùng", True),
    ("NÔNG THỊ HOA", "Nông Thị Hoa", True),  # case
    ("  Nông   Thị\u00a0Hoa ", "Nông Thị Hoa", True),  # spaces, non-breaking space
    ("Nông\u200b Thị Hoa\ufeff", "Nông Thị Hoa", True),  # invisible characters
    ("Nông Thi\u0323 Hoa", "Nông Thị Hoa", True),  # decomposed (NFD) input
    ("Nông Thị Hoa", "Nông Thị Hòa", False),  # a tone is a different name
    ("Nông Thị Hoa", "Nông Thi Hoa", False),  # no diacritics: a warning, not the same key
    ("Lê Thủy", "Lê Thúy", False),
    ("Đỗ Văn Hùng", "Do Van Hung", False),
]


@pytest.mark.parametrize("one, other, same", NAME_KEYS)
def test_name_key_table(one, other, same):
    assert (name_key(one) == name_key(other)) is same
    assert (person_key(one, 1980) == person_key(other, 1980.0)) is same


def test_bare_key_drops_every_mark():
    assert bare_key("Triệu Thị Dung") == bare_key("Trieu Thi Dung") == "trieu thi dung"
    assert bare_key("Đỗ Ðức") == "do duc"


@pytest.mark.parametrize("typed, tidied", [
    ("nguyễn văn AN", "Nguyễn Văn An"),
    ("NGUYỄN VĂN AN", "Nguyễn Văn An"),
    ("nông thị hoa", "Nông Thị Hoa"),
    ("  lê   thị hạnh ", "Lê Thị Hạnh"),
    ("Nguyễn Văn An", None),  # already right
    ("Nguyễn văn An", None),  # mixed on purpose: left as typed
    ("", None),
])
def test_tidy_case_table(typed, tidied):
    assert tidy_case(typed) == tidied


def test_consolidate_tidies_case_folds_tones_and_warns_on_missing_diacritics(folder):  # noqa: F811
    put(folder, "LD01_Dot1_2020.xlsx", good_sheets([
        person("nguyễn văn AN", 1980), person("Lò Thị Thuỷ", 1985),
        person("Trieu Thi Dung", 1990)]), unit="LD01")
    put(folder, "LD02_Dot1_2020.xlsx", good_sheets([
        person("Lò Thị Thủy", 1985), person("Triệu Thị Dung", 1990)]), unit="LD02")
    consolidate(folder, 1)
    control = folder / "TongHopThiDua.xlsx"
    people = {(p["Mã đơn vị"], p["Họ và tên"]): p
              for p in sheet_rows(control, ControlSheet.INDIVIDUAL)}
    assert ("LD01", "Nguyễn Văn An") in people
    problems = sheet_rows(control, ControlSheet.PROBLEMS)
    tidied = [p for p in problems if p["Mã"] == Msg.NAME_CASE_TIDIED.code]
    assert [(p["Mã đơn vị"], p["Giá trị tìm thấy"], p["Yêu cầu"]) for p in tidied] == [
        ("LD01", "nguyễn văn AN", "Nguyễn Văn An")]
    twins = {p["Mã đơn vị"] for p in problems if p["Mã"] == Msg.DUPLICATE_PERSON.code}
    assert twins == {"LD01", "LD02"}  # Thuỷ / Thủy: one person
    assert people[("LD01", "Lò Thị Thuỷ")]["Cảnh báo"].startswith("X01 trùng với LD02, dòng")
    (bare,) = [p for p in problems if p["Mã"] == Msg.NAME_WITHOUT_DIACRITICS.code]
    assert (bare["Mức độ"], bare["Mã đơn vị"], bare["Yêu cầu"]) == (
        "Cảnh báo", "LD01", "Triệu Thị Dung")
    flag = people[("LD01", "Trieu Thi Dung")]["Cảnh báo"]
    assert flag.startswith("X05 viết không dấu, có thể là “Triệu Thị Dung” (LD02, dòng")


def test_without_diacritics_needs_the_same_year_or_unit(folder):  # noqa: F811
    put(folder, "LD01_Dot1_2020.xlsx", good_sheets([person("Trieu Thi Dung", 1990)]),
        unit="LD01")
    put(folder, "LD02_Dot1_2020.xlsx", good_sheets([person("Triệu Thị Dung", 1975)]),
        unit="LD02")
    consolidate(folder, 1)
    problems = sheet_rows(folder / "TongHopThiDua.xlsx", ControlSheet.PROBLEMS)
    assert not [p for p in problems if p["Mã"] == Msg.NAME_WITHOUT_DIACRITICS.code]


def test_register_keys_written_before_the_folding_are_recomputed(tmp_path):
    import sqlite3

    from addin.register import NominationRecord, Register
    from workbook_templates.campaign import TARGET_INDIVIDUAL

    path = tmp_path / "so_theo_doi.sqlite"
    with Register.open(path) as reg, reg.run(kind="consolidate", year=2019, phase=1,
                                              settings={}) as run:
        run.nomination(NominationRecord(
            nomination_id="CN1-LD01-OLD00001", unit_code="LD01", target=TARGET_INDIVIDUAL,
            name="Lò Thị Thuỷ", person_key="lò thị thuỷ|1985", proposed_form="Bằng khen",
            approved=True, awarded_form="Bằng khen", birth_year=1985))
    with sqlite3.connect(path) as db:  # as a register of the previous version left it
        db.execute("UPDATE nominations SET name_key = 'lò thị thuỷ'")
        db.execute("DROP TABLE phase_sheet_parts")  # migration 0004 came after
        db.execute("UPDATE alembic_version SET version_num = '0002'")
    with Register.open(path) as reg:
        found = reg.past_awards([(person_key("Lò Thị Thủy", 1985), "Bằng khen")],
                                range(2019, 2021))
        assert list(found) == [(person_key("Lò Thị Thủy", 1985), "Bằng khen")]
        assert [h.name for h in reg.history(person="LÒ THỊ THỦY")] == ["Lò Thị Thuỷ"]
