"""Hypothesis strategies: generated system maps that use every table of the schema."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import strategies as st

from graph import SystemMap, schema

# Text as facilitators type it: Dutch letters, punctuation, quotes, separators and
# line breaks inside; no leading or trailing blanks (cells are trimmed on reading).
_ALPHABET = st.sampled_from(list("abcdefghijklmnopqrstuvwxyzëïéöAEZ0123456789 ,;:'\"()?!-\n«»<>&="))
TEXT = (
    st.text(_ALPHABET, min_size=1, max_size=40).map(lambda s: s.strip()).filter(lambda s: s != "")
)
# Digits are kept apart from each other so that no text looks like a phone number.
SAFE_TEXT = TEXT.filter(lambda s: sum(c.isdigit() for c in s) < 6)
# Numbers as people type them: an .xlsx cell keeps 15 significant digits, not 17.
_NUMBER = st.decimals("0.0001", "1000", places=4).map(float)


def _value(draw: st.DrawFn, table: schema.Table, f: schema.Field) -> Any:
    if f.type == "text":
        return draw(SAFE_TEXT)
    if f.type == "int":
        return draw(st.integers(0, 10_000))
    if f.type == "float":
        return draw(_NUMBER)
    if f.type == "date":
        return draw(st.dates(dt.date(2000, 1, 1), dt.date(2040, 12, 31)))
    if f.type == "bool":
        return draw(st.booleans())
    if f.type == "choice":
        return draw(st.sampled_from(schema.choices_for(table, f)))
    raise AssertionError(f.type)


def _maybe(draw: st.DrawFn, table: schema.Table, f: schema.Field) -> Any:
    if not f.required and draw(st.booleans()):
        return None
    return _value(draw, table, f)


@st.composite
def system_maps(draw: st.DrawFn, max_per_table: int = 4) -> SystemMap:
    """A valid SystemMap with random content in every table."""
    m = SystemMap(
        draw(st.sampled_from(["kaart-a", "wijk", "demo"])),
        draw(SAFE_TEXT),
        description=draw(st.none() | SAFE_TEXT),
    )
    n_rounds = draw(st.integers(1, 3))
    for number in range(1, n_rounds + 1):
        m.add_record("rounds", number=number, name=draw(SAFE_TEXT))
    rounds = st.integers(1, n_rounds)

    ids: dict[str, list[str]] = {}
    quote_tables = [t for t in schema.NODE_TABLES.values() if t.kind == "Quote"]
    other_tables = [t for t in schema.NODE_TABLES.values() if t.kind != "Quote"]
    for table in [*other_tables, *quote_tables]:
        for i in range(draw(st.integers(0, max_per_table))):
            node_id = f"{table.kind.lower()}-{i}"
            fields: dict[str, Any] = {}
            for f in table.fields:
                if f.name in ("id", "name"):
                    continue
                if f.name == "round_in":
                    fields[f.name] = draw(st.none() | rounds)
                elif f.name == "round_out":
                    continue
                elif f.refs == ("sources",):
                    fields[f.name] = (
                        tuple(
                            draw(st.lists(st.sampled_from(ids["Source"]), unique=True, max_size=2))
                        )
                        if ids.get("Source")
                        else ()
                    )
                elif f.refs == ("sessions",):
                    fields[f.name] = (
                        draw(st.none() | st.sampled_from(ids["Session"]))
                        if ids.get("Session")
                        else None
                    )
                elif f.refs == ("nodes", "links"):
                    pool = [n for kind_ids in ids.values() for n in kind_ids]
                    fields[f.name] = (
                        tuple(draw(st.lists(st.sampled_from(pool), unique=True, max_size=3)))
                        if pool
                        else ()
                    )
                else:
                    fields[f.name] = _maybe(draw, table, f)
            m.add_node(table.kind, node_id, draw(SAFE_TEXT), **fields)
            ids.setdefault(table.kind, []).append(node_id)

    link_count = draw(st.integers(0, 3 * max_per_table))
    for i in range(link_count):
        kind = draw(st.sampled_from([k for k in schema.LINK_KINDS.values() if not k.derived]))
        sources = [n for k in kind.sources for n in ids.get(k, [])]
        targets = [n for k in kind.targets for n in ids.get(k, [])]
        if not sources or not targets:
            continue
        source, target = draw(st.sampled_from(sources)), draw(st.sampled_from(targets))
        if source == target:
            continue
        fields = {}
        if "sign" in kind.fields:
            fields["sign"] = draw(st.none() | st.sampled_from(schema.SIGNS))
            fields["weight"] = draw(st.none() | _NUMBER)
        fields["status"] = draw(st.none() | st.sampled_from(schema.LINK_STATUSES))
        r_in = draw(st.none() | rounds)
        fields["round_in"] = r_in
        if r_in is not None and r_in < n_rounds and draw(st.booleans()):
            fields["round_out"] = draw(st.integers(r_in + 1, n_rounds))
        fields["note"] = draw(st.none() | SAFE_TEXT)
        m.add_link(f"link-{i}", kind.name, source, target, **fields)

    links = [link.id for link in m.links()]
    for statement in ids.get("Statement", []):
        for session in ids.get("Session", [])[:2]:
            m.add_record(
                "votes",
                statement=statement,
                session=session,
                **{
                    k: draw(st.none() | st.integers(0, 60))
                    for k in ("agree", "neutral", "disagree", "priority")
                },
                note=draw(st.none() | SAFE_TEXT),
            )
    for session in ids.get("Session", [])[:2]:
        for group in draw(st.lists(st.sampled_from(schema.GROUPS), unique=True, max_size=3)):
            m.add_record("attendance", session=session, group=group, count=draw(st.integers(0, 40)))
    review_ids = []
    for i, link in enumerate(links[:4]):
        review_id = f"toets-{i}"
        m.add_record(
            "reviews",
            id=review_id,
            link=link,
            round=draw(rounds),
            group=draw(st.sampled_from(schema.GROUPS)),
            verdict=draw(st.sampled_from(schema.VERDICTS)),
            note=draw(st.none() | SAFE_TEXT),
        )
        review_ids.append(review_id)
    if links:
        m.add_record(
            "adjustments",
            id="bijstelling-1",
            round=draw(rounds),
            adjustment_kind=draw(st.sampled_from(schema.ADJUSTMENT_KINDS)),
            subject=(links[0],),
            reason=draw(SAFE_TEXT),
            prompted_by=tuple(review_ids[:1]),
        )
    return m
