"""The offline network page as HTML text: no outside references, safe data, stable output."""

from __future__ import annotations

import base64
import gc
import hashlib
import html as html_module
import json
import re
from pathlib import Path
from typing import Any

import pytest

from views import page as page_module
from views.page import (
    DEFAULT_MAX_DRAWN_NODES,
    UI_STRINGS,
    json_for_script,
    load_positions,
    render_network_page,
    vis_network_assets,
    without_cycle_collection,
    write_network_page,
)
from views.page_records import LegendEntry, PageOptions

HOSTILE = [
    '<img src=x onerror="window.__pwned=1">',
    "<script>window.__pwned=1</script>",
    "</script><!-- & \u2028 \u2029",
]

# URL strings inside the vis-network build shipped with pyvis: licence
# comments, error texts and the SVG namespace. They are text, never fetched
# (the browser tests prove no request leaves the page). A new one shows up here.
VIS_NETWORK_URL_STRINGS = {
    "http://almende.com",
    "http://opensource.org/licenses/MIT",
    "http://www.apache.org/licenses/LICENSE-2.0",
    "http://www.w3.org/2000/svg",
    "https://github.com/uuidjs/uuid#getrandomvalues-not-supported",
    "https://github.com/visjs",
    "https://github.com/zloirock/core-js",
    "https://github.com/zloirock/core-js/blob/v3.21.1/LICENSE",
    "https://visjs.github.io/vis-network/",
}

URL_RE = re.compile(r"https?://[^\s\"'()<>\\]+", re.IGNORECASE)
SCRIPT_RE = re.compile(r"<script([^>]*)>(.*?)</script>", re.DOTALL | re.IGNORECASE)


def small_graph(count: int = 12) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    nodes = [
        {
            "id": f"f{i}",
            "label": f"Factor {i}",
            "group": "factor" if i % 3 else "actor",
            "color": "#8fb3d1" if i % 3 else "#e3b873",
            "shape": "dot" if i % 3 else "box",
            "size": 16,
            "tooltip": f"Factor {i}\nronde {1 + i % 2}",
            "facets": {"soort": "factor" if i % 3 else "actor", "ronde": str(1 + i % 2)},
        }
        for i in range(count)
    ]
    edges = [
        {
            "id": f"r{i}",
            "from": f"f{i}",
            "to": f"f{(i * 5 + 1) % count}",
            "color": "#9a9a9a",
            "dashes": i % 2 == 1,
            "width": 2,
            "label": "+" if i % 2 else "",
            "tooltip": f"verband {i}",
            "arrows": "to",
            "facets": {"status": "hypothese" if i % 2 else "getoetst"},
        }
        for i in range(count)
        if (i * 5 + 1) % count != i
    ]
    return nodes, edges


LEGEND = [
    LegendEntry("Factor", "#8fb3d1", "node"),
    LegendEntry("Nog niet getoetst", "#9a9a9a", "edge", dashes=True),
]


def render(**kwargs: Any) -> str:
    nodes, edges = kwargs.pop("graph", None) or small_graph()
    kwargs.setdefault("title", "Testkaart")
    kwargs.setdefault("legend", LEGEND)
    return render_network_page(nodes, edges, PageOptions(**kwargs))


def raw_page_data(html: str) -> dict[str, Any]:
    match = re.search(
        r'<script type="application/json" id="vk-data">(.*?)</script>', html, re.DOTALL
    )
    assert match, "data element missing"
    return json.loads(match.group(1))


def page_data(html: str) -> dict[str, Any]:
    """The page's data with nodes and edges unpacked as the page script does."""
    data = raw_page_data(html)

    def unpack(items: list[dict[str, Any]], defaults: dict[str, Any]) -> list[dict[str, Any]]:
        out = []
        for item in items:
            full = {**defaults, **item}
            full["facets"] = data["facetSets"][item["facets"]]
            full["tooltip"] = "\n".join(data["texts"][i] for i in item.get("tooltip", []))
            out.append(full)
        return out

    data["nodes"] = unpack(data["nodes"], data["defaults"]["node"])
    data["edges"] = unpack(data["edges"], data["defaults"]["edge"])
    return data


