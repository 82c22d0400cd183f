"""A whole session in the map page's toetsmodus, offline in headless Chromium: the
verdicts of three groups on the agenda's links, a remark each, one proposal, a reload
half-way; the saved file imports and each link's status follows the status rule."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from graph.cycle import positions, status_from_positions, status_rows
from loaders import EXAMPLE_CYCLE, load_map
from queries.agenda import agenda
from versterkt.cli import main
from views.bundle import write_bundle

pytestmark = pytest.mark.browser

#: The verdicts given, per agenda link (by place), per group, with a remark each.
SESSION = [
    {"ouder": ("eens", "Herkenbaar thuis"), "jongere": ("eens", "Klopt"),
     "professional": ("neutraal", "Hangt af van de school")},
    {"ouder": ("oneens", "Niet bij ons"), "jongere": ("eens", "<b>wel</b> zo"),
     "professional": ("aanvulling", "Ook de cito")},
    {"ouder": ("oneens", "Nee"), "jongere": ("oneens", "Nee hoor"),
     "professional": ("oneens", "<img src=x onerror=alert(1)>")},
]  # fmt: skip
KEYS = {"eens": "1", "oneens": "2", "neutraal": "3", "aanvulling": "4"}


def give(page: Any, link: str, verdicts: dict[str, tuple[str, str]], keyboard: bool) -> None:
    """Record each group's verdict and remark on the link shown, as a facilitator does."""
    assert page.locator("#vk-toets-pick").input_value() == link
    for group, (verdict, remark) in verdicts.items():
        box = page.locator(f'fieldset[data-group="{group}"]')
        if keyboard:
            box.focus()
            page.keyboard.press(KEYS[verdict])
        else:
            box.locator(f'button[data-verdict="{verdict}"]').click()
        box.locator("textarea").fill(remark)


def pressed(page: Any, group: str) -> list[str]:
    return page.eval_on_selector_all(
        f'fieldset[data-group="{group}"] button[aria-pressed="true"]',
        "bs => bs.map(b => b.dataset.verdict)",
    )


def test_a_whole_session_in_toetsmodus_comes_back_into_the_map(open_page, tmp_path: Path) -> None:
    workbook = Path(shutil.copytree(EXAMPLE_CYCLE / "ronde-1", tmp_path / "werkboek"))
    m = load_map(workbook)
    assert m.reviews == []
    links = list(agenda(m)["link"][:3])
    bundle = write_bundle(m, tmp_path / "sessie")
    view = open_page(bundle.folder / "kaart.html", allow_dir=bundle.folder)
    page = view.page

    page.locator("#vk-toets-open").click()
    assert page.locator("#vk-toets").is_visible()
    assert page.locator("#vk-toets-position").text_content() == (
        f"Verband 1 van {len(agenda(m))} op de agenda"
    )
    assert page.locator("#vk-toets-sentence").text_content() == agenda(m)["statement"][0]
    page.locator("#vk-toets-session").select_option("oudersessie")

    give(page, links[0], SESSION[0], keyboard=True)
    page.keyboard.press("Escape")  # leave the remark
    page.keyboard.press("ArrowRight")  # the next link, from the keyboard
    give(page, links[1], SESSION[1], keyboard=False)
    assert "6 oordelen, 0 voorstellen" in page.locator("#vk-toets-kept").text_content()

    # half-way the tab is reloaded: nothing is lost
    page.reload()
    view.wait_ready()
    page.locator("#vk-toets-open").click()
    assert page.locator("#vk-toets-pick").input_value() == links[1]
    assert page.locator("#vk-toets-session").input_value() == "oudersessie"
    assert "6 oordelen" in page.locator("#vk-toets-kept").text_content()
    for group, (verdict, remark) in SESSION[1].items():
        assert pressed(page, group) == [verdict]
        assert page.locator(f'fieldset[data-group="{group}"] textarea').input_value() == remark
    page.locator("#vk-toets-prev").click()
    assert pressed(page, "professional") == ["neutraal"]

    # any link can be picked, from the list or on the map: the third of the agenda
    page.locator("#vk-toets-pick").select_option(links[0])
    box = page.locator("#vk-network").bounding_box()
    middle = page.evaluate(
        """id => {
            const net = window.versterktNetwork;
            return net.canvasToDOM(net.body.edges[id].edgeType.getPoint(0.5));
        }""",
        links[2],
    )
    page.mouse.click(box["x"] + middle["x"], box["y"] + middle["y"])
    give(page, links[2], SESSION[2], keyboard=True)

    # one proposal, by a group
    page.locator("#vk-toets-proposal-kind").select_option("link")
    page.locator("#vk-toets-proposal-group").select_option("jongere")
    page.locator("#vk-toets-proposal-from").select_option("druk-leeftijdsgenoten")
    page.locator("#vk-toets-proposal-to").select_option("verwachtingen-ouders")
    page.locator("#vk-toets-proposal-sign").select_option("+")
    page.locator("#vk-toets-proposal-note").fill("<i>ouders</i> vergelijken ook")
    page.locator("#vk-toets-proposal-add").click()
    listed = page.locator("#vk-toets-proposal-list li").first
    assert "<i>ouders</i> vergelijken ook" in listed.text_content()  # text, never markup
    assert page.locator("#vk-toets img, #vk-toets i, #vk-toets b").count() == 0
    assert "9 oordelen, 1 voorstel." in page.locator("#vk-toets-kept").text_content()

    with page.expect_download() as info:
        page.locator("#vk-toets-save").click()
    download = info.value
    assert download.suggested_filename == "toetssessie-voorbeeld-cyclus-ronde-1-oudersessie.json"
    saved = tmp_path / download.suggested_filename
    download.save_as(str(saved))
    assert saved.name in page.locator("#vk-toets-saved").text_content()

    content = json.loads(saved.read_text(encoding="utf-8"))
    assert (content["map"], content["round"], content["session"]) == (
        "voorbeeld-cyclus",
        1,
        "oudersessie",
    )
    assert len(content["entries"]) == 9
    assert content["proposals"][0]["group"] == "jongere"

    result = CliRunner().invoke(main, ["review-import", str(saved), str(workbook), "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"Recorded 9 reviews in {workbook}.")
    assert "versterkt adjust add-link inv-druk-leeftijdsgenoten-verwachtingen-ouders" in (
        result.output
    )
    after = load_map(workbook)
    status = {row["link"]: row["status"] for row in status_rows(after)}
    for link, verdicts in zip(links, SESSION, strict=True):
        given = [{"group": g, "verdict": v} for g, (v, _) in verdicts.items()]
        assert status[link] == status_from_positions(*positions(given))
    assert [status[link] for link in links] == ["bevestigd", "betwist", "verworpen"]
    remarks = {(r["link"], r["group"]): r.get("note") for r in after.reviews}
    assert remarks[(links[2], "professional")] == "<img src=x onerror=alert(1)>"
    assert {r["session"] for r in after.reviews} == {"oudersessie"}


def test_the_map_page_opens_in_toetsmodus_in_english(open_page, tmp_path: Path) -> None:
    from views.map import render_map

    view = open_page(render_map(load_map(EXAMPLE_CYCLE / "ronde-1"), "en") + "", wait=True)
    page = view.page
    page.evaluate("() => { location.hash = 'toets'; }")
    page.reload()
    view.wait_ready()
    assert page.locator("#vk-toets").is_visible()
    assert page.locator(".vk-toets-title").text_content() == "Test mode: round 1"
    assert page.locator("#vk-toets-kept").text_content().startswith("Nothing entered yet")
