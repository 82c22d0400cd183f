"""The map on a projector at 1280x720: labels readable from the back of the room, none
over another, every status of a link drawn its own way, a title that wraps."""

from __future__ import annotations

from typing import Any

import pytest
from sample_maps import rich_map

from loaders import EXAMPLE_CYCLE, VLEUTEN, load_map
from views.map import render_map
from views.page import load_positions
from views.statements import render_statements

PROJECTOR_720P = {"width": 1280, "height": 720}

#: The box of every drawn node label in the map's area (CSS pixels from its top left
#: corner) and the height of its type on the screen.
LABEL_BOXES = """() => {
  const net = window.versterktNetwork;
  const scale = net.getScale();
  return window.versterktDrawnNodeIds().map(id => {
    const label = net.body.nodes[id].labelModule;
    const a = net.canvasToDOM({x: label.size.left, y: label.size.top});
    const b = net.canvasToDOM({
      x: label.size.left + label.size.width, y: label.size.top + label.size.height,
    });
    return {id, pixels: label.fontOptions.size * scale, box: [a.x, a.y, b.x, b.y]};
  });
}"""


def overlapping(labels: list[dict[str, Any]]) -> list[tuple[str, str]]:
    out = []
    for i, a in enumerate(labels):
        for b in labels[i + 1 :]:
            (ax0, ay0, ax1, ay1), (bx0, by0, bx1, by1) = a["box"], b["box"]
            if ax0 < bx1 and bx0 < ax1 and ay0 < by1 and by0 < ay1:
                out.append((a["id"], b["id"]))
    return out


@pytest.mark.parametrize(
    "name, path", [("vleuten", VLEUTEN), ("voorbeeld-ronde-2", EXAMPLE_CYCLE / "ronde-2")]
)
def test_projector_labels_are_large_and_apart(open_page, name, path):
    m = load_map(path)
    view = open_page(render_map(m, projector=True), viewport=PROJECTOR_720P, name=f"beamer-{name}")
    labels = view.evaluate(LABEL_BOXES)
    system = {n.id for n in m.nodes() if n.kind in ("Actor", "Factor", "Initiative", "Place")}
    assert {label["id"] for label in labels} == system
    assert min(label["pixels"] for label in labels) >= 18
    assert overlapping(labels) == []
    # Links keep their labels only where these are clear of every element.
    links = view.evaluate("() => window.versterktLinkLabelBoxes()")
    elements = view.evaluate(
        """() => window.versterktDrawnNodeIds().map(id => {
            const b = window.versterktNetwork.getBoundingBox(id);
            return {id, box: [b.left, b.top, b.right, b.bottom]};
        })"""
    )
    assert links and overlapping(links + elements) == []
    # Every label is on the screen, in the map's area below the legend.
    stage = view.page.locator("#vk-network").bounding_box()
    for label in labels:
        x0, y0, x1, y1 = label["box"]
        assert -1 <= x0 and x1 <= stage["width"] + 1, label
        assert -1 <= y0 and y1 <= stage["height"] + 1, label
    view.assert_clean()


def test_leaving_projector_mode_draws_everything_again(open_page):
    m = load_map(VLEUTEN)
    view = open_page(render_map(m, projector=True), viewport=PROJECTOR_720P)
    assert len(view.evaluate("() => window.versterktDrawnNodeIds()")) == 22
    assert "22 van 37 elementen" in view.page.locator("#vk-status").inner_text()
    drawn = view.draw_count()
    view.page.locator("#vk-projector").click()
    view.wait_draws(drawn + 1)
    assert set(view.evaluate("() => window.versterktDrawnNodeIds()")) == {n.id for n in m.nodes()}


