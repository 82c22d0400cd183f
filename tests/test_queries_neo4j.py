"""Every question answered in Cypher on Neo4j gives the same DataFrame as on the SystemMap.

Same columns, dtypes, row order and values, floats to the last bit: on the Vleuten map,
on generated maps that use every table (hypothesis), on random influence graphs full
of loops, parallel links and rounds, and through the ``versterkt query --uri`` command.
Bad questions fail with the same message on both backends.
"""

from __future__ import annotations

import json
import os
import random
from collections.abc import Callable, Iterator
from typing import Any

import pandas as pd
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph import SystemMap, schema
from graph.errors import UnknownMap
from graph.generate import generated_map
from graph.store import Neo4jStore
from loaders import VLEUTEN, load_map
from queries import (
    QUERIES,
    QueryError,
    answer,
    consensus,
    cypher,
    evidence,
    influence,
    leverage,
    loops,
    paths,
    perspectives,
    social_map,
    statements,
)
from tests.strategies import system_maps
from versterkt.cli import main

#: Every question of every family on the SystemMap, by name; :mod:`queries.cypher` has
#: its counterpart under the same name.
EMBEDDED: dict[str, Callable[..., pd.DataFrame]] = {
    "drivers": influence.drivers,
    "driven_by": influence.driven_by,
    "influence": influence.influence,
    "shortest_paths": paths.shortest_paths,
    "all_paths": paths.all_paths,
    "leverage_points": leverage.leverage_points,
    "centrality": leverage.centrality,
    "loops": loops.loops,
    "loop_participation": loops.loop_participation,
    "votes": statements.votes,
    "statement_ranking": statements.statement_ranking,
    "by_factor": social_map.by_factor,
    "by_place": social_map.by_place,
    "unaddressed_factors": social_map.unaddressed_factors,
    "missing_cooperation": social_map.missing_cooperation,
    "link_evidence": evidence.link_evidence,
    "single_source_links": evidence.single_source_links,
    "untested_hypotheses": evidence.untested_hypotheses,
    "group_emphasis": perspectives.group_emphasis,
    "consensus": consensus.consensus,
}
#: The questions that take only a round.
ROUND_ONLY = (
    "centrality",
    "by_factor",
    "by_place",
    "unaddressed_factors",
    "missing_cooperation",
    "link_evidence",
    "single_source_links",
    "untested_hypotheses",
    "consensus",
)
FAMILIES = {
    "influence": ("drivers", "driven_by", "influence"),
    "paths": ("shortest_paths", "all_paths"),
    "leverage": ("leverage_points", "centrality"),
    "loops": ("loops", "loop_participation"),
    "statements": ("votes", "statement_ranking"),
    "social_map": ("by_factor", "by_place", "unaddressed_factors", "missing_cooperation"),
    "evidence": ("link_evidence", "single_source_links", "untested_hypotheses"),
    "perspectives": ("group_emphasis",),
    "consensus": ("consensus",),
}

Question = tuple[str, tuple[Any, ...], dict[str, Any]]

HYPOTHESIS = settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def ask(question: Question, m: SystemMap, store: Neo4jStore, map_id: str) -> tuple[Any, Any]:
    """The answer (or the error message) of both backends."""
    name, args, kwargs = question
    results = []
    for call in (
        lambda: EMBEDDED[name](m, *args, **kwargs),
        lambda: getattr(cypher, name)(store, map_id, *args, **kwargs),
    ):
        try:
            results.append(call())
        except QueryError as e:
            results.append(f"QueryError: {e}")
    return results[0], results[1]


def assert_same(expected: Any, actual: Any, question: Question) -> None:
    if isinstance(expected, str) or isinstance(actual, str):
        assert actual == expected, question
        return
    pd.testing.assert_frame_equal(actual, expected, check_exact=True, obj=repr(question))
    # the same Python values in every cell: lists stay lists, ints stay ints
    assert repr(actual.to_dict("records")) == repr(expected.to_dict("records")), question


def assert_same_answers(
    questions: list[Question], m: SystemMap, store: Neo4jStore, map_id: str
) -> None:
    for question in questions:
        assert_same(*ask(question, m, store, map_id), question)


def rounds_of(m: SystemMap) -> list[int | None]:
    return [None, *(r["number"] for r in m.rounds)]


