"""One renderer for every command that prints a table: aligned text, csv or json.

Unknown values (None) print as ``?`` in a table and as an empty cell in csv; lists
are joined with ``; `` (an empty list is ``-`` in a table); the json is exactly the
records the library returned. Text from the data never drives the terminal: its
control characters print as escapes (:mod:`versterkt.terminal`).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import click
import pandas as pd

from loaders.write import inert_csv
from versterkt.terminal import json_printable, printable

__all__ = ["FORMATS", "TABLE_COLUMN_WIDTH", "format_option", "records", "render"]

FORMATS = ("table", "csv", "json")
#: Wider cells are cut short in a table.
TABLE_COLUMN_WIDTH = 60
#: What joins the items of a list in one cell.
LIST_JOIN = "; "

F = TypeVar("F", bound=Callable[..., Any])


def format_option(f: F) -> F:
    """The ``--format table|csv|json`` option of every command that prints a table."""
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(FORMATS),
        default="table",
        show_default=True,
        help="How to print the answer.",
    )(f)


def records(answer: pd.DataFrame) -> list[dict[str, Any]]:
    """The rows as plain records: unknown values as None."""
    plain = answer.astype(object).where(answer.notna(), None)
    return [{str(k): v for k, v in row.items()} for row in plain.to_dict("records")]


def render(answer: pd.DataFrame, fmt: str, columns: Sequence[str] | None = None) -> str:
    """The answer as text: an aligned table (of ``columns``, when given), csv or json."""
    if fmt == "json":
        return json_printable(json.dumps(records(answer), ensure_ascii=False, default=_iso)) + "\n"
    plain = answer.astype(object).where(answer.notna(), None)
    if fmt == "csv":
        return printable(inert_csv(plain.map(lambda v: _cell(v, "", ""))))
    if answer.empty:
        return "(no rows)\n"
    shown = plain[list(columns)] if columns else plain
    table = shown.map(lambda v: _table_cell(_cell(v, "?", "-"))).to_string(
        index=False, max_colwidth=TABLE_COLUMN_WIDTH
    )
    return table + "\n"


def _cell(value: Any, unknown: str, empty: str) -> Any:
    if value is None:
        return unknown
    if isinstance(value, list | tuple):
        return LIST_JOIN.join(map(str, value)) or empty
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _table_cell(value: Any) -> Any:
    """A cell as a table shows it: on one line, with nothing that drives the terminal."""
    return printable(value, one_line=True) if isinstance(value, str) else value


def _iso(value: Any) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(f"cannot write {type(value).__name__} as json")
