"""The sample site in headless Chromium: what a person sees and can do."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def indicators(site: Path) -> list[dict[str, str]]:
    with (site / "data" / "indicators.csv").open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def providers(site: Path) -> list[dict]:
    return json.loads((site / "data" / "providers.json").read_text(encoding="utf-8"))["providers"]


def figure(site: Path, pid: str, year: str, indicator: str) -> dict[str, str]:
    return next(
        r
        for r in indicators(site)
        if r["provider_id"] == pid
        and r["year"] == year
        and r["indicator"] == indicator
        and r["breakdown"] == "total"
    )


def test_provider_list_shows_every_listed_provider_with_figures(
    page, site_url, sample_site
) -> None:
    page.goto(site_url + "providers/index.html")
    listed = [p for p in providers(sample_site) if p["status"] in ("active", "paused")]
    rows = page.locator("table.providers-table tbody tr")
    assert rows.count() == len(listed)
    assert page.locator("h1").inner_text() == "Alla anordnare"
    # A provider with enough answers: its pooled figure, as a person reads it.
    big = next(
        p
        for p in listed
        if figure(sample_site, p["provider_id"], "2023-2025", "satisfied_end")["suppressed"] == "no"
    )
    fig = figure(sample_site, big["provider_id"], "2023-2025", "satisfied_end")
    row = rows.filter(has=page.get_by_role("link", name=big["name"], exact=True))
    cell_text = row.locator("td").nth(0).inner_text()
    assert re.search(rf"\b{fig['value']}\s%", cell_text), cell_text
    assert f"{fig['ci_low']}–{fig['ci_high']}" in cell_text.replace("\u00a0", " ")
    hidden = [
        r
        for r in indicators(sample_site)
        if r["year"] == "2023-2025"
        and r["breakdown"] == "total"
        and r["suppressed"] == "yes"
        and r["indicator"] in ("satisfied_end", "work_or_studies", "self_sufficient_6m", "passed")
        and r["provider_id"] in {p["provider_id"] for p in listed}
    ]
    # Each hidden figure says why it is hidden: too few people, or hidden so
    # that another figure cannot be worked out from it.
    table = page.locator("table.providers-table")
    too_few = [r for r in hidden if r["reason"] == "fewer_than_k"]
    protected = [r for r in hidden if r["reason"] == "secondary"]
    assert protected  # the sample's pooled totals are hidden only to protect others
    assert table.get_by_text("För få för att visa").count() == len(too_few)
    assert table.get_by_text("Dold för att skydda enskilda").count() == len(protected)


def test_hidden_figures_say_why_and_print_no_number(page, site_url, sample_site) -> None:
    hidden = next(
        r
        for r in indicators(sample_site)
        if r["provider_id"] != "all"
        and r["year"] == "2025"
        and r["suppressed"] == "yes"
        and r["indicator"] == "satisfied_end"
        and r["breakdown"] == "total"
        and r["reason"] == "fewer_than_k"
    )
    page.goto(site_url + f"en/provider/{hidden['provider_id']}.html")
    cell = page.locator("table.results-table tr", has_text="Satisfied customers at the end")
    latest = cell.locator("td").nth(0).inner_text()
    assert "Too few to show" in latest
    assert not re.search(r"\d", latest.replace("5", "")), latest  # only "fewer than 5 people"


def test_sorting_by_a_figure_without_javascript(browser, site_url, sample_site) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site_url + "en/providers/index.html")
    page.get_by_role("link", name=re.compile(r"^Work or studies")).click()
    assert page.url.endswith("providers/all-by-work-or-studies.html")
    first = page.locator("table.providers-table tbody tr").first
    name = first.locator("th a").inner_text()
    pid = next(p["provider_id"] for p in providers(sample_site) if p["name"] == name)
    top = figure(sample_site, pid, "2023-2025", "work_or_studies")
    assert top["suppressed"] == "no" and top["low_reliability"] == "no"
    reliable = [
        int(r["value"])
        for r in indicators(sample_site)
        if r["year"] == "2023-2025"
        and r["indicator"] == "work_or_studies"
        and r["breakdown"] == "total"
        and r["provider_id"] != "all"
        and r["suppressed"] == "no"
        and r["low_reliability"] == "no"
        and any(
            p["provider_id"] == r["provider_id"] and p["status"] != "deauthorised"
            for p in providers(sample_site)
        )
    ]
    assert int(top["value"]) == max(reliable)
    context.close()


def test_provider_page_reads_like_the_open_data(page, site_url, sample_site) -> None:
    p = next(
        p
        for p in providers(sample_site)
        if figure(sample_site, p["provider_id"], "2025", "work_or_studies")["suppressed"] == "no"
    )
    page.goto(site_url + f"en/provider/{p['provider_id']}.html")
    assert page.locator("h1").inner_text() == p["name"]
    row = page.locator("table.results-table tr", has_text="Went on to work or studies")
    latest = row.locator("td").nth(0).inner_text()
    fig = figure(sample_site, p["provider_id"], "2025", "work_or_studies")
    assert f"{fig['value']}%" in latest
    assert f"Likely between {fig['ci_low']}% and {fig['ci_high']}%" in latest
    assert f"{fig['numerator']} of {fig['denominator']} customers who finished" in latest
    all_text = row.locator("td").nth(2).inner_text()
    assert f"{figure(sample_site, 'all', '2023-2025', 'work_or_studies')['value']}%" in all_text
    # The language switcher leads to the same provider in Swedish.
    page.get_by_role("link", name="Svenska").click()
    assert page.url.endswith(f"/provider/{p['provider_id']}.html") and "/en/" not in page.url
    assert page.locator("html").get_attribute("lang") == "sv"


def test_search_finds_providers_by_service_and_district(page, site_url, sample_site) -> None:
    page.goto(site_url + "search.html")
    page.get_by_label("Namn, tjänst eller område").fill("sfi")
    results = page.locator(".search__results li")
    results.first.wait_for(timeout=10_000)
    sfi = [p for p in providers(sample_site) if "sfi" in p["services"]]
    assert results.count() >= 1
    found = set(results.locator("a").all_inner_texts())
    assert found & {p["name"] for p in sfi}
    assert re.search(r"\d+", page.locator(".search__status").inner_text())

    page.get_by_label("Namn, tjänst eller område").fill("Orminge")
    in_orminge = {
        p["name"]
        for p in providers(sample_site)
        if any(pr["district"] == "Orminge" for pr in p["premises"])
    }
    # Every provider with premises in Orminge is found (its page names the district).
    page.wait_for_function(
        """names => { const found = [...document.querySelectorAll('.search__results li a')]
                        .map(a => a.textContent);
                      return names.every(n => found.includes(n)); }""",
        arg=sorted(in_orminge),
        timeout=10_000,
    )
    status = page.locator(".search__status").inner_text()
    count = page.locator(".search__results li").count()
    assert str(count) in status
    page.locator(".search__results li a").first.click()
    assert "/provider/" in page.url


def test_list_combines_service_and_district_with_javascript(page, site_url, sample_site) -> None:
    page.goto(site_url + "en/providers/index.html")
    listed = [p for p in providers(sample_site) if p["status"] in ("active", "paused")]
    page.get_by_role("combobox", name="Service").select_option("sfi")
    page.get_by_role("combobox", name="District").select_option("orminge")
    expected = [
        p
        for p in listed
        if "sfi" in p["services"] and any(pr["district"] == "Orminge" for pr in p["premises"])
    ]
    visible = page.locator("table.providers-table tbody tr:visible")
    assert visible.count() == len(expected)
    assert page.locator(".result-count").inner_text() == f"Providers shown: {len(expected)}"


def test_search_keeps_what_was_typed_before_the_script_ran(page, site_url) -> None:
    # readyState becomes "interactive" before deferred and module scripts run: the
    # moment a fast typist (or the browser's autofill) can beat search.js.
    page.add_init_script(
        """document.addEventListener('readystatechange', () => {
             if (document.readyState === 'interactive') {
               const box = document.getElementById('search-input');
               if (box) box.value = 'sfi';
             } });"""
    )
    page.goto(site_url + "en/search.html")
    page.locator(".search__results > li").first.wait_for(timeout=10_000)
    assert page.get_by_role("searchbox").input_value() == "sfi"