def questions_for(m: SystemMap, draw: Callable[[st.SearchStrategy[Any]], Any]) -> list[Question]:
    """Questions from every family about ``m``, with nodes, rounds and options drawn."""
    ids = {kind: [n.id for n in m.nodes(kind)] for kind in schema.NODE_KINDS_ALL}
    movers = ids["Actor"] + ids["Factor"]
    every = [n.id for n in m.nodes()]
    when = st.sampled_from(rounds_of(m))
    out: list[Question] = [(name, (), {"as_of_round": draw(when)}) for name in ROUND_ONLY]
    out += [
        ("votes", (), {}),
        ("statement_ranking", (), {}),
        ("group_emphasis", (), {"as_of_round": draw(when)}),
        ("group_emphasis", (draw(st.sampled_from(schema.GROUPS)),), {}),
    ]
    if ids["Session"]:
        out.append(("statement_ranking", (draw(st.sampled_from(ids["Session"])),), {}))
    for length in (1, 2, draw(st.integers(3, 6))):
        out.append(("loops", (length,), {"as_of_round": draw(when)}))
    out.append(("loop_participation", (draw(st.integers(1, 6)),), {"as_of_round": draw(when)}))
    if movers:
        node = st.sampled_from(movers)
        depth = st.integers(1, 4)
        for _ in range(2):
            out += [
                ("drivers", (draw(node), draw(depth)), {"as_of_round": draw(when)}),
                ("driven_by", (draw(node), draw(depth)), {"as_of_round": draw(when)}),
                ("leverage_points", (draw(node), draw(depth)), {"as_of_round": draw(when)}),
            ]
        out.append(("influence", (), {"source": draw(node), "as_of_round": draw(when)}))
    if len(every) >= 2:
        pair = st.lists(st.sampled_from(every), min_size=2, max_size=2, unique=True)
        kinds = st.sampled_from([("INFLUENCES",), ("INFLUENCES", "CAN_ADJUST"), ("ABOUT",)])
        for _ in range(2):
            source, target = draw(pair)
            options = {"kinds": draw(kinds), "as_of_round": draw(when)}
            out += [
                ("all_paths", (source, target, draw(st.integers(1, 5))), options),
                ("shortest_paths", (source, target), options),
            ]
    return out


def influence_graphs() -> st.SearchStrategy[SystemMap]:
    """Random maps of actors and factors joined by many influence links: loops of every
    length, parallel links, links to themselves, unknown signs and weights, rounds."""

    @st.composite
    def build(draw: st.DrawFn) -> SystemMap:
        m = SystemMap("lussen", "Lussen")
        rounds = draw(st.integers(1, 3))
        for number in range(1, rounds + 1):
            m.add_record("rounds", number=number, name=f"Ronde {number}")
        when = st.none() | st.integers(1, rounds)
        ids = []
        for i in range(draw(st.integers(1, 9))):
            fields: dict[str, Any] = {"round_in": draw(when)}
            if draw(st.integers(0, 5)) == 0:
                fields["round_out"] = draw(st.integers(1, rounds + 1))
            if draw(st.integers(0, 3)) == 0:
                ids.append(f"a{i}")
                m.add_node("Actor", ids[-1], f"Actor {i}", actor_kind="organisatie", **fields)
            else:
                ids.append(f"f{i}")
                m.add_node("Factor", ids[-1], f"Factor {i}", level="persoon", role="bron", **fields)
        factors = [n for n in ids if n.startswith("f")]
        for i in range(draw(st.integers(0, 30))):
            source, target = draw(st.sampled_from(ids)), draw(st.sampled_from(ids))
            if source.startswith("a") and factors and draw(st.booleans()):
                m.add_link(f"k{i}", "CAN_ADJUST", source, draw(st.sampled_from(factors)))
                continue
            fields = {
                "sign": draw(st.sampled_from(["+", "+", "-", None])),
                "weight": draw(st.none() | st.sampled_from([0.1, 0.3, 0.5, 0.7, 1.5, 2.0, 3.3])),
                "round_in": draw(when),
            }
            if draw(st.integers(0, 4)) == 0:
                fields["round_out"] = draw(st.integers(1, rounds + 1))
            m.add_link(f"l{i}", "INFLUENCES", source, target, **fields)
        return m

    return build()


