"""The live session without a browser: the journal, the app's API through Starlette's
test client, hostile requests, and the answers put into the map."""

from __future__ import annotations

import csv
import json
import shutil
import sqlite3
import time
import uuid
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from loaders import EXAMPLE_CYCLE, VLEUTEN, WorkbookInvalid, load_map
from loaders.review_form import add_form_reviews
from sessie.app import Limits, RateLimit, create_app
from sessie.journal import AnswerConflict, Journal, JournalError
from sessie.run import open_session, record_session, save_result, summary
from sessie.session import group_verdict, session_file
from versterkt.cli import main

# these tests read the commands' English sentences
pytestmark = pytest.mark.usefixtures("english_output")

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

LINK = "inv-druk-leeftijdsgenoten-prestatiedruk"


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


class Session:
    """A session on a copy of the Vleuten workbook, driven through the API."""

    def __init__(self, tmp_path: Path, limits: Limits | None = None) -> None:
        self.data = tmp_path / "vleuten"
        shutil.copytree(VLEUTEN, self.data)
        self.journal, _ = open_session(
            tmp_path / "sessie.sqlite", load_map(self.data), session="oudersessie"
        )
        record = lambda: summary(record_session(self.journal, workbook=self.data), "de werkmap")  # noqa: E731
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            self.client = TestClient(create_app(self.journal, record=record, limits=limits))
        self.items = [item["id"] for item in self.journal.plan["items"]]

    def control(self, action: str, token: str | None = None) -> Any:
        token = self.journal.token if token is None else token
        return self.client.post(
            "/api/control", json={"action": action}, headers={"Authorization": f"Bearer {token}"}
        )

    def go_to(self, item: str) -> None:
        while self.client.get("/api/state").json()["state"]["item"] != item:
            self.control("next")
        self.control("open")

    def join(self, group: str) -> dict[str, str]:
        reply = self.client.post("/api/join", json={"code": self.journal.code, "group": group})
        assert reply.status_code == 200, reply.text
        return dict(reply.json())

    def answer(self, phone: dict[str, str], item: str, answer: Any, **extra: Any) -> Any:
        body = {
            "id": uuid.uuid4().hex,
            "phone": phone["phone"],
            "secret": phone["secret"],
            "item": item,
            "answer": answer,
            **extra,
        }
        return self.client.post("/api/answer", json=body)


@pytest.fixture
def session(tmp_path: Path) -> Iterator[Session]:
    s = Session(tmp_path)
    yield s
    s.journal.close()


# --- the journal -----------------------------------------------------------------------


def test_journal_is_wal_with_full_sync_and_resumes_where_it_stopped(tmp_path: Path) -> None:
    j, resumed = open_session(tmp_path / "j.sqlite", load_map(), session="oudersessie")
    assert not resumed
    phone, _ = j.join("ouder")
    assert j.answer("answer-0001", phone, "prioriteit", "minder-meten-toetsen", None) == "new"
    j.set_state("next", current=3, open=True)
    code, token = j.code, j.token
    j.close()
    raw = sqlite3.connect(tmp_path / "j.sqlite")
    assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    raw.close()
    again, resumed = open_session(tmp_path / "j.sqlite", load_map())
    assert resumed
    assert (again.code, again.token) == (code, token)
    assert again.state()["current"] == 3 and again.state()["open"]
    assert again.answer_count() == 1
    assert again._db.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    # the same answer sent again is recorded once; the same id with another answer is refused
    assert again.answer("answer-0001", phone, "prioriteit", "minder-meten-toetsen", None) == "same"
    with pytest.raises(AnswerConflict):
        again.answer("answer-0001", phone, "prioriteit", "ouders-geluk-kind", None)
    assert again.answer_count() == 1


def test_a_journal_of_another_map_or_none_is_refused(tmp_path: Path) -> None:
    m = load_map()
    j, _ = open_session(tmp_path / "j.sqlite", m, session="oudersessie")
    j.close()
    other = load_map(EXAMPLE_CYCLE / "ronde-1")
    with pytest.raises(JournalError, match="holds a session of map 'vleuten'"):
        open_session(tmp_path / "j.sqlite", other)
    (tmp_path / "junk.sqlite").write_bytes(b"not a database at all" * 100)
    with pytest.raises(JournalError, match="not a session journal"):
        Journal(tmp_path / "junk.sqlite")


