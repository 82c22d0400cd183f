"""The privacy guard: no e-mail address or phone number goes into the data.

The data concerns young people, so every text cell of a workbook and every cell of a
review form is checked. People write addresses and numbers in many ways, and the
guard catches how they really write them:

- e-mail: ``naam@domein.nl``, with spaces around the ``@`` or a line break after
  it, ``naam [at] domein [dot] nl``, ``naam(at)domein.nl``, ``naam(a)domein.nl``, a
  full-width ``＠``, ``&#64;`` or ``%40`` for the ``@``, invisible characters in
  between; and ``at`` (or ``(a)``), ``dot`` and ``punt`` written as words: ``naam at
  gmail.com``, ``naam at example dot nl``. These words are ordinary words too, so they
  count only before a domain written as addresses are, with no spaces around its dots
  and a usual ending (``.nl``, ``.com``...): ``we kijken naar school at home. Daarna``
  passes;
- phone: a Dutch number of ten digits starting with ``0`` (``06-12345678``,
  ``(030) 1234567``, ``06.12.34.56.78``, ``06 - 12345678``, ``06_12_34_56_78``), or
  an international one starting with ``+`` or ``00`` (``+31 6 1234 5678``,
  ``+31 (0)6 12345678``), the digits grouped by spaces (no-break ones too), dashes of
  any kind, dots, underscores, slashes or brackets.

Dates (``2022-10-13``, ``13-10-2022 08.30``), times (``12:30-13:30``) and ISBNs are
not phone numbers and pass.

The text is normalised first (entities and percent codes decoded, full-width and
other compatibility forms folded, invisible characters removed, every dash made
``-``), then scanned once: the guard takes time in proportion to the length of the
text, however it is made (no backtracking pattern).
"""

from __future__ import annotations

import html
import re
import unicodedata
from urllib.parse import unquote

from graph.errors import Said, said

__all__ = ["contains_email", "contains_phone", "normalise", "privacy_problem"]

EMAIL_PROBLEM = said("load.privacy_email")
PHONE_PROBLEM = said("load.privacy_phone")

# Written-out "at" and "dot" in brackets: [at], (at), {at}, <at>, [dot], (punt)...
# Every quantifier is bounded, so each match costs a constant amount of work.
_OBFUSCATED = re.compile(r"[\[({<]\s{0,3}(at|dot|punt)\s{0,3}[\])}>]", re.IGNORECASE)
# "(a)" between two words, as in naam(a)domein.nl, stands for an "@".
_ATTACHED_A = re.compile(r"(?<=[\w.%+'-])\(a\)(?=\w)", re.IGNORECASE)
# "at" or "(a)" written as a word between spaces: "at", "(a)", "dot" and "punt" are
# ordinary words too, so what follows must be a domain written as addresses are: dots
# without spaces around them (or the words "dot", "punt"), and a usual ending.
_WORDED_AT = re.compile(r"\s{1,3}(?:at|\(a\))\s{1,3}", re.IGNORECASE)
# (no ending that is also a Dutch word, such as "de" or "nu": "... at school punt de ...")
_TOP_LEVEL = "nl|be|com|org|net|info|eu|uk|edu|gov|biz|online|email|frl|amsterdam"
_WORDED_DOMAIN = re.compile(
    r"[^\W_][\w-]{0,62}(?:(?:\.|\s{1,3}(?:dot|punt)\s{1,3})[\w-]{1,63}){0,8}"
    rf"(?:\.|\s{{1,3}}(?:dot|punt)\s{{1,3}})(?:{_TOP_LEVEL})(?!\w)",
    re.IGNORECASE,
)
# What may follow an "@" in an address: a domain with at least one dot and a final
# part of two or more letters; spaces around the dots are allowed (after [dot]).
_DOMAIN = re.compile(
    r"\s{0,3}[^\W_][\w-]{0,62}"
    r"(?:\s{0,3}\.\s{0,3}[\w-]{1,63}){0,8}\s{0,3}\.\s{0,3}[^\W\d_]{2,63}(?!\w)"
)
# After an "@", a domain with its dots written as words (naam@example dot nl).
_DOMAIN_IN_WORDS = re.compile(
    r"[^\W_][\w-]{0,62}(?:(?:\.|\s{1,3}(?:dot|punt)\s{1,3})[\w-]{1,63}){0,8}"
    r"(?:\.|\s{1,3}(?:dot|punt)\s{1,3})[^\W\d_]{2,63}(?!\w)",
    re.IGNORECASE,
)
_LOCAL_PUNCTUATION = frozenset("._%+-'")
_DIGITS = re.compile(r"[0-9]+")
_DIGIT = re.compile(r"[0-9]")
# An opening bracket, where "at", "dot" and "punt" may be written out.
_BRACKET = re.compile(r"[\[({<]")
# The fewest digits a phone number has (an international one, after its "+").
_MIN_PHONE_DIGITS = 8

