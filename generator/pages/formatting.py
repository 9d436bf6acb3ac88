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

EN_DASH = "\u2013"


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
            return f"{self.number(low)}{EN_DASH}{self.percent(high)}"
        # Languages that put the sign first: write both ends in full.
        return f"{self.percent(low)}{EN_DASH}{self.percent(high)}"

    def period(self, label: str | int) -> str:
        """A year or a pooled period for reading: '2023-2025' -> '2023–2025'."""
        return str(label).replace("-", EN_DASH)

    def date(self, value: dt.date | None, fmt: str = "long") -> str:
        if value is None:
            return ""
        return format_date(value, format=fmt, locale=self.locale)

    def join(self, items: list[str] | tuple[str, ...]) -> str:
        """'a, b and c' as the language writes a list."""
        return format_list(list(items), style="standard", locale=self.locale) if items else ""

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
