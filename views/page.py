"""Self-contained, offline HTML page for an interactive network map.

The page is meant for a projector in a room without internet, in front of
people who have never seen a network graph. Everything it needs is inside the
one HTML file: vis-network (taken from the installed pyvis package), the page's
own CSS and JavaScript, and the graph data as JSON.

pyvis builds the vis-network node, edge and option structures; the page uses
its own template (``templates/network_page.html.j2``) rather than pyvis's stock
one, which links assets from a CDN.

All text that comes from the data (labels, tooltips, titles, facet values) is
treated as plain text: it travels as escaped JSON and the page puts it into the
DOM with ``textContent`` only (tooltips: vis-network's ``innerText``).

The page takes the map's nodes and links as plain mappings and everything else as
one :class:`views.page_records.PageOptions` record; :func:`network_page_data` makes
the page's data from them once, and :func:`render_network_page` serialises it once
into the page.

The data is compact, because a map of thousands of nodes and links must open in
seconds: a value most nodes (or edges) share is written once as a default, and
facet sets and tooltip lines once each in a table (see :func:`_compact_items`).
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
import pyvis
from pyvis.network import Network

from graph.building import without_cycle_collection
from graph.catalogue import LANGS, words
from graph.errors import PageDataError, said
from views.layout import label_box, layout_positions
from views.page_records import (
    DEFAULT_MAX_DRAWN_NODES,
    Cluster,
    PageOptions,
    Step,
    _dashes,
    _number,
    _text,
    _what,
    check_renderer,
)

__all__ = [
    "DEFAULT_MAX_DRAWN_NODES",
    "UI_STRINGS",
    "WEBGL_MIN_NODES",
    "uses_webgl",
    "load_positions",
    "network_page_data",
    "render_network_page",
    "vis_network_assets",
    "without_cycle_collection",
    "write_network_page",
]

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"
PAGE_TEMPLATE = "network_page.html.j2"
VIS_VERSION = "9.1.2"

#: Above this many nodes the page draws with WebGL (sigma.js), every node at once,
#: at positions computed in Python; up to it with vis-network. Measured with
#: benchmarks/views.py: vis-network needs some 2.5 s to draw 1,000 nodes and twice
#: that for 2,000, WebGL draws 10,000 in about as long as vis-network 1,000.
WEBGL_MIN_NODES = 1000
#: The WebGL renderer, bundled into one file (see the README, "Grote kaarten").
SIGMA_BUNDLE = "sigma-bundle.min.js"

#: Visible text of the page, per language. ``{name}`` marks a value filled in
#: by the page script.
UI_STRINGS: dict[str, dict[str, str]] = {lang: words("page", lang) for lang in LANGS}

_FONT_FACE = "DejaVu Sans, Verdana, Arial, sans-serif"

#: Force-directed layout (pyvis ``force_atlas_2based`` arguments): compact
#: enough that a fitted map shows readable labels, with room for wrapped names.
LAYOUT_PHYSICS: dict[str, float] = {
    "gravity": -90,
    "central_gravity": 0.02,
    "spring_length": 140,
    "spring_strength": 0.06,
    "damping": 0.5,
    "overlap": 0.8,
}
MASS_PER_LABEL_CHARS = 30
#: Maps with more links than this draw them straight, not curved, without
#: labels on the links (the tooltips still say what each link is), and hide
#: the links while the view is dragged or zoomed.
CURVED_EDGES_MAX = 2000
#: Type of node labels in projector mode, in map units, and the width at which they
#: wrap: the label boxes the Python layout keeps apart (see
#: :func:`views.layout.label_box`), so that labels do not overlap.
PROJECTOR_FONT_SIZE = 22
PROJECTOR_LABEL_WIDTH = 230
#: In projector mode node labels are at least this many pixels high on the screen.
PROJECTOR_MIN_PIXELS = 18.5
#: Dashes (links not yet tested) are at least this long on the screen at any zoom.
MIN_DASH_PIXELS = 10
#: Fields that the page may write once for all nodes (edges) that share a value.
NODE_DEFAULT_FIELDS = ("color", "shape", "size", "kind", "borderWidth")
EDGE_DEFAULT_FIELDS = (
    "color",
    "dashes",
    "width",
    "label",
    "arrows",
    "projectorLabel",
    "sign",
    "route",
)
#: Paths found in the page are at most this many links long, and at most this many
#: are listed.
PATH_MAX_LINKS = 6
PATH_MAX_LISTED = 12

Position = tuple[float, float]


# --------------------------------------------------------------------------- assets


def uses_webgl(node_count: int, renderer: str = "auto") -> bool:
    """Whether a page of ``node_count`` nodes draws with WebGL: ``renderer`` is
    ``"webgl"``, or ``"auto"`` and the map has more than :data:`WEBGL_MIN_NODES`."""
    check_renderer(renderer)
    return renderer == "webgl" or (renderer == "auto" and node_count > WEBGL_MIN_NODES)


def _vis_dir() -> Path:
    return Path(pyvis.__file__).resolve().parent / "lib" / f"vis-{VIS_VERSION}"


@lru_cache(maxsize=1)
def vis_network_assets() -> tuple[str, str]:
    """Return (javascript, css) of the vis-network build shipped inside pyvis.

    The trailing source-map comment is removed (it names a file that is not
    there); the licence header is kept as it is.
    """
    base = _vis_dir()
    js = (base / "vis-network.min.js").read_text(encoding="utf-8")
    css = (base / "vis-network.css").read_text(encoding="utf-8")
    js = re.sub(r"\n?//# sourceMappingURL=\S*\s*$", "\n", js)
    css = re.sub(r"/\*# sourceMappingURL=.*?\*/", "", css)
    return js, css


@lru_cache(maxsize=8)
def _template_text(name: str) -> str:
    return (TEMPLATE_DIR / name).read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATE_DIR)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )


def _inline_script(code: str) -> str:
    """Make JavaScript safe to place between <script> and </script>."""
    code = re.sub(r"</(script)", r"<\\/\1", code, flags=re.IGNORECASE)
    return code.replace("<!--", "<\\!--")


def _inline_style(css: str) -> str:
    if re.search(r"</style", css, flags=re.IGNORECASE):
        raise PageDataError(said("page_data.style_end"))
    return css


def _csp_hash(code: str) -> str:
    digest = hashlib.sha256(code.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def json_for_script(value: Any) -> str:
    """Serialise ``value`` as JSON that can sit inside a <script> element.

    ``<``, ``>`` and ``&`` (and the two JavaScript line separators) are written
    as \\u escapes, so text such as ``</script>`` or ``<!--`` in the data cannot
    end the element early. ``JSON.parse`` reads the escapes back unchanged.
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return (
        text.replace("&", "\\u0026")
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


# --------------------------------------------------------------------------- positions


def _as_position(value: Any, node_id: str) -> Position:
    x: Any
    y: Any
    if isinstance(value, Mapping):
        x, y = value.get("x"), value.get("y")
    elif isinstance(value, Sequence) and not isinstance(value, str) and len(value) == 2:
        x, y = value
    else:
        raise PageDataError(said("positions.form", node=repr(node_id)))
    try:
        fx, fy = float(x), float(y)
    except (TypeError, ValueError):
        raise PageDataError(
            said("positions.not_numeric", node=repr(node_id), value=repr(value))
        ) from None
    if not (math.isfinite(fx) and math.isfinite(fy)):
        raise PageDataError(
            said("positions.not_finite_value", node=repr(node_id), value=repr(value))
        )
    return fx, fy


def load_positions(source: str | Path | Mapping[str, Any]) -> dict[str, Position]:
    """Read positions as saved by the page's "Posities opslaan" button.

    Accepts a path to the JSON file or the already parsed mapping. The file
    maps node id to ``{"x": .., "y": ..}``; a wrapper ``{"positions": {...}}``
    is accepted too.
    """
    if isinstance(source, Mapping):
        data: Any = source
    elif isinstance(source, (str, Path)):
        data = json.loads(Path(source).read_text(encoding="utf-8"))
    else:
        raise PageDataError(said("page_data.positions_source"))
    if isinstance(data, Mapping) and isinstance(data.get("positions"), Mapping):
        data = data["positions"]
    if not isinstance(data, Mapping):
        raise PageDataError(said("positions.not_object", shape="{x, y}"))
    return {str(k): _as_position(v, str(k)) for k, v in data.items()}


# --------------------------------------------------------------------------- helpers


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:60].strip("-") or "kaart"


