"""The stellingen and knoppen charts: unknown is never zero, text is always escaped."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from graph.cycle import outcome
from loaders import load_map
from tests.browser.sample_maps import HOSTILE, HOSTILE_SCRIPT, rich_map
from views.leverage import leverage_svg, render_leverage
from views.statements import render_statements, statements_svg
from views.svg import Svg, xml_text

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg.split("\n", 1)[1])


def texts(root: ET.Element) -> list[str]:
    return ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]


def statement_group(root: ET.Element, statement: str) -> ET.Element:
    for g in root.iter(f"{SVG}g"):
        if g.get("data-statement") == statement:
            return g
    raise AssertionError(f"no group for {statement}")


# --------------------------------------------------------------------------- statements


def test_vleuten_counts_are_all_unknown_never_zero():
    root = parse(statements_svg(load_map()))
    words = texts(root)
    assert words.count("onbekend") == 12  # 6 statements x (votes, priority)
    assert "0" not in words
    assert words.count("★ focus") == 2
    for g in root.iter(f"{SVG}g"):
        if g.get("class") == "vk-statement":
            assert [r.get("class") for r in g.iter(f"{SVG}rect") if r.get("class")] == [
                "vk-unknown",
                "vk-unknown",
            ]


def test_known_counts_are_bars_to_scale_and_partial_unknown_is_said():
    root = parse(statements_svg(rich_map()))
    s1 = statement_group(root, "s1")
    widths = {r.get("class"): float(r.get("width")) for r in s1.iter(f"{SVG}rect")}
    assert widths["vk-neutral"] == pytest.approx(widths["vk-agree"] * 12 / 5)
    total = widths["vk-agree"] + widths["vk-neutral"] + widths["vk-disagree"]
    assert widths["vk-priority"] == pytest.approx(total)  # each scaled to its own largest
    assert "eens 5" in texts(s1) and "9" in texts(s1)
    s2 = statement_group(root, "s2")
    assert "neutraal: onbekend" in texts(s2)
    assert [r.get("class") for r in s2.iter(f"{SVG}rect") if r.get("class")] == [
        "vk-agree",
        "vk-disagree",
        "vk-unknown",
        "vk-priority",
    ]
    assert s2.find(f"{SVG}title").text == (
        "Ouders verwachten te veel\neens: 2, neutraal: onbekend, oneens: 4, prioriteit: 3"
    )


def test_statements_page_has_quotes_and_the_note_about_unknown_counts():
    html = render_statements(rich_map())
    assert "Grijs gearceerd betekent onbekend" in html
    assert "«Toetsen geeft stress»" in html
    assert "aantallen onbekend" in html and "neutraal niet geteld" in html
    english = render_statements(rich_map(), "en")
    assert '<html lang="en">' in english and ">unknown<" in english


def test_hostile_text_is_escaped_in_every_chart():
    m = rich_map(hostile=True)
    for svg in (statements_svg(m), leverage_svg(m)):
        root = parse(svg)  # well-formed XML
        assert "<script" not in svg and "<img" not in svg
        assert any(HOSTILE_SCRIPT in t for t in texts(root)) or any(
            HOSTILE_SCRIPT in (t.text or "") for t in root.iter(f"{SVG}title")
        )
    for html in (render_statements(m), render_leverage(m)):
        assert html.count("<script") == 1  # the page's own
        assert "<img" not in html
        assert xml_text(HOSTILE) in html or "&lt;script&gt;" in html


def test_xml_text_drops_characters_xml_forbids():
    chart = Svg(100, 20, title="a\x00b\x1fc")
    chart.text(0, 10, "x\x0by & <z>")
    root = parse(chart.render())
    assert root.find(f"{SVG}title").text == "abc"
    assert texts(root) == ["xy & <z>"]


# --------------------------------------------------------------------------- knoppen


def test_knoppen_rank_effects_with_adjusters_and_caveat():
    m = rich_map()
    assert outcome(m) == "prestatiedruk"
    root = parse(leverage_svg(m))
    knobs = [g for g in root.iter(f"{SVG}g") if g.get("class") == "vk-knob"]
    order = [g.get("data-factor") for g in knobs]
    # equal effects: the one someone can adjust first (verwachtingen: Ouders), then by id
    assert order == ["toetsdruk", "verwachtingen", "slaap", "steun"]
    assert "Kan bijsturen: Scholen" in texts(knobs[0])
    assert "Kan bijsturen: Ouders" in texts(knobs[1])
    assert "+2" in texts(knobs[0]) and "-0,5" in texts(knobs[3])
    assert "Nog niemand gevonden die hieraan kan draaien" in texts(knobs[2])
    html = render_leverage(m)
    assert "Een lezing van de kaart, geen meting" in html
    assert re.search(r"\d+ van de \d+ verbanden", html)


def test_knoppen_caveat_counts_untested_links_by_the_groups_reviews():
    from graph import SystemMap

    m = SystemMap("toets")
    m.add_record("rounds", number=1, name="Ronde 1")
    for f in ("a", "b", "c"):
        m.add_node("Factor", f, f.upper(), level="persoon", role="uitkomst" if f == "c" else "bron")
    # The status column says confirmed, but nobody reviewed "ab" and "ac": they are
    # untested; both groups agreed with "bc", whose status column is empty.
    m.add_link("ab", "INFLUENCES", "a", "b", sign="+", status="bevestigd")
    m.add_link("ac", "INFLUENCES", "a", "c", sign="+", status="bevestigd")
    m.add_link("bc", "INFLUENCES", "b", "c", sign="+")
    for group in ("jongere", "ouder"):
        m.add_record("reviews", id=f"r-{group}", link="bc", round=1, group=group, verdict="eens")
    html = render_leverage(m, target="c")
    assert "2 van de 3 verbanden" in html


def test_knoppen_unknown_effect_and_no_outcome():
    root = parse(leverage_svg(load_map(), target="geluk-kind"))
    assert texts(root).count("onbekend") == 2
    from graph import SystemMap

    empty = SystemMap("leeg")
    assert "geen uitkomst" in render_leverage(empty)
