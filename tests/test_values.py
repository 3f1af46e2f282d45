"""What people type, read per field type: table-driven."""
from datetime import date, datetime

import pytest

from workbook_templates.forms import FieldType
from workbook_templates.messages import Msg
from workbook_templates.values import match_choice, parse, yes_no

N, I, M, D, Y = (FieldType.NUMBER, FieldType.INTEGER, FieldType.MONEY, FieldType.DATE,
                 FieldType.YESNO)
TEXT = Msg.NUMBER_FROM_TEXT

CASES = [
    # numbers: (raw, type, value, msg)
    (1500000.0, M, 1500000, None),
    (2.75, N, 2.75, None),
    ("1.500.000", M, 1500000, TEXT),
    ("1,500,000", M, 1500000, TEXT),
    ("1 500 000", M, 1500000, TEXT),
    ("1.500.000 đ", M, 1500000, TEXT),
    ("3.000.000đ", M, 3000000, TEXT),
    ("1.500.000 VNĐ", M, 1500000, TEXT),
    ("1,5 triệu", M, 1500000, TEXT),
    ("1,5 triệu đồng", M, 1500000, TEXT),
    ("2 tỷ", M, 2000000000, TEXT),
    ("15 nghìn", M, 15000, TEXT),
    ("1,5", N, 1.5, TEXT),
    ("1.500.000,50", N, 1500000.5, TEXT),
    ("1,500,000.50", N, 1500000.5, TEXT),
    ("0,500", N, 0.5, TEXT),
    ("-3", N, -3, TEXT),
    ("abc", N, None, Msg.NOT_A_NUMBER),
    ("12.5.3", N, None, Msg.NOT_A_NUMBER),
    (True, N, None, Msg.NOT_A_NUMBER),
    ("", N, None, None),
    ("   ", N, None, None),
    # integers
    (3.0, I, 3, None),
    (2.5, I, None, Msg.NOT_AN_INTEGER),
    ("3", I, 3, TEXT),
    ("2,5", I, None, Msg.NOT_AN_INTEGER),
    ("1.980", I, 1980, TEXT),
    ("năm", I, None, Msg.NOT_AN_INTEGER),
    # dates
    (datetime(2020, 3, 15, 10, 30), D, date(2020, 3, 15), None),
    (date(2020, 3, 15), D, date(2020, 3, 15), None),
    (43905.0, D, date(2020, 3, 15), None),  # an Excel serial number (.xls)
    ("15/3/2020", D, date(2020, 3, 15), Msg.DATE_FROM_TEXT),
    ("15-03-2020", D, date(2020, 3, 15), Msg.DATE_FROM_TEXT),
    ("15.3.2020", D, date(2020, 3, 15), Msg.DATE_FROM_TEXT),
    ("2020-03-15", D, date(2020, 3, 15), Msg.DATE_FROM_TEXT),
    ("15/3/20", D, date(2020, 3, 15), Msg.DATE_FROM_TEXT),
    ("3/4/2020", D, date(2020, 4, 3), Msg.DATE_FROM_TEXT),  # day first, always
    ("ngày 15 tháng 3 năm 2020", D, date(2020, 3, 15), Msg.DATE_FROM_TEXT),
    ("Ngày 05 tháng 12 năm 2020", D, date(2020, 12, 5), Msg.DATE_FROM_TEXT),
    ("15/03/2020 00:00:00", D, date(2020, 3, 15), Msg.DATE_FROM_TEXT),
    ("31/2/2020", D, None, Msg.NOT_A_DATE),
    ("13/13/2020", D, None, Msg.NOT_A_DATE),
    ("hôm qua", D, None, Msg.NOT_A_DATE),
    (-5.0, D, None, Msg.NOT_A_DATE),
    # yes / no
    ("Có", Y, "Có", None),
    ("Không", Y, "Không", None),
    ("có", Y, "Có", Msg.CHOICE_FROM_TEXT),
    ("co", Y, "Có", Msg.CHOICE_FROM_TEXT),
    ("x", Y, "Có", Msg.CHOICE_FROM_TEXT),
    ("X", Y, "Có", Msg.CHOICE_FROM_TEXT),
    ("yes", Y, "Có", Msg.CHOICE_FROM_TEXT),
    ("1", Y, "Có", Msg.CHOICE_FROM_TEXT),
    ("✓", Y, "Có", Msg.CHOICE_FROM_TEXT),
    (1.0, Y, "Có", Msg.CHOICE_FROM_TEXT),
    (True, Y, "Có", Msg.CHOICE_FROM_TEXT),
    ("không", Y, "Không", Msg.CHOICE_FROM_TEXT),
    ("k", Y, "Không", Msg.CHOICE_FROM_TEXT),
    ("no", Y, "Không", Msg.CHOICE_FROM_TEXT),
    ("0", Y, "Không", Msg.CHOICE_FROM_TEXT),
    ("Cã", Y, "Có", Msg.CHOICE_FROM_TEXT),  # TCVN3 "Có"
    ("Kh«ng", Y, "Không", Msg.CHOICE_FROM_TEXT),  # TCVN3 "Không"
    ("", Y, None, None),
    ("có lẽ", Y, None, Msg.NOT_A_CHOICE),
    # phone
    ("0912 345 678", FieldType.PHONE, "0912345678", None),
    ("0912.345.678", FieldType.PHONE, "0912345678", None),
    ("091-234-5678", FieldType.PHONE, "0912345678", None),
    ("+84 912 345 678", FieldType.PHONE, "0912345678", None),
    ("0206 3852 123", FieldType.PHONE, "02063852123", None),
    (912345678.0, FieldType.PHONE, "0912345678", None),  # Excel ate the leading zero
    ("12345", FieldType.PHONE, None, Msg.BAD_PHONE),
    ("09123456789012", FieldType.PHONE, None, Msg.BAD_PHONE),
    ("không có", FieldType.PHONE, None, Msg.BAD_PHONE),
    # email
    (" congdoan@gmail.com ", FieldType.EMAIL, "congdoan@gmail.com", None),
    ("mailto:a.b@congdoancaobang.vn", FieldType.EMAIL, "a.b@congdoancaobang.vn", None),
    ("congdoan.gmail.com", FieldType.EMAIL, "congdoan.gmail.com", Msg.BAD_EMAIL),
    # text
    ("  Nguyễn   Văn\u00a0A ", FieldType.TEXT, "Nguyễn Văn A", None),
    ("NguyÔn V¨n §øc", FieldType.TEXT, "Nguyễn Văn Đức", Msg.CONVERTED_TCVN3),
    ("Nguyeãn Vaên Ñöùc", FieldType.TEXT, "Nguyễn Văn Đức", Msg.CONVERTED_VNI),
    ("Café Trung Nguyên", FieldType.TEXT, "Café Trung Nguyên", None),
    (1980.0, FieldType.TEXT, "1980", None),
    ("dòng 1\ndòng  2", FieldType.LONGTEXT, "dòng 1\ndòng 2", None),
    ("", FieldType.TEXT, None, None),
    # issue 13: numbers as accountants write them, and what no form may take
    ("50%", N, 0.5, TEXT),
    ("12,5%", N, 0.125, TEXT),
    ("\u22125", N, -5, TEXT),  # Unicode minus
    ("(5)", N, -5, TEXT),
    ("(1.500.000)", M, -1500000, TEXT),
    ("(-5)", N, None, Msg.NOT_A_NUMBER),
    ("50%", I, None, Msg.NOT_AN_INTEGER),
    (float("nan"), M, None, Msg.NOT_FINITE),
    (float("inf"), N, None, Msg.NOT_FINITE),
    (float("-inf"), I, None, Msg.NOT_FINITE),
    (1e309, M, None, Msg.NOT_FINITE),
    ("1e309", N, None, Msg.NOT_A_NUMBER),
    (1e16, M, None, Msg.NUMBER_TOO_LARGE),
    ("2.000.000 tỷ", M, None, Msg.NUMBER_TOO_LARGE),
    (10 ** 15, M, 10 ** 15, None),
    (float("nan"), FieldType.TEXT, None, Msg.NOT_FINITE),
    (float("inf"), D, None, Msg.NOT_A_DATE),
    # dates: a bare year is no date, never 12/07/1905
    (2020, D, None, Msg.DATE_YEAR_ONLY),
    (2020.0, D, None, Msg.DATE_YEAR_ONLY),
    ("2020", D, None, Msg.DATE_YEAR_ONLY),
    (43997, D, date(2020, 6, 15), None),
    ("15/3/95", D, date(1995, 3, 15), Msg.DATE_FROM_TEXT),
    ("15/3/20", D, date(2020, 3, 15), Msg.DATE_FROM_TEXT),
    # Excel error values, as some formats give them in the text
    ("#N/A", FieldType.TEXT, None, Msg.CELL_ERROR),
    ("#DIV/0!", N, None, Msg.CELL_ERROR),
    # control and bidi-override characters
    ("Nguyễn\u202e Văn A", FieldType.TEXT, "Nguyễn Văn A", Msg.CONTROL_STRIPPED),
    ("Lê\x07 Thị B", FieldType.TEXT, "Lê Thị B", Msg.CONTROL_STRIPPED),
    ("dòng 1\ndòng 2\x0b", FieldType.LONGTEXT, "dòng 1\ndòng 2", Msg.CONTROL_STRIPPED),
    # mixed cells: the legacy part converts, the Unicode part stays
    ("Hoµng ThÞ Lan (Tổ trưởng)", FieldType.TEXT, "Hoàng Thị Lan (Tổ trưởng)",
     Msg.CONVERTED_TCVN3),
    ("Hoµng ThÞ Lan ✓", FieldType.TEXT, "Hoàng Thị Lan ✓", Msg.CONVERTED_TCVN3),
    ("5 × 3 m", FieldType.TEXT, "5 × 3 m", None),
    ("Coca-Cola® \u00acA", FieldType.TEXT, "Coca-Cola® \u00acA", Msg.LEGACY_UNDECIDED),
]

