"""The words of the map, each kind once: a link's status and kind (:class:`Status`,
:class:`LinkKind`), a group's verdict (:class:`Verdict`), an influence's sign
(:class:`Sign`); what an adjustment does to the map (:class:`AdjustmentKind`, the word
of the ``bijstellingen`` sheet) and what the comparison of two rounds reports
(:class:`ChangeKind`); and the records of the cycle with named fields: the
adjustment (:class:`Adjustment`) and the review (:class:`Review`).

Every table that speaks of these kinds (the id of an adjustment, the change it makes,
the words and the place of a change on the what-changed page) is keyed by these
enums, so a kind added here and missing from a table fails the tests that go over
every kind.

>>> AdjustmentKind("knoop hernoemd").change is ChangeKind.NODE_RENAMED
True
>>> AdjustmentKind.SIGN_CHANGED.id_word, ChangeKind.LINK_RESIGNED.what
('teken', 'link')
>>> LinkKind("CAN_ADJUST").word, LinkKind.ABOUT.derived
('kan bijsturen', True)
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

__all__ = [
    "Adjustment",
    "AdjustmentKind",
    "ChangeKind",
    "LinkKind",
    "Review",
    "Sign",
    "Status",
    "Verdict",
    "Word",
]


class Word(StrEnum):
    """A word of the map's vocabulary: equal to, printed as and shown as its value (the
    sheet word; for a :class:`LinkKind` the relationship type), so that a table holding
    one reads in a notebook as the workbook, or the map, does.

    >>> Status.CONTESTED, [Status.CONTESTED], Status.CONTESTED == "betwist"
    ('betwist', ['betwist'], True)
    """

    def __repr__(self) -> str:
        return repr(self.value)


class Status(Word):
    """A link's status in the cycle (the ``status`` of ``relaties``; the rule that
    sums the reviews up is :func:`graph.cycle.status`), from untested to rejected."""

    HYPOTHESIS = "hypothese"
    CONFIRMED = "bevestigd"
    CONTESTED = "betwist"
    REJECTED = "verworpen"


class Verdict(Word):
    """A group's verdict on a link or a statement (the ``oordeel`` of ``toetsing``;
    the vote of a phone in a live session). A remark (``aanvulling``) is no vote."""

    AGREE = "eens"
    DISAGREE = "oneens"
    NEUTRAL = "neutraal"
    REMARK = "aanvulling"


class Sign(Word):
    """Which way an influence works: strengthens (+) or dampens (-)."""

    PLUS = "+"
    MINUS = "-"


class LinkKind(Word):
    """A kind of link: what the map and Neo4j store as its type (``INFLUENCES``...),
    with the word the ``relaties`` sheet writes for it (:attr:`word`).

    Unlike the other words, the value is the relationship type and not the sheet word:
    the type is what a link carries on the map and in Neo4j, and what programs read
    (the csv and json of a question, a Cypher pattern), while the Dutch word is only
    the workbook's spelling. The rest of what the schema says of a kind (which nodes it
    joins, which fields it fills) is :data:`graph.schema.LINK_KINDS`.

    >>> LinkKind.INFLUENCES, LinkKind.INFLUENCES == "INFLUENCES", LinkKind.INFLUENCES.word
    ('INFLUENCES', True, 'beïnvloedt')
    >>> [kind for kind in LinkKind if kind.derived]
    ['ABOUT', 'SAID_IN']
    """

    INFLUENCES = "INFLUENCES"
    CAN_ADJUST = "CAN_ADJUST"
    COOPERATES_WITH = "COOPERATES_WITH"
    RUNS = "RUNS"
    LOCATED_AT = "LOCATED_AT"
    ADDRESSES = "ADDRESSES"
    ABOUT = "ABOUT"
    SAID_IN = "SAID_IN"

    @property
    def word(self) -> str:
        """The Dutch word of the kind: what ``relaties.soort`` holds and the Dutch pages
        show (a derived kind is never written, only shown)."""
        return _SHEET_WORD[self]

    @property
    def derived(self) -> bool:
        """Whether the map derives links of this kind itself (from the quotes' fields)
        rather than reading them from the ``relaties`` sheet."""
        return self in _DERIVED


#: The link kinds the map derives itself.
_DERIVED = frozenset({LinkKind.ABOUT, LinkKind.SAID_IN})


_SHEET_WORD = {
    LinkKind.INFLUENCES: "beïnvloedt",
    LinkKind.CAN_ADJUST: "kan bijsturen",
    LinkKind.COOPERATES_WITH: "werkt samen met",
    LinkKind.RUNS: "voert uit",
    LinkKind.LOCATED_AT: "vindt plaats in",
    LinkKind.ADDRESSES: "richt zich op",
    LinkKind.ABOUT: "gaat over",
    LinkKind.SAID_IN: "gezegd in",
}


class ChangeKind(Word):
    """A kind of change between two rounds (:func:`queries.changes.diff`), in the order
    the diff lists them within a round."""

    NODE_ADDED = "node added"
    NODE_RETIRED = "node retired"
    NODE_MERGED = "node merged"
    NODE_RENAMED = "node renamed"
    LINK_ADDED = "link added"
    LINK_RETIRED = "link retired"
    LINK_RESIGNED = "link re-signed"
    LINK_REWEIGHTED = "link re-weighted"
    STATUS_CHANGED = "status changed"

    @property
    def what(self) -> str:
        """``node`` or ``link``: what the change is about (a status is a link's)."""
        return "node" if self.value.startswith("node") else "link"


class AdjustmentKind(Word):
    """A kind of adjustment (the ``soort`` of the ``bijstellingen`` sheet)."""

    LINK_ADDED = "relatie toegevoegd"
    LINK_RETIRED = "relatie ingetrokken"
    SIGN_CHANGED = "teken gewijzigd"
    WEIGHT_CHANGED = "gewicht gewijzigd"
    NODE_ADDED = "knoop toegevoegd"
    NODE_RETIRED = "knoop ingetrokken"
    NODE_MERGED = "knoop samengevoegd"
    NODE_RENAMED = "knoop hernoemd"

    @property
    def id_word(self) -> str:
        """The word of the kind in an adjustment's id: ``b<round>-<word>-<subject>``."""
        return _ID_WORD[self]

    @property
    def change(self) -> ChangeKind:
        """The change the adjustment shows as when two rounds are compared."""
        return _CHANGE_OF[self]

    @property
    def replaces_link(self) -> bool:
        """Whether the adjustment retires a link and adds a new one in its place."""
        return self in (AdjustmentKind.SIGN_CHANGED, AdjustmentKind.WEIGHT_CHANGED)

    @property
    def moves_node(self) -> bool:
        """Whether the adjustment takes nodes off the map into another node."""
        return self in (AdjustmentKind.NODE_MERGED, AdjustmentKind.NODE_RENAMED)


_ID_WORD = {
    AdjustmentKind.LINK_ADDED: "toegevoegd",
    AdjustmentKind.LINK_RETIRED: "ingetrokken",
    AdjustmentKind.SIGN_CHANGED: "teken",
    AdjustmentKind.WEIGHT_CHANGED: "gewicht",
    AdjustmentKind.NODE_ADDED: "toegevoegd",
    AdjustmentKind.NODE_RETIRED: "ingetrokken",
    AdjustmentKind.NODE_MERGED: "samengevoegd",
    AdjustmentKind.NODE_RENAMED: "hernoemd",
}
_CHANGE_OF = {
    AdjustmentKind.LINK_ADDED: ChangeKind.LINK_ADDED,
    AdjustmentKind.LINK_RETIRED: ChangeKind.LINK_RETIRED,
    AdjustmentKind.SIGN_CHANGED: ChangeKind.LINK_RESIGNED,
    AdjustmentKind.WEIGHT_CHANGED: ChangeKind.LINK_REWEIGHTED,
    AdjustmentKind.NODE_ADDED: ChangeKind.NODE_ADDED,
    AdjustmentKind.NODE_RETIRED: ChangeKind.NODE_RETIRED,
    AdjustmentKind.NODE_MERGED: ChangeKind.NODE_MERGED,
    AdjustmentKind.NODE_RENAMED: ChangeKind.NODE_RENAMED,
}


@dataclass(frozen=True)
class Adjustment:
    """One adjustment (a row of ``bijstellingen``) with its subject decoded by name.

    The ``subject`` lists, by kind (as :mod:`graph.adjust` records it):

    - a link or node added or retired: that item (a retired node then the links that
      left with it);
    - a new sign or weight: the old link, then the new one;
    - a merge: the node merged into, the merged nodes, then the links retired and the
      links added;
    - a rename: the new node, the old one, then the links retired and the links added.

    >>> a = Adjustment.from_row({"id": "b2-teken-ab", "round": 2, "adjustment_kind":
    ...     "teken gewijzigd", "subject": ("ab", "ab-r2"), "reason": "andersom"})
    >>> a.item, a.replacement, a.kind.change.value
    ('ab', 'ab-r2', 'link re-signed')
    """

    id: str
    round: int
    kind: AdjustmentKind
    subject: tuple[str, ...]
    reason: str
    prompted_by: tuple[str, ...] = ()

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> Adjustment:
        """The adjustment of a ``bijstellingen`` row (from a SystemMap or Neo4j)."""
        return cls(
            row["id"],
            row["round"],
            AdjustmentKind(row["adjustment_kind"]),
            tuple(row["subject"]),
            row["reason"],
            tuple(row.get("prompted_by") or ()),
        )

    def as_row(self) -> dict[str, Any]:
        """The row of ``bijstellingen`` (field names of :mod:`graph.schema`)."""
        return {
            "id": self.id,
            "round": self.round,
            "adjustment_kind": self.kind.value,
            "subject": self.subject,
            "reason": self.reason,
            "prompted_by": self.prompted_by,
        }

    @property
    def item(self) -> str:
        """What the adjustment is about: the item added or retired, the link given a
        new sign or weight, the node merged into, or the node with the new name."""
        return self.subject[0]

    @property
    def replacement(self) -> str | None:
        """For a new sign or weight, the link that replaces :attr:`item`; else None."""
        return self.subject[1] if self.kind.replaces_link and len(self.subject) > 1 else None

    def nodes_moved(self, is_node: Callable[[str], bool]) -> tuple[str, ...]:
        """For a merge or a rename, the nodes that went into :attr:`item` (the merged
        nodes, or the node under its old name); ``is_node`` tells nodes from links."""
        if not self.kind.moves_node:
            return ()
        return tuple(i for i in self.subject[1:] if is_node(i))


@dataclass(frozen=True)
class Review:
    """One review (a row of ``toetsing``): a group's verdict on a link in a round, with
    the session it was given in, a note and the weight the group sees in the link when
    recorded (None when not).

    The map keeps its reviews as rows, as the workbook holds them; the rules of the
    cycle (:mod:`graph.cycle`) and the questions read them as reviews.

    >>> r = Review.from_row({"id": "r1", "link": "ab", "round": 1, "group": "ouder",
    ...     "verdict": "oneens", "note": "nee"})
    >>> r.verdict is Verdict.DISAGREE, r.session, r.is_vote
    (True, None, True)
    >>> r.as_row()
    {'id': 'r1', 'link': 'ab', 'round': 1, 'group': 'ouder', 'verdict': 'oneens', 'note': 'nee'}
    """

    id: str
    link: str
    round: int
    group: str
    verdict: Verdict
    session: str | None = None
    note: str | None = None
    weight: float | None = None

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> Review:
        """The review of a ``toetsing`` row: a SystemMap's record (an empty field left
        out) or a row read from Neo4j (an empty field None)."""
        return cls(
            row["id"],
            row["link"],
            row["round"],
            row["group"],
            Verdict(row["verdict"]),
            row.get("session"),
            row.get("note"),
            row.get("weight"),
        )

    def as_row(self) -> dict[str, Any]:
        """The row of ``toetsing`` (field names of :mod:`graph.schema`), as a SystemMap
        keeps it: a field not recorded is left out."""
        row = {
            "id": self.id,
            "link": self.link,
            "round": self.round,
            "group": self.group,
            "verdict": self.verdict.value,
            "session": self.session,
            "note": self.note,
            "weight": self.weight,
        }
        return {name: value for name, value in row.items() if value is not None}

    @property
    def is_vote(self) -> bool:
        """Whether the verdict is a vote: ``eens``, ``oneens`` or ``neutraal``; an
        ``aanvulling`` is a remark."""
        return self.verdict is not Verdict.REMARK
