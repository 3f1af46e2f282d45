"""Keys that say two rows are the same person, collective or nomination."""
from __future__ import annotations

import hashlib
import unicodedata


def name_key(name: object) -> str:
    """A name compared as people mean it: NFC, case-folded, spaces collapsed."""
    text = unicodedata.normalize("NFC", str(name or ""))
    return " ".join(text.casefold().split())


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
