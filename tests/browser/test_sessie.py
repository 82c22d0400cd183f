"""A live session in real Chromium: the projector page and 30 phone pages (each its own
browser context, as each phone is its own browser) run six statements, five links and
the priority pick; the projector shows, and the map receives, what the phones entered.
Halfway through one statement the server is killed with SIGKILL and started again: the
phones that answered meanwhile send their answers again, and each counts once."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from loaders import VLEUTEN, load_map
from sessie.session import group_verdict
from tests.sessie_server import Server, start

PHONES = 30
GROUPS = ["ouder", "jongere", "professional"]
STATEMENT_ANSWERS = ["eens", "neutraal", "oneens"]
LINK_ANSWERS = ["eens", "oneens", "neutraal", "aanvulling"]
PHONE_VIEWPORT = {"width": 360, "height": 640}

# once the phone shows the item (opened on the projector), answer it as a person does
ANSWER = """async ([item, answer, remark]) => {
    const q = document.getElementById('vraag');
    for (let i = 0; i < 400 && (q.hidden || q.dataset.item !== item); i++) {
        await new Promise((done) => setTimeout(done, 25));
    }
    if (q.hidden || q.dataset.item !== item) throw new Error('the phone does not show ' + item);
    for (const value of [].concat(answer)) {
        document.querySelector(`input[name=keuze][value="${value}"]`).click();
    }
    if (remark) document.getElementById('opmerking').value = remark;
    document.getElementById('versturen').click();
}"""
RECEIVED = "() => /ontvangen/.test(document.getElementById('ontvangen').textContent)"
ANSWERED = """([item, n]) => {
    const out = document.getElementById('uitslag');
    return out.dataset.item === item && JSON.parse(out.dataset.results).answered === n;
}"""


def said(phone: int, item: dict[str, Any], k: int) -> Any:
    """What phone ``phone`` answers to the ``k``-th item."""
    if item["kind"] == "stelling":
        return STATEMENT_ANSWERS[(phone * 7 + k) % 3]
    if item["kind"] == "relatie":
        return LINK_ANSWERS[(phone + k) % 4]
    return [f"s{(phone + j) % 6}" for j in range(1 + phone % 3)]  # 1 to 3 picks


def remark(phone: int, k: int) -> str | None:
    return f"Herkenbaar, punt {k}" if phone % 10 == k % 10 else None


#: The item during which the server is killed, once half the phones have answered.
KILLED_AT = 3


@pytest.fixture
def server(tmp_path: Path) -> Iterator[dict[str, Any]]:
    data = tmp_path / "vleuten"
    shutil.copytree(VLEUTEN, data)
    journal = tmp_path / "sessie.sqlite"
    args = ("--session", "oudersessie", "--lang", "nl")  # the pages' words are Dutch
    running = {"server": start(data, journal, *args), "data": data}
    running["restart"] = lambda port: start(data, journal, *args, port=port)
    yield running
    running["server"].stop()


def only_from(base: str, blocked: list[str]) -> Any:
    def route(r: Any) -> None:
        if r.request.url.startswith(base) or r.request.url.startswith("data:"):
            r.continue_()
        else:
            blocked.append(r.request.url)
            r.abort()

    return route


def test_thirty_phones_run_a_session_into_the_map(
    chromium: Any, server: dict[str, Any], screenshot_dir: Path
) -> None:
    running: Server = server["server"]
    data: Path = server["data"]
    base = running.base
    blocked: list[str] = []
    errors: list[str] = []
    failed: list[str] = []
    contexts = []

    def context(**options: Any) -> Any:
        ctx = chromium.new_context(service_workers="block", **options)
        ctx.route("**/*", only_from(base, blocked))
        contexts.append(ctx)
        page = ctx.new_page()
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("requestfailed", lambda r: failed.append(r.url))
        return page

    try:
        projector = context(viewport={"width": 1280, "height": 800})
        projector.goto(f"{base}/projector#token={running.token}")
        projector.wait_for_function("() => document.body.dataset.ready === '1'")
        projector.wait_for_selector("#meedoen:not([hidden])")
        assert projector.text_content("#code") == running.code
        assert "token" not in projector.url  # out of sight of the room
        items = projector.evaluate("() => fetch('/api/state').then(r => r.json())")["items"]
        statements = [i["id"] for i in items if i["kind"] == "stelling"]
        assert [i["kind"] for i in items] == ["stelling"] * 6 + ["relatie"] * 5 + ["prioriteit"]

        phones = []
        for n in range(PHONES):
            phone = context(viewport=PHONE_VIEWPORT, is_mobile=True, has_touch=True)
            phone.goto(f"{base}/?code={running.code}")
            phone.wait_for_function("() => document.body.dataset.ready === '1'")
            phone.get_by_label(GROUPS[n % 3].capitalize(), exact=True).check()
            phone.get_by_role("button", name="Meedoen").click()
            phones.append(phone)
        for phone in phones:
            phone.wait_for_selector("#wachten:not([hidden])")

        def control(name: str) -> None:
            projector.get_by_role("button", name=name, exact=True).click()

        entered: dict[str, list[tuple[str, Any, str | None]]] = {}
        for k, item in enumerate(items):
            if k:
                control("Volgende")
            if k == 6:
                control("Opmerkingen tonen")
            control("Stemming openen")
            answers = []
            for n, phone in enumerate(phones):
                value = said(n, item, k)
                if item["kind"] == "prioriteit":
                    value = [statements[int(v[1:])] for v in value]
                note = remark(n, k) if item["kind"] != "prioriteit" else None
                if k == KILLED_AT and n == PHONES // 2:
                    # the laptop's server is killed: the other half answer meanwhile,
                    # their phones keep the answers and send them again once it is back
                    for earlier in phones[:n]:
                        earlier.wait_for_function(RECEIVED)
                    running.kill()
                phone.evaluate(ANSWER, [item["id"], value, note])
                answers.append((GROUPS[n % 3], value, note))
            if k == KILLED_AT:
                assert not any(p.evaluate(RECEIVED) for p in phones[PHONES // 2 :])
                running = server["server"] = server["restart"](int(base.rsplit(":", 1)[1]))
            for phone in phones:
                phone.wait_for_function(RECEIVED, timeout=30_000)
            entered[item["id"]] = answers
            projector.wait_for_function(ANSWERED, arg=[item["id"], PHONES])
            shown = projector.evaluate(
                "() => JSON.parse(document.getElementById('uitslag').dataset.results)"
            )
            if item["kind"] == "stelling":
                expected = {a: sum(v == a for _, v, _ in answers) for a in STATEMENT_ANSWERS}
                assert shown["counts"] == expected
                bars = projector.locator("#uitslag .aantal").all_text_contents()
                assert bars == [str(expected[a]) for a in STATEMENT_ANSWERS]
            elif item["kind"] == "relatie":
                for group in GROUPS:
                    mine = [v for g, v, _ in answers if g == group]
                    counts = {a: mine.count(a) for a in LINK_ANSWERS}
                    assert shown["groups"][group] == {**counts, "verdict": group_verdict(counts)}
                notes = sorted(r["text"] for r in shown["remarks"])
                assert notes == sorted(n for _, _, n in answers if n)
                assert projector.locator("#opmerkingen li").count() == len(notes)
            else:
                picks = {s: sum(s in v for _, v, _ in answers) for s in statements}
                assert shown["counts"] == picks
            if k in (0, 6, 11):
                projector.screenshot(path=str(screenshot_dir / f"sessie-projector-{k}.png"))
                phones[0].screenshot(path=str(screenshot_dir / f"sessie-telefoon-{k}.png"))

        control("Sessie afsluiten")
        projector.wait_for_function(
            "() => /gezet/.test(document.getElementById('uitkomst').textContent)", timeout=60_000
        )
        for phone in phones[:3]:
            phone.wait_for_function(
                "() => /afgelopen/.test(document.getElementById('wachttekst').textContent)"
            )
        assert not blocked, blocked
        # only the outage shows: requests that failed while the server was down
        outage = ("net::ERR_CONNECTION_REFUSED", "net::ERR_INCOMPLETE_CHUNKED_ENCODING")
        assert not [e for e in errors if not any(o in e for o in outage)], errors
        assert all(url.startswith(base) for url in failed), failed
    finally:
        for ctx in contexts:
            ctx.close()

    # the map holds what the phones entered: per group and link one verdict, the votes,
    # the priority picks, the remarks by group, how many took part
    m = load_map(data)
    reviews = {(r["link"], r["group"]): r for r in m.reviews if r.get("session") == "oudersessie"}
    links = [i["id"] for i in items if i["kind"] == "relatie"]
    assert len(reviews) == len(links) * len(GROUPS)
    for link in links:
        for group in GROUPS:
            mine = [(v, n) for g, v, n in entered[link] if g == group]
            counts = {a: [v for v, _ in mine].count(a) for a in LINK_ANSWERS}
            review = reviews[(link, group)]
            assert review["verdict"] == group_verdict(counts)
            assert review["round"] == 1
            for _, note in mine:
                if note:
                    assert note in review["note"]
    votes = {v["statement"]: v for v in m.votes if v["session"] == "oudersessie"}
    for s in statements:
        answers = entered[s]
        assert votes[s]["agree"] == sum(v == "eens" for _, v, _ in answers)
        assert votes[s]["neutral"] == sum(v == "neutraal" for _, v, _ in answers)
        assert votes[s]["disagree"] == sum(v == "oneens" for _, v, _ in answers)
        assert votes[s]["priority"] == sum(s in v for _, v, _ in entered["prioriteit"])
        for group, _, note in answers:
            if note:
                assert f"{group}: «{note}»" in votes[s]["note"]
    attendance = {a["group"]: a["count"] for a in m.records["attendance"]}
    assert attendance == {g: PHONES // 3 for g in GROUPS}
