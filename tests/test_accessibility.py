"""WCAG 2.2 AA in a real browser: axe-core on every page template in every language,
keyboard use, no third-party requests. Layout (reflow, print, right to left, no
JavaScript or CSS) and valid HTML are in test_layout.py."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

import pytest
from conftest import axe_violations
from sitepages import BY_LANGUAGE, EVERY_TEMPLATE, LANGUAGES, RTL, prefix, template_pages

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def violations(page) -> list[str]:
    return [
        f"{v['id']} ({v['impact']}) {[n['target'] for n in v['nodes'][:3]]}"
        for v in axe_violations(page)
    ]


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


def watch_requests(page) -> tuple[set[str], list[str]]:
    """The hosts the page's requests go to, and what the security policy refused,
    filled in as the page is used."""
    hosts: set[str] = set()
    refused: list[str] = []
    page.on("request", lambda req: hosts.add(urlparse(req.url).netloc))
    page.on(
        "console",
        lambda msg: refused.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    return hosts, refused


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_template_in_both_directions_and_the_main_pages_in_every_language(
    lang: str, page, site_url: str, sample_site: Path
) -> None:
    """One visit per page and language: the page's language and direction; the
    skip link first, followed to the main content; the language switcher a few
    tab stops away; no request leaves the site and nothing breaks the security
    policy; and no WCAG violation. Every template in a left-to-right and a
    right-to-left language (EVERY_TEMPLATE); in the others the pages whose text
    differs most by language (BY_LANGUAGE): a template's markup, skip link and
    menus are the same in every language."""
    hosts, refused = watch_requests(page)
    other = next(code for code in LANGUAGES if code != lang)
    failures: list[str] = []
    pages = template_pages(sample_site)
    if lang not in EVERY_TEMPLATE:
        pages = {name: pages[name] for name in BY_LANGUAGE}
    for name, path in pages.items():
        page.goto(site_url + prefix(lang) + path)
        assert page.locator("html").get_attribute("lang") == lang
        assert page.locator("html").get_attribute("dir") == ("rtl" if lang in RTL else "ltr")
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
        failures += [f"{lang} {name}: {v}" for v in violations(page)]
    assert hosts == {urlparse(site_url).netloc}
    assert refused == []
    assert not failures, "\n".join(failures)


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


def test_keyboard_only_search(page, site_url: str) -> None:
    page.goto(site_url + "en/search.html")
    tab_to(page, lambda i: i["tag"] == "INPUT")
    page.keyboard.type("sfi")
    page.locator(".search__results li").first.wait_for(timeout=10_000)
    tab_to(page, lambda i: (i["href"] or "").find("provider/") >= 0)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/provider/" in page.url


def test_search_stays_on_the_site_and_an_inline_script_is_refused(page, site_url: str) -> None:
    hosts, refused = watch_requests(page)
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
