"""Every data page as a path, a template and a view (generator/pages/views.py), every
address in one module (generator/pages/addresses.py), and the page cache's key made
of the view. Milliseconds: no site is built."""

from __future__ import annotations

import ast
import dataclasses
import re
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import ROOT

from generator.model.followups import Placements
from generator.model.ranking import search_sort_values, service_sort_key
from generator.model.sitemodel import Figure, Provider, SiteModel
from generator.outputs.charts import ChartFile
from generator.pages import addresses
from generator.pages.pagecache import PageCache
from generator.pages.views import (
    Comparison,
    EmployerList,
    FactSheet,
    GroupList,
    LikeMe,
    Listing,
    Page,
    ProviderList,
    ProviderPage,
    Search,
    pages,
)


def _figure(indicator: str, value: int, n: int = 100) -> Figure:
    return Figure(indicator, "2023-2025", value, value - 9, value + 9, None, n, False, "", False)


def _provider(pid: str, name: str, services: tuple[str, ...], value: int, **kw: object) -> Provider:
    fields = dict(
        id=pid,
        name=name,
        org_number="",
        website=None,
        email=None,
        phone=None,
        services=services,
        staff_languages=("sv",),
        employer_sectors=(),
        authorised_since=None,
        status="active",
        premises=[{"district": "Orminge"}],
        staff={},
        staff_year=None,
        groups=[],
        groups_year=None,
        texts={"sv": "<p>Om oss</p>"},
        figures={"2023-2025": {"work_or_studies": _figure("work_or_studies", value)}},
        profiles={
            "age_band=20-24": {"work_or_studies": _figure("work_or_studies", value)},
        },
        # Each provider's SFI customers do the other way round from its total.
        by_service={
            "2023-2025": {"sfi": {"work_or_studies": _figure("work_or_studies", 100 - value, 60)}}
        },
    )
    fields.update(kw)
    return Provider(**fields)  # type: ignore[arg-type]


def _model() -> SiteModel:
    providers = [
        _provider(
            "a", "Alfa", ("sfi", "praktik"), 50,
            figures={
                "2023-2025": {"work_or_studies": _figure("work_or_studies", 50)},
                "2024": {"work_or_studies": replace(_figure("work_or_studies", 40), period="2024")},
            },
        ),
        _provider("b", "Beta", ("sfi",), 70, employer_sectors=("vard",)),
        _provider("c", "Cesar", ("sfi",), 60),
        _provider("d", "Delta", ("praktik",), 80),
        _provider("e", "Eko", ("sfi",), 90),
        _provider("x", "Xenon", ("sfi",), 99, status="deauthorised"),
    ]
    charts = {("a", "work_or_studies"): ChartFile("charts/abc.svg", 300, 200)}
    return SiteModel(
        providers=providers,
        latest_year="2025",
        pooled_period="2023-2025",
        data_date=None,
        k=5,
        r=20,
        services=("sfi", "praktik"),
        districts={"orminge": "Orminge"},
        sectors=("vard",),
        profile_groups={"age_band": ("age_band=20-24",)},
        charts=charts,
        service_reference={"sfi": {"work_or_studies": _figure("work_or_studies", 47)}},
        all_figures={
            "2023-2025": {"work_or_studies": _figure("work_or_studies", 71)},
            "2025": {"work_or_studies": replace(_figure("work_or_studies", 72), period="2025")},
        },
        all_profiles={"age_band=20-24": {"work_or_studies": _figure("work_or_studies", 71)}},
    )


def _by_path(model: SiteModel, size: int = 2) -> dict[str, Page]:
    found = list(pages(model, size, size))
    by_path = {page.path: page for page in found}
    assert len(by_path) == len(found), "two pages with one address"
    return by_path


def _whole_list(by_path: dict[str, Page], first: str) -> list[str]:
    """The provider ids of a split list, page after page, checking its pagination."""
    head = by_path[first].view
    assert isinstance(head, Listing)
    ids: list[str] = []
    for number, path in enumerate(head.page_paths, start=1):
        view = by_path[path].view
        assert isinstance(view, Listing)
        assert view.page_paths == head.page_paths
        assert (view.page_number, view.first_number) == (number, len(ids) + 1)
        assert view.total_count == head.total_count
        ids += [p.id for p in view.providers]
    assert len(ids) == head.total_count
    return ids


