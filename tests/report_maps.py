"""Maps for the tests of the terugkoppeling (``versterkt verslag``): a map made in
Kumu and taken through one round of the cycle, with what a report must show."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from pathlib import Path
from typing import Any

from graph import SystemMap
from graph.adjust import add_link, open_round, retire_link
from loaders.interchange import read_map
from views.bundle import session_agenda
from views.changes import changes_data

KUMU = Path(__file__).parent / "interchange" / "kumu-project.json"


def imported_map() -> SystemMap:
    """The Kumu test map, then a session: two statements (one with counts unknown),
    quotes of two groups, the groups' verdicts in round 1, and round 2 with a link
    added and one retired, each with its reason."""
    m, _ = read_map(KUMU)
    links = sorted(link.id for link in m.links())
    factors = sorted(node.id for node in m.nodes() if node.kind == "Factor")
    m.add_node(
        "Session",
        "eerste-sessie",
        "Eerste sessie",
        session_kind="toetsing",
        date=dt.date(2026, 3, 12),
    )
    m.add_node("Statement", "cijfers-houvast", "Cijfers geven houvast & rust", focus=True)
    m.add_node("Statement", "minder-toetsen", "Scholen moeten minder toetsen")
    m.add_record(
        "votes",
        statement="cijfers-houvast",
        session="eerste-sessie",
        agree=4,
        neutral=None,
        disagree=2,
        priority=5,
    )
    m.add_record("votes", statement="minder-toetsen", session="eerste-sessie")
    m.add_node(
        "Quote",
        "citaat-ouder",
        "Een cijfer zegt niet alles over een kind.",
        group="ouder",
        session="eerste-sessie",
        about=("cijfers-houvast",),
    )
    m.add_node(
        "Quote",
        "citaat-jongere",
        "De toetsweek voelt als een snelkookpan.",
        group="jongere",
        session="eerste-sessie",
        about=(factors[0],),
    )
    m.add_record(
        "reviews",
        id="r1-ouder",
        link=links[0],
        round=1,
        group="ouder",
        verdict="oneens",
        session="eerste-sessie",
        note="Bij ons thuis werkt het andersom.",
    )
    m.add_record(
        "reviews",
        id="r1-jongere",
        link=links[1],
        round=1,
        group="jongere",
        verdict="eens",
        session="eerste-sessie",
        note="Herkenbaar in de toetsweek.",
    )
    open_round(m, name="Na de eerste sessie", session="eerste-sessie")
    add_link(
        m,
        2,
        "nieuw-verband",
        "INFLUENCES",
        factors[-1],
        factors[0],
        sign="-",
        reason="Jongeren: rust in de week verkleint de druk.",
        prompted_by=("r1-jongere",),
    )
    retire_link(
        m, 2, links[0], reason="Ouders: dit verband herkennen ze niet.", prompted_by=("r1-ouder",)
    )
    return m


def pdf_text(path: Path) -> list[str]:
    """The text of each page of the PDF ``path``, as :func:`plain` makes it."""
    from pypdf import PdfReader

    return [plain(page.extract_text()) for page in PdfReader(path).pages]


def plain(text: str) -> str:
    """Text compared as a reader sees it: ligatures and widths folded, spaces and line
    breaks as one space."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).strip()


def what_a_report_says(m: SystemMap, k: int, lang: str = "nl") -> dict[str, list[str]]:
    """What the report of round ``k`` must hold, as the other pages phrase it: every
    statement, every quote and its group, every review note of round ``k``, every
    change with its reason and every link of the agenda."""
    from views.map import word

    known = sorted(r["number"] for r in m.rounds)
    earlier = max([r for r in known if r < k], default=0)
    later = min([r for r in known if r > k], default=None)
    changes: list[str] = []
    if earlier:
        for note in changes_data(m, earlier, k, lang)[3]:
            changes.extend(note["items"])
    quotes: list[str] = []
    for q in m.quotes():
        quotes += [f"«{q.name}»", word(q["group"], lang)]
    notes: list[Any] = [r["note"] for r in m.reviews if r["round"] == k and r.get("note")]
    return {
        "statements": [s.name for s in m.statements()],
        "quotes": quotes,
        "reviews": notes,
        "changes": changes,
        "agenda": [row["link"] for row in session_agenda(m, lang, as_of_round=later)],
    }
