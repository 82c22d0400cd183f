"""The ``versterkt`` command: thin glue over the library.

Each command parses its options, makes one library call and prints the result.
Library errors become one-line messages with one exit code per kind of mistake
(:mod:`versterkt.errors`); bad options exit 2.

The commands live in their own modules and are listed in :data:`COMMANDS`. A
command's module, and the library behind it, is imported only when that command
runs: ``versterkt --help`` loads nothing but click, and ``versterkt info`` nothing
but the loaders.
"""

from __future__ import annotations

import contextlib
import errno
import importlib
import sys
import warnings
from collections.abc import Mapping
from typing import Any, TextIO

import click

from versterkt.help_cli import HelpContext, catalogue_help
from versterkt.language import (
    add_lang_option,
    choose_lang,
    lang_in_args,
    lang_of_workbook_in,
    one_command,
    remembered_lang_option,
)

#: Every command: its name and where it lives (``module:attribute``). Its help, and the
#: line the command list shows (the help's first sentence), are the catalogue's
#: (:mod:`versterkt.help_cli`).
COMMANDS: dict[str, str] = {
    "validate": "versterkt.workbook_cli:validate",
    "info": "versterkt.map_cli:info",
    "map": "versterkt.map_cli:map_command",
    "template": "versterkt.workbook_cli:template",
    "convert": "versterkt.workbook_cli:convert",
    "query": "versterkt.query_cli:query",
    "present": "versterkt.present_cli:present",
    "review-form": "versterkt.cycle_cli:review_form",
    "review-import": "versterkt.cycle_cli:review_import",
    "status": "versterkt.cycle_cli:status",
    "diff": "versterkt.cycle_cli:diff",
    "agenda": "versterkt.cycle_cli:agenda",
    "db": "versterkt.db_cli:db",
    "scenario": "versterkt.scenario_cli:scenario",
    "import": "versterkt.interchange_cli:import_command",
    "round": "versterkt.adjust_cli:round_group",
    "adjust": "versterkt.adjust_cli:adjust_group",
    "combine": "versterkt.combine_cli:combine",
    "export": "versterkt.interchange_cli:export_command",
    "verslag": "versterkt.verslag_cli:verslag",
    "sessie": "versterkt.sessie_cli:sessie",
}


class VersterktGroup(click.Group):
    """A command group that loads each command when it runs and reports library errors.

    ``lazy_commands`` maps a command's name to ``module:attribute``;
    commands added with :meth:`add_command` work as in any click group. Errors on bad
    input (an invalid workbook, a store that cannot be reached) become one-line
    messages and exit code 1 instead of stack traces.
    """

    context_class = HelpContext

    def __init__(
        self,
        *args: Any,
        lazy_commands: Mapping[str, str] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.lazy_commands = dict(lazy_commands or {})

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.lazy_commands})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in self.lazy_commands:
            self.add_command(self._load(cmd_name), cmd_name)
        return super().get_command(ctx, cmd_name)

    def _load(self, name: str) -> click.Command:
        location = self.lazy_commands[name]
        module_name, attribute = location.split(":")
        command = getattr(importlib.import_module(module_name), attribute)
        if not isinstance(command, click.Command):
            raise TypeError(f"{location} is not a click command")
        return catalogue_help(add_lang_option(command), name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The command list, from the catalogue: no command is imported for it."""
        names = self.list_commands(ctx)
        if not names:
            return
        limit = formatter.width - 6 - max(len(name) for name in names)
        rows = []
        for name in names:
            if name in self.commands:
                command = self.commands[name]
                if command.hidden:
                    continue
            else:
                command = click.Command(name, help=f"help.{name}")
            rows.append((name, command.get_short_help_str(limit)))
        with formatter.section("Commands"):
            formatter.write_dl(rows)

    def main(self, *args: Any, **kwargs: Any) -> Any:
        # the language chosen (before the command or on it) holds until the command's
        # error, if any, is printed
        with one_command():
            # the language is known before click reads the command line, so that its
            # refusal of an unknown option beside --lang is in that language too
            given = kwargs.get("args", args[0] if args else None)
            words = sys.argv[1:] if given is None else list(given)
            choose_lang(lang_in_args(words) or lang_of_workbook_in(words))
            return super().main(*args, **kwargs)

    def make_context(
        self,
        info_name: str | None,
        args: list[str],
        parent: click.Context | None = None,
        **extra: Any,
    ) -> click.Context:
        try:
            return super().make_context(info_name, args, parent, **extra)
        except click.ClickException as e:
            from versterkt.click_words import phrased

            raise phrased(e) from None

    def invoke(self, ctx: click.Context) -> Any:
        try:
            with warnings.catch_warnings(), _progress():
                warnings.showwarning = _show_warning
                return super().invoke(ctx)
        except click.ClickException as e:
            # click's own usage errors (of the command's options) in its language
            from versterkt.click_words import phrased

            raise phrased(e) from None
        except (click.exceptions.Exit, click.Abort):
            raise
        except OSError as e:
            if e.errno == errno.EPIPE:
                # Whoever read the output has stopped (versterkt info | head -3):
                # click ends quietly, exit code 1, as it does for --help.
                raise
            # a file that cannot be read or written: no such folder, read-only, a
            # directory
            from versterkt.language import say
            from versterkt.terminal import printable

            line = say("cli.prefix_error", message=os_error_line(e))
            click.echo(printable(line, one_line=True), err=True)
            sys.exit(1)
        except Exception as e:
            _fail_on_library_error(e)
            raise


def _progress() -> contextlib.AbstractContextManager[None]:
    """A progress bar for long work when standard error is a terminal; else nothing
    (and nothing is imported for it)."""
    if not click.get_text_stream("stderr").isatty():
        return contextlib.nullcontext()
    from versterkt.progress import progress_bar

    return progress_bar()


def os_error_line(e: OSError) -> str:
    """What went wrong with which file, in one line, in the command's language."""
    from graph.errors import os_reason, phrase
    from versterkt.language import current_lang

    what = phrase(os_reason(e), current_lang())
    return f"{e.filename}: {what}" if e.filename else what


def _fail_on_library_error(e: Exception) -> None:
    """Exit with the one message and code of its kind when ``e`` is a library error."""
    from graph.errors import VersterktError

    if isinstance(e, VersterktError):
        # Imported here, when something went wrong: a command that does not use the
        # store never loads the driver.
        from versterkt.errors import fail

        fail(e)


def _show_warning(
    message: Warning | str,
    category: type[Warning],
    filename: str,
    lineno: int,
    file: TextIO | None = None,
    line: str | None = None,
) -> None:
    """A warning as one line in the command's language; a workbook warning as
    ``FILE:ROW:COLUMN: warning: message``."""
    from graph.errors import phrase
    from loaders import WorkbookWarning
    from versterkt.language import current_lang, say
    from versterkt.terminal import printable

    lang = current_lang()
    if isinstance(message, WorkbookWarning):
        e = message.error
        said = phrase(e.message, lang)
        line = say("cli.prefix_warning", place=f"{e.place()}: ", message=said)
        click.echo(printable(line, one_line=True), err=True)
    else:
        said = phrase(message, lang)
        click.echo(printable(say("cli.prefix_warning", place="", message=said)), err=True)


@click.group(
    cls=VersterktGroup,
    lazy_commands=COMMANDS,
    context_settings={"help_option_names": ["-h", "--help"]},
    help="help.main",
)
@click.version_option(package_name="versterkt", help="help.option.version")
def main() -> None:
    pass


main.params.append(remembered_lang_option())
