"""Load errors: each one names the file, the row and the column a person can find.

They are defined with the library's other errors in :mod:`graph.errors` (one module
holds the whole hierarchy) and named here too, where the loaders raise them.
"""

from __future__ import annotations

from graph.errors import (
    MAX_HINT_CHOICES,
    CannotWrite,
    LoadError,
    WorkbookInvalid,
    WorkbookWarning,
    WouldOverwrite,
    did_you_mean,
)

__all__ = [
    "MAX_HINT_CHOICES",
    "CannotWrite",
    "LoadError",
    "WorkbookInvalid",
    "WorkbookWarning",
    "WouldOverwrite",
    "did_you_mean",
]