def _facets(value: Any, what: str, item_id: str | None = None) -> dict[str, str | list[str]]:
    """Facet values of a node or edge: text, or a list of texts when it has several
    (a link reviewed by two groups). An empty list counts as no value."""
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise PageDataError(said("page_data.facets", what=_what(what, item_id)))
    out: dict[str, str | list[str]] = {}
    for k, v in value.items():
        if type(v) is str:  # the usual case, first
            out[k if type(k) is str else str(k)] = v
        elif isinstance(v, (list, tuple, set, frozenset)):
            values = sorted({_text(x) for x in v if x is not None}, key=_facet_sort_key)
            if values:
                out[str(k)] = values
        elif v is not None:
            out[str(k)] = _text(v)
    return out


def _facet_sort_key(value: str) -> tuple[int, float, str]:
    try:
        return (0, float(value), value)
    except ValueError:
        return (1, 0.0, value.casefold())


def _facet_groups(
    nodes: Iterable[Mapping[str, Any]],
    edges: Iterable[Mapping[str, Any]],
    labels: Mapping[str, str],
    strings: Mapping[str, str],
) -> list[dict[str, Any]]:
    """Filter groups: one per facet name, in order of first appearance."""
    order: dict[str, dict[str, int]] = {}
    on_nodes: set[str] = set()
    for kind, items in (("node", nodes), ("edge", edges)):
        # items share a few sets of facets: each set is counted once, times its items
        sets: dict[tuple[tuple[str, Any], ...], int] = {}
        for item in items:
            facet_set = tuple(item["facets"].items())
            try:
                sets[facet_set] = sets.get(facet_set, 0) + 1
            except TypeError:  # a facet with several values, a list
                facet_set = tuple((k, tuple(v) if isinstance(v, list) else v) for k, v in facet_set)
                sets[facet_set] = sets.get(facet_set, 0) + 1
        for facet_set, times in sets.items():
            for key, values in facet_set:
                counts = order.setdefault(key, {})
                for value in values if isinstance(values, tuple) else [values]:
                    counts[value] = counts.get(value, 0) + times
                if kind == "node":
                    on_nodes.add(key)
    groups = []
    for key, counts in order.items():
        values = sorted(counts, key=_facet_sort_key)
        label = labels.get(key)
        if label is None:
            label = key[:1].upper() + key[1:].replace("_", " ")
            if key not in on_nodes:
                label = strings["facet_edges"].format(label=label)
        groups.append(
            {
                "key": key,
                "label": label,
                "values": values,
                "counts": [counts[v] for v in values],
            }
        )
    return groups


