"""The linear-programming audit: it finds what the published sums and reasons give away."""

from __future__ import annotations

import dataclasses

import numpy as np
from test_disclosure import table_from_cells

from generator.protect.audit import LARGER, NOBODY, Auditor, Target, counts_of, measure, verify
from generator.protect.disclosure import protect
from generator.protect.relations import DEN, NUM, LinkedSystem, Links, linked_system


def test_two_small_groups_hidden_together_still_tell_their_results() -> None:
    # p1 and p2 both had every customer into work (2 of 2). Hidden as a pair with
    # the "all" row published, the pair's sum is 4 of 4: everybody in both.
    cells = {("p1", 2025, ""): (2, 2), ("p2", 2025, ""): (2, 2), ("p3", 2025, ""): (10, 20)}
    table = table_from_cells(cells)
    out = protect(table, k=5)
    weak = out.copy()
    weak["suppressed"] = np.isin(weak["provider_id"], ["p1", "p2"])
    weak["reason"] = np.where(weak["suppressed"], "fewer_than_k", "")
    found = measure(table, weak, k=5, r=20)
    assert {t.kind for t in found.exposed} == {NOBODY}
    assert sorted(found.names.values()) == [
        "p1/2025/work_or_studies/total", "p2/2025/work_or_studies/total"
    ]
    # What protect() publishes hides the third provider too: nothing is given away.
    assert set(out.loc[out["suppressed"], "provider_id"]) == {"p1", "p2", "p3"}
    assert measure(table, out, k=5, r=20).exposed == []


def test_a_reason_is_part_of_what_the_attacker_knows() -> None:
    # p1 (1 of 1) and p2 (5 of 5) hidden, their sum 6 of 6 follows from the "all"
    # row. "Fewer than K" puts p1 at 1-4 records and "secondary" puts p2 at 5 or
    # more, so p1 holds exactly one person, who got work.
    cells = {("p1", 2025, ""): (1, 1), ("p2", 2025, ""): (5, 5), ("p3", 2025, ""): (10, 20)}
    table = table_from_cells(cells)
    weak = protect(table, k=5)
    weak["suppressed"] = np.isin(weak["provider_id"], ["p1", "p2"])
    weak["reason"] = np.where(weak["provider_id"] == "p1", "fewer_than_k",
                              np.where(weak["suppressed"], "secondary", ""))
    found = measure(table, weak, k=5, r=20)
    p1 = {t.kind for t in found.exposed if found.names[t.row].startswith("p1/")}
    assert p1 == {NOBODY, LARGER}  # nobody else possible; no other size


def _with_link(system: LinkedSystem, terms: list[tuple[int, int, float]], eq: bool) -> LinkedSystem:
    """``system`` with one more link between indicators: sum(coef * count) <= 0, or == 0."""
    n = len(terms)
    extra = Links(
        np.zeros(n, dtype=np.int64),
        np.array([row for row, _, _ in terms], dtype=np.int64),
        np.array([count for _, count, _ in terms], dtype=np.int8),
        np.array([coef for _, _, coef in terms]),
        np.array([eq]),
    )
    return dataclasses.replace(system, links=extra)


def test_a_link_between_rows_is_part_of_what_the_attacker_knows() -> None:
    # p1 (2 of 3) and p2 (2 of 10) hidden, their sum 4 of 13 follows from the
    # "all" row. Alone, p1 could hold nobody with the result (p2 then 4 of 10).
    # A link saying both numerators are equal (as "answered" counts equal the
    # answers another row rests on) rules that out: nobody at p1 means nobody
    # at p2, and the sum says 4.
    cells = {("p1", 2025, ""): (2, 3), ("p2", 2025, ""): (2, 10), ("p3", 2025, ""): (10, 20)}
    table = table_from_cells(cells)
    system = linked_system(table)
    counts, _ = counts_of(table, 5)
    provider = table["provider_id"].to_numpy()
    hidden = np.isin(provider, ["p1", "p2"])
    primary = provider == "p1"
    p1, p2 = (int(np.flatnonzero(provider == p)[0]) for p in ("p1", "p2"))
    nobody = Target(p1, NOBODY)

    alone = Auditor(system, counts)
    assert alone.exposed([nobody], hidden, primary) == []
    witness = alone.witnesses[nobody]

    linked = _with_link(system, [(p1, NUM, 1.0), (p2, NUM, -1.0)], eq=True)
    assert Auditor(linked, counts).exposed([nobody], hidden, primary) == [nobody]
    # The witness found without the link is refused by the check that carried
    # and kept proofs go through, with no solver.
    assert verify(linked, counts, hidden, primary, {nobody: witness}) == [nobody]
    assert verify(system, counts, hidden, primary, {nobody: witness}) == []
    # An inequality the true table meets with room to spare pins nothing.
    loose = _with_link(system, [(p1, NUM, 1.0), (p2, DEN, -1.0)], eq=False)
    assert Auditor(loose, counts).exposed([nobody], hidden, primary) == []
