"""Render stage: the site model to HTML pages, one Pelican run per language.

The default language is written at the root of the output folder, every other
language under ``<code>/``. Theme assets are written once, at the root.
"""

from __future__ import annotations

import logging
import tempfile
from pathlib import Path
from typing import Any

from .sitemodel import SiteModel

ROOT = Path(__file__).resolve().parent.parent


def _quiet_pelican() -> None:
    from pelican import log

    log.console.quiet = True  # Pelican prints a "Done: Processed ..." line per run
    logging.getLogger("pelican").setLevel(logging.WARNING)


def render_site(
    model: SiteModel, settings: dict[str, Any], out_dir: Path, settings_file: Path
) -> int:
    """Write every page of every language into out_dir; returns the number of HTML files."""
    from pelican import Pelican
    from pelican.settings import read_settings

    _quiet_pelican()
    languages: list[str] = settings["LANGUAGES"]
    with tempfile.TemporaryDirectory(prefix="pelican-cache-") as cache:
        for i, lang in enumerate(languages):
            lang_out = out_dir if i == 0 else out_dir / lang
            content = Path(settings["PATH"]) / lang
            override = {
                "PATH": str(content),
                "OUTPUT_PATH": str(lang_out),
                "DEFAULT_LANG": lang,
                "CACHE_PATH": str(Path(cache) / lang),
                "COMPARISON_MODEL": model,
                "DELETE_OUTPUT_DIRECTORY": False,
                "OUTPUT_RETENTION": [],
                # Theme assets once, at the site root; other languages link there.
                "THEME_STATIC_PATHS": ["static"] if i == 0 else [],
                "DISCLOSURE_K": model.k,
                "RELIABILITY_R": model.r,
            }
            pelican_settings = read_settings(str(settings_file), override=override)
            Pelican(pelican_settings).run()
    return sum(1 for _ in out_dir.rglob("*.html"))
