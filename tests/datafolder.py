"""Write small, valid input folders from Python data, for tests.

``write_valid_folder(path)`` writes a folder that passes validation with no
problems; ``cells={("results.csv", 0, "end_date"): "2025-13-01"}`` breaks single
cells on the way. Row indexes count data rows from 0, so row ``i`` is on line
``line_of(i)`` of its file (the header is line 1).
"""

from __future__ import annotations

import copy
import csv
import io
from collections.abc import Mapping
from pathlib import Path

Tables = dict[str, list[dict[str, str]]]
CellEdits = Mapping[tuple[str, int, str], str]

_FIRST_RESULT = {
    "record_id": "r1",
    "provider_id": "alfa-utbildning",
    "service": "sfi",
    "start_date": "2024-01-10",
    "end_date": "2024-06-30",
    "end_reason": "completed",
    "outcome": "work",
    "outcome_6m": "self_sufficient",
    "satisfaction_4w": "4",
    "satisfaction_end": "5",
    "grade": "passed",
    "age_band": "20-24",
    "gender": "woman",
    "born_abroad": "yes",
    "education_level": "upper_secondary",
    "disability": "no",
}

_VALID: Tables = {
    "providers.csv": [
        {
            "provider_id": "alfa-utbildning",
            "name": "Alfa Utbildning AB",
            "org_number": "556236-6285",
            "website": "https://alfa.example.se/om-oss",
            "email": "info@alfa.example.se",
            "phone": "08-123 456 78",
            "services": "sfi;yrkesvux",
            "staff_languages": "sv;en;ar",
            "employer_sectors": "bygg;handel",
            "authorised_since": "2019-01-15",
            "status": "active",
        },
        {
            "provider_id": "beta-coachning",
            "name": "Beta Coachning & Praktik",
            "org_number": "552258-7350",
            "website": "",
            "email": "",
            "phone": "070-123 45 67",
            "services": "jobbcoachning;praktik",
            "staff_languages": "sv;so",
            "employer_sectors": "",
            "authorised_since": "",
            "status": "paused",
        },
        {
            # Deauthorised: needs no premises.
            "provider_id": "gamma",
            "name": "Gamma AB",
            "org_number": "555332-0994",
            "website": "",
            "email": "",
            "phone": "",
            "services": "sfi",
            "staff_languages": "",
            "employer_sectors": "",
            "authorised_since": "2018-06-01",
            "status": "deauthorised",
        },
    ],
    "premises.csv": [
        {
            "provider_id": "alfa-utbildning",
            "premises_id": "p1",
            "street_address": "Storgatan 1",
            "postcode": "131 81",
            "city": "Nacka",
            "district": "Fisksätra",
            "latitude": "59.31",
            "longitude": "18.16",
            "step_free_access": "yes",
            "accessible_toilet": "yes",
            "hearing_loop": "no",
            "quiet_room": "yes",
            "transit_stop_m": "100",
            "classrooms": "3",
            "opening_hours": "Mån–fre 8–17",
        },
        {
            "provider_id": "beta-coachning",
            "premises_id": "p1",
            "street_address": "",
            "postcode": "13134",
            "city": "Nacka",
            "district": "Orminge",
            "latitude": "",
            "longitude": "",
            "step_free_access": "partly",
            "accessible_toilet": "",
            "hearing_loop": "",
            "quiet_room": "",
            "transit_stop_m": "",
            "classrooms": "0",
            "opening_hours": "",
        },
        {
            "provider_id": "alfa-utbildning",
            "premises_id": "p2",
            "street_address": "Järnvägsgatan 7",
            "postcode": "13154",
            "city": "Nacka",
            "district": "Nacka centrum",
            "latitude": "59.3105",
            "longitude": "18.1637",
            "step_free_access": "no",
            "accessible_toilet": "no",
            "hearing_loop": "yes",
            "quiet_room": "no",
            "transit_stop_m": "0",
            "classrooms": "12",
            "opening_hours": "Mån–tor 9–16",
        },
    ],
    "staff.csv": [
        {
            "provider_id": "alfa-utbildning",
            "year": "2024",
            "role": "teacher",
            "headcount": "6",
            "with_degree": "5",
            "certified": "4",
        },
        {
            "provider_id": "alfa-utbildning",
            "year": "2024",
            "role": "coach",
            "headcount": "3",
            "with_degree": "2",
            "certified": "",
        },
        {
            "provider_id": "beta-coachning",
            "year": "2024",
            "role": "coach",
            "headcount": "2",
            "with_degree": "",
            "certified": "",
        },
    ],
    "groups.csv": [
        {
            "provider_id": "alfa-utbildning",
            "year": "2024",
            "service": "sfi",
            "group_ref": "g1",
            "participants": "12",
        },
        {
            "provider_id": "alfa-utbildning",
            "year": "2024",
            "service": "yrkesvux",
            "group_ref": "g2",
            "participants": "8",
        },
        {
            "provider_id": "beta-coachning",
            "year": "2024",
            "service": "jobbcoachning",
            "group_ref": "g1",
            "participants": "5",
        },
    ],
    "results.csv": [
        _FIRST_RESULT,
        {
            **_FIRST_RESULT,
            "record_id": "r2",
            "service": "yrkesvux",
            "start_date": "2024-02-01",
            "end_date": "2024-09-15",
            "end_reason": "dropped_out",
            "outcome": "none",
            "outcome_6m": "",
            "satisfaction_4w": "3",
            "satisfaction_end": "2",
            "grade": "failed",
            "age_band": "30-54",
            "gender": "man",
            "born_abroad": "no",
            "education_level": "pre_upper_secondary",
            "disability": "",
        },
        {
            # Ongoing: no end_date, so none of the end-of-record columns.
            **_FIRST_RESULT,
            "record_id": "r3",
            "provider_id": "beta-coachning",
            "service": "jobbcoachning",
            "start_date": "2025-01-15",
            "end_date": "",
            "end_reason": "",
            "outcome": "",
            "outcome_6m": "",
            "satisfaction_4w": "5",
            "satisfaction_end": "",
            "grade": "",
            "age_band": "25-29",
            "gender": "other",
            "born_abroad": "",
            "education_level": "",
            "disability": "yes",
        },
        {
            **_FIRST_RESULT,
            "record_id": "r4",
            "provider_id": "beta-coachning",
            "service": "praktik",
            "start_date": "2024-03-01",
            "end_date": "2024-04-01",
            "end_reason": "external",
            "outcome": "",
            "outcome_6m": "",
            "satisfaction_4w": "",
            "satisfaction_end": "",
            "grade": "",
            "age_band": "16-19",
            "gender": "",
        },
        {
            **_FIRST_RESULT,
            "record_id": "r5",
            "start_date": "2024-05-01",
            "end_date": "2025-02-28",
            "outcome": "studies",
            "outcome_6m": "",
            "age_band": "55+",
        },
    ],
}

