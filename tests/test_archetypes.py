"""Archetype candidates: each textbook diagram, planted in a random map, is found with its roles."""

from __future__ import annotations

import random

import pytest

from graph import SystemMap
from graph.errors import QueryError, TooManyLoops
from graph.generate import generated_map
from loaders import load_map
from queries import answer
from queries.archetypes import (
    ARCHETYPES,
    TEXTBOOK,
    archetypes,
    map_roles,
    role_members,
)

#: A random map of 200 factors (and some actors and initiatives), about 2.4 influence
#: links per factor.
RANDOM_NODES, RANDOM_LINKS = 234, 600


def plant(m: SystemMap, archetype: str, seed: int) -> dict[str, set[str]]:
    """Draw the archetype's textbook diagram into ``m``, tied to random factors of the
    map by six links either way; the factors expected in each role."""
    rng = random.Random(seed)
    links, roles = TEXTBOOK[archetype]
    nodes = sorted({n for link in links for n in link[:2]})
    for node in nodes:
        m.add_node("Factor", f"plant-{node}", node.replace("-", " "))
    for i, (source, target, sign) in enumerate(links):
        m.add_link(f"plant-{i}", "INFLUENCES", f"plant-{source}", f"plant-{target}", sign=sign)
    factors = [n.id for n in m.factors() if not n.id.startswith("plant-")]
    for i in range(3):
        into, out = f"plant-{rng.choice(nodes)}", f"plant-{rng.choice(nodes)}"
        m.add_link(f"plant-in-{i}", "INFLUENCES", rng.choice(factors), into,
                   sign=rng.choice("+-"))  # fmt: skip
        m.add_link(f"plant-out-{i}", "INFLUENCES", out, rng.choice(factors),
                   sign=rng.choice("+-"))  # fmt: skip
    return {role: {f"plant-{n}" for n in members} for role, members in roles.items()}


def found_roles(table, archetype: str) -> list[dict[str, set[str]]]:
    return [
        {role: set(members) for role, members in role_members(row["roles"]).items()}
        for row in table.to_dict("records")
        if row["archetype"] == archetype
    ]


@pytest.mark.parametrize("archetype", ARCHETYPES)
@pytest.mark.parametrize("seed", [7, 8])
def test_each_textbook_archetype_planted_in_a_random_map_is_found_with_its_roles(
    archetype: str, seed: int
) -> None:
    m = generated_map(nodes=RANDOM_NODES, links=RANDOM_LINKS, seed=seed)
    assert len(m.factors()) == 200
    expected = plant(m, archetype, seed)
    found = archetypes(m)
    assert expected in found_roles(found, archetype)
    row = next(
        r for r in found.to_dict("records")
        if r["archetype"] == archetype
        and {k: set(v) for k, v in role_members(r["roles"]).items()} == expected
    )  # fmt: skip
    # its loops are loops of the map, made of the planted links
    planted_links = {f"plant-{i}" for i in range(len(TEXTBOOK[archetype][0]))}
    assert set(row["links"]) == planted_links
    for loop in row["loops"]:
        ends = [(m.link(link).source, m.link(link).target) for link in loop]
        assert all(a[1] == b[0] for a, b in zip(ends, ends[1:] + ends[:1], strict=True))


def test_the_textbook_diagram_alone_is_that_archetype_and_the_ones_it_contains():
    contains = {
        "shifting-the-burden": {"fixes-that-fail"},
        # its two B loops share the limit with links in and out of opposite signs
        "growth-and-underinvestment": {"limits-to-growth", "escalation"},
    }
    for archetype in ARCHETYPES:
        m = SystemMap("boek")
        links, _ = TEXTBOOK[archetype]
        for node in sorted({n for link in links for n in link[:2]}):
            m.add_node("Factor", node, node)
        for i, (source, target, sign) in enumerate(links):
            m.add_link(f"l{i}", "INFLUENCES", source, target, sign=sign)
        kinds = set(archetypes(m)["archetype"])
        assert kinds == {archetype} | contains.get(archetype, set()), archetype


def test_the_roles_are_listed_for_the_map_per_node_and_link():
    m = SystemMap("boek")
    links, roles = TEXTBOOK["fixes-that-fail"]
    for node in ("problem", "fix", "side-effect"):
        m.add_node("Factor", node, node)
    for i, (source, target, sign) in enumerate(links):
        m.add_link(f"l{i}", "INFLUENCES", source, target, sign=sign)
    found = archetypes(m)
    shown = map_roles(found)
    assert shown["nodes"]["fix"] == [{"candidate": 0, "archetype": "fixes-that-fail",
                                      "role": "fix"}]  # fmt: skip
    assert sorted(shown["links"]) == ["l0", "l1", "l2", "l3"]
    assert role_members(found.loc[0, "roles"]) == {k: list(v) for k, v in roles.items()}


def test_links_without_a_sign_make_no_pattern_and_vleuten_has_no_loops():
    m = SystemMap("boek")
    for node in ("problem", "fix", "side-effect"):
        m.add_node("Factor", node, node)
    for i, (source, target, sign) in enumerate(TEXTBOOK["fixes-that-fail"][0]):
        m.add_link(f"l{i}", "INFLUENCES", source, target, sign=None if i == 3 else sign)
    assert archetypes(m).empty
    assert archetypes(load_map()).empty
    assert answer("archetypes", load_map()).empty


def test_only_the_archetypes_asked_for_and_bad_options_are_refused():
    m = generated_map(nodes=RANDOM_NODES, links=RANDOM_LINKS, seed=7)
    plant(m, "escalation", 7)
    only = archetypes(m, kinds=["escalation"])
    assert set(only["archetype"]) == {"escalation"}
    with pytest.raises(QueryError, match="unknown archetype 'escalatie'"):
        archetypes(m, kinds=["escalatie"])
    with pytest.raises(QueryError, match="maximum loop length"):
        archetypes(m, max_length=0)
    dense = generated_map(nodes=40, links=800, seed=1)
    with pytest.raises(TooManyLoops):
        archetypes(dense, max_length=8)
