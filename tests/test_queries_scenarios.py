"""Scenarios: published FCM results, honest draws over unknown weights, perspectives."""

from __future__ import annotations

import csv
import io
import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner, Result
from hypothesis import given, settings
from hypothesis import strategies as st

from graph import SystemMap
from loaders import EXAMPLE_CYCLE, VLEUTEN, load_map, write_workbook
from queries import QueryError
from queries.scenarios import MAX_CELLS, MAX_DRAWS, scenario, scenario_by_perspective, simulate
from versterkt.cli import main

# --- published results ------------------------------------------------------------------

# The six concepts of the vignette of the R package fcm (Dikopoulou & Papageorgiou,
# "Inference of Fuzzy Cognitive Maps (FCMs)", CRAN package fcm 0.1.3,
# inst/doc/vignettes.html): w.mat, row = source concept; act.vec = (1, 1, 1, 0, 0, 0).
VIGNETTE_WEIGHTS = [
    [0.0, 0.0, 0.6, 0.9, 0.0, 0.0],
    [0.1, 0.0, 0.0, 0.0, 0.0, 0.0],
    [0.0, 0.7, 0.0, 0.0, 0.9, 0.0],
    [0.0, 0.0, 0.0, 0.0, 0.0, 0.9],
    [0.0, 0.0, 0.0, 0.0, 0.0, -0.9],
    [-0.3, 0.0, 0.0, 0.0, 0.0, 0.0],
]
VIGNETTE_START = [1, 1, 1, 0, 0, 0]

# The eight concepts of fcmpy's simulator and intervention documentation and tests
# (SamvelMK/FCMpy: unittests/test_simulator.py, fcmpy/intervention/intervention.md),
# also the example of fcm.infer's help page; initial state C1 = C2 = 1.
FCMPY_WEIGHTS = [
    [0.0, 0.0, 0.6, 0.9, 0.0, 0.0, 0.0, 0.8],
    [0.1, 0.0, 0.0, 0.0, 0.0, 0.0, 0.2, 0.5],
    [0.0, 0.7, 0.0, 0.0, 0.9, 0.0, 0.4, 0.1],
    [0.4, 0.0, 0.0, 0.0, 0.0, 0.9, 0.0, 0.0],
    [0.0, 0.0, 0.0, 0.0, 0.0, -0.9, 0.0, 0.3],
    [-0.3, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0],
    [0.0, 0.0, 0.0, 0.0, 0.0, 0.8, 0.4, 0.9],
    [0.1, 0.0, 0.0, 0.0, 0.0, 0.1, 0.6, 0.0],
]
FCMPY_START = [1, 1, 0, 0, 0, 0, 0, 0]


def printed(values: np.ndarray, decimals: int) -> list[float]:
    return [round(float(v), decimals) for v in values]


def test_kosko_sigmoid_as_the_fcm_vignette_example_1() -> None:
    # fcm.infer(act.vec, w.mat): "converged in the 6th state (e <= 0.001000)"
    states = simulate(VIGNETTE_WEIGHTS, VIGNETTE_START)
    assert len(states) == 6
    assert printed(states[-1], 7) == [
        0.4778365, 0.5986462, 0.5712033, 0.6059079, 0.6257586, 0.4955168
    ]  # fmt: skip


def test_rescaled_sigmoid_lambda_2_as_the_fcm_vignette_example_2() -> None:
    # fcm.infer(act.vec, w.mat, 35, "r", "s", lambda = 2, e = 0.0001): every state of
    # output2$values as the vignette prints it, converged in the 30th
    states = simulate(
        VIGNETTE_WEIGHTS, VIGNETTE_START, rule="rescaled", steepness=2, tolerance=1e-4
    )
    published = {
        2: [0.9426758, 0.9677045, 0.9608343, 0.4501660, 0.4501660, 0.1192029],
        3: [0.9179445, 0.9593460, 0.9481304, 0.8012773, 0.8114818, 0.1789925],
        10: [0.8754189, 0.9540220, 0.9336277, 0.9610727, 0.9689135, 0.2925587],
        20: [0.8665327, 0.9535549, 0.9312203, 0.9592096, 0.9685338, 0.3158112],
        30: [0.8654104, 0.9534946, 0.9309104, 0.9589686, 0.9684847, 0.3186077],
    }
    assert len(states) == 30
    for state, values in published.items():
        assert printed(states[state - 1], 7) == values, state


