"""What a live session asks, and what its answers come to.

:func:`session_plan` takes from the map what the session puts to the phones, in
order: the statements (stellingen) of the round, the first links of the agenda (the
one agenda, :func:`queries.agenda.agenda`), and last the priority pick, where each
phone picks up to three statements to explore further, as in the kick-off. The plan
is journaled when the session begins, so a restart asks the same things even if the
map was adjusted meanwhile.

:func:`session_file` turns the journaled answers into the file the map page's
toetsmodus saves (:mod:`loaders.session_file`), read back by the same import as the
review form: per group and link one verdict (:func:`group_verdict`, with the counts
and the group's remarks as its note), per statement the votes and priority picks
(the ``stemmen`` sheet, remarks by group in its note), and how many phones of each
group took part (``deelname``).

>>> group_verdict({"eens": 3, "oneens": 1}), group_verdict({"eens": 2, "oneens": 2})
('eens', 'neutraal')
>>> group_verdict({"aanvulling": 2}), group_verdict({})
('aanvulling', None)
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from typing import Any

from graph import SystemMap, schema
from graph.catalogue import DEFAULT_LANG, LANGS, message
from graph.cycle import check_round, positions, present, review_counts, rounds
from graph.cycle import status_from_positions as _status
from graph.errors import QueryError
from graph.vocabulary import Review, Verdict
from loaders.session_file import FORMAT
from queries.agenda import agenda
from queries.phrasing import phrase

__all__ = [
    "ANSWERS",
    "PRIORITY",
    "PRIORITY_PICKS",
    "group_verdict",
    "link_status",
    "priority_counts",
    "session_file",
    "session_plan",
]

#: The answers a phone gives to a statement or a link.
ANSWERS = tuple(v.value for v in Verdict)
#: The answers to a statement (the stemmen sheet counts these).
STATEMENT_ANSWERS = (Verdict.AGREE.value, Verdict.NEUTRAL.value, Verdict.DISAGREE.value)
#: The id of the priority pick among the items.
PRIORITY = "prioriteit"
#: How many statements a phone may pick as most important.
PRIORITY_PICKS = 3


def session_plan(
    m: SystemMap,
    *,
    round: int | None = None,
    session: str | None = None,
    links: int = 5,
    groups: Sequence[str] = (),
) -> dict[str, Any]:
    """What a session on ``m`` asks, in order, as plain data (journaled as it is).

    ``round`` is the round tested (default: the latest), ``session`` the session it is
    (default: the round's own), ``links`` how many links of the agenda are put,
    ``groups`` the groups a phone may join (default: every group).
    """
    known = rounds(m)
    tested = check_round(known, round) or known[-1]
    sessions = [s.id for s in m.sessions()]
    if session is None:
        session = next((r.get("session") for r in m.rounds if r["number"] == tested), None)
    if not session or session not in sessions:
        listed = ", ".join(sessions) or "none"
        what = f"unknown session {session!r}" if session else "no session for the round"
        raise QueryError(f"{what} (sessions: {listed})")
    for group in groups:
        if group not in schema.GROUPS:
            raise QueryError(f"unknown group {group!r} (groups: {', '.join(schema.GROUPS)})")
    items: list[dict[str, Any]] = [
        {"kind": "stelling", "id": s.id, "text": s.name}
        for s in m.statements()
        if present(s.fields, tested)
    ]
    statements = [item["id"] for item in items]
    top = agenda(m, tested).to_dict("records")
    counted: dict[str, list[Review]] = {}  # by link, in order: by round, then as recorded
    for review in sorted(map(Review.from_row, m.reviews), key=lambda r: r.round):
        if review_counts(review, tested):
            counted.setdefault(review.link, []).append(review)
    for row in top[: max(links, 0)]:
        link = m.link(row["link"])
        if not present(link.fields, tested):
            continue
        agreeing, disagreeing = positions(counted.get(link.id, ()))
        items.append(
            {
                "kind": "relatie",
                "id": link.id,
                "text": row["statement"],
                # the sentence in each language, for the pages of a session in either
                "texts": {lang: phrase(row["statement"], lang) for lang in LANGS},
                "status": row["status"],
                "agreeing": agreeing,
                "disagreeing": disagreeing,
            }
        )
    if statements:
        question = message("sessie.page.priority", DEFAULT_LANG)
        items.append({"kind": PRIORITY, "id": PRIORITY, "text": question})
    return {
        "map": m.id,
        "mapName": m.name,
        "round": tested,
        "session": session,
        "sessionName": next(s.name for s in m.sessions() if s.id == session),
        "groups": list(groups or schema.GROUPS),
        "statements": statements,
        "items": items,
    }


def group_verdict(counts: Mapping[str, int]) -> str | None:
    """The verdict of a group from how many of its phones gave each answer: the most
    given of eens, oneens and neutraal (a tie between them: neutraal, the group did not
    agree); aanvulling when that is all it gave; None without answers."""
    said = {a: counts.get(a, 0) for a in (Verdict.AGREE, Verdict.DISAGREE, Verdict.NEUTRAL)}
    most = max(said.values())
    if most == 0:
        return Verdict.REMARK.value if counts.get(Verdict.REMARK, 0) else None
    winners = [a for a, n in said.items() if n == most]
    return str(winners[0]) if len(winners) == 1 else Verdict.NEUTRAL.value


def link_status(item: Mapping[str, Any], tally: Mapping[str, Mapping[str, int]]) -> str:
    """The status the link of ``item`` would get with the session's verdicts, each
    group's the latest (over those recorded before)."""
    latest: dict[str, str] = {g: Verdict.AGREE for g in item.get("agreeing", ())}
    latest.update({g: Verdict.DISAGREE for g in item.get("disagreeing", ())})
    for group, counts in tally.items():
        verdict = group_verdict(counts)
        if verdict and verdict != Verdict.REMARK:
            latest[group] = verdict
    return _status(
        [g for g, v in latest.items() if v == Verdict.AGREE],
        [g for g, v in latest.items() if v == Verdict.DISAGREE],
    )


def priority_counts(
    answers: Sequence[Mapping[str, Any]], statements: Sequence[str]
) -> dict[str, int]:
    """How many phones picked each statement, from the latest priority answers (each
    the picked ids joined by commas)."""
    out = dict.fromkeys(statements, 0)
    for row in answers:
        for picked in str(row["answer"]).split(","):
            if picked in out:
                out[picked] += 1
    return out


def _counted(counts: Mapping[str, int]) -> str:
    return ", ".join(f"{counts.get(a, 0)} {a}" for a in ANSWERS)


def _remarks(rows: Sequence[Mapping[str, Any]], by_group: bool) -> str:
    said = [(r["group"], r["remark"]) for r in rows if r.get("remark")]
    if not said:
        return ""
    if by_group:
        return " Opmerkingen: " + "; ".join(f"{g}: «{text}»" for g, text in said)
    return " Opmerkingen: " + " ".join(f"«{text}»" for _, text in said)


def session_file(
    plan: Mapping[str, Any], latest: Sequence[Mapping[str, Any]], phones: Mapping[str, int]
) -> dict[str, Any]:
    """The saved session (:mod:`loaders.session_file`) of the answers ``latest`` (each
    phone's latest answer per item, with its group) to ``plan``; ``phones`` is how many
    phones joined per group."""
    by_item: dict[str, list[Mapping[str, Any]]] = {}
    for row in latest:
        by_item.setdefault(row["item"], []).append(row)
    entries = []
    votes = []
    picks = priority_counts(by_item.get(PRIORITY, []), plan["statements"])
    for item in plan["items"]:
        rows = by_item.get(item["id"], [])
        if item["kind"] == "relatie":
            for group in plan["groups"]:
                mine = [r for r in rows if r["group"] == group]
                counts: dict[str, int] = {}
                for r in mine:
                    counts[r["answer"]] = counts.get(r["answer"], 0) + 1
                verdict = group_verdict(counts)
                if verdict is None:
                    continue
                note = f"Live sessie: {_counted(counts)}.{_remarks(mine, False)}"
                entries.append(
                    {"link": item["id"], "group": group, "verdict": verdict, "note": note}
                )
        elif item["kind"] == "stelling":
            # a question nobody answered has unknown counts, not 0 (the stemmen sheet)
            if not rows and not by_item.get(PRIORITY):
                continue
            counts = {}
            for r in rows:
                counts[r["answer"]] = counts.get(r["answer"], 0) + 1
            vote: dict[str, Any] = {"statement": item["id"]}
            if rows:
                vote.update({a: counts.get(a, 0) for a in STATEMENT_ANSWERS})
            if by_item.get(PRIORITY):
                vote["prioriteit"] = picks.get(item["id"], 0)
            said = _remarks(rows, True).strip()
            if said:
                vote["note"] = said
            votes.append(vote)
    return {
        "format": FORMAT,
        "version": 1,
        "map": plan["map"],
        "round": plan["round"],
        "session": plan["session"],
        "saved": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "entries": entries,
        "proposals": [],
        "votes": votes,
        "attendance": [
            {"group": g, "count": int(n)}
            for g, n in sorted(phones.items())
            if n and g in schema.GROUPS
        ],
    }
