"""Load benchmark: the Neo4j loader beside what a Neo4j user would write by hand.

Generated maps of increasing size (labelled as generated; no real data) are loaded
into a real local Neo4j server, after three unmeasured warm-up loads. For each size,
in turn on the same warmed server and the same data:

- ``loader``: ``Neo4jStore.load``, which validates nothing itself but compares the
  map with what the database holds, reports what is new, changed or unchanged, and
  writes all or nothing;
- ``LOAD CSV``: the same nodes, links and records with the same properties and
  labels, read from csv files in the server's import directory, in one transaction,
  under the same uniqueness constraints (nodes and relationships). It compares
  nothing and reports nothing;

alternating (loader, LOAD CSV, loader, ...) ``--runs`` times, so that a machine busy
with other work slows both alike; the medians and their ratio are printed, with the
load average. Then, once: the time to load the same map again (every element
compared, nothing written), ``neo4j-admin database import`` of the same csv data into
an empty database of a scratch server home (offline, no constraints: the upper
bound), and on the small sizes a naive loader that sends one statement per element.

Usage:
    python benchmarks/load.py                 # starts its own server (heap 8g)
    NEO4J_URI=bolt://... python benchmarks/load.py --sizes 10000:50000 \\
        --import-dir .neo4j-local/import      # that server's import directory
"""

from __future__ import annotations

import argparse
import csv
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from graph.generate import generated_map  # noqa: E402
from graph.model import SystemMap  # noqa: E402
from graph.store import Neo4jStore, _keys, _LoadPlan  # noqa: E402

DEFAULT_SIZES = "10000:50000,100000:500000"
NAIVE_MAX_LINKS = 50_000
ADMIN_CLASS = "org.neo4j.cli.AdminTool"
BENCH_HOME = ROOT / ".neo4j-local" / "bench"

#: How LOAD CSV turns a csv cell back into the type the loader writes.
CAST = {str: "{}", int: "toInteger({})", float: "toFloat({})", bool: "toBoolean({})"}
#: The same for neo4j-admin's header (``name:type``).
ADMIN_TYPE = {str: "", int: ":long", float: ":double", bool: ":boolean"}


def naive_load(store: Neo4jStore, m: SystemMap) -> None:
    """One CREATE statement per node and per link, in one transaction."""
    with store._driver.session(database=store.database) as session:
        with session.begin_transaction() as tx:
            for node in m.nodes():
                tx.run(
                    f"CREATE (n:Node:{node.kind}) SET n = $props",
                    props={"map": m.id, "id": node.id, "kind": node.kind, "name": node.name},
                ).consume()
            for link in m.links():
                tx.run(
                    "MATCH (a:Node {map: $map, id: $source}) "
                    "MATCH (b:Node {map: $map, id: $target}) "
                    f"CREATE (a)-[r:{link.kind}]->(b) SET r = $props",
                    map=m.id,
                    source=link.source,
                    target=link.target,
                    props={"map": m.id, "id": link.id, **{k: v for k, v in link.fields.items()}},
                ).consume()
            tx.commit()


# --- the anchors: the same data as csv files ------------------------------------------


def _types(props: list[dict[str, Any]]) -> dict[str, type]:
    found: dict[str, type] = {}
    for p in props:
        for key, value in p.items():
            if value is not None:
                found.setdefault(key, type(value))
    unsupported = {k: t for k, t in found.items() if t not in CAST}
    if unsupported:
        raise SystemExit(f"the csv anchors cannot carry {unsupported}")
    return found


def _write(path: Path, header: list[str], rows: Any) -> None:
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        writer.writerows(rows)


def write_load_csv(m: SystemMap, directory: Path) -> list[str]:
    """Csv files of ``m`` in the server's import ``directory``, and the LOAD CSV
    statements that create the same elements as ``Neo4jStore.load``."""
    plan = _LoadPlan(m)
    statements = []

    def props(keys: list[str], types: dict[str, type]) -> str:
        return (
            "{"
            + ", ".join(f"`{k}`: " + CAST[types.get(k, str)].format(f"row.`{k}`") for k in keys)
            + "}"
        )

    groups = [(f"Node:{kind}", [p for _, p in rows]) for kind, rows in plan.nodes.items()] + [
        (f"Record:{kind}", [p for _, p in rows]) for kind, rows in plan.records.items()
    ]
    for labels, group in groups:
        keys = ["map", *_keys(group)]
        name = f"bench-{m.id}-{labels.replace(':', '-')}.csv"
        _write(directory / name, keys, ([p.get(k) for k in keys] for p in group))
        statements.append(
            f"LOAD CSV WITH HEADERS FROM 'file:///{name}' AS row "
            f"CREATE (n:{labels} {props(keys, _types(group))})"
        )
    for kind, links in plan.links.items():
        group = [p for *_, p in links]
        keys = ["map", *_keys(group)]
        name = f"bench-{m.id}-{kind}.csv"
        _write(
            directory / name,
            ["source", "target", *keys],
            ([s, t, *(p.get(k) for k in keys)] for _, s, t, p in links),
        )
        statements.append(
            f"LOAD CSV WITH HEADERS FROM 'file:///{name}' AS row "
            "MATCH (a:Node {map: row.map, id: row.source}) "
            "MATCH (b:Node {map: row.map, id: row.target}) "
            f"CREATE (a)-[:{kind} {props(keys, _types(group))}]->(b)"
        )
    return statements


