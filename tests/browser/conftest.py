"""Headless-Chromium harness for the offline HTML pages.

Every page is opened from a local file with all network access blocked: only
the page's own ``file://`` URL and ``data:``/``blob:`` URLs may load. Any other
request, any console error and any uncaught page error fails the test. A
screenshot of each view is kept under ``test-artifacts/screenshots/``.

The browser is Debian's Chromium at /usr/bin/chromium; ``scripts/install-browser``
installs it. A test that uses it is marked ``browser`` (see tests/conftest.py).

The pages carry a Content-Security-Policy without 'unsafe-eval': pass JavaScript
to ``page.evaluate``/``wait_for_function`` as a function (``"() => ..."``), not as
a bare expression, which Playwright would run through eval.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from sample_graph import SAMPLE_LEGEND, sample_graph

from views.page_records import LegendEntry

CHROMIUM = Path(os.environ.get("VERSTERKT_CHROMIUM", "/usr/bin/chromium"))

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-extensions",
    "--metrics-recording-only",
    "--no-default-browser-check",
    "--font-render-hinting=none",
]

DEFAULT_VIEWPORT = {"width": 1280, "height": 800}
READY_TIMEOUT_MS = 60_000


def _require_chromium() -> None:
    if not CHROMIUM.exists():
        pytest.fail(
            f"Chromium not found at {CHROMIUM}. Install it with: bash scripts/install-browser",
            pytrace=False,
        )


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    """A headless Chromium (Playwright Browser), shared by the session."""
    _require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=str(CHROMIUM),
            headless=True,
            args=CHROMIUM_ARGS,
        )
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture(scope="session")
def screenshot_dir(request: pytest.FixtureRequest) -> Path:
    base = os.environ.get("VERSTERKT_ARTIFACTS")
    root = Path(base) if base else Path(request.config.rootpath) / "test-artifacts"
    target = root / "screenshots"
    target.mkdir(parents=True, exist_ok=True)
    return target


def _safe_name(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", name).strip("_") or "page"


@dataclass
class OfflinePage:
    """An opened page plus what it tried to do on the network and the console."""

    page: Any
    context: Any
    path: Path
    url: str
    screenshot_dir: Path
    name: str
    blocked_requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    screenshots: list[Path] = field(default_factory=list)

    def wait_ready(self, timeout_ms: int = READY_TIMEOUT_MS) -> None:
        self.page.wait_for_function(
            "() => document.body && document.body.dataset.ready === '1'", timeout=timeout_ms
        )

    def wait_draws(self, count: int, timeout_ms: int = READY_TIMEOUT_MS) -> None:
        """Wait until the page has finished drawing ``count`` times in all."""
        self.page.wait_for_function(
            "n => Number(document.body.dataset.drawCount || 0) >= n",
            arg=count,
            timeout=timeout_ms,
        )

    def draw_count(self) -> int:
        return int(self.page.evaluate("() => Number(document.body.dataset.drawCount || 0)"))

    def evaluate(self, expression: str, arg: Any = None) -> Any:
        return self.page.evaluate(expression, arg)

    def screenshot(self, suffix: str = "") -> Path:
        stem = self.name + (f"--{_safe_name(suffix)}" if suffix else "")
        target = self.screenshot_dir / f"{stem}.png"
        self.page.screenshot(path=str(target))
        self.screenshots.append(target)
        return target

    def problems(self) -> list[str]:
        out = [f"blocked request: {u}" for u in self.blocked_requests]
        out += [f"console error: {m}" for m in self.console_errors]
        out += [f"page error: {m}" for m in self.page_errors]
        return out

    def assert_clean(self) -> None:
        problems = self.problems()
        assert not problems, "page was not clean:\n" + "\n".join(problems)

    def node_dom_position(self, node_id: str) -> tuple[float, float]:
        """Page coordinates (CSS pixels) of a drawn node's centre."""
        box = self.page.locator("#vk-network").bounding_box()
        assert box is not None
        pos = self.page.evaluate(
            """id => {
                const net = window.versterktNetwork;
                const p = net.getPositions([id])[id];
                return net.canvasToDOM(p);
            }""",
            node_id,
        )
        return box["x"] + pos["x"], box["y"] + pos["y"]


