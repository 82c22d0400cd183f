"""The map's data, the Python layout, and the views' data: what a facilitator sees."""

from __future__ import annotations

import math

import pytest

from graph import SystemMap
from graph.cycle import rounds
from loaders import EXAMPLE_CYCLE, load_map
from queries.cycle import diff, link_status
from tests.browser.sample_maps import HOSTILE, rich_map
from views.changes import changes_data, round_changes
from views.layout import label_box, layout_positions
from views.map import map_data, measure_sizes
from views.social_map import MISSING_COLOR, social_map_data

EXAMPLE_ROUND_2 = EXAMPLE_CYCLE / "ronde-2"


def by_id(items):
    return {item["id"]: item for item in items}


# --------------------------------------------------------------------------- map data


def test_vleuten_map_draws_every_node_and_link():
    m = load_map()
    nodes, edges, legend = map_data(m)
    assert {n["id"] for n in nodes} == {n.id for n in m.nodes()}
    assert {e["id"] for e in edges} == {link.id for link in m.links(derived=True)}
    labels = [entry["label"] for entry in legend]
    assert "gestreept: hypothese, nog niet getoetst" in labels
    assert not any("bevestigd" in label or "betwist" in label for label in labels)
    assert "dikker: sterker verband" not in labels  # no weights in the Vleuten data


def test_links_thicker_with_weight_and_unknown_weight_said():
    nodes, edges, legend = map_data(rich_map())
    e = by_id(edges)
    assert e["l-toets"]["width"] > e["l-verw"]["width"] > e["l-steun"]["width"]
    assert e["l-toets"]["width"] == 8.0  # the heaviest link
    assert "gewicht: 2" in e["l-toets"]["tooltip"]
    assert "gewicht onbekend" in e["l-slaap"]["tooltip"]
    assert "dikker: sterker verband" in [entry["label"] for entry in legend]
    assert e["l-toets"]["dashes"] == [14.0, 5.0, 3.0, 5.0]  # betwist: dash-dot
    assert e["l-verw"]["dashes"] is True  # hypothese


def test_tooltips_carry_sources_quotes_and_reviews():
    _, edges, _ = map_data(rich_map())
    tip = by_id(edges)["l-toets"]["tooltip"].splitlines()
    assert tip[0] == "Toetsdruk vergroot prestatiedruk"
    assert "Toetsing: ronde 2, ouder: eens (herkenbaar)" in tip
    assert "Toetsing: ronde 2, jongere: oneens" in tip
    assert "Bronnen: Onderzoek jeugd (Rapport 2021)" in tip
    assert any(line.startswith("Citaat: «Toetsen geeft stress»") for line in tip)
    untested = by_id(edges)["l-verw"]["tooltip"]
    assert "status: hypothese (nog niet getoetst)" in untested


def test_facets_kind_group_level_round_status():
    nodes, edges, _ = map_data(rich_map())
    n, e = by_id(nodes), by_id(edges)
    assert n["toetsdruk"]["facets"] == {
        "soort": "Factor",
        "niveau": "organisatie",
        "rol": "bron",
        "ronde": "1",
    }
    assert n["q2"]["facets"]["groep"] == "jongere"
    assert n["slaap"]["facets"]["ronde"] == "2"
    assert e["l-toets"]["facets"] == {
        "verband": "beïnvloedt",
        "status": "betwist",
        "ronde": "1",
        "groep": ["jongere", "ouder"],
    }