def test_the_latest_answer_of_a_phone_counts_once(tmp_path: Path) -> None:
    j = Journal(tmp_path / "j.sqlite")
    j.begin({"items": []}, code="123456", token="t")
    a, _ = j.join("ouder")
    b, _ = j.join("jongere")
    j.answer("a-00000001", a, "s", "eens", None)
    j.answer("a-00000002", a, "s", "oneens", "toch niet")
    j.answer("b-00000001", b, "s", "eens", None)
    assert j.tally("s") == {"ouder": {"oneens": 1}, "jongere": {"eens": 1}}


# --- what the answers come to ------------------------------------------------------------


def test_group_verdict_is_the_most_given_and_a_split_group_is_neutral() -> None:
    assert group_verdict({"eens": 3, "oneens": 2, "neutraal": 1}) == "eens"
    assert group_verdict({"eens": 2, "oneens": 2}) == "neutraal"
    assert group_verdict({"oneens": 1, "aanvulling": 5}) == "oneens"
    assert group_verdict({"aanvulling": 1}) == "aanvulling"
    assert group_verdict({}) is None


def test_an_unanswered_statement_is_unknown_not_zero() -> None:
    plan = {
        "map": "m",
        "round": 1,
        "session": "s",
        "groups": ["ouder"],
        "statements": ["a", "b"],
        "items": [
            {"kind": "stelling", "id": "a"},
            {"kind": "stelling", "id": "b"},
            {"kind": "prioriteit", "id": "prioriteit"},
        ],
    }
    latest = [{"group": "ouder", "item": "a", "answer": "eens", "remark": None}]
    votes = session_file(plan, latest, {"ouder": 1})["votes"]
    assert votes == [{"statement": "a", "eens": 1, "neutraal": 0, "oneens": 0}]


# --- the app ------------------------------------------------------------------------------


def test_a_whole_session_goes_into_the_workbook_once(session: Session) -> None:
    s = session
    statements = [i for i in s.items if not i.startswith("inv-") and i != "prioriteit"]
    phones = [s.join(g) for g in ("ouder", "ouder", "ouder", "jongere", "jongere")]
    s.go_to(statements[0])
    for phone, said in zip(phones, ["eens", "eens", "oneens", "neutraal", "eens"], strict=True):
        assert s.answer(phone, statements[0], said).status_code == 200
    s.control("show-remarks")
    s.go_to(LINK)
    said = ["eens", "oneens", "oneens", "eens", "aanvulling"]
    for i, (phone, verdict) in enumerate(zip(phones, said, strict=True)):
        remark = {"remark": "Herkenbaar bij ons"} if i == 0 else {}
        assert s.answer(phone, LINK, verdict, **remark).status_code == 200
    shown = s.client.get("/api/results").json()
    assert shown["groups"]["ouder"] == {
        "eens": 1,
        "oneens": 2,
        "neutraal": 0,
        "aanvulling": 0,
        "verdict": "oneens",
    }
    assert shown["groups"]["jongere"]["verdict"] == "eens"
    assert shown["status"] == "betwist"
    assert shown["remarks"] == [{"group": "Ouder", "text": "Herkenbaar bij ons"}]
    s.go_to("prioriteit")
    for phone in phones[:4]:
        reply = s.answer(phone, "prioriteit", statements[:3])
        assert reply.status_code == 200, reply.text
    assert s.answer(phones[4], "prioriteit", [statements[5]]).status_code == 200
    counts = s.client.get("/api/results").json()["counts"]
    assert counts[statements[0]] == 4 and counts[statements[5]] == 1
    ended = s.control("end").json()
    assert ended["ended"] and ended["outcome"]["error"] is None, ended
    assert "2 oordelen" in ended["outcome"]["recorded"]
    reviews = {(r["relatie"], r["groep"]): r for r in rows(s.data / "toetsing.csv")}
    assert reviews[(LINK, "ouder")]["oordeel"] == "oneens"
    assert reviews[(LINK, "ouder")]["sessie"] == "oudersessie"
    assert "1 eens, 2 oneens" in reviews[(LINK, "ouder")]["toelichting"]
    assert "Herkenbaar bij ons" in reviews[(LINK, "ouder")]["toelichting"]
    assert reviews[(LINK, "jongere")]["oordeel"] == "eens"
    votes = {(r["stelling"], r["sessie"]): r for r in rows(s.data / "stemmen.csv")}
    first = votes[(statements[0], "oudersessie")]
    assert (first["eens"], first["neutraal"], first["oneens"], first["prioriteit"]) == (
        "3",
        "1",
        "1",
        "4",
    )
    assert votes[(statements[5], "oudersessie")]["prioriteit"] == "1"
    assert votes[(statements[5], "oudersessie")]["eens"] == ""  # not asked: unknown
    attendance = {r["groep"]: r["aantal"] for r in rows(s.data / "deelname.csv")}
    assert attendance == {"ouder": "3", "jongere": "2"}
    # ending again records nothing twice
    again = s.control("end").json()["outcome"]["recorded"]
    assert again.startswith("Niets nieuws")
    assert len(rows(s.data / "toetsing.csv")) == 2
    # after the end, nothing more is taken
    assert s.answer(phones[0], "prioriteit", statements[:1]).status_code == 409


