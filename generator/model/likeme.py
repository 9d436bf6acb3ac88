"""The data behind "results for people like me" with JavaScript: one language-neutral file.

Without JavaScript the pre-built group pages do the job; with it, a visitor
can combine answers (age, born abroad, education) and see every chosen group
side by side, among the providers of the service they choose. Only published
figures go in: a suppressed figure is ``null`` (shown as "too few such
customers"), a group with no customers at a provider is absent, and no count
is written at all.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from generator.model.ranking import bands, ranked
from generator.model.sitemodel import PROFILE_COLUMNS, Figure, SiteModel

INDICATOR = "work_or_studies"
PATH = Path("theme") / "data" / "like-me.json"


def _figure(fig: Figure | None, band: int = 0) -> list[int] | None:
    """[value, low, high, few answers, band]: the band (ranking.bands) is the
    list order, decided here so the script sorts exactly as the pages do."""
    if fig is None or not fig.shown:
        return None
    assert fig.value is not None and fig.ci_low is not None and fig.ci_high is not None
    return [fig.value, fig.ci_low, fig.ci_high, 1 if fig.low_reliability else 0, band]


def like_me_data(model: SiteModel) -> dict[str, Any]:
    listed = model.listed
    groups: dict[str, dict[str, list[int] | None]] = {}
    in_bands: dict[str, bool] = {}
    for column in PROFILE_COLUMNS:
        for group in model.profile_groups.get(column, ()):
            everyone = model.all_profiles.get(group, {}).get(INDICATOR)
            order = bands(listed, lambda p, g=group: p.profile(g, INDICATOR), everyone)
            in_bands[group] = ranked(order)
            groups[group] = {
                p.id: _figure(p.profile(group, INDICATOR), order[p.id])
                for p in listed
                if p.profile(group, INDICATOR) is not None
            }
    return {
        "period": model.pooled_period,
        "providers": [[p.id, p.name] for p in listed],
        # A chosen service narrows the list to the providers offering it.
        "services": {p.id: list(p.services) for p in listed},
        "total": {p.id: _figure(p.figure(model.pooled_period, INDICATOR)) for p in listed},
        "groups": groups,
        # False: no reliable figure in the group, so the list is in name order.
        "ranked": in_bands,
    }


def write_like_me_data(site: Path, model: SiteModel) -> None:
    path = site / PATH
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(like_me_data(model), ensure_ascii=False, separators=(",", ":"))
    path.write_text(text + "\n", encoding="utf-8")
