"""The model-based test with the pages opened: after random rounds of the cycle, each
page of the session bundle opens in headless Chromium with no console error, no page
error and no request outside the bundle (see :mod:`tests.model_based`)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from hypothesis.stateful import precondition, rule, run_state_machine_as_test

from tests.model_based import RoundOfTheCycle, bounded
from views.bundle import VIEW_FILES, write_bundle


def test_every_page_opens_cleanly_after_rounds_of_the_cycle(
    open_page: Callable[..., Any], tmp_path: Path
) -> None:
    opened: list[int] = []

    class WithPages(RoundOfTheCycle):
        @precondition(lambda self: len(self.m.adjustments) > 0 or len(self.m.reviews) > 0)
        @rule()
        def open_every_page(self) -> None:
            bundle = write_bundle(self.m, tmp_path / f"sessie-{len(opened)}")
            for name in ("index.html", *VIEW_FILES):
                view = open_page(bundle.folder / name, allow_dir=bundle.folder)
                view.assert_clean()
                view.context.close()
            opened.append(len(opened))

    run_state_machine_as_test(
        WithPages,
        settings=bounded(4, 10),
    )
    assert opened, "no sequence reached a changed map: the pages were never opened"
