"""The questions of :mod:`queries`, answered in Cypher on the Neo4j store.

Each function here has the name and the options of its SystemMap counterpart and
returns the same DataFrame (columns, dtypes, row order and values) for the same map;
only its first two arguments differ: the store and the id of the map in it (None: the
only map in the database). The database answers the graph question: chains, paths and
loops are enumerated by variable-length patterns, signs and strengths multiplied along
them, and joins, counts and filters run in Cypher. Python then shapes the rows into
the DataFrame with the same function the SystemMap answer ends with (the ``*_table``
helpers of each family), so both backends sort and type the rows alike.

One question is not answered in the database: Neo4j Community has no betweenness
centrality (that takes the Graph Data Science library), so :func:`centrality` reads
the influence graph with Cypher and computes betweenness on the client with
:func:`queries.leverage.betweenness`, as the SystemMap answer does.

The rules of :mod:`queries` hold here too: only what is on the map counts (retired
nodes and links are left out; ``as_of_round`` gives the map as it was in a round,
as :func:`graph.cycle.present` says, with the reviews of the rounds before it,
as :func:`graph.cycle.review_counts` says); a chain, path or loop never visits a node
twice; bad input raises :class:`QueryError` (or the kind of it in :mod:`graph.errors`)
with the same message; an unknown map id is :class:`graph.errors.UnknownMap`.

The questions of the cycle are here too (:func:`link_status`, :func:`diff`,
:func:`agenda`...): the links on the map and the reviews that count are read in
Cypher, and the status rule of :mod:`graph.cycle` (written once) sums them up.

All Cypher of the queries is in this module, and only :mod:`graph.store` talks to the
driver (:meth:`Neo4jStore.run`). Values travel as parameters. Two things cannot: the
bounds of a variable-length pattern (Cypher takes no parameter there) and relationship
types; they are written into the text only after they have been checked (a whole
number of at least 1, a link kind of the schema).

In a notebook, with a map loaded into Neo4j (``versterkt db load``)::

    from graph.store import open_store
    from queries import answer, cypher

    store = open_store("bolt://127.0.0.1:7687", password="...")
    cypher.drivers(store, "vleuten", "prestatiedruk", max_depth=2)
    answer("loops", store, map_id="vleuten", max_length=4)   # any backend, by name

:data:`QUERIES` names the main question of each family, as :data:`queries.QUERIES` does:

>>> import queries
>>> QUERIES.keys() == queries.QUERIES.keys()
True
"""

from __future__ import annotations

import math
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import pandas as pd

from graph import cycle, schema
from graph.cycle import (
    choose_outcome,
)
from graph.errors import UnknownNode
from graph.vocabulary import Status
from queries import agenda as agenda_
from queries import changes as changes_
from queries import consensus as consensus_
from queries import evidence as evidence_
from queries import influence as influence_
from queries import leverage as leverage_
from queries import loops as loops_
from queries import paths, perspectives, social_map
from queries import statements as statements_
from queries import status as status_
from queries._common import (
    INFLUENCE_KINDS,
    LOOP_FIELDS,
    LinkGraph,
    adjusters_of,
    check_link_kinds,
    check_positive,
    unknown,
)
from queries.source import (
    QUOTE_FIELDS,
    REVIEW_FIELDS,
    STATEMENT_FIELDS,
    VOTE_COUNTS,
    VOTE_FIELDS,
    link_row_names,
)
from queries.status import TESTED_KINDS

if TYPE_CHECKING:
    from graph.store import Neo4jStore

__all__ = [
    "QUERIES",
    "StoreSource",
    "agenda",
    "all_paths",
    "by_factor",
    "by_place",
    "centrality",
    "diff",
    "driven_by",
    "drivers",
    "group_emphasis",
    "influence",
    "leverage_moves",
    "leverage_points",
    "link_evidence",
    "link_status",
    "loop_moves",
    "loop_participation",
    "loops",
    "missing_cooperation",
    "shortest_paths",
    "single_source_links",
    "statement_ranking",
    "unaddressed_factors",
    "untested_hypotheses",
    "votes",
]

#: Parameters every query may use: the schema's constants, never written into the text.
CONSTANTS = {
    "signs": list(schema.SIGNS),
    "plus": "+",
    "minus": "-",
    "hypothesis": Status.HYPOTHESIS.value,
    "arrow": " → ",
}


# --- Cypher: building blocks ----------------------------------------------------------


def on_map(var: str, as_of_round: int | None) -> str:
    """Cypher for "``var`` is on the map" (latest state, or in round ``$round``): the
    twin of the round rule, :func:`graph.cycle.present`.

    >>> on_map("n", None)
    'n.round_out IS NULL'
    >>> on_map("r", 2)
    '(coalesce(r.round_in, 1) <= $round AND (r.round_out IS NULL OR $round < r.round_out))'
    """
    if as_of_round is None:
        return f"{var}.round_out IS NULL"
    return (
        f"(coalesce({var}.round_in, 1) <= $round AND "
        f"({var}.round_out IS NULL OR $round < {var}.round_out))"
    )


