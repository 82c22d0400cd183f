"""The terugkoppeling: a printable report of one round, the way the programme writes
them after each session.

One A4 page of HTML for print, built from the same data and the same words as the
other pages: a title page (programme, round, date), the facilitator's own
introduction, the statements with their votes and priority chart (a count not
recorded is *unknown*, never zero), what each group said (by group, never by person),
the map as of the round as a vector picture, what changed since the round before and
why, the agenda of the next session, the facilitator's next steps, and the sociale
kaart's initiatives and meeting places. A section with nothing to show says so in a
sentence.

The page prints in black and white: a link's status is told by its line (dashed,
solid, dash-dot, dotted) and a mark (✓, ?, ✗), a node's kind by its shape. Headless
Chromium, the browser the map pages are tested in, prints it to PDF
(:func:`print_pdf`); fonts are those installed (DejaVu Sans), which Chromium embeds,
and nothing is fetched: the page allows no request at all.

>>> from loaders import EXAMPLE_CYCLE, load_map
>>> page = render_report(load_map(EXAMPLE_CYCLE / "ronde-2"), 2)
>>> "Terugkoppeling" in page, "In ronde 2 is nog geen verband getoetst" in page
(True, True)
"""

from __future__ import annotations

import datetime as dt
import math
import os
import re
import shutil
import signal
import subprocess
import tempfile
from collections import defaultdict
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from markupsafe import Markup

from graph import Node, SystemMap, schema
from graph.catalogue import LANGS, check_lang, texts
from graph.cycle import check_round, on_the_map, rounds
from graph.errors import PrintError, ReportError, VersterktError, said
from graph.phrasing import link_sentence
from graph.vocabulary import Review, Status
from loaders.write import PAGE, Output, file_start, replacing, write_page
from queries.consensus import consensus
from views.bundle import WORDS as BUNDLE_WORDS
from views.bundle import session_agenda
from views.changes import WORDS as CHANGES_WORDS
from views.changes import changes_data
from views.map import (
    STATUS_STYLES,
    SYSTEM_KINDS,
    link_statuses,
    map_data,
    map_positions,
    number,
    on_map,
    word,
)
from views.page import (
    PROJECTOR_FONT_SIZE,
    PROJECTOR_LABEL_WIDTH,
    _environment,
    _inline_style,
    _template_text,
)
from views.social_map import SOCIAL_LINKS, social_map_data
from views.social_map import WORDS as SOCIAL_WORDS
from views.statements import WORDS as STATEMENT_WORDS
from views.statements import statements_svg
from views.svg import FONT, Svg, wrap

__all__ = [
    "CHROMIUM",
    "REPORT_PDF",
    "WORDS",
    "ReportError",
    "is_report_pdf",
    "map_svg",
    "print_pdf",
    "render_report",
    "write_report",
]

#: The browser that prints the report, unless ``VERSTERKT_CHROMIUM`` names another.
CHROMIUM = "/usr/bin/chromium"
#: Seconds the browser may take to print a report.
PRINT_TIMEOUT = 120.0

WORDS: dict[str, dict[str, Any]] = {lang: texts("report", lang) for lang in LANGS}


def _date(day: dt.date, lang: str) -> str:
    """``13 oktober 2022``: a date as people in ``lang`` write it."""
    month = WORDS[lang]["months"].split()[day.month - 1]
    return f"{day.day} {month} {day.year}"


def _paragraphs(text: Any) -> list[str]:
    """A facilitator's text as paragraphs (split at blank lines), kept verbatim."""
    if not text:
        return []
    text = str(text).replace("\r\n", "\n")
    return [p.strip("\n") for p in re.split(r"\n\s*\n", text) if p.strip()]


def _subject(m: SystemMap, item: str, lang: str) -> str:
    if item in m.graph:
        return m.node(item).name
    try:
        return link_sentence(m, m.link(item), lang)
    except (KeyError, VersterktError):
        return item


# --------------------------------------------------------------------------- the map


