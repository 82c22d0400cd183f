"""Maps drawn by separate groups, brought together into one map.

Each group (young people, parents...) may draw its own map, with concepts that only
partly overlap. Combining them takes three steps:

1. :func:`propose_matches` proposes which concepts (actors and factors) of the maps
   are the same: by the similarity of their names (:mod:`difflib`), and by the
   links they share with concepts already matched. The analyst confirms or edits
   the proposals (the confirmation sheet of :mod:`loaders.combine`).
2. :func:`combine_maps` builds the combined map from the maps and the confirmed
   matches: one node per concept; per link, which groups drew it, with which sign
   and weight. A link keeps its evidence: the sources of every map that drew it,
   and the quotes about it.
3. The groups' drawings become the combined map's first round of reviews: a map
   that drew a link says ``eens`` for its group, with the weight it gave it; a map
   that drew the same link with the other sign says ``oneens``. So a sign that
   differs between groups is kept as two links, each contested, not averaged away,
   and the status rule and the consensus of :mod:`queries.consensus` read the
   groups' agreement as they read any review.

**Weights** are aggregated within each group first, then across the groups
(:func:`aggregate_weights`, mean or median): a group that brings three maps weighs
as much as a group that brings one. A weight left empty is unknown and does not
count.

**Ids.** A concept matched across maps takes the id the matches give it. Another
node whose id is used by a different node of another map is namespaced with its
map's key (``ouders.stress``), as is a link whose id is taken.

>>> a = SystemMap("jongeren"); b = SystemMap("ouders")
>>> for m in (a, b):
...     m.add_node("Factor", "druk", "Druk", level="persoon", role="bron")
...     m.add_node("Factor", "stress", "Stress", level="persoon", role="uitkomst")
>>> a.add_link("ds", "INFLUENCES", "druk", "stress", sign="+", weight=0.4)
>>> b.add_link("ds", "INFLUENCES", "druk", "stress", sign="+", weight=0.8)
>>> maps = [GroupMap("jongeren", "jongere", a), GroupMap("ouders", "ouder", b)]
>>> combined = combine_maps(maps, propose_matches(maps))
>>> link = combined.map.link("ds")
>>> link["weight"], link["origin"]
(0.6000000000000001, 'getekend door: jongere, ouder')
"""

from __future__ import annotations

import difflib
import re
import statistics
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from graph import schema
from graph.cycle import present
from graph.errors import CombineError, either, said
from graph.model import SystemMap
from graph.vocabulary import Verdict

__all__ = [
    "AGGREGATIONS",
    "CONCEPT_KINDS",
    "Aggregation",
    "Combined",
    "CombineError",
    "GroupMap",
    "GroupLink",
    "Match",
    "aggregate_weights",
    "check_matches",
    "combine_maps",
    "propose_matches",
]

#: The node kinds whose sameness across maps is proposed and confirmed.
CONCEPT_KINDS = ("Actor", "Factor")
#: How weights are aggregated, within a group and across groups.
AGGREGATIONS = ("mean", "median")
Aggregation = Literal["mean", "median"]
#: Names at least this similar (difflib's ratio, 0 to 1) are proposed as the same.
SAME_NAME = 0.85
#: Names at least this similar are proposed when the concepts share a link too.
SIMILAR_NAME = 0.6
#: The round of the combined map in which the groups' drawings are its reviews.
ROUND_NAME = "Kaarten van de groepen samengevoegd"


@dataclass(frozen=True)
class GroupMap:
    """One map to combine: its ``key`` (short, unique among the maps: a file's name),
    the ``group`` that drew it (a group of the schema) and the map itself."""

    key: str
    group: str
    map: SystemMap


@dataclass(frozen=True)
class Match:
    """A proposal, or the analyst's confirmation: the concept ``node`` of the map
    ``key`` is the concept ``same_as`` of the combined map. ``score`` and ``reason``
    say why it was proposed (1.0 and ``zelfde naam`` for an equal name)."""

    key: str
    node: str
    name: str
    same_as: str
    score: float = 1.0
    reason: str = ""


