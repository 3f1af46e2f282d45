"""Vietnamese text repair: Unicode NFC, tidy spaces, and legacy TCVN3 / VNI text.

Offices still type with the .VnTime / .VnTimeH (TCVN3, "ABC") and VNI-Times fonts. Excel
then stores the font's bytes as the Windows-1252 characters of the same code, so a cell
holds "NguyÔn V¨n §øc" (TCVN3) or "Nguyeãn Vaên Ñöùc" (VNI) for "Nguyễn Văn Đức".
:func:`fix_legacy` recognises such text by scoring whole strings: the share of its accented
words that become valid Vietnamese syllables once converted, against the share that already
are.
"""
from __future__ import annotations

import enum
import functools
import re
import unicodedata

# The 67 lowercase letters with a diacritic, in one order shared by the tables below.
_LETTERS = ("àáảãạ ăằắẳẵặ âầấẩẫậ đ èéẻẽẹ êềếểễệ ìíỉĩị òóỏõọ ôồốổỗộ ơờớởỡợ "
            "ùúủũụ ưừứửữự ỳýỷỹỵ").replace(" ", "")

# TCVN3 (ABC) byte of each letter above. Only ă â đ ê ô ơ ư have a capital of their own
# (A1–A7); the other capitals are the lowercase codes drawn by the .VnTimeH font.
_TCVN3_LOWER = bytes.fromhex(
    "b5b8b6b7b9" "a8bbbebcbdc6" "a9c7cac8c9cb" "ae" "ccd0cecfd1" "aad2d5d3d4d6" "d7ddd8dcde"
    "dfe3e1e2e4" "abe5e8e6e7e9" "aceaedebecee" "eff3f1f2f4" "adf5f8f6f7f9" "fafdfbfcfe")
_TCVN3_CAPITALS = {"Ă": 0xA1, "Â": 0xA2, "Ê": 0xA3, "Ô": 0xA4, "Ơ": 0xA5, "Ư": 0xA6,
                   "Đ": 0xA7}

# VNI-Windows: a base letter followed by a mark byte, or one byte for đ ơ ư and some i, y.
_VNI_LOWER = (
    "aø aù aû aõ aï aê aè aé aú aü aë aâ aà aá aå aã aä ñ eø eù eû eõ eï eâ eà eá eå eã eä "
    "ì í æ ó ò oø où oû oõ oï oâ oà oá oå oã oä ô ôø ôù ôû ôõ ôï uø uù uû uõ uï ö öø öù öû "
    "öõ öï yø yù yû yõ î").split()


class Encoding(enum.Enum):
    """Legacy encodings recognised in cell text."""

    TCVN3 = "TCVN3"
    VNI = "VNI"


def _tables() -> tuple[dict[str, str], dict[str, str], dict[str, str], dict[str, str]]:
    assert len(_LETTERS) == len(_TCVN3_LOWER) == len(_VNI_LOWER) == 67
    tcvn_dec: dict[str, str] = {}
    tcvn_enc: dict[str, str] = {}
    vni_dec: dict[str, str] = {}
    vni_enc: dict[str, str] = {}
    for letter, code, vni in zip(_LETTERS, _TCVN3_LOWER, _VNI_LOWER):
        capital = letter.upper()
        tcvn_dec[chr(code)] = letter
        tcvn_enc[letter] = chr(code)
        tcvn_enc[capital] = chr(_TCVN3_CAPITALS.get(capital, code))
        vni_enc[letter] = vni
        vni_enc[capital] = vni.upper()
        vni_dec[vni] = letter
        vni_dec[vni.upper()] = capital
        if len(vni) == 2:  # the mark in the other case, as careless typing leaves it
            vni_dec[vni[0] + vni[1].upper()] = letter
            vni_dec[vni[0].upper() + vni[1]] = capital
    for capital, code in _TCVN3_CAPITALS.items():
        tcvn_dec[chr(code)] = capital
    return tcvn_dec, tcvn_enc, vni_dec, vni_enc


