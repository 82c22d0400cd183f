"""The cycle on small maps: the status rule, the map as of a round, adjustments, the diff."""

from __future__ import annotations

import pandas as pd
import pytest

from graph import MapError, SystemMap, VersterktError
from queries import QueryError, cycle


def three_rounds() -> SystemMap:
    """a -> b -> c and a knob on a, over three rounds, nothing reviewed yet."""
    m = SystemMap("demo", "Demo")
    for k in (1, 2, 3):
        m.add_record("rounds", number=k, name=f"Ronde {k}")
    m.add_node("Source", "verslag", "Verslag", source_kind="verslag")
    m.add_node("Actor", "ouders", "Ouders", actor_kind="groep")
    for f in "abc":
        m.add_node("Factor", f, f"Factor {f.upper()}", level="persoon", role="bron")
    m.add_link("ab", "INFLUENCES", "a", "b", sign="+", sources=("verslag",))
    m.add_link("bc", "INFLUENCES", "b", "c", sign="+")
    m.add_link("knop-a", "CAN_ADJUST", "ouders", "a", sources=("verslag",))
    return m


def review(m: SystemMap, link: str, k: int, group: str, verdict: str) -> str:
    review_id = f"r{k}-{link}-{group}-{len(m.reviews)}"
    m.add_record("reviews", id=review_id, link=link, round=k, group=group, verdict=verdict)
    return review_id


def status_of(m: SystemMap, link: str = "ab", as_of_round: int | None = None) -> str:
    table = cycle.link_status(m, as_of_round)
    return table.set_index("link").loc[link, "status"]


# --- the status rule --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("verdicts", "status"),
    [
        ([], "hypothese"),
        ([(1, "ouder", "neutraal")], "hypothese"),
        ([(1, "ouder", "aanvulling"), (1, "jongere", "neutraal")], "hypothese"),
        ([(1, "ouder", "eens")], "bevestigd"),
        ([(1, "ouder", "eens"), (1, "jongere", "neutraal")], "bevestigd"),
        ([(1, "ouder", "eens"), (1, "jongere", "aanvulling")], "bevestigd"),
        ([(1, "ouder", "oneens"), (1, "jongere", "oneens")], "verworpen"),
        ([(1, "ouder", "eens"), (1, "jongere", "oneens")], "betwist"),
        # a group's latest verdict counts ...
        ([(1, "ouder", "eens"), (2, "ouder", "oneens")], "verworpen"),
        ([(2, "ouder", "oneens"), (1, "ouder", "eens")], "verworpen"),
        ([(1, "ouder", "eens"), (2, "ouder", "neutraal")], "hypothese"),
        ([(1, "ouder", "oneens"), (1, "jongere", "eens"), (2, "ouder", "eens")], "bevestigd"),
        # ... within a round the later row; an aanvulling leaves the position as it was
        ([(1, "ouder", "eens"), (1, "ouder", "oneens")], "verworpen"),
        ([(1, "ouder", "eens"), (2, "ouder", "aanvulling")], "bevestigd"),
    ],
)
def test_the_status_follows_each_groups_latest_verdict(
    verdicts: list[tuple[int, str, str]], status: str
) -> None:
    m = three_rounds()
    for k, group, verdict in verdicts:
        review(m, "ab", k, group, verdict)
    assert status_of(m) == status


def test_the_status_table_counts_verdicts_and_names_the_deciding_groups() -> None:
    m = three_rounds()
    review(m, "ab", 1, "ouder", "eens")
    review(m, "ab", 1, "jongere", "oneens")
    review(m, "ab", 1, "professional", "neutraal")
    review(m, "ab", 1, "jongere", "aanvulling")
    table = cycle.link_status(m)
    assert list(table.columns) == list(cycle.LINK_STATUS_COLUMNS)
    assert table["link"].tolist() == ["ab", "bc", "knop-a"]
    assert table.iloc[0].to_dict() == {
        "link": "ab",
        "kind": "INFLUENCES",
        "source": "a",
        "target": "b",
        "status": "betwist",
        "reviews": 4,
        "agree": 1,
        "disagree": 1,
        "neutral": 1,
        "additions": 1,
        "groups": ["jongere", "ouder", "professional"],
        "agreeing": ["ouder"],
        "disagreeing": ["jongere"],
        # P(eens) per group: ouder 2/3, jongere 1/3, professional (neutraal) 1/3
        "consensus": pytest.approx(2 / 27),
    }
    assert table.iloc[1]["status"] == "hypothese" and table.iloc[1]["reviews"] == 0
    assert pd.isna(table.iloc[1]["consensus"])  # no group voted on it: unknown


