"""Disclosure control: primary and secondary suppression, reliability, rounding."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd
import pytest
from conftest import examples
from hypothesis import given, settings
from hypothesis import strategies as st
from make_dataset import make_dataset

from generator.compute.indicators import ALL, INDICATOR_COLUMNS, compute_indicators
from generator.compute.stats import wilson
from generator.protect.audit import LARGER, measure
from generator.protect.disclosure import (
    FEWER_THAN_K,
    OUTPUT_COLUMNS,
    SECONDARY,
    SITE_COLUMNS,
    WITHDRAWN,
    DisclosureError,
    Protection,
    protect,
)
from generator.protect.relations import linked_system

KEY = ["provider_id", "year", "indicator", "breakdown"]

# A cell of the micro table: (provider, year, breakdown value) -> (successes, records).
Cells = Mapping[tuple[str, int, str], tuple[int, int]]


def table_from_cells(
    cells: Cells,
    indicator: str = "work_or_studies",
    pooled: tuple[int, int] | None = None,
    column: str | None = None,
) -> pd.DataFrame:
    """An indicator table built independently of compute_indicators.

    Aggregates micro cells into per-year rows, "all" rows, the pooled period
    and (with ``column``) breakdown rows, leaving out empty cells as
    compute_indicators does.
    """
    sums: dict[tuple[str, str, str], list[int]] = defaultdict(lambda: [0, 0])
    for (provider, year, value), (num, den) in cells.items():
        periods = [str(year)]
        if pooled and pooled[0] <= year <= pooled[1]:
            periods.append(f"{pooled[0]}-{pooled[1]}")
        breakdowns = ["total"] + ([f"{column}={value}"] if column else [])
        for who in (provider, ALL):
            for period in periods:
                for breakdown in breakdowns:
                    acc = sums[(who, period, breakdown)]
                    acc[0] += num
                    acc[1] += den
    rows = []
    for (who, period, breakdown), (num, den) in sorted(sums.items()):
        if den == 0:
            continue
        rows.append(_row(who, period, indicator, breakdown, num, den))
    return pd.DataFrame(rows, columns=list(INDICATOR_COLUMNS)).astype(
        {"numerator": "Int64", "denominator": "Int64", "count": "Int64",
         "share": "Float64", "ci_low": "Float64", "ci_high": "Float64",
         **{c: "string" for c in KEY}}
    )


def _row(who: str, period: str, indicator: str, breakdown: str, num: int, den: int) -> dict:
    if indicator == "started":
        return dict(provider_id=who, year=period, indicator=indicator, breakdown=breakdown,
                    numerator=None, denominator=None, share=None, ci_low=None, ci_high=None,
                    count=den)
    low, high = wilson(num, den)
    return dict(provider_id=who, year=period, indicator=indicator, breakdown=breakdown,
                numerator=num, denominator=den, share=num / den, ci_low=float(low),
                ci_high=float(high), count=None)


def by_key(out: pd.DataFrame) -> dict[tuple[str, ...], Mapping[str, Any]]:
    return {tuple(r[c] for c in KEY): r for r in out.to_dict("records")}


def suppressed_keys(out: pd.DataFrame) -> set[tuple[str, ...]]:
    return {tuple(r) for r in out.loc[out["suppressed"], KEY].itertuples(index=False)}


# ---------------------------------------------------------------------------
# An independent checker of the two promises, in plain Python.


def raw_sizes(table: pd.DataFrame) -> dict[tuple[str, ...], int]:
    sizes = {}
    for r in table.to_dict("records"):
        size = r["denominator"] if not pd.isna(r["denominator"]) else r["count"]
        sizes[tuple(r[c] for c in KEY)] = int(size)
    return sizes


def relations(keys: Iterable[tuple[str, ...]]) -> list[tuple[tuple[str, ...], list]]:
    """(total, parts) for every relation (a), (b), (c) that has a total row."""
    keys = set(keys)
    groups: dict[tuple, list] = defaultdict(list)
    for key in keys:
        provider, year, indicator, breakdown = key
        if provider != ALL:
            groups[("a", (ALL, year, indicator, breakdown))].append(key)
        if year.isdigit():
            for other in keys:
                p, y, i, b = other
                if (p, i, b) == (provider, indicator, breakdown) and "-" in y:
                    first, last = (int(v) for v in y.split("-"))
                    if first <= int(year) <= last:
                        groups[("b", other)].append(key)
        if breakdown != "total":
            column = breakdown.split("=")[0]
            groups[("c", column, (provider, year, indicator, "total"))].append(key)
    return [(group[-1], parts) for group, parts in groups.items() if group[-1] in keys]


def assert_protected(table: pd.DataFrame, out: pd.DataFrame, k: int) -> None:
    sizes = raw_sizes(table)
    hidden = suppressed_keys(out)
    for key, size in sizes.items():
        assert key in hidden or size >= k, f"published under K: {key} rests on {size}"
    for total, parts in relations(sizes):
        assert sizes[total] == sum(sizes[p] for p in parts), f"not additive: {total}"
        if total in hidden:
            continue
        gone = [p for p in parts if p in hidden]
        if gone:
            assert len(gone) >= 2, f"{gone[0]} = {total} minus published parts"
            assert sum(sizes[p] for p in gone) >= k, f"suppressed parts of {total} sum under K"


def subtraction_attack(out: pd.DataFrame) -> dict[tuple[str, ...], tuple[int, int]]:
    """Hidden rows an attacker works out from the published rows alone.

    Solves the sums one unknown at a time, again and again, so a row worked
    out from one sum is used in the next (chains). Returns key -> (numerator,
    denominator) of every hidden row recovered.
    """
    rows = by_key(out)
    known: dict[tuple[str, ...], tuple[int, int]] = {}
    for key, r in rows.items():
        if not r["suppressed"] and r["indicator"] != "work_or_studies_vs_expected":
            num = 0 if pd.isna(r["numerator"]) else int(r["numerator"])
            den = int(r["value"]) if r["indicator"] == "started" else int(r["denominator"])
            known[key] = (num, den)
    additive = [k for k in rows if k[2] != "work_or_studies_vs_expected"]
    recovered: dict[tuple[str, ...], tuple[int, int]] = {}
    progress = True
    while progress:
        progress = False
        for total, parts in relations(additive):
            unknown = [m for m in [total, *parts] if m not in known]
            if len(unknown) != 1:
                continue
            (missing,) = unknown
            sums = [sum(known[p][i] for p in parts if p in known) for i in (0, 1)]
            if missing == total:
                value = (sums[0], sums[1])
            else:
                value = (known[total][0] - sums[0], known[total][1] - sums[1])
            known[missing] = recovered[missing] = value
            progress = True
    return recovered


def assert_blank_when_suppressed(out: pd.DataFrame) -> None:
    figures = ["numerator", "denominator", "value", "ci_low", "ci_high"]
    hidden = out[out["suppressed"]]
    assert hidden[figures].isna().all().all()
    # Withdrawn rows are left out of what is published (published_rows).
    assert hidden["reason"].isin([FEWER_THAN_K, SECONDARY, WITHDRAWN]).all()
    withdrawn = out[out["reason"] == WITHDRAWN]
    assert withdrawn["suppressed"].all() and (withdrawn["breakdown"] != "total").all()
    assert not hidden["low_reliability"].any()
    assert (out.loc[~out["suppressed"], "reason"] == "").all()
    assert out.loc[~out["suppressed"], "value"].notna().all()


# ---------------------------------------------------------------------------
# Primary suppression, reliability, output


def test_output_columns_and_dtypes() -> None:
    out = protect(table_from_cells({("p1", 2025, ""): (3, 10)}))
    assert tuple(out.columns) == SITE_COLUMNS
    assert SITE_COLUMNS[: len(OUTPUT_COLUMNS)] == OUTPUT_COLUMNS
    assert out["suppressed"].dtype == bool and out["low_reliability"].dtype == bool
    for column in ("numerator", "denominator", "value", "ci_low", "ci_high"):
        assert out[column].dtype == "Int64"
    for column in (*KEY, "reason", "comparison", "strength"):
        assert out[column].dtype == "string"


def test_primary_suppression_with_default_k() -> None:
    cells = {("p1", 2025, ""): (2, 4), ("p2", 2025, ""): (3, 5), ("p3", 2025, ""): (9, 30)}
    out = by_key(protect(table_from_cells(cells)))
    p1 = out[("p1", "2025", "work_or_studies", "total")]
    assert p1["suppressed"] and p1["reason"] == FEWER_THAN_K
    p2 = out[("p2", "2025", "work_or_studies", "total")]
    assert p2["suppressed"] and p2["reason"] == SECONDARY  # else p1 = all - p2 - p3
    assert not out[("p3", "2025", "work_or_studies", "total")]["suppressed"]


def test_custom_k() -> None:
    cells = {("p1", 2025, ""): (1, 3), ("p2", 2025, ""): (2, 4)}
    table = table_from_cells(cells)
    assert not protect(table, k=3)["suppressed"].any()
    out = by_key(protect(table, k=4))
    assert out[("p1", "2025", "work_or_studies", "total")]["reason"] == FEWER_THAN_K
    assert out[("p2", "2025", "work_or_studies", "total")]["reason"] == SECONDARY


@pytest.mark.parametrize("k", [-1, 0, 1, 2])
def test_k_below_three_is_refused(k: int) -> None:
    with pytest.raises(ValueError, match="at least 3"):
        protect(table_from_cells({("p1", 2025, ""): (3, 10)}), k=k)


def test_started_is_suppressed_on_its_count() -> None:
    cells = {("p1", 2025, ""): (0, 4), ("p2", 2025, ""): (0, 40), ("p3", 2025, ""): (0, 50)}
    out = by_key(protect(table_from_cells(cells, indicator="started")))
    assert out[("p1", "2025", "started", "total")]["reason"] == FEWER_THAN_K
    p3 = out[("p3", "2025", "started", "total")]
    assert p3["value"] == 50 and not p3["suppressed"]
    assert pd.isna(p3["numerator"]) and pd.isna(p3["denominator"]) and pd.isna(p3["ci_low"])
    assert not p3["low_reliability"]  # counts are never marked uncertain


def test_low_reliability_at_r() -> None:
    cells = {("p1", 2025, ""): (10, 19), ("p2", 2025, ""): (10, 20)}
    out = by_key(protect(table_from_cells(cells)))
    assert out[("p1", "2025", "work_or_studies", "total")]["low_reliability"]
    assert not out[("p2", "2025", "work_or_studies", "total")]["low_reliability"]
    out = by_key(protect(table_from_cells(cells), r=21))
    assert out[("p2", "2025", "work_or_studies", "total")]["low_reliability"]


def test_suppressed_rows_keep_their_key_and_lose_every_figure() -> None:
    cells = {("p1", 2025, ""): (1, 2), ("p2", 2025, ""): (1, 3), ("p3", 2025, ""): (5, 30)}
    table = table_from_cells(cells)
    out = protect(table)
    assert len(out) == len(table)  # nothing dropped: absence always means zero records
    assert out[KEY].equals(table[KEY])
    assert_blank_when_suppressed(out)


def test_values_round_half_up_and_intervals_outwards() -> None:
    cells = {("p1", 2025, ""): (57, 200), ("p2", 2025, ""): (1, 8), ("p3", 2025, ""): (3, 40)}
    out = by_key(protect(table_from_cells(cells)))
    assert out[("p3", "2025", "work_or_studies", "total")]["value"] == 8  # 7.5
    assert out[("p1", "2025", "work_or_studies", "total")]["value"] == 29  # 28.5
    assert out[("p2", "2025", "work_or_studies", "total")]["value"] == 13  # 12.5
    table = table_from_cells({("p1", 2025, ""): (57, 200)})
    table["ci_low"] = pd.array([0.125, 0.125], dtype="Float64")
    table["ci_high"] = pd.array([0.33499, 0.33499], dtype="Float64")
    row = protect(table).iloc[0]
    # Outwards: the published interval holds the exact one.
    assert (row["ci_low"], row["ci_high"]) == (12, 34)
    table["ci_low"] = pd.array([0.12, 0.12], dtype="Float64")  # exactly 12 stays 12
    table["ci_high"] = pd.array([0.34, 0.34], dtype="Float64")
    row = protect(table).iloc[0]
    assert (row["ci_low"], row["ci_high"]) == (12, 34)


def test_value_from_computed_intervals_stays_inside_them() -> None:
    cells = {(f"p{n}", 2025, ""): (n, 37) for n in range(38)}
    out = protect(table_from_cells(cells))
    published = out[~out["suppressed"]]
    assert (published["ci_low"] <= published["value"]).all()
    assert (published["value"] <= published["ci_high"]).all()
    assert published["value"].min() == 0 and published["value"].max() == 100


def test_comparison_is_kept_only_where_published_and_reliable() -> None:
    cells = {("p1", 2025, ""): (1, 2), ("p2", 2025, ""): (5, 10), ("p3", 2025, ""): (30, 60)}
    table = table_from_cells(cells)
    table["comparison"] = pd.array(["better"] * len(table), dtype="string")
    out = by_key(protect(table))
    assert out[("p3", "2025", "work_or_studies", "total")]["comparison"] == "better"
    assert out[("p2", "2025", "work_or_studies", "total")]["comparison"] == ""
    assert out[("p1", "2025", "work_or_studies", "total")]["comparison"] == ""
    assert (protect(table_from_cells(cells))["comparison"] == "").all()


def test_duplicate_keys_are_refused() -> None:
    table = table_from_cells({("p1", 2025, ""): (3, 10)})
    with pytest.raises(ValueError, match="duplicate"):
        protect(pd.concat([table, table]))


def test_empty_table() -> None:
    out = protect(table_from_cells({}))
    assert out.empty and tuple(out.columns) == SITE_COLUMNS


# ---------------------------------------------------------------------------
# Secondary suppression


def test_all_providers_relation_suppresses_a_second_provider() -> None:
    cells = {("small", 2025, ""): (1, 2)}
    cells |= {(f"p{i}", 2025, ""): (10, 20 + i) for i in range(6)}
    table = table_from_cells(cells)
    out = protect(table)
    # The smallest other provider goes, nothing else: the total stays published.
    assert suppressed_keys(out) == {
        ("small", "2025", "work_or_studies", "total"),
        ("p0", "2025", "work_or_studies", "total"),
    }
    assert_protected(table, out, k=5)


def test_a_second_part_is_added_until_the_parts_reach_k() -> None:
    cells = {("a", 2025, ""): (1, 1), ("b", 2025, ""): (1, 2), ("c", 2025, ""): (1, 3),
             ("d", 2025, ""): (9, 40)}
    out = protect(table_from_cells(cells), k=10)
    # a, b, c are under K but only 6 together: d goes too; the total of 46 may stay.
    assert len(suppressed_keys(out)) == 4
    assert (ALL, "2025", "work_or_studies", "total") not in suppressed_keys(out)
    cells[("e", 2025, "")] = (9, 50)
    out = by_key(protect(table_from_cells(cells), k=10))
    assert out[("d", "2025", "work_or_studies", "total")]["reason"] == SECONDARY
    assert not out[("e", "2025", "work_or_studies", "total")]["suppressed"]
    assert not out[(ALL, "2025", "work_or_studies", "total")]["suppressed"]


def test_ties_are_broken_by_key() -> None:
    cells = {("small", 2025, ""): (1, 2)} | {(p, 2025, ""): (5, 20) for p in ("z", "m", "b")}
    out = protect(table_from_cells(cells))
    assert ("b", "2025", "work_or_studies", "total") in suppressed_keys(out)


def test_years_relation_suppresses_another_year_or_the_pooled_row() -> None:
    cells = {("p1", 2023, ""): (10, 30), ("p1", 2024, ""): (10, 25), ("p1", 2025, ""): (1, 3)}
    cells |= {("p2", y, ""): (30, 60) for y in (2023, 2024, 2025)}
    table = table_from_cells(cells, pooled=(2023, 2025))
    out = by_key(protect(table))
    assert out[("p1", "2025", "work_or_studies", "total")]["reason"] == FEWER_THAN_K
    assert out[("p1", "2024", "work_or_studies", "total")]["reason"] == SECONDARY
    assert not out[("p1", "2023-2025", "work_or_studies", "total")]["suppressed"]
    assert_protected(table, protect(table), k=5)

    # A single year in the period: the pooled row equals it, so it goes too.
    table = table_from_cells({("p1", 2025, ""): (1, 3), ("p1", 2021, ""): (9, 30)},
                             pooled=(2023, 2025))
    out = by_key(protect(table))
    assert out[("p1", "2023-2025", "work_or_studies", "total")]["suppressed"]
    assert not out[("p1", "2021", "work_or_studies", "total")]["suppressed"]


def test_breakdown_relation() -> None:
    cells = {("p1", 2025, "yes"): (1, 2), ("p1", 2025, "no"): (20, 40),
             ("p1", 2025, "unknown"): (9, 30)}
    table = table_from_cells(cells, column="born_abroad")
    out = by_key(protect(table))
    assert out[("p1", "2025", "work_or_studies", "born_abroad=unknown")]["reason"] == SECONDARY
    assert not out[("p1", "2025", "work_or_studies", "total")]["suppressed"]
    assert_protected(table, protect(table), k=5)


def test_result_does_not_depend_on_row_order() -> None:
    rng = np.random.default_rng(11)
    cells = {(f"p{p}", y, v): (0, int(rng.integers(0, 9)))
             for p in range(6) for y in (2023, 2024, 2025) for v in ("a", "b")}
    table = table_from_cells(cells, pooled=(2023, 2025), column="service")
    out = protect(table)
    shuffled = protect(table.sample(frac=1, random_state=1))
    assert suppressed_keys(out) == suppressed_keys(shuffled)
    assert_protected(table, out, k=5)


# ---------------------------------------------------------------------------
# Properties


@st.composite
def micro_tables(draw: st.DrawFn) -> tuple[pd.DataFrame, int]:
    providers = [f"p{i}" for i in range(draw(st.integers(1, 5)))]
    column = draw(st.sampled_from([None, "age_band"]))
    values = ["16-19", "55+", "unknown"] if column else [""]
    indicator = draw(st.sampled_from(["work_or_studies", "started"]))
    cells = {}
    for provider in providers:
        for year in (2022, 2023, 2024, 2025):
            for value in values:
                den = draw(st.integers(0, 12))
                num = draw(st.integers(0, den))
                cells[(provider, year, value)] = (num, den)
    k = draw(st.integers(3, 7))
    return table_from_cells(cells, indicator, pooled=(2023, 2025), column=column), k


def protect_or_refuse(table: pd.DataFrame, k: int) -> pd.DataFrame | None:
    """What protect publishes, or None where it refuses to publish anything.

    Refusing is right only where even hiding every figure leaves something to
    work out: with two people in the whole table, the labels "too few" alone
    tell each provider's count (1 + 1 is the only sum under K = 3).
    """
    try:
        return protect(table, k=k)
    except DisclosureError:
        size = table["denominator"].fillna(table["count"]).fillna(0)
        everything = table.assign(
            suppressed=True, reason=np.where(size < k, FEWER_THAN_K, SECONDARY)
        )
        assert measure(table, everything, k, 20).leaks
        return None


@settings(max_examples=examples(100))
@given(micro_tables())
def test_property_no_group_under_k_is_published_or_recoverable(case) -> None:
    table, k = case
    out = protect_or_refuse(table, k)
    if out is None:
        return
    assert_protected(table, out, k)
    assert_blank_when_suppressed(out)
    assert subtraction_attack(out) == {}


@st.composite
def datasets(draw: st.DrawFn) -> list[dict[str, Any]]:
    records = []
    for _ in range(draw(st.integers(0, 60))):
        year = draw(st.integers(2022, 2025))
        done = draw(st.booleans())
        records.append(
            {
                "provider_id": draw(st.sampled_from(["p1", "p2", "p3", "p4"])),
                "start_date": f"{year}-02-01",
                "end_date": f"{year}-05-01" if done else None,
                "end_reason": draw(st.sampled_from([None, "completed", "external"]))
                if done else None,
                "outcome": draw(st.sampled_from([None, "work", "none", "own_business"])),
                "outcome_6m": draw(st.sampled_from([None, "self_sufficient"])),
                "satisfaction_end": draw(st.sampled_from([None, 2, 5])),
                "grade": draw(st.sampled_from([None, "passed", "failed"])),
                "born_abroad": draw(st.sampled_from([None, True, False])),
                "service": draw(st.sampled_from(["sfi", "praktik"])),
            }
        )
    return records


# Each example builds, protects and proves a whole table (about 5 s): `ci` runs
# seven, `thorough` seventy.
@settings(max_examples=examples(7))
@given(datasets(), st.integers(3, 6), st.sampled_from([(), ("born_abroad", "service")]))
def test_property_end_to_end_from_a_dataset(records, k, breakdowns) -> None:
    staff = [{"provider_id": "p1", "year": 2025, "role": "teacher", "headcount": 4,
              "with_degree": 3, "certified": 2},
             {"provider_id": "p2", "year": 2025, "role": "teacher", "headcount": 9,
              "with_degree": 3, "certified": 2}]
    table = compute_indicators(make_dataset(records, staff=staff), breakdowns=breakdowns)
    out = protect_or_refuse(table, k)
    if out is None:
        return
    assert_protected(table, out, k)
    assert_blank_when_suppressed(out)
    assert subtraction_attack(out) == {}
    assert_no_everybody_or_nobody_under_r(out, r=20)


def test_staff_figures_have_a_threshold_of_their_own() -> None:
    """With STAFF_DISCLOSURE_K = 3 a 3- or 4-teacher provider's certification is
    shown, 2-teacher ones' are hidden so that the sum over providers gives
    neither away, and the customers' figures still answer to K = 5; the audit
    under each table's own threshold finds nothing to work out."""
    customers = table_from_cells({("p1", 2025, ""): (3, 4), ("p2", 2025, ""): (30, 40),
                                  ("p3", 2025, ""): (8, 9)})
    staff = table_from_cells(
        {("p1", 2025, ""): (2, 3), ("p2", 2025, ""): (3, 4), ("p3", 2025, ""): (1, 2),
         ("p4", 2025, ""): (5, 8), ("p5", 2025, ""): (1, 2)},
        indicator="teachers_certified",
    )
    table = pd.concat([customers, staff], ignore_index=True)
    out = protect(table, k=5, staff_k=3)
    assert list(out[KEY].itertuples(index=False)) == list(table[KEY].itertuples(index=False))
    got = by_key(out)
    assert not got[("p1", "2025", "teachers_certified", "total")]["suppressed"]
    assert got[("p1", "2025", "teachers_certified", "total")]["denominator"] == 3
    assert got[("p2", "2025", "teachers_certified", "total")]["denominator"] == 4
    for small in ("p3", "p5"):
        assert got[(small, "2025", "teachers_certified", "total")]["reason"] == FEWER_THAN_K
    assert got[("p1", "2025", "work_or_studies", "total")]["reason"] == FEWER_THAN_K
    assert subtraction_attack(out) == {}
    assert measure(table, out, 5, 20, staff_k=3).leaks == []
    # Under K alone nothing about 3 or 4 teachers is shown, as before.
    alone = by_key(protect(table, k=5))
    assert alone[("p1", "2025", "teachers_certified", "total")]["suppressed"]
    with pytest.raises(ValueError, match="staff threshold"):
        protect(table, k=5, staff_k=6)


