"""Provider Markdown to safe HTML: render, then sanitise with an allow-list (nh3)."""

from __future__ import annotations

import html as html_lib
import re
from urllib.parse import urlsplit

import markdown
import nh3

ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "b",
    "i",
    "ul",
    "ol",
    "li",
    "a",
    "h2",
    "h3",
    "h4",
    "blockquote",
    "code",
    "pre",
    "hr",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title", "hreflang"}}
# Only links a visitor can follow safely; javascript: and data: are dropped.
URL_SCHEMES = {"https", "http", "mailto", "tel"}


def _shift_headings(html: str) -> str:
    # The provider page owns h1 and h2; a provider's own "# Heading" becomes h3.
    for level in (4, 3, 2, 1):
        html = html.replace(f"<h{level}>", f"<h{min(level + 2, 4)}>")
        html = html.replace(f"</h{level}>", f"</h{min(level + 2, 4)}>")
    return html


def render_markdown(source: str) -> str:
    html = markdown.markdown(source, extensions=["sane_lists"], output_format="html")
    html = _shift_headings(html)
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
    )


_HREF_RE = re.compile(r'<a\b[^>]*\bhref="([^"]*)"')
_DOMAIN_RE = re.compile(r"^(www\.)?[\w-]+(\.[\w-]+)+(/\S*)?$")


def _link_problem(href: str) -> str | None:
    """Why a link of a provider text would not work on the site, or None.

    A text is shown on pages at several depths and in every language folder,
    so only full addresses work: a relative link ("www.example.se", "/kontakt")
    would point into the site and break.
    """
    parts = urlsplit(href)
    scheme = parts.scheme.lower()
    if scheme in ("http", "https") and parts.netloc:
        return None
    if scheme in ("mailto", "tel") and parts.path.strip():
        return None
    shown = href if len(href) <= 60 else href[:59] + "…"
    if not scheme and _DOMAIN_RE.match(href):
        return f"the link '{shown}' is not a full address; write it as https://{href}"
    if scheme and scheme not in URL_SCHEMES:
        return f"the link '{shown}' is not allowed; links must start with https://, mailto: or tel:"
    return (
        f"the link '{shown}' is not a full address; links must start with https://, "
        "mailto: or tel:"
    )


def link_problems(source: str) -> list[tuple[int, str]]:
    """(line, what is wrong) for each link of a provider text that would not
    work on the site; the line is where the link's address is written."""
    rendered = markdown.markdown(source, extensions=["sane_lists"], output_format="html")
    lines = source.splitlines()
    out = []
    for raw in _HREF_RE.findall(rendered):
        href = html_lib.unescape(raw)
        problem = _link_problem(href)
        if problem is None:
            continue
        line = next((i for i, text in enumerate(lines, 1) if href in text), 1)
        out.append((line, problem))
    return out
