"""Queries: the analysts' questions, answered on a SystemMap or in Cypher on Neo4j.

One module per family of questions. Each question is a function of the map that
returns a pandas DataFrame with documented columns and a deterministic row order, so
that the same question asked in Cypher of the Neo4j store gives the same rows.
Unless a round is asked for (``as_of_round``), only what is on the map now counts:
retired nodes and links (those with a ``round_out``) are left out. As of round k, the
map is the one put to the test in round k, and the reviews that count are those of
the rounds before k: round k's own reviews count from round k + 1 on.

:data:`QUERIES` names the main question of each family, and the questions of the
cycle (status, diff, agenda...), as the command line knows them: one registry, a name
to a function, that a new family joins with one line. Bad input raises
:class:`QueryError` (or one of its kinds in :mod:`graph.errors`) with a message that
names the problem.

:func:`answer` asks one of them of either backend: a SystemMap, or a
:class:`graph.store.Neo4jStore`, where :mod:`queries.cypher` answers it in Cypher and
gives the same DataFrame. :mod:`queries.cypher` has the Cypher counterpart of every
question of every family, by the same name.

>>> from loaders import load_map; m = load_map()
>>> sorted(QUERIES)
['agenda', 'archetypes', 'consensus', 'diff', 'evidence', 'influence', 'knoppen', \
'leverage', 'leverage-moves', 'loop-moves', 'loops', 'paths', 'perspectives', 'social-map', \
'statements', 'status']
>>> QUERIES["influence"](m, target="prestatiedruk", max_depth=2)["source"].tolist()[:2]
['druk-leeftijdsgenoten', 'imago-vmbo']
>>> try:
...     QUERIES["influence"](m, target="prestatiedrk")
... except QueryError as e:
...     print(e)
unknown node 'prestatiedrk' (did you mean 'prestatiedruk'?)
>>> answer("influence", m, source="individualisme", max_depth=1)["target"].tolist()
['prestatiedruk']
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pandas as pd

from graph import SystemMap
from graph.cycle import resolve_map
from graph.errors import said
from queries import (
    agenda,
    archetypes,
    changes,
    consensus,
    cypher,
    evidence,
    influence,
    knoppen,
    leverage,
    loops,
    paths,
    perspectives,
    scenarios,
    social_map,
    statements,
    status,
)
from queries._common import QueryError, unknown

if TYPE_CHECKING:
    from graph.store import Neo4jStore

__all__ = [
    "QUERIES",
    "agenda",
    "archetypes",
    "changes",
    "consensus",
    "QueryError",
    "answer",
    "cypher",
    "evidence",
    "influence",
    "knoppen",
    "leverage",
    "loops",
    "paths",
    "perspectives",
    "scenarios",
    "social_map",
    "statements",
    "status",
]

#: The main question of each family, by the name the ``versterkt query`` command uses.
QUERIES: dict[str, Callable[..., pd.DataFrame]] = {
    "influence": influence.influence,
    "paths": paths.all_paths,
    "leverage": leverage.leverage_points,
    "loops": loops.loops,
    "statements": statements.statement_ranking,
    "social-map": social_map.by_factor,
    "evidence": evidence.link_evidence,
    "perspectives": perspectives.group_emphasis,
    "status": status.link_status,
    "diff": changes.diff,
    "leverage-moves": changes.leverage_moves,
    "loop-moves": changes.loop_moves,
    "agenda": agenda.agenda,
    "knoppen": knoppen.knoppen,
    "archetypes": archetypes.archetypes,
    "consensus": consensus.consensus,
}


# knoppen and archetypes are computed in their own families, which read the store
# through queries.cypher: their Neo4j answers join its registry here, where both are
# known, so that queries.cypher need not import them back.
cypher.QUERIES["knoppen"] = knoppen.stored_knoppen
cypher.QUERIES["archetypes"] = archetypes.stored_archetypes


def answer(
    name: str,
    map_or_store: SystemMap | Neo4jStore,
    /,
    *,
    map_id: str | None = None,
    **options: Any,
) -> pd.DataFrame:
    """The answer to the question ``name`` (a key of :data:`QUERIES`) about a map.

    Parameters
    ----------
    name : str
        ``"influence"``, ``"paths"``, ``"leverage"``...
    map_or_store : SystemMap or graph.store.Neo4jStore
        The map itself, or the store that holds it: then the question is answered in
        Cypher by the database (:mod:`queries.cypher`), with the same result.
    map_id : str, optional
        Which map of the store; by default the only one. With a SystemMap, its own id
        or None (another id is an unknown map, as in a store).
    **options
        The options of the question, as its function takes them (``target``,
        ``max_depth``, ``as_of_round``...).

    Raises
    ------
    QueryError
        For an unknown question, node or map, or a bad option.

    Examples
    --------
    >>> from loaders import load_map
    >>> answer("loops", load_map(), max_length=4).empty
    True

    On Neo4j, with a store from :func:`graph.store.open_store`::

        answer("influence", store, map_id="vleuten", target="stress")
    """
    if name not in QUERIES:
        raise unknown("question", name, QUERIES)
    if isinstance(map_or_store, SystemMap):
        resolve_map([map_or_store.id], map_id, said("cycle.where.workbook"))
        return QUERIES[name](map_or_store, **options)
    return cypher.QUERIES[name](map_or_store, map_id, **options)
