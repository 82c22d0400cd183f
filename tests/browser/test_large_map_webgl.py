"""A map of thousands of elements drawn whole with WebGL (sigma.js), offline.

The maps are generated (no real data). Headless Chromium draws WebGL in software
(SwiftShader); the benchmark measures how fast, these tests what the page does.
"""

from __future__ import annotations

from typing import Any

import pytest

from graph.generate import generated_map
from views.map import render_map

WAIT_FRAMES = """() => new Promise(done => requestAnimationFrame(() =>
    requestAnimationFrame(() => done(true))))"""


@pytest.fixture(scope="module")
def city() -> Any:
    return generated_map(10_000, 50_000, seed=1)


@pytest.fixture(scope="module")
def city_page(city: Any) -> str:
    # the toetsmodus of a map this size is tested on a smaller one below
    return render_map(city, toets=None)


def neighbours(m: Any, node_id: str) -> set[str]:
    out = {link.target for link in m.links() if link.source == node_id}
    return out | {link.source for link in m.links() if link.target == node_id}


def test_search_finds_a_node_of_ten_thousand_and_focus_shows_its_neighbours(
    open_page: Any, city: Any, city_page: Any
) -> None:
    view = open_page(city_page)
    page = view.page
    assert page.locator("body").get_attribute("data-mode") == "webgl"
    # drawn whole from the start: every node is on sigma's list, the rest of the
    # map faded around the outcome it starts at
    assert view.evaluate("() => window.versterktDrawnNodeIds().length") == 10_000
    assert page.locator("body").get_attribute("data-focus") == "factor-0"

    page.locator("#vk-search").fill("Factor 17")
    assert page.locator("#vk-search-results button").first.inner_text() == "Factor 17"
    page.locator("#vk-search").press("Enter")
    assert page.locator("body").get_attribute("data-focus") == "factor-17"
    expected = neighbours(city, "factor-17") | {"factor-17"}
    faded = set(view.evaluate("() => window.versterktFadedNodeIds()"))
    lit = {n.id for n in city.nodes()} - faded
    assert lit == expected
    assert (
        f"{len(expected)} van 10000 elementen uitgelicht" in page.locator("#vk-status").inner_text()
    )
    # what sigma draws: the neighbours in their own colour, the rest faded towards white
    colours = view.evaluate(
        """ids => ids.map(id => window.versterktNetwork.sigma.getNodeDisplayData(id).color)""",
        [sorted(expected - {"factor-17"})[0], sorted(faded)[0]],
    )
    assert colours[0].startswith("#") and colours[1].startswith("rgb(")
    # the camera went to the node found: it is near the middle of the map
    page.wait_for_timeout(700)
    box = page.locator("#vk-network").bounding_box()
    x, y = view.node_dom_position("factor-17")
    assert abs(x - (box["x"] + box["width"] / 2)) < 40
    assert abs(y - (box["y"] + box["height"] / 2)) < 40

    page.locator("#vk-reset").click()
    assert page.locator("body").get_attribute("data-faded") == "0"
    assert "10000 elementen, 50000 verbindingen" in page.locator("#vk-status").inner_text()
    assert view.evaluate("() => window.versterktDrawnNodeIds().length") == 10_000
    view.assert_clean()  # no request left the page, no error


@pytest.fixture(scope="module")
def town() -> Any:
    return generated_map(1500, 4000, seed=2)


@pytest.fixture(scope="module")
def town_page(town: Any) -> str:
    return render_map(town)


def test_labels_appear_as_one_zooms_in(open_page: Any, town_page: Any) -> None:
    view = open_page(town_page)
    view.page.locator("#vk-reset").click()
    view.evaluate(WAIT_FRAMES)
    far = len(view.evaluate("() => window.versterktLabelsShown()"))
    view.evaluate(
        "() => window.versterktNetwork.moveTo({scale: window.versterktNetwork.getScale() * 8})"
    )
    view.evaluate(WAIT_FRAMES)
    near = view.evaluate("() => window.versterktLabelsShown()")
    assert far < 60  # a whole map of 1,500 names would be unreadable
    # zoomed in, the names on the screen are there (and fewer nodes are on it)
    assert len(near) > 0
    scale = view.evaluate("() => window.versterktNetwork.getScale()")
    assert scale > 0.5
    view.assert_clean()


