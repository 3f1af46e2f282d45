"""One step of a run done by another process while the run goes on in this one: on a
machine of two cores, Consolidate writes the control workbook while the register records
(the two read the same sheets; neither changes them).

The process is forked when the run starts, while this one is small, and waits for its
step, which comes pickled: forked at the end, it shared the run's whole heap, and every
page either process then wrote to (a new object lands in a free slot of an old page, a
count of references changes) was copied (at 130,000 files the tree's peak was 510 MB
against 360 MB with the workbook written after the register's records).

Where a process cannot be forked cheaply (Windows, macOS), the step is done at once, in
this process, when it is given.
"""
from __future__ import annotations

import multiprocessing
import os
import pickle
import sys
from typing import Any, Callable


class StepDied(RuntimeError):
    """The process doing the step ended without answering (killed, or out of memory)."""


class Background:
    """A process waiting for one step: :meth:`begin` gives it ``step(*args)`` (pickled);
    :meth:`result` waits for its value or raises what it raised; :meth:`cancel` stops the
    process wherever it is (the caller removes what the step left)."""

    def __init__(self) -> None:
        self._process = None
        self._outcome: tuple[bool, Any] | None = None
        if sys.platform.startswith("linux"):
            context = multiprocessing.get_context("fork")
            self._conn, child_conn = context.Pipe()
            self._process = context.Process(target=_serve, args=(child_conn,), daemon=True)
            self._process.start()
            child_conn.close()

    def begin(self, step: Callable[..., Any], *args: Any) -> None:
        if self._process is None:
            self._outcome = _done(step, args)
            return
        try:
            self._conn.send((step, args))
        except OSError:  # it has died: result() says so
            pass

    def result(self) -> Any:
        if self._outcome is None:
            try:
                self._outcome = self._conn.recv()
            except (EOFError, OSError):
                self._process.join()
                raise StepDied(f"exit code {self._process.exitcode}") from None
            finally:
                self._conn.close()
            self._process.join()
        ok, value = self._outcome
        if not ok:
            raise value
        return value

    def cancel(self) -> None:
        if self._process is not None and self._process.is_alive():
            self._process.kill()
            self._process.join()


def _done(step: Callable[..., Any], args: tuple) -> tuple[bool, Any]:
    try:
        return True, step(*args)
    except Exception as exc:  # noqa: BLE001 — raised again by result(), in the caller
        return False, exc


def _serve(conn) -> None:
    """The forked process: its step received and done, the outcome sent back (an exception
    that cannot be pickled as a :class:`RuntimeError` of its text), then out without
    running the parent's exit handlers, which belong to the parent's files and connections.
    A parent that ends without giving a step ends it too."""
    try:
        step, args = conn.recv()
    except (EOFError, OSError):
        os._exit(0)
    outcome = _done(step, args)
    try:
        conn.send(outcome)
    except (pickle.PicklingError, TypeError, AttributeError):
        conn.send((False, RuntimeError(f"{type(outcome[1]).__name__}: {outcome[1]}")))
    except OSError:  # the parent is gone
        pass
    conn.close()
    os._exit(0)
