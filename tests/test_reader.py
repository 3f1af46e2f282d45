"""Reading returned workbooks: every kind of file, exact records, problems and cells."""
import os
import random
import re
import shutil
import zipfile
from datetime import date, datetime

import pytest

from builders import build_return, fixed_rows
from workbook_templates.campaign import default_campaign
from workbook_templates.forms import REGISTRATION, RESULTS, UNIT_FORMS, FieldType, Layout
from workbook_templates.messages import Msg
from workbook_templates.reader import ReadFailure, read_return
from workbook_templates.vntext import to_tcvn3, to_vni

CAMPAIGN = default_campaign()
INFO = {"Người lập biểu": "Nguyễn Văn Đức", "Điện thoại": "0912345678",
        "Ngày báo cáo": date(2020, 6, 25), "Thủ trưởng đơn vị": "Hoàng Văn Bình",
        "Số CĐCS trực thuộc": 12, "Tổng số CNVCLĐ": 1500, "Tổng số đoàn viên": 1400}
PERSON = {"Họ và tên": "Nông Thị Hoa", "Giới tính": "Nữ", "Năm sinh": 1985, "Dân tộc": "Tày",
          "Chức vụ, nghề nghiệp": "Giáo viên", "Đơn vị công tác": "Trường TH Trùng Khánh",
          "Trực tiếp sản xuất": "Không",
          "Hình thức đề nghị": "Bằng khen của BCH LĐLĐ tỉnh",
          "Phong trào": "Giỏi việc nước, đảm việc nhà", "Thành tích tóm tắt": "Hoàn thành xuất sắc"}


def codes(ret, msg):
    return [(p.sheet, p.cell) for p in ret.problems if p.msg is msg]


def full_return(tmp_path, name="LD01.xlsx", **kw):
    return build_return(tmp_path / name, {
        "Thông tin": INFO,
        "Đăng ký thi đua": fixed_rows(REGISTRATION, CAMPAIGN.movements, {
            CAMPAIGN.movements[0]: {"Đăng ký": "Có", "Số CĐCS tham gia": 10,
                                    "Số đoàn viên, CNVCLĐ tham gia": 900}}),
        "Công trình, sản phẩm": [],
        "Sáng kiến": [],
        "Khen tập thể": [],
        "Khen cá nhân": [PERSON],
        "Kết quả": fixed_rows(RESULTS, [i.title for i in CAMPAIGN.indicators],
                              {"Số sáng kiến được công nhận": {"Kết quả": 4}}),
    }, free_text={"Kết quả": "Phong trào sôi nổi."}, prepared_rows=200, **kw)


# --- whole-file failures --------------------------------------------------------------------

def _failure(path):
    with pytest.raises(ReadFailure) as err:
        read_return(path, CAMPAIGN)
    return err.value.problem


def test_zero_bytes(tmp_path):
    path = tmp_path / "LD01.xlsx"
    path.write_bytes(b"")
    assert _failure(path).msg is Msg.FILE_EMPTY


def test_random_bytes_named_xlsx(tmp_path):
    path = tmp_path / "LD01.xlsx"
    path.write_bytes(random.Random(1).randbytes(5000))
    problem = _failure(path)
    assert problem.msg is Msg.FILE_CORRUPT and problem.file == "LD01.xlsx"
    assert problem.technical and problem.technical not in problem.text


def test_truncated_zip(tmp_path):
    good = full_return(tmp_path, "good.xlsx")
    path = tmp_path / "LD01.xlsx"
    path.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    assert _failure(path).msg is Msg.FILE_CORRUPT


def test_encrypted(tmp_path):
    from msoffcrypto.format.ooxml import OOXMLFile

    plain = full_return(tmp_path, "plain.xlsx")
    path = tmp_path / "LD01.xlsx"
    with plain.open("rb") as src, path.open("wb") as out:
        OOXMLFile(src).encrypt("matkhau", out)
    assert _failure(path).msg is Msg.FILE_ENCRYPTED


