"""One module holds every error of the library (:mod:`graph.errors`), under one base;
the pages refuse bad data with one kind of error, said in either language; and the
library's messages name no option or command of the command line, which adds those
hints itself."""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
import re
from pathlib import Path
from typing import Any

import pytest

import graph.errors
from graph.catalogue import LANGS, messages
from graph.errors import PageDataError, Said, VersterktError, phrase
from views.page_records import LegendEntry, Step

ROOT = Path(__file__).resolve().parent.parent
#: The library's packages: everything below the command line.
LIBRARY = ("graph", "loaders", "queries", "views", "sessie")

#: Public exception classes defined outside graph.errors, each with the reason.
DEFINED_ELSEWHERE = {
    # An HTTP answer of the live session's app (a status and a reason code), raised
    # and caught inside sessie.app to answer a request: never reaches a caller.
    ("sessie.app", "Refused"),
}


def _library_modules() -> list[str]:
    names = []
    for package in LIBRARY:
        module = importlib.import_module(package)
        names.append(package)
        names += [m.name for m in pkgutil.walk_packages(module.__path__, package + ".")]
    return names


def _public_errors() -> dict[tuple[str, str], type[BaseException]]:
    """Every public exception class of the library, by the module that defines it."""
    found = {}
    for name in _library_modules():
        module = importlib.import_module(name)
        for value in vars(module).values():
            if (
                inspect.isclass(value)
                and issubclass(value, Exception)
                and value.__module__ == name
                and not value.__name__.startswith("_")
            ):
                found[(name, value.__name__)] = value
    return found


def test_every_public_error_class_is_defined_in_graph_errors() -> None:
    found = _public_errors()
    assert len(_library_modules()) > 50
    assert ("graph.errors", "PageDataError") in found and ("graph.errors", "StoreError") in found
    elsewhere = {place for place, cls in found.items() if cls.__module__ != "graph.errors"}
    assert elsewhere == DEFINED_ELSEWHERE


def test_every_error_of_graph_errors_is_a_versterkt_error() -> None:
    classes = [
        cls
        for cls in vars(graph.errors).values()
        if inspect.isclass(cls) and issubclass(cls, Exception) and cls.__module__ == "graph.errors"
    ]
    assert len(classes) > 25
    # a workbook's warning is a warning (raised through the warnings module), not an error
    errors = [cls for cls in classes if not issubclass(cls, Warning)]
    assert [cls.__name__ for cls in errors if not issubclass(cls, VersterktError)] == []
    assert {cls.__name__ for cls in classes} <= set(graph.errors.__all__)


@pytest.mark.parametrize(
    ("module", "name", "base"),
    [
        ("graph.store", "StoreError", RuntimeError),
        ("graph.catalogue", "UnknownLanguage", ValueError),
        ("loaders.review_form", "FormError", ValueError),
        ("loaders.bounded", "Unreadable", ValueError),
        ("loaders.read", "CsvEncodingError", ValueError),
        ("views.bundle", "BundleError", ValueError),
        ("sessie.journal", "JournalError", VersterktError),
        ("sessie.journal", "AnswerConflict", VersterktError),
    ],
)
def test_an_error_keeps_its_old_name_and_its_bases(
    module: str, name: str, base: type[Exception]
) -> None:
    imported = importlib.import_module(module)
    cls = getattr(imported, name)
    assert cls is getattr(graph.errors, name)
    assert issubclass(cls, VersterktError) and issubclass(cls, base)
    assert name in getattr(imported, "__all__", [name])


def test_graph_errors_imports_nothing_of_the_project() -> None:
    tree = ast.parse((ROOT / "graph" / "errors.py").read_text(encoding="utf-8"))
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module.split(".")[0])
    assert imported and not imported & {*LIBRARY, "versterkt"}


def test_a_csv_encoding_error_says_where_and_why() -> None:
    from loaders.read import CsvEncodingError, decode_csv

    with pytest.raises(CsvEncodingError) as caught:
        decode_csv("naam\nBrug\n".encode("utf-16"))
    assert isinstance(caught.value, VersterktError) and caught.value.line == 1
    assert isinstance(caught.value.said, Said)
    assert str(caught.value) == phrase(caught.value.said, "en") != phrase(caught.value, "nl")


# --- the pages refuse bad data with PageDataError, in either language ---


def _graph() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    nodes = [{"id": "a", "label": "A"}, {"id": "b", "label": "B"}]
    edges = [{"id": "e1", "from": "a", "to": "b", "arrows": "to"}]
    return nodes, edges


def _page(change: Any = None, **options: Any) -> str:
    from views.page import render_network_page
    from views.page_records import PageOptions

    nodes, edges = _graph()
    if change is not None:
        change(nodes, edges)
    return render_network_page(nodes, edges, PageOptions("t", **options))


