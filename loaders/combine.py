"""Reading the maps to combine, and the confirmation sheet of matched concepts.

The maps may be workbooks (``.xlsx`` or a folder of ``.csv``) or files of another
tool (Kumu, PRSM, MentalModeler, GraphML, GEXF: :mod:`loaders.interchange`). The
confirmation sheet (``koppelingen``) has one row per concept of each map:

========== ===========================================================
kaart      the map (its file's name)
groep      the group that drew it
id         the concept's id in that map
naam       its name there
zelfde_als the id it has in the combined map: the same id joins concepts
score      how alike the names are (0 to 1), for the analyst's eye
reden      why it was proposed
========== ===========================================================

The analyst edits ``zelfde_als`` (and may delete rows: a concept without a row keeps
its own id). A concept given twice with different ``zelfde_als`` is refused, naming
the file, the row and the column.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from graph import schema
from graph.combine import GroupMap, Match, check_matches
from graph.errors import MapError, said
from loaders.errors import LoadError, WorkbookInvalid
from loaders.validate import slug_hint

__all__ = [
    "MATCH_COLUMNS",
    "MATCH_SHEET",
    "map_key",
    "map_keys",
    "read_group_map",
    "read_matches",
    "write_matches",
]

#: The sheet of the confirmation workbook.
MATCH_SHEET = "koppelingen"
#: Its columns, in order.
MATCH_COLUMNS = ("kaart", "groep", "id", "naam", "zelfde_als", "score", "reden")


def map_key(path: str | Path) -> str:
    """The key of a map in the combined map and the sheet: its file's name as an id.

    >>> map_key("kaarten/Jongeren 2024.xlsx")
    'jongeren-2024'
    """
    p = Path(path)
    key = slug_hint(p.stem if p.suffix else p.name)[:40].strip("._-")
    return key if key and schema.id_problem(key) is None else "kaart"


def map_keys(paths: Sequence[str | Path]) -> list[str]:
    """The keys of maps to combine, one each: a file's name (:func:`map_key`), with its
    folder's name before it when another file has the same name, numbered if need be.

    >>> map_keys(["jongeren.xlsx", "a/kaart.xlsx", "b/kaart.xlsx"])
    ['jongeren', 'a-kaart', 'b-kaart']
    """
    names = [map_key(p) for p in paths]
    keys = [
        map_key(f"{Path(p).parent.name}-{Path(p).name}") if names.count(name) > 1 else name
        for p, name in zip(paths, names, strict=True)
    ]
    seen: dict[str, int] = {}
    out = []
    for key in keys:
        seen[key] = seen.get(key, 0) + 1
        out.append(key if seen[key] == 1 else f"{key}-{seen[key]}")
    return out


def read_group_map(path: str | Path, group: str, key: str | None = None) -> GroupMap:
    """The map at ``path`` (a workbook, or a file of another tool), drawn by ``group``;
    its ``key`` is its file's name unless given."""
    from loaders import load_map
    from loaders.interchange import read_map
    from loaders.write import is_workbook_file

    p = Path(path)
    if p.is_dir() or (p.suffix.lower() == ".xlsx" and p.exists() and is_workbook_file(p)):
        m = load_map(p)
    else:
        m, _ = read_map(p)
    return GroupMap(key or map_key(p), group, m)


def write_matches(matches: Sequence[Match], maps: Sequence[GroupMap], path: str | Path) -> Path:
    """Write the proposals as the confirmation sheet at ``path`` (an ``.xlsx``)."""
    from loaders.write import Output, inert_text, replacing, xlsx_sheets

    group_of = {gm.key: gm.group for gm in maps}
    rows = [
        [m.key, group_of[m.key], m.node, inert_text(m.name), m.same_as, m.score, m.reason]
        for m in matches
    ]
    target = Path(path)
    # it takes the place of an earlier confirmation sheet only, never a person's own file
    sheet = Output(
        said("write.what.confirmation_sheet"),
        False,
        lambda old: MATCH_SHEET in (xlsx_sheets(old) or ()),
    )
    with replacing(target, sheet) as copy:
        pd.DataFrame(rows, columns=list(MATCH_COLUMNS)).to_excel(
            copy, sheet_name=MATCH_SHEET, index=False
        )
    return target


def read_matches(path: str | Path, maps: Sequence[GroupMap]) -> list[Match]:
    """The confirmed matches of the sheet at ``path`` (``.xlsx`` or ``.csv``), checked
    against ``maps``. Raises :class:`WorkbookInvalid` naming each bad cell
    (``file:row:column``; row 1 is the header)."""
    p = Path(path)
    if not p.exists():
        raise WorkbookInvalid([LoadError(str(p), None, None, said("import.no_file"))])
    try:
        if p.suffix.lower() == ".csv":
            sheet = pd.read_csv(p, dtype=str, keep_default_na=False)
        else:
            sheet = pd.read_excel(p, sheet_name=MATCH_SHEET, dtype=str, keep_default_na=False)
    except (ValueError, OSError) as e:
        unread = said("combine.cannot_read", error=str(e))
        raise WorkbookInvalid([LoadError(str(p), None, None, unread)]) from e
    missing = [c for c in ("kaart", "id", "zelfde_als") if c not in sheet.columns]
    if missing:
        raise WorkbookInvalid(
            [
                LoadError(str(p), 1, None, said("combine.missing_column", column=repr(c)))
                for c in missing
            ]
        )
    by_key = {gm.key: gm for gm in maps}
    errors: list[LoadError] = []
    matches: list[Match] = []
    first: dict[tuple[str, str], tuple[int, str]] = {}
    for i, row in enumerate(sheet.to_dict("records"), start=2):
        key, node, same = (str(row[c]).strip() for c in ("kaart", "id", "zelfde_als"))
        if not (key or node or same):
            continue
        if key not in by_key:
            errors.append(
                LoadError(
                    str(p),
                    i,
                    "kaart",
                    said("combine.unknown_map", key=repr(key), maps=", ".join(by_key)),
                )
            )
            continue
        m = by_key[key].map
        if node not in m.graph or m.node(node).kind not in ("Actor", "Factor"):
            errors.append(
                LoadError(
                    str(p), i, "id", said("combine.no_concept", key=repr(key), node=repr(node))
                )
            )
            continue
        if not same:
            same = node  # an empty cell: the concept keeps its own id
        problem = schema.id_problem(same)
        if problem:
            errors.append(LoadError(str(p), i, "zelfde_als", problem))
            continue
        earlier = first.setdefault((key, node), (i, same))
        if earlier[1] != same:
            errors.append(
                LoadError(
                    str(p),
                    i,
                    "zelfde_als",
                    said(
                        "combine.matched_twice",
                        node=repr(node),
                        key=repr(key),
                        first=repr(earlier[1]),
                        row=earlier[0],
                        second=repr(same),
                    ),
                )
            )
            continue
        matches.append(Match(key, node, m.node(node).name, same))
    if errors:
        raise WorkbookInvalid(errors)
    try:
        check_matches(maps, matches)
    except MapError as e:
        raise WorkbookInvalid([LoadError(str(p), None, "zelfde_als", e.said)]) from e
    return matches
