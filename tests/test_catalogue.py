"""The message catalogue: both languages carry every code, numbers follow the locale."""

from __future__ import annotations

import re

import pytest

from graph.catalogue import (
    LANGS,
    UnknownLanguage,
    check_lang,
    environment_lang,
    message,
    messages,
    number,
    percent,
)
from graph.errors import VersterktError


def test_every_code_is_in_both_languages():
    nl, en = messages("nl"), messages("en")
    assert nl.keys() == en.keys()
    assert len(nl) > 100


def test_every_kind_a_map_counts_has_a_word():
    from graph import SystemMap
    from graph.generate import generated_map
    from loaders import EXAMPLE_CYCLE, load_map

    kinds = set()
    for m in (load_map(EXAMPLE_CYCLE / "ronde-2"), generated_map(40, 80)):
        kinds |= set(m.counts())
    m = SystemMap("demo")
    m.add_record("positions", element="a", x=1.0, y=2.0)  # kept positions count too
    kinds |= set(m.counts())
    assert "Position" in kinds and len(kinds) > 10
    for lang in LANGS:
        assert sorted(k for k in kinds if f"code.{k}" not in messages(lang)) == [], lang


def test_placeholders_match_between_languages():
    field = re.compile(r"\{(\w*)")
    for code, text in messages("nl").items():
        assert sorted(field.findall(text)) == sorted(field.findall(messages("en")[code])), code


def test_one_language_check_for_everything():
    assert [check_lang(lang) for lang in LANGS] == ["nl", "en"]
    with pytest.raises(UnknownLanguage, match=r"lang must be one of \['en', 'nl'\], got 'de'"):
        check_lang("de")
    assert issubclass(UnknownLanguage, VersterktError) and issubclass(UnknownLanguage, ValueError)


def test_a_missing_code_is_named():
    with pytest.raises(KeyError, match="'nergens.iets' is not in the en catalogue"):
        message("nergens.iets", "en")


@pytest.mark.parametrize(
    ("value", "nl", "en"),
    [
        (0.06804, "0,068", "0.068"),
        (0.5, "0,5", "0.5"),
        (12.345, "12,3", "12.3"),
        (2500.5, "2500", "2500"),
        (-0.25, "-0,25", "-0.25"),
        (0.0, "0", "0"),
    ],
)
def test_numbers_by_locale(value, nl, en):
    assert (number(value, "nl"), number(value, "en")) == (nl, en)


def test_shares_as_percentages():
    assert [percent(v, "en") for v in (0.068, 0.25, 1.0)] == ["7%", "25%", "100%"]


def test_floats_in_a_message_are_written_by_the_locale():
    code, text = next((c, t) for c, t in messages("en").items() if "{" in t)
    names = re.findall(r"\{(\w+)", text)
    filled_en = message(code, "en", **dict.fromkeys(names, 0.5))
    filled_nl = message(code, "nl", **dict.fromkeys(names, 0.5))
    assert "0.5" in filled_en and "0,5" in filled_nl


@pytest.mark.parametrize(
    ("environ", "lang"),
    [
        ({"LANG": "en_US.UTF-8"}, "en"),
        ({"LANG": "nl_NL.UTF-8"}, "nl"),
        ({"LC_ALL": "en_GB.UTF-8", "LANG": "nl_NL.UTF-8"}, "en"),
        ({}, "nl"),
        ({"LANG": "C.UTF-8"}, "nl"),
    ],
)
def test_language_from_the_environment(environ, lang):
    assert environment_lang(environ) == lang


def test_agenda_reasons_are_codes_phrased_in_either_language():
    from loaders import load_map
    from queries.agenda import agenda
    from queries.phrasing import AGENDA_REASONS, Reason, phrase

    reasons = [r for rs in agenda(load_map())["reasons"] for r in rs]
    assert reasons and all(isinstance(r, Reason) and r.code in AGENDA_REASONS for r in reasons)
    assert "nog niet getoetst" in reasons  # as a string, the Dutch sentence
    english = {phrase(r, "en") for r in reasons}
    assert "not tested yet" in english and "rests on one source" in english
    assert not english & {str(r) for r in reasons}
    assert {phrase(r, "nl") for r in reasons} == {str(r) for r in reasons}


def test_the_agenda_command_phrases_status_and_reasons_in_its_language():
    from click.testing import CliRunner

    from versterkt.cli import main

    runner = CliRunner()
    english = runner.invoke(main, ["agenda", "--lang", "en"], catch_exceptions=False).stdout
    dutch = runner.invoke(main, ["agenda", "--lang", "nl"], catch_exceptions=False).stdout
    assert "not tested yet" in " ".join(english.split()) and "hypothesis" in english
    assert "getoetst" not in english and "hypothese" not in english
    assert "nog niet getoetst" in " ".join(dutch.split()) and "not tested" not in dutch


def test_bundle_agenda_reasons_in_english():
    from loaders import load_map
    from views.bundle import session_agenda

    rows = session_agenda(load_map(), "en")
    assert rows and rows[0]["reasons"].startswith("not tested yet; rests on one source")
