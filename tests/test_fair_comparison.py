"""Fair comparison on the sample site: compared with expected, groups, people like me,
trends and charts, and plain-language sentences, as a visitor sees them."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest
from conftest import axe_violations

from generator.build.settings import load_settings

pytestmark = [pytest.mark.browser, pytest.mark.slow]

LANGUAGES: list[str] = load_settings()["LANGUAGES"]
POOLED = "2023-2025"
# What a hidden figure says in English, by the reason in the open data.
HIDDEN_LABEL = {"fewer_than_k": "Too few to show", "secondary": "Hidden to protect privacy"}


def rows(site: Path) -> list[dict[str, str]]:
    with (site / "data" / "indicators.csv").open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def row(site: Path, pid: str, year: str, indicator: str, breakdown: str = "total") -> dict:
    return next(
        r
        for r in rows(site)
        if (r["provider_id"], r["year"], r["indicator"], r["breakdown"])
        == (pid, year, indicator, breakdown)
    )


def listed(site: Path) -> list[dict]:
    data = json.loads((site / "data" / "providers.json").read_text(encoding="utf-8"))
    return [p for p in data["providers"] if p["status"] in ("active", "paused")]


# ---------------------------------------------------------------------------
# Open data


def test_open_data_has_compared_with_expected_and_every_breakdown(sample_site: Path) -> None:
    table = rows(sample_site)
    expected = [r for r in table if r["indicator"] == "work_or_studies_vs_expected"]
    assert expected
    for r in expected:
        if r["suppressed"] == "yes":
            assert r["value"] == r["comparison"] == ""
        elif int(r["denominator"]) < 20:
            assert r["comparison"] == "" and r["low_reliability"] == "yes"
        else:
            low, high = int(r["ci_low"]), int(r["ci_high"])
            want = "better" if low > 0 else "worse" if high < 0 else "as_expected"
            # Read from the interval as published (rounded outwards), for the
            # pooled period only: single years carry no class.
            assert r["comparison"] == (want if r["year"] == POOLED else ""), r
            assert low <= int(r["value"]) <= high
    classes = {r["comparison"] for r in expected if r["year"] == POOLED}
    # The sample's planted effects are found, within what the funnel allows.
    assert "as_expected" in classes and classes & {"better", "worse"}
    breakdowns = {r["breakdown"].split("=")[0] for r in table}
    assert {"age_band", "born_abroad", "education_level", "disability", "service"} <= breakdowns
    for indicator in ("satisfied_end", "satisfied_4w", "work_or_studies", "self_sufficient_6m"):
        assert any(
            r["indicator"] == indicator and r["breakdown"].startswith("age_band=") for r in table
        )


def test_sample_matches_the_seed_report_calibration(sample_site: Path) -> None:
    assert row(sample_site, "all", POOLED, "satisfied_end")["value"] in ("73", "74", "75")
    assert row(sample_site, "all", POOLED, "work_or_studies")["value"] in ("75", "76", "77")


def test_tiny_providers_at_100_percent_are_never_shown_as_the_best(
    page, site_url: str, sample_site: Path
) -> None:
    """The seed report's "100 % satisfied" on a handful of answers: such a figure
    tells every customer's answer, so it is hidden, and hidden figures sort last."""
    table = rows(sample_site)
    people = {
        "satisfied_end", "satisfied_4w", "work_or_studies", "self_sufficient_6m", "passed"
    }
    published_few = [
        r
        for r in table
        if r["indicator"] in people and r["suppressed"] == "no" and r["low_reliability"] == "yes"
    ]
    assert published_few
    assert not [r for r in published_few if r["numerator"] in ("0", r["denominator"])]
    # The sample has providers whose every answer was "satisfied" on a few answers.
    tiny = {
        r["provider_id"]
        for r in table
        if r["year"] == POOLED
        and r["indicator"] == "satisfied_end"
        and r["breakdown"] == "total"
        and r["suppressed"] == "yes"
        and r["reason"] == "secondary"
        and r["provider_id"] != "all"
    }
    assert len(tiny) >= 3, tiny
    names = {p["name"] for p in listed(sample_site) if p["provider_id"] in tiny}
    page.goto(site_url + "en/providers/all-by-satisfied-end.html")
    order = page.locator("[data-filter-item] .provider-name").all_inner_texts()
    reliable = [
        p["name"]
        for p in listed(sample_site)
        if row(sample_site, p["provider_id"], POOLED, "satisfied_end")["low_reliability"] == "no"
        and row(sample_site, p["provider_id"], POOLED, "satisfied_end")["suppressed"] == "no"
    ]
    assert order[0] in reliable
    assert max(order.index(n) for n in reliable) < min(order.index(n) for n in names)
    # And none with few customers is ever "better than expected": too few to tell.
    # (A provider can also be hidden here to protect others, with many customers.)
    few = [
        pid for pid in tiny
        if "yes" in (row(sample_site, pid, POOLED, "work_or_studies")["suppressed"],
                     row(sample_site, pid, POOLED, "work_or_studies")["low_reliability"])
    ]
    assert len(few) >= 3, few
    for pid in few:
        assert row(sample_site, pid, POOLED, "work_or_studies_vs_expected")["comparison"] == ""


