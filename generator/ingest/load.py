"""Reading the input folder: the only module that opens input files.

The loader turns bytes into cell strings and knows nothing about column types;
``generator.validate`` does the typing. What the loader does check is what only
the raw file can tell: encoding, CSV shape, header, size limits and, before any
cell is echoed anywhere, that no cell looks like a personal identity number.

Encoding decision: the contract says UTF-8 (a BOM is allowed). A file that is
not valid UTF-8 is refused with a message naming the file, and when its bytes
decode as Windows-1252/Latin-1 (the usual Excel "CSV" export on Swedish
Windows) the message says so and how to save it instead. We do not guess and
read it as cp1252: there is no warnings channel, so a silent guess could turn
a mis-encoded file into wrong text on the published site without anyone
noticing.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import gc
import io
import os
import re
import stat
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from generator.files import walk_files
from generator.ingest.identity import PERSONNUMMER_RE, normalise, personnummer_line
from generator.ingest.problems import ProblemList
from generator.ingest.sanitize import link_problems
from generator.ingest.schema import FILES, TEXT_LANGUAGES, FileSpec

MAX_FILE_BYTES = 200 * 1024 * 1024
MAX_CELL_CHARS = 10_000
MAX_TEXT_BYTES = 100 * 1024

PERSONNUMMER_MESSAGE = "looks like a personal identity number; the file was refused"

# Every match of PERSONNUMMER_RE (see identity.py) holds ten digits with at most
# a sign and spaces between the sixth and the seventh. With every digit turned
# into "0" and "+" and spaces into "-", those are a few plain substring searches
# over the file's bytes, far cheaper than a regex over a national file, so the
# exact per-cell search runs only when one of them hits, or when the file holds
# anything but ASCII (full-width digits, other dashes and spaces).
_DIGITS_AS_ZERO = bytes.maketrans(b"0123456789+ \t", b"0000000000---")
_PERSONNUMMER_HINTS = (b"0" * 10, b"000000-0000", b"000000--0000", b"000000---0000")

_SEP_HINT_RE = re.compile(r"\s*sep=(.)\s*", re.IGNORECASE)
_TEXT_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass
class RawTable:
    """One CSV file as cell strings, before any typing."""

    spec: FileSpec
    path: Path
    display: str  # the path as the user should see it in messages
    header: list[str]  # names as written (whitespace and BOM stripped)
    rows: list[list[str]]  # stripped cell strings, "" = blank; one cell per header name
    lines: list[int]  # physical 1-based line where each row starts
    header_line: int = 1
    # Lines of rows left out because their cell count was wrong (already reported):
    # checks that need every row of this file skip themselves when there are any.
    skipped_lines: list[int] = field(default_factory=list)

    def column_positions(self) -> dict[str, int]:
        """Lower-cased header name -> index of its first occurrence."""
        positions: dict[str, int] = {}
        for i, name in enumerate(self.header):
            positions.setdefault(name.lower(), i)
        return positions


@dataclass
class RawData:
    folder: Path
    tables: dict[str, RawTable] = field(default_factory=dict)
    texts: dict[tuple[str, str], str] = field(default_factory=dict)
    text_paths: dict[tuple[str, str], str] = field(default_factory=dict)


def add_problems(
    problems: ProblemList,
    file: str,
    lines: Sequence[int] | np.ndarray,
    column: str | None,
    values: Sequence[Any] | np.ndarray,
    message: Callable[[Any], str],
) -> None:
    """Add one problem per (line, value), building messages only for those kept.

    A national file can have a million bad cells; ProblemList keeps MAX_PROBLEMS
    of them, so formatting the rest would only cost time.
    """
    kept = _room(problems, len(lines))
    for line, value in zip(lines[:kept], values[:kept], strict=True):
        problems.add(file, int(line), column, message(value))
    problems.dropped += len(lines) - kept


def _room(problems: ProblemList, wanted: int) -> int:
    """How many of ``wanted`` new problems ProblemList will keep."""
    return min(max(problems.limit - len(problems.items), 0), wanted)


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while building millions of small lists.

    The lists hold only strings, so there are no cycles to find, and the repeated
    collections would otherwise make loading a national file several times slower.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def load_folder(
    folder: Path, problems: ProblemList, *, max_file_bytes: int = MAX_FILE_BYTES
) -> RawData:
    """Read every contract file and provider text in ``folder``.

    Problems go to ``problems``; a file that cannot be used at all (missing, not
    UTF-8, refused) is left out of ``tables``.
    """
    folder = Path(folder)
    raw = RawData(folder=folder)
    if not folder.is_dir():
        names = [spec.name for spec in FILES if spec.required]
        problems.add(
            printable(str(folder)),
            None,
            None,
            f"the data folder does not exist; it should hold {', '.join(names[:-1])} "
            f"and {names[-1]}",
        )
        return raw
    before = _file_states(folder)
    with gc_paused():
        for spec in FILES:
            table = _load_table(folder, spec, problems, max_file_bytes)
            if table is not None:
                raw.tables[spec.name] = table
    _load_texts(folder, raw, problems)
    after = _file_states(folder)
    for path in sorted(set(before) | set(after)):
        if before.get(path) != after.get(path):
            problems.add(printable(path), None, None, _CHANGED)
    return raw


_CHANGED = (
    "changed while the data were read (an export still writing?); nothing was used: "
    "run again once the export is complete"
)


def _file_states(folder: Path) -> dict[str, tuple[int, int]]:
    """Size and modification time of every file under folder: equal before and
    after the read means the data were read as one consistent snapshot."""
    states: dict[str, tuple[int, int]] = {}
    for entry in walk_files(folder):
        with contextlib.suppress(OSError):
            st = entry.stat(follow_symlinks=False)
            states[entry.path] = (st.st_size, st.st_mtime_ns)
    return states


# ---------------------------------------------------------------- CSV files


def parquet_name(spec: FileSpec) -> str:
    """The Parquet file that may stand in for a contract file: results.parquet for results.csv."""
    return spec.name.removesuffix(".csv") + ".parquet"


def _load_table(
    folder: Path, spec: FileSpec, problems: ProblemList, max_bytes: int
) -> RawTable | None:
    path = folder / spec.name
    display = printable(str(path))
    parquet = folder / parquet_name(spec)
    if parquet.exists():
        if path.exists():
            problems.add(
                printable(str(parquet)),
                None,
                None,
                f"both {spec.name} and {parquet.name} are in the folder; keep only one of them",
            )
            return None
        return _load_parquet(parquet, spec, problems, max_bytes)
    data = _read_bytes(path, display, spec.required, max_bytes, problems)
    if data is None:
        return None
    text = _decode(data, display, problems)
    if text is None:
        return None
    parsed = _parse(text, display, problems)
    if parsed is None:
        return None
    header, header_line, rows, lines, delimiter = parsed
    if _may_hold_personnummer(data) and _refuse_personnummer(
        header, header_line, rows, lines, display, problems
    ):
        return None
    if not _check_header(spec, header, header_line, display, problems):
        return None
    rows, lines, skipped = _drop_ragged_rows(header, rows, lines, delimiter, display, problems)
    return RawTable(spec, path, display, header, rows, lines, header_line, skipped)


def _file_within_limit(path: Path, display: str, max_bytes: int, problems: ProblemList) -> bool:
    """True when path is a file no larger than max_bytes; otherwise says why."""
    if not path.is_file():
        problems.add(display, None, None, "is not a file")
        return False
    size = path.stat().st_size
    if size > max_bytes:
        problems.add(
            display,
            None,
            None,
            f"the file is {_megabytes(size)}, over the limit of {_megabytes(max_bytes)}; "
            "split it or raise the limit",
        )
        return False
    return True


def _load_parquet(
    path: Path, spec: FileSpec, problems: ProblemList, max_bytes: int
) -> RawTable | None:
    """A contract table from a Parquet file, as the same cell strings a CSV gives.

    A Parquet file has no lines: a problem's line is the row number plus one,
    the line the row would have in the same table written as CSV with its
    header. Typed columns become the contract's text forms (dates as
    YYYY-MM-DD, whole floats as integers, booleans as yes/no), so one validator
    serves both formats.
    """
    display = printable(str(path))
    try:
        if not _file_within_limit(path, display, max_bytes, problems):
            return None
    except OSError as err:
        problems.add(display, None, None, f"the file cannot be read ({err.strerror or err})")
        return None
    import pyarrow.parquet as pq  # only for data folders that hold Parquet

    try:
        # A few kilobytes can expand to gigabytes: the size the columns take
        # once read is in the file's footer, and is held to the same limit.
        metadata = pq.ParquetFile(path).metadata
        expanded = sum(
            metadata.row_group(i).column(j).total_uncompressed_size
            for i in range(metadata.num_row_groups)
            for j in range(metadata.num_columns)
        )
        if expanded > max_bytes:
            problems.add(
                display,
                None,
                None,
                f"the file expands to {expanded / 2**20:.0f} MB when read, over the limit of "
                f"{max_bytes / 2**20:.0f} MB (MAX_INPUT_FILE_MB); the file was refused",
            )
            return None
        table = pq.read_table(path)
    except Exception as err:  # pyarrow raises several types for a damaged file
        reason = str(err).splitlines()[0] if str(err) else type(err).__name__
        message = f"the file cannot be read as Parquet ({reason}); the file was refused"
        problems.add(display, None, None, message)
        return None
    header = [name.strip() for name in table.column_names]
    columns = []
    for name, column in zip(header, table.columns, strict=True):
        try:
            columns.append(_parquet_cells(column))
        except _ColumnRefused as err:
            problems.add(display, None, name, str(err))
        except Exception as err:  # pyarrow's errors for a value it cannot convert
            reason = str(err).splitlines()[0] if str(err) else type(err).__name__
            problems.add(display, None, name, f"cannot be read as text ({reason})")
    if len(columns) < len(header):
        return None
    rows = [list(row) for row in zip(*columns, strict=True)] if columns else []
    lines = list(range(2, len(rows) + 2))
    cells = "\n".join(cell for column in columns for cell in column)
    if _may_hold_personnummer(cells.encode()) and _refuse_personnummer(
        header, 1, rows, lines, display, problems
    ):
        return None
    if not _check_header(spec, header, 1, display, problems):
        return None
    return RawTable(spec, path, display, header, rows, lines, 1, [])


class _ColumnRefused(Exception):
    pass


# A moment with a time zone is a date in Swedish local time: midnight in
# Stockholm, written in UTC, is still the day before.
LOCAL_TIME_ZONE = "Europe/Stockholm"


def _parquet_cells(column: Any) -> list[str]:
    """One Parquet column as stripped cell strings, "" for a missing value."""
    import pyarrow as pa
    import pyarrow.compute as pc

    kind = column.type
    if pa.types.is_dictionary(kind):
        column = column.cast(kind.value_type)
        kind = kind.value_type
    if pa.types.is_nested(kind) or pa.types.is_map(kind):
        what = "lists" if pa.types.is_list(kind) or pa.types.is_large_list(kind) else "records"
        raise _ColumnRefused(f"holds {what}, not single values; write one value per cell")
    if pa.types.is_boolean(kind):
        return ["" if v is None else ("yes" if v else "no") for v in column.to_pylist()]
    if pa.types.is_timestamp(kind) and kind.tz:
        column = column.cast(pa.timestamp("s", tz=LOCAL_TIME_ZONE))
        column = pc.strftime(column, format="%Y-%m-%d")
    elif pa.types.is_timestamp(kind) or pa.types.is_date(kind):
        column = pc.strftime(column.cast(pa.timestamp("s")), format="%Y-%m-%d")
    elif pa.types.is_floating(kind):
        return [
            ""
            if v is None or v != v
            else (str(int(v)) if float(v).is_integer() else repr(float(v)))
            for v in column.to_pylist()
        ]
    elif not (pa.types.is_string(kind) or pa.types.is_large_string(kind)):
        column = column.cast(pa.string())
    return ["" if v is None else v.strip() for v in column.to_pylist()]


def _read_bytes(
    path: Path, display: str, required: bool, max_bytes: int, problems: ProblemList
) -> bytes | None:
    if not path.exists():
        if required:
            problems.add(display, None, None, "the file is missing")
        return None
    try:
        if not _file_within_limit(path, display, max_bytes, problems):
            return None
        return path.read_bytes()
    except OSError as err:
        problems.add(display, None, None, f"the file cannot be read ({err.strerror or err})")
        return None


def _megabytes(n: int) -> str:
    return f"{n / (1024 * 1024):.1f} MB"


# Workbooks saved under a .csv name: xlsx (a zip) and the old binary xls.
_WORKBOOK_MAGIC = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")


def _decode(
    data: bytes, display: str, problems: ProblemList, save_as: str = '"CSV UTF-8"'
) -> str | None:
    """UTF-8 with or without BOM; anything else is refused with a clear message."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        problems.add(display, None, None, f"the file is UTF-16, not UTF-8; save it as {save_as}")
        return None
    if data.startswith(_WORKBOOK_MAGIC):
        message = f"the file is a spreadsheet workbook, not text; save it as {save_as}"
        problems.add(display, None, None, message)
        return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        problems.add(display, None, None, _not_utf8_message(data, err, save_as))
        return None