def _on_map_all(variables: str, as_of_round: int | None) -> str:
    return " AND ".join(on_map(v, as_of_round) for v in variables.split())


def _types(kinds: Iterable[str]) -> str:
    """Relationship types for a pattern, from link kinds already checked on the schema."""
    return "|".join(dict.fromkeys(kinds))


def collect_rows(fields: Iterable[str]) -> str:
    """The last clause of every query here: all rows as one list of lists of ``fields``.

    One record holding every row reaches Python two to three times faster than one
    record per row; :func:`fetch` turns it back into dicts.
    """
    return f"RETURN collect([{', '.join(fields)}]) AS rows"


#: The sign of a chain or loop of relationships ``rs``: the product of their signs,
#: null when one is unknown (as :func:`queries._common.sign_product`).
SIGN = """CASE WHEN all(r IN rs WHERE r.sign IN $signs)
            THEN CASE WHEN size([r IN rs WHERE r.sign = $minus]) % 2 = 1
                      THEN $minus ELSE $plus END
       END"""
#: The strength of a chain or loop ``rs``: the product of the weights from the first
#: link on, an unknown weight counting as 1.0 (as :func:`queries._common.link_values`).
STRENGTH = "reduce(product = 1.0, r IN rs | product * coalesce(r.weight, 1.0))"
WEIGHTS_KNOWN = "all(r IN rs WHERE r.weight IS NOT NULL)"

#: The fields of a chain (:data:`queries._common.CHAIN_COLUMNS` and the kind of its
#: first node), from ``ns`` (its nodes) and ``rs`` (its relationships).
CHAIN_FIELDS = (
    "source",
    "target",
    "source_kind",
    "length",
    "sign",
    "strength",
    "weights_known",
    "path",
    "names",
    "links",
)
CHAIN = f"""
WITH ns[0].id AS source, ns[-1].id AS target, ns[0].kind AS source_kind,
     size(rs) AS length, {SIGN} AS sign,
     {STRENGTH} AS strength, {WEIGHTS_KNOWN} AS weights_known,
     [n IN ns | n.id] AS path, [n IN ns | n.name] AS names, [r IN rs | r.id] AS links
{collect_rows(CHAIN_FIELDS)}
"""

#: Keeps the rows whose list ``ns`` holds no node twice.
NO_NODE_TWICE = "all(i IN range(1, size(ns) - 1) WHERE NOT ns[i] IN ns[..i])"


def chains_query(
    kinds: Sequence[str],
    max_length: int,
    as_of_round: int | None,
    *,
    from_source: bool,
    to_target: bool,
    source_kinds: bool = False,
) -> str:
    """Every chain of links of ``kinds`` (1 to ``max_length`` of them) that visits no
    node twice: out of ``$source`` and/or into ``$target``; with ``source_kinds``, only
    from nodes of a kind in ``$source_kinds``.

    >>> print(chains_query(["INFLUENCES"], 3, None, from_source=False, to_target=True)
    ...       .splitlines()[1])
    MATCH p = (s:Node {map: $map})-[:INFLUENCES*1..3]->(t:Node {map: $map, id: $target})
    """
    check_positive("the maximum length", max_length)
    start = "(s:Node {map: $map, id: $source})" if from_source else "(s:Node {map: $map})"
    end = "(t:Node {map: $map, id: $target})" if to_target else "(t:Node {map: $map})"
    kind_filter = "s.kind IN $source_kinds AND " if source_kinds else ""
    hints = "".join(
        f"USING INDEX SEEK {var}:Node(map, id)\n"
        for var, anchored in (("s", from_source), ("t", to_target))
        if anchored
    )
    return f"""
MATCH p = {start}-[:{_types(kinds)}*1..{max_length}]->{end}
{hints}WHERE {kind_filter}all(n IN nodes(p) WHERE {on_map("n", as_of_round)})
  AND all(r IN relationships(p) WHERE r.map = $map AND {on_map("r", as_of_round)})
WITH nodes(p) AS ns, relationships(p) AS rs
WHERE {NO_NODE_TWICE}
{CHAIN}"""


def shortest_paths_query(kinds: Sequence[str], as_of_round: int | None) -> str:
    """Every shortest path from ``$source`` to ``$target`` over links of ``kinds``."""
    return f"""
MATCH (s:Node {{map: $map, id: $source}}), (t:Node {{map: $map, id: $target}})
USING INDEX SEEK s:Node(map, id) USING INDEX SEEK t:Node(map, id)
MATCH p = allShortestPaths((s)-[:{_types(kinds)}*]->(t))
WHERE all(n IN nodes(p) WHERE {on_map("n", as_of_round)})
  AND all(r IN relationships(p) WHERE r.map = $map AND {on_map("r", as_of_round)})
WITH nodes(p) AS ns, relationships(p) AS rs
{CHAIN}"""


