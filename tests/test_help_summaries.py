"""The list of commands in ``--help`` gives each command a whole sentence at 80
columns, in either language: the first sentence of its help, short enough to be shown
whole, never cut off with ``...``."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from graph.catalogue import message
from versterkt.cli import main

GROUPS = [(), ("adjust",), ("round",), ("db",)]


def command_rows(path: tuple[str, ...], lang: str, width: int) -> dict[str, str]:
    """The list of commands of ``path``'s help: name → the line beside it."""
    result = CliRunner().invoke(main, ["--lang", lang, *path, "--help"], terminal_width=width)
    assert result.exit_code == 0, result.output
    heading = message("help.heading.Commands", lang) + ":\n"
    rows: dict[str, str] = {}
    for line in result.output.split(heading, 1)[1].splitlines():
        if not line.strip():
            break
        name, text = line.strip().split(None, 1)
        rows[name] = text
    return rows


@pytest.mark.parametrize("lang", ["nl", "en"])
@pytest.mark.parametrize("path", GROUPS)
def test_every_command_in_the_list_has_its_whole_first_sentence_at_80_columns(
    path: tuple[str, ...], lang: str
) -> None:
    rows = command_rows(path, lang, 80)
    assert rows
    cut = {name: text for name, text in rows.items() if text.endswith("...")}
    assert cut == {}
    for name, text in rows.items():
        first_line = message("help." + ".".join((*path, name)), lang).splitlines()[0]
        assert first_line == text


def test_a_narrow_terminal_still_cuts_what_does_not_fit() -> None:
    rows = command_rows((), "en", 50)
    assert any(text.endswith("...") for text in rows.values())
