"""The library's errors: one base, and one class per kind of mistake.

Every error the library raises on purpose derives from :class:`VersterktError`, so a
caller can catch them all; each subclass names one kind of mistake, so the command
line can give each kind one exit code wherever it comes from (a workbook or Neo4j,
any command). The messages are one line and say what to do.

>>> e = unknown(UnknownNode, "node", "prestatiedrk", ["prestatiedruk", "stress"])
>>> print(e)
unknown node 'prestatiedrk' (did you mean 'prestatiedruk'?)
>>> isinstance(e, QueryError), isinstance(e, VersterktError)
(True, True)
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

__all__ = [
    "MapChanged",
    "MapError",
    "NoOutcome",
    "OutcomeError",
    "PrintError",
    "QueryError",
    "ReportError",
    "RoundClosed",
    "UnknownLink",
    "UnknownMap",
    "UnknownNode",
    "UnknownReview",
    "UnknownRound",
    "VersterktError",
    "unknown",
]


class VersterktError(Exception):
    """Any error the library raises on purpose: bad input, an unknown id, a refused change."""


class QueryError(VersterktError, ValueError):
    """A question the map cannot answer as asked: an unknown id or a bad option."""


class UnknownMap(QueryError):
    """A map id that names no map of the workbook or the database."""


class UnknownRound(QueryError):
    """A round the map does not have (its ``rondes`` sheet does not list it).

    ``round`` is the round asked for and ``known`` the rounds the map records, so that
    a caller can say how to go on (open a round) in its own words.

    >>> e = UnknownRound.of(3, [1, 2])
    >>> print(e); e.round, e.known
    unknown round 3 (rounds: 1, 2)
    (3, (1, 2))
    """

    def __init__(self, message: str, *, round: object = None, known: Iterable[int] = ()) -> None:
        super().__init__(message)
        self.round = round
        self.known = tuple(known)

    @classmethod
    def of(cls, round: object, known: Iterable[int]) -> UnknownRound:
        """The error for ``round``, which is not one of the ``known`` rounds."""
        known = tuple(known)
        listed = ", ".join(map(str, known)) or "none"
        return cls(f"unknown round {round!r} (rounds: {listed})", round=round, known=known)


class UnknownNode(QueryError):
    """A node id that names no node of the map (or no node of the kinds asked for)."""


class UnknownLink(QueryError):
    """A link id that names no link of the map."""


class UnknownReview(QueryError):
    """A review id that names no review of the map."""


class TooManyLoops(QueryError):
    """More feedback loops within the length asked for than can be listed: a tangle of
    links closes millions of them. Shorter loops can still be listed."""


class OutcomeError(QueryError):
    """No outcome to ask about: the map has no factor with role ``uitkomst``, or several."""


class NoOutcome(OutcomeError):
    """The map has no factor with role ``uitkomst``: a question that can do without one
    (the agenda) orders without it; one that cannot says so."""


class MapError(VersterktError, ValueError):
    """A change to a SystemMap that the schema or the cycle does not allow."""


class CombineError(MapError):
    """Maps that cannot be combined as asked (:mod:`graph.combine`): the message names
    the map and the id."""


class RoundClosed(MapError):
    """A change asked in a round that can no longer take it, so it belongs in a new
    round: the groups have tested the round (``tested``: its reviews are recorded, and
    its map stays as they saw it), or the round is the first and the change is to the
    map as first analysed. ``round`` is the round asked."""

    def __init__(self, message: str, *, round: int, tested: bool) -> None:
        super().__init__(message)
        self.round = round
        self.tested = tested


def unknown(
    error: type[QueryError], what: str, value: object, candidates: Iterable[str]
) -> QueryError:
    """``error`` for an unknown ``value``, suggesting the closest of ``candidates``."""
    close = difflib.get_close_matches(str(value), list(candidates), n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    return error(f"unknown {what} {value!r}{hint}")


class ReportError(VersterktError, ValueError):
    """A report that cannot be made as asked (a file of a kind a report is not): the
    message says what to change."""


class PrintError(VersterktError):
    """A report that could not be printed to PDF: no browser to print it with, or the
    browser failed or took too long. Nothing was written."""


class MapChanged(VersterktError):
    """A change made on a version of a map that is no longer the latest: someone else
    wrote the map after it was read. Nothing was written; the change can be made again
    on the map as it is now."""