def test_too_large_before_parsing(tmp_path):
    path = tmp_path / "LD01.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/big.bin", b"\0" * (3 * 1024 * 1024))
    campaign = default_campaign()
    campaign.max_unpacked_mb = 2
    with pytest.raises(ReadFailure) as err:
        read_return(path, campaign)
    problem = err.value.problem
    assert problem.msg is Msg.FILE_TOO_LARGE and problem.value == 3 and problem.expected == 2


def test_not_a_form(tmp_path):
    path = build_return(tmp_path / "LD01.xlsx", {"Sheet1": [["Họ tên", "Tuổi"], ["A", 3]]},
                        meta=None)
    problem = _failure(path)
    assert problem.msg is Msg.FILE_NOT_A_FORM and problem.expected == "Thông tin"


# --- a good file ------------------------------------------------------------------------------

def test_full_return(tmp_path):
    path = full_return(tmp_path)
    ret = read_return(path, CAMPAIGN)
    assert ret.problems == []
    assert ret.meta.present and ret.meta.unit_code == "LD01" and ret.meta.phase == 1
    assert ret.meta.year == 2020 and ret.meta.generated == datetime(2020, 1, 2, 8, 0)
    assert ret.received == datetime.fromtimestamp(os.path.getmtime(path))
    assert ret.info_value("ma_don_vi") == "LD01"
    assert ret.info_value("nam") == 2020
    assert ret.info_value("nguoi_lap") == "Nguyễn Văn Đức"
    assert ret.info["nguoi_lap"].cell == "B11"
    assert ret.report_date == date(2020, 6, 25)
    registration = ret.tables["dang_ky"]
    assert [r.get("phong_trao") for r in registration] == CAMPAIGN.movements
    first = registration[0]
    assert (first.get("dang_ky"), first.get("so_cdcs_tham_gia"),
            first.get("so_nguoi_tham_gia")) == ("Có", 10, 900)
    assert first.cell("so_cdcs_tham_gia") == "D5"
    assert registration[1].get("dang_ky") is None
    people = ret.tables["khen_ca_nhan"]
    assert len(people) == 1  # the 200 prepared STT-only rows are not rows
    assert people[0].number == 5
    assert {k: v.value for k, v in people[0].values.items()} == {
        "ho_ten": "Nông Thị Hoa", "gioi_tinh": "Nữ", "nam_sinh": 1985, "dan_toc": "Tày",
        "chuc_vu": "Giáo viên", "don_vi_cong_tac": "Trường TH Trùng Khánh",
        "truc_tiep_sx": "Không", "hinh_thuc": "Bằng khen của BCH LĐLĐ tỉnh",
        "phong_trao": "Giỏi việc nước, đảm việc nhà", "thanh_tich": "Hoàn thành xuất sắc"}
    assert ret.tables["cong_trinh"] == [] and ret.tables["sang_kien"] == []
    results = {r.get("chi_tieu"): r.get("gia_tri") for r in ret.tables["ket_qua"]}
    assert results["Số sáng kiến được công nhận"] == 4
    assert len(results) == len(CAMPAIGN.indicators)
    free = ret.free_text["ket_qua"]
    assert free.value == "Phong trào sôi nổi." and free.cell == "A19"


def test_no_meta_and_missing_sheet(tmp_path):
    path = build_return(tmp_path / "LD01.xlsx", {"Thông tin": INFO}, meta=None)
    ret = read_return(path, CAMPAIGN)
    assert not ret.meta.present
    assert [p.msg for p in ret.problems if p.msg is Msg.FILE_NO_META] == [Msg.FILE_NO_META]
    missing = sorted(p.sheet for p in ret.problems if p.msg is Msg.SHEET_MISSING)
    assert missing == sorted(f.sheet for f in UNIT_FORMS if f.layout is not Layout.RECORD)
    assert ret.info_value("nguoi_lap") == "Nguyễn Văn Đức"


# --- what units do to a template --------------------------------------------------------------

