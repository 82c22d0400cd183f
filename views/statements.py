"""The stellingen chart: per statement the agree / neutral / disagree votes and the
priority votes, as the kick-off showed them, with the quotes that go with them.

A count that was not recorded is *unknown*, not zero: it is drawn as a hatched grey
bar with the word "onbekend". The statements chosen as the focus are marked.

>>> from loaders import load_map
>>> svg = statements_svg(load_map())
>>> svg.count(">onbekend<"), svg.count("★ focus")
(12, 2)
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from graph import SystemMap
from graph.catalogue import LANGS, words
from queries.statements import statement_ranking
from views.document import render_document, svg_markup
from views.links import PageLink
from views.map import word
from views.svg import FONT, HATCH_ID, Svg, wrap

__all__ = ["COLORS", "render_statements", "statements_svg", "write_statements"]

#: Colours of the votes (Okabe-Ito, apart on a projector and for colour blindness).
COLORS = {
    "agree": "#009E73",
    "neutral": "#F0E442",
    "disagree": "#D55E00",
    "priority": "#0072B2",
}

WORDS: dict[str, dict[str, str]] = {lang: words("statements", lang) for lang in LANGS}

# Layout of the chart, in SVG units (the page scales it to the screen).
WIDTH = 1200
TEXT_X, TEXT_WIDTH = 24, 400
CAPTION_X = 450
BAR_X = 560
BAR_WIDTH = WIDTH - BAR_X - 90
BAR_HEIGHT = 30
FONT_SIZE = 20
#: The counts of a vote bar, in order.
VOTES = ("agree", "neutral", "disagree")
#: Width of a character in the legend (type of 18) and in the words about unknown
#: counts (type of 15), on the generous side, so that nothing runs off the chart.
LEGEND_CHAR, NOTE_CHAR = 11.0, 9.5
#: Height of a row of the legend.
LEGEND_ROW = 34


def _count(value: Any) -> int | None:
    return None if value is None or pd.isna(value) else int(value)


def statements_svg(m: SystemMap, lang: str = "nl", *, session: str | None = None) -> str:
    """The chart as a standalone SVG file (text)."""
    return _chart(m, lang, session).render(standalone=True)


def _chart(m: SystemMap, lang: str, session: str | None) -> Svg:
    w = WORDS[lang]
    ranking = statement_ranking(m, session)
    rows = ranking.to_dict("records")
    vote_max = max(
        [
            sum(c for c in (_count(r["agree"]), _count(r["neutral"]), _count(r["disagree"])) if c)
            for r in rows
        ]
        or [0]
    )
    priority_max = max([_count(r["priority"]) or 0 for r in rows] or [0])
    # Room after the longest known votes for the words about the unknown ones.
    notes = [_unknown_note(w, {k: _count(r[k]) for k in VOTES}) for r in rows]
    span = BAR_WIDTH - max((_note_width(n) + 6 for n in notes if n), default=0)

    blocks = []
    for row in rows:
        lines = wrap(str(row["text"]), TEXT_WIDTH, FONT_SIZE, max_lines=5)
        text_height = len(lines) * FONT_SIZE * 1.25 + (26 if row["focus"] else 0)
        height = max(text_height, 2 * BAR_HEIGHT + 12) + 28
        blocks.append((row, lines, height))
    legend = _legend_rows(w)
    legend_height = 56 + LEGEND_ROW * (len(legend) - 1)
    height = legend_height + sum(b[2] for b in blocks) + 10
    chart = Svg(WIDTH, max(height, 120), title=w["title"])
    chart.raw_defs()
    chart.rect(0, 0, WIDTH, max(height, 120), fill="#ffffff")
    _legend(chart, legend)
    if not rows:
        chart.text(TEXT_X, legend_height + 40, w["none"], size=FONT_SIZE)
        return chart

    y = float(legend_height)
    for row, lines, block_height in blocks:
        counts = {k: _count(row[k]) for k in (*VOTES, "priority")}
        tooltip = f"{row['text']}\n" + ", ".join(
            f"{w[k]}: {w['unknown'] if v is None else v}" for k, v in counts.items()
        )
        chart.group(tooltip=tooltip, class_="vk-statement", data_statement=row["statement"])
        if row["focus"]:
            chart.rect(4, y + 4, WIDTH - 8, block_height - 8, fill="#fff6d5", rx=8)
            chart.rect(4, y + 4, 8, block_height - 8, fill="#c9a227")
        else:
            chart.line(4, y + block_height, WIDTH - 4, y + block_height, stroke="#d6d3cb")
        text_y = y + 14 + FONT_SIZE
        if row["focus"]:
            chart.text(TEXT_X, text_y, w["focus"], size=17, weight="700", fill="#7a5c00")
            text_y += 26
        chart.text(TEXT_X, text_y, lines, size=FONT_SIZE, weight="700" if row["focus"] else None)
        bar_y = y + (block_height - (2 * BAR_HEIGHT + 12)) / 2
        _vote_bar(chart, w, bar_y, counts, vote_max, span)
        _priority_bar(chart, w, bar_y + BAR_HEIGHT + 12, counts["priority"], priority_max, span)
        chart.end()
        y += block_height
    return chart


def _legend_rows(w: dict[str, str]) -> list[list[tuple[str, str, float]]]:
    """The legend's entries (key, words, x), in as many rows as the chart's width needs."""
    rows: list[list[tuple[str, str, float]]] = [[]]
    x = float(TEXT_X)
    for key in (*VOTES, "priority", "unknown_legend", "focus_legend"):
        swatch = 0 if key == "focus_legend" else 34
        width = swatch + len(w[key]) * LEGEND_CHAR
        if rows[-1] and x + width > WIDTH - TEXT_X:
            rows.append([])
            x = float(TEXT_X)
        rows[-1].append((key, w[key], x))
        x += width + 30
    return rows


def _legend(chart: Svg, rows: list[list[tuple[str, str, float]]]) -> None:
    for r, row in enumerate(rows):
        y = 16 + r * LEGEND_ROW
        for key, label, x in row:
            if key == "focus_legend":
                chart.text(x, y + 18, label, size=18, weight="700", fill="#7a5c00")
                continue
            if key == "unknown_legend":
                chart.rect(
                    x, y, 26, 22, fill=f"url(#{HATCH_ID})", stroke="#666666", stroke_dasharray="4 3"
                )
            else:
                chart.rect(x, y, 26, 22, fill=COLORS[key], stroke="#333333", stroke_width=1)
            chart.text(x + 34, y + 18, label, size=18)


def _unknown_note(w: dict[str, str], counts: dict[str, int | None]) -> str:
    """The words after a vote bar of which some counts are known and others not."""
    if all(counts[k] is None for k in VOTES):
        return ""
    return ", ".join(f"{w[k]}: {w['unknown']}" for k in VOTES if counts[k] is None)


def _note_width(note: str) -> float:
    return len(note) * NOTE_CHAR + 20


def _unknown(chart: Svg, w: dict[str, str], x: float, y: float, width: float) -> None:
    chart.rect(
        x,
        y,
        width,
        BAR_HEIGHT,
        fill=f"url(#{HATCH_ID})",
        stroke="#666666",
        stroke_dasharray="5 4",
        class_="vk-unknown",
    )
    chart.rect(x + 8, y + 4, len(w["unknown"]) * 11 + 12, BAR_HEIGHT - 8, fill="#ffffff", rx=4)
    chart.text(x + 14, y + BAR_HEIGHT - 9, w["unknown"], size=17, fill="#333333")


def _vote_bar(
    chart: Svg,
    w: dict[str, str],
    y: float,
    counts: dict[str, int | None],
    top: int,
    span: float = BAR_WIDTH,
) -> None:
    """The votes of one statement; ``top`` votes fill ``span`` units."""
    chart.text(CAPTION_X, y + BAR_HEIGHT - 8, w["votes"], size=17, fill="#555555")
    known = [k for k in VOTES if counts[k] is not None]
    note = _unknown_note(w, counts)
    if not known:
        _unknown(chart, w, BAR_X, y, BAR_WIDTH)
        return
    x = float(BAR_X)
    for key in known:
        value = counts[key] or 0
        width = span * value / top if top else 0
        chart.rect(
            x,
            y,
            width,
            BAR_HEIGHT,
            fill=COLORS[key],
            stroke="#333333",
            stroke_width=1,
            class_=f"vk-{key}",
        )
        label = f"{w[key]} {value}"
        if width >= len(label) * 10 + 10:
            chart.text(
                x + 6,
                y + BAR_HEIGHT - 9,
                label,
                size=16,
                fill="#000000" if key == "neutral" else "#ffffff",
            )
        x += width
    if note:
        # Known parts drawn to scale; what is unknown is said in words after them.
        text = note
        chart.rect(
            x + 6,
            y,
            _note_width(note),
            BAR_HEIGHT,
            fill=f"url(#{HATCH_ID})",
            stroke="#666666",
            stroke_dasharray="5 4",
            class_="vk-unknown",
        )
        chart.text(x + 14, y + BAR_HEIGHT - 9, text, size=15, fill="#111111")
    else:
        small = (
            [
                f"{w[k]} {counts[k]}"
                for k in known
                if span * (counts[k] or 0) / top < len(f"{w[k]} {counts[k]}") * 10 + 10
            ]
            if top
            else []
        )
        if small:
            chart.text(x + 8, y + BAR_HEIGHT - 9, ", ".join(small), size=15, fill="#333333")


def _priority_bar(
    chart: Svg, w: dict[str, str], y: float, value: int | None, top: int, span: float = BAR_WIDTH
) -> None:
    chart.text(CAPTION_X, y + BAR_HEIGHT - 8, w["priority"], size=17, fill="#555555")
    if value is None:
        _unknown(chart, w, BAR_X, y, BAR_WIDTH)
        return
    width = span * value / top if top else 0
    chart.rect(
        BAR_X,
        y,
        width,
        BAR_HEIGHT,
        fill=COLORS["priority"],
        stroke="#333333",
        stroke_width=1,
        class_="vk-priority",
    )
    chart.text(BAR_X + width + 8, y + BAR_HEIGHT - 9, str(value), size=17, weight="700")


def _quotes(m: SystemMap, lang: str, statement_ids: list[str]) -> list[dict[str, Any]]:
    out = []
    for statement_id in statement_ids:
        quotes = [q for q in m.quotes() if statement_id in q.get("about", ())]
        out.append(
            {
                "text": m.node(statement_id).name,
                "focus": bool(m.node(statement_id).get("focus")),
                "quotes": [
                    {
                        "text": q.name,
                        "who": word(q["group"], lang)
                        + (f", {m.node(q['session']).name}" if q.get("session") in m.graph else ""),
                    }
                    for q in quotes
                ],
            }
        )
    return out


def render_statements(
    m: SystemMap,
    lang: str = "nl",
    *,
    session: str | None = None,
    links: Sequence[PageLink] | None = None,
    projector: bool = False,
) -> str:
    """The stellingen page: the chart, then the quotes per statement."""
    w = WORDS[lang]
    chart = _chart(m, lang, session)
    ranking = statement_ranking(m, session)
    notes = sorted(
        {
            v["note"]
            for v in m.votes
            if v.get("note") and (session is None or v["session"] == session)
        }
    )
    unknown = bool(ranking[["agree", "neutral", "disagree", "priority"]].isna().any().any())
    subtitle = w["subtitle"]
    if session is not None:
        subtitle += " " + w["session"].format(name=m.node(session).name)
    return render_document(
        "statements.html.j2",
        title=f"{w['title']}: {m.name}",
        subtitle=subtitle,
        lang=lang,
        links=links or (),
        projector=projector,
        w=w,
        chart=svg_markup(chart.render(standalone=False)),
        statements=_quotes(m, lang, ranking["statement"].tolist()),
        unknown=unknown,
        notes=notes,
        font=FONT,
    )


def write_statements(m: SystemMap, path: str | Path, lang: str = "nl", **options: Any) -> Path:
    """Write the stellingen page to ``path`` and return the path."""
    out = Path(path)
    from loaders.write import write_page  # only a page the tool wrote is replaced

    return write_page(out, render_statements(m, lang, **options))
