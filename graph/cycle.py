"""The rules of the cycle (analyse → toets → bijstel), each written once.

Everything that asks about rounds takes its rules from here: the questions of
:mod:`queries` (over a SystemMap or, through :mod:`queries.cypher`, over Neo4j, whose
Cypher is in :mod:`graph.cypher`), the views, the loaders and the command line.

**Which rounds exist.** The rounds of a map are the numbers of its ``rondes`` sheet
(:func:`rounds`); a map that records no round is in its first round. A round that is
not there is an :class:`graph.errors.UnknownRound`, naming the rounds there are. A
round with reviews recorded has been tested (:func:`rounds_tested`): its map stays as
the groups saw it.

**The round rule.** A node or link is on the map in round k when it entered by then
and has not left: ``(ronde_in or 1) <= k < ronde_uit`` (:func:`present`). Without a
round, the latest state: everything not retired.

**As of round k** means the map as it stood when round k was put to the test: the
nodes and links on the map in round k, the adjustments of round k and before, and
the reviews of the rounds *before* k (:func:`review_counts`): the reviews given in
round k are that round's test and count from round k + 1 on. :func:`map_as_of` builds
that map.

**The status rule.** Each group that reviewed a link has a *position*: its latest
verdict ``eens``, ``oneens`` or ``neutraal`` (by round, then by the order of the
``toetsing`` rows); an ``aanvulling`` adds a remark and leaves the position as it
was. No group whose position is ``eens`` or ``oneens``: **hypothese**; all of them
``eens``: **bevestigd**; all ``oneens``: **verworpen**; some each way: **betwist**
(:func:`status_from_positions`, :func:`status_rows`). A re-signed or re-weighted link
is a new claim with a new id, so its reviews start afresh.

**Which map.** A workbook holds one map; a database may hold several. A map id names
one of them, and without one the only one is meant (:func:`resolve_map`).

**Which outcome.** A question about an outcome (influence, knoppen, the agenda) is by
default about the map's outcome: the factor the ``kaart`` sheet names in ``uitkomst``,
else the one factor with role ``uitkomst``. With none or several, the error lists the
choices and names the option to pick one (:func:`choose_outcome`).

>>> from loaders import load_map; m = load_map()
>>> rounds(m), outcome(m)
([1], 'prestatiedruk')
>>> check_round(rounds(m), 2)
Traceback (most recent call last):
...
graph.errors.UnknownRound: unknown round 2 (rounds: 1)
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from graph.errors import (
    NoOutcome,
    OutcomeError,
    Text,
    UnknownMap,
    UnknownNode,
    UnknownRound,
    closest,
    said,
    unknown,
)
from graph.vocabulary import LinkKind, Review, Status, Verdict

if TYPE_CHECKING:
    from graph.model import Link, Node, SystemMap

__all__ = [
    "OUTCOME_ROLE",
    "STATUS_LINK_FIELDS",
    "STATUSES",
    "TESTED_KINDS",
    "check_node",
    "check_node_kind",
    "check_round",
    "check_rounds",
    "choose_outcome",
    "group_votes",
    "known_rounds",
    "map_as_of",
    "on_the_map",
    "outcome",
    "outcome_if_any",
    "positions",
    "present",
    "resolve_map",
    "review_counts",
    "rounds",
    "status_from_positions",
    "status_rows",
    "status_rows_of",
    "rounds_tested",
]

#: The statuses of a link, from untested to decided.
STATUSES = tuple(Status)
#: The role of a factor that is an outcome.
OUTCOME_ROLE = "uitkomst"


# --- rounds -----------------------------------------------------------------------------


#: The link kinds a session tests by default: what drives what, and who can turn
#: which knob.
TESTED_KINDS = (LinkKind.INFLUENCES, LinkKind.CAN_ADJUST)


def rounds(m: SystemMap) -> list[int]:
    """The numbers of the map's rounds (its ``rondes`` sheet), in order; ``[1]`` when it
    records none: every map is at least in its first round."""
    return known_rounds(r["number"] for r in m.rounds)


def known_rounds(numbers: Iterable[int]) -> list[int]:
    """The rounds a map has, from the numbers its ``rondes`` records hold (read from a
    SystemMap or from Neo4j): in order, and ``[1]`` when there are none."""
    return sorted(numbers) or [1]


def check_round(known: Sequence[int], k: int | None) -> int | None:
    """``k`` if it is None or one of the ``known`` rounds; else :class:`UnknownRound`."""
    if k is None:
        return None
    if isinstance(k, bool) or not isinstance(k, int) or k not in known:
        raise UnknownRound.of(k, known)
    return k


def rounds_tested(m: SystemMap) -> list[int]:
    """The rounds the groups have tested: those with a review recorded. A tested
    round's map stays as the groups saw it; a change goes into a new round.

    >>> from graph import SystemMap
    >>> m = SystemMap("t"); m.add_record("reviews", id="r1", link="l", round=1, group="ouder",
    ...     verdict=Verdict.AGREE)
    >>> rounds_tested(m)
    [1]
    """
    return sorted({r["round"] for r in m.reviews})


def check_rounds(known: Sequence[int], a: int, b: int) -> None:
    """Two known rounds, ``a`` before ``b``."""
    check_round(known, a)
    check_round(known, b)
    if a >= b:
        raise UnknownRound(said("cycle.round_order", first=a, second=b))


def present(fields: Mapping[str, Any], as_of_round: int | None = None) -> bool:
    """Whether a node or link with these fields is on the map in round ``as_of_round``.

    >>> present({"round_in": 2}, 1), present({"round_in": 2}, 2), present({"round_out": 3})
    (False, True, False)
    """
    round_out = fields.get("round_out")
    if as_of_round is None:
        return round_out is None
    entered = (fields.get("round_in") or 1) <= as_of_round
    return entered and (round_out is None or as_of_round < round_out)


def on_the_map(m: SystemMap, as_of_round: int | None = None) -> tuple[list[Node], list[Link]]:
    """What the map shows in round ``as_of_round`` (by default: now), as its page draws
    and counts it: the elements (nodes) on the map, and the links on the map with both
    ends on it, a quote's links to what it is about and where it was said included.

    >>> from loaders import load_map
    >>> elements, links = on_the_map(load_map())
    >>> len(elements), len(links), sum(1 for link in links if link.derived)
    (37, 31, 11)
    """
    elements = [node for node in m.nodes() if present(node.fields, as_of_round)]
    shown = {node.id for node in elements}
    links = [
        link
        for link in m.links(derived=True)
        if link.source in shown and link.target in shown and present(link.fields, as_of_round)
    ]
    return elements, links


def review_counts(review: Review | Mapping[str, Any], as_of_round: int | None = None) -> bool:
    """Whether a review (or its ``toetsing`` row) counts as of round ``as_of_round``:
    those of the rounds before it.

    >>> review = Review("r1", "ab", 2, "ouder", Verdict.AGREE)
    >>> [review_counts(review, k) for k in (1, 2, 3, None)]
    [False, False, True, True]
    """
    return as_of_round is None or _field(review, "round") < as_of_round


def _field(review: Review | Mapping[str, Any], name: str) -> Any:
    """A field of a review or of its row (which may hold only the fields asked of it)."""
    return getattr(review, name) if isinstance(review, Review) else review[name]


# --- which map, which node, which outcome ------------------------------------------------


def resolve_map(ids: Sequence[str], map_id: str | None, where: Text) -> str:
    """``map_id`` if ``ids`` (the maps ``where`` holds) has it; without one, the only map.

    >>> resolve_map(["vleuten"], None, "the workbook")
    'vleuten'
    >>> resolve_map(["vleuten", "wijk"], "nope", "Neo4j")
    Traceback (most recent call last):
    ...
    graph.errors.UnknownMap: unknown map 'nope' in Neo4j (maps: vleuten, wijk)
    """
    listed = ", ".join(ids)
    if map_id is None:
        if len(ids) == 1:
            return ids[0]
        if not ids:
            raise UnknownMap(said("cycle.no_map", where=where))
        raise UnknownMap(said("cycle.several_maps", where=where, maps=listed), choices=ids)
    if map_id not in ids:
        close = closest(map_id, ids)
        if close:
            hint = said("cycle.mean_map", map=repr(close))
        else:
            hint = said("cycle.maps", maps=listed) if ids else said("cycle.maps_none")
        raise UnknownMap(said("cycle.unknown_map", map=repr(map_id), where=where, hint=hint))
    return map_id


def check_node(m: SystemMap, node_id: str, kinds: Sequence[str] = ()) -> str:
    """``node_id`` if it names a node (of one of ``kinds``, when given); else
    :class:`UnknownNode`, suggesting the closest id."""
    if node_id not in m.graph:
        candidates = (n.id for n in m.nodes() if not kinds or n.kind in kinds)
        raise unknown(UnknownNode, "node", node_id, candidates)
    return check_node_kind(node_id, m.graph.nodes[node_id]["kind"], kinds)


def check_node_kind(node_id: str, kind: str, kinds: Sequence[str] = ()) -> str:
    """``node_id`` if its ``kind`` is one of ``kinds`` (any, when none are given); else
    :class:`UnknownNode`, naming the kinds expected: the rule of :func:`check_node`
    wherever the node's kind was read."""
    if kinds and kind not in kinds:
        expected = ", ".join(kinds)
        raise UnknownNode(said("cycle.node_kind", node=repr(node_id), kind=kind, kinds=expected))
    return node_id


