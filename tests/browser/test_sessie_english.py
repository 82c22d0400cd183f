"""A live session in English, in real Chromium: the projector and a phone speak English
from joining to the end (every button, status line and refusal of the tool's own), and
what the phone entered reaches the map."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from loaders import VLEUTEN, load_map
from tests.sessie_server import Server, start
from tests.test_error_language import foreign

RECEIVED = "() => /received/.test(document.getElementById('ontvangen').textContent)"


def _data_texts(data: Path) -> list[str]:
    """The map's own words (names, statements, groups, quotes): Dutch in both languages."""
    m = load_map(data)
    texts: set[str] = set()

    def add(values: Any) -> None:
        for value in values:
            if isinstance(value, str):
                texts.add(value)
            elif isinstance(value, (list, tuple)):
                add(value)

    add([m.name, *m.meta.values()])
    for node in m.nodes():
        add([node.name, *node.fields.values()])
    for rows in m.records.values():
        for row in rows:
            add(row.values())
    # the longest first, so that a name inside a longer text is not taken out alone
    return sorted((t for t in texts if len(t) > 2), key=len, reverse=True)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[dict[str, Any]]:
    data = tmp_path / "vleuten"
    shutil.copytree(VLEUTEN, data)
    running = start(data, tmp_path / "sessie.sqlite", "--session", "oudersessie", "--lang", "en")
    yield {"server": running, "data": data}
    running.stop()


def test_a_session_in_english_speaks_english_from_joining_to_the_end(
    chromium: Any, server: dict[str, Any], screenshot_dir: Path
) -> None:
    running: Server = server["server"]
    data: Path = server["data"]
    shown_data = _data_texts(data)
    errors: list[str] = []
    texts: list[tuple[str, str]] = []
    outside: list[str] = []

    def context(**options: Any) -> Any:
        ctx = chromium.new_context(service_workers="block", **options)
        ctx.route(
            "**/*",
            lambda r: (
                r.continue_()
                if r.request.url.startswith(running.base) or r.request.url.startswith("data:")
                else (outside.append(r.request.url), r.abort())
            ),
        )
        page = ctx.new_page()
        page.on("pageerror", lambda e: errors.append(str(e)))
        return ctx, page

    def read(where: str, page: Any) -> None:
        texts.append((where, page.evaluate("() => document.body.innerText")))

    projector_ctx, projector = context(viewport={"width": 1280, "height": 800})
    phone_ctx, phone = context(viewport={"width": 360, "height": 640}, is_mobile=True)
    try:
        projector.goto(f"{running.base}/projector#token={running.token}")
        projector.wait_for_function("() => document.body.dataset.ready === '1'")
        projector.wait_for_selector("#meedoen:not([hidden])")
        assert projector.evaluate("() => document.documentElement.lang") == "en"
        read("projector, start", projector)

        phone.goto(f"{running.base}/?code={running.code}")
        phone.wait_for_function("() => document.body.dataset.ready === '1'")
        assert phone.evaluate("() => document.documentElement.lang") == "en"
        read("phone, join", phone)
        phone.locator("input[type=radio]").first.check()
        phone.get_by_role("button", name="Take part").click()
        phone.wait_for_selector("#wachten:not([hidden])")
        read("phone, waiting", phone)

        projector.get_by_role("button", name="Open the vote", exact=True).click()
        phone.wait_for_selector("#vraag:not([hidden])")
        read("phone, question", phone)
        phone.locator("input[name=keuze][value=eens]").click()
        phone.locator("#versturen").click()
        phone.wait_for_function(RECEIVED)
        read("phone, received", phone)
        projector.wait_for_function(
            "() => JSON.parse(document.getElementById('uitslag').dataset.results || '{}')"
            ".answered === 1"
        )
        read("projector, results", projector)
        projector.screenshot(path=str(screenshot_dir / "sessie-english-projector.png"))

        projector.get_by_role("button", name="End the session", exact=True).click()
        projector.wait_for_function(
            "() => document.getElementById('uitkomst').textContent.length > 0", timeout=60_000
        )
        read("projector, ended", projector)
        phone.wait_for_function(
            "() => /ended/.test(document.getElementById('wachttekst').textContent)"
        )
        read("phone, ended", phone)
    finally:
        projector_ctx.close()
        phone_ctx.close()

    for where, text in texts:
        assert not foreign(text, "en", *shown_data), (where, text)
    assert "Your answer has been received" in dict(texts)["phone, received"]
    assert not errors, errors
    assert not outside, outside
    statement = load_map(data).records["votes"]
    assert [v["agree"] for v in statement if v.get("session") == "oudersessie"][:1] == [1]
