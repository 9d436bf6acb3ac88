"""The cache between builds (pages, charts, compiled templates, check results)
never changes what is published: a rebuild is byte-identical to a build from nothing."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import SAMPLE_DATA, SAMPLE_SETTINGS, snapshot

from generator.build.pipeline import BuildReport

pytestmark = pytest.mark.slow


@dataclass
class Builds:
    """Three builds that share the session's sample build (cold cache) as their start."""

    cold: Path  # the session's sample site, built with an empty cache of its own
    warm: Path  # the same data again, from that cache
    warm_report: BuildReport
    after: Path  # one provider's text changed, from the same cache
    after_report: BuildReport
    fresh: Path  # the changed data, with no cache at all
    cached_pages: int
    cache: Path
    changed: str  # the provider whose text changed


@pytest.fixture(scope="module")
def builds(sample_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Builds:
    from generator.build.pipeline import build, default_cache

    tmp = tmp_path_factory.mktemp("cache")
    cache = tmp / "cache"
    shutil.copytree(default_cache(sample_site), cache)
    pages = len([f for f in (cache / "pages").rglob("*") if f.is_file()])
    warm = build(SAMPLE_DATA, tmp / "warm", SAMPLE_SETTINGS, cache=cache)
    data = tmp / "data"
    shutil.copytree(SAMPLE_DATA, data)
    pid = sorted(p.name for p in (data / "texts").iterdir())[0]
    text = data / "texts" / pid / "sv.md"
    text.write_text(text.read_text(encoding="utf-8") + "\nNytt stycke om oss.\n", "utf-8")
    after = build(data, tmp / "after", SAMPLE_SETTINGS, cache=cache)
    fresh = build(data, tmp / "fresh", SAMPLE_SETTINGS, cache=False)
    assert fresh.cache == {"hits": 0, "misses": 0}
    return Builds(
        sample_site, tmp / "warm", warm, tmp / "after", after, tmp / "fresh", pages, cache, pid
    )


def test_builds_with_and_without_the_cache_are_byte_identical(builds: Builds) -> None:
    assert builds.cached_pages > 1000
    assert builds.warm_report.cache == {"hits": builds.cached_pages, "misses": 0}
    assert snapshot(builds.warm) == snapshot(builds.cold)
    # The changed data, from the cache and with no cache at all.
    assert snapshot(builds.after) == snapshot(builds.fresh)


def test_a_changed_provider_text_renders_only_its_own_pages_again(builds: Builds) -> None:
    page = builds.after / "provider" / f"{builds.changed}.html"
    assert "Nytt stycke om oss." in page.read_text(encoding="utf-8")
    after = builds.after_report.cache
    # Only that provider's own pages, in each language, and its easy-to-read
    # Swedish page, were rendered again.
    assert 0 < after["misses"] <= 7 * 3 + 1, after
    assert after["hits"] == builds.cached_pages - after["misses"]
    # The cache keeps only the pages of the latest build: it does not grow night by night.
    kept = [f for f in (builds.cache / "pages").rglob("*") if f.is_file()]
    assert len(kept) == after["hits"] + after["misses"]
    assert len(list((builds.cache / "templates").iterdir())) == 7
    # Charts come from the cache by hard link: the same file from build to
    # build, which the checks then know unchanged without reading it.
    chart = next((builds.after / "charts").glob("*.svg"))
    before = builds.warm / "charts" / chart.name
    assert chart.stat().st_ino == before.stat().st_ino
    assert chart.read_bytes() == (builds.fresh / "charts" / chart.name).read_bytes()


def test_fonts_installed_after_a_build_are_not_taken_for_nothing_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A site built before Debian's Noto fonts were installed ships without its
    Arabic and Ethiopic fonts; the next night, with the fonts in place, must not
    leave it as it is because the data are the same."""
    from conftest import FIXTURES

    from generator.build.pipeline import build
    from generator.outputs import fonts

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
