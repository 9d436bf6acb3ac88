"""Content-hashed names for the theme's CSS and JavaScript.

A file whose name carries a hash of its content can be cached by browsers for
a year: a new version gets a new name. The names are worked out from the
theme's source files *before* the pages are rendered, so templates write the
final names directly (``asset()`` in templates) and no page is rewritten
afterwards: a page then depends only on its own inputs, which is what lets a
rebuild reuse it unchanged.

``theme/css/fonts.css`` is not renamed: it is generated from the characters
the site uses (see fonts.py), so its name must not enter every page.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from generator.pages.render import ROOT

STATIC = ROOT / "theme" / "static"


# Hex digits written as letters: a content hash in a file name then never holds
# a run of digits, which the anonymisation audit could take for a personal
# identity number (a 16-character hex name has one every few thousand files).
_LETTERS = str.maketrans("0123456789", "ghijklmnop")


def name_hash(data: bytes, length: int = 10) -> str:
    """A content hash for a file name: ``length`` characters from a-p, no digits."""
    return hashlib.sha256(data).hexdigest()[:length].translate(_LETTERS)


def _digest(data: bytes) -> str:
    return name_hash(data)


def asset_names(static: Path = STATIC) -> dict[str, str]:
    """'theme/css/site.css' -> 'theme/css/site.0123456789.css' for every CSS and JS source."""
    names: dict[str, str] = {}
    for folder, ext in (("css", ".css"), ("js", ".js")):
        for path in sorted((static / folder).glob(f"*{ext}")):
            old = f"theme/{folder}/{path.name}"
            names[old] = f"theme/{folder}/{path.stem}.{_digest(path.read_bytes())}{ext}"
    return names


def fingerprint_assets(site: Path, names: dict[str, str]) -> None:
    """Give the copied theme files the names the pages already use."""
    for old, new in names.items():
        source = site / old
        if source.is_file():
            source.rename(site / new)