class _IdList(list):
    """A list of node ids with constant-time membership tests.

    pyvis checks ``id in network.node_ids`` for every node and edge it adds;
    with a plain list that makes building large maps quadratic.
    """

    def __init__(self) -> None:
        super().__init__()
        self._members: set[Any] = set()

    def append(self, item: Any) -> None:
        super().append(item)
        self._members.add(item)

    def __contains__(self, item: object) -> bool:
        return item in self._members


def _build_network(
    nodes: Sequence[Mapping[str, Any]],
    edges: Sequence[Mapping[str, Any]],
    positions: Mapping[str, Position],
) -> tuple[Network, list[dict[str, Any]]]:
    net = Network(directed=True, height="100%", width="100%", bgcolor="#ffffff")
    net.node_ids = _IdList()

    for index, node in enumerate(nodes):
        if not isinstance(node, Mapping):
            raise PageDataError(said("page_data.node_not_mapping", index=index))
        node_id = node.get("id")
        if not isinstance(node_id, str) or not node_id:
            raise PageDataError(said("page_data.node_without_id", index=index))
        if node_id in net.node_ids:
            raise PageDataError(said("page_data.duplicate_node", id=repr(node_id)))
        extra: dict[str, Any] = {
            "size": _number(node.get("size"), "size of node", 16.0, node_id),
            "tooltip": _text(node.get("tooltip")),
            "facets": _facets(node.get("facets"), "node", node_id),
            "kind": _text(node.get("group")),
        }
        if node_id in positions:
            extra["x"], extra["y"] = positions[node_id]
        elif node.get("x") is not None and node.get("y") is not None:
            extra["x"], extra["y"] = _as_position((node["x"], node["y"]), node_id)
        label = _text(node.get("label")) or node_id
        # Long labels push their neighbours a little further away.
        extra["mass"] = round(1 + min(len(label), 60) / MASS_PER_LABEL_CHARS, 2)
        color: str | dict[str, Any] = _text(node.get("color")) or "#8aa8c8"
        border = _text(node.get("border"))
        if border:
            # A border in its own colour marks a node (new, changed, chosen).
            pair = {"background": color, "border": border}
            color = {**pair, "highlight": dict(pair), "hover": dict(pair)}
        if node.get("border_width") is not None:
            extra["borderWidth"] = _number(
                node.get("border_width"), "border width of node", 2.0, node_id
            )
        if node.get("border_dashes"):
            extra["shapeProperties"] = {"borderDashes": [6, 4]}
        # as pyvis's add_node makes it, without its checks per node (done above)
        item = {"color": color, **extra, "id": node_id, "label": label}
        item["shape"] = _text(node.get("shape")) or "dot"
        net.nodes.append(item)
        net.node_ids.append(node_id)
        net.node_map[node_id] = item

    edge_ids: set[str] = set()
    edge_info: list[dict[str, Any]] = []
    for index, edge in enumerate(edges):
        if not isinstance(edge, Mapping):
            raise PageDataError(said("page_data.edge_not_mapping", index=index))
        source, target = edge.get("from"), edge.get("to")
        for end in (source, target):
            if end not in net.node_map:  # every node above, by id
                raise PageDataError(said("page_data.edge_unknown_node", index=index, end=repr(end)))
        edge_id = _text(edge.get("id")) or f"e{index}"
        if edge_id in edge_ids:
            raise PageDataError(said("page_data.duplicate_edge", id=repr(edge_id)))
        edge_ids.add(edge_id)
        arrows = _text(edge.get("arrows"))
        if arrows not in ("", "to"):
            raise PageDataError(said("page_data.arrows", id=repr(edge_id)))
        # as pyvis's add_edge makes it, without its checks per edge (done above)
        item = {
            "id": edge_id,
            "color": _text(edge.get("color")) or "#7a7a7a",
            "dashes": _dashes(edge.get("dashes", False), "dashes of edge", edge_id),
            "width": _number(edge.get("width"), "width of edge", 2.0, edge_id),
            "label": _text(edge.get("label")),
            "arrows": arrows,
            "tooltip": _text(edge.get("tooltip")),
            "facets": _facets(edge.get("facets"), "edge", edge_id),
            "from": source,
            "to": target,
        }
        if edge.get("projector_label") is not None:
            item["projectorLabel"] = _text(edge["projector_label"])
        shadow = edge.get("shadow")
        if isinstance(shadow, Mapping) and shadow.get("enabled"):
            # a halo around the line (a link that divides the groups): its colour
            item["halo"] = _text(shadow.get("color")) or "#E69F00"
        # What the paths panel needs: the sign, and whether a path may follow it.
        item["sign"] = _text(edge.get("sign"))
        item["route"] = bool(edge.get("route", True)) and arrows == "to"
        net.edges.append(item)
        edge_info.append(item)
    return net, edge_info


