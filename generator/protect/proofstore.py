"""Proofs kept between builds: the pattern of hidden figures and its witnesses.

Proving a pattern takes the linear-programming audit half a minute on a
small municipality's data; checking a kept proof takes a fraction of a
second. A proof is kept under a key made of everything it depends on (the
table's keys and true counts, K, R, the code of disclosure control and the
solver's version), as a NumPy archive (never a pickle: the folder is shared
by every build of the user), and ``proof.recheck`` checks every witness of a
kept proof before it is used, so a damaged or doctored file only costs the
time to prove afresh.

When the table changes (a closed year corrected, a provider added), the
proof kept for the last table of the same providers is *carried*: its
witnesses are found again by the keys of their rows, and every one that
still checks out for the new table and pattern (``audit.verify``) proves its
fact without a search. What the audit finds exposed does not depend on
which witnesses it started from, so a carried proof publishes the same
pattern as a fresh one, sooner.

The folder is ``$XDG_CACHE_HOME/kundval-jamfor/proofs`` (``~/.cache/...``):
one folder for every site the user builds, so a test run or a second output
folder reuses what the first build proved.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import io
import os
from pathlib import Path

import numpy as np
import pandas as pd

from generator.files import write_atomically
from generator.protect.audit import KINDS, LARGER, SMALLER, Target, Witness
from generator.protect.proof import Proof

_VERSION = 3  # 3: facts that share a witness (a sweep's table) keep it once
_SOURCES = ("audit.py", "disclosure.py", "proof.py", "proofstore.py", "rectangles.py",
            "relations.py", "sweep.py")


def default_folder() -> Path | None:
    """The user's folder of kept proofs; None where the user has no home to keep them in."""
    base = os.environ.get("XDG_CACHE_HOME")
    if not base:
        try:
            base = str(Path.home() / ".cache")
        except RuntimeError:
            return None
    return Path(base) / "kundval-jamfor" / "proofs"


@functools.cache
def _code_digest() -> bytes:
    """The code of disclosure control and the solver's version, read once per
    process: every key and lineage of a build is made with the same code."""
    h = hashlib.sha256()
    here = Path(__file__).parent
    for name in _SOURCES:
        h.update((here / name).read_bytes())
    for lib in ("numpy", "scipy"):
        h.update(importlib.metadata.version(lib).encode())
    return h.digest()


def _code(k: int, r: int) -> hashlib._Hash:
    h = hashlib.sha256(f"{_VERSION} {k} {r}".encode())
    h.update(_code_digest())
    return h


def key(table: pd.DataFrame, k: int, r: int, *masks: np.ndarray) -> str:
    """Everything a proof depends on, hashed."""
    h = _code(k, r)
    columns = ["provider_id", "year", "indicator", "breakdown", "numerator", "denominator",
               "count"]
    present = [c for c in columns if c in table.columns]
    h.update(pd.util.hash_pandas_object(table[present], index=True).to_numpy().tobytes())
    for mask in masks:  # rows withdrawn, known from the release before, ...
        h.update(np.flatnonzero(mask).astype(np.int64).tobytes() + b"|")
    return h.hexdigest()


def lineage(table: pd.DataFrame, k: int, r: int) -> str:
    """The name under which the last proof for these providers is found again."""
    h = _code(k, r)
    for provider in sorted(set(table["provider_id"].astype(str))):
        h.update(provider.encode() + b"|")
    return h.hexdigest()


def row_keys(table: pd.DataFrame) -> np.ndarray:
    """A number per row, from its provider, period, indicator and breakdown."""
    columns = ["provider_id", "year", "indicator", "breakdown"]
    return pd.util.hash_pandas_object(table[columns].astype(str), index=False).to_numpy()


def load(folder: Path | None, name: str, n_rows: int) -> tuple[np.ndarray, Proof] | None:
    """The kept pattern and proof, or None when there is none that reads back whole."""
    read = _read(folder, name)
    if read is None or len(read[0]) != n_rows:
        return None
    return read[0], read[1]


