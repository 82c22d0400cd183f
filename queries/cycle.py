"""The questions of the cycle in one import, for notebooks: ``from queries import cycle``.

The rules live in :mod:`graph.cycle` (rounds, the round rule, the status rule, the map
as of a round) and :mod:`graph.adjust` (the adjust step); the questions in
:mod:`queries.status`, :mod:`queries.changes` and :mod:`queries.agenda`, their Dutch
in :mod:`queries.phrasing`. This module only gathers their names.

>>> from loaders import load_map; m = load_map()
>>> link_status(m)["status"].unique().tolist()
['hypothese']
"""

from graph.adjust import (
    add_link,
    add_node,
    merge_nodes,
    open_round,
    rename_node,
    resign_link,
    retire_link,
    retire_node,
    reweight_link,
)
from graph.cycle import map_as_of, rounds, status_from_positions
from queries.agenda import AGENDA_COLUMNS, agenda
from queries.changes import (
    CHANGES,
    DIFF_COLUMNS,
    LEVERAGE_MOVE_COLUMNS,
    LOOP_MOVE_COLUMNS,
    diff,
    leverage_moves,
    loop_moves,
)
from queries.phrasing import link_statement
from queries.status import LINK_STATUS_COLUMNS, TESTED_KINDS, link_status

__all__ = [
    "AGENDA_COLUMNS",
    "CHANGES",
    "DIFF_COLUMNS",
    "LEVERAGE_MOVE_COLUMNS",
    "LINK_STATUS_COLUMNS",
    "LOOP_MOVE_COLUMNS",
    "TESTED_KINDS",
    "add_link",
    "add_node",
    "agenda",
    "diff",
    "leverage_moves",
    "link_statement",
    "link_status",
    "loop_moves",
    "map_as_of",
    "merge_nodes",
    "open_round",
    "rename_node",
    "resign_link",
    "retire_link",
    "retire_node",
    "reweight_link",
    "rounds",
    "status_from_positions",
]