# ---------------------------------------------------------------------------
# Provider page


def _class_of(site: Path, pid: str) -> str | None:
    """The pooled compared-with-expected class; None for a provider that cannot
    be compared (it has no such row)."""
    found = [
        r["comparison"]
        for r in rows(site)
        if (r["provider_id"], r["year"], r["indicator"], r["breakdown"])
        == (pid, POOLED, "work_or_studies_vs_expected", "total")
    ]
    return found[0] if found else None


def _provider_with_class(site: Path, *classes: str) -> dict:
    return next(p for p in listed(site) if _class_of(site, p["provider_id"]) in classes)


def test_headline_sentence_says_it_in_plain_words(page, site_url: str, sample_site: Path) -> None:
    p = _provider_with_class(sample_site, "better", "worse", "as_expected")
    cls = _class_of(sample_site, p["provider_id"])
    fig = row(sample_site, p["provider_id"], POOLED, "work_or_studies")
    diff = row(sample_site, p["provider_id"], POOLED, "work_or_studies_vs_expected")
    everyone = row(sample_site, "all", POOLED, "work_or_studies")
    page.goto(site_url + f"en/provider/{p['provider_id']}.html")
    text = page.locator("#headline-work_or_studies").inner_text()
    assert (
        f"Of {fig['denominator']} customers who finished in 2023–2025, {fig['numerator']} "
        f"({fig['value']}%) went on to work or studies." in text
    )
    if len(p["services"]) == 1:
        # Set against all providers of its one service (verdicts.reference).
        (service,) = p["services"]
        same = row(sample_site, "all", POOLED, "work_or_studies", f"service={service}")
        assert f": {same['value']}%." in text and "For all providers of " in text
    else:
        # Several services: every service together, and no higher-or-lower verdict.
        assert f"For all providers, all services together: {everyone['value']}%." in text
        assert "clearly higher" not in text and "clearly lower" not in text
        assert "difference from all providers could be chance" not in text
    expected = int(fig["value"]) - int(diff["value"])
    assert f"Customers like theirs would be expected to reach about {expected}%." in text
    sentence, tag = {
        "better": ("That is better than expected", "Better than expected"),
        "worse": ("That is worse than expected", "Worse than expected"),
        "as_expected": ("could be chance", "No clear difference from expected"),
    }[cls]
    assert sentence in text
    cell = page.locator("tr.results-table__expected td").nth(1).inner_text()
    points = int(diff["value"])
    words = (f"{points} more out of 100" if points > 0 else
             f"{-points} fewer out of 100" if points < 0 else "As many as expected")
    assert words in cell
    assert tag in cell


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_language_has_the_sentences(lang: str, page, site_url: str, sample_site) -> None:
    p = _provider_with_class(sample_site, "as_expected")
    fig = row(sample_site, p["provider_id"], POOLED, "work_or_studies")
    prefix = "" if lang == LANGUAGES[0] else f"{lang}/"
    page.goto(site_url + f"{prefix}provider/{p['provider_id']}.html")
    text = page.locator("#headline-work_or_studies").inner_text()
    # Numbers as the language writes them (Babel), inside a translated sentence.
    assert fig["numerator"] in text and fig["denominator"] in text
    assert "Of " not in text or lang == "en"
    assert len(text) > 60


