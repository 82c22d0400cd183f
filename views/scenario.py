"""The scenario page: if a group turns a knob, what moves, and how sure are we?

For each scenario (a knob turned up or down) a chart of
:func:`queries.scenarios.scenario_by_perspective`: one row per factor or actor that
moves, and side by side one panel per perspective (all links, only the confirmed
ones, each group's judged map). In each panel a bar to its median change (right: up,
left: down) with a line for the interval of the changes over the draws of the
unknown weights. A factor whose direction depends on those weights gets no bar and
no number: a hatched band over its interval and the word «onzeker». Factors that do
not move are listed below the chart. Dutch by default; offline, like every page.

>>> from loaders import load_map
>>> html = render_scenario(load_map(), draws=50)
>>> html.count('vk-scenario"'), "Wat als we hieraan draaien?" in html
(4, True)
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from graph import SystemMap
from graph.catalogue import LANGS, texts
from queries._common import adjusters
from queries.scenarios import DEFAULT_WEIGHT_RANGE, concept_map, scenario_by_perspective
from views.document import render_document, svg_markup
from views.links import PageLink
from views.map import number
from views.svg import HATCH_ID, Svg, wrap

__all__ = ["default_turns", "render_scenario", "scenario_svg", "write_scenario"]

WORDS: dict[str, dict[str, Any]] = {lang: texts("scenario", lang) for lang in LANGS}

WIDTH = 1200
NAME_WIDTH = 330
LEFT = 30
PANEL_GAP = 24
FONT_SIZE = 19
ROW = 52
#: Room under a chart's rows for its axis and the numbers on it.
AXIS = 40
UP, DOWN = "#D55E00", "#0072B2"
#: At most this many knobs get scenarios on the page, this many rows a chart, and
#: this many names the list of what does not move: a page for a projector.
MAX_KNOBS = 6
MAX_ROWS = 25
MAX_LISTED = 40


def default_turns(m: SystemMap, as_of_round: int | None = None) -> list[dict[str, float]]:
    """Each knob of the map (a factor an actor can adjust), turned down and turned up."""
    concepts = set(concept_map(m, as_of_round).ids())
    knobs = sorted(k for k in adjusters(m, as_of_round) if k in concepts)[:MAX_KNOBS]
    return [{knob: value} for knob in knobs for value in (-1.0, 1.0)]


def _label(perspective: str, w: Mapping[str, Any]) -> str:
    return w["perspectives"].get(perspective) or w["group"].format(group=perspective)


def _reach(table: pd.DataFrame) -> float:
    """The largest change, up or down, a chart of ``table`` draws (its bars and lines)."""
    moving = table[~table["turned"] & (table["direction"] != "unchanged")]
    return max((abs(v) for v in (*moving["low"], *moving["high"])), default=0.0)


def axis_ticks(reach: float) -> tuple[float, list[float]]:
    """The end of a scale that holds ``reach``, and its ticks from minus to plus that end.

    The step is 1, 2 or 5 times a power of ten, with two or three steps on each side,
    so the numbers under the axis are round.

    >>> axis_ticks(0.114)
    (0.15, [-0.15, -0.1, -0.05, 0.0, 0.05, 0.1, 0.15])
    >>> axis_ticks(0)
    (1.0, [-1.0, -0.5, 0.0, 0.5, 1.0])
    """
    if reach <= 0:
        return 1.0, [-1.0, -0.5, 0.0, 0.5, 1.0]
    power = 10.0 ** math.floor(math.log10(reach / 3))
    step = next(f * power for f in (1, 2, 5, 10) if reach / (f * power) <= 3)
    end = math.ceil(reach / step - 1e-9) * step
    count = round(end / step)
    return round(end, 12), [round(k * step, 12) for k in range(-count, count + 1)]


def _chart(
    table: pd.DataFrame, lang: str, title: str, reach: float | None = None
) -> tuple[Svg, list[str], str]:
    """The chart of one scenario, the names of what does not move, and a line saying
    how many that move are left out of the chart (empty when none is).

    ``reach`` is the change the scale runs to on each side; the charts of one page share
    it, so equal changes are drawn equally long on the whole page."""
    w = WORDS[lang]
    perspectives = list(dict.fromkeys(table["perspective"]))
    others = table[~table["turned"]]
    moving = others.loc[others["direction"] != "unchanged", "node"].unique().tolist()
    still = others[~others["node"].isin(moving)]["name"].unique().tolist()
    if len(still) > MAX_LISTED:
        still = [*still[:MAX_LISTED], w["more"].format(n=len(still) - MAX_LISTED)]
    # the rows in the order of the answer: what moves most (in any perspective) first
    moving_nodes = moving[:MAX_ROWS]
    rows = others[others["node"].isin(moving_nodes)]
    top, ticks = axis_ticks(_reach(table) if reach is None else reach)
    panel = (WIDTH - LEFT - NAME_WIDTH - PANEL_GAP * len(perspectives)) / len(perspectives)
    head = 84
    bottom = head + ROW * len(moving_nodes)
    height = bottom + AXIS
    chart = Svg(WIDTH, height, title=title)
    chart.raw_defs()
    chart.rect(0, 0, WIDTH, height, fill="#ffffff")
    centres = []
    for k, perspective in enumerate(perspectives):
        x0 = LEFT + NAME_WIDTH + PANEL_GAP * (k + 1) + panel * k
        centre = x0 + panel / 2
        centres.append((perspective, x0, centre))
        chart.text(
            centre,
            24,
            wrap(_label(perspective, w), panel, 16, 3),
            size=16,
            weight="700",
            anchor="middle",
        )
        chart.line(centre, head - 10, centre, bottom, stroke="#333333", stroke_width=2)
        # the axis: the same scale in every panel and every chart of the page
        half = panel / 2 - 10
        chart.group(class_="vk-axis", data_perspective=perspective)
        chart.line(centre - half, bottom + 6, centre + half, bottom + 6, stroke="#333333")
        for i, tick in enumerate(ticks):
            x = centre + tick / top * half
            chart.line(x, bottom + 6, x, bottom + 12, stroke="#333333")
            label = ("+" if tick > 0 else "") + number(tick, lang, 3)
            # the numbers at the ends stay inside their own panel
            anchor = "start" if i == 0 else "end" if i == len(ticks) - 1 else "middle"
            chart.text(x, bottom + 28, label, size=13, anchor=anchor, fill="#333333")
        chart.end()
    by_key = {(r["perspective"], r["node"]): r for r in rows.to_dict("records")}
    for i, node in enumerate(moving_nodes):
        y = head + ROW * i
        name = by_key[(perspectives[0], node)]["name"]
        chart.line(LEFT, y + ROW - 4, WIDTH - 20, y + ROW - 4, stroke="#e3e0d8")
        chart.text(
            LEFT, y + 28, wrap(str(name), NAME_WIDTH, FONT_SIZE, 1), size=FONT_SIZE, weight="700"
        )
        for perspective, x0, centre in centres:
            row = by_key[(perspective, node)]
            scale = (panel / 2 - 10) / top
            low, high = centre + row["low"] * scale, centre + row["high"] * scale
            tooltip = "\n".join(
                [
                    f"{name} ({_label(perspective, w)})",
                    w["share"].format(up=f"{row['share_up']:.0%}", down=f"{row['share_down']:.0%}"),
                    w["interval"].format(
                        low=number(row["low"], lang, 3), high=number(row["high"], lang, 3)
                    ),
                ]
            )
            chart.group(
                tooltip=tooltip,
                class_="vk-change",
                data_node=node,
                data_perspective=perspective,
                data_direction=row["direction"],
            )
            if row["direction"] == "uncertain":
                chart.rect(
                    low,
                    y + 8,
                    max(high - low, 2),
                    28,
                    fill=f"url(#{HATCH_ID})",
                    stroke="#666666",
                    stroke_dasharray="5 4",
                    class_="vk-uncertain",
                )
                chart.rect(centre - 42, y + 12, 84, 20, fill="#ffffff", rx=4)
                chart.text(centre, y + 28, w["uncertain"], size=15, anchor="middle")
            elif row["direction"] == "unchanged":
                chart.text(centre, y + 28, "—", size=16, anchor="middle", fill="#777777")
            else:
                change = float(row["change"])
                end = centre + change * scale
                chart.rect(
                    min(centre, end),
                    y + 10,
                    abs(end - centre),
                    24,
                    fill=UP if change > 0 else DOWN,
                    class_="vk-bar",
                )
                chart.line(
                    low,
                    y + 22,
                    high,
                    y + 22,
                    stroke="#1b1b1b",
                    stroke_width=2,
                    class_="vk-interval",
                )
                for x in (low, high):
                    chart.line(x, y + 14, x, y + 30, stroke="#1b1b1b", stroke_width=2)
                value = ("+" if change > 0 else "") + number(change, lang, 3)
                chart.text(
                    min(x0 + panel, max(end, high) + 6)
                    if change > 0
                    else max(x0, min(end, low) - 6),
                    y + 48,
                    value,
                    size=14,
                    anchor="end" if change > 0 else "start",
                    fill="#333333",
                )
            chart.end()
    hidden = w["more_moving"].format(n=len(moving) - MAX_ROWS) if len(moving) > MAX_ROWS else ""
    return chart, still, hidden


def scenario_svg(m: SystemMap, turn: Mapping[str, float], lang: str = "nl", **options: Any) -> str:
    """One scenario's chart as a standalone SVG file (text)."""
    table = scenario_by_perspective(m, turn, **options)
    chart, _, _ = _chart(table, lang, _title(m, turn, lang))
    return chart.render(standalone=True)


