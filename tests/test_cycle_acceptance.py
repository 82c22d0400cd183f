"""The cycle as a user meets it: one agenda, the map's own outcome, one message and one
exit code for each kind of mistake, whichever command meets it (on files; the same on
Neo4j in test_cycle_neo4j)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from graph import SystemMap
from graph.generate import generated_map
from loaders import EXAMPLE_CYCLE, load_map, write_workbook
from queries import QUERIES
from versterkt.cli import main
from views.bundle import write_bundle

ROUND_2 = EXAMPLE_CYCLE / "ronde-2"
DATA_LINK = re.compile(r'<li data-link="([^"]+)"')


def run(*args: object) -> tuple[int, str]:
    result = CliRunner().invoke(main, [str(a) for a in args])
    return result.exit_code, result.output


def page_agenda(m: SystemMap, folder: Path, round_: int | None) -> list[str]:
    """The links of the agenda on the session page, in its order."""
    bundle = write_bundle(m, folder, round=round_)
    return DATA_LINK.findall(bundle.index.read_text(encoding="utf-8"))


def cli_agenda(data: Path, round_: int | None) -> list[str]:
    code, out = run("agenda", data, "--format", "json", *(["--round", round_] if round_ else []))
    assert code == 0, out
    return [row["link"] for row in json.loads(out)]


def two_round_map(seed: int) -> SystemMap:
    """A generated map (its outcome is factor-0, not prestatiedruk) with a second round:
    some links retired and re-signed, some reviews."""
    m = generated_map(40, 120, seed, map_id=f"wijk-{seed}")
    links = [link for link in m.links("INFLUENCES")]
    for i, link in enumerate(links[:12]):
        verdict = ("eens", "oneens", "neutraal", "aanvulling")[i % 4]
        m.add_record("reviews", id=f"r{i}", link=link.id, round=1, group="ouder", verdict=verdict)
        if i % 3 == 0:
            m.add_record("reviews", id=f"s{i}", link=link.id, round=1, group="jongere",
                         verdict="oneens")  # fmt: skip
    m.open_round(name="Ronde 2")
    m.retire_link(2, links[1].id, reason="Verworpen", prompted_by=["r1"])
    m.resign_link(2, links[0].id, "-" if links[0].get("sign") == "+" else "+", reason="Andersom")
    # round 2's own session: its verdicts count for the next session, not for round 2's
    for i, link in enumerate(links[2:8]):
        verdict = "oneens" if i % 2 else "eens"
        m.add_record("reviews", id=f"t{i}", link=link.id, round=2, group="jongere", verdict=verdict)
    return m


@pytest.mark.parametrize("round_", [None, 1, 2])
def test_the_page_and_the_command_give_the_same_agenda_on_the_example(
    round_: int | None, tmp_path: Path
) -> None:
    expected = cli_agenda(ROUND_2, round_)
    assert expected  # an agenda worth comparing
    assert page_agenda(load_map(ROUND_2), tmp_path, round_) == expected


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_page_and_the_command_give_the_same_agenda_on_generated_maps(
    seed: int, tmp_path: Path
) -> None:
    m = two_round_map(seed)
    data = write_workbook(m, tmp_path / "wijk")
    agendas = {}
    for round_ in (None, 1, 2):
        agendas[round_] = cli_agenda(data, round_)
        assert len(agendas[round_]) > 10
        assert page_agenda(m, tmp_path / f"sessie-{round_}", round_) == agendas[round_]
    assert agendas[None] != agendas[2]  # round 2's verdicts count for the next session


def test_every_question_runs_without_target_on_a_map_whose_outcome_is_not_prestatiedruk(
    tmp_path: Path,
) -> None:
    data = write_workbook(two_round_map(4), tmp_path / "wijk")
    for name in sorted(QUERIES):
        if name in ("diff", "leverage-moves", "loop-moves"):
            continue  # two rounds: versterkt diff, below
        extra = ["--from", "actor-0", "--to", "factor-0"] if name == "paths" else []
        code, out = run("query", name, data, *extra)
        assert code == 0, (name, out)
    code, out = run("query", "influence", data, "--format", "json")
    assert {row["target"] for row in json.loads(out)} == {"factor-0"}
    for command in (["status", data], ["agenda", data], ["diff", 1, 2, data]):
        code, out = run(*command)
        assert code == 0, (command, out)
    code, out = run("present", data, "--out", tmp_path / "sessie")
    assert code == 0, out


def test_a_map_with_two_outcomes_names_both_and_the_option(
    tmp_path: Path, english_output: None
) -> None:
    m = two_round_map(5)
    m.add_node("Factor", "welzijn", "Welzijn", level="persoon", role="uitkomst")
    data = write_workbook(m, tmp_path / "wijk")
    message = (
        "Error: the map has 2 outcomes (factor-0, welzijn): choose one with --target, "
        "or name it in uitkomst on the kaart sheet\n"
    )
    for command in (
        ["query", "influence", data],
        ["query", "leverage", data],
        ["agenda", data],
        ["diff", 1, 2, data, "--show", "leverage"],
        ["present", data, "--out", tmp_path / "sessie"],
    ):
        assert run(*command) == (2, message), command
    code, out = run("agenda", data, "--target", "welzijn")
    assert code == 0, out


#: Every command that takes a map id, a round or a node, with a placeholder for it.
MAP_ID_COMMANDS = [
    ["info", "{data}"],
    ["map", "{data}", "--out", "{tmp}/kaart.html"],
    ["query", "influence", "{data}"],
    ["status", "{data}"],
    ["diff", "1", "2", "{data}"],
    ["agenda", "{data}"],
    ["present", "{data}", "--out", "{tmp}/sessie"],
    ["review-form", "{data}", "--round", "1", "--out", "{tmp}/f.xlsx"],
    ["review-import", "{form}", "{data}"],
    ["round", "open", "{data}", "--name", "Ronde 3"],
    ["adjust", "retire", "inv-prestatiedruk-stress", "{data}", "--reason", "x"],
]
ROUND_COMMANDS = [
    ["query", "influence", "{data}", "--round", "{x}"],
    ["query", "evidence", "{data}", "--round", "{x}"],
    ["status", "{data}", "--round", "{x}"],
    ["diff", "1", "{x}", "{data}"],
    ["agenda", "{data}", "--round", "{x}"],
    ["present", "{data}", "--out", "{tmp}/sessie", "--round", "{x}"],
    ["review-form", "{data}", "--round", "{x}", "--out", "{tmp}/f.xlsx"],
    ["adjust", "retire", "inv-prestatiedruk-stress", "{data}", "--reason", "x", "--round", "{x}"],
]
NODE_COMMANDS = [
    ["query", "influence", "{data}", "--target", "{x}"],
    ["query", "leverage", "{data}", "--target", "{x}"],
    ["query", "paths", "{data}", "--from", "{x}", "--to", "stress"],
    ["agenda", "{data}", "--target", "{x}"],
    ["diff", "1", "2", "{data}", "--show", "leverage", "--target", "{x}"],
    ["present", "{data}", "--out", "{tmp}/sessie", "--target", "{x}"],
    ["adjust", "retire-node", "{x}", "{data}", "--reason", "x"],
    ["adjust", "merge", "{data}", "--node", "stress", "--into", "{x}", "--reason", "x"],
    ["adjust", "add-link", "nieuw", "{data}", "--from", "{x}", "--to", "stress", "--reason", "x"],
]
MISTAKES = [
    *((command, "--map-id", "nope") for command in MAP_ID_COMMANDS),
    *((command, "round", "7") for command in ROUND_COMMANDS),
    *((command, "node", "zzz") for command in NODE_COMMANDS),
]
MESSAGES = {
    "--map-id": "Error: unknown map 'nope' in the workbook (maps: voorbeeld-cyclus)\n",
    "round": "Error: unknown round 7 (rounds: 1, 2); open a round first (versterkt round open)\n",
    "node": "Error: unknown node 'zzz'\n",
}


def fill(command: list[str], **values: object) -> list[str]:
    return [part.format(**values) for part in command]


@pytest.mark.parametrize(
    ("command", "what", "value"), MISTAKES, ids=lambda v: " ".join(v) if isinstance(v, list) else v
)
def test_an_unknown_map_round_or_node_gives_one_message_and_exit_code_2(
    command: list[str], what: str, value: str, tmp_path: Path, english_output: None
) -> None:
    data = write_workbook(load_map(ROUND_2), tmp_path / "werkboek")
    before = sorted((p.name, p.read_bytes()) for p in data.iterdir())
    form = EXAMPLE_CYCLE / "reactieformulier-ronde-1.xlsx"
    args = fill(command, data=data, tmp=tmp_path, form=form, x=value)
    if what == "--map-id":
        args += ["--map-id", value]
    code, out = run(*args)
    assert (code, out) == (2, MESSAGES[what])
    assert sorted((p.name, p.read_bytes()) for p in data.iterdir()) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["werkboek"]
