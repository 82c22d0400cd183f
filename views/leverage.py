"""The knoppen page: which factors move an outcome most, and who can turn them.

A ranked bar chart of :func:`queries.leverage.leverage_points`: per factor its signed
effect on the outcome (to the right: turning it up raises the outcome; to the left:
it lowers it), how many chains of influence that rests on, and the actors that can
adjust it. An effect that cannot be added up (a link of unknown sign) is shown as
unknown. The caveat says what the ranking is and is not.

Below it, the ranking that holds up (:func:`queries.knoppen.knoppen`): per factor how
often it moves the outcome most across sampled weights, with its interval and its
range of places, grouped where the samples cannot tell factors apart, with how many
samples were kept and why others were dropped, and how the order holds when one link
is left out (:func:`queries.knoppen.knoppen_robustness`). Last, the archetype
candidates (:func:`queries.archetypes.archetypes`), named as candidates to discuss,
with the role of each factor; the roles per node and link are in the page as JSON (the
``data-roles`` of ``#vk-archetypes``, :func:`queries.archetypes.map_roles`) for a map
to show.

>>> from loaders import load_map
>>> svg = leverage_svg(load_map())
>>> "Kan bijsturen: Scholen" in svg, svg.count('class="vk-knob"')
(True, 7)
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from graph import SystemMap
from graph.catalogue import LANGS, grouped, texts
from graph.cycle import outcome
from graph.errors import NoOutcome, QueryError
from graph.vocabulary import Status
from queries.archetypes import archetypes, map_roles, role_members
from queries.knoppen import SamplingReport, knoppen, knoppen_robustness
from queries.leverage import leverage_points
from views.document import render_document, svg_markup
from views.links import PageLink
from views.map import link_statuses, number, on_map
from views.svg import HATCH_ID, Svg, wrap

__all__ = ["leverage_svg", "render_leverage", "robust_svg", "write_leverage"]

WORDS: dict[str, dict[str, Any]] = {lang: texts("leverage", lang) for lang in LANGS}

#: The words of the ranking that holds up and of the archetype candidates.
ROBUST_WORDS: dict[str, dict[str, str]] = {lang: texts("robust", lang) for lang in LANGS}
ARCHETYPE_WORDS: dict[str, dict[str, Any]] = {lang: texts("archetype", lang) for lang in LANGS}
#: The page draws this many versions of the map for its ranking, and fewer for each
#: variant of its robustness (at most :data:`PAGE_VARIANTS`): a page, not a study.
PAGE_SAMPLES = 1000
PAGE_VARIANT_SAMPLES = 300
PAGE_VARIANTS = 30

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


def _percent(share: float) -> str:
    """A share as a whole percentage: ``0.4`` is ``40%``.

    >>> _percent(0.4), _percent(0.1004), _percent(1.0)
    ('40%', '10%', '100%')
    """
    return f"{round(100 * share)}%"


def _place(low: float, high: float, w: dict[str, str]) -> str:
    low_text, high_text = f"{low:.0f}", f"{high:.0f}"
    if low_text == high_text:
        return w["place_one"].format(low=low_text)
    return w["place"].format(low=low_text, high=high_text)


ROBUST_BAR_X, ROBUST_BAR = 520, 360


def robust_svg(m: SystemMap, lang: str, table: pd.DataFrame) -> Svg:
    """The ranking that holds up as a chart: per factor its share of first places (a
    bar, with its 95% interval as a whisker), its places, who can adjust it; a line
    and a heading where a group of factors the samples cannot tell apart begins."""
    w = ROBUST_WORDS[lang]
    names = {a.id: a.name for a in m.actors()}
    rows = table.to_dict("records")
    blocks = []
    for row in rows:
        lines = wrap(str(row["name"]), NAME_WIDTH, FONT_SIZE, max_lines=3)
        blocks.append((row, lines, max(len(lines) * FONT_SIZE * 1.25, 24) + 36 + ROW_GAP))
    tiers = len({row["tier"] for row in rows})
    height = 20 + sum(b[2] for b in blocks) + 40 * tiers
    chart = Svg(WIDTH, max(height, 80), title=w["title"])
    chart.rect(0, 0, WIDTH, max(height, 80), fill="#ffffff")
    y, tier = 10.0, 0
    for place, (row, lines, block_height) in enumerate(blocks, start=1):
        if row["tier"] != tier:
            tier = row["tier"]
            chart.line(20, y + 8, WIDTH - 20, y + 8, stroke="#999999", stroke_dasharray="6 4")
            chart.text(NAME_X, y + 30, w["tier"].format(tier=tier), size=16, fill="#555555",
                       class_="vk-tier")  # fmt: skip
            y += 40
        adjusters = [names.get(a, a) for a in row["adjusted_by"]]
        adjust = w["adjust"].format(names=", ".join(adjusters)) if adjusters else w["nobody"]
        share = float(row["top_share"])
        share_text = w["share"].format(
            share=_percent(share),
            low=_percent(float(row["top_low"])),
            high=_percent(float(row["top_high"])),
        )
        place_text = _place(float(row["rank_low"]), float(row["rank_high"]), w)
        chart.group(tooltip="\n".join([str(row["name"]), share_text, place_text, adjust]),
                    class_="vk-robust", data_factor=row["factor"], data_tier=str(tier))  # fmt: skip
        chart.text(NAME_X - 14, y + FONT_SIZE + 4, f"{place}.", size=FONT_SIZE, anchor="end",
                   fill="#555555")  # fmt: skip
        chart.text(NAME_X, y + FONT_SIZE + 4, lines, size=FONT_SIZE, weight="700")
        chart.text(NAME_X, y + FONT_SIZE + 8 + len(lines) * FONT_SIZE * 1.25, adjust, size=15,
                   fill="#006b4f" if adjusters else "#777777")  # fmt: skip
        bar_y = y + 6
        chart.rect(ROBUST_BAR_X, bar_y, ROBUST_BAR, 26, fill="#f1efe9")
        chart.rect(ROBUST_BAR_X, bar_y, ROBUST_BAR * share, 26, fill="#D55E00",
                   class_="vk-share")  # fmt: skip
        low_x = ROBUST_BAR_X + ROBUST_BAR * float(row["top_low"])
        high_x = ROBUST_BAR_X + ROBUST_BAR * float(row["top_high"])
        for x1, y1, x2, y2 in (
            (low_x, bar_y + 13, high_x, bar_y + 13),
            (low_x, bar_y + 5, low_x, bar_y + 21),
            (high_x, bar_y + 5, high_x, bar_y + 21),
        ):
            chart.line(x1, y1, x2, y2, stroke="#1b1b1b", stroke_width=2, class_="vk-interval")
        chart.text(ROBUST_BAR_X + ROBUST_BAR + 14, bar_y + 20, place_text, size=16,
                   weight="700")  # fmt: skip
        chart.text(ROBUST_BAR_X, bar_y + 46, share_text, size=15, fill="#555555")
        chart.end()
        y += block_height
    return chart


def sampling_note(report: SamplingReport, target: str, lang: str) -> str:
    """What the sampling of the knoppen kept and dropped, and whether it tells the
    factors apart, as sentences in ``lang`` (the page's words; the command prints them
    as its note)."""
    return " ".join(_report_lines(report, target, lang))


def _report_lines(report: SamplingReport, target: str, lang: str) -> list[str]:
    w = ROBUST_WORDS[lang]
    if report.exact:
        lines = [w["exact"]]
    else:
        lines = [
            w["kept"].format(kept=grouped(report.kept, lang), drawn=grouped(report.drawn, lang))
        ]
        if report.unstable:
            lines.append(w["unstable"].format(n=grouped(report.unstable, lang), target=target))
        for obs, count in report.contradicting.items():
            if count:
                lines.append(w["contradicts"].format(n=grouped(count, lang), obs=obs))
    if not report.kept:
        lines.append(w["none_kept"])
    elif report.candidates > 1 and len(report.tied) == report.candidates:
        key = "alike" if report.alike else "tied"
        lines.append(w[key].format(n=report.candidates, target=target))
    return lines


def _robustness_lines(
    m: SystemMap, lang: str, target: str, name: str, as_of_round: int | None
) -> list[str]:
    w = ROBUST_WORDS[lang]
    found = knoppen_robustness(
        m, target, samples=PAGE_VARIANT_SAMPLES, max_variants=PAGE_VARIANTS,
        as_of_round=as_of_round,
    )  # fmt: skip
    without = found[(found["variant"] == "without") & found["tau"].notna()]
    lines = []
    if without.empty:
        lines.append(w["robust_none"])
    else:
        lines.append(
            w["robust"].format(
                n=len(without),
                low=number(float(without["tau"].min()), lang),
                high=number(float(without["tau"].max()), lang),
                same=int(without["same_top"].sum()),
            )
        )
    confirmed = found[found["variant"] == "confirmed"].iloc[0]
    if confirmed["links"] == 0 or math.isnan(confirmed["tau"]):
        text = w["confirmed_none"].format(target=name)
    else:
        top = m.node(confirmed["top"]).name if confirmed["top"] else "?"
        text = w["confirmed_tau"].format(tau=number(float(confirmed["tau"]), lang), top=top)
    lines.append(w["confirmed"].format(text=text))
    return lines


def _robust_section(
    m: SystemMap, lang: str, target: str, as_of_round: int | None
) -> dict[str, Any]:
    w = ROBUST_WORDS[lang]
    name = m.node(target).name
    try:
        table = knoppen(m, target, samples=PAGE_SAMPLES, as_of_round=as_of_round)
    except QueryError as e:
        return {"title": w["title"], "intro": w["unavailable"].format(reason=e), "chart": None,
                "report": []}  # fmt: skip
    report = table.attrs["report"]
    lines = _report_lines(report, name, lang)
    chart = None
    if report.kept and len(table):
        chart = svg_markup(robust_svg(m, lang, table).render(standalone=False))
        if len(report.tied) < report.candidates:  # an order to test
            lines += _robustness_lines(m, lang, target, name, as_of_round)
    return {
        "title": w["title"],
        "intro": w["intro"].format(drawn=grouped(report.drawn, lang), target=name),
        "chart": chart,
        "report": lines,
    }


def _archetype_section(m: SystemMap, lang: str, as_of_round: int | None) -> dict[str, Any]:
    from queries.archetypes import TEXTBOOK_LENGTH

    w = ARCHETYPE_WORDS[lang]
    try:
        found = archetypes(m, as_of_round=as_of_round)
    except QueryError as e:
        return {"title": w["title"], "intro": w["too_many"].format(reason=e), "items": [],
                "none": "", "data": "{}"}  # fmt: skip
    names = {node.id: node.name for node in m.nodes()}
    items = []
    for row in found.to_dict("records"):
        roles = [
            {"label": w["roles"][role], "names": ", ".join(names.get(n, n) for n in members)}
            for role, members in role_members(row["roles"]).items()
        ]
        items.append(
            {
                "code": row["archetype"],
                "name": w["names"][row["archetype"]],
                "roles": roles,
                "loops": w["loops"].format(n=len(row["loops"])),
                "nodes": " ".join(row["nodes"]),
            }
        )
    data = json.dumps(map_roles(found), ensure_ascii=False, sort_keys=True)
    return {
        "title": w["title"],
        "intro": w["intro"],
        "items": items,
        "none": w["none"].format(n=TEXTBOOK_LENGTH),
        "data": data,
    }


def render_leverage(
    m: SystemMap,
    lang: str = "nl",
    *,
    target: str | None = None,
    max_depth: int = 4,
    as_of_round: int | None = None,
    links: Sequence[PageLink] | None = None,
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
            robust=None,
            archetypes=_archetype_section(m, lang, as_of_round),
        )
    table = leverage_points(m, target, max_depth, as_of_round=as_of_round)
    name = m.node(target).name
    sheet = [link for link in m.links() if on_map(link.fields, as_of_round)]
    status = link_statuses(m, as_of_round)
    untested = sum(
        1 for link in sheet if status.get(link.id, Status.HYPOTHESIS) == Status.HYPOTHESIS
    )
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
        robust=_robust_section(m, lang, target, as_of_round),
        archetypes=_archetype_section(m, lang, as_of_round),
    )


def write_leverage(m: SystemMap, path: str | Path, lang: str = "nl", **options: Any) -> Path:
    """Write the knoppen page to ``path`` and return the path."""
    out = Path(path)
    from loaders.write import write_page  # only a page the tool wrote is replaced

    return write_page(out, render_leverage(m, lang, **options))
