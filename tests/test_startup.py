"""The command starts at once: it imports what a command needs only when it runs."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

from versterkt.cli import COMMANDS, main

HEAVY = ("pandas", "neo4j", "pyvis", "networkx", "numpy", "openpyxl", "jinja2", "rustworkx")


def imported_after(*args: str) -> set[str]:
    """The heavy libraries a fresh interpreter has imported after ``versterkt ARGS``."""
    probe = (
        "import json, sys\n"
        "from versterkt.cli import main\n"
        "try:\n"
        f"    main({list(args)!r}, prog_name='versterkt')\n"
        "except SystemExit as e:\n"
        "    assert not e.code, e.code\n"
        f"print(json.dumps([m for m in {HEAVY!r} if m in sys.modules]), file=sys.stderr)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=120, check=True
    )
    return set(json.loads(done.stderr.strip().splitlines()[-1]))


def test_the_command_list_imports_no_library() -> None:
    assert imported_after("--help") == set()


def test_a_command_help_does_not_import_what_only_running_it_needs() -> None:
    for command in ("info", "map"):
        assert imported_after(command, "--help") & {"pandas", "neo4j", "pyvis"} == set()


def test_info_reads_the_map_without_pandas_the_driver_or_pyvis() -> None:
    imported = imported_after("info")
    assert "networkx" in imported  # the map was read
    assert imported & {"pandas", "neo4j", "pyvis"} == set()


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_listed_help_is_the_first_sentence_of_each_command_help(lang: str) -> None:
    from graph.catalogue import message

    result = CliRunner().invoke(main, ["--lang", lang, "--help"], terminal_width=80)
    listed = result.output.split(message("help.heading.Commands", lang) + ":\n", 1)[1]
    lines = {line.split()[0]: line.split(None, 1)[1] for line in listed.splitlines()}
    assert sorted(lines) == sorted(COMMANDS)
    for name, line in lines.items():
        first = message(f"help.{name}", lang).replace("\n", " ")
        assert first.startswith(line.removesuffix("...")), f"{name}: the list says {line!r}"


def test_the_command_list_shows_every_command_with_its_line() -> None:
    command = [sys.executable, "-m", "versterkt", "--lang", "en", "--help"]
    result = subprocess.run(command, capture_output=True, text=True, check=True)
    listed = result.stdout.split("Commands:\n", 1)[1].splitlines()
    assert [line.split()[0] for line in listed] == sorted(COMMANDS)
    assert "  info           Show what is in the map: nodes, links and records per kind." in listed
