"""Where the groups agree: group-informed consensus per link and per statement.

A status (bevestigd, betwist...) says what each group's latest position is. The
consensus says how far *every* group agrees, so that one large or outspoken group
cannot carry a link alone. It is Pol.is's group-informed consensus (Small et al.
2021, "Polis: Scaling deliberation by mapping high dimensional opinion spaces";
``group-aware-consensus`` in the Polis source, ``math/.../conversation.clj``):

    P(eens | g) = (eens_g + 1) / (stemmen_g + 2)
    consensus   = the product over the groups g of P(eens | g)

where ``stemmen_g`` counts every vote of group g: eens, oneens *and* neutraal. The
+1 and +2 (Laplace smoothing) keep a group that gave one verdict from counting as
certain, and give a group that gave none a factor 1/2: it neither agrees nor
disagrees as far as anyone knows. ``consensus_against`` is the same product for
``oneens``. Both lie between 0 and 1, and are only high when every group leans the
same way.

**What counts as a vote.** For a link, each review that counts (as of the round, by
the rule of :mod:`graph.cycle`) is one vote of its group: ``eens`` agrees, ``oneens``
disagrees, ``neutraal`` is a vote that neither agrees nor disagrees (it is in
``stemmen_g``, so it lowers both products), and ``aanvulling`` is a remark, not a
vote. The groups are those that gave a vote on some link on the map; a link no
group voted on has no consensus (unknown). For a statement, each session with
recorded counts is a group (the votes are counted per session: a parents' session,
a young people's session); a count left empty is unknown and that session does not
count for the statement.

**Divided.** A group *leans* eens when it gave more eens than oneens votes, and
oneens the other way round. A link or statement *divides the groups* when one group
leans eens and another oneens: then the consensus is low because the groups differ,
not because they all doubt it.

Worked example: two groups reviewed a link; the parents twice eens, the young people
once oneens. P(eens | ouder) = 3/4, P(eens | jongere) = 1/3, consensus = 1/4.

>>> group_consensus({"ouder": (2, 0, 0), "jongere": (0, 1, 0)}, ["jongere", "ouder"])
(0.25, 0.16666666666666666, True)
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import pandas as pd

from graph import SystemMap
from queries._common import frame
from queries.phrasing import describe_link
from queries.source import MapSource, Source, status_rows_in
from queries.statements import votes_in

__all__ = [
    "CONSENSUS_COLUMNS",
    "agreement",
    "consensus",
    "consensus_in",
    "consensus_table",
    "group_consensus",
    "link_consensus",
]

#: A group's votes on one item: (eens, oneens, neutraal).
Votes = tuple[int, int, int]
#: An item's consensus, consensus against, and whether it divides the groups.
Consensus = tuple[float | None, float | None, bool]

#: Columns (name: dtype) of :func:`consensus`.
CONSENSUS_COLUMNS = {
    "item": "object",
    "kind": "object",
    "text": "object",
    "status": "object",
    "groups": "object",
    "agree": "int64",
    "disagree": "int64",
    "neutral": "int64",
    "agreement": "object",
    "consensus": "Float64",
    "consensus_against": "Float64",
    "divided": "bool",
}


def agreement(votes: Votes) -> float:
    """P(eens | g) of a group with these votes: (eens + 1) / (all votes + 2).

    >>> agreement((0, 0, 0)), agreement((1, 0, 1))
    (0.5, 0.5)
    """
    agree, disagree, neutral = votes
    return (agree + 1) / (agree + disagree + neutral + 2)


def group_consensus(by_group: Mapping[str, Votes], groups: Iterable[str]) -> Consensus:
    """The consensus, the consensus against, and whether the groups are divided, for
    one item with votes ``by_group``, over all ``groups`` taking part (a group with no
    vote on the item counts 1/2). Both are None when no group voted on the item."""
    if not any(sum(v) for v in by_group.values()):
        return None, None, False
    groups = sorted(set(groups) | set(by_group))
    counts = [by_group.get(g, (0, 0, 0)) for g in groups]
    for_ = math.prod(agreement(c) for c in counts)
    against = math.prod(agreement((d, a, n)) for a, d, n in counts)
    leans = {(a > d) - (a < d) for a, d, _ in counts}
    return for_, against, {1, -1} <= leans


def link_consensus(rows: Sequence[Mapping[str, Any]]) -> list[Consensus]:
    """For each status row (:func:`graph.cycle.status_rows`, or
    :func:`queries.source.status_rows_in`): its consensus, consensus against and
    whether it divides the groups, over the groups that voted on any of the rows'
    links."""
    groups = {g for row in rows for g, v in row["group_votes"].items() if sum(v)}
    return [group_consensus(row["group_votes"], groups) for row in rows]


def consensus_table(
    status: Sequence[Mapping[str, Any]], vote_rows: Iterable[Mapping[Any, Any]]
) -> pd.DataFrame:
    """The answer of :func:`consensus` from status rows and the statements' vote rows
    (:func:`queries.statements.votes`): shared by both backends."""
    rows = []
    for row, (for_, against, divided) in zip(status, link_consensus(status), strict=True):
        votes_ = row["group_votes"]
        rows.append(
            {
                "item": row["link"],
                "kind": row["kind"],
                "text": describe_link(row),
                "status": row["status"],
                "groups": sorted(votes_),
                "agree": sum(v[0] for v in votes_.values()),
                "disagree": sum(v[1] for v in votes_.values()),
                "neutral": sum(v[2] for v in votes_.values()),
                "agreement": [round(agreement(v), 3) for _, v in sorted(votes_.items())],
                "consensus": for_,
                "consensus_against": against,
                "divided": divided,
            }
        )
    rows.extend(_statement_rows(vote_rows))
    rows.sort(key=lambda r: (r["consensus"] is None, -(r["consensus"] or 0), r["item"]))
    return frame(rows, CONSENSUS_COLUMNS)


def _statement_rows(vote_rows: Iterable[Mapping[Any, Any]]) -> list[dict[str, Any]]:
    by_statement: dict[str, dict[str, Votes]] = {}
    texts: dict[str, str] = {}
    for vote in vote_rows:
        texts[vote["statement"]] = vote["text"]
        counts = [vote["agree"], vote["disagree"], vote["neutral"]]
        found = by_statement.setdefault(vote["statement"], {})
        if not any(c is None or pd.isna(c) for c in counts):
            found[vote["session"]] = (int(counts[0]), int(counts[1]), int(counts[2]))
    sessions = {s for found in by_statement.values() for s, v in found.items() if sum(v)}
    rows = []
    for statement, found in by_statement.items():
        for_, against, divided = group_consensus(found, sessions)
        rows.append(
            {
                "item": statement,
                "kind": "Statement",
                "text": texts[statement],
                "status": None,
                "groups": sorted(found),
                "agree": sum(v[0] for v in found.values()),
                "disagree": sum(v[1] for v in found.values()),
                "neutral": sum(v[2] for v in found.values()),
                "agreement": [round(agreement(v), 3) for _, v in sorted(found.items())],
                "consensus": for_,
                "consensus_against": against,
                "divided": divided,
            }
        )
    return rows


def consensus(m: SystemMap, as_of_round: int | None = None) -> pd.DataFrame:
    """How far every group agrees, per link on the map and per statement.

    Parameters
    ----------
    m : SystemMap
    as_of_round : int, optional
        The links on the map in this round and the reviews that count then (those
        of the rounds before it); by default the latest state and every review.
        Votes on statements have no round: every statement's votes count.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`CONSENSUS_COLUMNS`: ``item`` (link or statement id), ``kind``
        (the link kind, or ``Statement``), ``text`` (the link as a Dutch sentence, or
        the statement), ``status`` (a link's; empty for a statement), ``groups`` (that
        voted on it: groups for a link, sessions for a statement), ``agree``,
        ``disagree``, ``neutral`` (votes), ``agreement`` (P(eens | g) of each of
        ``groups``, in that order, to three decimals),
        ``consensus`` and ``consensus_against`` (empty when no group voted) and
        ``divided``. Most consensus first, unknown last, then by id. On Neo4j,
        :func:`queries.cypher.consensus` asks the same :func:`consensus_in`.

    Examples
    --------
    >>> m = SystemMap("demo")
    >>> for f in ("a", "b", "c"):
    ...     m.add_node("Factor", f, f.upper(), level="persoon", role="bron")
    >>> m.add_link("ab", "INFLUENCES", "a", "b", sign="+")
    >>> m.add_link("bc", "INFLUENCES", "b", "c", sign="-")
    >>> from graph.vocabulary import Verdict
    >>> agree, disagree = Verdict.AGREE, Verdict.DISAGREE
    >>> reviews = [("ab", "ouder", agree), ("ab", "jongere", agree), ("bc", "ouder", agree),
    ...            ("bc", "jongere", disagree)]
    >>> for i, (link, group, verdict) in enumerate(reviews):
    ...     m.add_record("reviews", id=f"r{i}", link=link, round=1, group=group, verdict=verdict)
    >>> consensus(m)[["item", "consensus", "divided"]].values.tolist()
    [['ab', 0.4444444444444444, False], ['bc', 0.2222222222222222, True]]
    """
    return consensus_in(MapSource(m), as_of_round)


def consensus_in(source: Source, as_of_round: int | None = None) -> pd.DataFrame:
    """As :func:`consensus`, over a :class:`queries.source.Source`: a SystemMap or the
    map in Neo4j (:func:`queries.cypher.consensus`)."""
    status = status_rows_in(source, as_of_round)
    return consensus_table(status, votes_in(source).to_dict("records"))