def loops_query(max_length: int, as_of_round: int | None) -> str:
    """Every loop of ``INFLUENCES`` links (1 to ``max_length`` of them) that visits no
    node twice, once, starting at its smallest node id.

    A loop through ``n``, with every other member above ``n``, is found by meeting in
    the middle: the paths of up to ``ceil(max_length/2)`` links out of ``n`` and of up to
    ``floor(max_length/2)`` links back into it are grouped by the node ``x`` where they
    meet, and each pair at ``x`` whose lengths differ by at most one (the way out the
    longer) is a loop. That expands far fewer paths than following every path of
    ``max_length`` links out of ``n`` to see whether it comes back, and grouping pairs
    them in one pass rather than by searching the ways back for each way out. Both
    are quantified path patterns with their conditions on each step, so that the
    database stops following a path at the first node below ``n`` or off the map.
    """
    check_positive("the maximum length", max_length)
    out_length, back_length = math.ceil(max_length / 2), max_length // 2
    link_ok = f"r.map = $map AND {on_map('r', as_of_round)}"
    back = "(n)"  # loops of one link need no way back, and a quantifier cannot be {0,0}
    if back_length:
        back = f"""((v:Node WHERE v.id > n.id AND {on_map("v", as_of_round)})
                    -[r:INFLUENCES WHERE {link_ok}]->()){{0,{back_length}}}(n)"""
    return f"""
MATCH (n:Node {{map: $map}})
WHERE n.kind IN $kinds AND {on_map("n", as_of_round)}
CALL (n) {{
  MATCH path = (n)(()-[r:INFLUENCES WHERE {link_ok}]->
                 (v:Node WHERE v.id >= n.id AND {on_map("v", as_of_round)})){{1,{out_length}}}(x)
  RETURN x, path, true AS out
  UNION ALL
  MATCH path = {back}
  RETURN nodes(path)[0] AS x, path, false AS out
}}
WITH n, x, collect(CASE WHEN out THEN path END) AS outs,
     collect(CASE WHEN NOT out THEN path END) AS backs
UNWIND outs AS out
UNWIND backs AS back
WITH out, back
WHERE length(back) IN [length(out) - 1, length(out)]
WITH (nodes(out) + nodes(back)[1..])[..-1] AS ns, relationships(out) + relationships(back) AS rs
WHERE {NO_NODE_TWICE}
WITH [v IN ns | v.id] AS members, [v IN ns | v.name] AS names, [v IN ns | v.kind] AS kinds,
     [r IN rs | r.id] AS links, size(rs) AS length, {SIGN} AS sign,
     {STRENGTH} AS strength, {WEIGHTS_KNOWN} AS weights_known
{collect_rows(LOOP_FIELDS)}
"""


NODE_FIELDS = ("id", "kind", "name")


def nodes_query(as_of_round: int | None, not_into: Sequence[str] = ()) -> str:
    """The nodes of ``$kinds`` on the map (that no link of ``not_into`` on the map leads
    into, when given; of ``$ids``, when not null): for each, one list of its id, kind,
    name and the values of ``$node_fields``."""
    reached = ""
    if not_into:
        reached = f"""
  AND NOT EXISTS {{
    MATCH (m:Node {{map: $map}})-[r:{_types(not_into)}]->(n)
    WHERE r.map = $map AND {_on_map_all("m r", as_of_round)}
  }}"""
    return f"""
MATCH (n:Node {{map: $map}})
WHERE ($ids IS NULL OR n.id IN $ids) AND n.kind IN $kinds AND {on_map("n", as_of_round)}{reached}
RETURN collect([n.id, n.kind, n.name] + [f IN $node_fields | n[f]]) AS rows
"""


def quotes_query(as_of_round: int | None) -> str:
    """The quotes on the map: for each, one list of the values of
    :data:`queries.source.QUOTE_FIELDS`."""
    return f"""
MATCH (q:Quote {{map: $map}}) WHERE {on_map("q", as_of_round)}
RETURN collect([q.id, coalesce(q.about, []), q.session, q.group]) AS rows
"""


#: The reviews that count as of ``$round`` (those of the rounds before it; all without
#: one), by round, then as recorded: the values of :data:`queries.source.REVIEW_FIELDS`.
REVIEWS_THAT_COUNT = """
MATCH (v:Record:Review {map: $map}) WHERE $round IS NULL OR v.round < $round
WITH v ORDER BY v.round, v.seq
RETURN collect([v.id, v.link, v.round, v.group, v.verdict, v.session, v.weight]) AS rows
"""

LINK_FIELDS = ("id", "source", "target")


