"""A large WebGL map while it moves: names left out as the view moves, drawn again
when it stops; tooltips made when they are shown.

The map is generated (no real data), large enough (over 5,000 nodes) that its
names are left out while the view moves.
"""

from __future__ import annotations

from typing import Any

import pytest

from graph.generate import generated_map
from views.map import map_data, render_map

WAIT_FRAMES = """() => new Promise(done => requestAnimationFrame(() =>
    requestAnimationFrame(() => done(true))))"""

#: Notes, for every frame drawn, how many names are on the screen.
RECORD_LABELS = """() => {
    window.__labelsPerFrame = [];
    window.versterktNetwork.on('afterDrawing', () => {
        window.__labelsPerFrame.push(window.versterktLabelsShown().length);
    });
}"""

#: Whether anything is drawn on the canvas of the names.
LABEL_PIXELS = """() => {
    const canvas = window.versterktNetwork.sigma.getCanvases().labels;
    const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    let painted = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i] > 0) painted += 1;
    return painted;
}"""


@pytest.fixture(scope="module")
def village() -> Any:
    return generated_map(6000, 12_000, seed=3)


@pytest.fixture(scope="module")
def village_page(village: Any) -> str:
    return render_map(village, toets=None)


def test_names_are_left_out_while_zooming_and_come_back_when_it_stops(
    open_page: Any, village_page: Any
) -> None:
    view = open_page(village_page)
    page = view.page
    page.locator("#vk-reset").click()
    view.evaluate(WAIT_FRAMES)
    view.evaluate(
        "() => window.versterktNetwork.moveTo({scale: window.versterktNetwork.getScale() * 10})"
    )
    view.evaluate(WAIT_FRAMES)
    assert len(view.evaluate("() => window.versterktLabelsShown()")) > 0
    assert view.evaluate(LABEL_PIXELS) > 0

    view.evaluate(RECORD_LABELS)
    box = page.locator("#vk-network").bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    for _ in range(4):
        page.mouse.wheel(0, -120)
        page.wait_for_timeout(60)
    # stopped: the names are drawn again, without another move of the mouse
    page.wait_for_function(
        """() => window.__labelsPerFrame.length > 0
            && window.__labelsPerFrame[window.__labelsPerFrame.length - 1] > 0""",
        timeout=30_000,
    )
    frames = view.evaluate("() => window.__labelsPerFrame")
    # while it moved, frames were drawn without names
    assert 0 in frames
    assert frames[-1] > 0
    view.evaluate(WAIT_FRAMES)
    assert len(view.evaluate("() => window.versterktLabelsShown()")) > 0
    assert view.evaluate(LABEL_PIXELS) > 0
    view.assert_clean()


def test_a_tooltip_shows_the_nodes_text(open_page: Any, village: Any, village_page: Any) -> None:
    nodes, _, _ = map_data(village)
    node = next(n for n in nodes if n["id"] == "factor-42")
    view = open_page(village_page)
    page = view.page
    page.locator("#vk-search").fill(node["label"])
    page.locator("#vk-search").press("Enter")
    assert page.locator("body").get_attribute("data-focus") == "factor-42"
    page.wait_for_timeout(700)  # the camera goes to the node
    view.evaluate(WAIT_FRAMES)
    tip = page.locator(".vk-webgl-tip")
    assert tip.is_hidden()
    x, y = view.node_dom_position("factor-42")
    page.mouse.move(x - 30, y - 30)
    page.mouse.move(x, y)
    page.wait_for_function("() => !document.querySelector('.vk-webgl-tip').hidden", timeout=30_000)
    assert "\n" in node["tooltip"]  # more than its name
    assert tip.evaluate("el => el.textContent") == node["tooltip"]
    page.mouse.move(box_corner(page)[0], box_corner(page)[1])
    page.wait_for_function("() => document.querySelector('.vk-webgl-tip').hidden", timeout=30_000)
    view.assert_clean()


def box_corner(page: Any) -> tuple[float, float]:
    """A point on the map far from its middle (away from the node found)."""
    box = page.locator("#vk-network").bounding_box()
    return box["x"] + 5, box["y"] + box["height"] - 5
