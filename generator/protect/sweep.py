"""Sweeps: one alternative table that proves many facts of the audit at once.

The audit (``audit``) proves a hidden group safe with a witness, an
alternative table that agrees with everything published and tells another
story about the group. A near search finds one witness per fact, with a
small linear programme each; at national scale that is tens of thousands
of programmes. A sweep instead asks, for a whole connected set of hidden
rows, for the one table that pushes every group with a fact of one kind as
far as it goes: the fewest "yes" answers in every small group, or the
fewest "no", or every size one larger or one smaller. Vertex solutions go
to the bounds, so that one table empties most small groups at once, and
each fact it shows is proved by it; what is still open is swept again on
its own, and whatever no sweep shows is left to the near and exact
searches, which decide alone what is exposed.

A sweep only finds witnesses. Each is a genuine solution of every sum,
link and bound an attacker knows (the true table satisfies them all, so
the programme is always feasible), and each is checked again by
``audit.verify`` before it proves anything; many facts share one witness
object, which the proof store keeps once.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import sparse
from scipy.optimize import linprog

from generator.protect.relations import LinkedSystem

# Kinds of fact a witness shows (the audit's, ``audit.KINDS``).
NOBODY = "nobody"  # the yes count can be 0
EVERYBODY = "everybody"  # the no count can be 0
LARGER = "larger"  # another size, one or more larger
SMALLER = "smaller"  # another size, one or more smaller
MIXED = "mixed"  # at least one yes and one no (groups of K or more)
SWEPT = (NOBODY, EVERYBODY, LARGER, SMALLER, MIXED)

_TOLERANCE = 1e-6
# A kind swept again on what it left open, while each round proves more.
ROUNDS = 8
# A round must prove at least one fact per this many rows to be worth
# another: a near search proves one in about a hundredth of a sweep's time
# per hundred rows.
ROWS_PER_FACT = 100
# Connected sets solved in one programme until it has this many rows; a
# large one alone.
ROWS_TOGETHER = 4000


@dataclass(frozen=True)
class Polytope:
    """What an attacker must allow for a set of hidden rows, as constraints on
    their changes: columns are the rows' denominators, then the numerators
    of the rows that have one."""

    rows: np.ndarray
    num_at: np.ndarray  # column of each row's numerator, -1 without one
    lower: np.ndarray
    upper: np.ndarray
    a_eq: sparse.csr_matrix
    b_eq: np.ndarray
    a_ub: sparse.csr_matrix
    b_ub: np.ndarray


@dataclass(frozen=True)
class Matrices:
    """The system's sums and links as sparse matrices over all rows, built once."""

    sums: sparse.csc_matrix  # relation x row, +1 a part and -1 the total
    sums_num: np.ndarray  # bool per relation: its numerators add up too
    links_den: sparse.csc_matrix
    links_num: sparse.csc_matrix
    links_eq: np.ndarray
    links_base: np.ndarray  # each link's value for the true table (0, or below for "at most")
    sum_size: np.ndarray  # rows in each sum, total included
    link_size: np.ndarray  # counts in each link

    @classmethod
    def of(cls, system: LinkedSystem, den: np.ndarray, num: np.ndarray,
           has_num: np.ndarray) -> Matrices:
        n = len(den)
        row_ptr, row_rel, row_sign = system.membership(n)
        sums = sparse.csr_matrix(
            (row_sign.astype(np.float64), row_rel, row_ptr), shape=(n, system.n_relations)
        ).T.tocsc()
        on_den, on_num = system.links.matrices(n)
        base = on_den @ den.astype(np.float64) + on_num @ num.astype(np.float64)
        return cls(sums, has_num[system.rel_total], on_den.tocsc(), on_num.tocsc(),
                   np.asarray(system.links.eq, dtype=bool), base, sums.getnnz(axis=1),
                   on_den.getnnz(axis=1) + on_num.getnnz(axis=1))

    def polytope(self, rows: np.ndarray, den: np.ndarray, num: np.ndarray,
                 has_num: np.ndarray, low: np.ndarray, high: np.ndarray,
                 relaxed: bool = False,
                 anchor: tuple[np.ndarray, np.ndarray] | None = None,
                 published: np.ndarray | None = None) -> Polytope:
        """The changes of ``rows`` (every other row at its true counts) that keep
        every sum and link and stay within what an attacker must allow.

        ``relaxed`` keeps only the sums and links that lie wholly among
        ``rows``, with every other row free: more tables than the whole
        system allows, so a fact no table of it can show is shown by none.
        ``anchor`` gives every other row a change of its own instead (of
        denominators and of numerators, over all rows, 0 on ``rows``): the
        rest of a witness that is mended among ``rows``, where ``published``
        (per row of the table) marks the rows that may not change at all."""
        rows = np.asarray(rows, dtype=np.int64)
        m = len(rows)
        with_num = has_num[rows]
        num_rows = rows[with_num]
        num_at = np.full(m, -1, dtype=np.int64)
        num_at[with_num] = m + np.arange(len(num_rows))
        d = den[rows].astype(np.float64)
        y = num[num_rows].astype(np.float64)
        lower = np.concatenate([low[rows] - d, -y])
        upper = np.concatenate([high[rows] - d, np.full(len(num_rows), np.inf)])
        if published is not None:
            still = np.concatenate([published[rows], published[num_rows]])
            lower[still] = upper[still] = 0.0
        n_var = m + len(num_rows)

        # What the rows outside add to each sum and link.
        sum_den = sum_num = np.zeros(self.sums.shape[0])
        link_base = self.links_base
        if anchor is not None:
            sum_den, sum_num = self.sums @ anchor[0], self.sums @ anchor[1]
            link_base = link_base + self.links_den @ anchor[0] + self.links_num @ anchor[1]
        sums_den = self.sums[:, rows].tocsr()
        sums_num = self.sums[:, num_rows].tocsr()
        inside = sums_den.getnnz(axis=1)
        used = np.flatnonzero(inside + sums_num.getnnz(axis=1))
        if relaxed:
            used = used[inside[used] == self.sum_size[used]]
        with_nums = used[self.sums_num[used]]
        eq = [
            sparse.hstack([sums_den[used], sparse.csr_matrix((len(used), len(num_rows)))]),
            sparse.hstack([sparse.csr_matrix((len(with_nums), m)), sums_num[with_nums]]),
        ]
        b_eq = [-sum_den[used], -sum_num[with_nums]]
        link = sparse.hstack(
            [self.links_den[:, rows], self.links_num[:, num_rows]]
        ).tocsr()
        on = np.flatnonzero(link.getnnz(axis=1))
        if relaxed:
            on = on[link.getnnz(axis=1)[on] == self.link_size[on]]
        is_eq = self.links_eq[on]
        eq.append(link[on[is_eq]])
        b_eq.append(-link_base[on[is_eq]])
        # A numerator never above its denominator.
        k = len(num_rows)
        order = np.arange(k)
        not_above = sparse.csr_matrix(
            (np.concatenate([np.ones(k), -np.ones(k)]),
             (np.concatenate([order, order]),
              np.concatenate([m + order, np.flatnonzero(with_num)]))),
            shape=(k, n_var),
        )
        ub = [link[on[~is_eq]], not_above]
        b_ub = [-link_base[on[~is_eq]], d[with_num] - y]
        return Polytope(
            rows, num_at, lower, upper,
            sparse.vstack(eq).tocsr(), np.concatenate(b_eq),
            sparse.vstack(ub).tocsr(), np.concatenate(b_ub),
        )


