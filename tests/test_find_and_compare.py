"""Find and compare (issue 5): faceted search, the comparison of 2-4 providers,
the employer entrance, fact sheets, near me, and the site under a sub-folder.

Browser tests run in headless Chromium, in Swedish and Arabic, keyboard only
where a person would use the keyboard.
"""

from __future__ import annotations

import csv
import json
import random
import re
import sys
from pathlib import Path
from urllib.parse import urlparse

import pytest
from conftest import ROOT, axe_violations, serve

from generator.build.settings import load_settings
from generator.compute import registry
from generator.model.sitemodel import Figure
from generator.slugs import slugify

sys.path.insert(0, str(ROOT / "plugins"))
from comparison_pages.compare import (  # noqa: E402
    BY_SERVICE,
    TRANSIT_STEPS,
    difference_verdict,
    row_service,
)

from generator.model.ranking import search_sort_values, sort_providers  # noqa: E402

LANGUAGES: list[str] = load_settings()["LANGUAGES"]
POOLED, LATEST = "2023-2025", "2025"
browser_test = [pytest.mark.browser, pytest.mark.slow]


def prefix(lang: str) -> str:
    return "" if lang == LANGUAGES[0] else f"{lang}/"


def providers(site: Path) -> list[dict]:
    return json.loads((site / "data" / "providers.json").read_text(encoding="utf-8"))["providers"]


def listed(site: Path) -> list[dict]:
    return [p for p in providers(site) if p["status"] in ("active", "paused")]


def direction(site: Path, lang: str) -> str:
    head = (site / prefix(lang) / "index.html").read_text(encoding="utf-8")[:500]
    return re.search(r'<html [^>]*dir="(\w+)"', head).group(1)


def indicators(site: Path) -> list[dict[str, str]]:
    with (site / "data" / "indicators.csv").open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def figure(
    site: Path, pid: str, year: str, indicator: str, breakdown: str = "total"
) -> Figure | None:
    for r in indicators(site):
        if (r["provider_id"], r["year"], r["indicator"], r["breakdown"]) == (
            pid,
            year,
            indicator,
            breakdown,
        ):

            def num(v: str) -> int | None:
                return int(v) if v else None

            return Figure(
                indicator=indicator,
                period=year,
                value=num(r["value"]),
                ci_low=num(r["ci_low"]),
                ci_high=num(r["ci_high"]),
                numerator=num(r["numerator"]),
                denominator=num(r["denominator"]),
                suppressed=r["suppressed"] == "yes",
                reason=r["reason"],
                low_reliability=r["low_reliability"] == "yes",
            )
    return None


def in_district(p: dict, district: str) -> bool:
    return any(pr["district"] == district for pr in p["premises"])


# --- keyboard helpers ----------------------------------------------------------


def focused(page) -> dict:
    return page.evaluate(
        """() => { const el = document.activeElement; const s = getComputedStyle(el);
                   return { tag: el.tagName, type: el.type || '', name: el.name || '',
                            text: el.textContent.trim(), href: el.getAttribute('href') || '',
                            compare: el.dataset ? (el.dataset.compareId || '') : '',
                            remove: el.dataset ? (el.dataset.compareRemove || '') : '',
                            outline: s.outlineStyle, shadow: s.boxShadow }; }"""
    )


def tab_to(page, predicate, *, back: bool = False, limit: int = 120) -> dict:
    """Press Tab (or Shift+Tab) until the focused element matches; focus must be visible."""
    for _ in range(limit):
        page.keyboard.press("Shift+Tab" if back else "Tab")
        info = focused(page)
        assert info["outline"] != "none" or info["shadow"] != "none", f"focus not visible: {info}"
        if predicate(info):
            return info
    raise AssertionError("never reached by keyboard")


def choose_option(page, value: str) -> None:
    """With a <select> focused, move through its options with the arrow keys."""
    for _ in range(40):
        if page.evaluate("document.activeElement.value") == value:
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"option {value!r} not reached")


def result_ids(page) -> list[str]:
    return page.eval_on_selector_all(
        ".search__results input[data-compare-id]", "els => els.map(e => e.dataset.compareId)"
    )


def wait_for_count(page, count: int) -> None:
    """The result list and the announced count agree on `count`."""
    page.wait_for_function(
        """n => document.querySelectorAll('.search__results > li').length === n
               && new RegExp('(^|\\\\D)' + n + '(\\\\D|$)').test(
                    document.querySelector('.search__status').textContent)""",
        arg=count,
        timeout=10_000,
    )


# --- rules, without a browser ----------------------------------------------------


def fig(value: int | None, low: int | None, high: int | None, *, few: bool = False,
        suppressed: bool = False) -> Figure:
    return Figure("satisfied_end", POOLED, value, low, high, None, 100, suppressed,
                  "fewer_than_k" if suppressed else "", few)


def counted(x: int, n: int, *, few: bool = False) -> Figure:
    return Figure("satisfied_end", POOLED, round(100 * x / n), 0, 100, x, n, False, "", few)