def test_lists_are_split_into_pages_in_their_sort_order_without_deauthorised_providers() -> None:
    by_path = _by_path(_model())
    assert _whole_list(by_path, addresses.list_path()) == ["a", "b", "c", "d", "e"]
    # In bands against all providers' 71 % (intervals +-9): clearly higher (Eko
    # 90), about the same (Beta 70, Delta 80), clearly lower (Alfa 50, Cesar
    # 60); by name within each band, not by the point estimates.
    assert _whole_list(by_path, addresses.list_path("all", "work_or_studies")) == [
        "e", "b", "d", "a", "c"
    ]
    assert _whole_list(by_path, addresses.list_path("service-praktik")) == ["a", "d"]
    assert addresses.list_path("all", "name", 3) == "providers/all-page-3.html"
    assert addresses.list_path("all", "name", 4) not in by_path
    # Each list's view says what it is filtered by and how it is sorted.
    view = by_path[addresses.list_path("district-orminge", "work_or_studies")].view
    assert isinstance(view, ProviderList)
    assert (view.filter_kind, view.filter_value, view.sort) == (
        "district", "Orminge", "work_or_studies"
    )
    # The people-like-me lists sort by the group's figure.
    group = by_path[addresses.like_me_path("age_band=20-24")].view
    assert isinstance(group, GroupList) and group.column == "age_band"
    assert _whole_list(by_path, addresses.like_me_path("age_band=20-24"))[0] == "e"


def test_a_service_list_shows_and_sorts_by_that_services_figures() -> None:
    """On the SFI list every column with figures by service is the SFI customers'
    figure, the list is sorted by it, and the reference is all providers' SFI
    figure; a column without figures by service says it counts all services."""
    by_path = _by_path(_model(), size=10)
    view = by_path[addresses.list_path("service-sfi", "work_or_studies")].view
    assert isinstance(view, ProviderList)
    assert {c.indicator: c.service for c in view.columns} == {
        "satisfied_end": "sfi", "work_or_studies": "sfi", "self_sufficient_6m": "sfi",
        "passed": None,
    }
    at = [c.indicator for c in view.columns].index("work_or_studies")
    # Totals 50, 70, 60, 90: the SFI figures 50, 30, 40, 10 order them the other way.
    assert [p.id for p in view.providers] == ["a", "c", "b", "e"]
    assert [row[at].value for row in view.figures] == [50, 40, 30, 10]
    assert view.reference[at].value == 47

    everyone = by_path[addresses.list_path("all", "work_or_studies")].view
    assert isinstance(everyone, ProviderList)
    assert all(c.service is None for c in everyone.columns)
    assert [row[at].value for row in everyone.figures] == [90, 70, 80, 50, 60]
    assert everyone.reference[at].value == 71 and everyone.ranked


def test_a_search_narrowed_to_a_service_sorts_by_that_services_figures() -> None:
    """The search's keys for one service put its providers in the SFI list's order
    (banded against all providers' SFI figure), and only its providers have them."""
    model = _model()
    values = search_sort_values(model)
    key = service_sort_key("work_or_studies", "sfi")
    offering = [pid for pid, own in values.items() if key in own]
    assert sorted(offering) == ["a", "b", "c", "e"], "praktik-only d has no SFI place"
    assert sorted(offering, key=lambda pid: values[pid][key]) == _whole_list(
        _by_path(model, size=10), addresses.list_path("service-sfi", "work_or_studies")
    ) == ["a", "c", "b", "e"]
    # All services together: the totals 50, 70, 60, 90 against 71, another order.
    assert sorted(values, key=lambda pid: values[pid]["work_or_studies"]) != offering
    # An indicator without figures by service has no key for one service.
    assert not any(service_sort_key("passed", "sfi") in own for own in values.values())


def test_a_fact_sheet_sets_each_service_against_the_same_service() -> None:
    by_path = _by_path(_model())
    several = by_path[addresses.factsheet_path("a")].view
    assert isinstance(several, FactSheet)
    assert [row.service for row in several.by_service] == ["sfi", "praktik"]
    assert several.references["work_or_studies"].service is None
    one = by_path[addresses.factsheet_path("b")].view
    assert isinstance(one, FactSheet) and one.by_service == ()
    assert one.references["work_or_studies"].service == "sfi"
    assert one.references["work_or_studies"].figure.value == 47  # all providers' SFI


