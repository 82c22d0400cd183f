"""The versterkt schema: every table of the workbook, every node and link kind.

This is the one place that maps the workbook's Dutch sheet and column names to the
model's English field names, lists the values a field may take, and says which link
may join which nodes. Validation, the empty workbook template, the Neo4j constraints
and the styling of the views all derive from it.

A workbook holds three sorts of table:

- *node tables*: each row is a node of the map (an actor, a factor, a quote...);
- the *link table* ``relaties``: each row is a link between two nodes;
- *record tables*: rows about the map that are not nodes (rounds, votes, reviews...).

>>> NODE_TABLES["actors"].sheet
'actoren'
>>> LINK_KINDS["INFLUENCES"].value, LINK_KINDS[LinkKind.CAN_ADJUST].targets
('beïnvloedt', ('Factor',))
>>> table_for_sheet("factoren").kind
'Factor'
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from graph.catalogue import LANGS
from graph.errors import Count, Said, said
from graph.vocabulary import AdjustmentKind, LinkKind, Sign, Status, Verdict

FieldType = Literal["text", "int", "float", "date", "choice", "bool", "ref", "refs"]
TableRole = Literal["node", "link", "record", "meta"]

#: Values written for ``bool`` fields, and the spellings read as true or false.
TRUE_WORDS = ("ja", "yes", "true", "waar", "1")
FALSE_WORDS = ("nee", "no", "false", "onwaar", "0")

#: Separator written between the ids of a multi-valued (``refs``) cell. ``;`` and
#: ``,`` are both read.
LIST_SEPARATOR = ", "

SIGNS = tuple(s.value for s in Sign)
LINK_STATUSES = tuple(s.value for s in Status)
GROUPS = ("jongere", "ouder", "professional", "bewoner", "deelnemer")
VERDICTS = tuple(v.value for v in Verdict)
LEVELS = ("samenleving", "organisatie", "omgeving", "persoon")
FACTOR_ROLES = ("bron", "uitkomst", "beschermend")
ACTOR_KINDS = ("groep", "organisatie")
SESSION_KINDS = (
    "kick-off",
    "sociale kaart",
    "oudersessie",
    "jongerensessie",
    "toetsing",
    "overig",
)
#: Ids of every kind (map, nodes, links, reviews, adjustments): lower-case letters,
#: digits, dots, dashes and underscores, starting with a letter or digit, so that an
#: id is never a path, a markup or a query of its own.
ID_PATTERN = re.compile(r"[a-z0-9][a-z0-9._-]*")
MAX_ID_LENGTH = 100


def id_problem(value: str) -> Said | None:
    """Why ``value`` is not a valid id, or ``None``: the one rule for ids of every kind.

    >>> id_problem("ouders") is None, str(id_problem("../../x"))
    (True, '"../../x" is not a valid id: use lower-case letters, digits and dashes')
    """
    if len(value) > MAX_ID_LENGTH:
        return said("load.id_too_long", length=Count(len(value)), most=MAX_ID_LENGTH)
    if not ID_PATTERN.fullmatch(value):
        return said("load.not_an_id", id=value)
    return None


def first_id_problem(values: Iterable[str]) -> tuple[str, Said] | None:
    """The first of ``values`` that is not a valid id, and why (see :func:`id_problem`);
    ``None`` when every one is. Quick on many ids: most only pass one match."""
    fullmatch = ID_PATTERN.fullmatch
    for value in values:
        if len(value) > MAX_ID_LENGTH or not fullmatch(value):
            problem = id_problem(value)
            if problem:
                return value, problem
    return None


SOURCE_KINDS = ("verslag", "onderzoek", "initiatief", "website", "overig")
ADJUSTMENT_KINDS = tuple(k.value for k in AdjustmentKind)


#: Which way a step of a session looks from its focus: both ways, at the causes, or
#: at the effects.
STEP_DIRECTIONS = ("beide", "oorzaken", "gevolgen")
STEP_HELP = "Elementen en relaties om uit te lichten (de rest vervaagt), zoals een lus."
STEP_FILTER_HELP = (
    "Wat de stap toont, als op de kaart: filter=waarde, waarde; bijvoorbeeld "
    "'soort=Factor; status=betwist'."
)


@dataclass(frozen=True)
class Field:
    """One column of a table: its model name, its Dutch header and what it may hold."""

    name: str
    header: str
    type: FieldType = "text"
    required: bool = False
    choices: tuple[str, ...] = ()
    refs: tuple[str, ...] = ()
    help: str = ""

    @property
    def is_list(self) -> bool:
        return self.type == "refs"


@dataclass(frozen=True)
class Table:
    """One sheet of the workbook (or one ``.csv`` file of a workbook folder)."""

    name: str
    sheet: str
    role: TableRole
    kind: str
    label_nl: str
    label_en: str
    help: str
    fields: tuple[Field, ...]
    key: tuple[str, ...] = ("id",)

    @property
    def headers(self) -> tuple[str, ...]:
        return tuple(f.header for f in self.fields)

    def field(self, name: str) -> Field:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(f"{self.name} has no field {name!r}")

    def field_by_header(self, header: str) -> Field | None:
        for f in self.fields:
            if f.header == header:
                return f
        return None


@dataclass(frozen=True)
class LinkKindSpec:
    """What the schema says of a link kind: its English word, which nodes it joins and
    which fields of ``relaties`` it fills. Its name, Dutch value and whether the map
    derives it are the kind's own (:class:`graph.vocabulary.LinkKind`)."""

    kind: LinkKind
    label_en: str
    sources: tuple[str, ...]
    targets: tuple[str, ...]
    fields: tuple[str, ...] = ()
    help: str = ""

    @property
    def name(self) -> LinkKind:
        """The kind, equal to its relationship type (``INFLUENCES``...)."""
        return self.kind

    @property
    def value(self) -> str:
        """The word of the kind in ``relaties.soort`` (``beïnvloedt``...)."""
        return self.kind.word

    @property
    def derived(self) -> bool:
        """Whether the map derives these links itself (ABOUT, SAID_IN)."""
        return self.kind.derived


