"""Turning raw cell strings into a typed Dataset, collecting every problem.

Checks run column by column with vectorised pandas string methods, on each
column's distinct values (a national results file has a million rows but few
distinct values per column); Python-level loops are limited to small sets of
distinct values and to formatting the problems that are actually kept.

Every problem reads ``FILE:LINE: column 'NAME': what is wrong; what to do``.
Cell values are echoed (shortened) so the user can find them; the loader has
already refused any file with something shaped like a personal identity number,
so no such number reaches a message from here.

Tolerances beyond the letter of the contract: postcodes ``NNNNN`` are
normalised to ``NNN NN``; in a code column whose codes include yes and no
(step_free_access) the boolean words ja/nej, true/false, 1/0 are read as
yes/no; decimal numbers may use a decimal comma (Swedish spreadsheets); code
lists ignore empty items (``sfi;``) and spaces around items.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from generator.ingest import hours
from generator.ingest.dataset import Dataset
from generator.ingest.load import (
    MAX_FILE_BYTES,
    RawData,
    RawTable,
    add_problems,
    gc_paused,
    load_folder,
    short_value,
)
from generator.ingest.problems import InvalidData, Problem, ProblemList
from generator.ingest.schema import (
    COMPLAINTS,
    END_REASONS,
    FALSE_WORDS,
    FILES,
    FOLLOW_UPS,
    GROUPS,
    LISTED_STATUSES,
    OUTCOMES,
    PLACEMENTS,
    PREMISES,
    PROVIDERS,
    RESULTS,
    SECTORS,
    SERVICES,
    STAFF,
    SUCCESS_OUTCOMES,
    TRUE_WORDS,
    Column,
    FileSpec,
)

SLUG_RE = r"[a-z0-9][a-z0-9-]{1,62}"
ORGNR_RE = r"[0-9]{6}-[0-9]{4}"
# https only, a host with a dot and a real-looking top-level domain, no spaces.
URL_RE = (
    r"https://(?:[^\W_](?:[\w-]{0,61}[^\W_])?\.)+(?:[^\W\d_]{2,63}|xn--[a-z0-9-]{1,59})\.?"
    r"(?::[0-9]{1,5})?(?:[/?#][^\s\x00-\x1f\x7f<>\"]*)?"
)
_EMAIL_PART = r"[^@\s<>\"\x00-\x1f\x7f]"
EMAIL_RE = rf"{_EMAIL_PART}+@(?:[^@\s<>\"\x00-\x1f\x7f.]+\.)+[^@\s<>\"\x00-\x1f\x7f.]{{2,}}"
DATE_SHAPE_RE = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"
DATE_RANGE_RE = r"(?:19|2[01])[0-9]{2}-[0-9]{2}-[0-9]{2}"
INT_RE = r"[+-]?[0-9]{1,15}"
FLOAT_RE = r"[+-]?(?:[0-9]{1,15}(?:[.,][0-9]{0,15})?|[.,][0-9]{1,15})"
POSTCODE_RE = r"([0-9]{3}) ?([0-9]{2})"
LANG_RE = re.compile(r"[a-z]{2}")
CONTROL_RE = r"[\x00-\x1f\x7f-\x9f]"
HTML_TAG_RE = r"<[A-Za-z!/?][^<>]*>"
# Characters that change what a reader sees without being seen: direction
# overrides and isolates, zero-width spaces and joiners, fillers that look like
# nothing. Three providers could otherwise all look like "Nacka SFI-center AB".
# A zero-width non-joiner or joiner between two letters is how Persian and other
# scripts write some words, so only a stray one is refused.
_INVISIBLE = (
    "\u061c\u115f\u1160\u200b\u200e\u200f\u202a-\u202e\u2060-\u2069\u2800\u3164\ufeff\uffa0"
)
INVISIBLE_RE = rf"[{_INVISIBLE}]|(?<!\w)[\u200c\u200d]|[\u200c\u200d](?!\w)"
# Every CONTROL_RE, HTML_TAG_RE or INVISIBLE_RE match has one of these.
SUSPECT_TEXT_RE = rf"[\x00-\x1f\x7f-\x9f<{_INVISIBLE}\u200c\u200d]"

_CODE_KINDS = {SERVICES: "service code", SECTORS: "sector code"}

Message = Callable[[str], str]
Failures = list[tuple[pd.Series, Message]]


def load_and_validate(
    folder: Path, *, max_file_bytes: int = MAX_FILE_BYTES, today: dt.date | None = None
) -> Dataset:
    """load_folder + validate; raises InvalidData (all problems, capped) if anything is wrong.
    ``today`` is the build's date (dates after it are refused); the clock's by default."""
    problems = ProblemList()
    # The records are millions of small lists and strings until validate() has
    # typed them: the collector would walk them all, again and again, for
    # nothing (they hold no cycles): seconds at national scale.
    with gc_paused():
        raw = load_folder(Path(folder), problems, max_file_bytes=max_file_bytes)
        dataset = validate(raw, problems, today=today)
        del raw
    if problems:
        raise InvalidData(_in_reading_order(problems.items), problems.dropped)
    return dataset


def _in_reading_order(items: list[Problem]) -> list[Problem]:
    """Group problems by file (in the order files were read), then by line.

    Checks run column by column, so without this one row's problems would be
    scattered through the list.
    """
    rank: dict[str, int] = {}
    for p in items:
        rank.setdefault(p.file, len(rank))
    return sorted(items, key=lambda p: (rank[p.file], p.line or 0))


def validate(raw: RawData, problems: ProblemList, *, today: dt.date | None = None) -> Dataset:
    """Type every table of ``raw``; add a problem for every contract rule broken."""
    with gc_paused():
        tables = {
            spec.name: _check_table(raw.tables.get(spec.name), spec, problems) for spec in FILES
        }
        _check_references(tables, raw, problems)
        today = today or dt.date.today()
        _check_results(tables[RESULTS.name], problems, today)
        _check_staff(tables[STAFF.name], problems)
        _check_status(tables[PROVIDERS.name], problems, today)
        _check_not_after(tables[FOLLOW_UPS.name], "date", problems, today)
        for spec in (COMPLAINTS, PLACEMENTS):
            _check_year_not_after(tables[spec.name], problems, today)
        frames = {name: t.frame() for name, t in tables.items()}
    results = frames[RESULTS.name]
    return Dataset(
        providers=frames[PROVIDERS.name],
        premises=frames[PREMISES.name],
        staff=frames[STAFF.name],
        groups=frames[GROUPS.name],
        results=results,
        follow_ups=frames[FOLLOW_UPS.name],
        follow_ups_given=tables[FOLLOW_UPS.name].loaded,
        complaints=frames[COMPLAINTS.name],
        complaints_given=tables[COMPLAINTS.name].loaded,
        employer_placements=frames[PLACEMENTS.name],
        texts=dict(raw.texts),
        data_date=_data_date(results),
    )


def _data_date(results: pd.DataFrame) -> dt.date | None:
    latest = pd.concat([results["start_date"], results["end_date"]]).max()
    return None if pd.isna(latest) else latest.date()


# ------------------------------------------------------------------ one table


@dataclass
class _Table:
    """One file's columns: the raw strings, the typed values, and which cells failed."""

    spec: FileSpec
    display: str
    lines: np.ndarray
    loaded: bool
    complete: bool = False  # loaded with every row (none skipped for a wrong cell count)
    raw: dict[str, pd.Series] = field(default_factory=dict)  # object dtype, "" = blank
    typed: dict[str, pd.Series] = field(default_factory=dict)
    bad: dict[str, pd.Series] = field(default_factory=dict)  # a problem was reported
    filled_cells: dict[str, pd.Series] = field(default_factory=dict)  # not blank

    def has(self, *names: str) -> bool:
        return all(name in self.raw for name in names)

    def filled(self, name: str) -> pd.Series:
        return self.filled_cells[name]

    def good(self, name: str) -> pd.Series:
        """Cells that are filled in and passed their column's checks."""
        return self.filled(name) & ~self.bad[name]

    def report(
        self, problems: ProblemList, mask: pd.Series | np.ndarray, column: str, message: Message
    ) -> None:
        positions = np.flatnonzero(np.asarray(mask, dtype=bool))
        if len(positions):
            values = self.raw[column].to_numpy()[positions]
            add_problems(problems, self.display, self.lines[positions], column, values, message)

    def frame(self) -> pd.DataFrame:
        n = len(self.lines)
        data = {
            col.name: self.typed[col.name] if col.name in self.typed else _all_blank(col, n)
            for col in self.spec.columns
        }
        data["line"] = pd.Series(self.lines, dtype="int64")
        return pd.DataFrame(data, index=pd.RangeIndex(n))


