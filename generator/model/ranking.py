"""Where each provider stands in each sort order: the lists and the search use the same.

A list sorted by a figure is not a league table: most providers' ranges
overlap, and ordering them by their point estimates would rank chance. So
providers are sorted in bands, as in a funnel plot: those whose figure is
clearly higher than all providers' (``verdicts.versus_all``), then those
about the same, then those clearly lower, then figures with few answers, and
hidden or missing figures last; by name within each band. A list without a
single reliable figure is in name order, and says so: a figure with few
answers never tops a list.
"""

from __future__ import annotations

from collections.abc import Callable

from generator.compute import registry
from generator.model.sitemodel import HEADLINE, Figure, Provider, SiteModel
from generator.model.verdicts import versus_all

HIGHER, SAME, LOWER, FEW, NONE = range(5)

# Indicators with figures for one service's customers (the `service=` breakdown).
SERVICE_INDICATORS = frozenset(registry.BREAKDOWN)


def band(fig: Figure | None, reference: Figure | None) -> int:
    """The band of one figure against all providers' figure for the same customers."""
    if fig is None or not fig.shown:
        return NONE
    if fig.low_reliability:
        return FEW
    verdict = versus_all(fig, reference)
    return HIGHER if verdict == "higher" else LOWER if verdict == "lower" else SAME


def by_name(providers: list[Provider]) -> list[Provider]:
    return sorted(providers, key=lambda p: (p.name.casefold(), p.id))


def bands(
    providers: list[Provider],
    figure_of: Callable[[Provider], Figure | None],
    reference: Figure | None,
) -> dict[str, int]:
    """provider id -> band of its figure."""
    return {p.id: band(figure_of(p), reference) for p in providers}


def ranked(found: dict[str, int]) -> bool:
    """Whether a list holds a reliable figure to sort by at all; if not, it is in
    name order."""
    return any(b <= LOWER for b in found.values())


def places(found: dict[str, int]) -> dict[str, int]:
    """provider id -> the band it sorts in: every band the same when not ranked."""
    return found if ranked(found) else dict.fromkeys(found, SAME)


def sort_by(
    providers: list[Provider],
    figure_of: Callable[[Provider], Figure | None],
    reference: Figure | None,
) -> list[Provider]:
    """Providers in bands (see the module), by name within each."""
    order = places(bands(providers, figure_of, reference))
    return sorted(by_name(providers), key=lambda p: order[p.id])


def sort_providers(
    providers: list[Provider], key: str, period: str, reference: Figure | None = None
) -> list[Provider]:
    """Providers in list order for a sort key: by name, or by a figure (see sort_by)."""
    if key == "name":
        return by_name(providers)
    return sort_by(providers, lambda p: p.figure(period, key), reference)


def sort_by_group(
    providers: list[Provider], group: str, indicator: str, reference: Figure | None
) -> list[Provider]:
    """Providers by their figure for one customer group (see sort_by)."""
    return sort_by(providers, lambda p: p.profile(group, indicator), reference)


def service_sort_key(key: str, service: str) -> str:
    """The search's sort key for one service's figures (search.js builds the same)."""
    return f"{key}__{service}"


def search_sort_values(model: SiteModel) -> dict[str, dict[str, str]]:
    """Provider id -> sort key -> the value Pagefind sorts it by (data-pagefind-sort).

    Each value is a fixed-width string of digits, so Pagefind's numeric and
    alphabetical orders agree, and it orders the providers exactly as
    sort_providers() orders the pre-rendered lists: the band, then the
    provider's place in the list by name. So a provider's values depend only
    on its own figures, all providers' figure and the providers' names: one
    provider's new figure changes only its own pages, not the pages of every
    provider it overtakes. Every listed provider has a value for every key:
    Pagefind leaves a page without one out of sorted results.

    A search narrowed to one service sorts by that service's figures, banded
    against all providers' figure for the same service (service_sort_key):
    every provider offering the service has a value for each of its keys, and
    only those providers are in such a search.
    """
    listed = model.listed
    pooled = model.pooled_period
    width = max(4, len(str(len(listed))))
    named = {p.id: f"{i:0{width}d}" for i, p in enumerate(by_name(listed))}
    everyone = model.all_figures.get(pooled, {})
    per_key = {
        key: places(bands(listed, lambda p, k=key: p.figure(pooled, k), everyone.get(key)))
        for key in HEADLINE
    }
    for service in model.services:
        offering = [p for p in listed if service in p.services]
        reference = model.service_reference.get(service, {})
        for key in HEADLINE:
            if key in SERVICE_INDICATORS:
                per_key[service_sort_key(key, service)] = places(bands(
                    offering,
                    lambda p, k=key, s=service: p.service_figure(pooled, s, k),
                    reference.get(key),
                ))
    return {
        p.id: {
            "name": named[p.id],
            **{k: f"{order[p.id]}{named[p.id]}" for k, order in per_key.items() if p.id in order},
        }
        for p in listed
    }
