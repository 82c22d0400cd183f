"""The map page marks a link that divides the groups with an amber halo, drawn by either
renderer, and its legend says so."""

from __future__ import annotations

import pytest

from graph import SystemMap, schema
from views.map import render_map

pytestmark = pytest.mark.browser

#: Resolves after two animation frames: the map has drawn what it was given.
WAIT_FRAMES = """() => new Promise(done => requestAnimationFrame(() =>
    requestAnimationFrame(() => done(true))))"""


def _divided_map() -> SystemMap:
    m = SystemMap("demo")
    m.add_record("rounds", number=1, name="Eerste ronde")
    for f in ("a", "b", "c"):
        m.add_node("Factor", f, f.upper(), level="persoon", role="bron")
    m.add_node("Source", "s", "Verslag", source_kind="verslag")
    m.add_link("ab", "INFLUENCES", "a", "b", sign="+", sources=("s",))
    m.add_link("bc", "INFLUENCES", "b", "c", sign="-", sources=("s",))
    for i, (link, group, verdict) in enumerate(
        [("ab", "ouder", "eens"), ("ab", "jongere", "oneens"), ("bc", "ouder", "eens")]
    ):
        m.add_record("reviews", id=f"r{i}", link=link, round=1, group=group, verdict=verdict)
    return m


#: The colour of the swatch of a legend entry, above its line (where only a halo is).
_ABOVE_THE_LINE = """label => {
    const item = [...document.querySelectorAll('#vk-legend .vk-legend-item')]
        .find(i => i.textContent.trim() === label);
    const c = item.querySelector('canvas');
    const r = c.width / 48;
    return Array.from(c.getContext('2d').getImageData(24 * r, 2 * r, 1, 1).data);
}"""


@pytest.mark.parametrize("renderer", ["vis", "webgl"])
@pytest.mark.parametrize(
    ("lang", "label"), [("nl", "verdeelt de groepen"), ("en", "divides the groups")]
)
def test_the_legend_shows_the_halo_of_a_link_that_divides_the_groups(
    open_page, lang, label, renderer
):
    view = open_page(render_map(_divided_map(), lang, renderer=renderer))
    page = view.page
    labels = page.locator("#vk-legend .vk-legend-label").all_inner_texts()
    assert label in labels
    r, g, b, a = page.evaluate(_ABOVE_THE_LINE, label)
    assert (r, g, b) == (0xE6, 0x9F, 0x00) and a == 255  # the map's amber halo
    # another line's swatch has nothing above its line
    other = (schema.SIGN_LABELS_NL if lang == "nl" else schema.SIGN_LABELS_EN)["+"]
    assert other in labels
    assert page.evaluate(_ABOVE_THE_LINE, other)[3] == 0
    view.assert_clean()


def test_the_small_map_draws_the_halo_of_a_link_that_divides_the_groups(open_page):
    view = open_page(render_map(_divided_map(), renderer="vis"))
    edges = "id => window.versterktNetwork.body.data.edges.get(id).shadow || null"
    halo = view.evaluate(edges, "ab")
    assert halo["enabled"] and halo["color"] == "#E69F00"
    assert view.evaluate(edges, "bc") is None  # the groups agree on this one
    view.assert_clean()


def test_the_webgl_map_draws_the_halo_of_a_link_that_divides_the_groups(open_page):
    view = open_page(render_map(_divided_map(), renderer="webgl"))
    view.evaluate(WAIT_FRAMES)
    shown = """id => {
        const d = window.versterktNetwork.sigma.getEdgeDisplayData('\\u0000halo:' + id);
        return d ? [d.color, d.hidden, d.size > 0] : null;
    }"""
    assert view.evaluate(shown, "ab") == ["#E69F00", False, True]
    assert view.evaluate(shown, "bc") is None
    # under its link: wider than the link's own line
    sizes = view.evaluate(
        """() => {
            const s = window.versterktNetwork.sigma;
            return [s.getEdgeDisplayData('\\u0000halo:ab').size, s.getEdgeDisplayData('ab').size];
        }"""
    )
    assert sizes[0] > sizes[1]
    view.assert_clean()
