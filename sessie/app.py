"""The live session's web app: the projector page, the phone page and their API.

:func:`create_app` makes a Starlette app over a :class:`sessie.journal.Journal`:

``/``           the phone page: join with the code, choose a group, answer.
``/projector``  the projector page: the map, the item shown, the join code and QR
                code, the results as they come in; with the control token (in the
                address after ``#``, held only by the facilitator's browser) the
                controls too.
``/kaart``      the map page, as the views draw it.
``/api/...``    join, answer, control, state, results, and ``/api/events``: server-sent
                events with every change, to the projector and the phones.

An answer is acknowledged only once the journal holds it. Everything a phone sends is
checked: its code, its secret, its group (a phone answers only for the group it
joined), the item shown with voting open, the answer, the remark's size and what it
may not hold (:func:`loaders.privacy.privacy_problem`), and how often it sends
(:class:`RateLimit`). A refusal is a JSON ``{"reason": "...", "error": "..."}``: a
language-free reason (``not-joined``, ``wrong-code``, ...) for the page to act on, and
the words for the phone to show, in the session's language; nothing refused is
recorded, and an answer sent again is recorded once.

The pages speak the session's language (``lang``): their words, those their scripts
fill in, the groups, the answers and the items are the catalogue's
(:mod:`graph.catalogue`, ``sessie.*``).
"""

from __future__ import annotations

import asyncio
import html
import json
import re
import secrets
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

import segno
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from graph.catalogue import DEFAULT_LANG, check_lang, message, words
from graph.errors import VersterktError
from loaders.privacy import EMAIL_PROBLEM, privacy_problem
from sessie.journal import Journal
from sessie.session import (
    ANSWERS,
    PRIORITY,
    PRIORITY_PICKS,
    STATEMENT_ANSWERS,
    group_verdict,
    link_status,
    priority_counts,
)

__all__ = ["Limits", "RateLimit", "create_app", "new_code", "new_token"]

_ID = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
_ASSETS = ("sessie.css", "telefoon.js", "projector.js")
_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; frame-src 'self'; base-uri 'none'; form-action 'none'"
)


def new_code() -> str:
    """A join code: six digits, easy to read out and to type on a phone."""
    return f"{secrets.randbelow(10**6):06d}"


def new_token() -> str:
    """A control token for the facilitator's browser."""
    return secrets.token_urlsafe(24)


@dataclass(frozen=True)
class Limits:
    """What one request may be and how often one phone may send."""

    body_bytes: int = 4096
    remark_chars: int = 500
    #: Requests a phone may send at once, and how many more per second after that.
    burst: int = 20
    per_second: float = 5.0
    #: Wrong join codes (or phone secrets) one address may send at once, and more per
    #: second after that.
    join_burst: int = 10
    join_per_second: float = 0.5


@dataclass
class RateLimit:
    """A token bucket per key: ``burst`` at once, then ``per_second``."""

    burst: int
    per_second: float
    _buckets: dict[str, tuple[float, float]] = field(default_factory=dict)

    def spent(self, key: str, now: float | None = None) -> bool:
        """Whether ``key`` has nothing left now (without taking anything)."""
        now = time.monotonic() if now is None else now
        tokens, last = self._buckets.get(key, (float(self.burst), now))
        return min(float(self.burst), tokens + (now - last) * self.per_second) < 1

    def allow(self, key: str, now: float | None = None) -> bool:
        now = time.monotonic() if now is None else now
        if len(self._buckets) > 10_000:  # forget those that are full again
            self._buckets = {k: b for k, b in self._buckets.items() if not self._full(b, now)}
        tokens, last = self._buckets.get(key, (float(self.burst), now))
        tokens = min(float(self.burst), tokens + (now - last) * self.per_second)
        if tokens < 1:
            self._buckets[key] = (tokens, now)
            return False
        self._buckets[key] = (tokens - 1, now)
        return True

    def _full(self, bucket: tuple[float, float], now: float) -> bool:
        tokens, last = bucket
        return tokens + (now - last) * self.per_second >= self.burst


class Refused(Exception):
    """A request refused: its HTTP status, the reason (a code of the catalogue's
    ``sessie.refusal.*``) and the values its words are filled with."""

    def __init__(self, status: int, reason: str, **values: Any) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason
        self.values = values


