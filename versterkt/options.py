"""Options and arguments that several commands share, and where their map comes from."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from graph import SystemMap
from graph.cycle import on_the_map, resolve_map
from loaders import VLEUTEN, WorkbookInvalid, load_map
from versterkt.errors import Nothing, OneLine, UsageLine, fail
from versterkt.language import say

if TYPE_CHECKING:
    import pandas as pd

    from graph.store import Neo4jStore

F = TypeVar("F", bound=Callable[..., Any])
T = TypeVar("T")


class WorkbookPath(click.Path):
    """A workbook that must exist: a folder that a stopped write took away is put back
    first (:func:`loaders.write.recover`), so the next command finds it."""

    def __init__(self) -> None:
        super().__init__(exists=True, path_type=Path)

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        from loaders.write import recover

        recover(Path(value))
        return super().convert(value, param, ctx)


class Words(click.Choice):
    """A choice named by its own name or by the word the workbook uses for it, in any
    case: ``--kind "kan bijsturen"`` is ``--kind CAN_ADJUST``. The value is the name."""

    def __init__(self, words: dict[str, str]) -> None:
        self.words = {spelling.casefold(): name for spelling, name in words.items()}
        super().__init__(list(dict.fromkeys(words)), case_sensitive=False)

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, str) and value.strip().casefold() in self.words:
            return self.words[value.strip().casefold()]
        return super().convert(value, param, ctx)  # click's message, with every choice


#: The optional DATA argument: a workbook, by default the bundled Vleuten data.
data_argument = click.argument(
    "data",
    required=False,
    type=WorkbookPath(),
    default=VLEUTEN,
)


#: DATA of a command that can read from Neo4j instead (--uri): none by default, so
#: that giving both is caught; see :func:`workbook`.
read_data_argument = click.argument(
    "data",
    required=False,
    type=WorkbookPath(),
    default=None,
)


def workbook(data: Path | None, uri: str | None) -> Path:
    """DATA, or the bundled Vleuten data; a usage error when --uri is given too."""
    if uri is not None and data is not None:
        raise UsageLine(say("cli.usage.data_or_uri"))
    return data or VLEUTEN


def _connection_options(uri_envvar: bool, uri_use: str = "db") -> list[Callable[[F], F]]:
    return [
        click.option(
            "--uri",
            envvar="NEO4J_URI" if uri_envvar else None,
            help=f"help.option.uri.{uri_use}",
        ),
        click.option(
            "--user",
            envvar="NEO4J_USERNAME",
            help="help.option.user",
        ),
        click.option("--password", envvar="NEO4J_PASSWORD", help="help.option.password"),
        click.option(
            "--database",
            envvar="NEO4J_DATABASE",
            help="help.option.database",
        ),
        click.option("--map-id", "map_id", help="help.option.map_id"),
    ]


def _apply(options: list[Callable[[F], F]]) -> Callable[[F], F]:
    def decorate(f: F) -> F:
        for option in reversed(options):
            f = option(f)
        return f

    return decorate


#: For commands that read a map: from files, or from Neo4j with --uri.
read_options = _apply(_connection_options(uri_envvar=False, uri_use="read"))
#: For commands that change a map: the workbook, or the map in Neo4j with --uri.
change_options = _apply(_connection_options(uri_envvar=False, uri_use="change"))
#: For the db commands, which always talk to Neo4j (--uri defaults to $NEO4J_URI).
db_options = _apply(_connection_options(uri_envvar=True))


def connect(
    uri: str | None, user: str | None, password: str | None, database: str | None, **_: Any
) -> Neo4jStore:
    """An open store for the connection options (checked to answer)."""
    from graph.store import open_store  # the driver loads only for a command that connects

    return open_store(uri, user=user, password=password, database=database)


def source_map(data: Path | None, **connection: Any) -> SystemMap:
    """The map to work on: from Neo4j when --uri is given, else from the workbook (whose
    one map --map-id, when given, must name)."""
    path = workbook(data, connection.get("uri"))
    if connection.get("uri") is None:
        m = load_map(path)
        resolve_map([m.id], connection.get("map_id"), "the workbook")
        return m
    with connect(**connection) as store:
        return store.read(connection.get("map_id"))


def summary(m: SystemMap, as_of_round: int | None = None) -> str:
    """How big the map is, for a command's last line, counted as the map page counts
    (:func:`graph.cycle.on_the_map`): "37 elements, 31 links on the map", and what is
    left out of that: the elements and links retired, or of later rounds."""
    elements, links = on_the_map(m, as_of_round)
    counted = {"elements": _count(len(elements), "elements"), "links": _count(len(links), "links")}
    if as_of_round is None:
        line = say("cli.summary", **counted)
    else:
        line = say("cli.summary_round", round=as_of_round, **counted)
    off_elements = m.graph.number_of_nodes() - len(elements)
    off_links = m.link_count(derived=True) - len(links)
    if off_elements or off_links:
        parts = [
            _count(n, what) for n, what in ((off_elements, "elements"), (off_links, "links")) if n
        ]
        off = parts[0] if len(parts) == 1 else say("cli.summary_and", a=parts[0], b=parts[1])
        code = "cli.summary_not_in_round" if as_of_round is not None else "cli.summary_retired"
        line += "; " + say(code, off=off)
    return line


def _count(n: int, what: str) -> str:
    """``1 element``, ``2 links``: ``n`` and the word for ``what``, in the command's language."""
    return say(f"cli.{what}_{'one' if n == 1 else 'many'}", n=n)


