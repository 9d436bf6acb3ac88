"""The sample site, built for real: pages, languages, open data, search index."""

from __future__ import annotations

import csv
import datetime as dt
import functools
import gzip
import json
import posixpath
import re
from dataclasses import dataclass, field
from html import unescape
from pathlib import Path

import pytest
from conftest import ROOT

from generator.build.settings import load_settings
from generator.outputs.opendata import INDICATOR_COLUMNS
from generator.pages.formatting import Formatter

pytestmark = pytest.mark.slow

LANGS: tuple[str, ...] = tuple(load_settings()["LANGUAGES"])
RTL = {"ar", "fa"}


def html_files(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def lang_of(site: Path, path: Path) -> str:
    rel = path.relative_to(site).parts
    return rel[0] if rel[0] in LANGS[1:] else "sv"


def read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


# Start tags and comments; attributes as the HTML standard allows them. A
# regular expression reads the 1,300 pages several times faster than
# html.parser, with the same tags and attributes.
_TAG = re.compile(r"<!--.*?-->|<([a-zA-Z][\w-]*)(\s[^>]*)?>", re.S)
_ATTR = re.compile(r"""([^\s="'>/]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?""")


@dataclass
class Collected:
    links: list[str] = field(default_factory=list)  # every href and src
    html_attrs: dict[str, str | None] = field(default_factory=dict)


@functools.cache  # the sample's pages are read only: each is parsed once per run
def parse(path: Path) -> Collected:
    c = Collected()
    for tag in _TAG.finditer(read(path)):
        if tag.group(1) is None:
            continue  # a comment
        attrs: dict[str, str | None] = {}
        for attr in _ATTR.finditer(tag.group(2) or ""):
            value = next((v for v in attr.group(2, 3, 4) if v is not None), None)
            if value is not None and "&" in value:
                value = unescape(value)
            attrs.setdefault(attr.group(1).lower(), value)
        if tag.group(1).lower() == "html":
            c.html_attrs = attrs
        c.links += [attrs[key] for key in ("href", "src") if attrs.get(key)]  # type: ignore[misc]
    return c


def providers_json(site: Path) -> dict:
    return json.loads(read(site / "data" / "providers.json"))


def test_every_page_has_the_right_lang(sample_site: Path) -> None:
    pages = html_files(sample_site)
    assert len(pages) > 50
    for path in pages:
        attrs = parse(path).html_attrs
        assert attrs.get("lang") == lang_of(sample_site, path), path
        assert attrs.get("dir") == ("rtl" if lang_of(sample_site, path) in RTL else "ltr"), path


def test_every_page_exists_in_every_language(sample_site: Path) -> None:
    def pages_of(lang: str) -> set[Path]:
        root = sample_site if lang == LANGS[0] else sample_site / lang
        return {
            p.relative_to(root)
            for p in html_files(sample_site)
            if lang_of(sample_site, p) == lang and p.relative_to(root).parts[0] != "lattlast"
        }

    default = pages_of(LANGS[0])
    for lang in LANGS[1:]:
        assert pages_of(lang) == default, lang
    for must in (
        "index.html",
        "providers/index.html",
        "search.html",
        "methodology.html",
        "open-data.html",
        "employers.html",
        "accessibility.html",
        "how-choosing-works.html",
    ):
        assert Path(must) in default


def test_every_language_tells_how_choosing_works_from_the_main_menu(sample_site: Path) -> None:
    """What each service is, how to choose, switch and complain, and what a pause or a
    lost authorisation means: one page per language, one tap from every page's menu."""
    for lang in LANGS:
        root = sample_site if lang == LANGS[0] else sample_site / lang
        page = read(root / "how-choosing-works.html")
        assert page.count("<h2") >= 6, lang
        menu = read(root / "providers" / "index.html").split('class="main-nav"', 1)[1]
        menu = menu.split("</nav>", 1)[0]
        assert "how-choosing-works.html" in menu, lang


def test_easy_read_swedish_has_every_editorial_page(sample_site: Path) -> None:
    for name in ("index", "methodology", "open-data", "accessibility", "how-choosing-works"):
        easy = sample_site / "lattlast" / f"{name}.html"
        assert easy.exists(), name
        assert 'lang="sv"' in read(easy)
        assert 'href="lattlast/' + name + '.html"' in read(sample_site / f"{name}.html")


def test_sitemap_lists_every_language(sample_site: Path) -> None:
    sitemap = read(sample_site / "sitemap.xml")
    for lang in LANGS[1:]:
        assert f"/{lang}/providers/index.html</loc>" in sitemap
    assert 'hreflang="en"' in sitemap and "<loc>https://" in sitemap


def test_internal_links_resolve(sample_site: Path) -> None:
    files = {p.relative_to(sample_site).as_posix() for p in sample_site.rglob("*") if p.is_file()}
    broken = []
    for path in html_files(sample_site):
        folder = path.parent.relative_to(sample_site).as_posix()
        for link in parse(path).links:
            if re.match(r"^[a-z]+:", link) or link.startswith("#"):
                continue
            target = posixpath.normpath(posixpath.join(folder, link.split("#")[0].split("?")[0]))
            if link.endswith("/"):
                target = posixpath.join(target, "index.html")
            if target not in files:
                broken.append(f"{path.relative_to(sample_site)} -> {link}")
    assert not broken, broken[:20]


def test_language_switcher_leads_to_the_same_page(sample_site: Path) -> None:
    pid = providers_json(sample_site)["providers"][0]["provider_id"]
    sv_page = sample_site / "provider" / f"{pid}.html"
    en_page = sample_site / "en" / "provider" / f"{pid}.html"
    sv_html, en_html = read(sv_page), read(en_page)
    assert f'href="../en/provider/{pid}.html" lang="en"' in sv_html
    assert f'href="../../provider/{pid}.html" lang="sv"' in en_html


def test_deauthorised_providers_are_not_listed_but_have_a_page(sample_site: Path) -> None:
    data = providers_json(sample_site)["providers"]
    gone = [p for p in data if p["status"] == "deauthorised"]
    listed = [p for p in data if p["status"] in ("active", "paused")]
    assert gone, "the sample has a deauthorised provider"
    listing = read(sample_site / "providers" / "index.html")
    for p in listed:
        assert f"provider/{p['provider_id']}.html" in listing
    for p in gone:
        assert f"provider/{p['provider_id']}.html" not in listing
        page = read(sample_site / "provider" / f"{p['provider_id']}.html")
        assert "inte längre godkänd" in page.lower() or "no longer authorised" in page.lower()


def test_open_data_follows_the_contract(sample_site: Path) -> None:
    with (sample_site / "data" / "indicators.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert tuple(rows[0].keys()) == INDICATOR_COLUMNS
    years = {r["year"] for r in rows}
    assert "2025" in years and "2023-2025" in years
    assert {r["provider_id"] for r in rows} >= {"all"}
    for r in rows:
        if r["suppressed"] == "yes":
            assert (
                r["numerator"]
                == r["denominator"]
                == r["value"]
                == r["ci_low"]
                == r["ci_high"]
                == ""
            )
            assert r["reason"] in ("fewer_than_k", "secondary")
        else:
            assert r["suppressed"] == "no" and r["reason"] == ""
            if r["indicator"] == "started":
                assert int(r["value"]) >= 5
            elif r["indicator"] == "work_or_studies_vs_expected":
                # Percentage points, observed minus expected: may be negative.
                assert int(r["denominator"]) >= 5
                assert -100 <= int(r["ci_low"]) <= int(r["value"]) <= int(r["ci_high"]) <= 100
                assert r["comparison"] in ("better", "as_expected", "worse", "")
            else:
                # Staff figures answer to their own threshold (STAFF_DISCLOSURE_K).
                staff = r["indicator"] in ("teachers_certified", "teachers_with_degree",
                                           "coaches_with_degree")
                assert int(r["denominator"]) >= (3 if staff else 5)
                assert 0 <= int(r["ci_low"]) <= int(r["value"]) <= int(r["ci_high"]) <= 100
                assert r["comparison"] == ""
    package = json.loads(read(sample_site / "data" / "datapackage.json"))
    fields = [f["name"] for f in package["resources"][0]["schema"]["fields"]]
    assert tuple(fields) == INDICATOR_COLUMNS
    assert {r["path"] for r in package["resources"]} == {"indicators.csv", "providers.json"}
    assert package["licenses"] == [
        {"name": "CC0-1.0", "path": "https://creativecommons.org/publicdomain/zero/1.0/"}
    ]


def test_each_provider_has_its_rows_of_the_open_data_as_a_file(sample_site: Path) -> None:
    """data/providers/<id>.csv: the provider's lines of indicators.csv, byte for
    byte, under the same header; linked from its page and the open-data page."""
    header, *lines = read(sample_site / "data" / "indicators.csv").splitlines(keepends=True)
    ids = [p["provider_id"] for p in providers_json(sample_site)["providers"]]
    files = sorted((sample_site / "data" / "providers").glob("*.csv"))
    assert [f.stem for f in files] == sorted(ids)
    for pid in ids:
        own = [line for line in lines if line.split(",", 1)[0] == pid]
        assert read(sample_site / "data" / "providers" / f"{pid}.csv") == header + "".join(own)
        page = read(sample_site / "en" / "provider" / f"{pid}.html")
        assert f'href="../../data/providers/{pid}.csv" download' in page, pid
    assert sum(1 for line in lines if line.split(",", 1)[0] != "all") == sum(
        len(read(f).splitlines()) - 1 for f in files
    )
    for lang in LANGS:
        root = sample_site if lang == LANGS[0] else sample_site / lang
        page = read(root / "open-data.html")
        assert all(f"data/providers/{pid}.csv" in page for pid in ids), lang


def test_the_open_data_page_explains_every_file_column_and_code(sample_site: Path) -> None:
    """Sizes of the files as written, in the page's language; a plain-language
    line for each column and each code; the licence; the date of the data."""
    from generator.compute import registry
    from generator.model import labels

    for lang in LANGS:
        root = sample_site if lang == LANGS[0] else sample_site / lang
        page = read(root / "open-data.html")
        for name in ("indicators.csv", "providers.json", "datapackage.json"):
            size = (sample_site / "data" / name).stat().st_size
            assert f'data-size="{size}"' in page, (lang, name)
        for column in INDICATOR_COLUMNS:
            row = page.split(f'<tr data-column="{column}">', 1)[1].split("</tr>", 1)[0]
            meaning = re.sub(r"<[^>]+>", "", row.split("<td", 1)[1].split(">", 1)[1])
            assert len(meaning.strip()) > 20, (lang, column)
        codes = [*registry.NAMES, *labels.BREAKDOWN_VALUES, "fewer_than_k", "secondary", "better"]
        for code in codes:
            assert f'<code dir="ltr">{code}</code>' in page, (lang, code)
        assert 'rel="license">CC0-1.0</a>' in page, lang
    sv = read(sample_site / "open-data.html")
    assert re.search(r'data-size="\d+">\d+(,\d)?\s(kB|MB)<', sv), "a size as Swedish writes it"
    data_date = dt.date.fromisoformat(providers_json(sample_site)["data_date"])
    assert Formatter("sv").date(data_date) in sv
    # Easy-to-read Swedish keeps the files, the licence and the provider files,
    # not the reference tables.
    easy = read(sample_site / "lattlast" / "open-data.html")
    assert "data/providers/" in easy and 'data-column="' not in easy


def test_provider_page_shows_facts_and_figures(sample_site: Path) -> None:
    data = providers_json(sample_site)["providers"]
    p = next(p for p in data if p["status"] == "active" and p["premises"])
    html = read(sample_site / "en" / "provider" / f"{p['provider_id']}.html")
    assert p["name"].replace("&", "&amp;") in html
    assert "Results for" in html and "All providers, 2023" in html
    assert p["premises"][0]["district"] in html
    assert "Group sizes" in html and "Teachers and coaches" in html


def test_a_figure_that_never_applies_is_left_out_or_said_to_not_apply(sample_site: Path) -> None:
    """Passed grades for a provider none of whose services ever had a grade: no
    row on its page, "Does not apply" (not "No figures") in the lists; and
    every page with tables of figures explains its labels."""
    from generator.build.pipeline import check
    from generator.compute.indicators import services_with_records

    graded = services_with_records(check(ROOT / "data").results)["passed"]
    assert graded, "the sample has services with grades"
    data = providers_json(sample_site)["providers"]
    ungraded = [p for p in data if p["status"] == "active" and not set(p["services"]) & graded]
    graded_ones = [p for p in data if p["status"] == "active" and set(p["services"]) & graded]
    assert ungraded and graded_ones
    passed_row = '<th scope="row">Passed grades</th>'
    for p in ungraded:
        assert passed_row not in read(sample_site / "en" / "provider" / f"{p['provider_id']}.html")
    graded_page = sample_site / "en" / "provider" / f"{graded_ones[0]['provider_id']}.html"
    assert passed_row in read(graded_page)
    listing = read(sample_site / "en" / "providers" / "index.html")
    assert "Does not apply" in listing and "What the labels mean" in listing


def test_search_index_has_one_index_per_language(sample_site: Path) -> None:
    entry = json.loads(read(sample_site / "pagefind" / "pagefind-entry.json"))
    assert set(entry["languages"]) == set(LANGS)
    # Only providers residents can choose are searchable (deauthorised ones are not listed).
    listed = [p for p in providers_json(sample_site)["providers"] if p["status"] != "deauthorised"]
    for lang in LANGS:
        assert entry["languages"][lang]["page_count"] == len(listed)


def test_provider_text_in_the_visitors_language_or_swedish_marked_as_such(
    sample_site: Path,
) -> None:
    texts = Path(__file__).resolve().parent.parent / "data" / "texts"
    by_provider = {d.name: {f.stem for f in d.glob("*.md")} for d in texts.iterdir()}
    sv_only = next(pid for pid, langs in sorted(by_provider.items()) if langs == {"sv"})
    translated = next(pid for pid, langs in sorted(by_provider.items()) if "ar" in langs)
    ar_page = read(sample_site / "ar" / "provider" / f"{translated}.html")
    assert '<div class="provider-text">' in ar_page
    untranslated = read(sample_site / "en" / "provider" / f"{sv_only}.html")
    assert '<div class="provider-text" lang="sv" dir="ltr">' in untranslated
    assert "has not translated this text" in untranslated


def test_fonts_for_arabic_script_and_ethiopic_are_served_with_the_site(sample_site: Path) -> None:
    css = read(sample_site / "theme" / "css" / "fonts.css")
    for family in ("Noto Sans Arabic", "Noto Sans Ethiopic"):
        assert f'font-family: "{family}"' in css
    fonts = list((sample_site / "theme" / "fonts").glob("*.woff2"))
    assert len(fonts) == 4
    assert all(f.stat().st_size < 120_000 for f in fonts), "subset, not the whole font"
    for url in re.findall(r'url\("\.\./fonts/([^"]+)"\)', css):
        assert (sample_site / "theme" / "fonts" / url).exists()
    assert "http" not in css


def test_the_fonts_cover_every_arabic_and_ethiopic_character_on_the_pages(
    sample_site: Path,
) -> None:
    """The subsets are chosen from the sources before rendering: check them against the pages."""
    from generator.outputs.fonts import FONTS, used_characters

    css = read(sample_site / "theme" / "css" / "fonts.css")
    covered = {int(code, 16) for code in re.findall(r"U\+([0-9A-F]+)", css)}
    on_pages = used_characters(sample_site)
    needed = {ord(c) for c in on_pages if any(f.covers(c) for f in FONTS)}
    assert needed, "the sample has Arabic-script and Ethiopic pages"
    assert needed <= covered, sorted(chr(c) for c in needed - covered)


def test_editorial_markdown_is_rendered_as_html_not_shown_as_code(sample_site: Path) -> None:
    for lang in LANGS:
        root = sample_site if lang == LANGS[0] else sample_site / lang
        start = read(root / "index.html")
        assert re.search(r"<ol>\s*<li>", start), lang  # "How to choose" is a numbered list
        methodology = read(root / "methodology.html")
        assert methodology.count("<h2") >= 3, lang
    for page in html_files(sample_site):
        text = read(page)
        for escaped in ("&lt;p&gt;", "&lt;h2", "&lt;li&gt;", "&lt;strong&gt;", "&lt;a href"):
            assert escaped not in text, (page, escaped)


def test_only_provider_pages_are_searchable(sample_site: Path) -> None:
    """The search index reads provider pages only (search.INDEXED): no other page may
    ask to be indexed, or it would silently be left out."""
    for page in html_files(sample_site):
        if "data-pagefind-body" in read(page):
            assert page.parent.name == "provider", page


def test_search_indexes_what_a_provider_is_not_the_figures_every_page_shares(
    sample_site: Path,
) -> None:
    """The index holds each provider's name, services, places and own words; the
    results, staff and group-size sections are left out (data-pagefind-ignore)."""
    fragments = []
    for path in sorted((sample_site / "pagefind" / "fragment").glob("en_*.pf_fragment")):
        data = gzip.decompress(path.read_bytes()).removeprefix(b"pagefind_dcd")
        fragments.append(json.loads(data))
    listed = [p for p in providers_json(sample_site)["providers"] if p["status"] != "deauthorised"]
    assert len(fragments) == len(listed)
    for fragment in fragments:
        content = fragment["content"]
        assert fragment["meta"]["title"] in content
        assert "Services" in content and "Premises" in content
        for left_out in ("Results for", "Group sizes", "Teachers and coaches", "Year by year"):
            assert left_out not in content, (fragment["url"], left_out)


def test_published_sums_give_no_hidden_figure_away(sample_site: Path) -> None:
    """The attack of an outsider with the open data and a spreadsheet, on the sample site."""
    import pandas as pd
    from test_disclosure import subtraction_attack

    out = pd.read_csv(
        sample_site / "data" / "indicators.csv", dtype={"year": str},
        keep_default_na=False, na_values=[""],
    )
    out["suppressed"] = out["suppressed"] == "yes"
    assert out["suppressed"].any()
    assert subtraction_attack(out) == {}


def test_the_methodology_page_states_the_cost_of_protection(sample_site: Path) -> None:
    """How many figures are hidden, per indicator and reason, as the open data has them."""
    with (sample_site / "data" / "indicators.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    html = read(sample_site / "en" / "methodology.html")
    table = html[html.index('<table class="hidden-table') :]
    table = table[: table.index("</table>")]
    shown = {
        indicator: tuple(int(n.replace(",", "").replace("\u00a0", "")) for n in cells)
        for indicator, cells in (
            (m.group(1), re.findall(r"<td[^>]*>([^<]*)</td>", m.group(2)))
            for m in re.finditer(r'<tr data-indicator="(\w+)">(.*?)</tr>', table, re.S)
        )
    }
    assert shown["satisfied_end"][2] > 0, "the sample hides figures to protect others"
    for indicator, (count, too_few, protected) in shown.items():
        mine = [r for r in rows if r["indicator"] == indicator]
        assert count == len(mine), indicator
        assert too_few == sum(r["reason"] == "fewer_than_k" for r in mine), indicator
        assert protected == sum(r["reason"] == "secondary" for r in mine), indicator
    assert set(shown) == {r["indicator"] for r in rows}


def test_a_figure_hidden_to_protect_others_says_so_not_too_few(sample_site: Path) -> None:
    with (sample_site / "data" / "indicators.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    hidden = next(
        r for r in rows
        if r["reason"] == "secondary" and r["breakdown"] == "total" and r["provider_id"] != "all"
        and r["indicator"] in ("work_or_studies", "satisfied_end")
    )
    html = read(sample_site / "provider" / f"{hidden['provider_id']}.html")
    assert "Dold för att skydda enskilda" in html
    assert "Dold så att ingens resultat kan räknas ut." in html


def test_small_providers_teachers_qualifications_are_shown_exactly(sample_site: Path) -> None:
    """Staff figures answer to STAFF_DISCLOSURE_K (3), not K: most teaching
    providers' certification is published, and a page shows it as the count it
    is ("3 of 4 teachers"), with no range."""
    staff_k = load_settings()["STAFF_DISCLOSURE_K"]
    with (sample_site / "data" / "indicators.csv").open(encoding="utf-8", newline="") as fh:
        rows = [r for r in csv.DictReader(fh)
                if r["indicator"] == "teachers_certified" and r["provider_id"] != "all"]
    latest = max(r["year"] for r in rows)
    rows = [r for r in rows if r["year"] == latest]
    shown = [r for r in rows if r["suppressed"] == "no"]
    assert len(shown) > len(rows) / 2, (len(shown), len(rows))
    assert {int(r["denominator"]) for r in shown} & set(range(staff_k, 5)), "under K shown"
    assert all(int(r["denominator"]) >= staff_k for r in shown)
    small = min(shown, key=lambda r: int(r["denominator"]))
    html = (sample_site / "en" / "provider" / f"{small['provider_id']}.html").read_text("utf-8")
    staff = html[html.index('id="staff-heading"'):html.index("</section>", html.index(
        'id="staff-heading"'))]
    assert f"{small['numerator']} of {small['denominator']} teachers" in staff
    assert "Likely between" not in staff and "Few answers" not in staff
    assert providers_json(sample_site)["disclosure"]["staff_k"] == staff_k


def test_opening_hours_are_written_in_each_language(sample_site: Path) -> None:
    """Opening hours given as data read as each language writes days and times;
    a note in the data keeps its language, marked for screen readers."""
    with (ROOT / "data" / "premises.csv").open(encoding="utf-8", newline="") as fh:
        premises = list(csv.DictReader(fh))
    noted = next(p for p in premises if '"' in p["opening_hours"])
    for lang, days in (("sv", "måndag–fredag"), ("en", "Monday–Friday"), ("ar", "الاثنين–الجمعة")):
        folder = sample_site if lang == "sv" else sample_site / lang
        html = (folder / "provider" / f"{noted['provider_id']}.html").read_text("utf-8")
        assert days in html, lang
        assert "Mo-Fr" not in html, lang
        note = '<span lang="sv">Stängt i juli</span>' if lang != "sv" else "Stängt i juli"
        assert note in html, lang
        # The postcode's two groups keep their order on a right-to-left page too.
        assert f'<bdi dir="ltr">{noted["postcode"]}</bdi>' in html, lang


def test_every_provider_has_an_easy_to_read_page_in_swedish_only(sample_site: Path) -> None:
    """Lättläst: a page per provider residents can choose, listed from the
    easy-to-read start page, linked from the provider's page in every language,
    with its figures in words ("Ungefär 7 av 10")."""
    everyone = providers_json(sample_site)["providers"]
    listed = [p for p in everyone if p["status"] in ("active", "paused")]
    folder = sample_site / "lattlast" / "foretag"
    assert {f.stem for f in folder.glob("*.html")} == {"index"} | {
        p["provider_id"] for p in listed
    }
    assert not (sample_site / "en" / "lattlast").exists()
    # Its menus lead to the easy-to-read pages where there are such.
    some = (folder / f"{listed[0]['provider_id']}.html").read_text("utf-8")
    menu = some[some.index('class="main-nav"'):some.index("</nav>", some.index('class="main-nav"'))]
    assert 'href="../../lattlast/index.html"' in menu, menu
    assert 'href="../../lattlast/foretag/index.html"' in menu, menu
    assert 'href="../../search.html"' in menu, "no easy-to-read search: the standard one"
    start = (sample_site / "lattlast" / "index.html").read_text("utf-8")
    assert 'href="foretag/index.html"' in start
    index = (folder / "index.html").read_text("utf-8")
    with (sample_site / "data" / "indicators.csv").open(encoding="utf-8", newline="") as fh:
        rows = {(r["provider_id"], r["year"], r["indicator"], r["breakdown"]): r
                for r in csv.DictReader(fh)}
    pooled = next(y for (_p, y, _i, _b) in rows if "-" in y)
    checked = 0
    for p in listed:
        pid = p["provider_id"]
        assert f'lattlast/foretag/{pid}.html"' in index
        page = (folder / f"{pid}.html").read_text("utf-8")
        assert '<html lang="sv"' in page and "Vanlig text" in page
        assert f'href="../../provider/{pid}.html"' in page, "back to the standard page"
        for lang in ("sv", "ar"):
            standard = sample_site / ("" if lang == "sv" else lang) / "provider" / f"{pid}.html"
            assert f"lattlast/foretag/{pid}.html" in standard.read_text("utf-8"), lang
        row = rows.get((pid, pooled, "satisfied_end", "total"))
        if row and row["suppressed"] == "no" and 5 < int(row["value"]) < 95:
            tenths = (int(row["value"]) + 5) // 10
            assert f"Ungefär {tenths} av 10." in page, pid
            checked += 1
    assert checked


def test_a_head_count_is_published_only_where_its_staff_share_is(sample_site: Path) -> None:
    # The head count is the denominator of the role's share in indicators.csv:
    # publishing it where that row is hidden would reopen the sums.
    with (sample_site / "data" / "indicators.csv").open(encoding="utf-8", newline="") as fh:
        hidden = {
            (r["provider_id"], r["year"], r["indicator"])
            for r in csv.DictReader(fh) if r["suppressed"] == "yes"
        }
    indicator = {"teacher": "teachers_with_degree", "coach": "coaches_with_degree"}
    published = 0
    for p in providers_json(sample_site)["providers"]:
        staff = p.get("staff") or {}
        for role, facts in (staff.get("roles") or {}).items():
            key = (p["provider_id"], str(staff["year"]), indicator[role])
            if facts["headcount"] is not None:
                published += 1
                assert key not in hidden, key
            elif key in hidden and not facts["headcount_below_k"]:
                assert facts["headcount_hidden"]
    assert published


def test_a_service_list_compares_that_service(sample_site: Path) -> None:
    """The SFI list sorted by work or studies shows each provider's SFI customers'
    figure (the open-data row for service=sfi), in bands against all providers'
    SFI figure, which is the reference; the columns without figures by service say so."""
    with (sample_site / "data" / "indicators.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    period = max(r["year"] for r in rows if "-" in r["year"])
    open_data = {
        r["provider_id"]: r
        for r in rows
        if (r["year"], r["indicator"], r["breakdown"])
        == (period, "work_or_studies", "service=sfi")
    }
    html = read(sample_site / "en" / "providers" / "service-sfi-by-work-or-studies.html")
    table = html[html.index("<tbody>") : html.index("</tbody>")]
    assert "Passed, all services" in html
    cells = re.findall(r'data-fig="([^"|]+)\|([^"|]+)\|work_or_studies\|([^"]+)" data-n="\d+" '
                       r'data-v="(\d+)"', table)
    assert cells, "no work-or-studies figures on the SFI list"
    assert {(period, "service=sfi")} == {(c[1], c[2]) for c in cells}
    for provider, _period, _group, value in cells:
        assert open_data[provider]["value"] == value, provider
    # In bands against all providers' SFI figure, by name within a band.
    everyone = int(open_data["all"]["value"])

    def band(row: dict[str, str]) -> int:
        if row["low_reliability"] == "yes":
            return 3
        return 0 if everyone < int(row["ci_low"]) else 2 if everyone > int(row["ci_high"]) else 1

    names = dict(re.findall(r'href="[^"]*/provider/([^"/]+)\.html"[^>]*>([^<]+)<', table))
    order = [(band(open_data[c[0]]), names[c[0]].casefold()) for c in cells]
    assert order == sorted(order)
    reference = html[html.index('id="reference-heading"') :]
    assert f'data-fig="all|{period}|work_or_studies|service=sfi"' in reference
