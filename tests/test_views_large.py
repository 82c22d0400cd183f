"""Large maps without a browser: which renderer a page gets, the layout of thousands of
nodes in time proportional to the map, kept positions, and reading a large workbook.

The maps are generated (no real data).
"""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import numpy as np
import pytest

from graph.generate import generated_map
from views.layout import MESH_MIN_NODES, _mesh_repulsion, _repulsion, layout_positions
from views.page import WEBGL_MIN_NODES, render_network_page, uses_webgl
from views.page_records import PageOptions


def _payload(html: str) -> dict:
    found = re.search(r'<script type="application/json" id="vk-data">(.*?)</script>', html, re.S)
    assert found
    return json.loads(found.group(1))


def test_the_renderer_is_chosen_by_size() -> None:
    assert not uses_webgl(WEBGL_MIN_NODES)
    assert uses_webgl(WEBGL_MIN_NODES + 1)
    assert uses_webgl(3, "webgl") and not uses_webgl(100_000, "vis")
    with pytest.raises(ValueError, match="renderer must be one of auto, vis, webgl"):
        uses_webgl(10, "canvas")


def test_a_large_page_draws_with_webgl_at_positions_from_python() -> None:
    nodes = [{"id": f"n{i}", "label": f"Element {i}"} for i in range(WEBGL_MIN_NODES + 1)]
    edges = [{"from": f"n{i}", "to": f"n{i + 1}", "arrows": "to"} for i in range(500)]
    kept = {"n0": (12.5, -40.25)}
    html = render_network_page(nodes, edges, PageOptions("Groot", positions=kept))
    data = _payload(html)
    assert data["config"]["renderer"] == "webgl"
    assert "window.VersterktSigma" in html and "vis.Network" not in html
    # the licence of what is bundled travels with it
    assert "sigma 3.0.3" in html and "Permission is hereby granted" in html
    # every node has a place, the kept one exactly where it was kept
    assert all("x" in n and "y" in n for n in data["nodes"])
    first = next(n for n in data["nodes"] if n["id"] == "n0")
    assert (first["x"], first["y"]) == kept["n0"]
    # a small page keeps vis-network
    small = render_network_page(nodes[:50], edges[:40], PageOptions("Klein"))
    assert _payload(small)["config"]["renderer"] == "vis" and "vis.Network" in small


def test_grid_repulsion_is_close_to_every_pair() -> None:
    rng = np.random.default_rng(3)
    xy = rng.uniform(-4000, 4000, size=(3000, 2))
    exact, grid = _repulsion(xy, 90.0), _mesh_repulsion(xy, 90.0)
    assert np.linalg.norm(grid - exact) / np.linalg.norm(exact) < 0.15


def test_thousands_of_nodes_are_laid_out_alike_every_time_and_in_proportion() -> None:
    def lay_out(n: int) -> tuple[dict, float]:
        m = generated_map(n, n * 5, seed=1)
        ids = [node.id for node in m.nodes()]
        links = [(link.source, link.target) for link in m.links()]
        start = time.perf_counter()
        return layout_positions(ids, links, seed=7), time.perf_counter() - start

    small, small_time = lay_out(MESH_MIN_NODES + 500)
    again, _ = lay_out(MESH_MIN_NODES + 500)
    assert small == again
    large, large_time = lay_out(4 * (MESH_MIN_NODES + 500))
    # four times the map, not sixteen times the time (every pair: 16x)
    assert large_time < 8 * small_time + 1
    xy = np.array(list(large.values()))
    assert len(np.unique(np.round(xy), axis=0)) > 0.95 * len(xy)  # spread out


def test_kept_positions_stay_on_a_large_map_and_the_rest_is_placed_near_them() -> None:
    m = generated_map(MESH_MIN_NODES + 500, 9000, seed=2)
    ids = [node.id for node in m.nodes()]
    links = [(link.source, link.target) for link in m.links()]
    kept = {node_id: (float(i * 10), 0.0) for i, node_id in enumerate(ids[:100])}
    where = layout_positions(ids, links, fixed=kept, seed=7)
    assert {k: where[k] for k in kept} == kept
    assert len(where) == len(ids)


def test_a_value_repeated_down_a_column_is_checked_for_privacy_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import importlib

    from loaders import validate

    # the package's function validate hides its module of the same name
    validate_module = importlib.import_module("loaders.validate")

    checked: list[str] = []
    real = validate_module.privacy_problem

    def counting(text: str) -> str | None:
        checked.append(text)
        return real(text)

    monkeypatch.setattr(validate_module, "privacy_problem", counting)
    folder = tmp_path / "wijk"
    folder.mkdir()
    rows = "".join(f"f{i},Factor {i},bel 06-12345678\n" for i in range(1, 5))
    (folder / "factoren.csv").write_text("id,naam,toelichting\n" + rows, "utf-8")
    errors = validate(folder)
    # every row with the number is still reported, in one line for the column
    assert [(e.row, e.column) for e in errors] == [(2, "toelichting")]
    assert str(errors[0].message).startswith("contains a phone number")
    assert str(errors[0].message).endswith("(4 rows: 2-5)")
    assert checked.count("bel 06-12345678") == 1
