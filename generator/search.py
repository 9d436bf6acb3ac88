"""Search index stage: Pagefind over the rendered site, one index per page language."""

from __future__ import annotations

import gzip
import hashlib
import importlib.metadata
import json
import shutil
import subprocess
import sys
from pathlib import Path

import cbor2

from .assets import name_hash
from .pagecache import link_or_copy

_PREFIX = b"pagefind_dcd"


class SearchIndexError(Exception):
    pass


# Only provider pages are searchable (they alone carry data-pagefind-body), so
# Pagefind reads only them instead of parsing every list and table of the site.
INDEXED = "{provider/*.html,*/provider/*.html}"


def _indexed_pages(site: Path) -> list[Path]:
    return sorted(site.glob("provider/*.html")) + sorted(site.glob("*/provider/*.html"))


def _pages_digest(site: Path) -> str:
    """A hash of every page Pagefind reads (path and bytes) and of Pagefind's version."""
    h = hashlib.blake2b(digest_size=20)
    h.update(importlib.metadata.version("pagefind").encode())
    for page in _indexed_pages(site):
        h.update(page.relative_to(site).as_posix().encode() + b"\0")
        h.update(page.read_bytes())
    return h.hexdigest()


def _copy_tree(source: Path, target: Path) -> None:
    """Copy a folder by hard links where possible (nothing here is changed in place)."""
    shutil.copytree(
        source, target, copy_function=lambda a, b: link_or_copy(Path(a), Path(b))
    )


def build_search_index(site: Path, cache: Path | None = None) -> None:
    """Index the provider pages into site/pagefind.

    With ``cache``, an index built before from exactly the same pages is
    reused: the index is a function of those pages (canonicalise() makes it
    byte-identical), so there is nothing to gain from building it again.
    """
    digest = _pages_digest(site) if cache is not None else ""
    if cache is not None and (cache / digest).is_dir():
        _copy_tree(cache / digest, site / "pagefind")
        return
    # The pagefind package runs the binary shipped in the pagefind-bin wheel: no download.
    cmd = [sys.executable, "-m", "pagefind", "--site", str(site), "--glob", INDEXED, "--silent"]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        detail = (proc.stderr or proc.stdout).strip().splitlines()[-5:]
        raise SearchIndexError("Pagefind failed: " + " / ".join(detail))
    canonicalise(site / "pagefind")
    if cache is not None:
        # Keep only the latest index: an older one is for pages no longer built.
        shutil.rmtree(cache, ignore_errors=True)
        tmp = cache.with_name(cache.name + ".tmp")
        shutil.rmtree(tmp, ignore_errors=True)
        _copy_tree(site / "pagefind", tmp / digest)
        tmp.replace(cache)


def _read(path: Path) -> object:
    data = gzip.decompress(path.read_bytes())
    if not data.startswith(_PREFIX):
        raise SearchIndexError(f"{path.name}: not a Pagefind index file")
    return cbor2.loads(data[len(_PREFIX) :])


def _write(folder: Path, name_for: str, obj: object, digits: int, suffix: str) -> str:
    """Write obj as a Pagefind file named by its content; returns the new hash ('en_1a2b3c4')."""
    payload = _PREFIX + cbor2.dumps(obj)
    digest = f"{name_for}_{name_hash(payload, digits)}"
    (folder / suffix.format(hash=digest)).write_bytes(gzip.compress(payload, mtime=0))
    return digest


def canonicalise(bundle: Path) -> None:
    """Rewrite the parts of Pagefind's index that it writes in arbitrary order.

    Pagefind (1.5) writes filter values, sort keys and its entry file in hash-map order,
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
        # The sort keys, each with its pages in order (the order itself is Pagefind's).
        meta[4] = sorted(meta[4])  # type: ignore[index]
        lang = path.stem.removeprefix("pagefind.").rsplit("_", 1)[0]
        new = _write(bundle, lang, meta, 10, "pagefind.{hash}.pf_meta")
        if path.name != f"pagefind.{new}.pf_meta":
            path.unlink()
        entry["languages"][lang]["hash"] = new
    entry["languages"] = dict(sorted(entry["languages"].items()))
    entry_path.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), "utf-8")
