"""A sample of realistic cells in TCVN3 (ABC), TCVN3 capitals (.VnTimeH) and VNI-Windows,
encoded with UniKey's published converter tables (VnConv, ``ukengine/data.cpp`` of the UniKey
project, Pham Kim Long), not with this project's encoder; and genuine Unicode cells with
symbols and foreign words that must come back unchanged.
"""
from __future__ import annotations

import random
import unicodedata

# UniKey's order: per vowel, capital then small letter, plain then sắc, huyền, hỏi, ngã, nặng.
_TONES = ("", "\u0301", "\u0300", "\u0309", "\u0303", "\u0323")
_VOWELS = "a â ă e ê i o ô ơ u ư y".split()
# VnConv SingleByteTables, TCVN3: 12 codes per vowel in the order above; then Đ đ.
_TCVN3 = {
    "a": "Aa¸¸µµ¶¶··¹¹", "â": "¢©ÊÊÇÇÈÈÉÉËË", "ă": "¡¨¾¾»»¼¼½½ÆÆ", "e": "EeÐÐÌÌÎÎÏÏÑÑ",
    "ê": "£ªÕÕÒÒÓÓÔÔÖÖ", "i": "IiÝÝ××ØØÜÜÞÞ", "o": "Ooããßßááââää", "ô": "¤«èèååææççéé",
    "ơ": "¥¬ííêêëëììîî", "u": "Uuóóïïññòòôô", "ư": "¦\xadøøõõöö÷÷ùù", "y": "Yyýýúúûûüüþþ",
}
_TCVN3_D = "§®"
# VnConv DoubleByteTables, VNI-WIN: a word per letter, low byte the base, high byte the mark.
_VNI = {
    "a": "0041 0061 d941 f961 d841 f861 db41 fb61 d541 f561 cf41 ef61",
    "â": "c241 e261 c141 e161 c041 e061 c541 e561 c341 e361 c441 e461",
    "ă": "ca41 ea61 c941 e961 c841 e861 da41 fa61 dc41 fc61 cb41 eb61",
    "e": "0045 0065 d945 f965 d845 f865 db45 fb65 d545 f565 cf45 ef65",
    "ê": "c245 e265 c145 e165 c045 e065 c545 e565 c345 e365 c445 e465",
    "i": "0049 0069 00cd 00ed 00cc 00ec 00c6 00e6 00d3 00f3 00d2 00f2",
    "o": "004f 006f d94f f96f d84f f86f db4f fb6f d54f f56f cf4f ef6f",
    "ô": "c24f e26f c14f e16f c04f e06f c54f e56f c34f e36f c44f e46f",
    "ơ": "00d4 00f4 d9d4 f9f4 d8d4 f8f4 dbd4 fbf4 d5d4 f5f4 cfd4 eff4",
    "u": "0055 0075 d955 f975 d855 f875 db55 fb75 d555 f575 cf55 ef75",
    "ư": "00d6 00f6 d9d6 f9f6 d8d6 f8f6 dbd6 fbf6 d5d6 f5f6 cfd6 eff6",
    "y": "0059 0079 d959 f979 d859 f879 db59 fb79 d559 f579 00ce 00ee",
}
_VNI_D = "00d1 00f1"


def _letters(vowel: str) -> list[str]:
    out = []
    for tone in _TONES:
        out += [unicodedata.normalize("NFC", vowel.upper() + tone),
                unicodedata.normalize("NFC", vowel + tone)]
    return out


def _word(code: str) -> str:
    n = int(code, 16)
    low, high = n & 0xFF, n >> 8
    return bytes([low, high] if high else [low]).decode("cp1252")


def _tables() -> tuple[dict[str, str], dict[str, str]]:
    tcvn3, vni = {}, {}
    for vowel in _VOWELS:
        for letter, code, word in zip(_letters(vowel), _TCVN3[vowel], _VNI[vowel].split()):
            tcvn3[letter], vni[letter] = code, _word(word)
    for letter, code, word in zip("Đđ", _TCVN3_D, _VNI_D.split()):
        tcvn3[letter], vni[letter] = code, _word(word)
    return tcvn3, vni


TCVN3_TABLE, VNI_TABLE = _tables()


def encode(text: str, table: dict[str, str]) -> str:
    return "".join(table.get(ch, ch) for ch in unicodedata.normalize("NFC", text))


def tcvn3_lowered(text: str) -> str:
    """``text`` as TCVN3 can hold it: a capital that shares its small letter's code reads as
    that small letter."""
    small = {code: letter for letter, code in TCVN3_TABLE.items() if letter.islower()}
    return "".join(small.get(TCVN3_TABLE.get(ch, ""), ch) for ch in text)


_SURNAMES = ("Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý Bế Nông "
             "Lục Triệu Đinh Hà Lương Đàm Mạc Sầm Vi Chu Tạ Lâm Quách Đoàn").split()