# --- fields shared by many tables -------------------------------------------------

NODE_KINDS_ALL = (
    "Actor",
    "Factor",
    "Initiative",
    "Place",
    "Statement",
    "Session",
    "Quote",
    "Source",
)


def _id(help: str = "Vaste, unieke sleutel: kleine letters, cijfers en streepjes.") -> Field:
    return Field("id", "id", "text", required=True, help=help)


def _name(header: str = "naam", help: str = "Naam zoals die op de kaart staat.") -> Field:
    return Field("name", header, "text", required=True, help=help)


def _provenance() -> tuple[Field, ...]:
    return (
        Field(
            "round_in",
            "ronde_in",
            "int",
            refs=("rounds",),
            help="Ronde waarin dit op de kaart kwam (leeg: vanaf het begin).",
        ),
        Field(
            "round_out",
            "ronde_uit",
            "int",
            refs=("rounds",),
            help="Ronde waarin dit van de kaart ging (leeg: nog op de kaart).",
        ),
        Field(
            "sources",
            "bronnen",
            "refs",
            refs=("sources",),
            help="Ids van de bronnen (blad bronnen), gescheiden door komma's.",
        ),
        Field("origin", "herkomst", "text", help="Waar dit vandaan komt, liefst letterlijk."),
        Field("note", "toelichting", "text", help="Vrije toelichting."),
    )


# --- the tables --------------------------------------------------------------------