def carried(folder: Path | None, line: str, keys: np.ndarray) -> dict[Target, Witness]:
    """The witnesses of the last proof kept under ``line``, in this table's rows.

    A witness with a row this table does not have is dropped; the others are
    claims only, to be checked (``audit.verify``) before they prove anything.
    """
    if folder is None:
        return {}
    try:
        name = (folder / f"{line}.latest").read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        return {}
    read = _read(folder, name) if name.isalnum() else None
    now = pd.Index(keys)
    if read is None or read[2] is None or not now.is_unique:
        return {}
    _, proof, then = read
    try:
        to_now = now.get_indexer(then)
    except (TypeError, ValueError):
        return {}
    out: dict[Target, Witness] = {}
    # A witness many facts share is mapped once, and stays shared.
    now_of: dict[int, Witness | None] = {}
    for target, witness in proof.witnesses.items():
        if id(witness) not in now_of:
            rows = (
                to_now[witness.rows]
                if int(witness.rows.max(initial=0)) < len(to_now)
                else np.full(1, -1)
            )
            now_of[id(witness)] = (
                None if (rows < 0).any() else Witness(rows, witness.den, witness.num)
            )
        mapped = now_of[id(witness)]
        if target.row >= len(to_now) or mapped is None:
            continue
        row = int(to_now[target.row])
        if row < 0:
            continue
        out[Target(row, target.kind)] = mapped
        # Which way "another size" is asked depends on the size, which may have changed.
        if target.kind in (LARGER, SMALLER):
            out[Target(row, SMALLER if target.kind == LARGER else LARGER)] = mapped
    return out


def _read(
    folder: Path | None, name: str
) -> tuple[np.ndarray, Proof, np.ndarray | None] | None:
    if folder is None:
        return None
    path = folder / f"{name}.npz"
    try:
        with np.load(path, allow_pickle=False) as f:
            hidden = f["hidden"].astype(bool)
            target_rows, target_kinds = f["target_rows"], f["target_kinds"]
            ptr, rows, den, num = f["ptr"], f["rows"], f["den"], f["num"]
            witness_of = f["witness_of"]
            stuck_rows, stuck_kinds = f["stuck_rows"], f["stuck_kinds"]
            repaired = int(f["repaired"])
            keys = f["keys"] if "keys" in f.files else None
    except Exception:  # noqa: BLE001 - zip, zlib and NumPy each raise their own for damage
        return None
    if len(witness_of) != len(target_rows) or (keys is not None and len(keys) != len(hidden)):
        return None
    if len(witness_of) and (witness_of.min() < 0 or witness_of.max() >= len(ptr) - 1):
        return None
    if len(rows) and (rows.min() < 0 or rows.max() >= len(hidden)):
        return None
    try:
        distinct = [
            Witness(rows[ptr[i] : ptr[i + 1]], den[ptr[i] : ptr[i + 1]], num[ptr[i] : ptr[i + 1]])
            for i in range(len(ptr) - 1)
        ]
        witnesses = {
            Target(int(row), KINDS[int(kind)]): distinct[int(which)]
            for row, kind, which in zip(target_rows, target_kinds, witness_of, strict=True)
        }
        stuck = tuple(
            Target(int(row), KINDS[int(kind)])
            for row, kind in zip(stuck_rows, stuck_kinds, strict=True)
        )
    except (IndexError, ValueError):
        return None
    return hidden, Proof(repaired=repaired, stuck=stuck, witnesses=witnesses), keys


