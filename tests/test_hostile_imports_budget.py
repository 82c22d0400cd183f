"""No file under 1 MB makes an import use more than 500 MB or 30 seconds.

Each worst case is made here, per format, to cost as much as a small file can: many
elements of one label, a loop named over every link, a spreadsheet that declares a
whole sheet, lz-string that unpacks to gigabytes, nesting, entities, text that makes a
regular expression scan again and again. Each is imported in its own interpreter with
at most 1.5 GB of address space (the interpreter and its libraries need some), and
must end within 30 seconds with a map or a clean error, at most 500 MB resident.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest

from tests.test_hostile_imports import _lz_bomb

ROOT = Path(__file__).resolve().parents[1]
LIMIT_MB = 500
SECONDS = 30

READ = """
import sys
from loaders.errors import WorkbookInvalid
fmt, path = sys.argv[1], sys.argv[2]
try:
    if fmt == "session":
        from loaders import VLEUTEN, load_map
        from loaders.session_file import read_session_file
        read_session_file(load_map(VLEUTEN), path)
        print("read")
    else:
        from loaders.interchange import read_map
        m, _ = read_map(path)
        print("map", m.graph.number_of_nodes(), sum(1 for _ in m.links()))
except WorkbookInvalid as e:
    print("refused", e.errors[0])
"""
IMPORT = "import sys; from versterkt.cli import main; sys.argv[0] = 'versterkt'; main()"
#: Runs its arguments as a child limited to 1.5 GB of address space and 30 seconds,
#: and says, last, the child's largest resident size in KB: a parent of its own per
#: case, so that no other case's size counts.
MEASURE = f"""
import resource, subprocess, sys
def limit():
    resource.setrlimit(resource.RLIMIT_AS, (1536 * 2**20, 1536 * 2**20))
done = subprocess.run(sys.argv[1:], capture_output=True, text=True, preexec_fn=limit,
                      timeout={SECONDS})
