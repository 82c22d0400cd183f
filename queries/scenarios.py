"""Scenarios: if a group turns a knob, what moves, and how sure are we?

A scenario runs the map as a *fuzzy cognitive map* (FCM; Kosko 1986). The concepts
are the actors and factors joined by ``INFLUENCES`` links; each link with a sign is a
weight in the concept matrix ``W``, where **row = source concept, column = target**
(``W[i, j]`` is the weight of the link from concept i to concept j), the convention of
MentalModeler, fcmpy and the R package ``fcm``. A state ``A`` is a row of concept
values and one step computes the next state with an activation rule and a squashing
function ``f``:

- ``kosko``: ``A(t+1) = f(A(t) W)``
- ``modified-kosko``: ``A(t+1) = f(A(t) + A(t) W)``
- ``rescaled``: ``A(t+1) = f((2 A(t) - 1) + (2 A(t) - 1) W)``

with ``f`` one of ``sigmoid`` (``1 / (1 + exp(-λx))``), ``tanh`` (``tanh(λx)``),
``bivalent`` (1 if x > 0, else 0) or ``trivalent`` (the sign of x: 1, 0 or -1). A
*clamped* concept keeps its value in every state, the first included. The run stops
at the first state that differs from the one before by less than ``tolerance`` in
every concept (as ``fcm.infer`` and fcmpy's simulator do), or after ``max_steps``.

**The scenario** is MentalModeler's (as fcmconfr documents it): a *baseline* run from
every concept at 1 with nothing clamped, and a *scenario* run from the same state
with the turned knobs clamped at the value they are turned to (between -1 and 1);
the answer is each concept's change, the scenario's final state minus the
baseline's. The defaults are those of ``fcm.infer`` and of MentalModeler's
scenarios: the Kosko rule and the sigmoid with λ = 1, and a tolerance of 0.001.

**Weights from the map.** A link's FCM weight is its sign times its weight, divided
by the largest known weight on the map when that is above 1 (the workbook's weights
are strengths above 0 with no upper bound; an FCM's lie within [-1, 1]). A link
without a sign has no direction and is left out. A link with a sign and no weight
keeps its weight unknown: each of ``draws`` runs draws its size uniformly from
``weight_range`` (:data:`DEFAULT_WEIGHT_RANGE`), or from the link's own range (its
``gewicht_min`` and ``gewicht_max`` on the map, or one given per link), with a
fixed ``seed``, and the answer gives, per concept, the share of draws in which it
rises and falls (by more than the tolerance), the median change and an interval of
the changes. A concept that rises in some draws and falls in others (more than
``1 - agreement`` of them each way; by default any) is ``uncertain``: its direction
depends on the unknown weights, so it has no single change, only its interval.
Otherwise its direction is that of its median change. A map whose weights are
all known is run once, the same as a single FCM run.

**Per perspective.** The same scenario on the links of the map as it stands
(``all``), on the links the groups have confirmed (``confirmed``: status
``bevestigd``), and on the map as one group judged it (a group's name: every link
but those that group rejects, its position ``oneens``). :func:`scenario_by_perspective`
puts them side by side. Statuses and positions follow the status rule of the cycle,
imported in one place below.

**The groups' own weights.** A review may give the weight its group sees in a link
(``gewicht`` on the toetsing sheet; a combined map of :mod:`graph.combine` gives each
map's weight so). In a group's perspective, a link the group gave weights to has the
group's own weight: its weights aggregated within the group (``aggregate``: ``mean``,
the default, or ``median``). With ``aggregate``, every perspective's link weights
come from the reviews' where they give any: aggregated within each group first, then
across the groups (:func:`graph.combine.aggregate_weights`), so that a group with
many reviews weighs as much as a group with one.

Every draw runs at once: the states of all draws are one numpy array (concepts ×
draws), in single precision when there are many, and a step takes a few whole-array
operations (see :func:`_run`): a thousand draws on a map of 2,000 concepts and 10,000
sign-only links take well under a second (``python benchmarks/queries.py scenarios``).
A map in Neo4j gives the same answer: its concepts and links are read in Cypher
(:class:`queries.cypher.StoreSource`) and computed here (``stored_*``).

>>> from loaders import load_map
>>> m = load_map()
>>> s = scenario(m, {"verwachtingen-ouders": -1.0}, draws=200)
>>> s.set_index("node").loc[["prestatiedruk", "stress"], "direction"].tolist()
['down', 'down']
"""

from __future__ import annotations

import inspect
import math
import numbers
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from graph import SystemMap, schema
from graph.combine import AGGREGATIONS, aggregate_weights
from graph.errors import Count, Text, said
from graph.vocabulary import LinkKind, Review, Status
from queries import cypher
from queries._common import INFLUENCE_KINDS, QueryError, frame, unknown
from queries.source import MapSource, Source

# The status rule of the cycle, in this one place: a link's status and the groups
# whose position is ``eens`` / ``oneens``, on a SystemMap and in Neo4j.
from queries.status import link_status_in

