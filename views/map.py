"""The system map as an interactive, offline HTML page.

Turns a SystemMap into the plain nodes and edges of
:func:`views.page.render_network_page` and the records of its page
(:class:`views.page_records.PageOptions`: legend, loops, steps, clusters): colour by
node kind, links coloured by sign, dashed while untested, thicker with weight;
tooltips with sources, quotes and the verdicts of the groups that reviewed a link,
all as text; filters by kind, level, role, group, round and status.

The map is laid out in Python (see :mod:`views.layout`): what has links is placed by
a force layout, and what has none yet (a statement, a session still to be held, the
kick-off report as a source) sits in tidy rows below it, so the map fills the screen
and every node is drawn.

>>> from loaders import load_map
>>> nodes, edges, legend = map_data(load_map())
>>> len(nodes), len(edges)
(37, 31)
>>> [e["tooltip"].splitlines()[1] for e in edges if e["id"] == "inv-prestatiedruk-stress"]
['status: hypothese (nog niet getoetst)']
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

import pandas as pd

from graph import Link, Node, SystemMap, schema
from graph.catalogue import check_lang
from graph.cycle import (
    check_round,
    on_the_map,
    outcome_if_any,
    rounds,
)
from graph.cycle import present as on_map
from graph.errors import PageDataError, TooManyLoops, said
from graph.positions import keep_positions
from graph.progress import report
from graph.vocabulary import LinkKind, Status
from queries.leverage import centrality, leverage_points
from queries.loops import loops
from views.clusters import map_clusters
from views.layout import Position, causal_positions, label_box, layout_positions
from views.page import (
    DEFAULT_MAX_DRAWN_NODES,
    PROJECTOR_FONT_SIZE,
    PROJECTOR_LABEL_WIDTH,
    load_positions,
    render_network_page,
    uses_webgl,
    without_cycle_collection,
)
from views.page_records import (
    Cluster,
    Highlight,
    LegendEntry,
    Loop,
    PageOptions,
    Step,
    StepSheet,
)
from views.provenance import (
    WORDS,
    Provenance,
    _provenance_lines,
    _review_lines,
    link_label,
    link_line,
    link_statuses,
    provenance,
    word,
)

__all__ = [
    "FACET_LABELS",
    "MEASURES",
    "STATUS_STYLES",
    "SYSTEM_KINDS",
    "WORDS",
    "change_keeping_positions",
    "keep_map_positions",
    "kind_label",
    "label_boxes",
    "legend",
    "link_label",
    "link_line",
    "link_statuses",
    "map_data",
    "map_loops",
    "map_positions",
    "map_steps",
    "measure_sizes",
    "number",
    "on_map",
    "provenance",
    "render_map",
    "write_map",
]

T = TypeVar("T")

#: Filter headings of the page, per language (facet key -> heading).
FACET_LABELS: dict[str, dict[str, str]] = {
    "nl": {
        "soort": "Soort",
        "verband": "Soort verband",
        "niveau": "Niveau",
        "rol": "Rol",
        "groep": "Groep (citaten en toetsing)",
        "ronde": "Ronde",
        "status": "Status van verbanden",
    },
    "en": {
        "kind": "Kind",
        "link": "Kind of link",
        "level": "Level",
        "role": "Role",
        "group": "Group (quotes and reviews)",
        "round": "Round",
        "status": "Status of links",
    },
}

#: Facet keys (the names of the filters in the page's data), per language.
FACET_KEYS: dict[str, dict[str, str]] = {
    "nl": {
        "kind": "soort",
        "link_kind": "verband",
        "level": "niveau",
        "role": "rol",
        "group": "groep",
        "round": "ronde",
        "status": "status",
    },
    "en": {
        "kind": "kind",
        "link_kind": "link",
        "level": "level",
        "role": "role",
        "group": "group",
        "round": "round",
        "status": "status",
    },
}

#: The kinds a facilitator sees large: the system itself. The rest is provenance.
SYSTEM_KINDS = ("Actor", "Factor", "Initiative", "Place")


@dataclass(frozen=True)
class StatusStyle:
    """How a link with one status is drawn: its line (``True`` for the page's dashes,
    or a pattern of dash and gap lengths), a mark after its label and, for a
    rejected link, a grey that replaces the colour of its sign. Line and mark keep the
    statuses apart without colour: on a projector and for colour-blind eyes."""

    dashes: bool | tuple[float, ...]
    mark: str = ""
    color: str | None = None


STATUS_STYLES: dict[str, StatusStyle] = {
    Status.HYPOTHESIS: StatusStyle(True),
    Status.CONFIRMED: StatusStyle(False, "✓"),
    Status.CONTESTED: StatusStyle((14.0, 5.0, 3.0, 5.0), "?"),
    Status.REJECTED: StatusStyle((2.0, 6.0), "✗", "#8C8C8C"),
}
#: Colour of the line in the legend entries of the statuses.
STATUS_LEGEND_COLOR = "#444444"

#: The loops panel lists the loops of maps of up to this many elements, at most
#: this many loops.
LOOPS_MAX_NODES = 600
LOOPS_LISTED = 100
#: A loop's polarity in words, per language.
POLARITY_WORDS = {
    "nl": {"reinforcing": "versterkend", "balancing": "balancerend", "unknown": "teken onbekend"},
    "en": {"reinforcing": "reinforcing", "balancing": "balancing", "unknown": "sign unknown"},
}
#: A map of more elements than this starts at its outcome (see
#: :func:`views.leverage.default_outcome`) and what that is connected to.
LARGE_MAP_NODES = 100
#: Largest map laid out causes before effects (it solves a system of equations
#: with a row per element); larger maps keep the force layout.
CAUSAL_MAX_NODES = 600

#: Link widths in pixels: unknown weight, and the range for known weights.
WIDTH_UNKNOWN = 3.0
WIDTH_MIN, WIDTH_MAX = 1.5, 8.0


def kind_label(kind: str, lang: str) -> str:
    style = schema.NODE_STYLES[kind]
    return style.label_nl if lang == "nl" else style.label_en


def number(value: float, lang: str, digits: int = 2) -> str:
    """A number as people in ``lang`` write it: ``0,75`` in Dutch.

    >>> number(0.75, "nl"), number(2.0, "en"), number(-1.5, "nl")
    ('0,75', '2', '-1,5')
    """
    text = f"{value:.{digits}f}".rstrip("0").rstrip(".")
    if text in ("-0", ""):
        text = "0"
    return text.replace(".", ",") if lang == "nl" else text


def _node_details(m: SystemMap, node: Node, lang: str) -> list[str]:
    w = WORDS[lang]
    details = []
    for key in ("actor_kind", "sector", "level", "role", "group", "description", "reference"):
        value = node.get(key)
        if value and not (key == "reference" and value == node.name):
            details.append(f"{w[key]}: {word(str(value), lang)}")
    if node.get("date"):
        when = node["date"].isoformat() if hasattr(node["date"], "isoformat") else node["date"]
        details.append(f"{w['date']}: {when}" + (f", {node['time']}" if node.get("time") else ""))
    if node.kind == "Statement" and node.get("focus"):
        details.append(w["focus"])
    if node.kind == "Quote" and node.get("session") in m.graph:
        details.append(m.node(node["session"]).name)
    return details


# --------------------------------------------------------------------------- nodes and edges


def map_data(
    m: SystemMap,
    lang: str = "nl",
    *,
    as_of_round: int | None = None,
    size_by: str | None = None,
    cited: Provenance | None = None,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    """The nodes, edges and legend of the map of ``m`` in ``lang`` (``nl`` or ``en``).

    Only what is on the map in round ``as_of_round`` is drawn (by default: now).
    ``size_by`` sizes actors and factors by a measure (see :func:`measure_sizes`),
    which the legend and the tooltips state. ``cited`` is what the tooltips cite, the
    :func:`~views.provenance.provenance` of the round, when it is already at hand.
    """
    check_lang(lang)
    if cited is None:
        cited = provenance(m, as_of_round)
    measured = measure_sizes(m, size_by, lang, as_of_round=as_of_round)
    elements, links = on_the_map(m, as_of_round)
    nodes = [node_item(m, node, lang, cited, measured=measured) for node in elements]
    weights = [float(link["weight"]) for link in links if link.get("weight") is not None]
    heaviest = max(weights, default=1.0)
    edges = [edge_item(m, link, lang, cited, heaviest=heaviest) for link in links]
    entries = legend(m, lang, links=links, status=cited.status, divided=cited.divided)
    if measured is not None:
        entries.append(
            {"label": measured.legend, "color": "#9A9A9A", "kind": "node", "dashes": False}
        )
    return nodes, edges, entries


def node_item(
    m: SystemMap,
    node: Node,
    lang: str,
    cited: Provenance,
    *,
    measured: MeasureSizes | None = None,
) -> dict[str, Any]:
    """The page's node for ``node``: colour and shape by kind, tooltip, facets; size by
    kind, or by the ``measured`` value."""
    w = WORDS[lang]
    keys = FACET_KEYS[lang]
    style = schema.NODE_STYLES[node.kind]
    facets: dict[str, Any] = {keys["kind"]: kind_label(node.kind, lang)}
    for key in ("level", "role"):
        if node.get(key):
            facets[keys[key]] = word(str(node[key]), lang)
    if node.kind == "Quote":
        facets[keys["group"]] = word(node["group"], lang)
    facets[keys["round"]] = str(node.get("round_in") or 1)
    lines = [node.name, kind_label(node.kind, lang), *_node_details(m, node, lang)]
    if node.get("round_out"):
        lines.append(w["retired"].format(round=node["round_out"]))
    if measured is not None and node.id in measured.values:
        lines.append(f"{measured.name}: {number(measured.values[node.id], lang)}")
    lines += _provenance_lines(m, node, cited.quotes.get(node.id, ()), lang)
    return {
        "id": node.id,
        "label": _label(node),
        "group": node.kind.lower(),
        "color": style.color,
        "shape": _shape(node, measured),
        "size": _size(node, measured),
        "tooltip": "\n".join(lines),
        "facets": facets,
    }


def edge_item(
    m: SystemMap, link: Link, lang: str, cited: Provenance, *, heaviest: float = 1.0
) -> dict[str, Any]:
    """The page's edge for ``link``: colour by sign, dashed while untested, width by
    weight, and a tooltip with status, weight, sources, quotes and reviews."""
    w = WORDS[lang]
    keys = FACET_KEYS[lang]
    if link.derived:
        return {
            "id": link.id,
            "from": link.source,
            "to": link.target,
            "color": "#BBBBBB",
            "dashes": True,
            "width": 1,
            "label": "",
            "arrows": "to",
            "tooltip": link_line(link, cited.names, lang),
            "facets": {keys["link_kind"]: w["about"]},
            "route": False,
        }
    fields = link.fields
    kind = link.kind
    influence = kind == LinkKind.INFLUENCES
    sign = fields.get("sign")
    link_id = link.id
    divided = link_id in cited.divided
    quotes = cited.quotes.get(link_id, [])
    reviews = cited.reviews.get(link_id, [])
    status = cited.status.get(link_id, Status.HYPOTHESIS)
    status_word, status_line = _status_words(status, not reviews, lang)
    weight = fields.get("weight")
    lines = [link_line(link, cited.names, lang), status_line]
    if influence:
        lines.append(_weight_line(weight, lang))
    if fields.get("round_out"):
        lines.append(w["retired"].format(round=fields["round_out"]))
    if reviews:
        lines += _review_lines(reviews, lang)
    lines += _provenance_lines(m, link, quotes, lang)
    if divided:
        lines.append(w["divided"])
    facets: dict[str, Any] = {
        keys["link_kind"]: _kind_word(kind, lang),
        keys["status"]: status_word,
        keys["round"]: str(fields.get("round_in") or 1),
    }
    if reviews or quotes:
        groups = sorted({r.group for r in reviews} | {q["group"] for q in quotes})
        facets[keys["group"]] = [word(g, lang) for g in groups]
    if influence:
        color = schema.SIGN_COLORS[sign]
        short = _SIGN_SHORT.get(sign, "?")
    else:
        color, short = "#555555", link_label(link, lang)
    style = STATUS_STYLES.get(status, STATUS_STYLES[Status.HYPOTHESIS])
    if style.mark:
        short = f"{short} {style.mark}"
    return {
        "id": link_id,
        "from": link.source,
        "to": link.target,
        "color": style.color or color,
        "dashes": list(style.dashes) if isinstance(style.dashes, tuple) else style.dashes,
        "projector_label": short if influence else style.mark,
        "sign": sign if influence else None,
        "width": _width(weight, heaviest),
        "label": short,
        "arrows": "" if kind == LinkKind.COOPERATES_WITH else "to",
        "tooltip": "\n".join(lines),
        "facets": facets,
        # a link that divides the groups: a data field, and an amber halo around it
        "divided": divided,
        **({"shadow": DIVIDED_HALO} if divided else {}),
    }


#: A link's sign as its short label says it.
_SIGN_SHORT: dict[str | None, str] = {"+": "+", "-": "−"}


@lru_cache(maxsize=64)
def _status_words(status: str, unreviewed: bool, lang: str) -> tuple[str, str]:
    """A link's status in ``lang``, and the line of its tooltip that says it (with a
    note when it is a hypothesis no group has reviewed yet)."""
    w = WORDS[lang]
    status_word = word(status, lang)
    line = f"{w['status']}: {status_word}"
    if status == Status.HYPOTHESIS and unreviewed:
        line += f" ({w['untested_note']})"
    return status_word, line


@lru_cache(maxsize=4096)
def _weight_line(weight: Any, lang: str) -> str:
    """The line of an influence's tooltip that gives its weight."""
    w = WORDS[lang]
    return (
        f"{w['weight']}: {number(float(weight), lang)}"
        if weight is not None
        else w["weight_unknown"]
    )


