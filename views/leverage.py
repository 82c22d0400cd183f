"""The knoppen page: which factors move an outcome most, and who can turn them.

A ranked bar chart of :func:`queries.leverage.leverage_points`: per factor its signed
effect on the outcome (to the right: turning it up raises the outcome; to the left:
it lowers it), how many chains of influence that rests on, and the actors that can
adjust it. An effect that cannot be added up (a link of unknown sign) is shown as
unknown. The caveat says what the ranking is and is not.

>>> from loaders import load_map
>>> svg = leverage_svg(load_map())
>>> "Kan bijsturen: Scholen" in svg, svg.count('class="vk-knob"')
(True, 7)
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from graph import SystemMap
from graph.cycle import outcome
from graph.errors import NoOutcome
from queries.leverage import leverage_points
from views.document import render_document, svg_markup
from views.map import link_statuses, number, on_map
from views.svg import HATCH_ID, Svg, wrap

__all__ = ["leverage_svg", "render_leverage", "write_leverage"]

WORDS: dict[str, dict[str, Any]] = {  # words, and the caveat's paragraphs (a list)
    "nl": {
        "title": "Knoppen",
        "subtitle": "Welke factoren bewegen «{target}» het meest, en wie kan eraan draaien?",
        "raises": "maakt {target} groter →",
        "lowers": "← maakt {target} kleiner",
        "adjust": "Kan bijsturen: {names}",
        "nobody": "Nog niemand gevonden die hieraan kan draaien",
        "chains": "{n} keten",
        "chains_plural": "{n} ketens",
        "unknown": "onbekend",
        "unknown_sign": "{n} met onbekend teken",
        "weights_unknown": "gewichten onbekend: elk verband telt als 1",
        "none": "Geen enkele factor heeft op deze kaart een keten van invloed naar «{target}».",
        "caveat_title": "Hoe lees je dit?",
        "caveat_short": (
            "Een lezing van de kaart, geen meting: {untested} van de {total} verbanden "
            "zijn nog niet getoetst. Zie «Hoe lees je dit?» onder de grafiek."
        ),
        "caveat": [
            "Dit is een lezing van de kaart, geen meting. Per factor tellen we alle ketens "
            "van invloed naar «{target}» op (tot {depth} stappen): versterkend telt plus, "
            "dempend telt min. Een langere balk betekent: volgens de kaart beweegt deze "
            "factor «{target}» sterker, langs meer wegen.",
            "De uitkomst is zo goed als de verbanden waarop ze rust. {untested} van de "
            "{total} verbanden op de kaart zijn nog niet getoetst: toets ze met de "
            "betrokkenen voordat je op deze volgorde bouwt.",
            "Waar gewichten ontbreken telt elk verband even zwaar. Een factor met een "
            "korte balk kan toch belangrijk zijn; en wie eraan kan draaien staat er alleen "
            "bij als dat op de kaart staat.",
        ],
        "no_outcome": "Deze kaart heeft geen uitkomst om knoppen voor te zoeken.",
    },
    "en": {
        "title": "Knobs",
        "subtitle": "Which factors move «{target}» most, and who can turn them?",
        "raises": "raises {target} →",
        "lowers": "← lowers {target}",
        "adjust": "Can adjust: {names}",
        "nobody": "Nobody found yet who can turn this one",
        "chains": "{n} chain",
        "chains_plural": "{n} chains",
        "unknown": "unknown",
        "unknown_sign": "{n} of unknown sign",
        "weights_unknown": "weights unknown: each link counts as 1",
        "none": "No factor on this map has a chain of influence to «{target}».",
        "caveat_title": "How to read this",
        "caveat_short": (
            "A reading of the map, not a measurement: {untested} of the {total} links "
            "have not been tested yet. See «How to read this» below the chart."
        ),
        "caveat": [
            "This is a reading of the map, not a measurement. For each factor we add up "
            "every chain of influence to «{target}» (up to {depth} steps): reinforcing "
            "counts plus, dampening counts minus. A longer bar means: according to the "
            "map this factor moves «{target}» more strongly, along more routes.",
            "The result is as good as the links it rests on. {untested} of the {total} "
            "links on the map have not been tested yet: test them with the people "
            "involved before building on this order.",
            "Where weights are missing, every link counts the same. A factor with a short "
            "bar can still matter; and who can turn it is only listed when the map says so.",
        ],
        "no_outcome": "This map has no outcome to look for knobs for.",
    },
}

WIDTH = 1200
NAME_X, NAME_WIDTH = 70, 380
AXIS_X = 790  # zero of the effect
HALF = 300  # length of the largest effect, either way
FONT_SIZE = 20
ROW_GAP = 14


def leverage_svg(
    m: SystemMap,
    lang: str = "nl",
    *,
    target: str | None = None,
    max_depth: int = 4,
    as_of_round: int | None = None,
) -> str:
    """The ranked chart as a standalone SVG file (text)."""
    target = outcome(m, target, as_of_round)
    table = leverage_points(m, target, max_depth, as_of_round=as_of_round)
    return _chart(m, lang, target, table).render(standalone=True)


def _chart(m: SystemMap, lang: str, target: str, table: pd.DataFrame) -> Svg:
    w = WORDS[lang]
    name = m.node(target).name
    rows = table.to_dict("records")
    known = [abs(float(r["effect"])) for r in rows if not pd.isna(r["effect"])]
    top = max(known, default=1.0) or 1.0
    blocks = []
    for row in rows:
        lines = wrap(str(row["name"]), NAME_WIDTH, FONT_SIZE, max_lines=3)
        height = max(len(lines) * FONT_SIZE * 1.25, 34) + 30 + ROW_GAP
        blocks.append((row, lines, height))
    head = 60
    height = head + sum(b[2] for b in blocks) + 20
    chart = Svg(WIDTH, max(height, 140), title=f"{w['title']}: {name}")
    chart.raw_defs()
    chart.rect(0, 0, WIDTH, max(height, 140), fill="#ffffff")
    chart.text(AXIS_X + 12, 34, w["raises"].format(target=name), size=18, fill="#9a3f00")
    chart.text(
        AXIS_X - 12, 34, w["lowers"].format(target=name), size=18, fill="#00518a", anchor="end"
    )
    if not rows:
        chart.text(NAME_X, head + 40, w["none"].format(target=name), size=FONT_SIZE)
        return chart
    chart.line(AXIS_X, head - 8, AXIS_X, height - 10, stroke="#333333", stroke_width=2)
    names = {a.id: a.name for a in m.actors()}
    y = float(head)
    for rank, (row, lines, block_height) in enumerate(blocks, start=1):
        effect = None if pd.isna(row["effect"]) else float(row["effect"])
        chains = int(row["chains"])
        chain_text = (w["chains"] if chains == 1 else w["chains_plural"]).format(n=chains)
        extra = []
        if row["unknown_sign_chains"]:
            extra.append(w["unknown_sign"].format(n=int(row["unknown_sign_chains"])))
        if not row["weights_known"]:
            extra.append(w["weights_unknown"])
        adjusters = [names.get(a, a) for a in row["adjusted_by"]]
        adjust = w["adjust"].format(names=", ".join(adjusters)) if adjusters else w["nobody"]
        tooltip = "\n".join(
            [
                str(row["name"]),
                f"{w['unknown'] if effect is None else number(effect, lang)} ({chain_text})",
                *extra,
                adjust,
            ]
        )
        chart.group(tooltip=tooltip, class_="vk-knob", data_factor=row["factor"])
        chart.line(
            20,
            y + block_height - ROW_GAP / 2,
            WIDTH - 20,
            y + block_height - ROW_GAP / 2,
            stroke="#e3e0d8",
        )
        chart.text(
            NAME_X - 14, y + FONT_SIZE + 4, f"{rank}.", size=FONT_SIZE, anchor="end", fill="#555555"
        )
        chart.text(NAME_X, y + FONT_SIZE + 4, lines, size=FONT_SIZE, weight="700")
        bar_y = y + 6
        if effect is None:
            chart.rect(
                AXIS_X - HALF / 2,
                bar_y,
                HALF,
                30,
                fill=f"url(#{HATCH_ID})",
                stroke="#666666",
                stroke_dasharray="5 4",
                class_="vk-unknown",
            )
            chart.rect(AXIS_X - 44, bar_y + 4, 88, 22, fill="#ffffff", rx=4)
            chart.text(AXIS_X, bar_y + 21, w["unknown"], size=16, anchor="middle")
        else:
            length = HALF * abs(effect) / top
            left = AXIS_X if effect >= 0 else AXIS_X - length
            chart.rect(
                left,
                bar_y,
                length,
                30,
                fill="#D55E00" if effect >= 0 else "#0072B2",
                class_="vk-effect",
            )
            value = ("+" if effect > 0 else "") + number(effect, lang)
            if effect >= 0:
                chart.text(AXIS_X + length + 8, bar_y + 22, value, size=18, weight="700")
            else:
                chart.text(
                    AXIS_X - length - 8, bar_y + 22, value, size=18, weight="700", anchor="end"
                )
        detail = " · ".join([chain_text, *extra])
        chart.text(AXIS_X + 10, bar_y + 54, detail, size=15, fill="#555555")
        chart.text(
            NAME_X,
            y + FONT_SIZE + 4 + len(lines) * FONT_SIZE * 1.25 + 4,
            adjust,
            size=17,
            fill="#006b4f" if adjusters else "#777777",
            weight="700" if adjusters else None,
            font_style=None if adjusters else "italic",
        )
        chart.end()
        y += block_height
    return chart


def render_leverage(
    m: SystemMap,
    lang: str = "nl",
    *,
    target: str | None = None,
    max_depth: int = 4,
    as_of_round: int | None = None,
    links: list[dict[str, str]] | None = None,
    projector: bool = False,
) -> str:
    """The knoppen page: the ranked chart and the caveat."""
    w = WORDS[lang]
    try:
        target = outcome(m, target, as_of_round)
    except NoOutcome:
        return render_document(
            "leverage.html.j2",
            title=f"{w['title']}: {m.name}",
            lang=lang,
            links=links or (),
            projector=projector,
            w=w,
            chart=None,
            caveat=[],
            caveat_short=w["no_outcome"],
        )
    table = leverage_points(m, target, max_depth, as_of_round=as_of_round)
    name = m.node(target).name
    sheet = [link for link in m.links() if on_map(link.fields, as_of_round)]
    status = link_statuses(m, as_of_round)
    untested = sum(1 for link in sheet if status.get(link.id, "hypothese") == "hypothese")
    caveat = [
        text.format(target=name, depth=max_depth, untested=untested, total=len(sheet))
        for text in w["caveat"]
    ]
    return render_document(
        "leverage.html.j2",
        title=f"{w['title']}: {m.name}",
        subtitle=w["subtitle"].format(target=name),
        lang=lang,
        links=links or (),
        projector=projector,
        w=w,
        chart=svg_markup(_chart(m, lang, target, table).render(standalone=False)),
        caveat=caveat,
        caveat_short=w["caveat_short"].format(untested=untested, total=len(sheet)),
    )


def write_leverage(m: SystemMap, path: str | Path, lang: str = "nl", **options: Any) -> Path:
    """Write the knoppen page to ``path`` and return the path."""
    out = Path(path)
    from loaders.write import write_page  # only a page the tool wrote is replaced

    return write_page(out, render_leverage(m, lang, **options))