def test_people_like_me_for_a_service_lists_only_its_providers() -> None:
    model = dataclasses.replace(_model(), profile_groups={"service": ("service=praktik",)})
    for i, provider in enumerate(model.providers):
        model.providers[i] = dataclasses.replace(provider, profiles={
            "service=praktik": {"work_or_studies": _figure("work_or_studies", 40 + i)},
        })
    assert _whole_list(_by_path(model), addresses.like_me_path("service=praktik")) == ["a", "d"]


def test_few_answers_never_top_a_list_and_without_reliable_figures_names_do() -> None:
    """A figure with few answers sorts after every reliable one, however high; a
    list with no reliable figure is in name order and its view says so."""
    model = _model()
    few = dataclasses.replace(_figure("work_or_studies", 99, 9), low_reliability=True)
    model.providers[0].figures = {"2023-2025": {"work_or_studies": few}}  # Alfa, 99 %
    by_path = _by_path(model, size=10)
    order = _whole_list(by_path, addresses.list_path("all", "work_or_studies"))
    assert order.index("a") == 4 and order[0] == "e"
    for p in model.providers:
        p.figures = {"2023-2025": {"work_or_studies": few}}
    by_path = _by_path(model, size=10)
    view = by_path[addresses.list_path("all", "work_or_studies")].view
    assert isinstance(view, ProviderList) and not view.ranked
    assert [p.name for p in view.providers] == ["Alfa", "Beta", "Cesar", "Delta", "Eko"]


def test_an_empty_list_is_one_empty_page() -> None:
    model = _model()
    model.services = ("sfi", "praktik", "yrkesvux")
    by_path = _by_path(model)
    view = by_path[addresses.list_path("service-yrkesvux")].view
    assert isinstance(view, Listing)
    assert (view.providers, view.page_paths, view.total_count) == (
        (), (addresses.list_path("service-yrkesvux"),), 0
    )


def test_every_provider_has_a_page_and_only_listed_ones_can_be_compared() -> None:
    by_path = _by_path(_model())
    for pid in "abcdex":
        assert isinstance(by_path[addresses.provider_path(pid)].view, ProviderPage)
    for pid in "abcde":
        assert by_path[addresses.compare_data_path(pid)].template == "compare-provider.json"
        assert isinstance(by_path[addresses.factsheet_path(pid)].view, FactSheet)
    assert addresses.compare_data_path("x") not in by_path
    assert addresses.factsheet_path("x") not in by_path
    # A provider page's view holds a trend chart per headline figure with a year
    # in the trend span: from the provider's first such year, with all providers'
    # figure beside each year, its own chart file and the sentence's facts.
    view = by_path[addresses.provider_path("a")].view
    assert isinstance(view, ProviderPage)
    (chart,) = view.trends
    assert chart.indicator == "work_or_studies"
    assert chart.chart == ChartFile("charts/abc.svg", 300, 200)
    assert [(y.year, y.figure and y.figure.value) for y in chart.years] == [
        ("2024", 40), ("2025", None)
    ]
    assert chart.years[-1].everyone is not None and chart.years[-1].everyone.value == 72
    assert chart.trend is not None and chart.trend.first.value == 40 and chart.trend.last is None
    assert (chart.latest_year, chart.latest and chart.latest.value) == ("2025", 72)
    other = by_path[addresses.provider_path("b")].view
    assert isinstance(other, ProviderPage) and other.trends == ()
    # Its results by customer group, beside all providers' for each group.
    ((column, (row,)),) = view.groups
    assert (column, row.group) == ("age_band", "age_band=20-24")
    assert row.figures["work_or_studies"] is not None
    assert row.figures["work_or_studies"].value == 50
    assert row.everyone is not None and row.everyone.value == 71
    # All providers' pooled figure of every result row, for its reference column.
    assert view.everyone["work_or_studies"] is not None
    assert view.everyone["work_or_studies"].value == 71
    assert view.everyone["passed"] is None


