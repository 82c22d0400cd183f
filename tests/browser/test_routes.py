"""Loops and paths on the map: choosing one in the panel highlights exactly its links
and fades the rest."""

from __future__ import annotations

import networkx as nx

from graph.generate import generated_map
from graph.vocabulary import LinkKind
from loaders import EXAMPLE_CYCLE, VLEUTEN, load_map
from queries.loops import loops
from queries.paths import all_paths
from views.map import on_map, render_map
from views.page import PATH_MAX_LINKS, PATH_MAX_LISTED


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


def _page_and_question_paths(view, m):
    """For every ordered pair of elements the page can route between: the paths the
    page lists (links, sign) and those the ``paths`` question gives, first
    ``PATH_MAX_LISTED`` of at most ``PATH_MAX_LINKS`` links, over the same link kinds."""
    routed = [kind for kind in LinkKind if not kind.derived and kind != LinkKind.COOPERATES_WITH]
    ends = sorted(
        {end for link in m.links() if link.kind in routed for end in (link.source, link.target)}
    )
    pairs = [(a, b) for a in ends for b in ends if a != b]
    on_page = view.evaluate("(pairs) => pairs.map(([a, b]) => window.versterktPaths(a, b))", pairs)
    signs = {"+": "+", "-": "−", None: ""}
    for (a, b), listed in zip(pairs, on_page, strict=True):
        answer = all_paths(m, a, b, PATH_MAX_LINKS, kinds=routed).head(PATH_MAX_LISTED)
        expected = [
            {"links": list(row["links"]), "sign": signs[row["sign"]]}
            for row in answer.to_dict("records")
        ]
        yield (a, b), listed, expected


def test_the_page_lists_the_paths_the_paths_question_gives_for_every_pair(open_page):
    # One rule for a path and its sign: the page lists, for every pair, the paths that
    # queries.paths answers, in its order, with the same sign.
    m = load_map(EXAMPLE_CYCLE / "ronde-2")
    view = open_page(render_map(m))
    compared = found = 0
    for pair, listed, expected in _page_and_question_paths(view, m):
        assert listed == expected, pair
        compared += 1
        found += bool(expected)
    assert compared > 100 and found > 20
    view.assert_clean()


def test_the_page_and_the_paths_question_agree_on_a_generated_map(open_page):
    # A denser map, where pairs have more paths than the page lists and the order of
    # those of one length decides which are shown.
    m = generated_map(60, 240, seed=3)
    view = open_page(render_map(m, "en"))
    capped = 0
    for pair, listed, expected in _page_and_question_paths(view, m):
        assert listed == expected, pair
        capped += len(expected) == PATH_MAX_LISTED
    assert capped > 10
    view.assert_clean()