def test_difference_verdict_tests_counts_not_overlapping_intervals() -> None:
    # 60 % vs 74 % of 100: the rounded intervals overlap (50-69, 65-82), the
    # Newcombe interval of the difference does not reach 0.
    assert difference_verdict([counted(74, 100), counted(60, 100)]) == "real"
    assert difference_verdict([counted(70, 100), counted(62, 100)]) == "chance"
    # Eight alike but for chance: the highest and the lowest of eight differ by
    # about what picking them gives, and the homogeneity test says so.
    alike = [counted(x, 100) for x in (60, 62, 65, 66, 68, 70, 71, 74)]
    assert difference_verdict(alike) == "chance"
    assert difference_verdict([*alike[:7], counted(90, 100)]) == "real"
    # Hidden figures and figures with few answers never take part.
    hidden = fig(None, None, None, suppressed=True)
    assert difference_verdict([counted(80, 100), hidden]) == "few"
    assert difference_verdict([counted(80, 100), counted(2, 10, few=True)]) == "few"
    assert difference_verdict([counted(80, 100), counted(2, 10, few=True), None]) == "few"


def test_the_difference_rules_are_statsmodels_and_scipy_tests() -> None:
    """Newcombe's interval, the chi-square homogeneity test and Holm's
    adjustment, checked against statsmodels and scipy on random counts."""
    import numpy as np
    from scipy.stats import chi2_contingency
    from statsmodels.stats.multitest import multipletests
    from statsmodels.stats.proportion import confint_proportions_2indep

    from generator.model import differences

    rng = np.random.default_rng(12)
    for i in range(200):
        n1, n2 = rng.integers(20, 300, size=2)
        x1, x2 = rng.binomial(n1, rng.uniform(0.2, 0.9)), rng.binomial(n2, rng.uniform(0.2, 0.9))
        low, high = differences._newcombe(differences.Share(x1, n1), differences.Share(x2, n2))
        theirs = confint_proportions_2indep(x1, n1, x2, n2, method="newcomb", compare="diff")
        assert (low, high) == pytest.approx(theirs, abs=1e-9)
        if i % 10:
            continue  # statsmodels takes 50 ms per Holm adjustment
        p_values = rng.uniform(0, 0.2, size=6).tolist()
        assert differences._holm(p_values) == pytest.approx(
            multipletests(p_values, method="holm")[1].tolist()
        )
    shares = [differences.Share(x, 100) for x in (55, 60, 72, 64)]
    table = [[s.successes, s.trials - s.successes] for s in shares]
    statistic = chi2_contingency(table, correction=False)[0]
    pooled = sum(s.successes for s in shares) / 400
    ours = sum((s.successes - 100 * pooled) ** 2 / (100 * pooled * (1 - pooled)) for s in shares)
    assert ours == pytest.approx(statistic)


def test_work_or_studies_is_compared_on_its_case_mix_adjusted_row() -> None:
    up = Figure("work_or_studies_vs_expected", POOLED, 12, 4, 20, 80, 100, False, "", False)
    down = Figure("work_or_studies_vs_expected", POOLED, -10, -18, -2, 50, 100, False, "", False)
    same = Figure("work_or_studies_vs_expected", POOLED, 2, -8, 12, 60, 100, False, "", False)
    assert difference_verdict([up, down]) == "real"
    assert difference_verdict([up, same]) == "chance"


def test_a_service_comparison_uses_figures_by_service_where_there_are_any() -> None:
    by_service = {"satisfied_end", "satisfied_4w", "work_or_studies", "self_sufficient_6m",
                  "into_work", "into_studies"}
    assert by_service == BY_SERVICE
    assert row_service("pooled:work_or_studies", "sfi") == "sfi"
    assert row_service("latest:into_studies", "sfi") == "sfi"
    assert row_service("latest:satisfied_end", "sfi") == "sfi"
    assert row_service("pooled:passed", "sfi") is None
    assert row_service("pooled:work_or_studies_vs_expected", "sfi") is None
    assert row_service("pooled:work_or_studies", None) is None


