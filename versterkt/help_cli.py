"""The commands' help (``--help``) in the command's language, from the catalogue.

A command's help and its options' help are codes of the message catalogue
(:mod:`graph.catalogue`, ``nl.help.po`` and ``en.help.po``): ``help.info`` for the
command ``info``, ``help.adjust.rename`` for ``adjust rename``, and an option's
``help=`` names its code (``help.option.uri.read``). :class:`HelpContext` gives every
command a :class:`CatalogueHelpFormatter`, which writes each code, click's own words
(``Usage:``, ``Options``, ``[default: ...]``) and the command list in the language of
the command (``--lang``, else the environment's locale).

>>> CatalogueHelpFormatter(lang="nl").said("help.option.version")
'Toon de versie en stop.'
>>> CatalogueHelpFormatter(lang="en").said("help.option.version")
'Show the version and exit.'
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import click
from click.utils import make_default_short_help

from versterkt.language import current_lang

__all__ = ["CatalogueHelpFormatter", "HelpContext", "catalogue_help", "help_words"]

_CODE = re.compile(r"help\.[\w.\-]+\w")
_EXTRA = re.compile(r"\s*\[([^\[\]]*)\]$")
#: The help of click's own options, by their words, and the code of each.
_CLICK_WORDS = {
    "Show this message and exit.": "help.option.help",
    "Show the version and exit.": "help.option.version",
}


def help_words(lang: str) -> dict[str, str]:
    """Every message of the commands' help in ``lang``, code → text."""
    from graph.catalogue import messages

    return {k: v for k, v in messages(lang).items() if k.startswith("help.")}


def catalogue_help(command: click.Command, path: str) -> click.Command:
    """``command`` (and each of its subcommands) with the help code of its ``path``
    (``adjust.rename``): the words are the catalogue's, in the language of the help."""
    command.help = f"help.{path}"
    command.context_class = HelpContext
    if isinstance(command, click.Group):
        for name, sub in command.commands.items():
            catalogue_help(sub, f"{path}.{name}")
    return command


class CatalogueHelpFormatter(click.HelpFormatter):
    """A help formatter that writes the catalogue's words for the codes it is given,
    and click's own words, in ``lang``."""

    def __init__(self, *args: Any, lang: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.words = help_words(lang or current_lang())
        self._section: str | None = None

    def said(self, text: str) -> str:
        """``text`` with each code of the catalogue replaced by its words."""
        text = self.words[_CLICK_WORDS[text]] if text in _CLICK_WORDS else text
        return _CODE.sub(lambda m: self.words.get(m.group(0), m.group(0)), text)

    def long_text(self, text: str) -> str:
        # a paragraph that is not rewrapped starts with \b, written so in the catalogue
        return self.said(text).replace("\\b", "\b")

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        args = args.replace("[OPTIONS]", self.words["help.metavar.options"])
        args = args.replace("COMMAND [ARGS]...", self.words["help.metavar.command"])
        super().write_usage(prog, args, self.words["help.usage"] + " ")

    @contextmanager
    def section(self, name: str) -> Iterator[None]:
        self._section = name
        try:
            with super().section(self.words.get(f"help.heading.{name}", name)):
                yield
        finally:
            self._section = None

    def write_text(self, text: str) -> None:
        super().write_text(self.long_text(text))

    def write_dl(
        self, rows: Sequence[tuple[str, str]], col_max: int = 30, col_spacing: int = 2
    ) -> None:
        if self._section == "Commands":
            limit = self.width - 6 - max((len(name) for name, _ in rows), default=0)
            shown = [(n, make_default_short_help(self.long_text(h), limit)) for n, h in rows]
        else:
            shown = [(first, self._option_help(second)) for first, second in rows]
        super().write_dl(shown, col_max, col_spacing)

    def _option_help(self, text: str) -> str:
        found = _EXTRA.search(text)
        if found is None:
            return self.said(text)
        extras = [self._extra(part) for part in found.group(1).split("; ")]
        return f"{self.said(text[: found.start()])}  [{'; '.join(extras)}]"

    def _extra(self, part: str) -> str:
        name, colon, value = part.partition(": ")
        if name in ("default", "required"):
            name = self.words[f"help.word.{name}"]
        if value.startswith("(") and value.endswith(")"):  # a default given as words
            value = value[1:-1]
        return f"{name}{colon}{self.said(value)}"


class HelpContext(click.Context):
    """The context of every command: its help is written by
    :class:`CatalogueHelpFormatter`, in the command's language."""

    formatter_class = CatalogueHelpFormatter
