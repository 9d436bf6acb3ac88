"""Indicator 6: into work or studies compared with what the provider's customers predict.

A provider serving customers who are harder to place will have lower raw
results without being any worse at its job. So every provider's observed
successes are set against the successes *expected* for its own customers:

1. One logistic regression of "into work or studies" (indicator 2's records,
   counted exactly as there) on the customer's profile (age band, gender,
   born abroad, education level, disability), the service and the year, with
   one intercept per provider (``withinfit``): the customer coefficients come
   from differences between customers of the same provider, so no provider
   pulls its own "expected" towards its result.
2. A provider's expected successes ``E`` are the sum of its customers'
   probabilities at the *average provider's* intercept (the one that gives the
   register its observed total); the published figure is ``(O - E) / n`` in
   percentage points.
3. Its uncertainty adds three parts: chance for an average provider with these
   customers (the Poisson-binomial variance ``sum p (1 - p)``), the model's own
   (the coefficients' covariance, delta method, relative to the average
   provider), and the spread between providers that no recorded trait
   explains (``funnel.overdispersion``, estimated on the pooled period). The
   95 % interval is published for every year and the pooled period; the class
   (better, as expected, worse) only for the pooled period, from the interval
   as published, and "clearly" where the 99.8 % interval excludes 0.
4. A provider that holds most of the records of a service or a customer group
   it mostly serves (``not_comparable``) cannot be compared: the model cannot
   tell its own effect from that group's, so no row is published for it and
   its page says why.

The regression runs on one row per provider and distinct profile (success and
failure counts) rather than one row per record: the same maximum-likelihood
fit, on far fewer rows. No random numbers are drawn, so two builds of the same
data are byte-identical.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.special import expit

from generator.compute.funnel import classes, overdispersion, strength
from generator.compute.indicators import (
    INDICATOR_COLUMNS,
    TOTAL,
    UNKNOWN,
    WORK_OR_STUDIES_VS_EXPECTED,
    work_or_studies_records,
)
from generator.compute.stats import Z95
from generator.compute.withinfit import fit_within

# The service first: a provider alone in a service is named for that service.
COVARIATES = ("service", "age_band", "gender", "born_abroad", "education_level", "disability")
BETTER = "better"
AS_EXPECTED = "as_expected"
WORSE = "worse"
CLEARLY = "clearly"
COLUMNS = (*INDICATOR_COLUMNS, "comparison", "strength")
# A provider holding more than half of a service's or a customer group's
# records, where they are at least a tenth of its own, cannot be compared: the
# model cannot tell its own effect from the group's. Nor can one whose group's
# coefficient the other providers hardly inform: with one intercept per
# provider it is learnt only from providers that serve the group *and* others
# (a provider with a records in it and b outside adds a b / (a + b)).
DOMINANT = 0.5
MIN_OWN = 0.10
MIN_INFORMATION = 20.0


@dataclass(frozen=True)
class NotComparable:
    """Why a provider gets no compared-with-expected figure."""

    factor: str  # one of COVARIATES
    level: str  # the value of it the provider holds most records of


def _levels(values: pd.Series) -> tuple[np.ndarray, list[str]]:
    """Integer level per record and the levels' names; a blank is ``unknown``."""
    if isinstance(values.dtype, pd.BooleanDtype) or pd.api.types.is_bool_dtype(values.dtype):
        text = values.astype("boolean").map({True: "yes", False: "no"}, na_action="ignore")
    else:
        text = values.astype("string")
    codes, names = pd.factorize(text.astype("string").fillna(UNKNOWN), sort=True)
    return codes.astype(np.int64), [str(n) for n in names]


def _design(levels: list[np.ndarray], weights: np.ndarray) -> np.ndarray:
    """One indicator column per level, without an intercept (each provider has
    its own); the level with most records of each factor is the reference."""
    columns = [np.zeros(len(levels[0]))]
    for codes in levels:
        counts = np.bincount(codes, weights=weights)
        reference = int(np.argmax(counts))
        for level in range(len(counts)):
            if level != reference and counts[level] > 0:
                columns.append((codes == level).astype(np.float64))
    return np.column_stack(columns[1:]) if len(columns) > 1 else np.zeros((len(levels[0]), 0))


