"""Indicators on hand-made datasets with answers worked out by hand."""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pandas as pd
import pytest
from make_dataset import make_dataset

from generator.compute.indicators import (
    ALL,
    BREAKDOWN_INDICATORS,
    INDICATOR_COLUMNS,
    SERVICE_ONLY_INDICATORS,
    compute_group_sizes,
    compute_indicators,
)
from generator.compute.stats import wilson


def ended(year: int = 2025, **fields: Any) -> dict[str, Any]:
    """A record that ended normally in the given year."""
    return {
        "start_date": f"{year}-01-10",
        "end_date": f"{year}-06-10",
        "end_reason": "completed",
        **fields,
    }


def row(table: pd.DataFrame, indicator: str, provider: str = "p1", year: str = "2025",
        breakdown: str = "total") -> pd.Series:
    hit = table[
        (table["provider_id"] == provider)
        & (table["year"] == year)
        & (table["indicator"] == indicator)
        & (table["breakdown"] == breakdown)
    ]
    assert len(hit) == 1, f"expected one row for {provider} {year} {indicator} {breakdown}"
    return hit.iloc[0]


def fraction(table: pd.DataFrame, indicator: str, **where: str) -> tuple[int, int]:
    r = row(table, indicator, **where)
    return int(r["numerator"]), int(r["denominator"])


def has_row(table: pd.DataFrame, indicator: str, provider: str = "p1", year: str = "2025") -> bool:
    return bool(
        (
            (table["provider_id"] == provider)
            & (table["year"] == year)
            & (table["indicator"] == indicator)
        ).any()
    )


# ---------------------------------------------------------------------------
# Shape


def test_columns_and_dtypes() -> None:
    table = compute_indicators(make_dataset([ended(satisfaction_end=5)]))
    assert tuple(table.columns) == INDICATOR_COLUMNS
    for column in ("provider_id", "year", "indicator", "breakdown"):
        assert table[column].dtype == "string"
    for column in ("numerator", "denominator", "count"):
        assert table[column].dtype == "Int64"
    for column in ("share", "ci_low", "ci_high"):
        assert table[column].dtype == "Float64"


def test_empty_dataset_gives_empty_table_with_the_columns() -> None:
    table = compute_indicators(make_dataset([]))
    assert table.empty and tuple(table.columns) == INDICATOR_COLUMNS


def test_reserved_provider_id_is_refused() -> None:
    with pytest.raises(ValueError, match="reserved"):
        compute_indicators(make_dataset([ended(provider_id=ALL)]))


def test_bad_arguments_are_refused() -> None:
    ds = make_dataset([ended()])
    with pytest.raises(ValueError):
        compute_indicators(ds, years=0)
    with pytest.raises(ValueError):
        compute_indicators(ds, breakdowns=("gender_identity",))


# ---------------------------------------------------------------------------
# Indicators 1-5


def test_satisfied_end_counts_4_and_5_among_answers() -> None:
    ds = make_dataset(
        [ended(satisfaction_end=s) for s in (1, 2, 3, 4, 5, 5)]
        + [ended(), {"start_date": "2025-02-01", "satisfaction_end": 5}]  # no answer; ongoing
    )
    table = compute_indicators(ds)
    assert fraction(table, "satisfied_end") == (3, 6)
    r = row(table, "satisfied_end")
    assert r["share"] == pytest.approx(0.5)
    low, high = wilson(3, 6)
    assert r["ci_low"] == pytest.approx(float(low)) and r["ci_high"] == pytest.approx(float(high))
    assert pd.isna(r["count"])


def test_satisfied_4w_is_counted_in_the_end_year() -> None:
    ds = make_dataset(
        [
            {"start_date": "2024-11-01", "end_date": "2025-03-01", "satisfaction_4w": 4},
            {"start_date": "2024-11-01", "end_date": "2025-03-01", "satisfaction_4w": 2},
            {"start_date": "2024-11-01", "satisfaction_4w": 5},  # ongoing: no end year
        ]
    )
    table = compute_indicators(ds)
    assert fraction(table, "satisfied_4w") == (1, 2)
    assert not has_row(table, "satisfied_4w", year="2024")