def test_renamed_sheet_and_reordered_renamed_columns(tmp_path):
    titles = ["STT", "Ho va ten", "Năm sinh", "Giới tính", "Điện thoại riêng",
              "Chức vụ, nghề nghiệp", "Đơn vị công tác", "Hình thức đề nghị",
              "Thành tích tóm tắt", "Phong trào", "Dân tộc"]
    person = {"Ho va ten": "Lý Văn Tú", "Năm sinh": 1979, "Giới tính": "Nam",
              "Điện thoại riêng": "0912000111", "Chức vụ, nghề nghiệp": "Công nhân",
              "Đơn vị công tác": "Mỏ Nà Lũng", "Hình thức đề nghị": "Bằng khen của BCH LĐLĐ tỉnh",
              "Thành tích tóm tắt": "Tốt", "Phong trào": "", "Dân tộc": "Nùng"}
    path = build_return(tmp_path / "LD01.xlsx", {"Thông tin": INFO, " khen ca nhan": [person]},
                        columns={" khen ca nhan": titles})
    ret = read_return(path, CAMPAIGN)
    renamed = [p for p in ret.problems if p.msg is Msg.SHEET_RENAMED]
    assert [(p.value, p.expected) for p in renamed] == [(" khen ca nhan", "Khen cá nhân")]
    row = ret.tables["khen_ca_nhan"][0]
    assert row.get("ho_ten") == "Lý Văn Tú" and row.cell("ho_ten") == "B5"
    assert row.get("nam_sinh") == 1979 and row.cell("nam_sinh") == "C5"
    assert row.get("dan_toc") == "Nùng" and row.cell("dan_toc") == "K5"
    assert "truc_tiep_sx" not in row.values
    sheet = " khen ca nhan"
    assert codes(ret, Msg.COLUMN_RENAMED) == [(sheet, "B4")]
    assert [(p.value, p.cell) for p in ret.problems if p.msg is Msg.COLUMN_UNKNOWN] == [
        ("Điện thoại riêng", "E4")]
    assert [p.expected for p in ret.problems if p.msg is Msg.COLUMN_MISSING] == [
        "Trực tiếp sản xuất"]


def test_column_title_with_small_difference(tmp_path):
    titles = ["STT", "Tên công trình, sản phẩm", "Loại", "Đơn vị thực hiện", "Chào mừng sự kiện",
              "Giá trị", "Ngày khởi công", "Ngày hoàn thành", "Đề nghị gắn biển", "Ghi chú"]
    path = build_return(tmp_path / "LD01.xlsx", {"Thông tin": INFO, "Công trình, sản phẩm": [
        {"Tên công trình, sản phẩm": "Cầu treo", "Đơn vị thực hiện": "CĐ xã",
         "Giá trị": "1,5 triệu"}]}, columns={"Công trình, sản phẩm": titles})
    ret = read_return(path, CAMPAIGN)
    row = ret.tables["cong_trinh"][0]
    assert row.get("gia_tri") == 1_500_000 and row.cell("gia_tri") == "F5"
    renamed = [p for p in ret.problems if p.msg is Msg.COLUMN_RENAMED]
    assert [(p.value, p.expected, p.cell) for p in renamed] == [
        ("Giá trị", "Giá trị (đồng)", "F4")]
    understood = [p for p in ret.problems if p.msg is Msg.NUMBER_FROM_TEXT]
    assert [(p.cell, p.value, p.expected) for p in understood] == [("F5", "1,5 triệu", 1_500_000)]


