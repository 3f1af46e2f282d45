"""The register's tables (SQLAlchemy Core). The Alembic migrations in ``migrations/`` create
exactly these; a test compares the two."""
from __future__ import annotations

from sqlalchemy import (BigInteger, Boolean, Column, Date, DateTime, Float, ForeignKey, Index,
                        Integer, MetaData, String, Table, Text, UniqueConstraint)

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
metadata = MetaData(naming_convention=NAMING)

runs = Table(
    "runs", metadata,
    Column("id", Integer, primary_key=True),
    Column("kind", String(40), nullable=False),  # "consolidate", "documents"
    Column("year", Integer, nullable=False),
    Column("phase", Integer, nullable=False),
    Column("started_at", DateTime, nullable=False),
    Column("finished_at", DateTime),
    Column("machine", String(255), nullable=False),
    Column("user_name", String(255), nullable=False),
    Column("settings", Text, nullable=False),  # JSON
)

received_files = Table(
    "received_files", metadata,
    Column("id", Integer, primary_key=True),
    Column("year", Integer, nullable=False),
    Column("phase", Integer, nullable=False),
    Column("path", String(1000), nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("size", BigInteger, nullable=False),
    Column("unit_code", String(40), nullable=False),
    Column("received_at", DateTime),
    Column("status", String(40), nullable=False),
    Column("errors", Integer, nullable=False),
    Column("warnings", Integer, nullable=False),
    Column("run_id", Integer, ForeignKey("runs.id"), nullable=False),
    UniqueConstraint("year", "phase", "path", "sha256"),
)

nominations = Table(
    "nominations", metadata,
    Column("nomination_id", String(64), primary_key=True),
    Column("year", Integer, nullable=False),
    Column("phase", Integer, nullable=False),
    Column("unit_code", String(40), nullable=False),
    Column("target", String(20), nullable=False),
    Column("name", String(500), nullable=False),
    Column("name_key", String(500), nullable=False),
    Column("person_key", String(520), nullable=False),
    Column("birth_year", Integer),
    Column("proposed_form", String(200), nullable=False),
    Column("approved", Boolean),
    Column("awarded_form", String(200), nullable=False),  # effective: empty unless approved
    Column("note", Text, nullable=False),
    Column("run_id", Integer, ForeignKey("runs.id"), nullable=False),
    Index(None, "person_key"),
    Index(None, "name_key"),
    Index(None, "unit_code"),
)

unit_results = Table(
    "unit_results", metadata,
    Column("id", Integer, primary_key=True),
    Column("year", Integer, nullable=False),
    Column("phase", Integer, nullable=False),
    Column("unit_code", String(40), nullable=False),
    Column("indicator", String(80), nullable=False),
    Column("value", Float, nullable=False),
    Column("run_id", Integer, ForeignKey("runs.id"), nullable=False),
    UniqueConstraint("year", "phase", "unit_code", "indicator"),
)

decisions = Table(
    "decisions", metadata,
    Column("id", Integer, primary_key=True),
    Column("year", Integer, nullable=False),
    Column("kind", String(20), nullable=False),
    Column("number", Integer, nullable=False),
    Column("reference", String(60), nullable=False),
    Column("issued_on", Date),
    Column("award_form", String(500), nullable=False),
    Column("collectives", Integer, nullable=False),
    Column("individuals", Integer, nullable=False),
    Column("total_money", BigInteger, nullable=False),
    Column("path", String(1000), nullable=False),
    Column("run_id", Integer, ForeignKey("runs.id"), nullable=False),
    Column("phase", Integer),  # the phase it was written for (none before migration 0002)
    UniqueConstraint("year", "kind", "number"),
)

# Which nominations a document lists. No foreign key to nominations: a document may be
# written before its nominations were ever consolidated into this register.
decision_nominations = Table(
    "decision_nominations", metadata,
    Column("decision_id", Integer, ForeignKey("decisions.id", ondelete="CASCADE"),
           primary_key=True),
    Column("nomination_id", String(64), primary_key=True),
    Index(None, "nomination_id"),
)

# The consolidated sheets of a phase as last seen (by Consolidate, then by Documents after the
# clerk's review): header and rows as JSON (see ``cells.py``), one row per sheet holding its
# first SHEET_PART_ROWS rows, the others in ``phase_sheet_parts``.
phase_sheets = Table(
    "phase_sheets", metadata,
    Column("id", Integer, primary_key=True),
    Column("year", Integer, nullable=False),
    Column("phase", Integer, nullable=False),
    Column("sheet", String(100), nullable=False),
    Column("rows", Text, nullable=False),
    Column("run_id", Integer, ForeignKey("runs.id"), nullable=False),
    UniqueConstraint("year", "phase", "sheet"),
)

# The rows of a phase snapshot beyond its first part (issue 18), as JSON, in order.
phase_sheet_parts = Table(
    "phase_sheet_parts", metadata,
    Column("id", Integer, primary_key=True),
    Column("year", Integer, nullable=False),
    Column("phase", Integer, nullable=False),
    Column("sheet", String(100), nullable=False),
    Column("part", Integer, nullable=False),
    Column("rows", Text, nullable=False),
    Column("run_id", Integer, ForeignKey("runs.id"), nullable=False),
    UniqueConstraint("year", "phase", "sheet", "part"),
)
