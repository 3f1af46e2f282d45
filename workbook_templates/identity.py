"""Keys that say two rows are the same person, collective or nomination.

A name is compared as people mean it: the tone mark belongs to the syllable, wherever the
typist put it (old "Thuỷ", "Hoà", "Uỷ", "Qúy" and new "Thủy", "Hòa", "Ủy", "Quý" are one
name); the Icelandic Ð (U+00D0) that some keyboards give for Đ is Đ; case, spaces and
invisible characters (zero-width spaces, soft hyphens, byte-order marks) do not count.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache

# Combining tone marks (huyền, sắc, hỏi, ngã, nặng), each a digit at the syllable's end.
_TONES = {"\u0300": "2", "\u0301": "1", "\u0309": "3", "\u0303": "4", "\u0323": "5"}
# Letters typed for Đ/đ by other keyboards and code pages.
_LOOKALIKES = {"\u00d0": "\u0110", "\u00f0": "\u0111", "\u0189": "\u0110", "\u0256": "\u0111"}
# Characters that do not show: zero-width spaces and joiners, word joiner, byte-order mark,
# soft hyphen, Mongolian vowel separator.
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e"
_ODD = str.maketrans({**dict.fromkeys(_INVISIBLE), **_LOOKALIKES})
# (translate looks up every character in Python: searched for first, a name of twenty
# letters is cleaned in a quarter of the time)
_ODD_CHAR = re.compile("[%s%s]" % (_INVISIBLE, "".join(_LOOKALIKES)))
_BARE = str.maketrans({"đ": "d"})


def clean_name(name: object) -> str:
    """The name as written, with look-alike letters, invisible characters and extra spaces
    taken out (NFC)."""
    text = str(name or "")
    if _ODD_CHAR.search(text):
        text = text.translate(_ODD)
    return " ".join(unicodedata.normalize("NFC", text).split())


@lru_cache(maxsize=4096)  # a name is keyed a few times within one file
def _key(name: str) -> str:
    syllables = []
    for word in clean_name(name).casefold().split():
        tone = ""
        letters = []
        for ch in unicodedata.normalize("NFD", word):
            if ch in _TONES:
                tone = _TONES[ch]
            else:
                letters.append(ch)
        syllables.append(unicodedata.normalize("NFC", "".join(letters)) + tone)
    return " ".join(syllables)


def name_key(name: object) -> str:
    """A name compared as people mean it (see the module's docstring)."""
    return _key(str(name or ""))


def bare_key(name: object) -> str:
    """The name without any diacritic ("Triệu Thị Dung" -> "trieu thi dung"): what a name
    typed without diacritics is compared by."""
    decomposed = unicodedata.normalize("NFD", clean_name(name).casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).translate(_BARE)


def has_diacritics(name: object) -> bool:
    """Whether the name carries any Vietnamese mark (tone, breve, circumflex, horn, đ)."""
    return bare_key(name) != clean_name(name).casefold()


def tidy_case(name: object) -> str | None:
    """The name in title case when each word of it was typed all in lower or all in upper
    case ("nguyễn văn AN" -> "Nguyễn Văn An"); None when it needs no tidying (already in
    title case, or mixed on purpose like "McKay")."""
    words = clean_name(name).split()
    if not any(ch.isalpha() for w in words for ch in w):
        return None
    if not all(w == w.lower() or w == w.upper() for w in words):
        return None
    tidied = " ".join(w[:1].upper() + w[1:].lower() for w in words)
    return tidied if tidied != " ".join(words) else None


def person_key(name: object, birth_year: object) -> str:
    """The same person across units and years: normalised name + year of birth."""
    year = str(birth_year or "").strip()
    if year.endswith(".0"):
        year = year[:-2]
    return f"{name_key(name)}|{year}"


def nomination_id(year: int, phase: int, unit_code: str, form_key: str, subject_key: str,
                  award: str) -> str:
    """A stable id for a nomination row: the same nomination gets the same id every run."""
    digest = hashlib.sha1(
        "|".join([str(year), str(phase), unit_code, form_key, subject_key, name_key(award)])
        .encode("utf-8")).hexdigest()[:8].upper()
    prefix = "TT" if form_key == "khen_tap_the" else "CN"
    return f"{prefix}{phase}-{unit_code}-{digest}"
