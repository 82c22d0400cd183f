"""Clusters of a large map: the groups of elements the WebGL page collapses into one
circle each, for an overview of thousands of elements (see :mod:`views.page`).

Every element drawn belongs to exactly one cluster, chosen when the page is written:

- an element with a ``sector`` (actors of a sociale kaart) belongs to the cluster of
  its sector (``Onderwijs`` and ``onderwijs`` are one sector);
- an element on no link belongs to one cluster of the elements without links;
- every other element belongs to its community: the map's links taken without their
  direction, divided by the Louvain method (``networkx.community.louvain_communities``,
  seeded by :data:`LOUVAIN_SEED`, so the same map gives the same clusters). The
  sectors do not take part in that division: the elements with a sector are in the
  graph, so that their links still pull their neighbours together.

Louvain takes seconds on a map of ten thousand elements and minutes on one of tens
of thousands of links without any community in it, longer than the rest of writing
the page; a map of more than :data:`LOUVAIN_MAX_LINKS` links is divided into regions
of the layout instead (a grid of about :data:`REGION_ELEMENTS` elements a cell, at
most :data:`MAX_REGIONS` cells), which the force layout has already put near their
neighbours.

A community or region is named after its element with the most links: *rond
Prestatiedruk*.

>>> from graph import SystemMap
>>> m = SystemMap("k", "Kaart")
>>> m.add_node("Actor", "school", "School", actor_kind="organisatie", sector="onderwijs")
>>> m.add_node("Factor", "druk", "Druk")
>>> m.add_node("Factor", "stress", "Stress")
>>> m.add_node("Factor", "slaap", "Slaap")
>>> [c["label"] for c in map_clusters(m, m.graph.nodes, [("school", "druk"), ("druk", "stress")])]
['sector onderwijs', 'rond Druk', 'zonder verbanden']
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import networkx as nx

from graph import SystemMap
from graph.catalogue import message

__all__ = ["LOUVAIN_MAX_LINKS", "LOUVAIN_SEED", "MAX_REGIONS", "REGION_ELEMENTS", "map_clusters"]

#: The seed of the Louvain method: the same map is divided the same way every time.
LOUVAIN_SEED = 7
#: Maps with more links than this are divided into regions of the layout.
LOUVAIN_MAX_LINKS = 20_000
#: About this many elements a region, on maps divided into regions ...
REGION_ELEMENTS = 250
#: ... and at most this many regions (a grid of 8 by 8).
MAX_REGIONS = 64


def map_clusters(
    m: SystemMap,
    node_ids: Iterable[str],
    links: Iterable[tuple[str, str]],
    lang: str = "nl",
    *,
    positions: Mapping[str, tuple[float, float]] | None = None,
) -> list[dict[str, Any]]:
    """The clusters of the elements ``node_ids`` of ``m``, drawn with ``links`` (pairs
    of element ids): each a mapping with an ``id``, a ``label`` in ``lang`` and its
    ``members`` (in the order of ``node_ids``). Sectors come first (by name), then
    communities (largest first), then the elements without links.

    ``positions`` (by element id) are needed on maps divided into regions.
    """
    ids = list(node_ids)
    order = {node_id: i for i, node_id in enumerate(ids)}
    links = [(a, b) for a, b in links if a != b and a in order and b in order]
    # the links without their direction, each pair of elements once
    pairs = {(a, b) if a < b else (b, a) for a, b in links}
    degree = Counter(node_id for pair in pairs for node_id in pair)

    sectors: dict[str, list[str]] = {}
    spelled: dict[str, str] = {}
    for node_id in ids:
        sector = str(m.node(node_id).get("sector") or "").strip()
        if sector:
            key = sector.casefold()
            spelled.setdefault(key, sector)
            sectors.setdefault(key, []).append(node_id)
    in_a_sector = {node_id for members in sectors.values() for node_id in members}
    unlinked = [n for n in ids if n not in in_a_sector and not degree[n]]

    parts: Iterable[Iterable[str]]
    if len(pairs) <= LOUVAIN_MAX_LINKS:
        graph: nx.Graph[str] = nx.Graph()
        graph.add_nodes_from(ids)
        graph.add_edges_from(links)
        linked = graph.subgraph(n for n in ids if degree[n])
        parts = nx.community.louvain_communities(linked, seed=LOUVAIN_SEED)
    else:
        parts = _regions([n for n in ids if degree[n]], positions or {})
    communities = [
        sorted(members, key=order.__getitem__)
        for members in (set(part) - in_a_sector for part in parts)
        if members
    ]

    def hub(members: Sequence[str]) -> str:
        return max(members, key=lambda n: (degree[n], -order[n]))

    communities.sort(key=lambda members: (-len(members), order[hub(members)]))
    clusters = [
        {
            "id": f"sector:{key}",
            "label": message("clusters.sector", lang, sector=spelled[key]),
            "members": members,
        }
        for key, members in sorted(sectors.items())
    ]
    for members in communities:
        centre = hub(members)
        clusters.append(
            {
                "id": f"rond:{centre}",
                "label": message("clusters.around", lang, name=m.node(centre).name),
                "members": members,
            }
        )
    if unlinked:
        clusters.append(
            {"id": "los", "label": message("clusters.unlinked", lang), "members": unlinked}
        )
    return clusters


def _regions(
    node_ids: Sequence[str], positions: Mapping[str, tuple[float, float]]
) -> list[list[str]]:
    """``node_ids`` divided by a square grid over their positions, about
    :data:`REGION_ELEMENTS` elements a cell, at most :data:`MAX_REGIONS` cells."""
    if not node_ids:
        return []
    xs = [positions[n][0] for n in node_ids]
    ys = [positions[n][1] for n in node_ids]
    side = max(1, math.ceil(math.sqrt(len(node_ids) / REGION_ELEMENTS)))
    side = min(side, math.isqrt(MAX_REGIONS))
    left, top = min(xs), min(ys)
    width = (max(xs) - left) / side or 1.0
    height = (max(ys) - top) / side or 1.0
    cells: dict[tuple[int, int], list[str]] = {}
    for node_id, x, y in zip(node_ids, xs, ys, strict=True):
        column = min(side - 1, int((x - left) / width))
        row = min(side - 1, int((y - top) / height))
        cells.setdefault((row, column), []).append(node_id)
    return [cells[cell] for cell in sorted(cells)]