def test_work_or_studies_excludes_external_unknown_and_ongoing() -> None:
    ds = make_dataset(
        [
            ended(outcome="work"),
            ended(outcome="studies"),
            ended(outcome="own_business"),  # a success too
            ended(outcome="none"),
            ended(outcome="none", end_reason="dropped_out"),
            ended(outcome="work", end_reason="switched_provider"),
            ended(outcome="work", end_reason="external"),  # excluded
            ended(outcome=None),  # unknown outcome: excluded
            {"start_date": "2025-01-10", "outcome": "work"},  # ongoing: excluded
        ]
    )
    assert fraction(compute_indicators(ds), "work_or_studies") == (4, 6)


def test_work_and_studies_apart_on_the_base_of_work_or_studies() -> None:
    ds = make_dataset(
        [
            ended(outcome="work", service="sfi"),
            ended(outcome="work", end_reason="switched_provider", service="sfi"),
            ended(outcome="studies", service="jobbcoachning"),
            ended(outcome="own_business", service="sfi"),  # the combined figure's only
            ended(outcome="none", service="sfi"),
            ended(outcome="work", end_reason="external", service="sfi"),  # excluded
            ended(outcome=None, service="sfi"),  # unknown outcome: excluded
        ]
    )
    table = compute_indicators(ds, breakdowns=("service", "born_abroad"))
    assert fraction(table, "work_or_studies") == (4, 5)
    assert fraction(table, "into_work") == (2, 5)
    assert fraction(table, "into_studies") == (1, 5)
    assert fraction(table, "into_work", breakdown="service=sfi") == (2, 4)
    assert fraction(table, "into_studies", breakdown="service=jobbcoachning") == (1, 1)
    assert fraction(table, "into_studies", breakdown="service=sfi") == (0, 4)
    # By service, but by no customer group.
    split = table[table["indicator"].isin(["into_work", "into_studies"])]
    assert set(split["breakdown"].str.partition("=")[0]) == {"total", "service"}


def test_dropouts_and_switches_among_every_record_that_ended() -> None:
    ds = make_dataset(
        [
            ended(end_reason="dropped_out", outcome=None),
            ended(end_reason="dropped_out", outcome="work"),
            ended(end_reason="switched_provider"),
            ended(end_reason="external"),  # ended all the same
            ended(end_reason=None),
            ended(),
            {"start_date": "2025-01-10", "end_reason": "dropped_out"},  # not ended: left out
        ]
    )
    table = compute_indicators(ds, breakdowns=("service", "born_abroad"))
    assert fraction(table, "dropped_out") == (2, 6)
    assert fraction(table, "switched_provider") == (1, 6)
    # For all of a provider's customers only: no row by service or group.
    ended_rows = table[table["indicator"].isin(["dropped_out", "switched_provider"])]
    assert set(ended_rows["breakdown"]) == {"total"}


def test_self_sufficient_6m_only_among_successes_with_known_status() -> None:
    ds = make_dataset(
        [
            ended(outcome="work", outcome_6m="self_sufficient"),
            ended(outcome="own_business", outcome_6m="self_sufficient"),
            ended(outcome="studies", outcome_6m="not_self_sufficient"),
            ended(outcome="work", outcome_6m=None),  # unknown: excluded
            ended(outcome="none", outcome_6m="self_sufficient"),  # not a success
            ended(outcome="work", outcome_6m="self_sufficient", end_reason="external"),
        ]
    )
    assert fraction(compute_indicators(ds), "self_sufficient_6m") == (2, 3)


def test_a_six_month_row_follows_every_work_or_studies_row_even_when_empty() -> None:
    """Were the six-month row listed only where someone got work or studies, its
    presence would tell that at least one person in a hidden group did."""
    ds = make_dataset(
        [ended(provider_id="p1", outcome="none", born_abroad=True),
         ended(provider_id="p1", outcome="work", outcome_6m="self_sufficient", born_abroad=False),
         ended(provider_id="p2", outcome="none")]
    )
    table = compute_indicators(ds, breakdowns=("born_abroad",))
    assert fraction(table, "self_sufficient_6m", provider="p2") == (0, 0)
    pooled = {"year": "2023-2025"}
    assert fraction(table, "self_sufficient_6m", breakdown="born_abroad=yes", **pooled) == (0, 0)
    assert fraction(table, "self_sufficient_6m", breakdown="born_abroad=no", **pooled) == (1, 1)
    keys = ["provider_id", "year", "breakdown"]
    work = table[table["indicator"] == "work_or_studies"][keys]
    six = table[table["indicator"] == "self_sufficient_6m"][keys]
    assert sorted(map(tuple, work.values)) == sorted(map(tuple, six.values))


