"""Chart and list pages: one self-contained, offline HTML file each.

The pages of the stellingen chart, the knoppen and the session bundle's index share
a base template (``templates/document_base.html.j2``): inline CSS, one small inline
script (projector mode) allowed by its hash in a content security policy that
forbids every request, and text from the data only through Jinja's autoescaping.
Charts are SVG from :mod:`views.svg`, which escapes every text it writes.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from markupsafe import Markup

from graph.catalogue import LANGS, check_lang, words
from views.links import PageLink, check_href
from views.page import _csp_hash, _environment, _inline_script, _inline_style, _template_text

__all__ = ["DOC_STRINGS", "check_href", "render_document"]

#: Words of the page frame, per language.
DOC_STRINGS: dict[str, dict[str, str]] = {lang: words("doc", lang) for lang in LANGS}


def document_csp(script: str) -> str:
    return "; ".join(
        [
            "default-src 'none'",
            f"script-src {_csp_hash(script)}",
            "style-src 'unsafe-inline'",
            "img-src data:",
            "base-uri 'none'",
            "form-action 'none'",
        ]
    )


def render_document(
    template: str,
    *,
    title: str,
    lang: str,
    subtitle: str = "",
    links: Sequence[PageLink] = (),
    projector: bool = False,
    **context: Any,
) -> str:
    """Render ``template`` (which extends ``document_base.html.j2``) as a page.

    ``links`` appear above the title, for the way back to a bundle's index (each
    relative, checked when it was made). ``context`` goes to the template; put
    SVG from :class:`views.svg.Svg` in it wrapped as :class:`markupsafe.Markup`.
    """
    check_lang(lang)
    script = _inline_script(_template_text("doc.js"))
    return (
        _environment()
        .get_template(template)
        .render(
            lang=lang,
            title=title,
            subtitle=subtitle,
            links=[link.data() for link in links],
            projector=projector,
            s=DOC_STRINGS[lang],
            csp=document_csp(script),
            css=_inline_style(_template_text("doc.css")),
            js=script,
            **context,
        )
    )


def svg_markup(svg: str) -> Markup:
    """SVG text from :class:`views.svg.Svg` (already escaped) to place in a page."""
    return Markup(svg)
