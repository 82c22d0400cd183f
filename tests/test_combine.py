"""Maps drawn by separate groups, combined: three small maps written for the test.

The young people, the parents and the professionals each drew a map. Their concepts
only partly overlap ("Druk van ouders" / "Druk vanuit ouders"; the professionals'
"Prestatiedruk" has another id; their id ``sport`` is another concept), and the
parents drew prestatiedruk -> stress with the other sign. Every number below is
computed by hand in the comments.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from graph import SystemMap
from graph.combine import GroupMap, Match, aggregate_weights, combine_maps, propose_matches
from loaders import load_map, write_workbook
from queries.consensus import consensus
from versterkt.cli import main

# these tests read the commands' English sentences
pytestmark = pytest.mark.usefixtures("english_output")


def _factor(m: SystemMap, node_id: str, name: str) -> None:
    m.add_node("Factor", node_id, name, level="persoon", role="bron")


def jongeren() -> SystemMap:
    m = SystemMap("jongeren", "Kaart van de jongeren")
    m.add_node("Source", "bron-j", "Jongerensessie", source_kind="verslag")
    for node_id, name in (
        ("druk-ouders", "Druk van ouders"),
        ("prestatiedruk", "Prestatiedruk"),
        ("stress", "Stress"),
        ("sport", "Sport"),
    ):
        _factor(m, node_id, name)
    m.add_link("j1", "INFLUENCES", "druk-ouders", "prestatiedruk", sign="+", weight=0.8)
    m.add_link(
        "ps", "INFLUENCES", "prestatiedruk", "stress", sign="+", weight=0.6, sources=("bron-j",)
    )
    m.add_link("j3", "INFLUENCES", "sport", "stress", sign="-", weight=0.4)
    return m


def ouders() -> SystemMap:
    m = SystemMap("ouders", "Kaart van de ouders")
    for node_id, name in (
        ("ouderdruk", "Druk vanuit ouders"),
        ("prestatiedruk", "Prestatiedruk"),
        ("stress", "Stress"),
        ("slaap", "Slaap"),
    ):
        _factor(m, node_id, name)
    m.add_link("o1", "INFLUENCES", "ouderdruk", "prestatiedruk", sign="+", weight=0.4)
    m.add_link("ps", "INFLUENCES", "prestatiedruk", "stress", sign="-", weight=0.5)  # the conflict
    m.add_link("o3", "INFLUENCES", "slaap", "stress", sign="-")  # no weight: unknown
    m.add_node("Quote", "q1", "Druk maakt mijn kind juist rustiger", group="ouder", about=("ps",))
    return m


def professionals() -> SystemMap:
    m = SystemMap("professionals", "Kaart van de professionals")
    for node_id, name in (
        ("pd", "Prestatiedruk"),
        ("stress", "Stress"),
        ("sport", "Sociale media"),
    ):  # the id sport: another concept
        _factor(m, node_id, name)
    m.add_link("p1", "INFLUENCES", "pd", "stress", sign="+", weight=0.9)
    m.add_link("p2", "INFLUENCES", "sport", "pd", sign="+", weight=0.5)
    return m


def group_maps() -> list[GroupMap]:
    return [
        GroupMap("jongeren", "jongere", jongeren()),
        GroupMap("ouders", "ouder", ouders()),
        GroupMap("professionals", "professional", professionals()),
    ]


def test_the_same_concepts_are_proposed_by_name_and_a_clashing_id_is_namespaced() -> None:
    proposed = {(m.key, m.node): (m.same_as, m.reason) for m in propose_matches(group_maps())}
    # 'druk van ouders' / 'druk vanuit ouders': 2 * 15 / 33 = 0.91, alike enough
    assert proposed[("ouders", "ouderdruk")] == ("druk-ouders", "lijkt op 'Druk van ouders'")
    assert proposed[("professionals", "pd")] == ("prestatiedruk", "zelfde naam")
    assert proposed[("ouders", "slaap")] == ("slaap", "eigen begrip")
    # the professionals' "sport" is Sociale media: not the young people's Sport
    assert proposed[("professionals", "sport")] == ("professionals.sport", "eigen begrip")


def test_three_group_maps_combine_into_links_with_their_groups_and_consensus() -> None:
    maps = group_maps()
    combined = combine_maps(maps, propose_matches(maps))
    m = combined.map
    assert sorted(n.id for n in m.factors()) == [
        "druk-ouders",
        "prestatiedruk",
        "professionals.sport",
        "slaap",
        "sport",
        "stress",
    ]
    drawn = {
        g.link: (g.source, g.target, g.sign, g.weight, g.groups, g.against) for g in combined.links
    }
    assert drawn == {
        # jongeren 0.8, ouders 0.4: (0.8 + 0.4) / 2
        "j1": ("druk-ouders", "prestatiedruk", "+", pytest.approx(0.6), ("jongere", "ouder"), ()),
        # jongeren 0.6, professionals 0.9; the parents drew it with the other sign
        "ps": (
            "prestatiedruk",
            "stress",
            "+",
            pytest.approx(0.75),
            ("jongere", "professional"),
            ("ouder",),
        ),
        "j3": ("sport", "stress", "-", 0.4, ("jongere",), ()),
        # the parents' own id ps is taken: namespaced; kept as its own link, not averaged
        "ouders.ps": ("prestatiedruk", "stress", "-", 0.5, ("ouder",), ("jongere", "professional")),
        "o3": ("slaap", "stress", "-", None, ("ouder",), ()),
        "p2": ("professionals.sport", "prestatiedruk", "+", 0.5, ("professional",), ()),
    }
    # the drawings are the reviews of round 1, each with its map's own weight
    assert [
        (r["group"], r["verdict"], r.get("weight")) for r in m.reviews if r["link"] == "ps"
    ] == [
        ("jongere", "eens", 0.6),
        ("ouder", "oneens", None),
        ("professional", "eens", 0.9),
    ]
    # every link keeps its evidence: the source, and the quote about the parents' link
    assert m.link("ps")["sources"] == ("bron-j",)
    assert m.node("q1")["about"] == ("ouders.ps",)

    # consensus over the three groups, P(eens | g) = (eens + 1) / (votes + 2):
    # a group that drew it 2/3, one that drew the other sign 1/3, one that did not 1/2
    table = consensus(m).set_index("item")
    expected = {
        "j1": (2 / 3 * 2 / 3 * 1 / 2, False, "bevestigd"),  # 2/9
        "j3": (2 / 3 * 1 / 2 * 1 / 2, False, "bevestigd"),  # 1/6
        "o3": (1 / 6, False, "bevestigd"),
        "p2": (1 / 6, False, "bevestigd"),
        "ps": (2 / 3 * 1 / 3 * 2 / 3, True, "betwist"),  # 4/27
        "ouders.ps": (1 / 3 * 2 / 3 * 1 / 3, True, "betwist"),  # 2/27
    }
    assert list(table.index) == ["j1", "j3", "o3", "p2", "ps", "ouders.ps"]
    for link, (score, divided, status) in expected.items():
        assert table.loc[link, "consensus"] == pytest.approx(score)
        assert (table.loc[link, "divided"], table.loc[link, "status"]) == (divided, status)
    assert table.loc["ps", "groups"] == ["jongere", "ouder", "professional"]


def test_weights_are_aggregated_within_each_group_first_then_across_groups() -> None:
    # three young people's maps (0.2, 0.4, 0.9) and one parents' map (0.8):
    # mean: young people 1.5 / 3 = 0.5, then (0.5 + 0.8) / 2 = 0.65 -- pooling all four
    # maps would give 2.3 / 4 = 0.575; median: young people 0.4, then (0.4 + 0.8) / 2
    weights = {"jongere": [0.2, 0.4, 0.9], "ouder": [0.8]}
    assert aggregate_weights(weights, "mean") == (
        pytest.approx(0.65),
        {"jongere": pytest.approx(0.5), "ouder": 0.8},
    )
    assert aggregate_weights(weights, "median") == (
        pytest.approx(0.6),
        {"jongere": 0.4, "ouder": 0.8},
    )
    maps = [
        GroupMap(f"j{i}", "jongere", _one_link(f"j{i}", w)) for i, w in enumerate((0.2, 0.4, 0.9))
    ] + [GroupMap("o", "ouder", _one_link("o", 0.8))]
    combined = combine_maps(maps, propose_matches(maps), "median")
    assert combined.map.link("ab")["weight"] == pytest.approx(0.6)
    assert combined.links[0].group_weights == {"jongere": 0.4, "ouder": 0.8}


def _one_link(map_id: str, weight: float) -> SystemMap:
    m = SystemMap(map_id)
    _factor(m, "a", "A")
    _factor(m, "b", "B")
    m.add_link("ab", "INFLUENCES", "a", "b", sign="+", weight=weight)
    return m


def _write_maps(tmp_path: Path) -> list[str]:
    paths = [tmp_path / "jongeren", tmp_path / "ouders.xlsx", tmp_path / "professionals.xlsx"]
    for path, m in zip(paths, (jongeren(), ouders(), professionals()), strict=True):
        write_workbook(m, path)
    return [str(p) for p in paths]


GROUP_OPTIONS = ["--group", "jongere", "--group", "ouder", "--group", "professional"]


def test_the_combine_command_proposes_then_takes_the_confirmed_sheet(tmp_path: Path) -> None:
    maps = _write_maps(tmp_path)
    out = tmp_path / "samen.xlsx"
    result = CliRunner().invoke(main, ["combine", *maps, "--out", str(out), *GROUP_OPTIONS])
    assert result.exit_code == 0, result.output
    sheet = tmp_path / "samen-koppelingen.xlsx"
    assert f"then run again with --matches {sheet}" in result.stderr
    combined = load_map(out)
    assert combined.link("ouders.ps")["sign"] == "-" and combined.link("ps")["sign"] == "+"

    # the analyst decides that the parents' Slaap is the young people's Sport (for the test)
    rows = pd.read_excel(sheet, sheet_name="koppelingen", dtype=str, keep_default_na=False)
    rows.loc[(rows["kaart"] == "ouders") & (rows["id"] == "slaap"), "zelfde_als"] = "sport"
    rows.to_excel(sheet, sheet_name="koppelingen", index=False)
    again = ["combine", *maps, "--out", str(out), "--matches", str(sheet), *GROUP_OPTIONS]
    result = CliRunner().invoke(main, again)
    assert result.exit_code == 0, result.output
    combined = load_map(out)
    # the parents' Slaap -> Stress is now the young people's Sport -> Stress: one link
    assert "slaap" not in combined and "o3" not in combined
    assert combined.link("j3")["origin"] == "getekend door: jongere, ouder"


def test_a_concept_matched_to_two_is_refused_naming_the_cell(tmp_path: Path) -> None:
    maps = _write_maps(tmp_path)
    out = tmp_path / "samen.xlsx"
    CliRunner().invoke(main, ["combine", *maps, "--out", str(out), *GROUP_OPTIONS])
    sheet = tmp_path / "samen-koppelingen.xlsx"
    rows = pd.read_excel(sheet, sheet_name="koppelingen", dtype=str, keep_default_na=False)
    twice = rows[(rows["kaart"] == "ouders") & (rows["id"] == "ouderdruk")].assign(
        zelfde_als="stress"
    )
    rows = pd.concat([rows, twice], ignore_index=True)
    rows.to_excel(sheet, sheet_name="koppelingen", index=False)
    before = out.read_bytes()
    again = ["combine", *maps, "--out", str(out), "--matches", str(sheet), *GROUP_OPTIONS]
    result = CliRunner().invoke(main, again)
    assert result.exit_code != 0
    row = len(rows) + 1  # the header is row 1
    first = rows.index[(rows["kaart"] == "ouders") & (rows["id"] == "ouderdruk")][0] + 2
    assert (
        f"{sheet}:{row}:zelfde_als: 'ouderdruk' of map 'ouders' is matched to two concepts: "
        f"'druk-ouders' (row {first}) and 'stress'"
    ) in result.output
    assert "Traceback" not in result.output
    assert out.read_bytes() == before  # nothing written


def test_maps_need_a_group_each_and_keys_of_their_own(tmp_path: Path) -> None:
    maps = _write_maps(tmp_path)
    result = CliRunner().invoke(main, ["combine", *maps, "--out", str(tmp_path / "s.xlsx")])
    assert result.exit_code == 2
    assert "give the group of each map: 3 maps, 0 --group" in result.output
    with pytest.raises(ValueError, match="two maps have the key 'a'"):
        combine_maps([GroupMap("a", "ouder", jongeren()), GroupMap("a", "jongere", ouders())], [])
    with pytest.raises(ValueError, match="is matched to two concepts"):
        combine_maps(
            group_maps(),
            [
                Match("ouders", "slaap", "Slaap", "sport"),
                Match("ouders", "slaap", "Slaap", "stress"),
            ],
        )


def test_a_scenario_on_the_combined_map_differs_by_group() -> None:
    from queries.scenarios import answer as scenario

    maps = group_maps()
    m = combine_maps(maps, propose_matches(maps)).map
    result = scenario(m, {"prestatiedruk": 1.0}, compare=True, draws=20)
    stress = result[result["node"] == "stress"].set_index("perspective")["direction"]
    # each group's map: without the links it drew with the other sign. The young
    # people and the professionals drew prestatiedruk -> stress with +, the parents
    # with -; confirmed keeps neither (both are betwist), so stress does not move
    assert stress.to_dict() == {
        "all": "up",  # + 0.75 and - 0.5 together
        "confirmed": "unchanged",
        "jongere": "up",
        "ouder": "down",
        "professional": "up",
    }


def _change(weight: float) -> float:
    """The change of b when a -> b (weight w) is turned to 1, by hand: Kosko's rule and
    the sigmoid; the baseline settles at a = f(0) = 1/2, b = f(w/2); the scenario at
    b = f(w)."""
    f = lambda x: 1 / (1 + math.exp(-x))  # noqa: E731
    return f(weight) - f(weight / 2)


def test_a_scenario_aggregates_within_each_group_first_then_across_groups(
    tmp_path: Path,
) -> None:
    maps = [
        GroupMap(f"j{i}", "jongere", _one_link(f"j{i}", w)) for i, w in enumerate((0.2, 0.4, 0.9))
    ] + [GroupMap("o", "ouder", _one_link("o", 0.8))]
    m = combine_maps(maps, propose_matches(maps)).map  # the map's weight: the mean, 0.65
    write_workbook(m, tmp_path / "samen")

    def changes(*options: str) -> dict[str, float]:
        args = ["scenario", str(tmp_path / "samen"), "--turn", "a=1", "--compare", *options]
        result = CliRunner().invoke(main, [*args, "--format", "json"])
        assert result.exit_code == 0, result.output
        rows = json.loads(result.output)
        return {r["perspective"]: r["change"] for r in rows if r["node"] == "b"}

    # by default the map's weight, as combined: the mean of the groups' means,
    # (0.5 + 0.8) / 2 = 0.65, not the pooled (0.2 + 0.4 + 0.9 + 0.8) / 4 = 0.575;
    # each group's perspective takes its own weight, the mean within the group
    assert changes() == {
        "all": pytest.approx(_change(0.65), abs=1e-6),
        "confirmed": pytest.approx(_change(0.65), abs=1e-6),
        "jongere": pytest.approx(_change(0.5), abs=1e-6),  # (0.2 + 0.4 + 0.9) / 3
        "ouder": pytest.approx(_change(0.8), abs=1e-6),
    }
    # median: within the young people 0.4, then across the groups (0.4 + 0.8) / 2 = 0.6
    assert changes("--aggregate", "median") == {
        "all": pytest.approx(_change(0.6), abs=1e-6),
        "confirmed": pytest.approx(_change(0.6), abs=1e-6),
        "jongere": pytest.approx(_change(0.4), abs=1e-6),
        "ouder": pytest.approx(_change(0.8), abs=1e-6),
    }
    assert changes("--aggregate", "mean")["all"] == pytest.approx(_change(0.65), abs=1e-6)


def test_a_link_without_a_sign_drawn_by_two_groups_is_agreed_not_opposed() -> None:
    maps = []
    for key, group in (("a", "jongere"), ("b", "ouder")):
        m = SystemMap(key)
        m.add_node("Actor", "ouders", "Ouders", actor_kind="groep")
        _factor(m, "verwachtingen", "Verwachtingen")
        m.add_link("knop", "CAN_ADJUST", "ouders", "verwachtingen")
        maps.append(GroupMap(key, group, m))
    combined = combine_maps(maps, propose_matches(maps))
    (link,) = combined.links
    assert (link.groups, link.against) == (("jongere", "ouder"), ())
    assert [r["verdict"] for r in combined.map.reviews] == ["eens", "eens"]


def test_maps_with_the_same_file_name_take_their_folders_name(tmp_path: Path) -> None:
    for folder, m in (("a", jongeren()), ("b", ouders())):
        write_workbook(m, tmp_path / folder / "kaart.xlsx")
    maps = [str(tmp_path / "a" / "kaart.xlsx"), str(tmp_path / "b" / "kaart.xlsx")]
    out = tmp_path / "samen.xlsx"
    args = ["combine", *maps, "--group", "jongere", "--group", "ouder", "--out", str(out)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    # both maps have a link ps, with other signs: the second is namespaced by its map
    assert load_map(out).link("b-kaart.ps")["sign"] == "-"


def test_a_map_from_kumu_combines_with_workbooks(tmp_path: Path) -> None:
    from loaders.interchange import write_map

    write_workbook(jongeren(), tmp_path / "jongeren.xlsx")
    write_map(professionals(), tmp_path / "professionals.json", "kumu")
    maps = [str(tmp_path / "jongeren.xlsx"), str(tmp_path / "professionals.json")]
    out = tmp_path / "samen"
    args = ["combine", *maps, "--group", "jongere", "--group", "professional", "--out", str(out)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    combined = load_map(out)
    # Kumu's Prestatiedruk and Stress are the young people's: their link is drawn by both
    assert combined.link("ps")["origin"] == "getekend door: jongere, professional"
    assert combined.node("sociale-media").name == "Sociale media"


def test_a_less_similar_name_is_proposed_only_with_a_shared_link() -> None:
    # 'verwachtingen ouders' / 'hoge verwachtingen van ouders': 0.82, below 0.85
    def drawn(key: str, name: str, linked: bool) -> GroupMap:
        m = SystemMap(key)
        _factor(m, "v", name)
        _factor(m, "stress", "Stress")
        _factor(m, "slaap", "Slaap")
        m.add_link("l", "INFLUENCES", "v", "stress" if linked else "slaap", sign="+")
        return GroupMap(key, "ouder" if key == "b" else "jongere", m)

    first = drawn("a", "Verwachtingen ouders", True)
    linked = propose_matches([first, drawn("b", "Hoge verwachtingen van ouders", True)])
    assert (linked[3].node, linked[3].same_as, linked[3].reason) == (
        "v",
        "v",
        "lijkt op 'Verwachtingen ouders', met een gedeelde relatie",
    )
    apart = propose_matches([first, drawn("b", "Hoge verwachtingen van ouders", False)])
    assert (apart[3].node, apart[3].same_as, apart[3].reason) == ("v", "b.v", "eigen begrip")


def test_the_outcome_the_maps_share_is_the_combined_maps() -> None:
    a, b = jongeren(), professionals()
    a.meta["outcome"], b.meta["outcome"] = "stress", "stress"
    maps = [GroupMap("a", "jongere", a), GroupMap("b", "professional", b)]
    assert combine_maps(maps, propose_matches(maps)).map.meta["outcome"] == "stress"
    b.meta["outcome"] = "pd"  # their Prestatiedruk: another outcome than the young people's
    assert "outcome" not in combine_maps(maps, propose_matches(maps)).map.meta


def test_every_bad_cell_of_the_sheet_is_named(tmp_path: Path) -> None:
    from loaders import WorkbookInvalid
    from loaders.combine import read_matches

    sheet = tmp_path / "koppelingen.csv"
    sheet.write_text(
        "kaart,id,zelfde_als\n"
        "ouders,ouderdruk,druk-ouders\n"
        "grootouders,stress,stress\n"  # no such map
        "ouders,strss,stress\n"  # no such concept
        "ouders,slaap,Slaap Tekort\n",  # not an id
        encoding="utf-8",
    )
    with pytest.raises(WorkbookInvalid) as caught:
        read_matches(sheet, group_maps())
    assert [str(e) for e in caught.value.errors] == [
        f"{sheet}:3:kaart: unknown map 'grootouders' (maps: jongeren, ouders, professionals)",
        f"{sheet}:4:id: map 'ouders' has no actor or factor 'strss'",
        f'{sheet}:5:zelfde_als: "Slaap Tekort" is not a valid id: use lower-case letters, '
        "digits and dashes",
    ]
