"""The package as it is installed: its data inside it, its imports declared."""

from __future__ import annotations

import ast
import importlib.metadata
import re
import sys
import tomllib
from pathlib import Path

import loaders
from loaders import EXAMPLE_CYCLE, VLEUTEN

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
#: The packages the wheel installs (their sub-packages aside).
FIND = PYPROJECT["tool"]["setuptools"]["packages"]["find"]
PACKAGES = [p for p in FIND["include"] if "." not in p]


def _distribution(requirement: str) -> str:
    """The normalised distribution name of a requirement such as ``neo4j>=6,<7``."""
    name = re.match(r"[A-Za-z0-9._-]+", requirement)
    assert name, requirement
    return re.sub(r"[-_.]+", "-", name.group()).lower()


def _imported_modules(package: str) -> set[str]:
    """The top-level modules that the code of ``package`` imports."""
    found = set()
    for path in (ROOT / package).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Import):
                found |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                found.add(node.module.split(".")[0])
    return found


def test_the_bundled_data_lives_inside_the_package() -> None:
    package = Path(loaders.__file__).resolve().parent
    for folder in (VLEUTEN, EXAMPLE_CYCLE):
        assert folder.is_dir() and folder.resolve().is_relative_to(package), folder
    assert (VLEUTEN / "relaties.csv").is_file()
    assert (EXAMPLE_CYCLE / "ronde-2" / "relaties.csv").is_file()


def test_every_library_the_code_imports_is_a_declared_dependency() -> None:
    declared = {_distribution(r) for r in PYPROJECT["project"]["dependencies"]}
    providers = importlib.metadata.packages_distributions()
    imported = set().union(*(_imported_modules(p) for p in PACKAGES))
    outside = imported - set(sys.stdlib_module_names) - set(PACKAGES) - {"__future__"}
    assert outside, "no third-party imports found: the scan is broken"
    undeclared = {
        module: providers.get(module, ["?"])
        for module in sorted(outside)
        if not {_distribution(d) for d in providers.get(module, [])} & declared
    }
    assert undeclared == {}
