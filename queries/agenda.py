"""What to test next: the one agenda of the cycle, for the command line, a notebook and
the session page alike.

>>> from loaders import load_map; m = load_map()
>>> top = agenda(m).iloc[0]
>>> top["statement"], top["reasons"]
('Druk vanuit leeftijdsgenoten vergroot prestatiedruk', ['nog niet getoetst', \
'rust op één bron', 'op een keten naar Prestatiedruk (via Druk vanuit leeftijdsgenoten, \
effect 1)'])
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import pandas as pd

from graph import SystemMap
from graph.errors import NoOutcome
from graph.vocabulary import LinkKind, Status
from queries._common import check_link_kinds, frame
from queries.consensus import link_consensus
from queries.influence import drivers_in
from queries.leverage import leverage_points_in
from queries.phrasing import agenda_reason, describe_link
from queries.source import MapSource, Source
from queries.status import TESTED_KINDS, status_rows_in

__all__ = [
    "AGENDA_COLUMNS",
    "agenda",
    "agenda_in",
    "agenda_rows",
    "link_leverage",
    "link_leverage_in",
]

#: Columns (name: dtype) of :func:`agenda`.
AGENDA_COLUMNS = {
    "priority": "int64",
    "link": "object",
    "kind": "object",
    "source": "object",
    "target": "object",
    "statement": "object",
    "status": "object",
    "groups": "object",
    "leverage": "Float64",
    "reasons": "object",
}


def link_leverage(
    m: SystemMap, as_of_round: int | None, target: str, max_depth: int
) -> dict[str, tuple[float, str]]:
    """For each link on a chain of influence into ``target`` (or a knob on a factor
    with an effect on it): the largest effect it carries, and the factor's name."""
    return link_leverage_in(MapSource(m), as_of_round, target, max_depth)


def link_leverage_in(
    source: Source, as_of_round: int | None, target: str, max_depth: int
) -> dict[str, tuple[float, str]]:
    """As :func:`link_leverage`, over a :class:`queries.source.Source`."""
    points = leverage_points_in(source, target, max_depth, as_of_round=as_of_round)
    effects: dict[str, tuple[float, str]] = {
        factor: (abs(float(effect)), name)
        for factor, effect, name in zip(
            points["factor"].tolist(),
            points["effect"].tolist(),
            points["name"].tolist(),
            strict=True,
        )
        if not pd.isna(effect) and effect != 0
    }
    best: dict[str, tuple[float, str]] = {}

    def offer(link_id: str, factor: str) -> None:
        effect, name = effects[factor]
        # the largest effect; between equal effects the factor first by name
        if link_id not in best or (-effect, name) < (-best[link_id][0], best[link_id][1]):
            best[link_id] = (effect, name)

    chains = drivers_in(source, target, max_depth, as_of_round=as_of_round)
    for start, links in zip(chains["source"], chains["links"], strict=True):
        if start in effects:
            for link_id in links:
                offer(link_id, start)
    knobs = source.link_ends((LinkKind.CAN_ADJUST,), as_of_round).links
    for key, (_actor, factor, _) in knobs.items():
        if factor in effects:
            offer(key, factor)
    return best


