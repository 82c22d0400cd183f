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

The Cypher of the questions is in :mod:`graph.cypher`, with all the project's other
Cypher; this module asks it, and only :mod:`graph.store` talks to the driver
(:meth:`Neo4jStore.run`). Values travel as parameters. Three things cannot: the bounds
of a variable-length pattern (Cypher takes no parameter there), relationship types and
labels; this module checks them (a whole number of at least 1, a link or node kind of
the schema) before :mod:`graph.cypher` writes them into the text.

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

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import pandas as pd

from graph import cycle, schema
from graph.building import without_cycle_collection
from graph.cycle import (
    choose_outcome,
)
from graph.cypher import (
    ADJUSTMENTS_QUERY,
    CHAIN_FIELDS,
    CONSTANTS,
    NODE_FIELDS,
    NODE_IDS,
    NODE_KIND,
    OBSERVATIONS_QUERY,
    REVIEWS_THAT_COUNT,
    ROUNDS_QUERY,
    STATEMENTS,
    TARGET_NAME_QUERY,
    VOTE_RECORDS,
    chains_query,
    link_rows_query,
    links_query,
    loops_query,
    nodes_query,
    outcome_query,
    quotes_query,
    shortest_paths_query,
)
from graph.vocabulary import LinkKind, Review
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
    return cycle.check_node_kind(node_id, found[0]["kind"], kinds)


def adjusters(store: Neo4jStore, map_id: str, as_of_round: int | None) -> dict[str, list[str]]:
    """As :func:`queries._common.adjusters`, on the store."""
    return StoreSource(store, map_id).adjusters(as_of_round)


def _node_kinds(kinds: Sequence[str] | None) -> Sequence[str] | None:
    """``kinds`` (None: any) if each is a node kind of the schema; else QueryError."""
    for kind in kinds or ():
        if kind not in schema.NODE_KINDS_ALL:
            raise unknown("node kind", kind, schema.NODE_KINDS_ALL)
    return kinds


def _chains(
    store: Neo4jStore,
    map_id: str,
    max_length: int,
    as_of_round: int | None,
    *,
    source: str | None = None,
    target: str | None = None,
    kinds: Sequence[str] = (LinkKind.INFLUENCES,),
    source_kinds: Sequence[str] | None = None,
) -> list[dict[str, Any]]:
    query = chains_query(
        kinds,
        check_positive("the maximum length", max_length),
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


#: The data of a node or link read only for its ends and id (:meth:`StoreSource.link_ends`).
_NO_DATA: Mapping[str, Any] = MappingProxyType({})


class StoreSource:
    """A :class:`queries.source.Source` over one map of the Neo4j store, asked in Cypher.

    ``map_id`` None names the only map of the store; an unknown id is
    :class:`graph.errors.UnknownMap`. The reads that bring many rows build them with
    the cycle collector paused (:func:`graph.building.without_cycle_collection`): tens
    of thousands of small lists and dicts, none of them garbage.
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

    @without_cycle_collection
    def link_ends(self, kinds: Sequence[str], as_of_round: int | None) -> LinkGraph:
        query = links_query(check_link_kinds(kinds), as_of_round)
        (answer,) = self.store.run(query, map=self.map_id, round=as_of_round)
        # only the ends and ids are promised: every link and node shares one empty data
        links: dict[str, tuple[str, str, Mapping[str, Any]]] = {
            link_id: (source, target, _NO_DATA) for link_id, source, target in answer["rows"]
        }
        ends: dict[str, Mapping[str, Any]] = dict.fromkeys(
            (end for source, target, _ in links.values() for end in (source, target)), _NO_DATA
        )
        return LinkGraph(ends, links)

    @without_cycle_collection
    def link_pairs(self, kinds: Sequence[str], as_of_round: int | None) -> list[tuple[str, str]]:
        query = links_query(check_link_kinds(kinds), as_of_round, ids=False)
        (answer,) = self.store.run(query, map=self.map_id, round=as_of_round)
        return [(source, target) for source, target in answer["rows"]]

    @without_cycle_collection
    def loops(self, max_length: int, as_of_round: int | None) -> list[dict[str, Any]]:
        query = loops_query(
            check_positive("the maximum length", max_length), as_of_round, LOOP_FIELDS
        )
        return fetch(
            self.store,
            query,
            LOOP_FIELDS,
            self.map_id,
            kinds=list(INFLUENCE_KINDS),
            round=as_of_round,
        )

    @without_cycle_collection
    def chains(
        self,
        max_length: int,
        as_of_round: int | None,
        *,
        source: str | None = None,
        target: str | None = None,
        kinds: Sequence[str] = (LinkKind.INFLUENCES,),
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

    @without_cycle_collection
    def nodes(
        self,
        kinds: Sequence[str],
        as_of_round: int | None,
        *,
        fields: Sequence[str] = (),
        not_into: Sequence[str] = (),
        ids: Collection[str] | None = None,
        sources_of: Sequence[str] = (),
    ) -> list[dict[str, Any]]:
        if not_into:
            not_into = check_link_kinds(not_into)
        if sources_of:
            sources_of = check_link_kinds(sources_of)
        (answer,) = self.store.run(
            nodes_query(
                as_of_round,
                not_into,
                sources_of,
                kinds=_node_kinds(kinds),
                by_ids=ids is not None,
                fields=fields,
            ),
            map=self.map_id,
            kinds=list(kinds),
            ids=None if ids is None else list(ids),
            round=as_of_round,
        )
        names = [*NODE_FIELDS, *fields, *(("sources",) if sources_of else ())]
        rows = [dict(zip(names, values, strict=True)) for values in answer["rows"]]
        if sources_of:
            for row in rows:
                row["sources"].sort()
        return rows

    @without_cycle_collection
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
        query = link_rows_query(
            check_link_kinds(kinds),
            as_of_round,
            _node_kinds(source_kinds),
            _node_kinds(target_kinds),
            by_ids=ids is not None,
            fields=fields,
            end_fields=end_fields,
        )
        (answer,) = self.store.run(
            query,
            map=self.map_id,
            round=as_of_round,
            ids=None if ids is None else list(ids),
        )
        names = link_row_names(fields, end_fields)
        return [dict(zip(names, values, strict=True)) for values in answer["rows"]]

    @without_cycle_collection
    def _rows(self, query: str, names: Sequence[str], **params: Any) -> list[dict[str, Any]]:
        """The rows of a query that returns one list of values per row, as dicts."""
        (answer,) = self.store.run(query, map=self.map_id, **params)
        return [dict(zip(names, values, strict=True)) for values in answer["rows"]]

    def name(self, node_id: str) -> str:
        (found,) = self.store.run(TARGET_NAME_QUERY, map=self.map_id, id=node_id)
        return str(found["name"])

    def quotes(self, as_of_round: int | None) -> list[dict[str, Any]]:
        return self._rows(quotes_query(as_of_round), QUOTE_FIELDS, round=as_of_round)

    @without_cycle_collection
    def reviews(self, as_of_round: int | None) -> list[Review]:
        rows = self._rows(REVIEWS_THAT_COUNT, REVIEW_FIELDS, round=as_of_round)
        return [Review.from_row(row) for row in rows]

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
        found = self.links((LinkKind.CAN_ADJUST,), as_of_round)
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
    kinds: Iterable[str] = (LinkKind.INFLUENCES,),
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
    kinds: Iterable[str] = (LinkKind.INFLUENCES,),
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