if TYPE_CHECKING:
    from graph.store import Neo4jStore

__all__ = [
    "ACTIVATION_RULES",
    "DEFAULT_WEIGHT_RANGE",
    "SCENARIO_COLUMNS",
    "SQUASHING",
    "ConceptMap",
    "answer",
    "concept_map",
    "scenario",
    "scenario_by_perspective",
    "scenario_options",
    "simulate",
    "stored_concept_map",
    "stored_scenario",
    "stored_scenario_by_perspective",
]

ACTIVATION_RULES = ("kosko", "modified-kosko", "rescaled")
SQUASHING = ("sigmoid", "tanh", "bivalent", "trivalent")
#: The size of an unknown weight is drawn uniformly from this range (on the FCM's
#: scale of 0 to 1): a link whose sign is known is assumed to matter at least a little.
DEFAULT_WEIGHT_RANGE = (0.25, 1.0)
#: The perspectives that are not a group's.
ALL, CONFIRMED = "all", "confirmed"
CONFIRMED_STATUS = Status.CONFIRMED
REJECTED_POSITION = "disagreeing"

#: Columns (name: dtype) of :func:`scenario`.
SCENARIO_COLUMNS = {
    "perspective": "object",
    "node": "object",
    "name": "object",
    "kind": "object",
    "turned": "bool",
    "direction": "object",
    "change": "float64",
    "low": "float64",
    "high": "float64",
    "share_up": "float64",
    "share_down": "float64",
    "baseline": "float64",
    "links": "int64",
    "draws": "int64",
    "converged": "float64",
}
_DIRECTION_ORDER = {"turned": 0, "up": 1, "down": 1, "uncertain": 2, "unchanged": 3}


# --- one FCM run, many draws at once -------------------------------------------------


@dataclass(frozen=True)
class _Settings:
    rule: str
    squash: str
    steepness: float
    tolerance: float
    max_steps: int


#: The bounds of the options, checked once where a scenario starts (``_settings`` and
#: ``_answer``), so that no option reaches numpy unchecked. Beyond a hundred thousand
#: draws the interval gets no finer that anyone could see; the runs keep about a dozen
#: bytes per draw for each concept and link at once, so a scenario takes at most
#: ``MAX_CELLS`` draws × (concepts + links): some 250 MB.
MAX_DRAWS = 100_000
MAX_CELLS = 20_000_000
MAX_STEPS = 10_000


#: The options the checks below name, by the words the messages use for them.
_OPTION_WORDS = {
    "the tolerance": "tolerance",
    "max_steps": "max_steps",
    "samples": "samples",
    "the seed": "seed",
    "the interval": "interval",
    "max_variants": "max_variants",
    "the steepness λ": "steepness",
    "draws": "draws",
    "agreement": "agreement",
    "the weight range": "weight_range",
}


def _word(what: Text) -> Text:
    """The catalogue's word for an option the checks name (``query.option.<word>``)."""
    if isinstance(what, str) and what in _OPTION_WORDS:
        return said("query.option." + _OPTION_WORDS[what])
    return what


