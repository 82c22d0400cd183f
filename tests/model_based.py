"""The model-based test of the whole tool: random rounds of what a facilitator and an
analyst do, with every invariant checked after each step.

A :class:`RoundOfTheCycle` machine starts from one of four maps (Vleuten, the example
cycle, a generated map, an imported Kumu project) kept as a workbook, and applies
random sequences of the operations of a real round: open a round, every adjust
operation, a filled-in review form, a toetsmodus session file, a live session, export to another
tool and import again. Each operation that changes the map runs three ways, and all
three must agree, in what they return or in the error they raise:

- on the map in memory (the expected map), keeping the positions the map is drawn at
  as the commands do (:func:`views.map.change_keeping_positions`);
- on the workbook, in place, as the commands do it (:func:`loaders.edit.change_workbook`);
- on the map in Neo4j, when the machine is given a store (:meth:`Neo4jStore.change`).

After every step the machine checks (``check_*``):

- the workbook and Neo4j hold exactly the expected map;
- the map as of every earlier round is unchanged, and so are the positions its nodes
  are drawn at;
- every question answers on the map, now and as of each round, and the same on Neo4j;
- diff names a reason for every change between two rounds.

Two rules check more, each time they are drawn: every page of the session bundle
renders and the commands run on the workbook without a traceback; export → import
gives the current map back.

A refused operation must leave everything as it was.
"""

from __future__ import annotations

import copy
import json
import shutil
import tempfile
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
from click.testing import CliRunner
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from graph import SystemMap, adjust
from graph.cycle import map_as_of, present, rounds
from graph.errors import VersterktError
from graph.generate import generated_map
from loaders import EXAMPLE_CYCLE, VLEUTEN, WorkbookInvalid, load_map, write_workbook
from loaders.edit import change_workbook
from loaders.interchange import FORMATS, read_map, save_workbook, write_map
from loaders.review_form import add_form_reviews, write_review_form
from queries import QUERIES, answer
from views.bundle import write_bundle
from views.map import change_keeping_positions, map_positions

ROOT = Path(__file__).resolve().parent
KUMU_PROJECT = ROOT / "interchange" / "kumu-project.json"

#: The maps a machine can start from.
STARTS = ("vleuten", "example", "generated", "imported")
#: Verdicts a group gives, and groups that give them.
VERDICTS = ("eens", "oneens", "neutraal", "aanvulling")
GROUPS = ("ouder", "jongere", "professional")
#: The questions asked after every step.
QUESTIONS = sorted(QUERIES)
#: Refusals that are an answer: a map without an outcome has no knoppen to rank.
ANSWERED_REFUSALS = ("NoOutcome",)
#: The file suffix of each export format.
SUFFIX = {
    "kumu": ".json",
    "prsm": ".prsm",
    "mentalmodeler": ".mmp",
    "graphml": ".graphml",
    "gexf": ".gexf",
}

Op = Callable[[SystemMap], Any]


def bounded(examples: int, steps: int) -> settings:
    """The settings of a run of the machine: a fixed number of sequences of at most
    ``steps`` steps, the same on every run, so that CI's time stays bounded. The
    failing sequence is printed as found: shrinking it would cost minutes."""
    return settings(
        max_examples=examples,
        stateful_step_count=steps,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        derandomize=True,
        phases=(Phase.explicit, Phase.reuse, Phase.generate),
    )


def start_map(start: str) -> SystemMap:
    """The map a machine starts from, as it would be loaded by a user."""
    if start == "vleuten":
        return load_map(VLEUTEN)
    if start == "example":
        return load_map(EXAMPLE_CYCLE / "ronde-1")
    if start == "generated":
        return generated_map(24, 48, seed=3, map_id="gegenereerd")
    m, _report = read_map(KUMU_PROJECT)
    return m


def run(op: Op, m: SystemMap) -> tuple[str, Any]:
    """What an operation did, so that two runs of it can be compared: the class of the
    error it raised, or the value it returned."""
    try:
        return ("done", op(m))
    except (VersterktError, WorkbookInvalid) as e:
        return ("refused", type(e).__name__)


