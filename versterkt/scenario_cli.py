"""The ``versterkt scenario`` command: what moves if a knob is turned.

Thin glue over :mod:`queries.scenarios`: parses the knobs and options, asks the
library, prints its DataFrame with the renderer of ``versterkt query`` (table, csv or
json). The map is a workbook, or a map in Neo4j (``--uri``), whose links are read in
Cypher; the answer is the same.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click
import pandas as pd

from graph.combine import AGGREGATIONS
from queries.scenarios import ACTIVATION_RULES, MAX_DRAWS, SQUASHING, answer, scenario_options
from versterkt.errors import UsageLine
from versterkt.language import current_lang, say
from versterkt.options import connect, read_data_argument, read_options, source_map, workbook
from versterkt.output import format_option, render

DEFAULTS = scenario_options({})


def parse_turn(values: tuple[str, ...]) -> dict[str, float]:
    """``("prestatiedruk=+1", ...)`` as ``{"prestatiedruk": 1.0, ...}``; a knob turned
    twice is a mistake, not the last one winning."""
    turn: dict[str, float] = {}
    for value in values:
        node, _, amount = value.rpartition("=")
        try:
            number = float(amount)
        except ValueError:
            node = ""
        if not node:
            raise UsageLine(say("cli.usage.turn_form", value=repr(value)))
        if node in turn:
            raise UsageLine(say("cli.usage.turn_twice", node=node))
        turn[node] = number
    return turn


def parse_link_ranges(
    values: tuple[tuple[str, float, float], ...],
) -> dict[str, tuple[float, float]]:
    """``(("b-doel", 0.0, 0.1), ...)`` as ``{"b-doel": (0.0, 0.1), ...}``; one range a link."""
    ranges: dict[str, tuple[float, float]] = {}
    for link, low, high in values:
        if link in ranges:
            raise UsageLine(say("cli.usage.range_twice", link=link))
        ranges[link] = (low, high)
    return ranges


@click.command()
@read_data_argument
@click.option(
    "--turn",
    "turns",
    multiple=True,
    required=True,
    metavar="FACTOR=VALUE",
    help="A knob and the value it is held at, from -1 (down) to +1 (up); repeat for more.",
)
@click.option(
    "--perspective",
    help="The links of the map as it stands (all), the confirmed ones (confirmed), "
    "or the map as one group judged it (ouder, jongere...). Default: all.",
)
@click.option(
    "--compare",
    is_flag=True,
    help="Side by side, one column each: all links, the confirmed ones, and each group "
    "that reviewed links; a cell is the factor's direction and median change (csv and "
    "json: one row per perspective and factor, with the intervals).",
)
@click.option(
    "--aggregate",
    type=click.Choice(AGGREGATIONS),
    help="Weights from the groups' reviews (gewicht), aggregated within each group, then "
    "across groups; a group's perspective takes its own. Default: the map's weights.",
)
@click.option(
    "--rule",
    type=click.Choice(ACTIVATION_RULES),
    help=f"Activation rule (default {DEFAULTS['rule']}).",
)
@click.option(
    "--squash",
    type=click.Choice(SQUASHING),
    help=f"Squashing function (default {DEFAULTS['squash']}).",
)
@click.option(
    "--steepness",
    type=float,
    help=f"λ of sigmoid and tanh, above 0 (default {DEFAULTS['steepness']:g}).",
)
@click.option(
    "--draws",
    type=int,
    help=f"Runs that draw the unknown weights, 1 to {MAX_DRAWS:,}; fewer on a very large "
    f"map (default {DEFAULTS['draws']}).",
)
@click.option(
    "--weight-range",
    type=(float, float),
    metavar="LOW HIGH",
    help="The range an unknown weight's size is drawn from, 0 to 1 "
    f"(default {' '.join(map(str, DEFAULTS['weight_range']))}).",
)
@click.option(
    "--link-range",
    "link_ranges",
    type=(str, float, float),
    multiple=True,
    metavar="LINK LOW HIGH",
    help="The range of one link's unknown weight, instead of --weight-range; repeat for more.",
)
@click.option(
    "--seed",
    type=int,
    help=f"The same seed (0 or more) gives the same draws (default {DEFAULTS['seed']}).",
)
@click.option("--round", "as_of_round", type=int, help="The map as it was in this round.")
@read_options
@format_option
def scenario(
    data: Path | None,
    turns: tuple[str, ...],
    perspective: str | None,
    compare: bool,
    as_of_round: int | None,
    link_ranges: tuple[tuple[str, float, float], ...],
    fmt: str,
    uri: str | None,
    user: str | None,
    password: str | None,
    database: str | None,
    map_id: str | None,
    **options: Any,
) -> None:
    """What moves if a knob is turned, and how sure that is: a fuzzy-cognitive-map
    scenario against the baseline.

    Each factor gets a direction (up, down, unchanged, or uncertain when it depends
    on weights the map does not know), its median change and the interval of the
    changes over the draws. Without DATA, the bundled Vleuten dataset; with --uri, a
    map in Neo4j. On a map combined from groups' maps (versterkt combine), --compare
    shows each group's own map: its signs and its own weights.

    \b
    versterkt scenario --turn verwachtingen-ouders=-1
    versterkt scenario --turn meten-en-toetsen=+1 --compare --format csv
    """
    turn = parse_turn(turns)
    given = {key: value for key, value in options.items() if value is not None}
    if link_ranges:
        given["weight_ranges"] = parse_link_ranges(link_ranges)
    try:
        kwargs = dict(compare=compare, perspective=perspective or "all", **given)
        if uri is None:
            m = source_map(data, map_id=map_id)
            result = answer(m, turn, as_of_round=as_of_round, **kwargs)
        else:
            workbook(data, uri)
            with connect(uri, user, password, database) as store:
                result = answer(store, turn, map_id=map_id, as_of_round=as_of_round, **kwargs)
    except click.UsageError as e:
        raise UsageLine(e.message) from e
    if fmt == "table" and compare:
        result = side_by_side(result, current_lang())
    elif fmt == "table" and "perspective" in result.columns:
        result = result.assign(perspective=result["perspective"].map(perspective_word))
    click.echo(render(result, fmt), nl=False)


def perspective_word(perspective: str) -> str:
    """All links and the confirmed ones in the command's language; a group is its id
    (as ``--perspective`` takes it)."""
    from graph.catalogue import messages

    return messages(current_lang()).get(f"perspective.{perspective}", perspective)


def side_by_side(stacked: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The rows of ``--compare`` (one per perspective and factor) as one row per factor
    and one column per perspective, in the order the perspectives came: each cell the
    factor's direction and its median change (``omhoog +0,018``); no number where the
    direction is uncertain. The factors go by name, to be read; their ids, the
    intervals and the rest stay in csv and json.

    >>> stacked = pd.DataFrame({
    ...     "perspective": ["all", "all", "ouder", "ouder"], "node": ["a", "b", "a", "b"],
    ...     "name": ["A", "B", "A", "B"], "turned": [True, False, True, False],
    ...     "direction": ["turned", "up", "turned", "uncertain"],
    ...     "change": [1.0, 0.01812, 1.0, 0.002]})
    >>> side_by_side(stacked, "nl").to_dict("records")[1]
    {'name': 'B', 'alle verbanden': 'omhoog +0,0181', 'ouder': 'onzeker'}
    """
    from graph.catalogue import message, messages, number

    words = messages(lang)

    def cell(row: Any) -> str:
        direction = words.get(f"code.{row.direction}", row.direction)
        if row.direction in ("turned", "uncertain", "unchanged") or pd.isna(row.change):
            return str(direction)
        change = ("+" if row.change > 0 else "") + number(row.change, lang)
        return message("cli.scenario_cell", lang, direction=direction, change=change)

    perspectives = list(dict.fromkeys(stacked["perspective"]))
    factors = stacked.drop_duplicates("node")[["node", "name"]].reset_index(drop=True)
    columns: dict[str, Any] = {"name": factors["name"]}
    for perspective in perspectives:
        rows = stacked[stacked["perspective"] == perspective]
        cells = {row.node: cell(row) for row in rows.itertuples()}
        header = words.get(f"perspective.{perspective}", perspective)
        columns[header] = [cells.get(node) for node in factors["node"]]
    return pd.DataFrame(columns)