def _check_table(table: RawTable | None, spec: FileSpec, problems: ProblemList) -> _Table:
    if table is None:
        return _Table(spec, spec.name, np.array([], dtype=np.int64), loaded=False)
    lines = np.asarray(table.lines, dtype=np.int64)
    t = _Table(spec, table.display, lines, loaded=True, complete=not table.skipped_lines)
    # Every row has one cell per header name (the loader dropped the others), so
    # the rows form a grid; its columns are cheap slices.
    grid = np.empty((len(table.rows), len(table.header)), dtype=object)
    if table.rows:
        grid[:] = table.rows
    positions = table.column_positions()
    for col in spec.columns:
        position = positions.get(col.name)
        if position is None:
            continue  # the loader reported the missing column
        t.raw[col.name] = pd.Series(
            grid[:, position], dtype=object, index=pd.RangeIndex(len(lines))
        )
        _check_column(t, col, problems)
    _check_key(t, problems)
    return t


def _check_column(t: _Table, col: Column, problems: ProblemList) -> None:
    """Check and type one column, working on its distinct values.

    Most columns of a big results file hold a handful of distinct values (codes,
    yes/no, a few thousand dates), so the checks run on those and the answers are
    spread back to the rows by position.
    """
    s = t.raw[col.name]
    codes, uniques = pd.factorize(s.to_numpy(dtype=object))
    distinct = pd.Series(uniques, dtype=object)
    filled_distinct = (distinct != "").to_numpy(dtype=bool)
    filled = filled_distinct[codes]
    t.filled_cells[col.name] = pd.Series(filled, index=s.index)
    if col.required:
        t.report(problems, ~filled, col.name, lambda _: "the cell is empty; a value is required")
    typed, failures = _CONVERTERS[col.type](distinct, col)
    bad = np.zeros(len(distinct), dtype=bool)
    for mask, message in failures:
        first = mask.fillna(False).to_numpy(dtype=bool) & filled_distinct & ~bad
        t.report(problems, first[codes], col.name, message)  # one problem per cell
        bad |= first
    t.typed[col.name] = typed.take(codes).set_axis(s.index)
    t.bad[col.name] = pd.Series(bad[codes] | (~filled if col.required else False), index=s.index)