def _title(m: SystemMap, turn: Mapping[str, float], lang: str) -> str:
    w = WORDS[lang]
    return ", ".join(
        w["turned"]["up" if value > 0 else "down"].format(name=m.node(node).name)
        + ("" if abs(value) == 1 else f" ({number(value, lang)})")
        for node, value in turn.items()
    )


def render_scenario(
    m: SystemMap,
    lang: str = "nl",
    *,
    turns: Sequence[Mapping[str, float]] | None = None,
    as_of_round: int | None = None,
    draws: int = 1000,
    links: Sequence[PageLink] | None = None,
    projector: bool = False,
) -> str:
    """The scenario page: one chart per turn (default: :func:`default_turns`)."""
    w = WORDS[lang]
    turns = default_turns(m, as_of_round) if turns is None else turns
    tables = [
        scenario_by_perspective(m, turn, as_of_round=as_of_round, draws=draws) for turn in turns
    ]
    # one scale for the whole page: a change of +0,02 is never drawn as long as -0,11
    reach = max((_reach(table) for table in tables), default=0.0)
    sections = []
    for turn, table in zip(turns, tables, strict=True):
        title = _title(m, turn, lang)
        chart, still, hidden = _chart(table, lang, title, reach)
        sections.append(
            {
                "title": title,
                "chart": svg_markup(chart.render(standalone=False)),
                "still": still,
                "hidden": hidden,
                "id": "-".join(f"{node}{'-op' if v > 0 else '-af'}" for node, v in turn.items()),
            }
        )
    unsigned = sum(1 for link in concept_map(m, as_of_round).links if link["sign"] is None)
    low, high = DEFAULT_WEIGHT_RANGE
    caveat = [
        text.format(draws=draws, low=number(low, lang), high=number(high, lang), unsigned=unsigned)
        for text in w["caveat"]
    ]
    return render_document(
        "scenario.html.j2",
        title=f"{m.name}: {w['title']}",
        subtitle=w["subtitle"],
        lang=lang,
        links=links or (),
        projector=projector,
        w=w,
        sections=sections,
        caveat=caveat,
    )


def write_scenario(m: SystemMap, path: str | Path, lang: str = "nl", **options: Any) -> Path:
    """Write the scenario page to ``path`` and return the path."""
    out = Path(path)
    from loaders.write import write_page  # only a page the tool wrote is replaced

    return write_page(out, render_scenario(m, lang, **options))
