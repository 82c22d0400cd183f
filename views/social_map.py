"""The sociale kaart: who works with whom, on what, and where.

A network page with the initiatives, organisations and groups, the places where
initiatives are held and the factors they work on: ``COOPERATES_WITH``, ``RUNS``,
``LOCATED_AT`` and ``ADDRESSES`` links, and the ``CAN_ADJUST`` and ``INFLUENCES``
links from actors to factors (as :func:`queries.social_map.by_factor` counts them).
Organisations and initiatives on the same factor that do not work together
(:func:`queries.social_map.missing_cooperation`) are joined by a thick dotted line
and listed beside the map: where connecting people beats starting something new.

>>> from loaders import load_map
>>> nodes, edges, legend, notes = social_map_data(load_map())
>>> sorted({n["group"] for n in nodes})
['actor', 'factor', 'initiative', 'place']
>>> notes[0]["items"]
[]
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from graph import SystemMap, schema
from graph.catalogue import LANGS, words
from graph.vocabulary import LinkKind
from queries.social_map import by_factor, missing_cooperation, unaddressed_factors
from views.map import FACET_LABELS, edge_item, kind_label, node_item, on_map, provenance
from views.page import render_network_page
from views.page_records import LegendEntry, Note, PageOptions

__all__ = ["MISSING_COLOR", "render_social_map", "social_map_data", "write_social_map"]

#: The colour of a missing cooperation: reddish purple, apart from the sign colours.
MISSING_COLOR = "#CC79A7"
SOCIAL_LINKS = (LinkKind.COOPERATES_WITH, LinkKind.RUNS, LinkKind.LOCATED_AT, LinkKind.ADDRESSES)

WORDS: dict[str, dict[str, str]] = {lang: words("social_map", lang) for lang in LANGS}


def social_map_data(
    m: SystemMap, lang: str = "nl", *, as_of_round: int | None = None
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    """Nodes, edges, legend and notes of the sociale kaart of ``m``."""
    w = WORDS[lang]
    cited = provenance(m, as_of_round)
    work = by_factor(m, as_of_round=as_of_round)
    link_ids = set(work["link"])
    for link in m.links():
        if link.kind in SOCIAL_LINKS and on_map(link.fields, as_of_round):
            link_ids.add(link.id)
    links = [m.link(i) for i in sorted(link_ids)]
    links = [
        link
        for link in links
        if on_map(m.node(link.source).fields, as_of_round)
        and on_map(m.node(link.target).fields, as_of_round)
    ]
    ids: set[str] = {end for link in links for end in (link.source, link.target)}
    for node in m.nodes():
        if not on_map(node.fields, as_of_round):
            continue
        if node.kind in ("Initiative", "Place") or node.get("actor_kind") == "organisatie":
            ids.add(node.id)
    nodes = [node_item(m, node, lang, cited) for node in m.nodes() if node.id in ids]
    weights = [float(link["weight"]) for link in links if link.get("weight") is not None]
    heaviest = max(weights, default=1.0)
    edges = [edge_item(m, link, lang, cited, heaviest=heaviest) for link in links]

    missing = missing_cooperation(m, as_of_round=as_of_round).to_dict("records")
    names = {n.id: n.name for n in m.nodes()}
    items = []
    for row in missing:
        factors = ", ".join(names[f] for f in row["factors"])
        edges.append(
            {
                "id": f"samenwerking-mist:{row['a']}:{row['b']}",
                "from": row["a"],
                "to": row["b"],
                "color": MISSING_COLOR,
                "dashes": True,
                "width": 6,
                "label": w["missing"],
                "arrows": "",
                "tooltip": w["missing_tip"].format(
                    a=row["a_name"], b=row["b_name"], factors=factors
                ),
                "facets": {"verband" if lang == "nl" else "link": w["missing"]},
            }
        )
        items.append(w["missing_item"].format(a=row["a_name"], b=row["b_name"], factors=factors))

    gaps = []
    for row in unaddressed_factors(m, as_of_round=as_of_round).to_dict("records"):
        if row["adjusted_by"]:
            who = ", ".join(names[a] for a in row["adjusted_by"])
            gaps.append(w["gaps_item"].format(name=row["name"], who=who))
        else:
            gaps.append(w["gaps_nobody"].format(name=row["name"]))
    notes = [
        {"title": w["missing_title"], "items": items, "empty": w["missing_empty"]},
        {"title": w["gaps_title"], "items": gaps, "empty": w["gaps_empty"]},
    ]

    kinds = {n["group"] for n in nodes}
    entries: list[dict[str, Any]] = [
        {"label": kind_label(kind, lang), "color": style.color, "kind": "node"}
        for kind, style in schema.NODE_STYLES.items()
        if kind.lower() in kinds
    ]
    if any(link.kind in SOCIAL_LINKS[:3] for link in links):
        entries.append({"label": w["social"], "color": "#555555", "kind": "edge"})
    if any(link.kind not in SOCIAL_LINKS[:3] for link in links):
        entries.append({"label": w["works_on"], "color": "#777777", "kind": "edge"})
    entries.append({"label": w["missing"], "color": MISSING_COLOR, "kind": "edge", "dashes": True})
    return nodes, edges, entries, notes


def render_social_map(
    m: SystemMap, lang: str = "nl", *, as_of_round: int | None = None, **options: Any
) -> str:
    """The sociale kaart as one self-contained HTML page (a network page)."""
    nodes, edges, entries, notes = social_map_data(m, lang, as_of_round=as_of_round)
    options.setdefault("facet_labels", FACET_LABELS[lang])
    title = options.pop("title", None) or f"{WORDS[lang]['title']}: {m.name}"
    page = PageOptions(
        title=title,
        legend=[LegendEntry(**entry) for entry in entries],
        lang=lang,
        notes=[Note(**note) for note in notes],
        **options,
    )
    return render_network_page(nodes, edges, page)


def write_social_map(m: SystemMap, path: str | Path, lang: str = "nl", **options: Any) -> Path:
    """Write the sociale kaart to ``path`` and return the path."""
    out = Path(path)
    from loaders.write import write_page  # only a page the tool wrote is replaced

    return write_page(out, render_social_map(m, lang, **options))
