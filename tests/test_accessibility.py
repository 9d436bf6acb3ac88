"""WCAG 2.2 AA in a real browser: axe-core on every page template in every language,
keyboard use, reflow, pages without JavaScript or CSS, valid HTML, no third-party requests."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urlparse

import pytest
from conftest import ROOT, axe_violations

from generator.build.settings import load_settings

pytestmark = [pytest.mark.browser, pytest.mark.slow]

LANGUAGES: list[str] = load_settings()["LANGUAGES"]
RTL = {"ar", "fa"}
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def prefix(lang: str) -> str:
    return "" if lang == LANGUAGES[0] else f"{lang}/"


def template_pages(site: Path) -> dict[str, str]:
    """One page per template: start, lists, provider pages of each status, search, editorial."""
    data = json.loads((site / "data" / "providers.json").read_text(encoding="utf-8"))
    pages = {
        "start": "index.html",
        "list": "providers/index.html",
        "list-sorted": "providers/all-by-work-or-studies.html",
        "search": "search.html",
        "employers": "employers.html",
        "methodology": "methodology.html",
        "open-data": "open-data.html",
        "accessibility": "accessibility.html",
    }
    for status in ("active", "paused", "deauthorised"):
        p = next((p for p in data["providers"] if p["status"] == status), None)
        if p:
            pages[f"provider-{status}"] = f"provider/{p['provider_id']}.html"
    # Find and compare: the comparison (chosen in the address), a pre-built table per
    # service, a fact sheet, the employer entrance filtered by sector and by service.
    listed = [p for p in data["providers"] if p["status"] in ("active", "paused")]
    chosen = ",".join(p["provider_id"] for p in listed[:3])
    pages["compare"] = f"compare.html?p={chosen}"
    pages["compare-service"] = "compare/service-sfi.html"
    pages["factsheet"] = f"factsheet/{listed[0]['provider_id']}.html"
    paused = next((p for p in listed if p["status"] == "paused"), None)
    if paused:
        pages["factsheet-paused"] = f"factsheet/{paused['provider_id']}.html"
    sector = next(s for p in listed for s in p["employer_sectors"])
    pages["employers-sector"] = f"employers/sector-{sector}.html"
    pages["employers-service"] = "employers/service-praktik.html"
    # Results for people like me: the form page and a pre-built group page.
    pages["like-me"] = "like-me/index.html"
    pages["like-me-group"] = "like-me/age-band-20-24.html"
    return pages


def violations(page) -> list[str]:
    return [
        f"{v['id']} ({v['impact']}) {[n['target'] for n in v['nodes'][:3]]}"
        for v in axe_violations(page)
    ]


# Every template is checked in the default language and in a right-to-left one;
# in the other languages, the pages whose text, scripts and lengths differ most
# by language. (The components are checked in every language on their own, in
# test_components.py.) Every page in all seven languages took a quarter of the
# suite's time.
EVERY_TEMPLATE = {LANGUAGES[0], "ar"}
BY_LANGUAGE = (
    "start", "provider-active", "methodology", "compare", "like-me-group", "factsheet",
)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_wcag_violations(lang: str, page, site_url: str, sample_site: Path) -> None:
    failures = []
    pages = template_pages(sample_site)
    if lang not in EVERY_TEMPLATE:
        pages = {name: pages[name] for name in BY_LANGUAGE}
    for name, path in pages.items():
        page.goto(site_url + prefix(lang) + path)
        assert page.locator("html").get_attribute("lang") == lang
        assert page.locator("html").get_attribute("dir") == ("rtl" if lang in RTL else "ltr")
        failures += [f"{lang} {name}: {v}" for v in violations(page)]
    assert not failures, "\n".join(failures)


def test_easy_read_pages_have_no_violations(page, site_url: str, sample_site: Path) -> None:
    providers = sorted(p.stem for p in (sample_site / "lattlast" / "foretag").glob("*.html"))
    names = ["index", "methodology", "open-data", "accessibility", "foretag/index"]
    for name in [*names, f"foretag/{providers[0]}"]:
        page.goto(site_url + f"lattlast/{name}.html")
        assert violations(page) == [], name


def test_search_page_has_no_violations_with_results(page, site_url: str) -> None:
    page.goto(site_url + "en/search.html")
    page.get_by_label("Name, service or district").fill("sfi")
    page.locator(".search__results li").first.wait_for(timeout=10_000)
    assert violations(page) == []


def focused(page) -> dict:
    return page.evaluate(
        """() => { const el = document.activeElement; const s = getComputedStyle(el);
                   return { tag: el.tagName, text: el.textContent.trim(),
                            href: el.getAttribute('href'), hreflang: el.getAttribute('hreflang'),
                            outline: s.outlineStyle,
                            shadow: s.boxShadow, id: el.id }; }"""
    )


def tab_to(page, predicate, limit: int = 80) -> dict:
    for _ in range(limit):
        page.keyboard.press("Tab")
        info = focused(page)
        assert info["outline"] != "none" or info["shadow"] != "none", f"focus not visible: {info}"
        if predicate(info):
            return info
    raise AssertionError("never reached by keyboard")


def test_keyboard_only_skip_link_language_switcher_sorting_and_filters(page, site_url: str) -> None:
    page.goto(site_url + "en/providers/index.html")
    page.keyboard.press("Tab")
    assert focused(page)["text"] == "Skip to main content"
    page.keyboard.press("Enter")
    assert focused(page)["id"] == "main-content"

    # Sorting: a column heading link, operated with Enter.
    tab_to(page, lambda i: i["text"].startswith("Work or studies"))
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/providers/all-by-work-or-studies.html")

    # Filters: the service select, operated with the arrow keys.
    tab_to(page, lambda i: i["tag"] == "SELECT")
    before = page.locator("table.providers-table tbody tr:visible").count()
    page.keyboard.press("ArrowDown")
    assert page.locator("table.providers-table tbody tr:visible").count() < before

    # The language switcher, from the top of the page.
    page.goto(site_url + "en/providers/index.html")
    tab_to(page, lambda i: i["text"] == "Svenska")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/en/" not in page.url and page.locator("html").get_attribute("lang") == "sv"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_template_starts_with_a_skip_link_and_reaches_the_language_switcher(
    lang: str, page, site_url: str, sample_site: Path
) -> None:
    other = next(code for code in LANGUAGES if code != lang)
    for name, path in template_pages(sample_site).items():
        page.goto(site_url + prefix(lang) + path)
        page.keyboard.press("Tab")
        first = focused(page)
        assert first["href"] == "#main-content", f"{lang} {name}: first tab stop {first}"
        assert first["outline"] != "none" or first["shadow"] != "none", f"{lang} {name}"
        # From the top of the page, the language switcher is a few tab stops away.
        tab_to(page, lambda i: i["hreflang"] == other, limit=14)
        # The skip link, followed, moves the focus to the page's main content.
        page.focus('a[href="#main-content"]')
        page.keyboard.press("Enter")
        assert focused(page)["id"] == "main-content", f"{lang} {name}"


def test_keyboard_only_search(page, site_url: str) -> None:
    page.goto(site_url + "en/search.html")
    tab_to(page, lambda i: i["tag"] == "INPUT")
    page.keyboard.type("sfi")
    page.locator(".search__results li").first.wait_for(timeout=10_000)
    tab_to(page, lambda i: (i["href"] or "").find("provider/") >= 0)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/provider/" in page.url


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_horizontal_scrolling_at_320_px_and_200_percent_text(
    lang: str, browser, site_url: str, sample_site: Path
) -> None:
    # One visit per page: laid out at 320 px, then at 640 px with the text at 200 %.
    ctx = browser.new_context(viewport={"width": 320, "height": 640})
    try:
        page = ctx.new_page()
        for name, path in template_pages(sample_site).items():
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


def test_no_request_leaves_the_site_and_nothing_breaks_the_security_policy(
    page, site_url: str, sample_site: Path
) -> None:
    hosts: set[str] = set()
    refused: list[str] = []
    page.on("request", lambda req: hosts.add(urlparse(req.url).netloc))
    page.on(
        "console",
        lambda msg: refused.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    # Every template in two languages, and in the others the pages that differ
    # most by language (their fonts and scripts are the same files everywhere).
    pages = template_pages(sample_site)
    for lang in LANGUAGES:
        names = pages if lang in EVERY_TEMPLATE else BY_LANGUAGE
        for name in names:
            page.goto(site_url + prefix(lang) + pages[name])
    page.goto(site_url + "search.html")
    page.get_by_role("searchbox").fill("sfi")
    page.locator(".search__results li").first.wait_for(timeout=10_000)
    assert hosts == {urlparse(site_url).netloc}
    assert refused == []
    # The policy is there to be obeyed: an inline script is refused.
    page.evaluate("""() => { const s = document.createElement('script');
                             s.textContent = 'window.__inline = 1'; document.body.append(s); }""")
    assert page.evaluate("window.__inline === undefined")
    assert any("Content Security Policy" in text for text in refused)


def test_pages_are_valid_html(sample_site: Path) -> None:
    """Every template in every language, and every provider page in the default
    language (the pages whose markup depends most on the data)."""
    java = shutil.which("java")
    assert java and VNU.exists(), "needs Java and `npm ci` (make test installs both)"
    files = {
        sample_site / prefix(lang) / path.split("?")[0]
        for lang in LANGUAGES
        for path in template_pages(sample_site).values()
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
