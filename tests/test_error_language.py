"""Errors and a workbook's problems are said in the command's language (``--lang``):
the Dutch output has the Dutch sentence with its file, row and column and no English
word of the tool's own, the English output the English sentence."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from graph.catalogue import messages
from graph.errors import LoadError, phrase, said
from loaders import EXAMPLE_CYCLE, VLEUTEN, load_map
from versterkt.cli import main

WORD = re.compile(r"[^\W\d_]+")


def _words(lang: str) -> set[str]:
    found: set[str] = set()
    for text in messages(lang).values():
        # Placeholders and quoted values a person types ("unknown") are not words of a language.
        plain = re.sub(r'\{[^}]*\}|"[^"]*"', " ", text)
        found |= {w.lower() for w in WORD.findall(plain)}
    return found


#: The tool's own words of one language that the other never uses (four letters or more).
ONLY = {
    "en": {w for w in _words("en") - _words("nl") if len(w) >= 4},
    "nl": {w for w in _words("nl") - _words("en") if len(w) >= 4},
}


def foreign(text: str, lang: str, *data: str) -> set[str]:
    """The other language's words in ``text``, the map's own ``data`` taken out."""
    for value in data:
        text = text.replace(value, " ")
    other = "en" if lang == "nl" else "nl"
    return {w.lower() for w in WORD.findall(text)} & ONLY[other]


def run(*args: object) -> tuple[int, str]:
    result = CliRunner().invoke(main, [str(a) for a in args])
    return result.exit_code, result.stderr


def test_the_word_lists_hold_the_errors_words() -> None:
    assert {"unknown", "missing", "column", "value"} <= ONLY["en"]
    assert {"onbekende", "ontbreekt", "kolom", "waarde"} <= ONLY["nl"]


def test_a_said_message_is_phrased_in_either_language_and_english_as_text() -> None:
    problem = LoadError("actoren.csv", 14, "soort", said("load.required"))
    assert phrase(problem, "nl") == "actoren.csv:14:soort: verplichte waarde ontbreekt"
    assert phrase(problem, "en") == "actoren.csv:14:soort: required value missing"
    assert str(problem) == phrase(problem, "en")
    weight = said("load.weight_positive", weight=-0.5)
    assert (phrase(weight, "nl"), phrase(weight, "en")) == (
        "gewicht moet groter zijn dan 0, niet -0,5",
        "weight must be greater than 0, not -0.5",
    )


@pytest.mark.parametrize(
    ("lang", "sentence", "count"),
    [
        ("nl", 'onbekende waarde "grop" (bedoel je "groep"?); toegestaan: ', "1 fout;"),
        ("en", 'unknown value "grop" (did you mean "groep"?); allowed: ', "1 error;"),
    ],
)
def test_a_bad_workbook_cell_is_said_at_its_place_in_the_language(
    lang: str, sentence: str, count: str, tmp_path: Path
) -> None:
    broken = Path(shutil.copytree(VLEUTEN, tmp_path / "kapot"))
    actors = broken / "actoren.csv"
    text = actors.read_text(encoding="utf-8")
    actors.write_text(text.replace(",groep,", ",grop,", 1), encoding="utf-8")
    code, err = run("info", broken, "--lang", lang)
    assert code == 1
    problem, last = err.splitlines()
    place = f"{actors}:"
    assert problem.startswith(place) and ":soort: " in problem
    assert problem.split(":soort: ", 1)[1].startswith(sentence)
    assert last.startswith(count)
    assert not foreign(err, lang, str(broken), "soort", "grop", "groep", "organisatie")


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("nl", "Fout: element 'nergens' bestaat niet\n"),
        ("en", "Error: unknown node 'nergens'\n"),
    ],
)
def test_an_unknown_node_in_adjust_is_said_in_the_language(
    lang: str, expected: str, tmp_path: Path
) -> None:
    data = Path(shutil.copytree(EXAMPLE_CYCLE / "ronde-1", tmp_path / "cyclus"))
    assert run("round", "open", data, "--name", "Ronde 2")[0] == 0
    code, err = run("adjust", "retire-node", "nergens", data, "--reason", "x", "--lang", lang)
    assert code == 2
    assert err == expected


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("nl", 'een verbinding "kan bijsturen" kan niet beginnen bij een factor'),
        ("en", 'a "kan bijsturen" link cannot start at a factor'),
    ],
)
def test_a_link_the_schema_refuses_names_its_ends_in_the_language(
    lang: str, expected: str, tmp_path: Path
) -> None:
    folder = Path(shutil.copytree(VLEUTEN, tmp_path / "wijk"))
    links = folder / "relaties.csv"
    text = links.read_text(encoding="utf-8")
    old = "knop-ouders-verwachtingen,ouders,"
    assert old in text
    links.write_text(text.replace(old, "knop-ouders-verwachtingen,stress,", 1), encoding="utf-8")
    code, err = run("validate", folder, "--lang", lang)
    assert code == 1
    line = next(line for line in err.splitlines() if ":van: " in line)
    assert line.startswith(f"{links}:") and expected in line
    assert not foreign(line, lang, str(links), "kan bijsturen", "actoren", "van")


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("nl", ": het formaat is niet aan het bestand te zien; geef het met --from"),
        ("en", ": cannot tell the format from the file; give it with --from"),
    ],
)
def test_an_import_file_of_no_known_format_is_said_in_the_language(
    lang: str, expected: str, tmp_path: Path
) -> None:
    source = tmp_path / "kaart.txt"
    source.write_text(json.dumps({"elements": []}), encoding="utf-8")
    code, err = run("import", source, "--out", tmp_path / "uit.xlsx", "--lang", lang)
    assert code == 1
    first = err.splitlines()[0]
    assert first.startswith(f"{source}{expected}")
    assert not foreign(err, lang, str(source), "kumu", "prsm", "mentalmodeler", "graphml")


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("nl", ': waarschuwing: onbekend blad "blad1" overgeslagen; de tabellen zijn: '),
        ("en", ': warning: unknown sheet "blad1" skipped; the tables are: '),
    ],
)
def test_a_skipped_sheet_is_a_warning_in_the_language(
    lang: str, expected: str, tmp_path: Path
) -> None:
    folder = Path(shutil.copytree(VLEUTEN, tmp_path / "wijk"))
    scratch = folder / "blad1.csv"
    scratch.write_text("x,y\n1,2\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["info", str(folder), "--lang", lang])
    assert result.exit_code == 0
    (line,) = [x for x in result.stderr.splitlines() if x.startswith(str(scratch))]
    assert line.startswith(f"{scratch}{expected}")


@pytest.mark.parametrize(
    ("lang", "prefix", "note"),
    [
        ("nl", ": niet overgenomen: ", "vertragingsteken van een verbinding niet overgenomen"),
        ("en", ": not carried over: ", "delay mark of a connection not carried"),
    ],
)
def test_what_an_import_does_not_carry_over_is_said_in_the_language(
    lang: str, prefix: str, note: str, tmp_path: Path
) -> None:
    source = Path(__file__).parent / "interchange" / "kumu-project.json"
    out = tmp_path / "kaart.xlsx"
    result = CliRunner().invoke(main, ["import", str(source), "--out", str(out), "--lang", lang])
    assert result.exit_code == 0, result.output
    lines = result.stderr.splitlines()
    assert f"{source}{prefix}{note}" in lines
    notes = [line.split(prefix, 1)[1] for line in lines if prefix in line]
    assert len(notes) >= 3
    # the file's own words (a map's name, an element type) are taken out
    assert not foreign("\n".join(notes), lang, "Prestatiedruk (oefenkaart)", "Omgeving")


def test_every_error_message_has_the_same_values_in_both_languages() -> None:
    import string

    def names(text: str) -> set[str]:
        return {field for _, field, _, _ in string.Formatter().parse(text) if field}

    nl, en = messages("nl"), messages("en")
    codes = [c for c in en if c.split(".")[0] in {"error", "load", "import", "export", "form"}]
    assert len(codes) > 100
    assert [c for c in codes if names(nl[c]) != names(en[c])] == []


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("nl", "Fout: {file}: positie van element 'stress' is geen getal: {value}\n"),
        ("en", "Error: {file}: position of node 'stress' is not numeric: {value}\n"),
    ],
)
def test_a_broken_positions_file_is_said_in_the_language(
    lang: str, expected: str, tmp_path: Path
) -> None:
    file = tmp_path / "posities.json"
    file.write_text(json.dumps({"stress": {"x": "ver", "y": 1}}), encoding="utf-8")
    out = tmp_path / "k.html"
    code, err = run("map", VLEUTEN, "--out", out, "--positions", file, "--lang", lang)
    assert code == 1
    assert err == expected.format(file=file, value={"x": "ver", "y": 1})
    assert not out.exists()


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("nl", "Fout: geef --round of --open-round, niet allebei\n"),
        ("en", "Error: give --round or --open-round, not both\n"),
    ],
)
@pytest.mark.parametrize("locale", ["nl_NL.UTF-8", "en_GB.UTF-8"])
def test_an_option_given_wrongly_is_said_in_the_language_asked_whatever_the_locale(
    lang: str, expected: str, locale: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LC_ALL", locale)
    data = EXAMPLE_CYCLE / "ronde-1"
    args = ["adjust", "retire", "x", data, "--reason", "x", "--round", "2"]
    code, err = run(*args, "--open-round", "Y", "--lang", lang)
    assert (code, err) == (2, expected)


def test_counts_in_a_message_are_grouped_as_the_language_groups_them() -> None:
    args = ["scenario", "--turn", "stress=1", "--draws", "2000000"]
    code, nl = run("--lang", "nl", *args)
    assert code == 2
    assert nl.strip() == (
        "Fout: het aantal trekkingen moet een heel getal van 1 tot 100.000 zijn, niet 2.000.000"
    )
    code, en = run("--lang", "en", *args)
    assert en.strip() == "Error: draws must be a whole number from 1 to 100,000, not 2,000,000"


def test_a_question_too_large_for_memory_is_refused_in_either_language(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from graph.errors import QueryError
    from queries import knoppen, scenarios

    monkeypatch.setattr(scenarios, "MAX_CELLS", 1_000)
    m = load_map()
    with pytest.raises(QueryError) as scenario:
        scenarios.scenario(m, {"verwachtingen-ouders": -1.0}, draws=500)
    assert phrase(scenario.value, "nl").startswith("500 trekkingen op een kaart met ")
    assert phrase(scenario.value, "en").startswith("500 draws on a map of ")
    with pytest.raises(QueryError) as ranking:
        knoppen.knoppen(m, samples=2_000)
    assert phrase(ranking.value, "nl").startswith("2.000 steekproeven van een kaart met ")
    assert str(ranking.value).startswith("2,000 samples of a map of ")
    assert "hoogstens" in phrase(ranking.value, "nl") and "at most" in str(ranking.value)


def test_what_the_system_says_of_a_file_is_said_in_the_language() -> None:
    import errno
    import os

    from graph.errors import os_reason

    english, dutch = messages("en"), messages("nl")
    codes = [code for code in english if code.startswith("os.")]
    assert len(codes) >= 10
    for code in codes:
        number = getattr(errno, code.removeprefix("os.").upper())
        e = OSError(number, os.strerror(number))
        # the English is the system's own words; the Dutch is another sentence
        assert phrase(os_reason(e), "en") == os.strerror(number), code
        assert phrase(os_reason(e), "nl") == dutch[code] != english[code]
    rare = OSError(errno.EDOM, os.strerror(errno.EDOM))
    assert phrase(os_reason(rare), "nl") == os.strerror(errno.EDOM)


@pytest.mark.parametrize(
    ("lang", "expected"), [("nl", "Bestand bestaat al"), ("en", "File exists")]
)
def test_a_file_that_cannot_be_written_is_said_in_the_language(
    lang: str, expected: str, tmp_path: Path
) -> None:
    (tmp_path / "gewoon-bestand").write_text("x")
    out = tmp_path / "gewoon-bestand" / "werkboek.xlsx"  # a folder that is a file
    code, err = run("--lang", lang, "template", "--out", out)
    assert code == 1
    assert err.strip().endswith(f"{out}: {expected}"), err
    assert not foreign(err, lang, str(out))
