"""A small made-up SystemMap with everything the views show: known and unknown
votes, weights, reviews, three rounds with a re-signed and a retired link, and
organisations on the same factor that do not work together. Not real data."""

from __future__ import annotations

from graph import SystemMap

HOSTILE_IMG = '<img src=x onerror="window.__pwned=1">'
HOSTILE_SCRIPT = "<script>window.__pwned=1</script>"
HOSTILE = f"{HOSTILE_SCRIPT} & {HOSTILE_IMG} </svg><!-- \"'"


def rich_map(hostile: bool = False) -> SystemMap:
    """The sample map; with ``hostile`` the names and quotes carry HTML and script."""
    bad = f" {HOSTILE}" if hostile else ""
    m = SystemMap("voorbeeld", f"Voorbeeldkaart{bad}", origin="gemaakt voor de tests")
    for number in (1, 2, 3):
        m.add_record("rounds", number=number, name=f"Ronde {number}")
    m.add_node("Session", "kickoff", "Kick-off", session_kind="kick-off")
    m.add_node("Session", "toets", "Toetsing", session_kind="toetsing", round_in=2)
    m.add_node(
        "Source", "rapport", "Onderzoek jeugd", source_kind="onderzoek", reference="Rapport 2021"
    )
    m.add_node("Actor", "ouders", "Ouders", actor_kind="groep")
    m.add_node("Actor", "scholen", "Scholen", actor_kind="organisatie")
    m.add_node("Actor", "sportclub", "Sportclub", actor_kind="organisatie")
    m.add_node("Actor", "buurtteam", "Buurtteam", actor_kind="organisatie")
    m.add_node("Actor", "gemeente", "Gemeente", actor_kind="organisatie")
    m.add_node("Factor", "prestatiedruk", "Prestatiedruk", level="persoon", role="uitkomst")
    m.add_node("Factor", "toetsdruk", f"Toetsdruk{bad}", level="organisatie", role="bron")
    m.add_node("Factor", "verwachtingen", "Verwachtingen van ouders", level="omgeving", role="bron")
    m.add_node("Factor", "steun", "Steun van vrienden", level="omgeving", role="beschermend")
    m.add_node("Factor", "slaap", "Te weinig slaap", level="persoon", role="bron", round_in=2)
    m.add_node("Factor", "oud", "Oude factor", level="samenleving", role="bron", round_out=2)
    m.add_node("Initiative", "huiswerkclub", "Huiswerkclub")
    m.add_node("Initiative", "sportmaatje", "Sportmaatje")
    m.add_node("Place", "buurthuis", "Buurthuis De Schakel")
    m.add_node("Statement", "s1", f"We moeten minder toetsen{bad}", focus=True)
    m.add_node("Statement", "s2", "Ouders verwachten te veel")
    m.add_node("Statement", "s3", "Sport helpt tegen druk")
    m.add_node(
        "Quote",
        "q1",
        f"Toetsen geeft stress{bad}",
        group="ouder",
        session="kickoff",
        about=["s1", "l-toets"],
    )
    m.add_node(
        "Quote",
        "q2",
        "Mijn ouders zijn streng",
        group="jongere",
        session="kickoff",
        about=["s2", "verwachtingen"],
    )

    def link(link_id: str, kind: str, a: str, b: str, **fields: object) -> None:
        m.add_link(link_id, kind, a, b, sources=["rapport"], **fields)

    link(
        "l-toets",
        "INFLUENCES",
        "toetsdruk",
        "prestatiedruk",
        sign="+",
        weight=2.0,
        status="bevestigd",
    )
    link("l-verw", "INFLUENCES", "verwachtingen", "prestatiedruk", sign="+", weight=1.0)
    link("l-steun-oud", "INFLUENCES", "steun", "prestatiedruk", sign="+", round_out=2)
    link("l-steun", "INFLUENCES", "steun", "prestatiedruk", sign="-", weight=0.5, round_in=2)
    link("l-slaap", "INFLUENCES", "slaap", "prestatiedruk", sign="+", round_in=2)
    link("l-oud", "INFLUENCES", "oud", "prestatiedruk", sign="+", round_out=2)
    link("l-ouders", "INFLUENCES", "ouders", "verwachtingen", status="betwist")
    link("k-scholen", "CAN_ADJUST", "scholen", "toetsdruk")
    link("k-ouders", "CAN_ADJUST", "ouders", "verwachtingen")
    link("a-huiswerk", "ADDRESSES", "huiswerkclub", "toetsdruk")
    link("a-sport", "ADDRESSES", "sportmaatje", "steun")
    link("i-sportclub", "INFLUENCES", "sportclub", "steun", sign="+")
    link("r-buurtteam", "RUNS", "buurtteam", "huiswerkclub")
    link("p-huiswerk", "LOCATED_AT", "huiswerkclub", "buurthuis")
    link("c-gemeente", "COOPERATES_WITH", "gemeente", "buurtteam")

    m.add_record(
        "votes", statement="s1", session="kickoff", agree=5, neutral=12, disagree=3, priority=9
    )
    m.add_record(
        "votes",
        statement="s2",
        session="kickoff",
        agree=2,
        disagree=4,
        priority=3,
        note="neutraal niet geteld",
    )
    m.add_record("votes", statement="s3", session="kickoff", note="aantallen onbekend")
    m.add_record(
        "reviews",
        id="r1",
        link="l-toets",
        round=2,
        group="ouder",
        verdict="eens",
        session="toets",
        note=f"herkenbaar{bad}",
    )
    m.add_record(
        "reviews",
        id="r2",
        link="l-toets",
        round=2,
        group="jongere",
        verdict="oneens",
        session="toets",
    )
    m.add_record(
        "adjustments",
        id="b1",
        round=2,
        adjustment_kind="teken gewijzigd",
        subject=["l-steun-oud", "l-steun"],  # the link retired, then the new one
        reason="steun dempt de druk",
    )
    m.add_record(
        "adjustments",
        id="b2",
        round=2,
        adjustment_kind="knoop ingetrokken",
        subject=["oud", "l-oud"],
        reason=f"niemand herkende dit{bad}",
    )
    return m
