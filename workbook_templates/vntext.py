"""Vietnamese text repair: Unicode NFC, tidy spaces, and legacy TCVN3 / VNI text.

Offices still type with the .VnTime / .VnTimeH (TCVN3, "ABC") and VNI-Times fonts. Excel
then stores the font's bytes as the Windows-1252 characters of the same code, so a cell
holds "NguyÔn V¨n §øc" (TCVN3) or "Nguyeãn Vaên Ñöùc" (VNI) for "Nguyễn Văn Đức".
:func:`repair` decides by evidence: the cell's font first (:func:`font_hint`), then the content
judged by a strict model of Vietnamese syllables; the reader adds the evidence of the file
(other cells in the same font) for the texts that read as Vietnamese both ways.
"""
from __future__ import annotations

import enum
import functools
import re
import unicodedata
from typing import NamedTuple

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
# The characters TCVN3 reads otherwise ("ý" reads as itself): a text holding none of them
# is the same in TCVN3.
_TCVN3_CHANGED = re.compile("[%s]" % re.escape("".join(
    sorted(k for k, v in _TCVN3_DEC.items() if k != v))))

# Windows-1252 punctuation (0x80–0x9F) that legacy text may hold besides its letters.
_CP1252_EXTRA = frozenset(bytes(range(0x80, 0xA0)).decode("cp1252", errors="ignore"))
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"), None)
_INVISIBLE_CHAR = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")
# A character no legacy text holds (beyond Latin-1 and that punctuation).
_NOT_LEGACY = re.compile("[^\x00-\xff%s]" % re.escape("".join(sorted(_CP1252_EXTRA))))
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
# How many: the repeated texts stay; people's names, each met once or twice in one file, pass
# through (32,768 held 10 MB in each reading process for a 4 % hit rate).
_CACHED_TEXTS = 4096


@functools.lru_cache(maxsize=_CACHED_TEXTS)
def _normalize_str(s: str, keep_newlines: bool) -> str:
    return _normalize(s, keep_newlines)


def _normalize(s: str, keep_newlines: bool) -> str:
    text = unicodedata.normalize("NFC", s)
    if _INVISIBLE_CHAR.search(text):  # (translate looks up every character)
        text = text.translate(_INVISIBLE)
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


class Hint(enum.Enum):
    """What a cell's font says about how its text was typed."""

    TCVN3 = "TCVN3"  # .VnTime, .VnArial…: TCVN3 (ABC) lowercase and its seven capitals
    TCVN3_CAPITALS = "TCVN3H"  # .VnTimeH, .VnArialH…: the lowercase codes drawn as capitals
    VNI = "VNI"  # VNI-Times, VNI-Helve…
    UNICODE = "Unicode"  # Times New Roman, Arial, Calibri…: Unicode fonts


def font_hint(name: str | None) -> Hint | None:
    """The :class:`Hint` of a font by its name (None: no font known)."""
    if not name:
        return None
    key = name.strip().casefold()
    if key.startswith(".vn") or key.startswith("vn") and not key.startswith("vni"):
        return Hint.TCVN3_CAPITALS if key.endswith("h") else Hint.TCVN3
    if key.startswith("vni"):
        return Hint.VNI
    return Hint.UNICODE


class Repair(NamedTuple):
    """A text as read: ``text`` (Unicode), the ``encoding`` it was converted from (None: left
    as it was), ``doubtful`` when it looks legacy but no reading could be decided, and
    ``alternatives``: the legacy readings as Vietnamese as the text itself (TCVN3 "Cã" for
    "Có"), among which the evidence of the rest of the file may choose; ``unicode`` when the
    content alone says the text was typed in Unicode (its font need not be read)."""

    text: str
    encoding: Encoding | None = None
    doubtful: bool = False
    alternatives: tuple[tuple[str, Encoding], ...] = ()
    unicode: bool = False  # the content alone says Unicode as typed: no font changes that