@lru_cache(maxsize=64)
def _kind_word(kind: str, lang: str) -> str:
    """A link kind as the filters name it in ``lang``."""
    spec = schema.LINK_KINDS[kind]
    return spec.value if lang == "nl" else spec.label_en


#: The task :func:`render_map` reports (:mod:`graph.progress`): the toetsmodus, the
#: map's data, its places and panels, the page.
DRAWING = "drawing the map"

#: The halo of a link that divides the groups (vis-network's edge shadow).
DIVIDED_HALO = {"enabled": True, "color": "#E69F00", "size": 10, "x": 0, "y": 0}


def _label(node: Node) -> str:
    return _short(node.name, 40)


def _shape(node: Node, measured: MeasureSizes | None = None) -> str:
    """The node's shape: by kind; a node sized by a measure is a dot (a box is as
    large as its label, whatever its size)."""
    if measured is not None and node.id in measured.sizes:
        return "dot"
    return schema.NODE_STYLES[node.kind].shape


def _size(node: Node, measured: MeasureSizes | None = None) -> float:
    if measured is not None and node.id in measured.sizes:
        return measured.sizes[node.id]
    return 22 if node.kind in SYSTEM_KINDS else 12


#: Measures a map can size its actors and factors by, and how each is named.
MEASURES: dict[str, dict[str, str]] = {
    "nl": {
        "leverage": "hefboom (effect op {outcome})",
        "betweenness": "tussenpositie (betweenness)",
        "in_degree": "aantal invloeden erop",
        "out_degree": "aantal invloeden eruit",
    },
    "en": {
        "leverage": "leverage (effect on {outcome})",
        "betweenness": "betweenness",
        "in_degree": "influences in",
        "out_degree": "influences out",
    },
}
#: The legend entry of a map sized by a measure, per language.
MEASURE_LEGEND = {"nl": "grootte: {measure}", "en": "size: {measure}"}
#: Node sizes (radius in pixels) of the smallest and largest value of a measure.
MEASURE_SIZE_MIN, MEASURE_SIZE_MAX = 12.0, 44.0


