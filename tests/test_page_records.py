"""The records of a network page: checked when made, frozen, and the data the page
carries made from them once."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from graph.errors import PageDataError, UnknownLanguage, phrase
from views.links import PageLink
from views.page import network_page_data
from views.page_records import (
    Cluster,
    Highlight,
    LegendEntry,
    Loop,
    Note,
    PageOptions,
    Step,
    StepSheet,
)


def _graph() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    nodes = [{"id": "a", "label": "A"}, {"id": "b", "label": "B"}, {"id": "c", "label": "C"}]
    edges = [
        {"id": "ab", "from": "a", "to": "b", "arrows": "to"},
        {"id": "ba", "from": "b", "to": "a", "arrows": "to"},
        {"id": "bc", "from": "b", "to": "c", "arrows": "to"},
    ]
    return nodes, edges


@pytest.mark.parametrize(
    ("options", "en"),
    [
        ({"renderer": "canvas"}, "renderer must be one of auto, vis, webgl, got 'canvas'"),
        ({"layout": "grid"}, "layout must be 'python' or 'browser', got 'grid'"),
        ({"max_drawn_nodes": 0}, "max_drawn_nodes must be at least 1"),
        ({"stabilization_iterations": 0}, "stabilization_iterations must be at least 1"),
    ],
)
def test_page_options_refuse_bad_values(options: dict[str, Any], en: str) -> None:
    with pytest.raises(PageDataError) as caught:
        PageOptions("Kaart", **options)
    assert phrase(caught.value, "en") == en
    assert phrase(caught.value, "nl") != en  # said in Dutch too


def test_page_options_refuse_an_unknown_language() -> None:
    with pytest.raises(UnknownLanguage, match="'de'"):
        PageOptions("Kaart", lang="de")


@pytest.mark.parametrize(
    "href", ["/tmp/kaart.html", "../kaart.html", "https://example.org/", "file:kaart.html", ""]
)
def test_a_link_must_be_relative(href: str) -> None:
    with pytest.raises(PageDataError, match="must be relative"):
        PageLink(href, "Terug")
    assert PageLink("index.html", "Terug").data() == {"href": "index.html", "label": "Terug"}


def test_parts_refuse_what_the_page_cannot_show() -> None:
    with pytest.raises(PageDataError, match="legend kind must be 'node' or 'edge'"):
        LegendEntry("x", kind="cluster")
    with pytest.raises(PageDataError, match="positive lengths"):
        LegendEntry("x", kind="edge", dashes=[4, 0])
    with pytest.raises(PageDataError, match="direction must be both, up or down"):
        Step("een", direction="opzij")


def test_records_are_frozen_and_keep_their_sequences_as_tuples() -> None:
    items = ["een"]
    note = Note("Let op", items)
    items.append("twee")  # the caller's list changes; the record does not
    assert note.items == ("een",)
    records: list[Any] = [
        PageOptions("Kaart", legend=[LegendEntry("x")]),
        LegendEntry("x", dashes=[6, 4]),
        note,
        PageLink("index.html", "Terug"),
        Loop("A → B → A", "versterkend", ["a", "b"], ["ab", "ba"]),
        Highlight(["a"], []),
        Step("een"),
        StepSheet("stappen.csv", ["nummer"], {"both": "beide"}),
        Cluster("c1", "Alles", ["a", "b", "c"]),
    ]
    for record in records:
        field = dataclasses.fields(record)[0].name
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(record, field, "anders")
    assert records[0].legend == (LegendEntry("x"),)
    assert records[1].dashes == (6.0, 4.0)


def test_the_page_data_holds_the_records() -> None:
    nodes, edges = _graph()
    options = PageOptions(
        "Kaart <één>",
        lang="en",
        legend=[
            LegendEntry("Factor", "#8fb3d1"),
            LegendEntry(
                "betwist", "#555555", "edge", dashes=[6, 4], projector=False, halo="#E69F00"
            ),
        ],
        notes=[Note("Let op", ["A werkt op B"], "niets")],
        loops=[Loop("A → B → A", "reinforcing", ["a", "b"], ["ab", "ba"])],
        paths=True,
        steps=[
            Step(
                "Eerst", focus="a", depth=12, direction="down", highlight=Highlight(["b"], ["bc"])
            ),
            Step("Dan", filters={"soort": ["Actor"]}),
        ],
        start_focus="b",
        step_sheet=StepSheet("stappen.csv", ["nummer", "naam"], {"both": "beide"}),
        projector_kinds=["factor"],
        max_drawn_nodes=2,
    )
    data = network_page_data(nodes, edges, options)
    assert data["title"] == "Kaart <één>" and data["lang"] == "en"
    assert data["legend"] == [
        {"label": "Factor", "color": "#8fb3d1", "kind": "node", "dashes": False, "projector": True},
        {
            "label": "betwist",
            "color": "#555555",
            "kind": "edge",
            "dashes": [6.0, 4.0],
            "projector": False,
            "halo": "#E69F00",
        },
    ]
    assert data["notes"] == [{"title": "Let op", "items": ["A werkt op B"], "empty": "niets"}]
    assert data["loops"] == [
        {
            "label": "A → B → A",
            "polarity": "reinforcing",
            "nodes": ["a", "b"],
            "edges": ["ab", "ba"],
        }
    ]
    first, then = data["steps"]
    assert first == {
        "name": "Eerst",
        "focus": "a",
        "depth": 9,  # at most nine links from the focus
        "direction": "down",
        "highlight": {"nodes": ["b"], "edges": ["bc"]},
        "filters": {},
    }
    assert (then["focus"], then["highlight"], then["filters"]) == (None, None, {"soort": ["Actor"]})
    config = data["config"]
    assert config["startFocus"] == "b" and config["maxDrawnNodes"] == 2
    assert config["stepSheet"] == {
        "name": "stappen.csv",
        "headers": ["nummer", "naam"],
        "directions": {"both": "beide"},
    }
    assert config["projectorKinds"] == ["factor"] and data["paths"] is True
    assert config["renderer"] == "vis" and "clusters" not in data
    assert [n["id"] for n in data["nodes"]] == ["a", "b", "c"]


def test_without_loops_there_is_no_loops_panel() -> None:
    nodes, edges = _graph()
    assert network_page_data(nodes, edges, PageOptions("Kaart"))["loops"] is None
    assert network_page_data(nodes, edges, PageOptions("Kaart", loops=[]))["loops"] == []


def test_the_webgl_page_carries_each_cluster_once_with_its_centre() -> None:
    nodes, edges = _graph()
    positions = {"a": (0.0, 0.0), "b": (10.0, 0.0), "c": (100.0, 50.0)}
    options = PageOptions(
        "Kaart",
        renderer="webgl",
        positions=positions,
        clusters=[Cluster("ab", "A en B", ["a", "b"]), Cluster("", "C", ["c"])],
    )
    data = network_page_data(nodes, edges, options)
    assert data["clusters"] == [
        {"id": "ab", "label": "A en B", "count": 2, "x": 5.0, "y": 0.0},
        {"id": "1", "label": "C", "count": 1, "x": 100.0, "y": 50.0},
    ]
    assert data["clusterOf"] == [0, 0, 1]
    assert data["config"]["renderer"] == "webgl"


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"loops": [Loop("x", "reinforcing", ["a", "z"], [])]}, "loop 'x'"),
        ({"steps": [Step("een", focus="z")]}, "step 'een'"),
        ({"steps": [Step("een", highlight=Highlight(["a"], ["zz"]))]}, "step 'een'"),
        ({"start_focus": "z"}, "start_focus 'z'"),
    ],
)
def test_parts_that_name_what_is_not_on_the_page_are_refused(
    options: dict[str, Any], message: str
) -> None:
    nodes, edges = _graph()
    with pytest.raises(PageDataError, match=message):
        network_page_data(nodes, edges, PageOptions("Kaart", **options))