def test_the_employer_pages_offer_only_filters_that_find_someone() -> None:
    by_path = _by_path(_model())
    view = by_path[addresses.employers_path()].view
    assert isinstance(view, EmployerList)
    assert view.employer_services == ("praktik",)
    assert view.employer_sectors == ("vard",)
    # The entrance lists the providers that report a sector; Alfa, which offers
    # placements but reports none, is on the placements page.
    assert [p.id for p in view.providers] == ["b"]
    placements = by_path[addresses.employers_path("service", "praktik")].view
    assert isinstance(placements, EmployerList)
    assert [p.id for p in placements.providers] == ["a", "d"]
    assert addresses.employers_path("sector", "vard") in by_path
    assert addresses.employers_path("service", "sfi") not in by_path


def test_an_employer_page_holds_the_placements_of_its_sectors_on_its_first_page() -> None:
    model = dataclasses.replace(
        _model(),
        placements_year=2025,
        placements=(Placements("bygg", 12, 4), Placements("vard", 9, 3)),
    )
    by_path = _by_path(model)
    # The entrance lists the sectors its providers report (vard), a sector's
    # page its own, a service's page every sector of the entrance.
    for path in (addresses.employers_path(), addresses.employers_path("sector", "vard"),
                 addresses.employers_path("service", "praktik")):
        view = by_path[path].view
        assert isinstance(view, EmployerList)
        assert [row.sector for row in view.placements] == ["vard"], path
        assert view.placements_year == 2025
    # Only the first page of a split list shows the table.
    split = _by_path(model, size=1)
    later = split[addresses.employers_path("service", "praktik", 2)].view
    assert isinstance(later, EmployerList) and later.placements == ()


def test_an_employer_page_for_a_service_shows_that_services_figure() -> None:
    model = _model()
    for i, provider in enumerate(model.providers):
        if "praktik" in provider.services:
            figures = {"self_sufficient_6m": _figure("self_sufficient_6m", 11 + i)}
            model.providers[i] = dataclasses.replace(
                provider,
                employer_sectors=("vard",),
                by_service={"2023-2025": {"praktik": figures}},
                figures={"2023-2025": {"self_sufficient_6m": _figure("self_sufficient_6m", 77)}},
            )
    by_path = _by_path(model)
    placements = by_path[addresses.employers_path("service", "praktik")].view
    assert isinstance(placements, EmployerList)
    assert placements.scope == "praktik"
    assert [f.value for f in placements.self_sufficient] == [11, 14]  # a, d: their praktik
    everyone = by_path[addresses.employers_path()].view
    assert isinstance(everyone, EmployerList)
    assert everyone.scope is None
    assert [f.value if f else None for f in everyone.self_sufficient] == [77, None]


def test_a_pages_cache_key_is_its_view() -> None:
    model = _model()
    cache = PageCache(Path("/nonexistent"), "salt")
    keys = {page.path: cache.key(page) for page in pages(model, 2, 2)}
    assert len(set(keys.values())) == len(keys)

    # A provider's own text changes its own pages, not the lists it is on.
    changed = dataclasses.replace(model.providers[0], texts={"sv": "<p>Ny text</p>"})
    model.providers[0] = changed
    cache = PageCache(Path("/nonexistent"), "salt")
    again = {page.path: cache.key(page) for page in pages(model, 2, 2)}
    differ = {path for path in keys if keys[path] != again[path]}
    assert differ == {
        addresses.provider_path("a"),
        addresses.compare_data_path("a"),
        addresses.factsheet_path("a"),
        addresses.easy_read_provider_path("a"),
    }

    # A chart drawn anew changes only its provider's page.
    model.charts[("a", "work_or_studies")] = ChartFile("charts/def.svg", 300, 200)
    cache = PageCache(Path("/nonexistent"), "salt")
    third = {page.path: cache.key(page) for page in pages(model, 2, 2)}
    assert {path for path in again if again[path] != third[path]} == {
        addresses.provider_path("a")
    }


def test_an_all_provider_figure_changes_the_keys_of_the_pages_that_show_it() -> None:
    """All providers' figure for a customer group is shown on the group's own
    pages and beside each provider's figure for that group: their keys change,
    and no other page's does (each page's view holds what it shows)."""
    model = _model()
    before = {page.path: PageCache(Path("/nonexistent"), "salt").key(page)
              for page in pages(model, 2, 2)}
    group = "age_band=20-24"
    model.all_profiles[group] = {"work_or_studies": _figure("work_or_studies", 60)}
    after = {page.path: PageCache(Path("/nonexistent"), "salt").key(page)
             for page in pages(model, 2, 2)}
    changed = {path for path in before if before[path] != after[path]}
    group_pages = {path for path in before if path.startswith(
        addresses.like_me_path(group).removesuffix(".html")
    )}
    assert group_pages
    assert changed == group_pages | {addresses.provider_path(pid) for pid in "abcdex"}


