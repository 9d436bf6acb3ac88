"""The whole build: load -> validate -> compute -> suppress -> render -> search index -> publish."""

from __future__ import annotations

import contextlib
import ctypes
import gc
import hashlib
import json
import shutil
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from generator.build.settings import DEFAULT_SETTINGS_FILE, load_settings
from generator.compute.casemix import compare_with_expected
from generator.compute.indicators import (
    BREAKDOWN_COLUMNS,
    compute_group_sizes,
    compute_indicators,
    pooled_period,
)
from generator.files import Damage, count_pages, drop, walk_files
from generator.ingest.dataset import Dataset
from generator.ingest.periods import complete_years
from generator.ingest.validate import load_and_validate
from generator.model.likeme import write_like_me_data
from generator.model.sitemodel import SiteModel, build_site_model
from generator.outputs.assets import asset_names, fingerprint_assets
from generator.outputs.charts import render_chart_files, trend_chart_data
from generator.outputs.check import ChecksFailed, run_checks
from generator.outputs.fonts import build_fonts, font_files_fingerprint, source_characters
from generator.outputs.fonts import shared_folder as shared_fonts
from generator.outputs.opendata import write_open_data
from generator.outputs.publish import recover, replace_atomically, staging_dir
from generator.outputs.search import build_search_index
from generator.outputs.sitemap import write_sitemap
from generator.pages.pagecache import code_fingerprint, site_fingerprint
from generator.pages.render import render_site
from generator.pages.views import Site
from generator.protect import proofstore
from generator.protect.audit import row_thresholds
from generator.protect.derived import with_derived
from generator.protect.disclosure import (
    Earlier,
    Protection,
    left_out_counts,
    protect,
    published_rows,
)
from generator.protect.previous import joint_table, read_release
from generator.store import Store, environment


@dataclass
class BuildReport:
    timings: dict[str, float] = field(default_factory=dict)
    pages: int = 0
    records: int = 0
    checks: dict[str, int] = field(default_factory=dict)
    cache: dict[str, int] = field(default_factory=dict)  # page cache hits and misses
    # Cache entries found damaged, dropped and built again (files.read_entry).
    damaged: list[str] = field(default_factory=list)
    unchanged: bool = False  # the inputs were those of the site already published
    protection: Protection = field(default_factory=Protection)  # what disclosure control hid
    # Figures the live release published that tonight's data changed (previous.py).
    revised: list[str] = field(default_factory=list)
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


