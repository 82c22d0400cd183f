"""The library's errors: one base, and one class per kind of mistake.

Every error the library raises on purpose derives from :class:`VersterktError`, so a
caller can catch them all; each subclass names one kind of mistake, so the command
line can give each kind one exit code wherever it comes from (a workbook or Neo4j,
any command). The messages are one line and say what to do. Every public error class
of the library is defined here, whichever layer raises it (the modules that raise
them name them too); the messages name no option of the command line, which adds its
own hints (:mod:`versterkt.errors`).

A message is said in no language yet: a :class:`Said`, a code of the message catalogue
(:mod:`graph.catalogue`, ``*.errors.po``) with its values. ``str()`` of an error is its
English sentence; :func:`phrase` says it, or a workbook's :class:`LoadError` with its
place, in the language asked for.

>>> e = unknown(UnknownNode, "node", "prestatiedrk", ["prestatiedruk", "stress"])
>>> print(e)
unknown node 'prestatiedrk' (did you mean 'prestatiedruk'?)
>>> phrase(e, "nl")
"element 'prestatiedrk' bestaat niet (bedoel je 'prestatiedruk'?)"
>>> isinstance(e, QueryError), isinstance(e, VersterktError)
(True, True)
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, TypeAlias

__all__ = [
    "AnswerConflict",
    "BundleError",
    "Count",
    "CsvEncodingError",
    "FormError",
    "JournalError",
    "PageDataError",
    "StoreError",
    "TooManyLoops",
    "UnknownFormat",
    "UnknownLanguage",
    "Unreadable",
    "Said",
    "either",
    "Text",
    "os_reason",
    "phrase",
    "said",
    "said_place",
    "speak_with",
    "CannotWrite",
    "CombineError",
    "LoadError",
    "WorkbookInvalid",
    "WorkbookWarning",
    "WouldOverwrite",
    "closest",
    "did_you_mean",
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


# --- what the library says: a catalogue code and its values, phrased by the caller ---


@dataclass(frozen=True)
class Said:
    """Something the library says to people, in no language yet: a code of the message
    catalogue (:mod:`graph.catalogue`) and the values its ``{placeholders}`` take.

    A value may itself be a :class:`Said` (a hint, a word), phrased in the same
    language. ``str()`` gives the English sentence; :func:`phrase` gives any language.

    >>> str(said("error.unknown", what=said("error.what.node"), value="'x'", hint=""))
    "unknown node 'x'"
    """

    code: str
    values: tuple[tuple[str, Any], ...] = ()

    def __str__(self) -> str:
        return phrase(self, "en")


#: A message as the library gives it: said in no language yet, or a plain string
#: (a path, a name, a message of a library below this one).
Text: TypeAlias = "Said | str"


class Count(int):
    """A whole number in a message, its thousands grouped as the language it is phrased
    in groups them: ``10,000`` in English, ``10.000`` in Dutch."""

    __slots__ = ()


def said(code: str, /, **values: Any) -> Said:
    """The :class:`Said` of ``code`` with ``values`` (lists kept as tuples, so that the
    same message twice is equal and hashable)."""
    return Said(code, tuple((k, tuple(v) if isinstance(v, list) else v) for k, v in values.items()))


#: What the operating system says, by error number, as the catalogue has it
#: (``os.<name>`` of ``{lang}.os.po``); other numbers keep the system's own words.
_OS_REASONS = frozenset(
    {
        "EACCES", "EBUSY", "EEXIST", "EIO", "EISDIR", "EMFILE", "ENAMETOOLONG", "ENOENT",
        "ENOSPC", "ENOTDIR", "EPERM", "EROFS",
    }
)  # fmt: skip


def os_reason(e: OSError) -> Text:
    """Why the operating system refused a file, in the language it is phrased in.

    >>> import errno
    >>> phrase(os_reason(FileNotFoundError(errno.ENOENT, "No such file")), "nl")
    'Bestand of map bestaat niet'
    """
    import errno

    name = errno.errorcode.get(e.errno or 0)
    if name in _OS_REASONS:
        return said("os." + name.lower())
    return e.strerror or str(e)


def either(first: Text, *others: Text) -> Text:
    """``a``, ``a or b``, ``a or b or c``: the choices in the language they are phrased in.

    >>> str(either("mean", "median"))
    'mean or median'
    """
    out = first
    for other in others:
        out = said("load.either", first=out, second=other)
    return out


#: The catalogue's ``message(code, lang, **values)``: :mod:`graph.catalogue` registers
#: it on import (it imports this module, so this module cannot import it).
_message: Callable[..., str] | None = None


def speak_with(message: Callable[..., str]) -> None:
    """Phrase every :class:`Said` with ``message(code, lang, **values)`` from now on."""
    global _message
    _message = message


def phrase(thing: object, lang: str) -> str:
    """``thing`` in ``lang``: a :class:`Said`, a workbook's :class:`LoadError` (its place
    kept), an error carrying a Said, or anything else as ``str()`` gives it.

    >>> phrase(said("error.what.node"), "nl"), phrase(said("error.what.node"), "en")
    ('element', 'node')
    """
    if isinstance(thing, Said):
        if _message is None:
            raise RuntimeError("no message catalogue registered (import graph.catalogue)")
        values = {k: phrase(v, lang) if isinstance(v, Said) else v for k, v in thing.values}
        return _message(thing.code, lang, **values)
    if isinstance(thing, LoadError):
        return f"{thing.place()}: {phrase(thing.message, lang)}"
    if isinstance(thing, BaseException) and len(thing.args) == 1:
        if isinstance(thing.args[0], (Said, LoadError)):
            return phrase(thing.args[0], lang)
    return str(thing)


class VersterktError(Exception):
    """Any error the library raises on purpose: bad input, an unknown id, a refused change.

    Its message is a :class:`Said` (or, from older code, a string): ``str(error)`` is the
    English sentence, :func:`phrase` gives it in any language.
    """

    @property
    def said(self) -> Text:
        """The error's message, as given."""
        return self.args[0] if len(self.args) == 1 else str(self)


