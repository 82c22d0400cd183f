"""The live session speaks the session's language: the projector and phone pages, the
words their scripts fill in, the items, the groups and the refusals."""

from __future__ import annotations

import html
import json
import re
import shutil
import uuid
import warnings
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from graph.catalogue import messages, words
from loaders import VLEUTEN, load_map
from queries.agenda import agenda
from queries.phrasing import phrase
from sessie.app import create_app
from sessie.run import open_session
from versterkt.cli import main

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

OTHER = {"nl": "en", "en": "nl"}


@pytest.fixture
def journal(tmp_path: Path) -> Iterator[Any]:
    data = tmp_path / "vleuten"
    shutil.copytree(VLEUTEN, data)
    j, _ = open_session(tmp_path / "sessie.sqlite", load_map(data), session="oudersessie")
    yield j
    j.close()


def client(journal: Any, lang: str) -> TestClient:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return TestClient(create_app(journal, lang=lang))


def own_words(lang: str) -> set[str]:
    """The session's words in ``lang`` that the other language does not share."""
    mine, other = messages(lang), messages(OTHER[lang])
    return {
        text
        for code, text in mine.items()
        if code.startswith("sessie.page.") and text != other[code] and "{" not in text
    }


def visible_text(page: str) -> str:
    """What a person reads or hears of ``page``: its text, alt texts, titles and labels."""
    shown = re.sub(r'<script type="application/json"[^>]*>.*?</script>', " ", page, flags=re.S)
    said = re.findall(r'(?:alt|title|aria-label)="([^"]*)"', shown)
    return html.unescape(" ".join([re.sub(r"<[^>]+>", " ", shown), *said]))


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_both_pages_speak_the_sessions_language_only(journal: Any, lang: str) -> None:
    c = client(journal, lang)
    page_words = words("sessie.page", lang)
    for path, heading in (("/", "join_title"), ("/projector", "end")):
        page = c.get(path).text
        assert f'<html lang="{lang}">' in page
        assert "{{" not in page
        text = visible_text(page)
        assert page_words[heading] in text
        other = [w for w in own_words(OTHER[lang]) if w in text]
        assert other == [], other
        # the words the script fills in are given with the page, in the same language
        data = re.search(r'<script type="application/json" id="woorden">(.*?)</script>', page, re.S)
        assert data is not None
        given = json.loads(data.group(1))
        assert given["wait"] == page_words["wait"]
        assert given["answers"]["oneens"] == messages(lang)["word.oneens"].capitalize()
        assert given["statuses"]["bevestigd"] == messages(lang)["word.bevestigd"]


def test_the_scripts_hold_no_words_of_either_language() -> None:
    every = own_words("nl") | own_words("en")
    for name in ("telefoon.js", "projector.js"):
        script = resources.files("sessie").joinpath("templates", name).read_text("utf-8")
        code = re.sub(r'\$\("\w+"\)', "", script)  # element ids are not words
        strings = re.findall(r'"([^"\\]*)"', code)
        assert [s for s in strings if s in every] == [], name
        assert not re.search(r'"[^"]*\b(van|Kies|Je|stemming|telefoons)\b[^"]*"', script), name


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_items_and_groups_are_in_the_sessions_language(journal: Any, lang: str) -> None:
    state = client(journal, lang).get("/api/state").json()
    labels = {g["id"]: g["label"] for g in state["groups"]}
    assert labels["ouder"] == messages(lang)["group.ouder"].capitalize()
    links = [i for i in state["items"] if i["kind"] == "relatie"]
    assert links
    m = load_map(VLEUTEN)
    sentences = [phrase(s, lang) for s in agenda(m, journal.plan["round"])["statement"]]
    assert [i["text"] for i in links] == sentences[: len(links)]
    (priority,) = [i for i in state["items"] if i["kind"] == "prioriteit"]
    assert priority["text"] == messages(lang)["sessie.page.priority"]


def test_a_link_item_reads_differently_in_each_language(journal: Any) -> None:
    texts = {
        lang: [i["text"] for i in client(journal, lang).get("/api/state").json()["items"]]
        for lang in ("nl", "en")
    }
    statements = [i for i in journal.plan["items"] if i["kind"] == "stelling"]
    n = len(statements)  # the statements are the workbook's own, in its language
    assert texts["nl"][:n] == texts["en"][:n]
    assert all(a != b for a, b in zip(texts["nl"][n:], texts["en"][n:], strict=True))


