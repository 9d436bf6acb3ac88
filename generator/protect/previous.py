"""Release to release: tonight's figures are protected together with the live site's.

Whoever kept last night's open data holds its figures too. Within a year the
two releases publish the same figures (only complete years are published,
``periods.py``), but when a year closes the headline period moves on
(2022-2024 becomes 2023-2025) and both pooled periods are public: their
difference ties the years together in a way neither release does alone, and
a cell hidden in each release can be worked out from the pair.

So disclosure control protects one table holding both releases: tonight's
rows, followed by the live release's rows for periods tonight no longer
publishes, computed again from tonight's data. Every row the live release
published with the same counts is *known*: hiding it tonight protects nothing,
so it is shown again and the proof treats it as public. The live release's own
rows keep their status and labels; they cannot change any more.

A published figure whose counts differ from last night's was corrected in a
closed year; such *revisions* are listed in the build report (their
difference tells about the records corrected, see README "Release to
release").
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from generator.compute import registry
from generator.compute.indicators import STARTED, WORK_OR_STUDIES_VS_EXPECTED
from generator.protect.disclosure import FEWER_THAN_K, Earlier

KEY = ["provider_id", "year", "indicator", "breakdown"]
FOLLOWERS = (WORK_OR_STUDIES_VS_EXPECTED, *registry.DERIVED)


def read_release(site: Path | None) -> pd.DataFrame | None:
    """The published indicator rows of a built site, or None where there is none
    (a first build, or a folder that is not one of our sites)."""
    if site is None:
        return None
    path = site / "data" / "indicators.csv"
    try:
        rows = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except (OSError, ValueError, UnicodeDecodeError):
        return None
    wanted = {*KEY, "numerator", "denominator", "value", "suppressed", "reason"}
    if not wanted <= set(rows.columns):
        return None
    return rows


def latest_year(rows: pd.DataFrame) -> int | None:
    """The reporting year of a release: the end of its pooled period, else its latest year."""
    years = rows["year"].astype(str)
    pooled = years[years.str.fullmatch(r"\d{4}-\d{4}")]
    if len(pooled):
        return int(pooled.iloc[0][-4:])
    single = years[years.str.fullmatch(r"\d{4}")]
    return int(single.astype(int).max()) if len(single) else None


@dataclass
class Joint:
    """The table disclosure control protects, and what the live release already told."""

    table: pd.DataFrame  # tonight's rows first, then the live release's own rows
    tonight: int  # how many rows are tonight's
    earlier: Earlier
    revised: list[str] = field(default_factory=list)  # published rows whose counts changed


def _keys(table: pd.DataFrame) -> pd.Series:
    parts = [table[c].astype("string").fillna("") for c in KEY]
    return parts[0] + "\x1f" + parts[1] + "\x1f" + parts[2] + "\x1f" + parts[3]


def _published_counts(rows: pd.DataFrame) -> pd.DataFrame:
    """numerator/denominator as the live release published them (the count for volumes)."""
    is_count = rows["indicator"] == STARTED
    den = rows["denominator"].where(~is_count, rows["value"])
    return pd.DataFrame(
        {
            "num": pd.to_numeric(rows["numerator"].where(~is_count, ""), errors="coerce"),
            "den": pd.to_numeric(den, errors="coerce"),
        }
    )


def _true_counts(table: pd.DataFrame) -> pd.DataFrame:
    is_count = (table["indicator"] == STARTED).to_numpy(dtype=bool)
    den = table["denominator"].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    count = table["count"].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    num = table["numerator"].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    return pd.DataFrame(
        {"num": np.where(is_count, np.nan, num), "den": np.where(is_count, count, den)}
    )


def _same(a: pd.DataFrame, b: pd.DataFrame) -> np.ndarray:
    num_a, num_b = a["num"].to_numpy(float), b["num"].to_numpy(float)
    den_a, den_b = a["den"].to_numpy(float), b["den"].to_numpy(float)
    same_num = (np.isnan(num_a) & np.isnan(num_b)) | (num_a == num_b)
    return same_num & (den_a == den_b)


def joint_table(
    table: pd.DataFrame,
    live: pd.DataFrame | None,
    table_for_year: Callable[[int], pd.DataFrame],
    k: int | Callable[[pd.DataFrame], np.ndarray],
    reporting_year: int | None,
) -> Joint:
    """Tonight's true table joined with what ``live`` published.

    ``k`` is the disclosure threshold, or gives each row's (the staff figures
    have their own).

    ``table_for_year(year)`` computes the true table of an earlier reporting
    year from tonight's data (for the periods only the live release has).
    """
    table = table.reset_index(drop=True)
    n = len(table)
    if live is None or not len(live):
        return Joint(table, n, Earlier.nothing(n))
    # Neither kind is protected: one follows its base row, the other is worked
    # out from published rows (derived.py).
    live = live[~live["indicator"].isin(FOLLOWERS)].reset_index(drop=True)
    published = (live["suppressed"] != "yes").to_numpy(dtype=bool)
    live_keys = _keys(live)

    # Rows of tonight's table the live release published.
    position = pd.Series(np.arange(n), index=_keys(table).to_numpy())
    position = position[~position.index.duplicated()]
    at = position.reindex(live_keys.to_numpy()).to_numpy()
    shared = ~np.isnan(at)
    rows = at[shared & published].astype(np.int64)
    before = _published_counts(live[shared & published].reset_index(drop=True))
    now = _true_counts(table.iloc[rows].reset_index(drop=True))
    same = _same(before, now)
    known = np.zeros(n, dtype=bool)
    known[rows[same]] = True
    revised = list(live_keys[shared & published].to_numpy()[~same])
    # A hidden row keeps its label only while its size stays on the same side of K.
    hidden_rows = at[shared & ~published].astype(np.int64)
    small_then = (live["reason"] == FEWER_THAN_K).to_numpy(dtype=bool)[shared & ~published]

    def small(rows: pd.DataFrame) -> np.ndarray:
        """Rows under their threshold, by tonight's counts."""
        limit = k(rows) if callable(k) else np.full(len(rows), k)
        return (_true_counts(rows)["den"] < limit).to_numpy(dtype=bool)

    small_now = small(table.iloc[hidden_rows].reset_index(drop=True))
    relabelled = small_then != small_now
    revised += list(live_keys[shared & ~published].to_numpy()[relabelled])
    # Hidden then, hidden now: the pattern stays where it was, so tonight adds
    # nothing about these rows to what last night told.
    hidden_before = np.zeros(n, dtype=bool)
    hidden_before[hidden_rows[~relabelled]] = True

    # Rows only the live release has: its periods, computed again from tonight's data.
    only = ~shared & (live["year"].astype(str) != "")
    year = latest_year(live)
    extra = pd.DataFrame(columns=table.columns)
    extra_known = extra_hidden = np.zeros(0, dtype=bool)
    if only.any() and year is not None and reporting_year is not None and year <= reporting_year:
        then = table_for_year(year).reset_index(drop=True)
        then = then[then["indicator"] != WORK_OR_STUDIES_VS_EXPECTED].reset_index(drop=True)
        then_at = pd.Series(np.arange(len(then)), index=_keys(then).to_numpy())
        then_at = then_at[~then_at.index.duplicated()]
        found = then_at.reindex(live_keys[only].to_numpy()).to_numpy()
        have = ~np.isnan(found)
        picked = found[have].astype(np.int64)
        extra = then.iloc[picked].reset_index(drop=True)
        was_published = published[only][have]
        same = _same(
            _published_counts(live[only].reset_index(drop=True)[have].reset_index(drop=True)),
            _true_counts(extra),
        )
        revised += list(live_keys[only].to_numpy()[have][was_published & ~same])
        gone = ~have & published[only]  # nothing left of a published row
        revised += list(live_keys[only].to_numpy()[gone])
        small_then = (live["reason"] == FEWER_THAN_K).to_numpy(dtype=bool)[only][have]
        small_now = small(extra)
        relabelled = ~was_published & (small_then != small_now)
        revised += list(live_keys[only].to_numpy()[have][relabelled])
        # Rows whose figures or labels still hold keep their status from then.
        # The others (revisions, listed above) and the rows of those periods
        # the live release left out altogether stay in as unknowns with no
        # label: every sum of the period must keep all its parts.
        extra_known = was_published & same
        extra_hidden = ~was_published & (small_then == small_now)
        left_out = np.ones(len(then), dtype=bool)
        left_out[picked] = False
        left_out &= ~_keys(then).isin(set(_keys(table))).to_numpy()
        left_out &= then["year"].astype(str).isin(set(live["year"][only])).to_numpy()
        extra = pd.concat([extra, then[left_out]], ignore_index=True)
        extra_known = np.concatenate([extra_known, np.zeros(int(left_out.sum()), dtype=bool)])
        extra_hidden = np.concatenate([extra_hidden, np.zeros(int(left_out.sum()), dtype=bool)])
    # Same dtypes as tonight's table, and the very same table when nothing is
    # added: the proof kept for it is found by a hash of its columns.
    joined = (
        table
        if extra.empty
        else pd.concat([table, extra.astype(table.dtypes.to_dict())], ignore_index=True)
    )
    m = len(extra)
    fixed = np.concatenate([np.zeros(n, dtype=bool), np.ones(m, dtype=bool)])
    known = np.concatenate([known, extra_known])
    hidden = np.concatenate([hidden_before, extra_hidden])
    earlier = Earlier(known=known, hidden=hidden, fixed=fixed, free=fixed & ~known & ~hidden)
    return Joint(joined, n, earlier, sorted(set(revised)))

