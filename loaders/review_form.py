"""The reactieformulier: a sheet to test a round's links with groups, and reading it back.

:func:`write_review_form` writes an ``.xlsx`` file a facilitator can print or fill
in on a laptop: on the sheet ``reacties`` one row per link, the link as a plain Dutch
sentence, per group a column with a dropdown (eens / oneens / neutraal /
aanvulling) and a column for what that group said (``toelichting ouder``...), and the
link's id in a hidden column; on the sheet ``gegevens`` the map, the round and the
session. Every cell the form holds is a value, never a formula, whatever the names in
the workbook are.

After the session the analyst fills in the form. :func:`read_review_form` checks it
like any workbook, every problem reported as ``FILE[sheet]:ROW:COLUMN: message``
(:class:`loaders.errors.LoadError`), and gives one review per filled-in cell, with
the remark of its own group only. A form of the earlier layout, with one
``toelichting`` column for all groups, still reads: its remark cannot be told apart
by group, so it goes with each verdict of its row, as it did.
:func:`record_review_form` then appends them to a workbook's ``toetsing`` sheet,
all of them or, when anything is wrong, none. A review's id follows from its round,
link and group (:func:`review_id`), so a form read in twice records each review
once; a review already recorded with another verdict is an error, never a change.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from graph import SystemMap, schema
from graph.cycle import TESTED_KINDS, check_round, present, rounds
from graph.errors import UnknownRound, VersterktError
from graph.phrasing import link_statement
from loaders.edit import change_workbook
from loaders.errors import LoadError, WorkbookInvalid, did_you_mean
from loaders.privacy import privacy_problem
from loaders.read import RawTable, read_workbook

if TYPE_CHECKING:
    from loaders.session_file import Proposal

__all__ = [
    "FORM_SHEET",
    "INFO_SHEET",
    "FormError",
    "FormReviews",
    "ReviewImport",
    "add_form_reviews",
    "import_review_form",
    "read_review_form",
    "record_review_form",
    "review_id",
    "write_review_form",
]

#: The sheet with one row per link.
FORM_SHEET = "reacties"
#: The sheet naming the map, the round and the session.
INFO_SHEET = "gegevens"

NUMBER, STATEMENT, NOTE, LINK = "nr", "stelling", "toelichting", "relatie"


def note_column(group: str) -> str:
    """The header of the column for what ``group`` said.

    >>> note_column("ouder")
    'toelichting ouder'
    """
    return f"{NOTE} {group}"


FIELD, VALUE = "veld", "waarde"
MAP_FIELD, ROUND_FIELD, SESSION_FIELD = "kaart", "ronde", "sessie"

GUIDE = (
    "Reactieformulier",
    "Lees elke stelling voor en vraag per groep: eens, oneens of neutraal? Kies "
    "aanvulling als een groep iets toevoegt zonder eens of oneens te zijn.",
    "Laat een cel leeg als een groep er niets over zei.",
    "Schrijf onder «toelichting» van een groep wat die groep zei: zonder namen, "
    "e-mailadressen of telefoonnummers. Citaten horen bij een groep, nooit bij een persoon.",
    "Vul op het blad gegevens de sessie in (een id van het blad sessies).",
    "Verander de kolom relatie niet: die verbindt elke regel met de kaart.",
    "Lees het formulier daarna in met: versterkt review-import FORMULIER.xlsx WERKBOEK",
)


class FormError(VersterktError, ValueError):
    """A review form that cannot be written as asked: an unknown round, group or link."""


def review_id(round: int, link: str, group: str) -> str:
    """The id of one group's review of one link in one round.

    >>> review_id(1, "inv-ouders-geluk-kind", "ouder")
    'r1-inv-ouders-geluk-kind-ouder'
    """
    return f"r{round}-{link}-{group}"


# --- writing the form -------------------------------------------------------------------


def _form_links(
    m: SystemMap, round: int, links: Sequence[str] | None, kinds: Sequence[str]
) -> list[Any]:
    """The links on the form: those given, or every link of ``kinds`` on the map."""
    on_map = {
        link.id: link
        for link in m.links()
        if present(link.fields, round)
        and present(m.node(link.source).fields, round)
        and present(m.node(link.target).fields, round)
    }
    if links is None:
        return [link for link in on_map.values() if link.kind in kinds]
    chosen = []
    for link_id in links:
        if link_id not in on_map:
            hint = did_you_mean(link_id, on_map)
            raise FormError(f'link "{link_id}" is not on the map in round {round}{hint}')
        chosen.append(on_map[link_id])
    return chosen


def write_review_form(
    m: SystemMap,
    round: int,
    path: str | Path,
    groups: Sequence[str] = schema.GROUPS,
    *,
    links: Sequence[str] | None = None,
    kinds: Sequence[str] = TESTED_KINDS,
) -> Path:
    """Write the reactieformulier for the links on the map in ``round``.

    Parameters
    ----------
    m : SystemMap
    round : int
        The round whose links are tested (a number of the ``rondes`` sheet).
    path : str or Path
        The ``.xlsx`` file to write.
    groups : sequence of str
        The groups in the session, one column each (of :data:`graph.schema.GROUPS`).
    links : sequence of str, optional
        The ids of the links to put on the form, in this order (for instance the top
        of :func:`queries.agenda.agenda`); by default every link of ``kinds`` on the
        map in ``round``, in the order of the ``relaties`` sheet.
    kinds : sequence of str
        The link kinds on the form when ``links`` is not given.

    Raises
    ------
    FormError
        For an unknown round or group, or a link not on the map in the round.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    from loaders.write import Output, append_row, check_output, save_workbook, xlsx_sheets

    # it takes the place of nothing but a review form
    form = Output("a review form", False, lambda old: FORM_SHEET in (xlsx_sheets(old) or ()))
    check_round(rounds(m), round)
    groups = list(groups)
    if not groups:
        raise FormError("name at least one group")
    for group in groups:
        if group not in schema.GROUPS:
            raise FormError(f'unknown group "{group}"{did_you_mean(group, schema.GROUPS)}')
    if len(set(groups)) != len(groups):
        raise FormError("each group once")
    chosen = _form_links(m, round, links, kinds)
    check_output(path, form)

    wb = Workbook()
    ws = wb.worksheets[0]  # the one sheet a new workbook has
    ws.title = FORM_SHEET
    headers = [NUMBER, STATEMENT, *(h for g in groups for h in (g, note_column(g))), LINK]
    ws.append(headers)
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
    for cell in ws[1]:
        cell.font, cell.fill = bold, fill
    wrap = Alignment(wrap_text=True, vertical="top")
    for number, link in enumerate(chosen, start=1):
        sentence = link_statement(
            link.kind, link.get("sign"), m.node(link.source).name, m.node(link.target).name
        )
        # text from the workbook's names: checked, and never a formula
        append_row(ws, [number, sentence, *([None] * 2 * len(groups)), link.id], str(path))
        for cell in ws[ws.max_row]:
            cell.alignment = wrap
    verdicts = DataValidation(
        type="list",
        formula1='"' + ",".join(schema.VERDICTS) + '"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="oordeel",
        error="Kies eens, oneens, neutraal of aanvulling.",
    )
    ws.add_data_validation(verdicts)
    last_row = max(2, len(chosen) + 1)
    for i, header in enumerate(headers, start=1):
        letter = get_column_letter(i)
        if header in groups:
            verdicts.add(f"{letter}2:{letter}{last_row}")
        width = {NUMBER: 5, STATEMENT: 60, LINK: 30}.get(header, 14)
        if header.startswith(NOTE):
            width = 36
        ws.column_dimensions[letter].width = width
    ws.column_dimensions[get_column_letter(len(headers))].hidden = True
    ws.freeze_panes = "C2"
    ws.page_setup.orientation = "landscape"
    ws.print_title_rows = "1:1"

    info = wb.create_sheet(INFO_SHEET)
    info.append([FIELD, VALUE])
    info.append([MAP_FIELD, m.id])
    info["B2"].data_type = "s"
    info.append([ROUND_FIELD, round])
    info.append([SESSION_FIELD, None])
    for cell in info[1]:
        cell.font, cell.fill = bold, fill
    info.column_dimensions["A"].width = 12
    info.column_dimensions["B"].width = 40
    sessions = [s.id for s in m.sessions()]
    choices = '"' + ",".join(sessions) + '"'
    if sessions and len(choices) <= 255:  # the longest list Excel takes inline
        dv = DataValidation(type="list", formula1=choices, allow_blank=True)
        info.add_data_validation(dv)
        dv.add("B4")

    guide = wb.create_sheet("uitleg")
    for line in GUIDE:
        guide.append([line])
    guide["A1"].font = Font(bold=True, size=14)
    guide.column_dimensions["A"].width = 110

    return save_workbook(wb, path, form)


