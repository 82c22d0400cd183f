"""Ask the questions in Cypher of a map already in Neo4j, with the code of one checkout.

``benchmarks/queries.py --against DIR`` starts this script twice: with this checkout
and with ``DIR`` (a checkout of an earlier version of versterkt) first on the import
path, so that the same questions can be timed with both in turn, each in a process of
its own, on the same map, the same server and in the same minutes. It reads one
request a line on standard input, as JSON: ``{"name": ..., "options": {...}, "runs":
N}``, asks ``queries.cypher.<name>`` once to warm up and then ``runs`` times, and
writes ``{"ms": [...], "rows": R}`` a line.

Usage (started by queries.py, not by hand):
    python benchmarks/ask_neo4j.py DIR NEO4J_URI MAP_ID
"""

from __future__ import annotations

import json
import os
import sys
import time


def main() -> None:
    checkout, uri, map_id = sys.argv[1:4]
    sys.path.insert(0, checkout)
    from graph.store import Neo4jStore  # the checkout's code
    from queries import cypher

    store = Neo4jStore(uri, password=os.environ.get("NEO4J_PASSWORD", "versterkt-local"))
    try:
        for line in sys.stdin:
            request = json.loads(line)
            ask = getattr(cypher, request["name"])
            answer = ask(store, map_id, **request["options"])
            times = []
            for _ in range(request["runs"]):
                start = time.perf_counter()
                ask(store, map_id, **request["options"])
                times.append((time.perf_counter() - start) * 1000)
            print(json.dumps({"ms": times, "rows": len(answer)}), flush=True)
    finally:
        store.close()


if __name__ == "__main__":
    main()