def _vis_options(
    net: Network,
    *,
    seed: int,
    node_count: int,
    iterations: int,
    label_width: int,
    font_size: int,
    edge_font_size: int,
) -> dict[str, Any]:
    net.force_atlas_2based(**LAYOUT_PHYSICS)
    net.options.physics.stabilization.iterations = iterations
    net.options.physics.stabilization.updateInterval = 50
    net.options.physics.stabilization.fit = True
    options: dict[str, Any] = json.loads(net.options.to_json())
    options["physics"]["minVelocity"] = 0.75
    # Coarser Barnes-Hut approximation: about twice as fast, same picture.
    options["physics"]["forceAtlas2Based"]["theta"] = 0.9
    options["layout"] = {"randomSeed": seed, "improvedLayout": node_count <= 150}
    options["nodes"] = {
        "borderWidth": 2,
        "font": {
            "size": font_size,
            "face": _FONT_FACE,
            "color": "#1b1b1b",
            "strokeWidth": 4,
            "strokeColor": "#ffffff",
            "multi": False,
        },
        "widthConstraint": {"maximum": label_width},
        "shapeProperties": {"interpolation": False},
    }
    options["edges"] = {
        "color": {"inherit": False},
        # Curved links read better; straight ones draw much faster on big maps.
        "smooth": {
            "enabled": len(net.edges) <= CURVED_EDGES_MAX,
            "type": "curvedCW",
            "roundness": 0.12,
        },
        "arrows": {"to": {"scaleFactor": 0.8}},
        "font": {
            "size": edge_font_size,
            "face": _FONT_FACE,
            "color": "#333333",
            "strokeWidth": 4,
            "strokeColor": "#ffffff",
            "align": "horizontal",
            "multi": False,
        },
        "selectionWidth": 2,
        "hoverWidth": 1,
    }
    options["interaction"].update(
        {
            "hover": True,
            "tooltipDelay": 200,
            "navigationButtons": False,
            "keyboard": False,
            "multiselect": False,
            "selectConnectedEdges": True,
            # Redrawing thousands of links on every mouse move makes dragging
            # and zooming stutter; they come back when the movement stops.
            "hideEdgesOnDrag": len(net.edges) > CURVED_EDGES_MAX,
            "hideEdgesOnZoom": len(net.edges) > CURVED_EDGES_MAX,
        }
    )
    return options


