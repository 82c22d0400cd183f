"""The scenario page in headless Chromium, offline: bars, intervals, uncertainty."""

from __future__ import annotations

from typing import Any

import pytest

from graph import SystemMap
from loaders import EXAMPLE_CYCLE, load_map
from views.scenario import render_scenario

SCREENS = {"720p": {"width": 1280, "height": 720}, "1080p": {"width": 1920, "height": 1080}}


def changes(page: Any, direction: str) -> int:
    return page.locator(f"svg g.vk-change[data-direction='{direction}']").count()


@pytest.mark.parametrize("screen", SCREENS)
def test_the_scenario_page_draws_each_knob_side_by_side_offline(open_page, screen):
    m = load_map(EXAMPLE_CYCLE / "ronde-2")
    view = open_page(
        render_scenario(m, draws=200), viewport=SCREENS[screen], name=f"view-wat-als-{screen}"
    )
    page = view.page
    # two knobs (meten en toetsen, de verwachtingen van ouders), each down and up
    titles = page.locator("section.vk-scenario h2").all_inner_texts()
    assert titles == [
        "Meten en toetsen omlaag",
        "Meten en toetsen omhoog",
        "De verwachtingen van ouders omlaag",
        "De verwachtingen van ouders omhoog",
    ]
    first = page.locator("section.vk-scenario").first
    druk = first.locator("g.vk-change[data-node='prestatiedruk']")
    assert [g.get_attribute("data-perspective") for g in druk.all()] == [
        "all",
        "confirmed",
        "ouder",
        "professional",
    ]
    # parents reject "meten en toetsen vergroot prestatiedruk": in their panel it stays
    assert [g.get_attribute("data-direction") for g in druk.all()] == [
        "down",
        "unchanged",
        "unchanged",
        "down",
    ]
    bar = druk.first.locator("rect.vk-bar")
    assert bar.get_attribute("fill") == "#0072B2" and float(bar.get_attribute("width")) > 10
    assert druk.first.locator("line.vk-interval").count() == 1
    assert first.locator("svg text", has_text="«ouder»").count() == 1
    assert page.locator("#vk-caveat h2").inner_text() == "Hoe lees je dit?"
    page.locator("#vk-projector").click()
    assert "projector" in (page.locator("body").get_attribute("class") or "")
    view.screenshot("beamer")
    view.assert_clean()


def test_an_uncertain_factor_is_a_hatched_band_without_a_number(open_page):
    m = SystemMap("tegen", "Twee wegen")
    m.add_node("Actor", "school", "School", actor_kind="organisatie")
    for f in ("knop", "a", "b", "doel"):
        m.add_node("Factor", f, f.title(), level="persoon", role="bron")
    m.add_link("school-knop", "CAN_ADJUST", "school", "knop")
    for link, source, target, sign in (
        ("knop-a", "knop", "a", "+"),
        ("knop-b", "knop", "b", "+"),
        ("a-doel", "a", "doel", "+"),
        ("b-doel", "b", "doel", "-"),
    ):
        m.add_link(link, "INFLUENCES", source, target, sign=sign)
    view = open_page(render_scenario(m, draws=300, lang="en"), name="view-wat-als-onzeker")
    page = view.page
    doel = page.locator("section.vk-scenario").first.locator("g.vk-change[data-node='doel']")
    assert doel.first.get_attribute("data-direction") == "uncertain"
    assert doel.first.locator("rect.vk-uncertain").count() == 1
    assert doel.first.locator("rect.vk-bar").count() == 0
    assert doel.first.locator("text").all_text_contents() == ["uncertain"]
    assert changes(page, "up") > 0  # a and b rise
    view.assert_clean()


def test_a_map_without_knobs_says_so(open_page):
    view = open_page(render_scenario(SystemMap("leeg", "Leeg")), name="view-wat-als-leeg")
    assert "nog geen knoppen" in view.page.locator("main").inner_text()
    view.assert_clean()