@dataclass(frozen=True)
class MeasureSizes:
    """Node sizes by a measure: its ``name`` and the ``legend`` entry in words, the
    measure's value and the size per node."""

    name: str
    legend: str
    values: Mapping[str, float]
    sizes: Mapping[str, float]


def measure_sizes(
    m: SystemMap, measure: str | None, lang: str = "nl", *, as_of_round: int | None = None
) -> MeasureSizes | None:
    """Sizes of the actors and factors of ``m`` by ``measure``: ``leverage`` (the size
    of the effect on the outcome of the knoppen, see
    :func:`queries.leverage.leverage_points`), ``betweenness``, ``in_degree`` or
    ``out_degree`` (links of influence in and out, see
    :func:`queries.leverage.centrality`); None for no measure.

    The area of a node grows with its value, from :data:`MEASURE_SIZE_MIN` for zero
    (or unknown) to :data:`MEASURE_SIZE_MAX` for the largest value.

    >>> from loaders import load_map
    >>> sized = measure_sizes(load_map(), "in_degree")
    >>> sized.values["prestatiedruk"], sized.sizes["prestatiedruk"], sized.sizes["stress"]
    (7.0, 44.0, 24.09)
    >>> sized.legend
    'grootte: aantal invloeden erop'
    """
    if measure is None:
        return None
    words = MEASURES[lang]
    if measure not in words:
        raise PageDataError(
            said("page_data.measure", measure=repr(measure), choices=", ".join(words))
        )
    if measure == "leverage":
        outcome = outcome_if_any(m, as_of_round)
        values: dict[str, float] = {}
        if outcome is not None:
            table = leverage_points(m, outcome, as_of_round=as_of_round)
            values = {
                row["factor"]: abs(float(row["effect"])) if pd.notna(row["effect"]) else 0.0
                for row in table.to_dict("records")
            }
        name = words[measure].format(outcome=m.node(outcome).name if outcome else "?")
    else:
        column = {
            "betweenness": "betweenness",
            "in_degree": "influences_in",
            "out_degree": "influences_out",
        }[measure]
        table = centrality(m, as_of_round=as_of_round)
        values = {row["factor"]: float(row[column]) for row in table.to_dict("records")}
        name = words[measure]
    top = max(values.values(), default=0.0)
    sizes = {
        node_id: round(
            MEASURE_SIZE_MIN
            + (MEASURE_SIZE_MAX - MEASURE_SIZE_MIN) * (math.sqrt(value / top) if top else 0.0),
            2,
        )
        for node_id, value in values.items()
    }
    return MeasureSizes(name, MEASURE_LEGEND[lang].format(measure=name), values, sizes)