def _check_key(t: _Table, problems: ProblemList) -> None:
    """Report the second and later rows with the same key, naming the first line."""
    key = list(t.spec.key)
    if not key or not t.has(*key) or not len(t.lines):
        return
    usable = np.logical_and.reduce([t.good(name).to_numpy() for name in key])
    frame = pd.DataFrame({name: t.raw[name] for name in key})[usable]
    duplicate = frame.duplicated(keep="first")
    if not duplicate.any():
        return
    positions = frame.index.to_numpy()
    first = (
        pd.Series(positions, index=frame.index)
        .groupby([frame[name] for name in key], sort=False)
        .transform("first")
    )
    rows = frame.index[duplicate.to_numpy()]
    last, others = key[-1], key[:-1]

    def message(row: int) -> str:
        where = "".join(
            f"{' for' if i == 0 else ' and'} {name} {_q(t.raw[name].iat[row])}"
            for i, name in enumerate(others)
        )
        first_line = t.lines[first.loc[row]]
        return f"duplicate {last} {_q(t.raw[last].iat[row])}{where} (first on line {first_line})"

    add_problems(problems, t.display, t.lines[rows], last, list(rows), message)


def _all_blank(col: Column, n: int) -> pd.Series:
    """A typed column for a column that is missing from its file."""
    if col.type in ("codes", "langs"):
        return pd.Series([()] * n, dtype=object)
    return pd.Series([pd.NA] * n, dtype=_DTYPES[col.type])


