"""Validating raw tables against the schema and building the SystemMap from them.

Everything is checked before anything is built: sheets and columns, types and allowed
values, unique ids, references that resolve, links the schema allows, dates, and no
e-mail address or phone number anywhere (the data concerns young people; see
:mod:`loaders.privacy`). All errors
are collected and raised together as :class:`loaders.errors.WorkbookInvalid`.
"""

from __future__ import annotations

import datetime as dt
import re
import warnings
from dataclasses import dataclass
from typing import Any

from graph import SystemMap, schema
from graph.errors import Count, Said, Text, either, said
from graph.schema import Field, Table
from graph.vocabulary import LinkKind
from loaders.errors import LoadError, WorkbookInvalid, WorkbookWarning, did_you_mean
from loaders.privacy import privacy_problem
from loaders.read import RawTable, RawWorkbook

DATE_FORMATS = ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y")
DATE_WITH_TIME = re.compile(r"^\d{1,4}[-/]\d{1,2}[-/]\d{1,4}[ T]\d{1,2}[:.]\d{2}")
# Whole numbers: digits, perhaps with a decimal part (12.0) or a minus sign.
COUNT = re.compile(r"^-?[0-9]{1,30}(?:[.,][0-9]{1,30})?$")
# Digits grouped in threes by a dot or comma: a thousands separator, or a decimal one.
THOUSANDS = re.compile(r"^[0-9]{1,3}(?:[.,][0-9]{3})+$")
#: The largest count: the largest whole number the views' JavaScript holds exactly.
MAX_COUNT = 2**53 - 1


@dataclass
class Row:
    """One validated row: where it came from and its typed values."""

    table: Table
    path: str
    number: int
    values: dict[str, Any]
    columns: dict[str, str]  # field name -> header as written, for error positions


def slug_hint(value: str) -> str:
    """An id spelled the way ids must be, for the error hint.

    >>> slug_hint("Verwachtingen van Ouders")
    'verwachtingen-van-ouders'
    """
    s = value.strip().lower()
    for a, b in (("ë", "e"), ("ï", "i"), ("é", "e"), ("è", "e"), ("ö", "o"), ("ü", "u")):
        s = s.replace(a, b)
    return re.sub(r"[^a-z0-9._-]+", "-", s).strip("-")


def _parse(f: Field, table: Table, raw: str) -> tuple[Any, Text | None]:
    """The typed value of a cell, or an error message."""
    if f.type in ("text", "ref"):
        return raw, None
    if f.type == "refs":
        return tuple(p.strip() for p in re.split(r"[;,]", raw) if p.strip()), None
    if f.type == "int":
        return _parse_count(raw)
    if f.type == "float":
        try:
            value = float(raw.replace(",", "."))
        except ValueError:
            return None, said("load.not_a_number", value=raw)
        if value != value or value in (float("inf"), float("-inf")):
            return None, said("load.not_a_number", value=raw)
        return value, None
    if f.type == "date":
        for fmt in DATE_FORMATS:
            try:
                return dt.datetime.strptime(raw, fmt).date(), None
            except ValueError:
                pass
        if DATE_WITH_TIME.match(raw):
            with_time = table.field_by_header("tijd")
            return None, said(
                "load.date_with_time_tijd" if with_time else "load.date_with_time", value=raw
            )
        return None, said("load.not_a_date", value=raw)
    if f.type == "bool":
        low = raw.lower()
        if low in schema.TRUE_WORDS:
            return True, None
        if low in schema.FALSE_WORDS:
            return False, None
        return None, said("load.not_yes_no", value=raw)
    if f.type == "choice":
        choices = schema.choices_for(table, f)
        if raw in choices:
            return raw, None
        for c in choices:
            if c.lower() == raw.lower():
                return c, None
        allowed = ", ".join(f'"{c}"' for c in choices)
        hint = did_you_mean(raw, choices)
        return None, said("load.unknown_value", value=raw, hint=hint, allowed=allowed)
    raise AssertionError(f"unhandled field type {f.type}")


