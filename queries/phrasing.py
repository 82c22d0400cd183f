"""The Dutch phrasing of the cycle: links as sentences, verdicts and reasons as text.

What the agenda and the diff say about a link (:func:`verdicts_text`,
:func:`reason_words`) is phrased here, apart from the rules that decide them. What a
facilitator reads aloud, a link as a sentence (:func:`link_statement`), lives in
:mod:`graph.phrasing`, as the review form writes it too; it is passed on from here.

>>> link_statement("INFLUENCES", "+", "De verwachtingen van ouders", "Prestatiedruk")
'De verwachtingen van ouders vergroten prestatiedruk'
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

from graph.phrasing import link_statement

__all__ = ["describe_link", "link_statement", "number", "verdicts_text"]


def describe_link(link: Mapping[str, Any]) -> str:
    """A row with ``kind``, ``sign``, ``source_name`` and ``target_name`` as a sentence."""
    return link_statement(link["kind"], link["sign"], link["source_name"], link["target_name"])


def verdicts_text(reviews: Sequence[Mapping[str, Any]]) -> str:
    """``ronde 1: ouder eens, professional oneens``: the verdicts behind a status change.

    >>> verdicts_text([{"round": 1, "group": "ouder", "verdict": "eens"}])
    'ronde 1: ouder eens'
    """
    by_round: dict[int, list[str]] = defaultdict(list)
    for review in reviews:
        by_round[review["round"]].append(f"{review['group']} {review['verdict']}")
    return "; ".join(f"ronde {k}: {', '.join(v)}" for k, v in sorted(by_round.items()))


def number(x: float) -> str:
    """A number as Dutch text: ``1,5``."""
    return f"{x:g}".replace(".", ",")


def agenda_reason(reason: str, **values: Any) -> str:
    """One reason why a link is on the agenda, in Dutch (see :data:`AGENDA_REASONS`).

    >>> agenda_reason("contested", agreeing=["ouder"], disagreeing=["jongere"])
    'betwist (eens: ouder; oneens: jongere)'
    """
    for name in ("agreeing", "disagreeing"):
        if name in values:
            values[name] = ", ".join(values[name])
    if "effect" in values:
        values["effect"] = number(values["effect"])
    if "consensus" in values:
        values["consensus"] = number(round(values["consensus"], 2))
    return AGENDA_REASONS[reason].format(**values)


#: The agenda's reasons, by the rule of :mod:`queries.agenda` that gives them.
AGENDA_REASONS = {
    "contested": "betwist (eens: {agreeing}; oneens: {disagreeing})",
    "divided": "verdeelt de groepen (consensus {consensus})",
    "untested": "nog niet getoetst",
    "undecided": "nog geen oordeel: alleen neutraal of aanvulling",
    "one group": "alleen {status} door {group}",
    "one source": "rust op één bron",
    "no source": "rust op geen bron",
    "knob": "knop op {factor} (effect {effect} op {target})",
    "chain": "op een keten naar {target} (via {factor}, effect {effect})",
}