def test_status_is_what_the_reviews_decide_not_the_workbook_column():
    m = rich_map()
    _, edges, _ = map_data(m)
    e = by_id(edges)
    # In the workbook l-toets says "bevestigd" and l-ouders "betwist"; the reviews
    # (round 2: parents agree, young people disagree) and their absence decide.
    assert e["l-toets"]["facets"]["status"] == "betwist"
    assert "status: betwist" in e["l-toets"]["tooltip"].splitlines()
    assert e["l-ouders"]["facets"]["status"] == "hypothese"
    assert e["l-ouders"]["dashes"] is True
    assert "status: hypothese (nog niet getoetst)" in e["l-ouders"]["tooltip"]
    derived = link_status(m).set_index("link")["status"]
    assert {i: x["facets"]["status"] for i, x in e.items() if i in derived} == derived.to_dict()

    # As of round 2 the verdicts given in round 2 do not count yet, nor are they cited.
    _, edges, _ = map_data(m, as_of_round=2)
    toets = by_id(edges)["l-toets"]
    assert toets["facets"]["status"] == "hypothese" and toets["dashes"] is True
    assert "Toetsing" not in toets["tooltip"]
    assert "status: hypothese (nog niet getoetst)" in toets["tooltip"]
    derived = link_status(m, as_of_round=2).set_index("link")["status"]
    assert {x["id"]: x["facets"]["status"] for x in edges if x["id"] in derived} == (
        derived.to_dict()
    )


def test_each_status_has_its_own_line_mark_and_legend_entry():
    m = rich_map()
    verdicts = {"l-verw": ["eens"], "l-slaap": ["oneens"], "l-steun": ["eens", "oneens"]}
    for link_id, said in verdicts.items():
        for group, verdict in zip(("ouder", "jongere"), said, strict=False):
            m.add_record(
                "reviews",
                id=f"{link_id}-{group}",
                link=link_id,
                round=3,
                group=group,
                verdict=verdict,
            )
    _, edges, legend = map_data(m)
    e = by_id(edges)
    drawn = {
        status: (e[link_id]["dashes"], e[link_id]["label"], e[link_id]["color"])
        for status, link_id in (
            ("bevestigd", "l-verw"),
            ("verworpen", "l-slaap"),
            ("betwist", "l-steun"),
            ("hypothese", "i-sportclub"),
        )
    }
    assert {e[i]["facets"]["status"] for i in ("l-verw", "l-slaap", "l-steun")} == {
        "bevestigd",
        "verworpen",
        "betwist",
    }
    assert drawn["bevestigd"] == (False, "+ ✓", "#D55E00")
    assert drawn["verworpen"] == ([2.0, 6.0], "+ ✗", "#8C8C8C")
    assert drawn["betwist"] == ([14.0, 5.0, 3.0, 5.0], "− ?", "#0072B2")
    assert drawn["hypothese"] == (True, "+", "#D55E00")
    # Without colour, line and mark still tell every status apart.
    assert len({(str(d), label[-1]) for d, label, _ in drawn.values()}) == 4
    lines = {entry["label"]: entry["dashes"] for entry in legend if entry["kind"] == "edge"}
    assert lines["doorgetrokken ✓: bevestigd"] is False
    assert lines["streep-punt ?: betwist"] == [14.0, 5.0, 3.0, 5.0]
    assert lines["grijs gestippeld ✗: verworpen"] == [2.0, 6.0]
    assert lines["gestreept: hypothese, nog niet getoetst"] is True


def test_retired_items_are_left_off_and_rounds_can_be_asked():
    nodes, edges, _ = map_data(rich_map())
    assert "oud" not in by_id(nodes) and "l-steun-oud" not in by_id(edges)
    nodes, edges, _ = map_data(rich_map(), as_of_round=1)
    assert "oud" in by_id(nodes) and "slaap" not in by_id(nodes)
    assert "l-steun-oud" in by_id(edges) and "l-steun" not in by_id(edges)


