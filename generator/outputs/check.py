"""Post-build checks over the finished site, before it is published.

Each check returns a list of problems (empty when all is well); any problem
fails the build or the nightly run, so a broken or leaking site never goes live.
"""

from __future__ import annotations

import contextlib
import csv
import functools
import gzip
import hashlib
import html
import io
import json
import multiprocessing
import os
import posixpath
import re
import zipfile
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

import numpy as np

from generator.compute import registry
from generator.files import walk_files
from generator.ingest.identity import has_personnummer
from generator.outputs.opendata import neutralise
from generator.pages import addresses, marks
from generator.store import Store

TEXT_SUFFIXES = {".html", ".svg", ".json", ".csv", ".css", ".js", ".xml", ".txt"}
_CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)")


@dataclass(frozen=True)
class CheckProblem:
    check: str
    file: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.message} [{self.check}]"


# The pages are our own templates' output (double-quoted attributes, escaped
# text), so a regular expression reads them reliably and far faster than a parser.
_TAG_RE = re.compile(r"<(a|link|script|img|source|iframe|form)\b([^>]*)>", re.IGNORECASE)
_ATTR_RE = re.compile(r'\b(href|src|rel)="([^"]*)"')
_LANG_RE = re.compile(r'<html\b[^>]*\blang="([^"]*)"')
# A count of people that is no figure (marks.people): a literal start, scanned 30
# times faster. A figure's own count is read from its mark (marks.py).
_DATA_N_RE = re.compile(r'<span data-n="([^"]*)"')
_STAFF_N_RE = re.compile(r'<span data-staff-n="([^"]*)"')
_SEP = "\0"  # between a page's links: no attribute value holds it
_FIELD_SEP = "\1"  # between a figure mark's parts


@dataclass
class _PageScan:
    # Every link of the page in one string (see links()): the scans of every
    # page are kept between builds, and millions of small strings made that
    # file several times slower to write and read.
    joined_refs: str
    lang: str | None
    joined_ns: str  # every count of people of the page (marks.people), the same way
    personnummer: bool = False  # something shaped like a personal identity number
    joined_marks: str = ""  # every figure mark (marks.py), the same way
    joined_staff_ns: str = ""  # every head count of staff (marks.staff), the same way

    def marks(self) -> Iterator[tuple[str, dict[str, str]]]:
        for mark in self.joined_marks.split(_SEP) if self.joined_marks else []:
            fig, *fields = mark.split(_FIELD_SEP)
            yield fig, dict(f.split("=", 1) for f in fields)

    def links(self) -> list[str]:
        return self.joined_refs.split(_SEP) if self.joined_refs else []

    def ns(self) -> list[str]:
        return self.joined_ns.split(_SEP) if self.joined_ns else []

    def staff_ns(self) -> list[str]:
        return self.joined_staff_ns.split(_SEP) if self.joined_staff_ns else []


def _joined_marks(found: Iterator[tuple[str, dict[str, str]]]) -> str:
    return _SEP.join(
        _FIELD_SEP.join([fig, *(f"{f}={v}" for f, v in fields.items())]) for fig, fields in found
    )


def _scan_text(text: str, is_html: bool, is_json: bool = False) -> _PageScan:
    refs: list[str] = []
    lang = None
    ns: list[str] = []
    staff_ns: list[str] = []
    figure_marks: Iterator[tuple[str, dict[str, str]]] = iter(())
    if is_html:
        for _tag, attrs in _TAG_RE.findall(text):
            found = dict(_ATTR_RE.findall(attrs))
            if found.get("rel") in ("alternate", "canonical"):
                continue
            refs += [html.unescape(found[k]) for k in ("href", "src") if found.get(k)]
        match = _LANG_RE.search(text)
        lang = match.group(1) if match else None
        ns = _DATA_N_RE.findall(text)
        staff_ns = _STAFF_N_RE.findall(text)
        figure_marks = marks.read(text)
    elif is_json and ("data-fig" in text or '"fig"' in text):
        with contextlib.suppress(ValueError):
            figure_marks = marks.read_json(json.loads(text))
    return _PageScan(
        _SEP.join(refs), lang, _SEP.join(ns), has_personnummer(text), _joined_marks(figure_marks),
        _SEP.join(staff_ns),
    )


