"""``versterkt import`` and ``versterkt export``: maps from and for other tools.

Each parses its options, makes one call to :mod:`loaders.interchange` and prints what
was written and, one line each, what the other format could not carry.
"""

from __future__ import annotations

from pathlib import Path

import click
import pandas as pd

from graph.errors import LoadError, UnknownFormat, WorkbookInvalid, said
from loaders.interchange import FORMATS, Report, read_map, save_workbook, write_map
from queries.loops import named_loops
from versterkt.language import say
from versterkt.options import read_data_argument, read_options, source_map
from versterkt.terminal import printable


def _print_report(report: Report) -> None:
    from graph.errors import phrase
    from versterkt.language import current_lang

    lang = current_lang()
    for line in report.said():
        said = say("cli.prefix_not_carried", path=report.path, message=phrase(line, lang))
        click.echo(printable(said, one_line=True), err=True)


def _name_it_with(option: str, error: UnknownFormat) -> WorkbookInvalid:
    """``error`` saying which option of the command names the format."""
    formats = ", ".join(error.formats)
    message = said("cli.which_format", option=option, formats=formats)
    return WorkbookInvalid([LoadError(error.path, None, None, message)])


@click.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--from",
    "fmt",
    type=click.Choice(FORMATS),
    help="help.import.fmt",
)
@click.option(
    "--out",
    "-o",
    required=True,
    type=click.Path(path_type=Path),
    help="help.import.out",
)
def import_command(file: Path, fmt: str | None, out: Path) -> None:
    try:
        m, report = read_map(file, fmt)
    except UnknownFormat as e:
        raise _name_it_with("--from", e) from e
    path = save_workbook(m, out)
    _print_report(report)
    links = sum(1 for _ in m.links())
    actors = len(m.actors())
    factors = len(m.factors())
    elements = say(f"cli.factors_{'one' if factors == 1 else 'many'}", n=factors)
    if actors:
        elements += ", " + say(f"cli.actors_{'one' if actors == 1 else 'many'}", n=actors)
    links_word = say(f"cli.links_{'one' if links == 1 else 'many'}", n=links)
    click.echo(
        say(
            "cli.imported",
            path=path,
            elements=elements,
            links=links_word,
            positions=len(m.positions()),
            format=report.format,
        )
    )
    if report.named_loops:
        _print_named_loops(named_loops(m, [(n.name, n.links) for n in report.named_loops]), path)


def _print_named_loops(named: pd.DataFrame, path: Path) -> None:
    """Whether the loops the file names are loops ``versterkt query loops`` finds."""
    loops = named[named["is_loop"]]
    if not loops.empty:
        longest = int(loops["length"].max())
        click.echo(
            say(
                f"cli.named_loops_{'one' if len(loops) == 1 else 'many'}",
                named=len(named),
                n=len(loops),
                longest=longest,
                command=f"versterkt query loops {path} --max-length {longest}",
            )
        )
    for name in named[~named["is_loop"]]["name"]:
        click.echo(printable(say("cli.named_no_loop", name=name)))


@click.command("export")
@read_data_argument
@click.option(
    "--to",
    "fmt",
    type=click.Choice(FORMATS),
    help="help.export.fmt",
)
@click.option(
    "--out",
    "-o",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="help.export.out",
)
@click.option(
    "--round",
    "as_of_round",
    type=int,
    help="help.export.as_of_round",
)
@read_options
def export_command(
    data: Path | None,
    fmt: str | None,
    out: Path,
    as_of_round: int | None,
    **connection: str | None,
) -> None:
    m = source_map(data, **connection)
    try:
        report = write_map(m, out, fmt, as_of_round=as_of_round)
    except UnknownFormat as e:
        raise _name_it_with("--to", e) from e
    _print_report(report)
    if as_of_round is None:
        shown = say("cli.the_current_map")
    else:
        shown = say("cli.the_map_of_round", round=as_of_round)
    click.echo(say("cli.exported", out=out, format=report.format, map=shown))


COMMANDS = (import_command, export_command)