@pytest.mark.parametrize(
    ("rule", "equilibrium"),
    [
        ("kosko", [0.5481291, 0.6004012, 0.5814756, 0.620872, 0.6279569, 0.6653852, 0.7617789,
                   0.8416584]),
        ("modified-kosko", [0.7258851, 0.7907061, 0.7694508, 0.8124733, 0.8192938, 0.8399006,
                            0.9099403, 0.9557739]),
        ("rescaled", [0.4998427, 0.4985174, 0.4989474, 0.4984212, 0.4980938, 0.4885541,
                      0.4855651, 0.4853266]),
    ],
)  # fmt: skip
def test_the_three_rules_reach_the_equilibria_fcmpy_pins(rule: str, equilibrium: list) -> None:
    # fcmpy unittests/test_simulator.py, test_simulation: the equilibria of fcm.infer,
    # thresh=0.001, sigmoid with l=1
    assert printed(simulate(FCMPY_WEIGHTS, FCMPY_START, rule=rule)[-1], 7) == equilibrium


def test_modified_kosko_baseline_as_fcmpy_documents_it() -> None:
    # fcmpy/intervention/intervention.md, inter.test_results['baseline']
    states = simulate(FCMPY_WEIGHTS, FCMPY_START, rule="modified-kosko")
    assert [printed(s, 6) for s in states[1:]] == [
        [0.750260, 0.731059, 0.645656, 0.710950, 0.500000, 0.500000, 0.549834, 0.785835],
        [0.738141, 0.765490, 0.749475, 0.799982, 0.746700, 0.769999, 0.838315, 0.921361],
        [0.730236, 0.784168, 0.767163, 0.812191, 0.805531, 0.829309, 0.898379, 0.950172],
        [0.727059, 0.789378, 0.769467, 0.812967, 0.816974, 0.838759, 0.908173, 0.954927],
        [0.726125, 0.790510, 0.769538, 0.812650, 0.818986, 0.839860, 0.909707, 0.955666],
        [0.725885, 0.790706, 0.769451, 0.812473, 0.819294, 0.839901, 0.909940, 0.955774],
    ]


@pytest.mark.parametrize(
    ("impact", "last"),
    [
        # 'intervention_2': impact={'C4': -.5}
        ({3: -0.5}, [0.715704, 0.790580, 0.768132, 0.699316, 0.819160, 0.823430, 0.909917,
                     0.955427]),
        # 'intervention_3': impact={'C5': -1}
        ({4: -1.0}, [0.723417, 0.790708, 0.769141, 0.812073, 0.563879, 0.871834, 0.909778,
                     0.952199]),
    ],
)  # fmt: skip
def test_a_clamped_intervention_concept_as_fcmpy_documents_it(impact: dict, last: list) -> None:
    # fcmpy/intervention/intervention.md: an intervention is a concept held at 1 with
    # links to its targets, run from the baseline's equilibrium (modified Kosko, sigmoid)
    baseline = simulate(FCMPY_WEIGHTS, FCMPY_START, rule="modified-kosko")[-1]
    weights = np.zeros((9, 9))
    weights[:8, :8] = FCMPY_WEIGHTS
    for target, weight in impact.items():
        weights[8, target] = weight
    states = simulate(weights, [*baseline, 0.0], clamped={8: 1.0}, rule="modified-kosko")
    assert len(states) == 6  # the published table's rows 0 to 5
    assert printed(states[-1][:8], 6) == last
    assert set(states[:, 8]) == {1.0}