# --- reading it back --------------------------------------------------------------------


@dataclass
class FormReviews:
    """The reviews of a form: those new to the map, and those it already records; from a
    session saved by the map page also the groups' proposals
    (:class:`loaders.session_file.Proposal`), which are suggestions, never recorded."""

    new: list[dict[str, Any]] = field(default_factory=list)
    recorded: list[dict[str, Any]] = field(default_factory=list)
    proposals: list[Proposal] = field(default_factory=list)
    #: From a live session's file: new rows of the record tables ``votes`` (the
    #: stemmen sheet) and ``attendance`` (deelname), by table; and how many rows the
    #: map already held as they are.
    records: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    records_recorded: int = 0


#: Where a value stands: (file or sheet, row, column); no row in a file without rows.
Place = tuple[str, int | None, str]
#: A review with where its verdict stands.
Found = tuple[dict[str, Any], str, int | None, str]


class _FormReader:
    """Checks one form against one map, collecting every error."""

    #: What the file is called in a message.
    noun = "form"

    def __init__(self, m: SystemMap, path: Path, session: str | None) -> None:
        self.m = m
        self.path = path
        self.session = session
        self.errors: list[LoadError] = []
        self.round: int | None = None

    def error(self, where: str, row: int | None, column: str | None, message: str) -> None:
        """Note one problem; every one is reported together."""
        self.errors.append(LoadError(where, row, column, message))

    def read(self) -> FormReviews:
        raw = read_workbook(self.path)
        self.errors += raw.errors
        if not raw.errors and self.path.suffix.lower() != ".xlsx":
            self.error(str(self.path), None, None, "not a review form: give the .xlsx file")
        if self.errors:
            raise WorkbookInvalid(self.errors)
        for sheet in (FORM_SHEET, INFO_SHEET):
            if sheet not in raw.tables:
                self.error(str(self.path), None, None, f'missing sheet "{sheet}"')
        if INFO_SHEET in raw.tables:
            self._info(raw.tables[INFO_SHEET])
        if self.session is not None and self.session not in _session_ids(self.m):
            hint = did_you_mean(self.session, _session_ids(self.m))
            self.error(str(self.path), None, None, f'unknown session "{self.session}"{hint}')
        reviews = self._reviews(raw.tables[FORM_SHEET]) if FORM_SHEET in raw.tables else []
        if self.errors:
            raise WorkbookInvalid(self.errors)
        return self._split(reviews)

    def _columns(self, table: RawTable, known: Sequence[str]) -> dict[str, int]:
        columns: dict[str, int] = {}
        for i, header in enumerate(table.headers):
            name = header.lower()
            if not header:
                if any(i < len(cells) and cells[i] for _, cells in table.rows):
                    self.error(table.path, 1, _letter(i), "values in a column without header")
            elif name not in known:
                self.error(table.path, 1, header, f"unknown column{did_you_mean(header, known)}")
            elif name in columns:
                self.error(table.path, 1, header, "column appears twice")
            else:
                columns[name] = i
        return columns

    def _info(self, table: RawTable) -> None:
        columns = self._columns(table, (FIELD, VALUE))
        for header in (FIELD, VALUE):
            if header not in columns:
                self.error(table.path, 1, header, "missing column")
        if len(columns) < 2:
            return
        seen: dict[str, int] = {}
        for number, cells in table.rows:
            name = _cell(cells, columns[FIELD]).lower()
            value = _cell(cells, columns[VALUE])
            where = (table.path, number, table.headers[columns[VALUE]])
            if name not in (MAP_FIELD, ROUND_FIELD, SESSION_FIELD):
                known = (MAP_FIELD, ROUND_FIELD, SESSION_FIELD)
                self.error(
                    table.path,
                    number,
                    table.headers[columns[FIELD]],
                    f'unknown field "{name}"{did_you_mean(name, known)}',
                )
                continue
            if name in seen:
                self.error(*where[:2], table.headers[columns[FIELD]], f"{name} appears twice")
                continue
            seen[name] = number
            if name in (MAP_FIELD, ROUND_FIELD) and not value:
                self.error(*where, "required value missing")
            elif name == MAP_FIELD:
                self._check_map(value, where)
            elif name == ROUND_FIELD:
                self.round = self._round(value, where)
            elif name == SESSION_FIELD and value:
                self._take_session(value, where)
        for name in (MAP_FIELD, ROUND_FIELD):
            if name not in seen:
                self.error(table.path, None, None, f'missing the field "{name}"')

    def _check_map(self, value: str, where: Place) -> None:
        """The map the reactions were given on must be the map they go into."""
        if value != self.m.id:
            self.error(*where, f'this {self.noun} is for map "{value}", not "{self.m.id}"')

    def _take_session(self, value: str, where: Place) -> None:
        """The session the file names, unless one was given: it must be on the map."""
        if self.session is not None:
            return
        if value in _session_ids(self.m):
            self.session = value
        else:
            hint = did_you_mean(value, _session_ids(self.m))
            self.error(*where, f'unknown session "{value}"{hint}')

    def _round(self, value: str, where: Place) -> int | None:
        try:
            number = float(value.replace(",", "."))
        except ValueError:
            number = -1.0
        if not number.is_integer() or number < 1:
            self.error(*where, f'not a round number: "{value}"')
            return None
        if int(number) not in rounds(self.m):
            listed = ", ".join(map(str, rounds(self.m))) or "none"
            self.error(*where, f"round {int(number)} is not in rondes (rounds: {listed})")
            return None
        return int(number)

    def _reviews(self, table: RawTable) -> list[Found]:
        """Each review with where its verdict stands: (review, sheet path, row, header)."""
        known = (NUMBER, STATEMENT, NOTE, LINK, *schema.GROUPS, *map(note_column, schema.GROUPS))
        columns = self._columns(table, known)
        if LINK not in columns:
            self.error(table.path, 1, LINK, "missing column (it holds the link ids)")
        groups = sorted((g for g in schema.GROUPS if g in columns), key=columns.__getitem__)
        if not groups and table.headers:
            self.error(table.path, 1, None, f"no column for a group ({', '.join(schema.GROUPS)})")
        if LINK not in columns:
            return []
        out: list[Found] = []
        first: dict[str, int] = {}
        for number, cells in table.rows:
            for i, cell in enumerate(cells):
                if cell and i >= len(table.headers):
                    self.error(table.path, number, _letter(i), "value in a column without header")
            private = set()
            for i in columns.values():
                problem = privacy_problem(_cell(cells, i))
                if problem:
                    self.error(table.path, number, table.headers[i], problem)
                    private.add(i)
            link_header = table.headers[columns[LINK]]
            link_id = _cell(cells, columns[LINK])
            # the earlier layout: one remark for the row, with every verdict in it
            shared = _cell(cells, columns[NOTE]) if NOTE in columns else ""
            notes = {
                group: _cell(cells, columns[note_column(group)]) or shared
                if note_column(group) in columns
                else shared
                for group in schema.GROUPS
            }
            if not link_id:
                self.error(table.path, number, link_header, "required value missing")
                continue
            if link_id in first:
                self.error(
                    table.path,
                    number,
                    link_header,
                    f'link "{link_id}" appears twice (first at row {first[link_id]})',
                )
                continue
            first[link_id] = number
            self._check_link(link_id, table.path, number, link_header)
            verdicts = {}
            for group in groups:
                raw = _cell(cells, columns[group])
                if not raw or columns[group] in private:
                    continue
                verdict = _verdict(raw)
                if verdict is None:
                    self.error(
                        table.path, number, table.headers[columns[group]], unknown_verdict(raw)
                    )
                else:
                    verdicts[group] = verdict
            for group in schema.GROUPS:
                header = note_column(group) if note_column(group) in columns else NOTE
                if header not in columns or not notes[group] or group in verdicts:
                    continue
                if header == NOTE and verdicts:
                    continue
                if not self._row_has_errors(table.path, number):
                    self.error(
                        table.path,
                        number,
                        table.headers[columns[header]],
                        "a note without a verdict: choose one for the group that said it "
                        "(aanvulling for an addition)",
                    )
                    break
            if self.round is None:
                continue
            for group, verdict in verdicts.items():
                review = {
                    "id": review_id(self.round, link_id, group),
                    "link": link_id,
                    "round": self.round,
                    "group": group,
                    "verdict": verdict,
                    "session": self.session,
                    "note": notes[group] or None,
                }
                out.append((review, table.path, number, table.headers[columns[group]]))
        return out

    def _row_has_errors(self, path: str, number: int) -> bool:
        return any(e.path == path and e.row == number for e in self.errors)

    def _check_link(self, link_id: str, path: str, number: int | None, header: str) -> bool:
        """Whether ``link_id`` names a link on the map in the round; an error if not."""
        if link_id not in self.m or link_id in self.m.graph:
            links = [link.id for link in self.m.links()]
            self.error(
                path, number, header, f'unknown link "{link_id}"{did_you_mean(link_id, links)}'
            )
            return False
        link = self.m.link(link_id)
        ends = (self.m.node(link.source).fields, self.m.node(link.target).fields)
        if self.round is not None and not all(present(f, self.round) for f in (link.fields, *ends)):
            self.error(
                path, number, header, f'link "{link_id}" is not on the map in round {self.round}'
            )
            return False
        return True

    def _split(self, found: list[Found]) -> FormReviews:
        """New reviews apart from those the map already has; a conflict is an error."""
        existing = {r["id"]: r for r in self.m.reviews}
        by_key = {(r["round"], r["link"], r["group"]): r for r in self.m.reviews}
        result = FormReviews()
        for review, path, number, header in found:
            clean = {k: v for k, v in review.items() if v is not None}
            earlier = existing.get(review["id"]) or by_key.get(
                (review["round"], review["link"], review["group"])
            )
            if earlier is None:
                result.new.append(clean)
            elif _same(earlier, clean):
                result.recorded.append(clean)
            else:
                self.error(
                    path,
                    number,
                    header,
                    f'review {earlier["id"]} is already recorded as "{earlier["verdict"]}"'
                    + (f" (session {earlier['session']})" if earlier.get("session") else "")
                    + "; a recorded review is not changed: correct the toetsing sheet by hand "
                    "if it is wrong",
                )
        if self.errors:
            raise WorkbookInvalid(self.errors)
        return result


