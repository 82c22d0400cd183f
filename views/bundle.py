"""The session bundle: a folder a facilitator copies to a USB stick.

``index.html`` links every view of the session and lists the agenda; every page is
a self-contained offline file and every link between them is relative, so the
folder works from any place, with no internet.

>>> import tempfile
>>> from loaders import load_map
>>> with tempfile.TemporaryDirectory() as tmp:
...     bundle = write_bundle(load_map(), tmp)
...     sorted(p.name for p in bundle.files)
['index.html', 'kaart.html', 'knoppen.html', 'sociale-kaart.html', 'stellingen.html', \
'stellingen.svg', 'veranderingen.html', 'wat-als.html']
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from graph import SystemMap
from graph.catalogue import LANGS, check_lang, texts
from graph.cycle import check_round, outcome, rounds
from graph.errors import BundleError, said
from graph.progress import steps
from loaders.write import PICTURE, Output, check_output, is_page, is_svg, recover, write_page
from queries.agenda import agenda
from queries.phrasing import phrase
from views.changes import render_changes
from views.document import DOC_STRINGS, render_document
from views.leverage import render_leverage
from views.links import PageLink
from views.map import render_map, word
from views.scenario import render_scenario
from views.social_map import render_social_map
from views.statements import render_statements, statements_svg
from views.toets import toets_data

__all__ = ["BUNDLE_FILES", "VIEW_FILES", "Bundle", "BundleError", "session_agenda", "write_bundle"]

#: The files of a bundle, in the order the index lists them.
VIEW_FILES = (
    "kaart.html",
    "stellingen.html",
    "sociale-kaart.html",
    "knoppen.html",
    "wat-als.html",
    "veranderingen.html",
)

WORDS: dict[str, dict[str, Any]] = {lang: texts("bundle", lang) for lang in LANGS}


#: Every file a bundle holds.
BUNDLE_FILES = ("index.html", *VIEW_FILES, "stellingen.svg")


def _bundle_file(path: Path) -> bool:
    """Whether ``path`` is a file of a bundle the tool wrote."""
    if path.name not in BUNDLE_FILES:
        return False
    return is_svg(path) if path.suffix == ".svg" else is_page(path)


#: A bundle's folder: it may hold a bundle written before, and nothing else.
BUNDLE = Output(said("write.what.bundle"), True, _bundle_file)


@dataclass(frozen=True)
class Bundle:
    """What :func:`write_bundle` wrote: the folder, its files and the round shown."""

    folder: Path
    files: tuple[Path, ...]
    round: int
    compared_with: int

    @property
    def index(self) -> Path:
        return self.folder / "index.html"


def session_agenda(
    m: SystemMap,
    lang: str = "nl",
    *,
    as_of_round: int | None = None,
    target: str | None = None,
) -> list[dict[str, Any]]:
    """What to test in the session: :func:`queries.agenda.agenda`, the one agenda of the
    command line and the library, in its order, each link as the sentence the agenda
    puts it in (:func:`graph.phrasing.link_statement`), with its status and its
    reasons.
    """
    rows = agenda(m, as_of_round, target=target).to_dict("records")
    out = []
    for row in rows:
        out.append(
            {
                "id": row["link"],
                "link": phrase(row["statement"], lang),
                "status": row["status"],
                "status_word": word(row["status"], lang),
                "reasons": "; ".join(phrase(r, lang) for r in row["reasons"]),
            }
        )
    return out


def write_bundle(
    m: SystemMap,
    out_dir: str | Path,
    *,
    lang: str = "nl",
    round: int | None = None,
    target: str | None = None,
    positions: Any = None,
    causal: bool = False,
    size_by: str | None = None,
) -> Bundle:
    """Write the session bundle of ``m`` into the folder ``out_dir``.

    ``round`` is the round the session is about (default: the latest the map knows);
    the map, sociale kaart, knoppen and agenda show the map as of that round, and the
    changes view compares it with the round before. Without ``round``, the agenda is
    that of the next session, every review counted: the agenda of ``versterkt agenda``.
    ``target`` is the outcome of the knoppen and the agenda (default: the map's outcome,
    :func:`graph.cycle.outcome`). ``positions`` (saved from the map page) fix the map's
    layout; ``causal`` places causes before effects (see :func:`views.map.map_positions`);
    ``size_by`` sizes actors and factors by a measure (see :func:`views.map.measure_sizes`).
    """
    check_lang(lang)
    known = rounds(m)
    # without a round, the agenda is that of the next session, as versterkt agenda's
    agenda_round = check_round(known, round)
    round = agenda_round or known[-1]
    if target is not None:
        outcome(m, target, round)  # an unknown node is named before anything is written
    folder = Path(out_dir)
    if folder.exists() and not folder.is_dir():
        raise BundleError(f"{folder} is a file; give a folder for the bundle")
    recover(folder)
    for name in BUNDLE_FILES:
        recover(folder / name)
    check_output(folder, BUNDLE)  # a person's own files stay as they are: nothing is written
    earlier = max([r for r in known if r < round], default=0)

    w = WORDS[lang]
    home = [PageLink("index.html", DOC_STRINGS[lang]["home"])]
    drawers: dict[str, Callable[[], str]] = {
        "kaart.html": lambda: render_map(
            m,
            lang,
            as_of_round=round,
            links=home,
            positions=positions,
            causal=causal,
            size_by=size_by,
            toets=toets_data(m, lang, round=round, agenda_round=agenda_round),
        ),
        "stellingen.html": lambda: render_statements(m, lang, links=home),
        "sociale-kaart.html": lambda: render_social_map(m, lang, as_of_round=round, links=home),
        "knoppen.html": lambda: render_leverage(
            m, lang, target=target, as_of_round=round, links=home
        ),
        "wat-als.html": lambda: render_scenario(m, lang, as_of_round=round, links=home),
        "veranderingen.html": lambda: render_changes(m, earlier, round, lang, links=home),
    }
    pages = {
        name: draw()
        for name, draw in steps(drawers.items(), "drawing the pages", len(drawers), every=1)
    }
    # the folder is made once every page is drawn: a page that fails leaves no folder
    written = [write_page(folder / name, pages[name]) for name in VIEW_FILES]
    svg = write_page(folder / "stellingen.svg", statements_svg(m, lang), PICTURE)
    written.append(svg)

    cards = []
    for name in VIEW_FILES:
        title, text = w["cards"][name.removesuffix(".html")]
        cards.append({"href": name, "title": title, "text": text.format(a=earlier, b=round)})
    index = write_page(
        folder / "index.html",
        render_document(
            "bundle_index.html.j2",
            title=w["title"].format(name=m.name),
            subtitle=w["subtitle"].format(round=round),
            lang=lang,
            w=w,
            cards=cards,
            svg={"href": "stellingen.svg", "label": w["svg"]},
            agenda=session_agenda(m, lang, as_of_round=agenda_round, target=target),
            about=[m.meta[k] for k in ("description", "origin") if m.meta.get(k)],
        ),
    )
    return Bundle(folder, (index, *written), round, earlier)
