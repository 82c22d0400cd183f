"""``versterkt sessie``: run a live session on this laptop, or put its answers into the
map afterwards. Thin glue over :mod:`sessie.run` and :mod:`sessie.app`."""

from __future__ import annotations

import socket
from pathlib import Path
from typing import Any

import click

from graph.catalogue import message
from loaders.review_form import add_form_reviews
from versterkt.language import current_lang, say
from versterkt.options import change_map, change_options, connect, source_map, where

__all__ = ["sessie"]


def _address() -> str:
    """This laptop's address on its network (its hotspot's, say); no packet is sent."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            s.connect(("10.255.255.255", 1))
            return str(s.getsockname()[0])
        except OSError:
            return "127.0.0.1"


@click.command()
@click.argument(
    "data", required=False, type=click.Path(exists=True, path_type=Path), metavar="[DATA]"
)
@click.option(
    "--journal",
    type=click.Path(dir_okay=False, path_type=Path),
    help="help.option.journal",
)
@click.option("--session", help="help.sessie.session")
@click.option("--round", "round_", type=int, help="help.sessie.round_")
@click.option(
    "--links", type=click.IntRange(0), default=5, show_default=True, help="help.sessie.links"
)
@click.option("--group", "groups", multiple=True, help="help.sessie.groups")
@click.option("--host", default="0.0.0.0", show_default=True, help="help.option.host")
@click.option(
    "--port",
    type=click.IntRange(1, 65535),
    default=8000,
    show_default=True,
    help="help.option.port",
)
@click.option("--address", help="help.option.address")
@click.option(
    "--import",
    "import_only",
    is_flag=True,
    help="help.option.import_only",
)
@change_options
def sessie(
    data: Path | None,
    journal: Path | None,
    session: str | None,
    round_: int | None,
    links: int,
    groups: tuple[str, ...],
    host: str,
    port: int,
    address: str | None,
    import_only: bool,
    **connection: Any,
) -> None:
    from sessie.run import open_session, record_session, save_result, summary

    lang = current_lang()  # what the server says later, from its threads, too

    m = source_map(data, **connection) if not import_only or journal is None else None
    if journal is None:
        assert m is not None
        from sessie.session import session_plan

        chosen = session_plan(m, round=round_, session=session, links=0)["session"]
        journal = Path(f"sessie-{m.id}-{chosen}.sqlite")
    if import_only:
        if not journal.exists():
            raise click.UsageError(f"no journal {journal}: nothing to import")
        j, _ = open_session(journal, None)
        path = save_result(j)
        found = change_map(data, connection, lambda m: add_form_reviews(m, path), "recorded")
        done = summary(found, where(data, connection), lang)
        click.echo(say("sessie.imported_from", summary=done, path=path))
        return
    assert m is not None
    options = {"round": round_, "session": session, "links": links, "groups": groups}
    j, resumed = open_session(journal, m, **options)

    def record() -> str:
        if connection.get("uri"):
            with connect(**connection) as store:
                found = record_session(j, store=store, map_id=connection.get("map_id"))
                return summary(found, place, lang)
        return summary(record_session(j, workbook=data), place, lang)

    def keep() -> str:  # the bundled map is not changed: the answers are kept in a file
        return message("cli.sessie_kept", lang, path=save_result(j))

    if data is not None or connection.get("uri"):
        place, recording = where(data, connection), record
    else:
        recording = keep
    import uvicorn

    from sessie.app import create_app
    from views.map import render_map

    base = f"http://{address or (host if host not in ('0.0.0.0', '::') else _address())}:{port}"
    plan = j.plan
    items, answers = len(plan["items"]), j.answer_count()
    click.echo(
        say(
            "sessie.started",
            session=plan["session"],
            map=plan["map"],
            round=plan["round"],
            items=say("sessie.items_one" if items == 1 else "sessie.items_many", n=items),
            state=say("sessie.resumed" if resumed else "sessie.begun"),
            journal=journal,
            answers=say("sessie.answers_one" if answers == 1 else "sessie.answers_many", n=answers),
        )
    )
    click.echo(say("sessie.projector", url=f"{base}/projector#token={j.token}"))
    click.echo(say("sessie.phones", url=f"{base}/", code=j.code))

    page = render_map(m, lang)
    app = create_app(j, map_page=page, record=recording, join_base=base, lang=lang)
    uvicorn.run(app, host=host, port=port, log_level="warning")
