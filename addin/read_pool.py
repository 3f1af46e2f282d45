"""Read and check every returned file in worker processes that may die.

A file can make a parser panic, exhaust memory, loop, or kill the process outright; none of
that may stop the run. Each file is read in a worker process (a few long-lived workers, not
one process per file): the parent gives each worker at most :data:`_IN_FLIGHT` files at a
time, so it always knows which file a worker is on. When a worker dies, the file it was on is
read once more in a fresh worker (a worker may die of what earlier files left behind); dying
again makes it that file's problem (F19). A file read longer than :data:`FILE_SECONDS` has
its worker killed (F20). Files queued behind a culprit go to the other workers; a fresh
worker takes the dead one's place, as one does after a worker has read
:data:`WORKER_FILES` files. On Linux each worker's address space is limited
(:data:`WORKER_MEMORY_MB` above its size at start), so a file needing too much memory fails
alone instead of drawing the machine into swap.
"""
from __future__ import annotations

import gc
import multiprocessing
import os
import pickle
import signal
import sys
import time
from collections import deque
from datetime import datetime
from multiprocessing.connection import wait
from pathlib import Path
from types import MappingProxyType
from typing import Callable, Iterator

from workbook_templates.campaign import Campaign
from workbook_templates.messages import Msg, Problem
from workbook_templates.opening import technical
from workbook_templates.reader import ReadFailure, read_return
from workbook_templates.records import Meta, Value

from .checks import check_return, unit_from_file_name
from .collect import InboxFiles, file_fingerprint
from .crosscheck import nominee_keys
from .plans import FileOutcome
from .spill import Spill

Progress = Callable[[int, int, str], None]  # (done, total, what) -> None
FILE_SECONDS = 120  # wall time one file may take to read and check
WORKER_MEMORY_MB = 2048  # address space a worker may take beyond its size at start (Linux)
LOG_NAME = "nhat_ky_doc_tep.log"  # in the campaign folder
LOG_HEADER = "Nhật ký kỹ thuật của các chương trình đọc tệp (cho bộ phận kỹ thuật)"
_IN_FLIGHT = 2  # files given to a worker at a time: one being read, one waiting
# Files a worker reads before a fresh one takes its place. A forked worker shares its parent's
# memory only until either writes to it: each head the parent keeps lands in a free slot of a
# page the workers share (about 8 KB of pages copied a file), and what a worker allocates lands
# in the free slots of the pages it inherited. A fresh fork shares the parent's again. Reading
# 24,000 files with the campaign of 130,000 units, the tree's peak was 406 MB after 4,000 files
# a worker, 374 MB after 1,000 (as fast), 334 MB after 400 (8 % slower: each fresh worker
# warms its caches). It also bounds what a parser may leak.
WORKER_FILES = 1000
# Files the operating system is asked to read from disk before a worker needs them, so that
# the disk works while the workers parse (see :class:`_ReadAhead`).
READ_AHEAD = 32
# What a worker answers: the file's index, its outcome, and what light() took out of it.
_Answer = tuple[int, FileOutcome, "tuple[bytes, list[tuple]] | None"]
_FATAL = (KeyboardInterrupt, SystemExit)


def read_all(paths: InboxFiles, campaign: Campaign, phase: int, spill: Spill,
             progress: Progress | None = None, workers: int | None = None,
             log: Path | None = None) -> list[FileOutcome]:
    """The outcome of every file of ``paths``, in their order. What the parsers print (a
    Rust panic's message, a library's warnings) goes to ``log`` (rewritten each run), each
    file's name before it, instead of the clerk's terminal.

    Each outcome comes back light (its return without tables, free texts or totals,
    :func:`light`): what an accepted file holds is put in ``spill`` as the worker pickled
    it, with the keys of its nominees, and read back from there; so is every file's
    fingerprint, for the register."""
    total = len(paths)
    count = workers or int(os.environ.get("THIDUA_WORKERS", 0)) or (os.cpu_count() or 1)
    outcomes: list[FileOutcome | None] = [None] * total
    try:
        if log is not None:
            log.write_text(f"{datetime.now():%Y-%m-%d %H:%M:%S} {LOG_HEADER}\n",
                           encoding="utf-8")
    except OSError:  # a folder that cannot be written: no log, the run goes on
        log = None
    # built before the workers fork, so they share it: each building its own held 40 MB
    # more of its own memory at 130,000 units
    campaign.unit_positions()
    pool = _Pool(paths, campaign, phase, min(count, total), log)
    shared = _Shared(campaign)
    for done, (index, outcome, held) in enumerate(pool.results(), 1):
        outcomes[index] = shared.settled(outcome, paths.folder(index), paths.names[index])
        spill.keep_fingerprint(index, outcome.fingerprint)
        outcome.fingerprint = None
        if held is not None and outcome.accepted:
            spill.put(index, *held)
        if progress:
            progress(done, total, outcome.name)
    return outcomes  # type: ignore[return-value]