def push(
    polytope: Polytope, kind: str, at: np.ndarray, none_yes: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray] | None:
    """The vertex table that pushes the rows at positions ``at`` (of
    ``polytope.rows``) towards ``kind``: the change of each row's
    denominator and numerator, or None where the solver gives none.
    ``none_yes`` says, for ``MIXED``, which of the rows have no "yes" (the
    others have no "no")."""
    p = polytope
    n_var = len(p.lower)
    cost = np.zeros(n_var)
    lower, upper = p.lower.copy(), p.upper.copy()
    with_num = at[p.num_at[at] >= 0]
    if kind == NOBODY:
        cost[p.num_at[with_num]] = 1.0
    elif kind == EVERYBODY:
        cost[with_num] += 1.0
        cost[p.num_at[with_num]] -= 1.0
    elif kind == LARGER:
        # One more is all a fact asks; a cap keeps the programme bounded.
        cost[at] = -1.0
        upper[at] = np.minimum(upper[at], 1.0)
    elif kind == SMALLER:
        cost[at] = 1.0
        lower[at] = np.maximum(lower[at], -1.0)
    else:
        # One "yes" more where there is none, one fewer where all are: both
        # ask only one of the other, as the group stays of K or more.
        assert none_yes is not None
        up, down = p.num_at[at[none_yes]], p.num_at[at[~none_yes]]
        cost[up], upper[up] = -1.0, np.minimum(upper[up], 1.0)
        cost[down], lower[down] = 1.0, np.maximum(lower[down], -1.0)
    return _vertex(p, cost, lower, upper)


def settle(polytope: Polytope) -> tuple[np.ndarray, np.ndarray] | None:
    """Any table of the polytope (the change of each row's denominator and
    numerator), or None where there is none."""
    return _vertex(polytope, np.zeros(len(polytope.lower)), polytope.lower, polytope.upper)


def _vertex(
    p: Polytope, cost: np.ndarray, lower: np.ndarray, upper: np.ndarray
) -> tuple[np.ndarray, np.ndarray] | None:
    result = linprog(
        cost, A_ub=p.a_ub if p.a_ub.shape[0] else None,
        b_ub=p.b_ub if p.a_ub.shape[0] else None,
        A_eq=p.a_eq if p.a_eq.shape[0] else None,
        b_eq=p.b_eq if p.a_eq.shape[0] else None,
        # The interior-point method with crossover returns a vertex too, and on
        # a connected set of 25,000 hidden rows takes a tenth of the time simplex
        # takes after presolve (7 s against 55 s).
        bounds=np.column_stack([lower, upper]), method="highs-ipm",
    )
    if result.status != 0:
        return None
    x = _snapped(result.x)
    change_den = x[: len(p.rows)]
    change_num = np.where(p.num_at >= 0, x[np.maximum(p.num_at, 0)], 0.0)
    return change_den, change_num


def _snapped(x: np.ndarray) -> np.ndarray:
    """Solver noise taken off values that are whole numbers."""
    whole = np.round(x)
    return np.where(np.abs(x - whole) < 1e-9, whole, x)


def shown(kind: np.ndarray, d: np.ndarray, y: np.ndarray, change_den: np.ndarray,
          change_num: np.ndarray, has_num: np.ndarray) -> np.ndarray:
    """Which facts a table shows: per fact its kind, the row's true counts,
    whether it has a numerator, and the table's changes of its counts."""
    tol = _TOLERANCE
    new_den, new_num = d + change_den, y + change_num
    return np.select(
        [kind == NOBODY, kind == EVERYBODY, (kind == LARGER) | (kind == SMALLER), kind == MIXED],
        [has_num & (new_num <= tol), has_num & (new_den - new_num <= tol),
         np.abs(change_den) >= 1 - tol,
         has_num & (new_num >= 1 - tol) & (new_den - new_num >= 1 - tol)],
        default=False,
    )
