"""Maps from elsewhere: each format's real or documented file reads as its source says,
and import -> export -> import gives the same map."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import networkx as nx
import openpyxl
import pytest

from graph import SystemMap
from graph.adjust import open_round
from loaders import WorkbookInvalid, graphml, kumu, load_map, mentalmodeler, prsm
from loaders.interchange import read_map, save_workbook, write_map
from queries import QUERIES, QueryError
from queries.loops import loops, named_loops

HERE = Path(__file__).parent / "interchange"


def _links(m: SystemMap) -> list[tuple[str, str, str | None, float | None]]:
    return sorted((lk.source, lk.target, lk.get("sign"), lk.get("weight")) for lk in m.links())


def _same_map(a: SystemMap, b: SystemMap, *, steps: bool = True) -> None:
    """Same nodes, links, signs, weights, notes and positions (the map's id is the file's,
    and so is the name of its first round); the same steps unless ``steps`` is false."""
    ca, cb = a.canonical(), b.canonical()
    for key in ("nodes", "links"):
        assert ca[key] == cb[key], key
    del ca["records"]["rounds"], cb["records"]["rounds"]
    if not steps:
        del ca["records"]["steps"], cb["records"]["steps"]
    assert ca["records"] == cb["records"]
    assert [r["number"] for r in a.rounds] == [r["number"] for r in b.rounds] == [1]


# --- each format reads as its source says ---------------------------------------------


def test_mentalmodeler_model_from_mentalmodeler_itself() -> None:
    m, report = read_map(HERE / "fish_wetland_ozesmi.mmp")
    assert [n.name for n in m.factors()] == [
        "Amount of Wetland",
        "Fish population",
        "Pollution",
        "Livelihood",
        "Laws",
    ]
    links = _links(m)
    assert ("pollution", "fish-population", "-", 1.0) in links
    assert ("amount-of-wetland", "pollution", "-", 0.1) in links
    assert ("laws", "fish-population", "+", 0.5) in links
    # influence 0: a drawn relationship of unknown sign, reported
    assert ("amount-of-wetland", "laws", None, None) in links
    assert len(links) == 12
    assert m.positions()["fish-population"] == (309.0, 303.0)
    assert report.lines() == [
        "relationship with influence 0 or none read as a link of unknown sign"
    ]


def test_mentalmodeler_matrix() -> None:
    m, report = read_map(HERE / "mentalmodeler-matrix.csv")
    assert _links(m) == [
        ("ontspanning", "prestatiedruk", "-", 0.25),
        ("ontspanning", "stress", "-", 1.0),
        ("prestatiedruk", "stress", "+", 1.0),
        ("stress", "ontspanning", "-", 0.5),
        ("verwachtingen-ouders", "prestatiedruk", "+", 0.75),
    ]
    assert "positions: a CSV matrix has none" in report.lines()


def test_kumu_project_export() -> None:
    m, report = kumu.read(HERE / "kumu-project.json")
    assert m.name == "Oefenkaart prestatiedruk"
    assert len(list(m.factors())) == 9
    assert m.node("stress").get("note") == "Hoe gespannen jongeren zich voelen."
    links = _links(m)
    # ++ and -- move the same way (+); +- and -+ the opposite way (-)
    assert ("druk-van-school", "stress", "+", None) in links
    assert ("stress", "slaap", "-", None) in links
    assert ("slaap", "concentratie", "+", None) in links
    assert ("cijfers", "druk-van-school", "-", None) in links
    assert ("zelfvertrouwen", "stress", "-", None) in links  # "opposite"
    assert ("steun-thuis", "zelfvertrouwen", "+", 2.0) in links  # strength is the weight
    # a reversed connection runs from "to" to "from"
    assert links.count(("sociale-media", "vergelijken", "+", None)) == 2
    assert ("stress", "steun-thuis", None, None) in links  # no type: sign unknown
    # positions from the project's default map, not the other one
    assert m.positions()["druk-van-school"] == (-300.5, 0.0)
    assert len(m.positions()) == 9
    assert report.lines() == [
        '1 other maps of the project not carried (only "Prestatiedruk (oefenkaart)")',
        'element type "Omgeving" read as a factor',
        "delay mark of a connection not carried",
        "undirected connection read as two links, one each way",
    ]
    # the named loops become the map's steps, each highlighting its loop
    assert [(s["number"], s["name"]) for s in m.records["steps"]] == [
        (i, loop.name) for i, loop in enumerate(report.named_loops, start=1)
    ]


def test_kumu_blueprint_by_label_and_by_id() -> None:
    m, report = kumu.read(HERE / "kumu-blueprint.json")
    assert [n.id for n in m.factors()] == [
        "verwachtingen-ouders",
        "prestatiedruk",
        "stress",
        "stress-2",
    ]
    assert _links(m) == [
        ("prestatiedruk", "stress", "+", None),
        ("stress", "stress-2", "-", None),
        ("stress-2", "prestatiedruk", None, None),
        ("stress-2", "stress", "-", None),
        ("verwachtingen-ouders", "prestatiedruk", "+", None),
    ]
    assert 'connection type "likes" is no polarity: sign left unknown' in report.lines()
    assert "mutual connection read as two links, one each way" in report.lines()


def test_kumu_spreadsheet_as_the_import_guide_describes(tmp_path: Path) -> None:
    path = tmp_path / "kumu.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Elements"
    for row in (["Label", "Type"], ["School", "Factor"], ["Druk", None], ["Slaap", None]):
        ws.append(row)
    cs = wb.create_sheet("Connections")
    for row in (["From", "To", "Type"], ["School", "Druk", "+"], ["Druk", "Slaap|School", "+-"]):
        cs.append(row)
    wb.save(path)
    m, report = read_map(path)
    assert report.format == "kumu"
    assert _links(m) == [
        ("druk", "school", "-", None),
        ("druk", "slaap", "-", None),
        ("school", "druk", "+", None),
    ]


def test_prsm_map_plain_and_compressed(tmp_path: Path) -> None:
    plain = HERE / "prsm-plain.prsm"
    compressed = tmp_path / "prsm-plain.prsm"
    compressed.write_text(prsm.compress(plain.read_text("utf-8")), encoding="utf-8")
    assert not compressed.read_text("utf-8").startswith("{")
    m, report = prsm.read(plain)
    m2, _ = prsm.read(compressed)
    _same_map(m, m2)
    assert m.name == "Oefenkaart PRSM"
    assert m.node("verwachtingen-ouders").name == "Verwachtingen ouders"
    assert m.node("verwachtingen-ouders").get("note") == "Wat ouders verwachten."
    assert _links(m) == [
        ("ontspanning", "prestatiedruk", None, None),  # style "Sample", no label
        ("ontspanning", "stress", "-", None),  # style "-ve"
        ("prestatiedruk", "stress", "+", None),  # label "+"
        ("stress", "ontspanning", "-", None),  # label "-"
        ("verwachtingen-ouders", "prestatiedruk", "+", None),  # style "+ve"
    ]
    assert m.positions()["verwachtingen-ouders"] == (-120.0, 40.5)
    assert "who created or changed factors and links (names) not carried" in report.lines()
    assert 'factor field "attr1" not carried' in report.lines()


def test_prsm_spreadsheet_names_a_missing_factor(tmp_path: Path) -> None:
    path = tmp_path / "prsm.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Factors"
    for row in (["Label", "x", "y"], ["Druk", 1, 2], ["Stress", 3, 4]):
        ws.append(row)
    ls = wb.create_sheet("Links")
    for row in (["From", "To", "Label"], ["Druk", "Stress", "+"], ["Stress", "Drukk", "-"]):
        ls.append(row)
    wb.save(path)
    with pytest.raises(WorkbookInvalid) as caught:
        read_map(path)
    assert [str(e) for e in caught.value.errors] == [
        f'{path}[Links]:3:To: no factor labelled "Drukk" in Factors'
    ]


def test_graphml_from_yed() -> None:
    m, report = read_map(HERE / "yed-kaart.graphml")
    assert [n.name for n in m.factors()] == ["Schoolsysteem", "Prestatiedruk", "Stress", "Sport"]
    assert _links(m) == [
        ("prestatiedruk", "stress", "+", None),
        ("schoolsysteem", "prestatiedruk", "+", 0.8),
        ("sport", "stress", "-", None),
        ("stress", "prestatiedruk", None, None),
        ("stress", "sport", "-", 0.5),  # a negative weight and no sign attribute
    ]
    assert m.positions()["schoolsysteem"] == (10.0, -20.5)
    assert sorted(report.lines()) == [
        'edge attribute "colour" not carried',
        "negative weight read as sign - with the weight's size",
    ]


def test_gexf_from_gephi() -> None:
    m, _ = read_map(HERE / "gephi-kaart.gexf")
    assert _links(m) == [
        ("prestatiedruk", "steun-thuis", "-", None),
        ("steun-thuis", "prestatiedruk", "-", None),
        ("verwachtingen-ouders", "prestatiedruk", "+", 1.5),
    ]
    assert m.positions() == {
        "verwachtingen-ouders": (-50.5, 20.0),
        "prestatiedruk": (60.0, 20.0),
        "steun-thuis": (0.0, -80.0),
    }


# --- import -> export -> import -----------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "fmt", "suffix"),
    [
        ("kumu-project.json", "kumu", ".json"),
        ("kumu-project.json", "graphml", ".graphml"),
        ("kumu-project.json", "gexf", ".gexf"),
        ("prsm-plain.prsm", "prsm", ".prsm"),
        ("prsm-plain.prsm", "prsm", ".xlsx"),
        ("fish_wetland_ozesmi.mmp", "mentalmodeler", ".mmp"),
        ("mentalmodeler-matrix.csv", "mentalmodeler", ".csv"),
        ("yed-kaart.graphml", "graphml", ".graphml"),
        ("gephi-kaart.gexf", "gexf", ".gexf"),
    ],
)
def test_import_export_import_gives_the_same_map(
    tmp_path: Path, source: str, fmt: str, suffix: str
) -> None:
    first, _ = read_map(HERE / source)
    out = tmp_path / f"kaart{suffix}"
    write_map(first, out, fmt)
    again, _ = read_map(out, fmt)
    # only Kumu has named loops, which the map keeps as steps
    _same_map(first, again, steps=(fmt, suffix) == ("kumu", ".json"))


def test_kumu_spreadsheet_round_trip_keeps_all_but_positions(tmp_path: Path) -> None:
    first, _ = read_map(HERE / "kumu-project.json")
    report = write_map(first, tmp_path / "kaart.xlsx", "kumu")
    assert "9 positions not written: a Kumu spreadsheet has none" in report.lines()
    again, _ = read_map(tmp_path / "kaart.xlsx")
    assert _links(again) == _links(first)
    assert [(n.id, n.name) for n in again.factors()] == [(n.id, n.name) for n in first.factors()]


def test_export_reports_what_the_format_cannot_hold(tmp_path: Path) -> None:
    m = load_map()
    report = write_map(m, tmp_path / "vleuten.mmp")
    lines = report.lines()
    assert "6 stellingen not written (only factors and actors)" in lines
    assert "8 actoren written as plain elements, like the factors" in lines
    assert '2 "kan bijsturen" links not written (only influence links)' in lines
    assert "6 rows of stemmen not written" in lines
    again, _ = mentalmodeler.read(tmp_path / "vleuten.mmp")
    influences = [lk for lk in m.links("INFLUENCES")]
    assert len(list(again.links())) == len(influences)
    assert sorted(str(lk.get("sign")) for lk in again.links()) == sorted(
        str(lk.get("sign")) for lk in influences
    )


def test_graphml_export_keeps_the_sign_in_its_own_attribute(tmp_path: Path) -> None:
    m, _ = read_map(HERE / "kumu-project.json")
    graphml.write(m, tmp_path / "kaart.graphml")
    g = nx.read_graphml(tmp_path / "kaart.graphml", force_multigraph=True)
    signs = sorted(str(d.get("sign")) for _, _, d in g.edges(data=True))
    assert signs == sorted(str(lk.get("sign")) for lk in m.links())
    assert g.nodes["druk-van-school"]["label"] == "Druk van school"
    assert (g.nodes["stress"]["x"], g.nodes["stress"]["y"]) == (-100.0, -150.25)


# --- Kumu's named loops --------------------------------------------------------------------


def _raw_polarity(project: dict[str, Any], connection_ids: list[str]) -> str:
    """The polarity of a loop from Kumu's connection types, counted by hand."""
    types = {c["_id"]: c["attributes"].get("connection type") for c in project["connections"]}
    opposite = sum(types[c] in ("+-", "-+", "-", "opposite") for c in connection_ids)
    return "balancing" if opposite % 2 else "reinforcing"


