"""Content-hashed names for the theme's CSS and JavaScript.

A file whose name carries a hash of its content can be cached by browsers for
a year: a new version gets a new name. References in pages and style sheets
are rewritten to the new names.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

HASHED = re.compile(r"\.[0-9a-f]{10}\.(css|js|woff2)$")


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:10]


def fingerprint_assets(site: Path) -> dict[str, str]:
    """Rename theme/css/*.css and theme/js/*.js to NAME.HASH.EXT and rewrite references.

    Returns old -> new paths relative to the site root.
    """
    theme = site / "theme"
    renames: dict[str, str] = {}
    # Style sheets first may refer to fonts (already hashed); scripts refer to nothing of ours.
    for folder, ext in (("css", ".css"), ("js", ".js")):
        for path in sorted((theme / folder).glob(f"*{ext}")):
            if HASHED.search(path.name):
                continue
            new = path.with_name(f"{path.stem}.{_digest(path.read_bytes())}{ext}")
            path.rename(new)
            renames[path.relative_to(site).as_posix()] = new.relative_to(site).as_posix()
    if not renames:
        return renames
    pattern = re.compile("|".join(re.escape(old) for old in sorted(renames, key=len, reverse=True)))
    for page in site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        new_text = pattern.sub(lambda m: renames[m.group(0)], text)
        if new_text != text:
            page.write_text(new_text, encoding="utf-8")
    return renames
