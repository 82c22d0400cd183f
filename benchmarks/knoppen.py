"""Knoppen benchmark: sampled leverage on a map of 2,000 factors.

A generated map (labelled as generated; no real data) of 2,000 factors and about
8,000 influence links, every weight unknown. Timed:

* **sample**: :func:`queries.knoppen.sample_effects`, 1,000 samples: the weights
  drawn, every sample's run to the outcome (the effect of every factor at once), the
  stable ones marked: the work behind ``versterkt query knoppen``;
* **knoppen**: the whole question, :func:`queries.knoppen.knoppen` (reading the map,
  sampling, ranking 2,000 factors with intervals).

Beside them, what one would write instead, timed on a few samples and scaled up to
1,000: per sample, a dense linear solve of ``(I - W) r = e_t`` in numpy (2,000 × 2,000),
and the same iteration as ours in plain Python loops over a networkx graph. The
unknown weights are drawn from 0.05 to 0.25 here, so that most samples are stable
(with the default 0.25 to 1 and four links into each factor, the loops of a random map
amplify every push, and every sample would be dropped). The load average before and
after is printed: other work on the machine slows every figure down.

Usage:
    python benchmarks/knoppen.py
    python benchmarks/knoppen.py --samples 1000 --repeat 3
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import networkx as nx  # noqa: E402
import numpy as np  # noqa: E402

from graph.generate import generated_map  # noqa: E402
from graph.model import SystemMap  # noqa: E402
from queries.knoppen import knoppen, sample_effects  # noqa: E402
from queries.scenarios import concept_map  # noqa: E402

NODES, LINKS = 2352, 10_000  # 2,000 factors, the rest actors and initiatives
RANGE = (0.05, 0.25)


def unknown_weights(m: SystemMap) -> SystemMap:
    """The same map with every influence weight unknown."""
    out = SystemMap(m.id, m.name, **m.meta)
    for node in m.nodes():
        out.add_node(node.kind, node.id, node.name, **node.fields)
    for link in m.links():
        fields = {k: v for k, v in link.fields.items() if k != "weight"}
        out.add_link(link.id, link.kind, link.source, link.target, **fields)
    for table, rows in m.records.items():
        for row in rows:
            out.add_record(table, **row)
    return out


def timed(f, repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = f()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def dense_solve(cm, target: str, weights: np.ndarray, links, samples: int) -> float:
    """Seconds per sample of ``numpy.linalg.solve`` on the dense matrix."""
    ids = cm.ids()
    at = {node: i for i, node in enumerate(ids)}
    n = len(ids)
    src = np.array([at[link["source"]] for link in links])
    dst = np.array([at[link["target"]] for link in links])
    e = np.zeros(n)
    e[at[target]] = 1.0
    start = time.perf_counter()
    for s in range(samples):
        w = np.zeros((n, n))
        np.add.at(w, (src, dst), weights[:, s])
        np.linalg.solve(np.eye(n) - w, e)
    return (time.perf_counter() - start) / samples


def networkx_loops(target: str, weights: np.ndarray, links, samples: int) -> float:
    """Seconds per sample of the same iteration, r = e_t + W r, in plain Python over a
    networkx graph, to the same tolerance."""
    start = time.perf_counter()
    for s in range(samples):
        g = nx.DiGraph()
        for row, link in enumerate(links):
            g.add_edge(link["source"], link["target"], w=float(weights[row, s]))
        r = dict.fromkeys(g, 0.0)
        for _ in range(300):
            new = {
                node: (1.0 if node == target else 0.0)
                + sum(data["w"] * r[after] for after, data in g.succ[node].items())
                for node in g
            }
            change = max(abs(new[node] - r[node]) for node in g)
            r = new
            if change < 1e-4:
                break
    return (time.perf_counter() - start) / samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--samples", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    m = unknown_weights(generated_map(NODES, LINKS, seed=1))
    cm = concept_map(m)
    target = "factor-0"
    factors = [n.id for n in m.factors() if n.id != target]
    signed = sum(1 for link in cm.links if link["sign"])
    print(f"map: {len(m.factors()):,} factors, {signed:,} influence links, weights unknown")

    seconds, result = timed(
        lambda: sample_effects(cm, target, factors, samples=args.samples, weight_range=RANGE),
        args.repeat,
    )
    kept = int(result.kept.sum())
    print(
        f"sample   {args.samples:,} samples: {seconds:.2f} s "
        f"({kept:,} kept, {args.samples - kept:,} dropped as unstable)"
    )
    seconds_all, table = timed(
        lambda: knoppen(m, target, samples=args.samples, weight_range=RANGE), args.repeat
    )
    print(f"knoppen  the whole question, {len(table):,} factors ranked: {seconds_all:.2f} s")

    few = sample_effects(cm, target, factors, samples=5, weight_range=RANGE)
    w = few.weights.astype(np.float64)
    dense = dense_solve(cm, target, w, few.links, 3) * args.samples
    print(f"instead: numpy dense solve per sample: {dense:.0f} s for {args.samples:,} (from 3)")
    loops = networkx_loops(target, w, few.links, 1) * args.samples
    print(f"instead: plain loops over networkx per sample: {loops:.0f} s for {args.samples:,} "
          "(from 1)")  # fmt: skip
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