def test_search_order_places_hidden_figures_last_never_as_zero() -> None:
    """The search sorts by values that order providers as the pre-rendered lists do."""
    from generator.build.pipeline import BuildReport, check, compute
    from generator.protect import proofstore

    # The proof kept by the session's sample build (or kept for it): not proved again.
    proofs = proofstore.default_folder()
    _table, model = compute(check(ROOT / "data"), load_settings(), BuildReport(), proofs)
    before = search_sort_values(model)
    a, b, c, d = model.listed[:4]
    figures = {
        a.id: fig(10, 5, 20),  # reliable, low
        b.id: fig(100, 60, 100, few=True),  # few answers: never above a reliable figure
        c.id: fig(None, None, None, suppressed=True),  # hidden: last, never as 0
        d.id: None,  # no figure at all: last too
    }
    for p in (a, b, c, d):
        period = dict(p.figures.get(POOLED, {}))
        period.pop("satisfied_end", None)
        if figures[p.id] is not None:
            period["satisfied_end"] = figures[p.id]
        p.figures = {**p.figures, POOLED: period}
    values = search_sort_values(model)
    assert set(values) == {p.id for p in model.listed}, "every listed provider has a value"
    places = {pid: own["satisfied_end"] for pid, own in values.items()}
    assert len(set(places.values())) == len(places)
    assert len({len(v) for v in places.values()}) == 1, "fixed width: numeric = text order"
    order = sorted(places, key=places.get)
    everyone = model.all_figures[POOLED]["satisfied_end"]
    assert order == [
        p.id for p in sort_providers(model.listed, "satisfied_end", POOLED, everyone)
    ]
    # Hidden and missing figures come after every figure shown, whatever their place.
    unshown = {
        p.id
        for p in model.listed
        if (f := p.figures.get(POOLED, {}).get("satisfied_end")) is None or not f.shown
    }
    assert {c.id, d.id} <= unshown
    assert set(order[-len(unshown):]) == unshown
    assert order.index(a.id) < order.index(b.id) < len(order) - len(unshown)
    # A provider's values are its own: the others' pages need not change with it.
    others = {pid for pid in values if pid not in figures}
    assert {pid: values[pid] for pid in others} == {pid: before[pid] for pid in others}


def test_every_listed_provider_has_a_place_in_every_order_and_deauthorised_none(
    sample_site: Path,
) -> None:
    """Pagefind only finds a page in a sort order if it carries a place in it."""
    for p in providers(sample_site):
        html = (sample_site / "provider" / f"{p['provider_id']}.html").read_text("utf-8")
        keys = set(re.findall(r'data-pagefind-sort="([\w-]+)\[', html))
        if p["status"] == "deauthorised":
            assert "data-pagefind-body" not in html and not keys
        else:
            # Each of its services' figures too, for a search narrowed to one service.
            by_service = {"satisfied_end", "work_or_studies", "self_sufficient_6m"}
            assert keys == {"name", *by_service, "passed"} | {
                f"{key}__{service}" for key in by_service for service in p["services"]
            }, p["provider_id"]


def test_every_link_is_relative(sample_site: Path) -> None:
    """Served from any sub-folder: no root-absolute or site-absolute link or asset."""
    absolute = re.compile(r'\b(?:href|src|action|data-[a-z-]+)="(/[^"]*)"')
    bad = []
    for page in sample_site.rglob("*.html"):
        bad += [f"{page.relative_to(sample_site)}: {m}" for m in absolute.findall(
            page.read_text("utf-8"))]
    for data in (sample_site / "compare").glob("*.json"):
        cells = json.loads(data.read_text("utf-8"))
        assert not cells["url"].startswith("/")
        columns = [cells, *cells["services"].values()]
        bad += [f"{data.name}: {m}" for column in columns for c in column["cells"].values()
                for m in absolute.findall(c)]
    assert not bad, bad[:10]


def test_comparison_tables_per_service_without_javascript(sample_site: Path) -> None:
    column = re.compile(
        r'<th scope="col"><a class="provider-name" dir="auto" '
        r'href="[^"]*provider/([a-z0-9-]+)\.html"'
    )
    for lang in ("sv", "ar"):
        for code in ("sfi", "jobbcoachning", "praktik"):
            folder = sample_site / prefix(lang) / "compare"
            # A long comparison is split into pages of COMPARE_PAGE_SIZE providers.
            pages = [folder / f"service-{code}.html"] + sorted(
                folder.glob(f"service-{code}-page-*.html")
            )
            wanted = {p["provider_id"] for p in listed(sample_site) if code in p["services"]}
            seen: list[str] = []
            for page in pages:
                html = page.read_text("utf-8")
                tables = html.count('<table class="compare-table')
                columns = column.findall(html)
                on_page = len(columns) // 6
                # Every provider on the page in every table.
                assert tables == 6 and len(columns) == tables * on_page
                assert 0 < on_page <= load_settings()["COMPARE_PAGE_SIZE"]
                seen += columns[:on_page]
                # A verdict under every row of shares; grades are left out
                # where they apply to no provider on the page.
                share_rows = re.findall(
                    r'<tr data-row="(?:pooled|latest):(' + "|".join(registry.SHARES) + r')"', html)
                at_least = 2 * (len(registry.SHARES) - 1)  # every share but grades, both periods
                assert html.count("data-verdict") == len(share_rows) >= at_least
                assert "<script" not in html.split("</main>")[0]
                # The result rows with figures by service are this service's
                # customers' figures; the others say they count all services.
                for row in re.findall(r'<tr data-row="(?:pooled|latest):[^"]+">.*?</tr>', html,
                                      re.S):
                    indicator = re.match(r'<tr data-row="\w+:(\w+)"', row).group(1)
                    groups = set(re.findall(r'data-fig="[^"|]+\|[^"|]+\|[^"|]+\|([^"]+)"', row))
                    if indicator in BY_SERVICE:
                        assert groups <= {f"service={code}"}, (page.name, indicator, groups)
                    else:
                        assert groups <= {"total"}, (page.name, indicator, groups)
                        assert lang != "sv" or "alla tjänster" in row.split("</th>")[0]
            # Every listed provider of the service once, and nobody else.
            assert sorted(seen) == sorted(wanted)


