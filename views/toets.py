"""The toetsmodus of the map page: what the page needs to test the map in the session.

In toetsmodus the facilitator steps through the agenda's links one by one (or picks
any link on the map); each is shown as a plain Dutch sentence with its evidence, and
for each the facilitator records every group's verdict and remark, and the groups'
proposals. The page keeps every entry in the browser as it is made and saves the
session as one file that ``versterkt review-import`` reads
(:mod:`loaders.session_file`).

:func:`toets_data` gathers what the page shows: the map and the round tested, the
session, the groups and verdicts, the agenda's links first (the one agenda,
:func:`queries.agenda.agenda`), then the other links on the map, each with its
evidence, and the nodes a proposal can name. The page script is
``templates/toets.js``; :func:`views.page.render_network_page` adds it when given
this data.

>>> from loaders import load_map
>>> data = toets_data(load_map())
>>> data["map"], data["round"], data["format"]
('vleuten', 1, 'versterkt-toetssessie')
>>> first = data["links"][0]
>>> first["sentence"], first["onAgenda"]
('Druk vanuit leeftijdsgenoten vergroot prestatiedruk', True)
"""

from __future__ import annotations

from typing import Any

from graph import SystemMap, schema
from graph.cycle import check_round, present, rounds, status_rows
from loaders.session_file import FORMAT
from queries.agenda import agenda
from queries.phrasing import describe_link
from queries.status import TESTED_KINDS
from views.map import _provenance_lines, _review_lines, link_label, provenance, word

__all__ = ["MAX_LINKS", "TOETS_STRINGS", "toets_data"]

#: The most links the toetsmodus carries: more than any session tests.
MAX_LINKS = 1000

#: Visible text of the toetsmodus, per language. ``{name}`` marks a value the script
#: fills in.
TOETS_STRINGS: dict[str, dict[str, str]] = {
    "nl": {
        "open": "Toetsmodus",
        "title": "Toetsmodus: ronde {round}",
        "close": "Sluiten",
        "session": "Sessie",
        "session_none": "(kies de sessie)",
        "session_of_round": " (sessie van ronde {round})",
        "session_needed": "Kies eerst de sessie waarin u toetst; dan wordt opgeslagen.",
        "keys": (
            "Toetsen: ← → vorig of volgend verband · Tab naar een groep, dan 1 eens, "
            "2 oneens, 3 neutraal, 4 aanvulling · Esc sluiten"
        ),
        "previous": "◀ Vorige",
        "next": "Volgende ▶",
        "position": "Verband {n} van {total} op de agenda",
        "position_other": "Verband buiten de agenda",
        "pick": "Kies een verband",
        "agenda": "Op de agenda",
        "others": "Andere verbanden op de kaart",
        "status": "Status: {status}",
        "reasons": "Waarom op de agenda: {reasons}",
        "evidence": "Waar het op rust",
        "more": "Waarom op de agenda, en waar het op rust",
        "evidence_none": "Nog geen bronnen, citaten of oordelen.",
        "remark": "Wat zei de groep {group}?",
        "remark_needs_verdict": (
            "Kies een oordeel: een opmerking zonder oordeel wordt niet ingelezen."
        ),
        "proposals": "Voorstellen van de groepen",
        "proposal_kind": "Soort voorstel",
        "kind_link": "Nieuw verband",
        "kind_sign": "Ander teken voor dit verband",
        "kind_factor": "Ontbrekende factor",
        "proposal_group": "Voorgesteld door",
        "choose": "(kies)",
        "from": "Van",
        "to": "Naar",
        "sign": "Teken",
        "sign_plus": "+ vergroot",
        "sign_minus": "− verkleint",
        "sign_unknown": "onbekend",
        "name": "Naam van de factor",
        "note": "Toelichting",
        "add": "Voorstel toevoegen",
        "remove": "Verwijderen",
        "proposal_incomplete": "Vul alles in: wie het voorstelt en wat.",
        "proposal_link": "{group}: nieuw verband {from} → {sign} → {to}",
        "proposal_sign": "{group}: {link}: teken {sign}",
        "proposal_factor": "{group}: ontbrekende factor «{name}»",
        "proposals_none": "Nog geen voorstellen.",
        "save": "Opslaan",
        "clear": "Alles wissen",
        "clear_confirm": "Alle oordelen en voorstellen van deze sessie uit deze browser wissen?",
        "kept": "Bewaard in deze browser ({time}): {entries}, {proposals}.",
        "entries_one": "{n} oordeel",
        "entries_other": "{n} oordelen",
        "proposals_one": "{n} voorstel",
        "proposals_other": "{n} voorstellen",
        "kept_none": (
            "Nog niets ingevuld. Alles wat u invult, wordt meteen in deze browser bewaard."
        ),
        "not_kept": ("Let op: deze browser bewaart niets. Sla regelmatig op met «Opslaan»."),
        "saved_file": "Opgeslagen als {file} ({time}). Lees het in met: {command}",
    },
    "en": {
        "open": "Test mode",
        "title": "Test mode: round {round}",
        "close": "Close",
        "session": "Session",
        "session_none": "(choose the session)",
        "session_of_round": " (session of round {round})",
        "session_needed": "First choose the session you are testing in; then it is saved.",
        "keys": (
            "Testing: ← → previous or next link · Tab to a group, then 1 agree, "
            "2 disagree, 3 neutral, 4 addition · Esc closes"
        ),
        "previous": "◀ Previous",
        "next": "Next ▶",
        "position": "Link {n} of {total} on the agenda",
        "position_other": "Link not on the agenda",
        "pick": "Choose a link",
        "agenda": "On the agenda",
        "others": "Other links on the map",
        "status": "Status: {status}",
        "reasons": "Why on the agenda: {reasons}",
        "evidence": "What it rests on",
        "more": "Why on the agenda, and what it rests on",
        "evidence_none": "No sources, quotes or verdicts yet.",
        "remark": "What did the group {group} say?",
        "remark_needs_verdict": "Choose a verdict: a remark without one is not imported.",
        "proposals": "Proposals of the groups",
        "proposal_kind": "Kind of proposal",
        "kind_link": "New link",
        "kind_sign": "Other sign for this link",
        "kind_factor": "Missing factor",
        "proposal_group": "Proposed by",
        "choose": "(choose)",
        "from": "From",
        "to": "To",
        "sign": "Sign",
        "sign_plus": "+ increases",
        "sign_minus": "− decreases",
        "sign_unknown": "unknown",
        "name": "Name of the factor",
        "note": "Note",
        "add": "Add proposal",
        "remove": "Remove",
        "proposal_incomplete": "Fill in everything: who proposes it and what.",
        "proposal_link": "{group}: new link {from} → {sign} → {to}",
        "proposal_sign": "{group}: {link}: sign {sign}",
        "proposal_factor": "{group}: missing factor «{name}»",
        "proposals_none": "No proposals yet.",
        "save": "Save",
        "clear": "Clear all",
        "clear_confirm": "Clear every verdict and proposal of this session from this browser?",
        "kept": "Kept in this browser ({time}): {entries}, {proposals}.",
        "entries_one": "{n} verdict",
        "entries_other": "{n} verdicts",
        "proposals_one": "{n} proposal",
        "proposals_other": "{n} proposals",
        "kept_none": "Nothing entered yet. Everything you enter is kept in this browser at once.",
        "not_kept": "Careful: this browser keeps nothing. Save often with «Save».",
        "saved_file": "Saved as {file} ({time}). Import it with: {command}",
    },
}