@pytest.mark.parametrize(
    ("rule", "max_steps", "b", "c"),
    [("kosko", 100, 0.07, -0.02), ("modified-kosko", 100, 0.02, -0.01),
     ("rescaled", 1000, 0.40, -0.29)],
)  # fmt: skip
def test_a_scenario_as_mentalmodeler_and_pyfcm_compute_it(
    rule: str, max_steps: int, b: float, c: float
) -> None:
    # fcmconfr (bhroston/fcmconfr), tests/testthat/test-infer_and_simulate_fcms.R,
    # "infer_conventional_fcm works": the same results as PyFCM and MentalModeler
    # (infer_scenario - infer_steady): concepts A, B, C all starting at 1, A clamped at
    # 1, sigmoid with lambda 1, min_error 0.00001; the changes of B and C to 2 decimals
    m = SystemMap("abc", "A, B, C")
    for node in "abc":
        m.add_node("Factor", node, node.upper(), level="persoon", role="bron")
    for source, target, sign in ("ab+", "ba+", "bc-", "ca+", "cb-"):
        m.add_link(source + target, "INFLUENCES", source, target, sign=sign, weight=1.0)
    s = scenario(m, {"a": 1.0}, rule=rule, tolerance=1e-5, max_steps=max_steps)
    changes = s.set_index("node")["change"]
    assert (round(changes["b"], 2), round(changes["c"], 2)) == (b, c)
    assert s["converged"].tolist() == [1.0, 1.0, 1.0]


def test_the_squashing_functions_and_a_clamped_concept_in_the_r_way() -> None:
    # fcm.infer's trivalent and bivalent functions, and its clamped rule ('kc'): the
    # activated concepts stay at 1
    states = simulate(VIGNETTE_WEIGHTS, VIGNETTE_START, squash="trivalent", max_steps=10)
    assert set(np.unique(states)) <= {-1.0, 0.0, 1.0}
    states = simulate(
        VIGNETTE_WEIGHTS, VIGNETTE_START, squash="bivalent", clamped={0: 1.0, 1: 1.0, 2: 1.0}
    )
    assert states[-1].tolist() == [1.0, 1.0, 1.0, 1.0, 1.0, 0.0]
    tanh = simulate(VIGNETTE_WEIGHTS, VIGNETTE_START, squash="tanh")
    assert tanh[1][5] == 0.0 and tanh[1][0] == pytest.approx(math.tanh(0.1))


# --- scenarios on a map -----------------------------------------------------------------


def weighted_map(weights: list[list[float]], known: bool = True) -> SystemMap:
    """The concept matrix as a map: factors c1, c2...; weights kept, or only signs."""
    m = SystemMap("fcm", "FCM")
    ids = [f"c{i + 1}" for i in range(len(weights))]
    for node in ids:
        m.add_node("Factor", node, node.upper(), level="persoon", role="bron")
    for i, row in enumerate(weights):
        for j, w in enumerate(row):
            if w:
                m.add_link(
                    f"{ids[i]}-{ids[j]}",
                    "INFLUENCES",
                    ids[i],
                    ids[j],
                    sign="+" if w > 0 else "-",
                    weight=abs(w) if known else None,
                )
    return m


def test_with_known_weights_a_scenario_is_one_fcm_run_against_the_baseline() -> None:
    m = weighted_map(FCMPY_WEIGHTS)
    s = scenario(m, {"c5": 1.0}, tolerance=1e-6).set_index("node")
    ones = np.ones(8)
    baseline = simulate(FCMPY_WEIGHTS, ones, tolerance=1e-6)[-1]
    turned = simulate(FCMPY_WEIGHTS, ones, clamped={4: 1.0}, tolerance=1e-6)[-1]
    change = dict(zip([f"c{i + 1}" for i in range(8)], turned - baseline, strict=True))
    assert (s["draws"] == 1).all()
    for node, row in s.iterrows():
        assert row["change"] == round(change[str(node)], 6)
        assert row["low"] == row["high"] == row["change"]
    # C5 dampens C6 (-0.9): turned up, C6 falls; C6 dampens C1
    assert s.loc["c5", "direction"] == "turned"
    assert s.loc["c6", "direction"] == "down" and s.loc["c1", "direction"] == "up"
    again = scenario(m, {"c5": 1.0}, tolerance=1e-6, seed=7)
    pd.testing.assert_frame_equal(again.set_index("node"), s)


