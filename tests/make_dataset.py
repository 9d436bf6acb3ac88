"""Build small typed Datasets in tests without going through CSV files.

Columns get the dtypes documented in ``generator.dataset.Dataset``; anything a
test does not mention gets a blank (unknown) or a sensible default.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd

from generator.ingest import schema
from generator.ingest.dataset import Dataset

RESULT_DEFAULTS: dict[str, Any] = {
    "provider_id": "p1",
    "service": "sfi",
    "start_date": "2025-01-15",
    "age_band": "30-54",
}


def typed_frame(spec: schema.FileSpec, rows: Iterable[Mapping[str, Any]]) -> pd.DataFrame:
    """A DataFrame with the contract's columns and the Dataset's dtypes."""
    rows = list(rows)
    columns: dict[str, pd.Series] = {}
    for column in spec.columns:
        values = [row.get(column.name) for row in rows]
        columns[column.name] = _typed(column, values)
    return pd.DataFrame(columns, columns=list(spec.column_names))


def _typed(column: schema.Column, values: list[Any]) -> pd.Series:
    if column.type == "date":
        return pd.Series(pd.to_datetime(values), dtype="datetime64[ns]")
    if column.type == "int":
        return pd.Series(values, dtype="Int64")
    if column.type == "float":
        return pd.Series(values, dtype="Float64")
    if column.type == "bool":
        return pd.Series(values, dtype="boolean")
    if column.type in ("codes", "langs"):
        return pd.Series([tuple(v or ()) for v in values], dtype=object)
    return pd.Series(values, dtype="string")


def make_dataset(
    results: Iterable[Mapping[str, Any]],
    *,
    staff: Iterable[Mapping[str, Any]] = (),
    groups: Iterable[Mapping[str, Any]] = (),
    providers: Iterable[Mapping[str, Any]] | None = None,
    data_date: dt.date | None = None,
) -> Dataset:
    """A Dataset from result dicts; providers default to one active provider per id used.

    ``data_date`` defaults to the latest date in the results, as the loader does.
    """
    records = []
    for i, row in enumerate(results, start=1):
        record = {**RESULT_DEFAULTS, "record_id": f"r{i:07d}x", **row}
        records.append(record)
    staff, groups = list(staff), list(groups)
    if providers is None:
        used = {r["provider_id"] for r in records} | {r["provider_id"] for r in staff}
        used |= {r["provider_id"] for r in groups}
        providers = [_provider(pid) for pid in sorted(used)]
    result_frame = typed_frame(schema.RESULTS, records)
    if data_date is None and len(result_frame):
        latest = pd.concat([result_frame["start_date"], result_frame["end_date"]]).max()
        data_date = None if pd.isna(latest) else latest.date()
    return Dataset(
        providers=typed_frame(schema.PROVIDERS, providers),
        premises=typed_frame(schema.PREMISES, []),
        staff=typed_frame(schema.STAFF, staff),
        groups=typed_frame(schema.GROUPS, groups),
        results=result_frame,
        data_date=data_date,
    )


def _provider(provider_id: str) -> dict[str, Any]:
    return {
        "provider_id": provider_id,
        "name": provider_id.upper(),
        "org_number": "556036-0793",
        "services": ("sfi",),
        "status": "active",
    }
