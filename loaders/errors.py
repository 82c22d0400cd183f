"""Load errors: each one names the file, the row and the column a person can find."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass

from graph.errors import VersterktError


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
    message: str

    def __str__(self) -> str:
        place = self.path
        if self.row is not None:
            place += f":{self.row}"
        if self.column is not None:
            place += f":{self.column}"
        return f"{place}: {self.message}"


class WorkbookInvalid(VersterktError, ValueError):
    """A workbook that cannot be loaded; ``errors`` lists every problem found."""

    def __init__(self, errors: Iterable[LoadError]) -> None:
        # By file and row; within a row in the order found (the column order).
        self.errors = sorted(dict.fromkeys(errors), key=_sort_key)
        n = len(self.errors)
        super().__init__(f"{n} error{'s' if n != 1 else ''} in the workbook:\n" + self.report())

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
        super().__init__(f"cannot write {error}")


class WouldOverwrite(VersterktError, ValueError):
    """A write refused because its place holds something the tool did not write (a
    person's own file or folder): the message names the place and what to do."""


def _sort_key(e: LoadError) -> tuple[str, int]:
    return (e.path, e.row or 0)


#: The most choices a hint compares a value with.
MAX_HINT_CHOICES = 300


def did_you_mean(value: str, choices: Iterable[str]) -> str:
    """`` (did you mean "x"?)`` for the closest choice, or an empty string.

    >>> did_you_mean("orgnisatie", ["groep", "organisatie"])
    ' (did you mean "organisatie"?)'
    """
    options = list(choices)
    if len(options) > MAX_HINT_CHOICES:
        # Among many ids, only those with the same first letter are compared: each
        # comparison costs microseconds, and a broken file may ask thousands of times.
        first = value[:1].lower()
        options = [c for c in options if c[:1].lower() == first][:MAX_HINT_CHOICES]
    lowered = {c.lower(): c for c in options}
    match = difflib.get_close_matches(value.lower(), list(lowered), n=1, cutoff=0.6)
    return f' (did you mean "{lowered[match[0]]}"?)' if match else ""
