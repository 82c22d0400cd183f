"""The ``versterkt query`` command: the analysts' questions of :mod:`queries`.

Parses the options, asks the one question of the map through the registry
(:func:`queries.answer`), prints its DataFrame with the one renderer
(:mod:`versterkt.output`). The map is a workbook, or a map in Neo4j (``--uri``): then
the database answers in Cypher, with the same output. Errors are printed by the main
group (:mod:`versterkt.errors`): a bad node id or option exits 2, a Neo4j that cannot
be reached 1.
"""

from __future__ import annotations

import inspect
from pathlib import Path
from typing import Any

import click

from graph import schema
from queries import QUERIES
from queries.knoppen import SamplingReport
from queries.loops import LongerLoops
from versterkt.errors import UsageLine
from versterkt.language import current_lang, say
from versterkt.options import WorkbookPath, ask, read_options
from versterkt.output import format_option, render


@click.command()
@click.argument("name", type=click.Choice(sorted(QUERIES)), metavar="NAME")
@click.argument("data", required=False, type=WorkbookPath())
@click.option("--target", "--to", "target", help="help.query.target")
@click.option("--source", "--from", "source", help="help.query.source")
@click.option("--depth", "max_depth", type=int, help="help.option.max_depth")
@click.option("--max-length", type=int, help="help.option.max_length")
@click.option("--round", "as_of_round", type=int, help="help.option.as_of_round")
@click.option(
    "--kind",
    "kinds",
    multiple=True,
    type=click.Choice(list(schema.LINK_KINDS)),
    help="help.option.kinds",
)
@click.option("--session", help="help.option.session")
@click.option("--group", type=click.Choice(schema.GROUPS), help="help.option.group")
@read_options
@format_option
@click.pass_context
def query(
    ctx: click.Context,
    name: str,
    data: Path | None,
    fmt: str,
    uri: str | None,
    user: str | None,
    password: str | None,
    database: str | None,
    map_id: str | None,
    **options: Any,
) -> None:
    """Answer a question about the map: NAME is one of the questions below.

    \b
    influence     chains of influence into --target (default: the map's outcome),
                  or out of --source; --depth
    paths         every path --from a node --to another; --max-length, --kind
    leverage      factors by their effect on --target, and who can adjust them
    knoppen       factors by how often each moves --target most, over sampled
                  weights, with intervals; who can adjust them
    archetypes    candidate system archetypes (fixes that fail...) and their roles
    loops         feedback loops, reinforcing or balancing; --max-length
    statements    statements by priority votes; --session
    social-map    who works on each factor
    evidence      sources, quotes, sessions and reviews behind each link
    perspectives  what each group's quotes and reviews are about; --group
    status        each link's status from the groups' verdicts (also: versterkt status)
    agenda        what to test next (also: versterkt agenda)
    consensus     how far every group agrees, per link and per statement

    Without DATA, the bundled Vleuten dataset; with --uri, a map in Neo4j, where the
    database answers in Cypher. Most questions take --round. What changed between two
    rounds has its own command: versterkt diff A B.
    """
    given = {key: value for key, value in options.items() if value not in (None, ())}
    _check_options(ctx, name, QUERIES[name], given)
    connection = {
        "uri": uri,
        "user": user,
        "password": password,
        "database": database,
        "map_id": map_id,
    }
    result = ask(name, data, connection, **given)
    if name == "archetypes" and fmt == "table" and not result.empty:
        result = _archetype_words(result, current_lang())
    click.echo(render(result, fmt), nl=False)
    note = _note(result)
    if name == "leverage" and fmt == "table" and not result.empty:
        note = _leverage_note(result, given.get("target"))
    if note:
        click.echo(say("cli.note", note=note), err=True)


def _archetype_words(found: Any, lang: str) -> Any:
    """The archetypes' names and their roles in ``lang`` (the codes stay in csv and json)."""
    from graph.catalogue import texts

    words = texts("archetype", lang)

    def role(item: str) -> str:
        code, _, node = item.partition("=")
        return f"{words['roles'].get(code, code)}={node}"

    return found.assign(
        archetype=found["archetype"].map(lambda a: words["names"].get(a, a)),
        roles=found["roles"].map(lambda roles: [role(r) for r in roles]),
    )


def _leverage_note(found: Any, target: str | None) -> str:
    """What the leverage table measures and how it orders equal effects, and how many
    factors it still cannot tell apart."""
    target = target or say("cli.diff_the_outcome")
    note = say("cli.leverage_measures", target=target)
    level = found.assign(actors=found["adjusted_by"].map(len)).groupby(
        ["effect", "actors"], dropna=False
    )
    tied = sum(len(group) for _, group in level if len(group) > 1)
    if tied:
        note += " " + say("cli.leverage_tied", n=tied)
    return note


def _note(result: Any) -> str | None:
    """What the answer leaves out or how sure it is, in the command's language: the
    loops past the length bound, or the sampling of the knoppen."""
    longer = result.attrs.get("longer_loops")
    if isinstance(longer, LongerLoops) and (longer.count or not longer.complete):
        if not longer.complete:
            return say("cli.longer_loops_uncounted", n=longer.count, max=longer.max_length)
        code = "cli.longer_loops_one" if longer.count == 1 else "cli.longer_loops_many"
        return say(code, n=longer.count, longest=longer.longest, max=longer.max_length)
    report = result.attrs.get("report")
    if isinstance(report, SamplingReport):
        from views.leverage import sampling_note

        return sampling_note(report, report.target, current_lang())
    return None


def _check_options(ctx: click.Context, name: str, function: Any, given: dict[str, Any]) -> None:
    """Fail on an option the question does not take, or a missing one it needs."""
    parameters = list(inspect.signature(function).parameters.values())[1:]
    accepted = {p.name for p in parameters}
    flags = {p.name: "/".join(p.opts) for p in ctx.command.params if p.name}
    for key in given:
        if key not in accepted:
            raise UsageLine(say("cli.usage.not_for_question", option=flags[key], name=name))
    for p in parameters:
        if p.default is inspect.Parameter.empty and p.name not in given:
            if p.name not in flags:  # the rounds A and B of the questions of what changed
                raise UsageLine(say("cli.usage.two_rounds", name=name))
            raise UsageLine(say("cli.usage.question_needs", name=name, option=flags[p.name]))