def choose_outcome(target: str | None, declared: str | None, outcomes: Sequence[str]) -> str:
    """The outcome a question is about: ``target`` when given, else the map's declared
    outcome (``kaart.uitkomst``), else its only factor with role ``uitkomst``.

    >>> choose_outcome(None, None, ["stress"])
    'stress'
    >>> choose_outcome(None, None, ["stress", "burn-out"])
    Traceback (most recent call last):
    ...
    graph.errors.OutcomeError: the map has 2 outcomes (burn-out, stress): choose one as the \
target, or name it in uitkomst on the kaart sheet
    """
    if target is not None:
        return target
    if declared is not None:
        return declared
    if len(outcomes) == 1:
        return outcomes[0]
    if not outcomes:
        raise NoOutcome(said("cycle.no_outcome"), advice=said("cycle.choose_target"))
    listed = ", ".join(sorted(outcomes))
    raise OutcomeError(
        said("cycle.outcomes", n=len(outcomes), outcomes=listed),
        advice=said("cycle.choose_outcome"),
        outcomes=sorted(outcomes),
    )


def outcome(m: SystemMap, target: str | None = None, as_of_round: int | None = None) -> str:
    """The node a question about an outcome is about (see :func:`choose_outcome`),
    checked to be on the map."""
    outcomes = [
        f.id
        for f in m.factors()
        if f.get("role") == OUTCOME_ROLE and present(f.fields, as_of_round)
    ]
    return check_node(m, choose_outcome(target, m.meta.get("outcome"), outcomes))


