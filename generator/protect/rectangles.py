"""Companions that give a hidden group room in every sum at once: rectangles.

A hidden group's answers can only be "anything else" if another table, with
the same published numbers, gives it other answers. Room in each sum on its
own (``disclosure._give_room``) is not enough, because a change in one sum
must be balanced in every other sum it touches. The classic answer of
statistical offices (the hypercube method of Tau-Argus) is to hide a
rectangle: the group, another value of the same breakdown at the same
provider, and the same two values at a second provider. Turning t "yes"
answers into "no" in the group and in the partner provider's other value, and
t "no" into "yes" in the two remaining corners, keeps every total, every
provider's sum over values and every all-provider figure as published. Where
the rows exist for single years and for the pooled period, the same move is
made in both, so the pooled sums hold too.

For a provider's yearly total (no breakdown) the rectangle runs over two
years and two providers, and one service the two share in both years moves
with it, so the service breakdown still adds up.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from generator.compute.indicators import ALL, SELF_SUFFICIENT_6M, TOTAL, WORK_OR_STUDIES

Key = tuple[str, str, str, str]  # provider, period, indicator, breakdown


@dataclass(frozen=True)
class Cells:
    """Row lookup by key, and what the rectangles need about each row."""

    index: dict[Key, int]
    providers: tuple[str, ...]
    pooled: str | None
    pooled_years: frozenset[str]
    values: dict[str, tuple[str, ...]]  # breakdown column -> its values, as rows name them
    # (period, indicator, breakdown) -> the rows of the providers with a row there
    holders: dict[tuple[str, str, str], np.ndarray]
    provider_of: np.ndarray  # row -> provider id
    key_of: list[Key]  # row -> its key
    # Rows whose rectangle is hidden already: hidden rows stay hidden, so they
    # need no second look.
    settled: set[int] = field(default_factory=set)

    @classmethod
    def of(cls, table: pd.DataFrame) -> Cells:
        keys = table[["provider_id", "year", "indicator", "breakdown"]].astype("string")
        key_of: list[Key] = list(keys.fillna("").itertuples(index=False, name=None))
        index = {k: i for i, k in enumerate(key_of)}
        periods = sorted(set(keys["year"].dropna()))
        pooled = next((p for p in periods if "-" in p), None)
        years: frozenset[str] = frozenset()
        if pooled:
            first, last = (int(x) for x in pooled.split("-"))
            years = frozenset(str(y) for y in range(first, last + 1))
        values: dict[str, set[str]] = {}
        for b in set(keys["breakdown"].dropna()):
            column, _, value = b.partition("=")
            if value:
                values.setdefault(column, set()).add(b)
        providers = tuple(sorted(set(keys["provider_id"].dropna()) - {ALL}))
        holders: dict[tuple[str, str, str], list[int]] = {}
        for (who, period, indicator, breakdown), row in index.items():
            if who != ALL:
                holders.setdefault((period, indicator, breakdown), []).append(row)
        return cls(
            index, providers, pooled, years, {c: tuple(sorted(v)) for c, v in values.items()},
            {k: np.array(sorted(v), dtype=np.int64) for k, v in holders.items()},
            keys["provider_id"].fillna("").to_numpy(dtype=object),
            key_of,
        )

    def rows(self, keys: list[Key]) -> list[int] | None:
        """The rows of these keys, or None if any is missing."""
        out = []
        for key in keys:
            row = self.index.get(key)
            if row is None:
                return None
            out.append(row)
        return out


def hide_rectangles(
    table: pd.DataFrame,
    suppressed: np.ndarray,
    guarded: np.ndarray,
    size: np.ndarray,
    yes: np.ndarray,
    rank: np.ndarray,
    k: int,
    cells: Cells | None = None,
) -> bool:
    """Hide a rectangle of companions for every guarded row that has none yet.

    ``guarded`` marks the hidden rows whose result must stay unknown; ``yes``
    is the numerator (NaN where there is none). Among the rectangles that would
    do, the one that hides fewest new rows, then fewest records, is taken.
    Returns whether anything was hidden.
    """
    cells = cells or Cells.of(table)
    has = ~np.isnan(yes)
    no = np.where(has, size - np.nan_to_num(yes), 0.0)
    yes0 = np.nan_to_num(yes)
    # Python scalars: the loop below looks at a few rows at a time.
    has_l, yes_l, no_l = has.tolist(), yes0.tolist(), no.tolist()
    spare = _spare_successes(cells, yes0, size)
    changed = False
    for row in np.flatnonzero(guarded & suppressed & has).tolist():
        if row in cells.settled:
            continue
        p, period, indicator, breakdown = cells.key_of[row]
        if p == ALL:
            continue
        # Room needed both ways: a group of fewer than K must be able to be
        # all "yes" and all "no"; an all-or-none group to have one of each.
        need = max(yes0[row], no[row]) if size[row] < k else 1.0
        best: tuple[tuple[int, float, int], list[int]] | None = None
        partners_first = _partners(
            cells, p, period, indicator, breakdown, suppressed, size, rank
        )
        def has_room(r: int, need: float = need) -> bool:
            # Work-or-studies successes move only where the six-month rows,
            # counted among them, leave enough of them free.
            return has_l[r] and yes_l[r] >= need and no_l[r] >= need and spare.get(r, need) >= need

        for corners in _rectangles(
            cells, p, period, indicator, breakdown, partners_first, has_room
        ):
            new = [r for r in corners if not suppressed[r]]
            score = (len(new), float(size[new].sum()), int(rank[corners[1:4]].min()))
            if best is None or score < best[0]:
                best = (score, corners)
                if score[0] == 0:
                    break
        # Settled either way: found rectangles are hidden now, and where none
        # exists, none will (the room of a row does not change).
        cells.settled.add(row)
        if best is not None and best[0][0] > 0:
            corners = best[1]
            if indicator == WORK_OR_STUDIES:
                # The six-month rows count among these successes: they move too.
                corners = corners + _same_keys(cells, corners, SELF_SUFFICIENT_6M)
            suppressed[corners] = True
            changed = True
    return changed


# Second providers tried per row: those already hidden in the row's cell first,
# then the smallest. Enough for a good rectangle; bounded at national scale.
_PARTNERS = 24


def _partners(
    cells: Cells,
    p: str,
    period: str,
    indicator: str,
    breakdown: str,
    suppressed: np.ndarray,
    size: np.ndarray,
    rank: np.ndarray,
) -> list[str]:
    """The second providers worth trying for a row's rectangle, best first."""
    rows = cells.holders.get((period, indicator, breakdown))
    if rows is None:
        return []
    # One sortable number: published after hidden, then size, then key order.
    score = (
        ((~suppressed[rows]).astype(np.int64) << 61)
        | (np.minimum(size[rows], (1 << 30) - 1).astype(np.int64) << 31)
        | rank[rows].astype(np.int64)
    )
    if len(rows) > _PARTNERS + 1:
        keep = np.argpartition(score, _PARTNERS)[: _PARTNERS + 1]
        rows, score = rows[keep], score[keep]
    chosen = [str(q) for q in cells.provider_of[rows[np.argsort(score)]] if q != p]
    return chosen[:_PARTNERS]


