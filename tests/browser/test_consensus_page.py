"""The map page marks a link that divides the groups, and its legend says so."""

from __future__ import annotations

import pytest

from graph import SystemMap, schema
from views.map import render_map

pytestmark = pytest.mark.browser


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


@pytest.mark.parametrize(
    ("lang", "label"), [("nl", "verdeelt de groepen"), ("en", "divides the groups")]
)
def test_the_legend_shows_the_halo_of_a_link_that_divides_the_groups(open_page, lang, label):
    view = open_page(render_map(_divided_map(), lang))
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
