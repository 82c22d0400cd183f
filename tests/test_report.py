"""The terugkoppeling (``versterkt verslag``) as a page: what it says, in which words,
and what it refuses. No browser: the PDF is printed in tests/browser/test_report_print.py.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from graph import SystemMap
from graph.errors import PrintError
from loaders import EXAMPLE_CYCLE, VLEUTEN, load_map, write_template
from loaders.errors import WouldOverwrite
from tests.report_maps import imported_map, plain, what_a_report_says
from versterkt.cli import main
from views.map import STATUS_STYLES
from views.report import (
    ReportError,
    is_report_pdf,
    map_svg,
    render_report,
    write_report,
)

# these tests read the commands' English sentences
pytestmark = pytest.mark.usefixtures("english_output")

ROUND_2 = EXAMPLE_CYCLE / "ronde-2"


def page_text(page: str) -> str:
    """The text a reader sees in the page (tags dropped, entities read)."""
    import html

    body = page.split("<body", 1)[1].split(">", 1)[1]
    return plain(html.unescape(re.sub(r"<[^>]+>", " ", body)))


def section(page: str, name: str) -> str:
    """The text of one section of the report (``said``, ``statements``...)."""
    part = page.split(f'id="vk-{name}"', 1)[1].split(">", 1)[1].split("</section>", 1)[0]
    return page_text("<body>" + part)


@pytest.mark.parametrize(
    ("m", "k"),
    [(load_map(ROUND_2), 2), (load_map(ROUND_2), 1), (imported_map(), 2), (imported_map(), 1)],
    ids=["example-round-2", "example-round-1", "kumu-round-2", "kumu-round-1"],
)
def test_the_report_holds_what_the_other_pages_say(m: SystemMap, k: int) -> None:
    text = page_text(render_report(m, k))
    for what, expected in what_a_report_says(m, k).items():
        for item in expected:
            assert plain(item) in text, f"{what}: {item}"


def test_a_round_without_reviews_statements_or_sociale_kaart_says_so() -> None:
    example = render_report(load_map(ROUND_2), 2)
    assert "Er zijn nog geen stellingen." in section(example, "statements")
    said = section(example, "said")
    assert "Er staan nog geen citaten op de kaart." in said
    assert "In ronde 2 is nog geen verband getoetst: er zijn nog geen reacties." in said
    kumu = render_report(imported_map(), 2)
    assert section(kumu, "social") == (
        "Sociale kaart Deze kaart heeft nog geen sociale kaart: er staan geen initiatieven "
        "of ontmoetingsplekken op."
    )
    english = render_report(imported_map(), 2, "en")
    assert "This map has no social map yet" in section(english, "social")
    assert "No link has been tested in round 2 yet" in section(english, "said")


def test_the_first_round_says_it_is_the_first_instead_of_listing_the_whole_map() -> None:
    changes = section(render_report(load_map(VLEUTEN), 1), "changes")
    assert changes == (
        "Wat er op de kaart staat Ronde 1 is de eerste ronde: alles op de kaart is nieuw."
    )


def test_groups_are_quoted_by_group_and_reviews_by_group_with_their_notes() -> None:
    said = section(render_report(imported_map(), 1), "said")
    assert "«Een cijfer zegt niet alles over een kind.» ouder, Eerste sessie" in said
    assert "«De toetsweek voelt als een snelkookpan.» jongere, Eerste sessie" in said
    # each group's verdicts under the group, each link as the review form puts it
    reviews = said.split("Reacties op de kaart in ronde 1", 1)[1].strip()
    assert reviews == (
        "jongere eens : Cijfers vergroten zelfvertrouwen Herkenbaar in de toetsweek. "
        "ouder oneens : Cijfers verkleinen druk van school Bij ons thuis werkt het andersom."
    )
    # in English, each link as the English sentence, not as source → kind → target
    said = section(render_report(imported_map(), 1, "en"), "said")
    reviews = said.split("Reactions to the map in round 1", 1)[1].strip()
    assert reviews == (
        "parent disagree : Cijfers decrease Druk van school Bij ons thuis werkt het andersom. "
        "young person agree : Cijfers increase Zelfvertrouwen Herkenbaar in de toetsweek."
    )


def test_unknown_counts_are_shown_as_unknown_never_as_zero() -> None:
    statements = section(render_report(load_map(VLEUTEN), 1), "statements")
    assert "onbekend" in statements
    assert "Onbekend is iets anders dan nul." in statements
    # the Vleuten counts are all unknown: no bar says a number
    assert not re.search(r"\b(eens|oneens|neutraal) \d", statements)


def test_the_title_page_names_the_programme_round_and_the_sessions_date() -> None:
    title = section(render_report(imported_map(), 2), "title-page")
    assert title.startswith(
        "Terugkoppeling Oefenkaart prestatiedruk Ronde 2: Na de eerste sessie "
        "Eerste sessie, 12 maart 2026"
    )
    made = section(render_report(load_map(ROUND_2), 2, today=dt.date(2026, 5, 1)), "title-page")
    assert "Gemaakt op 1 mei 2026" in made
    english = section(render_report(imported_map(), 2, "en"), "title-page")
    assert english.startswith("Feedback Oefenkaart prestatiedruk Round 2: Na de eerste sessie")
    assert "Eerste sessie, 12 March 2026" in english


def _with_own_text(tmp_path: Path, introduction: str, next_steps: str) -> Path:
    """The example's round 2 with a facilitator's text in the rondes sheet."""
    folder = tmp_path / "werkboek"
    shutil.copytree(ROUND_2, folder)
    m = load_map(folder)
    m.rounds[1]["introduction"] = introduction
    m.rounds[1]["next_steps"] = next_steps
    from loaders import write_workbook

    write_workbook(m, folder)
    return folder


def test_the_facilitators_own_text_is_shown_verbatim_and_escaped(tmp_path: Path) -> None:
    intro = 'Dank voor jullie komst! <script>alert("x")</script> & «meer»\n\nTweede alinea.'
    folder = _with_own_text(tmp_path, intro, "Volgende sessie: <b>13 oktober</b>, 12:30.")
    page = render_report(load_map(folder), 2)
    assert "<script>" not in page and "<b>13" not in page
    assert (
        "<p>Dank voor jullie komst! &lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; «meer»"
        "</p><p>Tweede alinea.</p>"
    ) in page
    assert section(page, "next-steps") == "Vervolg Volgende sessie: <b>13 oktober</b>, 12:30."
    # the facilitator's sections come first and after the agenda
    order = [page.index(f'id="vk-{name}"') for name in ("introduction", "agenda", "next-steps")]
    assert order == sorted(order)
    # without the columns there are no such sections
    plain_page = render_report(load_map(ROUND_2), 2)
    assert 'id="vk-introduction"' not in plain_page and 'id="vk-next-steps"' not in plain_page


def test_the_workbook_template_has_the_columns_for_the_facilitators_text(tmp_path: Path) -> None:
    out = write_template(tmp_path / "leeg.xlsx")
    headers = [c.value for c in openpyxl.load_workbook(out)["rondes"][1]]
    assert headers[-2:] == ["inleiding", "vervolg"]
    folder = _with_own_text(tmp_path, "Welkom.", "Tot ziens.")
    assert load_map(folder).rounds[1]["introduction"] == "Welkom."


def test_a_links_status_is_told_by_its_line_not_only_by_its_colour() -> None:
    # each status in its own dash pattern; a sign in a mark on the line
    m = load_map(ROUND_2)
    svg = map_svg(m, as_of_round=2)
    lines = re.findall(r'<line [^>]*data-link="([^"]+)"[^>]*/>', svg)
    assert len(lines) == len(set(lines)) > 20
    dashes = {
        status: re.search(
            rf'stroke-dasharray="([^"]+)"[^>]*data-link="{link}"',
            svg,
        )
        for status, link in [
            ("bevestigd", "inv-prestatiedruk-stress"),
            ("betwist", "inv-meten-toetsen-prestatiedruk"),
            ("hypothese", "inv-sociale-media-druk-leeftijdsgenoten"),
        ]
    }
    assert dashes["bevestigd"] is None  # solid
    assert dashes["betwist"] is not None and dashes["hypothese"] is not None
    assert dashes["betwist"][1] != dashes["hypothese"][1]
    assert STATUS_STYLES["betwist"].mark in svg and STATUS_STYLES["bevestigd"].mark in svg
    assert ">+ ✓<" in svg and ">− <" not in svg


def test_the_map_is_drawn_without_elements_that_are_not_of_the_system() -> None:
    svg = map_svg(load_map(VLEUTEN), as_of_round=1)
    assert "Prestatiedruk" in svg
    assert "We moeten minder gaan meten" not in svg  # a statement: in its own section


def test_a_report_is_a_pdf_or_a_page(tmp_path: Path) -> None:
    with pytest.raises(ReportError, match="a report is a .pdf or an .html file"):
        write_report(load_map(), tmp_path / "verslag.docx")
    assert not (tmp_path / "verslag.docx").exists()


def test_a_report_never_takes_the_place_of_a_persons_own_file(tmp_path: Path) -> None:
    own = tmp_path / "verslag.html"
    own.write_text("<p>mijn eigen aantekeningen</p>", encoding="utf-8")
    with pytest.raises(WouldOverwrite):
        write_report(load_map(), own)
    assert own.read_text(encoding="utf-8") == "<p>mijn eigen aantekeningen</p>"
    page = tmp_path / "verslag-ronde-1.html"
    write_report(load_map(), page)
    write_report(load_map(), page, lang="en")  # a report written before: replaced
    assert "Feedback" in page.read_text(encoding="utf-8")


def test_without_chromium_the_pdf_is_refused_in_one_line_and_nothing_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VERSTERKT_CHROMIUM", str(tmp_path / "geen-chromium"))
    out = tmp_path / "verslag.pdf"
    with pytest.raises(PrintError, match="no Chromium at .*geen-chromium"):
        write_report(load_map(), out)
    assert list(tmp_path.iterdir()) == []
    result = CliRunner().invoke(main, ["verslag", "--out", str(out)])
    assert result.exit_code == 1
    assert result.output.startswith("Error: no Chromium at ")
    assert len(result.output.splitlines()) == 1


def test_only_a_report_printed_before_is_recognised_as_one(tmp_path: Path) -> None:
    def pdf(info: bytes) -> Path:
        path = tmp_path / "x.pdf"
        path.write_bytes(b"%PDF-1.4\n1 0 obj\n<<" + info + b">>\nendobj\n")
        return path

    ours = b"/Title (Terugkoppeling ronde 1: Kaart)\n/Producer (Skia/PDF m156)"
    assert is_report_pdf(pdf(ours))
    title = "Terugkoppeling ronde 1: één".encode("utf-16-be").hex().upper().encode()
    assert is_report_pdf(pdf(b"/Title <FEFF" + title + b">\n/Producer (Skia/PDF m156)"))
    assert not is_report_pdf(pdf(b"/Title (Jaarverslag)\n/Producer (Skia/PDF m156)"))
    assert not is_report_pdf(pdf(b"/Title (Terugkoppeling)\n/Producer (LibreOffice)"))


def test_the_command_writes_the_page_and_names_bad_options_in_one_line(tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "verslag-ronde-2.html"
    args = ["verslag", str(ROUND_2), "--round", "2", "--out", str(out), "--lang", "nl"]
    result = runner.invoke(main, args)
    assert result.exit_code == 0, result.output
    assert result.output == f"Geschreven: {out}.\n"
    assert "Terugkoppeling ronde 2" in out.read_text(encoding="utf-8")
    bad = runner.invoke(main, ["verslag", "--out", str(tmp_path / "verslag.txt")])
    assert bad.exit_code == 2
    assert "verslag.txt is not a .pdf or .html file" in bad.output
    unknown = runner.invoke(main, ["verslag", "--round", "3", "--out", str(out)])
    assert unknown.exit_code == 2
    assert unknown.output.startswith("Error: unknown round 3 (rounds: 1)")


def test_the_agenda_names_the_sessions_still_to_come_as_the_kick_offs_report_did() -> None:
    agenda = section(render_report(load_map(VLEUTEN), 1), "agenda")
    assert agenda.endswith(
        "Volgende sessies Sessie Sociale kaart: 13 oktober 2022, 12:30-13:30 "
        "Oudersessie: datum nog niet bekend Jongerensessie: datum nog niet bekend"
    )
    # a session something was recorded in has been held: the kumu map's only one
    assert section(render_report(imported_map(), 2), "agenda").endswith(
        "Volgende sessies Er staan nog geen volgende sessies op de kaart."
    )


def test_a_facilitators_text_with_an_e_mail_address_is_refused_when_read(tmp_path: Path) -> None:
    from loaders import WorkbookInvalid

    folder = _with_own_text(tmp_path, "Vragen? Mail naar iemand@voorbeeld.nl", "")
    with pytest.raises(WorkbookInvalid) as refused:
        load_map(folder)
    assert [(Path(e.path).name, e.row, e.column) for e in refused.value.errors] == [
        ("rondes.csv", 3, "inleiding")
    ]


def test_a_map_without_rounds_recorded_is_reported_as_its_first_round() -> None:
    m = imported_map()
    m.records["rounds"].clear()
    m.records["adjustments"].clear()
    m.records["reviews"].clear()
    title = section(render_report(m, today=dt.date(2026, 5, 1)), "title-page")
    assert title.startswith("Terugkoppeling Oefenkaart prestatiedruk Ronde 1 Gemaakt op 1 mei 2026")


def test_an_empty_map_gives_a_report_of_sentences_not_of_empty_sections() -> None:
    page = render_report(SystemMap("leeg"), today=dt.date(2026, 5, 1))
    assert section(page, "map") == "De kaart in ronde 1 Er staat nog niets op de kaart."
    assert section(page, "statements") == "Stellingen Er zijn nog geen stellingen."
    assert section(page, "agenda").endswith(
        "Alle verbanden zijn getoetst of bijgesteld. "
        "Volgende sessies Er staan nog geen volgende sessies op de kaart."
    )
    assert "<svg" not in page


def test_the_report_says_where_the_groups_agree_with_the_consensus_worked_by_hand() -> None:
    m = SystemMap("demo")
    m.add_record("rounds", number=1, name="Eerste ronde")
    m.add_record("rounds", number=2, name="Tweede ronde")
    for f, name in (("a", "Toetsweek"), ("b", "Slaap"), ("c", "Stress")):
        m.add_node("Factor", f, name, level="persoon", role="bron")
    m.add_node("Source", "s", "Verslag", source_kind="verslag")
    m.add_link("ab", "INFLUENCES", "a", "b", sign="-", sources=("s",))
    m.add_link("bc", "INFLUENCES", "b", "c", sign="-", sources=("s",))
    for i, (link, group, verdict) in enumerate(
        [
            ("ab", "ouder", "eens"),
            ("ab", "ouder", "eens"),
            ("ab", "jongere", "oneens"),
            ("bc", "ouder", "eens"),
            ("bc", "jongere", "eens"),
        ]
    ):
        m.add_record("reviews", id=f"r{i}", link=link, round=1, group=group, verdict=verdict)
    # by hand: bc: (1+1)/(1+2) * (1+1)/(1+2) = 4/9 = 0,44; ab: 3/4 * 1/3 = 1/4 = 0,25,
    # and ab divides the groups (the parents lean eens, the young people oneens)
    text = section(render_report(m, 1), "agreement")
    assert text.startswith("Waar de groepen het over eens zijn Eensgezindheid:")
    rows = text.split("Verband of stelling Groepen Eensgezindheid ", 1)[1]
    assert rows == (
        "Slaap verkleint stress jongere, ouder 0,44 "
        "Toetsweek verkleint slaap (verdeelt de groepen) jongere, ouder 0,25"
    )
    english = section(render_report(m, 1, "en"), "agreement")
    assert "(divides the groups) young person, parent 0.25" in english
    # nobody voted: a sentence, not an empty table
    m.reviews.clear()
    assert "Er is nog niet gestemd of getoetst" in section(render_report(m, 1), "agreement")
