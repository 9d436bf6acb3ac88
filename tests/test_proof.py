"""The proof every build runs: audit, hide where no witness exists, keep the proof."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import ROOT, run_cli
from datafolder import valid_tables, write_folder
from test_disclosure import subtraction_attack, table_from_cells

from generator.protect import disclosure, proofstore, sweep
from generator.protect.audit import Auditor, counts_of, measure, targets, verify
from generator.protect.disclosure import Earlier, Protection, protect
from generator.protect.relations import linked_system

# Two providers over three years, no breakdown: the rules of disclosure.py
# leave groups whose result an attacker with a solver can still work out.
REPAIR_CELLS = {("p0", 2023, ""): (11, 13), ("p0", 2024, ""): (3, 6), ("p0", 2025, ""): (0, 4),
                ("p1", 2023, ""): (2, 3), ("p1", 2024, ""): (1, 12), ("p1", 2025, ""): (7, 12)}


def repair_table() -> pd.DataFrame:
    return table_from_cells(REPAIR_CELLS, "satisfied_end", pooled=(2023, 2025))


def test_where_the_audit_finds_no_witness_the_build_hides_more_and_proves_it() -> None:
    table = repair_table()
    report = Protection()
    out = protect(table, k=5, r=20, report=report)
    assert report.repaired > 0
    assert report.proved > 0 and report.told_by_labels == 0
    # An independent run of the audit over the published pattern finds nothing.
    found = measure(table, out, 5, 20)
    assert found.exposed == [] and found.targets == report.proved
    assert subtraction_attack(out) == {}
    assert "after hiding" in report.summary()
    # The rules alone (DISCLOSURE_PROOF off) leave something to work out here.
    unproved = Protection()
    rules_only = protect(table, k=5, r=20, report=unproved, prove_it=False)
    assert measure(table, rules_only, 5, 20).leaks
    assert "not proved" in unproved.summary()


def test_a_witness_is_checked_against_every_sum_and_bound() -> None:
    table = repair_table()
    out = protect(table, k=5, r=20)
    counts, is_diff = counts_of(table, 5)
    hidden = out["suppressed"].to_numpy(bool) & ~is_diff
    primary = (out["reason"] == "fewer_than_k").to_numpy(bool, na_value=False)
    system = linked_system(table)
    auditor = Auditor(system, counts)
    wanted = targets(counts, hidden, primary, 20)
    assert auditor.exposed(wanted, hidden, primary) == []
    claims = {t: auditor.witnesses[t] for t in wanted}
    assert verify(system, counts, hidden, primary, claims) == []
    first = wanted[0]
    w = claims[first]
    broken = {
        "a sum no longer adds up": dataclasses.replace(w, den=w.den + 1),
        "the target row shows the truth": dataclasses.replace(
            w, den=np.where(w.rows == first.row, 0, w.den),
            num=np.where(w.rows == first.row, 0, w.num)),
        "nothing changes": dataclasses.replace(w, rows=w.rows[:0], den=w.den[:0], num=w.num[:0]),
    }
    for what, bad in broken.items():
        assert verify(system, counts, hidden, primary, {first: bad}) == [first], what
    # A witness may only change hidden rows.
    shown = int(np.flatnonzero(~hidden & ~is_diff)[0])
    moved = dataclasses.replace(w, rows=np.append(w.rows, shown), den=np.append(w.den, 0.0),
                                num=np.append(w.num, 1.0))
    assert verify(system, counts, hidden, primary, {first: moved}) == [first]


def test_a_kept_proof_is_used_only_after_every_witness_checks_out(tmp_path: Path) -> None:
    table = repair_table()
    fresh = protect(table, k=5, r=20)
    folder = tmp_path / "proofs"
    kept_report = Protection()
    assert protect(table, k=5, r=20, proofs=folder).equals(fresh)
    (path,) = folder.glob("*.npz")
    again = protect(table, k=5, r=20, report=kept_report, proofs=folder)
    assert again.equals(fresh) and kept_report.proved > 0

    def doctor(**changes: np.ndarray) -> None:
        with np.load(path, allow_pickle=False) as f:
            arrays = {name: f[name] for name in f.files}
        arrays.update(changes)
        np.savez_compressed(path, **arrays)

    with np.load(path, allow_pickle=False) as f:
        hidden, den = f["hidden"].copy(), f["den"].copy()
    shown = np.flatnonzero(~fresh["suppressed"].to_numpy(bool))
    protecting = np.flatnonzero(fresh["reason"].to_numpy(str) == "secondary")

    # A kept pattern that hides one more figure, with witnesses that still hold,
    # is a proof: it is used as it is.
    def also_hidden(row: int) -> pd.DataFrame:
        return fresh.assign(suppressed=fresh.index.isin([row]) | fresh["suppressed"])

    extra = next(int(row) for row in shown if subtraction_attack(also_hidden(row)) == {})
    doctor(hidden=np.where(np.arange(len(hidden)) == extra, True, hidden))
    used = protect(table, k=5, r=20, proofs=folder)
    assert used["suppressed"].sum() == fresh["suppressed"].sum() + 1
    assert bool(used.loc[extra, "suppressed"])

    # Doctored or damaged proofs are not: the build proves afresh.
    for damage in (
        lambda: doctor(hidden=np.where(np.arange(len(hidden)) == protecting[0], False, hidden)),
        lambda: doctor(hidden=hidden, den=den + 1),
        lambda: path.write_bytes(b"not a proof"),
        lambda: path.write_bytes(flipped(path.read_bytes())),
        lambda: path.write_bytes(path.read_bytes()[: path.stat().st_size // 2]),
    ):
        damage()
        assert protect(table, k=5, r=20, proofs=folder).equals(fresh)
    # The proof kept after a fresh one reads back whole.
    assert proofstore.load(folder, path.stem, len(table)) is not None


def test_the_rules_pattern_is_kept_for_the_same_table_and_checked_before_use(
    tmp_path: Path, monkeypatch
) -> None:
    """With the proof off, a night with last night's table takes the rules'
    pattern from the proofs folder; one that no longer protects is not taken."""
    table = repair_table()
    folder = tmp_path / "proofs"
    first = Protection()
    fresh = protect(table, k=5, r=20, report=first, prove_it=False, proofs=folder)
    assert (fresh["reason"] == "secondary").any()
    (path,) = folder.glob("*.rules.npz")

    def chosen_afresh(*_args, **_kwargs):
        raise AssertionError("the rules ran again on an unchanged table")

    with monkeypatch.context() as patch:
        patch.setattr(disclosure, "_choose", chosen_afresh)
        kept = Protection()
        assert protect(table, k=5, r=20, report=kept, prove_it=False, proofs=folder).equals(fresh)
        assert kept == first
        # The first night after that build: the live release published this
        # pattern for the same table, so the night takes it as it is...
        hidden = fresh["suppressed"].to_numpy(bool)
        none = np.zeros(len(table), dtype=bool)
        live = Earlier(known=~hidden, hidden=hidden, fixed=none, free=none)
        night = protect(table, k=5, r=20, prove_it=False, proofs=folder, earlier=live)
        assert night.equals(fresh)
        # ...but not where the live release hid something this pattern shows.
        shown = int(np.flatnonzero(~hidden)[0])
        other = Earlier(known=~hidden & (np.arange(len(table)) != shown),
                        hidden=hidden | (np.arange(len(table)) == shown), fixed=none, free=none)
        with pytest.raises(AssertionError, match="rules ran again"):
            protect(table, k=5, r=20, prove_it=False, proofs=folder, earlier=other)

    # A pattern that unhides what protects a small group, or a damaged file,
    # is chosen again by the rules, and the good one kept in its place.
    protecting = np.flatnonzero(fresh["reason"].to_numpy(str) == "secondary")
    hidden = fresh["suppressed"].to_numpy(bool)
    for damage in (
        lambda: proofstore.save_rules(
            folder, path.name.removesuffix(".rules.npz"),
            hidden & (np.arange(len(hidden)) != protecting[0]), hidden & False, 1,
        ),
        lambda: path.write_bytes(flipped(path.read_bytes())),
        lambda: path.write_bytes(b"not a pattern"),
    ):
        damage()
        assert protect(table, k=5, r=20, prove_it=False, proofs=folder).equals(fresh)
        kept = proofstore.load_rules(folder, path.name.removesuffix(".rules.npz"), len(table))
        assert kept is not None and np.array_equal(kept[0], hidden)
    # Another table is another entry.
    other = table.assign(numerator=table["numerator"].where(table.index != 0, 10))
    protect(other, k=5, r=20, prove_it=False, proofs=folder)
    assert len(list(folder.glob("*.rules.npz"))) == 2


def flipped(data: bytes) -> bytes:
    """data with a run of bytes in the middle of a compressed member inverted."""
    out = bytearray(data)
    for i in range(len(out) // 2, len(out) // 2 + 16):
        out[i] ^= 0xFF
    return bytes(out)


def test_a_build_that_cannot_protect_a_small_group_publishes_nothing_and_names_it(
    tmp_path: Path,
) -> None:
    # One person at each of two providers in the whole municipality. With
    # K = 3 every count is labelled "too few" (1 or 2), and 1 + 1 = 2 is the
    # only way for both providers and their sum to be under 3: each provider's
    # count is told exactly, however much else is hidden.
    tables = valid_tables()
    tables["results.csv"] = [tables["results.csv"][0], tables["results.csv"][3]]
    tables["results.csv"][1] = {**tables["results.csv"][1], "end_date": "2024-12-31"}
    data = write_folder(tmp_path / "data", tables)
    conf = tmp_path / "conf.py"
    conf.write_text(
        (ROOT / "pelicanconf.py").read_text(encoding="utf-8") + "\nDISCLOSURE_K = 3\n",
        encoding="utf-8",
    )
    shutil.copytree(ROOT / "content", tmp_path / "content")
    out = tmp_path / "site"
    proc = run_cli("build", "--data", str(data), "--output", str(out), "--settings", str(conf))
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "alfa-utbildning/2024/started/total" in proc.stderr
    assert "beta-coachning/2024/started/total" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert not out.exists()



def _city_cells(seed: int, providers: int = 8) -> dict:
    """Providers over three years by age band, some groups small."""
    rng = np.random.default_rng(seed)
    cells = {}
    for p in range(providers):
        for year in (2023, 2024, 2025):
            for band in ("16-24", "25-39", "40-64"):
                den = int(rng.choice([1, 2, 3, 6, 9, 14, 30]))
                cells[(f"p{p}", year, band)] = (int(rng.binomial(den, 0.7)), den)
    return cells


def test_a_corrected_year_carries_the_last_proof_and_publishes_what_a_fresh_proof_does(
    tmp_path: Path,
) -> None:
    cells = _city_cells(3)
    table = table_from_cells(cells, "satisfied_end", pooled=(2023, 2025), column="age_band")
    # A late correction to a closed year: one more person, and every sum moves with it.
    num, den = cells[("p5", 2024, "25-39")]
    cells[("p5", 2024, "25-39")] = (num + 1, den + 1)
    corrected = table_from_cells(cells, "satisfied_end", pooled=(2023, 2025), column="age_band")
    fresh_report = Protection()
    fresh = protect(corrected, k=5, r=20, report=fresh_report)
    assert fresh_report.carried == 0

    folder = tmp_path / "proofs"
    protect(table, k=5, r=20, proofs=folder)
    report = Protection()
    assert protect(corrected, k=5, r=20, report=report, proofs=folder).equals(fresh)
    assert 0 < report.carried <= report.proved == fresh_report.proved
    assert "carried from the last proof" in report.summary()
    assert measure(corrected, fresh, 5, 20).leaks == []

    # Witnesses that no longer add up prove nothing: searched for again, same result.
    (line,) = folder.glob("*.latest")
    kept = folder / f"{line.read_text()}.npz"
    for name in folder.glob("*.npz"):
        if name != kept:
            name.unlink()
    with np.load(kept, allow_pickle=False) as f:
        arrays = {name: f[name] for name in f.files}
    arrays["den"] = arrays["den"] + 1
    np.savez_compressed(kept, **arrays)
    doctored = Protection()
    assert protect(corrected, k=5, r=20, report=doctored, proofs=folder).equals(fresh)
    assert doctored.carried < report.carried


@pytest.mark.parametrize(("provider", "rows"), [("p5", 100), ("p2", 150)])
def test_a_shared_witness_a_correction_breaks_is_mended_where_it_fails(
    tmp_path: Path, monkeypatch, provider: str, rows: int
) -> None:
    """A correction of a closed year (every answer of one provider turned
    round) breaks the sweeps' tables that moved its rows; each is solved again
    only around those rows, and proves its facts without a search."""
    from generator.protect import audit, proof

    cells = _city_cells(7, providers=20)
    table = table_from_cells(cells, "satisfied_end", pooled=(2023, 2025), column="age_band")
    for key, (num, den) in list(cells.items()):
        if key[0] == provider and key[1] == 2024:
            cells[key] = (den - num, den)
    corrected = table_from_cells(cells, "satisfied_end", pooled=(2023, 2025), column="age_band")
    fresh = protect(corrected, k=5, r=20)

    def carried(folder: Path) -> int:
        protect(table, k=5, r=20, proofs=folder)
        report = Protection()
        assert protect(corrected, k=5, r=20, report=report, proofs=folder).equals(fresh)
        return report.carried

    # Around the failing rows only (of 228 hidden rows; p2's correction
    # publishes a row the witness moved): every other row keeps its change.
    monkeypatch.setattr(audit, "_MEND_ROWS", (rows,))
    mended = carried(tmp_path / "mended")
    monkeypatch.setattr(proof, "_MEND_FROM", 10**9)
    assert carried(tmp_path / "searched") < mended / 2
    assert measure(corrected, fresh, 5, 20).leaks == []


def test_searches_shared_out_among_processes_find_what_one_process_finds(monkeypatch) -> None:
    import generator.protect.audit as audit

    table = table_from_cells(_city_cells(5), "satisfied_end", pooled=(2023, 2025),
                             column="age_band")
    out = protect(table, k=5, r=20, prove_it=False)
    counts, is_diff = counts_of(table, 5)
    hidden = out["suppressed"].to_numpy(bool) & ~is_diff
    primary = (out["reason"] == "fewer_than_k").to_numpy(bool, na_value=False)
    system = linked_system(table)
    wanted = targets(counts, hidden, primary, 20)
    alone = Auditor(system, counts)
    expected = alone.unproven(wanted, hidden, primary)
    monkeypatch.setattr(audit, "_PARALLEL_FROM", 1)
    shared = Auditor(system, counts)
    assert shared.unproven(wanted, hidden, primary, workers=2) == expected
    proved = {t: w for t, w in shared.witnesses.items() if t in set(wanted) - set(expected)}
    assert len(proved) == len(wanted) - len(expected) > 0
    assert verify(system, counts, hidden, primary, proved) == []
    assert shared.unproven(expected, hidden, primary, exact=True, workers=2) == (
        alone.unproven(expected, hidden, primary, exact=True)
    )
    # Repairs shared out hide the same figures as repairs in one process.
    table = repair_table()
    out = protect(table, k=5, r=20, prove_it=False)
    counts, is_diff = counts_of(table, 5)
    hidden = out["suppressed"].to_numpy(bool) & ~is_diff
    primary = (out["reason"] == "fewer_than_k").to_numpy(bool, na_value=False)
    system = linked_system(table)
    alone = Auditor(system, counts)
    exposed = alone.exposed(targets(counts, hidden, primary, 20), hidden, primary)
    assert exposed
    monkeypatch.setattr(audit, "_PARALLEL_EXACT_FROM", 1)
    assert Auditor(system, counts).repairs(exposed, hidden, primary, workers=2) == (
        alone.repairs(exposed, hidden, primary, workers=1)
    )


def _audit_of(table: pd.DataFrame):
    """The rules' pattern of ``table`` as the audit sees it, and what it must prove."""
    out = protect(table, k=5, r=20, prove_it=False)
    counts, is_diff = counts_of(table, 5)
    hidden = out["suppressed"].to_numpy(bool) & ~is_diff
    primary = (out["reason"] == "fewer_than_k").to_numpy(bool, na_value=False)
    system = linked_system(table)
    return system, counts, hidden, primary, targets(counts, hidden, primary, 20)