#: Type of the labels on the printed map, in the layout's units (its projector type).
MAP_FONT = float(PROJECTOR_FONT_SIZE)
#: Dashes of a hypothesis (the page's default dashes), in the map's units.
HYPOTHESIS_DASHES = (12.0, 8.0)


def _tint(color: str, share: float = 0.75) -> str:
    """``color`` mixed with white: light enough for black text, in print and in grey."""
    r, g, b = (int(color[i : i + 2], 16) for i in (1, 3, 5))
    return "#{:02X}{:02X}{:02X}".format(*(round(v + (255 - v) * share) for v in (r, g, b)))


def _dasharray(status: str, width: float) -> str | None:
    """The dash pattern of a link's status, as on the map page, scaled to its width."""
    dashes = STATUS_STYLES.get(status, STATUS_STYLES[Status.HYPOTHESIS]).dashes
    if dashes is False:
        return None
    pattern = HYPOTHESIS_DASHES if dashes is True else dashes
    scale = max(1.0, width / 3)
    return " ".join(f"{d * scale:g}" for d in pattern)


def _shape(chart: Svg, kind: str, x: float, y: float, w: float, h: float, color: str) -> None:
    """A node's outline by its kind, so kinds differ in grey as well as in colour."""
    fill, stroke = _tint(color), "#333333"
    if kind == "Actor":
        chart.rect(x, y, w, h, rx=h / 2, fill=fill, stroke=stroke, stroke_width=2.5)
    elif kind == "Initiative":
        c = min(h / 2.5, 14.0)
        corners = [(x + c, y), (x + w - c, y), (x + w, y + c), (x + w, y + h - c)]
        corners += [(x + w - c, y + h), (x + c, y + h), (x, y + h - c), (x, y + c)]
        chart.polygon(corners, fill=fill, stroke=stroke, stroke_width=2.5)
    elif kind == "Place":
        chart.rect(x, y, w, h, fill=fill, stroke=stroke, stroke_width=2.5)
        chart.rect(x + 4, y + 4, w - 8, h - 8, fill="none", stroke=stroke, stroke_width=1.2)
    else:
        chart.rect(x, y, w, h, rx=4, fill=fill, stroke=stroke, stroke_width=1.5)


def _node_lines(label: str) -> list[str]:
    return wrap(label, PROJECTOR_LABEL_WIDTH, MAP_FONT, max_lines=3)


def _node_box(lines: list[str]) -> tuple[float, float]:
    width = max(len(line) for line in lines) * MAP_FONT * 0.6 + MAP_FONT
    return width, len(lines) * MAP_FONT * 1.2 + MAP_FONT * 0.7


def _clip(cx: float, cy: float, hw: float, hh: float, dx: float, dy: float) -> float:
    """How far from a box's centre (half sizes ``hw``, ``hh``) a line in direction
    (dx, dy) (a unit vector) leaves it."""
    return min(hw / abs(dx) if dx else math.inf, hh / abs(dy) if dy else math.inf)


#: A map this many times wider than tall gets a page of its own, turned sideways.
WIDE = 1.25
#: The most the printed map spreads the page's positions apart (see :func:`_spread`).
MAX_SPREAD = 2.5
#: Room kept between two elements of the printed map, in its units.
GAP = 40.0


def _spread(
    where: Mapping[str, tuple[float, float]], sizes: Mapping[str, tuple[float, float]]
) -> float:
    """How far to move the elements apart (a factor on their positions, their boxes
    kept as they are) so that no two boxes overlap: at least 1, at most
    :data:`MAX_SPREAD`. The page lays labels out for the screen; print keeps them apart."""
    ids = sorted(where)
    if len(ids) > 400:  # a large map: the page's own positions, as they are
        return 1.0
    need = 1.0
    for a_index, a in enumerate(ids):
        (ax, ay), (aw, ah) = where[a], sizes[a]
        for b in ids[a_index + 1 :]:
            (bx, by), (bw, bh) = where[b], sizes[b]
            dx, dy = abs(ax - bx), abs(ay - by)
            apart_x = (aw + bw) / 2 + GAP
            apart_y = (ah + bh) / 2 + GAP
            if dx >= apart_x or dy >= apart_y:
                continue
            # the smaller of the two factors that separate the boxes in x or in y
            factor = min(apart_x / dx if dx else math.inf, apart_y / dy if dy else math.inf)
            need = max(need, factor)
    return min(need, MAX_SPREAD)


