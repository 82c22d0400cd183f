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
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from graph import SystemMap, schema
from graph.cycle import TESTED_KINDS, check_round, present, rounds
from graph.errors import FormError, UnknownRound, said
from graph.phrasing import link_statement
from loaders.edit import change_workbook
from loaders.errors import did_you_mean
from loaders.form_reader import (
    FIELD,
    FORM_SHEET,
    INFO_SHEET,
    LINK,
    MAP_FIELD,
    NOTE,
    NUMBER,
    ROUND_FIELD,
    SESSION_FIELD,
    STATEMENT,
    VALUE,
    FormReviews,
    _FormReader,
    note_column,
    review_id,
)
from loaders.session_file import is_session_file, read_session_file

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
            raise FormError(said("form.link_not_on_map", link=link_id, round=round, hint=hint))
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
    form = Output(
        said("write.what.review_form"), False, lambda old: FORM_SHEET in (xlsx_sheets(old) or ())
    )
    check_round(rounds(m), round)
    groups = list(groups)
    if not groups:
        raise FormError(said("form.no_group"))
    for group in groups:
        if group not in schema.GROUPS:
            hint = did_you_mean(group, schema.GROUPS)
            raise FormError(said("form.unknown_group", group=group, hint=hint))
    if len(set(groups)) != len(groups):
        raise FormError(said("form.each_group_once"))
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


def read_review_form(m: SystemMap, path: str | Path, session: str | None = None) -> FormReviews:
    """Check a filled-in review form against ``m``; its reviews, new and already recorded.

    ``session`` (a session id) overrides the form's ``sessie``. Raises
    :class:`loaders.errors.WorkbookInvalid` listing every problem, by cell.

    A session saved by the map page's toetsmodus (a ``.json`` file) is read by
    :func:`loaders.session_file.read_session_file`, with the same checks.
    """
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