def links_query(kinds: Sequence[str], as_of_round: int | None) -> str:
    """The links of ``kinds`` on the map, between nodes on the map: id and ends."""
    return f"""
MATCH (a:Node {{map: $map}})-[r:{_types(kinds)}]->(b:Node {{map: $map}})
WHERE r.map = $map AND {_on_map_all("a r b", as_of_round)}
WITH r.id AS id, a.id AS source, b.id AS target
{collect_rows(LINK_FIELDS)}
"""


def _labels(var: str, kinds: Sequence[str] | None) -> str:
    """Cypher for "``var`` is a node of one of ``kinds``" (true when None), by its labels,
    from node kinds checked on the schema."""
    if kinds is None:
        return "true"
    for kind in kinds:
        if kind not in schema.NODE_KINDS_ALL:
            raise unknown("node kind", kind, schema.NODE_KINDS_ALL)
    return f"{var}:{'|'.join(dict.fromkeys(kinds))}" if kinds else "false"


def link_rows_query(
    kinds: Sequence[str],
    as_of_round: int | None,
    source_kinds: Sequence[str] | None = None,
    target_kinds: Sequence[str] | None = None,
) -> str:
    """The links of ``kinds`` on the map, between nodes on the map, out of a node of
    ``source_kinds`` and into one of ``target_kinds`` (when given), of ``$ids`` (when
    not null): for each, one list
    of the values :func:`queries.source.link_row_names` names, for the link's
    ``$link_fields`` and its ends' ``$end_fields``. (One list a link, not one per part
    of it: the rows reach Python faster.)"""
    return f"""
MATCH (a:Node {{map: $map}})-[r:{_types(kinds)}]->(b:Node {{map: $map}})
WHERE r.map = $map AND ($ids IS NULL OR r.id IN $ids)
  AND {_labels("a", source_kinds)} AND {_labels("b", target_kinds)}
  AND {_on_map_all("a r b", as_of_round)}
RETURN collect([r.id, type(r), a.id, b.id] + [f IN $link_fields | r[f]]
               + [f IN $end_fields | a[f]] + [f IN $end_fields | b[f]]) AS rows
"""


NODE_KIND = "MATCH (n:Node {map: $map, id: $id}) RETURN n.kind AS kind"
NODE_IDS = (
    "MATCH (n:Node {map: $map}) WHERE $kinds IS NULL OR n.kind IN $kinds "
    "RETURN n.id AS id ORDER BY n.seq"
)

STATEMENTS = "MATCH (s:Statement {map: $map}) RETURN collect([s.id, s.name, s.focus]) AS rows"
#: The vote records (of ``$session``, when not null): the values of
#: :data:`queries.source.VOTE_FIELDS`.
VOTE_RECORDS = """
MATCH (v:Record:Vote {map: $map}) WHERE $session IS NULL OR v.session = $session
RETURN collect([v.statement, v.session] + [c IN $counts | v[c]]) AS rows
"""


# --- the cycle: the twins of graph.cycle's rules ----------------------------------------


ROUNDS_QUERY = "MATCH (r:Record:Round {map: $map}) RETURN r.number AS number ORDER BY number"


def outcome_query(as_of_round: int | None) -> str:
    """The map's declared outcome and its factors with role uitkomst on the map: what
    :func:`graph.cycle.choose_outcome` chooses from."""
    return f"""
MATCH (m:Map {{id: $map}})
RETURN m.outcome AS declared, COLLECT {{
  MATCH (f:Factor {{map: $map, role: $role}}) WHERE {on_map("f", as_of_round)}
  RETURN f.id ORDER BY f.id
}} AS outcomes
"""


ADJUSTMENTS_QUERY = (
    "MATCH (r:Record:Adjustment {map: $map}) WHERE $a < r.round <= $b "
    "RETURN r.id AS id, r.round AS round, r.adjustment_kind AS adjustment_kind, "
    "r.subject AS subject, r.reason AS reason, coalesce(r.prompted_by, []) AS prompted_by "
    "ORDER BY r.seq"
)
TARGET_NAME_QUERY = "MATCH (n:Node {map: $map, id: $id}) RETURN n.name AS name"


# --- running ---------------------------------------------------------------------------


def fetch(
    store: Neo4jStore, query: str, fields: Sequence[str], map_id: str, **params: Any
) -> list[dict[str, Any]]:
    """The rows of a query that ends in :func:`collect_rows`, as dicts of ``fields``."""
    (answer,) = store.run(query, map=map_id, **CONSTANTS, **params)
    return [dict(zip(fields, values, strict=True)) for values in answer["rows"]]


def resolve_map(store: Neo4jStore, map_id: str | None) -> str:
    """``map_id`` if the store holds that map; without one, the only map it holds
    (:meth:`graph.store.Neo4jStore.resolve_map`)."""
    return store.resolve_map(map_id)


def rounds_of(store: Neo4jStore, map_id: str) -> list[int]:
    """The rounds of a map in the store, by the rule of :func:`graph.cycle.rounds`."""
    return cycle.known_rounds(row["number"] for row in store.run(ROUNDS_QUERY, map=map_id))


