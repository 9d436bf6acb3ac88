"""axe-core (from axe-playwright-python, no download) on every page template and language."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe

pytestmark = [pytest.mark.browser, pytest.mark.slow]

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
LANG_PREFIXES = {"sv": "", "en": "en/"}


def template_pages(site: Path) -> dict[str, str]:
    """One page per template: start, lists, provider pages of each status, search, editorial."""
    providers = json.loads((site / "data" / "providers.json").read_text(encoding="utf-8"))[
        "providers"
    ]
    pages = {
        "start": "index.html",
        "list": "providers/index.html",
        "list-sorted": "providers/all-by-work-or-studies.html",
        "search": "search.html",
        "employers": "employers.html",
        "methodology": "methodology.html",
        "open-data": "open-data.html",
    }
    for status in ("active", "paused", "deauthorised"):
        p = next((p for p in providers if p["status"] == status), None)
        if p:
            pages[f"provider-{status}"] = f"provider/{p['provider_id']}.html"
    return pages


@pytest.fixture(scope="module")
def axe() -> Axe:
    return Axe()


@pytest.mark.parametrize("lang", sorted(LANG_PREFIXES))
def test_no_wcag_violations(lang: str, page, site_url: str, sample_site: Path, axe: Axe) -> None:
    failures = []
    for name, path in template_pages(sample_site).items():
        page.goto(site_url + LANG_PREFIXES[lang] + path)
        results = axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
        for v in results.response["violations"]:
            targets = [n["target"] for n in v["nodes"][:3]]
            failures.append(f"{lang} {name}: {v['id']} ({v['impact']}) {targets}")
    assert not failures, "\n".join(failures)


def test_search_page_has_no_violations_with_results(page, site_url: str, axe: Axe) -> None:
    page.goto(site_url + "en/search.html")
    page.get_by_label("Name, service or district").fill("sfi")
    page.locator(".search__results li").first.wait_for(timeout=10_000)
    results = axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    assert results.response["violations"] == []
