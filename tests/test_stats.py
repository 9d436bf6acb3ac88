"""The Wilson interval against statsmodels' independent implementation."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from statsmodels.stats.proportion import proportion_confint

from generator.compute.stats import Z95, wilson


def reference(x: np.ndarray, n: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    low, high = proportion_confint(x, n, alpha=0.05, method="wilson")
    return np.asarray(low, dtype=float), np.asarray(high, dtype=float)


def test_z_is_the_95_percent_normal_quantile() -> None:
    from statistics import NormalDist

    assert NormalDist().inv_cdf(0.975) == pytest.approx(Z95, abs=1e-12)


def test_matches_statsmodels_on_a_grid() -> None:
    n = np.repeat(np.arange(1, 61), 61)
    x = np.tile(np.arange(0, 61), 60)
    keep = x <= n
    x, n = x[keep], n[keep]
    low, high = wilson(x, n)
    ref_low, ref_high = reference(x, n)
    np.testing.assert_allclose(low, ref_low, rtol=0, atol=1e-12)
    np.testing.assert_allclose(high, ref_high, rtol=0, atol=1e-12)


@given(st.integers(1, 10_000).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))))
def test_matches_statsmodels_for_any_count(case: tuple[int, int]) -> None:
    x, n = case
    low, high = wilson(x, n)
    ref_low, ref_high = reference(np.array([x]), np.array([n]))
    assert float(low) == pytest.approx(ref_low[0], abs=1e-12)
    assert float(high) == pytest.approx(ref_high[0], abs=1e-12)
    assert 0.0 <= float(low) <= x / n <= float(high) <= 1.0


@pytest.mark.parametrize("n", [1, 2, 5, 20, 1000])
def test_edges_are_exact(n: int) -> None:
    low, high = wilson(np.array([0, n]), np.array([n, n]))
    assert low[0] == 0.0 and high[0] < 1.0
    assert high[1] == 1.0 and low[1] > 0.0


def test_zero_denominator_gives_nan_not_an_error() -> None:
    low, high = wilson(np.array([0, 3]), np.array([0, 10]))
    assert np.isnan(low[0]) and np.isnan(high[0])
    assert not np.isnan(low[1]) and not np.isnan(high[1])


def test_scalars_and_nullable_pandas_arrays() -> None:
    low, high = wilson(7, 10)
    assert float(low) == pytest.approx(reference(np.array([7]), np.array([10]))[0][0])
    x = pd.array([1, pd.NA, 2], dtype="Int64")
    n = pd.array([4, 5, pd.NA], dtype="Int64")
    low, high = wilson(x, n)
    assert not np.isnan(low[0])
    assert np.isnan(low[1]) and np.isnan(low[2]) and np.isnan(high[2])
