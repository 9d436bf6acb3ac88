"""The loader: encodings, delimiters, line numbers, header, limits, personal numbers."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pandas as pd
import pytest
from datafolder import csv_text, line_of, valid_tables, write_folder, write_valid_folder

from generator.ingest import load
from generator.ingest.identity import has_personnummer
from generator.ingest.load import find_personnummer, load_folder
from generator.ingest.problems import InvalidData, ProblemList
from generator.ingest.schema import RESULTS
from generator.ingest.validate import load_and_validate

FIXTURE = Path(__file__).parent / "fixtures" / "spreadsheet-export"


def problem_lines(folder: Path, **kwargs: int) -> list[str]:
    with pytest.raises(InvalidData) as err:
        load_and_validate(folder, **kwargs)
    return err.value.lines()


def raw_load(folder: Path) -> tuple[load.RawData, ProblemList]:
    problems = ProblemList()
    return load_folder(folder, problems), problems


# ------------------------------------------------------------- formats


def test_spreadsheet_export_fixture_loads_without_problems() -> None:
    raw, problems = raw_load(FIXTURE)
    assert [str(p) for p in problems.items] == []
    providers = raw.tables["providers.csv"]
    assert providers.header[0] == "provider_id"  # BOM gone
    assert providers.rows[0][6] == "yrkesvux;komvux-gymnasial"  # quoted list kept whole
    assert providers.lines[:2] == [2, 3]
    assert providers.display == str(FIXTURE / "providers.csv")


@pytest.mark.parametrize(
    ("delimiter", "bom", "crlf"),
    [(",", False, False), (";", False, False), (";", True, True), (",", True, False)],
)
def test_delimiter_bom_and_line_endings_give_the_same_dataset(
    tmp_path: Path, delimiter: str, bom: bool, crlf: bool
) -> None:
    plain = load_and_validate(write_valid_folder(tmp_path / "plain"))
    other = load_and_validate(
        write_valid_folder(tmp_path / "other", delimiter=delimiter, bom=bom, crlf=crlf)
    )
    for name in ("providers", "premises", "staff", "groups", "results"):
        pd.testing.assert_frame_equal(getattr(plain, name), getattr(other, name))
    assert other.providers["services"].iloc[0] == ("sfi", "yrkesvux")


def test_semicolon_file_with_comma_inside_quotes_and_comma_file_with_semicolons(
    tmp_path: Path,
) -> None:
    folder = write_valid_folder(tmp_path, delimiter=";")
    text = (folder / "premises.csv").read_text(encoding="utf-8")
    (folder / "premises.csv").write_text(text.replace("Storgatan 1", '"Storgatan 1, 2 tr"'))
    dataset = load_and_validate(folder)
    assert dataset.premises["street_address"].iloc[0] == "Storgatan 1, 2 tr"
    assert dataset.providers["staff_languages"].iloc[0] == ("sv", "en", "ar")


def test_latin1_file_is_refused_with_a_clear_message(tmp_path: Path) -> None:
    folder = write_valid_folder(tmp_path)
    text = (folder / "premises.csv").read_text(encoding="utf-8")
    (folder / "premises.csv").write_bytes(text.encode("cp1252"))
    assert problem_lines(folder) == [
        f"{folder / 'premises.csv'}: the file is not UTF-8 (it looks like "
        'Windows-1252/Latin-1); save it as "CSV UTF-8"'
    ]


def test_utf16_file_is_refused(tmp_path: Path) -> None:
    folder = write_valid_folder(tmp_path)
    text = (folder / "staff.csv").read_text(encoding="utf-8")
    (folder / "staff.csv").write_bytes(text.encode("utf-16"))
    [line] = problem_lines(folder)
    assert line.startswith(f"{folder / 'staff.csv'}: the file is UTF-16")


def test_workbook_and_binary_files_are_refused(tmp_path: Path) -> None:
    folder = write_valid_folder(tmp_path)
    (folder / "staff.csv").write_bytes(b"PK\x03\x04\x14\x00\x06\x00" + bytes(range(256)))
    (folder / "groups.csv").write_bytes(b"provider_id\nab\x00\xff\n")
    assert problem_lines(folder) == [
        f"{folder / 'staff.csv'}: the file is a spreadsheet workbook, not text; save it as "
        '"CSV UTF-8"',
        f"{folder / 'groups.csv'}: the file is not UTF-8 (the first invalid byte is on line 2); "
        'save it as "CSV UTF-8"',
    ]


def test_cells_are_stripped_with_and_without_quotes_in_the_file(tmp_path: Path) -> None:
    folder = write_valid_folder(
        tmp_path,
        {
            ("results.csv", 0, "service"): "sfi\u00a0",  # a spreadsheet's no-break space
            ("results.csv", 1, "record_id"): "\tr2 ",
        },
    )
    path = folder / "premises.csv"
    text = path.read_text(encoding="utf-8").replace("Storgatan 1", '" Storgatan 1, 2 tr "')
    path.write_text(text, encoding="utf-8")
    raw, problems = raw_load(folder)
    assert not problems
    assert raw.tables["results.csv"].rows[0][2] == "sfi"
    assert raw.tables["results.csv"].rows[1][0] == "r2"
    assert raw.tables["premises.csv"].rows[0][2] == "Storgatan 1, 2 tr"


def test_excel_sep_line_is_understood(tmp_path: Path) -> None:
    folder = write_valid_folder(tmp_path, delimiter=";")
    path = folder / "groups.csv"
    path.write_text("sep=;\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    set_bad = path.read_text(encoding="utf-8").replace(";12\n", ";0\n")
    path.write_text(set_bad, encoding="utf-8")
    # The data row that was line 2 is now line 3.
    assert problem_lines(folder) == [
        f"{path}:3: column 'participants': '0' is out of range; use a whole number from 1 to 1000"
    ]


# ------------------------------------------------------------- line numbers


def test_line_numbers_count_quoted_newlines_blank_lines_and_crlf(tmp_path: Path) -> None:
    folder = write_valid_folder(tmp_path)
    rows = valid_tables()["results.csv"]
    header = ",".join([*rows[0], "note"])

    def line(row: dict[str, str], note: str) -> str:
        return ",".join([*row.values(), note])

    bad = {**rows[4], "start_date": "2024-02-30"}
    text = "\r\n".join(
        [
            header,
            line(rows[0], ""),  # line 2
            line(rows[1], '"two\r\nlines"'),  # lines 3-4
            "",  # line 5: blank
            ",,,,",  # line 6: a spreadsheet's empty row (the cell count does not matter)
            line(rows[2], '"three\nmore\nlines"'),  # lines 7-9
            line(rows[3], ""),  # line 10
            line(bad, ""),  # line 11
        ]
    )
    (folder / "results.csv").write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    raw, _ = raw_load(folder)
    assert raw.tables["results.csv"].lines == [2, 3, 7, 10, 11]
    assert problem_lines(folder) == [
        f"{folder / 'results.csv'}:11: column 'start_date': '2024-02-30' is not a date; "
        "use YYYY-MM-DD"
    ]


def test_leading_blank_lines_before_the_header(tmp_path: Path) -> None:
    folder = write_valid_folder(tmp_path)
    path = folder / "staff.csv"
    path.write_text("\n\n" + path.read_text(encoding="utf-8").replace(",6,5,4", ",6,7,4"))
    assert problem_lines(folder) == [
        f"{path}:4: column 'with_degree': '7' is more than headcount; with_degree counts "
        "people among the headcount"
    ]


# ------------------------------------------------------------- files and header


def test_missing_and_empty_files(tmp_path: Path) -> None:
    folder = write_valid_folder(tmp_path)
    (folder / "groups.csv").unlink()
    (folder / "staff.csv").write_text("")
    (folder / "premises.csv").write_text("\n \n;;\n")
    assert problem_lines(folder) == [
        f"{folder / 'premises.csv'}: the file is empty; it needs a header row",
        f"{folder / 'staff.csv'}: the file is empty; it needs a header row",
        f"{folder / 'groups.csv'}: the file is missing",
    ]


def test_missing_data_folder(tmp_path: Path) -> None:
    assert problem_lines(tmp_path / "nowhere") == [
        f"{tmp_path / 'nowhere'}: the data folder does not exist; it should hold "
        "providers.csv, premises.csv, staff.csv, groups.csv and results.csv"
    ]


def test_header_missing_duplicate_extra_and_case(tmp_path: Path) -> None:
    folder = write_valid_folder(tmp_path)
    path = folder / "staff.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    # Names are matched case-insensitively after stripping; 'comment' is an extension.
    lines[0] = " Provider_ID ,YEAR,role,headcount,with_degree,comment"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert problem_lines(folder) == [f"{path}:1: column 'certified': the column is missing"]

    lines[0] = "provider_id,year,role,headcount,Year,certified"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert problem_lines(folder) == [
        f"{path}:1: column 'Year': the column appears twice in the header (columns 2 and 5)",
        f"{path}:1: column 'with_degree': the column is missing",
    ]


def test_extra_columns_are_ignored_and_not_in_the_dataset(tmp_path: Path) -> None:
    tables = valid_tables()
    for row in tables["groups.csv"]:
        row["teacher_note"] = "<b>anything</b>"
    dataset = load_and_validate(write_folder(tmp_path, tables))
    assert list(dataset.groups.columns) == [
        "provider_id",
        "year",
        "service",
        "group_ref",
        "participants",
        "line",
    ]


def test_header_without_delimiter(tmp_path: Path) -> None:
    folder = write_valid_folder(tmp_path)
    path = folder / "groups.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",", "\t"), encoding="utf-8")
    [line] = problem_lines(folder)
    assert line.startswith(f"{path}:1: the header has no ';' or ','")


def test_rows_with_the_wrong_number_of_cells(tmp_path: Path) -> None:
    folder = write_valid_folder(tmp_path, delimiter=";")
    path = folder / "providers.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('"sv;so"', "sv;so").replace(";active", ""), encoding="utf-8")
    assert problem_lines(folder) == [
        f"{path}:2: 10 cells, the header has 11; every row needs one cell per column",
        f'{path}:3: 12 cells, the header has 11; a list such as sv;en must be in quotes: "sv;en"',
    ]


def test_file_over_the_byte_limit(tmp_path: Path) -> None:
    folder = write_valid_folder(tmp_path)
    size = (folder / "results.csv").stat().st_size
    lines = problem_lines(folder, max_file_bytes=size - 1)
    assert any(
        line.startswith(f"{folder / 'results.csv'}: the file is ") and "over the limit" in line
        for line in lines
    )


def test_cell_over_the_character_limit(tmp_path: Path) -> None:
    folder = write_valid_folder(
        tmp_path, {("premises.csv", 1, "opening_hours"): "x" * (load.MAX_CELL_CHARS + 1)}
    )
    assert problem_lines(folder) == [
        f'{folder / "premises.csv"}:3: a cell is longer than 10000 characters (or a quote " '
        "is never closed); the file was refused"
    ]
    # Exactly at the limit the loader accepts the cell (the text column's own limit applies).
    folder = write_valid_folder(
        tmp_path / "ok", {("premises.csv", 1, "opening_hours"): "x" * load.MAX_CELL_CHARS}
    )
    [line] = problem_lines(folder)
    assert "is 10000 characters long; use at most 200" in line


def test_unclosed_quote_does_not_swallow_the_file_silently(tmp_path: Path) -> None:
    folder = write_valid_folder(tmp_path)
    path = folder / "groups.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",g2,", ',"g2,'))
    lines = problem_lines(folder)
    assert lines[0].startswith(f"{path}:3: ")


# ------------------------------------------------------------- personal identity numbers

PERSONNUMMER = [
    "850412-1234",
    "850412+1234",
    "19850412-1234",
    "198504121234",
    "8504121234",
    "850472-1234",  # samordningsnummer: day + 60
    "20050101-0017",
    # The same numbers as people and spreadsheets also write them.
    "850412 1234",  # a space
    "850412\u00a01234",  # a no-break space
    "850412\u20131234",  # an en dash
    "850412\u20111234",  # a non-breaking hyphen
    "19850412 - 1234",
    "\uff18\uff15\uff10\uff14\uff11\uff12-\uff11\uff12\uff13\uff14",  # full-width digits
    "\u0668\u0665\u0660\u0664\u0661\u0662-\u0661\u0662\u0663\u0664",  # Arabic-Indic digits
]
NOT_PERSONNUMMER = [
    "556236-6285",  # organisation numbers: "month" 20 or more
    "212000-0142",
    "5562366285",
    "08-123 456 78",  # phone numbers
    "+46 8 123 456 78",
    "070-123 45 67",
    "0812345678",  # day 34
    "2024-01-10",
    "r000001x",
    "851312-1234",  # month 13
    "850400-1234",  # day 00
    "1234567-1234",  # seven digits before the dash
    "59.8504121234",  # the decimals of a number
    "98504121234",  # eleven digits
    "131 50 Nacka",  # a postcode
    "08-465 004 06",
]


@pytest.mark.parametrize("value", PERSONNUMMER)
def test_find_personnummer_catches_every_shape(value: str) -> None:
    assert find_personnummer([value]) == [0]
    assert find_personnummer(["x", f"ring {value} efter 17"]) == [1]


@pytest.mark.parametrize("value", PERSONNUMMER)
def test_the_quick_file_scan_never_misses_a_personnummer(value: str) -> None:
    assert load._may_hold_personnummer(f"a;ring {value};b".encode())
    assert not load._may_hold_personnummer(b"2024-01-10;r000001x;08-123 456 78")


@pytest.mark.parametrize("value", NOT_PERSONNUMMER)
def test_find_personnummer_leaves_other_numbers(value: str) -> None:
    assert find_personnummer([value]) == []
    assert not has_personnummer(f"<p>{value}</p>")


@pytest.mark.parametrize("value", PERSONNUMMER)
def test_the_output_audit_catches_every_shape(value: str) -> None:
    # The same rule as the loader's, on built pages, JSON and the search index.
    assert has_personnummer(f"<td>Kontakt: {value}</td>")


def test_personnummer_in_results_refuses_the_whole_file_and_is_never_echoed(
    tmp_path: Path,
) -> None:
    tables = valid_tables()
    for row in tables["results.csv"]:
        row["comment"] = ""
    cells = {
        (0, "record_id"): "19850412-1234",
        (1, "gender"): "850412+5678",
        (2, "comment"): "ring 9101017890 efter lunch",  # embedded in free text
        (4, "record_id"): "200501010017",
    }
    for (row, column), value in cells.items():
        tables["results.csv"][row][column] = value
    folder = write_folder(tmp_path, tables, delimiter=";", bom=True, crlf=True)
    raw, problems = raw_load(folder)
    assert "results.csv" not in raw.tables
    path = folder / "results.csv"
    message = "looks like a personal identity number; the file was refused"
    assert [str(p) for p in problems.items] == [
        f"{path}:{line_of(row)}: column '{column}': {message}" for row, column in cells
    ]
    all_text = "\n".join(problem_lines(folder))
    for value in cells.values():
        for digits in re.findall(r"[0-9]{4,}", value):
            assert digits not in all_text


def test_personnummer_in_any_file_and_header_is_refused(tmp_path: Path) -> None:
    folder = write_valid_folder(
        tmp_path, {("premises.csv", 0, "opening_hours"): "Kontakt: 19850412-1234"}
    )
    assert problem_lines(folder) == [
        f"{folder / 'premises.csv'}:2: column 'opening_hours': looks like a personal "
        "identity number; the file was refused"
    ]
    path = folder / "premises.csv"
    path.write_text("19850412-1234," + path.read_text(encoding="utf-8"), encoding="utf-8")
    lines = problem_lines(folder)
    assert lines[0] == (
        f"{path}:1: a column name looks like a personal identity number; the file was refused"
    )
    assert not any("1985" in line for line in lines)


def test_phone_column_hint(tmp_path: Path) -> None:
    folder = write_valid_folder(tmp_path, {("providers.csv", 1, "phone"): "0701234567"})
    [line] = problem_lines(folder)
    assert line.startswith(f"{folder / 'providers.csv'}:3: column 'phone': looks like")
    assert "with separators" in line and "0701234567" not in line


def test_valid_folder_with_org_and_phone_numbers_is_not_refused(tmp_path: Path) -> None:
    folder = write_valid_folder(
        tmp_path,
        {
            ("providers.csv", 0, "phone"): "+46 8 123 456 78",
            ("providers.csv", 2, "phone"): "08-123 456 78",
            ("premises.csv", 0, "latitude"): "59.3102011234",
        },
    )
    dataset = load_and_validate(folder)
    assert dataset.providers["org_number"].tolist() == ["556236-6285", "552258-7350", "555332-0994"]


def test_personnummer_problems_are_capped(tmp_path: Path) -> None:
    rows = valid_tables()["results.csv"]
    many = [{**rows[0], "record_id": f"19850412-{i:04d}"} for i in range(300)]
    folder = write_valid_folder(tmp_path)
    (folder / "results.csv").write_text(csv_text(many), encoding="utf-8")
    with pytest.raises(InvalidData) as err:
        load_and_validate(folder)
    assert len(err.value.problems) == 200
    assert err.value.lines()[-1] == "... and 100 more problem(s) not shown"
    assert "19850412" not in "\n".join(err.value.lines())


# ------------------------------------------------------------- provider texts


def test_texts_are_read_with_bom_stripped(tmp_path: Path) -> None:
    folder = write_valid_folder(tmp_path, texts={("alfa-utbildning", "en"): "# Alfa\n"})
    (folder / "texts" / "alfa-utbildning" / "sv.md").write_bytes(b"\xef\xbb\xbf# Hej\r\n")
    (folder / "texts" / "alfa-utbildning" / "notes.txt").write_text("ignored")
    dataset = load_and_validate(folder)
    assert dataset.texts == {
        ("alfa-utbildning", "en"): "# Alfa\n",
        ("alfa-utbildning", "sv"): "# Hej\r\n",
    }


def test_text_problems(tmp_path: Path) -> None:
    folder = write_valid_folder(
        tmp_path,
        texts={
            ("alfa-utbildning", "de"): "Hallo",
            ("alfa-utbildning", "sv"): "x" * (load.MAX_TEXT_BYTES + 1),
            ("okand", "sv"): "Hej",
        },
    )
    (folder / "texts" / "alfa-utbildning" / "en.md").write_bytes("Caf\xe9".encode("cp1252"))
    texts = folder / "texts"
    assert problem_lines(folder) == [
        f"{texts / 'alfa-utbildning' / 'de.md'}: 'de' is not a site language; name the file "
        "<lang>.md with lang one of: sv, en, ar, fa, so, ti, uk",
        f"{texts / 'alfa-utbildning' / 'en.md'}: the file is not UTF-8 (it looks like "
        "Windows-1252/Latin-1); save it as UTF-8 text",
        f"{texts / 'alfa-utbildning' / 'sv.md'}: the text is over 100 KB; shorten it",
        f"{texts / 'okand' / 'sv.md'}: the folder 'okand' is not a provider_id in "
        "providers.csv; provider texts go in texts/<provider_id>/<lang>.md",
    ]


def test_an_identity_number_in_a_provider_text_is_refused_with_its_line(tmp_path: Path) -> None:
    text = "# Alfa\n\nRing Anna (850412\u20131234) om du undrar.\n"
    folder = write_valid_folder(tmp_path, texts={("alfa-utbildning", "sv"): text})
    path = folder / "texts" / "alfa-utbildning" / "sv.md"
    assert problem_lines(folder) == [
        f"{path}:3: looks like a personal identity number; remove it from the text"
    ]


def test_contract_column_order_is_what_the_loader_expects() -> None:
    # The fixture header and the schema must agree, or every test above is moot.
    header = (FIXTURE / "results.csv").read_text(encoding="utf-8-sig").splitlines()[0]
    assert tuple(header.split(";")) == RESULTS.column_names


def test_links_in_texts_are_refused_and_nothing_they_point_at_is_read(tmp_path: Path) -> None:
    folder = write_valid_folder(tmp_path, texts={("alfa-utbildning", "en"): "# Alfa\n"})
    texts = folder / "texts"
    secret = tmp_path / "secret.md"
    secret.write_text("root:x:0:0:hemligt\n", encoding="utf-8")
    (texts / "alfa-utbildning" / "sv.md").symlink_to(secret)
    (texts / "alfa-utbildning" / "ar.md").symlink_to("/proc/self/status")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "sv.md").write_text("utanför\n", encoding="utf-8")
    (texts / "beta-coachning").symlink_to(outside, target_is_directory=True)
    refused = "is a link or not an ordinary file; put the text itself here, as a file inside " \
        "the data folder"
    assert problem_lines(folder) == [
        f"{texts / 'alfa-utbildning' / 'ar.md'}: {refused}",
        f"{texts / 'alfa-utbildning' / 'sv.md'}: {refused}",
        f"{texts / 'beta-coachning'}: {refused}",
    ]


def test_a_file_written_while_it_is_read_is_refused(tmp_path: Path) -> None:
    """An export rewritten line by line during the night's read: whatever part of
    it was read, the data are not one snapshot, so nothing is used."""
    import shutil
    import threading

    from conftest import FIXTURES

    data = tmp_path / "data"
    shutil.copytree(FIXTURES / "spreadsheet-export", data)
    results = data / "results.csv"
    # A register's export, not a handful of rows: its read takes long enough
    # for the export to write during it even on a busy machine, where the
    # writer may wait milliseconds for a processor.
    header, *rows = results.read_text(encoding="utf-8-sig").splitlines()
    copies = [
        f"{row.split(';', 1)[0]}-{n};{row.split(';', 1)[1]}" for n in range(200) for row in rows
    ]
    results.write_text("\n".join([header, *copies]) + "\n", encoding="utf-8")
    complete = results.read_bytes()
    last = copies[-1]
    stop = threading.Event()

    def export() -> None:
        with results.open("a", encoding="utf-8") as out:
            while not stop.is_set():
                out.write(last + "\n")
                out.flush()
                stop.wait(0.001)

    # Switch threads often, so the export gets its turn while the read holds
    # the interpreter.
    interval = sys.getswitchinterval()
    sys.setswitchinterval(0.0002)
    writer = threading.Thread(target=export)
    writer.start()
    try:
        with pytest.raises(InvalidData) as caught:
            load_and_validate(data)
    finally:
        stop.set()
        writer.join()
        sys.setswitchinterval(interval)
    lines = [line for line in caught.value.lines() if "changed while the data were read" in line]
    assert lines and all("results.csv" in line for line in lines), caught.value.lines()
    # Once the export is complete (and still), the folder loads.
    results.write_bytes(complete)
    assert len(load_and_validate(data).results) > 0
