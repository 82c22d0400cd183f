"""The commands of the cycle: test a round's links, record the verdicts, see what changed.

``review-form`` writes the reactieformulier for a round, ``review-import`` records a
filled-in form in the workbook, ``status`` shows each link's status, ``diff`` what
changed between two rounds and why, ``agenda`` what to test next. Each parses its
options, makes one library call (:mod:`queries.cycle`, :mod:`loaders.review_form`)
and prints the result. With ``--uri`` the map is read from Neo4j, where ``status``,
``diff`` and ``agenda`` run their round filters and review counts in Cypher.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click
import pandas as pd

from graph import SystemMap, schema
from graph.store import Neo4jStore
from loaders import WorkbookInvalid, load_map
from loaders.review_form import FormError, record_review_form, write_review_form
from loaders.write import inert_csv
from queries import QueryError, cycle
from versterkt.options import (
    connect,
    data_argument,
    read_data_argument,
    read_options,
    source_map,
    workbook,
)
from versterkt.query_cli import FORMATS, render

__all__ = ["COMMANDS", "agenda", "diff", "review_form", "review_import", "status"]

#: Wider cells are cut short in a table.
TABLE_COLUMN_WIDTH = 70

F = TypeVar("F", bound=Callable[..., Any])


class CycleUsageError(click.ClickException):
    """A question asked wrongly (an unknown round, group or link): exit code 2."""

    exit_code = 2


def _format_option(f: F) -> F:
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(FORMATS),
        default="table",
        show_default=True,
        help="How to print the answer.",
    )(f)


def _round_option(help: str) -> Callable[[F], F]:
    return click.option("--round", "round_", type=int, help=help)


def _ask(
    data: Path | None,
    connection: dict[str, Any],
    on_map: Callable[[SystemMap], Any],
    in_store: Callable[[Neo4jStore, str | None], Any],
) -> Any:
    """The answer from the workbook, or from Neo4j when a URI is given."""
    path = workbook(data, connection["uri"])
    try:
        if connection["uri"] is None:
            return on_map(load_map(path))
        with connect(**connection) as store:
            return in_store(store, connection["map_id"])
    except QueryError as e:
        raise CycleUsageError(str(e)) from e


def _cell(value: Any, missing: str) -> Any:
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return missing
    if isinstance(value, list | tuple):
        return "; ".join(map(str, value)) or missing
    return value


def _show(answer: pd.DataFrame, fmt: str, table_columns: list[str] | None = None) -> str:
    """The answer as text: json records, csv, or an aligned table of ``table_columns``."""
    if fmt == "json":
        return render(answer, fmt)
    plain = answer.astype(object)
    if fmt == "csv":
        return inert_csv(plain.map(lambda v: _cell(v, "")))
    if answer.empty:
        return "(no rows)\n"
    shown = plain[table_columns] if table_columns else plain
    table = shown.map(lambda v: _cell(v, "-")).to_string(
        index=False, max_colwidth=TABLE_COLUMN_WIDTH
    )
    return table + "\n"


@click.command("review-form")
@read_data_argument
@click.option("--round", "round_", type=int, required=True, help="The round whose links to test.")
@click.option(
    "--out",
    "-o",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The .xlsx file to write.",
)
@click.option(
    "--group",
    "groups",
    multiple=True,
    type=click.Choice(schema.GROUPS),
    help="A group in the session, one column each (repeat; default: every group).",
)
@click.option(
    "--link",
    "links",
    multiple=True,
    help="Only this link, in this order (repeat; default: every link of the kinds tested).",
)
@read_options
def review_form(
    data: Path | None,
    round_: int,
    out: Path,
    groups: tuple[str, ...],
    links: tuple[str, ...],
    **connection: Any,
) -> None:
    """Write the reactieformulier: a sheet to test a round's links with groups.

    Each link is a plain Dutch sentence with, per group, a dropdown (eens, oneens,
    neutraal, aanvulling) and room for what was said. Fill it in after the session,
    then record it with review-import.
    """
    m = source_map(data, **connection)
    try:
        path = write_review_form(
            m, round_, out, groups or schema.GROUPS, links=list(links) if links else None
        )
    except FormError as e:
        raise CycleUsageError(str(e)) from e
    click.echo(
        f"Wrote {path}: round {round_}, for {', '.join(groups or schema.GROUPS)}. "
        f"After the session, fill it in and run: versterkt review-import {path} {data}"
    )


@click.command("review-import")
@click.argument("form", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@data_argument
@click.option("--session", help="The session the verdicts were given in (overrides the form).")
def review_import(form: Path, data: Path, session: str | None) -> None:
    """Record a filled-in review form in the workbook DATA's toetsing sheet.

    The form is checked first; with any error, every one is listed by cell and
    nothing is recorded. Reviews recorded before are not recorded twice.
    """
    try:
        result = record_review_form(form, data, session)
    except WorkbookInvalid as e:
        for error in e.errors:
            click.echo(str(error), err=True)
        n = len(e.errors)
        click.echo(f"{n} error{'s' if n != 1 else ''}; nothing was recorded.", err=True)
        sys.exit(1)
    new, old = len(result.recorded), len(result.already_recorded)
    if not new and not old:
        click.echo(f"No verdicts in {form}: nothing to record.")
        return
    if not new:
        click.echo(f"Nothing new: the {old} reviews in {form} are already in {data}.")
        return
    click.echo(
        f"Recorded {new} review{'s' if new != 1 else ''} in {data}"
        + (f" ({old} were already recorded)." if old else ".")
    )


@click.command()
@read_data_argument
@_round_option("The status with which the links entered this round (default: now).")
@read_options
@_format_option
def status(data: Path | None, round_: int | None, fmt: str, **connection: Any) -> None:
    """Each link's status, from the groups' verdicts, and the verdicts behind it.

    \b
    hypothese  not tested, or only neutraal / aanvulling
    bevestigd  every group with a verdict says eens
    verworpen  every group with a verdict says oneens
    betwist    some groups say eens, others oneens
    A group's verdict is its latest eens, oneens or neutraal.
    """
    answer = _ask(
        data,
        connection,
        lambda m: cycle.link_status(m, round_),
        lambda store, map_id: cycle.stored_link_status(store, map_id, round_),
    )
    columns = [c for c in answer.columns if c not in ("source", "target")]
    click.echo(_show(answer, fmt, columns), nl=False)


@click.command()
@click.argument("a", type=int)
@click.argument("b", type=int)
@read_data_argument
@click.option(
    "--show",
    type=click.Choice(["all", "changes", "leverage", "loops"]),
    default="all",
    show_default=True,
    help="Which part: the changes, how the leverage ranking moved, the loops.",
)
@click.option("--target", default="prestatiedruk", show_default=True, help="Outcome for leverage.")
@read_options
@_format_option
def diff(
    a: int, b: int, data: Path | None, show: str, target: str, fmt: str, **connection: Any
) -> None:
    """What changed between round A and round B, and why.

    Nodes and links added, retired, merged, re-signed and re-weighted, with the
    reasons and the reviews that prompted them; links whose status changed; how the
    ranking of knoppen (leverage) and the feedback loops moved.
    """
    if fmt == "csv" and show == "all":
        raise CycleUsageError("csv holds one table: add --show changes, leverage or loops")
    wanted = ["changes", "leverage", "loops"] if show == "all" else [show]

    def from_map(m: SystemMap) -> dict[str, pd.DataFrame]:
        parts = {
            "changes": lambda: cycle.diff(m, a, b),
            "leverage": lambda: cycle.leverage_moves(m, a, b, target),
            "loops": lambda: cycle.loop_moves(m, a, b),
        }
        return {part: parts[part]() for part in wanted}

    def from_store(store: Neo4jStore, map_id: str | None) -> dict[str, pd.DataFrame]:
        parts = {
            "changes": lambda: cycle.stored_diff(store, map_id, a, b),
            "leverage": lambda: cycle.stored_leverage_moves(store, map_id, a, b, target),
            "loops": lambda: cycle.stored_loop_moves(store, map_id, a, b),
        }
        return {part: parts[part]() for part in wanted}

    answers = _ask(data, connection, from_map, from_store)
    if fmt == "json" and show == "all":
        import json

        merged = {part: json.loads(render(answer, "json")) for part, answer in answers.items()}
        click.echo(json.dumps(merged, ensure_ascii=False))
        return
    headings = {
        "changes": f"Changes from round {a} to round {b}",
        "leverage": f"Leverage on {target}: ranks in round {a} and round {b}",
        "loops": f"Feedback loops that appeared or went between round {a} and round {b}",
    }
    table_columns = {
        "changes": ["change", "item", "description", "before", "after", "reason"],
        "leverage": None,
        "loops": ["change", "members", "polarity"],
    }
    for i, (part, answer) in enumerate(answers.items()):
        if show == "all":
            click.echo(("\n" if i else "") + headings[part])
        click.echo(_show(answer, fmt, table_columns[part]), nl=False)


@click.command()
@read_data_argument
@_round_option("The agenda for this round's session (default: the next session).")
@click.option(
    "--target",
    default="prestatiedruk",
    show_default=True,
    help="Links on chains with a large effect on it come first.",
)
@read_options
@_format_option
def agenda(data: Path | None, round_: int | None, target: str, fmt: str, **connection: Any) -> None:
    """What to test next: the links to put to the next session, most important first.

    Betwist links, untested and undecided ones, those decided by one group or
    resting on one source; links on chains with a large effect on the target first.
    """
    answer = _ask(
        data,
        connection,
        lambda m: cycle.agenda(m, round_, target=target),
        lambda store, map_id: cycle.stored_agenda(store, map_id, round_, target=target),
    )
    click.echo(_show(answer, fmt, ["priority", "link", "statement", "status", "reasons"]), nl=False)


#: The commands, for the main ``versterkt`` group.
COMMANDS = (review_form, review_import, status, diff, agenda)
