"""The cache between builds (pages, charts, fonts, search indexes, check results)
never changes what is published: a rebuild is byte-identical to a build from
nothing, whatever has happened to the cache, and the site never shares a file
with it."""

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
    back: Path  # the sample data again, from the cache the changed data left
    cached_pages: int
    cache: Path
    changed: str  # the provider whose text changed
    damaged: list[str]  # the entries damaged before the warm build


@pytest.fixture(scope="module")
def builds(sample_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Builds:
    from generator.build import pipeline
    from generator.build.pipeline import build, default_cache

    tmp = tmp_path_factory.mktemp("cache")
    cache = tmp / "cache"
    shutil.copytree(default_cache(sample_site), cache)
    # The font subsets the user's builds share, as a copy of this test's own:
    # other tests' builds must not mend the damage before this build sees it.
    shared = pipeline.shared_fonts()
    assert shared is not None
    fonts = tmp / "shared-fonts"
    shutil.copytree(shared, fonts)
    pages = len([f for f in (cache / "pages").rglob("*") if f.is_file()])
    damaged = damage_every_kind_of_entry(cache, fonts)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(pipeline, "shared_fonts", lambda: fonts)
        warm = build(SAMPLE_DATA, tmp / "warm", SAMPLE_SETTINGS, cache=cache)
        data = tmp / "data"
        shutil.copytree(SAMPLE_DATA, data)
        pid = sorted(p.name for p in (data / "texts").iterdir())[0]
        text = data / "texts" / pid / "sv.md"
        text.write_text(text.read_text(encoding="utf-8") + "\nNytt stycke om oss.\n", "utf-8")
        after = build(data, tmp / "after", SAMPLE_SETTINGS, cache=cache)
        # Back to the sample data, from the cache the changed data left: a
        # build from the cache after a change must equal the build from
        # nothing (the session's sample site), byte for byte.
        build(SAMPLE_DATA, tmp / "back", SAMPLE_SETTINGS, cache=cache)
    return Builds(
        sample_site,
        tmp / "warm",
        warm,
        tmp / "after",
        after,
        tmp / "back",
        pages,
        cache,
        pid,
        damaged,
    )


def _flip(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x20
    path.write_bytes(bytes(data))


def _truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def damage_every_kind_of_entry(cache: Path, fonts: Path) -> list[str]:
    """Flip, truncate, replace and delete entries of every kind the cache keeps;
    returns the entries a build must find damaged (a deleted one is only missing;
    the font subsets apart: every one is flipped)."""
    pages = sorted(f for f in (cache / "pages").rglob("*") if f.is_file())
    _flip(pages[0])
    _truncate(pages[1])
    pages[2].write_bytes(pages[3].read_bytes())  # another page's entry under this key
    pages[4].unlink()
    chart = sorted((cache / "charts").glob("*.svg"))[0]
    _truncate(chart)
    # The folder is shared by every site the user builds: flip every subset,
    # so those this build reads are damaged, whichever they are.
    for font in fonts.glob("*.woff2"):
        _flip(font)
    bundles = sorted((cache / "search").glob("*.tar"))  # a language's index each
    _flip(bundles[0])
    _truncate(bundles[1])
    (checks,) = (cache / "checks").iterdir()
    checks.write_bytes(b"\x80\x04not a cache entry")
    (cache / "last-build.json").write_text("{", encoding="utf-8")
    return sorted(
        [
            *(
                p.relative_to(cache).as_posix()
                for p in [*pages[:3], chart, bundles[0], bundles[1], checks]
            ),
        ]
    )


def test_builds_with_and_without_the_cache_are_byte_identical(builds: Builds) -> None:
    assert builds.cached_pages > 1000
    # Three damaged pages and a deleted one are rendered again, the rest reused.
    assert builds.warm_report.cache == {"hits": builds.cached_pages - 4, "misses": 4}
    fonts = [entry for entry in builds.warm_report.damaged if entry.endswith(".woff2")]
    assert fonts, "the font subsets read were found damaged"
    assert sorted(set(builds.warm_report.damaged) - set(fonts)) == builds.damaged
    assert snapshot(builds.warm) == snapshot(builds.cold)
    # After a change, back to the sample data from the cache the change left:
    # the same bytes as the build from nothing.
    assert snapshot(builds.back) == snapshot(builds.cold)
    assert builds.after_report.damaged == []  # the damaged entries were replaced


def test_the_site_shares_no_file_with_the_cache(builds: Builds) -> None:
    """A byte changed in the cache must not change a published page."""
    shared = [p for p in builds.after.rglob("*") if p.is_file() and p.stat().st_nlink > 1]
    assert shared == []
    cached = {p.stat().st_ino for p in builds.cache.rglob("*") if p.is_file()}
    assert not cached & {p.stat().st_ino for p in builds.after.rglob("*") if p.is_file()}
    # The cache holds data only: nothing a writer could make the build run.
    assert not [p for p in builds.cache.rglob("*") if p.suffix in (".pickle", ".pyc")]
    assert not (builds.cache / "templates").exists()


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
    settings = FIXTURES / "two-languages.py"  # Arabic among them
    first = build(data, out, settings, cache=cache)
    assert not first.unchanged and not list(out.rglob("*.woff2"))
    same = build(data, out, settings, cache=cache)
    assert same.unchanged, "same inputs, same fonts: nothing to do"
    monkeypatch.setattr(fonts, "FONT_DIRS", installed)
    again = build(data, out, settings, cache=cache)
    assert not again.unchanged
    assert {p.name.split("-")[0] for p in out.rglob("*.woff2")} >= {"NotoSansArabic"}
