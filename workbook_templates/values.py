"""Understanding what people type in a cell, per field type.

Pure functions: a raw cell value in, a :class:`Parsed` out -- the typed value, or the
:class:`Msg` saying why it could not be taken, or (for a value understood from text) the
INFO :class:`Msg` recording how it was read. Bounds, required values, choices and dates
windows are the checker's business, not this module's.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any, Callable, Iterable

from .forms import NO, YES, FieldType
from .messages import Msg, Severity
from .vntext import (
    Encoding, Hint, Repair, fold, from_tcvn3, from_vni, normalize_text, repair)


@dataclass(frozen=True)
class Parsed:
    """The outcome of reading one cell as one type.

    ``msg`` is None when the value was taken as it was; an INFO message when it was
    understood from text or converted (``value`` is what was understood); a WARNING when it
    was taken but looks wrong; an ERROR when it could not be taken (``value`` is None)."""

    value: Any
    msg: Msg | None = None
    legacy: Repair | None = None  # text: how its legacy encoding was decided

    @property
    def ok(self) -> bool:
        return self.msg is None or self.msg.severity is not Severity.ERROR


EMPTY = Parsed(None)
_LEGACY_MSG = {Encoding.TCVN3: Msg.CONVERTED_TCVN3, Encoding.VNI: Msg.CONVERTED_VNI}


def is_blank(raw: Any) -> bool:
    """An empty cell: nothing, or only spaces and invisible characters."""
    if raw is None or raw == "":
        return True
    if not isinstance(raw, str):
        return False
    if raw.isascii():  # ASCII: only white space tidies away
        return not raw.strip()
    return not raw.strip() or not normalize_text(raw)


# --- text -----------------------------------------------------------------------------

def cell_text(raw: Any) -> str:
    """A cell value as the text a person sees (numbers without ".0", dates dd/mm/yyyy)."""
    if raw is None:
        return ""
    if isinstance(raw, bool):
        return YES if raw else NO
    if isinstance(raw, float) and not math.isfinite(raw):
        return "NaN" if math.isnan(raw) else ("∞" if raw > 0 else "−∞")
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    if isinstance(raw, datetime):
        return raw.strftime("%d/%m/%Y") if raw.time() == time() else raw.strftime(
            "%d/%m/%Y %H:%M")
    if isinstance(raw, date):
        return raw.strftime("%d/%m/%Y")
    return str(raw)


Font = Hint | tuple[tuple[str, Hint | None], ...] | None  # a cell's font, or its runs

# C0/C1 controls (tab and, in long text, line breaks aside) and the bidirectional overrides
# that turn "Nguyễn" into what it is not on screen.
_BIDI = "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f%s]" % _BIDI)


def parse_text(raw: Any, multiline: bool = False,
               font: Font | Callable[[], Font] = None) -> Parsed:
    """Text, NFC and tidied; control and bidi-override characters stripped (CONTROL_STRIPPED);
    TCVN3/VNI text converted by the evidence of ``font`` and content (``legacy`` says how)."""
    text = cell_text(raw)
    clean = _CONTROLS.sub("", text) if _CONTROLS.search(text) else text
    legacy = _repair(clean, font) if not clean.isascii() else None
    value = normalize_text(legacy.text if legacy else clean, keep_newlines=multiline) or None
    if clean != text:
        return Parsed(value, Msg.CONTROL_STRIPPED, legacy)
    if legacy is not None and legacy.doubtful:
        return Parsed(value, Msg.LEGACY_UNDECIDED, legacy)
    if legacy is not None and legacy.encoding is not None:
        return Parsed(value, _LEGACY_MSG[legacy.encoding], legacy)
    return Parsed(value, legacy=legacy)


def _repair(text: str, font: Font | Callable[[], Font]) -> Repair:
    """``text`` repaired as one piece, or run by run when ``font`` gives its rich-text runs;
    a callable ``font`` is asked only when the content alone does not settle the text."""
    if callable(font):
        alone = repair(text)
        if alone.unicode:
            return alone
        font = font()
    if not isinstance(font, tuple) or "".join(t for t, _ in font) != text:
        return repair(text, font if isinstance(font, Hint) else None)
    parts = [repair(t, hint) for t, hint in font]
    encoding = next((p.encoding for p in parts if p.encoding), None)
    return Repair("".join(p.text for p in parts), encoding, any(p.doubtful for p in parts))


# --- numbers --------------------------------------------------------------------------

_SCALES = (
    (("tỷ", "tỉ", "ty", "ti"), 1_000_000_000),
    (("triệu", "trieu", "tr"), 1_000_000),
    (("nghìn", "nghin", "ngàn", "ngan", "k"), 1_000),
)
_CURRENCY = re.compile(r"(?:đồng|dong|vnđ|vnd|đ|d)\.?$")
_SCALE_RE = re.compile(
    r"^(?P<num>[-+]?[\d.,\s]*\d)\s*(?P<scale>%s)?\.?$"
    % "|".join(w for words, _ in _SCALES for w in words))
_GROUPED = re.compile(r"^\d{1,3}(?:(?P<sep>[.,\s])\d{3})(?:(?P=sep)\d{3})*$")


_MINUS = str.maketrans({"\u2212": "-", "\u2012": "-", "\ufe63": "-", "\uff0d": "-"})
# Bigger than any sum a federation handles (10^15 đồng): a slip of the keyboard, refused.
MAX_MAGNITUDE = 10 ** 15


def _number_text(text: str) -> float | int | None:
    """A number as Vietnamese and English typists and accountants write it ("1.500.000 đ",
    "1,5 triệu", "−5", "(5)" for minus five, "12,5%" for 0,125), or None."""
    t = _CURRENCY.sub("", normalize_text(text).lower().translate(_MINUS)).strip()
    if t.startswith("(") and t.endswith(")"):
        inner = _number_text(t[1:-1])
        return None if inner is None or inner < 0 else _tidy(-inner)
    if t.endswith("%"):
        inner = _number_text(t[:-1])
        return None if inner is None else _tidy(inner / 100)
    m = _SCALE_RE.match(t)
    if not m:
        return None
    scale = 1
    if m.group("scale"):
        scale = next(v for words, v in _SCALES if m.group("scale") in words)
    num = m.group("num").strip()
    sign = -1 if num.startswith("-") else 1
    num = num.lstrip("+-").strip()
    value = _digits(num, scaled=scale != 1)
    if value is None:
        return None
    value *= sign * scale
    return _tidy(value)


def _digits(num: str, scaled: bool) -> float | None:
    """"1.500.000", "1,500,000", "1 500 000", "1.500.000,5", "1,5", "1.5" -> float."""
    if re.fullmatch(r"\d+", num):
        return float(num)
    if _GROUPED.match(num):
        sep = _GROUPED.match(num).group("sep")
        single = num.count(sep) == 1
        # One separator before three digits: a decimal only after a scale word ("1,500
        # triệu") or a leading zero ("0,500"); otherwise a thousands separator.
        if single and sep in ".," and (scaled or num.startswith("0")):
            return float(num.replace(sep, "."))
        return float(re.sub(r"[.,\s]", "", num))
    m = re.fullmatch(r"(?P<int>\d{1,3}(?:(?P<sep>[.,\s])\d{3})*|\d+)(?P<dec>[.,])(?P<frac>\d+)",
                     num)
    if m and m.group("sep") != m.group("dec"):
        return float(re.sub(r"[.,\s]", "", m.group("int")) + "." + m.group("frac"))
    return None


def _tidy(value: float) -> float | int:
    value = round(value, 9)
    return int(value) if float(value).is_integer() else value


def parse_number(raw: Any) -> Parsed:
    """A number: Excel numbers as they are; text like "1.500.000 đ", "1,5 triệu", "2 tỷ",
    "−5", "(5)", "50%" understood (NUMBER_FROM_TEXT). Infinities, NaN (NOT_FINITE) and
    magnitudes over ``MAX_MAGNITUDE`` (NUMBER_TOO_LARGE) are refused."""
    if is_blank(raw):
        return EMPTY
    if isinstance(raw, bool) or isinstance(raw, (date, datetime, time, timedelta)):
        return Parsed(None, Msg.NOT_A_NUMBER)
    if isinstance(raw, (int, float)):
        return _sane(float(raw), None)
    value = _number_text(str(raw))
    if value is None:
        return Parsed(None, Msg.NOT_A_NUMBER)
    return _sane(value, Msg.NUMBER_FROM_TEXT)


def _sane(value: float, msg: Msg | None) -> Parsed:
    if not math.isfinite(value):
        return Parsed(None, Msg.NOT_FINITE)
    if abs(value) > MAX_MAGNITUDE:
        return Parsed(None, Msg.NUMBER_TOO_LARGE)
    return Parsed(_tidy(value), msg)


def parse_integer(raw: Any) -> Parsed:
    """A whole number: 3.0 is 3, 2.5 is refused (NOT_AN_INTEGER)."""
    parsed = parse_number(raw)
    if parsed.value is None:
        if parsed.msg in (Msg.NOT_FINITE, Msg.NUMBER_TOO_LARGE):
            return parsed
        return Parsed(None, Msg.NOT_AN_INTEGER) if parsed.msg else parsed
    if not float(parsed.value).is_integer():
        return Parsed(None, Msg.NOT_AN_INTEGER)
    return Parsed(int(parsed.value), parsed.msg)


# --- dates ----------------------------------------------------------------------------

_EXCEL_EPOCH = date(1899, 12, 30)
_SERIAL_RANGE = (1, 2_958_465)  # 1900-01-01 .. 9999-12-31
_DMY = re.compile(r"^(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4}|\d{2})$")
_YMD = re.compile(r"^(\d{4})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{1,2})$")
_WORDS = re.compile(r"^(?:ngay\s*)?(\d{1,2})\s*thang\s*(\d{1,2})\s*nam\s*(\d{4})$")
_TIME_TAIL = re.compile(r"[ t]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?$")


_YEARS = (1900, 2100)  # a bare number in this range typed in a date cell is a year


def _year(y: str) -> int:
    """Two-digit years as Excel reads them: 00-29 -> 20xx, 30-99 -> 19xx."""
    n = int(y)
    if len(y) == 2:
        return 2000 + n if n < 30 else 1900 + n
    return n


def _date_text(text: str) -> date | None:
    t = fold(text).replace(",", " ").strip()
    t = " ".join(t.split())
    t = _TIME_TAIL.sub("", t).strip()
    for pattern, order in ((_YMD, "ymd"), (_DMY, "dmy"), (_WORDS, "dmy")):
        m = pattern.match(t)
        if m:
            a, b, c = m.groups()
            y, mo, d = (int(a), int(b), int(c)) if order == "ymd" else (_year(c), int(b), int(a))
            try:
                return date(y, mo, d)
            except ValueError:
                return None
    return None


def parse_date(raw: Any) -> Parsed:
    """A date, day first: real dates, Excel serial numbers, "15/3/2020", "15-03-2020",
    "15.3.2020", "2020-03-15", "15/3/20", "ngày 15 tháng 3 năm 2020". A bare year (2020,
    as a number or text) is no date (DATE_YEAR_ONLY), never 12/07/1905."""
    if is_blank(raw):
        return EMPTY
    if isinstance(raw, datetime):
        return Parsed(raw.date())
    if isinstance(raw, date):
        return Parsed(raw)
    if isinstance(raw, bool) or isinstance(raw, (time, timedelta)):
        return Parsed(None, Msg.NOT_A_DATE)
    if isinstance(raw, (int, float)):
        if not math.isfinite(raw) or not float(raw).is_integer():
            return Parsed(None, Msg.NOT_A_DATE)
        if _YEARS[0] <= raw <= _YEARS[1]:
            return Parsed(None, Msg.DATE_YEAR_ONLY)
        if _SERIAL_RANGE[0] <= raw <= _SERIAL_RANGE[1]:
            return Parsed(_EXCEL_EPOCH + timedelta(days=int(raw)))
        return Parsed(None, Msg.NOT_A_DATE)
    if re.fullmatch(r"\s*\d{4}\s*", str(raw)) and _YEARS[0] <= int(raw) <= _YEARS[1]:
        return Parsed(None, Msg.DATE_YEAR_ONLY)
    value = _date_text(str(raw))
    if value is None:
        return Parsed(None, Msg.NOT_A_DATE)
    return Parsed(value, Msg.DATE_FROM_TEXT)


# --- yes / no -------------------------------------------------------------------------

# The one vocabulary of yes and no (folded: no case, no diacritics), for returns, the clerk's
# Duyệt column, the settings sheet, the register and the documents alike.
_YES_WORDS = frozenset(["co", "c", "x", "yes", "y", "1", "✓", "✔", "☑", "√", "true", "dung",
                        "ok", "dong y", "duyet", "da duyet"])
_NO_WORDS = frozenset(["khong", "k", "ko", "kh", "no", "n", "0", "false", "sai",
                       "khong dong y", "khong duyet"])


def _yes_no_word(text: str) -> str | None:
    key = fold(text).rstrip(".")
    if key in _YES_WORDS:
        return YES
    if key in _NO_WORDS:
        return NO
    return None


def parse_yesno(raw: Any) -> Parsed:
    """Có / Không from "Có", "có", "co", "x", "yes", "1", "✓", "Không", "k", "no", "0"...;
    anything but the exact word is reported (CHOICE_FROM_TEXT). Empty stays empty."""
    if is_blank(raw):
        return EMPTY
    if isinstance(raw, bool):
        return Parsed(YES if raw else NO, Msg.CHOICE_FROM_TEXT)
    if isinstance(raw, (int, float)) and raw in (0, 1):
        return Parsed(YES if raw == 1 else NO, Msg.CHOICE_FROM_TEXT)
    text = normalize_text(cell_text(raw))
    if text in (YES, NO):
        return Parsed(text)
    for candidate in (text, from_tcvn3(text), from_vni(text)):
        word = _yes_no_word(candidate)
        if word is not None:
            return Parsed(word, Msg.CHOICE_FROM_TEXT)
    return Parsed(None, Msg.NOT_A_CHOICE)


def yes_no(raw: Any) -> bool | None:
    """True for Có in any of the ways people write it, False for Không, None for an empty
    cell or anything else."""
    value = parse_yesno(raw).value
    return None if value is None else value == YES


# --- phone and email --------------------------------------------------------------------

_PHONE_JUNK = re.compile(r"[\s.\-()/]")
_EMAIL = re.compile(r"^[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}$")


def parse_phone(raw: Any) -> Parsed:
    """Digits only, 10-11 of them: spaces, dots, dashes dropped, +84 -> 0. A number cell
    that lost its leading zero (912345678) gets it back."""
    if is_blank(raw):
        return EMPTY
    if isinstance(raw, bool) or isinstance(raw, (date, datetime, time, timedelta)):
        return Parsed(None, Msg.BAD_PHONE)
    if isinstance(raw, (int, float)):
        if not float(raw).is_integer():
            return Parsed(None, Msg.BAD_PHONE)
        digits = str(int(raw))
        if len(digits) in (9, 10) and not digits.startswith("0"):
            digits = "0" + digits
    else:
        digits = _PHONE_JUNK.sub("", normalize_text(raw))
        if digits.startswith("+84"):
            digits = "0" + digits[3:]
        elif digits.startswith("0084"):
            digits = "0" + digits[4:]
    if not digits.isdigit() or not 10 <= len(digits) <= 11:
        return Parsed(None, Msg.BAD_PHONE)
    return Parsed(digits)


def parse_email(raw: Any) -> Parsed:
    """An email address, trimmed ("mailto:" dropped); a malformed one is kept with a
    warning (BAD_EMAIL)."""
    if is_blank(raw):
        return EMPTY
    text = normalize_text(cell_text(raw))
    if text.lower().startswith("mailto:"):
        text = text[7:].strip()
    if not _EMAIL.match(text):
        return Parsed(text, Msg.BAD_EMAIL)
    return Parsed(text)


# --- dispatch ---------------------------------------------------------------------------

# Excel's error values, as some formats hand them over in the cell's text.
EXCEL_ERRORS = frozenset(["#N/A", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#NULL!",
                          "#SPILL!", "#CALC!", "#GETTING_DATA"])


def parse(raw: Any, ftype: FieldType, font: Font | Callable[[], Font] = None) -> Parsed:
    """Parse ``raw`` as a value of ``ftype`` (``font``: the cell's font for text, or the
    function that reads it when needed). The same choices, years and names come back in
    every file: what the content alone decides is remembered (a :class:`Parsed` is never
    changed), the font is read only for a text its content leaves open."""
    if font is not None and not callable(font):
        return _parse(raw, ftype, font)
    try:
        key = (raw.__class__, raw, id(ftype))  # (an enum hashes in Python, an id in C)
        parsed = _PARSED.get(key)
    except TypeError:  # a value no dictionary holds: parsed each time
        return _parse(raw, ftype, font)
    if parsed is None:
        parsed = _parse(raw, ftype, None)
        if not isinstance(raw, str) or len(raw) <= _REMEMBERED_LENGTH:
            if len(_PARSED) >= _REMEMBERED:
                _PARSED.clear()
            _PARSED[key] = parsed
    if font is None or parsed.legacy is None or parsed.legacy.unicode:
        return parsed  # the content alone decided: the font would change nothing
    return _parse(raw, ftype, font)


_PARSED: dict[tuple[type, Any, int], Parsed] = {}
_REMEMBERED = 1 << 14  # values remembered (forgotten all at once when full)
_REMEMBERED_LENGTH = 120  # longer texts (a unit's account of its work) are each met once


def _parse(raw: Any, ftype: FieldType, font: Font | Callable[[], Font]) -> Parsed:
    if isinstance(raw, str) and raw.strip() in EXCEL_ERRORS:
        return Parsed(None, Msg.CELL_ERROR)
    if isinstance(raw, float) and not math.isfinite(raw) and ftype not in _NUMERIC:
        return Parsed(None, Msg.NOT_FINITE)
    if ftype is FieldType.INTEGER:
        return parse_integer(raw)
    if ftype in (FieldType.NUMBER, FieldType.MONEY):
        return parse_number(raw)
    if ftype is FieldType.DATE:
        return parse_date(raw)
    if ftype is FieldType.YESNO:
        return parse_yesno(raw)
    if ftype is FieldType.PHONE:
        return parse_phone(raw)
    if ftype is FieldType.EMAIL:
        return parse_email(raw)
    if ftype is FieldType.LONGTEXT:
        return parse_text(raw, multiline=True, font=font)
    return parse_text(raw, font=font)


_NUMERIC = (FieldType.INTEGER, FieldType.NUMBER, FieldType.MONEY, FieldType.DATE)


def match_choice(value: Any, choices: Iterable[str]) -> str | None:
    """The choice ``value`` means: an exact match; else the one choice equal to it ignoring
    case, spaces and diacritics ("nu" -> "Nữ", only when no other choice folds the same);
    else the same for ``value`` read as TCVN3 or VNI text. None when nothing matches."""
    choices = list(choices)
    if value is None:
        return None
    text = normalize_text(cell_text(value))
    if text in choices:
        return text
    by_key: dict[str, list[str]] = {}
    for c in choices:
        by_key.setdefault(normalize_text(c).casefold(), []).append(c)
    by_fold: dict[str, list[str]] = {}
    for c in choices:
        by_fold.setdefault(fold(c), []).append(c)
    candidates = [text]
    if not text.isascii():
        candidates += [from_tcvn3(text), from_vni(text)]
    for candidate in candidates:
        for table, key in ((by_key, candidate.casefold()), (by_fold, fold(candidate))):
            found = table.get(key, [])
            if len(found) == 1:
                return found[0]
    return None
