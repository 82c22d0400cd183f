"""The offline network page in headless Chromium, with all network access blocked."""

from __future__ import annotations

import json
from collections import deque
from pathlib import Path
from typing import Any

import pytest
from sample_graph import SAMPLE_LEGEND

from views.page import load_positions, render_network_page
from views.page_records import LegendEntry, PageOptions

TITLE = "Vleuten Versterkt: prestatiedruk onder jongeren"
HOSTILE_IMG = '<img src=x onerror="window.__pwned=1">'
HOSTILE_SCRIPT = "<script>window.__pwned=1</script>"


def render(nodes: list[dict[str, Any]], edges: list[dict[str, Any]], **kwargs: Any) -> str:
    kwargs.setdefault("title", TITLE)
    kwargs.setdefault("legend", SAMPLE_LEGEND)
    return render_network_page(nodes, edges, PageOptions(**kwargs))


def neighbourhood(
    edges: list[dict[str, Any]], start: str, steps: int, direction: str = "both"
) -> set[str]:
    """What the page should highlight: same rules as the page script."""
    seen = {start}
    queue = deque([(start, 0)])
    while queue:
        node, dist = queue.popleft()
        if dist == steps:
            continue
        for e in edges:
            undirected = not e["arrows"]
            if e["from"] == node and (direction != "up" or undirected) and e["to"] not in seen:
                seen.add(e["to"])
                queue.append((e["to"], dist + 1))
            if e["to"] == node and (direction != "down" or undirected) and e["from"] not in seen:
                seen.add(e["from"])
                queue.append((e["from"], dist + 1))
    return seen


def faded(page: Any) -> set[str]:
    return set(page.evaluate("() => window.versterktFadedNodeIds()"))


def node_opacity(page: Any, node_id: str) -> float:
    return page.evaluate("id => window.versterktNetwork.body.data.nodes.get(id).opacity", node_id)


def positions(page: Any) -> dict[str, dict[str, float]]:
    return page.evaluate("() => window.versterktPositions()")


def wait_centred_on(page: Any, node_id: str, timeout_ms: int = 5000) -> None:
    """Wait until the camera has moved so that ``node_id`` is in the centre."""
    page.wait_for_function(
        """id => {
            const net = window.versterktNetwork;
            const c = net.getViewPosition();
            const p = net.getPositions([id])[id];
            return Math.hypot(c.x - p.x, c.y - p.y) < 1.5;
        }""",
        arg=node_id,
        timeout=timeout_ms,
    )


# --------------------------------------------------------------------------- basics


def test_all_nodes_drawn_offline(open_page, sample):
    nodes, edges, _ = sample
    view = open_page(render(nodes, edges))
    drawn = view.evaluate("() => window.versterktDrawnNodeIds()")
    assert sorted(drawn) == sorted(n["id"] for n in nodes)
    edge_ids = view.evaluate("() => window.versterktNetwork.body.data.edges.getIds()")
    assert sorted(edge_ids) == sorted(e["id"] for e in edges)
    # Nothing in the live DOM points outside the file.
    external = view.evaluate(
        """() => Array.from(document.querySelectorAll('[src], [href]'))
                 .map(e => e.getAttribute('src') || e.getAttribute('href'))
                 .filter(u => !/^(data:|blob:|#)/.test(u))"""
    )
    assert external == []
    assert view.page.locator("#vk-legend .vk-legend-item").count() == len(SAMPLE_LEGEND)
    assert view.page.locator("#vk-title").inner_text() == TITLE
    assert "18 elementen, 21 verbindingen" in view.page.locator("#vk-status").inner_text()
    assert view.page.locator("#vk-loading").is_hidden()
    view.assert_clean()


AFTER_TWO_FRAMES = """() => new Promise(done => requestAnimationFrame(() =>
    requestAnimationFrame(() => done(window.versterktFramesDrawn()))))"""