def outcome_if_any(m: SystemMap, as_of_round: int | None = None) -> str | None:
    """The map's outcome (see :func:`outcome`) when it has one, else None: for a view
    that starts from the outcome when there is one."""
    try:
        return outcome(m, None, as_of_round)
    except OutcomeError:
        return None


# --- the map as of a round ---------------------------------------------------------------


def map_as_of(m: SystemMap, k: int | None) -> SystemMap:
    """The map as it stood when round ``k`` was put to the test.

    The nodes and links on the map in round ``k`` (a link only with both its ends),
    each without a ``round_out`` (in round ``k`` it had not left yet) and each link with
    the status the rule gives as of round ``k``; the rounds up to ``k``; the reviews of
    the rounds before ``k``; the adjustments up to ``k``; the votes, attendance and
    positions of what is on the map. With ``k=None``, the latest state.

    >>> from loaders import load_map; m = load_map()
    >>> map_as_of(m, 1).counts() == m.counts()
    True
    """
    check_round(rounds(m), k)
    status = {row["link"]: row["status"] for row in status_rows(m, k)}
    out = type(m)(m.id, m.name, **m.meta)  # a map of the same class, built afresh
    nodes = [n for n in m.nodes() if present(n.fields, k)]
    # quotes last, as the loader adds them: their ABOUT links need every node
    for node in sorted(nodes, key=lambda n: n.kind == "Quote"):
        out.add_node(node.kind, node.id, node.name, **_without_round_out(node.fields))
    for link in m.links():
        if link.id in status:
            fields = _without_round_out(link.fields)
            fields["status"] = status[link.id]
            out.add_link(link.id, link.kind, link.source, link.target, **fields)
    on_map = set(out.graph) | set(status)
    for table, rows in m.records.items():
        for row in rows:
            if _record_as_of(table, row, k, on_map):
                out.add_record(table, **row)
    return out