def test_a_rounds_reviews_count_from_the_next_round_on() -> None:
    m = three_rounds()
    review(m, "ab", 1, "ouder", "eens")
    review(m, "ab", 2, "jongere", "oneens")
    assert [status_of(m, as_of_round=k) for k in (1, 2, 3, None)] == [
        "hypothese",
        "bevestigd",
        "betwist",
        "betwist",
    ]


def test_the_status_column_of_the_workbook_does_not_decide() -> None:
    m = three_rounds()
    m.add_link("ac", "INFLUENCES", "a", "c", sign="+", status="bevestigd")
    assert status_of(m, "ac") == "hypothese"


def test_an_unknown_round_is_an_error_that_lists_the_rounds() -> None:
    with pytest.raises(QueryError, match=r"unknown round 4 \(rounds: 1, 2, 3\)"):
        cycle.link_status(three_rounds(), 4)


# --- the map as of a round --------------------------------------------------------------


def test_the_map_as_of_a_round_is_what_was_put_to_the_test() -> None:
    m = three_rounds()
    r1 = review(m, "ab", 1, "ouder", "eens")
    cycle.retire_link(m, 2, "bc", reason="Klopt niet", prompted_by=[r1])
    review(m, "ab", 2, "jongere", "eens")  # round 2 tested: its map stays as it was
    cycle.add_node(m, 3, "Factor", "d", "Factor D", level="persoon", role="bron", reason="Nieuw")

    one = cycle.map_as_of(m, 1)
    assert [lk.id for lk in one.links()] == ["ab", "bc", "knop-a"]
    assert one.link("bc").get("round_out") is None  # in round 1 it had not left yet
    assert one.link("ab")["status"] == "hypothese"
    assert one.reviews == [] and one.adjustments == []
    assert [r["number"] for r in one.rounds] == [1]

    two = cycle.map_as_of(m, 2)
    assert [lk.id for lk in two.links()] == ["ab", "knop-a"]
    assert two.link("ab")["status"] == "bevestigd"
    assert [r["id"] for r in two.reviews] == [r1]
    assert [a["id"] for a in two.adjustments] == ["b2-ingetrokken-bc"]
    assert "d" not in two and "d" in cycle.map_as_of(m, 3)

    latest = cycle.map_as_of(m, None)
    assert len(latest.reviews) == 2 and "bc" not in latest


def test_the_map_as_of_a_round_is_unchanged_by_what_is_recorded_later() -> None:
    m = three_rounds()
    before = cycle.map_as_of(m, 1)
    r1 = review(m, "ab", 1, "ouder", "oneens")
    cycle.resign_link(m, 2, "ab", "-", reason="Andersom", prompted_by=[r1])
    cycle.retire_node(m, 3, "c", reason="Niet herkend")
    assert cycle.map_as_of(m, 1) == before
    assert cycle.map_as_of(m, 1).canonical() == before.canonical()


def test_votes_and_attendance_follow_their_sessions() -> None:
    m = three_rounds()
    m.add_node("Session", "s2", "Sessie", session_kind="overig", round_in=2)
    m.add_node("Statement", "st", "Een stelling")
    m.add_record("votes", statement="st", session="s2", agree=3)
    m.add_record("attendance", session="s2", group="ouder", count=12)
    assert cycle.map_as_of(m, 1).votes == [] and cycle.map_as_of(m, 1).records["attendance"] == []
    assert len(cycle.map_as_of(m, 2).votes) == 1


# --- adjustments ------------------------------------------------------------------------