#: Each kind of element by the place of its sheet in the workbook.
KIND_ORDER = {kind: i for i, kind in enumerate(schema.NODE_KINDS_ALL)}


def map_positions(
    m: SystemMap,
    positions: Mapping[str, Any] | str | Path | None = None,
    *,
    seed: int = 7,
    causal: bool = False,
    measured: MeasureSizes | None = None,
    as_of_round: int | None = None,
) -> dict[str, Position]:
    """Where each element of ``m`` stands on the map as of round ``as_of_round`` (by
    default: now): (x, y) by element id.

    Saved positions come first: those kept with the map (the ``posities`` sheet, see
    :meth:`graph.SystemMap.positions` and :func:`keep_map_positions`), and over them
    ``positions`` (a mapping, or a file saved with the page's "Posities opslaan").
    They stay exactly where they are. The other elements are laid out around them,
    each new one near its neighbours (see :func:`views.layout.layout_positions`,
    seeded by ``seed``).

    The map is laid out round by round: the elements that entered in the first round,
    with the links of that round, then those of each next round around the ones
    before, which stay where they were. So the layout of a round depends on nothing
    that entered later, and the map as of one round, drawn from its own workbook or
    from any later one, and the map as of the next put the elements they share in the
    same place. Retired elements are laid out with the round they entered in.

    With ``causal``, the elements on links with a direction (all links of the
    ``relaties`` sheet but *werkt samen met*) are placed causes before effects, from
    left to right (see :func:`views.layout.causal_positions`), on maps of up to
    :data:`CAUSAL_MAX_NODES` elements, in the place of the positions kept with the
    map (``positions`` still come first); the rest is laid out around them. ``measured``
    gives the nodes' sizes when they are sized by a measure (see
    :func:`measure_sizes`).

    >>> from loaders import EXAMPLE_CYCLE, load_map
    >>> m = load_map(EXAMPLE_CYCLE / "ronde-2")
    >>> where = map_positions(m, {"prestatiedruk": (0, 0)})
    >>> where["prestatiedruk"], len(where) == len(m.graph)
    ((0.0, 0.0), True)
    >>> now, first = map_positions(m), map_positions(m, as_of_round=1)
    >>> "sociale-media" in first, all(now[k] == first[k] for k in first)
    (False, True)
    """
    given = {} if positions is None else load_positions(positions)
    # in the order of the workbook's sheets (kind by kind, each in its rows' order), so
    # that one map laid out from memory, a workbook or Neo4j comes out the same
    nodes = sorted(
        (node for node in m.nodes() if _entered(node.fields) <= _last(as_of_round)),
        key=lambda node: KIND_ORDER[node.kind],
    )
    links = [link for link in m.links(derived=True) if _entered(link.fields) <= _last(as_of_round)]
    sizes = label_boxes(nodes, measured)
    ids = [node.id for node in nodes]
    if causal and len(ids) <= CAUSAL_MAX_NODES:
        directed = [
            (link.source, link.target)
            for link in links
            if not link.derived and link.kind != LinkKind.COOPERATES_WITH
        ]
        fixed = {**causal_positions(ids, directed, sizes=sizes), **given}
    else:
        fixed = {**{k: (float(x), float(y)) for k, (x, y) in m.positions().items()}, **given}
    for k in sorted({_entered(node.fields) for node in nodes}):
        entered = [node.id for node in nodes if _entered(node.fields) <= k]
        if all(node_id in fixed for node_id in entered):
            continue
        fixed.update(
            layout_positions(
                entered,
                [(lk.source, lk.target) for lk in links if _entered(lk.fields) <= k],
                sizes=sizes,
                fixed=fixed,
                seed=seed,
            )
        )
    return {node_id: fixed[node_id] for node_id in ids}


