"""The terugkoppeling printed: the PDF of ``versterkt verslag`` read back with a PDF
library, and the page laid out at A4 in Chromium with nothing cut at a page edge."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from graph import SystemMap
from loaders import EXAMPLE_CYCLE, VLEUTEN, load_map
from tests.report_maps import imported_map, pdf_text, plain, what_a_report_says
from views.report import is_report_pdf, render_report, write_report

pytestmark = pytest.mark.browser

#: A4 in PDF points, either way round.
A4 = {(595, 842), (842, 595)}


def _sizes(reader: PdfReader) -> set[tuple[int, int]]:
    """The sizes of the PDF's pages, in points."""
    return {(round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in reader.pages}


def _fonts(reader: PdfReader) -> dict[str, bool]:
    """Each font the PDF uses: whether its glyphs are in the file."""
    out = {}
    for page in reader.pages:
        resources: Any = page["/Resources"]
        for font in resources.get("/Font", {}).values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            inner = descendants[0].get_object() if descendants else font
            descriptor = inner["/FontDescriptor"].get_object()
            out[str(font["/BaseFont"])] = any(
                key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")
            )
    return out


@pytest.mark.parametrize(
    ("source", "k"),
    [("example", 2), ("example", 1), ("kumu", 2), ("kumu", 1)],
)
def test_the_pdf_holds_every_statement_quote_change_and_agenda_item(
    source: str, k: int, tmp_path: Path
) -> None:
    m = load_map(EXAMPLE_CYCLE / "ronde-2") if source == "example" else imported_map()
    out = write_report(m, tmp_path / f"verslag-ronde-{k}.pdf", round=k)
    pages = pdf_text(out)
    text = " ".join(pages)
    for what, expected in what_a_report_says(m, k).items():
        for item in expected:
            assert plain(item) in text, f"{what}: {item}"
    assert pages[0].startswith("TERUGKOPPELING")
    reader = PdfReader(out)
    assert _sizes(reader) <= A4
    fonts = _fonts(reader)
    assert fonts and all(fonts.values()), fonts
    assert all("DejaVuSans" in name for name in fonts)
    # a report printed before is replaced by the next; nothing else is left beside it
    assert is_report_pdf(out)
    write_report(m, out, round=k, lang="en")
    assert pdf_text(out)[0].startswith("FEEDBACK")
    assert [p.name for p in tmp_path.iterdir()] == [out.name]


def test_the_vleuten_report_shows_its_unknown_counts_as_unknown(tmp_path: Path) -> None:
    # the kick-off's counts are only in a bar chart the report's text does not hold
    m = load_map(VLEUTEN)
    pages = pdf_text(write_report(m, tmp_path / "verslag.pdf"))
    chart = next(page for page in pages if "Per stelling: eens, neutraal of oneens" in page)
    for statement in m.statements():
        assert plain(statement.name) in chart
    assert chart.count("onbekend") >= 2 * len(m.statements())
    assert "Onbekend is iets anders dan nul." in chart


#: Every block the report keeps on one page: figures, table rows, quotes, list items.
KEPT = """() => [...document.querySelectorAll('figure, tr, blockquote, li.vk-keep, .vk-item')]
  .map(e => {
    if (e.tagName !== 'FIGURE') return {what: e.tagName, parts: [e.innerText]};
    const texts = [...e.querySelectorAll('svg text')];
    const around = [...e.querySelectorAll('figcaption, p, .vk-legend span')];
    return {
      what: e.id || 'figure',
      parts: [
        texts.length ? texts[0].textContent : '',
        texts.length ? texts[texts.length - 1].textContent : '',
        ...around.map(x => x.innerText),
      ],
    };
  })"""


def _intro(m: SystemMap, paragraphs: int) -> SystemMap:
    """``m`` with an introduction of so many paragraphs: what follows it starts lower
    on the page, so some figure or row comes to a page's edge."""
    m.rounds[-1]["introduction"] = "\n\n".join(
        [
            "Een alinea van de inleiding, lang genoeg om twee regels van het verslag te vullen "
            "met woorden van de begeleider van de sessie."
        ]
        * paragraphs
    )
    return m


def _case(name: str) -> tuple[SystemMap, int]:
    """The map and round of a layout case: ``kumu-intro-N`` has N paragraphs before
    its statements, which move its chart and rows along the pages."""
    if name == "example-round-2":
        return load_map(EXAMPLE_CYCLE / "ronde-2"), 2
    if name == "vleuten":
        return load_map(VLEUTEN), 1
    return _intro(imported_map(), int(name.rsplit("-", 1)[1])), 2


CASES = ["example-round-2", "vleuten", *(f"kumu-intro-{n}" for n in range(14, 18))]


@pytest.mark.parametrize("case", CASES)
def test_no_figure_or_table_row_is_cut_at_a_page_edge(
    case: str, open_page: Callable[..., Any]
) -> None:
    m, k = _case(case)
    session = open_page(render_report(m, k), wait=False, viewport={"width": 800, "height": 1100})
    page = session.page
    page.emulate_media(media="print")
    kept = page.evaluate(KEPT)
    styles = page.evaluate(
        "() => [...document.querySelectorAll('figure, tr, blockquote, li.vk-keep, .vk-item')]"
        ".map(e => getComputedStyle(e).breakInside)"
    )
    assert set(styles) == {"avoid"}
    reader = PdfReader(io.BytesIO(page.pdf(prefer_css_page_size=True)))
    pages = [plain(p.extract_text()) for p in reader.pages]
    assert _sizes(reader) <= A4
    assert any(item["what"] == "vk-map-figure" for item in kept)
    for item in kept:
        parts = [plain(part) for part in item["parts"] if plain(part)]
        on = [n for n, text in enumerate(pages, 1) if all(part in text for part in parts)]
        assert on, f"{item['what']} is cut at a page edge: {parts[:2]}"
