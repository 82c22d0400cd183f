"""Archetype benchmark: false candidates on random maps, planted archetypes found.

Twenty generated maps (labelled as generated; no real data) of 200 factors and about
480 influence links each, 70% of them +, with no archetype drawn in. Everything
:func:`queries.archetypes.archetypes` lists on them is a *false candidate*: loops that
fall into an archetype's pattern by chance. Printed per archetype: how many false
candidates over the twenty maps, on how many of the maps, the most on one map.

Then each of the eight textbook diagrams (:data:`queries.archetypes.TEXTBOOK`) is
planted in each of the twenty maps (tied to it by six random links) and looked for:
how often it is found with its roles, and how long a map takes. The load average
before and after is printed: other work on the machine slows every figure down.

Usage:
    python benchmarks/archetypes.py
    python benchmarks/archetypes.py --maps 20 --max-length 6   # longer loops too
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from graph.generate import generated_map  # noqa: E402
from graph.vocabulary import LinkKind  # noqa: E402
from queries.archetypes import (  # noqa: E402
    ARCHETYPES,
    TEXTBOOK_LENGTH,
    archetypes,
    role_members,
)
from tests.test_archetypes import RANDOM_LINKS, RANDOM_NODES, plant  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--maps", type=int, default=20)
    parser.add_argument("--max-length", type=int, default=TEXTBOOK_LENGTH)
    args = parser.parse_args()
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    total: Counter[str] = Counter()
    maps_with: Counter[str] = Counter()
    most: Counter[str] = Counter()
    per_map, seconds = [], []
    for seed in range(args.maps):
        m = generated_map(RANDOM_NODES, RANDOM_LINKS, seed=1000 + seed)
        start = time.perf_counter()
        found = archetypes(m, max_length=args.max_length)
        seconds.append(time.perf_counter() - start)
        counts = Counter(found["archetype"])
        per_map.append(len(found))
        for name, count in counts.items():
            total[name] += count
            maps_with[name] += 1
            most[name] = max(most[name], count)
    print(
        f"{args.maps} random maps of {len(m.factors())} factors and about "
        f"{sum(1 for _ in m.links(LinkKind.INFLUENCES))} influence links, loops up to "
        f"{args.max_length} links, no archetype planted"
    )
    print(f"{'archetype':28} {'false':>6} {'maps':>5} {'most':>5}")
    for name in ARCHETYPES:
        print(f"{name:28} {total[name]:6} {maps_with[name]:5} {most[name]:5}")
    print(
        f"{'all':28} {sum(total.values()):6}   median per map {statistics.median(per_map):.0f}, "
        f"fewest {min(per_map)}, most {max(per_map)}; "
        f"{statistics.median(seconds) * 1000:.0f} ms per map (median)"
    )
    print()
    print(f"{'planted archetype':28} {'found with its roles':>21}")
    for name in ARCHETYPES:
        hits = 0
        for seed in range(args.maps):
            m = generated_map(RANDOM_NODES, RANDOM_LINKS, seed=1000 + seed)
            expected = plant(m, name, seed)
            found = archetypes(m, kinds=[name], max_length=args.max_length)
            hits += any(
                {role: set(nodes) for role, nodes in role_members(roles).items()} == expected
                for roles in found["roles"]
            )
        print(f"{name:28} {hits:>14} of {args.maps}")
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