def label_boxes(
    nodes: Iterable[Node], measured: MeasureSizes | None = None
) -> dict[str, tuple[float, float]]:
    """The (width, height) the layout gives each node's label in projector type (see
    :func:`views.layout.label_box`); ``measured`` as in :func:`map_positions`."""
    return {
        node.id: label_box(
            _label(node),
            shape=_shape(node, measured),
            node_size=_size(node, measured),
            font_size=PROJECTOR_FONT_SIZE,
            max_width=PROJECTOR_LABEL_WIDTH,
        )
        for node in nodes
    }


def _entered(fields: Mapping[str, Any]) -> int:
    """The round an element or link entered the map in (see :func:`graph.cycle.present`)."""
    return int(fields.get("round_in") or 1)


def _last(as_of_round: int | None) -> float:
    return math.inf if as_of_round is None else as_of_round


def keep_map_positions(m: SystemMap, *, loose: bool = True) -> dict[str, Position]:
    """Keep in ``m`` the position each of its elements is drawn at now (see
    :func:`map_positions`), for the elements that have none kept; return those kept.

    With ``loose=False`` only the elements on a link are kept: an element on no link
    yet waits on the shelf below the map, and finds its place when it gets one.

    >>> from loaders import EXAMPLE_CYCLE, load_map
    >>> m = load_map(EXAMPLE_CYCLE / "ronde-1")
    >>> kept = keep_map_positions(m)
    >>> m.positions() == kept == map_positions(m), len(kept)
    (True, 27)
    >>> keep_map_positions(m)
    {}
    """
    drawn = map_positions(m)
    if not loose:
        on_a_link = _on_a_link(m)
        drawn = {node_id: xy for node_id, xy in drawn.items() if node_id in on_a_link}
    kept = m.positions()
    new = {node_id: xy for node_id, xy in drawn.items() if node_id not in kept}
    keep_positions(m, new)
    return new


