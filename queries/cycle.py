"""The cycle: analyse → toets → bijstel, round after round.

A *round* is one pass of the cycle. Its map is the analysis put to the test in that
round's session; the groups' verdicts on its links are *reviews* recorded with the
round's number; the changes that follow are *adjustments*, recorded in the next
round together with the ``ronde_in`` / ``ronde_uit`` of what they add and retire.
Nothing is deleted or overwritten: a retired node or link keeps its row and gets a
``ronde_uit``; a re-signed or re-weighted link is retired and replaced by a new link
with a new id, and one adjustment names both.

**As of round k** means the map as it stood when round k was put to the test: the
nodes and links on the map in round k (the round rule of
:func:`queries._common.present`: ``(ronde_in or 1) <= k < ronde_uit``), the
adjustments of round k and before, and the reviews of the rounds *before* k. The
reviews given in round k are that round's test and count from round k + 1 on. So
nothing recorded after a round's map was drawn (its own reviews, later adjustments)
changes the map as of that round. Without a round: the latest state, every review.
The other query families count reviews the same way
(:func:`queries._common.review_counts`).

**Status rule.** A link's status follows from its reviews up to a round. Each group
that reviewed the link has a *position*: its latest verdict ``eens``, ``oneens`` or
``neutraal`` (by round, then by the order of the ``toetsing`` rows); an ``aanvulling``
adds a remark and leaves the position as it was. Then:

- no reviews, or no group whose position is ``eens`` or ``oneens``: **hypothese**
  (untested, or tested without a verdict: only ``neutraal`` and ``aanvulling``);
- every group whose position is ``eens`` or ``oneens`` says ``eens``: **bevestigd**;
- every such group says ``oneens``: **verworpen**;
- some groups say ``eens`` and others ``oneens``: **betwist**.

A re-signed or re-weighted link is a new claim: its reviews start afresh, so it is
a hypothese until it is tested. The rule replaces the ``status`` column of the
``relaties`` sheet: :func:`map_as_of` writes the status it gives into each link.

Every question here can be asked of a SystemMap and of a map in Neo4j (the
``stored_*`` functions), with identical answers. In Neo4j the round filters and the
aggregation of reviews into a status run in Cypher; what needs the whole map
(leverage and loops, which follow chains of links) is computed on the map read back
with :meth:`graph.store.Neo4jStore.read`.

>>> from loaders import load_map; m = load_map()
>>> link_status(m)["status"].unique().tolist()
['hypothese']
>>> link_statement("INFLUENCES", "+", "De verwachtingen van ouders", "Prestatiedruk")
'De verwachtingen van ouders vergroten prestatiedruk'
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd

from graph import MapError, SystemMap, schema
from queries._common import (
    SHEET_LINK_KINDS,
    QueryError,
    check_link_kinds,
    frame,
    link_graph,
    present,
    review_counts,
)
from queries.influence import drivers
from queries.leverage import leverage_points
from queries.loops import loops

if TYPE_CHECKING:
    from graph.store import Neo4jStore

__all__ = [
    "AGENDA_COLUMNS",
    "DIFF_COLUMNS",
    "LEVERAGE_MOVE_COLUMNS",
    "LINK_STATUS_COLUMNS",
    "LOOP_MOVE_COLUMNS",
    "TESTED_KINDS",
    "add_link",
    "add_node",
    "agenda",
    "diff",
    "leverage_moves",
    "link_statement",
    "link_status",
    "loop_moves",
    "map_as_of",
    "merge_nodes",
    "resign_link",
    "retire_link",
    "retire_node",
    "reweight_link",
    "rounds",
    "status_from_positions",
    "stored_agenda",
    "stored_diff",
    "stored_leverage_moves",
    "stored_link_status",
    "stored_loop_moves",
]

#: The link kinds a session tests by default: what drives what, and who can turn
#: which knob.
TESTED_KINDS = ("INFLUENCES", "CAN_ADJUST")

#: Columns (name: dtype) of :func:`link_status`.
LINK_STATUS_COLUMNS = {
    "link": "object",
    "kind": "object",
    "source": "object",
    "target": "object",
    "status": "object",
    "reviews": "int64",
    "agree": "int64",
    "disagree": "int64",
    "neutral": "int64",
    "additions": "int64",
    "groups": "object",
    "agreeing": "object",
    "disagreeing": "object",
}
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
#: Columns (name: dtype) of :func:`agenda`.
AGENDA_COLUMNS = {
    "priority": "int64",
    "link": "object",
    "kind": "object",
    "source": "object",
    "target": "object",
    "statement": "object",
    "status": "object",
    "groups": "object",
    "leverage": "Float64",
    "reasons": "object",
}

#: The kinds of change :func:`diff` reports, in the order it lists them within a round.
CHANGES = (
    "node added",
    "node retired",
    "node merged",
    "link added",
    "link retired",
    "link re-signed",
    "link re-weighted",
    "status changed",
)


# --- rounds ---------------------------------------------------------------------------


def rounds(m: SystemMap) -> list[int]:
    """The numbers of the map's rounds (the ``rondes`` sheet), in order."""
    return sorted(r["number"] for r in m.rounds)


def _check_known(known: Sequence[int], k: int | None) -> int | None:
    if k is None:
        return None
    if isinstance(k, bool) or not isinstance(k, int) or k not in known:
        listed = ", ".join(map(str, known)) or "none"
        raise QueryError(f"unknown round {k!r} (rounds: {listed})")
    return k


