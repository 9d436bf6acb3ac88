"""Translations, formatters and URL helpers installed on every generator's Jinja environment.

Pelican gives each generator its own Jinja environment, so gettext and the
language's formatters must be installed on each one (the generator_init signal).
"""

from __future__ import annotations

import datetime as dt
import io
import posixpath
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations
from jinja2 import pass_eval_context
from jinja2.nodes import EvalContext
from markupsafe import Markup

from generator.compute import registry
from generator.compute.indicators import UNKNOWN
from generator.model import labels, ranking, verdicts
from generator.model.sitemodel import (
    HEADLINE,
    PROFILE_COLUMNS,
    PROFILE_INDICATORS,
    SORT_KEYS,
    STAFF_INDICATORS,
)
from generator.outputs import opendata
from generator.pages import addresses, marks, views
from generator.pages.formatting import Formatter, tel_uri

from . import compare

TRANSLATIONS_DIR = Path(__file__).resolve().parents[2] / "theme" / "translations"


@cache
def load_translations(lang: str) -> Translations:
    """Compile the language's .po catalog in memory (no .mo files in the repository)."""
    po_path = TRANSLATIONS_DIR / lang / "LC_MESSAGES" / "messages.po"
    with po_path.open("rb") as fh:
        catalog = read_po(fh, locale=lang)
    buf = io.BytesIO()
    write_mo(buf, catalog, use_fuzzy=False)
    buf.seek(0)
    return Translations(fp=buf, domain="messages")


def site_url(settings: dict[str, Any], siteurl: str, lang: str, path: str) -> str:
    """Relative URL from the current page to ``path`` in language ``lang``.

    ``siteurl`` is Pelican's relative SITEURL for the current page: the way up
    to the current language's root.
    """
    languages = settings["LANGUAGES"]
    up = siteurl or "."
    if settings["DEFAULT_LANG"] != languages[0]:
        up = posixpath.join(up, "..")
    prefix = "" if lang == languages[0] else lang + "/"
    url = posixpath.normpath(posixpath.join(up, prefix + path))
    if path.endswith("/") and not url.endswith("/"):
        url += "/"
    return url


def _isodate(value: str) -> dt.date:
    return dt.date.fromisoformat(str(value))


def gettext_callables(translations: Translations) -> dict[str, Any]:
    """gettext, ngettext and _ for templates, as Jinja's newstyle gettext does
    them (the message is always a format string, variables are escaped), but
    a message without variables is translated and escaped once, not on every
    call: pages call _() thousands of times each, and Jinja's own functions
    were a fifth of the time spent rendering."""
    finished: dict[str, Markup] = {}

    @pass_eval_context
    def gettext(eval_ctx: EvalContext, message: str, /, **variables: Any) -> str:
        if not eval_ctx.autoescape:
            return translations.gettext(message) % variables  # type: ignore[no-any-return]
        if variables:
            return Markup(translations.gettext(message)) % variables
        done = finished.get(message)
        if done is None:
            done = finished[message] = Markup(translations.gettext(message)) % {}
        return done

    @pass_eval_context
    def ngettext(
        eval_ctx: EvalContext, singular: str, plural: str, num: int, /, **variables: Any
    ) -> str:
        variables.setdefault("num", num)
        text = translations.ngettext(singular, plural, num)
        if eval_ctx.autoescape:
            return Markup(text) % variables
        return text % variables  # type: ignore[no-any-return]

    return {"gettext": gettext, "ngettext": ngettext, "_": gettext}