def change_keeping_positions(m: SystemMap, change: Callable[[SystemMap], T]) -> T:
    """Make ``change`` to ``m`` (an operation of :mod:`graph.adjust`) so that no element
    drawn on the map moves; return what ``change`` returns.

    The positions the map is drawn at before the change are kept with the map
    (:func:`graph.positions.keep_positions`) for the elements that have none kept:

    - when the change opens a round, every element's: the map as the room saw it
      stays, drawn from this workbook or any later one (or from Neo4j);
    - else every element's but those the change gives their first link: such an
      element moves once, from the shelf to its neighbours, and no other moves;
    - a node that comes in the place of another (a rename) takes that one's position.

    >>> from loaders import EXAMPLE_CYCLE, load_map
    >>> from graph import adjust
    >>> m = load_map(EXAMPLE_CYCLE / "ronde-1")
    >>> before = map_positions(m)
    >>> change_keeping_positions(m, lambda m: adjust.open_round(m, name="Ronde 2"))
    2
    >>> change_keeping_positions(
    ...     m, lambda m: adjust.rename_node(m, 2, "stress", "Spanning", reason="Zo heet het"))
    'b2-hernoemd-stress-r2'
    >>> m.positions()["stress-r2"] == before["stress"], map_positions(m, as_of_round=1) == before
    (True, True)
    """
    drawn = map_positions(m)
    on_a_link = _on_a_link(m)
    known_rounds = rounds(m)
    adjustments = len(m.adjustments)
    result = change(m)
    # an element this change gives its first link goes to its neighbours: it moves
    # once, from the shelf; every other element drawn stays where it was
    linked_now = set() if rounds(m) != known_rounds else _on_a_link(m) - on_a_link
    keep = {node_id: xy for node_id, xy in drawn.items() if node_id not in linked_now}
    for adjustment in m.adjustments[adjustments:]:
        new, *others = adjustment["subject"]
        if new in m.graph and new not in drawn:
            keep.update((new, drawn[old]) for old in others[:1] if old in drawn)
    kept = m.positions()
    keep_positions(m, {node_id: xy for node_id, xy in keep.items() if node_id not in kept})
    return result


def _on_a_link(m: SystemMap) -> set[str]:
    """The elements that the layout places by their links (see :func:`map_positions`)."""
    return {
        end
        for link in m.links(derived=True)
        if link.source != link.target
        for end in (link.source, link.target)
    }


def map_loops(m: SystemMap, lang: str = "nl", *, as_of_round: int | None = None) -> list[Loop]:
    """The feedback loops of the map as the page's loops panel lists them: a label
    (the loop in names), its polarity in words, and its nodes and links.

    Loops of up to six links on maps of up to 200 elements, up to four on larger ones
    (see :func:`queries.loops.loops`); the first :data:`LOOPS_LISTED`, shortest first.

    >>> from loaders import EXAMPLE_CYCLE, load_map
    >>> [loop.label for loop in map_loops(load_map(EXAMPLE_CYCLE / "ronde-2"))]
    ['Perfectionisme → Prestatiedruk → Perfectionisme']
    """
    longest = 6 if len(m.graph) <= 200 else 4
    try:
        found = loops(m, longest, as_of_round=as_of_round).head(LOOPS_LISTED)
    except TooManyLoops:  # a tangle: the panel lists none rather than an arbitrary few
        return []
    words = POLARITY_WORDS[lang]
    return [
        Loop(
            label=" → ".join([*row["names"], row["names"][0]]),
            polarity=words[row["polarity"]],
            nodes=row["members"],
            edges=row["links"],
        )
        for row in found.to_dict("records")
    ]


def _width(weight: Any, heaviest: float) -> float:
    """Line width: thicker with weight, relative to the heaviest link of the map."""
    if weight is None:
        return WIDTH_UNKNOWN
    share = float(weight) / heaviest if heaviest > 0 else 1.0
    return round(WIDTH_MIN + (WIDTH_MAX - WIDTH_MIN) * max(0.0, min(share, 1.0)), 2)


# --------------------------------------------------------------------------- legend