class UnknownLanguage(VersterktError, ValueError):
    """A language the catalogue does not have (:func:`graph.catalogue.check_lang`)."""


class StoreError(VersterktError, RuntimeError):
    """A problem talking to Neo4j, in one line that says what to check
    (:mod:`graph.store`)."""


class QueryError(VersterktError, ValueError):
    """A question the map cannot answer as asked: an unknown id or a bad option."""


class UnknownMap(QueryError):
    """A map id that names no map of the workbook or the database, or none given where
    several are (``choices`` then lists them, so that a caller can say how to name one
    in its own words)."""

    def __init__(self, message: Text, *, choices: Iterable[str] = ()) -> None:
        super().__init__(message)
        self.choices = tuple(choices)


class UnknownRound(QueryError):
    """A round the map does not have (its ``rondes`` sheet does not list it).

    ``round`` is the round asked for and ``known`` the rounds the map records, so that
    a caller can say how to go on (open a round) in its own words.

    >>> e = UnknownRound.of(3, [1, 2])
    >>> print(e); e.round, e.known
    unknown round 3 (rounds: 1, 2)
    (3, (1, 2))
    """

    def __init__(self, message: Text, *, round: object = None, known: Iterable[int] = ()) -> None:
        super().__init__(message)
        self.round = round
        self.known = tuple(known)

    @classmethod
    def of(cls, round: object, known: Iterable[int]) -> UnknownRound:
        """The error for ``round``, which is not one of the ``known`` rounds."""
        known = tuple(known)
        listed = ", ".join(map(str, known))
        message = (
            said("error.unknown_round", round=repr(round), rounds=listed)
            if known
            else said("error.unknown_round_none", round=repr(round))
        )
        return cls(message, round=round, known=known)


class UnknownNode(QueryError, KeyError):
    """A node id that names no node of the map (or no node of the kinds asked for).

    Also a ``KeyError``, as a missing key of the map (:meth:`SystemMap.node`)."""

    __str__ = Exception.__str__