def test_chart_table_holds_the_same_numbers_as_the_open_data(
    page, site_url: str, sample_site: Path
) -> None:
    p = listed(sample_site)[0]
    page.goto(site_url + f"en/provider/{p['provider_id']}.html")
    tables = page.locator("table.chart-table")
    assert tables.count() >= 3
    checked = 0
    for i in range(tables.count()):
        table = tables.nth(i)
        indicator = table.get_attribute("data-indicator")
        for tr in table.locator("tbody tr").all():
            year = tr.get_attribute("data-year")
            cells = tr.locator("td")
            found = [
                r
                for r in rows(sample_site)
                if (r["provider_id"], r["year"], r["indicator"], r["breakdown"])
                == (p["provider_id"], year, indicator, "total")
            ]
            if not found:
                assert cells.nth(0).inner_text() == "No figures"
                continue
            r = found[0]
            if r["suppressed"] == "yes":
                assert cells.nth(0).inner_text() == HIDDEN_LABEL[r["reason"]]
                continue
            assert cells.nth(0).inner_text().startswith(f"{r['value']}%")
            assert cells.nth(1).inner_text() == f"{r['ci_low']}–{r['ci_high']}%"
            everyone = row(sample_site, "all", year, indicator)
            assert cells.nth(2).inner_text() == f"{everyone['value']}%"
            checked += 1
    assert checked >= 6


def test_charts_are_static_svg_without_script_and_with_text_around(
    page, site_url: str, sample_site: Path
) -> None:
    p = listed(sample_site)[0]
    html = (sample_site / "en" / "provider" / f"{p['provider_id']}.html").read_text()
    sources = re.findall(r'<div class="chart__image"><img src="([^"]+)" alt=""', html)
    assert sources
    for src in sources:
        svg = (sample_site / "en" / "provider" / src).resolve().read_text()
        assert svg.startswith("<svg") and "<script" not in svg and "<foreignObject" not in svg
        # Only numbers as text: years and percentages (language-neutral, no names).
        texts = re.findall(r"<text[^>]*>([^<]*)</text>", svg)
        assert texts and all(re.fullmatch(r"\d{4}|\d{1,3}%", t) for t in texts), texts
    # Every language shows the same files: one chart for all seven.
    sv = (sample_site / "provider" / f"{p['provider_id']}.html").read_text()
    assert [s.rsplit("/", 1)[1] for s in sources] == [
        s.rsplit("/", 1)[1] for s in re.findall(r'class="chart__image"><img src="([^"]+)"', sv)
    ]
    page.goto(site_url + f"en/provider/{p['provider_id']}.html")
    chart = page.locator("figure.chart").first
    assert chart.locator("img").evaluate("img => img.complete && img.naturalWidth > 0")
    assert chart.locator(".chart__title").inner_text()
    assert chart.locator(".chart__summary").inner_text().endswith(".")
    # The table is collapsed on screen but stays in the accessibility tree.
    data = chart.locator("[data-collapsible]")
    assert data.evaluate("el => el.getBoundingClientRect().width") <= 1
    tree = data.aria_snapshot()
    assert "caption:" in tree and "rowheader \"2025\"" in tree, tree
    chart.get_by_role("button", name="Show the numbers as a table").click()
    assert data.evaluate("el => el.getBoundingClientRect().width") > 100


def _dots(svg: str) -> list[tuple[float, float]]:
    """Centres of the provider's dots (the last symbol layer of the chart)."""
    group = re.findall(r'class="mark-symbol role-mark [^"]*"[^>]*>(.*?)</g>', svg, flags=re.S)[-1]
    return [(float(x), float(y)) for x, y in re.findall(r"translate\(([\d.]+),([\d.]+)\)", group)]


def test_suppressed_years_are_absent_from_the_chart_never_zero() -> None:
    from generator.outputs.charts import ChartData, Point, render_charts

    years = ("2021", "2022", "2023", "2024", "2025")
    reference = tuple(Point(y, 70) for y in years)
    with_gap = ChartData(years, (Point("2023", 60, 50, 70), Point("2025", 60, 55, 72)), reference)
    full = ChartData(years, tuple(Point(y, 60, 50, 70) for y in years), reference)
    gap_svg, full_svg = render_charts([with_gap, full])
    gap, every = _dots(gap_svg), _dots(full_svg)
    assert len(every) == 5 and len(gap) == 2
    # The two dots sit where 2023 and 2025 are, at the height of 60 %, not 0.
    assert [x for x, _ in gap] == [every[2][0], every[4][0]]
    assert {round(y) for _, y in gap} == {round(every[0][1])}
    assert all(y < 100 for _, y in gap)  # 0 % is at the bottom (y = 160)


