"""Every facilitator view in headless Chromium, offline: drawn, searchable, safe.

Screenshots of each view at 1280x720 and 1920x1080 are kept under
test-artifacts/screenshots/ to check readability on a projector.
"""

from __future__ import annotations

from typing import Any

import pytest
from sample_maps import HOSTILE_SCRIPT, rich_map

from loaders import load_map
from queries.agenda import agenda
from views.bundle import VIEW_FILES, write_bundle
from views.changes import render_changes
from views.leverage import render_leverage
from views.map import map_data, render_map
from views.social_map import render_social_map, social_map_data
from views.statements import render_statements

SCREENS = {"720p": {"width": 1280, "height": 720}, "1080p": {"width": 1920, "height": 1080}}


def network_views(m: Any) -> dict[str, tuple[str, set[str]]]:
    """Each network view of ``m``: (page, ids of the nodes it must draw)."""
    nodes, _, _ = map_data(m)
    social, _, _, _ = social_map_data(m)
    changes = render_changes(m, 1, 2) if len(m.rounds) > 1 else render_changes(m, 0, 1)
    every = {n.id for n in m.nodes()}
    return {
        "kaart": (render_map(m), {n["id"] for n in nodes}),
        "sociale-kaart": (render_social_map(m), {n["id"] for n in social}),
        "veranderingen": (changes, every),
    }


def drawn(page: Any) -> set[str]:
    return set(page.evaluate("() => window.versterktDrawnNodeIds()"))


def faded(page: Any) -> set[str]:
    return set(page.evaluate("() => window.versterktFadedNodeIds()"))


def node_on_screen(view: Any, node_id: str) -> tuple[float, float]:
    return view.node_dom_position(node_id)


# --------------------------------------------------------------------------- network views


@pytest.mark.parametrize("screen", SCREENS)
@pytest.mark.parametrize("name", ["kaart", "sociale-kaart", "veranderingen"])
def test_network_views_draw_everything_and_focus_by_search_and_click(open_page, name, screen):
    m = load_map() if name == "kaart" else rich_map()
    html, expected = network_views(m)[name]
    view = open_page(html, viewport=SCREENS[screen], name=f"view-{name}-{screen}")
    page = view.page
    assert drawn(page) == expected
    # The map fills the screen: labels large enough to read on a projector.
    scale = page.evaluate("() => window.versterktNetwork.getScale()")
    assert scale > (0.4 if screen == "720p" else 0.6), scale

    target = "prestatiedruk" if name != "sociale-kaart" else "toetsdruk"
    label = page.evaluate("id => window.versterktNetwork.body.data.nodes.get(id).label", target)
    page.locator("#vk-search").click()
    page.keyboard.type(label[:6])
    page.locator("#vk-search-results button", has_text=label).first.click()
    assert page.locator("body").get_attribute("data-focus") == target
    assert target not in faded(page) and faded(page)
    view.screenshot("gezocht")

    page.keyboard.press("Escape")
    assert faded(page) == set()
    x, y = node_on_screen(view, target)
    page.mouse.click(x, y)
    page.wait_for_function(f"() => document.body.dataset.focus === '{target}'")
    page.locator("#vk-projector").click()
    page.locator("#vk-panel-toggle").click()
    page.wait_for_timeout(400)
    view.screenshot("beamer")
    view.assert_clean()


def test_map_same_layout_twice_and_saved_positions_survive(open_page):
    m = load_map()
    first = open_page(render_map(m))
    second = open_page(render_map(m))
    a = first.evaluate("() => window.versterktPositions()")
    assert a == second.evaluate("() => window.versterktPositions()")
    assert set(a) == {n.id for n in m.nodes()}

    view = first
    x, y = view.node_dom_position("stress")
    view.page.mouse.move(x, y)
    view.page.mouse.down()
    view.page.mouse.move(x + 70, y + 40, steps=6)
    view.page.mouse.up()
    saved = view.evaluate("() => window.versterktPositions()")
    assert saved["stress"] != a["stress"]
    again = open_page(render_map(m, positions=saved))
    assert again.evaluate("() => window.versterktPositions()") == saved


def test_social_map_lists_and_draws_missing_cooperation(open_page):
    view = open_page(render_social_map(rich_map()), viewport=SCREENS["720p"])
    page = view.page
    notes = page.locator("#vk-notes .vk-note").first
    assert notes.locator("h2").inner_text() == "Kansen om samen te werken"
    assert notes.locator("li").all_inner_texts() == [
        "Huiswerkclub en Scholen: allebei bezig met Toetsdruk",
        "Sportclub en Sportmaatje: allebei bezig met Steun van vrienden",
    ]
    edges = page.evaluate("() => window.versterktNetwork.body.data.edges.getIds()")
    assert "samenwerking-mist:huiswerkclub:scholen" in edges


