"""Query benchmark: every question on the SystemMap (embedded) and in Cypher on Neo4j.

A generated map (benchmark data, not real: 2,000 nodes and 10,000 links by default,
plus generated statements, votes, quotes and reviews so that every question has
something to count) is loaded into Neo4j. Each question then runs on both backends:
one warm-up run (the first Cypher run of a query also plans it), then the median of
``--runs`` runs, fewer when a question takes longer than ``--budget`` seconds. The
answers of the two backends are compared, and each latency is checked against its
target: 200 ms embedded, 500 ms on Neo4j. The load average before and after is
printed too: other work on the machine slows every figure.

Uses NEO4J_URI and NEO4J_PASSWORD when set; otherwise starts a local server in
.neo4j-local/bench-queries and stops it afterwards.

First, with no database, loops are set against networkx: every loop up to each
length in ``--loop-bounds``, on a generated map and on real maps imported from other
tools (``--real``, any file ``versterkt import`` reads), next to
``networkx.simple_cycles(length_bound=...)`` on the same graph: the time of each and
whether both give the same loops (as cycles of nodes; versterkt also tells apart
loops that run over parallel links). ``--loops-only`` stops there.

``--against DIR`` (a checkout of an earlier version, e.g. made with ``git worktree
add``) compares the code on Neo4j with that version instead: the map is loaded once,
then each question is asked in Cypher by this code and by the earlier one in turn,
each in a process of its own, ``--pairs`` times (which goes first changing every
turn), each time ``--runs`` runs after a warm-up, so that both meet the same load.
It prints the median of each turn and the median over all turns.

Usage:
    python benchmarks/queries.py
    NEO4J_URI=bolt://... python benchmarks/queries.py --nodes 2000 --links 10000 --runs 5
    python benchmarks/queries.py --loops-only --real kaart.json --loop-bounds 6,11
    python benchmarks/queries.py --against ../versterkt-old --nodes 10000 --links 50000
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import networkx as nx  # noqa: E402
import pandas as pd  # noqa: E402

from graph import SystemMap, schema  # noqa: E402
from graph.generate import ORIGIN, generated_map  # noqa: E402
from graph.store import Neo4jStore  # noqa: E402
from graph.vocabulary import LinkKind  # noqa: E402
from loaders.interchange import read_map  # noqa: E402
from queries import (  # noqa: E402
    QUERIES,
    cypher,
    evidence,
    influence,
    leverage,
    loops,
    paths,
    perspectives,
    social_map,
    statements,
)
from queries._common import link_graph  # noqa: E402

HOME = ROOT / ".neo4j-local" / "bench-queries"
LAUNCHER = ROOT / "scripts" / "neo4j-local"
MAP_ID = "bench-queries"
TARGET_EMBEDDED_MS = 200
TARGET_NEO4J_MS = 500
#: Maps in other tools' files, kept with the tests (see tests/interchange/LICENSES.md):
#: MentalModeler's own example model, and a Kumu project export written for the tests.
#: Give a larger real map with --real.
REAL_MAPS = (
    ROOT / "tests" / "interchange" / "fish_wetland_ozesmi.mmp",
    ROOT / "tests" / "interchange" / "kumu-project.json",
)


def with_records(m: SystemMap, seed: int) -> SystemMap:
    """Add generated sessions, statements with votes, quotes and reviews to ``m``."""
    rng = random.Random(seed)
    nodes = [n.id for n in m.nodes()]
    links = [link.id for link in m.links()]
    sessions = [f"sessie-{i}" for i in range(5)]
    for i, session in enumerate(sessions):
        m.add_node("Session", session, f"Sessie {i}", session_kind="toetsing", origin=ORIGIN)
    for i in range(30):
        statement = f"stelling-{i}"
        m.add_node("Statement", statement, f"Stelling {i}", focus=i < 2, origin=ORIGIN)
        for session in sessions:
            counts = {k: rng.randint(0, 40) for k in ("agree", "neutral", "disagree", "priority")}
            m.add_record("votes", statement=statement, session=session, **counts, origin=ORIGIN)
    for i in range(400):
        about = rng.sample(nodes, 1) + rng.sample(links, rng.randint(0, 2))
        m.add_node(
            "Quote",
            f"citaat-{i}",
            f"Gegenereerd citaat {i}",
            group=rng.choice(schema.GROUPS),
            session=rng.choice(sessions),
            about=tuple(about),
            origin=ORIGIN,
        )
    for i in range(1000):
        m.add_record(
            "reviews",
            id=f"toets-{i}",
            link=rng.choice(links),
            round=1,
            group=rng.choice(schema.GROUPS),
            verdict=rng.choice(schema.VERDICTS),
            session=rng.choice(sessions),
        )
    return m


def questions(m: SystemMap, depth: int, loop_length: int) -> list[tuple[str, dict[str, Any]]]:
    """The questions and their options: ``name`` is the function's name in each module."""
    target = "factor-0"
    chains = influence.drivers(m, target, depth)
    source = chains[chains["length"] == depth]["source"].iloc[0]  # a node `depth` links away
    return [
        ("drivers", {"target": target, "max_depth": depth}),
        ("driven_by", {"source": source, "max_depth": depth}),
        ("all_paths", {"source": source, "target": target, "max_length": depth + 1}),
        ("shortest_paths", {"source": source, "target": target}),
        ("leverage_points", {"target": target, "max_depth": depth}),
        ("centrality", {}),  # estimated from a sample of sources on a map this size
        ("centrality", {"exact": True}),
        ("loops", {"max_length": loop_length}),
        ("loop_participation", {"max_length": loop_length}),
        ("votes", {}),
        ("statement_ranking", {}),
        ("by_factor", {}),
        ("by_place", {}),
        ("unaddressed_factors", {}),
        ("missing_cooperation", {}),
        ("link_evidence", {}),
        ("single_source_links", {}),
        ("untested_hypotheses", {}),
        ("group_emphasis", {}),
    ]


