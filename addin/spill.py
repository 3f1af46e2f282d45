"""A Consolidate run's temporary store on disk, so that its memory does not grow with the
number of files: what each return holds (its rows, pickled by the worker that read it), the
keys the checks across files compare (:mod:`addin.crosscheck`), which file counts for each
unit, and the rows of the consolidated sheets (:class:`RowStore`).

Everything lives in a temporary folder that is removed when the run ends, whatever happens.
"""
from __future__ import annotations

import pickle
import sqlite3
import tempfile
from array import array
from collections.abc import Iterable, Iterator, MutableMapping
from pathlib import Path
from typing import Any

# The rows of the three reviewed forms, one per nominee (see crosscheck.nominee_keys).
NOMINEE_COLUMNS = ("form", "seq", "number", "dup_key", "subject", "name", "birth", "label",
                   "sheet", "cell", "award", "award_sheet", "award_cell", "bare", "written",
                   "story")
_SCHEMA = f"""
CREATE TABLE returns (idx INTEGER PRIMARY KEY, data BLOB NOT NULL);
CREATE TABLE fingerprints (idx INTEGER PRIMARY KEY, fingerprint BLOB);
CREATE TABLE nominees (idx INTEGER NOT NULL, {", ".join(NOMINEE_COLUMNS)});
CREATE TABLE chosen (idx INTEGER PRIMARY KEY, rank INTEGER NOT NULL,
                     unit_rank INTEGER NOT NULL, code TEXT NOT NULL, file TEXT NOT NULL);
"""
_INDEXES = """
CREATE INDEX chosen_rank ON chosen (rank);
CREATE INDEX chosen_unit_rank ON chosen (unit_rank, rank);
CREATE INDEX nominees_idx ON nominees (idx, form, seq);
CREATE INDEX nominees_dup ON nominees (form, dup_key);
CREATE INDEX nominees_written ON nominees (form, written) WHERE written IS NOT NULL;
"""
_CACHE_KB = 16_000  # SQLite's page cache: the rest stays on disk
# Every nominee of the chosen files, file by file in the order the checks go through them:
# CROSS JOIN makes SQLite read ``chosen`` by its rank and each file's nominees by their
# index, sorting one file's rows at a time instead of every nominee of the run at once in a
# temporary B-tree (whose memory grew with the number of files).
CHOSEN_NOMINEES = "FROM chosen c CROSS JOIN nominees n ON n.idx = c.idx"
# The same rows, SQLite starting from an index of ``nominees``: for a query that asks for a
# few nominees by their key, or whose few matches are sorted once found.
NOMINEES_OF_CHOSEN = "FROM nominees n JOIN chosen c ON c.idx = n.idx"


