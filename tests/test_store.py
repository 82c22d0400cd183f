"""The Neo4j store, against the real local server."""

from __future__ import annotations

import shutil
import socket
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings

from graph import SystemMap
from graph.generate import generated_map
from graph.store import Neo4jStore, StoreError
from loaders import VLEUTEN, load_map
from tests.strategies import system_maps
from versterkt.cli import main


def _vleuten(map_id: str) -> SystemMap:
    m = load_map(VLEUTEN)
    m.id = map_id
    return m


def test_load_and_read_back_gives_the_same_map(store: Neo4jStore, map_id: str) -> None:
    m = _vleuten(map_id)
    report = store.load(m)
    assert (report.nodes, report.links, report.records) == (37, 31, 7)
    assert store.read(map_id) == m


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(m=system_maps())
def test_generated_maps_come_back_unchanged(store: Neo4jStore, m: SystemMap) -> None:
    m.id = "generated"
    store.load(m)
    assert store.read("generated") == m


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(old=system_maps(), new=system_maps())
def test_loading_one_generated_map_over_another_gives_the_second(
    store: Neo4jStore, old: SystemMap, new: SystemMap
) -> None:
    # Ids, kinds, ends and fields overlap at random: elements are kept and updated,
    # created, or removed, and links to a node whose kind changed are written anew.
    old.id = new.id = "generated"
    store.load(old)
    store.load(new)
    assert store.read("generated") == new


def test_loading_twice_changes_nothing_and_constraints_exist(
    store: Neo4jStore, map_id: str
) -> None:
    m = _vleuten(map_id)
    store.load(m)
    first = store.counts(map_id)
    report = store.load(m)
    assert (report.created, report.updated, report.removed) == (0, 0, 0)
    assert report.unchanged == 37 + 31 + 7
    assert store.counts(map_id) == first == {"nodes": 37 + 7, "links": 31}
    names = {row["name"] for row in store.run("SHOW CONSTRAINTS YIELD name RETURN name")}
    assert {"map_id", "node_map_id", "record_map_key", "link_influences_map_id"} <= names


def test_a_changed_map_replaces_the_old_one_and_leaves_other_maps_alone(
    store: Neo4jStore, map_id: str
) -> None:
    other = _vleuten(map_id + "-other")
    store.load(other)
    m = _vleuten(map_id)
    store.load(m)
    changed = SystemMap(map_id, m.name, **m.meta)
    for node in m.nodes():
        if node.id == "stress":
            continue  # dropped, with its links
        kind = "Actor" if node.id == "vmbo" else node.kind
        fields = dict(node.fields)
        changed.add_node(kind, node.id, node.name + " (nieuw)", **fields)
    for link in m.links():
        if "stress" in (link.source, link.target):
            continue
        target = "jongeren" if link.id == "inv-prestatiedruk-burn-out" else link.target
        changed.add_link(link.id, link.kind, link.source, target, **link.fields)
    for table, rows in m.records.items():
        for row in rows:
            changed.add_record(table, **row)
    report = store.load(changed)
    assert report.removed > 0
    # every node was renamed; vmbo became an actor, so it and its links are new
    assert report.updated > 0 and report.created > 0
    assert report.created + report.updated + report.unchanged == (
        report.nodes + report.links + report.records
    )
    assert store.read(map_id) == changed
    assert store.read(map_id + "-other") == other


