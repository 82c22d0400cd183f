"""Evidence: sources, quotes, sessions and reviews per link; weak and untested links."""

from __future__ import annotations

from graph import SystemMap
from queries.cycle import link_status
from queries.evidence import (
    EVIDENCE_COLUMNS,
    link_evidence,
    single_source_links,
    untested_hypotheses,
)


def evidence_map() -> SystemMap:
    """l1 rests on two sources, a quote and a review; l2 on one source; l3 on none."""
    m = SystemMap("demo")
    for number in (1, 2, 3):
        m.add_record("rounds", number=number, name=f"Ronde {number}")
    m.add_node("Source", "verslag", "Verslag", source_kind="verslag")
    m.add_node("Source", "onderzoek", "Onderzoek", source_kind="onderzoek")
    m.add_node("Session", "kick-off", "Kick-off", session_kind="kick-off")
    m.add_node("Session", "toets", "Toetsing", session_kind="toetsing")
    for f in "abc":
        m.add_node("Factor", f, f.upper(), level="persoon", role="bron")
    m.add_link(
        "l1", "INFLUENCES", "a", "b", sign="+", status="hypothese", sources=("verslag", "onderzoek")
    )
    m.add_link("l2", "INFLUENCES", "b", "c", sign="+", status="bevestigd", sources=("verslag",))
    m.add_link("l3", "INFLUENCES", "a", "c", sign="-")
    m.add_node("Quote", "q1", "Dat klopt", group="ouder", session="kick-off", about=("l1", "a"))
    m.add_record(
        "reviews", id="r1", link="l1", round=2, group="jongere", verdict="eens", session="toets"
    )
    return m


def test_each_link_lists_its_evidence() -> None:
    table = link_evidence(evidence_map())
    assert list(table.columns) == list(EVIDENCE_COLUMNS)
    assert table.to_dict("records") == [
        {
            "link": "l1",
            "kind": "INFLUENCES",
            "source": "a",
            "target": "b",
            "status": "bevestigd",  # the jongere's eens
            "sources": ["onderzoek", "verslag"],
            "source_count": 2,
            "quotes": ["q1"],
            "sessions": ["kick-off", "toets"],
            "reviews": 1,
        },
        {
            "link": "l2",
            "kind": "INFLUENCES",
            "source": "b",
            "target": "c",
            "status": "hypothese",  # bevestigd in the workbook, but no group said so
            "sources": ["verslag"],
            "source_count": 1,
            "quotes": [],
            "sessions": [],
            "reviews": 0,
        },
        {
            "link": "l3",
            "kind": "INFLUENCES",
            "source": "a",
            "target": "c",
            "status": "hypothese",
            "sources": [],
            "source_count": 0,
            "quotes": [],
            "sessions": [],
            "reviews": 0,
        },
    ]


def test_links_on_a_single_source_or_none() -> None:
    weak = single_source_links(evidence_map())
    assert weak[["link", "source_count"]].values.tolist() == [["l2", 1], ["l3", 0]]
    assert list(weak.index) == [0, 1]


def test_untested_hypotheses_have_no_reviews() -> None:
    assert untested_hypotheses(evidence_map())["link"].tolist() == ["l2", "l3"]


def test_reviews_count_from_the_round_after_they_were_held() -> None:
    """r1 was given in round 2: that round's test, so it counts from round 3 on."""
    for k in (1, 2):
        row = link_evidence(evidence_map(), as_of_round=k).set_index("link").loc["l1"]
        assert (row["reviews"], row["sessions"]) == (0, ["kick-off"])
        untested = untested_hypotheses(evidence_map(), as_of_round=k)["link"].tolist()
        assert untested == ["l1", "l2", "l3"]
    row = link_evidence(evidence_map(), as_of_round=3).set_index("link").loc["l1"]
    assert (row["reviews"], row["sessions"]) == (1, ["kick-off", "toets"])
    assert untested_hypotheses(evidence_map(), as_of_round=3)["link"].tolist() == ["l2", "l3"]


def test_reviews_count_as_in_the_link_status_of_the_cycle() -> None:
    m = evidence_map()
    m.add_record("reviews", id="r2", link="l2", round=1, group="ouder", verdict="oneens")
    m.add_record("reviews", id="r3", link="l1", round=3, group="ouder", verdict="eens")
    for k in (1, 2, 3, None):
        status = link_status(m, as_of_round=k)
        evidence = link_evidence(m, as_of_round=k)
        assert dict(zip(evidence["link"], evidence["reviews"], strict=True)) == dict(
            zip(status["link"], status["reviews"], strict=True)
        ), k
    assert link_evidence(m, as_of_round=2)["reviews"].tolist() == [0, 1, 0]


def test_retired_links_and_quotes_drop_out() -> None:
    m = evidence_map()
    m.add_link("l4", "INFLUENCES", "c", "a", sign="+", round_out=2)
    m.add_node("Quote", "q2", "Toen wel", group="jongere", about=("l2",), round_out=2)
    assert "l4" not in set(link_evidence(m)["link"])
    assert link_evidence(m).set_index("link").loc["l2", "quotes"] == []
    earlier = link_evidence(m, as_of_round=1).set_index("link")
    assert "l4" in earlier.index
    assert earlier.loc["l2", "quotes"] == ["q2"]