def install_i18n(generator: Any) -> None:
    settings = generator.settings
    lang = settings["DEFAULT_LANG"]
    env = generator.env
    translations = load_translations(lang)
    env.install_gettext_translations(translations, newstyle=True)
    env.globals.update(gettext_callables(translations))
    fmt = Formatter(lang)

    @lru_cache(maxsize=65536)
    def url(context_siteurl: str, path: str, in_lang: str | None = None) -> str:
        # Every page links to the same few hundred places: worked out once each.
        return site_url(settings, context_siteurl, in_lang or lang, path)

    def language_options(codes: tuple[str, ...]) -> list[tuple[str, str]]:
        """(code, name in the page's language), in the order of the names."""
        named = [(code, fmt.language_name(code)) for code in codes]
        return sorted(named, key=lambda pair: (pair[1].casefold(), pair[0]))

    env.globals.update(
        fmt=fmt,
        language_options=language_options,
        lang=lang,
        dir=fmt.direction,
        labels=labels,
        HEADLINE=HEADLINE,
        SORT_KEYS=SORT_KEYS,
        STAFF_INDICATORS=STAFF_INDICATORS,
        # Every page's address (addresses.py).
        address=addresses,
        list_path=addresses.list_path,
        provider_path=addresses.provider_path,
        easy_read_provider_path=addresses.easy_read_provider_path,
        like_me_path=addresses.like_me_path,
        group_slug=addresses.group_slug,
        PROFILE_INDICATORS=PROFILE_INDICATORS,
        PROFILE_COLUMNS=PROFILE_COLUMNS,
        compare_path=addresses.compare_path,
        compare_service_path=addresses.compare_service_path,
        factsheet_path=addresses.factsheet_path,
        employers_path=addresses.employers_path,
        COMPARE_SECTIONS=compare.COMPARE_SECTIONS,
        COMPARE_MAX=compare.COMPARE_MAX,
        TRANSIT_STEPS=compare.TRANSIT_STEPS,
        EMPLOYER_SERVICES=views.EMPLOYER_SERVICES,
        BY_SERVICE=views.BY_SERVICE,
        RESULT_FIGURES=compare.RESULT_FIGURES,
        has_verdict=compare.has_verdict,
        page_window=compare.page_window,
        row_figure=compare.row_figure,
        row_service=compare.row_service,
        row_verdict=compare.row_verdict,
        applies_to_any=compare.applies_to_any,
        verdict_figure=compare.verdict_figure,
        verdict_adjusted=compare.verdict_adjusted,
        near_tokens=compare.near_tokens,
        service_sort_key=ranking.service_sort_key,
        SERVICE_INDICATORS=ranking.SERVICE_INDICATORS,
        # Marks that tie every shown number to its open-data row (see marks.py).
        # Every indicator's uses and words (registry.py).
        INDICATOR=registry.BY_NAME,
        INDICATORS=registry.INDICATORS,
        RESULT_ROWS=registry.with_differences(registry.RESULTS),
        FACTSHEET_ROWS=registry.FACTSHEET,
        # What the open-data page explains: the columns and codes of indicators.csv.
        OPEN_DATA_COLUMNS=opendata.INDICATOR_COLUMNS,
        OPEN_DATA_REASONS=opendata.HIDDEN_REASONS,
        OPEN_DATA_COMPARISONS=opendata.COMPARISONS,
        BREAKDOWN_UNKNOWN=UNKNOWN,
        # The statistical rules behind the sentences (verdicts.py).
        verdict_versus_all=verdicts.versus_all,
        expected_share=verdicts.expected_share,
        difference_words=verdicts.difference,
        out_of_ten=verdicts.out_of_ten,
        fig_attrs=marks.attributes,
        fig_span=marks.span,
        fig_key=marks.figure_key,
        people_span=marks.people,
        staff_span=marks.staff,
        site_url=url,
        # Content-hashed file names of the theme's CSS and JS (assets.py).
        asset=lambda path: settings.get("ASSET_NAMES", {}).get(path, path),
        languages=[(code, Formatter.endonym(code)) for code in settings["LANGUAGES"]],
        settings_k=settings["DISCLOSURE_K"],
        settings_staff_k=settings.get("STAFF_DISCLOSURE_K", settings["DISCLOSURE_K"]),
        settings_r=settings["RELIABILITY_R"],
        tel_uri=lambda number: tel_uri(number, str(settings["PHONE_COUNTRY_CODE"])),
    )
    env.filters.update(
        percent=fmt.percent,
        number=fmt.number,
        interval=fmt.interval,
        date=fmt.date,
        file_size=fmt.file_size,
        language_name=fmt.language_name,
        period=fmt.period,
        join_list=fmt.join,
        sector_name=lambda code: translations.gettext(labels.SECTORS[code]),
        isodate=_isodate,
        markup=Markup,
    )
