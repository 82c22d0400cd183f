"""Evidence: what each link rests on, and which links rest on little.

A link's evidence is its sources (reports, studies), the quotes about it, and the
reviews in which a group gave its verdict on it; its sessions are those the quotes
were said in and the reviews were held in. All questions here return rows of
:data:`EVIDENCE_COLUMNS`, one per link of the ``relaties`` sheet on the map, ordered
by link id:

``link``, ``kind``, ``source``, ``target``
    the link;
``status``
    ``hypothese``, ``bevestigd``, ``betwist`` or ``verworpen``, by the status rule of
    :mod:`graph.cycle` from the reviews that count (the ``status`` column of the
    workbook does not);
``sources``, ``source_count``
    the sorted source ids and how many;
``quotes``
    the sorted ids of the quotes about the link;
``sessions``
    the sorted ids of the sessions of those quotes and of the link's reviews;
``reviews``
    the number of reviews of the link.

As of round k, only the quotes on the map in round k count, and the reviews of the
rounds before k: those given in round k are that round's test and count from round
k + 1 on, as in :mod:`graph.cycle` (:func:`graph.cycle.review_counts`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from graph import SystemMap
from graph.cycle import positions, status_from_positions
from graph.vocabulary import Review, Status
from queries._common import SHEET_LINK_KINDS, columns_frame
from queries.source import MapSource, Source

__all__ = [
    "EVIDENCE_COLUMNS",
    "evidence_in",
    "link_evidence",
    "single_source_links",
    "single_source_links_in",
    "untested_hypotheses",
    "untested_hypotheses_in",
]

#: Columns (name: dtype) of every question here.
EVIDENCE_COLUMNS = {
    "link": "object",
    "kind": "object",
    "source": "object",
    "target": "object",
    "status": "object",
    "sources": "object",
    "source_count": "int64",
    "quotes": "object",
    "sessions": "object",
    "reviews": "int64",
}


def link_evidence(m: SystemMap, *, as_of_round: int | None = None) -> pd.DataFrame:
    """For each link: its sources, the quotes about it, its sessions and reviews.

    Parameters
    ----------
    m : SystemMap
    as_of_round : int, optional
        The map as it was in this round; by default the latest state.

    Returns
    -------
    pandas.DataFrame
        One row per link, columns :data:`EVIDENCE_COLUMNS`, ordered by link id.

    Examples
    --------
    >>> from loaders import load_map; m = load_map()
    >>> evidence = link_evidence(m)
    >>> evidence[evidence["link"] == "inv-ouders-geluk-kind"].to_dict("records")[0]
    {'link': 'inv-ouders-geluk-kind', 'kind': 'INFLUENCES', 'source': 'ouders', \
'target': 'geluk-kind', 'status': 'hypothese', 'sources': ['kickoff-verslag'], \
'source_count': 1, 'quotes': ['citaat-geluk-2'], 'sessions': ['kick-off'], 'reviews': 0}
    """
    return evidence_in(MapSource(m), as_of_round=as_of_round)


def evidence_in(
    source: Source,
    *,
    as_of_round: int | None = None,
    max_sources: int | None = None,
    untested: bool = False,
) -> pd.DataFrame:
    """As :func:`link_evidence`, over a :class:`queries.source.Source`: a SystemMap or
    the map in Neo4j (:func:`queries.cypher.link_evidence`). With ``max_sources``, only
    the links of at most that many sources; with ``untested``, only the links no review
    that counts is of (hypotheses, by the status rule)."""
    source.check_round(as_of_round)
    links = source.links(SHEET_LINK_KINDS, as_of_round, fields=("sources",))
    quotes: dict[str, list[str]] = defaultdict(list)
    sessions: dict[str, list[str]] = defaultdict(list)
    for quote in source.quotes(as_of_round):
        for item in quote["about"]:
            quotes[item].append(quote["id"])
            if quote["session"]:
                sessions[item].append(quote["session"])
    verdicts: dict[str, list[Review]] = defaultdict(list)
    for review in source.reviews(as_of_round):
        verdicts[review.link].append(review)
        if review.session:
            sessions[review.link].append(review.session)
    # a link no review is of is a hypothesis: its status is not worked out
    unreviewed = status_from_positions([], [])
    kept = [
        link
        for link in links
        if (max_sources is None or len(link["sources"] or ()) <= max_sources)
        and not (untested and link["id"] in verdicts)
    ]
    ids = [link["id"] for link in kept]
    return evidence_table(
        {
            "link": ids,
            "kind": [link["kind"] for link in kept],
            "source": [link["source"] for link in kept],
            "target": [link["target"] for link in kept],
            "status": [
                status_from_positions(*positions(verdicts[key])) if key in verdicts else unreviewed
                for key in ids
            ],
            "sources": [link["sources"] or () for link in kept],
            "quotes": [quotes.get(key, ()) for key in ids],
            "sessions": [sessions.get(key, ()) for key in ids],
            "reviews": [len(verdicts[key]) if key in verdicts else 0 for key in ids],
        }
    )


def evidence_table(columns: Mapping[str, Sequence[Any]]) -> pd.DataFrame:
    """The DataFrame of :func:`link_evidence`, in its order, from all its columns but
    ``source_count`` (counted here): one list per column, a value per link, the links
    in any order; the ids in ``sources``, ``quotes`` and ``sessions`` in any order too,
    repeats allowed in ``quotes`` and ``sessions``. Shared by the SystemMap and Neo4j
    answers.

    Column by column rather than row by row: a map has as many rows as links, and one
    dict per row took a third of the time.
    """
    order = sorted(range(len(columns["link"])), key=columns["link"].__getitem__)
    table = {
        name: [columns[name][i] for i in order] for name in EVIDENCE_COLUMNS if name in columns
    }
    table["sources"] = [sorted(ids) for ids in table["sources"]]
    table["source_count"] = [len(ids) for ids in table["sources"]]
    for name in ("quotes", "sessions"):
        table[name] = [sorted(set(ids)) if len(ids) > 1 else list(ids) for ids in table[name]]
    return columns_frame(table, EVIDENCE_COLUMNS)


def single_source_links(m: SystemMap, *, as_of_round: int | None = None) -> pd.DataFrame:
    """Links resting on a single source, or on none: the weakly supported ones.

    Returns
    -------
    pandas.DataFrame
        The rows of :func:`link_evidence` with ``source_count`` at most 1.

    Examples
    --------
    Everything on the Vleuten map comes from the kick-off report alone:

    >>> from loaders import load_map; m = load_map()
    >>> weak = single_source_links(m)
    >>> len(weak), sorted(set(weak["sources"].map(tuple)))
    (20, [('kickoff-verslag',)])
    """
    return single_source_links_in(MapSource(m), as_of_round=as_of_round)


def single_source_links_in(source: Source, *, as_of_round: int | None = None) -> pd.DataFrame:
    """As :func:`single_source_links`, over a :class:`queries.source.Source`."""
    return evidence_in(source, as_of_round=as_of_round, max_sources=1)


def untested_hypotheses(m: SystemMap, *, as_of_round: int | None = None) -> pd.DataFrame:
    """Links no group has reviewed (so hypotheses, by the status rule).

    Returns
    -------
    pandas.DataFrame
        The rows of :func:`link_evidence` with status ``hypothese`` and no reviews.

    Examples
    --------
    >>> from loaders import load_map; m = load_map()
    >>> len(untested_hypotheses(m))
    20
    """
    return untested_hypotheses_in(MapSource(m), as_of_round=as_of_round)


def untested_hypotheses_in(source: Source, *, as_of_round: int | None = None) -> pd.DataFrame:
    """As :func:`untested_hypotheses`, over a :class:`queries.source.Source`."""
    evidence = evidence_in(source, as_of_round=as_of_round, untested=True)
    return evidence[evidence["status"] == Status.HYPOTHESIS].reset_index(drop=True)
