"""What changed between two rounds, and why: nodes and links, the knoppen, the loops.

Each question compares the map as of one round with the map as of a later one (the
rules of :mod:`graph.cycle`): :func:`diff` lists every change with the adjustments and
reviews behind it, :func:`leverage_moves` how the ranking of the knoppen moved, and
:func:`loop_moves` the feedback loops that appeared or went. The Cypher answer of
:func:`diff` (:func:`queries.cypher.diff`) gathers the same :class:`History` in the
database and ends with the same :func:`diff_rows`.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

import pandas as pd

from graph import SystemMap
from graph.cycle import check_rounds, map_as_of, outcome, present, rounds, status_rows
from queries._common import frame
from queries.leverage import leverage_points
from queries.loops import loops
from queries.phrasing import describe_link, verdicts_text

__all__ = [
    "CHANGES",
    "DIFF_COLUMNS",
    "LEVERAGE_MOVE_COLUMNS",
    "LOOP_MOVE_COLUMNS",
    "History",
    "Snapshot",
    "diff",
    "diff_rows",
    "leverage_moves",
    "loop_moves",
]

#: Columns (name: dtype) of :func:`diff`.
DIFF_COLUMNS = {
    "change": "object",
    "item": "object",
    "replaces": "object",
    "kind": "object",
    "description": "object",
    "before": "object",
    "after": "object",
    "round": "Int64",
    "adjustments": "object",
    "reason": "object",
    "prompted_by": "object",
}
#: Columns (name: dtype) of :func:`leverage_moves`.
LEVERAGE_MOVE_COLUMNS = {
    "factor": "object",
    "name": "object",
    "rank_before": "Int64",
    "rank_after": "Int64",
    "effect_before": "Float64",
    "effect_after": "Float64",
    "move": "object",
}
#: Columns (name: dtype) of :func:`loop_moves`.
LOOP_MOVE_COLUMNS = {
    "change": "object",
    "members": "object",
    "names": "object",
    "links": "object",
    "polarity": "object",
}
#: The kinds of change :func:`diff` reports, in the order it lists them within a round.
CHANGES = (
    "node added",
    "node retired",
    "node merged",
    "node renamed",
    "link added",
    "link retired",
    "link re-signed",
    "link re-weighted",
    "status changed",
)

#: The adjustments that replace a link by a new one, and how the diff says so.
REPLACED_LINK = {"teken gewijzigd": "link re-signed", "gewicht gewijzigd": "link re-weighted"}
#: The adjustments that take a node off the map into another, and how the diff says so.
MOVED_NODE = {"knoop samengevoegd": "node merged", "knoop hernoemd": "node renamed"}


@dataclass
class Snapshot:
    """What is on the map in one round: nodes and links with what the diff compares."""

    nodes: dict[str, dict[str, Any]]
    links: dict[str, dict[str, Any]]


def snapshot(m: SystemMap, k: int) -> Snapshot:
    """The nodes and links on the map in round ``k``, with what the diff compares."""
    nodes = {
        n.id: {
            "kind": n.kind,
            "name": n.name,
            "round_in": n.get("round_in"),
            "round_out": n.get("round_out"),
        }
        for n in m.nodes()
        if present(n.fields, k)
    }
    links = {
        link.id: {
            "kind": link.kind,
            "source": link.source,
            "target": link.target,
            "source_name": nodes[link.source]["name"],
            "target_name": nodes[link.target]["name"],
            "sign": link.get("sign"),
            "weight": link.get("weight"),
            "round_in": link.get("round_in"),
            "round_out": link.get("round_out"),
        }
        for link in m.links()
        if present(link.fields, k) and link.source in nodes and link.target in nodes
    }
    return Snapshot(nodes, links)


@dataclass
class History:
    """Everything :func:`diff` compares, from a SystemMap or from Neo4j."""

    a: int
    b: int
    known: list[int]
    before: Snapshot
    after: Snapshot
    adjustments: list[dict[str, Any]]  # of rounds a < round <= b, in order
    reviews: list[dict[str, Any]]  # of rounds a <= round < b, in order
    statuses: dict[int, dict[str, str]]  # round -> link -> status, for a and (a, b]


def _history(m: SystemMap, a: int, b: int) -> History:
    known = rounds(m)
    check_rounds(known, a, b)
    return History(
        a,
        b,
        known,
        snapshot(m, a),
        snapshot(m, b),
        [dict(r) for r in m.adjustments if a < r["round"] <= b],
        [dict(r) for r in sorted(m.reviews, key=lambda r: r["round"]) if a <= r["round"] < b],
        {
            k: {row["link"]: row["status"] for row in status_rows(m, k)}
            for k in known
            if a <= k <= b
        },
    )


def diff_rows(h: History) -> list[dict[str, Any]]:
    before, after = h.before, h.after
    by_item: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for adjustment in h.adjustments:
        for item in adjustment["subject"]:
            by_item[item].append(adjustment)

    def row(change: str, item: str, kind: str, description: str, **values: Any) -> dict[str, Any]:
        found = by_item.get(item, [])
        return {
            "change": change,
            "item": item,
            "replaces": values.get("replaces"),
            "kind": kind,
            "description": description,
            "before": values.get("before"),
            "after": values.get("after"),
            "round": values["round"],
            "adjustments": [a["id"] for a in found],
            "reason": "; ".join(dict.fromkeys(a["reason"] for a in found)) or None,
            "prompted_by": list(dict.fromkeys(r for a in found for r in a.get("prompted_by", ()))),
        }

    rows: list[dict[str, Any]] = []
    added_nodes = [n for n in after.nodes if n not in before.nodes]
    retired_nodes = [n for n in before.nodes if n not in after.nodes]
    merged_into: dict[str, tuple[str, str]] = {}  # node -> (the node it went into, change)
    for adjustment in h.adjustments:
        change = MOVED_NODE.get(adjustment["adjustment_kind"])
        if change:
            into, *others = adjustment["subject"]
            for node_id in others:
                if node_id in retired_nodes:
                    merged_into[node_id] = (into, change)
    for node_id in added_nodes:
        node = after.nodes[node_id]
        rows.append(row("node added", node_id, node["kind"], node["name"], round=node["round_in"]))
    for node_id in retired_nodes:
        node = before.nodes[node_id]
        if node_id in merged_into:
            into, change = merged_into[node_id]
            rows.append(
                row(
                    change,
                    node_id,
                    node["kind"],
                    node["name"],
                    after=into,
                    round=node["round_out"],
                )
            )
        else:
            rows.append(
                row("node retired", node_id, node["kind"], node["name"], round=node["round_out"])
            )

    added_links = [lid for lid in after.links if lid not in before.links]
    retired_links = [lid for lid in before.links if lid not in after.links]
    replaced: dict[str, tuple[str, str]] = {}  # new link -> (old link, change)
    for adjustment in h.adjustments:
        kind = REPLACED_LINK.get(adjustment["adjustment_kind"])
        subject = adjustment["subject"]
        if kind and len(subject) >= 2 and subject[0] in retired_links and subject[1] in added_links:
            replaced[subject[1]] = (subject[0], kind)
    replacing = {old for old, _ in replaced.values()}

    def retired_round(link_id: str) -> int | None:
        # the link's own ronde_uit, or that of an end it left with
        link = before.links[link_id]
        ends = (before.nodes[link["source"]], before.nodes[link["target"]])
        outs = [r for r in (link["round_out"], *(e["round_out"] for e in ends)) if r is not None]
        return min(outs) if outs else None

    for link_id in added_links:
        link = after.links[link_id]
        if link_id in replaced:
            old_id, change_kind = replaced[link_id]
            field = "sign" if change_kind == "link re-signed" else "weight"
            rows.append(
                row(
                    change_kind,
                    link_id,
                    link["kind"],
                    describe_link(link),
                    replaces=old_id,
                    before=before.links[old_id][field],
                    after=link[field],
                    round=link["round_in"],
                )
            )
        else:
            rows.append(
                row(
                    "link added",
                    link_id,
                    link["kind"],
                    describe_link(link),
                    round=link["round_in"],
                )
            )
    for link_id in retired_links:
        if link_id in replacing:
            continue
        link = before.links[link_id]
        rows.append(
            row(
                "link retired",
                link_id,
                link["kind"],
                describe_link(link),
                round=retired_round(link_id),
            )
        )

    later = [k for k in h.known if h.a < k <= h.b]
    for link_id, link in after.links.items():
        if link_id not in before.links:
            continue
        was, now = h.statuses[h.a].get(link_id), h.statuses[h.b].get(link_id)
        if was == now:
            continue
        since = h.b
        for k in reversed(later):
            if h.statuses[k].get(link_id) != now:
                break
            since = k
        reviews = [r for r in h.reviews if r["link"] == link_id]
        found = row("status changed", link_id, link["kind"], describe_link(link), round=since)
        found.update(
            before=was,
            after=now,
            adjustments=[],
            reason=verdicts_text(reviews) or None,
            prompted_by=[r["id"] for r in reviews],
        )
        rows.append(found)

    rows.sort(key=lambda r: (r["round"] or 0, CHANGES.index(r["change"]), r["item"]))
    return rows


def diff(m: SystemMap, a: int, b: int) -> pd.DataFrame:
    """What changed on the map between round ``a`` and round ``b``, and why.

    Compares the map as of ``a`` with the map as of ``b`` (see :func:`map_as_of`).

    Parameters
    ----------
    m : SystemMap
    a, b : int
        Two rounds of the map, ``a`` before ``b``.

    Returns
    -------
    pandas.DataFrame
        One row per change. Columns: ``change`` (one of :data:`CHANGES`); ``item``
        (the node or link; for a re-signed or re-weighted link the new one);
        ``replaces`` (the link it replaces); ``kind``; ``description`` (the node's
        name, or the link as a Dutch sentence); ``before`` and ``after`` (the sign,
        weight or status, or the node a merged node went into); ``round`` (when the
        change came onto the map); ``adjustments``, ``reason`` and ``prompted_by``
        (the adjustments naming the item, their reasons, and the reviews that prompted
        them; for a status change, the reviews that changed it and their verdicts).
        Ordered by round, then the order of :data:`CHANGES`, then item.

    Examples
    --------
    >>> m = SystemMap("demo")
    >>> for k in (1, 2):
    ...     m.add_record("rounds", number=k, name=f"Ronde {k}")
    >>> for f in ("a", "b"):
    ...     m.add_node("Factor", f, f.upper(), level="persoon", role="bron")
    >>> m.add_link("ab", "INFLUENCES", "a", "b", sign="+")
    >>> m.add_record("reviews", id="r1", link="ab", round=1, group="ouder", verdict="oneens")
    >>> m.resign_link(2, "ab", "-", reason="Werkt andersom", prompted_by=["r1"])
    'b2-teken-ab'
    >>> diff(m, 1, 2)[["change", "item", "replaces", "before", "after", "reason"]].to_dict(
    ...     "records")
    [{'change': 'link re-signed', 'item': 'ab-r2', 'replaces': 'ab', 'before': '+', \
'after': '-', 'reason': 'Werkt andersom'}]
    """
    return frame(diff_rows(_history(m, a, b)), DIFF_COLUMNS)


def leverage_moves(
    m: SystemMap, a: int, b: int, target: str | None = None, max_depth: int = 4
) -> pd.DataFrame:
    """How the ranking of :func:`queries.leverage.leverage_points` moved from ``a`` to ``b``,
    on ``target`` (by default the map's outcome, :func:`graph.cycle.outcome`).

    Returns
    -------
    pandas.DataFrame
        One row per factor ranked in either round. Columns: ``factor``, ``name``,
        ``rank_before``, ``rank_after`` (1 is the largest effect by size; equal
        effects share a rank, unknown effects come last; empty when not ranked),
        ``effect_before``, ``effect_after`` and ``move``: ``"new"`` (ranked only in
        ``b``), ``"gone"`` (only in ``a``), ``"stronger"`` or ``"weaker"`` (the size of
        the effect changed; unknown counts as 0), ``"reversed"`` (same size, other
        sign), else ``"up"``, ``"down"`` or ``"same"`` by rank. Ordered by
        ``rank_after`` (unranked last), then ``rank_before``, then factor.
    """
    check_rounds(rounds(m), a, b)
    target = outcome(m, target, b)
    ranked = [
        leverage_points(map_as_of(m, k), target, max_depth).reset_index(drop=True) for k in (a, b)
    ]
    places = [_ranks(table) for table in ranked]
    rows = []
    for factor in dict.fromkeys([*places[1], *places[0]]):
        old, new = places[0].get(factor), places[1].get(factor)
        move = _move(old, new)
        rows.append(
            {
                "factor": factor,
                "name": (new or old)[2],  # type: ignore[index]
                "rank_before": old[0] if old else None,
                "rank_after": new[0] if new else None,
                "effect_before": old[1] if old else None,
                "effect_after": new[1] if new else None,
                "move": move,
            }
        )
    rows.sort(
        key=lambda r: (
            r["rank_after"] is None,
            r["rank_after"] or 0,
            r["rank_before"] or math.inf,
            r["factor"],
        )
    )
    return frame(rows, LEVERAGE_MOVE_COLUMNS)


def _move(
    old: tuple[int, float | None, str] | None, new: tuple[int, float | None, str] | None
) -> str:
    if old is None or new is None:
        return "new" if new else "gone"
    before, after = abs(old[1] or 0.0), abs(new[1] or 0.0)
    if before != after:
        return "stronger" if after > before else "weaker"
    if old[1] != new[1]:
        return "reversed"
    if old[0] != new[0]:
        return "up" if new[0] < old[0] else "down"
    return "same"


def _ranks(table: pd.DataFrame) -> dict[str, tuple[int, float | None, str]]:
    """Factor -> (rank, effect, name); equal effects share a rank, unknown effects last."""
    sizes = [None if pd.isna(e) else abs(float(e)) for e in table["effect"]]
    known = [size for size in sizes if size is not None]
    out = {}
    for factor, name, effect, size in zip(
        table["factor"], table["name"], table["effect"], sizes, strict=True
    ):
        ahead = len(known) if size is None else sum(other > size for other in known)
        out[factor] = (ahead + 1, None if pd.isna(effect) else float(effect), name)
    return out


def loop_moves(m: SystemMap, a: int, b: int, max_length: int = 6) -> pd.DataFrame:
    """The feedback loops (:func:`queries.loops.loops`) that appeared or went between
    round ``a`` and round ``b``.

    A loop is the same loop when it runs over the same links; a loop over a re-signed
    link is a new loop (and the old one is gone).

    Returns
    -------
    pandas.DataFrame
        One row per loop that changed. Columns: ``change`` (``"new"`` or ``"gone"``),
        ``members``, ``names``, ``links``, ``polarity``. Ordered by change (gone
        first), then members, then links.
    """
    check_rounds(rounds(m), a, b)
    found = [loops(map_as_of(m, k), max_length) for k in (a, b)]
    keyed = [{tuple(row["links"]): row for row in table.to_dict("records")} for table in found]
    rows = []
    for change, here, there in (("gone", keyed[0], keyed[1]), ("new", keyed[1], keyed[0])):
        for links, loop in here.items():
            if links not in there:
                rows.append(
                    {
                        "change": change,
                        "members": loop["members"],
                        "names": loop["names"],
                        "links": loop["links"],
                        "polarity": loop["polarity"],
                    }
                )
    rows.sort(key=lambda r: (r["change"] != "gone", r["members"], r["links"]))
    return frame(rows, LOOP_MOVE_COLUMNS)