def process_file(path: Path, campaign: Campaign, phase: int) -> FileOutcome:
    """Read and check one file, and take its fingerprint for the register. Never raises:
    whatever goes wrong becomes a problem row."""
    outcome = _read_and_check(path, campaign, phase)
    outcome.fingerprint = file_fingerprint(path)
    return outcome


def _read_and_check(path: Path, campaign: Campaign, phase: int) -> FileOutcome:
    received = _mtime(path)
    named = unit_from_file_name(path, campaign)
    try:
        ret = read_return(path, campaign, campaign.unit_forms(phase))
    except ReadFailure as failure:
        problem = failure.problem
        problem.file, problem.unit = problem.file or path.name, named
        return FileOutcome.at(path, named, None, False, received, [problem])
    except _FATAL:
        raise
    except BaseException as exc:  # noqa: BLE001 — one broken file never stops the others
        return _failed(path, campaign, Msg.FILE_READ_CRASH, technical(exc))
    ret.received = ret.received or received
    try:
        verdict = check_return(ret, campaign, phase, campaign.unit_forms(phase))
    except _FATAL:
        raise
    except BaseException as exc:  # noqa: BLE001
        ret.problems.append(Problem(Msg.FILE_READ_CRASH, file=path.name, unit=named,
                                    technical=technical(exc)))
        return FileOutcome.at(path, ret.unit_code, ret, False, received, ret.problems)
    code = verdict.unit.code if verdict.unit else named
    for p in ret.problems:
        p.unit = p.unit or code
    return FileOutcome.at(path, code, ret, verdict.accepted, ret.received, ret.problems)


# What a light return keeps of Thông tin (its value only): what chooses among a unit's files.
_HEAD_INFO = "ngay_bao_cao"


def light(outcome: FileOutcome) -> tuple[FileOutcome, tuple[bytes, list[tuple]] | None]:
    """``outcome`` without its return's tables, free texts, totals and meta (of Thông tin
    only the date of the report), and what they held:
    the tables and free texts pickled, and the keys of the nominees (None when the file
    could not be read)."""
    ret = outcome.ret
    if ret is None:
        return outcome, None
    held = (pickle.dumps((ret.tables, ret.free_text), pickle.HIGHEST_PROTOCOL),
            nominee_keys(ret))
    ret.tables, ret.free_text, ret.totals, ret.meta = {}, {}, {}, Meta()
    ret.path = None  # the outcome's folder and name say it; the parent shares them
    ret.info = {k: Value(v.value, None, "", "", v.ok) for k, v in ret.info.items()
                if k == _HEAD_INFO}
    return outcome, held


_NOTHING = MappingProxyType({})  # the tables, free texts and totals of a light return
_NO_META = Meta()


class _Shared:
    """What the parent keeps of each outcome, shared where files say the same: the folder
    and name of the inbox's list (not a copy per file), the campaign's own string for an
    accepted file's unit code, one head of Thông tin per report date, and the empty tables
    every light return has (about 350 bytes a file, 45 MB at 130,000 files, and the
    folder and name about 350 more than a ``Path`` a file: see :class:`InboxFiles`)."""

    def __init__(self, campaign: Campaign):
        self._campaign = campaign
        self._heads: dict[tuple, dict[str, Value]] = {}

    def settled(self, outcome: FileOutcome, folder: Path, name: str) -> FileOutcome:
        outcome.folder, outcome.name = folder, name
        unit = self._campaign.unit(outcome.unit_code) if outcome.accepted else None
        if unit is not None:  # an accepted file's unit is known (no search of the list)
            outcome.unit_code = unit.code
        ret = outcome.ret
        if ret is not None:
            ret.tables = ret.free_text = ret.totals = _NOTHING
            ret.meta = _NO_META
            ret.info = self._head(ret.info)
        return outcome

    def _head(self, info: dict[str, Value]) -> dict[str, Value]:
        key = tuple((k, type(v.value), v.value, v.ok) for k, v in info.items())
        try:
            return self._heads.setdefault(key, info)
        except TypeError:  # a value that cannot be a key: kept as it came
            return info


