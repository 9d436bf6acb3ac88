"""Where each provider stands in each sort order: the lists and the search use the same."""

from __future__ import annotations

from collections.abc import Callable

from .sitemodel import HEADLINE, Figure, Provider, SiteModel


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


def search_ranks(model: SiteModel) -> dict[str, dict[str, str]]:
    """Sort key -> provider id -> its place in the sorted list, zero-padded.

    The search sorts by these places, given to Pagefind as filters (rank_<key>),
    not as Pagefind sort keys: Pagefind drops a page without a sort value from
    sorted results, and (in 1.5) writes several sort keys in a random order, so
    two builds of the same data would differ. The places come from the same
    sort_providers() as the pre-rendered lists: a hidden or missing figure comes
    last, never as 0, and a figure with few answers after the reliable ones.
    """
    width = max(4, len(str(len(model.providers))))
    return {
        key: {
            p.id: f"{i:0{width}d}"
            for i, p in enumerate(sort_providers(model.listed, key, model.pooled_period))
        }
        for key in ("name", *HEADLINE)
    }