def compute_table(
    data: Path, settings: dict[str, Any], report: BuildReport, proofs: Path | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The indicator table with true counts, and what disclosure control publishes of it."""
    ds = _published_years(load_and_validate(data, max_file_bytes=_max_bytes(settings)), settings)
    table = _indicator_table(ds, settings, report)
    return table, _protect(table, settings, report, proofs)


def _published_years(ds: Dataset, settings: dict[str, Any]) -> Dataset:
    return complete_years(ds, settings["REPORTING_LAG_DAYS"])


def _protect(
    table: pd.DataFrame,
    settings: dict[str, Any],
    report: BuildReport,
    proofs: Path | None,
    earlier: Earlier | None = None,
) -> pd.DataFrame:
    return protect(
        table,
        k=settings["DISCLOSURE_K"],
        r=settings["RELIABILITY_R"],
        report=report.protection,
        proofs=proofs,
        prove_it=settings["DISCLOSURE_PROOF"],
        earlier=earlier,
        staff_k=settings["STAFF_DISCLOSURE_K"],
    )


def _protect_with_live(
    ds: Dataset,
    table: pd.DataFrame,
    settings: dict[str, Any],
    report: BuildReport,
    proofs: Path | None,
    live: pd.DataFrame | None,
) -> pd.DataFrame:
    """Protect tonight's table together with what the live release published."""

    def table_for_year(year: int) -> pd.DataFrame:
        earlier = complete_years(ds, settings["REPORTING_LAG_DAYS"], year=year)
        return _indicator_table(earlier, settings, BuildReport())

    joint = joint_table(
        table, live, table_for_year, lambda rows: row_thresholds(
            rows, settings["DISCLOSURE_K"], settings["STAFF_DISCLOSURE_K"]
        ), ds.reporting_year
    )
    report.revised = joint.revised
    protected = _protect(joint.table, settings, report, proofs, joint.earlier)
    return protected.iloc[: joint.tonight].reset_index(drop=True)


def _indicator_table(ds: Dataset, settings: dict[str, Any], report: BuildReport) -> pd.DataFrame:
    with report.stage("compute"):
        table = compute_indicators(
            ds, years=settings["POOLED_YEARS"], breakdowns=tuple(BREAKDOWN_COLUMNS)
        )
    with report.stage("expected"):
        expected = compare_with_expected(
            ds.results, pooled_period(table), settings["RELIABILITY_R"]
        )
        return pd.concat([table, expected], ignore_index=True).reset_index(drop=True)


def compute(
    ds: Dataset,
    settings: dict[str, Any],
    report: BuildReport,
    proofs: Path | None = None,
    live: pd.DataFrame | None = None,
) -> tuple[Any, SiteModel]:
    """The published table and the site model; ``live`` is the indicator table the
    live site publishes (``previous.read_release``), protected against together."""
    table = _indicator_table(ds, settings, report)
    with report.stage("compute"):
        groups = compute_group_sizes(ds)
    with report.stage("suppress"):
        everything = with_derived(
            _protect_with_live(ds, table, settings, report, proofs, live),
            settings["RELIABILITY_R"],
            report.protection,
        )
        protected = published_rows(everything)
        model = build_site_model(
            ds,
            protected,
            groups,
            k=settings["DISCLOSURE_K"],
            staff_k=settings["STAFF_DISCLOSURE_K"],
            r=settings["RELIABILITY_R"],
            pooled_years=settings["POOLED_YEARS"],
            left_out=left_out_counts(everything),
        )
    return protected, model


def build_into(
    data: Path,
    target: Path,
    settings: dict[str, Any],
    settings_file: Path,
    report: BuildReport,
    progress: Callable[[str], None] = lambda _msg: None,
    cache: Path | None = None,
    live: Path | None = None,
) -> None:
    """Validate, compute and write a complete, checked site into the empty folder target.

    ``cache`` is a folder kept between builds: charts and pages whose inputs
    did not change are taken from it instead of being drawn or rendered again.
    ``live`` is the site visitors see now: tonight's figures are protected
    together with its figures (``previous.py``).
    """
    with report.stage("load+validate"):
        progress("Reading and checking the data")
        ds = _published_years(
            load_and_validate(data, max_file_bytes=_max_bytes(settings)), settings
        )
    report.records = len(ds.results)
    env = environment_fingerprint()
    damage = Damage()

    def store(kind: str, suffix: str = "") -> Store | None:
        """The build store's folder for one kind of entry (store.py)."""
        if cache is None:
            return None
        return Store(cache / kind, env, suffix=suffix, damage=damage)

    if cache is not None:
        # What earlier versions kept: pickles, never read, so never trusted;
        # font subsets, now kept for every site in the user's cache; the
        # checks' file and the search indexes' manifests, now store entries.
        for old in ("checks.pickle", "fonts", "checks.json"):
            drop(cache / old)
    progress("Computing the figures")
    # Proofs are kept with the user's cache, shared by every site built; a
    # build without a cache proves afresh.
    proofs = proofstore.default_folder() if cache is not None else None
    protected, model = compute(ds, settings, report, proofs, read_release(live))
    report.model = model
    del ds  # the records are no longer needed: free their memory before rendering
    with report.stage("open data"):
        licence = (settings["OPEN_DATA_LICENCE"], settings["OPEN_DATA_LICENCE_URL"])
        model.open_data_sizes = write_open_data(target, protected, model, licence)
        write_like_me_data(target, model)
    del protected
    _release_memory()
    with report.stage("charts"):
        progress("Drawing the charts")
        wanted = trend_chart_data(model)
        files = render_chart_files(target, wanted.values(), store("charts", ".svg"))
        model.charts = dict(zip(wanted, files, strict=True))
    with report.stage("render"):
        progress("Writing the pages")
        names = asset_names()
        page_cache = None
        if cache is not None:
            salt = (
                code_fingerprint(settings_file, Path(settings["PATH"]))
                + site_fingerprint(Site.of(model))
                + env
            )
            page_cache = (cache, salt)
        stats = render_site(model, settings, target, settings_file, names, page_cache)
        report.pages = stats["pages"]
        report.cache = {"hits": stats["cache_hits"], "misses": stats["cache_misses"]}
        damage.entries += stats["cache_damaged"]
    with report.stage("assets"):
        chars = source_characters(model, settings["LANGUAGES"], Path(settings["PATH"]))
        fonts = shared_fonts() if cache is not None else None
        build_fonts(
            target, chars,
            Store(fonts, env, suffix=".woff2", damage=damage) if fonts is not None else None,
        )
        write_sitemap(target, settings["SITE_URL"], settings["LANGUAGES"])
        fingerprint_assets(target, names)
    with report.stage("search index"):
        progress("Building the search index")
        build_search_index(target, store("search", ".tar"))
    with report.stage("checks"):
        progress("Checking links, languages and anonymity")
        problems = run_checks(
            target, settings["DISCLOSURE_K"], store("checks"),
            staff_k=settings["STAFF_DISCLOSURE_K"],
        )
        report.damaged = _relative(damage.entries, cache)
        report.checks = {"links, lang, anonymity": len(problems)}
        if problems:
            raise ChecksFailed(problems)


def _relative(paths: list[str], folder: Path | None) -> list[str]:
    """Paths as the report names them: inside the cache folder, relative to it."""
    out = []
    for path in paths:
        with contextlib.suppress(ValueError, TypeError):
            path = Path(path).relative_to(folder).as_posix()  # type: ignore[arg-type]
        out.append(str(path))
    return sorted(out)


def _release_memory() -> None:
    """Give the memory of the freed records back to the system.

    glibc keeps freed heap for reuse, so without this the process would hold on
    to the records' gigabyte while the render workers and Pagefind run.
    """
    gc.collect()
    with contextlib.suppress(OSError, AttributeError):  # not glibc: nothing to do
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def default_cache(output: Path) -> Path:
    """The cache kept between builds: a folder next to the output, ``<output>.cache``."""
    return output.with_name(output.name + ".cache")


def environment_fingerprint() -> str:
    """The versions of the libraries that shape the output, and the font files used."""
    return environment(font_files_fingerprint())


def _inputs_digest(data: Path, settings_file: Path, settings: dict[str, Any]) -> str:
    """A hash of everything a build reads: the data files, the settings, the code,
    the libraries' versions and the font files."""
    h = hashlib.blake2b(digest_size=20)
    h.update(code_fingerprint(settings_file, Path(settings["PATH"])).encode())
    h.update(environment_fingerprint().encode())
    for path in sorted(p for p in data.rglob("*") if p.is_file()):
        h.update(path.relative_to(data).as_posix().encode() + b"\0")
        h.update(path.read_bytes())
    return h.hexdigest()


def _last_build(marker: Path) -> dict[str, Any]:
    """What the last build left in the cache; nothing when it is missing or damaged
    (then the build runs: the worst a damaged marker can do is cost a build)."""
    with contextlib.suppress(OSError, ValueError):
        last = json.loads(marker.read_bytes())
        if isinstance(last, dict):
            return last
    return {}


def _manifest(site: Path) -> str:
    """A hash of every file's path, size and modification time: cheap, and changed
    by anything that touched the published site since."""
    h = hashlib.blake2b(digest_size=20)
    prefix = len(str(site)) + 1
    for path, stat in sorted((e.path[prefix:], e.stat()) for e in walk_files(site)):
        h.update(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return h.hexdigest()


def build(
    data: Path,
    output: Path,
    settings_file: Path = DEFAULT_SETTINGS_FILE,
    progress: Callable[[str], None] = lambda _msg: None,
    cache: Path | None | bool = True,
) -> BuildReport:
    """Build the site from data into output, replacing output only when all is done.

    ``cache``: True for the default cache folder (``default_cache``), a folder,
    or False/None to render everything afresh. With a cache, a build whose
    inputs (data, settings, code) are those of the site already in output, and
    whose output nobody has touched since, leaves that site as it is.
    """
    report = BuildReport()
    settings = load_settings(settings_file)
    output = output.absolute()
    recover(output)
    folder = default_cache(output) if cache is True else (cache or None)
    marker = folder / "last-build.json" if folder else None
    inputs = ""
    if marker is not None:
        with report.stage("unchanged?"):
            inputs = _inputs_digest(data, settings_file, settings)
            last = _last_build(marker)
            if (
                last.get("inputs") == inputs
                and last.get("output") == str(output)
                and output.is_dir()
                and last.get("manifest") == _manifest(output)
            ):
                report.unchanged = True
                report.pages = count_pages(output)
                return report
    staging = staging_dir(output)
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    try:
        build_into(data, staging, settings, settings_file, report, progress, folder, output)
        with report.stage("publish"):
            replace_atomically(staging, output)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    if marker is not None:
        record = {"inputs": inputs, "output": str(output), "manifest": _manifest(output)}
        marker.write_text(json.dumps(record), encoding="utf-8")
    return report
