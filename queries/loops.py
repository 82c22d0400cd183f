"""Loops: feedback loops of influence, reinforcing or balancing.

A loop is a closed chain of ``INFLUENCES`` links that visits no node twice. Its
polarity follows from the product of its signs: ``"reinforcing"`` when it is ``+``
(a change comes back amplified), ``"balancing"`` when it is ``-`` (a change comes back
damped), ``"unknown"`` when a link's sign is empty.

Parallel links (two links from the same node to the same node) make distinct loops:
a loop is a cycle of links, not of nodes, so ``a -> b -> a`` with two links from
``a`` to ``b`` is two loops, which may differ in polarity.

Each question is written once, over a :class:`queries.source.Source` (the ``*_in``
functions): those of a SystemMap here and those of the Neo4j store in
:mod:`queries.cypher` ask it of their own source.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import islice
from typing import Any

import pandas as pd
import rustworkx as rx

from graph import SystemMap
from graph.errors import Count, TooManyLoops, said
from graph.vocabulary import LinkKind
from queries._common import (
    LinkGraph,
    check_positive,
    frame,
    link_graph,
    link_values,
    loop_chains,
)
from queries.source import MapSource, Source

__all__ = [
    "MAX_LOOPS",
    "check_loop_count",
    "LOOP_COLUMNS",
    "PARTICIPATION_COLUMNS",
    "LongerLoops",
    "bound_note",
    "longer_loops",
    "loop_chains",
    "loop_participation",
    "loop_participation_in",
    "loop_rows_in",
    "loops",
    "loops_in",
    "named_loops",
]

#: Columns (name: dtype) of :func:`loops`.
LOOP_COLUMNS = {
    "members": "object",
    "names": "object",
    "links": "object",
    "length": "int64",
    "polarity": "object",
    "sign": "object",
    "strength": "float64",
    "weights_known": "bool",
}
#: Columns (name: dtype) of :func:`loop_participation`.
PARTICIPATION_COLUMNS = {
    "node": "object",
    "name": "object",
    "kind": "object",
    "loops": "int64",
    "reinforcing": "int64",
    "balancing": "int64",
    "unknown": "int64",
}

POLARITY = {"+": "reinforcing", "-": "balancing", None: "unknown"}

#: The most loops listed: past it, a dense map's loops of a few links run into the
#: hundreds of thousands (a file of 1 MB can hold such a tangle), and listing them
#: would take minutes and gigabytes for a table nobody reads.
MAX_LOOPS = 10_000

#: How many loops longer than the bound are counted before counting stops: a few more
#: than the answer's own loops cost little, while all of them may be millions.
LONGER_COUNTED = 100


@dataclass(frozen=True)
class LongerLoops:
    """The loops a length bound left out: how many (``complete``: all of them were
    counted; else at least ``count``), and the longest one counted."""

    max_length: int
    count: int
    complete: bool
    longest: int

    def note(self) -> str | None:
        """One sentence for the reader, or None when the bound left nothing out.

        >>> LongerLoops(6, 2, True, 7).note()
        '2 longer loops (up to 7 links) are left out: raise the maximum length (now 6) to see them'
        >>> LongerLoops(4, 100, False, 31).note()
        'at least 100 longer loops are left out; they were not all counted (maximum length 4)'
        """
        if self.count == 0 and self.complete:
            return None
        if not self.complete:
            return (
                f"at least {self.count} longer loops are left out; they were not all counted "
                f"(maximum length {self.max_length})"
            )
        loops_word = "loop" if self.count == 1 else "loops"
        return (
            f"{self.count} longer {loops_word} (up to {self.longest} links) "
            f"{'is' if self.count == 1 else 'are'} left out: raise the maximum length "
            f"(now {self.max_length}) to see them"
        )


def loops(m: SystemMap, max_length: int = 6, *, as_of_round: int | None = None) -> pd.DataFrame:
    """Every feedback loop of at most ``max_length`` links.

    What the bound leaves out is never silent: ``answer.attrs["longer_loops"]`` is a
    :class:`LongerLoops` (how many loops are longer, or that there are too many to
    count), and :func:`bound_note` says it in a sentence.

    Parameters
    ----------
    m : SystemMap
    max_length : int
        The longest loop, in links.
    as_of_round : int, optional
        The map as it was in this round; by default the latest state.

    Returns
    -------
    pandas.DataFrame
        One row per loop. Columns: ``members`` (node ids in the loop's direction,
        starting at the smallest id), ``names``, ``links`` (link ids; ``links[i]`` goes
        from ``members[i]`` to the next member, the last one back to the first),
        ``length`` (number of links), ``polarity``, ``sign`` (``"+"``, ``"-"`` or None),
        ``strength`` (product of weights, an unknown weight counting as 1.0) and
        ``weights_known``. Ordered by length, then members, then links.

    Examples
    --------
    The Vleuten map has no loops yet:

    >>> from loaders import load_map
    >>> loops(load_map()).empty
    True

    A reinforcing loop between two factors:

    >>> from graph import SystemMap
    >>> m = SystemMap("demo")
    >>> for f in ("stress", "piekeren"):
    ...     m.add_node("Factor", f, f.title(), level="persoon", role="uitkomst")
    >>> m.add_link("l1", "INFLUENCES", "stress", "piekeren", sign="+")
    >>> m.add_link("l2", "INFLUENCES", "piekeren", "stress", sign="+", weight=0.5)
    >>> loops(m)[["members", "links", "polarity", "strength"]].to_dict("records")
    [{'members': ['piekeren', 'stress'], 'links': ['l2', 'l1'], 'polarity': 'reinforcing', \
'strength': 0.5}]

    A bound that leaves loops out says so:

    >>> bound_note(loops(m, max_length=1))
    '1 longer loop (up to 2 links) is left out: raise the maximum length (now 1) to see them'
    """
    return loops_in(MapSource(m), max_length, as_of_round=as_of_round)


def loops_in(
    source: Source, max_length: int = 6, *, as_of_round: int | None = None
) -> pd.DataFrame:
    """As :func:`loops`, over a :class:`queries.source.Source`: a SystemMap or the map in
    Neo4j (:func:`queries.cypher.loops`)."""
    rows, g = loop_rows_in(source, max_length, as_of_round)
    table = loop_table(rows)
    table.attrs["longer_loops"] = longer_loops(g, max_length)
    return table


def loop_rows_in(
    source: Source, max_length: int, as_of_round: int | None
) -> tuple[list[dict[str, Any]], LinkGraph]:
    """The loops of :func:`loops_in` as the source gives them (rows of
    :data:`queries._common.LOOP_FIELDS`), and the influence links they were found on.

    The checks of every loop question: the bound, the round, and no more than
    :data:`MAX_LOOPS` loops (:class:`graph.errors.TooManyLoops`), counted on the links
    before any loop is listed.
    """
    check_positive("the maximum length", max_length)
    source.check_round(as_of_round)
    g = source.link_ends((LinkKind.INFLUENCES,), as_of_round)
    check_loop_count(g, max_length)
    return source.loops(max_length, as_of_round), g


def check_loop_count(g: LinkGraph, max_length: int, limit: int = MAX_LOOPS) -> None:
    """Raise :class:`graph.errors.TooManyLoops` when ``g`` has more than ``limit`` loops
    of at most ``max_length`` links; they are counted up to ``limit`` + 1 only.

    >>> from graph import SystemMap
    >>> m = SystemMap("demo")
    >>> for f in "abc":
    ...     m.add_node("Factor", f, f.upper())
    >>> for a in "abc":
    ...     for b in "abc":
    ...         if a != b:
    ...             m.add_link(a + b, "INFLUENCES", a, b, sign="+")
    >>> check_loop_count(link_graph(m), 3, limit=4)
    Traceback (most recent call last):
    ...
    graph.errors.TooManyLoops: more than 4 feedback loops of at most 3 links: too many to \
