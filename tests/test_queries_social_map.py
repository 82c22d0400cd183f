"""Social map: who works on which factor and where, and who could work together."""

from __future__ import annotations

import pytest

from graph import SystemMap
from queries.social_map import (
    BY_FACTOR_COLUMNS,
    MISSING_COOPERATION_COLUMNS,
    by_factor,
    by_place,
    missing_cooperation,
    unaddressed_factors,
)


def social_map(cooperation: tuple[str, str] = ("i1", "org1")) -> SystemMap:
    """f1: initiatives i1 and i2, organisation org1, group ouders; f2: i1 and org2.

    org2 runs i1; ``cooperation`` is one COOPERATES_WITH link. f3 has no initiative.
    """
    m = SystemMap("demo")
    for f in ("f1", "f2", "f3"):
        m.add_node("Factor", f, f.upper(), level="omgeving", role="bron")
    m.add_node("Actor", "org1", "Org 1", actor_kind="organisatie")
    m.add_node("Actor", "org2", "Org 2", actor_kind="organisatie")
    m.add_node("Actor", "ouders", "Ouders", actor_kind="groep")
    m.add_node("Initiative", "i1", "Huiswerkklas")
    m.add_node("Initiative", "i2", "Sportmaatjes")
    m.add_node("Place", "p", "Buurthuis")
    m.add_link("i1-f1", "ADDRESSES", "i1", "f1")
    m.add_link("i2-f1", "ADDRESSES", "i2", "f1")
    m.add_link("i1-f2", "ADDRESSES", "i1", "f2")
    m.add_link("org1-f1", "CAN_ADJUST", "org1", "f1")
    m.add_link("ouders-f1", "INFLUENCES", "ouders", "f1", sign="+")
    m.add_link("org2-f2", "INFLUENCES", "org2", "f2", sign="-")
    m.add_link("org1-f3", "CAN_ADJUST", "org1", "f3")
    m.add_link("f3-f1", "INFLUENCES", "f3", "f1", sign="+")
    m.add_link("org2-runs-i1", "RUNS", "org2", "i1")
    m.add_link("cooperation", "COOPERATES_WITH", *cooperation)
    m.add_link("i1-p", "LOCATED_AT", "i1", "p")
    m.add_link("i2-p", "LOCATED_AT", "i2", "p")
    return m


def test_by_factor_lists_initiatives_and_actors_on_each_factor() -> None:
    table = by_factor(social_map())
    assert list(table.columns) == list(BY_FACTOR_COLUMNS)
    assert table[["factor", "node", "kind", "actor_kind", "relation"]].values.tolist() == [
        ["f1", "i1", "Initiative", None, "ADDRESSES"],
        ["f1", "i2", "Initiative", None, "ADDRESSES"],
        ["f1", "org1", "Actor", "organisatie", "CAN_ADJUST"],
        ["f1", "ouders", "Actor", "groep", "INFLUENCES"],
        ["f2", "i1", "Initiative", None, "ADDRESSES"],
        ["f2", "org2", "Actor", "organisatie", "INFLUENCES"],
        ["f3", "org1", "Actor", "organisatie", "CAN_ADJUST"],
    ]


def test_by_place_lists_the_initiatives_there() -> None:
    assert by_place(social_map())[["place", "initiative", "link"]].values.tolist() == [
        ["p", "i1", "i1-p"],
        ["p", "i2", "i2-p"],
    ]


def test_unaddressed_factors_name_who_could_act() -> None:
    gaps = unaddressed_factors(social_map())
    assert gaps[["factor", "adjusted_by"]].values.tolist() == [["f3", ["org1"]]]


@pytest.mark.parametrize("cooperation", [("i1", "org1"), ("org1", "i1")])
def test_pairs_on_one_factor_that_do_not_work_together(cooperation) -> None:
    pairs = missing_cooperation(social_map(cooperation))
    assert list(pairs.columns) == list(MISSING_COOPERATION_COLUMNS)
    assert pairs.to_dict("records") == [
        {
            "a": "i1",
            "a_name": "Huiswerkklas",
            "b": "i2",
            "b_name": "Sportmaatjes",
            "factors": ["f1"],
        },
        {"a": "i2", "a_name": "Sportmaatjes", "b": "org1", "b_name": "Org 1", "factors": ["f1"]},
    ]


def test_pairs_list_every_factor_they_share() -> None:
    m = social_map()
    m.add_link("i2-f2", "ADDRESSES", "i2", "f2")
    pairs = missing_cooperation(m).set_index(["a", "b"])
    assert pairs.loc[("i1", "i2"), "factors"] == ["f1", "f2"]
    assert pairs.loc[("i2", "org2"), "factors"] == ["f2"]


def test_a_retired_cooperation_no_longer_counts() -> None:
    m = social_map(("i1", "i2"))
    m.add_link("old", "COOPERATES_WITH", "i2", "org1", round_out=2)
    now = missing_cooperation(m)
    assert list(zip(now["a"], now["b"], strict=True)) == [("i1", "org1"), ("i2", "org1")]
    before = missing_cooperation(m, as_of_round=1)
    assert list(zip(before["a"], before["b"], strict=True)) == [("i1", "org1")]