def test_english_map():
    nodes, edges, legend = map_data(rich_map(), "en")
    e = by_id(edges)["l-toets"]
    assert e["facets"]["status"] == "contested"
    assert "Review: round 2, parent: agree (herkenbaar)" in e["tooltip"]
    # The values of the level and role filters are English too.
    n = by_id(nodes)["toetsdruk"]
    assert n["facets"] == {
        "kind": "Factor",
        "level": "organisation",
        "role": "source",
        "round": "1",
    }
    assert "level: organisation" in n["tooltip"] and "role: source" in n["tooltip"]
    levels = {x["facets"]["level"] for x in nodes if "level" in x["facets"]}
    assert levels == {"organisation", "surroundings", "person"}  # none Dutch
    with pytest.raises(ValueError, match="lang"):
        map_data(rich_map(), "de")


# --------------------------------------------------------------------------- layout


def test_layout_is_seeded_and_keeps_given_positions():
    ids = [f"n{i}" for i in range(30)]
    links = [(f"n{i}", f"n{(i * 7 + 1) % 25}") for i in range(25)]
    first = layout_positions(ids, links, seed=3)
    assert first == layout_positions(ids, links, seed=3)
    assert first != layout_positions(ids, links, seed=4)
    fixed = {"n0": (1000.5, -20.25), "n3": (5.0, 6.0)}
    again = layout_positions(ids, links, seed=3, fixed=fixed)
    assert again["n0"] == fixed["n0"] and again["n3"] == fixed["n3"]
    assert all(math.isfinite(c) for p in again.values() for c in p)


def test_unlinked_nodes_go_on_a_shelf_beside_the_rest():
    m = load_map()
    nodes, edges, _ = map_data(m)
    pos = layout_positions(
        [n["id"] for n in nodes],
        [(e["from"], e["to"]) for e in edges],
        sizes={n["id"]: label_box(n["label"], shape=n["shape"]) for n in nodes},
    )
    linked = {end for e in edges for end in (e["from"], e["to"])}
    loose = [n["id"] for n in nodes if n["id"] not in linked]
    assert "stelling-onbekend-1" in loose and "kickoff-verslag" in loose
    right = max(pos[i][0] for i in linked)
    bottom = max(pos[i][1] for i in linked)
    assert all(pos[i][0] > right or pos[i][1] > bottom for i in loose)
    # Labels of the linked part do not overlap (boxes as estimated).
    boxes = {n["id"]: label_box(n["label"], shape=n["shape"]) for n in nodes}
    placed = sorted(linked)
    for i, a in enumerate(placed):
        for b in placed[i + 1 :]:
            dx = abs(pos[a][0] - pos[b][0]) - (boxes[a][0] + boxes[b][0]) / 2
            dy = abs(pos[a][1] - pos[b][1]) - (boxes[a][1] + boxes[b][1]) / 2
            assert dx > -1 or dy > -1, (a, b)


def test_layout_refuses_duplicate_ids():
    with pytest.raises(ValueError, match="unique"):
        layout_positions(["a", "a"], [])


# --------------------------------------------------------------------------- social map


def test_social_map_highlights_organisations_that_do_not_work_together():
    nodes, edges, legend, notes = social_map_data(rich_map())
    ids = {n["id"] for n in nodes}
    assert {"huiswerkclub", "sportmaatje", "buurthuis", "scholen", "gemeente"} <= ids
    assert "prestatiedruk" not in ids  # only factors someone works on
    missing = [e for e in edges if e["color"] == MISSING_COLOR]
    assert sorted((e["from"], e["to"]) for e in missing) == [
        ("huiswerkclub", "scholen"),
        ("sportclub", "sportmaatje"),
    ]
    assert notes[0]["items"] == [
        "Huiswerkclub en Scholen: allebei bezig met Toetsdruk",
        "Sportclub en Sportmaatje: allebei bezig met Steun van vrienden",
    ]
    assert legend[-1] == {
        "label": "werken nog niet samen",
        "color": MISSING_COLOR,
        "kind": "edge",
        "dashes": True,
    }


# --------------------------------------------------------------------------- changes


