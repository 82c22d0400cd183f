"""The file the map page's toetsmodus saves, read back like a review form.

In a session the facilitator records, on the map page itself, each group's verdict on
a link with what that group said, and the proposals the groups make. The page saves
them as one JSON file (``toetssessie-….json``)::

    {
      "format": "versterkt-toetssessie", "version": 1,
      "map": "vleuten", "round": 1, "session": "oudersessie",
      "entries": [{"link": "inv-…", "group": "ouder", "verdict": "eens", "note": "…"}],
      "proposals": [
        {"kind": "link", "group": "jongere", "source": "…", "target": "…", "sign": "+",
         "note": "…"},
        {"kind": "sign", "group": "ouder", "link": "inv-…", "sign": "-", "note": "…"},
        {"kind": "factor", "group": "professional", "name": "Sociale media", "note": "…"}
      ],
      "votes": [{"statement": "…", "eens": 4, "neutraal": 2, "oneens": 1, "prioriteit": 3,
                 "note": "…"}],
      "attendance": [{"group": "ouder", "count": 7}]
    }

A live session (:mod:`sessie`) saves the same file, with the votes on each statement
and the priority picks (rows of the ``stemmen`` sheet) and how many took part per
group (rows of ``deelname``); these need the session, and a row the map already holds
with other counts is an error, never a change.

:func:`read_session_file` checks it with the rules of the review form
(:mod:`loaders.review_form`): the same map, round, session, link and verdict checks
and messages, one review per group and link, a recorded review never changed. Every
problem points at its entry, as ``FILE:entries[3].group: message`` (entries and
proposals counted from 0, as in a JSON path). The proposals come back as
:class:`Proposal`: suggested adjustments, each with what an adjustment that makes it
needs (the command line lists each as the command that would make it), for the
analyst to accept or not.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from graph import SystemMap, schema
from graph.cycle import present
from graph.errors import said
from graph.vocabulary import Verdict
from loaders import bounded
from loaders.errors import WorkbookInvalid, did_you_mean
from loaders.form_reader import (
    FormReviews,
    Found,
    _FormReader,
    _verdict,
    review_id,
    unknown_verdict,
)
from loaders.interchange import slug
from loaders.privacy import privacy_problem

__all__ = [
    "FORMAT",
    "PROPOSAL_KINDS",
    "Proposal",
    "is_session_file",
    "read_session_file",
]

#: The value of ``format`` in a saved session.
FORMAT = "versterkt-toetssessie"
#: The kinds of proposal: a new link, another sign for a link, a missing factor.
PROPOSAL_KINDS = ("link", "sign", "factor")

_TOP_FIELDS = (
    "format",
    "version",
    "map",
    "round",
    "session",
    "saved",
    "entries",
    "proposals",
    "votes",
    "attendance",
)
_ENTRY_FIELDS = ("link", "group", "verdict", "note")
#: A statement's votes in the session, by the headers of the stemmen sheet.
_VOTE_FIELDS = (
    "statement",
    Verdict.AGREE.value,
    Verdict.NEUTRAL.value,
    Verdict.DISAGREE.value,
    "prioriteit",
    "note",
)
_VOTE_COUNTS = {
    Verdict.AGREE.value: "agree",
    Verdict.NEUTRAL.value: "neutral",
    Verdict.DISAGREE.value: "disagree",
    "prioriteit": "priority",
}
_ATTENDANCE_FIELDS = ("group", "count")
_PROPOSAL_FIELDS = {
    "link": ("kind", "group", "source", "target", "sign", "note"),
    "sign": ("kind", "group", "link", "sign", "note"),
    "factor": ("kind", "group", "name", "note"),
}


@dataclass(frozen=True)
class Proposal:
    """A change a group proposed in the session: an adjustment for the analyst to make
    (with :meth:`reason`, in the round :meth:`round_name` names when it has to be
    opened) or to leave."""

    kind: str
    group: str
    round: int
    session: str | None = None
    note: str | None = None
    source: str | None = None
    target: str | None = None
    sign: str | None = None
    link: str | None = None
    name: str | None = None
    #: The id the new link or factor would get.
    new_id: str | None = None

    def reason(self) -> str:
        """Why, in the words of the map: who proposed it, where, and what they said."""
        where = (
            f"sessie {self.session}, ronde {self.round}"
            if self.session
            else (f"ronde {self.round}")
        )
        said = f": {self.note}" if self.note else ""
        return f"voorstel van {self.group} ({where}){said}"

    def round_name(self) -> str:
        """The name of the round the change goes into, when it has to be opened: the
        round after the one the session tested."""
        return f"Na {self.session}" if self.session else f"Na ronde {self.round}"


def is_session_file(path: str | Path) -> bool:
    """Whether ``path`` is a saved session rather than a review form: a ``.json`` file,
    or a file whose first character is ``{``."""
    path = Path(path)
    if path.suffix.lower() == ".json":
        return True
    try:
        with path.open("rb") as fh:
            return fh.read(64).lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{")
    except OSError:
        return False


class _SessionFileReader(_FormReader):
    """Checks one saved session against one map, collecting every error."""

    noun = "file"

    def read(self) -> FormReviews:
        name = str(self.path)
        try:
            data = bounded.read_json(self.path)
        except WorkbookInvalid as e:
            for error in e.errors:
                self.error(
                    name,
                    error.row,
                    error.column,
                    said("form.not_saved_session", message=error.message),
                )
            raise WorkbookInvalid(self.errors) from None
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            self.error(name, None, "format", said("form.no_format", format=FORMAT))
            raise WorkbookInvalid(self.errors)
        self._unknown_fields(data, _TOP_FIELDS, "")
        map_id = data.get("map")
        if not isinstance(map_id, str) or not map_id:
            self.error(name, None, "map", said("load.required"))
        else:
            self._check_map(map_id, (name, None, "map"))
        round_ = data.get("round")
        if round_ is None or isinstance(round_, bool):
            self.error(name, None, "round", said("load.required"))
        else:
            self.round = self._round(str(round_), (name, None, "round"))
        session = data.get("session")
        if session not in (None, "") and not isinstance(session, str):
            self.error(name, None, "session", said("form.not_a_session_id"))
        elif session:
            self._take_session(session, (name, None, "session"))
        elif self.session is not None and self.session not in [s.id for s in self.m.sessions()]:
            hint = did_you_mean(self.session, [s.id for s in self.m.sessions()])
            self.error(
                name, None, None, said("form.unknown_session", session=self.session, hint=hint)
            )
        found = self._entries(self._list(data, "entries"))
        proposals = self._proposals(self._list(data, "proposals"))
        votes = self._votes(self._list(data, "votes"))
        attendance = self._attendance(self._list(data, "attendance"))
        if self.errors:
            raise WorkbookInvalid(self.errors)
        result = self._split(found)
        result.proposals.extend(proposals)
        for table, rows in (("votes", votes), ("attendance", attendance)):
            self._split_records(result, table, rows)
        if self.errors:
            raise WorkbookInvalid(self.errors)
        return result

    # --- the parts ----------------------------------------------------------------------

    def _list(self, data: Mapping[str, Any], key: str) -> list[Any]:
        value = data.get(key, [])
        if not isinstance(value, list):
            self.error(str(self.path), None, key, said("form.must_be_list"))
            return []
        return value

    def _unknown_fields(self, item: Mapping[str, Any], known: tuple[str, ...], at: str) -> None:
        for key in item:
            if key not in known:
                where = f"{at}.{key}" if at else str(key)
                self.error(
                    str(self.path),
                    None,
                    where,
                    said("form.unknown_field", hint=did_you_mean(key, known)),
                )

    def _text(self, item: Mapping[str, Any], key: str, at: str, required: bool = True) -> str:
        """The text of ``item[key]``, checked for what may not be stored; "" if absent."""
        value = item.get(key)
        if value is None or value == "":
            if required:
                self.error(str(self.path), None, f"{at}.{key}", said("load.required"))
            return ""
        if not isinstance(value, str):
            self.error(str(self.path), None, f"{at}.{key}", said("form.must_be_text"))
            return ""
        problem = privacy_problem(value)
        if problem:
            self.error(str(self.path), None, f"{at}.{key}", problem)
            return ""
        return value.strip()

    def _group(self, item: Mapping[str, Any], at: str) -> str:
        group = self._text(item, "group", at)
        if group and group not in schema.GROUPS:
            hint = did_you_mean(group, schema.GROUPS)
            self.error(
                str(self.path),
                None,
                f"{at}.group",
                said("form.unknown_group", group=group, hint=hint),
            )
            return ""
        return group

    def _entries(self, entries: list[Any]) -> list[Found]:
        out: list[Found] = []
        first: dict[tuple[str, str], str] = {}
        for i, entry in enumerate(entries):
            at = f"entries[{i}]"
            if not isinstance(entry, dict):
                self.error(str(self.path), None, at, said("form.must_be_object"))
                continue
            self._unknown_fields(entry, _ENTRY_FIELDS, at)
            link = self._text(entry, "link", at)
            known = link and self._check_link(link, str(self.path), None, f"{at}.link")
            group = self._group(entry, at)
            raw = self._text(entry, "verdict", at, required=False)
            note = self._text(entry, "note", at, required=False)
            verdict = _verdict(raw) if raw else None
            if raw and verdict is None:
                self.error(str(self.path), None, f"{at}.verdict", unknown_verdict(raw))
            elif not raw:
                self.error(
                    str(self.path),
                    None,
                    f"{at}.verdict",
                    said("form.verdict_missing"),
                )
            if link and group:
                if (link, group) in first:
                    self.error(
                        str(self.path),
                        None,
                        at,
                        said(
                            "form.link_group_twice",
                            link=link,
                            group=group,
                            first=first[(link, group)],
                        ),
                    )
                    continue
                first[(link, group)] = at
            if not (known and group and verdict) or self.round is None:
                continue
            review = {
                "id": review_id(self.round, link, group),
                "link": link,
                "round": self.round,
                "group": group,
                "verdict": verdict,
                "session": self.session,
                "note": note or None,
            }
            out.append((review, str(self.path), None, f"{at}.verdict"))
        return out

    def _proposals(self, proposals: list[Any]) -> list[Proposal]:
        out = []
        taken = {n.id for n in self.m.nodes()} | {link.id for link in self.m.links()}
        tried: dict[str, int] = {}
        for i, item in enumerate(proposals):
            at = f"proposals[{i}]"
            if not isinstance(item, dict):
                self.error(str(self.path), None, at, said("form.must_be_object"))
                continue
            kind = item.get("kind")
            if kind not in PROPOSAL_KINDS:
                hint = did_you_mean(str(kind), PROPOSAL_KINDS)
                listed = ", ".join(f'"{k}"' for k in PROPOSAL_KINDS)
                self.error(
                    str(self.path),
                    None,
                    f"{at}.kind",
                    said("form.unknown_proposal", kind=str(kind), hint=hint, allowed=listed),
                )
                continue
            self._unknown_fields(item, _PROPOSAL_FIELDS[kind], at)
            group = self._group(item, at)
            note = self._text(item, "note", at, required=False) or None
            fields: dict[str, Any] = {}
            if kind == "link":
                fields["source"] = self._node(item, "source", at)
                fields["target"] = self._node(item, "target", at)
                fields["sign"] = self._sign(item, at, required=False)
                ids = (fields["source"], fields["target"])
                fields["new_id"] = _unique(f"inv-{ids[0]}-{ids[1]}", taken, tried)
            elif kind == "sign":
                link = self._text(item, "link", at)
                if link:
                    self._check_link(link, str(self.path), None, f"{at}.link")
                fields["link"] = link
                fields["sign"] = self._sign(item, at, required=True)
            else:
                fields["name"] = self._text(item, "name", at)
                fields["new_id"] = _unique(slug(fields["name"]) or "factor", taken, tried)
            if group and self.round is not None and not self.errors:
                out.append(Proposal(kind, group, self.round, self.session, note, **fields))
        return out

    def _votes(self, items: list[Any]) -> list[tuple[dict[str, Any], str]]:
        """Each statement's votes in the session: a row of the stemmen sheet."""
        out: list[tuple[dict[str, Any], str]] = []
        if items:
            self._need_session("votes")
        on_map = [s.id for s in self.m.statements() if present(s.fields, self.round)]
        first: dict[str, str] = {}
        for i, item in enumerate(items):
            at = f"votes[{i}]"
            if not isinstance(item, dict):
                self.error(str(self.path), None, at, said("form.must_be_object"))
                continue
            self._unknown_fields(item, _VOTE_FIELDS, at)
            statement = self._text(item, "statement", at)
            if statement and statement not in on_map:
                hint = did_you_mean(statement, on_map)
                self.error(
                    str(self.path),
                    None,
                    f"{at}.statement",
                    said("form.unknown_statement", statement=statement, hint=hint),
                )
                statement = ""
            if statement in first:
                self.error(
                    str(self.path),
                    None,
                    at,
                    said("form.statement_twice", statement=statement, first=first[statement]),
                )
                continue
            if statement:
                first[statement] = at
            row: dict[str, Any] = {"statement": statement, "session": self.session}
            for key, name in _VOTE_COUNTS.items():
                row[name] = self._count(item, key, at)
            row["note"] = self._text(item, "note", at, required=False) or None
            out.append((row, at))
        return out

    def _attendance(self, items: list[Any]) -> list[tuple[dict[str, Any], str]]:
        """How many took part in the session, per group: a row of the deelname sheet."""
        out: list[tuple[dict[str, Any], str]] = []
        if items:
            self._need_session("attendance")
        first: dict[str, str] = {}
        for i, item in enumerate(items):
            at = f"attendance[{i}]"
            if not isinstance(item, dict):
                self.error(str(self.path), None, at, said("form.must_be_object"))
                continue
            self._unknown_fields(item, _ATTENDANCE_FIELDS, at)
            group = self._group(item, at)
            if group in first:
                self.error(
                    str(self.path),
                    None,
                    at,
                    said("form.group_twice", group=group, first=first[group]),
                )
                continue
            if group:
                first[group] = at
            count = self._count(item, "count", at)
            if count is None and "count" not in item:
                self.error(str(self.path), None, f"{at}.count", said("load.required"))
            out.append(({"session": self.session, "group": group, "count": count}, at))
        return out

    def _need_session(self, key: str) -> None:
        if not self.session and not any(e.column == "session" for e in self.errors):
            self.error(
                str(self.path),
                None,
                "session",
                said("form.needs_session." + key),
            )

    def _count(self, item: Mapping[str, Any], key: str, at: str) -> int | None:
        """A count: a whole number from 0, or None (unknown) when absent or null."""
        value = item.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            self.error(str(self.path), None, f"{at}.{key}", said("form.whole_number"))
            return None
        return value

    def _split_records(
        self, result: FormReviews, table: str, rows: list[tuple[dict[str, Any], str]]
    ) -> None:
        """New rows of ``table`` apart from those the map holds already; a row of the
        same key with other values is an error, never a change."""
        key = schema.RECORD_TABLES[table].key
        existing = {tuple(r.get(k) for k in key): r for r in self.m.records[table]}
        for row, at in rows:
            clean = {k: v for k, v in row.items() if v is not None}
            earlier = existing.get(tuple(row.get(k) for k in key))
            if earlier is None:
                result.records.setdefault(table, []).append(clean)
            elif {k: v for k, v in earlier.items() if v is not None} == clean:
                result.records_recorded += 1
            else:
                sheet = schema.RECORD_TABLES[table].sheet
                said = ", ".join(f"{k} {row.get(k)}" for k in key)
                self.error(
                    str(self.path),
                    None,
                    at,
                    f"{sheet} already records {said} otherwise; a recorded row is not "
                    f"changed: correct the {sheet} sheet by hand if it is wrong",
                )

    def _node(self, item: Mapping[str, Any], key: str, at: str) -> str:
        node = self._text(item, key, at)
        if not node:
            return ""
        on_map = [n.id for n in self.m.nodes() if present(n.fields, self.round)]
        if node not in on_map:
            hint = did_you_mean(node, on_map)
            self.error(
                str(self.path), None, f"{at}.{key}", said("form.unknown_node", node=node, hint=hint)
            )
            return ""
        return node

    def _sign(self, item: Mapping[str, Any], at: str, required: bool) -> str | None:
        sign = self._text(item, "sign", at, required=required)
        if sign and sign not in schema.SIGNS:
            listed = ", ".join(f'"{s}"' for s in schema.SIGNS)
            self.error(
                str(self.path), None, f"{at}.sign", f'unknown sign "{sign}"; allowed: {listed}'
            )
            return None
        return sign or None


def _unique(wanted: str, taken: set[str], tried: dict[str, int]) -> str:
    """``wanted``, or ``wanted-2``, ``-3``... when the map has it already; then taken.
    ``tried`` keeps the last number of each id wanted, so that the next one starts there
    (many proposals of one name cost no more than as many of different names)."""
    n = tried.get(wanted, 1)
    candidate = wanted if n == 1 else f"{wanted}-{n}"
    while candidate in taken:
        n += 1
        candidate = f"{wanted}-{n}"
    tried[wanted] = n
    taken.add(candidate)
    return candidate


def read_session_file(m: SystemMap, path: str | Path, session: str | None = None) -> FormReviews:
    """Check a saved session against ``m``: its reviews, new and already recorded, and
    its proposals. ``session`` (a session id) overrides the file's. Raises
    :class:`loaders.errors.WorkbookInvalid` listing every problem, by entry."""
    return _SessionFileReader(m, Path(path), session).read()
