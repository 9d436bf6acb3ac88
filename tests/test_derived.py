"""The response rates: worked out from published figures, hidden with them."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
from statsmodels.stats.proportion import proportion_confint

from generator.compute import registry
from generator.protect.derived import with_derived
from generator.protect.disclosure import SITE_COLUMNS, Protection

R = 20


def _row(provider: str, indicator: str, den: int | None, reason: str = "") -> dict[str, object]:
    hidden = reason != ""
    return {
        "provider_id": provider,
        "year": "2025",
        "indicator": indicator,
        "breakdown": "total",
        "numerator": None if hidden else 1,
        "denominator": None if hidden else den,
        "value": None,
        "ci_low": None,
        "ci_high": None,
        "suppressed": hidden,
        "reason": reason,
        "low_reliability": False,
        "comparison": "",
        "strength": "",
    }


def _protected(rows: list[dict[str, object]]) -> pd.DataFrame:
    table = pd.DataFrame(rows, columns=list(SITE_COLUMNS))
    for column in ("provider_id", "year", "indicator", "breakdown", "reason", "comparison",
                   "strength"):
        table[column] = table[column].astype("string")
    for column in ("numerator", "denominator", "value", "ci_low", "ci_high"):
        table[column] = table[column].astype("Int64")
    return table


def test_a_response_rate_is_shown_only_where_both_its_figures_are() -> None:
    protected = _protected(
        [
            # Both shown: 30 of 40 answered at the end.
            _row("shown", "dropped_out", 40),
            _row("shown", "satisfied_end", 30),
            # The satisfaction figure hidden: its base would be given away.
            _row("answers-hidden", "dropped_out", 40),
            _row("answers-hidden", "satisfied_end", None, "secondary"),
            # The dropout figure hidden for few records: the rate too, for that reason.
            _row("few", "dropped_out", None, "fewer_than_k"),
            _row("few", "satisfied_end", None, "fewer_than_k"),
            # Left out of the publication: left out too.
            _row("left-out", "dropped_out", None, "withdrawn"),
            _row("left-out", "satisfied_end", None, "withdrawn"),
            # The answers left out of the publication: absent from the open data,
            # but not nobody, so the rate is hidden rather than 0 %.
            _row("answers-left-out", "dropped_out", 40),
            _row("answers-left-out", "satisfied_end", None, "withdrawn"),
            # Nobody answered: no satisfaction row at all, so 0 %.
            _row("nobody", "dropped_out", 25),
        ]
    )
    report = Protection()
    out = with_derived(protected, R, report)
    end = out[out["indicator"] == "answered_end"].set_index("provider_id")
    assert (end.loc["shown", ["numerator", "denominator", "value"]].tolist()) == [30, 40, 75]
    assert not end.at["shown", "suppressed"]
    assert end.at["answers-hidden", "suppressed"]
    assert end.at["answers-hidden", "reason"] == "secondary"
    assert pd.isna(end.at["answers-hidden", "denominator"])
    assert end.at["few", "reason"] == "fewer_than_k"
    assert end.at["answers-left-out", "suppressed"]
    assert end.at["answers-left-out", "reason"] == "secondary"
    assert end.at["left-out", "reason"] == "withdrawn"
    assert end.loc["nobody", ["numerator", "denominator", "value"]].tolist() == [0, 25, 0]
    # No satisfaction after four weeks anywhere: every shown rate is 0 %.
    four = out[out["indicator"] == "answered_4w"].set_index("provider_id")
    assert four.at["shown", "value"] == 0
    assert four.at["few", "reason"] == "fewer_than_k"
    # The source rows come back as they were, and the hidden rates are counted.
    pd.testing.assert_frame_equal(out.iloc[: len(protected)], protected)
    assert report.hidden_secondary == {"answered_end": 2}
    assert report.hidden_fewer_than_k == {"answered_4w": 1, "answered_end": 1}


def test_every_published_response_rate_is_the_quotient_of_two_published_figures(
    sample_site: Path,
) -> None:
    """Read back from the open data as anyone can: each rate's numerator is the
    published base of its satisfaction figure (0 where there is none), its
    denominator the published base of the dropout figure, and its interval
    statsmodels' Wilson interval, rounded outwards. A hidden source hides it."""
    rows = pd.read_csv(
        sample_site / "data" / "indicators.csv", dtype=str, keep_default_na=False
    )
    totals = rows[rows["breakdown"] == "total"].set_index(["provider_id", "year", "indicator"])
    checked = shown = 0
    for name, (part, whole) in registry.DERIVED.items():
        for (provider, year, _), rate in totals.xs(name, level=2, drop_level=False).iterrows():
            base = totals.loc[(provider, year, whole)]
            key = (provider, year, part)
            source = totals.loc[key] if key in totals.index else None
            checked += 1
            hidden = source is not None and source["suppressed"] == "yes"
            if base["suppressed"] == "yes" or hidden:
                assert rate["suppressed"] == "yes", (provider, year, name)
                assert rate["value"] == rate["denominator"] == ""
                continue
            assert rate["suppressed"] == "no", (provider, year, name)
            shown += 1
            num = int(source["denominator"]) if source is not None else 0
            den = int(base["denominator"])
            assert (int(rate["numerator"]), int(rate["denominator"])) == (num, den)
            assert int(rate["value"]) == math.floor(100 * num / den + 0.5)
            low, high = proportion_confint(num, den, alpha=0.05, method="wilson")
            assert int(rate["ci_low"]) == np.floor(low * 100 + 1e-9)
            assert int(rate["ci_high"]) == np.ceil(high * 100 - 1e-9)
            assert (rate["low_reliability"] == "yes") == (den < R)
    # Every provider and period with a dropout row has both rates.
    dropouts = int((rows["indicator"] == "dropped_out").sum())
    assert checked == len(registry.DERIVED) * dropouts
    assert shown >= 40  # the pooled rates at least are published in the sample
