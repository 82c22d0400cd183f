"""The leverage table says what it measures and orders equal effects by a second
measure: how many actors can adjust the factor (a knob someone can turn first)."""

from __future__ import annotations

import json

from click.testing import CliRunner

from graph import SystemMap
from loaders import load_map, write_workbook
from queries.leverage import leverage_points
from versterkt.cli import main


def _map() -> SystemMap:
    m = SystemMap("gelijk", "Gelijke knoppen")
    m.add_node("Factor", "doel", "Doel", level="persoon", role="uitkomst")
    for f in ("a", "b", "c", "d"):
        m.add_node("Factor", f, f.upper(), level="persoon", role="bron")
        m.add_link(f"{f}-doel", "INFLUENCES", f, "doel", sign="+")
    m.add_link("e-doel", "INFLUENCES", "d", "a", sign="+")  # d also reaches doel through a
    for actor in ("x", "y"):
        m.add_node("Actor", actor, actor.upper(), actor_kind="groep")
    m.add_link("x-c", "CAN_ADJUST", "x", "c")
    m.add_link("y-c", "CAN_ADJUST", "y", "c")
    m.add_link("x-b", "CAN_ADJUST", "x", "b")
    return m


def test_equal_effects_go_by_how_many_can_adjust_the_factor() -> None:
    table = leverage_points(_map(), "doel")
    # d has two chains (effect 2); a, b and c one each: c (two actors), b (one), a (none)
    assert table["factor"].tolist() == ["d", "c", "b", "a"]
    assert table["effect"].tolist() == [2.0, 1.0, 1.0, 1.0]


def test_the_command_says_what_it_measures_and_what_stays_level(tmp_path) -> None:
    m = _map()
    m.add_node("Factor", "e", "E", level="persoon", role="bron")
    m.add_link("e-doel2", "INFLUENCES", "e", "doel", sign="+")  # level with a
    book = write_workbook(m, tmp_path / "kaart")
    assert load_map(book).node("e").name == "E"
    run = CliRunner().invoke
    english = run(main, ["query", "leverage", str(book), "--lang", "en"])
    assert english.exit_code == 0, english.output
    assert "note: effect: the sum, over every chain of influence from the factor to the " in (
        english.stderr
    )
    assert "2 factors share their place with another" in english.stderr
    dutch = run(main, ["query", "leverage", str(book), "--lang", "nl"])
    assert "let op: effect: de som over elke keten" in dutch.stderr
    assert "2 factoren delen hun plaats" in dutch.stderr
    # csv and json are for programs: no note, the same order
    data = run(main, ["query", "leverage", str(book), "--format", "json"])
    assert data.stderr == ""
    assert [r["factor"] for r in json.loads(data.stdout)] == ["d", "c", "b", "a", "e"]