list; ask for shorter loops
    """
    if sum(1 for _ in islice(loop_chains(g, max_length), limit + 1)) > limit:
        raise TooManyLoops(said("query.too_many_loops", limit=Count(limit), length=max_length))


def longer_loops(g: LinkGraph, max_length: int, limit: int = LONGER_COUNTED) -> LongerLoops:
    """The loops of ``g`` longer than ``max_length`` links, counted up to ``limit``.

    No loop is longer than the group of nodes that can all reach each other (a
    strongly connected component) it runs through: when no such group has more than
    ``max_length`` nodes, nothing was left out and nothing needs counting.
    """
    index = {node: i for i, node in enumerate(g.nodes)}
    digraph = rx.PyDiGraph(multigraph=False)
    digraph.add_nodes_from(range(len(index)))
    digraph.add_edges_from_no_data([(index[s], index[t]) for s, t, _ in g.links.values()])
    components = rx.strongly_connected_components(digraph)
    largest = max((len(c) for c in components), default=0)
    if largest <= max_length:
        return LongerLoops(max_length, 0, True, 0)
    # Looked for up to twice the bound: longer chains cost more to follow than the
    # answer itself, and a map with loops that long has many shorter ones too.
    searched = min(largest, 2 * max_length + 2)
    count = longest = 0
    for chain in loop_chains(g, searched):
        if len(chain) > max_length:
            count += 1
            longest = max(longest, len(chain))
            if count >= limit:
                return LongerLoops(max_length, count, False, longest)
    return LongerLoops(max_length, count, largest <= searched, longest)


#: Columns (name: dtype) of :func:`named_loops`.
NAMED_COLUMNS = {
    "name": "object",
    "links": "object",
    "length": "Int64",
    "polarity": "object",
    "is_loop": "bool",
}


def named_loops(m: SystemMap, named: Iterable[tuple[str, Sequence[str]]]) -> pd.DataFrame:
    """The feedback loop in each loop another tool names (Kumu's loops), by its links.

    A named loop is a set of links someone drew a loop label over; it may hold side
    links that feed into the loop. Its feedback loop is the closed chain among those
    links: that is what :func:`loops` finds.

    Parameters
    ----------
    m : SystemMap
    named : iterable of (name, link ids)

    Returns
    -------
    pandas.DataFrame
        One row per named loop, in the order given. Columns: ``name``, ``links`` (the
        feedback loop's links, as :func:`loops` lists them; the longest when they
        close more than one, of the first :data:`LONGER_COUNTED` found), ``length``,
        ``polarity`` and ``is_loop`` (False, with the other columns empty, when the
        links close no loop).

    Examples
    --------
    >>> from graph import SystemMap
    >>> m = SystemMap("demo")
    >>> for f in ("a", "b", "c"):
    ...     m.add_node("Factor", f, f.upper())
    >>> m.add_link("ab", "INFLUENCES", "a", "b", sign="+")
    >>> m.add_link("ba", "INFLUENCES", "b", "a", sign="-")
    >>> m.add_link("cb", "INFLUENCES", "c", "b", sign="+")
    >>> named_loops(m, [("R1", ["ab", "ba", "cb"]), ("zijtak", ["cb"])]).values.tolist()
    [['R1', ['ab', 'ba'], 2, 'balancing', True], ['zijtak', None, <NA>, None, False]]
    """
    g = link_graph(m)
    rows: list[dict[str, Any]] = []
    for name, link_ids in named:
        inside = LinkGraph(g.nodes, {k: g.links[k] for k in link_ids if k in g.links})
        # more than one closed chain (parallel links): the one over the most links, of
        # the first LONGER_COUNTED found; a tangle of links closes millions
        found = islice(loop_chains(inside, max(len(inside.links), 1)), LONGER_COUNTED)
        chains = sorted(found, key=lambda c: (-len(c), c))
        if not chains:
            rows.append({"name": name, "links": None, "length": None, "polarity": None,
                         "is_loop": False})  # fmt: skip
            continue
        sign, _, _ = link_values(g, chains[0])
        rows.append(
            {
                "name": name,
                "links": [key for _, _, key in chains[0]],
                "length": len(chains[0]),
                "polarity": POLARITY[sign],
                "is_loop": True,
            }
        )
    return frame(rows, NAMED_COLUMNS)


def bound_note(found: pd.DataFrame) -> str | None:
    """What the length bound of :func:`loops` left out, as a sentence (None: nothing)."""
    longer = found.attrs.get("longer_loops")
    return longer.note() if isinstance(longer, LongerLoops) else None


def loop_table(rows: Iterable[Mapping[str, Any]]) -> pd.DataFrame:
    """Rows of loops (members from the smallest id, names, links, length, sign, strength,
    weights_known) as the DataFrame of :func:`loops`, with the polarity, in its order."""
    table = [{**row, "polarity": POLARITY[row["sign"]]} for row in rows]
    table.sort(key=lambda r: (r["length"], r["members"], r["links"]))
    return frame(table, LOOP_COLUMNS)


def loop_participation(
    m: SystemMap, max_length: int = 6, *, as_of_round: int | None = None
) -> pd.DataFrame:
    """For each node in at least one loop: in how many loops, of which polarity.

    Parameters
    ----------
    m : SystemMap
    max_length : int
        The longest loop counted, in links.
    as_of_round : int, optional
        The map as it was in this round; by default the latest state.

    Returns
    -------
    pandas.DataFrame
        One row per node that sits in a loop. Columns: ``node``, ``name``, ``kind``,
        ``loops`` (how many loops of :func:`loops` it is a member of), and of those,
        ``reinforcing``, ``balancing`` and ``unknown``. Ordered by ``loops``, most
        first, then by node id.

    Examples
    --------
    >>> from graph import SystemMap
    >>> m = SystemMap("demo")
    >>> for f in ("a", "b", "c"):
    ...     m.add_node("Factor", f, f.upper(), level="persoon", role="bron")
    >>> m.add_link("ab", "INFLUENCES", "a", "b", sign="+")
    >>> m.add_link("ba", "INFLUENCES", "b", "a", sign="+")
    >>> m.add_link("bc", "INFLUENCES", "b", "c", sign="+")
    >>> m.add_link("cb", "INFLUENCES", "c", "b", sign="-")
    >>> loop_participation(m)[["node", "loops", "reinforcing", "balancing"]].values.tolist()
    [['b', 2, 1, 1], ['a', 1, 1, 0], ['c', 1, 0, 1]]
    """
    return loop_participation_in(MapSource(m), max_length, as_of_round=as_of_round)


def loop_participation_in(
    source: Source, max_length: int = 6, *, as_of_round: int | None = None
) -> pd.DataFrame:
    """As :func:`loop_participation`, over a :class:`queries.source.Source`."""
    rows, g = loop_rows_in(source, max_length, as_of_round)
    kinds = {
        node: kind for row in rows for node, kind in zip(row["members"], row["kinds"], strict=True)
    }
    found = loop_table(rows)
    found.attrs["longer_loops"] = longer_loops(g, max_length)
    return participation_table(found, kinds)


def participation_table(found: pd.DataFrame, kinds: Mapping[str, str]) -> pd.DataFrame:
    """The rows of :func:`loop_participation` from the loops ``found`` and the kind of
    each member."""
    counts: dict[str, Counter[str]] = {}
    names: dict[str, str] = {}
    for members, member_names, polarity in zip(
        found["members"], found["names"], found["polarity"], strict=True
    ):
        for node, name in zip(members, member_names, strict=True):
            counts.setdefault(node, Counter())[polarity] += 1
            names[node] = name
    rows: list[dict[str, Any]] = [
        {
            "node": node,
            "name": names[node],
            "kind": kinds[node],
            "loops": sum(c.values()),
            "reinforcing": c["reinforcing"],
            "balancing": c["balancing"],
            "unknown": c["unknown"],
        }
        for node, c in counts.items()
    ]
    rows.sort(key=lambda r: (-r["loops"], r["node"]))
    table = frame(rows, PARTICIPATION_COLUMNS)
    if "longer_loops" in found.attrs:  # the loops counted here are those of the bound
        table.attrs["longer_loops"] = found.attrs["longer_loops"]
    return table