def check_round(store: Neo4jStore, map_id: str, as_of_round: int | None) -> int | None:
    """As :func:`queries._common.check_round`, on the store."""
    if as_of_round is None:
        return None
    return cycle.check_round(rounds_of(store, map_id), as_of_round)


def outcome(
    store: Neo4jStore, map_id: str, target: str | None, as_of_round: int | None = None
) -> str:
    """As :func:`graph.cycle.outcome`, on the store."""
    if target is None:
        query = outcome_query(as_of_round)
        (found,) = store.run(query, map=map_id, round=as_of_round, role=cycle.OUTCOME_ROLE)
        target = choose_outcome(None, found["declared"], found["outcomes"])
    return check_node(store, map_id, target)


def check_node(store: Neo4jStore, map_id: str, node_id: str, kinds: Sequence[str] = ()) -> str:
    """As :func:`graph.cycle.check_node`, on the store."""
    found = store.run(NODE_KIND, map=map_id, id=node_id)
    if not found:
        candidates = store.run(NODE_IDS, map=map_id, kinds=list(kinds) or None)
        raise unknown("node", node_id, (row["id"] for row in candidates))
    kind = found[0]["kind"]
    if kinds and kind not in kinds:
        raise UnknownNode(f"{node_id!r} is a {kind}; expected one of: {', '.join(kinds)}")
    return node_id


def adjusters(store: Neo4jStore, map_id: str, as_of_round: int | None) -> dict[str, list[str]]:
    """As :func:`queries._common.adjusters`, on the store."""
    return StoreSource(store, map_id).adjusters(as_of_round)


def _chains(
    store: Neo4jStore,
    map_id: str,
    max_length: int,
    as_of_round: int | None,
    *,
    source: str | None = None,
    target: str | None = None,
    kinds: Sequence[str] = ("INFLUENCES",),
    source_kinds: Sequence[str] | None = None,
) -> list[dict[str, Any]]:
    query = chains_query(
        kinds,
        max_length,
        as_of_round,
        from_source=source is not None,
        to_target=target is not None,
        source_kinds=source_kinds is not None,
    )
    return fetch(
        store,
        query,
        CHAIN_FIELDS,
        map_id,
        source=source,
        target=target,
        round=as_of_round,
        source_kinds=list(source_kinds or ()),
    )


