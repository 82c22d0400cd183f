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
from graph.vocabulary import LinkKind
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
            raise click.BadParameter(
                say("cli.usage.set_form", value=repr(value)), param_hint="--set"
            )
        cells[header.strip().lower()] = text
    return cells


#: Options that several adjust commands share.
_new_link_cells = click.option(
    "--set",
    "cells",
    multiple=True,
    metavar="COLUMN=VALUE",
    help="help.option.cells",
)
_node_cells = click.option(
    "--set",
    "cells",
    multiple=True,
    metavar="COLUMN=VALUE",
    help="help.adjust.add-node.cells",
)
_link_cells = click.option(
    "--set",
    "cells",
    multiple=True,
    metavar="COLUMN=VALUE",
    help="help.adjust.add-link.cells",
)
_new_id = click.option("--new-id", help="help.option.new_id")


def _adjust_options(f: F) -> F:
    """--round, --reason and --after, and where the map is, for every adjustment."""
    for option in reversed(
        [
            click.option(
                "--round",
                "round_",
                type=int,
                help="help.option.round_",
            ),
            click.option(
                "--open-round",
                "open_as",
                metavar="NAME",
                help="help.option.open_as",
            ),
            click.option("--reason", required=True, help="help.option.reason"),
            click.option(
                "--after",
                "prompted_by",
                multiple=True,
                metavar="REVIEW",
                help="help.option.prompted_by",
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
    pass


@round_group.command("open")
@read_data_argument
@click.option("--name", required=True, help="help.round.open.name")
@click.option("--session", help="help.round.open.session")
@click.option("--origin", help="help.option.origin")
@click.option("--note", help="help.option.note")
@change_options
def round_open(
    data: Path | None,
    name: str,
    session: str | None,
    origin: str | None,
    note: str | None,
    **connection: Any,
) -> None:
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
    pass


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
    fields = fields_from_cells("relaties", _cells(cells))
    try:
        value = None if weight == "unknown" else float(weight.replace(",", "."))
    except ValueError:
        raise click.BadParameter(
            say("cli.usage.not_a_number", value=repr(weight)), param_hint="WEIGHT"
        ) from None
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
    help="help.adjust.add-node.kind",
)
@click.option("--name", required=True, help="help.option.name")
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
@click.option("--from", "source", required=True, help="help.option.source")
@click.option("--to", "target", required=True, help="help.option.target")
@click.option(
    "--kind",
    type=Words(LINK_KIND_WORDS),
    default=LinkKind.INFLUENCES,
    show_default=True,
    help="help.option.kind",
)
@click.option("--sign", type=click.Choice(schema.SIGNS), help="help.option.sign")
@click.option("--weight", type=float, help="help.option.weight")
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
@click.option("--node", "nodes", multiple=True, required=True, help="help.option.nodes")
@click.option("--into", required=True, help="help.option.into")
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
@click.option("--new-id", help="help.adjust.rename.new_id")
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
