"""The validator: one failing example per contract rule, typing, and a fuzz test."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import tempfile
from pathlib import Path

import pandas as pd
import pytest
from conftest import examples
from datafolder import (
    FILE_NAMES,
    LATEST_DATE,
    csv_text,
    line_of,
    set_cell,
    valid_tables,
    write_folder,
    write_valid_folder,
)
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.ingest.dataset import Dataset
from generator.ingest.problems import MAX_PROBLEMS, InvalidData
from generator.ingest.schema import FILES
from generator.ingest.validate import load_and_validate

FIXTURE = Path(__file__).parent / "fixtures" / "spreadsheet-export"


def problem_lines(folder: Path) -> list[str]:
    with pytest.raises(InvalidData) as err:
        load_and_validate(folder)
    return err.value.lines()


# ------------------------------------------------------------- valid data and types


def test_spreadsheet_export_is_typed() -> None:
    ds = load_and_validate(FIXTURE)
    results, premises, providers = ds.results, ds.premises, ds.providers
    assert results["born_abroad"].tolist()[:3] == [True, True, False]  # ja, ja, nej
    assert premises["postcode"].iloc[0] == "131 81"
    assert premises["step_free_access"].iloc[0] == "yes"  # "ja" in the file
    assert bool(premises["accessible_toilet"].iloc[0]) and not bool(
        premises["hearing_loop"].iloc[0]
    )
    assert providers["services"].iloc[0] == ("yrkesvux", "komvux-gymnasial")
    assert providers["authorised_since"].iloc[0] == pd.Timestamp("2019-01-15")
    assert pd.isna(results["gender"].iloc[0]) and pd.isna(results["disability"].iloc[0])
    assert results["line"].tolist() == list(range(2, len(results) + 2))
    assert ds.data_date == dt.date(2025, 10, 13)


EXPECTED_DTYPES = {
    "slug": "string",
    "text": "string",
    "hours": "string",
    "orgnr": "string",
    "url": "string",
    "email": "string",
    "code": "string",
    "postcode": "string",
    "codes": "object",
    "langs": "object",
    "date": "datetime64[ns]",
    "bool": "boolean",
    "int": "Int64",
    "float": "Float64",
}


@pytest.mark.parametrize("empty", [False, True])
def test_dtypes_are_as_documented(tmp_path: Path, empty: bool) -> None:
    if empty:
        for spec in FILES:  # a header and no rows
            (tmp_path / spec.name).write_text(",".join(spec.column_names) + "\n")
    else:
        write_valid_folder(tmp_path)
    ds = load_and_validate(tmp_path)
    for spec in FILES:
        frame = getattr(ds, spec.name.removesuffix(".csv"))
        assert list(frame.columns) == [*spec.column_names, "line"]
        for col in spec.columns:
            assert str(frame[col.name].dtype) == EXPECTED_DTYPES[col.type], (spec.name, col.name)
        assert frame["line"].dtype == "int64"
    if empty:
        assert ds.data_date is None
    else:
        assert ds.data_date == dt.date.fromisoformat(LATEST_DATE)
        assert ds.providers["employer_sectors"].tolist() == [("bygg", "handel"), (), ()]
        assert ds.premises["postcode"].tolist() == ["131 81", "131 34", "131 54"]
        assert ds.results["satisfaction_end"].tolist()[:3] == [5, 2, pd.NA]


def test_surrounding_whitespace_and_case_of_booleans_are_tolerated(tmp_path: Path) -> None:
    folder = write_valid_folder(
        tmp_path,
        {
            ("results.csv", 0, "service"): "  sfi ",
            ("results.csv", 0, "born_abroad"): " JA",
            ("results.csv", 1, "born_abroad"): "False",
            ("premises.csv", 0, "latitude"): "59,31",  # decimal comma
        },
    )
    ds = load_and_validate(folder)
    assert ds.results["service"].iloc[0] == "sfi"
    assert ds.results["born_abroad"].tolist()[:2] == [True, False]
    assert ds.premises["latitude"].iloc[0] == 59.31


# ------------------------------------------------------------- one example per rule

P, PR, S, G, R = "providers.csv", "premises.csv", "staff.csv", "groups.csv", "results.csv"

# (cells to change, file, row, column of the problem, text the message must hold)
RULES = [
    # types
    ({(P, 2, "provider_id"): "Gamma_AB"}, P, 2, "provider_id", "'Gamma_AB' is not a valid id"),
    ({(P, 2, "provider_id"): "all"}, P, 2, "provider_id", "'all' is reserved"),
    ({(P, 0, "name"): ""}, P, 0, "name", "the cell is empty; a value is required"),
    ({(P, 0, "name"): "<b>Alfa</b>"}, P, 0, "name", "'<b>Alfa</b>' looks like HTML"),
    # invisible and direction-changing characters (a look-alike of another name)
    ({(P, 0, "name"): "Alfa\u202eBA"}, P, 0, "name", "direction-changing character (U+202E)"),
    ({(P, 0, "name"): "Alfa\u200b AB"}, P, 0, "name", "direction-changing character (U+200B)"),
    ({(P, 0, "name"): "\u3164"}, P, 0, "name", "character (U+3164)"),
    ({(P, 0, "name"): "Alfa \u200cAB"}, P, 0, "name", "character (U+200C)"),
    ({(P, 0, "name"): "A" * 121}, P, 0, "name", "is 121 characters long; use at most 120"),
    ({(P, 0, "name"): "Alfa\x07 AB"}, P, 0, "name", "control character"),
    ({(P, 0, "org_number"): "556236-6286"}, P, 0, "org_number", "has a wrong check digit"),
    ({(P, 0, "org_number"): "5562366285"}, P, 0, "org_number", "use NNNNNN-NNNN"),
    ({(P, 0, "website"): "http://alfa.se"}, P, 0, "website", "use an https:// address"),
    ({(P, 0, "website"): "https://alfa"}, P, 0, "website", "is not a web address"),
    ({(P, 0, "website"): "https://al fa.se"}, P, 0, "website", "is not a web address"),
    ({(P, 0, "email"): "info.alfa.se"}, P, 0, "email", "is not an e-mail address"),
    (
        {(P, 0, "services"): "sfi;cooking"},
        P,
        0,
        "services",
        "'sfi;cooking' contains an unknown service code 'cooking'; allowed: sfi, "
        "samhallsorientering,",
    ),
    ({(P, 0, "services"): "sfi;sfi"}, P, 0, "services", "lists 'sfi' twice"),
    ({(P, 0, "services"): "sfi,praktik"}, P, 0, "services", "(separate codes with ';')"),
    ({(P, 0, "services"): ""}, P, 0, "services", "the cell is empty"),
    ({(P, 0, "staff_languages"): "sv;eng"}, P, 0, "staff_languages", "contains 'eng'"),
    ({(P, 0, "staff_languages"): "SV"}, P, 0, "staff_languages", "ISO 639-1"),
    ({(P, 0, "employer_sectors"): "bygg;bak"}, P, 0, "employer_sectors", "sector code 'bak'"),
    (
        {(P, 0, "authorised_since"): "2019-13-01"},
        P,
        0,
        "authorised_since",
        "'2019-13-01' is not a date; use YYYY-MM-DD",
    ),
    ({(P, 0, "authorised_since"): "15/01/2019"}, P, 0, "authorised_since", "is not a date"),
    ({(P, 0, "authorised_since"): "1850-01-01"}, P, 0, "authorised_since", "out of range"),
    ({(P, 0, "status"): "closed"}, P, 0, "status", "'closed' is not an allowed value; use one"),
    ({(PR, 0, "postcode"): "1318"}, PR, 0, "postcode", "use NNN NN"),
    ({(PR, 0, "latitude"): "91"}, PR, 0, "latitude", "use a number from -90 to 90"),
    ({(PR, 0, "longitude"): "east"}, PR, 0, "longitude", "'east' is not a number"),
    ({(PR, 0, "step_free_access"): "maybe"}, PR, 0, "step_free_access", "yes, no, partly"),
    (
        {(PR, 0, "accessible_toilet"): "maybe"},
        PR,
        0,
        "accessible_toilet",
        "'maybe' is not a boolean; use yes/no (ja/nej, true/false, 1/0)",
    ),
    ({(PR, 0, "transit_stop_m"): "-5"}, PR, 0, "transit_stop_m", "number from 0 to 50000"),
    (
        {(PR, 0, "classrooms"): "999999999999999"},
        PR,
        0,
        "classrooms",
        "'999999999999999' is out of range; use a whole number from 0 to 1000",
    ),
    ({(PR, 0, "classrooms"): "2.5"}, PR, 0, "classrooms", "'2.5' is not a whole number"),
    ({(PR, 0, "premises_id"): ""}, PR, 0, "premises_id", "the cell is empty"),
    (
        {(PR, 0, "opening_hours"): "Mo-Fr 9-16"},
        PR,
        0,
        "opening_hours",
        "'9-16' is not a time range; write it as HH:MM-HH:MM (opening hours as data",
    ),
    (
        {(PR, 0, "opening_hours"): "Fr-Mo 09:00-16:00"},
        PR,
        0,
        "opening_hours",
        "'Fr-Mo' runs backwards",
    ),
    ({(S, 0, "year"): "1989"}, S, 0, "year", "use a whole number from 1990 to 2100"),
    ({(S, 0, "role"): "assistant"}, S, 0, "role", "use one of: teacher, coach"),
    ({(S, 0, "headcount"): ""}, S, 0, "headcount", "the cell is empty"),
    ({(G, 0, "participants"): "0"}, G, 0, "participants", "number from 1 to 1000"),
    ({(G, 0, "participants"): "5000"}, G, 0, "participants", "number from 1 to 1000"),
    ({(G, 0, "service"): "cooking"}, G, 0, "service", "'cooking' is not an allowed value"),
    ({(R, 0, "satisfaction_4w"): "6"}, R, 0, "satisfaction_4w", "number from 1 to 5"),
    ({(R, 0, "age_band"): "18-24"}, R, 0, "age_band", "use one of: 16-19, 20-24"),
    ({(R, 0, "born_abroad"): "maybe"}, R, 0, "born_abroad", "'maybe' is not a boolean"),
    ({(R, 0, "start_date"): "2024-02-30"}, R, 0, "start_date", "is not a date"),
    # unique keys
    (
        {(P, 2, "provider_id"): "alfa-utbildning"},
        P,
        2,
        "provider_id",
        "duplicate provider_id 'alfa-utbildning' (first on line 2)",
    ),
    (
        {(S, 1, "role"): "teacher"},
        S,
        1,
        "role",
        "duplicate role 'teacher' for provider_id 'alfa-utbildning' and year '2024' "
        "(first on line 2)",
    ),
    (
        {(G, 1, "group_ref"): "g1"},
        G,
        1,
        "group_ref",
        "duplicate group_ref 'g1' for provider_id 'alfa-utbildning' and year '2024' "
        "(first on line 2)",
    ),
    ({(R, 3, "record_id"): "r1"}, R, 3, "record_id", "duplicate record_id 'r1' (first on line 2)"),
    # references to providers.csv
    ({(PR, 0, "provider_id"): "okand"}, PR, 0, "provider_id", "not a provider_id in providers"),
    ({(S, 2, "provider_id"): "okand"}, S, 2, "provider_id", "not a provider_id in providers"),
    ({(G, 2, "provider_id"): "okand"}, G, 2, "provider_id", "not a provider_id in providers"),
    ({(R, 4, "provider_id"): "okand"}, R, 4, "provider_id", "not a provider_id in providers"),
    # listed providers need premises (beta is paused: listed)
    (
        {(PR, 1, "provider_id"): "alfa-utbildning", (PR, 1, "premises_id"): "p3"},
        P,
        1,
        "provider_id",
        "'beta-coachning' is listed (paused) but has no row in premises.csv",
    ),
    # results: the life of a record
    ({(R, 0, "end_date"): "2024-01-09"}, R, 0, "end_date", "is before start_date"),
    # dates from the future would move every headline period (2199: after any build)
    ({(R, 0, "end_date"): "2199-01-01"}, R, 0, "end_date", "is after the day of the build"),
    ({(R, 2, "start_date"): "2199-05-01"}, R, 2, "start_date", "dates from the future"),
    ({(R, 0, "end_reason"): ""}, R, 0, "end_reason", "an ended record needs one of: completed"),
    ({(R, 2, "end_reason"): "completed"}, R, 2, "end_reason", "is set but end_date is blank"),
    ({(R, 2, "outcome"): "work"}, R, 2, "outcome", "outcome is only for ended records"),
    (
        {(R, 2, "outcome_6m"): "self_sufficient"},
        R,
        2,
        "outcome_6m",
        "outcome_6m is only for ended records",
    ),
    ({(R, 2, "satisfaction_end"): "4"}, R, 2, "satisfaction_end", "only for ended records"),
    ({(R, 2, "grade"): "passed"}, R, 2, "grade", "grade is only for ended records"),
    (
        {(R, 1, "outcome_6m"): "self_sufficient"},  # outcome none
        R,
        1,
        "outcome_6m",
        "outcome is not work, studies or own_business",
    ),
    (
        {(R, 3, "outcome_6m"): "not_self_sufficient"},  # outcome blank
        R,
        3,
        "outcome_6m",
        "outcome is not work, studies or own_business",
    ),
    # staff counts
    ({(S, 0, "with_degree"): "7"}, S, 0, "with_degree", "'7' is more than headcount"),
    ({(S, 0, "certified"): "7"}, S, 0, "certified", "'7' is more than headcount"),
    ({(S, 1, "certified"): "1"}, S, 1, "certified", "leave certified blank for coaches"),
]


@pytest.mark.parametrize(
    ("cells", "file", "row", "column", "text"),
    RULES,
    ids=[f"{r[1]}:{r[3]}:{r[4][:30]}" for r in RULES],
)
def test_each_rule_gives_one_problem_at_the_cell(
    tmp_path: Path, cells: dict, file: str, row: int, column: str, text: str
) -> None:
    folder = write_valid_folder(tmp_path, cells)
    lines = problem_lines(folder)
    prefix = f"{folder / file}:{line_of(row)}: column '{column}': "
    assert len(lines) == 1, lines
    assert lines[0].startswith(prefix), lines
    assert text in lines[0]


def test_rules_also_hold_for_a_semicolon_export(tmp_path: Path) -> None:
    folder = write_valid_folder(
        tmp_path, {(P, 1, "services"): "praktik;cooking"}, delimiter=";", bom=True, crlf=True
    )
    assert problem_lines(folder) == [
        f"{folder / P}:3: column 'services': 'praktik;cooking' contains an unknown service "
        "code 'cooking'; allowed: sfi, samhallsorientering, komvux-grund, komvux-gymnasial, "
        "yrkesvux, larling, jobbcoachning, praktik, studieforberedande, starta-eget"
    ]


def test_a_deauthorised_provider_needs_no_premises(tmp_path: Path) -> None:
    # gamma is deauthorised and has no premises in the valid folder
    load_and_validate(write_valid_folder(tmp_path))
    folder = write_valid_folder(tmp_path / "b", {(P, 2, "status"): "active"})
    assert problem_lines(folder) == [
        f"{folder / P}:4: column 'provider_id': 'gamma' is listed (active) but has no row in "
        "premises.csv; add at least one premises"
    ]


def test_long_and_odd_values_are_shortened_and_escaped_in_messages(tmp_path: Path) -> None:
    folder = write_valid_folder(tmp_path, {(R, 0, "gender"): "w" * 100 + "\n"})
    [line] = problem_lines(folder)
    assert "\n" not in line and len(line) < 250
    assert "'" + "w" * 39 + "…'" in line


def test_a_missing_column_skips_only_the_rules_that_need_it(tmp_path: Path) -> None:
    tables = valid_tables()
    for row in tables[R]:
        del row["grade"]
    tables[R][2]["outcome"] = "work"  # on an ongoing record: still checked
    folder = write_folder(tmp_path, tables)
    assert problem_lines(folder) == [
        f"{folder / R}:1: column 'grade': the column is missing",
        f"{folder / R}:4: column 'outcome': 'work' is set but end_date is blank; outcome is "
        "only for ended records (fill in end_date or leave this blank)",
    ]


def test_a_missing_status_column_does_not_invent_premises_problems(tmp_path: Path) -> None:
    tables = valid_tables()
    for row in tables[P]:
        del row["status"]
    tables[PR] = tables[PR][:1]
    folder = write_folder(tmp_path, tables)
    assert problem_lines(folder) == [f"{folder / P}:1: column 'status': the column is missing"]


# ------------------------------------------------------------- all problems at once


def test_every_problem_is_reported_in_one_run_in_file_and_line_order(tmp_path: Path) -> None:
    folder = write_valid_folder(
        tmp_path,
        {
            (R, 4, "end_date"): "2025-13-01",
            (R, 0, "born_abroad"): "maybe",
            (S, 2, "headcount"): "-1",
        },
    )
    set_cell(folder, R, 1, "gender", "female")
    assert problem_lines(folder) == [
        f"{folder / S}:4: column 'headcount': '-1' is out of range; use a whole number from "
        "0 to 10000",
        f"{folder / R}:2: column 'born_abroad': 'maybe' is not a boolean; use yes/no "
        "(ja/nej, true/false, 1/0)",
        f"{folder / R}:3: column 'gender': 'female' is not an allowed value; use one of: "
        "woman, man, other",
        f"{folder / R}:6: column 'end_date': '2025-13-01' is not a date; use YYYY-MM-DD",
    ]


def test_problems_are_capped_with_a_count_of_the_rest(tmp_path: Path) -> None:
    rows = valid_tables()[R]
    many = [{**rows[0], "record_id": f"r{i}", "age_band": "old"} for i in range(MAX_PROBLEMS + 50)]
    folder = write_valid_folder(tmp_path)
    (folder / R).write_text(csv_text(many), encoding="utf-8")
    with pytest.raises(InvalidData) as err:
        load_and_validate(folder)
    lines = err.value.lines()
    assert len(lines) == MAX_PROBLEMS + 1
    assert lines[-1] == "... and 50 more problem(s) not shown"
    assert lines[0].startswith(f"{folder / R}:2: column 'age_band': 'old'")


def test_a_broken_providers_file_does_not_flood_references(tmp_path: Path) -> None:
    folder = write_valid_folder(tmp_path)
    path = folder / P
    path.write_text(path.read_text(encoding="utf-8").replace(",active", ""), encoding="utf-8")
    assert problem_lines(folder) == [
        f"{path}:2: 10 cells, the header has 11; every row needs one cell per column"
    ]


# ------------------------------------------------------------- fuzzing


def _fresh_copy(base: Path) -> Path:
    target = Path(tempfile.mkdtemp(prefix="fuzz-"))
    shutil.copytree(base, target, dirs_exist_ok=True)
    return target


def _assert_dataset_or_invalid(folder: Path) -> None:
    try:
        result = load_and_validate(folder)
    except InvalidData as err:
        assert err.lines(), "InvalidData without problems"
        assert all("\n" not in line for line in err.lines())
    else:
        assert isinstance(result, Dataset)


@pytest.fixture(scope="module")
def valid_base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_valid_folder(tmp_path_factory.mktemp("valid"))


# 30 fixed draws each in CI (a whole folder is loaded per draw); `thorough`
# runs ten times as many.
FUZZ = settings(max_examples=examples(30))
csv_cell = st.text(alphabet=st.characters(codec="utf-8"), max_size=30) | st.sampled_from(
    ["", "yes", "ja", "0", "-1", "2024-02-29", "sfi;sfi", '"', ";", ",", "\r\n", "\ufeff"]
)


@FUZZ
@given(name=st.sampled_from(FILE_NAMES), content=st.binary(max_size=2000))
def test_fuzz_random_bytes_in_any_file(valid_base: Path, name: str, content: bytes) -> None:
    folder = _fresh_copy(valid_base)
    try:
        (folder / name).write_bytes(content)
        _assert_dataset_or_invalid(folder)
    finally:
        shutil.rmtree(folder)


@FUZZ
@given(
    name=st.sampled_from(FILE_NAMES),
    delimiter=st.sampled_from([",", ";"]),
    rows=st.lists(st.lists(csv_cell, max_size=18), max_size=8),
)
def test_fuzz_random_csv_under_a_valid_header(
    valid_base: Path, name: str, delimiter: str, rows: list[list[str]]
) -> None:
    folder = _fresh_copy(valid_base)
    try:
        header = next(spec for spec in FILES if spec.name == name).column_names
        text = delimiter.join(header) + "\n"
        text += "\n".join(delimiter.join(row) for row in rows)
        (folder / name).write_text(text, encoding="utf-8")
        _assert_dataset_or_invalid(folder)
    finally:
        shutil.rmtree(folder)


@FUZZ
@given(name=st.sampled_from(FILE_NAMES), data=st.data(), value=csv_cell, quoted=st.booleans())
def test_fuzz_one_cell_of_a_valid_folder(
    valid_base: Path, name: str, data: st.DataObject, value: str, quoted: bool
) -> None:
    tables = valid_tables()
    row = data.draw(st.integers(0, len(tables[name]) - 1))
    column = data.draw(st.sampled_from(list(tables[name][row])))
    folder = Path(tempfile.mkdtemp(prefix="fuzz-"))
    try:
        tables[name][row][column] = value
        write_folder(folder, tables, delimiter=";" if quoted else ",")
        _assert_dataset_or_invalid(folder)
    finally:
        shutil.rmtree(folder)


def test_the_last_day_of_the_data_may_be_the_day_of_the_build() -> None:
    """Dates up to the build's day are taken; one day later is refused, named by line."""
    last = load_and_validate(FIXTURE).data_date
    assert last is not None
    assert load_and_validate(FIXTURE, today=last).data_date == last
    with pytest.raises(InvalidData) as caught:
        load_and_validate(FIXTURE, today=last - dt.timedelta(days=1))
    messages = [str(p) for p in caught.value.problems]
    assert messages and all("is after the day of the build" in m for m in messages)
    assert all(re.search(r"/results\.csv:\d+: column .(start|end)_date.", m) for m in messages)


def test_a_joiner_inside_a_persian_word_is_text_not_a_trick() -> None:
    """The zero-width non-joiner belongs inside Persian words ("ارائه‌دهنده")."""
    import re as regex

    from generator.ingest.validate import INVISIBLE_RE

    assert not regex.search(INVISIBLE_RE, "ارائه\u200cدهنده")
    assert regex.search(INVISIBLE_RE, "Alfa\u200c")
    assert regex.search(INVISIBLE_RE, "\u2067Alfa\u2069")
