"""Indicator 6: compared with what the provider's customers predict."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from generator.compute.casemix import compare_with_expected
from generator.compute.indicators import compute_indicators
from generator.ingest.dataset import Dataset
from generator.protect.disclosure import protect
from generator.tools import casemix_simulation as sim


@pytest.fixture(scope="module")
def rates() -> sim.Rates:
    return sim.run(replications=40, seed=7)


def test_providers_with_no_effect_are_as_expected_about_95_percent_of_the_time(rates):
    # 1,200 provider fits: a binomial 95 % band around 0.95 is about +-1.3 points.
    assert 0.93 <= rates.no_effect_as_expected <= 0.975, rates


def test_a_20_point_effect_with_150_records_is_found(rates):
    assert rates.plus20_found >= 0.95, rates
    assert rates.minus20_found >= 0.95, rates


def test_hard_to_place_customers_alone_do_not_make_a_provider_worse(rates):
    # The raw share of such a provider is below everyone else's every time...
    assert rates.hard_raw_below_all == 1.0, rates
    # ...yet with no effect of its own it is classed worse no more often than chance.
    assert rates.hard_not_worse >= 0.9, rates


def test_expected_matches_a_record_level_fit():
    """The grouped fit gives the same expected successes as one row per record."""
    sm = pytest.importorskip("statsmodels.formula.api")
    rng = np.random.default_rng(3)
    providers = [sim.SimProvider(f"p{i}", 120) for i in range(6)]
    results = sim.simulate_results(rng, providers)
    rows = compare_with_expected(results, sim.POOLED)
    pooled = rows[rows["year"] == "2023-2025"].set_index("provider_id")

    df = results.assign(
        y=(results["outcome"] == "work").astype(int),
        year=results["end_date"].dt.year.astype(str),
        born_abroad=results["born_abroad"].astype(str),
        disability=results["disability"].astype(str),
    )
    fit = sm.glm(
        "y ~ C(age_band) + C(gender) + C(born_abroad) + C(education_level)"
        " + C(disability) + C(service) + C(year)",
        data=df,
        family=__import__("statsmodels.api").api.families.Binomial(),
    ).fit()
    df["p"] = fit.predict(df)
    for pid, group in df.groupby("provider_id"):
        observed, expected, n = group["y"].sum(), group["p"].sum(), len(group)
        var = (group["p"] * (1 - group["p"])).sum()
        row = pooled.loc[pid]
        assert row["share"] == pytest.approx((observed - expected) / n, abs=1e-6)
        half = 1.959963984540054 * np.sqrt(var) / n
        assert row["ci_low"] == pytest.approx((observed - expected) / n - half, abs=1e-6)
        assert row["numerator"] == observed and row["denominator"] == n


def _dataset(results: pd.DataFrame) -> Dataset:
    empty = pd.DataFrame(
        {
            "provider_id": pd.Series(dtype="string"),
            "year": pd.Series(dtype="Int64"),
            "role": pd.Series(dtype="string"),
            "headcount": pd.Series(dtype="Int64"),
            "with_degree": pd.Series(dtype="Int64"),
            "certified": pd.Series(dtype="Int64"),
        }
    )
    full = results.assign(
        satisfaction_end=pd.array([pd.NA] * len(results), dtype="Int64"),
        satisfaction_4w=pd.array([pd.NA] * len(results), dtype="Int64"),
        outcome_6m=pd.array([pd.NA] * len(results), dtype="string"),
        grade=pd.array([pd.NA] * len(results), dtype="string"),
    )
    return Dataset(
        providers=pd.DataFrame(),
        premises=pd.DataFrame(),
        staff=empty,
        groups=pd.DataFrame(),
        results=full,
    )


def test_published_rows_follow_the_work_or_studies_decision_and_carry_points():
    rng = np.random.default_rng(5)
    providers = [sim.SimProvider(f"p{i}", 150) for i in range(4)]
    providers += [
        sim.SimProvider("tiny", 3),
        sim.SimProvider("few", 12),
        sim.SimProvider("up", 150, 20),
    ]
    results = sim.simulate_results(rng, providers)
    table = compute_indicators(_dataset(results), years=3)
    table = pd.concat([table, compare_with_expected(results, sim.POOLED)], ignore_index=True)
    out = protect(table, k=5, r=20).set_index(["provider_id", "year", "indicator", "breakdown"])

    def row(pid: str, indicator: str, year: str = "2023-2025") -> pd.Series:
        return out.loc[(pid, year, indicator, "total")]

    diff = "work_or_studies_vs_expected"
    for pid in ("p0", "p1", "p2", "p3", "tiny", "few", "up"):
        for year in ("2023", "2024", "2025", "2023-2025"):
            has_base = (pid, year, "work_or_studies", "total") in out.index
            assert has_base == ((pid, year, diff, "total") in out.index)
            if not has_base:
                continue
            base, mine = row(pid, "work_or_studies", year), row(pid, diff, year)
            assert mine["suppressed"] == base["suppressed"]
            assert mine["reason"] == base["reason"]
            if not mine["suppressed"]:
                assert mine["numerator"] == base["numerator"]
                assert mine["denominator"] == base["denominator"]
    # Under K: nothing published, and no class.
    assert row("tiny", diff)["suppressed"] and pd.isna(row("tiny", diff)["value"])
    assert row("tiny", diff)["comparison"] == ""
    # Under R: shown (unless complementary suppression took it), but never classed.
    few = row("few", diff)
    assert few["comparison"] == ""
    assert few["suppressed"] or few["low_reliability"]
    # A real effect: better, in whole percentage points, interval above 0.
    up = row("up", diff)
    assert up["comparison"] == "better"
    assert 0 < up["ci_low"] <= up["value"] <= up["ci_high"]
    # Negative points survive rounding (shares are clipped to 0-100, points are not).
    values = out.xs(diff, level="indicator")["value"].dropna()
    assert (values < 0).any()


def test_a_figure_under_r_is_shown_without_a_class():
    rng = np.random.default_rng(11)
    providers = [sim.SimProvider(f"p{i}", 150) for i in range(3)] + [sim.SimProvider("few", 15)]
    results = sim.simulate_results(rng, providers)
    table = compute_indicators(_dataset(results), years=3)
    table = pd.concat([table, compare_with_expected(results, sim.POOLED)], ignore_index=True)
    out = protect(table, k=5, r=20).set_index(["provider_id", "year", "indicator", "breakdown"])
    few = out.loc[("few", "2023-2025", "work_or_studies_vs_expected", "total")]
    assert not few["suppressed"] and few["low_reliability"]
    assert few["comparison"] == "" and not pd.isna(few["value"])
    reliable = out.loc[("p0", "2023-2025", "work_or_studies_vs_expected", "total")]
    assert reliable["comparison"] in ("better", "as_expected", "worse")
