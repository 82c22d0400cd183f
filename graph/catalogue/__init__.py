"""One message catalogue for every word the tool says to people, in Dutch and English.

The library returns codes and values; the views and the CLI phrase them here, in the
language asked for (``--lang nl|en``). The messages are gettext catalogues
(``nl.po``, ``en.po`` beside this module), read with Babel; numbers are formatted by
the language's CLDR locale (``0,068`` in Dutch, ``0.068`` in English).

A language's messages may be split over several files, ``nl.po`` and ``nl.*.po``
(``nl.help.po`` for the commands' help, say), so that each part of the tool keeps its
words together; a code is in one file only.

The ``.po`` files are read at run time with :mod:`babel.messages.pofile` and cached,
rather than compiled to ``.mo``: the catalogues are small (reading both takes a few
milliseconds), there is no compile step to forget before a release, and the file a
translator edits is the file the wheel ships.

>>> message("doc.projector", "en")
'Projector mode'
>>> message("doc.projector", "nl")
'Beamermodus'
>>> number(0.06804, "nl"), number(0.06804, "en")
('0,068', '0.068')
>>> percent(0.25, "nl"), percent(0.25, "en")
('25%', '25%')
>>> check_lang("de")
Traceback (most recent call last):
...
graph.errors.UnknownLanguage: lang must be one of ['en', 'nl'], got 'de'
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from functools import cache
from importlib import resources
from typing import Any

from graph import errors
from graph.errors import UnknownLanguage

__all__ = [
    "DEFAULT_LANG",
    "LANGS",
    "UnknownLanguage",
    "catalogue_files",
    "check_lang",
    "environment_lang",
    "grouped",
    "message",
    "messages",
    "number",
    "percent",
    "texts",
    "words",
]

#: The languages the tool speaks; Dutch is the default.
LANGS: tuple[str, ...] = ("nl", "en")
DEFAULT_LANG = "nl"


def check_lang(lang: str) -> str:
    """``lang`` if the catalogue speaks it; else :class:`UnknownLanguage`."""
    if lang not in LANGS:
        raise UnknownLanguage(f"lang must be one of {sorted(LANGS)}, got {lang!r}")
    return lang


def environment_lang(environ: Mapping[str, str] | None = None) -> str:
    """The language of the environment's locale: ``en`` if LC_ALL (or else LANG) starts
    with ``en``, else ``nl``.

    >>> environment_lang({"LANG": "en_GB.UTF-8"}), environment_lang({"LANG": "C"})
    ('en', 'nl')
    >>> environment_lang({"LC_ALL": "nl_NL.UTF-8", "LANG": "en_US.UTF-8"})
    'nl'
    """
    env = os.environ if environ is None else environ
    value = env.get("LC_ALL") or env.get("LANG") or ""
    return "en" if value.lower().startswith("en") else DEFAULT_LANG


@cache
def messages(lang: str) -> dict[str, str]:
    """Every message of ``lang``, code → text (read once from its ``.po`` file)."""
    from babel.messages.pofile import read_po  # Babel only when words are asked for

    check_lang(lang)
    found: dict[str, str] = {}
    for path in catalogue_files(lang):
        with path.open("rb") as f:
            catalog = read_po(f, locale=lang)
        for m in catalog:
            if not (m.id and m.string):
                continue
            if str(m.id) in found:
                raise ValueError(f"message {m.id!r} is in more than one {lang} file ({path.name})")
            found[str(m.id)] = str(m.string)
    return found


def catalogue_files(lang: str) -> list[Any]:
    """The files of ``lang``'s messages: ``{lang}.po`` first, then ``{lang}.*.po`` by name."""
    here = resources.files(__name__)
    parts = sorted(
        (p for p in here.iterdir() if p.name.startswith(f"{lang}.") and p.name.endswith(".po")),
        key=lambda p: (p.name != f"{lang}.po", p.name),
    )
    return parts


