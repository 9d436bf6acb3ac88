"""The sample site's pages as the browser tests visit them: one page per template."""

from __future__ import annotations

import json
from pathlib import Path

from generator.build.settings import load_settings

LANGUAGES: list[str] = load_settings()["LANGUAGES"]
RTL = {"ar", "fa"}


def prefix(lang: str) -> str:
    return "" if lang == LANGUAGES[0] else f"{lang}/"


def template_pages(site: Path) -> dict[str, str]:
    """One page per template: start, lists, provider pages of each status, search, editorial."""
    data = json.loads((site / "data" / "providers.json").read_text(encoding="utf-8"))
    pages = {
        "start": "index.html",
        "list": "providers/index.html",
        "list-sorted": "providers/all-by-work-or-studies.html",
        "search": "search.html",
        "employers": "employers.html",
        "methodology": "methodology.html",
        "open-data": "open-data.html",
        "accessibility": "accessibility.html",
    }
    for status in ("active", "paused", "deauthorised"):
        # The fullest page of each status: one with the municipality's follow-ups.
        some = [p for p in data["providers"] if p["status"] == status]
        p = next((p for p in some if p.get("follow_ups")), some[0] if some else None)
        if p:
            pages[f"provider-{status}"] = f"provider/{p['provider_id']}.html"
    # Find and compare: the comparison (chosen in the address), a pre-built table per
    # service, a fact sheet, the employer entrance filtered by sector and by service.
    listed = [p for p in data["providers"] if p["status"] in ("active", "paused")]
    chosen = ",".join(p["provider_id"] for p in listed[:3])
    pages["compare"] = f"compare.html?p={chosen}"
    pages["compare-service"] = "compare/service-sfi.html"
    pages["factsheet"] = f"factsheet/{listed[0]['provider_id']}.html"
    paused = next((p for p in listed if p["status"] == "paused"), None)
    if paused:
        pages["factsheet-paused"] = f"factsheet/{paused['provider_id']}.html"
    sector = next(s for p in listed for s in p["employer_sectors"])
    pages["employers-sector"] = f"employers/sector-{sector}.html"
    pages["employers-service"] = "employers/service-praktik.html"
    # Results for people like me: the form page and a pre-built group page.
    pages["like-me"] = "like-me/index.html"
    pages["like-me-group"] = "like-me/age-band-20-24.html"
    return pages


# Every template is checked in the default language and in a right-to-left one;
# in the other languages, the pages whose text, scripts and lengths differ most
# by language. (The components are checked in every language on their own, in
# test_components.py.) Every page in all seven languages took a quarter of the
# suite's time.
EVERY_TEMPLATE = {LANGUAGES[0], "ar"}
BY_LANGUAGE = (
    "start", "provider-active", "methodology", "compare", "like-me-group", "factsheet",
    "employers",
)
