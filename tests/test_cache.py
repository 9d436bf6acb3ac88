"""The cache between builds (pages, charts, compiled templates, check results)
never changes what is published: a rebuild is byte-identical to a build from nothing."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import SAMPLE_DATA, snapshot

pytestmark = pytest.mark.slow


def test_builds_with_and_without_the_cache_are_byte_identical(
    tmp_path: Path, sample_site: Path
) -> None:
    from generator.build import build, default_cache

    fresh = build(SAMPLE_DATA, tmp_path / "fresh", cache=False)
    assert fresh.cache == {"hits": 0, "misses": 0}
    # The session's sample site was built with a cold cache of its own.
    cache = tmp_path / "cache"
    shutil.copytree(default_cache(sample_site), cache)
    pages = len([f for f in (cache / "pages").rglob("*") if f.is_file()])
    assert pages > 1000
    warm = build(SAMPLE_DATA, tmp_path / "warm", cache=cache)
    assert warm.cache["misses"] == 0 and warm.cache["hits"] == pages
    expected = snapshot(tmp_path / "fresh")
    assert snapshot(sample_site) == expected
    assert snapshot(tmp_path / "warm") == expected


def test_a_changed_provider_text_renders_only_its_own_pages_again(tmp_path: Path) -> None:
    from generator.build import build

    data = tmp_path / "data"
    shutil.copytree(SAMPLE_DATA, data)
    cache = tmp_path / "cache"
    first = build(data, tmp_path / "before", cache=cache)
    pid = sorted(p.name for p in (data / "texts").iterdir())[0]
    text = data / "texts" / pid / "sv.md"
    text.write_text(text.read_text(encoding="utf-8") + "\nNytt stycke om oss.\n", "utf-8")
    after = build(data, tmp_path / "after", cache=cache)
    build(data, tmp_path / "fresh", cache=False)
    assert snapshot(tmp_path / "after") == snapshot(tmp_path / "fresh")
    assert "Nytt stycke om oss." in (tmp_path / "after" / "provider" / f"{pid}.html").read_text()
    # Only that provider's own pages, in each language, were rendered again.
    assert 0 < after.cache["misses"] <= 7 * 3, after.cache
    assert after.cache["hits"] == first.cache["misses"] - after.cache["misses"]
    # The cache keeps only the pages of the latest build: it does not grow night by night.
    kept = [f for f in (cache / "pages").rglob("*") if f.is_file()]
    assert len(kept) == after.cache["hits"] + after.cache["misses"]
    assert len(list((cache / "templates").iterdir())) == 7
    # Charts come from the cache by hard link: the same file from build to
    # build, which the checks then know unchanged without reading it.
    chart = next((tmp_path / "after" / "charts").glob("*.svg"))
    before = tmp_path / "before" / "charts" / chart.name
    assert chart.stat().st_ino == before.stat().st_ino
    assert chart.read_bytes() == (tmp_path / "fresh" / "charts" / chart.name).read_bytes()


def test_fonts_installed_after_a_build_are_not_taken_for_nothing_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A site built before Debian's Noto fonts were installed ships without its
    Arabic and Ethiopic fonts; the next night, with the fonts in place, must not
    leave it as it is because the data are the same."""
    from conftest import FIXTURES

    from generator import fonts
    from generator.build import build

    data = FIXTURES / "spreadsheet-export"
    out, cache = tmp_path / "out", tmp_path / "cache"
    installed = fonts.FONT_DIRS
    monkeypatch.setattr(fonts, "FONT_DIRS", (tmp_path / "no-fonts",))
    first = build(data, out, cache=cache)
    assert not first.unchanged and not list(out.rglob("*.woff2"))
    assert build(data, out, cache=cache).unchanged, "same inputs, same fonts: nothing to do"
    monkeypatch.setattr(fonts, "FONT_DIRS", installed)
    again = build(data, out, cache=cache)
    assert not again.unchanged
    assert {p.name.split("-")[0] for p in out.rglob("*.woff2")} >= {"NotoSansArabic"}
