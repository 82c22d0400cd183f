"""The social map's questions (:mod:`queries.social_map`), the evidence
(:mod:`queries.evidence`), the links' status (:mod:`queries.status`) and the votes
(:mod:`queries.statements`) are written
once over a source: on a SystemMap and on the same map in Neo4j they give the same
tables, on Vleuten's map and on a generated one, in the latest state and in each
round; and the rows the source gives them (links with their ends, nodes with their
fields, quotes, the reviews that count, statements and votes) are the same."""

from __future__ import annotations

import os
import random
from collections.abc import Callable, Iterator
from typing import Any

import pandas as pd
import pytest

from graph import SystemMap, schema
from graph.errors import UnknownNode, UnknownRound
from graph.generate import generated_map
from graph.store import Neo4jStore
from loaders import load_map
from queries import (
    agenda,
    changes,
    cypher,
    evidence,
    perspectives,
    social_map,
    statements,
    status,
)
from queries.cypher import StoreSource
from queries.source import MapSource, Source

Maps = dict[str, tuple[SystemMap, StoreSource]]

WHY = "test data: the map as it changed in round two"


def _vleuten() -> SystemMap:
    """Vleuten's map with a second round: a new initiative on a factor another already
    addresses, a link of each kind the social map reads taken off the map."""
    m = load_map()
    m.id = f"test-social-{random.randrange(10**8)}"
    m.open_round(name="Ronde 2")
    m.add_node_in_round(2, "Initiative", "huiswerkklas", "Huiswerkklas", reason=WHY)
    m.add_link_in_round(
        2, "hk-richt-op-prestatiedruk", "ADDRESSES", "huiswerkklas", "prestatiedruk", reason=WHY
    )
    m.add_link_in_round(2, "hk-in-vleuten", "LOCATED_AT", "huiswerkklas", "vleuten", reason=WHY)
    m.retire_link(2, "knop-ouders-verwachtingen", reason=WHY)
    m.retire_link(2, "vv-in-vleuten", reason=WHY)
    m.add_node_in_round(
        2,
        "Quote",
        "citaat-huiswerk",
        "Samen huiswerk maken helpt",
        reason=WHY,
        group="jongere",
        session="kick-off",
        about=("huiswerkklas", "hk-richt-op-prestatiedruk"),
    )
    return _reviewed(m, seed=1)