class UnknownLink(QueryError, KeyError):
    """A link id that names no link of the map (also a ``KeyError``)."""

    __str__ = Exception.__str__


class UnknownReview(QueryError):
    """A review id that names no review of the map."""


class TooManyLoops(QueryError):
    """More feedback loops within the length asked for than can be listed: a tangle of
    links closes millions of them. Shorter loops can still be listed."""


class OutcomeError(QueryError):
    """No outcome to ask about: the map has no factor with role ``uitkomst``, or several
    (``outcomes``, so that a caller can say how to choose one in its own words)."""

    def __init__(self, situation: Text, *, advice: Text = "", outcomes: Iterable[str] = ()) -> None:
        super().__init__(
            said("error.situation_advice", situation=situation, advice=advice)
            if advice
            else situation
        )
        self.situation = situation
        self.outcomes = tuple(outcomes)


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

    def __init__(self, message: Text, *, round: int, tested: bool) -> None:
        super().__init__(message)
        self.round = round
        self.tested = tested


#: The most choices a hint compares a value with.
MAX_HINT_CHOICES = 300


def closest(value: object, choices: Iterable[str]) -> str | None:
    """The choice closest to ``value`` (case aside), or None when none is close.

    Among many choices only those with the same first letter are compared: each
    comparison costs microseconds, and a broken file may ask thousands of times.

    >>> closest("Orgnisatie", ["groep", "organisatie"]), closest("x", ["groep"])
    ('organisatie', None)
    """
    text = str(value)
    options = list(choices)
    if len(options) > MAX_HINT_CHOICES:
        first = text[:1].lower()
        options = [c for c in options if c[:1].lower() == first][:MAX_HINT_CHOICES]
    lowered = {c.lower(): c for c in options}
    match = difflib.get_close_matches(text.lower(), list(lowered), n=1, cutoff=0.6)
    return lowered[match[0]] if match else None


def did_you_mean(value: str, choices: Iterable[str]) -> Text:
    """`` (did you mean "x"?)`` for the closest choice, or an empty string: the hint of
    a workbook's errors, which quote as a spreadsheet does.

    >>> str(did_you_mean("orgnisatie", ["groep", "organisatie"]))
    ' (did you mean "organisatie"?)'
    """
    match = closest(value, choices)
    return said("error.did_you_mean", choice=f'"{match}"') if match else ""


def unknown(
    error: type[QueryError], what: str | Said, value: object, candidates: Iterable[str]
) -> QueryError:
    """``error`` for an unknown ``value``, suggesting the closest of ``candidates``;
    ``what`` is a word of the catalogue (``error.what.<what>``, spaces as ``_``) or said."""
    close = closest(value, candidates)
    hint = said("error.did_you_mean", choice=repr(close)) if close else ""
    word = what if isinstance(what, Said) else said("error.what." + what.replace(" ", "_"))
    return error(said("error.unknown", what=word, value=repr(value), hint=hint))


class ReportError(VersterktError, ValueError):
    """A report that cannot be made as asked (a file of a kind a report is not): the
    message says what to change."""


class PageDataError(VersterktError, ValueError):
    """Data or an option a page cannot show (:mod:`views.page`, :mod:`views.map`): a
    node without an id, an id twice, a link or a step that names an unknown node, a
    value of the wrong kind, a link out of the page's folder. The message names the
    item and the value."""


class BundleError(VersterktError, ValueError):
    """A bundle that cannot be written as asked (:mod:`views.bundle`): the message says
    what to change."""


class PrintError(VersterktError):
    """A report that could not be printed to PDF: no browser to print it with, or the
    browser failed or took too long. Nothing was written."""


class MapChanged(VersterktError):
    """A change made on a version of a map that is no longer the latest: someone else
    wrote the map after it was read. Nothing was written; the change can be made again
    on the map as it is now."""


# --- workbooks: each error names the file, the row and the column a person finds ---