def map_svg(m: SystemMap, lang: str = "nl", *, as_of_round: int | None = None) -> str:
    """The map as of ``as_of_round`` as a static SVG picture (to sit in a page); ``""``
    when nothing is on the map.

    Its elements stand where the map page draws them (:func:`views.map.map_positions`),
    moved apart as far as print needs: the actors, factors, initiatives and places with
    their links, coloured by sign and marked with it (+, −), drawn with the line and the
    mark of their status (:data:`views.map.STATUS_STYLES`).
    """
    chart = _map_picture(m, lang, as_of_round)
    return "" if chart is None else chart.render(standalone=False)


def _map_picture(m: SystemMap, lang: str, as_of_round: int | None) -> Svg | None:
    nodes, edges, _ = map_data(m, lang, as_of_round=as_of_round)
    kinds = {kind.lower() for kind in SYSTEM_KINDS}
    drawn = [n for n in nodes if n["group"] in kinds]
    if not drawn:
        return None
    where = map_positions(m, as_of_round=as_of_round)
    boxes = {}
    for n in drawn:
        lines = _node_lines(n["label"])
        boxes[n["id"]] = (lines, *_node_box(lines))
    ids = set(boxes)
    status = link_statuses(m, as_of_round)
    lines_drawn = [e for e in edges if e["from"] in ids and e["to"] in ids and e["from"] != e["to"]]

    spread = _spread({i: where[i] for i in ids}, {i: (b[1], b[2]) for i, b in boxes.items()})
    where = {i: (where[i][0] * spread, where[i][1] * spread) for i in ids}
    pad = 30.0
    left = min(where[i][0] - boxes[i][1] / 2 for i in ids) - pad
    right = max(where[i][0] + boxes[i][1] / 2 for i in ids) + pad
    top = min(where[i][1] - boxes[i][2] / 2 for i in ids) - pad
    bottom = max(where[i][1] + boxes[i][2] / 2 for i in ids) + pad
    chart = Svg(right - left, bottom - top, title=WORDS[lang]["map"].format(round=as_of_round))
    chart.rect(0, 0, right - left, bottom - top, fill="#ffffff")

    def at(node_id: str) -> tuple[float, float]:
        x, y = where[node_id]
        return x - left, y - top

    pairs = {(e["from"], e["to"]) for e in lines_drawn}
    labels = []
    for e in lines_drawn:
        (x1, y1), (x2, y2) = at(e["from"]), at(e["to"])
        length = math.hypot(x2 - x1, y2 - y1)
        if length < 1:
            continue
        dx, dy = (x2 - x1) / length, (y2 - y1) / length
        if (e["to"], e["from"]) in pairs:  # both ways: two lines side by side
            x1, y1, x2, y2 = x1 - dy * 9, y1 + dx * 9, x2 - dy * 9, y2 + dx * 9
        _, sw, sh = boxes[e["from"]]
        _, tw, th = boxes[e["to"]]
        start = _clip(x1, y1, sw / 2 + 3, sh / 2 + 3, dx, dy)
        end = _clip(x2, y2, tw / 2 + 3, th / 2 + 3, dx, dy)
        if start + end >= length:
            continue
        width = float(e["width"])
        ax, ay = x1 + dx * start, y1 + dy * start
        bx, by = x2 - dx * end, y2 - dy * end
        arrow = e.get("arrows") == "to"
        head = 10 + 2 * width
        line_end = (bx - dx * head * 0.8, by - dy * head * 0.8) if arrow else (bx, by)
        chart.line(
            ax,
            ay,
            *line_end,
            stroke=e["color"],
            stroke_width=width,
            stroke_dasharray=_dasharray(status.get(e["id"], Status.HYPOTHESIS), width),
            class_="vk-link",
            data_link=e["id"],
        )
        if arrow:
            half = head * 0.45
            back_x, back_y = bx - dx * head, by - dy * head
            tip = [(bx, by), (back_x - dy * half, back_y + dx * half)]
            chart.polygon([*tip, (back_x + dy * half, back_y - dx * half)], fill=e["color"])
        # the sign and the status's mark (+ ✓); a link of another kind only its mark
        label = e.get("projector_label") or ""
        if label:
            labels.append(((ax + bx) / 2, (ay + by) / 2, str(label)))
    # the marks under the elements: a mark may hide behind an element, never a name
    for x, y, label in labels:
        size = MAP_FONT * 0.8
        width = len(label) * size * 0.62 + 8
        chart.rect(x - width / 2, y - size * 0.8, width, size * 1.2, rx=4, fill="#ffffff")
        chart.text(x, y + size * 0.25, label, size=size, anchor="middle", weight="700")
    for n in drawn:
        lines, w, h = boxes[n["id"]]
        x, y = at(n["id"])
        kind = m.node(n["id"]).kind
        _shape(chart, kind, x - w / 2, y - h / 2, w, h, n["color"])
        first = y - h / 2 + MAP_FONT * 0.35 + MAP_FONT
        chart.text(x, first, lines, size=MAP_FONT, anchor="middle", fill="#000000")
    return chart


