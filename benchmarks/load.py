"""Load benchmark: the batched Neo4j loader against a naive one-statement-per-row one.

Generated maps of increasing size (labelled as generated; no real data) are loaded
into a real local Neo4j server, after three unmeasured warm-up loads. For each size the
batched loader's links per second is printed, and the time to load the same map
again (every element compared, nothing written). On the smaller sizes the naive
loader runs on the same data too, and the ratio is printed; it is left out where it
would take many minutes.

Usage:
    python benchmarks/load.py                 # starts its own server (heap 8g)
    NEO4J_URI=bolt://... python benchmarks/load.py --sizes 1000:5000
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from graph.generate import generated_map  # noqa: E402
from graph.model import SystemMap  # noqa: E402
from graph.store import Neo4jStore  # noqa: E402

DEFAULT_SIZES = "1000:5000,10000:50000,100000:500000"
NAIVE_MAX_LINKS = 50_000


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


def _server() -> tuple[str, bool]:
    uri = os.environ.get("NEO4J_URI")
    if uri:
        return uri, False
    home = ROOT / ".neo4j-local" / "bench"
    out = subprocess.run(
        [
            str(ROOT / "scripts" / "neo4j-local"),
            "start",
            "--home",
            str(home),
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


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--sizes", default=DEFAULT_SIZES, help="nodes:links,... (default %(default)s)"
    )
    parser.add_argument("--naive-max-links", type=int, default=NAIVE_MAX_LINKS)
    args = parser.parse_args()
    uri, started = _server()
    password = os.environ.get("NEO4J_PASSWORD", "versterkt-local")
    store = Neo4jStore(uri, password=password)
    store.verify()
    store.ensure_schema()
    print(f"Neo4j at {uri}; generated maps (benchmark data, not real)")
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    # A few first loads warm up the server's JIT and query caches, as on a server that
    # has been running a while; they are not measured.
    warm = generated_map(2000, 10000, seed=1, map_id="bench-warm-up")
    for _ in range(3):
        store.load(warm)
        store.delete(warm.id)
    print(
        f"{'nodes':>8} {'links':>8} {'batched s':>10} {'links/s':>9} {'again s':>8} "
        f"{'naive s':>9} {'links/s':>8} {'ratio':>6}"
    )
    try:
        for size in args.sizes.split(","):
            n_nodes, n_links = (int(x) for x in size.split(":"))
            m = generated_map(n_nodes, n_links, seed=n_nodes, map_id=f"bench-{n_nodes}")
            store.delete(m.id)
            start = time.perf_counter()
            store.load(m)
            batched = time.perf_counter() - start
            counts = store.counts(m.id)
            assert counts["links"] == n_links, counts
            # The same map again: everything is compared, nothing is written.
            start = time.perf_counter()
            report = store.load(m)
            again = time.perf_counter() - start
            assert report.created == report.updated == report.removed == 0, report
            store.delete(m.id)
            line = (
                f"{n_nodes:>8} {n_links:>8} {batched:>10.2f} {n_links / batched:>9.0f} "
                f"{again:>8.2f}"
            )
            if n_links <= args.naive_max_links:
                start = time.perf_counter()
                naive_load(store, m)
                naive = time.perf_counter() - start
                store.delete(m.id)
                line += f" {naive:>9.2f} {n_links / naive:>8.0f} {naive / batched:>5.1f}x"
            else:
                line += f" {'(not run: too slow at this size)':>26}"
            print(line, flush=True)
    finally:
        store.close()
        if started:
            subprocess.run(
                [
                    str(ROOT / "scripts" / "neo4j-local"),
                    "stop",
                    "--home",
                    str(ROOT / ".neo4j-local" / "bench"),
                ],
                check=False,
            )


if __name__ == "__main__":
    main()
