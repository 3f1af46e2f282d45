"""The register: what every Consolidate and Documents run wrote, across phases and years.

An SQLite file in the campaign folder by default, or a shared PostgreSQL database named by a
URL. Both go through SQLAlchemy Core; the schema is created and kept up to date by the Alembic
migrations shipped in this package, run on every :meth:`Register.open`.

A run is one transaction, and everything it reads goes through that transaction's connection
(:class:`RunWriter` answers the same questions as :class:`Register`): a second connection
would wait for the write lock its own run holds. Document numbers are taken under a lock held
until the run ends — SQLite: the run's ``BEGIN IMMEDIATE``, the file's write lock;
PostgreSQL: a transaction-level advisory lock per year —, so a concurrent run waits and
numbers after it; a number of the year already given to another phase's document is never
written over (C10).
"""
from __future__ import annotations

import functools
import getpass
import itertools
import json
import re
import socket
from contextlib import AbstractContextManager, contextmanager, nullcontext
from datetime import datetime
from pathlib import Path
from typing import Any, Iterable, Iterator

from alembic import command
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import and_, bindparam, delete, event, func, insert, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import URL, Connection, Engine, create_engine, make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from workbook_templates.identity import name_key
from workbook_templates.messages import Msg, Problem, SetupError

from . import schema as t
from .cells import dump_rows, load_rows
from .records import DecisionRecord, FileRecord, HistoryRow, NominationRecord, PastAward

MIGRATIONS = Path(__file__).with_name("migrations")
_IN_CHUNK = 500  # values bound in one IN (...) list
SHEET_PART_ROWS = 1000  # rows of a phase snapshot stored as one JSON text
_WRITES = "thidua_writes"  # execution option of a run's connection: SQLite BEGIN IMMEDIATE
NUMBERING_LOCK = 0x74686964  # PostgreSQL advisory lock class of document numbers ("thid")


def batched(items: Iterable, size: int) -> Iterator[list]:
    """``items`` in lists of ``size`` (the last one shorter)."""
    it = iter(items)
    while chunk := list(itertools.islice(it, size)):
        yield chunk


class RegisterUnavailable(SetupError):
    """The register cannot be read or written; nothing of the run was kept."""

    def __init__(self, detail: str, technical: str = ""):
        super().__init__(Problem(Msg.REGISTER_UNAVAILABLE, detail=detail, technical=technical))