def test_each_status_is_drawn_its_own_way_with_a_legend_entry(open_page):
    m = rich_map()
    # l-toets is contested by the sample's reviews; make the other three statuses.
    m.add_record("reviews", id="x1", link="l-verw", round=3, group="ouder", verdict="eens")
    m.add_record("reviews", id="x2", link="l-slaap", round=3, group="ouder", verdict="oneens")
    view = open_page(render_map(m), viewport=PROJECTOR_720P)
    drawn = view.evaluate(
        """ids => ids.map(id => {
            const e = window.versterktNetwork.body.edges[id];
            return [e.options.dashes, e.options.label || "", e.options.color.color];
        })""",
        ["l-verw", "l-toets", "l-slaap", "i-sportclub"],
    )
    confirmed, contested, rejected, hypothesis = drawn
    assert confirmed[0] is False and confirmed[1].endswith("✓")
    assert contested[0] == [14, 5, 3, 5] and contested[1].endswith("?")
    assert rejected[0] == [2, 6] and rejected[1].endswith("✗") and rejected[2] == "#8C8C8C"
    assert hypothesis[0] is True and hypothesis[1] == "+"
    legend = view.page.locator("#vk-legend .vk-legend-item").all_inner_texts()
    for text in (
        "doorgetrokken ✓: bevestigd",
        "streep-punt ?: betwist",
        "grijs gestippeld ✗: verworpen",
        "gestreept: hypothese, nog niet getoetst",
    ):
        assert text in legend

    # The status filter fades the links of the statuses switched off.
    view.page.locator("fieldset[data-facet='status'] input[value='bevestigd']").uncheck()
    faded = set(view.evaluate("() => window.versterktFadedEdgeIds()"))
    assert "l-verw" in faded and not faded & {"l-toets", "l-slaap", "i-sportclub"}


def test_long_title_wraps_in_projector_mode(open_page):
    m = load_map(EXAMPLE_CYCLE / "ronde-2")
    view = open_page(render_map(m, projector=True), viewport=PROJECTOR_720P)
    title = view.page.locator("#vk-title")
    assert title.inner_text() == m.name
    assert view.evaluate(
        "() => { const h = document.getElementById('vk-title');"
        " return h.scrollWidth <= h.clientWidth; }"
    )
    box = title.bounding_box()
    assert box["height"] > 1.5 * float(
        view.evaluate(
            "() => parseFloat(getComputedStyle(document.getElementById('vk-title')).lineHeight)"
        )
    )


def test_positions_saved_from_the_page_come_back_through_the_command(open_page, tmp_path):
    from click.testing import CliRunner

    from versterkt.cli import main

    first = tmp_path / "ronde-1.html"
    result = CliRunner().invoke(main, ["map", str(EXAMPLE_CYCLE / "ronde-1"), "-o", str(first)])
    assert result.exit_code == 0, result.output
    view = open_page(first)
    x, y = view.node_dom_position("stress")
    view.page.mouse.move(x, y)
    view.page.mouse.down()
    view.page.mouse.move(x + 80, y + 30, steps=6)
    view.page.mouse.up()
    with view.page.expect_download() as download:
        view.page.locator("#vk-save-positions").click()
    saved_file = tmp_path / download.value.suggested_filename
    download.value.save_as(saved_file)
    saved = view.evaluate("() => window.versterktPositions()")
    assert load_positions(saved_file) == {k: (v["x"], v["y"]) for k, v in saved.items()}

    second = tmp_path / "ronde-2.html"
    result = CliRunner().invoke(
        main,
        ["map", str(EXAMPLE_CYCLE / "ronde-2"), "-o", str(second), "--positions", str(saved_file)],
    )
    assert result.exit_code == 0, result.output
    again = open_page(second).evaluate("() => window.versterktPositions()")
    assert {k: again[k] for k in saved} == saved  # the moved one too
    assert set(again) - set(saved) == {"sociale-media"}


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_statements_chart_keeps_everything_inside_its_edges(open_page, lang):
    m = rich_map()
    # The statement with the most votes has an unknown count: its words come after
    # the longest bar.
    m.add_node("Statement", "s4", "Er is te weinig tijd om te spelen")
    m.add_record("votes", statement="s4", session="toets", agree=30, disagree=10, priority=4)
    view = open_page(render_statements(m, lang), viewport=PROJECTOR_720P)
    outside = view.evaluate(
        """() => {
            const svg = document.querySelector('section.vk-chart svg');
            const width = svg.viewBox.baseVal.width;
            return Array.from(svg.querySelectorAll('text, rect'))
                .map(el => [el.textContent, el.getBBox()])
                .filter(([, b]) => b.x < 0 || b.x + b.width > width)
                .map(([text, b]) => [text, Math.round(b.x), Math.round(b.x + b.width)]);
        }"""
    )
    assert outside == []
    unknown = "neutraal: onbekend" if lang == "nl" else "neutral: unknown"
    assert view.page.locator("svg text", has_text=unknown).count() >= 1
    focus = "★ gekozen als focus" if lang == "nl" else "★ chosen as a focus"
    assert view.page.locator("svg text", has_text=focus).count() == 1
    view.assert_clean()
