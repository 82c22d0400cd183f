"""The project's Cypher: every statement the store writes and reads, and every read of
the questions, with the parameters each takes.

Nothing here talks to the database. :mod:`graph.store` runs these statements (the
driver, sessions, transactions, batching and errors are its part) and
:mod:`queries.cypher` asks the questions' reads through it; both take their text from
here, so the layout of a map in the database (see :mod:`graph.store`) is spelled in one
file.

Values travel as parameters (``$map``, ``$round``...), never in the text. Three things
cannot: the bounds of a variable-length pattern (Cypher takes no parameter there),
relationship types and labels. The functions that write them into the text take them
checked (a whole number of at least 1, a link or node kind of the schema) from their
callers: :mod:`queries.cypher` checks what a question is asked, with the errors of
:mod:`queries`; the store writes the kinds and labels of the schema.

**The store's statements** (:mod:`graph.store`): every one takes ``$map``, the map's
id, unless said otherwise; the reads that send many rows send them in lists of
``$chunk`` rows.

**The questions' reads** (:mod:`queries.cypher`): every one takes ``$map``; one that
takes ``as_of_round`` also takes ``$round`` (the round, or null for the map as it is
now); a chain or loop read also takes :data:`CONSTANTS` (``$signs``, ``$plus``,
``$minus``). Most return their rows as one list of lists (:func:`collect_rows`), whose
fields are named beside them (:data:`CHAIN_FIELDS`, :data:`LINK_FIELDS`...).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

from graph import schema
from graph.vocabulary import Status

# --- the store: the schema ------------------------------------------------------------

#: The uniqueness constraints of the layout, each created if it does not exist yet (no
#: parameters).
CONSTRAINTS = (
    "CREATE CONSTRAINT map_id IF NOT EXISTS FOR (m:Map) REQUIRE m.id IS UNIQUE",
    "CREATE CONSTRAINT node_map_id IF NOT EXISTS FOR (n:Node) REQUIRE (n.map, n.id) IS UNIQUE",
    "CREATE CONSTRAINT record_map_key IF NOT EXISTS "
    "FOR (r:Record) REQUIRE (r.map, r.table, r.key) IS UNIQUE",
    *(
        f"CREATE CONSTRAINT link_{kind.lower()}_map_id IF NOT EXISTS "
        f"FOR ()-[r:{kind}]-() REQUIRE (r.map, r.id) IS UNIQUE"
        for kind in schema.LINK_KINDS
    ),
)


# --- the store: a map's lock and version ----------------------------------------------

# The lock a transaction takes on a map before anything else (see the module's
# description): setting a property takes the node's write lock, held to the end of the
# transaction; ``SET m = $props`` drops the property again before a commit. The
# version is read by a statement of its own after the lock, never with it: a property
# read by the statement that takes the lock may be one read before the lock was had.
LOCK_NEW_MAP = "MERGE (m:Map {id: $map}) SET m._lock = true"
LOCK_MAP = "MATCH (m:Map {id: $map}) SET m._lock = true"
MAP_VERSION = "MATCH (m:Map {id: $map}) RETURN coalesce(m.version, 0) AS version"
#: ``$props``: every property of the Map node (the store's and the map's).
SET_MAP = "MATCH (m:Map {id: $map}) SET m = $props"

# --- the store: writing a map ---------------------------------------------------------

# What the database holds of a map, as [id, kind, element id, properties] rows and so
# on, sent back in lists of $chunk rows: one message per list, not one per row.
_IN_CHUNKS = "UNWIND range(0, size(rows) - 1, $chunk) AS i RETURN rows[i..i + $chunk] AS rows"
EXISTING_NODES = (
    "MATCH (n:Node {map: $map}) "
    "WITH collect([n.id, n.kind, elementId(n), properties(n)]) AS rows " + _IN_CHUNKS
)
EXISTING_LINKS = (
    "MATCH (a:Node {map: $map})-[r]->(b:Node {map: $map}) WHERE r.map = $map "
    "WITH collect([r.id, type(r), a.id, b.id, elementId(r), properties(r)]) AS rows " + _IN_CHUNKS
)
EXISTING_RECORDS = (
    "MATCH (r:Record {map: $map}) "
    "WITH collect([r.table, r.key, elementId(r), properties(r)]) AS rows " + _IN_CHUNKS
)
#: ``$eids``: the element ids of the nodes (with their links) or links to remove.
DELETE_NODES = "UNWIND $eids AS eid MATCH (n) WHERE elementId(n) = eid DETACH DELETE n"
DELETE_LINKS = "UNWIND $eids AS eid MATCH ()-[r]->() WHERE elementId(r) = eid DELETE r"
#: ``$rows``: {eid, props} per element to rewrite: its element id, all its properties.
UPDATE_NODES = "UNWIND $rows AS row MATCH (n) WHERE elementId(n) = row.eid SET n = row.props"
UPDATE_LINKS = "UNWIND $rows AS row MATCH ()-[r]->() WHERE elementId(r) = row.eid SET r = row.props"


def _read(var: str, keys: Sequence[str]) -> str:
    """``, a.`x`, a.`y```: the properties ``keys`` of ``var`` read one by one, written
    into the statement rather than looked up by name for every row."""
    return "".join(", {}.`{}`".format(var, key.replace("`", "``")) for key in keys)


def _property_map(keys: list[str], first: int = 0) -> str:
    """``{map: $map, `a`: row[0], `b`: row[1], ...}`` for positional rows.

    A key whose value in a row is null is not set on that element (CREATE skips
    nulls), so one statement serves elements with different fields."""
    fields = "".join(
        ", `{}`: row[{}]".format(key.replace("`", "``"), i) for i, key in enumerate(keys, first)
    )
    return "{map: $map" + fields + "}"


def create_elements(
    nodes: list[tuple[str, list[str]]],
    links: list[tuple[str, list[str]]],
    *,
    known: bool,
    returns: bool,
) -> str:
    """One statement that creates new elements together.

    - ``nodes``: (labels, keys) per group, such as ``("Node:Factor", [...])``; the rows
      of group ``i`` come in ``$nodes<i>`` as lists of the values of its keys;
    - ``known``: whether nodes made before (in the database already, or by an earlier
      statement of the load) are found first, by element id, from ``$known``;
    - ``links``: (kind, keys) per group; the rows of group ``i`` come in ``$links<i>``
      as [source, target, values of keys...], their ends given by position in the
      known nodes followed by the nodes this statement creates. So no index is
      searched for a link's ends, and each known node is found once per statement
      rather than once per link end.

    It returns how many known nodes were found and, if ``returns``, the element ids
    of the nodes it created, in the rows' order; when a known node is missing it makes
    nothing and returns no row, and the load stops.
    """
    parts = []
    if known:
        parts.append(
            "CALL () { UNWIND $known AS eid MATCH (n) WHERE elementId(n) = eid "
            "RETURN collect(n) AS known } "
            # the rest runs only if every one was found (else no row, and nothing is made)
            "WITH known WHERE size(known) = size($known)"
        )
    for i, (labels, keys) in enumerate(nodes):
        parts.append(
            f"CALL () {{ UNWIND $nodes{i} AS row CREATE (n:{labels} {_property_map(keys)}) "
            f"RETURN collect(n) AS nodes{i} }}"
        )
    created = " + ".join(f"nodes{i}" for i in range(len(nodes))) or "[]"
    parts.append(f"WITH {'known' if known else '[]'} AS known, {created} AS created")
    if links:
        parts.append("WITH known, created, known + created AS ends")
    for i, (kind, keys) in enumerate(links):
        parts.append(
            f"CALL (ends) {{ UNWIND $links{i} AS row WITH ends[row[0]] AS a, ends[row[1]] AS b, "
            f"row CREATE (a)-[:{kind} {_property_map(keys, 2)}]->(b) }}"
        )
    made = "[n IN created | elementId(n)]" if returns else "[]"
    parts.append(f"RETURN size(known) AS known, {made} AS created")
    return " ".join(parts)


# --- the store: reading and removing maps ---------------------------------------------

READ_MAP = "MATCH (m:Map {id: $map}) RETURN properties(m) AS props"
READ_NODES = (
    "MATCH (n:Node {map: $map}) WITH n ORDER BY n.seq "
    "WITH collect(properties(n)) AS rows " + _IN_CHUNKS
)
READ_LINKS = (
    "MATCH (a:Node {map: $map})-[r]->(b:Node {map: $map}) "
    "WHERE r.map = $map AND r.derived IS NULL "
    "WITH r, a, b ORDER BY r.seq "
    "WITH collect([type(r), a.id, b.id, properties(r)]) AS rows " + _IN_CHUNKS
)
READ_RECORDS = (
    "MATCH (r:Record {map: $map}) WITH r ORDER BY r.seq "
    "WITH collect(properties(r)) AS rows " + _IN_CHUNKS
)
# (no parameters) a map being deleted by someone else as the list is read shows no
# id: it is gone
LIST_MAPS = (
    "MATCH (m:Map) WITH m, m.id AS id WHERE id IS NOT NULL RETURN id, m.name AS name ORDER BY id"
)
#: One map's nodes and records, in transactions of their own (run outside one).
DELETE_MAP = (
    "MATCH (n) WHERE (n:Node OR n:Record) AND n.map = $map "
    "CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS"
)
DELETE_MAP_NODE = "MATCH (m:Map {id: $map}) DELETE m"
COUNT = (
    "MATCH (n) WHERE n.map = $map WITH count(n) AS nodes "
    "OPTIONAL MATCH ()-[r]->() WHERE r.map = $map RETURN nodes, count(r) AS links"
)
#: Whether the server answers a query (no parameters).
ANSWERS = "RETURN 1 AS ok"


# --- the questions: parameters and building blocks ------------------------------------

#: Parameters every query may use: the schema's constants, never written into the text.
CONSTANTS = {
    "signs": list(schema.SIGNS),
    "plus": "+",
    "minus": "-",
    "hypothesis": Status.HYPOTHESIS.value,
    "arrow": " → ",
}


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
    record per row; :func:`queries.cypher.fetch` turns it back into dicts.
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
    from nodes of a kind in ``$source_kinds``. The kinds are checked link kinds and
    ``max_length`` a checked bound; the rows are lists of :data:`CHAIN_FIELDS`.

    >>> print(chains_query(["INFLUENCES"], 3, None, from_source=False, to_target=True)
    ...       .splitlines()[1])
    MATCH p = (s:Node {map: $map})-[:INFLUENCES*1..3]->(t:Node {map: $map, id: $target})
    """
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


