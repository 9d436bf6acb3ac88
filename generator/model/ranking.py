"""Where each provider stands in each sort order: the lists and the search use the same."""

from __future__ import annotations

from collections.abc import Callable

from generator.model.sitemodel import HEADLINE, Figure, Provider, SiteModel


def sort_by(
    providers: list[Provider], figure_of: Callable[[Provider], Figure | None]
) -> list[Provider]:
    """Providers by a figure, highest first.

    A figure resting on few answers is never placed above a reliable one, and a
    hidden or missing figure always sorts last (never as 0); ties by name.
    """
    by_name = sorted(providers, key=lambda p: (p.name.casefold(), p.id))

    def rank(p: Provider) -> tuple[int, int]:
        fig = figure_of(p)
        if fig is None or not fig.shown:
            return (2, 0)
        return (1 if fig.low_reliability else 0, -(fig.value or 0))

    return sorted(by_name, key=rank)


def sort_providers(providers: list[Provider], key: str, period: str) -> list[Provider]:
    """Providers in list order for a sort key: by name, or by a figure (see sort_by)."""
    if key == "name":
        return sorted(providers, key=lambda p: (p.name.casefold(), p.id))
    return sort_by(providers, lambda p: p.figure(period, key))


def sort_by_group(providers: list[Provider], group: str, indicator: str) -> list[Provider]:
    """Providers by their figure for one customer group (see sort_by)."""
    return sort_by(providers, lambda p: p.profile(group, indicator))


def search_sort_values(model: SiteModel) -> dict[str, dict[str, str]]:
    """Provider id -> sort key -> the value Pagefind sorts it by (data-pagefind-sort).

    Each value is a fixed-width string of digits, so Pagefind's numeric and
    alphabetical orders agree, and it orders the providers exactly as
    sort_providers() orders the pre-rendered lists: first reliable figures,
    then figures with few answers, then hidden or missing ones (never as 0);
    highest first; ties by name. The name part is the provider's place in the
    list by name, so a provider's values depend only on its own figures and
    on the providers' names: one provider's new figure changes only its own
    pages, not the pages of every provider it overtakes. Every listed
    provider has a value for every key: Pagefind leaves a page without one
    out of sorted results.
    """
    listed = model.listed
    width = max(4, len(str(len(listed))))
    places = {p.id: f"{i:0{width}d}" for i, p in enumerate(sort_providers(listed, "name", ""))}
    values: dict[str, dict[str, str]] = {}
    for p in listed:
        own = {"name": places[p.id]}
        for key in HEADLINE:
            fig = p.figure(model.pooled_period, key)
            if fig is None or not fig.shown:
                rank = "2" + "0" * 4
            else:
                rank = f"{1 if fig.low_reliability else 0}{1000 - (fig.value or 0):04d}"
            own[key] = rank + places[p.id]
        values[p.id] = own
    return values
