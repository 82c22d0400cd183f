"""Write benchmark: a generated map written as one .xlsx file and as a folder of .csv.

Generated maps (labelled as generated; no real data) with five links per node. Each
size is written with :func:`loaders.write_xlsx` and :func:`loaders.write_csv_folder`
(every cell checked and made inert on the way), and the median of ``--repeat`` runs
is printed, on the clock and in processor time, with the size of what was written.
The load average before and after is printed too: other work on the machine slows
the clock figures down.

Usage:
    python benchmarks/write.py                   # 1,000, 20,000 and 100,000 links
    python benchmarks/write.py --sizes 20000 --repeat 3
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from graph.generate import generated_map  # noqa: E402
from loaders import write_csv_folder, write_xlsx  # noqa: E402


def _timed(write: object, *args: object) -> tuple[float, float]:
    """Seconds on the clock and of processor time that one write took."""
    started, cpu = time.perf_counter(), time.process_time()
    write(*args)  # type: ignore[operator]
    return time.perf_counter() - started, time.process_time() - cpu


def _size(path: Path) -> int:
    if path.is_dir():
        return sum(f.stat().st_size for f in path.iterdir())
    return path.stat().st_size


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,20000,100000", help="links per map")
    parser.add_argument("--repeat", type=int, default=1, help="runs per size (median)")
    args = parser.parse_args(argv)
    print(f"load average before: {os.getloadavg()[0]:.1f}")
    print(
        f"{'nodes':>8} {'links':>8} {'xlsx':>9} {'(cpu)':>8} {'size':>8} "
        f"{'csv':>9} {'(cpu)':>8} {'size':>8}"
    )
    for links in (int(s) for s in args.sizes.split(",")):
        m = generated_map(nodes=max(2, links // 5), links=links, seed=1)
        with tempfile.TemporaryDirectory() as tmp:
            xlsx, folder = Path(tmp) / "kaart.xlsx", Path(tmp) / "kaart"
            xlsx_times = [_timed(write_xlsx, m, xlsx) for _ in range(args.repeat)]
            csv_times = [_timed(write_csv_folder, m, folder) for _ in range(args.repeat)]
            xlsx_wall, xlsx_cpu = (statistics.median(t) for t in zip(*xlsx_times, strict=True))
            csv_wall, csv_cpu = (statistics.median(t) for t in zip(*csv_times, strict=True))
            print(
                f"{links // 5:>8,} {links:>8,} {xlsx_wall:>8.2f}s {xlsx_cpu:>7.2f}s "
                f"{_size(xlsx) / 2**20:>6.1f}MB {csv_wall:>8.2f}s {csv_cpu:>7.2f}s "
                f"{_size(folder) / 2**20:>6.1f}MB",
                flush=True,
            )
    print(f"load average after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
