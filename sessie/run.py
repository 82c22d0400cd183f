"""Begin or resume a session, and put its answers into the map: what a notebook or the
``versterkt sessie`` command calls.

:func:`open_session` opens the journal (a SQLite file): a new one begins the session
of the map with a fresh join code and control token; one that holds a session already
resumes it as it stopped, same code, same token, every answer kept.

:func:`record_session` saves the answers as the toetsmodus's session file beside the
journal (``….json``, which ``versterkt review-import`` reads too) and records it
through that same import (:func:`loaders.review_form.add_form_reviews`): in a
workbook, written in place all or nothing (:func:`loaders.edit.change_workbook`), or
in Neo4j in one transaction on the version read (:meth:`graph.store.Neo4jStore.change`).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from graph import SystemMap
from graph.catalogue import message
from loaders.review_form import FormReviews, add_form_reviews
from sessie.app import new_code, new_token
from sessie.journal import Journal, JournalError
from sessie.session import session_file, session_plan

if TYPE_CHECKING:
    from graph.store import Neo4jStore

__all__ = ["open_session", "record_session", "result_path", "save_result", "summary"]


def open_session(
    path: str | Path, m: SystemMap | None, **plan_options: Any
) -> tuple[Journal, bool]:
    """The journal at ``path`` and whether it was resumed (True) or begun now.

    A new journal begins the session of ``m`` (``plan_options`` go to
    :func:`sessie.session.session_plan`); one that holds a session of another map is
    refused with :class:`sessie.journal.JournalError`. ``m`` may be None to resume.
    """
    journal = Journal(path)
    if journal.begun():
        plan = journal.plan
        if m is not None and plan["map"] != m.id:
            journal.close()
            raise JournalError(
                f"{path} holds a session of map {plan['map']!r}, not of {m.id!r}: "
                "give another journal to begin a new session"
            )
        return journal, True
    if m is None:
        journal.close()
        raise JournalError(f"{path} holds no session")
    journal.begin(session_plan(m, **plan_options), code=new_code(), token=new_token())
    return journal, False


def result_path(journal: Journal) -> Path:
    """Where the session's file is saved: beside the journal, as ``….json``."""
    return journal.path.with_suffix(".json")


def save_result(journal: Journal) -> Path:
    """Save the session's answers as a toetsmodus session file; its path."""
    data = session_file(journal.plan, journal.latest(), journal.phones())
    path = result_path(journal)
    scratch = path.with_name(f".{path.name}.{os.getpid()}")
    scratch.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(scratch, path)
    return path


def record_session(
    journal: Journal,
    *,
    workbook: str | Path | None = None,
    store: Neo4jStore | None = None,
    map_id: str | None = None,
) -> FormReviews:
    """Put the session's answers into the ``workbook`` or the map in the ``store``, all
    or nothing; what was new and what was recorded before (a second call records
    nothing twice). Raises :class:`loaders.errors.WorkbookInvalid` for answers the map
    cannot take, :class:`graph.errors.MapChanged` when the map changed while it was
    written."""
    from loaders.edit import change_workbook, check_map

    path = save_result(journal)
    if store is None:
        if workbook is None:
            raise ValueError("give a workbook or a store")
        return change_workbook(workbook, lambda m: add_form_reviews(m, path))

    def in_store(m: SystemMap) -> FormReviews:
        found = add_form_reviews(m, path)
        check_map(m)
        return found

    return store.change(map_id or journal.plan["map"], in_store)


def _count(code: str, n: int, lang: str) -> str:
    return message(f"sessie.{code}_one" if n == 1 else f"sessie.{code}_many", lang, n=n)


def summary(found: FormReviews, where: str, lang: str = "nl") -> str:
    """What :func:`record_session` did, in a line in ``lang``.

    >>> summary(FormReviews(), "werkmap", "en")
    'Nothing new: everything of this session is in werkmap already.'
    >>> summary(FormReviews(new=[{}], records={"votes": [{}, {}]}), "werkmap")[:57]
    'In werkmap gezet: 1 oordeel, 2 stemmingen over stellingen'
    """
    rows = sum(len(rows) for rows in found.records.values())
    if not found.new and not rows:
        return message("sessie.nothing_new", lang, place=where)
    return message(
        "sessie.recorded",
        lang,
        place=where,
        reviews=_count("reviews", len(found.new), lang),
        votes=_count("votes", len(found.records.get("votes", [])), lang),
        groups=_count("groups", len(found.records.get("attendance", [])), lang),
    )