def _spare_successes(cells: Cells, yes: np.ndarray, size: np.ndarray) -> dict[int, float]:
    """Work-or-studies row -> its successes not followed up at six months: how many
    can become "no" without the six-month row having to change as well."""
    out: dict[int, float] = {}
    for row, (p, period, indicator, breakdown) in enumerate(cells.key_of):
        if indicator == WORK_OR_STUDIES:
            six = cells.index.get((p, period, SELF_SUFFICIENT_6M, breakdown))
            out[row] = float(yes[row] - (size[six] if six is not None else 0))
    return out


def _same_keys(cells: Cells, rows: list[int], indicator: str) -> list[int]:
    """The rows of another indicator with the same provider, period and breakdown."""
    out = []
    for row in rows:
        p, period, _, breakdown = cells.key_of[row]
        other = cells.index.get((p, period, indicator, breakdown))
        if other is not None:
            out.append(other)
    return out


def _rectangles(
    cells: Cells,
    p: str,
    period: str,
    indicator: str,
    breakdown: str,
    partners: list[str],
    has_room: Callable[[int], bool],
) -> Iterator[list[int]]:
    """Candidate rectangles for one row, every corner row; the row first, then
    the three partner corners, each of which ``has_room``."""
    index = cells.index
    periods = [period]
    if cells.pooled and period in cells.pooled_years:
        periods.append(cells.pooled)
    if breakdown != TOTAL:
        column = breakdown.partition("=")[0]
        for other in cells.values.get(column, ()):
            mine = index.get((p, period, indicator, other))
            if other == breakdown or mine is None or not has_room(mine):
                continue
            for q in partners:
                theirs = index.get((q, period, indicator, breakdown))
                if theirs is None or not has_room(theirs):
                    continue
                their_other = index.get((q, period, indicator, other))
                if their_other is None or not has_room(their_other):
                    continue
                corners = [index[(p, period, indicator, breakdown)], mine, theirs, their_other]
                if len(periods) > 1:
                    pooled = cells.rows(
                        [(who, periods[1], indicator, b) for who in (p, q)
                         for b in (breakdown, other)]
                    )
                    if pooled is None:
                        continue
                    corners += pooled
                yield corners
        return
    if period == cells.pooled or period not in cells.pooled_years:
        return  # a pooled total moves with its years: left to the sums' own room
    services = cells.values.get("service", ())
    for other in sorted(cells.pooled_years - {period}):
        mine = index.get((p, other, indicator, TOTAL))
        if mine is None or not has_room(mine):
            continue
        for q in partners:
            theirs = index.get((q, period, indicator, TOTAL))
            their_other = index.get((q, other, indicator, TOTAL))
            if theirs is None or their_other is None:
                continue
            if not (has_room(theirs) and has_room(their_other)):
                continue
            corners = [index[(p, period, indicator, TOTAL)], mine, theirs, their_other]
            for service in services:
                extra = cells.rows(
                    [(who, when, indicator, service) for when in (period, other) for who in (p, q)]
                )
                if extra is not None:
                    yield corners + extra
                    break
