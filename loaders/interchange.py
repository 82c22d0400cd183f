"""Maps from elsewhere: what every outside format shares, and one way to read or write any.

Kumu, PRSM, MentalModeler, GraphML and GEXF each have a module of their own
(:mod:`loaders.kumu`, :mod:`loaders.prsm`, :mod:`loaders.mentalmodeler`,
:mod:`loaders.graphml`) with ``read(path) -> (SystemMap, Report)`` and
``write(m, path, *, as_of_round=None) -> Report``. This module holds what they
share:

- :class:`MapBuilder`, which turns the elements and links of an outside map into a
  SystemMap of factors (and actors) and ``INFLUENCES`` links in its first round: ids
  made from the labels within the id rule (:func:`slug`, :func:`link_id_for`), signs
  as the format gave them (unknown when it gave none), positions as saved positions,
  level and role only where the file has them (none is invented), and the loops a
  file names as the map's steps (``stappen``), which show them one by one.
- :class:`Report`, which lists what could not be carried, one line per kind of loss,
  so that nothing is dropped silently.
- :func:`exportable`, the part of the current map (or of a past round) an outside
  format can hold, and the report of the rest.
- :func:`read_map` and :func:`write_map`, which pick the module by format name or by
  the file, and :func:`save_workbook`, which writes an imported map as a workbook only
  when the workbook loads again (all of it, or nothing).
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graph import SystemMap, schema
from graph.cycle import check_round, map_as_of, rounds
from graph.errors import Text, UnknownFormat, said
from graph.model import Link, Node
from graph.vocabulary import LinkKind, Status
from loaders.errors import LoadError, WorkbookInvalid
from loaders.write import Output, check_xml_text, file_start, replacing, xlsx_sheets

#: The formats, by the name ``--from`` and ``--to`` take.
FORMATS = ("kumu", "prsm", "mentalmodeler", "graphml", "gexf")


@dataclass(frozen=True)
class NamedLoop:
    """A loop a map names (Kumu's loops; a step of the map that highlights a loop): its
    name and its links, as link ids."""

    name: str
    links: tuple[str, ...]


@dataclass
class Report:
    """What an import or export could not carry, and what it noticed on the way.

    ``lost`` counts each kind of loss; :meth:`lines` says them one line each.
    ``named_loops`` holds the loops a source file names (the map keeps them as steps).
    """

    format: str
    path: str
    lost: Counter[Text] = field(default_factory=Counter)
    named_loops: list[NamedLoop] = field(default_factory=list)

    def lose(self, what: Text, count: int = 1) -> None:
        """Record that ``what`` was not carried (``count`` times)."""
        if count:
            self.lost[what] += count

    def lines(self) -> list[str]:
        """Each loss as one line, in the order first met.

        >>> r = Report("kumu", "x.json")
        >>> for _ in range(2):
        ...     r.lose("a delay mark not carried")
        >>> r.lines()
        ['a delay mark not carried (2 times)']
        """
        return [str(line) for line in self.said()]

    def said(self) -> list[Text]:
        """Each loss as one line, in no language yet (:func:`graph.errors.phrase`)."""
        return [
            what if n == 1 else said("import.times", what=what, n=n)
            for what, n in self.lost.items()
        ]


def slug(text: str, limit: int = 0) -> str:
    """An id made from a label: lower case letters, digits and dashes, at most ``limit``
    characters (:data:`NODE_ID_LENGTH` by default). A longer one keeps its start and ends
    in a short hash of the whole (:func:`short_id`), so it stays readable and unique.

    >>> slug("Verwachtingen van Ouders!"), slug("_Stress_")
    ('verwachtingen-van-ouders', 'stress')
    >>> slug("De verwachtingen die ouders, docenten en de jongeren zelf hebben van cijfers")
    'de-verwachtingen-die-ouders-docenten-en-8a823e81'
    """
    from loaders.validate import slug_hint

    return short_id(slug_hint(text).strip("._-"), limit or NODE_ID_LENGTH)


#: The longest id an import makes for an element, and for a link: both leave room for
#: what the adjust step adds to an id (``b12-samengevoegd-`` before it, ``-r12`` after
#: it) within the schema's limit (:data:`graph.schema.MAX_ID_LENGTH`).
NODE_ID_LENGTH = 48
LINK_ID_LENGTH = 76
#: The characters of the hash that ends a shortened id.
HASH_LENGTH = 8


def short_id(text: str, limit: int) -> str:
    """``text`` when it has at most ``limit`` characters; else its start, a dash and a
    hash of the whole of it: the same text gives the same id on every run.

    >>> short_id("stress", 10), short_id("prestatiedruk-op-school", 20)
    ('stress', 'prestatiedr-1adc242b')
    """
    if len(text) <= limit:
        return text
    return f"{text[: limit - HASH_LENGTH - 1].rstrip('._-')}-{_digest(text)}"


def _digest(text: str) -> str:
    return hashlib.blake2s(text.encode("utf-8"), digest_size=HASH_LENGTH // 2).hexdigest()


def link_id_for(source: str, target: str) -> str:
    """The id of a link between two elements' ids: ``source--target``, each end cut
    when the whole would be longer than :data:`LINK_ID_LENGTH`, then a hash of both.

    >>> link_id_for("stress", "slaap")
    'stress--slaap'
    >>> len(link_id_for("a" * 48, "b" * 48)) <= LINK_ID_LENGTH
    True
    """
    whole = f"{source}--{target}"
    if len(whole) <= LINK_ID_LENGTH:
        return whole
    end = (LINK_ID_LENGTH - HASH_LENGTH - 3) // 2
    return f"{source[:end].rstrip('._-')}--{target[:end].rstrip('._-')}-{_digest(whole)}"


#: The fields of an element a format may carry besides its name and note, by kind:
#: the factor's level and role, the actor's kind and sector.
ELEMENT_FIELDS = {"Factor": ("level", "role"), "Actor": ("actor_kind", "sector")}
#: The names these fields are read under (the field, its workbook header, English).
FIELD_NAMES = {
    "level": ("level", "niveau"),
    "role": ("role", "rol"),
    "actor_kind": ("actor kind", "actor_kind", "soort"),
    "sector": ("sector",),
}
#: The node kinds an outside map holds, by the words a file may use for them.
KIND_WORDS = {"factor": "Factor", "factoren": "Factor", "actor": "Actor", "actoren": "Actor"}


def kind_of(word: Any) -> str | None:
    """The node kind (``Factor`` or ``Actor``) a file's type word names, or None.

    >>> kind_of("Actor"), kind_of(" factor "), kind_of("Person")
    ('Actor', 'Factor', None)
    """
    return KIND_WORDS.get(" ".join(str(word or "").split()).lower())


class MapBuilder:
    """Builds the SystemMap of an outside map: factors, signed links, positions.

    Elements are known by the source's own key (its id, or its label); each becomes a
    factor (or an actor, when the file says so) with an id made from its label
    (:func:`slug`), made unique with ``-2``, ``-3``... A link's id joins its ends' ids
    (:func:`link_id_for`; ``a--b-2`` for a second link alongside), so that it does not
    depend on the order in which a format lists the links. The map records its first
    round, named after the file, so that the cycle can start on it.

    >>> b = MapBuilder("demo", "Demo", Report("kumu", "demo.json"))
    >>> b.factor("e1", "Stress", x=10, y=-5)
    'stress'
    >>> b.factor("e2", "Stress")
    'stress-2'
    >>> b.link("e1", "e2", "+")
    'stress--stress-2'
    >>> b.m.positions(), [lk.get("sign") for lk in b.m.links()], b.m.rounds[0]["name"]
    ({'stress': (10.0, -5.0)}, ['+'], 'demo.json')
    """

    def __init__(self, map_id: str, name: str, report: Report, **meta: Any) -> None:
        self.m = SystemMap(slug(map_id) or "kaart", name or map_id, **meta)
        self.report = report
        self.ids: dict[str, str] = {}
        # the last number given to each id made unique: the next one starts there, so
        # that a thousand elements of one label cost no more than of a thousand labels
        self._numbered: dict[str, int] = {}
        self.m.add_record(
            "rounds",
            number=1,
            name=Path(report.path).name or "Ronde 1",
            origin=f"geïmporteerd uit {report.format}",
        )

    def factor(
        self,
        key: str,
        label: str,
        *,
        note: str | None = None,
        x: Any = None,
        y: Any = None,
        kind: str = "Factor",
        **fields: Any,
    ) -> str:
        """Add the element known as ``key`` as a factor (or an actor: ``kind``); returns
        its id. ``fields`` are its level and role (an actor's kind and sector), by field
        name; a value the schema does not allow is reported and left empty, and an actor
        without a valid kind becomes a factor."""
        label = " ".join(str(label).split()) or str(key)
        base = slug(label) or slug(str(key)) or "factor"
        node_id, n = base, self._numbered.get(base, 1)
        if n > 1:
            node_id = short_id(f"{base}-{n}", NODE_ID_LENGTH + 4)
        while node_id in self.m:
            n += 1
            node_id = short_id(f"{base}-{n}", NODE_ID_LENGTH + 4)
        self._numbered[base] = n
        kept = self._fields(kind, fields)
        if kind == "Actor" and "actor_kind" not in kept:
            self.report.lose(said("import.actor_without_kind"))
            kind, kept = "Factor", {}
        self.m.add_node(kind, node_id, label, note=(note or "").strip() or None, **kept)
        self.ids[str(key)] = node_id
        position = _position(x, y)
        if position is not None:
            self.m.add_record("positions", element=node_id, x=position[0], y=position[1])
        return node_id

    def _fields(self, kind: str, fields: dict[str, Any]) -> dict[str, Any]:
        table = schema.NODE_TABLES[schema.TABLE_BY_KIND[kind]]
        kept: dict[str, Any] = {}
        for name, value in fields.items():
            text = " ".join(str(value or "").split())
            if not text:
                continue
            if name not in ELEMENT_FIELDS[kind]:
                what = said("import.field." + name)
                self.report.lose(
                    said("import.field_of_kind", what=what, kind=said("load.kind." + kind.lower()))
                )
                continue
            f = table.field(name)
            if f.choices and text.lower() not in f.choices:
                choices = ", ".join(f'"{c}"' for c in f.choices)
                self.report.lose(
                    said("import.not_a_choice", header=f.header, value=text, choices=choices)
                )
                continue
            kept[name] = text.lower() if f.choices else text
        return kept

    def has(self, key: Any) -> bool:
        return str(key) in self.ids

    def link(
        self,
        source: Any,
        target: Any,
        sign: str | None,
        *,
        weight: float | None = None,
        note: str | None = None,
    ) -> str | None:
        """Add an ``INFLUENCES`` link between two elements by their keys; returns its id.

        A link from an element to itself is kept: a concept's feedback on itself (as
        on the diagonal of an FCM matrix). A link to an element the file does not have
        is reported and left out.
        """
        if not self.has(source) or not self.has(target):
            self.report.lose(said("import.link_to_missing"))
            return None
        s, t = self.ids[str(source)], self.ids[str(target)]
        if weight is not None and weight <= 0:
            weight = None
        base = link_id = link_id_for(s, t)
        n = self._numbered.get(base, 1)
        if n > 1:
            link_id = f"{base}-{n}"
        while link_id in self.m:
            n += 1
            link_id = f"{base}-{n}"
        self._numbered[base] = n
        self.m.add_link(
            link_id,
            LinkKind.INFLUENCES,
            s,
            t,
            sign=sign,
            weight=weight,
            note=(note or "").strip() or None,
        )
        return link_id

    def named_loop(self, name: str, links: Sequence[str]) -> None:
        """Keep a loop the file names as the map's next step (``stappen``), which
        highlights its links, so that the page shows the loops one by one and an
        export to Kumu names them again."""
        number = len(self.m.records["steps"]) + 1
        name = " ".join(str(name).split()) or f"Lus {number}"
        self.m.add_record("steps", number=number, name=name, highlight=tuple(links))
        self.report.named_loops.append(NamedLoop(name, tuple(links)))

    def fields_of(self, item: Mapping[str, Any], kind: str) -> dict[str, Any]:
        """The level and role (or an actor's kind and sector) a file's item holds under
        any of the names of :data:`FIELD_NAMES`, keys in lower case."""
        lower = {str(k).strip().lower(): v for k, v in item.items()}
        out: dict[str, Any] = {}
        for name in ELEMENT_FIELDS.get(kind, ()):
            for spelling in FIELD_NAMES[name]:
                if lower.get(spelling) not in (None, ""):
                    out[name] = lower[spelling]
                    break
        return out


def _position(x: Any, y: Any) -> tuple[float, float] | None:
    try:
        if x is None or y is None or x == "" or y == "":
            return None
        px, py = float(x), float(y)
    except (TypeError, ValueError):
        return None
    if px != px or py != py:  # NaN
        return None
    return px, py


#: How the formats write polarity, by the sign it means. Kumu's connection types say
#: how the target moves when the source goes up or down: ``++`` and ``--`` move the
#: same way (+), ``+-`` and ``-+`` the opposite way (-).
SIGN_WORDS = {
    "+": (
        "+",
        "++",
        "--",
        "same",
        "s",
        "positive",
        "pos",
        "+ve",
        "positive influence",
        "increases",
        "versterkt",
    ),
    "-": (
        "-",
        "+-",
        "-+",
        "opposite",
        "o",
        "negative",
        "neg",
        "-ve",
        "negative influence",
        "decreases",
        "dempt",
    ),
}
_SIGN_BY_WORD = {word: sign for sign, words in SIGN_WORDS.items() for word in words}


def sign_of(text: Any, report: Report, where: Text) -> str | None:
    """The sign a polarity word means; an empty value is an unknown sign, and a word
    that is no polarity is reported (``where`` says whose) and read as unknown.

    >>> r = Report("kumu", "x.json")
    >>> where = said("import.where.connection_type")
    >>> [sign_of(t, r, where) for t in ("++", "-+", "Same", "", "likes")]
    ['+', '-', '+', None, None]
    >>> r.lines()
    ['connection type "likes" is no polarity: sign left unknown']
    """
    word = " ".join(str(text or "").split()).lower()
    if not word:
        return None
    if word in _SIGN_BY_WORD:
        return _SIGN_BY_WORD[word]
    report.lose(said("import.no_polarity", where=where, value=str(text)))
    return None


# --- exporting -------------------------------------------------------------------------


@dataclass
class Exportable:
    """The part of a map an outside format holds: nodes, influence links, positions,
    and the named loops over those links."""

    nodes: list[Node]
    links: list[Link]
    positions: dict[str, tuple[float, float]]
    loops: list[NamedLoop] = field(default_factory=list)


#: The fields of a node and of a link that count as empty when they hold this value:
#: a link's status is ``hypothese`` until a group reviews it, and what entered in round
#: 1 was on the map from the start, as an import's elements are.
DEFAULT_VALUES: dict[str, Any] = {"status": Status.HYPOTHESIS.value, "round_in": 1}


def exportable(
    m: SystemMap,
    report: Report,
    *,
    as_of_round: int | None = None,
    kinds_kept: bool = False,
    node_fields: Sequence[str] = ("note",),
    link_fields: Sequence[str] = ("sign", "weight", "note"),
    loops_kept: bool = False,
) -> Exportable:
    """The map as of round ``as_of_round`` (by default the current map: what the
    latest round has on it, :func:`graph.cycle.map_as_of`), as far as a format holds it.

    That is every factor and actor, and any node an influence link joins; the
    influence links; the positions; and, when the format has named loops
    (``loops_kept``), the steps of the map that are named loops (:func:`loop_steps`).
    Everything else is counted in ``report``: other nodes, links and records, and the
    values of every field the format does not write (``node_fields`` and
    ``link_fields`` are those it does). ``kinds_kept`` says whether the format writes
    each node's kind, so that an actor comes back as an actor; when it does not, actors
    and factors both become plain elements.
    """
    current = map_as_of(m, as_of_round)
    links = list(current.links(LinkKind.INFLUENCES))
    ends = {lk.source for lk in links} | {lk.target for lk in links}
    nodes = [n for n in current.nodes() if n.kind in ("Factor", "Actor") or n.id in ends]
    kept = {n.id for n in nodes}
    for kind, count in Counter(n.kind for n in current.nodes() if n.id not in kept).items():
        label = schema.NODE_TABLES[schema.TABLE_BY_KIND[kind]].sheet
        report.lose(said("export.kind_not_written", n=count, sheet=label))
    if not kinds_kept:
        actors = sum(1 for n in nodes if n.kind == "Actor")
        if actors:
            report.lose(said("export.actors_plain", n=actors))
    for kind, count in Counter(
        lk.kind for lk in current.links() if lk.kind != LinkKind.INFLUENCES
    ).items():
        value = schema.LINK_KINDS[kind].value
        report.lose(said("export.links_not_written", n=count, kind=value))
    loops = loop_steps(current) if loops_kept else []
    for table, rows in current.records.items():
        left = len(rows) - (len(loops) if table == "steps" else 0)
        if left and table not in ("positions", "rounds"):
            report.lose(
                said("export.rows_not_written", n=left, sheet=schema.RECORD_TABLES[table].sheet)
            )
    node_kept = set(node_fields) if kinds_kept else set(node_fields) - {"actor_kind", "sector"}
    for what, count in _fields_lost(nodes, links, node_kept, set(link_fields)).items():
        report.lose(said("export.values_not_written", n=count, column=what))
    positions = {k: v for k, v in current.positions().items() if k in kept}
    return Exportable(nodes, links, positions, loops)


def loop_steps(m: SystemMap) -> list[NamedLoop]:
    """The steps of ``m`` that are named loops: those that highlight influence links of
    the map and nothing else, and whose links close at least one loop (a named loop
    may hold side links too, as Kumu's do).

    >>> m = SystemMap("demo")
    >>> for n in ("a", "b"):
    ...     m.add_node("Factor", n, n.upper())
    >>> m.add_link("ab", "INFLUENCES", "a", "b", sign="+")
    >>> m.add_link("ba", "INFLUENCES", "b", "a", sign="-")
    >>> m.add_record("steps", number=1, name="Heen en terug", highlight=("ab", "ba"))
    >>> m.add_record("steps", number=2, name="Alleen heen", highlight=("ab",))
    >>> loop_steps(m)
    [NamedLoop(name='Heen en terug', links=('ab', 'ba'))]
    """
    import networkx as nx

    influences = {lk.id: lk for lk in m.links(LinkKind.INFLUENCES)}
    out = []
    for step in sorted(m.records["steps"], key=lambda r: r["number"]):
        links = tuple(step.get("highlight") or ())
        if not links or any(i not in influences for i in links) or step.get("focus"):
            continue
        g: nx.MultiDiGraph = nx.MultiDiGraph()
        g.add_edges_from((influences[i].source, influences[i].target) for i in links)
        if not nx.is_directed_acyclic_graph(g):
            out.append(NamedLoop(step["name"], links))
    return out


def _fields_lost(
    nodes: list[Node], links: list[Link], node_kept: set[str], link_kept: set[str]
) -> Counter[str]:
    """The values of the fields of nodes and links a format does not write, counted
    by the header they have in the workbook."""
    lost: Counter[str] = Counter()
    for n in nodes:
        table = schema.NODE_TABLES[schema.TABLE_BY_KIND[n.kind]]
        for name, value in n.fields.items():
            if name not in node_kept and DEFAULT_VALUES.get(name) != value:
                lost[f"{table.sheet}.{table.field(name).header}"] += 1
    for lk in links:
        for name, value in lk.fields.items():
            if name not in link_kept and DEFAULT_VALUES.get(name) != value:
                lost[f"relaties.{schema.LINK_TABLE.field(name).header}"] += 1
    return lost


def scaled_weights(part: Exportable, report: Report, largest: float = 1.0) -> float:
    """The factor by which a format whose weights run up to ``largest`` (MentalModeler:
    -1..1) divides the weights of ``part``: 1 when they fit, else the largest weight
    over ``largest``, which ``report`` then names.

    >>> from graph.model import Link
    >>> r = Report("mentalmodeler", "x.mmp")
    >>> part = Exportable([], [Link("l", "INFLUENCES", "a", "b", {"weight": 4.0})], {})
    >>> scaled_weights(part, r), r.lines()
    (4.0, ["weights divided by 4 to fit mentalmodeler's range -1..1 (the largest was 4)"])
    """
    weights = [float(lk.get("weight")) for lk in part.links if lk.get("weight") is not None]
    top = max(weights, default=0.0)
    if top <= largest:
        return 1.0
    scale = top / largest
    report.lose(
        said(
            "export.weights_scaled",
            scale=f"{scale:g}",
            format=report.format,
            largest=f"{largest:g}",
            top=f"{top:g}",
        )
    )
    return scale


def sign_number(sign: str | None, weight: float | None) -> float:
    """A signed strength for formats that write the sign in a number: ``-0.5`` for
    ``-`` with weight 0.5; a missing weight counts as 1, an unknown sign as 0."""
    if sign is None:
        return 0.0
    w = 1.0 if weight is None else float(weight)
    return w if sign == "+" else -w


# --- any format ------------------------------------------------------------------------

Reader = Callable[[Path], tuple[SystemMap, Report]]


def _module(fmt: str) -> Any:
    if fmt == "kumu":
        from loaders import kumu

        return kumu
    if fmt == "prsm":
        from loaders import prsm

        return prsm
    if fmt == "mentalmodeler":
        from loaders import mentalmodeler

        return mentalmodeler
    if fmt in ("graphml", "gexf"):
        from loaders import graphml

        return graphml
    raise ValueError(f"unknown format {fmt!r}; the formats are: {', '.join(FORMATS)}")


def guess_format(path: str | Path) -> str:
    """The format of a file, from its name and, where the name is not enough, its start.

    Raises :class:`~graph.errors.UnknownFormat` (a :class:`WorkbookInvalid` of one line)
    when it cannot tell.
    """
    p = Path(path)
    suffix = p.suffix.lower()
    by_suffix = {
        ".prsm": "prsm",
        ".mmp": "mentalmodeler",
        ".graphml": "graphml",
        ".gexf": "gexf",
        ".json": "kumu",
    }
    if suffix in by_suffix:
        return by_suffix[suffix]
    if suffix == ".csv":
        return "mentalmodeler"
    if suffix == ".xlsx" and p.exists():
        from loaders.bounded import sheet_names

        sheets = {s.strip().lower() for s in sheet_names(p)}
        if {"elements", "connections"} & sheets:
            return "kumu"
        if {"factors", "links"} & sheets:
            return "prsm"
    raise UnknownFormat(str(p), FORMATS)


def read_map(path: str | Path, fmt: str | None = None) -> tuple[SystemMap, Report]:
    """Read a map made elsewhere: ``fmt`` is one of :data:`FORMATS`, or guessed.

    Raises :class:`WorkbookInvalid` (one line per problem, ``FILE:ROW:COLUMN``) for a
    file that cannot be read.
    """
    p = Path(path)
    if not p.exists():
        raise WorkbookInvalid([LoadError(str(p), None, None, said("import.no_file"))])
    fmt = fmt or guess_format(p)
    module = _module(fmt)
    try:
        if fmt == "gexf":
            return module.read_gexf(p)
        return module.read(p)
    except WorkbookInvalid:
        raise
    except (ValueError, KeyError, TypeError, AttributeError, OSError) as e:
        problem = said("import.not_a_file", format=fmt, error=str(e))
        raise WorkbookInvalid([LoadError(str(p), None, None, problem)]) from e


def write_map(
    m: SystemMap,
    path: str | Path,
    fmt: str | None = None,
    *,
    as_of_round: int | None = None,
) -> Report:
    """Write ``m`` for another tool; ``fmt`` is one of :data:`FORMATS`, or guessed from
    the file name. Returns what could not be written.

    What is written is the current map (what the latest round has on it), or with
    ``as_of_round`` the map as it stood in that round (:func:`graph.cycle.map_as_of`;
    an unknown round raises :class:`graph.errors.UnknownRound`). The map's steps
    that are named loops (:func:`loop_steps`) go out as Kumu's loops.
    """
    p = Path(path)
    fmt = fmt or guess_format(p)
    module = _module(fmt)
    check_round(rounds(m), as_of_round)  # refused before anything is written
    if fmt in ("graphml", "gexf") or (fmt == "mentalmodeler" and p.suffix.lower() != ".csv"):
        check_xml_text(m, str(p))  # named, where XML would break or the file be unreadable
    write = module.write_gexf if fmt == "gexf" else module.write
    # written beside the target first: a write that fails leaves the target as it was,
    # and only a file of the format takes its place (never a person's own file)
    with replacing(
        p,
        Output(
            said("write.what.format_file", format=fmt), False, lambda old: _format_file(old, fmt)
        ),
    ) as copy:
        report: Report = write(m, copy, as_of_round=as_of_round)
    report.path = str(p)
    return report


def _format_file(path: Path, fmt: str) -> bool:
    """Whether the file at ``path`` is a file of ``fmt`` (an earlier export, or a file of
    that tool), told by how it starts: what an export may take the place of."""
    if path.suffix.lower() == ".xlsx":
        sheets = {"kumu": {"elements", "connections"}, "prsm": {"factors", "links"}}
        return bool(sheets.get(fmt, set()) & set(xlsx_sheets(path) or ()))
    start = file_start(path).lstrip(b"\xef\xbb\xbf \t\r\n")
    if fmt == "kumu":
        return start.startswith(b"{")
    if fmt in ("graphml", "gexf"):
        return start.startswith(b"<") and b"<" + fmt.encode() in start
    if fmt == "mentalmodeler" and path.suffix.lower() == ".csv":
        return start.startswith((b",", b'"",'))  # the matrix: an empty first cell
    if fmt == "mentalmodeler":
        return start.startswith(b"<") and b"<mentalmodeler" in start
    try:  # a compressed PRSM map: read it
        read_map(path, fmt)
    except (WorkbookInvalid, ValueError, OSError):
        return False
    return True


def save_workbook(m: SystemMap, out: str | Path) -> Path:
    """Write ``m`` as a workbook at ``out``, and keep it only if it loads again.

    The workbook is written beside ``out`` first and read back with every check of
    :func:`loaders.load_map` (privacy included). When that fails, nothing at ``out``
    changes and :class:`WorkbookInvalid` names the problems at ``out``'s own paths.
    Like every write (:func:`loaders.write.replacing`), it takes the place of a
    workbook only, never of a person's own file or folder.
    """
    from loaders import load_map, write_workbook
    from loaders.write import replacing, workbook_output

    target = Path(out)
    with replacing(target, workbook_output(target)) as copy:
        load_map(write_workbook(m, copy))
    return target


def labels_unique(names: Iterable[str], report: Report) -> None:
    """Report names used by more than one element, for formats that join by label."""
    for name, n in Counter(names).items():
        if n > 1:
            report.lose(said("export.same_label", n=n, name=name))
