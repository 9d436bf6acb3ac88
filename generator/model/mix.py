"""Who a provider's customers were: its customer mix, beside all providers'.

Results depend on who a provider serves, and the comparison with what would
be expected for its customers allows for that; the mix shows why. It is read
from published figures only: the customers behind "went on to work or
studies" in the pooled period, by group (the breakdown rows' denominators),
as a share of all of them (the total row's). A share is shown only where both
counts are published, so it tells nothing the open data does not; a group
whose count is hidden stays hidden.
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.compute.indicators import WORK_OR_STUDIES
from generator.model.sitemodel import Figure

BASE = WORK_OR_STUDIES  # the figure whose customers the mix describes


@dataclass(frozen=True)
class MixShare:
    group: str  # "age_band=20-24"
    part: Figure | None  # the group's published row; None: no customers in it
    total: Figure | None  # the provider's (or all providers') total row
    share: int | None  # whole percent of the customers; None where not shown

    @property
    def hidden(self) -> Figure | None:
        """The hidden figure that keeps the share from being shown, if any."""
        if self.part is None or self.share is not None:
            return None
        return self.part if self.part.suppressed else self.total


def share_of(part: Figure | None, total: Figure | None) -> int | None:
    """The part's customers as whole percent of the total's, rounded half up;
    None unless both counts are published."""
    if part is None or total is None or part.suppressed or total.suppressed:
        return None
    if not part.denominator or not total.denominator:
        return None
    return (200 * part.denominator + total.denominator) // (2 * total.denominator)


def customer_mix(
    profiles: dict[str, dict[str, Figure]],
    total: Figure | None,
    groups: dict[str, tuple[str, ...]],
) -> dict[str, tuple[MixShare, ...]]:
    """Per breakdown column, the share of the customers in each group that has
    a row (``groups``: the columns and their groups, in page order)."""
    out: dict[str, tuple[MixShare, ...]] = {}
    for column, values in groups.items():
        shares = []
        for group in values:
            part = profiles.get(group, {}).get(BASE)
            shares.append(MixShare(group, part, total, share_of(part, total)))
        if any(s.part is not None for s in shares):
            out[column] = tuple(shares)
    return out
