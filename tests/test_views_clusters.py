"""The clusters of a large map: every element in exactly one, the same every time,
by sector where the map has sectors, and carried once by the WebGL page.

The large maps are generated (no real data).
"""

from __future__ import annotations

import json
import re

import pytest

from graph import SystemMap
from graph.generate import generated_map
from views import clusters as clusters_module
from views.clusters import map_clusters
from views.map import map_data, render_map


def _payload(html: str) -> dict:
    found = re.search(r'<script type="application/json" id="vk-data">(.*?)</script>', html, re.S)
    assert found
    return json.loads(found.group(1))


def _drawn(m: SystemMap) -> tuple[list[str], list[tuple[str, str]]]:
    nodes, edges, _ = map_data(m)
    return [n["id"] for n in nodes], [(e["from"], e["to"]) for e in edges]


def _sociale_kaart() -> SystemMap:
    """Two schools and a sports club with sectors (spelled two ways), what they
    influence, and an initiative and a factor on no link."""
    m = SystemMap("kaart", "Sociale kaart")
    m.add_node("Actor", "school-a", "School A", actor_kind="organisatie", sector="Onderwijs")
    m.add_node("Actor", "school-b", "School B", actor_kind="organisatie", sector="onderwijs ")
    m.add_node("Actor", "club", "Sportclub", actor_kind="organisatie", sector="sport")
    m.add_node("Actor", "ouders", "Ouders", actor_kind="groep")
    for node_id in ("toetsdruk", "cijfers", "stress", "beweging", "plezier", "los"):
        m.add_node("Factor", node_id, node_id.capitalize())
    m.add_node("Initiative", "huiswerkklas", "Huiswerkklas")
    pairs = [
        ("school-a", "toetsdruk"),
        ("school-b", "toetsdruk"),
        ("toetsdruk", "cijfers"),
        ("cijfers", "stress"),
        ("ouders", "cijfers"),
        ("club", "beweging"),
        ("beweging", "plezier"),
    ]
    for i, (source, target) in enumerate(pairs):
        m.add_link(f"l{i}", "INFLUENCES", source, target, sign="+", status="hypothese")
    return m


def test_sectors_group_the_elements_that_have_one_and_the_rest_by_their_links() -> None:
    m = _sociale_kaart()
    ids, links = _drawn(m)
    found = map_clusters(m, ids, links)
    by_label = {c["label"]: set(c["members"]) for c in found}
    # a sector however it is spelled; the sectors come first, by name
    assert [c["id"] for c in found[:2]] == ["sector:onderwijs", "sector:sport"]
    assert by_label["sector Onderwijs"] == {"school-a", "school-b"}
    assert by_label["sector sport"] == {"club"}
    # the rest by their communities, each named after its element with the most links,
    # largest first; toetsdruk is in the schools' community, so it is one of its own
    assert [c["label"] for c in found[2:5]] == ["rond Cijfers", "rond Beweging", "rond Toetsdruk"]
    assert by_label["rond Cijfers"] == {"ouders", "cijfers", "stress"}
    assert by_label["rond Beweging"] == {"beweging", "plezier"}
    assert by_label["rond Toetsdruk"] == {"toetsdruk"}
    # elements on no link together, last
    assert found[-1]["label"] == "zonder verbanden"
    assert set(found[-1]["members"]) == {"los", "huiswerkklas"}
    assert len(found) == 6
    english = map_clusters(m, ids, links, "en")
    assert [c["label"] for c in english][-1] == "without links"
    assert "around Cijfers" in [c["label"] for c in english]


def test_every_element_of_a_large_map_is_in_exactly_one_cluster_the_same_every_time() -> None:
    m = generated_map(1500, 4000, seed=2)
    ids, links = _drawn(m)
    first = map_clusters(m, ids, links)
    members = [node_id for c in first for node_id in c["members"]]
    assert sorted(members) == sorted(ids)  # each exactly once
    assert len({c["id"] for c in first}) == len(first)
    # the generated map has no sectors: communities of its links, a handful, not one
    assert not any(c["id"].startswith("sector:") for c in first)
    assert 5 <= len(first) <= 200
    sizes = [len(c["members"]) for c in first]
    assert sizes == sorted(sizes, reverse=True)
    # the same map, read again, gives the same clusters
    again = map_clusters(generated_map(1500, 4000, seed=2), ids, links)
    assert again == first


def test_a_map_of_very_many_links_is_divided_into_regions_of_its_layout(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    m = generated_map(1500, 4000, seed=2)
    ids, links = _drawn(m)
    monkeypatch.setattr(clusters_module, "LOUVAIN_MAX_LINKS", 100)
    monkeypatch.setattr(clusters_module, "REGION_ELEMENTS", 400)
    # four regions, one per quarter of the map
    positions = {node_id: (float(i % 2), float(i // 2 % 2)) for i, node_id in enumerate(ids)}
    found = map_clusters(m, ids, links, positions=positions)
    assert sorted(n for c in found for n in c["members"]) == sorted(ids)
    regions = [c for c in found if c["id"] != "los"]  # the elements on no link apart
    assert len(regions) == 4
    for cluster in regions:
        assert len({positions[n] for n in cluster["members"]}) == 1


def test_a_map_divided_into_regions_has_at_most_sixty_four(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    m = generated_map(1500, 4000, seed=2)
    ids, links = _drawn(m)
    monkeypatch.setattr(clusters_module, "LOUVAIN_MAX_LINKS", 100)
    monkeypatch.setattr(clusters_module, "REGION_ELEMENTS", 1)
    positions = {node_id: (float(i % 40), float(i // 40)) for i, node_id in enumerate(ids)}
    found = map_clusters(m, ids, links, positions=positions)
    regions = [c for c in found if c["id"] != "los"]
    assert 50 <= len(regions) <= clusters_module.MAX_REGIONS == 64
    assert sorted(n for c in found for n in c["members"]) == sorted(ids)


def test_the_webgl_page_carries_each_cluster_once_with_its_count_and_centre() -> None:
    m = generated_map(1100, 2500, seed=4)
    data = _payload(render_map(m, toets=None))
    assert data["config"]["renderer"] == "webgl"
    clusters, of = data["clusters"], data["clusterOf"]
    assert len(of) == len(data["nodes"]) == 1100
    assert sorted(set(of)) == list(range(len(clusters)))
    for number, cluster in enumerate(clusters):
        members = [n for n, c in zip(data["nodes"], of, strict=True) if c == number]
        assert cluster["count"] == len(members)
        assert cluster["x"] == pytest.approx(sum(n["x"] for n in members) / len(members), abs=0.01)
        assert cluster["y"] == pytest.approx(sum(n["y"] for n in members) / len(members), abs=0.01)
        assert cluster["label"].startswith(("rond ", "sector ", "zonder verbanden"))
    # a small page, drawn with vis-network, has none
    assert "clusters" not in _payload(render_map(generated_map(60, 100, seed=4), toets=None))


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_webgl_page_speaks_one_language_clusters_included(lang: str) -> None:
    from tests.test_error_language import foreign

    m = generated_map(1100, 2500, seed=4)
    data = _payload(render_map(m, lang, toets=None))
    assert data["config"]["renderer"] == "webgl"
    names = sorted((n.name for n in m.nodes()), key=len, reverse=True)
    words = [*data["strings"].values(), *(c["label"] for c in data["clusters"])]
    text = re.sub(r"\{\w+\}", " ", "\n".join(map(str, words)))  # placeholders are no words
    assert not foreign(text, lang, *names)
    assert any(
        c["label"].startswith("rond " if lang == "nl" else "around ") for c in data["clusters"]
    )
