"""Site settings: the defaults in pelicanconf.py and a municipality's own, checked up front."""

from __future__ import annotations

import runpy
from pathlib import Path
from typing import Any

from generator.pages.render import ROOT

DEFAULT_SETTINGS_FILE = ROOT / "pelicanconf.py"

# (name, default, help): every project setting, documented in one place.
PROJECT_SETTINGS: tuple[tuple[str, Any, str], ...] = (
    ("MUNICIPALITY", "Kommunen", "Name of the municipality, shown on every page"),
    ("CONTACT_EMAIL", "", "Where visitors write with questions"),
    ("CONTACT_PHONE", "", "Phone number for questions"),
    ("ACCESSIBILITY_CONTACT_EMAIL", "", "Where visitors report accessibility problems"),
    ("ACCESSIBILITY_CONTACT_PHONE", "", "Phone number for accessibility problems"),
    ("EMPLOYER_CONTACT_NAME", "",
     "Who at the municipality helps employers recruit (a unit or a person)"),
    ("EMPLOYER_CONTACT_EMAIL", "", "Where employers write about recruiting through the providers"),
    ("EMPLOYER_CONTACT_PHONE", "", "Phone number for employers"),
    ("ACCESSIBILITY_RESPONSE_DAYS", 5, "Working days until the municipality answers a report"),
    ("ACCESSIBILITY_ENFORCEMENT_NAME", "Myndigheten för digital förvaltning (Digg)",
     "The supervisory authority named in the accessibility statement"),
    ("ACCESSIBILITY_ENFORCEMENT_URL", "https://www.digg.se/tdosanmalan",
     "Where visitors can complain to the supervisory authority"),
    ("ACCESSIBILITY_STATEMENT_DATE", "", "Date (YYYY-MM-DD) the statement was last reviewed"),
    ("CONTENT_SECURITY_POLICY",
     "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; "
     "img-src 'self'; font-src 'self'; connect-src 'self'; worker-src 'self'; "
     "object-src 'none'; base-uri 'self'; form-action 'self'",
     "Content-Security-Policy of every page"),
    ("SITE_URL", "", "Absolute address of the site, used only in the sitemap; empty: no sitemap"),
    ("LANGUAGES", ["sv", "en", "ar", "fa", "so", "ti", "uk"],
     "Site languages; the first is the default, served at the root"),
    ("DISCLOSURE_K", 5, "No figure rests on fewer records than this (3 or more)"),
    ("STAFF_DISCLOSURE_K", 3,
     "No staff figure (head count, teachers' certification and degrees) rests on fewer "
     "employees than this (3 up to DISCLOSURE_K)"),
    ("RELIABILITY_R", 20, "Figures on fewer records are marked 'few answers'"),
    ("DISCLOSURE_PROOF", True,
     "Prove before publishing that no hidden figure can be worked out; off, the rules of "
     "suppression alone choose the pattern (see \"Large sites\" for the proof's time)"),
    ("POOLED_YEARS", 3, "Headline figures pool this many latest years"),
    ("REPORTING_LAG_DAYS", 0,
     "A year is published once the data reach this many days past its 31 December"),
    ("MAX_INPUT_FILE_MB", 200, "A data file larger than this is refused"),
    ("HOLD_IF_FALLEN_BY", 0.1,
     "A nightly run whose records or providers fall by more than this share against the live "
     "release is held, nothing published, unless run with --accept-fall"),
    ("LIST_PAGE_SIZE", 50, "Providers per page of a list; longer lists are split into pages"),
    ("COMPARE_PAGE_SIZE", 8, "Providers side by side per page of a service's comparison"),
    ("OPEN_DATA_LICENCE", "CC0-1.0",
     "Licence of the open data, as its SPDX identifier (CC0-1.0, CC-BY-4.0, ...)"),
    ("OPEN_DATA_LICENCE_URL", "https://creativecommons.org/publicdomain/zero/1.0/",
     "Where the open data's licence can be read; empty: no link"),
    ("PHONE_COUNTRY_CODE", "46",
     "Country calling code of phone numbers written without one, for tap-to-call links"),
)


class SettingsError(Exception):
    pass


def placeholder_settings(settings: dict[str, Any]) -> list[str]:
    """Settings that still hold the sample's placeholder addresses (the reserved
    ``.example`` domain): a real municipality's site must not publish them."""
    return [
        name
        for name, _default, _help in PROJECT_SETTINGS
        if isinstance(settings.get(name), str) and ".example" in settings[name]
    ]


def _read(path: Path) -> dict[str, Any]:
    """A settings file's CAPITALS, its folders made absolute from where it is."""
    raw = runpy.run_path(str(path))
    own: dict[str, Any] = {k: v for k, v in raw.items() if k.isupper()}
    for name in ("PATH", "THEME"):
        if isinstance(own.get(name), str):
            own[name] = str((path.parent / own[name]).resolve())
    if isinstance(own.get("PLUGIN_PATHS"), list):
        own["PLUGIN_PATHS"] = [str((path.parent / p).resolve()) for p in own["PLUGIN_PATHS"]]
    return own


