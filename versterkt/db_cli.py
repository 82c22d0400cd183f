"""The ``versterkt db`` commands: load a workbook into Neo4j, export a map, list maps."""

from __future__ import annotations

from pathlib import Path

import click

from graph import schema
from graph.errors import phrase
from loaders import load_map, write_workbook
from versterkt.language import current_lang, say
from versterkt.options import connect, data_argument, db_options, summary
from versterkt.terminal import printable


@click.group()
def db() -> None:
    pass


@db.command("load")
@data_argument
@db_options
def db_load(data: Path, map_id: str | None, **connection: str | None) -> None:
    if map_id and schema.id_problem(map_id):
        raise click.BadParameter(
            phrase(schema.id_problem(map_id), current_lang()), param_hint="--map-id"
        )
    m = load_map(data)
    if map_id:
        m.id = map_id
    with connect(**connection) as store:
        report = store.load(m)  # on a terminal, long loads draw a bar (versterkt.progress)
    loaded = say(
        "cli.db_loaded",
        map=repr(report.map_id),
        uri=store.uri,
        nodes=report.nodes,
        links=report.links,
        records=report.records,
        new=report.created,
        changed=report.updated,
        unchanged=report.unchanged,
    )
    if report.removed:
        loaded += say("cli.db_removed", n=report.removed)
    click.echo(loaded + ".")


@db.command("export")
@db_options
@click.option(
    "--out",
    "-o",
    required=True,
    type=click.Path(path_type=Path),
    help="help.option.out",
)
def db_export(out: Path, map_id: str | None, **connection: str | None) -> None:
    with connect(**connection) as store:
        m = store.read(map_id)
    path = write_workbook(m, out)
    click.echo(say("cli.wrote_summary", path=path, summary=summary(m)))


@db.command("maps")
@db_options
def db_maps(map_id: str | None, **connection: str | None) -> None:
    with connect(**connection) as store:
        maps = store.maps()
    if not maps:
        click.echo(say("cli.db_no_maps", command="versterkt db load [DATA]"))
    for row in maps:
        click.echo(f"{row['id']}\t{printable(row['name'], one_line=True)}")