_HINT_ENCODING = {Hint.TCVN3: Encoding.TCVN3, Hint.TCVN3_CAPITALS: Encoding.TCVN3,
                  Hint.VNI: Encoding.VNI}
# Characters no language writes inside a word: in a word they are TCVN3 letters ("®" đ,
# "§" Đ, "¨" ă…). A capital after a small letter ("NguyÔn", "ThÞ") says the same.
_GARBLE = frozenset("¡¢£¤¥¦§¨©ª«¬\xad®¶·¸¹»¼½¾×÷")
_ACRONYM = re.compile(r"^[A-ZĐ]{2,6}$")
# VNI writes a vowel and its mark as two letters; foreign words hold few such pairs.
_VNI_PAIR = re.compile("[aeouyAEOUYôÔöÖ][øùûõïâáàåãäêéèúüëØÙÛÕÏÂÁÀÅÃÄÊÉÈÚÜË]")
_FOREIGN_PAIRS = frozenset("où oû aï oï oë oé aé eé uë uï ué oè aè".split())


def repair(s: str, hint: Hint | None = None) -> Repair:
    """See :func:`_repair`; the same names and titles come back in every file, so short
    texts are cached."""
    if len(s) <= _CACHED_LENGTH:
        return _repair_cached(s, hint)
    return _repair(s, hint)


@functools.lru_cache(maxsize=_CACHED_TEXTS)
def _repair_cached(s: str, hint: Hint | None) -> Repair:
    return _repair(s, hint)


def _repair(s: str, hint: Hint | None = None) -> Repair:
    """``s`` in Unicode. A legacy font converts the text (unless it holds Unicode letters, or
    reads as Vietnamese only as it is: Unicode pasted into a .VnTime cell); otherwise the
    content decides:
    a reading is taken when all its words are Vietnamese syllables and it makes Vietnamese of
    words that were not — two such words, or one with a character no word holds, or (no
    font known) one among plain words that are all Vietnamese. Words that hold real Unicode
    letters ("Tổ trưởng", "✓") are kept as they are; the rest converts."""
    if s.isascii():
        return Repair(s, unicode=True)
    if _has_unicode_letters(s) and all(  # the common case, told without cutting the text
            _is_vietnamese_word(w) for w in _WORD.findall(s)
            if _NOT_LEGACY.search(w) is None and _convertible(w)):
        return Repair(s, unicode=True)  # what follows would say so, whatever the font
    pieces = _pieces(s)
    if hint is not Hint.TCVN3_CAPITALS and not any(
            legacy and _convertible(word) for word, legacy in pieces):
        # nothing a legacy encoding would change; a capitals font would still raise "ý"
        small = any(legacy and any(ch.islower() and not ch.isascii() for ch in word)
                    for word, legacy in pieces)
        return Repair(s, unicode=not small or _has_unicode_letters(s))
    unicode_letters = _has_unicode_letters(s)
    words = [w for w, legacy in pieces if legacy and _convertible(w)]  # not "—"
    here = [_is_vietnamese_word(w) for w in words]
    if unicode_letters and all(here):  # typed in Unicode, and nothing here says otherwise
        return Repair(s, unicode=True)
    if hint in _HINT_ENCODING and not unicode_letters:
        encoding = _HINT_ENCODING[hint]
        text = _convert(pieces, encoding, hint is Hint.TCVN3_CAPITALS)
        if text == s or all(here) and not all(map(_is_vietnamese_word, _words(text, pieces))):
            return Repair(s)  # Vietnamese as typed, not once converted: pasted Unicode
        return Repair(text, encoding)
    return _by_content(s, pieces, words, here, hint is not Hint.UNICODE)