def _legend_sample(entry: Mapping[str, Any], shape: str | None = None, mark: str = "") -> Markup:
    """A small picture of a legend entry: a node's shape, or a link's line with the
    ``mark`` the map puts on it (its sign)."""
    sample = Svg(54, 22)
    if entry["kind"] == "node" and shape:
        _shape(sample, shape, 3, 3, 48, 16, entry["color"])
    else:
        dashes = entry.get("dashes")
        if dashes is True:
            pattern = " ".join(f"{d / 2:g}" for d in HYPOTHESIS_DASHES)
        elif dashes:
            pattern = " ".join(f"{float(d) / 2:g}" for d in dashes)
        else:
            pattern = None
        sample.line(2, 11, 52, 11, stroke=entry["color"], stroke_width=3, stroke_dasharray=pattern)
        if mark:
            sample.rect(19, 2, 16, 18, rx=3, fill="#ffffff")
            sample.text(27, 16, mark, size=14, anchor="middle", weight="700")
    return Markup(sample.render(standalone=False))


def _map_legend(m: SystemMap, lang: str, as_of_round: int | None) -> list[dict[str, Any]]:
    """The map page's legend entries that the printed map shows, each with a sample."""
    _, _, entries = map_data(m, lang, as_of_round=as_of_round)
    by_label = {}
    for kind, style in schema.NODE_STYLES.items():
        by_label[style.label_nl if lang == "nl" else style.label_en] = kind
    elements, _ = on_the_map(m, as_of_round)
    present = {node.kind for node in elements}
    # a sign's line carries its mark, as on the map: + and − stay apart in grey
    labels = schema.SIGN_LABELS_NL if lang == "nl" else schema.SIGN_LABELS_EN
    signs = {labels[sign]: {"+": "+", "-": "−"}.get(sign or "", "?") for sign in labels}
    out = []
    for entry in entries:
        if entry["kind"] == "node":
            node_kind = by_label.get(entry["label"])
            if node_kind is None or node_kind not in SYSTEM_KINDS or node_kind not in present:
                continue
            out.append({"label": entry["label"], "sample": _legend_sample(entry, node_kind)})
        elif entry.get("projector", True) is not False:
            mark = signs.get(entry["label"], "")
            out.append({"label": entry["label"], "sample": _legend_sample(entry, mark=mark)})
    return out


# --------------------------------------------------------------------------- sections