FILE_NAMES = tuple(_VALID)
LATEST_DATE = "2025-02-28"  # the latest date in the valid results


def line_of(row: int) -> int:
    """The physical line of data row ``row`` in a file written here."""
    return row + 2


def valid_tables() -> Tables:
    """A fresh copy of the valid data, to change freely."""
    return copy.deepcopy(_VALID)


def csv_text(rows: list[dict[str, str]], *, delimiter: str = ",", crlf: bool = False) -> str:
    """CSV text with a header from the first row's keys; quoting as a spreadsheet does."""
    out = io.StringIO()
    header = list(rows[0]) if rows else []
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n" if crlf else "\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(name, "") for name in header])
    return out.getvalue()


def write_folder(
    path: Path,
    tables: Tables,
    *,
    delimiter: str = ",",
    bom: bool = False,
    crlf: bool = False,
    texts: Mapping[tuple[str, str], str] | None = None,
) -> Path:
    """Write ``tables`` (file name -> rows as dicts) and ``texts`` into ``path``."""
    path.mkdir(parents=True, exist_ok=True)
    for name, rows in tables.items():
        text = csv_text(rows, delimiter=delimiter, crlf=crlf)
        (path / name).write_bytes(("\ufeff" if bom else "").encode() + text.encode("utf-8"))
    for (provider_id, lang), markdown in (texts or {}).items():
        folder = path / "texts" / provider_id
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{lang}.md").write_text(markdown, encoding="utf-8")
    return path


def write_valid_folder(
    path: Path,
    cells: CellEdits | None = None,
    *,
    delimiter: str = ",",
    bom: bool = False,
    crlf: bool = False,
    texts: Mapping[tuple[str, str], str] | None = None,
) -> Path:
    """Write the valid data set, with ``cells[(file, row, column)] = value`` replaced."""
    tables = valid_tables()
    for (name, row, column), value in (cells or {}).items():
        assert column in tables[name][row], f"no column {column} in {name}"
        tables[name][row][column] = value
    return write_folder(path, tables, delimiter=delimiter, bom=bom, crlf=crlf, texts=texts)


def set_cell(path: Path, name: str, row: int, column: str, value: str) -> None:
    """Replace one cell of a comma-separated file written by write_folder."""
    file = path / name
    with file.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    rows[row][column] = value
    file.write_text(csv_text(rows), encoding="utf-8")
