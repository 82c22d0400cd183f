"""What the toetsmodus of the map page carries: the one agenda first, then the rest."""

from __future__ import annotations

import json
import re
from html import unescape

import pytest

from graph.cycle import outcome, present, status_rows
from graph.errors import UnknownRound
from graph.generate import generated_map
from loaders import EXAMPLE_CYCLE, load_map
from queries.agenda import agenda, agenda_rows, link_leverage
from queries.phrasing import phrase
from queries.status import TESTED_KINDS
from views.bundle import write_bundle
from views.map import render_map
from views.toets import MAX_LINKS, toets_data


def test_the_agendas_links_come_first_in_its_order_then_every_other_link() -> None:
    m = load_map(EXAMPLE_CYCLE / "ronde-2")
    data = toets_data(m)
    top = agenda(m)
    on_agenda = [link for link in data["links"] if link["onAgenda"]]
    assert [link["id"] for link in on_agenda] == list(top["link"])
    assert [link["sentence"] for link in on_agenda] == list(top["statement"])
    assert data["links"][: len(on_agenda)] == on_agenda
    tested = {
        link.id for link in m.links() if link.kind in TESTED_KINDS and present(link.fields, 2)
    }
    assert {link["id"] for link in data["links"]} == tested
    assert (data["map"], data["round"], data["session"]) == (
        "voorbeeld-cyclus",
        2,
        "jongerensessie",
    )


def test_each_link_carries_its_evidence_and_the_verdicts_so_far() -> None:
    m = load_map(EXAMPLE_CYCLE / "ronde-2")
    link = next(x for x in toets_data(m)["links"] if x["id"] == "inv-meten-toetsen-prestatiedruk")
    assert link["status"] == "betwist"
    assert "betwist (eens: professional; oneens: ouder)" in link["reasons"]
    assert any(line.startswith("Toetsing: ronde 1, ouder: oneens") for line in link["evidence"])
    assert any(line.startswith("Bronnen: ") for line in link["evidence"])


def test_a_round_not_on_the_map_is_refused() -> None:
    with pytest.raises(UnknownRound):
        toets_data(load_map(EXAMPLE_CYCLE / "ronde-1"), round=2)


def test_english_words_and_a_large_map_kept_light() -> None:
    data = toets_data(generated_map(300, 1500, seed=2), "en")
    assert data["strings"]["open"] == "Test mode"
    assert [g["label"] for g in data["groups"]][:2] == ["young person", "parent"]
    big = toets_data(generated_map(600, MAX_LINKS + 500, seed=3))
    assert len(big["links"]) == MAX_LINKS


def test_in_english_each_link_is_the_sentence_the_agenda_puts_it_in() -> None:
    """Not ``A → kind → B``: the English sentence of ``versterkt agenda --lang en``."""
    m = load_map(EXAMPLE_CYCLE / "ronde-2")
    links = toets_data(m, "en")["links"]
    top = agenda(m)
    on_agenda = [link["sentence"] for link in links if link["onAgenda"]]
    assert on_agenda == [phrase(s, "en") for s in top["statement"]]
    assert on_agenda[0] == "De verwachtingen van ouders increase Prestatiedruk"
    assert not any("→" in link["sentence"] for link in links)
    dutch = {link["id"]: link["sentence"] for link in toets_data(m)["links"]}
    assert all(dutch[link["id"]] != link["sentence"] for link in links)


def test_the_map_page_and_the_bundles_map_carry_it_and_its_script_is_allowed(tmp_path) -> None:
    m = load_map(EXAMPLE_CYCLE / "ronde-1")
    for html in (render_map(m), (write_bundle(m, tmp_path).folder / "kaart.html").read_text()):
        found = re.search(r'id="vk-toets-data">(.*?)</script>', html, re.S)
        assert found and json.loads(found.group(1))["map"] == "voorbeeld-cyclus"
        policy = re.search(r'Content-Security-Policy" content="([^"]*)"', html)
        assert policy
        sources = re.search(r"script-src ([^;]*);", unescape(policy.group(1)))
        assert sources and len(sources.group(1).split()) == 3  # vis-network, page, toetsmodus
    assert "vk-toets-data" not in render_map(m, toets=None)


def test_on_a_large_map_only_the_links_shown_are_phrased_and_as_the_agenda_phrases_them() -> None:
    m = generated_map(600, MAX_LINKS + 500, seed=3)
    top = agenda(m)
    assert len(top) > MAX_LINKS  # more links on the agenda than the page carries
    data = toets_data(m)
    assert [link["id"] for link in data["links"]] == list(top["link"][:MAX_LINKS])
    assert [link["sentence"] for link in data["links"]] == list(top["statement"][:MAX_LINKS])
    assert [link["reasons"] for link in data["links"]] == [
        "; ".join(reasons) for reasons in top["reasons"][:MAX_LINKS]
    ]
    assert all(link["onAgenda"] for link in data["links"])
    status = status_rows(m, None)
    target = outcome(m, None, None)
    rows = agenda_rows(
        status, link_leverage(m, None, target, 4), m.node(target).name, TESTED_KINDS, phrased=10
    )
    assert [r["link"] for r in rows] == list(top["link"])
    assert [r["statement"] for r in rows[:10]] == list(top["statement"][:10])
    assert [r["reasons"] for r in rows[:10]] == list(top["reasons"][:10])
    assert all(r["statement"] is None and r["reasons"] == [] for r in rows[10:])
