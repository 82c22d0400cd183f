"""The walk: every command and every page of the session bundle, in Dutch and in
English, speaks only the language asked for.

Each command of ``versterkt --help`` runs with sample arguments on two maps: the
bundled Vleuten workbook (and the worked example of the cycle, for the commands about
rounds) and a generated map that is not Vleuten (:mod:`graph.generate`), with a Kumu
file for ``import``. Every page ``present`` writes is read as text: what the page shows
(its text and the titles, placeholders and labels of its controls) and the words its
script shows (the ``strings``, tooltips, legend and filters in its data).

The words of each language are the catalogue's own (:mod:`graph.catalogue`): a word
found only in the English catalogue must not appear in Dutch output, and a word found
only in the Dutch catalogue must not appear in English output. Words both languages
use (``link``, ``test``, ``type``, ``kind`` is Dutch for child...) and words shorter
than four letters are not checked.

What the map itself says is taken out before the check: its ids, names, quotes,
sources and every other cell of its sheets, unless the cell is one word of the
catalogue (a status, a verdict, a link kind: the tool's vocabulary, which the output
phrases per language). The workbook's sheet names and column names (``relaties``,
``toelichting``, ``gewicht``) are its Dutch vocabulary by design, in both languages:
the English output may name them. Command names, options and file paths are taken out
too. The command line's help (``--help``) is walked in tests/test_help_language.py;
``db`` and the questions answered in Cypher are walked in the test with Neo4j at the
end; the live ``sessie`` is started (a server in its own process) and stopped for the
lines it prints, then its answers are put into the map with ``sessie --import``.

Errors and diagnostics are said in the command's language too: a command that stops
on a mistake prints one line ``Fout: ...`` / ``Error: ...``, and the library's
diagnostics of a file (``FILE:ROW:COLUMN: waarschuwing: ...``, ``FILE: niet
overgenomen: ...`` of import and export) are walked like the rest, the values they
quote (a cell as typed, the values a column allows) taken out: those are the
workbook's. The line that counts a refused workbook's problems is checked on its own,
word for word.
"""

from __future__ import annotations

import csv
import html.parser
import json
import re
import shutil
from collections.abc import Iterable, Iterator
from functools import cache
from pathlib import Path

import pytest
from click.testing import CliRunner

from graph.catalogue import messages
from graph.generate import generated_map
from loaders import EXAMPLE_CYCLE, VLEUTEN, write_workbook
from loaders.review_form import FormReviews
from sessie.run import summary
from tests.sessie_server import start
from versterkt.cli import main

LANGS = ("nl", "en")
OTHER = {"nl": "en", "en": "nl"}
INTERCHANGE = Path(__file__).parent / "interchange"
KUMU = INTERCHANGE / "kumu-project.json"

#: Words of one catalogue that the other language writes the same, or that are
#: common words of that language too: not evidence of the wrong language.
SHARED = {
    "en": {
        "link", "links", "test", "type", "mode", "kind", "loop", "file", "image", "feedback",
        "want", "enter", "import", "projector", "date", "zoom", "none",
    },
    "nl": {"over", "door", "sleep", "rust", "punt", "deel", "teken", "alle"},
}  # fmt: skip

#: Messages whose Dutch is also an id the command line takes: a group is named by its
#: id (``--group jongere``), as the workbook writes it, in both languages; the pages
#: show it as a word (``young person``), the command line as the id. The commands' help
#: names the values options take (``--perspective confirmed``) in both languages; it is
#: walked in tests/test_help_language.py.
NAMED_BY_ID = ("group.", "help.")

WORD = re.compile(r"[^\W\d_]+")


def _tokens(text: str) -> set[str]:
    return {w.lower() for w in WORD.findall(text)}


@cache
def only_in(lang: str) -> frozenset[str]:
    """The words of the ``lang`` catalogue that the other catalogue never uses."""

    def words(of: str) -> set[str]:
        found: set[str] = set()
        for code, text in messages(of).items():
            if not code.startswith(NAMED_BY_ID):
                found |= _tokens(re.sub(r"\{[^}]*\}", " ", text))
        return found

    mine = words(lang) - words(OTHER[lang]) - SHARED[lang]
    return frozenset(w for w in mine if len(w) >= 4)


# ---------------------------------------------------------------- the map's own data


