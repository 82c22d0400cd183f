"""Maps from elsewhere with long labels, mutual and undirected links, self-loops, weights
above 1 and named loops: the ids fit the id rule, the map starts in round 1, and
export -> import gives the current map back, with what cannot travel in the report."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from graph import SystemMap
from graph.adjust import merge_nodes, open_round, resign_link, retire_link
from graph.cycle import map_as_of
from graph.errors import UnknownRound
from graph.schema import first_id_problem
from loaders import VLEUTEN, WorkbookInvalid, load_map
from loaders.interchange import LINK_ID_LENGTH, Report, read_map, save_workbook, write_map
from loaders.validate import slug_hint
from queries.scenarios import concept_map

HERE = Path(__file__).parent / "interchange"

#: Test files with labels of more than 100 characters, and what else each holds.
LONG_LABELS = (
    "kumu-lange-namen.json",  # mutual, undirected, self-loop, strength 3, named loops, actor
    "prsm-lange-namen.prsm",  # a self-loop, a factor style
    "mentalmodeler-lange-namen.mmp",  # self-loops, notes on a relationship
)
#: Every format and file kind an export writes.
TARGETS = (
    ("kumu", ".json"),
    ("kumu", ".xlsx"),
    ("prsm", ".prsm"),
    ("prsm", ".xlsx"),
    ("mentalmodeler", ".mmp"),
    ("mentalmodeler", ".csv"),
    ("graphml", ".graphml"),
    ("gexf", ".gexf"),
)
#: What each target carries (weights in MentalModeler: scaled into -1..1).
CARRIES: dict[tuple[str, str], set[str]] = {
    ("kumu", ".json"): {"kinds", "fields", "weights", "positions", "notes", "loops"},
    ("kumu", ".xlsx"): {"kinds", "fields", "weights", "notes"},
    ("prsm", ".prsm"): {"kinds", "fields", "positions", "notes"},
    ("prsm", ".xlsx"): {"positions", "notes"},
    ("mentalmodeler", ".mmp"): {"weights", "positions", "notes"},
    ("mentalmodeler", ".csv"): {"weights"},
    ("graphml", ".graphml"): {"kinds", "fields", "weights", "positions", "notes"},
    ("gexf", ".gexf"): {"kinds", "fields", "weights", "positions", "notes"},
}
#: A line of the export's report for each thing a target does not carry.
LOST_LINE = {
    "kinds": "actoren written as plain elements, like the factors",
    "fields": "values of factoren.niveau not written",
    "weights": "values of relaties.gewicht not written",
    "positions": "positions not written",
    "notes": "values of factoren.toelichting not written",
    "loops": "rows of stappen not written",
}


def _ids(m: SystemMap) -> list[str]:
    return [n.id for n in m.nodes()] + [lk.id for lk in m.links()]


def _links(m: SystemMap) -> list[tuple[str, str, str | None]]:
    return sorted((lk.source, lk.target, lk.get("sign")) for lk in m.links())


# --- ids ------------------------------------------------------------------------------


@pytest.mark.parametrize("source", LONG_LABELS)
def test_ids_made_from_long_labels_fit_the_id_rule_and_the_workbook_loads(
    tmp_path: Path, source: str
) -> None:
    m, _ = read_map(HERE / source)
    assert any(len(n.name) > 100 for n in m.nodes())
    ids = _ids(m)
    assert first_id_problem(ids) is None
    assert len(set(ids)) == len(ids)
    assert max(map(len, ids)) <= LINK_ID_LENGTH
    # readable: an element's id starts as its label does
    for n in m.nodes():
        assert n.id[:30] == slug_hint(n.name)[:30]
    # stable: the same file gives the same ids
    assert _ids(read_map(HERE / source)[0]) == ids
    book = save_workbook(m, tmp_path / "kaart.xlsx")
    assert load_map(book) == m


def test_two_long_labels_alike_up_to_their_last_words_get_two_ids() -> None:
    m, _ = read_map(HERE / "kumu-lange-namen.json")
    vmbo, havo = (n for n in m.nodes() if n.name.startswith("De verwachtingen"))
    assert vmbo.id != havo.id
    assert vmbo.id.rsplit("-", 1)[0] == havo.id.rsplit("-", 1)[0]


def test_a_kumu_project_of_230_elements_with_long_labels_loads(tmp_path: Path) -> None:
    """As Kumu's published projects of this size, whose labels run past 100 characters."""
    stem = "Het aandeel van de huishoudens in de regio dat toegang heeft tot een betaalrekening"
    elements = [
        {"_id": f"e{i}", "attributes": {"label": f"{stem} en een spaarrekening, meting {i}"}}
        for i in range(230)
    ]
    connections = [
        {"_id": f"c{i}", "from": f"e{i % 230}", "to": f"e{(i * 7 + 1) % 230}",
         "attributes": {"connection type": "+" if i % 3 else "-"}}
        for i in range(232)
    ]  # fmt: skip
    path = tmp_path / "project.json"
    project = {"elements": elements, "connections": connections, "maps": []}
    path.write_text(json.dumps(project), encoding="utf-8")
    m, _ = read_map(path)
    assert len(list(m.nodes())) == 230 and len(list(m.links())) == 232
    assert first_id_problem(_ids(m)) is None
    assert load_map(save_workbook(m, tmp_path / "kaart.xlsx")) == m


