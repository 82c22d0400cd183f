"""A link as a plain sentence, the way a facilitator puts it to a group: in Dutch, or
in English (the verbs come from the message catalogue, :mod:`graph.catalogue`; the
names are the map's own).

It is used wherever a link is read aloud or written down for people: the review form
(:mod:`loaders.review_form`), the agenda and the diff (:mod:`queries.phrasing`), the
pages.

>>> link_statement("INFLUENCES", "+", "De verwachtingen van ouders", "Prestatiedruk")
'De verwachtingen van ouders vergroten prestatiedruk'
>>> link_statement("INFLUENCES", "+", "De verwachtingen van ouders", "Prestatiedruk", "en")
'De verwachtingen van ouders increase Prestatiedruk'
"""

from __future__ import annotations

from functools import lru_cache

from graph.catalogue import message
from graph.errors import MapError
from graph.model import Link, SystemMap
from graph.vocabulary import LinkKind

__all__ = ["link_sentence", "link_statement"]

# The verb phrase of each kind (and sign) of link: the message ``link.<phrase>`` (and
# ``link.<phrase>_plural``) of the catalogue, in which {t} is the target.
_PHRASES: dict[tuple[str, str | None], str] = {
    (LinkKind.INFLUENCES, "+"): "influences_up",
    (LinkKind.INFLUENCES, "-"): "influences_down",
    (LinkKind.INFLUENCES, None): "influences",
    (LinkKind.CAN_ADJUST, None): "can_adjust",
    (LinkKind.COOPERATES_WITH, None): "cooperates_with",
    (LinkKind.RUNS, None): "runs",
    (LinkKind.LOCATED_AT, None): "located_at",
    (LinkKind.ADDRESSES, None): "addresses",
}
# Words ending in -en that are singular.
_SINGULAR_EN = ("iedereen", "examen", "leven", "wezen", "teken")
# Plurals in -s (ouders, tafels, jongens, meisjes, activiteiten aside), and exceptions.
_PLURAL_S = ("ers", "els", "ens", "jes", "ies", "als", "'s")
_SINGULAR_S = ("mens",)
#: Link kinds whose targets are common nouns (factors, groups): lower case mid-sentence.
_COMMON_TARGETS = (LinkKind.INFLUENCES, LinkKind.CAN_ADJUST, LinkKind.ADDRESSES)
#: How many names the rules below remember their answer for: a map's page puts every
#: link into words, and each name is on many links.
_NAMES_REMEMBERED = 1 << 16


@lru_cache(maxsize=_NAMES_REMEMBERED)
def _proper_name(name: str) -> bool:
    """A name that keeps its capitals mid-sentence: ``VMBO``, ``Gemeente Utrecht``,
    ``Factor 12`` (a name with a number is a name, not a noun)."""
    words = name.split()
    if not words:
        return False
    if any(map(str.isdigit, name)):
        return True
    if len(words[0]) > 1 and words[0].isupper():
        return True
    capitalised = [w for w in words if w[:1].isupper()]
    return len(words) <= 3 and len(capitalised) >= 2


@lru_cache(maxsize=_NAMES_REMEMBERED)
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


def _mid_sentence(name: str, lang: str) -> str:
    """``name`` in the middle of a sentence: a Dutch noun in lower case; in an English
    sentence the map's (Dutch) names are kept as written, as names."""
    if lang != "nl" or _proper_name(name):
        return name
    return name[:1].lower() + name[1:]


def link_statement(
    kind: str, sign: str | None, source_name: str, target_name: str, lang: str = "nl"
) -> str:
    """A link as a plain sentence in ``lang``, to put to a group.

    The verb follows the sign: ``+`` vergroot, ``-`` verkleint, unknown beïnvloedt;
    other kinds of link have their own phrase. Simple rules pick the plural verb for
    plural names (``Ouders``, ``De verwachtingen van ouders``) and write a factor or
    group in lower case mid-sentence, a name such as ``VMBO``, ``Gemeente Utrecht`` or
    ``Factor 12`` as it is; an English sentence keeps the map's names as written.

    >>> link_statement("INFLUENCES", "-", "Verantwoordelijkheidsgevoel", "Stress")
    'Verantwoordelijkheidsgevoel verkleint stress'
    >>> link_statement("INFLUENCES", None, "Ouders", "Het geluk van een kind")
    'Ouders beïnvloeden het geluk van een kind'
    >>> link_statement("CAN_ADJUST", None, "Scholen", "Meten en toetsen")
    'Scholen kunnen meten en toetsen bijsturen'
    >>> link_statement("RUNS", None, "Gemeente Utrecht", "Vleuten Versterkt")
    'Gemeente Utrecht voert Vleuten Versterkt uit'
    >>> link_statement("CAN_ADJUST", None, "Scholen", "Meten en toetsen", "en")
    'Scholen can adjust Meten en toetsen'
    >>> link_statement("INFLUENCES", "+", "Factor 3", "Factor 12")
    'Factor 3 vergroot Factor 12'
    """
    code = _PHRASES.get((kind, sign)) or _PHRASES.get((kind, None))
    if code is None:
        raise MapError(f"no sentence for a link of kind {kind!r}")
    # the names are the map's, Dutch: whether the subject is plural is read from them
    phrase = message(f"link.{code}_plural" if _plural(source_name) else f"link.{code}", lang)
    subject = source_name[:1].upper() + source_name[1:]
    target = _mid_sentence(target_name, lang) if kind in _COMMON_TARGETS else target_name
    return f"{subject} {phrase.format(t=target)}"


def link_sentence(m: SystemMap, link: Link, lang: str = "nl") -> str:
    """``link`` of ``m`` as the sentence of :func:`link_statement`, with the names its
    ends have in ``m``: how every page and table puts a link to people.

    >>> from loaders import load_map
    >>> m = load_map()
    >>> link = m.link("inv-verwachtingen-ouders-prestatiedruk")
    >>> link_sentence(m, link)
    'De verwachtingen van ouders vergroten prestatiedruk'
    >>> link_sentence(m, link, "en")
    'De verwachtingen van ouders increase Prestatiedruk'
    """
    source, target = m.node(link.source).name, m.node(link.target).name
    return link_statement(link.kind, link.get("sign"), source, target, lang)
