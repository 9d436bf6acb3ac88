"""The whole build: load -> validate -> compute -> suppress -> render -> search index -> publish."""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from .assets import fingerprint_assets
from .casemix import compare_with_expected
from .charts import render_charts, trend_chart_data
from .check import ChecksFailed, run_checks
from .dataset import Dataset
from .disclosure import protect
from .fonts import build_fonts
from .indicators import BREAKDOWN_COLUMNS, compute_group_sizes, compute_indicators, pooled_period
from .likeme import write_like_me_data
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
    records: int = 0
    checks: dict[str, int] = field(default_factory=dict)
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


def _max_bytes(settings: dict[str, Any]) -> int:
    return int(settings["MAX_INPUT_FILE_MB"] * 1024 * 1024)


def check(data: Path, settings_file: Path = DEFAULT_SETTINGS_FILE) -> Dataset:
    """Validation only; raises InvalidData with every problem."""
    return load_and_validate(data, max_file_bytes=_max_bytes(load_settings(settings_file)))


def compute(ds: Dataset, settings: dict[str, Any], report: BuildReport) -> tuple[Any, SiteModel]:
    with report.stage("compute"):
        table = compute_indicators(
            ds, years=settings["POOLED_YEARS"], breakdowns=tuple(BREAKDOWN_COLUMNS)
        )
        groups = compute_group_sizes(ds)
    with report.stage("expected"):
        expected = compare_with_expected(ds.results, pooled_period(table))
        table = pd.concat([table, expected], ignore_index=True)
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


def build_into(
    data: Path,
    target: Path,
    settings: dict[str, Any],
    settings_file: Path,
    report: BuildReport,
    progress: Callable[[str], None] = lambda _msg: None,
) -> None:
    """Validate, compute and write a complete, checked site into the empty folder target."""
    with report.stage("load+validate"):
        progress("Reading and checking the data")
        ds = load_and_validate(data, max_file_bytes=_max_bytes(settings))
    report.records = len(ds.results)
    progress("Computing the figures")
    protected, model = compute(ds, settings, report)
    report.model = model
    with report.stage("charts"):
        progress("Drawing the charts")
        data = trend_chart_data(model)
        model.charts = dict(zip(data, render_charts(data.values()), strict=True))
    with report.stage("open data"):
        write_open_data(target, protected, model)
        write_like_me_data(target, model)
    with report.stage("render"):
        progress("Writing the pages")
        report.pages = render_site(model, settings, target, settings_file)
    with report.stage("assets"):
        build_fonts(target)
        write_sitemap(target, settings["SITE_URL"], settings["LANGUAGES"])
        fingerprint_assets(target)
    with report.stage("search index"):
        progress("Building the search index")
        build_search_index(target)
    with report.stage("checks"):
        progress("Checking links, languages and anonymity")
        problems = run_checks(target, settings["DISCLOSURE_K"])
        report.checks = {"links, lang, anonymity": len(problems)}
        if problems:
            raise ChecksFailed(problems)


def build(
    data: Path,
    output: Path,
    settings_file: Path = DEFAULT_SETTINGS_FILE,
    progress: Callable[[str], None] = lambda _msg: None,
) -> BuildReport:
    """Build the site from data into output, replacing output only when all is done."""
    report = BuildReport()
    settings = load_settings(settings_file)
    output = output.absolute()
    recover(output)
    staging = staging_dir(output)
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    try:
        build_into(data, staging, settings, settings_file, report, progress)
        with report.stage("publish"):
            replace_atomically(staging, output)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return report