def ask(name: str, data: Path | None, connection: dict[str, Any], **options: Any) -> pd.DataFrame:
    """The answer to the question ``name`` (:func:`queries.answer`), from the workbook or,
    with --uri, from Neo4j: the one place where the command line picks the backend."""
    from queries import answer  # pandas and the questions load only for a command that asks

    path = workbook(data, connection.get("uri"))
    map_id = connection.get("map_id")
    if connection.get("uri") is None:
        return answer(name, load_map(path), map_id=map_id, **options)
    with connect(**connection) as store:
        return answer(name, store, map_id=map_id, **options)


def change_map(
    data: Path | None,
    connection: dict[str, Any],
    operation: Callable[[SystemMap], T],
    nothing: Nothing = "changed",
    *,
    keep_positions: bool = False,
) -> T:
    """Apply ``operation`` to the map of the workbook DATA, written back in place
    (:func:`loaders.edit.change_workbook`), or with --uri to the map in Neo4j in one
    transaction (:meth:`graph.store.Neo4jStore.change`), checked as a workbook is.

    With ``keep_positions`` (a change to the map's elements and links: opening a
    round, an adjustment), the positions the map is drawn at are kept with it in the
    same write, so that the change moves no element already drawn
    (:func:`views.map.change_keeping_positions`).
    """
    from loaders.edit import change_workbook, check_map

    if keep_positions:
        from views.map import change_keeping_positions  # the layout loads only for it

        operation = functools.partial(change_keeping_positions, change=operation)

    uri, map_id = connection.get("uri"), connection.get("map_id")
    if uri is not None and data is not None:
        raise UsageLine(say("cli.usage.data_or_uri"))
    try:
        if uri is None:
            if data is None:
                raise UsageLine(say("cli.usage.workbook_or_uri"))

            def on_file(m: SystemMap) -> T:
                resolve_map([m.id], map_id, "the workbook")
                return operation(m)

            return change_workbook(data, on_file)

        def in_store(m: SystemMap) -> T:
            result = operation(m)
            check_map(m)
            return result

        with connect(**connection) as store:
            return store.change(map_id, in_store)
    except WorkbookInvalid as e:
        fail(e, nothing)


def where(data: Path | None, connection: dict[str, Any]) -> str:
    """The workbook or the database a command worked on, for its message."""
    return str(data) if data is not None else say("cli.where_neo4j", uri=connection["uri"])


#: --positions FILE: positions saved with the map page's "Posities opslaan".
positions_option = click.option(
    "--positions",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="help.option.positions",
)


def read_positions(path: Path | None) -> dict[str, tuple[float, float]] | None:
    """The positions in the file ``path`` (none without one); a bad file gives one
    line, ``FILE:LINE:COLUMN: message`` where the JSON itself is broken."""
    if path is None:
        return None
    from views.page import load_positions

    try:
        return load_positions(path)
    except json.JSONDecodeError as e:
        raise OneLine(f"{path}:{e.lineno}:{e.colno}: {e.msg}") from e
    except (ValueError, UnicodeDecodeError) as e:
        from graph.errors import Said, Text, said

        given = e.args[0] if len(e.args) == 1 else None
        problem: Text = given if isinstance(given, Said) else str(e)
        raise OneLine(said("error.at", place=str(path), message=problem)) from e


#: A map of more elements than this takes seconds to draw: the command says so first.
SLOW_DRAWING_ELEMENTS = 1000


def say_drawing(m: SystemMap, as_of_round: int | None = None) -> None:
    """On stderr, before a large map is drawn: how large, so that a wait is expected."""
    from versterkt.language import say

    elements, links = on_the_map(m, as_of_round)
    if len(elements) > SLOW_DRAWING_ELEMENTS:
        click.echo(say("cli.drawing_large", elements=len(elements), links=len(links)), err=True)


def round_option(help: str) -> Callable[[F], F]:
    """--round K of a command that shows the map as of a round: a known round of the
    map (checked by the library, which names the rounds there are)."""
    return click.option("--round", "round_", type=click.IntRange(min=1), help=help)


#: --causal: the map's layout puts causes before effects.
causal_option = click.option(
    "--causal",
    is_flag=True,
    help="help.option.causal",
)


#: --size-by MEASURE: actors and factors sized by a measure.
size_by_option = click.option(
    "--size-by",
    "size_by",
    type=click.Choice(["leverage", "betweenness", "in-degree", "out-degree"]),
    callback=lambda _ctx, _param, value: value.replace("-", "_") if value else None,
    help="help.option.size_by",
)