def test_round_changes_added_retired_resigned_with_reasons():
    m = rich_map()
    assert rounds(m) == [1, 2, 3]
    changes = [
        (c.change, c.item, c.replaces, c.before, c.after, c.reasons) for c in round_changes(m, 1, 2)
    ]
    assert changes == [
        ("added", "slaap", None, None, None, ()),
        ("added", "toets", None, None, None, ()),
        ("retired", "oud", None, None, None, ("niemand herkende dit",)),
        ("added", "l-slaap", None, None, None, ()),
        ("re-signed", "l-steun", "l-steun-oud", "+", "-", ("steun dempt de druk",)),
        ("retired", "l-oud", None, None, None, ("niemand herkende dit",)),
    ]
    # The verdicts of round 2 count from round 3 on: a status change, and its reviews.
    [status] = round_changes(m, 2, 3)
    assert (status.change, status.item, status.before, status.after) == (
        "status",
        "l-toets",
        "hypothese",
        "betwist",
    )
    assert status.reviews == ("r1", "r2")
    first = round_changes(m, 0, 1)
    assert {c.change for c in first} == {"added"}
    assert len(first) == len([n for n in m.nodes() if (n.get("round_in") or 1) == 1]) + len(
        [lk for lk in m.links() if (lk.get("round_in") or 1) == 1]
    )
    with pytest.raises(ValueError, match="the first round must come before the second"):
        round_changes(m, 2, 2)
    with pytest.raises(ValueError, match="unknown round 4"):
        round_changes(m, 2, 4)


def test_round_changes_are_those_of_the_cycle_diff():
    m = load_map(EXAMPLE_ROUND_2)
    table = diff(m, 1, 2)
    changes = round_changes(m, 1, 2)
    assert sorted((c.item, c.replaces, c.before, c.after) for c in changes) == sorted(
        (r["item"], r["replaces"], r["before"], r["after"])
        for r in table.astype(object).where(table.notna(), None).to_dict("records")
    )
    kinds = {c.item: c.change for c in changes}
    assert kinds["inv-verwachtingen-ouders-prestatiedruk-r2"] == "re-weighted"
    assert kinds["inv-ouders-geluk-kind-r2"] == "re-signed"
    assert kinds["inv-meten-toetsen-prestatiedruk"] == "status"
    # The page marks and lists each, with the verdicts behind a new status.
    _, edges, legend, notes = changes_data(m, 1, 2)
    e = by_id(edges)
    assert e["inv-verwachtingen-ouders-prestatiedruk-r2"]["label"] == "? → 2"
    assert e["inv-verwachtingen-ouders-prestatiedruk"]["dashes"] is True  # replaced
    assert e["inv-meten-toetsen-prestatiedruk"]["label"] == "→ betwist"
    assert e["inv-meten-toetsen-prestatiedruk"]["facets"]["verandering"] == "status gewijzigd"
    lists = {note["title"]: note["items"] for note in notes}
    assert any(
        item.startswith("Meten en toetsen vergroten prestatiedruk (hypothese → betwist)")
        and "ronde 1, ouder: oneens" in item
        for item in lists["Status gewijzigd"]
    )
    assert len(lists["Gewicht gewijzigd"]) == 1
    assert "gewicht gewijzigd" in [entry["label"] for entry in legend]


def test_changes_page_has_a_box_for_each_kind_of_change_there_is():
    _, _, _, notes = changes_data(rich_map(), 1, 2)
    assert [note["title"] for note in notes] == ["Nieuw", "Teken gewijzigd", "Ingetrokken"]
    m = SystemMap("stil")
    for k in (1, 2):
        m.add_record("rounds", number=k, name=f"Ronde {k}")
    m.add_node("Factor", "a", "A", level="persoon", role="bron")
    _, _, _, notes = changes_data(m, 1, 2)
    assert notes == [
        {"title": "Wat is er veranderd: ronde 1 → ronde 2", "items": [], "empty": "Niets."}
    ]


