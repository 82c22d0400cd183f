"""Each link's status, from the groups' verdicts: the status rule of :mod:`graph.cycle`
as a question.

>>> from loaders import load_map; m = load_map()
>>> link_status(m)["status"].unique().tolist()
['hypothese']
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd

from graph import SystemMap
from graph.cycle import TESTED_KINDS
from queries._common import frame
from queries.consensus import link_consensus
from queries.source import MapSource, Source, status_rows_in

__all__ = [
    "LINK_STATUS_COLUMNS",
    "TESTED_KINDS",
    "link_status",
    "link_status_in",
    "status_rows_in",
    "status_table",
]


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
    "consensus": "Float64",
}


def status_table(rows: Iterable[Mapping[str, Any]]) -> pd.DataFrame:
    """Status rows (:func:`graph.cycle.status_rows`, or :func:`status_rows_in`) as the
    DataFrame of :func:`link_status`, with each link's consensus
    (:func:`queries.consensus.link_consensus`)."""
    rows = list(rows)
    scores = [score for score, _, _ in link_consensus(rows)]
    return frame(
        (
            {**{name: row[name] for name in LINK_STATUS_COLUMNS if name in row}, "consensus": c}
            for row, c in zip(rows, scores, strict=True)
        ),
        LINK_STATUS_COLUMNS,
    )


def link_status(m: SystemMap, as_of_round: int | None = None) -> pd.DataFrame:
    """Each link's status by the rule of :mod:`graph.cycle`, and the reviews it rests on.

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
        (the groups whose position is ``eens`` / ``oneens``: they decide the status);
        ``consensus``: how far every group agrees (:mod:`queries.consensus`; empty
        when no group voted on the link).

    Examples
    --------
    >>> m = SystemMap("demo")
    >>> m.add_record("rounds", number=1, name="Eerste ronde")
    >>> for f in ("a", "b"):
    ...     m.add_node("Factor", f, f.upper(), level="persoon", role="bron")
    >>> m.add_link("ab", "INFLUENCES", "a", "b", sign="+")
    >>> from graph.vocabulary import Verdict
    >>> votes = (("ouder", Verdict.AGREE), ("jongere", Verdict.DISAGREE),
    ...          ("jongere", Verdict.REMARK))
    >>> for group, verdict in votes:
    ...     m.add_record("reviews", id=f"r-{group}-{verdict}", link="ab", round=1,
    ...                  group=group, verdict=verdict)
    >>> row = link_status(m).iloc[0]
    >>> row["status"], row["agreeing"], row["disagreeing"], int(row["additions"])
    ('betwist', ['ouder'], ['jongere'], 1)
    >>> round(float(row["consensus"]), 4)  # 2/3 for the ouders, 1/3 for the jongeren
    0.2222
    >>> link_status(m, as_of_round=1)["status"].tolist()
    ['hypothese']
    """
    return link_status_in(MapSource(m), as_of_round)


def link_status_in(source: Source, as_of_round: int | None = None) -> pd.DataFrame:
    """As :func:`link_status`, over a :class:`queries.source.Source`: a SystemMap or the
    map in Neo4j (:func:`queries.cypher.link_status`)."""
    return status_table(status_rows_in(source, as_of_round))
