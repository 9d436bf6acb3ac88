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

Sweeps come first (``sweep``): one table per connected set and kind of fact
that pushes every group at once, proving each fact it shows. What they leave,
a witness is searched for near the row: the rows it shares a sum with,
and theirs, may move; every other hidden row keeps its true value. Such a
witness is a genuine solution of the whole system, so finding one is proof;
many such local searches are solved together as one sparse LP (HiGHS via
``scipy.optimize.linprog``), each block's infeasibility measured by slack
variables. Only where no local witness exists is the whole connected set of
hidden rows solved: that answer is exact, and a row it cannot protect is a
leak. A connected set too large to solve whole for each such fact goes
straight to the repairs, which look near the row first (``repairs``).

Any witness is a whole alternative table, so each one found is tried on the
facts still open before they are searched for (one that empties a group
often shows another size for it too). Searches stand alone, so large audits
share them out among worker processes; what is found exposed does not
depend on which search, or which process, found a witness first.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import sys
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse
from scipy.optimize import linprog
from scipy.sparse.csgraph import connected_components

from generator.protect import sweep
from generator.protect.relations import DEN, LinkedSystem
from generator.protect.sweep import EVERYBODY, LARGER, MIXED, NOBODY, SMALLER

KINDS = (NOBODY, EVERYBODY, LARGER, SMALLER, MIXED)  # witness kinds, in stored order