def test_passed_among_ended_records_with_a_grade() -> None:
    ds = make_dataset(
        [
            ended(grade="passed"),
            ended(grade="passed"),
            ended(grade="failed"),
            ended(grade=None),
            {"start_date": "2025-01-10", "grade": "passed"},  # ongoing
        ]
    )
    assert fraction(compute_indicators(ds), "passed") == (2, 3)


def test_started_counts_records_by_start_year() -> None:
    ds = make_dataset(
        [
            {"start_date": "2024-12-20", "end_date": "2025-02-01"},
            {"start_date": "2025-01-05"},
            {"start_date": "2025-03-05", "end_date": "2025-04-01"},
        ]
    )
    table = compute_indicators(ds)
    r = row(table, "started")
    assert r["count"] == 2
    for column in ("numerator", "denominator", "share", "ci_low", "ci_high"):
        assert pd.isna(r[column])
    assert row(table, "started", year="2024")["count"] == 1
    assert row(table, "started", year="2023-2025")["count"] == 3


def test_no_rows_for_years_without_records() -> None:
    ds = make_dataset([ended(2023, satisfaction_end=5), ended(2025, satisfaction_end=4)])
    table = compute_indicators(ds)
    assert has_row(table, "satisfied_end", year="2023")
    assert not has_row(table, "satisfied_end", year="2024")
    assert (table["denominator"].fillna(1) > 0).all()
    assert (table["count"].fillna(1) > 0).all()


# ---------------------------------------------------------------------------
# Periods and providers


def test_pooled_period_is_labelled_and_sums_the_years_in_it() -> None:
    ds = make_dataset(
        [ended(2022, satisfaction_end=5)] * 5
        + [ended(2023, satisfaction_end=5)] * 2
        + [ended(2024, satisfaction_end=1)] * 3
        + [ended(2025, satisfaction_end=4)] * 4
    )
    table = compute_indicators(ds)
    assert fraction(table, "satisfied_end", year="2023-2025") == (6, 9)
    assert set(table["year"]) == {"2022", "2023", "2024", "2025", "2023-2025"}
    five = compute_indicators(ds, years=5)
    assert fraction(five, "satisfied_end", year="2021-2025") == (11, 14)
    assert "2025-2025" not in set(compute_indicators(ds, years=1)["year"])


def test_latest_year_comes_from_the_data_date() -> None:
    ds = make_dataset([ended(2023, satisfaction_end=5)], data_date=dt.date(2026, 1, 2))
    table = compute_indicators(ds, years=2)
    assert set(table["year"]) == {"2023"}  # nothing in 2025-2026, so no pooled row
    table = compute_indicators(ds, years=4)
    assert fraction(table, "satisfied_end", year="2023-2026") == (1, 1)


def test_all_providers_is_the_sum_and_includes_deauthorised() -> None:
    ds = make_dataset(
        [ended(provider_id="p1", outcome="work")] * 3
        + [ended(provider_id="p2", outcome="none")] * 2
        + [ended(provider_id="gone", outcome="work")],
        providers=[
            {"provider_id": p, "name": p, "org_number": "556036-0793", "services": ("sfi",),
             "status": s}
            for p, s in (("p1", "active"), ("p2", "paused"), ("gone", "deauthorised"))
        ],
    )
    table = compute_indicators(ds)
    assert fraction(table, "work_or_studies", provider=ALL) == (4, 6)
    assert fraction(table, "work_or_studies", provider="gone") == (1, 1)
    assert row(table, "started", provider=ALL)["count"] == 6


def test_all_rows_sum_over_providers_for_every_period() -> None:
    rng = np.random.default_rng(3)
    records = [
        ended(int(rng.integers(2021, 2026)), provider_id=f"p{rng.integers(4)}",
              satisfaction_end=int(rng.integers(1, 6)), outcome="work")
        for _ in range(200)
    ]
    table = compute_indicators(make_dataset(records))
    parts = table[table["provider_id"] != ALL]
    sums = parts.groupby(["year", "indicator", "breakdown"])[["numerator", "denominator", "count"]]
    sums = sums.sum(min_count=1)
    alls = table[table["provider_id"] == ALL].set_index(["year", "indicator", "breakdown"])
    pd.testing.assert_frame_equal(
        sums.sort_index(), alls[["numerator", "denominator", "count"]].sort_index(),
        check_names=False,
    )


