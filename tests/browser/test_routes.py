"""Loops and paths on the map: choosing one in the panel highlights exactly its links
and fades the rest."""

from __future__ import annotations

import networkx as nx

from loaders import EXAMPLE_CYCLE, VLEUTEN, load_map
from queries.loops import loops
from views.map import on_map, render_map


def faded_edges(view):
    return set(view.evaluate("() => window.versterktFadedEdgeIds()"))


def faded_nodes(view):
    return set(view.evaluate("() => window.versterktFadedNodeIds()"))


def drawn_edges(view):
    return set(view.evaluate("() => window.versterktNetwork.body.data.edges.getIds()"))


def test_loop_panel_lists_the_loops_and_highlights_one(open_page):
    m = load_map(EXAMPLE_CYCLE / "ronde-2")
    expected = loops(m).to_dict("records")
    assert len(expected) == 1
    view = open_page(render_map(m))
    buttons = view.page.locator("#vk-loops button")
    assert buttons.all_inner_texts() == [
        "Perfectionisme → Prestatiedruk → Perfectionisme\nversterkend"
    ]
    buttons.first.click()
    loop_links, loop_nodes = set(expected[0]["links"]), set(expected[0]["members"])
    assert drawn_edges(view) - faded_edges(view) == loop_links
    assert set(view.evaluate("() => window.versterktDrawnNodeIds()")) - faded_nodes(view) == (
        loop_nodes
    )
    assert buttons.first.get_attribute("aria-pressed") == "true"
    view.screenshot("lus")
    # Choosing it again, or Escape, shows everything again.
    buttons.first.click()
    assert faded_edges(view) == set()
    buttons.first.click()
    view.page.keyboard.press("Escape")
    assert faded_edges(view) == set() and buttons.first.get_attribute("aria-pressed") == "false"
    view.assert_clean()


def test_vleuten_says_it_has_no_loops(open_page):
    view = open_page(render_map(load_map(VLEUTEN), "en"))
    assert view.page.locator("#vk-loop-box p").inner_text() == "No loops on this map."
    assert view.page.locator("#vk-loops button").count() == 0


def test_paths_between_two_elements_shortest_first_and_one_highlighted(open_page):
    m = load_map(EXAMPLE_CYCLE / "ronde-2")
    graph = nx.MultiDiGraph()
    for link in m.links():
        if link.kind != "COOPERATES_WITH" and on_map(link.fields):
            graph.add_edge(link.source, link.target, key=link.id)
    expected = sorted(
        (
            [key for _, _, key in path]
            for path in nx.all_simple_edge_paths(graph, "scholen", "geluk-kind", cutoff=6)
        ),
        key=len,
    )
    assert len(expected) >= 2 and len(expected[0]) < len(expected[-1])
    view = open_page(render_map(m))
    page = view.page
    page.select_option("#vk-path-from", "scholen")
    page.select_option("#vk-path-to", "geluk-kind")
    page.locator("#vk-path-find").click()
    buttons = page.locator("#vk-paths button")
    assert buttons.count() == len(expected)
    texts = buttons.all_inner_texts()
    assert all(t.startswith("Scholen → ") and "→ Het geluk van een kind" in t for t in texts)
    assert [t.count("→") for t in texts] == [len(p) for p in expected]

    for i in (0, len(expected) - 1):
        buttons.nth(i).click()
        chosen = drawn_edges(view) - faded_edges(view)
        assert sorted(chosen) in [sorted(p) for p in expected]
        assert len(chosen) == texts[i].count("→")
    view.screenshot("pad")

    page.select_option("#vk-path-from", "stress")
    page.select_option("#vk-path-to", "ouders")
    page.locator("#vk-path-find").click()
    assert buttons.count() == 0
    assert "Geen pad van Stress naar Ouders" in page.locator("#vk-path-message").inner_text()
    view.assert_clean()
