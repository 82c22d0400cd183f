"""Several writers and readers of one map in Neo4j at once, against the real server.

Every change names the version of the map it was made on: whatever was reported as
recorded is in the map afterwards, a change that lost the race raised MapChanged and
left nothing, a load is never undone by a change that read the map before it, and a
read sees one version whole. Each test repeats its race a few times.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from typing import Any

import pytest

from graph import SystemMap, adjust
from graph.errors import MapChanged
from graph.generate import generated_map
from graph.store import Neo4jStore
from loaders import load_map
from tests.test_cycle_example import ROUND_2

# these tests read the commands' English sentences
pytestmark = pytest.mark.usefixtures("english_output")

REPEATS = 5
WRITERS = 4
PASSWORD = os.environ.get("NEO4J_PASSWORD", "versterkt-local")
#: The command line as installed beside this Python.
COMMAND = str(Path(sys.executable).with_name("versterkt"))


def small_map(map_id: str, *extra: str) -> SystemMap:
    m = SystemMap(map_id, "Kaart")
    m.add_record("rounds", number=1, name="Ronde 1")
    for node in ("druk", "stress", "slaap", *extra):
        m.add_node("Factor", node, node.title(), level="persoon", role="bron")
    m.add_link("druk-stress", "INFLUENCES", "druk", "stress", sign="+")
    m.add_link("stress-slaap", "INFLUENCES", "stress", "slaap", sign="-")
    return m


def add_factor(node: str) -> Callable[[SystemMap], str]:
    def operation(m: SystemMap) -> str:
        m.add_node("Factor", node, node.title(), level="persoon", role="bron")
        return node

    return operation


@pytest.fixture
def stores(neo4j_uri: str) -> Iterator[list[Neo4jStore]]:
    """A connection for each writer, as each process of its own would have."""
    connections = [Neo4jStore(neo4j_uri, password=PASSWORD) for _ in range(WRITERS)]
    yield connections
    for s in connections:
        s.close()


def at_once(stores: list[Neo4jStore], actions: list[Callable[[Neo4jStore], Any]]) -> list[Any]:
    """Run each action in its own thread with its own connection, all released at the
    same moment; each gives what it returned, or the MapChanged it raised."""
    start = threading.Barrier(len(actions))
    outcomes: list[Any] = [None] * len(actions)
    failures: list[BaseException] = []

    def run(i: int) -> None:
        start.wait()
        try:
            outcomes[i] = actions[i](stores[i])
        except MapChanged as e:
            outcomes[i] = e
        except BaseException as e:  # raised in the test below
            failures.append(e)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(actions))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    if failures:
        raise failures[0]
    return outcomes


def test_changes_at_once_lose_nothing_that_was_recorded(
    store: Neo4jStore, stores: list[Neo4jStore], map_id: str
) -> None:
    store.load(small_map(map_id))
    for repeat in range(REPEATS):
        version = store.version(map_id)
        nodes = [f"extra-{repeat}-{i}" for i in range(WRITERS)]
        change = partial(Neo4jStore.change, map_id=map_id)
        outcomes = at_once(stores, [partial(change, operation=add_factor(n)) for n in nodes])
        recorded = [node for node, done in zip(nodes, outcomes, strict=True) if done == node]
        refused = [node for node, done in zip(nodes, outcomes, strict=True) if done != node]
        assert all(isinstance(outcomes[nodes.index(node)], MapChanged) for node in refused)
        on_map = store.read(map_id).graph
        assert recorded, "one change of each race gets through"
        assert [node for node in recorded if node not in on_map] == [], "recorded, then lost"
        assert [node for node in refused if node in on_map] == [], "refused, yet written"
        assert store.version(map_id) == version + len(recorded)


def test_a_load_beside_a_change_is_never_undone(
    store: Neo4jStore, stores: list[Neo4jStore], map_id: str
) -> None:
    """The workbook replaces the map; a change that read the map before the load is
    refused, one that read it after is made on the workbook's map."""
    for repeat in range(REPEATS):
        store.load(small_map(map_id))
        before = store.version(map_id)
        workbook = small_map(map_id, f"uit-werkboek-{repeat}")
        node = f"aanpassing-{repeat}"
        change = partial(Neo4jStore.change, map_id=map_id)
        report, changed = at_once(
            stores[:2],
            [partial(Neo4jStore.load, m=workbook), partial(change, operation=add_factor(node))],
        )
        final, version = store.snapshot(map_id)
        with_change = small_map(map_id, f"uit-werkboek-{repeat}", node)
        assert final in (workbook, with_change), "the load was undone"
        if isinstance(changed, MapChanged):
            assert (final, report.version, version) == (workbook, before + 1, before + 1)
        elif report.version == before + 1:  # the load first, then the change on it
            assert (final, version) == (with_change, before + 2)
        else:  # the change first, then the load over it
            assert (final, report.version, version) == (workbook, before + 2, before + 2)


