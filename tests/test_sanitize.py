"""Provider Markdown is rendered, then cleaned with an allow-list."""

from __future__ import annotations

import pytest

from generator.ingest.sanitize import render_markdown


@pytest.mark.parametrize(
    "source",
    [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "[click](javascript:alert(1))",
        "[data](data:text/html;base64,PHNjcmlwdD4=)",
        '<a href="#" onclick="alert(1)">x</a>',
        "<iframe src=https://example.org></iframe>",
        "<style>body{display:none}</style>",
        '<svg onload="alert(1)"></svg>',
    ],
)
def test_hostile_markup_is_removed(source: str) -> None:
    html = render_markdown(source).lower()
    for bad in (
        "<script",
        "onerror",
        "onclick",
        "onload",
        "javascript:",
        "data:",
        "<iframe",
        "<style",
        "<svg",
        "<img",
    ):
        assert bad not in html, html


def test_ordinary_markdown_survives() -> None:
    html = render_markdown(
        "# Om oss\n\nVi har *små* grupper.\n\n- SFI\n- [Webb](https://example.org)"
    )
    assert "<h3>Om oss</h3>" in html
    assert "<em>små</em>" in html
    assert "<li>SFI</li>" in html
    assert 'href="https://example.org"' in html and 'rel="noopener noreferrer nofollow"' in html
