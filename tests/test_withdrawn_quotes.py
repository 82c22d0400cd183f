"""A withdrawn quote (ronde_uit set) is hidden as a node and never quoted in a tooltip."""

from __future__ import annotations

from graph import SystemMap
from views.map import map_data
from views.social_map import social_map_data

WITHDRAWN = "Dit citaat is ingetrokken"
KEPT = "Dit citaat blijft staan"


def _map() -> SystemMap:
    m = SystemMap("kaart", "Kaart")
    m.add_record("rounds", number=1, name="Ronde 1")
    m.add_record("rounds", number=2, name="Ronde 2")
    m.add_node("Factor", "druk", "Druk", level="persoon", role="uitkomst")
    m.add_node("Factor", "toetsen", "Toetsen", level="organisatie", role="bron")
    m.add_node("Actor", "school", "School", actor_kind="organisatie")
    m.add_node("Initiative", "huiswerkklas", "Huiswerkklas")
    m.add_link("toetsen-druk", "INFLUENCES", "toetsen", "druk", sign="+")
    m.add_link("school-klas", "RUNS", "school", "huiswerkklas")
    m.add_link("klas-toetsen", "ADDRESSES", "huiswerkklas", "toetsen")
    about = ("toetsen", "toetsen-druk", "school", "huiswerkklas", "school-klas")
    m.add_node("Quote", "weg", WITHDRAWN, group="ouder", about=about, round_out=2)
    m.add_node("Quote", "blijft", KEPT, group="jongere", about=about)
    return m


def _tooltips(items: list[dict]) -> str:
    return "\n".join(str(item.get("tooltip", "")) for item in items)


def test_the_map_does_not_quote_a_withdrawn_quote() -> None:
    nodes, edges, _ = map_data(_map())
    assert "weg" not in {n["id"] for n in nodes}
    text = _tooltips(nodes) + _tooltips(edges)
    assert KEPT in text
    assert WITHDRAWN not in text


def test_the_map_as_of_a_round_quotes_what_was_said_then() -> None:
    nodes, edges, _ = map_data(_map(), as_of_round=1)
    assert WITHDRAWN in _tooltips(nodes) + _tooltips(edges)


def test_the_social_map_does_not_quote_a_withdrawn_quote() -> None:
    nodes, edges, _, _ = social_map_data(_map())
    text = _tooltips(nodes) + _tooltips(edges)
    assert KEPT in text
    assert WITHDRAWN not in text
