"""The adjust step (bijstellen): the operations that change a map from round to round.

Each operation changes a :class:`graph.SystemMap` in place, in a round that the map
has opened (:func:`open_round`), and records an *adjustment* (the ``bijstellingen``
sheet) with its round, its reason and the reviews that prompted it. Nothing is
deleted or overwritten: a retired node or link keeps its row and gets a ``ronde_uit``;
a re-signed or re-weighted link is retired and replaced by a new link with a new id;
a merged or renamed node leaves the map and its links come back as new links. So the
map as of an earlier round (:func:`graph.cycle.map_as_of`) stays as it was.

**Which round.** A round the groups have tested (it has reviews recorded,
:func:`graph.cycle.rounds_tested`) keeps its map as they saw it: a change in it is
refused with :class:`graph.errors.RoundClosed`, and so is a change in round 1 to the
map as first analysed; :func:`round_to_change` opens the next round when asked.
Within an untested round every operation works after any other: a node or link that
entered in the round may change in it too; it then leaves in the round it entered and
is on the map of no round (its rows stay, with the adjustments that made and unmade
it). The kinds of adjustment are :class:`graph.vocabulary.AdjustmentKind`.

Every check comes before the first change: an operation that is refused raises
(:class:`graph.errors.UnknownRound`, ``UnknownNode``, ``UnknownLink``,
``UnknownReview``, ``RoundClosed`` or :class:`graph.errors.MapError`) and leaves the
map as it was. The operations are also methods of SystemMap (``m.retire_link(...)``).

>>> from graph import SystemMap
>>> m = SystemMap("demo")
>>> for f in ("a", "b"):
...     m.add_node("Factor", f, f.upper(), level="persoon", role="bron")
>>> m.add_link("ab", "INFLUENCES", "a", "b", sign="+")
>>> open_round(m, name="Na de sessie")
2
>>> resign_link(m, 2, "ab", "-", reason="Werkt andersom")
'b2-teken-ab'
>>> [(link.id, link.get("sign"), link.get("round_out")) for link in m.links()]
[('ab', '+', 2), ('ab-r2', '-', None)]
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from graph import schema
from graph.cycle import check_round, present, rounds, rounds_tested
from graph.errors import (
    MapError,
    RoundClosed,
    UnknownLink,
    UnknownNode,
    UnknownReview,
    said,
    unknown,
)
from graph.vocabulary import AdjustmentKind, Status

if TYPE_CHECKING:
    from graph.model import Link, SystemMap

__all__ = [
    "add_link",
    "add_node",
    "merge_nodes",
    "open_round",
    "rename_node",
    "resign_link",
    "retire_link",
    "retire_node",
    "reweight_link",
    "round_to_change",
]


def open_round(
    m: SystemMap,
    number: int | None = None,
    *,
    name: str,
    session: str | None = None,
    **fields: Any,
) -> int:
    """Open the next round (a row of ``rondes``): the round the adjustments go into.

    ``number`` is the next number after the last round (the default); ``session`` the
    session that will test it. Returns the round's number.
    """
    recorded = sorted(r["number"] for r in m.rounds)
    if not recorded:
        # a map without rounds is in round 1 already: record it before the next
        m.add_record("rounds", number=1, name="Ronde 1")
        recorded = [1]
    expected = recorded[-1] + 1
    if number is None:
        number = expected
    if number != expected:
        raise MapError(said("adjust.next_round", expected=expected, number=repr(number)))
    if not name.strip():
        raise MapError(said("adjust.round_name"))
    if session is not None and (
        session not in m.graph or m.graph.nodes[session]["kind"] != "Session"
    ):
        raise unknown(UnknownNode, "session", session, (s.id for s in m.sessions()))
    m.add_record("rounds", number=number, name=name, session=session, **fields)
    return number


def round_to_change(m: SystemMap, open_as: str | None = None, **fields: Any) -> int:
    """The round a change goes into when none is named: the latest round.

    When the groups have tested the latest round (:func:`graph.cycle.rounds_tested`),
    or it is the first (the map as first analysed), a change belongs in a new round:
    with ``open_as``, the next round is opened under that name (with ``fields``, as
    :func:`open_round` takes them) and its number returned; without, the latest round
    is returned and the operation refuses the change (:class:`graph.errors.RoundClosed`).
    So a change asked with ``open_as`` twice after the same test opens one round.

    >>> from graph import SystemMap
    >>> m = SystemMap("t")
    >>> round_to_change(m), round_to_change(m, "Na de toetsing"), round_to_change(m, "Nog een")
    (1, 2, 2)
    """
    latest = rounds(m)[-1]
    if open_as is None or (latest > 1 and latest not in rounds_tested(m)):
        return latest
    return open_round(m, name=open_as, **fields)


def _check(m: SystemMap, in_round: int, reason: str, prompted_by: Sequence[str]) -> None:
    check_round(rounds(m), in_round)
    if in_round in rounds_tested(m):
        raise RoundClosed(
            said("adjust.round_tested", round=in_round),
            round=in_round,
            tested=True,
        )
    if not reason.strip():
        raise MapError(said("adjust.no_reason"))
    reviews = [r["id"] for r in m.reviews]
    for review_id in prompted_by:
        if review_id not in reviews:
            raise unknown(UnknownReview, "review", review_id, reviews)


def _adjustment_id(m: SystemMap, in_round: int, kind: AdjustmentKind, first: str) -> str:
    """``b<round>-<word>-<first>``; ``-2``, ``-3``... after it when the same kind of
    adjustment of the same item is already recorded in the round."""
    base = f"b{in_round}-{kind.id_word}-{first}"
    taken = {a["id"] for a in m.adjustments}
    adjustment_id, n = base, 1
    while adjustment_id in taken:
        n += 1
        adjustment_id = f"{base}-{n}"
    return adjustment_id


def _record(
    m: SystemMap,
    in_round: int,
    kind: AdjustmentKind,
    subject: Sequence[str],
    reason: str,
    prompted_by: Sequence[str],
) -> str:
    adjustment_id = _adjustment_id(m, in_round, kind, subject[0])
    m.add_record(
        "adjustments",
        id=adjustment_id,
        round=in_round,
        adjustment_kind=kind.value,
        subject=tuple(subject),
        reason=reason,
        prompted_by=tuple(prompted_by),
    )
    return adjustment_id


def _free_id(m: SystemMap, item_id: str) -> None:
    if item_id in m:
        raise MapError(said("adjust.id_taken", id=repr(item_id)))


def _node_fields(m: SystemMap, node_id: str, in_round: int) -> dict[str, Any]:
    if node_id not in m.graph:
        raise unknown(UnknownNode, "node", node_id, m.graph)
    fields: dict[str, Any] = m.graph.nodes[node_id]["fields"]
    _check_open(node_id, fields, in_round)
    return fields


def _link_fields(m: SystemMap, link_id: str, in_round: int) -> dict[str, Any]:
    if link_id not in m or link_id in m.graph:
        raise unknown(UnknownLink, "link", link_id, (link.id for link in m.links()))
    link = m.link(link_id)
    fields: dict[str, Any] = m.graph.edges[link.source, link.target, link_id]["fields"]
    _check_open(link_id, fields, in_round)
    return fields


def _check_open(item: str, fields: Mapping[str, Any], in_round: int) -> None:
    """An item may change in round ``in_round`` when it is on the map then: it entered
    in an earlier round, or in this round itself (after round 1, by an adjustment no
    group has tested yet: it then leaves in the round it entered, and is on the map of
    no round)."""
    entered = fields.get("round_in") or 1
    if fields.get("round_out") is not None:
        raise MapError(said("adjust.already_left", item=repr(item), round=fields["round_out"]))
    if in_round < entered:
        raise MapError(
            said("adjust.enters_later", item=repr(item), entered=entered, round=in_round)
        )
    if in_round == 1:
        raise RoundClosed(
            said("adjust.first_analysed", item=repr(item)),
            round=1,
            tested=False,
        )


def add_node(
    m: SystemMap,
    in_round: int,
    kind: str,
    node_id: str,
    name: str,
    *,
    reason: str,
    prompted_by: Sequence[str] = (),
    **fields: Any,
) -> str:
    """Add a node in round ``in_round`` and record why; returns the adjustment's id."""
    _check(m, in_round, reason, prompted_by)
    m.add_node(kind, node_id, name, **{**fields, "round_in": in_round})
    return _record(m, in_round, AdjustmentKind.NODE_ADDED, [node_id], reason, prompted_by)