def test_re_signing_retires_the_link_and_adds_a_new_one_named_by_one_adjustment() -> None:
    m = three_rounds()
    r1 = review(m, "ab", 1, "ouder", "oneens")
    adjustment = cycle.resign_link(m, 2, "ab", "-", reason="Werkt andersom", prompted_by=[r1])
    assert adjustment == "b2-teken-ab"
    assert m.link("ab")["round_out"] == 2 and m.link("ab")["sign"] == "+"
    new = m.link("ab-r2")
    assert (new.source, new.target, new["sign"], new["round_in"], new["status"]) == (
        "a",
        "b",
        "-",
        2,
        "hypothese",
    )
    assert new["sources"] == ("verslag",)
    assert m.adjustments == [
        {
            "id": "b2-teken-ab",
            "round": 2,
            "adjustment_kind": "teken gewijzigd",
            "subject": ("ab", "ab-r2"),
            "reason": "Werkt andersom",
            "prompted_by": (r1,),
        }
    ]
    # the new link is a new claim: untested until a group reviews it
    assert status_of(m, "ab-r2") == "hypothese"


def test_re_weighting_keeps_the_sign_and_takes_a_given_id() -> None:
    m = three_rounds()
    cycle.reweight_link(m, 2, "bc", 2.5, reason="Sterker", new_id="bc-zwaar")
    assert m.link("bc-zwaar")["weight"] == 2.5 and m.link("bc-zwaar")["sign"] == "+"
    assert m.adjustments[0]["subject"] == ("bc", "bc-zwaar")
    assert m.adjustments[0]["adjustment_kind"] == "gewicht gewijzigd"


def test_retiring_a_node_retires_its_links_in_the_same_adjustment() -> None:
    m = three_rounds()
    cycle.retire_node(m, 2, "b", reason="Geen aparte factor")
    assert m.node("b")["round_out"] == 2
    assert m.link("ab")["round_out"] == 2 and m.link("bc")["round_out"] == 2
    assert m.adjustments[0]["subject"] == ("b", "ab", "bc")


def test_merging_nodes_repoints_their_links_to_the_node_that_stays() -> None:
    m = three_rounds()
    m.add_link("ca", "INFLUENCES", "c", "a", sign="-")
    cycle.merge_nodes(m, 2, ["b", "c"], "a", reason="Hetzelfde")
    assert {n.id for n in cycle.map_as_of(m, 2).nodes("Factor")} == {"a"}
    added = [lk for lk in m.links() if lk.get("round_in") == 2]
    # a -> b becomes a -> a and b -> c becomes a -> a: both dropped; so is c -> a
    assert added == []
    m2 = three_rounds()
    m2.add_node("Factor", "d", "Factor D", level="persoon", role="bron")
    m2.add_link("bd", "INFLUENCES", "b", "d", sign="+")
    cycle.merge_nodes(m2, 2, ["b"], "c", reason="Hetzelfde", prompted_by=[])
    assert m2.link("ab-r2").target == "c" and m2.link("bd-r2").source == "c"
    assert m2.adjustments[0]["subject"] == ("c", "b", "ab", "bc", "bd", "ab-r2", "bd-r2")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda m: cycle.retire_link(m, 4, "ab", reason="x"), "unknown round 4"),
        (lambda m: cycle.retire_link(m, 2, "ab", reason=" "), "the reason may not be empty"),
        (
            lambda m: cycle.retire_link(m, 2, "ab", reason="x", prompted_by=["r9"]),
            "unknown review 'r9'",
        ),
        (lambda m: cycle.retire_link(m, 2, "zz", reason="x"), "unknown link 'zz'"),
        (lambda m: cycle.retire_link(m, 1, "ab", reason="x"), "goes into a new round"),
        (lambda m: cycle.resign_link(m, 2, "ab", "+", reason="x"), "already has sign '\\+'"),
        (lambda m: cycle.resign_link(m, 2, "ab", "?", reason="x"), "a sign is \\+ or -"),
        (lambda m: cycle.reweight_link(m, 2, "ab", 0, reason="x"), "greater than 0"),
        (
            lambda m: cycle.resign_link(m, 2, "ab", "-", reason="x", new_id="bc"),
            "id 'bc' is already taken",
        ),
        (lambda m: cycle.merge_nodes(m, 2, ["a"], "a", reason="x"), "other than the one"),
        (lambda m: cycle.retire_node(m, 2, "zz", reason="x"), "unknown node 'zz'"),
    ],
)
def test_a_change_the_cycle_does_not_allow_is_refused_and_leaves_the_map_alone(
    change, message: str
) -> None:
    m = three_rounds()
    before = m.canonical()
    with pytest.raises(VersterktError, match=message):
        change(m)
    assert m.canonical() == before


