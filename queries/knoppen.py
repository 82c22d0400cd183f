"""Knoppen that hold up: which factors move an outcome most, when the weights are unknown.

:func:`queries.leverage.leverage_points` reads one version of the map, with every
unknown weight counted as 1; on a map drawn in a workshop that ranking rests on weights
nobody gave. Here the weights are *sampled* instead, as QPress does for qualitative
models (Melbourne-Thomas et al. 2012) and as Crielaard et al. (2023) ask of leverage
rankings on causal loop diagrams: many equally defensible versions of the map are
drawn, the ones that do not behave as known are dropped, and the answer is how often
each factor comes out on top, with an interval.

**One sample** is one weight per signed ``INFLUENCES`` link: a known weight is kept
(divided by the largest known weight when that is above 1, as in a scenario), an
unknown one drawn uniformly from ``weight_range`` (:data:`DEFAULT_WEIGHT_RANGE`), or
from the link's own range in ``weight_ranges``. The draws are those of
:mod:`queries.scenarios` (the same seed gives the same weights there and here).

**The effect** of factor i on the outcome t in a sample is the sum, over every walk of
links from i to t, of the product of the weights along it: entry (i, t) of
``(I - W)^-1``, the response of t to a steady push on i in the linearised map (the
press perturbation of QPress; :func:`queries.leverage.leverage_points`' sum of chains,
with loops, and sampled weights). It is computed for every factor at once by running the
map backwards from the outcome, ``r = e_t + W r``, in the FCM machinery of
:mod:`queries.scenarios` (linear, every sample a column): a few whole-array operations
per step.

**Stable samples only.** The walks add up only when the loops that reach the outcome
damp a push rather than amplify it (the spectral radius of that part of ``W`` is below
1): then the run settles. A sample whose run does not settle within ``max_steps`` steps
(to ``tolerance``) is *unstable* and dropped: in it a push on a factor would make the
outcome grow, or swing, without end, which no one has seen happen.

**Observations.** An observation says what people have seen: "when ``source`` rose,
``target`` rose" (sign ``+``) or fell (``-``); the workbook's ``waarnemingen`` sheet.
A sample *reproduces* it when the effect of ``source`` on ``target`` has that sign
(and is larger than ``tolerance``); samples that contradict an observation are
dropped. :attr:`Samples.contradicts` says which, observation by observation.

**The ranking.** Among the kept samples, each factor's rank by the size of its effect
(largest first; equal effects share a rank); ``top_share`` is the share of kept samples
in which it is first (shared when tied), with a Wilson score interval at 95%, and
``rank_low``-``rank_high`` the interval of its ranks. The first *tier* is the leader and
the factors not clearly behind it: a factor is clearly behind when its share of first
places lies below the leader's interval, or its best plausible place below the
leader's worst; the first factor clearly behind starts the next tier, and so on down.
Within a tier the samples do not tell the factors apart. Factors that reach the outcome by the same
pattern of links (the same signs, and unknown weights from the same range) cannot be
told apart by any sampling: they are one tier, and the report says so. When the
weights are all known there is one version of the map and the answer is exact.
:func:`knoppen_robustness` asks how much the ranking depends on single links: Kendall's
τ-b (:func:`kendall_tau`) between the ranking on the whole map and on the map without
one link, each in turn, and without the unconfirmed links.

>>> from loaders import load_map
>>> k = knoppen(load_map(), "prestatiedruk", samples=500)
>>> len(k), int(k["tier"].max()), k.attrs["report"].alike
(7, 1, True)
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from graph import SystemMap, schema
from graph.cycle import outcome
from graph.errors import said
from queries import cypher
from queries._common import QueryError, adjusters, frame, unknown
from queries.scenarios import (
    CONFIRMED_STATUS,
    DEFAULT_WEIGHT_RANGE,
    LINEAR,
    MAX_DRAWS,
    ConceptMap,
    _check_memory,
    _check_ranges,
    _check_weights,
    _number,
    _own_range,
    _run,
    _Settings,
    _weights,
    _whole,
    concept_map,
    stored_concept_map,
)

if TYPE_CHECKING:
    from graph.store import Neo4jStore

__all__ = [
    "KNOPPEN_COLUMNS",
    "ROBUSTNESS_COLUMNS",
    "Observation",
    "Samples",
    "SamplingReport",
    "kendall_tau",
    "knoppen",
    "knoppen_note",
    "knoppen_robustness",
    "observations_of",
    "sample_effects",
    "stored_knoppen",
    "stored_knoppen_robustness",
    "wilson_interval",
]

#: Columns (name: dtype) of :func:`knoppen`.
KNOPPEN_COLUMNS = {
    "factor": "object",
    "name": "object",
    "adjusted_by": "object",
    "tier": "int64",
    "top_share": "float64",
    "top_low": "float64",
    "top_high": "float64",
    "rank": "float64",
    "rank_low": "float64",
    "rank_high": "float64",
    "effect": "float64",
    "effect_low": "float64",
    "effect_high": "float64",
    "share_up": "float64",
    "share_down": "float64",
}
#: Columns (name: dtype) of :func:`knoppen_robustness`.
ROBUSTNESS_COLUMNS = {
    "variant": "object",
    "left_out": "object",
    "links": "int64",
    "kept": "int64",
    "tau": "float64",
    "top": "object",
    "same_top": "bool",
}
#: The z of a 95% Wilson interval.
Z95 = 1.959963984540054
#: A link is left out in turn on at most this many variants (the links nearest the
#: outcome first); each variant costs as much as the ranking itself.
MAX_VARIANTS = 100
#: Factors are compared link by link for a pattern in common only on maps with at most
#: this many of them (a workshop's map): on a larger map, some always differ.
MAX_ALIKE = 100
#: Effects equal to this relative precision share a rank (the runs are in single
#: precision when there are many samples).
TIE = 1e-5


@dataclass(frozen=True)
class Observation:
    """What people saw: when ``source`` rose, ``target`` rose (``+``) or fell (``-``)."""

    id: str
    source: str
    target: str
    sign: str


@dataclass(frozen=True)
class Samples:
    """The sampled versions of a map and what each says about the outcome.

    ``effects`` is candidates × samples (the effect of each candidate factor on the
    outcome in each sample); ``stable`` and each of ``contradicts`` (by observation
    id) are one bool per sample; ``weights`` is the signed links × samples, the links
    in the order of ``links``. A sample is kept when it is stable and contradicts no
    observation.
    """

    target: str
    candidates: tuple[str, ...]
    effects: np.ndarray
    stable: np.ndarray
    contradicts: Mapping[str, np.ndarray]
    weights: np.ndarray
    links: tuple[Mapping[str, Any], ...]
    exact: bool

    @property
    def kept(self) -> np.ndarray:
        kept = self.stable.copy()
        for against in self.contradicts.values():
            kept &= ~against
        return kept


@dataclass(frozen=True)
class SamplingReport:
    """How many samples were drawn, why some were dropped, and how to read the ranking."""

    target: str
    drawn: int
    unstable: int
    contradicting: Mapping[str, int]
    kept: int
    exact: bool
    tied: tuple[str, ...] = ()
    alike: bool = False
    candidates: int = 0
    extra: tuple[str, ...] = field(default=())

    def note(self) -> str:
        """The report as sentences (English; the views phrase it in Dutch)."""
        if self.exact:
            parts = ["every weight on the map is known: one version of the map, no sampling"]
        else:
            parts = [f"{self.kept:,} of {self.drawn:,} samples kept"]
            if self.unstable:
                parts.append(
                    f"{self.unstable:,} dropped as unstable (a push on a factor would make "
                    f"{self.target!r} grow or swing without end)"
                )
            for obs, count in self.contradicting.items():
                parts.append(f"{count:,} dropped for contradicting observation {obs!r}")
        if self.candidates > 1 and len(self.tied) == self.candidates:
            why = (
                "each reaches it by the same pattern of links, with the same signs and "
                "unknown weights from the same range, so each comes out on top about "
                "equally often"
                if self.alike
                else "their shares of first places overlap"
            )
            parts.append(
                f"the map cannot tell these {self.candidates} factors apart as levers on "
                f"{self.target!r}: {why}; record weights, weight ranges or observations "
                "to tell them apart"
            )
        return "; ".join([*parts, *self.extra])


def knoppen_note(found: pd.DataFrame) -> str | None:
    """The sampling report of a :func:`knoppen` answer as a sentence (None: none)."""
    report = found.attrs.get("report")
    return report.note() if isinstance(report, SamplingReport) else None


# --- the numbers ----------------------------------------------------------------------


def wilson_interval(successes: float, n: int, z: float = Z95) -> tuple[float, float]:
    """The Wilson score interval of a share of ``successes`` out of ``n``.

    >>> [round(x, 3) for x in wilson_interval(95, 100)]
    [0.888, 0.978]
    >>> wilson_interval(0, 0)
    (0.0, 1.0)
    """
    if n <= 0:
        return 0.0, 1.0
    p = min(max(successes / n, 0.0), 1.0)
    denominator = 1.0 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


def kendall_tau(x: Sequence[float] | np.ndarray, y: Sequence[float] | np.ndarray) -> float:
    """Kendall's τ-b between two scorings of the same items (NaN when either has no
    two different values), in numpy over every pair: the same value as
    ``scipy.stats.kendalltau(x, y)`` (variant b, which counts ties), for the few
    hundred factors of a map.

    >>> kendall_tau([1, 2, 3, 4], [1, 2, 3, 4]), kendall_tau([1, 2, 3], [3, 2, 1])
    (1.0, -1.0)
    >>> round(kendall_tau([1, 2, 2, 3], [1, 3, 2, 4]), 4)
    0.9129
    """
    a, b = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
    if a.shape != b.shape or a.ndim != 1:
        raise QueryError(said("query.kendall"))
    upper = np.triu_indices(len(a), k=1)
    da = np.sign(a[:, None] - a[None, :])[upper]
    db = np.sign(b[:, None] - b[None, :])[upper]
    untied_a, untied_b = np.count_nonzero(da), np.count_nonzero(db)
    if untied_a == 0 or untied_b == 0:
        return float("nan")
    return float((da * db).sum() / math.sqrt(untied_a * untied_b))


# --- sampling -------------------------------------------------------------------------


def _upstream(links: Sequence[Mapping[str, Any]], ends: Iterable[str]) -> set[str]:
    """The nodes with a chain of ``links`` to one of ``ends``, and ``ends``."""
    into: dict[str, list[str]] = {}
    for link in links:
        into.setdefault(link["target"], []).append(link["source"])
    seen = set(ends)
    todo = list(seen)
    while todo:
        for source in into.get(todo.pop(), ()):
            if source not in seen:
                seen.add(source)
                todo.append(source)
    return seen


def _effects_on(
    n: int,
    sources: np.ndarray,
    targets: np.ndarray,
    weights: np.ndarray,
    into: int,
    s: _Settings,
) -> tuple[np.ndarray, np.ndarray]:
    """The effect of every concept on concept ``into`` in every sample, and whether each
    sample's run settled: ``r = e_into + W r``, run as a linear FCM on the reversed
    links from a concept (number ``n``) clamped at 1 that feeds ``into``."""
    draws = weights.shape[1]
    reversed_sources = np.concatenate([targets, [n]])
    reversed_targets = np.concatenate([sources, [into]])
    feed = np.ones((1, draws), dtype=weights.dtype)
    with np.errstate(over="ignore", invalid="ignore"):
        run = _run(
            n + 1,
            reversed_sources,
            reversed_targets,
            np.vstack([weights, feed]),
            np.zeros(n + 1),
            {n: 1.0},
            s,
        )
    final = run.final[:n].astype(np.float64)
    settled = run.converged & np.isfinite(final).all(axis=0)
    return final, settled


def _checked_observations(
    cm: ConceptMap, observations: Iterable[Observation | Mapping[str, Any]]
) -> list[Observation]:
    ids = set(cm.ids())
    out = []
    for given in observations:
        obs = given if isinstance(given, Observation) else Observation(**dict(given))
        for end in (obs.source, obs.target):
            if end not in ids:
                what = said("error.what.factor_or_actor_in_observation", id=repr(obs.id))
                raise unknown(what, end, ids)
        if obs.sign not in schema.SIGNS:
            raise QueryError(said("query.observation_sign", id=repr(obs.id), sign=repr(obs.sign)))
        if obs.source == obs.target:
            raise QueryError(said("query.observation_self", id=repr(obs.id), node=repr(obs.source)))
        out.append(obs)
    return out


def observations_of(m: SystemMap) -> list[Observation]:
    """The observations recorded on the map (its ``waarnemingen`` sheet), in order."""
    return [
        Observation(row["id"], row["source"], row["target"], row["sign"])
        for row in m.records.get("observations", ())
    ]


def _settings(tolerance: float, max_steps: int) -> _Settings:
    if not 0 < _number("the tolerance", tolerance) < 1:
        raise QueryError(said("query.tolerance", value=repr(tolerance)))
    return _Settings(
        "kosko", LINEAR, 1.0, float(tolerance), _whole("max_steps", max_steps, 1, 10_000)
    )


def sample_effects(
    cm: ConceptMap,
    target: str,
    candidates: Sequence[str],
    observations: Sequence[Observation] = (),
    *,
    samples: int = 1000,
    seed: int = 0,
    weight_range: tuple[float, float] = DEFAULT_WEIGHT_RANGE,
    weight_ranges: Mapping[str, tuple[float, float]] | None = None,
    tolerance: float = 1e-4,
    max_steps: int = 300,
    leave_out: Iterable[str] = (),
    only_confirmed: bool = False,
) -> Samples:
    """Draw ``samples`` versions of the map and the effect of each of ``candidates`` on
    ``target`` in each: the numbers under :func:`knoppen`, for a notebook or a test.

    ``leave_out`` (link ids) and ``only_confirmed`` give a variant of the map with the
    same draws for the links it keeps.
    """
    s = _settings(tolerance, max_steps)
    samples = _whole("samples", samples, 1, MAX_DRAWS)
    seed = _whole("the seed", seed, 0)
    weight_range, ranges = _check_ranges(cm, weight_range, weight_ranges)
    signed = [link for link in cm.links if link["sign"] in schema.SIGNS]
    _check_weights(signed)
    _check_memory("query.samples_memory", samples, len(cm.concepts), len(signed))
    all_weights = _weights(signed, samples, weight_range, ranges, seed)
    exact = all_weights.shape[1] == 1
    dropped = set(leave_out)
    keep = [
        i
        for i, link in enumerate(signed)
        if link["id"] not in dropped
        and (not only_confirmed or cm.statuses[link["id"]][0] == CONFIRMED_STATUS)
    ]
    links = [signed[i] for i in keep]
    weights = all_weights[keep]
    ends = {target, *(obs.target for obs in observations)}
    upstream = _upstream(links, ends)
    used = [i for i, link in enumerate(links) if link["target"] in upstream]
    ids = sorted(upstream)
    position = {node: i for i, node in enumerate(ids)}
    sources = np.array([position[links[i]["source"]] for i in used], dtype=np.int64)
    targets = np.array([position[links[i]["target"]] for i in used], dtype=np.int64)
    w = weights[used]
    draws = w.shape[1]
    on_target, stable = _effects_on(len(ids), sources, targets, w, position[target], s)
    rows = [position[c] if c in position else -1 for c in candidates]
    effects = np.where(np.array(rows)[:, None] >= 0, on_target[rows], 0.0)
    contradicts: dict[str, np.ndarray] = {}
    by_target: dict[str, np.ndarray] = {target: on_target}
    for obs in observations:
        if obs.target not in by_target:
            found, settled = _effects_on(len(ids), sources, targets, w, position[obs.target], s)
            by_target[obs.target] = found
            stable = stable & settled
        if obs.source in position:
            seen = by_target[obs.target][position[obs.source]]
        else:
            seen = np.zeros(draws)
        sign = 1.0 if obs.sign == "+" else -1.0
        contradicts[obs.id] = ~(sign * seen > tolerance)
    return Samples(
        target, tuple(candidates), effects, stable, contradicts, weights, tuple(links), exact
    )


# --- the ranking ----------------------------------------------------------------------


def _ranks(sizes: np.ndarray) -> np.ndarray:
    """Candidates × samples: the rank of each size in its sample, largest first, equal
    sizes (to :data:`TIE`) sharing the best rank."""
    k = sizes.shape[0]
    order = np.argsort(-sizes, axis=0, kind="stable")
    ordered = np.take_along_axis(sizes, order, axis=0)
    tied = np.zeros_like(ordered, dtype=bool)
    tied[1:] = np.isclose(ordered[1:], ordered[:-1], rtol=TIE, atol=0.0)
    starts = np.where(tied, 0, np.arange(k)[:, None])
    ranks_sorted = np.maximum.accumulate(starts, axis=0) + 1
    ranks = np.empty_like(ranks_sorted)
    np.put_along_axis(ranks, order, ranks_sorted, axis=0)
    return ranks


def _chain_signature(
    links: Sequence[Mapping[str, Any]],
    start: str,
    target: str,
    ranges: Mapping[str, Any],
    default: tuple[float, float],
    limit: int = 1000,
    depth: int = 6,
) -> tuple[Any, ...] | None:
    """The pattern of chains from ``start`` to ``target``: per chain, each link's sign
    and weight (or range), nodes left unnamed; None beyond ``limit`` chains."""
    out_links: dict[str, list[Mapping[str, Any]]] = {}
    for link in links:
        out_links.setdefault(link["source"], []).append(link)
    found: list[tuple[Any, ...]] = []
    stack: list[tuple[str, tuple[Any, ...], frozenset[str]]] = [(start, (), frozenset([start]))]
    while stack:
        node, chain, visited = stack.pop()
        for link in out_links.get(node, ()):
            unknown_range = ranges.get(link["id"]) or _own_range(link, default)
            step = (link["sign"], link["weight"], None if link["weight"] else unknown_range)
            if link["target"] == target:
                found.append((*chain, step))
                if len(found) > limit:
                    return None
            elif link["target"] not in visited and len(chain) + 1 < depth:
                stack.append((link["target"], (*chain, step), visited | {link["target"]}))
    return tuple(sorted(found, key=repr))


def _rank_rows(
    result: Samples,
    names: Mapping[str, str],
    can_adjust: Mapping[str, list[str]],
    interval: float,
) -> list[dict[str, Any]]:
    kept = result.kept
    n = int(kept.sum())
    effects = result.effects[:, kept]
    tail = (1.0 - interval) / 2.0
    rows = []
    if n:
        sizes = np.abs(effects)
        ranks = _ranks(sizes)
        first = ranks == 1
        top = (first / first.sum(axis=0, keepdims=True)).sum(axis=1)
        rank_q = np.quantile(ranks, [tail, 0.5, 1.0 - tail], axis=1)
        effect_q = np.quantile(effects, [tail, 0.5, 1.0 - tail], axis=1)
        tolerance = TIE * max(float(sizes.max(initial=0.0)), 1e-12)
        up = (effects > tolerance).mean(axis=1)
        down = (effects < -tolerance).mean(axis=1)
        mean_rank = ranks.mean(axis=1)
    for i, factor in enumerate(result.candidates):
        row: dict[str, Any] = {
            "factor": factor,
            "name": names.get(factor, factor),
            "adjusted_by": list(can_adjust.get(factor, [])),
            "tier": 0,
        }
        if n:
            share = float(top[i] / n)
            low, high = (share, share) if result.exact else wilson_interval(float(top[i]), n)
            row.update(
                top_share=share,
                top_low=low,
                top_high=high,
                rank=float(rank_q[1, i]),
                rank_low=float(rank_q[0, i]),
                rank_high=float(rank_q[2, i]),
                effect=round(float(effect_q[1, i]), 6),
                effect_low=round(float(effect_q[0, i]), 6),
                effect_high=round(float(effect_q[2, i]), 6),
                share_up=float(up[i]),
                share_down=float(down[i]),
                _mean_rank=float(mean_rank[i]),
            )
        else:
            row["_mean_rank"] = math.nan
        rows.append(row)
    if n:
        rows.sort(key=lambda r: (-r["top_share"], r["_mean_rank"], r["factor"]))
        # a new tier where a factor is clearly behind the first of the tier above: its
        # share of first places is below that one's interval, or its best plausible
        # place is below that one's worst
        tier, leader = 0, None
        for row in rows:
            if (
                leader is None
                or row["top_high"] < leader["top_low"]
                or row["rank_low"] > leader["rank_high"]
            ):
                tier, leader = tier + 1, row
            row["tier"] = tier
    return rows


def _mean_ranks(result: Samples) -> np.ndarray:
    kept = result.kept
    if not kept.any():
        return np.full(len(result.candidates), np.nan)
    return _ranks(np.abs(result.effects[:, kept])).mean(axis=1)


@dataclass(frozen=True)
class _Question:
    cm: ConceptMap
    target: str
    candidates: list[str]
    names: dict[str, str]
    can_adjust: Mapping[str, list[str]]
    observations: list[Observation]


def _question(
    cm: ConceptMap,
    target: str,
    can_adjust: Mapping[str, list[str]],
    observations: Iterable[Observation | Mapping[str, Any]],
    only_knobs: bool,
) -> _Question:
    ids = cm.ids()
    if target not in ids:
        raise QueryError(said("query.no_influence", node=repr(target)))
    signed = [link for link in cm.links if link["sign"] in schema.SIGNS]
    upstream = _upstream(signed, [target]) - {target}
    names = {node: name for node, _, name in cm.concepts}
    candidates = sorted(
        node
        for node, kind, _ in cm.concepts
        if kind == "Factor" and node in upstream and (not only_knobs or can_adjust.get(node))
    )
    return _Question(
        cm, target, candidates, names, can_adjust, _checked_observations(cm, observations)
    )


def _ranking(q: _Question, interval: float, options: Mapping[str, Any]) -> pd.DataFrame:
    if not 0.0 < _number("the interval", interval) < 1.0:
        raise QueryError(said("query.interval", value=repr(interval)))
    result = sample_effects(q.cm, q.target, q.candidates, q.observations, **options)
    rows = _rank_rows(result, q.names, q.can_adjust, interval)
    alike = False
    if 1 < len(rows) <= MAX_ALIKE and not result.exact:
        default = options.get("weight_range", DEFAULT_WEIGHT_RANGE)
        ranges = options.get("weight_ranges") or {}
        first = _chain_signature(result.links, rows[0]["factor"], q.target, ranges, default)
        alike = first is not None and all(
            _chain_signature(result.links, row["factor"], q.target, ranges, default) == first
            for row in rows[1:]
        )
    if alike and result.kept.any():
        # alike by construction: what parts them is the noise of the sampling
        for row in rows:
            row["tier"] = 1
    tied = tuple(row["factor"] for row in rows if row["tier"] == 1)
    stable = result.stable
    report = SamplingReport(
        q.target,
        drawn=int(stable.shape[0]),
        unstable=int((~stable).sum()),
        contradicting={o: int((stable & bad).sum()) for o, bad in result.contradicts.items()},
        kept=int(result.kept.sum()),
        exact=result.exact,
        tied=tied,
        alike=alike,
        candidates=len(rows),
    )
    table = frame(rows, KNOPPEN_COLUMNS)
    table.attrs["report"] = report
    return table


_SAMPLE_OPTIONS = ("samples", "seed", "weight_range", "weight_ranges", "tolerance", "max_steps")


def _sampling(given: Mapping[str, Any]) -> dict[str, Any]:
    """The sampling options among a function's arguments."""
    return {name: given[name] for name in _SAMPLE_OPTIONS}