# --- in the browser ----------------------------------------------------------------


@pytest.mark.parametrize("lang", ["sv", "ar"])
@pytest.mark.browser
@pytest.mark.slow
def test_search_filter_choose_and_compare_with_the_keyboard_only(
    lang: str, page, browser, site_url: str, sample_site: Path
) -> None:
    assert lang in LANGUAGES, "the journey is walked in Swedish and in Arabic (right to left)"
    everyone = listed(sample_site)
    sfi = [p for p in everyone if "sfi" in p["services"]]
    # A district with some but not all SFI providers, so a filter must narrow the list.
    district = min(
        {pr["district"] for p in sfi for pr in p["premises"]},
        key=lambda d: (sum(in_district(p, d) for p in sfi), d),
    )
    narrowed = {p["provider_id"] for p in sfi if in_district(p, district)}
    slug = slugify(district)

    page.goto(site_url + prefix(lang) + "search.html")
    assert page.locator("html").get_attribute("dir") == ("rtl" if lang == "ar" else "ltr")
    # 1. Search for "sfi", typed.
    tab_to(page, lambda i: i["tag"] == "INPUT" and i["type"] == "search")
    page.keyboard.type("sfi")
    page.locator(".search__results > li").first.wait_for(timeout=10_000)
    found = set(result_ids(page))
    assert {p["provider_id"] for p in sfi} <= found, "every SFI provider is found"
    wait_for_count(page, len(found))
    assert page.locator(".search__status").get_attribute("role") == "status"

    # 2. A district filter narrows the result; the announced count matches the list.
    tab_to(page, lambda i: i["tag"] == "SELECT" and i["name"] == "district")
    choose_option(page, slug)
    wait_for_count(page, len(narrowed))
    assert set(result_ids(page)) == narrowed and len(narrowed) < len(found)
    assert f"district={slug}" in page.url and "q=sfi" in page.url

    # Back to every district, then choose three providers with the space bar.
    page.keyboard.press("Home")
    wait_for_count(page, len(found))
    chosen = []
    for _ in range(3):
        info = tab_to(page, lambda i: bool(i["compare"]) and i["compare"] not in chosen)
        page.keyboard.press("Space")
        chosen.append(info["compare"])
    assert page.locator(".search__results input:checked").count() == 3

    # 3. To the comparison, through the shortlist's link (behind us: Shift+Tab).
    tab_to(page, lambda i: i["tag"] == "A" and "compare.html?p=" in i["href"], back=True)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert urlparse(page.url).path.endswith("/" + prefix(lang) + "compare.html")
    assert urlparse(page.url).query == "p=" + ",".join(chosen)
    heads = page.locator(".compare-section").first.locator("thead th a")
    heads.nth(2).wait_for(timeout=10_000)
    names = {p["provider_id"]: p["name"] for p in everyone}
    assert heads.all_inner_texts() == [names[i] for i in chosen]

    # 4. The address alone restores the choice: reload, and open it in a fresh browser.
    comparison = page.url
    page.reload()
    page.locator(".compare-section thead th a").nth(2).wait_for(timeout=10_000)
    assert page.locator(".compare-section").first.locator("thead th a").all_inner_texts() == [
        names[i] for i in chosen
    ]
    fresh = browser.new_context()
    try:
        other = fresh.new_page()
        other.goto(comparison)
        other.locator(".compare-section thead th a").nth(2).wait_for(timeout=10_000)
        assert other.evaluate("localStorage.length") == 0
        assert other.locator(".compare-section").first.locator(
            "thead th a").all_inner_texts() == [names[i] for i in chosen]
    finally:
        fresh.close()

    # The plain "is this difference real?" sentence follows the intervals (same rule
    # as the pre-built tables), for every row of shares.
    verdicts = page.eval_on_selector_all(
        "tr[data-row] [data-verdict]", "els => els.map(e => [e.closest('tr').dataset.row, "
        "e.dataset.verdict, e.textContent.trim()])")
    assert len(verdicts) == 2 * len(registry.SHARES)  # every share, both periods
    for row, verdict, text in verdicts:
        period, _, indicator = row.partition(":")
        year = POOLED if period == "pooled" else LATEST
        if indicator == "work_or_studies":  # judged on its case-mix-adjusted row
            indicator = "work_or_studies_vs_expected"
        expected = difference_verdict(figure(sample_site, i, year, indicator) for i in chosen)
        assert verdict == expected, row
        assert text

    # difference.js gives the Python's verdict on random rows of two to eight
    # shares and of compared-with-expected points.
    rng = random.Random(lang)
    cases = []
    for _ in range(400):
        k = rng.randint(2, 8)
        if rng.random() < 0.25:
            points = [
                (v, v - h, v + h)
                for v, h in ((rng.randint(-25, 25), rng.randint(3, 15)) for _ in range(k))
            ]
            cases.append([{"value": v, "low": lo, "high": hi, "points": True}
                          for v, lo, hi in points])
        else:
            rows = []
            for _ in range(k):
                n = rng.randint(20, 400)
                rows.append({"x": rng.randint(0, n), "n": n})
            cases.append(rows)
    found = page.evaluate("cases => cases.map(c => window.differenceVerdict(c))", cases)
    for case, verdict in zip(cases, found, strict=True):
        if case[0].get("points"):
            figures = [
                Figure("work_or_studies_vs_expected", POOLED, f["value"], f["low"], f["high"],
                       None, 100, False, "", False)
                for f in case
            ]
        else:
            figures = [counted(f["x"], f["n"]) for f in case]
        assert verdict == difference_verdict(figures), case

    # 5. Remove one with the keyboard: the address follows, focus stays in the table.
    page.locator("main").focus()
    tab_to(page, lambda i: i["remove"] == chosen[0])
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.querySelectorAll("
                           "'.compare-section:first-of-type thead th').length === 2")
    assert urlparse(page.url).query == "p=" + ",".join(chosen[1:])
    assert focused(page)["remove"] == chosen[1]


