"""The Neo4j store: the shared system of record for one or more system maps.

Layout in the database (every element carries the ``map`` id, so several maps live
in one database without mixing):

- ``(:Map {id, name, ...})`` for each map;
- ``(:Node:<Kind> {map, id, kind, name, seq, ...fields})`` for each node;
- ``(a)-[:<LINK_KIND> {map, id, seq, ...fields}]->(b)`` for each link, including
  the derived ``ABOUT`` and ``SAID_IN`` links (marked ``derived: true``);
- ``(:Record:<Kind> {map, table, key, seq, ...fields})`` for rounds, votes, reviews...

A load validates nothing itself (the loaders do, before) and is all or nothing: it
runs in one transaction that either commits the whole map or leaves the database as
it was. Loading the same map twice changes nothing; loading a changed map makes the
database equal to it (elements the new map lacks are removed).

Connection settings come from arguments or the environment: ``NEO4J_URI``,
``NEO4J_USERNAME``, ``NEO4J_PASSWORD``, ``NEO4J_DATABASE``. Every call names the
database. ``bolt://``, ``neo4j://`` and ``neo4j+s://`` URIs all work, so the same
code talks to a local server, a cluster or Aura.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import neo4j
from neo4j import exceptions as neo4j_errors

from graph import schema
from graph.model import SystemMap

DEFAULT_URI = "bolt://127.0.0.1:7687"
DEFAULT_USER = "neo4j"
DEFAULT_DATABASE = "neo4j"
BATCH_SIZE = 5_000

#: What the driver raises when the server, the network or the request fails.
DRIVER_ERRORS = (neo4j_errors.Neo4jError, neo4j_errors.DriverError, OSError)

#: Progress callback: (elements written so far, elements in all).
Progress = Callable[[int, int], None]


class StoreError(RuntimeError):
    """A problem talking to Neo4j, in one line that says what to check."""


@dataclass(frozen=True)
class LoadReport:
    """What a load did: elements written and stale ones removed."""

    map_id: str
    nodes: int
    links: int
    records: int
    removed: int


# --- all Cypher in one place ---------------------------------------------------------

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

MERGE_MAP = "MERGE (m:Map {id: $map}) SET m = $props"

EXISTING_NODES = "MATCH (n:Node {map: $map}) RETURN n.id AS id, n.kind AS kind, elementId(n) AS eid"
EXISTING_LINKS = (
    "MATCH (a:Node {map: $map})-[r]->(b:Node {map: $map}) WHERE r.map = $map "
    "RETURN r.id AS id, type(r) AS kind, a.id AS source, b.id AS target, elementId(r) AS eid"
)
EXISTING_RECORDS = (
    "MATCH (r:Record {map: $map}) RETURN r.table AS table, r.key AS key, elementId(r) AS eid"
)
DELETE_NODES = "UNWIND $eids AS eid MATCH (n) WHERE elementId(n) = eid DETACH DELETE n"
DELETE_LINKS = "UNWIND $eids AS eid MATCH ()-[r]->() WHERE elementId(r) = eid DELETE r"


def merge_nodes(kind: str) -> str:
    """MERGE one batch of nodes of ``kind`` on (map, id), replacing their properties."""
    return (
        f"UNWIND $rows AS row MERGE (n:Node {{map: $map, id: row.id}}) SET n = row.props, n:{kind}"
    )


def merge_links(kind: str) -> str:
    """MERGE one batch of links of ``kind`` on (map, id), replacing their properties."""
    return (
        "UNWIND $rows AS row "
        "MATCH (a:Node {map: $map, id: row.source}) "
        "MATCH (b:Node {map: $map, id: row.target}) "
        f"MERGE (a)-[r:{kind} {{map: $map, id: row.id}}]->(b) "
        "SET r = row.props"
    )


def merge_records(kind: str) -> str:
    return (
        "UNWIND $rows AS row "
        "MERGE (r:Record {map: $map, table: row.table, key: row.key}) "
        f"SET r = row.props, r:{kind}"
    )


READ_MAP = "MATCH (m:Map {id: $map}) RETURN properties(m) AS props"
READ_NODES = "MATCH (n:Node {map: $map}) RETURN properties(n) AS props ORDER BY n.seq"
READ_LINKS = (
    "MATCH (a:Node {map: $map})-[r]->(b:Node {map: $map}) "
    "WHERE r.map = $map AND r.derived IS NULL "
    "RETURN type(r) AS kind, a.id AS source, b.id AS target, properties(r) AS props "
    "ORDER BY r.seq"
)
READ_RECORDS = "MATCH (r:Record {map: $map}) RETURN properties(r) AS props ORDER BY r.seq"
LIST_MAPS = "MATCH (m:Map) RETURN m.id AS id, m.name AS name ORDER BY m.id"
DELETE_MAP = (
    "MATCH (n) WHERE (n:Node OR n:Record) AND n.map = $map "
    "CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS"
)
DELETE_MAP_NODE = "MATCH (m:Map {id: $map}) DELETE m"
COUNT = (
    "MATCH (n) WHERE n.map = $map WITH count(n) AS nodes "
    "OPTIONAL MATCH ()-[r]->() WHERE r.map = $map RETURN nodes, count(r) AS links"
)


# --- values between the model and the database ---------------------------------------


def _to_db(value: Any) -> Any:
    if isinstance(value, tuple):
        return list(value)
    return value


def _from_db(value: Any) -> Any:
    if isinstance(value, list):
        return tuple(value)
    if hasattr(value, "to_native") and not isinstance(value, dt.date):
        return value.to_native()
    return value


def _props(base: dict[str, Any], fields: dict[str, Any] | Any) -> dict[str, Any]:
    out = dict(base)
    for name, value in fields.items():
        out[name] = _to_db(value)
    return out


def record_key(table: schema.Table, row: dict[str, Any]) -> str:
    """The key of a record row as one string (``"3"``, ``"stelling-a|kick-off"``)."""
    return "|".join(str(row.get(k, "")) for k in table.key)


# --- the store -----------------------------------------------------------------------


class Neo4jStore:
    """A connection to one Neo4j database holding system maps.

    >>> store = Neo4jStore("bolt://127.0.0.1:1", password="x")  # connects lazily
    >>> store.uri
    'bolt://127.0.0.1:1'
    """

    def __init__(
        self,
        uri: str | None = None,
        user: str | None = None,
        password: str | None = None,
        database: str | None = None,
    ) -> None:
        self.uri = uri or os.environ.get("NEO4J_URI") or DEFAULT_URI
        self.user = user or os.environ.get("NEO4J_USERNAME") or DEFAULT_USER
        self.database = database or os.environ.get("NEO4J_DATABASE") or DEFAULT_DATABASE
        secret = password if password is not None else os.environ.get("NEO4J_PASSWORD", "")
        try:
            self._driver = neo4j.GraphDatabase.driver(
                self.uri,
                auth=(self.user, secret),
                connection_timeout=10,
                notifications_min_severity=neo4j.NotificationMinimumSeverity.OFF,
            )
        except (ValueError, neo4j_errors.ConfigurationError) as e:
            raise StoreError(
                f"not a Neo4j URI: {self.uri!r} ({e}); use bolt://, neo4j:// or neo4j+s://"
            ) from e
        self._schema_ready = False

    def close(self) -> None:
        self._driver.close()

    def __enter__(self) -> Neo4jStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- errors ----------------------------------------------------------------------

    def _explain(self, e: Exception) -> StoreError:
        """The driver's error as one line that says what to check."""
        if isinstance(e, neo4j_errors.AuthError):
            return StoreError(
                f"Neo4j at {self.uri} refused user {self.user!r}: check the user name and "
                "password (NEO4J_USERNAME, NEO4J_PASSWORD)"
            )
        code = getattr(e, "code", "") or ""
        if "DatabaseNotFound" in code:
            return StoreError(
                f"Neo4j at {self.uri} has no database {self.database!r}: check NEO4J_DATABASE "
                "(Community edition has only 'neo4j')"
            )
        if isinstance(e, neo4j_errors.ServiceUnavailable | OSError):
            return StoreError(
                f"cannot reach Neo4j at {self.uri}: is the server running? (check NEO4J_URI; "
                "a local one starts with scripts/neo4j-local start)"
            )
        message = getattr(e, "message", None) or str(e)
        return StoreError(f"Neo4j at {self.uri}: {message.splitlines()[0] if message else e!r}")

    def run(self, query: str, **params: Any) -> list[dict[str, Any]]:
        """Run one read query on the store's database; rows as dicts."""
        try:
            records, _, _ = self._driver.execute_query(
                query, params, database_=self.database, routing_=neo4j.RoutingControl.READ
            )
        except DRIVER_ERRORS as e:
            raise self._explain(e) from e
        return [dict(r) for r in records]

    def verify(self) -> None:
        """Check that the server answers, accepts the credentials and has the database."""
        try:
            self._driver.verify_connectivity()
        except DRIVER_ERRORS as e:
            raise self._explain(e) from e
        self.run("RETURN 1 AS ok")

    def ensure_schema(self) -> None:
        """Create the uniqueness constraints, if they do not exist yet."""
        if self._schema_ready:
            return
        try:
            for statement in CONSTRAINTS:
                self._driver.execute_query(statement, database_=self.database)
        except DRIVER_ERRORS as e:
            raise self._explain(e) from e
        self._schema_ready = True

    # --- writing ---------------------------------------------------------------------

    def load(self, m: SystemMap, progress: Progress | None = None) -> LoadReport:
        """Write ``m`` to the database in one transaction: all of it, or nothing."""
        self.ensure_schema()
        plan = _LoadPlan(m)
        try:
            with self._driver.session(database=self.database) as session:
                with session.begin_transaction() as tx:  # rolled back unless committed
                    removed = plan.write(tx, progress)
                    tx.commit()
        except DRIVER_ERRORS as e:
            raise self._explain(e) from e
        return LoadReport(m.id, plan.node_count, plan.link_count, plan.record_count, removed)

    def delete(self, map_id: str) -> None:
        """Remove one map and everything in it."""
        try:
            with self._driver.session(database=self.database) as session:
                session.run(DELETE_MAP, map=map_id).consume()
                session.run(DELETE_MAP_NODE, map=map_id).consume()
        except DRIVER_ERRORS as e:
            raise self._explain(e) from e

    # --- reading ---------------------------------------------------------------------

    def maps(self) -> list[dict[str, Any]]:
        """The maps in the database: their ids and names."""
        return self.run(LIST_MAPS)

    def counts(self, map_id: str) -> dict[str, int]:
        """How many nodes (including records) and relationships one map has."""
        (row,) = self.run(COUNT, map=map_id)
        return {"nodes": row["nodes"], "links": row["links"]}

    def read(self, map_id: str | None = None) -> SystemMap:
        """Rebuild the SystemMap ``map_id`` (or the only map) from the database."""
        map_id = map_id or self._only_map()
        meta_rows = self.run(READ_MAP, map=map_id)
        if not meta_rows:
            known = ", ".join(r["id"] for r in self.maps()) or "none"
            raise StoreError(f"no map {map_id!r} in Neo4j at {self.uri} (maps: {known})")
        meta = {k: _from_db(v) for k, v in meta_rows[0]["props"].items()}
        meta.pop("id")
        m = SystemMap(map_id, meta.pop("name", map_id), **meta)
        nodes = [_strip(r["props"]) for r in self.run(READ_NODES, map=map_id)]
        quotes = []
        for props in nodes:
            kind, node_id, name = props.pop("kind"), props.pop("id"), props.pop("name")
            if kind == "Quote":
                quotes.append((node_id, name, props))  # after every node they may be about
            else:
                m.add_node(kind, node_id, name, **props)
        for node_id, name, props in quotes:
            m.add_node("Quote", node_id, name, **props)
        for r in self.run(READ_LINKS, map=map_id):
            props = _strip(r["props"])
            m.add_link(props.pop("id"), r["kind"], r["source"], r["target"], **props)
        for r in self.run(READ_RECORDS, map=map_id):
            props = _strip(r["props"])
            table = props.pop("table")
            props.pop("key")
            m.add_record(table, **props)
        return m

    def _only_map(self) -> str:
        ids = [r["id"] for r in self.maps()]
        if len(ids) == 1:
            return ids[0]
        if not ids:
            raise StoreError(f"Neo4j at {self.uri} holds no map yet: load one first")
        raise StoreError(f"Neo4j at {self.uri} holds several maps ({', '.join(ids)}): name one")


