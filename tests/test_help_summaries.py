"""The list of commands in ``--help`` gives each command a whole sentence at 80
columns, in either language: its summary from the catalogue (``help.map.short``),
never the first words of its help cut off with ``...``."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from graph.catalogue import message, messages
from versterkt.cli import main

GROUPS = [(), ("adjust",), ("round",), ("db",)]
HEADING = {"nl": "Opdrachten:", "en": "Commands:"}


def command_rows(path: tuple[str, ...], lang: str, width: int) -> dict[str, str]:
    """The list of commands of ``path``'s help: name → the line beside it."""
    result = CliRunner().invoke(main, ["--lang", lang, *path, "--help"], terminal_width=width)
    assert result.exit_code == 0, result.output
    listed = result.output.split(HEADING[lang] + "\n", 1)[1]
    rows: dict[str, str] = {}
    for line in listed.splitlines():
        if not line.strip():
            break
        name, text = line.strip().split(None, 1)
        rows[name] = text
    return rows


@pytest.mark.parametrize("lang", ["nl", "en"])
@pytest.mark.parametrize("path", GROUPS)
def test_every_command_in_the_list_has_a_whole_sentence_at_80_columns(
    path: tuple[str, ...], lang: str
) -> None:
    rows = command_rows(path, lang, 80)
    assert rows
    cut = {name: text for name, text in rows.items() if text.endswith("...")}
    assert cut == {}
    for name, text in rows.items():
        code = "help." + ".".join((*path, name)) + ".short"
        if code in messages(lang):
            assert text == message(code, lang)


def test_every_summary_is_in_both_languages_and_differs_between_them() -> None:
    nl, en = messages("nl"), messages("en")
    short = {code for code in nl if code.startswith("help.") and code.endswith(".short")}
    assert len(short) >= 20
    assert short == {code for code in en if code.startswith("help.") and code.endswith(".short")}
    assert all(nl[code] != en[code] for code in short)


def test_a_narrow_terminal_still_cuts_what_does_not_fit() -> None:
    rows = command_rows((), "en", 50)
    assert any(text.endswith("...") for text in rows.values())
