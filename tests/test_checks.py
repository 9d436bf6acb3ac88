"""Post-build checks: each catches what it is for, planted in a copy of a real build."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest

from generator.outputs.check import (
    audit_anonymity,
    audit_figures,
    check_lang,
    check_links,
    run_checks,
    scan_site,
)
from generator.pages import marks
from generator.store import Store

pytestmark = pytest.mark.slow


@pytest.fixture
def site(sample_site: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "site"
    shutil.copytree(sample_site, copy)
    return copy


def some_page(site: Path) -> Path:
    return next((site / "en" / "provider").glob("*.html"))


def test_the_sample_site_passes_every_check(sample_site: Path) -> None:
    assert run_checks(sample_site, 5, staff_k=3) == []


def test_a_broken_link_and_a_missing_asset_are_caught(site: Path) -> None:
    page = some_page(site)
    page.write_text(
        page.read_text(encoding="utf-8").replace(
            "</main>", '<a href="../nowhere.html">x</a></main>'
        ),
        encoding="utf-8",
    )
    next((site / "theme" / "css").glob("site.*.css")).unlink()
    problems = [str(p) for p in check_links(site)]
    assert any("nowhere.html" in p for p in problems)
    assert any("site." in p and ".css" in p for p in problems)


def test_a_page_without_lang_is_caught(site: Path) -> None:
    page = some_page(site)
    text = page.read_text(encoding="utf-8")
    page.write_text(text.replace('<html lang="en" dir="ltr">', "<html>"), encoding="utf-8")
    assert [p.file for p in check_lang(site)] == [str(page.relative_to(site))]


@pytest.mark.parametrize("where", ["html", "json", "search index"])
def test_a_personal_identity_number_is_caught_and_never_echoed(site: Path, where: str) -> None:
    number = "19850412-1234"
    if where == "html":
        page = some_page(site)
        page.write_text(
            page.read_text(encoding="utf-8").replace("</main>", f"<p>{number}</p></main>"),
            encoding="utf-8",
        )
    elif where == "json":
        path = site / "data" / "providers.json"
        data = json.loads(path.read_text(encoding="utf-8"))
        data["providers"][0]["phone"] = number
        path.write_text(json.dumps(data), encoding="utf-8")
    else:
        import gzip

        fragment = next((site / "pagefind" / "fragment").glob("*.pf_fragment"))
        raw = gzip.decompress(fragment.read_bytes())
        assert b'"content":"' in raw
        raw = raw.replace(b'"content":"', f'"content":"{number} '.encode(), 1)
        fragment.write_bytes(gzip.compress(raw))
    problems = audit_anonymity(site, 5, staff_k=3)
    assert problems, where
    assert all(number not in str(p) and "19850412" not in str(p) for p in problems)


def test_a_figure_resting_on_too_few_is_caught_in_pages_csv_and_json(site: Path) -> None:
    page = some_page(site)
    text = page.read_text(encoding="utf-8")
    page.write_text(text.replace('data-n="', 'data-n="3" data-was="', 1), encoding="utf-8")
    rows = _rows(site)
    leak = next(r for r in rows if r["suppressed"] == "yes" and r["indicator"] == "passed")
    leak.update(
        suppressed="no",
        reason="",
        numerator="2",
        denominator="3",
        value="67",
        ci_low="21",
        ci_high="94",
    )
    _write_rows(site, rows)
    pj = site / "data" / "providers.json"
    data = json.loads(pj.read_text(encoding="utf-8"))
    data["providers"][0]["staff"]["roles"] = {"coach": {"headcount": 2, "headcount_below_k": False}}
    pj.write_text(json.dumps(data), encoding="utf-8")

    problems = [str(p) for p in audit_anonymity(site, 5, staff_k=3)]
    assert any(str(page.relative_to(site)) in p for p in problems)
    assert any("indicators.csv" in p for p in problems)
    assert any("providers.json" in p and "head count" in p for p in problems)


def test_staff_figures_answer_to_their_own_threshold_and_customers_to_k(site: Path) -> None:
    """A head count or staff share of 3 passes under STAFF_DISCLOSURE_K = 3 but
    not under K = 5; a group of 3 customers never passes."""
    rows = _rows(site)
    staff = next(r for r in rows if r["indicator"] == "teachers_certified"
                 and r["suppressed"] == "no" and r["provider_id"] != "all")
    staff.update(numerator="2", denominator="3", value="67")
    _write_rows(site, rows)
    page = some_page(site)
    text = page.read_text(encoding="utf-8")
    page.write_text(text.replace("</main>", '<span data-staff-n="3">3</span></main>', 1),
                    encoding="utf-8")
    # (Not a provider file's copy of the row: that audit is tested above.)
    copies = "rows of data/indicators.csv"
    assert [p for p in audit_anonymity(site, 5, staff_k=3) if copies not in p.message] == []
    strict = [str(p) for p in audit_anonymity(site, 5)]
    assert any("indicators.csv" in p for p in strict)
    assert any(page.name in p for p in strict)
    page.write_text(text.replace("</main>", '<span data-n="3">3</span></main>', 1),
                    encoding="utf-8")
    assert any(page.name in str(p) for p in audit_anonymity(site, 5, staff_k=3))


def _rows(site: Path) -> list[dict[str, str]]:
    path = site / "data" / "indicators.csv"
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


def _write_rows(site: Path, rows: list[dict[str, str]]) -> None:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    (site / "data" / "indicators.csv").write_text(out.getvalue(), encoding="utf-8")


def _key(row: dict[str, str]) -> str:
    return marks.key(row["provider_id"], row["year"], row["indicator"], row["breakdown"])


def test_every_figure_the_site_shows_is_marked_with_its_published_row(sample_site: Path) -> None:
    """Pages, comparison JSON and search data carry tens of thousands of marks,
    and every one matches the open data (the audit runs in every build too)."""
    scans = scan_site(sample_site).scans
    found: dict[str, int] = {}
    for path, scan in scans.items():
        if scan is not None:
            found[path.suffix] = found.get(path.suffix, 0) + sum(1 for _ in scan.marks())
    assert found[".html"] > 20_000 and found[".json"] > 1_000, found
    assert audit_figures(sample_site, scans) == []


def test_a_provider_file_that_is_not_its_rows_of_the_open_data_is_caught(
    sample_site: Path, tmp_path: Path
) -> None:
    """data/providers/<id>.csv may only copy the provider's rows of indicators.csv,
    which the disclosure proof covers: a row left out, or another provider's
    row under a new name, fails the audit (only the data folder is copied)."""
    site = tmp_path / "site"
    shutil.copytree(sample_site / "data", site / "data")
    assert audit_anonymity(site, 5, staff_k=3) == []
    folder = site / "data" / "providers"
    first = sorted(folder.glob("*.csv"))[0]
    header, row, *rest = first.read_text(encoding="utf-8").splitlines(keepends=True)
    first.write_text(header + "".join(rest), encoding="utf-8")
    (folder / "planted.csv").write_text(header + row, encoding="utf-8")
    found = audit_anonymity(site, 5, staff_k=3)
    problems = {p.file for p in found if "rows of data/indicators.csv" in p.message}
    assert problems == {f"data/providers/{first.name}", "data/providers/planted.csv"}


def test_a_page_that_shows_what_the_open_data_hides_is_caught(site: Path) -> None:
    """Three ways a template could leak past the disclosure proof: a hidden
    figure printed, a number that is not the published one, and a comparison
    JSON file with another value than the open data."""
    rows = _rows(site)
    hidden = next(r for r in rows if r["suppressed"] == "yes" and r["reason"] == "secondary")
    page = some_page(site)
    text = page.read_text(encoding="utf-8")
    leak = f'<p>Share: <span data-fig="{_key(hidden)}" data-v="40">40 %</span></p>'
    first_v = text.index(' data-v="')
    end = text.index('"', first_v + 9)
    text = text[:first_v] + ' data-v="101' + text[end:]
    page.write_text(text.replace("</main>", leak + "</main>"), encoding="utf-8")
    compare = next((site / "compare").glob("*.json"))
    data = json.loads(compare.read_text(encoding="utf-8"))
    figure = next(iter(data["figures"].values()))
    figure["low"] = figure["low"] - 1
    compare.write_text(json.dumps(data), encoding="utf-8")

    problems = [str(p) for p in audit_figures(site)]
    assert any(
        page.name in p and "does not publish" in p and _key(hidden) in p for p in problems
    ), problems
    assert any(page.name in p and "value 101 (published:" in p for p in problems), problems
    assert any(compare.name in p and "ci_low" in p for p in problems), problems


def test_a_figure_the_open_data_stops_publishing_is_caught_on_every_page(site: Path) -> None:
    """The audit reads the open data of the site it checks: hide one shown
    all-provider figure there, and every page that still shows it fails."""
    rows = _rows(site)
    shown = next(
        r
        for r in rows
        if r["provider_id"] == "all"
        and r["breakdown"] == "total"
        and r["suppressed"] == "no"
        and r["indicator"] == "work_or_studies"
        and "-" in r["year"]
    )
    shown.update(
        suppressed="yes",
        reason="secondary",
        numerator="",
        denominator="",
        value="",
        ci_low="",
        ci_high="",
    )
    _write_rows(site, rows)
    files = {p.file for p in audit_figures(site) if _key(shown) in p.message}
    assert len(files) > 20, files


def test_every_share_on_a_page_is_inside_a_figure_mark(sample_site: Path) -> None:
    """What the audit cannot see it cannot check: a percentage printed outside
    a marked element would escape it. Every percentage in the text of every
    page, in a left-to-right and a right-to-left language, sits inside a
    marked element; only the methodology page's own words ("a 95 % interval")
    are no figures."""
    pages = [
        path
        for lang in ("en", "ar")
        for path in sorted((sample_site / lang).rglob("*.html"))
        if path.name != "methodology.html"
    ]
    assert len(pages) > 300
    shares = 0
    for path in pages:
        finder = _UnmarkedShares()
        finder.feed(path.read_text(encoding="utf-8"))
        assert finder.unmarked == [], (path, finder.unmarked[:3])
        shares += finder.marked
    assert shares > 5_000


class _UnmarkedShares(HTMLParser):
    """Text holding a percentage, outside any element with a figure mark."""

    VOID = {
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "source",
        "track",
        "wbr",
    }
    SHARE = re.compile(r"\d\s?[%٪]|[%٪]\s?\d")

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[tuple[str, bool]] = []
        self.unmarked: list[str] = []
        self.marked = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.VOID:
            return
        names = {name for name, _ in attrs}
        inside = bool(self.stack and self.stack[-1][1])
        self.stack.append((tag, inside or "data-fig" in names or "data-n" in names))

    def handle_endtag(self, tag: str) -> None:
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data: str) -> None:
        if self.stack and self.stack[-1][0] in ("script", "style", "template"):
            return
        if self.SHARE.search(data):
            if self.stack and self.stack[-1][1]:
                self.marked += 1
            else:
                self.unmarked.append(data.strip())


def test_a_failed_check_fails_the_build(tmp_path: Path) -> None:
    """The build refuses to publish when a check of the built site fails: plant a
    leak in an editorial page, which the data load never reads."""
    from conftest import FIXTURES

    from generator.build.pipeline import build
    from generator.build.settings import ROOT
    from generator.outputs.check import ChecksFailed

    data = tmp_path / "data"
    shutil.copytree(FIXTURES / "spreadsheet-export", data)
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    page = content / "sv" / "accessibility.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nRing 19850412-1234.\n", encoding="utf-8")
    settings = tmp_path / "settings.py"
    settings.write_text(
        f"exec(open({str(ROOT / 'pelicanconf.py')!r}, encoding='utf-8').read())\n"
        f"PATH = {str(content)!r}\n"
        f"THEME = {str(ROOT / 'theme')!r}\n"
        f"PLUGIN_PATHS = [{str(ROOT / 'plugins')!r}]\n"
        # Two languages are enough to reach the checks; seven take three times as long.
        "LANGUAGES = ['sv', 'ar']\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    with pytest.raises(ChecksFailed, match="accessibility"):
        build(data, out, settings, cache=False)
    assert not out.exists()


def test_an_identity_number_in_a_provider_text_is_refused_at_load(tmp_path: Path) -> None:
    """Provider texts are read with the data, so a leak there stops the build before
    anything is rendered, with the file and line."""
    from conftest import FIXTURES

    from generator.build.pipeline import build
    from generator.ingest.problems import InvalidData

    data = tmp_path / "data"
    shutil.copytree(FIXTURES / "spreadsheet-export", data)
    (data / "texts" / "leverantor-01").mkdir(parents=True)
    (data / "texts" / "leverantor-01" / "sv.md").write_text(
        "Välkommen.\nRing 850412 1234.\n", encoding="utf-8"
    )
    out = tmp_path / "out"
    with pytest.raises(InvalidData) as caught:
        build(data, out)
    (line,) = caught.value.lines()
    assert "leverantor-01/sv.md:2" in line and "identity number" in line, line
    assert not out.exists()


def test_a_link_that_would_break_the_site_is_refused_by_check(tmp_path: Path) -> None:
    """A provider's typo in a link is found by `check`, named by its text file and
    line, instead of failing the night at the post-build link check."""
    from conftest import FIXTURES, run_cli

    data = tmp_path / "data"
    shutil.copytree(FIXTURES / "spreadsheet-export", data)
    (data / "texts" / "leverantor-01").mkdir(parents=True)
    (data / "texts" / "leverantor-01" / "en.md").write_text(
        "Welcome.\n\nSee [our site](www.example.se) or [contact us](/kontakt).\n\n"
        "[Mail](mailto:info@example.se), [web](https://example.se), [call](tel:+4681234567)\n"
        "[click](javascript:alert(5))\n",
        encoding="utf-8",
    )
    proc = run_cli("check", "--data", str(data))
    assert proc.returncode == 2, proc.stdout + proc.stderr
    lines = [line for line in (proc.stdout + proc.stderr).splitlines() if "en.md" in line]
    assert len(lines) == 3, lines
    assert "texts/leverantor-01/en.md:3" in lines[0] and "https://www.example.se" in lines[0]
    assert "texts/leverantor-01/en.md:3" in lines[1] and "'/kontakt'" in lines[1]
    assert "texts/leverantor-01/en.md:6" in lines[2] and "javascript:" in lines[2]


def test_the_builds_own_file_names_never_look_like_identity_numbers() -> None:
    """Content hashes name charts, assets, fonts and index files; in hex, one name in a
    few thousand holds ten digits shaped like a personal identity number, and the audit
    would refuse the site. They are written in letters instead."""
    from generator.outputs.assets import name_hash
    from generator.outputs.check import has_personnummer

    names = [name_hash(str(i).encode(), 16) for i in range(20_000)]
    assert not any(c.isdigit() for name in names for c in name)
    assert not any(has_personnummer(f"charts/{name}.svg") for name in names)
    # The audit itself does find the shape in a hex name that has it.
    assert has_personnummer("charts/ab9001011234cdef.svg")


def test_checks_with_a_cache_still_catch_what_changed_since(site: Path, tmp_path: Path) -> None:
    """The cache skips pages unchanged since the last site that passed, but a
    file they link to that is gone, a changed page and a failed run still count."""
    cache = Store(tmp_path / "checks")
    assert run_checks(site, 5, cache, staff_k=3) == []
    assert run_checks(site, 5, cache, staff_k=3) == []  # everything from the cache
    page = some_page(site)
    linked_chart = next(
        site / "charts" / name
        for name in sorted(p.name for p in (site / "charts").glob("*.svg"))
        if f"charts/{name}" in page.read_text(encoding="utf-8")
    )
    linked_chart.unlink()
    problems = [str(p) for p in run_checks(site, 5, cache, staff_k=3)]
    assert any(linked_chart.name in p and page.name in p for p in problems), problems
    # A failed run leaves nothing to skip on: the same site fails again.
    assert [str(p) for p in run_checks(site, 5, cache, staff_k=3)] == problems
    linked_chart.write_text("<svg/>", encoding="utf-8")
    assert run_checks(site, 5, cache, staff_k=3) == []
    # A page changed in place: its new bytes are scanned and its links checked.
    text = page.read_text(encoding="utf-8")
    broken = text.replace('href="../../', 'href="../../../', 1)
    assert broken != text
    page.write_text(broken, encoding="utf-8")
    assert any(page.name in str(p) for p in run_checks(site, 5, cache, staff_k=3))


def test_marks_audited_before_are_audited_again_when_the_open_data_changes(
    site: Path, tmp_path: Path
) -> None:
    """A passing run remembers which sets of figure marks it audited, and
    against which open data: a night with the same open data reads none of
    them again, another open data all of them, and a page's new marks always."""
    cache = Store(tmp_path / "checks")
    assert run_checks(site, 5, cache, staff_k=3) == []
    assert run_checks(site, 5, cache, staff_k=3) == []
    rows = _rows(site)
    kept = [dict(r) for r in rows]
    page = some_page(site)
    text = page.read_text(encoding="utf-8")
    shown = next(r for r in rows if r["suppressed"] == "no" and _key(r) in text)
    # A page's own marks changed: new marks, audited although the data is the same.
    first_v = text.index(' data-v="')
    end = text.index('"', first_v + 9)
    page.write_text(text[:first_v] + ' data-v="101' + text[end:], encoding="utf-8")
    assert any("value 101" in str(p) for p in run_checks(site, 5, cache, staff_k=3))
    page.write_text(text, encoding="utf-8")
    assert run_checks(site, 5, cache, staff_k=3) == []
    # The open data hides a figure the unchanged page shows: caught on the page.
    shown.update(suppressed="yes", reason="secondary", numerator="", denominator="",
                 value="", ci_low="", ci_high="")
    _write_rows(site, rows)
    problems = [str(p) for p in run_checks(site, 5, cache, staff_k=3)]
    assert any(page.name in p and _key(shown) in p for p in problems), problems
    _write_rows(site, kept)
    assert run_checks(site, 5, cache, staff_k=3) == []