def _interactions(levels: list[np.ndarray], weights: np.ndarray) -> np.ndarray:
    """Two-way interaction columns of the customer profile (not service or year).

    An additive model misjudges a provider whose customers share a combination
    that weighs more than its parts (a disability without upper-secondary
    school, say). Each pair of profile factors gets a column per combination
    of non-reference levels that occurs."""
    profile = levels[1 : len(COVARIATES)]
    references = [int(np.argmax(np.bincount(c, weights=weights))) for c in profile]
    columns = []
    for i in range(len(profile)):
        for j in range(i + 1, len(profile)):
            a, b = profile[i], profile[j]
            combined = a * (int(b.max(initial=0)) + 1) + b
            present = np.unique(combined[(a != references[i]) & (b != references[j])])
            columns += [(combined == code).astype(np.float64) for code in present]
    if not columns:
        return np.zeros((len(weights), 0))
    return np.column_stack(columns)


def _dominated(rows: pd.DataFrame) -> dict[str, NotComparable]:
    codes, names = pd.factorize(rows["provider_id"].astype("string"), sort=True)
    own = np.bincount(codes, minlength=len(names)).astype(np.float64)
    found: dict[str, NotComparable] = {}
    for factor in COVARIATES:
        level, labels = _levels(rows[factor])
        counts = np.bincount(
            codes * len(labels) + level, minlength=len(names) * len(labels)
        ).reshape(len(names), len(labels)).astype(np.float64)
        of_level = counts / np.maximum(counts.sum(axis=0), 1.0)
        of_own = counts / np.maximum(own[:, None], 1.0)
        information = counts * (own[:, None] - counts) / np.maximum(own[:, None], 1.0)
        from_others = information.sum(axis=0) - information
        # A factor with one level has no coefficient to learn.
        learnt = len(labels) > 1
        hit = (of_own >= MIN_OWN) & (
            (of_level > DOMINANT) | (learnt & (from_others < MIN_INFORMATION))
        )
        for j, lv in zip(*np.nonzero(hit), strict=True):
            found.setdefault(str(names[j]), NotComparable(factor, labels[lv]))
    return found


def not_comparable(results: pd.DataFrame) -> dict[str, NotComparable]:
    """provider_id -> why it cannot be compared with expected, for those that cannot."""
    _, eligible, _ = work_or_studies_records(results)
    return _dominated(results[eligible])


def _typical(alpha: np.ndarray, records: np.ndarray, comparable: np.ndarray, r: int) -> float:
    """The intercept of the typical provider: the median of the comparable
    providers of at least ``r`` records. A median, so that neither a provider
    holding half the records nor a tiny one at 0 % or 100 % moves it."""
    for chosen in (comparable & (records >= r), comparable, np.ones(len(alpha), dtype=bool)):
        if chosen.any():
            return float(np.median(alpha[chosen]))
    return 0.0


