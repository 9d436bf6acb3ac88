"""URL-safe slugs for free-text values such as district names."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable

from anyascii import anyascii


def slugify(text: str) -> str:
    """'Nacka centrum' -> 'nacka-centrum', 'Älta' -> 'alta', 'Київ' -> 'kiiv'.

    Any script is transliterated (anyascii: a kept table for every Unicode
    block), so names in Arabic, Tigrinya or Cyrillic get readable slugs
    rather than one shared placeholder. Kept free of Pelican so the compute
    stages never import it.
    """
    ascii_text = anyascii(unicodedata.normalize("NFC", text))
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug or "x"


def _letters(digest: bytes, n: int) -> str:
    # Letters only: a slug of digits could look like something else in a URL.
    return "".join(chr(ord("a") + b % 26) for b in digest[:n])


def unique_slugs(names: Iterable[str]) -> dict[str, str]:
    """A slug for each distinct name, never one slug for two names.

    Names whose slugs collide ('Alta' and 'Älta') keep the plain slug only for
    the one written exactly as its slug reads (plain ASCII); every other one
    gets a suffix from a hash of the name itself, so a name's slug does not
    depend on the order the names come in, and stays the same night by night
    while the same names collide.
    """
    distinct = sorted(set(names))
    by_slug: dict[str, list[str]] = {}
    for name in distinct:
        by_slug.setdefault(slugify(name), []).append(name)
    out: dict[str, str] = {}
    for slug, group in by_slug.items():
        if len(group) == 1:
            out[group[0]] = slug
            continue
        for name in group:
            plain = name.isascii() and slugify(name) == re.sub(r"[^a-z0-9]+", "-", name.lower())
            digest = hashlib.blake2b(name.encode("utf-8"), digest_size=8).digest()
            out[name] = slug if plain else f"{slug}-{_letters(digest, 4)}"
    taken: dict[str, str] = {}
    for name in distinct:  # two plain names that differ only in case or spacing
        slug = out[name]
        if slug in taken:
            digest = hashlib.blake2b(name.encode("utf-8"), digest_size=8).digest()
            out[name] = slug = f"{slug}-{_letters(digest, 6)}"
        taken[slug] = name
    return out
