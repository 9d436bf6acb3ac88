"""Figures worked out from published figures: the survey response rates.

A response rate is how many of the customers whose service ended answered a
survey: the base of a satisfaction figure (its denominator, the answers)
over the base of the dropout figure (every record that ended). Both are
published counts, so a rate tells nothing that the two figures do not tell
already. It is therefore worked out after disclosure control, from what
that control publishes, and takes no part in the relations or the proof:

- where the dropout figure is hidden, so is the rate, for the same reason;
- where the satisfaction figure is hidden (or left out), the rate is hidden
  as ``secondary``: it would give that figure's base away;
- where there is no satisfaction figure at all, nobody answered (an absent
  row means exactly zero records, see ``disclosure``), and the rate is 0 %.

So a published rate is always the quotient of two published numbers, which
``tests/test_derived.py`` checks against the open data. The rule "everybody
or nobody" is not applied again: 0 % or 100 % answered follows from the two
published figures anyway. The rates are given for all of a provider's
customers per year and pooled period, not per service or customer group,
because the dropout figure is.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from generator.compute import registry
from generator.compute.indicators import TOTAL
from generator.compute.stats import wilson
from generator.protect.disclosure import (
    FEWER_THAN_K,
    SECONDARY,
    WITHDRAWN,
    Protection,
    publishable,
)


def with_derived(
    protected: pd.DataFrame, r: int, report: Protection | None = None
) -> pd.DataFrame:
    """``protected`` (``disclosure.protect``'s rows) with the derived figures added
    after them, published or hidden by the rules above; ``report`` counts the
    hidden ones with the rest."""
    parts = [protected]
    for name, (part, whole) in registry.DERIVED.items():
        rows = _derive(protected, name, part, whole, r)
        parts.append(rows)
        if report is not None:
            report.count_hidden(rows)
    return pd.concat(parts, ignore_index=True)


def _totals(protected: pd.DataFrame, indicator: str) -> pd.DataFrame:
    rows = protected[
        ((protected["indicator"] == indicator) & (protected["breakdown"] == TOTAL)).to_numpy(
            dtype=bool, na_value=False
        )
    ]
    key = rows["provider_id"].astype("string") + "\x1f" + rows["year"].astype("string")
    return rows.set_index(key.to_numpy())


def _derive(protected: pd.DataFrame, name: str, part: str, whole: str, r: int) -> pd.DataFrame:
    base = _totals(protected, whole)
    source = _totals(protected, part).reindex(base.index)
    present = source["indicator"].notna().to_numpy(dtype=bool)
    source_shown = present & source["suppressed"].eq(False).to_numpy(dtype=bool)
    base_hidden = base["suppressed"].to_numpy(dtype=bool)
    hidden = base_hidden | (present & ~source_shown)
    den = base["denominator"].astype("Int64").fillna(0).to_numpy(dtype=np.int64)
    num = np.where(
        source_shown, source["denominator"].astype("Int64").fillna(0).to_numpy(dtype=np.int64), 0
    )
    num = np.where(hidden, 0, num)
    den = np.where(hidden, 0, den)
    low, high = wilson(num, den)
    table = pd.DataFrame(
        {
            "provider_id": pd.array(base["provider_id"].to_numpy(), dtype="string"),
            "year": pd.array(base["year"].to_numpy(), dtype="string"),
            "indicator": pd.array([name] * len(base), dtype="string"),
            "breakdown": pd.array(base["breakdown"].to_numpy(), dtype="string"),
            "numerator": pd.array(num, dtype="Int64"),
            "denominator": pd.array(den, dtype="Int64"),
            "ci_low": pd.array(low, dtype="Float64"),
            "ci_high": pd.array(high, dtype="Float64"),
        }
    )
    primary = (base["reason"] == FEWER_THAN_K).to_numpy(dtype=bool, na_value=False)
    out = publishable(table, hidden, primary, r)
    withdrawn = (base["reason"] == WITHDRAWN).to_numpy(dtype=bool, na_value=False)
    out.loc[withdrawn, "reason"] = WITHDRAWN
    # A hidden dropout figure lends its reason; the rest were hidden for their source.
    out.loc[hidden & ~base_hidden, "reason"] = SECONDARY
    return out
