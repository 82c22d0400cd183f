"""View benchmark: the map page from a workbook of csv files to a smooth picture.

Generated maps (labelled as generated; no real data) with five links per node, each
written as a workbook of csv files first (not timed). For each size:

* **write**: reading and checking that workbook and writing its map page
  (:func:`loaders.load_map` and :func:`views.map.write_map`, layout in Python
  included), as ``versterkt map`` does; by the wall clock, and the processor time
  of this process (less affected by other work on the machine);
* **ready**: opening the page in headless Chromium from the file, offline, until the
  page says it is ready (``data-ready``) and the next two frames have been drawn, by
  the page's own clock (from navigation) and by the wall clock around the browser;
* **drawn**: the nodes drawn after "Alles tonen" (every node, on both renderers);
* **zoom fps / pan fps**: animation frames per second (counted with
  ``requestAnimationFrame``) while a script zooms in with the mouse wheel for about
  two seconds, then drags the map across for about one, as a user does.

Maps of up to :data:`views.page.WEBGL_MIN_NODES` nodes are drawn with vis-network
(today's page), larger ones with WebGL (sigma.js). Headless Chromium draws WebGL in
software (SwiftShader), on the processor, so the frame rates here are what a
computer without a graphics card would show; any graphics card draws faster. The
load average before and after is printed too: other work on the machine slows every
figure down.

For the WebGL page the start steps it marks (``performance.mark``) are printed
too, in seconds from navigation: ``script`` (the page's script starts: the file is
read and parsed, the bundled sigma.js run), ``parsed`` (the map's data parsed),
``graph`` (nodes and links in the graph, at their positions from Python),
``renderer`` (sigma set up), ``drawn`` (the first picture asked for) and
``ready``.

``--baseline NODES`` adds the WebGL page of a map of that many nodes (say 20) as a
first row: how many frames a second this browser gives while zooming and panning
when there is next to nothing to draw, the most any map can reach on this machine.

Usage:
    python benchmarks/views.py                       # 1000 and 10000 nodes
    python benchmarks/views.py --sizes 1000,10000,100000 --repeat 1
    python benchmarks/views.py --sizes 10000 --repeat 1 --viewport 800x600 \
        --chromium-flag=--disable-gpu-vsync --keep /tmp/pages
    python benchmarks/views.py --sizes 10000 --baseline 20
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from graph.generate import generated_map  # noqa: E402
from loaders import load_map, write_workbook  # noqa: E402
from views.map import write_map  # noqa: E402
from views.page import WEBGL_MIN_NODES, uses_webgl  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
#: WebGL in software where there is no graphics card (as in CI and most servers).
CHROMIUM_ARGS = ["--no-sandbox", "--use-angle=swiftshader", "--enable-unsafe-swiftshader"]
SETTLED = """() => new Promise(done => {
    const check = () => document.body && document.body.dataset.ready === '1'
        ? requestAnimationFrame(() => requestAnimationFrame(() => done(performance.now())))
        : setTimeout(check, 20);
    check();
})"""
#: Counts animation frames (and the page's drawings of the map) until stopped.
COUNT_FRAMES = """() => {
    const run = {ticks: 0, frames: window.versterktFramesDrawn(), start: performance.now()};
    run.stop = false;
    const tick = () => { run.ticks += 1; if (!run.stop) requestAnimationFrame(tick); };
    requestAnimationFrame(tick);
    window.__frameRun = run;
}"""
STOP_COUNTING = """() => {
    const run = window.__frameRun;
    run.stop = true;
    const seconds = (performance.now() - run.start) / 1000;
    const drawn = window.versterktFramesDrawn() - run.frames;
    return {fps: run.ticks / seconds, drawn: drawn / seconds};
}"""


def move(page: Any, kind: str) -> dict[str, float]:
    """Zoom in with the mouse wheel (twelve notches, 150 ms apart) or pan by dragging
    the map across (forty steps over about a second), as a user does, while the page
    counts its animation frames: frames per second, and drawings of the map per
    second."""
    box = page.locator("#vk-network").bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.evaluate(COUNT_FRAMES)
    if kind == "zoom":
        for _ in range(12):
            page.mouse.wheel(0, -120)
            page.wait_for_timeout(150)
    else:
        page.mouse.down()
        for i in range(40):
            page.mouse.move(x - i * 12, y - i * 4)
            page.wait_for_timeout(25)
        page.mouse.up()
    page.wait_for_timeout(300)
    return page.evaluate(STOP_COUNTING)


#: The start steps the WebGL page marks, in seconds from navigation.
MARKS = """() => Object.fromEntries(performance.getEntriesByType('mark')
    .filter(m => m.name.startsWith('vk:'))
    .map(m => [m.name.slice(3), m.startTime / 1000]))"""


def viewport_size(text: str) -> dict[str, int]:
    """``"1280x800"`` as a viewport."""
    width, _, height = text.lower().partition("x")
    try:
        return {"width": int(width), "height": int(height)}
    except ValueError:
        raise argparse.ArgumentTypeError(f"not WIDTHxHEIGHT: {text!r}") from None


def measure(
    nodes: int,
    browser: Any,
    folder: Path,
    viewport: dict[str, int],
    keep: Path | None,
    renderer: str = "auto",
) -> dict[str, Any]:
    workbook = write_workbook(generated_map(nodes, nodes * 5, seed=1), folder / f"wb-{nodes}")
    start, cpu = time.perf_counter(), time.process_time()
    out = (keep or folder) / f"kaart-{nodes}-{renderer}.html"
    path = write_map(load_map(workbook), out, renderer=renderer)
    write, write_cpu = time.perf_counter() - start, time.process_time() - cpu
    page = browser.new_page(viewport=viewport)
    page.set_default_timeout(600_000)  # a busy machine is slow, not broken
    try:
        page.goto("about:blank")
        start = time.perf_counter()
        page.goto(path.as_uri(), wait_until="commit", timeout=300_000)
        page_clock = page.evaluate(SETTLED) / 1000
        wall = time.perf_counter() - start
        marks = page.evaluate(MARKS)
        page.locator("#vk-reset").click()
        page.evaluate(SETTLED)
        drawn = page.evaluate("() => window.versterktDrawnNodeIds().length")
        zoom = move(page, "zoom")
        pan = move(page, "pan")
    finally:
        page.close()
    return {
        "write": write,
        "write_cpu": write_cpu,
        "page": page_clock,
        "wall": wall,
        "drawn": drawn,
        "zoom": zoom["fps"],
        "pan": pan["fps"],
        "mb": path.stat().st_size / 1e6,
        "marks": marks,
    }


def load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000", help="node counts, comma separated")
    parser.add_argument("--repeat", type=int, default=2, help="runs per size (median shown)")
    parser.add_argument(
        "--viewport", type=viewport_size, default="1280x800", help="page size, WIDTHxHEIGHT"
    )
    parser.add_argument(
        "--chromium-flag",
        action="append",
        default=[],
        metavar="FLAG",
        help="one more Chromium flag (repeatable), e.g. --chromium-flag=--disable-gpu-vsync",
    )
    parser.add_argument("--keep", type=Path, metavar="DIR", help="keep the written pages in DIR")
    parser.add_argument(
        "--baseline",
        type=int,
        metavar="NODES",
        help="also the WebGL page of a map this small: the frames a second this browser "
        "gives when there is next to nothing to draw",
    )
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    if args.keep is not None:
        args.keep.mkdir(parents=True, exist_ok=True)

    from playwright.sync_api import sync_playwright

    print(f"renderer: vis-network up to {WEBGL_MIN_NODES} nodes, WebGL (sigma.js) above")
    print(f"load average (1, 5, 15 min) before: {load_average()}")
    viewport = args.viewport
    print(
        f"viewport {viewport['width']}x{viewport['height']}; Chromium flags: "
        f"{' '.join(CHROMIUM_ARGS + args.chromium_flag)}"
    )
    print(
        f"{'nodes':>7} {'links':>7} {'renderer':>8} {'MB':>6} {'write s':>8} {'(cpu)':>6} "
        f"{'ready s (page)':>15} {'ready s (wall)':>15} {'drawn':>7} {'zoom fps':>9} "
        f"{'pan fps':>8}"
    )
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS + args.chromium_flag
        )
        try:
            renderer = browser.new_page().evaluate(
                """() => {
                    const gl = document.createElement('canvas').getContext('webgl');
                    const info = gl && gl.getExtension('WEBGL_debug_renderer_info');
                    return info ? gl.getParameter(info.UNMASKED_RENDERER_WEBGL) : String(!!gl);
                }"""
            )
            print(f"WebGL: {renderer}")
            steps = []
            rows = [(n, "auto") for n in sizes]
            if args.baseline:
                rows.insert(0, (args.baseline, "webgl"))
            for nodes, asked in rows:
                runs = [
                    measure(nodes, browser, Path(tmp), viewport, args.keep, asked)
                    for _ in range(args.repeat)
                ]
                med = {k: statistics.median(r[k] for r in runs) for k in runs[0] if k != "marks"}
                steps += [(nodes, i, r["marks"]) for i, r in enumerate(runs, 1) if r["marks"]]
                kind = "webgl" if asked == "webgl" or uses_webgl(nodes) else "vis"
                print(
                    f"{nodes:>7} {nodes * 5:>7} {kind:>8} {med['mb']:>6.1f} {med['write']:>8.2f} "
                    f"{med['write_cpu']:>6.2f} "
                    f"{med['page']:>15.2f} {med['wall']:>15.2f} {int(med['drawn']):>7} "
                    f"{med['zoom']:>9.1f} {med['pan']:>8.1f}",
                    flush=True,
                )
        finally:
            browser.close()
    for nodes, run, marks in steps:
        # the start steps of each run, each from navigation, and the time since the last
        shown, last = [], 0.0
        for name, at in sorted(marks.items(), key=lambda item: item[1]):
            shown.append(f"{name} {at:.2f} (+{at - last:.2f})")
            last = at
        print(f"start steps, {nodes} nodes, run {run} (s from navigation): {', '.join(shown)}")
    if args.keep is not None:
        print(f"pages kept in {args.keep}")
    print(f"load average (1, 5, 15 min) after: {load_average()}")


if __name__ == "__main__":
    main()
