"""Simulation check of the compared-with-expected method (indicator 6).

Synthetic records are drawn from a known model: customers' chances depend on
their profile, service and year, and chosen providers get a known effect of
their own. ``casemix.compare_with_expected`` must then find the effects that
are there, not find any that are not, and must not call a provider worse just
because its customers are harder to place.

``python -m generator.casemix_simulation`` prints the figures; the tests in
``tests/test_casemix.py`` assert on them.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass

import numpy as np
import pandas as pd

from generator.compute.casemix import AS_EXPECTED, BETTER, WORSE, compare_with_expected
from generator.ingest import schema

YEARS = (2023, 2024, 2025)
POOLED = (2023, 2025)
SERVICES = ("sfi", "jobbcoachning", "praktik")
# Logit effects of the profile on getting into work or studies: the
# hard-to-place groups (older, no upper-secondary school, disability) do worse.
AGE_EFFECT = {"16-19": -0.2, "20-24": 0.3, "25-29": 0.3, "30-54": 0.0, "55+": -0.9}
EDUCATION_EFFECT = {"pre_upper_secondary": -0.8, "upper_secondary": 0.0, "post_secondary": 0.5}
DISABILITY_EFFECT = -0.9
ABROAD_EFFECT = -0.3
SERVICE_EFFECT = {"sfi": -0.3, "jobbcoachning": 0.2, "praktik": 0.0}
YEAR_EFFECT = {2023: -0.1, 2024: 0.0, 2025: 0.1}
BASE = 1.2


@dataclass(frozen=True)
class SimProvider:
    provider_id: str
    records: int
    effect_points: float = 0.0  # added to every customer's chance, in percentage points
    hard_to_place: bool = False  # serves only older, less educated customers with a disability


def _profiles(rng: np.random.Generator, n: int, hard: bool) -> pd.DataFrame:
    if hard:
        age = rng.choice(["30-54", "55+"], size=n, p=[0.4, 0.6])
        education = np.full(n, "pre_upper_secondary", dtype=object)
        disability = np.ones(n, dtype=bool)
    else:
        age = rng.choice(schema.AGE_BANDS, size=n, p=[0.1, 0.25, 0.25, 0.3, 0.1])
        education = rng.choice(
            ["pre_upper_secondary", "upper_secondary", "post_secondary"], size=n, p=[0.3, 0.4, 0.3]
        )
        disability = rng.random(n) < 0.15
    return pd.DataFrame(
        {
            "age_band": age,
            "gender": rng.choice(["woman", "man"], size=n),
            "born_abroad": rng.random(n) < 0.5,
            "education_level": education,
            "disability": disability,
            "service": rng.choice(SERVICES, size=n),
            "year": rng.choice(YEARS, size=n),
        }
    )


def true_probability(profiles: pd.DataFrame) -> np.ndarray:
    logit = (
        BASE
        + profiles["age_band"].map(AGE_EFFECT).to_numpy(dtype=float)
        + profiles["education_level"].map(EDUCATION_EFFECT).to_numpy(dtype=float)
        + DISABILITY_EFFECT * profiles["disability"].to_numpy(dtype=float)
        + ABROAD_EFFECT * profiles["born_abroad"].to_numpy(dtype=float)
        + profiles["service"].map(SERVICE_EFFECT).to_numpy(dtype=float)
        + profiles["year"].map(YEAR_EFFECT).to_numpy(dtype=float)
    )
    return 1.0 / (1.0 + np.exp(-logit))


def simulate_results(rng: np.random.Generator, providers: list[SimProvider]) -> pd.DataFrame:
    """Records in the contract's results.csv shape (typed as the loader types them)."""
    frames = []
    for p in providers:
        profiles = _profiles(rng, p.records, p.hard_to_place)
        chance = np.clip(true_probability(profiles) + p.effect_points / 100.0, 0.0, 0.99)
        success = rng.random(p.records) < chance
        profiles["provider_id"] = p.provider_id
        profiles["outcome"] = np.where(success, "work", "none")
        frames.append(profiles)
    df = pd.concat(frames, ignore_index=True)
    end = pd.to_datetime(df["year"].astype(str) + "-06-30")
    return pd.DataFrame(
        {
            "provider_id": df["provider_id"].astype("string"),
            "service": df["service"].astype("string"),
            "start_date": end - pd.Timedelta(days=90),
            "end_date": end,
            "end_reason": pd.array(["completed"] * len(df), dtype="string"),
            "outcome": df["outcome"].astype("string"),
            "age_band": df["age_band"].astype("string"),
            "gender": df["gender"].astype("string"),
            "born_abroad": df["born_abroad"].astype("boolean"),
            "education_level": df["education_level"].astype("string"),
            "disability": df["disability"].astype("boolean"),
        }
    )