# ---------------------------------------------------------------------------
# Staff and group sizes


def test_staff_shares_per_provider_and_all() -> None:
    ds = make_dataset(
        [ended()],
        staff=[
            {"provider_id": "p1", "year": 2025, "role": "teacher", "headcount": 6,
             "with_degree": 5, "certified": 4},
            {"provider_id": "p1", "year": 2025, "role": "coach", "headcount": 3,
             "with_degree": 2},
            {"provider_id": "p2", "year": 2025, "role": "teacher", "headcount": 4,
             "with_degree": 4, "certified": None},  # certification unknown
            {"provider_id": "p2", "year": 2024, "role": "coach", "headcount": 0,
             "with_degree": 0},  # nobody: no row
        ],
    )
    table = compute_indicators(ds)
    assert fraction(table, "teachers_certified") == (4, 6)
    assert fraction(table, "teachers_with_degree") == (5, 6)
    assert fraction(table, "coaches_with_degree") == (2, 3)
    assert fraction(table, "teachers_certified", provider=ALL) == (4, 6)
    assert fraction(table, "teachers_with_degree", provider=ALL) == (9, 10)
    assert not has_row(table, "teachers_certified", provider="p2")
    assert not has_row(table, "coaches_with_degree", provider="p2", year="2024")
    staff_years = table[table["indicator"].str.startswith(("teachers", "coaches"))]["year"]
    assert set(staff_years) == {"2025"}  # no pooled period for staff


def test_group_sizes_median_and_largest() -> None:
    ds = make_dataset(
        [],
        groups=[
            {"provider_id": "p1", "year": 2025, "service": "sfi", "group_ref": "a",
             "participants": n}
            for n in (4, 9, 12)
        ]
        + [
            {"provider_id": "p2", "year": 2025, "service": "sfi", "group_ref": "a",
             "participants": 7},
            {"provider_id": "p2", "year": 2025, "service": "praktik", "group_ref": "b",
             "participants": 3},
        ],
    )
    sizes = compute_group_sizes(ds).set_index(["provider_id", "year", "service"])
    assert sizes.loc[("p1", "2025", "sfi")].tolist() == [3, 9.0, 12]
    assert sizes.loc[("all", "2025", "sfi")].tolist() == [4, 8.0, 12]
    assert sizes.loc[("p2", "2025", "praktik")].tolist() == [1, 3.0, 3]
    assert sizes["largest_size"].dtype == "Int64"
    assert sizes["median_size"].dtype == "Float64"


# ---------------------------------------------------------------------------
# Breakdowns


BREAKDOWNS = ("age_band", "born_abroad", "education_level", "disability", "service")


def profile_records() -> list[dict[str, Any]]:
    rng = np.random.default_rng(7)
    ages = ("16-19", "20-24", "25-29", "30-54", "55+")
    records = []
    for _ in range(300):
        records.append(
            ended(
                int(rng.integers(2023, 2026)),
                provider_id=f"p{rng.integers(3)}",
                service=str(rng.choice(["sfi", "praktik", "jobbcoachning"])),
                age_band=str(rng.choice(ages)),
                born_abroad=[True, False, None][rng.integers(3)],
                disability=[True, False, None][rng.integers(3)],
                education_level=[None, "upper_secondary", "post_secondary"][rng.integers(3)],
                satisfaction_end=[None, 2, 4, 5][rng.integers(4)],
                satisfaction_4w=[None, 3, 5][rng.integers(3)],
                outcome=[None, "work", "none", "studies"][rng.integers(4)],
                outcome_6m=[None, "self_sufficient", "not_self_sufficient"][rng.integers(3)],
            )
        )
    return records


