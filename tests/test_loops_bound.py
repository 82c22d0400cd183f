"""Loops up to a length: the same loops as networkx, and never a silent cut-off."""

from __future__ import annotations

import json
import random
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

from graph import SystemMap
from graph.generate import generated_map
from queries.loops import LONGER_COUNTED, bound_note, loop_participation, loops
from versterkt.cli import main

HERE = Path(__file__).parent / "interchange"


def _plain(edges: list[tuple[str, str]], signs: str = "+") -> SystemMap:
    m = SystemMap("plain")
    for node in sorted({n for edge in edges for n in edge}):
        m.add_node("Factor", node, node.upper())
    rng = random.Random(7)
    for i, (a, b) in enumerate(edges):
        m.add_link(f"l{i}", "INFLUENCES", a, b, sign=rng.choice(signs))
    return m


def _node_cycles(members: list[list[str]]) -> set[tuple[str, ...]]:
    """Loops as node cycles from their smallest node (parallel links fall together)."""
    out = set()
    for cycle in members:
        i = cycle.index(min(cycle))
        out.add(tuple(cycle[i:] + cycle[:i]))
    return out


@pytest.mark.parametrize("bound", [2, 4, 7, 11])
def test_the_same_loops_as_networkx(bound: int) -> None:
    g = nx.gnm_random_graph(60, 170, seed=4, directed=True)
    m = _plain([(f"f{a:02d}", f"f{b:02d}") for a, b in g.edges()])
    ours = loops(m, max_length=bound)
    theirs = nx.simple_cycles(nx.relabel_nodes(g, lambda n: f"f{n:02d}"), length_bound=bound)
    assert _node_cycles(list(ours["members"])) == _node_cycles([list(c) for c in theirs])
    assert len(ours) == len(_node_cycles(list(ours["members"])))  # no parallel links here


def test_parallel_links_make_distinct_loops_over_the_same_nodes() -> None:
    m = _plain([("a", "b"), ("b", "a"), ("a", "b")])
    found = loops(m)
    assert sorted(found["links"].map(tuple)) == [("l0", "l1"), ("l2", "l1")]
    assert _node_cycles(list(found["members"])) == {("a", "b")}


def test_a_bound_that_leaves_loops_out_says_how_many() -> None:
    ring = [(f"n{i}", f"n{(i + 1) % 8}") for i in range(8)]
    m = _plain([*ring, ("n0", "x"), ("x", "n0")])
    found = loops(m, max_length=6)
    assert found["length"].tolist() == [2]
    longer = found.attrs["longer_loops"]
    assert (longer.count, longer.complete, longer.longest) == (1, True, 8)
    assert bound_note(found) == (
        "1 longer loop (up to 8 links) is left out: raise the maximum length (now 6) to see them"
    )
    assert bound_note(loops(m, max_length=8)) is None
    assert loops(m, max_length=8)["length"].tolist() == [2, 8]
    # who sits in loops is counted over the same loops, and says so too
    assert bound_note(loop_participation(m, max_length=6)) == bound_note(found)


def test_too_many_longer_loops_are_not_all_counted() -> None:
    m = generated_map(300, 1500, seed=2)
    found = loops(m, max_length=3)
    longer = found.attrs["longer_loops"]
    assert not longer.complete and longer.count == LONGER_COUNTED
    assert bound_note(found) == (
        f"at least {LONGER_COUNTED} longer loops are left out; they were not all counted "
        "(maximum length 3)"
    )


def test_the_query_command_prints_the_note(tmp_path: Path) -> None:
    runner = CliRunner()
    book = tmp_path / "kaart.xlsx"
    imported = runner.invoke(main, ["import", str(HERE / "kumu-project.json"), "--out", str(book)])
    assert imported.exit_code == 0
    full = runner.invoke(
        main, ["query", "loops", str(book), "--max-length", "9", "--format", "json"]
    )
    assert "note:" not in full.stderr
    lengths = [row["length"] for row in json.loads(full.stdout)]
    longer = sum(n > 4 for n in lengths)
    result = runner.invoke(main, ["query", "loops", str(book), "--max-length", "4", "--lang", "en"])
    assert result.exit_code == 0
    assert result.stderr == (
        f"note: {longer} longer loops (up to {max(lengths)} links) are left out: "
        "raise the maximum length (now 4) to see them\n"
    )
    dutch = runner.invoke(main, ["query", "loops", str(book), "--max-length", "4", "--lang", "nl"])
    assert dutch.stderr == (
        f"let op: {longer} langere lussen (tot {max(lengths)} verbanden) zijn weggelaten: "
        "verhoog de maximale lengte (nu 4) om ze te zien\n"
    )


@pytest.mark.neo4j
def test_neo4j_gives_the_same_loops_and_the_same_note(store, map_id: str) -> None:
    from loaders.interchange import read_map
    from queries import cypher

    m, _ = read_map(HERE / "kumu-project.json")
    m.id = map_id
    store.load(m)
    for bound in (3, 4, 6, 9):
        ours, theirs = loops(m, max_length=bound), cypher.loops(store, map_id, max_length=bound)
        assert theirs.to_dict("records") == ours.to_dict("records")
        assert bound_note(theirs) == bound_note(ours)
        assert bound_note(cypher.loop_participation(store, map_id, max_length=bound)) == (
            bound_note(ours)
        )
    assert bound_note(cypher.loops(store, map_id, max_length=4)) is not None


def _tangle(n: int = 14) -> SystemMap:
    """Every factor influences every other: millions of loops of up to six links."""
    return _plain(
        [(a, b) for a in "abcdefghijklmnop"[:n] for b in "abcdefghijklmnop"[:n] if a != b]
    )


def test_a_tangle_of_links_is_refused_in_one_line_instead_of_listed_for_minutes(
    tmp_path: Path, english_output: None
) -> None:
    import time

    from graph.errors import TooManyLoops
    from loaders import write_workbook
    from queries.loops import MAX_LOOPS

    m = _tangle()
    started = time.perf_counter()
    with pytest.raises(TooManyLoops, match=f"more than {MAX_LOOPS:,} feedback loops"):
        loops(m)
    assert time.perf_counter() - started < 10
    assert len(loops(m, max_length=2)) == 14 * 13 // 2  # shorter loops are still listed
    book = write_workbook(m, tmp_path / "kluwen.xlsx")
    result = CliRunner().invoke(main, ["query", "loops", str(book)])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert [line for line in result.output.splitlines() if line.strip()][-1].startswith(
        "Error: more than 10,000 feedback loops of at most 6 links: too many to list; "
        "ask for shorter loops (--max-length 3, say)"
    )


def test_neo4j_refuses_a_tangle_as_the_map_does(store, map_id: str) -> None:
    from graph.errors import TooManyLoops
    from queries import answer

    m = _tangle()
    m.id = map_id
    store.load(m)
    with pytest.raises(TooManyLoops) as on_file:
        answer("loops", m)
    with pytest.raises(TooManyLoops) as in_neo4j:
        answer("loops", store, map_id=map_id)
    assert str(in_neo4j.value) == str(on_file.value)
    assert len(answer("loops", store, map_id=map_id, max_length=2)) == 14 * 13 // 2