class _Hub:
    """The subscribers to the live events, each a queue; a slow one is dropped (its
    browser reconnects and starts again from the whole state)."""

    def __init__(self) -> None:
        self.queues: set[asyncio.Queue[str | None]] = set()

    def publish(self, kind: str, data: dict[str, Any]) -> None:
        message = f"event: {kind}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"
        for queue in list(self.queues):
            try:
                queue.put_nowait(message)
            except asyncio.QueueFull:
                self.queues.discard(queue)
                while not queue.empty():
                    queue.get_nowait()
                queue.put_nowait(None)  # its stream ends; the browser reconnects


#: An answer as the journal records it: (id, phone, item, answer, remark).
Row = tuple[str, str, str, str, str | None]


class _Writer:
    """Writes the answers into the journal in groups: the answers that arrive while a
    group is being written (waiting for the disk) go together in the next, so that a
    room answering at once waits for the disk a few times, not once per phone. Each
    caller gets its own answer's outcome once its group is on disk."""

    def __init__(
        self,
        journal: Journal,
        open_item: Callable[[], str | None],
        done: Callable[[list[Row], list[str]], None],
    ) -> None:
        self.journal = journal
        self.open_item = open_item
        self.done = done
        self.waiting: list[tuple[Row, asyncio.Future[str]]] = []
        self.writing = False

    async def submit(self, row: Row) -> str:
        future: asyncio.Future[str] = asyncio.get_running_loop().create_future()
        self.waiting.append((row, future))
        if not self.writing:  # this caller writes, until nobody waits
            self.writing = True
            try:
                while self.waiting:
                    group, self.waiting = self.waiting[:1000], self.waiting[1000:]
                    rows = [r for r, _ in group]
                    try:
                        outcomes = await run_in_threadpool(
                            self.journal.answers, rows, self.open_item()
                        )
                    except BaseException as e:  # the disk failed: nobody waiting is told "kept"
                        for _, f in [*group, *self.waiting]:
                            if not f.done():
                                f.set_exception(e)
                        self.waiting = []
                        raise
                    for (_, f), kept in zip(group, outcomes, strict=True):
                        f.set_result(kept)
                    self.done(rows, outcomes)
            finally:
                self.writing = False
        return await future


def _template(name: str) -> str:
    return resources.files("sessie").joinpath("templates", name).read_text(encoding="utf-8")


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _page_words(lang: str) -> dict[str, Any]:
    """The words of the pages and their scripts in ``lang``: ``sessie.page.*``, with the
    answers (as buttons: ``Eens``) and the statuses by their (Dutch) values."""
    statuses = words("word", lang)
    return {
        **words("sessie.page", lang),
        "answers": {a: _capital(statuses[a]) for a in ANSWERS},
        "statuses": statuses,
    }


def _page(name: str, lang: str) -> str:
    """The page ``name`` in ``lang``: each ``{{word}}`` of the template filled, and the
    words of its script given as JSON data (not run, so the CSP allows it)."""
    page_words = _page_words(lang)
    data = json.dumps(page_words, ensure_ascii=False).replace("<", "\\u003c")
    filled = {**page_words, "lang": lang, "words": data}

    def fill(found: re.Match[str]) -> str:
        key = found.group(1)
        return filled[key] if key == "words" else html.escape(str(filled[key]))

    return re.sub(r"\{\{(\w+)\}\}", fill, _template(name))


def _shown_item(item: dict[str, Any], lang: str) -> dict[str, Any]:
    """``item`` of the plan as the pages show it in ``lang``: a link in the sentence of
    ``lang`` (the plan keeps it in each language), the priority question in its words."""
    if item["kind"] == PRIORITY:
        return {**item, "text": message("sessie.page.priority", lang)}
    return {**item, "text": item.get("texts", {}).get(lang, item["text"])}