def add_link(
    m: SystemMap,
    in_round: int,
    link_id: str,
    kind: str,
    source: str,
    target: str,
    *,
    reason: str,
    prompted_by: Sequence[str] = (),
    **fields: Any,
) -> str:
    """Add a link in round ``in_round`` (a hypothese) and record why."""
    _check(m, in_round, reason, prompted_by)
    for end in (source, target):
        if end not in m.graph:
            raise unknown(UnknownNode, "node", end, m.graph)
        if not present(m.graph.nodes[end]["fields"], in_round):
            raise MapError(said("adjust.not_on_map", node=repr(end), round=in_round))
    m.add_link(
        link_id,
        kind,
        source,
        target,
        **{"status": Status.HYPOTHESIS.value, **fields, "round_in": in_round},
    )
    return _record(m, in_round, AdjustmentKind.LINK_ADDED, [link_id], reason, prompted_by)


def retire_link(
    m: SystemMap,
    in_round: int,
    link_id: str,
    *,
    reason: str,
    prompted_by: Sequence[str] = (),
) -> str:
    """Take a link off the map from round ``in_round`` on (its ``ronde_uit``)."""
    _check(m, in_round, reason, prompted_by)
    fields = _link_fields(m, link_id, in_round)
    fields["round_out"] = in_round
    return _record(m, in_round, AdjustmentKind.LINK_RETIRED, [link_id], reason, prompted_by)