def test_a_link_cannot_be_retired_twice() -> None:
    m = three_rounds()
    cycle.retire_link(m, 2, "ab", reason="x")
    with pytest.raises(MapError, match="already left the map in round 2"):
        cycle.retire_link(m, 3, "ab", reason="y")


def test_a_new_link_needs_both_ends_on_the_map() -> None:
    m = three_rounds()
    cycle.retire_node(m, 2, "c", reason="x")
    with pytest.raises(MapError, match="node 'c' is not on the map in round 3"):
        cycle.add_link(m, 3, "ac", "INFLUENCES", "a", "c", reason="y", sign="+")


# --- what changed -----------------------------------------------------------------------


def test_the_diff_names_each_change_and_its_reason() -> None:
    m = three_rounds()
    m.add_node("Factor", "d", "Factor D", level="persoon", role="bron")
    r1 = review(m, "ab", 1, "ouder", "oneens")
    r2 = review(m, "bc", 1, "ouder", "eens")
    cycle.resign_link(m, 2, "ab", "-", reason="Andersom", prompted_by=[r1])
    cycle.merge_nodes(m, 2, ["d"], "c", reason="Dubbel")
    cycle.add_node(m, 2, "Factor", "e", "Factor E", level="omgeving", role="bron", reason="Nieuw")
    cycle.add_link(m, 2, "ec", "INFLUENCES", "e", "c", reason="Nieuw", sign="-")
    table = cycle.diff(m, 1, 2)
    assert list(table.columns) == list(cycle.DIFF_COLUMNS)
    rows = table[["change", "item", "replaces", "before", "after", "reason", "prompted_by"]]
    assert rows.values.tolist() == [
        ["node added", "e", None, None, None, "Nieuw", []],
        ["node merged", "d", None, None, "c", "Dubbel", []],
        ["link added", "ec", None, None, None, "Nieuw", []],
        ["link re-signed", "ab-r2", "ab", "+", "-", "Andersom", [r1]],
        ["status changed", "bc", None, "hypothese", "bevestigd", "ronde 1: ouder eens", [r2]],
    ]
    assert table["round"].tolist() == [2, 2, 2, 2, 2]
    assert table.iloc[3]["description"] == "Factor A verkleint Factor B"


def test_a_status_change_is_dated_to_the_round_from_which_it_held() -> None:
    m = three_rounds()
    review(m, "bc", 1, "ouder", "eens")
    table = cycle.diff(m, 1, 3)
    assert table[["change", "item", "round"]].values.tolist() == [["status changed", "bc", 2]]
    assert cycle.diff(m, 2, 3).empty


def test_the_diff_needs_two_known_rounds_in_order() -> None:
    m = three_rounds()
    with pytest.raises(QueryError, match="must come before"):
        cycle.diff(m, 2, 1)
    with pytest.raises(QueryError, match="unknown round 7"):
        cycle.diff(m, 1, 7)


def test_loops_and_leverage_moves_between_rounds() -> None:
    m = three_rounds()
    cycle.add_link(m, 2, "ca", "INFLUENCES", "c", "a", reason="Lus", sign="-")
    cycle.reweight_link(m, 2, "bc", 3.0, reason="Sterk")
    loops = cycle.loop_moves(m, 1, 2)
    assert loops[["change", "members", "links", "polarity"]].values.tolist() == [
        ["new", ["a", "b", "c"], ["ab", "bc-r2", "ca"], "balancing"]
    ]
    moves = cycle.leverage_moves(m, 1, 2, target="c")
    assert moves[["factor", "rank_before", "rank_after", "move"]].values.tolist() == [
        ["a", 1, 1, "stronger"],
        ["b", 1, 1, "stronger"],
    ]


