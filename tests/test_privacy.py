"""The privacy guard catches e-mail addresses and phone numbers as people really write
them, in every sheet and in review forms, and lets dates, times and ISBNs through."""

from __future__ import annotations

import datetime as dt
import shutil
import time
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from loaders import VLEUTEN, WorkbookInvalid, load_map, validate
from loaders.privacy import EMAIL_PROBLEM, PHONE_PROBLEM, privacy_problem
from loaders.review_form import FORM_SHEET, read_review_form, write_review_form

PHONES = [
    "(030) 1234567",
    "(06) 12345678",
    "06.12.34.56.78",
    "06 - 12345678",
    "06\u201312345678",  # en dash
    "06\u201412345678",  # em dash
    "06\u221212345678",  # minus sign
    "06\u00a012345678",  # no-break space
    "06/12345678",
    "030/123 45 67",
    "06 12 34 56 78",
    "0612345678",
    "+31 6 1234 5678",
    "+31 (0)6 12345678",
    "0031 6 12345678",
    "06_12_34_56_78",
    "06_12345678",
    "\uff10\uff16-12345678",  # full-width digits
    "06-12\u200b345678",  # zero-width space
]

EMAILS = [
    "naam@domein.nl",
    "naam [at] domein [dot] nl",
    "naam(at)domein.nl",
    "naam (at) domein (punt) nl",
    "naam @ domein.nl",
    "naam\uff20domein.nl",  # full-width @
    "naam\u200b@domein.nl",  # zero-width space
    "na\u200bam@dom\u200bein.nl",
    "jan&#64;x.nl",
    "jan&#x40;x.nl",
    "jan&commat;x.nl",
    "jan%40x.nl",
    "soewenasmith@\njeugd.buurtteamsutrecht.nl",
    "NAAM{AT}DOMEIN{DOT}NL",
    "naam at gmail.com",
    "naam at example dot nl",
    "naam AT example DOT nl",
    "naam at example punt nl",
    "naam(a)gmail.com",
    "naam (a) gmail.com",
    "naam@example dot nl",
]

NOT_PRIVATE = [
    "2022-10-13 12:30",
    "2022-10-13",
    "13-10-2022 08.30",
    "01-10-2022 08.30-09.30",
    "01/10/2022 08:30:00",
    "2022-10-13T12:30",
    "01-10-2022 - 02-10-2022",
    "13 oktober, 12:30-13:30",
    "12.30-13.30 uur",
    "ISBN 978-90-5460-028-6",
    "978-90-5460-028-6",
    "ISBN 0-306-40615-2",
    "ISBN-10: 0-306-40615-2",
    "NL91ABNA0417164300",
    "@vleuten op social media",
    "3451 AB Vleuten",
    "1.000 stemmen",
    "prijs @ 3.50 euro",
    "kijk op www.vleutenversterkt.nl",
    "we kijken naar school at home",
    "We leren at home. Daarna gaan we naar school.",
    "Jongeren at risk: zie punt 3.",
    "Op dit punt zijn we het eens.",
    "Punt (a) en punt (b) van de agenda.",
    "optie (a) of (b)",
    "afspraak at 10.30 uur",
    "foto_2022_10_13.jpg",
    "we zijn er om 12.30 uur",
]


@pytest.mark.parametrize("text", PHONES)
def test_phone_spellings_are_refused(text: str) -> None:
    assert privacy_problem(f"bel {text} voor meer") == PHONE_PROBLEM


@pytest.mark.parametrize("text", EMAILS)
def test_email_spellings_are_refused(text: str) -> None:
    assert privacy_problem(f"mail {text} gerust") == EMAIL_PROBLEM


@pytest.mark.parametrize("text", NOT_PRIVATE)
def test_dates_times_isbns_and_other_numbers_pass(text: str) -> None:
    assert privacy_problem(text) is None