sys.stderr.write(done.stderr)
sys.stdout.write(done.stdout)
print("rss", resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
sys.exit(done.returncode)
"""


def _kumu_same_labels(folder: Path) -> Path:
    path = folder / "eén-label.json"
    elements = [{"label": "Stress"}] * 54_000
    path.write_text(json.dumps({"elements": elements}, separators=(",", ":")), "utf-8")
    return path


def _kumu_named_loop(folder: Path) -> Path:
    """Eleven elements, every one linked to every other, one loop named over all."""
    n = 11
    elements = [{"_id": f"e{i}", "attributes": {"label": f"F{i}"}} for i in range(n)]
    connections = [
        {"_id": f"c{i}-{j}", "from": f"e{i}", "to": f"e{j}", "attributes": {"type": "+"}}
        for i in range(n)
        for j in range(n)
        if i != j
    ]
    loop = {
        "_id": "l",
        "attributes": {"label": "alles"},
        "connections": [c["_id"] for c in connections],
    }
    project = {"elements": elements, "connections": connections, "loops": [loop], "maps": []}
    path = folder / "lus.json"
    path.write_text(json.dumps(project), "utf-8")
    return path


def _kumu_whole_sheet(folder: Path) -> Path:
    """A Kumu spreadsheet whose sheets declare the whole of Excel's grid."""
    path = folder / "kumu-raster.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Elements"
    ws.append(["Label", "Description"])
    for i in range(6_000):
        ws.append([f"Factor {i}", "x"])
    cs = wb.create_sheet("Connections")
    cs.append(["From", "To", "Type"])
    for i in range(6_000):
        cs.append([f"Factor {i}", f"Factor {(i + 1) % 6000}", "+"])
    wb.save(path)
    with zipfile.ZipFile(path) as z:
        parts = {i: z.read(i.filename) for i in z.infolist()}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        for info, data in parts.items():
            if info.filename.startswith("xl/worksheets/sheet"):
                data = re.sub(
                    rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:XFD1048576"/>', data
                )
            z.writestr(info, data)
    return path


def _xlsx_shared_strings(folder: Path) -> Path:
    """A spreadsheet whose shared strings unpack to 300 MB: the format is guessed from
    its sheets before it is read."""
    path = folder / "tekst.xlsx"
    wb = openpyxl.Workbook()
    wb.active.title = "Elements"
    wb.active.append(["Label"])
    wb.save(path)
    with zipfile.ZipFile(path) as z:
        parts = {i.filename: z.read(i.filename) for i in z.infolist()}
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"</Types>",
        b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
        b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
    )
    parts["xl/_rels/workbook.xml.rels"] = parts["xl/_rels/workbook.xml.rels"].replace(
        b"</Relationships>",
        b'<Relationship Id="rId99" Target="sharedStrings.xml" Type="http://schemas.'
        b'openxmlformats.org/officeDocument/2006/relationships/sharedStrings"/></Relationships>',
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        for name, data in parts.items():
            z.writestr(name, data)
        with z.open("xl/sharedStrings.xml", "w", force_zip64=True) as strings:
            strings.write(
                b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            )
            strings.write(b"<si><t>")
            for _ in range(300):
                strings.write(b"x" * 2**20)
            strings.write(b"</t></si></sst>")
    return path


def _prsm_bomb(folder: Path) -> Path:
    path = folder / "bom.prsm"
    path.write_text(_lz_bomb(36_000), "utf-8")
    return path


def _prsm_many(folder: Path) -> Path:
    nodes = [{"id": str(i), "label": f"F{i}", "x": i, "y": -i} for i in range(8_000)]
    edges = [{"from": str(i), "to": str((i * 7 + 1) % 8000), "label": "+"} for i in range(8_000)]
    path = folder / "veel.prsm"
    path.write_text(json.dumps({"nodes": nodes, "edges": edges}, separators=(",", ":")), "utf-8")
    return path


def _json_deep(folder: Path) -> Path:
    path = folder / "diep.json"
    path.write_text("[" * 900_000 + "]" * 90_000, "utf-8")
    return path


def _mmp_deep(folder: Path) -> Path:
    path = folder / "diep.mmp"
    path.write_text("<mentalmodeler>" + "<a>" * 140_000 + "</a>" * 140_000, "utf-8")
    return path


def _mmp_entities(folder: Path) -> Path:
    lol = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10 if i else "lol"}">' for i in range(12))
    path = folder / "lol.mmp"
    path.write_text(
        f"<!DOCTYPE mentalmodeler [{lol}]><mentalmodeler><info><name>&l11;</name></info>"
        "</mentalmodeler>",
        "utf-8",
    )
    return path


def _matrix_full(folder: Path) -> Path:
    n = 700
    names = [f"c{i}" for i in range(n)]
    lines = [",".join(["", *names])] + [",".join([name, *["1"] * n]) for name in names]
    path = folder / "vol.csv"
    path.write_text("\n".join(lines) + "\n", "utf-8")
    return path


def _matrix_one_name(folder: Path) -> Path:
    path = folder / "een-naam.csv"
    path.write_text("," + ",".join(["x"] * 99_000) + "\nx,1\n", "utf-8")
    return path


GRAPHML = '<graphml xmlns="http://graphml.graphdrawing.org/xmlns">'


def _graphml_edges(folder: Path) -> Path:
    nodes = "".join(f'<node id="n{i}"/>' for i in range(5_000))
    edges = "".join(
        f'<edge id="e{i}" source="n{i % 5000}" target="n{(i * 13 + 1) % 5000}"/>'
        for i in range(18_000)
    )
    path = folder / "veel.graphml"
    path.write_text(f'{GRAPHML}<graph edgedefault="directed">{nodes}{edges}</graph></graphml>')
    return path


