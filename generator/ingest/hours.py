"""Opening hours as data: a small part of OpenStreetMap's ``opening_hours`` syntax.

A premises' ``opening_hours`` cell that starts with a day code is read as
data, so each language can write it (``Formatter.opening_hours``)::

    Mo-Fr 09:00-16:00
    Mo-Th 08:00-18:00; Fr 08:00-15:00; Sa,Su off
    Mo-Fr 08:00-12:00,13:00-17:00; "Stängt i juli"

Rules are separated by ``;``. A rule is day codes (``Mo Tu We Th Fr Sa Su``,
ranges with ``-``, lists with ``,``) and either time ranges (``HH:MM-HH:MM``,
several with ``,``) or ``off``. Text in double quotes is a note for what the
rules cannot say (holidays, exceptions); it is shown as written, in the
data's language. Any other text in the cell is free text, shown as written,
as the data contract allows.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

DAY_CODES = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")

_STARTS_WITH_DAY = re.compile(r"\s*(?:Mo|Tu|We|Th|Fr|Sa|Su)\b")
_DAY = "(Mo|Tu|We|Th|Fr|Sa|Su)"
_DAY_RANGE = re.compile(rf"{_DAY}(?:\s*-\s*{_DAY})?")
_TIME = r"(\d{1,2}):(\d{2})"
_TIME_RANGE = re.compile(rf"{_TIME}\s*-\s*{_TIME}")
_RULE = re.compile(r"(?P<days>[A-Za-z][A-Za-z,\s-]*?)\s+(?P<times>off|\d.*)")
_NOTE = re.compile(r'"([^"]*)"')


class HoursError(ValueError):
    """A cell written as opening hours data that cannot be read: what is wrong."""


@dataclass(frozen=True)
class Rule:
    days: tuple[tuple[int, int], ...]  # ranges of days, 0 = Monday, both ends included
    times: tuple[tuple[dt.time, dt.time], ...]  # empty: closed

    @property
    def closed(self) -> bool:
        return not self.times


@dataclass(frozen=True)
class Hours:
    rules: tuple[Rule, ...]
    notes: tuple[str, ...] = ()  # the quoted texts, as written


def is_data(text: str) -> bool:
    """Whether a cell is written as opening hours data (it starts with a day code)."""
    return bool(_STARTS_WITH_DAY.match(text))


def parse(text: str) -> Hours | None:
    """The opening hours of a cell written as data; None for free text.
    Raises ``HoursError`` when the cell starts like data but cannot be read."""
    if not is_data(text):
        return None
    rules: list[Rule] = []
    notes: list[str] = []
    for part in (p.strip() for p in text.split(";")):
        if not part:
            continue
        note = _NOTE.fullmatch(part)
        if note:
            notes.append(note.group(1).strip())
            continue
        rules.append(_rule(part))
    if not rules:
        raise HoursError(f"{text!r} has no days and times")
    return Hours(tuple(rules), tuple(notes))


def _rule(part: str) -> Rule:
    match = _RULE.fullmatch(part)
    if not match:
        raise HoursError(
            f"{part!r} is not days and times; write for example 'Mo-Fr 09:00-16:00' "
            "or 'Sa,Su off', rules separated by ';' and notes in double quotes"
        )
    days = tuple(_days(item.strip(), part) for item in match.group("days").split(","))
    times_text = match.group("times").strip()
    if times_text == "off":
        return Rule(days, ())
    times = tuple(_times(item.strip(), part) for item in times_text.split(","))
    for (_start, end), (start, _end) in zip(times, times[1:], strict=False):
        if start < end:
            raise HoursError(f"{part!r}: the times overlap or are out of order")
    return Rule(days, times)


def _days(item: str, part: str) -> tuple[int, int]:
    match = _DAY_RANGE.fullmatch(item)
    if not match:
        raise HoursError(
            f"{part!r}: {item!r} is not a day or a range of days; use "
            f"{', '.join(DAY_CODES)}, e.g. 'Mo-Fr'"
        )
    first = DAY_CODES.index(match.group(1))
    last = DAY_CODES.index(match.group(2)) if match.group(2) else first
    if last < first:
        raise HoursError(f"{part!r}: {item!r} runs backwards; write the days Monday first")
    return first, last


def _times(item: str, part: str) -> tuple[dt.time, dt.time]:
    match = _TIME_RANGE.fullmatch(item)
    if not match:
        raise HoursError(f"{part!r}: {item!r} is not a time range; write it as HH:MM-HH:MM")
    hour1, minute1, hour2, minute2 = (int(g) for g in match.groups())
    start = _time(hour1, minute1, part)
    end = _time(hour2, minute2, part)
    if end <= start:
        raise HoursError(f"{part!r}: {item!r} ends before it starts")
    return start, end


def _time(hour: int, minute: int, part: str) -> dt.time:
    if hour > 23 or minute > 59:
        raise HoursError(f"{part!r}: {hour:02d}:{minute:02d} is not a time of day")
    return dt.time(hour, minute)