class Spill:
    """The run's temporary database and folder (a context manager: both go at its end)."""

    def __init__(self) -> None:
        self._dir = tempfile.TemporaryDirectory(prefix="thidua-run-",
                                                ignore_cleanup_errors=True)
        self.folder = Path(self._dir.name)
        self.db = sqlite3.connect(self.folder / "run.sqlite", isolation_level=None)
        self.db.executescript(f"PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; "
                              f"PRAGMA cache_size=-{_CACHE_KB}; PRAGMA temp_store=FILE;"
                              f"BEGIN; {_SCHEMA}")
        self._indexed = False
        self._stores: list[RowStore] = []

    def __enter__(self) -> "Spill":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        for store in self._stores:
            store.close()
        self.db.close()
        self._dir.cleanup()

    def put(self, idx: int, data: bytes, nominees: list[tuple]) -> None:
        """What file ``idx`` holds (``data``: its tables and free texts, pickled) and the
        keys of its nominees."""
        self.db.execute("INSERT INTO returns VALUES (?, ?)", (idx, data))
        if nominees:
            self.db.executemany(
                f"INSERT INTO nominees VALUES (?{', ?' * len(NOMINEE_COLUMNS)})",
                [(idx, *row) for row in nominees])

    def keep_fingerprint(self, idx: int, fingerprint: bytes | None) -> None:
        """The fingerprint file ``idx``'s worker took (collect.file_fingerprint), for the
        register: kept here, not in the outcome the run holds (73 bytes a file)."""
        self.db.execute("INSERT INTO fingerprints VALUES (?, ?)", (idx, fingerprint))

    def fingerprints(self) -> Iterator[bytes | None]:
        """The fingerprint of every file, in the order of their indexes."""
        return (fp for (fp,) in self.db.execute(
            "SELECT fingerprint FROM fingerprints ORDER BY idx"))

    def load(self, idx: int) -> tuple[dict, dict]:
        """The tables and free texts of file ``idx``."""
        found = self.db.execute("SELECT data FROM returns WHERE idx = ?", (idx,)).fetchone()
        return pickle.loads(found[0]) if found else ({}, {})

    def choose(self, chosen: Iterable[tuple[int, int, str, str]]) -> None:
        """The files that count, in the order the checks across files go through them:
        (file index, rank of the unit in the campaign, unit code, file name)."""
        self.db.execute("DELETE FROM chosen")
        self.db.executemany("INSERT INTO chosen VALUES (?, ?, ?, ?, ?)",
                            ((idx, rank, unit_rank, code, file)
                             for rank, (idx, unit_rank, code, file) in enumerate(chosen)))
        if not self._indexed:
            self.db.executescript(_INDEXES)
            self._indexed = True

    def query(self, sql: str, params: tuple = ()) -> Iterator[tuple]:
        """Rows of ``sql`` over ``nominees`` and ``chosen``, streamed."""
        return self.db.execute(sql, params)

    def rows(self) -> "RowStore":
        """A new, empty store of a sheet's rows in the run's folder."""
        self._stores.append(RowStore(self.folder / f"rows{len(self._stores) + 1}.bin"))
        return self._stores[-1]


class _StoredRows:
    """What reads stored rows like a list of rows (``len``, iteration, ``rows[i]``) from a
    subclass's ``__len__``, :meth:`record` and :meth:`records`."""

    def __iter__(self) -> Iterator[list[Any]]:
        for values, _ in self.records():
            yield values

    def __getitem__(self, i: int) -> list[Any]:
        return self.record(i)[0]

    def record(self, i: int) -> tuple[list[Any], tuple]:
        raise NotImplementedError

    def records(self) -> Iterator[tuple[list[Any], tuple]]:
        raise NotImplementedError


