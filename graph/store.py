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

**Versions.** The ``Map`` node holds the map's ``version``, a whole number that every
write raises by one. A change names the version it was made on (the one
:meth:`Neo4jStore.snapshot` read); when the map has been written since, the change is
refused with :class:`graph.errors.MapChanged` and nothing is written, so two writers
never undo each other without knowing. Neo4j isolates transactions only as far as
*read committed*: a transaction sees each commit as soon as it happens, even half-way
through its own reading. So every transaction on a map, a read included, first takes
the write lock of its ``Map`` node, and holds it to its end: writers of one map take
turns, a writer checks the version only once it has the lock (nobody can write it
then), and a read waits for a write under way and sees one version whole.

The store runs statements and keeps none: their text, with the parameters each takes,
is in :mod:`graph.cypher` (as is that of the questions, which :mod:`queries.cypher` asks
through :meth:`Neo4jStore.run`). Here are the driver, the sessions and transactions,
the batches of a load and the errors that say what to check.

Connection settings come from arguments or the environment: ``NEO4J_URI``,
``NEO4J_USERNAME``, ``NEO4J_PASSWORD``, ``NEO4J_DATABASE``. Every call names the
database. ``bolt://``, ``neo4j://`` and ``neo4j+s://`` URIs all work, so the same
code talks to a local server, a cluster or Aura.
"""

from __future__ import annotations

import datetime as dt
import gc
import os
import threading
from collections.abc import Callable, Generator, Iterable, Iterator
from contextlib import closing
from dataclasses import dataclass
from functools import cached_property
from itertools import chain, groupby
from operator import itemgetter
from queue import Full, Queue
from typing import Any, TypeVar

import neo4j
from neo4j import exceptions as neo4j_errors

from graph import schema
from graph.cycle import resolve_map
from graph.cypher import (
    ANSWERS,
    CONSTRAINTS,
    COUNT,
    DELETE_LINKS,
    DELETE_MAP,
    DELETE_MAP_NODE,
    DELETE_NODES,
    EXISTING_LINKS,
    EXISTING_NODES,
    EXISTING_RECORDS,
    LIST_MAPS,
    LOCK_MAP,
    LOCK_NEW_MAP,
    MAP_VERSION,
    READ_LINKS,
    READ_MAP,
    READ_NODES,
    READ_RECORDS,
    SET_MAP,
    UPDATE_LINKS,
    UPDATE_NODES,
    create_elements,
)
from graph.errors import MapChanged, StoreError, said
from graph.model import SystemMap
from graph.progress import report

DEFAULT_URI = "bolt://127.0.0.1:7687"
DEFAULT_USER = "neo4j"
DEFAULT_DATABASE = "neo4j"
BATCH_SIZE = 20_000

#: The URI schemes of Neo4j's own protocol, Bolt (to one server, or routed).
URI_SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")

#: What the driver raises when the connection breaks; during a commit this leaves
#: the outcome unknown.
CONNECTION_ERRORS = (
    neo4j_errors.ServiceUnavailable,
    neo4j_errors.SessionExpired,
    OSError,
)

#: What the driver raises when the server, the network or the request fails.
DRIVER_ERRORS = (neo4j_errors.Neo4jError, neo4j_errors.DriverError, OSError)

T = TypeVar("T")


@dataclass
class _Create:
    """One statement of a load that creates elements (see :func:`create_elements`):
    its text and rows, the ids of the nodes it finds by element id (``known``) and of
    those it creates (when later statements need their element ids), and how many
    elements it creates."""

    text: str
    rows: dict[str, Any]
    known: list[str]
    created: list[str] | None
    count: int


#: Progress callback: (elements written so far, elements in all).
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class LoadReport:
    """What a load did: the map's elements, how many of them were new, changed or
    already up to date, how many stale ones were removed, and the version it wrote."""

    map_id: str
    nodes: int
    links: int
    records: int
    removed: int
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    version: int = 0


# --- the store's constants (its statements are in graph.cypher) ----------------------

#: The kinds of the links the map derives itself (ABOUT, SAID_IN): marked in the database.
DERIVED_KINDS = frozenset(kind for kind, spec in schema.LINK_KINDS.items() if spec.derived)
#: Properties of the Map node that are the store's, not the map's.
MAP_PROPERTIES = ("id", "version", "_lock")
#: How many rows a read that sends many sends in one list (its ``$chunk``).
CHUNK = 10_000


# --- values between the model and the database ---------------------------------------


def _from_db(value: Any) -> Any:
    if isinstance(value, list):
        return tuple(value)
    if hasattr(value, "to_native") and not isinstance(value, dt.date):
        return value.to_native()
    return value


def _typed(value: Any) -> Any:
    """A value with its type, so that 1, 1.0 and True compare as different."""
    if hasattr(value, "to_native") and not isinstance(value, dt.date):
        value = value.to_native()
    if isinstance(value, list | tuple):
        return tuple(_typed(v) for v in value)
    return type(value), value


def _same(props: dict[str, Any], stored: dict[str, Any]) -> bool:
    """Whether an element in the database already has exactly ``props``."""
    if props.keys() != stored.keys():
        return False
    for key, value in props.items():
        old = stored[key]
        if type(old) is type(value) and type(value) in (str, int, float, bool):
            if old != value:
                return False
        elif _typed(old) != _typed(value):  # dates, lists
            return False
    return True


def _props(base: dict[str, Any], fields: dict[str, Any] | Any) -> dict[str, Any]:
    # Tuples go to the server as lists, and compare with the lists it sends back.
    base.update(fields)
    return base


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
        scheme = self.uri.partition("://")[0].lower() if "://" in self.uri else ""
        if scheme not in URI_SCHEMES:
            raise StoreError(said("store.not_uri", uri=repr(self.uri)))
        try:
            self._driver = neo4j.GraphDatabase.driver(
                self.uri,
                auth=(self.user, secret),
                connection_timeout=10,
                notifications_min_severity=neo4j.NotificationMinimumSeverity.OFF,
            )
        except (ValueError, neo4j_errors.ConfigurationError) as e:
            raise StoreError(said("store.bad_uri", uri=repr(self.uri), error=str(e))) from e
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
            return StoreError(said("store.auth", uri=self.uri, user=repr(self.user)))
        code = getattr(e, "code", "") or ""
        if "DatabaseNotFound" in code:
            return StoreError(said("store.no_database", uri=self.uri, database=repr(self.database)))
        if isinstance(e, neo4j_errors.ServiceUnavailable | OSError):
            return StoreError(said("store.unreachable", uri=self.uri))
        message = getattr(e, "message", None) or str(e)
        if "dbms.memory.transaction" in message or "db.memory.transaction" in message:
            return StoreError(said("store.memory", uri=self.uri))
        first = message.splitlines()[0] if message else repr(e)
        return StoreError(said("store.other", uri=self.uri, message=first))

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
        self.run(ANSWERS)

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

    def load(
        self, m: SystemMap, progress: Progress | None = None, *, version: int | None = None
    ) -> LoadReport:
        """Write ``m`` to the database in one transaction: all of it, or nothing.

        The map's version rises by one (the report says to what). With ``version``, the
        version ``m`` was read at (:meth:`snapshot`), the load is a change made on that
        version: if the map in the database is at another by then, or is gone,
        :class:`graph.errors.MapChanged` and nothing is written. Without it, ``m``
        replaces whatever the database holds of the map (as a workbook does).
        """
        check_ids(m)
        self.ensure_schema()
        committing = False
        # Python's cycle collector would walk every row built so far each time it ran
        # (on 500,000 links it took half the client's time); the rows hold no cycles.
        collecting = gc.isenabled()
        gc.disable()
        try:
            plan = _LoadPlan(m)
            with self._driver.session(database=self.database) as session:
                with session.begin_transaction() as tx:  # rolled back unless committed
                    current = _lock(tx, m.id, new=version is None)
                    if version is not None and current != version:
                        raise _changed(m.id, version, current, self.uri)
                    written = (current or 0) + 1
                    plan.write(tx, progress, written)
                    committing = True
                    tx.commit()
        except DRIVER_ERRORS as e:
            if committing and isinstance(e, CONNECTION_ERRORS):
                raise StoreError(said("store.broke", uri=self.uri, map=repr(m.id))) from e
            raise self._explain(e) from e
        except (OverflowError, TypeError, ValueError) as e:  # a value Bolt cannot carry
            raise StoreError(said("store.bad_value", map=repr(m.id), error=str(e))) from e
        finally:
            if collecting:
                gc.enable()
        return LoadReport(
            m.id,
            plan.node_count,
            plan.link_count,
            plan.record_count,
            removed=plan.removed,
            created=plan.created,
            updated=plan.updated,
            unchanged=plan.unchanged,
            version=written,
        )

    def change(
        self,
        map_id: str | None,
        operation: Callable[[SystemMap], T],
        *,
        version: int | None = None,
    ) -> T:
        """Apply ``operation`` (an adjustment of :mod:`graph.adjust`...) to a map in the
        database and return what it returned: the map is read, changed, and written
        back in one transaction, so the database holds all of the change or none of it
        (an operation that raises writes nothing).

        The change is made on the version it read. When the map is written by someone
        else between the read and the write (another change, a load), the change is
        refused with :class:`graph.errors.MapChanged` and nothing is written: theirs
        stays, and this one can be made again on the map as it is now. With
        ``version``, the change must be made on that version (one :meth:`snapshot`
        gave): MapChanged when the map is at another already.
        """
        m, read = self.snapshot(map_id)
        if version is not None and read != version:
            raise _changed(m.id, version, read, self.uri)
        result = operation(m)
        self.load(m, version=read)
        return result

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
        """Rebuild the SystemMap ``map_id`` (or the only map) from the database, as one
        version of it (see :meth:`snapshot`)."""
        return self.snapshot(map_id)[0]

    def version(self, map_id: str | None = None) -> int:
        """The version of the map ``map_id`` (or the only map) in the database now: how
        many times it has been written (0 for a map stored before maps had versions)."""
        map_id = self.resolve_map(map_id)
        rows = self.run(MAP_VERSION, map=map_id)
        if not rows:  # removed since it was listed
            return self.version(map_id)
        return int(rows[0]["version"])

    def snapshot(self, map_id: str | None = None) -> tuple[SystemMap, int]:
        """The map ``map_id`` (or the only map) and the version it is: read in one
        transaction holding the map's lock, so a write under way is waited for and the
        map is that version whole. A change made on it names this version
        (``load(m, version=...)``)."""
        map_id = self.resolve_map(map_id)
        try:
            with self._driver.session(database=self.database) as session:
                # never committed: the lock is its only write, undone when it closes
                with session.begin_transaction() as tx:
                    version = _lock(tx, map_id, new=False)
                    if version is not None:
                        (row,) = tx.run(READ_MAP, map=map_id)
                        stored = row["props"]
                        node_rows = list(_rows(tx, READ_NODES, map=map_id))
                        link_rows = list(_rows(tx, READ_LINKS, map=map_id))
                        record_rows = list(_rows(tx, READ_RECORDS, map=map_id))
        except DRIVER_ERRORS as e:
            raise self._explain(e) from e
        if version is None:  # removed since it was listed: say so as for any unknown map
            return self.snapshot(map_id)
        meta = {k: _from_db(v) for k, v in stored.items() if k not in MAP_PROPERTIES}
        m = SystemMap(map_id, meta.pop("name", map_id), **meta)
        nodes = [_strip(props) for props in node_rows]
        quotes = []
        for props in nodes:
            kind, node_id, name = props.pop("kind"), props.pop("id"), props.pop("name")
            if kind == "Quote":
                quotes.append((node_id, name, props))  # after every node they may be about
            else:
                m.add_node(kind, node_id, name, **props)
        for node_id, name, props in quotes:
            m.add_node("Quote", node_id, name, **props)
        for kind, source, target, props in link_rows:
            fields = _strip(props)
            m.add_link(fields.pop("id"), kind, source, target, **fields)
        for props in record_rows:
            fields = _strip(props)
            table = fields.pop("table")
            fields.pop("key")
            m.add_record(table, **fields)
        return m, version

    def resolve_map(self, map_id: str | None) -> str:
        """``map_id`` if the database holds that map; without one, the only map it holds
        (the rule of :func:`graph.cycle.resolve_map`: :class:`graph.errors.UnknownMap`)."""
        where = said("cycle.where.neo4j", uri=self.uri)
        return resolve_map([r["id"] for r in self.maps()], map_id, where)


def _lock(tx: neo4j.Transaction, map_id: str, *, new: bool) -> int | None:
    """Take the lock of the map ``map_id`` for the rest of ``tx`` (see the module's
    description) and return its version then: None when the database has no such map,
    unless ``new``, when its Map node is made (at version 0)."""
    tx.run(LOCK_NEW_MAP if new else LOCK_MAP, map=map_id).consume()
    row = tx.run(MAP_VERSION, map=map_id).single()
    return None if row is None else int(row["version"])


def _changed(map_id: str, read: int, now: int | None, uri: str) -> MapChanged:
    """The refusal of a change made on version ``read`` of a map that is at ``now``."""
    if now is None:
        return MapChanged(said("store.removed", map=repr(map_id), uri=uri))
    return MapChanged(said("store.changed", map=repr(map_id), uri=uri, read=read, now=now))


def check_ids(m: SystemMap) -> None:
    """Raise StoreError unless the map's id and every id in it follow the id rule."""
    for what, ids in (
        ("map", [m.id]),
        ("node", m.graph),
        ("link", (row[0] for row in m.link_rows())),
    ):
        found = schema.first_id_problem(ids)
        if found:
            value, problem = found
            shown = value if len(value) <= 40 else value[:40] + "..."
            raise StoreError(
                said(
                    "store.bad_id",
                    what=said("load.kind." + what) if what != "map" else said("store.map"),
                    id=repr(shown),
                    map=repr(m.id[:40]),
                    problem=problem,
                )
            )