def _said(m: SystemMap, k: int, lang: str) -> dict[str, Any]:
    """What the groups said: the quotes on the map in round ``k``, and the reactions
    (reviews with their notes) of round ``k``, each by group."""
    quotes: dict[str, list[dict[str, str]]] = defaultdict(list)
    for quote in m.quotes():
        if not on_map(quote.fields, k):
            continue
        where = m.node(quote["session"]).name if quote.get("session") in m.graph else ""
        about = [_subject(m, item, lang) for item in quote.get("about", ())]
        quotes[word(quote["group"], lang)].append(
            {"text": quote.name, "session": where, "about": "; ".join(about)}
        )
    reviews: dict[str, list[dict[str, str]]] = defaultdict(list)
    for review in sorted(map(Review.from_row, m.reviews), key=lambda r: (r.group, r.id)):
        if review.round != k:
            continue
        try:
            link = link_sentence(m, m.link(review.link), lang)
        except (KeyError, VersterktError):
            link = review.link
        reviews[word(review.group, lang)].append(
            {
                "link": link,
                "verdict": word(review.verdict, lang),
                "note": review.note or "",
            }
        )
    return {
        "quotes": sorted(quotes.items()),
        "reviews": sorted(reviews.items()),
    }


#: How many links and statements the report lists by their consensus.
AGREEMENT_ROWS = 12


def _agreement(m: SystemMap, as_of_round: int | None, lang: str) -> list[dict[str, Any]]:
    """Where the groups agree (:func:`queries.consensus.consensus`): the links and
    statements the groups voted on, most consensus first, and every one that divides
    the groups, at most :data:`AGREEMENT_ROWS` in all."""
    table = consensus(m, as_of_round)
    voted = table[table["consensus"].notna()]
    rows = voted.to_dict("records")
    shown = rows[:AGREEMENT_ROWS]
    shown += [r for r in rows[AGREEMENT_ROWS:] if r["divided"]][:AGREEMENT_ROWS]
    out = []
    for row in shown:
        if row["kind"] == "Statement":
            text = row["text"]
            groups = ", ".join(m.node(g).name if g in m.graph else g for g in row["groups"])
        else:
            text = link_sentence(m, m.link(row["item"]), lang)
            groups = ", ".join(word(g, lang) for g in row["groups"])
        out.append(
            {
                "text": text,
                "groups": groups,
                "consensus": number(float(row["consensus"]), lang),
                "divided": bool(row["divided"]),
            }
        )
    return out


def _social(m: SystemMap, k: int, lang: str) -> dict[str, Any]:
    """The sociale kaart's initiatives and meeting places in round ``k``, with what
    they are linked to, and the notes of the sociale kaart page."""
    elements, links = on_the_map(m, k)
    initiatives = [n for n in elements if n.kind == "Initiative"]
    places = [n for n in elements if n.kind == "Place"]
    touching: dict[str, list[str]] = defaultdict(list)
    for link in links:
        if link.derived or link.kind not in SOCIAL_LINKS:
            continue
        for end in dict.fromkeys((link.source, link.target)):
            touching[end].append(link_sentence(m, link, lang))

    def item(node: Node, detail: str) -> dict[str, Any]:
        return {"name": node.name, "detail": detail, "links": touching.get(node.id, [])}

    w = WORDS[lang]
    notes: list[dict[str, Any]] = []
    if initiatives or places:
        _, _, _, notes = social_map_data(m, lang, as_of_round=k)
    return {
        "title": SOCIAL_WORDS[lang]["title"],
        "initiatives": [item(n, n.get("description") or "") for n in initiatives],
        "places": [
            item(n, w["address"].format(address=n["address"]) if n.get("address") else "")
            for n in places
        ],
        "notes": notes,
    }


def _next_sessions(m: SystemMap, k: int, lang: str) -> list[str]:
    """The sessions still to come after round ``k``: those no round up to ``k`` is
    about and in which nothing was recorded yet (no votes, quotes, reactions or
    attendance), with their date and time when known, the earliest first."""
    w = WORDS[lang]
    held = {r.get("session") for r in m.rounds if r["number"] <= k}
    for table in ("votes", "reviews", "attendance"):
        held |= {row.get("session") for row in m.records.get(table, ())}
    held |= {q.get("session") for q in m.quotes()}
    coming = [s for s in m.sessions() if s.id not in held and on_map(s.fields, k)]
    coming.sort(
        key=lambda s: (not isinstance(s.get("date"), dt.date), s.get("date") or dt.date.max)
    )
    out = []
    for session in coming:
        when = session.get("date")
        day = _date(when, lang) if isinstance(when, dt.date) else w["date_unknown"]
        if session.get("time"):
            day += f", {session['time']}"
        out.append(f"{session.name}: {day}")
    return out