def message(code: str, lang: str, /, **values: Any) -> str:
    """The text of ``code`` in ``lang``, its ``{placeholders}`` filled from ``values``.

    Float values and counts (:class:`graph.errors.Count`) are written by the locale
    (:func:`_value`); a code the catalogue lacks is a KeyError naming it.

    >>> from graph.errors import Count
    >>> message("query.too_many_loops", "nl", limit=Count(10_000), length=6)[:28]
    'meer dan 10.000 terugkoppeli'
    >>> message("query.too_many_loops", "en", limit=Count(10_000), length=6)[:25]
    'more than 10,000 feedback'

    """
    try:
        text = messages(lang)[code]
    except KeyError:
        raise KeyError(f"message {code!r} is not in the {lang} catalogue") from None
    if not values:
        return text
    filled = {k: _value(v, lang) for k, v in values.items()}
    return text.format(**filled)


def _value(value: Any, lang: str) -> Any:
    """A message's value as the locale of ``lang`` writes it: a float to three
    significant digits (:func:`number`), a :class:`graph.errors.Count` with its
    thousands grouped."""
    if isinstance(value, float):
        return number(value, lang)
    if isinstance(value, errors.Count):
        return grouped(value, lang)
    return value


def grouped(n: int, lang: str) -> str:
    """A whole number with its thousands grouped as the locale of ``lang`` groups them.

    >>> grouped(12_000, "nl"), grouped(12_000, "en")
    ('12.000', '12,000')
    """
    from babel.numbers import format_decimal

    check_lang(lang)
    return format_decimal(int(n), locale=lang)


def words(prefix: str, lang: str) -> dict[str, str]:
    """The messages whose code starts with ``prefix.``, keyed by the rest of the code.

    >>> words("doc", "en")["home"]
    '← Session overview'
    """
    start = prefix + "."
    return {k[len(start) :]: v for k, v in messages(lang).items() if k.startswith(start)}


def texts(prefix: str, lang: str) -> dict[str, Any]:
    """The messages under ``prefix.`` as the nested words of a view: a code
    ``prefix.a.b`` is ``texts(prefix, lang)["a"]["b"]``, and the parts of a code whose
    next part is a number (``prefix.caveat.0``, ``prefix.caveat.1``) make a list.

    >>> texts("leverage", "en")["caveat"][0][:29]
    'This is a reading of the map,'
    >>> texts("bundle", "nl")["cards"]["kaart"][0]
    'Systeemkaart'
    """
    tree: dict[str, Any] = {}
    for key, text in words(prefix, lang).items():
        *path, last = key.split(".")
        node = tree
        for part in path:
            node = node.setdefault(part, {})
        node[last] = text
    return _listed(tree)


def _listed(node: Any) -> Any:
    if not isinstance(node, dict):
        return node
    items = {k: _listed(v) for k, v in node.items()}
    if items and all(k.isdigit() for k in items):
        return [items[k] for k in sorted(items, key=int)]
    return items


def number(value: float, lang: str) -> str:
    """``value`` as the tables show it, three significant digits (whole numbers kept
    whole, with no grouping: ``1.234`` would read as a decimal in the other language),
    with the decimal sign of the locale of ``lang``.

    >>> number(1234.5, "nl"), number(-3.14159, "nl"), number(-3.14159, "en")
    ('1234', '-3,14', '-3.14')
    """
    from babel.numbers import format_decimal

    check_lang(lang)
    if not math.isfinite(value) or value == 0:
        return format_decimal(value, locale=lang)
    digits = max(0, 2 - math.floor(math.log10(abs(value))))
    pattern = "0." + "#" * digits if digits else "0"
    rounded = round(value, digits)
    return format_decimal(rounded, format=pattern, locale=lang, decimal_quantization=True)


def percent(share: float, lang: str) -> str:
    """A share (0 to 1) as a whole percentage in the locale of ``lang``."""
    from babel.numbers import format_percent

    check_lang(lang)
    return format_percent(share, locale=lang)


# Every Said of the library is phrased by this catalogue (graph.errors cannot import it).
errors.speak_with(message)