class _Queries:
    """What the register answers, asked through :meth:`_connection`: a connection of its
    own for :class:`Register`, the run's transaction for :class:`RunWriter`."""

    def _connection(self) -> AbstractContextManager[Connection]:
        raise NotImplementedError

    # --- reading ----------------------------------------------------------------------
    def awards_of(self, person_key: str, award_form: str,
                  years: Iterable[int]) -> list[PastAward]:
        """Documents in which this person (or collective) was given ``award_form``."""
        n, d, dn = t.nominations, t.decisions, t.decision_nominations
        query = (select(n, d.c.reference, d.c.issued_on)
                 .join(dn, dn.c.nomination_id == n.c.nomination_id)
                 .join(d, d.c.id == dn.c.decision_id)
                 .where(n.c.person_key == person_key, n.c.awarded_form == award_form,
                        n.c.year.in_(list(years))))
        return self._past(query)

    def approved_before(self, person_key: str, award_form: str, years: Iterable[int], *,
                        except_phase: tuple[int, int] | None = None) -> list[PastAward]:
        """Approvals (Duyệt = Có with ``award_form``) in ``years``, with or without a
        document; ``except_phase`` = (year, phase) leaves out the phase being consolidated."""
        n, d, dn = t.nominations, t.decisions, t.decision_nominations
        query = (select(n, d.c.reference, d.c.issued_on)
                 .outerjoin(dn, dn.c.nomination_id == n.c.nomination_id)
                 .outerjoin(d, d.c.id == dn.c.decision_id)
                 .where(n.c.person_key == person_key, n.c.awarded_form == award_form,
                        n.c.year.in_(list(years))))
        if except_phase is not None:
            query = query.where(~and_(n.c.year == except_phase[0],
                                      n.c.phase == except_phase[1]))
        return self._past(query)

    def past_awards(self, wanted: Iterable[tuple[str, str]], years: Iterable[int], *,
                    except_phase: tuple[int, int] | None = None
                    ) -> dict[tuple[str, str], list[PastAward]]:
        """For many (person key, award form) at once, what :meth:`awards_of` finds, or when
        it finds nothing what :meth:`approved_before` finds; pairs with neither are left
        out. One query per few hundred persons instead of two per pair."""
        n, d, dn = t.nominations, t.decisions, t.decision_nominations
        wanted = set(wanted)
        keys = sorted({k for k, _ in wanted})
        years = list(years)
        decided: dict[tuple[str, str], list[PastAward]] = {}
        approved: dict[tuple[str, str], list[PastAward]] = {}
        # one statement, its keys bound at each execution: a statement made per chunk
        # lived on in reference cycles with its keys (47 MB at 130,000 files)
        query = (select(n, d.c.reference, d.c.issued_on)
                 .outerjoin(dn, dn.c.nomination_id == n.c.nomination_id)
                 .outerjoin(d, d.c.id == dn.c.decision_id)
                 .where(n.c.person_key.in_(bindparam("keys", expanding=True)),
                        n.c.awarded_form != "", n.c.year.in_(years)))
        for i in range(0, len(keys), _IN_CHUNK):
            for past, row in self._past_rows(query, {"keys": keys[i:i + _IN_CHUNK]}):
                pair = (row["person_key"], row["awarded_form"])
                if pair not in wanted or except_phase == (past.year, past.phase):
                    continue  # the phase being checked is never its own precedent
                if row["reference"] is not None:
                    decided.setdefault(pair, []).append(past)
                approved.setdefault(pair, []).append(past)
        return {pair: decided.get(pair) or approved[pair]
                for pair in wanted if pair in decided or pair in approved}

    def listed_in_documents(self, nomination_ids: Iterable[str]) -> set[str]:
        """Those of ``nomination_ids`` that a document issued lists."""
        dn = t.decision_nominations
        ids = sorted(set(nomination_ids))
        found: set[str] = set()
        with self._connection() as conn:
            query = select(dn.c.nomination_id).where(
                dn.c.nomination_id.in_(bindparam("ids", expanding=True)))
            for i in range(0, len(ids), _IN_CHUNK):
                found.update(conn.execute(query, {"ids": ids[i:i + _IN_CHUNK]}).scalars())
        return found

    def next_number(self, kind: str, year: int, floor: int = 1) -> int:
        """The number the next document of ``kind`` takes: the largest issued + 1, and at
        least ``floor`` (the number set on *Cấu hình*)."""
        d = t.decisions
        with self._connection() as conn:
            last = conn.execute(select(func.max(d.c.number))
                                .where(d.c.kind == kind, d.c.year == year)).scalar()
        return max(floor, (last or 0) + 1)

    def issued_number(self, kind: str, year: int, phase: int,
                      award_form: str | None = None) -> int | None:
        """The number of the document of ``kind`` already written for this phase (for
        ``award_form`` when given), the latest if several; None when there is none."""
        d = t.decisions
        query = select(d.c.number).where(d.c.kind == kind, d.c.year == year, d.c.phase == phase)
        if award_form is not None:
            query = query.where(d.c.award_form == award_form)
        with self._connection() as conn:
            return conn.execute(query.order_by(d.c.id.desc()).limit(1)).scalar()

    def phase_sheets(self, year: int, phase: int) -> dict[str, list[list]]:
        """The consolidated sheets of a phase as last stored (header row first), by sheet
        name; empty when the phase was never stored."""
        ps, pp = t.phase_sheets, t.phase_sheet_parts
        with self._connection() as conn:
            found = conn.execute(select(ps.c.sheet, ps.c.rows)
                                 .where(ps.c.year == year, ps.c.phase == phase)
                                 .order_by(ps.c.id)).all()
            sheets = {r.sheet: load_rows(r.rows) for r in found}
            for r in conn.execute(select(pp.c.sheet, pp.c.rows)
                                  .where(pp.c.year == year, pp.c.phase == phase)
                                  .order_by(pp.c.sheet, pp.c.part)):
                sheets[r.sheet].extend(load_rows(r.rows))
        return sheets

    def history(self, *, person: str | None = None,
                unit: str | None = None) -> list[HistoryRow]:
        """Every nomination of a person (by name, any case or spacing) or of a unit (by
        code), over all phases and years, oldest first."""
        n, d, dn = t.nominations, t.decisions, t.decision_nominations
        query = select(n)
        if person is not None:
            query = query.where(n.c.name_key == name_key(person))
        if unit is not None:
            query = query.where(func.upper(n.c.unit_code) == unit.strip().upper())
        docs = (select(dn.c.nomination_id, d.c.reference, d.c.issued_on)
                .join(d, d.c.id == dn.c.decision_id)
                .where(dn.c.nomination_id.in_(query.with_only_columns(n.c.nomination_id)
                                              .scalar_subquery()))
                .order_by(d.c.issued_on, d.c.kind, d.c.number))
        with self._connection() as conn:
            rows = conn.execute(query).mappings().all()
            listed: dict[str, list[str]] = {}
            for doc in conn.execute(docs):
                listed.setdefault(doc.nomination_id, []).append(
                    _document(doc.reference, doc.issued_on))
        result = [HistoryRow(
            year=r["year"], phase=r["phase"], unit_code=r["unit_code"],
            nomination_id=r["nomination_id"], target=r["target"], name=r["name"],
            birth_year=r["birth_year"], proposed_form=r["proposed_form"],
            approved=r["approved"], awarded_form=r["awarded_form"],
            documents=tuple(listed.get(r["nomination_id"], ())),
        ) for r in rows]
        return sorted(result, key=lambda h: (h.year, h.phase, h.unit_code, name_key(h.name),
                                             h.nomination_id))

    def phase_results(self, year: int, phase: int) -> dict[str, dict[str, float]]:
        """Indicator values per unit stored by the consolidation of one phase."""
        r = t.unit_results
        out: dict[str, dict[str, float]] = {}
        with self._connection() as conn:
            for row in conn.execute(select(r.c.unit_code, r.c.indicator, r.c.value)
                                    .where(r.c.year == year, r.c.phase == phase)
                                    .order_by(r.c.unit_code, r.c.indicator)):
                out.setdefault(row.unit_code, {})[row.indicator] = row.value
        return out

    # --- helpers ----------------------------------------------------------------------
    def _past(self, query) -> list[PastAward]:
        return [past for past, _ in self._past_rows(query)]

    def _past_rows(self, query, params: dict | None = None) -> list[tuple[PastAward, Any]]:
        n = t.nominations
        query = query.order_by(n.c.year, n.c.phase, n.c.nomination_id)
        with self._connection() as conn:
            return [(PastAward(
                year=r["year"], phase=r["phase"], unit_code=r["unit_code"],
                nomination_id=r["nomination_id"], name=r["name"],
                award_form=r["awarded_form"], decision_reference=r["reference"] or "",
                issued_on=r["issued_on"],
            ), r) for r in conn.execute(query, params).mappings()]


