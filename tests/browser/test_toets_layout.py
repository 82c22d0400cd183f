"""The toetsmodus on a laptop screen and a 720p projector (1280×720): the link under
test and every control to record the groups' verdicts on it are on the screen without
scrolling, the link is highlighted and in the middle of the map, the map keeps half the
screen, and times and counts read as Dutch, whatever the browser's own language."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from graph import schema
from loaders import EXAMPLE_CYCLE, VLEUTEN, load_map
from views.bundle import write_bundle

pytestmark = pytest.mark.browser

LAPTOP = {"width": 1280, "height": 720}

#: The controls of the link shown: stepping, choosing, and per group the four verdicts
#: and the remark.
CONTROLS = (
    "#vk-toets-prev, #vk-toets-next, #vk-toets-pick, #vk-toets-session, #vk-toets-sentence,"
    " #vk-toets-close, .vk-toets-group legend, .vk-toets-verdict, .vk-toets-note"
)

#: Each control's box, and whether its middle is the control itself (nothing on top).
BOXES = """sel => Array.from(document.querySelectorAll(sel)).map(e => {
    const r = e.getBoundingClientRect();
    const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    return {what: e.id || e.className + ' ' + (e.dataset.verdict || e.textContent),
            left: r.left, top: r.top, right: r.right, bottom: r.bottom,
            onTop: hit === e || e.contains(hit)};
})"""

#: Where the link under test is drawn, in page coordinates, and what is drawn there.
LINK_ON_MAP = """id => {
    const net = window.versterktNetwork;
    const edge = net.body.edges[id];
    const box = document.getElementById('vk-network').getBoundingClientRect();
    const p = net.canvasToDOM(edge.edgeType.getPoint(0.5));
    const x = box.left + p.x, y = box.top + p.y;
    const hit = document.elementFromPoint(x, y);
    return {x: x, y: y, box: {left: box.left, top: box.top, right: box.right,
            bottom: box.bottom}, onMap: !!hit && !!hit.closest('#vk-network'),
            selected: net.getSelectedEdges()};
}"""


def check_link_shown(page: Any) -> None:
    """Every control of the link shown fits the screen, and the link is on the map."""
    viewport = page.viewport_size
    boxes = page.evaluate(BOXES, CONTROLS)
    assert len(boxes) >= 5 + 4 * len(schema.GROUPS)
    for box in boxes:
        inside = (
            box["left"] >= 0
            and box["top"] >= 0
            and box["right"] <= viewport["width"]
            and box["bottom"] <= viewport["height"]
        )
        assert inside and box["onTop"], f"not on the screen: {box}"

    shown = page.locator("#vk-toets-pick").input_value()
    assert page.evaluate("() => window.versterktToetsHighlight()") == shown
    where = page.evaluate(LINK_ON_MAP, shown)
    assert where["selected"] == [shown]
    assert where["onMap"], where
    middle = (where["box"]["left"] + where["box"]["right"]) / 2
    assert abs(where["x"] - middle) <= 2, where  # brought to the middle of the map
    # the map keeps its room: at least two fifths of the screen's width
    assert where["box"]["right"] - where["box"]["left"] >= 0.4 * viewport["width"]


@pytest.mark.parametrize("projector", [False, True], ids=["laptop", "projector"])
def test_every_control_for_the_link_under_test_is_on_a_1280x720_screen(
    open_page, tmp_path: Path, projector: bool
) -> None:
    workbook = Path(shutil.copytree(EXAMPLE_CYCLE / "ronde-1", tmp_path / "werkboek"))
    bundle = write_bundle(load_map(workbook), tmp_path / "sessie")
    view = open_page(bundle.folder / "kaart.html", viewport=LAPTOP, allow_dir=bundle.folder)
    page = view.page
    if projector:
        page.locator("#vk-projector").click()
    page.locator("#vk-toets-open").click()
    check_link_shown(page)
    for _ in range(2):
        page.locator("#vk-toets-next").click()
        check_link_shown(page)
    # a long remark grows its box, and the next group's controls are still reachable
    page.locator(".vk-toets-note").first.fill("Een lange opmerking. " * 12)
    page.locator(".vk-toets-verdict").last.scroll_into_view_if_needed()
    assert page.locator(".vk-toets-verdict").last.is_visible()

    # closing gives the map back its room (and its side panel, outside projector mode)
    width = page.locator("#vk-network").bounding_box()["width"]
    page.locator("#vk-toets-close").click()
    assert page.evaluate("() => window.versterktToetsHighlight()") is None
    assert page.locator("#vk-network").bounding_box()["width"] > width
    assert page.locator(".vk-panel").is_visible() is not projector


def test_the_vleuten_map_in_toetsmodus_fits_and_highlights_each_link(
    open_page, tmp_path: Path
) -> None:
    bundle = write_bundle(load_map(VLEUTEN), tmp_path / "sessie")
    view = open_page(bundle.folder / "kaart.html", viewport=LAPTOP, allow_dir=bundle.folder)
    page = view.page
    page.locator("#vk-toets-open").click()
    check_link_shown(page)
    page.locator("#vk-toets-next").click()
    check_link_shown(page)


def test_the_session_is_chosen_and_times_and_counts_read_as_dutch(
    open_page, tmp_path: Path
) -> None:
    workbook = Path(shutil.copytree(EXAMPLE_CYCLE / "ronde-1", tmp_path / "werkboek"))
    bundle = write_bundle(load_map(workbook), tmp_path / "sessie")
    # the browser's own language is American English; the page is Dutch
    view = open_page(
        bundle.folder / "kaart.html", viewport=LAPTOP, allow_dir=bundle.folder, locale="en-US"
    )
    page = view.page
    page.locator("#vk-toets-open").click()
    # no session is assumed: the round's own session is only marked in the list
    assert page.locator("#vk-toets-session").input_value() == ""
    assert "(sessie van ronde 1)" in page.locator("#vk-toets-session").text_content()

    page.locator('fieldset[data-group="ouder"] button[data-verdict="eens"]').click()
    kept = page.locator("#vk-toets-kept").text_content()
    assert re.search(r"\(\d{2}:\d{2}\): 1 oordeel, 0 voorstellen\.$", kept), kept
    assert not re.search(r"AM|PM", kept)

    # saving asks for the session first, and saves nothing until it is chosen
    page.locator("#vk-toets-save").click()
    assert "Kies eerst de sessie" in page.locator("#vk-toets-saved").text_content()
    assert page.evaluate("() => document.activeElement.id") == "vk-toets-session"
    page.locator("#vk-toets-session").select_option("oudersessie")
    with page.expect_download() as info:
        page.locator("#vk-toets-save").click()
    assert info.value.suggested_filename.endswith("-oudersessie.json")
    saved = page.locator("#vk-toets-saved").text_content()
    assert re.search(r"\(\d{2}:\d{2}\)", saved) and not re.search(r"AM|PM", saved), saved