def _not_utf8_message(data: bytes, err: UnicodeDecodeError, save_as: str) -> str:
    if _looks_like_cp1252(data):
        return f"the file is not UTF-8 (it looks like Windows-1252/Latin-1); save it as {save_as}"
    line = data.count(b"\n", 0, err.start) + 1
    return f"the file is not UTF-8 (the first invalid byte is on line {line}); save it as {save_as}"


def _looks_like_cp1252(data: bytes) -> bool:
    """Text in Windows-1252 (Latin-1 is nearly the same): decodes, and has no NUL bytes."""
    if b"\x00" in data:
        return False  # binary data, not a text export
    try:
        data.decode("cp1252")
    except UnicodeDecodeError:
        return False
    return True


_Parsed = tuple[list[str], int, list[list[str]], list[int], str]


def _parse(text: str, display: str, problems: ProblemList) -> _Parsed | None:
    """Split text into a header and rows of stripped cells, with line numbers."""
    first_line, skipped = _first_content_line(text)
    if first_line is None:
        problems.add(display, None, None, "the file is empty; it needs a header row")
        return None
    delimiter, body_start = _delimiter(first_line, skipped)
    if delimiter is None:
        problems.add(display, skipped + 1, None, "the 'sep=' line names neither ';' nor ','")
        return None
    if body_start:
        # Excel's "sep=;" hint line: drop it but keep counting physical lines.
        lines = io.StringIO(text, newline="")
        offset = sum(len(lines.readline()) for _ in range(body_start))
        text = "\n" * body_start + text[offset:]
    return _read_rows(text, delimiter, display, problems)


