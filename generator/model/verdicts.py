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