class StoreSource:
    """A :class:`queries.source.Source` over one map of the Neo4j store, asked in Cypher.

    ``map_id`` None names the only map of the store; an unknown id is
    :class:`graph.errors.UnknownMap`.
    """

    def __init__(self, store: Neo4jStore, map_id: str | None) -> None:
        self.store = store
        self.map_id = resolve_map(store, map_id)

    def check_round(self, as_of_round: int | None) -> int | None:
        return check_round(self.store, self.map_id, as_of_round)

    def check_node(self, node_id: str, kinds: Sequence[str] = ()) -> str:
        return check_node(self.store, self.map_id, node_id, kinds)

    def outcome(self, target: str | None, as_of_round: int | None) -> str:
        return outcome(self.store, self.map_id, target, as_of_round)

    def rounds(self) -> list[int]:
        return rounds_of(self.store, self.map_id)

    def link_ends(self, kinds: Sequence[str], as_of_round: int | None) -> LinkGraph:
        query = links_query(check_link_kinds(kinds), as_of_round)
        rows = fetch(self.store, query, LINK_FIELDS, self.map_id, round=as_of_round)
        links: dict[str, tuple[str, str, Mapping[str, Any]]] = {
            row["id"]: (row["source"], row["target"], {}) for row in rows
        }
        ends: dict[str, Mapping[str, Any]] = {
            end: {} for source, target, _ in links.values() for end in (source, target)
        }
        return LinkGraph(ends, links)

    def loops(self, max_length: int, as_of_round: int | None) -> list[dict[str, Any]]:
        query = loops_query(max_length, as_of_round)
        return fetch(
            self.store,
            query,
            LOOP_FIELDS,
            self.map_id,
            kinds=list(INFLUENCE_KINDS),
            round=as_of_round,
        )

    def chains(
        self,
        max_length: int,
        as_of_round: int | None,
        *,
        source: str | None = None,
        target: str | None = None,
        kinds: Sequence[str] = ("INFLUENCES",),
        source_kinds: Sequence[str] | None = None,
    ) -> list[dict[str, Any]]:
        return _chains(
            self.store,
            self.map_id,
            max_length,
            as_of_round,
            source=source,
            target=target,
            kinds=check_link_kinds(kinds),
            source_kinds=source_kinds,
        )

    def nodes(
        self,
        kinds: Sequence[str],
        as_of_round: int | None,
        *,
        fields: Sequence[str] = (),
        not_into: Sequence[str] = (),
        ids: Collection[str] | None = None,
    ) -> list[dict[str, Any]]:
        if not_into:
            not_into = check_link_kinds(not_into)
        (answer,) = self.store.run(
            nodes_query(as_of_round, not_into),
            map=self.map_id,
            kinds=list(kinds),
            node_fields=list(fields),
            ids=None if ids is None else list(ids),
            round=as_of_round,
        )
        names = [*NODE_FIELDS, *fields]
        return [dict(zip(names, values, strict=True)) for values in answer["rows"]]

    def links(
        self,
        kinds: Sequence[str],
        as_of_round: int | None,
        *,
        fields: Sequence[str] = (),
        end_fields: Sequence[str] = (),
        source_kinds: Sequence[str] | None = None,
        target_kinds: Sequence[str] | None = None,
        ids: Collection[str] | None = None,
    ) -> list[dict[str, Any]]:
        query = link_rows_query(check_link_kinds(kinds), as_of_round, source_kinds, target_kinds)
        (answer,) = self.store.run(
            query,
            map=self.map_id,
            round=as_of_round,
            link_fields=list(fields),
            end_fields=list(end_fields),
            ids=None if ids is None else list(ids),
        )
        names = link_row_names(fields, end_fields)
        return [dict(zip(names, values, strict=True)) for values in answer["rows"]]

    def _rows(self, query: str, names: Sequence[str], **params: Any) -> list[dict[str, Any]]:
        """The rows of a query that returns one list of values per row, as dicts."""
        (answer,) = self.store.run(query, map=self.map_id, **params)
        return [dict(zip(names, values, strict=True)) for values in answer["rows"]]

    def name(self, node_id: str) -> str:
        (found,) = self.store.run(TARGET_NAME_QUERY, map=self.map_id, id=node_id)
        return str(found["name"])

    def quotes(self, as_of_round: int | None) -> list[dict[str, Any]]:
        return self._rows(quotes_query(as_of_round), QUOTE_FIELDS, round=as_of_round)

    def reviews(self, as_of_round: int | None) -> list[dict[str, Any]]:
        return self._rows(REVIEWS_THAT_COUNT, REVIEW_FIELDS, round=as_of_round)

    def adjustments(self, after: int, upto: int) -> list[dict[str, Any]]:
        return [
            {**row, "subject": tuple(row["subject"]), "prompted_by": tuple(row["prompted_by"])}
            for row in self.store.run(ADJUSTMENTS_QUERY, map=self.map_id, a=after, b=upto)
        ]

    def statements(self) -> list[dict[str, Any]]:
        return self._rows(STATEMENTS, STATEMENT_FIELDS)

    def votes(self, session: str | None = None) -> list[dict[str, Any]]:
        return self._rows(VOTE_RECORDS, VOTE_FIELDS, session=session, counts=list(VOTE_COUNTS))

    def adjusters(self, as_of_round: int | None) -> dict[str, list[str]]:
        found = self.links(("CAN_ADJUST",), as_of_round)
        return adjusters_of((row["source"], row["target"]) for row in found)

    def shortest_paths(
        self, source: str, target: str, kinds: Sequence[str], as_of_round: int | None
    ) -> list[dict[str, Any]]:
        query = shortest_paths_query(check_link_kinds(kinds), as_of_round)
        return fetch(
            self.store,
            query,
            CHAIN_FIELDS,
            self.map_id,
            source=source,
            target=target,
            round=as_of_round,
        )


# --- influence -------------------------------------------------------------------------


def drivers(
    store: Neo4jStore,
    map_id: str | None,
    target: str | None = None,
    max_depth: int = 3,
    *,
    as_of_round: int | None = None,
) -> pd.DataFrame:
    """As :func:`queries.influence.drivers`: every chain of influence into ``target``."""
    return influence_.drivers_in(
        StoreSource(store, map_id), target, max_depth, as_of_round=as_of_round
    )


def driven_by(
    store: Neo4jStore,
    map_id: str | None,
    source: str,
    max_depth: int = 3,
    *,
    as_of_round: int | None = None,
) -> pd.DataFrame:
    """As :func:`queries.influence.driven_by`: every chain of influence out of ``source``."""
    return influence_.driven_by_in(
        StoreSource(store, map_id), source, max_depth, as_of_round=as_of_round
    )


def influence(
    store: Neo4jStore,
    map_id: str | None,
    target: str | None = None,
    source: str | None = None,
    max_depth: int = 3,
    *,
    as_of_round: int | None = None,
) -> pd.DataFrame:
    """As :func:`queries.influence.influence`: chains into ``target`` or out of ``source``."""
    return influence_.influence_in(
        StoreSource(store, map_id), target, source, max_depth, as_of_round=as_of_round
    )


# --- paths -----------------------------------------------------------------------------


def shortest_paths(
    store: Neo4jStore,
    map_id: str | None,
    source: str,
    target: str,
    *,
    kinds: Iterable[str] = ("INFLUENCES",),
    as_of_round: int | None = None,
) -> pd.DataFrame:
    """As :func:`queries.paths.shortest_paths`, with Cypher's ``allShortestPaths``."""
    return paths.shortest_paths_in(
        StoreSource(store, map_id), source, target, kinds=kinds, as_of_round=as_of_round
    )


