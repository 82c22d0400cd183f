"""The ``versterkt present`` command: write a session bundle for a facilitator.

Thin glue over :func:`views.bundle.write_bundle`. It is listed in the command table
of :mod:`versterkt.cli`.
"""

from __future__ import annotations

from pathlib import Path

import click

from graph.errors import VersterktError
from versterkt.language import lang_option, say
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
)


@click.command()
@read_data_argument
@click.option(
    "--out",
    "-o",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="help.present.out",
)
@lang_option("help.present.lang")
@round_option("help.present.round_")
@click.option("--target", help="help.present.target")
@positions_option
@causal_option
@size_by_option
@read_options
def present(
    data: Path | None,
    out: Path,
    lang: str,
    round_: int | None,
    target: str | None,
    positions: Path | None,
    causal: bool,
    size_by: str | None,
    **connection: str | None,
) -> None:
    from views.bundle import write_bundle

    saved = read_positions(positions)
    m = source_map(data, **connection)
    say_drawing(m, round_)
    try:
        bundle = write_bundle(
            m,
            out,
            lang=lang,
            round=round_,
            target=target,
            positions=saved,
            causal=causal,
            size_by=size_by,
        )
    except ValueError as e:
        if isinstance(e, VersterktError):
            raise
        from versterkt.errors import OneLine

        raise OneLine(str(e)) from e
    click.echo(
        say(
            "cli.wrote_bundle",
            index=bundle.index,
            more=len(bundle.files) - 1,
            round=bundle.round,
            out=out,
        )
    )
