"""One step of a run done in a forked process while the run goes on in this one: on a
machine of two cores, Consolidate writes the control workbook while the register records
(the two read the same sheets; neither changes them).

Where a process cannot be forked cheaply (Windows, macOS: a spawned one would need the
sheets pickled), the step is done at once, in this process.
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
    """``step(*args)`` started now; :meth:`result` waits for its value or raises what it
    raised; :meth:`cancel` stops it if it is still going (the caller removes what it left)."""

    def __init__(self, step: Callable[..., Any], *args: Any):
        self._process = None
        self._outcome: tuple[bool, Any] | None = None
        if not sys.platform.startswith("linux"):
            self._outcome = _done(step, args)
            return
        context = multiprocessing.get_context("fork")
        self._conn, child_conn = context.Pipe(duplex=False)
        self._process = context.Process(target=_serve, args=(child_conn, step, args),
                                        daemon=True)
        self._process.start()
        child_conn.close()

    def result(self) -> Any:
        if self._outcome is None:
            try:
                self._outcome = self._conn.recv()
            except EOFError:
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


def _serve(conn, step: Callable[..., Any], args: tuple) -> None:
    """The forked process: the step's outcome sent back (an exception that cannot be
    pickled as a :class:`RuntimeError` of its text), then out without running the parent's
    exit handlers, which belong to the parent's open files and connections."""
    outcome = _done(step, args)
    try:
        conn.send(outcome)
    except (pickle.PicklingError, TypeError, AttributeError):
        conn.send((False, RuntimeError(f"{type(outcome[1]).__name__}: {outcome[1]}")))
    conn.close()
    os._exit(0)