def test_hostile_text_stays_text_in_the_data():
    nodes, edges, _ = map_data(rich_map(hostile=True))
    assert by_id(nodes)["toetsdruk"]["label"].startswith("Toetsdruk <script>")
    assert HOSTILE in by_id(nodes)["q1"]["tooltip"]


# --------------------------------------------------------------------------- size by measure


@pytest.mark.parametrize("measure", ["leverage", "betweenness", "in_degree", "out_degree"])
def test_nodes_sized_by_a_measure_said_in_legend_and_tooltip(measure):
    m = load_map(EXAMPLE_ROUND_2)
    nodes, _, legend = map_data(m, size_by=measure)
    n = by_id(nodes)
    sized = measure_sizes(m, measure)
    assert sized.values and legend[-1]["label"] == f"grootte: {sized.name}"
    ranked = sorted(sized.values, key=sized.values.get)
    low, high = ranked[0], ranked[-1]
    assert sized.values[low] < sized.values[high]
    assert n[low]["size"] < n[high]["size"] and n[high]["size"] == 44.0
    assert n[high]["shape"] == "dot"  # a box would not show its size
    assert f"{sized.name}: " in n[high]["tooltip"]
    unsized = by_id(map_data(m)[0])
    assert unsized[high]["size"] == 22 and unsized[high]["shape"] == "box"


def test_size_by_in_degree_counts_influences_in():
    sized = measure_sizes(load_map(), "in_degree", "en")
    assert sized.values["prestatiedruk"] == 7.0 and sized.legend == "size: influences in"
    with pytest.raises(ValueError, match="unknown measure"):
        measure_sizes(load_map(), "pagerank")


def test_map_command_sizes_by_a_measure(tmp_path):
    from click.testing import CliRunner

    from tests.test_views_page import page_data
    from versterkt.cli import main

    out = tmp_path / "kaart.html"
    result = CliRunner().invoke(main, ["map", "--size-by", "in-degree", "--out", str(out)])
    assert result.exit_code == 0, result.output
    data = page_data(out.read_text(encoding="utf-8"))
    sizes = {n["id"]: n["size"] for n in data["nodes"]}
    assert sizes["prestatiedruk"] == 44.0 and sizes["stress"] < 44.0
    assert data["legend"][-1]["label"] == "grootte: aantal invloeden erop"


# --------------------------------------------------------------------------- steps


def test_steps_of_a_session_in_the_pages_language(tmp_path):
    from click.testing import CliRunner

    from versterkt.cli import main
    from views.map import map_steps

    m = load_map(EXAMPLE_ROUND_2)
    m.add_record("steps", number=2, name="Later", filter="soort=Actor; niveau=persoon, omgeving")
    m.add_record(
        "steps",
        number=1,
        name="Eerst",
        focus="prestatiedruk",
        direction="gevolgen",
        highlight=["inv-prestatiedruk-stress", "ouders"],
    )
    nodes, edges, _ = map_data(m, "en")
    first, second = map_steps(m, "en", nodes, edges)
    assert (first.name, first.focus, first.depth, first.direction) == (
        "Eerst",
        "prestatiedruk",
        1,
        "down",
    )
    assert first.data()["highlight"] == {
        "nodes": ["prestatiedruk", "stress", "ouders"],
        "edges": ["inv-prestatiedruk-stress"],
    }
    assert second.data()["filters"] == {"kind": ["Actor"], "level": ["person", "surroundings"]}
    assert second.highlight is None and second.focus is None

    m.add_record("steps", number=3, name="Fout", filter="kleur=rood")
    with pytest.raises(ValueError, match="stap 3"):
        map_steps(m, "nl", nodes, edges)
    out = tmp_path / "k.html"
    folder = tmp_path / "werkboek"
    from loaders import write_workbook

    write_workbook(m, folder)
    result = CliRunner().invoke(main, ["map", str(folder), "--out", str(out)])
    assert result.exit_code == 1 and "stappen, stap 3" in result.output
    assert not out.exists()
