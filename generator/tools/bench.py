"""Benchmark: full build, rebuild with unchanged data, a night of new records, and a
rebuild after one provider's answers were all corrected.

Each build runs in its own process so that its peak memory (RSS, the search
indexer included) is measured on its own. Prints one table of figures; it
asserts nothing, so the figures can be compared with the targets in README.md.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from generator.build.settings import DEFAULT_SETTINGS_FILE, ROOT
from generator.pages import addresses
from generator.tools.sample import write_sample

ROWS = (
    "unchanged?",
    "load+validate",
    "compute",
    "expected",
    "suppress",
    "charts",
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


def _add_one_night(data: Path) -> int:
    """Append a day's worth of new records, all ended in the open year (the day
    after the data's last year), as a real night brings them; returns how many."""
    path = data / "results.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    col = {name: i for i, name in enumerate(header)}
    last = max(line.split(",")[col["end_date"]] for line in lines[1:])
    year = int(last[:4]) + 1
    records = [line.split(",") for line in lines[1:] if line.split(",")[col["end_date"]]]
    count = max(5, len(lines) // (365 * 3))
    out = list(lines)
    for i in range(count):
        cells = list(records[(i * 7919) % len(records)])
        cells[col["record_id"]] = f"rnight{i:06d}"
        cells[col["start_date"]] = f"{year}-01-02"
        cells[col["end_date"]] = f"{year}-01-{3 + i % 5:02d}"
        out.append(",".join(cells))
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    return count


def _tree_rss_mb(root: int) -> float:
    """Resident memory of a process and all its descendants, from /proc (Linux)."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        pid, ppid = int(entry.name), int(fields.get("PPid", "0").strip() or 0)
        children.setdefault(ppid, []).append(pid)
        rss[pid] = int(fields.get("VmRSS", "0 kB").split()[0])
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        todo += children.get(pid, [])
    return total / 1024


def _timed_build(
    data: Path, output: Path, report: Path, cache: Path, settings: Path
) -> dict[str, Any]:
    """One build in its own process; peak memory is that of the whole process tree
    (the build's worker processes and Pagefind included), sampled every 0.1 s."""
    start = time.perf_counter()
    worker = "generator.tools.bench_worker"
    cmd = [sys.executable, "-m", worker, str(data), str(output), str(report)]
    # Proofs are kept in the cache too, not the user's, so a full build proves afresh.
    env = {**os.environ, "XDG_CACHE_HOME": str(cache / "user")}
    proc = subprocess.Popen(
        [*cmd, str(cache), str(settings)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    peak = 0.0
    while proc.poll() is None:
        peak = max(peak, _tree_rss_mb(proc.pid))
        time.sleep(0.1)
    _out, err = proc.communicate()
    if proc.returncode != 0:
        raise RuntimeError(f"build failed: {err.strip()[-2000:]}")
    result = json.loads(report.read_text(encoding="utf-8"))
    result["wall"] = time.perf_counter() - start
    result["peak_rss_mb"] = max(peak, result.get("peak_rss_mb", 0.0))
    return result


_ASSET_REF = re.compile(r'<(?:link rel="stylesheet" href|script[^>]*src)="([^"]+)"')


def _page_assets_kb(site: Path, page: Path) -> tuple[float, float]:
    """gzip KB of the CSS and of our own JS a page loads."""
    css = js = 0
    for ref in _ASSET_REF.findall(page.read_text(encoding="utf-8")):
        path = (page.parent / ref).resolve()
        if path.is_file() and site.resolve() in path.parents:
            size = _gzip_size(path)
            if path.suffix == ".css":
                css += size
            elif "pagefind" not in path.parts:
                js += size
    return css / 1024, js / 1024


def _first_search_bytes(site: Path) -> int | None:
    """Bytes of Pagefind files a first search ("sfi") transfers, in headless Chromium;
    None where Playwright or Chromium is missing."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    if not Path("/usr/bin/chromium").exists():
        return None
    import functools
    import http.server
    import threading

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            pass

    handler = functools.partial(Quiet, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    sizes: dict[str, int] = {}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path="/usr/bin/chromium",
                args=["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"],
            )
            page = browser.new_page()
            page.on(
                "response",
                lambda r: (
                    sizes.__setitem__(r.url, len(r.body())) if "/pagefind/" in r.url else None
                ),
            )
            page.goto(f"http://127.0.0.1:{server.server_address[1]}/en/{addresses.SEARCH}")
            page.locator("input[type=search]").fill("sfi")
            page.locator(".search__results > li").first.wait_for(timeout=30_000)
            page.wait_for_load_state("networkidle")
            browser.close()
    finally:
        server.shutdown()
    return sum(sizes.values())


_CHART_REF = re.compile(r'<img src="([^"]+\.svg)"')


def _page_weight(page: Path) -> int:
    """gzip bytes of a page and of the chart images it shows."""
    total = _gzip_size(page)
    for ref in _CHART_REF.findall(page.read_text(encoding="utf-8")):
        chart = page.parent / ref
        if chart.is_file():
            total += _gzip_size(chart)
    return total


def _site_figures(site: Path) -> dict[str, Any]:
    pages = list(site.rglob("*.html"))
    provider_pages = sorted(p for p in pages if p.parent.name == "provider")
    weights = sorted((_page_weight(p), p) for p in provider_pages) or [(0, site / addresses.START)]
    median_page = weights[len(weights) // 2][1]
    css_kb, js_kb = _page_assets_kb(site, median_page)
    return {
        "pages": len(pages),
        "output_mb": sum(p.stat().st_size for p in site.rglob("*") if p.is_file()) / 2**20,
        "provider_median_kb": statistics.median(w for w, _ in weights) / 1024,
        "provider_max_kb": weights[-1][0] / 1024,
        "css_kb": css_kb,
        "js_kb": js_kb,
        "search_kb": (b / 1024) if (b := _first_search_bytes(site)) is not None else None,
    }


def _settings(work: Path, proof: bool) -> Path:
    """The project's settings, with the disclosure proof off unless ``proof``
    (to time the rules of suppression alone)."""
    if proof:
        return DEFAULT_SETTINGS_FILE
    path = work / "settings-no-proof.py"
    path.write_text(
        f"exec(open({str(DEFAULT_SETTINGS_FILE)!r}, encoding='utf-8').read())\n"
        f"PATH = {str(ROOT / 'content')!r}\n"
        f"THEME = {str(ROOT / 'theme')!r}\n"
        f"PLUGIN_PATHS = [{str(ROOT / 'plugins')!r}]\n"
        "DISCLOSURE_PROOF = False\n",
        encoding="utf-8",
    )
    return path


def run_bench(scale: str, work: Path | None = None, proof: bool = True) -> str:
    work = work or Path(tempfile.gettempdir()) / "kundval-bench"
    data = work / f"data-{scale}"
    if not (data / "results.csv").exists():
        write_sample(data, scale, 1)
    night = work / f"data-{scale}-night"
    shutil.rmtree(night, ignore_errors=True)
    shutil.copytree(data, night)
    _add_one_night(night)
    changed = work / f"data-{scale}-changed"
    shutil.rmtree(changed, ignore_errors=True)
    shutil.copytree(data, changed)
    _change_one_provider(changed)
    site = work / f"site-{scale}"
    cache = work / f"site-{scale}.cache"
    shutil.rmtree(site, ignore_errors=True)
    shutil.rmtree(cache, ignore_errors=True)  # the full build starts from nothing

    work.mkdir(parents=True, exist_ok=True)
    settings = _settings(work, proof)
    runs = {
        "full": _timed_build(data, site, work / "full.json", cache, settings),
        "unchanged": _timed_build(data, site, work / "unchanged.json", cache, settings),
        # New records of the open year: nothing published changes (periods.py).
        "one night": _timed_build(night, site, work / "night.json", cache, settings),
        # A correction of a closed year: one provider's answers all revised.
        "one changed": _timed_build(changed, site, work / "changed.json", cache, settings),
    }
    figures = _site_figures(site)
    return _table(scale, runs, figures, proof)


def _table(
    scale: str, runs: dict[str, dict[str, Any]], figures: dict[str, Any], proved: bool
) -> str:
    names = list(runs)
    full = runs["full"]["wall"]
    lines = [
        f"Benchmark, scale {scale}"
        + ("" if proved else " (DISCLOSURE_PROOF off: the rules of suppression alone)"),
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
    search = figures["search_kb"]
    lines += [
        "",
        f"pages written             {pages}",
        f"pages per second (full)   {pages / full:.0f}",
        f"output size               {figures['output_mb']:.1f} MiB",
        f"provider page, gzip       median {figures['provider_median_kb']:.1f} KB, "
        f"largest {figures['provider_max_kb']:.1f} KB (the HTML and its SVG charts)",
        f"CSS / JS per page, gzip   {figures['css_kb']:.1f} KB / {figures['js_kb']:.1f} KB "
        "(a provider page; JS outside Pagefind's own)",
        "first search query       "
        + (f"{search:.0f} KB of Pagefind files" if search is not None else "n/a (no Chromium)"),
        "pages reused from cache  "
        + ", ".join(
            f"{n}: {runs[n].get('cache', {}).get('hits', 0)}"
            f"/{sum(runs[n].get('cache', {}).values())}"
            for n in names
        ),
    ]
    return "\n".join(lines)