def _strip(props: dict[str, Any]) -> dict[str, Any]:
    """Properties of a database element as model fields (without map and seq)."""
    return {k: _from_db(v) for k, v in props.items() if k not in ("map", "seq", "derived")}


class _LoadPlan:
    """What one load writes: every element of the map, keyed as in the database.

    Elements the database already has (same id and kind; for links also the same
    ends) are updated in place; the others are created. Elements of the map in the
    database that the new map lacks are removed first. New elements are written with
    CREATE, nodes and links together (see :func:`create_elements`), so no index is
    searched per row; the uniqueness constraints still check every element at commit.
    """

    def __init__(self, m: SystemMap) -> None:
        self.m = m
        self.node_count = m.graph.number_of_nodes()
        self.link_count = m.link_count(derived=True)
        self.record_count = sum(len(rows) for rows in m.records.values())
        self.created = self.updated = self.unchanged = self.removed = 0

    # The elements as the database stores them are built when first asked for: on a
    # first load, in the second thread while the server writes (see ``write``).

    @cached_property
    def nodes(self) -> dict[str, list[tuple[str, dict[str, Any]]]]:
        """kind -> [(id, props)]"""
        m = self.m
        nodes: dict[str, list[tuple[str, dict[str, Any]]]] = {}
        for seq, (node_id, data) in enumerate(m.graph.nodes(data=True)):
            kind = data["kind"]
            props = _props(
                {"map": m.id, "id": node_id, "kind": kind, "name": data["name"], "seq": seq},
                data["fields"],
            )
            nodes.setdefault(kind, []).append((node_id, props))
        return nodes

    @cached_property
    def records(self) -> dict[str, list[tuple[tuple[str, str], dict[str, Any]]]]:
        """kind -> [((table, key), props)]"""
        m = self.m
        records: dict[str, list[tuple[tuple[str, str], dict[str, Any]]]] = {}
        seq = 0
        for table_name, rows in m.records.items():
            table = schema.RECORD_TABLES[table_name]
            for row in rows:
                key = record_key(table, row)
                props = _props({"map": m.id, "table": table_name, "key": key, "seq": seq}, row)
                records.setdefault(table.kind, []).append(((table_name, key), props))
                seq += 1
        return records

    @cached_property
    def links(self) -> dict[str, list[tuple[str, str, str, dict[str, Any]]]]:
        """kind -> [(id, source, target, props)]"""
        map_id = self.m.id
        links: dict[str, list[tuple[str, str, str, dict[str, Any]]]] = {}
        for seq, (link_id, kind, source, target, fields) in enumerate(
            self.m.link_rows(derived=True)
        ):
            props = {"map": map_id, "id": link_id, "seq": seq, **fields}
            if kind in DERIVED_KINDS:
                props["derived"] = True
            if kind not in links:
                links[kind] = []
            links[kind].append((link_id, source, target, props))
        return links

    def _existing(
        self, tx: neo4j.Transaction
    ) -> tuple[dict[Any, str], set[Any], list[str], list[str]]:
        """What the database has of this map: the element ids of elements to keep (by
        key) and the keys of those among them that are already up to date; the element
        ids of stale nodes and links, which the new map lacks."""
        m = self.m
        want: dict[Any, dict[str, Any]] = {}

        def wanted() -> dict[Any, dict[str, Any]]:
            """The new map's elements by key: built only when the database has some."""
            if not want:
                for kind, rows in self.nodes.items():
                    want.update((("node", node_id, kind), p) for node_id, p in rows)
                for kind, links in self.links.items():
                    want.update((("link", i, kind, s, t), p) for i, s, t, p in links)
                for records in self.records.values():
                    want.update((("record", *key), p) for key, p in records)
            return want

        keep: dict[Any, str] = {}
        up_to_date: set[Any] = set()

        def kept(key: Any, eid: str, props: dict[str, Any], *, unless: bool = False) -> bool:
            """Keep the element if the new map has it (and not ``unless``)."""
            if unless or key not in wanted():
                return False
            keep[key] = eid
            if _same(want[key], props):
                up_to_date.add(key)
            return True

        stale_nodes: list[str] = []
        stale_ids: set[str] = set()
        for node_id, kind, eid, props in _rows(tx, EXISTING_NODES, map=m.id):
            if not kept(("node", node_id, kind), eid, props):
                stale_nodes.append(eid)
                stale_ids.add(node_id)
        for table, key, eid, props in _rows(tx, EXISTING_RECORDS, map=m.id):
            if not kept(("record", table, key), eid, props):
                stale_nodes.append(eid)
        stale_links: list[str] = []
        for link_id, kind, source, target, eid, props in _rows(tx, EXISTING_LINKS, map=m.id):
            # A link to a node that goes is removed with it, and written anew.
            ends_go = source in stale_ids or target in stale_ids
            if not kept(("link", link_id, kind, source, target), eid, props, unless=ends_go):
                stale_links.append(eid)
        return keep, up_to_date, stale_nodes, stale_links

    def _creates(self, keep: dict[Any, str]) -> Iterator[_Create]:
        """The statements that create the elements the database does not have yet.

        New nodes go in batches of ``BATCH_SIZE``; the last batch goes with the first
        batch of new links, and the other link batches follow, each finding the ends it
        did not create by element id, once per end. Records come last."""
        new_nodes = [
            (f"Node:{kind}", node_id, p)
            for kind, rows in self.nodes.items()
            for node_id, p in rows
            if not keep or ("node", node_id, kind) not in keep
        ]
        node_batches = list(_batches(new_nodes))
        for batch in node_batches[:-1]:
            yield _create(batch, [], returns=True)
        new_links = [
            (kind, s, t, p)
            for kind, links in self.links.items()
            for i, s, t, p in links
            if not keep or ("link", i, kind, s, t) not in keep
        ]
        link_batches = list(_batches(new_links))
        if node_batches or link_batches:
            last = node_batches[-1] if node_batches else []
            yield _create(
                last, link_batches[0] if link_batches else [], returns=len(link_batches) > 1
            )
        for batch in link_batches[1:]:
            yield _create([], batch, returns=False)
        new_records = [
            (f"Record:{kind}", "", p)
            for kind, records in self.records.items()
            for key, p in records
            if not keep or ("record", *key) not in keep
        ]
        for batch in _batches(new_records):
            yield _create(batch, [], returns=False)

    def write(self, tx: neo4j.Transaction, progress: Progress | None, version: int) -> None:
        """Write the map, whose Map node ``tx`` has locked, as version ``version``."""
        m = self.m
        props = _props({"id": m.id, "name": m.name}, m.meta)
        tx.run(SET_MAP, map=m.id, props={**props, "version": version}).consume()
        keep, up_to_date, stale_nodes, stale_links = self._existing(tx)
        for eids in _batches(stale_links):
            tx.run(DELETE_LINKS, eids=eids).consume()
        for eids in _batches(stale_nodes):
            tx.run(DELETE_NODES, eids=eids).consume()

        total = self.node_count + self.link_count + self.record_count
        done = 0

        def sent(n: int, created: bool = False) -> None:
            nonlocal done
            done += n
            if created:
                self.created += n
            if progress:
                progress(done, total)
            report("writing to Neo4j", done, total)

        def update(statement: str, elements: list[tuple[Any, dict[str, Any]]]) -> None:
            """Rewrite the kept elements whose properties changed."""
            changed = [(keep[k], p) for k, p in elements if k in keep and k not in up_to_date]
            self.updated += len(changed)
            self.unchanged += sum(1 for k, _ in elements if k in up_to_date)
            for batch in _batches(changed):
                tx.run(statement, rows=[{"eid": eid, "props": p} for eid, p in batch])
            kept = sum(1 for k, _ in elements if k in keep)
            if kept:
                sent(kept)

        if keep:  # on a first load there is nothing to keep: every element is new
            for kind, rows in self.nodes.items():
                update(UPDATE_NODES, [(("node", node_id, kind), p) for node_id, p in rows])
            for kind, links in self.links.items():
                update(UPDATE_LINKS, [(("link", i, kind, s, t), p) for i, s, t, p in links])
            for records in self.records.values():
                update(UPDATE_NODES, [(("record", *key), p) for key, p in records])

        # New elements: the batches are prepared in a second thread while the server
        # runs the previous one, so the client's packing and the server's writing
        # overlap instead of taking turns.
        node_eid = {k[1]: eid for k, eid in keep.items() if k[0] == "node"}

        def check(result: neo4j.Result, create: _Create) -> None:
            """Read what a statement returned: all its known nodes were found, and the
            element ids of the nodes it created."""
            record = result.single()
            if record is None or record["known"] != len(create.known):
                # a node this load found a moment ago is gone: nothing is committed
                raise StoreError(said("store.changed_while_loading", map=repr(m.id)))
            if create.created is not None:
                node_eid.update(zip(create.created, record["created"], strict=True))
            sent(create.count, created=True)

        # The client sends a statement while the server still runs the one before,
        # unless it needs the element ids of nodes that one creates.
        running: tuple[neo4j.Result, _Create] | None = None
        with closing(_ahead(self._creates(keep))) as creates:
            for create in creates:
                if running and not all(node_id in node_eid for node_id in create.known):
                    check(*running)
                    running = None
                known = [node_eid[node_id] for node_id in create.known]
                result = tx.run(create.text, map=m.id, known=known, **create.rows)
                if running:
                    check(*running)
                running = result, create
        if running:
            check(*running)
        self.removed = len(stale_nodes) + len(stale_links)


