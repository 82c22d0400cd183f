"""Progress on long work: the library tells how far it is, the command line draws a bar
on a terminal (standard error) and nothing at all when the output is piped."""

from __future__ import annotations

import io
import os
import pty
import select
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from graph.generate import generated_map
from graph.progress import listening
from loaders import VLEUTEN, load_map, write_workbook
from versterkt.cli import main
from versterkt.progress import Bar
from views.bundle import write_bundle

# these tests read the commands' English sentences
pytestmark = pytest.mark.usefixtures("english_output")


def test_the_bundle_tells_how_many_of_its_pages_are_drawn(tmp_path: Path) -> None:
    heard: list[tuple[str, int, int | None]] = []
    with listening(lambda task, done, total: heard.append((task, done, total))):
        write_bundle(load_map(VLEUTEN), tmp_path / "bundel")
    pages = [(done, total) for task, done, total in heard if task == "drawing the pages"]
    assert pages == [(k, 6) for k in range(7)]


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_bar_fills_and_is_cleared_when_the_work_is_done() -> None:
    screen = Terminal()
    bar = Bar(screen, delay=0)
    bar("reading the workbook", 0, 4)
    bar("reading the workbook", 1, 4)  # within a tenth of a second: not drawn again
    assert screen.getvalue() == "\rreading the workbook: 0/4 [------------------------] 0%"
    bar.drawn = 0  # as if a tenth of a second went by
    bar("reading the workbook", 2, 4)
    assert screen.getvalue().endswith("\rreading the workbook: 2/4 [############------------] 50%")
    bar.drawn = 0
    bar("reading the workbook", 4, 4)
    done = "reading the workbook: 4/4 [########################] 100%"
    assert screen.getvalue().endswith("\r" + done + "\r" + " " * len(done) + "\r")
    assert bar.width == 0


def test_quick_work_shows_no_bar() -> None:
    screen = Terminal()
    bar = Bar(screen)  # a second must pass before anything is drawn
    bar("drawing the pages", 1, 6)
    assert screen.getvalue() == ""


def test_a_piped_command_prints_no_bar(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["present", str(VLEUTEN), "--out", str(tmp_path / "b")])
    assert result.exit_code == 0, result.output
    assert "\r" not in result.output and "drawing the pages" not in result.output


def test_a_long_command_on_a_terminal_draws_a_bar_then_its_answer(tmp_path: Path) -> None:
    data = write_workbook(generated_map(500, 1000), tmp_path / "stad")
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "versterkt", "present", str(data), "--out", str(tmp_path / "b")],
        stdin=subprocess.DEVNULL,
        stdout=follower,
        stderr=follower,
        env={**os.environ, "COLUMNS": "120"},
    )
    os.close(follower)
    seen = b""
    while True:
        ready, _, _ = select.select([leader], [], [], 120)
        if not ready:
            break
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # the command ended and closed the terminal
            break
        if not chunk:
            break
        seen += chunk
    assert process.wait(timeout=60) == 0, seen
    os.close(leader)
    text = seen.decode("utf-8").replace("\r\n", "\n")  # the terminal's own line ends
    assert "\rdrawing the pages: " in text, text
    # the answer starts on a clean line: the bar was cleared before it
    answer = text[text.rindex("\r") + 1 :]
    assert answer.lstrip().startswith("Wrote "), text


def test_loading_a_workbook_and_drawing_its_map_tell_how_far_they_are() -> None:
    from loaders import LOADING
    from views.map import DRAWING, render_map

    heard: list[tuple[str, int, int | None]] = []
    with listening(lambda task, done, total: heard.append((task, done, total))):
        m = load_map(VLEUTEN)
        render_map(m)
    assert [(done, total) for task, done, total in heard if task == LOADING] == [
        (k, 3) for k in range(4)
    ]
    assert [(done, total) for task, done, total in heard if task == DRAWING] == [
        (k, 4) for k in range(5)
    ]


def test_the_bar_speaks_the_language_of_the_command(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LC_ALL", "nl_NL.UTF-8")
    screen = Terminal()
    Bar(screen, delay=0)("drawing the pages", 3, 6)
    assert screen.getvalue() == "\rpagina's tekenen: 3/6 [############------------] 50%"
    monkeypatch.setenv("LC_ALL", "en_GB.UTF-8")
    screen = Terminal()
    Bar(screen, delay=0)("drawing the pages", 3, 6)
    assert screen.getvalue() == "\rdrawing the pages: 3/6 [############------------] 50%"
    # a task the catalogue does not know is shown as the library names it
    screen = Terminal()
    Bar(screen, delay=0)("counting", 1, 2)
    assert screen.getvalue().startswith("\rcounting: 1/2 ")


def test_the_bar_groups_thousands_as_the_language_does(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LC_ALL", "nl_NL.UTF-8")
    screen = Terminal()
    Bar(screen, delay=0)("drawing the pages", 12_000, 48_000)
    assert screen.getvalue().startswith("\rpagina's tekenen: 12.000/48.000 [######---")
    monkeypatch.setenv("LC_ALL", "en_GB.UTF-8")
    screen = Terminal()
    Bar(screen, delay=0)("drawing the pages", 12_000, None)
    assert screen.getvalue() == "\rdrawing the pages: 12,000"


def test_writing_a_workbook_tells_how_far_it_is(tmp_path: Path) -> None:
    from graph import schema
    from loaders.write import WRITING

    heard: list[tuple[str, int, int | None]] = []
    with listening(lambda task, done, total: heard.append((task, done, total))):
        write_workbook(load_map(VLEUTEN), tmp_path / "kaart.xlsx")
    steps = len(schema.TABLES) + 1  # a sheet each, then saving
    assert [(done, total) for task, done, total in heard if task == WRITING] == [
        (k, steps) for k in range(steps + 1)
    ]