def _without_round_out(fields: Mapping[str, Any]) -> dict[str, Any]:
    return {name: value for name, value in fields.items() if name != "round_out"}


def _record_as_of(table: str, row: Mapping[str, Any], k: int | None, on_map: set[str]) -> bool:
    if table == "rounds":
        return k is None or row["number"] <= k
    if table == "reviews":
        return review_counts(row, k)
    if table == "adjustments":
        return k is None or row["round"] <= k
    if table == "votes":
        return row["statement"] in on_map and row["session"] in on_map
    if table == "attendance":
        return row["session"] in on_map
    if table == "positions":
        return row["element"] in on_map
    return True


# --- the status rule ---------------------------------------------------------------------


def status_from_positions(agreeing: Iterable[str], disagreeing: Iterable[str]) -> Status:
    """The status of a link whose groups hold these positions (see the module's rule).

    >>> status_from_positions([], []).value, status_from_positions(["ouder"], []).value
    ('hypothese', 'bevestigd')
    >>> status_from_positions([], ["ouder"]) is Status.REJECTED
    True
    >>> status_from_positions(["jongere"], ["ouder"])
    'betwist'
    """
    yes, no = bool(list(agreeing)), bool(list(disagreeing))
    if yes and no:
        return Status.CONTESTED
    if yes:
        return Status.CONFIRMED
    if no:
        return Status.REJECTED
    return Status.HYPOTHESIS


def positions(
    reviews: Iterable[Review] | Iterable[Mapping[str, Any]],
) -> tuple[list[str], list[str]]:
    """The groups whose position on a link is ``eens``, and those whose is ``oneens``,
    from its reviews (or their ``toetsing`` rows) in order (by round, then as
    recorded): each group's latest verdict other than ``aanvulling``.

    >>> positions([Review("r1", "ab", 1, "ouder", Verdict.AGREE),
    ...            Review("r2", "ab", 1, "ouder", Verdict.DISAGREE),
    ...            Review("r3", "ab", 1, "jongere", Verdict.AGREE)])
    (['jongere'], ['ouder'])
    >>> positions([{"group": "ouder", "verdict": "oneens"}])
    ([], ['ouder'])
    """
    latest: dict[str, Verdict] = {}
    for review in reviews:
        verdict = Verdict(_field(review, "verdict"))
        if verdict is not Verdict.REMARK:  # a remark is no vote
            latest[_field(review, "group")] = verdict
    agreeing = sorted(g for g, v in latest.items() if v == Verdict.AGREE)
    return agreeing, sorted(g for g, v in latest.items() if v == Verdict.DISAGREE)


