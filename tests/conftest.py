"""Shared fixtures: the real local Neo4j server; markers that say what a test needs.

The store tests always run against a real server. When NEO4J_URI is set (as
scripts/test does) that server is used; otherwise the project's launcher starts one
for the test run. If neither works, the tests fail: they never skip.

A test is marked ``neo4j`` when it uses the server (the ``neo4j_uri`` fixture, also
behind ``store``) and ``browser`` when it uses headless Chromium (the ``chromium``
fixture, also behind ``open_page``); the notebook runs mark themselves ``notebooks``.
So ``pytest -m "not neo4j and not browser and not notebooks"`` starts no Java, no
browser and no kernel, and everything else still runs.
"""

from __future__ import annotations

import os
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from graph.store import Neo4jStore

ROOT = Path(__file__).resolve().parents[1]
LAUNCHER = ROOT / "scripts" / "neo4j-local"


#: Fixtures that start something outside Python, and the marker of a test using one.
MARKER_OF_FIXTURE = {"neo4j_uri": "neo4j", "chromium": "browser"}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        used = getattr(item, "fixturenames", ())
        for fixture, marker in MARKER_OF_FIXTURE.items():
            if fixture in used:
                item.add_marker(marker)


@pytest.fixture(scope="session")
def neo4j_uri() -> Iterator[str]:
    uri = os.environ.get("NEO4J_URI")
    if uri:
        yield uri
        return
    os.environ.setdefault("NEO4J_PASSWORD", "versterkt-local")
    # a server already running (another test run, or one started by hand) is used and
    # left running: only a server this run starts is stopped at its end
    running = subprocess.run([str(LAUNCHER), "uri"], capture_output=True, text=True, timeout=60)
    if running.returncode == 0 and running.stdout.strip():
        yield running.stdout.strip().splitlines()[-1]
        return
    started = subprocess.run([str(LAUNCHER), "start"], capture_output=True, text=True, timeout=900)
    if started.returncode != 0:
        pytest.fail(f"the local Neo4j server did not start:\n{started.stderr[-3000:]}")
    uri = started.stdout.strip().splitlines()[-1]
    try:
        yield uri
    finally:
        subprocess.run([str(LAUNCHER), "stop"], capture_output=True, timeout=120)


@pytest.fixture
def store(neo4j_uri: str) -> Iterator[Neo4jStore]:
    """A store on the real server; the maps a test loads are removed afterwards."""
    s = Neo4jStore(neo4j_uri, password=os.environ.get("NEO4J_PASSWORD", "versterkt-local"))
    s.verify()
    before = {m["id"] for m in s.maps()}
    try:
        yield s
    finally:
        for m in s.maps():
            if m["id"] not in before:
                s.delete(m["id"])
        s.close()


@pytest.fixture
def map_id() -> str:
    """A map id no other test uses."""
    # letters only: ten hex digits in a row can read as a phone number to the privacy guard
    return "test-" + uuid.uuid4().hex[:10].translate(str.maketrans("0123456789", "ghijklmnop"))


@pytest.fixture
def english_output(monkeypatch: pytest.MonkeyPatch) -> None:
    """The commands speak English, as under an English locale: for the tests that read
    the command line's English sentences (its Dutch is walked in test_language_walk)."""
    monkeypatch.setenv("LC_ALL", "en_GB.UTF-8")
