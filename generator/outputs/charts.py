"""Trend charts: each headline indicator per year, drawn at build time to static SVG.

One chart per provider and indicator, shared by every language: the SVG holds
only numbers (years and percentages), so its cost does not grow with the
number of languages. Titles, the one-sentence summary, the legend and the
equivalent data table are HTML around it, in the page's language.

The chart is built with Altair once, as a Vega-Lite spec with two named
datasets, and compiled to Vega once; each provider's chart only fills in those
datasets and is converted by vl-convert (Rust, no browser, no JavaScript sent
to visitors). Charts are
converted in worker processes when there are many, and a content-hash cache
(optional) lets a rebuild reuse every chart whose numbers did not change.

What is drawn follows the disclosure rules: a year whose figure is suppressed
or missing has no point at all (never 0); the interval is a vertical bar; the
all-provider reference is a dashed grey line with hollow diamonds, so the two
series differ in shape and line style, not only in colour.
"""

from __future__ import annotations

import copy
import hashlib
import json
import multiprocessing
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from generator.outputs.assets import name_hash
from generator.store import Store

_ARIA_HINTS = re.compile(r' (?:role|aria-roledescription|aria-label|aria-hidden)="[^"]*"')
_SIZE = re.compile(r'<svg[^>]* width="([0-9.]+)" height="([0-9.]+)"')
_LONG_DECIMALS = re.compile(r"([0-9]\.[0-9]{2})[0-9]+")
PROVIDER_COLOUR = "#1d4f91"  # dark blue: 8.9:1 on white
REFERENCE_COLOUR = "#595959"  # dark grey: 7:1 on white
# Converting in worker processes pays off only past this many charts
# (each worker first spends about a second importing vl-convert).
PARALLEL_FROM = 60


@dataclass(frozen=True)
class Point:
    year: str
    value: int
    low: int | None = None
    high: int | None = None


@dataclass(frozen=True)
class ChartData:
    """What one chart shows: the provider's published points and the reference line."""

    years: tuple[str, ...]
    provider: tuple[Point, ...]
    reference: tuple[Point, ...]

    def values(self) -> dict[str, list[dict[str, Any]]]:
        """The chart's two datasets, as the template's named data take them."""
        return {
            "provider": [
                {"year": p.year, "value": p.value, "low": p.low, "high": p.high}
                for p in self.provider
            ],
            "reference": [{"year": p.year, "value": p.value} for p in self.reference],
        }

    def spec(self) -> dict[str, Any]:
        """The chart as a Vega spec: the compiled template with this chart's data."""
        spec = copy.deepcopy(_vega_template(self.years))
        values = self.values()
        for data in spec["data"]:
            if data.get("name") in values:
                data["values"] = values[data["name"]]
        return spec

    def key(self) -> str:
        """The cache key of the chart: a hash of its template and its data, which
        together are its whole spec (cheaper than building and hashing the spec,
        as a rebuild looks up thousands of charts and converts a few)."""
        text = json.dumps(self.values(), sort_keys=True, separators=(",", ":"))
        return hashlib.sha256((_template_key(self.years) + text).encode()).hexdigest()


@lru_cache(maxsize=8)
def _template_key(years: tuple[str, ...]) -> str:
    import vl_convert as vlc

    text = json.dumps(_vega_template(years), sort_keys=True, separators=(",", ":"))
    return f"{vlc.__version__}\0{text}\0"


@lru_cache(maxsize=8)
def _template(years: tuple[str, ...]) -> dict[str, Any]:
    import altair as alt

    x = alt.X(
        "year:O",
        scale=alt.Scale(domain=list(years)),
        axis=alt.Axis(labelAngle=0, title=None, labelFontSize=12),
    )
    y_scale = alt.Scale(domain=[0, 100], nice=False)
    y_axis = alt.Axis(
        title=None, values=[0, 25, 50, 75, 100], labelFontSize=12, labelExpr="datum.value + '%'"
    )
    reference = (
        alt.Chart(alt.Data(name="reference"))
        .mark_line(
            strokeDash=[6, 4],
            color=REFERENCE_COLOUR,
            strokeWidth=2,
            point=alt.OverlayMarkDef(
                shape="diamond",
                filled=True,
                fill="white",
                color=REFERENCE_COLOUR,
                size=70,
                strokeWidth=2,
            ),
        )
        .encode(x=x, y=alt.Y("value:Q", scale=y_scale, axis=y_axis))
    )
    interval = (
        alt.Chart(alt.Data(name="provider"))
        .mark_rule(color=PROVIDER_COLOUR, strokeWidth=3)
        .encode(x=x, y=alt.Y("low:Q", scale=y_scale, axis=y_axis), y2="high:Q")
    )
    point = (
        alt.Chart(alt.Data(name="provider"))
        .mark_point(filled=True, size=90, color=PROVIDER_COLOUR, opacity=1, shape="circle")
        .encode(x=x, y=alt.Y("value:Q", scale=y_scale, axis=y_axis))
    )
    chart = (
        alt.layer(reference, interval, point)
        .properties(width=300, height=160)
        .configure_view(stroke=None)
        .configure(font="sans-serif")
    )
    spec = chart.to_dict()
    # No generated ARIA text: it would be English on every page. The page
    # labels the chart in its own language and gives the data as a table.
    spec["config"]["aria"] = False
    spec.pop("datasets", None)
    return spec


