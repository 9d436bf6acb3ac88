"""Release to release: an attacker holding last year's release and this year's.

The classic route: in the 2024 release a tiny 2022 cell is protected by hiding
its neighbour 2023; the pooled 2022-2024 figure is published. When 2025 closes,
2022 is no longer in the pooled period, so nothing forces 2023 to stay hidden;
published, it gives 2022 = pooled(2022-2024) - 2023 - 2024 from the two
releases together. Protected together, 2023 stays hidden.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import replace

import numpy as np
import pandas as pd

from generator.compute.indicators import compute_indicators
from generator.ingest.periods import complete_years
from generator.outputs.opendata import indicators_csv
from generator.protect.audit import measure
from generator.protect.disclosure import protect, published_rows
from generator.protect.previous import KEY, joint_table
from tests.make_dataset import make_dataset

K, R = 5, 20


def _records() -> list[dict[str, object]]:
    out: list[dict[str, object]] = []
    sizes = {"p1": {2022: 2, 2023: 6, 2024: 7, 2025: 8},
             "p2": {2022: 9, 2023: 8, 2024: 9, 2025: 7},
             "p3": {2022: 6, 2023: 7, 2024: 6, 2025: 9}}
    for provider, years in sizes.items():
        for year, n in years.items():
            for i in range(n):
                out.append({
                    "record_id": f"{provider}-{year}-{i}", "provider_id": provider,
                    "start_date": f"{year}-02-01", "end_date": f"{year}-0{1 + i % 9}-15"
                    if i % 9 >= 1 else f"{year}-03-15",
                    "end_reason": "completed", "satisfaction_end": 5 if i % 3 else 2,
                })
    return out


def _release(ds, year: int, live: pd.DataFrame | None):
    cut = complete_years(replace(ds, data_date=dt.date(year, 12, 31)))
    table = compute_indicators(cut, years=3).reset_index(drop=True)
    joint = joint_table(
        table, live, lambda y: compute_indicators(complete_years(cut, year=y), years=3), K,
        cut.reporting_year,
    )
    protected = protect(joint.table, k=K, r=R, earlier=joint.earlier)
    return cut, table, joint, published_rows(protected.iloc[: joint.tonight])


def _as_published(protected: pd.DataFrame) -> pd.DataFrame:
    text = indicators_csv(protected)
    return pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)


def _attack_both(ds, old: pd.DataFrame, new_table: pd.DataFrame, new: pd.DataFrame, year: int):
    """The interval audit over both releases: one table, a figure public if either
    release published it, the old release's hidden rows with their labels."""
    joint = joint_table(
        new_table, old, lambda y: compute_indicators(complete_years(ds, year=y), years=3), K,
        year,
    )
    n = joint.tonight
    old_rows = old.set_index(KEY)
    extra = joint.table.iloc[n:][KEY].astype(str)
    # A row of the old periods that the old release left out is unknown, unlabelled.
    left_out = {"suppressed": "yes", "reason": "withdrawn"}
    then = [
        old_rows.loc[tuple(key)] if tuple(key) in old_rows.index else left_out
        for key in extra.itertuples(index=False)
    ]
    published = pd.DataFrame(
        {
            "suppressed": np.concatenate([
                new["suppressed"].to_numpy(bool) & ~joint.earlier.known[:n],
                np.array([row["suppressed"] == "yes" for row in then], dtype=bool),
            ]),
            "reason": list(new["reason"]) + [row["reason"] for row in then],
        }
    )
    return measure(joint.table, published, K, R)


def test_a_year_closing_gives_nothing_away_to_someone_with_both_releases() -> None:
    ds = make_dataset(_records(), data_date=dt.date(2025, 12, 31))
    _, _, _, old = _release(ds, 2024, None)
    old = _as_published(old)

    cut, table, joint, new = _release(ds, 2025, old)
    found = _attack_both(cut, old, table, new, 2025)
    assert not found.leaks, found.lines()
    # What the old release showed with the same counts is shown again.
    shown_before = set(map(tuple, old.loc[old["suppressed"] == "no", KEY].to_numpy()))
    shown_now = set(map(tuple, new.loc[~new["suppressed"], KEY].astype(str).to_numpy()))
    same_period = {k for k in shown_before if k[1] in set(new["year"])}
    assert same_period <= shown_now

    # Protected on its own, the new release gives hidden figures away.
    alone = published_rows(protect(table, k=K, r=R))
    found = _attack_both(cut, old, table, alone, 2025)
    assert found.leaks


def test_a_correction_to_a_closed_year_is_listed_as_a_revision() -> None:
    ds = make_dataset(_records(), data_date=dt.date(2025, 12, 31))
    _, _, _, before = _release(ds, 2025, None)
    before = _as_published(before)
    late = {"record_id": "late", "provider_id": "p2", "start_date": "2023-02-01",
            "end_date": "2023-05-15", "end_reason": "completed", "satisfaction_end": 5}
    corrected = make_dataset([*_records(), late], data_date=dt.date(2025, 12, 31))
    cut = complete_years(corrected)
    joint = joint_table(compute_indicators(cut, years=3), before, lambda y: None, K, 2025)
    revised = {key.replace("\x1f", "/") for key in joint.revised}
    assert {"p2/2023/satisfied_end/total", "all/2023/satisfied_end/total",
            "p2/2023/started/total"} <= revised
    assert not any("p1/" in key or "/2024/" in key for key in revised)
    # The corrected figures are not known: their counts changed.
    n = joint.tonight
    changed = joint.table.iloc[:n].assign(known=joint.earlier.known[:n])
    row = changed[(changed.provider_id == "p2") & (changed.year == "2023")
                  & (changed.indicator == "satisfied_end")]
    assert not row["known"].any()


def test_a_night_with_nothing_new_protects_the_very_same_table() -> None:
    """The proof kept for a table is found by a hash of its columns: a live
    release that adds no rows must leave the table, dtypes included, as it is."""
    ds = make_dataset(_records(), data_date=dt.date(2025, 12, 31))
    cut, table, _, published = _release(ds, 2025, None)
    joint = joint_table(table, _as_published(published), lambda y: None, K, 2025)
    assert joint.tonight == len(joint.table)
    pd.testing.assert_frame_equal(joint.table, table)
    # Everything published last night is known (the case-mix rows take no part in sums).
    shown = ~published["suppressed"] & (published["indicator"] != "work_or_studies_vs_expected")
    assert joint.earlier.known.sum() == shown.sum() > 0
