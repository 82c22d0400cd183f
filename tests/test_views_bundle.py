"""The session bundle and the ``present`` command."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from graph import VersterktError
from loaders import VLEUTEN, load_map
from queries.agenda import agenda
from tests.browser.sample_maps import rich_map
from versterkt.cli import main
from views.bundle import VIEW_FILES, BundleError, session_agenda, write_bundle

HREF = re.compile(r"""\b(?:href|src)\s*=\s*["']([^"']*)["']""", re.IGNORECASE)


def test_every_link_in_the_index_is_a_file_in_the_folder(tmp_path):
    bundle = write_bundle(load_map(), tmp_path / "usb")
    index = bundle.index.read_text(encoding="utf-8")
    hrefs = [h for h in HREF.findall(index) if not h.startswith("data:")]
    assert set(VIEW_FILES) <= set(hrefs)
    for href in hrefs:
        assert not href.startswith("/") and "://" not in href and ".." not in href
        assert (bundle.folder / href).is_file(), href
    # Each view links back to the index, and nothing else outside data: URLs.
    for name in VIEW_FILES:
        page = (bundle.folder / name).read_text(encoding="utf-8")
        links = [h for h in HREF.findall(page) if not h.startswith("data:")]
        assert links == ["index.html"], name
    assert str(tmp_path) not in index


def test_bundle_round_agenda_and_changes(tmp_path):
    m = rich_map()
    bundle = write_bundle(m, tmp_path, round=2)
    assert (bundle.round, bundle.compared_with) == (2, 1)
    index = bundle.index.read_text(encoding="utf-8")
    assert "Ronde 1 → ronde 2." in index
    agenda = session_agenda(m, as_of_round=2)
    assert [a["id"] for a in agenda] == agenda_links(m, 2)
    assert agenda[0]["link"] == "Scholen kunnen toetsdruk bijsturen"
    english = session_agenda(m, "en", as_of_round=2)
    assert [a["link"] for a in english][:1] == ["Scholen can adjust Toetsdruk"]
    assert agenda[0]["reasons"].startswith("nog niet getoetst; rust op één bron")
    assert index.count('<li data-link="') == len(agenda) > 0
    latest = write_bundle(m, tmp_path / "laatste")
    assert latest.round == 3


def test_bundle_in_english(tmp_path):
    bundle = write_bundle(load_map(), tmp_path, lang="en")
    index = bundle.index.read_text(encoding="utf-8")
    assert '<html lang="en">' in index and "Agenda: what we test" in index


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"round": 4}, "unknown round 4 (rounds: 1, 2, 3)"),
        ({"lang": "de"}, "lang must be one of"),
        ({"target": "nergens"}, "unknown node 'nergens'"),
    ],
)
def test_bundle_errors_say_what_to_change(tmp_path, kwargs, message):
    with pytest.raises(VersterktError, match=re.escape(message)):
        write_bundle(rich_map(), tmp_path, **kwargs)


def test_bundle_refuses_a_file_as_folder(tmp_path):
    target = tmp_path / "bestand"
    target.write_text("x", encoding="utf-8")
    with pytest.raises(BundleError, match="is a file"):
        write_bundle(load_map(), target)


# --------------------------------------------------------------------------- CLI


cli = main


def test_present_writes_the_bundle(tmp_path):
    out = tmp_path / "sessie"
    result = CliRunner().invoke(cli, ["present", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert result.output == (  # the locale's language: Dutch here
        f"Geschreven: {out / 'index.html'} en nog 7 bestanden (ronde 1). "
        f"Kopieer de map {out} en open index.html.\n"
    )
    assert sorted(p.name for p in out.iterdir()) == sorted(
        ["index.html", "stellingen.svg", *VIEW_FILES]
    )


def test_present_data_lang_and_round(tmp_path):
    out = tmp_path / "en"
    result = CliRunner().invoke(
        cli, ["present", str(VLEUTEN), "--out", str(out), "--lang", "en", "--round", "1"]
    )
    assert result.exit_code == 0, result.output
    assert '<html lang="en">' in (out / "kaart.html").read_text(encoding="utf-8")


def test_present_unknown_round_exits_2_with_a_message(tmp_path, english_output: None):
    result = CliRunner().invoke(cli, ["present", "--out", str(tmp_path), "--round", "5"])
    assert result.exit_code == 2
    assert result.output == (
        "Error: unknown round 5 (rounds: 1); open a round first (versterkt round open)\n"
    )


def test_present_bad_options_exit_2(tmp_path, english_output):
    runner = CliRunner()
    missing = runner.invoke(cli, ["present"])
    assert missing.exit_code == 2 and "Missing option '--out'" in missing.output
    zero = runner.invoke(cli, ["present", "--out", str(tmp_path), "--round", "0"])
    assert zero.exit_code == 2 and "--round" in zero.output
    lang = runner.invoke(cli, ["present", "--out", str(tmp_path), "--lang", "fr"])
    assert lang.exit_code == 2


def test_present_has_help():
    result = CliRunner().invoke(cli, ["present", "--lang", "en", "--help"])
    assert result.exit_code == 0
    assert "Write the session bundle" in result.output
    assert Path(VLEUTEN).exists()


def agenda_links(m, as_of_round=None):
    """The links of the one agenda (queries.agenda), in its order."""
    return agenda(m, as_of_round)["link"].tolist()
