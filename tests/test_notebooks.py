"""The analysts' notebooks run top to bottom and are stored without outputs."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb"))


def uses_neo4j(path: Path) -> bool:
    """A notebook whose code opens the store talks to a Neo4j server."""
    nb = nbformat.read(path, as_version=4)
    return any("graph.store" in c.source for c in nb.cells if c.cell_type == "code")


RUNS = [
    pytest.param(
        path,
        id=path.stem,
        marks=[pytest.mark.notebooks, *([pytest.mark.neo4j] if uses_neo4j(path) else [])],
    )
    for path in NOTEBOOKS
]


def test_there_are_notebooks() -> None:
    assert len(NOTEBOOKS) >= 1


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_is_stored_without_outputs(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, cell.source[:60]


@pytest.mark.parametrize("path", RUNS)
def test_notebook_runs_top_to_bottom(path: Path, request, monkeypatch) -> None:
    if uses_neo4j(path):
        # The Neo4j notebook reads NEO4J_URI like any user's shell would.
        monkeypatch.setenv("NEO4J_URI", request.getfixturevalue("neo4j_uri"))
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
    )
    client.execute()  # raises CellExecutionError naming the failing cell
    outputs = [o for cell in nb.cells if cell.cell_type == "code" for o in cell.outputs]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    if "show_map(" in "".join(c.source for c in nb.cells):
        html = [o["data"]["text/html"] for o in outputs if "text/html" in o.get("data", {})]
        maps = [h for h in html if h.startswith("<iframe srcdoc=")]
        assert maps, "the map is not shown inline"
        for h in maps:  # everything inline: no script or style loaded from elsewhere
            assert "src=&quot;http" not in h and "href=&quot;http" not in h