def load_csv(store: Neo4jStore, statements: list[str]) -> None:
    """Run the LOAD CSV statements in one transaction."""
    with store._driver.session(database=store.database) as session:
        with session.begin_transaction() as tx:
            for statement in statements:
                tx.run(statement).consume()
            tx.commit()


def write_admin_csv(m: SystemMap, directory: Path) -> list[str]:
    """Csv files of ``m`` for ``neo4j-admin database import``; its arguments."""
    plan = _LoadPlan(m)
    args = []

    def header(keys: list[str], types: dict[str, type]) -> list[str]:
        return [f"{k}{ADMIN_TYPE[types.get(k, str)]}" for k in keys]

    for kind, rows in plan.nodes.items():
        group = [p for _, p in rows]
        keys = ["map", *_keys(group)]
        path = directory / f"nodes-{kind}.csv"
        cols = ["node_key:ID", *header(keys, _types(group)), ":LABEL"]
        _write(path, cols, ([i, *(p.get(k) for k in keys), f"Node;{kind}"] for i, p in rows))
        args.append(f"--nodes={path}")
    for kind, records in plan.records.items():
        group = [p for _, p in records]
        keys = ["map", *_keys(group)]
        path = directory / f"records-{kind}.csv"
        cols = ["record_key:ID(records)", *header(keys, _types(group)), ":LABEL"]
        _write(
            path,
            cols,
            (["|".join(k), *(p.get(c) for c in keys), f"Record;{kind}"] for k, p in records),
        )
        args.append(f"--nodes={path}")
    for kind, links in plan.links.items():
        group = [p for *_, p in links]
        keys = ["map", *_keys(group)]
        path = directory / f"links-{kind}.csv"
        cols = [":START_ID", ":END_ID", *header(keys, _types(group)), ":TYPE"]
        _write(path, cols, ([s, t, *(p.get(k) for k in keys), kind] for _, s, t, p in links))
        args.append(f"--relationships={path}")
    return args


def admin_import(lib: Path, args: list[str], scratch: Path) -> float | str:
    """Seconds ``neo4j-admin database import full`` takes into an empty database of a
    scratch server home, or why it could not run."""
    java = shutil.which("java", path=os.path.join(os.environ.get("JAVA_HOME", ""), "bin"))
    java = java or shutil.which("java")
    if not java or not lib.is_dir():
        return "no java or no Neo4j jars"
    conf = scratch / "conf"
    conf.mkdir(parents=True, exist_ok=True)
    (conf / "neo4j.conf").write_text(
        f"server.directories.data={scratch / 'data'}\n"
        f"server.directories.logs={scratch / 'logs'}\n"
        f"server.directories.transaction.logs.root={scratch / 'data' / 'transactions'}\n"
    )
    env = dict(os.environ, NEO4J_HOME=str(scratch), NEO4J_CONF=str(conf))
    command = [java, "-Xmx2g", "-cp", f"{lib}/*", ADMIN_CLASS, "database", "import", "full"]
    command += [*args, "--overwrite-destination=true", "--threads=2", "neo4j"]
    start = time.perf_counter()
    done = subprocess.run(command, env=env, cwd=scratch, capture_output=True, text=True)
    took = time.perf_counter() - start
    if done.returncode != 0:
        return "failed: " + (done.stderr or done.stdout).strip().splitlines()[-1][:80]
    return took


# --- running it ------------------------------------------------------------------------


