"""Only complete years are published: a January night shows last year, and a
night changes no published figure because records of the open year arrived."""

from __future__ import annotations

import csv
import datetime as dt
import shutil
from pathlib import Path

import pandas as pd
import pytest

from generator.build.pipeline import BuildReport, _indicator_table, _published_years
from generator.build.settings import load_settings
from generator.ingest.periods import complete_years, last_complete_year
from generator.ingest.validate import load_and_validate
from tests.make_dataset import make_dataset

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(
    ("data_date", "lag", "year"),
    [
        (dt.date(2025, 12, 31), 0, 2025),
        (dt.date(2025, 12, 30), 0, 2024),
        (dt.date(2026, 1, 7), 0, 2025),
        (dt.date(2026, 1, 7), 10, 2024),
        (dt.date(2026, 1, 10), 10, 2025),
        (None, 0, None),
    ],
)
def test_a_year_is_complete_once_the_data_reach_its_last_day(
    data_date: dt.date | None, lag: int, year: int | None
) -> None:
    assert last_complete_year(data_date, lag) == year


def test_a_record_of_the_open_year_waits_and_a_running_one_keeps_its_start() -> None:
    ds = make_dataset(
        [
            {"record_id": "a", "start_date": "2025-03-01", "end_date": "2025-06-01",
             "outcome": "work", "satisfaction_end": 5},
            {"record_id": "b", "start_date": "2025-12-01", "end_date": "2026-01-05",
             "outcome": "work", "satisfaction_end": 5, "grade": "passed"},
            {"record_id": "c", "start_date": "2026-01-02", "end_date": "2026-01-06",
             "outcome": "none", "satisfaction_end": 1},
        ],
        staff=[
            {"provider_id": "p1", "year": 2025, "role": "teacher", "headcount": 4},
            {"provider_id": "p1", "year": 2026, "role": "teacher", "headcount": 9},
        ],
    )
    cut = complete_years(ds)
    assert cut.reporting_year == 2025 and cut.data_date == dt.date(2026, 1, 6)
    assert list(cut.results["record_id"]) == ["a", "b"]
    running = cut.results.set_index("record_id").loc["b"]
    assert pd.isna(running["end_date"]) and pd.isna(running["outcome"])
    assert pd.isna(running["satisfaction_end"]) and pd.isna(running["grade"])
    assert list(cut.staff["year"]) == [2025]


def _write(folder: Path, rows: list[dict[str, str]]) -> None:
    path = folder / "results.csv"
    with path.open(newline="", encoding="utf-8") as fh:
        fields = next(csv.reader(fh))
    with path.open("a", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=fields)
        for row in rows:
            writer.writerow({name: row.get(name, "") for name in fields})


def _table(folder: Path) -> pd.DataFrame:
    settings = load_settings(ROOT / "pelicanconf.py")
    ds = _published_years(load_and_validate(folder), settings)
    return _indicator_table(ds, settings, BuildReport())


def test_a_january_night_publishes_the_closed_years_and_nothing_of_the_new_one(
    tmp_path: Path,
) -> None:
    """The measurement of the issue: six records ending on 2-7 January, and one
    record that was running on 31 December and ends in January."""
    provider = "sickla-vuxenutbildning"
    december = tmp_path / "december"
    shutil.copytree(ROOT / "data", december)
    running = {"record_id": "rrunning1", "provider_id": provider, "service": "sfi",
               "start_date": "2025-12-15", "age_band": "30-54"}
    _write(december, [running])
    january = tmp_path / "january"
    shutil.copytree(ROOT / "data", january)
    ended = {**running, "end_date": "2026-01-05", "end_reason": "completed", "outcome": "work"}
    _write(january, [ended])
    _write(
        january,
        [
            {"record_id": f"rjan{day}", "provider_id": provider, "service": "sfi",
             "start_date": f"2026-01-0{day - 1}", "end_date": f"2026-01-0{day}",
             "end_reason": "completed", "outcome": "work", "satisfaction_end": "5",
             "age_band": "30-54"}
            for day in range(2, 8)
        ],
    )
    assert load_and_validate(january).data_date == dt.date(2026, 1, 7)

    before, after = _table(december), _table(january)
    assert "2026" not in set(after["year"])
    assert "2023-2025" in set(after["year"]) and "2024-2026" not in set(after["year"])
    # Not a single published count moved overnight.
    pd.testing.assert_frame_equal(before, after)