_TABLES: tuple[Table, ...] = (
    Table(
        "map",
        "kaart",
        "meta",
        "Map",
        "Kaart",
        "Map",
        "Eén regel: welke kaart dit is.",
        (
            _id("Korte sleutel van de kaart, bijvoorbeeld 'vleuten'."),
            _name(),
            Field("description", "omschrijving", "text"),
            Field("origin", "herkomst", "text", help="Waar de gegevens vandaan komen."),
            Field(
                "outcome",
                "uitkomst",
                "ref",
                refs=("factors",),
                help="De uitkomst waar de vragen over gaan (een factor); leeg als er één is.",
            ),
            Field(
                "lang",
                "taal",
                "choice",
                False,
                LANGS,
                help="De taal waarin versterkt over deze kaart spreekt, nl of en "
                "(leeg: de taal van de computer).",
            ),
        ),
    ),
    Table(
        "actors",
        "actoren",
        "node",
        "Actor",
        "Actoren",
        "Actors",
        "Groepen en organisaties rond het thema.",
        (
            _id(),
            _name(),
            Field("actor_kind", "soort", "choice", True, ACTOR_KINDS, help="groep of organisatie"),
            Field("sector", "sector", "text", help="Bijvoorbeeld onderwijs, zorg, sport."),
            *_provenance(),
        ),
    ),
    Table(
        "factors",
        "factoren",
        "node",
        "Factor",
        "Factoren",
        "Factors",
        "Wat prestatiedruk aanjaagt of dempt, en uitkomsten zoals stress.",
        (
            _id(),
            _name(),
            Field(
                "level",
                "niveau",
                "choice",
                choices=LEVELS,
                help="Waar de factor speelt; leeg als dat (nog) onbekend is.",
            ),
            Field(
                "role",
                "rol",
                "choice",
                choices=FACTOR_ROLES,
                help="bron, uitkomst of beschermend; leeg als dat (nog) onbekend is.",
            ),
            *_provenance(),
        ),
    ),
    Table(
        "initiatives",
        "initiatieven",
        "node",
        "Initiative",
        "Initiatieven",
        "Initiatives",
        "Bestaande initiatieven en voorzieningen (sociale kaart).",
        (
            _id(),
            _name(),
            Field("description", "omschrijving", "text"),
            *_provenance(),
        ),
    ),
    Table(
        "places",
        "plekken",
        "node",
        "Place",
        "Plekken",
        "Places",
        "Plekken waar mensen elkaar ontmoeten.",
        (
            _id(),
            _name(),
            Field("address", "adres", "text", help="Mag leeg blijven."),
            *_provenance(),
        ),
    ),
    Table(
        "statements",
        "stellingen",
        "node",
        "Statement",
        "Stellingen",
        "Statements",
        "Stellingen die in sessies zijn besproken.",
        (
            _id(),
            _name("tekst", "De stelling zelf."),
            Field("focus", "focus", "bool", help="ja als de stelling gekozen is als focus."),
            *_provenance(),
        ),
    ),
    Table(
        "sessions",
        "sessies",
        "node",
        "Session",
        "Sessies",
        "Sessions",
        "Bijeenkomsten in de cyclus. Deelnemers worden geteld, nooit bij naam genoemd.",
        (
            _id(),
            _name(),
            Field("session_kind", "soort", "choice", True, SESSION_KINDS),
            Field("date", "datum", "date", help="JJJJ-MM-DD; leeg als nog niet bekend."),
            Field("time", "tijd", "text", help="Bijvoorbeeld 12:30-13:30."),
            *_provenance(),
        ),
    ),
    Table(
        "quotes",
        "citaten",
        "node",
        "Quote",
        "Citaten",
        "Quotes",
        "Anonieme uitspraken, toegeschreven aan een groep, nooit aan een persoon.",
        (
            _id(),
            _name("tekst", "De uitspraak, zonder namen."),
            Field("group", "groep", "choice", True, GROUPS, help="Wie het zei, als groep."),
            Field("session", "sessie", "ref", refs=("sessions",)),
            Field(
                "about",
                "over",
                "refs",
                refs=("nodes", "links"),
                help="Ids van knopen of relaties waar de uitspraak over gaat.",
            ),
            *_provenance(),
        ),
    ),
    Table(
        "sources",
        "bronnen",
        "node",
        "Source",
        "Bronnen",
        "Sources",
        "Verslagen, onderzoeken en voorbeeldinitiatieven waar de kaart op steunt.",
        (
            _id(),
            _name(),
            Field("source_kind", "soort", "choice", True, SOURCE_KINDS),
            Field("reference", "verwijzing", "text", help="Titel, link of vindplaats."),
            Field("origin", "herkomst", "text"),
            Field("note", "toelichting", "text"),
        ),
    ),
    Table(
        "links",
        "relaties",
        "link",
        "Link",
        "Relaties",
        "Links",
        "Pijlen tussen knopen: wie of wat beïnvloedt wat, wie werkt samen, enzovoort.",
        (
            _id(),
            Field("source", "van", "ref", True, refs=("nodes",)),
            Field("target", "naar", "ref", True, refs=("nodes",)),
            Field("link_kind", "soort", "choice", True, ()),  # choices: LINK_KINDS, below
            Field(
                "sign",
                "teken",
                "choice",
                choices=SIGNS,
                help="+ versterkt, - dempt; leeg als het teken onbekend is.",
            ),
            Field("weight", "gewicht", "float", help="Sterkte, groter dan 0; leeg: onbekend."),
            Field(
                "weight_low",
                "gewicht_min",
                "float",
                help="Gewicht onbekend: het kleinste dat het kan zijn, van 0 tot 1 (leeg: 0).",
            ),
            Field(
                "weight_high",
                "gewicht_max",
                "float",
                help="Gewicht onbekend: het grootste dat het kan zijn, van 0 tot 1 (leeg: 1).",
            ),
            Field(
                "status",
                "status",
                "choice",
                choices=LINK_STATUSES,
                help="Leeg betekent hypothese.",
            ),
            *_provenance(),
        ),
    ),
    Table(
        "rounds",
        "rondes",
        "record",
        "Round",
        "Rondes",
        "Rounds",
        "Eén ronde is één keer analyseren, toetsen en bijstellen.",
        (
            Field("number", "nummer", "int", required=True),
            _name(),
            Field("session", "sessie", "ref", refs=("sessions",)),
            Field("origin", "herkomst", "text"),
            Field("note", "toelichting", "text"),
            Field(
                "introduction",
                "inleiding",
                "text",
                help="Eigen inleiding van de terugkoppeling van deze ronde (mag leeg).",
            ),
            Field(
                "next_steps",
                "vervolg",
                "text",
                help="Eigen tekst over het vervolg, na de agenda in de terugkoppeling (mag leeg).",
            ),
        ),
        key=("number",),
    ),
    Table(
        "votes",
        "stemmen",
        "record",
        "Vote",
        "Stemmen",
        "Votes",
        "Stemmen per stelling en sessie. Leeg betekent onbekend, niet nul.",
        (
            Field("statement", "stelling", "ref", True, refs=("statements",)),
            Field("session", "sessie", "ref", True, refs=("sessions",)),
            Field("agree", Verdict.AGREE.value, "int"),
            Field("neutral", Verdict.NEUTRAL.value, "int"),
            Field("disagree", Verdict.DISAGREE.value, "int"),
            Field("priority", "prioriteit", "int", help="Aantal prioriteitsstemmen."),
            Field("origin", "herkomst", "text"),
            Field("note", "toelichting", "text"),
        ),
        key=("statement", "session"),
    ),
    Table(
        "attendance",
        "deelname",
        "record",
        "Attendance",
        "Deelname",
        "Attendance",
        "Aantal deelnemers per sessie en groep. Nooit namen.",
        (
            Field("session", "sessie", "ref", True, refs=("sessions",)),
            Field("group", "groep", "choice", True, GROUPS),
            Field("count", "aantal", "int", True),
            Field("origin", "herkomst", "text"),
        ),
        key=("session", "group"),
    ),
    Table(
        "reviews",
        "toetsing",
        "record",
        "Review",
        "Toetsing",
        "Reviews",
        "Het oordeel van één groep over één relatie in één ronde.",
        (
            _id(),
            Field("link", "relatie", "ref", True, refs=("links",)),
            Field("round", "ronde", "int", True, refs=("rounds",)),
            Field("group", "groep", "choice", True, GROUPS),
            Field("verdict", "oordeel", "choice", True, VERDICTS),
            Field("session", "sessie", "ref", refs=("sessions",)),
            Field("note", "toelichting", "text"),
            Field(
                "weight",
                "gewicht",
                "float",
                help="Hoe sterk deze groep de relatie ziet, groter dan 0 (mag leeg), "
                "zoals in de eigen kaart van de groep.",
            ),
        ),
    ),
    Table(
        "adjustments",
        "bijstellingen",
        "record",
        "Adjustment",
        "Bijstellingen",
        "Adjustments",
        "Wat er aan de kaart veranderde, en waarom.",
        (
            _id(),
            Field("round", "ronde", "int", True, refs=("rounds",)),
            Field("adjustment_kind", "soort", "choice", True, ADJUSTMENT_KINDS),
            Field("subject", "betreft", "refs", True, refs=("nodes", "links")),
            Field("reason", "waarom", "text", True),
            Field("prompted_by", "naar_aanleiding_van", "refs", refs=("reviews",)),
        ),
    ),
    Table(
        "positions",
        "posities",
        "record",
        "Position",
        "Posities",
        "Positions",
        "Waar een element op de kaart staat, zoals bewaard met 'Posities opslaan'.",
        (
            Field("element", "element", "ref", True, refs=("nodes",)),
            Field("x", "x", "float", True),
            Field("y", "y", "float", True),
        ),
        key=("element",),
    ),
    Table(
        "steps",
        "stappen",
        "record",
        "Step",
        "Stappen",
        "Steps",
        "De stappen van een sessie: per stap wat de kaart laat zien. "
        "Met de pijltjestoetsen ga je van stap naar stap.",
        (
            Field("number", "nummer", "int", True, help="De volgorde van de stappen."),
            Field("name", "naam", "text", True),
            Field("focus", "focus", "ref", refs=("nodes",), help="Het element in het midden."),
            Field("depth", "afstand", "int", help="Hoeveel stappen rond de focus (1 als leeg)."),
            Field("direction", "richting", "choice", choices=STEP_DIRECTIONS),
            Field("highlight", "uitlichten", "refs", refs=("nodes", "links"), help=STEP_HELP),
            Field("filter", "filter", "text", help=STEP_FILTER_HELP),
        ),
        key=("number",),
    ),
    Table(
        "observations",
        "waarnemingen",
        "record",
        "Observation",
        "Waarnemingen",
        "Observations",
        "Wat mensen hebben gezien: toen «van» steeg, steeg of daalde «naar». De knoppen "
        "houden alleen de versies van de kaart over die dat ook zo laten zien.",
        (
            _id(),
            Field("source", "van", "ref", True, refs=("nodes",), help="De factor die steeg."),
            Field("target", "naar", "ref", True, refs=("nodes",), help="Wat daarop bewoog."),
            Field(
                "sign",
                "teken",
                "choice",
                True,
                SIGNS,
                help="+ als «naar» toen ook steeg, - als «naar» daalde.",
            ),
            Field(
                "sources",
                "bronnen",
                "refs",
                refs=("sources",),
                help="Ids van de bronnen (blad bronnen), gescheiden door komma's.",
            ),
            Field("origin", "herkomst", "text", help="Waar of door wie het is gezien, als groep."),
            Field("note", "toelichting", "text"),
        ),
    ),
)

