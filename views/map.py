"""The system map as an interactive, offline HTML page.

Turns a SystemMap into the plain nodes, edges and legend of
:func:`views.page.render_network_page`: colour by node kind, links coloured by sign,
dashed while untested, thicker with weight; tooltips with sources and quotes, as text.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any

from graph import Link, Node, SystemMap, schema
from views.page import render_network_page

#: Words the map shows, per language.
WORDS: dict[str, dict[str, str]] = {
    "nl": {
        "kind": "soort",
        "level": "niveau",
        "role": "rol",
        "round": "ronde",
        "status": "status",
        "group": "groep",
        "sources": "Bronnen",
        "origin": "Herkomst",
        "note": "Toelichting",
        "quotes": "Citaten",
        "untested": "gestippeld: nog niet getoetst",
        "about": "gaat over / gezegd in",
        "link": "relatie",
        "title": "Systeemkaart",
    },
    "en": {
        "kind": "kind",
        "level": "level",
        "role": "role",
        "round": "round",
        "status": "status",
        "group": "group",
        "sources": "Sources",
        "origin": "Origin",
        "note": "Note",
        "quotes": "Quotes",
        "untested": "dashed: not yet tested",
        "about": "about / said in",
        "link": "link",
        "title": "System map",
    },
}

#: The kinds a facilitator sees large: the system itself. The rest is provenance.
SYSTEM_KINDS = ("Actor", "Factor", "Initiative", "Place")


def kind_label(kind: str, lang: str) -> str:
    style = schema.NODE_STYLES[kind]
    return style.label_nl if lang == "nl" else style.label_en


def link_label(link: Link, lang: str) -> str:
    kind = schema.LINK_KINDS[link.kind]
    if link.kind == "INFLUENCES":
        labels = schema.SIGN_LABELS_NL if lang == "nl" else schema.SIGN_LABELS_EN
        return labels[link.get("sign")]
    return kind.value if lang == "nl" else kind.label_en


def _quotes_by_subject(m: SystemMap) -> dict[str, list[Node]]:
    out: dict[str, list[Node]] = defaultdict(list)
    for quote in m.quotes():
        for subject in quote.get("about", ()):
            out[subject].append(quote)
    return out


def _provenance_lines(m: SystemMap, item: Node | Link, quotes: list[Node], w: dict[str, str]) -> list[str]:
    lines = []
    if item.get("origin"):
        lines.append(f"{w['origin']}: {item['origin']}")
    if item.get("note"):
        lines.append(f"{w['note']}: {item['note']}")
    sources = [m.node(s).name for s in item.get("sources", ()) if s in m]
    if sources:
        lines.append(f"{w['sources']}: " + "; ".join(sources))
    for quote in quotes:
        said = f", {m.node(quote['session']).name}" if quote.get("session") in m else ""
        lines.append(f"{w['quotes']}: «{quote.name}» ({quote['group']}{said})")
    return lines


def map_data(m: SystemMap, lang: str = "nl") -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    """The nodes, edges and legend of the map of ``m`` in ``lang`` (``nl`` or ``en``)."""
    w = WORDS[lang]
    quotes = _quotes_by_subject(m)
    nodes = []
    for node in m.nodes():
        style = schema.NODE_STYLES[node.kind]
        header = f"{node.name}\n{kind_label(node.kind, lang)}"
        details = [f"{w[k]}: {node[f]}" for k, f in (("level", "level"), ("role", "role"), ("group", "group")) if node.get(f)]
        facets = {w["kind"]: kind_label(node.kind, lang)}
        for key, field in (("level", "level"), ("role", "role"), ("group", "group")):
            if node.get(field):
                facets[w[key]] = str(node[field])
        facets[w["round"]] = str(node.get("round_in") or 1)
        nodes.append(
            {
                "id": node.id,
                "label": _short(node.name, 60 if node.kind == "Quote" else 40),
                "group": node.kind.lower(),
                "color": style.color,
                "shape": style.shape,
                "size": 22 if node.kind in SYSTEM_KINDS else 12,
                "tooltip": "\n".join([header, *details, *_provenance_lines(m, node, quotes[node.id], w)]),
                "facets": facets,
            }
        )
    edges = []
    for link in m.links(derived=True):
        source, target = m.node(link.source).name, m.node(link.target).name
        label = link_label(link, lang)
        if link.derived:
            edges.append(
                {
                    "id": link.id,
                    "from": link.source,
                    "to": link.target,
                    "color": "#BBBBBB",
                    "dashes": True,
                    "width": 1,
                    "label": "",
                    "arrows": "to",
                    "tooltip": f"{source} → {label} → {target}",
                    "facets": {w["kind"]: w["about"]},
                }
            )
            continue
        status = link.get("status") or "hypothese"
        color = schema.SIGN_COLORS[link.get("sign")] if link.kind == "INFLUENCES" else "#555555"
        edges.append(
            {
                "id": link.id,
                "from": link.source,
                "to": link.target,
                "color": color,
                "dashes": status == "hypothese",
                "width": 2 + 2 * min(float(link.get("weight") or 1), 4),
                "label": label if link.kind != "INFLUENCES" else ("+" if link.get("sign") == "+" else "-" if link.get("sign") == "-" else "?"),
                "arrows": "" if link.kind == "COOPERATES_WITH" else "to",
                "tooltip": "\n".join(
                    [
                        f"{source} → {label} → {target}",
                        f"{w['status']}: {status}",
                        *_provenance_lines(m, link, quotes[link.id], w),
                    ]
                ),
                "facets": {
                    w["kind"]: w["link"],
                    w["status"]: status,
                    w["round"]: str(link.get("round_in") or 1),
                },
            }
        )
    return nodes, edges, legend(m, lang)


def legend(m: SystemMap, lang: str = "nl") -> list[dict[str, Any]]:
    """Legend entries for the node kinds and link signs present in ``m``."""
    present = {n.kind for n in m.nodes()}
    entries: list[dict[str, Any]] = [
        {"label": kind_label(kind, lang), "color": style.color, "kind": "node", "dashes": False}
        for kind, style in schema.NODE_STYLES.items()
        if kind in present
    ]
    labels = schema.SIGN_LABELS_NL if lang == "nl" else schema.SIGN_LABELS_EN
    signs = {link.get("sign") for link in m.links("INFLUENCES")}
    for sign in ("+", "-", None):
        if sign in signs:
            entries.append({"label": labels[sign], "color": schema.SIGN_COLORS[sign], "kind": "edge", "dashes": False})
    if any(link.kind != "INFLUENCES" for link in m.links()):
        entries.append({"label": "samenwerking, uitvoering, plek" if lang == "nl" else "cooperation, runs, place",
                        "color": "#555555", "kind": "edge", "dashes": False})
    if any((link.get("status") or "hypothese") == "hypothese" for link in m.links()):
        entries.append({"label": WORDS[lang]["untested"], "color": "#777777", "kind": "edge", "dashes": True})
    return entries


def render_map(m: SystemMap, lang: str = "nl", **options: Any) -> str:
    """The map of ``m`` as one self-contained HTML page."""
    nodes, edges, entries = map_data(m, lang)
    return render_network_page(nodes, edges, title=m.name, legend=entries, lang=lang, **options)


def write_map(m: SystemMap, path: str | Path, lang: str = "nl", **options: Any) -> Path:
    """Write the map of ``m`` to ``path`` and return the path."""
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(render_map(m, lang, **options), encoding="utf-8")
    return out


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
