"""The search stage gives Pagefind search documents (a provider page without
the sections search ignores) instead of whole pages: the index must be exactly
the one the whole pages give."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from generator.outputs.search import canonicalise, search_document


def _index_whole_pages(site: Path, glob: str, out: Path) -> None:
    cmd = [sys.executable, "-m", "pagefind", "--site", str(site), "--glob", glob, "--silent"]
    subprocess.run([*cmd, "--output-path", str(out)], check=True, capture_output=True)
    canonicalise(out)


def test_the_index_is_the_one_the_whole_pages_give(sample_site: Path, tmp_path: Path) -> None:
    published = sample_site / "pagefind"
    for lang, glob in (("sv", "provider/*.html"), ("ar", "ar/provider/*.html")):
        out = tmp_path / lang
        _index_whole_pages(sample_site, glob, out)
        files = [p for p in out.rglob("*") if p.is_file() and p.name != "pagefind-entry.json"]
        language_files = [p for p in files if p.name.startswith((f"{lang}_", f"pagefind.{lang}_"))]
        assert len(language_files) > 10, lang  # fragments, index chunks, filters, metadata
        for path in files:
            twin = published / path.relative_to(out)
            assert twin.is_file(), (lang, path.name)
            assert twin.read_bytes() == path.read_bytes(), (lang, path.name)


def test_a_search_document_keeps_the_article_but_not_what_search_ignores(
    sample_site: Path,
) -> None:
    page = (sample_site / "en" / "provider").glob("*.html").__next__().read_text("utf-8")
    doc = search_document(page)
    assert doc.startswith('<!DOCTYPE html>\n<html lang="en" dir="ltr">')
    assert "data-pagefind-body" in doc and "data-pagefind-filter" in doc
    assert 'id="premises-heading"' in doc
    assert 'id="results-heading"' not in doc and "<nav" not in doc
    assert len(doc) < len(page) / 2


def test_a_page_without_a_searchable_article_is_given_whole() -> None:
    page = '<!DOCTYPE html>\n<html lang="sv"><body><article><p>Hej</p></article></body></html>'
    assert search_document(page) == page


def test_a_section_ignored_only_for_its_text_is_kept() -> None:
    """With data-pagefind-ignore (no "all") Pagefind still reads filters and
    metadata inside, so such a section must reach it."""
    page = (
        '<html lang="sv"><head><title>T</title></head><body><main>'
        '<article data-pagefind-body><h1>Namn</h1>'
        '<section data-pagefind-ignore><span data-pagefind-filter="x:y"></span></section>'
        '<section data-pagefind-ignore="all"><p>Siffror</p></section>'
        "</article></main></body></html>"
    )
    doc = search_document(page)
    assert 'data-pagefind-filter="x:y"' in doc and "Siffror" not in doc
