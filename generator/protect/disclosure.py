"""Disclosure control: what of the indicator table may be published.

``protect`` takes the long table from ``indicators.compute_indicators`` and
returns the open-data columns with every figure that could reveal a group of
fewer than K records blanked out, and with the reason why.

Primary suppression
    A row resting on fewer than K records (its denominator; for ``started``
    its count) is suppressed: reason ``fewer_than_k``.

Secondary (complementary) suppression
    The table holds linear relations, per indicator and breakdown:

    (a) across providers: the ``all`` row of a period is the sum of every
        provider's row of that period;
    (b) across years: a provider's pooled-period row (``2023-2025``) is the
        sum of its rows for the years inside the period;
    (c) across breakdown values: a ``total`` row is the sum of the rows
        ``COLUMN=v`` over every value v of that column, ``unknown`` included.

    Wherever a relation's total is published and some of its parts are
    suppressed, the suppressed parts' sum can be recovered by subtraction. So
    in every such relation further parts are suppressed (smallest size first,
    ties broken by the row's key; a part that is the only part of another
    relation comes last, since hiding it would hide that relation's total
    too) until at least two parts are suppressed and together rest on at
    least K records; when that cannot be reached (a
    relation with a single part) the total is suppressed instead. Suppressing
    a cell can break another relation, so the relations are revisited until
    nothing changes. Reason: ``secondary``.

Absent rows
    The indicator table has a row for every provider x period x indicator x
    breakdown with at least one record, and ``protect`` never drops a row: a
    suppressed cell stays in the output as a row marked suppressed. So an
    absent row means exactly zero records, never "some number under K", and
    the two can never be confused. Zero is not a group of people (nothing is
    learnt about anyone), and in every relation an absent part adds 0 to the
    sum, so what subtraction recovers is still only the sum of the suppressed
    parts, which the rule above keeps at K or more. Callers must therefore
    publish every row ``protect`` returns (suppressed ones included): hiding
    a row downstream would turn "suppressed" into "absent" and break this.

Compared with expected (indicator 6)
    A ``work_or_studies_vs_expected`` row rests on exactly the records of the
    provider's ``work_or_studies`` total row for the same period, and it
    publishes that row's numerator and denominator. It is not part of any
    sum, so it takes no part in the relations: it is suppressed exactly when
    that row is, for the same reason. Its value and interval are percentage
    points and may be negative.

Work and studies apart
    ``into_work`` and ``into_studies`` share the records of their
    ``work_or_studies`` row. Where that row is hidden both are hidden too
    (their denominator is its size), and each is hidden with the other (one
    alone follows from the other and the combined figure). The audit knows
    they share the denominator and that their numerators add up to at most
    the combined one (``relations``).

Dropouts and switches
    ``dropped_out`` and ``switched_provider`` share their denominator (every
    record that ended), so each is hidden with the other. The audit knows
    the other figures that count ended records rest on at most that many.

Response rates
    ``answered_4w`` and ``answered_end`` are not protected here: they are
    worked out afterwards from what this module publishes (``derived.py``).

Staff figures
    The staff shares (teachers certified, with a degree; coaches with a
    degree) count employees in their role. They have a threshold of their
    own (``staff_k``, the setting ``STAFF_DISCLOSURE_K``, never below
    ``MIN_K`` nor above K). They share no relation with the customers'
    figures, so they are protected, and proved, as a table of their own
    under that threshold.

Rounding happens only after every decision, which uses the raw counts.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from generator.compute.funnel import ceil_points, floor_points
from generator.compute.indicators import (
    ALL,
    DROPPED_OUT,
    INTO_STUDIES,
    INTO_WORK,
    SELF_SUFFICIENT_6M,
    STAFF_INDICATORS,
    STARTED,
    SWITCHED_PROVIDER,
    TOTAL,
    WORK_OR_STUDIES,
    WORK_OR_STUDIES_VS_EXPECTED,
)
from generator.protect import proofstore
from generator.protect.audit import Target, Witness, counts_of, threshold_parts
from generator.protect.proof import Proof, prove, recheck
from generator.protect.rectangles import Cells, hide_rectangles
from generator.protect.relations import LinkedSystem, Relations, linked_system

FEWER_THAN_K = "fewer_than_k"
SECONDARY = "secondary"
# Not published at all: the build leaves these rows out (withdrawn_breakdowns).
WITHDRAWN = "withdrawn"
MIN_K = 3

KEY_COLUMNS = ("provider_id", "year", "indicator", "breakdown")
OUTPUT_COLUMNS = (
    *KEY_COLUMNS,
    "numerator",
    "denominator",
    "value",
    "ci_low",
    "ci_high",
    "suppressed",
    "reason",
    "low_reliability",
    "comparison",
)
# What protect() returns: the contract's columns, then what only the site shows.
SITE_COLUMNS = (*OUTPUT_COLUMNS, "strength")



class DisclosureError(Exception):
    """Hidden figures that the published ones would still give away: nothing may be published."""

    def __init__(
        self,
        rows: list[str],
        positions: tuple[int, ...] = (),
        witnesses: dict[Target, Witness] | None = None,
    ) -> None:
        super().__init__(
            "disclosure audit failed: these hidden figures could be worked out from the "
            "published ones: " + "; ".join(rows)
        )
        self.rows = rows
        self.positions = positions  # their rows in the table protected
        # What the failed proof did prove: a retry with rows withdrawn checks
        # these before it searches.
        self.witnesses = witnesses if witnesses is not None else {}


@dataclass(frozen=True)
class Earlier:
    """What the release before this one published, row by row of the table
    protected now (built by ``previous.joint_table``)."""

    known: np.ndarray  # exact counts already public: hiding them protects nothing
    hidden: np.ndarray  # hidden then, with a label that still holds: stays hidden
    fixed: np.ndarray  # the earlier release's own rows: nothing done now changes them
    # Its rows that tell nothing (left out then, or revised since): unknowns
    # with no label, kept so that each of its sums has all its parts.
    free: np.ndarray

    @classmethod
    def nothing(cls, n: int) -> Earlier:
        none = np.zeros(n, dtype=bool)
        return cls(none, none, none, none)

    def rows(self, which: np.ndarray) -> Earlier:
        return Earlier(self.known[which], self.hidden[which], self.fixed[which], self.free[which])


@dataclass
class Protection:
    """What protection cost, for the build report and the methodology page."""

    hidden_fewer_than_k: dict[str, int] = field(default_factory=dict)
    hidden_secondary: dict[str, int] = field(default_factory=dict)
    rounds: int = 0
    proved: int = 0  # facts about hidden groups the audit showed unknowable
    repaired: int = 0  # figures hidden because the audit found no witness
    carried: int = 0  # facts proved by witnesses carried from the last proof
    told_by_labels: int = 0  # facts only the "too few" labels tell (audit.told_by_labels)
    withdrawn: int = 0  # breakdown rows not published at all (withdrawn_breakdowns)
    proved_at_all: bool = True  # False where DISCLOSURE_PROOF is off

    def add(self, other: Protection) -> None:
        """Count in the cost of protecting another, separate table."""
        for mine, theirs in ((self.hidden_fewer_than_k, other.hidden_fewer_than_k),
                             (self.hidden_secondary, other.hidden_secondary)):
            for name, count in theirs.items():
                mine[name] = mine.get(name, 0) + count
        for name in ("rounds", "proved", "repaired", "carried", "told_by_labels", "withdrawn"):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def count_hidden(self, rows: pd.DataFrame) -> None:
        """Count in the rows of ``rows`` hidden for too few records or to protect
        others, per indicator."""
        for reason, into in ((FEWER_THAN_K, self.hidden_fewer_than_k),
                             (SECONDARY, self.hidden_secondary)):
            mask = (rows["reason"] == reason).to_numpy(dtype=bool, na_value=False)
            for name, count in sorted(rows.loc[mask, "indicator"].value_counts().items()):
                into[str(name)] = into.get(str(name), 0) + int(count)

    @property
    def secondary(self) -> int:
        return sum(self.hidden_secondary.values())

    def _proof_sentence(self) -> str:
        if not self.proved_at_all:
            return (
                "The pattern was not proved (DISCLOSURE_PROOF is off): only the rules of "
                "subtraction, room and rectangles were applied."
            )
        return (
            f"The audit proved {self.proved} facts about hidden groups unknowable from what "
            "is published"
            + (f" ({self.carried} by witnesses carried from the last proof)"
               if self.carried else "")
            + (f", after hiding {self.repaired} more figures" if self.repaired else "")
            + (
                f"; {self.told_by_labels} more (somebody or not everybody in a small group "
                "had the result) are told only by the labels of small figures."
                if self.told_by_labels
                else "."
            )
        )

    def summary(self) -> str:
        """One line for the build report: the cost of protection, per indicator."""
        fewer = sum(self.hidden_fewer_than_k.values())
        per = ", ".join(f"{i} {n}" for i, n in self.hidden_secondary.items()) or "none"
        withdrawn = (
            f" {self.withdrawn} figures of breakdowns whose group sizes no hiding could "
            "protect were not published at all."
            if self.withdrawn
            else ""
        )
        return (
            f"Hidden figures: {fewer} rest on too few records; {self.secondary} more hidden "
            f"to protect people's results ({per}). " + self._proof_sentence() + withdrawn
        )


def protect(
    table: pd.DataFrame,
    k: int = 5,
    r: int = 20,
    report: Protection | None = None,
    proofs: Path | None = None,
    prove_it: bool = True,
    earlier: Earlier | None = None,
    staff_k: int | None = None,
) -> pd.DataFrame:
    """``protect_table`` with the staff figures under their own threshold
    ``staff_k`` (see the module): two tables protected and proved apart, the
    rows returned in input order, the costs added up in ``report``."""
    table = table.reset_index(drop=True)
    parts = threshold_parts(table, k, staff_k)
    if len(parts) == 1:
        return protect_table(table, k, r, report, proofs, prove_it, earlier)
    if staff_k is None or not MIN_K <= staff_k <= k:
        raise ValueError(f"the staff threshold must be from {MIN_K} up to K={k}, got {staff_k}")
    report = report if report is not None else Protection()
    earlier = earlier if earlier is not None else Earlier.nothing(len(table))
    out = []
    for rows, threshold in parts:
        cost = Protection()
        part = protect_table(
            table[rows].reset_index(drop=True), threshold, r, cost, proofs, prove_it,
            earlier.rows(rows),
        )
        report.add(cost)
        report.proved_at_all = cost.proved_at_all
        out.append(part.set_index(np.flatnonzero(rows)))
    return pd.concat(out).sort_index().reset_index(drop=True)


def protect_table(
    table: pd.DataFrame,
    k: int = 5,
    r: int = 20,
    report: Protection | None = None,
    proofs: Path | None = None,
    prove_it: bool = True,
    earlier: Earlier | None = None,
) -> pd.DataFrame:
    """Apply primary, group and secondary suppression, audit it, and flag low reliability.

    Returns one row per input row, in input order, with ``SITE_COLUMNS``:
    numerator/denominator as given, ``value`` the share in whole percent
    rounded half up (for ``started`` the count), ``ci_low``/``ci_high`` the
    interval in whole percent rounded the same way, ``suppressed``,
    ``reason`` (``""``, ``fewer_than_k``, ``secondary`` or ``withdrawn``: not to
    be published at all, see ``withdrawn_breakdowns`` and ``published_rows``), ``low_reliability``
    (published with a denominator under ``r``) and ``comparison`` (passed
    through when the input has it, blank where suppressed or unreliable).

    Raises ``DisclosureError`` when the audit finds a hidden figure it cannot
    protect; ``report`` receives the cost of protection. ``proofs`` is the
    folder where proofs are kept between builds (``proofstore``), or None;
    ``prove_it`` False skips the proof (``DISCLOSURE_PROOF``), and the report
    says so. ``earlier`` is what the live release already published: the proof
    then covers both releases together.
    """
    if k < MIN_K:
        raise ValueError(f"K must be at least {MIN_K}, got {k}")
    table = table.reset_index(drop=True)
    size = _size(table)
    rank = _key_rank(table)
    is_diff = (table["indicator"] == WORK_OR_STUDIES_VS_EXPECTED).to_numpy(
        dtype=bool, na_value=False
    )
    primary = (size < k) & ~is_diff
    system = linked_system(table)
    report = report if report is not None else Protection()
    report.proved_at_all = prove_it
    earlier = earlier if earlier is not None else Earlier.nothing(len(table))
    must = primary | _everybody_or_nobody(table, size, k, r)
    plain = proofstore.key(table, k, r) if proofs is not None else ""
    withdrawn = proofstore.load_withdrawn(proofs, plain, len(table))
    withdrawn &= ~(earlier.fixed | earlier.known | earlier.hidden)
    withdrawn |= earlier.free
    # Without the proof, the rules alone choose the pattern; a night's table is
    # mostly last night's, so their answer is kept for the same table and masks.
    rules = (
        proofstore.key(table, k, r, withdrawn, earlier.known, earlier.hidden, earlier.fixed,
                       earlier.free)
        if proofs is not None and not prove_it
        else ""
    )
    kept_rules = _kept_rules(proofs, rules, table, k, r, withdrawn, must, earlier)
    if kept_rules is not None and _rules_hold(
        kept_rules, must | withdrawn | earlier.hidden, withdrawn, system
    ):
        suppressed, withdrawn, rounds = kept_rules
        report.rounds += rounds
    else:
        rounds = report.rounds
        suppressed, withdrawn = _choose(
            table, system, must, withdrawn.copy(), primary, size, rank, is_diff, k, r, report,
            proofs, prove_it, earlier,
        )
        if rules:
            proofstore.save_rules(proofs, rules, suppressed, withdrawn, report.rounds - rounds)
    if withdrawn.any():
        proofstore.save_withdrawn(proofs, plain, withdrawn)
    report.withdrawn = int((withdrawn & ~earlier.fixed).sum())
    primary |= (size < k) & is_diff
    _follow_work_or_studies(table, is_diff, suppressed, primary)
    out = publishable(table, suppressed, primary, r, is_diff)
    out.loc[withdrawn, "reason"] = WITHDRAWN
    if report is not None:  # always, since it was filled in above
        report.count_hidden(out[out["suppressed"].to_numpy(dtype=bool) & ~earlier.fixed])
    return out


def _choose(
    table: pd.DataFrame,
    system: LinkedSystem,
    must: np.ndarray,
    withdrawn: np.ndarray,
    primary: np.ndarray,
    size: np.ndarray,
    rank: np.ndarray,
    is_diff: np.ndarray,
    k: int,
    r: int,
    report: Protection,
    proofs: Path | None,
    prove_it: bool,
    earlier: Earlier,
) -> tuple[np.ndarray, np.ndarray]:
    """The hidden pattern by the rules, proved unless ``prove_it`` is False, and
    the rows withdrawn on the way (``withdrawn_breakdowns``)."""
    keys = proofstore.row_keys(table) if proofs is not None and prove_it else None
    line = proofstore.lineage(table, k, r) if keys is not None else None
    carried: dict[Target, Witness] | None = None
    while True:
        suppressed = must | withdrawn | earlier.hidden
        # Not keyed by what the live release told: a kept pattern that hides
        # nothing known and all it hid publishes no more than is proved
        # (``_reuse`` checks both).
        name = proofstore.key(table, k, r, withdrawn) if proofs is not None else ""
        kept = proofstore.load(proofs, name, len(table)) if prove_it else None
        given = _Given(withdrawn, earlier.known, must)
        try:
            if kept is None or not _reuse(kept, table, system, suppressed, primary, is_diff, k,
                                          r, report, given):
                if carried is None and line is not None and keys is not None:
                    carried = proofstore.carried(proofs, line, keys)
                proof = _choose_and_prove(
                    table, system, suppressed, primary, size, rank, is_diff, k, r, report,
                    prove_it, given, carried,
                )
                if proof is not None:
                    proofstore.save(proofs, name, suppressed & ~is_diff, proof, keys, line)
            break
        except DisclosureError as err:
            rows = [int(row) for row in err.rows]
            settled = earlier.fixed | earlier.known | earlier.hidden
            more = withdrawn_breakdowns(table, rows, settled) & ~withdrawn
            if not more.any():
                raise DisclosureError([_name(table, row) for row in rows], tuple(rows)) from None
            withdrawn |= more
            # The same table, so the same targets: what the failed round proved
            # is checked against the new pattern before anything is searched.
            carried = {**(carried or {}), **err.witnesses}
    return suppressed, withdrawn


def _kept_rules(
    proofs: Path | None,
    name: str,
    table: pd.DataFrame,
    k: int,
    r: int,
    withdrawn: np.ndarray,
    must: np.ndarray,
    earlier: Earlier,
) -> tuple[np.ndarray, np.ndarray, int] | None:
    """The rules' pattern kept for this table and these masks; else, within a
    year (the live release has no rows of its own), the one kept for this
    table with no release before, where it hides all the live release hid and
    nothing it published exactly: the first night after a build from nothing
    then publishes what that build did."""
    if not name:
        return None
    kept = proofstore.load_rules(proofs, name, len(table))
    if kept is not None or (earlier.fixed | earlier.free).any():
        return kept
    none = np.zeros(len(table), dtype=bool)
    alone = proofstore.load_rules(
        proofs, proofstore.key(table, k, r, withdrawn, none, none, none, none), len(table)
    )
    if alone is None:
        return None
    hidden = alone[0]
    if (earlier.hidden & ~hidden).any() or (hidden & earlier.known & ~must).any():
        return None
    return alone


def _rules_hold(
    kept: tuple[np.ndarray, np.ndarray, int],
    hidden_anyway: np.ndarray,
    withdrawn: np.ndarray,
    system: LinkedSystem,
) -> bool:
    """Whether a pattern the rules chose for this table, kept from an earlier
    build, still hides all it must and gives nothing away by subtraction (a
    damaged archive fails its checksums and is chosen afresh)."""
    suppressed, kept_withdrawn, _ = kept
    return (
        not (hidden_anyway & ~suppressed).any()
        and not (withdrawn & ~kept_withdrawn).any()
        and not (kept_withdrawn & ~suppressed).any()
        and not recovered_by_subtraction(system, suppressed)
    )


@dataclass(frozen=True)
class _Given:
    """What the proof takes as it is: rows left out, rows public already, and
    rows every pattern hides (under K, or 0 %/100 % under R)."""

    withdrawn: np.ndarray
    known: np.ndarray
    must: np.ndarray

    def public(self, pattern: np.ndarray) -> None:
        """Show again what is public anyway (in place): the same figure as the
        release before, so the hidden pattern stays where it was."""
        pattern &= ~(self.known & ~self.must)


def _choose_and_prove(
    table: pd.DataFrame,
    system: LinkedSystem,
    suppressed: np.ndarray,
    primary: np.ndarray,
    size: np.ndarray,
    rank: np.ndarray,
    is_diff: np.ndarray,
    k: int,
    r: int,
    report: Protection,
    prove_it: bool = True,
    given: _Given | None = None,
    carried: dict[Target, Witness] | None = None,
) -> Proof | None:
    """Choose what else to hide by the rules, then prove it (``suppressed`` in place)."""
    given = given if given is not None else _Given(*(np.zeros(len(table), dtype=bool),) * 3)

    def settle(pattern: np.ndarray) -> None:
        while True:
            _settle(list(system.families), pattern, size, rank, k)
            _secure(system, pattern, size, rank, k, report)
            if not _follow(system, pattern):
                break
        given.public(pattern)

    yes = table["numerator"].astype("Int64").to_numpy(dtype=np.float64, na_value=np.nan)
    yes[is_diff] = np.nan
    settle(suppressed)
    cells = Cells.of(table)
    # A rule may want to hide a figure the release before published; that
    # protects nothing and is undone (``_Given.public``), so a round that
    # leaves the pattern as it was ends the rules: the proof finds the rest.
    while True:
        before = suppressed.copy()
        while _give_room(system, suppressed, primary, size, yes, rank, k, r):
            settle(suppressed)
            if np.array_equal(suppressed, before):
                break
            before = suppressed.copy()
        guarded = _guarded(suppressed, primary, size, yes, k, r)
        before = suppressed.copy()
        if not hide_rectangles(table, suppressed, guarded, size, yes, rank, k, cells):
            break
        settle(suppressed)
        if np.array_equal(suppressed, before):
            break
    if not prove_it:
        return None

    # Prove the pattern with the audit, hiding more where it finds no witness.
    counts, _ = counts_of(table, k, given.withdrawn, given.known)
    given.public(suppressed)
    hidden = suppressed & ~is_diff
    proof = prove(system, counts, hidden, primary & ~is_diff, r, settle, carried)
    suppressed |= hidden
    _count_proof(proof, report)
    if proof.leaks:
        raise DisclosureError(
            [str(row) for row in sorted({t.row for t in proof.leaks})], (), proof.witnesses
        )
    return proof


def _reuse(
    kept: tuple[np.ndarray, Proof],
    table: pd.DataFrame,
    system: LinkedSystem,
    suppressed: np.ndarray,
    primary: np.ndarray,
    is_diff: np.ndarray,
    k: int,
    r: int,
    report: Protection,
    given: _Given,
) -> bool:
    """Take a kept pattern (``suppressed`` in place) if its proof checks out here."""
    hidden, proof = kept
    if (hidden & is_diff).any() or (suppressed & ~is_diff & ~hidden).any():
        return False
    pattern = hidden | suppressed
    if recovered_by_subtraction(system, pattern):
        return False
    counts, _ = counts_of(table, k, given.withdrawn, given.known)
    if (hidden & given.known & ~given.must).any():
        return False
    if not recheck(system, counts, hidden.copy(), primary & ~is_diff, r, proof):
        return False
    suppressed |= hidden
    _count_proof(proof, report)
    return True


def _count_proof(proof: Proof, report: Protection) -> None:
    report.proved = proof.targets - len(proof.stuck)
    report.repaired = proof.repaired
    report.carried = proof.carried
    report.told_by_labels = len(proof.by_labels)


def _follow(system: LinkedSystem, pattern: np.ndarray) -> bool:
    """Hide (in place) every row that follows a hidden one (``relations``: work and
    studies apart with the combined figure, dropouts with switches); whether
    anything was hidden."""
    a, b = system.follows[:, 0], system.follows[:, 1]
    changed = False
    while (more := pattern[a] & ~pattern[b]).any():
        pattern[b[more]] = True
        changed = True
    return changed


def _everybody_or_nobody(table: pd.DataFrame, size: np.ndarray, k: int, r: int) -> np.ndarray:
    """Shares of people that would tell every member's result: 0 % or 100 % under R.

    "None of the 6 got work" says something about each of the 6. Staff
    qualifications are facts about employees in their role and count volumes
    have no result, so neither is held back by this rule.
    """
    num = table["numerator"].astype("Int64").to_numpy(dtype=np.float64, na_value=np.nan)
    is_people_share = ~np.isin(
        table["indicator"].astype("string").fillna(""),
        [*STAFF_INDICATORS, STARTED, WORK_OR_STUDIES_VS_EXPECTED],
    )
    extreme = (num == 0) | (num == size)
    return is_people_share & ~np.isnan(num) & extreme & (size >= k) & (size < r)


def _secure(
    system: LinkedSystem,
    suppressed: np.ndarray,
    size: np.ndarray,
    rank: np.ndarray,
    k: int,
    report: Protection,
) -> None:
    """Hide more until no hidden row can be worked out by subtraction, in chains too.

    Solving the published sums one unknown at a time (a relation with a single
    hidden member gives it away; the recovered row then counts as known in the
    next relation) is what anyone with a spreadsheet does. Wherever that
    recovers a hidden row, one more member of the relation that gave it away
    is hidden: the smallest published part, else the total.
    """
    by_rel = np.argsort(system.part_rel, kind="stable")
    starts = np.searchsorted(system.part_rel[by_rel], np.arange(system.n_relations + 1))
    while True:
        report.rounds += 1
        leaks = recovered_by_subtraction(system, suppressed)
        if not leaks:
            return
        hidden_before = int(suppressed.sum())
        for row, rel in leaks.items():
            members = np.append(
                system.part_row[by_rel[starts[rel] : starts[rel + 1]]], system.rel_total[rel]
            )
            total = int(system.rel_total[rel])
            shown = members[~suppressed[members] & (members != row)]
            parts = shown[shown != total]
            if len(parts):
                suppressed[parts[np.lexsort((rank[parts], size[parts]))[0]]] = True
            elif len(shown):
                suppressed[total] = True
        if int(suppressed.sum()) == hidden_before:
            # Nothing left to hide would cut these chains: never publish them.
            raise DisclosureError([str(row) for row in sorted(leaks)])
        _settle(list(system.families), suppressed, size, rank, k)


def _give_room(
    system: LinkedSystem,
    suppressed: np.ndarray,
    primary: np.ndarray,
    size: np.ndarray,
    yes: np.ndarray,
    rank: np.ndarray,
    k: int,
    r: int,
) -> bool:
    """Hide more where a sum leaves a hidden group no room to be anything else.

    Subtraction is not the only attack: the published totals also bound what
    the hidden parts of a sum can hold. Three providers hidden in a sum whose
    other parts are published and whose total is 28 of 28 were all 100 %; two
    hidden groups of at most 4 that must hold 5 "yes" between them both hold
    one. For each hidden group whose result must stay unknown (every group of
    fewer than K, and a group of fewer than R that is all "yes" or all "no"),
    the other hidden members of each of its sums must be able to take its
    "yes" answers (with "no" answers of their own) and its "no" answers (with
    "yes" answers), as they could if the group had the other result. Where
    they cannot, the published part with enough of what is missing (the
    smallest such, else the one with most) is hidden too, else the total.
    Returns whether anything was hidden; the audit (``audit.py``) checks the
    outcome against every published number at once.
    """
    has = ~np.isnan(yes)
    no = np.where(has, size - np.nan_to_num(yes), 0.0)
    yes0 = np.nan_to_num(yes)
    extreme = _extreme(size, yes, k, r)
    guarded = suppressed & has & (primary | extreme)
    if not guarded.any():
        return False
    by_rel = np.argsort(system.part_rel, kind="stable")
    starts = np.searchsorted(system.part_rel[by_rel], np.arange(system.n_relations + 1))
    part_rels = np.unique(system.part_rel[guarded[system.part_row]])
    changed = False
    for rel in part_rels.tolist():
        parts = system.part_row[by_rel[starts[rel] : starts[rel + 1]]]
        total = int(system.rel_total[rel])
        for row in parts[guarded[parts]].tolist():
            others = parts[suppressed[parts] & (parts != row)]
            for need, room in ((yes0[row], no), (no[row], yes0)):
                # The total, hidden, can give way instead of another part.
                have = room[others].sum() + (
                    (yes0 if room is no else no)[total] if suppressed[total] else 0.0
                )
                if extreme[row] and not primary[row]:
                    need = min(need, 1.0)  # one answer the other way will do
                if need <= have:
                    continue
                shown = parts[~suppressed[parts] & has[parts]]
                if len(shown):
                    enough = shown[room[shown] >= need - have]
                    pick = (
                        enough[np.lexsort((rank[enough], size[enough]))[0]]
                        if len(enough)
                        else shown[np.lexsort((rank[shown], -room[shown]))[0]]
                    )
                    suppressed[pick] = True
                    changed = True
                elif not suppressed[total]:
                    suppressed[total] = True
                    changed = True
                others = parts[suppressed[parts] & (parts != row)]
    return changed


def _guarded(
    suppressed: np.ndarray, primary: np.ndarray, size: np.ndarray, yes: np.ndarray, k: int, r: int
) -> np.ndarray:
    """Hidden groups whose result must stay unknown: each under K, and each 0 % or
    100 % under R."""
    return suppressed & ~np.isnan(yes) & (primary | _extreme(size, yes, k, r))


def _extreme(size: np.ndarray, yes: np.ndarray, k: int, r: int) -> np.ndarray:
    """Groups of K to R-1 people with a share of 0 % or 100 %."""
    yes0 = np.nan_to_num(yes)
    return ~np.isnan(yes) & (size >= k) & (size < r) & ((yes0 == 0) | (yes0 == size))


def recovered_by_subtraction(system: LinkedSystem, suppressed: np.ndarray) -> dict[int, int]:
    """Hidden rows that iterated subtraction recovers: row -> the relation that gives it.

    Numerators and denominators sit in the same sums, so a row recovered is
    recovered whole.
    """
    known = ~suppressed.copy()
    rows = np.concatenate([system.part_row, system.rel_total])
    rels = np.concatenate([system.part_rel, np.arange(system.n_relations)])
    found: dict[int, int] = {}
    while True:
        unknown = ~known[rows]
        n_unknown = np.bincount(rels, weights=unknown, minlength=system.n_relations)
        single = unknown & (n_unknown[rels] == 1)
        if not single.any():
            return found
        for row, rel in zip(rows[single].tolist(), rels[single].tolist(), strict=True):
            if not known[row]:
                known[row] = True
                found[row] = rel


def published_rows(protected: pd.DataFrame) -> pd.DataFrame:
    """What the site and the open data show: every row but the withdrawn ones."""
    return protected[(protected["reason"] != WITHDRAWN).to_numpy(dtype=bool)].reset_index(
        drop=True
    )


def left_out_counts(protected: pd.DataFrame) -> dict[str, int]:
    """Per indicator, how many rows the publication leaves out (withdrawn)."""
    withdrawn = protected[(protected["reason"] == WITHDRAWN).to_numpy(dtype=bool)]
    return {str(k): int(v) for k, v in withdrawn["indicator"].value_counts().items()}


def withdrawn_breakdowns(
    table: pd.DataFrame, rows: Iterable[int], settled: np.ndarray | None = None
) -> np.ndarray:
    """Rows to leave out of the publication so that the exposed ``rows`` vanish.

    The proof stops on a hidden group whose size follows from nothing but
    which rows exist and their labels: four rows of one breakdown under a
    total of 8 whose other rows are known to hold 5 or more each hold exactly
    one person, whatever else is hidden. Only not publishing the breakdown
    helps. So every row of that breakdown column (all its values) for the
    provider, period and indicator is withdrawn, for "into work or studies",
    its split into work and into studies, and "six months later" together,
    which are listed cell by cell alike.

    ``settled`` marks rows the live release already made public, figure or
    label (``Earlier``); they cannot be withdrawn. Where an exposed row is a
    total or settled and a live release exists, the live release is what
    pins it, and the provider's figures for that indicator that are new
    tonight are withdrawn instead. Otherwise a total cannot be withdrawn,
    but its parts can: a total is often pinned only through them (a small
    provider's year totals, 100 % and 1, 2 and 5 people, held exactly by
    its services' rows and the pooled period's), so the parts exposed with
    it are withdrawn and the proof runs again. Where only totals remain, the
    result is empty and the build stops.
    """
    rows = list(rows)
    settled = settled if settled is not None else np.zeros(len(table), dtype=bool)
    none = np.zeros(len(table), dtype=bool)
    if not rows:
        return none
    column = table["breakdown"].astype("string").str.partition("=")[0]
    family = table["indicator"].replace(
        {name: WORK_OR_STUDIES for name in (SELF_SUFFICIENT_6M, INTO_WORK, INTO_STUDIES)}
        | {SWITCHED_PROVIDER: DROPPED_OUT}
    ).astype("string")
    provider = table["provider_id"].astype("string")
    year = table["year"].astype("string")
    parts = [row for row in rows if table.at[row, "breakdown"] != TOTAL and not settled[row]]
    in_parts = set(parts)
    whole = [row for row in rows if row not in in_parts]
    out = none.copy()
    if parts:
        key = provider + "\x1f" + year + "\x1f" + family + "\x1f" + column
        out |= key.isin(set(key.iloc[parts])).to_numpy(dtype=bool, na_value=False)
    if whole and settled.any():
        key = provider + "\x1f" + family
        mine = [row for row in whole if provider.iloc[row] != ALL]
        out |= key.isin(set(key.iloc[mine])).to_numpy(dtype=bool, na_value=False)
    return out & ~settled


def _name(table: pd.DataFrame, row: int) -> str:
    return "/".join(str(table.at[row, c]) for c in KEY_COLUMNS)


def _follow_work_or_studies(
    table: pd.DataFrame, is_diff: np.ndarray, suppressed: np.ndarray, primary: np.ndarray
) -> None:
    """Each compared-with-expected row takes the decision of its work_or_studies row."""
    if not is_diff.any():
        return
    keys = table[["provider_id", "year", "breakdown"]].astype("string").fillna("")
    key = keys["provider_id"] + "\x1f" + keys["year"] + "\x1f" + keys["breakdown"]
    base = (table["indicator"] == WORK_OR_STUDIES).to_numpy(dtype=bool, na_value=False)
    position = pd.Series(np.flatnonzero(base), index=key[base].to_numpy())
    match = position.reindex(key[is_diff].to_numpy()).to_numpy()
    found = ~np.isnan(match)
    rows = np.flatnonzero(is_diff)
    match_rows = match[found].astype(np.int64)
    suppressed[rows[found]] = suppressed[match_rows]
    primary[rows[found]] = primary[match_rows]
    # Without its base row there is nothing to lean on: never published.
    suppressed[rows[~found]] = True


# ---------------------------------------------------------------------------
# Decisions


def _size(table: pd.DataFrame) -> np.ndarray:
    """Records a row rests on: the denominator, or the count where there is none."""
    size = table["denominator"].astype("Int64")
    if "count" in table:
        size = size.fillna(table["count"].astype("Int64"))
    # A row with no size at all cannot be shown to rest on K records.
    return size.fillna(0).to_numpy(dtype=np.int64)


def _key_rank(table: pd.DataFrame) -> np.ndarray:
    """Position of each row in key order: the deterministic tie-break.

    Also refuses duplicate keys, since every relation assumes one row per key.
    """
    codes = [pd.factorize(table[c], sort=True)[0] for c in KEY_COLUMNS]
    order = np.lexsort(codes[::-1])
    stacked = np.stack([c[order] for c in codes])
    if len(order) > 1 and (stacked[:, 1:] == stacked[:, :-1]).all(axis=0).any():
        raise ValueError("the indicator table has duplicate keys " + str(KEY_COLUMNS))
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    return rank


def _settle(
    families: list[Relations], suppressed: np.ndarray, size: np.ndarray, rank: np.ndarray, k: int
) -> None:
    """Fix every family in turn until a whole round changes nothing (a fixpoint)."""
    cascades = _sole_parts(families, len(suppressed))
    changed = True
    while changed:
        changed = False
        for family in families:
            changed |= _fix(family, suppressed, size, rank, k, cascades)


def _sole_parts(families: list[Relations], n: int) -> np.ndarray:
    """Rows that are the only part of some relation.

    Suppressing such a row always costs its relation's total as well (a single
    suppressed part is its total), e.g. a provider's only service. So when a
    cell must be chosen to protect another, these come last.
    """
    sole = np.zeros(n, dtype=bool)
    for rel in families:
        parts = np.bincount(rel.part_rel, minlength=len(rel.total))
        sole[rel.part_row[parts[rel.part_rel] == 1]] = True
    return sole


def _fix(
    rel: Relations,
    suppressed: np.ndarray,
    size: np.ndarray,
    rank: np.ndarray,
    k: int,
    cascades: np.ndarray,
) -> bool:
    """One pass over one family; returns whether anything was newly suppressed.

    Parts of different relations in a family never overlap and no total is a
    part in its own family, so fixing all of them at once gives the same
    result as fixing them one by one.
    """
    n_rel = len(rel.total)
    if n_rel == 0:
        return False
    part_sup = suppressed[rel.part_row]
    n_sup = np.bincount(rel.part_rel, weights=part_sup, minlength=n_rel)
    s_sup = np.bincount(rel.part_rel, weights=size[rel.part_row] * part_sup, minlength=n_rel)
    broken = ~suppressed[rel.total] & (n_sup >= 1) & ((n_sup < 2) | (s_sup < k))
    if not broken.any():
        return False

    # Candidates: the published parts of broken relations, smallest first.
    is_cand = broken[rel.part_rel] & ~part_sup
    c_rel, c_row = rel.part_rel[is_cand], rel.part_row[is_cand]
    order = np.lexsort((rank[c_row], size[c_row], cascades[c_row], c_rel))
    c_rel, c_row = c_rel[order], c_row[order]
    c_size = size[c_row]

    n_cand = np.bincount(c_rel, minlength=n_rel)
    s_cand = np.bincount(c_rel, weights=c_size, minlength=n_rel)
    reachable = (n_sup + n_cand >= 2) & (s_sup + s_cand >= k)

    # Position and running size of each candidate within its relation.
    first = np.r_[True, c_rel[1:] != c_rel[:-1]] if len(c_rel) else np.zeros(0, dtype=bool)
    group = np.cumsum(first) - 1
    starts = np.flatnonzero(first)
    before = np.arange(len(c_rel)) - starts[group]  # candidates taken before this one
    running = np.cumsum(c_size)
    size_before = running - c_size - (running[starts] - c_size[starts])[group]
    satisfied_before = (n_sup[c_rel] + before >= 2) & (s_sup[c_rel] + size_before >= k)
    take = reachable[c_rel] & ~satisfied_before

    suppressed[c_row[take]] = True
    suppressed[rel.total[broken & ~reachable]] = True
    return True


# ---------------------------------------------------------------------------
# Output


def _round_percent(fraction: np.ndarray, points: np.ndarray | None = None) -> np.ndarray:
    """Whole percent, half up. The epsilon keeps 0.285 (28.499999...) at 29.

    Shares are kept within 0-100; rows marked in ``points`` are differences in
    percentage points, which may be negative.
    """
    rounded = np.floor(fraction * 100.0 + 0.5 + 1e-9)
    clipped = np.clip(rounded, 0, 100)
    return clipped if points is None else np.where(points, rounded, clipped)


def _outward(
    fraction: np.ndarray, points: np.ndarray, rounding: Callable[[np.ndarray], np.ndarray]
) -> np.ndarray:
    """Whole percent rounded away from the interval's centre; shares kept within
    0-100, differences in points (rows marked in ``points``) not."""
    rounded = rounding(fraction)
    return np.where(points, rounded, np.clip(rounded, 0, 100))


def publishable(
    table: pd.DataFrame,
    suppressed: np.ndarray,
    primary: np.ndarray,
    r: int,
    is_diff: np.ndarray | None = None,
) -> pd.DataFrame:
    """The rows as published (``SITE_COLUMNS``): rounded figures, blanks where
    ``suppressed``, the reason, reliability and comparison class."""
    n = len(table)
    num = table["numerator"].astype("Int64").to_numpy(dtype=np.float64, na_value=np.nan)
    den = table["denominator"].astype("Int64").to_numpy(dtype=np.float64, na_value=np.nan)
    count = (
        table["count"].astype("Int64").to_numpy(dtype=np.float64, na_value=np.nan)
        if "count" in table
        else np.full(n, np.nan)
    )
    has_share = ~np.isnan(num) & (den > 0)
    # Exact integer rounding for the value: floor((200 n + d) / 2 d) == round-half-up(100 n / d).
    with np.errstate(invalid="ignore", divide="ignore"):
        share_pct = np.floor((200.0 * num + den) / (2.0 * den))
    value = np.where(has_share, share_pct, count)
    if is_diff is None:
        is_diff = np.zeros(n, dtype=bool)
    value = np.where(is_diff, _round_percent(_floats(table, "share", n), is_diff), value)
    # Intervals are rounded outwards, so a class or verdict read from the
    # unrounded interval never contradicts the interval shown.
    ci_low = _outward(_floats(table, "ci_low", n), is_diff, floor_points)
    ci_high = _outward(_floats(table, "ci_high", n), is_diff, ceil_points)

    is_count = (table["indicator"] == STARTED).to_numpy(dtype=bool, na_value=False)
    low_rel = ~suppressed & ~is_count & (den < r)
    comparison = (
        table["comparison"].astype("string").fillna("")
        if "comparison" in table
        else pd.Series([""] * n, dtype="string")
    )
    # A better/worse class needs a published, reliable figure (contract).
    comparison = comparison.where(~(suppressed | low_rel), "").astype("string")
    reason = np.where(primary, FEWER_THAN_K, np.where(suppressed, SECONDARY, ""))

    def figure(values: np.ndarray) -> pd.arrays.IntegerArray:
        missing = suppressed | np.isnan(values)
        return pd.arrays.IntegerArray(np.nan_to_num(values).astype(np.int64), missing)

    out = pd.DataFrame({c: table[c].astype("string") for c in KEY_COLUMNS})
    out["numerator"] = figure(num)
    out["denominator"] = figure(den)
    out["value"] = figure(value)
    out["ci_low"] = figure(ci_low)
    out["ci_high"] = figure(ci_high)
    out["suppressed"] = suppressed
    out["reason"] = pd.array(reason, dtype="string")
    out["low_reliability"] = low_rel
    out["comparison"] = comparison
    # Not a contract column: the site says "clearly" where the class holds at
    # 99.8 % too (casemix); the open data keeps the contract's columns.
    strength = (
        table["strength"].astype("string").fillna("")
        if "strength" in table
        else pd.Series([""] * n, dtype="string")
    )
    out["strength"] = strength.where(comparison != "", "").astype("string")
    return out[list(SITE_COLUMNS)]


def _floats(table: pd.DataFrame, column: str, n: int) -> np.ndarray:
    if column not in table:
        return np.full(n, np.nan)
    return table[column].astype("Float64").to_numpy(dtype=np.float64, na_value=np.nan)
