"""The model of a system map: the schema, the in-memory SystemMap and the Neo4j store."""

from graph import schema
from graph.model import Link, MapError, Node, SystemMap

__all__ = ["Link", "MapError", "Node", "SystemMap", "schema"]
