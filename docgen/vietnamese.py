"""Vietnamese text of documents: money in words, amounts, dates, numbers, name order."""
from __future__ import annotations

import unicodedata
from datetime import date

_DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
_GROUPS = ("", "nghìn", "triệu")
_BILLION = 1_000_000_000


def _three_digits(n: int, full: bool, zero_tens: str) -> list[str]:
    """Words of 0 < n < 1000; ``full`` reads the hundreds even when they are 0."""
    hundreds, tens, units = n // 100, n // 10 % 10, n % 10
    words: list[str] = []
    if hundreds or full:
        words += [_DIGITS[hundreds], "trăm"]
    if tens == 0:
        if units and words:
            words.append(zero_tens)
    elif tens == 1:
        words.append("mười")
    else:
        words += [_DIGITS[tens], "mươi"]
    if units == 1 and tens >= 2:
        words.append("mốt")
    elif units == 5 and tens >= 1:
        words.append("lăm")
    elif units == 4 and tens >= 2:
        words.append("tư")
    elif units:
        words.append(_DIGITS[units])
    return words


def _below_billion(n: int, full: bool, zero_tens: str) -> list[str]:
    groups = [n // 1_000_000, n // 1000 % 1000, n % 1000]
    words: list[str] = []
    for i, g in enumerate(groups):
        if g:
            words += _three_digits(g, full or bool(words), zero_tens)
            if _GROUPS[2 - i]:
                words.append(_GROUPS[2 - i])
    return words


def _number_words(n: int, full: bool, zero_tens: str) -> list[str]:
    if n >= _BILLION:
        high, low = divmod(n, _BILLION)
        words = _number_words(high, full, zero_tens) + ["tỷ"]
        return words + (_below_billion(low, True, zero_tens) if low else [])
    return _below_billion(n, full, zero_tens)


def number_in_words(n: int, zero_tens: str = "linh") -> str:
    """``n`` read aloud in lower case ("một triệu bốn trăm chín mươi nghìn"); ``zero_tens``
    is "linh" (northern usage) or "lẻ" (southern)."""
    if n < 0:
        return "âm " + number_in_words(-n, zero_tens)
    if n == 0:
        return _DIGITS[0]
    return " ".join(_number_words(int(n), False, zero_tens))


def money_in_words(amount: int, zero_tens: str = "linh") -> str:
    """"Một triệu bốn trăm chín mươi nghìn đồng" (capitalised, as after "Bằng chữ:")."""
    text = number_in_words(int(amount), zero_tens) + " đồng"
    return text[0].upper() + text[1:]


def grouped(n: int | float) -> str:
    """1490000 -> "1.490.000" (dot thousands, as Vietnamese documents write numbers)."""
    if isinstance(n, float) and not n.is_integer():
        whole, frac = f"{n:,.2f}".split(".")
        return whole.replace(",", ".") + "," + frac.rstrip("0")
    return f"{int(n):,}".replace(",", ".")


def money(amount: int | float) -> str:
    """1490000 -> "1.490.000 đồng"."""
    return f"{grouped(amount)} đồng"


def padded(n: int) -> str:
    """Day, month or document number with the leading 0 below 10 ("05")."""
    return f"{n:02d}" if n < 10 else str(n)


def date_words(d: date) -> str:
    """"ngày 05 tháng 01 năm 2020": day below 10 and months 1, 2 take a leading 0
    (Nghị định 30/2020)."""
    month = padded(d.month) if d.month < 3 else str(d.month)
    return f"ngày {padded(d.day)} tháng {month} năm {d.year}"


def date_line(place: str, d: date) -> str:
    """"Cao Bằng, ngày 05 tháng 01 năm 2020"."""
    return f"{place}, {date_words(d)}"


def document_number(n: int, symbol: str) -> str:
    """"Số: 05/QĐ-LĐLĐ" for number 5 and symbol "QĐ-LĐLĐ"."""
    return f"Số: {padded(n)}/{symbol}"


# --- alphabetical order -------------------------------------------------------------------
_ALPHABET = "aăâbcdđeêghiklmnoôơpqrstuưvxy"
_LETTER_RANK = {c: i for i, c in enumerate(_ALPHABET)}
# No tone, huyền, hỏi, ngã, sắc, nặng (ICU "vi" order).
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}


def _letter_key(text: str) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Letters first (Vietnamese alphabet), then tones, as collation compares them."""
    letters: list[int] = []
    tones: list[int] = []
    for ch in unicodedata.normalize("NFC", text).casefold():
        parts = unicodedata.normalize("NFD", ch)
        tone = next((_TONES[m] for m in parts if m in _TONES), 0)
        base = unicodedata.normalize("NFC", "".join(m for m in parts if m not in _TONES))
        if base in _LETTER_RANK:
            letters.append(100 + _LETTER_RANK[base])
        elif base.isspace():
            letters.append(0)
        else:
            letters.append(1000 + ord(base))
        tones.append(tone)
    return tuple(letters), tuple(tones)


def text_sort_key(text: str) -> tuple:
    """Sort key of any text in Vietnamese alphabetical order (collective names, units)."""
    return _letter_key(" ".join(str(text or "").split()))


def name_sort_key(full_name: str) -> tuple:
    """Sort key of a person's name: given name, then middle name, then family name."""
    words = str(full_name or "").split()
    if not words:
        return ((), (), ())
    given, family, middle = words[-1], words[0] if len(words) > 1 else "", words[1:-1]
    return (_letter_key(given), _letter_key(" ".join(middle)), _letter_key(family))
