"""The sample site on a phone: every figure on screen at 320 and 375 px, in
Swedish and Arabic, numbers that read the same way in both scripts, and phone
numbers that can be tapped."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from generator.pages.formatting import EN_DASH, LRI, PDI, Formatter, tel_uri

# Each page type that shows a table of figures; the side-by-side comparison
# with three chosen providers is filled in by compare.js.
PAGE_TYPES = (
    "providers/index.html",
    "compare/service-sfi.html",
    "provider/nacka-sfi-center.html",
    "like-me/age-band-16-19.html",
    "methodology.html",
    "employers.html",
    "factsheet/nacka-sfi-center.html",
)


def _chosen(site: Path) -> str:
    providers = json.loads((site / "data" / "providers.json").read_text(encoding="utf-8"))
    ids = [p["provider_id"] for p in providers["providers"] if p["status"] == "active"]
    return ",".join(ids[:3])


def _off_screen(page: Any) -> list[str]:
    """Figures, figure cells and table regions a person would have to scroll sideways to
    see (or could not see at all), as short descriptions."""
    return page.evaluate(
        """() => {
          const root = document.documentElement, width = root.clientWidth;
          const out = [];
          if (root.scrollWidth > width) out.push('page ' + root.scrollWidth);
          for (const region of document.querySelectorAll('.table-scroll')) {
            if (region.closest('.visually-hidden')) continue;
            if (region.scrollWidth > region.clientWidth + 1) {
              out.push('region ' + region.getAttribute('aria-labelledby'));
            }
          }
          for (const el of document.querySelectorAll('.figure, td, [data-fig]')) {
            if (el.closest('.visually-hidden, [hidden]')) continue;
            const r = el.getBoundingClientRect();
            if (r.width === 0 && r.height === 0) continue;
            if (r.left < -0.5 || r.right > width + 0.5) {
              out.push(el.tagName + ' ' + el.textContent.trim().slice(0, 40));
            }
          }
          return out.slice(0, 10);
        }"""
    )


@pytest.mark.browser
@pytest.mark.parametrize("lang", ["", "ar/"])
def test_every_figure_is_on_screen_at_phone_widths(page, site_url, sample_site, lang) -> None:
    paths = [*PAGE_TYPES, f"compare.html?p={_chosen(sample_site)}"]
    for width in (320, 375):
        page.set_viewport_size({"width": width, "height": 800})
        for path in paths:
            page.goto(site_url + lang + path)
            if path.startswith("compare.html"):
                page.locator(".compare-table td[data-label]").first.wait_for()
            assert _off_screen(page) == [], (width, lang + path)


@pytest.mark.browser
def test_a_list_on_a_phone_is_one_card_per_provider_that_is_still_a_table(
    page, site_url
) -> None:
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(site_url + "providers/index.html")
    first = page.locator("table.providers-table tbody tr").first
    # The card: the provider's name on top, each figure under its column's name.
    name = first.locator("th").bounding_box()
    cells = first.locator("td")
    assert cells.count() == 4
    boxes = [cells.nth(i).bounding_box() for i in range(4)]
    assert all(b["y"] >= name["y"] + name["height"] - 1 for b in boxes)
    label = cells.first.evaluate("td => getComputedStyle(td, '::before').content")
    assert label.startswith('"Nöjda"'), label  # shown above the figure, not read twice
    # Still a table to a screen reader: rows, cells and the column headers that name them.
    table = page.get_by_role("table", name="Alla anordnare, 2023–2025")
    assert table.get_by_role("row").count() == page.locator("table.providers-table tr").count()
    assert table.get_by_role("cell").count() >= 4
    assert table.get_by_role("columnheader").count() == 5
    # Sorting stays on screen, not hidden with the column heads.
    sort = page.get_by_role("link", name="Nöjda – sortera efter den här siffran")
    assert sort.is_visible()
    # On a wide screen it is an ordinary table again.
    page.set_viewport_size({"width": 1280, "height": 800})
    boxes = [cells.nth(i).bounding_box() for i in range(4)]
    assert len({round(b["y"]) for b in boxes}) == 1


@pytest.mark.browser
def test_numbers_keep_their_order_in_arabic_and_phone_numbers_can_be_tapped(
    page, site_url
) -> None:
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(site_url + "ar/provider/nacka-sfi-center.html")
    # A name keeps its own direction inside a right-to-left page.
    assert page.locator("h1 bdi").inner_text() == "Nacka SFI-center AB"
    phone = page.locator("a.phone")
    assert phone.get_attribute("href") == "tel:+46846500406"
    # Drawn left to right: "08" is the leftmost part, as in Swedish.
    left = phone.evaluate(
        """a => { const r = document.createRange(); const t = a.firstChild;
                  const i = t.textContent.indexOf('08'); r.setStart(t, i); r.setEnd(t, i + 2);
                  return r.getBoundingClientRect().left - a.getBoundingClientRect().left; }"""
    )
    assert left < 2
    # A period reads 2023–2025, the first year on the left, on a right-to-left page
    # (without isolation the browser draws it "2025–2023").
    order = page.evaluate(
        """() => {
          const main = document.querySelector('main');
          const walker = document.createTreeWalker(main, NodeFilter.SHOW_TEXT);
          const out = [];
          for (let n = walker.nextNode(); n; n = walker.nextNode()) {
            const t = n.textContent, a = t.indexOf('2023'), b = t.indexOf('2025', a);
            if (a < 0 || b < 0 || b - a > 8) continue;
            const at = (i) => {
              const r = document.createRange();
              r.setStart(n, i);
              r.setEnd(n, i + 4);
              return r.getClientRects()[0];
            };
            const x = at(a), y = at(b);
            if (x && y && Math.abs(x.top - y.top) < 2) out.push(x.left < y.left);
          }
          return out;
        }"""
    )
    assert len(order) >= 3 and all(order), order


def test_right_to_left_languages_isolate_spans_and_others_write_them_plainly() -> None:
    ar, sv = Formatter("ar"), Formatter("sv")
    assert sv.period("2023-2025") == f"2023{EN_DASH}2025"
    assert sv.period("2025") == "2025"
    assert ar.period("2023-2025").startswith(LRI) and ar.period("2023-2025").endswith(PDI)
    assert "2023" in ar.period("2023-2025") and ar.period("2025") == "2025"
    assert ar.interval(61, 80).startswith(LRI)
    assert not sv.interval(61, 80).startswith(LRI)
    assert Formatter("fa").ltr("08-465 004 06") == f"{LRI}08-465 004 06{PDI}"
    assert sv.ltr("08-465 004 06") == "08-465 004 06"


@pytest.mark.parametrize(
    ("written", "uri"),
    [
        ("08-465 004 06", "tel:+46846500406"),
        ("070-123 45 67", "tel:+46701234567"),
        ("+46 (0)8 465 004 06", "tel:+46846500406"),
        ("0046 8 465 004 06", "tel:+46846500406"),
        ("+358 9 123 456", "tel:+3589123456"),
        ("112", None),
        ("ring oss", None),
    ],
)
def test_phone_numbers_as_people_write_them_become_tel_addresses(written, uri) -> None:
    assert tel_uri(written, "46") == uri


@pytest.mark.browser
def test_a_provider_page_starts_with_its_facts(page, site_url) -> None:
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(site_url + "provider/nacka-sfi-center.html")

    def top(locator: Any) -> float:
        return locator.bounding_box()["y"]

    results = top(page.get_by_role("heading", name="Resultat", exact=True))
    for fact in ("Lokaler", "Med anordnarens egna ord"):
        assert top(page.get_by_role("heading", name=fact, exact=True)) < results
    assert top(page.get_by_text("Vikdalsvägen 5").first) < results
    assert top(page.get_by_text("Öppettider:").first) < results
    # No empty "your comparison" box above the facts; it comes once something is chosen.
    panel = page.locator("[data-shortlist]")
    assert panel.is_hidden()
    page.get_by_label("Jämför").first.check()
    assert panel.is_visible()
    assert "Nacka SFI-center AB" in panel.inner_text()
    # The menu leads to each part of the page.
    menu = page.get_by_role("navigation", name="På den här sidan")
    menu.get_by_role("link", name="Gruppstorlek").click()
    assert page.url.endswith("#groups-heading")


@pytest.mark.browser
@pytest.mark.parametrize("lang", ["", "ar/"])
def test_search_results_come_right_under_the_box_on_a_phone(page, site_url, lang) -> None:
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(site_url + lang + "search.html")
    filters = page.locator("[data-search-filters]")
    assert filters.is_visible() and filters.get_attribute("open") is None
    assert page.locator("#search-service").is_hidden()
    page.get_by_role("searchbox").fill("sfi")
    first = page.locator(".search__results > li").first
    first.wait_for(timeout=10_000)
    assert first.bounding_box()["y"] < 800  # on the first screen
    # One tap opens the filters.
    filters.locator("summary").click()
    assert page.locator("#search-service").is_visible()
    # A search with a filter in its address shows the filter in use.
    page.goto(site_url + lang + "search.html?q=sfi&district=orminge")
    assert page.locator("#search-district").is_visible()
    # A wide screen has room for the filters.
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(site_url + lang + "search.html")
    assert page.locator("#search-service").is_visible()