# Characters that may stand between the digit groups of a phone number.
_SEPARATORS = frozenset(" -./()_")
_MAX_SEPARATOR_RUN = 4
_DATE_SEPARATORS = ("-", ".", "/")


def normalise(text: str) -> str:
    """``text`` as the guard reads it.

    >>> normalise("jan&#64;x%2Enl")
    'jan@x.nl'
    >>> normalise("naam [at] domein [dot] nl")
    'naam @ domein . nl'
    >>> normalise("06\u201312\u00a034\u200b56")
    '06-12 3456'
    """
    if "&" in text or "%" in text:
        text = html.unescape(unquote(html.unescape(text), errors="replace"))
    if text.isascii():
        text = text.translate(_ASCII_SPACES)
    else:
        text = "".join(_fold(ch) for ch in unicodedata.normalize("NFKC", text))
    if _BRACKET.search(text):
        text = _OBFUSCATED.sub(_unobfuscate, _ATTACHED_A.sub("@", text))
    return text


_ASCII_SPACES = str.maketrans("\t\r\n", "   ")


def _fold(ch: str) -> str:
    """One character as the guard reads it: invisible ones dropped, dashes and spaces
    of every kind made plain."""
    if ch.isascii():
        return " " if ch in "\t\r\n" else ch
    category = unicodedata.category(ch)
    if category == "Cf":
        return ""  # zero-width spaces and joiners, soft hyphens, direction marks
    if category == "Pd" or ch == "\u2212":
        return "-"
    if category in ("Zs", "Zl", "Zp"):
        return " "
    return ch


def _unobfuscate(match: re.Match[str]) -> str:
    return "@" if match.group(1).lower() == "at" else "."


def contains_email(text: str) -> bool:
    """Whether normalised ``text`` holds an e-mail address.

    >>> contains_email("naam @ domein.nl"), contains_email("@vleuten op social media")
    (True, False)
    """
    at = text.find("@")
    while at != -1:
        before = at - 1
        while before >= 0 and at - before <= _MAX_SEPARATOR_RUN and text[before] == " ":
            before -= 1
        if before >= 0 and (text[before].isalnum() or text[before] in _LOCAL_PUNCTUATION):
            after = at + 1
            while after < len(text) and after - at <= _MAX_SEPARATOR_RUN and text[after] == " ":
                after += 1
            if _DOMAIN.match(text, at + 1) or _DOMAIN_IN_WORDS.match(text, after):
                return True
        at = text.find("@", at + 1)
    return _worded_email(text)


def _worded_email(text: str) -> bool:
    """Whether ``text`` holds an address with its ``@`` written as the word "at" or as
    "(a)" (``naam at gmail.com``, ``naam at example dot nl``, ``naam(a)gmail.com``)."""
    for match in _WORDED_AT.finditer(text):
        before = match.start() - 1
        if before < 0 or not (text[before].isalnum() or text[before] in _LOCAL_PUNCTUATION):
            continue
        if _WORDED_DOMAIN.match(text, match.end()):
            return True
    return False


