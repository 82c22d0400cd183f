"""The workbook's words work on the command line: a link kind as the relaties sheet
writes it (``kan bijsturen``), a node kind as its sheet is called (``factoren``)."""

from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner

from loaders import EXAMPLE_CYCLE, load_map
from versterkt.cli import main


def test_adjust_takes_the_workbooks_words_for_kinds(tmp_path: Path, english_output: None) -> None:
    data = Path(shutil.copytree(EXAMPLE_CYCLE / "ronde-2", tmp_path / "werkboek"))
    run = CliRunner().invoke
    result = run(
        main,
        [
            "adjust",
            "add-node",
            "nieuw",
            str(data),
            "--kind",
            "Factoren",
            "--name",
            "Nieuwe factor",
            "--reason",
            "genoemd door ouders",
        ],
    )
    assert result.exit_code == 0, result.output
    result = run(
        main,
        [
            "adjust",
            "add-link",
            "k-nieuw",
            str(data),
            "--from",
            "ouders",
            "--to",
            "nieuw",
            "--kind",
            "kan bijsturen",
            "--reason",
            "een knop",
        ],
    )
    assert result.exit_code == 0, result.output
    m = load_map(data)
    assert m.node("nieuw").kind == "Factor"
    assert m.link("k-nieuw").kind == "CAN_ADJUST"

    before = sorted(p.name for p in data.iterdir())
    result = run(
        main,
        [
            "adjust",
            "add-link",
            "k-x",
            str(data),
            "--from",
            "ouders",
            "--to",
            "nieuw",
            "--kind",
            "kan sturen",
            "--reason",
            "r",
        ],
    )
    assert result.exit_code == 2
    assert "'kan sturen' is not one of" in result.output and "'kan bijsturen'" in result.output
    assert sorted(p.name for p in data.iterdir()) == before