def compare_with_expected(
    results: pd.DataFrame, pooled: tuple[int, int] | None, r: int = 20
) -> pd.DataFrame:
    """Rows of indicator ``work_or_studies_vs_expected`` per provider, per year and pooled.

    Columns are the indicator table's plus ``comparison`` and ``strength``:
    ``share`` and ``ci_low``/``ci_high`` hold the difference and its interval
    as fractions (so -0.05 is 5 points below expected), numerator/denominator
    the provider's successes and eligible records. ``r`` is the reliability
    threshold: only pooled figures of at least ``r`` records estimate the
    spread between providers. Providers that cannot be compared have no rows.
    """
    year, eligible, success = work_or_studies_records(results)
    rows = results[eligible]
    year, success = year[eligible], success[eligible].astype(np.float64)
    if len(rows) == 0:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in COLUMNS})

    provider_codes, providers = pd.factorize(rows["provider_id"].astype("string"), sort=True)
    provider_codes = provider_codes.astype(np.int64)
    years, year_code = np.unique(year, return_inverse=True)
    levels = [_levels(rows[c])[0] for c in COVARIATES] + [year_code.astype(np.int64)]

    # One row per provider and profile: the same likelihood, far fewer rows.
    key = provider_codes.copy()
    for codes in levels:
        key = key * (int(codes.max(initial=0)) + 1) + codes
    _, first, group = np.unique(key, return_index=True, return_inverse=True)
    trials = np.bincount(group).astype(np.float64)
    wins = np.bincount(group, weights=success)
    grouped = [codes[first] for codes in levels]
    x = np.column_stack([_design(grouped, trials), _interactions(grouped, trials)])
    total = float(wins.sum())
    excluded = _dominated(rows)
    comparable_provider = ~np.isin(np.asarray(providers, dtype=object), list(excluded))
    if 0.0 < total < trials.sum():
        fit = fit_within(x, provider_codes[first], len(providers), wins, trials)
        records = np.bincount(provider_codes, minlength=len(providers))
        typical = _typical(fit.alpha, records, comparable_provider, r)
        p = expit(typical + x @ fit.beta)
        cov = fit.cov
    else:  # everyone alike: nothing to model
        p = np.full(len(trials), total / trials.sum())
        cov = np.zeros((x.shape[1], x.shape[1]))

    n_years = len(years)
    size = len(providers) * n_years
    flat = provider_codes[first] * n_years + year_code[first]
    to_cell = sparse.csr_matrix((np.ones(len(flat)), (flat, np.arange(len(flat)))),
                                shape=(size, len(flat)))
    spread = trials * p * (1.0 - p)

    def cube(weights: np.ndarray) -> np.ndarray:
        return np.asarray(to_cell @ weights).reshape(len(providers), n_years, *weights.shape[1:])

    n, o, e, v = cube(trials), cube(wins), cube(trials * p), cube(spread)
    g = cube(spread[:, None] * x)  # how each cell's E moves with the coefficients
    labels = [str(y) for y in years]
    if pooled is not None:
        window = (years >= pooled[0]) & (years <= pooled[1])
        n, o, e, v, g = (
            np.concatenate([a, a[:, window].sum(axis=1, keepdims=True)], axis=1)
            for a in (n, o, e, v, g)
        )
        labels.append(f"{pooled[0]}-{pooled[1]}")

    prov, period = np.nonzero(n)
    n, o, e, v, g = (a[prov, period] for a in (n, o, e, v, g))
    # Relative to the typical provider, whose intercept moves with the
    # coefficients (delta method, its direction taken as the register's).
    h = g - np.outer(v / spread.sum(), x.T @ spread) if spread.sum() > 0 else g
    model = np.einsum("ij,jk,ik->i", h, cov, h)
    diff = (o - e) / n
    chance = np.sqrt(v + model) / n
    is_pooled = (pooled is not None) & (period == len(labels) - 1)
    comparable = comparable_provider[prov]
    judged = is_pooled & comparable & (n >= r)
    tau2 = overdispersion(diff[judged], chance[judged])
    sd = np.sqrt(chance**2 + tau2)
    low, high = diff - Z95 * sd, diff + Z95 * sd
    comparison = np.where(is_pooled, classes(low, high), "")
    strong = (comparison != AS_EXPECTED) & (comparison != "") & (strength(diff, sd) == CLEARLY)
    keep = comparable
    count = int(keep.sum())
    missing = np.zeros(count, dtype=bool)
    return pd.DataFrame(
        {
            "provider_id": pd.array(np.asarray(providers)[prov][keep], dtype="string"),
            "year": pd.array(np.asarray(labels, dtype=object)[period][keep], dtype="string"),
            "indicator": pd.array([WORK_OR_STUDIES_VS_EXPECTED] * count, dtype="string"),
            "breakdown": pd.array([TOTAL] * count, dtype="string"),
            "numerator": pd.arrays.IntegerArray(np.rint(o[keep]).astype(np.int64), missing.copy()),
            "denominator": pd.arrays.IntegerArray(n[keep].astype(np.int64), missing.copy()),
            "share": pd.arrays.FloatingArray(diff[keep], missing.copy()),
            "ci_low": pd.arrays.FloatingArray(low[keep], missing.copy()),
            "ci_high": pd.arrays.FloatingArray(high[keep], missing.copy()),
            "count": pd.arrays.IntegerArray(np.zeros(count, dtype=np.int64), ~missing),
            "comparison": pd.array(comparison[keep].astype(object), dtype="string"),
            "strength": pd.array(
                np.where(strong, CLEARLY, "")[keep].astype(object), dtype="string"
            ),
        },
        columns=list(COLUMNS),
    )