def _lay_out(
    node_items: list[dict[str, Any]], edge_items: list[dict[str, Any]], *, seed: int
) -> None:
    """Give every node without a position one from :func:`layout_positions`."""
    known = {n["id"]: (n["x"], n["y"]) for n in node_items if "x" in n and "y" in n}
    if len(known) == len(node_items):
        return
    sizes = {
        n["id"]: label_box(
            n["label"],
            shape=n["shape"],
            node_size=n["size"],
            font_size=PROJECTOR_FONT_SIZE,
            max_width=PROJECTOR_LABEL_WIDTH,
        )
        for n in node_items
    }
    placed = layout_positions(
        [n["id"] for n in node_items],
        [(e["from"], e["to"]) for e in edge_items],
        sizes=sizes,
        fixed=known,
        seed=seed,
    )
    for n in node_items:
        n["x"], n["y"] = placed[n["id"]]


def default_iterations(node_count: int) -> int:
    """Layout iterations for a map of this size.

    vis-network's solver costs about n log n per iteration; large maps get
    fewer iterations so the page is ready within seconds. Save the positions
    of a large map once and later renders skip the layout altogether.
    """
    return max(150, min(600, round(600 * 200 / max(node_count, 1))))


# --------------------------------------------------------------------------- page


@without_cycle_collection
def network_page_data(
    nodes: Sequence[Mapping[str, Any]],
    edges: Sequence[Mapping[str, Any]],
    options: PageOptions,
) -> dict[str, Any]:
    """The data a network page carries, made once from its nodes, links and options.

    Parameters
    ----------
    nodes, edges : sequence of mapping
        The map's nodes and links as plain mappings (see :func:`render_network_page`).
    options : PageOptions
        Everything else the page carries.

    Returns
    -------
    dict
        What the page script reads, ready for :func:`json_for_script`: the nodes and
        links packed (see :func:`_compact_items`), the vis-network options, the
        legend, filters, notes, loops, steps and clusters, and the page's
        ``config`` (its ``renderer`` among them, ``"vis"`` or ``"webgl"``).

    Raises
    ------
    PageDataError
        A node, link or position the page cannot carry, or a loop, step or start
        focus that names a node or link not on the page.

    Examples
    --------
    >>> from views.page_records import Note
    >>> data = network_page_data(
    ...     [{"id": "a", "label": "A"}, {"id": "b", "label": "B"}],
    ...     [{"id": "ab", "from": "a", "to": "b", "arrows": "to"}],
    ...     PageOptions("Kaart", notes=[Note("Let op", ["A werkt op B"])]),
    ... )
    >>> [n["id"] for n in data["nodes"]], data["notes"], data["config"]["renderer"]
    (['a', 'b'], [{'title': 'Let op', 'items': ['A werkt op B'], 'empty': ''}], 'vis')
    """
    strings = UI_STRINGS[options.lang]
    webgl = uses_webgl(len(nodes), options.renderer)
    seed = int(options.seed)

    fixed = {} if options.positions is None else load_positions(options.positions)
    net, edge_items = _build_network(nodes, edges, fixed)
    node_items = net.nodes
    if (options.layout == "python" and 0 < len(node_items) <= options.max_drawn_nodes) or webgl:
        _lay_out(node_items, edge_items, seed=seed)
    all_positioned = bool(node_items) and all("x" in n and "y" in n for n in node_items)

    font_size, projector_font_size = 18, PROJECTOR_FONT_SIZE
    label_width = 190
    vis_options = _vis_options(
        net,
        seed=seed,
        node_count=len(node_items),
        iterations=(
            int(options.stabilization_iterations)
            if options.stabilization_iterations is not None
            else default_iterations(len(node_items))
        ),
        label_width=label_width,
        font_size=font_size,
        edge_font_size=14,
    )
    vis_options["physics"]["enabled"] = not all_positioned

    for n in node_items:
        if "x" in n:
            n.pop("mass", None)  # only a layout in the page uses it
    if len(edge_items) > CURVED_EDGES_MAX:
        for e in edge_items:
            e["label"] = ""

    node_set = set(net.node_ids)
    edge_set = {e["id"] for e in edge_items}
    loop_items = None
    if options.loops is not None:
        loop_items = []
        for loop in options.loops:
            if not set(loop.nodes) <= node_set or not set(loop.edges) <= edge_set:
                raise PageDataError(said("page_data.loop_unknown", label=repr(loop.label)))
            loop_items.append(loop.data())

    step_items = [_step_item(step, node_set, edge_set) for step in options.steps]
    start_focus = options.start_focus
    if start_focus is not None and start_focus not in node_set:
        raise PageDataError(said("page_data.start_focus", value=repr(start_focus)))

    data = {
        "title": options.title,
        "steps": step_items,
        "loops": loop_items,
        "paths": bool(options.paths),
        "lang": options.lang,
        "strings": strings,
        **_compact_payload(node_items, edge_items),
        "options": vis_options,
        "legend": [entry.data() for entry in options.legend],
        "facets": _facet_groups(node_items, edge_items, options.facet_labels or {}, strings),
        "notes": [note.data() for note in options.notes],
        "config": {
            "maxDrawnNodes": int(options.max_drawn_nodes),
            "allPositioned": all_positioned,
            "projector": bool(options.projector),
            "fontSize": font_size,
            "projectorFontSize": projector_font_size,
            "edgeFontSize": 14,
            "projectorEdgeFontSize": 20,
            "labelWidth": label_width,
            "projectorLabelWidth": PROJECTOR_LABEL_WIDTH,
            "projectorMinPixels": PROJECTOR_MIN_PIXELS,
            "projectorKinds": [_text(k) for k in options.projector_kinds],
            "fileStem": _slug(options.title),
            "fadedOpacity": 0.15,
            "minDashPixels": MIN_DASH_PIXELS,
            "pathMaxLinks": PATH_MAX_LINKS,
            "startFocus": start_focus,
            "stepSheet": options.step_sheet.data() if options.step_sheet else None,
            "pathMaxListed": PATH_MAX_LISTED,
            "renderer": "webgl" if webgl else "vis",
        },
    }
    if webgl and options.clusters is not None:
        data.update(_cluster_payload(options.clusters, node_items))
    return data


