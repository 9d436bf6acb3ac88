"""Parquet input: the same tables as the contract's CSV files, typed, checked the same way."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from conftest import ROOT

from generator.build.pipeline import BuildReport, check, compute
from generator.build.settings import load_settings
from generator.ingest.problems import InvalidData
from generator.protect import proofstore

DATE_COLUMNS = {"results": ["start_date", "end_date"], "providers": ["authorised_since"]}


def typed_parquet(csv_path: Path, target: Path) -> None:
    """Write a CSV file as Parquet the way a data warehouse would: numbers as
    numbers (blank satisfaction as null in a float column), dates as dates,
    yes/no as booleans."""
    frame = pd.read_csv(csv_path, dtype=str, keep_default_na=False)
    columns = {}
    for name in frame.columns:
        values = frame[name]
        if name in DATE_COLUMNS.get(csv_path.stem, []):
            dates = pd.to_datetime(values.replace("", None)).dt.date
            columns[name] = pa.array(dates, type=pa.date32(), from_pandas=True)
        elif name.startswith("satisfaction"):
            columns[name] = pa.array(pd.to_numeric(values.replace("", None)), type=pa.float64())
        elif name in ("born_abroad", "disability"):
            columns[name] = pa.array(values.map({"yes": True, "no": False, "": None}))
        else:
            columns[name] = pa.array(values.replace("", None), type=pa.string())
    pq.write_table(pa.table(columns), target)


@pytest.fixture
def parquet_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    shutil.copytree(ROOT / "data", folder)
    for name in ("results", "providers"):
        typed_parquet(folder / f"{name}.csv", folder / f"{name}.parquet")
        (folder / f"{name}.csv").unlink()
    return folder


def figures(folder: Path, proofs: Path | None = None) -> pd.DataFrame:
    table, _model = compute(check(folder), load_settings(), BuildReport(), proofs)
    return table.sort_values(list(table.columns[:4])).reset_index(drop=True)


def set_cell(path: Path, column: str, row: int, value: str) -> None:
    """Rewrite one cell of a Parquet file."""
    table = pq.read_table(path)
    cells = table.column(column).to_pylist()
    cells[row] = value
    table = table.set_column(table.column_names.index(column), column, pa.array(cells))
    pq.write_table(table, path)


def test_parquet_gives_the_same_figures_as_csv(parquet_folder: Path) -> None:
    assert (parquet_folder / "results.parquet").stat().st_size > 0
    # The proofs kept for the sample data (by the session's sample build, or by
    # this test for it): a table reuses one only if its counts are the same.
    proofs = proofstore.default_folder()
    pd.testing.assert_frame_equal(
        figures(parquet_folder, proofs), figures(ROOT / "data", proofs)
    )


def test_a_bad_parquet_cell_is_reported_by_row_and_column(parquet_folder: Path) -> None:
    path = parquet_folder / "results.parquet"
    set_cell(path, "service", 2, "astrology")
    with pytest.raises(InvalidData) as err:
        check(parquet_folder)
    lines = err.value.lines()
    # Row 3 is line 4 of the same table written as CSV with its header.
    assert any(
        line.startswith(f"{path}:4: column 'service': ") and "astrology" in line for line in lines
    ), lines


def test_both_formats_or_a_damaged_file_are_clear_errors(parquet_folder: Path) -> None:
    shutil.copy(ROOT / "data" / "results.csv", parquet_folder / "results.csv")
    with pytest.raises(InvalidData) as err:
        check(parquet_folder)
    assert any("both results.csv and results.parquet" in line for line in err.value.lines())
    (parquet_folder / "results.csv").unlink()
    (parquet_folder / "results.parquet").write_bytes(b"PAR1 not really parquet")
    with pytest.raises(InvalidData) as err:
        check(parquet_folder)
    assert any(
        "results.parquet: the file cannot be read as Parquet" in line
        for line in err.value.lines()
    ), err.value.lines()


def test_a_personal_identity_number_in_parquet_is_refused_and_never_echoed(
    parquet_folder: Path,
) -> None:
    path = parquet_folder / "providers.parquet"
    set_cell(path, "phone", 0, "198504121234")
    with pytest.raises(InvalidData) as err:
        check(parquet_folder)
    lines = err.value.lines()
    assert any(f"{path}:2: column 'phone': looks like a personal" in line for line in lines)
    assert not any("198504121234" in line for line in lines)


def test_time_zone_aware_dates_are_taken_in_swedish_local_time(parquet_folder: Path) -> None:
    """A warehouse that writes dates as local midnight in UTC (2024-03-04 00:00
    in Stockholm is 2024-03-03 23:00 UTC) must not lose a day."""
    path = parquet_folder / "results.parquet"
    table = pq.read_table(path)
    local = pd.to_datetime(pd.Series(table.column("start_date").to_pylist()))
    aware = local.dt.tz_localize("Europe/Stockholm").dt.tz_convert("UTC")
    assert (aware.dt.date != local.dt.date).all(), "every date is the day before in UTC"
    table = table.set_column(
        table.column_names.index("start_date"),
        "start_date",
        pa.array(aware, type=pa.timestamp("ms", tz="UTC")),
    )
    pq.write_table(table, path)
    dataset = check(parquet_folder)
    expected = check(ROOT / "data").results["start_date"]
    assert (dataset.results["start_date"].to_numpy() == expected.to_numpy()).all()


def test_list_columns_and_bombs_are_clear_errors(parquet_folder: Path) -> None:
    path = parquet_folder / "providers.parquet"
    table = pq.read_table(path)
    nested = pa.array([[name] for name in table.column("name").to_pylist()])
    pq.write_table(table.set_column(table.column_names.index("name"), "name", nested), path)
    with pytest.raises(InvalidData) as err:
        check(parquet_folder)
    assert any(
        line.startswith(f"{path}: column 'name': holds lists, not single values")
        for line in err.value.lines()
    ), err.value.lines()
    # A small file that expands past the limit: refused from its footer, unread.
    bomb = pa.table({"provider_id": pa.array(["x" * 10_000] * 3_000)})
    pq.write_table(bomb, path, compression="zstd", use_dictionary=False)
    assert path.stat().st_size < 200_000
    with pytest.raises(InvalidData) as err:
        check(parquet_folder, settings_with(parquet_folder, "MAX_INPUT_FILE_MB = 10\n"))
    assert any("expands to 29 MB when read, over the limit of 10 MB" in line
               for line in err.value.lines()), err.value.lines()


def settings_with(folder: Path, text: str) -> Path:
    path = folder.parent / "settings.py"
    path.write_text(text, encoding="utf-8")
    return path
