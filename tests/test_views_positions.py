"""Positions that stay put: from round to round, from the page back into the map, and
kept with the workbook."""

from __future__ import annotations

import json
import math
from pathlib import Path

from click.testing import CliRunner

from loaders import EXAMPLE_CYCLE, load_map
from tests.test_views_page import page_data
from versterkt.cli import main
from views.layout import label_box
from views.map import map_positions, render_map

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


def test_a_broken_positions_file_is_one_line_and_writes_nothing(tmp_path: Path):
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