# One vocabulary of yes and no, in returns, the clerk's Duyệt, settings, register, documents.
YES_WORDS = ["Có", "có", "CÓ", "co", "c", "x", "X", "✓", "✔", "☑", "√", "ok", "OK", "Ok",
             "đồng ý", "Đồng ý", "dong y", "1", 1, 1.0, True, "true", "TRUE", "y", "Y", "yes",
             "đúng", "duyệt", "Cã", "Coù", "®ång ý", "ñoàng yù"]
NO_WORDS = ["Không", "không", "KHÔNG", "khong", "k", "ko", "kh", "0", 0, False, "false", "n",
            "no", "sai", "không đồng ý", "Kh«ng", "Khoâng"]


@pytest.mark.parametrize("raw,ftype,value,msg", CASES)
def test_parse(raw, ftype, value, msg):
    parsed = parse(raw, ftype)
    assert parsed.value == value
    assert type(parsed.value) is type(value)
    assert parsed.msg is msg
    assert parsed.ok is (msg is None or msg.severity.name != "ERROR")


@pytest.mark.parametrize("value,choices,expected", [
    ("Nữ", ("Nam", "Nữ"), "Nữ"),
    ("nữ", ("Nam", "Nữ"), "Nữ"),
    ("Nu", ("Nam", "Nữ"), "Nữ"),
    (" NAM ", ("Nam", "Nữ"), "Nam"),
    ("N÷", ("Nam", "Nữ"), "Nữ"),  # TCVN3
    ("Nöõ", ("Nam", "Nữ"), "Nữ"),  # VNI
    ("Ty", ("Tày", "Tý"), "Tý"),  # "ty" folds only from "Tý"
    ("Ta", ("Tà", "Tá"), None),  # ambiguous
    ("Thai", ("Thái", "Tày"), "Thái"),
    ("bằng khen của bch lđlđ tỉnh", ("Bằng khen của BCH LĐLĐ tỉnh",),
     "Bằng khen của BCH LĐLĐ tỉnh"),
    ("Khác", ("Nam", "Nữ"), None),
    (None, ("Nam",), None),
])
def test_match_choice(value, choices, expected):
    assert match_choice(value, choices) == expected


@pytest.mark.parametrize("raw", YES_WORDS)
def test_every_way_of_writing_yes(raw):
    assert parse(raw, Y).value == "Có" and yes_no(raw) is True


@pytest.mark.parametrize("raw", NO_WORDS)
def test_every_way_of_writing_no(raw):
    assert parse(raw, Y).value == "Không" and yes_no(raw) is False


@pytest.mark.parametrize("raw", ["", None, "  ", "có lẽ", "2", "?"])
def test_neither_yes_nor_no(raw):
    assert yes_no(raw) is None
