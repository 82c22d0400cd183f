"""The session server killed with SIGKILL while phones answer, and started again: every
answer it acknowledged is there, none twice, and the phones' answers sent again after
the restart count once."""

from __future__ import annotations

import shutil
import sqlite3
import threading
import uuid
from pathlib import Path
from typing import Any

import httpx

from loaders import VLEUTEN
from tests.sessie_server import start

PHONES = 30


def test_a_killed_session_restarts_with_every_acknowledged_answer_once(tmp_path: Path) -> None:
    data = tmp_path / "vleuten"
    shutil.copytree(VLEUTEN, data)
    journal = tmp_path / "sessie.sqlite"
    server = start(data, journal, "--session", "oudersessie")
    try:
        client = httpx.Client(base_url=server.base, timeout=5)
        bearer = {"Authorization": f"Bearer {server.token}"}
        groups = ["ouder", "jongere", "professional"]
        phones = []
        for i in range(PHONES):
            joined = client.post("/api/join", json={"code": server.code, "group": groups[i % 3]})
            assert joined.status_code == 200, joined.text
            phones.append(joined.json())
        items = [i["id"] for i in client.get("/api/state").json()["items"]]
        assert client.post("/api/control", json={"action": "open"}, headers=bearer).is_success
        # every phone answers the first statement, then changes its mind once
        answers: list[dict[str, Any]] = []
        for n, phone in enumerate(phones):
            for said in (["eens", "oneens", "neutraal"][n % 3], "oneens" if n % 2 else "eens"):
                answers.append(
                    {
                        "id": uuid.uuid4().hex,
                        "phone": phone["phone"],
                        "secret": phone["secret"],
                        "item": items[0],
                        "answer": said,
                    }
                )
        acknowledged: list[str] = []
        lock = threading.Lock()
        half = threading.Event()

        def send(queues: list[list[dict[str, Any]]]) -> None:
            """Phones sending their queues as the page does: in order, the next only
            once the one before is acknowledged."""
            with httpx.Client(base_url=server.base, timeout=5) as own:
                for queue in queues:
                    for answer in queue:
                        try:
                            reply = own.post("/api/answer", json=answer)
                        except httpx.TransportError:
                            break  # not acknowledged: kept on the phone, sent again later
                        assert reply.status_code == 200, reply.text
                        with lock:
                            acknowledged.append(answer["id"])
                            if len(acknowledged) >= len(answers) // 2:
                                half.set()

        queues = [[a for a in answers if a["phone"] == p["phone"]] for p in phones]
        threads = [threading.Thread(target=send, args=(queues[i::6],)) for i in range(6)]
        for t in threads:
            t.start()
        assert half.wait(60)
        server.kill()
        for t in threads:
            t.join(30)
        kept = set(acknowledged)
        assert len(kept) == len(acknowledged)
        assert 0 < len(kept) < len(answers)

        # what the journal holds, read as it was left: every acknowledged answer, once
        raw = sqlite3.connect(journal)
        stored = [row[0] for row in raw.execute("SELECT id FROM answers")]
        raw.close()
        assert kept <= set(stored)
        assert len(stored) == len(set(stored))

        server = start(data, journal, "--session", "oudersessie", "--lang", "en")
        assert "resumed, every answer kept" in server.output
        client = httpx.Client(base_url=server.base, timeout=5)
        state = client.get("/api/state").json()["state"]
        assert state["item"] == items[0] and state["open"] and state["phones"] == PHONES
        # the phones send again what they hold: every answer, in order, each phone's own
        for answer in answers:
            reply = client.post("/api/answer", json=answer)
            assert reply.status_code == 200, reply.text
            # an acknowledged answer is known again; one whose acknowledgement the kill
            # cut off may be known too (journaled, but the reply never left)
            if answer["id"] in kept:
                assert reply.json()["again"] is True
            elif reply.json()["again"]:
                assert answer["id"] in stored
        raw = sqlite3.connect(journal)
        assert raw.execute("SELECT count(*), count(DISTINCT id) FROM answers").fetchone() == (
            len(answers),
            len(answers),
        )
        raw.close()
        counts = client.get("/api/results").json()["counts"]
        expected = {"eens": 0, "neutraal": 0, "oneens": 0}
        for n in range(PHONES):
            expected["oneens" if n % 2 else "eens"] += 1
        assert counts == expected
    finally:
        server.stop()
