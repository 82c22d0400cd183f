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

from graph import SystemMap, schema
from graph.cycle import check_rounds
from graph.vocabulary import Adjustment, ChangeKind, Review
from queries._common import SHEET_LINK_KINDS, frame, unknown
from queries.leverage import leverage_points_in
from queries.loops import loop_rows_in, loop_table
from queries.phrasing import describe_link, verdicts_text
from queries.source import MapSource, Source
from queries.status import status_rows_in

__all__ = [
    "CHANGES",
    "DIFF_COLUMNS",
    "LEVERAGE_MOVE_COLUMNS",
    "LOOP_MOVE_COLUMNS",
    "History",
    "Snapshot",
    "diff",
    "diff_in",
    "diff_rows",
    "history_in",
    "leverage_moves",
    "leverage_moves_in",
    "loop_moves",
    "loop_moves_in",
    "snapshot",
    "snapshot_in",
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
#: The kinds of change :func:`diff` reports, in the order it lists them within a round
#: (the values of :class:`graph.vocabulary.ChangeKind`).
CHANGES = tuple(kind.value for kind in ChangeKind)


@dataclass
class Snapshot:
    """What is on the map in one round: nodes and links with what the diff compares."""

    nodes: dict[str, dict[str, Any]]
    links: dict[str, dict[str, Any]]


def snapshot(m: SystemMap, k: int) -> Snapshot:
    """The nodes and links on the map in round ``k``, with what the diff compares."""
    return snapshot_in(MapSource(m), k)


def snapshot_in(source: Source, k: int) -> Snapshot:
    """As :func:`snapshot`, over a :class:`queries.source.Source`."""
    nodes = {
        row.pop("id"): row
        for row in source.nodes(schema.NODE_KINDS_ALL, k, fields=("round_in", "round_out"))
    }
    found = source.links(
        SHEET_LINK_KINDS,
        k,
        fields=("sign", "weight", "round_in", "round_out"),
        end_fields=("name",),
    )
    # a row holds the link's id, kind, ends, their names and the fields asked for
    links = {row.pop("id"): row for row in found}
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
    reviews: list[Review]  # of rounds a <= round < b, in order
    statuses: dict[int, dict[str, str]]  # round -> link -> status, for a and (a, b]


def history_in(source: Source, a: int, b: int) -> History:
    """What :func:`diff` compares, read of a :class:`queries.source.Source`."""
    known = source.rounds()
    check_rounds(known, a, b)
    return History(
        a,
        b,
        known,
        snapshot_in(source, a),
        snapshot_in(source, b),
        source.adjustments(a, b),
        [review for review in source.reviews(b) if a <= review.round],
        {
            k: {row["link"]: row["status"] for row in status_rows_in(source, k)}
            for k in known
            if a <= k <= b
        },
    )


def _follow(start: str, steps: dict[str, tuple[str, Any]]) -> tuple[str, list[Any]]:
    """Where ``start`` ended up by following ``steps`` (item -> (next item, how)), and
    how it got there: a node renamed and then merged, a link re-signed and re-weighted."""
    item, how = start, list[Any]()
    while item in steps and len(how) <= len(steps):
        item, step = steps[item]
        how.append(step)
    return item, how


def diff_rows(h: History) -> list[dict[str, Any]]:
    """The rows of :func:`diff` from a :class:`History`, gathered from a SystemMap or
    from Neo4j."""
    before, after = h.before, h.after
    adjustments = [Adjustment.from_row(a) for a in h.adjustments]
    by_item: dict[str, list[Adjustment]] = defaultdict(list)
    for adjustment in adjustments:
        for item in adjustment.subject:
            by_item[item].append(adjustment)

    def row(
        change: ChangeKind, item: str, kind: str, description: str, **values: Any
    ) -> dict[str, Any]:
        # the adjustments naming the item (or the one it replaced), in the order made
        ids = {a.id for i in (item, *values.get("also", ())) for a in by_item.get(i, [])}
        found = [a for a in adjustments if a.id in ids]
        return {
            "change": change.value,
            "item": item,
            "replaces": values.get("replaces"),
            "kind": kind,
            "description": description,
            "before": values.get("before"),
            "after": values.get("after"),
            "round": values["round"],
            "adjustments": [a.id for a in found],
            "reason": "; ".join(dict.fromkeys(a.reason for a in found)) or None,
            "prompted_by": list(dict.fromkeys(r for a in found for r in a.prompted_by)),
        }

    rows: list[dict[str, Any]] = []
    # nodes: a node merged or renamed went into another, perhaps in several steps
    # (a node that came and went within the rounds is on neither map: the adjustments
    # about nodes name it)
    node_ids = {*before.nodes, *after.nodes}
    for adjustment in adjustments:
        if adjustment.kind.change.what == "node":
            node_ids.add(adjustment.item)
        if adjustment.kind.change == ChangeKind.NODE_RENAMED:
            node_ids.add(adjustment.subject[1])
    moved: dict[str, tuple[str, Any]] = {}
    for adjustment in adjustments:
        for node_id in adjustment.nodes_moved(node_ids.__contains__):
            moved[node_id] = (adjustment.item, adjustment.kind.change)
    added_nodes = [n for n in after.nodes if n not in before.nodes]
    retired_nodes = [n for n in before.nodes if n not in after.nodes]
    renamed: dict[str, str] = {}  # new node -> old node
    for node_id in retired_nodes:
        node = before.nodes[node_id]
        into, how = _follow(node_id, moved)
        if not how or into not in after.nodes:
            rows.append(
                row(
                    ChangeKind.NODE_RETIRED,
                    node_id,
                    node["kind"],
                    node["name"],
                    round=node["round_out"],
                )
            )
        elif all(step == ChangeKind.NODE_RENAMED for step in how) and into not in before.nodes:
            renamed[into] = node_id
        else:
            rows.append(
                row(
                    ChangeKind.NODE_MERGED,
                    node_id,
                    node["kind"],
                    node["name"],
                    after=into,
                    round=node["round_out"],
                )
            )
    for node_id in added_nodes:
        node = after.nodes[node_id]
        if node_id in renamed:
            old = renamed[node_id]
            rows.append(
                row(
                    ChangeKind.NODE_RENAMED,
                    node_id,
                    node["kind"],
                    node["name"],
                    replaces=old,
                    before=before.nodes[old]["name"],
                    after=node["name"],
                    also=[old],
                    round=node["round_in"],
                )
            )
        else:
            rows.append(
                row(
                    ChangeKind.NODE_ADDED,
                    node_id,
                    node["kind"],
                    node["name"],
                    round=node["round_in"],
                )
            )

    # links: a link with a new sign or weight was replaced, perhaps more than once
    added_links = [lid for lid in after.links if lid not in before.links]
    retired_links = [lid for lid in before.links if lid not in after.links]
    replacing: dict[str, tuple[str, Any]] = {
        a.item: (a.replacement, a.kind.change) for a in adjustments if a.replacement
    }
    replaced: dict[str, str] = {}  # new link -> old link
    for link_id in retired_links:
        new_id, how = _follow(link_id, replacing)
        if how and new_id in added_links:
            replaced[new_id] = link_id

    def retired_round(link_id: str) -> int | None:
        # the link's own ronde_uit, or that of an end it left with
        link = before.links[link_id]
        ends = (before.nodes[link["source"]], before.nodes[link["target"]])
        outs = [r for r in (link["round_out"], *(e["round_out"] for e in ends)) if r is not None]
        return min(outs) if outs else None

    for link_id in added_links:
        link = after.links[link_id]
        old_id = replaced.get(link_id)
        if old_id is None:
            rows.append(
                row(
                    ChangeKind.LINK_ADDED,
                    link_id,
                    link["kind"],
                    describe_link(link),
                    round=link["round_in"],
                )
            )
            continue
        old_link = before.links[old_id]
        resigned = old_link["sign"] != link["sign"] or old_link["weight"] == link["weight"]
        change = ChangeKind.LINK_RESIGNED if resigned else ChangeKind.LINK_REWEIGHTED
        field = "sign" if resigned else "weight"
        rows.append(
            row(
                change,
                link_id,
                link["kind"],
                describe_link(link),
                replaces=old_id,
                before=old_link[field],
                after=link[field],
                also=[old_id],
                round=link["round_in"],
            )
        )
    for link_id in retired_links:
        if link_id in replaced.values():
            continue
        link = before.links[link_id]
        rows.append(
            row(
                ChangeKind.LINK_RETIRED,
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
        reviews = [r for r in h.reviews if r.link == link_id]
        found = row(
            ChangeKind.STATUS_CHANGED, link_id, link["kind"], describe_link(link), round=since
        )
        found.update(
            before=was,
            after=now,
            adjustments=[],
            reason=verdicts_text(reviews) or None,
            prompted_by=[r.id for r in reviews],
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
    >>> from graph.vocabulary import Verdict
    >>> m.add_record("reviews", id="r1", link="ab", round=1, group="ouder",
    ...              verdict=Verdict.DISAGREE)
    >>> m.resign_link(2, "ab", "-", reason="Werkt andersom", prompted_by=["r1"])
    'b2-teken-ab'
    >>> diff(m, 1, 2)[["change", "item", "replaces", "before", "after", "reason"]].to_dict(
    ...     "records")
    [{'change': 'link re-signed', 'item': 'ab-r2', 'replaces': 'ab', 'before': '+', \
'after': '-', 'reason': 'Werkt andersom'}]
    """
    return diff_in(MapSource(m), a, b)


def diff_in(source: Source, a: int, b: int) -> pd.DataFrame:
    """As :func:`diff`, over a :class:`queries.source.Source`: a SystemMap or the map in
    Neo4j (:func:`queries.cypher.diff`)."""
    return frame(diff_rows(history_in(source, a, b)), DIFF_COLUMNS)


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
    return leverage_moves_in(MapSource(m), a, b, target, max_depth)


def leverage_moves_in(
    source: Source, a: int, b: int, target: str | None = None, max_depth: int = 4
) -> pd.DataFrame:
    """As :func:`leverage_moves`, over a :class:`queries.source.Source`: the leverage
    points of each round, as :func:`queries.leverage.leverage_points` finds them on the
    map as of that round; ``target`` must be on the map in both."""
    check_rounds(source.rounds(), a, b)
    target = source.outcome(target, b)
    ranked = []
    for k in (a, b):
        on_map = [row["id"] for row in source.nodes(schema.NODE_KINDS_ALL, k)]
        if target not in on_map:
            raise unknown("node", target, on_map)
        points = leverage_points_in(source, target, max_depth, as_of_round=k)
        ranked.append(points.reset_index(drop=True))
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
    return loop_moves_in(MapSource(m), a, b, max_length)


def loop_moves_in(source: Source, a: int, b: int, max_length: int = 6) -> pd.DataFrame:
    """As :func:`loop_moves`, over a :class:`queries.source.Source`: the loops of the map
    in round ``a`` and in round ``b``, each found as :func:`queries.loops.loops` finds
    them on the map as of that round."""
    check_rounds(source.rounds(), a, b)
    found = [loop_table(loop_rows_in(source, max_length, k)[0]) for k in (a, b)]
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