# ------------------------------------------------------------- column types


def _q(value: object) -> str:
    return f"'{short_value(str(value))}'"


def _match(s: pd.Series, pattern: str) -> pd.Series:
    return s.str.fullmatch(pattern).fillna(False).astype(bool)


def _as_string(s: pd.Series, ok: pd.Series) -> pd.Series:
    return s.where(ok).astype("string")


def _slug(s: pd.Series, col: Column) -> tuple[pd.Series, Failures]:
    shaped = _match(s, SLUG_RE)
    # The open data names all providers together 'all'.
    reserved = shaped & (s == "all")
    ok = shaped & ~reserved
    return _as_string(s, ok), [
        (
            ~shaped,
            lambda v: (
                f"{_q(v)} is not a valid id; use 2 to 63 characters a-z, 0-9 and '-', "
                "starting with a letter or digit"
            ),
        ),
        (reserved, lambda v: "'all' is reserved for all providers together; choose another id"),
    ]


def _text(s: pd.Series, col: Column) -> tuple[pd.Series, Failures]:
    # One cheap pass finds the few cells worth the two detailed searches (a
    # record_id column has a million distinct values).
    suspect = s.str.contains(SUSPECT_TEXT_RE, regex=True).to_numpy(dtype=bool)
    control = pd.Series(False, index=s.index)
    html = pd.Series(False, index=s.index)
    invisible = pd.Series(False, index=s.index)
    if suspect.any():
        control[suspect] = s[suspect].str.contains(CONTROL_RE, regex=True)
        html[suspect] = s[suspect].str.contains(HTML_TAG_RE, regex=True)
        invisible[suspect] = s[suspect].str.contains(INVISIBLE_RE, regex=True) & ~control[suspect]
    failures: Failures = [
        (
            control,
            lambda _: "contains a line break or control character; use plain text on one line",
        ),
        (html, lambda v: f"{_q(v)} looks like HTML; use plain text"),
        (
            invisible,
            lambda v: (
                f"contains an invisible or direction-changing character ({_invisible_in(v)}); "
                "type the text again without it"
            ),
        ),
    ]
    too_long = pd.Series(False, index=s.index)
    if col.max_length is not None:
        limit = col.max_length
        too_long = s.str.len() > limit
        failures.append(
            (too_long, lambda v: f"{_q(v)} is {len(v)} characters long; use at most {limit}")
        )
    ok = (s != "") & ~control & ~html & ~invisible & ~too_long
    return _as_string(s, ok), failures


def _invisible_in(value: str) -> str:
    """The first invisible character of a value, named by its code point."""
    found = re.search(INVISIBLE_RE, value)
    return f"U+{ord(found.group(0)):04X}" if found else "?"