def _rows(tx: neo4j.Transaction, query: str, **params: Any) -> Iterator[Any]:
    """The rows of a query that returns them in lists of ``$chunk`` rows (the reads of
    :mod:`graph.cypher` that end in ``_IN_CHUNKS``)."""
    for (chunk,) in tx.run(query, chunk=CHUNK, **params):
        yield from chunk


def _keys(props: Iterable[dict[str, Any]]) -> list[str]:
    """The property keys of some elements, except ``map``, in a fixed order."""
    keys: set[str] = set().union(*props)
    keys.discard("map")
    return sorted(keys)


def _create(
    nodes: list[tuple[str, str, dict[str, Any]]],
    links: list[tuple[str, str, str, dict[str, Any]]],
    *,
    returns: bool,
) -> _Create:
    """One statement that creates ``nodes`` ((labels, id, props), grouped by labels)
    and ``links`` ((kind, source, target, props), grouped by kind), with its rows."""
    created = [node_id for _, node_id, _ in nodes]
    position = {node_id: i for i, node_id in enumerate(created)}
    known: list[str] = []
    if links:
        ends = dict.fromkeys(chain.from_iterable((s, t) for _, s, t, _ in links))
        known = [end for end in ends if end not in position]
        offset = len(known)
        position = {node_id: i for i, node_id in enumerate(known)}
        position.update((node_id, offset + i) for i, node_id in enumerate(created))
    rows: dict[str, Any] = {}
    node_groups: list[tuple[str, list[str]]] = []
    for labels, grouped in groupby(nodes, key=itemgetter(0)):
        group = list(grouped)
        keys = _keys(p for _, _, p in group)
        rows[f"nodes{len(node_groups)}"] = [list(map(p.get, keys)) for _, _, p in group]
        node_groups.append((labels, keys))
    link_groups: list[tuple[str, list[str]]] = []
    for kind, grouped_links in groupby(links, key=itemgetter(0)):
        group_links = list(grouped_links)
        keys = _keys(p for *_, p in group_links)
        rows[f"links{len(link_groups)}"] = [
            [position[s], position[t], *map(p.get, keys)] for _, s, t, p in group_links
        ]
        link_groups.append((kind, keys))
    text = create_elements(node_groups, link_groups, known=bool(known), returns=returns)
    return _Create(text, rows, known, created if returns else None, len(nodes) + len(links))


def _ahead(items: Iterator[T], depth: int = 2) -> Generator[T, None, None]:
    """The items of ``items``, produced in a second thread up to ``depth`` ahead of
    the consumer. An error while producing is raised in the consumer; a consumer that
    stops early stops the producer."""
    queue: Queue[tuple[bool, Any]] = Queue(maxsize=depth)
    stop = threading.Event()

    def put(item: tuple[bool, Any]) -> bool:
        """Hand one item over, unless the consumer has stopped."""
        while not stop.is_set():
            try:
                queue.put(item, timeout=0.1)
                return True
            except Full:
                continue
        return False

    def produce() -> None:
        try:
            for item in items:
                if not put((True, item)):
                    return
            put((False, None))
        except BaseException as e:  # handed to the consumer, raised there
            put((False, e))

    worker = threading.Thread(target=produce, name="load-batches", daemon=True)
    worker.start()
    try:
        while True:
            ok, item = queue.get()
            if not ok:
                if item is not None:
                    raise item
                return
            yield item
    finally:
        stop.set()
        worker.join()


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
