"""The local Neo4j launcher (scripts/neo4j-local) against a real server.

These tests need Java 17+ and Maven (the server jars are fetched on first use);
without them they fail rather than skip.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from neo4j import GraphDatabase
from neo4j.exceptions import AuthError

from graph.generate import generated_map
from graph.store import Neo4jStore, StoreError

REPO = Path(__file__).resolve().parent.parent
LAUNCHER = REPO / "scripts" / "neo4j-local"
PASSWORD = "launcher-test-pw"
URI_RE = re.compile(r"^bolt://127\.0\.0\.1:(\d+)$")

pytestmark = pytest.mark.neo4j


def launcher(*args: str, timeout: float = 60, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(LAUNCHER), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
        env={**os.environ, "NEO4J_PASSWORD": PASSWORD, **env},
    )


def test_launcher_is_executable() -> None:
    assert os.access(LAUNCHER, os.X_OK)
    assert LAUNCHER.read_text().startswith("#!/usr/bin/env python3\n")


def test_status_and_uri_of_a_home_without_server(tmp_path: Path) -> None:
    home = tmp_path / "home"
    res = launcher("status", "--home", str(home))
    assert res.returncode == 3, res
    assert "not running" in res.stdout
    res = launcher("uri", "--home", str(home))
    assert res.returncode == 3, res
    assert res.stdout == ""
    res = launcher("stop", "--home", str(home))
    assert res.returncode == 0, res
    assert "not running" in res.stderr


def test_a_setting_that_is_not_key_value_is_refused(tmp_path: Path) -> None:
    res = launcher("start", "--home", str(tmp_path / "home"), "--setting", "heap 1g")
    assert res.returncode != 0
    assert "--setting takes KEY=VALUE" in res.stderr
    assert not (tmp_path / "home" / "conf" / "neo4j.conf").exists()


def test_start_query_status_stop(tmp_path: Path) -> None:
    home = tmp_path / "home"
    try:
        res = launcher(
            "start",
            "--home",
            str(home),
            "--timeout",
            "240",
            "--setting",
            "db.transaction.timeout=7m",
            "--setting",
            "db.memory.transaction.max=2m",
            timeout=600,
        )
        assert res.returncode == 0, f"start failed:\n{res.stderr}"
        lines = res.stdout.splitlines()
        assert len(lines) == 1, res.stdout
        uri = lines[0]
        assert URI_RE.match(uri), uri
        assert (home / "run" / "uri").read_text().strip() == uri
        pid = int((home / "run" / "neo4j.pid").read_text())

        with GraphDatabase.driver(uri, auth=("neo4j", PASSWORD)) as driver:
            records, _, _ = driver.execute_query("RETURN 1 AS one", database_="neo4j")
            assert records[0]["one"] == 1
            records, _, _ = driver.execute_query(
                "CALL dbms.components() YIELD versions, edition RETURN versions[0] AS v, edition",
                database_="system",
            )
            assert records[0]["v"].startswith("5.26.")
            assert records[0]["edition"] == "community"
            records, _, _ = driver.execute_query(
                "SHOW SETTINGS YIELD name, value WHERE name = 'db.transaction.timeout' RETURN value"
            )
            assert records[0]["value"] == "7m"

        # With 2 MB for a transaction, a big map does not fit: one line says what to do,
        # and nothing is written.
        with Neo4jStore(uri, password=PASSWORD) as store:
            small = generated_map(20, 40, seed=1, map_id="klein")
            store.load(small)
            with pytest.raises(StoreError, match="ran out of transaction memory.*--heap"):
                store.load(generated_map(2000, 10000, seed=1, map_id="groot"))
            assert [row["id"] for row in store.maps()] == ["klein"]
            assert store.read("klein") == small

        with pytest.raises(AuthError):
            with GraphDatabase.driver(uri, auth=("neo4j", "not-the-password")) as driver:
                driver.execute_query("RETURN 1", database_="neo4j")

        res = launcher("status", "--home", str(home))
        assert res.returncode == 0, res
        assert res.stdout.strip() == f"{uri} running"
        res = launcher("uri", "--home", str(home))
        assert (res.returncode, res.stdout.strip()) == (0, uri)

        # idempotent: a second start reports the running server
        res = launcher("start", "--home", str(home), timeout=300)
        assert res.returncode == 0, res.stderr
        assert res.stdout.strip() == uri
        assert int((home / "run" / "neo4j.pid").read_text()) == pid

        res = launcher("stop", "--home", str(home), timeout=120)
        assert res.returncode == 0, res.stderr
        assert not Path(f"/proc/{pid}").exists() or _is_zombie(pid)
        res = launcher("status", "--home", str(home))
        assert res.returncode == 3, res
        assert "not running" in res.stdout
    finally:
        launcher("stop", "--home", str(home), timeout=120)


def _is_zombie(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ", 1)[1].startswith("Z")
    except (OSError, IndexError):
        return True


def test_start_under_a_python_without_the_driver(tmp_path: Path) -> None:
    """The launcher needs only the standard library: under a Python without the
    driver it starts the server (readiness from the handshake and the log), and
    stops it."""
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = str(venv / "bin" / "python")
    assert subprocess.run([python, "-c", "import neo4j.exceptions"]).returncode != 0
    home = tmp_path / "home"
    env = {**os.environ, "NEO4J_PASSWORD": PASSWORD}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [python, str(LAUNCHER), *args, "--home", str(home)],
            capture_output=True,
            text=True,
            timeout=600,
            env=env,
        )

    try:
        res = run("start", "--timeout", "300")
        assert res.returncode == 0, res.stderr
        assert "Traceback" not in res.stderr
        uri = res.stdout.strip().splitlines()[-1]
        assert URI_RE.match(uri)
        pid = int((home / "run" / "neo4j.pid").read_text())
        with GraphDatabase.driver(uri, auth=("neo4j", PASSWORD)) as driver:
            records, _, _ = driver.execute_query("RETURN 1 AS one", database_="neo4j")
        assert records[0]["one"] == 1
        assert run("stop").returncode == 0
        assert _gone(pid)
    finally:
        run("stop")


def _gone(pid: int) -> bool:
    """Whether a process has ended (a zombie not yet reaped by its parent has)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True
    return stat.rsplit(")", 1)[1].split()[0] in ("Z", "X")
