"""``python -m versterkt``: the same as the ``versterkt`` command."""

from versterkt.cli import main

main(prog_name="versterkt")