def _cells(path: Path) -> Iterator[tuple[str, bool]]:
    """Every cell of the workbook or file at ``path``, and whether it is a header or a
    sheet name."""
    if path.is_dir():
        for sheet in sorted(path.glob("*.csv")):
            yield sheet.stem, True
            with sheet.open(encoding="utf-8", newline="") as f:
                for n, row in enumerate(csv.reader(f)):
                    for cell in row:
                        yield cell, n == 0
    elif path.suffix == ".xlsx":
        import openpyxl

        wb = openpyxl.load_workbook(path, read_only=True)
        for ws in wb.worksheets:
            yield ws.title, True
            for n, row in enumerate(ws.iter_rows(values_only=True)):
                for cell in row:
                    if cell is not None:
                        yield str(cell), n == 0
    elif path.suffix == ".json":
        yield from ((s, False) for s in _strings(json.loads(path.read_text(encoding="utf-8"))))


def _strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield str(k)
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


#: What the walk writes into the maps itself: names and reasons of its adjustments.
GIVEN = ("Nieuw", "Nieuwe naam", "genoemd", "Na de jongerensessie")


class Data:
    """What the maps say themselves, to take out of the output before the check."""

    def __init__(self, sources: Iterable[Path]) -> None:
        vocabulary = only_in("nl") | only_in("en")
        values: set[str] = set(GIVEN)
        self.sheet_words: set[str] = set()
        for source in sources:
            for cell, header in _cells(source):
                cell = cell.strip()
                if header:
                    self.sheet_words |= _tokens(cell)
                if len(cell) >= 3 and cell.lower() not in vocabulary:
                    values.add(cell)
        ordered = sorted(values, key=len, reverse=True)
        self._pattern = re.compile(
            "|".join(rf"(?<!\w){re.escape(v)}(?!\w)" for v in ordered), re.IGNORECASE
        )

    def strip(self, text: str) -> str:
        return self._pattern.sub(" ", text)


#: Command names, options and paths, which are the same in both languages.
_NAMES = re.compile(r"versterkt(?: [a-z][a-z-]*){1,2}|--?[a-z][a-z-]*|\S*[/\\]\S*")


#: A line of the library's own: an error, a warning, what a file of another tool could
#: not carry; what it quotes is the workbook's (:data:`_QUOTED`).
_DIAGNOSTIC = re.compile(
    r"^(?:Error|Fout): |: (?:warning|waarschuwing): |: (?:not carried over|niet overgenomen): "
)
_QUOTED = re.compile(r'"[^"\n]*"')
#: A placeholder a page's script fills in: ``{count}``.
_PLACEHOLDER = re.compile(r"\{[a-z_]+\}")


def foreign_words(text: str, lang: str, data: Data) -> list[str]:
    """The words of the other language's catalogue in ``text``, in order."""
    lines = [
        _QUOTED.sub(" ", line) if _DIAGNOSTIC.search(line) else line for line in text.splitlines()
    ]
    plain = _NAMES.sub(" ", data.strip(_PLACEHOLDER.sub(" ", "\n".join(lines))))
    allowed = data.sheet_words if lang == "en" else set()
    foreign = only_in(OTHER[lang])
    return [
        w for w in (t.lower() for t in WORD.findall(plain)) if w in foreign and w not in allowed
    ]


# ---------------------------------------------------------------- the walk


def _run(args: list[str]) -> str:
    # wide enough that no cell wraps: a wrapped name could not be taken out whole
    runner = CliRunner(env={"COLUMNS": "2000"})
    result = runner.invoke(main, [str(a) for a in args], catch_exceptions=False)
    assert result.exit_code in (0, 1), (args, result.output)
    return result.output