def save(
    folder: Path | None,
    name: str,
    hidden: np.ndarray,
    proof: Proof,
    keys: np.ndarray | None = None,
    line: str | None = None,
) -> None:
    """Keep a proof under ``name``; with ``keys`` and ``line``, also as the one to
    carry to the next table of the same providers (``carried``)."""
    if folder is None:
        return
    items = list(proof.witnesses.items())
    index: dict[int, int] = {}
    distinct: list[Witness] = []
    for _, witness in items:
        if id(witness) not in index:
            index[id(witness)] = len(distinct)
            distinct.append(witness)
    sizes = [len(w.rows) for w in distinct]
    empty = np.zeros(0)
    buffer = io.BytesIO()
    np.savez_compressed(
        buffer,
        hidden=hidden.astype(bool),
        target_rows=np.array([t.row for t, _ in items], dtype=np.int64),
        target_kinds=np.array([KINDS.index(t.kind) for t, _ in items], dtype=np.int8),
        witness_of=np.array([index[id(w)] for _, w in items], dtype=np.int64),
        ptr=np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64),
        rows=np.concatenate([w.rows for w in distinct] or [empty]).astype(np.int64),
        den=np.concatenate([w.den for w in distinct] or [empty]),
        num=np.concatenate([w.num for w in distinct] or [empty]),
        stuck_rows=np.array([t.row for t in proof.stuck], dtype=np.int64),
        stuck_kinds=np.array([KINDS.index(t.kind) for t in proof.stuck], dtype=np.int8),
        repaired=np.array(proof.repaired),
        **({"keys": keys} if keys is not None else {}),
    )
    try:
        folder.mkdir(parents=True, exist_ok=True)
        write_atomically(folder / f"{name}.npz", buffer.getvalue())
        if keys is not None and line:
            write_atomically(folder / f"{line}.latest", name.encode("ascii"))
    except OSError:
        pass  # a proof that cannot be kept is proved again next time


def save_withdrawn(folder: Path | None, name: str, withdrawn: np.ndarray) -> None:
    """Which rows a table's proof needed withdrawn, so that the next build with the
    same table starts from them instead of failing its way there again."""
    if folder is None:
        return
    buffer = io.BytesIO()
    np.save(buffer, np.flatnonzero(withdrawn).astype(np.int64), allow_pickle=False)
    _keep(folder, f"{name}.withdrawn.npy", buffer.getvalue())


def load_withdrawn(folder: Path | None, name: str, n_rows: int) -> np.ndarray:
    """The rows kept by ``save_withdrawn`` (none where there is nothing readable).

    A wrong list cannot leak: the proof runs with it like with any other, and
    withdrawing only ever publishes less.
    """
    none = np.zeros(n_rows, dtype=bool)
    if folder is None:
        return none
    try:
        rows = np.load(folder / f"{name}.withdrawn.npy", allow_pickle=False)
    except Exception:  # noqa: BLE001 - a damaged file only costs a fresh proof
        return none
    mask = _mask(rows, n_rows)
    return none if mask is None else mask


def _mask(rows: np.ndarray, n_rows: int) -> np.ndarray | None:
    """The rows kept as a list of row numbers, as a mask; None for anything
    but whole numbers of this table's rows."""
    if rows.ndim != 1 or rows.dtype.kind != "i":
        return None
    if len(rows) and (rows.min() < 0 or rows.max() >= n_rows):
        return None
    out = np.zeros(n_rows, dtype=bool)
    out[rows] = True
    return out


def _keep(folder: Path, filename: str, data: bytes) -> None:
    """Write a kept file; one that cannot be written is worked out again next time."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        write_atomically(folder / filename, data)
    except OSError:
        pass


def save_rules(
    folder: Path | None, name: str, hidden: np.ndarray, withdrawn: np.ndarray, rounds: int
) -> None:
    """Keep the pattern the rules alone chose (``DISCLOSURE_PROOF`` off) for a table."""
    if folder is None:
        return
    buffer = io.BytesIO()
    np.savez_compressed(
        buffer,
        hidden=np.flatnonzero(hidden).astype(np.int64),
        withdrawn=np.flatnonzero(withdrawn).astype(np.int64),
        rounds=np.array(rounds, dtype=np.int64),
    )
    _keep(folder, f"{name}.rules.npz", buffer.getvalue())


def load_rules(
    folder: Path | None, name: str, n_rows: int
) -> tuple[np.ndarray, np.ndarray, int] | None:
    """What ``save_rules`` kept: the hidden rows, the withdrawn rows and the rules'
    rounds; None where there is nothing that reads back whole."""
    if folder is None:
        return None
    try:
        with np.load(folder / f"{name}.rules.npz", allow_pickle=False) as f:
            hidden, withdrawn, rounds = f["hidden"], f["withdrawn"], int(f["rounds"])
    except Exception:  # noqa: BLE001 - zip, zlib and NumPy each raise their own for damage
        return None
    hidden_mask, withdrawn_mask = _mask(hidden, n_rows), _mask(withdrawn, n_rows)
    if hidden_mask is None or withdrawn_mask is None:
        return None
    return hidden_mask, withdrawn_mask, rounds