def test_the_pages_and_assets_are_served_without_anything_from_outside(session: Session) -> None:
    for path in ("/", "/projector"):
        page = session.client.get(path)
        assert page.status_code == 200
        assert "default-src 'none'" in page.headers["content-security-policy"]
        assert "http" not in page.text.replace('lang="nl"', "")
    for name in ("telefoon.js", "projector.js", "sessie.css"):
        asset = session.client.get(f"/static/{name}")
        assert asset.status_code == 200 and "https://" not in asset.text
        assert "innerHTML" not in asset.text
    assert session.client.get("/static/..%2fapp.py").status_code == 404
    info = session.client.get(
        "/api/facilitator", headers={"Authorization": f"Bearer {session.journal.token}"}
    ).json()
    assert info["code"] == session.journal.code
    assert info["qr"].startswith("data:image/svg+xml")
    assert info["joinUrl"].endswith(f"/?code={session.journal.code}")
    # the public state never gives the join code away
    assert session.journal.code not in session.client.get("/api/state").text


# --- hostile requests ---------------------------------------------------------------------


def test_forged_and_wrong_requests_are_refused_and_the_session_runs_on(session: Session) -> None:
    s = session
    statement = s.items[0]
    wrong = s.client.post("/api/join", json={"code": "000000", "group": "ouder"})
    assert wrong.status_code == 403 and "code klopt niet" in wrong.json()["error"]
    no_group = s.client.post("/api/join", json={"code": s.journal.code, "group": "x"})
    assert no_group.status_code == 400
    phone = s.join("ouder")
    closed = s.answer(phone, statement, "eens")
    assert closed.status_code == 409 and "niet stemmen" in closed.json()["error"]
    assert s.control("open", token="guessed").status_code == 403
    assert s.client.post("/api/control", json={"action": "open"}).status_code == 403
    s.control("open")
    forged = s.answer({"phone": phone["phone"], "secret": "forged"}, statement, "eens")
    assert forged.status_code == 403
    unknown = s.answer({"phone": "nobody", "secret": "x"}, statement, "eens")
    assert unknown.status_code == 403
    other_group = s.answer(phone, statement, "eens", group="jongere")
    assert other_group.status_code == 403
    assert "alleen voor die groep" in other_group.json()["error"]
    assert s.answer(phone, statement, "aanvulling").status_code == 400  # not for a statement
    assert s.answer(phone, statement, "<script>").status_code == 400
    assert s.answer(phone, "prioriteit", ["minder-meten-toetsen"]).status_code == 409
    assert s.answer(phone, "nergens", "eens").status_code == 400
    bad_id = s.client.post(
        "/api/answer",
        json={**phone, "id": "x", "item": statement, "answer": "eens"},
    )
    assert bad_id.status_code == 400
    assert s.client.post("/api/answer", content=b"{not json").status_code == 400
    assert s.client.post("/api/answer", content=b"[1, 2]").status_code == 400
    huge = s.client.post("/api/answer", content=b"{" + b" " * 10_000 + b"}")
    assert huge.status_code == 413
    long_remark = s.answer(phone, statement, "eens", remark="x" * 501)
    assert long_remark.status_code == 413
    private = s.answer(phone, statement, "eens", remark="mail me: iemand@example.com")
    assert private.status_code == 422 and "e-mail" in private.json()["error"]
    assert "er staat een e-mailadres in" in private.json()["error"]  # the page's Dutch
    # a replay: acknowledged again, counted once
    body = {**phone, "id": uuid.uuid4().hex, "item": statement, "answer": "oneens"}
    assert s.client.post("/api/answer", json=body).json() == {
        "ok": True,
        "id": body["id"],
        "again": False,
    }
    assert s.client.post("/api/answer", json=body).json()["again"] is True
    changed = s.client.post("/api/answer", json={**body, "answer": "eens"})
    assert changed.status_code == 409
    assert s.client.get("/api/results").json()["counts"] == {"eens": 0, "neutraal": 0, "oneens": 1}
    assert s.journal.answer_count() == 1
    # priority picks: at most three distinct statements of the list
    s.go_to("prioriteit")
    statements = s.journal.plan["statements"]
    assert s.answer(phone, "prioriteit", statements[:4]).status_code == 400
    assert s.answer(phone, "prioriteit", [statements[0]] * 2).status_code == 400
    assert s.answer(phone, "prioriteit", ["elders"]).status_code == 400
    assert s.answer(phone, "prioriteit", []).status_code == 400
    assert s.answer(phone, "prioriteit", statements[:3]).status_code == 200