@without_cycle_collection
def render_network_page(
    nodes: Sequence[Mapping[str, Any]],
    edges: Sequence[Mapping[str, Any]],
    options: PageOptions,
) -> str:
    """Render a network map as one self-contained, offline HTML page.

    Parameters
    ----------
    nodes, edges : sequence of mapping
        The map's nodes and links, plain dicts (see the module tests for the
        fields). ``tooltip`` and ``label`` values are plain text, never HTML.
    options : PageOptions
        The page's title, language, legend and the rest (see
        :class:`views.page_records.PageOptions`).

    Returns
    -------
    str
        The page; its data is :func:`network_page_data`, serialised once.

    Notes
    -----
    Positions (``options.positions``, or ``x``/``y`` on the nodes) fix where nodes
    are. When every node has a position the page draws them as given with physics
    off; otherwise it runs a seeded, deterministic stabilisation (``seed``;
    ``stabilization_iterations``, by default fewer for large maps, see
    :func:`default_iterations`) for the rest and then switches physics off, so the
    same input always gives the same map.

    Above ``max_drawn_nodes`` nodes the page draws nothing at first and asks
    for a search or filter choice, then draws only that part.

    ``layout="python"`` (the default) computes the positions of the nodes that
    have none with :func:`views.layout.layout_positions`, seeded by ``seed``,
    so the page opens at once with physics off; nodes without links go on a
    shelf below the rest. ``layout="browser"`` lets vis-network lay the map out
    in the page instead. Maps above ``max_drawn_nodes`` are always laid out in
    the page, one chosen part at a time.

    ``notes`` are boxes of text in the control panel, for what a view wants to
    point out (organisations that could work together, what changed). ``links``
    are shown above the title, such as the way back to a session bundle's index.

    ``loops`` (a sequence, even an empty one) adds a panel that lists them;
    choosing one highlights exactly its nodes and links and fades the rest.
    ``paths`` adds a panel that finds the paths between two chosen nodes (along edges
    with an arrow and without ``route: False``, at most ``PATH_MAX_LINKS`` long) and
    highlights the one chosen.

    ``steps`` are the views of a session, in order, that the arrow keys step
    through. ``step_sheet`` lets the facilitator add the current view as a step and
    save the steps as a CSV file.

    ``start_focus`` (a node id) opens the page focused on that node and its
    neighbours, framed, with a word that the map is large: where a large map
    starts, rather than a picture too dense to read.

    ``projector`` opens the page in projector mode: large type, high contrast, the
    control panel hidden, and labels at least ``PROJECTOR_MIN_PIXELS`` high on the
    screen (the map is zoomed in when it cannot be shown whole at that size). With
    ``projector_kinds`` (values of the nodes' ``group``) projector mode draws only
    nodes of those kinds: the part a group walks through.

    ``toets`` (:func:`views.toets.toets_data`) adds the toetsmodus, with its own
    script and style (``templates/toets.js``, ``toets.css``).

    ``renderer`` ``"auto"`` draws maps of more than :data:`WEBGL_MIN_NODES` nodes
    with WebGL (``"webgl"`` always, ``"vis"`` never): every node at once, at
    positions laid out in Python whatever ``layout`` and ``max_drawn_nodes`` say,
    with the same search, focus, filters, legend and toetsmodus, labels that
    appear as one zooms in, and groups of nodes (by the first facet of the nodes)
    that can be collapsed into one node and expanded again. ``clusters`` (every
    node in exactly one, see :func:`views.clusters.map_clusters`) are one more way
    to group them there; the page carries each once with its number of members and
    its centre (the mean of its members' positions).
    ``content_security_policy`` adds a policy that forbids every network
    request and every script but the page's own; leave it on.
    """
    data = network_page_data(nodes, edges, options)
    toets = options.toets
    if data["config"]["renderer"] == "webgl":
        vis_js, vis_css = _template_text(SIGMA_BUNDLE), ""
        page_js = _inline_script(_template_text("large_map.js"))
    else:
        vis_js, vis_css = vis_network_assets()
        page_js = _inline_script(_template_text("page.js"))
    vis_js = _inline_script(vis_js)
    toets_js = _inline_script(_template_text("toets.js")) if toets else ""
    csp = None
    if options.content_security_policy:
        csp = "; ".join(
            [
                "default-src 'none'",
                f"script-src {_csp_hash(vis_js)} {_csp_hash(page_js)}"
                + (f" {_csp_hash(toets_js)}" if toets_js else ""),
                "style-src 'unsafe-inline'",
                "img-src data: blob:",
                "font-src data:",
                "connect-src 'none'",
                "base-uri 'none'",
                "form-action 'none'",
            ]
        )

    template = _environment().get_template(PAGE_TEMPLATE)
    return template.render(
        links=[link.data() for link in options.links],
        lang=options.lang,
        title=options.title,
        s=UI_STRINGS[options.lang],
        csp=csp,
        projector=bool(options.projector),
        vis_css=_inline_style(vis_css),
        page_css=_inline_style(_template_text("page.css")),
        vis_js=vis_js,
        page_js=page_js,
        data_json=json_for_script(data),
        toets_css=_inline_style(_template_text("toets.css")) if toets else "",
        toets_js=toets_js,
        toets_json=json_for_script(toets) if toets else "",
    )


