"""Maps from elsewhere: what every outside format shares, and one way to read or write any.

Kumu, PRSM, MentalModeler, GraphML and GEXF each have a module of their own
(:mod:`loaders.kumu`, :mod:`loaders.prsm`, :mod:`loaders.mentalmodeler`,
:mod:`loaders.graphml`) with ``read(path) -> (SystemMap, Report)`` and
``write(m, path) -> Report``. This module holds what they share:

- :class:`MapBuilder`, which turns the elements and links of an outside map into a
  SystemMap of factors and ``INFLUENCES`` links: ids made from the labels, signs as the
  format gave them (unknown when it gave none), positions as saved positions. Level and
  role stay unknown: no format knows them, and none is invented.
- :class:`Report`, which lists what could not be carried, one line per kind of loss,
  so that nothing is dropped silently.
- :func:`exportable`, the part of a SystemMap an outside format can hold, and the
  report of the rest.
- :func:`read_map` and :func:`write_map`, which pick the module by format name or by
  the file, and :func:`save_workbook`, which writes an imported map as a workbook only
  when the workbook loads again (all of it, or nothing).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graph import SystemMap, schema
from graph.model import Link, Node
from loaders.errors import LoadError, WorkbookInvalid
from loaders.write import Output, replacing

#: The formats, by the name ``--from`` and ``--to`` take.
FORMATS = ("kumu", "prsm", "mentalmodeler", "graphml", "gexf")


@dataclass(frozen=True)
class NamedLoop:
    """A loop the source file names (Kumu's loops): its name and its links, as link ids."""

    name: str
    links: tuple[str, ...]


@dataclass
class Report:
    """What an import or export could not carry, and what it noticed on the way.

    ``lost`` counts each kind of loss; :meth:`lines` says them one line each.
    ``named_loops`` holds the loops a source file names (a workbook has no place for
    them: versterkt finds loops from the links).
    """

    format: str
    path: str
    lost: Counter[str] = field(default_factory=Counter)
    named_loops: list[NamedLoop] = field(default_factory=list)

    def lose(self, what: str, count: int = 1) -> None:
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
        return [what if n == 1 else f"{what} ({n} times)" for what, n in self.lost.items()]


def slug(text: str) -> str:
    """An id made from a label: lower case letters, digits and dashes.

    >>> slug("Verwachtingen van Ouders!"), slug("_Stress_")
    ('verwachtingen-van-ouders', 'stress')
    """
    from loaders.validate import slug_hint

    # room for the "-2", "-3"... that make an id unique, within the schema's limit
    return slug_hint(text)[: schema.MAX_ID_LENGTH - 6].strip("._-")


class MapBuilder:
    """Builds the SystemMap of an outside map: factors, signed links, positions.

    Elements are known by the source's own key (its id, or its label); each becomes a
    factor with an id made from its label, made unique with ``-2``, ``-3``... A link's id
    joins its ends' ids (``a--b``, then ``a--b-2`` for a second link alongside), so that
    it does not depend on the order in which a format lists the links.

    >>> b = MapBuilder("demo", "Demo", Report("kumu", "demo.json"))
    >>> b.factor("e1", "Stress", x=10, y=-5)
    'stress'
    >>> b.factor("e2", "Stress")
    'stress-2'
    >>> b.link("e1", "e2", "+")
    'stress--stress-2'
    >>> b.m.positions(), [lk.get("sign") for lk in b.m.links()]
    ({'stress': (10.0, -5.0)}, ['+'])
    """

    def __init__(self, map_id: str, name: str, report: Report, **meta: Any) -> None:
        self.m = SystemMap(slug(map_id) or "kaart", name or map_id, **meta)
        self.report = report
        self.ids: dict[str, str] = {}

    def factor(
        self,
        key: str,
        label: str,
        *,
        note: str | None = None,
        x: Any = None,
        y: Any = None,
        **fields: Any,
    ) -> str:
        """Add the element known as ``key`` as a factor; returns its id."""
        label = " ".join(str(label).split()) or str(key)
        base = slug(label) or slug(str(key)) or "factor"
        node_id, n = base, 1
        while node_id in self.m:
            n += 1
            node_id = f"{base}-{n}"
        self.m.add_node("Factor", node_id, label, note=(note or "").strip() or None, **fields)
        self.ids[str(key)] = node_id
        position = _position(x, y)
        if position is not None:
            self.m.add_record("positions", element=node_id, x=position[0], y=position[1])
        return node_id

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

        A link to an element the file does not have, or from an element to itself, is
        reported and left out (the map has no place for it).
        """
        if not self.has(source) or not self.has(target):
            self.report.lose("link to an element that is not in the file left out")
            return None
        s, t = self.ids[str(source)], self.ids[str(target)]
        if s == t:
            self.report.lose("link from an element to itself left out")
            return None
        if weight is not None and weight <= 0:
            weight = None
        base = link_id = f"{s}--{t}"
        n = 1
        while link_id in self.m:
            n += 1
            link_id = f"{base}-{n}"
        self.m.add_link(
            link_id,
            "INFLUENCES",
            s,
            t,
            sign=sign,
            weight=weight,
            note=(note or "").strip() or None,
        )
        return link_id


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


def sign_of(text: Any, report: Report, where: str) -> str | None:
    """The sign a polarity word means; an empty value is an unknown sign, and a word
    that is no polarity is reported (``where`` says whose) and read as unknown.

    >>> r = Report("kumu", "x.json")
    >>> [sign_of(t, r, "connection type") for t in ("++", "-+", "Same", "", "likes")]
    ['+', '-', '+', None, None]
    >>> r.lines()
    ['connection type "likes" is no polarity: sign left unknown']
    """
    word = " ".join(str(text or "").split()).lower()
    if not word:
        return None
    if word in _SIGN_BY_WORD:
        return _SIGN_BY_WORD[word]
    report.lose(f'{where} "{text}" is no polarity: sign left unknown')
    return None


# --- exporting -------------------------------------------------------------------------


@dataclass
class Exportable:
    """The part of a map an outside format holds: nodes, influence links, positions."""

    nodes: list[Node]
    links: list[Link]
    positions: dict[str, tuple[float, float]]


def exportable(m: SystemMap, report: Report, *, kinds_kept: bool = False) -> Exportable:
    """The nodes that influence links join (and every factor and actor), those links and
    the positions; everything else of the map is counted in ``report``.

    ``kinds_kept`` says whether the format writes each node's kind (as a type field);
    when it does not, actors and factors both become plain elements.
    """
    links = list(m.links("INFLUENCES"))
    ends = {lk.source for lk in links} | {lk.target for lk in links}
    nodes = [n for n in m.nodes() if n.kind in ("Factor", "Actor") or n.id in ends]
    kept = {n.id for n in nodes}
    for kind, count in Counter(n.kind for n in m.nodes() if n.id not in kept).items():
        label = schema.NODE_TABLES[schema.TABLE_BY_KIND[kind]].sheet
        report.lose(f"{count} {label} not written (only factors and actors)")
    if not kinds_kept:
        actors = sum(1 for n in nodes if n.kind == "Actor")
        if actors:
            report.lose(f"{actors} actoren written as plain elements, like the factors")
    for kind, count in Counter(lk.kind for lk in m.links() if lk.kind != "INFLUENCES").items():
        value = schema.LINK_KINDS[kind].value
        report.lose(f'{count} "{value}" links not written (only influence links)')
    for table, rows in m.records.items():
        if rows and table != "positions":
            report.lose(f"{len(rows)} rows of {schema.RECORD_TABLES[table].sheet} not written")
    for what, count in _fields_lost(nodes, links).items():
        report.lose(f"{count} {what} not written")
    positions = {k: v for k, v in m.positions().items() if k in kept}
    return Exportable(nodes, links, positions)


def _fields_lost(nodes: list[Node], links: list[Link]) -> Counter[str]:
    """The fields of nodes and links no outside format holds, counted by header."""
    kept_node = {"note", "level", "role"}
    kept_link = {"sign", "weight", "note"}
    lost: Counter[str] = Counter()
    for n in nodes:
        table = schema.NODE_TABLES[schema.TABLE_BY_KIND[n.kind]]
        for name in n.fields:
            if name not in kept_node:
                lost[f"values of {table.sheet}.{table.field(name).header}"] += 1
    for lk in links:
        for name in lk.fields:
            if name not in kept_link:
                lost[f"values of relaties.{schema.LINK_TABLE.field(name).header}"] += 1
    return lost


def sign_number(sign: str | None, weight: float | None) -> float:
    """A signed strength for formats that write the sign in a number: ``-0.5`` for
    ``-`` with weight 0.5; a missing weight counts as 1, an unknown sign as 0."""
    if sign is None:
        return 0.0
    w = 1.0 if weight is None else float(weight)
    return w if sign == "+" else -w


# --- any format ------------------------------------------------------------------------

Reader = Callable[[Path], tuple[SystemMap, Report]]
Writer = Callable[[SystemMap, Path], Report]


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


def guess_format(path: str | Path, option: str = "--from") -> str:
    """The format of a file, from its name and, where the name is not enough, its start.

    Raises :class:`WorkbookInvalid` with one line when it cannot tell.
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
        import openpyxl

        try:
            wb = openpyxl.load_workbook(p, read_only=True)
            sheets = {s.strip().lower() for s in wb.sheetnames}
            wb.close()
        except Exception as e:  # openpyxl raises many kinds for a damaged file
            raise WorkbookInvalid([LoadError(str(p), None, None, f"cannot read: {e}")]) from e
        if {"elements", "connections"} & sheets:
            return "kumu"
        if {"factors", "links"} & sheets:
            return "prsm"
    raise WorkbookInvalid(
        [
            LoadError(
                str(p),
                None,
                None,
                f"cannot tell the format from the file; give it with {option} "
                f"({', '.join(FORMATS)})",
            )
        ]
    )


def read_map(path: str | Path, fmt: str | None = None) -> tuple[SystemMap, Report]:
    """Read a map made elsewhere: ``fmt`` is one of :data:`FORMATS`, or guessed.

    Raises :class:`WorkbookInvalid` (one line per problem, ``FILE:ROW:COLUMN``) for a
    file that cannot be read.
    """
    p = Path(path)
    if not p.exists():
        raise WorkbookInvalid([LoadError(str(p), None, None, "no such file")])
    fmt = fmt or guess_format(p)
    module = _module(fmt)
    try:
        if fmt == "gexf":
            return module.read_gexf(p)
        return module.read(p)
    except WorkbookInvalid:
        raise
    except (ValueError, KeyError, TypeError, AttributeError, OSError) as e:
        raise WorkbookInvalid([LoadError(str(p), None, None, f"not a {fmt} file: {e}")]) from e


def write_map(m: SystemMap, path: str | Path, fmt: str | None = None) -> Report:
    """Write ``m`` for another tool; ``fmt`` is one of :data:`FORMATS`, or guessed from
    the file name. Returns what could not be written."""
    p = Path(path)
    fmt = fmt or guess_format(p, "--to")
    module = _module(fmt)
    write = module.write_gexf if fmt == "gexf" else module.write
    # written beside the target first: a write that fails leaves the target as it was,
    # and only a file of the format takes its place (never a person's own file)
    with replacing(p, Output(f"a {fmt} file", False, lambda old: _reads_as(old, fmt))) as copy:
        report: Report = write(m, copy)
    report.path = str(p)
    return report


def _reads_as(path: Path, fmt: str) -> bool:
    """Whether the file at ``path`` reads as a map in ``fmt`` (an earlier export)."""
    try:
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
            report.lose(f'{n} elements named "{name}": links to them join the first')