def knoppen(
    m: SystemMap,
    target: str | None = None,
    *,
    only_knobs: bool = False,
    observations: Sequence[Observation | Mapping[str, Any]] | None = None,
    interval: float = 0.9,
    samples: int = 1000,
    seed: int = 0,
    weight_range: tuple[float, float] = DEFAULT_WEIGHT_RANGE,
    weight_ranges: Mapping[str, tuple[float, float]] | None = None,
    tolerance: float = 1e-4,
    max_steps: int = 300,
    as_of_round: int | None = None,
) -> pd.DataFrame:
    """The factors that move ``target``, ranked by how often each moves it most across
    sampled weights, with intervals (the module's description says how).

    Parameters
    ----------
    m : SystemMap
    target : str, optional
        The outcome; by default the map's (:func:`graph.cycle.outcome`).
    only_knobs : bool
        Rank only the factors someone can adjust (a ``kan bijsturen`` link); by default
        every factor with a chain of signed links to ``target``, knob or not.
    observations : sequence of Observation or mapping, optional
        What people saw (``id``, ``source``, ``target``, ``sign``); by default the
        map's ``waarnemingen``. Samples that contradict one are dropped.
    interval : float
        The share of kept samples the ``*_low``-``*_high`` intervals of rank and effect
        cover (default 90%; the interval of ``top_share`` is a 95% Wilson interval).
    as_of_round : int, optional
        The map as it was in this round.
    samples, seed : int
        How many versions of the map to draw (1 to 100,000), and the seed of the
        draws: the same seed gives the same answer.
    weight_range : (float, float)
        The range an unknown weight's size is drawn from (uniformly), 0 to 1.
    weight_ranges : mapping of str to (float, float), optional
        A range per link id, instead of ``weight_range``.
    tolerance, max_steps
        A sample is stable when its run settles (every effect changes by less than
        ``tolerance`` in a step) within ``max_steps`` steps.

    Returns
    -------
    pandas.DataFrame
        One row per factor: ``factor``, ``name``, ``adjusted_by`` (sorted actor ids:
        a knob when not empty), ``tier`` (1: those the samples cannot tell from the
        leader), ``top_share`` and its interval ``top_low``-``top_high``, ``rank``
        (median) and ``rank_low``-``rank_high``, ``effect`` (median effect of a push
        of 1 on the outcome) and ``effect_low``-``effect_high``, ``share_up`` and
        ``share_down`` (the share of kept samples in which a push raises, lowers it);
        the numbers are empty when no sample is kept. Ordered by ``top_share``,
        highest first, then by mean rank and id. ``attrs["report"]`` is the
        :class:`SamplingReport`: how many samples were drawn, kept and dropped, and
        why (:func:`knoppen_note` phrases it).

    Examples
    --------
    >>> m = SystemMap("demo")
    >>> for f in ("a", "b", "c"):
    ...     m.add_node("Factor", f, f.upper(), role="bron")
    >>> m.add_link("ac", "INFLUENCES", "a", "c", sign="+", weight=0.8)
    >>> m.add_link("bc", "INFLUENCES", "b", "c", sign="-")
    >>> k = knoppen(m, "c", samples=200)
    >>> k[["factor", "tier", "top_share"]].values.tolist()
    [['a', 1, 0.695], ['b', 2, 0.305]]

    ``b`` is the stronger lever when its unknown weight is above 0.8. Where people
    know it to be weaker, its range says so:

    >>> k = knoppen(m, "c", samples=200, weight_ranges={"bc": (0.25, 0.5)})
    >>> k[["factor", "top_share", "effect_low", "effect_high"]].values.tolist()
    [['a', 1.0, 0.8, 0.8], ['b', 0.0, -0.48868, -0.262042]]
    """
    target = outcome(m, target, as_of_round)
    cm = concept_map(m, as_of_round)
    found = observations_of(m) if observations is None else observations
    q = _question(cm, target, adjusters(m, as_of_round), found, only_knobs)
    return _ranking(q, interval, _sampling(locals()))


