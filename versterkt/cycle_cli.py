"""The commands of the cycle: test a round's links, record the verdicts, see what changed.

``review-form`` writes the reactieformulier for a round, ``review-import`` records a
filled-in form in the workbook, ``status`` shows each link's status, ``diff`` what
changed between two rounds and why, ``agenda`` what to test next. Each parses its
options, asks the registry (:func:`queries.answer`, through
:func:`versterkt.options.ask`) or :mod:`loaders.review_form`, and prints the result
with the one renderer. With ``--uri`` the map is in Neo4j, where ``status``, ``diff``
and ``agenda`` run their round filters and review counts in Cypher.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from graph import schema
from graph.catalogue import message
from graph.errors import NoOutcome
from loaders.review_form import add_form_reviews, write_review_form
from loaders.session_file import Proposal
from versterkt.errors import UsageLine
from versterkt.language import current_lang, say
from versterkt.options import (
    ask,
    change_map,
    change_options,
    read_data_argument,
    read_options,
    source_map,
    where,
)
from versterkt.output import format_option, records, render
from versterkt.terminal import json_printable, shell_command

__all__ = ["COMMANDS", "agenda", "diff", "review_form", "review_import", "status"]


@click.command("review-form")
@read_data_argument
@click.option("--round", "round_", type=int, required=True, help="help.review-form.round_")
@click.option(
    "--out",
    "-o",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="help.review-form.out",
)
@click.option(
    "--group",
    "groups",
    multiple=True,
    type=click.Choice(schema.GROUPS),
    help="help.review-form.groups",
)
@click.option(
    "--link",
    "links",
    multiple=True,
    help="help.option.links",
)
@read_options
def review_form(
    data: Path | None,
    round_: int,
    out: Path,
    groups: tuple[str, ...],
    links: tuple[str, ...],
    **connection: Any,
) -> None:
    m = source_map(data, **connection)
    path = write_review_form(
        m, round_, out, groups or schema.GROUPS, links=list(links) if links else None
    )
    target = f"--uri {connection['uri']}" if connection.get("uri") else (data or "WORKBOOK")
    click.echo(
        say(
            "cli.wrote_review_form",
            path=path,
            round=round_,
            groups=", ".join(groups or schema.GROUPS),
            command=f"versterkt review-import {path} {target}",
        )
    )


@click.command("review-import")
@click.argument("form", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@read_data_argument
@click.option("--session", help="help.review-import.session")
@change_options
def review_import(form: Path, data: Path | None, session: str | None, **connection: Any) -> None:
    result = change_map(data, connection, lambda m: add_form_reviews(m, form, session), "recorded")
    new, old = len(result.new), len(result.recorded)
    place = where(data, connection)
    if result.records:
        counted = ", ".join(
            f"{len(rows)} in {schema.RECORD_TABLES[table].sheet}"
            for table, rows in result.records.items()
        )
        click.echo(say("cli.counts_recorded", place=place, counted=counted))
    if not new and not old:
        if not result.records:
            click.echo(say("cli.no_verdicts", form=form))
    elif not new:
        click.echo(say("cli.nothing_new", old=old, form=form, place=place))
    else:
        recorded = say(f"cli.reviews_recorded_{'one' if new == 1 else 'many'}", n=new, place=place)
        click.echo(recorded + (say("cli.already_recorded", old=old) if old else "."))
    if result.proposals:
        target = ["--uri", connection["uri"]] if connection.get("uri") else [str(data)]
        n = len(result.proposals)
        click.echo("\n" + say(f"cli.proposals_{'one' if n == 1 else 'many'}", n=n))
        for proposal in result.proposals:
            click.echo(shell_command(["versterkt", "adjust", *adjust_args(proposal), *target]))


def adjust_args(proposal: Proposal) -> list[str]:
    """The arguments after ``versterkt adjust`` that make ``proposal`` (the workbook or
    ``--uri`` still to be added): in the latest round, or, when the groups have just
    tested it, in the next round, opened by the first command run.

    >>> adjust_args(Proposal("sign", "ouder", 1, link="inv-a-b", sign="-"))
    ['sign', 'inv-a-b', '-', '--reason', 'voorstel van ouder (ronde 1)', \
'--open-round', 'Na ronde 1']
    """
    if proposal.kind == "link":
        args = ["add-link", str(proposal.new_id), "--from", str(proposal.source)]
        args += ["--to", str(proposal.target)]
        if proposal.sign:
            args += ["--sign", proposal.sign]
    elif proposal.kind == "sign":
        args = ["sign", str(proposal.link), proposal.sign or "unknown"]
    else:
        args = ["add-node", str(proposal.new_id), "--kind", "factor", "--name", str(proposal.name)]
    return [*args, "--reason", proposal.reason(), "--open-round", proposal.round_name()]


@click.command()
@read_data_argument
@click.option(
    "--round",
    "round_",
    type=int,
    help="help.status.round_",
)
@read_options
@format_option
def status(data: Path | None, round_: int | None, fmt: str, **connection: Any) -> None:
    answer = ask("status", data, connection, as_of_round=round_)
    columns = [c for c in answer.columns if c not in ("source", "target")]
    click.echo(render(answer, fmt, columns), nl=False)


@click.command()
@click.argument("a", type=int)
@click.argument("b", type=int)
@read_data_argument
@click.option(
    "--show",
    type=click.Choice(["all", "changes", "leverage", "loops"]),
    default="all",
    show_default=True,
    help="help.option.show",
)
@click.option("--target", help="help.diff.target")
@read_options
@format_option
def diff(
    a: int, b: int, data: Path | None, show: str, target: str | None, fmt: str, **connection: Any
) -> None:
    if fmt == "csv" and show == "all":
        raise UsageLine(say("cli.usage.csv_one_table"))
    wanted = ["changes", "leverage", "loops"] if show == "all" else [show]
    questions = {
        "changes": ("diff", {}),
        "leverage": ("leverage-moves", {"target": target}),
        "loops": ("loop-moves", {}),
    }
    answers = {}
    for part in wanted:
        name, options = questions[part]
        try:
            answers[part] = ask(name, data, connection, a=a, b=b, **options)
        except NoOutcome:
            if show != "all":
                raise
            # the other parts need no outcome: say why the knoppen are left out
            click.echo(say("cli.note", note=say("cli.no_outcome_diff")), err=True)
    if fmt == "json" and show == "all":
        click.echo(
            json_printable(
                json.dumps(
                    {part: records(answer) for part, answer in answers.items()},
                    ensure_ascii=False,
                    default=str,
                )
            )
        )
        return
    from queries.phrasing import phrase

    lang = current_lang()
    on = target or message("cli.diff_the_outcome", lang)
    headings = {
        "changes": message("cli.diff_changes", lang, a=a, b=b),
        "leverage": message("cli.diff_leverage", lang, target=on, a=a, b=b),
        "loops": message("cli.diff_loops", lang, a=a, b=b),
    }
    if fmt == "table" and "changes" in answers:
        # the verdicts behind a status change, in the command's language
        answers["changes"] = answers["changes"].assign(
            reason=answers["changes"]["reason"].map(
                lambda r: None if r is None else phrase(r, lang)
            )
        )
    table_columns = {
        "changes": ["change", "item", "description", "before", "after", "reason"],
        "leverage": None,
        "loops": ["change", "members", "polarity"],
    }
    for i, (part, answer) in enumerate(answers.items()):
        if show == "all":
            click.echo(("\n" if i else "") + headings[part])
        click.echo(render(answer, fmt, table_columns[part]), nl=False)


@click.command()
@read_data_argument
@click.option(
    "--round",
    "round_",
    type=int,
    help="help.agenda.round_",
)
@click.option(
    "--target",
    help="help.agenda.target",
)
@read_options
@format_option
def agenda(
    data: Path | None, round_: int | None, target: str | None, fmt: str, **connection: Any
) -> None:
    answer = ask("agenda", data, connection, as_of_round=round_, target=target)
    if fmt == "table":
        # a table is read by people: its status and reasons in the command's language;
        # csv and json keep the library's words
        from queries.phrasing import phrase

        lang = current_lang()
        answer = answer.assign(
            status=answer["status"].map(lambda s: message(f"word.{s}", lang)),
            reasons=answer["reasons"].map(lambda rs: [phrase(r, lang) for r in rs]),
        )
    click.echo(
        render(answer, fmt, ["priority", "link", "statement", "status", "reasons"]), nl=False
    )


#: The commands, for the main ``versterkt`` group.
COMMANDS = (review_form, review_import, status, diff, agenda)
