"""Find and compare: the rows of the comparison tables, the plain-words verdict on
differences, the search facets and sort keys, and the employer entrance's choices.

Language-neutral: the templates put every label through gettext.
"""

from __future__ import annotations

from collections.abc import Iterable

from generator.compute import registry
from generator.model import differences
from generator.model.sitemodel import SHARE_INDICATORS, VS_EXPECTED, Figure, Provider

# Most providers to put side by side (the issue asks for 2-4).
COMPARE_MAX = 4

# Walking distance to public transport, in metres: the "near me" choices.
TRANSIT_STEPS = (200, 400, 800)

# Figures shown in a search result entry, next to name, services and district.
RESULT_FIGURES = registry.SEARCH_RESULT

RESULT_KEYS = registry.with_differences(registry.RESULTS)

# The comparison, as sections of rows. A row key is a fact ("services") or a
# figure in a period ("pooled:work_or_studies", "latest:passed").
COMPARE_SECTIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("offer", ("status", "services", "sectors", "languages", "districts", "authorised_since")),
    ("results-pooled", tuple(f"pooled:{k}" for k in RESULT_KEYS)),
    ("results-latest", tuple(f"latest:{k}" for k in RESULT_KEYS)),
    (
        "staff",
        (
            *(
                row
                for role, head_count in (("teacher", "teachers"), ("coach", "coaches"))
                for row in (head_count, *registry.names(kind="staff", staff_role=role))
            ),
            "group_sizes",
        ),
    ),
    (
        "premises",
        (
            "addresses",
            "step_free",
            "accessible_toilet",
            "hearing_loop",
            "quiet_room",
            "transit",
            "opening_hours",
        ),
    ),
    ("contact", ("website", "email", "phone", "pages")),
)


def compare_rows() -> list[str]:
    return [key for _section, keys in COMPARE_SECTIONS for key in keys]


def applies_to_any(providers: list[Provider], row: str) -> bool:
    """False for a figure row that applies to none of the providers shown (grades
    on a job-coaching page): the row is left out. The script's empty skeleton
    (no providers yet) keeps every row."""
    indicator = row.partition(":")[2]
    if not providers or not indicator:
        return True
    return any(indicator not in p.not_applicable for p in providers)


def has_verdict(row: str) -> bool:
    """Rows of shares get the plain "is this difference real?" sentence."""
    period, _, indicator = row.partition(":")
    return period in ("pooled", "latest") and indicator in SHARE_INDICATORS


# Result rows with figures for one service's customers (the `service=` breakdown).
BY_SERVICE = frozenset(registry.BY_SERVICE)


def row_service(row: str, service: str | None) -> str | None:
    """The service a row's figures are for on a service's comparison; None where
    they count all of a provider's customers (the row then says so)."""
    _period, _, indicator = row.partition(":")
    return service if service and indicator in BY_SERVICE else None


def row_figure(
    p: Provider, row: str, pooled: str, latest: str, service: str | None = None
) -> Figure | None:
    period, _, indicator = row.partition(":")
    when = pooled if period == "pooled" else latest
    scope = row_service(row, service)
    if scope is not None:
        return p.service_figure(when, scope, indicator)
    return p.figure(when, indicator)


def difference_verdict(figures: Iterable[Figure | None]) -> str:
    """Could the difference between providers be chance? (differences.py)

    Only figures that are shown and rest on at least R records take part: a
    hidden figure is absent, and a figure with few answers is never placed
    above or below another. Shares are judged on their counts, the
    compared-with-expected figures on their points and intervals.

    'real'   the difference between the highest and the lowest is more than chance;
    'chance' it could be chance;
    'few'    fewer than two reliable figures to compare.

    compare.js (with difference.js) applies the same rules in the browser;
    tests check they agree.
    """
    reliable = [f for f in figures if f is not None and f.shown and not f.low_reliability]
    if any(f.indicator == VS_EXPECTED for f in reliable):
        return differences.points_verdict([
            differences.Points.from_interval(f.value, f.ci_low, f.ci_high)
            for f in reliable
            if f.value is not None and f.ci_low is not None and f.ci_high is not None
        ])
    return differences.shares_verdict([
        differences.Share(int(f.numerator), int(f.denominator))
        for f in reliable
        if f.numerator is not None and f.denominator
    ])


def verdict_figure(
    p: Provider, row: str, pooled: str, latest: str, service: str | None = None
) -> Figure | None:
    """The figure a row's verdict judges: "into work or studies" for all
    services by its case-mix-adjusted row, every other row by its own figure."""
    if verdict_adjusted(row, service):
        return row_figure(p, f"{row.partition(':')[0]}:{VS_EXPECTED}", pooled, latest)
    return row_figure(p, row, pooled, latest, service)


def verdict_adjusted(row: str, service: str | None = None) -> bool:
    """Whether a row's verdict judges its compared-with-expected figures."""
    return row.partition(":")[2] == "work_or_studies" and row_service(row, service) is None


def row_verdict(
    providers: list[Provider], row: str, pooled: str, latest: str, service: str | None = None
) -> str:
    return difference_verdict(verdict_figure(p, row, pooled, latest, service) for p in providers)


def near_tokens(p: Provider) -> list[str]:
    """Walking-distance tokens: 'any:400' when some premises is at most 400 m from a
    stop, 'orminge:400' when its premises in Orminge is. The district and the
    distance must hold for the same premises, so "near Orminge" means near there."""
    tokens = [f"any:{t}" for t in TRANSIT_STEPS if p.nearest_stop_m is not None
              and p.nearest_stop_m <= t]
    for slug, metres in p.stops_by_district.items():
        tokens += [f"{slug}:{t}" for t in TRANSIT_STEPS if metres <= t]
    return tokens


def page_window(pages: int, current: int, around: int = 2) -> list[int | None]:
    """Page numbers to offer: the first, the last and those near the current one,
    with None where numbers are left out (shown as an ellipsis)."""
    keep = {1, pages} | set(range(current - around, current + around + 1))
    out: list[int | None] = []
    for number in range(1, pages + 1):
        if number in keep:
            out.append(number)
        elif out and out[-1] is not None:
            out.append(None)
    return out

