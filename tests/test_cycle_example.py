"""The example cycle (loaders.EXAMPLE_CYCLE), replayed from the library and the CLI."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from graph import SystemMap
from loaders import EXAMPLE_CYCLE, VLEUTEN, load_map
from loaders.review_form import import_review_form, write_review_form
from loaders.validate import privacy_problem
from queries import cycle
from versterkt.cli import main
from versterkt.output import render
from views.map import keep_map_positions

# these tests read the commands' English sentences
pytestmark = pytest.mark.usefixtures("english_output")

EXAMPLE = EXAMPLE_CYCLE
ROUND_1 = EXAMPLE / "ronde-1"
ROUND_2 = EXAMPLE / "ronde-2"
FORM = EXAMPLE / "reactieformulier-ronde-1.xlsx"
LABEL = "voorbeeld, verzonnen ter illustratie"


def review(link: str, group: str) -> str:
    return f"r1-{link}-{group}"


def adjust_after_the_parents_session(m: SystemMap) -> None:
    """The example's bijstel step: round 2 and the changes the parents' session prompted."""
    m.add_record(
        "rounds",
        number=2,
        name="Na de oudersessie: bijgestelde analyse",
        session="jongerensessie",
        origin=f"{LABEL}",
        note="Bijgesteld na de reacties in de oudersessie; te toetsen in de jongerensessie.",
    )
    keep_map_positions(m)  # as opening the round does: the map as the parents saw it stays
    peers = [review("inv-druk-leeftijdsgenoten-prestatiedruk", "professional")]
    cycle.add_node(
        m,
        2,
        "Factor",
        "sociale-media",
        "Sociale media",
        level="omgeving",
        role="bron",
        origin=f"{LABEL}: aanvulling van professionals in de oudersessie",
        reason="Professionals: de druk van leeftijdsgenoten loopt veel via sociale media.",
        prompted_by=peers,
    )
    cycle.add_link(
        m,
        2,
        "inv-sociale-media-druk-leeftijdsgenoten",
        "INFLUENCES",
        "sociale-media",
        "druk-leeftijdsgenoten",
        sign="+",
        origin=f"{LABEL}: aanvulling van professionals in de oudersessie",
        reason="Professionals: op sociale media vergelijken jongeren zich met elkaar.",
        prompted_by=peers,
    )
    cycle.add_link(
        m,
        2,
        "inv-prestatiedruk-perfectionisme",
        "INFLUENCES",
        "prestatiedruk",
        "perfectionisme",
        sign="+",
        origin=f"{LABEL}: aanvulling van professionals in de oudersessie",
        reason="Professionals: het werkt ook andersom, druk maakt kinderen perfectionistisch.",
        prompted_by=[review("inv-perfectionisme-prestatiedruk", "professional")],
    )
    not_directly = [
        review("inv-schoolsysteem-geluk-kind", "ouder"),
        review("inv-schoolsysteem-geluk-kind", "professional"),
    ]
    cycle.retire_link(
        m,
        2,
        "inv-schoolsysteem-geluk-kind",
        reason="Ouders en professionals: het schoolsysteem raakt het geluk van een kind "
        "via de prestatiedruk, niet rechtstreeks.",
        prompted_by=not_directly,
    )
    cycle.add_link(
        m,
        2,
        "inv-prestatiedruk-geluk-kind",
        "INFLUENCES",
        "prestatiedruk",
        "geluk-kind",
        sign="-",
        origin=f"{LABEL}: volgt uit de reacties in de oudersessie",
        reason="De route van het schoolsysteem naar het geluk van een kind loopt via de "
        "prestatiedruk.",
        prompted_by=not_directly,
    )
    cycle.resign_link(
        m,
        2,
        "inv-ouders-geluk-kind",
        "+",
        reason="Ouders dragen bij aan het geluk van een kind, al zijn ze er niet alleen "
        "verantwoordelijk voor: het teken is +.",
        origin=f"{LABEL}: het teken volgt uit de oudersessie",
        prompted_by=[
            review("inv-ouders-geluk-kind", "ouder"),
            review("inv-ouders-geluk-kind", "professional"),
        ],
    )
    cycle.reweight_link(
        m,
        2,
        "inv-verwachtingen-ouders-prestatiedruk",
        2.0,
        reason="Ouders en professionals noemen de verwachtingen van ouders de grootste "
        "bron: zwaarder dan de andere (gewicht 2).",
        origin=f"{LABEL}: het gewicht volgt uit de oudersessie",
        prompted_by=[
            review("inv-verwachtingen-ouders-prestatiedruk", "ouder"),
            review("inv-verwachtingen-ouders-prestatiedruk", "professional"),
        ],
    )
    keep_map_positions(m, loose=False)  # the new factor, on a link, as the commands keep it


# --- the data ---------------------------------------------------------------------------


def test_round_1_is_a_labelled_copy_of_the_kick_off_hypotheses() -> None:
    example, vleuten = load_map(ROUND_1), load_map(VLEUTEN)
    assert example.id == "voorbeeld-cyclus" and "verzonnen ter illustratie" in example.name
    assert example.meta["origin"].startswith(LABEL)
    assert [(lk.id, lk.kind, lk.source, lk.target, lk.get("sign")) for lk in example.links()] == [
        (lk.id, lk.kind, lk.source, lk.target, lk.get("sign")) for lk in vleuten.links()
    ]
    assert {n.id for n in example.factors()} == {n.id for n in vleuten.factors()}
    assert example.reviews == [] and example.adjustments == []
    for workbook in (ROUND_1, ROUND_2):
        for path in workbook.glob("*.csv"):
            with path.open(encoding="utf-8", newline="") as fh:
                for row in csv.DictReader(fh):
                    if "herkomst" in row:
                        assert row["herkomst"].startswith(LABEL), (path.name, row)


def test_the_example_is_kept_apart_from_the_vleuten_data() -> None:
    assert load_map(VLEUTEN).id == "vleuten"
    for path in VLEUTEN.glob("*.csv"):
        assert "verzonnen" not in path.read_text(encoding="utf-8"), path
    assert not (VLEUTEN / "voorbeeld-cyclus").exists()


def test_the_filled_form_names_groups_only_and_matches_a_fresh_one(tmp_path: Path) -> None:
    filled = list(openpyxl.load_workbook(FORM)["reacties"].iter_rows(values_only=True))
    assert filled[0] == ("nr", "stelling", "ouder", "professional", "toelichting", "relatie")
    for row in filled:
        for value in row:
            assert value is None or privacy_problem(str(value)) is None
    fresh = write_review_form(load_map(ROUND_1), 1, tmp_path / "f.xlsx", ["ouder", "professional"])
    blank = list(openpyxl.load_workbook(fresh)["reacties"].iter_rows(values_only=True))
    assert [(r[0], r[1], r[5]) for r in filled] == [(r[0], r[1], r[-1]) for r in blank]


# --- the cycle, from the library --------------------------------------------------------


def test_the_cycle_replays_from_the_library_and_round_1_stays_as_it_was() -> None:
    m = load_map(ROUND_1)
    as_drawn = cycle.map_as_of(m, 1)
    reviewed = import_review_form(m, FORM)
    assert len(reviewed.reviews) == 26
    assert cycle.map_as_of(reviewed, 1) == as_drawn
    assert cycle.link_status(m)["status"].unique().tolist() == ["hypothese"]
    adjust_after_the_parents_session(reviewed)
    keep_map_positions(as_drawn)  # round 1 keeps the positions it was drawn at
    assert cycle.map_as_of(reviewed, 1) == as_drawn
    assert reviewed == load_map(ROUND_2)
    assert cycle.map_as_of(load_map(ROUND_2), 1) == as_drawn


#: What the example changed from round 1 to round 2: (change, item, replaces, before, after).
EXPECTED_CHANGES = [
    ("node added", "sociale-media", None, None, None),
    ("link added", "inv-prestatiedruk-geluk-kind", None, None, None),
    ("link added", "inv-prestatiedruk-perfectionisme", None, None, None),
    ("link added", "inv-sociale-media-druk-leeftijdsgenoten", None, None, None),
    ("link retired", "inv-schoolsysteem-geluk-kind", None, None, None),
    ("link re-signed", "inv-ouders-geluk-kind-r2", "inv-ouders-geluk-kind", None, "+"),
    (
        "link re-weighted",
        "inv-verwachtingen-ouders-prestatiedruk-r2",
        "inv-verwachtingen-ouders-prestatiedruk",
        None,
        2.0,
    ),
    ("status changed", "inv-druk-leeftijdsgenoten-prestatiedruk", None, "hypothese", "bevestigd"),
    ("status changed", "inv-imago-vmbo-prestatiedruk", None, "hypothese", "bevestigd"),
    ("status changed", "inv-meten-toetsen-prestatiedruk", None, "hypothese", "betwist"),
    ("status changed", "inv-perfectionisme-prestatiedruk", None, "hypothese", "bevestigd"),
    ("status changed", "inv-prestatiedruk-burn-out", None, "hypothese", "bevestigd"),
    ("status changed", "inv-prestatiedruk-stress", None, "hypothese", "bevestigd"),
    ("status changed", "inv-schoolsysteem-prestatiedruk", None, "hypothese", "bevestigd"),
    (
        "status changed",
        "inv-verantwoordelijkheid-omgeving-geluk-kind",
        None,
        "hypothese",
        "bevestigd",
    ),
    ("status changed", "knop-ouders-verwachtingen", None, "hypothese", "bevestigd"),
    ("status changed", "knop-scholen-meten-toetsen", None, "hypothese", "bevestigd"),
]


def test_diff_of_round_1_and_2_reports_exactly_the_changes_the_example_made() -> None:
    m = load_map(ROUND_2)
    table = cycle.diff(m, 1, 2)
    assert [
        tuple(row) for row in table[["change", "item", "replaces", "before", "after"]].values
    ] == EXPECTED_CHANGES
    assert set(table["round"]) == {2}
    by_item = table.set_index("item")
    resigned = by_item.loc["inv-ouders-geluk-kind-r2"]
    assert resigned["adjustments"] == ["b2-teken-inv-ouders-geluk-kind"]
    assert resigned["reason"].startswith("Ouders dragen bij aan het geluk van een kind")
    assert resigned["prompted_by"] == [
        "r1-inv-ouders-geluk-kind-ouder",
        "r1-inv-ouders-geluk-kind-professional",
    ]
    assert resigned["description"] == "Ouders vergroten het geluk van een kind"
    contested = by_item.loc["inv-meten-toetsen-prestatiedruk"]
    assert contested["reason"] == "ronde 1: ouder oneens, professional eens"
    # every structural change names the adjustment that made it and the reviews behind it
    structural = table[table["change"] != "status changed"]
    assert all(structural["adjustments"].map(len) == 1)
    assert all(structural["prompted_by"].map(len) >= 1)
    assert {a["id"] for a in m.adjustments} == {a for ids in structural["adjustments"] for a in ids}


def test_the_leverage_ranking_and_the_loops_moved_as_the_example_says() -> None:
    m = load_map(ROUND_2)
    moves = cycle.leverage_moves(m, 1, 2)
    moves = moves.astype(object).where(moves.notna(), None)
    assert moves[["factor", "rank_before", "rank_after", "move"]].values.tolist() == [
        ["verwachtingen-ouders", 1, 1, "stronger"],
        ["druk-leeftijdsgenoten", 1, 2, "down"],
        ["imago-vmbo", 1, 2, "down"],
        ["individualisme", 1, 2, "down"],
        ["meten-en-toetsen", 1, 2, "down"],
        ["perfectionisme", 1, 2, "down"],
        ["schoolsysteem", 1, 2, "down"],
        ["sociale-media", None, 2, "new"],
    ]
    loops = cycle.loop_moves(m, 1, 2)
    assert loops[["change", "members", "links", "polarity"]].values.tolist() == [
        [
            "new",
            ["perfectionisme", "prestatiedruk"],
            ["inv-perfectionisme-prestatiedruk", "inv-prestatiedruk-perfectionisme"],
            "reinforcing",
        ]
    ]


def test_the_agenda_after_the_parents_session() -> None:
    table = cycle.agenda(load_map(ROUND_2))
    assert table[["link", "status"]].values.tolist()[:10] == [
        ["inv-verwachtingen-ouders-prestatiedruk-r2", "hypothese"],
        ["knop-ouders-verwachtingen", "bevestigd"],
        ["inv-meten-toetsen-prestatiedruk", "betwist"],
        ["inv-individualisme-prestatiedruk", "hypothese"],
        ["inv-sociale-media-druk-leeftijdsgenoten", "hypothese"],
        ["inv-druk-leeftijdsgenoten-prestatiedruk", "bevestigd"],
        ["inv-imago-vmbo-prestatiedruk", "bevestigd"],
        ["inv-perfectionisme-prestatiedruk", "bevestigd"],
        ["knop-scholen-meten-toetsen", "bevestigd"],
        ["inv-schoolsysteem-prestatiedruk", "bevestigd"],
    ]
    reasons = dict(zip(table["link"], table["reasons"], strict=True))
    assert reasons["inv-verwachtingen-ouders-prestatiedruk-r2"] == [
        "nog niet getoetst",
        "rust op één bron",
        "op een keten naar Prestatiedruk (via De verwachtingen van ouders, effect 2)",
    ]
    assert reasons["knop-ouders-verwachtingen"] == [
        "alleen bevestigd door ouder",
        "rust op één bron",
        "knop op De verwachtingen van ouders (effect 2 op Prestatiedruk)",
    ]
    assert reasons["inv-meten-toetsen-prestatiedruk"][0] == (
        "betwist (eens: professional; oneens: ouder)"
    )
    assert reasons["inv-individualisme-prestatiedruk"][0] == (
        "nog geen oordeel: alleen neutraal of aanvulling"
    )
    assert reasons["inv-prestatiedruk-perfectionisme"] == ["nog niet getoetst", "rust op geen bron"]
    assert reasons["inv-prestatiedruk-stress"] == ["rust op één bron"]
    # retired links are off the agenda; the links of the sociale kaart are not tested here
    assert "inv-schoolsysteem-geluk-kind" not in reasons
    assert "gemeente-voert-uit-vv" not in reasons
    assert len(table) == 17
    assert table["priority"].tolist() == list(range(1, 18))
    # the agenda of round 1's session: every hypothesis, untested
    first = cycle.agenda(load_map(ROUND_2), 1)
    assert set(first["status"]) == {"hypothese"} and len(first) == 15


# --- the cycle, from the command line ---------------------------------------------------


def adjust_commands() -> list[list[str]]:
    """The example's bijstel step as commands: what :func:`adjust_after_the_parents_session`
    does, without opening a sheet."""
    peers = review("inv-druk-leeftijdsgenoten-prestatiedruk", "professional")
    not_directly = [
        "--after",
        review("inv-schoolsysteem-geluk-kind", "ouder"),
        "--after",
        review("inv-schoolsysteem-geluk-kind", "professional"),
    ]
    added = f"herkomst={LABEL}: aanvulling van professionals in de oudersessie"
    return [
        ["round", "open", "--name", "Na de oudersessie: bijgestelde analyse",
         "--session", "jongerensessie", "--origin", LABEL,
         "--note", "Bijgesteld na de reacties in de oudersessie; te toetsen in de jongerensessie."],
        ["adjust", "add-node", "sociale-media", "--kind", "factor", "--name", "Sociale media",
         "--set", "niveau=omgeving", "--set", "rol=bron", "--set", added,
         "--reason", "Professionals: de druk van leeftijdsgenoten loopt veel via sociale media.",
         "--after", peers],
        ["adjust", "add-link", "inv-sociale-media-druk-leeftijdsgenoten",
         "--from", "sociale-media", "--to", "druk-leeftijdsgenoten", "--sign", "+",
         "--set", added,
         "--reason", "Professionals: op sociale media vergelijken jongeren zich met elkaar.",
         "--after", peers],
        ["adjust", "add-link", "inv-prestatiedruk-perfectionisme",
         "--from", "prestatiedruk", "--to", "perfectionisme", "--sign", "+", "--set", added,
         "--reason",
         "Professionals: het werkt ook andersom, druk maakt kinderen perfectionistisch.",
         "--after", review("inv-perfectionisme-prestatiedruk", "professional")],
        ["adjust", "retire", "inv-schoolsysteem-geluk-kind",
         "--reason", "Ouders en professionals: het schoolsysteem raakt het geluk van een kind "
         "via de prestatiedruk, niet rechtstreeks.", *not_directly],
        ["adjust", "add-link", "inv-prestatiedruk-geluk-kind",
         "--from", "prestatiedruk", "--to", "geluk-kind", "--sign", "-",
         "--set", f"herkomst={LABEL}: volgt uit de reacties in de oudersessie",
         "--reason", "De route van het schoolsysteem naar het geluk van een kind loopt via de "
         "prestatiedruk.", *not_directly],
        ["adjust", "sign", "inv-ouders-geluk-kind", "+",
         "--set", f"herkomst={LABEL}: het teken volgt uit de oudersessie",
         "--reason", "Ouders dragen bij aan het geluk van een kind, al zijn ze er niet alleen "
         "verantwoordelijk voor: het teken is +.",
         "--after", review("inv-ouders-geluk-kind", "ouder"),
         "--after", review("inv-ouders-geluk-kind", "professional")],
        ["adjust", "weight", "inv-verwachtingen-ouders-prestatiedruk", "2",
         "--set", f"herkomst={LABEL}: het gewicht volgt uit de oudersessie",
         "--reason", "Ouders en professionals noemen de verwachtingen van ouders de grootste "
         "bron: zwaarder dan de andere (gewicht 2).",
         "--after", review("inv-verwachtingen-ouders-prestatiedruk", "ouder"),
         "--after", review("inv-verwachtingen-ouders-prestatiedruk", "professional")],
    ]  # fmt: skip


def run_ok(*args: object) -> str:
    """Run ``versterkt ARGS``; it must succeed. Its output."""
    result = CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def test_the_cycle_replays_from_the_command_line(tmp_path: Path) -> None:
    run = run_ok
    data = Path(shutil.copytree(ROUND_1, tmp_path / "cyclus"))
    form = tmp_path / "formulier.xlsx"
    out = run("review-form", data, "--round", 1, "--group", "ouder", "--group", "professional",
              "--out", form)  # fmt: skip
    assert out == (
        f"Wrote {form}: round 1, for ouder, professional. After the session, fill it in "
        f"and run: versterkt review-import {form} {data}\n"
    )
    blank = list(openpyxl.load_workbook(form)["reacties"].iter_rows(values_only=True))
    filled = list(openpyxl.load_workbook(FORM)["reacties"].iter_rows(values_only=True))
    assert [r[-1] for r in blank] == [r[5] for r in filled]

    status = json.loads(run("status", data, "--format", "json"))
    assert {row["status"] for row in status} == {"hypothese"}

    assert run("review-import", FORM, data) == f"Recorded 26 reviews in {data}.\n"
    assert run("review-import", FORM, data) == (
        f"Nothing new: the 26 reviews in {FORM} are already in {data}.\n"
    )
    after = json.loads(run("status", data, "--format", "json"))
    assert after == json.loads(render(cycle.link_status(load_map(data)), "json"))
    assert {row["link"]: row["status"] for row in after}["inv-meten-toetsen-prestatiedruk"] == (
        "betwist"
    )

    # bijstellen: the changes as commands, without opening a sheet
    as_drawn = cycle.map_as_of(load_map(data), 1)
    for command in adjust_commands():
        run(*command, data)
    assert load_map(data) == load_map(ROUND_2)
    keep_map_positions(as_drawn)  # round 1 keeps the positions it was drawn at
    assert cycle.map_as_of(load_map(data), 1) == as_drawn

    changes = json.loads(run("diff", 1, 2, data, "--format", "json"))
    assert [
        (c["change"], c["item"], c["replaces"], c["before"], c["after"]) for c in changes["changes"]
    ] == EXPECTED_CHANGES
    assert changes["loops"][0]["members"] == ["perfectionisme", "prestatiedruk"]
    assert changes["leverage"][0] == {
        "factor": "verwachtingen-ouders",
        "name": "De verwachtingen van ouders",
        "rank_before": 1,
        "rank_after": 1,
        "effect_before": 1.0,
        "effect_after": 2.0,
        "move": "stronger",
    }
    agenda_json = json.loads(run("agenda", data, "--format", "json"))
    assert agenda_json == json.loads(render(cycle.agenda(load_map(ROUND_2)), "json"))
    table = run("agenda", data).splitlines()
    assert table[0].split() == ["priority", "link", "statement", "status", "reasons"]
    assert set(table[1]) == {"-", " "}  # the rule under the headers
    assert table[2].split()[:2] == ["1", "inv-verwachtingen-ou"]  # the id wraps at 100
