"""What changed between two rounds: nodes and links added, retired or merged, links
re-signed or re-weighted, and links whose status the groups' verdicts changed.

The changes are those of :func:`queries.changes.diff`, which compares the map as of
round ``a`` with the map as of round ``b``; the reasons are those of the adjustments
(``bijstellingen``) that made them, or for a status the verdicts behind it. Round 0
is before the first round: everything on the map in round ``b`` was added between
rounds 0 and ``b``.

The page draws both rounds together: what was added in green, what was retired
faded and dashed, re-signed links in purple, re-weighted links in orange, links with
a new status in blue, and the rest in quiet grey; the list of changes with their
reasons stands beside the map.

>>> from graph import SystemMap
>>> from graph.adjust import resign_link
>>> m = SystemMap("t")
>>> for k in (1, 2):
...     m.add_record("rounds", number=k, name=f"Ronde {k}")
>>> m.add_node("Factor", "a", "A", level="persoon", role="bron")
>>> m.add_node("Factor", "b", "B", level="persoon", role="uitkomst")
>>> m.add_link("l1", "INFLUENCES", "a", "b", sign="+")
>>> resign_link(m, 2, "l1", "-", reason="werkt andersom", new_id="l2")
'b2-teken-l1'
>>> [(c.change, c.item, c.replaces, c.before, c.after) for c in round_changes(m, 1, 2)]
[('re-signed', 'l2', 'l1', '+', '-')]
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graph import SystemMap
from graph.catalogue import LANGS, words
from graph.cycle import check_round, check_rounds, rounds
from graph.vocabulary import ChangeKind
from queries.changes import diff
from views.map import (
    FACET_LABELS,
    edge_item,
    link_line,
    map_positions,
    node_item,
    number,
    on_map,
    provenance,
    word,
)
from views.map import WORDS as MAP_WORDS
from views.page import render_network_page
from views.page_records import LegendEntry, Note, PageOptions

__all__ = ["DIFF_CHANGES", "SECTIONS", "Change", "render_changes", "round_changes", "write_changes"]

ADDED_COLOR = "#009E73"
RETIRED_COLOR = "#9A9A9A"
RESIGNED_COLOR = "#7B3294"
REWEIGHTED_COLOR = "#E69F00"
STATUS_COLOR = "#0072B2"
QUIET_COLOR = "#C9C9C9"

#: Each change of :func:`queries.changes.diff` as this page names it: the key of its
#: word in :data:`WORDS`, and of the box it is listed in (:data:`SECTIONS`).
DIFF_CHANGES = {
    ChangeKind.NODE_ADDED: "added",
    ChangeKind.NODE_RETIRED: "retired",
    ChangeKind.NODE_MERGED: "merged",
    ChangeKind.NODE_RENAMED: "renamed",
    ChangeKind.LINK_ADDED: "added",
    ChangeKind.LINK_RETIRED: "retired",
    ChangeKind.LINK_RESIGNED: "re-signed",
    ChangeKind.LINK_REWEIGHTED: "re-weighted",
    ChangeKind.STATUS_CHANGED: "status",
}
#: The boxes of the list beside the map, in order: the changes each holds, its title.
SECTIONS = (
    (("added",), "added_title"),
    (("renamed",), "renamed_title"),
    (("re-signed",), "resigned_title"),
    (("re-weighted",), "reweighted_title"),
    (("status",), "status_title"),
    (("retired", "merged"), "retired_title"),
)

WORDS: dict[str, dict[str, str]] = {lang: words("changes", lang) for lang in LANGS}


@dataclass(frozen=True)
class Change:
    """One change between two rounds.

    ``change`` is ``added``, ``retired``, ``merged`` (a node gone into ``into``),
    ``renamed`` (a node with a new name, which replaces the node with the old one),
    ``re-signed``, ``re-weighted`` or ``status``; ``item`` the id of the node or link
    (for a renamed node or a re-signed or re-weighted link, the one on the map in the
    later round);
    ``what`` is ``node`` or ``link``; ``replaces`` the id of the node or link it
    replaced, if any; ``before`` and ``after`` the name, sign, weight or status before
    and after;
    ``reasons`` the reasons of the adjustments that made the change, or for a status
    the verdicts behind it; ``reviews`` the ids of the reviews that prompted it.
    """

    change: str
    item: str
    what: str
    before: Any = None
    after: Any = None
    replaces: str | None = None
    into: str | None = None
    reasons: tuple[str, ...] = field(default_factory=tuple)
    reviews: tuple[str, ...] = field(default_factory=tuple)


#: Order of the changes: nodes before links, then this order, then by id.
ORDER = ("added", "renamed", "re-signed", "re-weighted", "status", "merged", "retired")


def round_changes(m: SystemMap, a: int, b: int) -> list[Change]:
    """What changed on the map from round ``a`` to round ``b``, by
    :func:`queries.changes.diff`; from round 0, everything on the map in round ``b``.

    Ordered: nodes before links, then by the order of :data:`ORDER`, then by id.
    """
    if a == 0:
        check_round(rounds(m), b)
        out = [Change("added", n.id, "node") for n in m.nodes() if on_map(n.fields, b)]
        out += [Change("added", link.id, "link") for link in m.links() if on_map(link.fields, b)]
    else:
        check_rounds(rounds(m), a, b)
        reasons = {adj["id"]: str(adj["reason"]) for adj in m.adjustments}
        out = [_change(row, reasons) for row in diff(m, a, b).to_dict("records")]
    out.sort(key=lambda c: (c.what != "node", ORDER.index(c.change), c.item))
    return out


def _change(row: Mapping[Hashable, Any], reasons: dict[str, str]) -> Change:
    kind = ChangeKind(row["change"])
    change = DIFF_CHANGES[kind]
    why: tuple[str, ...]
    if change == "status":
        why = (row["reason"],) if row["reason"] else ()
    else:
        why = tuple(dict.fromkeys(reasons[i] for i in row["adjustments"] if i in reasons))
    return Change(
        change,
        row["item"],
        kind.what,
        before=None if change == "merged" else _value(row["before"]),
        after=None if change == "merged" else _value(row["after"]),
        replaces=row["replaces"] or None,
        into=row["after"] if change == "merged" else None,
        reasons=why,
        reviews=tuple(row["prompted_by"]),
    )


def _value(value: Any) -> Any:
    """A sign, weight or status from a DataFrame cell: missing is None."""
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else value


def changes_data(
    m: SystemMap, a: int, b: int, lang: str = "nl"
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    """Nodes, edges, legend and notes of the page comparing round ``a`` with ``b``."""
    w = WORDS[lang]
    changes = round_changes(m, a, b)
    by_item = {c.item: c for c in changes}
    replaced = {c.replaces: c for c in changes if c.replaces}
    cited = provenance(m, b)
    key = "verandering" if lang == "nl" else "change"

    def shown(fields: Any) -> bool:
        return (a > 0 and on_map(fields, a)) or on_map(fields, b)

    nodes = []
    for node in m.nodes():
        if not shown(node.fields):
            continue
        item = node_item(m, node, lang, cited)
        change = by_item.get(node.id) or replaced.get(node.id)
        status = change.change if change else "unchanged"
        item["facets"][key] = w[status]
        if status == "added" or (status == "renamed" and node.id not in replaced):
            item.update(border=ADDED_COLOR, border_width=6)
        elif status in ("retired", "merged", "renamed"):
            item.update(color=RETIRED_COLOR, border=RETIRED_COLOR, border_dashes=True)
        else:
            item.update(color=_quiet(item["color"]))
        item["tooltip"] = _with_change(item["tooltip"], change, _why(m, change, lang), w)
        nodes.append(item)
    drawn = {n["id"] for n in nodes}
    edges = []
    for link in m.links(derived=True):
        if link.source not in drawn or link.target not in drawn:
            continue
        if not link.derived and not shown(link.fields):
            continue
        item = edge_item(m, link, lang, cited)
        change = by_item.get(link.id)
        status = "retired" if link.id in replaced else (change.change if change else "unchanged")
        item["facets"][key] = w[status]
        if status == "added":
            item.update(color=ADDED_COLOR, width=max(item["width"], 5))
        elif status in ("re-signed", "re-weighted", "status") and change is not None:
            color = {
                "re-signed": RESIGNED_COLOR,
                "re-weighted": REWEIGHTED_COLOR,
                "status": STATUS_COLOR,
            }[status]
            # On the map a new status is short (the list says what it was before).
            label = _shift(change, lang, short=status == "status")
            item.update(color=color, width=max(item["width"], 5), label=label)
        elif status == "retired":
            item.update(color=RETIRED_COLOR, dashes=True, width=2)
        else:
            item.update(color=QUIET_COLOR)
        item["tooltip"] = _with_change(item["tooltip"], change, _why(m, change, lang), w)
        edges.append(item)

    names = dict(cited.names)
    for link in m.links():
        names[link.id] = link_line(link, cited.names, lang)
    notes: list[dict[str, Any]] = []
    if a == 0:
        notes.append(
            {
                "title": w["title_rounds"].format(a=a, b=b),
                "items": [],
                "empty": w["first"].format(b=b),
            }
        )
    for kinds, title in SECTIONS:
        items = []
        for c in changes:
            if c.change not in kinds:
                continue
            text = names.get(c.item, c.item)
            if c.change == "merged":
                text += f" ({w['merged_into'].format(name=names.get(c.into or '', c.into))})"
            elif c.change == "renamed":
                text = w["sign"].format(old=c.before, new=c.after)
            elif c.change in ("re-signed", "re-weighted", "status"):
                text += f" ({_shift(c, lang)})"
            why = _why(m, c, lang)
            if why:
                text += "; " + w["why"].format(reason=why)
            items.append(text)
        if items:  # a box for each kind of change there is
            notes.append({"title": w[title], "items": items, "empty": w["none"]})
    if not notes:
        notes.append({"title": w["title_rounds"].format(a=a, b=b), "items": [], "empty": w["none"]})
    legend: list[dict[str, Any]] = [
        {"label": w["added"], "color": ADDED_COLOR, "kind": "edge"},
        {"label": w["re-signed"], "color": RESIGNED_COLOR, "kind": "edge"},
        {"label": w["re-weighted"], "color": REWEIGHTED_COLOR, "kind": "edge"},
        {"label": w["status"], "color": STATUS_COLOR, "kind": "edge"},
        {"label": w["retired"], "color": RETIRED_COLOR, "kind": "edge", "dashes": True},
        {"label": w["unchanged"], "color": QUIET_COLOR, "kind": "edge"},
    ]
    return nodes, edges, legend, notes


def _shift(change: Change, lang: str, short: bool = False) -> str:
    """``+ → -``, ``1 → 2``, ``hypothese → bevestigd``: what a link changed from and to;
    ``short``: only what it changed to (``→ bevestigd``)."""
    w = WORDS[lang]

    def shown(value: Any) -> str:
        if value is None:
            return w["unknown_sign"]
        if change.change == "re-weighted":
            return number(float(value), lang)
        return word(str(value), lang)

    if short:
        return "→ " + shown(change.after)
    return w["sign"].format(old=shown(change.before), new=shown(change.after))


def _why(m: SystemMap, change: Change | None, lang: str) -> str:
    """The reasons for ``change``: its adjustments' reasons, or the verdicts behind a
    new status (``ronde 1, ouder: oneens; ...``)."""
    if change is None:
        return ""
    if change.change != "status":
        return " / ".join(change.reasons)
    line = MAP_WORDS[lang]["review_line"]
    by_id = {r.get("id"): r for r in m.reviews}
    return "; ".join(
        line.format(
            round=r["round"], group=word(r["group"], lang), verdict=word(r["verdict"], lang)
        )
        for r in (by_id[i] for i in change.reviews if i in by_id)
    )


def _quiet(color: str) -> str:
    """``color`` mixed halfway with white: present, but not asking for attention."""
    try:
        r, g, b = (int(color[i : i + 2], 16) for i in (1, 3, 5))
    except ValueError:
        return QUIET_COLOR
    return "#{:02X}{:02X}{:02X}".format(*((v + 255) // 2 for v in (r, g, b)))


def _with_change(tooltip: str, change: Change | None, why: str, w: dict[str, str]) -> str:
    if change is None:
        return tooltip
    head = w[change.change].upper()
    if why:
        head += " · " + w["why"].format(reason=why)
    return head + "\n" + tooltip


def _positions(m: SystemMap, b: int, shown: set[str], seed: int) -> dict[str, Any]:
    """Where the map page draws each element shown; an element gone by round ``b``
    that stands where another shown element stands (a renamed node's old self) is left
    to be laid out beside it."""
    placed = map_positions(m, seed=seed)
    taken: dict[Any, list[str]] = {}
    for node_id in shown:
        if node_id in placed:
            taken.setdefault(tuple(placed[node_id]), []).append(node_id)
    for ids in taken.values():
        if len(ids) > 1:
            for node_id in ids:
                if not on_map(m.node(node_id).fields, b):
                    del placed[node_id]
    return dict(placed)


def render_changes(m: SystemMap, a: int, b: int, lang: str = "nl", **options: Any) -> str:
    """The what-changed page comparing round ``a`` with round ``b``: each element where
    the map page draws it (:func:`views.map.map_positions`, kept positions first), so
    that the two maps read alike."""
    nodes, edges, legend, notes = changes_data(m, a, b, lang)
    options.setdefault("facet_labels", {**FACET_LABELS[lang], "verandering": "Verandering"})
    if "positions" not in options:
        options["positions"] = _positions(m, b, {n["id"] for n in nodes}, options.get("seed", 7))
    title = options.pop("title", None) or (
        WORDS[lang]["title_rounds"].format(a=a, b=b) + f" · {m.name}"
    )
    page = PageOptions(
        title=title,
        legend=[LegendEntry(**entry) for entry in legend],
        lang=lang,
        notes=[Note(**note) for note in notes],
        **options,
    )
    return render_network_page(nodes, edges, page)


def write_changes(
    m: SystemMap, path: str | Path, a: int, b: int, lang: str = "nl", **options: Any
) -> Path:
    """Write the what-changed page to ``path`` and return the path."""
    out = Path(path)
    from loaders.write import write_page  # only a page the tool wrote is replaced

    return write_page(out, render_changes(m, a, b, lang, **options))
