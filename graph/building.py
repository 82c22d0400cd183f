"""Building many small objects at once, as a load of a large workbook or the writing
of its map page does, without Python's cycle collector scanning them as they grow.
"""

from __future__ import annotations

import functools
import gc
from collections.abc import Callable
from typing import ParamSpec, TypeVar

__all__ = ["without_cycle_collection"]

P = ParamSpec("P")
R = TypeVar("R")


def without_cycle_collection(build: Callable[P, R]) -> Callable[P, R]:
    """Run ``build`` with Python's cycle collector paused.

    A large map, and the page of one, are made of hundreds of thousands of small
    dicts, lists and tuples, none of them garbage in a cycle; the collector would scan
    all of them (and the whole map) several times while they are made, a tenth or
    more of the time of a load or of a 2,000-node map's page. Nothing is kept from
    collection: it runs again afterwards, as it was.
    """

    @functools.wraps(build)
    def paused(*args: P.args, **kwargs: P.kwargs) -> R:
        enabled = gc.isenabled()
        gc.disable()
        try:
            return build(*args, **kwargs)
        finally:
            if enabled:
                gc.enable()

    return paused