def _changes(m: SystemMap, earlier: int, k: int, lang: str) -> list[dict[str, Any]]:
    """The lists of the what-changed page (:func:`views.changes.changes_data`): each
    change with its reasons; for the first round only the sentence that says so."""
    notes = changes_data(m, earlier, k, lang)[3]
    return notes[:1] if earlier == 0 else notes


def _title_date(m: SystemMap, round_record: Mapping[str, Any], lang: str, today: dt.date) -> str:
    """The round's session and its date when the map knows it; else the day it is made."""
    w = WORDS[lang]
    session = round_record.get("session")
    if session is not None and session in m.graph:
        node = m.node(session)
        when = node.get("date")
        if isinstance(when, dt.date):
            return w["session"].format(session=node.name, date=_date(when, lang))
    return w["made"].format(date=_date(today, lang))


def render_report(
    m: SystemMap, round: int | None = None, lang: str = "nl", *, today: dt.date | None = None
) -> str:
    """The terugkoppeling of round ``round`` (default: the latest) as one page for print.

    ``today`` is the date on the title page when the round's session has none
    (default: the day it is made). Every text from the data is escaped.
    """
    check_lang(lang)
    known = rounds(m)
    k = check_round(known, round) or known[-1]
    earlier = max([r for r in known if r < k], default=0)
    later = min([r for r in known if r > k], default=None)
    w = WORDS[lang]
    record = next((r for r in m.rounds if r["number"] == k), {"number": k})
    round_name = record.get("name") or ""
    statements = STATEMENT_WORDS[lang]
    has_statements = bool(m.statements())
    chart = ""
    unknown = False
    if has_statements:
        svg = statements_svg(m, lang)
        chart = svg[svg.index("<svg") :]
        unknown = ">" + statements["unknown"] + "<" in svg
    bundle = BUNDLE_WORDS[lang]
    picture = _map_picture(m, lang, k)
    drawn_map = "" if picture is None else picture.render(standalone=False)
    title = w["doc_title"].format(round=k, name=m.name)
    context = {
        "lang": lang,
        "title": title,
        "w": w,
        "css": _inline_style(_template_text("report.css")),
        "font": FONT,
        "programme": m.name,
        "description": m.meta.get("description") or "",
        "round_line": w["round"].format(round=k, name=round_name)
        if round_name
        else w["round_only"].format(round=k),
        "round": k,
        "date": _title_date(m, record, lang, today or dt.date.today()),
        "introduction": _paragraphs(record.get("introduction")),
        "next_steps": _paragraphs(record.get("next_steps")),
        "statements": {
            "title": statements["title"],
            "subtitle": statements["subtitle"],
            "chart": Markup(chart),
            "none": statements["none"],
            "unknown_note": statements["unknown_note"] if unknown else "",
        },
        "said": _said(m, k, lang),
        "agreement": _agreement(m, later, lang),
        "map": {
            "title": w["map"].format(round=k),
            "svg": Markup(drawn_map),
            # a map wider than tall is printed on a page turned sideways
            "wide": picture is not None and picture.width > WIDE * picture.height,
            "legend": _map_legend(m, lang, k) if drawn_map else [],
        },
        "changes": {
            "title": CHANGES_WORDS[lang]["title_rounds"].format(a=earlier, b=k)
            if earlier
            else w["first_changes"],
            "notes": _changes(m, earlier, k, lang),
        },
        "agenda": {
            "title": bundle["agenda"],
            "intro": bundle["agenda_intro"],
            "empty": bundle["agenda_empty"],
            "rows": session_agenda(m, lang, as_of_round=later),
            "sessions": _next_sessions(m, k, lang),
        },
        "social": _social(m, k, lang),
    }
    return (
        _environment()
        .get_template("report.html.j2")
        .render(csp=_csp(), has_statements=has_statements, **context)
    )