def group_votes(reviews: Iterable[Review]) -> dict[str, tuple[int, int, int]]:
    """Per group, how many of its reviews of a link said ``eens``, ``oneens`` and
    ``neutraal`` (an ``aanvulling`` is a remark, not a vote): what the consensus of
    :mod:`queries.consensus` weighs. Groups in alphabetical order.

    >>> group_votes([Review("r1", "ab", 1, "ouder", Verdict.AGREE),
    ...              Review("r2", "ab", 1, "ouder", Verdict.NEUTRAL),
    ...              Review("r3", "ab", 1, "jongere", Verdict.REMARK)])
    {'ouder': (1, 0, 1)}
    """
    votes = (Verdict.AGREE, Verdict.DISAGREE, Verdict.NEUTRAL)
    counts: dict[str, list[int]] = {}
    for review in reviews:
        if review.is_vote:
            counts.setdefault(review.group, [0, 0, 0])[votes.index(review.verdict)] += 1
    return {group: (c[0], c[1], c[2]) for group, c in sorted(counts.items())}


#: What :func:`status_rows_of` needs of each link, on either backend.
STATUS_LINK_FIELDS = (
    "link",
    "kind",
    "source",
    "target",
    "source_name",
    "target_name",
    "sign",
    "source_count",
)
#: The fields of each row of :func:`status_rows`, on either backend.
STATUS_FIELDS = (
    *STATUS_LINK_FIELDS,
    "reviews",
    "agree",
    "disagree",
    "neutral",
    "additions",
    "groups",
    "agreeing",
    "disagreeing",
    "status",
    "group_votes",
)


def status_rows(m: SystemMap, as_of_round: int | None = None) -> list[dict[str, Any]]:
    """Per link on the map as of the round (every kind of the ``relaties`` sheet): the
    link, the aggregate of its reviews that count, each group's position and the status.

    Fields :data:`STATUS_FIELDS`, ordered by link id. On Neo4j,
    :func:`queries.cypher.link_status` reads the same links and reviews in Cypher and
    ends with the same :func:`status_rows_of`.
    """
    on_map = {n.id: n for n in m.nodes() if present(n.fields, as_of_round)}
    links = [
        {
            "link": link_id,
            "kind": kind,
            "source": source,
            "target": target,
            "source_name": on_map[source].name,
            "target_name": on_map[target].name,
            "sign": fields.get("sign"),
            "source_count": len(fields.get("sources", ())),
        }
        for link_id, kind, source, target, fields in m.link_rows()
        if present(fields, as_of_round) and source in on_map and target in on_map
    ]
    # by round; within a round in the order of the toetsing rows (sorted is stable)
    ordered = sorted(map(Review.from_row, m.reviews), key=lambda r: r.round)
    return status_rows_of(links, [r for r in ordered if review_counts(r, as_of_round)])


def status_rows_of(
    links: Iterable[Mapping[str, Any]], reviews: Iterable[Review]
) -> list[dict[str, Any]]:
    """The rows of :func:`status_rows` from the links on the map
    (:data:`STATUS_LINK_FIELDS`) and the reviews that count, in order: by round, then
    as recorded. Shared by both backends."""
    by_link: dict[str, list[Review]] = defaultdict(list)
    for review in reviews:
        by_link[review.link].append(review)
    rows = []
    for link in links:
        found = by_link.get(link["link"], [])
        verdicts = [r.verdict for r in found]
        agreeing, disagreeing = positions(found)
        rows.append(
            {
                **link,
                "reviews": len(found),
                "agree": verdicts.count(Verdict.AGREE),
                "disagree": verdicts.count(Verdict.DISAGREE),
                "neutral": verdicts.count(Verdict.NEUTRAL),
                "additions": verdicts.count(Verdict.REMARK),
                "groups": sorted({r.group for r in found}),
                "agreeing": agreeing,
                "disagreeing": disagreeing,
                "status": status_from_positions(agreeing, disagreeing),
                "group_votes": group_votes(found),
            }
        )
    rows.sort(key=lambda r: r["link"])
    return rows
