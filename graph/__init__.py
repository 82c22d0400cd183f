"""The model of a system map: the schema, the in-memory SystemMap, the rules of the
cycle (:mod:`graph.cycle`), the adjust step (:mod:`graph.adjust`), the library's errors
(:mod:`graph.errors`) and the Neo4j store."""

# The catalogue phrases the library's messages (graph.errors.phrase): loaded with graph.
from graph import catalogue as _catalogue  # noqa: F401
from graph import schema
from graph.errors import MapError, VersterktError
from graph.model import Link, Node, SystemMap

__all__ = ["Link", "MapError", "Node", "SystemMap", "VersterktError", "schema"]