def classes(results: pd.DataFrame, r: int = 20) -> pd.Series:
    """provider_id -> class for the pooled period, blank under R records (as published)."""
    rows = compare_with_expected(results, POOLED)
    rows = rows[rows["year"] == f"{POOLED[0]}-{POOLED[1]}"]
    cls = rows["comparison"].where(rows["denominator"] >= r, "")
    return pd.Series(cls.to_numpy(), index=rows["provider_id"].to_numpy())


@dataclass(frozen=True)
class Rates:
    no_effect_as_expected: float  # share of no-effect providers classed as_expected
    no_effect_tests: int
    plus20_found: float  # share of +20-point providers (150 records) classed better
    minus20_found: float  # share of -20-point providers (150 records) classed worse
    hard_not_worse: float  # share of hard-to-place, no-effect providers not classed worse
    hard_raw_below_all: float  # how often their raw share was below all providers' share
    replications: int


def run(replications: int = 40, seed: int = 1, background: int = 30) -> Rates:
    """Repeat the whole fit on fresh data; count how each kind of provider is classed."""
    rng = np.random.default_rng(seed)
    no_effect = as_expected = plus = minus = hard_ok = hard_low = 0
    for _ in range(replications):
        providers = [SimProvider(f"p{i:02d}", 150) for i in range(background)]
        providers += [
            SimProvider("plus20", 150, effect_points=20),
            SimProvider("minus20", 150, effect_points=-20),
            SimProvider("hard", 150, hard_to_place=True),
        ]
        results = simulate_results(rng, providers)
        cls = classes(results)
        base = cls[[p.provider_id for p in providers[:background]]]
        no_effect += len(base)
        as_expected += int((base == AS_EXPECTED).sum())
        plus += cls["plus20"] == BETTER
        minus += cls["minus20"] == WORSE
        hard_ok += cls["hard"] != WORSE
        success = results["outcome"] == "work"
        hard_share = success[results["provider_id"] == "hard"].mean()
        hard_low += hard_share < success.mean()
    return Rates(
        no_effect_as_expected=as_expected / no_effect,
        no_effect_tests=no_effect,
        plus20_found=plus / replications,
        minus20_found=minus / replications,
        hard_not_worse=hard_ok / replications,
        hard_raw_below_all=hard_low / replications,
        replications=replications,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replications", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rates = run(args.replications, args.seed)
    print(f"replications: {rates.replications} (30 no-effect providers of 150 records each)")
    print(
        f"no-effect providers classed as_expected: {rates.no_effect_as_expected:.1%} "
        f"of {rates.no_effect_tests}"
    )
    print(f"+20 points, 150 records, classed better: {rates.plus20_found:.1%}")
    print(f"-20 points, 150 records, classed worse: {rates.minus20_found:.1%}")
    print(f"hard-to-place customers, no effect, not classed worse: {rates.hard_not_worse:.1%}")
    print(f"  (their raw share was below all providers' in {rates.hard_raw_below_all:.1%})")


if __name__ == "__main__":
    main()
