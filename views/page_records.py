"""What a network page carries besides its nodes and links, as typed records.

:func:`views.page.render_network_page` takes the nodes and links of a map and one
:class:`PageOptions`: the page's title and language, how it lays out and draws the
map, and the parts with a fixed shape, each a frozen record that checks its values
when it is made and gives the data the page carries with ``data()``:

- :class:`LegendEntry`, a line of the legend;
- :class:`Note`, a box of text in the control panel;
- :class:`views.links.PageLink`, a link above the title;
- :class:`Loop`, a feedback loop of the loops panel;
- :class:`Step` (with its :class:`Highlight`), a view of a session that the arrow
  keys step through, and :class:`StepSheet`, how the page saves the steps;
- :class:`Cluster`, a group of nodes that the WebGL page can collapse.

Nodes and links stay plain mappings: a large map has tens of thousands of them and
the page checks and packs them in one pass (see :mod:`views.page`). The page's data
is made from these records once, by :func:`views.page.network_page_data`.

>>> options = PageOptions("Kaart", legend=[LegendEntry("Factor", "#8fb3d1")])
>>> options.legend[0].data()
{'label': 'Factor', 'color': '#8fb3d1', 'kind': 'node', 'dashes': False, 'projector': True}
>>> PageOptions("Kaart", renderer="canvas")
Traceback (most recent call last):
...
graph.errors.PageDataError: renderer must be one of auto, vis, webgl, got 'canvas'
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graph.catalogue import check_lang
from graph.errors import PageDataError, Text, said
from views.links import PageLink

__all__ = [
    "DEFAULT_MAX_DRAWN_NODES",
    "LAYOUTS",
    "RENDERERS",
    "STEP_DIRECTIONS",
    "Cluster",
    "Highlight",
    "LegendEntry",
    "Loop",
    "Note",
    "PageLink",
    "PageOptions",
    "Step",
    "StepSheet",
    "check_renderer",
]

#: Above this many nodes the page does not draw the whole map at once.
DEFAULT_MAX_DRAWN_NODES = 3000
#: How the page may draw: ``auto`` chooses by size (see :func:`views.page.uses_webgl`).
RENDERERS = ("auto", "vis", "webgl")
#: Where the page's positions come from: Python, or vis-network in the page.
LAYOUTS = ("python", "browser")
#: The directions a step looks from its focus: both ways, causes, effects.
STEP_DIRECTIONS = ("both", "up", "down")


def check_renderer(renderer: str) -> str:
    """``renderer`` if it is one of :data:`RENDERERS`; else
    :class:`~graph.errors.PageDataError`."""
    if renderer not in RENDERERS:
        raise PageDataError(
            said("page_data.renderer", choices=", ".join(RENDERERS), value=repr(renderer))
        )
    return renderer


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _what(what: str, item_id: str | None) -> Text:
    """``what`` (``size of node``, a word of the catalogue's ``page_data.what``), of the
    item ``item_id`` if given, for a message."""
    word = said("page_data.what." + what.replace(" ", "_"))
    return word if item_id is None else said("page_data.item", what=word, id=repr(item_id))


def _number(value: Any, what: str, default: float, item_id: str | None = None) -> float:
    if value is None:
        return default
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise PageDataError(
            said("page_data.not_number", what=_what(what, item_id), value=repr(value))
        ) from None
    if not math.isfinite(number):
        raise PageDataError(
            said("page_data.not_finite", what=_what(what, item_id), value=repr(value))
        )
    return number


def _dashes(value: Any, what: str, item_id: str | None = None) -> bool | list[float]:
    """A line style: ``True`` (dashed), ``False`` (solid) or a pattern of dash and gap
    lengths in pixels, such as ``[14, 5, 3, 5]`` for dash-dot."""
    if isinstance(value, (list, tuple)):
        pattern = [_number(v, what, 0.0, item_id) for v in value]
        if not pattern or any(v <= 0 for v in pattern):
            raise PageDataError(
                said("page_data.dash_lengths", what=_what(what, item_id), value=repr(value))
            )
        return pattern
    return bool(value)


def _set(record: object, name: str, value: Any) -> None:
    """Normalise a field of a frozen record while it is being made."""
    object.__setattr__(record, name, value)


@dataclass(frozen=True, slots=True)
class LegendEntry:
    """A line of the page's legend.

    Parameters
    ----------
    label : str
        What the entry stands for, plain text.
    color : str
        Its colour (grey when empty).
    kind : str
        ``"node"`` (a dot) or ``"edge"`` (a line); anything else is refused with
        :class:`~graph.errors.PageDataError`.
    dashes : bool or sequence of float
        A dashed line, or its pattern of dash and gap lengths in pixels.
    projector : bool
        Whether projector mode shows the entry.
    halo : str or None
        The colour of a halo around the line (a link that divides the groups).
    """

    label: str
    color: str = "#7a7a7a"
    kind: str = "node"
    dashes: bool | Sequence[float] = False
    projector: bool = True
    halo: str | None = None

    def __post_init__(self) -> None:
        if self.kind not in ("node", "edge"):
            raise PageDataError(said("page_data.legend_kind", value=repr(self.kind)))
        dashes = _dashes(self.dashes, "dashes of a legend entry")
        _set(self, "dashes", tuple(dashes) if isinstance(dashes, list) else dashes)

    def data(self) -> dict[str, Any]:
        """The entry as the page's data carries it."""
        dashes = self.dashes
        out: dict[str, Any] = {
            "label": self.label,
            "color": self.color or "#7a7a7a",
            "kind": self.kind,
            "dashes": dashes if isinstance(dashes, bool) else list(dashes),
            "projector": bool(self.projector),
        }
        if self.halo:
            out["halo"] = self.halo
        return out


@dataclass(frozen=True, slots=True)
class Note:
    """A box of text in the control panel: what a view wants to point out
    (organisations that could work together, what changed).

    Parameters
    ----------
    title : str
        The box's heading.
    items : sequence of str
        Its lines, plain text.
    empty : str
        What the box says when it has no lines.
    """

    title: str
    items: Sequence[str] = ()
    empty: str = ""

    def __post_init__(self) -> None:
        _set(self, "items", tuple(self.items))

    def data(self) -> dict[str, Any]:
        """The box as the page's data carries it."""
        return {"title": self.title, "items": list(self.items), "empty": self.empty}


@dataclass(frozen=True, slots=True)
class Loop:
    """A feedback loop as the loops panel lists it; choosing it highlights exactly
    its nodes and links.

    Parameters
    ----------
    label : str
        The loop in names.
    polarity : str
        Reinforcing or balancing, in words.
    nodes, edges : sequence of str
        The ids of its nodes and links, each on the page.
    """

    label: str
    polarity: str
    nodes: Sequence[str] = ()
    edges: Sequence[str] = ()

    def __post_init__(self) -> None:
        _set(self, "nodes", tuple(self.nodes))
        _set(self, "edges", tuple(self.edges))

    def data(self) -> dict[str, Any]:
        """The loop as the page's data carries it."""
        return {
            "label": self.label,
            "polarity": self.polarity,
            "nodes": list(self.nodes),
            "edges": list(self.edges),
        }


@dataclass(frozen=True, slots=True)
class Highlight:
    """The nodes and links a step highlights, by id."""

    nodes: Sequence[str] = ()
    edges: Sequence[str] = ()

    def __post_init__(self) -> None:
        _set(self, "nodes", tuple(self.nodes))
        _set(self, "edges", tuple(self.edges))

    def data(self) -> dict[str, list[str]]:
        """The highlight as the page's data carries it."""
        return {"nodes": list(self.nodes), "edges": list(self.edges)}


@dataclass(frozen=True, slots=True)
class Step:
    """A view of a session, one of those the arrow keys step through.

    Parameters
    ----------
    name : str
        What the step is called.
    focus : str or None
        The id of the node the step focuses on, or None for the whole map.
    depth : int
        How many links from the focus the step shows (1 to 9).
    direction : str
        ``"both"``, ``"up"`` (causes) or ``"down"`` (effects); anything else is
        refused with :class:`~graph.errors.PageDataError`.
    highlight : Highlight or None
        What the step highlights.
    filters : mapping of str to sequence of str
        Facet key to the values shown; a facet not named shows everything.
    """

    name: str
    focus: str | None = None
    depth: int = 1
    direction: str = "both"
    highlight: Highlight | None = None
    filters: Mapping[str, Sequence[str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.direction not in STEP_DIRECTIONS:
            raise PageDataError(said("page_data.step_direction", name=repr(self.name)))

    def data(self) -> dict[str, Any]:
        """The step as the page's data carries it."""
        return {
            "name": self.name,
            "focus": self.focus,
            "depth": max(1, min(9, int(self.depth or 1))),
            "direction": self.direction,
            "highlight": None if self.highlight is None else self.highlight.data(),
            "filters": {_text(k): [_text(v) for v in values] for k, values in self.filters.items()},
        }


@dataclass(frozen=True, slots=True)
class StepSheet:
    """How the page saves the steps as a CSV file, for the facilitator who adds the
    current view as a step.

    Parameters
    ----------
    name : str
        The file's name.
    headers : sequence of str
        Its column headers: number, name, focus, distance, direction, highlight,
        filter, in that order.
    directions : mapping of str to str
        ``both``, ``up`` and ``down`` as the file writes them.
    """

    name: str
    headers: Sequence[str]
    directions: Mapping[str, str]

    def __post_init__(self) -> None:
        _set(self, "headers", tuple(self.headers))

    def data(self) -> dict[str, Any]:
        """The sheet as the page's data carries it."""
        return {
            "name": self.name,
            "headers": list(self.headers),
            "directions": dict(self.directions),
        }


@dataclass(frozen=True, slots=True)
class Cluster:
    """A group of nodes that the WebGL page can collapse into one node and expand
    again (see :func:`views.clusters.map_clusters`).

    Parameters
    ----------
    id : str
        The cluster's id (its number on the page when empty).
    label : str
        Its name.
    members : sequence of str
        The ids of its nodes; every node of the page is in exactly one cluster.
    """

    id: str
    label: str
    members: Sequence[str] = ()

    def __post_init__(self) -> None:
        _set(self, "members", tuple(self.members))


@dataclass(frozen=True, slots=True)
class PageOptions:
    """Everything a network page carries besides its nodes and links, checked when
    it is made.

    Parameters
    ----------
    title : str
        The page's title; its file name stem when positions are saved.
    lang : str
        ``"nl"`` or ``"en"``, the language of the page's own words.
    legend : sequence of LegendEntry
        The legend, in order.
    positions : mapping, str, Path or None
        Node id to ``{"x", "y"}`` or ``(x, y)``, or the path of a file saved with the
        page's "Posities opslaan" button; they win over ``x``/``y`` on the nodes.
    seed : int
        Seed of the layout, in Python or in the page.
    stabilization_iterations : int or None
        Layout iterations in the page (at least 1); None: fewer for large maps.
    max_drawn_nodes : int
        Above this many nodes (at least 1) the page draws only a chosen part.
    facet_labels : mapping of str to str or None
        Headings of the filters, by facet key.
    projector : bool
        Open in projector mode.
    content_security_policy : bool
        Forbid every network request and every script but the page's own.
    layout : str
        ``"python"`` (positions from :func:`views.layout.layout_positions`) or
        ``"browser"`` (vis-network lays the map out in the page).
    notes : sequence of Note
        Boxes of text in the control panel.
    links : sequence of PageLink
        Links above the title.
    projector_kinds : sequence of str
        The kinds of node (the nodes' ``group``) projector mode draws; empty: all.
    loops : sequence of Loop or None
        The loops panel's loops; None: no loops panel.
    paths : bool
        Add the panel that finds the paths between two nodes.
    steps : sequence of Step
        The views of a session, in order.
    start_focus : str or None
        The id of the node the page opens focused on.
    step_sheet : StepSheet or None
        Let the facilitator add and save steps.
    toets : mapping or None
        The toetsmodus (:func:`views.toets.toets_data`); None: without.
    renderer : str
        ``"auto"``, ``"vis"`` or ``"webgl"`` (see :func:`views.page.uses_webgl`).
    clusters : sequence of Cluster or None
        Groups of nodes of the WebGL page.

    Values outside these ranges and choices are refused with
    :class:`~graph.errors.PageDataError` (a language the catalogue does not have with
    :class:`~graph.errors.UnknownLanguage`); the sequences are kept as tuples.
    """

    title: str
    lang: str = "nl"
    legend: Sequence[LegendEntry] = ()
    positions: Mapping[str, Any] | str | Path | None = None
    seed: int = 7
    stabilization_iterations: int | None = None
    max_drawn_nodes: int = DEFAULT_MAX_DRAWN_NODES
    facet_labels: Mapping[str, str] | None = None
    projector: bool = False
    content_security_policy: bool = True
    layout: str = "python"
    notes: Sequence[Note] = ()
    links: Sequence[PageLink] = ()
    projector_kinds: Sequence[str] = ()
    loops: Sequence[Loop] | None = None
    paths: bool = False
    steps: Sequence[Step] = ()
    start_focus: str | None = None
    step_sheet: StepSheet | None = None
    toets: Mapping[str, Any] | None = None
    renderer: str = "auto"
    clusters: Sequence[Cluster] | None = None

    def __post_init__(self) -> None:
        check_lang(self.lang)
        if self.max_drawn_nodes < 1:
            raise PageDataError(said("page_data.max_drawn_nodes"))
        if self.stabilization_iterations is not None and self.stabilization_iterations < 1:
            raise PageDataError(said("page_data.stabilization_iterations"))
        if self.layout not in LAYOUTS:
            raise PageDataError(said("page_data.layout", value=repr(self.layout)))
        check_renderer(self.renderer)
        for name in ("legend", "notes", "links", "projector_kinds", "steps"):
            _set(self, name, tuple(getattr(self, name)))
        for name in ("loops", "clusters"):
            if getattr(self, name) is not None:
                _set(self, name, tuple(getattr(self, name)))
