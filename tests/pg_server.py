"""A throw-away PostgreSQL server for the register tests.

``THIDUA_TEST_PG_URL`` (a URL of a role that may create databases) is used when set; else a
cluster is created with the Debian binaries in a temp dir, started on 127.0.0.1 on a free port
(unix sockets in the temp dir) and removed at the end of the session. Without either, the
PostgreSQL tests are skipped — except under ``CI=true``, where they fail.
"""
from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, make_url, text

from external import unavailable


def _unavailable(reason: str):
    unavailable("PostgreSQL", reason)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LocalCluster:
    """initdb + pg_ctl in a temp dir, run as the ``postgres`` user when we are root."""

    def __init__(self, bindir: Path):
        self.bindir = bindir
        self.root = Path(tempfile.mkdtemp(prefix="thidua_pg_"))
        self.data = self.root / "data"
        self.port = _free_port()
        self.as_root = os.geteuid() == 0

    def _run(self, *args: str) -> None:
        cmd = [str(a) for a in args]
        if self.as_root:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
        if done.returncode != 0:
            log = self.root / "server.log"
            tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
            raise RuntimeError(f"{' '.join(cmd)} failed:\n{done.stdout}\n{done.stderr}\n{tail}")

    def start(self) -> str:
        if self.as_root:
            shutil.chown(self.root, "postgres", "postgres")
        os.chmod(self.root, 0o700)
        self._run(self.bindir / "initdb", "-D", self.data, "-U", "postgres", "-A", "trust",
                  "-E", "UTF8", "--no-locale")
        options = (f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 "
                   "-c fsync=off -c full_page_writes=off")
        self._run(self.bindir / "pg_ctl", "-D", self.data, "-o", options,
                  "-l", self.root / "server.log", "-w", "-t", "60", "start")
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def stop(self) -> None:
        try:
            self._run(self.bindir / "pg_ctl", "-D", self.data, "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)


@pytest.fixture(scope="session")
def pg_admin_url():
    """URL of a PostgreSQL role that may create databases, for the whole session."""
    url = os.environ.get("THIDUA_TEST_PG_URL")
    if url:
        yield make_url(url).set(drivername="postgresql+psycopg").render_as_string(
            hide_password=False)
        return
    initdbs = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not initdbs:
        _unavailable("THIDUA_TEST_PG_URL is not set and no /usr/lib/postgresql/*/bin/initdb")
    if os.geteuid() == 0 and not shutil.which("runuser"):
        _unavailable("running as root without runuser to start the server as postgres")
    cluster = LocalCluster(Path(initdbs[-1]).parent)
    try:
        yield cluster.start()
    finally:
        cluster.stop()


@pytest.fixture
def pg_database(pg_admin_url):
    """A fresh, empty database for one test; dropped afterwards."""
    name = f"thidua_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(pg_admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(pg_admin_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