def _replace_link(
    m: SystemMap,
    in_round: int,
    link_id: str,
    new_id: str | None,
    change: dict[str, Any],
    kind: AdjustmentKind,
    reason: str,
    prompted_by: Sequence[str],
) -> str:
    fields = _link_fields(m, link_id, in_round)
    old = m.link(link_id)
    new_id = new_id or f"{link_id}-r{in_round}"
    _free_id(m, new_id)
    # the note explained the old claim; sources and origin carry over unless given
    kept = {k: v for k, v in fields.items() if k not in ("round_in", "round_out", "status", "note")}
    m.add_link(
        new_id,
        old.kind,
        old.source,
        old.target,
        **{**kept, **change, "status": Status.HYPOTHESIS.value, "round_in": in_round},
    )
    fields["round_out"] = in_round
    return _record(m, in_round, kind, [link_id, new_id], reason, prompted_by)


def _link_value(m: SystemMap, link_id: str, name: str) -> Any:
    if link_id not in m or link_id in m.graph:
        raise unknown(UnknownLink, "link", link_id, (link.id for link in m.links()))
    return m.link(link_id).get(name)


def resign_link(
    m: SystemMap,
    in_round: int,
    link_id: str,
    sign: str | None,
    *,
    reason: str,
    prompted_by: Sequence[str] = (),
    new_id: str | None = None,
    **fields: Any,
) -> str:
    """Give a link another sign: retire it and add a new link (``new_id``, by default
    ``<link_id>-r<round>``) with the same ends, sources and origin, and the new sign.

    ``fields`` set other fields of the new link (``origin``, ``note``...).
    """
    _check(m, in_round, reason, prompted_by)
    if sign not in (*schema.SIGNS, None):
        raise MapError(said("adjust.bad_sign", sign=repr(sign)))
    if _link_value(m, link_id, "sign") == sign:
        raise MapError(said("adjust.same_sign", link=repr(link_id), sign=repr(sign)))
    change = {**fields, "sign": sign}
    return _replace_link(
        m, in_round, link_id, new_id, change, AdjustmentKind.SIGN_CHANGED, reason, prompted_by
    )


def reweight_link(
    m: SystemMap,
    in_round: int,
    link_id: str,
    weight: float | None,
    *,
    reason: str,
    prompted_by: Sequence[str] = (),
    new_id: str | None = None,
    **fields: Any,
) -> str:
    """Give a link another weight: retire it and add a new link with the new weight,
    as :func:`resign_link` does for the sign."""
    _check(m, in_round, reason, prompted_by)
    if weight is not None and not weight > 0:
        raise MapError(said("adjust.bad_weight", weight=repr(weight)))
    if _link_value(m, link_id, "weight") == weight:
        raise MapError(said("adjust.same_weight", link=repr(link_id), weight=repr(weight)))
    change = {**fields, "weight": weight}
    return _replace_link(
        m, in_round, link_id, new_id, change, AdjustmentKind.WEIGHT_CHANGED, reason, prompted_by
    )


def _open_links_of(m: SystemMap, node_id: str) -> list[str]:
    return [
        link.id
        for link in m.links()
        if node_id in (link.source, link.target) and link.get("round_out") is None
    ]