def test_ids_of_an_import_leave_room_for_the_adjust_step(tmp_path: Path) -> None:
    """Re-signing a link and merging elements build ids from the imported ones."""
    m, _ = read_map(HERE / "kumu-lange-namen.json")
    open_round(m, name="Na de toetsing")
    first = next(lk for lk in m.links() if lk.source != lk.target)
    resign_link(m, 2, first.id, "-", reason="Werkt andersom")
    vmbo, havo = (n.id for n in m.nodes() if n.name.startswith("De verwachtingen"))
    merge_nodes(m, 2, [havo], vmbo, reason="Zelfde factor")
    assert first_id_problem(_ids(m) + [a["id"] for a in m.adjustments]) is None
    assert load_map(save_workbook(m, tmp_path / "kaart.xlsx")) == m


# --- what an import reads -----------------------------------------------------------------


def test_kumu_mutual_undirected_self_loop_kinds_fields_and_loops() -> None:
    m, report = read_map(HERE / "kumu-lange-namen.json")
    names = {n.id: n.name.split()[0].lower() for n in m.nodes()}
    by_names = sorted(
        (names[lk.source], names[lk.target], lk.get("sign"), lk.get("weight")) for lk in m.links()
    )
    assert ("slaap", "stress", "-", 2.0) in by_names  # mutual: one link each way
    assert ("stress", "slaap", "-", 2.0) in by_names
    assert ("jongerenwerk", "stress", "-", None) in by_names  # undirected: each way too
    assert ("stress", "jongerenwerk", "-", None) in by_names
    assert ("stress", "stress", "+", 0.4) in by_names  # a self-loop
    assert ("de", "stress", "+", 3.0) in by_names  # a strength above 1
    actor = next(n for n in m.nodes() if n.kind == "Actor")
    assert (actor.get("actor_kind"), actor.get("sector")) == ("organisatie", "welzijn")
    stress = next(n for n in m.nodes() if n.name.startswith("Stress"))
    assert (stress.get("level"), stress.get("role")) == ("persoon", "uitkomst")
    assert [loop.name for loop in report.named_loops] == [
        "Druk, stress en slaap",
        "Stress voedt stress",
    ]
    # the mutual connection in a loop is the link that goes on round the loop
    chain = [m.link(link_id) for link_id in report.named_loops[0].links]
    assert [lk.target for lk in chain] == [lk.source for lk in chain[1:] + chain[:1]]
    assert "mutual connection read as two links, one each way" in report.lines()
    assert "undirected connection read as two links, one each way" in report.lines()