def _first_content_line(text: str) -> tuple[str | None, int]:
    """The first line with a cell in it, and how many lines come before it."""
    for i, line in enumerate(io.StringIO(text, newline="")):
        if line.strip().strip(";,"):
            return line, i
    return None, 0


def _delimiter(first_line: str, skipped: int) -> tuple[str | None, int]:
    """The delimiter, and how many physical lines precede the header row."""
    hint = _SEP_HINT_RE.fullmatch(first_line)
    if hint:
        char = hint.group(1)
        return (char if char in ";," else None), skipped + 1
    semicolons, commas = first_line.count(";"), first_line.count(",")
    return (";" if semicolons > commas else ","), 0


def _read_rows(text: str, delimiter: str, display: str, problems: ProblemList) -> _Parsed | None:
    old_limit = csv.field_size_limit(MAX_CELL_CHARS)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        records, starts = _records(reader, quoted='"' in text)
    except csv.Error as err:
        message = (
            f'a cell is longer than {MAX_CELL_CHARS} characters (or a quote " is never '
            "closed); the file was refused"
            if "field limit" in str(err)
            else f"the file cannot be read as CSV ({err}); the file was refused"
        )
        problems.add(display, reader.line_num, None, message)
        return None
    finally:
        csv.field_size_limit(old_limit)
    if _may_have_padding(text, delimiter):
        records = [[cell.strip() for cell in record] for record in records]
    # Blank lines and a spreadsheet's rows of empty cells are skipped.
    kept = [i for i, record in enumerate(records) if any(record)]
    if not kept:
        problems.add(display, None, None, "the file is empty; it needs a header row")
        return None
    header = [cell.lstrip("\ufeff").strip() for cell in records[kept[0]]]
    rows = [records[i] for i in kept[1:]]
    lines = [i + 1 for i in kept[1:]] if starts is None else [starts[i] for i in kept[1:]]
    header_line = kept[0] + 1 if starts is None else starts[kept[0]]
    return header, header_line, rows, lines, delimiter


