"""The clusters of a large WebGL map: collapsed into one circle each, expanded by a
click, opened by a search or by the toetsmodus, offline.

The map is generated (no real data), above the size drawn with WebGL.
"""

from __future__ import annotations

from typing import Any

import pytest

from graph.generate import generated_map
from views.clusters import map_clusters
from views.map import map_data, render_map

WAIT_FRAMES = """() => new Promise(done => requestAnimationFrame(() =>
    requestAnimationFrame(() => done(true))))"""

#: What sigma draws: every node of its graph (elements and collapsed clusters) that
#: is not hidden, with its label and whether it is a cluster.
DRAWN = """() => {
    const net = window.versterktNetwork;
    return net.graph.filterNodes(id => {
        const d = net.sigma.getNodeDisplayData(id);
        return d && !d.hidden;
    }).map(id => {
        const a = net.graph.getNodeAttributes(id);
        return {id: id, label: a.label, group: a.group === undefined ? null : a.group};
    });
}"""

#: The links drawn for collapsed clusters: their ends and how many links each stands for.
GROUPED_LINKS = """() => {
    const g = window.versterktNetwork.graph;
    return g.filterEdges((id, a) => a.grouped !== undefined).map(id => ({
        from: g.getNodeAttribute(g.source(id), 'group'),
        to: g.getNodeAttribute(g.target(id), 'group'),
        count: g.getEdgeAttribute(id, 'grouped'),
        size: g.getEdgeAttribute(id, 'size'),
    }));
}"""

#: Where a collapsed cluster's circle is on the page, and the cluster of those on the
#: screen whose circle is farthest from every other (to click it, not a neighbour).
LONELY_CLUSTER = """() => {
    const net = window.versterktNetwork;
    const g = net.graph;
    const ids = g.filterNodes((id, a) => a.group !== undefined);
    const at = ids.map(id => net.sigma.graphToViewport(g.getNodeAttributes(id)));
    const size = net.sigma.getDimensions();
    let best = null, room = -1;
    ids.forEach((id, i) => {
        const p = at[i];
        if (p.x < 20 || p.y < 20 || p.x > size.width - 20 || p.y > size.height - 20) return;
        let nearest = Infinity;
        at.forEach((p, j) => {
            if (j !== i) nearest = Math.min(nearest, Math.hypot(p.x - at[i].x, p.y - at[i].y));
        });
        if (nearest > room) { room = nearest; best = i; }
    });
    return {group: g.getNodeAttribute(ids[best], 'group'), x: at[best].x, y: at[best].y};
}"""


@pytest.fixture(scope="module")
def town() -> Any:
    return generated_map(1500, 4000, seed=2)


@pytest.fixture(scope="module")
def town_clusters(town: Any) -> list[dict[str, Any]]:
    nodes, edges, _ = map_data(town)
    return map_clusters(town, [n["id"] for n in nodes], [(e["from"], e["to"]) for e in edges])


def test_clusters_collapse_expand_and_open_for_a_search(
    open_page: Any, town: Any, town_clusters: list[dict[str, Any]]
) -> None:
    view = open_page(render_map(town))
    page = view.page
    page.locator("#vk-reset").click()
    page.locator("#vk-group-by").select_option("@clusters")
    buttons = page.locator("#vk-groups button")
    assert buttons.count() == len(town_clusters)
    first = town_clusters[0]
    assert buttons.first.inner_text().startswith(f"{first['label']} ({len(first['members'])})")

    # all collapsed: one circle per cluster, named with its number of elements
    page.locator("#vk-groups-collapse").click()
    view.evaluate(WAIT_FRAMES)
    drawn = view.evaluate(DRAWN)
    assert len(drawn) == len(town_clusters)
    assert view.evaluate("() => window.versterktDrawnNodeIds().length") == 0
    assert sorted(d["label"] for d in drawn) == sorted(
        f"{c['label']} ({len(c['members'])})" for c in town_clusters
    )
    # the links between clusters: one line per pair, thicker for more links
    cluster_of = {n: c["id"] for c in town_clusters for n in c["members"]}
    between = sum(1 for link in town.links() if cluster_of[link.source] != cluster_of[link.target])
    grouped = view.evaluate(GROUPED_LINKS)
    assert sum(g["count"] for g in grouped) == between
    assert len({(g["from"], g["to"]) for g in grouped}) == len(grouped)
    most, fewest = max(grouped, key=lambda g: g["count"]), min(grouped, key=lambda g: g["count"])
    assert most["count"] > fewest["count"] and most["size"] > fewest["size"]
    assert "0 van 1500 elementen getekend" in page.locator("#vk-status").inner_text()

    # a click on a cluster's circle expands it: its elements are drawn
    lonely = view.evaluate(LONELY_CLUSTER)
    box = page.locator("#vk-network").bounding_box()
    page.mouse.click(box["x"] + lonely["x"], box["y"] + lonely["y"])
    view.evaluate(WAIT_FRAMES)
    opened = next(c for c in town_clusters if c["id"] == lonely["group"])
    assert set(view.evaluate("() => window.versterktDrawnNodeIds()")) == set(opened["members"])
    assert len(view.evaluate(DRAWN)) == len(town_clusters) - 1 + len(opened["members"])
    button = page.locator(f'#vk-groups button[data-group="{opened["id"]}"]')
    assert button.get_attribute("aria-pressed") == "false"

    # a search for an element inside a collapsed cluster opens that cluster and
    # focuses the element
    other = next(c for c in town_clusters if c["id"] != opened["id"])
    wanted = town.node(other["members"][-1])
    page.locator("#vk-search").fill(wanted.name)
    page.locator("#vk-search").press("Enter")
    view.evaluate(WAIT_FRAMES)
    assert page.locator("body").get_attribute("data-focus") == wanted.id
    assert wanted.id in view.evaluate("() => window.versterktDrawnNodeIds()")
    assert (
        page.locator(f'#vk-groups button[data-group="{other["id"]}"]').get_attribute("aria-pressed")
        == "false"
    )
    faded = set(view.evaluate("() => window.versterktFadedNodeIds()"))
    assert wanted.id not in faded and len(faded) > 1000  # the focus is on it

    # "Alles tonen" draws every element again
    page.locator("#vk-reset").click()
    assert view.evaluate("() => window.versterktDrawnNodeIds().length") == 1500
    assert len(view.evaluate(DRAWN)) == 1500
    view.assert_clean()  # no request left the page, no error


def test_the_toetsmodus_opens_the_clusters_of_the_link_it_shows(
    open_page: Any, town: Any, town_clusters: list[dict[str, Any]]
) -> None:
    view = open_page(render_map(town))
    page = view.page
    page.locator("#vk-reset").click()
    page.locator("#vk-group-by").select_option("@clusters")
    page.locator("#vk-groups-collapse").click()
    page.locator("#vk-toets-open").click()
    link_id = view.evaluate("() => window.versterktToetsHighlight()")
    link = next(link for link in town.links() if link.id == link_id)
    view.evaluate(WAIT_FRAMES)
    drawn = set(view.evaluate("() => window.versterktDrawnNodeIds()"))
    assert {link.source, link.target} <= drawn
    colour = view.evaluate(
        "id => window.versterktNetwork.sigma.getEdgeDisplayData(id).color", link_id
    )
    assert colour == "#E69F00"
    view.assert_clean()