def _orgnr(s: pd.Series, col: Column) -> tuple[pd.Series, Failures]:
    shaped = _match(s, ORGNR_RE)
    checks = {v: luhn_ok(v.replace("-", "")) for v in s[shaped].unique()}
    luhn = shaped & s.map(lambda v: checks.get(v, True)).astype(bool)
    return _as_string(s, luhn), [
        (~shaped, lambda v: f"{_q(v)} is not an organisation number; use NNNNNN-NNNN"),
        (
            shaped & ~luhn,
            lambda v: f"{_q(v)} has a wrong check digit; check the organisation number",
        ),
    ]


def luhn_ok(digits: str) -> bool:
    """The Luhn check used by Swedish organisation and personal identity numbers."""
    total = 0
    for i, ch in enumerate(digits):
        d = int(ch) * (2 if i % 2 == len(digits) % 2 else 1)
        total += d - 9 if d > 9 else d
    return total % 10 == 0


def _url(s: pd.Series, col: Column) -> tuple[pd.Series, Failures]:
    ok = _match(s, URL_RE)
    plain_http = s.str.lower().str.startswith("http://").fillna(False).astype(bool)
    return _as_string(s, ok), [
        (plain_http, lambda v: f"{_q(v)} is not secure; use an https:// address"),
        (~ok, lambda v: f"{_q(v)} is not a web address; use https://host/path"),
    ]


def _email(s: pd.Series, col: Column) -> tuple[pd.Series, Failures]:
    ok = _match(s, EMAIL_RE) & (s.str.len() <= 254)
    return _as_string(s, ok), [
        (~ok, lambda v: f"{_q(v)} is not an e-mail address; use name@example.se")
    ]


def _date(s: pd.Series, col: Column) -> tuple[pd.Series, Failures]:
    shaped = _match(s, DATE_SHAPE_RE)
    in_range = _match(s, DATE_RANGE_RE)
    dates = pd.to_datetime(s.where(in_range), format="%Y-%m-%d", errors="coerce")
    dates = dates.astype("datetime64[ns]")
    return dates, [
        (shaped & ~in_range, lambda v: f"{_q(v)} is out of range; use a year from 1900 to 2199"),
        (dates.isna(), lambda v: f"{_q(v)} is not a date; use YYYY-MM-DD"),
    ]


def _bool(s: pd.Series, col: Column) -> tuple[pd.Series, Failures]:
    lower = s.str.lower()
    true, false = lower.isin(TRUE_WORDS), lower.isin(FALSE_WORDS)
    typed = pd.Series(pd.NA, index=s.index, dtype="boolean")
    typed[true] = True
    typed[false] = False
    return typed, [
        (
            ~(true | false),
            lambda v: f"{_q(v)} is not a boolean; use yes/no (ja/nej, true/false, 1/0)",
        )
    ]


def _number(s: pd.Series, col: Column, whole: bool) -> tuple[pd.Series, Failures]:
    pattern = INT_RE if whole else FLOAT_RE
    ok = _match(s, pattern)
    text = s.where(ok)
    if not whole:
        text = text.str.replace(",", ".", regex=False)
    values = pd.to_numeric(text, errors="coerce")
    out_of_range = pd.Series(False, index=s.index)
    if col.min is not None:
        out_of_range |= values < col.min
    if col.max is not None:
        out_of_range |= values > col.max
    values = values.where(ok & ~out_of_range)
    kind = "a whole number" if whole else "a number"
    example = "digits only, e.g. 12" if whole else "digits with a decimal point, e.g. 59.31"
    range_text = _range_text(col, kind)
    return values.astype("Int64" if whole else "Float64"), [
        (~ok, lambda v: f"{_q(v)} is not {kind}; use {example}"),
        (out_of_range, lambda v: f"{_q(v)} is out of range; use {range_text}"),
    ]


def _range_text(col: Column, kind: str) -> str:
    def show(x: float) -> str:
        return str(int(x)) if float(x).is_integer() else str(x)

    if col.min is not None and col.max is not None:
        return f"{kind} from {show(col.min)} to {show(col.max)}"
    if col.min is not None:
        return f"{kind} of at least {show(col.min)}"
    if col.max is not None:
        return f"{kind} of at most {show(col.max)}"
    return kind


