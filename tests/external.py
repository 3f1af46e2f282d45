"""The programs some tests need besides Python: LibreOffice here, PostgreSQL in
``pg_server.py``. Without one, the tests that need it are skipped — except under ``CI=true``,
where they fail, so a CI machine that lost a program cannot pass by skipping."""
from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import NoReturn

import pytest

from docgen.pdf import find_soffice
from docgen.pdf import run_soffice as _run_soffice


def unavailable(what: str, reason: str) -> NoReturn:
    """Skip the test (fail it under CI=true): ``what`` cannot run here, because ``reason``."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{what} tests cannot run in CI: {reason}", pytrace=False)
    pytest.skip(f"{what} tests skipped: {reason}")


def soffice() -> str:
    """The LibreOffice program, for a test that needs it."""
    found = find_soffice()
    if found is None:
        unavailable("LibreOffice", "soffice is not installed")
    return found


def run_soffice(*args: str | Path, timeout: float = 240) -> subprocess.CompletedProcess:
    """LibreOffice headless with ``args``, with a private profile that is removed afterwards
    (nothing left in /tmp); fails the test when LibreOffice fails."""
    done = _run_soffice([str(a) for a in args], timeout, soffice())
    assert done.returncode == 0, f"soffice {args}: {done.returncode}\n{done.stderr}"
    return done