_MIDDLES = "Văn Thị Đức Minh Hữu Thu Ngọc Thanh Xuân Quang Kim Bích Thế Hồng Tuấn Mạnh".split()
_GIVENS = ("An Anh Bình Chiến Cường Dũng Dung Đạt Điệp Giang Hạnh Hiền Hoa Huệ Hùng Hương "
           "Khánh Lan Liên Linh Loan Long Mai Nga Ngân Nhung Phúc Phương Quyên Sơn Tâm Thảo "
           "Thơm Thủy Thuỷ Tiến Trang Trung Tú Tuyết Uyên Vân Việt Xuyến Yến Hòa Hoà Khuê "
           "Nguyệt Quỳnh Thoa Chuyên Huyền Luyến Oanh Khoa Toản Tuấn Nghĩa Nghị Kiên Ngọc").split()
_TITLES = (
    "Lao động giỏi", "Lao động sáng tạo", "Chiến sĩ thi đua cơ sở", "Cờ thi đua", "Bằng khen",
    "Giấy khen", "Tập thể lao động xuất sắc", "Giỏi việc nước, đảm việc nhà",
    "Đoàn viên công đoàn xuất sắc", "Cán bộ công đoàn tiêu biểu", "Có", "Không",
    "Công đoàn cơ sở vững mạnh", "Hoàn thành xuất sắc nhiệm vụ", "Sáng kiến cải tiến kỹ thuật",
    "Xanh - Sạch - Đẹp, đảm bảo an toàn vệ sinh lao động", "Nữ", "Nam", "Tày", "Nùng", "Kinh",
    "Công nhân kỹ thuật", "Giáo viên", "Bác sĩ", "Kế toán trưởng", "Tổ trưởng sản xuất",
    "Chủ tịch công đoàn", "Phó chủ tịch", "Trưởng phòng hành chính", "Nhân viên văn phòng",
)
_UNITS = (
    "LĐLĐ huyện Trùng Khánh", "LĐLĐ thành phố Cao Bằng", "Công đoàn ngành Giáo dục",
    "Công đoàn ngành Y tế", "Trường Tiểu học Hợp Giang", "Bệnh viện Đa khoa tỉnh",
    "Công ty Điện lực Cao Bằng", "Công đoàn Viên chức tỉnh", "UBND xã Đức Long",
    "Trường THPT Bảo Lạc", "Phòng Giáo dục và Đào tạo huyện Hà Quảng", "Chi cục Thuế khu vực",
    "Công đoàn cơ sở Xí nghiệp Khai thác mỏ", "Ban Quản lý dự án Đầu tư xây dựng",
)


def realistic_cells(n: int, seed: int) -> list[str]:
    """``n`` cells as offices type them: names, titles, units, name with a role."""
    rng = random.Random(seed)
    out = []
    while len(out) < n:
        kind = rng.random()
        name = " ".join((rng.choice(_SURNAMES), rng.choice(_MIDDLES), rng.choice(_GIVENS)))
        if kind < 0.45:
            out.append(name)
        elif kind < 0.75:
            out.append(rng.choice(_TITLES))
        elif kind < 0.92:
            out.append(rng.choice(_UNITS))
        else:
            out.append(f"{name} ({rng.choice(_TITLES[20:]).lower()})")
    return out


GENUINE = [
    "Kích thước 5 × 3 m", "5 × 3 m", "10 µm", "1 ÷ 2", "± 5%", "25 °C", "Nhiệt độ 37 °C",
    "© 2020 LĐLĐ tỉnh Cao Bằng", "Coca-Cola®", "Vinamilk®", "¬A", "ÐT: 0912 345 678",
    "Ðỗ Văn Hùng", "Où est la gare", "Hélène Dupont", "São Paulo", "naïve", "résumé",
    "Müller GmbH", "Zürich", "José Martí", "Curaçao", "Ångström", "Café Hôtel de Ville",
    "Công ty Café Trung Nguyên", "Crème brûlée", "Ñandú", "Björk", "Señor García",
    "Bé Tý", "Có", "Không", "Tú", "Vò", "Hà Nội", "Bà Rịa", "Cà Mau", "Lê Thu Thơm",
    "Nguyễn Văn Đức", "Đinh Bích Nga", "Vũ Thu Loan", "Bế Minh Tú", "Lao động giỏi",
    "Cờ thi đua", "x", "✓", "−5", "2 × 10⁶ đồng", "50 m²", "3 ½ ngày", "¼ kinh phí",
    "Điểm: 9,5/10", "Giá trị (đồng)", "Đạt 100%", "Ông Trần Văn Á", "Bà Lê Thị Ánh",
    "Chị Hoàng Thị Ðào", "Mã số: ÐV01", "Kỹ sư µ-điện tử", "Tỉ lệ 1 : 1.000", "≥ 95%",
    "Cà phê", "Mía đường", "Xà phòng", "Pin mặt trời", "Élysée", "Noël", "Gauß",
]


def genuine_cells() -> list[str]:
    """The genuine cells, alone and in the phrases offices write them in (≥ 106)."""
    out = list(GENUINE)
    out += [f"{g} (ghi chú)" for g in GENUINE[:40]]
    return out
