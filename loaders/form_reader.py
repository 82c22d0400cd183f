"""Reading a filled-in review form: the form's layout and the checks that a form and
a session saved by the map page share.

:mod:`loaders.review_form` writes the form and reads one back;
:mod:`loaders.session_file` reads a saved session with the same checks, its reader
being a kind of this one. Each problem is noted with where it stands, and all of them
are reported together (:class:`loaders.errors.WorkbookInvalid`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from graph import SystemMap, schema
from graph.cycle import present, rounds
from graph.errors import Text, said
from loaders.errors import LoadError, WorkbookInvalid, did_you_mean
from loaders.privacy import privacy_problem
from loaders.read import RawTable, read_workbook

if TYPE_CHECKING:
    from loaders.session_file import Proposal

__all__ = [
    "FORM_SHEET",
    "INFO_SHEET",
    "FormReviews",
    "note_column",
    "review_id",
    "unknown_verdict",
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


def review_id(round: int, link: str, group: str) -> str:
    """The id of one group's review of one link in one round.

    >>> review_id(1, "inv-ouders-geluk-kind", "ouder")
    'r1-inv-ouders-geluk-kind-ouder'
    """
    return f"r{round}-{link}-{group}"


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

    def error(self, where: str, row: int | None, column: str | None, message: Text) -> None:
        """Note one problem; every one is reported together."""
        self.errors.append(LoadError(where, row, column, message))

    def read(self) -> FormReviews:
        raw = read_workbook(self.path)
        self.errors += raw.errors
        if not raw.errors and self.path.suffix.lower() != ".xlsx":
            self.error(str(self.path), None, None, said("form.not_xlsx"))
        if self.errors:
            raise WorkbookInvalid(self.errors)
        for sheet in (FORM_SHEET, INFO_SHEET):
            if sheet not in raw.tables:
                self.error(str(self.path), None, None, said("form.missing_sheet", sheet=sheet))
        if INFO_SHEET in raw.tables:
            self._info(raw.tables[INFO_SHEET])
        if self.session is not None and self.session not in _session_ids(self.m):
            hint = did_you_mean(self.session, _session_ids(self.m))
            self.error(
                str(self.path),
                None,
                None,
                said("form.unknown_session", session=self.session, hint=hint),
            )
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
                    self.error(table.path, 1, _letter(i), said("load.values_no_header"))
            elif name not in known:
                self.error(
                    table.path,
                    1,
                    header,
                    said("load.unknown_column", hint=did_you_mean(header, known)),
                )
            elif name in columns:
                self.error(table.path, 1, header, said("load.column_twice"))
            else:
                columns[name] = i
        return columns

    def _info(self, table: RawTable) -> None:
        columns = self._columns(table, (FIELD, VALUE))
        for header in (FIELD, VALUE):
            if header not in columns:
                self.error(table.path, 1, header, said("load.missing_column"))
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
                self.error(
                    *where[:2], table.headers[columns[FIELD]], said("form.field_twice", name=name)
                )
                continue
            seen[name] = number
            if name in (MAP_FIELD, ROUND_FIELD) and not value:
                self.error(*where, said("load.required"))
            elif name == MAP_FIELD:
                self._check_map(value, where)
            elif name == ROUND_FIELD:
                self.round = self._round(value, where)
            elif name == SESSION_FIELD and value:
                self._take_session(value, where)
        for name in (MAP_FIELD, ROUND_FIELD):
            if name not in seen:
                self.error(table.path, None, None, said("form.missing_field", name=name))

    def _check_map(self, value: str, where: Place) -> None:
        """The map the reactions were given on must be the map they go into."""
        if value != self.m.id:
            self.error(*where, said("form.other_map." + self.noun, map=value, this=self.m.id))

    def _take_session(self, value: str, where: Place) -> None:
        """The session the file names, unless one was given: it must be on the map."""
        if self.session is not None:
            return
        if value in _session_ids(self.m):
            self.session = value
        else:
            hint = did_you_mean(value, _session_ids(self.m))
            self.error(*where, said("form.unknown_session", session=value, hint=hint))

    def _round(self, value: str, where: Place) -> int | None:
        try:
            number = float(value.replace(",", "."))
        except ValueError:
            number = -1.0
        if not number.is_integer() or number < 1:
            self.error(*where, said("form.not_a_round", value=value))
            return None
        if int(number) not in rounds(self.m):
            listed = ", ".join(map(str, rounds(self.m))) or "none"
            self.error(*where, said("form.round_not_in_rondes", round=int(number), rounds=listed))
            return None
        return int(number)

    def _reviews(self, table: RawTable) -> list[Found]:
        """Each review with where its verdict stands: (review, sheet path, row, header)."""
        known = (NUMBER, STATEMENT, NOTE, LINK, *schema.GROUPS, *map(note_column, schema.GROUPS))
        columns = self._columns(table, known)
        if LINK not in columns:
            self.error(table.path, 1, LINK, said("form.missing_link_column"))
        groups = sorted((g for g in schema.GROUPS if g in columns), key=columns.__getitem__)
        if not groups and table.headers:
            self.error(
                table.path, 1, None, said("form.no_group_column", groups=", ".join(schema.GROUPS))
            )
        if LINK not in columns:
            return []
        out: list[Found] = []
        first: dict[str, int] = {}
        for number, cells in table.rows:
            for i, cell in enumerate(cells):
                if cell and i >= len(table.headers):
                    self.error(table.path, number, _letter(i), said("load.value_no_header"))
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
                self.error(table.path, number, link_header, said("load.required"))
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
