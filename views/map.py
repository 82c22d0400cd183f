"""The system map as an interactive, offline HTML page.

Turns a SystemMap into the plain nodes, edges and legend of
:func:`views.page.render_network_page`: colour by node kind, links coloured by sign,
dashed while untested, thicker with weight; tooltips with sources, quotes and the
verdicts of the groups that reviewed a link, all as text; filters by kind, level,
role, group, round and status.

The map is laid out in Python (see :mod:`views.layout`): what has links is placed by
a force layout, and what has none yet (a statement, a session still to be held, the
kick-off report as a source) sits in tidy rows below it, so the map fills the screen
and every node is drawn.

>>> from loaders import load_map
>>> nodes, edges, legend = map_data(load_map())
>>> len(nodes), len(edges)
(37, 31)
>>> [e["tooltip"].splitlines()[1] for e in edges if e["id"] == "inv-prestatiedruk-stress"]
['status: hypothese (nog niet getoetst)']
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graph import Link, Node, SystemMap, schema
from graph.cycle import present as on_map
from graph.cycle import review_counts, rounds, status_rows
from views.page import render_network_page, without_cycle_collection

__all__ = [
    "FACET_LABELS",
    "SYSTEM_KINDS",
    "WORDS",
    "kind_label",
    "legend",
    "link_label",
    "link_statuses",
    "map_data",
    "number",
    "on_map",
    "provenance",
    "render_map",
    "write_map",
]

#: Words the map shows, per language.
WORDS: dict[str, dict[str, str]] = {
    "nl": {
        "kind": "soort",
        "link_kind": "verband",
        "level": "niveau",
        "role": "rol",
        "round": "ronde",
        "status": "status",
        "group": "groep",
        "sector": "sector",
        "actor_kind": "soort actor",
        "date": "datum",
        "time": "tijd",
        "reference": "verwijzing",
        "description": "omschrijving",
        "focus": "gekozen als focus",
        "sources": "Bronnen",
        "origin": "Herkomst",
        "note": "Toelichting",
        "quotes": "Citaat",
        "reviews": "Toetsing",
        "review_line": "ronde {round}, {group}: {verdict}",
        "untested_note": "nog niet getoetst",
        "weight": "gewicht",
        "weight_unknown": "gewicht onbekend",
        "untested": "gestippeld: nog niet getoetst",
        "thicker": "dikker: sterker verband",
        "about": "gaat over / gezegd in",
        "title": "Systeemkaart",
        "retired": "van de kaart sinds ronde {round}",
    },
    "en": {
        "kind": "kind",
        "link_kind": "link",
        "level": "level",
        "role": "role",
        "round": "round",
        "status": "status",
        "group": "group",
        "sector": "sector",
        "actor_kind": "actor kind",
        "date": "date",
        "time": "time",
        "reference": "reference",
        "description": "description",
        "focus": "chosen as a focus",
        "sources": "Sources",
        "origin": "Origin",
        "note": "Note",
        "quotes": "Quote",
        "reviews": "Review",
        "review_line": "round {round}, {group}: {verdict}",
        "untested_note": "not yet tested",
        "weight": "weight",
        "weight_unknown": "weight unknown",
        "untested": "dashed: not yet tested",
        "thicker": "thicker: stronger link",
        "about": "about / said in",
        "title": "System map",
        "retired": "off the map since round {round}",
    },
}

#: Filter headings of the page, per language (facet key -> heading).
FACET_LABELS: dict[str, dict[str, str]] = {
    "nl": {
        "soort": "Soort",
        "verband": "Soort verband",
        "niveau": "Niveau",
        "rol": "Rol",
        "groep": "Groep (citaten en toetsing)",
        "ronde": "Ronde",
        "status": "Status van verbanden",
    },
    "en": {
        "kind": "Kind",
        "link": "Kind of link",
        "level": "Level",
        "role": "Role",
        "group": "Group (quotes and reviews)",
        "round": "Round",
        "status": "Status of links",
    },
}

#: Status words in English, for the English map (the data keeps the Dutch values).
STATUS_EN = {
    "hypothese": "hypothesis",
    "bevestigd": "confirmed",
    "betwist": "contested",
    "verworpen": "rejected",
}
VERDICT_EN = {
    "eens": "agree",
    "oneens": "disagree",
    "neutraal": "neutral",
    "aanvulling": "addition",
}
GROUP_EN = {
    "jongere": "young person",
    "ouder": "parent",
    "professional": "professional",
    "bewoner": "resident",
    "deelnemer": "participant",
}

#: Facet keys (the names of the filters in the page's data), per language.
FACET_KEYS: dict[str, dict[str, str]] = {
    "nl": {
        "kind": "soort",
        "link_kind": "verband",
        "level": "niveau",
        "role": "rol",
        "group": "groep",
        "round": "ronde",
        "status": "status",
    },
    "en": {
        "kind": "kind",
        "link_kind": "link",
        "level": "level",
        "role": "role",
        "group": "group",
        "round": "round",
        "status": "status",
    },
}

#: The kinds a facilitator sees large: the system itself. The rest is provenance.
SYSTEM_KINDS = ("Actor", "Factor", "Initiative", "Place")

#: Link widths in pixels: unknown weight, and the range for known weights.
WIDTH_UNKNOWN = 3.0
WIDTH_MIN, WIDTH_MAX = 1.5, 8.0


def kind_label(kind: str, lang: str) -> str:
    style = schema.NODE_STYLES[kind]
    return style.label_nl if lang == "nl" else style.label_en


def link_label(link: Link, lang: str) -> str:
    kind = schema.LINK_KINDS[link.kind]
    if link.kind == "INFLUENCES":
        labels = schema.SIGN_LABELS_NL if lang == "nl" else schema.SIGN_LABELS_EN
        return labels[link.get("sign")]
    return kind.value if lang == "nl" else kind.label_en


def word(value: str, lang: str) -> str:
    """A status, verdict or group as the page shows it in ``lang``."""
    if lang == "en":
        for table in (STATUS_EN, VERDICT_EN, GROUP_EN):
            if value in table:
                return table[value]
    return value


def number(value: float, lang: str, digits: int = 2) -> str:
    """A number as people in ``lang`` write it: ``0,75`` in Dutch.

    >>> number(0.75, "nl"), number(2.0, "en"), number(-1.5, "nl")
    ('0,75', '2', '-1,5')
    """
    text = f"{value:.{digits}f}".rstrip("0").rstrip(".")
    if text in ("-0", ""):
        text = "0"
    return text.replace(".", ",") if lang == "nl" else text


# --------------------------------------------------------------------------- provenance


@dataclass(frozen=True)
class Provenance:
    """What the tooltips cite and say, looked up once per map: quotes by subject (node
    or link id), reviews by link id, each link's status (see :func:`link_statuses`;
    a link not in it is a hypothese) and the name of each node by id."""

    quotes: Mapping[str, list[Node]]
    reviews: Mapping[str, list[dict[str, Any]]]
    status: Mapping[str, str] = field(default_factory=dict)
    names: Mapping[str, str] = field(default_factory=dict)


def provenance(m: SystemMap, as_of_round: int | None = None) -> Provenance:
    """What the tooltips of the map as of ``as_of_round`` cite (by default: now).

    As of a round, the reviews are those of the rounds before it: the ones its
    statuses rest on (see :mod:`graph.cycle`).
    """
    return Provenance(
        _quotes_by_subject(m),
        _reviews_by_link(m, as_of_round),
        link_statuses(m, as_of_round),
        {node.id: node.name for node in m.nodes()},
    )


def link_statuses(m: SystemMap, as_of_round: int | None = None) -> dict[str, str]:
    """The status of each link as the groups' reviews decide it, by the rule of
    :func:`graph.cycle.status_rows` (the ``status`` column of the workbook does not
    count): as of ``as_of_round``, the status with which the links entered that round.

    Links that are not listed are hypotheses. A map nobody has reviewed has only
    hypotheses, so the rule is not asked; a round the ``rondes`` sheet does not list
    gets the latest statuses.

    >>> m = SystemMap("demo")
    >>> m.add_record("rounds", number=1, name="Ronde 1")
    >>> m.add_node("Factor", "a", "A", level="persoon", role="bron")
    >>> m.add_node("Factor", "b", "B", level="persoon", role="uitkomst")
    >>> m.add_link("ab", "INFLUENCES", "a", "b", sign="+", status="bevestigd")
    >>> link_statuses(m)  # a status in the workbook alone does not make it so
    {}
    >>> m.add_record("reviews", id="r1", link="ab", round=1, group="ouder", verdict="oneens")
    >>> link_statuses(m), link_statuses(m, as_of_round=1)
    ({'ab': 'verworpen'}, {'ab': 'hypothese'})
    """
    if not m.reviews:
        return {}
    as_of = as_of_round if as_of_round in rounds(m) else None
    return {row["link"]: row["status"] for row in status_rows(m, as_of)}


def _quotes_by_subject(m: SystemMap) -> dict[str, list[Node]]:
    out: dict[str, list[Node]] = defaultdict(list)
    for quote in m.quotes():
        for subject in quote.get("about", ()):
            out[subject].append(quote)
    return out


def _reviews_by_link(m: SystemMap, as_of_round: int | None) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for review in m.reviews:
        if review_counts(review, as_of_round):
            out[review["link"]].append(review)
    for rows in out.values():
        rows.sort(key=lambda r: (r["round"], r["group"], r.get("id", "")))
    return out


def _source_text(m: SystemMap, source_id: str) -> str:
    if source_id not in m.graph:
        return source_id
    source = m.node(source_id)
    reference = source.get("reference")
    if reference and reference != source.name:
        return f"{source.name} ({reference})"
    return source.name


def _provenance_lines(
    m: SystemMap, item: Node | Link, quotes: Iterable[Node], lang: str
) -> list[str]:
    w = WORDS[lang]
    lines = []
    if item.get("origin"):
        lines.append(f"{w['origin']}: {item['origin']}")
    if item.get("note"):
        lines.append(f"{w['note']}: {item['note']}")
    sources = [_source_text(m, s) for s in item.get("sources", ())]
    if sources:
        lines.append(f"{w['sources']}: " + "; ".join(sources))
    for quote in quotes:
        said = f", {m.node(quote['session']).name}" if quote.get("session") in m.graph else ""
        lines.append(f"{w['quotes']}: «{quote.name}» ({word(quote['group'], lang)}{said})")
    return lines


def _review_lines(reviews: list[dict[str, Any]], lang: str) -> list[str]:
    w = WORDS[lang]
    if not reviews:
        return []
    lines = []
    for review in reviews:
        line = w["review_line"].format(
            round=review["round"],
            group=word(review["group"], lang),
            verdict=word(review["verdict"], lang),
        )
        if review.get("note"):
            line += f" ({review['note']})"
        lines.append(f"{w['reviews']}: {line}")
    return lines


def _node_details(m: SystemMap, node: Node, lang: str) -> list[str]:
    w = WORDS[lang]
    details = []
    for key in ("actor_kind", "sector", "level", "role", "group", "description", "reference"):
        value = node.get(key)
        if value and not (key == "reference" and value == node.name):
            details.append(f"{w[key]}: {word(str(value), lang)}")
    if node.get("date"):
        when = node["date"].isoformat() if hasattr(node["date"], "isoformat") else node["date"]
        details.append(f"{w['date']}: {when}" + (f", {node['time']}" if node.get("time") else ""))
    if node.kind == "Statement" and node.get("focus"):
        details.append(w["focus"])
    if node.kind == "Quote" and node.get("session") in m.graph:
        details.append(m.node(node["session"]).name)
    return details


# --------------------------------------------------------------------------- nodes and edges


def map_data(
    m: SystemMap, lang: str = "nl", *, as_of_round: int | None = None
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    """The nodes, edges and legend of the map of ``m`` in ``lang`` (``nl`` or ``en``).

    Only what is on the map in round ``as_of_round`` is drawn (by default: now).
    """
    if lang not in WORDS:
        raise ValueError(f"lang must be one of {sorted(WORDS)}, got {lang!r}")
    cited = provenance(m, as_of_round)
    nodes = [
        node_item(m, node, lang, cited) for node in m.nodes() if on_map(node.fields, as_of_round)
    ]
    drawn = {n["id"] for n in nodes}
    links = [
        link
        for link in m.links(derived=True)
        if link.source in drawn and link.target in drawn and on_map(link.fields, as_of_round)
    ]
    weights = [float(link["weight"]) for link in links if link.get("weight") is not None]
    heaviest = max(weights, default=1.0)
    edges = [edge_item(m, link, lang, cited, heaviest=heaviest) for link in links]
    return nodes, edges, legend(m, lang, links=links, status=cited.status)


def node_item(m: SystemMap, node: Node, lang: str, cited: Provenance) -> dict[str, Any]:
    """The page's node for ``node``: colour and shape by kind, tooltip, facets."""
    w = WORDS[lang]
    keys = FACET_KEYS[lang]
    style = schema.NODE_STYLES[node.kind]
    facets: dict[str, Any] = {keys["kind"]: kind_label(node.kind, lang)}
    for key in ("level", "role"):
        if node.get(key):
            facets[keys[key]] = str(node[key])
    if node.kind == "Quote":
        facets[keys["group"]] = word(node["group"], lang)
    facets[keys["round"]] = str(node.get("round_in") or 1)
    lines = [node.name, kind_label(node.kind, lang), *_node_details(m, node, lang)]
    if node.get("round_out"):
        lines.append(w["retired"].format(round=node["round_out"]))
    lines += _provenance_lines(m, node, cited.quotes.get(node.id, ()), lang)
    return {
        "id": node.id,
        "label": _short(node.name, 40),
        "group": node.kind.lower(),
        "color": style.color,
        "shape": style.shape,
        "size": 22 if node.kind in SYSTEM_KINDS else 12,
        "tooltip": "\n".join(lines),
        "facets": facets,
    }


