"""Files of the site and of the cache: listing them fast (they number tens of
thousands), knowing them unchanged by identity, and writing them atomically."""

from __future__ import annotations

import contextlib
import os
import pickle
from collections.abc import Iterator
from pathlib import Path

Identity = tuple[int, int, int, int]


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


def count_pages(folder: Path) -> int:
    """How many HTML files are under folder."""
    return sum(1 for entry in walk_files(folder) if entry.name.endswith(".html"))


def identity(stat: os.stat_result) -> Identity:
    """A file's identity on disk. Pages and charts taken from the build cache are
    hard links to its files, which are only ever replaced, never written to: the
    same identity is the same bytes, so they need not be read again."""
    return (stat.st_dev, stat.st_ino, stat.st_size, stat.st_mtime_ns)


def write_atomically(path: Path, data: bytes) -> None:
    """Write path in one step (a temporary file renamed over it): a reader, or a
    build interrupted half-way, never sees a half-written cache file. The
    temporary name is the process's own, so two builds that share a cache (the
    proofs kept in the user's cache folder) never write into each other's."""
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    tmp.replace(path)


def load_pickle(path: Path | None) -> object | None:
    """What save_pickle wrote at path; None when there is nothing usable (a
    missing or damaged cache file only makes the build slower)."""
    if path is None or not path.is_file():
        return None
    with contextlib.suppress(Exception):
        return pickle.loads(path.read_bytes())
    return None


def save_pickle(path: Path, value: object) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(path, pickle.dumps(value, protocol=5))