def _csp() -> str:
    """The page may load nothing: no script, no font, no picture from anywhere."""
    return "; ".join(
        [
            "default-src 'none'",
            "style-src 'unsafe-inline'",
            "img-src data:",
            "base-uri 'none'",
            "form-action 'none'",
        ]
    )


# --------------------------------------------------------------------------- printing

#: The title every report's PDF starts with, in each language.
_TITLE_STARTS = tuple(words["report"] for words in WORDS.values())


def is_report_pdf(path: Path) -> bool:
    """Whether ``path`` is a report this module printed: a PDF made by Chromium whose
    title is that of a terugkoppeling."""
    start = file_start(path)
    if not start.startswith(b"%PDF-") or b"/Producer (Skia/PDF" not in start:
        return False
    marks = []
    for word_ in _TITLE_STARTS:
        marks.append(b"/Title (" + word_.encode("ascii"))
        marks.append(b"/Title <FEFF" + word_.encode("utf-16-be").hex().upper().encode())
    return any(mark in start for mark in marks)


#: A printed report: one PDF file.
REPORT_PDF = Output(said("write.what.report"), False, is_report_pdf)


def chromium_path(chromium: str | Path | None = None) -> str:
    """The browser to print with: ``chromium``, else ``VERSTERKT_CHROMIUM``, else
    :data:`CHROMIUM`; :class:`PrintError` when there is none."""
    name = str(chromium or os.environ.get("VERSTERKT_CHROMIUM") or CHROMIUM)
    found = shutil.which(name)
    if found is None:
        raise PrintError(said("report.no_chromium", name=name))
    return found


def print_pdf(
    page: str,
    path: str | Path,
    *,
    chromium: str | Path | None = None,
    timeout: float = PRINT_TIMEOUT,
) -> Path:
    """Print the page ``page`` (HTML text) to the PDF file ``path`` with headless
    Chromium, all or nothing; only a report printed before is replaced."""
    binary = chromium_path(chromium)
    out = Path(path)
    with tempfile.TemporaryDirectory(prefix="versterkt-verslag-") as tmp:
        source = Path(tmp) / "verslag.html"
        source.write_text(page, encoding="utf-8")
        with replacing(out, REPORT_PDF) as copy:
            command = [
                binary,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--no-default-browser-check",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-extensions",
                "--no-pdf-header-footer",
                f"--user-data-dir={Path(tmp) / 'profiel'}",
                f"--print-to-pdf={copy}",
                source.as_uri(),
            ]
            _run(command, timeout, out, Path(tmp))
            if not file_start(copy, 5).startswith(b"%PDF-"):
                raise PrintError(said("report.no_pdf", path=str(out)))
    return out


def _run(command: list[str], timeout: float, out: Path, home: Path) -> None:
    """Run the browser; all its processes end when it takes longer than ``timeout``."""
    process = subprocess.Popen(
        command,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
        env={**os.environ, "HOME": str(home)},
    )
    try:
        _, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        raise PrintError(
            said("report.print_timeout", path=str(out), seconds=f"{timeout:g}")
        ) from None
    if process.returncode != 0:
        last = [line for line in err.decode("utf-8", "replace").splitlines() if line.strip()]
        why = last[-1].strip() if last else f"exit code {process.returncode}"
        raise PrintError(said("report.print_failed", path=str(out), why=why))


def write_report(
    m: SystemMap,
    path: str | Path,
    *,
    round: int | None = None,
    lang: str = "nl",
    chromium: str | Path | None = None,
    today: dt.date | None = None,
) -> Path:
    """Write the terugkoppeling of ``round`` to ``path``: a PDF for a ``.pdf`` path
    (printed by headless Chromium, see :func:`print_pdf`), else the page for print
    (``.html``). A file there is replaced only when it is a report written before."""
    out = Path(path)
    suffix = out.suffix.lower()
    if suffix not in (".pdf", ".html", ".htm"):
        raise ReportError(said("report.file_kind", path=str(out)))
    page = render_report(m, round, lang, today=today)
    if suffix == ".pdf":
        return print_pdf(page, out, chromium=chromium)
    return write_page(out, page, PAGE)
