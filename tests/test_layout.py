"""Layout in a real browser: no horizontal scrolling at 320 px and at 200 % text,
figures readable without JavaScript or CSS, right to left mirrored, print; and
valid HTML (the Nu validator) on every template in every language."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import ROOT
from sitepages import BY_LANGUAGE, EVERY_TEMPLATE, LANGUAGES, prefix, template_pages

pytestmark = [pytest.mark.browser, pytest.mark.slow]

VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_horizontal_scrolling_at_320_px_and_200_percent_text(
    lang: str, browser, site_url: str, sample_site: Path
) -> None:
    # One visit per page: laid out at 320 px, then at 640 px with the text at 200 %.
    # Every template in a left-to-right and a right-to-left language; in the
    # others the pages whose text differs most by language (test_phone.py lays
    # out every page type at 320 and 375 px in every language).
    pages = template_pages(sample_site)
    if lang not in EVERY_TEMPLATE:
        pages = {name: pages[name] for name in BY_LANGUAGE}
    ctx = browser.new_context(viewport={"width": 320, "height": 640})
    try:
        page = ctx.new_page()
        for name, path in pages.items():
            page.set_viewport_size({"width": 320, "height": 640})
            page.goto(site_url + prefix(lang) + path)
            for text_size in (None, "200%"):
                if text_size:
                    page.set_viewport_size({"width": 640, "height": 800})
                    page.evaluate(f"document.documentElement.style.fontSize = '{text_size}'")
                width = page.evaluate("document.documentElement.scrollWidth")
                viewport = page.evaluate("window.innerWidth")
                assert width <= viewport, f"{lang} {name} {text_size or '320px'}: {width}px wide"
    finally:
        ctx.close()


def test_figures_are_readable_without_javascript_and_without_css(
    browser, site_url: str, sample_site: Path
) -> None:
    data = json.loads((sample_site / "data" / "providers.json").read_text(encoding="utf-8"))
    pid = next(p["provider_id"] for p in data["providers"] if p["status"] == "active")
    ctx = browser.new_context(java_script_enabled=False)
    page = ctx.new_page()
    page.route("**/*.css", lambda route: route.abort())
    page.goto(site_url + f"en/provider/{pid}.html")
    row = page.locator("table.results-table tr", has_text="Went on to work or studies")
    assert "%" in row.inner_text() and "Likely between" in row.inner_text()
    page.goto(site_url + "en/providers/index.html")
    assert page.locator("table.providers-table tbody tr").count() > 10
    ctx.close()


def test_right_to_left_layout_is_mirrored(page, site_url: str) -> None:
    page.goto(site_url + "ar/providers/index.html")
    name = page.locator(".site-header__name").bounding_box()
    switcher = page.locator(".language-switcher").bounding_box()
    assert name["x"] > switcher["x"], "the site name should sit on the right in Arabic"
    first_heading = page.locator("table.providers-table thead th").first.bounding_box()
    last_heading = page.locator("table.providers-table thead th").last.bounding_box()
    assert first_heading["x"] > last_heading["x"]


def test_pages_are_valid_html(sample_site: Path) -> None:
    """Every template in a left-to-right and a right-to-left language, the pages
    whose text differs most in the others, and every provider page in the
    default language (the pages whose markup depends most on the data)."""
    java = shutil.which("java")
    assert java and VNU.exists(), "needs Java and `npm ci` (make test installs both)"
    pages = template_pages(sample_site)
    files = {
        sample_site / prefix(lang) / path.split("?")[0]
        for lang in LANGUAGES
        for name, path in pages.items()
        if lang in EVERY_TEMPLATE or name in BY_LANGUAGE
    }
    files |= set((sample_site / "provider").glob("*.html"))
    files |= set((sample_site / "lattlast").rglob("*.html"))
    proc = subprocess.run(
        [java, "-jar", str(VNU), "--errors-only", *map(str, sorted(files))],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr[:5000]


def test_provider_page_prints_legibly(page, site_url: str, sample_site: Path) -> None:
    data = json.loads((sample_site / "data" / "providers.json").read_text(encoding="utf-8"))
    pid = next(p["provider_id"] for p in data["providers"] if p["status"] == "active")
    page.goto(site_url + f"en/provider/{pid}.html")
    page.emulate_media(media="print")
    assert not page.locator(".main-nav").is_visible()
    assert not page.locator(".language-switcher").is_visible()
    tables = page.locator("table.results-table").all()
    assert tables and all(table.is_visible() for table in tables)
    size = page.evaluate("parseFloat(getComputedStyle(document.querySelector('td')).fontSize)")
    assert size >= 12, "at least 9 pt on paper"
    pdf = page.pdf(format="A4")
    # Each sheet is one "/Type /Page" object ("/Type /Pages" is the page tree).
    assert pdf.startswith(b"%PDF") and len(re.findall(rb"/Type /Page\b(?!s)", pdf)) <= 6
