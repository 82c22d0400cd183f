"""Positions that stay put: from round to round, from the page back into the map, and
kept with the workbook."""

from __future__ import annotations

import json
import math
import os
import time
from pathlib import Path

from click.testing import CliRunner

from graph.generate import generated_map
from graph.store import Neo4jStore
from loaders import EXAMPLE_CYCLE, load_map
from tests.test_views_page import page_data
from versterkt.cli import main
from views.layout import LABEL_MARGIN, label_box
from views.map import keep_map_positions, label_boxes, map_positions, render_map

ROUND_1, ROUND_2 = EXAMPLE_CYCLE / "ronde-1", EXAMPLE_CYCLE / "ronde-2"


def drawn_at(html: str) -> dict[str, tuple[float, float]]:
    """Where the page puts each node it draws."""
    return {n["id"]: (n["x"], n["y"]) for n in page_data(html)["nodes"]}


def test_round_2_keeps_every_round_1_node_where_it_was():
    m = load_map(ROUND_2)
    before = drawn_at(render_map(m, as_of_round=1))
    after = drawn_at(render_map(m, as_of_round=2))
    assert "sociale-media" in after and "sociale-media" not in before  # new in round 2
    shared = before.keys() & after.keys()
    assert len(shared) >= len(before) - 1  # nothing retired but what round 2 retired
    assert {k: after[k] for k in shared} == {k: before[k] for k in shared}


def test_positions_saved_after_round_1_hold_in_round_2_and_new_elements_go_near():
    saved = drawn_at(render_map(load_map(ROUND_1)))
    # A facilitator moved one element before saving.
    saved["stress"] = (saved["stress"][0] + 333.5, saved["stress"][1] - 12.25)
    m = load_map(ROUND_2)
    after = drawn_at(render_map(m, positions={k: list(v) for k, v in saved.items()}))
    assert {k: after[k] for k in saved if k in after} == {k: saved[k] for k in saved if k in after}

    # Sociale media is new; it lands next to what it influences, on no other label.
    new = after["sociale-media"]
    peer = after["druk-leeftijdsgenoten"]
    assert math.dist(new, peer) < 300
    box = label_box("Sociale media", shape="box")
    for node in m.nodes():
        if node.id in after and node.id != "sociale-media":
            other = label_box(node.name[:40], shape="box")
            x, y = after[node.id]
            apart_x = abs(x - new[0]) >= (box[0] + other[0]) / 2 - 1
            apart_y = abs(y - new[1]) >= (box[1] + other[1]) / 2 - 1
            assert apart_x or apart_y, node.id


def test_positions_kept_with_the_workbook_are_used_and_a_file_wins():
    m = load_map(ROUND_2)
    m.add_record("positions", element="prestatiedruk", x=12.5, y=-40.0)
    m.add_record("positions", element="stress", x=300.0, y=10.0)
    where = drawn_at(render_map(m, positions={"stress": {"x": -1.5, "y": 2.0}}))
    assert where["prestatiedruk"] == (12.5, -40.0)
    assert where["stress"] == (-1.5, 2.0)
    assert map_positions(m)["stress"] == (300.0, 10.0)