def _records(reader: Iterator[list[str]], quoted: bool) -> tuple[list[list[str]], list[int] | None]:
    """All CSV records, and the line each starts on (None: record i is on line i + 1).

    Without any quote character no record can span lines, so the records can be
    read in one call; otherwise the reader's line count gives each start.
    """
    if not quoted:
        return list(reader), None
    records: list[list[str]] = []
    starts: list[int] = []
    consumed = 0
    for record in reader:
        records.append(record)
        starts.append(consumed + 1)
        consumed = reader.line_num  # type: ignore[attr-defined]
    return records, starts


# Characters str.strip() removes, other than the line breaks that end CSV records.
_SPACES = tuple(c for c in map(chr, range(0x3001)) if c.isspace() and c not in "\r\n")


def _may_have_padding(text: str, delimiter: str) -> bool:
    """False only if no cell can start or end with whitespace, so stripping can be skipped.

    A cell starts after the start of the text, a delimiter, a line break or an
    opening quote, and ends before the matching characters: whitespace next to
    none of these cannot be at the edge of a cell. A few substring searches over
    the whole text cost much less than stripping every cell of a national file.
    """
    edges = (delimiter, "\n", "\r", '"')
    for space in _SPACES:
        if space not in text:
            continue
        if text.startswith(space) or text.endswith(space):
            return True
        if any(space + edge in text or edge + space in text for edge in edges):
            return True
    # A quoted cell can also start or end with a line break.
    return any(pair in text for pair in ('"\n', '\n"', '"\r', '\r"'))