CAMERA = "() => [window.versterktNetwork.getScale(), window.versterktNetwork.getViewPosition()]"


@pytest.mark.parametrize("layout", ["python", "browser"])
def test_map_is_drawn_once_framed_before_it_is_ready(open_page, sample, layout):
    nodes, edges, _ = sample
    view = open_page(render(nodes, edges, layout=layout))
    # One drawing, already framed: nothing moves or is drawn again after ready.
    camera = view.evaluate(CAMERA)
    assert view.evaluate(AFTER_TWO_FRAMES) == 1
    assert view.evaluate(CAMERA) == camera
    view.assert_clean()


def test_search_selects_and_focuses_node(open_page, sample):
    nodes, edges, _ = sample
    view = open_page(render(nodes, edges))
    page = view.page
    page.locator("#vk-search").fill("schoolsys")
    results = page.locator("#vk-search-results button")
    assert results.all_inner_texts() == ["Het schoolsysteem"]
    page.locator("#vk-search").fill("ouders")
    assert set(results.all_inner_texts()) == {"Ouders", "Verwachtingen van ouders"}
    assert results.first.inner_text() == "Ouders"  # names starting with the query come first
    page.locator("#vk-search").fill("zzz-niet-bestaand")
    assert page.locator("#vk-search-results .vk-empty").inner_text() == "Niets gevonden."

    page.locator("#vk-search").fill("schoolsys")
    results.first.click()
    assert page.evaluate("() => window.versterktNetwork.getSelectedNodes()") == ["schoolsysteem"]
    assert page.locator("body").get_attribute("data-focus") == "schoolsysteem"
    assert page.locator("#vk-focus-current").inner_text() == "Rond: Het schoolsysteem"
    wait_centred_on(page, "schoolsysteem")
    view.screenshot("gezocht")

    # Enter picks the first hit.
    page.locator("#vk-search").fill("burn")
    page.locator("#vk-search").press("Enter")
    assert page.evaluate("() => window.versterktNetwork.getSelectedNodes()") == ["burn-out"]


def test_click_focus_fades_everything_beyond_n_steps(open_page, sample):
    nodes, edges, _ = sample
    view = open_page(render(nodes, edges))
    page = view.page
    all_ids = {n["id"] for n in nodes}
    assert faded(page) == set()

    x, y = view.node_dom_position("stress")
    page.mouse.click(x, y)
    page.wait_for_function("() => document.body.dataset.focus === 'stress'")
    near = neighbourhood(edges, "stress", 1)
    assert faded(page) == all_ids - near
    assert node_opacity(page, "stress") == 1
    assert node_opacity(page, "individualisme") == pytest.approx(0.15)
    # Edges that leave the highlighted part are faded too.
    edge_opacity = page.evaluate(
        "() => window.versterktNetwork.body.data.edges.get('r0').color.opacity"
    )
    assert edge_opacity == pytest.approx(0.15)
    assert "van 18 elementen uitgelicht" in page.locator("#vk-status").inner_text()
    view.screenshot("stap-1")

    page.locator("#vk-steps").fill("2")
    assert faded(page) == all_ids - neighbourhood(edges, "stress", 2)
    view.screenshot("stap-2")

    page.locator("#vk-direction").select_option("up")
    assert faded(page) == all_ids - neighbourhood(edges, "stress", 2, "up")
    page.locator("#vk-direction").select_option("down")
    assert faded(page) == all_ids - neighbourhood(edges, "stress", 2, "down")

    page.locator("#vk-reset").click()
    assert faded(page) == set()
    assert node_opacity(page, "individualisme") == 1
    assert page.locator("body").get_attribute("data-focus") is None


