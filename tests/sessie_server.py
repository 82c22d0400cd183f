"""A real ``versterkt sessie`` server in its own process, for the tests that kill it or
drive it from a browser."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import httpx


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Server:
    process: subprocess.Popen[str]
    base: str
    token: str
    code: str
    output: str
    log: Path

    def kill(self) -> None:
        """SIGKILL: no shutdown, nothing flushed that was not flushed already."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()


def start(data: Path, journal: Path, *args: str, port: int | None = None) -> Server:
    """Start the session of the workbook ``data`` journaled at ``journal``; wait until
    it answers."""
    port = port or free_port()
    command = [sys.executable, "-m", "versterkt", "sessie", str(data), "--journal", str(journal)]
    command += ["--host", "127.0.0.1", "--port", str(port), *args]
    # its output goes to a file, which never fills up as an unread pipe would
    log = Path(tempfile.mkstemp(prefix="versterkt-sessie-", suffix=".log")[1])
    with log.open("w") as out:
        process = subprocess.Popen(
            command,
            stdout=out,
            stderr=subprocess.STDOUT,
            text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
    token = code = ""
    deadline = time.monotonic() + 120
    while not (token and code):
        text = log.read_text()
        if found := re.search(r"#token=(\S+)", text):
            token = found.group(1)
        if found := re.search(r"code (\d{6})", text):
            code = found.group(1)
        if process.poll() is not None:
            raise RuntimeError("the session server stopped:\n" + text)
        if time.monotonic() > deadline:
            raise RuntimeError("the session server did not start:\n" + text)
        time.sleep(0.05)
    lines = [log.read_text()]
    base = f"http://127.0.0.1:{port}"
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/api/state", timeout=2).status_code == 200:
                return Server(process, base, token, code, "".join(lines), log)
        except httpx.TransportError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError("the session server does not answer")
