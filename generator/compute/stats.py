"""Wilson score interval for a binomial share, vectorised.

Wilson rather than the normal ("Wald") interval because most cells are small
and many shares are at or near 0 % and 100 %, where Wald collapses to a
zero-width interval and may leave [0, 1].
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

# Two-sided 95 %: the standard normal quantile at 0.975, spelled out so that the
# interval does not depend on scipy and matches statsmodels to the last digit.
Z95 = 1.959963984540054


def _as_float(values: npt.ArrayLike) -> np.ndarray:
    """Float array with NaN for missing values (accepts pandas nullable arrays)."""
    if hasattr(values, "to_numpy"):
        return np.asarray(values.to_numpy(dtype="float64", na_value=np.nan), dtype="float64")
    return np.asarray(values, dtype="float64")


def wilson(
    successes: npt.ArrayLike, n: npt.ArrayLike, z: float = Z95
) -> tuple[np.ndarray, np.ndarray]:
    """Return (low, high) of the Wilson score interval for successes out of n.

    Works elementwise on scalars or arrays (numpy or pandas). Where n is 0 or
    missing the interval is NaN: there is no share to bound, and raising would
    force every caller to filter first.
    """
    x = _as_float(successes)
    nobs = _as_float(n)
    x, nobs = np.broadcast_arrays(x, nobs)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = x / nobs
        z2 = z * z
        denom = 1.0 + z2 / nobs
        centre = (p + z2 / (2.0 * nobs)) / denom
        half = z * np.sqrt(p * (1.0 - p) / nobs + z2 / (4.0 * nobs * nobs)) / denom
        low = centre - half
        high = centre + half
    # Rounding error can push the bounds a hair outside [0, 1] at 0/n and n/n.
    low = np.where(x == 0, 0.0, np.clip(low, 0.0, 1.0))
    high = np.where(x == nobs, 1.0, np.clip(high, 0.0, 1.0))
    empty = ~(nobs > 0)
    low = np.where(empty, np.nan, low)
    high = np.where(empty, np.nan, high)
    return low, high
