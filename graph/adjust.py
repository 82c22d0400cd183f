"""The adjust step (bijstellen): the operations that change a map from round to round.

Each operation changes a :class:`graph.SystemMap` in place, in a round that the map
has opened (:func:`open_round`), and records an *adjustment* (the ``bijstellingen``
sheet) with its round, its reason and the reviews that prompted it. Nothing is
deleted or overwritten: a retired node or link keeps its row and gets a ``ronde_uit``;
a re-signed or re-weighted link is retired and replaced by a new link with a new id;
a merged or renamed node leaves the map and its links come back as new links. So the
map as of an earlier round (:func:`graph.cycle.map_as_of`) stays as it was.

Every check comes before the first change: an operation that is refused raises
(:class:`graph.errors.UnknownRound`, ``UnknownNode``, ``UnknownLink``,
``UnknownReview``, or :class:`graph.errors.MapError`) and leaves the map as it was.
The operations are also methods of SystemMap (``m.retire_link(...)``).

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
from typing import Any

from graph import schema
from graph.cycle import check_round, present, rounds
from graph.errors import MapError, UnknownLink, UnknownNode, UnknownReview, unknown
from graph.model import SystemMap

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
]

#: The word of each kind of adjustment in its id: ``b<round>-<word>-<subject>``.
_ID_WORDS = {
    "relatie toegevoegd": "toegevoegd",
    "relatie ingetrokken": "ingetrokken",
    "teken gewijzigd": "teken",
    "gewicht gewijzigd": "gewicht",
    "knoop toegevoegd": "toegevoegd",
    "knoop ingetrokken": "ingetrokken",
    "knoop samengevoegd": "samengevoegd",
    "knoop hernoemd": "hernoemd",
}


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
        raise MapError(f"the next round is {expected}, not {number!r}")
    if not name.strip():
        raise MapError("give the round a name")
    if session is not None and (
        session not in m.graph or m.graph.nodes[session]["kind"] != "Session"
    ):
        raise unknown(UnknownNode, "session", session, (s.id for s in m.sessions()))
    m.add_record("rounds", number=number, name=name, session=session, **fields)
    return number


def _check(m: SystemMap, in_round: int, reason: str, prompted_by: Sequence[str]) -> None:
    check_round(rounds(m), in_round)
    if not reason.strip():
        raise MapError("say why: the reason may not be empty")
    reviews = [r["id"] for r in m.reviews]
    for review_id in prompted_by:
        if review_id not in reviews:
            raise unknown(UnknownReview, "review", review_id, reviews)


def _record(
    m: SystemMap,
    in_round: int,
    kind: str,
    subject: Sequence[str],
    reason: str,
    prompted_by: Sequence[str],
) -> str:
    adjustment_id = f"b{in_round}-{_ID_WORDS[kind]}-{subject[0]}"
    m.add_record(
        "adjustments",
        id=adjustment_id,
        round=in_round,
        adjustment_kind=kind,
        subject=tuple(subject),
        reason=reason,
        prompted_by=tuple(prompted_by),
    )
    return adjustment_id


def _free_adjustment_id(m: SystemMap, in_round: int, kind: str, first: str) -> None:
    adjustment_id = f"b{in_round}-{_ID_WORDS[kind]}-{first}"
    if any(a["id"] == adjustment_id for a in m.adjustments):
        raise MapError(f"adjustment {adjustment_id!r} is already recorded")


def _free_id(m: SystemMap, item_id: str) -> None:
    if item_id in m:
        raise MapError(f"id {item_id!r} is already taken")


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
    if fields.get("round_out") is not None:
        raise MapError(f"{item!r} already left the map in round {fields['round_out']}")
    if in_round <= (fields.get("round_in") or 1):
        raise MapError(
            f"{item!r} entered the map in round {fields.get('round_in') or 1}; "
            f"it can only change in a later round, not in round {in_round} "
            "(open one first: versterkt round open)"
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
    _free_adjustment_id(m, in_round, "knoop toegevoegd", node_id)
    m.add_node(kind, node_id, name, **{**fields, "round_in": in_round})
    return _record(m, in_round, "knoop toegevoegd", [node_id], reason, prompted_by)


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
            raise MapError(f"node {end!r} is not on the map in round {in_round}")
    _free_adjustment_id(m, in_round, "relatie toegevoegd", link_id)
    m.add_link(
        link_id, kind, source, target, **{"status": "hypothese", **fields, "round_in": in_round}
    )
    return _record(m, in_round, "relatie toegevoegd", [link_id], reason, prompted_by)


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
    _free_adjustment_id(m, in_round, "relatie ingetrokken", link_id)
    fields["round_out"] = in_round
    return _record(m, in_round, "relatie ingetrokken", [link_id], reason, prompted_by)


def _replace_link(
    m: SystemMap,
    in_round: int,
    link_id: str,
    new_id: str | None,
    change: dict[str, Any],
    kind: str,
    reason: str,
    prompted_by: Sequence[str],
) -> str:
    fields = _link_fields(m, link_id, in_round)
    old = m.link(link_id)
    new_id = new_id or f"{link_id}-r{in_round}"
    _free_id(m, new_id)
    _free_adjustment_id(m, in_round, kind, link_id)
    # the note explained the old claim; sources and origin carry over unless given
    kept = {k: v for k, v in fields.items() if k not in ("round_in", "round_out", "status", "note")}
    m.add_link(
        new_id,
        old.kind,
        old.source,
        old.target,
        **{**kept, **change, "status": "hypothese", "round_in": in_round},
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
        raise MapError(f"a sign is + or -, or None for unknown; not {sign!r}")
    if _link_value(m, link_id, "sign") == sign:
        raise MapError(f"link {link_id!r} already has sign {sign!r}")
    change = {**fields, "sign": sign}
    return _replace_link(
        m, in_round, link_id, new_id, change, "teken gewijzigd", reason, prompted_by
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
        raise MapError(f"a weight is greater than 0, not {weight!r}")
    if _link_value(m, link_id, "weight") == weight:
        raise MapError(f"link {link_id!r} already has weight {weight!r}")
    change = {**fields, "weight": weight}
    return _replace_link(
        m, in_round, link_id, new_id, change, "gewicht gewijzigd", reason, prompted_by
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
    _free_adjustment_id(m, in_round, "knoop ingetrokken", node_id)
    for changed in (*link_fields, fields):
        changed["round_out"] = in_round
    return _record(m, in_round, "knoop ingetrokken", [node_id, *links], reason, prompted_by)


def _move_links(
    m: SystemMap, in_round: int, merged: Sequence[str], into: str
) -> tuple[list[str], list[tuple[str, Any, str, str]]]:
    """The open links of ``merged`` to retire, and the new links that replace them at
    ``into`` (as (new id, old link, source, target)); every check made, nothing changed."""
    retired: list[str] = []
    added: list[tuple[str, Any, str, str]] = []
    for link_id in dict.fromkeys(lid for node_id in merged for lid in _open_links_of(m, node_id)):
        link = m.link(link_id)
        _link_fields(m, link_id, in_round)
        source = into if link.source in merged else link.source
        target = into if link.target in merged else link.target
        retired.append(link_id)
        if source == target:
            continue
        new_id = f"{link_id}-r{in_round}"
        _free_id(m, new_id)
        added.append((new_id, link, source, target))
    return retired, added


def _apply_moves(
    m: SystemMap, in_round: int, retired: list[str], added: list[tuple[str, Any, str, str]]
) -> None:
    for link_id in retired:
        _link_fields(m, link_id, in_round)["round_out"] = in_round
    for new_id, link, source, target in added:
        kept = {k: v for k, v in link.fields.items() if k not in ("round_in", "round_out")}
        m.add_link(
            new_id,
            link.kind,
            source,
            target,
            **{**kept, "status": "hypothese", "round_in": in_round},
        )


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
    a new link (``<link_id>-r<round>``) that starts or ends at ``into`` instead, unless
    it would join ``into`` to itself. The adjustment names ``into`` first, then the
    merged nodes, then the links retired and the links added.
    """
    _check(m, in_round, reason, prompted_by)
    if into not in m.graph:
        raise unknown(UnknownNode, "node", into, m.graph)
    if not present(m.graph.nodes[into]["fields"], in_round):
        raise MapError(f"node {into!r} is not on the map in round {in_round}")
    if not merged or into in merged:
        raise MapError("name the nodes to merge, other than the one they merge into")
    node_fields = [_node_fields(m, node_id, in_round) for node_id in merged]
    retired, added = _move_links(m, in_round, merged, into)
    _free_adjustment_id(m, in_round, "knoop samengevoegd", into)
    _apply_moves(m, in_round, retired, added)
    for fields in node_fields:
        fields["round_out"] = in_round
    subject = [into, *merged, *retired, *(new_id for new_id, *_ in added)]
    return _record(m, in_round, "knoop samengevoegd", subject, reason, prompted_by)


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
        raise MapError("give the new name")
    if name == m.graph.nodes[node_id]["name"]:
        raise MapError(f"node {node_id!r} is already called {name!r}")
    new_id = new_id or f"{node_id}-r{in_round}"
    _free_id(m, new_id)
    _free_adjustment_id(m, in_round, "knoop hernoemd", new_id)
    retired, added = _move_links(m, in_round, [node_id], new_id)
    kind = m.graph.nodes[node_id]["kind"]
    kept = {k: v for k, v in fields.items() if k not in ("round_in", "round_out")}
    m.add_node(kind, new_id, name, **{**kept, "round_in": in_round})
    _apply_moves(m, in_round, retired, added)
    fields["round_out"] = in_round
    subject = [new_id, node_id, *retired, *(link_id for link_id, *_ in added)]
    return _record(m, in_round, "knoop hernoemd", subject, reason, prompted_by)