def test_a_read_beside_loads_sees_one_version_whole(
    store: Neo4jStore, stores: list[Neo4jStore], map_id: str
) -> None:
    """Two different maps under one id, loaded in turn while another connection reads:
    every read is one of them, the one its version says."""
    first = generated_map(150, 300, seed=1, map_id=map_id)
    second = generated_map(150, 300, seed=2, map_id=map_id)
    start = store.load(first).version
    loads = 12
    reads: list[tuple[SystemMap, int]] = []
    loading = threading.Event()

    def load_in_turn(s: Neo4jStore) -> None:
        loading.set()
        for i in range(loads):
            s.load(second if i % 2 == 0 else first)
        loading.clear()

    def read_meanwhile(s: Neo4jStore) -> None:
        loading.wait(timeout=30)
        while loading.is_set():
            reads.append(s.snapshot(map_id))

    at_once(stores[:2], [load_in_turn, read_meanwhile])
    assert len(reads) >= 2
    for m, version in reads:
        assert m == (first if (version - start) % 2 == 0 else second), version


def test_a_change_on_an_older_version_is_refused_and_writes_nothing(
    store: Neo4jStore, map_id: str
) -> None:
    store.load(small_map(map_id))
    m, version = store.snapshot(map_id)
    store.change(map_id, add_factor("eerst"))
    m.add_node("Factor", "later", "Later", level="persoon", role="bron")
    with pytest.raises(MapChanged, match=rf"version {version}, now {version + 1}.*nothing"):
        store.load(m, version=version)
    with pytest.raises(MapChanged, match="nothing was recorded"):
        store.change(map_id, add_factor("ook-later"), version=version)
    after = store.read(map_id)
    assert "eerst" in after.graph
    assert "later" not in after.graph and "ook-later" not in after.graph
    assert store.version(map_id) == version + 1
    store.delete(map_id)
    with pytest.raises(MapChanged, match="removed"):
        store.load(m, version=version + 1)
    assert map_id not in {row["id"] for row in store.maps()}


