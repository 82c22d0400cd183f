"""Generated system maps for benchmarks and demos, labelled as generated.

Nothing here comes from a session: the maps only have the shape of real ones
(actors and factors joined by signed influences, a few knoppen, initiatives on
factors) so that loading, queries and views can be measured at any size.

>>> m = generated_map(nodes=50, links=120, seed=1)
>>> m.meta["origin"]
'gegenereerd voor benchmarks; geen echte gegevens'
>>> m.graph.number_of_nodes(), sum(1 for _ in m.links())
(50, 120)
"""

from __future__ import annotations

import random

from graph import schema
from graph.model import SystemMap
from graph.vocabulary import LinkKind, Status

ORIGIN = "gegenereerd voor benchmarks; geen echte gegevens"


def generated_map(nodes: int, links: int, seed: int = 0, map_id: str = "gegenereerd") -> SystemMap:
    """A map of ``nodes`` nodes (mostly factors, some actors and initiatives) and
    ``links`` links, reproducible from ``seed``."""
    rng = random.Random(seed)
    m = SystemMap(map_id, f"Gegenereerde kaart ({nodes} knopen)", origin=ORIGIN)
    m.add_record("rounds", number=1, name="Ronde 1", origin=ORIGIN)
    n_actors = max(1, nodes // 10)
    n_initiatives = max(1, nodes // 20)
    n_factors = nodes - n_actors - n_initiatives
    factors = [f"factor-{i}" for i in range(n_factors)]
    actors = [f"actor-{i}" for i in range(n_actors)]
    initiatives = [f"initiatief-{i}" for i in range(n_initiatives)]
    for i, node_id in enumerate(factors):
        m.add_node(
            "Factor",
            node_id,
            f"Factor {i}",
            level=rng.choice(schema.LEVELS),
            role="uitkomst" if i == 0 else rng.choice(("bron", "bron", "beschermend")),
            round_in=1,
            origin=ORIGIN,
        )
    for i, node_id in enumerate(actors):
        m.add_node(
            "Actor",
            node_id,
            f"Actor {i}",
            actor_kind=rng.choice(schema.ACTOR_KINDS),
            round_in=1,
            origin=ORIGIN,
        )
    for i, node_id in enumerate(initiatives):
        m.add_node("Initiative", node_id, f"Initiatief {i}", round_in=1, origin=ORIGIN)

    seen: set[tuple[str, str, str]] = set()
    count = 0
    influencers = factors + actors
    while count < links:
        roll = rng.random()
        if roll < 0.8:
            kind, source, target = LinkKind.INFLUENCES, rng.choice(influencers), rng.choice(factors)
        elif roll < 0.9:
            kind, source, target = LinkKind.CAN_ADJUST, rng.choice(actors), rng.choice(factors)
        elif roll < 0.95:
            kind, source, target = LinkKind.ADDRESSES, rng.choice(initiatives), rng.choice(factors)
        else:
            kind, source, target = (
                LinkKind.COOPERATES_WITH,
                rng.choice(actors),
                rng.choice(initiatives),
            )
        if source == target or (kind, source, target) in seen:
            continue
        seen.add((kind, source, target))
        fields: dict[str, object] = {"status": Status.HYPOTHESIS.value, "round_in": 1}
        if kind == LinkKind.INFLUENCES:
            fields["sign"] = "+" if rng.random() < 0.7 else "-"
            fields["weight"] = round(rng.uniform(0.2, 1.0), 2)
        m.add_link(f"link-{count}", kind, source, target, **fields)
        count += 1
    return m