def create_app(
    journal: Journal,
    *,
    map_page: str | None = None,
    record: Callable[[], str] | None = None,
    join_base: str | None = None,
    limits: Limits | None = None,
    lang: str = DEFAULT_LANG,
) -> Starlette:
    """The app of the session journaled in ``journal`` (begun already).

    ``map_page`` is the map page's HTML; ``record`` puts the answers into the map when
    the session ends (it returns what it did, in a line; its error is shown on the
    projector and the answers stay in the journal); ``join_base`` is the address the
    phones reach the laptop at (default: the one the projector used); ``lang`` the
    language the pages, the items and the refusals speak.
    """
    check_lang(lang)
    limits = limits or Limits()
    plan = journal.plan
    items = {item["id"]: item for item in plan["items"]}
    order = [item["id"] for item in plan["items"]]
    groups = list(plan["groups"])
    group_labels = {g: _capital(message(f"group.{g}", lang)) for g in groups}
    shown_items = [_shown_item(item, lang) for item in plan["items"]]
    hub = _Hub()
    phone_limit = RateLimit(limits.burst, limits.per_second)
    join_limit = RateLimit(limits.join_burst, limits.join_per_second)
    outcome: dict[str, Any] = {"recorded": None, "error": None}
    write_lock = asyncio.Lock()
    verified: dict[tuple[str, str], str] = {}

    def open_item() -> str | None:
        now = journal.state()
        return order[now["current"]] if now["open"] and not now["ended"] and order else None

    def published(rows: list[Row], outcomes: list[str]) -> None:
        new: dict[str, list[str]] = {}
        for row, kept in zip(rows, outcomes, strict=True):
            if kept == "new":
                new.setdefault(row[2], []).append(row[0])
        for item_id, ids in new.items():
            hub.publish("results", results(item_id, ids))

    writer = _Writer(journal, open_item, published)

    # --- what the pages see ---------------------------------------------------------

    def public_state() -> dict[str, Any]:
        state = journal.state()
        current = order[state["current"]] if order else None
        return {
            **state,
            "item": current,
            "position": state["current"] + 1,
            "count": len(order),
            "phones": sum(journal.phones().values()),
            "outcome": outcome,
        }

    def results(item_id: str, ids: list[str] | None = None) -> dict[str, Any]:
        item = items[item_id]
        rows = journal.latest(item_id)
        out: dict[str, Any] = {"item": item_id, "kind": item["kind"], "answered": len(rows)}
        if ids:
            out["ids"] = ids  # the answers this event is the first to count
        if item["kind"] == PRIORITY:
            out["counts"] = priority_counts(rows, plan["statements"])
            return out
        tally: dict[str, dict[str, int]] = {}
        for row in rows:
            counts = tally.setdefault(row["group"], {})
            counts[row["answer"]] = counts.get(row["answer"], 0) + 1
        if item["kind"] == "stelling":
            out["counts"] = {a: sum(t.get(a, 0) for t in tally.values()) for a in STATEMENT_ANSWERS}
        else:
            out["groups"] = {
                g: {
                    **{a: tally.get(g, {}).get(a, 0) for a in ANSWERS},
                    "verdict": group_verdict(tally.get(g, {})),
                }
                for g in groups
            }
            out["status"] = link_status(item, tally)
        if journal.state()["remarks"]:
            out["remarks"] = [
                {"group": group_labels.get(r["group"], r["group"]), "text": r["remark"]}
                for r in rows
                if r.get("remark")
            ]
        return out

    # --- checks -----------------------------------------------------------------------

    async def body(request: Request) -> dict[str, Any]:
        declared = request.headers.get("content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > limits.body_bytes):
            raise Refused(413, "too-large")
        data = b""
        async for chunk in request.stream():
            data += chunk
            if len(data) > limits.body_bytes:
                raise Refused(413, "too-large")
        try:
            value = json.loads(data)
        except (ValueError, UnicodeDecodeError):
            raise Refused(400, "unreadable") from None
        if not isinstance(value, dict):
            raise Refused(400, "unreadable")
        return value

    def text(data: dict[str, Any], key: str) -> str:
        value = data.get(key)
        if not isinstance(value, str):
            raise Refused(400, "missing", field=key)
        return value

    def facilitator(request: Request) -> None:
        given = request.headers.get("authorization", "")
        token = given[7:] if given.lower().startswith("bearer ") else ""
        if not token or not journal.token_matches(token):
            raise Refused(403, "not-facilitator")

    def refusing(
        handler: Callable[[Request], Any],
    ) -> Callable[[Request], Any]:
        async def run(request: Request) -> Response:
            try:
                response: Response = await handler(request)
                return response
            except Refused as e:
                said = message(f"sessie.refusal.{e.reason}", lang, **e.values)
                return JSONResponse({"reason": e.reason, "error": said}, status_code=e.status)

        return run

    # --- pages --------------------------------------------------------------------------

    def page(name: str) -> HTMLResponse:
        headers = {"Content-Security-Policy": _CSP, "Cache-Control": "no-store"}
        return HTMLResponse(_page(name, lang), headers=headers)

    async def phone_page(request: Request) -> Response:
        return page("telefoon.html")

    async def projector_page(request: Request) -> Response:
        return page("projector.html")

    async def kaart(request: Request) -> Response:
        if map_page is None:
            w = _page_words(lang)
            title, said = html.escape(w["map"]), html.escape(w["no_map"])
            return HTMLResponse(
                f'<!doctype html><html lang="{lang}"><title>{title}</title><p>{said}</p>',
                status_code=404,
            )
        return HTMLResponse(map_page, headers={"Cache-Control": "no-store"})

    async def asset(request: Request) -> Response:
        name = request.path_params["name"]
        if name not in _ASSETS:
            return Response(message("sessie.page.not_found", lang), status_code=404)
        kind = "text/css" if name.endswith(".css") else "text/javascript"
        return Response(_template(name), media_type=kind, headers={"Cache-Control": "no-store"})

    # --- the API --------------------------------------------------------------------------

    async def state(request: Request) -> Response:
        return JSONResponse(
            {
                "mapName": plan["mapName"],
                "sessionName": plan["sessionName"],
                "groups": [{"id": g, "label": group_labels.get(g, g)} for g in groups],
                "items": shown_items,
                "picks": PRIORITY_PICKS,
                "state": public_state(),
            }
        )

    async def result(request: Request) -> Response:
        item = request.query_params.get("item") or public_state()["item"]
        if item not in items:
            raise Refused(404, "no-item")
        return JSONResponse(results(item))

    async def facilitator_info(request: Request) -> Response:
        facilitator(request)
        base = (join_base or str(request.base_url)).rstrip("/")
        url = f"{base}/?code={journal.code}"
        qr = segno.make(url, error="m").svg_data_uri(scale=8, dark="#000", light="#fff", border=2)
        return JSONResponse({"code": journal.code, "joinUrl": url, "qr": qr})

    async def join(request: Request) -> Response:
        client = request.client.host if request.client else "?"
        too_many = Refused(429, "too-many-tries")
        if join_limit.spent(client):  # guessing: even the right code waits now
            raise too_many
        data = await body(request)
        code = text(data, "code").strip()
        if not secrets.compare_digest(code.encode(), journal.code.encode()):
            if not join_limit.allow(client):
                raise too_many
            raise Refused(403, "wrong-code")
        group = text(data, "group")
        if group not in groups:
            raise Refused(400, "no-group")
        if journal.state()["ended"]:
            raise Refused(409, "ended")
        phone, secret = await run_in_threadpool(journal.join, group)
        verified[(phone, secret)] = group
        hub.publish("state", public_state())
        return JSONResponse({"phone": phone, "secret": secret, "group": group})

    async def answer(request: Request) -> Response:
        data = await body(request)
        phone, secret = text(data, "phone"), text(data, "secret")
        client = request.client.host if request.client else "?"
        too_many = Refused(429, "too-many-requests")
        group = verified.get((phone, secret))
        if group is None:
            if join_limit.spent(client):  # guessing a phone's secret: wait
                raise too_many
            group = await run_in_threadpool(journal.phone_group, phone, secret)
            if group is None:
                join_limit.allow(client)
                raise Refused(403, "not-joined")
            verified[(phone, secret)] = group
        if not phone_limit.allow(phone):  # a bucket only for a phone that joined
            raise too_many
        if "group" in data and data["group"] != group:
            raise Refused(403, "other-group", group=message(f"group.{group}", lang))
        answer_id = text(data, "id")
        if not _ID.match(answer_id):
            raise Refused(400, "bad-id")
        item_id = text(data, "item")
        if item_id not in items:
            raise Refused(400, "no-item")
        item = items[item_id]
        value = data.get("answer")
        if item["kind"] == PRIORITY:
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise Refused(400, "picks", picks=PRIORITY_PICKS)
            picked = sorted(set(value))
            if not 1 <= len(picked) <= PRIORITY_PICKS or len(picked) != len(value):
                raise Refused(400, "distinct-picks", picks=PRIORITY_PICKS)
            if any(p not in plan["statements"] for p in picked):
                raise Refused(400, "unknown-statement")
            stored = ",".join(picked)
        else:
            allowed = STATEMENT_ANSWERS if item["kind"] == "stelling" else ANSWERS
            if value not in allowed:
                shown = [message(f"word.{a}", lang) for a in allowed]
                raise Refused(400, "bad-answer", choices=", ".join(shown[:-1]), last=shown[-1])
            stored = str(value)
        remark = data.get("remark")
        if remark in (None, "") or item["kind"] == PRIORITY:
            remark = None
        elif not isinstance(remark, str):
            raise Refused(400, "remark-not-text")
        else:
            remark = remark.strip() or None
            if remark and len(remark) > limits.remark_chars:
                raise Refused(413, "remark-too-long", limit=limits.remark_chars)
            problem = privacy_problem(remark) if remark else None
            if problem:
                raise Refused(422, "remark-email" if problem == EMAIL_PROBLEM else "remark-phone")
        kept = await writer.submit((answer_id, phone, item_id, stored, remark))
        if kept == "conflict":
            raise Refused(409, "conflict")
        if kept == "closed":
            if journal.state()["ended"]:
                raise Refused(409, "ended")
            raise Refused(409, "closed")
        return JSONResponse({"ok": True, "id": answer_id, "again": kept == "same"})

    async def control(request: Request) -> Response:
        facilitator(request)
        data = await body(request)
        action = text(data, "action")
        async with write_lock:
            now = journal.state()
            last = len(order) - 1
            changes: dict[str, Any]
            if action == "next":
                changes = {"current": min(now["current"] + 1, last), "open": False}
            elif action == "previous":
                changes = {"current": max(now["current"] - 1, 0), "open": False}
            elif action in ("open", "close"):
                if now["ended"] and action == "open":
                    raise Refused(409, "ended")
                changes = {"open": action == "open"}
            elif action in ("show-remarks", "hide-remarks"):
                changes = {"remarks": action == "show-remarks"}
            elif action in ("end", "record"):
                changes = {"ended": True, "open": False}
            else:
                raise Refused(400, "unknown-action")
            await run_in_threadpool(lambda: journal.set_state(action, **changes))
            if action in ("end", "record") and record is not None:
                try:
                    outcome["recorded"] = await run_in_threadpool(record)
                    outcome["error"] = None
                except (VersterktError, OSError) as e:
                    outcome["error"] = str(e)
        shown = public_state()
        hub.publish("state", shown)
        if shown["item"] is not None:
            hub.publish("results", results(shown["item"]))
        return JSONResponse(shown)

    async def events(request: Request) -> Response:
        queue: asyncio.Queue[str | None] = asyncio.Queue(maxsize=1000)
        hub.queues.add(queue)

        async def stream() -> AsyncIterator[str]:
            try:
                shown = public_state()
                yield "retry: 1000\n\n"
                yield f"event: state\ndata: {json.dumps(shown, ensure_ascii=False)}\n\n"
                if shown["item"] is not None:
                    now = json.dumps(results(shown["item"]), ensure_ascii=False)
                    yield f"event: results\ndata: {now}\n\n"
                while True:
                    try:
                        message = await asyncio.wait_for(queue.get(), timeout=15)
                    except TimeoutError:
                        yield ": ping\n\n"
                        continue
                    if message is None:
                        return
                    yield message
            finally:
                hub.queues.discard(queue)

        return StreamingResponse(
            stream(),
            media_type="text/event-stream",
            headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
        )

    routes = [
        Route("/", phone_page),
        Route("/projector", projector_page),
        Route("/kaart", kaart),
        Route("/static/{name}", asset),
        Route("/api/state", refusing(state)),
        Route("/api/results", refusing(result)),
        Route("/api/facilitator", refusing(facilitator_info)),
        Route("/api/join", refusing(join), methods=["POST"]),
        Route("/api/answer", refusing(answer), methods=["POST"]),
        Route("/api/control", refusing(control), methods=["POST"]),
        Route("/api/events", events),
    ]
    app = Starlette(routes=routes)
    app.state.hub = hub
    return app