def test_a_weight_above_one_is_scaled_with_the_strongest_link() -> None:
    m = load_map(EXAMPLE_CYCLE / "ronde-2")  # one link has weight 2: it becomes 1
    s = scenario(m, {"verwachtingen-ouders": 1.0}).set_index("node")
    assert s.loc["prestatiedruk", "direction"] == "up"
    assert s.loc["stress", "direction"] == "up"


def test_sign_only_draws_are_reproducible_with_a_seed() -> None:
    m = weighted_map(FCMPY_WEIGHTS, known=False)
    first = scenario(m, {"c4": -1.0}, draws=300, seed=11)
    pd.testing.assert_frame_equal(first, scenario(m, {"c4": -1.0}, draws=300, seed=11))
    other = scenario(m, {"c4": -1.0}, draws=300, seed=12)
    assert not first["low"].equals(other["low"])
    assert (first["draws"] == 300).all()
    row = first.set_index("node").loc["c6"]  # C4 drives C6 (+0.9): down in every draw
    assert row["direction"] == "down" and row["share_down"] == 1.0
    assert row["low"] <= row["change"] <= row["high"] < 0


def two_routes() -> SystemMap:
    """Two routes of opposite sign from a knob: which wins depends on their weights."""
    m = SystemMap("tegen", "Twee wegen")
    for f in ("knop", "a", "b", "doel"):
        m.add_node("Factor", f, f.title(), level="persoon", role="bron")
    m.add_link("knop-a", "INFLUENCES", "knop", "a", sign="+")
    m.add_link("knop-b", "INFLUENCES", "knop", "b", sign="+")
    m.add_link("a-doel", "INFLUENCES", "a", "doel", sign="+")
    m.add_link("b-doel", "INFLUENCES", "b", "doel", sign="-")
    return m


def test_a_direction_that_depends_on_the_unknown_weights_is_uncertain_not_a_number() -> None:
    m = two_routes()
    s = scenario(m, {"knop": 1.0}, draws=500).set_index("node")
    doel = s.loc["doel"]
    assert doel["direction"] == "uncertain"
    assert pd.isna(doel["change"])
    assert 0 < doel["share_up"] < 1 and 0 < doel["share_down"] < 1
    assert doel["low"] < 0 < doel["high"]
    # a narrower range for one route settles it
    narrow = {"knop-a": (0.9, 1.0), "a-doel": (0.9, 1.0), "b-doel": (0.0, 0.01)}
    settled = scenario(m, {"knop": 1.0}, draws=500, weight_ranges=narrow)
    assert settled.set_index("node").loc["doel", "direction"] == "up"


def test_per_perspective_the_answers_part_where_a_group_rejects_a_link() -> None:
    # the example cycle: parents reject "meten en toetsen vergroot prestatiedruk",
    # professionals agree (betwist)
    m = load_map(EXAMPLE_CYCLE / "ronde-2")
    s = scenario_by_perspective(m, {"meten-en-toetsen": 1.0}, draws=200)
    assert s["perspective"].unique().tolist() == ["all", "confirmed", "ouder", "professional"]
    druk = s[s["node"] == "prestatiedruk"].set_index("perspective")["direction"].to_dict()
    assert druk == {
        "all": "up",
        "confirmed": "unchanged",
        "ouder": "unchanged",
        "professional": "up",
    }
    ouder = scenario(m, {"meten-en-toetsen": 1.0}, perspective="ouder", draws=200)
    pd.testing.assert_frame_equal(
        ouder.reset_index(drop=True),
        s[s["perspective"] == "ouder"].reset_index(drop=True),
    )


