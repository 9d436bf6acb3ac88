"""The validated input: typed tables, ready for the compute stages."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd


@dataclass
class Dataset:
    """Validated, typed input data.

    Column dtypes (all tables keep the contract's column names):

    * text and code columns: pandas ``string`` dtype, <NA> where blank;
    * code-list columns (services, staff_languages, employer_sectors): Python
      ``tuple[str, ...]`` objects (empty tuple where blank);
    * dates: ``datetime64[ns]`` (NaT where blank);
    * integers: ``Int64``; floats: ``Float64``; booleans: ``boolean`` (<NA> = unknown).

    ``texts`` maps ``(provider_id, lang)`` to the provider's Markdown source.
    ``data_date`` is the latest date found in results.csv: the date of the data.
    ``reporting_year`` is set once only complete years remain (periods.py).
    """

    providers: pd.DataFrame
    premises: pd.DataFrame
    staff: pd.DataFrame
    groups: pd.DataFrame
    results: pd.DataFrame
    # follow_ups.csv (optional): the municipality's follow-ups of providers;
    # follow_ups_given says whether the file was there at all.
    follow_ups: pd.DataFrame | None = None
    follow_ups_given: bool = False
    # complaints.csv and employer_placements.csv (optional), empty without the file.
    complaints: pd.DataFrame | None = None
    complaints_given: bool = False
    employer_placements: pd.DataFrame | None = None
    texts: dict[tuple[str, str], str] = field(default_factory=dict)
    data_date: dt.date | None = None
    # The last complete year (periods.complete_years); None until the dataset is
    # cut to complete years, when the latest year is that of data_date.
    reporting_year: int | None = None