def scripts(html: str) -> list[tuple[str, str]]:
    return SCRIPT_RE.findall(html)


# --------------------------------------------------------------------------- offline


def test_page_is_one_self_contained_file():
    html = render()
    assert html.startswith("<!DOCTYPE html>")
    # Nothing is loaded by reference: no src=, no stylesheet links, no imports.
    assert not re.search(r"<script[^>]*\bsrc\s*=", html, re.IGNORECASE)
    assert not re.search(r"<link[^>]*rel=[\"']?stylesheet", html, re.IGNORECASE)
    assert not re.search(r"<(img|iframe|object|embed|audio|video|source)\b", html, re.IGNORECASE)
    for attr in re.findall(r"\b(?:href|src)\s*=\s*[\"']([^\"']*)", html, re.IGNORECASE):
        assert attr.startswith("data:"), attr
    assert "@import" not in html
    assert not re.search(r"url\(\s*(?![\"']?data:)", html), "CSS url() to something not inline"
    # vis-network itself is inline.
    assert "vis-network" in html and len(html) > 400_000


def test_only_url_strings_are_the_known_ones_inside_vis_network():
    html = render()
    vis_js, vis_css = vis_network_assets()
    assert set(URL_RE.findall(vis_js)) == VIS_NETWORK_URL_STRINGS
    assert URL_RE.findall(vis_css) == []
    assert "sourceMappingURL" not in vis_js
    # Outside the vendored library the page has no URL at all.
    outside = html.replace(page_module._inline_script(vis_js), "")
    assert URL_RE.findall(outside) == []
    assert set(URL_RE.findall(html)) == VIS_NETWORK_URL_STRINGS


def test_content_security_policy_allows_only_the_page_scripts():
    html = render()
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', html)
    assert policy, "no content security policy"
    text = html_module.unescape(policy.group(1))
    rules = dict((part.split(" ", 1) + [""])[:2] for part in text.split("; "))
    assert rules["default-src"] == "'none'"
    assert rules["connect-src"] == "'none'"
    executable = [body for attrs, body in scripts(html) if "application/json" not in attrs]
    assert len(executable) == 2
    hashes = {
        "'sha256-" + base64.b64encode(hashlib.sha256(body.encode()).digest()).decode() + "'"
        for body in executable
    }
    assert set(rules["script-src"].split()) == hashes
    assert "unsafe-inline" not in rules["script-src"]
    assert "Content-Security-Policy" not in render(content_security_policy=False)


# --------------------------------------------------------------------------- data safety


def test_hostile_text_cannot_leave_the_data_element():
    nodes, edges = small_graph()
    nodes[0]["label"] = HOSTILE[0]
    nodes[0]["tooltip"] = "\n".join(HOSTILE)
    nodes[1]["facets"]["soort"] = HOSTILE[1]
    edges[0]["label"] = HOSTILE[2]
    edges[0]["tooltip"] = HOSTILE[1]
    legend = [*LEGEND, LegendEntry(HOSTILE[1], "#123456", "node")]
    html = render_network_page(nodes, edges, PageOptions(HOSTILE[1], legend=legend))

    assert "window.__pwned" in html  # present, but only escaped
    assert "<img src=x" not in html
    assert "<script>window" not in html
    assert html.count("</script>") == 3
    assert len(scripts(html)) == 3
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in html  # title, HTML-escaped
    data = page_data(html)
    assert data["title"] == HOSTILE[1]
    assert data["nodes"][0]["label"] == HOSTILE[0]
    assert data["nodes"][0]["tooltip"] == "\n".join(HOSTILE)
    assert data["edges"][0]["label"] == HOSTILE[2]
    assert data["legend"][-1]["label"] == HOSTILE[1]
    assert HOSTILE[1] in data["facets"][0]["values"]


def test_json_for_script_escapes_markup_characters():
    text = json_for_script({"a": "</script><!--&\u2028"})
    assert "<" not in text and ">" not in text and "&" not in text
    assert "\u2028" not in text
    assert json.loads(text) == {"a": "</script><!--&\u2028"}


