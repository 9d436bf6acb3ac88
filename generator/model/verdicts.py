"""What the plain-language sentences say about a figure, decided in Python.

Templates choose words; whether a figure is higher than all providers', what
its customers would be expected to reach, and which years a trend sentence
compares are statistical rules, and live here with their tests
(tests/test_verdicts.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from generator.compute.stats import Z95
from generator.model.sitemodel import Figure, Provider

VersusAll = Literal["higher", "lower", "chance"]


def versus_all(fig: Figure | None, everyone: Figure | None) -> VersusAll | None:
    """Is a provider's share different from all providers' by more than chance?

    The all-provider figure rests on far more people, so the provider's own
    interval decides: "higher" when the all-provider share lies below it,
    "lower" above it, "chance" inside it (its ends included). None when
    either figure is not shown, or the provider's rests on few answers (its
    sentence then says it is uncertain instead).
    """
    if fig is None or everyone is None or not fig.shown or not everyone.shown:
        return None
    if fig.low_reliability:
        return None
    assert fig.ci_low is not None and fig.ci_high is not None and everyone.value is not None
    if everyone.value < fig.ci_low:
        return "higher"
    if everyone.value > fig.ci_high:
        return "lower"
    return "chance"


@dataclass(frozen=True)
class Reference:
    """What a provider's headline figure is set against in its sentence."""

    figure: Figure | None  # all providers' figure
    service: str | None  # the service it is for; None: all services together
    comparable: bool  # like with like, so the sentence may say higher or lower


def reference(
    provider: Provider,
    indicator: str,
    everyone: Figure | None,
    by_service: dict[str, dict[str, Figure]],
) -> Reference:
    """All providers' figure a provider's own is compared with.

    Results depend on the service (SFI customers reach work or studies less
    often than job-coaching customers), so a provider that offers one service
    is set against all providers' figure for that service
    (``by_service[X]``) wherever the indicator has figures by
    service. Otherwise (several services, or no figure for its one service)
    it is shown all providers' figure for every service together, without a
    verdict: its mix of services alone could make it higher or lower. An
    indicator without figures by service is set against all providers.
    """
    if not any(indicator in figures for figures in by_service.values()):
        return Reference(everyone, None, True)
    services = provider.services
    own = by_service.get(services[0], {}) if len(services) == 1 else {}
    if indicator in own:
        return Reference(own[indicator], services[0], True)
    return Reference(everyone, None, False)


def expected_share(fig: Figure | None, difference: Figure | None) -> int | None:
    """The share a provider's customers would be expected to reach: its own
    share minus the published difference from expected (indicator 6), so the
    sentence adds up for the reader. None unless both are shown."""
    if fig is None or difference is None or not fig.shown or not difference.shown:
        return None
    assert fig.value is not None and difference.value is not None
    return fig.value - difference.value


Direction = Literal["up", "down", "chance"]


@dataclass(frozen=True)
class Difference:
    """A compared-with-expected figure in words a reader counts in: "13 more
    out of 100 than expected", rather than signed percentage points."""

    direction: Literal["more", "fewer", "same"]
    count: int  # out of 100, never negative


def difference(fig: Figure | None) -> Difference | None:
    if fig is None or fig.value is None:
        return None
    direction = "more" if fig.value > 0 else "fewer" if fig.value < 0 else "same"
    return Difference(direction, abs(fig.value))


@dataclass(frozen=True)
class Trend:
    """What a trend sentence may say: the first and the last year with a reliable
    figure, and whether the change between the years is more than chance."""

    first: Figure
    last: Figure | None  # None when only one year has a reliable figure
    direction: Direction | None = None  # None with one year


def armitage_z(successes: list[int], trials: list[int], scores: list[float]) -> float:
    """The Cochran-Armitage test statistic for a linear trend in proportions.

    z = sum t_i (x_i - n_i p) / sqrt(p (1 - p) (sum n_i t_i^2 - (sum n_i t_i)^2 / N)),
    with p the pooled share: positive when the share rises with the score. 0
    where there is nothing to test (everyone alike, or a single score)."""
    n_total = sum(trials)
    if n_total == 0:
        return 0.0
    pooled = sum(successes) / n_total
    mean_score = sum(n * t for n, t in zip(trials, scores, strict=True)) / n_total
    numerator = sum(
        t * (x - n * pooled) for x, n, t in zip(successes, trials, scores, strict=True)
    )
    spread = sum(n * (t - mean_score) ** 2 for n, t in zip(trials, scores, strict=True))
    variance = pooled * (1.0 - pooled) * spread
    return 0.0 if variance <= 0 else numerator / variance**0.5


def trend_span(provider: Provider, years: tuple[str, ...], indicator: str) -> tuple[str, ...]:
    """The years a provider's trend chart covers: from its first year with a
    figure (shown or hidden), so a new provider's chart does not open on years
    before it existed."""
    have = [i for i, y in enumerate(years) if provider.figure(y, indicator) is not None]
    return years[have[0] :] if have else ()


def trend(provider: Provider, years: tuple[str, ...], indicator: str) -> Trend | None:
    """The trend sentence's facts. Only reliable figures (at least R answers)
    take part: a year with few answers never starts or ends a trend. A change is
    stated only when the Cochran-Armitage test over those years excludes chance
    at 5 %, on the unrounded counts; otherwise the differences could be chance.
    None when no year has a reliable figure."""
    shown = [f for f in provider.shown_figures(years, indicator) if not f.low_reliability]
    if not shown:
        return None
    if len(shown) == 1:
        return Trend(shown[0], None)
    counted = [f for f in shown if f.numerator is not None and f.denominator]
    z = armitage_z(
        [int(f.numerator or 0) for f in counted],
        [int(f.denominator or 0) for f in counted],
        [float(f.period) for f in counted],
    )
    direction: Direction = "up" if z > Z95 else "down" if z < -Z95 else "chance"
    return Trend(shown[0], shown[-1], direction)


def out_of_ten(fig: Figure | None) -> tuple[str, int | None] | None:
    """A share in the words of easy-to-read Swedish: ("about", 7) for "about 7 of
    10", ("almost_all", None) from 95 %, ("almost_none", None) up to 5 %; None
    where no figure is shown. Rounded half up, as every published share."""
    if fig is None or not fig.shown or fig.value is None:
        return None
    if fig.value >= 95:
        return ("almost_all", None)
    if fig.value <= 5:
        return ("almost_none", None)
    return ("about", (fig.value + 5) // 10)
