"""View benchmark: time to write the map page, and until it has settled in Chromium.

Generated maps (labelled as generated; no real data) with about five links per node.
For each size the map page is written with :func:`views.map.write_map` (layout in
Python included), then opened in headless Chromium from the file, offline. Settled
means the page says it is ready (``data-ready``) and the next two frames have been
drawn, so the first picture is on the screen and the browser is idle again.

Two settle times are printed: from the page's own start (navigation, as the page's
clock counts it) and by the wall clock around the browser (which also counts
starting a renderer process for the file), and how many times the page drew the map
before it settled (once is right). A map of more than 100 nodes starts at its
outcome and what that is connected to: maps up to the page's size guard are drawn
whole with the rest faded, maps above it draw only that part (laid out in the
page), and that is what is timed. The load average before and after is printed too:
other work on the machine slows every figure down.

Usage:
    python benchmarks/views.py                  # 100, 2000 and 10000 nodes
    python benchmarks/views.py --sizes 500,2000 --repeat 3
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
from views.map import write_map  # noqa: E402
from views.page import DEFAULT_MAX_DRAWN_NODES  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
SETTLED = """() => new Promise(done => {
    const check = () => document.body && document.body.dataset.ready === '1'
        ? requestAnimationFrame(() => requestAnimationFrame(() => done(performance.now())))
        : setTimeout(check, 20);
    check();
})"""


def measure(nodes: int, browser, folder: Path) -> dict[str, float]:
    m = generated_map(nodes, nodes * 5, seed=1)
    start = time.perf_counter()
    path = write_map(m, folder / f"kaart-{nodes}.html")
    write = time.perf_counter() - start
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    try:
        page.goto("about:blank")
        start = time.perf_counter()
        page.goto(path.as_uri(), wait_until="commit")
        page_clock = page.evaluate(SETTLED) / 1000
        wall = time.perf_counter() - start
        drawn = page.evaluate("() => window.versterktDrawnNodeIds().length")
        frames = page.evaluate("() => window.versterktFramesDrawn()")
    finally:
        page.close()
    return {
        "write": write,
        "page": page_clock,
        "wall": wall,
        "drawn": drawn,
        "frames": frames,
        "mb": path.stat().st_size / 1e6,
    }


def load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,2000,10000", help="node counts, comma separated")
    parser.add_argument("--repeat", type=int, default=2, help="runs per size (median shown)")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]

    from playwright.sync_api import sync_playwright

    print(f"size guard: maps above {DEFAULT_MAX_DRAWN_NODES} nodes are drawn one part at a time")
    print(f"load average (1, 5, 15 min) before: {load_average()}")
    print(
        f"{'nodes':>6} {'links':>6} {'MB':>5} {'write s':>8} {'settled s (page)':>17} "
        f"{'settled s (wall)':>17} {'drawn':>6} {'frames':>6}"
    )
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu"]
        )
        try:
            for nodes in sizes:
                runs = [measure(nodes, browser, Path(tmp)) for _ in range(args.repeat)]
                med = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
                print(
                    f"{nodes:>6} {nodes * 5:>6} {med['mb']:>5.1f} {med['write']:>8.2f} "
                    f"{med['page']:>17.2f} {med['wall']:>17.2f} {int(med['drawn']):>6} "
                    f"{int(med['frames']):>6}"
                )
        finally:
            browser.close()
    print(f"load average (1, 5, 15 min) after: {load_average()}")


if __name__ == "__main__":
    main()