def test_facet_filters_fade_rather_than_hide(open_page, sample):
    nodes, edges, _ = sample
    view = open_page(render(nodes, edges))
    page = view.page
    groups = page.locator("#vk-filters fieldset")
    assert groups.evaluate_all("gs => gs.map(g => g.dataset.facet)") == [
        "soort",
        "niveau",
        "ronde",
        "status",
    ]
    page.locator("fieldset[data-facet='soort'] input[value='actor']").uncheck()
    actors = {n["id"] for n in nodes if n["facets"]["soort"] == "actor"}
    assert faded(page) == actors
    # Faded, not hidden: still drawn.
    assert len(view.evaluate("() => window.versterktDrawnNodeIds()")) == len(nodes)
    hidden = view.evaluate(
        "() => window.versterktNetwork.body.data.nodes.get().filter(n => n.hidden).length"
    )
    assert hidden == 0

    page.locator("fieldset[data-facet='ronde'] input[value='2']").uncheck()
    round_two = {n["id"] for n in nodes if n["facets"]["ronde"] == "2"}
    assert faded(page) == actors | round_two

    page.locator("fieldset[data-facet='status'] button", has_text="niets").click()
    faded_edges = set(page.evaluate("() => window.versterktFadedEdgeIds()"))
    assert faded_edges == {e["id"] for e in edges}
    view.screenshot("gefilterd")

    page.keyboard.press("Escape")
    assert faded(page) == set()
    assert page.locator("#vk-filters input:not(:checked)").count() == 0


@pytest.mark.parametrize("csp", [True, False], ids=["with-csp", "without-csp"])
def test_hostile_text_is_shown_as_text(open_page, sample, csp):
    nodes, edges, _ = sample
    hostile_label = f"Ouders {HOSTILE_IMG}"
    hostile_tooltip = f"Regel 1 {HOSTILE_SCRIPT}\nRegel 2 {HOSTILE_IMG} </script><!--"
    nodes[0]["label"] = hostile_label
    nodes[0]["tooltip"] = hostile_tooltip
    nodes[0]["facets"]["niveau"] = HOSTILE_IMG
    edges[0]["tooltip"] = HOSTILE_SCRIPT
    edges[0]["label"] = HOSTILE_IMG
    legend = [*SAMPLE_LEGEND, LegendEntry(HOSTILE_SCRIPT, "#123456", "node")]
    title = f"Kaart {HOSTILE_SCRIPT}"
    view = open_page(render(nodes, edges, title=title, legend=legend, content_security_policy=csp))
    page = view.page
    assert page.locator("#vk-title").inner_text() == title
    assert page.title() == title
    assert (
        page.evaluate("id => window.versterktNetwork.body.data.nodes.get(id).label", nodes[0]["id"])
        == hostile_label
    )
    assert page.locator("#vk-legend .vk-legend-label").last.inner_text() == HOSTILE_SCRIPT
    assert page.locator(f"#vk-filters label:has-text('{HOSTILE_IMG}')").count() == 1

    page.locator("#vk-search").fill("Ouders <img")
    assert page.locator("#vk-search-results button").all_inner_texts() == [hostile_label]

    # Hover the node: vis-network shows the tooltip as text, line by line.
    x, y = view.node_dom_position(nodes[0]["id"])
    page.mouse.move(x, y)
    page.wait_for_function(
        """() => { const t = document.querySelector('div.vis-tooltip');
                   return t && t.style.visibility === 'visible'; }"""
    )
    tip = page.locator("div.vis-tooltip")
    assert tip.evaluate("e => e.innerText") == hostile_tooltip
    # Only text and line breaks: nothing from the data became an element.
    assert tip.evaluate("e => Array.from(e.children).map(c => c.tagName)") == ["BR"]
    view.screenshot("tooltip")

    assert page.evaluate("() => document.querySelectorAll('img').length") == 0
    assert page.evaluate("() => document.querySelectorAll('script').length") == 3
    assert page.evaluate("() => typeof window.__pwned") == "undefined"


# --------------------------------------------------------------------------- positions