_TCVN3_DEC, _TCVN3_ENC, _VNI_DEC, _VNI_ENC = _tables()
_TCVN3_TRANS = str.maketrans(_TCVN3_DEC)
_TCVN3_ENC_TRANS = str.maketrans(_TCVN3_ENC)
_VNI_ENC_TRANS = str.maketrans(_VNI_ENC)
_VNI_RE = re.compile("|".join(sorted(map(re.escape, _VNI_DEC), key=len, reverse=True)))
_TCVN3_CAPITAL_CODES = frozenset(chr(c) for c in _TCVN3_CAPITALS.values())

# Windows-1252 punctuation (0x80–0x9F) that legacy text may hold besides its letters.
_CP1252_EXTRA = frozenset(bytes(range(0x80, 0xA0)).decode("cp1252", errors="ignore"))
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"), None)
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")


# --- normalising --------------------------------------------------------------------------

def normalize_text(s: object, keep_newlines: bool = False) -> str:
    """NFC, no zero-width characters, non-breaking and other spaces made plain, inner runs
    of spaces collapsed, trimmed. With ``keep_newlines`` line breaks stay (each line tidied,
    blank lines at the ends dropped)."""
    if s is None:
        return ""
    if type(s) is str and len(s) <= _CACHED_LENGTH:
        return _normalize_str(s, keep_newlines)
    return _normalize(str(s), keep_newlines)


# The same titles, choices and names come back in every file, so short texts are cached;
# long ones (a unit's account of its work) are each met once.
_CACHED_LENGTH = 120


@functools.lru_cache(maxsize=1 << 15)
def _normalize_str(s: str, keep_newlines: bool) -> str:
    return _normalize(s, keep_newlines)


def _normalize(s: str, keep_newlines: bool) -> str:
    text = unicodedata.normalize("NFC", s).translate(_INVISIBLE)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if keep_newlines:
        lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
        return "\n".join(lines).strip("\n")
    return " ".join(_SPACES.sub(" ", text).split())