@dataclass(frozen=True)
class GroupLink:
    """A link of the combined map and who drew it: the groups that drew it (``groups``)
    and those that drew it with the other sign (``against``); each group's weight
    (aggregated over its maps; None when unknown) and the maps that drew it."""

    link: str
    kind: str
    source: str
    target: str
    sign: str | None
    weight: float | None
    groups: tuple[str, ...]
    against: tuple[str, ...]
    group_weights: Mapping[str, float | None]
    maps: tuple[str, ...]


@dataclass
class Combined:
    """The combined map and, per link, who drew it (:class:`GroupLink`)."""

    map: SystemMap
    links: list[GroupLink] = field(default_factory=list)


def aggregate_weights(
    weights: Mapping[str, Sequence[float | None]], how: Aggregation = "mean"
) -> tuple[float | None, dict[str, float | None]]:
    """The weight of a link from each group's weights (one per map that drew it):
    aggregated within each group, then across the groups, both by ``how``. Returns
    the weight and each group's own; None where no weight is known.

    >>> aggregate_weights({"jongere": [0.2, 0.4, 0.9], "ouder": [0.8]}, "mean")
    (0.65, {'jongere': 0.5, 'ouder': 0.8})
    >>> aggregate_weights({"jongere": [0.2, 0.4, 0.9], "ouder": [0.8]}, "median")
    (0.6000000000000001, {'jongere': 0.4, 'ouder': 0.8})
    """
    if how not in AGGREGATIONS:
        raise CombineError(
            said("combine.aggregation", how=repr(how), choices=either(*AGGREGATIONS))
        )
    average = statistics.fmean if how == "mean" else statistics.median
    per_group: dict[str, float | None] = {}
    for group, found in weights.items():
        known = [float(w) for w in found if w is not None]
        per_group[group] = float(average(known)) if known else None
    known_groups = [w for w in per_group.values() if w is not None]
    return (float(average(known_groups)) if known_groups else None), per_group


# --- proposing matches -------------------------------------------------------------------


