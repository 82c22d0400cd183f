"""The ``versterkt verslag`` command: the terugkoppeling of a round, for print.

Thin glue over :func:`views.report.write_report`. It is listed in the command table
of :mod:`versterkt.cli`.
"""

from __future__ import annotations

from pathlib import Path

import click

from versterkt.language import lang_option, say
from versterkt.options import read_data_argument, read_options, round_option, source_map


def _report_path(_ctx: click.Context, _param: click.Parameter, value: Path) -> Path:
    if value.suffix.lower() not in (".pdf", ".html", ".htm"):
        raise click.BadParameter(say("cli.usage.report_kind", value=value))
    return value


@click.command()
@read_data_argument
@click.option(
    "--out",
    "-o",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    callback=_report_path,
    help="help.verslag.out",
)
@round_option("help.verslag.round_")
@lang_option("help.verslag.lang")
@read_options
def verslag(
    data: Path | None,
    out: Path,
    round_: int | None,
    lang: str,
    **connection: str | None,
) -> None:
    from views.report import write_report

    m = source_map(data, **connection)
    path = write_report(m, out, round=round_, lang=lang)
    click.echo(say("cli.wrote", path=path))
