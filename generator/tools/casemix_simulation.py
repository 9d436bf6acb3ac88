"""Simulation check of the compared-with-expected method (indicator 6).

Synthetic records are drawn from a known model: customers' chances depend on
their profile, service and year, and chosen providers get a known effect of
their own. ``casemix.compare_with_expected`` must then find the effects that
are there, not find any that are not, and must not call a provider worse just
because its customers are harder to place. The harder scenarios: providers of
10 to 500 records whose customers differ in a trait the model does not see, an
interaction the model lacks, a provider alone in a service and one holding
half the records.

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
# A trait no register records (say, Swedish already spoken at home), and an
# interaction the additive model lacks: disability weighs more without
# upper-secondary school.
TRAIT_EFFECT = 1.0
INTERACTION = -0.5


@dataclass(frozen=True)
class SimProvider:
    provider_id: str
    records: int
    effect_points: float = 0.0  # added to every customer's chance, in percentage points
    hard_to_place: bool = False  # serves only older, less educated customers with a disability
    trait: float = 0.5  # share of its customers with the trait the model does not see
    services: tuple[str, ...] = SERVICES


def _profiles(rng: np.random.Generator, n: int, hard: bool, services=SERVICES) -> pd.DataFrame:
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
            "service": rng.choice(list(services), size=n),
            "year": rng.choice(YEARS, size=n),
        }
    )


def true_probability(
    profiles: pd.DataFrame, trait: np.ndarray | None = None, interaction: float = 0.0
) -> np.ndarray:
    hard = (profiles["education_level"] == "pre_upper_secondary").to_numpy() & profiles[
        "disability"
    ].to_numpy(dtype=bool)
    unseen = 0.0 if trait is None else TRAIT_EFFECT * (trait - 0.5)
    logit = (
        unseen
        + interaction * hard
        + BASE
        + profiles["age_band"].map(AGE_EFFECT).to_numpy(dtype=float)
        + profiles["education_level"].map(EDUCATION_EFFECT).to_numpy(dtype=float)
        + DISABILITY_EFFECT * profiles["disability"].to_numpy(dtype=float)
        + ABROAD_EFFECT * profiles["born_abroad"].to_numpy(dtype=float)
        + profiles["service"].map(SERVICE_EFFECT).to_numpy(dtype=float)
        + profiles["year"].map(YEAR_EFFECT).to_numpy(dtype=float)
    )
    return 1.0 / (1.0 + np.exp(-logit))


def simulate_results(
    rng: np.random.Generator,
    providers: list[SimProvider],
    unseen: bool = False,
    interaction: float = 0.0,
) -> pd.DataFrame:
    """Records in the contract's results.csv shape (typed as the loader types them).

    ``unseen``: customers carry the trait the model does not see, at each
    provider's own rate; ``interaction``: the logit added for a disability
    without upper-secondary school."""
    frames, traits, effects = [], [], []
    for p in providers:
        profiles = _profiles(rng, p.records, p.hard_to_place, p.services)
        profiles["provider_id"] = p.provider_id
        frames.append(profiles)
        traits.append((rng.random(p.records) < p.trait).astype(float))
        effects.append(np.full(p.records, p.effect_points / 100.0))
    df = pd.concat(frames, ignore_index=True)
    # One pass over all records: the per-provider lookups were most of the time.
    chance = true_probability(df, np.concatenate(traits) if unseen else None, interaction)
    chance = np.clip(chance + np.concatenate(effects), 0.0, 0.99)
    df["outcome"] = np.where(rng.random(len(df)) < chance, "work", "none")
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


CANNOT = "cannot_compare"


def classes(results: pd.DataFrame, r: int = 20) -> pd.Series:
    """provider_id -> class for the pooled period, blank under R records (as
    published), ``cannot_compare`` for a provider without a row."""
    rows = compare_with_expected(results, POOLED, r)
    rows = rows[rows["year"] == f"{POOLED[0]}-{POOLED[1]}"]
    cls = rows["comparison"].where(rows["denominator"] >= r, "")
    found = pd.Series(cls.to_numpy(), index=rows["provider_id"].to_numpy())
    everyone = results["provider_id"].unique()
    return found.reindex(everyone).fillna(CANNOT)


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


@dataclass(frozen=True)
class HardRates:
    """The scenarios the old, pooled model failed (issue: compare like with like)."""

    labelled_by_size: dict[str, float]  # no-effect providers classed better or worse, per size
    tested_by_size: dict[str, int]
    interaction_worse: float  # hard-mix, no-effect provider classed worse (missing interaction)
    sole_cannot: float  # a provider alone in a service: "cannot be compared"
    dominant_others_worse: float  # no-effect providers beside one holding half the records
    plus10_found: dict[int, float]  # +10 points, classed better, by records
    replications: int


SIZE_BANDS = ((20, 100), (100, 250), (250, 501))


def run_hard(replications: int = 20, seed: int = 2) -> HardRates:
    rng = np.random.default_rng(seed)
    labelled = {f"{a}-{b - 1}": 0 for a, b in SIZE_BANDS}
    tested = dict.fromkeys(labelled, 0)
    interaction_worse = sole = others_worse = others = 0
    plus10 = {60: 0, 150: 0, 300: 0}
    for _ in range(replications):
        # 1. Providers of 10-500 records whose customers differ in a trait the
        # model does not see; none has an effect of its own.
        sizes = np.exp(rng.uniform(np.log(10), np.log(500), size=40)).astype(int)
        providers = [
            SimProvider(f"s{i:02d}", int(n), trait=float(rng.uniform(0.1, 0.9)))
            for i, n in enumerate(sizes)
        ]
        providers += [SimProvider(f"plus10-{n}", n, 10, trait=0.5) for n in plus10]
        cls = classes(simulate_results(rng, providers, unseen=True))
        for i, n in enumerate(sizes):
            for (a, b), band in zip(SIZE_BANDS, labelled, strict=True):
                if a <= n < b and cls[f"s{i:02d}"] not in ("", CANNOT):
                    tested[band] += 1
                    labelled[band] += cls[f"s{i:02d}"] in (BETTER, WORSE)
        for n in plus10:
            plus10[n] += cls[f"plus10-{n}"] == BETTER
        # 2. An interaction the model lacks, and a provider serving only the
        # customers it hits.
        providers = [SimProvider(f"p{i:02d}", 150) for i in range(20)]
        providers.append(SimProvider("hard", 150, hard_to_place=True))
        cls = classes(simulate_results(rng, providers, interaction=INTERACTION))
        interaction_worse += cls["hard"] == WORSE
        # 3. A provider alone in a service, beside others that offer two.
        providers = [SimProvider(f"p{i:02d}", 150, services=SERVICES[:2]) for i in range(20)]
        providers.append(SimProvider("alone", 150, 10, services=SERVICES[2:]))
        cls = classes(simulate_results(rng, providers))
        sole += cls["alone"] == CANNOT
        # 4. One provider with half the records and +10 points, 20 average others.
        providers = [SimProvider(f"p{i:02d}", 150) for i in range(20)]
        providers.append(SimProvider("big", 3000, 10))
        cls = classes(simulate_results(rng, providers))
        base = cls[[f"p{i:02d}" for i in range(20)]]
        others += len(base)
        others_worse += int((base == WORSE).sum())
    return HardRates(
        labelled_by_size={k: labelled[k] / max(tested[k], 1) for k in labelled},
        tested_by_size=tested,
        interaction_worse=interaction_worse / replications,
        sole_cannot=sole / replications,
        dominant_others_worse=others_worse / max(others, 1),
        plus10_found={n: v / replications for n, v in plus10.items()},
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
    hard = run_hard(max(args.replications // 5, 1), args.seed)
    print(f"harder scenarios, {hard.replications} replications:")
    for band, rate in hard.labelled_by_size.items():
        print(
            f"  no effect, unseen trait, {band} records: classed better or worse {rate:.1%}"
            f" of {hard.tested_by_size[band]}"
        )
    print(f"  hard-mix provider, missing interaction, classed worse: {hard.interaction_worse:.1%}")
    print(f"  provider alone in a service, cannot be compared: {hard.sole_cannot:.1%}")
    print(f"  average providers beside a +10 giant, worse: {hard.dominant_others_worse:.1%}")
    for n, rate in hard.plus10_found.items():
        print(f"  +10 points, {n} records, classed better: {rate:.1%}")


if __name__ == "__main__":
    main()
