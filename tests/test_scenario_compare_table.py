"""``versterkt scenario --compare`` as a table: the perspectives side by side, one row
per factor and one column per perspective, agreeing with the stacked csv."""

from __future__ import annotations

import csv
import io
import re

import pytest
from click.testing import CliRunner

from graph.catalogue import number
from loaders import EXAMPLE_CYCLE
from versterkt.cli import main

ROUND_2 = str(EXAMPLE_CYCLE / "ronde-2")
TURN = ["scenario", ROUND_2, "--turn", "meten-en-toetsen=1", "--compare"]
WORDS = {
    "nl": {"up": "omhoog", "down": "omlaag", "unchanged": "ongewijzigd", "turned": "bijgestuurd"},
    "en": {"up": "up", "down": "down", "unchanged": "unchanged", "turned": "turned"},
}
HEADERS = {
    "nl": ["naam", "alle verbanden", "bevestigde verbanden", "ouder", "professional"],
    "en": ["name", "all links", "confirmed links", "ouder", "professional"],
}


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_compare_puts_the_perspectives_side_by_side(
    lang: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("COLUMNS", raising=False)
    runner = CliRunner()
    narrow = runner.invoke(main, [*TURN, "--lang", lang]).output.splitlines()
    assert max(map(len, narrow)) <= 100  # a long name wraps in its cell
    monkeypatch.setenv("COLUMNS", "250")  # a wide terminal: one line per factor
    stacked = list(
        csv.DictReader(io.StringIO(runner.invoke(main, [*TURN, "--format", "csv"]).stdout))
    )
    result = runner.invoke(main, [*TURN, "--lang", lang])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert re.split(r"\s{2,}", lines[0].strip()) == HEADERS[lang]
    factors = list(dict.fromkeys(row["node"] for row in stacked))
    assert len(lines) == 2 + len(factors)  # one line per factor, not one per perspective
    perspectives = list(dict.fromkeys(row["perspective"] for row in stacked))
    assert len(perspectives) == len(HEADERS[lang]) - 1
    for line, node in zip(lines[2:], factors, strict=True):
        rows = {r["perspective"]: r for r in stacked if r["node"] == node}
        expected = []
        for perspective in perspectives:
            row = rows[perspective]
            word = WORDS[lang][row["direction"]]
            if row["direction"] in ("up", "down"):
                change = float(row["change"])
                word += " " + ("+" if change > 0 else "") + number(change, lang)
            expected.append(word)
        assert line.split("  ")[0] == rows[perspectives[0]]["name"]
        assert re.split(r"\s{2,}", line.strip())[1:] == expected
    # the groups disagree on this map: the table shows it at a glance
    prestatiedruk = next(line for line in lines if line.startswith("Prestatiedruk"))
    assert WORDS[lang]["up"] in prestatiedruk and WORDS[lang]["unchanged"] in prestatiedruk
