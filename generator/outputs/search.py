"""Search index stage: Pagefind over the rendered site, one index per page language."""

from __future__ import annotations

import gzip
import hashlib
import importlib.metadata
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import cbor2

from generator.files import drop
from generator.outputs.assets import name_hash
from generator.pages.addresses import PAGEFIND_FOLDER, PROVIDER_FOLDER
from generator.store import Store

_PREFIX = b"pagefind_dcd"


class SearchIndexError(Exception):
    pass


# Only provider pages are searchable (they alone carry data-pagefind-body), so
# Pagefind reads only them instead of parsing every list and table of the site.
_PAGES = f"{PROVIDER_FOLDER}*.html"
INDEXED = f"{{{_PAGES},*/{_PAGES}}}"


def _indexed_pages(site: Path) -> list[Path]:
    return sorted(site.glob(_PAGES)) + sorted(site.glob(f"*/{_PAGES}"))


def _language_globs(site: Path) -> dict[str, str]:
    """One glob per language folder that has provider pages: the default
    language's pages are at the root (named "root" here), the others under
    their language code."""
    globs = {"root": _PAGES} if any(site.glob(_PAGES)) else {}
    for folder in sorted(site.glob(f"*/{PROVIDER_FOLDER.rstrip('/')}")):
        if any(folder.glob("*.html")):
            globs[folder.parent.name] = f"{folder.parent.name}/{_PAGES}"
    return globs


def _page_digest(page: Path) -> bytes:
    return hashlib.blake2b(page.read_bytes(), digest_size=20).digest()


def _pages_digest(site: Path, pages: list[Path], digests: list[bytes]) -> str:
    """A hash of the pages one Pagefind run reads (paths and bytes) and of Pagefind's version."""
    h = hashlib.blake2b(digest_size=20)
    h.update(importlib.metadata.version("pagefind").encode())
    for page, digest in zip(pages, digests, strict=True):
        h.update(page.relative_to(site).as_posix().encode() + b"\0" + digest)
    return h.hexdigest()


_BODY_RE = re.compile(r"<article\b[^>]*\bdata-pagefind-body\b[^>]*>.*?</article>", re.S)
# "all": nothing inside counts, not even filters, metadata or the first image.
_IGNORED_RE = re.compile(
    r'<(section|nav)\b[^>]*\bdata-pagefind-ignore="all"[^>]*>.*?</\1>', re.S
)
_HTML_RE = re.compile(r"<html\b[^>]*>")
_TITLE_RE = re.compile(r"<title>.*?</title>", re.S)


def search_document(page: str) -> str:
    """What Pagefind needs of a provider page: its language and the searchable
    article without the sections it ignores.

    Pagefind would read the whole page (menus, tables, figures) only to throw
    most of it away; given this instead it builds the same index in a third
    of the time (tests/test_search_index.py checks the indexes are byte-identical).
    Only sections (and the in-page menu) ignored with ``data-pagefind-ignore="all"``
    are left out:
    Pagefind takes nothing from those. A page without a searchable article
    is given as it is.
    """
    body = _BODY_RE.search(page)
    start = _HTML_RE.search(page)
    if body is None or start is None:
        return page
    title = _TITLE_RE.search(page)
    head = f'<head><meta charset="utf-8">{title.group(0) if title else ""}</head>'
    article = _IGNORED_RE.sub("", body.group(0))
    return f"<!DOCTYPE html>\n{start.group(0)}{head}<body>{article}</body></html>\n"


def _start(site: Path, glob: str, bundle: Path) -> subprocess.Popen[str]:
    # The pagefind package runs the binary shipped in the pagefind-bin wheel: no download.
    cmd = [sys.executable, "-m", "pagefind", "--site", str(site), "--glob", glob, "--silent"]
    cmd += ["--output-path", str(bundle)]
    return subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _run_all(site: Path, jobs: dict[str, tuple[str, Path]], workers: int) -> None:
    """Run Pagefind once per job (name -> (glob, bundle folder)), a few at a time."""
    waiting = list(jobs.items())
    running: list[tuple[str, subprocess.Popen[str]]] = []
    while waiting or running:
        while waiting and len(running) < workers:
            name, (glob, bundle) = waiting.pop(0)
            running.append((name, _start(site, glob, bundle)))
        name, proc = running.pop(0)
        out, err = proc.communicate()
        if proc.returncode != 0:
            for _other, rest in running:
                rest.kill()
            detail = (err or out).strip().splitlines()[-5:]
            raise SearchIndexError(f"Pagefind failed ({name}): " + " / ".join(detail))
        canonicalise(jobs[name][1])