EMBEDDED: dict[str, Callable[..., pd.DataFrame]] = {
    f.__name__: f
    for f in (
        influence.drivers,
        influence.driven_by,
        paths.all_paths,
        paths.shortest_paths,
        leverage.leverage_points,
        leverage.centrality,
        loops.loops,
        loops.loop_participation,
        statements.votes,
        statements.statement_ranking,
        social_map.by_factor,
        social_map.by_place,
        social_map.unaddressed_factors,
        social_map.missing_cooperation,
        evidence.link_evidence,
        evidence.single_source_links,
        evidence.untested_hypotheses,
        perspectives.group_emphasis,
    )
}
#: The functions the ``versterkt query`` command names, and those names.
COMMAND_NAMES = {f.__name__: name for name, f in QUERIES.items() if f.__name__ != "influence"}
COMMAND_NAMES["drivers"] = "influence"


def load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def timed(call: Callable[[], pd.DataFrame], runs: int, budget: float) -> tuple[float, int, Any]:
    """Median seconds of up to ``runs`` runs after a warm-up (fewer past ``budget``; a
    warm-up past the budget counts as the one run)."""
    start = time.perf_counter()
    answer = call()
    warm_up = time.perf_counter() - start
    if warm_up > budget:
        return warm_up, 1, answer
    times: list[float] = []
    while len(times) < runs and (not times or sum(times) < budget):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return statistics.median(times), len(times), answer


def _node_cycles(cycles: Any) -> set[tuple[str, ...]]:
    """Loops as cycles of nodes from their smallest node: how networkx lists them."""
    out = set()
    for cycle in cycles:
        cycle = list(cycle)
        i = cycle.index(min(cycle))
        out.add(tuple(cycle[i:] + cycle[:i]))
    return out


def loops_against_networkx(label: str, m: SystemMap, bounds: list[int], budget: float) -> bool:
    """Print versterkt's loops next to networkx's simple cycles, per bound; True when
    both give the same loops and versterkt's search is no slower at every bound.

    Three times: versterkt's search for the loops alone (what networkx does), the
    whole answer (the search, signs and strengths, the count of longer loops and the
    DataFrame), and networkx's ``simple_cycles`` into a list.
    """
    g = nx.MultiDiGraph()
    g.add_nodes_from(n.id for n in m.nodes())
    g.add_edges_from((lk.source, lk.target, lk.id) for lk in m.links(LinkKind.INFLUENCES))
    links = link_graph(m)
    all_good = True
    for bound in bounds:
        search_s, _, _ = timed(lambda b=bound: list(loops.loop_chains(links, b)), 3, budget)
        ours_s, _, ours = timed(partial(loops.loops, m, max_length=bound), 3, budget)
        theirs_s, _, theirs = timed(
            lambda b=bound: list(nx.simple_cycles(g, length_bound=b)), 3, budget
        )
        same = _node_cycles(ours["members"]) == _node_cycles(theirs)
        good = same and search_s <= theirs_s * 1.1  # 10% for the noise of a shared machine
        all_good &= good
        note = loops.bound_note(ours) or "nothing longer"
        print(
            f"{label:<26} {bound:>5} {len(ours):>7} {len(theirs):>8} {search_s * 1000:>9.1f} "
            f"{ours_s * 1000:>9.1f} {theirs_s * 1000:>9.1f}  {'yes' if same else 'NO':<4}"
            f"{' ' if good else '*'} {note}",
            flush=True,
        )
    return all_good