def _published_text(path: Path, data: bytes) -> str | None:
    """The text of a file a person or program could read, the Pagefind index
    included (its files are gzip-compressed); None for other files."""
    if path.suffix in TEXT_SUFFIXES:
        return data.decode("utf-8", errors="replace")
    if path.suffix.startswith(".pf_"):
        with contextlib.suppress(OSError):  # not every index file is compressed
            data = gzip.decompress(data)
        return data.decode("utf-8", errors="replace")
    return None


def _scan_batch(names: list[str]) -> list[tuple[str, _PageScan | None]]:
    """(path, scan) for each path; the scan is None for files that are not text."""
    out: list[tuple[str, _PageScan | None]] = []
    for name in names:
        path = Path(name)
        text = _published_text(path, path.read_bytes())
        scan = (
            None
            if text is None
            else _scan_text(text, path.suffix == ".html", path.suffix == ".json")
        )
        out.append((name, scan))
    return out


_STATE_VERSION = 6  # raised whenever _State or _PageScan change shape
_TEXT_FIELDS = ("joined_refs", "joined_ns", "joined_marks", "joined_staff_ns")


@dataclass
class _State:
    """What a check run leaves for the next one (the store's entry)."""

    scans: dict[bytes, _PageScan | None] = field(default_factory=dict)  # by digest of bytes
    # Of the last site that passed every check (None when there is none):
    pages: dict[str, bytes] | None = None  # page path -> digest
    files: frozenset[str] | None = None  # every file's path
    linked: frozenset[str] | None = None  # every file some page links to
    k: tuple[int, int] | None = None  # (K, staff K) of the run that left it
    # Sets of figure marks (``_PageScan.joined_marks``, by digest) that passed
    # both audits against the open data with digest ``clean_for`` and these K.
    clean: frozenset[bytes] = frozenset()
    clean_for: bytes = b""

    def to_bytes(self) -> bytes:
        """A NumPy archive of flat arrays: a national site's scans are 80,000
        pages whose marks repeat in every language, so each distinct text is
        written once, and nothing is a Python object per value (never a pickle)."""
        items = list(self.scans.items())
        scans = [scan for _, scan in items if scan is not None]
        arrays: dict[str, np.ndarray] = {
            "version": np.array(_STATE_VERSION),
            "digests": _digest_array([d for d, _ in items]),
            "scanned": np.array([scan is not None for _, scan in items], dtype=bool),
            "personnummer": np.array([scan.personnummer for scan in scans], dtype=bool),
            "has_lang": np.array([scan.lang is not None for scan in scans], dtype=bool),
            "clean": _digest_array(sorted(self.clean)),
            "clean_for": np.frombuffer(self.clean_for, dtype=np.uint8),
            "k": np.array(self.k if self.k is not None else (), dtype=np.int64),
        }
        for name in _TEXT_FIELDS:
            arrays |= _pack(name, [getattr(scan, name) for scan in scans], distinct=True)
        arrays |= _pack("lang", [scan.lang or "" for scan in scans], distinct=True)
        if self.pages is not None:
            arrays |= _pack("pages", list(self.pages))
            arrays["page_digests"] = _digest_array(list(self.pages.values()))
        for name in ("files", "linked"):
            if (paths := getattr(self, name)) is not None:
                arrays |= _pack(name, sorted(paths))
        buffer = io.BytesIO()
        np.savez(buffer, **arrays)
        return buffer.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes) -> _State:
        """The state to_bytes wrote; ValueError, KeyError or TypeError for anything else."""
        with np.load(io.BytesIO(data), allow_pickle=False) as f:
            a = {name: f[name] for name in f.files}
        if int(a["version"]) != _STATE_VERSION:
            raise ValueError("another version")
        digests = _digests(a["digests"])
        scanned = a["scanned"]
        texts = {name: _unpack(a, name) for name in (*_TEXT_FIELDS, "lang")}
        langs = [lang if has else None
                 for lang, has in zip(texts.pop("lang"), a["has_lang"], strict=True)]
        made = iter([
            _PageScan(refs, lang, ns, bool(pnr), joined_marks, staff)
            for refs, lang, ns, pnr, joined_marks, staff in zip(
                texts["joined_refs"], langs, texts["joined_ns"], a["personnummer"],
                texts["joined_marks"], texts["joined_staff_ns"], strict=True,
            )
        ])
        if len(scanned) != len(digests) or int(scanned.sum()) != len(langs):
            raise ValueError("the scans do not match their digests")
        k = a["k"]
        return cls(
            scans={d: next(made) if done else None
                   for d, done in zip(digests, scanned, strict=True)},
            pages=(dict(zip(_unpack(a, "pages"), _digests(a["page_digests"]), strict=True))
                   if "pages_len" in a else None),
            files=frozenset(_unpack(a, "files")) if "files_len" in a else None,
            linked=frozenset(_unpack(a, "linked")) if "linked_len" in a else None,
            k=(int(k[0]), int(k[1])) if len(k) else None,
            clean=frozenset(_digests(a["clean"])),
            clean_for=a["clean_for"].tobytes(),
        )


