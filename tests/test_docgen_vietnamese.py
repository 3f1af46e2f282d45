"""Money in words, amounts, dates, document numbers and name order (table-driven)."""
from datetime import date

import pytest

from docgen.vietnamese import (
    date_line, document_number, grouped, money, money_in_words, name_sort_key,
    number_in_words, text_sort_key)


@pytest.mark.parametrize("n, words", [
    (0, "không"),
    (5, "năm"),
    (10, "mười"),
    (11, "mười một"),
    (14, "mười bốn"),
    (15, "mười lăm"),
    (20, "hai mươi"),
    (21, "hai mươi mốt"),
    (24, "hai mươi tư"),
    (25, "hai mươi lăm"),
    (101, "một trăm linh một"),
    (104, "một trăm linh bốn"),
    (105, "một trăm linh năm"),
    (110, "một trăm mười"),
    (115, "một trăm mười lăm"),
    (1_005_000, "một triệu không trăm linh năm nghìn"),
    (1_000_005, "một triệu không trăm linh năm"),
    (1_490_000, "một triệu bốn trăm chín mươi nghìn"),
    (2_000_000_000, "hai tỷ"),
    (1_000_000_000_000, "một nghìn tỷ"),
    (3_021_000_000_000, "ba nghìn không trăm hai mươi mốt tỷ"),
])
def test_number_in_words(n, words):
    assert number_in_words(n) == words


def test_money_in_words_capitalised_with_dong_and_le_variant():
    assert money_in_words(1_490_000) == "Một triệu bốn trăm chín mươi nghìn đồng"
    assert money_in_words(11_920_000) == "Mười một triệu chín trăm hai mươi nghìn đồng"
    assert money_in_words(105, zero_tens="lẻ") == "Một trăm lẻ năm đồng"


@pytest.mark.parametrize("value, text", [
    (1_490_000, "1.490.000 đồng"), (0, "0 đồng"), (999, "999 đồng"),
    (11_920_000.0, "11.920.000 đồng"),
])
def test_money(value, text):
    assert money(value) == text


def test_grouped_decimal_uses_comma():
    assert grouped(1234.5) == "1.234,5"


@pytest.mark.parametrize("d, line", [
    (date(2020, 1, 5), "Cao Bằng, ngày 05 tháng 01 năm 2020"),
    (date(2020, 2, 28), "Cao Bằng, ngày 28 tháng 02 năm 2020"),
    (date(2020, 3, 9), "Cao Bằng, ngày 09 tháng 3 năm 2020"),
    (date(2020, 12, 15), "Cao Bằng, ngày 15 tháng 12 năm 2020"),
])
def test_date_line(d, line):
    assert date_line("Cao Bằng", d) == line


@pytest.mark.parametrize("n, text", [(5, "Số: 05/QĐ-LĐLĐ"), (10, "Số: 10/QĐ-LĐLĐ"),
                                     (123, "Số: 123/QĐ-LĐLĐ")])
def test_document_number(n, text):
    assert document_number(n, "QĐ-LĐLĐ") == text


@pytest.mark.parametrize("names", [
    # a < ă < â; tones: none, huyền, hỏi, ngã, sắc, nặng
    ["Nguyễn Văn An", "Phạm Thị Ăn", "Lê Văn Ân"],
    ["Lê Thị Ma", "Lê Thị Mà", "Lê Thị Mả", "Lê Thị Mã", "Lê Thị Má", "Lê Thị Mạ"],
    ["Trần Văn Dũng", "Trần Văn Đạt"],  # d < đ
    ["Vũ Thị Ánh", "Hoàng Văn Bình"],  # given name decides before family name
    ["Nguyễn Văn Hùng", "Nguyễn Vĩnh Hùng"],  # then middle name
    ["Bế Văn Long", "Lục Văn Long"],  # then family name
    ["Lê Văn Oanh", "Lê Thị Ông", "Lê Thị Ơn", "Lê Văn Phúc"],  # o < ô < ơ < p
    ["Hà Thị Uyên", "Hà Thị Ưng", "Hà Thị Vân"],  # u < ư < v
])
def test_name_order(names):
    assert sorted(reversed(names), key=name_sort_key) == names


def test_text_order_for_collectives():
    names = ["Tổ Công nghệ", "Tổ Cơ điện", "Tổ Đo lường", "Tổ Ép"]  # ô < ơ
    assert sorted(reversed(names), key=text_sort_key) == names
