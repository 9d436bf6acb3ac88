"""Long lists are split into pre-built pages that work without JavaScript."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import ROOT, SAMPLE_DATA, axe_violations, serve

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def paged_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    from generator.build.pipeline import build

    root = tmp_path_factory.mktemp("paged")
    for folder in ("content", "theme", "plugins"):
        (root / folder).symlink_to(ROOT / folder, target_is_directory=True)
    conf = root / "pelicanconf.py"
    conf.write_text(
        (ROOT / "pelicanconf.py").read_text(encoding="utf-8")
        + '\nLANGUAGES = ["sv", "en"]\nLIST_PAGE_SIZE = 10\nCOMPARE_PAGE_SIZE = 3\n',
        encoding="utf-8",
    )
    out = root / "output"
    build(SAMPLE_DATA, out, conf)
    server, url = serve(out)
    yield out, url
    server.shutdown()


def listed(site: Path) -> list[dict]:
    data = json.loads((site / "data" / "providers.json").read_text(encoding="utf-8"))
    return [p for p in data["providers"] if p["status"] in ("active", "paused")]


def walk(page, start: str, row_selector: str) -> list[str]:
    """Follow "Next page" from start; the names on every page, in order."""
    page.goto(start)
    names: list[str] = []
    while True:
        names += page.locator(row_selector).all_inner_texts()
        following = page.get_by_role("link", name="Next page")
        if following.count() == 0:
            return names
        # Read the next page only once it has replaced this one: a read during the
        # navigation finds no rows, and the page after would be taken for it.
        with page.expect_navigation():
            following.first.click()


def test_a_long_list_is_split_into_pages_in_one_order(browser, paged_site) -> None:
    site, url = paged_site
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    everyone = listed(site)
    names = walk(page, url + "en/providers/index.html", "tbody .provider-name")
    assert names == sorted((p["name"] for p in everyone), key=str.casefold)
    n = len(everyone)
    assert n > 20
    page.goto(url + "en/providers/index.html")
    assert f"Showing 1–10 of {n}." in page.locator(".result-count").inner_text()
    nav = page.get_by_role("navigation", name="Pages")
    assert nav.count() == 1
    assert nav.get_by_role("link", name="Page 1").get_attribute("aria-current") == "page"
    with page.expect_navigation():
        nav.get_by_role("link", name="Page 3").click()
    assert page.url.endswith("/providers/all-page-3.html")
    assert f"Showing 21–{min(n, 30)} of {n}." in page.locator(".result-count").inner_text()
    # Sorted by a figure: the order continues across pages, hidden figures last.
    ranked = walk(page, url + "en/providers/all-by-work-or-studies.html", "tbody .provider-name")
    with (site / "data" / "indicators.csv").open(encoding="utf-8", newline="") as fh:
        pooled = {
            r["provider_id"]: r
            for r in csv.DictReader(fh)
            if r["indicator"] == "work_or_studies" and r["breakdown"] == "total"
            and "-" in r["year"]
        }

    # In bands against all providers' figure (ranking.py), by name within a band.
    everyone_value = int(pooled["all"]["value"])

    def place(p: dict) -> tuple:
        r = pooled.get(p["provider_id"])
        if r is None or r["suppressed"] == "yes":
            return (4, p["name"].casefold())
        if r["low_reliability"] == "yes":
            return (3, p["name"].casefold())
        low, high = int(r["ci_low"]), int(r["ci_high"])
        band = 0 if everyone_value < low else 2 if everyone_value > high else 1
        return (band, p["name"].casefold())

    order = [p["name"] for p in sorted(everyone, key=place)]
    assert any(place(p)[0] == 4 for p in everyone), "the sample has hidden figures to sort last"
    assert ranked == order
    context.close()


def test_a_split_list_keeps_the_filter_links_with_javascript(page, paged_site) -> None:
    site, url = paged_site
    page.goto(url + "en/providers/index.html")
    assert page.locator("[data-filter-form]").count() == 0
    assert page.locator(".filters").is_visible()
    assert page.locator("tbody tr").count() == 10


def test_service_comparison_and_group_pages_are_split_too(page, paged_site) -> None:
    site, url = paged_site
    sfi = [p for p in listed(site) if "sfi" in p["services"]]
    assert len(sfi) > 3
    page.goto(url + "en/compare/service-sfi.html")
    assert "Showing 1–3 of" in page.locator(".lead").inner_text()
    shown = []
    while True:
        shown += page.locator("table").first.locator("thead th a").all_inner_texts()
        following = page.get_by_role("link", name="Next page")
        if following.count() == 0:
            break
        with page.expect_navigation():
            following.first.click()
    assert sorted(shown) == sorted(p["name"] for p in sfi)
    names = walk(page, url + "en/like-me/age-band-30-54.html", "tbody th a")
    assert sorted(names) == sorted(p["name"] for p in listed(site))


def test_pagination_has_no_violations(page, paged_site) -> None:
    _site, url = paged_site
    page.goto(url + "en/providers/all-page-2.html")
    assert axe_violations(page) == []
