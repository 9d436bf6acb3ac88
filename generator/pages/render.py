"""Render stage: the site model to HTML pages, one Pelican run per language.

The default language is written at the root of the output folder, every other
language under ``<code>/``. Theme assets are written once, at the root.

Languages are independent, so with more than one core they are rendered in
parallel worker processes (spawned, not forked: the parent has pandas and
Pelican loaded). Each worker gets the site model once.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import pickle
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.files import count_pages
from generator.model.sitemodel import SiteModel

PACKAGE = Path(__file__).resolve().parents[1]  # the generator package


def _site_root() -> Path:
    """Where the theme, the plugin, the default pages and the default settings
    are: the checkout the package runs from, or the copy an installed package
    carries in ``generator/site`` (see setup.py)."""
    checkout = PACKAGE.parent
    if all((checkout / name).exists() for name in ("theme", "plugins", "pelicanconf.py")):
        return checkout
    return PACKAGE / "site"


ROOT = _site_root()
# Below this many providers a worker's start-up (about two seconds of imports)
# costs more than rendering the languages one after the other.
PARALLEL_FROM_PROVIDERS = 100


@dataclass(frozen=True)
class RenderJob:
    lang: str
    first: bool  # the default language: written at the root, with the theme assets
    out_dir: Path
    settings_file: Path
    content: Path
    cache_root: Path
    overrides: dict[str, Any]
    page_cache: tuple[Path, str] | None = None  # (folder, salt): see pagecache.py


@dataclass(frozen=True)
class Rendering:
    """What the plugin writes pages from during one language's Pelican run."""

    model: SiteModel
    cache: Any  # pagecache.PageCache, or None without a page cache


_CURRENT: Rendering | None = None


def current() -> Rendering:
    """The site model and page cache of the Pelican run in progress."""
    if _CURRENT is None:
        raise RuntimeError("the comparison pages are written by python -m generator build")
    return _CURRENT


def _quiet_pelican() -> None:
    from pelican import log

    log.console.quiet = True  # Pelican prints a "Done: Processed ..." line per run
    logging.getLogger("pelican").setLevel(logging.WARNING)


_MODEL: SiteModel | None = None


def _set_model(data: bytes) -> None:
    global _MODEL
    _MODEL = pickle.loads(data)


def _render_language(
    job: RenderJob, model: SiteModel | None = None
) -> tuple[int, int, set[str], list[str]]:
    """One Pelican run; returns the page cache's hits, misses, the keys it used
    and the damaged entries it dropped."""
    from pelican import Pelican
    from pelican.settings import read_settings

    _quiet_pelican()
    lang_out = job.out_dir if job.first else job.out_dir / job.lang
    override = {
        "PATH": str(job.content / job.lang),
        "OUTPUT_PATH": str(lang_out),
        "DEFAULT_LANG": job.lang,
        "CACHE_PATH": str(job.cache_root / job.lang),
        "DELETE_OUTPUT_DIRECTORY": False,
        "OUTPUT_RETENTION": [],
        # Theme assets once, at the site root; other languages link there.
        "THEME_STATIC_PATHS": ["static"] if job.first else [],
        **job.overrides,
    }
    from generator.build.settings import DEFAULT_SETTINGS_FILE

    pelican_settings = read_settings(str(DEFAULT_SETTINGS_FILE), override=override)
    cache = None
    if job.page_cache is not None:
        from generator.pages.pagecache import PageCache  # pagecache imports this module

        cache_dir, salt = job.page_cache
        cache = PageCache(cache_dir, salt + job.lang)
        # Compiled templates are not kept between builds: Jinja keeps them as
        # marshalled code, which whoever can write the cache could turn into
        # code run by the build.
    global _CURRENT
    chosen = model if model is not None else _MODEL
    assert chosen is not None
    _CURRENT = Rendering(chosen, cache)
    try:
        Pelican(pelican_settings).run()
    finally:
        _CURRENT = None
    if cache is None:
        return 0, 0, set(), []
    return cache.hits, cache.misses, cache.used, cache.damage.entries


def render_site(
    model: SiteModel,
    settings: dict[str, Any],
    out_dir: Path,
    settings_file: Path,
    asset_names: dict[str, str] | None = None,
    page_cache: tuple[Path, str] | None = None,
    workers: int | None = None,
) -> dict[str, Any]:
    """Write every page of every language into out_dir.

    ``page_cache`` is (folder, salt) for the page cache (see pagecache.py).
    Returns the number of HTML files written, the page cache's hits and
    misses and the damaged entries it dropped; the store then keeps only
    the pages of this build.
    """
    languages: list[str] = settings["LANGUAGES"]
    overrides = {
        # Pelican reads the default settings file; the municipality's settings
        # (and its folders, made absolute) come on top (settings.load_settings).
        **{k: v for k, v in settings.items() if k != "PATH"},
        "DISCLOSURE_K": model.k,
        "STAFF_DISCLOSURE_K": model.staff_threshold,
        "RELIABILITY_R": model.r,
        "ASSET_NAMES": asset_names or {},
    }
    if workers is None:
        many = len(model.providers) >= PARALLEL_FROM_PROVIDERS
        workers = min(os.cpu_count() or 1, len(languages)) if many else 1
    with tempfile.TemporaryDirectory(prefix="pelican-cache-") as cache:
        jobs = [
            RenderJob(
                lang,
                i == 0,
                out_dir,
                settings_file,
                Path(settings["PATH"]),
                Path(cache),
                overrides,
                page_cache,
            )
            for i, lang in enumerate(languages)
        ]
        if workers > 1:
            context = multiprocessing.get_context("spawn")
            data = pickle.dumps(model, protocol=5)
            with context.Pool(workers, initializer=_set_model, initargs=(data,)) as pool:
                results = pool.map(_render_language, jobs, chunksize=1)
        else:
            results = [_render_language(job, model) for job in jobs]
    if page_cache is not None:
        from generator.pages.pagecache import pages_store  # pagecache imports this module

        store = pages_store(page_cache[0])
        store.used = set().union(*(r[2] for r in results))
        store.keep()  # only this build's pages are kept
        # Compiled templates kept by earlier versions: see _render_language.
        shutil.rmtree(page_cache[0] / "templates", ignore_errors=True)
    return {
        "pages": count_pages(out_dir),
        "cache_hits": sum(r[0] for r in results),
        "cache_misses": sum(r[1] for r in results),
        "cache_damaged": [entry for r in results for entry in r[3]],
    }