def test_changes_view_marks_what_changed(open_page):
    view = open_page(render_changes(rich_map(), 1, 2))
    page = view.page
    lists = page.locator("#vk-notes .vk-note")
    assert lists.nth(0).locator("h2").inner_text() == "Nieuw"
    assert "Te weinig slaap" in lists.nth(0).inner_text()
    assert "Steun van vrienden verkleint prestatiedruk (+ → -)" in lists.nth(1).inner_text()
    assert "waarom: niemand herkende dit" in lists.nth(2).inner_text()
    label = page.evaluate("() => window.versterktNetwork.body.data.edges.get('l-steun').label")
    assert label == "+ → -"
    page.locator("fieldset[data-facet='verandering'] button", has_text="niets").click()
    page.locator("fieldset[data-facet='verandering'] input[value='nieuw']").check()
    assert "slaap" not in faded(page) and "prestatiedruk" in faded(page)


# --------------------------------------------------------------------------- charts


@pytest.mark.parametrize("screen", SCREENS)
def test_statements_chart_offline(open_page, screen):
    view = open_page(
        render_statements(load_map()), viewport=SCREENS[screen], name=f"view-stellingen-{screen}"
    )
    page = view.page
    assert page.locator("svg").get_by_text("onbekend", exact=True).count() == 12
    assert page.locator("svg g.vk-statement").count() == 6
    assert page.locator("svg text", has_text="★ focus").count() == 2
    # The chart fits the screen: no scrolling needed to see every statement.
    box = page.locator("section.vk-chart svg").bounding_box()
    assert box["y"] + box["height"] <= SCREENS[screen]["height"] + 1
    page.locator("#vk-projector").click()
    assert "projector" in (page.locator("body").get_attribute("class") or "")
    view.screenshot("beamer")
    view.assert_clean()


@pytest.mark.parametrize("screen", SCREENS)
def test_knoppen_offline(open_page, screen):
    view = open_page(
        render_leverage(load_map()), viewport=SCREENS[screen], name=f"view-knoppen-{screen}"
    )
    page = view.page
    assert page.locator("svg g.vk-knob").count() == 7
    assert page.locator("svg text", has_text="Kan bijsturen: Scholen").count() == 1
    assert page.locator("#vk-caveat h2").inner_text() == "Hoe lees je dit?"
    view.assert_clean()


def test_known_counts_chart(open_page):
    view = open_page(render_statements(rich_map()), name="view-stellingen-bekend")
    assert view.page.locator("svg rect.vk-agree").count() == 2
    assert view.page.locator("svg text", has_text="neutraal: onbekend").count() == 1


# --------------------------------------------------------------------------- hostile text


def test_hostile_text_never_runs_in_any_view(open_page, tmp_path):
    m = rich_map(hostile=True)
    bundle = write_bundle(m, tmp_path / "bundel", round=2)
    for name in ("index.html", *VIEW_FILES):
        view = open_page(bundle.folder / name, name=f"hostile-{name}")
        page = view.page
        title = page.locator("#vk-title").inner_text()
        assert HOSTILE_SCRIPT in title
        assert page.evaluate("() => document.querySelectorAll('img').length") == 0
        scripts = page.evaluate("() => document.querySelectorAll('script').length")
        # the map's data, vis-network, the page; on the map also the toetsmodus' two
        assert scripts == {"kaart.html": 5, "sociale-kaart.html": 3, "veranderingen.html": 3}.get(
            name, 1
        )
        if name == "kaart.html":  # every link's sentence and evidence, in toetsmodus
            page.locator("#vk-toets-open").click()
            for _ in range(page.locator("#vk-toets-pick option").count()):
                page.keyboard.press("ArrowRight")
            assert page.evaluate("() => document.querySelectorAll('img').length") == 0
            page.locator("#vk-toets-close").click()
        assert page.evaluate("() => typeof window.__pwned") == "undefined"
        if name == "stellingen.html":
            assert page.locator("svg text", has_text=HOSTILE_SCRIPT).count() == 1
        if name == "kaart.html":
            page.locator("#vk-search").fill("Toetsdruk <scr")
            assert page.locator("#vk-search-results button").count() == 1
        view.assert_clean()


# --------------------------------------------------------------------------- bundle


@pytest.mark.parametrize("screen", SCREENS)
def test_bundle_index_opens_every_view_offline(open_page, tmp_path, screen):
    bundle = write_bundle(load_map(), tmp_path / "usb")
    view = open_page(
        bundle.index,
        viewport=SCREENS[screen],
        allow_dir=bundle.folder,
        name=f"view-index-{screen}",
    )
    page = view.page
    assert page.locator("#vk-views a").count() == len(VIEW_FILES)
    # the one agenda of the cycle, as versterkt agenda lists it
    assert page.locator("#vk-agenda ol li").count() == len(agenda(load_map()))
    view.screenshot()
    for position, name in enumerate(VIEW_FILES):
        page.locator("#vk-views a").nth(position).click()
        page.wait_for_url(f"**/{name}")
        page.wait_for_function("() => document.body.dataset.ready === '1'")
        page.locator("a", has_text="Overzicht van de sessie").click()
        page.wait_for_url("**/index.html")
        page.wait_for_function("() => document.body.dataset.ready === '1'")
    view.assert_clean()