def _by_content(s: str, pieces: list[tuple[str, bool]], words: list[str], here: list[bool],
                lenient: bool) -> Repair:
    """The reading the content decides (see :func:`_repair`); ``lenient``: no Unicode font
    forbids taking a word made Vietnamese among plain words that are all Vietnamese."""
    plain = [w for w, legacy in pieces if legacy and w.isascii() and _bare(w).isalpha()]
    context = lenient and bool(plain) and all(map(_is_vietnamese_word, plain))
    winners: list[tuple[int, str, Encoding]] = []
    alternatives: list[tuple[str, Encoding]] = []
    for encoding in Encoding:
        text = _convert(pieces, encoding, False)
        converted = _words(text, pieces)
        if converted == words or not all(
                _is_vietnamese_word(c) or _ACRONYM.match(_bare(c)) for c in converted):
            continue
        weight = _evidence(words, here, converted, context)
        if weight:
            winners.append((weight, text, encoding))
        elif any(c != w and _has_letter(w) for c, w in zip(converted, words)):
            alternatives.append((text, encoding))
    if _has_unicode_letters(s):  # typed in Unicode: only strong evidence converts the rest
        alternatives = []
    winners.sort(key=lambda w: -w[0])
    if winners and (len(winners) == 1 or winners[0][0] > winners[1][0]):
        return Repair(winners[0][1], winners[0][2])
    doubtful = bool(winners) or any(_garbled(w) for w, ok in zip(words, here) if not ok)
    others = tuple(alternatives) + tuple((t, e) for _, t, e in winners)
    return Repair(s, doubtful=doubtful, alternatives=others,
                  unicode=all(here) and not doubtful and not others)


def _evidence(words: list[str], here: list[bool], converted: list[str], context: bool) -> int:
    """How strongly a reading that turns ``words`` into ``converted`` (all Vietnamese) is
    legacy text (0: not enough). A word made Vietnamese counts 1, 2 when it holds a
    character no word holds; a Vietnamese word turned into another counts against."""
    strong = weak = swapped = 0
    for word, ok, conv in zip(words, here, converted):
        if conv == word:
            continue
        if ok:
            swapped += 1
        elif _garbled(word):
            strong += 1
        else:
            weak += 1
    score = 2 * strong + weak
    if score > swapped and (strong or weak >= 2 or (context and not swapped)):
        return score - swapped
    return 0


def _has_unicode_letters(s: str) -> bool:
    """Letters no legacy encoding produces ("ị" in "Nông Thị"): typed in Unicode."""
    return any(ord(ch) > 0xFF and ch.isalpha() for ch in s)


def _pieces(s: str) -> list[tuple[str, bool]]:
    """``s`` cut into words and the spaces between them, each with whether it may be legacy
    text (only Windows-1252 characters)."""
    return [(p, not p.isspace() and _NOT_LEGACY.search(p) is None)
            for p in _BETWEEN_WORDS.split(s) if p]


_BETWEEN_WORDS = re.compile(r"(\s+)")
_WORD = re.compile(r"\S+")


def _convertible(word: str) -> bool:
    """Whether TCVN3 or VNI would read ``word`` otherwise than it is."""
    return not word.isascii() and (_TCVN3_CHANGED.search(word) is not None
                                   or _VNI_RE.search(word) is not None)


def _words(text: str, pieces: list[tuple[str, bool]]) -> list[str]:
    """The words of ``text`` (``pieces`` converted) that a legacy encoding could change."""
    return [c for c, (w, legacy) in zip(_BETWEEN_WORDS.split(text), pieces)
            if legacy and _convertible(w)]


def _convert(pieces: list[tuple[str, bool]], encoding: Encoding, capitals: bool) -> str:
    """The legacy runs of ``pieces`` converted, the Unicode words between them kept."""
    out, run = [], []
    for piece, legacy in pieces:
        if legacy or (run and piece.isspace()):
            run.append(piece)
            continue
        out.append(_convert_run("".join(run), encoding, capitals))
        run = []
        out.append(piece)
    out.append(_convert_run("".join(run), encoding, capitals))
    return "".join(out)


def _convert_run(text: str, encoding: Encoding, capitals: bool) -> str:
    if not text:
        return ""
    stripped = text.rstrip()
    tail = text[len(stripped):]
    if encoding is Encoding.VNI:
        return from_vni(stripped) + tail
    return from_tcvn3(stripped, capitals=capitals) + tail