def stored_knoppen(
    store: Neo4jStore,
    map_id: str | None,
    target: str | None = None,
    *,
    only_knobs: bool = False,
    observations: Sequence[Observation | Mapping[str, Any]] | None = None,
    interval: float = 0.9,
    samples: int = 1000,
    seed: int = 0,
    weight_range: tuple[float, float] = DEFAULT_WEIGHT_RANGE,
    weight_ranges: Mapping[str, tuple[float, float]] | None = None,
    tolerance: float = 1e-4,
    max_steps: int = 300,
    as_of_round: int | None = None,
) -> pd.DataFrame:
    """As :func:`knoppen`, for a map in Neo4j: the links, knobs and observations are
    read in Cypher, the samples drawn here."""
    map_id = cypher.resolve_map(store, map_id)
    cm = stored_concept_map(store, map_id, as_of_round)
    target = cypher.outcome(store, map_id, target, as_of_round)
    found = _stored_observations(store, map_id) if observations is None else observations
    q = _question(cm, target, cypher.adjusters(store, map_id, as_of_round), found, only_knobs)
    return _ranking(q, interval, _sampling(locals()))


def _stored_observations(store: Neo4jStore, map_id: str) -> list[Observation]:
    return [Observation(**row) for row in cypher.observations(store, map_id)]