def legend(
    m: SystemMap,
    lang: str = "nl",
    *,
    links: Iterable[Link] | None = None,
    status: Mapping[str, str] | None = None,
    divided: Iterable[str] = (),
) -> list[dict[str, Any]]:
    """Legend entries for the node kinds, link signs and line styles present in ``m``.

    ``status`` is each link's status (by default :func:`link_statuses`); ``divided``
    the ids of the links that divide the groups, drawn with an amber halo.
    """
    w = WORDS[lang]
    links = list(m.links(derived=True) if links is None else links)
    status = link_statuses(m) if status is None else status
    present = {n.kind for n in m.nodes()}
    entries: list[dict[str, Any]] = [
        {
            "label": kind_label(kind, lang),
            "color": style.color,
            "kind": "node",
            "dashes": False,
            "projector": kind in SYSTEM_KINDS,
        }
        for kind, style in schema.NODE_STYLES.items()
        if kind in present
    ]
    labels = schema.SIGN_LABELS_NL if lang == "nl" else schema.SIGN_LABELS_EN
    # what the links are, asked once per kind of link rather than once per link
    kinds = {link.kind for link in links}
    derived = {kind for kind in kinds if schema.LINK_KINDS[kind].derived}
    signs = {link.get("sign") for link in links if link.kind == LinkKind.INFLUENCES}
    for sign in ("+", "-", None):
        if sign in signs:
            entries.append(
                {
                    "label": labels[sign],
                    "color": schema.SIGN_COLORS[sign],
                    "kind": "edge",
                    "dashes": False,
                }
            )
    if kinds - derived - {LinkKind.INFLUENCES}:
        entries.append(
            {
                "label": "samenwerking, uitvoering, plek, knop"
                if lang == "nl"
                else "cooperation, runs, place, knob",
                "color": "#555555",
                "kind": "edge",
                "dashes": False,
            }
        )
    if derived:
        entries.append(
            {
                "label": w["about"],
                "color": "#BBBBBB",
                "kind": "edge",
                "dashes": True,
                "projector": False,
            }
        )
    sheet = [link for link in links if link.kind not in derived]
    present_statuses = {status.get(link.id, Status.HYPOTHESIS) for link in sheet}
    for name, style in STATUS_STYLES.items():
        if name in present_statuses:
            entries.append(
                {
                    "label": w[f"status_{name}"],
                    "color": style.color or STATUS_LEGEND_COLOR,
                    "kind": "edge",
                    "dashes": list(style.dashes)
                    if isinstance(style.dashes, tuple)
                    else style.dashes,
                }
            )
    if any(link.get("weight") is not None for link in sheet):
        entries.append({"label": w["thicker"], "color": "#333333", "kind": "edge", "dashes": False})
    divided = set(divided)
    if divided and any(link.id in divided for link in sheet):
        entries.append(
            {
                "label": w["divided_legend"],
                "color": "#555555",
                "kind": "edge",
                "dashes": False,
                "halo": DIVIDED_HALO["color"],
            }
        )
    return entries


# --------------------------------------------------------------------------- steps

#: A step's direction (the ``richting`` column) as the page names it.
STEP_DIRECTIONS = {"beide": "both", "oorzaken": "up", "gevolgen": "down"}


def map_steps(
    m: SystemMap,
    lang: str,
    nodes: Iterable[Mapping[str, Any]],
    edges: Iterable[Mapping[str, Any]],
) -> list[Step]:
    """The steps of a session (the ``stappen`` sheet) as the page steps through them:
    per step its name, focus, distance and direction, what it highlights and which
    filter values it shows. What a step names that is not drawn is left out.

    A filter is written as on the Dutch page: ``soort=Factor, Actor; status=betwist``;
    a kind may be written without what follows it in brackets. Steps saved from the
    page write its filters as the page shows them. An unknown filter raises
    ValueError.
    """
    node_ids = {n["id"] for n in nodes}
    edge_ends = {e["id"]: (e["from"], e["to"]) for e in edges}
    out = []
    for row in sorted(m.records.get("steps", ()), key=lambda r: r["number"]):
        lit_nodes: list[str] = []
        lit_edges: list[str] = []
        for item in row.get("highlight") or ():
            if item in edge_ends:
                lit_edges.append(item)
                lit_nodes.extend(end for end in edge_ends[item] if end not in lit_nodes)
            elif item in node_ids and item not in lit_nodes:
                lit_nodes.append(item)
        focus = row.get("focus")
        out.append(
            Step(
                name=row["name"],
                focus=focus if focus in node_ids else None,
                depth=int(row.get("depth") or 1),
                direction=STEP_DIRECTIONS[row.get("direction") or "beide"],
                highlight=Highlight(lit_nodes, lit_edges) if lit_nodes else None,
                filters=_step_filters(row.get("filter"), lang, row["number"]),
            )
        )
    return out


def _step_filters(text: str | None, lang: str, number: int) -> dict[str, list[str]]:
    # Dutch keys, or those of the page's language (steps saved from an English page)
    nl_fields = {key: name for name, key in FACET_KEYS["nl"].items()}
    nl_fields.update({key: name for name, key in FACET_KEYS[lang].items()})
    out: dict[str, list[str]] = {}
    for part in (text or "").split(";"):
        if not part.strip():
            continue
        key, _, values = part.partition("=")
        field_name = nl_fields.get(key.strip().lower())
        if field_name is None or not values.strip():
            known = ", ".join(nl_fields)
            raise PageDataError(
                said(
                    "page_data.step_filter",
                    place=f"stappen, stap {number}",
                    filter=repr(part.strip()),
                    form="'filter=waarde'",
                    known=known,
                )
            )
        out[FACET_KEYS[lang][field_name]] = [
            _filter_value(field_name, v.strip(), lang) for v in values.split(",") if v.strip()
        ]
    return out


