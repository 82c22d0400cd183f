"""A progress bar on the terminal while a command works (:mod:`graph.progress`).

Drawn on standard error, and only when that is a terminal and the work has taken more
than a second: a quick command, or one whose output goes to a file or a pipe, prints
nothing extra. The bar is cleared before the command prints its answer.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TextIO

import click

from graph.progress import listening
from versterkt.terminal import printable

__all__ = ["Bar", "progress_bar"]

#: Work that ends sooner than this shows no bar.
DELAY = 1.0
#: The bar is drawn again at most this often (seconds).
INTERVAL = 0.1
BAR = 24


class Bar:
    """Draws ``task: done/total [#####-----] 40%`` on one line of ``stream``."""

    def __init__(self, stream: TextIO, delay: float = DELAY) -> None:
        self.stream = stream
        self.started = time.monotonic()
        self.delay = delay
        self.drawn = 0.0
        self.width = 0

    def __call__(self, task: str, done: int, total: int | None) -> None:
        now = time.monotonic()
        finished = total is not None and done >= total
        if now - self.started < self.delay or (now - self.drawn < INTERVAL and not finished):
            return
        self.drawn = now
        task = phrased(task)
        if total:
            filled = min(BAR, BAR * done // total)
            line = f"{task}: {counted(done)}/{counted(total)}"
            line += f" [{'#' * filled}{'-' * (BAR - filled)}] {100 * done // total}%"
        else:
            line = f"{task}: {counted(done)}"
        columns = shutil.get_terminal_size((80, 24)).columns - 1
        line = printable(line, one_line=True)[:columns]
        self.stream.write("\r" + line.ljust(self.width))
        self.stream.flush()
        self.width = len(line)
        if finished:
            self.clear()  # what the command prints next starts on a clean line

    def clear(self) -> None:
        if self.width:
            self.stream.write("\r" + " " * self.width + "\r")
            self.stream.flush()
            self.width = 0


def phrased(task: str) -> str:
    """``task`` in the command's language: the library names its tasks in English
    words, which the catalogue has under ``progress.``; a task it lacks is shown as
    it is."""
    from graph.catalogue import message
    from versterkt.language import current_lang

    try:
        return message(f"progress.{task}", current_lang())
    except KeyError:
        return task


@contextmanager
def progress_bar() -> Iterator[None]:
    """While the block runs, long work draws a bar on the terminal (if it is one)."""
    stream = click.get_text_stream("stderr")
    if not stream.isatty():
        yield
        return
    bar = Bar(stream)
    try:
        with listening(bar):
            yield
    finally:
        bar.clear()


def counted(n: int) -> str:
    """``n`` with its thousands grouped as the command's language groups them
    (``12.000`` / ``12,000``)."""
    from graph.catalogue import grouped
    from versterkt.language import current_lang

    return grouped(n, current_lang())