def test_adjust_commands_at_once_say_which_were_recorded(
    store: Neo4jStore, neo4j_uri: str, map_id: str
) -> None:
    """Real commands in separate processes: each says it recorded its node and did, or
    says in one line that nothing was recorded and exits 1."""
    m = load_map(ROUND_2)
    m.id = map_id
    store.load(m)
    env = {**os.environ, "NEO4J_PASSWORD": PASSWORD}
    for repeat in range(2):
        nodes = [f"cli-{repeat}-{i}" for i in range(3)]
        commands = [
            [COMMAND, "adjust", "add-node", node, "--kind",
             "factor", "--name", node.title(), "--reason", "gelijktijdig", "--uri", neo4j_uri,
             "--map-id", map_id]
            for node in nodes
        ]  # fmt: skip
        running = [
            subprocess.Popen(c, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for c in commands
        ]
        results = [(p.wait(timeout=120), *p.communicate()) for p in running]
        on_map = store.read(map_id).graph
        for node, (code, out, err) in zip(nodes, results, strict=True):
            if code == 0:
                assert out.startswith("Recorded "), out
                assert node in on_map
            else:
                assert (code, out) == (1, ""), err
                assert err.count("\n") == 1 and "changed since it was read" in err, err
                assert "nothing was recorded" in err
                assert node not in on_map
        assert any(code == 0 for code, _, _ in results)


def test_an_adjustment_through_the_store_is_recorded_once(store: Neo4jStore, map_id: str) -> None:
    """An adjustment of the adjust step goes through the version check like any change."""
    m = load_map(ROUND_2)
    m.id = map_id
    store.load(m)
    version = store.version(map_id)
    store.change(
        map_id,
        lambda m: adjust.add_node(
            m, adjust.round_to_change(m, None), "Factor", "nieuw", "Nieuw", reason="omdat"
        ),
        version=version,
    )
    assert store.version(map_id) == version + 1
    assert "nieuw" in store.read(map_id).graph


def test_adjust_and_review_import_at_once_say_which_were_recorded(
    store: Neo4jStore, neo4j_uri: str, map_id: str, tmp_path: Path
) -> None:
    """Two adjust commands and a review-import of a toetsmodus session at once, as
    separate processes: whatever says it was recorded is in the map, whatever lost the
    race says in one line that nothing was recorded and left nothing."""
    import json

    m = load_map(ROUND_2)
    m.id = map_id
    store.load(m)
    env = {**os.environ, "NEO4J_PASSWORD": PASSWORD}
    where = ["--uri", neo4j_uri, "--map-id", map_id]
    for repeat, group in enumerate(("ouder", "jongere")):
        session = tmp_path / f"toetssessie-{repeat}.json"
        entry = {"link": "inv-schoolsysteem-prestatiedruk", "group": group, "verdict": "eens"}
        session.write_text(
            json.dumps(
                {"format": "versterkt-toetssessie", "version": 1, "map": map_id, "round": 2,
                 "session": "oudersessie", "entries": [entry], "proposals": []}
            ),
            encoding="utf-8",
        )  # fmt: skip
        nodes = [f"samen-{repeat}-{i}" for i in range(2)]
        commands = [
            [COMMAND, "adjust", "add-node", node, "--kind", "factor", "--name", node.title(),
             "--reason", "gelijktijdig", "--open-round", "Na de sessie", *where]
            for node in nodes
        ] + [[COMMAND, "review-import", str(session), *where]]  # fmt: skip
        running = [
            subprocess.Popen(c, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for c in commands
        ]
        results = [(p.wait(timeout=120), *p.communicate()) for p in running]
        after = store.read(map_id)
        reviewed = {(r["link"], r["group"], r["round"]) for r in after.reviews}
        for i, (code, out, err) in enumerate(results):
            if code == 0:
                assert "Recorded " in out, out
            else:
                assert (code, out) == (1, ""), err
                assert err.count("\n") == 1 and "changed since it was read" in err, err
            if i < len(nodes):
                assert (nodes[i] in after.graph) == (code == 0), (nodes[i], out, err)
            else:
                recorded = ("inv-schoolsysteem-prestatiedruk", group, 2) in reviewed
                assert recorded == (code == 0), (out, err)
        assert any(code == 0 for code, _, _ in results)


def test_the_list_of_maps_beside_deletes_names_only_maps(
    stores: list[Neo4jStore], neo4j_uri: str, map_id: str
) -> None:
    """A map deleted while the maps are listed is either listed whole or not at all."""
    seen: list[Any] = []
    done = threading.Event()

    def churn(s: Neo4jStore) -> None:
        for i in range(80):
            s.load(small_map(f"{map_id}-{i}"))
            s.delete(f"{map_id}-{i}")
        done.set()

    def watch(s: Neo4jStore) -> None:
        while not done.is_set():
            seen.extend(row["id"] for row in s.maps())

    at_once(stores[:2], [churn, watch])
    assert seen and all(isinstance(map_id, str) for map_id in seen)