def node_view(m: SystemMap) -> dict[str, Any]:
    """A map's nodes and links with their fields, and its rounds: what of a round must
    not change once the next round is open."""
    return {
        "nodes": {n.id: (n.kind, n.name, dict(n.fields)) for n in m.nodes()},
        "links": {
            link.id: (link.kind, link.source, link.target, dict(link.fields)) for link in m.links()
        },
        "rounds": sorted(r["number"] for r in m.rounds),
    }


def frame_rows(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """A DataFrame as plain rows, for comparing two backends' answers."""
    rows: list[dict[str, Any]] = json.loads(frame.to_json(orient="records", default_handler=str))
    return rows


def influences(m: SystemMap) -> list[tuple[str, str, str]]:
    """The influence links on the map now, by the names of their ends, with their sign."""
    return sorted(
        (m.node(link.source).name, m.node(link.target).name, link.get("sign") or "?")
        for link in m.links()
        if link.kind == "INFLUENCES" and present(link.fields)
    )


class RoundOfTheCycle(RuleBasedStateMachine):
    """Rounds of the cycle on one map, kept three ways (memory, workbook, Neo4j)."""

    #: A store when the Neo4j twin is checked (set by the test that runs the machine).
    store: Any = None
    #: Whether the machine also renders the bundle and runs the commands.
    pages: bool = True

    def __init__(self) -> None:
        super().__init__()
        self.tmp = Path(tempfile.mkdtemp(prefix="versterkt-mbt-"))
        self.m = SystemMap("leeg", "Leeg")
        self.workbook = self.tmp / "werkboek.xlsx"
        self.past: dict[int, dict[str, Any]] = {}
        self.drawn: dict[str, tuple[float, float]] = {}
        self.linked: set[str] = set()
        self.counter = 0
        self.map_id = ""

    # --- start ---------------------------------------------------------------------

    @initialize(start=st.sampled_from(STARTS), form=st.sampled_from(("xlsx", "csv")))
    def begin(self, start: str, form: str) -> None:
        self.workbook = self.tmp / ("werkboek.xlsx" if form == "xlsx" else "werkboek")
        first = start_map(start)
        # a map id of its own, so that no other map in the same database is touched
        first.id = f"{first.id}-{uuid.uuid4().hex[:8]}"
        write_workbook(first, self.workbook)
        self.m = load_map(self.workbook)
        if self.store is not None:
            self.map_id = self.m.id
            self.store.load(self.m)
        self.check_positions_stay()
        self._remember_past()

    def teardown(self) -> None:
        if self.store is not None and self.map_id:
            self.store.delete(self.map_id)
        shutil.rmtree(self.tmp, ignore_errors=True)

    # --- how each operation is applied -----------------------------------------------

    def apply(self, change: Op) -> tuple[str, Any]:
        """Apply ``change`` to the map in memory, to the workbook and to Neo4j, as the
        commands do (keeping the positions the map is drawn at); all three must do the
        same, and a refused operation must change nothing."""

        def op(m: SystemMap) -> Any:
            return change_keeping_positions(m, change)

        before = copy.deepcopy(self.m)
        expected = copy.deepcopy(self.m)
        done = run(op, expected)
        if done[0] == "refused":
            assert expected == before, f"a refused operation changed the map: {done}"
        on_file = run(lambda _m: change_workbook(self.workbook, op), self.m)
        assert on_file == done, f"the workbook did {on_file}, the map {done}"
        if self.store is not None:
            in_store = run(lambda _m: self.store.change(self.map_id, op), self.m)
            assert in_store == done, f"Neo4j did {in_store}, the map {done}"
        if done[0] == "done":
            self.m = expected
        return done

    def fresh(self, prefix: str) -> str:
        self.counter += 1
        return f"{prefix}-{self.counter}"

    def latest(self) -> int:
        return rounds(self.m)[-1]

    def open_nodes(self, kinds: tuple[str, ...] = ("Factor", "Actor")) -> list[str]:
        """Nodes on the map now that entered before the latest round (those an
        adjustment of the latest round may change)."""
        k = self.latest()
        return sorted(
            n.id
            for n in self.m.nodes()
            if n.kind in kinds and present(n.fields) and (n.get("round_in") or 1) < k
        )

    def open_links(self) -> list[str]:
        k = self.latest()
        return sorted(
            link.id
            for link in self.m.links()
            if link.kind == "INFLUENCES"
            and present(link.fields)
            and (link.get("round_in") or 1) < k
        )

    def nodes_now(self) -> list[str]:
        return sorted(
            n.id for n in self.m.nodes() if n.kind in ("Factor", "Actor") and present(n.fields)
        )

    # --- the operations ---------------------------------------------------------------

    @rule()
    def open_round(self) -> None:
        number = self.latest() + 1
        self.apply(lambda m: adjust.open_round(m, name=f"Ronde {number}"))
        self._remember_past()

    @precondition(lambda self: self.latest() > 1)
    @rule(name=st.sampled_from(("Sociale media", "Slaaptekort", "Vrije tijd")))
    def add_node(self, name: str) -> None:
        node_id = self.fresh("nieuwe-factor")
        label = f"{name} {self.counter}"
        k = self.latest()
        self.apply(
            lambda m: adjust.add_node(
                m,
                k,
                "Factor",
                node_id,
                label,
                reason="genoemd door ouders",
                level="persoon",
                role="bron",
            )
        )

    @precondition(lambda self: self.latest() > 1)
    @rule(data=st.data(), sign=st.sampled_from(("+", "-")))
    def add_link(self, data: st.DataObject, sign: str) -> None:
        nodes = self.nodes_now()
        if len(nodes) < 2:
            return
        source = data.draw(st.sampled_from(nodes))
        target = data.draw(st.sampled_from([n for n in nodes if n != source]))
        link_id = self.fresh("nieuwe-relatie")
        k = self.latest()
        self.apply(
            lambda m: adjust.add_link(
                m,
                k,
                link_id,
                "INFLUENCES",
                source,
                target,
                sign=sign,
                reason="de jongeren zagen dit verband",
            )
        )

    @precondition(lambda self: self.latest() > 1)
    @rule(data=st.data())
    def retire_link(self, data: st.DataObject) -> None:
        links = self.open_links()
        if not links:
            return
        link = data.draw(st.sampled_from(links))
        k = self.latest()
        self.apply(lambda m: adjust.retire_link(m, k, link, reason="verworpen door de groepen"))

    @precondition(lambda self: self.latest() > 1)
    @rule(data=st.data())
    def resign_link(self, data: st.DataObject) -> None:
        links = self.open_links()
        if not links:
            return
        link = data.draw(st.sampled_from(links))
        sign = "-" if self.m.link(link).get("sign") == "+" else "+"
        k = self.latest()
        self.apply(lambda m: adjust.resign_link(m, k, link, sign, reason="werkt andersom"))

    @precondition(lambda self: self.latest() > 1)
    @rule(data=st.data(), weight=st.sampled_from((0.25, 0.5, 0.75, 1.0)))
    def reweight_link(self, data: st.DataObject, weight: float) -> None:
        links = self.open_links()
        if not links:
            return
        link = data.draw(st.sampled_from(links))
        k = self.latest()
        self.apply(lambda m: adjust.reweight_link(m, k, link, weight, reason="sterker"))

    @precondition(lambda self: self.latest() > 1)
    @rule(data=st.data())
    def retire_node(self, data: st.DataObject) -> None:
        nodes = self.open_nodes()
        if not nodes:
            return
        node = data.draw(st.sampled_from(nodes))
        k = self.latest()
        self.apply(lambda m: adjust.retire_node(m, k, node, reason="hoort niet op de kaart"))

    @precondition(lambda self: self.latest() > 1)
    @rule(data=st.data())
    def merge_nodes(self, data: st.DataObject) -> None:
        nodes = self.open_nodes(("Factor",))
        if len(nodes) < 2:
            return
        merged = data.draw(st.sampled_from(nodes))
        into = data.draw(st.sampled_from([n for n in nodes if n != merged]))
        k = self.latest()
        self.apply(lambda m: adjust.merge_nodes(m, k, [merged], into, reason="hetzelfde"))

    @precondition(lambda self: self.latest() > 1)
    @rule(data=st.data())
    def rename_node(self, data: st.DataObject) -> None:
        nodes = self.open_nodes()
        if not nodes:
            return
        node = data.draw(st.sampled_from(nodes))
        name = f"{self.m.node(node).name} (anders gezegd {self.fresh('n')})"
        k = self.latest()
        self.apply(lambda m: adjust.rename_node(m, k, node, name, reason="beter woord"))

    @rule(data=st.data())
    def accept_a_proposal(self, data: st.DataObject) -> None:
        """A group's proposal from the session, accepted as review-import prints it: the
        change opens the next round when the latest has been tested (--open-round)."""
        nodes = self.nodes_now()
        if not nodes:
            return
        target = data.draw(st.sampled_from(nodes))
        node_id = self.fresh("voorstel")
        link_id = f"{node_id}-invloed"

        def accept(m: SystemMap) -> tuple[str, str]:
            k = adjust.round_to_change(m, "Na de sessie")
            added = adjust.add_node(
                m, k, "Factor", node_id, f"Voorstel {self.counter}", reason="voorstel"
            )
            return added, adjust.add_link(
                m, k, link_id, "INFLUENCES", node_id, target, sign="+", reason="voorstel"
            )

        self.apply(accept)
        self._remember_past()

    @rule(
        data=st.data(),
        groups=st.lists(st.sampled_from(GROUPS), min_size=1, max_size=2, unique=True),
    )
    def review_form(self, data: st.DataObject, groups: list[str]) -> None:
        """A reactieformulier for the latest round, filled in by the groups, recorded."""
        k = self.latest()
        form = self.tmp / f"formulier-{self.fresh('f')}.xlsx"
        try:
            write_review_form(self.m, k, form, groups=groups)
        except VersterktError:
            return  # no link to test in this round
        wb = openpyxl.load_workbook(form)
        ws = wb["reacties"]
        headers = [c.value for c in ws[1]]
        for row in range(2, ws.max_row + 1):
            for group in groups:
                verdict = data.draw(st.sampled_from((None, *VERDICTS)))
                ws.cell(row=row, column=headers.index(group) + 1).value = verdict
        wb.save(form)
        sessions = [s.id for s in self.m.sessions()]
        session = sessions[-1] if sessions else None
        self.apply(lambda m: add_form_reviews(m, form, session))

    @rule(data=st.data())
    def toets_session(self, data: st.DataObject) -> None:
        """A session saved by the toetsmodus, recorded like a review form."""
        k = self.latest()
        links = sorted(
            link.id
            for link in self.m.links()
            if link.kind == "INFLUENCES" and present(link.fields, k)
        )
        if not links:
            return
        chosen = data.draw(st.lists(st.sampled_from(links), min_size=1, max_size=4, unique=True))
        entries = [
            {
                "link": link,
                "group": data.draw(st.sampled_from(GROUPS)),
                "verdict": data.draw(st.sampled_from(VERDICTS)),
                "note": "Dat herkennen we",
            }
            for link in chosen
        ]
        sessions = [s.id for s in self.m.sessions()]
        saved = {
            "format": "versterkt-toetssessie",
            "version": 1,
            "map": self.m.id,
            "round": k,
            "session": sessions[-1] if sessions else "",
            "entries": entries,
            "proposals": [],
        }
        path = self.tmp / f"toetssessie-{self.fresh('s')}.json"
        path.write_text(json.dumps(saved), encoding="utf-8")
        self.apply(lambda m: add_form_reviews(m, path))

    @rule(data=st.data())
    def live_session(self, data: st.DataObject) -> None:
        """A live session (versterkt sessie): phones of some groups answer its items,
        journaled; its file is recorded like a toetsmodus file, votes and attendance
        included (a second session of the same session id is refused: its counts are
        recorded already)."""
        from sessie.journal import Journal
        from sessie.run import save_result
        from sessie.session import PRIORITY, STATEMENT_ANSWERS, session_plan

        sessions = [s.id for s in self.m.sessions()]
        if not sessions:
            return
        plan = session_plan(self.m, session=sessions[-1], links=3)
        journal = Journal(self.tmp / f"sessie-{self.fresh('l')}.sqlite")
        journal.begin(plan, code="123456", token="t")
        count = data.draw(st.integers(1, 4))
        phones = [journal.join(data.draw(st.sampled_from(GROUPS)))[0] for _ in range(count)]
        for item in plan["items"]:
            for phone in phones:
                if not data.draw(st.booleans()):
                    continue
                if item["kind"] == PRIORITY:
                    picks = st.lists(
                        st.sampled_from(plan["statements"]), min_size=1, max_size=3, unique=True
                    )
                    said = ",".join(sorted(data.draw(picks)))
                else:
                    kind = STATEMENT_ANSWERS if item["kind"] == "stelling" else VERDICTS
                    said = data.draw(st.sampled_from(kind))
                journal.answer(uuid.uuid4().hex, phone, item["id"], said, None)
        path = save_result(journal)
        journal.close()
        self.apply(lambda m: add_form_reviews(m, path))

    @rule(fmt=st.sampled_from(FORMATS))
    def export_and_import(self, fmt: str) -> None:
        """Export to another tool and import again: the current map comes back."""
        path = self.tmp / f"uitvoer-{self.fresh('e')}{SUFFIX[fmt]}"
        write_map(self.m, path, fmt)
        back, _report = read_map(path, fmt)
        now = map_as_of(self.m, None)
        assert influences(back) == influences(now), f"{fmt}: the links did not come back"
        names_now = sorted(n.name for n in now.nodes() if n.kind in ("Factor", "Actor"))
        names_back = sorted(n.name for n in back.nodes() if n.kind in ("Factor", "Actor"))
        assert names_back == names_now, f"{fmt}: the elements did not come back"

    @rule(data=st.data())
    def combine_with_another_group(self, data: st.DataObject) -> None:
        """Combine the map with a copy another group drew, one link's sign turned: each
        concept joins its namesake, every other link is drawn by both groups, the turned
        one stays as two contested links, and the combined map loads as a workbook."""
        from graph.combine import GroupMap, combine_maps, propose_matches

        now = map_as_of(self.m, None)
        signed = [lk.id for lk in now.links("INFLUENCES") if lk.get("sign") in ("+", "-")]
        turned = data.draw(st.sampled_from(signed)) if signed else None
        other = SystemMap(now.id, now.name)
        for node in sorted(now.nodes(), key=lambda n: n.kind == "Quote"):
            other.add_node(node.kind, node.id, node.name, **node.fields)
        for lk in now.links():
            sign = {"+": "-", "-": "+"}[lk["sign"]] if lk.id == turned else lk.get("sign")
            other.add_link(lk.id, lk.kind, lk.source, lk.target, **{**lk.fields, "sign": sign})
        maps = [GroupMap("a", "jongere", now), GroupMap("b", "ouder", other)]
        combined = combine_maps(maps, propose_matches(maps))
        drawn = {(g.kind, g.source, g.target, g.sign): g for g in combined.links}
        keys = {(lk.kind, lk.source, lk.target, lk.get("sign")) for lk in now.links()}
        if turned is not None:
            lk = now.link(turned)
            flipped = (lk.kind, lk.source, lk.target, {"+": "-", "-": "+"}[lk["sign"]])
            key = (lk.kind, lk.source, lk.target, lk["sign"])
            assert "ouder" in drawn[key].against and "jongere" in drawn[flipped].against
            keys.add(flipped)
        assert set(drawn) == keys
        assert all(g.against or g.groups == ("jongere", "ouder") for g in drawn.values())
        assert load_map(save_workbook(combined.map, self.tmp / "samen.xlsx")) == combined.map

    @precondition(lambda self: self.pages)
    @rule()
    def present_and_run_commands(self) -> None:
        """The session bundle renders, and the commands run on the workbook without a
        traceback (a rule, not an invariant: it is the slowest check)."""
        out = self.tmp / "bundel"
        shutil.rmtree(out, ignore_errors=True)
        write_bundle(self.m, out)
        from versterkt.cli import main

        runner = CliRunner()
        data = str(self.workbook)
        last = self.latest()
        commands = [["info", data], ["status", data], ["agenda", data]]
        # the terugkoppeling of the latest round as a page (the PDF needs a browser)
        commands.append(["verslag", data, "--out", str(self.tmp / "verslag.html")])
        if last > 1:
            commands.append(["diff", "1", str(last), data])
        for args in commands:
            result = runner.invoke(main, args)
            assert result.exception is None or isinstance(result.exception, SystemExit), (
                f"versterkt {' '.join(args)}: {result.exception!r}\n{result.output}"
            )
            assert "Traceback" not in result.output

    # --- the invariants ---------------------------------------------------------------

    def _remember_past(self) -> None:
        """Keep the map as of every round before the latest: it may never change."""
        for k in rounds(self.m)[:-1]:
            self.past.setdefault(k, node_view(map_as_of(self.m, k)))

    @invariant()
    def check_copies_hold_the_same_map(self) -> None:
        assert load_map(self.workbook) == self.m, "the workbook is not the map"
        if self.store is not None:
            assert self.store.read(self.map_id) == self.m, "Neo4j is not the map"

    @invariant()
    def check_the_past_is_unchanged(self) -> None:
        for k, seen in self.past.items():
            assert node_view(map_as_of(self.m, k)) == seen, f"round {k} changed afterwards"

    @invariant()
    def check_positions_stay(self) -> None:
        """No element drawn moves, but one that just got its first link: it moves once,
        from the shelf to its neighbours."""
        drawn = map_positions(self.m)
        linked = {
            end
            for link in self.m.links(derived=True)
            if link.source != link.target
            for end in (link.source, link.target)
        }
        for node_id, where in self.drawn.items():
            if node_id in drawn and not (node_id in linked and node_id not in self.linked):
                assert drawn[node_id] == where, f"{node_id} moved"
        self.drawn = drawn
        self.linked = linked

    def questions(self) -> list[tuple[str, dict[str, Any]]]:
        """Every question, now and as of each round, with the options it needs."""
        known = rounds(self.m)
        asked: list[tuple[str, dict[str, Any]]] = []
        for name in QUESTIONS:
            if name in ("diff", "leverage-moves", "loop-moves"):
                pairs = {(known[0], known[-1]), (known[-2], known[-1])} if len(known) > 1 else set()
                asked += [(name, {"a": a, "b": b}) for a, b in sorted(pairs)]
            elif name == "statements":
                asked.append((name, {}))
            elif name == "paths":
                ends = sorted(
                    {
                        (link.source, link.target)
                        for link in self.m.links()
                        if link.kind == "INFLUENCES"
                        and present(link.fields)
                        and link.source != link.target
                    }
                )
                if ends:
                    source, target = ends[0][0], ends[-1][1]
                    if source == target:
                        target = ends[0][1]
                    asked.append((name, {"source": source, "target": target}))
            else:
                asked += [(name, {})] + [(name, {"as_of_round": k}) for k in known]
        return asked

    @invariant()
    def check_every_question_answers_alike(self) -> None:
        for name, options in self.questions():
            here = self._ask(name, self.m, options)
            assert here[0] == "answer" or here[1] in ANSWERED_REFUSALS, (name, options, here)
            if self.store is not None:
                there = self._ask(name, self.store, options)
                assert there == here, f"{name} {options}: Neo4j answers otherwise"

    def _ask(self, name: str, source: Any, options: dict[str, Any]) -> Any:
        try:
            return ("answer", frame_rows(answer(name, source, map_id=self.m.id, **options)))
        except VersterktError as e:
            return ("refused", type(e).__name__, str(e))

    @invariant()
    def check_diff_gives_every_reason(self) -> None:
        known = rounds(self.m)
        for a, b in zip(known, known[1:], strict=False):
            for row in answer("diff", self.m, a=a, b=b).to_dict("records"):
                if row["change"] != "status changed":
                    assert row["adjustments"], f"diff {a}->{b}: no reason for {row}"
