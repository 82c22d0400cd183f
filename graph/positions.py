"""Positions kept with the map: where each node stands on the drawn map.

A map keeps the position of a node (a row of its ``posities`` sheet, see
:meth:`graph.SystemMap.positions`) so that the map, drawn again from this workbook
or a later one, puts that node where the room saw it. A kept position is never
changed here: :func:`keep_positions` adds positions for nodes that have none.
Computing them is the views' work (:func:`views.map.keep_map_positions`).

>>> from graph import SystemMap
>>> m = SystemMap("demo")
>>> m.add_node("Factor", "a", "A", level="persoon", role="bron")
>>> m.add_node("Factor", "b", "B", level="persoon", role="bron")
>>> keep_positions(m, {"a": (1.5, -2.0)})
['a']
>>> keep_positions(m, {"a": (9.0, 9.0), "b": (0.0, 3.0)}), m.positions()
(['b'], {'a': (1.5, -2.0), 'b': (0.0, 3.0)})
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from graph.errors import MapError, UnknownNode, said, unknown
from graph.model import SystemMap

__all__ = ["Position", "keep_positions"]

Position = tuple[float, float]


def keep_positions(m: SystemMap, positions: Mapping[str, Position]) -> list[str]:
    """Keep ``positions`` (node id -> (x, y)) in ``m`` for the nodes that have none kept.

    Positions already kept stay as they are. Returns the ids of the nodes whose
    position was added, in the order given. Every check comes first: an unknown node
    or a position that is not a pair of finite numbers changes nothing.
    """
    kept = m.positions()
    new: dict[str, Position] = {}
    for node_id, position in positions.items():
        if node_id not in m.graph:
            raise unknown(UnknownNode, "node", node_id, m.graph)
        x, y = (float(v) for v in position)
        if not (math.isfinite(x) and math.isfinite(y)):
            raise MapError(said("positions.not_finite", node=repr(node_id)))
        if node_id not in kept:
            new[node_id] = (x, y)
    for node_id, (x, y) in new.items():
        m.add_record("positions", element=node_id, x=x, y=y)
    return list(new)
