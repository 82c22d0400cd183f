"""Maps from other tools that are damaged, hostile or careless: each gives one clear
error line naming the file (and the line or element), never a traceback, and nothing
is dropped, doubled or invented without a word."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lzstring import LZString

from loaders import VLEUTEN, load_map
from loaders.bounded import Unreadable, decompress_utf16
from loaders.errors import WorkbookInvalid
from loaders.interchange import read_map
from loaders.prsm import compress
from loaders.session_file import read_session_file
from tests.test_cycle_example import ROUND_1
from tests.test_toets_import import saved
from versterkt.cli import main

HERE = Path(__file__).parent / "interchange"
DEEP = 3_000


def _import(path: Path, tmp_path: Path, *extra: str) -> tuple[int, list[str]]:
    """``versterkt import`` of ``path``: its exit code and its lines on stderr."""
    result = CliRunner().invoke(
        main, ["import", str(path), "--out", str(tmp_path / "uit.xlsx"), "--lang", "en", *extra]
    )
    assert not isinstance(result.exception, RecursionError | MemoryError)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    return result.exit_code, result.stderr.splitlines()


def _refused(path: Path, tmp_path: Path, *extra: str) -> str:
    """The one error line of an import that is refused."""
    code, lines = _import(path, tmp_path, *extra)
    assert code == 1, lines
    assert "Traceback" not in "\n".join(lines)
    *errors, summary = lines
    assert summary.endswith("nothing was loaded.") or "error" in summary, lines
    assert errors and all(e.startswith(str(path)) for e in errors), lines
    return errors[0]


def _write(path: Path, text: str | bytes) -> Path:
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


# --- nesting, truncation, empty files: one line, no traceback ---------------------------


def _deep_json(key: str) -> str:
    return "{" + f'"{key}": ' + "[" * DEEP + "]" * DEEP + "}"


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("kaart.json", _deep_json("elements")),
        ("kaart.prsm", _deep_json("nodes")),
        ("kaart.mmp", _deep_json("concepts")),
    ],
)
def test_deeply_nested_json_is_one_error_line(tmp_path: Path, name: str, text: str) -> None:
    path = _write(tmp_path / name, text)
    column = text.index("[") + 100  # the 100th bracket, inside the outer brace
    assert _refused(path, tmp_path) == f"{path}:1:{column}: nested more than 100 deep"


def test_deeply_nested_json_in_a_compressed_prsm_is_refused(tmp_path: Path) -> None:
    path = _write(tmp_path / "kaart.prsm", compress(_deep_json("nodes")))
    assert _refused(path, tmp_path).endswith("nested more than 100 deep")


def test_a_deeply_nested_session_file_is_one_error_line(tmp_path: Path) -> None:
    path = _write(tmp_path / "toets.json", _deep_json("entries"))
    with pytest.raises(WorkbookInvalid) as e:
        read_session_file(load_map(VLEUTEN), path)
    assert [str(x) for x in e.value.errors] == [
        f"{path}:1:{_deep_json('entries').index('[') + 100}: not a saved session: nested more "
        "than 100 deep"
    ]


def _deep_graphml() -> str:
    groups = "".join(
        f'<node id="g{i}" yfiles.foldertype="group"><graph id="g{i}:" edgedefault="directed">'
        for i in range(DEEP)
    )
    closing = "</graph></node>" * DEEP
    return (
        '<graphml xmlns="http://graphml.graphdrawing.org/xmlns"><graph edgedefault="directed">'
        f"{groups}{closing}</graph></graphml>"
    )


def _deep_gexf() -> str:
    nodes = "".join(f'<node id="n{i}" label="n{i}"><nodes>' for i in range(DEEP))
    return (
        '<gexf xmlns="http://gexf.net/1.3" version="1.3"><graph defaultedgetype="directed">'
        f"<nodes>{nodes}{'</nodes></node>' * DEEP}</nodes></graph></gexf>"
    )


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("groepen.graphml", _deep_graphml(), "not XML: elements nested more than 256 deep"),
        ("diep.gexf", _deep_gexf(), "not XML: elements nested more than 256 deep"),
        ("leeg.graphml", "", "not XML: empty"),
        ("leeg.gexf", "", "not XML: empty"),
        ("half.graphml", (HERE / "yed-kaart.graphml").read_text()[:1500], "not XML: "),
        ("half.gexf", (HERE / "gephi-kaart.gexf").read_text()[:900], "not XML: "),
        (
            "vreemd.graphml",
            '<graphml xmlns="http://example.org/graphml"><graph edgedefault="directed"/></graphml>',
            "not GraphML: the namespace of <graphml> is not",
        ),
        ("vreemd.gexf", '<gexf xmlns="http://example.org/gexf"><graph/></gexf>', "not GEXF"),
        (
            "hyper.graphml",
            '<graphml xmlns="http://graphml.graphdrawing.org/xmlns"><graph edgedefault="directed">'
            '<node id="a"/><node id="b"/><node id="c"/>\n<hyperedge><endpoint node="a"/>'
            '<endpoint node="b"/><endpoint node="c"/></hyperedge></graph></graphml>',
            "a hyperedge, which is not read",
        ),
    ],
)
def test_damaged_graph_files_are_one_error_line(
    tmp_path: Path, name: str, text: str, message: str
) -> None:
    path = _write(tmp_path / name, text)
    line = _refused(path, tmp_path)
    assert message in line, line


def test_a_truncated_prsm_is_one_error_line(tmp_path: Path) -> None:
    text = (HERE / "prsm-plain.prsm").read_text(encoding="utf-8")
    whole = text if not text.lstrip().startswith("{") else compress(text)
    path = _write(tmp_path / "half.prsm", whole[: len(whole) // 2])
    assert _refused(path, tmp_path) == (
        f"{path}: not a PRSM map: cannot decompress: cut short: the text ends inside the map"
    )


def test_xml_entities_are_refused_not_expanded(tmp_path: Path) -> None:
    lol = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10 if i else "lol"}">' for i in range(9))
    text = (
        f'<?xml version="1.0"?><!DOCTYPE mentalmodeler [{lol}]>'
        "<mentalmodeler><info><name>&l8;</name></info></mentalmodeler>"
    )
    path = _write(tmp_path / "lol.mmp", text)
    assert "declares XML entities" in _refused(path, tmp_path)


# --- the lz-string of a .prsm is unpacked within a limit ----------------------------------


def _lz_bomb(steps: int) -> str:
    """lz-string text that unpacks to 1 + 2 + ... + ``steps`` letters: each code names
    the entry that is being made, the last one plus its first letter."""
    bits: list[int] = []

    def put(value: int, width: int) -> None:
        bits.extend((value >> i) & 1 for i in range(width))

    put(0, 2)
    put(ord("a"), 8)
    size, enlarge_in, width = 4, 4, 3
    for _ in range(steps):
        put(size, width)
        size += 1
        enlarge_in -= 1
        if enlarge_in == 0:
            enlarge_in, width = 2**width, width + 1
    put(2, width)
    bits.extend([0] * (-len(bits) % 15))
    chars = [
        sum(b << (14 - i) for i, b in enumerate(bits[k : k + 15])) for k in range(0, len(bits), 15)
    ]
    return "".join(chr(c + 32) for c in chars) + " "


def test_a_compressed_prsm_that_unpacks_to_gigabytes_is_refused(tmp_path: Path) -> None:
    bomb = _lz_bomb(36_000)  # about 650 million letters
    assert decompress_utf16(_lz_bomb(300)) == "".join("a" * n for n in range(1, 302))
    path = _write(tmp_path / "bom.prsm", bomb)
    assert path.stat().st_size < 120_000
    assert _refused(path, tmp_path) == (
        f"{path}: not a PRSM map: cannot decompress: unpacks to more than 5,242,880 "
        "characters (is it damaged?)"
    )


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=400))
def test_unpacking_gives_back_what_lz_string_packed(text: str) -> None:
    # lz-string, as JavaScript, works on UTF-16: a character beyond it is two units
    units = text.encode("utf-16-le")
    js = "".join(chr(int.from_bytes(units[i : i + 2], "little")) for i in range(0, len(units), 2))
    assert decompress_utf16(LZString.compressToUTF16(js)) == text


@settings(max_examples=60, deadline=None)
@given(st.text(min_size=1, max_size=60))
def test_damaged_lz_string_is_an_error_or_text(text: str) -> None:
    try:
        assert isinstance(decompress_utf16(text), str)
    except Unreadable:
        pass


# --- nothing dropped, doubled or invented without a word ----------------------------------

GRAPHML_HEAD = (
    '<graphml xmlns="http://graphml.graphdrawing.org/xmlns">'
    '<key id="w" for="edge" attr.name="weight" attr.type="double"/>'
)


def test_nodes_of_a_nested_graph_are_read(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "genest.graphml",
        GRAPHML_HEAD + '<graph edgedefault="directed"><node id="buiten"/>'
        '<node id="groep"><graph id="binnen" edgedefault="directed"><node id="a"/><node id="b"/>'
        '<edge source="a" target="b"/></graph></node>'
        '<edge source="buiten" target="a"/></graph></graphml>',
    )
    m, _ = read_map(path)
    assert {n.id for n in m.nodes()} == {"buiten", "groep", "a", "b"}
    assert {(lk.source, lk.target) for lk in m.links()} == {("a", "b"), ("buiten", "a")}


def test_graphml_without_its_namespace_is_read(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "kaal.graphml",
        '<graphml><key id="s" for="edge" attr.name="sign" attr.type="string"/>'
        '<graph edgedefault="directed"><node id="a"/><node id="b"/>'
        '<edge source="a" target="b"><data key="s">-</data></edge></graph></graphml>',
    )
    m, _ = read_map(path)
    assert [(lk.source, lk.target, lk.get("sign")) for lk in m.links()] == [("a", "b", "-")]


def test_a_second_graph_is_refused(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "twee.graphml",
        GRAPHML_HEAD + '<graph edgedefault="directed"><node id="a"/></graph>\n'
        '<graph edgedefault="directed"><node id="b"/></graph></graphml>',
    )
    assert _refused(path, tmp_path) == (
        f"{path}:2: 2 graphs in the file (lines 1, 2): a map is read from one"
    )


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        (
            "dubbel.graphml",
            GRAPHML_HEAD + '<graph edgedefault="directed">\n<node id="a"/>\n<node id="b"/>\n'
            '<node id="a"/></graph></graphml>',
            ':4: node id "a" is used twice (first at line 2)',
        ),
        (
            "dubbel-edge.graphml",
            GRAPHML_HEAD + '<graph edgedefault="directed">\n<node id="a"/><node id="b"/>\n'
            '<edge id="e" source="a" target="b"/>\n<edge id="e" source="b" target="a"/>'
            "</graph></graphml>",
            ':4: edge id "e" is used twice (first at line 3)',
        ),
        (
            "spook.graphml",
            GRAPHML_HEAD + '<graph edgedefault="directed">\n<node id="a"/>\n'
            '<edge id="e1" source="a" target="zz"/></graph></graphml>',
            ':3: edge "e1": its target "zz" is no node of the file',
        ),
        (
            "nan.graphml",
            GRAPHML_HEAD + '<graph edgedefault="directed">\n<node id="a"/><node id="b"/>\n'
            '<edge source="a" target="b"><data key="w">NaN</data></edge></graph></graphml>',
            ':3: value of "weight": "NaN" is not a finite number',
        ),
        (
            "dubbel.gexf",
            '<gexf xmlns="http://gexf.net/1.3"><graph defaultedgetype="directed"><nodes>\n'
            '<node id="a"/>\n<node id="a"/></nodes></graph></gexf>',
            ':3: node id "a" is used twice (first at line 2)',
        ),
        (
            "spook.gexf",
            '<gexf xmlns="http://gexf.net/1.3"><graph defaultedgetype="directed"><nodes>'
            '<node id="a"/></nodes><edges>\n<edge id="0" source="a" target="zz"/></edges>'
            "</graph></gexf>",
            ':2: edge "0": its target "zz" is no node of the file',
        ),
        (
            "inf.gexf",
            '<gexf xmlns="http://gexf.net/1.3"><graph defaultedgetype="directed"><nodes>'
            '<node id="a"/><node id="b"/></nodes><edges>\n'
            '<edge id="0" source="a" target="b" weight="inf"/></edges></graph></gexf>',
            ':2: edge "0": weight: "inf" is not a finite number',
        ),
        (
            "dubbel.json",
            json.dumps({"elements": [{"label": "A", "id": "a"}, {"label": "B", "id": "a"}]}),
            ':elements[1]: element id "a" is used twice (first at elements[0])',
        ),
        (
            "nan.json",
            '{"elements": [{"label": "A"}, {"label": "B"}],\n'
            ' "connections": [{"from": "A", "to": "B", "strength": NaN}]}',
            ":2:55: NaN is not a finite number",
        ),
        (
            "nan-tekst.json",
            json.dumps(
                {
                    "elements": [{"label": "A"}, {"label": "B"}],
                    "connections": [{"from": "A", "to": "B", "strength": "nan"}],
                }
            ),
            ':connections[0].strength: "nan" is not a finite number',
        ),
        (
            "dubbel.prsm",
            json.dumps({"nodes": [{"id": "1", "label": "A"}, {"id": "1", "label": "B"}]}),
            ':nodes[1]: factor id "1" is used twice (first at nodes[0])',
        ),
        (
            "inf.mmp",
            "<mentalmodeler><concepts>\n<concept><id>1</id><name>A</name><relationships>\n"
            "<relationship><id>2</id><influence>inf</influence></relationship>"
            "</relationships></concept>\n<concept><id>2</id><name>B</name></concept>"
            "</concepts></mentalmodeler>",
            ':3:relationship: "inf" is not a finite number',
        ),
        (
            "dubbel.mmp",
            "<mentalmodeler><concepts>\n<concept><id>1</id><name>A</name></concept>\n"
            "<concept><id>1</id><name>B</name></concept></concepts></mentalmodeler>",
            ':3:concept: concept id "1" is used twice (first at line 2)',
        ),
        (
            "inf.csv",
            ",A,B\nA,,inf\nB,,\n",
            ':2:B: not an influence: "inf"',
        ),
    ],
)
def test_what_a_reader_would_drop_double_or_invent_is_refused(
    tmp_path: Path, name: str, text: str, expected: str
) -> None:
    path = _write(tmp_path / name, text)
    assert _refused(path, tmp_path) == f"{path}{expected}"


# --- any prefix of a valid file: a map or a clean error ----------------------------------

FIXTURES = sorted(p for p in HERE.iterdir() if p.suffix != ".md")


@settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.sampled_from(FIXTURES), st.floats(0, 1))
def test_any_truncated_file_is_a_map_or_a_clean_error(
    tmp_path: Path, source: Path, share: float
) -> None:
    data = source.read_bytes()
    path = tmp_path / source.name
    path.write_bytes(data[: int(len(data) * share)])
    try:
        read_map(path)
    except WorkbookInvalid as e:
        assert e.errors and all(err.path == str(path) for err in e.errors)


# --- counts are checked before a map is built --------------------------------------------


@pytest.mark.parametrize(
    ("name", "text", "what"),
    [
        ("veel.json", json.dumps({"elements": [{"label": str(i)} for i in range(4)]}), "elements"),
        ("veel.prsm", json.dumps({"nodes": [{"id": i} for i in range(4)]}), "factors"),
        ("veel.csv", ",a,b,c,d\na,1\n", "concepts"),
        (
            "veel.graphml",
            GRAPHML_HEAD
            + '<graph edgedefault="directed">'
            + "".join(f'<node id="{i}"/>' for i in range(4))
            + "</graph></graphml>",
            "nodes",
        ),
        (
            "veel.mmp",
            "<mentalmodeler><concepts>"
            + "".join(f"<concept><id>{i}</id></concept>" for i in range(4))
            + "</concepts></mentalmodeler>",
            "concepts",
        ),
    ],
)
def test_a_map_over_the_element_limit_is_refused_before_it_is_built(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, text: str, what: str
) -> None:
    monkeypatch.setattr("loaders.bounded.MAX_ELEMENTS", 3)
    path = _write(tmp_path / name, text)
    with pytest.raises(WorkbookInvalid) as e:
        read_map(path)
    assert [str(x) for x in e.value.errors] == [f"{path}: 4 {what}: at most 3 are read"]


def test_json_of_too_many_values_is_refused_before_it_is_parsed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("loaders.bounded.MAX_JSON_VALUES", 1_000)
    path = _write(tmp_path / "veel.json", json.dumps({"elements": [[0, ","]] * 400}))
    with pytest.raises(WorkbookInvalid) as e:
        read_map(path)
    assert [str(x) for x in e.value.errors] == [
        f"{path}: 1,202 values in the JSON: at most 1,000 are read"
    ]


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.sampled_from(FIXTURES),
    st.lists(st.tuples(st.floats(0, 1), st.sampled_from(list(b'<>"{}[],:/&;x0-\n '))), max_size=4),
)
def test_any_file_with_some_bytes_changed_is_a_map_or_a_clean_error(
    tmp_path: Path, source: Path, changes: list[tuple[float, int]]
) -> None:
    data = bytearray(source.read_bytes())
    for share, byte in changes:
        data[min(int(len(data) * share), len(data) - 1)] = byte
    path = tmp_path / source.name
    path.write_bytes(bytes(data))
    try:
        read_map(path)
    except WorkbookInvalid as e:
        assert e.errors and all(err.path == str(path) for err in e.errors)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.floats(0, 1))
def test_any_truncated_session_file_is_read_or_a_clean_error(tmp_path: Path, share: float) -> None:
    whole = saved(tmp_path).read_bytes()
    path = _write(tmp_path / "half.json", whole[: int(len(whole) * share)])
    try:
        read_session_file(load_map(ROUND_1), path)
    except WorkbookInvalid as e:
        assert e.errors and all(err.path == str(path) for err in e.errors)


def test_an_element_id_twice_in_a_kumu_spreadsheet_is_refused(tmp_path: Path) -> None:
    import openpyxl

    path = tmp_path / "kumu.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Elements"
    for row in (["ID", "Label"], ["a", "Stress"], [None, None], ["a", "Slaap"]):
        ws.append(row)
    wb.create_sheet("Connections").append(["From", "To"])
    wb.save(path)
    assert _refused(path, tmp_path) == (
        f'{path}[Elements]:4:ID: element id "a" is used twice (first at row 2)'
    )
