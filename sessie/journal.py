"""The journal of a live session: every answer and every step, kept before it is
acknowledged.

A session is one SQLite file in WAL mode with ``synchronous=FULL``: a call that
records something returns only once it is on disk, so what a phone was told is kept
survives the laptop being switched off. Each answer carries an id the phone made
itself; sending it again (the phone did not hear the acknowledgement) finds it there
and records nothing new, and an id sent again with another answer is refused. A phone
may change its answer to an item by sending a new one: the latest counts, once.

The session's state (the item shown, voting open or closed, remarks shown, ended) is
journaled in the same file, so that a restarted server carries on where it stopped.

>>> import tempfile, pathlib
>>> j = Journal(pathlib.Path(tempfile.mkdtemp()) / "s.sqlite")
>>> j.begin({"items": [{"kind": "stelling", "id": "s1"}]}, code="4821", token="t")
>>> phone, secret = j.join("ouder")
>>> j.answer("a-1", phone, "s1", "eens", None)
'new'
>>> j.answer("a-1", phone, "s1", "eens", None)
'same'
>>> j.tally("s1")
{'ouder': {'eens': 1}}
"""

from __future__ import annotations

import hashlib
import json
import secrets
import sqlite3
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from graph.errors import AnswerConflict, JournalError

__all__ = ["AnswerConflict", "Journal", "JournalError"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS state (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS steps (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, at REAL NOT NULL, action TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS phones (
    id TEXT PRIMARY KEY, grp TEXT NOT NULL, secret TEXT NOT NULL, joined REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS answers (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    phone TEXT NOT NULL REFERENCES phones(id),
    item TEXT NOT NULL,
    answer TEXT NOT NULL,
    remark TEXT,
    at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS answers_item ON answers (item, phone, seq);
"""

#: For :meth:`Journal.answers`: any item may be answered.
ANY_ITEM = object()
#: The state of a session that has just begun.
START_STATE: dict[str, Any] = {"current": 0, "open": False, "remarks": False, "ended": False}


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


class Journal:
    """One session's journal at ``path`` (made when missing). Safe to call from several
    threads: every write is one transaction, committed before the call returns."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        try:
            self._db = sqlite3.connect(
                self.path, isolation_level=None, check_same_thread=False, timeout=10
            )
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=FULL")
            self._db.execute("PRAGMA foreign_keys=ON")
            self._db.executescript(_SCHEMA)
        except sqlite3.DatabaseError as e:
            raise JournalError(f"{self.path} is not a session journal ({e})") from None

    def close(self) -> None:
        with self._lock:
            self._db.close()

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One transaction, committed (and on disk) when the block ends."""
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def _read(self, sql: str, *args: Any) -> list[tuple[Any, ...]]:
        with self._lock:
            return self._db.execute(sql, args).fetchall()

    # --- the session ----------------------------------------------------------------

    def begun(self) -> bool:
        """Whether the session was begun in this journal (a restart carries on)."""
        return bool(self._read("SELECT 1 FROM meta WHERE key = 'plan'"))

    def begin(self, plan: dict[str, Any], *, code: str, token: str) -> None:
        """Begin the session of ``plan`` (what it asks, of which map), joined with
        ``code`` and led with the control ``token``."""
        with self._write() as db:
            values = {"plan": plan, "code": code, "token": token, "begun": time.time()}
            for key, value in values.items():
                db.execute("INSERT INTO meta VALUES (?, ?)", (key, json.dumps(value)))
            for key, value in START_STATE.items():
                db.execute("INSERT INTO state VALUES (?, ?)", (key, json.dumps(value)))

    def meta(self, key: str) -> Any:
        rows = self._read("SELECT value FROM meta WHERE key = ?", key)
        if not rows:
            raise JournalError(f"{self.path} holds no session")
        return json.loads(rows[0][0])

    @property
    def plan(self) -> dict[str, Any]:
        return dict(self.meta("plan"))

    @property
    def code(self) -> str:
        return str(self.meta("code"))

    @property
    def token(self) -> str:
        """The facilitator's control token (kept, so that a restarted server is led
        from the same projector page)."""
        return str(self.meta("token"))

    def token_matches(self, token: str) -> bool:
        """Whether ``token`` is the facilitator's control token."""
        return secrets.compare_digest(token.encode(), self.token.encode())

    def state(self) -> dict[str, Any]:
        return {key: json.loads(value) for key, value in self._read("SELECT * FROM state")}

    def set_state(self, action: str, **changes: Any) -> dict[str, Any]:
        """Change the session's state, journaling the step ``action``; the new state."""
        with self._write() as db:
            for key, value in changes.items():
                if key not in START_STATE:
                    raise KeyError(key)
                db.execute("UPDATE state SET value = ? WHERE key = ?", (json.dumps(value), key))
            db.execute("INSERT INTO steps (at, action) VALUES (?, ?)", (time.time(), action))
        return self.state()

    def steps(self) -> list[tuple[float, str]]:
        return [(float(at), str(a)) for at, a in self._read("SELECT at, action FROM steps")]

    # --- phones and answers ---------------------------------------------------------

    def join(self, group: str) -> tuple[str, str]:
        """A new phone in ``group``: its id and the secret it signs its answers with."""
        phone, secret = secrets.token_urlsafe(9), secrets.token_urlsafe(18)
        with self._write() as db:
            db.execute(
                "INSERT INTO phones VALUES (?, ?, ?, ?)",
                (phone, group, _digest(secret), time.time()),
            )
        return phone, secret

    def phone_group(self, phone: str, secret: str) -> str | None:
        """The group of ``phone`` when ``secret`` is its secret; else None."""
        rows = self._read("SELECT grp, secret FROM phones WHERE id = ?", phone)
        if not rows or not secrets.compare_digest(rows[0][1], _digest(secret)):
            return None
        return str(rows[0][0])

    def phones(self) -> dict[str, int]:
        """How many phones joined, per group."""
        return {g: int(n) for g, n in self._read("SELECT grp, count(*) FROM phones GROUP BY grp")}

    def answer(self, answer_id: str, phone: str, item: str, answer: str, remark: str | None) -> str:
        """Record an answer: ``"new"`` once it is on disk, ``"same"`` when that answer
        was recorded before (nothing recorded again). :class:`AnswerConflict` when the id
        was recorded with another answer."""
        (outcome,) = self.answers([(answer_id, phone, item, answer, remark)])
        if outcome == "conflict":
            raise AnswerConflict(f"answer {answer_id!r} was recorded with other content")
        return outcome

    def answers(
        self,
        rows: Sequence[tuple[str, str, str, str, str | None]],
        open_item: str | None | object = ANY_ITEM,
    ) -> list[str]:
        """Record many answers ``(id, phone, item, answer, remark)`` in one transaction
        (one wait for the disk for all of them), each as :meth:`answer` would: ``"new"``,
        ``"same"`` or ``"conflict"``; and ``"closed"`` for a new answer to an item other
        than ``open_item`` (None: no item is open), which is not recorded."""
        out = []
        with self._write() as db:
            for answer_id, phone, item, answer, remark in rows:
                row = db.execute(
                    "SELECT phone, item, answer, remark FROM answers WHERE id = ?", (answer_id,)
                ).fetchone()
                if row is not None:
                    same = tuple(row) == (phone, item, answer, remark)
                    out.append("same" if same else "conflict")
                elif open_item is not ANY_ITEM and item != open_item:
                    out.append("closed")
                else:
                    db.execute(
                        "INSERT INTO answers (id, phone, item, answer, remark, at) "
                        "VALUES (?, ?, ?, ?, ?, ?)",
                        (answer_id, phone, item, answer, remark, time.time()),
                    )
                    out.append("new")
        return out

    def has_answer(self, answer_id: str) -> bool:
        return bool(self._read("SELECT 1 FROM answers WHERE id = ?", answer_id))

    def answer_count(self) -> int:
        return int(self._read("SELECT count(*) FROM answers")[0][0])

    def latest(self, item: str | None = None) -> list[dict[str, Any]]:
        """Each phone's latest answer (to ``item``, or to every item), with its group,
        in the order they came in."""
        where = "WHERE a.item = ?" if item is not None else ""
        inner = "WHERE item = ?" if item is not None else ""
        args = (item, item) if item is not None else ()
        sql = f"""
            SELECT a.id, a.phone, p.grp, a.item, a.answer, a.remark, a.at
            FROM answers a JOIN phones p ON p.id = a.phone
            {where} {"AND" if where else "WHERE"} a.seq IN (
                SELECT max(seq) FROM answers {inner} GROUP BY phone, item
            )
            ORDER BY a.seq
        """
        keys = ("id", "phone", "group", "item", "answer", "remark", "at")
        return [dict(zip(keys, row, strict=True)) for row in self._read(sql, *args)]

    def tally(self, item: str) -> dict[str, dict[str, int]]:
        """The latest answers to ``item``, counted per group and answer."""
        out: dict[str, dict[str, int]] = {}
        for row in self.latest(item):
            counts = out.setdefault(row["group"], {})
            counts[row["answer"]] = counts.get(row["answer"], 0) + 1
        return out
