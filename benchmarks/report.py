"""Report benchmark: the terugkoppeling of a round, from a workbook to a PDF.

For the bundled Vleuten map and the example cycle's round 2, and a generated map
(labelled as generated; no real data), the time of:

* **page**: reading and checking the workbook and writing the report's page for print
  (``versterkt verslag ... --out verslag.html``);
* **pdf**: the same, printed to PDF by headless Chromium (``--out verslag.pdf``), the
  browser's start included;
* **map page**: beside them, what a facilitator opens today to rebuild the report by
  hand: the interactive map page of the same round (``versterkt map``).

The load average before and after is printed: other work on the machine slows every
figure down, and a figure from a busy machine is no limit.

Usage:
    python benchmarks/report.py
    python benchmarks/report.py --repeat 5
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from graph import SystemMap  # noqa: E402
from graph.generate import generated_map  # noqa: E402
from loaders import EXAMPLE_CYCLE, VLEUTEN, load_map, write_workbook  # noqa: E402
from views.map import write_map  # noqa: E402
from views.report import write_report  # noqa: E402


def timed(action: Callable[[], object], repeat: int) -> float:
    """The median wall-clock seconds of ``action`` over ``repeat`` runs."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _map_page(m: SystemMap, path: Path, round: int | None) -> Path:
    return write_map(m, path, as_of_round=round)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        generated = out / "gegenereerd"
        write_workbook(generated_map(200, 1000, seed=1), generated)
        maps = [
            ("vleuten", VLEUTEN, None),
            ("voorbeeld ronde 2", EXAMPLE_CYCLE / "ronde-2", 2),
            ("generated 200 nodes", generated, None),
        ]
        print(f"{'map':<22}{'page':>9}{'pdf':>9}{'map page':>10}")
        for name, data, k in maps:
            figures = [
                timed(lambda: write(load_map(data), out / file, round=k), args.repeat)  # noqa: B023
                for write, file in (
                    (write_report, "v.html"),
                    (write_report, "v.pdf"),
                    (_map_page, "kaart.html"),
                )
            ]
            print(f"{name:<22}" + "".join(f"{f:>8.2f}s" for f in figures))
    print(f"load average after:  {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