def test_a_sweep_proves_many_facts_with_one_table_and_changes_nothing_found_exposed(
    monkeypatch,
) -> None:
    table = table_from_cells(_city_cells(7), "satisfied_end", pooled=(2023, 2025),
                             column="age_band")
    system, counts, hidden, primary, wanted = _audit_of(table)
    swept = Auditor(system, counts)
    left = set(swept.swept(wanted, hidden, primary))
    proved = {t: swept.witnesses[t] for t in wanted if t not in left}
    assert len(proved) > len(wanted) / 2
    # One table proves many facts, and each of them checks out.
    assert len({id(w) for w in proved.values()}) * 5 < len(proved)
    assert verify(system, counts, hidden, primary, proved) == []
    # A shared witness that no longer adds up fails every fact it claimed.
    shared = max({id(w): w for w in proved.values()}.values(),
                 key=lambda w: sum(v is w for v in proved.values()))
    doctored = dataclasses.replace(shared, num=shared.num + 1)
    claims = {t: (doctored if w is shared else w) for t, w in proved.items()}
    assert set(verify(system, counts, hidden, primary, claims)) == {
        t for t, w in proved.items() if w is shared
    }
    # Too few facts for their set's size (as when a proof runs again after a
    # repair; here, with one fact per row asked) are left to the near searches.
    lone = [next(t for t in proved if t.kind == "nobody")]
    with monkeypatch.context() as patch:
        patch.setattr(sweep, "ROWS_PER_FACT", 1)
        assert Auditor(system, counts).swept(lone, hidden, primary) == lone
        assert Auditor(system, counts).unproven(lone, hidden, primary) == []
    assert Auditor(system, counts).swept(lone, hidden, primary) == []
    # Sweeps change how soon the audit is done, not what it finds exposed.
    exposed = Auditor(system, counts).exposed(wanted, hidden, primary)
    monkeypatch.setattr(Auditor, "swept", lambda self, wanted, hidden, primary: wanted)
    assert Auditor(system, counts).exposed(wanted, hidden, primary) == exposed