def _failed(path: Path, campaign: Campaign, msg: Msg, tech: str, **kw) -> FileOutcome:
    named = unit_from_file_name(path, campaign)
    problem = Problem(msg, file=path.name, unit=named, technical=tech, **kw)
    return FileOutcome.at(path, named, None, False, _mtime(path), [problem],
                          file_fingerprint(path))


def _mtime(path: Path) -> datetime | None:
    try:
        return datetime.fromtimestamp(path.stat().st_mtime)
    except OSError:
        return None


# --- the workers -------------------------------------------------------------------------

def _context():
    """fork where it is safe and fast (Linux); spawn elsewhere (Windows, macOS)."""
    return multiprocessing.get_context("fork" if sys.platform.startswith("linux") else "spawn")


def _serve(conn, campaign: Campaign, phase: int, memory_mb: int, log: Path | None) -> None:
    """A worker's loop: read (index, path) tasks, answer (index, the outcome made
    :func:`light`, what its return held or None), until None."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when to stop
    gc.freeze()  # what a forked worker inherits is never collected nor copied by the collector
    gc.enable()
    _limit_memory(memory_mb)
    if log is not None:
        _to_log(log)
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        index, path = task
        if log is not None:
            print(f"--- {path.name}", file=sys.stderr, flush=True)
        outcome = process_file(path, campaign, phase)
        try:
            conn.send((index, *light(outcome)))
        except _FATAL:
            raise
        except BaseException as exc:  # noqa: BLE001 — an outcome that cannot be sent back
            conn.send((index, _failed(path, campaign, Msg.FILE_READ_CRASH, technical(exc)),
                       None))


def _to_log(log: Path) -> None:
    """The worker's standard error (where Rust and Python libraries print) into ``log``."""
    try:
        fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND)
    except OSError:
        return  # the folder cannot be written: the messages stay where they were
    sys.stderr.flush()
    os.dup2(fd, 2)
    os.close(fd)
    sys.stderr = open(2, "w", encoding="utf-8", errors="replace", closefd=False)


def _limit_memory(memory_mb: int) -> None:
    try:
        import resource

        with open("/proc/self/statm") as f:
            size = int(f.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (ImportError, OSError, ValueError):
        return  # not Linux: the operating system's own limits apply
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = size + memory_mb * 1024 * 1024
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    if soft == resource.RLIM_INFINITY or limit < soft:
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


class _Worker:
    """One worker process and the files it has been given, oldest first."""

    def __init__(self, ctx, campaign: Campaign, phase: int, log: Path | None):
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=_serve, daemon=True,
                                   args=(child, campaign, phase, WORKER_MEMORY_MB, log))
        self.process.start()
        child.close()
        self.given: deque[int] = deque()
        self.since = time.monotonic()  # when the file at the head of ``given`` began
        self.taken = 0  # files given so far

    def give(self, index: int, path: Path) -> None:
        if not self.given:
            self.since = time.monotonic()
        self.given.append(index)
        self.taken += 1
        try:
            self.conn.send((index, path))
        except OSError:  # it has died: the pool finds out and gives the file to another
            pass

    @property
    def spent(self) -> bool:
        """Whether it has been given its share of files (:data:`WORKER_FILES`)."""
        return self.taken >= WORKER_FILES

    def answers(self) -> Iterator[_Answer]:
        """What the worker has sent back so far (nothing more if it died meanwhile)."""
        try:
            while self.given and self.conn.poll():
                answer = self.conn.recv()
                self.given.remove(answer[0])
                self.since = time.monotonic()
                yield answer
        except (EOFError, OSError):
            return

    def stop(self, kill: bool = False) -> None:
        if not kill:
            try:
                self.conn.send(None)
            except OSError:
                pass
            self.process.join(5)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
        self.conn.close()


