"""How the command line answers the library's errors: one exit code per kind of mistake.

Every command lets the library's errors (:class:`graph.errors.VersterktError`) reach
the main group, which prints them here, in one place, so that a kind of mistake gives
the same message and the same exit code whichever command met it, on files or on
Neo4j.
"""

from __future__ import annotations

import sys
from typing import IO, Any, Literal, NoReturn

import click

from graph.errors import (
    MapError,
    NoOutcome,
    OutcomeError,
    QueryError,
    RoundClosed,
    Text,
    TooManyLoops,
    UnknownMap,
    UnknownRound,
    VersterktError,
    phrase,
)
from loaders import WorkbookInvalid
from versterkt.language import current_lang, say
from versterkt.terminal import printable

__all__ = ["Nothing", "OneLine", "UsageLine", "exit_codes", "exit_code", "fail", "hint", "message"]

#: What a command did not do when it stopped on a workbook's problems.
Nothing = Literal["loaded", "changed", "recorded"]


class OneLine(click.ClickException):
    """A command that stops on something it cannot use, said in one line in the
    command's language (``Fout: ...`` / ``Error: ...``): exit code 1."""

    def __init__(self, message: Text) -> None:
        super().__init__(str(message))
        self.said = message
        # click shows it after the command has ended: in the language the command spoke
        self.lang = current_lang()

    def show(self, file: IO[Any] | None = None) -> None:
        from graph.catalogue import message

        line = message("cli.prefix_error", self.lang, message=phrase(self.said, self.lang))
        click.echo(printable(line), err=True, file=file)


class UsageLine(OneLine):
    """An option or argument given wrongly, said in one line in the command's language:
    exit code 2, as click's own usage errors."""

    exit_code = 2


def exit_codes() -> dict[type[VersterktError], int]:
    """The exit code of each kind of error; a subclass takes its nearest listed class.

    2 is a question or an option asked wrongly (an unknown map, round, node or link,
    as click's own usage errors); 1 a workbook, a database or a change that failed.
    """
    # Imported here, when an error is reported: the driver loads only when needed.
    from graph.store import StoreError
    from loaders.review_form import FormError

    return {
        QueryError: 2,
        FormError: 2,
        WorkbookInvalid: 1,
        MapError: 1,
        StoreError: 1,
        VersterktError: 1,
    }


def exit_code(error: VersterktError) -> int:
    """The exit code of ``error``: that of the nearest of its classes in :func:`exit_codes`."""
    codes = exit_codes()
    for cls in type(error).__mro__:
        if cls in codes:
            return codes[cls]
    return 1


def message(error: VersterktError) -> str:
    """``error``'s message in the command's language, with the command line's option
    where the library leaves the choice to its caller in general words (an outcome, a
    map among several)."""
    lang = current_lang()
    if isinstance(error, NoOutcome):
        return say("cli.choose_target", situation=phrase(error.situation, lang))
    if isinstance(error, OutcomeError) and error.outcomes:
        return say("cli.choose_outcome", situation=phrase(error.situation, lang))
    if isinstance(error, UnknownMap) and error.choices:
        return say("cli.with_map_id", message=phrase(error, lang))
    return phrase(error, lang)


def hint(error: VersterktError) -> str:
    """What to do next, in the command line's words, for the errors that ask for a
    command (the library's messages name none): ``""`` for the others."""
    if isinstance(error, UnknownRound) and error.round is not None:
        return say("cli.hint_open_round")
    if isinstance(error, RoundClosed):
        return say("cli.hint_next_round")
    if isinstance(error, TooManyLoops):
        return say("cli.hint_max_length")
    return ""


def fail(error: VersterktError, nothing: Nothing = "loaded") -> NoReturn:
    """Print ``error`` on stderr, one line per problem, with :func:`hint`, and exit
    with its code.

    Everything is said in the command's language: each problem of a workbook with its
    place, and the line that counts them and says what was not done (``nothing``:
    loaded, changed or recorded: ``2 fouten; er is niets geladen.``).
    """
    if isinstance(error, WorkbookInvalid):
        lang = current_lang()
        for problem in error.errors:
            click.echo(printable(phrase(problem, lang), one_line=True), err=True)
        n = len(error.errors)
        not_done = say(f"cli.nothing_{nothing}")
        click.echo(
            say("cli.errors_one" if n == 1 else "cli.errors_many", n=n, nothing=not_done), err=True
        )
    else:
        line = say("cli.prefix_error", message=f"{message(error)}{hint(error)}")
        click.echo(printable(line), err=True)
    sys.exit(exit_code(error))