def toets_data(
    m: SystemMap,
    lang: str = "nl",
    *,
    round: int | None = None,
    agenda_round: int | None = None,
) -> dict[str, Any]:
    """What the toetsmodus of the map page of ``m`` shows and saves.

    ``round`` is the round the session tests (default: the latest): the verdicts are
    recorded in it. The links are those on the map in that round; ``agenda_round`` is
    the round of the agenda and of the statuses shown (default: the next session,
    every review counted, as ``versterkt agenda`` gives it). The agenda's links come
    first, in its order, then the other links of the kinds tested, by sentence; at
    most :data:`MAX_LINKS` of them, so that the page of a large map stays light.
    """
    if lang not in TOETS_STRINGS:
        raise ValueError(f"lang must be one of {sorted(TOETS_STRINGS)}, got {lang!r}")
    known = rounds(m)
    tested = check_round(known, round) or known[-1]
    check_round(known, agenda_round)
    cited = provenance(m, agenda_round)
    top = agenda(m, agenda_round).to_dict("records")
    reasons = {row["link"]: row["reasons"] for row in top}
    rows = {
        row["link"]: row
        for row in status_rows(m, agenda_round)
        if row["kind"] in TESTED_KINDS and present(m.link(row["link"]).fields, tested)
    }
    order = [row["link"] for row in top if row["link"] in rows]
    order += sorted((k for k in rows if k not in reasons), key=lambda k: describe_link(rows[k]))
    links = []
    for link_id in order[:MAX_LINKS]:
        row, link = rows[link_id], m.link(link_id)
        if lang == "nl":
            sentence = describe_link(row)
        else:
            sentence = f"{row['source_name']} → {link_label(link, lang)} → {row['target_name']}"
        evidence = _review_lines(cited.reviews.get(link_id, []), lang)
        evidence += _provenance_lines(m, link, cited.quotes.get(link_id, ()), lang)
        links.append(
            {
                "id": link_id,
                "sentence": sentence,
                "sign": row["sign"],
                "status": word(row["status"], lang),
                "reasons": "; ".join(reasons.get(link_id, [])),
                "onAgenda": link_id in reasons,
                "evidence": evidence,
            }
        )
    session = next((r.get("session") for r in m.rounds if r["number"] == tested), None)
    nodes = sorted(
        (n for n in m.nodes() if n.kind in ("Actor", "Factor") and present(n.fields, tested)),
        key=lambda n: n.name.casefold(),
    )
    return {
        "format": FORMAT,
        "version": 1,
        "map": m.id,
        "mapName": m.name,
        "round": tested,
        "session": session if session in {s.id for s in m.sessions()} else None,
        "sessions": [{"id": s.id, "name": s.name} for s in m.sessions()],
        "groups": [{"id": g, "label": word(g, lang)} for g in schema.GROUPS],
        "verdicts": [{"id": v, "label": word(v, lang)} for v in schema.VERDICTS],
        "links": links,
        "nodes": [{"id": n.id, "name": n.name} for n in nodes],
        "locale": "nl-NL" if lang == "nl" else "en-GB",
        "strings": TOETS_STRINGS[lang],
    }