def test_an_fcm_matrix_keeps_its_self_loops_and_scenarios_see_them(tmp_path: Path) -> None:
    m, _ = read_map(HERE / "fcm-zelfterugkoppeling.csv")
    loops = sorted((lk.source, lk.get("sign"), lk.get("weight")) for lk in m.links()
                   if lk.source == lk.target)  # fmt: skip
    assert loops == [("prestatiedruk", "+", 0.2), ("stress", "+", 0.4)]
    concepts = concept_map(load_map(save_workbook(m, tmp_path / "fcm.xlsx")))
    assert {(lk["source"], lk["target"]) for lk in concepts.links} >= {
        ("prestatiedruk", "prestatiedruk"),
        ("stress", "stress"),
    }
    write_map(m, tmp_path / "uit.csv")
    rows = (tmp_path / "uit.csv").read_text("utf-8").splitlines()
    assert rows == (HERE / "fcm-zelfterugkoppeling.csv").read_text("utf-8").splitlines()


def test_a_prsm_style_group_that_is_not_carried_is_named() -> None:
    _, report = read_map(HERE / "prsm-lange-namen.prsm")
    assert report.lines() == ['factor style "Beleid" not carried']


# --- export -> import ------------------------------------------------------------------------


def _weighed(m: SystemMap) -> SystemMap:
    """``m`` with weight 1 for each link that has none."""
    out = SystemMap(m.id, m.name)
    for n in m.nodes():
        out.add_node(n.kind, n.id, n.name, **n.fields)
    for lk in m.links():
        out.add_link(lk.id, lk.kind, lk.source, lk.target, **{"weight": 1.0, **lk.fields})
    for table, rows in m.records.items():
        for row in rows:
            out.add_record(table, **row)
    return out


def _fields(m: SystemMap) -> list[tuple[str, str, Any, Any]]:
    return sorted((n.id, n.kind, n.get("level"), n.get("role")) for n in m.nodes())


@pytest.mark.parametrize("source", LONG_LABELS)
@pytest.mark.parametrize(("fmt", "suffix"), TARGETS)
def test_export_then_import_gives_the_map_back_and_reports_the_rest(
    tmp_path: Path, source: str, fmt: str, suffix: str
) -> None:
    first, found = read_map(HERE / source)
    out = tmp_path / f"kaart{suffix}"
    report = write_map(first, out, fmt)
    again, back = read_map(out, fmt)
    carried = CARRIES[(fmt, suffix)]
    lines = report.lines()

    def lost(what: str) -> bool:
        return any(LOST_LINE[what] in line for line in lines)

    assert [(n.id, n.name) for n in again.nodes()] == [(n.id, n.name) for n in first.nodes()]
    assert _links(again) == _links(first)
    if fmt == "mentalmodeler":  # a link without weight goes out with strength 1
        first = _weighed(first)
    if "kinds" in carried:
        assert [n.kind for n in again.nodes()] == [n.kind for n in first.nodes()]
    elif any(n.kind == "Actor" for n in first.nodes()):
        assert lost("kinds")
    if "fields" in carried:
        assert _fields(again) == _fields(first)
    elif any(n.get("level") for n in first.nodes()):
        assert lost("fields")
    weights = sorted((lk.id, lk.get("weight")) for lk in first.links())
    if "weights" in carried:
        top = max((w or 0.0 for _, w in weights), default=0.0)
        scale = top if fmt == "mentalmodeler" and top > 1 else 1.0
        assert sorted((lk.id, lk.get("weight")) for lk in again.links()) == [
            (i, None if w is None else pytest.approx(w / scale)) for i, w in weights
        ]
        if scale != 1.0:
            assert f"weights divided by {scale:g} to fit mentalmodeler's range -1..1" in (
                " ".join(lines)
            )
    elif any(w is not None for _, w in weights):
        assert lost("weights")
    if "positions" in carried:
        assert again.positions() == first.positions()
    else:
        assert lost("positions")
    notes = [n.get("note") for n in first.nodes()]
    if "notes" in carried:
        assert [n.get("note") for n in again.nodes()] == notes
        assert sorted(str(lk.get("note")) for lk in again.links()) == sorted(
            str(lk.get("note")) for lk in first.links()
        )
    elif any(notes):
        assert lost("notes")
    if found.named_loops:
        if "loops" in carried:
            assert back.named_loops == found.named_loops
        else:
            assert lost("loops")


