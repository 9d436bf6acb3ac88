"""Open data the build publishes under ``data/``: indicators.csv, providers.json,
datapackage.json, and each provider's rows of indicators.csv in ``data/providers/``.

Exactly the files and columns of the data contract; only protected figures are
written, so a suppressed row has empty numbers and says why. A provider's file
copies its rows of indicators.csv and nothing else, so it publishes nothing the
disclosure proof has not covered.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from generator.compute import registry
from generator.model.sitemodel import SiteModel
from generator.pages import addresses
from generator.protect.disclosure import FEWER_THAN_K, OUTPUT_COLUMNS, SECONDARY

# The contract's columns of indicators.csv, in order: what protect() returns.
INDICATOR_COLUMNS = OUTPUT_COLUMNS

INDICATOR_NAMES = registry.NAMES

HIDDEN_REASONS = (FEWER_THAN_K, SECONDARY)
REASONS = ("", *HIDDEN_REASONS)

# Indicator 6's classes as the contract writes them; the site adds "clearly"
# (labels.COMPARISON), the open data does not.
COMPARISONS = ("better", "as_expected", "worse")


# A text cell starting with one of these is run as a formula by spreadsheet
# programs (CSV injection); such cells get a leading apostrophe.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(text: str) -> str:
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _cell(value: Any) -> str:
    """Numbers stay plain numbers (negatives included); text is neutralised."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, str):
        return neutralise(value)
    return str(value)


def indicators_csv(table: pd.DataFrame) -> str:
    """The protected indicator table as the contract's long CSV (LF line ends, UTF-8)."""
    return _csv(row for _provider, row in _rows(table))


def _rows(table: pd.DataFrame) -> list[tuple[str, tuple[str, ...]]]:
    """(provider id, the row's cells) in the file's order: by provider, indicator,
    breakdown and year. The id is the table's own, not its neutralised cell."""
    ordered = table.sort_values(
        ["provider_id", "indicator", "breakdown", "year"], kind="stable"
    ).reset_index(drop=True)
    columns = [_cells(ordered[c].tolist()) for c in INDICATOR_COLUMNS]
    return list(zip(ordered["provider_id"].tolist(), zip(*columns, strict=True), strict=True))