@pytest.fixture(scope="module")
def vleuten(neo4j_uri: str) -> Iterator[tuple[SystemMap, Neo4jStore, str]]:
    """The Vleuten map, loaded once for this module under an id of its own."""
    store = Neo4jStore(neo4j_uri, password=os.environ.get("NEO4J_PASSWORD", "versterkt-local"))
    m = load_map()
    m.id = f"test-vleuten-{random.randrange(10**8)}"
    store.load(m)
    try:
        yield m, store, m.id
    finally:
        store.delete(m.id)
        store.close()


def vleuten_questions() -> list[Question]:
    rounds: list[Any] = [None, 1]
    out: list[Question] = [(name, (), {"as_of_round": r}) for name in ROUND_ONLY for r in rounds]
    for r in rounds:
        for target in ("prestatiedruk", "geluk-kind", "stress"):
            out += [
                ("drivers", (target,), {"as_of_round": r}),
                ("leverage_points", (target,), {"as_of_round": r}),
            ]
        out += [
            ("drivers", ("prestatiedruk", 1), {"as_of_round": r}),
            ("driven_by", ("individualisme",), {"as_of_round": r}),
            ("driven_by", ("ouders", 4), {"as_of_round": r}),
            ("influence", (), {"as_of_round": r}),
            ("influence", (), {"source": "schoolsysteem", "max_depth": 2, "as_of_round": r}),
            ("all_paths", ("individualisme", "stress"), {"as_of_round": r}),
            ("all_paths", ("ouders", "burn-out"), {"kinds": ["INFLUENCES", "CAN_ADJUST"]}),
            ("shortest_paths", ("schoolsysteem", "stress"), {"as_of_round": r}),
            (
                "shortest_paths",
                ("scholen", "stress"),
                {"kinds": ["INFLUENCES", "CAN_ADJUST"], "as_of_round": r},
            ),
            ("loops", (), {"as_of_round": r}),
            ("loop_participation", (3,), {"as_of_round": r}),
            ("group_emphasis", (), {"as_of_round": r}),
        ]
    out += [
        ("votes", (), {}),
        ("statement_ranking", (), {}),
        ("statement_ranking", ("kick-off",), {}),
        ("group_emphasis", ("deelnemer",), {}),
        ("group_emphasis", ("jongere",), {}),
    ]
    return out


@pytest.mark.parametrize("question", vleuten_questions(), ids=repr)
def test_every_question_on_the_vleuten_map_is_the_same_in_cypher(vleuten, question) -> None:
    m, store, map_id = vleuten
    expected, actual = ask(question, m, store, map_id)
    assert not isinstance(expected, str), expected
    assert_same(expected, actual, question)


def test_the_vleuten_answers_are_not_all_empty(vleuten) -> None:
    m, store, map_id = vleuten
    assert len(cypher.drivers(store, map_id, "prestatiedruk")) == 7
    assert cypher.leverage_points(store, map_id)["adjusted_by"].map(len).sum() == 2
    assert len(cypher.link_evidence(store, map_id)) == 20
    assert len(cypher.group_emphasis(store, map_id)) > 0
    assert len(cypher.statement_ranking(store, map_id)) == 6