def loops_section(args: argparse.Namespace) -> None:
    bounds = [int(b) for b in args.loop_bounds.split(",")]
    maps: list[tuple[str, SystemMap]] = [
        (
            f"generated {args.loop_nodes}/{args.loop_links}",
            generated_map(args.loop_nodes, args.loop_links, args.seed, "loops"),
        )
    ]
    for path in args.real or REAL_MAPS:
        m, _ = read_map(path)
        maps.append((Path(path).name[:26], m))
    print(
        "Loops against networkx.simple_cycles(length_bound) on the same graph "
        "(median of up to 3 runs, ms); the generated map is benchmark data, not real"
        + ("" if args.real else "; kumu-project.json was written for the tests")
    )
    header = (
        f"{'map':<26} {'bound':>5} {'loops':>7} {'networkx':>8} {'search':>9} "
        f"{'answer':>9} {'networkx':>9}  same  beyond the bound"
    )
    print(header)
    print("-" * len(header))
    good = [loops_against_networkx(label, m, bounds, args.budget) for label, m in maps]
    print("search, answer and networkx: ms; loops compared as cycles of nodes")
    print(
        "versterkt's search: no slower than networkx, same loops"
        if all(good)
        else "* slower than networkx, or other loops"
    )
    print()


def _server() -> tuple[str, bool]:
    uri = os.environ.get("NEO4J_URI")
    if uri:
        return uri, False
    out = subprocess.run(
        [str(LAUNCHER), "start", "--home", str(HOME)], check=True, capture_output=True, text=True
    )
    return out.stdout.strip().splitlines()[-1], True


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--nodes", type=int, default=2000)
    parser.add_argument("--links", type=int, default=10000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--depth", type=int, default=3, help="chains and paths (default 3)")
    parser.add_argument("--loop-length", type=int, default=4, help="loops (default 4)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--budget", type=float, default=20.0, help="seconds per question")
    parser.add_argument("--loop-bounds", default="4,6,8", help="loops against networkx")
    parser.add_argument("--loop-nodes", type=int, default=300)
    parser.add_argument("--loop-links", type=int, default=1200)
    parser.add_argument(
        "--real", action="append", help="a map from another tool (repeat; default: the tests')"
    )
    parser.add_argument("--loops-only", action="store_true", help="no Neo4j: loops only")
    parser.add_argument(
        "--against", type=Path, help="an earlier checkout: compare the Neo4j questions with it"
    )
    parser.add_argument("--pairs", type=int, default=3, help="turns of each code (--against)")
    args = parser.parse_args()

    if args.against:
        against_main(args)
        return
    loops_section(args)
    if args.loops_only:
        return

    m = with_records(generated_map(args.nodes, args.links, args.seed, MAP_ID), args.seed)
    uri, started = _server()
    store = Neo4jStore(uri, password=os.environ.get("NEO4J_PASSWORD", "versterkt-local"))
    try:
        store.verify()
        store.load(m)
        counts = m.counts()
        print(
            f"Neo4j at {uri}; generated map (benchmark data, not real): "
            f"{m.graph.number_of_nodes()} nodes, {sum(1 for _ in m.links())} links "
            f"({counts.get(LinkKind.INFLUENCES, 0)} INFLUENCES), {counts.get('Quote', 0)} quotes, "
            f"{counts.get('Review', 0)} reviews, {counts.get('Statement', 0)} statements; "
            f"seed {args.seed}"
        )
        print(
            f"median of up to {args.runs} runs after one warm-up; targets "
            f"{TARGET_EMBEDDED_MS} ms embedded, {TARGET_NEO4J_MS} ms Neo4j"
        )
        print(f"load average (1, 5, 15 min) before: {load_average()}\n")
        header = (
            f"{'question':<20} {'command':<13} {'parameters':<46} {'rows':>6} "
            f"{'embedded ms':>12} {'neo4j ms':>9}  same"
        )
        print(header)
        print("-" * len(header))
        missed = []
        for name, options in questions(m, args.depth, args.loop_length):
            embedded, runs_e, expected = timed(
                partial(EMBEDDED[name], m, **options), args.runs, args.budget
            )
            neo4j, runs_n, actual = timed(
                partial(getattr(cypher, name), store, MAP_ID, **options), args.runs, args.budget
            )
            try:
                pd.testing.assert_frame_equal(actual, expected, check_exact=True)
                same = "yes"
            except AssertionError:
                same = "NO"
            marks = []
            for backend, seconds, target, runs in (
                ("embedded", embedded, TARGET_EMBEDDED_MS, runs_e),
                ("neo4j", neo4j, TARGET_NEO4J_MS, runs_n),
            ):
                cell = f"{seconds * 1000:.0f}" + ("*" if seconds * 1000 > target else "")
                marks.append(cell + (f" ({runs})" if runs < args.runs else ""))
                if seconds * 1000 > target:
                    missed.append(f"{name} ({backend})")
            parameters = ", ".join(f"{k}={v}" for k, v in options.items()) or "-"
            print(
                f"{name:<20} {COMMAND_NAMES.get(name, ''):<13} {parameters:<46} "
                f"{len(expected):>6} {marks[0]:>12} {marks[1]:>9}  {same}",
                flush=True,
            )
        print("\n* misses its target; (n): median of n runs, cut short by the time budget")
        print("missed: " + (", ".join(missed) if missed else "none"))
        print(f"load average (1, 5, 15 min) after: {load_average()}")
    finally:
        store.delete(MAP_ID)
        store.close()
        if started:
            subprocess.run([str(LAUNCHER), "stop", "--home", str(HOME)], check=False)


# --- this code against an earlier one ---------------------------------------------------


def against_main(args: argparse.Namespace) -> None:
    """The Neo4j questions asked by this code and by the checkout ``args.against`` in
    turn, on one map loaded once. Each code asks in a process of its own
    (``benchmarks/ask_neo4j.py``), so that neither carries the generated map in memory."""
    if not (args.against / "queries" / "cypher.py").is_file():
        sys.exit(f"{args.against}: not a checkout of versterkt (no queries/cypher.py)")
    m = with_records(generated_map(args.nodes, args.links, args.seed, MAP_ID), args.seed)
    asked = questions(m, args.depth, args.loop_length)
    uri, started = _server()
    store = Neo4jStore(uri, password=os.environ.get("NEO4J_PASSWORD", "versterkt-local"))
    askers: list[subprocess.Popen[str]] = []
    try:
        store.verify()
        store.load(m)
        print(
            f"Neo4j at {uri}; generated map (benchmark data, not real): "
            f"{m.graph.number_of_nodes()} nodes, {sum(1 for _ in m.links())} links; "
            f"seed {args.seed}"
        )
        del m
        askers = [_asker(checkout, uri) for checkout in (ROOT, args.against)]
        print(
            f"this code against {args.against}: each question {args.pairs} turns of each, "
            f"in turn, {args.runs} runs a turn after a warm-up; ms, median of each turn"
        )
        print(f"load average (1, 5, 15 min) before: {load_average()}\n")
        header = f"{'question':<20} {'rows':>6}  {'this code':<28} {'earlier':<28} ratio"
        print(header)
        print("-" * len(header))
        for name, options in asked:
            if name == "centrality" and options.get("exact"):
                continue  # seconds a run at these sizes, and computed on the client
            times: list[list[list[float]]] = [[], []]
            rows = 0
            for turn in range(args.pairs):
                # which code goes first changes every turn
                for which in (0, 1) if turn % 2 == 0 else (1, 0):
                    ms, rows = _ask(askers[which], name, options, args.runs)
                    times[which].append(ms)
            medians = [statistics.median([x for t in turns for x in t]) for turns in times]
            cells = [
                _turns([statistics.median(t) for t in turns], median)
                for turns, median in zip(times, medians, strict=True)
            ]
            print(
                f"{name:<20} {rows:>6}  {cells[0]:<28} {cells[1]:<28} "
                f"{medians[0] / medians[1]:.2f}",
                flush=True,
            )
        print("\nratio: this code's median over the earlier code's; below 1 is faster")
        print(f"load average (1, 5, 15 min) after: {load_average()}")
    finally:
        for asker in askers:
            if asker.stdin is not None:
                asker.stdin.close()
            asker.wait(timeout=60)
        store.delete(MAP_ID)
        store.close()
        if started:
            subprocess.run([str(LAUNCHER), "stop", "--home", str(HOME)], check=False)


def _asker(checkout: Path, uri: str) -> subprocess.Popen[str]:
    """A process that asks the questions with the code of ``checkout``."""
    return subprocess.Popen(
        [sys.executable, str(ROOT / "benchmarks" / "ask_neo4j.py"), str(checkout), uri, MAP_ID],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(checkout)},
    )