def all_paths(
    store: Neo4jStore,
    map_id: str | None,
    source: str,
    target: str,
    max_length: int = 4,
    *,
    kinds: Iterable[str] = ("INFLUENCES",),
    as_of_round: int | None = None,
) -> pd.DataFrame:
    """As :func:`queries.paths.all_paths`: every path of at most ``max_length`` links."""
    return paths.all_paths_in(
        StoreSource(store, map_id), source, target, max_length, kinds=kinds, as_of_round=as_of_round
    )


# --- leverage --------------------------------------------------------------------------


def leverage_points(
    store: Neo4jStore,
    map_id: str | None,
    target: str | None = None,
    max_depth: int = 4,
    *,
    as_of_round: int | None = None,
) -> pd.DataFrame:
    """As :func:`queries.leverage.leverage_points`: the chains from factors into
    ``target`` are found in Cypher; their signed strengths are added up per factor in
    the same order as on the SystemMap."""
    return leverage_.leverage_points_in(
        StoreSource(store, map_id), target, max_depth, as_of_round=as_of_round
    )


def centrality(
    store: Neo4jStore, map_id: str | None, *, as_of_round: int | None = None, exact: bool = False
) -> pd.DataFrame:
    """As :func:`queries.leverage.centrality`, estimated on large maps in the same way,
    from the same sample of sources, with the same result.

    Neo4j Community has no betweenness centrality (that takes the Graph Data Science
    library), so the database supplies the graph, not the measure: the actors,
    factors and influence links on the map are read with Cypher, and betweenness is
    computed with the same function as on the SystemMap
    (:func:`queries.leverage.betweenness`) on the client. Reading the graph of a map of
    2,000 nodes and 8,000 influence links takes 100 to 200 ms; the exact
    measure (``exact=True``) over half a second more.
    """
    return leverage_.centrality_in(StoreSource(store, map_id), as_of_round=as_of_round, exact=exact)


# --- loops -----------------------------------------------------------------------------


def loops(
    store: Neo4jStore, map_id: str | None, max_length: int = 6, *, as_of_round: int | None = None
) -> pd.DataFrame:
    """As :func:`queries.loops.loops`: the loops are found in Cypher; what the bound
    leaves out (``attrs["longer_loops"]``) is counted from the influence links."""
    return loops_.loops_in(StoreSource(store, map_id), max_length, as_of_round=as_of_round)


def loop_participation(
    store: Neo4jStore, map_id: str | None, max_length: int = 6, *, as_of_round: int | None = None
) -> pd.DataFrame:
    """As :func:`queries.loops.loop_participation`: per node, the loops it sits in."""
    return loops_.loop_participation_in(
        StoreSource(store, map_id), max_length, as_of_round=as_of_round
    )


# --- statements ------------------------------------------------------------------------


def votes(store: Neo4jStore, map_id: str | None) -> pd.DataFrame:
    """As :func:`queries.statements.votes`: the votes per statement and session."""
    return statements_.votes_in(StoreSource(store, map_id))


def statement_ranking(
    store: Neo4jStore, map_id: str | None, session: str | None = None
) -> pd.DataFrame:
    """As :func:`queries.statements.statement_ranking`: statements by priority votes."""
    return statements_.statement_ranking_in(StoreSource(store, map_id), session)


# --- social map ------------------------------------------------------------------------


def by_factor(
    store: Neo4jStore, map_id: str | None, *, as_of_round: int | None = None
) -> pd.DataFrame:
    """As :func:`queries.social_map.by_factor`: who works on each factor."""
    return social_map.by_factor_in(StoreSource(store, map_id), as_of_round=as_of_round)


def by_place(
    store: Neo4jStore, map_id: str | None, *, as_of_round: int | None = None
) -> pd.DataFrame:
    """As :func:`queries.social_map.by_place`: the initiatives at each place."""
    return social_map.by_place_in(StoreSource(store, map_id), as_of_round=as_of_round)


def unaddressed_factors(
    store: Neo4jStore, map_id: str | None, *, as_of_round: int | None = None
) -> pd.DataFrame:
    """As :func:`queries.social_map.unaddressed_factors`: factors no initiative addresses."""
    return social_map.unaddressed_factors_in(StoreSource(store, map_id), as_of_round=as_of_round)


def missing_cooperation(
    store: Neo4jStore, map_id: str | None, *, as_of_round: int | None = None
) -> pd.DataFrame:
    """As :func:`queries.social_map.missing_cooperation`: parties on the same factor that
    do not work together."""
    return social_map.missing_cooperation_in(StoreSource(store, map_id), as_of_round=as_of_round)


# --- evidence --------------------------------------------------------------------------