@pytest.mark.parametrize(
    ("question", "message"),
    [
        (
            ("drivers", ("prestatiedrk",), {}),
            "unknown node 'prestatiedrk' (did you mean 'prestatiedruk'?)",
        ),
        (("drivers", ("kick-off",), {}), "'kick-off' is a Session; expected one of: Actor, Factor"),
        (("driven_by", ("ouders", 0), {}), "the depth must be a whole number of at least 1, not 0"),
        (
            ("influence", (), {"target": "stress", "source": "ouders"}),
            "give a target or a source, not both",
        ),
        (
            ("all_paths", ("ouders", "ouders"), {}),
            "a path needs two different nodes, got 'ouders' twice",
        ),
        (
            ("all_paths", ("ouders", "stress"), {"kinds": ["INFLUENCE"]}),
            "unknown link kind 'INFLUENCE' (did you mean 'INFLUENCES'?)",
        ),
        (
            ("shortest_paths", ("ouders", "stres"), {}),
            "unknown node 'stres' (did you mean 'stress'?)",
        ),
        (("loops", (0,), {}), "the maximum length must be a whole number of at least 1, not 0"),
        (
            ("loops", (), {"as_of_round": 0}),
            "unknown round 0 (rounds: 1)",
        ),
        (
            ("centrality", (), {"as_of_round": -2}),
            "unknown round -2 (rounds: 1)",
        ),
        (
            ("statement_ranking", ("kick-of",), {}),
            "unknown node 'kick-of' (did you mean 'kick-off'?)",
        ),
        (("statement_ranking", ("ouders",), {}), "'ouders' is a Actor; expected one of: Session"),
        (
            ("group_emphasis", ("ouder",), {"as_of_round": 0}),
            "unknown round 0 (rounds: 1)",
        ),
        (("group_emphasis", ("ouderz",), {}), "unknown group 'ouderz' (did you mean 'ouder'?)"),
    ],
    ids=repr,
)
def test_bad_questions_fail_alike_on_both_backends(vleuten, question, message: str) -> None:
    m, store, map_id = vleuten
    expected, actual = ask(question, m, store, map_id)
    assert expected == actual == f"QueryError: {message}"


def test_an_unknown_map_is_named_with_a_suggestion(vleuten) -> None:
    _, store, map_id = vleuten
    with pytest.raises(
        UnknownMap, match=rf"unknown map '{map_id}x' in Neo4j at .* \(did you mean '{map_id}'\?\)"
    ):
        cypher.loops(store, f"{map_id}x")


def test_answer_asks_either_backend(vleuten) -> None:
    m, store, map_id = vleuten
    two_rounds = ("diff", "leverage-moves", "loop-moves")  # the map has one round
    for name in QUERIES:
        if name in two_rounds:
            continue
        options = {"source": "ouders", "target": "stress"} if name == "paths" else {}
        on_map = answer(name, m, **options)
        assert_same(on_map, answer(name, store, map_id=map_id, **options), (name, (), options))
    with pytest.raises(QueryError, match="unknown question 'loop'"):
        answer("loop", store, map_id=map_id)
    with pytest.raises(UnknownMap, match=f"unknown map 'elders' in the workbook .maps: {m.id}"):
        answer("loops", m, map_id="elders")
    assert answer("loops", m, map_id=m.id).equals(answer("loops", m))


def test_every_family_is_compared() -> None:
    assert sorted(name for names in FAMILIES.values() for name in names) == sorted(EMBEDDED)
    assert set(cypher.QUERIES) == set(QUERIES)
    for name in EMBEDDED:
        assert getattr(cypher, name).__name__ == name


@HYPOTHESIS
@given(m=system_maps(), data=st.data())
def test_generated_maps_give_the_same_answers(store, map_id, m, data) -> None:
    m.id = map_id
    store.load(m)
    assert_same_answers(questions_for(m, data.draw), m, store, map_id)


@HYPOTHESIS
@given(m=influence_graphs(), data=st.data())
def test_influence_graphs_with_loops_give_the_same_answers(store, map_id, m, data) -> None:
    m.id = map_id
    store.load(m)
    when = st.sampled_from(rounds_of(m))
    questions: list[Question] = [
        ("loops", (length,), {"as_of_round": data.draw(when)}) for length in range(1, 7)
    ]
    questions += [
        ("loop_participation", (data.draw(st.integers(1, 6)),), {"as_of_round": data.draw(when)}),
        ("centrality", (), {"as_of_round": data.draw(when)}),
    ]
    questions += questions_for(m, data.draw)
    assert_same_answers(questions, m, store, map_id)


def test_a_larger_generated_map_gives_the_same_answers(store, map_id) -> None:
    m = generated_map(nodes=150, links=600, seed=7, map_id=map_id)
    store.load(m)
    questions: list[Question] = [(name, (), {}) for name in ROUND_ONLY]
    questions += [
        ("drivers", ("factor-0", 3), {}),
        ("driven_by", ("actor-1", 3), {}),
        ("leverage_points", ("factor-0", 3), {}),
        ("all_paths", ("actor-1", "factor-0", 4), {}),
        ("shortest_paths", ("actor-1", "factor-0"), {}),
        ("loops", (5,), {}),
        ("loop_participation", (4,), {}),
        ("statement_ranking", (), {}),
        ("group_emphasis", (), {}),
    ]
    assert not cypher.loops(store, map_id, 5).empty
    assert_same_answers(questions, m, store, map_id)


