"""How fast the ``versterkt`` command starts: medians of whole-process runs.

Each command runs as a new process, the way a user types it, from an empty
directory, next to ``python -c pass`` (the interpreter's own start-up) on the same
machine. ``--help`` and ``info`` have a goal of 0.3 s; ``*`` marks a miss. The load
average before and after is printed with the figures: on a busy machine every
figure is higher. The CPU time (user and system) of each run is printed too; it
depends much less on what else the machine is doing.

    python benchmarks/startup.py [--runs 7]
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

#: Seconds within which the command list and ``info`` must start.
GOAL = 0.3


def versterkt_command() -> str:
    """The installed ``versterkt`` script of this interpreter's environment."""
    beside = Path(sys.executable).parent / "versterkt"
    found = str(beside) if beside.exists() else shutil.which("versterkt")
    if found is None:
        sys.exit("versterkt is not installed here: pip install . first")
    return found


def _cpu_of_children() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def median_seconds(argv: list[str], runs: int, cwd: Path) -> tuple[float, float]:
    """The median wall-clock and CPU time of ``runs`` runs of ``argv``.

    One unmeasured run comes first, so that every measured run finds the files cached.
    """
    walls, cpus = [], []
    for i in range(runs + 1):
        cpu, start = _cpu_of_children(), time.perf_counter()
        subprocess.run(argv, cwd=cwd, check=True, stdout=subprocess.DEVNULL)
        if i:
            walls.append(time.perf_counter() - start)
            cpus.append(_cpu_of_children() - cpu)
    return statistics.median(walls), statistics.median(cpus)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="runs per command (default 7)")
    args = parser.parse_args()

    versterkt = versterkt_command()
    cases: list[tuple[str, list[str], float | None]] = [
        ("python -c pass", [sys.executable, "-c", "pass"], None),
        ("versterkt --help", [versterkt, "--help"], GOAL),
        ("versterkt info", [versterkt, "info"], GOAL),
        ("versterkt map", [versterkt, "map", "--out", "kaart.html"], None),
    ]
    before = os.getloadavg()[0]
    rows = []
    with tempfile.TemporaryDirectory(prefix="versterkt-startup-") as empty:
        for label, argv, goal in cases:
            seconds, cpu = median_seconds(argv, args.runs, Path(empty))
            miss = " *" if goal is not None and seconds > goal else ""
            shown_goal = f"{goal} s" if goal else ""
            rows.append(f"| {label} | {seconds:.3f} s{miss} | {cpu:.3f} s | {shown_goal} |")
    after = os.getloadavg()[0]

    print(f"Medians of {args.runs} whole-process runs, from an empty directory.")
    print(f"Load average (1 min): {before:.2f} before, {after:.2f} after.\n")
    print("| command | median | CPU time | goal |")
    print("| --- | ---: | ---: | ---: |")
    print("\n".join(rows))


if __name__ == "__main__":
    main()
