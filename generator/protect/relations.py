"""The linear relations an indicator table holds: what anyone can add up.

Every count the open data publishes is tied to others by sums, and a hidden
count is only as hidden as these sums leave it. This module finds them, once,
for both halves of disclosure control: choosing what to hide
(``disclosure``) and proving that it stays hidden (``audit``).

Additive relations, per indicator and breakdown (a total is the sum of its
parts, numerators and denominators alike):

(a) across providers: the ``all`` row of a period is the sum of every
    provider's row of that period;
(b) across years: a provider's pooled-period row (``2023-2025``) is the sum
    of its rows for the years inside the period;
(c) across breakdown values: a ``total`` row is the sum of the rows
    ``COLUMN=v`` over every value v of that column, ``unknown`` included.

Links between indicators (same provider, period and breakdown), each a
linear equation or inequality between counts of different rows (``Links``):

- "still self-sufficient after six months" is counted among the successes of
  "into work or studies", so its denominator is at most that numerator;
- teachers certified and teachers with a degree share one denominator, the
  teacher head count;
- "into work" and "into studies" share the denominator of "into work or
  studies", and their numerators add up to at most its numerator (own
  business is a success of the combined figure only);
- dropouts and switches share one denominator, the records that ended, and
  together are at most that many; "into work or studies", "passed" and both
  satisfaction figures count records that ended, so each denominator is at
  most that count.

Some rows must be hidden whenever another is (``follows``): a split of a
hidden "into work or studies" into work and into studies would tell its
size, and of work and studies one hidden alone could be worked out from
the other and the combined figure; dropouts and switches share their
denominator, so one hidden alone would show its size.

Rows of ``work_or_studies_vs_expected`` repeat the counts of their
``work_or_studies`` row and take part in no relation of their own.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse

from generator.compute.indicators import (
    ALL,
    DROPPED_OUT,
    INTO_STUDIES,
    INTO_WORK,
    PASSED,
    SATISFIED_4W,
    SATISFIED_END,
    SELF_SUFFICIENT_6M,
    SWITCHED_PROVIDER,
    TEACHERS_CERTIFIED,
    TEACHERS_WITH_DEGREE,
    TOTAL,
    WORK_OR_STUDIES,
    WORK_OR_STUDIES_VS_EXPECTED,
)

DEN, NUM = 0, 1  # which count of a row a link's term is about

_YEAR = re.compile(r"^(\d{4})$")
_PERIOD = re.compile(r"^(\d{4})-(\d{4})$")


@dataclass(frozen=True)
class Relations:
    """One family of relations whose parts never overlap.

    Relation i has its total in row ``total[i]``; ``part_rel[j]`` is the
    relation of the part in row ``part_row[j]``.
    """

    total: np.ndarray
    part_rel: np.ndarray
    part_row: np.ndarray

    def reindexed(self, rows: np.ndarray) -> Relations:
        """The same relations, found in a subset of rows, in the full table's numbers."""
        return Relations(rows[self.total], self.part_rel, rows[self.part_row])


@dataclass(frozen=True)
class Links:
    """Linear links between the counts of different rows, as terms.

    Link i says: the sum of ``coef * count`` over its terms is at most 0, or
    exactly 0 where ``eq[i]``. A term is a row, which of its counts (``DEN``
    or ``NUM``) and a coefficient; ``link[j]`` is the link of term j.
    """

    link: np.ndarray  # int64 per term, ascending
    row: np.ndarray  # int64 per term
    field: np.ndarray  # int8 per term: DEN or NUM
    coef: np.ndarray  # float64 per term
    eq: np.ndarray  # bool per link

    def __len__(self) -> int:
        return len(self.eq)

    @classmethod
    def none(cls) -> Links:
        empty = np.zeros(0, dtype=np.int64)
        return cls(empty, empty, empty.astype(np.int8), empty.astype(np.float64),
                   empty.astype(bool))

    def matrices(self, n_rows: int) -> tuple[sparse.csr_matrix, sparse.csr_matrix]:
        """Link x row coefficients of the denominators and of the numerators."""
        out = []
        for field in (DEN, NUM):
            on = self.field == field
            out.append(sparse.csr_matrix(
                (self.coef[on], (self.link[on], self.row[on])), shape=(len(self), n_rows)
            ))
        return out[0], out[1]