def test_values_typed_as_text_and_legacy_encodings(tmp_path):
    info = {**INFO, "Người lập biểu": to_tcvn3("Nguyễn Văn Đức"), "Tổng số CNVCLĐ": "1.500",
            "Ngày báo cáo": "25/6/2020", "Điện thoại": "0912 345 678",
            "Thủ trưởng đơn vị": to_vni("Hoàng Văn Bình")}
    works = [{"Tên công trình, sản phẩm": to_vni("Nhà văn hóa xóm Nà Giàng"),
              "Đơn vị thực hiện": "CĐ xã", "Giá trị (đồng)": "2 tỷ",
              "Ngày khởi công": "ngày 15 tháng 3 năm 2020", "Ngày hoàn thành": "31/2/2020",
              "Đề nghị gắn biển": "x"}]
    path = build_return(tmp_path / "LD01.xlsx", {"Thông tin": info, "Công trình, sản phẩm": works})
    ret = read_return(path, CAMPAIGN)
    assert ret.info_value("nguoi_lap") == "Nguyễn Văn Đức"
    assert ret.info_value("thu_truong") == "Hoàng Văn Bình"
    assert ret.info_value("tong_cnvcld") == 1500
    assert ret.info_value("ngay_bao_cao") == date(2020, 6, 25)
    assert ret.info_value("dien_thoai") == "0912345678"
    row = ret.tables["cong_trinh"][0]
    assert row.get("ten") == "Nhà văn hóa xóm Nà Giàng"
    assert row.get("gia_tri") == 2_000_000_000
    assert row.get("ngay_khoi_cong") == date(2020, 3, 15)
    assert row.get("de_nghi_gan_bien") == "Có"
    bad = row.values["ngay_hoan_thanh"]
    assert not bad.ok and bad.value is None and bad.raw == "31/2/2020" and bad.cell == "H5"
    got = sorted((p.msg.code, p.sheet, p.cell) for p in ret.problems)
    assert got == sorted([
        (Msg.CONVERTED_TCVN3.code, "Thông tin", "B11"),
        (Msg.DATE_FROM_TEXT.code, "Thông tin", "B13"),
        (Msg.NUMBER_FROM_TEXT.code, "Thông tin", "B16"),
        (Msg.CONVERTED_VNI.code, "Công trình, sản phẩm", "B5"),  # one note: B5 and B14
        (Msg.NUMBER_FROM_TEXT.code, "Công trình, sản phẩm", "F5"),
        (Msg.DATE_FROM_TEXT.code, "Công trình, sản phẩm", "G5"),
        (Msg.NOT_A_DATE.code, "Công trình, sản phẩm", "H5"),
        (Msg.CHOICE_FROM_TEXT.code, "Công trình, sản phẩm", "I5"),
    ] + [(Msg.SHEET_MISSING.code, s, "") for s in
         ("Đăng ký thi đua", "Sáng kiến", "Khen tập thể", "Khen cá nhân", "Kết quả")])
    vni = next(p for p in ret.problems if p.msg is Msg.CONVERTED_VNI)
    assert vni.value == 2 and "Thông tin: B14" in vni.detail and "B5" in vni.detail
    not_date = next(p for p in ret.problems if p.msg is Msg.NOT_A_DATE)
    assert not_date.field == "Ngày hoàn thành" and not_date.value == "31/2/2020"
    assert not_date.file == "LD01.xlsx"


def test_merged_cells_and_formula(tmp_path):
    works = [{"Tên công trình, sản phẩm": "Đường bê tông", "Đơn vị thực hiện": "CĐ xã"},
             {"Tên công trình, sản phẩm": "", "Đơn vị thực hiện": "CĐ xã"}]
    path = build_return(tmp_path / "LD01.xlsx", {"Thông tin": INFO, "Công trình, sản phẩm": works},
                        merges={"Công trình, sản phẩm": ["B5:B6"]},
                        formulas={"Công trình, sản phẩm": {"F5": ("=2*750000", 1500000)}})
    ret = read_return(path, CAMPAIGN)
    rows = ret.tables["cong_trinh"]
    assert [r.get("ten") for r in rows] == ["Đường bê tông", None]
    assert rows[0].get("gia_tri") == 1_500_000
    merged = [p for p in ret.problems if p.msg is Msg.MERGED_CELLS]
    assert [(p.sheet, p.value) for p in merged] == [("Công trình, sản phẩm", "B5:B6")]
    formula = [p for p in ret.problems if p.msg is Msg.FORMULA_VALUE]
    assert [(p.cell, p.value, p.field) for p in formula] == [("F5", 1_500_000, "Giá trị (đồng)")]


def test_error_values_and_formulas_saved_without_value(tmp_path):
    works = [{"Tên công trình, sản phẩm": "Đường bê tông", "Đơn vị thực hiện": "CĐ xã"}]
    sheet = "Công trình, sản phẩm"
    path = build_return(tmp_path / "LD01.xlsx", {"Thông tin": INFO, sheet: works},
                        formulas={sheet: {"F5": ("=VLOOKUP(A1,Z:Z,2,0)", "#N/A")}},
                        cells={sheet: {"H5": "=G5+30"}})  # openpyxl saves no value
    ret = read_return(path, CAMPAIGN)
    row = ret.tables["cong_trinh"][0]
    assert row.get("gia_tri") is None and not row.values["gia_tri"].ok
    error = next(p for p in ret.problems if p.msg is Msg.CELL_ERROR)
    assert (error.cell, error.field) == ("F5", "Giá trị (đồng)")
    assert "ô có lỗi công thức #N/A" in error.text
    assert codes(ret, Msg.FORMULA_NO_VALUE) == [(sheet, "H5")]