@pytest.fixture
def open_page(
    chromium: Any, screenshot_dir: Path, request: pytest.FixtureRequest
) -> Iterator[Callable[..., OfflinePage]]:
    """Factory: ``open_page(html_or_path, viewport=..., wait=True) -> OfflinePage``.

    ``allow_dir`` lets the page open other files in that folder (a bundle).
    ``init_script`` runs in the page before the page's own scripts (a probe).
    ``locale`` is the browser's own language (as ``en-US``), not the page's.

    Each call gets a fresh browser context (no shared storage), routes every
    request through a filter that only lets the page's own file and
    ``data:``/``blob:`` URLs through, and records console and page errors.
    At the end of the test each page is screenshotted and must be clean.
    """
    opened: list[OfflinePage] = []
    workdir = Path(tempfile.mkdtemp(prefix="versterkt-page-"))
    base_name = _safe_name(request.node.name)

    def _open(
        html: str | Path,
        *,
        viewport: dict[str, int] | None = None,
        wait: bool = True,
        name: str | None = None,
        allow_dir: Path | None = None,
        init_script: str | None = None,
        locale: str | None = None,
    ) -> OfflinePage:
        if isinstance(html, Path):
            path = html.resolve()
        else:
            path = workdir / f"page{len(opened)}.html"
            path.write_text(html, encoding="utf-8")
        url = path.as_uri()
        context = chromium.new_context(
            viewport=viewport or DEFAULT_VIEWPORT,
            accept_downloads=True,
            service_workers="block",
            java_script_enabled=True,
            **({"locale": locale} if locale else {}),
        )
        page_name = name or (base_name if not opened else f"{base_name}--{len(opened)}")
        session = OfflinePage(
            page=None,
            context=context,
            path=path,
            url=url,
            screenshot_dir=screenshot_dir,
            name=_safe_name(page_name),
        )

        folder = allow_dir.resolve().as_uri() + "/" if allow_dir else None

        def allowed(request_url: str) -> bool:
            if request_url.startswith(("data:", "blob:")):
                return True
            bare = request_url.split("#", 1)[0]
            # A bundle's pages may open each other: files in its folder only.
            return bare == url or bool(folder and bare.startswith(folder) and ".." not in bare)

        def route(route: Any) -> None:
            target = route.request.url
            if allowed(target):
                route.continue_()
            else:
                _note(session, target)
                route.abort("blockedbyclient")

        context.route("**/*", route)
        context.on("request", lambda r: None if allowed(r.url) else _note(session, r.url))
        if init_script:
            context.add_init_script(init_script)
        page = context.new_page()
        session.page = page
        page.on(
            "console",
            lambda msg: session.console_errors.append(msg.text) if msg.type == "error" else None,
        )
        page.on("pageerror", lambda exc: session.page_errors.append(str(exc)))
        page.on("websocket", lambda ws: session.blocked_requests.append(ws.url))
        opened.append(session)
        page.goto(url)
        if wait:
            session.wait_ready()
        return session

    yield _open

    problems: list[str] = []
    for session in opened:
        try:
            if not session.page.is_closed():
                session.screenshot()
        except Exception as exc:  # a broken page must not hide the real failure
            problems.append(f"{session.name}: screenshot failed: {exc}")
        problems += [f"{session.name}: {p}" for p in session.problems()]
        try:
            session.context.close()
        except Exception:
            pass
    shutil.rmtree(workdir, ignore_errors=True)
    if problems:
        pytest.fail("offline page problems:\n" + "\n".join(problems), pytrace=False)


def _note(session: OfflinePage, url: str) -> None:
    if url not in session.blocked_requests:
        session.blocked_requests.append(url)


@pytest.fixture
def sample() -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[LegendEntry]]:
    """(nodes, edges, legend) of a small synthetic map; a fresh copy per test (the
    legend's entries are frozen records)."""
    nodes, edges = sample_graph()
    return nodes, edges, list(SAMPLE_LEGEND)