@dataclass(frozen=True)
class LinkedSystem:
    """Every relation of a table, flattened: what an attacker's equations are.

    ``rel_total[r]`` is the total row of relation r and its parts are
    ``part_row[part_rel == r]``. ``links`` are the equations and inequalities
    between indicators; ``follows`` pairs (a, b) say that b is hidden
    whenever a is.
    """

    families: tuple[Relations, ...]
    rel_total: np.ndarray
    part_rel: np.ndarray
    part_row: np.ndarray
    links: Links
    follows: np.ndarray  # shape (m, 2)

    @property
    def n_relations(self) -> int:
        return len(self.rel_total)

    def membership(self, n_rows: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """CSR of row -> (relation, sign): +1 as a part, -1 as the total."""
        rows = np.concatenate([self.part_row, self.rel_total])
        rels = np.concatenate([self.part_rel, np.arange(self.n_relations)])
        signs = np.concatenate(
            [np.ones(len(self.part_row), np.int8), -np.ones(self.n_relations, np.int8)]
        )
        order = np.argsort(rows, kind="stable")
        indptr = np.zeros(n_rows + 1, dtype=np.int64)
        np.add.at(indptr, rows + 1, 1)
        return np.cumsum(indptr), rels[order], signs[order]


def linked_system(table: pd.DataFrame) -> LinkedSystem:
    """All relations and links of an indicator table (rows numbered 0..n-1)."""
    table = table.reset_index(drop=True)
    is_diff = (table["indicator"] == WORK_OR_STUDIES_VS_EXPECTED).to_numpy(
        dtype=bool, na_value=False
    )
    additive = np.flatnonzero(~is_diff)
    families = tuple(f.reindexed(additive) for f in relation_families(table.iloc[additive]))
    totals, part_rels, part_rows, offset = [], [], [], 0
    for f in families:
        totals.append(f.total)
        part_rels.append(f.part_rel + offset)
        part_rows.append(f.part_row)
        offset += len(f.total)
    empty = np.zeros(0, dtype=np.int64)
    return LinkedSystem(
        families=families,
        rel_total=np.concatenate(totals) if totals else empty,
        part_rel=np.concatenate(part_rels) if part_rels else empty,
        part_row=np.concatenate(part_rows) if part_rows else empty,
        links=_links(match := _same_key(table)),
        follows=_follows(match),
    )


# The links, as terms (indicator, count, coefficient) that hold for every
# provider, period and breakdown where each term's row exists: ``sum <= 0``,
# or ``sum == 0`` where marked so.
_Term = tuple[str, int, float]
_LINKS: tuple[tuple[bool, tuple[_Term, ...]], ...] = (
    (False, ((SELF_SUFFICIENT_6M, DEN, 1.0), (WORK_OR_STUDIES, NUM, -1.0))),
    (True, ((TEACHERS_CERTIFIED, DEN, 1.0), (TEACHERS_WITH_DEGREE, DEN, -1.0))),
    (True, ((INTO_WORK, DEN, 1.0), (WORK_OR_STUDIES, DEN, -1.0))),
    (True, ((INTO_STUDIES, DEN, 1.0), (WORK_OR_STUDIES, DEN, -1.0))),
    (False, ((INTO_WORK, NUM, 1.0), (INTO_STUDIES, NUM, 1.0), (WORK_OR_STUDIES, NUM, -1.0))),
    (True, ((SWITCHED_PROVIDER, DEN, 1.0), (DROPPED_OUT, DEN, -1.0))),
    (False, ((DROPPED_OUT, NUM, 1.0), (SWITCHED_PROVIDER, NUM, 1.0), (DROPPED_OUT, DEN, -1.0))),
    *(
        (False, ((name, DEN, 1.0), (DROPPED_OUT, DEN, -1.0)))
        for name in (WORK_OR_STUDIES, PASSED, SATISFIED_END, SATISFIED_4W)
    ),
)
# (a, b): b is hidden wherever a is, for the same provider, period and breakdown.
_FOLLOWS = (
    (WORK_OR_STUDIES, INTO_WORK),
    (WORK_OR_STUDIES, INTO_STUDIES),
    (INTO_WORK, INTO_STUDIES),
    (INTO_STUDIES, INTO_WORK),
    (DROPPED_OUT, SWITCHED_PROVIDER),
    (SWITCHED_PROVIDER, DROPPED_OUT),
)


def _same_key(table: pd.DataFrame) -> Callable[[str, str], tuple[np.ndarray, np.ndarray]]:
    """For two indicators, the rows of the first and the row of the second with
    the same provider, period and breakdown (-1 where there is none)."""
    keys = table[["provider_id", "year", "breakdown"]].astype("string").fillna("")
    key = (keys["provider_id"] + "\x1f" + keys["year"] + "\x1f" + keys["breakdown"]).to_numpy()
    indicator = table["indicator"].astype("string").fillna("").to_numpy()

    def match(first: str, second: str) -> tuple[np.ndarray, np.ndarray]:
        a = np.flatnonzero(indicator == first)
        b = np.flatnonzero(indicator == second)
        at = pd.Series(b, index=key[b]).reindex(key[a]).to_numpy()
        return a, np.where(np.isnan(at), -1, at).astype(np.int64)

    return match


def _follows(match: Callable[[str, str], tuple[np.ndarray, np.ndarray]]) -> np.ndarray:
    pairs = []
    for first, second in _FOLLOWS:
        a, b = match(first, second)
        pairs.append(np.stack([a[b >= 0], b[b >= 0]], axis=1))
    return np.concatenate(pairs).reshape(-1, 2).astype(np.int64)


def _links(match: Callable[[str, str], tuple[np.ndarray, np.ndarray]]) -> Links:
    """Every link of ``_LINKS`` where each of its rows exists."""
    link, rows, fields, coefs, eqs = [], [], [], [], []
    n = 0
    for eq, terms in _LINKS:
        # Rows of the first term, in table order, then each other term's row
        # with the same key (-1 where there is none).
        first = terms[0][0]
        found = [match(first, first)[0], *(match(first, name)[1] for name, _, _ in terms[1:])]
        whole = np.logical_and.reduce([f >= 0 for f in found])
        m = int(whole.sum())
        for at, (_, count, coef) in zip(found, terms, strict=True):
            link.append(np.arange(n, n + m))
            rows.append(at[whole])
            fields.append(np.full(m, count, dtype=np.int8))
            coefs.append(np.full(m, coef))
        eqs.append(np.full(m, eq))
        n += m
    if not n:
        return Links.none()
    ids = np.concatenate(link)
    order = np.argsort(ids, kind="stable")  # each link's terms together
    return Links(
        ids[order], np.concatenate(rows)[order], np.concatenate(fields)[order],
        np.concatenate(coefs)[order], np.concatenate(eqs),
    )


def relation_families(table: pd.DataFrame) -> list[Relations]:
    """All families (a), (b) per pooled period, (c) per breakdown column."""
    ind = pd.factorize(table["indicator"])[0].astype(np.int64)
    prov = pd.factorize(table["provider_id"])[0].astype(np.int64)
    year_codes, year_labels = pd.factorize(table["year"])
    bd_codes, bd_labels = pd.factorize(table["breakdown"])
    year = year_codes.astype(np.int64)
    bd = bd_codes.astype(np.int64)

    families = [_across_providers(table, ind, bd, year)]
    families += _across_years(ind, bd, prov, year, [str(y) for y in year_labels])
    families += _across_breakdowns(ind, prov, year, bd, [str(b) for b in bd_labels])
    return families


def _combine(*codes: np.ndarray) -> np.ndarray:
    """One int64 key from several non-negative code arrays."""
    key = np.zeros(len(codes[0]), dtype=np.int64)
    for c in codes:
        key = key * (int(c.max(initial=0)) + 1) + c
    return key


def _build(key: np.ndarray, rows: np.ndarray, is_total: np.ndarray) -> Relations:
    """Group candidate rows by key; keep relations that have a total row and parts."""
    if len(rows) == 0:
        empty = np.zeros(0, dtype=np.int64)
        return Relations(empty, empty, empty)
    _, rel = np.unique(key, return_inverse=True)
    total = np.full(rel.max() + 1, -1, dtype=np.int64)
    total[rel[is_total]] = rows[is_total]
    # A total whose breakdown is not published at all is in no relation.
    has_parts = np.bincount(rel[~is_total], minlength=len(total)) > 0
    has_total = (total >= 0) & has_parts
    new_id = np.cumsum(has_total) - 1
    parts = ~is_total & has_total[rel]
    return Relations(total[has_total], new_id[rel[parts]], rows[parts])


def _across_providers(
    table: pd.DataFrame, ind: np.ndarray, bd: np.ndarray, year: np.ndarray
) -> Relations:
    rows = np.arange(len(table))
    is_all = (table["provider_id"] == ALL).to_numpy(dtype=bool, na_value=False)
    return _build(_combine(ind, bd, year), rows, is_all)


def _across_years(
    ind: np.ndarray, bd: np.ndarray, prov: np.ndarray, year: np.ndarray, labels: list[str]
) -> list[Relations]:
    single = np.array([int(m[1]) if (m := _YEAR.match(s)) else -1 for s in labels])
    year_of_row = single[year] if len(labels) else year
    families = []
    for code, label in enumerate(labels):
        period = _PERIOD.match(label)
        if not period:
            continue
        first, last = int(period[1]), int(period[2])
        is_total = year == code
        is_part = (year_of_row >= first) & (year_of_row <= last)
        rows = np.flatnonzero(is_total | is_part)
        families.append(_build(_combine(ind[rows], bd[rows], prov[rows]), rows, is_total[rows]))
    return families


def _across_breakdowns(
    ind: np.ndarray, prov: np.ndarray, year: np.ndarray, bd: np.ndarray, labels: list[str]
) -> list[Relations]:
    column_of = np.array([s.split("=", 1)[0] if "=" in s else "" for s in labels], dtype=object)
    is_total = np.array([s == TOTAL for s in labels] + [False], dtype=bool)[bd]
    families = []
    for column in sorted(set(column_of) - {""}):
        is_part = (column_of == column)[bd]
        rows = np.flatnonzero(is_total | is_part)
        families.append(_build(_combine(ind[rows], prov[rows], year[rows]), rows, is_total[rows]))
    return families
