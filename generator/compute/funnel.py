"""Funnel-plot limits with overdispersion (Spiegelhalter, Statistics in Medicine
24:1185-1202, 2005), for the compared-with-expected class.

A provider's difference from expected, ``y = (O - E) / n``, has standard error
``s`` from chance alone. Real providers differ by more than chance for reasons
no register records (a customer trait the model does not see, a local labour
market): judged on ``s`` alone, ever more average providers are called better
or worse the larger they are. The additive random-effects allowance estimates
that extra spread, ``tau^2``, from the providers themselves:

- z-scores ``z = y / s``, Winsorised at their 10th and 90th percentiles so
  that the outliers being looked for do not inflate the allowance;
- ``phi = mean(z^2)``; if ``I phi > I - 1`` then
  ``tau^2 = (I phi - (I - 1)) / (sum w - sum w^2 / sum w)`` with ``w = 1 / s^2``
  (the DerSimonian-Laird moment estimator around the target 0), else 0.

Each provider's published interval is ``y +- 1.96 sqrt(s^2 + tau^2)``; a
provider is "probably" better or worse when that interval excludes 0 and
"clearly" when the 99.8 % interval (3.09) does.
"""

from __future__ import annotations

import numpy as np

Z998 = 3.090232306167813  # two-sided 99.8 %: the normal quantile at 0.999
WINSORISE = 0.10
MIN_PROVIDERS = 5  # fewer cannot tell spread between providers from chance


def overdispersion(y: np.ndarray, se: np.ndarray, winsorise: float = WINSORISE) -> float:
    """tau^2, the variance between providers beyond chance (0 when there is none)."""
    y, se = np.asarray(y, dtype=float), np.asarray(se, dtype=float)
    keep = np.isfinite(y) & np.isfinite(se) & (se > 0)
    y, se = y[keep], se[keep]
    count = len(y)
    if count < MIN_PROVIDERS:
        return 0.0
    z = y / se
    if winsorise > 0:
        low, high = np.quantile(z, [winsorise, 1.0 - winsorise])
        z = np.clip(z, low, high)
    phi = float(np.mean(z * z))
    if count * phi <= count - 1:
        return 0.0
    w = 1.0 / (se * se)
    return float((count * phi - (count - 1)) / (w.sum() - (w * w).sum() / w.sum()))


def floor_points(fraction: np.ndarray) -> np.ndarray:
    """Whole points, rounded down (towards the outside for a lower bound)."""
    return np.floor(np.asarray(fraction, dtype=float) * 100.0 + 1e-9)


def ceil_points(fraction: np.ndarray) -> np.ndarray:
    """Whole points, rounded up (towards the outside for an upper bound)."""
    return np.ceil(np.asarray(fraction, dtype=float) * 100.0 - 1e-9)


def strength(y: np.ndarray, sd: np.ndarray) -> np.ndarray:
    """'clearly' where the 99.8 % interval excludes 0, else ''."""
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.abs(np.asarray(y, dtype=float)) / np.asarray(sd, dtype=float)
    return np.where(z > Z998, "clearly", "").astype(object)


def classes(low: np.ndarray, high: np.ndarray) -> np.ndarray:
    """better / worse where the interval *as published* (rounded outwards to
    whole points) excludes 0, so a class never contradicts the interval shown."""
    shown_low, shown_high = floor_points(low), ceil_points(high)
    return np.where(
        shown_low > 0, "better", np.where(shown_high < 0, "worse", "as_expected")
    ).astype(object)

