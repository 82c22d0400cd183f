"""The Vleuten dataset holds what the kick-off report says, and nothing invented."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from loaders import VLEUTEN, load_map

SEED = Path(__file__).resolve().parents[2] / "shared" / "seed" / "000_5e65c3266d810411.txt"
FRAGMENT = re.compile(r"«([^»]+)»")


def _normal(text: str) -> str:
    return " ".join(text.split()).lower()


@pytest.fixture(scope="module")
def seed() -> str:
    assert SEED.exists(), f"the source document is missing: {SEED}"
    return _normal(SEED.read_text("utf-8"))


def _rows() -> list[tuple[str, int, dict[str, str]]]:
    out = []
    for path in sorted(VLEUTEN.glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as fh:
            for number, row in enumerate(csv.DictReader(fh), start=2):
                out.append((path.name, number, row))
    return out


def test_every_row_says_where_it_comes_from_in_the_seed(seed: str) -> None:
    rows = _rows()
    assert len(rows) > 50
    for name, number, row in rows:
        fragments = FRAGMENT.findall(row.get("herkomst", ""))
        assert fragments, f"{name}:{number}: herkomst quotes nothing from the report"
        for text in fragments + FRAGMENT.findall(row.get("toelichting", "")):
            assert _normal(text) in seed, f"{name}:{number}: «{text}» is not in the report"


def test_every_node_and_link_names_the_kickoff_report_as_source() -> None:
    m = load_map()
    for item in [*m.nodes(), *m.links()]:
        if item.kind != "Source":
            assert item.get("sources") == ("kickoff-verslag",), item.id


def test_every_link_starts_as_a_hypothesis_in_round_one() -> None:
    for link in load_map().links():
        assert link.get("status") == "hypothese", link.id
        assert link.get("round_in") == 1, link.id


def test_no_number_that_the_seed_does_not_give(seed: str) -> None:
    m = load_map()
    for vote in m.votes:
        for field in ("agree", "neutral", "disagree", "priority"):
            assert field not in vote, (
                f"vote count {field} for {vote['statement']} is not in the report"
            )
    assert m.records["attendance"] == []
    assert all(link.get("weight") is None for link in m.links())
    months = [
        "januari",
        "februari",
        "maart",
        "april",
        "mei",
        "juni",
        "juli",
        "augustus",
        "september",
        "oktober",
        "november",
        "december",
    ]
    for session in m.sessions():
        date = session.get("date")
        if date is not None:
            assert f"{date.day} {months[date.month - 1]}" in seed, session.id
        if session.get("time"):
            assert session["time"] in seed, session.id


def test_six_statements_and_the_two_focus_statements() -> None:
    statements = load_map().statements()
    assert len(statements) == 6
    assert sorted(s.name for s in statements if s.get("focus")) == [
        "Ouders zijn verantwoordelijk voor het geluk van een kind",
        "We moeten minder gaan meten en toetsen",
    ]


def test_quotes_are_verbatim_and_attributed_to_a_group(seed: str) -> None:
    quotes = load_map().quotes()
    assert len(quotes) == 4
    for quote in quotes:
        assert _normal(quote.name) in seed, quote.id
        assert quote["group"] == "deelnemer"  # the report does not say which group
        assert quote["session"] == "kick-off"


def test_the_pressure_sources_the_report_names_drive_prestatiedruk() -> None:
    m = load_map()
    drivers = {link.source for link in m.links("INFLUENCES") if link.target == "prestatiedruk"}
    assert {
        "individualisme",
        "schoolsysteem",
        "imago-vmbo",
        "verwachtingen-ouders",
        "druk-leeftijdsgenoten",
        "perfectionisme",
    } <= drivers
    levels = {f.id: f["level"] for f in m.factors()}
    assert levels["individualisme"] == "samenleving"
    assert levels["schoolsysteem"] == "organisatie"
    assert levels["verwachtingen-ouders"] == "omgeving"


def test_no_contact_details_in_the_data() -> None:
    text = "\n".join(p.read_text("utf-8") for p in VLEUTEN.glob("*.csv"))
    assert "@" not in text
    assert "potharst" not in text.lower() and "soewena" not in text.lower()
    assert "martinique" not in text.lower()