_LINK_KINDS: tuple[LinkKindSpec, ...] = (
    LinkKindSpec(
        LinkKind.INFLUENCES,
        "influences",
        ("Actor", "Factor"),
        ("Factor", "Actor"),
        ("sign", "weight", "weight_low", "weight_high", "status"),
        help="Van versterkt (+) of dempt (-) naar.",
    ),
    LinkKindSpec(
        LinkKind.CAN_ADJUST,
        "can adjust",
        ("Actor",),
        ("Factor",),
        ("status",),
        help="Een knop: deze actor kan aan deze factor draaien.",
    ),
    LinkKindSpec(
        LinkKind.COOPERATES_WITH,
        "cooperates with",
        ("Actor", "Initiative"),
        ("Actor", "Initiative"),
        ("status",),
    ),
    LinkKindSpec(LinkKind.RUNS, "runs", ("Actor",), ("Initiative",), ("status",)),
    LinkKindSpec(LinkKind.LOCATED_AT, "located at", ("Initiative",), ("Place",), ("status",)),
    LinkKindSpec(LinkKind.ADDRESSES, "addresses", ("Initiative",), ("Factor",), ("status",)),
    LinkKindSpec(LinkKind.ABOUT, "about", ("Quote",), NODE_KINDS_ALL),
    LinkKindSpec(LinkKind.SAID_IN, "said in", ("Quote",), ("Session",)),
)

