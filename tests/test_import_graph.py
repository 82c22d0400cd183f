"""The import graph of the packages: no file imports, directly or through others, a
file that imports it back, except the format registry of the interchange readers
(``loaders.interchange`` names each reader, and each reader registers with it).

The graph is built from the source with :mod:`ast`, so nothing is imported and no
import runs its side effects. Every ``import`` counts, also one inside a function
(a deferred import still ties the two files together); only imports under
``if TYPE_CHECKING:`` do not, since they never run.
"""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("graph", "loaders", "queries", "views", "versterkt", "sessie")

#: The interchange readers' format registry: the one circle the design allows.
REGISTRY = "loaders.interchange"
READERS = {"loaders.graphml", "loaders.kumu", "loaders.mentalmodeler", "loaders.prsm"}


def modules() -> dict[str, Path]:
    """Every module of the packages, by its dotted name."""
    found = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            parts = path.relative_to(ROOT).with_suffix("").parts
            if parts[-1] == "__init__":
                parts = parts[:-1]
            found[".".join(parts)] = path
    return found


def _type_checking_only(tree: ast.AST) -> set[int]:
    """The ids of the nodes under an ``if TYPE_CHECKING:``."""
    hidden: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for statement in node.body:
                hidden.update(id(inner) for inner in ast.walk(statement))
    return hidden


def imported(name: str, path: Path, known: dict[str, Path]) -> set[str]:
    """The modules of the packages that the module ``name`` imports when it runs.

    ``from a import b`` imports the module ``a.b`` when there is one, else ``a``
    itself; ``from a.b import c`` imports ``a.b`` (its package runs too, but that is
    Python's doing, not a tie between the two files).
    """
    tree = ast.parse(path.read_text(encoding="utf-8"))
    hidden = _type_checking_only(tree)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    targets: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in hidden:
            continue
        if isinstance(node, ast.Import):
            targets.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                up = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*up, base] if base else up)
            for alias in node.names:
                sub = f"{base}.{alias.name}"
                targets.add(sub if sub in known else base)
    return {target for target in targets if target in known and target != name}


def import_graph() -> nx.DiGraph:
    known = modules()
    graph: nx.DiGraph[str] = nx.DiGraph()
    graph.add_nodes_from(known)
    for name, path in known.items():
        graph.add_edges_from((name, target) for target in imported(name, path, known))
    return graph


def allowed(circle: list[str]) -> bool:
    members = set(circle)
    registry = REGISTRY in members and members - {REGISTRY} <= READERS
    return registry


def test_no_circle_in_the_import_graph_but_the_readers_registry() -> None:
    circles = [sorted(c) for c in nx.simple_cycles(import_graph()) if not allowed(c)]
    assert circles == []


def test_the_graph_sees_a_deferred_import_and_ignores_type_checking_ones() -> None:
    graph = import_graph()
    # views.map writes a page through loaders.write inside a function: a tie all the same.
    assert graph.has_edge("views.map", "loaders.write")
    # queries.cypher names the store under TYPE_CHECKING only: no tie to graph.store.
    assert not graph.has_edge("queries.cypher", "graph.store")
    # graph.model's methods call graph.adjust, which names the model's classes only
    # for the type checker: the model stands above the operations that change it.
    assert graph.has_edge("graph.model", "graph.adjust")
    assert not graph.has_edge("graph.adjust", "graph.model")
    assert not graph.has_edge("graph.cycle", "graph.model")
    # the registry and one of its readers do import each other.
    assert graph.has_edge(REGISTRY, "loaders.kumu")
    assert graph.has_edge("loaders.kumu", REGISTRY)
    # queries.cypher does not import the families that read the store through it.
    assert not graph.has_edge("queries.cypher", "queries.knoppen")
    assert graph.has_edge("queries.knoppen", "queries.cypher")
