"""Group-informed consensus per link and per statement (:mod:`queries.consensus`).

The formula is Pol.is's: Small, Bjorkegren, Erkkilä, Shaw and Megill (2021), "Polis:
Scaling deliberation by mapping high dimensional opinion spaces", Recerca 26(2); in
the Polis source, ``math/src/polismath/math/conversation.clj``, ``:group-aware-consensus``:
``prob = (A + 1.0) / (S + 2.0)`` per group, where S counts every vote the group gave
(agree, disagree and pass), multiplied over the groups.
"""

from __future__ import annotations

import pandas as pd
import pytest

from graph import SystemMap
from queries import agenda, answer
from queries.consensus import agreement, consensus, group_consensus


def test_the_formula_reproduces_polis_group_aware_consensus() -> None:
    # A worked example in Polis's terms: a comment that group a voted on 6 times
    # (1 agree, 5 disagree) and group b 27 times (24 agree, 1 disagree, 2 pass).
    # Pooled, 25 of 33 agree (76%); per group, by the Polis definition:
    #   P(agree | a) = (1 + 1) / (6 + 2) = 1/4, P(agree | b) = (24 + 1) / (27 + 2) = 25/29
    #   consensus = 1/4 * 25/29 = 25/116 = 0.2155...: low, because group a does not agree.
    score, against, divided = group_consensus({"a": (1, 5, 0), "b": (24, 1, 2)}, ["a", "b"])
    assert score == pytest.approx(25 / 116)
    #   against: (5 + 1) / 8 * (1 + 1) / 29 = 6/8 * 2/29 = 3/58
    assert against == pytest.approx(3 / 58)
    assert divided  # a leans disagree, b agree
    # a group that saw nothing counts (0 + 1) / (0 + 2) = 1/2, as Polis's zero counts do
    assert group_consensus({"a": (1, 5, 0)}, ["a", "b"])[0] == pytest.approx(1 / 4 * 1 / 2)
    # a pass is a vote seen: it lowers the agreement, as Polis's S does
    assert agreement((1, 0, 1)) == 2 / 4 < agreement((1, 0, 0)) == 2 / 3
    # nobody voted: unknown, not a number
    assert group_consensus({}, ["a", "b"]) == (None, None, False)


def test_the_formula_reproduces_a_published_worked_example() -> None:
    # Published by Google Jigsaw with their implementation of Polis's group-informed
    # consensus: sensemaking-tools (github.com/Jigsaw-Code/sensemaking-tools, Apache-2.0),
    # src/stats/stats_util.test.ts, "should get the group informed consensus for a given
    # comment". Their vote tallies are VoteTally(agree, disagree, pass); ours are
    # (eens, oneens, neutraal), the same three counts in the same order.
    # - one group: 10 agree, 5 disagree, 5 pass gives (10 + 1) / (20 + 2);
    assert agreement((10, 5, 5)) == pytest.approx((10 + 1) / (20 + 2))
    # - no votes gives 0.5, 5 disagrees 1/7, 5 agrees 6/7;
    assert agreement((0, 0, 0)) == pytest.approx(0.5)
    assert agreement((0, 5, 0)) == pytest.approx(1 / 7)
    assert agreement((5, 0, 0)) == pytest.approx(6 / 7)
    # - a comment with tallies {"0": (10, 5, 0), "1": (5, 10, 5)} has a group-informed
    #   consensus of (11/17) * 6/22, and a group-informed disagree consensus of the same
    #   value ((5 + 1)/17 * (10 + 1)/22).
    score, against, divided = group_consensus({"0": (10, 5, 0), "1": (5, 10, 5)}, ["0", "1"])
    assert score == pytest.approx((11 / 17) * 6 / 22)
    assert against == pytest.approx((11 / 17) * 6 / 22)
    # - the minimum agree probability over the groups is 3/11 (= 6/22): the group that
    #   agrees least is the one that sets the consensus low, and it leans the other way.
    assert min(agreement((10, 5, 0)), agreement((5, 10, 5))) == pytest.approx(3 / 11)
    assert divided


def _map() -> SystemMap:
    m = SystemMap("demo")
    m.add_record("rounds", number=1, name="Eerste ronde")
    m.add_record("rounds", number=2, name="Tweede ronde")
    for f in ("a", "b", "c"):
        m.add_node("Factor", f, f.upper(), level="persoon", role="bron")
    m.add_link("ab", "INFLUENCES", "a", "b", sign="+", sources=("s",))
    m.add_link("bc", "INFLUENCES", "b", "c", sign="-", sources=("s",))
    m.add_node("Source", "s", "Verslag", source_kind="verslag")
    return m


def _review(m: SystemMap, link: str, k: int, group: str, verdict: str) -> None:
    m.add_record(
        "reviews", id=f"r{len(m.reviews)}", link=link, round=k, group=group, verdict=verdict
    )


