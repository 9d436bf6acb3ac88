"""Provider Markdown to safe HTML: render, then sanitise with an allow-list (nh3)."""

from __future__ import annotations

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
