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
from queries.scenarios import ACTIVATION_RULES, SQUASHING, answer, scenario_options
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
    help="help.option.turns",
)
@click.option(
    "--perspective",
    help="help.option.perspective",
)
@click.option(
    "--compare",
    is_flag=True,
    help="help.option.compare",
)
@click.option(
    "--aggregate",
    type=click.Choice(AGGREGATIONS),
    help="help.option.aggregate",
)
@click.option(
    "--rule",
    type=click.Choice(ACTIVATION_RULES),
    show_default=DEFAULTS["rule"],
    help="help.option.rule",
)
@click.option(
    "--squash",
    type=click.Choice(SQUASHING),
    show_default=DEFAULTS["squash"],
    help="help.option.squash",
)
@click.option(
    "--steepness",
    type=float,
    show_default=f"{DEFAULTS['steepness']:g}",
    help="help.option.steepness",
)
@click.option(
    "--draws",
    type=int,
    show_default=str(DEFAULTS["draws"]),
    help="help.option.draws",
)
@click.option(
    "--weight-range",
    type=(float, float),
    metavar="LOW HIGH",
    show_default=" ".join(map(str, DEFAULTS["weight_range"])),
    help="help.option.weight_range",
)
@click.option(
    "--link-range",
    "link_ranges",
    type=(str, float, float),
    multiple=True,
    metavar="LINK LOW HIGH",
    help="help.option.link_ranges",
)
@click.option(
    "--seed",
    type=int,
    show_default=str(DEFAULTS["seed"]),
    help="help.option.seed",
)
@click.option("--round", "as_of_round", type=int, help="help.option.as_of_round")
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
