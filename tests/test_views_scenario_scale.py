"""The scenario page draws every chart on one scale, with an axis: a change of +0,02
is never drawn as long as one of -0,11 (the Vleuten map's two knobs move the outcome
by very different amounts)."""

from __future__ import annotations

import lxml.html
import pytest

from loaders import VLEUTEN, load_map
from queries.scenarios import scenario_by_perspective
from views.scenario import axis_ticks, default_turns, render_scenario

DRAWS = 100


def test_equal_changes_are_drawn_equally_long_in_every_chart_of_the_page() -> None:
    m = load_map(VLEUTEN)
    turns = default_turns(m)
    page = lxml.html.fromstring(render_scenario(m, turns=turns, draws=DRAWS))
    sections = page.xpath("//section[contains(@class, 'vk-scenario')]")
    assert len(sections) == len(turns) >= 2
    per_unit = []
    reaches = []
    for section, turn in zip(sections, turns, strict=True):
        table = scenario_by_perspective(m, turn, draws=DRAWS)
        change = {(r["perspective"], r["node"]): r["change"] for r in table.to_dict("records")}
        for bar in section.xpath(".//g[contains(@class, 'vk-change')]"):
            rect = bar.xpath("./rect[contains(@class, 'vk-bar')]")
            if rect:
                value = change[(bar.get("data-perspective"), bar.get("data-node"))]
                per_unit.append(float(rect[0].get("width")) / abs(value))
        moving = table[~table["turned"] & (table["direction"] != "unchanged")]
        reaches.append(max(abs(v) for v in (*moving["low"], *moving["high"])))
    # the two knobs move the outcome by amounts far apart, yet one scale serves both
    assert max(reaches) > 3 * min(reaches)
    assert len(per_unit) >= 4
    assert max(per_unit) == pytest.approx(min(per_unit), rel=0.02)

    # every panel of every chart has the same axis, numbered in Dutch, reaching past the
    # largest change on the page
    end, ticks = axis_ticks(max(reaches))
    assert end >= max(reaches)
    expected = [("+" if t > 0 else "") + f"{t:g}".replace(".", ",") for t in ticks]
    axes = page.xpath("//g[contains(@class, 'vk-axis')]")
    assert (
        len(axes)
        == sum(len(s.xpath(".//g[contains(@class, 'vk-axis')]")) for s in sections)
        >= 2 * len(sections)
    )
    for axis in axes:
        assert [t.text_content() for t in axis.xpath(".//text")] == expected


@pytest.mark.parametrize(
    ("reach", "end", "step"),
    [(0.114, 0.15, 0.05), (0.023, 0.03, 0.01), (2.4, 3.0, 1.0), (0.3, 0.3, 0.1), (7, 10, 5)],
)
def test_the_axis_ends_on_a_round_number_just_past_the_largest_change(
    reach: float, end: float, step: float
) -> None:
    got_end, ticks = axis_ticks(reach)
    assert got_end == pytest.approx(end)
    assert ticks[0] == pytest.approx(-end) and ticks[-1] == pytest.approx(end)
    assert ticks[1] - ticks[0] == pytest.approx(step)
    assert 0.0 in ticks