def test_same_data_gives_same_positions(open_page, sample):
    nodes, edges, _ = sample
    first = open_page(render(nodes, edges))
    second = open_page(render(nodes, edges))
    a, b = positions(first.page), positions(second.page)
    assert a.keys() == {n["id"] for n in nodes}
    assert a == b
    # Physics is off once the layout has settled: nothing drifts.
    first.page.wait_for_timeout(600)
    assert positions(first.page) == a


def test_given_positions_survive_rendering(open_page, sample):
    nodes, edges, _ = sample
    laid_out = open_page(render(nodes, edges))
    saved = positions(laid_out.page)
    moved = {
        k: {"x": round(v["x"] + 37.5, 2), "y": round(v["y"] - 12.25, 2)} for k, v in saved.items()
    }

    again = open_page(render(nodes, edges, positions=moved))
    assert positions(again.page) == moved
    again.page.wait_for_timeout(500)
    assert positions(again.page) == moved

    # Some nodes given, the rest laid out around them.
    some = dict(list(moved.items())[:6])
    partly = open_page(render(nodes, edges, positions=some))
    got = positions(partly.page)
    assert {k: got[k] for k in some} == some
    assert got.keys() == moved.keys()


def test_saved_positions_file_reproduces_the_view(open_page, sample, tmp_path):
    nodes, edges, _ = sample
    view = open_page(render(nodes, edges))
    page = view.page
    x, y = view.node_dom_position("huisarts")
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + 90, y - 70, steps=8)
    page.mouse.up()
    with page.expect_download() as info:
        page.locator("#vk-save-positions").click()
    download = info.value
    assert (
        download.suggested_filename
        == "vleuten-versterkt-prestatiedruk-onder-jongeren-posities.json"
    )
    saved_file = tmp_path / "posities.json"
    download.save_as(str(saved_file))
    saved = json.loads(saved_file.read_text(encoding="utf-8"))
    assert saved == positions(page)

    again = open_page(render(nodes, edges, positions=load_positions(saved_file)))
    assert positions(again.page) == saved
    # The same file twice: the same page twice.
    assert render(nodes, edges, positions=saved_file) == render(nodes, edges, positions=saved)


def test_dragged_node_stays_put(open_page, sample):
    nodes, edges, _ = sample
    view = open_page(render(nodes, edges))
    page = view.page
    before = positions(page)
    scale = page.evaluate("() => window.versterktNetwork.getScale()")
    x, y = view.node_dom_position("individualisme")
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + 60, y + 80, steps=10)
    page.mouse.up()
    page.wait_for_timeout(700)
    after = positions(page)
    moved = after["individualisme"]
    old = before["individualisme"]
    assert moved["x"] - old["x"] == pytest.approx(60 / scale, abs=2)
    assert moved["y"] - old["y"] == pytest.approx(80 / scale, abs=2)
    # Nothing else moved, and the dragged node does not drift back.
    assert {k: v for k, v in after.items() if k != "individualisme"} == {
        k: v for k, v in before.items() if k != "individualisme"
    }
    page.wait_for_timeout(500)
    assert positions(page)["individualisme"] == moved


# --------------------------------------------------------------------------- modes