def test_a_group_collapses_into_one_circle_and_expands_again(
    open_page: Any, town: Any, town_page: Any
) -> None:
    view = open_page(town_page)
    page = view.page
    page.locator("#vk-reset").click()
    actors = sum(1 for n in town.nodes() if n.kind == "Actor")
    assert page.locator("#vk-group-by").input_value() == "soort"
    button = page.locator('#vk-groups button[data-group="Actor (groep of organisatie)"]')
    button.click()
    assert button.get_attribute("aria-pressed") == "true"
    view.evaluate(WAIT_FRAMES)
    assert view.evaluate("() => window.versterktDrawnNodeIds().length") == 1500 - actors
    group = view.evaluate(
        """() => {
            const g = window.versterktNetwork.graph;
            const ids = g.filterNodes((id, a) => a.group !== undefined);
            return ids.map(id => g.getNodeAttributes(id));
        }"""
    )
    assert [(g["group"], g["label"]) for g in group] == [
        ("Actor (groep of organisatie)", f"Actor (groep of organisatie) ({actors})")
    ]
    assert f"{1500 - actors} van 1500 elementen getekend" in page.locator("#vk-status").inner_text()
    # a search for a node inside the group opens it
    page.locator("#vk-search").fill("Actor 3")
    page.locator("#vk-search").press("Enter")
    assert button.get_attribute("aria-pressed") == "false"
    assert view.evaluate("() => window.versterktDrawnNodeIds().length") == 1500
    # all at once, and "Alles tonen" draws every node again
    page.locator("#vk-groups-collapse").click()
    assert view.evaluate("() => window.versterktDrawnNodeIds().length") == 0
    page.locator("#vk-reset").click()
    assert view.evaluate("() => window.versterktDrawnNodeIds().length") == 1500
    view.assert_clean()


def test_filters_and_status_styles_on_the_webgl_map(
    open_page: Any, town: Any, town_page: Any
) -> None:
    view = open_page(town_page)
    page = view.page
    page.locator("#vk-reset").click()
    page.locator('.vk-facet[data-facet="soort"] input[value="Initiatief"]').uncheck()
    initiatives = {n.id for n in town.nodes() if n.kind == "Initiative"}
    assert set(view.evaluate("() => window.versterktFadedNodeIds()")) == initiatives
    # untested links are dashed, as in the legend
    dash = view.evaluate("() => window.versterktNetwork.graph.getEdgeAttribute('link-0', 'dash')")
    assert dash[0] > 0 and dash[1] > 0
    legend = page.locator("#vk-legend").inner_text()
    assert "hypothese" in legend and "Factor" in legend
    view.assert_clean()


def test_toetsmodus_on_the_webgl_map_centres_and_highlights_the_link(
    open_page: Any, town: Any
) -> None:
    view = open_page(render_map(town))
    page = view.page
    page.locator("#vk-toets-open").click()
    link = view.evaluate("() => window.versterktToetsHighlight()")
    assert link
    view.evaluate(WAIT_FRAMES)
    # the link under test is drawn in the halo's colour, its middle in the middle
    colour = view.evaluate("id => window.versterktNetwork.sigma.getEdgeDisplayData(id).color", link)
    assert colour == "#E69F00"
    middle = view.evaluate(
        """id => {
            const net = window.versterktNetwork;
            const p = net.body.edges[id].edgeType.getPoint(0.5);
            return net.canvasToDOM(p);
        }""",
        link,
    )
    size = view.evaluate(
        "() => { const c = document.querySelector('#vk-network canvas');"
        " return [c.clientWidth, c.clientHeight]; }"
    )
    assert abs(middle["x"] - size[0] / 2) < 3 and abs(middle["y"] - size[1] / 2) < 3
    # the halo is drawn on the overlay above the links
    painted = view.evaluate(
        """() => {
            const c = document.querySelector('canvas.vk-webgl-overlay');
            const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
            let n = 0;
            for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n += 1;
            return n;
        }"""
    )
    assert painted > 100
    # the next link: highlighted in its turn
    page.locator("#vk-toets").get_by_role("button", name="Volgende").first.click()
    assert view.evaluate("() => window.versterktToetsHighlight()") != link
    view.assert_clean()
