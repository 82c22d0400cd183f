"""One renderer for every command that prints a table: aligned text, csv or json.

Unknown values (None) print as ``?`` in a table and as an empty cell in csv; lists
are joined with ``; `` (an empty list is ``-`` in a table); the json is exactly the
records the library returned. Text from the data never drives the terminal: its
control characters print as escapes (:mod:`versterkt.terminal`).

A table fits the terminal (100 columns when the output is not a terminal): a cell
that does not fit wraps onto the next lines of its row, so nothing is cut off; a table
with too many columns for that prints one block per row, each header beside its value. Numbers
in a table are rounded to three significant digits and written by the command's language
(``0,0679`` in Dutch, ``0.0679`` in English), and yes/no is a word of that language
(:mod:`graph.catalogue`); csv and json keep every digit.

A table is read by people, so it speaks the command's language throughout: its headers
are the catalogue's words for the columns (``column.*``), a cell holding a word of the
map's vocabulary (a kind of node or link, a status, a verdict, a kind of change) is
that word in the language (``code.*``, ``word.*``), and a sentence the library made
with a code (an agenda reason, a link as a sentence) is phrased in the language. csv
and json keep the library's column names, codes and sentences as they are, for
programs.

>>> answer = pd.DataFrame({"factor": ["Stress", "Prestatiedruk"], "effect": [0.067888, 1.0],
...                        "knob": [True, False]})
>>> print(render(answer, "table", lang="en"), end="")
factor         effect  knob
-------------  ------  ----
Stress         0.0679  yes
Prestatiedruk       1  no
>>> print(render(answer.rename(columns={"knob": "kind"}), "table", lang="nl"), end="")
factor         effect  soort
-------------  ------  -----
Stress         0,0679  ja
Prestatiedruk       1  nee
>>> print(render(pd.DataFrame({"kind": ["INFLUENCES", "Factor"]}), "table", lang="nl"), end="")
soort
----------
beïnvloedt
factor
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
import shutil
import textwrap
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import click
import numpy as np
import pandas as pd

from graph.catalogue import message, messages, number
from loaders.write import inert_csv
from versterkt.language import current_lang
from versterkt.terminal import json_printable, printable

__all__ = ["FORMATS", "TABLE_WIDTH", "format_option", "records", "render"]

FORMATS = ("table", "csv", "json")
#: A table's width when the output is not a terminal (piped, or in a file).
TABLE_WIDTH = 100
#: No column of a wrapped table is narrower than this (or its header).
NARROWEST_COLUMN = 12
#: ... and not narrower than this when the table has too many columns for the width.
LAST_RESORT_COLUMN = 6
#: What separates two columns of a table.
GAP = "  "
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
        help="help.option.fmt",
    )(f)


def records(answer: pd.DataFrame) -> list[dict[str, Any]]:
    """The rows as plain records: unknown values as None."""
    plain = answer.astype(object).where(answer.notna(), None)
    return [{str(k): v for k, v in row.items()} for row in plain.to_dict("records")]


def render(
    answer: pd.DataFrame,
    fmt: str,
    columns: Sequence[str] | None = None,
    *,
    width: int | None = None,
    lang: str | None = None,
) -> str:
    """The answer as text: an aligned table (of ``columns``, when given), csv or json.

    ``width`` is the table's width in characters (default: the terminal's, or
    :data:`TABLE_WIDTH`); ``lang`` the language of its words and numbers (default:
    the command's, :func:`versterkt.language.current_lang`)."""
    if fmt == "json":
        return json_printable(json.dumps(records(answer), ensure_ascii=False, default=_iso)) + "\n"
    plain = answer.astype(object).where(answer.notna(), None)
    if fmt == "csv":
        return printable(inert_csv(plain.map(lambda v: _cell(v, "", ""))))
    lang = lang or current_lang()
    if answer.empty:
        return message("cli.no_rows", lang) + "\n"
    shown = plain[list(columns)] if columns else plain
    if width is None:
        width = shutil.get_terminal_size((TABLE_WIDTH, 24)).columns
    cells = [
        [_table_cell(_cell(_phrased(v, lang), "?", "-")) for v in row]
        for row in shown.itertuples(False)
    ]
    return _table([header(str(c), lang) for c in shown.columns], cells, max(width, 40), lang)


def header(column: str, lang: str) -> str:
    """The catalogue's word for a column in ``lang``; the column's name if it has none.

    >>> header("adjusted_by", "nl"), header("adjusted_by", "en"), header("x_y", "nl")
    ('bij te sturen door', 'adjusted by', 'x_y')
    """
    return messages(lang).get(f"column.{column}", column)


def _phrased(value: Any, lang: str) -> Any:
    """A cell in ``lang``: a phrased sentence (anything with ``say(lang)``), or the word
    for a code of the map's vocabulary; other values as they are."""
    if isinstance(value, list | tuple):
        return [_phrased(v, lang) for v in value]
    say = getattr(value, "say", None)
    if callable(say):
        return say(lang)
    if isinstance(value, str):
        words = messages(lang)
        return words.get(f"code.{value}") or words.get(f"word.{value}") or value
    return value


def _table(headers: list[str], rows: list[list[str | float]], width: int, lang: str) -> str:
    """Aligned columns under a rule, numbers to the right; wide cells wrap in their row."""
    numeric = [
        all(
            (isinstance(row[i], int | float) and not isinstance(row[i], bool)) or row[i] == "?"
            for row in rows
        )
        for i in range(len(headers))
    ]
    text = [[c if isinstance(c, str) else _number(c, lang) for c in row] for row in rows]
    columns = [[row[i] for row in text] for i in range(len(headers))]
    natural = [max([len(h), *map(len, col)]) for h, col in zip(headers, columns, strict=True)]
    widths = _fit(natural, headers, columns, numeric, width)
    words = [not n and any(" " in c for c in col) for n, col in zip(numeric, columns, strict=True)]
    squeezed = any(w < min(natural[i], 20) for i, w in enumerate(widths) if words[i])
    if squeezed or sum(widths) + len(GAP) * (len(widths) - 1) > width:
        return _records(headers, text, width)
    lines = _row(
        [_wrap_header(h, w) for h, w in zip(headers, widths, strict=True)],
        widths,
        [False] * len(widths),
    )
    lines.append(GAP.join("-" * w for w in widths).rstrip())
    for row in text:
        lines += _row(
            [
                [cell] if len(cell) <= w else textwrap.wrap(cell, w, break_on_hyphens=False)
                for cell, w in zip(row, widths, strict=True)
            ],
            widths,
            numeric,
        )
    return "\n".join(lines) + "\n"


def _records(headers: list[str], rows: list[list[str]], width: int) -> str:
    """A table too wide for ``width`` as one block per row: each header beside its value,
    the value wrapped."""
    key = max(map(len, headers))
    room = max(width - key - len(GAP), 20)
    lines: list[str] = []
    for n, row in enumerate(rows, start=1):
        lines.append(f"-[ {n} ]".ljust(min(width, key + len(GAP) + 20), "-"))
        for header, cell in zip(headers, row, strict=True):
            parts = textwrap.wrap(cell, room, break_on_hyphens=False) or [""]
            lines.append(f"{header.ljust(key)}{GAP}{parts[0]}".rstrip())
            lines += [f"{' ' * (key + len(GAP))}{part}" for part in parts[1:]]
    return "\n".join(lines) + "\n"


def _row(wrapped: list[list[str]], widths: list[int], numeric: list[bool]) -> list[str]:
    """The lines of one row whose cells are wrapped into lines."""
    return [
        _line([p[k] if k < len(p) else "" for p in wrapped], widths, numeric)
        for k in range(max(1, *(len(p) for p in wrapped)))
    ]


def _header_pieces(header: str) -> list[str]:
    return re.findall(r"[^_ ]+[_ ]?", header) or [header]


def _wrap_header(header: str, width: int) -> list[str]:
    """A header on as many lines as its width needs, broken after ``_``."""
    lines = [""]
    for piece in _header_pieces(header):
        if lines[-1] and len(lines[-1]) + len(piece.rstrip()) > width:
            lines.append("")
        lines[-1] += piece
    return [line.rstrip() for line in lines]


def _fit(
    natural: list[int],
    headers: list[str],
    columns: list[list[str]],
    numeric: list[bool],
    width: int,
) -> list[int]:
    """Column widths that fit ``width``, giving way in this order: the headers of numbers
    (broken after ``_``), columns of words down to their longest word, columns of ids
    (cells without a space), then columns of words further."""
    widths = list(natural)
    room = width - len(GAP) * (len(widths) - 1)
    words = [not n and any(" " in c for c in col) for n, col in zip(numeric, columns, strict=True)]

    def longest_word(col: list[str]) -> int:
        return max((len(w) for c in col for w in c.split()), default=0)

    # per stage, how narrow each column may become: numbers' headers first, then words
    # to 30, ids to 20, words to their longest word, ids to the narrowest, words too,
    # and at last every column to its header's longest part
    def floors(i: int, stage: int) -> int:
        col, header = columns[i], headers[i]
        header_floor = max(len(p.rstrip()) for p in _header_pieces(header))
        if numeric[i]:
            return max([*map(len, col), header_floor])
        if stage == 6:
            return max(header_floor, LAST_RESORT_COLUMN)
        if words[i]:
            return [
                natural[i],
                30,
                30,
                max(NARROWEST_COLUMN, min(longest_word(col), 20)),
                NARROWEST_COLUMN,
                NARROWEST_COLUMN,
            ][stage]
        return [natural[i], natural[i], 20, 20, NARROWEST_COLUMN, NARROWEST_COLUMN][stage]

    for stage in range(7):
        while sum(widths) > room:
            shrinkable = [i for i, w in enumerate(widths) if w > floors(i, stage)]
            if not shrinkable:
                break
            widths[max(shrinkable, key=lambda i: widths[i])] -= 1
    return widths  # as narrow as it reads: the terminal wraps what is left


def _line(parts: list[str], widths: list[int], numeric: list[bool], header: bool = False) -> str:
    cells = [
        p.rjust(w) if numeric[i] and not header else p.ljust(w)
        for i, (p, w) in enumerate(zip(parts, widths, strict=True))
    ]
    return GAP.join(cells).rstrip()


def _number(value: float, lang: str) -> str:
    """A number as a table shows it: three significant digits, no exponent, yes/no."""
    if isinstance(value, bool):
        return message("cli.yes" if value else "cli.no", lang)
    if isinstance(value, int) or (math.isfinite(value) and value == int(value)):
        return str(int(value))
    if not math.isfinite(value):
        return str(value)
    return number(value, lang)


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
    if isinstance(value, np.generic):
        value = value.item()  # numpy's numbers and yes/no as Python's
    return printable(value, one_line=True) if isinstance(value, str) else value


def _iso(value: Any) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(f"cannot write {type(value).__name__} as json")