def test_betweenness_above_the_limit_is_the_same_estimate_in_cypher(store, map_id) -> None:
    m = generated_map(nodes=700, links=3000, seed=3, map_id=map_id)
    store.load(m)
    estimate = cypher.centrality(store, map_id)
    exact = cypher.centrality(store, map_id, exact=True)
    assert estimate["estimated"].all()
    assert not exact["estimated"].any()
    assert not estimate["betweenness"].equals(exact["betweenness"])
    assert_same_answers(
        [("centrality", (), {}), ("centrality", (), {"exact": True})], m, store, map_id
    )


# --- the command ------------------------------------------------------------------------


cli = main


@pytest.fixture
def run() -> Callable[..., Any]:
    runner = CliRunner()

    def invoke(*args: str) -> Any:
        return runner.invoke(cli, ["query", *map(str, args)], catch_exceptions=False)

    return invoke


@pytest.mark.parametrize(
    "args",
    [
        ["influence"],
        ["influence", "--source", "schoolsysteem", "--depth", "2"],
        [
            "paths",
            "--from",
            "ouders",
            "--to",
            "stress",
            "--kind",
            "INFLUENCES",
            "--kind",
            "CAN_ADJUST",
        ],
        ["leverage", "--round", "1"],
        ["loops", "--max-length", "4"],
        ["statements", "--session", "kick-off"],
        ["social-map"],
        ["evidence"],
        ["perspectives", "--group", "deelnemer"],
    ],
    ids=" ".join,
)
@pytest.mark.parametrize("fmt", ["table", "csv", "json"])
def test_the_command_prints_the_same_from_neo4j(run, vleuten, args, fmt) -> None:
    _, store, map_id = vleuten
    from_files = run(*args, "--format", fmt)
    from_neo4j = run(*args, "--format", fmt, "--uri", store.uri, "--map-id", map_id)
    assert from_files.exit_code == 0, from_files.output
    assert from_neo4j.exit_code == 0, from_neo4j.output
    assert from_neo4j.stdout == from_files.stdout
    if fmt == "json":
        assert json.loads(from_neo4j.stdout) or args[0] == "loops"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["influence", "--target", "prestatiedrk"],
            "unknown node 'prestatiedrk' (did you mean 'prestatiedruk'?)",
        ),
        (["influence", "--depth", "0"], "the depth must be a whole number of at least 1, not 0"),
        (["loops", "--depth", "2"], "--depth does not apply to the loops question"),
        (["paths", "--to", "stress"], "the paths question needs --source/--from"),
    ],
)
def test_bad_questions_exit_2_from_neo4j(
    run, vleuten, args, message: str, english_output: None
) -> None:
    _, store, map_id = vleuten
    result = run(*args, "--uri", store.uri, "--map-id", map_id)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == f"Error: {message}\n"


def test_an_unknown_map_id_exits_2(run, vleuten, english_output: None) -> None:
    _, store, map_id = vleuten
    result = run("loops", "--uri", store.uri, "--map-id", f"{map_id}-x")
    assert result.exit_code == 2
    assert result.stderr == (
        f"Error: unknown map '{map_id}-x' in Neo4j at {store.uri} (did you mean '{map_id}'?)\n"
    )


def test_a_server_that_does_not_answer_exits_1_with_one_line(run, english_output: None) -> None:
    result = run("loops", "--uri", "bolt://127.0.0.1:1", "--map-id", "vleuten")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.startswith("Error: cannot reach Neo4j at bolt://127.0.0.1:1")
    assert result.stderr.count("\n") == 1


def test_data_and_uri_together_or_a_map_id_alone_exit_2(run, vleuten, english_output: None) -> None:
    _, store, map_id = vleuten
    both = run("loops", VLEUTEN, "--uri", store.uri)
    assert (both.exit_code, both.stderr) == (2, "Error: give DATA or --uri, not both\n")
    alone = run("loops", "--map-id", map_id)
    assert alone.exit_code == 2
    assert alone.stderr == f"Error: unknown map '{map_id}' in the workbook (maps: vleuten)\n"