def loops_query(max_length: int, as_of_round: int | None, fields: Sequence[str]) -> str:
    """Every loop of ``INFLUENCES`` links (1 to ``max_length`` of them, a checked bound)
    through nodes of ``$kinds`` that visits no node twice, once, starting at its smallest
    node id; the rows are lists of ``fields``, among members, names, kinds, links,
    length, sign, strength and weights_known (as :data:`queries._common.LOOP_FIELDS`).

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
{collect_rows(fields)}
"""


NODE_FIELDS = ("id", "kind", "name")


def nodes_query(
    as_of_round: int | None,
    not_into: Sequence[str] = (),
    sources_of: Sequence[str] = (),
    *,
    kinds: Sequence[str] | None = None,
    by_ids: bool = False,
    fields: Sequence[str] = (),
) -> str:
    """The nodes of ``$kinds`` on the map (that no link of ``not_into`` on the map leads
    into, when given; with ``by_ids``, of ``$ids``): for each, one list of its id, kind,
    name and the values of its ``fields``, then (with ``sources_of``) the ids of the
    nodes on the map whose links of those kinds on the map lead into it.

    ``kinds`` (checked node kinds, those of ``$kinds``) are written as labels too, and
    the ids are asked only when given, so that the database finds the nodes by label
    or by index rather than reading every node of the map."""
    reached = ""
    if not_into:
        reached = f"""
  AND NOT EXISTS {{
    MATCH (m:Node {{map: $map}})-[r:{_types(not_into)}]->(n)
    WHERE r.map = $map AND {_on_map_all("m r", as_of_round)}
  }}"""
    sources = ""
    if sources_of:
        sources = f""" + [COLLECT {{
    MATCH (s:Node {{map: $map}})-[c:{_types(sources_of)}]->(n)
    WHERE c.map = $map AND {_on_map_all("s c", as_of_round)}
    RETURN DISTINCT s.id
  }}]"""
    ids = "n.id IN $ids AND " if by_ids else ""
    return f"""
MATCH (n:Node {{map: $map}})
WHERE {ids}{_labels("n", kinds)} AND n.kind IN $kinds AND {on_map("n", as_of_round)}{reached}
RETURN collect([n.id, n.kind, n.name{_read("n", fields)}]{sources}) AS rows
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
RETURN collect([v.id, v.link, v.round, v.group, v.verdict, v.session, v.note, v.weight]) AS rows
"""