# --- robustness -----------------------------------------------------------------------


def _robustness(q: _Question, max_variants: int, options: Mapping[str, Any]) -> pd.DataFrame:
    max_variants = _whole("max_variants", max_variants, 0)
    base = sample_effects(q.cm, q.target, q.candidates, q.observations, **options)
    base_ranks = _mean_ranks(base)

    def leader(ranks: np.ndarray) -> str | None:
        if not q.candidates or np.isnan(ranks).any() or (ranks == ranks[0]).all():
            return None
        return q.candidates[int(np.nanargmin(ranks))]

    top = leader(base_ranks)
    # the links of the chains into the outcome, nearest to it first
    signed = [link for link in q.cm.links if link["sign"] in schema.SIGNS]
    distance = {q.target: 0}
    frontier = [q.target]
    while frontier:
        nxt = []
        for link in signed:
            if link["target"] in frontier and link["source"] not in distance:
                distance[link["source"]] = distance[link["target"]] + 1
                nxt.append(link["source"])
        frontier = nxt
    relevant = sorted(
        (link for link in signed if link["target"] in distance),
        key=lambda link: (distance[link["target"]], link["id"]),
    )[:max_variants]
    variants: list[tuple[str, str | None, dict[str, Any]]] = [
        ("all", None, {}),
        ("confirmed", None, {"only_confirmed": True}),
        *(("without", link["id"], {"leave_out": [link["id"]]}) for link in relevant),
    ]
    rows = []
    for variant, left_out, change in variants:
        result = (
            base
            if variant == "all"
            else sample_effects(q.cm, q.target, q.candidates, q.observations, **options, **change)
        )
        ranks = _mean_ranks(result)
        usable = ~np.isnan(ranks)
        variant_top = leader(ranks)
        rows.append(
            {
                "variant": variant,
                "left_out": left_out,
                "links": len(result.links),
                "kept": int(result.kept.sum()),
                "tau": kendall_tau(base_ranks, ranks) if usable.all() else math.nan,
                "top": variant_top,
                "same_top": variant_top is not None and variant_top == top,
            }
        )
    return frame(rows, ROBUSTNESS_COLUMNS)


