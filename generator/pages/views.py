"""Every data page of the site, as a path, a template and a view.

``pages(model, list_size, compare_size)`` yields one ``Page`` per file the
plugin writes: the provider lists (per filter, sort order and page), one page
per provider, the search, the comparison and its per-service tables and data
files, the fact sheets, the employer entrance and "people like me". A view
is a small frozen dataclass holding what its page shows that differs from
page to page: which providers, in which order, on which page of a split list,
for which filter, with which charts. The page cache's key is the page's path,
template and view (``PageCache.key``), so what a page is made of and what its
key holds are written down once, here.

A provider page's view also holds what it sets the provider against: all
providers' figures beside its results, its trend charts with each year's
figures and the sentence's verdict (``TrendChart``), and its results by
customer group beside all providers' (``GroupResults``). Templates see their
view and ``Site`` (the periods, K and R), never the site model, so a page's
key is complete by construction; the editorial Markdown pages, rendered on
every build, see ``Editorial``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, fields
from typing import Any

from generator.compute import registry
from generator.compute.indicators import PROFILE_COLUMNS as WHO_COLUMNS
from generator.compute.indicators import WORK_OR_STUDIES
from generator.model.followups import Placements
from generator.model.mix import BASE, MixShare, customer_mix
from generator.model.ranking import (
    bands,
    by_name,
    ranked,
    search_sort_values,
    sort_by,
    sort_by_group,
    sort_providers,
)
from generator.model.sitemodel import (
    HEADLINE,
    PROFILE_COLUMNS,
    PROFILE_INDICATORS,
    Figure,
    Provider,
    SiteModel,
)
from generator.model.verdicts import Reference, Trend, reference, trend, trend_span
from generator.pages import addresses

# Headline indicators with figures for the customers of each service.
BY_SERVICE = tuple(key for key in HEADLINE if key in registry.BREAKDOWN)
# Services through which an employer can recruit, in the order the pages show them.
EMPLOYER_SERVICES = ("larling", "praktik", "studieforberedande", "yrkesvux", "jobbcoachning")


@dataclass(frozen=True)
class View:
    """What one page shows, as the template's variables (``variables``)."""

    def variables(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


@dataclass(frozen=True)
class Site:
    """What any page may say of the site as a whole: the periods its figures
    cover and the thresholds they were published under (the templates'
    ``site``). Every page's cache key holds it (``pagecache.site_fingerprint``)."""

    pooled_period: str
    latest_year: str
    k: int
    r: int
    staff_threshold: int  # the fewest employees a staff figure rests on

    @classmethod
    def of(cls, model: SiteModel) -> Site:
        return cls(model.pooled_period, model.latest_year, model.k, model.r,
                   model.staff_threshold)


@dataclass(frozen=True)
class Editorial:
    """What the editorial pages (the start page, the methodology and the open
    data page: Markdown pages rendered on every build) show from the data
    (the templates' ``editorial``)."""

    data_date: dt.date | None
    services: tuple[str, ...]
    # All providers' figures of the pooled period, for the start page.
    everyone: Mapping[str, Figure | None]
    # Per indicator: figures, hidden for too few, hidden to protect, left out.
    hidden_counts: Mapping[str, tuple[int, int, int, int]]
    any_left_out: bool  # some figures are left out of the site (``SiteModel.any_left_out``)
    open_data_sizes: Mapping[str, int]
    providers: tuple[tuple[str, str], ...]  # every provider's id and name, for its data file

    @classmethod
    def of(cls, model: SiteModel) -> Editorial:
        return cls(
            model.data_date, tuple(model.services),
            dict(model.all_figures.get(model.pooled_period, {})),
            dict(model.hidden_counts), model.any_left_out, dict(model.open_data_sizes),
            tuple((p.id, p.name) for p in model.providers),
        )


@dataclass(frozen=True)
class Page:
    path: str  # relative to the language's root (addresses.py)
    template: str  # a theme template: its name, or its file name when it is not HTML
    view: View
    # Written in the site's first language only: the easy-to-read Swedish pages.
    first_language_only: bool = False


@dataclass(frozen=True)
class Listing(View):
    """One page of a list of providers split into pages of at most ``size``.

    ``page_paths`` are the addresses of every page of the list (for the
    pagination component), ``first_number`` the place of this page's first
    provider in the whole list.
    """

    providers: tuple[Provider, ...]
    page_paths: tuple[str, ...]
    page_number: int
    first_number: int
    total_count: int


@dataclass(frozen=True)
class Column:
    """A column of figures: an indicator, for the customers of one service or
    (``service`` None) for all of a provider's customers."""

    indicator: str
    service: str | None = None


@dataclass(frozen=True)
class ProviderList(Listing):
    filter_key: str  # "all", "service-sfi", "district-orminge"
    filter_kind: str  # "all", "service", "district"
    filter_value: str | None  # the service code or the district's name
    sort: str  # "name" or a headline indicator
    columns: tuple[Column, ...]  # one per headline indicator
    figures: tuple[tuple[Figure | None, ...], ...]  # per provider on this page, per column
    reference: tuple[Figure | None, ...]  # all providers, per column
    # False when the list is sorted by a figure but holds no reliable one: it
    # is then in name order, and says so (ranking).
    ranked: bool = True
    # The municipality publishes its follow-ups: the list can be filtered on them.
    follow_up_filter: bool = False
    # The filters offered: every service, every district (slug -> name).
    filter_services: tuple[str, ...] = ()
    filter_districts: Mapping[str, str] = field(default_factory=dict)


def columns_for(service: str | None) -> tuple[Column, ...]:
    """The headline columns of a list: on a service's list, the figures for that
    service's customers wherever the indicator has figures by service."""
    return tuple(
        Column(key, service if service and key in BY_SERVICE else None) for key in HEADLINE
    )


def figure_in(p: Provider, column: Column, period: str) -> Figure | None:
    if column.service is None:
        return p.figure(period, column.indicator)
    return p.service_figure(period, column.service, column.indicator)


def reference_in(model: SiteModel, column: Column) -> Figure | None:
    if column.service is None:
        return model.all_figures.get(model.pooled_period, {}).get(column.indicator)
    return model.service_reference.get(column.service, {}).get(column.indicator)


@dataclass(frozen=True)
class ServiceComparison(Listing):
    service: str
    filter_services: tuple[str, ...] = ()  # every service, each with its comparison


@dataclass(frozen=True)
class EmployerList(Listing):
    filter_kind: str  # "all", "sector", "service"
    filter_value: str | None
    employer_services: tuple[str, ...]  # the filters offered
    employer_sectors: tuple[str, ...]
    # Per provider on this page: still self-sufficient after six months for the
    # customers of the page's service (``scope``), shown beside the figure for
    # all services; ``scope`` None: the page is not about one service.
    self_sufficient: tuple[Figure | None, ...] = ()
    scope: str | None = None
    # Placements and hires in the page's sector, or in every sector the
    # entrance lists (first page only), and their year.
    placements: tuple[Placements, ...] = ()
    placements_year: int | None = None


@dataclass(frozen=True)
class GroupList(Listing):
    """Providers by their figure for one customer group ("people like me")."""

    group: str  # "age_band=20-24"
    column: str  # "age_band"
    ranked: bool = True  # see ProviderList.ranked
    everyone: Figure | None = None  # all providers' work or studies for the group


@dataclass(frozen=True)
class ProviderView(View):
    """A page about one provider: its own page, fact sheet or comparison data."""

    provider: Provider


@dataclass(frozen=True)
class ServiceResults:
    """One service's row of a provider's results by service, and all providers' row."""

    service: str
    figures: tuple[Figure | None, ...]  # per BY_SERVICE indicator
    reference: tuple[Figure | None, ...]


@dataclass(frozen=True)
class FactSheet(ProviderView):
    # What each headline figure is set against (verdicts.reference).
    references: Mapping[str, Reference] = field(default_factory=dict)
    # Results by service, for a provider offering more than one.
    by_service: tuple[ServiceResults, ...] = ()
    # All providers' figure of each result row in the pooled period.
    everyone: Mapping[str, Figure | None] = field(default_factory=dict)


@dataclass(frozen=True)
class TrendYear:
    """A year of a trend chart's table: the provider's figure and all providers'."""

    year: str
    figure: Figure | None
    everyone: Figure | None


@dataclass(frozen=True)
class TrendChart:
    """A headline indicator year by year on a provider page: the chart file, its
    table and what its sentence says (verdicts.trend)."""

    indicator: str
    years: tuple[TrendYear, ...]  # from the provider's first year with a figure
    trend: Trend | None  # None: no year has enough answers
    chart: Any = None  # charts.ChartFile; None where no year could be drawn
    # All providers in the latest complete year, for the sentence's last words.
    latest_year: str = ""
    latest: Figure | None = None


@dataclass(frozen=True)
class GroupResults:
    """A customer group's row of a provider's results by group."""

    group: str  # "age_band=20-24"
    figures: Mapping[str, Figure | None]  # the provider's, per profile indicator
    everyone: Figure | None  # all providers' work or studies for the group


@dataclass(frozen=True)
class ProviderPage(FactSheet):
    # Each headline indicator with a figure in the trend years, in headline order.
    trends: tuple[TrendChart, ...] = ()
    # Results by customer group: per breakdown column, the groups the provider
    # has customers in, in the contract's order.
    groups: tuple[tuple[str, tuple[GroupResults, ...]], ...] = ()
    # Its value in each of the search's sort orders (ranking.search_sort_values).
    search_sort: Mapping[str, str] = field(default_factory=dict)
    # Who its customers were beside all providers' customers: per breakdown
    # column, per group, the two shares (mix.customer_mix).
    mix: Mapping[str, tuple[tuple[MixShare, MixShare | None], ...]] = field(
        default_factory=dict
    )
    # What the follow-up section holds: the municipality's follow-ups (where it
    # publishes them, or this provider has some) and complaints (where it
    # publishes them).
    follow_ups_shown: bool = False
    complaints_shown: bool = False


def fact_sheet(model: SiteModel, provider: Provider) -> FactSheet:
    """What a provider's page and fact sheet compare its results with: each
    headline figure's reference, and each of its services against all
    providers of the same service."""
    everyone = model.all_figures.get(model.pooled_period, {})
    references = {
        key: reference(provider, key, everyone.get(key), model.service_reference)
        for key in HEADLINE
    }
    by_service = ()
    if len(provider.services) > 1:
        by_service = tuple(
            ServiceResults(
                code,
                tuple(
                    figure_in(provider, Column(key, code), model.pooled_period)
                    for key in BY_SERVICE
                ),
                tuple(reference_in(model, Column(key, code)) for key in BY_SERVICE),
            )
            for code in provider.services
        )
    everyone_rows = {key: everyone.get(key) for key in registry.with_differences(registry.RESULTS)}
    return FactSheet(provider, references, by_service, everyone_rows)


def trend_charts(model: SiteModel, provider: Provider) -> tuple[TrendChart, ...]:
    """The provider page's trend charts, each with its rows and sentence facts."""
    years = model.trend_years
    latest = model.all_figures.get(model.latest_year, {})
    with_figures = provider.indicators_with_figures(years)
    out = []
    for key in HEADLINE:
        if key not in with_figures:
            continue
        span = trend_span(provider, years, key) or years
        rows = tuple(
            TrendYear(y, provider.figure(y, key), model.all_figures.get(y, {}).get(key))
            for y in span
        )
        out.append(
            TrendChart(
                key, rows, trend(provider, years, key),
                model.charts.get((provider.id, key)), model.latest_year, latest.get(key),
            )
        )
    return tuple(out)


def group_results(model: SiteModel, provider: Provider) -> tuple[
    tuple[str, tuple[GroupResults, ...]], ...
]:
    """The provider's results by customer group, beside all providers'."""
    out = []
    for column, all_groups in model.profile_groups.items():
        rows = tuple(
            GroupResults(
                group,
                {key: provider.profiles[group].get(key) for key in PROFILE_INDICATORS},
                model.all_profiles.get(group, {}).get(WORK_OR_STUDIES),
            )
            for group in all_groups
            if group in provider.profiles
        )
        if rows:
            out.append((column, rows))
    return tuple(out)


@dataclass(frozen=True)
class EasyReadProvider(FactSheet):
    """A provider in easy-to-read Swedish: what it offers, where, and how its
    customers did, in words (verdicts.out_of_ten)."""

    switch_to: str = ""  # the same provider's standard page, for the language switcher


@dataclass(frozen=True)
class EasyReadList(View):
    """Every provider residents can choose, by name, each with its easy-to-read page."""

    providers: tuple[Provider, ...] = ()
    switch_to: str = addresses.LIST


def _mix_groups(model: SiteModel) -> dict[str, tuple[str, ...]]:
    """Who customers are, not what they did: the breakdowns but service."""
    return {c: g for c, g in model.profile_groups.items() if c in WHO_COLUMNS}


def all_providers_mix(model: SiteModel) -> dict[str, MixShare]:
    """All providers' customer mix by group, the reference of every provider's."""
    everyone = customer_mix(
        model.all_profiles,
        model.all_figures.get(model.pooled_period, {}).get(BASE),
        _mix_groups(model),
    )
    return {s.group: s for shares in everyone.values() for s in shares}


def provider_page(
    model: SiteModel,
    provider: Provider,
    reference: Mapping[str, MixShare] | None = None,
    sort_values: Mapping[str, Mapping[str, str]] | None = None,
) -> ProviderPage:
    """``reference``: ``all_providers_mix(model)``, and ``sort_values``:
    ``ranking.search_sort_values(model)``, each worked out once for every page."""
    sheet = fact_sheet(model, provider)
    own = customer_mix(
        provider.profiles, provider.figure(model.pooled_period, BASE), _mix_groups(model)
    )
    reference = reference if reference is not None else all_providers_mix(model)
    mix = {
        column: tuple((s, reference.get(s.group)) for s in shares)
        for column, shares in own.items()
    }
    return ProviderPage(
        provider, sheet.references, sheet.by_service, sheet.everyone,
        trend_charts(model, provider), group_results(model, provider),
        (sort_values if sort_values is not None else search_sort_values(model)).get(
            provider.id, {}
        ),
        mix,
        follow_ups_shown=model.follow_ups_given or bool(provider.follow_ups),
        complaints_shown=model.complaints_given,
    )


@dataclass(frozen=True)
class Search(View):
    """The search page: its filters' options (the providers come from the index)."""

    filter_services: tuple[str, ...] = ()
    filter_districts: Mapping[str, str] = field(default_factory=dict)
    filter_languages: tuple[str, ...] = ()  # languages staff speak
    filter_sectors: tuple[str, ...] = ()


@dataclass(frozen=True)
class Comparison(View):
    """The side-by-side comparison (filled in by script): its services to choose."""

    filter_services: tuple[str, ...] = ()


@dataclass(frozen=True)
class LikeMe(View):
    """"Results for people like me": the customer groups to choose, per column."""

    groups: tuple[tuple[str, tuple[str, ...]], ...] = ()


def _listing(
    path_for: Callable[[int], str], providers: list[Provider], size: int
) -> Iterator[tuple[str, dict[str, Any]]]:
    """The pages of a list split into pages of at most size (an empty list is one page)."""
    chunks = [providers[i : i + size] for i in range(0, len(providers), size)] or [[]]
    paths = tuple(path_for(n) for n in range(1, len(chunks) + 1))
    for number, chunk in enumerate(chunks, start=1):
        yield paths[number - 1], {
            "providers": tuple(chunk),
            "page_paths": paths,
            "page_number": number,
            "first_number": (number - 1) * size + 1,
            "total_count": len(providers),
        }


def pages(model: SiteModel, list_size: int, compare_size: int) -> Iterator[Page]:
    """Every data page, in the order they are written."""
    yield from _lists(model, list_size)
    reference = all_providers_mix(model)
    sort_values = search_sort_values(model)
    for provider in model.providers:
        yield Page(
            addresses.provider_path(provider.id), "provider",
            provider_page(model, provider, reference, sort_values),
        )
    yield Page(addresses.SEARCH, "search", Search(
        model.services, model.districts, model.staff_languages, model.sectors
    ))
    yield from _compare(model, compare_size)
    yield from _employers(model, list_size)
    yield from _like_me(model, list_size)
    yield from _easy_read(model)


def _easy_read(model: SiteModel) -> Iterator[Page]:
    listed = tuple(by_name(model.listed))
    yield Page(addresses.EASY_READ_LIST, "easy-read-list", EasyReadList(listed), True)
    for provider in listed:
        sheet = fact_sheet(model, provider)
        view = EasyReadProvider(
            provider, sheet.references, sheet.by_service,
            switch_to=addresses.provider_path(provider.id),
        )
        yield Page(addresses.easy_read_provider_path(provider.id), "easy-read-provider", view, True)


def _lists(model: SiteModel, size: int) -> Iterator[Page]:
    listed = model.listed
    filters: list[tuple[str, str, str | None, list[Provider]]] = [("all", "all", None, listed)]
    for code in model.services:
        filters.append(
            (f"service-{code}", "service", code, [p for p in listed if code in p.services])
        )
    for slug, name in model.districts.items():
        in_district = [p for p in listed if slug in p.district_slugs]
        filters.append((f"district-{slug}", "district", name, in_district))
    period = model.pooled_period
    for key, kind, value, providers in filters:
        columns = columns_for(value if kind == "service" else None)
        reference = tuple(reference_in(model, c) for c in columns)
        for sort in ("name", *HEADLINE):
            in_bands = True
            if sort == "name":
                ordered = sort_providers(providers, sort, period)
            else:
                at = next(i for i, c in enumerate(columns) if c.indicator == sort)
                figure_of = lambda p, c=columns[at]: figure_in(p, c, period)  # noqa: E731
                ordered = sort_by(providers, figure_of, reference[at])
                in_bands = ranked(bands(providers, figure_of, reference[at]))
            for path, part in _listing(
                lambda n, k=key, s=sort: addresses.list_path(k, s, n), ordered, size
            ):
                figures = tuple(
                    tuple(figure_in(p, c, period) for c in columns) for p in part["providers"]
                )
                yield Page(path, "providers", ProviderList(
                    **part, filter_key=key, filter_kind=kind, filter_value=value, sort=sort,
                    columns=columns, figures=figures, reference=reference, ranked=in_bands,
                    follow_up_filter=model.follow_ups_given,
                    filter_services=model.services, filter_districts=model.districts,
                ))


def _compare(model: SiteModel, size: int) -> Iterator[Page]:
    listed = model.listed
    yield Page(addresses.compare_path(), "compare", Comparison(model.services))
    for code in model.services:
        offering = [p for p in listed if code in p.services]
        for path, part in _listing(
            lambda n, c=code: addresses.compare_service_path(c, n), offering, size
        ):
            yield Page(path, "compare-service", ServiceComparison(
                **part, service=code, filter_services=model.services
            ))
    for provider in listed:
        # Only listed providers can be compared: no data for a deauthorised one.
        yield Page(
            addresses.compare_data_path(provider.id), "compare-provider.json",
            ProviderView(provider),
        )
        yield Page(addresses.factsheet_path(provider.id), "factsheet", fact_sheet(model, provider))


def employer_providers(listed: list[Provider]) -> list[Provider]:
    """Listed providers an employer can recruit through: a sector partnership or an
    employer service (apprenticeships, placements, vocational education, coaching)."""
    return [
        p
        for p in listed
        if p.employer_sectors or any(s in EMPLOYER_SERVICES for s in p.services)
    ]


def _employers(model: SiteModel, size: int) -> Iterator[Page]:
    providers = employer_providers(model.listed)
    services = tuple(s for s in EMPLOYER_SERVICES if any(s in p.services for p in providers))
    sectors = tuple(s for s in model.sectors if any(s in p.employer_sectors for p in providers))
    # The entrance and its sector lists hold the providers that report a
    # sector; one that reports none is found under the services it offers.
    with_sector = [p for p in providers if p.employer_sectors]
    chosen: list[tuple[str, str | None, list[Provider]]] = [("all", None, with_sector)]
    for code in sectors:
        chosen.append(("sector", code, [p for p in providers if code in p.employer_sectors]))
    for code in services:
        chosen.append(("service", code, [p for p in providers if code in p.services]))
    for kind, code, some in chosen:
        column = Column("self_sufficient_6m", code if kind == "service" else None)
        in_sectors = (code,) if kind == "sector" else sectors
        placed = tuple(row for row in model.placements if row.sector in in_sectors)
        for path, part in _listing(
            lambda n, k=kind, c=code: addresses.employers_path(k, c, n), some, size
        ):
            figures = tuple(figure_in(p, column, model.pooled_period) for p in part["providers"])
            yield Page(path, "employers", EmployerList(
                **part, filter_kind=kind, filter_value=code, employer_services=services,
                employer_sectors=sectors, self_sufficient=figures, scope=column.service,
                placements=placed if part["page_number"] == 1 else (),
                placements_year=model.placements_year,
            ))


def offers_group(provider: Provider, group: str) -> bool:
    """Whether a provider belongs on a group's list: for a service's group, only
    if it offers the service; every provider for the other groups."""
    column, _, value = group.partition("=")
    return column != "service" or value in provider.services


def _like_me(model: SiteModel, size: int) -> Iterator[Page]:
    groups = tuple(
        (column, model.profile_groups[column])
        for column in PROFILE_COLUMNS
        if model.profile_groups.get(column)
    )
    yield Page(addresses.like_me_path(), "like-me", LikeMe(groups))
    for column in PROFILE_COLUMNS:
        for group in model.profile_groups.get(column, ()):
            everyone = model.all_profiles.get(group, {}).get("work_or_studies")
            # A service's page lists only the providers offering it.
            listed = [p for p in model.listed if offers_group(p, group)]
            ordered = sort_by_group(listed, group, "work_or_studies", everyone)
            in_bands = ranked(
                bands(listed, lambda p, g=group: p.profile(g, "work_or_studies"), everyone)
            )
            for path, part in _listing(
                lambda n, g=group: addresses.like_me_path(g, n), ordered, size
            ):
                yield Page(path, "like-me-group", GroupList(
                    **part, group=group, column=column, ranked=in_bands, everyone=everyone
                ))
