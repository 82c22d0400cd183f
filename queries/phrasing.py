"""The phrasing of the cycle: links as sentences, verdicts and reasons as text, in
Dutch and in English.

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

from graph.catalogue import message
from graph.phrasing import link_statement
from graph.vocabulary import Review

__all__ = [
    "AGENDA_REASONS",
    "Reason",
    "agenda_reason",
    "describe_link",
    "link_statement",
    "number",
    "phrase",
    "verdicts_text",
]


def describe_link(link: Mapping[str, Any]) -> Reason:
    """A row with ``kind``, ``sign``, ``source_name`` and ``target_name`` as a sentence:
    Dutch as a string, phrased in either language by :func:`phrase`.

    >>> s = describe_link({"kind": "INFLUENCES", "sign": "-", "source_name": "Sport",
    ...                    "target_name": "Stress"})
    >>> s, phrase(s, "en")
    ('Sport verkleint stress', 'Sport decreases Stress')
    """
    values = {k: link[k] for k in ("kind", "sign", "source_name", "target_name")}
    return Reason("link", values)


def verdicts_text(reviews: Sequence[Review]) -> Reason:
    """``ronde 1: ouder eens, professional oneens``: the verdicts behind a status change,
    a :class:`Reason` (code ``verdicts``) phrased in either language by :func:`phrase`.

    >>> from graph.vocabulary import Verdict
    >>> r = verdicts_text([Review("r1", "ab", 1, "ouder", Verdict.AGREE)])
    >>> r, phrase(r, "en")
    ('ronde 1: ouder eens', 'round 1: ouder agree')
    """
    by_round: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for review in reviews:
        by_round[review.round].append((review.group, review.verdict.value))
    return Reason("verdicts", {"rounds": sorted(by_round.items())})


def number(x: float) -> str:
    """A number as Dutch text: ``1,5``."""
    return f"{x:g}".replace(".", ",")


class Reason(str):
    """One reason why a link is on the agenda: a ``code`` and its ``values``, phrased
    by the message catalogue (:func:`phrase`). As a string it is the Dutch sentence,
    so that a table or a notebook shows it as it did; :func:`phrase` gives it in
    either language.

    >>> r = agenda_reason("divided", consensus=0.2)
    >>> r.code, r.values
    ('divided', {'consensus': 0.2})
    >>> str(r), phrase(r, "en")
    ('verdeelt de groepen (consensus 0,2)', 'divides the groups (consensus 0.2)')
    """

    code: str
    values: dict[str, Any]

    def __new__(cls, code: str, values: Mapping[str, Any]) -> Reason:
        reason = super().__new__(cls, _phrase(code, values, "nl"))
        reason.code, reason.values = code, dict(values)
        return reason

    def __reduce__(self) -> tuple[Any, ...]:
        return (Reason, (self.code, self.values))

    def say(self, lang: str) -> str:
        """The reason in ``lang`` (a table phrases its cells with this)."""
        return _phrase(self.code, self.values, lang)


def agenda_reason(reason: str, **values: Any) -> Reason:
    """One reason why a link is on the agenda (a code of :data:`AGENDA_REASONS`).

    >>> agenda_reason("contested", agreeing=["ouder"], disagreeing=["jongere"])
    'betwist (eens: ouder; oneens: jongere)'
    """
    if reason not in AGENDA_REASONS:
        raise KeyError(f"unknown agenda reason {reason!r}")
    return Reason(reason, values)


def phrase(reason: str, lang: str) -> str:
    """A reason in ``lang``; a plain string (no code) as it is."""
    if isinstance(reason, Reason):
        return _phrase(reason.code, reason.values, lang)
    return reason


def _phrase(code: str, values: Mapping[str, Any], lang: str) -> str:
    if code == "link":
        v = values
        return link_statement(v["kind"], v["sign"], v["source_name"], v["target_name"], lang)
    if code == "verdicts":
        return "; ".join(
            message(
                "reason.round",
                lang,
                round=k,
                verdicts=", ".join(f"{g} {message(f'word.{v}', lang)}" for g, v in verdicts),
            )
            for k, verdicts in values["rounds"]
        )
    decimal = "," if lang == "nl" else "."
    shown: dict[str, Any] = {}
    for name, value in values.items():
        if name in ("agreeing", "disagreeing"):
            value = ", ".join(value)
        elif name == "consensus":
            value = f"{round(value, 2):g}".replace(".", decimal)
        elif isinstance(value, float):
            value = f"{value:g}".replace(".", decimal)
        elif name == "status":
            value = message(f"word.{value}", lang)
        shown[name] = value
    return message(f"reason.{AGENDA_REASONS[code]}", lang, **shown)


#: The agenda's reasons, by the rule of :mod:`queries.agenda` that gives them: the code
#: and the message of the catalogue (:mod:`graph.catalogue`) that phrases it.
AGENDA_REASONS = {
    "contested": "contested",
    "divided": "divided",
    "untested": "untested",
    "undecided": "undecided",
    "one group": "one_group",
    "one source": "one_source",
    "no source": "no_source",
    "knob": "knob",
    "chain": "chain",
}
