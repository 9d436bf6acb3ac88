"""Numbers, percentages, intervals, dates and language names per language (Babel/CLDR).

One Formatter per site language, so pages, charts and the search index format
figures the same way.
"""

from __future__ import annotations

import datetime as dt
from functools import cached_property, lru_cache

from babel import Locale
from babel.dates import format_date, format_interval, get_day_names
from babel.lists import format_list
from babel.numbers import (
    format_decimal,
    format_percent,
    get_minus_sign_symbol,
    get_plus_sign_symbol,
)
from babel.units import format_unit

from generator.ingest import hours

EN_DASH = "\u2013"
# Right-to-left pages set a year span, a range or a phone number as one
# left-to-right run (Unicode isolates, which work in text, attributes and the
# search index alike), so "2023–2025" never reads "2025–2023" and a phone
# number keeps its order; word joiners keep a span on one line.
LRI, PDI, WORD_JOINER = "\u2066", "\u2069", "\u2060"


# File sizes in decimal units, as CLDR names them: (unit, bytes in one).
SIZE_UNITS = (
    ("digital-byte", 1),
    ("digital-kilobyte", 1000),
    ("digital-megabyte", 1000**2),
    ("digital-gigabyte", 1000**3),
)


def tel_uri(number: str, country: str) -> str | None:
    """A ``tel:`` address for a phone number as people write it ("08-465 004 06"),
    in international form ("tel:+46846500406"), or None where it holds too few
    digits to be one."""
    text = number.strip().replace("(0)", "")  # "+46 (0)8 ...": the 0 is dialled at home only
    digits = "".join(c for c in text if c.isascii() and c.isdigit())
    if text.startswith("+"):
        international = digits
    elif digits.startswith("00"):
        international = digits[2:]
    elif digits.startswith("0"):
        international = country + digits[1:]
    else:
        international = country + digits
    return f"tel:+{international}" if len(digits) >= 5 else None