def _parse_count(raw: str) -> tuple[int | None, Text | None]:
    """A whole number as people type it: ``12``, ``12.0``; not ``1.000`` (Dutch for a
    thousand, English for one) and not ``?`` (an empty cell means unknown).

    >>> value, problem = _parse_count("1.000"); value, str(problem)
    (None, 'write whole numbers without a dot or comma: is "1.000" 1000?')
    """
    if THOUSANDS.match(raw):
        digits = raw.replace(".", "").replace(",", "")
        return None, said("load.thousands", value=raw, digits=digits)
    try:
        number = float(raw.replace(",", ".")) if COUNT.match(raw) else None
    except ValueError:
        number = None
    if number is None or not number.is_integer():
        code = "load.not_whole" if COUNT.match(raw) else "load.not_whole_empty"
        return None, said(code, value=raw)
    if number < 0:
        return None, said("load.negative", value=raw)
    if number > MAX_COUNT:
        return None, said("load.too_large", value=raw, most=Count(MAX_COUNT))
    return int(number), None


def _check_table(
    raw: RawTable,
    table: Table,
    errors: list[LoadError],
    privacy: dict[str, Text | None] | None = None,
) -> list[Row]:
    """Columns, types, allowed values and privacy of one table; ``privacy`` holds the
    texts already checked, by the other tables too (an id and the links naming it)."""
    columns: dict[str, int] = {}
    for i, header in enumerate(raw.headers):
        if not header:
            if any(i < len(cells) and cells[i] for _, cells in raw.rows):
                errors.append(LoadError(raw.path, 1, _letter(i), said("load.values_no_header")))
            continue
        f = table.field_by_header(header.lower())
        if f is None:
            hint = did_you_mean(header, table.headers)
            errors.append(LoadError(raw.path, 1, header, said("load.unknown_column", hint=hint)))
        elif f.name in columns:
            errors.append(LoadError(raw.path, 1, header, said("load.column_twice")))
        else:
            columns[f.name] = i
    missing = [f for f in table.fields if f.required and f.name not in columns]
    for f in missing:
        errors.append(LoadError(raw.path, 1, f.header, said("load.missing_column")))

    rows: list[Row] = []
    # Each present field with its column, worked out once for the table.
    present = [
        (f, columns[f.name], raw.headers[columns[f.name]])
        for f in table.fields
        if f.name in columns
    ]
    headers = {name: raw.headers[i] for name, i in columns.items()}
    width = len(raw.headers)
    # A value repeated down a column (a source, a kind, a round) is checked once.
    if privacy is None:
        privacy = {}
    parsed: dict[tuple[str, str], tuple[Any, Text | None]] = {}
    for number, cells in raw.rows:
        # A row keeps every value that is right, so that its other cells are still
        # checked against the rest of the workbook; any error stops the load anyway.
        values: dict[str, Any] = {}
        if len(cells) > width:
            for i in range(width, len(cells)):
                if cells[i]:
                    errors.append(
                        LoadError(raw.path, number, _letter(i), said("load.value_no_header"))
                    )
        for f, column, header in present:
            cell = cells[column] if column < len(cells) else ""
            if not cell:
                if f.required:
                    errors.append(LoadError(raw.path, number, header, said("load.required")))
                continue
            if cell not in privacy:
                privacy[cell] = privacy_problem(cell)
            problem = privacy[cell]
            if problem:
                errors.append(LoadError(raw.path, number, header, problem))
                continue
            if f.type in ("text", "ref"):
                values[f.name] = cell
                continue
            key = (f.name, cell)
            if key not in parsed:
                parsed[key] = _parse(f, table, cell)
            value, problem = parsed[key]
            if problem:
                errors.append(LoadError(raw.path, number, header, problem))
            else:
                values[f.name] = value
        rows.append(Row(table, raw.path, number, values, headers))
    return rows


