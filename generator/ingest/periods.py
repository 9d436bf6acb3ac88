"""Reporting periods: only complete calendar years are published.

The year of the data is not the year of its latest record. A nightly build on
7 January holds a week of the new year; publishing that week as "the latest
year" would show six records as a headline, and every night would publish a
figure that differs from last night's by the records that arrived in between,
which tells a visitor who keeps both releases those people's answers. So a
year enters the site once the data have reached its 31 December (plus an
optional reporting lag for late registrations) and not before; the records of
the open year wait, unpublished, until it closes. Between two nights, the
published figures change only where records of a closed year were corrected.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pandas as pd

from generator.compute.indicators import years_of
from generator.ingest.dataset import Dataset

# What a record only has once it has ended.
ENDING_COLUMNS = ("end_date", "end_reason", "outcome", "outcome_6m", "satisfaction_end", "grade")


def last_complete_year(data_date: dt.date | None, lag_days: int = 0) -> int | None:
    """The latest calendar year whose 31 December lies ``lag_days`` or more before
    the data date; None without dated records."""
    if data_date is None:
        return None
    reached = data_date - dt.timedelta(days=lag_days)
    return reached.year if (reached.month, reached.day) == (12, 31) else reached.year - 1


def complete_years(ds: Dataset, lag_days: int = 0, year: int | None = None) -> Dataset:
    """The dataset as published: records, staff and groups of complete years only.

    A result counts in the year it ended in and a start in the year it started
    in. A record that started in a complete year and ended in the open one is
    published as it stood at the end of the complete year: started, still
    running. Its start keeps counting (a published volume never shrinks when
    someone finishes) and its ending waits for the open year to close.
    ``year`` asks for an earlier complete year than the latest.
    """
    complete = last_complete_year(ds.data_date, lag_days)
    # An earlier year may be asked for (the live release's, see previous.py), never a later one.
    year = complete if year is None or complete is None else min(year, complete)
    if year is None:
        return replace(ds, reporting_year=None)
    results = ds.results
    end, start = years_of(results["end_date"]), years_of(results["start_date"])
    keep = start <= year
    still_running = keep & (end > year)
    if still_running.any():
        results = results.copy()
        for column in ENDING_COLUMNS:
            results.loc[still_running, column] = pd.NA
    staff = ds.staff[(ds.staff["year"] <= year).fillna(True).to_numpy(dtype=bool)]
    groups = ds.groups[(ds.groups["year"] <= year).fillna(True).to_numpy(dtype=bool)]
    return replace(
        ds,
        results=results[keep].reset_index(drop=True),
        staff=staff.reset_index(drop=True),
        groups=groups.reset_index(drop=True),
        reporting_year=year,
    )
