"""A file from another tool that cannot be read is refused in the command's language
(``--lang``): the Dutch output has the Dutch sentence at the file's line or element and
no English word of the tool's own, the English output the English sentence."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from graph.errors import phrase
from loaders.bounded import Unreadable, decompress_utf16
from loaders.errors import WorkbookInvalid
from loaders.interchange import read_map
from loaders.prsm import compress, decompress
from tests.test_error_language import foreign
from versterkt.cli import main

HERE = Path(__file__).parent / "interchange"
GRAPHML = '<graphml xmlns="http://graphml.graphdrawing.org/xmlns"'
YED = ' xmlns:y="http://www.yworks.com/xml/graphml"'
WEIGHT = '<key id="w" for="edge" attr.name="weight" attr.type="double"/>'
GEXF = '<gexf xmlns="http://gexf.net/1.3" xmlns:viz="http://gexf.net/1.3/viz">'


def _refused(path: Path, lang: str) -> tuple[list[str], str]:
    """The error lines and the summary of ``versterkt import`` of ``path`` in ``lang``."""
    out = path.parent / "uit.xlsx"
    result = CliRunner().invoke(main, ["import", str(path), "--out", str(out), "--lang", lang])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.stderr
    *errors, summary = result.stderr.splitlines()
    assert errors and all(e.startswith(f"{path}") for e in errors), result.stderr
    assert not out.exists()
    return errors, summary


def _prsm_cut_short() -> str:
    text = (HERE / "prsm-plain.prsm").read_text(encoding="utf-8")
    whole = compress(text) if text.lstrip().startswith("{") else text
    return whole[: len(whole) // 2]


#: Files that cannot be read: the name, the text, and what is said of them in either
#: language (after the file's name): each line's place and sentence.
CASES = [
    (
        "twee.graphml",
        GRAPHML + '><graph edgedefault="directed"><node id="a"/></graph>\n'
        '<graph edgedefault="directed"><node id="b"/></graph></graphml>',
        {
            "nl": [":2: 2 grafen in het bestand (regels 1, 2): een kaart wordt uit één gelezen"],
            "en": [":2: 2 graphs in the file (lines 1, 2): a map is read from one"],
        },
    ),
    (
        "kapot.graphml",
        GRAPHML + ">" + WEIGHT + '<graph edgedefault="directed">\n<node id="a"/>\n'
        '<node id="a"/>\n<edge id="e" source="a" target="zz" directed="false"/>\n'
        '<edge target="a"><data key="w">NaN</data><data key="q">1</data></edge>\n'
        "<hyperedge/></graph></graphml>",
        {
            "nl": [
                ':3: id "a" van knoop wordt twee keer gebruikt (eerst bij regel 2)',
                ':4: lijn "e": een ongerichte lijn in een gerichte graaf',
                ':4: lijn "e": het eindpunt "zz" is geen knoop in het bestand',
                ':5: waarde van "weight": "NaN" is geen eindig getal',
                ':5: een waarde voor sleutel "q", die het bestand niet declareert',
                ":5: lijn heeft geen beginpunt",
                ":6: een hyperedge, die niet gelezen wordt: "
                "een verbinding loopt tussen twee knopen",
            ],
            "en": [
                ':3: node id "a" is used twice (first at line 2)',
                ':4: edge "e": an undirected edge in a directed graph',
                ':4: edge "e": its target "zz" is no node of the file',
                ':5: value of "weight": "NaN" is not a finite number',
                ':5: a value for key "q", which the file does not declare',
                ":5: edge has no source",
                ":6: a hyperedge, which is not read: a link joins two nodes",
            ],
        },
    ),
    (
        "yed.graphml",
        GRAPHML + YED + '><key id="g" for="node" yfiles.type="nodegraphics"/>'
        '<graph edgedefault="directed">\n<node id="a"><data key="g"><y:ShapeNode>'
        '<y:Geometry x="NaN" y="1"/></y:ShapeNode></data></node></graph></graphml>',
        {
            "nl": [':2: x van een yEd-knoop: "NaN" is geen eindig getal'],
            "en": [':2: x of a yEd node: "NaN" is not a finite number'],
        },
    ),
    (
        "kapot.gexf",
        GEXF + '<graph defaultedgetype="directed"><nodes>\n'
        '<node id="a"><viz:position x="inf" y="0"/></node>\n<node id="b"/></nodes>\n'
        '<nodes/><edges><edge id="0" source="a" target="b" weight="inf"/></edges></graph></gexf>',
        {
            "nl": [
                ':2: positie x: "inf" is geen eindig getal',
                ":4: een tweede lijst <nodes>, die niet gelezen wordt: "
                "zet alle knopen in één lijst",
                ':4: lijn "0": gewicht: "inf" is geen eindig getal',
            ],
            "en": [
                ':2: position x: "inf" is not a finite number',
                ":4: a second <nodes> list, which is not read: put all nodes in one",
                ':4: edge "0": weight: "inf" is not a finite number',
            ],
        },
    ),
    (
        "twee.gexf",
        GEXF + "<graph/>\n<graph/></gexf>",
        {
            "nl": [":2: 2 grafen in het bestand: een kaart wordt uit één gelezen"],
            "en": [":2: 2 graphs in the file: a map is read from one"],
        },
    ),
    (
        "half.prsm",
        _prsm_cut_short(),
        {
            "nl": [
                ": geen PRSM-kaart: kan niet uitgepakt worden: "
                "afgebroken: de tekst houdt midden in de kaart op"
            ],
            "en": [": not a PRSM map: cannot decompress: cut short: the text ends inside the map"],
        },
    ),
    (
        "vreemd.prsm",
        "\x05\x05",
        {
            "nl": [
                ": geen PRSM-kaart: kan niet uitgepakt worden: "
                "geen lz-string-tekst (een teken buiten het bereik ervan)"
            ],
            "en": [
                ": not a PRSM map: cannot decompress: "
                "not lz-string text (a character out of its range)"
            ],
        },
    ),
    (
        "leeg.prsm",
        json.dumps({"nodes": [], "edges": {"a": "b"}}),
        {
            "nl": [': "edges" is geen lijst: geen PRSM-kaart'],
            "en": [': "edges" is not a list: not a PRSM map'],
        },
    ),
    (
        "kumu.json",
        json.dumps({"elements": [], "connections": {"a": "b"}}),
        {
            "nl": [':connections: "connections" is geen lijst: geen Kumu-JSON'],
            "en": [':connections: "connections" is not a list: not Kumu JSON'],
        },
    ),
    (
        "ander.mmp",
        "<model/>",
        {"nl": [": geen MentalModeler-model"], "en": [": not a MentalModeler model"]},
    ),
]


@pytest.mark.parametrize("lang", ["nl", "en"])
@pytest.mark.parametrize(("name", "text", "said"), CASES, ids=[case[0] for case in CASES])
def test_a_file_that_cannot_be_read_is_refused_in_the_language(
    tmp_path: Path, lang: str, name: str, text: str, said: dict[str, list[str]]
) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    errors, summary = _refused(path, lang)
    assert errors == [f"{path}{line}" for line in said[lang]]
    count = len(errors)
    if lang == "nl":
        assert summary == f"{count} fout{'en' if count > 1 else ''}; er is niets geladen."
    else:
        assert summary == f"{count} error{'s' if count > 1 else ''}; nothing was loaded."
    # the file's own words (a key's name, an element of its format) are not the tool's
    assert not foreign("\n".join(errors), lang, str(path), "connections", "weight", "<nodes>")


def test_damaged_lz_string_is_said_in_either_language_and_english_as_text() -> None:
    with pytest.raises(Unreadable) as caught:
        decompress_utf16("")
    assert (str(caught.value), phrase(caught.value, "nl")) == ("empty", "leeg")
    with pytest.raises(Unreadable) as caught:
        decompress(_prsm_cut_short())
    assert str(caught.value) == "cannot decompress: cut short: the text ends inside the map"
    assert phrase(caught.value, "nl") == (
        "kan niet uitgepakt worden: afgebroken: de tekst houdt midden in de kaart op"
    )


def test_a_reader_gives_its_problems_in_no_language_yet(tmp_path: Path) -> None:
    path = tmp_path / "spook.gexf"
    path.write_text(
        GEXF + '<graph defaultedgetype="directed"><nodes><node id="a"/></nodes><edges>\n'
        '<edge source="a" target="zz"/><edge id="1" target="a"/></edges></graph></gexf>',
        encoding="utf-8",
    )
    with pytest.raises(WorkbookInvalid) as caught:
        read_map(path)
    assert [phrase(e, "nl") for e in caught.value.errors] == [
        f'{path}:2: lijn: het eindpunt "zz" is geen knoop in het bestand',
        f'{path}:2: lijn "1" heeft geen beginpunt',
    ]
    assert [str(e) for e in caught.value.errors] == [
        f'{path}:2: edge: its target "zz" is no node of the file',
        f'{path}:2: edge "1" has no source',
    ]
