"""The map's own reading of its links: the tuples a load reads, and the Link objects
everything else reads, list the same links in the same order."""

from __future__ import annotations

from graph import SystemMap
from graph.generate import generated_map
from loaders import VLEUTEN, load_map


def _as_tuples(m: SystemMap, *, derived: bool) -> list[tuple[object, ...]]:
    return [
        (lk.id, lk.kind, lk.source, lk.target, dict(lk.fields)) for lk in m.links(derived=derived)
    ]


def test_link_rows_and_links_agree_on_a_real_map_and_a_generated_one() -> None:
    for m in (load_map(VLEUTEN), generated_map(40, 120, seed=5)):
        for derived in (False, True):
            rows = [(i, k, s, t, dict(f)) for i, k, s, t, f in m.link_rows(derived=derived)]
            assert rows == _as_tuples(m, derived=derived)
            assert m.link_count(derived=derived) == len(rows)
        assert m.link_count(derived=True) == m.graph.number_of_edges()


def test_derived_links_follow_quotes_whenever_their_targets_arrive() -> None:
    m = SystemMap("kaart", "Kaart")
    m.add_node("Session", "kick-off", "Kick-off")
    # a quote about a factor that is added after it: its ABOUT link comes when it does
    m.add_node("Quote", "q1", "Het is veel", session="kick-off", about=("druk",))
    assert [row[1] for row in m.link_rows(derived=True)] == ["SAID_IN"]
    m.add_node("Factor", "druk", "Druk")
    m.add_link("l1", "INFLUENCES", "druk", "druk", sign="+")
    assert [(row[0], row[1]) for row in m.link_rows(derived=True)] == [
        ("l1", "INFLUENCES"),
        ("q1>SAID_IN", "SAID_IN"),
        ("q1>ABOUT>druk", "ABOUT"),
    ]
    assert m.link_count() == 1 and m.link_count(derived=True) == 3
    # a change to a link's fields is seen both ways
    m.graph.edges["druk", "druk", "l1"]["fields"]["sign"] = "-"
    assert next(m.link_rows())[4]["sign"] == "-" == m.link("l1")["sign"]