def test_an_error_value_pasted_without_its_formula_is_found(tmp_path):
    """A sheet holding an error value and no formula at all (pasted as values) is still
    scanned for it: calamine reads the error as an empty cell."""
    works = [{"Tên công trình, sản phẩm": "Đường bê tông", "Đơn vị thực hiện": "CĐ xã"}]
    sheet = "Công trình, sản phẩm"
    built = build_return(tmp_path / "built.xlsx", {"Thông tin": INFO, sheet: works},
                         formulas={sheet: {"F5": ("=VLOOKUP(A1,Z:Z,2,0)", "#N/A")}})
    path = tmp_path / "LD01.xlsx"
    with zipfile.ZipFile(built) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if b"<f>" in data:
                data = re.sub(rb"<f>[^<]*</f>", b"", data)
            dst.writestr(info, data)
    ret = read_return(path, CAMPAIGN)
    assert not codes(ret, Msg.FORMULA_VALUE)
    error = next(p for p in ret.problems if p.msg is Msg.CELL_ERROR)
    assert (error.sheet, error.cell, error.value) == (sheet, "F5", "#N/A")


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice not installed")
@pytest.mark.parametrize("fmt", ["xls", "ods"])
def test_error_values_of_xls_and_ods_files(tmp_path, fmt):
    works = [{"Tên công trình, sản phẩm": "Đường bê tông", "Đơn vị thực hiện": "CĐ xã"}]
    sheet = "Công trình, sản phẩm"
    path = build_return(tmp_path / f"LD01.{fmt}", {"Thông tin": INFO, sheet: works}, fmt=fmt,
                        cells={sheet: {"F5": "=NA()"}})
    ret = read_return(path, CAMPAIGN)
    error = next(p for p in ret.problems if p.msg is Msg.CELL_ERROR)
    assert (error.cell, error.value) == ("F5", "#N/A")


def test_an_undecidable_legacy_looking_cell_is_a_warning_naming_it(tmp_path):
    works = [{"Tên công trình, sản phẩm": "Đường bê tông", "Đơn vị thực hiện": "CĐ xã",
              "Ghi chú": "Coca-Cola® ¬A"}]
    path = build_return(tmp_path / "LD01.xlsx", {"Thông tin": INFO,
                                                  "Công trình, sản phẩm": works})
    ret = read_return(path, CAMPAIGN)
    assert ret.tables["cong_trinh"][0].get("ghi_chu") == "Coca-Cola® ¬A"  # kept as typed
    undecided = [(p.sheet, p.cell, p.field, p.value) for p in ret.problems
                 if p.msg is Msg.LEGACY_UNDECIDED]
    assert undecided == [("Công trình, sản phẩm", "J5", "Ghi chú", "Coca-Cola® ¬A")]


def test_a_fixed_row_present_twice_is_a_warning_naming_both_rows(tmp_path):
    indicators = [i.title for i in CAMPAIGN.indicators]
    results = fixed_rows(RESULTS, indicators, {indicators[0]: {"Kết quả": 10}})
    results.append({"Chỉ tiêu": indicators[0], "Kết quả": 787})
    movements = fixed_rows(REGISTRATION, CAMPAIGN.movements[:1], {
        CAMPAIGN.movements[0]: {"Đăng ký": "Có", "Số CĐCS tham gia": 10}})
    path = build_return(tmp_path / "LD01.xlsx", {"Thông tin": INFO, "Kết quả": results,
                                                  "Đăng ký thi đua": movements * 2})
    ret = read_return(path, CAMPAIGN)
    first = [r for r in ret.tables["ket_qua"] if r.get("chi_tieu") == indicators[0]]
    assert [r.get("gia_tri") for r in first] == [10]  # never replaced by the repetition
    assert len(ret.tables["dang_ky"]) == 1  # never counted twice
    twice = sorted((p.sheet, p.value, p.expected, p.detail) for p in ret.problems
                   if p.msg is Msg.DUPLICATE_ROW)
    assert twice == [("Kết quả", indicators[0], 5, str(5 + len(indicators))),
                     ("Đăng ký thi đua", CAMPAIGN.movements[0], 5, "6")]


