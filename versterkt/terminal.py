"""Text from the data, made safe to print on a terminal.

A name, a remark or a proposal comes from a workbook, a review form or a saved
session: it may hold control characters, and an escape sequence among them would
drive the terminal (colour the rest of the screen, move the cursor, set the window
title, or hide the text after it). Everything the command line prints from the data
goes through :func:`printable`, which shows each such character as a visible escape;
a command to copy is quoted by :func:`shell_command`, which keeps it exact.

>>> printable("Stress\\x1b[31m rood")
'Stress\\\\x1b[31m rood'
>>> shell_command(["versterkt", "adjust", "add-factor", "--name", "A\\x1b]0;x\\x07"])
"versterkt adjust add-factor --name $'A\\\\x1b]0;x\\\\x07'"
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterable

__all__ = ["json_printable", "printable", "shell_command"]

# C0 and C1 control characters and DEL, and the bidirectional controls that reorder
# what a terminal shows (line breaks and tabs are kept where a text may have them).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_CONTROL_IN_LINE = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _escape(match: re.Match[str]) -> str:
    ch = match.group()
    named = {"\n": "\\n", "\t": "\\t", "\r": "\\r"}
    if ch in named:
        return named[ch]
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str, *, one_line: bool = False) -> str:
    """``text`` with every control character shown as an escape (``\\x1b``), so that
    printing it never drives the terminal; ``one_line`` escapes line breaks and tabs
    too (for a cell of a table or a line of a message)."""
    pattern = _CONTROL_IN_LINE if one_line else _CONTROL
    return pattern.sub(_escape, text)


def json_printable(text: str) -> str:
    """JSON text with every control character as a ``\\u`` escape (json.dumps leaves
    DEL, the C1 controls and the bidirectional ones as they are): the same JSON, safe
    to print.

    >>> json_printable('["a\x9bb"]')
    '["a\\\\u009bb"]'
    """
    return _CONTROL_IN_LINE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def shell_command(words: Iterable[str]) -> str:
    """A command line to copy: each word quoted for a POSIX shell, a word with
    control characters as ``$'...'`` with escapes (bash, zsh), so the command stays
    exactly the one meant and printing it drives no terminal."""
    out = []
    for word in words:
        if _CONTROL_IN_LINE.search(word):
            inner = _CONTROL_IN_LINE.sub(_escape, word.replace("\\", "\\\\").replace("'", "\\'"))
            out.append(f"$'{inner}'")
        else:
            out.append(shlex.quote(word))
    return " ".join(out)