def _strip(props: dict[str, Any]) -> dict[str, Any]:
    """Properties of a database element as model fields (without map and seq)."""
    return {k: _from_db(v) for k, v in props.items() if k not in ("map", "seq", "derived")}


class _LoadPlan:
    """The batches one load writes, and the stale elements it removes."""

    def __init__(self, m: SystemMap) -> None:
        self.m = m
        self.nodes: dict[str, list[dict[str, Any]]] = {}
        for seq, node in enumerate(m.nodes()):
            props = _props(
                {"map": m.id, "id": node.id, "kind": node.kind, "name": node.name, "seq": seq},
                node.fields,
            )
            self.nodes.setdefault(node.kind, []).append({"id": node.id, "props": props})
        self.links: dict[str, list[dict[str, Any]]] = {}
        for seq, link in enumerate(m.links(derived=True)):
            props = _props({"map": m.id, "id": link.id, "seq": seq}, link.fields)
            if link.derived:
                props["derived"] = True
            self.links.setdefault(link.kind, []).append(
                {"id": link.id, "source": link.source, "target": link.target, "props": props}
            )
        self.records: dict[str, list[dict[str, Any]]] = {}
        seq = 0
        for table_name, rows in m.records.items():
            table = schema.RECORD_TABLES[table_name]
            for row in rows:
                key = record_key(table, row)
                props = _props({"map": m.id, "table": table_name, "key": key, "seq": seq}, row)
                self.records.setdefault(table.kind, []).append(
                    {"table": table_name, "key": key, "props": props}
                )
                seq += 1
        self.node_count = sum(len(v) for v in self.nodes.values())
        self.link_count = sum(len(v) for v in self.links.values())
        self.record_count = sum(len(v) for v in self.records.values())

    def _stale(self, tx: neo4j.Transaction) -> tuple[list[str], list[str]]:
        """Element ids of what the database has of this map and the new map lacks."""
        m = self.m
        want_nodes = {(row["id"], kind) for kind, rows in self.nodes.items() for row in rows}
        want_links = {
            (row["id"], kind, row["source"], row["target"])
            for kind, rows in self.links.items()
            for row in rows
        }
        want_records = {(r["table"], r["key"]) for rows in self.records.values() for r in rows}
        nodes = [
            r["eid"]
            for r in tx.run(EXISTING_NODES, map=m.id)
            if (r["id"], r["kind"]) not in want_nodes
        ]
        nodes += [
            r["eid"]
            for r in tx.run(EXISTING_RECORDS, map=m.id)
            if (r["table"], r["key"]) not in want_records
        ]
        links = [
            r["eid"]
            for r in tx.run(EXISTING_LINKS, map=m.id)
            if (r["id"], r["kind"], r["source"], r["target"]) not in want_links
        ]
        return nodes, links

    def write(self, tx: neo4j.Transaction, progress: Progress | None) -> int:
        m = self.m
        tx.run(MERGE_MAP, map=m.id, props=_props({"id": m.id, "name": m.name}, m.meta)).consume()
        stale_nodes, stale_links = self._stale(tx)
        for eids in _batches(stale_links):
            tx.run(DELETE_LINKS, eids=eids).consume()
        for eids in _batches(stale_nodes):
            tx.run(DELETE_NODES, eids=eids).consume()
        total = self.node_count + self.link_count + self.record_count
        done = 0
        steps: list[tuple[str, list[dict[str, Any]]]] = [
            *((merge_nodes(k), rows) for k, rows in self.nodes.items()),
            *((merge_links(k), rows) for k, rows in self.links.items()),
            *((merge_records(k), rows) for k, rows in self.records.items()),
        ]
        for statement, rows in steps:
            for batch in _batches(rows):
                tx.run(statement, map=m.id, rows=batch).consume()
                done += len(batch)
                if progress:
                    progress(done, total)
        return len(stale_nodes) + len(stale_links)


def _batches(rows: list[Any]) -> Iterator[list[Any]]:
    size = BATCH_SIZE
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def open_store(uri: str | None = None, **options: Any) -> Neo4jStore:
    """A store for ``uri`` (or ``NEO4J_URI``), checked to answer."""
    store = Neo4jStore(uri, **options)
    try:
        store.verify()
    except StoreError:
        store.close()
        raise
    return store
