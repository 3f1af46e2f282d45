"""Vietnamese text repair: NFC and spaces, TCVN3 and VNI detection and conversion."""
import unicodedata

import pytest

from workbook_templates.vntext import (
    Encoding, Hint, fold, from_tcvn3, from_vni, is_vietnamese_syllable, normalize_text,
    repair, to_tcvn3, to_vni,
)


def fix_legacy(text):
    """The text and encoding :func:`repair` decides on content alone."""
    return tuple(repair(text)[:2])

WORDS = [
    "Nguyễn Văn Đức",
    "Liên đoàn Lao động tỉnh Cao Bằng",
    "Công đoàn",
    "Trùng Khánh",
    "Giỏi việc nước, đảm việc nhà",
    "Người lập biểu Hoàng Thị Tuyết",
    "Uỷ ban nhân dân huyện Quảng Hòa",
    "Phụ nữ",
]
CAPITALS = ["LIÊN ĐOÀN LAO ĐỘNG TỈNH CAO BẰNG", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "ĐOÀN THANH NIÊN"]


def test_known_encodings_of_known_words():
    assert to_tcvn3("Nguyễn Văn Đức") == "NguyÔn V¨n §øc"
    assert to_vni("Nguyễn Văn Đức") == "Nguyeãn Vaên Ñöùc"
    assert to_tcvn3("Công đoàn") == "C«ng ®oµn"
    assert to_vni("Trùng Khánh") == "Truøng Khaùnh"
    assert to_tcvn3("nước") == "n\xadíc"  # ư is TCVN3 0xAD, the soft hyphen of Windows-1252


@pytest.mark.parametrize("text", WORDS + CAPITALS)
def test_tcvn3_round_trip_detected(text):
    assert fix_legacy(to_tcvn3(text)) == (text, Encoding.TCVN3)


@pytest.mark.parametrize("text", WORDS + CAPITALS)
def test_vni_round_trip_detected(text):
    assert fix_legacy(to_vni(text)) == (text, Encoding.VNI)


def test_every_letter_both_tables():
    lower = ("àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ")
    assert len(lower) == 67
    letters = lower + lower.upper()  # 134 letters
    assert from_vni(to_vni(letters)) == letters
    # TCVN3 writes tone-marked capitals with the lowercase code (.VnTimeH draws them)
    assert from_tcvn3(to_tcvn3(lower)) == lower
    assert from_tcvn3(to_tcvn3(lower.upper()), capitals=True) == lower.upper()
    assert len(set(to_tcvn3(lower))) == 67
    for capital in "ĂÂĐÊÔƠƯ":
        assert from_tcvn3(to_tcvn3(capital)) == capital


def test_vntimeh_capitals_read_as_capitals():
    assert from_tcvn3("§OµN TH¦êNG Vô") == "ĐOÀN THƯỜNG VỤ"
    assert fix_legacy("LAO §éNG N÷") == ("LAO ĐỘNG NỮ", Encoding.TCVN3)
    # a mixed-case word keeps its case; .VnTime has no "Ủ", so a lone capital reads lowercase
    # "ñy" is TCVN3 "ủy" or VNI "đy": the content cannot tell, the .VnTime font does
    assert repair(to_tcvn3("Ủy ban"), Hint.TCVN3)[:2] == ("ủy ban", Encoding.TCVN3)
    assert fix_legacy(to_vni("Ủy ban")) == ("Ủy ban", Encoding.VNI)
    assert fix_legacy("Hoµng ThÞ Lan") == ("Hoàng Thị Lan", Encoding.TCVN3)


@pytest.mark.parametrize("text", WORDS + CAPITALS + [
    "Café Hôtel de Ville", "Hélène Dupont", "Công ty Café Trung Nguyên", "résumé", "naïve",
    "Có", "Không", "Bé Tý", "São Paulo", "x", "Nguyễn Văn A, 1980", "Tú",
])
def test_real_text_is_left_alone(text):
    assert fix_legacy(text) == (text, None)


def test_ascii_is_not_legacy():
    assert fix_legacy("Nguyen Van A") == ("Nguyen Van A", None)


def test_syllables():
    for word in ("nguyễn", "khánh", "trường", "quốc", "giữa", "thuở", "Đức", "oanh", "khuya"):
        assert is_vietnamese_syllable(word), word
    for word in ("café", "hôtel", "khỏnh", "bàt", "ươ", "ngsa", "nguyờn"):
        assert not is_vietnamese_syllable(word), word


def test_normalize_text():
    nfd = unicodedata.normalize("NFD", "Nguyễn")
    assert normalize_text(f"  {nfd}\u00a0 Văn\u200b  A \n") == "Nguyễn Văn A"
    assert normalize_text(" dòng 1 \r\n\r\n  dòng   2 ", keep_newlines=True) == "dòng 1\n\ndòng 2"
    assert normalize_text(None) == ""


def test_fold():
    assert fold("  Đăng  ký THI đua ") == "dang ky thi dua"