@pytest.mark.browser
@pytest.mark.slow
def test_sorting_by_a_figure_puts_hidden_figures_last(page, site_url: str, sample_site: Path):
    # 0 hidden or missing, 1 few answers, 2 reliable. The sample's pooled figures
    # have no few-answer tier left (disclosure control hides those small
    # providers' figures); where one goes is checked in
    # test_search_order_places_hidden_figures_last_never_as_zero.
    key, tiers_in_sample = "passed", {0, 2}
    everyone = listed(sample_site)

    def tier(pid: str) -> int:
        f = figure(sample_site, pid, POOLED, key)
        return 0 if f is None or f.suppressed else (1 if f.low_reliability else 2)

    tiers = [tier(p["provider_id"]) for p in everyone]
    assert set(tiers) == tiers_in_sample

    page.goto(site_url + f"en/search.html?sort={key}")
    wait_for_count(page, 20)
    page.get_by_role("button", name="Show more results").click()
    wait_for_count(page, len(everyone))
    order = result_ids(page)
    assert sorted(order) == sorted(p["provider_id"] for p in everyone), "nobody left out"
    seen = [tier(pid) for pid in order]
    assert seen == sorted(seen, reverse=True), seen
    # Reliable figures in bands against all providers' figure, by name within each.
    everyone_fig = figure(sample_site, "all", POOLED, key)
    names = {p["provider_id"]: p["name"].casefold() for p in everyone}

    def band(pid: str) -> int:
        f = figure(sample_site, pid, POOLED, key)
        return 0 if everyone_fig.value < f.ci_low else 2 if everyone_fig.value > f.ci_high else 1

    reliable = [(band(pid), names[pid]) for pid in order if tier(pid) == 2]
    assert reliable == sorted(reliable)


