"""Knoppen under uncertainty: sampled weights, stable samples, observations, ranking."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from graph import SystemMap
from graph.errors import QueryError, UnknownNode
from loaders import load_map, write_workbook
from queries import answer
from queries.knoppen import (
    Observation,
    kendall_tau,
    knoppen,
    knoppen_note,
    knoppen_robustness,
    sample_effects,
    wilson_interval,
)
from queries.scenarios import concept_map
from versterkt.cli import main

# these tests read the commands' English sentences
pytestmark = pytest.mark.usefixtures("english_output")


def signed_map(links: list[tuple[str, str, str, str, float | None]], **roles: str) -> SystemMap:
    """A map of factors joined by (id, source, target, sign, weight) links."""
    m = SystemMap("proef", "Proef")
    nodes = sorted({n for _, a, b, _, _ in links for n in (a, b)})
    for node in nodes:
        m.add_node("Factor", node, node.title(), role=roles.get(node, "bron"))
    for link_id, source, target, sign, weight in links:
        m.add_link(link_id, "INFLUENCES", source, target, sign=sign, weight=weight)
    return m


def known_answer_map() -> SystemMap:
    """Knob ``sterk`` reaches ``uitkomst`` through two chains of strong positive links;
    knob ``gemengd`` through one chain that raises it and one that lowers it."""
    m = signed_map(
        [
            ("s1", "sterk", "a", "+", None),
            ("s2", "a", "uitkomst", "+", None),
            ("s3", "sterk", "b", "+", None),
            ("s4", "b", "uitkomst", "+", None),
            ("g1", "gemengd", "c", "+", None),
            ("g2", "c", "uitkomst", "+", None),
            ("g3", "gemengd", "d", "+", None),
            ("g4", "d", "uitkomst", "-", None),
        ],
        uitkomst="uitkomst",
    )
    m.add_node("Actor", "school", "School", actor_kind="organisatie")
    m.add_link("k1", "CAN_ADJUST", "school", "sterk")
    m.add_link("k2", "CAN_ADJUST", "school", "gemengd")
    return m


STRONG = {link: (0.6, 1.0) for link in ("s1", "s2", "s3", "s4")}


def test_the_knob_with_strong_positive_chains_ranks_first_in_95_percent_of_kept_samples():
    m = known_answer_map()
    cm = concept_map(m)
    result = sample_effects(
        cm, "uitkomst", ["gemengd", "sterk"], samples=2000, seed=1, weight_ranges=STRONG
    )
    kept = result.kept
    assert kept.sum() == 2000  # no loops: every sample is stable
    mixed, strong = np.abs(result.effects[:, kept])
    assert (strong > mixed).mean() >= 0.95
    table = knoppen(m, only_knobs=True, samples=2000, seed=1, weight_ranges=STRONG)
    assert table["factor"].tolist() == ["sterk", "gemengd"]
    assert table["top_share"].iloc[0] >= 0.95 and table["top_low"].iloc[0] > 0.9
    assert table["tier"].tolist() == [1, 2]
    assert table["adjusted_by"].tolist() == [["school"], ["school"]]
    # the mixed knob moves the outcome either way, depending on the weights
    mixed_row = table.set_index("factor").loc["gemengd"]
    assert mixed_row["share_up"] > 0.2 and mixed_row["share_down"] > 0.2


def test_every_factor_upstream_is_ranked_unless_only_knobs():
    table = knoppen(known_answer_map(), samples=200)
    assert sorted(table["factor"]) == ["a", "b", "c", "d", "gemengd", "sterk"]
    assert "uitkomst" not in set(table["factor"])


def test_the_effects_are_the_sums_over_every_walk_of_the_sampled_weights():
    """The effect of each factor is entry (i, outcome) of (I - W)^-1, per sample."""
    m = signed_map(
        [
            ("ab", "a", "b", "+", None),
            ("bc", "b", "c", "-", 0.5),
            ("cb", "c", "b", "+", None),  # a loop
            ("ca", "c", "a", "+", None),
            ("bo", "b", "uit", "+", None),
        ]
    )
    cm = concept_map(m)
    result = sample_effects(cm, "uit", ["a", "b", "c"], samples=50, seed=4, tolerance=1e-7)
    ids = cm.ids()
    at = {node: i for i, node in enumerate(ids)}
    for s in range(50):
        w = np.zeros((len(ids), len(ids)))
        for row, link in enumerate(result.links):
            w[at[link["source"]], at[link["target"]]] += result.weights[row, s]
        exact = np.linalg.inv(np.eye(len(ids)) - w)[:, at["uit"]]
        np.testing.assert_allclose(result.effects[:, s], exact[[at["a"], at["b"], at["c"]]],
                                   atol=1e-5)  # fmt: skip


def test_samples_whose_loops_amplify_a_push_are_dropped_as_unstable():
    """Two reinforcing loops through x: the walks add up only while the sum of their
    products (the spectral radius squared) stays below 1."""
    ranges = {link: (0.5, 1.0) for link in ("xy", "yx", "xz", "zx")}
    m = signed_map(
        [
            ("xy", "x", "y", "+", None),
            ("yx", "y", "x", "+", None),
            ("xz", "x", "z", "+", None),
            ("zx", "z", "x", "+", None),
            ("xo", "x", "uit", "+", None),
            ("ky", "knop", "y", "+", None),
        ]
    )
    result = sample_effects(concept_map(m), "uit", ["knop"], samples=1000, weight_ranges=ranges)
    row = {link["id"]: i for i, link in enumerate(result.links)}
    w = result.weights.astype(np.float64)
    radius2 = w[row["xy"]] * w[row["yx"]] + w[row["xz"]] * w[row["zx"]]
    assert not result.stable[radius2 >= 1.0].any()
    assert result.stable[radius2 <= 0.8].all()
    table = knoppen(m, "uit", samples=1000, weight_ranges=ranges)
    report = table.attrs["report"]
    assert report.unstable == int((~result.stable).sum()) > 100
    assert report.kept + report.unstable == report.drawn == 1000
    note = knoppen_note(table)
    assert f"{report.unstable:,} dropped as unstable" in note


def observed_map() -> SystemMap:
    """a raises b directly and lowers it through c: which wins depends on the weights."""
    return signed_map(
        [
            ("ab", "a", "b", "+", None),
            ("ac", "a", "c", "+", None),
            ("cb", "c", "b", "-", None),
            ("bo", "b", "uit", "+", None),
            ("ko", "k", "uit", "+", None),
        ],
        uit="uitkomst",
    )


def test_an_observation_removes_exactly_the_samples_that_contradict_it():
    m = observed_map()
    cm = concept_map(m)
    seen = Observation("w1", "a", "b", "+")
    without = sample_effects(cm, "uit", ["a", "k"], samples=1000, seed=2)
    with_it = sample_effects(cm, "uit", ["a", "k"], [seen], samples=1000, seed=2)
    row = {link["id"]: i for i, link in enumerate(with_it.links)}
    w = with_it.weights.astype(np.float64)
    a_on_b = w[row["ab"]] + w[row["ac"]] * w[row["cb"]]  # signed: the route via c lowers b
    contradicting = a_on_b <= 1e-4
    assert 100 < contradicting.sum() < 900  # some, not all
    np.testing.assert_array_equal(with_it.contradicts["w1"], contradicting)
    np.testing.assert_array_equal(with_it.kept, without.kept & ~contradicting)
    np.testing.assert_array_equal(with_it.weights, without.weights)  # the same draws
    # the opposite observation keeps exactly the others
    other = sample_effects(cm, "uit", ["a"], [Observation("w2", "a", "b", "-")], samples=1000,
                           seed=2)  # fmt: skip
    assert not (other.kept & with_it.kept).any()
    assert (other.kept | with_it.kept).sum() >= 999  # at most a tie at the tolerance
    table = knoppen(m, samples=1000, seed=2, observations=[seen])
    assert table.attrs["report"].contradicting == {"w1": int(contradicting.sum())}
    assert table.attrs["report"].kept == int((~contradicting).sum())


def test_observations_come_from_the_waarnemingen_sheet(tmp_path: Path):
    m = observed_map()
    m.add_record("observations", id="w1", source="a", target="b", sign="+",
                 origin="bewoners, tweede bijeenkomst")  # fmt: skip
    book = write_workbook(m, tmp_path / "kaart.xlsx")
    loaded = load_map(book)
    assert loaded.records["observations"] == m.records["observations"]
    on_file = knoppen(loaded, samples=500, seed=2)
    given = knoppen(m, samples=500, seed=2, observations=[Observation("w1", "a", "b", "+")])
    pd.testing.assert_frame_equal(on_file, given)
    assert on_file.attrs["report"].contradicting["w1"] > 0
    result = CliRunner().invoke(main, ["query", "knoppen", str(book)])
    assert result.exit_code == 0, result.output
    assert "dropped for contradicting observation «w1»" in result.output


def test_a_waarnemingen_row_naming_an_unknown_factor_is_one_line_with_its_cell(tmp_path: Path):
    m = observed_map()
    m.add_record("observations", id="w1", source="a", target="b", sign="+")
    folder = write_workbook(m, tmp_path / "kaart")
    sheet = folder / "waarnemingen.csv"
    sheet.write_text(sheet.read_text(encoding="utf-8").replace(",a,b,", ",a,bb,"),
                     encoding="utf-8")  # fmt: skip
    result = CliRunner().invoke(main, ["validate", str(folder)])
    assert result.exit_code != 0
    assert "waarnemingen.csv:2:naar" in result.output


def test_the_same_seed_gives_the_same_ranking_and_another_seed_other_samples():
    m = observed_map()
    first = knoppen(m, samples=300, seed=5)
    pd.testing.assert_frame_equal(first, knoppen(m, samples=300, seed=5), check_exact=True)
    assert not first.equals(knoppen(m, samples=300, seed=6))


def test_on_vleuten_the_seven_factors_are_one_tier_and_the_note_says_why():
    m = load_map()
    table = knoppen(m, samples=1000)
    assert len(table) == 7 and set(table["tier"]) == {1}
    assert (table["rank_low"] == 1).all() and (table["rank_high"] == 7).all()
    assert table["top_share"].between(0.08, 0.22).all()  # each about one in seven
    report = table.attrs["report"]
    assert report.alike and report.kept == 1000
    assert "cannot tell these 7 factors apart" in report.note()
    assert "same pattern of links" in report.note()
    # a range recorded for one link tells that factor apart
    stronger = knoppen(m, weight_ranges={"inv-meten-toetsen-prestatiedruk": (0.95, 1.0)})
    assert stronger["factor"].iloc[0] == "meten-en-toetsen"
    assert stronger["top_share"].iloc[0] > 0.8 and not stronger.attrs["report"].alike
    knobs = knoppen(m, only_knobs=True)
    assert sorted(knobs["factor"]) == ["meten-en-toetsen", "verwachtingen-ouders"]


def test_known_weights_give_one_exact_version_of_the_map():
    m = signed_map([("ab", "a", "uit", "+", 2.0), ("cb", "c", "uit", "-", 1.0)])
    table = knoppen(m, "uit")
    assert table["factor"].tolist() == ["a", "c"]
    assert table["effect"].tolist() == [1.0, -0.5]  # divided by the largest weight, 2
    assert table["top_low"].tolist() == table["top_high"].tolist() == [1.0, 0.0]
    assert table["tier"].tolist() == [1, 2]
    assert "every weight on the map is known" in knoppen_note(table)


def test_wilson_interval_and_kendall_tau():
    low, high = wilson_interval(10, 10)
    assert high == pytest.approx(1.0) and low == pytest.approx(0.7225, abs=1e-4)
    assert wilson_interval(0, 10)[0] == 0.0
    # tau-b with ties on both sides: (C - D) / sqrt((P - Tx) (P - Ty))
    assert kendall_tau([1, 1, 2, 3], [1, 2, 2, 3]) == pytest.approx(4 / 5)
    assert kendall_tau([3, 1, 2], [1, 2, 3]) == pytest.approx(-1 / 3)
    assert np.isnan(kendall_tau([1, 1, 1], [1, 2, 3]))


def test_robustness_leaves_each_link_out_in_turn_and_the_unconfirmed_links():
    m = known_answer_map()
    table = knoppen_robustness(m, samples=500, weight_ranges=STRONG)
    assert table["variant"].tolist()[:2] == ["all", "confirmed"]
    without = table[table["variant"] == "without"]
    # the links into the outcome first, then those one step further
    assert without["left_out"].tolist() == ["g2", "g4", "s2", "s4", "g1", "g3", "s1", "s3"]
    assert table.loc[0, "tau"] == 1.0 and table.loc[0, "top"] == "sterk"
    assert table.loc[1, "links"] == 0 and table.loc[1, "top"] is None  # nothing confirmed
    assert np.isnan(table.loc[1, "tau"])
    by_link = without.set_index("left_out")
    # without the mixed knob's first link its rank falls no further: the order holds
    assert by_link.loc["g1", "tau"] == 1.0 and by_link.loc["g1", "same_top"]
    # without one of its two chains the strong knob is no longer on top
    assert by_link.loc["s2", "top"] == "b" and not by_link.loc["s2", "same_top"]
    assert by_link.loc["s2", "tau"] < 0.5


def test_bad_input_is_refused_with_a_message_that_names_it():
    m = observed_map()
    with pytest.raises(UnknownNode, match="unknown node 'uitt'"):
        knoppen(m, "uitt")
    with pytest.raises(QueryError, match="observation 'w9'.*'bb'"):
        knoppen(m, observations=[Observation("w9", "a", "bb", "+")])
    with pytest.raises(QueryError, match="samples must be a whole number from 1"):
        knoppen(m, samples=0)
    with pytest.raises(QueryError, match="the weight range"):
        knoppen(m, weight_range=(0.5, 2.0))


def test_the_registry_asks_knoppen_of_a_map():
    m = load_map()
    pd.testing.assert_frame_equal(
        answer("knoppen", m, target="prestatiedruk", samples=100),
        knoppen(m, "prestatiedruk", samples=100),
    )


def test_a_weight_range_in_the_workbook_is_drawn_from_as_one_given_in_python(tmp_path: Path):
    m = load_map()
    folder = write_workbook(m, tmp_path / "vleuten")
    sheet = folder / "relaties.csv"
    text = sheet.read_text(encoding="utf-8")
    header, *rows = text.splitlines()
    columns = header.split(",")
    low, high = columns.index("gewicht_min"), columns.index("gewicht_max")
    edited = []
    for row in rows:
        cells = row.split(",")
        if cells[0] == "inv-meten-toetsen-prestatiedruk":
            cells[low], cells[high] = "0.95", ""
        edited.append(",".join(cells))
    sheet.write_text("\n".join([header, *edited]) + "\n", encoding="utf-8")
    loaded = load_map(folder)
    from_file = knoppen(loaded, samples=300)
    given = knoppen(m, samples=300,
                    weight_ranges={"inv-meten-toetsen-prestatiedruk": (0.95, 1.0)})  # fmt: skip
    pd.testing.assert_frame_equal(from_file, given)
    assert from_file["factor"].iloc[0] == "meten-en-toetsen"


@pytest.mark.parametrize(
    ("cells", "message"),
    [
        ({"gewicht_min": "1.5"}, "gewicht_min must be from 0 to 1, not 1.5"),
        ({"gewicht_min": "0.8", "gewicht_max": "0.4"}, "gewicht_max (0.4) is below gewicht_min"),
        ({"gewicht": "2", "gewicht_max": "0.4"}, "gewicht_max is for an unknown weight"),
    ],
)
def test_a_bad_weight_range_is_one_line_naming_its_cell(tmp_path: Path, cells, message):
    folder = write_workbook(load_map(), tmp_path / "vleuten")
    sheet = folder / "relaties.csv"
    header, *rows = sheet.read_text(encoding="utf-8").splitlines()
    columns = header.split(",")
    first = rows[0].split(",")
    for column, value in cells.items():
        first[columns.index(column)] = value
    sheet.write_text("\n".join([header, ",".join(first), *rows[1:]]) + "\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", str(folder)])
    assert result.exit_code != 0
    column = "gewicht_max" if "gewicht_max" in cells else "gewicht_min"
    (line,) = [line for line in result.output.splitlines() if message in line]
    assert line.startswith(f"{sheet}:2:{column}: ") or f"relaties.csv:2:{column}" in line
