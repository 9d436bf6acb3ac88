"""Numbers, percentages, intervals, dates and language names per language (Babel/CLDR).

One Formatter per site language, so pages, charts and the search index format
figures the same way.
"""

from __future__ import annotations

import datetime as dt
from functools import cached_property, lru_cache

from babel import Locale
from babel.dates import format_date
from babel.lists import format_list
from babel.numbers import (
    format_decimal,
    format_percent,
    get_minus_sign_symbol,
    get_plus_sign_symbol,
)
from babel.units import format_unit

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
