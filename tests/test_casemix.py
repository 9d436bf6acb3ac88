"""Indicator 6: compared with what the provider's customers predict."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from generator.compute import funnel
from generator.compute.casemix import NotComparable, compare_with_expected, not_comparable
from generator.compute.indicators import compute_indicators
from generator.ingest.dataset import Dataset
from generator.protect.disclosure import protect
from generator.tools import casemix_simulation as sim


@pytest.fixture(scope="module")
def rates() -> sim.Rates:
    return sim.run(replications=30, seed=7)


def test_providers_with_no_effect_are_classed_at_most_5_percent_of_the_time(rates):
    # 900 provider fits: a binomial 95 % band is about +-1.5 points. Outward
    # rounding and the model's own uncertainty make the class a little cautious,
    # never careless.
    assert 0.95 - 0.015 <= rates.no_effect_as_expected <= 0.99, rates


def test_a_20_point_effect_with_150_records_is_found(rates):
    assert rates.plus20_found >= 0.95, rates
    assert rates.minus20_found >= 0.95, rates


def test_hard_to_place_customers_alone_do_not_make_a_provider_worse(rates):
    # The raw share of such a provider is below everyone else's every time...
    assert rates.hard_raw_below_all == 1.0, rates
    # ...yet with no effect of its own it is classed worse no more often than chance.
    assert rates.hard_not_worse >= 0.9, rates


def test_expected_matches_statsmodels_fit_with_provider_intercepts():
    """The grouped Newton fit with one intercept per provider gives the expected
    successes of statsmodels' record-level GLM with provider dummies and the
    same two-way profile interactions, at the median provider's intercept."""
    sm = pytest.importorskip("statsmodels.formula.api")
    import statsmodels.api as sm_api

    rng = np.random.default_rng(3)
    providers = [sim.SimProvider(f"p{i}", 500, effect_points=5 * (i - 3)) for i in range(7)]
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
        "y ~ 0 + C(provider_id) + (C(age_band) + C(gender) + C(born_abroad)"
        " + C(education_level) + C(disability))**2 + C(service) + C(year)",
        data=df,
        family=sm_api.families.Binomial(),
    ).fit()
    alpha = {
        pid: fit.params[f"C(provider_id)[{pid}]"] for pid in sorted(df["provider_id"].unique())
    }
    typical = float(np.median(list(alpha.values())))
    eta = fit.predict(df, which="linear") - df["provider_id"].map(alpha) + typical
    df["p"] = 1.0 / (1.0 + np.exp(-eta))
    for pid, group in df.groupby("provider_id"):
        observed, expected, n = group["y"].sum(), group["p"].sum(), len(group)
        row = pooled.loc[pid]
        assert row["share"] == pytest.approx((observed - expected) / n, abs=2e-3)
        # Chance alone is the least the interval allows for.
        chance = 1.959963984540054 * np.sqrt((group["p"] * (1 - group["p"])).sum()) / n
        assert row["ci_high"] - row["share"] >= chance * 0.98
        assert row["numerator"] == observed and row["denominator"] == n


def test_overdispersion_is_dersimonian_laird_as_statsmodels_computes_it():
    """Without Winsorising, around the weighted mean, tau^2 is the DerSimonian-
    Laird estimate of statsmodels' meta-analysis."""
    meta = pytest.importorskip("statsmodels.stats.meta_analysis")
    rng = np.random.default_rng(4)
    se = rng.uniform(0.02, 0.1, size=30)
    y = rng.normal(0, np.sqrt(se**2 + 0.08**2))
    w = 1 / se**2
    # Around the weighted mean, I * mean(z^2) is Cochran's Q: the same formula.
    centred = y - (w * y).sum() / w.sum()
    ours = funnel.overdispersion(centred, se, winsorise=0.0)
    theirs = meta.combine_effects(y, se**2, method_re="dl").tau2
    assert theirs > 0.001
    assert ours == pytest.approx(theirs, rel=1e-9)
    # No spread beyond chance: no allowance.
    calm = rng.normal(0, se)
    assert funnel.overdispersion(calm * 0.2, se) == 0.0


def test_a_provider_alone_in_a_service_cannot_be_compared():
    rng = np.random.default_rng(8)
    providers = [sim.SimProvider(f"p{i}", 150, services=sim.SERVICES[:2]) for i in range(8)]
    providers.append(sim.SimProvider("alone", 150, 15, services=sim.SERVICES[2:]))
    results = sim.simulate_results(rng, providers)
    assert not_comparable(results) == {"alone": NotComparable("service", sim.SERVICES[2])}
    rows = compare_with_expected(results, sim.POOLED)
    assert "alone" not in set(rows["provider_id"]) and "p0" in set(rows["provider_id"])


@pytest.fixture(scope="module")
def hard() -> sim.HardRates:
    return sim.run_hard(replications=6, seed=3)


def test_no_effect_providers_are_rarely_classed_whatever_their_size(hard):
    """A trait the model does not see spreads providers beyond chance; the
    funnel's allowance keeps false classes near 5 % at every size."""
    for band, rate in hard.labelled_by_size.items():
        assert rate <= 0.09, (band, hard)
    assert sum(hard.tested_by_size.values()) >= 180


def test_the_hard_to_place_the_giant_and_the_alone_are_judged_fairly(hard):
    assert hard.interaction_worse <= 1 / 6, hard  # at most 1 of 6 (2 % in 100 runs)
    assert hard.sole_cannot == 1.0, hard
    assert hard.dominant_others_worse <= 0.05, hard


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
