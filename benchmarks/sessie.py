"""Live-session benchmark: 200 phones answering at once, and how soon the projector
shows each answer.

A real ``versterkt sessie`` server (uvicorn, its own process) runs a session on a copy
of the Vleuten workbook. 200 simulated phones (asyncio and httpx, one connection
each) join; for each of the six statements the voting is opened and every phone sends
its answer at the same moment. A simulated projector listens to the server-sent
events as the projector page does. For every answer the time from the start of its
POST to the projector's event that counts it is measured (each event names the answers it is
the first to count), and the time until the POST was acknowledged (the answer is
then on disk: SQLite WAL, synchronous=FULL).

The target is what a room notices: the bar grows within a second (median) and two
seconds (99th percentile) of tapping. A paper tally, or the facilitator typing the
verdicts into the toetsmodus, shows it minutes later. The load average before and
after is printed: other work on the machine slows every figure down.

Usage:
    python benchmarks/sessie.py                  # 200 phones, 6 statements
    python benchmarks/sessie.py --phones 500 --rounds 3
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import multiprocessing
import os
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from loaders import VLEUTEN  # noqa: E402
from tests.sessie_server import start  # noqa: E402


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def cpu(pid: int) -> float:
    """Processor time (user and system) the process ``pid`` used so far, in seconds."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def projector(base: str, out: Any, ready: Any, stop: Any) -> None:
    """Listen as the projector page does, in a process of its own (the projector is a
    browser of its own); send back when each answer's event arrived."""
    seen: dict[str, float] = {}

    async def listen() -> None:
        async with (
            httpx.AsyncClient(base_url=base, timeout=None) as client,
            client.stream("GET", "/api/events") as stream,
        ):
            ready.set()
            kind = ""
            async for line in stream.aiter_lines():
                if line.startswith("event: "):
                    kind = line[7:]
                elif line.startswith("data: ") and kind == "results":
                    now = time.monotonic()
                    for answer_id in json.loads(line[6:]).get("ids", ()):
                        seen[answer_id] = now

    async def until_stopped() -> None:
        task = asyncio.create_task(listen())
        while not stop.is_set():
            await asyncio.sleep(0.05)
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task

    asyncio.run(until_stopped())
    out.put(seen)


async def run(phones: int, rounds: int) -> None:
    tmp = Path(tempfile.mkdtemp(prefix="versterkt-sessie-bench-"))
    data = tmp / "vleuten"
    shutil.copytree(VLEUTEN, data)
    server = start(data, tmp / "sessie.sqlite", "--session", "oudersessie")
    try:
        limits = httpx.Limits(max_connections=phones + 10, max_keepalive_connections=phones + 10)
        async with httpx.AsyncClient(base_url=server.base, timeout=30, limits=limits) as client:
            bearer = {"Authorization": f"Bearer {server.token}"}
            groups = ["ouder", "jongere", "professional", "bewoner"]
            joined = await asyncio.gather(
                *(
                    client.post("/api/join", json={"code": server.code, "group": groups[i % 4]})
                    for i in range(phones)
                )
            )
            members = [r.json() for r in joined]
            assert all("phone" in m for m in members), joined[0].text
            items = [i for i in (await client.get("/api/state")).json()["items"]]
            statements = [i["id"] for i in items if i["kind"] == "stelling"][:rounds]
            spawn = multiprocessing.get_context("spawn")
            out, ready, stop = spawn.Queue(), spawn.Event(), spawn.Event()
            listening = spawn.Process(target=projector, args=(server.base, out, ready, stop))
            listening.start()
            assert await asyncio.to_thread(ready.wait, 60)
            sent: dict[str, float] = {}
            acked: dict[str, float] = {}
            # each phone its own client and connection, as each phone is its own browser
            own = [httpx.AsyncClient(base_url=server.base, timeout=30) for _ in members]

            async def answer(n: int, item: str, said: str) -> None:
                answer_id = uuid.uuid4().hex
                body = {**members[n], "id": answer_id, "item": item, "answer": said}
                sent[answer_id] = time.monotonic()
                reply = await own[n].post("/api/answer", json=body)
                assert reply.status_code == 200, reply.text
                acked[answer_id] = time.monotonic()

            server_before, client_before = cpu(server.process.pid), sum(os.times()[:2])
            print(f"load average before: {load()}")
            for n, item in enumerate(statements):
                if n:
                    await client.post("/api/control", json={"action": "next"}, headers=bearer)
                await client.post("/api/control", json={"action": "open"}, headers=bearer)
                votes = ("eens", "neutraal", "oneens")
                began = time.monotonic()
                await asyncio.gather(
                    *(answer(i, item, votes[(i + n) % 3]) for i in range(len(members)))
                )
                print(
                    f"statement {n + 1}: {phones} answers acknowledged in "
                    f"{max(acked.values()) - began:.2f} s"
                )
            await asyncio.sleep(3)  # the last events on their way to the projector
            stop.set()
            seen: dict[str, float] = await asyncio.to_thread(out.get, True, 60)
            listening.join(30)
            for phone in own:
                await phone.aclose()
            shown = [seen[k] - sent[k] for k in sent if k in seen]
            ack = [acked[k] - sent[k] for k in sent]
            missing = len(sent) - len(shown)
            print(f"load average after:  {load()}")
            print(f"\n{phones} phones at once, {len(statements)} statements, {len(sent)} answers")
            print("                      median     p99     max   (target: 1 s median, 2 s p99)")
            for name, values in (("POST to projector", shown), ("POST to acknowledged", ack)):
                print(
                    f"{name:<21} {statistics.median(values):6.3f} s "
                    f"{percentile(values, 0.99):6.3f} s {max(values):6.3f} s"
                )
            print(f"answers the projector never showed: {missing}")
            used = cpu(server.process.pid) - server_before
            simulated = sum(os.times()[:2]) - client_before
            print(
                f"processor time while answering: server {used:.1f} s, "
                f"the simulated phones and projector {simulated:.1f} s"
            )
    except BaseException:
        print("the server said:\n" + server.log.read_text()[-3000:], file=sys.stderr)
        raise
    finally:
        server.stop()
        shutil.rmtree(tmp, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--phones", type=int, default=200, help="phones answering at once")
    parser.add_argument("--rounds", type=int, default=6, help="statements answered in turn")
    args = parser.parse_args()
    asyncio.run(run(args.phones, args.rounds))


if __name__ == "__main__":
    main()
