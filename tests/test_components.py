"""The theme's components on their own: every example of tests/component_examples.py
rendered with the site's own Jinja set-up (the plugin's translations, formats and
helpers) in every language, read as a visitor reads it in Chromium, and checked
by axe-core. A second or two: no site is built."""

from __future__ import annotations

import re
from types import SimpleNamespace
from typing import Any

import pytest
from component_examples import EXAMPLES, Example
from conftest import ROOT, axe_violations
from jinja2 import Environment, FileSystemLoader
from markupsafe import Markup

from generator.build.settings import DEFAULT_SETTINGS_FILE, load_settings
from generator.pages.formatting import Formatter

pytestmark = pytest.mark.browser

SETTINGS = load_settings(DEFAULT_SETTINGS_FILE)
LANGUAGES: list[str] = SETTINGS["LANGUAGES"]


def _environment(lang: str) -> Environment:
    """The Jinja environment Pelican gives the plugin's generator for ``lang``,
    with what the plugin installs on it (comparison_pages.i18n.install_i18n)."""
    import sys

    sys.path.insert(0, str(ROOT / "plugins"))
    from comparison_pages.i18n import install_i18n

    settings = {**SETTINGS, "DEFAULT_LANG": lang, "ASSET_NAMES": {}}
    env = Environment(
        loader=FileSystemLoader(ROOT / "theme" / "templates"), **settings["JINJA_ENVIRONMENT"]
    )
    install_i18n(SimpleNamespace(settings=settings, env=env))
    return env


def _render(env: Environment, example: Example) -> Markup:
    source = (
        f'{{% import "components/{example.component}.html" as {example.component} with context %}}'
        f"{{{{ {example.call} }}}}"
    )
    context: dict[str, Any] = {"SITEURL": "", "output_file": "example.html", **example.arguments}
    return Markup(env.from_string(source).render(context))


def _document(lang: str) -> str:
    env = _environment(lang)
    sections = "".join(
        f'<section data-example="{i}"><h2>{example.name}</h2>{_render(env, example)}</section>'
        for i, example in enumerate(EXAMPLES)
    )
    css = (ROOT / "theme" / "static" / "css" / "site.css").read_text(encoding="utf-8")
    return (
        f'<!doctype html><html lang="{lang}" dir="{Formatter(lang).direction}"><head>'
        f'<meta charset="utf-8"><title>Components</title><style>{css}</style></head>'
        f'<body><main class="container"><h1>Components</h1>{sections}</main></body></html>'
    )


@pytest.fixture(scope="module")
def shown(browser: Any) -> dict[str, tuple[list[str], list[dict[str, Any]]]]:
    """Per language: the text each example shows, and axe-core's violations."""
    out = {}
    context = browser.new_context()
    page = context.new_page()
    for lang in LANGUAGES:
        page.set_content(_document(lang))
        texts = [
            page.locator(f'[data-example="{i}"]').inner_text() for i in range(len(EXAMPLES))
        ]
        out[lang] = (texts, axe_violations(page))
    context.close()
    return out


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_component_example_passes_axe(shown: dict, lang: str) -> None:
    _texts, violations = shown[lang]
    assert [(v["id"], [n["target"] for n in v["nodes"]]) for v in violations] == []


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.name for e in EXAMPLES])
def test_every_component_example_says_what_it_must(shown: dict, example: Example) -> None:
    text = shown["en"][0][EXAMPLES.index(example)]
    for words in example.shows:
        assert words in text, f"{example.name}: {words!r} missing from {text!r}"
    for words in example.never:
        assert words not in text, f"{example.name}: {words!r} shown in {text!r}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_hidden_figure_shows_no_number_in_any_language(shown: dict, lang: str) -> None:
    """Whatever the script, a cell hidden for either reason prints no digit at all."""
    texts = shown[lang][0]
    for i, example in enumerate(EXAMPLES):
        if example.call == "figure.cell(fig)" and example.arguments["fig"].suppressed:
            assert not re.search(r"\d", texts[i]), (lang, example.name, texts[i])
            assert texts[i].strip(), (lang, example.name)


def test_every_component_with_macros_has_an_example() -> None:
    """A new component comes with its examples."""
    with_macros = {
        path.stem
        for path in (ROOT / "theme" / "templates" / "components").glob("*.html")
        if "{% macro" in path.read_text(encoding="utf-8")
    }
    # Components that need a whole site model (the comparison tables, the
    # search data) are checked on the built site (test_find_and_compare.py).
    whole_site = {"compare", "search-data"}
    assert with_macros - whole_site == {e.component for e in EXAMPLES}
