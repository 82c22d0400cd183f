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
from loaders import VLEUTEN, WorkbookInvalid, load_map, write_template, write_workbook

DATA_HELP = "Workbook: an .xlsx file or a folder of .csv files (default: the Vleuten data)."


class VersterktGroup(click.Group):
    """Turns library errors into clear messages instead of stack traces."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except WorkbookInvalid as e:
            _fail_invalid(e)


def _fail_invalid(e: WorkbookInvalid) -> NoReturn:
    for error in e.errors:
        click.echo(str(error), err=True)
    n = len(e.errors)
    click.echo(f"{n} error{'s' if n != 1 else ''}; nothing was loaded.", err=True)
    sys.exit(1)


data_argument = click.argument(
    "data",
    required=False,
    type=click.Path(exists=True, path_type=Path),
    default=VLEUTEN,
)


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
@data_argument
def info(data: Path) -> None:
    """Show what is in the map: nodes, links and records per kind."""
    m = load_map(data)
    click.echo(f"{m.name} [{m.id}]")
    for kind, count in m.counts().items():
        click.echo(f"  {kind:<16}{count:>6}")


@main.command("map")
@data_argument
@click.option(
    "--out",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("kaart.html"),
    show_default=True,
    help="The HTML file to write.",
)
@click.option(
    "--lang", type=click.Choice(["nl", "en"]), default="nl", show_default=True,
    help="Language of the map's labels and buttons.",
)
def map_command(data: Path, out: Path, lang: str) -> None:
    """Draw the map as one interactive HTML file that works with no internet."""
    from views.map import write_map

    m = load_map(data)
    path = write_map(m, out, lang=lang)
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
