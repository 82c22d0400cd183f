"""The ``versterkt query`` command: the analysts' questions of :mod:`queries`.

Parses the options, asks the one question of the map, prints its DataFrame as a table,
csv or json. The map is a workbook, or a map in Neo4j (``--uri``): then the database
answers in Cypher, with the same output. A bad node id or option exits 2 with a
one-line message; a Neo4j that cannot be reached exits 1.
"""

from __future__ import annotations

import datetime as dt
import inspect
import json
from pathlib import Path
from typing import Any

import click
import pandas as pd

from graph import schema
from graph.store import StoreError
from loaders import VLEUTEN, load_map
from loaders.write import inert_csv
from queries import QUERIES, QueryError, answer
from versterkt.options import connect, read_options

FORMATS = ("table", "csv", "json")
#: Wider cells are cut short in a table.
TABLE_COLUMN_WIDTH = 50


class QueryUsageError(click.ClickException):
    """A question asked wrongly: printed as one line, exit code 2 like any bad usage."""

    exit_code = 2


@click.command()
@click.argument("name", type=click.Choice(sorted(QUERIES)), metavar="NAME")
@click.argument("data", required=False, type=click.Path(exists=True, path_type=Path))
@click.option("--target", "--to", "target", help="Node id the chains or paths lead to.")
@click.option("--source", "--from", "source", help="Node id the chains or paths start from.")
@click.option("--depth", "max_depth", type=int, help="Longest chain of influence, in links.")
@click.option("--max-length", type=int, help="Longest path or loop, in links.")
@click.option("--round", "as_of_round", type=int, help="The map as it was in this round.")
@click.option(
    "--kind",
    "kinds",
    multiple=True,
    type=click.Choice(list(schema.LINK_KINDS)),
    help="Link kind a path may follow (repeat for more; default INFLUENCES).",
)
@click.option("--session", help="Only the votes of this session (statements).")
@click.option("--group", type=click.Choice(schema.GROUPS), help="Only this group (perspectives).")
@read_options
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="table",
    show_default=True,
    help="How to print the answer.",
)
@click.pass_context
def query(
    ctx: click.Context,
    name: str,
    data: Path | None,
    fmt: str,
    uri: str | None,
    user: str | None,
    password: str | None,
    database: str | None,
    map_id: str | None,
    **options: Any,
) -> None:
    """Answer a question about the map: NAME is one of the questions below.

    \b
    influence     chains of influence into --target (default prestatiedruk),
                  or out of --source; --depth
    paths         every path --from a node --to another; --max-length, --kind
    leverage      factors by their effect on --target, and who can adjust them
    loops         feedback loops, reinforcing or balancing; --max-length
    statements    statements by priority votes; --session
    social-map    who works on each factor
    evidence      sources, quotes, sessions and reviews behind each link
    perspectives  what each group's quotes and reviews are about; --group

    Without DATA, the bundled Vleuten dataset; with --uri, a map in Neo4j, where the
    database answers in Cypher. Most questions take --round.
    """
    given = {key: value for key, value in options.items() if value not in (None, ())}
    _check_options(ctx, name, QUERIES[name], given)
    if uri is not None and data is not None:
        raise QueryUsageError("give DATA or --uri, not both")
    if uri is None and map_id is not None:
        raise QueryUsageError("--map-id names a map in Neo4j: give --uri too")
    try:
        if uri is None:
            result = answer(name, load_map(data or VLEUTEN), **given)
        else:
            with connect(uri, user, password, database) as store:
                result = answer(name, store, map_id=map_id, **given)
    except QueryError as e:
        raise QueryUsageError(str(e)) from e
    except StoreError as e:
        raise click.ClickException(str(e)) from e
    click.echo(render(result, fmt), nl=False)


def _check_options(ctx: click.Context, name: str, function: Any, given: dict[str, Any]) -> None:
    """Fail on an option the question does not take, or a missing one it needs."""
    parameters = list(inspect.signature(function).parameters.values())[1:]
    accepted = {p.name for p in parameters}
    flags = {p.name: "/".join(p.opts) for p in ctx.command.params if p.name}
    for key in given:
        if key not in accepted:
            raise QueryUsageError(f"{flags[key]} does not apply to the {name} question")
    for p in parameters:
        if p.default is inspect.Parameter.empty and p.name not in given:
            raise QueryUsageError(f"the {name} question needs {flags[p.name]}")


def render(answer: pd.DataFrame, fmt: str) -> str:
    """The answer as text: an aligned table, csv, or json records (a list of objects)."""
    plain = answer.astype(object).where(answer.notna(), None)
    if fmt == "json":
        records = plain.to_dict("records")
        return json.dumps(records, ensure_ascii=False, default=_iso) + "\n"
    if fmt == "csv":
        return inert_csv(_flat(plain, missing=""))
    if answer.empty:
        return "(no rows)\n"
    table = _flat(plain, missing="?").to_string(index=False, max_colwidth=TABLE_COLUMN_WIDTH)
    return table + "\n"


def _flat(plain: pd.DataFrame, missing: str) -> pd.DataFrame:
    """Lists joined into one cell, unknown values shown as ``missing``."""

    def cell(value: Any) -> Any:
        if value is None:
            return missing
        if isinstance(value, list):
            return schema.LIST_SEPARATOR.join(map(str, value))
        return value

    return plain.map(cell)


def _iso(value: Any) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(f"cannot write {type(value).__name__} as json")