def test_projector_mode_toggles(open_page, sample):
    nodes, edges, _ = sample
    view = open_page(render(nodes, edges))
    page = view.page
    button = page.locator("#vk-projector")
    body_font = "() => parseFloat(getComputedStyle(document.body).fontSize)"
    node_font = "() => window.versterktNetwork.body.nodes['stress'].options.font.size"
    assert page.evaluate(body_font) == 16
    assert page.evaluate(node_font) == 18

    width = "() => document.getElementById('vk-network').clientWidth"
    narrow = page.evaluate(width)
    drawn = view.draw_count()
    button.click()
    view.wait_draws(drawn + 1)
    assert "projector" in (page.locator("body").get_attribute("class") or "")
    assert button.get_attribute("aria-pressed") == "true"
    assert page.evaluate(body_font) == 20
    assert page.evaluate(node_font) == 22
    # Labels at least 18 pixels high on the screen; the controls make way for the map.
    assert 22 * page.evaluate("() => window.versterktNetwork.getScale()") >= 18
    assert page.locator("#vk-panel").is_hidden()
    assert page.locator("#vk-panel-toggle").inner_text() == "Bediening tonen"
    assert page.evaluate(width) > narrow + 250
    page.wait_for_timeout(200)
    view.screenshot("beamer")

    page.locator("#vk-panel-toggle").click()
    assert page.locator("#vk-panel").is_visible()
    page.locator("#vk-panel-toggle").click()
    assert page.locator("#vk-panel").is_hidden()

    drawn = view.draw_count()
    button.click()
    view.wait_draws(drawn + 1)
    assert "projector" not in (page.locator("body").get_attribute("class") or "")
    assert page.evaluate(node_font) == 18
    assert page.locator("#vk-panel").is_visible()


def test_projector_mode_at_start(open_page, sample):
    nodes, edges, _ = sample
    view = open_page(render(nodes, edges, projector=True), viewport={"width": 1920, "height": 1080})
    page = view.page
    assert "projector" in (page.locator("body").get_attribute("class") or "")
    assert (
        page.evaluate("() => window.versterktNetwork.body.nodes['stress'].options.font.size") == 22
    )
    # A faded node keeps the projector font size. The controls start hidden.
    assert page.locator("#vk-panel").is_hidden()
    page.locator("#vk-panel-toggle").click()
    page.locator("#vk-search").fill("Stress")
    page.locator("#vk-search").press("Enter")
    assert (
        page.evaluate(
            "() => window.versterktNetwork.body.nodes['individualisme'].options.font.size"
        )
        == 22
    )


def test_english_interface(open_page, sample):
    nodes, edges, _ = sample
    view = open_page(render(nodes, edges, lang="en", title="Performance pressure"))
    page = view.page
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("#vk-search").get_attribute("placeholder") == "Type a name…"
    assert page.locator("#vk-reset").inner_text() == "Show everything"
    assert page.locator("#vk-projector").inner_text() == "Projector mode"
    assert "18 elements, 21 connections" in page.locator("#vk-status").inner_text()
    page.locator("#vk-search").fill("Stress")
    page.locator("#vk-search").press("Enter")
    assert page.locator("#vk-focus-current").inner_text() == "Around: Stress"


def test_saves_png_with_title_and_legend(open_page, sample, screenshot_dir):
    nodes, edges, _ = sample
    view = open_page(render(nodes, edges))
    page = view.page
    with page.expect_download() as info:
        page.locator("#vk-save-png").click()
    download = info.value
    assert download.suggested_filename == "vleuten-versterkt-prestatiedruk-onder-jongeren.png"
    target = screenshot_dir / f"{view.name}--export.png"
    download.save_as(str(target))
    data = target.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width = int.from_bytes(data[16:20], "big")
    height = int.from_bytes(data[20:24], "big")
    canvas = page.evaluate(
        "() => { const c = document.querySelector('#vk-network canvas');"
        " return [c.width, c.height]; }"
    )
    assert width == canvas[0]
    assert height > canvas[1]  # title above, legend below


# --------------------------------------------------------------------------- size guard


def chain_graph(count: int) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    nodes = [
        {
            "id": f"n{i}",
            "label": f"Factor {i}",
            "group": "factor",
            "color": "#8fb3d1",
            "shape": "dot",
            "size": 14,
            "tooltip": f"Factor {i}",
            "facets": {"soort": "factor", "ronde": str(1 + i % 3)},
        }
        for i in range(count)
    ]
    edges = [
        {
            "id": f"e{i}",
            "from": f"n{i}",
            "to": f"n{i + 1}",
            "color": "#9a9a9a",
            "dashes": i % 2 == 0,
            "width": 2,
            "label": "",
            "tooltip": "",
            "arrows": "to",
            "facets": {},
        }
        for i in range(count - 1)
    ]
    return nodes, edges