def _check_pair(known: Sequence[int], a: int, b: int) -> None:
    _check_known(known, a)
    _check_known(known, b)
    if a >= b:
        raise QueryError(f"the first round must come before the second, not {a} and {b}")


def map_as_of(m: SystemMap, k: int | None) -> SystemMap:
    """The map as it stood when round ``k`` was put to the test.

    The nodes and links on the map in round ``k`` (a link only with both its ends),
    each without a ``round_out`` (in round ``k`` it had not left yet) and each link with
    the status the rule gives as of round ``k``; the rounds up to ``k``; the reviews of
    the rounds before ``k``; the adjustments up to ``k``; the votes and attendance of
    sessions on the map. With ``k=None``, the latest state.

    Examples
    --------
    >>> from loaders import load_map; m = load_map()
    >>> map_as_of(m, 1).counts() == m.counts()
    True
    >>> map_as_of(m, 2)
    Traceback (most recent call last):
    ...
    queries._common.QueryError: unknown round 2 (rounds: 1)
    """
    _check_known(rounds(m), k)
    status = {row["link"]: row["status"] for row in _status_rows(m, k)}
    out = SystemMap(m.id, m.name, **m.meta)
    nodes = [n for n in m.nodes() if present(n.fields, k)]
    # quotes last, as the loader adds them: their ABOUT links need every node
    for node in sorted(nodes, key=lambda n: n.kind == "Quote"):
        out.add_node(node.kind, node.id, node.name, **_without_round_out(node.fields))
    for link in m.links():
        if link.id in status:
            fields = _without_round_out(link.fields)
            fields["status"] = status[link.id]
            out.add_link(link.id, link.kind, link.source, link.target, **fields)
    on_map = set(out.graph)
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
    return True


# --- the status rule ------------------------------------------------------------------


def status_from_positions(agreeing: Iterable[str], disagreeing: Iterable[str]) -> str:
    """The status of a link whose groups hold these positions (see the module's rule).

    >>> status_from_positions([], []), status_from_positions(["ouder"], [])
    ('hypothese', 'bevestigd')
    >>> status_from_positions([], ["ouder"]), status_from_positions(["jongere"], ["ouder"])
    ('verworpen', 'betwist')
    """
    yes, no = bool(list(agreeing)), bool(list(disagreeing))
    if yes and no:
        return "betwist"
    if yes:
        return "bevestigd"
    if no:
        return "verworpen"
    return "hypothese"


def _status_rows(m: SystemMap, as_of_round: int | None) -> list[dict[str, Any]]:
    """Per link on the map as of the round: the link and the aggregate of its reviews.

    The same rows as :data:`STATUS_QUERY` gives in Neo4j.
    """
    g = link_graph(m, SHEET_LINK_KINDS, as_of_round)
    by_link: dict[str, list[Mapping[str, Any]]] = defaultdict(list)
    # by round; within a round in the order of the toetsing rows (sorted is stable)
    for review in sorted(m.reviews, key=lambda r: r["round"]):
        if review_counts(review, as_of_round):
            by_link[review["link"]].append(review)
    rows = []
    for key, (source, target, data) in g.links.items():
        reviews = by_link[key]
        positions: dict[str, str] = {}
        for earlier in reviews:
            if earlier["verdict"] != "aanvulling":
                positions[earlier["group"]] = earlier["verdict"]
        verdicts = [r["verdict"] for r in reviews]
        agreeing = [grp for grp, v in positions.items() if v == "eens"]
        disagreeing = [grp for grp, v in positions.items() if v == "oneens"]
        fields = data["fields"]
        rows.append(
            {
                "link": key,
                "kind": data["kind"],
                "source": source,
                "target": target,
                "source_name": g.nodes[source]["name"],
                "target_name": g.nodes[target]["name"],
                "sign": fields.get("sign"),
                "source_count": len(fields.get("sources", ())),
                "reviews": len(reviews),
                "agree": verdicts.count("eens"),
                "disagree": verdicts.count("oneens"),
                "neutral": verdicts.count("neutraal"),
                "additions": verdicts.count("aanvulling"),
                "groups": sorted({r["group"] for r in reviews}),
                "agreeing": sorted(agreeing),
                "disagreeing": sorted(disagreeing),
                "status": status_from_positions(agreeing, disagreeing),
            }
        )
    return _normalised(rows)