def test_the_vleuten_map_turned_down_at_the_parents_expectations() -> None:
    s = scenario(load_map(VLEUTEN), {"verwachtingen-ouders": -1.0}, draws=200)
    by_node = s.set_index("node")
    assert by_node.loc["verwachtingen-ouders", "direction"] == "turned"
    for outcome in ("prestatiedruk", "stress", "burn-out"):
        assert by_node.loc[outcome, "direction"] == "down", outcome
    assert s["node"].tolist()[0] == "verwachtingen-ouders"  # the knob leads the answer
    # links without a sign are left out: the geluk of a child does not move
    assert by_node.loc["geluk-kind", "direction"] == "unchanged"


@pytest.mark.parametrize(
    ("turn", "options", "message"),
    [
        ({"prestatiedrk": 1.0}, {}, "unknown factor or actor with influence links 'prestatiedrk'"
         " (did you mean 'prestatiedruk'?)"),
        ({"prestatiedruk": 2.0}, {}, "turn 'prestatiedruk' by a value from -1 to 1 other than 0"),
        ({}, {}, "turn at least one knob"),
        ({"stress": 1.0}, {"rule": "koskoo"}, "unknown activation rule 'koskoo'"),
        ({"stress": 1.0}, {"perspective": "ouders"}, "unknown perspective 'ouders'"),
        ({"stress": 1.0}, {"weight_range": (0.5, 0.2)}, "the weight range must be two sizes"),
        ({"stress": 1.0}, {"draws": 0}, "draws must be a whole number from 1 to 100,000, not 0"),
        ({"stress": 1.0}, {"draws": 10**20}, "draws must be a whole number from 1 to 100,000, "
         "not 100,000,000,000,000,000,000"),
        ({"stress": 1.0}, {"draws": 100_001}, "draws must be a whole number from 1 to 100,000"),
        ({"stress": 1.0}, {"draws": 1e3}, "draws must be a whole number from 1 to 100,000, "
         "not 1000.0"),
        ({"stress": 1.0}, {"seed": -1}, "the seed must be a whole number of at least 0, not -1"),
        ({"stress": 1.0}, {"seed": 0.5}, "the seed must be a whole number of at least 0"),
        ({"stress": 1.0}, {"steepness": math.inf}, "the steepness λ must be a finite number, "
         "not inf"),
        ({"stress": 1.0}, {"steepness": math.nan}, "the steepness λ must be a finite number"),
        ({"stress": 1.0}, {"steepness": 0.0}, "the steepness λ must be above 0, not 0.0"),
        ({"stress": 1.0}, {"tolerance": math.inf}, "the tolerance must be a finite number"),
        ({"stress": 1.0}, {"tolerance": 1.0}, "the tolerance must be above 0 and below 1"),
        ({"stress": 1.0}, {"max_steps": 10**9}, "max_steps must be a whole number from 1 to "
         "10,000"),
        ({"stress": 1.0}, {"agreement": math.nan}, "agreement must be a finite number"),
        ({"stress": 1.0}, {"weight_range": (0.2, math.inf)}, "the weight range must be two sizes "
         "from 0 to 1, the lower first, not (0.2, inf)"),
        ({"stress": 1.0}, {"weight_range": (0.2, 0.5, 0.9)}, "the weight range must be two sizes"),
        ({"stress": math.inf}, {}, "turn 'stress' by a value from -1 to 1 other than 0, not inf"),
        ({"stress": "1"}, {}, "turn 'stress' by a value from -1 to 1 other than 0, not '1'"),
    ],
)  # fmt: skip
def test_bad_input_says_what_is_wrong(turn: dict, options: dict, message: str) -> None:
    with pytest.raises(QueryError) as e:
        scenario(load_map(VLEUTEN), turn, **options)
    assert str(e.value).startswith(message)