def assert_no_everybody_or_nobody_under_r(out: pd.DataFrame, r: int) -> None:
    shares = out[~out["suppressed"] & out["indicator"].isin(
        ["satisfied_end", "satisfied_4w", "work_or_studies", "self_sufficient_6m", "passed"])]
    small = shares[shares["denominator"] < r]
    extreme = small[(small["numerator"] == 0) | (small["numerator"] == small["denominator"])]
    assert extreme.empty, f"0 % or 100 % of a small group published: {extreme[KEY].values[:3]}"


def test_a_total_is_not_left_recoverable_from_a_chain_of_sums() -> None:
    # p1's 2024 row (3 records) is hidden; the pooled rows and the "all" rows
    # would give it back one sum after another unless the chain is cut.
    cells = {("p1", 2024, ""): (2, 3), ("p1", 2025, ""): (4, 9), ("p2", 2024, ""): (5, 11),
             ("p2", 2025, ""): (6, 10), ("p3", 2024, ""): (7, 12), ("p3", 2025, ""): (3, 8)}
    table = table_from_cells(cells, pooled=(2024, 2025))
    out = protect(table, k=5)
    assert by_key(out)[("p1", "2024", "work_or_studies", "total")]["reason"] == FEWER_THAN_K
    assert subtraction_attack(out) == {}