def _int(s: pd.Series, col: Column) -> tuple[pd.Series, Failures]:
    return _number(s, col, whole=True)


def _float(s: pd.Series, col: Column) -> tuple[pd.Series, Failures]:
    return _number(s, col, whole=False)


def _code(s: pd.Series, col: Column) -> tuple[pd.Series, Failures]:
    if "yes" in col.codes and "no" in col.codes:
        s = _yes_no_words(s)
    ok = s.isin(col.codes)
    allowed = ", ".join(col.codes)
    return _as_string(s, ok), [
        (~ok, lambda v: f"{_q(v)} is not an allowed value; use one of: {allowed}")
    ]


def _yes_no_words(s: pd.Series) -> pd.Series:
    """Read the contract's boolean words as yes/no in a code list that has yes and no.

    step_free_access is yes/no/partly; a Swedish export writes ja/nej there just as
    in the boolean columns, and the contract accepts those words for booleans.
    """
    lower = s.str.lower()
    return s.mask(lower.isin(TRUE_WORDS), "yes").mask(lower.isin(FALSE_WORDS), "no")


def _postcode(s: pd.Series, col: Column) -> tuple[pd.Series, Failures]:
    ok = _match(s, POSTCODE_RE)
    normalised = s.where(ok).str.replace(f"^{POSTCODE_RE}$", r"\1 \2", regex=True)
    return normalised.astype("string"), [
        (~ok, lambda v: f"{_q(v)} is not a postcode; use NNN NN, e.g. 131 81")
    ]


def _list(
    s: pd.Series, parse: Callable[[str], tuple[tuple[str, ...], str | None]]
) -> tuple[pd.Series, Failures]:
    """A ';'-separated list column, parsed once per distinct cell value."""
    parsed = {v: parse(v) for v in s.unique()}
    typed = pd.Series([parsed[v][0] for v in s], index=s.index, dtype=object)
    failed = s.map(lambda v: parsed[v][1] is not None).astype(bool)
    return typed, [(failed, lambda v: parsed[v][1] or "")]


def _split(value: str) -> list[str]:
    return [item for item in (part.strip() for part in value.split(";")) if item]


def _first_repeat(items: list[str]) -> str | None:
    seen: set[str] = set()
    for item in items:
        if item in seen:
            return item
        seen.add(item)
    return None


def _codes(s: pd.Series, col: Column) -> tuple[pd.Series, Failures]:
    kind = _CODE_KINDS.get(col.codes, "code")
    allowed = ", ".join(col.codes)

    def parse(value: str) -> tuple[tuple[str, ...], str | None]:
        items = _split(value)
        if not value:
            return (), None
        if not items:
            return (), f"{_q(value)} lists no {kind}; use one or more of: {allowed}"
        unknown = [item for item in items if item not in col.codes]
        if unknown:
            hint = " (separate codes with ';')" if "," in unknown[0] else ""
            return (), (
                f"{_q(value)} contains an unknown {kind} {_q(unknown[0])}; allowed: {allowed}{hint}"
            )
        repeat = _first_repeat(items)
        if repeat is not None:
            return (), f"{_q(value)} lists {_q(repeat)} twice; give each {kind} once"
        return tuple(items), None

    return _list(s, parse)


def _langs(s: pd.Series, col: Column) -> tuple[pd.Series, Failures]:
    def parse(value: str) -> tuple[tuple[str, ...], str | None]:
        items = _split(value)
        wrong = [item for item in items if not LANG_RE.fullmatch(item)]
        if wrong or (value and not items):
            shown = f" contains {_q(wrong[0])}, which" if wrong else ""
            return (), (
                f"{_q(value)}{shown} is not a list of two-letter ISO 639-1 language codes; "
                "use lowercase codes separated by ';', e.g. sv;en;ar"
            )
        repeat = _first_repeat(items)
        if repeat is not None:
            return (), f"{_q(value)} lists {_q(repeat)} twice; give each language once"
        return tuple(items), None

    return _list(s, parse)


