"""A session saved by the map page's toetsmodus, read back with versterkt review-import."""

from __future__ import annotations

import json
import os
import shlex
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from graph.cycle import status_rows
from graph.store import Neo4jStore
from loaders import VLEUTEN, WorkbookInvalid, load_map
from loaders.review_form import read_review_form
from loaders.session_file import FORMAT, is_session_file
from tests.test_cycle_example import ROUND_1, ROUND_2
from versterkt.cli import main

# these tests read the commands' English sentences
pytestmark = pytest.mark.usefixtures("english_output")

A, B = "inv-verwachtingen-ouders-prestatiedruk", "inv-schoolsysteem-prestatiedruk"


def run(*args: object) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args])


def saved(tmp_path: Path, name: str = "sessie.json", **changes: Any) -> Path:
    """A session as the page saves it: three groups on two links, one proposal."""
    session: dict[str, Any] = {
        "format": FORMAT,
        "version": 1,
        "map": "voorbeeld-cyclus",
        "round": 1,
        "session": "oudersessie",
        "saved": "2026-12-01T09:00:00Z",
        "entries": [
            {"link": A, "group": "ouder", "verdict": "oneens", "note": "Ouders voelen het niet zo"},
            {"link": A, "group": "jongere", "verdict": "eens", "note": "Thuis merk je het"},
            {"link": A, "group": "professional", "verdict": "neutraal", "note": "Verschilt"},
            {"link": B, "group": "ouder", "verdict": "eens", "note": "<b>klopt</b>"},
            {"link": B, "group": "jongere", "verdict": "eens", "note": ""},
            {"link": B, "group": "professional", "verdict": "aanvulling", "note": "Ook de cito"},
        ],
        "proposals": [
            {
                "kind": "link",
                "group": "jongere",
                "source": "druk-leeftijdsgenoten",
                "target": "verwachtingen-ouders",
                "sign": "+",
                "note": "Ouders vergelijken ook",
            }
        ],
    }
    session.update(changes)
    path = tmp_path / name
    path.write_text(json.dumps(session, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.fixture
def workbook(tmp_path: Path) -> Path:
    return Path(shutil.copytree(ROUND_1, tmp_path / "werkboek"))


def test_a_saved_session_records_each_groups_verdict_and_remark(
    workbook: Path, tmp_path: Path
) -> None:
    result = run("review-import", saved(tmp_path), workbook)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == f"Recorded 6 reviews in {workbook}."
    m = load_map(workbook)
    by = {(r["link"], r["group"]): r for r in m.reviews}
    assert by[(A, "ouder")]["note"] == "Ouders voelen het niet zo"
    assert by[(B, "ouder")]["note"] == "<b>klopt</b>"  # text, kept as typed
    assert "note" not in by[(B, "jongere")] or by[(B, "jongere")]["note"] is None
    assert {r["session"] for r in m.reviews} == {"oudersessie"}
    assert {r["round"] for r in m.reviews} == {1}
    status = {row["link"]: row["status"] for row in status_rows(m)}
    assert status[A] == "betwist" and status[B] == "bevestigd"


def test_a_proposal_is_listed_as_the_adjust_command_that_makes_it(
    workbook: Path, tmp_path: Path
) -> None:
    result = run("review-import", saved(tmp_path), workbook)
    lines = result.output.splitlines()
    assert lines[2].startswith("1 proposal from the session, not recorded")
    command = shlex.split(lines[3])
    assert command == [
        "versterkt",
        "adjust",
        "add-link",
        "inv-druk-leeftijdsgenoten-verwachtingen-ouders",
        "--from",
        "druk-leeftijdsgenoten",
        "--to",
        "verwachtingen-ouders",
        "--sign",
        "+",
        "--reason",
        "voorstel van jongere (sessie oudersessie, ronde 1): Ouders vergelijken ook",
        "--open-round",
        "Na oudersessie",
        str(workbook),
    ]
    assert "inv-druk-leeftijdsgenoten-verwachtingen-ouders" not in load_map(workbook)
    # the analyst accepts it by running the command
    assert run("round", "open", workbook, "--name", "Na de oudersessie").exit_code == 0
    accepted = run(*command[1:])
    assert accepted.exit_code == 0, accepted.output
    link = load_map(workbook).link("inv-druk-leeftijdsgenoten-verwachtingen-ouders")
    assert (link.source, link.target, link.get("sign"), link.get("round_in")) == (
        "druk-leeftijdsgenoten",
        "verwachtingen-ouders",
        "+",
        2,
    )


def test_other_signs_and_missing_factors_become_commands_too(
    workbook: Path, tmp_path: Path
) -> None:
    proposals = [
        {"kind": "sign", "group": "ouder", "link": A, "sign": "-", "note": "Het dempt juist"},
        {"kind": "factor", "group": "professional", "name": "Sociale media"},
    ]
    result = run("review-import", saved(tmp_path, proposals=proposals), workbook)
    assert result.exit_code == 0, result.output
    commands = [shlex.split(line) for line in result.output.splitlines()[3:]]
    assert commands == [
        [
            "versterkt", "adjust", "sign", A, "-", "--reason",
            "voorstel van ouder (sessie oudersessie, ronde 1): Het dempt juist",
            "--open-round", "Na oudersessie", str(workbook),
        ],
        [
            "versterkt", "adjust", "add-node", "sociale-media", "--kind", "factor", "--name",
            "Sociale media", "--reason", "voorstel van professional (sessie oudersessie, ronde 1)",
            "--open-round", "Na oudersessie", str(workbook),
        ],
    ]  # fmt: skip


def test_a_hand_edited_file_is_refused_whole_each_error_at_its_entry(
    workbook: Path, tmp_path: Path
) -> None:
    path = saved(tmp_path)
    session = json.loads(path.read_text(encoding="utf-8"))
    session["entries"][1]["link"] = "inv-verwachtingen-oudres-prestatiedruk"
    session["entries"][3]["group"] = "opa"
    session["entries"][4]["verdict"] = "eensch"
    session["proposals"][0]["target"] = "niemand"
    path.write_text(json.dumps(session), encoding="utf-8")
    before = (workbook / "toetsing.csv").read_bytes()
    result = run("review-import", path, workbook)
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f'{path}:entries[1].link: unknown link "inv-verwachtingen-oudres-prestatiedruk" '
        '(did you mean "inv-verwachtingen-ouders-prestatiedruk"?)',
        f'{path}:entries[3].group: unknown group "opa"',
        f'{path}:entries[4].verdict: unknown verdict "eensch" (did you mean "eens"?); '
        'allowed: "eens", "oneens", "neutraal", "aanvulling"',
        f'{path}:proposals[0].target: unknown node "niemand"',
        "4 errors; nothing was recorded.",
    ]
    assert (workbook / "toetsing.csv").read_bytes() == before


def test_remarks_are_checked_as_on_the_form(workbook: Path, tmp_path: Path) -> None:
    path = saved(tmp_path)
    session = json.loads(path.read_text(encoding="utf-8"))
    session["entries"][0]["note"] = "mail iemand@example.org"
    session["entries"][2]["verdict"] = ""
    session["entries"].append(dict(session["entries"][5]))
    path.write_text(json.dumps(session), encoding="utf-8")
    with pytest.raises(WorkbookInvalid) as caught:
        read_review_form(load_map(workbook), path)
    assert [(e.column, str(e.message).split(";")[0]) for e in caught.value.errors] == [
        ("entries[0].note", "contains an e-mail address"),
        ("entries[2].verdict", "required value missing: choose one for the group that said it "
         "(aanvulling for an addition)"),
        ("entries[6]", f'link "{B}" and group "professional" appear twice (first at entries[5])'),
    ]  # fmt: skip


def test_the_same_file_imported_twice_records_once(workbook: Path, tmp_path: Path) -> None:
    path = saved(tmp_path)
    assert run("review-import", path, workbook).exit_code == 0
    after_first = (workbook / "toetsing.csv").read_bytes()
    again = run("review-import", path, workbook)
    assert again.exit_code == 0
    assert again.output.splitlines()[0] == (
        f"Nothing new: the 6 reviews in {path} are already in {workbook}."
    )
    assert (workbook / "toetsing.csv").read_bytes() == after_first
    assert len(load_map(workbook).reviews) == 6


def test_a_file_for_another_map_is_refused(tmp_path: Path) -> None:
    data = Path(shutil.copytree(VLEUTEN, tmp_path / "vleuten"))
    path = saved(tmp_path)
    result = run("review-import", path, data)
    assert result.exit_code == 1
    assert f'{path}:map: this file is for map "voorbeeld-cyclus", not "vleuten"' in result.output
    assert load_map(data).reviews == load_map(VLEUTEN).reviews


def test_a_file_for_another_round_is_refused(workbook: Path, tmp_path: Path) -> None:
    later = saved(tmp_path, round=2)
    result = run("review-import", later, workbook)
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == (f"{later}:round: round 2 is not in rondes (rounds: 1)")
    # a link retired in round 2 cannot be tested in round 2
    round_2 = Path(shutil.copytree(ROUND_2, tmp_path / "ronde-2"))
    retired = next(link.id for link in load_map(round_2).links() if link.get("round_out") == 2)
    entries = [{"link": retired, "group": "ouder", "verdict": "eens", "note": ""}]
    path = saved(tmp_path, "ronde-2.json", round=2, entries=entries, proposals=[])
    result = run("review-import", path, round_2)
    assert result.exit_code == 1
    assert f'{path}:entries[0].link: link "{retired}" is not on the map in round 2' in (
        result.output
    )


def test_a_session_file_is_told_from_a_form_by_suffix_or_content(tmp_path: Path) -> None:
    copy = tmp_path / "sessie.txt"
    copy.write_text('\n  {"format": "x"}', encoding="utf-8")
    assert is_session_file(saved(tmp_path)) and is_session_file(copy)
    assert not is_session_file(ROUND_1.parent / "reactieformulier-ronde-1.xlsx")


def test_a_saved_session_goes_into_the_map_in_neo4j_once(
    store: Neo4jStore, map_id: str, neo4j_uri: str, tmp_path: Path
) -> None:
    m = load_map(ROUND_1)
    m.id = map_id
    store.load(m)
    runner = CliRunner(env={"NEO4J_PASSWORD": os.environ.get("NEO4J_PASSWORD", "versterkt-local")})
    where = ["--uri", neo4j_uri, "--map-id", map_id]
    broken = saved(tmp_path, "kapot.json", map=map_id)
    session = json.loads(broken.read_text(encoding="utf-8"))
    session["entries"][5]["group"] = "opa"
    broken.write_text(json.dumps(session), encoding="utf-8")
    refused = runner.invoke(main, ["review-import", str(broken), *where])
    assert refused.exit_code == 1
    assert f'{broken}:entries[5].group: unknown group "opa"' in refused.output
    assert store.read(map_id).reviews == []

    path = saved(tmp_path, map=map_id)
    for output in (f"Recorded 6 reviews in Neo4j at {neo4j_uri}.", "Nothing new: the 6 reviews"):
        result = runner.invoke(main, ["review-import", str(path), *where])
        assert result.exit_code == 0, result.output
        assert result.output.startswith(output)
        assert shlex.split(result.output.splitlines()[-1])[-2:] == ["--uri", neo4j_uri]
    in_neo4j = store.read(map_id)
    assert len(in_neo4j.reviews) == 6
    assert {row["link"]: row["status"] for row in status_rows(in_neo4j)}[A] == "betwist"
