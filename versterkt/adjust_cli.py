"""The adjust step as commands: ``versterkt round open`` and ``versterkt adjust ...``.

Each command changes the map with one operation of :mod:`graph.adjust`, which records
an adjustment with its round, its reason and the reviews that prompted it. The change
is written in place into the workbook DATA, all or nothing, keeping its form
(:func:`loaders.edit.change_workbook`), or with ``--uri`` into the map in Neo4j in one
transaction (:meth:`graph.store.Neo4jStore.change`). A mistake changes nothing and
says what to do.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from graph import SystemMap, adjust, schema
from loaders.edit import fields_from_cells
from versterkt.errors import UsageLine
from versterkt.language import say
from versterkt.options import Words, change_map, change_options, read_data_argument, where

__all__ = ["COMMANDS", "adjust_group", "round_group"]

F = TypeVar("F", bound=Callable[..., Any])

#: The node kinds a command can add, by the name the option takes: the kind, or the
#: workbook's sheet of it (``factor`` or ``factoren``).
NODE_KINDS = {kind.lower(): kind for kind in schema.TABLE_BY_KIND}
NODE_KIND_WORDS = {
    **NODE_KINDS,
    **{schema.NODE_TABLES[table].sheet: kind for kind, table in schema.TABLE_BY_KIND.items()},
}
#: The link kinds of the relaties sheet: the name, or the word the sheet uses
#: (``CAN_ADJUST`` or ``kan bijsturen``).
LINK_KINDS = [k for k, kind in schema.LINK_KINDS.items() if not kind.derived]
LINK_KIND_WORDS = {
    **{k: k for k in LINK_KINDS},
    **{kind.value: kind.name for kind in schema.LINK_KIND_BY_VALUE.values()},
}


def _cells(values: tuple[str, ...]) -> dict[str, str]:
    cells = {}
    for value in values:
        header, sep, text = value.partition("=")
        if not sep:
            raise click.BadParameter(f"{value!r}: write it as COLUMN=VALUE", param_hint="--set")
        cells[header.strip().lower()] = text
    return cells


#: Options that several adjust commands share.
_new_link_cells = click.option(
    "--set",
    "cells",
    multiple=True,
    metavar="COLUMN=VALUE",
    help="Another column of the new link, by its header (herkomst=...; repeat).",
)
_node_cells = click.option(
    "--set",
    "cells",
    multiple=True,
    metavar="COLUMN=VALUE",
    help="A column of its sheet, by its header (niveau=omgeving, rol=bron...; repeat).",
)
_link_cells = click.option(
    "--set",
    "cells",
    multiple=True,
    metavar="COLUMN=VALUE",
    help="A column of relaties, by its header (bronnen=..., herkomst=...; repeat).",
)
_new_id = click.option("--new-id", help="The id of the new link (default: LINK-r<round>).")


def _adjust_options(f: F) -> F:
    """--round, --reason and --after, and where the map is, for every adjustment."""
    for option in reversed(
        [
            click.option(
                "--round",
                "round_",
                type=int,
                help="The round the change goes into (default: the latest, opened with "
                "versterkt round open).",
            ),
            click.option(
                "--open-round",
                "open_as",
                metavar="NAME",
                help="When the groups have tested the latest round (or it is the first), "
                "open the next round under this name and make the change in it; "
                "otherwise the change goes into the latest round.",
            ),
            click.option("--reason", required=True, help="Why: what the groups said."),
            click.option(
                "--after",
                "prompted_by",
                multiple=True,
                metavar="REVIEW",
                help="The id of a review that prompted the change (repeat for more).",
            ),
            change_options,
        ]
    ):
        f = option(f)
    return f


def _adjust(
    data: Path | None,
    connection: dict[str, Any],
    round_: int | None,
    step: Callable[[SystemMap, int], str],
) -> None:
    """Run one adjustment in the round asked (default: the latest, or with
    --open-round a new one when the latest is closed) and say what it did."""
    open_as = connection.pop("open_as", None)
    if round_ is not None and open_as is not None:
        raise UsageLine(say("cli.usage.round_or_open"))

    def operation(m: SystemMap) -> tuple[str, int, bool]:
        known = len(m.rounds)
        k = round_ if round_ is not None else adjust.round_to_change(m, open_as)
        return step(m, k), k, len(m.rounds) > known

    adjustment, k, opened = change_map(data, connection, operation, keep_positions=True)
    place = where(data, connection)
    if opened:
        click.echo(say("cli.opened", round=k, name=open_as, place=place))
    click.echo(say("cli.recorded", adjustment=adjustment, round=k, place=place))


# --- versterkt round ------------------------------------------------------------------------


@click.group("round")
def round_group() -> None:
    """Rounds of the cycle: open the next one before adjusting the map."""


@round_group.command("open")
@read_data_argument
@click.option("--name", required=True, help="What the round is, e.g. 'Na de oudersessie'.")
@click.option("--session", help="The session (an id of sessies) that will test it.")
@click.option("--origin", help="Where the round comes from (herkomst).")
@click.option("--note", help="A note on the round (toelichting).")
@change_options
def round_open(
    data: Path | None,
    name: str,
    session: str | None,
    origin: str | None,
    note: str | None,
    **connection: Any,
) -> None:
    """Open the next round of the map: the adjustments that follow go into it.

    Every element keeps the position the map draws it at now (the posities sheet),
    so the map of the round just tested looks the same from any later workbook.

    \b
    versterkt round open werkboek.xlsx --name "Na de oudersessie"
    """
    number = change_map(
        data,
        connection,
        lambda m: adjust.open_round(m, name=name, session=session, origin=origin, note=note),
        keep_positions=True,
    )
    click.echo(say("cli.opened", round=number, name=name, place=where(data, connection)))


# --- versterkt adjust -----------------------------------------------------------------------


@click.group("adjust")
def adjust_group() -> None:
    """Adjust the map (bijstellen), each change with its round and reason.

    Nothing is deleted or overwritten: a retired link keeps its row with a ronde_uit; a
    new sign or weight makes a new link. The map as of an earlier round stays as it was.
    """


@adjust_group.command("retire")
@click.argument("link")
@read_data_argument
@_adjust_options
def adjust_retire(
    link: str,
    data: Path | None,
    round_: int | None,
    reason: str,
    prompted_by: tuple[str, ...],
    **connection: Any,
) -> None:
    """Take the link LINK off the map from this round on."""
    _adjust(
        data,
        connection,
        round_,
        lambda m, k: adjust.retire_link(m, k, link, reason=reason, prompted_by=prompted_by),
    )


@adjust_group.command("retire-node")
@click.argument("node")
@read_data_argument
@_adjust_options
def adjust_retire_node(
    node: str,
    data: Path | None,
    round_: int | None,
    reason: str,
    prompted_by: tuple[str, ...],
    **connection: Any,
) -> None:
    """Take the node NODE, and its links, off the map from this round on."""
    _adjust(
        data,
        connection,
        round_,
        lambda m, k: adjust.retire_node(m, k, node, reason=reason, prompted_by=prompted_by),
    )


@adjust_group.command("sign")
@click.argument("link")
@click.argument("sign", type=click.Choice([*schema.SIGNS, "unknown"]))
@read_data_argument
@_new_id
@_new_link_cells
@_adjust_options
def adjust_sign(
    link: str,
    sign: str,
    data: Path | None,
    new_id: str | None,
    cells: tuple[str, ...],
    round_: int | None,
    reason: str,
    prompted_by: tuple[str, ...],
    **connection: Any,
) -> None:
    """Give the link LINK another SIGN (+, - or unknown): a new link replaces it."""
    value = None if sign == "unknown" else sign
    fields = fields_from_cells("relaties", _cells(cells))
    _adjust(
        data,
        connection,
        round_,
        lambda m, k: adjust.resign_link(
            m, k, link, value, reason=reason, prompted_by=prompted_by, new_id=new_id, **fields
        ),
    )


@adjust_group.command("weight")
@click.argument("link")
@click.argument("weight")
@read_data_argument
@_new_id
@_new_link_cells
@_adjust_options
def adjust_weight(
    link: str,
    weight: str,
    data: Path | None,
    new_id: str | None,
    cells: tuple[str, ...],
    round_: int | None,
    reason: str,
    prompted_by: tuple[str, ...],
    **connection: Any,
) -> None:
    """Give the link LINK another WEIGHT (a number above 0, or unknown)."""
    fields = fields_from_cells("relaties", _cells(cells))
    try:
        value = None if weight == "unknown" else float(weight.replace(",", "."))
    except ValueError:
        raise click.BadParameter(f"{weight!r} is not a number", param_hint="WEIGHT") from None
    _adjust(
        data,
        connection,
        round_,
        lambda m, k: adjust.reweight_link(
            m, k, link, value, reason=reason, prompted_by=prompted_by, new_id=new_id, **fields
        ),
    )


@adjust_group.command("add-node")
@click.argument("node")
@read_data_argument
@click.option(
    "--kind",
    required=True,
    type=Words(NODE_KIND_WORDS),
    help="What the node is: its kind, or the workbook's sheet of it (factor or factoren).",
)
@click.option("--name", required=True, help="Its name on the map.")
@_node_cells
@_adjust_options
def adjust_add_node(
    node: str,
    data: Path | None,
    kind: str,
    name: str,
    cells: tuple[str, ...],
    round_: int | None,
    reason: str,
    prompted_by: tuple[str, ...],
    **connection: Any,
) -> None:
    """Add the node NODE (its id) to the map in this round."""
    node_kind = kind
    sheet = schema.NODE_TABLES[schema.TABLE_BY_KIND[node_kind]].sheet
    fields = fields_from_cells(sheet, _cells(cells))
    _adjust(
        data,
        connection,
        round_,
        lambda m, k: adjust.add_node(
            m, k, node_kind, node, name, reason=reason, prompted_by=prompted_by, **fields
        ),
    )


@adjust_group.command("add-link")
@click.argument("link")
@read_data_argument
@click.option("--from", "source", required=True, help="The node the link starts from.")
@click.option("--to", "target", required=True, help="The node the link leads to.")
@click.option(
    "--kind",
    type=Words(LINK_KIND_WORDS),
    default="INFLUENCES",
    show_default=True,
    help="What kind of link: INFLUENCES (a factor or actor drives another), CAN_ADJUST "
    "(an actor can turn a factor: a knop), or one between actors, initiatives and places; "
    "the workbook's words work too (beïnvloedt, kan bijsturen, ...).",
)
@click.option("--sign", type=click.Choice(schema.SIGNS), help="+ or - (default: unknown).")
@click.option("--weight", type=float, help="Its weight (default: unknown).")
@_link_cells
@_adjust_options
def adjust_add_link(
    link: str,
    data: Path | None,
    source: str,
    target: str,
    kind: str,
    sign: str | None,
    weight: float | None,
    cells: tuple[str, ...],
    round_: int | None,
    reason: str,
    prompted_by: tuple[str, ...],
    **connection: Any,
) -> None:
    """Add the link LINK (its id) to the map in this round, as a hypothese."""
    fields = fields_from_cells("relaties", _cells(cells))
    _adjust(
        data,
        connection,
        round_,
        lambda m, k: adjust.add_link(
            m,
            k,
            link,
            kind,
            source,
            target,
            reason=reason,
            prompted_by=prompted_by,
            **{**fields, "sign": sign, "weight": weight},
        ),
    )


@adjust_group.command("merge")
@read_data_argument
@click.option("--node", "nodes", multiple=True, required=True, help="A node to merge (repeat).")
@click.option("--into", required=True, help="The node they merge into.")
@_adjust_options
def adjust_merge(
    data: Path | None,
    nodes: tuple[str, ...],
    into: str,
    round_: int | None,
    reason: str,
    prompted_by: tuple[str, ...],
    **connection: Any,
) -> None:
    """Merge the --node nodes into the node --into: their links move to it."""
    _adjust(
        data,
        connection,
        round_,
        lambda m, k: adjust.merge_nodes(
            m, k, list(nodes), into, reason=reason, prompted_by=prompted_by
        ),
    )


@adjust_group.command("rename")
@click.argument("node")
@click.argument("name")
@read_data_argument
@click.option("--new-id", help="The id of the renamed node (default: NODE-r<round>).")
@_adjust_options
def adjust_rename(
    node: str,
    name: str,
    data: Path | None,
    new_id: str | None,
    round_: int | None,
    reason: str,
    prompted_by: tuple[str, ...],
    **connection: Any,
) -> None:
    """Give the node NODE the name NAME from this round on.

    The map as of earlier rounds keeps the old name: a node with the new name takes
    the place of the old one, and its links move to it."""
    _adjust(
        data,
        connection,
        round_,
        lambda m, k: adjust.rename_node(
            m, k, node, name, reason=reason, prompted_by=prompted_by, new_id=new_id
        ),
    )


#: The commands, for the main ``versterkt`` group.
COMMANDS = (round_group, adjust_group)