def test_profile_table_and_people_like_me_without_javascript(
    browser, site_url: str, sample_site: Path
) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site_url + "en/like-me/index.html")
    page.get_by_role("link", name="Aged 20–24").click()
    assert page.locator("h1").inner_text() == "Results for customers: Aged 20–24"
    body = page.locator("table.group-table tbody tr")
    assert body.count() == len(listed(sample_site))
    # Each provider row shows the group's figure, or says plainly why it is not shown.
    names = {p["name"]: p["provider_id"] for p in listed(sample_site)}
    table = rows(sample_site)
    for tr in body.all():
        cell = tr.locator("td").nth(0).inner_text()
        key = (names[tr.locator("th").inner_text()], POOLED, "work_or_studies", "age_band=20-24")
        found = [
            r for r in table
            if (r["provider_id"], r["year"], r["indicator"], r["breakdown"]) == key
        ]
        if not found:
            assert cell == "No such customers."
        elif found[0]["suppressed"] == "no":
            assert cell.startswith(f"{found[0]['value']}%"), cell
        elif found[0]["reason"] == "secondary":
            assert cell == "Hidden to protect privacy"
        else:
            assert "Too few such customers" in cell
    first = body.first.locator("a")
    first.click()
    assert page.url.endswith("#profile-age-band-20-24")
    target = page.locator("#profile-age-band-20-24")
    assert target.locator("th").inner_text() == "Aged 20–24"
    context.close()


def test_people_like_me_combines_answers_and_follows_to_provider_pages(
    page, site_url: str, sample_site: Path
) -> None:
    page.goto(site_url + "en/like-me/index.html")
    page.get_by_label("Age", exact=True).select_option(label="Aged 25–29")
    page.get_by_label("Born abroad or in Sweden").select_option(label="Born abroad")
    page.get_by_role("button", name="Show results").click()
    table = page.locator("[data-like-me-results] table")
    table.wait_for()
    headers = table.locator("thead th").all_inner_texts()
    assert headers == ["Provider", "Aged 25–29", "Born abroad"]
    assert table.locator("tbody tr").count() == len(listed(sample_site))
    # The first provider is the one with the best reliable figure for the first group.
    first = table.locator("tbody tr").first
    pid = first.locator("a").get_attribute("href").rsplit("/", 1)[-1].removesuffix(".html")
    fig = row(sample_site, pid, POOLED, "work_or_studies", "age_band=25-29")
    assert fig["suppressed"] == "no" and fig["low_reliability"] == "no"
    best = max(
        int(r["value"])
        for r in rows(sample_site)
        if r["year"] == POOLED
        and r["indicator"] == "work_or_studies"
        and r["breakdown"] == "age_band=25-29"
        and r["provider_id"] in {p["provider_id"] for p in listed(sample_site)}
        and r["suppressed"] == "no"
        and r["low_reliability"] == "no"
    )
    assert int(fig["value"]) == best
    assert first.locator("td").first.inner_text().startswith(f"{best}%")
    # The provider page then shows the visitor's groups first.
    first.locator("a").click()
    box = page.locator("[data-like-me-box]")
    box.wait_for()
    text = box.inner_text()
    assert "Aged 25–29:" in text and "Born abroad:" in text
    assert f"{fig['value']}%" in text


def test_like_me_pages_have_no_violations_with_results(page, site_url: str) -> None:
    page.goto(site_url + "ar/like-me/index.html")
    page.locator("select").first.select_option(index=2)
    page.locator("button[type=submit]").click()
    page.locator("[data-like-me-results] table").wait_for()
    assert axe_violations(page) == []
    page.goto(site_url + "ar/provider/" + "orminge-jobbcoach.html")
    page.locator("[data-like-me-box]").wait_for()
    assert axe_violations(page) == []