def test_breakdown_labels() -> None:
    ds = make_dataset(
        [ended(born_abroad=True, satisfaction_end=5), ended(born_abroad=None, satisfaction_end=1),
         ended(education_level="post_secondary", satisfaction_end=4)]
    )
    table = compute_indicators(ds, breakdowns=("born_abroad", "education_level"))
    labels = set(table.loc[table["indicator"] == "satisfied_end", "breakdown"])
    assert labels == {
        "total", "born_abroad=yes", "born_abroad=unknown",
        "education_level=post_secondary", "education_level=unknown",
    }
    pooled = "2023-2025"
    assert fraction(table, "satisfied_end", year=pooled, breakdown="born_abroad=unknown") == (1, 2)
    assert set(table.loc[table["indicator"] == "started", "breakdown"]) == {"total"}


def test_profile_breakdowns_are_for_the_pooled_period_only_and_services_for_every_year() -> None:
    table = compute_indicators(make_dataset(profile_records()), breakdowns=BREAKDOWNS)
    column = table["breakdown"].str.partition("=")[0]
    profile = table[column.isin(["age_band", "born_abroad", "education_level", "disability"])]
    assert len(profile) and set(profile["year"]) == {"2023-2025"}
    service = table[column == "service"]
    assert {"2023-2025", "2025"} <= set(service["year"])


def test_breakdown_rows_sum_to_the_total() -> None:
    table = compute_indicators(make_dataset(profile_records()), breakdowns=BREAKDOWNS)
    split_by = set(BREAKDOWN_INDICATORS) | set(SERVICE_ONLY_INDICATORS)
    assert set(table.loc[table["breakdown"] != "total", "indicator"]) == split_by
    keys = ["provider_id", "year", "indicator"]
    totals = table[table["breakdown"] == "total"].set_index(keys)[["numerator", "denominator"]]
    for column in BREAKDOWNS:
        parts = table[table["breakdown"].str.startswith(column + "=")]
        sums = parts.groupby(keys)[["numerator", "denominator"]].sum()
        expected = totals.loc[sums.index]
        pd.testing.assert_frame_equal(sums.sort_index(), expected.sort_index())
        # Every total of a broken-down indicator has its parts, none is left out
        # (profiles are broken down for the pooled period only).
        indicator = totals.index.get_level_values("indicator")
        split = indicator.isin(BREAKDOWN_INDICATORS)
        if column == "service":
            split |= indicator.isin(SERVICE_ONLY_INDICATORS)
        else:
            split &= totals.index.get_level_values("year") == "2023-2025"
        assert len(sums) == split.sum()


def test_breakdowns_do_not_change_the_totals() -> None:
    ds = make_dataset(profile_records())
    plain = compute_indicators(ds)
    split = compute_indicators(ds, breakdowns=BREAKDOWNS)
    pd.testing.assert_frame_equal(
        plain.reset_index(drop=True),
        split[split["breakdown"] == "total"].reset_index(drop=True),
    )


def test_row_order_is_stable_and_all_comes_first() -> None:
    table = compute_indicators(make_dataset(profile_records()), breakdowns=("service",))
    assert table["provider_id"].iloc[0] == ALL
    shuffled = make_dataset(list(reversed(profile_records())))
    again = compute_indicators(shuffled, breakdowns=("service",))
    pd.testing.assert_frame_equal(table, again)


def test_a_provider_is_flagged_when_over_a_tenth_of_outcomes_are_unknown() -> None:
    from generator.compute.indicators import unknown_outcomes
    from generator.tools import casemix_simulation as sim

    rng = np.random.default_rng(2)
    results = sim.simulate_results(
        rng, [sim.SimProvider("many", 40), sim.SimProvider("few", 40), sim.SimProvider("tiny", 4)]
    )
    outcome = results["outcome"].copy()
    many = np.flatnonzero((results["provider_id"] == "many").to_numpy())
    few = np.flatnonzero((results["provider_id"] == "few").to_numpy())
    outcome.iloc[many[:5]] = pd.NA  # 5 of 40: over a tenth
    outcome.iloc[few[:3]] = pd.NA  # 3 of the 36 counted: under a tenth
    # Someone who left for an external reason is not counted at all.
    reason = results["end_reason"].copy()
    reason.iloc[few[4:8]] = "external"
    outcome.iloc[few[4:8]] = pd.NA
    results = results.assign(outcome=outcome, end_reason=reason)
    flags = unknown_outcomes(results, 2023, 2025, k=5)
    assert flags == {"many": True, "few": False}  # "tiny": fewer than K finished