def refusals(c: TestClient, journal: Any) -> dict[str, dict[str, Any]]:
    """One refused request of each kind a phone meets, by what was asked."""
    out: dict[str, dict[str, Any]] = {}
    out["wrong code"] = c.post("/api/join", json={"code": "000000", "group": "ouder"}).json()
    joined = c.post("/api/join", json={"code": journal.code, "group": "ouder"}).json()
    item = journal.plan["items"][0]["id"]
    body = {"id": uuid.uuid4().hex, "item": item, "answer": "eens"}
    stranger = {"phone": "nobody", "secret": "x"}
    out["not joined"] = c.post("/api/answer", json={**stranger, **body}).json()
    phone = {"phone": joined["phone"], "secret": joined["secret"]}
    out["closed"] = c.post("/api/answer", json={**phone, **body}).json()
    out["other group"] = c.post("/api/answer", json={**phone, **body, "group": "jongere"}).json()
    auth = {"Authorization": f"Bearer {journal.token}"}
    c.post("/api/control", json={"action": "open"}, headers=auth)
    bad = {**phone, **body, "answer": "aanvulling"}
    out["bad answer"] = c.post("/api/answer", json=bad).json()
    mail = {**phone, **body, "remark": "mail me: iemand@example.com"}
    out["e-mail"] = c.post("/api/answer", json=mail).json()
    out["unknown action"] = c.post("/api/control", json={"action": "x"}, headers=auth).json()
    out["unreadable"] = c.post("/api/answer", content=b"{not json").json()
    return out


def test_refusals_carry_a_reason_and_are_said_in_the_sessions_language(tmp_path: Path) -> None:
    said: dict[str, dict[str, dict[str, Any]]] = {}
    for lang in ("nl", "en"):
        j, _ = open_session(tmp_path / f"{lang}.sqlite", load_map(VLEUTEN), session="oudersessie")
        try:
            said[lang] = refusals(client(j, lang), j)
        finally:
            j.close()
    reasons = {what: r["reason"] for what, r in said["nl"].items()}
    assert reasons == {what: r["reason"] for what, r in said["en"].items()}
    assert reasons["not joined"] == "not-joined" and reasons["wrong code"] == "wrong-code"
    assert len(set(reasons.values())) == len(reasons)
    for what, reason in reasons.items():
        nl, en = said["nl"][what]["error"], said["en"][what]["error"]
        assert nl != en, what
        assert nl.split()[0] == messages("nl")[f"sessie.refusal.{reason}"].split()[0]
        assert en.split()[0] == messages("en")[f"sessie.refusal.{reason}"].split()[0]
    assert "parent" in said["en"]["other group"]["error"]
    assert "ouder" in said["nl"]["other group"]["error"]
    assert said["en"]["bad answer"]["error"] == "Choose agree, neutral or disagree."
    assert said["nl"]["bad answer"]["error"] == "Kies eens, neutraal of oneens."
    assert "e-mail address" in said["en"]["e-mail"]["error"]


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_no_map_and_no_file_are_said_in_the_sessions_language(journal: Any, lang: str) -> None:
    c = client(journal, lang)
    kaart = c.get("/kaart")
    assert kaart.status_code == 404
    assert messages(lang)["sessie.page.no_map"] in kaart.text
    assert messages(OTHER[lang])["sessie.page.no_map"] not in kaart.text
    missing = c.get("/static/nergens.js")
    assert missing.status_code == 404 and missing.text == messages(lang)["sessie.page.not_found"]


def test_the_command_gives_the_server_its_language(tmp_path: Path, monkeypatch) -> None:
    import uvicorn

    served: list[Any] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **_: served.append(app))
    data = tmp_path / "vleuten"
    shutil.copytree(VLEUTEN, data)
    for lang in ("en", "nl"):
        journal = tmp_path / f"{lang}.sqlite"
        args = ["sessie", str(data), "--lang", lang, "--session", "oudersessie"]
        result = CliRunner().invoke(main, [*args, "--journal", str(journal)])
        assert result.exit_code == 0, result.output
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            page = TestClient(served[-1]).get("/").text
        assert f'<html lang="{lang}">' in page
        assert messages(lang)["sessie.page.join_title"] in page
