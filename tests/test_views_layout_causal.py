"""The causal layout: causes before effects, every link of a map without loops from
left to right."""

from __future__ import annotations

import random

import networkx as nx
import pytest
from click.testing import CliRunner

from graph import SystemMap
from loaders import EXAMPLE_CYCLE, VLEUTEN, load_map
from tests.test_views_page import page_data
from versterkt.cli import main
from views.layout import causal_positions, trophic_levels
from views.map import map_positions, render_map


def directed_links(m: SystemMap) -> list[tuple[str, str]]:
    return [
        (link.source, link.target)
        for link in m.links()
        if not link.derived and link.kind != "COOPERATES_WITH"
    ]


def acyclic_map(seed: int, factors: int = 40, links: int = 90) -> SystemMap:
    """A made-up map without loops: factors in a random order, links only forward,
    and actors that can adjust some of them."""
    rng = random.Random(seed)
    m = SystemMap(f"dag-{seed}", "Gemaakt voor de test")
    order = [f"f{i}" for i in range(factors)]
    rng.shuffle(order)
    for i, node_id in enumerate(order):
        m.add_node("Factor", node_id, f"Factor {i}", level="persoon", role="bron")
    pairs = set()
    while len(pairs) < links:
        a, b = sorted(rng.sample(range(factors), 2))
        pairs.add((order[a], order[b]))
    for n, (a, b) in enumerate(sorted(pairs)):
        m.add_link(f"l{n}", "INFLUENCES", a, b, sign=rng.choice("+-"))
    for k in range(5):
        m.add_node("Actor", f"a{k}", f"Actor {k}", actor_kind="groep")
        m.add_link(f"k{k}", "CAN_ADJUST", f"a{k}", rng.choice(order))
    m.add_node("Actor", "los", "Zonder verband", actor_kind="groep")
    return m


@pytest.mark.parametrize("seed", range(5))
def test_every_link_of_an_acyclic_map_goes_left_to_right(seed):
    m = acyclic_map(seed)
    assert nx.is_directed_acyclic_graph(nx.DiGraph(directed_links(m)))
    where = map_positions(m, causal=True)
    assert set(where) == {n.id for n in m.nodes()}
    assert all(where[a][0] < where[b][0] for a, b in directed_links(m))
    # The page draws the same positions.
    drawn = {n["id"]: (n["x"], n["y"]) for n in page_data(render_map(m, causal=True))["nodes"]}
    assert drawn == where


def test_vleuten_reads_from_causes_to_outcomes():
    m = load_map(VLEUTEN)
    where = map_positions(m, causal=True)
    assert all(where[a][0] < where[b][0] for a, b in directed_links(m))
    assert where["individualisme"][0] < where["prestatiedruk"][0] < where["stress"][0]


def test_a_loop_stays_together_and_the_rest_still_reads_left_to_right():
    m = load_map(EXAMPLE_CYCLE / "ronde-2")  # prestatiedruk <-> perfectionisme
    where = map_positions(m, causal=True)
    loop = {"prestatiedruk", "perfectionisme"}
    outside = [(a, b) for a, b in directed_links(m) if not {a, b} <= loop]
    assert outside and all(where[a][0] < where[b][0] for a, b in outside)


def test_trophic_levels_of_a_chain_and_a_shortcut():
    levels = trophic_levels(["a", "b", "c", "x"], [("a", "b"), ("b", "c"), ("a", "c")])
    assert levels == {"a": 0.0, "b": 1.0, "c": 2.0}  # "x" has no link
    pos = causal_positions(["a", "b", "c"], [("a", "b"), ("b", "c"), ("a", "c")])
    assert pos["a"][0] < pos["b"][0] < pos["c"][0]


def test_map_command_draws_the_causal_layout(tmp_path):
    out = tmp_path / "kaart.html"
    result = CliRunner().invoke(main, ["map", "--causal", "--out", str(out)])
    assert result.exit_code == 0, result.output
    drawn = {n["id"]: n["x"] for n in page_data(out.read_text(encoding="utf-8"))["nodes"]}
    assert all(drawn[a] < drawn[b] for a, b in directed_links(load_map(VLEUTEN)))