class RowStore(_StoredRows):
    """A sheet's rows on disk, appended in order, each with the links of its cells: a list
    of rows to whoever reads it (``len``, iteration, ``rows[i]``), and ``rows[i] = row``
    for the few a later step changes (kept in memory, read in place of the stored row).

    Rows are pickled :data:`CHUNK_ROWS` at a time: one ``pickle.load`` per row cost more
    than the rows' own decoding (a fifth of a 10,000-file run's serial tail)."""

    def __init__(self, path: Path):
        self._path = path
        self._out = path.open("wb")
        self._offsets = array("q")  # where each stored chunk starts in the file
        self._size = 0
        self._pending: list[tuple[list, tuple]] = []  # the rows of the chunk being filled
        self._cached: tuple[int, list] = (-1, [])  # the chunk read last, by number
        self._changed: dict[int, tuple[list, tuple]] = {}
        self.links = StoredLinks(self)

    def __getstate__(self) -> dict[str, Any]:
        """What another process reads the store by (its file's path and where each chunk
        starts, the rows not yet in a chunk, the changed ones): a copy it may read, not
        append to."""
        return {"_path": self._path, "_offsets": self._offsets, "_size": self._size,
                "_pending": self._pending, "_changed": self._changed}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state, _out=None, _cached=(-1, []))
        self.links = StoredLinks(self)

    def append(self, values: list[Any], links: Iterable[tuple[int, str]] = ()) -> None:
        self._pending.append((values, tuple(links)))
        if len(self._pending) == CHUNK_ROWS:
            data = pickle.dumps(self._pending, pickle.HIGHEST_PROTOCOL)
            self._offsets.append(self._size)
            self._out.write(data)
            self._out.flush()  # on disk, not in a buffer a forked process would copy
            self._size += len(data)
            self._pending = []

    def __len__(self) -> int:
        return len(self._offsets) * CHUNK_ROWS + len(self._pending)

    def __setitem__(self, i: int, values: list[Any]) -> None:
        self._changed[i] = (list(values), self.record(i)[1])

    def record(self, i: int) -> tuple[list[Any], tuple]:
        """Row ``i``'s values and links ((column, target), ...)."""
        if i < 0:
            i += len(self)
        if i in self._changed:
            return self._changed[i]
        chunk, at = divmod(i, CHUNK_ROWS)
        if chunk == len(self._offsets):
            return self._pending[at]
        if self._cached[0] != chunk:
            with self._path.open("rb") as f:
                f.seek(self._offsets[chunk])
                self._cached = (chunk, pickle.load(f))
        return self._cached[1][at]

    def records(self, start: int = 0, stop: int | None = None
                ) -> Iterator[tuple[list[Any], tuple]]:
        """The values and links of rows ``start`` to ``stop`` (default: every row), in
        order."""
        stop = len(self) if stop is None else min(stop, len(self))
        first = start // CHUNK_ROWS
        i = first * CHUNK_ROWS
        with self._path.open("rb", buffering=1 << 20) as f:
            if first < len(self._offsets):
                f.seek(self._offsets[first])
            for n in range(first, len(self._offsets) + 1):
                if i >= stop:
                    return
                chunk = pickle.load(f) if n < len(self._offsets) else self._pending
                for record in chunk:
                    if start <= i < stop:
                        yield self._changed.get(i, record)
                    i += 1

    def window(self, start: int, stop: int) -> "RowWindow":
        """Rows ``start`` to ``stop``, read from this store as a store of their own."""
        return RowWindow(self, start, min(stop, len(self)))

    def close(self) -> None:
        self._out.close()

    def link(self, i: int, col: int, target: str) -> None:
        values, links = self.record(i)
        self._changed[i] = (values, (*((c, t) for c, t in links if c != col), (col, target)))


CHUNK_ROWS = 512


class RowWindow(_StoredRows):
    """A run of a :class:`RowStore`'s rows (a worksheet's share of a sheet longer than Excel
    takes), read like a store: ``len``, iteration, ``rows[i]``, :meth:`records`, links."""

    def __init__(self, store: RowStore, start: int, stop: int):
        self._store, self._start, self._stop = store, start, stop
        self.links = StoredLinks(self)

    def __len__(self) -> int:
        return self._stop - self._start

    def record(self, i: int) -> tuple[list[Any], tuple]:
        if i < 0:
            i += len(self)
        if not 0 <= i < len(self):
            raise IndexError(i)
        return self._store.record(self._start + i)

    def records(self) -> Iterator[tuple[list[Any], tuple]]:
        return self._store.records(self._start, self._stop)


class StoredLinks(MutableMapping):
    """The links of a :class:`RowStore`'s cells as the ``{(row, col): target}`` mapping a
    plan's ``links`` is; the stored rows are read for it."""

    def __init__(self, store: "RowStore | RowWindow"):
        self._store = store

    def __getitem__(self, key: tuple[int, int]) -> str:
        r, c = key
        if not 0 <= r < len(self._store):
            raise KeyError(key)
        for col, target in self._store.record(r)[1]:
            if col == c:
                return target
        raise KeyError(key)

    def __setitem__(self, key: tuple[int, int], target: str) -> None:
        self._store.link(*key, target)

    def __delitem__(self, key: tuple[int, int]) -> None:
        raise TypeError("a stored row's link is replaced, never removed")

    def __iter__(self) -> Iterator[tuple[int, int]]:
        for key, _ in self.items():
            yield key

    def __len__(self) -> int:
        return sum(len(links) for _, links in self._store.records())

    def items(self):  # one pass over the store, not one read per key
        return (((r, c), t) for r, (_, links) in enumerate(self._store.records())
                for c, t in links)