def test_a_flood_from_one_phone_is_refused_and_counted_once(tmp_path: Path) -> None:
    s = Session(tmp_path, Limits(burst=20, per_second=5))
    flooder, other = s.join("ouder"), s.join("jongere")
    s.go_to(s.items[0])
    body = {**flooder, "id": uuid.uuid4().hex, "item": s.items[0], "answer": "eens"}
    began = time.monotonic()
    statuses = [s.client.post("/api/answer", json=body).status_code for _ in range(1000)]
    allowed = 20 + 5 * (time.monotonic() - began) + 1  # the burst, and what refilled since
    assert statuses.count(200) <= allowed
    assert statuses.count(429) == 1000 - statuses.count(200)
    refused = s.client.post("/api/answer", json=body)
    assert "Te veel verzoeken" in refused.json()["error"]
    # the others are not held up, and the flood counted once
    assert s.answer(other, s.items[0], "oneens").status_code == 200
    assert s.client.get("/api/results").json()["counts"] == {"eens": 1, "neutraal": 0, "oneens": 1}
    s.journal.close()


def test_rate_limit_refills_over_time() -> None:
    limit = RateLimit(burst=2, per_second=1)
    assert [limit.allow("p", now=0.0) for _ in range(3)] == [True, True, False]
    assert limit.allow("p", now=1.0) and not limit.allow("p", now=1.0)
    assert limit.allow("q", now=1.0)


def test_guessing_a_phones_secret_is_slowed_down(session: Session) -> None:
    s = session
    phone = s.join("ouder")
    s.go_to(s.items[0])
    statuses = [
        s.answer({"phone": f"fake-{n}", "secret": "x"}, s.items[0], "eens").status_code
        for n in range(40)
    ]
    assert statuses.count(429) >= 25 and set(statuses) == {403, 429}
    # a phone that joined is not held up by them
    assert s.answer(phone, s.items[0], "eens").status_code == 200


def test_guessing_the_join_code_is_slowed_down(session: Session) -> None:
    for _ in range(40):  # a room full of phones behind one address joins
        session.join("ouder")
    statuses = [
        session.client.post("/api/join", json={"code": f"{n:06d}", "group": "ouder"}).status_code
        for n in range(40)
    ]
    assert statuses.count(429) >= 25
    # once spent, even the right code waits: guessing gains nothing
    right = session.client.post("/api/join", json={"code": session.journal.code, "group": "ouder"})
    assert right.status_code == 429


