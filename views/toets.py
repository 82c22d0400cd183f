"""The toetsmodus of the map page: what the page needs to test the map in the session.

In toetsmodus the facilitator steps through the agenda's links one by one (or picks
any link on the map); each is shown as a plain sentence (Dutch, or English) with its evidence, and
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

import heapq
from typing import Any

from graph import SystemMap, schema
from graph.catalogue import LANGS, check_lang, words
from graph.cycle import check_round, outcome, present, rounds, status_rows
from graph.errors import NoOutcome
from loaders.session_file import FORMAT
from queries.agenda import agenda_rows, link_leverage
from queries.phrasing import describe_link, phrase
from queries.status import TESTED_KINDS
from views.provenance import Provenance, _provenance_lines, _review_lines, provenance, word

__all__ = ["MAX_LINKS", "TOETS_STRINGS", "toets_data"]

#: The most links the toetsmodus carries: more than any session tests.
MAX_LINKS = 1000

#: Visible text of the toetsmodus, per language. ``{name}`` marks a value the script
#: fills in.
TOETS_STRINGS: dict[str, dict[str, str]] = {lang: words("toets", lang) for lang in LANGS}


def toets_data(
    m: SystemMap,
    lang: str = "nl",
    *,
    round: int | None = None,
    agenda_round: int | None = None,
    cited: Provenance | None = None,
) -> dict[str, Any]:
    """What the toetsmodus of the map page of ``m`` shows and saves.

    ``round`` is the round the session tests (default: the latest): the verdicts are
    recorded in it. The links are those on the map in that round; ``agenda_round`` is
    the round of the agenda and of the statuses shown (default: the next session,
    every review counted, as ``versterkt agenda`` gives it). The agenda's links come
    first, in its order, then the other links of the kinds tested, by sentence; at
    most :data:`MAX_LINKS` of them, so that the page of a large map stays light.
    ``cited`` is the :func:`~views.provenance.provenance` of ``agenda_round``, when
    it is already at hand (the map page cites the same in its tooltips).
    """
    check_lang(lang)
    known = rounds(m)
    tested = check_round(known, round) or known[-1]
    check_round(known, agenda_round)
    if cited is None:
        cited = provenance(m, agenda_round)
    # the agenda of queries.agenda.agenda, from the status rows computed once here
    status = status_rows(m, agenda_round)
    leverage: dict[str, tuple[float, str]] = {}
    target_name: str | None = None
    try:
        target = outcome(m, None, agenda_round)
    except NoOutcome:
        pass
    else:
        leverage = link_leverage(m, agenda_round, target, 4)
        target_name = m.node(target).name
    fields = {link_id: f for link_id, _, _, _, f in m.link_rows()}
    rows = {
        row["link"]: row
        for row in status
        if row["kind"] in TESTED_KINDS and present(fields[row["link"]], tested)
    }
    # only the links shown are put into words (all of them, should one shown be left)
    top = agenda_rows(status, leverage, target_name, TESTED_KINDS, phrased=MAX_LINKS)
    order = [row["link"] for row in top if row["link"] in rows]
    shown = set(order[:MAX_LINKS])
    if any(row["statement"] is None for row in top if row["link"] in shown):
        top = agenda_rows(status, leverage, target_name, TESTED_KINDS)
    reasons = {row["link"]: row["reasons"] for row in top}
    rest = (k for k in rows if k not in reasons)
    order += heapq.nsmallest(
        max(MAX_LINKS - len(order), 0), rest, key=lambda k: describe_link(rows[k])
    )
    links = []
    for link_id in order[:MAX_LINKS]:
        row, link = rows[link_id], m.link(link_id)
        evidence = _review_lines(cited.reviews.get(link_id, []), lang)
        evidence += _provenance_lines(m, link, cited.quotes.get(link_id, ()), lang)
        links.append(
            {
                "id": link_id,
                "sentence": phrase(describe_link(row), lang),
                "sign": row["sign"],
                "status": word(row["status"], lang),
                "reasons": "; ".join(phrase(r, lang) for r in reasons.get(link_id, [])),
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