def _normal(name: str) -> str:
    """A name as compared: lower case, no accents, punctuation as spaces."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


def _concepts(m: SystemMap) -> list[tuple[str, str]]:
    return [(n.id, n.name) for n in m.nodes() if n.kind in CONCEPT_KINDS and present(n.fields)]


def _neighbours(m: SystemMap) -> dict[str, set[str]]:
    out: dict[str, set[str]] = defaultdict(set)
    for link in m.links():
        if present(link.fields):
            out[link.source].add(link.target)
            out[link.target].add(link.source)
    return out


def propose_matches(maps: Sequence[GroupMap]) -> list[Match]:
    """For every concept of every map, the concept of the combined map it is proposed
    to be: the most similar concept of an earlier map by name (at least
    :data:`SAME_NAME`; from :data:`SIMILAR_NAME` when the two are linked to a concept
    of the same name), else a concept of its own.

    Each combined concept takes at most one concept of each map. The proposals are
    listed map by map, in each map's order.
    """
    _check_keys(maps)
    proposals: list[Match] = []
    #: combined concept id -> its name, the maps that have it, its neighbours' names
    names: dict[str, str] = {}
    normal: dict[str, str] = {}  # the names as compared
    by_name: dict[str, list[str]] = {}
    holders: dict[str, set[str]] = defaultdict(set)
    linked: dict[str, set[str]] = defaultdict(set)
    for gm in maps:
        neighbours = _neighbours(gm.map)
        concepts = _concepts(gm.map)
        near = {
            node_id: {_normal(gm.map.node(n).name) for n in neighbours.get(node_id, ())}
            for node_id, _ in concepts
        }
        candidates: list[tuple[float, str, str, str]] = []
        for node_id, name in concepts:
            # the same name: the best there is, so no other name is compared
            same = [c for c in by_name.get(_normal(name), ()) if gm.key not in holders[c]]
            candidates += [(1.0, node_id, cid, "zelfde naam") for cid in same]
            if same:
                continue
            alike = difflib.SequenceMatcher(None, "", _normal(name))
            for cid, cname in names.items():
                if gm.key in holders[cid]:
                    continue
                alike.set_seq1(normal[cid])
                if alike.real_quick_ratio() < SIMILAR_NAME or alike.quick_ratio() < SIMILAR_NAME:
                    continue  # the upper bounds: cheap, and most names stop here
                score = alike.ratio()
                if score >= SAME_NAME:
                    reason = f"lijkt op '{cname}'"
                elif score >= SIMILAR_NAME and near[node_id] & linked[cid]:
                    reason = f"lijkt op '{cname}', met een gedeelde relatie"
                else:
                    continue
                candidates.append((score, node_id, cid, reason))
        done: dict[str, tuple[str, float, str]] = {}
        used: set[str] = set()
        for score, node_id, cid, reason in sorted(candidates, key=lambda c: (-c[0], c[1], c[2])):
            if node_id not in done and cid not in used:
                done[node_id] = (cid, round(score, 3), reason)
                used.add(cid)
        for node_id, name in concepts:
            cid, score, reason = done.get(node_id) or (_free_id(gm.key, node_id, names), 1.0, "")
            if cid not in names:
                names[cid], normal[cid] = name, _normal(name)
                by_name.setdefault(normal[cid], []).append(cid)
            holders[cid].add(gm.key)
            linked[cid] |= near[node_id]
            proposals.append(Match(gm.key, node_id, name, cid, score, reason or "eigen begrip"))
    return proposals


def _free_id(key: str, node_id: str, taken: Mapping[str, Any]) -> str:
    return node_id if node_id not in taken else _namespaced(key, node_id)


def _check_keys(maps: Sequence[GroupMap]) -> None:
    if not maps:
        raise CombineError(said("combine.no_maps"))
    seen: set[str] = set()
    for gm in maps:
        if gm.key in seen:
            raise CombineError(said("combine.same_key", key=repr(gm.key)))
        seen.add(gm.key)
        if gm.group not in schema.GROUPS:
            groups = ", ".join(schema.GROUPS)
            raise CombineError(
                said("combine.group", key=repr(gm.key), group=repr(gm.group), groups=groups)
            )


def _namespaced(key: str, item: str) -> str:
    out = f"{key}.{item}"[: schema.MAX_ID_LENGTH]
    if schema.id_problem(out):
        raise CombineError(said("combine.no_id", key=repr(key), item=repr(item), id=repr(out)))
    return out


# --- combining ---------------------------------------------------------------------------


def check_matches(maps: Sequence[GroupMap], matches: Iterable[Match]) -> dict[tuple[str, str], str]:
    """The confirmed matches as (map key, node id) -> combined concept id, checked: each
    names a concept of one of the maps, once, with a valid id; concepts matched to one
    id have the same kind. :class:`CombineError` names the first problem (the
    confirmation sheet of :mod:`loaders.combine` names its cell instead)."""
    by_key = {gm.key: gm.map for gm in maps}
    out: dict[tuple[str, str], str] = {}
    kinds: dict[str, tuple[str, str, str]] = {}
    for match in matches:
        m = by_key.get(match.key)
        if m is None:
            raise CombineError(
                said("combine.unknown_map", key=repr(match.key), maps=", ".join(by_key))
            )
        if match.node not in m.graph or m.node(match.node).kind not in CONCEPT_KINDS:
            raise CombineError(
                said("combine.no_concept", key=repr(match.key), node=repr(match.node))
            )
        problem = schema.id_problem(match.same_as)
        if problem:
            raise CombineError(
                said("combine.bad_id", key=repr(match.key), node=repr(match.node), problem=problem)
            )
        earlier = out.get((match.key, match.node))
        if earlier is not None and earlier != match.same_as:
            raise CombineError(
                said(
                    "combine.two_concepts",
                    key=repr(match.key),
                    node=repr(match.node),
                    first=repr(earlier),
                    second=repr(match.same_as),
                )
            )
        kind = m.node(match.node).kind
        first = kinds.setdefault(match.same_as, (kind, match.key, match.node))
        if first[0] != kind:
            raise CombineError(
                said(
                    "combine.two_kinds",
                    id=repr(match.same_as),
                    kind=said("load.kind." + first[0].lower()),
                    key=first[1],
                    node=repr(first[2]),
                    other=said("load.kind." + kind.lower()),
                    other_key=match.key,
                    other_node=repr(match.node),
                )
            )
        out[(match.key, match.node)] = match.same_as
    return out


def combine_maps(
    maps: Sequence[GroupMap],
    matches: Iterable[Match],
    how: Aggregation = "mean",
    *,
    map_id: str = "samen",
    name: str = "Samengevoegde kaart",
) -> Combined:
    """The map that combines ``maps``, its concepts joined by ``matches`` (proposed by
    :func:`propose_matches`, or as the analyst confirmed them).

    What is on each map now (nothing retired) is combined: every node and link, the
    sources and quotes with them; the maps' own records (rounds, reviews, votes,
    positions) are not. The combined map has one round, :data:`ROUND_NAME`, whose
    reviews are the groups' drawings, one per map and link: ``eens`` when the map drew
    the link, ``oneens`` when it drew it with the other sign. Weights are aggregated
    by ``how`` (:func:`aggregate_weights`).

    Raises :class:`CombineError` for maps without their own key or with an unknown
    group, and for matches that name no concept, a concept twice, or join kinds.
    """
    _check_keys(maps)
    concept_of = check_matches(maps, matches)
    out = SystemMap(map_id, name)
    out.add_record("rounds", number=1, name=ROUND_NAME)
    node_ids: dict[tuple[str, str], str] = {}
    # sources first (nodes name them), quotes last (they may be about a link)
    order = {"Source": 0, "Quote": 2}
    nodes = sorted(
        ((gm, n) for gm in maps for n in gm.map.nodes() if present(n.fields)),
        key=lambda pair: order.get(pair[1].kind, 1),
    )
    combined = Combined(out)
    link_ids: dict[tuple[str, str], str] = {}
    for gm, node in nodes:
        if node.kind == "Quote" and not link_ids:
            link_ids = _add_links(combined, maps, node_ids, how)
        concept = concept_of.get((gm.key, node.id))
        node_ids[(gm.key, node.id)] = _add_node(out, gm, node, concept, node_ids, link_ids)
    if not link_ids:
        _add_links(combined, maps, node_ids, how)
    # the outcome the maps declare, when they declare one and the same
    outcomes = {node_ids.get((gm.key, gm.map.meta.get("outcome", ""))) for gm in maps}
    if len(outcomes) == 1 and None not in outcomes:
        out.meta["outcome"] = outcomes.pop()
    return combined


_ROUND_FIELDS = ("round_in", "round_out")


def _add_node(
    out: SystemMap,
    gm: GroupMap,
    node: Any,
    concept: str | None,
    node_ids: Mapping[tuple[str, str], str],
    link_ids: Mapping[tuple[str, str], str],
) -> str:
    """Add ``node`` of ``gm`` (once for a concept matched across maps, or a node that
    another map has too, by id, kind and name); its id in the combined map."""
    if concept is not None and node.kind in CONCEPT_KINDS:
        new_id = concept
    else:
        new_id = _free_node_id(out, gm.key, node.id, node.kind, node.name)
    if new_id not in out.graph:
        fields = _remapped(node.kind, node.fields, gm.key, node_ids, link_ids)
        out.add_node(node.kind, new_id, node.name, **fields)
    return new_id


def _free_node_id(out: SystemMap, key: str, node_id: str, kind: str, name: str) -> str:
    """``node_id`` if it is free or names the same node (kind and name); else namespaced."""
    if node_id not in out:
        return node_id
    if node_id in out.graph and (out.node(node_id).kind, out.node(node_id).name) == (kind, name):
        return node_id
    return _namespaced(key, node_id)


def _remapped(
    kind: str,
    fields: Mapping[str, Any],
    key: str,
    node_ids: Mapping[tuple[str, str], str],
    link_ids: Mapping[tuple[str, str], str],
) -> dict[str, Any]:
    """``fields`` without rounds, their references to nodes and links renamed."""
    table = schema.TABLES[schema.TABLE_BY_KIND[kind]]
    refs = {f.name for f in table.fields if f.type in ("ref", "refs")}

    def new(item: str) -> str | None:
        return node_ids.get((key, item)) or link_ids.get((key, item))

    out: dict[str, Any] = {}
    for name, value in fields.items():
        if name in _ROUND_FIELDS:
            continue
        if name in refs and isinstance(value, tuple):
            value = tuple(n for n in (new(v) for v in value) if n)
        elif name in refs and isinstance(value, str):
            value = new(value)
        out[name] = value
    return out


def _other(sign: str | None) -> str | None:
    return {"+": "-", "-": "+"}.get(sign or "")


def _add_links(
    combined: Combined,
    maps: Sequence[GroupMap],
    node_ids: Mapping[tuple[str, str], str],
    how: Aggregation,
) -> dict[tuple[str, str], str]:
    """Add one link per kind, ends and sign drawn by any map, with who drew it, and
    the groups' drawings as reviews; returns (map key, old link id) -> new link id."""
    out = combined.map
    drawn: dict[tuple[str, str, str, str | None], list[tuple[GroupMap, Any]]] = {}
    for gm in maps:
        for link in gm.map.links():
            ends = (gm.key, link.source), (gm.key, link.target)
            if present(link.fields) and ends[0] in node_ids and ends[1] in node_ids:
                key = (link.kind, node_ids[ends[0]], node_ids[ends[1]], link.get("sign"))
                drawn.setdefault(key, []).append((gm, link))
    link_ids: dict[tuple[str, str], str] = {}
    n_reviews = 0
    for (kind, source, target, sign), found in drawn.items():
        first_map, first = found[0]
        new_id = first.id if first.id not in out else _namespaced(first_map.key, first.id)
        weights: dict[str, list[float | None]] = defaultdict(list)
        for gm, link in found:
            weights[gm.group].append(link.get("weight"))
            link_ids[(gm.key, link.id)] = new_id
        weight, group_weights = aggregate_weights(weights, how)
        sources: list[str] = []
        for gm, link in found:
            for old in link.get("sources", ()):
                new_source = node_ids.get((gm.key, old))
                if new_source and new_source not in sources:
                    sources.append(new_source)
        groups = tuple(sorted(weights))
        other_sign = _other(sign)  # none for a link without a sign: nothing opposes it
        opposite = drawn.get((kind, source, target, other_sign), []) if other_sign else []
        against = tuple(sorted({gm.group for gm, _ in opposite}))
        out.add_link(
            new_id,
            kind,
            source,
            target,
            sign=sign,
            weight=weight,
            sources=tuple(sources),
            origin=f"getekend door: {', '.join(groups)}",
        )
        votes = [(gm, link, Verdict.AGREE) for gm, link in found]
        votes += [(gm, link, Verdict.DISAGREE) for gm, link in opposite]
        for gm, link, verdict in sorted(votes, key=lambda v: [m.key for m in maps].index(v[0].key)):
            n_reviews += 1
            out.add_record(
                "reviews",
                id=f"samen-{n_reviews}",
                link=new_id,
                round=1,
                group=gm.group,
                verdict=verdict,
                note=f"getekend in kaart {gm.key} met teken {link.get('sign') or '?'}",
                # the map's own weight of the link it drew; none for the other sign
                weight=link.get("weight") if verdict == Verdict.AGREE else None,
            )
        combined.links.append(
            GroupLink(
                new_id,
                kind,
                source,
                target,
                sign,
                weight,
                groups,
                against,
                group_weights,
                tuple(dict.fromkeys(gm.key for gm, _ in found)),
            )
        )
    return link_ids
