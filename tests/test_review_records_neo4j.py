"""The reviews a question reads are the same reviews, every field of them, whether the
map is read from its files (:class:`queries.source.MapSource`) or from Neo4j
(:class:`queries.cypher.StoreSource`)."""

from __future__ import annotations

from graph.store import Neo4jStore
from loaders import EXAMPLE_CYCLE, load_map
from queries.cypher import StoreSource
from queries.source import MapSource


def test_both_sources_read_the_same_reviews_with_every_field(
    store: Neo4jStore, map_id: str
) -> None:
    m = load_map(EXAMPLE_CYCLE / "ronde-2")
    m.id = map_id
    link = m.reviews[0]["link"]
    m.add_record("reviews", id="r1-gewicht", link=link, round=1, group="jongere",
                 verdict="eens", session="oudersessie", note="sterk", weight=0.5)  # fmt: skip
    store.load(m)
    on_map, in_store = MapSource(m), StoreSource(store, map_id)
    for k in (None, 1, 2):
        assert in_store.reviews(k) == on_map.reviews(k), k
    read = on_map.reviews(None)
    assert len(read) == len(m.reviews) > 20
    assert any(r.note for r in read) and [r.weight for r in read if r.weight] == [0.5]