def retire_node(
    m: SystemMap,
    in_round: int,
    node_id: str,
    *,
    reason: str,
    prompted_by: Sequence[str] = (),
) -> str:
    """Take a node off the map from round ``in_round`` on, and with it its links.

    The adjustment names the node first, then the links that left with it.
    """
    _check(m, in_round, reason, prompted_by)
    fields = _node_fields(m, node_id, in_round)
    links = _open_links_of(m, node_id)
    link_fields = [_link_fields(m, link_id, in_round) for link_id in links]
    for changed in (*link_fields, fields):
        changed["round_out"] = in_round
    subject = [node_id, *links]
    return _record(m, in_round, AdjustmentKind.NODE_RETIRED, subject, reason, prompted_by)


@dataclass
class _Moves:
    """How the links of nodes that leave the map follow them to another node: the
    links to retire, the new links that replace them (new id, old link, source,
    target), and what became of the links not replaced (in Dutch, for the record)."""

    retired: list[str]
    added: list[tuple[str, Link, str, str]]
    notes: list[str]


def _move_links(
    m: SystemMap, in_round: int, leaving: Sequence[str], into: str, *, merging: bool
) -> _Moves:
    """The links of ``leaving`` moved to ``into``; every check made, nothing changed.

    A link between two of the nodes that become one would join ``into`` to itself: it
    is retired and not replaced (a node's own feedback on itself, a link that already
    starts and ends at one node, moves with it). When ``merging``, a link that would
    run beside one of the same kind between the same ends (one ``into`` has already,
    or one moved before it) is retired and not replaced either: the link already there
    stays as it is, with its sign, weight and reviews, and a difference in sign or
    weight is noted.
    """
    moves = _Moves([], [], [])
    kept: dict[tuple[str, str, str], Link] = {}
    if merging:
        for link_id in _open_links_of(m, into):
            link = m.link(link_id)
            if link.source not in leaving and link.target not in leaving:
                kept.setdefault((link.kind, link.source, link.target), link)
    moving = dict.fromkeys(lid for node_id in leaving for lid in _open_links_of(m, node_id))
    for link_id in moving:
        link = m.link(link_id)
        _link_fields(m, link_id, in_round)
        source = into if link.source in leaving else link.source
        target = into if link.target in leaving else link.target
        moves.retired.append(link_id)
        if source == target and link.source != link.target:
            moves.notes.append(
                f"{link_id} zou {m.graph.nodes[into]['name']} met zichzelf verbinden en is "
                "ingetrokken"
            )
            continue
        there = kept.get((link.kind, source, target))
        if there is not None:
            moves.notes.append(_same_link_note(link, there))
            continue
        new_id = f"{link_id}-r{in_round}"
        _free_id(m, new_id)
        moves.added.append((new_id, link, source, target))
        kept[(link.kind, source, target)] = replace(link, id=new_id, source=source, target=target)
    return moves


def _same_link_note(link: Link, there: Link) -> str:
    note = f"{link.id} valt samen met {there.id}, die blijft"
    for field, word in (("sign", "teken"), ("weight", "gewicht")):
        mine, theirs = link.get(field), there.get(field)
        if mine != theirs:
            note += f" ({word} {_shown(mine)} tegenover {_shown(theirs)})"
    return note


def _shown(value: Any) -> str:
    return "onbekend" if value is None else f"{value:g}" if isinstance(value, float) else str(value)


def _apply_moves(m: SystemMap, in_round: int, moves: _Moves) -> None:
    for link_id in moves.retired:
        _link_fields(m, link_id, in_round)["round_out"] = in_round
    for new_id, link, source, target in moves.added:
        kept = {k: v for k, v in link.fields.items() if k not in ("round_in", "round_out")}
        m.add_link(
            new_id,
            link.kind,
            source,
            target,
            **{**kept, "status": Status.HYPOTHESIS.value, "round_in": in_round},
        )


def _with_notes(reason: str, notes: Sequence[str]) -> str:
    return f"{reason} [{'; '.join(notes)}]" if notes else reason