def _filter_value(field_name: str, value: str, lang: str) -> str:
    """A filter value of the ``stappen`` sheet (Dutch) as the page in ``lang`` has it."""
    if field_name == "kind":
        for kind, style in schema.NODE_STYLES.items():
            if value.lower() in (kind.lower(), style.label_nl.lower(), style.label_en.lower()) or (
                style.label_nl.lower().startswith(value.lower() + " (")
            ):
                return kind_label(kind, lang)
    if field_name == "link_kind" and value in schema.LINK_KIND_BY_VALUE:
        link_kind = schema.LINK_KIND_BY_VALUE[value]
        return link_kind.value if lang == "nl" else link_kind.label_en
    return word(value, lang)


# --------------------------------------------------------------------------- pages


@without_cycle_collection
def render_map(
    m: SystemMap, lang: str = "nl", *, as_of_round: int | None = None, **options: Any
) -> str:
    """The map of ``m`` as one self-contained HTML page.

    ``options`` are those of the page (:class:`views.page_records.PageOptions`:
    ``projector``, ``seed``, ``links``...); ``positions`` (saved from the page) are
    kept, with those saved in the map, and the rest is placed around them;
    ``causal=True`` places causes before effects (see :func:`map_positions`);
    ``size_by`` sizes actors and factors by a measure (see :func:`measure_sizes`). A
    page drawn with WebGL groups its elements in clusters too
    (:func:`views.clusters.map_clusters`). The page has the toetsmodus for the round
    (:func:`views.toets.toets_data`) unless ``toets`` is given (None: without).
    """
    from views.toets import toets_data

    check_round(rounds(m), as_of_round)
    report(DRAWING, 0, 4)
    cited = provenance(m, as_of_round)  # what the toetsmodus and the tooltips cite
    if "toets" not in options:
        options["toets"] = toets_data(
            m, lang, round=as_of_round, agenda_round=as_of_round, cited=cited
        )
    report(DRAWING, 1, 4)
    size_by = options.pop("size_by", None)
    nodes, edges, entries = map_data(m, lang, as_of_round=as_of_round, size_by=size_by, cited=cited)
    report(DRAWING, 2, 4)
    given = options.pop("positions", None)
    causal = bool(options.pop("causal", False))
    # the WebGL page draws every node of a large map at once, where Python puts it
    lay_out_here = uses_webgl(len(nodes), options.get("renderer", "auto")) or (
        options.get("layout", "python") == "python"
        and len(nodes) <= options.get("max_drawn_nodes", DEFAULT_MAX_DRAWN_NODES)
    )
    if lay_out_here:
        options["positions"] = map_positions(
            m,
            given,
            seed=options.get("seed", 7),
            causal=causal,
            measured=measure_sizes(m, size_by, lang, as_of_round=as_of_round),
            as_of_round=as_of_round,
        )
    else:
        options["positions"] = {**m.positions(), **({} if given is None else load_positions(given))}
    if uses_webgl(len(nodes), options.get("renderer", "auto")) and "clusters" not in options:
        found = map_clusters(
            m,
            [n["id"] for n in nodes],
            [(e["from"], e["to"]) for e in edges],
            lang,
            positions=options["positions"],
        )
        options["clusters"] = [Cluster(**cluster) for cluster in found]
    options.setdefault("facet_labels", FACET_LABELS[lang])
    options.setdefault("projector_kinds", [kind.lower() for kind in SYSTEM_KINDS])
    if len(nodes) <= LOOPS_MAX_NODES and "loops" not in options:
        node_ids, edge_ids = {n["id"] for n in nodes}, {e["id"] for e in edges}
        options["loops"] = [
            loop
            for loop in map_loops(m, lang, as_of_round=as_of_round)
            if set(loop.nodes) <= node_ids and set(loop.edges) <= edge_ids
        ]
    options.setdefault("paths", True)
    options.setdefault("steps", map_steps(m, lang, nodes, edges))
    steps_table = schema.TABLES["steps"]
    options.setdefault(
        "step_sheet",
        StepSheet(
            name=f"{steps_table.sheet}.csv",
            headers=steps_table.headers,
            directions={page: sheet for sheet, page in STEP_DIRECTIONS.items()},
        ),
    )
    if len(nodes) > LARGE_MAP_NODES and "start_focus" not in options:
        outcome = outcome_if_any(m)
        if outcome in {n["id"] for n in nodes}:
            options["start_focus"] = outcome
    title = options.pop("title", None) or m.name
    report(DRAWING, 3, 4)
    legend_entries = [LegendEntry(**entry) for entry in entries]
    page = render_network_page(
        nodes, edges, PageOptions(title=title, legend=legend_entries, lang=lang, **options)
    )
    report(DRAWING, 4, 4)
    return page


def write_map(m: SystemMap, path: str | Path, lang: str = "nl", **options: Any) -> Path:
    """Write the map of ``m`` to ``path`` and return the path."""
    out = Path(path)
    from loaders.write import write_page  # only a page the tool wrote is replaced

    return write_page(out, render_map(m, lang, **options))


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
