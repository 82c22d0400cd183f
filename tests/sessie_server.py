"""A real ``versterkt sessie`` server in its own process, for the tests that kill it or
drive it from a browser."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
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
    process = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    assert process.stdout is not None
    lines = []
    token = code = ""
    deadline = time.monotonic() + 120
    while not (token and code):
        line = process.stdout.readline()
        if not line:
            raise RuntimeError("the session server stopped:\n" + "".join(lines))
        lines.append(line)
        if found := re.search(r"#token=(\S+)", line):
            token = found.group(1)
        if found := re.search(r"code (\d{6})", line):
            code = found.group(1)
        if time.monotonic() > deadline:
            raise RuntimeError("the session server did not start:\n" + "".join(lines))
    base = f"http://127.0.0.1:{port}"
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/api/state", timeout=2).status_code == 200:
                return Server(process, base, token, code, "".join(lines))
        except httpx.TransportError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError("the session server does not answer")