@pytest.mark.parametrize(
    ("make", "en", "nl"),
    [
        (
            lambda: _page(lambda n, e: n.append({"id": "a"})),
            "duplicate node id 'a'",
            "het element-id 'a' komt twee keer voor",
        ),
        (
            lambda: _page(lambda n, e: e.append({"id": "e1", "from": "a", "to": "b"})),
            "duplicate edge id 'e1'",
            "het verbindings-id 'e1' komt twee keer voor",
        ),
        (
            lambda: _page(lambda n, e: e.append({"from": "a", "to": "x"})),
            "edge #1 refers to unknown node 'x'",
            "verbinding #1 verwijst naar een onbekend element 'x'",
        ),
        (
            lambda: _page(lambda n, e: n[0].update(size="groot")),
            "size of node 'a' must be a number, got 'groot'",
            "grootte van element 'a': 'groot' is geen getal",
        ),
        (
            lambda: _page(lambda n, e: e[0].update(dashes=[4, 0])),
            "dashes of edge 'e1' must be positive lengths, got [4, 0]",
            "streepjes van verbinding 'e1' moeten positieve lengtes zijn, niet [4, 0]",
        ),
        (
            lambda: _page(legend=[LegendEntry("x", kind="cluster")]),
            "legend kind must be 'node' or 'edge', got 'cluster'",
            'de soort van een regel van de legenda moet "node" of "edge" zijn, niet \'cluster\'',
        ),
        (
            lambda: _page(start_focus="x"),
            "start_focus 'x' is not a node of the map",
            "\"start_focus\" 'x' is geen element van de kaart",
        ),
        (
            lambda: _page(steps=[Step("een", direction="opzij")]),
            "step 'een': direction must be both, up or down",
            'stap \'een\': de richting moet "both", "up" of "down" zijn',
        ),
    ],
)
def test_bad_page_data_is_a_page_data_error_said_in_both_languages(
    make: Any, en: str, nl: str
) -> None:
    with pytest.raises(PageDataError) as caught:
        make()
    error = caught.value
    assert isinstance(error, VersterktError) and isinstance(error, ValueError)
    assert isinstance(error.said, Said)
    assert (str(error), phrase(error, "en"), phrase(error, "nl")) == (en, en, nl)


def test_the_other_views_refuse_bad_data_the_same_way() -> None:
    from loaders import load_map
    from views.layout import layout_positions
    from views.links import check_href
    from views.map import measure_sizes

    with pytest.raises(PageDataError) as caught:
        layout_positions(["a", "a"], [])
    assert phrase(caught.value, "nl") == "de ids van de elementen moeten uniek zijn"
    with pytest.raises(PageDataError) as caught:
        check_href("../kaart.html")
    assert (
        phrase(caught.value, "nl")
        == "link '../kaart.html' moet relatief zijn (een bestand in dezelfde map)"
    )
    with pytest.raises(PageDataError) as caught:
        measure_sizes(load_map(), "pagerank")
    assert str(caught.value).startswith("unknown measure 'pagerank'; choose one of ")
    assert phrase(caught.value, "nl").startswith("onbekende maat 'pagerank'; kies een van ")


def test_a_bad_position_keeps_its_chain() -> None:
    from views.page import load_positions

    with pytest.raises(PageDataError) as caught:
        load_positions({"a": {"x": "links", "y": 1}})
    assert caught.value.__suppress_context__ and caught.value.__cause__ is None


def test_every_word_the_page_names_an_item_with_is_in_the_catalogue() -> None:
    """The ``what`` of a value the page and its records check (``size of node``) is a
    word of the catalogue (``page_data.what.size_of_node``): a new check needs its word."""
    trees = [
        ast.parse((ROOT / "views" / name).read_text(encoding="utf-8"))
        for name in ("page.py", "page_records.py")
    ]
    whats = {
        node.args[1].value
        for tree in trees
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in ("_number", "_dashes", "_facets")
        and len(node.args) > 1
        and isinstance(node.args[1], ast.Constant)
    }
    assert {"size of node", "node", "edge", "dashes of a legend entry"} <= whats
    for lang in LANGS:
        codes = {"page_data.what." + what.replace(" ", "_") for what in whats}
        assert sorted(codes - messages(lang).keys()) == [], lang


# --- the library's messages name no option or command of the command line ---


def _command_line() -> re.Pattern[str]:
    """An option of the command line, or one of the tool's commands."""
    import click

    from versterkt.cli import main

    names = main.list_commands(click.Context(main))
    assert "review-import" in names
    commands = "|".join(map(re.escape, names))
    return re.compile(rf"(?<![\w-])--[a-z]|\bversterkt (?:{commands})\b")


#: Messages of the library that name a command of another program, for any caller:
#: the project's own script that starts a local Neo4j server.
_OTHER_PROGRAMS = {"store.memory"}


def test_no_message_of_the_library_names_the_command_line() -> None:
    command_line = _command_line()
    for lang in LANGS:
        naming = {
            code
            for code, text in messages(lang).items()
            if not code.startswith(("cli.", "help.", "click.")) and command_line.search(text)
        }
        assert naming == _OTHER_PROGRAMS, lang


def test_a_file_of_no_known_format_names_no_option_in_the_library(tmp_path: Path) -> None:
    from graph.errors import UnknownFormat, WorkbookInvalid
    from loaders.interchange import FORMATS, read_map

    source = tmp_path / "kaart.txt"
    source.write_text("{}", encoding="utf-8")
    with pytest.raises(UnknownFormat) as caught:
        read_map(source)
    assert isinstance(caught.value, WorkbookInvalid) and caught.value.formats == FORMATS
    (problem,) = caught.value.errors
    for lang in LANGS:
        assert "--" not in phrase(problem, lang)
    assert phrase(problem, "en").endswith(
        "cannot tell the format from the file; give one of " + ", ".join(FORMATS)
    )
