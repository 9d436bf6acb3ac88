"""The proof stage of disclosure control: audit, hide where no witness exists, audit again.

``disclosure.protect`` chooses what to hide with rules that are fast and
usually enough (primary and group suppression, subtraction, room,
rectangles). This stage then proves the result with the linear-programming
audit (``audit``): for every hidden group that must stay unknown, a table
that agrees with everything published and tells another story. Where the
audit finds no such table, the cheapest one that moves published figures is
taken and those figures are hidden too, and the audit runs again on what
changed. A build publishes only a pattern the audit has proved; a group no
hiding can protect stops the build.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from generator.protect.audit import (
    Auditor,
    Counts,
    Target,
    Witness,
    targets,
    told_by_labels,
    verify,
)
from generator.protect.relations import LinkedSystem

# A repair hides figures, which can make new groups (0 % or 100 % under R)
# need protection; each round settles those. Two rounds have been enough.
_MAX_ROUNDS = 10
# A carried witness shared by at least this many facts that fail is mended
# (``Auditor.mended``) rather than each fact searched for again.
_MEND_FROM = 10


@dataclass
class Proof:
    """What the audit proved and what it cost."""

    targets: int = 0  # facts about hidden groups shown to be unknowable
    repaired: int = 0  # figures hidden because the audit found no witness
    carried: int = 0  # facts proved by a witness carried from the last proof
    stuck: tuple[Target, ...] = ()  # what no hiding could protect
    witnesses: dict[Target, Witness] = field(default_factory=dict)

    @property
    def leaks(self) -> tuple[Target, ...]:
        """What must stop the build."""
        return tuple(t for t in self.stuck if not told_by_labels(t))

    @property
    def by_labels(self) -> tuple[Target, ...]:
        """What only the labels of small figures tell (see ``audit.told_by_labels``)."""
        return tuple(t for t in self.stuck if told_by_labels(t))


def prove(
    system: LinkedSystem,
    counts: Counts,
    hidden: np.ndarray,
    primary: np.ndarray,
    r: int,
    settle: Callable[[np.ndarray], None],
    carried: dict[Target, Witness] | None = None,
) -> Proof:
    """Prove the pattern ``hidden`` (updated in place) safe, hiding more where needed.

    ``settle`` re-applies the rules of ``disclosure`` after figures were
    added; it may only hide more. ``carried`` holds claimed witnesses from an
    earlier proof (``proofstore.carried``): each that checks out here proves
    its fact without a search, and one that many facts share is mended where
    it fails (``Auditor.mended``); that changes how soon the audit is done,
    not what it finds exposed.
    """
    auditor = Auditor(system, counts)
    asked = targets(counts, hidden, primary, r)
    seen = set(asked)
    proof = Proof(targets=len(asked))
    search = asked
    if carried:
        claims = {t: carried[t] for t in asked if t in carried}
        wrong = set(verify(system, counts, hidden, primary, claims))
        wrong -= _mended(auditor, claims, wrong, hidden, primary)
        good = {t: w for t, w in claims.items() if t not in wrong}
        auditor.witnesses.update(good)
        proof.carried = len(good)
        search = [t for t in asked if t not in good]
    exposed = auditor.exposed(search, hidden, primary)
    stuck: list[Target] = []
    for _ in range(_MAX_ROUNDS):
        if not exposed:
            break
        rows, no_help = auditor.repairs(exposed, hidden, primary)
        stuck += no_help
        stays = set(no_help)
        fixed = [t for t in exposed if t not in stays]
        before = int(hidden.sum())
        hidden[sorted(rows)] = True
        settle(hidden)
        proof.repaired += int(hidden.sum()) - before
        new = [t for t in targets(counts, hidden, primary, r) if t not in seen]
        seen.update(new)
        proof.targets += len(new)
        # The repair's witnesses hold once their rows are hidden; check them.
        claims = {t: auditor.witnesses[t] for t in fixed}
        exposed = verify(auditor.structure.system, counts, hidden, primary, claims)
        exposed += auditor.exposed(new, hidden, primary)
    # What a round left exposed after its repair was reached by no hiding either.
    proof.stuck = tuple(stuck + exposed)
    proved = seen - set(proof.stuck)
    proof.witnesses = {t: w for t, w in auditor.witnesses.items() if t in proved}
    return proof


def _mended(
    auditor: Auditor,
    claims: dict[Target, Witness],
    wrong: set[Target],
    hidden: np.ndarray,
    primary: np.ndarray,
) -> set[Target]:
    """The facts of ``wrong`` proved again by their witness mended
    (``Auditor.mended``); ``claims`` gets the mended witness for each.

    Only witnesses that many facts share are mended (a sweep's tables): one
    mend costs about what a near search does."""
    by_witness: dict[int, list[Target]] = {}
    for target in wrong:
        by_witness.setdefault(id(claims[target]), []).append(target)
    mended: dict[Target, Witness] = {}
    for facts in by_witness.values():
        if len(facts) < _MEND_FROM:
            continue
        witness = auditor.mended(claims[facts[0]], hidden, primary)
        if witness is not None:
            mended.update(dict.fromkeys(facts, witness))
    system, counts = auditor.structure.system, auditor.counts
    still = set(verify(system, counts, hidden, primary, mended))
    held = {t: w for t, w in mended.items() if t not in still}
    claims.update(held)
    return set(held)


def recheck(
    system: LinkedSystem,
    counts: Counts,
    hidden: np.ndarray,
    primary: np.ndarray,
    r: int,
    kept: Proof,
) -> bool:
    """Whether a proof kept from an earlier build holds for this pattern and table.

    Every target the pattern raises must have a witness that checks out, and
    what the kept proof says no hiding could reach is tried again; a proof
    that fails anywhere is not used (the build proves afresh).
    """
    wanted = targets(counts, hidden, primary, r)
    unknown = set(kept.stuck)
    if not unknown <= set(wanted) or not all(told_by_labels(t) for t in unknown):
        return False
    claims = {t: kept.witnesses.get(t) for t in wanted if t not in unknown}
    if any(w is None for w in claims.values()):
        return False
    if verify(system, counts, hidden, primary, claims):  # type: ignore[arg-type]
        return False
    if unknown:
        _, no_help = Auditor(system, counts).repairs(list(unknown), hidden, primary)
        if set(no_help) != unknown:
            return False
    kept.targets = len(wanted)
    return True
