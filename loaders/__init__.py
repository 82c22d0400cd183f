"""Reading and writing workbooks: validation with FILE:ROW:COLUMN errors.

>>> from loaders import load_map, VLEUTEN
>>> m = load_map(VLEUTEN)
>>> m.id, m.node("prestatiedruk").name
('vleuten', 'Prestatiedruk')
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from graph import SystemMap, schema
from graph.building import without_cycle_collection
from graph.progress import report
from loaders.errors import LoadError, WorkbookInvalid, WorkbookWarning
from loaders.read import read_workbook
from loaders.validate import build_map, validate_workbook
from loaders.write import recover, write_csv_folder, write_template, write_xlsx


def _bundled(name: str) -> Path:
    """The folder of a dataset that ships inside this package, wherever it is installed."""
    folder = resources.files(__name__) / "data" / name
    if not isinstance(folder, Path):  # a zipped install: the files are not on disk
        raise RuntimeError(f"the bundled data {name!r} is not on disk; install versterkt unzipped")
    return folder


#: The task :func:`load_map` reports (:mod:`graph.progress`): read, checked, built.
LOADING = "loading the workbook"

#: The bundled Vleuten dataset, built from the kick-off report.
VLEUTEN = _bundled("vleuten")
#: The worked example of one round of the cycle, invented for illustration.
EXAMPLE_CYCLE = _bundled("voorbeeld-cyclus")


@without_cycle_collection
def load_map(path: str | Path = VLEUTEN) -> SystemMap:
    """Read and validate a workbook (``.xlsx`` or a folder of ``.csv``) into a SystemMap.

    Raises :class:`WorkbookInvalid` listing every error; nothing is built then.
    """
    p = Path(path)
    recover(p)  # a folder a stopped write took away is back first
    report(LOADING, 0, 3)
    raw = read_workbook(p)
    report(LOADING, 1, 3)
    rows = validate_workbook(raw)
    report(LOADING, 2, 3)
    m = build_map(rows, default_id=_default_id(p))
    report(LOADING, 3, 3)
    return m


def validate(path: str | Path = VLEUTEN) -> list[LoadError]:
    """Every error in the workbook at ``path``; an empty list when it is valid."""
    try:
        load_map(path)
    except WorkbookInvalid as e:
        return e.errors
    return []


def write_workbook(m: SystemMap, path: str | Path) -> Path:
    """Write ``m`` to ``path``: an ``.xlsx`` file, or else a folder of ``.csv`` files."""
    p = Path(path)
    if p.suffix.lower() == ".xlsx":
        return write_xlsx(m, p)
    write_csv_folder(m, p)
    return p


def _default_id(p: Path) -> str:
    from loaders.validate import slug_hint

    hint = slug_hint(p.stem if p.suffix else p.name)[: schema.MAX_ID_LENGTH].lstrip("._-")
    return hint if hint and schema.id_problem(hint) is None else "kaart"


__all__ = [
    "EXAMPLE_CYCLE",
    "VLEUTEN",
    "LoadError",
    "WorkbookInvalid",
    "WorkbookWarning",
    "load_map",
    "validate",
    "write_csv_folder",
    "write_template",
    "write_workbook",
    "write_xlsx",
]