def _cluster_payload(
    clusters: Sequence[Cluster], node_items: Sequence[Mapping[str, Any]]
) -> dict[str, Any]:
    """The clusters as the WebGL page carries them: each once (``id``, ``label``,
    ``count`` and centre ``x``, ``y``), and the number of each node's cluster in the
    order of the nodes (``clusterOf``)."""
    index = {n["id"]: i for i, n in enumerate(node_items)}
    of: list[int | None] = [None] * len(node_items)
    out = []
    for number, cluster in enumerate(clusters):
        named = list(cluster.members)
        members = [index[node_id] for node_id in named if node_id in index]
        label = cluster.label
        if not members or len(members) < len(named):
            raise ValueError(f"cluster {label!r} is empty or names an unknown node")
        xs, ys = 0.0, 0.0
        for i in members:
            if of[i] is not None:
                raise ValueError(f"node {node_items[i]['id']!r} is in two clusters")
            of[i] = number
            xs += node_items[i]["x"]
            ys += node_items[i]["y"]
        out.append(
            {
                "id": cluster.id or str(number),
                "label": label,
                "count": len(members),
                "x": round(xs / len(members), 2),
                "y": round(ys / len(members), 2),
            }
        )
    missing = [node_items[i]["id"] for i, cluster in enumerate(of) if cluster is None]
    if missing:
        raise ValueError(f"node {missing[0]!r} is in no cluster")
    return {"clusters": out, "clusterOf": of}


