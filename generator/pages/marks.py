"""Figure marks: which published row each number on a page comes from.

Every number a page or a JSON file shows for an indicator carries the key of
its row in ``data/indicators.csv`` and the raw number it prints, as HTML
attributes (``data-fig="all|2025|satisfied_end|total" data-v="78"``). The
post-build audit (check.audit_figures) then proves that pages, comparison
JSON and the search data show nothing but figures the open data publishes,
with the same counts. So the disclosure proof over the open-data table covers
every file of the site: a page cannot show a hidden figure, or a count the
proof never saw, without failing the build.

The writer and the reader of the format live here, side by side.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any, Protocol

from markupsafe import Markup, escape

from generator.compute import registry

SEP = "|"  # between the key's parts: no provider id, period or breakdown holds it

# Attribute name -> the open data's column. The order is the order attributes
# are written in, which is what lets a regular expression read them back.
FIELDS: dict[str, str] = {
    "n": "base",  # the number of records the figure rests on
    "x": "numerator",
    "v": "value",
    "lo": "ci_low",
    "hi": "ci_high",
}

# A JSON object of a figure: {"fig": key, "value": ..., "low": ..., "high": ...,
# "x": numerator, "n": the number of records it rests on}.
JSON_FIELDS: dict[str, str] = {"value": "v", "low": "lo", "high": "hi", "x": "x", "n": "n"}


class MarkedFigure(Protocol):
    provider_id: str
    period: str
    indicator: str
    breakdown: str
    value: int | None
    ci_low: int | None
    ci_high: int | None
    numerator: int | None
    denominator: int | None


def key(provider_id: str, period: str, indicator: str, breakdown: str) -> str:
    return SEP.join((provider_id, period, indicator, breakdown))


def figure_key(fig: MarkedFigure) -> str:
    return key(fig.provider_id, fig.period, fig.indicator, fig.breakdown)


def base(fig: MarkedFigure) -> int | None:
    """What a figure rests on: its denominator, or its own value for a count."""
    indicator = registry.BY_NAME.get(fig.indicator)
    return fig.value if indicator is not None and indicator.kind == "count" else fig.denominator


def _raw(fig: MarkedFigure, field: str) -> Any:
    column = FIELDS[field]
    return base(fig) if column == "base" else getattr(fig, column)


def attributes(fig: MarkedFigure, *fields: str) -> Markup:
    """' data-fig="…" data-n="…" …' for an element that shows ``fields`` of ``fig``."""
    parts = [f' data-fig="{escape(figure_key(fig))}"']
    parts += [f' data-{f}="{_raw(fig, f)}"' for f in FIELDS if f in fields]
    return Markup("".join(parts))


def span(fig: MarkedFigure, field: str, text: str) -> Markup:
    """``text`` (the number as the language writes it) in a marked span."""
    return Markup("<span{}>{}</span>").format(attributes(fig, field), text)


def people(count: float, text: str) -> Markup:
    """A count of customers that is no indicator row (a group size): marked
    with data-n only, so the audit holds it to K. A median may be a half; its
    whole part is at least K exactly when the median is."""
    return Markup('<span data-n="{}">{}</span>').format(int(count), text)


def staff(count: int, text: str) -> Markup:
    """A head count of staff in a role: the audit holds it to the staff
    figures' own threshold (STAFF_DISCLOSURE_K)."""
    return Markup('<span data-staff-n="{}">{}</span>').format(int(count), text)


_ATTRS = "".join(rf'(?: data-{f}="([^"]*)")?' for f in FIELDS)
_MARK_RE = re.compile(r'data-fig="([^"]*)"' + _ATTRS)


def read(text: str) -> Iterator[tuple[str, dict[str, str]]]:
    """(key, {field: raw}) for every mark in an HTML text."""
    for match in _MARK_RE.finditer(text):
        found = {f: v for f, v in zip(FIELDS, match.groups()[1:], strict=True) if v is not None}
        yield match.group(1).replace("&amp;", "&"), found


def read_json(data: Any) -> Iterator[tuple[str, dict[str, str]]]:
    """The marks of a parsed JSON document: marked HTML in its strings, and
    figure objects with a "fig" key."""
    if isinstance(data, str):
        if 'data-fig="' in data:
            yield from read(data)
    elif isinstance(data, list):
        for item in data:
            yield from read_json(item)
    elif isinstance(data, Mapping):
        if isinstance(data.get("fig"), str):
            yield (
                data["fig"],
                {
                    field: "" if data.get(name) is None else str(data[name])
                    for name, field in JSON_FIELDS.items()
                    if name in data
                },
            )
        for value in data.values():
            yield from read_json(value)