class _Pool:
    def __init__(self, paths: InboxFiles, campaign: Campaign, phase: int, size: int,
                 log: Path | None):
        self.paths, self.campaign, self.phase, self.size = paths, campaign, phase, size
        self.log = log
        self.pending: deque[int] = deque(range(len(paths)))
        self.died_once: set[int] = set()
        self.ahead = _ReadAhead(paths)

    def results(self) -> Iterator[_Answer]:
        ctx = _context()
        workers = [self._worker(ctx) for _ in range(self.size)]
        left = len(self.paths)
        try:
            while left:
                for w in workers:
                    while self.pending and len(w.given) < _IN_FLIGHT and not w.spent:
                        index = self.pending.popleft()
                        w.give(index, self.paths[index])
                        self.ahead.upto(index)
                wait([w.conn for w in workers] + [w.process.sentinel for w in workers],
                     timeout=self._next_deadline(workers))
                for i, w in enumerate(workers):
                    dead = not w.process.is_alive()  # before draining: nothing sent is lost
                    for answer in w.answers():
                        left -= 1
                        yield answer
                    replace, final = self._check(w, dead)
                    if not replace and self.pending and w.spent and not w.given:
                        w.stop()  # it has read its share: a fresh fork goes on
                        replace = True
                    if replace:
                        workers[i] = self._worker(ctx)
                    if final is not None:
                        left -= 1
                        yield (*final, None)
        finally:
            for w in workers:
                w.stop()

    def _worker(self, ctx) -> _Worker:
        return _Worker(ctx, self.campaign, self.phase, self.log)

    def _next_deadline(self, workers: list[_Worker]) -> float:
        busy = [w.since for w in workers if w.given]
        return max(0.0, min(busy) + FILE_SECONDS - time.monotonic()) if busy else 1.0

    def _check(self, w: _Worker, dead: bool) -> tuple[bool, tuple[int, FileOutcome] | None]:
        """Whether worker ``w`` must be replaced (it died or overran its time), and the
        outcome of the file it was on when that outcome is final (not to be read again)."""
        timed_out = bool(w.given) and time.monotonic() - w.since > FILE_SECONDS
        if not dead and not timed_out:
            return False, None
        w.stop(kill=True)
        if not w.given:
            return True, None
        culprit = w.given.popleft()
        self.pending.extendleft(reversed(w.given))  # the files queued behind it
        w.given.clear()
        path = self.paths[culprit]
        if timed_out:
            return True, (culprit, _failed(path, self.campaign, Msg.FILE_TIMED_OUT,
                                           f"killed after {FILE_SECONDS} s",
                                           expected=FILE_SECONDS))
        if culprit not in self.died_once:
            self.died_once.add(culprit)
            self.pending.appendleft(culprit)
            return True, None
        return True, (culprit, _failed(path, self.campaign, Msg.FILE_READER_DIED,
                                       _exit_text(w.process.exitcode)))


class _ReadAhead:
    """Asks the operating system to read the files after the one just given from disk
    while the workers parse (Linux: ``posix_fadvise`` ``WILLNEED``, which returns at once;
    elsewhere nothing). A worker reading its file itself waits for the disk, one file at a
    time per worker; where the files are not in memory, as when 130,000 of them are read,
    that waiting took as long as the parsing."""

    def __init__(self, paths: InboxFiles):
        self.paths = paths
        self.advised = 0  # the files before this index have been asked for

    def upto(self, index: int) -> None:
        if not hasattr(os, "posix_fadvise"):
            return
        stop = min(len(self.paths), index + 1 + READ_AHEAD)
        while self.advised < stop:
            _will_need(self.paths[self.advised])
            self.advised += 1


def _will_need(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return  # the worker meets the same error and says so
    try:
        os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_WILLNEED)
    except OSError:
        pass
    finally:
        os.close(fd)


def _exit_text(code: int | None) -> str:
    if code is not None and code < 0:
        try:
            return f"worker killed by {signal.Signals(-code).name}"
        except ValueError:
            return f"worker killed by signal {-code}"
    return f"worker exited with status {code}"