def _graphml_rescans(folder: Path) -> Path:
    """Text that a search for edge ids in the raw XML would scan once per mark."""
    key = '<key id="d" for="node" attr.name="note" attr.type="string"/>'
    data = f'<data key="d"><![CDATA[{"<edge " * 150_000}]]></data>'
    path = folder / "herhaal.graphml"
    path.write_text(
        f'{GRAPHML}{key}<graph edgedefault="directed"><node id="a">{data}</node>'
        '<node id="b"/><edge id="e" source="a" target="b"/></graph></graphml>'
    )
    return path


def _graphml_groups(folder: Path) -> Path:
    deep = 15_000
    groups = "".join(f'<node id="g{i}" yfiles.foldertype="group"><graph>' for i in range(deep))
    path = folder / "groepen.graphml"
    path.write_text(f"{GRAPHML}<graph>{groups}{'</graph></node>' * deep}</graph></graphml>")
    return path


def _gexf_rescans(folder: Path) -> Path:
    path = folder / "herhaal.gexf"
    path.write_text(
        f'<gexf version="1.3"><meta><description><![CDATA[{"<gexf " * 150_000}]]>'
        "</description></meta><graph/></gexf>"
    )
    return path


def _session_one_name(folder: Path) -> Path:
    proposal = {"kind": "factor", "group": "ouder", "name": "Sociale media"}
    session = {
        "format": "versterkt-toetssessie",
        "version": 1,
        "map": "vleuten",
        "round": 1,
        "proposals": [proposal] * 14_000,
    }
    path = folder / "toets.json"
    path.write_text(json.dumps(session, separators=(",", ":")), "utf-8")
    return path


#: Each worst case: how it is made, how it is run (read_map, the session reader, or the
#: whole import command) and what comes of it (a map of so many nodes and links, or a
#: refusal with its one line).
CASES: dict[str, tuple[Callable[[Path], Path], str, str]] = {
    "kumu-one-label": (_kumu_same_labels, "read", "map 54000 0"),
    "kumu-named-loop": (_kumu_named_loop, "import", ""),
    "kumu-whole-sheet": (_kumu_whole_sheet, "read", "map 6000 6000"),
    "kumu-deep": (_json_deep, "read", "refused"),
    "kumu-shared-strings": (_xlsx_shared_strings, "read", "refused"),
    "prsm-bomb": (_prsm_bomb, "read", "refused"),
    "prsm-many": (_prsm_many, "read", "map 8000 8000"),
    "mmp-deep": (_mmp_deep, "read", "refused"),
    "mmp-entities": (_mmp_entities, "read", "refused"),
    "matrix-full": (_matrix_full, "read", "refused"),
    "matrix-one-name": (_matrix_one_name, "read", "map 99000 1"),
    "graphml-edges": (_graphml_edges, "read", "map 5000 18000"),
    "graphml-rescans": (_graphml_rescans, "read", "map 2 1"),
    "graphml-groups": (_graphml_groups, "read", "refused"),
    "gexf-rescans": (_gexf_rescans, "read", "refused"),
    "session-one-name": (_session_one_name, "session", "read"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_small_file_imports_within_30_seconds_and_500_mb(tmp_path: Path, case: str) -> None:
    make, how, outcome = CASES[case]
    path = make(tmp_path)
    assert path.stat().st_size < 2**20, path.stat().st_size
    if how == "import":
        args = ["-c", IMPORT, "import", str(path), "--out", str(tmp_path / "uit.xlsx")]
    else:
        args = ["-c", READ, "session" if how == "session" else "map", str(path)]
    done = subprocess.run(
        [sys.executable, "-c", MEASURE, sys.executable, *args],
        capture_output=True,
        text=True,
        timeout=SECONDS + 30,
        cwd=ROOT,
    )
    assert "Traceback" not in done.stderr, done.stderr[-3000:]
    assert done.returncode in (0, 1), done.stderr[-3000:]
    *output, rss = done.stdout.splitlines()
    assert "\n".join(output).startswith(outcome), done.stdout[-3000:]
    assert int(rss.split()[1]) <= LIMIT_MB * 1024, rss