def _hours(s: pd.Series, col: Column) -> tuple[pd.Series, Failures]:
    """Free text, or opening hours as data (hours.py) that must then be readable."""
    typed, failures = _text(s, col)
    wrong = s.map(lambda v: bool(_hours_error(str(v)))).astype(bool)
    failures.append(
        (wrong, lambda v: f"{_hours_error(v)} (opening hours as data: see data/README.md)")
    )
    return typed.mask(wrong, pd.NA), failures


def _hours_error(value: str) -> str:
    try:
        hours.parse(value)
    except hours.HoursError as err:
        return str(err)
    return ""


_CONVERTERS: dict[str, Callable[[pd.Series, Column], tuple[pd.Series, Failures]]] = {
    "slug": _slug,
    "text": _text,
    "hours": _hours,
    "orgnr": _orgnr,
    "url": _url,
    "email": _email,
    "date": _date,
    "bool": _bool,
    "int": _int,
    "float": _float,
    "code": _code,
    "codes": _codes,
    "langs": _langs,
    "postcode": _postcode,
}

_DTYPES = {
    "slug": "string",
    "text": "string",
    "hours": "string",
    "orgnr": "string",
    "url": "string",
    "email": "string",
    "code": "string",
    "postcode": "string",
    "date": "datetime64[ns]",
    "bool": "boolean",
    "int": "Int64",
    "float": "Float64",
}


# ------------------------------------------------------------- across columns


def _check_references(tables: dict[str, _Table], raw: RawData, problems: ProblemList) -> None:
    """provider_id everywhere must exist in providers.csv; listed providers need premises."""
    providers = tables[PROVIDERS.name]
    if not providers.complete or not providers.has("provider_id"):
        return  # already reported; every reference would be a second, misleading problem
    known = set(providers.raw["provider_id"][providers.good("provider_id")])
    for spec in FILES:
        t = tables[spec.name]
        if spec is not PROVIDERS and t.has("provider_id"):
            unknown = t.good("provider_id") & ~t.raw["provider_id"].isin(known)
            t.report(
                problems,
                unknown,
                "provider_id",
                lambda v: (
                    f"{_q(v)} is not a provider_id in providers.csv; add the provider "
                    "there or correct the id"
                ),
            )
    _check_premises_exist(providers, tables[PREMISES.name], problems)
    for (provider_id, _lang), path in sorted(raw.text_paths.items()):
        if provider_id not in known:
            problems.add(
                path,
                None,
                None,
                f"the folder {_q(provider_id)} is not a provider_id in providers.csv; "
                "provider texts go in texts/<provider_id>/<lang>.md",
            )


def _check_premises_exist(providers: _Table, premises: _Table, problems: ProblemList) -> None:
    if not premises.complete or not premises.has("provider_id") or not providers.has("status"):
        return
    with_premises = set(premises.raw["provider_id"])
    listed = providers.good("provider_id") & providers.raw["status"].isin(LISTED_STATUSES)
    lacking = listed & ~providers.raw["provider_id"].isin(with_premises)
    status = providers.raw["status"]
    providers.report(
        problems,
        lacking,
        "provider_id",
        lambda v: (
            f"{_q(v)} is listed ({status[providers.raw['provider_id'] == v].iat[0]}) "
            "but has no row in premises.csv; add at least one premises"
        ),
    )


def _check_not_after(t: _Table, name: str, problems: ProblemList, today: dt.date) -> None:
    if t.has(name):
        future = (t.typed[name] > pd.Timestamp(today)).fillna(False).astype(bool)
        t.report(
            problems,
            future,
            name,
            lambda v: (
                f"{_q(v)} is after the day of the build ({today.isoformat()}); "
                "dates from the future are refused"
            ),
        )


