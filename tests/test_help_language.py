"""``--help`` in Dutch and in English, from the catalogue: every command's help in one
language holds no word that only the other language's help uses."""

from __future__ import annotations

import re

import click
import pytest
from click.testing import CliRunner

from graph.catalogue import message, messages
from tests.test_cli import every_command
from versterkt.cli import main

OTHER = {"nl": "en", "en": "nl"}
COMMANDS = [(), *(path for path, _ in every_command(main))]
_WORD = re.compile(r"[^\W\d_]{4,}")


def help_words(lang: str) -> set[str]:
    """The words (four letters or more) of the commands' help in ``lang``."""
    texts = (t for code, t in messages(lang).items() if code.startswith("help."))
    return {w.lower() for text in texts for w in _WORD.findall(text)}


def only(lang: str) -> set[str]:
    """The words of the help in ``lang`` that the other language's help does not use."""
    return help_words(lang) - help_words(OTHER[lang])


def syntax(path: tuple[str, ...]) -> set[str]:
    """What the command line itself is made of, in either language: the commands' and
    options' names and the choices an option or argument takes."""
    command: click.Command = main
    words = set(path)
    for name in path:
        assert isinstance(command, click.Group)
        command = command.commands[name]
    if isinstance(command, click.Group):
        words |= set(command.list_commands(click.Context(command)))
    for param in command.params:
        words |= {p.lstrip("-") for p in param.opts}
        if isinstance(param.type, click.Choice):
            words |= {str(c) for c in param.type.choices}
    return {w.lower() for word in words for w in _WORD.findall(word)}


def shown(path: tuple[str, ...], lang: str) -> str:
    result = CliRunner().invoke(main, ["--lang", lang, *path, "--help"], terminal_width=100)
    assert result.exit_code == 0, result.output
    return result.output


def foreign(text: str, path: tuple[str, ...], lang: str) -> list[str]:
    """The words of ``text`` that only the other language's help uses, leaving out the
    command line's own syntax, metavars (``DATA``, ``TEXT``) and example lines."""
    prose = "\n".join(
        line for line in text.splitlines() if not line.strip().startswith("versterkt ")
    )
    words = {w for w in _WORD.findall(prose) if not w.isupper()}
    return sorted({w.lower() for w in words} & only(OTHER[lang]) - syntax(path))


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_every_commands_help_speaks_one_language(lang: str) -> None:
    assert len(only("nl")) > 300 and len(only("en")) > 300  # the check has words to find
    found = {" ".join(p) or "versterkt": foreign(shown(p, lang), p, lang) for p in COMMANDS}
    assert {k: v for k, v in found.items() if v} == {}


@pytest.mark.parametrize("path", [(), ("info",), ("adjust",), ("adjust", "rename"), ("sessie",)])
def test_a_commands_help_is_the_catalogues_in_either_language(path: tuple[str, ...]) -> None:
    code = "help." + (".".join(path) or "main")
    for lang in ("nl", "en"):
        text = shown(path, lang)
        first = message(code, lang).splitlines()[0]
        assert first.split(":")[0] in text
        assert text.startswith(message("help.usage", lang) + " ")
        assert message("help.option.help", lang) in text
        assert message(code, OTHER[lang]).splitlines()[0] not in text


def test_the_words_click_adds_are_in_the_language_too() -> None:
    nl = shown(("map",), "nl")
    assert "Opties:" in nl and "[OPTIES]" in nl and "Options:" not in nl
    assert "Toon deze hulp en stop." in nl
    assert "[standaard: table]" in shown(("status",), "nl")
    assert "[default: table]" in shown(("status",), "en")
    assert "[standaard: 1000]" in shown(("scenario",), "nl")
    assert "[standaard: de taalinstelling van de omgeving]" in re.sub(r"\s+", " ", nl)
    assert "Opdrachten:" in shown((), "nl") and "Commands:" in shown((), "en")
    assert "OPDRACHT [ARGUMENTEN]..." in shown(("adjust",), "nl")


def test_without_lang_the_help_speaks_the_environments_language() -> None:
    runner = CliRunner()
    for env, lang in (({"LANG": "en_GB.UTF-8", "LC_ALL": ""}, "en"), ({"LANG": "C"}, "nl")):
        for args in (["info", "--help"], ["--help"]):
            text = runner.invoke(main, args, env=env).output
            assert text.startswith(message("help.usage", lang)), (env, args)
    # the language given on the command holds for its help too
    text = runner.invoke(main, ["info", "--lang", "en", "--help"], env={"LANG": "C"}).output
    assert text.startswith("Usage:")


def test_the_language_given_before_the_command_holds_for_what_it_does(tmp_path) -> None:
    runner = CliRunner()
    for lang, counted in (("en", "influences"), ("nl", "beïnvloedt")):
        info = runner.invoke(main, ["--lang", lang, "info"], env={"LANG": "C"})
        assert info.exit_code == 0 and counted in info.output.lower(), info.output
        page = tmp_path / f"kaart-{lang}.html"
        drawn = runner.invoke(main, ["--lang", lang, "map", "--out", str(page)], env={"LANG": "C"})
        assert drawn.exit_code == 0, drawn.output
        assert f'<html lang="{lang}"' in page.read_text(encoding="utf-8")
