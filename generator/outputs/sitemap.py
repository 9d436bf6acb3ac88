"""One sitemap for every language, with hreflang alternates, and robots.txt pointing to it.

A sitemap needs absolute addresses, so it is written only when SITE_URL is set.
"""

from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

SKIP_FOLDERS = {"pagefind", "theme", "data"}


def _page_key(rel: str, languages: list[str]) -> tuple[str, str]:
    """('en/provider/x.html') -> ('en', 'provider/x.html'); the default language has no prefix."""
    head, _, rest = rel.partition("/")
    if head in languages[1:] and rest:
        return head, rest
    return languages[0], rel


def write_sitemap(site: Path, site_url: str, languages: list[str]) -> Path | None:
    if not site_url:
        return None
    base = site_url if site_url.endswith("/") else site_url + "/"
    pages: dict[str, dict[str, str]] = {}
    for path in sorted(site.rglob("*.html")):
        rel = path.relative_to(site).as_posix()
        if rel.split("/", 1)[0] in SKIP_FOLDERS:
            continue
        lang, key = _page_key(rel, languages)
        pages.setdefault(key, {})[lang] = base + rel
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
        ' xmlns:xhtml="http://www.w3.org/1999/xhtml">',
    ]
    for key in sorted(pages):
        variants = pages[key]
        for lang in languages:
            if lang not in variants:
                continue
            lines.append(f"  <url><loc>{escape(variants[lang])}</loc>")
            if len(variants) > 1:
                for other in languages:
                    if other in variants:
                        lines.append(
                            f'    <xhtml:link rel="alternate" hreflang={quoteattr(other)}'
                            f" href={quoteattr(variants[other])}/>"
                        )
            lines.append("  </url>")
    lines.append("</urlset>")
    out = site / "sitemap.xml"
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    (site / "robots.txt").write_text(
        f"User-agent: *\nAllow: /\nSitemap: {base}sitemap.xml\n", encoding="utf-8"
    )
    return out
