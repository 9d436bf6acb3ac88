"""Every user-facing string is translated in every site language."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from conftest import ROOT, extract_messages

from generator.build.settings import load_settings

CATALOGS = ROOT / "theme" / "translations"
LANGUAGES = load_settings()["LANGUAGES"]
# Messages of the easy-to-read Swedish pages, written in the first language only
# (views.Page.first_language_only): no other language shows them.
FIRST_LANGUAGE_ONLY = "easy-to-read Swedish"


def catalog(lang: str):
    with (CATALOGS / lang / "LC_MESSAGES" / "messages.po").open("rb") as fh:
        return read_po(fh, locale=lang)


def extracted_ids(tmp_path: Path) -> set[str]:
    pot = tmp_path / "messages.pot"
    extract_messages(ROOT, pot)
    with pot.open("rb") as fh:
        return {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(fh) if m.id}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_catalog_is_complete(lang: str, tmp_path: Path) -> None:
    cat = catalog(lang)
    problems = []
    for m in cat:
        if not m.id or (m.context == FIRST_LANGUAGE_ONLY and lang not in (LANGUAGES[0], "en")):
            continue
        strings = m.string if isinstance(m.string, tuple) else (m.string,)
        if m.fuzzy:
            problems.append(f"fuzzy: {m.id!r}")
        elif not all(strings):
            problems.append(f"missing: {m.id!r}")
    assert not problems, problems[:20]
    have = {m.id if isinstance(m.id, str) else m.id[0] for m in cat if m.id}
    missing = extracted_ids(tmp_path) - have
    assert not missing, f"run `make catalogs` and translate: {sorted(missing)[:20]}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_placeholders_survive_translation(lang: str) -> None:
    problems = []
    for m in catalog(lang):
        if not m.id:
            continue
        ids = m.id if isinstance(m.id, tuple) else (m.id,)
        strings = m.string if isinstance(m.string, tuple) else (m.string,)
        wanted = set(re.findall(r"%\(\w+\)s", " ".join(ids)))
        for text in strings:
            if not text:
                continue  # not translated yet: gettext shows the English (test_catalog_is_complete)
            got = set(re.findall(r"%\(\w+\)s", text))
            # A plural form may leave out the number ("one answer"); nothing else may go.
            if not got <= wanted or (len(ids) == 1 and got != wanted):
                problems.append(f"{m.id!r}: {text!r}")
            try:
                text % {name[2:-2]: 1 for name in wanted}  # newstyle gettext formats with %
            except (ValueError, KeyError, TypeError) as err:
                problems.append(f"{m.id!r}: {text!r} ({err})")
    assert not problems, problems[:20]
