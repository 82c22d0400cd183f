"""A little SVG writer for the charts: every text and attribute escaped as XML.

Text from the data (a statement, a factor's name) may hold ``<``, ``&`` or quotes, or
characters XML does not allow at all; :func:`xml_text` makes any string safe to put
between tags or inside a quoted attribute, in an SVG file or inline in HTML.

>>> xml_text('<script>alert("x")</script> & \\x07')
'&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; '
>>> chart = Svg(200, 40, title="Voorbeeld <1>")
>>> chart.text(10, 20, "A & B", size=14)
>>> print(chart.render(standalone=False))  # doctest: +NORMALIZE_WHITESPACE
<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 40" width="200" height="40"
role="img" aria-label="Voorbeeld &lt;1&gt;"><title>Voorbeeld &lt;1&gt;</title><text x="10"
y="20" font-size="14" fill="#1b1b1b">A &amp; B</text></svg>
"""

from __future__ import annotations

import math
import re
import textwrap
from collections.abc import Iterable

__all__ = ["FONT", "HATCH_ID", "Svg", "wrap", "xml_text"]

FONT = "DejaVu Sans, Verdana, Arial, sans-serif"
#: The id of the hatch pattern that marks an unknown count.
HATCH_ID = "vk-onbekend"

# Characters XML 1.0 does not allow, even escaped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_text(value: object) -> str:
    """``value`` as text that is safe in XML content and in quoted attributes."""
    text = _NOT_XML.sub("", str(value))
    return (
        text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
        .replace("'", "&#39;")
    )


def wrap(text: str, width_px: float, size: float, max_lines: int = 4) -> list[str]:
    """``text`` broken into lines of about ``width_px`` at font ``size``; lines past
    ``max_lines`` are cut off with an ellipsis.

    >>> wrap("Ouders zijn verantwoordelijk voor het geluk van een kind", 300, 20)
    ['Ouders zijn', 'verantwoordelijk voor het', 'geluk van een kind']
    """
    chars = max(8, int(width_px / (size * 0.56)))
    lines = textwrap.wrap(text, chars, break_long_words=True) or [""]
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1][: max(1, chars - 1)].rstrip() + "…"
    return lines


def _attrs(attrs: dict[str, object]) -> str:
    parts = []
    for key, value in attrs.items():
        if value is None or value is False:
            continue
        name = key.rstrip("_").replace("_", "-")
        if isinstance(value, float):
            value = _num(value)
        parts.append(f'{name}="{xml_text(value)}"')
    return (" " + " ".join(parts)) if parts else ""


def _num(value: float) -> str:
    if not math.isfinite(value):
        raise ValueError(f"not a finite number: {value!r}")
    return f"{value:.2f}".rstrip("0").rstrip(".")


class Svg:
    """An SVG picture built element by element; all text is escaped when added."""

    def __init__(self, width: float, height: float, *, title: str = "") -> None:
        self.width = width
        self.height = height
        self.title = title
        self._parts: list[str] = []
        self._open = 0

    def raw_defs(self) -> None:
        """The hatch pattern for unknown counts (grey diagonal stripes)."""
        self._parts.append(
            "<defs>"
            f'<pattern id="{HATCH_ID}" width="10" height="10" patternUnits="userSpaceOnUse"'
            ' patternTransform="rotate(45)">'
            '<rect width="10" height="10" fill="#ededed"/>'
            '<rect width="4" height="10" fill="#a6a6a6"/>'
            "</pattern></defs>"
        )

    def group(self, *, tooltip: str = "", **attrs: object) -> None:
        """Open a ``<g>``; ``tooltip`` becomes its ``<title>`` (shown on hover)."""
        self._parts.append(f"<g{_attrs(attrs)}>")
        if tooltip:
            self._parts.append(f"<title>{xml_text(tooltip)}</title>")
        self._open += 1

    def end(self) -> None:
        if not self._open:
            raise ValueError("no group is open")
        self._parts.append("</g>")
        self._open -= 1

    def rect(self, x: float, y: float, width: float, height: float, **attrs: object) -> None:
        box = {"x": float(x), "y": float(y), "width": float(max(width, 0))}
        box["height"] = float(max(height, 0))
        self._parts.append(f"<rect{_attrs({**box, **attrs})}/>")

    def line(self, x1: float, y1: float, x2: float, y2: float, **attrs: object) -> None:
        ends = {"x1": float(x1), "y1": float(y1), "x2": float(x2), "y2": float(y2)}
        self._parts.append(f"<line{_attrs({**ends, **attrs})}/>")

    def polygon(self, points: Iterable[tuple[float, float]], **attrs: object) -> None:
        """A closed shape through ``points`` (x, y)."""
        coords = " ".join(f"{_num(float(x))},{_num(float(y))}" for x, y in points)
        self._parts.append(f"<polygon{_attrs({'points': coords, **attrs})}/>")

    def text(
        self,
        x: float,
        y: float,
        text: str | Iterable[str],
        *,
        size: float = 18,
        weight: str | None = None,
        anchor: str | None = None,
        fill: str = "#1b1b1b",
        line_height: float = 1.25,
        **attrs: object,
    ) -> None:
        """Text at (x, y) (the first line's baseline); a list gives one line each."""
        lines = [text] if isinstance(text, str) else list(text)
        head = _attrs(
            {
                "x": float(x),
                "y": float(y),
                "font-size": float(size),
                "font-weight": weight,
                "text-anchor": anchor,
                "fill": fill,
                **attrs,
            }
        )
        if len(lines) == 1:
            self._parts.append(f"<text{head}>{xml_text(lines[0])}</text>")
            return
        spans = "".join(
            f'<tspan x="{_num(float(x))}" dy="{_num(0.0 if i == 0 else size * line_height)}">'
            f"{xml_text(line)}</tspan>"
            for i, line in enumerate(lines)
        )
        self._parts.append(f"<text{head}>{spans}</text>")

    def render(self, *, standalone: bool = True) -> str:
        """The picture as SVG text: a file of its own, or to sit inside HTML."""
        if self._open:
            raise ValueError("a group is still open")
        head = _attrs(
            {
                "viewBox": f"0 0 {_num(self.width)} {_num(self.height)}",
                "width": float(self.width),
                "height": float(self.height),
                "role": "img",
                "aria-label": self.title,
                "font-family": None if not standalone else FONT,
            }
        )
        body = "".join(self._parts)
        title = f"<title>{xml_text(self.title)}</title>" if self.title else ""
        svg = f'<svg xmlns="http://www.w3.org/2000/svg"{head}>{title}{body}</svg>'
        if standalone:
            return '<?xml version="1.0" encoding="UTF-8"?>\n' + svg + "\n"
        return svg