LINK_FIELDS = ("id", "source", "target")


def links_query(kinds: Sequence[str], as_of_round: int | None, *, ids: bool = True) -> str:
    """The links of ``kinds`` on the map, between nodes on the map: one list of id,
    source and target a link (:data:`LINK_FIELDS`); without ``ids``, of source and
    target only (the links' ids are then neither read nor sent)."""
    return f"""
MATCH (a:Node {{map: $map}})-[r:{_types(kinds)}]->(b:Node {{map: $map}})
WHERE r.map = $map AND {_on_map_all("a r b", as_of_round)}
RETURN collect([{"r.id, " if ids else ""}a.id, b.id]) AS rows
"""


def _labels(var: str, kinds: Sequence[str] | None) -> str:
    """Cypher for "``var`` is a node of one of ``kinds``" (true when None), by its labels,
    from node kinds already checked on the schema."""
    if kinds is None:
        return "true"
    return f"{var}:{'|'.join(dict.fromkeys(kinds))}" if kinds else "false"


def link_rows_query(
    kinds: Sequence[str],
    as_of_round: int | None,
    source_kinds: Sequence[str] | None = None,
    target_kinds: Sequence[str] | None = None,
    *,
    by_ids: bool = False,
    fields: Sequence[str] = (),
    end_fields: Sequence[str] = (),
) -> str:
    """The links of ``kinds`` on the map, between nodes on the map, out of a node of
    ``source_kinds`` and into one of ``target_kinds`` (when given, checked node kinds),
    with ``by_ids`` of ``$ids`` (asked only then, so that the database can find them by
    their index): for each, one list
    of the values :func:`queries.source.link_row_names` names, for the link's
    ``fields`` and its ends' ``end_fields``. (One list a link, not one per part
    of it: the rows reach Python faster.)"""
    values = _read("r", fields) + _read("a", end_fields) + _read("b", end_fields)
    return f"""
MATCH (a:Node {{map: $map}})-[r:{_types(kinds)}]->(b:Node {{map: $map}})
WHERE r.map = $map{" AND r.id IN $ids" if by_ids else ""}
  AND {_labels("a", source_kinds)} AND {_labels("b", target_kinds)}
  AND {_on_map_all("a r b", as_of_round)}
RETURN collect([r.id, type(r), a.id, b.id{values}]) AS rows
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


# --- the questions: the twins of graph.cycle's rules ----------------------------------


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


#: The adjustments of the rounds after ``$a`` up to ``$b``, as recorded.
ADJUSTMENTS_QUERY = (
    "MATCH (r:Record:Adjustment {map: $map}) WHERE $a < r.round <= $b "
    "RETURN r.id AS id, r.round AS round, r.adjustment_kind AS adjustment_kind, "
    "r.subject AS subject, r.reason AS reason, coalesce(r.prompted_by, []) AS prompted_by "
    "ORDER BY r.seq"
)
TARGET_NAME_QUERY = "MATCH (n:Node {map: $map, id: $id}) RETURN n.name AS name"


# --- the questions: knoppen -----------------------------------------------------------

#: The map's observations (its ``waarnemingen``) in order.
OBSERVATIONS_QUERY = (
    "MATCH (r:Record:Observation {map: $map}) WITH r ORDER BY r.seq "
    "RETURN r.id AS id, r.source AS source, r.target AS target, r.sign AS sign"
)