@pytest.mark.browser
@pytest.mark.slow
def test_one_service_chosen_in_search_comparison_and_people_like_me(
    page, site_url: str, sample_site: Path
):
    """Where a visitor chooses a service, the figures, the order and the verdicts
    are that service's, and only its providers are listed."""
    everyone = listed(sample_site)
    # The service with most providers that also offer something else: their
    # figures for it differ from their figures for all services.
    service = max(
        {s for p in everyone for s in p["services"]},
        key=lambda s: (sum(s in p["services"] and len(p["services"]) > 1 for p in everyone), s),
    )
    offering = [p for p in everyone if service in p["services"]]
    label = f"service={service}"

    def own(pid: str, key: str = "work_or_studies") -> Figure | None:
        return figure(sample_site, pid, POOLED, key, label)

    # Search: its providers only, each showing its figure for the service, banded
    # against all providers' figure for the service, hidden last.
    page.goto(site_url + f"en/search.html?service={service}&sort=work_or_studies")
    wait_for_count(page, len(offering))
    order = result_ids(page)
    assert sorted(order) == sorted(p["provider_id"] for p in offering)
    service_name = page.locator("#search-service option:checked").inner_text()
    scopes = page.locator(".search-result__scope").all_inner_texts()
    assert scopes and all(service_name in text for text in scopes), scopes
    everyone_fig = figure(sample_site, "all", POOLED, "work_or_studies", label)

    def place(pid: str) -> tuple[int, str]:
        f = own(pid)
        if f is None or not f.shown:
            return (4, "")
        if f.low_reliability:
            return (3, "")
        return (0 if everyone_fig.value < f.ci_low else 2 if everyone_fig.value > f.ci_high
                else 1, "")
    assert [place(pid) for pid in order] == sorted(place(pid) for pid in order)
    shown = [(pid, own(pid)) for pid in order if own(pid) is not None and own(pid).shown]
    assert shown, "some figure for the service is published"
    for pid, f in shown:
        card = page.locator(".search-result").nth(order.index(pid))
        value = card.locator("[data-figure='work_or_studies'] .figure__value").inner_text()
        assert re.match(rf"{f.value}\D{{0,3}}[%٪]", value), (pid, value, f.value)

    # Comparison "for" the service: its figures, "does not offer" for a provider
    # without it, the verdict on the service's counts, and the choice in the address.
    other = next(p for p in everyone if service not in p["services"])
    chosen = [p["provider_id"] for p in offering[:2]] + [other["provider_id"]]
    page.goto(site_url + f"en/compare.html?p={','.join(chosen)}&s={service}")
    row = page.locator("tr[data-row='pooled:work_or_studies']")
    row.locator("td").nth(2).wait_for(timeout=10_000)
    assert page.locator("#compare-for").input_value() == service
    cells = row.locator("td").all_inner_texts()
    assert "Does not offer this service" in cells[2]
    for pid, text in zip(chosen[:2], cells, strict=False):
        f = own(pid)
        if f is not None and f.shown:
            assert re.search(rf"{f.value}\D{{0,3}}[%٪]", text), (pid, text)
    verdict = row.locator("[data-verdict]").get_attribute("data-verdict")
    assert verdict == difference_verdict(own(pid) for pid in chosen[:2])
    assert row.locator("[data-adjusted]").count() == 0, "the raw service figures are judged"
    page.select_option("#compare-for", "")
    page.wait_for_function("() => !location.search.includes('s=')")
    row = page.locator("tr[data-row='pooled:work_or_studies']")
    assert "Does not offer this service" not in row.inner_text()
    assert row.locator("[data-verdict]").get_attribute("data-verdict") == difference_verdict(
        figure(sample_site, pid, POOLED, "work_or_studies_vs_expected") for pid in chosen
    )

    # People like me: choosing the service lists only its providers.
    page.goto(site_url + "en/like-me/index.html")
    page.select_option("#like-me-service", label)
    page.get_by_role("button", name="Show results").click()
    rows = page.locator("[data-like-me-results] tbody tr")
    rows.first.wait_for()
    names = {p["name"] for p in offering}
    assert sorted(rows.locator("th").all_inner_texts()) == sorted(names)


@pytest.mark.browser
@pytest.mark.slow
def test_facets_language_access_sector_and_near_me(page, site_url: str, sample_site: Path):
    everyone = listed(sample_site)

    def expect(params: str, wanted: set[str]) -> None:
        page.goto(site_url + "en/search.html?" + params)
        wait_for_count(page, len(wanted))
        if len(wanted) > 20:
            page.get_by_role("button", name="Show more results").click()
            wait_for_count(page, len(wanted))
        assert set(result_ids(page)) == wanted, params

    expect("language=ti&step_free=yes", {
        p["provider_id"] for p in everyone if "ti" in p["staff_languages"]
        and any(pr["step_free_access"] == "yes" for pr in p["premises"])})
    expect("hearing_loop=yes&service=jobbcoachning", {
        p["provider_id"] for p in everyone if "jobbcoachning" in p["services"]
        and any(pr["hearing_loop"] for pr in p["premises"])})
    expect("sector=bygg", {p["provider_id"] for p in everyone if "bygg" in p["employer_sectors"]})
    near = TRANSIT_STEPS[1]
    expect(f"transit={near}", {
        p["provider_id"] for p in everyone
        if any((pr["transit_stop_m"] or 10**6) <= near for pr in p["premises"])})
    # Near me: the premises in the district must be the one near a stop.
    expect(f"district=orminge&transit={near}", {
        p["provider_id"] for p in everyone
        if any(pr["district"] == "Orminge" and (pr["transit_stop_m"] or 10**6) <= near
               for pr in p["premises"])})


@pytest.mark.browser
@pytest.mark.slow
def test_choose_from_the_list_a_provider_page_and_the_employer_entrance(
    page, site_url: str, sample_site: Path
):
    everyone = listed(sample_site)
    page.goto(site_url + "en/providers/index.html")
    boxes = page.get_by_role("checkbox", name=re.compile("^Compare "))
    assert boxes.count() == len(everyone)
    boxes.nth(0).check()
    first = boxes.nth(0).get_attribute("data-compare-id")
    # On a provider page the same choice shows, and can be extended.
    other = next(p for p in everyone if p["provider_id"] != first)
    page.goto(site_url + f"en/provider/{other['provider_id']}.html")
    box = page.get_by_role("checkbox", name=f"Compare {other['name']}")
    assert not box.is_checked()
    box.check()
    assert page.locator(".shortlist__names li").count() == 2
    # The employer entrance: the shortlist is there too; a fifth is refused.
    page.goto(site_url + "en/employers.html")
    cards = page.locator(".employer-card input[data-compare-id]:not(:checked)")
    cards.nth(0).check()
    cards.nth(0).check()
    assert page.locator(".shortlist__names li").count() == 4
    fifth = cards.nth(0).get_attribute("data-compare-id")
    cards.nth(0).click()
    assert page.locator(".shortlist__names li").count() == 4
    assert "at most 4" in page.locator(".shortlist__status").inner_text()
    assert not page.locator(f"input[data-compare-id='{fifth}']").is_checked()
    page.get_by_role("link", name="Compare side by side").click()
    page.locator(".compare-section thead th a").nth(3).wait_for(timeout=10_000)
    assert len(urlparse(page.url).query.removeprefix("p=").split(",")) == 4

    # A deauthorised provider is never compared, even when its id is in the address.
    gone = next(p for p in providers(sample_site) if p["status"] == "deauthorised")
    ids = [gone["provider_id"], everyone[0]["provider_id"], everyone[1]["provider_id"]]
    page.goto(site_url + "en/compare.html?p=" + ",".join(ids))
    page.locator(".compare-section thead th a").nth(1).wait_for(timeout=10_000)
    assert page.locator(".compare-section").first.locator("thead th").count() == 2
    assert gone["provider_id"] in page.locator(".compare-status").inner_text()
    assert gone["name"] not in page.locator("[data-compare-tables]").inner_text()
    assert urlparse(page.url).query == "p=" + ",".join(ids[1:])