def _number(what: Text, value: Any) -> float:
    """``value`` as a float if it is a finite real number (not a bool), else QueryError."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not math.isfinite(value):
        raise QueryError(said("query.finite", what=_word(what), value=repr(value)))
    return float(value)


def _whole(what: str, value: Any, low: int, high: int | None = None) -> int:
    """``value`` if it is a whole number from ``low`` to ``high`` (not a bool), else
    QueryError."""
    whole = not isinstance(value, bool) and isinstance(value, numbers.Integral)
    if not whole or not low <= int(value) <= (high if high is not None else int(value)):
        shown = Count(int(value)) if whole else repr(value)
        raise QueryError(
            said(
                "query.whole_between",
                what=_word(what),
                low=Count(low),
                high=Count(high),
                value=shown,
            )
            if high is not None
            else said("query.whole_from", what=_word(what), low=Count(low), value=shown)
        )
    return int(value)


def _settings(
    rule: str, squash: str, steepness: float, tolerance: float, max_steps: int
) -> _Settings:
    if rule not in ACTIVATION_RULES:
        raise unknown("activation rule", rule, ACTIVATION_RULES)
    if squash not in SQUASHING:
        raise unknown("squashing function", squash, SQUASHING)
    if not _number("the steepness λ", steepness) > 0:
        raise QueryError(said("query.steepness", value=repr(steepness)))
    # the concepts' values lie within [-1, 1]: a tolerance of 1 or more stops every run
    # at its first step
    if not 0 < _number("the tolerance", tolerance) < 1:
        raise QueryError(said("query.tolerance", value=repr(tolerance)))
    max_steps = _whole("max_steps", max_steps, 1, MAX_STEPS)
    return _Settings(rule, squash, float(steepness), float(tolerance), max_steps)


#: No squashing: the linear map that :mod:`queries.knoppen` runs to add up every chain
#: and loop into an outcome. Not one of :data:`SQUASHING`, so no scenario asks for it.
LINEAR = "linear"


def _squash(x: np.ndarray, s: _Settings) -> np.ndarray:
    if s.squash == LINEAR:
        return x.copy()  # a new state: the run reuses its array of inputs
    if s.squash == "sigmoid":
        return 1.0 / (1.0 + np.exp(-s.steepness * x))
    if s.squash == "tanh":
        return np.tanh(s.steepness * x)
    if s.squash == "bivalent":
        return (x > 0).astype(x.dtype)
    return np.sign(x)


@dataclass(frozen=True)
class _Run:
    final: np.ndarray  # concepts × draws: the first state within tolerance, or the last
    converged: np.ndarray  # per draw
    history: list[np.ndarray]  # every state, only when asked for


#: Draws run in blocks of this many: the arrays of one step of a block stay in the
#: processor's cache (a map of 10,000 links runs about twice as fast as in one piece).
BLOCK = 64


def _run(
    n: int,
    sources: np.ndarray,
    targets: np.ndarray,
    weights: np.ndarray,
    initial: np.ndarray,
    clamped: Mapping[int, float],
    s: _Settings,
    keep_history: bool = False,
) -> _Run:
    """Run every draw (a column of ``weights``: links × draws) from ``initial``.

    The concepts are grouped by how many links come into them: for the d-link group
    the inputs are one array (concepts × d × draws) summed over its middle axis, a few
    whole-array operations per step (a sum per concept over a list of links,
    ``np.add.reduceat``, took seven times as long). Each block of draws runs until all
    its draws have settled.
    """
    draws = weights.shape[1]
    # many draws in single precision: twice as fast, and far finer than any interval
    dtype = np.float64 if draws == 1 else np.float32
    order = np.argsort(targets, kind="stable")
    sources, weights = sources[order], np.asarray(weights[order], dtype=dtype)
    receiving, starts, counts = np.unique(targets[order], return_index=True, return_counts=True)
    groups = []  # (the concepts with d links in, their links: concepts × d rows)
    for d in np.unique(counts):
        chosen = np.nonzero(counts == d)[0]
        groups.append((receiving[chosen], starts[chosen][:, None] + np.arange(d)[None, :]))
    clamp_rows = np.fromiter(clamped, dtype=np.int64, count=len(clamped))
    clamp_values = np.fromiter(clamped.values(), dtype=dtype, count=len(clamped))
    first = np.asarray(initial, dtype=dtype).copy()
    first[clamp_rows] = clamp_values
    final = np.empty((n, draws), dtype=dtype)
    converged = np.zeros(draws, dtype=bool)
    history = [first.copy()] if keep_history else []
    for block in range(0, draws, BLOCK):
        columns = slice(block, min(block + BLOCK, draws))
        width = columns.stop - columns.start
        inputs = [(into, sources[rows], weights[rows, columns]) for into, rows in groups]
        state = np.repeat(first[:, None], width, axis=1)
        done = np.zeros(width, dtype=bool)
        incoming = np.zeros_like(state)
        for _ in range(s.max_steps):
            x = 2 * state - 1 if s.rule == "rescaled" else state
            for into, links_from, w in inputs:
                incoming[into] = np.einsum("cdb,cdb->cb", x[links_from], w)
            new = _squash(incoming if s.rule == "kosko" else x + incoming, s)
            new[clamp_rows] = clamp_values[:, None]
            if keep_history:
                history.append(new[:, 0].copy())
            settled = ~done & (np.abs(new - state).max(axis=0, initial=0.0) < s.tolerance)
            final[:, columns][:, settled] = new[:, settled]
            done |= settled
            state = new
            if done.all():
                break
        final[:, columns][:, ~done] = state[:, ~done]
        converged[columns] = done
    return _Run(final, converged, history)


def simulate(
    weights: Any,
    initial: Any,
    *,
    clamped: Mapping[int, float] | None = None,
    rule: str = "kosko",
    squash: str = "sigmoid",
    steepness: float = 1.0,
    tolerance: float = 0.001,
    max_steps: int = 100,
) -> np.ndarray:
    """One FCM run on a concept matrix: every state, from the initial one to the last.

    Parameters
    ----------
    weights : array_like
        The n × n concept matrix, row = source concept: ``weights[i][j]`` is the
        weight of the link from concept i to concept j (a value on the diagonal is
        a concept's link to itself).
    initial : array_like
        The n values of the first state.
    clamped : mapping of int to float, optional
        Concepts (by position) held at a value in every state.
    rule, squash, steepness, tolerance, max_steps
        As in the module's description; the defaults are those of ``fcm.infer``.

    Returns
    -------
    numpy.ndarray
        One row per state: the initial state, then each step up to the first state
        within ``tolerance`` of the one before (or ``max_steps`` steps).

    Examples
    --------
    Two concepts, the first driving the second (Kosko's rule, sigmoid):

    >>> simulate([[0.0, 1.0], [0.0, 0.0]], [1.0, 0.0])[1].round(4).tolist()
    [0.5, 0.7311]
    """
    s = _settings(rule, squash, steepness, tolerance, max_steps)
    matrix = np.asarray(weights, dtype=np.float64)
    n = len(matrix)
    if matrix.shape != (n, n) or np.shape(initial) != (n,):
        raise QueryError(said("query.square_matrix"))
    sources, targets = np.nonzero(matrix)
    run = _run(
        n,
        sources,
        targets,
        matrix[sources, targets][:, None],
        np.asarray(initial, dtype=np.float64),
        dict(clamped or {}),
        s,
        keep_history=True,
    )
    return np.array(run.history)


# --- the map as concepts and weights -------------------------------------------------


#: What a scenario reads of an influence link besides its id and ends.
LINK_FIELDS = ("sign", "weight", "weight_low", "weight_high")


@dataclass(frozen=True)
class ConceptMap:
    """What a scenario needs of a map, read from files or from Neo4j.

    ``concepts`` are the actors and factors joined by an influence link, sorted by id,
    as (id, kind, name); ``links`` the influence links between them, sorted by id, as
    dicts with ``id``, ``source``, ``target``, ``sign`` and ``weight`` (None when
    unknown); ``statuses`` by link id: its status, the groups that reject it and
    those that reviewed it (empty unless a perspective needs them); ``group_weights``
    by link id and group: the weights the group's reviews that count give the link.
    """

    concepts: tuple[tuple[str, str, str], ...]
    links: tuple[Mapping[str, Any], ...]
    statuses: Mapping[str, tuple[str, frozenset[str], frozenset[str]]]
    group_weights: Mapping[str, Mapping[str, tuple[Any, ...]]] = field(default_factory=dict)

    def ids(self) -> list[str]:
        return [c[0] for c in self.concepts]


def _concept_map(
    nodes: Iterable[tuple[str, str, str]],
    links: Iterable[Mapping[str, Any]],
    statuses: pd.DataFrame | None,
    review_weights: Iterable[Review] = (),
) -> ConceptMap:
    ordered = sorted(links, key=lambda link: link["id"])
    weights: dict[str, dict[str, tuple[Any, ...]]] = {}
    for review in review_weights:
        by_group = weights.setdefault(review.link, {})
        by_group[review.group] = (*by_group.get(review.group, ()), review.weight)
    joined = {link["source"] for link in ordered} | {link["target"] for link in ordered}
    concepts = tuple(sorted(n for n in nodes if n[0] in joined))
    by_link: dict[str, tuple[str, frozenset[str], frozenset[str]]] = {}
    if statuses is not None:
        columns = ("link", "status", REJECTED_POSITION, "groups")
        for link, status, rejecting, groups in zip(*(statuses[c] for c in columns), strict=True):
            by_link[link] = (status, frozenset(rejecting), frozenset(groups))
    return ConceptMap(concepts, tuple(ordered), by_link, weights)


def concept_map(
    m: SystemMap, as_of_round: int | None = None, *, with_statuses: bool = False
) -> ConceptMap:
    """The concepts and influence links of a map (in a round), with the links' statuses
    when ``with_statuses``."""
    return concept_map_in(MapSource(m), as_of_round, with_statuses=with_statuses)


def stored_concept_map(
    store: Neo4jStore,
    map_id: str | None = None,
    as_of_round: int | None = None,
    *,
    with_statuses: bool = False,
) -> ConceptMap:
    """As :func:`concept_map`, for a map in Neo4j, read in Cypher."""
    return concept_map_in(
        cypher.StoreSource(store, map_id), as_of_round, with_statuses=with_statuses
    )


def concept_map_in(
    source: Source, as_of_round: int | None = None, *, with_statuses: bool = False
) -> ConceptMap:
    """As :func:`concept_map`, over a :class:`queries.source.Source`: a SystemMap or the
    map in Neo4j."""
    source.check_round(as_of_round)
    nodes = source.nodes(INFLUENCE_KINDS, as_of_round)
    links = [
        {name: link[name] for name in ("id", "source", "target", *LINK_FIELDS)}
        for link in source.links((LinkKind.INFLUENCES,), as_of_round, fields=LINK_FIELDS)
    ]
    statuses = link_status_in(source, as_of_round) if with_statuses else None
    review_weights = [r for r in source.reviews(as_of_round) if r.weight is not None]
    return _concept_map(
        ((n["id"], n["kind"], n["name"]) for n in nodes), links, statuses, review_weights
    )


def _perspective_links(cm: ConceptMap, perspective: str) -> list[Mapping[str, Any]]:
    if perspective == ALL:
        return list(cm.links)
    if perspective == CONFIRMED:
        return [link for link in cm.links if cm.statuses[link["id"]][0] == CONFIRMED_STATUS]
    if perspective not in schema.GROUPS:
        raise unknown("perspective", perspective, (ALL, CONFIRMED, *schema.GROUPS))
    return [link for link in cm.links if perspective not in cm.statuses[link["id"]][1]]


def _check_turn(cm: ConceptMap, turn: Mapping[str, float]) -> dict[str, float]:
    if not turn:
        raise QueryError(said("query.no_knob"))
    ids = cm.ids()
    checked: dict[str, float] = {}
    for node, value in turn.items():
        if node not in ids:
            raise unknown("factor or actor with influence links", node, ids)
        if (
            isinstance(value, bool)
            or not isinstance(value, numbers.Real)
            or not -1.0 <= float(value) <= 1.0
            or float(value) == 0.0
        ):
            raise QueryError(said("query.turn_value", node=repr(node), value=repr(value)))
        checked[node] = float(value)
    return checked


def _check_weights(links: Sequence[Mapping[str, Any]]) -> None:
    """QueryError for a known weight that is not a finite number above 0: an unknown
    weight is empty, and a weight that is no number must not pass for one."""
    for link in links:
        weight = link["weight"]
        if weight is None:
            continue
        if (
            isinstance(weight, bool)
            or not isinstance(weight, numbers.Real)
            or not math.isfinite(weight)
            or not float(weight) > 0
        ):
            raise QueryError(said("query.link_weight", link=repr(link["id"]), weight=repr(weight)))


def _check_memory(code: str, runs: int, concepts: int, links: int) -> None:
    """QueryError ``code`` when ``runs`` draws of a map of ``concepts`` and ``links``
    (signed) would hold more than :data:`MAX_CELLS` numbers at once."""
    size = concepts + links
    if runs * size > MAX_CELLS:
        most = Count(MAX_CELLS // size)
        raise QueryError(
            said(code, runs=Count(runs), concepts=Count(concepts), links=Count(links), most=most)
        )


def _weights(
    links: Sequence[Mapping[str, Any]],
    draws: int,
    weight_range: tuple[float, float],
    weight_ranges: Mapping[str, tuple[float, float]],
    seed: int,
    scale: float = 1.0,
) -> np.ndarray:
    """Links × draws: the FCM weight of each signed link in each draw.

    Known weights are divided by the largest known weight (or ``scale``) when that is
    above 1 and repeated; unknown ones are drawn, in the order of the links (sorted by
    id), so that a link keeps its draws in every perspective. One column when none is
    unknown.
    """
    known = [float(link["weight"]) for link in links if link["weight"] is not None]
    scale = max([1.0, scale, *known])
    unknown_links = [i for i, link in enumerate(links) if link["weight"] is None]
    columns = draws if unknown_links else 1
    dtype: type[np.floating[Any]] = np.float64 if columns == 1 else np.float32  # as _run
    signs = np.array([1.0 if link["sign"] == "+" else -1.0 for link in links], dtype=dtype)
    sizes = np.array([(link["weight"] or 0.0) / scale for link in links], dtype=dtype)
    out = np.repeat((signs * sizes)[:, None], columns, axis=1)
    if unknown_links:
        bounds = [
            weight_ranges.get(links[i]["id"]) or _own_range(links[i], weight_range)
            for i in unknown_links
        ]
        low, high = np.array(bounds, dtype=dtype).T[:, :, None]
        drawn = np.random.default_rng(seed).random((len(unknown_links), columns), dtype)
        out[unknown_links] = signs[unknown_links, None] * (low + (high - low) * drawn)
    return out


def _own_range(link: Mapping[str, Any], default: tuple[float, float]) -> tuple[float, float]:
    """The range the map gives a link's unknown weight (its ``gewicht_min`` and
    ``gewicht_max``: a missing bound is 0 or 1), or ``default`` when it gives none."""
    low, high = link.get("weight_low"), link.get("weight_high")
    if low is None and high is None:
        return default
    return (0.0 if low is None else float(low), 1.0 if high is None else float(high))


def _check_range(what: Text, bounds: tuple[float, float]) -> tuple[float, float]:
    refused = said("query.range", what=_word(what), value=repr(bounds))
    try:
        low, high = (_number(what, b) for b in bounds)
    except (TypeError, ValueError) as e:  # not a pair of numbers
        raise QueryError(refused) from e
    if not 0.0 <= low <= high <= 1.0:
        raise QueryError(refused)
    return low, high


def _check_ranges(
    cm: ConceptMap,
    weight_range: tuple[float, float],
    weight_ranges: Mapping[str, tuple[float, float]] | None,
) -> tuple[tuple[float, float], dict[str, tuple[float, float]]]:
    """The weight range for unknown weights, and the range of each link given one, each
    checked; a link that is not an influence link of ``cm`` is named."""
    weight_range = _check_range("the weight range", weight_range)
    ranges = {
        link: _check_range(said("query.option.weight_range_of", link=repr(link)), bounds)
        for link, bounds in (weight_ranges or {}).items()
    }
    link_ids = {link["id"] for link in cm.links}
    for link in ranges:
        if link not in link_ids:
            raise unknown("influence link", link, link_ids)
    return weight_range, ranges


#: Values are given to this many decimals: far finer than the tolerance of a run, and
#: no digits of the single precision in which many draws are computed.
DECIMALS = 6


def _shown(value: float) -> float:
    return round(float(value), DECIMALS)


def _scenario_rows(
    cm: ConceptMap,
    perspective: str,
    turn: Mapping[str, float],
    signed: Sequence[Mapping[str, Any]],
    all_weights: np.ndarray,
    s: _Settings,
    agreement: float,
    interval: float,
) -> list[dict[str, Any]]:
    ids = cm.ids()
    position = {node: i for i, node in enumerate(ids)}
    row_of = {link["id"]: i for i, link in enumerate(signed)}
    links = [link for link in _perspective_links(cm, perspective) if link["id"] in row_of]
    weights = all_weights[[row_of[link["id"]] for link in links]]
    sources = np.array([position[link["source"]] for link in links], dtype=np.int64)
    targets = np.array([position[link["target"]] for link in links], dtype=np.int64)
    ones = np.ones(len(ids))
    baseline = _run(len(ids), sources, targets, weights, ones, {}, s)
    clamps = {position[node]: value for node, value in turn.items()}
    turned = _run(len(ids), sources, targets, weights, ones, clamps, s)
    change = turned.final - baseline.final
    converged = float((baseline.converged & turned.converged).mean())
    # a change smaller than the tolerance is within the run's own precision
    up = (change > s.tolerance).mean(axis=1)
    down = (change < -s.tolerance).mean(axis=1)
    tail = (1.0 - interval) / 2.0
    median, low, high = np.quantile(change, [0.5, tail, 1.0 - tail], axis=1)
    base = np.median(baseline.final, axis=1)
    link_count = np.bincount(np.concatenate([sources, targets]), minlength=len(ids))
    rows = []
    for i, (node, kind, name) in enumerate(cm.concepts):
        if node in turn:
            direction = "turned"
        elif min(up[i], down[i]) > 1.0 - agreement:
            direction = "uncertain"  # it rises in some draws and falls in others
        elif median[i] > s.tolerance:
            direction = "up"
        elif median[i] < -s.tolerance:
            direction = "down"
        else:
            direction = "unchanged"
        rows.append(
            {
                "perspective": perspective,
                "node": node,
                "name": name,
                "kind": kind,
                "turned": node in turn,
                "direction": direction,
                "change": None if direction == "uncertain" else _shown(median[i]),
                "low": _shown(low[i]),
                "high": _shown(high[i]),
                "share_up": float(up[i]),
                "share_down": float(down[i]),
                "baseline": _shown(base[i]),
                "links": int(link_count[i]),
                "draws": change.shape[1],
                "converged": converged,
                "_size": abs(float(median[i])),
            }
        )
    rows.sort(key=lambda r: (_DIRECTION_ORDER[r["direction"]], -r["_size"], r["node"]))
    return rows


def _answer(
    cm: ConceptMap,
    perspectives: Sequence[str],
    turn: Mapping[str, float],
    *,
    rule: str,
    squash: str,
    steepness: float,
    draws: int,
    weight_range: tuple[float, float],
    weight_ranges: Mapping[str, tuple[float, float]] | None,
    seed: int,
    agreement: float,
    interval: float,
    tolerance: float,
    max_steps: int,
    aggregate: str | None,
) -> pd.DataFrame:
    s = _settings(rule, squash, steepness, tolerance, max_steps)
    if aggregate is not None and aggregate not in AGGREGATIONS:
        raise unknown("aggregation", aggregate, AGGREGATIONS)
    draws = _whole("draws", draws, 1, MAX_DRAWS)
    seed = _whole("the seed", seed, 0)
    if not 0.5 < _number("agreement", agreement) <= 1.0:
        raise QueryError(said("query.agreement", value=repr(agreement)))
    if not 0.0 < _number("the interval", interval) < 1.0:
        raise QueryError(said("query.interval", value=repr(interval)))
    weight_range, ranges = _check_ranges(cm, weight_range, weight_ranges)
    checked = _check_turn(cm, turn)
    signed = [link for link in cm.links if link["sign"] in schema.SIGNS]
    _check_weights(signed)
    own = _own_weights(cm, signed, aggregate or "mean")
    if aggregate is not None:
        signed = [_aggregated(link, cm, aggregate) for link in signed]
    # one scale for the map's weights and the groups' own (see _weights)
    scale = max(
        [
            1.0,
            *(float(link["weight"]) for link in signed if link["weight"] is not None),
            *(w for by_group in own.values() for w in by_group.values()),
        ]
    )
    if any(link["weight"] is None for link in signed):
        _check_memory("query.draws_memory", draws, len(cm.concepts), len(signed))
    weights = _weights(signed, draws, weight_range, ranges, seed, scale)
    rows = [
        row
        for perspective in perspectives
        for row in _scenario_rows(
            cm,
            perspective,
            checked,
            signed,
            _perspective_weights(perspective, signed, weights, own, scale),
            s,
            agreement,
            interval,
        )
    ]
    return frame(rows, SCENARIO_COLUMNS)


def _own_weights(
    cm: ConceptMap, signed: Sequence[Mapping[str, Any]], how: str
) -> dict[str, dict[str, float]]:
    """For each signed link the groups' reviews give weights to: each group's own
    weight, aggregated within the group by ``how``; QueryError for a weight that is
    not a finite number above 0."""
    out: dict[str, dict[str, float]] = {}
    for link in signed:
        for group, weights in cm.group_weights.get(link["id"], {}).items():
            _check_weights(
                [{"id": f"{link['id']} (weight of {group})", "weight": w} for w in weights]
            )
            own = aggregate_weights({group: weights}, how)[0]  # type: ignore[arg-type]
            if own is not None:
                out.setdefault(link["id"], {})[group] = own
    return out


def _aggregated(link: Mapping[str, Any], cm: ConceptMap, how: str) -> Mapping[str, Any]:
    """``link`` with the weight its reviews give it, within each group and then across
    the groups; as it is when they give none."""
    by_group = cm.group_weights.get(link["id"])
    if not by_group:
        return link
    weight, _ = aggregate_weights(by_group, how)  # type: ignore[arg-type]
    return link if weight is None else {**link, "weight": weight}


def _perspective_weights(
    perspective: str,
    signed: Sequence[Mapping[str, Any]],
    weights: np.ndarray,
    own: Mapping[str, Mapping[str, float]],
    scale: float,
) -> np.ndarray:
    """The weights of a perspective: in a group's, a link the group gave weights to has
    the group's own; in the others, as they are."""
    rows = {
        i: own[link["id"]][perspective]
        for i, link in enumerate(signed)
        if perspective in own.get(link["id"], {})
    }
    if not rows:
        return weights
    out = weights.copy()
    for i, weight in rows.items():
        out[i, :] = (1.0 if signed[i]["sign"] == "+" else -1.0) * weight / scale
    return out


def scenario(
    m: SystemMap,
    turn: Mapping[str, float],
    *,
    perspective: str = ALL,
    rule: str = "kosko",
    squash: str = "sigmoid",
    steepness: float = 1.0,
    draws: int = 1000,
    weight_range: tuple[float, float] = DEFAULT_WEIGHT_RANGE,
    weight_ranges: Mapping[str, tuple[float, float]] | None = None,
    seed: int = 0,
    agreement: float = 1.0,
    interval: float = 0.9,
    tolerance: float = 0.001,
    max_steps: int = 100,
    aggregate: str | None = None,
    as_of_round: int | None = None,
) -> pd.DataFrame:
    """What moves when the knobs in ``turn`` are turned, and how sure that is.

    Parameters
    ----------
    m : SystemMap
    turn : mapping of str to float
        The knobs (factor or actor ids) and the value each is clamped at, from -1
        (turned all the way down) to 1 (all the way up), not 0.
    perspective : str
        ``"all"`` (the map as it stands), ``"confirmed"`` (only links with status
        bevestigd) or a group (``"ouder"``...: every link but those it rejects).
    rule, squash, steepness
        The activation rule, squashing function and its λ (module description), a
        finite number above 0.
    draws : int
        How many runs draw the unknown weights, from 1 to :data:`MAX_DRAWS` and at
        most :data:`MAX_CELLS` / (concepts + links) on the map; a map whose weights
        are all known runs once.
    weight_range : (float, float)
        The range an unknown weight's size is drawn from (uniformly), 0 to 1.
    weight_ranges : mapping of str to (float, float), optional
        A range per link id, instead of the link's own on the map (its
        ``gewicht_min`` and ``gewicht_max``) or ``weight_range``.
    seed : int
        The same seed gives the same draws: a whole number of at least 0.
    agreement : float
        A concept is ``uncertain`` when more than ``1 - agreement`` of the draws
        rise and more than that fall (default 1: any rise and any fall).
    interval : float
        The share of draws the interval ``low``-``high`` covers (default 90%).
    tolerance, max_steps
        When a run has settled (a change in every concept below ``tolerance``, above 0
        and below 1), and when it stops if it does not (after 1 to
        :data:`MAX_STEPS` steps).
    aggregate : {None, "mean", "median"}
        How the weights the reviews give (module description) are aggregated, within
        each group and then across the groups. By default a link's weight is the
        map's, and a group's perspective aggregates the group's own by the mean.
    as_of_round : int, optional
        The map as it was in this round.

    A weight on the map must be a finite number above 0 (or empty: unknown); every
    option is checked before anything runs, and a value out of bounds raises
    :class:`graph.errors.QueryError` saying which and why.

    Returns
    -------
    pandas.DataFrame
        One row per concept (actor or factor with an influence link): ``perspective``,
        ``node``, ``name``, ``kind``; ``turned`` (a knob of the scenario);
        ``direction`` (``turned``, ``up``, ``down``, ``unchanged`` or ``uncertain``);
        ``change`` (the median change against the baseline; empty when uncertain);
        ``low`` and ``high`` (the interval of the changes); ``share_up`` and
        ``share_down`` (the share of draws in which it rises, falls); ``baseline``
        (its median value in the baseline); ``links`` (its influence links in the
        perspective); ``draws``; ``converged`` (the share of draws whose runs
        settled). Knobs first, then the concepts that move, the largest change first,
        then the uncertain ones and those that do not move.

    Examples
    --------
    >>> m = SystemMap("demo")
    >>> for f in ("a", "b", "c"):
    ...     m.add_node("Factor", f, f.upper(), level="persoon", role="bron")
    >>> m.add_link("ab", "INFLUENCES", "a", "b", sign="+", weight=0.5)
    >>> m.add_link("bc", "INFLUENCES", "b", "c", sign="-", weight=1.0)
    >>> s = scenario(m, {"a": -1.0})
    >>> s[["node", "direction", "draws"]].values.tolist()
    [['a', 'turned', 1], ['b', 'down', 1], ['c', 'up', 1]]
    """
    given = dict(locals())
    cm = concept_map(m, as_of_round, with_statuses=perspective != ALL)
    return _answer(cm, [perspective], turn, **{name: given[name] for name in scenario_options({})})


def _perspectives(cm: ConceptMap, groups: Sequence[str] | None) -> list[str]:
    if groups is None:
        reviewing = {g for link in cm.links for g in cm.statuses[link["id"]][2]}
        groups = sorted(reviewing)
    return [ALL, CONFIRMED, *groups]


def scenario_by_perspective(
    m: SystemMap,
    turn: Mapping[str, float],
    *,
    groups: Sequence[str] | None = None,
    as_of_round: int | None = None,
    **options: Any,
) -> pd.DataFrame:
    """The same scenario on all links, on the confirmed ones and as each group judged
    the map, one after the other (column ``perspective``): where do the answers part?

    ``groups`` are the groups to show; by default every group that reviewed an
    influence link. The other options are those of :func:`scenario`.
    """
    cm = concept_map(m, as_of_round, with_statuses=True)
    return _answer(cm, _perspectives(cm, groups), turn, **scenario_options(options))


def scenario_options(options: Mapping[str, Any]) -> dict[str, Any]:
    """Every option of :func:`scenario` (its signature is their one home): its default,
    or the value in ``options``; QueryError for a name it does not know.

    >>> scenario_options({"draws": 10})["draws"], scenario_options({})["rule"]
    (10, 'kosko')
    """
    defaults = {
        name: p.default
        for name, p in inspect.signature(scenario).parameters.items()
        if p.kind is inspect.Parameter.KEYWORD_ONLY and name not in ("perspective", "as_of_round")
    }
    for name in options:
        if name not in defaults:
            raise unknown("scenario option", name, defaults)
    return {**defaults, **options}


def stored_scenario(
    store: Neo4jStore,
    map_id: str | None,
    turn: Mapping[str, float],
    *,
    perspective: str = ALL,
    as_of_round: int | None = None,
    **options: Any,
) -> pd.DataFrame:
    """As :func:`scenario`, for a map in Neo4j (the only one when ``map_id`` is None)."""
    cm = stored_concept_map(store, map_id, as_of_round, with_statuses=perspective != ALL)
    return _answer(cm, [perspective], turn, **scenario_options(options))


def stored_scenario_by_perspective(
    store: Neo4jStore,
    map_id: str | None,
    turn: Mapping[str, float],
    *,
    groups: Sequence[str] | None = None,
    as_of_round: int | None = None,
    **options: Any,
) -> pd.DataFrame:
    """As :func:`scenario_by_perspective`, for a map in Neo4j."""
    cm = stored_concept_map(store, map_id, as_of_round, with_statuses=True)
    return _answer(cm, _perspectives(cm, groups), turn, **scenario_options(options))


def answer(
    map_or_store: SystemMap | Neo4jStore,
    turn: Mapping[str, float],
    *,
    map_id: str | None = None,
    compare: bool = False,
    perspective: str = ALL,
    as_of_round: int | None = None,
    **options: Any,
) -> pd.DataFrame:
    """The scenario on either backend, as :func:`queries.answer` asks a question: a
    SystemMap, or a store (``map_id`` names the map; by default the only one).

    ``compare=True`` gives :func:`scenario_by_perspective`, else :func:`scenario` in
    ``perspective``; the other options are theirs.
    """
    if compare and perspective != ALL:
        raise QueryError(said("query.compare_perspective"))
    if isinstance(map_or_store, SystemMap):
        if map_id is not None:
            raise QueryError(said("query.map_id_on_files"))
        if compare:
            return scenario_by_perspective(map_or_store, turn, as_of_round=as_of_round, **options)
        cm = concept_map(map_or_store, as_of_round, with_statuses=perspective != ALL)
    elif compare:
        return stored_scenario_by_perspective(
            map_or_store, map_id, turn, as_of_round=as_of_round, **options
        )
    else:
        cm = stored_concept_map(map_or_store, map_id, as_of_round, with_statuses=perspective != ALL)
    return _answer(cm, [perspective], turn, **scenario_options(options))
