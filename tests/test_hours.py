"""Opening hours as data (generator/ingest/hours.py): read at load, written by each
language with Babel's day names and its own hour cycle. Milliseconds."""

from __future__ import annotations

import datetime as dt

import pytest

from generator.ingest.hours import Hours, HoursError, Rule, is_data, parse
from generator.pages.formatting import Formatter


def test_rules_days_times_closed_days_and_notes_are_read() -> None:
    found = parse('Mo-Th 08:00-18:00; Fr 08:00-12:00,13:00-15:00; Sa,Su off; "Stängt i juli"')
    assert found == Hours(
        (
            Rule(((0, 3),), ((dt.time(8), dt.time(18)),)),
            Rule(((4, 4),), ((dt.time(8), dt.time(12)), (dt.time(13), dt.time(15)))),
            Rule(((5, 5), (6, 6)), ()),
        ),
        ("Stängt i juli",),
    )
    assert found.rules[2].closed and not found.rules[0].closed


def test_free_text_stays_free_text() -> None:
    for text in ("Mån–fre 9–16", "Efter överenskommelse", ""):
        assert not is_data(text) and parse(text) is None


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("Mo-Fr 9-16", "'9-16' is not a time range"),
        ("Fr-Mo 09:00-16:00", "runs backwards"),
        ("Mo 10:00-09:00", "ends before it starts"),
        ("Mo 08:00-12:00,11:00-13:00", "overlap"),
        ("Mo 24:00-25:00", "not a time of day"),
        ("Mo-Fr", "is not days and times"),
        ('Mo-Fr 09:00-16:00; "only a note', "is not days and times"),
        ("Mo-Xy 09:00-16:00", "is not a day or a range of days"),
    ],
)
def test_data_that_cannot_be_read_says_what_is_wrong(text: str, says: str) -> None:
    with pytest.raises(HoursError, match=says):
        parse(text)


@pytest.mark.parametrize(
    ("lang", "written"),
    [
        ("sv", [("måndag–torsdag", "08:00–18:00"), ("lördag och söndag", None)]),
        ("en", [("Monday–Thursday", "8:00\u202fAM\u2009–\u20096:00\u202fPM"),
                ("Saturday and Sunday", None)]),
        ("uk", [("понеділок–четвер", "08:00–18:00"), ("субота і неділя", None)]),
    ],
)
def test_each_language_writes_days_and_times_its_own_way(lang: str, written: list) -> None:
    assert Formatter(lang).opening_hours("Mo-Th 08:00-18:00; Sa,Su off") == written
    assert Formatter(lang).opening_hours("Efter överenskommelse") is None


def test_the_fact_sheet_form_is_short() -> None:
    assert Formatter("sv").opening_hours("Mo-Fr 09:00-16:00", short=True) == [
        ("mån–fre", "09:00–16:00")
    ]


def test_every_character_opening_hours_can_write_is_known_to_the_fonts() -> None:
    """The font subsets are cut before rendering: what the hours can contain must
    be in what they are cut from (fonts.source_characters)."""
    for lang in ("sv", "en", "ar", "fa", "so", "ti", "uk"):
        fmt = Formatter(lang)
        known = set(fmt.opening_hours_characters())
        for spec in ("Mo-Fr 08:30-16:30", "Sa,Su off", "We 12:00-13:00,14:00-19:45"):
            for days, times in fmt.opening_hours(spec) or []:
                assert set(days + (times or "")) - set("0123456789") <= known, lang