def _ask(
    asker: subprocess.Popen[str], name: str, options: dict[str, Any], runs: int
) -> tuple[list[float], int]:
    """The milliseconds of ``runs`` runs of a question after a warm-up, and its rows."""
    assert asker.stdin is not None and asker.stdout is not None
    asker.stdin.write(json.dumps({"name": name, "options": options, "runs": runs}) + "\n")
    asker.stdin.flush()
    reply = asker.stdout.readline()
    if not reply:
        sys.exit(f"{asker.args[2]}: stopped answering at {name}")
    answer = json.loads(reply)
    return answer["ms"], answer["rows"]


def _turns(medians: list[float], overall: float) -> str:
    """``12.3 (11.9 13.0 12.1)``: the median over all turns, then each turn's."""
    return f"{overall:.1f} (" + " ".join(f"{x:.1f}" for x in medians) + ")"


# --- scenarios --------------------------------------------------------------------------

from queries import scenarios  # noqa: E402


def sign_only_map(nodes: int, links: int, seed: int) -> SystemMap:
    """A generated map (not real data) of ``nodes`` factors and actors and ``links``
    influence links with a sign and no weight: every weight is drawn in a scenario."""
    rng = random.Random(seed)
    m = SystemMap("bench-scenarios", "Gegenereerd: scenario's", origin=ORIGIN)
    ids = [f"f{i}" for i in range(nodes)]
    for i, node in enumerate(ids):
        if i % 10 == 0:
            m.add_node("Actor", node, f"Actor {i}", actor_kind="groep", origin=ORIGIN)
        else:
            m.add_node("Factor", node, f"Factor {i}", level="persoon", role="bron", origin=ORIGIN)
    seen: set[tuple[str, str]] = set()
    while len(seen) < links:
        source, target = rng.sample(ids, 2)
        if (source, target) in seen or target.endswith("0"):
            continue  # no duplicates; links end at factors (every tenth node is an actor)
        seen.add((source, target))
        sign = "+" if rng.random() < 0.7 else "-"
        m.add_link(f"l{len(seen)}", LinkKind.INFLUENCES, source, target, sign=sign, origin=ORIGIN)
    return m


