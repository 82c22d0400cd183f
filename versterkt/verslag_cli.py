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
        raise click.BadParameter(f"{value} is not a .pdf or .html file")
    return value


@click.command()
@read_data_argument
@click.option(
    "--out",
    "-o",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    callback=_report_path,
    help="The report to write: a .pdf (printed by headless Chromium) or an .html page.",
)
@round_option("The round the report is about (default: the latest).")
@lang_option("Language of the report.")
@read_options
def verslag(
    data: Path | None,
    out: Path,
    round_: int | None,
    lang: str,
    **connection: str | None,
) -> None:
    """Write the terugkoppeling of a round: a printable report, A4, in PDF or HTML.

    Title page, the statements with their votes, what each group said, the map as of
    the round, what changed since the round before and why, the agenda of the next
    session and the sociale kaart. A facilitator's own introduction and next steps
    come from the columns inleiding and vervolg of the sheet rondes. The PDF is
    printed by headless Chromium (VERSTERKT_CHROMIUM, default /usr/bin/chromium);
    nothing is fetched.

    \b
    versterkt verslag werkboek.xlsx --round 2 --out verslag-ronde-2.pdf
    versterkt verslag werkboek.xlsx --round 2 --out verslag-ronde-2.html --lang en
    """
    from views.report import write_report

    m = source_map(data, **connection)
    path = write_report(m, out, round=round_, lang=lang)
    click.echo(say("cli.wrote", path=path))