class Register(_Queries):
    """The campaign's memory. Open with :meth:`open`; write inside :meth:`run`."""

    def __init__(self, engine: Engine, label: str):
        self._engine = engine
        self.label = label  # the file or URL (password hidden), for messages

    # --- opening ----------------------------------------------------------------------
    @classmethod
    def open(cls, target: str | Path, *, timeout: float = 10.0) -> "Register":
        """Open (creating or upgrading) the register at an SQLite path or a SQLAlchemy URL.
        ``timeout``: seconds to wait for a locked file or a server."""
        try:
            engine, label = _engine(target, timeout)
        except (ArgumentError, ImportError, ValueError) as err:
            shown = re.sub(r"//[^@/]*@", "//***@", str(target))
            raise RegisterUnavailable(
                f"địa chỉ cơ sở dữ liệu “{shown}” không hợp lệ hoặc máy chưa cài trình kết "
                "nối cho nó") from err
        register = cls(engine, label)
        try:
            with register._guard():
                register._upgrade()
        except RegisterUnavailable:
            engine.dispose()
            raise
        return register

    @classmethod
    def for_campaign(cls, folder, campaign) -> "Register":
        """The register a campaign uses: ``Campaign.register_url``, else the SQLite file of
        the campaign folder (:class:`addin.folder.CampaignFolder`)."""
        return cls.open(campaign.register_url or folder.register)

    def _upgrade(self) -> None:
        """Run the migrations up to the head, unless the schema is there already (Alembic's
        command runs through module globals: not while another thread opens a register)."""
        with self._engine.begin() as conn:
            if MigrationContext.configure(conn).get_current_revision() == _head():
                return
            config = _alembic_config()
            config.attributes["connection"] = conn
            command.upgrade(config, "head")

    def close(self) -> None:
        self._engine.dispose()

    def __enter__(self) -> "Register":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # --- writing ----------------------------------------------------------------------
    @contextmanager
    def run(self, *, kind: str, year: int, phase: int,
            settings: dict[str, Any]) -> Iterator["RunWriter"]:
        """One run, one transaction: all it writes is kept together or not at all. An error
        of the register raises :class:`RegisterUnavailable`; any other error is re-raised
        after the rollback."""
        with self._guard():
            with self._engine.connect().execution_options(**{_WRITES: True}) as conn, \
                    conn.begin():
                run_id = conn.execute(insert(t.runs).values(
                    kind=kind, year=year, phase=phase, started_at=datetime.now(),
                    machine=socket.gethostname(), user_name=_user(),
                    settings=json.dumps(settings, ensure_ascii=False, sort_keys=True,
                                        default=str),
                )).inserted_primary_key[0]
                yield RunWriter(conn, run_id, year, phase)
                conn.execute(update(t.runs).where(t.runs.c.id == run_id)
                             .values(finished_at=datetime.now()))

    @contextmanager
    def _connection(self) -> Iterator[Connection]:
        with self._guard(), self._engine.connect() as conn:
            yield conn

    @contextmanager
    def _guard(self) -> Iterator[None]:
        """Turn any database error into :class:`RegisterUnavailable`."""
        try:
            yield
        except SQLAlchemyError as err:
            raise RegisterUnavailable(_detail(err, self.label), _technical(err)) from err


