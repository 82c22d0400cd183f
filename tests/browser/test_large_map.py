"""A map of thousands of nodes and links on vis-network: drawn once, ready only when
drawn, usable.

The 2,000-node map is generated (no real data), drawn with vis-network when asked
(``renderer="vis"``); the benchmark measures how fast, these tests what the page does.
"""

from __future__ import annotations

from typing import Any

import pytest

from graph.generate import generated_map
from views.map import render_map

#: Runs before the page's scripts: notes what the page has drawn at the moment it
#: says it is ready.
READY_PROBE = """
new MutationObserver((records, observer) => {
  if (!document.body || document.body.dataset.ready !== '1') return;
  observer.disconnect();
  const net = window.versterktNetwork;
  const canvas = document.querySelector('#vk-network canvas');
  const ids = window.versterktDrawnNodeIds();
  const positions = net.getPositions(ids);
  const faded = new Set(window.versterktFadedNodeIds());
  const outside = ids.filter(id => {
    const p = net.canvasToDOM(positions[id]);
    return p.x < 0 || p.y < 0 || p.x > canvas.clientWidth || p.y > canvas.clientHeight;
  });
  window.__atReady = {
    frames: window.versterktFramesDrawn(),
    drawn: ids.length,
    visNodes: net.body.nodeIndices.length,
    visEdges: net.body.edgeIndices.length,
    shown: ids.length - faded.size,
    shownOutside: outside.filter(id => !faded.has(id)).length,
  };
}).observe(document, { attributes: true, subtree: true, attributeFilter: ['data-ready'] });
"""

AFTER_TWO_FRAMES = """() => new Promise(done => requestAnimationFrame(() =>
    requestAnimationFrame(() => done(window.versterktFramesDrawn()))))"""


@pytest.fixture(scope="module")
def large_page() -> str:
    # the largest map vis-network draws whole; by default a map this large is drawn
    # with WebGL (see test_large_map_webgl.py)
    return render_map(generated_map(2000, 10_000, seed=1), renderer="vis")


def test_large_map_is_ready_after_one_drawing_of_every_node(open_page, large_page):
    view = open_page(large_page, init_script=READY_PROBE)
    at_ready = view.evaluate("() => window.__atReady")
    # Ready means drawn: one drawing, with every node and link in it. A map this
    # large starts at its outcome and what it is connected to, all of that on screen.
    shown = at_ready.pop("shown")
    assert at_ready == {
        "frames": 1,
        "drawn": 2000,
        "visNodes": 2000,
        "visEdges": 10_000,
        "shownOutside": 0,
    }
    assert 1 < shown < 100
    # Nothing was left to draw again afterwards.
    assert view.evaluate(AFTER_TWO_FRAMES) == 1
    page = view.page
    assert page.locator("#vk-loading").is_hidden()
    assert page.locator("body").get_attribute("data-focus") == "factor-0"
    assert f"{shown} van 2000 elementen uitgelicht" in page.locator("#vk-status").inner_text()
    assert (
        page.locator("#vk-start-note")
        .inner_text()
        .startswith("Deze kaart heeft 2000 elementen. We beginnen bij «Factor 0»")
    )
    page.locator("#vk-reset").click()
    assert page.locator("#vk-start-note").is_hidden()
    assert "2000 elementen, 10000 verbindingen" in page.locator("#vk-status").inner_text()
    view.assert_clean()


def test_large_map_keeps_its_features(open_page, large_page):
    view = open_page(large_page)
    page = view.page
    net = "window.versterktNetwork"
    # Straight links without labels, hidden while the view moves; tooltips as text.
    assert page.evaluate(f"() => {net}.body.edges['link-0'].options.smooth.enabled") is False
    assert page.evaluate(f"() => {net}.body.data.edges.get('link-0').label") is None
    assert page.evaluate(f"() => {net}.renderer.options.hideEdgesOnZoom") is True
    assert page.evaluate(f"() => {net}.renderer.options.hideEdgesOnDrag") is True
    tip = page.evaluate(f"() => {net}.body.data.edges.get('link-0').title")
    assert tip.splitlines()[1] == "status: hypothese (nog niet getoetst)"
    edge = page.evaluate(f"() => {net}.body.edges['link-0'].options")
    assert edge["dashes"] is True and edge["color"]["color"] == "#D55E00"

    page.locator("#vk-search").fill("Factor 17")
    page.locator("#vk-search").press("Enter")
    assert page.locator("body").get_attribute("data-focus") == "factor-17"
    faded = int(page.locator("body").get_attribute("data-faded") or 0)
    assert 1900 < faded < 2000  # a node and its neighbours stay bright
    page.locator("#vk-reset").click()
    assert page.locator("body").get_attribute("data-faded") == "0"


def dash_at_scale(view: Any, scale: float, pattern: list[float]) -> list[float]:
    return view.evaluate(
        """([scale, pattern]) => {
            window.versterktNetwork.moveTo({ scale: scale, animation: false });
            const ctx = document.querySelector('#vk-network canvas').getContext('2d');
            ctx.setLineDash(pattern);
            const got = ctx.getLineDash();
            ctx.setLineDash([]);
            return got;
        }""",
        [scale, pattern],
    )


def test_dashes_stay_visible_when_zoomed_out(open_page, sample):
    nodes, edges, legend = sample
    from views.page import MIN_DASH_PIXELS, render_network_page
    from views.page_records import PageOptions

    view = open_page(render_network_page(nodes, edges, PageOptions("Streepjes", legend=legend)))
    # vis-network dashes links [5, 5] in map units: stretched so that a dash is
    # MIN_DASH_PIXELS long on the screen, whatever the zoom.
    assert dash_at_scale(view, 0.2, [5, 5]) == pytest.approx([MIN_DASH_PIXELS / 0.2] * 2)
    assert dash_at_scale(view, 1.0, [5, 5]) == pytest.approx([MIN_DASH_PIXELS] * 2)
    assert dash_at_scale(view, 4.0, [5, 5]) == [5, 5]  # long enough already
    assert dash_at_scale(view, 0.2, [0]) == [0, 0]  # how vis-network ends dashing