def _check_header(
    spec: FileSpec, header: list[str], line: int, display: str, problems: ProblemList
) -> bool:
    """Report missing and repeated columns; False if the file is unusable."""
    if len(header) == 1 and len(spec.columns) > 1:
        problems.add(
            display,
            line,
            None,
            "the header has no ';' or ',' between column names; save the file as CSV "
            "separated by commas or semicolons",
        )
        return False
    seen: dict[str, int] = {}
    for i, name in enumerate(header):
        key = name.lower()
        if not key:
            continue  # trailing delimiters in spreadsheet exports give nameless columns
        if key in seen:
            problems.add(
                display,
                line,
                name,
                f"the column appears twice in the header (columns {seen[key] + 1} and {i + 1})",
            )
        else:
            seen[key] = i
    for col in spec.columns:
        if col.name not in seen and not col.optional:
            problems.add(display, line, col.name, "the column is missing")
    return True


def _drop_ragged_rows(
    header: list[str],
    rows: list[list[str]],
    lines: list[int],
    delimiter: str,
    display: str,
    problems: ProblemList,
) -> tuple[list[list[str]], list[int], list[int]]:
    width = len(header)
    if all(len(row) == width for row in rows):
        return rows, lines, []
    kept_rows: list[list[str]] = []
    kept_lines: list[int] = []
    skipped: list[int] = []
    for row, line in zip(rows, lines, strict=True):
        if len(row) == width:
            kept_rows.append(row)
            kept_lines.append(line)
        else:
            problems.add(display, line, None, _ragged_message(row, width, delimiter))
            skipped.append(line)
    return kept_rows, kept_lines, skipped


def _ragged_message(row: list[str], width: int, delimiter: str) -> str:
    message = f"{len(row)} cells, the header has {width}"
    if len(row) > width and delimiter == ";":
        return message + '; a list such as sv;en must be in quotes: "sv;en"'
    if any("\n" in cell for cell in row):
        return message + '; is a quote " left open?'
    return message + "; every row needs one cell per column"


# ---------------------------------------------------- personal identity numbers


def _refuse_personnummer(
    header: list[str],
    header_line: int,
    rows: list[list[str]],
    lines: list[int],
    display: str,
    problems: ProblemList,
) -> bool:
    """Report every cell that looks like a personal identity number, never the number.

    True if the file must be refused.
    """
    found = False
    if find_personnummer(header):
        problems.add(display, header_line, None, "a column name " + PERSONNUMMER_MESSAGE)
        found = True
    row_at, cell_at = _personnummer_cells(rows)
    room = _room(problems, len(row_at))
    for r, c in zip(row_at[:room], cell_at[:room], strict=True):
        name = _column_label(header, int(c))
        problems.add(display, lines[int(r)], name, _personnummer_message(name))
    problems.dropped += len(row_at) - room
    return found or len(row_at) > 0


def _may_hold_personnummer(data: bytes) -> bool:
    """False only if no cell of the file (UTF-8 bytes) can match PERSONNUMMER_RE."""
    if not data.isascii():
        return True
    zeroed = data.translate(_DIGITS_AS_ZERO)
    return any(hint in zeroed for hint in _PERSONNUMMER_HINTS)


def _column_label(header: list[str], index: int) -> str:
    if index < len(header) and header[index] and not find_personnummer([header[index]]):
        return header[index]
    return f"cell {index + 1}"


def _personnummer_message(column: str) -> str:
    if column.lower() == "phone":
        return PERSONNUMMER_MESSAGE + "; write phone numbers with separators, e.g. 070-123 45 67"
    return PERSONNUMMER_MESSAGE


