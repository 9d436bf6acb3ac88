"""Could a difference between providers be chance? The comparison's verdict.

Comparing where two rounded intervals overlap is a poor test: with two
providers it calls too few differences real (its power is well below a
two-proportion test's), and with eight it raises false alarms, because the
highest and the lowest of eight are picked after looking. So:

- **two providers:** the Newcombe hybrid-score interval for the difference of
  their shares (statsmodels ``confint_proportions_2indep``, method
  ``newcomb``); the difference is real when it excludes 0;
- **three to eight:** a chi-square test that the shares are all alike; only
  if it rejects, the highest and the lowest are compared by a two-proportion
  score test, Holm-adjusted over every pair shown;
- always on the published counts (numerator and denominator), never on
  rounded percentages; and a figure with few answers never takes part.

"Into work or studies" is judged on its case-mix-adjusted row (observed minus
expected, indicator 6) where the comparison covers all services: the raw
shares of providers with different customers differ for reasons that are
not theirs. Those figures are points with a published interval; their
standard errors are read back from it (the interval's half-width / 1.96, an
interval rounded outwards, so a little cautious), and the same two steps
apply with normal tests.

``theme/static/js/difference.js`` applies the same rules in the browser; a
browser test checks the two agree on many random cases.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations

import numpy as np
from scipy.stats import chi2, norm

from generator.compute.stats import Z95, wilson

ALPHA = 0.05
REAL, CHANCE, FEW = "real", "chance", "few"


@dataclass(frozen=True)
class Share:
    successes: int
    trials: int

    @property
    def value(self) -> float:
        return self.successes / self.trials


@dataclass(frozen=True)
class Points:
    value: float  # percentage points
    se: float

    @classmethod
    def from_interval(cls, value: float, low: float, high: float) -> Points:
        return cls(float(value), (float(high) - float(low)) / (2 * Z95))


def _holm(p_values: Sequence[float]) -> list[float]:
    """Holm's step-down adjustment (as statsmodels ``multipletests``)."""
    order = np.argsort(p_values, kind="stable")
    m = len(p_values)
    adjusted = np.empty(m)
    running = 0.0
    for rank, i in enumerate(order):
        running = max(running, min(1.0, (m - rank) * p_values[i]))
        adjusted[i] = running
    return adjusted.tolist()


def _newcombe(a: Share, b: Share) -> tuple[float, float]:
    """Newcombe's hybrid score interval for a - b, from the two Wilson intervals."""
    (l1,), (u1,) = wilson([a.successes], [a.trials])
    (l2,), (u2,) = wilson([b.successes], [b.trials])
    d = a.value - b.value
    return (
        d - float(np.sqrt((a.value - l1) ** 2 + (u2 - b.value) ** 2)),
        d + float(np.sqrt((u1 - a.value) ** 2 + (b.value - l2) ** 2)),
    )


def _pair_p(a: Share, b: Share) -> float:
    pooled = (a.successes + b.successes) / (a.trials + b.trials)
    variance = pooled * (1 - pooled) * (1 / a.trials + 1 / b.trials)
    if variance <= 0:
        return 1.0
    return float(2 * norm.sf(abs(a.value - b.value) / np.sqrt(variance)))


def shares_verdict(shares: Sequence[Share]) -> str:
    shares = [s for s in shares if s.trials > 0]
    if len(shares) < 2:
        return FEW
    if len(shares) == 2:
        low, high = _newcombe(shares[0], shares[1])
        return REAL if low > 0 or high < 0 else CHANCE
    successes = sum(s.successes for s in shares)
    trials = sum(s.trials for s in shares)
    if successes in (0, trials):
        return CHANCE  # everybody alike
    pooled = successes / trials
    statistic = sum(
        (s.successes - s.trials * pooled) ** 2 / (s.trials * pooled * (1 - pooled))
        for s in shares
    )
    if chi2.sf(statistic, len(shares) - 1) >= ALPHA:
        return CHANCE
    pairs = list(combinations(range(len(shares)), 2))
    adjusted = _holm([_pair_p(shares[i], shares[j]) for i, j in pairs])
    return REAL if adjusted[pairs.index(_extremes(shares))] < ALPHA else CHANCE


def points_verdict(points: Sequence[Points]) -> str:
    points = [p for p in points if p.se > 0]
    if len(points) < 2:
        return FEW

    def pair_p(a: Points, b: Points) -> float:
        return float(2 * norm.sf(abs(a.value - b.value) / np.sqrt(a.se**2 + b.se**2)))

    if len(points) == 2:
        return REAL if pair_p(points[0], points[1]) < ALPHA else CHANCE
    w = np.array([1 / p.se**2 for p in points])
    v = np.array([p.value for p in points])
    statistic = float((w * (v - (w * v).sum() / w.sum()) ** 2).sum())
    if chi2.sf(statistic, len(points) - 1) >= ALPHA:
        return CHANCE
    pairs = list(combinations(range(len(points)), 2))
    adjusted = _holm([pair_p(points[i], points[j]) for i, j in pairs])
    return REAL if adjusted[pairs.index(_extremes(points))] < ALPHA else CHANCE


def _extremes(items: Sequence[Share] | Sequence[Points]) -> tuple[int, int]:
    """The pair (lower index first) of the highest and the lowest value; the
    first of equal values."""
    values = [item.value for item in items]
    hi = max(range(len(values)), key=lambda i: (values[i], -i))
    lo = min(range(len(values)), key=lambda i: (values[i], i))
    return (min(hi, lo), max(hi, lo))