# --- the sentence and the agenda --------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "sign", "source", "target", "sentence"),
    [
        ("INFLUENCES", "+", "De verwachtingen van ouders", "Prestatiedruk",
         "De verwachtingen van ouders vergroten prestatiedruk"),
        ("INFLUENCES", "+", "Het schoolsysteem", "Prestatiedruk",
         "Het schoolsysteem vergroot prestatiedruk"),
        ("INFLUENCES", "-", "Sport", "Stress", "Sport verkleint stress"),
        ("INFLUENCES", None, "Scholen", "Het geluk van een kind",
         "Scholen beïnvloeden het geluk van een kind"),
        ("INFLUENCES", "+", "Stress", "Het imago van het VMBO",
         "Stress vergroot het imago van het VMBO"),
        ("INFLUENCES", "+", "Iedereen die in Vleuten woont", "VMBO",
         "Iedereen die in Vleuten woont vergroot VMBO"),
        ("CAN_ADJUST", None, "Ouders", "De verwachtingen van ouders",
         "Ouders kunnen de verwachtingen van ouders bijsturen"),
        ("COOPERATES_WITH", None, "Gemeente Utrecht", "Buurtteam Jeugd Utrecht",
         "Gemeente Utrecht werkt samen met Buurtteam Jeugd Utrecht"),
        ("LOCATED_AT", None, "Vleuten Versterkt", "Vleuten",
         "Vleuten Versterkt vindt plaats in Vleuten"),
        ("ADDRESSES", None, "Huiswerkklas", "Stress", "Huiswerkklas richt zich op stress"),
    ],
)  # fmt: skip
def test_a_link_reads_as_a_plain_dutch_sentence(
    kind: str, sign: str | None, source: str, target: str, sentence: str
) -> None:
    assert cycle.link_statement(kind, sign, source, target) == sentence


def test_the_agenda_puts_weak_links_on_high_leverage_chains_first() -> None:
    m = three_rounds()
    m.add_node("Factor", "d", "Factor D", level="persoon", role="bron")
    m.add_node("Source", "studie", "Studie", source_kind="onderzoek")
    m.add_link("dc", "INFLUENCES", "d", "c", sign="+", weight=3.0, sources=("verslag", "studie"))
    m.add_link("ad", "INFLUENCES", "a", "d", sign="-", sources=("verslag", "studie"))
    for group in ("ouder", "jongere"):
        review(m, "dc", 1, group, "eens")
        review(m, "ad", 1, group, "oneens")
    review(m, "bc", 1, "ouder", "eens")
    review(m, "bc", 1, "jongere", "oneens")
    review(m, "knop-a", 1, "ouder", "neutraal")
    table = cycle.agenda(m, target="c")
    assert list(table.columns) == list(cycle.AGENDA_COLUMNS)
    assert table[["priority", "link", "status", "leverage", "reasons"]].values.tolist() == [
        # a reaches c with effect 1 - 3 = -2 (through b, and through d): size 2
        [1, "bc", "betwist", 2.0, [
            "betwist (eens: ouder; oneens: jongere)",
            "rust op geen bron",
            "op een keten naar Factor C (via Factor A, effect 2)",
        ]],
        [2, "ab", "hypothese", 2.0, [
            "nog niet getoetst",
            "rust op één bron",
            "op een keten naar Factor C (via Factor A, effect 2)",
        ]],
        [3, "knop-a", "hypothese", 2.0, [
            "nog geen oordeel: alleen neutraal of aanvulling",
            "rust op één bron",
            "knop op Factor A (effect 2 op Factor C)",
        ]],
    ]  # fmt: skip
    # not listed: ad, verworpen by two groups; dc, bevestigd by two groups and on two sources


def test_the_agenda_for_a_round_uses_the_map_as_of_that_round() -> None:
    m = three_rounds()
    review(m, "ab", 1, "ouder", "eens")
    review(m, "ab", 1, "jongere", "eens")
    first = cycle.agenda(m, 1, target=None)
    assert first.set_index("link").loc["ab", "reasons"] == ["nog niet getoetst", "rust op één bron"]
    now = cycle.agenda(m, target=None)
    assert now.set_index("link").loc["ab", "reasons"] == ["rust op één bron"]
    assert now["leverage"].isna().all()
    assert now["priority"].tolist() == list(range(1, len(now) + 1))