class Workbooks:
    """The maps the walk runs on, written once into a folder."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.vleuten = VLEUTEN
        self.cycle_1 = EXAMPLE_CYCLE / "ronde-1"
        self.cycle_2 = EXAMPLE_CYCLE / "ronde-2"
        self.form = EXAMPLE_CYCLE / "reactieformulier-ronde-1.xlsx"
        m = generated_map(24, 60, seed=5)
        self.generated = write_workbook(m, root / "gegenereerd")
        factors = [n.id for n in m.nodes() if n.kind == "Factor"]
        self.generated_factors = factors
        self.sources = [
            self.vleuten, self.cycle_1, self.cycle_2, self.form, self.generated, KUMU,
        ]  # fmt: skip

    def copy(self, source: Path, name: str) -> Path:
        return Path(shutil.copytree(source, self.root / name))


#: The questions that take ``--target``.
TARGETED = ("influence", "leverage", "knoppen", "agenda")
QUESTIONS = (
    "influence", "leverage", "knoppen", "archetypes", "loops", "statements", "social-map",
    "evidence", "perspectives", "status", "agenda", "consensus",
)  # fmt: skip


def command_runs(
    w: Workbooks, lang: str, out: Path
) -> Iterator[tuple[list[str], str, Path | None]]:
    """Each command with its sample arguments, what it printed, and the workbook it
    changed (whose new cells, such as the reasons of its adjustments, are the map's
    own words too)."""
    out.mkdir()
    g, gf = w.generated, w.generated_factors
    target = ["--target", gf[-1]]
    runs: list[list[object]] = [
        ["validate", w.vleuten], ["validate", g],
        ["info", w.vleuten], ["info", g],
        ["map", w.vleuten, "-o", out / "kaart.html"], ["map", g, "-o", out / "g.html"],
        ["template", "-o", out / "leeg.xlsx"],
        ["convert", w.vleuten, "-o", out / "vleuten.xlsx"], ["convert", g, "-o", out / "g.xlsx"],
        *(["query", q, w.vleuten] for q in QUESTIONS),
        *(["query", q, g, *(target if q in TARGETED else [])] for q in QUESTIONS),
        ["query", "influence", g],
        ["query", "paths", w.vleuten, "--from", "ouders", "--to", "stress"],
        ["query", "paths", g, "--from", gf[0], "--to", gf[-1]],
        ["review-form", w.cycle_2, "--round", "2", "-o", out / "form.xlsx"],
        ["review-form", g, "--round", "1", "-o", out / "g-form.xlsx"],
        ["status", w.cycle_2], ["status", g],
        ["agenda", w.cycle_2], ["agenda", g, *target], ["agenda", g],
        ["diff", "1", "2", w.cycle_2],
        ["scenario", w.vleuten, "--turn", "verwachtingen-ouders=-1"],
        ["scenario", w.cycle_2, "--turn", "meten-en-toetsen=1", "--compare"],
        ["scenario", g, "--turn", f"{gf[0]}=1"],
        ["import", KUMU, "-o", out / "kumu"],
        ["export", w.vleuten, "--to", "kumu", "-o", out / "vleuten.json"],
        ["export", g, "--to", "gexf", "-o", out / "g.gexf"],
        ["combine", w.vleuten, g, "-o", out / "samen.xlsx", "--group", "ouder",
         "--group", "jongere"],
        ["verslag", w.cycle_2, "-o", out / "verslag.html"],
        ["verslag", g, "-o", out / "g-verslag.html"],
    ]  # fmt: skip
    for args in runs:
        args = [*args, "--lang", lang]
        yield [str(a) for a in args], _run([str(a) for a in args]), None
    for page in sorted(out.glob("*.html")):  # the map and the report the commands wrote
        yield ["page", page.name], page_text(page), None

    data = w.copy(w.cycle_1, f"cyclus-{lang}")
    changes: list[list[object]] = [
        ["review-import", w.form, data],
        ["round", "open", data, "--name", "Na de jongerensessie"],
        ["adjust", "add-node", "nieuw", data, "--kind", "factoren", "--name", "Nieuw",
         "--reason", "genoemd"],
        ["adjust", "add-link", "k-nieuw", data, "--from", "ouders", "--to", "nieuw",
         "--kind", "kan bijsturen", "--reason", "genoemd"],
        ["adjust", "sign", "inv-meten-toetsen-prestatiedruk", "-", data, "--reason", "zo"],
        ["adjust", "weight", "inv-verwachtingen-ouders-prestatiedruk", "0.5", data,
         "--reason", "zo"],
        ["adjust", "rename", "nieuw", "Nieuwe naam", data, "--reason", "zo"],
        ["adjust", "retire", "inv-individualisme-prestatiedruk", data, "--reason", "zo"],
        ["adjust", "retire-node", "perfectionisme", data, "--reason", "zo"],
        ["adjust", "merge", data, "--node", "imago-vmbo", "--into", "schoolsysteem",
         "--reason", "zo"],
        ["diff", "1", "2", data],
    ]  # fmt: skip
    for args in changes:
        args = [*args, "--lang", lang]
        yield [str(a) for a in args], _run([str(a) for a in args]), data


# ---------------------------------------------------------------- the pages


class _Shown(html.parser.HTMLParser):
    """The text a page shows, and its controls' titles, placeholders and labels."""

    ATTRIBUTES = ("title", "placeholder", "aria-label", "alt")

    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.data: list[str] = []
        self._in: list[str] = []
        self._json = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._in.append(tag)
        self._json = tag == "script" and ("type", "application/json") in attrs
        self.text += [v for k, v in attrs if k in self.ATTRIBUTES and v]

    def handle_endtag(self, tag: str) -> None:
        if self._in and self._in[-1] == tag:
            self._in.pop()

    def handle_data(self, data: str) -> None:
        if self._in and self._in[-1] == "script" and self._json:
            self.data.append(data)
        elif not self._in or self._in[-1] not in ("script", "style"):
            self.text.append(data)