_TOLERANCE = 1e-6
# Searches solved together in one LP, by variables: HiGHS takes longer per
# search on big block-diagonal LPs than on many small ones (81 s for the
# sample's audit at 60,000, 28 s at 300).
_BATCH_VARIABLES = 300
# Rows allowed to move in a local search, tried in turn: most witnesses are
# found among a few rows, and small blocks make the solver several times faster.
_LOCAL_ROWS = (24, 80, 300, 1500)
_FAN_OUT = 8  # hidden rows taken from one sum at each step
# Targets from which the searches are shared out among processes: starting a
# worker (a fresh interpreter with NumPy and SciPy) costs about a second, a
# local search a hundredth of that, an exact one up to seconds.
_PARALLEL_FROM = 1500
_PARALLEL_EXACT_FROM = 40
# Connected sets of hidden rows up to this size are searched whole to tell
# what is exposed; in larger ones a repair looks among this many rows
# around the target first (all rows, published ones free to move at a cost).
_EXACT_ROWS = 5000
_REPAIR_ROWS = (300, 1500)
# Then, unless no hiding can help (``_unreachable``), among this many, and
# last over the whole connected table.
_REPAIR_FAR_ROWS = (5000, 20000)
# Rows around where a carried witness fails among which it is mended, in turn:
# a vertex table leaves little room near its rows.
_MEND_ROWS = (300, 1500, 5000)
# Rows around a target among which no hiding is first shown to help.
_UNREACHABLE_ROWS = (24, 300, 1500)


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
    # Rows not published at all (disclosure.withdrawn_breakdowns): no label, no
    # existence, so anything from nothing upwards.
    withdrawn: np.ndarray | None = None
    # Rows an earlier release published exactly (previous.py): public whatever
    # tonight hides, so hiding them protects nothing.
    known: np.ndarray | None = None

    def bounds(self, hidden: np.ndarray, primary: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Lowest and highest denominator an attacker must allow for each row."""
        least = 1 if self.may_be_empty is None else np.where(self.may_be_empty, 0, 1)
        low = np.where(primary, least, np.where(hidden, self.k, self.den)).astype(np.float64)
        high = np.where(primary, self.k - 1, np.where(hidden, np.inf, self.den))
        if self.withdrawn is not None:
            low = np.where(self.withdrawn, 0.0, low)
            high = np.where(self.withdrawn, np.inf, high)
        return low, high.astype(np.float64)


@dataclass(frozen=True)
class Target:
    row: int
    kind: str


@dataclass(frozen=True)
class Witness:
    """Another table, as changes to the true one: rows, and the change of each
    row's denominator and numerator. Every other row keeps its true counts."""

    rows: np.ndarray
    den: np.ndarray
    num: np.ndarray


@dataclass
class _Structure:
    """Row <-> relation incidence, built once per table."""

    system: LinkedSystem
    row_ptr: np.ndarray
    row_rel: np.ndarray
    row_sign: np.ndarray
    rel_ptr: np.ndarray
    rel_rows: np.ndarray
    links: dict[int, list[int]] = field(default_factory=dict)  # row -> rows it is linked to
    links_of: dict[int, list[int]] = field(default_factory=dict)  # row -> its links
    link_starts: np.ndarray = field(default_factory=lambda: np.zeros(1, dtype=np.int64))

    @classmethod
    def of(cls, system: LinkedSystem, n: int) -> _Structure:
        row_ptr, row_rel, row_sign = system.membership(n)
        rows = np.concatenate([system.part_row, system.rel_total])
        rels = np.concatenate([system.part_rel, np.arange(system.n_relations)])
        order = np.argsort(rels, kind="stable")
        rel_ptr = np.zeros(system.n_relations + 1, dtype=np.int64)
        np.add.at(rel_ptr, rels + 1, 1)
        links: dict[int, list[int]] = {}
        links_of: dict[int, list[int]] = {}
        terms = system.links
        members: dict[int, list[int]] = {}
        for link, row in zip(terms.link.tolist(), terms.row.tolist(), strict=True):
            members.setdefault(link, []).append(row)
        for link, rows_of_link in members.items():
            for row in set(rows_of_link):
                links_of.setdefault(row, []).append(link)
                links.setdefault(row, []).extend(r for r in set(rows_of_link) if r != row)
        return cls(
            system, row_ptr, row_rel, row_sign, np.cumsum(rel_ptr), rows[order], links, links_of,
            np.searchsorted(terms.link, np.arange(len(terms) + 1)),
        )

    def components(self, hidden: np.ndarray) -> Callable[[int], _Block]:
        """The connected set of hidden rows each hidden row belongs to: rows that
        share a sum or a link, and theirs, as far as it goes (the block of an
        exact search). Computed once for every row instead of a search per row."""
        label = self.labels(hidden)
        order = np.argsort(label, kind="stable")
        order = order[hidden[order]]
        starts = np.searchsorted(label[order], label[order], side="left")
        ends = np.searchsorted(label[order], label[order], side="right")
        first = dict(zip(order.tolist(), zip(starts.tolist(), ends.tolist(), strict=True),
                         strict=True))
        blocks: dict[int, _Block] = {}

        def block(row: int) -> _Block:
            start, end = first[row]
            if start not in blocks:
                # The target first, as a search from it would have it.
                members = order[start:end]
                blocks[start] = _Block(members)
            members = blocks[start].rows
            return _Block(np.concatenate([[row], members[members != row]]))

        return block

    def labels(self, hidden: np.ndarray) -> np.ndarray:
        """Per row, the number of its connected set of hidden rows (see
        ``components``); a published row is a set of its own."""
        n = len(hidden)
        rel_of_entry = np.repeat(np.arange(len(self.rel_ptr) - 1), np.diff(self.rel_ptr))
        keep = hidden[self.rel_rows]
        rows, rels = self.rel_rows[keep], rel_of_entry[keep]
        # Each hidden member of a sum, or of a link, is joined to a node
        # standing for the sum or the link.
        terms = self.system.links
        linked = hidden[terms.row]
        n_sums = len(self.rel_ptr) - 1
        a_all = np.concatenate([rows, terms.row[linked]])
        b_all = np.concatenate([n + rels, n + n_sums + terms.link[linked]])
        size = n + n_sums + len(terms)
        graph = sparse.coo_matrix(
            (np.ones(len(a_all), dtype=np.int8), (a_all, b_all)), shape=(size, size)
        )
        _, label = connected_components(graph, directed=False)
        return label[:n]

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
        self._matrices: sweep.Matrices | None = None
        # Every witness found: the proof a build can keep and check again.
        self.witnesses: dict[Target, Witness] = {}

    @property
    def matrices(self) -> sweep.Matrices:
        """The sums and links as matrices, for sweeps (built on first use)."""
        if self._matrices is None:
            c = self.counts
            self._matrices = sweep.Matrices.of(self.structure.system, c.den, c.num, c.has_num)
        return self._matrices

    def unproven(
        self,
        wanted: Iterable[Target],
        hidden: np.ndarray,
        primary: np.ndarray,
        exact: bool = False,
        workers: int | None = None,
        sweeping: bool = True,
    ) -> list[Target]:
        """The targets no witness was found for (exact: over whole connected sets).

        Near searches start with sweeps (``swept``) unless ``sweeping`` is False.

        Many targets are shared out among ``workers`` processes (all CPUs by
        default): each search stands alone, so which process finds a witness
        changes nothing in what is found exposed.
        """
        wanted = list(wanted)
        if sweeping and not exact:
            wanted = self.swept(wanted, hidden, primary)
        workers = workers or _cpus()
        if workers > 1 and len(wanted) >= (_PARALLEL_EXACT_FROM if exact else _PARALLEL_FROM):
            return self._in_parallel(wanted, hidden, primary, exact, workers)
        if exact:
            return self._unproven(wanted, hidden, primary, None)
        for limit in _LOCAL_ROWS:
            wanted = self._unproven(wanted, hidden, primary, limit)
        return wanted

    def swept(
        self, wanted: list[Target], hidden: np.ndarray, primary: np.ndarray
    ) -> list[Target]:
        """The targets sweeps (``sweep``) leave open; the others get witnesses.

        Connected sets of hidden rows are taken together up to a size; for
        each kind in turn one vertex table pushes every open target of that
        kind, and every open target it shows is proved by it. A kind is swept
        again on what it left open while that proves more. Every witness is
        checked with ``verify`` before it counts.
        """
        c = self.counts
        open_ = [t for t in wanted if t.kind in sweep.SWEPT]
        if not open_:
            return wanted
        low, high = c.bounds(hidden, primary)
        label = self.structure.labels(hidden)
        target_rows = np.array([t.row for t in open_], dtype=np.int64)
        wanted_labels = np.unique(label[target_rows])
        members = np.flatnonzero(hidden & np.isin(label, wanted_labels))
        members = members[np.argsort(label[members], kind="stable")]
        cuts = np.flatnonzero(np.diff(label[members])) + 1
        claims: dict[Target, Witness] = {}
        batch: list[np.ndarray] = []
        for rows in [*np.split(members, cuts), None]:
            if rows is not None:
                batch.append(rows)
                if sum(len(b) for b in batch) < sweep.ROWS_TOGETHER:
                    continue
            if batch:
                together = np.sort(np.concatenate(batch))
                in_batch = np.isin(target_rows, together)
                # Too few facts for a sweep to be worth its programme (a proof
                # run again after a repair): the near searches take them.
                if in_batch.sum() * sweep.ROWS_PER_FACT >= len(together):
                    claims.update(self._sweep(
                        together, [t for t, inside in zip(open_, in_batch, strict=True) if inside],
                        low, high,
                    ))
                batch = []
        wrong = set(verify(self.structure.system, c, hidden, primary, claims))
        good = {t: w for t, w in claims.items() if t not in wrong}
        self.witnesses.update(good)
        return [t for t in wanted if t not in good]

    def _sweep(
        self, rows: np.ndarray, open_: list[Target], low: np.ndarray, high: np.ndarray
    ) -> dict[Target, Witness]:
        """Witnesses the sweeps of one set of rows find for ``open_``."""
        c = self.counts
        polytope = self.matrices.polytope(rows, c.den, c.num, c.has_num, low, high)
        at = np.searchsorted(rows, np.array([t.row for t in open_], dtype=np.int64))
        kind = np.array([t.kind for t in open_])
        d = c.den[rows[at]].astype(np.float64)
        y = c.num[rows[at]].astype(np.float64)
        still = np.ones(len(open_), dtype=bool)
        found: dict[Target, Witness] = {}
        for aim in sweep.SWEPT:
            for _ in range(sweep.ROUNDS):
                mine = still & (kind == aim)
                if not mine.any():
                    break
                change = sweep.push(polytope, aim, at[mine], y[mine] == 0)
                if change is None:
                    break
                change_den, change_num = change
                shows = still & sweep.shown(kind, d, y, change_den[at], change_num[at],
                                            c.has_num[rows[at]])
                if not (shows & mine).any():
                    break
                # A round that proves little leaves the rest to the near searches.
                last = (shows & mine).sum() * sweep.ROWS_PER_FACT < len(rows)
                keep = (np.abs(change_den) > _TOLERANCE) | (np.abs(change_num) > _TOLERANCE)
                witness = Witness(rows[keep], change_den[keep], change_num[keep])
                for i in np.flatnonzero(shows).tolist():
                    found[open_[i]] = witness
                still &= ~shows
                if last:
                    break
        return found

    def exposed(
        self, wanted: Iterable[Target], hidden: np.ndarray, primary: np.ndarray
    ) -> list[Target]:
        """The targets no witness exists for: near searches first, then exact ones."""
        failed = self.unproven(wanted, hidden, primary)
        if not failed:
            return []
        # An exact search over a large connected set takes seconds to minutes;
        # what the near searches left there goes to the repairs as it is,
        # which look near the target first (``repairs``).
        large = self._in_large_sets(failed, hidden)
        found = set(self.unproven([t for t in failed if t not in large], hidden, primary,
                                  exact=True))
        return [t for t in failed if t in found or t in large]

    def _in_large_sets(self, wanted: list[Target], hidden: np.ndarray) -> set[Target]:
        """The targets whose connected set of hidden rows is too large to search whole."""
        label = self.structure.labels(hidden)
        size = np.bincount(label[hidden], minlength=label.max() + 1)
        return {t for t in wanted if size[label[t.row]] > _EXACT_ROWS}

    def repairs(
        self,
        wanted: list[Target],
        hidden: np.ndarray,
        primary: np.ndarray,
        workers: int | None = None,
    ) -> tuple[set[int], list[Target]]:
        """Published rows to hide so that every target gets a witness, and the
        targets no hiding can help.

        Each target's witness is searched over its whole connected set, with
        published rows free to move at a cost: the rows that move in the
        cheapest witness are the ones to hide. A published row, once hidden,
        is known to hold K or more records, so it moves within that bound.
        Hiding only widens what an attacker must allow, so every witness
        found before stays one. Each target is solved alone, so sharing them
        out among ``workers`` processes gives the same rows.
        """
        workers = workers or _cpus()
        if workers > 1 and len(wanted) >= _PARALLEL_EXACT_FROM:
            rows: set[int] = set()
            failed: set[Target] = set()
            for (chunk_rows, chunk_stuck), witnesses in self._shared_out(
                _repair, wanted, hidden, primary, False, workers
            ):
                rows |= chunk_rows
                failed.update(chunk_stuck)
                self.witnesses.update(witnesses)
            return rows, [t for t in wanted if t in failed]
        k = self.counts.k
        low, high = self.counts.bounds(hidden, primary)
        movable = ~hidden & (self.counts.den >= k)
        if self.counts.known is not None:
            movable &= ~self.counts.known
        low = np.where(movable, float(k), low)
        high = np.where(movable, np.inf, high)
        everything = np.ones(len(hidden), dtype=bool)
        large = self._in_large_sets(wanted, hidden)
        rows = set()
        stuck: list[Target] = []
        for target in wanted:
            # "Another size" is reached either way.
            tries = [target]
            if target.kind in (LARGER, SMALLER):
                tries.append(Target(target.row, SMALLER if target.kind == LARGER else LARGER))
            done = self._repaired(tries, low, high, movable, everything, rows,
                                  _REPAIR_ROWS if target in large else ())
            if done is None:
                stuck.append(target)
            else:
                self.witnesses[target] = self.witnesses[done]
        return rows, stuck

    def _repaired(
        self, tries: list[Target], low: np.ndarray, high: np.ndarray, movable: np.ndarray,
        everything: np.ndarray, rows: set[int], near: tuple[int, ...],
    ) -> Target | None:
        """The one of ``tries`` a witness exists for once the published rows it
        moves (added to ``rows``) are hidden: among the ``near`` rows
        around the target in turn, then (unless no hiding can help) among
        more, then over the whole connected table. A
        near witness holds for the whole table (every other row keeps its
        true counts); it may hide more than the cheapest one would."""
        def within(limit: int | None) -> Target | None:
            for attempt in tries:
                if not self._possible(attempt, low, high):
                    continue
                moved: list[list[int]] = []
                # A search from the target, not the connected set in row
                # order: the order of the rows decides which of equally cheap
                # witnesses the solver returns, so which figures are hidden.
                block = self._block(attempt, everything, limit)
                if not self._solve([(attempt, block)], low, high, movable, moved):
                    rows.update(moved[0])
                    return attempt
            return None

        for limit in near:
            if (done := within(limit)) is not None:
                return done
        if near and self._unreachable(tries):
            return None
        for limit in (*(_REPAIR_FAR_ROWS if near else ()), None):
            if (done := within(limit)) is not None:
                return done
        return None

    def _unreachable(self, tries: list[Target]) -> bool:
        """Whether no hiding at all can give any of ``tries`` a witness, shown
        without solving the whole table: with every row hidden that can be,
        the sums and links that lie wholly among the rows around the target
        already rule each out (the rest of the table can only add
        constraints). Where this shows nothing, the whole table is solved.

        Each kind but ``MIXED`` is decided by what ``sweep.push`` reaches
        alone (the fewest "yes", the fewest "no", one more, one fewer); a
        mixed group can be reached in two ways at once, so it is never ruled
        out here."""
        if any(t.kind == MIXED for t in tries):
            return False
        c = self.counts
        everything = np.ones(len(c.den), dtype=bool)
        if c.known is not None:
            everything &= ~c.known
        primary = c.den < c.k
        low, high = c.bounds(everything, primary)
        for attempt in tries:
            for limit in _UNREACHABLE_ROWS:
                rows = np.sort(self._block(attempt, np.ones(len(c.den), dtype=bool), limit).rows)
                polytope = self.matrices.polytope(rows, c.den, c.num, c.has_num, low, high,
                                                  relaxed=True)
                at = np.searchsorted(rows, [attempt.row])
                change = sweep.push(polytope, attempt.kind, at, c.num[rows[at]] == 0)
                if change is None:
                    return False
                d, y = c.den[rows[at]].astype(np.float64), c.num[rows[at]].astype(np.float64)
                if not sweep.shown(np.array([attempt.kind]), d, y, change[0][at],
                                   change[1][at], c.has_num[rows[at]])[0]:
                    break  # ruled out
            else:
                return False  # this one may yet be reached
        return True

    def mended(self, witness: Witness, hidden: np.ndarray, primary: np.ndarray) -> Witness | None:
        """A witness carried from an earlier proof, made to hold again where it fails.

        A correction of a closed year changes a few true counts; a sweep's
        table that moved those rows no longer adds up there, and with it every
        fact it proved would be searched for again (at national scale, a
        sweep of the whole connected set). Only the rows where it fails, and
        the hidden rows around them, are solved again, every other row keeping
        the witness's change; what the result shows is checked with
        ``verify`` as any witness is. None where no such table is found.
        """
        c = self.counts
        n = len(c.den)
        if len(witness.rows) and (witness.rows.min() < 0 or witness.rows.max() >= n):
            return None
        change_den, change_num = np.zeros(n), np.zeros(n)
        change_den[witness.rows] = witness.den
        change_num[witness.rows] = witness.num
        low, high = c.bounds(hidden, primary)
        tol = _TOLERANCE
        # Rows the witness leaves alone keep their true counts, within bounds.
        failing = np.zeros(n, dtype=bool)
        failing[witness.rows] = _entries_wrong(
            c, hidden, low, high, witness.rows, witness.den, witness.num
        )
        m = self.matrices
        # Sums and links the change no longer keeps (the table's rows may differ
        # from the earlier build's): their rows are solved again too.
        off_sums = (np.abs(m.sums @ change_den) > tol) | (
            m.sums_num & (np.abs(m.sums @ change_num) > tol)
        )
        gap = m.links_base + m.links_den @ change_den + m.links_num @ change_num
        off_links = np.where(m.links_eq, np.abs(gap) > tol, gap > tol)
        for matrix, off in ((m.sums, off_sums), (m.links_den, off_links),
                            (m.links_num, off_links)):
            if off.any():
                failing[matrix[np.flatnonzero(off)].nonzero()[1]] = True
        seeds = np.flatnonzero(failing)
        if not len(seeds):
            return witness
        for limit in _MEND_ROWS:
            if len(seeds) > limit:
                continue
            rows = np.unique(self._around(seeds.tolist(), hidden, limit))
            outside_den, outside_num = change_den.copy(), change_num.copy()
            outside_den[rows] = 0.0
            outside_num[rows] = 0.0
            polytope = m.polytope(rows, c.den, c.num, c.has_num, low, high,
                                  anchor=(outside_den, outside_num), published=~hidden)
            found = sweep.settle(polytope)
            if found is None:
                continue
            outside_den[rows], outside_num[rows] = found
            keep = np.flatnonzero((np.abs(outside_den) > tol) | (np.abs(outside_num) > tol))
            return Witness(keep, outside_den[keep], outside_num[keep])
        return None

    def _in_parallel(
        self, wanted: list[Target], hidden: np.ndarray, primary: np.ndarray, exact: bool,
        workers: int,
    ) -> list[Target]:
        failed: set[Target] = set()
        for chunk_failed, witnesses in self._shared_out(
            _search, wanted, hidden, primary, exact, workers
        ):
            failed.update(chunk_failed)
            self.witnesses.update(witnesses)
        return [t for t in wanted if t in failed]

    def _shared_out(
        self, work: Callable, wanted: list[Target], hidden: np.ndarray, primary: np.ndarray,
        exact: bool, workers: int,
    ) -> list:
        """``work(chunk, exact)`` run on chunks of ``wanted`` in worker processes."""
        # Neighbouring rows in chunks of their own, so witnesses found for one
        # target are there to be tried on the next; several chunks per worker
        # even out the time the large connected sets take.
        ordered = sorted(wanted, key=lambda t: t.row)
        n_chunks = min(len(ordered), workers * 4)
        bounds = np.linspace(0, len(ordered), n_chunks + 1).astype(int)
        chunks = [ordered[a:b] for a, b in zip(bounds[:-1], bounds[1:], strict=True)]
        # spawn: forking a process that has loaded pandas and HiGHS is unsafe.
        with ProcessPoolExecutor(
            workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_start_worker,
            initargs=(os.getpid(), self.structure.system, self.counts, hidden, primary),
        ) as pool:
            return list(pool.map(work, chunks, [exact] * len(chunks)))

    def _unproven(
        self, wanted: Iterable[Target], hidden: np.ndarray, primary: np.ndarray, limit: int | None
    ) -> list[Target]:
        low, high = self.counts.bounds(hidden, primary)
        wanted = list(wanted)
        impossible = {t for t in wanted if not self._possible(t, low, high)}
        # Any witness is a whole alternative table, so one found for a group's
        # "nobody" often shows another size too, and a witness over a whole
        # connected set shows something for many of its groups: each is tried
        # on what is still open before solving for it. Sizes go last for that.
        todo = sorted((t for t in wanted if t not in impossible), key=_size_last)
        component = self.structure.components(hidden) if limit is None else None
        found: dict[int, list[Witness]] = {}  # row -> witnesses found here that move it
        failed: set[Target] = set(impossible)
        batch: list[tuple[Target, _Block]] = []
        size = 0

        def solve() -> None:
            failed.update(self._solve(batch, low, high))
            for target, _ in batch:
                witness = self.witnesses.get(target)
                if target not in failed and witness is not None:
                    for row in witness.rows.tolist():
                        found.setdefault(row, []).append(witness)
            batch.clear()

        for target in todo:
            shown = next(
                (w for w in found.get(target.row, ()) if _aimed(target, w, self.counts)), None
            )
            if shown is not None:
                self.witnesses[target] = shown
                continue
            block = (
                self._block(target, hidden, limit)
                if component is None
                else component(target.row)
            )
            batch.append((target, block))
            size += len(block.rows)
            if size >= _BATCH_VARIABLES:
                solve()
                size = 0
        if batch:
            solve()
        # A kind of "another size" has two ways to be true.
        retry = [Target(t.row, SMALLER) for t in wanted if t in failed and t.kind == LARGER]
        if retry:
            still = {t.row for t in self._unproven(retry, hidden, primary, limit)}
            for t in retry:
                if t.row not in still:
                    self.witnesses[Target(t.row, LARGER)] = self.witnesses[t]
                    failed.discard(Target(t.row, LARGER))
        return [t for t in wanted if t in failed]

    def _possible(self, target: Target, low: np.ndarray, high: np.ndarray) -> bool:
        """False where the row's own bounds already rule the alternative out."""
        den = self.counts.den[target.row]
        if target.kind == LARGER:
            return bool(high[target.row] >= den + 1)
        if target.kind == SMALLER:
            return bool(low[target.row] <= den - 1)
        return True

    # -- building one search --------------------------------------------------

    def _block(self, target: Target, hidden: np.ndarray, limit: int | None) -> _Block:
        return _Block(self._around([target.row], hidden, limit))

    def _around(self, start: list[int], hidden: np.ndarray, limit: int | None) -> np.ndarray:
        """``start``, then the hidden rows that share a sum or link with them, and
        theirs, up to ``limit`` rows (the largest few of each sum)."""
        s = self.structure
        den = self.counts.den
        chosen = list(start)
        seen = set(start)
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
        return np.array(chosen, dtype=np.int64)

    def _solve(
        self,
        batch: list[tuple[Target, _Block]],
        low: np.ndarray,
        high: np.ndarray,
        movable: np.ndarray | None = None,
        moved: list[list[int]] | None = None,
    ) -> list[Target]:
        """The targets of the batch with no witness in their block.

        ``movable`` marks published rows that may move at a cost of one per
        unit (within the bounds of a row hidden to protect others); ``moved``
        then receives, per block, the rows that had to move.
        """
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
        move_cost: list[int] = []  # |change| of movable rows
        block_moves: list[list[tuple[int, int]]] = []
        block_vars: list[tuple[list[int], list[int], list[int]]] = []
        for target, block in batch:
            rows = block.rows.tolist()
            dd: dict[int, int] = {}
            dn: dict[int, int] = {}
            moves: list[tuple[int, int]] = []
            for row in rows:
                d, n = float(c.den[row]), float(c.num[row])
                dd[row] = new_var(low[row] - d, high[row] - d)
                # A published row that may not move keeps its numerator too
                # (blocks of a repair hold published rows, see ``repairs``).
                fixed = low[row] == high[row] and (movable is None or not movable[row])
                if c.has_num[row]:
                    dn[row] = new_var(0.0, 0.0) if fixed else new_var(-n, np.inf)
                if movable is not None and movable[row]:
                    for var in (dd[row], dn.get(row)):
                        if var is None:
                            continue
                        size = new_var(0, np.inf)  # size >= |var|
                        for sign in (1.0, -1.0):
                            ub_rows.extend([len(ub_rhs)] * 2)
                            ub_cols.extend([var, size])
                            ub_vals.extend([sign, -1.0])
                            ub_rhs.append(0.0)
                        move_cost.append(size)
                        moves.append((row, size))
                if c.has_num[row]:
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
            block_moves.append(moves)
            block_vars.append((rows, [dd[r] for r in rows], [dn.get(r, -1) for r in rows]))

        cost = np.zeros(n_var)
        # Moving a published row is always cheaper than breaking a sum.
        cost[move_cost] = 1.0
        cost[slack_vars] = 1.0 if not move_cost else 1e4
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
        if moved is not None:
            moved += [
                sorted({row for row, size in moves if x[size] > _TOLERANCE})
                for moves in block_moves
            ]
        failed = []
        for (target, _), mine, (rows, vd, vn) in zip(
            batch, slack_of_block, block_vars, strict=True
        ):
            if x[mine].sum() > _TOLERANCE:
                failed.append(target)
                continue
            change_den = x[vd]
            change_num = np.where(np.array(vn) >= 0, x[vn], 0.0)
            keep = (np.abs(change_den) > _TOLERANCE) | (np.abs(change_num) > _TOLERANCE)
            self.witnesses[target] = Witness(
                np.array(rows, dtype=np.int64)[keep], change_den[keep], change_num[keep]
            )
        return failed

    def _links(self, dd, dn, eq_rows, eq_cols, eq_vals, eq_rhs,
               ub_rows, ub_cols, ub_vals, ub_rhs, new_var) -> list[int]:
        """The links between indicators that touch the block, rows outside it
        at their true counts; each with slack that measures how far it breaks."""
        c = self.counts
        terms = self.structure.system.links
        links_of = self.structure.links_of
        # Only the links that touch the block: at national scale there are
        # hundreds of thousands.
        touching = sorted({link for row in dd for link in links_of.get(row, ())})
        slacks: list[int] = []
        if not touching:
            return slacks
        starts = self.structure.link_starts
        for link in touching:
            at = slice(starts[link], starts[link + 1])
            rhs = 0.0
            cols: list[int] = []
            vals: list[float] = []
            for row, count, coef in zip(terms.row[at].tolist(), terms.field[at].tolist(),
                                        terms.coef[at].tolist(), strict=True):
                rhs -= coef * float(c.den[row] if count == DEN else c.num[row])
                change = dd if count == DEN else dn
                if row in change:
                    cols.append(change[row])
                    vals.append(coef)
            if not cols:  # the block moves none of its counts
                continue
            if terms.eq[link]:
                row_id = len(eq_rhs)
                plus, minus = new_var(0, np.inf), new_var(0, np.inf)
                eq_rows.extend([row_id] * (len(cols) + 2))
                eq_cols.extend([*cols, plus, minus])
                eq_vals.extend([*vals, 1.0, -1.0])
                eq_rhs.append(rhs)
                slacks += [plus, minus]
            else:
                row_id = len(ub_rhs)
                slack = new_var(0, np.inf)
                ub_rows.extend([row_id] * (len(cols) + 1))
                ub_cols.extend([*cols, slack])
                ub_vals.extend([*vals, -1.0])
                ub_rhs.append(rhs)
                slacks.append(slack)
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


def _cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


_WORKER: tuple[Auditor, np.ndarray, np.ndarray] | None = None


def _start_worker(
    parent: int, system: LinkedSystem, counts: Counts, hidden: np.ndarray, primary: np.ndarray
) -> None:
    global _WORKER
    _die_with(parent)
    _WORKER = (Auditor(system, counts), hidden, primary)


def _die_with(parent: int) -> None:
    """End this worker when the build that started it ends, however it ends.

    A nightly job stopped by a time limit is killed without cleaning up, and
    a worker in the middle of an exact search would run on for many minutes
    on a machine the next build needs. On Linux the kernel sends it SIGKILL
    (``prctl(PR_SET_PDEATHSIG)``), which no long computation can hold up.
    """
    if not sys.platform.startswith("linux"):
        return
    pr_set_pdeathsig = 1
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(pr_set_pdeathsig, signal.SIGKILL, 0, 0, 0) != 0:
        return
    if os.getppid() != parent:  # the build ended before the signal was set
        os._exit(1)


def _search(wanted: list[Target], exact: bool) -> tuple[list[Target], dict[Target, Witness]]:
    """One worker's share of ``Auditor.unproven``: what failed, and every witness found."""
    assert _WORKER is not None
    auditor, hidden, primary = _WORKER
    auditor.witnesses = {}
    failed = auditor.unproven(wanted, hidden, primary, exact, workers=1, sweeping=False)
    return failed, auditor.witnesses


def _repair(
    wanted: list[Target], _exact: bool
) -> tuple[tuple[set[int], list[Target]], dict[Target, Witness]]:
    """One worker's share of ``Auditor.repairs``."""
    assert _WORKER is not None
    auditor, hidden, primary = _WORKER
    auditor.witnesses = {}
    return auditor.repairs(wanted, hidden, primary, workers=1), auditor.witnesses


def _size_last(target: Target) -> int:
    return 1 if target.kind in (LARGER, SMALLER) else 0


def told_by_labels(target: Target) -> bool:
    """Whether a target no hiding can reach may be tolerated.

    Every figure under K must carry the label "too few" and every other
    hidden figure is then known to hold K or more; with the six-month link,
    those labels alone can tell that somebody (or not everybody) in a small
    group had the result. They never tell the group's size, so no one's own
    result follows. A size that can be worked out, or the result of a group
    of K or more, is never tolerated.
    """
    return target.kind in (NOBODY, EVERYBODY)


@dataclass
class Exposure:
    """What the audit found: targets asked, those no witness exists for, and of
    those the ones only the labels tell (no hiding can reach them)."""

    targets: int
    exposed: list[Target]
    names: dict[int, str]
    by_labels: list[Target] = field(default_factory=list)

    @property
    def leaks(self) -> list[Target]:
        """What stops a build: exposures hiding could have prevented, or that tell a size."""
        told = set(self.by_labels)
        return [t for t in self.exposed if t not in told]

    def lines(self) -> list[str]:
        out = [
            f"{self.targets} things to keep unknown about hidden groups; "
            f"{len(self.leaks)} of them can be worked out from what is published "
            f"({_kinds(self.leaks)}), in {len({t.row for t in self.leaks})} hidden rows."
        ]
        out += self._rows(self.leaks)
        if self.by_labels:
            out.append(
                f"{len(self.by_labels)} more are told only by the labels every small figure "
                f"carries ({_kinds(self.by_labels)}); their group sizes stay unknown:"
            )
            out += self._rows(self.by_labels)
        return out

    def _rows(self, found: list[Target]) -> list[str]:
        rows = sorted({t.row for t in found})
        out = [f"  {self.names[r]}" for r in rows[:20]]
        if len(rows) > 20:
            out.append(f"  ... and {len(rows) - 20} more")
        return out


def _kinds(found: list[Target]) -> str:
    by_kind: dict[str, int] = {}
    for t in found:
        by_kind[t.kind] = by_kind.get(t.kind, 0) + 1
    return ", ".join(f"{k} {n}" for k, n in sorted(by_kind.items())) or "none"


def verify(
    system: LinkedSystem,
    counts: Counts,
    hidden: np.ndarray,
    primary: np.ndarray,
    claims: dict[Target, Witness],
) -> list[Target]:
    """The claimed witnesses that are not what they claim: checked against every
    relation, bound and link at once, with no solver.

    A witness is good when only hidden rows change, every row stays within
    what an attacker must allow, each sum still adds up, numerators stay
    between 0 and their denominators, the six-month and head-count links
    hold, and the target row shows the alternative its target asks for.
    """
    if not claims:
        return []
    tol = _TOLERANCE
    n = len(counts.den)
    wanted = list(claims)
    # Many facts may share one witness (a sweep's table): each is checked once.
    index: dict[int, int] = {}
    distinct: list[Witness] = []
    for target in wanted:
        if id(claims[target]) not in index:
            index[id(claims[target])] = len(distinct)
            distinct.append(claims[target])
    cols = np.repeat(np.arange(len(distinct)), [len(w.rows) for w in distinct])
    rows = np.concatenate([w.rows for w in distinct]).astype(np.int64)
    d_den = np.concatenate([w.den for w in distinct]).astype(np.float64)
    d_num = np.concatenate([w.num for w in distinct]).astype(np.float64)
    bad = np.zeros(len(distinct), dtype=bool)
    if len(rows) and (rows.min() < 0 or rows.max() >= n):
        return wanted
    low, high = counts.bounds(hidden, primary)
    bad[cols[_entries_wrong(counts, hidden, low, high, rows, d_den, d_num)]] = True
    shape = (n, len(distinct))
    change_den = sparse.csr_matrix((d_den, (rows, cols)), shape=shape)
    change_num = sparse.csr_matrix((d_num, (rows, cols)), shape=shape)
    # Relation x row, +1 for a part and -1 for the total: each sum's residual.
    row_ptr, row_rel, row_sign = system.membership(n)
    incidence = sparse.csr_matrix(
        (row_sign.astype(np.float64), row_rel, row_ptr), shape=(n, system.n_relations)
    ).T.tocsr()
    with_num = sparse.diags(counts.has_num[system.rel_total].astype(np.float64))
    for residual in (incidence @ change_den, with_num @ (incidence @ change_num)):
        residual = residual.tocoo()
        bad[residual.col[np.abs(residual.data) > tol]] = True
    links = system.links
    if len(links):
        on_den, on_num = links.matrices(n)
        # What each link's sum is for the true table (never above 0), and by how
        # much each witness changes it.
        base = on_den @ counts.den.astype(np.float64) + on_num @ counts.num.astype(np.float64)
        gap = (on_den @ change_den + on_num @ change_num).tocoo()
        eq = links.eq[gap.row]
        broken = np.where(eq, np.abs(gap.data) > tol, base[gap.row] + gap.data > tol)
        bad[gap.col[broken]] = True
    # What each witness changes in its target's row.
    which = np.array([index[id(claims[t])] for t in wanted], dtype=np.int64)
    target_rows = np.array([t.row for t in wanted], dtype=np.int64)
    at_den = np.asarray(change_den[target_rows, which]).ravel()
    at_num = np.asarray(change_num[target_rows, which]).ravel()
    kinds = np.array([t.kind for t in wanted])
    shows = sweep.shown(
        kinds, counts.den[target_rows].astype(np.float64),
        counts.num[target_rows].astype(np.float64), at_den, at_num, counts.has_num[target_rows],
    )
    out = bad[which] | ~shows
    return [t for t, b in zip(wanted, out, strict=True) if b]


def _entries_wrong(
    counts: Counts,
    hidden: np.ndarray,
    low: np.ndarray,
    high: np.ndarray,
    rows: np.ndarray,
    d_den: np.ndarray,
    d_num: np.ndarray,
) -> np.ndarray:
    """Which changes of a witness (row, change of its denominator and numerator)
    no table may make: a published row moved, a size beyond what the row's
    label allows, a numerator below 0 or above its denominator, or one where
    the row has none."""
    tol = _TOLERANCE
    den = counts.den[rows] + d_den
    num = counts.num[rows] + d_num
    return (
        ~hidden[rows]
        | (den < low[rows] - tol)
        | (den > high[rows] + tol)
        | (num < -tol)
        | (num > den + tol)
        | (~counts.has_num[rows] & (np.abs(d_num) > tol))
    )


def _aimed(target: Target, witness: Witness, counts: Counts) -> bool:
    """Whether the witness shows, in the target row, the alternative asked for."""
    at = np.flatnonzero(witness.rows == target.row)
    d_den = float(witness.den[at[0]]) if len(at) else 0.0
    d_num = float(witness.num[at[0]]) if len(at) else 0.0
    row = np.array([target.row])
    return bool(sweep.shown(
        np.array([target.kind]), counts.den[row].astype(np.float64),
        counts.num[row].astype(np.float64), np.array([d_den]), np.array([d_num]),
        counts.has_num[row],
    )[0])


def counts_of(
    table, k: int, withdrawn: np.ndarray | None = None, known: np.ndarray | None = None
) -> tuple[Counts, np.ndarray]:
    """The audit's view of an indicator table, and the rows it leaves out.

    Rows of ``work_or_studies_vs_expected`` repeat their work-or-studies
    counts and take part in no sum.
    """
    size = table["denominator"].astype("Int64").fillna(table["count"].astype("Int64"))
    den = size.fillna(0).to_numpy(dtype=np.int64)
    num = table["numerator"].astype("Int64").to_numpy(dtype=np.float64, na_value=np.nan)
    is_diff = (table["indicator"] == "work_or_studies_vs_expected").to_numpy(bool)
    six_months = (table["indicator"] == "self_sufficient_6m").to_numpy(bool)
    has_num = ~np.isnan(num) & ~is_diff
    counts = Counts(
        den, np.nan_to_num(num).astype(np.int64), has_num, k, six_months, withdrawn, known
    )
    return counts, is_diff


def threshold_parts(table, k: int, staff_k: int | None) -> list[tuple[np.ndarray, int]]:
    """The tables protected and audited apart, as (rows, threshold): the staff
    figures under their own threshold ``staff_k``, everything else under K;
    one part where the two agree or there are no staff figures."""
    from generator.compute.indicators import STAFF_INDICATORS

    staff = table["indicator"].isin(STAFF_INDICATORS).to_numpy(dtype=bool)
    if staff_k is None or staff_k == k or not staff.any():
        return [(np.ones(len(table), dtype=bool), k)]
    return [(~staff, k), (staff, staff_k)]


def row_thresholds(table, k: int, staff_k: int | None) -> np.ndarray:
    """Each row's disclosure threshold (threshold_parts)."""
    out = np.full(len(table), k, dtype=np.int64)
    for rows, threshold in threshold_parts(table, k, staff_k):
        out[rows] = threshold
    return out


def measure(table, published, k: int, r: int, staff_k: int | None = None) -> Exposure:
    """Audit a protected table against the linear programme of everything it publishes.

    ``table`` is the indicator table with true counts, ``published`` what
    ``disclosure.protect`` made of it (same rows, same order). The staff
    figures, under their own threshold ``staff_k``, are audited as the table
    of their own they were protected as.
    """
    table = table.reset_index(drop=True)
    published = published.reset_index(drop=True)
    parts = threshold_parts(table, k, staff_k)
    if len(parts) == 1:
        return _measure(table, published, k, r)
    whole = Exposure(0, [], {})
    for rows, threshold in parts:
        at = np.flatnonzero(rows)
        found = _measure(
            table[rows].reset_index(drop=True), published[rows].reset_index(drop=True),
            threshold, r,
        )
        whole.targets += found.targets
        whole.exposed += [Target(int(at[t.row]), t.kind) for t in found.exposed]
        whole.by_labels += [Target(int(at[t.row]), t.kind) for t in found.by_labels]
        whole.names.update({int(at[row]): name for row, name in found.names.items()})
    return whole


def _measure(table, published, k: int, r: int) -> Exposure:
    from generator.protect.relations import linked_system

    table = table.reset_index(drop=True)
    reason = published["reason"]
    withdrawn = (reason == "withdrawn").to_numpy(dtype=bool, na_value=False)
    counts, is_diff = counts_of(table, k, withdrawn if withdrawn.any() else None)
    hidden = published["suppressed"].to_numpy(dtype=bool) & ~is_diff
    # A withdrawn row under K is still a small group to protect; its bounds
    # come from it being unpublished (Counts.withdrawn), not from a label.
    small = withdrawn & (counts.den < k)
    primary = ((reason == "fewer_than_k").to_numpy(dtype=bool, na_value=False) | small)
    primary = primary & ~is_diff
    auditor = Auditor(linked_system(table), counts)
    wanted = targets(counts, hidden, primary, r)
    exposed = auditor.exposed(wanted, hidden, primary)
    _, no_help = auditor.repairs(exposed, hidden, primary) if exposed else (set(), [])
    # In a large connected set the near searches hand what they left to the
    # repairs unsearched; a repair that moved nothing published is a witness.
    stays = set(no_help)
    reached = {t: auditor.witnesses[t] for t in exposed if t not in stays}
    holds = set(reached) - set(verify(auditor.structure.system, counts, hidden, primary, reached))
    exposed = [t for t in exposed if t not in holds]
    by_labels = [t for t in no_help if told_by_labels(t)]
    names = names_of(table, [t.row for t in exposed])
    return Exposure(len(wanted), exposed, names, by_labels)


def names_of(table, rows: Iterable[int]) -> dict[int, str]:
    """provider/period/indicator/breakdown of each row, as the audit names them."""
    keys = ("provider_id", "year", "indicator", "breakdown")
    return {row: "/".join(str(table.at[row, c]) for c in keys) for row in rows}
