"""Files of the site and of the cache: listing them fast (they number tens of
thousands), writing them atomically, and keeping cache entries that prove
their own bytes before they are used.

The cache is a folder anyone with the build user's rights can write to, and
a disk can damage. So it holds data only (bytes, JSON, NumPy arrays without
pickles: nothing a writer could turn into code), every entry carries a hash
of its bytes that is checked on every read (a damaged entry is dropped, the
thing rebuilt, and the build report says so), and nothing published is a
link to a cache file: a byte changed in the cache never changes a site.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path


def walk_files(folder: str | os.PathLike[str]) -> Iterator[os.DirEntry[str]]:
    """Every file under folder (symbolic links to files included, linked folders
    not entered), in no particular order.

    os.scandir hands over each entry's type with the name, so unlike
    Path.rglob followed by is_file() no file costs a system call of its own.
    """
    try:
        entries = list(os.scandir(folder))
    except FileNotFoundError:
        return
    for entry in entries:
        if entry.is_dir(follow_symlinks=False):
            yield from walk_files(entry.path)
        elif entry.is_file():
            yield entry


def remove_tree(folder: Path, threads: int = 4) -> None:
    """Remove folder and everything in it, several subfolders at a time.

    Removing a national site's 80,000 files one after another took 7 s of a
    night; the file system unlinks in different folders side by side. The
    folders two levels down go first, then those one level down, then the rest.
    """
    if os.path.islink(folder):  # a link to a site: the link goes, never what it leads to
        os.unlink(folder)
        return
    top = _subfolders(str(folder))
    with ThreadPoolExecutor(threads) as pool:
        for level in ([p for t in top for p in _subfolders(t)], top):
            list(pool.map(_remove, level))
    shutil.rmtree(folder, ignore_errors=True)


def _subfolders(folder: str) -> list[str]:
    try:
        return [e.path for e in os.scandir(folder) if e.is_dir(follow_symlinks=False)]
    except OSError:
        return []


def _remove(folder: str) -> None:
    shutil.rmtree(folder, ignore_errors=True)


def count_pages(folder: Path) -> int:
    """How many HTML files are under folder."""
    return sum(1 for entry in walk_files(folder) if entry.name.endswith(".html"))


def write_atomically(path: Path, data: bytes) -> None:
    """Write path in one step (a temporary file renamed over it): a reader, or a
    build interrupted half-way, never sees a half-written cache file. The
    temporary name is the process's own, so two builds that share a cache (the
    proofs kept in the user's cache folder) never write into each other's."""
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    tmp.replace(path)


_ENTRY = b"kundval-cache-entry 1 blake2b-256 "


class Damage:
    """The cache entries one build found damaged and dropped (for its report)."""

    def __init__(self) -> None:
        self.entries: list[str] = []

    def add(self, path: Path) -> None:
        self.entries.append(str(path))


def _entry_digest(path: Path, data: bytes) -> bytes:
    # The entry's name is hashed with its bytes: another entry's bytes copied
    # under this name (another provider's page) are as damaged as flipped ones.
    h = hashlib.blake2b(path.name.encode("utf-8") + b"\0", digest_size=32)
    h.update(data)
    return h.hexdigest().encode("ascii")


def write_entry(path: Path, data: bytes) -> None:
    """Keep data in the cache at path, with the hash read_entry checks."""
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(path, _ENTRY + _entry_digest(path, data) + b"\n" + data)


def read_entry(path: Path, damage: Damage | None = None) -> bytes | None:
    """The bytes write_entry kept at path, or None when there is no entry or it
    is damaged (flipped, truncated, replaced or not an entry at all): a damaged
    entry is deleted and noted in ``damage``, so the caller builds the thing
    again and the next build does not meet it."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError:
        raw = b""  # a folder or an unreadable file where an entry should be
    head, newline, data = raw.partition(b"\n")
    if newline and head == _ENTRY + _entry_digest(path, data):
        return data
    drop(path)
    if damage is not None:
        damage.add(path)
    return None


def drop(path: Path) -> None:
    """Delete a cache entry, file or folder, whatever it has become."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