def test_page_script_never_uses_html_sinks():
    source = (page_module.TEMPLATE_DIR / "page.js").read_text(encoding="utf-8")
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("):
        assert sink not in source, sink
    assert "new Function" not in source


# --------------------------------------------------------------------------- data and options


def test_data_carries_nodes_edges_legend_and_facets():
    nodes, edges = small_graph()
    data = page_data(render(graph=(nodes, edges)))
    assert [n["id"] for n in data["nodes"]] == [n["id"] for n in nodes]
    assert [e["id"] for e in data["edges"]] == [e["id"] for e in edges]
    first = data["nodes"][0]
    assert first["label"] == "Factor 0" and first["shape"] == "box"
    assert first["kind"] == "actor" and first["facets"] == {"soort": "actor", "ronde": "1"}
    assert {e["arrows"] for e in data["edges"]} == {"to"}
    assert data["legend"][1] == {
        "label": "Nog niet getoetst",
        "color": "#9a9a9a",
        "kind": "edge",
        "dashes": True,
        "projector": True,
    }
    facets = {f["key"]: f for f in data["facets"]}
    assert facets["soort"]["label"] == "Soort"
    assert facets["status"]["label"] == "Status (verbindingen)"  # only on edges
    assert facets["ronde"]["values"] == ["1", "2"]
    assert facets["status"]["values"] == ["getoetst", "hypothese"]
    assert sum(facets["ronde"]["counts"]) == len(nodes)
    options = data["options"]
    assert options["layout"]["randomSeed"] == 7
    # Laid out in Python: every node has a position, physics stays off.
    assert options["physics"]["enabled"] is False
    assert data["config"]["allPositioned"] is True
    assert all(isinstance(n["x"], float) and isinstance(n["y"], float) for n in data["nodes"])
    assert options["nodes"]["font"]["multi"] is False
    assert options["edges"]["font"]["multi"] is False
    assert data["config"]["maxDrawnNodes"] == DEFAULT_MAX_DRAWN_NODES == 3000
    browser = page_data(render(graph=(nodes, edges), layout="browser"))
    assert browser["options"]["physics"]["enabled"] is True
    assert "x" not in browser["nodes"][0]


def test_facet_values_sort_numbers_numerically_and_labels_can_be_named():
    nodes, edges = small_graph()
    for i, node in enumerate(nodes):
        node["facets"]["ronde"] = str([10, 2, 1][i % 3])
    data = page_data(render(graph=(nodes, edges), facet_labels={"ronde": "Ronde van de sessie"}))
    ronde = next(f for f in data["facets"] if f["key"] == "ronde")
    assert ronde["values"] == ["1", "2", "10"]
    assert ronde["label"] == "Ronde van de sessie"


def test_same_input_same_page():
    assert render() == render()
    assert render(seed=3) != render(seed=4)


def test_languages():
    assert '<html lang="nl">' in render()
    english = render(lang="en")
    assert '<html lang="en">' in english
    assert "Show everything" in english and "Alles tonen" not in english
    assert page_data(english)["strings"] == UI_STRINGS["en"]
    assert UI_STRINGS["nl"].keys() == UI_STRINGS["en"].keys()
    with pytest.raises(ValueError, match="lang"):
        render(lang="de")


def test_projector_flag_and_size_guard_threshold():
    html = render(projector=True, max_drawn_nodes=5)
    assert '<body class="projector"' in html
    data = page_data(html)
    assert data["config"]["projector"] is True
    assert data["config"]["maxDrawnNodes"] == 5
    with pytest.raises(ValueError):
        render(max_drawn_nodes=0)


# --------------------------------------------------------------------------- positions


def test_positions_fix_nodes_and_switch_physics_off(tmp_path):
    nodes, edges = small_graph()
    given = {n["id"]: {"x": i * 10.5, "y": -i * 3.25} for i, n in enumerate(nodes)}
    data = page_data(render(graph=(nodes, edges), positions=given))
    assert data["config"]["allPositioned"] is True
    assert data["options"]["physics"]["enabled"] is False
    assert {n["id"]: {"x": n["x"], "y": n["y"]} for n in data["nodes"]} == given

    saved = tmp_path / "posities.json"
    saved.write_text(json.dumps(given), encoding="utf-8")
    assert render(graph=(nodes, edges), positions=saved) == render(
        graph=(nodes, edges), positions=given
    )


def test_partial_positions_and_node_coordinates():
    nodes, edges = small_graph()
    nodes[0]["x"], nodes[0]["y"] = 5, 6
    nodes[1]["x"], nodes[1]["y"] = 7, 8
    data = page_data(render(graph=(nodes, edges), positions={"f1": (70.5, 80.5)}, layout="browser"))
    by_id = {n["id"]: n for n in data["nodes"]}
    assert (by_id["f0"]["x"], by_id["f0"]["y"]) == (5.0, 6.0)
    assert (by_id["f1"]["x"], by_id["f1"]["y"]) == (70.5, 80.5)  # given positions win
    assert "x" not in by_id["f2"]
    assert data["config"]["allPositioned"] is False
    assert data["options"]["physics"]["enabled"] is True
    # Laid out in Python, the given positions stay and the rest is placed around them.
    data = page_data(render(graph=(nodes, edges), positions={"f1": (70.5, 80.5)}))
    by_id = {n["id"]: n for n in data["nodes"]}
    assert (by_id["f0"]["x"], by_id["f0"]["y"]) == (5.0, 6.0)
    assert (by_id["f1"]["x"], by_id["f1"]["y"]) == (70.5, 80.5)
    assert data["config"]["allPositioned"] is True


def test_load_positions_formats(tmp_path):
    plain = {"a": {"x": 1, "y": 2.5}}
    assert load_positions(plain) == {"a": (1.0, 2.5)}
    assert load_positions({"positions": plain}) == {"a": (1.0, 2.5)}
    assert load_positions({"a": [3, 4]}) == {"a": (3.0, 4.0)}
    path = tmp_path / "p.json"
    path.write_text(json.dumps(plain), encoding="utf-8")
    assert load_positions(path) == {"a": (1.0, 2.5)}
    assert load_positions(str(path)) == {"a": (1.0, 2.5)}
    for bad in ({"a": "1,2"}, {"a": {"x": "links", "y": 1}}, {"a": [float("nan"), 1]}, [1, 2]):
        with pytest.raises(ValueError):
            load_positions(bad)


# --------------------------------------------------------------------------- validation


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda n, e: e.append({"id": "x", "from": "f0", "to": "nope"}), "unknown node"),
        (lambda n, e: n.append(dict(n[0])), "duplicate node id"),
        (lambda n, e: e.append(dict(e[0])), "duplicate edge id"),
        (lambda n, e: n.append({"label": "zonder id"}), "non-empty string 'id'"),
        (lambda n, e: e[0].update(arrows="both"), "arrows"),
        (lambda n, e: n[0].update(size="groot"), "size"),
    ],
)
def test_bad_input_is_refused_clearly(change, message):
    nodes, edges = small_graph()
    change(nodes, edges)
    with pytest.raises(ValueError, match=message):
        render_network_page(nodes, edges, PageOptions("t", legend=LEGEND))


