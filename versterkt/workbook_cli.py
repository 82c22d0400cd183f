"""Commands on workbook files: ``validate``, ``template`` and ``convert``.

Each parses its options, makes one library call (:mod:`loaders`) and prints the result.
"""

from __future__ import annotations

from pathlib import Path

import click

from loaders import load_map, write_template, write_workbook
from versterkt.language import say
from versterkt.options import data_argument, summary


@click.command()
@data_argument
def validate(data: Path) -> None:
    m = load_map(data)
    click.echo(say("cli.valid", data=data, summary=summary(m)))


@click.command()
@click.option(
    "--out",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("werkboek.xlsx"),
    show_default=True,
    help="help.template.out",
)
def template(out: Path) -> None:
    path = write_template(out)
    click.echo(say("cli.wrote_template", path=path, command=f"versterkt validate {path}"))


@click.command()
@data_argument
@click.option(
    "--out",
    "-o",
    required=True,
    type=click.Path(path_type=Path),
    help="help.option.out",
)
def convert(data: Path, out: Path) -> None:
    m = load_map(data)
    path = write_workbook(m, out)
    click.echo(say("cli.wrote_summary", path=path, summary=summary(m)))
