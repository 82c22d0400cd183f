"""The ``versterkt`` command-line interface."""
