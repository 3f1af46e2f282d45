"""The register: memory of runs, received files, nominations, results and documents issued,
across phases and years (SQLite in the campaign folder, or a shared PostgreSQL)."""
from .records import DecisionRecord, FileRecord, HistoryRow, NominationRecord, PastAward
from .store import NumberTaken, Register, RegisterUnavailable, RunWriter

__all__ = ["DecisionRecord", "FileRecord", "HistoryRow", "NominationRecord", "NumberTaken",
           "PastAward", "Register", "RegisterUnavailable", "RunWriter"]