def build_search_index(
    site: Path, store: Store | None = None, workers: int | None = None
) -> None:
    """Index the provider pages into site/pagefind.

    Pagefind keeps a separate index per language, so each language is indexed
    by its own run, a few in parallel, and the bundles are merged into one.
    With ``store``, a language whose pages are exactly those of an index built
    before takes that index: it is a function of those pages (canonicalise()
    makes it byte-identical), so there is nothing to gain from building it
    again. A kept index is one entry of the store, checked before it is used;
    the store then keeps only this build's indexes.
    """
    globs = _language_globs(site)
    if not globs:
        globs = {"all": INDEXED}  # no provider pages: Pagefind still writes its scripts
    workers = max(1, min(workers or os.cpu_count() or 1, len(globs)))
    if store is not None:
        store.folder.mkdir(parents=True, exist_ok=True)
    # Never beside the site: in a nightly run that is the releases folder, where
    # a folder left by a killed run would pass for a release.
    with tempfile.TemporaryDirectory(
        prefix="pagefind-", dir=store.folder if store is not None else None
    ) as tmp:
        # Pagefind reads a folder of search documents at the pages' own paths
        # (so the index has the pages' addresses) and walks nothing else of
        # the site.
        view = Path(tmp) / "view"
        view.mkdir()
        bundles: dict[str, Path] = {}
        keys: dict[str, str] = {}
        jobs: dict[str, tuple[str, Path]] = {}
        for name, glob in globs.items():
            pages = sorted(site.glob(glob))
            digests = [_page_digest(page) for page in pages]
            keys[name] = f"{name}-{_pages_digest(site, pages, digests)}"
            bundles[name] = Path(tmp) / "bundles" / name
            if store is not None and store.copy_out_folder(keys[name], bundles[name]):
                continue
            for page in pages:
                target = view / page.relative_to(site)
                target.parent.mkdir(parents=True, exist_ok=True)
                document = search_document(page.read_text(encoding="utf-8"))
                target.write_text(document, encoding="utf-8")
            staged = Path(tmp) / f"{name}.staged"
            jobs[name] = (glob, staged)
        _run_all(view, jobs, workers)
        for name, (_glob, staged) in jobs.items():
            drop(bundles[name])  # what a damaged entry may have left
            bundles[name].parent.mkdir(parents=True, exist_ok=True)
            shutil.move(staged, bundles[name])
            if store is not None:
                store.put_folder(keys[name], bundles[name])
        _merge(list(bundles.values()), site / PAGEFIND_FOLDER)
    if store is not None:
        store.keep()


def _merge(bundles: list[Path], target: Path) -> None:
    """One Pagefind bundle from several with different languages: their files
    (all named by language and content, the scripts the same in each) and one
    entry file listing every language."""
    entry: dict[str, Any] = {}
    target.mkdir(parents=True, exist_ok=True)
    for bundle in bundles:
        part = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
        languages = {**entry.get("languages", {}), **part["languages"]}
        entry = {**part, **entry, "languages": languages}
        for path in sorted(bundle.rglob("*")):
            copy = target / path.relative_to(bundle)
            if path.is_dir():
                copy.mkdir(parents=True, exist_ok=True)
            elif not copy.exists():  # the scripts: the same in every bundle
                shutil.copyfile(path, copy)  # a copy: the site never shares a file with the cache
    entry["languages"] = dict(sorted(entry["languages"].items()))
    path = target / "pagefind-entry.json"
    path.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), "utf-8")


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
