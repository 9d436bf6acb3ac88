"""The whole build: load -> validate -> compute -> suppress -> render -> search index -> publish."""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .dataset import Dataset
from .disclosure import protect
from .fonts import build_fonts
from .indicators import compute_group_sizes, compute_indicators
from .opendata import write_open_data
from .publish import recover, replace_atomically, staging_dir
from .render import render_site
from .search import build_search_index
from .settings import DEFAULT_SETTINGS_FILE, load_settings
from .sitemap import write_sitemap
from .sitemodel import SiteModel, build_site_model
from .validate import load_and_validate


@dataclass
class BuildReport:
    timings: dict[str, float] = field(default_factory=dict)
    pages: int = 0
    model: SiteModel | None = None

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self.timings[name] = self.timings.get(name, 0.0) + time.perf_counter() - start

    @property
    def total(self) -> float:
        return sum(self.timings.values())


def check(data: Path) -> Dataset:
    """Validation only; raises InvalidData with every problem."""
    return load_and_validate(data)


def compute(ds: Dataset, settings: dict[str, Any], report: BuildReport) -> tuple[Any, SiteModel]:
    with report.stage("compute"):
        table = compute_indicators(ds, years=settings["POOLED_YEARS"])
        groups = compute_group_sizes(ds)
    with report.stage("suppress"):
        protected = protect(table, k=settings["DISCLOSURE_K"], r=settings["RELIABILITY_R"])
        model = build_site_model(
            ds,
            protected,
            groups,
            k=settings["DISCLOSURE_K"],
            r=settings["RELIABILITY_R"],
            pooled_years=settings["POOLED_YEARS"],
        )
    return protected, model


def build(
    data: Path,
    output: Path,
    settings_file: Path = DEFAULT_SETTINGS_FILE,
    progress: Callable[[str], None] = lambda _msg: None,
) -> BuildReport:
    """Build the site from data into output, replacing output only when all is done."""
    report = BuildReport()
    settings = load_settings(settings_file)
    with report.stage("load+validate"):
        progress("Reading and checking the data")
        ds = load_and_validate(data)
    progress("Computing the figures")
    protected, model = compute(ds, settings, report)
    report.model = model

    output = output.absolute()
    recover(output)
    staging = staging_dir(output)
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    try:
        with report.stage("open data"):
            write_open_data(staging, protected, model)
        with report.stage("render"):
            progress("Writing the pages")
            report.pages = render_site(model, settings, staging, settings_file)
        with report.stage("fonts"):
            build_fonts(staging)
            write_sitemap(staging, settings["SITE_URL"], settings["LANGUAGES"])
        with report.stage("search index"):
            progress("Building the search index")
            build_search_index(staging)
        with report.stage("publish"):
            replace_atomically(staging, output)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return report
