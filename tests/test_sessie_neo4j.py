"""The live session's answers into a map in Neo4j: all of them once, through the same
import as the toetsmodus file; a change made on an older version is refused."""

from __future__ import annotations

import uuid
import warnings
from pathlib import Path

import pytest

from graph.errors import MapChanged
from graph.store import Neo4jStore
from loaders import load_map
from sessie.app import create_app
from sessie.run import open_session, record_session

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

pytestmark = pytest.mark.neo4j

LINK = "inv-druk-leeftijdsgenoten-prestatiedruk"


def test_a_session_goes_into_the_map_in_neo4j_once(
    store: Neo4jStore, map_id: str, tmp_path: Path
) -> None:
    m = load_map()
    m.id = map_id
    store.load(m)
    journal, _ = open_session(tmp_path / "s.sqlite", store.read(map_id), session="oudersessie")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        client = TestClient(create_app(journal))
    bearer = {"Authorization": f"Bearer {journal.token}"}
    phone = client.post("/api/join", json={"code": journal.code, "group": "ouder"}).json()
    while client.get("/api/state").json()["state"]["item"] != LINK:
        client.post("/api/control", json={"action": "next"}, headers=bearer)
    client.post("/api/control", json={"action": "open"}, headers=bearer)
    body = {**phone, "id": uuid.uuid4().hex, "item": LINK, "answer": "oneens"}
    assert client.post("/api/answer", json=body).status_code == 200
    found = record_session(journal, store=store, map_id=map_id)
    assert [(r["link"], r["group"], r["verdict"]) for r in found.new] == [(LINK, "ouder", "oneens")]
    in_neo4j = store.read(map_id)
    assert [(r["group"], r["session"]) for r in in_neo4j.reviews] == [("ouder", "oudersessie")]
    assert in_neo4j.records["attendance"] == [
        {"session": "oudersessie", "group": "ouder", "count": 1}
    ]
    again = record_session(journal, store=store, map_id=map_id)
    assert not again.new and not again.records
    assert len(store.read(map_id).reviews) == 1
    # a change named on the version before the session's is refused, writing nothing
    version = store.version(map_id)
    with pytest.raises(MapChanged):
        store.change(map_id, lambda m: m.open_round(name="Na de sessie"), version=version - 1)
    assert store.version(map_id) == version
    journal.close()
