"""Statements (stellingen): the votes, the priority ranking, how divided each one is.

Participants vote agree, neutral or disagree on each statement, then give priority
votes. A count that was not recorded stays unknown: the columns use pandas' nullable
integers (``Int64``) and floats (``Float64``), where unknown is ``<NA>``, never 0, and
anything computed from an unknown count is unknown too.

Two measures say how divided a statement is:

``neutral_share``
    neutral / (agree + neutral + disagree): people who saw both sides.
``balance``
    1 - |agree - disagree| / (agree + disagree): 1.0 when those who chose a side are
    split evenly, 0.0 when they all chose the same side.

Each is unknown when a count it needs is unknown or its denominator is 0.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import pandas as pd

from graph import SystemMap
from queries._common import frame
from queries.source import VOTE_COUNTS, MapSource, Source

__all__ = [
    "RANKING_COLUMNS",
    "VOTE_COLUMNS",
    "statement_ranking",
    "statement_ranking_in",
    "votes",
    "votes_in",
]

COUNTS = VOTE_COUNTS
_STATEMENT = {"statement": "object", "text": "object", "focus": "bool"}
_VOTES = {
    **dict.fromkeys(COUNTS, "Int64"),
    "total": "Int64",
    "neutral_share": "Float64",
    "balance": "Float64",
}
#: Columns (name: dtype) of :func:`votes`.
VOTE_COLUMNS = {**_STATEMENT, "session": "object", **_VOTES}
#: Columns (name: dtype) of :func:`statement_ranking`.
RANKING_COLUMNS = {"rank": "Int64", **_STATEMENT, "sessions": "int64", **_VOTES}


def votes(m: SystemMap) -> pd.DataFrame:
    """The votes on each statement in each session, with how divided they were.

    Parameters
    ----------
    m : SystemMap

    Returns
    -------
    pandas.DataFrame
        One row per vote record. Columns: ``statement`` (id), ``text``, ``focus``
        (bool), ``session`` (id); ``agree``, ``neutral``, ``disagree``, ``priority`` and
        ``total`` (the three votes together) as ``Int64``; ``neutral_share`` and
        ``balance`` as ``Float64``. Ordered by statement, then session.

    Examples
    --------
    The kick-off report gives the votes only in a chart, so they are unknown:

    >>> from loaders import load_map; m = load_map()
    >>> votes(m).loc[0, ["statement", "session", "agree", "priority", "neutral_share"]].tolist()
    ['minder-meten-toetsen', 'kick-off', <NA>, <NA>, <NA>]
    """
    return votes_in(MapSource(m))


def votes_in(source: Source) -> pd.DataFrame:
    """As :func:`votes`, over a :class:`queries.source.Source`: a SystemMap or the map in
    Neo4j (:func:`queries.cypher.votes`)."""
    statements = {row["id"]: row for row in source.statements()}
    rows = [
        {
            **_statement(statements[record["statement"]]),
            "session": record["session"],
            **_counts([record]),
        }
        for record in source.votes()
    ]
    return vote_table(rows)


def vote_table(rows: Iterable[Mapping[str, Any]]) -> pd.DataFrame:
    """Rows of :data:`VOTE_COLUMNS` as the DataFrame of :func:`votes`, in its order."""
    return frame(sorted(rows, key=lambda r: (r["statement"], r["session"])), VOTE_COLUMNS)


def statement_ranking(m: SystemMap, session: str | None = None) -> pd.DataFrame:
    """Statements ranked by priority votes, with their votes and how divided they are.

    Parameters
    ----------
    m : SystemMap
    session : str, optional
        Count only the votes of this session; by default, of every session. A count
        is unknown when it is unknown in any of the sessions counted.

    Returns
    -------
    pandas.DataFrame
        One row per statement. Columns: ``rank`` (1 for the most priority votes, equal
        counts share a rank; ``<NA>`` when unknown), ``statement``, ``text``, ``focus``,
        ``sessions`` (how many vote records were counted), then the counts and measures
        of :func:`votes`. Ordered by priority, most first, unknown last, then by
        statement id.

    Examples
    --------
    >>> from loaders import load_map; m = load_map()
    >>> ranking = statement_ranking(m)
    >>> ranking[ranking["focus"]]["statement"].tolist()
    ['minder-meten-toetsen', 'ouders-geluk-kind']
    >>> ranking.loc[0, ["rank", "priority", "neutral_share"]].tolist()
    [<NA>, <NA>, <NA>]
    """
    return statement_ranking_in(MapSource(m), session)


def statement_ranking_in(source: Source, session: str | None = None) -> pd.DataFrame:
    """As :func:`statement_ranking`, over a :class:`queries.source.Source`."""
    if session is not None:
        source.check_node(session, ("Session",))
    records: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for record in source.votes(session):
        records[record["statement"]].append(record)
    rows = [
        {
            **_statement(statement),
            "sessions": len(records[statement["id"]]),
            **_counts(records[statement["id"]]),
        }
        for statement in source.statements()
    ]
    return ranking_table(rows)


def ranking_table(rows: Iterable[Mapping[str, Any]]) -> pd.DataFrame:
    """Rows of :data:`RANKING_COLUMNS` but the rank as the DataFrame of
    :func:`statement_ranking`: ranked and in its order. Shared by the SystemMap and Neo4j
    answers."""
    table = sorted(
        rows, key=lambda r: (r["priority"] is None, -(r["priority"] or 0), r["statement"])
    )
    known = [r["priority"] for r in table if r["priority"] is not None]
    ranked = []
    for row in table:
        p = row["priority"]
        ranked.append({**row, "rank": None if p is None else 1 + sum(o > p for o in known)})
    return frame(ranked, RANKING_COLUMNS)


def _statement(row: Mapping[str, Any]) -> dict[str, Any]:
    """The columns of a statement, from a row of :meth:`queries.source.Source.statements`."""
    return {"statement": row["id"], "text": row["name"], "focus": bool(row["focus"] or False)}


def _counts(records: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """The counts summed over ``records`` (unknown if unknown in any), and the measures."""
    counts: dict[str, int | None] = {
        name: None
        if not records or any(r.get(name) is None for r in records)
        else sum(r[name] for r in records)
        for name in COUNTS
    }
    measures: dict[str, float | None] = dict.fromkeys(("total", "neutral_share", "balance"))
    agree, neutral, disagree = counts["agree"], counts["neutral"], counts["disagree"]
    if agree is not None and neutral is not None and disagree is not None:
        total, sided = agree + neutral + disagree, agree + disagree
        measures = {
            "total": total,
            "neutral_share": neutral / total if total else None,
            "balance": 1 - abs(agree - disagree) / sided if sided else None,
        }
    return {**counts, **measures}
