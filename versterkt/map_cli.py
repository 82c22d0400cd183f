"""Commands that read one map, from a workbook or from Neo4j: ``info`` and ``map``.

``info`` needs only the loaders: it starts without pandas, the Neo4j driver or pyvis
(the driver is loaded when ``--uri`` is given).
"""

from __future__ import annotations

from pathlib import Path

import click

from graph.catalogue import messages
from graph.errors import VersterktError
from versterkt.language import current_lang, lang_option, say
from versterkt.options import (
    causal_option,
    positions_option,
    read_data_argument,
    read_options,
    read_positions,
    round_option,
    say_drawing,
    size_by_option,
    source_map,
    summary,
)
from versterkt.terminal import printable


@click.command()
@read_data_argument
@read_options
def info(data: Path | None, **connection: str | None) -> None:
    m = source_map(data, **connection)
    click.echo(printable(f"{m.name} [{m.id}]", one_line=True))
    words = messages(current_lang())
    for kind, count in m.counts().items():
        click.echo(f"  {words.get(f'code.{kind}', kind):<16}{count:>6}")


@click.command("map")
@read_data_argument
@click.option(
    "--out",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("kaart.html"),
    show_default=True,
    help="help.map.out",
)
@lang_option("help.map.lang")
@round_option("help.map.round_")
@positions_option
@causal_option
@size_by_option
@read_options
def map_command(
    data: Path | None,
    out: Path,
    lang: str,
    round_: int | None,
    positions: Path | None,
    causal: bool,
    size_by: str | None,
    **connection: str | None,
) -> None:
    from views.map import write_map

    saved = read_positions(positions)
    m = source_map(data, **connection)
    say_drawing(m, round_)
    try:
        path = write_map(
            m,
            out,
            lang=lang,
            as_of_round=round_,
            positions=saved,
            causal=causal,
            size_by=size_by,
        )
    except ValueError as e:  # a step of the session the map cannot show
        if isinstance(e, VersterktError):
            raise
        from versterkt.errors import OneLine

        raise OneLine(str(e)) from e
    click.echo(say("cli.wrote_map", path=path, summary=summary(m, round_)))