def _same(earlier: dict[str, Any], review: dict[str, Any]) -> bool:
    keys = ("link", "round", "group", "verdict", "session", "note")
    return all(earlier.get(k) == review.get(k) for k in keys)


def _cell(cells: list[str], index: int) -> str:
    return cells[index] if index < len(cells) else ""


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


def unknown_verdict(raw: str) -> str:
    """The message for a verdict outside the list.

    >>> unknown_verdict("eensch")
    'unknown verdict "eensch" (did you mean "eens"?); allowed: "eens", "oneens", "neutraal", \
"aanvulling"'
    """
    allowed = ", ".join(f'"{v}"' for v in schema.VERDICTS)
    return f'unknown verdict "{raw}"{did_you_mean(raw, schema.VERDICTS)}; allowed: {allowed}'


def _verdict(raw: str) -> str | None:
    for verdict in schema.VERDICTS:
        if verdict == raw.lower():
            return verdict
    return None


def _session_ids(m: SystemMap) -> list[str]:
    return [s.id for s in m.sessions()]


def read_review_form(m: SystemMap, path: str | Path, session: str | None = None) -> FormReviews:
    """Check a filled-in review form against ``m``; its reviews, new and already recorded.

    ``session`` (a session id) overrides the form's ``sessie``. Raises
    :class:`loaders.errors.WorkbookInvalid` listing every problem, by cell.

    A session saved by the map page's toetsmodus (a ``.json`` file) is read by
    :func:`loaders.session_file.read_session_file`, with the same checks.
    """
    from loaders.session_file import is_session_file, read_session_file

    if is_session_file(path):
        return read_session_file(m, path, session)
    return _FormReader(m, Path(path), session).read()