@pytest.mark.parametrize(
    "text",
    [
        "a" * 200_000,
        "a@" * 100_000,
        "0 " * 100_000,
        "1-" * 100_000,
        "[ " * 100_000,
        ("a" * 40 + "@") * 5_000,
        "x@" + "a." * 100_000,
        "&#" * 100_000,
        "a at " * 50_000,
        "a(a)" * 50_000,
        "a at b dot " * 20_000,
    ],
    ids=[
        "letters",
        "ats",
        "digits",
        "dashes",
        "brackets",
        "local",
        "labels",
        "entities",
        "worded",
        "bracketed-a",
        "worded-dots",
    ],
)
def test_long_hostile_cells_take_linear_time(text: str) -> None:
    started = time.perf_counter()
    privacy_problem(text)
    assert time.perf_counter() - started < 1.0


# --- generated spellings -----------------------------------------------------------

_LABEL = st.text("abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=10)
_LOCAL = st.builds(
    lambda a, b: a + b,
    _LABEL,
    st.text("abcdefghijklmnopqrstuvwxyz0123456789._-", max_size=8),
)
_AT = st.sampled_from(
    [
        "@",
        " @ ",
        "[at]",
        " [at] ",
        "(at)",
        " (at) ",
        "{at}",
        "\uff20",
        "&#64;",
        "%40",
        "\u200b@",
        "(a)",
    ]
)
_DOT = st.sampled_from([".", " [dot] ", "[dot]", "(dot)", " (punt) ", "\u200b.", "%2E"])
_SEPARATOR = st.sampled_from(
    [" ", "-", ".", "/", " - ", "\u2013", "\u2014", "\u00a0", "\u202f", "\u2011", "-\u200b", "_"]
)


@st.composite
def emails(draw: st.DrawFn) -> str:
    labels = draw(st.lists(_LABEL, min_size=1, max_size=3))
    tld = draw(st.text("abcdefghijklmnopqrstuvwxyz", min_size=2, max_size=4))
    domain = "".join(label + draw(_DOT) for label in labels) + tld
    return draw(_LOCAL) + draw(_AT) + domain


# How people group the digits of a number (one separator throughout, as they write).
_DUTCH_GROUPS = [(10,), (2, 8), (3, 7), (4, 6), (2, 2, 2, 2, 2), (2, 4, 4), (3, 3, 4), (3, 3, 2, 2)]
_SUBSCRIBER_GROUPS = {
    8: [(8,), (4, 4), (2, 2, 2, 2), (3, 3, 2), (2, 3, 3)],
    7: [(7,), (3, 4), (3, 2, 2)],
}
_INTERNATIONAL_GROUPS = [(9,), (1, 8), (1, 4, 4), (1, 2, 2, 2, 2), (2, 7), (2, 3, 4)]


def _grouped(draw: st.DrawFn, digits: str, groups: list[tuple[int, ...]]) -> str:
    sizes = draw(st.sampled_from([g for g in groups if sum(g) == len(digits)]))
    separator = draw(_SEPARATOR)
    parts, start = [], 0
    for size in sizes:
        parts.append(digits[start : start + size])
        start += size
    return separator.join(parts)


@st.composite
def dutch_phones(draw: st.DrawFn) -> str:
    digits = "0" + draw(st.text("123456789", min_size=1, max_size=1))
    digits += draw(st.text("0123456789", min_size=8, max_size=8))
    if draw(st.booleans()):
        area = draw(st.sampled_from([2, 3]))
        rest = _grouped(draw, digits[area:], _SUBSCRIBER_GROUPS[10 - area])
        return f"({digits[:area]}){draw(st.sampled_from([' ', '', ' - ']))}{rest}"
    return _grouped(draw, digits, _DUTCH_GROUPS)


@st.composite
def international_phones(draw: st.DrawFn) -> str:
    rest = draw(st.text("123456789", min_size=1, max_size=1))
    rest += draw(st.text("0123456789", min_size=8, max_size=8))
    prefix = draw(st.sampled_from(["+31 ", "+31", "0031 ", "+31 (0)", "(+31) "]))
    return prefix + _grouped(draw, rest, _INTERNATIONAL_GROUPS)


_WORDS = st.sampled_from(["bel", "mail", "zie", "of", "dank!", "(ouder)", "tel:", "—", ""])


@st.composite
def worded_emails(draw: st.DrawFn) -> str:
    """An address with "at" and its dots written as words (``naam at example dot nl``)."""
    labels = draw(st.lists(_LABEL, min_size=1, max_size=3))
    tld = draw(st.sampled_from(["nl", "com", "org", "be", "NL", "info"]))
    dot = st.sampled_from([".", " dot ", " punt ", " DOT "])
    domain = "".join(label + draw(dot) for label in labels) + tld
    at = draw(st.sampled_from([" at ", " AT ", "  at  ", " (a) "]))
    return draw(_LOCAL) + at + domain


@given(worded_emails(), _WORDS, _WORDS)
@settings(max_examples=200)
def test_addresses_written_in_words_are_refused(address: str, before: str, after: str) -> None:
    assert privacy_problem(f"{before} {address} {after}") == EMAIL_PROBLEM


_DUTCH = st.sampled_from(
    "we jongeren school thuis home at punt op naar de het een en is zijn kijken leren "
    "samen sport buurt ouders docenten druk stress (a) (b) 3 10.30 uur de nu me".split()
)


@given(st.lists(st.lists(_DUTCH, min_size=1, max_size=8), min_size=1, max_size=4))
@settings(max_examples=300)
def test_ordinary_sentences_pass(sentences: list[list[str]]) -> None:
    # sentences of ordinary words, "at", "punt" and "(a)" among them (no domain ending
    # such as "nl": "we at school punt nl" is an address written out)
    text = " ".join(" ".join(words).capitalize() + "." for words in sentences)
    assert privacy_problem(text) is None, text


@given(emails(), _WORDS, _WORDS)
@settings(max_examples=300)
def test_generated_email_spellings_are_refused(address: str, before: str, after: str) -> None:
    assert privacy_problem(f"{before} {address} {after}") == EMAIL_PROBLEM


@given(st.one_of(dutch_phones(), international_phones()), _WORDS, _WORDS)
@settings(max_examples=300)
def test_generated_phone_spellings_are_refused(number: str, before: str, after: str) -> None:
    assert privacy_problem(f"{before} {number} {after}") == PHONE_PROBLEM


@st.composite
def dates_and_times(draw: st.DrawFn) -> str:
    day = draw(st.dates(dt.date(1900, 1, 1), dt.date(2099, 12, 31)))
    sep = draw(st.sampled_from(["-", "/", "."]))
    d, m, y = f"{day.day:02d}", f"{day.month:02d}", f"{day.year:04d}"
    if draw(st.booleans()):
        d, m = str(day.day), str(day.month)
    date = draw(st.sampled_from([f"{y}{sep}{m}{sep}{d}", f"{d}{sep}{m}{sep}{y}"]))
    hour, minute = draw(st.integers(0, 23)), draw(st.integers(0, 59))
    hour2, minute2 = draw(st.integers(0, 23)), draw(st.integers(0, 59))
    tsep = draw(st.sampled_from([":", "."]))
    time_ = f"{hour:02d}{tsep}{minute:02d}"
    span = f"{time_}-{hour2:02d}{tsep}{minute2:02d}"
    shape = draw(
        st.sampled_from(
            [
                date,
                time_,
                span,
                f"{date} {time_}",
                f"{date} {span}",
                f"{date}T{hour:02d}:{minute:02d}",
                f"{date} {hour:02d}:{minute:02d}:{draw(st.integers(0, 59)):02d}",
                f"{date} van {span} uur",
                f"{date} - {date}",
            ]
        )
    )
    return shape


@given(dates_and_times(), _WORDS)
@settings(max_examples=400)
def test_generated_dates_and_times_pass(text: str, before: str) -> None:
    assert privacy_problem(f"{before} {text}") is None


# --- in a workbook and in a review form ----------------------------------------------


def _quote_with(tmp_path: Path, text: str) -> Path:
    folder = tmp_path / "wijk"
    shutil.copytree(VLEUTEN, folder)
    path = folder / "citaten.csv"
    old = path.read_text("utf-8")
    assert "Moet je altijd gelukkig" in old
    path.write_text(old.replace("Moet je altijd gelukkig", f"{text} Moet je altijd", 1), "utf-8")
    return folder


@pytest.mark.parametrize(
    ("text", "problem"),
    [("(030) 1234567", PHONE_PROBLEM), ("naam [at] domein [dot] nl", EMAIL_PROBLEM)],
)
def test_a_quote_with_contact_details_is_a_positioned_error(
    tmp_path: Path, text: str, problem: str
) -> None:
    folder = _quote_with(tmp_path, text)
    (error,) = validate(folder)
    assert error.path.endswith("citaten.csv")
    assert error.column == "tekst"
    assert error.row is not None and error.row > 1
    assert error.message == problem


def test_a_session_date_is_not_taken_for_a_phone_number(tmp_path: Path) -> None:
    folder = tmp_path / "wijk"
    shutil.copytree(VLEUTEN, folder)
    path = folder / "sessies.csv"
    old = path.read_text("utf-8")
    assert "2022-10-13" in old
    path.write_text(old.replace("2022-10-13", "2022-10-13 12:30", 1), "utf-8")
    errors = validate(folder)
    assert [(e.column, str(e.message)) for e in errors] == [
        (
            "datum",
            '"2022-10-13 12:30" has a time: give only the date here (JJJJ-MM-DD), '
            "and the time under tijd",
        )
    ]


@pytest.mark.parametrize("note", ["bel (06) 12345678", "naam(at)domein.nl", "jan%40x.nl"])
def test_a_review_form_note_with_contact_details_is_refused(tmp_path: Path, note: str) -> None:
    m = load_map(VLEUTEN)
    form = write_review_form(m, 1, tmp_path / "form.xlsx")
    wb = openpyxl.load_workbook(form)
    ws = wb[FORM_SHEET]
    headers = [str(c.value) for c in ws[1]]
    remark = next(h for h in headers if h.startswith("toelichting "))  # one group's remark
    ws.cell(row=2, column=headers.index(remark) + 1, value=note)
    wb.save(form)
    with pytest.raises(WorkbookInvalid) as caught:
        read_review_form(m, form, None)
    assert [(e.row, e.column) for e in caught.value.errors if "remove it" in str(e.message)] == [
        (2, remark)
    ]


@pytest.mark.parametrize("description", ["naam at gmail.com", "bel 06_12_34_56_78"])
def test_an_imported_description_with_contact_details_is_refused(
    tmp_path: Path, description: str, english_output: None
) -> None:
    import json

    from click.testing import CliRunner

    from versterkt.cli import main

    source = tmp_path / "kaart.json"
    source.write_text(
        json.dumps(
            {
                "elements": [
                    {"_id": "e1", "attributes": {"label": "Stress", "description": description}},
                    {"_id": "e2", "attributes": {"label": "Slaap"}},
                ],
                "connections": [{"_id": "c1", "from": "e1", "to": "e2"}],
            }
        ),
        "utf-8",
    )
    out = tmp_path / "kaart.xlsx"
    result = CliRunner().invoke(main, ["import", str(source), "--from", "kumu", "--out", str(out)])
    assert result.exit_code == 1
    assert "remove it (the data concerns young people)" in result.stderr
    assert str(out) in result.stderr and ".versterkt-" not in result.stderr
    assert not out.exists()