def _server() -> tuple[str, bool]:
    uri = os.environ.get("NEO4J_URI")
    if uri:
        return uri, False
    out = subprocess.run(
        [
            str(ROOT / "scripts" / "neo4j-local"),
            "start",
            "--home",
            str(BENCH_HOME),
            "--heap",
            "8g",
            "--pagecache",
            "1g",
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    return out.stdout.strip().splitlines()[-1], True


def _timed(action: Callable[..., Any], *args: Any) -> float:
    start = time.perf_counter()
    action(*args)
    return time.perf_counter() - start


def _load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--sizes", default=DEFAULT_SIZES, help="nodes:links,... (default %(default)s)"
    )
    parser.add_argument("--runs", type=int, default=3, help="alternating runs (default 3)")
    parser.add_argument(
        "--import-dir",
        type=Path,
        help="the server's import directory (default: that of the server it starts, or "
        "of scripts/neo4j-local's default home when NEO4J_URI is given)",
    )
    parser.add_argument("--naive-max-links", type=int, default=NAIVE_MAX_LINKS)
    parser.add_argument("--no-admin", action="store_true", help="leave out neo4j-admin import")
    args = parser.parse_args()
    uri, started = _server()
    import_dir = args.import_dir or (
        BENCH_HOME / "import" if started else ROOT / ".neo4j-local" / "import"
    )
    lib = Path(os.environ.get("NEO4J_LOCAL_LIB") or ROOT / ".neo4j-local" / "lib")
    password = os.environ.get("NEO4J_PASSWORD", "versterkt-local")
    store = Neo4jStore(uri, password=password)
    store.verify()
    store.ensure_schema()
    print(f"Neo4j at {uri}; generated maps (benchmark data, not real)")
    print(f"load average before: {_load_average()}")
    # A few first loads warm up the server's JIT and query caches, as on a server that
    # has been running a while; they are not measured.
    warm = generated_map(2000, 10000, seed=1, map_id="bench-warm-up")
    warm_csv = write_load_csv(warm, import_dir)
    for _ in range(3):
        store.load(warm)
        store.delete(warm.id)
        load_csv(store, warm_csv)
        store.delete(warm.id)
    try:
        for size in args.sizes.split(","):
            n_nodes, n_links = (int(x) for x in size.split(":"))
            m = generated_map(n_nodes, n_links, seed=n_nodes, map_id=f"bench-{n_nodes}")
            statements = write_load_csv(m, import_dir)
            store.delete(m.id)
            times: dict[str, list[float]] = {"loader": [], "LOAD CSV": []}
            for run in range(args.runs):
                times["loader"].append(_timed(store.load, m))
                assert store.counts(m.id)["links"] == n_links
                store.delete(m.id)
                times["LOAD CSV"].append(_timed(load_csv, store, statements))
                assert store.counts(m.id)["links"] == n_links
                store.delete(m.id)
                print(
                    f"  {n_nodes}/{n_links} run {run + 1}: loader {times['loader'][-1]:.2f} s, "
                    f"LOAD CSV {times['LOAD CSV'][-1]:.2f} s (load average {_load_average()})",
                    flush=True,
                )
            loader = statistics.median(times["loader"])
            anchor = statistics.median(times["LOAD CSV"])
            store.load(m)
            start = time.perf_counter()
            report = store.load(m)
            again = time.perf_counter() - start
            assert report.created == report.updated == report.removed == 0, report
            store.delete(m.id)
            print(f"{n_nodes:,} nodes / {n_links:,} links, median of {args.runs}:")
            print(f"  loader     {loader:8.2f} s  {n_links / loader:9,.0f} links/s")
            print(
                f"  LOAD CSV   {anchor:8.2f} s  {n_links / anchor:9,.0f} links/s   "
                f"loader / LOAD CSV = {loader / anchor:.2f}"
            )
            print(f"  again      {again:8.2f} s  (every element compared, nothing written)")
            if not args.no_admin:
                with tempfile.TemporaryDirectory(prefix="bench-import-") as tmp:
                    admin_args = write_admin_csv(m, Path(tmp))
                    took = admin_import(lib, admin_args, Path(tmp) / "home")
                if isinstance(took, float):
                    print(
                        f"  neo4j-admin import {took:.2f} s  {n_links / took:9,.0f} links/s   "
                        f"loader / import = {loader / took:.2f} (offline, empty database, "
                        "no constraints, includes the tool's start-up)"
                    )
                else:
                    print(f"  neo4j-admin import: not run ({took})")
            if n_links <= args.naive_max_links:
                naive = _timed(naive_load, store, m)
                store.delete(m.id)
                print(
                    f"  naive      {naive:8.2f} s  {n_links / naive:9,.0f} links/s   "
                    f"naive / loader = {naive / loader:.1f}"
                )
            print(f"  load average after: {_load_average()}", flush=True)
    finally:
        for f in import_dir.glob("bench-*.csv"):
            f.unlink()
        store.close()
        if started:
            subprocess.run(
                [str(ROOT / "scripts" / "neo4j-local"), "stop", "--home", str(BENCH_HOME)],
                check=False,
            )


if __name__ == "__main__":
    main()