def test_a_mutual_connection_goes_back_to_kumu_as_one_mutual_connection(tmp_path: Path) -> None:
    first, found = read_map(HERE / "kumu-lange-namen.json")
    write_map(first, tmp_path / "kaart.json")
    written = json.loads((tmp_path / "kaart.json").read_text("utf-8"))
    directions = sorted(c["direction"] for c in written["connections"])
    assert directions == ["directed"] * 4 + ["mutual"] * 2
    assert [loop["attributes"]["label"] for loop in written["loops"]] == [
        "Druk, stress en slaap",
        "Stress voedt stress",
    ]


# --- the current map, or a past round ---------------------------------------------------------


def _adjusted_vleuten() -> SystemMap:
    """The Vleuten map after a round that retired two links and re-signed one."""
    m = load_map(VLEUTEN)
    open_round(m, name="Na de toetsing")
    retire_link(m, 2, "inv-individualisme-prestatiedruk", reason="Niet herkend")
    retire_link(m, 2, "inv-imago-vmbo-prestatiedruk", reason="Niet herkend")
    resign_link(m, 2, "inv-prestatiedruk-stress", "-", reason="Werkt andersom")
    return m


@pytest.mark.parametrize(("fmt", "suffix"), TARGETS)
def test_export_writes_the_current_map_and_a_past_round_when_asked(
    tmp_path: Path, fmt: str, suffix: str
) -> None:
    m = _adjusted_vleuten()
    assert len(list(m.links("INFLUENCES"))) == 14  # the history: 13, and one re-signed
    assert len(list(map_as_of(m, None).links("INFLUENCES"))) == 11  # the map now
    now, _ = read_map(_written(m, tmp_path / f"nu{suffix}", fmt), fmt)
    # a matrix has no place for a link of unknown sign: 4 of the 11
    assert len(list(now.links())) == (7 if suffix == ".csv" else 11)
    signs = {lk.get("sign") for lk in now.links() if lk.source == "prestatiedruk"
             and lk.target == "stress"}  # fmt: skip
    assert signs == {"-"}
    assert "individualisme" not in {lk.source for lk in now.links()}
    then, _ = read_map(_written(m, tmp_path / f"toen{suffix}", fmt, as_of_round=1), fmt)
    assert len(list(then.links())) == (9 if suffix == ".csv" else 13)
    signs = {lk.get("sign") for lk in then.links() if lk.source == "prestatiedruk"
             and lk.target == "stress"}  # fmt: skip
    assert signs == {"+"}


def _written(m: SystemMap, path: Path, fmt: str, **options: Any) -> Path:
    report = write_map(m, path, fmt, **options)
    assert isinstance(report, Report)
    return path


def test_kumu_export_of_the_adjusted_map_has_11_connections(tmp_path: Path) -> None:
    write_map(_adjusted_vleuten(), tmp_path / "kaart.json")
    written = json.loads((tmp_path / "kaart.json").read_text("utf-8"))
    assert len(written["connections"]) == 11


def test_an_unknown_round_writes_nothing(tmp_path: Path) -> None:
    with pytest.raises(UnknownRound, match="unknown round 3"):
        write_map(_adjusted_vleuten(), tmp_path / "kaart.json", as_of_round=3)
    assert list(tmp_path.iterdir()) == []


# --- an imported map is a round-1 map ----------------------------------------------------------


def test_an_imported_map_records_its_first_round_named_after_the_file() -> None:
    m, _ = read_map(HERE / "kumu-lange-namen.json")
    assert m.rounds == [
        {"number": 1, "name": "kumu-lange-namen.json", "origin": "geïmporteerd uit kumu"}
    ]
    assert open_round(m, name="Na de toetsing") == 2


def test_only_an_influence_may_close_on_itself_in_a_workbook(tmp_path: Path) -> None:
    folder = tmp_path / "kaart"
    folder.mkdir()
    (folder / "actoren.csv").write_text("id,naam,soort\nwijk,Wijkteam,organisatie\n", "utf-8")
    (folder / "factoren.csv").write_text("id,naam\nstress,Stress\n", encoding="utf-8")
    (folder / "relaties.csv").write_text(
        "id,van,naar,soort,teken\n"
        "stress-stress,stress,stress,beïnvloedt,+\n"
        "wijk-wijk,wijk,wijk,werkt samen met,\n",
        encoding="utf-8",
    )
    with pytest.raises(WorkbookInvalid) as caught:
        load_map(folder)
    assert [(e.row, e.column, str(e.message)) for e in caught.value.errors] == [
        (3, "naar", 'a "werkt samen met" link cannot start and end at the same node')
    ]


