"""Steps for a session: named views, defined in the workbook's ``stappen`` sheet and
carried by the session bundle, that the facilitator steps through with the arrow
keys (or a presenter's page keys)."""

from __future__ import annotations

from graph import SystemMap
from loaders import EXAMPLE_CYCLE, load_map, write_workbook
from views.bundle import write_bundle
from views.map import link_statuses, render_map

LOOP = {"inv-perfectionisme-prestatiedruk", "inv-prestatiedruk-perfectionisme"}


def session_map() -> SystemMap:
    m = load_map(EXAMPLE_CYCLE / "ronde-2")
    m.add_record(
        "steps",
        number=1,
        name="Wat drukt op jongeren",
        focus="prestatiedruk",
        depth=1,
        direction="oorzaken",
    )
    m.add_record("steps", number=2, name="De lus", highlight=sorted(LOOP))
    m.add_record("steps", number=3, name="Wat betwist is", filter="status=betwist")
    return m


def shown(view) -> tuple[set[str], set[str]]:
    """The nodes and links the page shows (drawn and not faded)."""
    nodes = set(view.evaluate("() => window.versterktDrawnNodeIds()"))
    edges = set(view.evaluate("() => window.versterktNetwork.body.data.edges.getIds()"))
    faded_nodes = set(view.evaluate("() => window.versterktFadedNodeIds()"))
    faded_edges = set(view.evaluate("() => window.versterktFadedEdgeIds()"))
    return nodes - faded_nodes, edges - faded_edges


def test_arrow_keys_step_through_the_sessions_views(open_page, tmp_path):
    m = session_map()
    folder = tmp_path / "werkboek"
    write_workbook(m, folder)
    m = load_map(folder)  # the steps come back from the workbook
    assert [s["name"] for s in sorted(m.records["steps"], key=lambda s: s["number"])] == [
        "Wat drukt op jongeren",
        "De lus",
        "Wat betwist is",
    ]
    view = open_page(render_map(m))
    page = view.page
    assert page.locator("#vk-steps-list button").all_inner_texts() == [
        "1. Wat drukt op jongeren",
        "2. De lus",
        "3. Wat betwist is",
    ]
    causes = {link.source for link in m.links() if link.target == "prestatiedruk"}
    causes = {c for c in causes if c in set(view.evaluate("() => window.versterktDrawnNodeIds()"))}

    page.keyboard.press("ArrowRight")
    assert page.locator("body").get_attribute("data-step") == "1"
    assert page.locator("#vk-step-bar").inner_text() == "Stap 1 van 3: Wat drukt op jongeren"
    nodes, _ = shown(view)
    assert nodes == causes | {"prestatiedruk"}
    view.screenshot("stap-1")

    page.keyboard.press("ArrowRight")
    nodes, edges = shown(view)
    assert edges == LOOP and nodes == {"prestatiedruk", "perfectionisme"}
    view.screenshot("stap-2")

    page.keyboard.press("PageDown")  # a presenter's clicker
    contested = {k for k, v in link_statuses(m).items() if v == "betwist"}
    _, edges = shown(view)
    assert contested and edges == contested
    page.keyboard.press("ArrowRight")  # past the last step: stays
    assert page.locator("body").get_attribute("data-step") == "3"

    page.keyboard.press("ArrowLeft")
    assert shown(view)[1] == LOOP
    page.keyboard.press("Escape")
    assert page.locator("#vk-step-bar").is_hidden()
    assert shown(view)[0] == set(view.evaluate("() => window.versterktDrawnNodeIds()"))
    view.assert_clean()


def test_the_bundle_carries_the_steps(open_page, tmp_path):
    bundle = write_bundle(session_map(), tmp_path / "sessie")
    view = open_page(bundle.folder / "kaart.html", allow_dir=bundle.folder)
    assert view.page.locator("#vk-steps-list button").count() == 3
    view.page.keyboard.press("ArrowRight")
    view.page.keyboard.press("ArrowRight")
    assert shown(view)[1] == LOOP
    view.assert_clean()


def test_views_saved_from_the_page_become_the_workbooks_steps(open_page, tmp_path):
    folder = tmp_path / "werkboek"
    write_workbook(load_map(EXAMPLE_CYCLE / "ronde-2"), folder)
    view = open_page(render_map(load_map(folder)))
    page = view.page
    assert page.locator("#vk-steps-list button").count() == 0
    page.locator("#vk-search").fill("Prestatiedruk")
    page.locator("#vk-search").press("Enter")
    page.select_option("#vk-direction", "up")
    page.locator("#vk-step-add").click()
    page.locator("#vk-loops button").first.click()
    page.locator("#vk-step-add").click()
    page.locator("#vk-reset").click()
    page.locator("fieldset[data-facet='status'] input[value='hypothese']").uncheck()
    page.locator("#vk-step-add").click()
    assert page.locator("#vk-steps-list button").all_inner_texts() == [
        "1. Prestatiedruk",
        "2. Perfectionisme → Prestatiedruk → Perfectionisme",
        "3. Weergave 3",
    ]
    with page.expect_download() as download:
        page.locator("#vk-steps-save").click()
    assert download.value.suggested_filename == "stappen.csv"
    download.value.save_as(folder / "stappen.csv")

    m = load_map(folder)  # read and checked like any sheet of the workbook
    steps = sorted(m.records["steps"], key=lambda s: s["number"])
    assert (steps[0]["focus"], steps[0]["direction"]) == ("prestatiedruk", "oorzaken")
    assert [s.get("focus") for s in steps[1:]] == [None, None]
    assert steps[2]["filter"] == "status=betwist, bevestigd"
    assert set(steps[1]["highlight"]) == LOOP
    again = open_page(render_map(m))
    again.page.keyboard.press("ArrowRight")
    nodes, _ = shown(again)
    causes = {link.source for link in m.links() if link.target == "prestatiedruk"}
    assert "prestatiedruk" in nodes and nodes <= causes | {"prestatiedruk"}
    again.page.keyboard.press("ArrowRight")
    assert shown(again)[1] == LOOP
    again.page.keyboard.press("ArrowRight")
    statuses = link_statuses(m)
    assert shown(again)[1] and all(
        statuses.get(e, "hypothese") != "hypothese" for e in shown(again)[1]
    )
    view.assert_clean()
    again.assert_clean()