def _digest_array(digests: list[bytes]) -> np.ndarray:
    return np.frombuffer(b"".join(digests), dtype=np.uint8).reshape(len(digests), 16)


def _digests(array: np.ndarray) -> list[bytes]:
    if array.ndim != 2 or array.shape[1] != 16:
        raise ValueError("not digests")
    return [row.tobytes() for row in array]


def _pack(name: str, texts: list[str], distinct: bool = False) -> dict[str, np.ndarray]:
    """Texts as one UTF-8 array and their lengths; ``distinct`` writes each
    distinct text once, with an index per text."""
    if distinct:
        index: dict[str, int] = {}
        which = np.array([index.setdefault(t, len(index)) for t in texts], dtype=np.int64)
        texts = list(index)
    out = {
        f"{name}_text": np.frombuffer("".join(texts).encode("utf-8"), dtype=np.uint8),
        f"{name}_len": np.array([len(t) for t in texts], dtype=np.int64),
    }
    if distinct:
        out[f"{name}_idx"] = which
    return out


def _unpack(a: dict[str, np.ndarray], name: str) -> list[str]:
    text = a[f"{name}_text"].tobytes().decode("utf-8")
    ends = np.cumsum(a[f"{name}_len"]).tolist()
    if ends and ends[-1] != len(text):
        raise ValueError(f"{name}: the lengths do not match the text")
    texts = [text[start:end] for start, end in zip([0, *ends[:-1]], ends, strict=True)]
    if f"{name}_idx" in a:
        which = a[f"{name}_idx"]
        if len(which) and which.min() < 0:
            raise ValueError(f"{name}: a negative index")
        return [texts[i] for i in which.tolist()]
    return texts


_STATE = "state"  # the store's one entry


def _load_state(store: Store | None) -> _State:
    data = store.get(_STATE) if store is not None else None
    if data is not None:
        try:
            return _State.from_bytes(data)
        except (ValueError, KeyError, TypeError, IndexError, OSError, EOFError,
                zipfile.BadZipFile, UnicodeDecodeError):
            pass  # another version's, or damaged beyond its hash: check everything afresh
    return _State()


def _save_state(store: Store | None, state: _State) -> None:
    if store is not None:
        store.put(_STATE, state.to_bytes())
        store.keep()


@dataclass
class SiteScan:
    """Every published file's scan, by path, and each one's digest."""

    site: Path
    scans: dict[Path, _PageScan]
    digests: dict[str, bytes]  # path relative to the site -> digest of its bytes
    files: frozenset[str]  # every file's path relative to the site


def _digests_of(names: list[str]) -> list[bytes]:
    out = []
    for name in names:
        with open(name, "rb") as f:
            out.append(hashlib.blake2b(f.read(), digest_size=16).digest())
    return out


