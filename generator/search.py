"""Search index stage: Pagefind over the rendered site, one index per page language."""

from __future__ import annotations

import gzip
import hashlib
import json
import subprocess
import sys
from pathlib import Path

import cbor2

_PREFIX = b"pagefind_dcd"


class SearchIndexError(Exception):
    pass


def build_search_index(site: Path) -> None:
    # The pagefind package runs the binary shipped in the pagefind-bin wheel: no download.
    cmd = [sys.executable, "-m", "pagefind", "--site", str(site), "--silent"]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        detail = (proc.stderr or proc.stdout).strip().splitlines()[-5:]
        raise SearchIndexError("Pagefind failed: " + " / ".join(detail))
    canonicalise(site / "pagefind")


def _read(path: Path) -> object:
    data = gzip.decompress(path.read_bytes())
    if not data.startswith(_PREFIX):
        raise SearchIndexError(f"{path.name}: not a Pagefind index file")
    return cbor2.loads(data[len(_PREFIX) :])


def _write(folder: Path, name_for: str, obj: object, digits: int, suffix: str) -> str:
    """Write obj as a Pagefind file named by its content; returns the new hash ('en_1a2b3c4')."""
    payload = _PREFIX + cbor2.dumps(obj)
    digest = f"{name_for}_{hashlib.sha256(payload).hexdigest()[:digits]}"
    (folder / suffix.format(hash=digest)).write_bytes(gzip.compress(payload, mtime=0))
    return digest


def canonicalise(bundle: Path) -> None:
    """Rewrite the parts of Pagefind's index that it writes in arbitrary order.

    Pagefind (1.5) writes filter values and its entry file in hash-map order,
    so two builds of the same pages differ. Sorting them makes the output
    byte-identical for the same input; the files keep Pagefind's format.
    """
    renamed: dict[str, str] = {}
    for path in sorted((bundle / "filter").glob("*.pf_filter")):
        name, values = _read(path)  # type: ignore[misc]
        lang = path.stem.rsplit("_", 1)[0]
        new = _write(bundle / "filter", lang, [name, sorted(values)], 7, "{hash}.pf_filter")
        renamed[path.stem] = new
        if path.name != f"{new}.pf_filter":
            path.unlink()
    entry_path = bundle / "pagefind-entry.json"
    entry = json.loads(entry_path.read_text(encoding="utf-8"))
    for path in sorted(bundle.glob("pagefind.*.pf_meta")):
        meta = _read(path)
        meta[3] = sorted([name, renamed.get(h, h)] for name, h in meta[3])  # type: ignore[index]
        lang = path.stem.removeprefix("pagefind.").rsplit("_", 1)[0]
        new = _write(bundle, lang, meta, 10, "pagefind.{hash}.pf_meta")
        if path.name != f"pagefind.{new}.pf_meta":
            path.unlink()
        entry["languages"][lang]["hash"] = new
    entry["languages"] = dict(sorted(entry["languages"].items()))
    entry_path.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), "utf-8")