def test_named_loops_survive_the_workbook_as_steps_and_go_back_to_kumu(tmp_path: Path) -> None:
    first, found = read_map(HERE / "kumu-lange-namen.json")
    book = load_map(save_workbook(first, tmp_path / "kaart.xlsx"))
    assert [s["name"] for s in book.records["steps"]] == [loop.name for loop in found.named_loops]
    report = write_map(book, tmp_path / "kaart.json")
    assert not any("stappen" in line for line in report.lines())
    _, back = read_map(tmp_path / "kaart.json")
    assert back.named_loops == found.named_loops


def test_a_named_loop_whose_link_left_the_map_is_not_written_and_is_reported(
    tmp_path: Path,
) -> None:
    m, found = read_map(HERE / "kumu-lange-namen.json")
    open_round(m, name="Na de toetsing")
    retire_link(m, 2, found.named_loops[1].links[0], reason="Niet herkend")
    report = write_map(m, tmp_path / "kaart.json")
    assert "1 rows of stappen not written" in report.lines()
    _, back = read_map(tmp_path / "kaart.json")
    assert [loop.name for loop in back.named_loops] == ["Druk, stress en slaap"]
    # as of round 1 the loop was whole
    write_map(m, tmp_path / "toen.json", as_of_round=1)
    assert read_map(tmp_path / "toen.json")[1].named_loops == found.named_loops


def test_an_undirected_graphml_edge_is_a_link_each_way_and_comes_back_so(tmp_path: Path) -> None:
    import networkx as nx

    g = nx.Graph()
    g.add_node("s", label="Stress")
    g.add_node("k", label="Slaap")
    g.add_edge("s", "k", sign="-")
    nx.write_graphml(g, tmp_path / "ongericht.graphml")
    m, report = read_map(tmp_path / "ongericht.graphml")
    assert _links(m) == [("slaap", "stress", "-"), ("stress", "slaap", "-")]
    assert report.lines() == ["edge of an undirected graph read as two links, one each way"]
    write_map(m, tmp_path / "terug.graphml")
    again, _ = read_map(tmp_path / "terug.graphml")
    assert _links(again) == _links(m)


def test_the_report_names_what_is_lost_and_not_what_is_the_default(tmp_path: Path) -> None:
    m = load_map(VLEUTEN)
    lines = write_map(m, tmp_path / "kaart.graphml").lines()
    # every element and link entered in round 1, the start: nothing lost
    assert not any("ronde_in" in line or "status" in line for line in lines)
    open_round(m, name="Na de toetsing")
    m.add_node_in_round(2, "Factor", "slaap", "Slaap", reason="Genoemd in de toetsing")
    lines = write_map(m, tmp_path / "kaart.graphml").lines()
    assert "1 values of factoren.ronde_in not written" in lines


@pytest.mark.neo4j
@pytest.mark.parametrize("source", ["fcm-zelfterugkoppeling.csv", "kumu-lange-namen.json"])
def test_a_map_with_self_loops_answers_alike_in_neo4j(store, map_id: str, source: str) -> None:
    import pandas as pd

    from queries import QUERIES, answer

    m, _ = read_map(HERE / source)
    m.id = map_id
    store.load(m)
    assert store.read(map_id) == m
    target = next(n.id for n in m.nodes() if n.name.lower().startswith("stress"))
    for name in QUERIES:
        if name in ("diff", "leverage-moves", "loop-moves"):
            continue  # questions about two rounds
        options: dict[str, Any] = {"target": target}
        if name == "paths":
            options["source"] = next(n.id for n in m.nodes())
        elif name not in ("influence", "leverage", "agenda", "knoppen"):
            options = {}
        ours = answer(name, m, **options)
        theirs = answer(name, store, map_id=map_id, **options)
        pd.testing.assert_frame_equal(theirs, ours, check_exact=True, obj=name)
