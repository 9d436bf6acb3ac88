"""URL-safe slugs for free-text values such as district names."""

from __future__ import annotations

import re
import unicodedata


def slugify(text: str) -> str:
    """'Nacka centrum' -> 'nacka-centrum', 'Älta' -> 'alta'.

    Kept free of Pelican so the compute stages never import it; gives the
    same result as Pelican's slugify for the Latin-script names we meet.
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug or "x"