TABLES: dict[str, Table] = {t.name: t for t in _TABLES}
NODE_TABLES: dict[str, Table] = {t.name: t for t in _TABLES if t.role == "node"}
RECORD_TABLES: dict[str, Table] = {t.name: t for t in _TABLES if t.role == "record"}
LINK_TABLE: Table = TABLES["links"]
#: Every link kind's entry, keyed by the :class:`~graph.vocabulary.LinkKind` (equal to
#: its relationship type, so ``LINK_KINDS["INFLUENCES"]`` finds it too), in its order.
LINK_KINDS: dict[str, LinkKindSpec] = {k.kind: k for k in _LINK_KINDS}
#: Link kinds a facilitator writes in ``relaties.soort``, by their Dutch value.
LINK_KIND_BY_VALUE: dict[str, LinkKindSpec] = {k.value: k for k in _LINK_KINDS if not k.derived}
LINK_KIND_CHOICES: tuple[str, ...] = tuple(LINK_KIND_BY_VALUE)
#: Node table name by node kind ("Actor" -> "actors").
TABLE_BY_KIND: dict[str, str] = {t.kind: t.name for t in NODE_TABLES.values()}
#: Fields of the link table that only some link kinds may fill.
KIND_SPECIFIC_LINK_FIELDS = ("sign", "weight", "weight_low", "weight_high")