def _bare(word: str) -> str:
    return _WORD_EDGE.sub("", word)


def _has_letter(word: str) -> bool:
    return any(ch.isalpha() and ch not in "ªº" for ch in word)


def _garbled(word: str) -> bool:
    """A word holding a character no word holds (see ``_GARBLE``; "µ" counts after a letter,
    a trade mark "®" at the end does not), accented letters in a case no word is written in
    ("ThÞ", "PHóC"), or a VNI vowel-and-mark pair no foreign word has ("eâ", "öõ")."""
    core = _bare(word)
    for i, ch in enumerate(core):
        before = core[i - 1] if i else ""
        if ch in _GARBLE and (ch != "®" or i < len(core) - 1) and _has_letter(core):
            return True
        if ch == "µ" and before.isalpha():
            return True
        if ch.isupper() and not ch.isascii() and before.islower():
            return True
    letters = "".join(ch for ch in core if ch.isalpha())
    if not (letters.islower() or letters.isupper() or letters[:1].isupper()
            and letters[1:].islower()) and not letters.isascii():
        return True
    return any(m.group(0).lower() not in _FOREIGN_PAIRS for m in _VNI_PAIR.finditer(core))


@functools.lru_cache(maxsize=1 << 15)
def _is_vietnamese_word(word: str) -> bool:
    """A word whose parts (split at "-", punctuation at the ends dropped) are syllables."""
    parts = [_bare(p) for p in word.split("-")]
    parts = [p for p in parts if p]
    return bool(parts) and all(is_vietnamese_syllable(p) for p in parts)

# --- Vietnamese syllables -----------------------------------------------------------------

_TONE_MARKS = {"\u0300": "huyen", "\u0301": "sac", "\u0303": "nga", "\u0309": "hoi",
               "\u0323": "nang"}
_INITIALS = ("ngh ng gh gi kh nh ph th tr ch qu b c d đ g h k l m n p r s t v x").split()
_FINALS = ("ch nh ng c m n p t").split()
_OPEN_ONLY = set(("ai ao au ay âu ây eo êu ia iu oi ôi ơi ui ưi ưu ưa ua iêu yêu oai oao oay "
                  "oeo uôi ươi ươu uya uyu uây").split())
_NEED_FINAL = set("ă â iê yê uô ươ uyê oă uâ oo".split())
_NUCLEI = set(("a ă â e ê i o ô ơ u ư y " "ai ao au ay âu ây eo êu ia iê iu oa oă oe oi ôi ơi "
               "oo ua uâ uê ui uô uơ uy ưa ưi ưu ươ yê " "iêu oai oao oay oeo uây uôi uya uyê "
               "uyu ươi ươu yêu").split()) | _OPEN_ONLY
_SYLLABLE = re.compile(
    "^(%s)?([aăâeêioôơuưy]{1,3})(%s)?$" % ("|".join(_INITIALS), "|".join(_FINALS)))
# Punctuation and digits at a word's ends (not the Windows-1252 symbols TCVN3 uses as letters).
_WORD_EDGE = re.compile(r"^[!-@\[-`{-~“”‘’„–—…•]+|[!-@\[-`{-~“”‘’„–—…•]+$")
_LETTERS_PLAIN = frozenset("abcdefghijklmnopqrstuvwxyzăâđêôơư")


