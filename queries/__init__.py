"""Queries: the analysts' questions, answered on a SystemMap.

One module per family of questions. Each question is a function of the map that
returns a pandas DataFrame with documented columns and a deterministic row order, so
that the same question asked in Cypher of the Neo4j store gives the same rows.
Unless a round is asked for (``as_of_round``), only what is on the map now counts:
retired nodes and links (those with a ``round_out``) are left out.

:data:`QUERIES` names the main question of each family, as the ``versterkt query``
command knows them. Bad input raises :class:`QueryError` with a message that names
the problem.

>>> from loaders import load_map; m = load_map()
>>> sorted(QUERIES)
['evidence', 'influence', 'leverage', 'loops', 'paths', 'perspectives', 'social-map', \
'statements']
>>> QUERIES["influence"](m, target="prestatiedruk", max_depth=2)["source"].tolist()[:2]
['druk-leeftijdsgenoten', 'imago-vmbo']
>>> try:
...     QUERIES["influence"](m, target="prestatiedrk")
... except QueryError as e:
...     print(e)
unknown node 'prestatiedrk' (did you mean 'prestatiedruk'?)
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from queries import (
    evidence,
    influence,
    leverage,
    loops,
    paths,
    perspectives,
    social_map,
    statements,
)
from queries._common import QueryError

__all__ = [
    "QUERIES",
    "QueryError",
    "evidence",
    "influence",
    "leverage",
    "loops",
    "paths",
    "perspectives",
    "social_map",
    "statements",
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
}
