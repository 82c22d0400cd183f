"""A review is a record with named fields (:class:`graph.vocabulary.Review`): made from
every ``toetsing`` row the loader accepts, it gives that row back, no field lost; it
has a field for every column of the schema's review table, and the questions' sources
read every one of them."""

from __future__ import annotations

from dataclasses import fields

from graph import schema
from graph.cycle import positions, review_counts
from graph.vocabulary import Review, Verdict
from loaders import EXAMPLE_CYCLE, VLEUTEN, load_map
from queries.source import REVIEW_FIELDS, MapSource

MAPS = (VLEUTEN, EXAMPLE_CYCLE / "ronde-1", EXAMPLE_CYCLE / "ronde-2")


def test_every_review_row_of_the_bundled_maps_comes_back_from_its_review() -> None:
    seen = 0
    for path in MAPS:
        for row in load_map(path).reviews:
            review = Review.from_row(row)
            assert review.as_row() == row, (path, row)
            assert isinstance(review.verdict, Verdict)
            assert review.note == row.get("note") and review.session == row.get("session")
            seen += 1
    assert seen >= 20  # the example cycle's round 2 holds the reviews of round 1


def test_a_review_has_a_field_for_every_column_of_the_review_table() -> None:
    columns = tuple(f.name for f in schema.RECORD_TABLES["reviews"].fields)
    assert tuple(f.name for f in fields(Review)) == columns
    assert REVIEW_FIELDS == columns


def test_a_review_with_every_field_and_one_read_from_neo4j_keep_their_fields() -> None:
    full = {"id": "r1", "link": "ab", "round": 2, "group": "jongere", "verdict": "aanvulling",
            "session": "jongerensessie", "note": "ook thuis", "weight": 0.75}  # fmt: skip
    review = Review.from_row(full)
    assert review.as_row() == full
    assert (review.round, review.weight, review.is_vote) == (2, 0.75, False)
    # Neo4j gives every field, an empty one as None; the map leaves it out
    stored = {**dict.fromkeys(REVIEW_FIELDS), **full, "note": None, "weight": None}
    assert Review.from_row(stored).as_row() == {
        k: v for k, v in full.items() if k not in ("note", "weight")
    }


def test_the_status_rule_reads_a_review_and_its_row_alike() -> None:
    m = load_map(EXAMPLE_CYCLE / "ronde-2")
    rows = sorted(m.reviews, key=lambda r: r["round"])
    reviews = [Review.from_row(r) for r in rows]
    assert len(reviews) > 20
    assert positions(rows) == positions(reviews)
    for k in (None, 1, 2):
        assert [review_counts(r, k) for r in rows] == [review_counts(r, k) for r in reviews]
    assert MapSource(m).reviews(None) == reviews
