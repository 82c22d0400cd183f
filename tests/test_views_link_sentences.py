"""A link on the map pages and the what-changed page reads as a sentence in the
page's language: the tooltip's first line and the rows of the lists of changes."""

from __future__ import annotations

import pytest

from graph.phrasing import link_sentence
from loaders import EXAMPLE_CYCLE, load_map
from tests.browser.sample_maps import rich_map
from views.changes import changes_data
from views.map import map_data
from views.provenance import link_line


def by_id(items):
    return {item["id"]: item for item in items}


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("nl", {"l-toets": "Toetsdruk vergroot prestatiedruk",
                "l-steun": "Steun van vrienden verkleint prestatiedruk",
                "k-scholen": "Scholen kunnen toetsdruk bijsturen",
                "r-buurtteam": "Buurtteam voert Huiswerkclub uit",
                "q1>ABOUT>s1": "«Toetsen geeft stress» gaat over We moeten minder toetsen",
                "q1>SAID_IN": "«Toetsen geeft stress» is gezegd in Kick-off"}),
        ("en", {"l-toets": "Toetsdruk increases Prestatiedruk",
                "l-steun": "Steun van vrienden decreases Prestatiedruk",
                "k-scholen": "Scholen can adjust Toetsdruk",
                "r-buurtteam": "Buurtteam runs Huiswerkclub",
                "q1>ABOUT>s1": "«Toetsen geeft stress» is about We moeten minder toetsen",
                "q1>SAID_IN": "«Toetsen geeft stress» was said in Kick-off"}),
    ],
)  # fmt: skip
def test_a_links_tooltip_opens_with_its_sentence(lang, expected):
    _, edges, _ = map_data(rich_map(), lang=lang)
    first = {e["id"]: e["tooltip"].splitlines()[0] for e in edges}
    assert {k: first[k] for k in expected} == expected
    assert not any("→" in line for line in first.values())


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_tooltip_says_a_link_as_the_agenda_and_the_report_do(lang):
    m = load_map(EXAMPLE_CYCLE / "ronde-2")
    _, edges, _ = map_data(m, lang=lang)
    tips = {e["id"]: e["tooltip"].splitlines()[0] for e in edges}
    for link in m.links():
        if link.id in tips:
            assert tips[link.id] == link_sentence(m, link, lang)


def test_the_what_changed_lists_read_the_links_as_sentences_in_the_pages_language():
    lists = {
        lang: {note["title"]: note["items"] for note in changes_data(rich_map(), 1, 2, lang)[3]}
        for lang in ("nl", "en")
    }
    assert lists["nl"]["Teken gewijzigd"] == [
        "Steun van vrienden verkleint prestatiedruk (+ → -); waarom: steun dempt de druk"
    ]
    assert lists["en"]["Sign changed"] == [
        "Steun van vrienden decreases Prestatiedruk (+ → -); why: steun dempt de druk"
    ]
    assert "Te weinig slaap vergroot prestatiedruk" in lists["nl"]["Nieuw"]
    assert "Te weinig slaap increases Prestatiedruk" in lists["en"]["Added"]
    retired = "Oude factor increases Prestatiedruk; why: niemand herkende dit"
    assert retired in lists["en"]["Retired"]


def test_the_changes_page_tooltip_and_its_row_are_one_sentence():
    m = rich_map()
    for lang in ("nl", "en"):
        _, edges, _, notes = changes_data(m, 1, 2, lang)
        tip = by_id(edges)["l-slaap"]["tooltip"].splitlines()
        sentence = link_line(m.link("l-slaap"), {n.id: n.name for n in m.nodes()}, lang)
        assert sentence in tip
        assert sentence in notes[0]["items"]