class NumberTaken(SetupError):
    """A document number of the year already belongs to another phase's document."""

    def __init__(self, reference: str, phase: int, wanted: int):
        super().__init__(Problem(Msg.DECISION_NUMBER_TAKEN, value=reference,
                                 field=str(phase), expected=wanted))


class RunWriter(_Queries):
    """Writes one run's records (every write replaces what the same natural key held) and
    answers, inside the run's transaction, what :class:`Register` answers."""

    def __init__(self, conn: Connection, run_id: int, year: int, phase: int):
        self._conn = conn
        self.run_id = run_id
        self.year = year
        self.phase = phase
        self._numbers: dict[tuple[str, str | None], int] = {}  # handed out in this run
        self._next: dict[str, int] = {}
        self._numbering_locked = False
        self._upserts: dict[tuple, Any] = {}  # statements made once per run (_upsert_many)

    def _connection(self) -> AbstractContextManager[Connection]:
        return nullcontext(self._conn)

    def number(self, kind: str, award_form: str | None = None, floor: int = 1) -> int:
        """The number of this phase's document of ``kind`` (for ``award_form`` when given):
        the one the register has for it (a re-run), else the next free one of the year —
        after the largest issued, at least ``floor`` (set on *Cấu hình*) and consecutive
        within the run. Taken under the numbering lock (see the module docstring)."""
        key = (kind, award_form)
        if key not in self._numbers:
            self._lock_numbering()
            number = self.issued_number(kind, self.year, self.phase, award_form)
            if number is None:
                number = max(self.next_number(kind, self.year, floor), self._next.get(kind, 0))
                self._next[kind] = number + 1
            self._numbers[key] = number
        return self._numbers[key]

    def next_free(self, floors: dict[str, int]) -> dict[str, int]:
        """The number the next document of each kind would take after this run: the kinds of
        ``floors`` (kind -> the first number set on *Cấu hình*) and those the run numbered."""
        kinds = dict.fromkeys([*floors, *self._next])
        return {kind: max(self.next_number(kind, self.year, floors.get(kind, 1)),
                          self._next.get(kind, 0)) for kind in kinds}

    def _lock_numbering(self) -> None:
        """Hold the year's numbering until the run ends. SQLite: the run's transaction holds
        the write lock since it began; PostgreSQL: an advisory lock."""
        if self._numbering_locked or self._conn.dialect.name != "postgresql":
            return
        self._conn.execute(select(func.pg_advisory_xact_lock(NUMBERING_LOCK, self.year)))
        self._numbering_locked = True

    def file(self, rec: FileRecord) -> None:
        """A received file, keyed by year, phase, path and SHA-256."""
        self.files([rec])

    def files(self, recs: Iterable[FileRecord]) -> None:
        """Received files, as :meth:`file` each, in one statement."""
        self._upsert_many(t.received_files, ("year", "phase", "path", "sha256"), [dict(
            year=self.year, phase=self.phase, path=rec.path, sha256=rec.sha256,
            size=rec.size, unit_code=rec.unit_code, received_at=rec.received_at,
            status=rec.status, errors=rec.errors, warnings=rec.warnings,
            run_id=self.run_id) for rec in recs])

    def nomination(self, rec: NominationRecord) -> None:
        """A nomination with the clerk's decision, keyed by its stable id."""
        self.nominations([rec])

    def nominations(self, recs: Iterable[NominationRecord]) -> None:
        """Nominations, as :meth:`nomination` each, in one statement."""
        self._upsert_many(t.nominations, ("nomination_id",), [dict(
            nomination_id=rec.nomination_id,
            year=self.year, phase=self.phase, unit_code=rec.unit_code, target=rec.target,
            name=rec.name, name_key=name_key(rec.name), person_key=rec.person_key,
            birth_year=rec.birth_year, proposed_form=rec.proposed_form,
            approved=rec.approved, awarded_form=rec.form_awarded, note=rec.note,
            run_id=self.run_id) for rec in recs])

    def results(self, unit_code: str, values: dict[str, float]) -> None:
        """A unit's indicator values for this phase (indicator code -> value); indicators
        left out are no longer stored for the unit."""
        self.results_of({unit_code: values})

    def results_of(self, by_unit: dict[str, dict[str, float]]) -> None:
        """Several units' values, as :meth:`results` each: what a unit had stored for this
        phase is replaced by its new values."""
        r = t.unit_results
        if not by_unit:
            return
        self._conn.execute(delete(r).where(r.c.year == self.year, r.c.phase == self.phase,
                                           r.c.unit_code == bindparam("code")),
                           [{"code": code} for code in by_unit])
        rows = [dict(year=self.year, phase=self.phase, unit_code=code, indicator=indicator,
                     value=float(value), run_id=self.run_id)
                for code, values in by_unit.items() for indicator, value in values.items()]
        if rows:
            self._conn.execute(insert(r), rows)

    def sheet(self, name: str, rows: Iterable[list]) -> None:
        """A consolidated sheet of this phase (header row first), replacing the one stored
        before under the same name; written SHEET_PART_ROWS rows at a time."""
        key = dict(year=self.year, phase=self.phase, sheet=name)
        parts = batched(rows, SHEET_PART_ROWS)
        self._upsert(t.phase_sheets, key, dict(rows=dump_rows(next(parts, [])),
                                               run_id=self.run_id))
        pp = t.phase_sheet_parts
        self._conn.execute(delete(pp).where(*(pp.c[k] == v for k, v in key.items())))
        for part, chunk in enumerate(parts, 1):
            self._conn.execute(insert(pp), [dict(**key, part=part, rows=dump_rows(chunk),
                                                 run_id=self.run_id)])

    def decision(self, rec: DecisionRecord) -> None:
        """A document issued for this phase, keyed by year, kind and number, with the
        nominations it lists; it replaces this phase's document of that number (a re-run),
        never another phase's (:class:`NumberTaken`)."""
        d, dn = t.decisions, t.decision_nominations
        key = dict(year=self.year, kind=rec.kind, number=rec.number)
        self._lock_numbering()
        held = self._conn.execute(select(d.c.reference, d.c.phase).where(
            *(d.c[k] == v for k, v in key.items()))).first()
        if held is not None and held.phase not in (None, self.phase):
            raise NumberTaken(held.reference, held.phase, self.phase)
        self._upsert(d, key, dict(
            phase=self.phase, reference=rec.shown_reference, issued_on=rec.issued_on,
            award_form=rec.award_form, collectives=rec.collectives, individuals=rec.individuals,
            total_money=rec.total_money, path=rec.path, run_id=self.run_id))
        decision_id = self._conn.execute(
            select(d.c.id).where(*(d.c[k] == v for k, v in key.items()))).scalar_one()
        self._conn.execute(delete(dn).where(dn.c.decision_id == decision_id))
        ids = list(dict.fromkeys(rec.nomination_ids))
        if ids:
            self._conn.execute(insert(dn), [dict(decision_id=decision_id, nomination_id=i)
                                            for i in ids])

    def _upsert(self, table, key: dict[str, Any], values: dict[str, Any]) -> None:
        self._upsert_many(table, tuple(key), [{**key, **values}])

    def _upsert_many(self, table, key: tuple[str, ...], rows: list[dict[str, Any]]) -> None:
        """Insert ``rows``; a row whose ``key`` columns (a unique constraint of ``table``)
        are already stored replaces the other columns there (SQLite and PostgreSQL)."""
        if not rows:
            return
        rows = list({tuple(r[k] for k in key): r for r in rows}.values())  # last one wins
        self._conn.execute(self._upsert_statement(table, key, tuple(rows[0])), rows)

    def _upsert_statement(self, table, key: tuple[str, ...], columns: tuple[str, ...]):
        """The insert-or-replace of ``columns`` into ``table`` on ``key``, made once in the
        run: one made per batch lived on in reference cycles (an alias of the table and its
        columns), 27 MB at 130,000 files."""
        found = self._upserts.get((table.name, key, columns))
        if found is None:
            make = (postgresql_insert if self._conn.dialect.name == "postgresql"
                    else sqlite_insert)
            stmt = make(table)
            found = self._upserts[(table.name, key, columns)] = stmt.on_conflict_do_update(
                index_elements=list(key),
                set_={c: stmt.excluded[c] for c in columns if c not in key})
        return found


