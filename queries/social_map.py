"""Social map (sociale kaart): who works on what and where, and who could work together.

Build on what is there: before starting something new, find the initiatives and
organisations already working on a factor, and connect those that do not yet work
together.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Iterable, Mapping
from operator import itemgetter
from typing import Any

import pandas as pd

from graph import SystemMap, schema
from graph.vocabulary import LinkKind
from queries._common import frame
from queries.source import MapSource, Source

__all__ = [
    "BY_FACTOR_COLUMNS",
    "BY_PLACE_COLUMNS",
    "MISSING_COOPERATION_COLUMNS",
    "UNADDRESSED_COLUMNS",
    "by_factor",
    "by_factor_in",
    "by_place",
    "by_place_in",
    "missing_cooperation",
    "missing_cooperation_in",
    "unaddressed_factors",
    "unaddressed_factors_in",
]

#: Columns (name: dtype) of each question here: all text or lists of ids.
BY_FACTOR_COLUMNS = dict.fromkeys(
    ["factor", "factor_name", "node", "name", "kind", "actor_kind", "relation", "link"], "object"
)
BY_PLACE_COLUMNS = dict.fromkeys(["place", "place_name", "initiative", "name", "link"], "object")
UNADDRESSED_COLUMNS = dict.fromkeys(["factor", "name", "level", "role", "adjusted_by"], "object")
MISSING_COOPERATION_COLUMNS = dict.fromkeys(["a", "a_name", "b", "b_name", "factors"], "object")

#: Links that put an initiative or actor to work on a factor.
WORKING_ON = (LinkKind.ADDRESSES, LinkKind.CAN_ADJUST, LinkKind.INFLUENCES)
#: Links that show two parties already work together.
WORKING_TOGETHER = (LinkKind.COOPERATES_WITH, LinkKind.RUNS)
#: The kinds of node that work on a factor: any but a factor.
WORKERS = tuple(kind for kind in schema.NODE_KINDS_ALL if kind != "Factor")


def by_factor(m: SystemMap, *, as_of_round: int | None = None) -> pd.DataFrame:
    """Who works on each factor: initiatives that address it, actors that adjust or
    influence it.

    Parameters
    ----------
    m : SystemMap
    as_of_round : int, optional
        The map as it was in this round; by default the latest state.

    Returns
    -------
    pandas.DataFrame
        One row per link: ``ADDRESSES`` from an initiative, ``CAN_ADJUST`` or
        ``INFLUENCES`` from an actor, to a factor. Columns: ``factor``,
        ``factor_name``, ``node`` (the initiative or actor), ``name``, ``kind``
        (``Initiative`` or ``Actor``), ``actor_kind`` (``groep``, ``organisatie``, or
        None for an initiative), ``relation`` (the link kind) and ``link`` (its id).
        Ordered by factor, node, relation, link.

    Examples
    --------
    >>> from loaders import load_map; m = load_map()
    >>> by_factor(m)[["factor", "node", "relation"]].head(3).to_dict("records")
    [{'factor': 'geluk-kind', 'node': 'ouders', 'relation': 'INFLUENCES'}, \
{'factor': 'geluk-kind', 'node': 'scholen', 'relation': 'INFLUENCES'}, \
{'factor': 'meten-en-toetsen', 'node': 'scholen', 'relation': 'CAN_ADJUST'}]
    """
    return by_factor_in(MapSource(m), as_of_round=as_of_round)


def by_factor_in(source: Source, *, as_of_round: int | None = None) -> pd.DataFrame:
    """As :func:`by_factor`, over a :class:`queries.source.Source`: a SystemMap or the
    map in Neo4j (:func:`queries.cypher.by_factor`)."""
    return by_factor_table(_work_rows(source, as_of_round))


def _work_rows(source: Source, as_of_round: int | None) -> list[dict[str, Any]]:
    """The rows of :func:`by_factor`, in no particular order."""
    source.check_round(as_of_round)
    found = source.links(
        WORKING_ON,
        as_of_round,
        end_fields=("kind", "name", "actor_kind"),
        source_kinds=WORKERS,
        target_kinds=("Factor",),
    )
    return [
        {
            "factor": row["target"],
            "factor_name": row["target_name"],
            "node": row["source"],
            "name": row["source_name"],
            "kind": row["source_kind"],
            "actor_kind": row["source_actor_kind"],
            "relation": row["kind"],
            "link": row["id"],
        }
        for row in found
    ]


def by_factor_table(rows: Iterable[Mapping[str, Any]]) -> pd.DataFrame:
    """Rows of :data:`BY_FACTOR_COLUMNS` as the DataFrame of :func:`by_factor`, in its
    order."""
    key = itemgetter("factor", "node", "relation", "link")
    return frame(sorted(rows, key=key), BY_FACTOR_COLUMNS)


def by_place(m: SystemMap, *, as_of_round: int | None = None) -> pd.DataFrame:
    """The initiatives at each place (``LOCATED_AT`` links).

    Returns
    -------
    pandas.DataFrame
        One row per link. Columns: ``place``, ``place_name``, ``initiative``, ``name``,
        ``link``. Ordered by place, initiative, link.

    Examples
    --------
    >>> from loaders import load_map; m = load_map()
    >>> by_place(m)[["place", "initiative"]].to_dict("records")
    [{'place': 'vleuten', 'initiative': 'vleuten-versterkt'}]
    """
    return by_place_in(MapSource(m), as_of_round=as_of_round)


def by_place_in(source: Source, *, as_of_round: int | None = None) -> pd.DataFrame:
    """As :func:`by_place`, over a :class:`queries.source.Source`."""
    source.check_round(as_of_round)
    rows = [
        {
            "place": row["target"],
            "place_name": row["target_name"],
            "initiative": row["source"],
            "name": row["source_name"],
            "link": row["id"],
        }
        for row in source.links((LinkKind.LOCATED_AT,), as_of_round, end_fields=("name",))
    ]
    return by_place_table(rows)


def by_place_table(rows: Iterable[Mapping[str, Any]]) -> pd.DataFrame:
    """Rows of :data:`BY_PLACE_COLUMNS` as the DataFrame of :func:`by_place`, in its order."""
    key = itemgetter("place", "initiative", "link")
    return frame(sorted(rows, key=key), BY_PLACE_COLUMNS)


def unaddressed_factors(m: SystemMap, *, as_of_round: int | None = None) -> pd.DataFrame:
    """Factors that no initiative addresses (no ``ADDRESSES`` link), with who could act.

    Returns
    -------
    pandas.DataFrame
        One row per factor. Columns: ``factor``, ``name``, ``level``, ``role`` and
        ``adjusted_by`` (sorted ids of the actors that can adjust it). Ordered by factor.

    Examples
    --------
    >>> from loaders import load_map; m = load_map()
    >>> gaps = unaddressed_factors(m)
    >>> "prestatiedruk" in set(gaps["factor"]), len(gaps)
    (False, 11)
    >>> gaps[gaps["factor"] == "verwachtingen-ouders"]["adjusted_by"].tolist()
    [['ouders']]
    """
    return unaddressed_factors_in(MapSource(m), as_of_round=as_of_round)


def unaddressed_factors_in(source: Source, *, as_of_round: int | None = None) -> pd.DataFrame:
    """As :func:`unaddressed_factors`, over a :class:`queries.source.Source`."""
    source.check_round(as_of_round)
    rows = [
        {
            "factor": row["id"],
            "name": row["name"],
            "level": row["level"],
            "role": row["role"],
            "adjusted_by": row["sources"],
        }
        for row in source.nodes(
            ("Factor",),
            as_of_round,
            fields=("level", "role"),
            not_into=(LinkKind.ADDRESSES,),
            sources_of=(LinkKind.CAN_ADJUST,),
        )
    ]
    return unaddressed_table(rows)


def unaddressed_table(rows: Iterable[Mapping[str, Any]]) -> pd.DataFrame:
    """Rows of :data:`UNADDRESSED_COLUMNS` as the DataFrame of :func:`unaddressed_factors`,
    in its order."""
    return frame(sorted(rows, key=itemgetter("factor")), UNADDRESSED_COLUMNS)


def missing_cooperation(m: SystemMap, *, as_of_round: int | None = None) -> pd.DataFrame:
    """Pairs of initiatives and organisations on the same factor that do not work together.

    Where to connect people rather than start something new. Two parties are on the
    same factor when both have a link of :func:`by_factor` to it; they work together
    when a ``COOPERATES_WITH`` or ``RUNS`` link joins them, in either direction. Only
    initiatives and actors of kind ``organisatie`` are paired, not groups.

    Returns
    -------
    pandas.DataFrame
        One row per pair, ``a`` before ``b`` by id. Columns: ``a``, ``a_name``, ``b``,
        ``b_name``, ``factors`` (the sorted ids of the factors they share). Ordered by
        ``a``, then ``b``.

    Examples
    --------
    On the Vleuten map every organisation on a factor is on a different one so far:

    >>> from loaders import load_map; m = load_map()
    >>> missing_cooperation(m).empty
    True
    """
    return missing_cooperation_in(MapSource(m), as_of_round=as_of_round)


def missing_cooperation_in(source: Source, *, as_of_round: int | None = None) -> pd.DataFrame:
    """As :func:`missing_cooperation`, over a :class:`queries.source.Source`."""
    parties: dict[str, str] = {}
    on_factor: dict[str, set[str]] = defaultdict(set)
    for row in _work_rows(source, as_of_round):
        if row["kind"] == "Initiative" or row["actor_kind"] == "organisatie":
            parties[row["node"]] = row["name"]
            on_factor[row["factor"]].add(row["node"])
    shared: dict[tuple[str, str], set[str]] = defaultdict(set)
    for factor, nodes in on_factor.items():
        for a, b in itertools.combinations(sorted(nodes), 2):
            shared[a, b].add(factor)
    together = {frozenset(pair) for pair in source.link_pairs(WORKING_TOGETHER, as_of_round)}
    rows = [
        {"a": a, "a_name": parties[a], "b": b, "b_name": parties[b], "factors": f}
        for (a, b), f in shared.items()
        if frozenset((a, b)) not in together
    ]
    return missing_cooperation_table(rows)


def missing_cooperation_table(rows: Iterable[Mapping[str, Any]]) -> pd.DataFrame:
    """Rows of :data:`MISSING_COOPERATION_COLUMNS` (the factors in any order) as the
    DataFrame of :func:`missing_cooperation`, in its order."""
    table = [{**row, "factors": sorted(row["factors"])} for row in rows]
    return frame(sorted(table, key=itemgetter("a", "b")), MISSING_COOPERATION_COLUMNS)
