"""A command given wrongly (an unknown option, a missing one, a value its type refuses)
is refused in the command's language: the Dutch output has the usage, where to find
help and the error in Dutch, with no English word of the tool's own; the English output
is click's own."""

from __future__ import annotations

import string
from pathlib import Path

import pytest
from click.testing import CliRunner

from graph.catalogue import messages
from loaders import VLEUTEN
from tests.test_error_language import foreign
from versterkt.cli import main
from versterkt.click_words import phrase_click

#: A wrong command, the command its help is asked of, the Dutch error line and the
#: English one.
WRONG = [
    (
        ["map", "--rond", "1"],
        "map",
        "Fout: Onbekende optie '--rond'. Bedoel je '--round'?",
        "Error: No such option '--rond'. Did you mean '--round'?",
    ),
    (
        ["map", str(VLEUTEN), "--round", "0"],
        "map",
        "Fout: Ongeldige waarde voor '--round': 0 ligt niet in het bereik x>=1.",
        "Error: Invalid value for '--round': 0 is not in the range x>=1.",
    ),
    (
        ["map", str(VLEUTEN), "--round", "twee"],
        "map",
        "Fout: Ongeldige waarde voor '--round': 'twee' is geen geheel getal.",
        "Error: Invalid value for '--round': 'twee' is not a valid integer range.",
    ),
    (
        ["present", str(VLEUTEN)],
        "present",
        "Fout: Optie '--out' / '-o' ontbreekt.",
        "Error: Missing option '--out' / '-o'.",
    ),
    (
        ["nergens"],
        "",
        "Fout: Onbekende opdracht 'nergens'.",
        "Error: No such command 'nergens'.",
    ),
    (
        ["map", "/nergens/werkboek"],
        "map",
        "Fout: Ongeldige waarde voor '[DATA]': Pad '/nergens/werkboek' bestaat niet.",
        "Error: Invalid value for '[DATA]': Path '/nergens/werkboek' does not exist.",
    ),
    (
        ["verslag", str(VLEUTEN), "--out", "verslag.docx"],
        "verslag",
        "Fout: Ongeldige waarde voor '--out' / '-o': verslag.docx is geen .pdf- of .html-bestand",
        "Error: Invalid value for '--out' / '-o': verslag.docx is not a .pdf or .html file",
    ),
    (
        ["adjust", "weight", "inv-x", "veel", "--reason", "r"],
        "adjust weight",
        "Fout: Ongeldige waarde voor WEIGHT: 'veel' is geen getal",
        "Error: Invalid value for WEIGHT: 'veel' is not a number",
    ),
]


def _refused(args: list[str], lang: str) -> list[str]:
    result = CliRunner().invoke(main, ["--lang", lang, *args], prog_name="versterkt")
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    return result.stderr.splitlines()


#: The usage line's first word and where to find help, in each language.
USAGE = {
    "nl": ("Gebruik:", "Zie '{path} --help' voor hulp."),
    "en": ("Usage:", "Try '{path} --help' for help."),
}


@pytest.mark.parametrize("lang", ["nl", "en"])
@pytest.mark.parametrize(("args", "command", "dutch", "english"), WRONG)
def test_a_command_given_wrongly_is_refused_in_its_language(
    args: list[str],
    command: str,
    dutch: str,
    english: str,
    lang: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    lines = _refused(args, lang)
    path = " ".join(["versterkt", command]).strip()
    usage, hint = USAGE[lang]
    assert lines[0].startswith(f"{usage} {path} ")
    assert lines[1] == hint.format(path=path)
    assert lines[-1] == (dutch if lang == "nl" else english)  # English: click's own words
    assert not foreign("\n".join(lines), lang, *args, "--help")  # options are the same


def test_the_catalogue_has_click_s_sentences_as_click_writes_them() -> None:
    # each English text is a sentence click writes; its Dutch has the same values
    english, dutch = messages("en"), messages("nl")
    codes = [code for code in english if code.startswith("click.")]
    assert len(codes) >= 40
    for code in codes:
        assert sorted(_fields(english[code])) == sorted(_fields(dutch[code])), code
        example = english[code].format_map({k: f"<{k}>" for k in _fields(english[code])})
        assert phrase_click(example, "en") == example


def test_a_sentence_that_is_not_click_s_stays_as_it_is() -> None:
    assert phrase_click("onbekende ronde 3", "nl") == "onbekende ronde 3"
    nested = "Invalid value for '--x': 'y' is not one of 'a', 'b'."
    assert (
        phrase_click(nested, "nl") == "Ongeldige waarde voor '--x': 'y' is niet een van 'a', 'b'."
    )


def test_a_command_without_arguments_still_shows_its_help(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["--lang", "nl", "adjust"], prog_name="versterkt")
    assert "Gebruik: versterkt adjust" in result.output
    assert "Fout:" not in result.output


def _fields(text: str) -> list[str]:
    return [name for _, name, _, _ in string.Formatter().parse(text) if name]


@pytest.mark.parametrize(("lang", "other"), [("nl", "en_GB.UTF-8"), ("en", "nl_NL.UTF-8")])
def test_an_unknown_option_beside_lang_is_refused_in_that_language(lang: str, other: str) -> None:
    # click finds the unknown option before it reads --lang; the language is read first
    result = CliRunner().invoke(
        main,
        ["map", "--rond", "1", "--lang", lang],
        prog_name="versterkt",
        env={"LC_ALL": other, "LANG": other},
    )
    assert result.exit_code == 2
    expected = WRONG[0][2] if lang == "nl" else WRONG[0][3]
    assert result.stderr.splitlines()[-1] == expected
    assert result.stderr.splitlines()[0].startswith(USAGE[lang][0])
