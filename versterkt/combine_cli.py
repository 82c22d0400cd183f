"""``versterkt combine``: maps drawn by separate groups, brought together in one map.

Reads each map (:mod:`loaders.combine`), proposes or reads the matched concepts, and
combines them (:mod:`graph.combine`); prints, per link, the groups that drew it and
their consensus (:mod:`queries.consensus`).
"""

from __future__ import annotations

from pathlib import Path
from typing import cast

import click

from graph import schema
from graph.combine import AGGREGATIONS, Aggregation, combine_maps, propose_matches
from loaders.combine import map_keys, read_group_map, read_matches, write_matches
from loaders.interchange import save_workbook
from queries.consensus import consensus
from versterkt.errors import UsageLine
from versterkt.language import say
from versterkt.output import format_option, render


@click.command("combine")
@click.argument("maps", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--out",
    "-o",
    required=True,
    type=click.Path(path_type=Path),
    help="help.combine.out",
)
@click.option(
    "--group",
    "groups",
    multiple=True,
    type=click.Choice(schema.GROUPS),
    help="help.option.groups",
)
@click.option(
    "--matches",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="help.option.matches",
)
@click.option(
    "--how",
    type=click.Choice(AGGREGATIONS),
    default="mean",
    show_default=True,
    help="help.option.how",
)
@format_option
def combine(
    maps: tuple[Path, ...],
    out: Path,
    groups: tuple[str, ...],
    matches: Path | None,
    how: str,
    fmt: str,
) -> None:
    if len(groups) != len(maps):
        raise UsageLine(say("cli.usage.groups", maps=len(maps), groups=len(groups)))
    keys = map_keys(maps)
    group_maps = [
        read_group_map(path, group, key)
        for path, group, key in zip(maps, groups, keys, strict=True)
    ]
    found = propose_matches(group_maps) if matches is None else read_matches(matches, group_maps)
    combined = combine_maps(group_maps, found, cast(Aggregation, how))  # before any write
    sheet = out.with_name(f"{out.stem}-koppelingen.xlsx")
    if matches is None:
        write_matches(found, group_maps, sheet)
    save_workbook(combined.map, out)
    click.echo(render(consensus(combined.map), fmt), nl=False)
    click.echo(say("cli.combined", out=out, links=len(combined.links), maps=len(maps)), err=True)
    if matches is None:
        click.echo(say("cli.check_matches", sheet=sheet), err=True)