def merge_nodes(
    m: SystemMap,
    in_round: int,
    merged: Sequence[str],
    into: str,
    *,
    reason: str,
    prompted_by: Sequence[str] = (),
) -> str:
    """Merge the nodes ``merged`` into the node ``into`` from round ``in_round`` on.

    The merged nodes leave the map; each of their links leaves too and comes back as
    a new link (``<link_id>-r<round>``) that starts or ends at ``into`` instead, but
    not twice and not in a circle:

    - a link between ``into`` and a merged node (or between two merged nodes) would
      join ``into`` to itself: it leaves and does not come back (what joined A to B
      says nothing about A on itself); a merged node's own feedback on itself (a link
      from it to itself) moves to ``into`` as any other link;
    - a link that would run beside a link of the same kind between the same ends
      (``into`` has one already, or another merged node's link came first) leaves and
      does not come back: the link already there stays as it is, with its sign,
      weight, status and reviews. When the two differ in sign or weight, the one
      there still holds; the difference is noted, so that the analyst can give it
      another sign or weight afterwards.

    The adjustment names ``into`` first, then the merged nodes, then the links retired
    and the links added; its reason ends with what became of the links that did not
    come back (in brackets, in Dutch).

    >>> from graph import SystemMap
    >>> m = SystemMap("t")
    >>> for f in ("a", "b", "c"):
    ...     m.add_node("Factor", f, f.upper(), level="persoon", role="bron")
    >>> m.add_link("ab", "INFLUENCES", "a", "b", sign="+")
    >>> m.add_link("ac", "INFLUENCES", "a", "c", sign="-")
    >>> m.add_link("bc", "INFLUENCES", "b", "c", sign="+")
    >>> open_round(m, name="Ronde 2")
    2
    >>> merge_nodes(m, 2, ["b"], "c", reason="hetzelfde")
    'b2-samengevoegd-c'
    >>> [link.id for link in m.links() if link.get("round_out") is None]
    ['ac']
    >>> print(m.adjustments[0]["reason"])
    hetzelfde [ab valt samen met ac, die blijft (teken + tegenover -); bc zou C met \
zichzelf verbinden en is ingetrokken]
    """
    _check(m, in_round, reason, prompted_by)
    if into not in m.graph:
        raise unknown(UnknownNode, "node", into, m.graph)
    if not present(m.graph.nodes[into]["fields"], in_round):
        raise MapError(said("adjust.not_on_map", node=repr(into), round=in_round))
    merged = list(dict.fromkeys(merged))
    if not merged or into in merged:
        raise MapError(said("adjust.merge_none"))
    node_fields = [_node_fields(m, node_id, in_round) for node_id in merged]
    moves = _move_links(m, in_round, merged, into, merging=True)
    _apply_moves(m, in_round, moves)
    for fields in node_fields:
        fields["round_out"] = in_round
    subject = [into, *merged, *moves.retired, *(new_id for new_id, *_ in moves.added)]
    return _record(
        m,
        in_round,
        AdjustmentKind.NODE_MERGED,
        subject,
        _with_notes(reason, moves.notes),
        prompted_by,
    )


def rename_node(
    m: SystemMap,
    in_round: int,
    node_id: str,
    name: str,
    *,
    reason: str,
    prompted_by: Sequence[str] = (),
    new_id: str | None = None,
) -> str:
    """Give a node another name from round ``in_round`` on.

    The old name stays with the map as of earlier rounds: the node leaves the map and a
    node with the new name (``new_id``, by default ``<node_id>-r<round>``) and the same
    fields takes its place; its links move to the new node as :func:`merge_nodes` moves
    them. The adjustment names the new node, the old one, and the links moved.
    """
    _check(m, in_round, reason, prompted_by)
    fields = _node_fields(m, node_id, in_round)
    if not name.strip():
        raise MapError(said("adjust.no_new_name"))
    if name == m.graph.nodes[node_id]["name"]:
        raise MapError(said("adjust.same_name", node=repr(node_id), name=repr(name)))
    new_id = new_id or f"{node_id}-r{in_round}"
    _free_id(m, new_id)
    moves = _move_links(m, in_round, [node_id], new_id, merging=False)
    kind = m.graph.nodes[node_id]["kind"]
    kept = {k: v for k, v in fields.items() if k not in ("round_in", "round_out")}
    m.add_node(kind, new_id, name, **{**kept, "round_in": in_round})
    _apply_moves(m, in_round, moves)
    fields["round_out"] = in_round
    subject = [new_id, node_id, *moves.retired, *(link_id for link_id, *_ in moves.added)]
    return _record(m, in_round, AdjustmentKind.NODE_RENAMED, subject, reason, prompted_by)