def _step_item(step: Step, node_ids: set[Any], edge_ids: set[str]) -> dict[str, Any]:
    """``step`` as the page carries it, once its focus and highlight are on the page."""
    if step.focus is not None and step.focus not in node_ids:
        raise PageDataError(
            said("page_data.step_focus", name=repr(step.name), focus=repr(step.focus))
        )
    lit = step.highlight
    if lit is not None and (not set(lit.nodes) <= node_ids or not set(lit.edges) <= edge_ids):
        raise PageDataError(said("page_data.step_highlight", name=repr(step.name)))
    return step.data()


def _compact_items(
    items: Sequence[Mapping[str, Any]],
    default_fields: Sequence[str],
    *,
    facet_sets: dict[tuple[tuple[str, Any], ...], int],
    texts: dict[str, int],
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    r"""``items`` as the page carries them, and their defaults.

    Of ``default_fields``, the value most items have is the default and items
    with that value leave the field out. ``facets`` becomes the number of the
    item's facet set in ``facet_sets``, ``tooltip`` the numbers of its lines in
    ``texts`` (an empty tooltip is left out); both tables grow as needed. The
    page reverses this (``unpack`` in page.js).

    >>> sets, texts = {}, {}
    >>> items, defaults = _compact_items(
    ...     [
    ...         {"id": "a", "color": "#111", "tooltip": "A\nnieuw", "facets": {"ronde": "1"}},
    ...         {"id": "b", "color": "#111", "tooltip": "B\nnieuw", "facets": {"ronde": "1"}},
    ...         {"id": "c", "color": "#222", "tooltip": "", "facets": {}},
    ...     ],
    ...     ["color"],
    ...     facet_sets=sets,
    ...     texts=texts,
    ... )
    >>> defaults
    {'color': '#111'}
    >>> items[0], items[2]
    ({'id': 'a', 'facets': 0, 'tooltip': [0, 1]}, {'id': 'c', 'color': '#222', 'facets': 1})
    >>> list(texts), list(sets)
    (['A', 'nieuw', 'B'], [(('ronde', '1'),), ()])
    """
    defaults: dict[str, Any] = {}
    for name in default_fields:
        counts: dict[Any, int] = {}
        for item in items:
            value = item.get(name)
            if isinstance(value, (str, int, float, bool)):
                typed = (type(value), value)  # True and 1 are different defaults
                counts[typed] = counts.get(typed, 0) + 1
        if counts:
            defaults[name] = max(counts.items(), key=lambda kv: kv[1])[0][1]
    out = []
    typed_defaults = [(name, default, type(default)) for name, default in defaults.items()]
    for item in items:
        packed = dict(item)
        for name, default, kind in typed_defaults:
            if name in packed:
                value = packed[name]
                if value == default and type(value) is kind:
                    del packed[name]
        tooltip = packed.pop("tooltip", "")
        if tooltip:
            packed["tooltip"] = [texts.setdefault(line, len(texts)) for line in tooltip.split("\n")]
        facet_set = tuple(packed["facets"].items())
        try:
            number = facet_sets.setdefault(facet_set, len(facet_sets))
        except TypeError:  # a facet with several values, a list
            facet_set = tuple(
                (k, tuple(v) if isinstance(v, list) else v) for k, v in packed["facets"].items()
            )
            number = facet_sets.setdefault(facet_set, len(facet_sets))
        packed["facets"] = number
        out.append(packed)
    return out, defaults


def _compact_payload(
    node_items: Sequence[Mapping[str, Any]], edge_items: Sequence[Mapping[str, Any]]
) -> dict[str, Any]:
    facet_sets: dict[tuple[tuple[str, Any], ...], int] = {}
    texts: dict[str, int] = {}
    nodes, node_defaults = _compact_items(
        node_items, NODE_DEFAULT_FIELDS, facet_sets=facet_sets, texts=texts
    )
    edges, edge_defaults = _compact_items(
        edge_items, EDGE_DEFAULT_FIELDS, facet_sets=facet_sets, texts=texts
    )
    return {
        "nodes": nodes,
        "edges": edges,
        "defaults": {"node": node_defaults, "edge": edge_defaults},
        "facetSets": [
            {k: list(v) if isinstance(v, tuple) else v for k, v in facet_set}
            for facet_set in facet_sets
        ],
        "texts": list(texts),
    }


def write_network_page(
    path: str | Path,
    nodes: Sequence[Mapping[str, Any]],
    edges: Sequence[Mapping[str, Any]],
    options: PageOptions,
) -> Path:
    """Render with :func:`render_network_page` and write the page to ``path``."""
    target = Path(path)
    from loaders.write import write_page  # only a page the tool wrote is replaced

    return write_page(target, render_network_page(nodes, edges, options))
