"""The language of a command's words: ``--lang nl|en`` on every command.

Without ``--lang`` a command speaks the language the workbook it is given declares
(``taal`` on its ``kaart`` sheet), else that of the environment's locale (LC_ALL or
LANG starting with ``en``: English; else Dutch). The chosen language is
kept for the rest of the command, so that its tables, its yes/no and its numbers
(:mod:`versterkt.output`) are phrased by the message catalogue in that language.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

import click

__all__ = [
    "LANG_CHOICES",
    "add_lang_option",
    "choose_lang",
    "current_lang",
    "default_lang",
    "lang_in_args",
    "lang_of_workbook_in",
    "lang_option",
    "one_command",
    "remembered_lang_option",
    "say",
]

LANG_CHOICES = ("nl", "en")

_chosen: ContextVar[str | None] = ContextVar("versterkt_lang", default=None)


def default_lang() -> str:
    """The language when none is given: the environment's locale's."""
    from graph.catalogue import environment_lang

    return environment_lang()


def current_lang() -> str:
    """The language of the running command: its ``--lang``, else :func:`default_lang`."""
    return _chosen.get() or default_lang()


def say(code: str, /, **values: Any) -> str:
    """The catalogue's message ``code`` in the command's language, filled from ``values``."""
    from graph.catalogue import message

    return message(code, current_lang(), **values)


@contextmanager
def one_command() -> Iterator[None]:
    """The language chosen inside is forgotten after: each command chooses its own."""
    token = _chosen.set(None)
    try:
        yield
    finally:
        _chosen.reset(token)


def lang_in_args(args: Sequence[str]) -> str | None:
    """The language a command line asks for, read before click parses it: the last
    ``--lang nl|en`` (or ``--lang=en``) before a ``--``; None when there is none.

    >>> lang_in_args(["--lang", "nl", "map", "--rond", "1", "--lang=en"])
    'en'
    >>> lang_in_args(["map", "--lang", "fr"]), lang_in_args(["--", "--lang", "en"])
    (None, None)
    """
    found = None
    for i, arg in enumerate(args):
        if arg == "--":
            break
        value = args[i + 1] if arg == "--lang" and i + 1 < len(args) else None
        if arg.startswith("--lang="):
            value = arg.removeprefix("--lang=")
        if value in LANG_CHOICES:
            found = value
    return found


def lang_of_workbook_in(args: Sequence[str]) -> str | None:
    """The language the workbook a command line names first declares (``taal`` on its
    ``kaart`` sheet, :func:`loaders.read.declared_lang`); None when it declares none.
    The command then loads that workbook without reading it again."""
    from pathlib import Path

    for arg in args:
        path = Path(arg)
        if arg.startswith("-") or not (path.is_dir() or path.suffix.lower() in (".xlsx", ".xlsm")):
            continue
        from loaders.read import declared_lang  # only when a workbook is named

        return declared_lang(path)
    return None


def choose_lang(lang: str | None) -> None:
    """Speak ``lang`` for the rest of the command (nothing changes for None)."""
    if lang is not None:
        _chosen.set(lang)


def _remember(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is not None:
        _chosen.set(value)
    return value


def lang_option(help: str = "help.option.lang") -> Any:
    """The ``--lang nl|en`` option of a command that passes the language on itself; by
    default the language given before the command (``versterkt --lang en map``), else
    the environment's."""
    return click.option(
        "--lang",
        type=click.Choice(LANG_CHOICES),
        default=current_lang,
        show_default="help.default.locale",
        callback=_remember,
        is_eager=True,
        help=help,
    )


def add_lang_option(command: click.Command) -> click.Command:
    """``command`` (and each command of a group) with ``--lang``, unless it has its own:
    the language is remembered for :func:`current_lang`, not passed to the command."""
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            add_lang_option(sub)
        return command
    if not any(p.name == "lang" for p in command.params):
        command.params.append(remembered_lang_option())
    return command


def remembered_lang_option() -> click.Option:
    """``--lang``, remembered for :func:`current_lang` rather than passed on: on a
    command, or before the command (``versterkt --lang nl info``)."""
    return click.Option(
        ["--lang"],
        type=click.Choice(LANG_CHOICES),
        default=None,
        expose_value=False,
        is_eager=True,
        callback=_remember,
        help="help.option.lang",
    )