def knoppen_robustness(
    m: SystemMap,
    target: str | None = None,
    *,
    only_knobs: bool = False,
    observations: Sequence[Observation | Mapping[str, Any]] | None = None,
    max_variants: int = MAX_VARIANTS,
    samples: int = 1000,
    seed: int = 0,
    weight_range: tuple[float, float] = DEFAULT_WEIGHT_RANGE,
    weight_ranges: Mapping[str, tuple[float, float]] | None = None,
    tolerance: float = 1e-4,
    max_steps: int = 300,
    as_of_round: int | None = None,
) -> pd.DataFrame:
    """How much the ranking of :func:`knoppen` rests on single links.

    The factors are scored by their mean rank over the kept samples, on the whole map
    (``all``), on its confirmed links only (``confirmed``: status bevestigd), and on the
    map without one link (``without``, ``left_out`` names it), for each signed link on
    a chain into the outcome (at most ``max_variants``, those nearest the outcome
    first). Every variant keeps the draws of the links it keeps. ``tau`` is Kendall's
    τ-b between the variant's scores and the whole map's: 1 the same order, 0 no
    relation, -1 reversed; NaN when no sample is kept or all score alike. ``top`` is
    the factor with the best mean rank, ``same_top`` whether it is the whole map's.

    >>> from loaders import load_map
    >>> r = knoppen_robustness(load_map(), "prestatiedruk", samples=200)
    >>> r["variant"].tolist()[:3], r["links"].tolist()[:3], r["top"].tolist()[1]
    (['all', 'confirmed', 'without'], [9, 0, 8], None)
    """
    target = outcome(m, target, as_of_round)
    cm = concept_map(m, as_of_round, with_statuses=True)
    found = observations_of(m) if observations is None else observations
    q = _question(cm, target, adjusters(m, as_of_round), found, only_knobs)
    return _robustness(q, max_variants, _sampling(locals()))


def stored_knoppen_robustness(
    store: Neo4jStore,
    map_id: str | None,
    target: str | None = None,
    *,
    only_knobs: bool = False,
    observations: Sequence[Observation | Mapping[str, Any]] | None = None,
    max_variants: int = MAX_VARIANTS,
    samples: int = 1000,
    seed: int = 0,
    weight_range: tuple[float, float] = DEFAULT_WEIGHT_RANGE,
    weight_ranges: Mapping[str, tuple[float, float]] | None = None,
    tolerance: float = 1e-4,
    max_steps: int = 300,
    as_of_round: int | None = None,
) -> pd.DataFrame:
    """As :func:`knoppen_robustness`, for a map in Neo4j."""
    map_id = cypher.resolve_map(store, map_id)
    cm = stored_concept_map(store, map_id, as_of_round, with_statuses=True)
    target = cypher.outcome(store, map_id, target, as_of_round)
    found = _stored_observations(store, map_id) if observations is None else observations
    q = _question(cm, target, cypher.adjusters(store, map_id, as_of_round), found, only_knobs)
    return _robustness(q, max_variants, _sampling(locals()))
