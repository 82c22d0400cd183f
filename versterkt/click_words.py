"""click's own usage errors (a missing option, an unknown one, a value its type refuses)
in the command's language.

click writes these sentences in English. Each is a code of the message catalogue
(``en.click.po`` and ``nl.click.po``) whose English text is click's sentence as click
writes it: :func:`phrase_click` reads click's sentence back into its code and values
and says it in the language asked for; a sentence it does not know stays as it is.

>>> phrase_click("Invalid value for '--round': 0 is not in the range x>=1.", "nl")
"Ongeldige waarde voor '--round': 0 ligt niet in het bereik x>=1."
>>> phrase_click("No such option '--rond'. Did you mean --round?", "nl")
"Onbekende optie '--rond'. Bedoel je --round?"
>>> phrase_click("No such option '--rond'. Did you mean --round?", "en")
"No such option '--rond'. Did you mean --round?"
"""

from __future__ import annotations

import re
from functools import cache
from typing import IO, Any

import click

from graph.catalogue import message, messages
from versterkt.language import current_lang
from versterkt.terminal import printable

__all__ = ["PhrasedUsageError", "phrase_click", "phrased"]

_FIELD = re.compile(r"\{(\w+)\}")
#: The values that are click's sentences themselves (a reason inside "Invalid value").
_NESTED = frozenset({"message", "extra"})


@cache
def _sentences() -> tuple[tuple[re.Pattern[str], str], ...]:
    """click's sentences as patterns, with their codes: those that start with words
    before those that start with a value (so that "Invalid value for X: Y" is read
    before the reason Y in it), then the most words first (so that "No such option X.
    Did you mean Y?" is read before "No such option X.")."""
    english = {k: v for k, v in messages("en").items() if k.startswith("click.")}

    def order(text: str) -> tuple[bool, int]:
        return text.startswith("{"), -len(_FIELD.sub("", text))

    found = []
    for code, text in sorted(english.items(), key=lambda kv: order(kv[1])):
        parts = _FIELD.split(text)  # words, a name, words, a name, ...
        pattern = "".join(
            re.escape(part) if i % 2 == 0 else f"(?P<{part}>.+?)" for i, part in enumerate(parts)
        )
        found.append((re.compile(pattern, re.DOTALL), code))
    return tuple(found)


def phrase_click(text: str, lang: str) -> str:
    """click's English sentence ``text`` in ``lang``; unchanged when it is none of
    click's sentences the catalogue knows (a sentence of the project's own, already
    phrased)."""
    for pattern, code in _sentences():
        found = pattern.fullmatch(text)
        if found:
            values = {
                name: phrase_click(value, lang) if name in _NESTED else value
                for name, value in found.groupdict().items()
            }
            return message(code, lang, **values)
    return text


class PhrasedUsageError(click.UsageError):
    """One of click's usage errors, shown as click shows it (the usage, where to find
    help, the error) in the language of the command."""

    def __init__(self, error: click.UsageError, lang: str) -> None:
        super().__init__(error.format_message(), error.ctx)
        self.exit_code = error.exit_code
        self.lang = lang

    def show(self, file: IO[Any] | None = None) -> None:
        ctx = self.ctx
        if ctx is not None:
            hint = ""
            if ctx.command.get_help_option(ctx) is not None:
                names = ctx.command.get_help_option_names(ctx)
                command, option = ctx.command_path, max(names, key=len)
                hint = message("click.try_help", self.lang, command=command, option=option)
                hint += "\n"
            click.echo(f"{ctx.get_usage()}\n{hint}", file=file, err=True, color=ctx.color)
        said = phrase_click(self.message, self.lang)
        line = message("cli.prefix_error", self.lang, message=said)
        click.echo(printable(line), file=file, err=True, color=ctx.color if ctx else None)


def phrased(error: click.ClickException) -> click.ClickException:
    """``error`` in the command's language when it is a usage error that click shows
    in English (an error that shows itself otherwise, such as the help shown for a
    command given without arguments, is left as it is)."""
    lang = current_lang()
    if lang == "en" or not isinstance(error, click.UsageError):
        return error
    if type(error).show is not click.UsageError.show:
        return error
    return PhrasedUsageError(error, lang)
