"""The model of a system map: the schema, the in-memory SystemMap, the rules of the
cycle (:mod:`graph.cycle`), the adjust step (:mod:`graph.adjust`), the library's errors
(:mod:`graph.errors`) and the Neo4j store.

The SystemMap (and networkx under it) is loaded when it is first asked for, so that
what needs only the schema, the errors or the message catalogue (a command's
``--help``) starts without it.
"""

from typing import TYPE_CHECKING, Any

# The catalogue phrases the library's messages (graph.errors.phrase): loaded with graph.
from graph import catalogue as _catalogue  # noqa: F401
from graph import schema
from graph.errors import MapError, VersterktError

if TYPE_CHECKING:
    from graph.model import Link, Node, SystemMap

__all__ = ["Link", "MapError", "Node", "SystemMap", "VersterktError", "schema"]


def __getattr__(name: str) -> Any:
    if name in ("Link", "Node", "SystemMap"):
        from graph import model

        return getattr(model, name)
    raise AttributeError(f"module 'graph' has no attribute {name!r}")