@dataclass(frozen=True)
class LoadError:
    """One problem in a workbook.

    ``row`` is the row number a person sees in the spreadsheet (the header is row 1);
    ``column`` is the column's header. Either is ``None`` for a problem with the
    whole file or sheet.

    >>> str(LoadError("data/actoren.csv", 14, "soort", 'unknown value "orgnisatie"'))
    'data/actoren.csv:14:soort: unknown value "orgnisatie"'
    """

    path: str
    row: int | None
    column: str | None
    message: Text

    def place(self) -> str:
        """``FILE:ROW:COLUMN``, as far as it is known."""
        place = self.path
        if self.row is not None:
            place += f":{self.row}"
        if self.column is not None:
            place += f":{self.column}"
        return place

    def __str__(self) -> str:
        return f"{self.place()}: {self.message}"


class WorkbookInvalid(VersterktError, ValueError):
    """A workbook that cannot be loaded; ``errors`` lists every problem found."""

    def __init__(self, errors: Iterable[LoadError]) -> None:
        # By file and row; within a row in the order found (the column order).
        self.errors = sorted(dict.fromkeys(errors), key=_sort_key)
        n = len(self.errors)
        super().__init__(f"{n} error{'s' if n != 1 else ''} in the workbook:\n" + self.report())
        # (the command line prints each problem in its language, not this summary)

    def report(self) -> str:
        return "\n".join(str(e) for e in self.errors)


class WorkbookWarning(UserWarning):
    """Something in a workbook that was skipped, not refused: ``error`` says where.

    Raised through :mod:`warnings`, so that a notebook shows it and the command line
    prints it as one ``FILE:ROW:COLUMN: warning: message`` line.
    """

    def __init__(self, error: LoadError) -> None:
        self.error = error
        super().__init__(str(error))


class CannotWrite(VersterktError, ValueError):
    """A map that cannot be written as asked: ``error`` names the cell."""

    def __init__(self, error: LoadError) -> None:
        self.error = error
        super().__init__(said("error.cannot_write", error=said_place(error)))


class WouldOverwrite(VersterktError, ValueError):
    """A write refused because its place holds something the tool did not write (a
    person's own file or folder): the message names the place and what to do."""


class UnknownFormat(WorkbookInvalid):
    """A file whose name and first bytes do not tell its format (:mod:`loaders.interchange`):
    ``path`` is the file and ``formats`` those to choose from, so that a caller can say
    how to name one in its own words.

    >>> print(UnknownFormat("kaart.txt", ["kumu", "prsm"]).errors[0])
    kaart.txt: cannot tell the format from the file; give one of kumu, prsm
    """

    def __init__(self, path: str, formats: Iterable[str]) -> None:
        self.path = path
        self.formats = tuple(formats)
        message = said("import.which_format", formats=", ".join(self.formats))
        super().__init__([LoadError(path, None, None, message)])


class Unreadable(VersterktError, ValueError):
    """Text that cannot be read as what it claims to be (:mod:`loaders.bounded`); the
    message (a :class:`Said`) says why, ``str()`` in English.

    >>> print(Unreadable(said("interchange.lz_damaged")))
    damaged: a code that points nowhere
    """


class CsvEncodingError(VersterktError, ValueError):
    """CSV bytes that are not one text encoding the loaders read (:mod:`loaders.read`):
    ``line`` says where, the message (a :class:`Said`) why."""

    def __init__(self, line: int | None, message: Said) -> None:
        super().__init__(message)
        self.line = line


class FormError(VersterktError, ValueError):
    """A review form that cannot be written as asked (:mod:`loaders.review_form`): an
    unknown round, group or link."""


def said_place(error: LoadError) -> Said:
    """``error`` as one Said, its place kept: a value of another message."""
    return said("error.at", place=error.place(), message=error.message)


def _sort_key(e: LoadError) -> tuple[str, int]:
    return (e.path, e.row or 0)


# --- the live session (:mod:`sessie`) ---


class JournalError(VersterktError):
    """A journal that cannot be used: not a session's journal, or of another session."""


class AnswerConflict(VersterktError):
    """An answer id sent again with another answer: a forged or garbled request."""