def scenarios_main(argv: list[str]) -> None:
    """Scenarios: draws over unknown weights on a sign-only map, embedded."""
    parser = argparse.ArgumentParser(description="Scenario benchmark (see scenarios_main)")
    parser.add_argument("--nodes", type=int, default=2000)
    parser.add_argument("--links", type=int, default=10000)
    parser.add_argument("--draws", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    m = sign_only_map(args.nodes, args.links, args.seed)
    knob = "f1"
    print(
        f"\nScenarios: a sign-only generated map of {args.nodes:,} nodes and {args.links:,} "
        f"influence links, {args.draws:,} draws, knob {knob} turned up (+1); defaults "
        "(Kosko, sigmoid, tolerance 0.001); median of the runs after a warm-up."
    )
    print(f"load average (1, 5, 15 min) before: {load_average()}")
    for label, options in (
        ("draws", {"draws": args.draws}),
        ("draws, all and confirmed", {"draws": args.draws, "compare": True}),
    ):
        call = partial(scenarios.answer, m, {knob: 1.0}, **options)
        seconds, runs, answer = timed(call, args.runs, budget=60.0)
        moving = int((answer["direction"].isin(["up", "down"])).sum())
        uncertain = int((answer["direction"] == "uncertain").sum())
        mark = "*" if seconds > 1.0 else ""
        print(
            f"  {label:<28} {seconds * 1000:>7.0f} ms{mark} ({runs} runs): "
            f"{moving} rows move, {uncertain} uncertain, converged "
            f"{answer['converged'].min():.0%}"
        )
    print("* misses the target of one second")
    print(f"load average (1, 5, 15 min) after: {load_average()}")


if __name__ == "__main__":
    if sys.argv[1:2] == ["scenarios"]:  # only this section: python benchmarks/queries.py scenarios
        scenarios_main(sys.argv[2:])
    else:
        main()
        if "--against" not in sys.argv:
            scenarios_main([])