@pytest.mark.browser
@pytest.mark.slow
def test_employer_entrance_by_sector_and_service(page, site_url: str, sample_site: Path):
    everyone = listed(sample_site)
    for lang in LANGUAGES:
        assert (sample_site / prefix(lang) / "employers" / "sector-bygg.html").exists()
        assert (sample_site / prefix(lang) / "employers" / "service-larling.html").exists()
    page.goto(site_url + "ar/employers/sector-bygg.html")
    cards = page.locator(".employer-card")
    bygg = [p for p in everyone if "bygg" in p["employer_sectors"]]
    assert cards.count() == len(bygg)
    for p in bygg:
        card = cards.filter(has=page.get_by_role("link", name=p["name"], exact=True))
        text = card.inner_text()
        f = figure(sample_site, p["provider_id"], POOLED, "self_sufficient_6m")
        if f and f.shown:
            assert re.search(rf"{f.value}\D{{0,3}}[%٪]", text), text
        if p["phone"]:
            assert p["phone"] in text
        assert card.locator("a[href*='factsheet/']").count() == 1
    # Combining a sector and a service with JavaScript, and the count follows.
    page.goto(site_url + "en/employers.html")
    page.get_by_role("combobox", name="Your sector").select_option("bygg")
    page.get_by_role("combobox", name="What you are looking for").select_option("larling")
    wanted = [p for p in bygg if "larling" in p["services"]]
    assert page.locator(".employer-card:visible").count() == len(wanted)
    assert page.locator(".result-count").inner_text() == f"Providers shown: {len(wanted)}"