def scan_site(site: Path, state: _State | None = None, workers: int | None = None) -> SiteScan:
    """Scan every published file once: links, language and data-n of pages, and
    personal-identity-number shapes in every file.

    With ``state`` (from the last check run) a file whose bytes were scanned
    before is not scanned again; every file is read and hashed, which is fast.
    Many files are scanned in worker processes.
    """
    state = state or _State()
    names = sorted(entry.path for entry in walk_files(str(site)))
    prefix = len(str(site)) + 1  # the site's own path and its slash
    workers = workers or os.cpu_count() or 1
    # Reading and hashing let go of the interpreter, so threads share the
    # gigabytes of a national site among the cores; one chunk each, since a
    # task per file costs more than hashing most files.
    size = -(-len(names) // workers) or 1
    with ThreadPoolExecutor(workers) as pool:
        hashed = [d for chunk in pool.map(_digests_of, [
            names[i : i + size] for i in range(0, len(names), size)
        ]) for d in chunk]
    digests: dict[str, bytes] = {}
    todo: list[str] = []
    for name, digest in zip(names, hashed, strict=True):
        digests[name[prefix:]] = digest
        if digest not in state.scans:
            todo.append(name)
    if len(todo) > 2000 and workers > 1:
        size = -(-len(todo) // (workers * 4))
        batches = [todo[i : i + size] for i in range(0, len(todo), size)]
        # spawn: forking a process that has loaded pandas and Pelican is unsafe.
        context = multiprocessing.get_context("spawn")
        with context.Pool(workers) as pool:
            done = [item for batch in pool.map(_scan_batch, batches) for item in batch]
    else:
        done = _scan_batch(todo)
    fresh = dict(done)
    result: dict[Path, _PageScan] = {}
    current: dict[bytes, _PageScan | None] = {}
    for name in names:
        digest = digests[name[prefix:]]
        scan = fresh[name] if name in fresh else state.scans[digest]
        current[digest] = scan  # type: ignore[assignment]
        if scan is not None:
            result[Path(name)] = scan  # type: ignore[assignment]
    state.scans = current
    return SiteScan(site, result, digests, frozenset(digests))


@functools.lru_cache(maxsize=1 << 18)
def _internal(ref: str) -> str | None:
    """The path part of a link inside the site, or None for external links and anchors."""
    parts = urlsplit(ref)
    if parts.scheme or parts.netloc or ref.startswith("#"):
        return None
    return unquote(parts.path) or None


class _Files:
    """Every file in the site, by its path relative to the site root."""

    def __init__(self, site: Path, paths: frozenset[str] | None = None) -> None:
        self.site = site
        if paths is None:
            paths = frozenset(
                p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()
            )
        self.paths = paths

    def resolves(self, base: Path, target: str) -> bool:
        folder = posixpath.dirname(base.relative_to(self.site).as_posix())
        return self.target(folder, target) is not None

    @functools.lru_cache(maxsize=1 << 20)  # noqa: B019 - one _Files per check run
    def target(self, folder: str, ref: str) -> str | None:
        """The file a link from a page in folder leads to; None when there is none.
        Pages in one folder share most of their links (menus, lists, assets):
        each (folder, link) pair is worked out once."""
        joined = posixpath.normpath(posixpath.join(folder, ref))
        if joined.startswith(".."):
            return None
        if ref.endswith("/"):
            joined = posixpath.join(joined, "index.html")
        return joined if joined in self.paths else None


def _page_links(
    site: Path, page: Path, scan: _PageScan, files: _Files, linked: set[str]
) -> list[CheckProblem]:
    folder = posixpath.dirname(page.relative_to(site).as_posix())
    problems = []
    for ref in scan.links():
        target = _internal(ref)
        if not target:
            continue
        found = files.target(folder, target)
        if found is None:
            problems.append(
                CheckProblem("links", str(page.relative_to(site)), f"broken link {ref!r}")
            )
        else:
            linked.add(found)
    return problems


def check_links(
    site: Path, scanned: SiteScan | None = None, state: _State | None = None
) -> list[CheckProblem]:
    """Every internal link and asset resolves (HTML href/src, CSS url()).

    With ``state`` from a run whose site passed, a page with the same path and
    bytes as then is only looked at again if a file it could link to is gone:
    its links all resolved, and relative links depend only on the page's place.
    """
    scanned = scanned or scan_site(site)
    files = _Files(site, scanned.files)
    last_pages = state.pages if state is not None and state.pages is not None else {}
    gone: list[str] = []
    if state is not None and state.files is not None and state.linked is not None:
        gone = sorted((state.files - scanned.files) & state.linked)
    # A link to a file that is gone ends in its name (or the name of its folder).
    gone_names = {posixpath.basename(g) for g in gone} | {
        posixpath.basename(posixpath.dirname(g)) + "/" for g in gone if g.endswith("/index.html")
    }
    gone_names |= {quote(name) for name in gone_names}
    linked: set[str] = set(state.linked - set(gone)) if state and state.linked else set()
    problems = []
    for page, scan in _pages(scanned.scans).items():
        rel = page.relative_to(site).as_posix()
        if last_pages.get(rel) == scanned.digests[rel] and not any(
            name in scan.joined_refs for name in gone_names
        ):
            continue
        problems += _page_links(site, page, scan, files, linked)
    for sheet in sorted(site.rglob("*.css")):
        for ref in _CSS_URL.findall(sheet.read_text(encoding="utf-8")):
            target = _internal(ref)
            if target and not files.resolves(sheet, target):
                problems.append(
                    CheckProblem("links", str(sheet.relative_to(site)), f"missing asset {ref!r}")
                )
    if state is not None:
        state.linked = frozenset(linked)
    return problems


def _scan_all(site: Path) -> dict[Path, _PageScan]:
    return scan_site(site).scans


def _pages(scans: dict[Path, _PageScan]) -> dict[Path, _PageScan]:
    return {p: s for p, s in scans.items() if p.suffix == ".html"}


def check_lang(site: Path, scans: dict[Path, _PageScan] | None = None) -> list[CheckProblem]:
    """Every page says which language it is in."""
    scans = scans if scans is not None else _scan_all(site)
    return [
        CheckProblem("lang", str(page.relative_to(site)), "the page has no <html lang>")
        for page, scan in _pages(scans).items()
        if not scan.lang
    ]


def _too_small(value: object, k: int) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and value < k


@dataclass(frozen=True)
class Thresholds:
    """The fewest records a published number may rest on: K, and the staff
    figures' own (STAFF_DISCLOSURE_K)."""

    k: int
    staff_k: int

    def of(self, indicator: str) -> int:
        return self.staff_k if indicator in registry.STAFF else self.k


@dataclass(frozen=True)
class _OpenData:
    """The rows of the site's data/indicators.csv, read once for every audit."""

    col: dict[str, int]  # column name -> place
    rows: list[list[str]]  # the file's line N is rows[N - 2]

    def base(self, row: list[str]) -> str:
        """What a row's figure rests on: its denominator, or its own value for
        a count (registry.py says which indicators are counts)."""
        indicator = registry.BY_NAME.get(row[self.col["indicator"]])
        counted = indicator is not None and indicator.kind == "count"
        return row[self.col["value" if counted else "denominator"]]


def _read_open_data(site: Path) -> _OpenData | None:
    path = site / "data" / "indicators.csv"
    if not path.is_file():
        return None
    # csv.reader and column places, not DictReader: the file has a row per
    # figure, hundreds of thousands at national scale.
    reader = csv.reader(io.StringIO(path.read_text(encoding="utf-8")))
    col = {name: i for i, name in enumerate(next(reader, []))}
    return _OpenData(col, list(reader))


def _audit_csv(data: _OpenData | None, limits: Thresholds) -> Iterator[CheckProblem]:
    if data is None:
        return
    suppressed = data.col["suppressed"]
    indicator = data.col["indicator"]
    shown = [data.col[c] for c in ("numerator", "denominator", "value", "ci_low", "ci_high")]
    for line, row in enumerate(data.rows, start=2):
        if row[suppressed] == "yes":
            if any(row[i] for i in shown):
                where = f"data/indicators.csv:{line}"
                yield CheckProblem("anonymity", where, "a suppressed row shows figures")
            continue
        base = data.base(row)
        k = limits.of(row[indicator])
        if base and float(base) < k:
            where = f"data/indicators.csv:{line}"
            yield CheckProblem("anonymity", where, f"a published figure rests on fewer than {k}")


def _audit_json(site: Path, limits: Thresholds) -> Iterator[CheckProblem]:
    path = site / "data" / "providers.json"
    if not path.is_file():
        return
    data = json.loads(path.read_text(encoding="utf-8"))
    for p in data.get("providers", []):
        for role, facts in (p.get("staff", {}).get("roles") or {}).items():
            if _too_small(facts.get("headcount"), limits.staff_k):
                yield CheckProblem(
                    "anonymity",
                    "data/providers.json",
                    f"{p['provider_id']}: {role} head count under {limits.staff_k}",
                )
        for g in p.get("group_sizes", {}).get("services") or []:
            for key in ("median_size", "largest_size"):
                if _too_small(g.get(key), limits.k):
                    yield CheckProblem(
                        "anonymity",
                        "data/providers.json",
                        f"{p['provider_id']}: {g['service']} {key} under {limits.k}",
                    )


def _audit_provider_files(site: Path, data: _OpenData | None) -> Iterator[CheckProblem]:
    """Each provider's file holds exactly its rows of indicators.csv under the
    same header, so the disclosure proof over indicators.csv covers it too."""
    folder = site / posixpath.dirname(addresses.provider_data_path("x"))
    if data is None or not folder.is_dir():
        return
    header = list(data.col)
    where_id = data.col["provider_id"]
    by_provider: dict[str, list[list[str]]] = {}
    for row in data.rows:
        by_provider.setdefault(row[where_id], []).append(row)
    for path in sorted(folder.glob("*.csv")):
        rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
        where = path.relative_to(site).as_posix()
        if not rows or rows[0] != header:
            yield CheckProblem("anonymity", where, "not the header of data/indicators.csv")
        elif rows[1:] != by_provider.get(neutralise(path.stem), []):
            yield CheckProblem(
                "anonymity", where, "not exactly the provider's rows of data/indicators.csv"
            )


def _published_figures(data: _OpenData) -> dict[str, dict[str, str]]:
    """Mark key -> {mark field: number as written} for every figure the open
    data publishes."""
    col = data.col
    parts = [col[c] for c in ("provider_id", "year", "indicator", "breakdown")]
    numbers = {field: col[column] for field, column in marks.FIELDS.items() if column != "base"}
    out: dict[str, dict[str, str]] = {}
    for row in data.rows:
        if row[col["suppressed"]] == "yes":
            continue
        fields = {field: row[i] for field, i in numbers.items()}
        fields["n"] = data.base(row)
        out[marks.key(*(row[i] for i in parts))] = fields
    return out


def audit_figures(
    site: Path,
    scans: dict[Path, _PageScan] | None = None,
    data: _OpenData | None = None,
    clean: frozenset[str] = frozenset(),
) -> list[CheckProblem]:
    """Every marked figure in pages and JSON files is a figure the open data
    publishes, with the same numbers (see marks.py). ``clean`` holds sets of
    marks (``_PageScan.joined_marks``) that passed against this same open data
    before: they are not read again."""
    data = data if data is not None else _read_open_data(site)
    if data is None:
        return []
    published = functools.cache(lambda: _published_figures(data))
    scans = scans if scans is not None else _scan_all(site)
    # A page in seven languages carries the same marks (raw numbers, not the
    # language's), so each distinct set is checked once: 45,000 pages of a
    # national site hold about 6,000 of them.
    found: dict[str, list[str]] = {}
    problems: list[CheckProblem] = []
    for path, scan in scans.items():
        if scan is None or not scan.joined_marks:
            continue
        messages = found.get(scan.joined_marks)
        if messages is None:
            messages = found[scan.joined_marks] = (
                [] if scan.joined_marks in clean else _wrong_marks(scan, published())
            )
        where = str(path.relative_to(site))
        problems += [CheckProblem("figures", where, message) for message in messages]
    return problems


def _audited_against(scanned: SiteScan, limits: tuple[int, int]) -> bytes:
    """What the audits of figure marks depend on besides the marks: the open
    data, K and the code that reads both."""
    h = hashlib.blake2b(digest_size=16)
    h.update(scanned.digests.get("data/indicators.csv", b"none"))
    h.update(repr(limits).encode())
    for module in (marks, registry):
        h.update(Path(module.__file__ or "").read_bytes())
    h.update(Path(__file__).read_bytes())
    return h.digest()


def _wrong_marks(scan: _PageScan, published: dict[str, dict[str, str]]) -> list[str]:
    messages = []
    for fig, fields in scan.marks():
        row = published.get(fig)
        if row is None:
            messages.append(f"shows a figure the open data does not publish: {fig}")
            continue
        wrong = sorted(f for f, v in fields.items() if row[f] != v)
        if wrong:
            shown = ", ".join(f"{marks.FIELDS[f]} {fields[f]} (published: {row[f]})" for f in wrong)
            messages.append(f"shows other numbers than the open data for {fig}: {shown}")
    return messages


def audit_anonymity(
    site: Path,
    k: int,
    scans: dict[Path, _PageScan] | None = None,
    data: _OpenData | None = None,
    staff_k: int | None = None,
    clean: frozenset[str] = frozenset(),
) -> list[CheckProblem]:
    """No figure resting on fewer than K records (a staff figure: ``staff_k``
    employees), no personal identity number, anywhere; no provider file with
    other rows than its own of indicators.csv. ``clean``: see audit_figures."""
    limits = Thresholds(k, k if staff_k is None else staff_k)
    scans = scans if scans is not None else _scan_all(site)
    data = data if data is not None else _read_open_data(site)
    problems = (
        list(_audit_csv(data, limits))
        + list(_audit_provider_files(site, data))
        + list(_audit_json(site, limits))
    )
    # The same marks recur in every language: each distinct set is read once.
    marked: dict[str, list[tuple[str, int]]] = {}
    for path, scan in scans.items():
        if scan is None:
            continue
        counts = [(n, k) for n in scan.ns()] + [(n, limits.staff_k) for n in scan.staff_ns()]
        if scan.joined_marks not in marked:
            marked[scan.joined_marks] = [] if scan.joined_marks in clean else [
                (fields["n"], limits.of(fig.split(marks.SEP)[2]))
                for fig, fields in scan.marks()
                if "n" in fields and fig.count(marks.SEP) == 3
            ]
        for n, least in counts + marked[scan.joined_marks]:
            if not n.isdigit() or int(n) < least:
                problems.append(
                    CheckProblem(
                        "anonymity",
                        str(path.relative_to(site)),
                        f"a figure rests on fewer than {least} records",
                    )
                )
    for path, scan in scans.items():
        if scan.personnummer:
            # Never echo the number itself.
            problems.append(
                CheckProblem(
                    "anonymity",
                    str(path.relative_to(site)),
                    "something shaped like a personal identity number",
                )
            )
    return problems


def run_checks(
    site: Path,
    k: int,
    store: Store | None = None,
    staff_k: int | None = None,
) -> list[CheckProblem]:
    """Every check over the finished site.

    ``store`` keeps what the checks learnt between builds: files scanned
    before are not scanned again, and pages unchanged since the last site
    that passed are not link-checked again (see check_links).
    """
    state = _load_state(store)
    limits = (k, k if staff_k is None else staff_k)
    if state.k != limits:
        state = _State()
    scanned = scan_site(site, state)
    open_data = _read_open_data(site)  # read once for both audits
    against = _audited_against(scanned, limits)
    # Each distinct set of marks is hashed once, to be named in the state.
    named = {
        m: hashlib.blake2b(m.encode("utf-8"), digest_size=16).digest()
        for m in {s.joined_marks for s in scanned.scans.values() if s}
    }
    passed_before = state.clean if state.clean_for == against else frozenset()
    clean = frozenset(m for m, digest in named.items() if digest in passed_before)
    problems = (
        check_links(site, scanned, state)
        + check_lang(site, scanned.scans)
        + audit_anonymity(site, k, scanned.scans, open_data, staff_k, clean)
        + audit_figures(site, scanned.scans, open_data, clean)
    )
    passed = not problems
    state.clean = frozenset(named.values()) if passed else frozenset()
    state.clean_for = against if passed else b""
    state.k = limits
    state.pages = (
        {rel: d for rel, d in scanned.digests.items() if rel.endswith(".html")} if passed else None
    )
    state.files = scanned.files if passed else None
    state.linked = state.linked if passed else None
    _save_state(store, state)
    return problems


class ChecksFailed(Exception):
    def __init__(self, problems: list[CheckProblem]) -> None:
        self.problems = problems
        shown = "; ".join(str(p) for p in problems[:10])
        more = f" (and {len(problems) - 10} more)" if len(problems) > 10 else ""
        super().__init__(f"{len(problems)} post-build check(s) failed: {shown}{more}")