def test_a_table_is_read_to_its_last_row_whatever_the_blank_gap(tmp_path):
    late = dict(PERSON, **{"Họ và tên": "Triệu Quang Phúc"})
    path = build_return(tmp_path / "LD01.xlsx", {
        "Thông tin": INFO, "Khen cá nhân": [PERSON] + [{}] * 600 + [late]})
    ret = read_return(path, CAMPAIGN)
    rows = ret.tables["khen_ca_nhan"]
    assert [(r.get("ho_ten"), r.number) for r in rows] == [
        ("Nông Thị Hoa", 5), ("Triệu Quang Phúc", 606)]


def test_unknown_fixed_row(tmp_path):
    rows = fixed_rows(RESULTS, [i.title for i in CAMPAIGN.indicators])
    rows.insert(2, {"Chỉ tiêu": "Số cây xanh trồng mới", "Kết quả": 40})
    rows[0]["Chỉ tiêu"] = "số CĐCS  tổ chức phát động thi đua"  # case and spaces
    path = build_return(tmp_path / "LD01.xlsx", {"Thông tin": INFO, "Kết quả": rows})
    ret = read_return(path, CAMPAIGN)
    got = [r.get("chi_tieu") for r in ret.tables["ket_qua"]]
    assert got == [i.title for i in CAMPAIGN.indicators]
    assert [(p.value, p.cell) for p in ret.problems if p.msg is Msg.ROW_NOT_IN_FORM] == [
        ("Số cây xanh trồng mới", "B7")]


@pytest.mark.parametrize("fmt", ["xls", "ods"])
def test_other_formats(tmp_path, fmt):
    path = full_return(tmp_path, f"LD01.{fmt}", fmt=fmt)
    ret = read_return(path, CAMPAIGN)
    assert [p.msg for p in ret.problems] == []
    assert ret.meta.unit_code == "LD01" and ret.meta.phase == 1
    assert ret.info_value("ngay_bao_cao") == date(2020, 6, 25)
    assert ret.info_value("tong_cnvcld") == 1500
    person = ret.tables["khen_ca_nhan"][0]
    assert person.get("ho_ten") == "Nông Thị Hoa" and person.cell("nam_sinh") == "D5"
    assert person.get("nam_sinh") == 1985
    assert ret.free_text["ket_qua"].value == "Phong trào sôi nổi."


# --- round trip with the real template --------------------------------------------------------

def _sample(field, campaign, unit_type, i):
    """A value of every field type, as a unit would type it into the template."""
    if field.type is FieldType.INTEGER:
        return 1980 + i if field.key == "nam_sinh" else 3 + i
    if field.type in (FieldType.NUMBER, FieldType.MONEY):
        return 1_500_000 + i if field.type is FieldType.MONEY else 2.5 + i
    if field.type is FieldType.DATE:
        return date(2020, 3, 1 + i)
    if field.type is FieldType.YESNO:
        return "Có" if i % 2 == 0 else "Không"
    if field.type is FieldType.PHONE:
        return "0912345678"
    if field.type is FieldType.EMAIL:
        return "ld01@congdoancaobang.vn"
    if field.type is FieldType.CHOICE:
        choices = (field.choices if isinstance(field.choices, tuple)
                   else campaign.choices(field.choices, unit_type))
        return choices[i % len(choices)]
    if field.type is FieldType.LONGTEXT:
        return f"Thành tích số {i + 1}\ndòng hai"
    return f"{field.title} {i + 1} – Nguyễn Thị Ánh"