def test_loops_finds_every_loop_kumu_names_with_its_polarity() -> None:
    path = HERE / "kumu-project.json"
    project = json.loads(path.read_text("utf-8"))
    m, report = kumu.read(path)
    found = loops(m, max_length=8)
    by_links = {
        frozenset(lk): pol for lk, pol in zip(found["links"], found["polarity"], strict=True)
    }
    raw_loops = {loop["attributes"]["label"]: loop["connections"] for loop in project["loops"]}
    assert [nl.name for nl in report.named_loops] == list(raw_loops)
    for named in report.named_loops:
        # a named loop may hold side connections too: its feedback loop is its cycle
        g = nx.MultiDiGraph()
        for link_id, raw_id in zip(named.links, raw_loops[named.name], strict=True):
            link = m.link(link_id)
            g.add_edge(link.source, link.target, key=(link_id, raw_id))
        cycles = list(nx.simple_cycles(g))
        assert len(cycles) == 1, named.name
        cycle = cycles[0]
        keys = [next(iter(g[a][b])) for a, b in zip(cycle, cycle[1:] + cycle[:1], strict=True)]
        ours = frozenset(k[0] for k in keys)
        assert ours in by_links, named.name
        assert by_links[ours] == _raw_polarity(project, [k[1] for k in keys]), named.name
    # the library says the same of each named loop
    checked = named_loops(m, [(n.name, n.links) for n in report.named_loops])
    assert checked["is_loop"].all()
    for links, polarity in zip(checked["links"], checked["polarity"], strict=True):
        assert by_links[frozenset(links)] == polarity


