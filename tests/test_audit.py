"""The linear-programming audit: it finds what the published sums and reasons give away."""

from __future__ import annotations

import numpy as np
from test_disclosure import table_from_cells

from generator.protect.audit import LARGER, NOBODY, measure
from generator.protect.disclosure import protect


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