def test_the_bounds_of_the_draws_are_taken_and_no_further() -> None:
    m = two_routes()
    assert (scenario(m, {"knop": 1.0}, draws=MAX_DRAWS)["draws"] == MAX_DRAWS).all()
    # on a large map the memory the draws take bounds them before MAX_DRAWS
    large = SystemMap("groot", "Groot")
    for i in range(400):
        large.add_node("Factor", f"f{i}", f"F{i}", level="persoon", role="bron")
    for i in range(1, 400):
        large.add_link(f"l{i}", "INFLUENCES", f"f{i - 1}", f"f{i}", sign="+")
    most = MAX_CELLS // (400 + 399)
    with pytest.raises(QueryError, match=f"at most {most:,} draws on this map"):
        scenario(large, {"f0": 1.0}, draws=most + 1)
    assert (scenario(large, {"f0": 1.0}, draws=most)["draws"] == most).all()
    # weights all known: one run, whatever the draws
    known = SystemMap("bekend", "Bekend")
    for i in range(400):
        known.add_node("Factor", f"f{i}", f"F{i}", level="persoon", role="bron")
    for i in range(1, 400):
        known.add_link(f"l{i}", "INFLUENCES", f"f{i - 1}", f"f{i}", sign="+", weight=0.5)
    assert (scenario(known, {"f0": 1.0}, draws=MAX_DRAWS)["draws"] == 1).all()


@pytest.mark.parametrize("weight", [math.nan, math.inf, -math.inf, 0.0, -0.5])
def test_a_weight_that_is_no_size_is_an_error_never_unknown(weight: float) -> None:
    """A weight of NaN or infinity is not an unknown weight (empty): a scenario says so
    rather than answer "unchanged" with no numbers."""
    m = SystemMap("gewichten", "Gewichten")
    for f in ("knop", "a", "doel"):
        m.add_node("Factor", f, f.title(), level="persoon", role="bron")
    m.add_link("knop-a", "INFLUENCES", "knop", "a", sign="+", weight=weight)
    m.add_link("a-doel", "INFLUENCES", "a", "doel", sign="+", weight=0.5)
    with pytest.raises(QueryError, match=rf"link 'knop-a' has weight {weight!r}: a weight is a"):
        scenario(m, {"knop": 1.0})


# --- never falling along positive chains ------------------------------------------------


@st.composite
def acyclic_maps(draw: st.DrawFn) -> SystemMap:
    """A map without loops: links only from a lower to a higher node number."""
    n = draw(st.integers(2, 7))
    m = SystemMap("dag", "Zonder lussen")
    for i in range(n):
        m.add_node("Factor", f"f{i}", f"F{i}", level="persoon", role="bron")
    pairs = [(i, j) for i in range(n) for j in range(i + 1, n)]
    chosen = draw(st.lists(st.sampled_from(pairs), unique=True, min_size=1, max_size=12))
    for i, j in chosen:
        sign = draw(st.sampled_from(["+", "-"]))
        weight = draw(st.one_of(st.none(), st.floats(0.05, 3.0)))
        m.add_link(f"f{i}-f{j}", "INFLUENCES", f"f{i}", f"f{j}", sign=sign, weight=weight)
    return m


def chain_signs(m: SystemMap, start: str) -> dict[str, set[str]]:
    """For each node the knob reaches, the signs of the chains that reach it."""
    signs: dict[str, set[str]] = {start: {"+"}}
    order = sorted((n.id for n in m.nodes()), key=lambda node: int(node[1:]))
    for node in order:
        for link in m.links("INFLUENCES"):
            if link.source == node and node in signs:
                flip = link["sign"] == "-"
                reached = {("-" if s == "+" else "+") if flip else s for s in signs[node]}
                signs.setdefault(link.target, set()).update(reached)
    return signs


@settings(max_examples=60, deadline=None)
@given(
    m=acyclic_maps(),
    rule=st.sampled_from(["kosko", "modified-kosko", "rescaled"]),
    squash=st.sampled_from(["sigmoid", "tanh", "bivalent", "trivalent"]),
)
def test_what_only_positive_chains_reach_never_falls(m: SystemMap, rule: str, squash: str) -> None:
    knob = "f0"
    reached = chain_signs(m, knob)
    if len(reached) == 1:
        return  # the knob has no links out in this map
    s = scenario(m, {knob: 1.0}, rule=rule, squash=squash, draws=40).set_index("node")
    for node, signs in reached.items():
        if node != knob and signs == {"+"}:
            assert s.loc[node, "share_down"] == 0.0, node
            assert s.loc[node, "direction"] in ("up", "unchanged"), node