# --- any map loads, and every question answers on it ------------------------------------------


#: Options for the questions that need them on the plain imported Kumu map, which has
#: no outcome; the questions about two rounds are asked once a second round is open.
PLAIN_OPTIONS: dict[str, dict[str, Any]] = {
    "influence": {"target": "stress"},
    "paths": {"source": "druk-van-school", "target": "cijfers"},
    "leverage": {"target": "stress"},
    "agenda": {"target": "stress"},
    "knoppen": {"target": "stress"},
    "diff": {"a": 1, "b": 2},
    "leverage-moves": {"a": 1, "b": 2, "target": "stress"},
    "loop-moves": {"a": 1, "b": 2},
}


def test_a_plain_imported_map_loads_and_every_question_answers(tmp_path: Path) -> None:
    m, _ = read_map(HERE / "kumu-project.json")
    book = save_workbook(m, tmp_path / "plain.xlsx")
    wb = openpyxl.load_workbook(book)
    assert wb["factoren"]["C1"].value == "niveau" and wb["factoren"]["C2"].value is None
    loaded = load_map(book)
    _same_map(m, loaded)
    two_rounds = load_map(book)
    open_round(two_rounds, name="Ronde 2")
    for name, question in QUERIES.items():
        on = two_rounds if "b" in PLAIN_OPTIONS.get(name, {}) else loaded
        answer = question(on, **PLAIN_OPTIONS.get(name, {}))
        assert answer is not None, name
    assert not QUERIES["influence"](loaded, target="stress").empty
    assert not QUERIES["leverage"](loaded, target="stress").empty
    assert len(QUERIES["loops"](loaded)) == len(loops(m))
    # a question that needs an outcome says so on a map without the default one
    with pytest.raises(QueryError, match="no outcome"):
        QUERIES["influence"](loaded)


