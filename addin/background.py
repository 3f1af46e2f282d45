"""One step of a run done by another process while the run goes on in this one: on a
machine of two cores, Consolidate writes the control workbook while the register records
(the two read the same sheets; neither changes them).

The process is a fresh interpreter, started before its step is due (it imports the modules
it is told to while the run goes on, with the run's ``sys.path``), and waits for its step,
which comes pickled: a function by its module and name, and its arguments. It is not a fork
of the run: a forked process shared the run's pages copy-on-write, and every page the run
then wrote to (a new object in a free slot of an old page, a count of references changed)
became the forked one's own, so that its memory grew with the length of the run (89 MB at
1,000 files, 126 MB at 130,000, of which its step needed 40).

Where processes are dear or the interpreter may not be started again (Windows, where the
add-in runs inside Excel; macOS), the step is done at once, in this process, when given.
"""
from __future__ import annotations

import json
import pickle
import subprocess
import sys
from multiprocessing.connection import Connection, Pipe
from typing import Any, Callable

# What the fresh interpreter runs: the run's sys.path, the modules to import, then _serve.
_BOOT = ("import json, sys; sys.path[:] = json.loads(sys.argv[2]); "
         "from addin.background import _serve; _serve(int(sys.argv[1]), sys.argv[3:])")


class StepDied(RuntimeError):
    """The process doing the step ended without answering (killed, or out of memory)."""


class Background:
    """A process waiting for one step: :meth:`begin` gives it ``step(*args)`` (pickled);
    :meth:`result` waits for its value or raises what it raised; :meth:`cancel` stops the
    process wherever it is (the caller removes what the step left). ``imports``: modules
    the step needs, imported while it waits."""

    def __init__(self, imports: tuple[str, ...] = ()) -> None:
        self._process: subprocess.Popen | None = None
        self._outcome: tuple[bool, Any] | None = None
        if sys.platform.startswith("linux"):
            self._conn, theirs = Pipe()
            self._process = subprocess.Popen(
                [sys.executable, "-c", _BOOT, str(theirs.fileno()), json.dumps(sys.path),
                 *imports], pass_fds=(theirs.fileno(),), stdin=subprocess.DEVNULL)
            theirs.close()

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
                raise StepDied(f"exit code {self._process.wait()}") from None
            finally:
                self._conn.close()
            self._process.wait()
        ok, value = self._outcome
        if not ok:
            raise value
        return value

    def cancel(self) -> None:
        if self._process is not None and self._process.poll() is None:
            self._process.kill()
            self._process.wait()


def _done(step: Callable[..., Any], args: tuple) -> tuple[bool, Any]:
    try:
        return True, step(*args)
    except Exception as exc:  # noqa: BLE001 — raised again by result(), in the caller
        return False, exc


def _serve(fd: int, imports: list[str]) -> None:
    """The fresh process: ``imports`` imported, its step received and done, the outcome sent
    back (an exception that cannot be pickled as a :class:`RuntimeError` of its text). A
    parent that ends without giving a step ends it too."""
    for name in imports:
        __import__(name)
    conn = Connection(fd)
    try:
        received = conn.recv_bytes()
    except (EOFError, OSError):
        return
    try:
        step, args = pickle.loads(received)
    except Exception as exc:  # noqa: BLE001 — a step this interpreter cannot import
        outcome: tuple[bool, Any] = (False, RuntimeError(f"{type(exc).__name__}: {exc}"))
    else:
        del received
        outcome = _done(step, args)
    try:
        conn.send(outcome)
    except (pickle.PicklingError, TypeError, AttributeError):
        conn.send((False, RuntimeError(f"{type(outcome[1]).__name__}: {outcome[1]}")))
    except OSError:  # the parent is gone
        pass
    conn.close()