def test_size_guard_draws_only_the_chosen_part(open_page):
    nodes, edges = chain_graph(25)
    view = open_page(render(nodes, edges, max_drawn_nodes=10))
    page = view.page
    assert page.evaluate("() => window.versterktDrawnNodeIds()") == []
    message = page.locator("#vk-message")
    assert message.is_visible()
    assert "25 elementen" in message.inner_text()
    view.screenshot("te-groot")

    page.locator("#vk-search").fill("Factor 12")
    page.locator("#vk-search-results button").first.click()
    view.wait_draws(2)
    assert sorted(page.evaluate("() => window.versterktDrawnNodeIds()")) == ["n11", "n12", "n13"]
    assert message.is_hidden()
    assert page.evaluate("() => window.versterktNetwork.getSelectedNodes()") == ["n12"]
    assert "3 van 25 elementen getekend" in page.locator("#vk-status").inner_text()
    view.screenshot("deel")

    # Positions already drawn stay where they were when the part grows.
    kept = positions(page)["n12"]
    page.locator("#vk-steps").fill("3")
    view.wait_draws(3)
    assert len(page.evaluate("() => window.versterktDrawnNodeIds()")) == 7
    assert positions(page)["n12"] == kept

    page.locator("#vk-steps").fill("9")
    page.wait_for_function("() => window.versterktDrawnNodeIds().length === 0")
    assert "19 elementen" in message.inner_text()

    # Filters alone can choose a small enough part too.
    page.locator("#vk-reset").click()
    page.locator("fieldset[data-facet='ronde'] input[value='1']").uncheck()
    page.locator("fieldset[data-facet='ronde'] input[value='2']").uncheck()
    page.wait_for_function("() => window.versterktDrawnNodeIds().length === 8")
    drawn = set(page.evaluate("() => window.versterktDrawnNodeIds()"))
    assert drawn == {n["id"] for n in nodes if n["facets"]["ronde"] == "3"}


def test_size_guard_at_default_threshold(open_page):
    nodes, edges = chain_graph(3100)
    # the vis page's guard: a map this large is drawn with WebGL unless vis is asked for
    view = open_page(render(nodes, edges, renderer="vis"))
    page = view.page
    assert page.locator("body").get_attribute("data-mode") == "large"
    assert page.evaluate("() => window.versterktDrawnNodeIds()") == []
    assert "3100 elementen" in page.locator("#vk-message").inner_text()
    page.locator("#vk-search").fill("Factor 800")
    page.locator("#vk-search").press("Enter")
    view.wait_draws(2)
    assert sorted(page.evaluate("() => window.versterktDrawnNodeIds()")) == [
        "n799",
        "n800",
        "n801",
    ]


def test_harness_catches_outside_requests(open_page):
    """The harness itself: a page that reaches out is caught and reported."""
    view = open_page(
        "<!DOCTYPE html><html><body data-ready='1'>"
        "<img src='http://example.invalid/x.png'>"
        "<script>fetch('https://example.invalid/api').catch(() => {});</script>"
        "</body></html>"
    )
    view.page.wait_for_timeout(300)
    assert sorted(view.blocked_requests) == [
        "http://example.invalid/x.png",
        "https://example.invalid/api",
    ]
    assert view.console_errors  # the browser reports the refused loads
    with pytest.raises(AssertionError, match="blocked request"):
        view.assert_clean()
    # Expected here: clear them so the fixture's final check passes.
    view.blocked_requests.clear()
    view.console_errors.clear()


def test_page_file_opened_from_disk(open_page, sample, tmp_path):
    nodes, edges, _ = sample
    path = tmp_path / "kaart met spaties.html"
    path.write_text(render(nodes, edges), encoding="utf-8")
    view = open_page(Path(path))
    assert len(view.evaluate("() => window.versterktDrawnNodeIds()")) == len(nodes)