def test_an_import_with_a_phone_number_writes_nothing(tmp_path: Path) -> None:
    source = tmp_path / "kaart.json"
    source.write_text(
        json.dumps(
            {
                "elements": [
                    {"label": "A", "description": "bel 06-12345678"},
                    {"label": "B"},
                ],
                "connections": [{"from": "A", "to": "B", "type": "+"}],
            }
        ),
        encoding="utf-8",
    )
    m, _ = read_map(source)
    out = tmp_path / "uit.xlsx"
    with pytest.raises(WorkbookInvalid) as caught:
        save_workbook(m, out)
    assert [(e.path, e.row, e.column) for e in caught.value.errors] == [
        (f"{out}[factoren]", 2, "toelichting")
    ]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kaart.json"]


def test_a_file_that_is_not_the_format_is_one_error(tmp_path: Path) -> None:
    with pytest.raises(WorkbookInvalid) as caught:
        read_map(HERE / "prsm-plain.prsm", "kumu")
    assert [str(e) for e in caught.value.errors] == [
        f'{HERE / "prsm-plain.prsm"}: no "elements" list: not Kumu JSON'
    ]
    with pytest.raises(WorkbookInvalid, match="cannot tell the format"):
        read_map(tmp_path)


@pytest.mark.neo4j
def test_every_question_answers_the_same_on_a_plain_map_in_neo4j(store, map_id: str) -> None:
    import pandas as pd

    from queries import answer

    m, _ = read_map(HERE / "kumu-project.json")
    m.id = map_id
    open_round(m, name="Ronde 2")
    store.load(m)
    for name in QUERIES:
        ours = answer(name, m, **PLAIN_OPTIONS.get(name, {}))
        theirs = answer(name, store, map_id=map_id, **PLAIN_OPTIONS.get(name, {}))
        pd.testing.assert_frame_equal(theirs, ours, check_exact=True, obj=name)


