"""Indicator 6: into work or studies compared with what the provider's customers predict.

A provider serving customers who are harder to place will have lower raw
results without being any worse at its job. So every provider's observed
successes are set against the successes *expected* for its own customers:

1. One logistic regression of "into work or studies" (indicator 2's records,
   counted exactly as there) on the customer's profile (age band, gender,
   born abroad, education level, disability), the service and the year, fitted
   over every provider's records. The provider itself is deliberately not in
   the model: the model describes the average provider, and a provider's
   departure from it is what is published.
2. A provider's expected successes ``E`` are the sum of its customers'
   predicted probabilities ``p_i``; the published figure is
   ``(O - E) / n`` in percentage points.
3. The 95 % interval uses the Poisson-binomial variance ``sum p_i (1 - p_i)``:
   the spread of ``O`` if the provider were exactly average for its
   customers. It is exact for the question asked ("could an average provider
   with these customers have got this result by chance?"), needs no random
   numbers (so two builds of the same data are byte-identical, which a
   bootstrap is not without a fixed seed and many times the run time), and
   costs one pass over the records.

The regression runs on one row per distinct profile (success and failure
counts) rather than one row per record: the same maximum-likelihood fit, but
a few thousand rows instead of a million. statsmodels is used because its GLM
is a well-tested IRLS implementation that takes grouped binomial data as it is.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from generator.compute.indicators import (
    INDICATOR_COLUMNS,
    TOTAL,
    UNKNOWN,
    WORK_OR_STUDIES_VS_EXPECTED,
    work_or_studies_records,
)
from generator.compute.stats import Z95

COVARIATES = ("age_band", "gender", "born_abroad", "education_level", "disability", "service")
BETTER = "better"
AS_EXPECTED = "as_expected"
WORSE = "worse"
COLUMNS = (*INDICATOR_COLUMNS, "comparison")


def _levels(values: pd.Series) -> np.ndarray:
    """Integer level per record; a blank is a level of its own ("unknown")."""
    if isinstance(values.dtype, pd.BooleanDtype) or pd.api.types.is_bool_dtype(values.dtype):
        text = values.astype("boolean").map({True: "yes", False: "no"}, na_action="ignore")
    else:
        text = values.astype("string")
    codes, _ = pd.factorize(text.astype("string").fillna(UNKNOWN), sort=True)
    return codes.astype(np.int64)


def _design(levels: list[np.ndarray]) -> np.ndarray:
    """Intercept plus one indicator column per level, the most common level of
    each factor being the reference (the best-estimated baseline)."""
    columns = [np.ones(len(levels[0]))]
    for codes in levels:
        counts = np.bincount(codes)
        reference = int(np.argmax(counts))
        for level in range(len(counts)):
            if level != reference and counts[level] > 0:
                columns.append((codes == level).astype(np.float64))
    return np.column_stack(columns)


def predicted_probabilities(levels: list[np.ndarray], success: np.ndarray) -> np.ndarray:
    """Fitted probability of success per record from the grouped logistic regression."""
    # Imported here: a second of start-up that `check` does not need.
    import statsmodels.api as sm

    key = np.zeros(len(success), dtype=np.int64)
    for codes in levels:
        key = key * (int(codes.max(initial=0)) + 1) + codes
    _, first, cell = np.unique(key, return_index=True, return_inverse=True)
    trials = np.bincount(cell).astype(np.float64)
    wins = np.bincount(cell, weights=success.astype(np.float64))
    overall = wins.sum() / trials.sum()
    if overall in (0.0, 1.0):
        return np.full(len(success), overall)  # nothing to model: everyone alike
    x = _design([codes[first] for codes in levels])
    with warnings.catch_warnings():
        # Perfect separation (a profile where everyone succeeded) sends a
        # coefficient towards infinity; the fitted probabilities, which are all
        # that is used, still converge to the observed shares.
        warnings.simplefilter("ignore")
        model = sm.GLM(np.column_stack([wins, trials - wins]), x, family=sm.families.Binomial())
        fitted = model.fit(maxiter=100).predict(x)
    return np.clip(fitted, 0.0, 1.0)[cell]


def classify(low: np.ndarray, high: np.ndarray) -> np.ndarray:
    """better / worse where the interval excludes 0, as_expected otherwise.

    The "at least R records" condition of the contract is applied by
    ``disclosure.protect``, which blanks the class of every uncertain figure.
    """
    return np.where(low > 0, BETTER, np.where(high < 0, WORSE, AS_EXPECTED)).astype(object)


def compare_with_expected(results: pd.DataFrame, pooled: tuple[int, int] | None) -> pd.DataFrame:
    """Rows of indicator ``work_or_studies_vs_expected`` per provider, per year and pooled.

    Columns are the indicator table's plus ``comparison``: ``share`` and
    ``ci_low``/``ci_high`` hold the difference and its interval as fractions
    (so -0.05 is 5 points below expected), numerator/denominator the
    provider's successes and eligible records.
    """
    year, eligible, success = work_or_studies_records(results)
    rows = results[eligible]
    year, success = year[eligible], success[eligible]
    if len(rows) == 0:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in COLUMNS})

    levels = [_levels(rows[c]) for c in COVARIATES]
    years, year_code = np.unique(year, return_inverse=True)
    p = predicted_probabilities([*levels, year_code.astype(np.int64)], success)

    provider_codes, providers = pd.factorize(rows["provider_id"].astype("string"), sort=True)
    n_years = len(years)
    flat = provider_codes.astype(np.int64) * n_years + year_code
    size = len(providers) * n_years

    def cube(weights: np.ndarray | None) -> np.ndarray:
        counts = np.bincount(flat, weights=weights, minlength=size)
        return counts.reshape(len(providers), n_years)

    n, o, e, v = cube(None), cube(success.astype(np.float64)), cube(p), cube(p * (1 - p))
    labels = [str(y) for y in years]
    if pooled is not None:
        window = (years >= pooled[0]) & (years <= pooled[1])
        n, o, e, v = (np.column_stack([a, a[:, window].sum(axis=1)]) for a in (n, o, e, v))
        labels.append(f"{pooled[0]}-{pooled[1]}")

    prov, period = np.nonzero(n)
    n, o, e, v = n[prov, period], o[prov, period], e[prov, period], v[prov, period]
    diff = (o - e) / n
    half = Z95 * np.sqrt(v) / n
    low, high = diff - half, diff + half
    missing = np.zeros(len(n), dtype=bool)
    return pd.DataFrame(
        {
            "provider_id": pd.array(np.asarray(providers)[prov], dtype="string"),
            "year": pd.array(np.asarray(labels, dtype=object)[period], dtype="string"),
            "indicator": pd.array([WORK_OR_STUDIES_VS_EXPECTED] * len(n), dtype="string"),
            "breakdown": pd.array([TOTAL] * len(n), dtype="string"),
            "numerator": pd.arrays.IntegerArray(np.rint(o).astype(np.int64), missing.copy()),
            "denominator": pd.arrays.IntegerArray(n.astype(np.int64), missing.copy()),
            "share": pd.arrays.FloatingArray(diff, missing.copy()),
            "ci_low": pd.arrays.FloatingArray(low, missing.copy()),
            "ci_high": pd.arrays.FloatingArray(high, missing.copy()),
            "count": pd.arrays.IntegerArray(np.zeros(len(n), dtype=np.int64), ~missing),
            "comparison": pd.array(classify(low, high), dtype="string"),
        },
        columns=list(COLUMNS),
    )