class Formatter:
    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.locale = Locale.parse(lang)
        # Pages format the same few hundred numbers (0-100, years, counts) tens
        # of thousands of times; CLDR formatting is the costly part of rendering.
        self.number = lru_cache(maxsize=65536)(self.number)  # type: ignore[method-assign]
        self.percent = lru_cache(maxsize=1024)(self.percent)  # type: ignore[method-assign]
        self.interval = lru_cache(maxsize=65536)(self.interval)  # type: ignore[method-assign]
        self.points = lru_cache(maxsize=1024)(self.points)  # type: ignore[method-assign]

    @cached_property
    def direction(self) -> str:
        return self.locale.text_direction

    @cached_property
    def _percent_sign_after(self) -> str:
        # What CLDR puts between a number and its percent sign ("78 %" in
        # Swedish, "78%" in English), so an interval can reuse it: "70–84 %".
        sample = format_percent(0.78, locale=self.locale)
        return sample.replace("78", "", 1)

    def number(self, value: float | int | None) -> str:
        if value is None:
            return ""
        return format_decimal(value, locale=self.locale)

    def percent(self, value: int | None) -> str:
        """A whole percent (0-100) as the language writes it."""
        if value is None:
            return ""
        return format_percent(value / 100, locale=self.locale)

    def points(self, value: int | None) -> str:
        """A signed difference in whole percentage points: '+8', '−3', '0'."""
        if value is None:
            return ""
        if value == 0:
            return self.number(0)
        if value > 0:
            sign = get_plus_sign_symbol(self.locale)
        else:
            sign = get_minus_sign_symbol(self.locale)
        return sign + self.number(abs(value))

    def interval(self, low: int | None, high: int | None) -> str:
        """A percent interval, e.g. '70–84 %'."""
        if low is None or high is None:
            return ""
        if self._percent_sign_after.endswith("%") or self._percent_sign_after.endswith("٪"):
            return self._span(self.number(low), self.percent(high))
        # Languages that put the sign first: write both ends in full.
        return self._span(self.percent(low), self.percent(high))

    def period(self, label: str | int) -> str:
        """A year or a pooled period for reading: '2023-2025' -> '2023–2025'."""
        text = str(label)
        if "-" not in text:
            return text
        low, _, high = text.partition("-")
        return self._span(low, high)

    def ltr(self, text: str) -> str:
        """Text that reads left to right in every script (a phone number, a code),
        isolated on right-to-left pages."""
        if not text or self.direction != "rtl":
            return text
        return f"{LRI}{text}{PDI}"

    def _span(self, low: str, high: str) -> str:
        if self.direction != "rtl":
            return f"{low}{EN_DASH}{high}"
        return self.ltr(f"{low}{WORD_JOINER}{EN_DASH}{WORD_JOINER}{high}")

    def date(self, value: dt.date | None, fmt: str = "long") -> str:
        if value is None:
            return ""
        return format_date(value, format=fmt, locale=self.locale)

    def opening_hours(
        self, text: str | None, short: bool = False
    ) -> list[tuple[str, str | None]] | None:
        """A premises' opening hours written as data (hours.py) as this language
        writes them: (days, times) per rule, times None where it is closed, e.g.
        ("Monday–Friday", "9:00 AM – 4:00 PM"). None for free text. ``short``:
        abbreviated day names, for the printed fact sheet."""
        if not text:
            return None
        try:
            found = hours.parse(text)
        except hours.HoursError:
            return None  # refused at load: never reaches a page
        if found is None:
            return None
        names = get_day_names("abbreviated" if short else "wide", locale=self.locale)
        # The hour cycle the language uses: 16:30 in Swedish, 4:30 PM in English.
        skeleton = "Hm" if "H" in self.locale.time_formats["short"].pattern else "hm"
        out: list[tuple[str, str | None]] = []
        for rule in found.rules:
            days = self.join([
                names[first] if first == last else f"{names[first]}{EN_DASH}{names[last]}"
                for first, last in rule.days
            ])
            times = self.join([
                format_interval(start, end, skeleton, locale=self.locale)
                for start, end in rule.times
            ]) if rule.times else None
            out.append((days, times))
        return out

    def opening_hours_characters(self) -> str:
        """What opening_hours can write in this language: every day's name in
        both lengths, morning and afternoon times, lists and ranges."""
        sample = "; ".join(
            f"{code} 00:00-01:00,09:00-12:00,13:00-23:59" for code in hours.DAY_CODES
        ) + "; Mo-Su off"
        return "".join(
            days + (times or "")
            for short in (False, True)
            for days, times in self.opening_hours(sample, short) or []
        )

    def opening_hours_notes(self, text: str | None) -> tuple[str, ...]:
        """The notes in double quotes of opening hours written as data, as written."""
        try:
            found = hours.parse(text or "")
        except hours.HoursError:
            return ()
        return found.notes if found else ()

    def join(self, items: list[str] | tuple[str, ...]) -> str:
        """'a, b and c' as the language writes a list."""
        return format_list(list(items), style="standard", locale=self.locale) if items else ""

    def file_size(self, size: int | None) -> str:
        """A file's size in bytes as the language writes it: '812 B', '12,3 kB', '1,2 MB'.
        One decimal below ten units: enough to tell files apart, and no false precision."""
        if size is None:
            return ""
        unit, per = next(
            ((u, n) for u, n in reversed(SIZE_UNITS) if size >= n), SIZE_UNITS[0]
        )
        amount = size / per
        shown: float | int = round(amount, 1) if amount < 10 and per > 1 else round(amount)
        if shown == int(shown):
            shown = int(shown)
        return format_unit(shown, unit, length="short", locale=self.locale)

    def file_size_characters(self) -> str:
        """What file_size can write in this language, whatever the number: each
        unit's words in every plural form (Arabic has six)."""
        samples = (0, 1, 2, 3, 11, 100, 1.5)
        return "".join(
            format_unit(n, unit, length="short", locale=self.locale)
            for unit, _per in SIZE_UNITS
            for n in samples
        )

    def language_name(self, code: str) -> str:
        """A language's name in the visitor's language, e.g. 'arabiska' for 'ar' in Swedish."""
        return self.locale.languages.get(code, code)

    @staticmethod
    def endonym(code: str) -> str:
        """A language's name in itself, e.g. 'العربية' for 'ar'."""
        try:
            name = Locale.parse(code).get_display_name(code) or code
        except (ValueError, LookupError):
            return code
        return name[:1].upper() + name[1:]
