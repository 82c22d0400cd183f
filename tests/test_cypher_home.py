"""The project's Cypher has one home: every statement the store writes and reads and
every read of the questions is written in :mod:`graph.cypher`. Elsewhere the code runs
those statements (:mod:`graph.store`) or asks them (:mod:`queries.cypher`), but never
spells one, so a change to the layout in the database is made in one file.

The source is read with :mod:`ast`: every string constant counts (the literal parts of
an f-string too), a docstring does not (it is prose). A string holds Cypher when it
has a keyword that starts a clause of a statement, written as Cypher writes it
(``MATCH (``, ``MERGE (``, ``UNWIND $``, ``CALL {``, ``DETACH DELETE``...).

One exception, named here: ``benchmarks/load.py`` measures the store's load against a
naive load (one CREATE per element) and against ``LOAD CSV``. Those two are the
comparison's own Cypher, not the project's, and are never run by the project itself.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from tests.test_vocabulary_literals import docstrings

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("graph", "loaders", "queries", "views", "versterkt", "sessie", "benchmarks")
HOME = ROOT / "graph" / "cypher.py"
#: The files allowed Cypher of their own besides the home, and why.
EXCEPTIONS = {
    ROOT / "benchmarks" / "load.py": "the naive load and LOAD CSV it measures the store against",
}

#: Keywords that start a clause of a statement, as Cypher is written (upper case).
CLAUSE = re.compile(
    r"\b(?:OPTIONAL MATCH|MATCH|MERGE|CREATE) \("
    r"|\bMATCH \w+ = "
    r"|\bUNWIND \$"
    r"|\bCALL \(\w*(?:, ?\w+)*\) ?\{"
    r"|\bCALL \{"
    r"|\bDETACH DELETE\b"
    r"|\bCREATE CONSTRAINT\b"
    r"|\bCREATE (?:RANGE |TEXT |POINT |FULLTEXT )?INDEX \w+ (?:IF NOT EXISTS )?FOR\b"
    r"|\bIF NOT EXISTS FOR \("
    r"|\bSHOW (?:CONSTRAINTS|INDEXES)\b"
    r"|\bLOAD CSV WITH\b"
    r"|^\s*RETURN \w"
)


def cypher_strings(source: str) -> list[tuple[int, str]]:
    """Each string constant of ``source`` that holds Cypher: (line, its first 60
    characters)."""
    tree = ast.parse(source)
    prose = docstrings(tree)
    return [
        (node.lineno, " ".join(node.value.split())[:60])
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in prose
        and CLAUSE.search(node.value)
    ]


def sources() -> list[Path]:
    """The project's Python that is not a test."""
    return sorted(path for package in PACKAGES for path in (ROOT / package).rglob("*.py"))


@pytest.mark.parametrize(
    "text",
    [
        "MATCH (n:Node {map: $map}) RETURN n",
        "OPTIONAL MATCH (a)-[r]->(b) WHERE r.map = $map",
        "MERGE (m:Map {id: $map}) SET m._lock = true",
        "UNWIND $rows AS row MATCH (n) WHERE elementId(n) = row.eid SET n = row.props",
        "MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS",
        "CALL () { UNWIND $known AS eid RETURN collect(eid) AS known }",
        "CALL { MATCH (n) RETURN n }",
        "CREATE CONSTRAINT map_id IF NOT EXISTS FOR (m:Map) REQUIRE m.id IS UNIQUE",
        "_map_id IF NOT EXISTS FOR ()-[r:",
        "CREATE INDEX node_seq IF NOT EXISTS FOR (n:Node) ON (n.seq)",
        "\nMATCH p = (s)-[:INFLUENCES*1..3]->(t)",
        "RETURN 1 AS ok",
        "SHOW CONSTRAINTS YIELD name RETURN name",
        "LOAD CSV WITH HEADERS FROM 'file:///a.csv' AS row",
    ],
)
def test_a_statement_is_seen_as_cypher(text: str) -> None:
    assert cypher_strings(f"x = {text!r}\n") == [(1, " ".join(text.split())[:60])]


def test_prose_and_docstrings_are_not_cypher() -> None:
    source = (
        '"""A module that shows MATCH (n) RETURN n in its docstring."""\n'
        "def f():\n"
        '    """Also here: UNWIND $rows AS row."""\n'
        '    return "the match (of a round) and a return to the map"\n'
        'label = "Map (the node) and return values"\n'
        # SQL, as the live session's journal writes it
        'sql = "CREATE TABLE IF NOT EXISTS t (k TEXT); CREATE INDEX IF NOT EXISTS i ON t (k)"\n'
    )
    assert cypher_strings(source) == []


def test_the_literal_part_of_an_f_string_counts() -> None:
    source = 'kind = "X"\ntext = f"MATCH (a)-[r:{kind}]->(b) RETURN r"\n'
    assert cypher_strings(source) == [(2, "MATCH (a)-[r:")]


def test_the_home_holds_the_statements_of_the_store_and_of_the_questions() -> None:
    found = cypher_strings(HOME.read_text(encoding="utf-8"))
    # the store's constraints, locks and reads, and the questions' reads, at least
    assert len(found) >= 30
    assert any(text.startswith("CREATE CONSTRAINT") for _, text in found)
    assert any(text.startswith("MERGE (m:Map") for _, text in found)
    assert any("Record:Review" in text for _, text in found)


def test_the_project_spells_cypher_only_in_its_home() -> None:
    elsewhere = {
        str(path.relative_to(ROOT)): found
        for path in sources()
        if path != HOME and path not in EXCEPTIONS
        for found in [cypher_strings(path.read_text(encoding="utf-8"))]
        if found
    }
    assert elsewhere == {}


def test_each_exception_still_holds_cypher_of_its_own() -> None:
    # an exception that no longer needs to be one is taken off the list
    for path, why in EXCEPTIONS.items():
        assert cypher_strings(path.read_text(encoding="utf-8")), why