def edge_item(
    m: SystemMap, link: Link, lang: str, cited: Provenance, *, heaviest: float = 1.0
) -> dict[str, Any]:
    """The page's edge for ``link``: colour by sign, dashed while untested, width by
    weight, and a tooltip with status, weight, sources, quotes and reviews."""
    w = WORDS[lang]
    keys = FACET_KEYS[lang]
    source, target = cited.names[link.source], cited.names[link.target]
    label = link_label(link, lang)
    if link.derived:
        return {
            "id": link.id,
            "from": link.source,
            "to": link.target,
            "color": "#BBBBBB",
            "dashes": True,
            "width": 1,
            "label": "",
            "arrows": "to",
            "tooltip": f"{source} → {label} → {target}",
            "facets": {keys["link_kind"]: w["about"]},
        }
    quotes = cited.quotes.get(link.id, [])
    reviews = cited.reviews.get(link.id, [])
    status = cited.status.get(link.id, "hypothese")
    untested = status == "hypothese" and not reviews
    status_line = f"{w['status']}: {word(status, lang)}"
    if untested:
        status_line += f" ({w['untested_note']})"
    weight = link.get("weight")
    lines = [f"{source} → {label} → {target}", status_line]
    if link.kind == "INFLUENCES":
        lines.append(
            f"{w['weight']}: {number(float(weight), lang)}"
            if weight is not None
            else w["weight_unknown"]
        )
    if link.get("round_out"):
        lines.append(w["retired"].format(round=link["round_out"]))
    lines += _review_lines(reviews, lang)
    lines += _provenance_lines(m, link, quotes, lang)
    groups = sorted({r["group"] for r in reviews} | {q["group"] for q in quotes})
    facets: dict[str, Any] = {
        keys["link_kind"]: schema.LINK_KINDS[link.kind].value
        if lang == "nl"
        else schema.LINK_KINDS[link.kind].label_en,
        keys["status"]: word(status, lang),
        keys["round"]: str(link.get("round_in") or 1),
    }
    if groups:
        facets[keys["group"]] = [word(g, lang) for g in groups]
    if link.kind == "INFLUENCES":
        color = schema.SIGN_COLORS[link.get("sign")]
        short = {"+": "+", "-": "−"}.get(link.get("sign"), "?")
    else:
        color, short = "#555555", label
    return {
        "id": link.id,
        "from": link.source,
        "to": link.target,
        "color": color,
        "dashes": status == "hypothese",
        "width": _width(weight, heaviest),
        "label": short,
        "arrows": "" if link.kind == "COOPERATES_WITH" else "to",
        "tooltip": "\n".join(lines),
        "facets": facets,
    }