def _personnummer_cells(rows: list[list[str]]) -> tuple[np.ndarray, np.ndarray]:
    """(row index, cell index) of every cell that contains a personal identity number."""
    cells = [cell for row in rows for cell in row]
    hits = find_personnummer(cells)
    if not hits:
        return np.array([], dtype=np.int64), np.array([], dtype=np.int64)
    row_ends = np.cumsum([len(row) for row in rows])
    flat = np.array(hits, dtype=np.int64)
    row_at = np.searchsorted(row_ends, flat, side="right")
    row_starts = row_ends - np.array([len(row) for row in rows])
    return row_at, flat - row_starts[row_at]


def find_personnummer(cells: Sequence[str]) -> list[int]:
    """Indices of the cells that contain something shaped like a personal identity number.

    Searches all cells joined as one string (one regex pass in C instead of one
    call per cell); matches cannot span cells since the pattern has no newline.
    """
    if not cells:
        return []
    cells = [normalise(c) for c in cells]
    joined = "\n".join(cells)
    starts = [m.start() for m in PERSONNUMMER_RE.finditer(joined)]
    if not starts:
        return []
    ends = np.cumsum(np.fromiter((len(c) + 1 for c in cells), dtype=np.int64, count=len(cells)))
    return sorted({int(i) for i in np.searchsorted(ends, starts, side="right")})


# ---------------------------------------------------------------- provider texts


_LINK = (
    "is a link or not an ordinary file; put the text itself here, as a file inside the "
    "data folder"
)


def _load_texts(folder: Path, raw: RawData, problems: ProblemList) -> None:
    """Read texts/<provider_id>/<lang>.md; other files in texts/ are ignored."""
    texts_dir = folder / "texts"
    if texts_dir.is_symlink():
        problems.add(printable(str(texts_dir)), None, None, _LINK)
        return
    if not texts_dir.is_dir():
        return
    for provider_dir in sorted(texts_dir.iterdir()):
        if provider_dir.name.startswith("."):
            continue
        if provider_dir.is_symlink():
            problems.add(printable(str(provider_dir)), None, None, _LINK)
            continue
        if not provider_dir.is_dir():
            continue
        for path in sorted(provider_dir.iterdir()):
            if path.name.startswith(".") or path.suffix.lower() != ".md":
                continue
            # A link could publish any file the build can read (/etc/passwd,
            # /proc/self/status); only the text itself is taken.
            if path.is_symlink() or not path.is_file():
                problems.add(printable(str(path)), None, None, _LINK)
                continue
            text = _read_text(path, problems)
            if text is not None:
                key = (provider_dir.name, path.stem)
                raw.texts[key] = text
                raw.text_paths[key] = printable(str(path))


def _read_text(path: Path, problems: ProblemList) -> str | None:
    display = printable(str(path))
    if path.stem not in TEXT_LANGUAGES:
        problems.add(
            display,
            None,
            None,
            f"'{short_value(path.stem)}' is not a site language; name the file <lang>.md "
            f"with lang one of: {', '.join(TEXT_LANGUAGES)}",
        )
        return None
    try:
        # Not following a link swapped in since the check above, and reading
        # no more than the limit whatever the size the file system reports.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        with os.fdopen(fd, "rb") as file:
            if not stat.S_ISREG(os.fstat(file.fileno()).st_mode):
                problems.add(display, None, None, _LINK)
                return None
            data = file.read(MAX_TEXT_BYTES + 1)
        if len(data) > MAX_TEXT_BYTES:
            problems.add(
                display, None, None, f"the text is over {MAX_TEXT_BYTES // 1024} KB; shorten it"
            )
            return None
    except OSError as err:
        problems.add(display, None, None, f"the file cannot be read ({err.strerror or err})")
        return None
    text = _decode(data, display, problems, save_as="UTF-8 text")
    if text is None:
        return None
    bad = _TEXT_CONTROL_RE.search(text)
    if bad:
        line = text.count("\n", 0, bad.start()) + 1
        problems.add(
            display, line, None, "contains a control character; save it as plain UTF-8 text"
        )
        return None
    line = personnummer_line(text)
    if line is not None:
        problems.add(
            display, line, None, "looks like a personal identity number; remove it from the text"
        )
        return None
    links = link_problems(text)
    for line, message in links:
        problems.add(display, line, None, message)
    return None if links else text


def printable(value: str) -> str:
    """``value`` with line breaks and other non-printable characters escaped (\\n, \\x07)."""
    if value.isprintable():
        return value
    return "".join(
        ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii") for ch in value
    )


def short_value(value: str, limit: int = 40) -> str:
    """A value fit to quote in a one-line message: escaped and truncated."""
    shown = printable(value)
    return shown if len(shown) <= limit else shown[: limit - 1] + "…"