def _check_year_not_after(t: _Table, problems: ProblemList, today: dt.date) -> None:
    if t.has("year"):
        t.report(
            problems,
            (t.typed["year"] > today.year).fillna(False).astype(bool),
            "year",
            lambda v: f"{_q(v)} is after the year of the build ({today.year})",
        )


def _check_status(t: _Table, problems: ProblemList, today: dt.date) -> None:
    """A status date and reason belong to a paused or deauthorised provider only."""
    _check_not_after(t, "status_since", problems, today)
    if not t.has("status"):
        return
    active = (t.raw["status"] == "active").to_numpy(dtype=bool)
    for name in ("status_since", "status_reason"):
        if t.has(name):
            t.report(
                problems,
                active & t.filled(name).to_numpy(dtype=bool),
                name,
                lambda _: (
                    "the provider is active; a status date and reason are given only for a "
                    "paused or deauthorised provider"
                ),
            )


def _check_results(t: _Table, problems: ProblemList, today: dt.date) -> None:
    """The life of a record: ongoing records have no end data; ended ones have a reason;
    nothing has happened after the day of the build."""
    # A date from the future (a typo, a planned start) would move every
    # headline period to a year that has not happened.
    for name in ("start_date", "end_date"):
        _check_not_after(t, name, problems, today)
    if not t.has("end_date"):
        return  # already reported; every rule here hangs on end_date
    ended = t.filled("end_date")
    if t.has("start_date"):
        before = (t.typed["end_date"] < t.typed["start_date"]).fillna(False).astype(bool)
        t.report(
            problems,
            before,
            "end_date",
            lambda v: f"{_q(v)} is before start_date; end_date must be on or after start_date",
        )
    if t.has("end_reason"):
        reasons = ", ".join(END_REASONS)
        t.report(
            problems,
            ended & ~t.filled("end_reason"),
            "end_reason",
            lambda _: (
                f"the cell is empty but end_date is set; an ended record needs one of: {reasons}"
            ),
        )
    for name in ("end_reason", "outcome", "outcome_6m", "satisfaction_end", "grade"):
        if t.has(name):
            t.report(
                problems,
                ~ended & t.filled(name),
                name,
                lambda v, name=name: (
                    f"{_q(v)} is set but end_date is blank; {name} is only for "
                    "ended records (fill in end_date or leave this blank)"
                ),
            )
    if t.has("outcome", "outcome_6m"):
        outcome = t.raw["outcome"]
        # An unknown outcome code is its own problem; only a known non-success counts here.
        not_success = (outcome == "") | (outcome.isin(OUTCOMES) & ~outcome.isin(SUCCESS_OUTCOMES))
        t.report(
            problems,
            ended & t.filled("outcome_6m") & not_success,
            "outcome_6m",
            lambda v: (
                f"{_q(v)} is set but outcome is not work, studies or own_business; "
                "outcome_6m is only for records that ended in a success"
            ),
        )


def _check_staff(t: _Table, problems: ProblemList) -> None:
    """with_degree and certified count people among the headcount; coaches have no certified."""
    if not t.has("role", "headcount"):
        return
    headcount = t.typed["headcount"]
    coach = t.raw["role"] == "coach"
    for name in ("with_degree", "certified"):
        if not t.has(name):
            continue
        over = (t.typed[name] > headcount).fillna(False).astype(bool)
        if name == "certified":
            over &= ~coach  # a coach's certified cell gets its own problem below
        t.report(
            problems,
            over,
            name,
            lambda v, name=name: (
                f"{_q(v)} is more than headcount; {name} counts people among the headcount"
            ),
        )
    if not t.has("certified"):
        return
    t.report(
        problems,
        coach & t.filled("certified"),
        "certified",
        lambda v: (
            f"{_q(v)} is set for a coach; leave certified blank for coaches "
            "(it counts teacher certifications)"
        ),
    )
