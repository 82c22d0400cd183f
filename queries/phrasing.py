"""The Dutch phrasing of the cycle: links as sentences, verdicts and reasons as text.

What a facilitator reads aloud (:func:`link_statement`) and what the agenda and the
diff say about a link (:func:`verdicts_text`, :func:`reason_words`) are phrased here,
apart from the rules that decide them.

>>> link_statement("INFLUENCES", "+", "De verwachtingen van ouders", "Prestatiedruk")
'De verwachtingen van ouders vergroten prestatiedruk'
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

from queries._common import check_link_kinds

__all__ = ["describe_link", "link_statement", "number", "verdicts_text"]

# (singular, plural) verb phrases; {t} is the target.
_PHRASES: dict[tuple[str, str | None], tuple[str, str]] = {
    ("INFLUENCES", "+"): ("vergroot {t}", "vergroten {t}"),
    ("INFLUENCES", "-"): ("verkleint {t}", "verkleinen {t}"),
    ("INFLUENCES", None): ("beïnvloedt {t}", "beïnvloeden {t}"),
    ("CAN_ADJUST", None): ("kan {t} bijsturen", "kunnen {t} bijsturen"),
    ("COOPERATES_WITH", None): ("werkt samen met {t}", "werken samen met {t}"),
    ("RUNS", None): ("voert {t} uit", "voeren {t} uit"),
    ("LOCATED_AT", None): ("vindt plaats in {t}", "vinden plaats in {t}"),
    ("ADDRESSES", None): ("richt zich op {t}", "richten zich op {t}"),
}
# Words ending in -en that are singular.
_SINGULAR_EN = ("iedereen", "examen", "leven", "wezen", "teken")
# Plurals in -s (ouders, tafels, jongens, meisjes, activiteiten aside), and exceptions.
_PLURAL_S = ("ers", "els", "ens", "jes", "ies", "als", "'s")
_SINGULAR_S = ("mens",)
#: Link kinds whose targets are common nouns (factors, groups): lower case mid-sentence.
_COMMON_TARGETS = ("INFLUENCES", "CAN_ADJUST", "ADDRESSES")


def _proper_name(name: str) -> bool:
    """A name that keeps its capitals mid-sentence: ``VMBO``, ``Gemeente Utrecht``."""
    words = name.split()
    if not words:
        return False
    if len(words[0]) > 1 and words[0].isupper():
        return True
    capitalised = [w for w in words if w[:1].isupper()]
    return len(words) <= 3 and len(capitalised) >= 2


def _plural(name: str) -> bool:
    """Whether a name reads as plural (``Ouders``, ``De verwachtingen van ouders``)."""
    words = name.split()
    if not words or words[0].lower() in ("het", "een") or _proper_name(name):
        return False
    if words[0].lower() == "de" and len(words) > 1:
        words = words[1:]
    head = words[0].lower().strip(",.")
    if head in _SINGULAR_EN:
        return False
    if head.endswith("en") and len(head) > 3:
        return True
    return head.endswith(_PLURAL_S) and head not in _SINGULAR_S


def _mid_sentence(name: str) -> str:
    return name if _proper_name(name) else name[:1].lower() + name[1:]


def link_statement(kind: str, sign: str | None, source_name: str, target_name: str) -> str:
    """A link as a plain Dutch sentence, to put to a group.

    The verb follows the sign: ``+`` vergroot, ``-`` verkleint, unknown beïnvloedt;
    other kinds of link have their own phrase. Simple rules pick the plural verb for
    plural names (``Ouders``, ``De verwachtingen van ouders``) and write a factor or
    group in lower case mid-sentence, a name such as ``VMBO`` or ``Gemeente Utrecht``
    as it is.

    >>> link_statement("INFLUENCES", "-", "Verantwoordelijkheidsgevoel", "Stress")
    'Verantwoordelijkheidsgevoel verkleint stress'
    >>> link_statement("INFLUENCES", None, "Ouders", "Het geluk van een kind")
    'Ouders beïnvloeden het geluk van een kind'
    >>> link_statement("CAN_ADJUST", None, "Scholen", "Meten en toetsen")
    'Scholen kunnen meten en toetsen bijsturen'
    >>> link_statement("RUNS", None, "Gemeente Utrecht", "Vleuten Versterkt")
    'Gemeente Utrecht voert Vleuten Versterkt uit'
    """
    check_link_kinds([kind])
    singular, plural = _PHRASES.get((kind, sign)) or _PHRASES[kind, None]
    phrase = plural if _plural(source_name) else singular
    subject = source_name[:1].upper() + source_name[1:]
    target = _mid_sentence(target_name) if kind in _COMMON_TARGETS else target_name
    return f"{subject} {phrase.format(t=target)}"


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
    return AGENDA_REASONS[reason].format(**values)


#: The agenda's reasons, by the rule of :mod:`queries.agenda` that gives them.
AGENDA_REASONS = {
    "contested": "betwist (eens: {agreeing}; oneens: {disagreeing})",
    "untested": "nog niet getoetst",
    "undecided": "nog geen oordeel: alleen neutraal of aanvulling",
    "one group": "alleen {status} door {group}",
    "one source": "rust op één bron",
    "no source": "rust op geen bron",
    "knob": "knop op {factor} (effect {effect} op {target})",
    "chain": "op een keten naar {target} (via {factor}, effect {effect})",
}