def _reviewed(m: SystemMap, seed: int) -> SystemMap:
    """Reviews of the map's links in both rounds (test data)."""
    rng = random.Random(seed)
    links = sorted(link.id for link in m.links())
    session = next(n.id for n in m.sessions()) if m.sessions() else None
    for i in range(3 * len(links) // 2):
        m.add_record(
            "reviews",
            id=f"toets-{i}",
            link=rng.choice(links[:20]),
            round=rng.choice((1, 2)),
            group=rng.choice(schema.GROUPS),
            verdict=rng.choice(schema.VERDICTS),
            **({"session": session} if session and i % 2 else {}),
        )
    return m


def _generated() -> SystemMap:
    """A generated map with a second round: a cooperation and an addressing link retired."""
    m = generated_map(120, 600, seed=5, map_id=f"test-social-gen-{random.randrange(10**8)}")
    m.open_round(name="Ronde 2")
    for kind in ("COOPERATES_WITH", "ADDRESSES"):
        first = next(link for link in m.links(kind))
        m.retire_link(2, first.id, reason=WHY)
    nodes = sorted(n.id for n in m.nodes())
    links = sorted(link.id for link in m.links())
    rng = random.Random(7)
    for i in range(60):
        about = (rng.choice(nodes), *rng.sample(links, 2))
        m.add_node(
            "Quote",
            f"citaat-{i}",
            f"Gegenereerd citaat {i}",
            group=rng.choice(schema.GROUPS),
            about=about,
            round_in=1 + i % 2,
        )
    for i in range(2):
        m.add_node("Session", f"sessie-{i}", f"Sessie {i}", session_kind="toetsing")
    for i in range(8):
        m.add_node(
            "Statement", f"stelling-{i}", f"Stelling {i}", **({"focus": True} if i < 2 else {})
        )
        for session in ("sessie-0", "sessie-1")[: 1 + i % 2]:
            counts = {k: rng.randint(0, 9) for k in ("agree", "neutral", "disagree", "priority")}
            if i == 5:
                counts.pop("neutral")  # a count not recorded stays unknown
            m.add_record("votes", statement=f"stelling-{i}", session=session, **counts)
    return _reviewed(m, seed=2)


@pytest.fixture(scope="module")
def maps(neo4j_uri: str) -> Iterator[Maps]:
    store = Neo4jStore(neo4j_uri, password=os.environ.get("NEO4J_PASSWORD", "versterkt-local"))
    loaded = {"vleuten": _vleuten(), "generated": _generated()}
    for m in loaded.values():
        store.load(m)
    try:
        yield {name: (m, StoreSource(store, m.id)) for name, m in loaded.items()}
    finally:
        for m in loaded.values():
            store.delete(m.id)
        store.close()


QUESTIONS: dict[str, tuple[Callable[..., pd.DataFrame], Callable[..., pd.DataFrame]]] = {
    "link_evidence": (evidence.link_evidence, evidence.evidence_in),
    "single_source_links": (evidence.single_source_links, evidence.single_source_links_in),
    "untested_hypotheses": (evidence.untested_hypotheses, evidence.untested_hypotheses_in),
    "link_status": (status.link_status, status.link_status_in),
    "by_factor": (social_map.by_factor, social_map.by_factor_in),
    "by_place": (social_map.by_place, social_map.by_place_in),
    "unaddressed_factors": (social_map.unaddressed_factors, social_map.unaddressed_factors_in),
    "missing_cooperation": (social_map.missing_cooperation, social_map.missing_cooperation_in),
}


@pytest.mark.parametrize("as_of_round", [None, 1, 2])
@pytest.mark.parametrize("name", ["vleuten", "generated"])
@pytest.mark.parametrize("question", sorted(QUESTIONS))
def test_each_question_is_the_same_on_both_sources(
    maps: Maps, name: str, question: str, as_of_round: int | None
) -> None:
    m, in_store = maps[name]
    on_map, over_source = QUESTIONS[question]
    expected = on_map(m, as_of_round=as_of_round)
    pd.testing.assert_frame_equal(over_source(in_store, as_of_round=as_of_round), expected)
    public = getattr(cypher, question)(in_store.store, m.id, as_of_round=as_of_round)
    pd.testing.assert_frame_equal(public, expected)


def test_the_questions_have_answers_to_compare(maps: Maps) -> None:
    """What the comparisons above compare is not empty, and the rounds differ."""
    m, _ = maps["generated"]
    for question, (on_map, _) in QUESTIONS.items():
        if question != "by_place":  # the generated map has no places
            assert len(on_map(m)) > 3, question
    vleuten, _ = maps["vleuten"]
    assert social_map.missing_cooperation(vleuten, as_of_round=1).empty
    later = social_map.missing_cooperation(vleuten, as_of_round=2)
    assert later[["a", "b", "factors"]].to_dict("records") == [
        {"a": "huiswerkklas", "b": "vleuten-versterkt", "factors": ["prestatiedruk"]}
    ]
    places = {r: social_map.by_place(vleuten, as_of_round=r)["initiative"].tolist() for r in (1, 2)}
    assert places == {1: ["vleuten-versterkt"], 2: ["huiswerkklas"]}
    gaps = {
        r: social_map.unaddressed_factors(vleuten, as_of_round=r).set_index("factor")
        for r in (1, 2)
    }
    assert gaps[1].loc["verwachtingen-ouders", "adjusted_by"] == ["ouders"]
    assert gaps[2].loc["verwachtingen-ouders", "adjusted_by"] == []
    for name in ("vleuten", "generated"):
        m, _ = maps[name]
        statuses = {r: status.link_status(m, as_of_round=r) for r in (1, 2, None)}
        assert (statuses[1]["reviews"] == 0).all()
        assert 0 < statuses[2]["reviews"].sum() < statuses[None]["reviews"].sum()
        assert len(set(statuses[None]["status"])) > 2, name
        found = {r: evidence.link_evidence(m, as_of_round=r) for r in (1, 2, None)}
        assert found[2]["quotes"].map(len).sum() > found[1]["quotes"].map(len).sum() > 0
        untested = evidence.untested_hypotheses(m)
        assert 0 < len(untested) < len(found[None])


def _sorted(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(rows, key=lambda row: row["id"])


@pytest.mark.parametrize("as_of_round", [None, 1, 2])
@pytest.mark.parametrize("name", ["vleuten", "generated"])
def test_both_sources_give_the_same_quotes_and_reviews(
    maps: Maps, name: str, as_of_round: int | None
) -> None:
    m, in_store = maps[name]
    on_map = MapSource(m)
    quotes = _sorted(on_map.quotes(as_of_round))
    assert quotes and all(row["about"] for row in quotes)
    assert _sorted(in_store.quotes(as_of_round)) == quotes
    reviews = on_map.reviews(as_of_round)
    assert [review.round for review in reviews] == sorted(review.round for review in reviews)
    assert bool(reviews) == (as_of_round != 1)
    # in the order the status rule reads them: by round, then as recorded
    assert in_store.reviews(as_of_round) == reviews


@pytest.mark.parametrize("as_of_round", [None, 1, 2])
@pytest.mark.parametrize("name", ["vleuten", "generated"])
def test_both_sources_give_the_same_links_and_nodes(
    maps: Maps, name: str, as_of_round: int | None
) -> None:
    m, in_store = maps[name]
    on_map = MapSource(m)
    kinds = ("INFLUENCES", "ADDRESSES", "CAN_ADJUST")
    options: dict[str, Any] = {
        "fields": ("status", "sign", "weight"),
        "end_fields": ("kind", "name", "actor_kind", "level"),
        "source_kinds": ("Actor", "Initiative"),
        "target_kinds": ("Factor",),
    }
    found = _sorted(on_map.links(kinds, as_of_round, **options))
    assert {row["source_kind"] for row in found} == {"Actor", "Initiative"}
    assert {row["kind"] for row in found} == set(kinds)
    assert _sorted(in_store.links(kinds, as_of_round, **options)) == found
    every = _sorted(on_map.links(("INFLUENCES",), as_of_round, end_fields=("kind",)))
    assert {row["source_kind"] for row in every} == {"Actor", "Factor"}
    assert _sorted(in_store.links(("INFLUENCES",), as_of_round, end_fields=("kind",))) == every
    assert set(on_map.links(("INFLUENCES",), as_of_round)[0]) == {"id", "kind", "source", "target"}
    fields = ("level", "role", "actor_kind")
    nodes = _sorted(on_map.nodes(("Factor", "Actor"), as_of_round, fields=fields))
    assert any(row["actor_kind"] for row in nodes) and any(row["level"] for row in nodes)
    assert _sorted(in_store.nodes(("Factor", "Actor"), as_of_round, fields=fields)) == nodes


@pytest.mark.parametrize("as_of_round", [None, 1, 2])
@pytest.mark.parametrize("name", ["vleuten", "generated"])
def test_the_agenda_is_the_same_on_both_sources(
    maps: Maps, name: str, as_of_round: int | None
) -> None:
    m, in_store = maps[name]
    expected = agenda.agenda(m, as_of_round, max_depth=3)
    assert expected["leverage"].notna().any()
    statuses = len(set(expected["status"]))
    assert statuses == 1 if as_of_round == 1 else statuses > 1  # round 1: no reviews yet
    found = agenda.agenda_in(in_store, as_of_round, max_depth=3)
    pd.testing.assert_frame_equal(found, expected)
    public = cypher.agenda(in_store.store, m.id, as_of_round, max_depth=3)
    pd.testing.assert_frame_equal(public, expected)


@pytest.mark.parametrize("name", ["vleuten", "generated"])
def test_the_leverage_moves_are_the_same_on_both_sources(maps: Maps, name: str) -> None:
    m, in_store = maps[name]
    expected = changes.leverage_moves(m, 1, 2, max_depth=3)
    assert len(expected) > 0
    pd.testing.assert_frame_equal(changes.leverage_moves_in(in_store, 1, 2, None, 3), expected)
    public = cypher.leverage_moves(in_store.store, m.id, 1, 2, max_depth=3)
    pd.testing.assert_frame_equal(public, expected)


@pytest.mark.parametrize("name", ["vleuten", "generated"])
def test_the_diff_is_the_same_on_both_sources(maps: Maps, name: str) -> None:
    m, in_store = maps[name]
    expected = changes.diff(m, 1, 2)
    assert {"link retired", "status changed"} <= set(expected["change"])
    pd.testing.assert_frame_equal(changes.diff_in(in_store, 1, 2), expected)
    pd.testing.assert_frame_equal(cypher.diff(in_store.store, m.id, 1, 2), expected)
    for k in (1, 2):
        on_map, there = changes.snapshot(m, k), changes.snapshot_in(in_store, k)
        assert there.nodes == on_map.nodes and there.links == on_map.links


def test_a_target_off_the_map_in_a_round_is_the_same_error_on_both_sources(maps: Maps) -> None:
    m, in_store = maps["vleuten"]
    messages = []
    source: Source
    for source in (MapSource(m), in_store):
        with pytest.raises(UnknownNode) as caught:
            changes.leverage_moves_in(source, 1, 2, "huiswerkklas")
        messages.append(str(caught.value))
    assert messages[0] == messages[1] and "huiswerkklas" in messages[0]


@pytest.mark.parametrize("as_of_round", [None, 1, 2])
@pytest.mark.parametrize("name", ["vleuten", "generated"])
def test_the_groups_emphasis_is_the_same_on_both_sources(
    maps: Maps, name: str, as_of_round: int | None
) -> None:
    m, in_store = maps[name]
    every = perspectives.group_emphasis(m, as_of_round=as_of_round)
    assert {"Factor", "INFLUENCES"} <= set(every["kind"])
    pd.testing.assert_frame_equal(
        perspectives.group_emphasis_in(in_store, as_of_round=as_of_round), every
    )
    pd.testing.assert_frame_equal(
        cypher.group_emphasis(in_store.store, m.id, as_of_round=as_of_round), every
    )
    group = every["group"].iloc[0]
    one = perspectives.group_emphasis(m, group, as_of_round=as_of_round)
    assert len(one) > 0 and set(one["group"]) == {group}
    assert len(one) == (every["group"] == group).sum()
    pd.testing.assert_frame_equal(
        perspectives.group_emphasis_in(in_store, group, as_of_round=as_of_round), one
    )


@pytest.mark.parametrize("name", ["vleuten", "generated"])
def test_the_votes_and_ranking_are_the_same_on_both_sources(maps: Maps, name: str) -> None:
    m, in_store = maps[name]
    expected = statements.votes(m)
    assert len(expected) > 0
    pd.testing.assert_frame_equal(statements.votes_in(in_store), expected)
    pd.testing.assert_frame_equal(cypher.votes(in_store.store, m.id), expected)
    sessions = [None, *sorted(set(expected["session"]))]
    for session in sessions:
        ranked = statements.statement_ranking(m, session)
        assert len(ranked) > 0
        pd.testing.assert_frame_equal(statements.statement_ranking_in(in_store, session), ranked)
        pd.testing.assert_frame_equal(
            cypher.statement_ranking(in_store.store, m.id, session), ranked
        )
    if name == "generated":
        assert expected["priority"].notna().any() and expected["neutral"].isna().any()
        assert statements.statement_ranking(m)["focus"].sum() == 2


def test_an_unknown_session_is_the_same_error_on_both_sources(maps: Maps) -> None:
    m, in_store = maps["vleuten"]
    messages = []
    source: Source
    for source in (MapSource(m), in_store):
        with pytest.raises(UnknownNode) as caught:
            statements.statement_ranking_in(source, "kick-of")
        messages.append(str(caught.value))
    assert messages[0] == messages[1] and "kick-off" in messages[0]


@pytest.mark.parametrize("question", sorted(QUESTIONS))
def test_an_unknown_round_is_the_same_error_on_both_sources(maps: Maps, question: str) -> None:
    m, in_store = maps["vleuten"]
    over_source = QUESTIONS[question][1]
    messages = []
    source: Source
    for source in (MapSource(m), in_store):
        with pytest.raises(UnknownRound) as caught:
            over_source(source, as_of_round=7)
        messages.append(str(caught.value))
    assert messages[0] == messages[1]