def _engine(target: str | Path, timeout: float) -> tuple[Engine, str]:
    """The engine for an SQLite path or a URL, and how to name it in messages."""
    if isinstance(target, str) and "://" in target:
        url = make_url(target)
    else:
        url = URL.create("sqlite", database=str(Path(target)))
    if url.drivername == "postgresql":
        url = url.set(drivername="postgresql+psycopg")
    if url.drivername.startswith("sqlite"):
        return _sqlite_engine(url, timeout), str(target)
    engine = create_engine(url, pool_pre_ping=True,
                           connect_args={"connect_timeout": max(1, round(timeout))})
    return engine, url.render_as_string(hide_password=True)


def _alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS).replace("%", "%%"))
    return config


@functools.cache
def _head() -> str | None:
    return ScriptDirectory.from_config(_alembic_config()).get_current_head()


def _sqlite_engine(url: URL, timeout: float) -> Engine:
    """SQLite with transactions begun by SQLAlchemy, not by the driver: ``BEGIN IMMEDIATE``
    for a run (the write lock taken at once, before anything is read), ``BEGIN`` else."""
    engine = create_engine(url, connect_args={"timeout": timeout})

    @event.listens_for(engine, "connect")
    def _no_driver_transactions(dbapi_conn, _record) -> None:
        dbapi_conn.isolation_level = None

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        immediate = conn.get_execution_options().get(_WRITES)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


