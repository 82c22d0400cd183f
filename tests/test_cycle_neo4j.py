"""The cycle on Neo4j: status, diff and agenda give the same answers as on the files."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from graph import SystemMap
from graph.errors import UnknownMap, UnknownRound
from graph.store import Neo4jStore
from loaders import VLEUTEN, load_map
from queries import answer, cycle
from tests.test_cycle_acceptance import MAP_ID_COMMANDS, MESSAGES, MISTAKES, fill
from tests.test_cycle_example import FORM, ROUND_1, ROUND_2, adjust_commands
from versterkt.cli import main as cli
from views.map import keep_map_positions


def loaded(store: Neo4jStore, m: SystemMap, map_id: str) -> SystemMap:
    m.id = map_id
    store.load(m)
    return m


def assert_same(on_files: pd.DataFrame, in_neo4j: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(on_files, in_neo4j)
    assert on_files.to_dict("records") == in_neo4j.to_dict("records")


def eventful_map() -> SystemMap:
    """Four rounds with everything the cycle records: groups changing their minds,
    two verdicts of one group in one round, additions, a retired node, a merge."""
    m = SystemMap("eventful", "Veel gebeurd")
    for k in (1, 2, 3, 4):
        m.add_record("rounds", number=k, name=f"Ronde {k}")
    m.add_node("Source", "verslag", "Verslag", source_kind="verslag")
    m.add_node("Actor", "ouders", "Ouders", actor_kind="groep")
    for f in ("druk", "stress", "slaap", "sport", "cijfers", "toetsen"):
        m.add_node("Factor", f, f.title(), level="persoon", role="bron")
    links = [
        ("cijfers-druk", "cijfers", "druk", "+"),
        ("toetsen-druk", "toetsen", "druk", "+"),
        ("druk-stress", "druk", "stress", "+"),
        ("stress-slaap", "stress", "slaap", "-"),
        ("slaap-stress", "slaap", "stress", "-"),
        ("sport-stress", "sport", "stress", None),
    ]
    for link_id, source, target, sign in links:
        m.add_link(link_id, "INFLUENCES", source, target, sign=sign, sources=("verslag",))
    m.add_link("knop", "CAN_ADJUST", "ouders", "cijfers")
    verdicts = [
        ("cijfers-druk", 1, "ouder", "eens"),
        ("cijfers-druk", 1, "jongere", "oneens"),
        ("cijfers-druk", 2, "jongere", "eens"),
        ("toetsen-druk", 1, "ouder", "eens"),
        ("toetsen-druk", 1, "ouder", "oneens"),  # a later row of the same round wins
        ("druk-stress", 1, "professional", "neutraal"),
        ("druk-stress", 2, "professional", "aanvulling"),
        ("stress-slaap", 1, "jongere", "eens"),
        ("stress-slaap", 2, "jongere", "aanvulling"),
        ("sport-stress", 1, "ouder", "oneens"),
        ("sport-stress", 1, "jongere", "oneens"),
        ("knop", 2, "ouder", "eens"),
    ]

    def review(tested: int) -> None:
        for i, (link, k, group, verdict) in enumerate(verdicts):
            if k == tested:
                m.add_record(
                    "reviews",
                    id=f"t{i}",
                    link=link,
                    round=k,
                    group=group,
                    verdict=verdict,
                    note="x",
                )

    # each round's changes are made before its groups test it
    review(1)
    cycle.resign_link(m, 2, "sport-stress", "-", reason="Sport dempt", prompted_by=["t9"])
    review(2)
    cycle.reweight_link(m, 4, "cijfers-druk", 2.0, reason="Zwaar", prompted_by=["t2"])
    cycle.merge_nodes(m, 4, ["toetsen"], "cijfers", reason="Hetzelfde")
    cycle.retire_node(m, 4, "slaap", reason="Buiten beeld")
    cycle.add_node(m, 4, "Factor", "media", "Media", level="omgeving", role="bron", reason="Nieuw")
    cycle.add_link(m, 4, "media-druk", "INFLUENCES", "media", "druk", reason="Nieuw", sign="+")
    return m


@pytest.mark.parametrize("name", ["example", "eventful", "vleuten"])
def test_status_agenda_and_diff_are_the_same_on_files_and_in_neo4j(
    store: Neo4jStore, map_id: str, name: str
) -> None:
    m = {"example": lambda: load_map(ROUND_2), "eventful": eventful_map, "vleuten": load_map}[
        name
    ]()
    target = "druk" if name == "eventful" else "prestatiedruk"
    loaded(store, m, map_id)
    known = cycle.rounds(m)

    def same(name: str, **options: object) -> None:
        assert_same(answer(name, m, **options), answer(name, store, map_id=map_id, **options))

    for k in (None, *known):
        same("status", as_of_round=k)
        same("agenda", as_of_round=k, target=target)
    for a in known:
        for b in known:
            if a < b:
                same("diff", a=a, b=b)
    if len(known) > 1:
        # these follow chains on the map read back: once is enough
        first, last = known[0], known[-1]
        same("leverage-moves", a=first, b=last, target=target)
        same("loop-moves", a=first, b=last)


def test_the_eventful_map_exercises_every_status_and_change(store: Neo4jStore, map_id: str) -> None:
    m = loaded(store, eventful_map(), map_id)
    statuses = answer("status", store, map_id=map_id, as_of_round=3)
    statuses = statuses.set_index("link")["status"].to_dict()
    assert statuses == {
        "cijfers-druk": "bevestigd",  # jongere changed its mind in round 2
        "druk-stress": "hypothese",  # neutraal, then an aanvulling
        "knop": "bevestigd",
        "slaap-stress": "hypothese",
        "sport-stress-r2": "hypothese",  # the re-signed link starts afresh
        "stress-slaap": "bevestigd",  # the aanvulling keeps the eens
        "toetsen-druk": "verworpen",  # the later of two rows in round 1
    }
    in_neo4j = answer("diff", store, map_id=map_id, a=1, b=4)
    assert set(in_neo4j["change"]) == set(cycle.CHANGES) - {"node renamed"}
    assert_same(cycle.diff(m, 1, 4), in_neo4j)


def test_status_and_diff_in_neo4j_run_in_cypher_without_reading_the_map_back(
    store: Neo4jStore, map_id: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    m = loaded(store, load_map(ROUND_2), map_id)

    def no_read(*args: object) -> SystemMap:
        raise AssertionError("read the whole map")

    monkeypatch.setattr(store, "read", no_read)
    assert_same(cycle.link_status(m), answer("status", store, map_id=map_id))
    assert_same(cycle.diff(m, 1, 2), answer("diff", store, map_id=map_id, a=1, b=2))


def test_questions_about_a_map_neo4j_does_not_hold_or_a_round_it_lacks(
    store: Neo4jStore, map_id: str
) -> None:
    loaded(store, load_map(ROUND_2), map_id)
    with pytest.raises(
        UnknownMap, match=f"unknown map 'nergens' in Neo4j at .* \\(maps: .*{map_id}"
    ):
        answer("status", store, map_id="nergens")
    with pytest.raises(UnknownRound, match=r"unknown round 5 \(rounds: 1, 2\)"):
        answer("diff", store, map_id=map_id, a=1, b=5)


@pytest.mark.parametrize(
    ("command", "options"),
    [
        (["status"], ["--format", "json"]),
        (["status"], ["--round", "2", "--format", "csv"]),
        (["agenda"], []),
        (["agenda"], ["--round", "1", "--format", "json"]),
        (["diff", "1", "2"], []),
        (["diff", "1", "2"], ["--format", "json"]),
    ],
)
def test_the_commands_say_the_same_from_files_and_from_neo4j(
    store: Neo4jStore, map_id: str, neo4j_uri: str, command: list[str], options: list[str]
) -> None:
    loaded(store, load_map(ROUND_2), map_id)
    runner = CliRunner(env={"NEO4J_PASSWORD": os.environ.get("NEO4J_PASSWORD", "versterkt-local")})
    on_files = runner.invoke(cli, [*command, str(ROUND_2), *options])
    in_neo4j = runner.invoke(cli, [*command, *options, "--uri", neo4j_uri, "--map-id", map_id])
    assert on_files.exit_code == 0, on_files.output
    assert in_neo4j.exit_code == 0, in_neo4j.output
    assert in_neo4j.output == on_files.output


def test_the_vleuten_map_in_neo4j_is_all_hypotheses(store: Neo4jStore, map_id: str) -> None:
    loaded(store, load_map(VLEUTEN), map_id)
    assert set(answer("status", store, map_id=map_id)["status"]) == {"hypothese"}


def test_the_example_cycle_replays_in_neo4j_with_the_commands_alone(
    store: Neo4jStore, neo4j_uri: str, tmp_path: Path
) -> None:
    """Round 1 in the database; the review form and every adjustment as commands with
    --uri; the map in the database is then round 2 of the example. (The map keeps its
    own id: the filled form names it.)"""
    map_id = "voorbeeld-cyclus"
    assert map_id not in {row["id"] for row in store.maps()}
    loaded(store, load_map(ROUND_1), map_id)
    as_drawn = cycle.map_as_of(store.read(map_id), 1)
    where = ["--uri", neo4j_uri, "--map-id", map_id]
    runner = CliRunner(env={"NEO4J_PASSWORD": os.environ.get("NEO4J_PASSWORD", "versterkt-local")})
    form = tmp_path / "formulier.xlsx"
    for command in [
        ["review-form", "--round", "1", "--group", "ouder", "--group", "professional",
         "--out", str(form)],
        ["review-import", str(FORM)],
        *adjust_commands(),
    ]:  # fmt: skip
        result = runner.invoke(cli, [*command, *where])
        assert result.exit_code == 0, (command, result.output)
    expected = load_map(ROUND_2)
    expected.id = map_id
    assert store.read(map_id) == expected
    keep_map_positions(as_drawn)  # round 1 keeps the positions it was drawn at
    assert cycle.map_as_of(store.read(map_id), 1) == as_drawn


def test_a_refused_change_leaves_the_map_in_neo4j_as_it_was(
    store: Neo4jStore, map_id: str, neo4j_uri: str, english_output: None
) -> None:
    loaded(store, load_map(ROUND_2), map_id)
    before = store.read(map_id).canonical()
    runner = CliRunner(env={"NEO4J_PASSWORD": os.environ.get("NEO4J_PASSWORD", "versterkt-local")})
    where = ["--uri", neo4j_uri, "--map-id", map_id]
    for command, message in [
        (["adjust", "retire", "inv-schoolsysteem-geluk-kind", "--reason", "x"], "already left"),
        (["adjust", "add-node", "x", "--kind", "factor", "--name", "X", "--set", "niveau=wijk",
          "--reason", "x"], 'unknown value "wijk"'),
        (["adjust", "add-node", "mail", "--kind", "factor", "--name", "a@example.org",
          "--set", "niveau=persoon", "--set", "rol=bron", "--reason", "x"], "e-mail address"),
    ]:  # fmt: skip
        result = runner.invoke(cli, [*command, *where])
        assert result.exit_code == 1, result.output
        assert message in result.output
    assert store.read(map_id).canonical() == before


@pytest.mark.parametrize(
    ("command", "what", "value"), MISTAKES, ids=lambda v: " ".join(v) if isinstance(v, list) else v
)
def test_an_unknown_map_round_or_node_in_neo4j_gives_one_message_and_exit_code_2(
    store: Neo4jStore,
    map_id: str,
    neo4j_uri: str,
    tmp_path: Path,
    command: list[str],
    what: str,
    value: str,
    english_output: None,
) -> None:
    loaded(store, load_map(ROUND_2), map_id)
    before = store.read(map_id).canonical()
    args = [a for a in fill(command, data="", tmp=tmp_path, form=FORM, x=value) if a]
    args += ["--uri", neo4j_uri, "--map-id", value if what == "--map-id" else map_id]
    runner = CliRunner(env={"NEO4J_PASSWORD": os.environ.get("NEO4J_PASSWORD", "versterkt-local")})
    result = runner.invoke(cli, args)
    assert result.exit_code == 2, result.output
    if what == "--map-id":
        maps = f"\\(maps: [^)]*{map_id}[^)]*\\)"
        expected = f"Error: unknown map 'nope' in Neo4j at {re.escape(neo4j_uri)} {maps}\n"
        assert re.fullmatch(expected, result.output), result.output
    else:
        assert result.output == MESSAGES[what]
    assert store.read(map_id).canonical() == before
    assert list(tmp_path.iterdir()) == []


def test_every_command_that_takes_a_map_id_is_tried() -> None:
    assert {c[0] for c in MAP_ID_COMMANDS} >= {"info", "map", "query", "status", "agenda"}