def fold(s: object) -> str:
    """A key for tolerant comparison: NFC, case-folded, no diacritics (đ → d), one space."""
    text = unicodedata.normalize("NFD", normalize_text(s).casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return text.replace("đ", "d")


# --- legacy encodings ---------------------------------------------------------------------

def from_tcvn3(s: str, capitals: bool = False) -> str:
    """TCVN3 text (bytes read as Windows-1252) to Unicode. ``capitals``: typed in .VnTimeH,
    whose lowercase codes are drawn as capitals. Without it, words written in capitals (two
    or more capitals, no lowercase ASCII letter) are taken as .VnTimeH words, and so is the
    whole text when none of its words has a lowercase ASCII letter."""
    text = s.translate(_TCVN3_TRANS)
    if capitals:
        return text.upper()
    words = s.split(" ")
    flags = [_capital_word(w) for w in words]
    if any(f is True for f in flags) and all(f is not False for f in flags):
        return text.upper()
    out = text.split(" ")
    return " ".join(o.upper() if f is True else o for o, f in zip(out, flags))


def _capital_word(word: str) -> bool | None:
    """True: written in capitals; False: has a lowercase ASCII letter; None: cannot tell."""
    capitals = 0
    for ch in word:
        if ch.isascii():
            if ch.islower():
                return False
            capitals += ch.isupper()
        elif ch in _TCVN3_CAPITAL_CODES:
            capitals += 1
    return True if capitals >= 2 else None


def from_vni(s: str) -> str:
    """VNI-Windows text (bytes read as Windows-1252) to Unicode."""
    return _VNI_RE.sub(lambda m: _VNI_DEC[m.group(0)], s)


def to_tcvn3(s: str) -> str:
    """Unicode to TCVN3 as Excel shows it: capitals with a tone use the lowercase code
    (drawn as capitals by .VnTimeH)."""
    return unicodedata.normalize("NFC", s).translate(_TCVN3_ENC_TRANS)


def to_vni(s: str) -> str:
    """Unicode to VNI-Windows as Excel shows it."""
    return unicodedata.normalize("NFC", s).translate(_VNI_ENC_TRANS)


def fix_legacy(s: str) -> tuple[str, Encoding | None]:
    """``s`` in Unicode, and the legacy encoding it was found in (None: already Unicode,
    plain ASCII, or not recognisably legacy). Text that reads as Vietnamese both as it is
    and converted (TCVN3 "Cã" for "Có") is left as it is: real Unicode is never mangled."""
    if s.isascii() or any(ord(ch) > 0xFF and ch not in _CP1252_EXTRA for ch in s):
        return s, None
    words = [w for w in s.split() if not w.isascii()]
    if not words:
        return s, None
    here = _vietnamese_share(words)
    if here == 1.0:
        return s, None
    best: tuple[float, str, Encoding | None] = (here, s, None)
    for encoding, convert in ((Encoding.TCVN3, from_tcvn3), (Encoding.VNI, from_vni)):
        converted = convert(s)
        if converted == s:
            continue
        share = _vietnamese_share([w for w in converted.split() if not w.isascii()] or [""])
        if share > best[0]:
            best = (share, converted, encoding)
    share, text, encoding = best
    if encoding is None or share < 0.5:
        return s, None
    return text, encoding


# --- Vietnamese syllables -----------------------------------------------------------------

_TONE_MARKS = {"\u0300": "huyen", "\u0301": "sac", "\u0303": "nga", "\u0309": "hoi",
               "\u0323": "nang"}
_INITIALS = ("ngh ng gh gi kh nh ph th tr ch qu b c d đ g h k l m n p r s t v x").split()
_FINALS = ("ch nh ng c m n p t").split()
_OPEN_ONLY = set(("ai ao au ay âu ây eo êu ia iu oi ôi ơi ui ưi ưu ưa ua iêu yêu oai oao oay "
                  "oeo uôi ươi ươu uya uyu uây").split())
_NEED_FINAL = set("ă â iê yê uô ươ uyê oă uâ".split())
_NUCLEI = set(("a ă â e ê i o ô ơ u ư y " "ai ao au ay âu ây eo êu ia iê iu oa oă oe oi ôi ơi "
               "oo ua uâ uê ui uô uơ uy ưa ưi ưu ươ yê " "iêu oai oao oay oeo uây uôi uya uyê "
               "uyu ươi ươu yêu").split()) | _OPEN_ONLY
_SYLLABLE = re.compile(
    "^(%s)?([aăâeêioôơuưy]{1,3})(%s)?$" % ("|".join(_INITIALS), "|".join(_FINALS)))
_WORD_EDGE = re.compile(r"^[\W\d_]+|[\W\d_]+$")


def is_vietnamese_syllable(word: str) -> bool:
    """Whether ``word`` (one word, any case) is a well-formed Vietnamese syllable."""
    decomposed = unicodedata.normalize("NFD", word.lower())
    tones = []
    base_letter = ""
    for ch in decomposed:
        if ch in _TONE_MARKS:
            # a tone sits on a vowel: "ñ" is no "n" with a ngã
            if not base_letter or base_letter not in "aeiouy":
                return False
            tones.append(_TONE_MARKS[ch])
        elif not unicodedata.combining(ch):
            base_letter = ch
    if len(tones) > 1:
        return False
    base = unicodedata.normalize(
        "NFC", "".join(ch for ch in decomposed if ch not in _TONE_MARKS))
    m = _SYLLABLE.match(base)
    if not m:
        return False
    initial, nucleus, final = m.group(1) or "", m.group(2), m.group(3) or ""
    if initial == "qu" and nucleus.startswith("u"):
        return False
    if nucleus not in _NUCLEI:
        return False
    if final and nucleus in _OPEN_ONLY:
        return False
    if not final and nucleus in _NEED_FINAL:
        return False
    if final in ("ch", "nh") and nucleus[-1] not in "aêiy":
        return False
    if final in ("c", "ch", "p", "t") and tones and tones[0] not in ("sac", "nang"):
        return False
    return True


def _vietnamese_share(words: list[str]) -> float:
    """The share of ``words`` that are Vietnamese syllables (punctuation at the ends and
    hyphenated parts allowed)."""
    good = 0
    for word in words:
        parts = [_WORD_EDGE.sub("", p) for p in word.split("-")]
        parts = [p for p in parts if p]
        if parts and all(is_vietnamese_syllable(p) for p in parts):
            good += 1
    return good / len(words)