def table_for_sheet(sheet: str) -> Table:
    """The table whose sheet (or csv file stem) is ``sheet``."""
    for t in _TABLES:
        if t.sheet == sheet:
            return t
    raise KeyError(f"no table for sheet {sheet!r}")


def choices_for(table: Table, f: Field) -> tuple[str, ...]:
    """The allowed values of a choice field (the link kinds for ``relaties.soort``)."""
    if table.name == "links" and f.name == "link_kind":
        return LINK_KIND_CHOICES
    return f.choices


@dataclass(frozen=True)
class KindStyle:
    """How the views show one node kind."""

    color: str
    shape: str
    label_nl: str
    label_en: str


#: Colours chosen to stay apart on a projector and for common colour blindness
#: (Okabe-Ito palette).
NODE_STYLES: dict[str, KindStyle] = {
    "Actor": KindStyle("#E69F00", "dot", "Actor (groep of organisatie)", "Actor"),
    "Factor": KindStyle("#56B4E9", "box", "Factor", "Factor"),
    "Initiative": KindStyle("#009E73", "diamond", "Initiatief", "Initiative"),
    "Place": KindStyle("#F0E442", "triangle", "Plek", "Place"),
    "Statement": KindStyle("#CC79A7", "ellipse", "Stelling", "Statement"),
    "Session": KindStyle("#999999", "square", "Sessie", "Session"),
    "Quote": KindStyle("#D9D9D9", "text", "Citaat", "Quote"),
    "Source": KindStyle("#BBBBBB", "square", "Bron", "Source"),
}
SIGN_COLORS: dict[str | None, str] = {"+": "#D55E00", "-": "#0072B2", None: "#777777"}
SIGN_LABELS_NL = {"+": "versterkt", "-": "dempt", None: "teken onbekend"}
SIGN_LABELS_EN = {"+": "increases", "-": "decreases", None: "sign unknown"}