def test_round_trip_with_template_writer(tmp_path):
    import openpyxl
    from openpyxl.utils import get_column_letter

    from workbook_templates.forms import FIRST_DATA_ROW
    from workbook_templates.template_writer import write_unit_workbook

    unit = CAMPAIGN.unit("LD01")
    path = write_unit_workbook(tmp_path / "LD01_Dot1_2020.xlsx", CAMPAIGN, unit, 1)
    wb = openpyxl.load_workbook(path)
    expected: dict = {}
    for form in UNIT_FORMS:
        ws = wb[form.sheet]
        if form.layout is Layout.RECORD:
            labels = {ws.cell(r, 1).value: r for r in range(1, ws.max_row + 1)}
            for i, f in enumerate(form.entry_fields):
                value = _sample(f, CAMPAIGN, unit.type, i)
                ws.cell(labels[f.title], 2, value)
                expected[("info", f.key)] = value
            continue
        n = 3 if form.layout is Layout.TABLE else len(CAMPAIGN.row_items(form.row_source))
        for i in range(n):
            for c, f in enumerate(form.fields, start=1):
                if f in form.entry_fields:
                    value = _sample(f, CAMPAIGN, unit.type, i)
                    ws.cell(FIRST_DATA_ROW + i, c, value)
                    expected[(form.key, i, f.key)] = (value, f"{get_column_letter(c)}"
                                                             f"{FIRST_DATA_ROW + i}")
        if form.free_text is not None:
            label = next(r for r in range(1, ws.max_row + 1)
                         if ws.cell(r, 1).value == form.free_text.title)
            ws.cell(label + 1, 1, "Đánh giá chung của đơn vị")
            expected[(form.key, "free")] = "Đánh giá chung của đơn vị"
    wb.save(path)

    ret = read_return(path, CAMPAIGN)
    assert ret.problems == []
    assert ret.meta.present and ret.meta.unit_code == "LD01" and ret.meta.phase == 1
    assert ret.info_value("ma_don_vi") == "LD01" and ret.info_value("dot") == 1
    for key, value in expected.items():
        if key[0] == "info":
            assert ret.info_value(key[1]) == value, key
        elif key[1] == "free":
            assert ret.free_text[key[0]].value == value
        else:
            form_key, i, field_key = key
            row = ret.tables[form_key][i]
            assert (row.get(field_key), row.cell(field_key)) == value, key
    for form in UNIT_FORMS:
        if form.layout is Layout.TABLE:
            assert len(ret.tables[form.key]) == 3
        elif form.layout is Layout.FIXED:
            assert [r.get(form.row_key) for r in ret.tables[form.key]] == \
                CAMPAIGN.row_items(form.row_source)


EXCEL_WEB_PAGE = ('<html xmlns:o="urn:schemas-microsoft-com:office:office" '
                  'xmlns:x="urn:schemas-microsoft-com:office:excel">\n<head><meta charset="utf-8">'
                  '</head><body><table><tr><td>Mã đơn vị</td><td>LD01</td></tr></table></body>'
                  '</html>').encode("utf-8")
XML_SPREADSHEET = ('<?xml version="1.0"?>\n<?mso-application progid="Excel.Sheet"?>\n'
                   '<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" '
                   'xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet">'
                   '<Worksheet ss:Name="Thông tin"><Table><Row><Cell><Data ss:Type="String">'
                   'Mã đơn vị</Data></Cell></Row></Table></Worksheet></Workbook>').encode("utf-8")


@pytest.mark.parametrize("name, content, what", [
    ("LD01.xls", EXCEL_WEB_PAGE, "trang web (HTML)"),
    ("LD01.xls", b"\xef\xbb\xbf  " + EXCEL_WEB_PAGE, "trang web (HTML)"),
    ("LD01.xls", XML_SPREADSHEET, "XML Spreadsheet"),
    ("LD01.xlsx", "Mã đơn vị;Tên\nLD01;LĐLĐ huyện\n".encode("utf-8"), "CSV"),
    ("LD01.xls", "\ufeffMã đơn vị\tTên\r\nLD01\tA\r\n".encode("utf-16-le"), "CSV"),
    ("LD01.xlsx", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF"),
])
def test_other_formats_under_a_spreadsheet_name_are_named(tmp_path, name, content, what):
    path = tmp_path / name
    path.write_bytes(content)
    problem = _failure(path)
    assert problem.msg is Msg.FILE_DISGUISED and problem.file == name
    assert what in problem.detail and problem.value == path.suffix
    assert "Save As" in problem.text and "\\x" not in problem.text