def load_settings(path: Path = DEFAULT_SETTINGS_FILE) -> dict[str, Any]:
    """The default settings (``pelicanconf.py``, in the checkout or the installed
    package), overridden by those of ``path``: a municipality's file needs to
    hold only what it changes."""
    if not path.is_file():
        raise SettingsError(f"{path}: the settings file is missing")
    settings = {} if path.resolve() == DEFAULT_SETTINGS_FILE.resolve() else _read(
        DEFAULT_SETTINGS_FILE
    )
    settings.update(_read(path))
    for name, default, _help in PROJECT_SETTINGS:
        settings.setdefault(name, default)
    problems = []
    k, r = settings["DISCLOSURE_K"], settings["RELIABILITY_R"]
    if not isinstance(k, int) or k < 3:
        problems.append(f"DISCLOSURE_K must be a whole number of at least 3, not {k!r}")
    staff_k = settings["STAFF_DISCLOSURE_K"]
    if (
        not isinstance(staff_k, int) or isinstance(staff_k, bool) or staff_k < 3
        or (isinstance(k, int) and staff_k > k)
    ):
        problems.append(
            f"STAFF_DISCLOSURE_K must be a whole number from 3 up to DISCLOSURE_K, not {staff_k!r}"
        )
    if not isinstance(r, int) or (isinstance(k, int) and r < k):
        problems.append(f"RELIABILITY_R must be a whole number not below DISCLOSURE_K, not {r!r}")
    if not isinstance(settings["DISCLOSURE_PROOF"], bool):
        problems.append("DISCLOSURE_PROOF must be True or False")
    fall = settings["HOLD_IF_FALLEN_BY"]
    if isinstance(fall, bool) or not isinstance(fall, (int, float)) or not 0 <= fall < 1:
        problems.append("HOLD_IF_FALLEN_BY must be a share from 0 up to (not including) 1")
    limit = settings["MAX_INPUT_FILE_MB"]
    if not isinstance(limit, (int, float)) or limit <= 0:
        problems.append("MAX_INPUT_FILE_MB must be a positive number")
    for name in ("LIST_PAGE_SIZE", "COMPARE_PAGE_SIZE"):
        if not isinstance(settings[name], int) or settings[name] < 1:
            problems.append(f"{name} must be a whole number of at least 1")
    if not isinstance(settings["POOLED_YEARS"], int) or settings["POOLED_YEARS"] < 1:
        problems.append("POOLED_YEARS must be a whole number of at least 1")
    lag = settings["REPORTING_LAG_DAYS"]
    if not isinstance(lag, int) or isinstance(lag, bool) or not 0 <= lag <= 366:
        problems.append("REPORTING_LAG_DAYS must be a whole number of days from 0 to 366")
    problems += _licence_problems(settings)
    languages = settings["LANGUAGES"]
    if not languages or not all(isinstance(x, str) for x in languages):
        problems.append("LANGUAGES must be a non-empty list of language codes")
    else:
        translations = ROOT / "theme" / "translations"
        for lang in languages:
            if not (translations / lang / "LC_MESSAGES" / "messages.po").is_file():
                problems.append(
                    f"LANGUAGES: no catalog theme/translations/{lang}/LC_MESSAGES/messages.po"
                )
            if not (Path(settings["PATH"]) / lang).is_dir():
                problems.append(f"LANGUAGES: no editorial pages in {settings['PATH']}/{lang}/")
    if problems:
        raise SettingsError("; ".join(f"{path.name}: {p}" for p in problems))
    return settings


def _licence_problems(settings: dict[str, Any]) -> list[str]:
    name, url = settings["OPEN_DATA_LICENCE"], settings["OPEN_DATA_LICENCE_URL"]
    problems = []
    if not isinstance(name, str) or not name.strip():
        problems.append("OPEN_DATA_LICENCE must name the open data's licence")
    if not isinstance(url, str) or (url and not url.startswith(("https://", "http://"))):
        problems.append("OPEN_DATA_LICENCE_URL must be an http(s) address or empty")
    return problems


def write_starter(folder: Path) -> Path | None:
    """``jamfor init``: a settings file holding every project setting at its
    default, each with what it does; None where one exists already."""
    path = folder / "settings.py"
    if path.exists():
        return None
    lines = [
        '"""Settings of the comparison site (jamfor build --settings THIS_FILE).',
        "",
        "Every setting here is optional: one left out keeps the default shown. Pelican's",
        "own settings may be added too; PATH (the editorial pages, one folder per",
        "language) and THEME are read relative to this file.",
        '"""',
        "",
    ]
    for name, default, help_text in PROJECT_SETTINGS:
        lines += [f"# {help_text}.", f"{name} = {default!r}", ""]
    folder.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines), encoding="utf-8")
    return path
