"""The disclosure audit: proof that every hidden figure stays hidden.

An attacker has every published number, every row's reason and the sums the
table holds (``relations``). A hidden row of fewer than K records is known
from its reason to hold 1..K-1 records; one hidden to protect others holds
K or more. Counts are whole and never negative, and a numerator is never
larger than its denominator.

For each hidden row that must stay protected, the audit asks the linear
programme of all of that (the feasible set an attacker can work out) for
a witness: an alternative table that agrees with everything published and
differs from the truth where it matters. A row of fewer than K records is
protected when such tables exist in which

- nobody in the group had the result (``yes`` count 0),
- everybody in the group had it (``no`` count 0), and
- the group has another size than it really has,

so the published numbers neither pin its size nor tell anyone's result. A
hidden group of K or more with everybody or nobody having the result, and
fewer than R records, is protected when a table exists in which it has both.

A witness is searched for near the row first: the rows it shares a sum with,
and theirs, may move; every other hidden row keeps its true value. Such a
witness is a genuine solution of the whole system, so finding one is proof;
many such local searches are solved together as one sparse LP (HiGHS via
``scipy.optimize.linprog``), each block's infeasibility measured by slack
variables. Only where no local witness exists is the whole connected set of
hidden rows solved: that answer is exact, and a row it cannot protect is a
leak.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse
from scipy.optimize import linprog

from .relations import LinkedSystem

# Witness kinds.
NOBODY = "nobody"  # the yes count can be 0
EVERYBODY = "everybody"  # the no count can be 0
LARGER = "larger"  # another size, one or more larger
SMALLER = "smaller"  # another size, one or more smaller
MIXED = "mixed"  # at least one yes and one no (groups of K or more)

_TOLERANCE = 1e-6
_BATCH_VARIABLES = 60_000
# Rows allowed to move in a local search, tried in turn: most witnesses are
# found among a few rows, and small blocks make the solver several times faster.
_LOCAL_ROWS = (24, 80, 300)
_FAN_OUT = 8  # hidden rows taken from one sum at each step


@dataclass(frozen=True)
class Counts:
    """The true counts and what an attacker knows of each row's bounds."""

    den: np.ndarray  # int64 records (the count for count-only rows)
    num: np.ndarray  # int64, 0 where there is no numerator
    has_num: np.ndarray  # bool
    k: int
    # Rows listed even when empty (six-month rows follow their work-or-studies
    # row), so their presence says nothing about their size.
    may_be_empty: np.ndarray | None = None

    def bounds(self, hidden: np.ndarray, primary: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Lowest and highest denominator an attacker must allow for each row."""
        least = 1 if self.may_be_empty is None else np.where(self.may_be_empty, 0, 1)
        low = np.where(primary, least, np.where(hidden, self.k, self.den)).astype(np.float64)
        high = np.where(primary, self.k - 1, np.where(hidden, np.inf, self.den))
        return low, high.astype(np.float64)


@dataclass(frozen=True)
class Target:
    row: int
    kind: str


@dataclass
class _Structure:
    """Row <-> relation incidence, built once per table."""

    system: LinkedSystem
    row_ptr: np.ndarray
    row_rel: np.ndarray
    row_sign: np.ndarray
    rel_ptr: np.ndarray
    rel_rows: np.ndarray
    links: dict[int, list[int]] = field(default_factory=dict)

    @classmethod
    def of(cls, system: LinkedSystem, n: int) -> _Structure:
        row_ptr, row_rel, row_sign = system.membership(n)
        rows = np.concatenate([system.part_row, system.rel_total])
        rels = np.concatenate([system.part_rel, np.arange(system.n_relations)])
        order = np.argsort(rels, kind="stable")
        rel_ptr = np.zeros(system.n_relations + 1, dtype=np.int64)
        np.add.at(rel_ptr, rels + 1, 1)
        links: dict[int, list[int]] = {}
        for a, b in np.concatenate([system.at_most, system.same_denominator]).tolist():
            links.setdefault(a, []).append(b)
            links.setdefault(b, []).append(a)
        return cls(system, row_ptr, row_rel, row_sign, np.cumsum(rel_ptr), rows[order], links)

    def relations_of(self, row: int) -> np.ndarray:
        return self.row_rel[self.row_ptr[row] : self.row_ptr[row + 1]]

    def members(self, rel: int) -> np.ndarray:
        return self.rel_rows[self.rel_ptr[rel] : self.rel_ptr[rel + 1]]


def targets(
    counts: Counts, hidden: np.ndarray, primary: np.ndarray, r: int
) -> list[Target]:
    """What must be shown possible for every hidden row that needs protection."""
    out: list[Target] = []
    den, num = counts.den, counts.num
    for row in np.flatnonzero(primary).tolist():
        if counts.has_num[row]:
            if num[row] > 0:
                out.append(Target(row, NOBODY))
            if num[row] < den[row]:
                out.append(Target(row, EVERYBODY))
        out.append(Target(row, LARGER if den[row] < counts.k - 1 else SMALLER))
    group = hidden & ~primary & counts.has_num & (den < r) & ((num == 0) | (num == den))
    out += [Target(row, MIXED) for row in np.flatnonzero(group).tolist()]
    return out


class Auditor:
    """Finds witnesses for targets under the current pattern of hidden rows."""

    def __init__(self, system: LinkedSystem, counts: Counts) -> None:
        self.counts = counts
        self.structure = _Structure.of(system, len(counts.den))

    def unproven(
        self, wanted: Iterable[Target], hidden: np.ndarray, primary: np.ndarray, exact: bool = False
    ) -> list[Target]:
        """The targets no witness was found for (exact: over whole connected sets)."""
        if exact:
            return self._unproven(wanted, hidden, primary, None)
        for limit in _LOCAL_ROWS:
            wanted = self._unproven(wanted, hidden, primary, limit)
        return wanted

    def _unproven(
        self, wanted: Iterable[Target], hidden: np.ndarray, primary: np.ndarray, limit: int | None
    ) -> list[Target]:
        low, high = self.counts.bounds(hidden, primary)
        wanted = list(wanted)
        den = self.counts.den
        impossible = [
            t for t in wanted
            if (t.kind == LARGER and high[t.row] < den[t.row] + 1)
            or (t.kind == SMALLER and low[t.row] > den[t.row] - 1)
        ]
        wanted = [t for t in wanted if t not in impossible]
        blocks = [self._block(t, hidden, limit) for t in wanted]
        failed: list[Target] = list(impossible)
        batch: list[tuple[Target, _Block]] = []
        size = 0
        for target, block in zip(wanted, blocks, strict=True):
            batch.append((target, block))
            size += len(block.rows)
            if size >= _BATCH_VARIABLES:
                failed += self._solve(batch, low, high)
                batch, size = [], 0
        if batch:
            failed += self._solve(batch, low, high)
        # A kind of "another size" has two ways to be true.
        retry = [Target(t.row, SMALLER) for t in failed if t.kind == LARGER]
        if retry:
            still = {t.row for t in self._unproven(retry, hidden, primary, limit)}
            failed = [t for t in failed if t.kind != LARGER or t.row in still]
        return failed

    # -- building one search --------------------------------------------------

    def _block(self, target: Target, hidden: np.ndarray, limit: int | None) -> _Block:
        s = self.structure
        den = self.counts.den
        chosen = [target.row]
        seen = {target.row}
        fan = None if limit is None else _FAN_OUT
        i = 0
        while i < len(chosen) and (limit is None or len(chosen) < limit):
            row = chosen[i]
            i += 1
            nearby: list[int] = []
            for rel in s.relations_of(row).tolist():
                members = s.members(rel)
                members = members[hidden[members]]
                if fan is not None and len(members) > fan:
                    members = members[np.argsort(-den[members], kind="stable")[: fan + 1]]
                nearby += members.tolist()
            nearby += [b for b in s.links.get(row, ()) if hidden[b]]
            for other in nearby:
                if other not in seen:
                    seen.add(other)
                    chosen.append(other)
                    if limit is not None and len(chosen) >= limit:
                        break
        return _Block(np.array(chosen, dtype=np.int64))

    def _solve(
        self, batch: list[tuple[Target, _Block]], low: np.ndarray, high: np.ndarray
    ) -> list[Target]:
        s = self.structure
        c = self.counts
        eq_rows: list[int] = []
        eq_cols: list[int] = []
        eq_vals: list[float] = []
        eq_rhs: list[float] = []
        ub_rows: list[int] = []
        ub_cols: list[int] = []
        ub_vals: list[float] = []
        ub_rhs: list[float] = []
        lo: list[float] = []
        hi: list[float] = []
        slack_of_block: list[list[int]] = []
        n_var = 0

        def new_var(lower: float, upper: float) -> int:
            nonlocal n_var
            lo.append(lower)
            hi.append(upper)
            n_var += 1
            return n_var - 1

        slack_vars: list[int] = []
        for target, block in batch:
            rows = block.rows.tolist()
            dd: dict[int, int] = {}
            dn: dict[int, int] = {}
            for row in rows:
                d, n = float(c.den[row]), float(c.num[row])
                dd[row] = new_var(low[row] - d, high[row] - d)
                if c.has_num[row]:
                    dn[row] = new_var(-n, np.inf)
                    # numerator <= denominator
                    ub_rows += [len(ub_rhs)] * 2
                    ub_cols += [dn[row], dd[row]]
                    ub_vals += [1.0, -1.0]
                    ub_rhs.append(d - n)
            mine: list[int] = []
            rels = sorted({rel for row in rows for rel in s.relations_of(row).tolist()})
            for rel in rels:
                members = [m for m in s.members(rel).tolist() if m in dd]
                total = int(s.system.rel_total[rel])
                for change, has in ((dd, True), (dn, bool(c.has_num[total]))):
                    if not has:
                        continue
                    row_id = len(eq_rhs)
                    plus, minus = new_var(0, np.inf), new_var(0, np.inf)
                    mine += [plus, minus]
                    for m in members:
                        eq_rows.append(row_id)
                        eq_cols.append(change[m])
                        eq_vals.append(-1.0 if m == total else 1.0)
                    eq_rows += [row_id, row_id]
                    eq_cols += [plus, minus]
                    eq_vals += [1.0, -1.0]
                    eq_rhs.append(0.0)
            mine += self._links(dd, dn, eq_rows, eq_cols, eq_vals, eq_rhs,
                                ub_rows, ub_cols, ub_vals, ub_rhs, new_var)
            self._aim(target, dd, dn, lo, hi, ub_rows, ub_cols, ub_vals, ub_rhs)
            slack_of_block.append(mine)
            slack_vars += mine

        cost = np.zeros(n_var)
        cost[slack_vars] = 1.0
        a_eq = sparse.csr_matrix((eq_vals, (eq_rows, eq_cols)), shape=(len(eq_rhs), n_var))
        a_ub = sparse.csr_matrix((ub_vals, (ub_rows, ub_cols)), shape=(len(ub_rhs), n_var))
        bounds = np.column_stack([lo, hi])
        result = linprog(
            cost,
            A_ub=a_ub if len(ub_rhs) else None,
            b_ub=np.array(ub_rhs) if len(ub_rhs) else None,
            A_eq=a_eq if len(eq_rhs) else None,
            b_eq=np.array(eq_rhs) if len(eq_rhs) else None,
            bounds=bounds,
            method="highs",
        )
        if result.status != 0:
            raise RuntimeError(f"disclosure audit: the solver failed ({result.message})")
        x = result.x
        return [
            target
            for (target, _), mine in zip(batch, slack_of_block, strict=True)
            if x[mine].sum() > _TOLERANCE
        ]

    def _links(self, dd, dn, eq_rows, eq_cols, eq_vals, eq_rhs,
               ub_rows, ub_cols, ub_vals, ub_rhs, new_var) -> list[int]:
        """Six-month denominators within work-or-studies numerators; shared head counts."""
        c = self.counts
        system = self.structure.system
        slacks: list[int] = []
        for a, b in system.at_most.tolist():
            if a not in dd and b not in dn:
                continue
            # den[a] + dd[a] <= num[b] + dn[b]
            row_id = len(ub_rhs)
            if a in dd:
                ub_rows.append(row_id), ub_cols.append(dd[a]), ub_vals.append(1.0)
            if b in dn:
                ub_rows.append(row_id), ub_cols.append(dn[b]), ub_vals.append(-1.0)
            slack = new_var(0, np.inf)
            ub_rows.append(row_id), ub_cols.append(slack), ub_vals.append(-1.0)
            ub_rhs.append(float(c.num[b] - c.den[a]))
            slacks.append(slack)
        for a, b in system.same_denominator.tolist():
            if a not in dd and b not in dd:
                continue
            row_id = len(eq_rhs)
            for row, sign in ((a, 1.0), (b, -1.0)):
                if row in dd:
                    eq_rows.append(row_id), eq_cols.append(dd[row]), eq_vals.append(sign)
            plus, minus = new_var(0, np.inf), new_var(0, np.inf)
            eq_rows += [row_id, row_id]
            eq_cols += [plus, minus]
            eq_vals += [1.0, -1.0]
            eq_rhs.append(0.0)
            slacks += [plus, minus]
        return slacks

    def _aim(self, target, dd, dn, lo, hi, ub_rows, ub_cols, ub_vals, ub_rhs) -> None:
        """Constrain the target row to the alternative the witness must show."""
        row = target.row
        d, n = float(self.counts.den[row]), float(self.counts.num[row])
        v = dd[row]
        if target.kind == NOBODY:
            lo[dn[row]] = hi[dn[row]] = -n
        elif target.kind == EVERYBODY:
            # no count d + dd - n - dn <= 0
            ub_rows.extend([len(ub_rhs)] * 2)
            ub_cols.extend([v, dn[row]])
            ub_vals.extend([1.0, -1.0])
            ub_rhs.append(n - d)
        elif target.kind == LARGER:
            lo[v] = max(lo[v], 1.0)
        elif target.kind == SMALLER:
            hi[v] = min(hi[v], -1.0)
        elif target.kind == MIXED:
            lo[dn[row]] = max(lo[dn[row]], 1.0 - n)
            ub_rows.extend([len(ub_rhs)] * 2)
            ub_cols.extend([dn[row], v])
            ub_vals.extend([1.0, -1.0])
            ub_rhs.append(d - n - 1.0)


@dataclass(frozen=True)
class _Block:
    rows: np.ndarray


@dataclass
class Exposure:
    """What the audit found: targets asked, and those no witness exists for."""

    targets: int
    exposed: list[Target]
    names: dict[int, str]

    def lines(self) -> list[str]:
        by_kind: dict[str, int] = {}
        for t in self.exposed:
            by_kind[t.kind] = by_kind.get(t.kind, 0) + 1
        rows = sorted({t.row for t in self.exposed})
        out = [
            f"{self.targets} things to keep unknown about hidden groups; "
            f"{len(self.exposed)} of them can be worked out from what is published "
            f"({', '.join(f'{k} {n}' for k, n in sorted(by_kind.items())) or 'none'}), "
            f"in {len(rows)} hidden rows."
        ]
        out += [f"  {self.names[r]}" for r in rows[:20]]
        if len(rows) > 20:
            out.append(f"  ... and {len(rows) - 20} more")
        return out


def measure(table, published, k: int, r: int) -> Exposure:
    """Audit a protected table against the linear programme of everything it publishes.

    ``table`` is the indicator table with true counts, ``published`` what
    ``disclosure.protect`` made of it (same rows, same order).
    """
    from .relations import linked_system

    table = table.reset_index(drop=True)
    size = table["denominator"].astype("Int64").fillna(table["count"].astype("Int64"))
    den = size.fillna(0).to_numpy(dtype=np.int64)
    num = table["numerator"].astype("Int64").to_numpy(dtype=np.float64, na_value=np.nan)
    is_diff = (table["indicator"] == "work_or_studies_vs_expected").to_numpy(bool)
    six_months = (table["indicator"] == "self_sufficient_6m").to_numpy(bool)
    counts = Counts(
        den, np.nan_to_num(num).astype(np.int64), ~np.isnan(num) & ~is_diff, k, six_months
    )
    hidden = published["suppressed"].to_numpy(dtype=bool) & ~is_diff
    primary = (published["reason"] == "fewer_than_k").to_numpy(dtype=bool, na_value=False)
    primary = primary & ~is_diff
    auditor = Auditor(linked_system(table), counts)
    wanted = targets(counts, hidden, primary, r)
    failed = auditor.unproven(wanted, hidden, primary)
    exposed = auditor.unproven(failed, hidden, primary, exact=True) if failed else []
    keys = ("provider_id", "year", "indicator", "breakdown")
    names = {
        t.row: "/".join(str(table.at[t.row, c]) for c in keys) for t in exposed
    }
    return Exposure(len(wanted), exposed, names)
