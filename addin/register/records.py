"""What a run writes into the register, and what the register answers."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from ..collect import fingerprint_fields


@dataclass(frozen=True)
class FileRecord:
    """A received unit workbook. ``path`` is best kept relative to the campaign folder so the
    register survives the folder being moved."""

    path: str
    sha256: str
    size: int
    unit_code: str
    status: str  # forms.STATUS_* as shown on *Tình hình nộp*
    received_at: datetime | None = None
    errors: int = 0
    warnings: int = 0

    @classmethod
    def of(cls, path: Path, *, fingerprint: bytes | None, unit_code: str,
           status: str, errors: int = 0, warnings: int = 0,
           received_at: datetime | None = None, root: Path | None = None) -> "FileRecord":
        """The record of a file: its SHA-256 and size as ``fingerprint`` (what the worker
        that read it measured: collect.file_fingerprint; None, an empty hash and size 0,
        when it could not be read); ``path`` stored relative to ``root`` when given."""
        path = Path(path)
        digest, size = fingerprint_fields(fingerprint)
        shown = _relative(path, Path(root)) if root else path
        return cls(shown.as_posix(), digest, size, unit_code, status, received_at, errors,
                   warnings)


def _relative(path: Path, root: Path) -> Path:
    """``path`` relative to ``root``: as written when it is written under ``root`` (the
    inbox's files are), else as both resolve on disk (resolving every file of a run asked
    the disk a dozen times a file)."""
    try:
        return path.relative_to(root)
    except ValueError:
        return path.resolve().relative_to(root.resolve())


@dataclass(frozen=True)
class NominationRecord:
    """One nomination row of *Khen tập thể* / *Khen cá nhân* with the clerk's review."""

    nomination_id: str  # identity.nomination_id
    unit_code: str
    target: str  # campaign.TARGET_COLLECTIVE or TARGET_INDIVIDUAL
    name: str  # the collective or person as written
    person_key: str  # identity.person_key (individuals) or identity.name_key (collectives)
    proposed_form: str
    approved: bool | None = None  # Duyệt: Có / Không / not reviewed yet
    awarded_form: str = ""  # Hình thức được khen as the clerk chose it
    birth_year: int | None = None
    note: str = ""

    @property
    def form_awarded(self) -> str:
        """The form the nomination gets: the clerk's choice, else the proposed form when
        approved; empty when not approved."""
        if not self.approved:
            return ""
        return self.awarded_form or self.proposed_form


@dataclass(frozen=True)
class DecisionRecord:
    """A document issued by a Documents run (decision, proposal, report)."""

    kind: str  # "QĐ", "TTr", "BC" — the keys of Campaign.next_numbers
    number: int
    issued_on: date | None
    award_form: str  # the form(s) the document awards or proposes, as named in it
    path: str  # the file written
    collectives: int = 0
    individuals: int = 0
    total_money: int = 0
    nomination_ids: tuple[str, ...] = ()  # the nominations listed in it
    reference: str = ""  # the number as printed, e.g. "05/QĐ-LĐLĐ"

    @property
    def shown_reference(self) -> str:
        return self.reference or f"{self.number:02d}/{self.kind}"


@dataclass(frozen=True)
class PastAward:
    """An earlier approval of a person for a form, with the document that gave it if any."""

    year: int
    phase: int
    unit_code: str
    nomination_id: str
    name: str
    award_form: str
    decision_reference: str = ""
    issued_on: date | None = None

    @property
    def detail(self) -> str:
        """Where it was given, for the ``detail`` of Msg.ALREADY_AWARDED."""
        where = f"đợt {self.phase} năm {self.year}, {self.unit_code}"
        if not self.decision_reference:
            return f"đã duyệt ở {where}"
        when = f" ngày {self.issued_on:%d/%m/%Y}" if self.issued_on else ""
        return f"văn bản số {self.decision_reference}{when}, {where}"


@dataclass(frozen=True)
class HistoryRow:
    """One nomination as the register remembers it, with the documents that listed it."""

    year: int
    phase: int
    unit_code: str
    nomination_id: str
    target: str
    name: str
    birth_year: int | None
    proposed_form: str
    approved: bool | None
    awarded_form: str
    documents: tuple[str, ...] = field(default_factory=tuple)  # "05/QĐ-LĐLĐ ngày 15/07/2020"