def test_facts_that_share_a_witness_keep_it_once(tmp_path: Path) -> None:
    table = table_from_cells(_city_cells(7), "satisfied_end", pooled=(2023, 2025),
                             column="age_band")
    folder = tmp_path / "proofs"
    protect(table, k=5, r=20, proofs=folder)
    (path,) = folder.glob("*.npz")
    with np.load(path, allow_pickle=False) as f:
        facts, distinct = len(f["witness_of"]), len(f["ptr"]) - 1
    assert distinct * 5 < facts
    hidden, proof = proofstore.load(folder, path.stem, len(table))
    assert len({id(w) for w in proof.witnesses.values()}) == distinct


def test_in_a_large_connected_set_a_repair_looks_near_the_target_and_the_audit_agrees(
    monkeypatch,
) -> None:
    import generator.protect.audit as audit

    table = repair_table()
    limits: list[int | None] = []
    block = Auditor._block

    def spy(self, target, hidden, limit):
        if hidden.all():  # a repair's block: every row may take part
            limits.append(limit)
        return block(self, target, hidden, limit)

    # Every connected set counts as large: nothing is searched whole first.
    monkeypatch.setattr(audit, "_EXACT_ROWS", 0)
    monkeypatch.setattr(Auditor, "_block", spy)
    report = Protection()
    out = protect(table, k=5, r=20, report=report)
    monkeypatch.undo()
    assert report.repaired > 0 and limits and limits[0] == audit._REPAIR_ROWS[0]
    # The exact audit, every connected set searched whole, finds nothing exposed.
    assert measure(table, out, 5, 20).leaks == []
    assert subtraction_attack(out) == {}