def agenda_rows(
    status: Iterable[Mapping[str, Any]],
    leverage: Mapping[str, tuple[float, str]],
    target_name: str | None,
    kinds: Sequence[str],
    *,
    phrased: int | None = None,
) -> list[dict[str, Any]]:
    """The agenda from status rows (:func:`graph.cycle.status_rows`, or
    :func:`queries.status.status_rows_in`) and the leverage of each link
    (:func:`link_leverage`): shared by both backends.

    ``phrased`` puts only the first rows into words, for a page that shows only
    those: the later ones have ``statement`` None and no ``reasons``.
    """
    rows = []
    status = list(status)
    for link, (score, _, divided) in zip(status, link_consensus(status), strict=True):
        if link["kind"] not in kinds:
            continue
        status_, tier = link["status"], 9
        reasons: list[tuple[str, dict[str, Any]]] = []
        deciding = [*link["agreeing"], *link["disagreeing"]]
        if status_ == Status.CONTESTED:
            reasons.append(
                ("contested", {"agreeing": link["agreeing"], "disagreeing": link["disagreeing"]})
            )
            tier = 1
        elif divided:
            # the groups' latest positions agree, but their votes lean different ways
            reasons.append(("divided", {"consensus": score}))
            tier = 1
        elif link["reviews"] == 0:
            reasons.append(("untested", {}))
            tier = 2
        elif status_ == Status.HYPOTHESIS:
            reasons.append(("undecided", {}))
            tier = 2
        elif len(deciding) == 1:
            reasons.append(("one group", {"status": status_, "group": deciding[0]}))
            tier = 3
        if link["source_count"] <= 1 and status_ != Status.REJECTED:
            reasons.append(("one source" if link["source_count"] else "no source", {}))
            tier = min(tier, 4)
        if not reasons:
            continue
        effect, factor = leverage.get(link["link"], (None, None))
        if effect is not None:
            reason = "knob" if link["kind"] == LinkKind.CAN_ADJUST else "chain"
            reasons.append((reason, {"factor": factor, "effect": effect, "target": target_name}))
        rows.append(
            {
                "link": link["link"],
                "kind": link["kind"],
                "source": link["source"],
                "target": link["target"],
                "statement": None,  # put into words below, once the order is known
                "status": status_,
                "groups": list(link["groups"]),
                "leverage": effect,
                "reasons": reasons,
                "_tier": tier,
                "_row": link,
            }
        )
    rows.sort(key=lambda r: (r["leverage"] is None, -(r["leverage"] or 0), r["_tier"], r["link"]))
    for i, r in enumerate(rows, start=1):
        r["priority"] = i
        del r["_tier"]
        row = r.pop("_row")
        if phrased is None or i <= phrased:
            r["statement"] = describe_link(row)
            r["reasons"] = [agenda_reason(code, **values) for code, values in r["reasons"]]
        else:
            r["reasons"] = []
    return rows


def agenda(
    m: SystemMap,
    as_of_round: int | None = None,
    *,
    target: str | None = None,
    max_depth: int = 4,
    kinds: Sequence[str] = TESTED_KINDS,
) -> pd.DataFrame:
    """The links to put to the next session, most important first, each with its reasons.

    A link of ``kinds`` on the map goes on the agenda when it is **betwist**, or
    **divides the groups** by their votes (one group leans eens, another oneens:
    :mod:`queries.consensus`) while their latest positions do not; **not yet
    tested**; tested **without a verdict** (only neutraal or aanvulling);
    bevestigd or verworpen by **one group only**; or when it **rests on one source**
    or none (unless it is verworpen: a rejected link waits to be retired, not to be
    tested again). Links on chains of influence with a large effect on ``target``
    come first (the effect of :func:`queries.leverage.leverage_points` of the
    strongest factor whose chains run through the link, or that the link is a knob
    on); then betwist, untested and undecided, one group, one source; then by id.

    Parameters
    ----------
    m : SystemMap
    as_of_round : int, optional
        The agenda for the session of this round, from the map as of the round
        (:func:`graph.cycle.map_as_of`). By default the agenda for the next session:
        the map as it is now, every review counted.
    target : str, optional
        The outcome whose chains come first; by default the map's outcome
        (:func:`graph.cycle.outcome`). A map without an outcome gets its agenda
        without leverage.
    max_depth : int
        The longest chain counted, in links.
    kinds : sequence of str
        The link kinds to test.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`AGENDA_COLUMNS`: ``priority`` (1 first), ``link``, ``kind``,
        ``source``, ``target``, ``statement`` (the link as a Dutch sentence),
        ``status``, ``groups`` (that reviewed it), ``leverage`` (the effect behind
        its place; empty when it is on no chain into ``target``) and ``reasons`` (in
        Dutch).
    """
    return agenda_in(MapSource(m), as_of_round, target=target, max_depth=max_depth, kinds=kinds)


def agenda_in(
    source: Source,
    as_of_round: int | None = None,
    *,
    target: str | None = None,
    max_depth: int = 4,
    kinds: Sequence[str] = TESTED_KINDS,
) -> pd.DataFrame:
    """As :func:`agenda`, over a :class:`queries.source.Source`: a SystemMap or the map
    in Neo4j (:func:`queries.cypher.agenda`)."""
    source.check_round(as_of_round)
    check_link_kinds(kinds)
    try:
        target = source.outcome(target, as_of_round)
    except NoOutcome:
        leverage, target_name = {}, None  # no outcome: ordered without leverage
    else:
        leverage = link_leverage_in(source, as_of_round, target, max_depth)
        target_name = source.name(target)
    rows = agenda_rows(status_rows_in(source, as_of_round), leverage, target_name, kinds)
    return frame(rows, AGENDA_COLUMNS)