@functools.lru_cache(maxsize=1 << 15)
def is_vietnamese_syllable(word: str) -> bool:
    """Whether ``word`` (one word, any case) is a well-formed Vietnamese syllable: an onset
    that may stand before its vowel ("ka", "ngha", "ce" are not), a rhyme Vietnamese has, and
    at most one tone, on the vowel that carries it ("leõ" is not; "hòa" and "hoà" both are),
    written in small letters, in capitals, or with a capital first ("TuÊn" is not)."""
    if not (word.islower() or word.isupper() or word[:1].isupper() and word[1:].islower()):
        return False
    split = _split_tone(word)
    if split is None:
        return False
    base, tone, at = split
    m = _SYLLABLE.match(base)
    if not m:
        return False
    initial, nucleus, final = m.group(1) or "", m.group(2), m.group(3) or ""
    if initial == "qu" and nucleus.startswith("u"):
        return False
    if nucleus not in _NUCLEI or not _onset_fits(initial, nucleus[0]):
        return False
    if final and nucleus in _OPEN_ONLY:
        return False
    if not final and nucleus in _NEED_FINAL:
        return False
    if final in ("ch", "nh") and nucleus[-1] not in "aêiy":
        return False
    if tone is None:
        return True
    if final in ("c", "ch", "p", "t") and tone not in ("sac", "nang"):
        return False
    return at - len(initial) in _tone_positions(nucleus, bool(final))


def _split_tone(word: str) -> tuple[str, str | None, int] | None:
    """``word`` lowercased without its tone, the tone, and the index of the letter bearing
    it; None when a letter is not Vietnamese or there are two tones."""
    base, tone, at = [], None, -1
    for i, ch in enumerate(unicodedata.normalize("NFC", word.lower())):
        parts = unicodedata.normalize("NFD", ch)
        marks = [m for m in parts[1:] if m in _TONE_MARKS]
        if marks:
            if tone is not None or len(marks) > 1 or parts[0] not in "aeiouy":
                return None
            tone, at = _TONE_MARKS[marks[0]], i
            ch = unicodedata.normalize("NFC", "".join(m for m in parts if m not in _TONE_MARKS))
        if ch not in _LETTERS_PLAIN:
            return None
        base.append(ch)
    return "".join(base), tone, at


def _onset_fits(initial: str, vowel: str) -> bool:
    """k, gh, ngh stand before i e ê (k also y); c, g, ng never do (g may before i)."""
    if initial in ("k", "gh", "ngh"):
        return vowel in ("ieêy" if initial == "k" else "ieê")
    if initial in ("c", "ng"):
        return vowel not in "ieêy"
    if initial == "g":
        return vowel not in "eê"
    return True


def _tone_positions(nucleus: str, closed: bool) -> set[int]:
    """Where in ``nucleus`` the tone may sit: on the vowel with a hat or horn (ơ of ươ), else
    on the last vowel before a final consonant, on either of oa/oe/uy (old and new style), on
    the middle of three vowels, on the first of two."""
    if len(nucleus) == 1:
        return {0}
    if nucleus.startswith("ươ"):
        return {1}
    marked = [i for i, ch in enumerate(nucleus) if ch in "ăâêôơư"]
    if marked:
        return {marked[-1]}
    if closed:
        return {len(nucleus) - 1}
    if nucleus in ("oa", "oe", "uy"):
        return {0, 1}
    return {1} if len(nucleus) == 3 else {0}


def settle(repairs: list[Repair]) -> list[Repair]:
    """The cells of one file in one font, decided together: when the cells the content
    decided were all converted from one encoding, the cells that read as Vietnamese both
    ways, or could not be decided alone, take their reading in that encoding (in capitals
    when every decided TCVN3 cell is in capitals: the file was typed in .VnTimeH)."""
    found = {r.encoding for r in repairs if r.encoding is not None}
    if len(found) != 1:
        return repairs
    encoding = found.pop()
    decided = [r.text for r in repairs if r.encoding is encoding
               and sum(ch.isalpha() for ch in r.text) > 2]  # "Nữ" cannot tell its case
    capitals = (encoding is Encoding.TCVN3 and len(decided) >= 2
                and all(t == t.upper() for t in decided))  # typed in .VnTimeH
    out = []
    for r in repairs:
        alternative = next((t for t, e in r.alternatives if e is encoding), None)
        if r.encoding is None and alternative is not None:
            r = Repair(alternative, encoding)
        if capitals and r.encoding is encoding:
            r = Repair(r.text.upper(), encoding)
        out.append(r)
    return out
