"""What changed between two rounds: nodes and links added, retired or re-signed.

A node or link is on the map in round k when it entered by then (``round_in``,
empty meaning round 1) and has not left (``round_out``). Between rounds ``a`` and
``b`` (``a`` < ``b``):

- *added*: on the map in ``b``, not in ``a``;
- *retired*: on the map in ``a``, not in ``b``;
- *re-signed*: a link retired and another added between the same two nodes, of the
  same kind, with the other sign; or a link on the map in both rounds with an
  adjustment "teken gewijzigd" in a round after ``a`` up to ``b``.

The reasons come from the adjustments (``bijstellingen``) of those rounds whose
subject is the node or link. Round 0 is before the first round: everything on the
map in round 1 was added between rounds 0 and 1.

The page draws both rounds together: what was added in green, what was retired
faded and dashed, re-signed links in purple, and the rest in quiet grey; the list of
changes with their reasons stands beside the map.

>>> from graph import SystemMap
>>> m = SystemMap("t")
>>> m.add_node("Factor", "a", "A", level="persoon", role="bron")
>>> m.add_node("Factor", "b", "B", level="persoon", role="uitkomst")
>>> m.add_link("l1", "INFLUENCES", "a", "b", sign="+", round_out=2)
>>> m.add_link("l2", "INFLUENCES", "a", "b", sign="-", round_in=2)
>>> [(c.change, c.item) for c in round_changes(m, 1, 2)]
[('re-signed', 'l2')]
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graph import Link, SystemMap, schema
from views.map import FACET_LABELS, edge_item, node_item, on_map, provenance
from views.page import render_network_page

__all__ = ["Change", "render_changes", "round_changes", "rounds_of", "write_changes"]

ADDED_COLOR = "#009E73"
RETIRED_COLOR = "#9A9A9A"
RESIGNED_COLOR = "#7B3294"
QUIET_COLOR = "#C9C9C9"

WORDS: dict[str, dict[str, str]] = {
    "nl": {
        "title": "Wat is er veranderd",
        "title_rounds": "Wat is er veranderd: ronde {a} → ronde {b}",
        "added": "nieuw",
        "retired": "ingetrokken",
        "re-signed": "teken gewijzigd",
        "unchanged": "ongewijzigd",
        "change": "verandering",
        "added_title": "Nieuw",
        "retired_title": "Ingetrokken",
        "resigned_title": "Teken gewijzigd",
        "none": "Niets.",
        "first": "Ronde {b} is de eerste ronde: alles op de kaart is nieuw.",
        "why": "waarom: {reason}",
        "sign": "{old} → {new}",
        "unknown_sign": "?",
    },
    "en": {
        "title": "What changed",
        "title_rounds": "What changed: round {a} → round {b}",
        "added": "added",
        "retired": "retired",
        "re-signed": "sign changed",
        "unchanged": "unchanged",
        "change": "change",
        "added_title": "Added",
        "retired_title": "Retired",
        "resigned_title": "Sign changed",
        "none": "Nothing.",
        "first": "Round {b} is the first round: everything on the map is new.",
        "why": "why: {reason}",
        "sign": "{old} → {new}",
        "unknown_sign": "?",
    },
}


@dataclass(frozen=True)
class Change:
    """One change between two rounds.

    ``change`` is ``added``, ``retired`` or ``re-signed``; ``item`` the id of the
    node or link (for a re-signed link, the one on the map in the later round);
    ``what`` is ``node`` or ``link``; ``replaces`` the id of the link it replaced,
    if any; ``reasons`` the reasons of the adjustments about it.
    """

    change: str
    item: str
    what: str
    old_sign: str | None = None
    new_sign: str | None = None
    replaces: str | None = None
    reasons: tuple[str, ...] = field(default_factory=tuple)


def rounds_of(m: SystemMap) -> list[int]:
    """Every round the map knows of: its rounds and those its nodes and links name."""
    numbers = {int(r["number"]) for r in m.rounds}
    items: Iterable[Any] = [*m.nodes(), *m.links()]
    for item in items:
        numbers.add(int(item.get("round_in") or 1))
        if item.get("round_out"):
            numbers.add(int(item["round_out"]))
    return sorted(numbers) or [1]


def round_changes(m: SystemMap, a: int, b: int) -> list[Change]:
    """The nodes and links added, retired and re-signed from round ``a`` to ``b``.

    Ordered: nodes before links, then added, re-signed, retired, then by id.
    """
    if a < 0 or b <= a:
        raise ValueError(f"compare an earlier round with a later one, not {a} with {b}")
    reasons: dict[str, list[str]] = {}
    resigned_by_adjustment: set[str] = set()
    for adj in m.adjustments:
        if a < int(adj["round"]) <= b:
            for subject in adj.get("subject", ()):
                reasons.setdefault(subject, []).append(str(adj["reason"]))
                if adj.get("adjustment_kind") == "teken gewijzigd":
                    resigned_by_adjustment.add(subject)

    def state(fields: Any, r: int) -> bool:
        return r > 0 and on_map(fields, r)

    out: list[Change] = []
    for node in m.nodes():
        before, after = state(node.fields, a), state(node.fields, b)
        if before != after:
            out.append(
                Change(
                    "added" if after else "retired",
                    node.id,
                    "node",
                    reasons=tuple(reasons.get(node.id, ())),
                )
            )

    added: list[Link] = []
    retired: list[Link] = []
    for link in m.links():
        before, after = state(link.fields, a), state(link.fields, b)
        if after and not before:
            added.append(link)
        elif before and not after:
            retired.append(link)
        elif before and after and link.id in resigned_by_adjustment:
            out.append(
                Change(
                    "re-signed",
                    link.id,
                    "link",
                    None,
                    link.get("sign"),
                    reasons=tuple(reasons.get(link.id, ())),
                )
            )
    paired: set[str] = set()
    for new in added:
        old = next(
            (
                link
                for link in retired
                if link.id not in paired
                and (link.kind, link.source, link.target) == (new.kind, new.source, new.target)
                and link.get("sign") != new.get("sign")
            ),
            None,
        )
        if old is not None:
            paired.add(old.id)
            why = tuple(reasons.get(new.id, ())) + tuple(reasons.get(old.id, ()))
            out.append(
                Change(
                    "re-signed",
                    new.id,
                    "link",
                    old.get("sign"),
                    new.get("sign"),
                    old.id,
                    tuple(dict.fromkeys(why)),
                )
            )
        else:
            out.append(Change("added", new.id, "link", reasons=tuple(reasons.get(new.id, ()))))
    for old in retired:
        if old.id not in paired:
            out.append(Change("retired", old.id, "link", reasons=tuple(reasons.get(old.id, ()))))
    order = {"added": 0, "re-signed": 1, "retired": 2}
    out.sort(key=lambda c: (c.what != "node", order[c.change], c.item))
    return out


def changes_data(
    m: SystemMap, a: int, b: int, lang: str = "nl"
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    """Nodes, edges, legend and notes of the page comparing round ``a`` with ``b``."""
    w = WORDS[lang]
    changes = round_changes(m, a, b)
    by_item = {c.item: c for c in changes}
    replaced = {c.replaces for c in changes if c.replaces}
    cited = provenance(m)
    key = "verandering" if lang == "nl" else "change"

    def shown(fields: Any) -> bool:
        return (a > 0 and on_map(fields, a)) or on_map(fields, b)

    nodes = []
    for node in m.nodes():
        if not shown(node.fields):
            continue
        item = node_item(m, node, lang, cited)
        change = by_item.get(node.id)
        status = change.change if change else "unchanged"
        item["facets"][key] = w[status]
        if status == "added":
            item.update(border=ADDED_COLOR, border_width=6)
        elif status == "retired":
            item.update(color=RETIRED_COLOR, border=RETIRED_COLOR, border_dashes=True)
        else:
            item.update(color=_quiet(item["color"]))
        item["tooltip"] = _with_change(item["tooltip"], change, w)
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
        elif status == "re-signed":
            old = change.old_sign if change else None
            new = change.new_sign if change else None
            item.update(
                color=RESIGNED_COLOR,
                width=max(item["width"], 5),
                label=w["sign"].format(old=old or w["unknown_sign"], new=new or w["unknown_sign"]),
            )
        elif status == "retired":
            item.update(color=RETIRED_COLOR, dashes=True, width=2)
        else:
            item.update(color=QUIET_COLOR)
        item["tooltip"] = _with_change(item["tooltip"], change, w)
        edges.append(item)

    names = {n.id: n.name for n in m.nodes()}
    for link in m.links():
        names[link.id] = f"{names[link.source]} → {_link_word(link, lang)} → {names[link.target]}"
    sections = (
        ("added", "added_title"),
        ("re-signed", "resigned_title"),
        ("retired", "retired_title"),
    )
    notes = []
    if a == 0:
        notes.append(
            {
                "title": w["title_rounds"].format(a=a, b=b),
                "items": [],
                "empty": w["first"].format(b=b),
            }
        )
    for status, title in sections:
        items = []
        for c in changes:
            if c.change != status:
                continue
            text = names.get(c.item, c.item)
            if c.change == "re-signed":
                text += (
                    " ("
                    + w["sign"].format(
                        old=c.old_sign or w["unknown_sign"], new=c.new_sign or w["unknown_sign"]
                    )
                    + ")"
                )
            if c.reasons:
                text += "; " + w["why"].format(reason=" / ".join(c.reasons))
            items.append(text)
        notes.append({"title": w[title], "items": items, "empty": w["none"]})
    legend = [
        {"label": w["added"], "color": ADDED_COLOR, "kind": "edge"},
        {"label": w["re-signed"], "color": RESIGNED_COLOR, "kind": "edge"},
        {"label": w["retired"], "color": RETIRED_COLOR, "kind": "edge", "dashes": True},
        {"label": w["unchanged"], "color": QUIET_COLOR, "kind": "edge"},
    ]
    return nodes, edges, legend, notes


def _link_word(link: Link, lang: str) -> str:
    kind = schema.LINK_KINDS[link.kind]
    return kind.value if lang == "nl" else kind.label_en


def _quiet(color: str) -> str:
    """``color`` mixed halfway with white: present, but not asking for attention."""
    try:
        r, g, b = (int(color[i : i + 2], 16) for i in (1, 3, 5))
    except ValueError:
        return QUIET_COLOR
    return "#{:02X}{:02X}{:02X}".format(*((v + 255) // 2 for v in (r, g, b)))


def _with_change(tooltip: str, change: Change | None, w: dict[str, str]) -> str:
    if change is None:
        return tooltip
    head = w[change.change].upper()
    if change.reasons:
        head += " · " + w["why"].format(reason=" / ".join(change.reasons))
    return head + "\n" + tooltip


def render_changes(m: SystemMap, a: int, b: int, lang: str = "nl", **options: Any) -> str:
    """The what-changed page comparing round ``a`` with round ``b``."""
    nodes, edges, legend, notes = changes_data(m, a, b, lang)
    options.setdefault("facet_labels", {**FACET_LABELS[lang], "verandering": "Verandering"})
    title = options.pop("title", None) or (
        WORDS[lang]["title_rounds"].format(a=a, b=b) + f" · {m.name}"
    )
    return render_network_page(
        nodes, edges, title=title, legend=legend, lang=lang, notes=notes, **options
    )


def write_changes(
    m: SystemMap, path: str | Path, a: int, b: int, lang: str = "nl", **options: Any
) -> Path:
    """Write the what-changed page to ``path`` and return the path."""
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(render_changes(m, a, b, lang, **options), encoding="utf-8")
    return out
