"""Progress of long work, told to whoever listens.

Reading a workbook of 10,000 elements, laying out its map or loading it into Neo4j
takes seconds. The library says how far it is with :func:`report` (or by walking its
items through :func:`steps`); nobody listens by default, and then a report costs one
lookup. The command line listens while a command runs on a terminal and draws a bar
(:mod:`versterkt.progress`); a notebook may listen with :func:`listening`.

>>> seen = []
>>> with listening(lambda task, done, total: seen.append((task, done, total))):
...     for _ in steps(range(3), "counting", every=1):
...         pass
>>> seen
[('counting', 0, 3), ('counting', 1, 3), ('counting', 2, 3), ('counting', 3, 3)]
>>> list(steps(range(2), "nobody listens"))
[0, 1]
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TypeVar

__all__ = ["Listener", "listening", "report", "steps"]

T = TypeVar("T")

#: What hears the progress: the task (a few words), how much is done, and of how much
#: (None when that is not known).
Listener = Callable[[str, int, "int | None"], None]

_listener: ContextVar[Listener | None] = ContextVar("versterkt_progress", default=None)


@contextmanager
def listening(listener: Listener) -> Iterator[None]:
    """Within the block, every report goes to ``listener``."""
    token = _listener.set(listener)
    try:
        yield
    finally:
        _listener.reset(token)


def report(task: str, done: int, total: int | None = None) -> None:
    """Say that ``done`` of ``total`` of ``task`` are done."""
    listener = _listener.get()
    if listener is not None:
        listener(task, done, total)


def steps(
    items: Iterable[T], task: str, total: int | None = None, *, every: int = 0
) -> Iterator[T]:
    """Yield ``items``, reporting how many are done, about a hundred times in all (or
    every ``every`` items)."""
    listener = _listener.get()
    if listener is None:
        yield from items
        return
    if total is None:
        try:
            total = len(items)  # type: ignore[arg-type]
        except TypeError:
            total = None
    every = every or max(1, (total or 100) // 100)
    listener(task, 0, total)
    done = 0
    for item in items:
        yield item
        done += 1
        if done % every == 0:
            listener(task, done, total)
    if done % every:
        listener(task, done, total)