def _csv(rows: Iterable[Sequence[str]]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(INDICATOR_COLUMNS)
    writer.writerows(rows)
    return buf.getvalue()


def provider_csvs(
    rows: list[tuple[str, tuple[str, ...]]], provider_ids: Iterable[str]
) -> dict[str, str]:
    """Each provider's rows of indicators.csv, in the same order under the same
    header; a provider without figures gets the header alone, so that the link
    on its page always leads to a file."""
    by_provider = {
        provider: [row for _id, row in group]
        for provider, group in itertools.groupby(rows, key=lambda pair: pair[0])
    }
    return {p: _csv(by_provider.get(p, [])) for p in provider_ids}


def _cells(values: list[Any]) -> list[str]:
    """_cell of each value, worked out once per distinct value: a national
    table has hundreds of thousands of rows but few distinct values per column."""
    memo: dict[tuple[type, Any], str] = {}  # by type too: 1, 1.0 and True are equal keys
    out = []
    for value in values:
        key = (type(value), value)
        cell = memo.get(key)
        if cell is None:
            cell = memo[key] = _cell(value)  # NaN never equals itself: worked out each time
        out.append(cell)
    return out


def providers_json(model: SiteModel) -> dict[str, Any]:
    return {
        "data_date": model.data_date.isoformat() if model.data_date else None,
        "disclosure": {"k": model.k, "staff_k": model.staff_threshold, "r": model.r},
        "providers": [
            {
                "provider_id": p.id,
                "name": p.name,
                "org_number": p.org_number,
                "website": p.website,
                "email": p.email,
                "phone": p.phone,
                "services": list(p.services),
                "staff_languages": list(p.staff_languages),
                "employer_sectors": list(p.employer_sectors),
                "authorised_since": p.authorised_since.isoformat() if p.authorised_since else None,
                "status": p.status,
                "status_since": p.status_since.isoformat() if p.status_since else None,
                "status_reason": p.status_reason,
                # Newest first; summaries by language, as the municipality wrote them.
                "follow_ups": [
                    {
                        "date": f.date.isoformat(),
                        "kind": f.kind,
                        "status": f.status,
                        "summary": dict(f.summaries),
                    }
                    for f in p.follow_ups
                ],
                "premises": p.premises,
                "staff": {"year": p.staff_year, "roles": p.staff},
                "group_sizes": {"year": p.groups_year, "services": p.groups},
                "outcome_unknown_over_10_percent": p.outcome_unknown_high,
            }
            for p in model.providers
        ],
    }


def _field(name: str, type_: str, description: str, **constraints: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"name": name, "type": type_, "description": description}
    if constraints:
        out["constraints"] = constraints
    return out


def datapackage(model: SiteModel, licence: tuple[str, str]) -> dict[str, Any]:
    """The Frictionless description of the files; ``licence`` is the licence's
    identifier and address (the OPEN_DATA_LICENCE settings)."""
    yes_no = {"enum": ["yes", "no"]}
    name, url = licence
    return {
        "profile": "tabular-data-package",
        "name": "kundval-provider-comparison",
        "title": "Job and education providers: results, customers' satisfaction and facts",
        "licenses": [{"name": name, **({"path": url} if url else {})}],
        "created": model.data_date.isoformat() if model.data_date else None,
        "resources": [
            {
                "name": "indicators",
                "path": "indicators.csv",
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "dialect": {"delimiter": ",", "header": True},
                "schema": {
                    "fields": [
                        _field(
                            "provider_id", "string", "Provider, or 'all' for all providers together"
                        ),
                        _field(
                            "year",
                            "string",
                            "A year (2025) or a pooled period (2023-2025)",
                            pattern=r"^\d{4}(-\d{4})?$",
                        ),
                        _field("indicator", "string", "Indicator name", enum=list(INDICATOR_NAMES)),
                        _field(
                            "breakdown", "string", "'total' or COLUMN=VALUE, e.g. age_band=20-24"
                        ),
                        _field(
                            "numerator",
                            "integer",
                            "Records meeting the indicator; empty when suppressed",
                            minimum=0,
                        ),
                        _field(
                            "denominator",
                            "integer",
                            "Records the share rests on; empty when suppressed",
                            minimum=0,
                        ),
                        _field(
                            "value",
                            "number",
                            "Whole percent 0-100; a count for 'started'; "
                            "percentage points for work_or_studies_vs_expected",
                        ),
                        _field(
                            "ci_low",
                            "number",
                            "Lower end of the 95 % interval, whole percent (Wilson); for "
                            "work_or_studies_vs_expected percentage points (Poisson binomial)",
                        ),
                        _field(
                            "ci_high",
                            "number",
                            "Upper end of the 95 % interval, whole percent (Wilson); for "
                            "work_or_studies_vs_expected percentage points (Poisson binomial)",
                        ),
                        _field("suppressed", "string", "yes: too few to show", **yes_no),
                        _field(
                            "reason",
                            "string",
                            f"fewer_than_k: rests on fewer than {model.k} records; secondary: "
                            "hidden so that a smaller group cannot be worked out by subtraction",
                            enum=list(REASONS),
                        ),
                        _field(
                            "low_reliability",
                            "string",
                            f"yes: rests on fewer than {model.r} records",
                            **yes_no,
                        ),
                        _field(
                            "comparison",
                            "string",
                            "better, as_expected or worse (case-mix)",
                            enum=["", *COMPARISONS],
                        ),
                    ],
                    "primaryKey": ["provider_id", "year", "indicator", "breakdown"],
                    "missingValues": [""],
                },
            },
            {
                "name": "providers",
                "path": "providers.json",
                "format": "json",
                "mediatype": "application/json",
                "encoding": "utf-8",
                "description": "Providers, premises, staff and group sizes as published",
            },
        ],
    }


def write_open_data(
    out_dir: Path, table: pd.DataFrame, model: SiteModel, licence: tuple[str, str]
) -> dict[str, int]:
    """Write every open-data file; returns each one's size in bytes by its path
    in the site (the open-data page shows them)."""
    rows = _rows(table)
    files = {
        addresses.INDICATORS_CSV: _csv(row for _provider, row in rows),
        addresses.PROVIDERS_JSON: json.dumps(providers_json(model), ensure_ascii=False, indent=2)
        + "\n",
        addresses.DATAPACKAGE_JSON: json.dumps(
            datapackage(model, licence), ensure_ascii=False, indent=2
        )
        + "\n",
    }
    for provider, text in provider_csvs(rows, (p.id for p in model.providers)).items():
        files[addresses.provider_data_path(provider)] = text
    sizes = {}
    for name, text in files.items():
        path = out_dir / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="\n")
        sizes[name] = path.stat().st_size
    return sizes