def _letter(index: int) -> str:
    """The spreadsheet letter of a 0-based column index (0 -> A, 26 -> AA)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


class _Checker:
    """Cross-table checks: unique ids, references, link kinds, rounds."""

    def __init__(self, rows: dict[str, list[Row]], errors: list[LoadError]) -> None:
        self.rows = rows
        self.errors = errors
        self.node_kind: dict[str, str] = {}
        self.link_ids: set[str] = set()

    def error(self, row: Row, field_name: str, message: Text) -> None:
        header = row.columns.get(field_name) or row.table.field(field_name).header
        self.errors.append(LoadError(row.path, row.number, header, message))

    def run(self) -> None:
        seen: dict[str, Row] = {}
        for table_name in (*schema.NODE_TABLES, "links"):
            for row in self.rows.get(table_name, []):
                self._unique_id(row, seen)
                row_id = row.values.get("id")
                if row_id is None:
                    continue
                if table_name != "links":
                    self.node_kind.setdefault(row_id, row.table.kind)
                else:
                    self.link_ids.add(row_id)
        for table_name in ("reviews", "adjustments"):
            local: dict[str, Row] = {}
            for row in self.rows.get(table_name, []):
                self._unique_id(row, local)
        for table in schema.RECORD_TABLES.values():
            if table.key != ("id",):
                self._unique_key(table)
        self.rounds: set[int] = {
            r.values["number"] for r in self.rows.get("rounds", []) if "number" in r.values
        }
        self.review_ids: set[str] = {
            r.values["id"] for r in self.rows.get("reviews", []) if "id" in r.values
        }
        for table_name, table_rows in self.rows.items():
            for row in table_rows:
                self._references(row)
                if table_name == "links":
                    self._link(row)
                if table_name in ("links", "reviews"):
                    self._positive_weight(row)

    def _unique_id(self, row: Row, seen: dict[str, Row]) -> None:
        value = row.values.get("id")
        if value is None:
            return
        problem = schema.id_problem(value)
        if problem:
            hint = slug_hint(value)
            if len(value) <= schema.MAX_ID_LENGTH and hint and hint != value:
                problem = said("load.id_try", problem=problem, hint=hint)
            self.error(row, "id", problem)
        if value in seen:
            self.error(
                row, "id", said("load.duplicate_id", id=value, first=_where(seen[value], row))
            )
        else:
            seen[value] = row

    def _unique_key(self, table: Table) -> None:
        seen: dict[tuple[Any, ...], Row] = {}
        for row in self.rows.get(table.name, []):
            key = tuple(row.values.get(k) for k in table.key)
            if key in seen:
                headers = "+".join(table.field(k).header for k in table.key)
                first = _where(seen[key], row)
                self.error(row, table.key[0], said("load.duplicate_key", key=headers, first=first))
            else:
                seen[key] = row

    def _resolves(self, target: str, ref: str) -> bool:
        if ref == "nodes":
            return target in self.node_kind
        if ref == "links":
            return target in self.link_ids
        if ref == "reviews":
            return target in self.review_ids
        kind = schema.NODE_TABLES[ref].kind
        return self.node_kind.get(target) == kind

    def _references(self, row: Row) -> None:
        for f in row.table.fields:
            if not f.refs or f.name not in row.values:
                continue
            value = row.values[f.name]
            if f.refs == ("rounds",):
                if value not in self.rounds:
                    known = ", ".join(str(r) for r in sorted(self.rounds))
                    self.error(
                        row,
                        f.name,
                        said("load.round_not_in_rondes", round=value, known=known)
                        if known
                        else said("load.round_not_in_rondes_none", round=value),
                    )
                continue
            for target in value if f.is_list else (value,):
                if not any(self._resolves(target, ref) for ref in f.refs):
                    candidates = self._candidates(f.refs)
                    hint = did_you_mean(target, candidates)
                    self.error(
                        row,
                        f.name,
                        said("load.unknown_ref", what=_ref_words(f.refs), id=target, hint=hint),
                    )

    def _candidates(self, refs: tuple[str, ...]) -> list[str]:
        out: list[str] = []
        for ref in refs:
            if ref == "nodes":
                out += list(self.node_kind)
            elif ref == "links":
                out += list(self.link_ids)
            elif ref == "reviews":
                out += list(self.review_ids)
            else:
                kind = schema.NODE_TABLES[ref].kind
                out += [i for i, k in self.node_kind.items() if k == kind]
        return out

    def _positive_weight(self, row: Row) -> None:
        """A link's weight, and a group's weight of a link in its review, is greater
        than 0: the sign says which way a link works, the weight only how strongly."""
        weight = row.values.get("weight")
        if weight is not None and weight <= 0:
            self.error(row, "weight", said("load.weight_positive", weight=weight))

    def _weight_range(self, row: Row, weight: float | None) -> None:
        """The range an unknown weight is drawn from: bounds from 0 to 1, the lower
        first, and only where the weight itself is unknown."""
        low, high = row.values.get("weight_low"), row.values.get("weight_high")
        for name, bound in (("weight_low", low), ("weight_high", high)):
            if bound is None:
                continue
            header = row.table.field(name).header
            if weight is not None:
                self.error(row, name, said("load.bound_with_weight", header=header))
            elif not 0 <= bound <= 1:
                self.error(row, name, said("load.bound_range", header=header, bound=bound))
        if low is not None and high is not None and 0 <= high < low <= 1:
            self.error(row, "weight_high", said("load.bounds_order", high=high, low=low))

    def _link(self, row: Row) -> None:
        value = row.values.get("link_kind")
        if value is None:
            return
        kind = schema.LINK_KIND_BY_VALUE[value]
        for end, allowed in (("source", kind.sources), ("target", kind.targets)):
            node_kind = self.node_kind.get(row.values.get(end, ""))
            if node_kind is not None and node_kind not in allowed:
                names = ", ".join(
                    schema.NODE_TABLES[schema.TABLE_BY_KIND[k]].sheet for k in allowed
                )
                code = "load.link_cannot_start" if end == "source" else "load.link_cannot_end"
                kind_word = said("load.kind." + node_kind.lower())
                self.error(row, end, said(code, kind=value, node=kind_word, allowed=names))
        for name in schema.KIND_SPECIFIC_LINK_FIELDS:
            if name in row.values and name not in kind.fields:
                header = row.table.field(name).header
                self.error(row, name, said("load.link_has_no", kind=value, header=header))
        self._weight_range(row, row.values.get("weight"))
        # an influence may close on itself: a factor's feedback on itself, as on the
        # diagonal of a fuzzy cognitive map; no other kind of link may
        if (
            kind.name != LinkKind.INFLUENCES
            and row.values.get("source") is not None
            and row.values.get("source") == row.values.get("target")
        ):
            self.error(row, "target", said("load.link_self", kind=value))
        r_in, r_out = row.values.get("round_in"), row.values.get("round_out")
        # equal: entered and left in one round by adjustments, on the map of no round
        if r_in is not None and r_out is not None and r_out < r_in:
            self.error(row, "round_out", said("load.round_order", out=r_out, into=r_in))


def _where(first: Row, row: Row) -> Text:
    """Where ``first`` is, as seen from ``row``: "row 3", or a path and row elsewhere."""
    if first.path == row.path:
        return said("load.row", row=first.number)
    return f"{first.path}:{first.number}"


def _ref_words(refs: tuple[str, ...]) -> Text:
    """What the references may name: ``node``, ``node or link``."""
    return either(*(_ref_word(r) for r in refs))


def _ref_word(ref: str) -> Said:
    kind = schema.NODE_TABLES[ref].kind if ref in schema.NODE_TABLES else ref
    plain = {"nodes": "node", "links": "link", "reviews": "review", "rounds": "round"}
    return said("load.kind." + plain.get(ref, kind.lower()))


def validate_workbook(raw: RawWorkbook) -> dict[str, list[Row]]:
    """Check every table of ``raw``; raise WorkbookInvalid listing all errors.

    Any table may be left out when it would be empty, but a workbook needs at least one
    node table. A sheet the schema does not know is skipped with a
    :class:`~loaders.errors.WorkbookWarning` (a scratch sheet such as "Blad1"), unless
    its name is close to a table the workbook lacks: then it is taken for a misspelt
    table, whose rows would be lost, and is an error.
    """
    errors = list(raw.errors)
    rows: dict[str, list[Row]] = {}
    privacy: dict[str, Text | None] = {}  # each text's privacy problem, checked once
    known = {t.sheet: t for t in schema.TABLES.values()}
    missing = [sheet for sheet in known if sheet not in raw.tables]
    for sheet, table_raw in raw.tables.items():
        table = known.get(sheet)
        if table is None:
            hint = did_you_mean(sheet, missing)
            problem = LoadError(
                table_raw.path, None, None, said("load.unknown_sheet", sheet=sheet, hint=hint)
            )
            if hint:
                errors.append(problem)
            else:
                warnings.warn(
                    WorkbookWarning(
                        LoadError(
                            table_raw.path,
                            None,
                            None,
                            said("load.sheet_skipped", sheet=sheet, tables=", ".join(known)),
                        )
                    ),
                    stacklevel=2,
                )
            continue
        rows[table.name] = _check_table(table_raw, table, errors, privacy)
    nodes = [t.sheet for t in schema.NODE_TABLES.values()]
    if not errors and not any(s in raw.tables or s in raw.unread for s in nodes):
        errors.append(LoadError(raw.path, None, None, said("load.no_nodes")))
    meta_rows = rows.pop("map", [])
    for row in meta_rows:
        not_an_id = schema.id_problem(row.values.get("id", "kaart"))
        if not_an_id:
            errors.append(LoadError(row.path, row.number, row.columns["id"], not_an_id))
    if len(meta_rows) > 1:
        extra = meta_rows[1]
        errors.append(LoadError(extra.path, extra.number, None, said("load.kaart_rows")))
    if not raw.unread:  # references into a sheet not read would all seem broken
        _Checker(rows, errors).run()
    if errors:
        raise WorkbookInvalid(collapse_repeats(errors))
    if meta_rows:
        rows["map"] = meta_rows[:1]
    return rows


#: From this many rows on, one error repeated down a column is reported once.
REPEATS_COLLAPSED = 3


def collapse_repeats(errors: list[LoadError]) -> list[LoadError]:
    """The same message in the same column of many rows as one error naming the rows.

    >>> errors = [LoadError("f.csv", r, "niveau", said("load.required")) for r in (2, 3, 4, 7)]
    >>> [str(e) for e in collapse_repeats(errors)]
    ['f.csv:2:niveau: required value missing (4 rows: 2-4, 7)']
    """
    groups: dict[tuple[str, str | None, Text], list[LoadError]] = {}
    for e in errors:
        if e.row is not None:
            groups.setdefault((e.path, e.column, e.message), []).append(e)
    out: list[LoadError] = []
    done: set[tuple[str, str | None, Text]] = set()
    for e in errors:
        key = (e.path, e.column, e.message)
        group = groups.get(key, [])
        if e.row is None or len(group) < REPEATS_COLLAPSED:
            out.append(e)
        elif key not in done:
            done.add(key)
            rows = sorted({g.row for g in group if g.row is not None})
            message = said("load.repeated", message=e.message, n=len(rows), rows=_ranges(rows))
            out.append(LoadError(e.path, rows[0], e.column, message))
    return out


def _ranges(numbers: list[int]) -> str:
    """``2-4, 7`` for [2, 3, 4, 7]."""
    parts: list[str] = []
    start = prev = numbers[0]
    for n in [*numbers[1:], None]:
        if n is not None and n == prev + 1:
            prev = n
            continue
        parts.append(str(start) if start == prev else f"{start}-{prev}")
        if n is not None:
            start = prev = n
    return ", ".join(parts)


def build_map(rows: dict[str, list[Row]], default_id: str) -> SystemMap:
    """The SystemMap of validated rows."""
    meta = dict(rows["map"][0].values) if rows.get("map") else {}
    map_id = meta.pop("id", None) or default_id
    name = meta.pop("name", None) or map_id
    m = SystemMap(map_id, name, **meta)
    quotes: list[Row] = []
    for table_name, table in schema.NODE_TABLES.items():
        for row in rows.get(table_name, []):
            values = dict(row.values)
            if table.kind == "Quote":
                quotes.append(row)  # quotes last: their ABOUT links need every node
                continue
            m.add_node(table.kind, values.pop("id"), values.pop("name"), **values)
    for row in quotes:
        values = dict(row.values)
        m.add_node("Quote", values.pop("id"), values.pop("name"), **values)
    for row in rows.get("links", []):
        values = dict(row.values)
        kind = schema.LINK_KIND_BY_VALUE[values.pop("link_kind")].name
        m.add_link(values.pop("id"), kind, values.pop("source"), values.pop("target"), **values)
    for table_name in schema.RECORD_TABLES:
        for row in rows.get(table_name, []):
            m.add_record(table_name, **row.values)
    return m
