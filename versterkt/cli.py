"""The ``versterkt`` command: thin glue over the library.

Each command parses its options, makes one library call and prints the result.
Library errors become one-line messages and exit code 1; bad options exit 2.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import NoReturn

import click

from graph import SystemMap
from graph.store import StoreError
from loaders import WorkbookInvalid, load_map, write_template, write_workbook
from versterkt.cycle_cli import COMMANDS as CYCLE_COMMANDS
from versterkt.options import (
    causal_option,
    connect,
    data_argument,
    db_options,
    positions_option,
    read_data_argument,
    read_options,
    read_positions,
    size_by_option,
    source_map,
)
from versterkt.present_cli import present
from versterkt.query_cli import query

DATA_HELP = "Workbook: an .xlsx file or a folder of .csv files (default: the Vleuten data)."


class VersterktGroup(click.Group):
    """Turns library errors into clear messages instead of stack traces."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except WorkbookInvalid as e:
            _fail_invalid(e)
        except StoreError as e:
            click.echo(f"Error: {e}", err=True)
            sys.exit(1)


def _fail_invalid(e: WorkbookInvalid) -> NoReturn:
    for error in e.errors:
        click.echo(str(error), err=True)
    n = len(e.errors)
    click.echo(f"{n} error{'s' if n != 1 else ''}; nothing was loaded.", err=True)
    sys.exit(1)


@click.group(cls=VersterktGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="versterkt")
def main() -> None:
    """versterkt: a systems-analysis map of who and what drives a problem.

    Load a workbook of actors, factors and their links, check it, draw it as an
    interactive map that works offline, and find where people can act together.
    Without DATA, every command uses the bundled Vleuten dataset.
    """


@main.command()
@data_argument
def validate(data: Path) -> None:
    """Check a workbook and list every error as FILE:ROW:COLUMN: message.

    Exits 0 when the workbook is valid, 1 when it has errors.
    """
    m = load_map(data)
    click.echo(f"{data}: valid ({_summary(m)})")


@main.command()
@read_data_argument
@read_options
def info(data: Path | None, **connection: str | None) -> None:
    """Show what is in the map: nodes, links and records per kind."""
    m = source_map(data, **connection)
    click.echo(f"{m.name} [{m.id}]")
    for kind, count in m.counts().items():
        click.echo(f"  {kind:<16}{count:>6}")


@main.command("map")
@read_data_argument
@click.option(
    "--out",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("kaart.html"),
    show_default=True,
    help="The HTML file to write.",
)
@click.option(
    "--lang",
    type=click.Choice(["nl", "en"]),
    default="nl",
    show_default=True,
    help="Language of the map's labels and buttons.",
)
@positions_option
@causal_option
@size_by_option
@read_options
def map_command(
    data: Path | None,
    out: Path,
    lang: str,
    positions: Path | None,
    causal: bool,
    size_by: str | None,
    **connection: str | None,
) -> None:
    """Draw the map as one interactive HTML file that works with no internet."""
    from views.map import write_map

    saved = read_positions(positions)
    m = source_map(data, **connection)
    try:
        path = write_map(m, out, lang=lang, positions=saved, causal=causal, size_by=size_by)
    except ValueError as e:  # a step of the session the map cannot show
        raise click.ClickException(str(e)) from e
    click.echo(f"Wrote {path} ({_summary(m)}). Open it in a browser.")


@main.command()
@click.option(
    "--out",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("werkboek.xlsx"),
    show_default=True,
    help="Where to write the empty workbook.",
)
def template(out: Path) -> None:
    """Write an empty workbook with headers, an explanation sheet and dropdowns."""
    path = write_template(out)
    click.echo(f"Wrote {path}. Fill it in, then run: versterkt validate {path}")


@main.command()
@data_argument
@click.option(
    "--out",
    "-o",
    required=True,
    type=click.Path(path_type=Path),
    help="An .xlsx file, or a folder for .csv files.",
)
def convert(data: Path, out: Path) -> None:
    """Rewrite a workbook in the other form (.xlsx <-> folder of .csv)."""
    m = load_map(data)
    path = write_workbook(m, out)
    click.echo(f"Wrote {path} ({_summary(m)}).")


def _summary(m: SystemMap) -> str:
    nodes = m.graph.number_of_nodes()
    links = sum(1 for _ in m.links())
    return f"{nodes} nodes, {links} links"


main.add_command(query)
main.add_command(present)
for command in CYCLE_COMMANDS:
    main.add_command(command)


@main.group()
def db() -> None:
    """Work with the shared Neo4j store: load, export, list maps.

    Connection settings come from the options or from NEO4J_URI, NEO4J_USERNAME,
    NEO4J_PASSWORD and NEO4J_DATABASE.
    """


@db.command("load")
@data_argument
@db_options
def db_load(data: Path, map_id: str | None, **connection: str | None) -> None:
    """Validate a workbook, then write it to Neo4j: all of it, or nothing.

    Loading the same workbook twice changes nothing; loading a changed workbook
    makes the map in the database equal to it. Other maps are left alone.
    """
    m = load_map(data)
    if map_id:
        m.id = map_id
    with connect(**connection) as store:
        with click.progressbar(length=1, label=f"Loading {m.id}", file=sys.stderr) as bar:

            def progress(done: int, total: int) -> None:
                bar.length = total
                bar.update(done - bar.pos)

            report = store.load(m, progress=progress)
    click.echo(
        f"Loaded map {report.map_id!r} into {store.uri}: {report.nodes} nodes, "
        f"{report.links} links, {report.records} records "
        f"({report.created} new, {report.updated} changed, {report.unchanged} unchanged)"
        + (f"; removed {report.removed} no longer in the workbook" if report.removed else "")
        + "."
    )


@db.command("export")
@db_options
@click.option(
    "--out",
    "-o",
    type=click.Path(path_type=Path),
    default=None,
    help="An .xlsx file, or a folder for .csv files (default: a folder named after the map).",
)
def db_export(out: Path | None, map_id: str | None, **connection: str | None) -> None:
    """Read a map back from Neo4j and write it as a workbook."""
    with connect(**connection) as store:
        m = store.read(map_id)
    path = write_workbook(m, out or Path(m.id))
    click.echo(f"Wrote {path} ({_summary(m)}).")


@db.command("maps")
@db_options
def db_maps(map_id: str | None, **connection: str | None) -> None:
    """List the maps in the database."""
    with connect(**connection) as store:
        maps = store.maps()
    if not maps:
        click.echo("No maps yet. Load one with: versterkt db load [DATA]")
    for row in maps:
        click.echo(f"{row['id']}\t{row['name']}")