def _width(weight: Any, heaviest: float) -> float:
    """Line width: thicker with weight, relative to the heaviest link of the map."""
    if weight is None:
        return WIDTH_UNKNOWN
    share = float(weight) / heaviest if heaviest > 0 else 1.0
    return round(WIDTH_MIN + (WIDTH_MAX - WIDTH_MIN) * max(0.0, min(share, 1.0)), 2)


# --------------------------------------------------------------------------- legend


def legend(
    m: SystemMap,
    lang: str = "nl",
    *,
    links: Iterable[Link] | None = None,
    status: Mapping[str, str] | None = None,
) -> list[dict[str, Any]]:
    """Legend entries for the node kinds, link signs and line styles present in ``m``.

    ``status`` is each link's status (by default :func:`link_statuses`).
    """
    w = WORDS[lang]
    links = list(m.links(derived=True) if links is None else links)
    status = link_statuses(m) if status is None else status
    present = {n.kind for n in m.nodes()}
    entries: list[dict[str, Any]] = [
        {"label": kind_label(kind, lang), "color": style.color, "kind": "node", "dashes": False}
        for kind, style in schema.NODE_STYLES.items()
        if kind in present
    ]
    labels = schema.SIGN_LABELS_NL if lang == "nl" else schema.SIGN_LABELS_EN
    signs = {link.get("sign") for link in links if link.kind == "INFLUENCES"}
    for sign in ("+", "-", None):
        if sign in signs:
            entries.append(
                {
                    "label": labels[sign],
                    "color": schema.SIGN_COLORS[sign],
                    "kind": "edge",
                    "dashes": False,
                }
            )
    if any(link.kind != "INFLUENCES" and not link.derived for link in links):
        entries.append(
            {
                "label": "samenwerking, uitvoering, plek, knop"
                if lang == "nl"
                else "cooperation, runs, place, knob",
                "color": "#555555",
                "kind": "edge",
                "dashes": False,
            }
        )
    if any(link.derived for link in links):
        entries.append({"label": w["about"], "color": "#BBBBBB", "kind": "edge", "dashes": True})
    sheet = [link for link in links if not link.derived]
    if any(status.get(link.id, "hypothese") == "hypothese" for link in sheet):
        entries.append({"label": w["untested"], "color": "#777777", "kind": "edge", "dashes": True})
    if any(link.get("weight") is not None for link in sheet):
        entries.append({"label": w["thicker"], "color": "#333333", "kind": "edge", "dashes": False})
    return entries


# --------------------------------------------------------------------------- pages


@without_cycle_collection
def render_map(
    m: SystemMap, lang: str = "nl", *, as_of_round: int | None = None, **options: Any
) -> str:
    """The map of ``m`` as one self-contained HTML page.

    ``options`` go to :func:`views.page.render_network_page` (``positions``,
    ``projector``, ``seed``...). The page has the toetsmodus for the round
    (:func:`views.toets.toets_data`) unless ``toets`` is given (None: without).
    """
    from views.toets import toets_data

    if "toets" not in options:
        options["toets"] = toets_data(m, lang, round=as_of_round, agenda_round=as_of_round)
    nodes, edges, entries = map_data(m, lang, as_of_round=as_of_round)
    options.setdefault("facet_labels", FACET_LABELS[lang])
    title = options.pop("title", None) or m.name
    return render_network_page(nodes, edges, title=title, legend=entries, lang=lang, **options)


def write_map(m: SystemMap, path: str | Path, lang: str = "nl", **options: Any) -> Path:
    """Write the map of ``m`` to ``path`` and return the path."""
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(render_map(m, lang, **options), encoding="utf-8")
    return out


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
