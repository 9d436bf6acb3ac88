"""Benchmark: full build, rebuild with unchanged data, rebuild after one provider changed.

Each build runs in its own process so that its peak memory (RSS, the search
indexer included) is measured on its own. Prints one table of figures; it
asserts nothing, so the figures can be compared with the targets in README.md.
"""

from __future__ import annotations

import gzip
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from .sample import write_sample

ROWS = (
    "load+validate",
    "compute",
    "suppress",
    "open data",
    "render",
    "assets",
    "search index",
    "checks",
    "publish",
)


def _gzip_size(path: Path) -> int:
    return len(gzip.compress(path.read_bytes(), compresslevel=6, mtime=0))


def _change_one_provider(data: Path) -> None:
    """Flip the end-of-service satisfaction of every answered record of one provider."""
    path = data / "results.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    pid_col, sat_col = header.index("provider_id"), header.index("satisfaction_end")
    target = lines[1].split(",")[pid_col]
    out = [lines[0]]
    for line in lines[1:]:
        cells = line.split(",")
        if len(cells) == len(header) and cells[pid_col] == target and cells[sat_col]:
            cells[sat_col] = str(6 - int(cells[sat_col]))
        out.append(",".join(cells))
    path.write_text("\n".join(out) + "\n", encoding="utf-8")


def _timed_build(data: Path, output: Path, report: Path) -> dict[str, Any]:
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "generator.bench_worker", str(data), str(output), str(report)],
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"build failed: {proc.stderr.strip()[-2000:]}")
    result = json.loads(report.read_text(encoding="utf-8"))
    result["wall"] = time.perf_counter() - start
    return result


def _site_figures(site: Path) -> dict[str, Any]:
    pages = list(site.rglob("*.html"))
    provider_pages = [p for p in pages if p.parent.name == "provider"]
    weights = sorted(_gzip_size(p) for p in provider_pages) or [0]
    assets = [p for p in (site / "theme").rglob("*") if p.suffix in (".css", ".js")]
    css = sum(_gzip_size(p) for p in assets if p.suffix == ".css")
    js = sum(_gzip_size(p) for p in assets if p.suffix == ".js")
    return {
        "pages": len(pages),
        "output_mb": sum(p.stat().st_size for p in site.rglob("*") if p.is_file()) / 2**20,
        "provider_median_kb": statistics.median(weights) / 1024,
        "provider_max_kb": weights[-1] / 1024,
        "css_kb": css / 1024,
        "js_kb": js / 1024,
    }


def run_bench(scale: str, work: Path | None = None) -> str:
    work = work or Path(tempfile.gettempdir()) / "kundval-bench"
    data = work / f"data-{scale}"
    if not (data / "results.csv").exists():
        write_sample(data, scale, 1)
    changed = work / f"data-{scale}-changed"
    shutil.rmtree(changed, ignore_errors=True)
    shutil.copytree(data, changed)
    _change_one_provider(changed)
    site = work / f"site-{scale}"
    shutil.rmtree(site, ignore_errors=True)

    runs = {
        "full": _timed_build(data, site, work / "full.json"),
        "unchanged": _timed_build(data, site, work / "unchanged.json"),
        "one changed": _timed_build(changed, site, work / "changed.json"),
    }
    figures = _site_figures(site)
    return _table(scale, runs, figures)


def _table(scale: str, runs: dict[str, dict[str, Any]], figures: dict[str, Any]) -> str:
    names = list(runs)
    full = runs["full"]["wall"]
    lines = [
        f"Benchmark, scale {scale}",
        "",
        f"{'stage (s)':<22}" + "".join(f"{n:>14}" for n in names),
    ]
    for stage in ROWS:
        lines.append(
            f"{stage:<22}" + "".join(f"{runs[n]['timings'].get(stage, 0):>14.2f}" for n in names)
        )
    lines.append(f"{'wall time':<22}" + "".join(f"{runs[n]['wall']:>14.2f}" for n in names))
    lines.append(
        f"{'share of full build':<22}" + "".join(f"{runs[n]['wall'] / full:>14.0%}" for n in names)
    )
    lines.append(
        f"{'peak RSS (MiB)':<22}" + "".join(f"{runs[n]['peak_rss_mb']:>14.0f}" for n in names)
    )
    pages = figures["pages"]
    lines += [
        "",
        f"pages written             {pages}",
        f"pages per second (full)   {pages / full:.0f}",
        f"output size               {figures['output_mb']:.1f} MiB",
        f"provider page, gzip       median {figures['provider_median_kb']:.1f} KB, "
        f"largest {figures['provider_max_kb']:.1f} KB",
        f"our CSS / JS, gzip        {figures['css_kb']:.1f} KB / {figures['js_kb']:.1f} KB "
        "(JS outside Pagefind's own)",
    ]
    return "\n".join(lines)