def test_bad_legend_kind_is_refused():
    with pytest.raises(ValueError, match="legend kind"):
        LegendEntry("x", "#000", "cluster")


def test_missing_optional_fields_get_defaults():
    html = render_network_page(
        [{"id": "a"}, {"id": "b", "label": "B"}],
        [{"from": "a", "to": "b"}],
        PageOptions("Minimaal"),
    )
    data = page_data(html)
    assert [n["label"] for n in data["nodes"]] == ["a", "B"]
    assert data["edges"][0]["id"] == "e0"
    assert data["edges"][0]["arrows"] == ""
    assert data["facets"] == []
    assert data["legend"] == []


def test_shared_values_are_written_once():
    nodes, edges = small_graph()
    edges[1]["dashes"] = False
    for edge in edges:
        edge["tooltip"] = f"{edge['id']}\nstatus: hypothese (nog niet getoetst)"
    html = render(graph=(nodes, edges))
    raw = raw_page_data(html)
    # The value most edges share is the default; an edge that differs says so.
    assert raw["defaults"]["edge"]["color"] == "#9a9a9a"
    assert all("color" not in e for e in raw["edges"])
    assert raw["defaults"]["edge"]["dashes"] is False  # 7 of 12 edges
    assert sum("dashes" in e for e in raw["edges"]) == 5
    # A tooltip line and a set of facets that recur are in the page once.
    assert html.count("nog niet getoetst)") == 1
    assert len(raw["texts"]) == len(set(raw["texts"]))
    assert len(raw["facetSets"]) == 4 + 2  # nodes: (factor, actor) x 2 rounds; edges: 2
    edges_back = page_data(html)["edges"]
    assert [e["tooltip"] for e in edges_back] == [e["tooltip"] for e in edges]
    assert [e["dashes"] for e in edges_back] == [e["dashes"] for e in edges]