def test_mentalmodeler_json_model_of_the_web_version(tmp_path: Path) -> None:
    path = tmp_path / "web.mmp"
    model = {
        "info": {"id": "1", "name": "Web", "version": "1.0", "author": "iemand"},
        "groupNames": {"0": ""},
        "concepts": [
            {"id": "1", "name": "Druk", "notes": "", "units": "", "group": "0", "x": "10",
             "y": "20", "preferredState": "0",
             "relationships": [{"id": "2", "name": "Slaap", "notes": "", "confidence": "0",
                                "influence": "-0.55"}]},
            {"id": "2", "name": "Slaap", "notes": "", "units": "", "group": "2", "x": "30",
             "y": "40", "preferredState": "0", "relationships": []},
        ],
    }  # fmt: skip
    path.write_text(json.dumps(model), encoding="utf-8")
    m, report = read_map(path)
    assert m.name == "Web"
    assert _links(m) == [("druk", "slaap", "-", 0.55)]
    assert m.positions() == {"druk": (10.0, 20.0), "slaap": (30.0, 40.0)}
    assert report.lines() == [
        "the author's name not carried (no names in the data)",
        'concept field "group" not carried',
    ]


def test_prsm_spreadsheet_as_prsm_writes_it(tmp_path: Path) -> None:
    path = tmp_path / "prsm.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Factors"
    ws.append(["Label", "Style", "x", "y", "creator", "Note"])
    ws.append(["Druk", 1, -5, 7.5, "iemand", "Een toelichting"])
    ws.append(["Stress", 2, 3, 4, "iemand", None])
    ls = wb.create_sheet("Links")
    ls.append(["From", "To", "Label", "Style"])
    ls.append(["Druk", "Stress", "+", 1])
    wb.save(path)
    m, report = read_map(path)
    assert _links(m) == [("druk", "stress", "+", None)]
    assert m.positions() == {"druk": (-5.0, 7.5), "stress": (3.0, 4.0)}
    assert m.node("druk").get("note") == "Een toelichting"
    assert "who created or changed factors and links (names) not carried" in report.lines()
    assert "factor style not carried (2 times)" in report.lines()