def _user() -> str:
    try:
        return getpass.getuser()
    except OSError:
        return ""


def _document(reference: str, issued_on) -> str:
    return f"{reference} ngày {issued_on:%d/%m/%Y}" if issued_on else reference


def _detail(err: SQLAlchemyError, label: str) -> str:
    """Why the register failed, in the clerk's words (the library's own: :func:`_technical`)."""
    low = _technical(err).lower()
    if "locked" in low:
        return f"tệp “{label}” đang bị chương trình hoặc máy khác khóa"
    if "disk is full" in low or "no space" in low:
        return f"ổ đĩa chứa “{label}” đã đầy"
    if "readonly" in low or "read-only" in low or "permission denied" in low:
        return f"không có quyền ghi vào “{label}”"
    if "unable to open database" in low:
        return f"không mở được tệp “{label}”"
    if getattr(err, "connection_invalidated", False) or "connect" in low \
            or "terminat" in low or "server closed" in low:
        return f"không kết nối được hoặc mất kết nối tới máy chủ “{label}”"
    return f"lỗi cơ sở dữ liệu tại “{label}”"


def _technical(err: SQLAlchemyError) -> str:
    """The database's own first line about ``err``, for the technical detail."""
    lines = str(getattr(err, "orig", None) or err).strip().splitlines()
    return f"{type(err).__name__}: {lines[0]}"[:300] if lines else type(err).__name__