def test_every_menu_section_is_known_by_its_pages() -> None:
    assert addresses.section(addresses.START) == "start"
    assert addresses.section(addresses.list_path("service-sfi", "name", 2)) == "list"
    assert addresses.section(addresses.compare_service_path("sfi")) == "compare"
    assert addresses.section(addresses.COMPARE) == "compare"
    assert addresses.section(addresses.employers_path("sector", "vard")) == "employers"
    assert addresses.section(addresses.like_me_path("age_band=55+")) == "like-me"
    assert addresses.section(addresses.provider_path("a")) == ""
    assert addresses.section(addresses.OPEN_DATA) == ""


@pytest.mark.parametrize("lang", [p.name for p in sorted((ROOT / "content").iterdir())])
def test_the_editorial_pages_are_written_where_the_addresses_say(lang: str) -> None:
    """An editorial page's address comes from its slug (PAGE_SAVE_AS = "{slug}.html")
    or its Save_as; the ones the templates link to are named in addresses.py."""
    written = set()
    for md in (ROOT / "content" / lang).glob("*.md"):
        head = md.read_text(encoding="utf-8").split("\n\n", 1)[0]
        meta = dict(re.findall(r"^(\w+):\s*(.*)$", head, re.M))
        written.add(meta.get("Save_as") or f"{meta['Slug']}.html")
    assert {
        addresses.START, addresses.METHODOLOGY, addresses.OPEN_DATA, addresses.ACCESSIBILITY,
        addresses.HOW_TO_CHOOSE, addresses.EMPLOYER_GUIDE,
    } <= written


_ADDRESS = re.compile(r"""['"]([\w./-]*\.html)['"]""")
# What a web server serves for a folder's address: the link checker's rule, not a page.
_ALLOWED = {"check.py: index.html"}
_TEMPLATE_TAG = re.compile(r"{%-?\s*(?:extends|import|include|from)\b.*?%}", re.S)


def test_no_page_address_is_written_outside_the_addresses_module() -> None:
    """Templates and code name pages through addresses.py, so the URL scheme has one home."""
    found = []
    for template in sorted((ROOT / "theme" / "templates").rglob("*.html")):
        text = _TEMPLATE_TAG.sub("", template.read_text(encoding="utf-8"))
        found += [f"{template.name}: {m.group(1)}" for m in _ADDRESS.finditer(text)]
    for folder in ("generator", "plugins"):
        for source in sorted((ROOT / folder).rglob("*.py")):
            if source.name == "addresses.py":
                continue
            for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
                if (
                    isinstance(node, ast.Constant)
                    and isinstance(node.value, str)
                    and re.fullmatch(r"(?:[a-z-]+/)?[a-z-]+\.html", node.value)
                ):
                    found.append(f"{source.name}: {node.value}")
    assert set(found) == _ALLOWED


def test_pages_with_filters_hold_their_options_in_their_views() -> None:
    """The list, search, comparison and "people like me" pages offer the options
    their views hold: every service and district, the staff's languages and
    the sectors, the customer groups that have figures."""
    by_path = _by_path(_model())
    listing = by_path[addresses.list_path("all", "name", 1)].view
    assert isinstance(listing, ProviderList)
    assert listing.filter_services == ("sfi", "praktik")
    assert dict(listing.filter_districts) == {"orminge": "Orminge"}
    search = by_path[addresses.SEARCH].view
    assert isinstance(search, Search)
    assert (search.filter_services, search.filter_languages, search.filter_sectors) == (
        ("sfi", "praktik"), ("sv",), ("vard",)
    )
    compare = by_path[addresses.compare_path()].view
    assert isinstance(compare, Comparison) and compare.filter_services == ("sfi", "praktik")
    like_me = by_path[addresses.like_me_path()].view
    assert isinstance(like_me, LikeMe)
    assert like_me.groups == (("age_band", ("age_band=20-24",)),)  # no other column has groups
    group = by_path[addresses.like_me_path("age_band=20-24", 1)].view
    assert isinstance(group, GroupList)
    assert group.everyone is not None and group.everyone.value == 71