@lru_cache(maxsize=8)
def _vega_template(years: tuple[str, ...]) -> dict[str, Any]:
    """The Vega-Lite template compiled to Vega once: every chart then skips the
    compilation (a quarter of the conversion time). The scales' domains are
    fixed (the five years, 0-100 %), so the compiled spec fits every chart."""
    import vl_convert as vlc

    spec = copy.deepcopy(_template(years))
    spec["datasets"] = {"provider": [], "reference": []}
    return vlc.vegalite_to_vega(spec)


def _convert(spec: dict[str, Any]) -> str:
    import vl_convert as vlc

    # Two decimals are a hundredth of a pixel: the rest only makes every page heavier.
    svg = _LONG_DECIMALS.sub(r"\1", vlc.vega_to_svg(spec))
    # The page shows the chart as an image (alt="": the caption and the table
    # carry its meaning), so Vega's leftover ARIA hints are dropped.
    return _ARIA_HINTS.sub("", svg)


def render_charts(
    charts: Iterable[ChartData], store: Store | None = None, workers: int | None = None
) -> list[str]:
    """SVG for each chart, in order; identical charts are converted once.

    ``store`` keeps the SVGs between builds, by a hash of their specs; it then
    keeps only this build's charts.
    """
    wanted = list(charts)
    keys = [c.key() for c in wanted]
    svgs: dict[str, str] = {}
    if store is not None:
        for key in set(keys):
            data = store.get(key)
            if data is not None:
                svgs[key] = data.decode("utf-8")
    todo: dict[str, dict[str, Any]] = {}
    for key, chart in zip(keys, wanted, strict=True):
        if key not in svgs and key not in todo:
            todo[key] = chart.spec()
    if todo:
        specs = list(todo.values())
        workers = workers or os.cpu_count() or 1
        if len(specs) >= PARALLEL_FROM and workers > 1:
            # spawn: forking a process that has loaded pandas and Pelican is unsafe.
            with multiprocessing.get_context("spawn").Pool(workers) as pool:
                done = pool.map(_convert, specs, chunksize=16)
        else:
            done = [_convert(s) for s in specs]
        for key, svg in zip(todo, done, strict=True):
            svgs[key] = svg
            if store is not None:
                store.put(key, svg.encode("utf-8"))
    if store is not None:
        store.keep()
    return [svgs[k] for k in keys]


def render_chart_files(
    site: Path, charts: Iterable[ChartData], store: Store | None = None
) -> list[ChartFile]:
    """Draw each chart (or take it from ``store``) and write it into the site."""
    return write_chart_files(site, render_charts(charts, store))


@dataclass(frozen=True)
class ChartFile:
    """A chart as the pages use it: a file named by its content, and its size."""

    path: str  # relative to the site root, e.g. charts/ghijklmnopabcdef.svg
    width: int
    height: int


def write_chart_files(site: Path, svgs: Iterable[str]) -> list[ChartFile]:
    """Write each SVG once, as charts/<hash of its content>.svg (cacheable for a
    year, shared by every language and by every provider with the same chart)."""
    out = []
    folder = site / "charts"
    folder.mkdir(parents=True, exist_ok=True)
    for svg in svgs:
        name = name_hash(svg.encode(), 16)
        path = folder / f"{name}.svg"
        if not path.exists():
            path.write_text(svg, encoding="utf-8")
        size = _SIZE.search(svg)
        width, height = (round(float(size[1])), round(float(size[2]))) if size else (0, 0)
        out.append(ChartFile(f"charts/{name}.svg", width, height))
    return out


def trend_chart_data(model: Any) -> dict[tuple[str, str], ChartData]:
    """(provider_id, indicator) -> chart, for every headline figure with a year to draw."""
    from generator.model.sitemodel import HEADLINE
    from generator.model.verdicts import trend_span

    out: dict[tuple[str, str], ChartData] = {}
    for indicator in HEADLINE:
        for provider in model.providers:
            years = trend_span(provider, model.trend_years, indicator)
            points = tuple(
                Point(y, f.value, f.ci_low, f.ci_high)
                for y in years
                if (f := provider.figure(y, indicator)) is not None and f.shown
            )
            reference = tuple(
                Point(y, f.value)
                for y in years
                if (f := model.all_figures.get(y, {}).get(indicator)) is not None and f.shown
            )
            if points:
                out[(provider.id, indicator)] = ChartData(years, points, reference)
    return out
