"""The knoppen page: the ranking that holds up, its report, and the archetype candidates."""

from __future__ import annotations

import html as html_lib
import json
import re
from xml.etree import ElementTree

from graph import SystemMap
from loaders import load_map
from queries.archetypes import TEXTBOOK
from tests.test_knoppen import known_answer_map
from views.leverage import render_leverage

SVG = "{http://www.w3.org/2000/svg}"


def section(html: str, section_id: str) -> str:
    found = re.search(rf'<section[^>]*id="{section_id}".*?</section>', html, re.S)
    assert found, section_id
    return found.group(0)


def robust_chart(html: str) -> ElementTree.Element:
    svg = re.search(r"<svg.*?</svg>", section(html, "vk-robust"), re.S)
    assert svg
    return ElementTree.fromstring(svg.group(0))


def test_on_vleuten_the_page_says_the_seven_factors_cannot_be_told_apart():
    html = render_leverage(load_map())
    robust = section(html, "vk-robust")
    chart = robust_chart(html)
    rows = [g for g in chart.iter(f"{SVG}g") if g.get("class") == "vk-robust"]
    assert len(rows) == 7 and {g.get("data-tier") for g in rows} == {"1"}
    assert "1.000 van de 1.000 versies gehouden." in robust
    assert "De kaart kan deze 7 factoren niet uit elkaar houden" in robust
    assert "Kendalls" not in robust  # no order to test for robustness
    assert "in handen van: Scholen" in robust
    archetypes = section(html, "vk-archetypes")
    assert "kandidaten om te bespreken" in archetypes
    assert "Geen kandidaten gevonden" in archetypes


def test_the_page_ranks_with_intervals_tests_robustness_and_lists_candidates_with_roles():
    m = known_answer_map()
    links, _ = TEXTBOOK["fixes-that-fail"]
    names = {"problem": "Te laat <b>", "fix": "Bijles", "side-effect": "Minder vrije tijd"}
    for node, name in names.items():
        m.add_node("Factor", node, name)
    for i, (source, target, sign) in enumerate(links):
        m.add_link(f"ftf-{i}", "INFLUENCES", source, target, sign=sign)
    m.add_link("ftf-uit", "INFLUENCES", "problem", "uitkomst", sign="+")
    html = render_leverage(m, target="uitkomst")
    chart = robust_chart(html)
    rows = [g for g in chart.iter(f"{SVG}g") if g.get("class") == "vk-robust"]
    assert rows[0].get("data-factor") == "sterk"
    whiskers = [line for line in chart.iter(f"{SVG}line") if line.get("class") == "vk-interval"]
    assert len(whiskers) == 3 * len(rows)
    robust = section(html, "vk-robust")
    assert "Zonder één verband tegelijk" in robust and "Kendalls τ" in robust
    share = html_lib.unescape(rows[0].find(f"{SVG}title").text or "")
    assert re.search(r"eerst in \d+% van de versies \(\d+%–\d+%\)", share), share
    low, high = (int(x) for x in re.findall(r"(\d+)%", share)[1:])
    assert low < high
    archetypes = section(html, "vk-archetypes")
    assert 'data-archetype="fixes-that-fail"' in archetypes
    assert "Oplossingen die averechts werken" in archetypes
    assert "probleem: Te laat &lt;b&gt;; oplossing: Bijles; bijwerking: Minder vrije tijd" in (
        archetypes
    )
    data = re.search(r'data-roles="([^"]*)"', archetypes)
    assert data
    roles = json.loads(html_lib.unescape(data.group(1)))
    assert roles["nodes"]["fix"] == [
        {"archetype": "fixes-that-fail", "candidate": 0, "role": "fix"}
    ]
    assert sorted(roles["links"]) == ["ftf-0", "ftf-1", "ftf-2", "ftf-3"]


def test_a_map_whose_samples_are_all_unstable_says_so_instead_of_ranking():
    m = SystemMap("lus", "Lus")
    for node in ("x", "y", "uit"):
        m.add_node("Factor", node, node.upper(), role="uitkomst" if node == "uit" else "bron")
    m.add_link("xy", "INFLUENCES", "x", "y", sign="+", weight=1.0)
    m.add_link("yx", "INFLUENCES", "y", "x", sign="+", weight=1.0)
    m.add_link("xu", "INFLUENCES", "x", "uit", sign="+", weight=1.0)
    robust = section(render_leverage(m, lang="en"), "vk-robust")
    assert "Every weight is known" in robust
    assert "No version was left: there is no order to give." in robust
    assert "<svg" not in robust