_KILLED_PARENT = """
import os, sys, time
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context

import numpy as np

sys.path.insert(0, "tests")
from test_disclosure import table_from_cells

from generator.protect import audit
from generator.protect.relations import linked_system

if __name__ == "__main__":
    table = table_from_cells({("p1", 2025, ""): (3, 9), ("p2", 2025, ""): (4, 8)})
    counts, _ = audit.counts_of(table, 5)
    none = np.zeros(len(table), dtype=bool)
    start = (os.getpid(), linked_system(table), counts, none, none)
    with ProcessPoolExecutor(1, mp_context=get_context("spawn"),
                             initializer=audit._start_worker, initargs=start) as pool:
        worker = pool.submit(os.getpid).result()
        pool.submit(time.sleep, 300)
        print(worker, flush=True)
        time.sleep(300)
"""


def test_search_workers_end_with_the_build_that_started_them() -> None:
    """A nightly job killed by its time limit leaves no worker searching on."""
    import signal
    import subprocess
    import sys
    import time

    parent = subprocess.Popen([sys.executable, "-c", _KILLED_PARENT], cwd=ROOT,
                              stdout=subprocess.PIPE, text=True)
    try:
        worker = int(parent.stdout.readline())
    finally:
        parent.send_signal(signal.SIGKILL)
        parent.wait()
    status = Path(f"/proc/{worker}/status")
    deadline = time.monotonic() + 20
    while status.exists() and "zombie" not in status.read_text() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not status.exists() or "zombie" in status.read_text(), "the worker outlived its build"
