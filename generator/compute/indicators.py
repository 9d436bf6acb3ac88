"""Indicators from the data contract, computed from a validated Dataset.

Pure functions: Dataset in, long DataFrame out, one row per figure. Nothing
here decides what may be published; that is ``disclosure.protect``.

The counting is done on integer codes with ``numpy.bincount`` into a dense
provider x year x breakdown-value cube, because the national data set has
about a million records and per-group pandas work would dominate the build.
The "all providers" slice and the pooled period are sums over that cube, so
they add up to their parts exactly (which disclosure control relies on).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from generator.compute import registry
from generator.compute.stats import wilson
from generator.ingest import schema
from generator.ingest.dataset import Dataset

ALL = "all"  # provider_id of the row for all providers together
TOTAL = "total"  # breakdown of the row for all customers together
UNKNOWN = "unknown"  # breakdown value for a blank cell

SATISFIED_END = "satisfied_end"
SATISFIED_4W = "satisfied_4w"
WORK_OR_STUDIES = "work_or_studies"
SELF_SUFFICIENT_6M = "self_sufficient_6m"
PASSED = "passed"
STARTED = "started"
INTO_WORK = "into_work"
INTO_STUDIES = "into_studies"
DROPPED_OUT = "dropped_out"
SWITCHED_PROVIDER = "switched_provider"
WORK_OR_STUDIES_VS_EXPECTED = "work_or_studies_vs_expected"
TEACHERS_CERTIFIED = "teachers_certified"
TEACHERS_WITH_DEGREE = "teachers_with_degree"
COACHES_WITH_DEGREE = "coaches_with_degree"

# What this module counts, by kind, from the registry (registry.py).
# The response rates are worked out from published figures instead (derived.py).
RESULT_INDICATORS = tuple(
    n for n in registry.names(kind="share") + registry.names(kind="count")
    if n not in registry.DERIVED
)
STAFF_INDICATORS = registry.STAFF
INDICATORS = RESULT_INDICATORS + STAFF_INDICATORS
# Indicator 7 of the contract ("by profile") covers indicators 1-3 only.
BREAKDOWN_INDICATORS = registry.BREAKDOWN
# Counted for each service too, but for no customer group.
SERVICE_ONLY_INDICATORS = tuple(n for n in registry.BY_SERVICE if n not in BREAKDOWN_INDICATORS)
# Contract order of the values, so that pages list them the same way everywhere.
BREAKDOWN_COLUMNS: dict[str, tuple[str, ...]] = {
    "age_band": schema.AGE_BANDS,
    "born_abroad": ("yes", "no"),
    "education_level": schema.EDUCATION_LEVELS,
    "disability": ("yes", "no"),
    "service": schema.SERVICES,
}

# Breakdowns by who the customers are (not by what they did): pooled period only.
PROFILE_COLUMNS = tuple(c for c in BREAKDOWN_COLUMNS if c != "service")

INDICATOR_COLUMNS = (
    "provider_id",
    "year",
    "indicator",
    "breakdown",
    "numerator",
    "denominator",
    "share",
    "ci_low",
    "ci_high",
    "count",
)
GROUP_SIZE_COLUMNS = ("provider_id", "year", "service", "groups", "median_size", "largest_size")

@dataclass(frozen=True)
class _Frame:
    """The coordinates every count is placed in.

    Provider code 0 is "all"; real providers follow in sorted order. Year codes
    index ``years`` (sorted); the extra code ``len(years)`` is the pooled period.
    """

    providers: np.ndarray  # object array of labels, providers[0] == ALL
    years: np.ndarray  # sorted int years seen anywhere in the input
    pooled: tuple[int, int] | None  # first and last year of the pooled period

    @property
    def n_years(self) -> int:
        return len(self.years) + 1  # + the pooled slot

    def year_labels(self) -> np.ndarray:
        pooled = f"{self.pooled[0]}-{self.pooled[1]}" if self.pooled else ""
        return np.array([str(y) for y in self.years] + [pooled], dtype=object)

    def year_code(self, year: np.ndarray) -> np.ndarray:
        return np.searchsorted(self.years, year)

    def pooled_mask(self) -> np.ndarray:
        """Which year codes belong to the pooled period."""
        if self.pooled is None:
            return np.zeros(len(self.years), dtype=bool)
        return (self.years >= self.pooled[0]) & (self.years <= self.pooled[1])


@dataclass
class _Chunk:
    """Rows for one indicator and one breakdown column, as integer codes."""

    provider: np.ndarray
    year: np.ndarray
    indicator: int
    breakdown: np.ndarray  # index into the global breakdown label list
    numerator: np.ndarray
    denominator: np.ndarray  # the record count for `started`


@dataclass(frozen=True)
class _Eligible:
    """Which records count for an indicator, their year, and which are successes."""

    name: str
    year: np.ndarray  # int year per record, -1 where the record has none
    eligible: np.ndarray  # bool
    success: np.ndarray  # bool (all True for `started`, which only counts)


# ---------------------------------------------------------------------------
# Public API


def compute_indicators(
    ds: Dataset, years: int = 3, breakdowns: Iterable[str] = ()
) -> pd.DataFrame:
    """Every indicator per provider, per year and pooled, plus provider "all".

    Returns the long table described in ``INDICATOR_COLUMNS``: one row per
    provider x period x indicator x breakdown that has at least one record
    (or staff member). Periods are each calendar year seen, plus one pooled
    period of the last ``years`` years ending with the year of the data date,
    labelled ``"YYYY-YYYY"``; with ``years=1`` there is no pooled period,
    because it would repeat the latest year under another name. Staff
    indicators have no pooled period: headcounts do not add up over years.

    ``breakdowns`` names result columns (see ``BREAKDOWN_COLUMNS``); each adds
    rows ``"COLUMN=VALUE"`` (booleans as yes/no, blank as ``unknown``) for the
    indicators in ``BREAKDOWN_INDICATORS``, and ``service`` also for those in
    ``SERVICE_ONLY_INDICATORS``.
    """
    if years < 1:
        raise ValueError(f"years must be at least 1, got {years}")
    breakdowns = tuple(breakdowns)
    unknown = [b for b in breakdowns if b not in BREAKDOWN_COLUMNS]
    if unknown or len(set(breakdowns)) != len(breakdowns):
        raise ValueError(
            f"breakdowns must be distinct names from {sorted(BREAKDOWN_COLUMNS)}, got {breakdowns}"
        )
    results = ds.results
    frame = _make_frame(ds, years)
    provider = _provider_codes(frame, results["provider_id"])
    labels = [TOTAL]
    value_codes: dict[str, tuple[np.ndarray, int, int]] = {}
    for column in breakdowns:
        codes, values = _breakdown_codes(column, results[column])
        value_codes[column] = (codes, len(labels), len(values))
        labels += [f"{column}={v}" for v in values]

    chunks: list[_Chunk] = []
    # Cells with work-or-studies records, by breakdown offset: the six-month
    # row is listed for each of them, even with no one to follow up. Were it
    # listed only where someone got work or studies, its mere presence would
    # tell that at least one in a hidden group did.
    worked: dict[int, np.ndarray] = {}
    no_value = np.zeros(len(results), dtype=np.int64)
    for spec in _eligibility(results):
        ind = INDICATORS.index(spec.name)
        axes = [(no_value, 1, 0)]
        if spec.name in BREAKDOWN_INDICATORS:
            axes += [(codes, n_values, offset) for codes, offset, n_values in value_codes.values()]
        elif spec.name in SERVICE_ONLY_INDICATORS and "service" in value_codes:
            codes, offset, n_values = value_codes["service"]
            axes.append((codes, n_values, offset))
        for codes, n_values, offset in axes:
            also = worked.get(offset) if spec.name == SELF_SUFFICIENT_6M else None
            chunk, den = _count(frame, provider, spec, codes, n_values, ind, offset, also)
            if spec.name == WORK_OR_STUDIES:
                worked[offset] = den > 0
            chunks.append(chunk)
    chunks += _staff_chunks(ds.staff, frame)
    table = _to_table(chunks, frame, np.array(labels, dtype=object))
    if frame.pooled is None or table.empty:
        return table
    # Customer-profile breakdowns are published for the pooled period only:
    # yearly ones would rest on the smallest groups and tie every group to
    # its years by one more sum (see relations.py); no page shows them.
    column = table["breakdown"].str.partition("=")[0]
    yearly_profile = column.isin(PROFILE_COLUMNS) & (table["year"] != frame.year_labels()[-1])
    return table[~yearly_profile.to_numpy(dtype=bool, na_value=False)].reset_index(drop=True)


def pooled_period(table: pd.DataFrame) -> tuple[int, int] | None:
    """The pooled period of an indicator table, as (first year, last year)."""
    for label in table["year"].dropna().unique():
        first, _, last = str(label).partition("-")
        if last:
            return int(first), int(last)
    return None


def compute_group_sizes(ds: Dataset) -> pd.DataFrame:
    """Number of groups, median and largest group size per provider, year and service.

    Provider "all" pools every group of every provider in that year and
    service. ``year`` is a string like in the indicator table.
    """
    groups = ds.groups[["provider_id", "year", "service", "participants"]].dropna()
    everyone = groups.assign(provider_id=ALL)
    both = pd.concat([everyone, groups], ignore_index=True)
    out = (
        both.groupby(["provider_id", "year", "service"], sort=False)["participants"]
        .agg(groups="size", median_size="median", largest_size="max")
        .reset_index()
    )
    # "all" first, then providers, years and services in a stable order.
    out["_all"] = out["provider_id"] != ALL
    out = out.sort_values(["_all", "provider_id", "year", "service"], kind="stable")
    return pd.DataFrame(
        {
            "provider_id": out["provider_id"].astype("string"),
            "year": out["year"].astype("Int64").astype("string"),
            "service": out["service"].astype("string"),
            "groups": out["groups"].astype("Int64"),
            "median_size": out["median_size"].astype("Float64"),
            "largest_size": out["largest_size"].astype("Int64"),
        },
        columns=list(GROUP_SIZE_COLUMNS),
    ).reset_index(drop=True)


# ---------------------------------------------------------------------------
# Which records count where


def years_of(dates: pd.Series) -> np.ndarray:
    """Calendar year per date, -1 where blank (cheaper than .dt.year on 1M rows)."""
    values = dates.to_numpy(dtype="datetime64[ns]")
    out = values.astype("datetime64[Y]").astype(np.int64) + 1970
    out[np.isnat(values)] = -1
    return out


def _flag(condition: pd.Series) -> np.ndarray:
    """Nullable boolean to numpy bool, unknown counting as False."""
    return condition.fillna(False).to_numpy(dtype=bool)


def services_with_records(results: pd.DataFrame) -> dict[str, frozenset[str]]:
    """indicator -> the services with at least one record it counts, in any year.

    An indicator that no service of a provider's has ever had a record for
    (grades for job coaching) does not apply to it: its pages leave the row
    out or say "does not apply", not "no figures"."""
    # Codes, not strings: sorting a million strings once per indicator took seconds.
    codes, names = pd.factorize(results["service"].astype("string").fillna(""))
    return {
        e.name: frozenset(str(s) for s in names[np.unique(codes[e.eligible])] if s)
        for e in _eligibility(results)
    }


# Above this share of finished customers without a known outcome, a provider's
# work-or-studies figure is flagged: the unknown could go either way.
UNKNOWN_OUTCOME_FLAG = 0.10


def unknown_outcomes(results: pd.DataFrame, first: int, last: int, k: int) -> dict[str, bool]:
    """provider_id -> whether more than UNKNOWN_OUTCOME_FLAG of the customers who
    finished in the years first..last (for a reason of their own or the
    provider's, as indicator 2 counts them) have no known outcome. Absent for a
    provider with fewer than k such customers: a flag on a handful would say
    something about a person. Published as a flag only, never as a count."""
    end_year = years_of(results["end_date"])
    not_external = ~_flag(results["end_reason"] == "external")
    ended = (end_year >= first) & (end_year <= last) & not_external
    unknown = ended & ~_flag(results["outcome"].notna())
    frame = pd.DataFrame(
        {"provider": results["provider_id"].astype("string"), "ended": ended, "unknown": unknown}
    )
    sums = frame.groupby("provider", sort=True)[["ended", "unknown"]].sum()
    sums = sums[sums["ended"] >= k]
    return {
        str(pid): bool(row.unknown > UNKNOWN_OUTCOME_FLAG * row.ended)
        for pid, row in sums.iterrows()
    }


def work_or_studies_records(results: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(year, eligible, success) per record for indicator 2, as the counts use them.

    The case-mix comparison (indicator 6) must count exactly the same records.
    """
    end_year = years_of(results["end_date"])
    outcome = results["outcome"]
    # A blank end_reason on an ended record is not "external": it stays in.
    not_external = ~_flag(results["end_reason"] == "external")
    eligible = (end_year >= 0) & not_external & _flag(outcome.notna())
    success = eligible & _flag(outcome.isin(schema.SUCCESS_OUTCOMES))
    return end_year, eligible, success


def _eligibility(results: pd.DataFrame) -> list[_Eligible]:
    end_year = years_of(results["end_date"])
    start_year = years_of(results["start_date"])
    ended = end_year >= 0
    sat_end = results["satisfaction_end"]
    sat_4w = results["satisfaction_4w"]
    _, work_eligible, work_success = work_or_studies_records(results)
    outcome_6m = results["outcome_6m"]
    grade = results["grade"]
    outcome = results["outcome"]
    end_reason = results["end_reason"]
    everyone = np.ones(len(results), dtype=bool)
    return [
        _Eligible(
            SATISFIED_END, end_year, ended & _flag(sat_end.notna()), _flag(sat_end >= 4)
        ),
        _Eligible(SATISFIED_4W, end_year, ended & _flag(sat_4w.notna()), _flag(sat_4w >= 4)),
        _Eligible(WORK_OR_STUDIES, end_year, work_eligible, work_success),
        _Eligible(
            SELF_SUFFICIENT_6M,
            end_year,
            work_success & _flag(outcome_6m.notna()),
            _flag(outcome_6m == "self_sufficient"),
        ),
        _Eligible(PASSED, end_year, ended & _flag(grade.notna()), _flag(grade == "passed")),
        _Eligible(STARTED, start_year, start_year >= 0, everyone),
        # Work and studies apart, on the base of "into work or studies"; its
        # third success, own business, has no figure of its own.
        _Eligible(INTO_WORK, end_year, work_eligible, work_eligible & _flag(outcome == "work")),
        _Eligible(
            INTO_STUDIES, end_year, work_eligible, work_eligible & _flag(outcome == "studies")
        ),
        # How services ended: among every record that ended, for any reason.
        _Eligible(DROPPED_OUT, end_year, ended, _flag(end_reason == "dropped_out")),
        _Eligible(SWITCHED_PROVIDER, end_year, ended, _flag(end_reason == "switched_provider")),
    ]


def _breakdown_codes(column: str, values: pd.Series) -> tuple[np.ndarray, list[str]]:
    """Value code per record and the value labels, blank last as ``unknown``."""
    if isinstance(values.dtype, pd.BooleanDtype) or pd.api.types.is_bool_dtype(values.dtype):
        flags = values.astype("boolean")
        codes = np.where(_flag(flags), 0, 1)
        codes[flags.isna().to_numpy()] = 2
        return codes.astype(np.int64), ["yes", "no", UNKNOWN]
    text = values.astype("string")
    known = list(BREAKDOWN_COLUMNS[column])
    # Values outside the code list cannot pass validation, but if they ever do
    # they get their own row rather than vanishing from the sum.
    extra = sorted(set(text.dropna().unique()) - set(known) - {UNKNOWN})
    labels = known + extra + [UNKNOWN]
    codes = pd.Categorical(text.fillna(UNKNOWN), categories=labels).codes
    return codes.astype(np.int64), labels


# ---------------------------------------------------------------------------
# Counting


def _make_frame(ds: Dataset, years: int) -> _Frame:
    results, staff = ds.results, ds.staff
    ids = pd.concat(
        [results["provider_id"], staff["provider_id"]], ignore_index=True
    ).dropna()
    providers = np.sort(ids.astype(str).unique())
    if ALL in providers:
        raise ValueError(f"provider_id {ALL!r} is reserved for all providers together")
    end_year = years_of(results["end_date"])
    start_year = years_of(results["start_date"])
    staff_year = staff["year"].dropna().to_numpy(dtype=np.int64)
    dated = [end_year[end_year >= 0], start_year[start_year >= 0], staff_year]
    seen = np.unique(np.concatenate(dated))
    latest = _latest_year(ds, end_year, start_year)
    pooled = (latest - years + 1, latest) if latest is not None and years > 1 else None
    return _Frame(np.concatenate([[ALL], providers]).astype(object), seen, pooled)


def _latest_year(ds: Dataset, end_year: np.ndarray, start_year: np.ndarray) -> int | None:
    if ds.reporting_year is not None:
        return ds.reporting_year
    if ds.data_date is not None:
        return ds.data_date.year
    dated = np.concatenate([end_year, start_year])
    dated = dated[dated >= 0]
    return int(dated.max()) if len(dated) else None


def _provider_codes(frame: _Frame, ids: pd.Series) -> np.ndarray:
    codes = pd.Categorical(ids, categories=pd.Index(frame.providers[1:].astype(str))).codes
    return codes.astype(np.int64) + 1


def _count(
    frame: _Frame,
    provider: np.ndarray,
    spec: _Eligible,
    value: np.ndarray,
    n_values: int,
    indicator: int,
    label_offset: int,
    also: np.ndarray | None = None,
) -> tuple[_Chunk, np.ndarray]:
    """Count one indicator into the provider x year x value cube and list its non-empty
    cells (and those in ``also``, empty or not); the cube of denominators with it."""
    keep = spec.eligible
    n_prov, n_years = len(frame.providers), frame.n_years
    flat = (provider[keep] * n_years + frame.year_code(spec.year[keep])) * n_values + value[keep]
    size = n_prov * n_years * n_values
    den = np.bincount(flat, minlength=size).reshape(n_prov, n_years, n_values)
    num = np.bincount(flat, weights=spec.success[keep], minlength=size)
    num = num.astype(np.int64).reshape(n_prov, n_years, n_values)
    for cube in (den, num):
        cube[0] = cube[1:].sum(axis=0)  # "all" = every provider, deauthorised included
        # Result records add up over years, so the pooled period is a plain sum.
        cube[:, -1] = cube[:, :-1][:, frame.pooled_mask()].sum(axis=1)
    # No rows for empty cells (see disclosure.py on absence), unless asked for.
    p, y, v = np.nonzero(den if also is None else (den > 0) | also)
    return _Chunk(p, y, indicator, v + label_offset, num[p, y, v], den[p, y, v]), den


def _staff_chunks(staff: pd.DataFrame, frame: _Frame) -> list[_Chunk]:
    """Indicator 8: per provider and year only (no pooled period), "all" = sums."""
    chunks = []
    items = (
        (TEACHERS_CERTIFIED, "teacher", "certified"),
        (TEACHERS_WITH_DEGREE, "teacher", "with_degree"),
        (COACHES_WITH_DEGREE, "coach", "with_degree"),
    )
    for name, role, column in items:
        rows = staff[_flag(staff["role"] == role) & _flag(staff[column].notna())]
        rows = rows[_flag(rows["headcount"] > 0) & _flag(rows["year"].notna())]
        provider = _provider_codes(frame, rows["provider_id"])
        year = frame.year_code(rows["year"].to_numpy(dtype=np.int64))
        n_prov, n_years = len(frame.providers), frame.n_years
        flat = provider * n_years + year
        size = n_prov * n_years
        den = np.bincount(flat, weights=rows["headcount"].to_numpy(dtype=np.int64), minlength=size)
        num = np.bincount(flat, weights=rows[column].to_numpy(dtype=np.int64), minlength=size)
        den = den.astype(np.int64).reshape(n_prov, n_years)
        num = num.astype(np.int64).reshape(n_prov, n_years)
        den[0], num[0] = den[1:].sum(axis=0), num[1:].sum(axis=0)
        p, y = np.nonzero(den)
        zero = np.zeros(len(p), dtype=np.int64)
        chunks.append(_Chunk(p, y, INDICATORS.index(name), zero, num[p, y], den[p, y]))
    return chunks


# ---------------------------------------------------------------------------
# Output


def _to_table(chunks: list[_Chunk], frame: _Frame, labels: np.ndarray) -> pd.DataFrame:
    provider = np.concatenate([c.provider for c in chunks])
    year = np.concatenate([c.year for c in chunks])
    indicator = np.concatenate([np.full(len(c.provider), c.indicator) for c in chunks])
    breakdown = np.concatenate([c.breakdown for c in chunks])
    num = np.concatenate([c.numerator for c in chunks])
    den = np.concatenate([c.denominator for c in chunks])
    # "all" first, then providers; contract order of indicators; total first;
    # years ascending with the pooled period last.
    order = np.lexsort((year, breakdown, indicator, provider))
    provider, year, indicator = provider[order], year[order], indicator[order]
    breakdown, num, den = breakdown[order], num[order], den[order]

    is_count = indicator == INDICATORS.index(STARTED)
    low, high = wilson(num, den)
    share = np.divide(num, den, out=np.zeros(len(den)), where=den > 0)
    return pd.DataFrame(
        {
            "provider_id": _strings(frame.providers, provider),
            "year": _strings(frame.year_labels(), year),
            "indicator": _strings(np.array(INDICATORS, dtype=object), indicator),
            "breakdown": _strings(labels, breakdown),
            # `started` is a count, not a share: only its count column is filled.
            "numerator": pd.arrays.IntegerArray(num.astype(np.int64), is_count.copy()),
            "denominator": pd.arrays.IntegerArray(den.astype(np.int64), is_count.copy()),
            "share": pd.arrays.FloatingArray(share, is_count.copy()),
            "ci_low": pd.arrays.FloatingArray(low, is_count.copy()),
            "ci_high": pd.arrays.FloatingArray(high, is_count.copy()),
            "count": pd.arrays.IntegerArray(den.astype(np.int64), ~is_count),
        },
        columns=list(INDICATOR_COLUMNS),
    )


def _strings(labels: np.ndarray, codes: np.ndarray) -> pd.Series:
    # Categorical first: converting a million codes via the few labels is far
    # cheaper than building a million Python strings.
    return pd.Series(pd.Categorical.from_codes(codes, categories=pd.Index(labels))).astype(
        "string"
    )