def test_each_verdict_counts_as_documented() -> None:
    m = _map()
    _review(m, "ab", 1, "ouder", "eens")  # agrees
    _review(m, "ab", 1, "jongere", "neutraal")  # a vote, neither way: in the denominator
    _review(m, "ab", 1, "jongere", "aanvulling")  # a remark, not a vote
    _review(m, "bc", 1, "professional", "oneens")  # the third group takes part
    row = consensus(m).set_index("item").loc["ab"]
    # ouder 2/3, jongere (0 + 1) / (1 + 2) = 1/3, professional did not vote on ab: 1/2
    assert row["consensus"] == pytest.approx(2 / 3 * 1 / 3 * 1 / 2)
    assert (row["agree"], row["disagree"], row["neutral"]) == (1, 0, 1)
    assert row["groups"] == ["jongere", "ouder"] and row["agreement"] == [0.333, 0.667]
    assert not row["divided"]
    # the status column of the status question carries the same number
    status = answer("status", m).set_index("link")
    assert status.loc["ab", "consensus"] == pytest.approx(1 / 9)
    assert status.loc["bc", "consensus"] == pytest.approx(1 / 2 * 1 / 2 * 1 / 3)


def test_reviews_count_as_of_the_round_as_the_status_does() -> None:
    m = _map()
    _review(m, "ab", 1, "ouder", "eens")
    _review(m, "ab", 2, "jongere", "oneens")
    assert consensus(m, as_of_round=1).set_index("item").loc["ab", "consensus"] is pd.NA
    assert consensus(m, as_of_round=2).set_index("item").loc["ab", "consensus"] == (
        pytest.approx(2 / 3)  # only the ouders' review of round 1; the only group
    )
    assert consensus(m).set_index("item").loc["ab", "consensus"] == pytest.approx(2 / 9)


def test_a_link_whose_votes_divide_the_groups_is_on_the_agenda_with_its_consensus() -> None:
    m = _map()
    # the ouders' latest verdict is oneens, as the jongeren's: verworpen by the status
    # rule; but the ouders said eens twice before: they lean eens, the jongeren oneens
    for verdict in ("eens", "eens", "oneens"):
        _review(m, "ab", 1, "ouder", verdict)
    _review(m, "ab", 1, "jongere", "oneens")
    table = agenda.agenda(m).set_index("link")
    # ouder (2 + 1) / (3 + 2) = 3/5, jongere 1/3: consensus 1/5
    assert table.loc["ab", "status"] == "verworpen"
    assert table.loc["ab", "reasons"] == ["verdeelt de groepen (consensus 0,2)"]
    # without the two earlier eens the groups agree: verworpen, and off the agenda
    m2 = _map()
    _review(m2, "ab", 1, "ouder", "oneens")
    _review(m2, "ab", 1, "jongere", "oneens")
    assert "ab" not in agenda.agenda(m2)["link"].tolist()


def test_statements_consensus_takes_each_session_as_a_group() -> None:
    m = _map()
    m.add_node("Session", "ouders", "Oudersessie", session_kind="oudersessie")
    m.add_node("Session", "jongeren", "Jongerensessie", session_kind="jongerensessie")
    m.add_node("Statement", "meten", "We moeten minder gaan meten en toetsen")
    m.add_node("Statement", "geluk", "Ouders zijn verantwoordelijk voor het geluk van een kind")
    m.add_record("votes", statement="meten", session="ouders", agree=6, neutral=2, disagree=0)
    m.add_record("votes", statement="meten", session="jongeren", agree=8, neutral=0, disagree=1)
    m.add_record("votes", statement="geluk", session="ouders", agree=1, neutral=1, disagree=6)
    m.add_record("votes", statement="geluk", session="jongeren")  # counts not recorded
    table = consensus(m).set_index("item")
    # meten: ouders (6 + 1) / (8 + 2) = 0.7, jongeren (8 + 1) / (9 + 2) = 9/11
    assert table.loc["meten", "consensus"] == pytest.approx(0.7 * 9 / 11)
    assert table.loc["meten", "kind"] == "Statement" and table.loc["meten", "status"] is None
    # geluk: the young people's counts are unknown, so that session is a group with no
    # vote on it: ouders (1 + 1) / (8 + 2) = 1/5, jongeren 1/2
    assert table.loc["geluk", "consensus"] == pytest.approx(1 / 5 * 1 / 2)
    assert table.loc["geluk", "groups"] == ["ouders"]


def test_the_map_marks_a_link_that_divides_the_groups() -> None:
    from views.map import map_data

    m = _map()
    _review(m, "ab", 1, "ouder", "eens")
    _review(m, "ab", 1, "jongere", "oneens")  # divided (and betwist)
    _review(m, "bc", 1, "ouder", "eens")
    _review(m, "bc", 1, "jongere", "eens")  # agreed
    _, edges, legend = map_data(m)
    by_id = {e["id"]: e for e in edges}
    assert by_id["ab"]["divided"] and by_id["ab"]["shadow"]["enabled"]
    # the legend says what the halo means, in the halo's colour
    halo = [e for e in legend if e.get("halo")]
    assert [(e["label"], e["halo"]) for e in halo] == [
        ("verdeelt de groepen", by_id["ab"]["shadow"]["color"])
    ]
    _, _, legend_en = map_data(m, lang="en")
    assert [e["label"] for e in legend_en if e.get("halo")] == ["divides the groups"]
    assert "verdeelt de groepen" in by_id["ab"]["tooltip"]
    assert not by_id["bc"]["divided"] and "shadow" not in by_id["bc"]
    assert "verdeelt de groepen" not in by_id["bc"]["tooltip"]
    # no link divides the groups: no halo in the legend
    m2 = _map()
    _review(m2, "bc", 1, "ouder", "eens")
    assert not [e for e in map_data(m2)[2] if e.get("halo")]
