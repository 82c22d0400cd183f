"""What the map's tooltips and the toetsmodus cite and say: each link's status as
the reviews decide it, the quotes and reviews behind each element, and the words of
the vocabulary as a page in English shows them.

:mod:`views.map` (the map page) and :mod:`views.toets` (its toetsmodus) both read
them from here.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from graph import Link, Node, SystemMap, schema
from graph.catalogue import LANGS, message, words
from graph.cycle import present as on_map
from graph.cycle import review_counts, rounds, status_rows
from graph.phrasing import link_statement
from graph.vocabulary import LinkKind, Review
from queries.consensus import link_consensus

__all__ = [
    "GROUP_EN",
    "LEVEL_EN",
    "ROLE_EN",
    "STATUS_EN",
    "VERDICT_EN",
    "WORDS",
    "Provenance",
    "link_label",
    "link_line",
    "link_statuses",
    "provenance",
    "word",
]

#: Words of the map page, per language.
WORDS: dict[str, dict[str, str]] = {lang: words("map", lang) for lang in LANGS}

#: Status, verdict, level, role and group words in English, for the English map (the
#: data keeps the Dutch values): the catalogue's (:mod:`graph.catalogue`).
STATUS_EN = {k: v for k, v in words("word", "en").items() if k in schema.LINK_STATUSES}
VERDICT_EN = {k: v for k, v in words("word", "en").items() if k not in schema.LINK_STATUSES}
LEVEL_EN = words("level", "en")
ROLE_EN = words("role", "en")
GROUP_EN = words("group", "en")


def link_label(link: Link, lang: str) -> str:
    kind = schema.LINK_KINDS[link.kind]
    if link.kind == LinkKind.INFLUENCES:
        labels = schema.SIGN_LABELS_NL if lang == "nl" else schema.SIGN_LABELS_EN
        return labels[link.get("sign")]
    return kind.value if lang == "nl" else kind.label_en


def link_line(link: Link, names: Mapping[str, str], lang: str) -> str:
    """``link`` as the sentence its tooltip and the what-changed page read, in ``lang``,
    with the names ``names`` gives its ends: ``Schooldruk vergroot stress``, ``School
    pressure increases stress`` (the map's names are kept as written), and for a quote
    ``«...» gaat over Prestatiedruk``.

    >>> from loaders import load_map
    >>> m = load_map()
    >>> link = m.link("inv-prestatiedruk-stress")
    >>> names = {node.id: node.name for node in m.nodes()}
    >>> link_line(link, names, "nl"), link_line(link, names, "en")
    ('Prestatiedruk vergroot stress', 'Prestatiedruk increases Stress')
    """
    source, target = names[link.source], names[link.target]
    if link.derived:  # a quote's: what it is about, where it was said
        return message(f"tooltip.{link.kind.lower()}", lang, s=source, t=target)
    return link_statement(link.kind, link.get("sign"), source, target, lang)


def word(value: str, lang: str) -> str:
    """A status, verdict, group, level or role as the page shows it in ``lang``."""
    if lang == "en":
        for table in (STATUS_EN, VERDICT_EN, GROUP_EN, LEVEL_EN, ROLE_EN):
            if value in table:
                return table[value]
    return value


@dataclass(frozen=True)
class Provenance:
    """What the tooltips cite and say, looked up once per map: quotes by subject (node
    or link id), reviews by link id, each link's status (see :func:`link_statuses`;
    a link not in it is a hypothese) and the name of each node by id."""

    quotes: Mapping[str, list[Node]]
    reviews: Mapping[str, list[Review]]
    status: Mapping[str, str] = field(default_factory=dict)
    names: Mapping[str, str] = field(default_factory=dict)
    #: the links whose groups' votes lean different ways (:mod:`queries.consensus`)
    divided: frozenset[str] = frozenset()


def provenance(m: SystemMap, as_of_round: int | None = None) -> Provenance:
    """What the tooltips of the map as of ``as_of_round`` cite (by default: now).

    As of a round, the reviews are those of the rounds before it: the ones its
    statuses rest on (see :mod:`graph.cycle`).
    """
    rows = _status_rows(m, as_of_round)  # once, for the statuses and the divided links
    return Provenance(
        _quotes_by_subject(m, as_of_round),
        _reviews_by_link(m, as_of_round),
        {row["link"]: row["status"] for row in rows},
        {node.id: node.name for node in m.nodes()},
        _divided(rows),
    )


def _status_rows(m: SystemMap, as_of_round: int | None) -> list[dict[str, Any]]:
    """The status rows the statuses of :func:`link_statuses` rest on; none on a map
    nobody has reviewed."""
    if not m.reviews:
        return []
    return status_rows(m, as_of_round if as_of_round in rounds(m) else None)


def _divided(rows: list[dict[str, Any]]) -> frozenset[str]:
    scores = link_consensus(rows)
    return frozenset(row["link"] for row, (_, _, d) in zip(rows, scores, strict=True) if d)


def link_statuses(m: SystemMap, as_of_round: int | None = None) -> dict[str, str]:
    """The status of each link as the groups' reviews decide it, by the rule of
    :func:`graph.cycle.status_rows` (the ``status`` column of the workbook does not
    count): as of ``as_of_round``, the status with which the links entered that round.

    Links that are not listed are hypotheses. A map nobody has reviewed has only
    hypotheses, so the rule is not asked; a round the ``rondes`` sheet does not list
    gets the latest statuses.

    >>> from graph.vocabulary import Status, Verdict
    >>> m = SystemMap("demo")
    >>> m.add_record("rounds", number=1, name="Ronde 1")
    >>> m.add_node("Factor", "a", "A", level="persoon", role="bron")
    >>> m.add_node("Factor", "b", "B", level="persoon", role="uitkomst")
    >>> m.add_link("ab", "INFLUENCES", "a", "b", sign="+", status=Status.CONFIRMED)
    >>> link_statuses(m)  # a status in the workbook alone does not make it so
    {}
    >>> m.add_record("reviews", id="r1", link="ab", round=1, group="ouder",
    ...              verdict=Verdict.DISAGREE)
    >>> link_statuses(m), link_statuses(m, as_of_round=1)
    ({'ab': 'verworpen'}, {'ab': 'hypothese'})
    """
    return {row["link"]: row["status"] for row in _status_rows(m, as_of_round)}


def _quotes_by_subject(m: SystemMap, as_of_round: int | None) -> dict[str, list[Node]]:
    """The quotes on the map as of ``as_of_round`` by what they are about: a withdrawn
    quote (``ronde_uit``) is never quoted."""
    out: dict[str, list[Node]] = defaultdict(list)
    for quote in m.quotes():
        if not on_map(quote.fields, as_of_round):
            continue
        for subject in quote.get("about", ()):
            out[subject].append(quote)
    return out


def _reviews_by_link(m: SystemMap, as_of_round: int | None) -> dict[str, list[Review]]:
    out: dict[str, list[Review]] = defaultdict(list)
    for row in m.reviews:
        review = Review.from_row(row)
        if review_counts(review, as_of_round):
            out[review.link].append(review)
    for reviews in out.values():
        reviews.sort(key=lambda r: (r.round, r.group, r.id))
    return out


def _source_text(m: SystemMap, source_id: str) -> str:
    if source_id not in m.graph:
        return source_id
    source = m.node(source_id)
    reference = source.get("reference")
    if reference and reference != source.name:
        return f"{source.name} ({reference})"
    return source.name


def _provenance_lines(
    m: SystemMap, item: Node | Link, quotes: Iterable[Node], lang: str
) -> list[str]:
    w = WORDS[lang]
    lines = []
    if item.get("origin"):
        lines.append(f"{w['origin']}: {item['origin']}")
    if item.get("note"):
        lines.append(f"{w['note']}: {item['note']}")
    sources = [_source_text(m, s) for s in item.get("sources", ())]
    if sources:
        lines.append(f"{w['sources']}: " + "; ".join(sources))
    for quote in quotes:
        said = f", {m.node(quote['session']).name}" if quote.get("session") in m.graph else ""
        lines.append(f"{w['quotes']}: «{quote.name}» ({word(quote['group'], lang)}{said})")
    return lines


def _review_lines(reviews: Sequence[Review], lang: str) -> list[str]:
    w = WORDS[lang]
    if not reviews:
        return []
    lines = []
    for review in reviews:
        line = w["review_line"].format(
            round=review.round,
            group=word(review.group, lang),
            verdict=word(review.verdict, lang),
        )
        if review.note:
            line += f" ({review.note})"
        lines.append(f"{w['reviews']}: {line}")
    return lines
