"""``versterkt import`` and ``versterkt export``: maps from and for other tools.

Each parses its options, makes one call to :mod:`loaders.interchange` and prints what
was written and, one line each, what the other format could not carry.
"""

from __future__ import annotations

from pathlib import Path

import click
import pandas as pd

from loaders.interchange import FORMATS, Report, read_map, save_workbook, write_map
from queries.loops import named_loops
from versterkt.options import read_data_argument, read_options, source_map
from versterkt.terminal import printable

FORMAT_HELP = (
    "kumu (.json project export or blueprint, .xlsx), prsm (.prsm, .xlsx), "
    "mentalmodeler (.mmp, .csv matrix), graphml, gexf"
)


def _print_report(report: Report) -> None:
    for line in report.lines():
        click.echo(printable(f"{report.path}: not carried: {line}", one_line=True), err=True)


@click.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--from",
    "fmt",
    type=click.Choice(FORMATS),
    help=f"The file's format (default: from its name and contents): {FORMAT_HELP}.",
)
@click.option(
    "--out",
    "-o",
    required=True,
    type=click.Path(path_type=Path),
    help="The workbook to write: an .xlsx file, or a folder for .csv files.",
)
def import_command(file: Path, fmt: str | None, out: Path) -> None:
    """Read a map made in Kumu, PRSM, MentalModeler, Gephi or yEd into a workbook.

    Elements become factors (or actors, where the file says so), links keep their
    sign and weight as the format gives them, positions become the map's saved
    positions, the loops a Kumu project names become the map's steps, and the map
    starts in round 1, named after the file. What the workbook cannot hold is
    listed, never dropped silently. The workbook is written
    only if it loads again.
    """
    m, report = read_map(file, fmt)
    path = save_workbook(m, out)
    _print_report(report)
    links = sum(1 for _ in m.links())
    actors = len(m.actors())
    elements = f"{len(m.factors())} factors" + (
        f", {actors} actor{'s' if actors > 1 else ''}" if actors else ""
    )
    click.echo(
        f"Wrote {path} ({elements}, {links} links, {len(m.positions())} positions) "
        f"from {report.format}."
    )
    if report.named_loops:
        _print_named_loops(named_loops(m, [(n.name, n.links) for n in report.named_loops]), path)


def _print_named_loops(named: pd.DataFrame, path: Path) -> None:
    """Whether the loops the file names are loops ``versterkt query loops`` finds."""
    loops = named[named["is_loop"]]
    if not loops.empty:
        longest = int(loops["length"].max())
        named_count = f"{len(named)} loop{'s' if len(named) != 1 else ''}"
        are = "are feedback loops" if len(loops) != 1 else "is a feedback loop"
        links = f"{longest} link{'s' if longest != 1 else ''}"
        click.echo(
            f"The file names {named_count}, kept as the map's steps; {len(loops)} {are} "
            f"of up to {links}: versterkt query loops {path} --max-length {longest} "
            f"lists {'them' if len(loops) != 1 else 'it'}."
        )
    for name in named[~named["is_loop"]]["name"]:
        click.echo(printable(f'The loop "{name}" of the file: its links close no loop.'))


@click.command("export")
@read_data_argument
@click.option(
    "--to",
    "fmt",
    type=click.Choice(FORMATS),
    help=f"The format to write (default: from the name of --out): {FORMAT_HELP}.",
)
@click.option(
    "--out",
    "-o",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The file to write.",
)
@click.option(
    "--round",
    "as_of_round",
    type=int,
    help="Write the map as it was in this round (default: the current map).",
)
@read_options
def export_command(
    data: Path | None,
    fmt: str | None,
    out: Path,
    as_of_round: int | None,
    **connection: str | None,
) -> None:
    """Write the map for Kumu, PRSM, MentalModeler, Gephi or yEd.

    The current map goes out (what the latest round has on it; a retired or
    re-signed link's old claim stays behind), or with --round the map of that
    round. Factors, actors and their influence links go out with their signs,
    weights and positions; what the format cannot hold is listed.
    """
    m = source_map(data, **connection)
    report = write_map(m, out, fmt, as_of_round=as_of_round)
    _print_report(report)
    shown = "the current map" if as_of_round is None else f"the map of round {as_of_round}"
    click.echo(f"Wrote {out} for {report.format}: {shown}.")


COMMANDS = (import_command, export_command)