@pytest.mark.parametrize("lang", ["sv", "ar"])
@pytest.mark.browser
@pytest.mark.slow
def test_fact_sheet_and_comparison_print(lang: str, page, site_url: str, sample_site: Path):
    everyone = listed(sample_site)
    busiest = max(everyone, key=lambda p: (len(p["premises"]), len(p["services"])))
    page.goto(site_url + prefix(lang) + f"factsheet/{busiest['provider_id']}.html")
    page.emulate_media(media="print")
    assert not page.locator(".main-nav").is_visible()
    assert page.locator(".factsheet .help--print").is_visible(), "what the ranges mean"
    pdf = page.pdf(format="A4", prefer_css_page_size=True)
    assert pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages") == 1, "one page"

    chosen = ",".join(p["provider_id"] for p in everyone[:4])
    page.emulate_media(media="screen")
    page.goto(site_url + prefix(lang) + f"compare.html?p={chosen}")
    page.locator(".compare-section thead th a").nth(3).wait_for(timeout=10_000)
    printed_from = page.locator(".compare-printed-from")
    assert not printed_from.is_visible()
    page.emulate_media(media="print")
    assert not page.locator(".compare-remove").first.is_visible()
    assert not page.locator(".shortlist").is_visible()
    instructions = page.locator("main button:visible, main .help:visible, .compare-intro:visible")
    assert instructions.count() == 0
    # Paper keeps the choice only in the printed address, and a link only in its address.
    assert printed_from.is_visible() and page.url in printed_from.inner_text()
    assert f"p={chosen}" in page.url
    website = page.locator("tr[data-row='website'] td a[href^='http']").first
    after = website.evaluate("a => getComputedStyle(a, '::after').content")
    assert website.get_attribute("href") in after
    pdf = page.pdf(prefer_css_page_size=True)
    box = re.search(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", pdf)
    assert box and float(box.group(1)) > float(box.group(2)), "landscape"

    # Every fact sheet in the languages written this way fits on one A4 page. Each is
    # laid out at the width of the printed page inside one loaded sheet (a page load
    # per sheet would cost half a minute), and the tallest is then printed for real.
    sheets = [
        f"{site_url}{prefix(other)}factsheet/{f.name}"
        for other in LANGUAGES
        if direction(sample_site, other) == direction(sample_site, lang)
        for f in sorted((sample_site / prefix(other) / "factsheet").glob("*.html"))
    ]
    mm = 96 / 25.4
    page.set_viewport_size({"width": int(180 * mm), "height": 100})  # A4 less 15 mm margins
    page.goto(sheets[0])
    heights = page.evaluate("""async (urls) => {
      const heights = {};
      for (const url of urls) {
        const html = await (await fetch(url)).text();
        const doc = new DOMParser().parseFromString(html, "text/html");
        document.documentElement.lang = doc.documentElement.lang;
        document.querySelector("main").replaceWith(doc.querySelector("main"));
        void document.documentElement.scrollHeight; // lay out, so its fonts start loading
        await document.fonts.ready;
        heights[url] = document.documentElement.scrollHeight;
      }
      return heights;
    }""", sheets)
    assert len(heights) > len(everyone)
    too_tall = {url: h for url, h in heights.items() if h > 267 * mm}
    assert not too_tall, too_tall
    page.goto(max(heights, key=heights.get))
    pdf = page.pdf(format="A4", prefer_css_page_size=True)
    assert pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages") == 1, "the tallest on one page"


@pytest.mark.parametrize("lang", ["sv", "ar"])
@pytest.mark.browser
@pytest.mark.slow
def test_no_wcag_violations_in_filled_search_and_comparison(
    lang: str, page, site_url: str, sample_site: Path
):
    everyone = listed(sample_site)
    chosen = ",".join(p["provider_id"] for p in everyone[:4])
    page.goto(site_url + prefix(lang) + f"compare.html?p={chosen}")
    page.locator(".compare-section thead th a").nth(3).wait_for(timeout=10_000)
    page.goto(site_url + prefix(lang) + "search.html?q=sfi&transit=800")
    page.locator(".search__results > li").first.wait_for(timeout=10_000)
    page.locator(".search__results input[data-compare-id]").first.check()
    failures = []
    for url in (page.url, site_url + prefix(lang) + f"compare.html?p={chosen}"):
        page.goto(url)
        page.wait_for_selector(".search__results > li, .compare-section thead th a")
        failures += [f"{url}: {v['id']} {[n['target'] for n in v['nodes'][:3]]}"
                     for v in axe_violations(page)]
    assert not failures, failures
    page.set_viewport_size({"width": 320, "height": 640})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320


@pytest.mark.browser
@pytest.mark.slow
def test_works_under_a_sub_folder_and_measures_the_first_query(
    browser, sample_site: Path, record_property
) -> None:
    server, base = serve(sample_site, "/jamfor/")
    context = browser.new_context()
    try:
        page = context.new_page()
        requests: list[str] = []
        failed: list[str] = []
        pagefind_bytes: dict[str, int] = {}
        page.on("request", lambda r: requests.append(r.url))
        page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400
                else None)

        def count_bytes(response) -> None:
            if "/pagefind/" in response.url:
                pagefind_bytes[response.url] = len(response.body())

        page.on("response", count_bytes)
        page.goto(base)
        page.get_by_role("link", name="Sök", exact=True).first.click()
        page.get_by_label("Namn, tjänst eller område").fill("sfi")
        page.locator(".search__results > li").first.wait_for(timeout=10_000)
        page.wait_for_load_state("networkidle")
        first_query = sum(pagefind_bytes.values())
        record_property("first_query_pagefind_bytes", first_query)
        print(f"\nFirst search query transferred {first_query} bytes of Pagefind files "
              f"in {len(pagefind_bytes)} responses")
        assert 0 < first_query < 300_000

        page.get_by_role("combobox", name="Område", exact=True).select_option("fisksatra")
        in_fisksatra = [p for p in listed(sample_site)
                        if "sfi" in p["services"] and in_district(p, "Fisksätra")]
        assert len(in_fisksatra) >= 2
        wait_for_count(page, len(in_fisksatra))
        for box in page.locator(".search__results input[data-compare-id]").all()[:2]:
            box.check()
        page.get_by_role("link", name="Jämför bredvid varandra").click()
        page.locator(".compare-section thead th a").nth(1).wait_for(timeout=10_000)
        assert urlparse(page.url).path == "/jamfor/compare.html"
        chosen = urlparse(page.url).query
        # The shortlist kept for this site (under /jamfor/) fills an empty comparison.
        page.goto(base + "en/compare.html")
        page.locator(".compare-section thead th a").nth(1).wait_for(timeout=10_000)
        assert urlparse(page.url).query == chosen
        page.locator(".compare-section thead th a").first.click()
        assert urlparse(page.url).path.startswith("/jamfor/en/provider/")
        page.get_by_role("link", name="Fact sheet to print").click()
        assert urlparse(page.url).path.startswith("/jamfor/en/factsheet/")
        page.goto(base + "ar/employers.html")
        page.locator(".employer-card a").first.click()
        assert urlparse(page.url).path.startswith("/jamfor/ar/provider/")
        assert not failed, failed
        outside = [u for u in requests if not u.startswith(base)]
        assert not outside, outside
    finally:
        context.close()
        server.shutdown()
