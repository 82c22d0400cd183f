"""Archetype candidates: the system archetypes as signed loop patterns in a map.

Senge's system archetypes (The Fifth Discipline, 1990; Kim's *Systems Archetypes*)
are recurring shapes of feedback: a fix that backfires, a burden shifted onto a quick
fix, growth that meets a limit. A facilitator looks for them by eye; here each is a
pattern of reinforcing (R) and balancing (B) loops of signed ``INFLUENCES`` links, and
every place a map has that pattern is listed with the role each factor plays. They
are *candidates to discuss*, not findings: a pattern of signs has the shape of the
story; whether the story holds (the delays, what people intend, what happens) is for
the people who know the place to say.

Each archetype, its textbook diagram as signed links, and the pattern looked for
(loops of at most ``max_length`` links; a loop's sign is the product of its links'):

``fixes-that-fail``
    problem →+ fix →- problem (B); fix →+ side effect →+ problem (R).
    A B loop and an R loop that share one stretch of links, of sign +, from the
    *problem* to the *fix*; the R loop's other factors are the *side effect*.
``shifting-the-burden``
    problem →+ symptomatic fix →- problem (B1); problem →+ fundamental fix →- problem
    (B2); symptomatic fix →+ side effect →- fundamental fix (R).
    Two B loops that share only the *problem*, and an R loop that leaves the problem
    along B1 and comes back along B2.
``limits-to-growth``
    growth →+ result →+ growth (R); result →+ limit →- result (B).
    An R loop and a B loop that share only the *result*, no link, the R loop's link
    into it +, the B loop's -.
``growth-and-underinvestment``
    limits to growth, and limit →+ investment →- limit (B2): a second B loop through
    the limit that stays clear of the growth loop.
``escalation``
    position →- activity A →+ result A →+ position (B1); position →+ activity B →+
    result B →- position (B2), where position is A's relative to B's.
    Two B loops that share only the *position*, with links into it of opposite signs
    and links out of it of opposite signs.
``success-to-the-successful``
    allocation (to A rather than B) →+ resources A →+ success A →+ allocation (R1);
    allocation →- resources B →+ success B →- allocation (R2).
    Two R loops that share only the *allocation*, the links out of it of opposite signs.
``tragedy-of-the-commons``
    activity A →+ gain A →+ activity A (R1), the same for B (R2); activity A →+ total
    activity →- gain per activity →+ gain A (B1), the same for B (B2).
    Two R loops with no factor in common, each sharing a link with a B loop, the two B
    loops sharing the *commons* (factors on neither R loop).
``eroding-goals``
    gap →+ corrective action →+ condition →- gap (B1); gap →+ pressure to lower the
    goal →- goal →+ gap (B2).
    Two B loops that share only the *gap*, with links out of it of the same sign and
    into it of opposite signs: the one coming in + runs through the *goal*.

Patterns overlap: a map with shifting the burden has a fixes-that-fail candidate in it,
and growth and underinvestment contains limits to growth and, in its two B loops round
the limit, the shape of escalation. On random maps with no
archetype drawn in, some loops fall into these shapes by chance
(``python benchmarks/archetypes.py`` counts how many): another reason to call them
candidates.

>>> m = SystemMap("demo")
>>> for f in ("problem", "fix", "side"):
...     m.add_node("Factor", f, f.title())
>>> m.add_link("pf", "INFLUENCES", "problem", "fix", sign="+")
>>> m.add_link("fp", "INFLUENCES", "fix", "problem", sign="-")
>>> m.add_link("fs", "INFLUENCES", "fix", "side", sign="+")
>>> m.add_link("sp", "INFLUENCES", "side", "problem", sign="+")
>>> found = archetypes(m)
>>> found[["archetype", "roles"]].to_dict("records")
[{'archetype': 'fixes-that-fail', 'roles': ['problem=problem', 'fix=fix', 'side_effect=side']}]
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import TYPE_CHECKING, Any

import pandas as pd

from graph import SystemMap, schema
from graph.vocabulary import LinkKind
from queries import cypher
from queries._common import LinkGraph, check_positive, frame, unknown
from queries.loops import MAX_LOOPS, check_loop_count, loop_chains
from queries.scenarios import ConceptMap, concept_map, stored_concept_map

if TYPE_CHECKING:
    from graph.store import Neo4jStore

__all__ = [
    "ARCHETYPES",
    "ARCHETYPE_COLUMNS",
    "ROLES",
    "TEXTBOOK",
    "TEXTBOOK_LENGTH",
    "archetypes",
    "map_roles",
    "role_members",
    "stored_archetypes",
]

#: The archetypes, in the order the answer lists them, and the roles of each.
ROLES: dict[str, tuple[str, ...]] = {
    "fixes-that-fail": ("problem", "fix", "side_effect"),
    "shifting-the-burden": ("problem", "symptomatic_fix", "fundamental_fix", "side_effect"),
    "limits-to-growth": ("growth", "result", "limit"),
    "growth-and-underinvestment": ("growth", "result", "limit", "investment"),
    "escalation": ("position", "party_a", "party_b"),
    "success-to-the-successful": ("allocation", "success_a", "success_b"),
    "tragedy-of-the-commons": ("activity_a", "activity_b", "commons"),
    "eroding-goals": ("gap", "goal", "corrective_action"),
}
ARCHETYPES = tuple(ROLES)

#: Each archetype's textbook diagram: its links (source, target, sign) between factors
#: named for what they are, and the factors in each role; the module's description
#: draws them. A notebook can draw one; the tests plant each in a random map.
TEXTBOOK: dict[str, tuple[tuple[tuple[str, str, str], ...], dict[str, tuple[str, ...]]]] = {
    "fixes-that-fail": (
        (
            ("problem", "fix", "+"),
            ("fix", "problem", "-"),
            ("fix", "side-effect", "+"),
            ("side-effect", "problem", "+"),
        ),
        {"problem": ("problem",), "fix": ("fix",), "side_effect": ("side-effect",)},
    ),
    "shifting-the-burden": (
        (
            ("problem", "symptomatic-fix", "+"),
            ("symptomatic-fix", "problem", "-"),
            ("problem", "fundamental-fix", "+"),
            ("fundamental-fix", "problem", "-"),
            ("symptomatic-fix", "side-effect", "+"),
            ("side-effect", "fundamental-fix", "-"),
        ),
        {
            "problem": ("problem",),
            "symptomatic_fix": ("symptomatic-fix",),
            "fundamental_fix": ("fundamental-fix",),
            "side_effect": ("side-effect",),
        },
    ),
    "limits-to-growth": (
        (
            ("growth", "result", "+"),
            ("result", "growth", "+"),
            ("result", "limit", "+"),
            ("limit", "result", "-"),
        ),
        {"growth": ("growth",), "result": ("result",), "limit": ("limit",)},
    ),
    "growth-and-underinvestment": (
        (
            ("growth", "demand", "+"),
            ("demand", "growth", "+"),
            ("demand", "shortfall", "+"),
            ("shortfall", "demand", "-"),
            ("shortfall", "investment", "+"),
            ("investment", "shortfall", "-"),
        ),
        {
            "growth": ("growth",),
            "result": ("demand",),
            "limit": ("shortfall",),
            "investment": ("investment",),
        },
    ),
    "escalation": (
        (
            ("position", "activity-a", "-"),
            ("activity-a", "result-a", "+"),
            ("result-a", "position", "+"),
            ("position", "activity-b", "+"),
            ("activity-b", "result-b", "+"),
            ("result-b", "position", "-"),
        ),
        {
            "position": ("position",),
            "party_a": ("activity-a", "result-a"),
            "party_b": ("activity-b", "result-b"),
        },
    ),
    "success-to-the-successful": (
        (
            ("allocation", "resources-a", "+"),
            ("resources-a", "success-a", "+"),
            ("success-a", "allocation", "+"),
            ("allocation", "resources-b", "-"),
            ("resources-b", "success-b", "+"),
            ("success-b", "allocation", "-"),
        ),
        {
            "allocation": ("allocation",),
            "success_a": ("resources-a", "success-a"),
            "success_b": ("resources-b", "success-b"),
        },
    ),
    "tragedy-of-the-commons": (
        (
            ("activity-a", "gain-a", "+"),
            ("gain-a", "activity-a", "+"),
            ("activity-b", "gain-b", "+"),
            ("gain-b", "activity-b", "+"),
            ("activity-a", "total-activity", "+"),
            ("activity-b", "total-activity", "+"),
            ("total-activity", "gain-per-activity", "-"),
            ("gain-per-activity", "gain-a", "+"),
            ("gain-per-activity", "gain-b", "+"),
        ),
        {
            "activity_a": ("activity-a", "gain-a"),
            "activity_b": ("activity-b", "gain-b"),
            "commons": ("total-activity", "gain-per-activity"),
        },
    ),
    "eroding-goals": (
        (
            ("gap", "corrective-action", "+"),
            ("corrective-action", "condition", "+"),
            ("condition", "gap", "-"),
            ("gap", "pressure-on-goal", "+"),
            ("pressure-on-goal", "goal", "-"),
            ("goal", "gap", "+"),
        ),
        {
            "gap": ("gap",),
            "goal": ("pressure-on-goal", "goal"),
            "corrective_action": ("corrective-action", "condition"),
        },
    ),
}

#: The longest loop of any textbook diagram (the B loops of the tragedy of the commons,
#: the R loop of shifting the burden): the loops looked at by default. Longer loops
#: match the patterns by chance far more often: on random maps of 200 factors, a median
#: of 55 false candidates per map with loops of up to 6 links, 1 with up to 4
#: (``python benchmarks/archetypes.py``).
TEXTBOOK_LENGTH = 4

#: Columns (name: dtype) of :func:`archetypes`.
ARCHETYPE_COLUMNS = {
    "archetype": "object",
    "roles": "object",
    "nodes": "object",
    "links": "object",
    "loops": "object",
}


@dataclass(frozen=True)
class _Loop:
    """One loop: its nodes in order (``links[i]`` runs from ``nodes[i]`` to the next),
    its links and their signs (+1, -1)."""

    nodes: tuple[str, ...]
    links: tuple[str, ...]
    signs: tuple[int, ...]

    @property
    def reinforcing(self) -> bool:
        product = 1
        for sign in self.signs:
            product *= sign
        return product > 0

    @property
    def node_set(self) -> frozenset[str]:
        return frozenset(self.nodes)

    @property
    def link_set(self) -> frozenset[str]:
        return frozenset(self.links)

    def at(self, node: str) -> int:
        return self.nodes.index(node)

    def sign_in(self, node: str) -> int:
        return self.signs[self.at(node) - 1]

    def sign_out(self, node: str) -> int:
        return self.signs[self.at(node)]

    def link_in(self, node: str) -> str:
        return self.links[self.at(node) - 1]

    def link_out(self, node: str) -> str:
        return self.links[self.at(node)]

    def from_(self, node: str) -> list[str]:
        """Its nodes in order, from ``node`` on."""
        i = self.at(node)
        return list(self.nodes[i:] + self.nodes[:i])

    def shared_run(self, links: frozenset[str]) -> tuple[int, int] | None:
        """Where ``links`` (some of this loop's) lie as one unbroken stretch: the
        position of its first link and how many; None when they are broken up."""
        size = len(self.links)
        inside = [link in links for link in self.links]
        count = sum(inside)
        if count == 0 or count == size:
            return None
        starts = [i for i in range(size) if inside[i] and not inside[i - 1]]
        return (starts[0], count) if len(starts) == 1 else None


def _loops(cm: ConceptMap, max_length: int) -> list[_Loop]:
    signed = [link for link in cm.links if link["sign"] in schema.SIGNS]
    sign_of = {link["id"]: 1 if link["sign"] == "+" else -1 for link in signed}
    g = LinkGraph(
        {node: {"kind": kind, "name": name, "fields": {}} for node, kind, name in cm.concepts},
        {
            link["id"]: (
                link["source"],
                link["target"],
                {"kind": LinkKind.INFLUENCES, "fields": {}},
            )
            for link in signed
        },
    )
    check_loop_count(g, max_length, MAX_LOOPS)
    return [
        _Loop(
            tuple(edge[0] for edge in chain),
            tuple(edge[2] for edge in chain),
            tuple(sign_of[edge[2]] for edge in chain),
        )
        for chain in loop_chains(g, max_length)
    ]


Found = tuple[str, dict[str, list[str]], tuple[_Loop, ...]]


def _fixes_that_fail(balancing: Sequence[_Loop], reinforcing: Sequence[_Loop]) -> Iterator[Found]:
    for b in balancing:
        for r in reinforcing:
            shared = b.link_set & r.link_set
            run_r = r.shared_run(shared)
            if run_r is None or b.shared_run(shared) is None:
                continue
            start, count = run_r
            size = len(r.links)
            stretch_sign = 1
            for i in range(count):
                stretch_sign *= r.signs[(start + i) % size]
            if stretch_sign < 0:
                continue
            problem = r.nodes[start]
            fix = [r.nodes[(start + i) % size] for i in range(1, count + 1)]
            side = [n for n in r.from_(fix[-1]) if n not in b.node_set]
            if side:
                roles = {"problem": [problem], "fix": fix, "side_effect": side}
                yield "fixes-that-fail", roles, (b, r)


def _sharing_one(loops: Sequence[_Loop]) -> Iterator[tuple[_Loop, _Loop, str]]:
    for a, b in combinations(loops, 2):
        common = a.node_set & b.node_set
        if len(common) == 1 and not a.link_set & b.link_set:
            yield a, b, next(iter(common))


def _others(loop: _Loop, node: str) -> list[str]:
    return loop.from_(node)[1:]


def _shifting_the_burden(
    balancing: Sequence[_Loop], reinforcing: Sequence[_Loop]
) -> Iterator[Found]:
    for one, two, problem in _sharing_one(balancing):
        for b1, b2 in ((one, two), (two, one)):
            for r in reinforcing:
                if problem not in r.node_set:
                    continue
                if r.link_out(problem) != b1.link_out(problem):
                    continue
                if r.link_in(problem) != b2.link_in(problem):
                    continue
                side = [n for n in r.nodes if n not in b1.node_set | b2.node_set]
                if not side:
                    continue
                yield (
                    "shifting-the-burden",
                    {
                        "problem": [problem],
                        "symptomatic_fix": _others(b1, problem),
                        "fundamental_fix": _others(b2, problem),
                        "side_effect": [n for n in r.from_(problem) if n in side],
                    },
                    (b1, b2, r),
                )


def _limits(
    balancing: Sequence[_Loop], reinforcing: Sequence[_Loop]
) -> Iterator[tuple[_Loop, _Loop, str]]:
    for r in reinforcing:
        for b in balancing:
            common = r.node_set & b.node_set
            if len(common) != 1 or r.link_set & b.link_set:
                continue
            result = next(iter(common))
            if r.sign_in(result) > 0 and b.sign_in(result) < 0:
                yield r, b, result


def _limits_to_growth(balancing: Sequence[_Loop], reinforcing: Sequence[_Loop]) -> Iterator[Found]:
    for r, b, result in _limits(balancing, reinforcing):
        roles = {"growth": _others(r, result), "result": [result], "limit": _others(b, result)}
        yield "limits-to-growth", roles, (r, b)


def _growth_and_underinvestment(
    balancing: Sequence[_Loop], reinforcing: Sequence[_Loop]
) -> Iterator[Found]:
    for r, b1, result in _limits(balancing, reinforcing):
        limit = set(_others(b1, result))
        for b2 in balancing:
            if b2 is b1 or b2.node_set & r.node_set or not b2.node_set & limit:
                continue
            if b2.link_set & b1.link_set:
                continue
            start = next(n for n in b2.nodes if n in limit)
            roles = {
                "growth": _others(r, result),
                "result": [result],
                "limit": _others(b1, result),
                "investment": [n for n in b2.from_(start) if n not in b1.node_set],
            }
            yield "growth-and-underinvestment", roles, (r, b1, b2)


def _pairs_of_balancing(balancing: Sequence[_Loop]) -> Iterator[Found]:
    """Escalation and eroding goals: two B loops that share one node, with links into it
    of opposite signs."""
    for one, two, shared in _sharing_one(balancing):
        if one.sign_in(shared) == two.sign_in(shared):
            continue
        up, down = (one, two) if one.sign_in(shared) > 0 else (two, one)
        if one.sign_out(shared) != two.sign_out(shared):
            roles = {
                "position": [shared],
                "party_a": _others(up, shared),
                "party_b": _others(down, shared),
            }
            yield "escalation", roles, (up, down)
        else:
            roles = {
                "gap": [shared],
                "goal": _others(up, shared),
                "corrective_action": _others(down, shared),
            }
            yield "eroding-goals", roles, (down, up)


def _success_to_the_successful(reinforcing: Sequence[_Loop]) -> Iterator[Found]:
    for one, two, shared in _sharing_one(reinforcing):
        if one.sign_out(shared) == two.sign_out(shared):
            continue
        if one.sign_in(shared) == two.sign_in(shared):
            continue
        a, b = (one, two) if one.sign_out(shared) > 0 else (two, one)
        roles = {
            "allocation": [shared],
            "success_a": _others(a, shared),
            "success_b": _others(b, shared),
        }
        yield "success-to-the-successful", roles, (a, b)


def _tragedy_of_the_commons(
    balancing: Sequence[_Loop], reinforcing: Sequence[_Loop]
) -> Iterator[Found]:
    partners: dict[int, list[_Loop]] = {}  # B loop (by position) -> R loops it shares a link with
    for i, b in enumerate(balancing):
        partners[i] = [r for r in reinforcing if r.link_set & b.link_set]
    for (i, b1), (j, b2) in combinations(enumerate(balancing), 2):
        commons = b1.node_set & b2.node_set
        if not commons or not partners[i] or not partners[j]:
            continue
        for r1 in partners[i]:
            if r1.node_set & b2.node_set:
                continue
            for r2 in partners[j]:
                if r2.node_set & (b1.node_set | r1.node_set):
                    continue
                if commons & (r1.node_set | r2.node_set):
                    continue
                first, second = sorted(((r1, b1), (r2, b2)), key=lambda pair: min(pair[0].nodes))
                roles = {
                    "activity_a": list(first[0].nodes),
                    "activity_b": list(second[0].nodes),
                    "commons": [n for n in first[1].nodes if n in commons],
                }
                made_of = (first[0], second[0], first[1], second[1])
                yield "tragedy-of-the-commons", roles, made_of


def _candidates(loops: Sequence[_Loop]) -> list[dict[str, Any]]:
    balancing = [loop for loop in loops if not loop.reinforcing]
    reinforcing = [loop for loop in loops if loop.reinforcing]
    found: list[Found] = [
        *_fixes_that_fail(balancing, reinforcing),
        *_shifting_the_burden(balancing, reinforcing),
        *_limits_to_growth(balancing, reinforcing),
        *_growth_and_underinvestment(balancing, reinforcing),
        *_pairs_of_balancing(balancing),
        *_success_to_the_successful(reinforcing),
        *_tragedy_of_the_commons(balancing, reinforcing),
    ]
    rows: dict[tuple[Any, ...], dict[str, Any]] = {}
    for archetype, roles, made_of in found:
        key = (archetype, tuple((role, tuple(roles[role])) for role in ROLES[archetype]))
        if key in rows:
            continue
        nodes = sorted({n for loop in made_of for n in loop.nodes})
        rows[key] = {
            "archetype": archetype,
            "roles": [f"{role}={node}" for role in ROLES[archetype] for node in roles[role]],
            "nodes": nodes,
            "links": sorted({link for loop in made_of for link in loop.links}),
            "loops": [list(loop.links) for loop in made_of],
        }
    order = {name: i for i, name in enumerate(ARCHETYPES)}
    return sorted(
        rows.values(),
        key=lambda row: (order[row["archetype"]], row["nodes"], row["roles"]),
    )


def _answer(cm: ConceptMap, kinds: Sequence[str] | None, max_length: int) -> pd.DataFrame:
    check_positive("the maximum loop length", max_length)
    wanted = ARCHETYPES if kinds is None else tuple(kinds)
    for kind in wanted:
        if kind not in ROLES:
            raise unknown("archetype", kind, ARCHETYPES)
    rows = [row for row in _candidates(_loops(cm, max_length)) if row["archetype"] in wanted]
    return frame(rows, ARCHETYPE_COLUMNS)


def archetypes(
    m: SystemMap,
    *,
    kinds: Sequence[str] | None = None,
    max_length: int = TEXTBOOK_LENGTH,
    as_of_round: int | None = None,
) -> pd.DataFrame:
    """The places where the map has the loop pattern of a system archetype: candidates
    to discuss, each with the role of every factor in it.

    Parameters
    ----------
    m : SystemMap
    kinds : sequence of str, optional
        Only these archetypes (:data:`ARCHETYPES`); by default all eight.
    max_length : int
        The longest loop looked at, in links: by default that of the longest loop of
        a textbook diagram (:data:`TEXTBOOK_LENGTH`).
    as_of_round : int, optional
        The map as it was in this round.

    Returns
    -------
    pandas.DataFrame
        One row per candidate: ``archetype`` (its code, e.g. ``fixes-that-fail``),
        ``roles`` (``role=node`` for each node of each role, the roles in the order of
        :data:`ROLES`; :func:`role_members` makes it a dict), ``nodes``
        and ``links`` (sorted ids of every node and link of its loops), ``loops`` (the
        links of each loop that makes it, in order round the loop). Ordered as
        :data:`ARCHETYPES`, then by nodes. Links without a sign are left out: the
        pattern is one of signs. More than :data:`queries.loops.MAX_LOOPS` loops of
        ``max_length`` links raise :class:`graph.errors.TooManyLoops`.
    """
    return _answer(concept_map(m, as_of_round), kinds, max_length)


def stored_archetypes(
    store: Neo4jStore,
    map_id: str | None,
    *,
    kinds: Sequence[str] | None = None,
    max_length: int = TEXTBOOK_LENGTH,
    as_of_round: int | None = None,
) -> pd.DataFrame:
    """As :func:`archetypes`, for a map in Neo4j: its signed links read in Cypher."""
    map_id = cypher.resolve_map(store, map_id)
    return _answer(stored_concept_map(store, map_id, as_of_round), kinds, max_length)


def role_members(roles: Sequence[str]) -> dict[str, list[str]]:
    """The ``roles`` of a candidate (``role=node`` items) as role -> node ids, in order.

    >>> role_members(["problem=a", "fix=b", "side_effect=c", "side_effect=d"])
    {'problem': ['a'], 'fix': ['b'], 'side_effect': ['c', 'd']}
    """
    out: dict[str, list[str]] = {}
    for item in roles:
        role, _, node = item.partition("=")
        out.setdefault(role, []).append(node)
    return out


def map_roles(found: pd.DataFrame) -> dict[str, dict[str, list[dict[str, Any]]]]:
    """What the map needs to show the candidates of :func:`archetypes`: per node, the
    candidates it is in (``candidate``: the row number, ``archetype``, ``role``); per
    link, the candidates whose loops run along it.

    >>> m = SystemMap("demo")
    >>> for f in "ab":
    ...     m.add_node("Factor", f, f)
    >>> m.add_link("ab", "INFLUENCES", "a", "b", sign="+")
    >>> m.add_link("ba", "INFLUENCES", "b", "a", sign="-")
    >>> map_roles(archetypes(m))
    {'nodes': {}, 'links': {}}
    """
    nodes: dict[str, list[dict[str, Any]]] = {}
    links: dict[str, list[dict[str, Any]]] = {}
    for i, row in enumerate(found.to_dict("records")):
        for role, members in role_members(row["roles"]).items():
            for node in members:
                entry = {"candidate": i, "archetype": row["archetype"], "role": role}
                nodes.setdefault(node, []).append(entry)
        for link in row["links"]:
            links.setdefault(link, []).append({"candidate": i, "archetype": row["archetype"]})
    return {"nodes": dict(sorted(nodes.items())), "links": dict(sorted(links.items()))}
