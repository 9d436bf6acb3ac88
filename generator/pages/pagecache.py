"""A content-hash cache of rendered pages, so a rebuild reuses what did not change.

A page's key is a hash of everything its bytes are made of:

* the code: every template, style sheet, script, catalog and editorial page,
  the plugin and this package's Python files, the settings file and the
  versions of the libraries that write the pages (``code_fingerprint``);
* what every page may state of the whole site (``views.Site``: the
  periods, K and R) and the page's language (the ``salt``);
* the page's own path and template, and its view (``views.py``): everything
  else the page shows, the figures of all providers it sets a provider
  against, its filters' options, its charts and its values in the search's
  sort orders included (``PageCache.key``). Templates see nothing else of
  the data (the generator gives them the view and ``Site``), so the key is
  complete by construction. A provider's sort values depend only on its own
  figures and the providers' names (ranking.search_sort_values), so one
  provider's new figure does not change the pages of all the providers it
  overtakes.

Equal keys mean equal inputs, so the cached bytes are exactly what rendering
would write: the output stays byte-identical to a build without the cache.
A cached page is an entry that proves its bytes (``files.write_entry``): it is
checked before it is written into the site, as a copy, never a link, and a
damaged one is rendered again.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import importlib.metadata
import pickle
from pathlib import Path
from typing import Any

from generator.files import Damage
from generator.pages.render import PACKAGE, ROOT
from generator.store import Store

CODE_FOLDERS = ("theme", "plugins")  # of ROOT; and the package itself
LIBRARIES = ("pelican", "jinja2", "babel", "markdown", "nh3", "markupsafe")


def _hash() -> Any:
    return hashlib.blake2b(digest_size=20)


def code_fingerprint(settings_file: Path, content: Path) -> str:
    """A hash of every file the pages are rendered from, and of the libraries' versions."""
    h = _hash()
    folders = [ROOT / f for f in CODE_FOLDERS] + [PACKAGE, content]
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            if not path.is_file() or "__pycache__" in path.parts or path.suffix == ".mo":
                continue
            if folder.name == "generator" and path.suffix != ".py":
                continue
            h.update(str(path.relative_to(folder.parent)).encode())
            h.update(path.read_bytes())
    from generator.build.settings import DEFAULT_SETTINGS_FILE

    h.update(DEFAULT_SETTINGS_FILE.read_bytes())
    h.update(settings_file.read_bytes())
    for name in LIBRARIES:
        with contextlib.suppress(importlib.metadata.PackageNotFoundError):
            h.update(f"{name}={importlib.metadata.version(name)}".encode())
    return h.hexdigest()


def site_fingerprint(site: Any) -> str:
    """A hash of what every page may state of the whole site (``views.Site``):
    the periods, K, R and the staff threshold. Templates see their page's
    view and this, never the site model, so nothing else model-wide can
    change a cached page."""
    h = _hash()
    h.update(pickle.dumps(site, protocol=5))
    return h.hexdigest()


class PageCache:
    """Rendered pages by key, in the build store's folder/pages (``store.Store``).

    One PageCache serves one language's render of one site model, so a
    provider's digest is worked out once (by its id) and reused by every list
    page it appears on, instead of pickling whole providers per page.
    """

    def __init__(self, folder: Path, salt: str) -> None:
        self.store = pages_store(folder)
        self.salt = salt.encode()
        self.hits = 0
        self.misses = 0
        self._digests: dict[tuple[str, bool], bytes] = {}

    @property
    def used(self) -> set[str]:
        """The entries of this build's pages, for ``Store.keep``."""
        return self.store.used

    @property
    def damage(self) -> Damage:
        return self.store.damage

    def provider_digest(self, provider: Any, with_texts: bool) -> bytes:
        """A hash of what pages can show of a provider; without its own texts,
        for lists (they never show them: a new text renders only its own pages)."""
        memo = (provider.id, with_texts)
        digest = self._digests.get(memo)
        if digest is None:
            value = provider if with_texts else dataclasses.replace(provider, texts={})
            digest = hashlib.blake2b(pickle.dumps(value, protocol=5), digest_size=20).digest()
            self._digests[memo] = digest
        return digest

    def key(self, page: Any) -> str:
        """The page's key (``pages.Page``): the salt, its path, template and view.

        A view's ``provider`` (a page about one provider) counts with its
        texts, its ``providers`` (a list) without them.
        """
        h = _hash()
        h.update(self.salt)
        h.update(page.path.encode() + b"\0" + page.template.encode())
        h.update(type(page.view).__name__.encode() + b"\0")
        variables = page.view.variables()
        for name in sorted(variables):
            value = variables[name]
            h.update(name.encode() + b"\0")
            if name == "provider" and value is not None:
                h.update(self.provider_digest(value, with_texts=True))
            elif name == "providers":
                for provider in value:
                    h.update(self.provider_digest(provider, with_texts=False))
            else:
                h.update(pickle.dumps(value, protocol=5))
        return h.hexdigest()

    def restore(self, key: str, target: Path) -> bool:
        """Write the cached page at target; False when it is not in the cache,
        or its entry is damaged (then dropped, and the page rendered again)."""
        if self.store.copy_out(key, target):
            self.hits += 1
            return True
        self.misses += 1
        return False

    def store_page(self, key: str, page: Path) -> None:
        self.store.put(key, page.read_bytes())


def pages_store(folder: Path) -> Store:
    """The rendered pages in the build store: folder/pages, by page key."""
    return Store(folder / "pages", fan_out=True)