# --- the command ------------------------------------------------------------------------


def run(*args: str) -> Result:
    return CliRunner().invoke(main, ["scenario", *args])


def test_the_command_prints_what_the_library_returns() -> None:
    result = run("--turn", "verwachtingen-ouders=-1", "--draws", "100", "--format", "json")
    assert result.exit_code == 0, result.output
    expected = scenario(load_map(VLEUTEN), {"verwachtingen-ouders": -1.0}, draws=100)
    records = json.loads(result.output)
    assert [r["node"] for r in records] == expected["node"].tolist()
    assert records[1] == {
        **expected.iloc[1].to_dict(),
        "turned": False,
        "links": int(expected.iloc[1]["links"]),
        "draws": 100,
    }


def test_the_command_compares_perspectives_as_csv() -> None:
    ronde_2 = str(EXAMPLE_CYCLE / "ronde-2")
    result = run(ronde_2, "--turn", "meten-en-toetsen=+1", "--compare", "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = [r for r in csv.DictReader(io.StringIO(result.output)) if r["node"] == "prestatiedruk"]
    assert [(r["perspective"], r["direction"]) for r in rows] == [
        ("all", "up"),
        ("confirmed", "unchanged"),
        ("ouder", "unchanged"),
        ("professional", "up"),
    ]


def test_an_uncertain_factor_has_no_number_in_the_table(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "250")  # a wide terminal: one line per factor
    write_workbook(two_routes(), tmp_path / "kaart")
    result = run(str(tmp_path / "kaart"), "--turn", "knop=1", "--draws", "300")
    assert result.exit_code == 0, result.output
    (line,) = [line for line in result.output.splitlines() if " doel " in line]
    assert "onzeker" in line  # uncertain, in the locale's language (Dutch here)
    assert line.split()[line.split().index("onzeker") + 1] == "?"
    # a narrow range for one route, from the command line, settles it
    narrow = ["--link-range", "b-doel", "0", "0.01", "--link-range", "knop-a", "0.9", "1"]
    result = run(str(tmp_path / "kaart"), "--turn", "knop=1", *narrow, "--format", "json")
    (doel,) = [r for r in json.loads(result.output) if r["node"] == "doel"]
    assert doel["direction"] == "up" and doel["share_down"] == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--turn", "stres=1"], "Error: unknown factor or actor with influence links 'stres' "
         "(did you mean 'stress'?)"),
        (["--turn", "stress"], "Error: --turn takes FACTOR=VALUE, such as stress=-1, not 'stress'"),
        (["--turn", "stress=1", "--perspective", "ouder", "--compare"],
         "Error: compare shows every perspective: give no perspective with it"),
        (["--turn", "stress=1", "--map-id", "nope"],
         "Error: unknown map 'nope' in the workbook (maps: vleuten)"),
        (["--turn", "stress=1", "--turn", "stress=-1"],
         "Error: --turn stress is given twice: turn each knob once"),
        (["--turn", "stress=1", "--link-range", "x", "0", "1", "--link-range", "x", "0", "1"],
         "Error: --link-range x is given twice: give each link one range"),
        (["--turn", "stress=1", "--seed", "-1"],
         "Error: the seed must be a whole number of at least 0, not -1"),
        (["--turn", "stress=1", "--steepness", "inf"],
         "Error: the steepness λ must be a finite number, not inf"),
        (["--turn", "stress=1", "--draws", "100000000"],
         "Error: draws must be a whole number from 1 to 100,000, not 100,000,000"),
        (["--turn", "stress=nan"],
         "Error: turn 'stress' by a value from -1 to 1 other than 0, not nan"),
    ],
)  # fmt: skip
def test_the_command_says_what_is_wrong_in_one_line(
    args: list[str], message: str, english_output: None
) -> None:
    result = run(*args)
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [message]