def test_a_load_that_fails_half_way_leaves_the_database_as_it_was(
    store: Neo4jStore, map_id: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import graph.store

    old = _vleuten(map_id)
    store.load(old)
    before = store.counts(map_id)
    new = SystemMap(map_id, "Nieuw")
    for i in range(40):
        new.add_node("Factor", f"f{i}", f"F{i}", level="persoon", role="bron")

    monkeypatch.setattr(graph.store, "BATCH_SIZE", 10)
    written = []

    def die_half_way(done: int, total: int) -> None:
        written.append(done)
        if done >= total // 2:
            raise RuntimeError("the client stopped")

    with pytest.raises(RuntimeError):
        store.load(new, progress=die_half_way)
    assert written == [10, 20]  # two batches had been sent when it failed
    assert store.counts(map_id) == before
    assert store.read(map_id) == old


def test_a_constraint_that_fires_rolls_everything_back(store: Neo4jStore, map_id: str) -> None:
    old = _vleuten(map_id)
    store.load(old)
    new = _vleuten(map_id)
    new.add_node("Factor", "zz-laatste", "Stress", level="persoon", role="bron")
    # A uniqueness constraint on factor names within a map fires on the batch with
    # the second "Stress", after the other batches of the load have been written.
    run = store._driver.execute_query
    run(
        "CREATE CONSTRAINT test_factor_name IF NOT EXISTS "
        "FOR (f:Factor) REQUIRE (f.map, f.name) IS UNIQUE",
        database_=store.database,
    )
    try:
        with pytest.raises(StoreError, match="already exists"):
            store.load(new)
    finally:
        run("DROP CONSTRAINT test_factor_name IF EXISTS", database_=store.database)
    assert store.read(map_id) == old


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_server_down_bad_password_unknown_database(
    neo4j_uri: str, monkeypatch, english_output: None
) -> None:
    monkeypatch.delenv("NEO4J_URI", raising=False)
    runner = CliRunner()
    cases = [
        (
            ["--uri", f"bolt://127.0.0.1:{_closed_port()}"],
            "cannot reach Neo4j at bolt://127.0.0.1:",
        ),
        (
            ["--uri", neo4j_uri, "--password", "wrong"],
            "refused user 'neo4j': check the user name and password",
        ),
        (
            ["--uri", neo4j_uri, "--database", "nergens"],
            "has no database 'nergens': check NEO4J_DATABASE",
        ),
    ]
    for options, expected in cases:
        result = runner.invoke(main, ["db", "maps", *options])
        assert result.exit_code == 1, result.output
        assert expected in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr
        assert "Traceback" not in result.stderr


def test_cli_load_export_roundtrip(
    neo4j_uri: str, store: Neo4jStore, map_id: str, tmp_path: Path
) -> None:
    runner = CliRunner()
    load = ["db", "load", "--uri", neo4j_uri, "--map-id", map_id, "--lang", "en"]
    result = runner.invoke(main, load)
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        f"Loaded map '{map_id}' into {neo4j_uri}: 37 nodes, 31 links, 7 records "
        "(75 new, 0 changed, 0 unchanged).\n"
    )
    result = runner.invoke(main, [*load[:-1], "nl"])
    assert result.exit_code == 0, result.output
    assert result.stdout.endswith("(0 nieuw, 0 gewijzigd, 75 ongewijzigd).\n")
    out = tmp_path / "export"
    result = runner.invoke(
        main, ["db", "export", "--uri", neo4j_uri, "--map-id", map_id, "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    exported = load_map(out)
    assert exported == _vleuten(map_id)
    result = runner.invoke(main, ["info", "--uri", neo4j_uri, "--map-id", map_id])
    assert result.exit_code == 0
    assert "  beïnvloedt          13" in result.stdout  # the locale's language: Dutch here


def test_invalid_workbook_never_reaches_the_database(
    neo4j_uri: str, store: Neo4jStore, tmp_path: Path, english_output: None
) -> None:
    folder = tmp_path / "kapot"
    shutil.copytree(VLEUTEN, folder)
    path = folder / "kaart.csv"
    path.write_text(
        path.read_text("utf-8").replace("\nvleuten,", "\nkapot-kaart,"), encoding="utf-8"
    )
    path = folder / "relaties.csv"
    path.write_text(path.read_text("utf-8").replace(",+,", ",x,", 1), encoding="utf-8")
    result = CliRunner().invoke(main, ["db", "load", str(folder), "--uri", neo4j_uri])
    assert result.exit_code == 1
    assert f"{folder}/relaties.csv:2:teken: unknown value" in result.stderr
    assert "kapot-kaart" not in {m["id"] for m in store.maps()}


def test_many_small_batches_write_the_same_map(
    store: Neo4jStore, map_id: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Batches are prepared ahead of the server in a second thread; with batches of
    # 7 rows every kind spans several of them, and links join nodes from any batch.
    import graph.store

    monkeypatch.setattr(graph.store, "BATCH_SIZE", 7)
    first = generated_map(60, 200, seed=3, map_id=map_id)
    report = store.load(first)
    assert (report.created, report.updated, report.unchanged) == (60 + 200 + 1, 0, 0)
    assert store.read(map_id) == first
    # Over it, a map that shares some nodes and links: kept ones join new ones.
    second = generated_map(80, 260, seed=4, map_id=map_id)
    report = store.load(second)
    assert report.created > 0 and report.unchanged + report.updated > 0
    assert store.read(map_id) == second
    assert store.counts(map_id) == {"nodes": 80 + 1, "links": 260}


def test_a_node_removed_by_someone_else_during_a_load_stops_it(
    store: Neo4jStore, map_id: str, monkeypatch: pytest.MonkeyPatch, english_output: None
) -> None:
    # New links find the nodes they join once per statement; a node the load kept
    # that someone else deletes half-way is missed, and nothing of the load stays.
    import graph.store

    monkeypatch.setattr(graph.store, "BATCH_SIZE", 5)
    first = SystemMap(map_id, "Kaart")
    first.add_node("Factor", "druk", "Druk")
    store.load(first)
    second = SystemMap(map_id, "Kaart")
    second.add_node("Factor", "druk", "Druk")
    for i in range(20):
        second.add_node("Factor", f"f{i}", f"F{i}")
    for i in range(20):
        second.add_link(f"l{i}", "INFLUENCES", "druk", f"f{i}", sign="+")
    deleted = []

    def delete_druk(done: int, total: int) -> None:
        if not deleted:  # the load has read what the database holds: druk is kept
            store._driver.execute_query(
                "MATCH (n:Node {map: $map, id: 'druk'}) DETACH DELETE n",
                map=map_id,
                database_=store.database,
            )
            deleted.append(done)

    with pytest.raises(StoreError, match="changed in Neo4j while it was being loaded"):
        store.load(second, progress=delete_druk)
    assert deleted == [1]
    assert store.counts(map_id) == {"nodes": 0, "links": 0}
    assert store.read(map_id) == SystemMap(map_id, "Kaart")
