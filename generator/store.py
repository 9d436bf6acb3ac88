"""The build store: what one build keeps for the next, one kind per folder.

Pages, charts, font subsets, search indexes and the checks' scan results are
all kept the same way: an entry under a key that is a hash of exactly what
the thing is made of, read back only if its bytes prove themselves
(``files.read_entry``), and copied out, never linked, into the site. Every
entry's name also holds the store's ``salt``: the versions of the libraries
that shape the output and the font files used (``environment``), so an
upgrade or a newly installed font never serves an entry made with the old
ones.

``get``, ``put`` and ``copy_out`` mark an entry as used by this build;
``keep`` then drops every other entry, so a cache kept for years of nightly
builds stays the size of one site. A store shared by every site the user
builds (the font subsets) keeps what was used lately instead
(``keep_recent``): another site's entries are not garbage.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.metadata
import io
import os
import tarfile
import time
from pathlib import Path

from generator.files import Damage, drop, read_entry, walk_files, write_entry

# Libraries whose version can change the output beyond the page templates'
# (those are in the pages' own key): figures, model fits, charts, search
# index and fonts. An upgrade must not reuse what the old versions made.
OUTPUT_LIBRARIES = (
    "pandas", "numpy", "scipy", "statsmodels", "altair", "vl-convert-python",
    "pagefind", "pagefind-bin", "fonttools", "cbor2", "pyarrow",
)


def environment(fonts: str = "") -> str:
    """The versions of the libraries that shape the output, and ``fonts``: a
    fingerprint of the font files used (``fonts.font_files_fingerprint``)."""
    lines = []
    for name in OUTPUT_LIBRARIES:
        try:
            lines.append(f"{name}={importlib.metadata.version(name)}")
        except importlib.metadata.PackageNotFoundError:
            lines.append(f"{name}: not installed")
    lines.append(fonts)
    return "\n".join(lines)


class Store:
    """Entries under keys in ``folder``: ``<hash of salt and key><suffix>``,
    spread over 256 sub-folders with ``fan_out`` (tens of thousands of pages)."""

    def __init__(
        self,
        folder: Path,
        salt: str = "",
        *,
        suffix: str = "",
        fan_out: bool = False,
        damage: Damage | None = None,
    ) -> None:
        self.folder = folder
        self.salt = salt.encode("utf-8")
        self.suffix = suffix
        self.fan_out = fan_out
        self.damage = damage if damage is not None else Damage()
        self.used: set[str] = set()  # names of the entries this build used
        self._made: set[Path] = set()  # folders known to exist in the site

    def name(self, key: str) -> str:
        h = hashlib.blake2b(self.salt + b"\0" + key.encode("utf-8"), digest_size=20)
        return h.hexdigest() + self.suffix

    def path(self, key: str) -> Path:
        name = self.name(key)
        return self.folder / name[:2] / name if self.fan_out else self.folder / name

    def get(self, key: str) -> bytes | None:
        """The bytes kept under key; None when there are none or they are
        damaged (then dropped and noted in ``damage``)."""
        path = self.path(key)
        self.used.add(path.name)
        return read_entry(path, self.damage)

    def put(self, key: str, data: bytes) -> None:
        path = self.path(key)
        self.used.add(path.name)
        write_entry(path, data)

    def copy_out(self, key: str, target: Path) -> bool:
        """Write the entry's bytes at target (a copy, never a link); False when
        there is no sound entry."""
        data = self.get(key)
        if data is None:
            return False
        if target.parent not in self._made:
            target.parent.mkdir(parents=True, exist_ok=True)
            self._made.add(target.parent)
        target.write_bytes(data)
        return True

    def put_folder(self, key: str, folder: Path) -> None:
        """Keep every file under folder as one entry."""
        buf = io.BytesIO()
        with tarfile.open(fileobj=buf, mode="w") as tar:
            for path in sorted(p for p in folder.rglob("*") if p.is_file()):
                info = tarfile.TarInfo(path.relative_to(folder).as_posix())
                data = path.read_bytes()
                info.size = len(data)
                tar.addfile(info, io.BytesIO(data))
        self.put(key, buf.getvalue())

    def copy_out_folder(self, key: str, target: Path) -> bool:
        """Write the files ``put_folder`` kept under key into target; False when
        there is no sound entry (target is then left as it was)."""
        data = self.get(key)
        if data is None:
            return False
        with tarfile.open(fileobj=io.BytesIO(data), mode="r") as tar:
            members = tar.getmembers()
            # Regular files with plain relative names only: the entry proved
            # its bytes, but a name must never lead out of target.
            if not all(_plain(m) for m in members):
                drop(self.path(key))
                self.damage.add(self.path(key))
                return False
            for member in members:
                out = target / member.name
                out.parent.mkdir(parents=True, exist_ok=True)
                extracted = tar.extractfile(member)
                out.write_bytes(extracted.read() if extracted is not None else b"")
        return True

    def keep(self) -> int:
        """Drop every entry this build did not use, and folders left empty;
        returns how many entries."""
        removed = 0
        # Bottom-up, so a fan-out folder is empty by the time it is reached.
        for folder, _subfolders, names in os.walk(self.folder, topdown=False):
            for name in names:
                if name not in self.used:
                    with contextlib.suppress(FileNotFoundError):
                        os.unlink(os.path.join(folder, name))
                        removed += 1
            if folder != str(self.folder):
                with contextlib.suppress(OSError):
                    os.rmdir(folder)  # refused where something is left
        return removed

    def keep_recent(self, days: float) -> int:
        """Drop the entries no build has used for ``days``; the entries this
        build used are marked as used now. Returns how many were dropped."""
        now = time.time()
        limit = now - days * 86400
        removed = 0
        for entry in list(walk_files(self.folder)):
            with contextlib.suppress(OSError):
                if entry.name in self.used:
                    os.utime(entry.path, (now, now))
                elif entry.stat().st_mtime < limit:
                    os.unlink(entry.path)
                    removed += 1
        return removed


def _plain(member: tarfile.TarInfo) -> bool:
    parts = Path(member.name).parts
    return member.isfile() and bool(parts) and not Path(member.name).is_absolute() and (
        ".." not in parts
    )
