"""A small synthetic map for the page tests: prestatiedruk among young people."""

from __future__ import annotations

from typing import Any

from views.page_records import LegendEntry

NODE_STYLE = {
    "factor": {"color": "#8fb3d1", "shape": "dot"},
    "actor": {"color": "#e3b873", "shape": "box"},
    "uitkomst": {"color": "#d98c7a", "shape": "dot"},
}

EDGE_STYLE = {
    "getoetst": {"color": "#4a6b82", "dashes": False},
    "hypothese": {"color": "#9a9a9a", "dashes": True},
}

SAMPLE_NODES = [
    # id, label, kind, niveau, ronde
    ("prestatiedruk", "Prestatiedruk", "uitkomst", "persoon", "1"),
    ("stress", "Stress", "uitkomst", "persoon", "1"),
    ("burn-out", "Burn-out", "uitkomst", "persoon", "1"),
    ("individualisme", "Individualisme", "factor", "samenleving", "1"),
    ("schoolsysteem", "Het schoolsysteem", "factor", "organisatie", "1"),
    ("imago-vmbo", "Imago van het vmbo", "factor", "samenleving", "1"),
    ("verwachtingen-ouders", "Verwachtingen van ouders", "factor", "omgeving", "1"),
    ("sociale-media", "Vergelijken op sociale media", "factor", "omgeving", "2"),
    ("toetsdruk", "Toetsen en cijfers", "factor", "organisatie", "2"),
    ("vrije-tijd", "Weinig vrije tijd", "factor", "persoon", "2"),
    ("slaap", "Te weinig slaap", "factor", "persoon", "2"),
    ("steun-vrienden", "Steun van vrienden", "factor", "omgeving", "2"),
    ("jongeren", "Jongeren", "actor", "persoon", "1"),
    ("ouders", "Ouders", "actor", "omgeving", "1"),
    ("scholen", "Scholen", "actor", "organisatie", "1"),
    ("vmbo", "VMBO", "actor", "organisatie", "1"),
    ("jongerenwerk", "Jongerenwerk", "actor", "organisatie", "2"),
    ("huisarts", "Huisarts", "actor", "organisatie", "2"),
]

SAMPLE_EDGES = [
    # from, to, status, label
    ("individualisme", "prestatiedruk", "hypothese", "+"),
    ("schoolsysteem", "prestatiedruk", "hypothese", "+"),
    ("imago-vmbo", "prestatiedruk", "hypothese", "+"),
    ("verwachtingen-ouders", "prestatiedruk", "getoetst", "+"),
    ("sociale-media", "prestatiedruk", "hypothese", "+"),
    ("toetsdruk", "prestatiedruk", "getoetst", "+"),
    ("prestatiedruk", "stress", "getoetst", "+"),
    ("stress", "burn-out", "hypothese", "+"),
    ("stress", "slaap", "hypothese", "+"),
    ("slaap", "stress", "hypothese", "+"),
    ("vrije-tijd", "stress", "hypothese", "−"),
    ("steun-vrienden", "stress", "hypothese", "−"),
    ("ouders", "verwachtingen-ouders", "getoetst", ""),
    ("scholen", "toetsdruk", "getoetst", ""),
    ("scholen", "schoolsysteem", "hypothese", ""),
    ("vmbo", "imago-vmbo", "hypothese", ""),
    ("jongeren", "sociale-media", "hypothese", ""),
    ("jongerenwerk", "steun-vrienden", "hypothese", ""),
    ("huisarts", "burn-out", "hypothese", ""),
    ("toetsdruk", "vrije-tijd", "hypothese", "−"),
    ("jongeren", "prestatiedruk", "hypothese", ""),
]

SAMPLE_LEGEND = [
    LegendEntry("Factor", NODE_STYLE["factor"]["color"], "node"),
    LegendEntry("Actor", NODE_STYLE["actor"]["color"], "node"),
    LegendEntry("Uitkomst", NODE_STYLE["uitkomst"]["color"], "node"),
    LegendEntry("Getoetst verband", EDGE_STYLE["getoetst"]["color"], "edge"),
    LegendEntry("Nog niet getoetst", EDGE_STYLE["hypothese"]["color"], "edge", dashes=True),
]


def sample_graph() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """A small synthetic map (18 nodes, 21 edges) with all the page's fields."""
    nodes = []
    for node_id, label, kind, niveau, ronde in SAMPLE_NODES:
        style = NODE_STYLE[kind]
        nodes.append(
            {
                "id": node_id,
                "label": label,
                "group": kind,
                "color": style["color"],
                "shape": style["shape"],
                "size": 22 if kind == "uitkomst" else 16,
                "tooltip": f"{label}\nSoort: {kind}\nGenoemd in ronde {ronde}",
                "facets": {"soort": kind, "niveau": niveau, "ronde": ronde},
            }
        )
    edges = []
    for index, (source, target, status, label) in enumerate(SAMPLE_EDGES):
        style = EDGE_STYLE[status]
        edges.append(
            {
                "id": f"r{index}",
                "from": source,
                "to": target,
                "color": style["color"],
                "dashes": style["dashes"],
                "width": 3 if status == "getoetst" else 2,
                "label": label,
                "tooltip": f"{source} beïnvloedt {target}\nStatus: {status}",
                "arrows": "to" if label or status == "getoetst" else "",
                "facets": {"status": status},
            }
        )
    return nodes, edges