def test_a_total_with_a_single_published_breakdown_value_is_not_given_away() -> None:
    # Every customer of p1 born abroad: the breakdown row *is* the total.
    cells = {("p1", 2025, "yes"): (5, 8), ("p2", 2025, "yes"): (1, 2), ("p2", 2025, "no"): (6, 9),
             ("p3", 2025, "yes"): (7, 10), ("p3", 2025, "no"): (4, 6)}
    table = table_from_cells(cells, column="born_abroad")
    out = protect(table, k=5)
    assert subtraction_attack(out) == {}


def test_year_totals_pinned_through_their_services_are_kept_by_leaving_the_services_out() -> None:
    """A small provider, every answer satisfied: 1, 2 and 5 people in three
    years (8 pooled), in two services. Hidden with their true reasons (the 5
    of 5 and the 8 of 8 as at least K), the service rows hold each year's
    total exactly, and no more hiding changes that: the services' rows are
    left out of the publication instead, and nothing small can be worked out."""
    cells = {("sj", 2023, "gym"): (1, 1), ("sj", 2024, "grund"): (1, 1),
             ("sj", 2024, "gym"): (1, 1), ("sj", 2025, "grund"): (3, 3),
             ("sj", 2025, "gym"): (2, 2)}
    for provider, base in (("big", 40), ("mid", 30), ("oth", 25)):
        for year in (2023, 2024, 2025):
            for service in ("grund", "gym"):
                cells[(provider, year, service)] = (base // 2 + year % 3, base + year % 5)
    table = table_from_cells(cells, "satisfied_end", pooled=(2023, 2025), column="service")
    report = Protection()
    out = protect(table, k=5, r=20, report=report)
    rows = by_key(out)
    for year in ("2023", "2024", "2025", "2023-2025"):
        assert rows[("sj", year, "satisfied_end", "total")]["suppressed"]
        for service in ("grund", "gym"):
            row = rows.get(("sj", year, "satisfied_end", f"service={service}"))
            assert row is None or row["reason"] == WITHDRAWN
    assert rows[("sj", "2023", "satisfied_end", "total")]["reason"] == FEWER_THAN_K
    assert not out.loc[out["provider_id"] != "sj", "reason"].eq(WITHDRAWN).any()
    assert report.withdrawn == (out["reason"] == WITHDRAWN).sum() > 0
    # The second proof starts from what the first one proved.
    assert report.carried > 0
    assert measure(table, out, k=5, r=20).exposed == []


@pytest.mark.parametrize(("num", "den"), [(0, 6), (6, 6), (0, 19)])
def test_everybody_or_nobody_in_a_small_group_is_hidden_to_protect_them(num, den) -> None:
    cells = {("p1", 2025, ""): (num, den), ("p2", 2025, ""): (20, 40), ("p3", 2025, ""): (15, 30)}
    out = by_key(protect(table_from_cells(cells), k=5, r=20))
    row = out[("p1", "2025", "work_or_studies", "total")]
    assert row["suppressed"] and row["reason"] == SECONDARY


def test_everybody_in_a_group_of_r_or_more_is_published() -> None:
    cells = {("p1", 2025, ""): (20, 20), ("p2", 2025, ""): (20, 40), ("p3", 2025, ""): (15, 30)}
    out = by_key(protect(table_from_cells(cells), k=5, r=20))
    assert out[("p1", "2025", "work_or_studies", "total")]["value"] == 100


def test_two_groups_do_not_give_the_smaller_away_through_the_median() -> None:
    from generator.model.sitemodel import _groups

    sizes = pd.DataFrame(
        [("p1", "2025", "sfi", 2, 7.0, 11), ("p2", "2025", "sfi", 2, 8.0, 10),
         ("p3", "2025", "sfi", 3, 8.0, 12)],
        columns=["provider_id", "year", "service", "groups", "median_size", "largest_size"],
    )
    published = {pid: items[0] for pid, (_, items) in _groups(sizes, k=5).items()}
    # p1: 2 x 7 - 11 = 3 people in the smaller group: the median would tell.
    assert published["p1"]["median_size"] is None and published["p1"]["median_hidden"]
    assert published["p1"]["largest_size"] == 11
    # p2: the smaller group has 6, p3 has three groups: nothing to give away.
    assert published["p2"]["median_size"] == 8.0 and not published["p2"]["median_hidden"]
    assert published["p3"]["median_size"] == 8.0


def test_hidden_groups_at_100_percent_get_a_companion_with_other_answers() -> None:
    """The seed report's case: three small providers at 100 % hidden in a sum
    whose other parts are published would add up to "28 of 28": all three
    were 100 %. A provider with "no" answers is hidden with them."""
    from generator.protect.audit import measure

    cells = {
        ("tiny1", 2025, ""): (10, 10), ("tiny2", 2025, ""): (11, 11),
        ("tiny3", 2025, ""): (7, 7), ("big1", 2025, ""): (30, 40),
        ("big2", 2025, ""): (45, 60), ("big3", 2025, ""): (80, 100),
    }
    table = table_from_cells(cells)
    out = protect(table, k=5, r=20)
    hidden = {key[0] for key in suppressed_keys(out)}
    assert {"tiny1", "tiny2", "tiny3"} < hidden
    assert hidden & {"big1", "big2", "big3"}, "one with 'no' answers is hidden too"
    assert measure(table, out, k=5, r=20).exposed == []


def test_two_small_groups_that_must_hold_more_than_either_can_get_room() -> None:
    """Two hidden age groups of at most 4 that must hold 5 "yes" between them
    would both be known to hold one; a larger group is hidden with them."""
    from generator.protect.audit import measure

    cells = {
        ("p1", 2025, "16-19"): (1, 2), ("p1", 2025, "55+"): (4, 4),
        ("p1", 2025, "20-24"): (7, 8), ("p1", 2025, "25-29"): (11, 15),
        ("p1", 2025, "30-54"): (8, 11),
        ("p2", 2025, "16-19"): (6, 9), ("p2", 2025, "55+"): (5, 8),
        ("p2", 2025, "20-24"): (20, 30), ("p2", 2025, "25-29"): (25, 31),
        ("p2", 2025, "30-54"): (30, 40),
    }
    table = table_from_cells(cells, column="age_band")
    before = measure(table, _primary_and_settled_only(table), k=5, r=20)
    assert before.exposed, "without room the audit works the small groups out"
    out = protect(table, k=5, r=20)
    assert measure(table, out, k=5, r=20).exposed == []


def _primary_and_settled_only(table: pd.DataFrame) -> pd.DataFrame:
    """What protection published before hidden groups were given room: groups
    under K and one more part per sum."""
    out = protect(table, k=5, r=20)
    size = table["denominator"].astype("Int64").fillna(table["count"].astype("Int64"))
    small = (size < 5).to_numpy(dtype=bool)
    keep = out.copy()
    keep["suppressed"] = small
    keep["reason"] = np.where(small, FEWER_THAN_K, "")
    # p1's 16-19 and 55+ both hidden, and p2's 16-19 and 55+ with them: every
    # sum has two hidden parts, so nothing falls to subtraction alone.
    for who in ("p1", "p2"):
        for value in ("16-19", "55+"):
            row = (keep["provider_id"] == who) & (keep["breakdown"] == f"age_band={value}")
            keep.loc[row, "suppressed"] = True
            keep.loc[row & ~pd.Series(small), "reason"] = SECONDARY
    return keep


def test_a_rectangle_of_companions_keeps_every_sum_open() -> None:
    """Room in each sum on its own is not enough: moving answers out of a hidden
    group must be balanced in every sum it touches. A rectangle (the group,
    another value at the same provider, and both values at a second provider,
    in the year and in the pooled period) is hidden with it, and the audit finds
    nothing left to pin down. Found by search among random tables where room
    per sum alone left the audit an answer."""
    from generator.protect.audit import measure

    cells = {
        ("p0", 2024, "16-19"): (3, 5), ("p0", 2024, "55+"): (2, 5),
        ("p0", 2025, "16-19"): (2, 3), ("p0", 2025, "55+"): (9, 12),
        ("p1", 2024, "16-19"): (2, 11), ("p1", 2024, "55+"): (11, 12),
        ("p1", 2025, "16-19"): (0, 11), ("p1", 2025, "55+"): (6, 7),
    }
    table = table_from_cells(cells, "satisfied_end", pooled=(2024, 2025), column="age_band")
    out = protect(table, k=5, r=20)
    assert measure(table, out, k=5, r=20).exposed == []
    hidden = suppressed_keys(out)
    # p0's 3 answers in 2025 aged 16-19: its rectangle spans both providers and both values.
    for who in ("p0", "p1"):
        for value in ("16-19", "55+"):
            assert (who, "2025", "satisfied_end", f"age_band={value}") in hidden


def _split_records() -> list[dict[str, Any]]:
    """Three providers in one year: p1 under K; p2 with every customer into work
    or studies (hidden under R), but not every one into work nor into studies;
    p3 large enough to publish."""
    out = []
    for provider, outcomes in (
        ("p1", ["work", "studies", "none"]),
        ("p2", ["work"] * 8 + ["studies"] * 4),
        ("p3", ["work"] * 9 + ["studies"] * 4 + ["own_business"] + ["none"] * 8),
    ):
        out += [
            {"provider_id": provider, "start_date": "2025-01-10", "end_date": "2025-06-10",
             "end_reason": "completed", "outcome": outcome}
            for outcome in outcomes
        ]
    return out


def test_work_and_studies_apart_are_hidden_with_the_combined_figure_and_each_other() -> None:
    table = compute_indicators(make_dataset(_split_records()), years=1)
    out = protect(table, k=5, r=20)
    hidden = {
        (p, i) for p, i, s in out[["provider_id", "indicator", "suppressed"]].itertuples(
            index=False) if s
    }
    for provider in ("p1", "p2", "p3", ALL):
        split = {i for p, i in hidden if p == provider and i in ("into_work", "into_studies")}
        assert split in (set(), {"into_work", "into_studies"})
        if (provider, "work_or_studies") in hidden:
            assert split == {"into_work", "into_studies"}
    assert ("p1", "into_work") in hidden  # 3 records
    assert ("p2", "into_work") in hidden  # 12 of 12 into work or studies
    assert measure(table, out, k=5, r=20).exposed == []


def test_a_published_split_of_a_hidden_combined_figure_gives_its_size_away() -> None:
    # p1's "into work or studies" (2 of 3) hidden, its work and studies
    # published: their shared denominator is p1's size.
    table = compute_indicators(make_dataset(_split_records()), years=1)
    out = protect(table, k=5, r=20)
    weak = out.copy()
    split = weak["indicator"].isin(["into_work", "into_studies"]).to_numpy()
    weak.loc[split, "suppressed"] = False
    weak.loc[split, "reason"] = ""
    found = measure(table, weak, k=5, r=20)
    p1 = {t.kind for t in found.exposed if found.names[t.row] == "p1/2025/work_or_studies/total"}
    assert p1 >= {LARGER}  # its size; "nobody" too, from the numerators' sum


def test_dropouts_and_switches_are_hidden_together_and_rest_on_at_most_the_records_that_ended(
) -> None:
    # p2: none of its 12 dropped out (hidden: it would tell each one's result),
    # so its switches, on the same 12 records, are hidden with it.
    records = []
    for provider, reasons in (
        ("p1", ["completed"] * 9 + ["dropped_out"] * 3 + ["switched_provider"] * 2),
        ("p2", ["completed"] * 10 + ["switched_provider"] * 2),
        ("p3", ["completed"] * 14 + ["dropped_out"] * 4 + ["switched_provider"] * 3),
    ):
        records += [
            {"provider_id": provider, "start_date": "2025-01-10", "end_date": "2025-06-10",
             "end_reason": reason, "outcome": "work"}
            for reason in reasons
        ]
    table = compute_indicators(make_dataset(records), years=1)
    out = protect(table, k=5, r=20)
    hidden = set(out.loc[out["suppressed"].to_numpy(dtype=bool), ["provider_id", "indicator"]]
                 .itertuples(index=False, name=None))
    assert ("p2", "dropped_out") in hidden and ("p2", "switched_provider") in hidden
    assert measure(table, out, k=5, r=20).exposed == []
    # The audit knows that "into work or studies" rests on at most the records
    # that ended: a link "its denominator minus theirs is at most 0".
    links = linked_system(table).links
    on_den, _ = links.matrices(len(table))
    at = {
        name: int(np.flatnonzero((table["provider_id"] == "p2").to_numpy()
                                 & (table["indicator"] == name).to_numpy())[0])
        for name in ("work_or_studies", "dropped_out")
    }
    pair = (on_den[:, at["work_or_studies"]].toarray().ravel() == 1) & (
        on_den[:, at["dropped_out"]].toarray().ravel() == -1
    )
    assert pair.any() and not links.eq[pair].any()
