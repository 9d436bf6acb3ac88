"""What the plain-language sentences say about a figure, decided in Python.

Templates choose words; whether a figure is higher than all providers', what
its customers would be expected to reach, and which years a trend sentence
compares are statistical rules, and live here with their tests
(tests/test_verdicts.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

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


def expected_share(fig: Figure | None, difference: Figure | None) -> int | None:
    """The share a provider's customers would be expected to reach: its own
    share minus the published difference from expected (indicator 6), so the
    sentence adds up for the reader. None unless both are shown."""
    if fig is None or difference is None or not fig.shown or not difference.shown:
        return None
    assert fig.value is not None and difference.value is not None
    return fig.value - difference.value


@dataclass(frozen=True)
class Trend:
    """The years a trend sentence names: the first and the last shown, or one."""

    first: Figure
    last: Figure | None  # None when only one year has a figure to show


def trend(provider: Provider, years: tuple[str, ...], indicator: str) -> Trend | None:
    shown = provider.shown_figures(years, indicator)
    if not shown:
        return None
    return Trend(shown[0], shown[-1] if len(shown) > 1 else None)