def _normalised(rows: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Status rows in one canonical form, whichever backend produced them."""
    out = []
    for row in rows:
        clean = dict(row)
        for name in ("groups", "agreeing", "disagreeing"):
            clean[name] = sorted(clean[name])
        out.append(clean)
    out.sort(key=lambda r: r["link"])
    return out


def _status_frame(rows: Iterable[Mapping[str, Any]]) -> pd.DataFrame:
    return frame(
        ({name: row[name] for name in LINK_STATUS_COLUMNS} for row in rows), LINK_STATUS_COLUMNS
    )


def link_status(m: SystemMap, as_of_round: int | None = None) -> pd.DataFrame:
    """Each link's status by the rule of this module, and the reviews it rests on.

    Parameters
    ----------
    m : SystemMap
    as_of_round : int, optional
        The status with which the links entered this round: links on the map in
        it, reviews of earlier rounds. By default the latest state and every review.

    Returns
    -------
    pandas.DataFrame
        One row per link on the map (every kind of the ``relaties`` sheet), ordered by
        link id. Columns: ``link``, ``kind``, ``source``, ``target``, ``status``;
        ``reviews`` (how many), ``agree``, ``disagree``, ``neutral``, ``additions``
        (how many reviews gave ``eens``, ``oneens``, ``neutraal``, ``aanvulling``);
        ``groups`` (the groups that reviewed it), ``agreeing`` and ``disagreeing``
        (the groups whose position is ``eens`` / ``oneens``: they decide the status).

    Examples
    --------
    >>> m = SystemMap("demo")
    >>> m.add_record("rounds", number=1, name="Eerste ronde")
    >>> for f in ("a", "b"):
    ...     m.add_node("Factor", f, f.upper(), level="persoon", role="bron")
    >>> m.add_link("ab", "INFLUENCES", "a", "b", sign="+")
    >>> for group, verdict in (("ouder", "eens"), ("jongere", "oneens"), ("jongere", "aanvulling")):
    ...     m.add_record("reviews", id=f"r-{group}-{verdict}", link="ab", round=1,
    ...                  group=group, verdict=verdict)
    >>> row = link_status(m).iloc[0]
    >>> row["status"], row["agreeing"], row["disagreeing"], int(row["additions"])
    ('betwist', ['ouder'], ['jongere'], 1)
    >>> link_status(m, as_of_round=1)["status"].tolist()
    ['hypothese']
    """
    _check_known(rounds(m), as_of_round)
    return _status_frame(_status_rows(m, as_of_round))


# --- sentences --------------------------------------------------------------------------

# (singular, plural) verb phrases; {t} is the target.
_PHRASES: dict[tuple[str, str | None], tuple[str, str]] = {
    ("INFLUENCES", "+"): ("vergroot {t}", "vergroten {t}"),
    ("INFLUENCES", "-"): ("verkleint {t}", "verkleinen {t}"),
    ("INFLUENCES", None): ("beïnvloedt {t}", "beïnvloeden {t}"),
    ("CAN_ADJUST", None): ("kan {t} bijsturen", "kunnen {t} bijsturen"),
    ("COOPERATES_WITH", None): ("werkt samen met {t}", "werken samen met {t}"),
    ("RUNS", None): ("voert {t} uit", "voeren {t} uit"),
    ("LOCATED_AT", None): ("vindt plaats in {t}", "vinden plaats in {t}"),
    ("ADDRESSES", None): ("richt zich op {t}", "richten zich op {t}"),
}
# Words ending in -en that are singular.
_SINGULAR_EN = ("iedereen", "examen", "leven", "wezen", "teken")
# Plurals in -s (ouders, tafels, jongens, meisjes, activiteiten aside), and exceptions.
_PLURAL_S = ("ers", "els", "ens", "jes", "ies", "als", "'s")
_SINGULAR_S = ("mens",)
#: Link kinds whose targets are common nouns (factors, groups): lower case mid-sentence.
_COMMON_TARGETS = ("INFLUENCES", "CAN_ADJUST", "ADDRESSES")


def _proper_name(name: str) -> bool:
    """A name that keeps its capitals mid-sentence: ``VMBO``, ``Gemeente Utrecht``."""
    words = name.split()
    if not words:
        return False
    if len(words[0]) > 1 and words[0].isupper():
        return True
    capitalised = [w for w in words if w[:1].isupper()]
    return len(words) <= 3 and len(capitalised) >= 2


def _plural(name: str) -> bool:
    """Whether a name reads as plural (``Ouders``, ``De verwachtingen van ouders``)."""
    words = name.split()
    if not words or words[0].lower() in ("het", "een") or _proper_name(name):
        return False
    if words[0].lower() == "de" and len(words) > 1:
        words = words[1:]
    head = words[0].lower().strip(",.")
    if head in _SINGULAR_EN:
        return False
    if head.endswith("en") and len(head) > 3:
        return True
    return head.endswith(_PLURAL_S) and head not in _SINGULAR_S


def _mid_sentence(name: str) -> str:
    return name if _proper_name(name) else name[:1].lower() + name[1:]


def link_statement(kind: str, sign: str | None, source_name: str, target_name: str) -> str:
    """A link as a plain Dutch sentence, to put to a group.

    The verb follows the sign: ``+`` vergroot, ``-`` verkleint, unknown beïnvloedt;
    other kinds of link have their own phrase. Simple rules pick the plural verb for
    plural names (``Ouders``, ``De verwachtingen van ouders``) and write a factor or
    group in lower case mid-sentence, a name such as ``VMBO`` or ``Gemeente Utrecht``
    as it is.

    >>> link_statement("INFLUENCES", "-", "Verantwoordelijkheidsgevoel", "Stress")
    'Verantwoordelijkheidsgevoel verkleint stress'
    >>> link_statement("INFLUENCES", None, "Ouders", "Het geluk van een kind")
    'Ouders beïnvloeden het geluk van een kind'
    >>> link_statement("CAN_ADJUST", None, "Scholen", "Meten en toetsen")
    'Scholen kunnen meten en toetsen bijsturen'
    >>> link_statement("RUNS", None, "Gemeente Utrecht", "Vleuten Versterkt")
    'Gemeente Utrecht voert Vleuten Versterkt uit'
    """
    check_link_kinds([kind])
    singular, plural = _PHRASES.get((kind, sign)) or _PHRASES[kind, None]
    phrase = plural if _plural(source_name) else singular
    subject = source_name[:1].upper() + source_name[1:]
    target = _mid_sentence(target_name) if kind in _COMMON_TARGETS else target_name
    return f"{subject} {phrase.format(t=target)}"


# --- adjustments ----------------------------------------------------------------------

_ADJUSTMENT_WORDS = {
    "relatie toegevoegd": "toegevoegd",
    "relatie ingetrokken": "ingetrokken",
    "teken gewijzigd": "teken",
    "gewicht gewijzigd": "gewicht",
    "knoop toegevoegd": "toegevoegd",
    "knoop ingetrokken": "ingetrokken",
    "knoop samengevoegd": "samengevoegd",
}


def _record_adjustment(
    m: SystemMap,
    in_round: int,
    kind: str,
    subject: Sequence[str],
    reason: str,
    prompted_by: Sequence[str],
) -> str:
    adjustment_id = f"b{in_round}-{_ADJUSTMENT_WORDS[kind]}-{subject[0]}"
    if any(a["id"] == adjustment_id for a in m.adjustments):
        raise MapError(f"adjustment {adjustment_id!r} is already recorded")
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


def _check_adjustment(m: SystemMap, in_round: int, reason: str, prompted_by: Sequence[str]) -> None:
    if in_round not in rounds(m):
        listed = ", ".join(map(str, rounds(m))) or "none"
        raise MapError(f"round {in_round} is not in rondes (rounds: {listed}); add it first")
    if not reason.strip():
        raise MapError("say why: the reason may not be empty")
    reviews = {r["id"] for r in m.reviews}
    for review_id in prompted_by:
        if review_id not in reviews:
            raise MapError(f"unknown review {review_id!r}")


def _open_node(m: SystemMap, node_id: str, in_round: int) -> dict[str, Any]:
    if node_id not in m.graph:
        raise MapError(f"unknown node {node_id!r}")
    fields: dict[str, Any] = m.graph.nodes[node_id]["fields"]
    _check_open(node_id, fields, in_round)
    return fields


def _open_link(m: SystemMap, link_id: str, in_round: int) -> dict[str, Any]:
    try:
        link = m.link(link_id)
    except KeyError:
        raise MapError(f"unknown link {link_id!r}") from None
    fields: dict[str, Any] = m.graph.edges[link.source, link.target, link_id]["fields"]
    _check_open(link_id, fields, in_round)
    return fields


def _check_open(item: str, fields: Mapping[str, Any], in_round: int) -> None:
    if fields.get("round_out") is not None:
        raise MapError(f"{item!r} already left the map in round {fields['round_out']}")
    if in_round <= (fields.get("round_in") or 1):
        raise MapError(
            f"{item!r} entered the map in round {fields.get('round_in') or 1}; "
            f"it can only change in a later round, not in round {in_round}"
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
    """Add a node in round ``in_round`` and record why; returns the adjustment's id.

    Like every adjustment here, this changes ``m`` in place and raises
    :class:`graph.MapError` when the change is not allowed.
    """
    _check_adjustment(m, in_round, reason, prompted_by)
    m.add_node(kind, node_id, name, **{**fields, "round_in": in_round})
    return _record_adjustment(m, in_round, "knoop toegevoegd", [node_id], reason, prompted_by)


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
    _check_adjustment(m, in_round, reason, prompted_by)
    for end in (source, target):
        if end in m.graph and not present(m.graph.nodes[end]["fields"], in_round):
            raise MapError(f"node {end!r} is not on the map in round {in_round}")
    m.add_link(
        link_id, kind, source, target, **{"status": "hypothese", **fields, "round_in": in_round}
    )
    return _record_adjustment(m, in_round, "relatie toegevoegd", [link_id], reason, prompted_by)


def retire_link(
    m: SystemMap,
    in_round: int,
    link_id: str,
    *,
    reason: str,
    prompted_by: Sequence[str] = (),
) -> str:
    """Take a link off the map from round ``in_round`` on (its ``ronde_uit``)."""
    _check_adjustment(m, in_round, reason, prompted_by)
    _open_link(m, link_id, in_round)["round_out"] = in_round
    return _record_adjustment(m, in_round, "relatie ingetrokken", [link_id], reason, prompted_by)


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
    _check_adjustment(m, in_round, reason, prompted_by)
    fields = _open_link(m, link_id, in_round)
    old = m.link(link_id)
    new_id = new_id or f"{link_id}-r{in_round}"
    if new_id in m:
        raise MapError(f"id {new_id!r} is already taken")
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
    return _record_adjustment(m, in_round, kind, [link_id, new_id], reason, prompted_by)


def _link_field(m: SystemMap, link_id: str, name: str) -> Any:
    try:
        return m.link(link_id).get(name)
    except KeyError:
        raise MapError(f"unknown link {link_id!r}") from None


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
    if sign not in (*schema.SIGNS, None):
        raise MapError(f"a sign is + or -, or None for unknown; not {sign!r}")
    if _link_field(m, link_id, "sign") == sign:
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
    if weight is not None and not weight > 0:
        raise MapError(f"a weight is greater than 0, not {weight!r}")
    if _link_field(m, link_id, "weight") == weight:
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
    _check_adjustment(m, in_round, reason, prompted_by)
    fields = _open_node(m, node_id, in_round)
    links = _open_links_of(m, node_id)
    for link_id in links:
        _open_link(m, link_id, in_round)["round_out"] = in_round
    fields["round_out"] = in_round
    return _record_adjustment(
        m, in_round, "knoop ingetrokken", [node_id, *links], reason, prompted_by
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
    _check_adjustment(m, in_round, reason, prompted_by)
    if into not in m.graph or not present(m.graph.nodes[into]["fields"], in_round):
        raise MapError(f"node {into!r} is not on the map in round {in_round}")
    if not merged or into in merged:
        raise MapError("name the nodes to merge, other than the one they merge into")
    node_fields = [_open_node(m, node_id, in_round) for node_id in merged]
    retired: list[str] = []
    added: list[str] = []
    for link_id in dict.fromkeys(lid for node_id in merged for lid in _open_links_of(m, node_id)):
        link = m.link(link_id)
        source = into if link.source in merged else link.source
        target = into if link.target in merged else link.target
        _open_link(m, link_id, in_round)["round_out"] = in_round
        retired.append(link_id)
        if source == target:
            continue
        new_id = f"{link_id}-r{in_round}"
        if new_id in m:
            raise MapError(f"id {new_id!r} is already taken")
        kept = {k: v for k, v in link.fields.items() if k not in ("round_in", "round_out")}
        m.add_link(
            new_id,
            link.kind,
            source,
            target,
            **{**kept, "status": "hypothese", "round_in": in_round},
        )
        added.append(new_id)
    for fields in node_fields:
        fields["round_out"] = in_round
    return _record_adjustment(
        m,
        in_round,
        "knoop samengevoegd",
        [into, *merged, *retired, *added],
        reason,
        prompted_by,
    )


# --- what changed -----------------------------------------------------------------------


@dataclass
class _Snapshot:
    """What is on the map in one round: nodes and links with what the diff compares."""

    nodes: dict[str, dict[str, Any]]
    links: dict[str, dict[str, Any]]


def _snapshot(m: SystemMap, k: int) -> _Snapshot:
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
    return _Snapshot(nodes, links)


@dataclass
class _History:
    """Everything :func:`diff` compares, from a SystemMap or from Neo4j."""

    a: int
    b: int
    known: list[int]
    before: _Snapshot
    after: _Snapshot
    adjustments: list[dict[str, Any]]  # of rounds a < round <= b, in order
    reviews: list[dict[str, Any]]  # of rounds a <= round < b, in order
    statuses: dict[int, dict[str, str]]  # round -> link -> status, for a and (a, b]


def _history(m: SystemMap, a: int, b: int) -> _History:
    known = rounds(m)
    _check_pair(known, a, b)
    return _History(
        a,
        b,
        known,
        _snapshot(m, a),
        _snapshot(m, b),
        [dict(r) for r in m.adjustments if a < r["round"] <= b],
        [dict(r) for r in sorted(m.reviews, key=lambda r: r["round"]) if a <= r["round"] < b],
        {
            k: {row["link"]: row["status"] for row in _status_rows(m, k)}
            for k in known
            if a <= k <= b
        },
    )


def _describe_link(link: Mapping[str, Any]) -> str:
    return link_statement(link["kind"], link["sign"], link["source_name"], link["target_name"])


def _diff_rows(h: _History) -> list[dict[str, Any]]:
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
    merged_into: dict[str, str] = {}
    for adjustment in h.adjustments:
        if adjustment["adjustment_kind"] == "knoop samengevoegd":
            into, *others = adjustment["subject"]
            for node_id in others:
                if node_id in retired_nodes:
                    merged_into[node_id] = into
    for node_id in added_nodes:
        node = after.nodes[node_id]
        rows.append(row("node added", node_id, node["kind"], node["name"], round=node["round_in"]))
    for node_id in retired_nodes:
        node = before.nodes[node_id]
        if node_id in merged_into:
            rows.append(
                row(
                    "node merged",
                    node_id,
                    node["kind"],
                    node["name"],
                    after=merged_into[node_id],
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
        change = {"teken gewijzigd": "link re-signed", "gewicht gewijzigd": "link re-weighted"}
        kind = change.get(adjustment["adjustment_kind"])
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
                    _describe_link(link),
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
                    _describe_link(link),
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
                _describe_link(link),
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
        found = row("status changed", link_id, link["kind"], _describe_link(link), round=since)
        found.update(
            before=was,
            after=now,
            adjustments=[],
            reason=_verdicts_text(reviews) or None,
            prompted_by=[r["id"] for r in reviews],
        )
        rows.append(found)

    rows.sort(key=lambda r: (r["round"] or 0, CHANGES.index(r["change"]), r["item"]))
    return rows


def _verdicts_text(reviews: Sequence[Mapping[str, Any]]) -> str:
    """``ronde 1: ouder eens, professional oneens``: the verdicts behind a status change."""
    by_round: dict[int, list[str]] = defaultdict(list)
    for review in reviews:
        by_round[review["round"]].append(f"{review['group']} {review['verdict']}")
    return "; ".join(f"ronde {k}: {', '.join(v)}" for k, v in sorted(by_round.items()))


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
    >>> resign_link(m, 2, "ab", "-", reason="Werkt andersom", prompted_by=["r1"])
    'b2-teken-ab'
    >>> diff(m, 1, 2)[["change", "item", "replaces", "before", "after", "reason"]].to_dict(
    ...     "records")
    [{'change': 'link re-signed', 'item': 'ab-r2', 'replaces': 'ab', 'before': '+', \
'after': '-', 'reason': 'Werkt andersom'}]
    """
    return frame(_diff_rows(_history(m, a, b)), DIFF_COLUMNS)


def leverage_moves(
    m: SystemMap, a: int, b: int, target: str = "prestatiedruk", max_depth: int = 4
) -> pd.DataFrame:
    """How the ranking of :func:`queries.leverage.leverage_points` moved from ``a`` to ``b``.

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
    _check_pair(rounds(m), a, b)
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
    _check_pair(rounds(m), a, b)
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


# --- what to test next ------------------------------------------------------------------


def _link_leverage(
    m: SystemMap, as_of_round: int | None, target: str, max_depth: int
) -> dict[str, tuple[float, str]]:
    """For each link on a chain of influence into ``target`` (or a knob on a factor
    with an effect on it): the largest effect it carries, and the factor's name."""
    points = leverage_points(m, target, max_depth, as_of_round=as_of_round)
    rows: Iterable[Any] = points.itertuples()
    effects = {
        row.factor: (abs(float(row.effect)), row.name)
        for row in rows
        if not pd.isna(row.effect) and row.effect != 0
    }
    best: dict[str, tuple[float, str]] = {}

    def offer(link_id: str, factor: str) -> None:
        effect, name = effects[factor]
        # the largest effect; between equal effects the factor first by name
        if link_id not in best or (-effect, name) < (-best[link_id][0], best[link_id][1]):
            best[link_id] = (effect, name)

    chains = drivers(m, target, max_depth, as_of_round=as_of_round)
    for source, links in zip(chains["source"], chains["links"], strict=True):
        if source in effects:
            for link_id in links:
                offer(link_id, source)
    for key, (_actor, factor, _) in link_graph(m, ("CAN_ADJUST",), as_of_round).links.items():
        if factor in effects:
            offer(key, factor)
    return best


def _number(x: float) -> str:
    return f"{x:g}".replace(".", ",")


def _agenda_rows(
    status_rows: Iterable[Mapping[str, Any]],
    leverage: Mapping[str, tuple[float, str]],
    target_name: str | None,
    kinds: Sequence[str],
) -> list[dict[str, Any]]:
    rows = []
    for link in status_rows:
        if link["kind"] not in kinds:
            continue
        status, reasons, tier = link["status"], [], 9
        deciding = [*link["agreeing"], *link["disagreeing"]]
        if status == "betwist":
            reasons.append(
                f"betwist (eens: {', '.join(link['agreeing'])}; "
                f"oneens: {', '.join(link['disagreeing'])})"
            )
            tier = 1
        elif link["reviews"] == 0:
            reasons.append("nog niet getoetst")
            tier = 2
        elif status == "hypothese":
            reasons.append("nog geen oordeel: alleen neutraal of aanvulling")
            tier = 2
        elif len(deciding) == 1:
            reasons.append(f"alleen {status} door {deciding[0]}")
            tier = 3
        if link["source_count"] <= 1 and status != "verworpen":
            reasons.append("rust op één bron" if link["source_count"] else "rust op geen bron")
            tier = min(tier, 4)
        if not reasons:
            continue
        effect, factor = leverage.get(link["link"], (None, None))
        if effect is not None:
            if link["kind"] == "CAN_ADJUST":
                reasons.append(f"knop op {factor} (effect {_number(effect)} op {target_name})")
            else:
                reasons.append(
                    f"op een keten naar {target_name} (via {factor}, effect {_number(effect)})"
                )
        rows.append(
            {
                "link": link["link"],
                "kind": link["kind"],
                "source": link["source"],
                "target": link["target"],
                "statement": link_statement(
                    link["kind"], link["sign"], link["source_name"], link["target_name"]
                ),
                "status": status,
                "groups": list(link["groups"]),
                "leverage": effect,
                "reasons": reasons,
                "_tier": tier,
            }
        )
    rows.sort(key=lambda r: (r["leverage"] is None, -(r["leverage"] or 0), r["_tier"], r["link"]))
    for i, r in enumerate(rows, start=1):
        r["priority"] = i
        del r["_tier"]
    return rows


def agenda(
    m: SystemMap,
    round: int | None = None,
    *,
    target: str | None = "prestatiedruk",
    max_depth: int = 4,
    kinds: Sequence[str] = TESTED_KINDS,
) -> pd.DataFrame:
    """The links to put to the next session, most important first, each with its reasons.

    A link of ``kinds`` on the map goes on the agenda when it is **betwist**; **not
    yet tested**; tested **without a verdict** (only neutraal or aanvulling);
    bevestigd or verworpen by **one group only**; or when it **rests on one source**
    or none (unless it is verworpen: a rejected link waits to be retired, not to be
    tested again). Links on chains of influence with a large effect on ``target``
    come first (the effect of :func:`queries.leverage.leverage_points` of the
    strongest factor whose chains run through the link, or that the link is a knob
    on); then betwist, untested and undecided, one group, one source; then by id.

    Parameters
    ----------
    m : SystemMap
    round : int, optional
        The agenda for the session of this round, from the map as of the round
        (:func:`map_as_of`). By default the agenda for the next session: the map as it
        is now, every review counted.
    target : str or None
        The outcome whose chains come first; None to order without leverage.
    max_depth : int
        The longest chain counted, in links.
    kinds : sequence of str
        The link kinds to test.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`AGENDA_COLUMNS`: ``priority`` (1 first), ``link``, ``kind``,
        ``source``, ``target``, ``statement`` (the link as a Dutch sentence),
        ``status``, ``groups`` (that reviewed it), ``leverage`` (the effect behind
        its place; empty when it is on no chain into ``target``) and ``reasons`` (in
        Dutch).

    Examples
    --------
    >>> from loaders import load_map; m = load_map()
    >>> top = agenda(m).iloc[0]
    >>> top["statement"], top["reasons"]
    ('Druk vanuit leeftijdsgenoten vergroot prestatiedruk', ['nog niet getoetst', \
'rust op één bron', 'op een keten naar Prestatiedruk (via Druk vanuit leeftijdsgenoten, \
effect 1)'])
    """
    _check_known(rounds(m), round)
    check_link_kinds(kinds)
    leverage: Mapping[str, tuple[float, str]] = {}
    target_name = None
    if target is not None:
        leverage = _link_leverage(m, round, target, max_depth)
        target_name = m.node(target).name
    rows = _agenda_rows(_status_rows(m, round), leverage, target_name, kinds)
    return frame(rows, AGENDA_COLUMNS)


# --- the same questions of a map in Neo4j -------------------------------------------------


def _present_cypher(var: str, param: str = "round") -> str:
    """The round rule of :func:`queries._common.present` in Cypher, for ``var``."""
    return (
        f"((${param} IS NULL AND {var}.round_out IS NULL) OR (${param} IS NOT NULL "
        f"AND coalesce({var}.round_in, 1) <= ${param} "
        f"AND ({var}.round_out IS NULL OR ${param} < {var}.round_out)))"
    )


_LINKS_ON_MAP = (
    "MATCH (a:Node {map: $map})-[l]->(b:Node {map: $map}) "
    "WHERE l.map = $map AND l.derived IS NULL "
    f"AND {_present_cypher('l')} AND {_present_cypher('a')} AND {_present_cypher('b')} "
)

#: Per link on the map as of ``$round``: its reviews of earlier rounds, aggregated,
#: each group's position (its latest verdict other than aanvulling), and the status.
STATUS_QUERY = (
    _LINKS_ON_MAP
    + """
CALL (l) {
  OPTIONAL MATCH (r:Record:Review {map: $map})
  WHERE r.link = l.id AND ($round IS NULL OR r.round < $round)
  RETURN count(r) AS reviews,
         count(CASE r.verdict WHEN 'eens' THEN 1 END) AS agree,
         count(CASE r.verdict WHEN 'oneens' THEN 1 END) AS disagree,
         count(CASE r.verdict WHEN 'neutraal' THEN 1 END) AS neutral,
         count(CASE r.verdict WHEN 'aanvulling' THEN 1 END) AS additions,
         collect(DISTINCT r.group) AS groups
}
CALL (l) {
  OPTIONAL MATCH (r:Record:Review {map: $map})
  WHERE r.link = l.id AND r.verdict <> 'aanvulling' AND ($round IS NULL OR r.round < $round)
  WITH r ORDER BY r.round DESC, r.seq DESC
  WITH r.group AS grp, collect(r.verdict)[0] AS position
  RETURN collect(CASE WHEN position = 'eens' THEN grp END) AS agreeing,
         collect(CASE WHEN position = 'oneens' THEN grp END) AS disagreeing
}
RETURN l.id AS link, type(l) AS kind, a.id AS source, b.id AS target,
       a.name AS source_name, b.name AS target_name, l.sign AS sign,
       size(coalesce(l.sources, [])) AS source_count,
       reviews, agree, disagree, neutral, additions, groups, agreeing, disagreeing,
       CASE WHEN size(agreeing) > 0 AND size(disagreeing) > 0 THEN 'betwist'
            WHEN size(agreeing) > 0 THEN 'bevestigd'
            WHEN size(disagreeing) > 0 THEN 'verworpen'
            ELSE 'hypothese' END AS status
ORDER BY link
"""
)
ROUNDS_QUERY = "MATCH (r:Record:Round {map: $map}) RETURN r.number AS number ORDER BY number"
SNAPSHOT_NODES_QUERY = (
    f"MATCH (n:Node {{map: $map}}) WHERE {_present_cypher('n')} "
    "RETURN n.id AS id, n.kind AS kind, n.name AS name, "
    "n.round_in AS round_in, n.round_out AS round_out ORDER BY n.seq"
)
SNAPSHOT_LINKS_QUERY = (
    _LINKS_ON_MAP + "RETURN l.id AS id, type(l) AS kind, a.id AS source, b.id AS target, "
    "a.name AS source_name, b.name AS target_name, l.sign AS sign, l.weight AS weight, "
    "l.round_in AS round_in, l.round_out AS round_out ORDER BY l.seq"
)
ADJUSTMENTS_QUERY = (
    "MATCH (r:Record:Adjustment {map: $map}) WHERE $a < r.round <= $b "
    "RETURN r.id AS id, r.round AS round, r.adjustment_kind AS adjustment_kind, "
    "r.subject AS subject, r.reason AS reason, coalesce(r.prompted_by, []) AS prompted_by "
    "ORDER BY r.seq"
)
REVIEWS_QUERY = (
    "MATCH (r:Record:Review {map: $map}) WHERE $a <= r.round < $b "
    "RETURN r.id AS id, r.link AS link, r.round AS round, r.group AS group, "
    "r.verdict AS verdict ORDER BY r.round, r.seq"
)
TARGET_NAME_QUERY = "MATCH (n:Node {map: $map, id: $id}) RETURN n.name AS name"


def _stored_map_id(store: Neo4jStore, map_id: str | None) -> str:
    from graph.store import StoreError

    ids = [row["id"] for row in store.maps()]
    if map_id is None and len(ids) == 1:
        return str(ids[0])
    if map_id is not None and map_id in ids:
        return map_id
    listed = ", ".join(ids) or "none"
    if map_id is None:
        raise StoreError(f"Neo4j at {store.uri} holds {len(ids)} maps ({listed}): name one")
    raise StoreError(f"no map {map_id!r} in Neo4j at {store.uri} (maps: {listed})")


def _stored_rounds(store: Neo4jStore, map_id: str) -> list[int]:
    return [row["number"] for row in store.run(ROUNDS_QUERY, map=map_id)]


def _stored_status_rows(
    store: Neo4jStore, map_id: str, as_of_round: int | None
) -> list[dict[str, Any]]:
    return _normalised(store.run(STATUS_QUERY, map=map_id, round=as_of_round))


def stored_link_status(
    store: Neo4jStore, map_id: str | None = None, as_of_round: int | None = None
) -> pd.DataFrame:
    """:func:`link_status` of the map ``map_id`` in Neo4j (the only map when None),
    aggregated in Cypher."""
    map_id = _stored_map_id(store, map_id)
    _check_known(_stored_rounds(store, map_id), as_of_round)
    return _status_frame(_stored_status_rows(store, map_id, as_of_round))


def _stored_snapshot(store: Neo4jStore, map_id: str, k: int) -> _Snapshot:
    nodes = {row.pop("id"): row for row in store.run(SNAPSHOT_NODES_QUERY, map=map_id, round=k)}
    links = {row.pop("id"): row for row in store.run(SNAPSHOT_LINKS_QUERY, map=map_id, round=k)}
    return _Snapshot(nodes, links)


def stored_diff(store: Neo4jStore, map_id: str | None, a: int, b: int) -> pd.DataFrame:
    """:func:`diff` of a map in Neo4j: round filters, adjustments and statuses in Cypher."""
    map_id = _stored_map_id(store, map_id)
    known = _stored_rounds(store, map_id)
    _check_pair(known, a, b)
    adjustments = [
        {**row, "subject": tuple(row["subject"]), "prompted_by": tuple(row["prompted_by"])}
        for row in store.run(ADJUSTMENTS_QUERY, map=map_id, a=a, b=b)
    ]
    history = _History(
        a,
        b,
        known,
        _stored_snapshot(store, map_id, a),
        _stored_snapshot(store, map_id, b),
        adjustments,
        store.run(REVIEWS_QUERY, map=map_id, a=a, b=b),
        {
            k: {row["link"]: row["status"] for row in _stored_status_rows(store, map_id, k)}
            for k in known
            if a <= k <= b
        },
    )
    return frame(_diff_rows(history), DIFF_COLUMNS)


def stored_leverage_moves(
    store: Neo4jStore,
    map_id: str | None,
    a: int,
    b: int,
    target: str = "prestatiedruk",
    max_depth: int = 4,
) -> pd.DataFrame:
    """:func:`leverage_moves` of a map in Neo4j. Chains need the whole map: it is read
    back with :meth:`graph.store.Neo4jStore.read` and ranked in Python."""
    return leverage_moves(store.read(_stored_map_id(store, map_id)), a, b, target, max_depth)


def stored_loop_moves(
    store: Neo4jStore, map_id: str | None, a: int, b: int, max_length: int = 6
) -> pd.DataFrame:
    """:func:`loop_moves` of a map in Neo4j, on the map read back (like leverage)."""
    return loop_moves(store.read(_stored_map_id(store, map_id)), a, b, max_length)


def stored_agenda(
    store: Neo4jStore,
    map_id: str | None = None,
    round: int | None = None,
    *,
    target: str | None = "prestatiedruk",
    max_depth: int = 4,
    kinds: Sequence[str] = TESTED_KINDS,
) -> pd.DataFrame:
    """:func:`agenda` of a map in Neo4j: statuses and reasons from Cypher; the leverage
    of each link follows chains, so it comes from the map read back."""
    map_id = _stored_map_id(store, map_id)
    _check_known(_stored_rounds(store, map_id), round)
    check_link_kinds(kinds)
    leverage: Mapping[str, tuple[float, str]] = {}
    target_name = None
    if target is not None:
        leverage = _link_leverage(store.read(map_id), round, target, max_depth)
        (found,) = store.run(TARGET_NAME_QUERY, map=map_id, id=target)
        target_name = found["name"]
    rows = _agenda_rows(_stored_status_rows(store, map_id, round), leverage, target_name, kinds)
    return frame(rows, AGENDA_COLUMNS)