def link_evidence(
    store: Neo4jStore, map_id: str | None, *, as_of_round: int | None = None
) -> pd.DataFrame:
    """As :func:`queries.evidence.link_evidence`: what each link rests on."""
    return evidence_.evidence_in(StoreSource(store, map_id), as_of_round=as_of_round)


def single_source_links(
    store: Neo4jStore, map_id: str | None, *, as_of_round: int | None = None
) -> pd.DataFrame:
    """As :func:`queries.evidence.single_source_links`: links on one source or none."""
    return evidence_.single_source_links_in(StoreSource(store, map_id), as_of_round=as_of_round)


def untested_hypotheses(
    store: Neo4jStore, map_id: str | None, *, as_of_round: int | None = None
) -> pd.DataFrame:
    """As :func:`queries.evidence.untested_hypotheses`: hypotheses no group has reviewed."""
    return evidence_.untested_hypotheses_in(StoreSource(store, map_id), as_of_round=as_of_round)


# --- perspectives ----------------------------------------------------------------------


def group_emphasis(
    store: Neo4jStore,
    map_id: str | None,
    group: str | None = None,
    *,
    as_of_round: int | None = None,
) -> pd.DataFrame:
    """As :func:`queries.perspectives.group_emphasis`: what each group's quotes and
    reviews are about."""
    return perspectives.group_emphasis_in(
        StoreSource(store, map_id), group, as_of_round=as_of_round
    )


# --- the cycle -------------------------------------------------------------------------


def link_status(
    store: Neo4jStore, map_id: str | None, as_of_round: int | None = None
) -> pd.DataFrame:
    """As :func:`queries.status.link_status`: the links and reviews that count are read
    in Cypher; the status rule, written once, sums them up."""
    return status_.link_status_in(StoreSource(store, map_id), as_of_round)


def diff(store: Neo4jStore, map_id: str | None, a: int, b: int) -> pd.DataFrame:
    """As :func:`queries.changes.diff`: round filters, adjustments and reviews in Cypher."""
    return changes_.diff_in(StoreSource(store, map_id), a, b)


def leverage_moves(
    store: Neo4jStore,
    map_id: str | None,
    a: int,
    b: int,
    target: str | None = None,
    max_depth: int = 4,
) -> pd.DataFrame:
    """As :func:`queries.changes.leverage_moves`: the chains of each round found in
    Cypher."""
    return changes_.leverage_moves_in(StoreSource(store, map_id), a, b, target, max_depth)


def loop_moves(
    store: Neo4jStore, map_id: str | None, a: int, b: int, max_length: int = 6
) -> pd.DataFrame:
    """As :func:`queries.changes.loop_moves`: the loops of each round found in Cypher."""
    return changes_.loop_moves_in(StoreSource(store, map_id), a, b, max_length)


def agenda(
    store: Neo4jStore,
    map_id: str | None,
    as_of_round: int | None = None,
    *,
    target: str | None = None,
    max_depth: int = 4,
    kinds: Sequence[str] = TESTED_KINDS,
) -> pd.DataFrame:
    """As :func:`queries.agenda.agenda`: statuses, chains and knobs read in Cypher."""
    return agenda_.agenda_in(
        StoreSource(store, map_id), as_of_round, target=target, max_depth=max_depth, kinds=kinds
    )


# --- knoppen and archetypes: read here, computed in their families ------------------
# (their answers join QUERIES in queries/__init__.py: importing those families here
# would close a circle, since they read the store through this module)

OBSERVATIONS_QUERY = (
    "MATCH (r:Record:Observation {map: $map}) WITH r ORDER BY r.seq "
    "RETURN r.id AS id, r.source AS source, r.target AS target, r.sign AS sign"
)


def observations(store: Neo4jStore, map_id: str) -> list[dict[str, Any]]:
    """The map's observations (its ``waarnemingen``) in order, for :mod:`queries.knoppen`."""
    return store.run(OBSERVATIONS_QUERY, map=map_id)


def consensus(
    store: Neo4jStore, map_id: str | None, as_of_round: int | None = None
) -> pd.DataFrame:
    """As :func:`queries.consensus.consensus`: the links, reviews and votes read in
    Cypher, the consensus computed by the same :func:`queries.consensus.consensus_in`."""
    return consensus_.consensus_in(StoreSource(store, map_id), as_of_round)


#: The main question of each family, as :data:`queries.QUERIES` names them.
QUERIES: dict[str, Callable[..., pd.DataFrame]] = {
    "influence": influence,
    "paths": all_paths,
    "leverage": leverage_points,
    "loops": loops,
    "statements": statement_ranking,
    "social-map": by_factor,
    "evidence": link_evidence,
    "perspectives": group_emphasis,
    "status": link_status,
    "diff": diff,
    "leverage-moves": leverage_moves,
    "loop-moves": loop_moves,
    "agenda": agenda,
    "consensus": consensus,
}