# --- into the map -------------------------------------------------------------------------


def test_votes_already_recorded_otherwise_are_refused_and_nothing_is_written(
    session: Session,
) -> None:
    s = session
    phone = s.join("ouder")
    s.go_to(s.items[0])
    s.answer(phone, s.items[0], "eens")
    before = (s.data / "stemmen.csv").read_bytes()
    path = save_result(s.journal)
    data = json.loads(path.read_text(encoding="utf-8"))
    data["votes"][0]["eens"] = 7
    path.write_text(json.dumps(data), encoding="utf-8")
    m = load_map(s.data)
    m.add_record("votes", statement=s.items[0], session="oudersessie", agree=2)
    with pytest.raises(WorkbookInvalid, match=r"votes\[0\]: stemmen already records"):
        add_form_reviews(m, path)
    assert (s.data / "stemmen.csv").read_bytes() == before


def test_the_session_file_checks_votes_and_attendance(tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    path.write_text(
        json.dumps(
            {
                "format": "versterkt-toetssessie",
                "version": 1,
                "map": "vleuten",
                "round": 1,
                "votes": [
                    {"statement": "minder-meten-toetsn", "eens": -1, "oneens": True, "x": 1},
                    {"statement": "ouders-geluk-kind", "eens": 2},
                    {"statement": "ouders-geluk-kind", "eens": 2},
                ],
                "attendance": [{"group": "ouders", "count": 3}, {"group": "ouder"}],
            }
        ),
        encoding="utf-8",
    )
    with pytest.raises(WorkbookInvalid) as caught:
        add_form_reviews(load_map(), path, session=None)
    found = {(e.column, str(e.message).split(" (")[0]) for e in caught.value.errors}
    assert ("votes[0].statement", 'unknown statement "minder-meten-toetsn"') in found
    assert ("votes[0].eens", "must be a whole number, 0 or more") in found
    assert ("votes[0].oneens", "must be a whole number, 0 or more") in found
    assert ("votes[0].x", "unknown field") in found
    assert any(c == "votes[2]" and "appears twice" in msg for c, msg in found)
    assert any(c == "attendance[0].group" for c, _ in found)
    assert ("attendance[1].count", "required value missing") in found


def test_the_command_puts_a_journal_into_the_workbook(session: Session) -> None:
    s = session
    phone = s.join("professional")
    s.go_to(LINK)
    s.answer(phone, LINK, "oneens", remark="Niet bij ons op school")
    journal = s.journal.path
    command = ["sessie", str(s.data), "--journal", str(journal), "--import"]
    result = CliRunner().invoke(main, command)
    assert result.exit_code == 0, result.output
    assert f"Recorded in {s.data}: 1 review, 0 votes on statements" in result.output
    reviews = rows(s.data / "toetsing.csv")
    assert [(r["groep"], r["oordeel"]) for r in reviews] == [("professional", "oneens")]
    again = CliRunner().invoke(main, [*command, "--lang", "nl"])
    assert again.exit_code == 0
    assert again.output.startswith(f"Niets nieuws: alles van deze sessie staat al in {s.data}.")
    assert f"(uit {journal.with_suffix('.json')})" in again.output
    assert len(rows(s.data / "toetsing.csv")) == 1
    # the same file reads with review-import
    saved = journal.with_suffix(".json")
    same = CliRunner().invoke(main, ["review-import", str(saved), str(s.data)])
    assert same.exit_code == 0 and "Nothing new" in same.output, same.output
    fresh = s.data.with_name("fresh")
    shutil.copytree(VLEUTEN, fresh)
    into_fresh = CliRunner().invoke(main, ["review-import", str(saved), str(fresh)])
    assert "Recorded the session's counts in" in into_fresh.output
    assert "1 in deelname" in into_fresh.output and "Recorded 1 review" in into_fresh.output
    command[3] = str(journal.with_name("nope.sqlite"))
    missing = CliRunner().invoke(main, command)
    assert missing.exit_code == 2 and "no journal" in missing.output
