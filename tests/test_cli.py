"""The command line: exit codes and output, pinned."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import click
import openpyxl
import pytest
from click.testing import CliRunner

from loaders import EXAMPLE_CYCLE, VLEUTEN, load_map
from tests.test_views_page import page_data
from versterkt.cli import main

# these tests read the commands' English sentences
pytestmark = pytest.mark.usefixtures("english_output")


@pytest.fixture
def run():
    runner = CliRunner()

    def invoke(*args: str):
        return runner.invoke(main, [str(a) for a in args], catch_exceptions=False)

    return invoke


def test_validate_the_bundled_data(run) -> None:
    result = run("validate")
    assert result.exit_code == 0
    assert result.output == f"{VLEUTEN}: valid (37 elements, 31 links on the map)\n"


def test_validate_reports_errors_and_exits_1(run, tmp_path: Path) -> None:
    folder = tmp_path / "kapot"
    shutil.copytree(VLEUTEN, folder)
    path = folder / "actoren.csv"
    path.write_text(path.read_text("utf-8").replace(",groep,", ",grop,", 1), encoding="utf-8")
    result = run("validate", folder)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (
        f'{folder}/actoren.csv:2:soort: unknown value "grop" (did you mean "groep"?); '
        'allowed: "groep", "organisatie"\n'
        "1 error; nothing was loaded.\n"
    )


def test_info_lists_what_is_in_the_map(run) -> None:
    result = run("info")
    assert result.exit_code == 0
    assert result.output == (
        "Vleuten Versterkt: prestatiedruk onder jongeren [vleuten]\n"
        "  actor                8\n"
        "  factor              12\n"
        "  initiative           1\n"
        "  place                1\n"
        "  statement            6\n"
        "  session              4\n"
        "  source               1\n"
        "  quote                4\n"
        "  influences          13\n"
        "  can adjust           2\n"
        "  runs                 2\n"
        "  cooperates with      1\n"
        "  located at           1\n"
        "  addresses            1\n"
        "  round                1\n"
        "  vote                 6\n"
    )


def test_template_writes_headers_and_dropdowns(run, tmp_path: Path) -> None:
    out = tmp_path / "werkboek.xlsx"
    result = run("template", "--out", out)
    assert result.exit_code == 0
    assert result.output == f"Wrote {out}. Fill it in, then run: versterkt validate {out}\n"
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames[0] == "uitleg"
    assert [c.value for c in wb["actoren"][1]][:3] == ["id", "naam", "soort"]
    lists = {
        str(dv.sqref).split(":")[0]: dv.formula1
        for dv in wb["relaties"].data_validations.dataValidation
    }
    assert lists["E2"] == '"+,-"'
    assert "beïnvloedt" in lists["D2"]
    # the empty template is itself a valid, empty workbook
    assert run("validate", out).exit_code == 0


def test_convert_between_forms(run, tmp_path: Path) -> None:
    xlsx = tmp_path / "vleuten.xlsx"
    assert run("convert", "--out", xlsx).exit_code == 0
    folder = tmp_path / "terug"
    assert run("convert", xlsx, "--out", folder).exit_code == 0
    assert load_map(folder) == load_map(VLEUTEN)


def test_the_command_line_counts_what_the_map_page_counts(run, tmp_path: Path) -> None:
    # A quote's links to what it is about and where it was said are drawn: they count.
    page = tmp_path / "kaart.html"
    result = run("map", "--out", page)
    drawn = page_data(page.read_text(encoding="utf-8"))
    assert (len(drawn["nodes"]), len(drawn["edges"])) == (37, 31)
    counted = "37 elements, 31 links on the map"
    assert result.output == f"Wrote {page} ({counted}). Open it in a browser.\n"
    out = tmp_path / "vleuten.xlsx"
    assert run("convert", "--out", out).output == f"Wrote {out} ({counted}).\n"

    # What is not on the map is said apart: retired, or not yet there in the round drawn.
    later = load_map(EXAMPLE_CYCLE / "ronde-2")
    result = run("map", EXAMPLE_CYCLE / "ronde-2", "--out", page)
    drawn = page_data(page.read_text(encoding="utf-8"))
    assert (len(drawn["nodes"]), len(drawn["edges"])) == (28, 22)
    assert (len(later.graph), later.link_count(derived=True)) == (28, 25)
    assert "(28 elements, 22 links on the map; 3 links retired)" in result.output
    result = run("map", EXAMPLE_CYCLE / "ronde-2", "--round", 1, "--out", page)
    drawn = page_data(page.read_text(encoding="utf-8"))
    assert (len(drawn["nodes"]), len(drawn["edges"])) == (27, 20)
    assert "(27 elements, 20 links on the map in round 1; " in result.output
    assert "1 element and 5 links not in that round)" in result.output


def test_invalid_data_writes_nothing(run, tmp_path: Path) -> None:
    folder = tmp_path / "kapot"
    shutil.copytree(VLEUTEN, folder)
    (folder / "relaties.csv").rename(folder / "relatie.csv")
    for command in (
        ["map", folder, "--out", tmp_path / "kaart.html"],
        ["convert", folder, "--out", tmp_path / "uit.xlsx"],
    ):
        result = run(*command)
        assert result.exit_code == 1
        assert 'unknown sheet "relatie" (did you mean "relaties"?)' in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kapot"]


def test_missing_data_path_is_a_usage_error(run, tmp_path: Path) -> None:
    result = run("info", tmp_path / "nergens")
    assert result.exit_code == 2
    assert "does not exist" in result.stderr


def test_every_command_has_help(run) -> None:
    names = main.list_commands(click.Context(main))
    assert {"validate", "info", "map", "query", "present", "db"} <= set(names)
    for name in names:
        command = main.get_command(click.Context(main), name)
        assert command is not None and command.help, f"{name} has no help"
        result = run(name, "--help")
        assert result.exit_code == 0
        assert result.output.startswith(f"Usage: main {name}")


def every_command(group: click.Group, path: tuple[str, ...] = ()):
    """Each command and subcommand, by the words that call it."""
    ctx = click.Context(group)
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        assert command is not None
        yield (*path, name), command
        if isinstance(command, click.Group):
            yield from every_command(command, (*path, name))


def test_every_subcommand_and_option_says_what_it_does(run) -> None:
    commands = dict(every_command(main))
    assert ("round", "open") in commands and ("adjust", "add-link") in commands
    for words, command in commands.items():
        assert command.help, f"versterkt {' '.join(words)} has no help"
        for param in command.params:
            if isinstance(param, click.Option):
                assert param.help, f"versterkt {' '.join(words)} {param.opts[0]} has no help"
        assert run(*words, "--help").exit_code == 0


@pytest.mark.parametrize("command", [["map"], ["present"], ["round", "open"]])
def test_commands_that_draw_the_map_show_an_example(run, command: list[str]) -> None:
    assert f"versterkt {' '.join(command)} werkboek.xlsx" in run(*command, "--help").output


def test_a_large_map_says_it_is_being_drawn_on_stderr(
    run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("versterkt.options.SLOW_DRAWING_ELEMENTS", 10)
    result = run("map", "--out", tmp_path / "kaart.html")
    assert result.stderr == "Drawing 37 elements and 31 links: this takes a while...\n"
    assert result.stdout.startswith(f"Wrote {tmp_path / 'kaart.html'}")
    monkeypatch.setattr("versterkt.options.SLOW_DRAWING_ELEMENTS", 37)
    assert run("map", "--out", tmp_path / "kaart.html").stderr == ""


@pytest.mark.parametrize(
    "command",
    [
        ["info"],
        ["map", "--out", "kaart.html"],
        ["present", "--out", "bundel"],
        ["status"],
        ["diff", "1", "2"],
        ["agenda"],
        ["review-form", "--round", "1", "--out", "formulier.xlsx"],
    ],
)
def test_a_read_command_refuses_data_and_uri_together(command: list[str], tmp_path) -> None:
    # The workbook would otherwise be ignored without a word; nothing is written.
    runner = CliRunner()
    with runner.isolated_filesystem(temp_dir=tmp_path):
        result = runner.invoke(
            main, [*command, str(VLEUTEN), "--uri", "bolt://127.0.0.1:1", "--password", "x"]
        )
        assert result.exit_code == 2, result.output
        assert "give DATA or --uri, not both" in result.output
        assert not list(Path().iterdir())


@pytest.mark.parametrize(
    "command",
    [["info"], ["status"], ["query", "leverage"], ["--help"], ["map", "--out", "kaart.html"]],
)
def test_output_to_a_reader_that_stopped_ends_quietly(command: list[str], tmp_path: Path) -> None:
    # versterkt info | head -3: the reader has gone; no error line, no traceback.
    read, write = os.pipe()
    os.close(read)
    try:
        done = subprocess.run(
            [sys.executable, "-m", "versterkt", *command],
            stdout=write,
            stderr=subprocess.PIPE,
            cwd=tmp_path,
            timeout=300,
        )
    finally:
        os.close(write)
    assert done.stderr.decode() == ""
    assert done.returncode == 1