def contains_phone(text: str) -> bool:
    """Whether normalised ``text`` holds a phone number.

    >>> contains_phone("bel (030) 1234567"), contains_phone("2022-10-13 12:30")
    (True, False)
    """
    if len(_DIGIT.findall(text)) < _MIN_PHONE_DIGITS:
        return False  # most text: too few digits for any number (a quick count)
    groups: list[str] = []
    seps: list[str] = []
    start = end = 0
    for match in _DIGITS.finditer(text):
        gap = text[end : match.start()]
        if groups and len(gap) <= _MAX_SEPARATOR_RUN and all(c in _SEPARATORS for c in gap):
            seps.append(gap)
            groups.append(match.group())
        else:
            if groups and _is_phone(text, start, end, groups, seps):
                return True
            groups, seps, start = [match.group()], [], match.start()
        end = match.end()
    return bool(groups) and _is_phone(text, start, end, groups, seps)


def _is_phone(text: str, start: int, end: int, groups: list[str], seps: list[str]) -> bool:
    """Whether the digit groups from ``start`` to ``end`` are a phone number (dates in
    them set aside). Digits stuck to letters (an IBAN, a code) or following the word
    ISBN are not."""
    if (start > 0 and text[start - 1].isalpha()) or (end < len(text) and text[end].isalpha()):
        return False
    if _after_isbn(text, start):
        return False
    lead = text[max(0, start - 3) : start].replace(" ", "").replace("(", "")
    international = lead.endswith("+")
    for segment in _without_dates(groups, seps):
        digits = "".join(segment)
        if international and 8 <= len(digits) <= 15:
            return True
        if digits.startswith("00") and 11 <= len(digits) <= 15:
            return True
        if digits.startswith("0") and not digits.startswith("00") and len(digits) == 10:
            return True
        international = False  # only the first segment follows the "+"
    return False


def _without_dates(groups: list[str], seps: list[str]) -> list[list[str]]:
    """The groups split into segments around dates (2022-10-13, 13-10-2022, 1/2/2023),
    which are left out."""
    segments: list[list[str]] = [[]]
    i = 0
    while i < len(groups):
        if i + 2 < len(groups) and _is_date(groups[i : i + 3], seps, i):
            segments.append([])
            i += 3
            continue
        segments[-1].append(groups[i])
        i += 1
    return [s for s in segments if s]


def _is_date(parts: list[str], seps: list[str], i: int) -> bool:
    """Whether ``parts`` (groups ``i`` to ``i + 2`` of a run) are a date standing on
    its own: one date separator twice, and the run not going on with it."""
    sep = seps[i]
    if sep not in _DATE_SEPARATORS or seps[i + 1] != sep:
        return False
    if (i > 0 and seps[i - 1] == sep) or (i + 2 < len(seps) and seps[i + 2] == sep):
        return False
    if len(parts[0]) == 4:
        year, month, day = parts
    elif len(parts[2]) == 4:
        day, month, year = parts
    else:
        return False
    return (
        year[:2] in ("19", "20")
        and 1 <= len(month) <= 2
        and 1 <= len(day) <= 2
        and 1 <= int(month) <= 12
        and 1 <= int(day) <= 31
    )


def _after_isbn(text: str, start: int) -> bool:
    """Whether the digits at ``start`` follow the word ISBN (``ISBN 0-306-40615-2``)."""
    before = text[max(0, start - 12) : start].lower().rstrip(" :-")
    return before.endswith(("isbn", "isbn-10", "isbn-13", "isbn 10", "isbn 13"))


def privacy_problem(text: str) -> Said | None:
    """Why ``text`` may not be stored, or ``None``.

    >>> str(privacy_problem("mail naar iemand [at] example [dot] org"))
    'contains an e-mail address; remove it (the data concerns young people)'
    >>> privacy_problem("bel 06.12.34.56.78") is not None
    True
    >>> privacy_problem("13 oktober 2022, 12:30-13:30") is None
    True
    """
    if not text:
        return None
    plain = normalise(text)
    if contains_email(plain):
        return EMAIL_PROBLEM
    if contains_phone(plain):
        return PHONE_PROBLEM
    return None