def test_map_and_present_take_positions_from_a_file(tmp_path: Path):
    saved = {"prestatiedruk": {"x": 5.25, "y": -7.5}, "stress": {"x": 400.0, "y": 100.0}}
    file = tmp_path / "kaart-posities.json"
    file.write_text(json.dumps(saved), encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(
        main, ["map", str(ROUND_2), "--out", str(tmp_path / "k.html"), "--positions", str(file)]
    )
    assert result.exit_code == 0, result.output
    where = drawn_at((tmp_path / "k.html").read_text(encoding="utf-8"))
    assert where["prestatiedruk"] == (5.25, -7.5) and where["stress"] == (400.0, 100.0)

    result = runner.invoke(
        main, ["present", str(ROUND_2), "--out", str(tmp_path / "b"), "--positions", str(file)]
    )
    assert result.exit_code == 0, result.output
    where = drawn_at((tmp_path / "b" / "kaart.html").read_text(encoding="utf-8"))
    assert where["stress"] == (400.0, 100.0)


def test_a_broken_positions_file_is_one_line_and_writes_nothing(
    tmp_path: Path, english_output: None
):
    file = tmp_path / "posities.json"
    file.write_text('{"stress": {"x": 1,\n "y": }}', encoding="utf-8")
    result = CliRunner().invoke(
        main, ["map", "--out", str(tmp_path / "k.html"), "--positions", str(file)]
    )
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [f"Error: {file}:2:7: Expecting value"]
    file.write_text('{"stress": {"x": "links", "y": 2}}', encoding="utf-8")
    result = CliRunner().invoke(
        main, ["map", "--out", str(tmp_path / "k.html"), "--positions", str(file)]
    )
    assert result.exit_code == 1
    assert "position of node 'stress' is not numeric" in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["posities.json"]


# --- positions kept with the map as it is adjusted -----------------------------------------


def run_ok(*args: object, env: dict[str, str] | None = None) -> str:
    """Run ``versterkt ARGS`` as a user would; it must succeed. Its output."""
    result = CliRunner(env=env).invoke(main, [str(a) for a in args], catch_exceptions=False)
    assert result.exit_code == 0, (args, result.output)
    return result.output


def drawn_by(*args: object, out: Path, env: dict[str, str] | None = None) -> dict:
    """Where ``versterkt map ARGS`` puts each node it draws."""
    run_ok("map", *args, "--out", out, env=env)
    return drawn_at(out.read_text(encoding="utf-8"))


#: A round of adjustments after the first session: nodes and links added, a node
#: renamed, two merged, a link retired.
ADJUSTMENTS = [
    ["round", "open", "--name", "Na de oudersessie"],
    ["adjust", "add-node", "sociale-media", "--kind", "factor", "--name", "Sociale media",
     "--set", "niveau=omgeving", "--set", "rol=bron", "--reason", "Professionals"],
    ["adjust", "add-link", "inv-sociale-media-druk", "--from", "sociale-media",
     "--to", "druk-leeftijdsgenoten", "--sign", "+", "--reason", "Professionals"],
    ["adjust", "add-link", "inv-prestatiedruk-perfectionisme", "--from", "prestatiedruk",
     "--to", "perfectionisme", "--sign", "+", "--reason", "Professionals"],
    ["adjust", "rename", "stress", "Stress en spanning", "--reason", "Zo heet het"],
    ["adjust", "merge", "--node", "individualisme", "--into", "perfectionisme",
     "--reason", "Hetzelfde"],
    ["adjust", "retire", "inv-schoolsysteem-geluk-kind", "--reason", "Via de prestatiedruk"],
]  # fmt: skip


def test_a_round_drawn_from_a_later_workbook_puts_every_element_where_it_was(tmp_path: Path):
    book = tmp_path / "werkboek.xlsx"
    run_ok("convert", ROUND_1, "--out", book)
    first = drawn_by(book, out=tmp_path / "ronde-1.html")
    assert len(first) == 27

    for command in ADJUSTMENTS:
        run_ok(*command, book)

    # Round 1 from the round-2 workbook: every element where the room saw it.
    assert drawn_by(book, "--round", 1, out=tmp_path / "later.html") == first
    run_ok("present", book, "--round", 1, "--out", tmp_path / "bundel")
    assert drawn_at((tmp_path / "bundel" / "kaart.html").read_text(encoding="utf-8")) == first
    # The workbook keeps those positions, whatever draws it next.
    assert {k: v for k, v in load_map(book).positions().items() if k in first} == first

    # Round 2: the elements that stay never moved; the renamed one took the old place.
    now = drawn_by(book, out=tmp_path / "ronde-2.html")
    assert {k: now[k] for k in first if k in now} == {k: first[k] for k in first if k in now}
    assert "stress" not in now and now["stress-r2"] == first["stress"]
    assert "sociale-media" in now and "individualisme" not in now


def test_a_change_within_a_round_moves_no_element_already_on_a_link(tmp_path: Path):
    book = tmp_path / "werkboek.xlsx"
    run_ok("convert", ROUND_1, "--out", book)
    for command in ADJUSTMENTS[:3]:  # a round opened, a factor added and linked
        run_ok(*command, book)
    before = drawn_by(book, out=tmp_path / "voor.html")

    run_ok("adjust", "add-link", "inv-sociale-media-stress", book, "--from", "sociale-media",
           "--to", "stress", "--sign", "+", "--reason", "Jongeren")  # fmt: skip
    run_ok("adjust", "add-node", "slaap", book, "--kind", "factor", "--name", "Slaap",
           "--set", "niveau=persoon", "--set", "rol=bron", "--reason", "Jongeren")  # fmt: skip
    after = drawn_by(book, out=tmp_path / "na.html")
    assert {k: after[k] for k in before} == before
    assert "slaap" in after and "slaap" not in load_map(book).positions()  # on the shelf, free


def test_a_round_drawn_from_neo4j_puts_every_element_where_it_was(
    store: Neo4jStore, neo4j_uri: str, map_id: str, tmp_path: Path
):
    m = load_map(ROUND_1)
    m.id = map_id
    store.load(m)
    env = {"NEO4J_PASSWORD": os.environ.get("NEO4J_PASSWORD", "versterkt-local")}
    where = ["--uri", neo4j_uri, "--map-id", map_id]
    first = drawn_by(*where, out=tmp_path / "ronde-1.html", env=env)
    assert first == drawn_by(ROUND_1, out=tmp_path / "bestanden.html")

    for command in ADJUSTMENTS:
        run_ok(*command, *where, env=env)

    assert drawn_by(*where, "--round", 1, out=tmp_path / "later.html", env=env) == first
    kept = store.read(map_id).positions()
    assert {k: kept[k] for k in first} == first
    now = drawn_by(*where, out=tmp_path / "ronde-2.html", env=env)
    assert {k: now[k] for k in first if k in now} == {k: first[k] for k in first if k in now}
    assert now["stress-r2"] == first["stress"]


def test_map_draws_a_round_as_present_does_and_refuses_one_the_map_lacks(
    tmp_path: Path, english_output: None
):
    first = drawn_by(ROUND_2, "--round", 1, out=tmp_path / "kaart.html")
    assert "sociale-media" not in first and len(first) == 27
    run_ok("present", ROUND_2, "--round", 1, "--out", tmp_path / "bundel")
    assert drawn_at((tmp_path / "bundel" / "kaart.html").read_text(encoding="utf-8")) == first

    for bad, code, message in [
        ("3", 2, "Error: unknown round 3 (rounds: 1, 2)"),
        ("0", 2, "Invalid value for '--round': 0 is not in the range x>=1."),
    ]:
        for command in ("map", "present"):
            result = CliRunner().invoke(
                main, [command, str(ROUND_2), "--round", bad, "--out", str(tmp_path / "x")]
            )
            assert result.exit_code == code, result.output
            assert message in result.output
    assert not (tmp_path / "x").exists()


def test_a_new_element_among_kept_ones_lands_clear_of_every_label():
    # Round 2's new factor, placed among the 27 elements kept since round 1: kept ones
    # do not make way, so it must find a place with room (margin included).
    m = load_map(ROUND_2)
    m.records["positions"] = [p for p in m.records["positions"] if p["element"] != "sociale-media"]
    where = map_positions(m)
    assert {k: where[k] for k in m.positions()} == m.positions()
    boxes = label_boxes(m.nodes())
    (x, y), (w, h) = where["sociale-media"], boxes["sociale-media"]
    for node_id, (kx, ky) in where.items():
        if node_id != "sociale-media":
            kw, kh = boxes[node_id]
            apart_x = abs(x - kx) >= (w + kw) / 2 + 2 * LABEL_MARGIN
            apart_y = abs(y - ky) >= (h + kh) / 2 + 2 * LABEL_MARGIN
            assert apart_x or apart_y, node_id
    assert math.dist((x, y), where["druk-leeftijdsgenoten"]) < 400  # near what it drives


def test_a_few_new_elements_among_many_kept_ones_are_placed_quickly():
    # After a round is opened every element of a large map is kept: the next drawing
    # places only the new ones, without redoing the whole map's interactions.
    m = generated_map(2000, 6000, seed=1)
    keep_map_positions(m)
    new = {f"factor-{i}" for i in range(10)}
    m.records["positions"] = [p for p in m.records["positions"] if p["element"] not in new]
    kept = m.positions()
    started = time.perf_counter()
    where = map_positions(m)
    assert time.perf_counter() - started < 12  # it took 34 s while every row was computed
    assert {k: where[k] for k in kept} == kept and new <= where.keys()


def test_an_element_on_the_shelf_stays_when_another_is_added_and_moves_once_when_linked():
    """A sequence the model-based test found: a new element with no link yet moved
    when a second one was added in the same round."""
    from graph import adjust
    from loaders import VLEUTEN
    from views.map import change_keeping_positions

    m = load_map(VLEUTEN)

    def change(op):  # as the commands make each change
        return change_keeping_positions(m, op)

    def add(k: int, node_id: str) -> None:
        change(lambda m: adjust.add_node(m, k, "Factor", node_id, node_id, reason="genoemd"))

    change(lambda m: adjust.open_round(m, name="Ronde 2"))
    change(lambda m: adjust.rename_node(m, 2, "buurtteam", "Het buurtteam", reason="x"))
    add(2, "sociale-media")
    change(lambda m: adjust.open_round(m, name="Ronde 3"))
    add(3, "vrije-tijd")
    first = map_positions(m)["vrije-tijd"]
    add(3, "slaaptekort")
    assert map_positions(m)["vrije-tijd"] == first
    change(
        lambda m: adjust.add_link(
            m, 3, "slaap-stress", "INFLUENCES", "slaaptekort", "stress", sign="+", reason="x"
        )
    )
    linked = map_positions(m)["slaaptekort"]
    add(3, "sport")
    assert map_positions(m)["slaaptekort"] == linked
    assert map_positions(m)["vrije-tijd"] == first


def test_a_map_is_drawn_alike_from_memory_and_from_its_workbook(tmp_path: Path):
    """A sequence the model-based test found: a generated map (factors made before
    actors) and the same map read back from its workbook (actors first) put a new
    element in two places."""
    from loaders import write_workbook

    m = generated_map(40, 80, seed=5)
    read_back = load_map(write_workbook(m, tmp_path / "kaart.xlsx"))
    assert [n.kind for n in m.nodes()] != [n.kind for n in read_back.nodes()]
    assert map_positions(read_back) == map_positions(m)


def test_the_what_changed_page_puts_each_element_where_the_map_page_does():
    from views.changes import render_changes

    m = load_map(ROUND_2)
    m.open_round(name="Ronde 3")
    m.rename_node(3, "stress", "Spanning", reason="zo zeggen jongeren het")
    renamed = next(n.id for n in m.nodes() if n.name == "Spanning")
    on_the_map = drawn_at(render_map(m, as_of_round=3))
    changes = drawn_at(render_changes(m, 2, 3))
    shared = on_the_map.keys() & changes.keys()
    assert renamed in shared and "stress" not in on_the_map
    assert {k: changes[k] for k in shared} == {k: on_the_map[k] for k in shared}
    # the renamed node takes its old self's place; its old self is drawn beside it
    assert changes["stress"] != changes[renamed]
    width, height = label_box("Stress")
    assert math.dist(changes["stress"], changes[renamed]) > min(width, height) / 2