def import_review_form(m: SystemMap, path: str | Path, session: str | None = None) -> SystemMap:
    """A copy of ``m`` with the form's new reviews added; ``m`` itself is left alone."""
    found = read_review_form(m, path, session)
    out = copy.deepcopy(m)
    for review in found.new:
        out.add_record("reviews", **review)
    return out


def add_form_reviews(m: SystemMap, form: str | Path, session: str | None = None) -> FormReviews:
    """Check a filled-in form against ``m`` and add its new reviews to ``m`` in place
    (nothing when the form has an error); what was new and what was recorded already.
    For a map in Neo4j: ``store.change(map_id, lambda m: add_form_reviews(m, form))``."""
    found = read_review_form(m, form, session)
    recorded = sorted(r["number"] for r in m.rounds)
    for k in dict.fromkeys(review["round"] for review in found.new):
        if k not in recorded:
            # a map without rounds is in round 1, but a review needs its round recorded
            listed = ", ".join(map(str, recorded)) or "none"
            raise UnknownRound(
                f"round {k} is not in rondes (rounds: {listed})", round=k, known=recorded
            )
    for review in found.new:
        m.add_record("reviews", **review)
    for table, rows in found.records.items():
        for row in rows:
            m.add_record(table, **row)
    return found


# --- recording it in a workbook ---------------------------------------------------------


@dataclass
class ReviewImport:
    """What :func:`record_review_form` did."""

    workbook: Path
    recorded: list[dict[str, Any]]
    already_recorded: list[dict[str, Any]]


def record_review_form(
    form: str | Path, workbook: str | Path, session: str | None = None
) -> ReviewImport:
    """Append the form's new reviews to the ``toetsing`` sheet of ``workbook``.

    The workbook (an ``.xlsx`` file or a folder of ``.csv``) is read and validated,
    then the form is checked against it; any error raises
    :class:`loaders.errors.WorkbookInvalid` and nothing is written. The new rows are
    written in place, all or nothing, as :func:`loaders.edit.change_workbook` writes:
    other sheets, other files and the rows already there are left as they are.
    """

    target = Path(workbook)
    found = change_workbook(target, lambda m: add_form_reviews(m, form, session))
    return ReviewImport(target, found.new, found.recorded)