def page_text(path: Path) -> str:
    """What ``path`` (an HTML or SVG page) shows people, one piece a line."""
    shown = _Shown()
    # a label wrapped over the lines of a drawing reads as one text
    shown.feed(re.sub(r"</tspan>\s*<tspan[^>]*>", " ", path.read_text(encoding="utf-8")))
    pieces = list(shown.text)
    for blob in shown.data:
        data = json.loads(blob)
        for key in ("strings", "texts", "legend", "facets", "groups"):
            if key in data:
                pieces += _shown_strings(data[key])
    return "\n".join(pieces)


def _shown_strings(value: object) -> Iterator[str]:
    """The strings a page's script shows from its data: texts and labels, not ids."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for k, v in value.items():
            if k not in ("id", "key", "kind", "color", "counts"):
                yield from _shown_strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _shown_strings(v)


# ---------------------------------------------------------------- the tests


@pytest.fixture(scope="module")
def workbooks(tmp_path_factory: pytest.TempPathFactory) -> Workbooks:
    return Workbooks(tmp_path_factory.mktemp("walk"))


@pytest.fixture(scope="module")
def data(workbooks: Workbooks) -> Data:
    return Data(workbooks.sources)


def test_the_word_lists_come_from_the_catalogue() -> None:
    assert {"hypothesis", "agree", "disagree", "confirmed"} <= only_in("en")
    assert {"hypothese", "oneens", "bevestigd", "bijsturen"} <= only_in("nl")
    assert not only_in("en") & only_in("nl")
    assert "link" not in only_in("en") and "over" not in only_in("nl")


def test_the_check_finds_the_other_language_and_not_the_maps_own_words(data: Data) -> None:
    """The check is not blind: an English header in Dutch output is found, a map's own
    name that happens to be an English word is not."""
    assert foreign_words("status  agree  disagree\nhypothese  1  0", "nl", data) == [
        "agree", "disagree",
    ]  # fmt: skip
    assert foreign_words("link  status\nhypothese", "en", data) == ["hypothese"]
    assert "unknown" in foreign_words("Error: unknown round 5", "nl", data)
    assert foreign_words('Fout: onbekende waarde "unknown"', "nl", data) == []
    assert foreign_words("Meten en toetsen (relaties:3:gewicht)", "en", data) == []


@pytest.mark.parametrize("lang", LANGS)
def test_every_command_speaks_one_language(
    lang: str, workbooks: Workbooks, data: Data, tmp_path: Path
) -> None:
    found: dict[str, list[str]] = {}
    for args, output, changed in command_runs(workbooks, lang, tmp_path / "uit"):
        own = data if changed is None else Data([*workbooks.sources, changed])
        wrong = foreign_words(output, lang, own)
        if wrong:
            found[" ".join(args[:3])] = sorted(set(wrong))
    assert not found, json.dumps(found, indent=1, ensure_ascii=False)


@pytest.mark.parametrize("lang", LANGS)
def test_every_page_speaks_one_language(
    lang: str, workbooks: Workbooks, data: Data, tmp_path: Path
) -> None:
    found: dict[str, list[str]] = {}
    for name, source in (("vleuten", workbooks.cycle_2), ("gegenereerd", workbooks.generated)):
        out = tmp_path / name
        _run(["present", str(source), "--out", str(out), "--lang", lang])
        pages = [*out.glob("*.html"), *out.glob("*.svg")]
        assert len(pages) >= 7
        for page in sorted(pages):
            wrong = foreign_words(page_text(page), lang, data)
            if wrong:
                found[f"{name}/{page.name}"] = sorted(set(wrong))
    assert not found, json.dumps(found, indent=1, ensure_ascii=False)


@pytest.mark.parametrize(
    ("lang", "loaded", "recorded"),
    [
        ("nl", "1 fout; er is niets geladen.", "2 fouten; er is niets vastgelegd."),
        ("en", "1 error; nothing was loaded.", "2 errors; nothing was recorded."),
    ],
)
def test_the_line_that_counts_a_workbooks_problems_speaks_the_language(
    lang: str, loaded: str, recorded: str, tmp_path: Path
) -> None:
    """The problems and the line that counts them are in the command's language."""
    broken = Path(shutil.copytree(VLEUTEN, tmp_path / "kapot"))
    actors = broken / "actoren.csv"
    text = actors.read_text(encoding="utf-8")
    actors.write_text(text.replace(",groep,", ",grop,", 1), encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(main, ["info", str(broken), "--lang", lang])
    assert result.exit_code == 1
    *problems, last = result.stderr.splitlines()
    unknown_value = {"nl": ": onbekende waarde ", "en": ": unknown value "}[lang]
    assert len(problems) == 1 and unknown_value in problems[0]
    assert last == loaded
    data = Path(shutil.copytree(VLEUTEN, tmp_path / "vleuten"))
    form = tmp_path / "formulier.json"
    form.write_text(json.dumps({"format": "versterkt-toetssessie"}), encoding="utf-8")
    refused = runner.invoke(main, ["review-import", str(form), str(data), "--lang", lang])
    assert refused.exit_code == 1
    *problems, last = refused.stderr.splitlines()
    missing = {"nl": "verplichte waarde ontbreekt", "en": "required value missing"}[lang]
    assert [p.rsplit(": ", 1)[1] for p in problems] == [missing] * 2
    assert last == recorded


@pytest.mark.parametrize("lang", LANGS)
def test_the_live_session_speaks_one_language(lang: str, data: Data, tmp_path: Path) -> None:
    """What ``versterkt sessie`` prints when it starts, what ``sessie --import`` prints,
    and what it says it recorded (as on the projector), in both forms of each count."""
    workbook = Path(shutil.copytree(VLEUTEN, tmp_path / "vleuten"))
    journal = tmp_path / "sessie.sqlite"
    server = start(workbook, journal, "--session", "oudersessie", "--lang", lang)
    server.stop()
    imported = _run(
        ["sessie", str(workbook), "--journal", str(journal), "--import"] + ["--lang", lang]
    )
    recorded = [
        summary(
            FormReviews(new=[{}] * n, records={"votes": [{}] * n, "attendance": [{}] * n}),
            "x",
            lang,
        )
        for n in (1, 2)
    ]
    printed = {"sessie": server.output, "sessie --import": imported, "summary": "\n".join(recorded)}
    assert "code " in server.output and len(printed["sessie"].splitlines()) >= 3
    found = {
        k: sorted(set(w)) for k, text in printed.items() if (w := foreign_words(text, lang, data))
    }
    assert not found, json.dumps(found, indent=1, ensure_ascii=False)


@pytest.mark.neo4j
@pytest.mark.parametrize("lang", LANGS)
def test_the_database_commands_speak_one_language(
    lang: str, neo4j_uri: str, store: object, map_id: str, data: Data, tmp_path: Path
) -> None:
    """``db load`` and ``db export``, and questions answered by the database in Cypher."""
    where = ["--uri", neo4j_uri, "--map-id", map_id]
    found: dict[str, list[str]] = {}
    for args in (
        ["db", "load", str(VLEUTEN), *where],
        ["db", "load", str(VLEUTEN), *where],  # again: nothing new
        ["db", "export", *where, "-o", str(tmp_path / "terug")],
        ["info", *where],
        *(["query", q, *where] for q in ("leverage", "status", "agenda", "consensus")),
        ["agenda", *where],
    ):
        wrong = foreign_words(_run([*args, "--lang", lang]), lang, data)
        if wrong:
            found[" ".join(args[:3])] = sorted(set(wrong))
    assert not found, json.dumps(found, indent=1, ensure_ascii=False)