def test_many_links_are_drawn_plain():
    count = page_module.CURVED_EDGES_MAX + 1
    nodes = [{"id": f"n{i}", "label": f"N{i}"} for i in range(300)]
    edges = [
        {"from": f"n{i % 300}", "to": f"n{(i * 7 + 3) % 300}", "label": "+"} for i in range(count)
    ]
    data = page_data(render_network_page(nodes, edges, PageOptions("Veel verbanden")))
    options = data["options"]
    assert options["edges"]["smooth"]["enabled"] is False
    assert options["interaction"]["hideEdgesOnDrag"] is True
    assert options["interaction"]["hideEdgesOnZoom"] is True
    assert {e["label"] for e in data["edges"]} == {""}  # unreadable by the thousand
    assert all("mass" not in n for n in data["nodes"])  # laid out: no physics
    few = page_data(render())
    assert few["options"]["interaction"]["hideEdgesOnZoom"] is False
    assert {e["label"] for e in few["edges"]} == {"", "+"}


def test_cycle_collector_paused_while_a_page_is_built_then_as_it_was():
    seen: list[bool] = []

    @without_cycle_collection
    def build(fail: bool = False) -> str:
        seen.append(gc.isenabled())
        if fail:
            raise ValueError("kapot")
        return "pagina"

    assert build() == "pagina" and seen == [False] and gc.isenabled()
    with pytest.raises(ValueError, match="kapot"):
        build(fail=True)
    assert gc.isenabled()
    gc.disable()
    try:
        build()
        assert not gc.isenabled()  # paused by someone else: left paused
    finally:
        gc.enable()
    assert render_network_page.__doc__.startswith("Render a network map")


def test_large_graph_builds_quickly():
    count = 20_000
    nodes = [{"id": f"n{i}", "label": f"N{i}"} for i in range(count)]
    edges = [{"from": f"n{i}", "to": f"n{(i * 7 + 3) % count}"} for i in range(count)]
    data = page_data(render_network_page(nodes, edges, PageOptions("Groot")))
    assert len(data["nodes"]) == count
    assert data["options"]["layout"]["improvedLayout"] is False


# --------------------------------------------------------------------------- files


def test_templates_are_package_files():
    names = {p.name for p in page_module.TEMPLATE_DIR.iterdir()}
    assert {"network_page.html.j2", "page.js", "page.css"} <= names


def test_write_network_page(tmp_path):
    nodes, edges = small_graph()
    options = PageOptions("Kaart")
    target = write_network_page(tmp_path / "uit" / "kaart.html", nodes, edges, options)
    assert target.exists()
    assert target.read_text(encoding="utf-8") == render_network_page(nodes, edges, options)


def test_vis_assets_come_from_pyvis():
    import pyvis

    js, css = vis_network_assets()
    assert js.lstrip().startswith("/**\n * vis-network")
    assert "@version 9.1.2" in js
    assert ".vis-network" in css
    assert Path(pyvis.__file__).parent.joinpath("lib/vis-9.1.2/vis-network.min.js").exists()
