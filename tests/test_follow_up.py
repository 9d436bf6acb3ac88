"""The municipality's follow-up in public: follow_ups.csv and a provider's status
date and reason, checked at load, shown on provider pages newest first, in the
lists and in providers.json; and the employer entrance's contact and guide."""

from __future__ import annotations

import datetime as dt
import json
import re
from html import unescape
from pathlib import Path

import pandas as pd
import pytest
from datafolder import line_of, valid_tables, write_folder

from generator.ingest.problems import InvalidData
from generator.ingest.validate import load_and_validate
from generator.model.followups import follow_ups, placements, under_action_plan
from generator.pages.views import EMPLOYER_SERVICES


def _follow_up(pid: str, day: str, kind: str, status: str = "closed", **summaries: str):
    row = {"provider_id": pid, "date": day, "kind": kind, "status": status,
           "summary_sv": summaries.pop("sv", "Besök. Inga brister.")}
    row.update({f"summary_{lang}": text for lang, text in summaries.items()})
    return row


def _problems(folder: Path) -> list[str]:
    with pytest.raises(InvalidData) as err:
        load_and_validate(folder)
    return err.value.lines()


# ---------------------------------------------------------------- the data


def test_a_folder_without_the_extensions_is_valid_and_has_no_follow_ups(tmp_path: Path) -> None:
    ds = load_and_validate(write_folder(tmp_path, valid_tables()))
    assert not ds.follow_ups_given and ds.follow_ups is not None and ds.follow_ups.empty
    assert ds.providers["status_since"].isna().all()


def test_follow_ups_and_status_dates_are_read(tmp_path: Path) -> None:
    tables = valid_tables()
    for p in tables["providers.csv"]:  # the header comes from the first row
        p.update(status_since="", status_reason="")
    paused = next(p for p in tables["providers.csv"] if p["status"] == "paused")
    paused.update(status_since="2025-09-01", status_reason="full")
    tables["follow_ups.csv"] = [
        _follow_up(paused["provider_id"], "2025-03-01", "quality_dialogue", en="A dialogue."),
        _follow_up(paused["provider_id"], "2025-06-01", "action_plan", "open"),
    ]
    ds = load_and_validate(write_folder(tmp_path, tables))
    assert ds.follow_ups_given and len(ds.follow_ups) == 2
    assert ds.follow_ups["date"].iloc[1] == pd.Timestamp("2025-06-01")
    row = ds.providers[ds.providers["provider_id"] == paused["provider_id"]].iloc[0]
    assert row["status_reason"] == "full"


def test_wrong_follow_ups_are_named_by_file_line_and_column(tmp_path: Path) -> None:
    tables = valid_tables()
    pid = tables["providers.csv"][0]["provider_id"]
    for p in tables["providers.csv"]:  # the header comes from the first row
        p.update(status_since="", status_reason="")
    active = next(i for i, p in enumerate(tables["providers.csv"]) if p["status"] == "active")
    tables["providers.csv"][active].update(status_since="2025-01-01")
    tomorrow = (dt.date.today() + dt.timedelta(days=1)).isoformat()
    tables["follow_ups.csv"] = [
        _follow_up("no-such-provider", "2025-03-01", "follow_up"),
        _follow_up(pid, "2025-03-01", "inspection"),
        _follow_up(pid, tomorrow, "warning"),
        _follow_up(pid, "2025-04-01", "warning", sv=""),
        _follow_up(pid, "2025-05-01", "follow_up", sv="x" * 401),
    ]
    lines = _problems(write_folder(tmp_path, tables))
    text = "\n".join(lines)
    assert re.search(rf"follow_ups\.csv:{line_of(0)}: column 'provider_id': 'no-such", text)
    assert re.search(rf"follow_ups\.csv:{line_of(1)}: column 'kind': 'inspection'", text)
    assert re.search(rf"follow_ups\.csv:{line_of(2)}: column 'date': .*after the day of the build",
                     text)
    assert re.search(rf"follow_ups\.csv:{line_of(3)}: column 'summary_sv': .*empty", text)
    assert re.search(rf"follow_ups\.csv:{line_of(4)}: column 'summary_sv': .*", text)
    assert re.search(rf"providers\.csv:{line_of(active)}: column 'status_since': .*active", text)


def test_follow_ups_are_newest_first_in_the_visitors_language_or_swedish() -> None:
    frame = pd.DataFrame([
        {"provider_id": "a", "date": pd.Timestamp("2024-05-01"), "kind": "follow_up",
         "status": "closed", "summary_sv": "Äldst.", "summary_en": "Oldest."},
        {"provider_id": "a", "date": pd.Timestamp("2025-02-01"), "kind": "warning",
         "status": "closed", "summary_sv": "Varning.", "summary_en": None},
        {"provider_id": "a", "date": pd.Timestamp("2025-02-01"), "kind": "action_plan",
         "status": "open", "summary_sv": "Plan.", "summary_en": "Plan."},
    ]).reindex(columns=["provider_id", "date", "kind", "status",
                        *(f"summary_{x}" for x in ("sv", "en", "ar", "fa", "so", "ti", "uk"))])
    items = follow_ups(frame)["a"]
    # Newest first; on one day the milder step (the plan) before the warning.
    assert [f.kind for f in items] == ["action_plan", "warning", "follow_up"]
    assert items[2].summary("en") == ("en", "Oldest.")
    assert items[1].summary("en") == ("sv", "Varning.")  # not written in English
    assert under_action_plan(items)
    assert not under_action_plan(items[1:])


# ---------------------------------------------------------------- the sample site


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def _section(html: str, heading_id: str) -> str:
    start = html.index(f'id="{heading_id}"')
    return html[start: html.index("</section>", start)]


@pytest.mark.slow
def test_provider_pages_show_the_follow_ups_newest_first(sample_site: Path) -> None:
    data = json.loads((sample_site / "data" / "providers.json").read_text(encoding="utf-8"))
    followed = {p["provider_id"]: p for p in data["providers"] if p["follow_ups"]}
    planned = next(pid for pid, p in followed.items()
                   if any(f["kind"] == "action_plan" and f["status"] == "open"
                          for f in p["follow_ups"]))
    en = (sample_site / "en" / "provider" / f"{planned}.html").read_text(encoding="utf-8")
    assert "put right shortcomings it found" in _text(en)  # the notice at the top
    section = _section(en, "follow-up-heading")
    dates = re.findall(r'<time datetime="([\d-]+)"', section)
    assert dates == sorted(dates, reverse=True) and len(dates) >= 2
    assert "Action plan" in _text(section) and "Ongoing" in _text(section)
    # In Arabic the summaries, written in Swedish and English only, are the
    # Swedish ones, marked as Swedish.
    ar = (sample_site / "ar" / "provider" / f"{planned}.html").read_text(encoding="utf-8")
    swedish = followed[planned]["follow_ups"][0]["summary"]["sv"]
    assert f'lang="sv" dir="ltr">{swedish}</p>' in unescape(_section(ar, "follow-up-heading"))
    # A provider without follow-ups says so, since the municipality publishes them.
    quiet = next(p["provider_id"] for p in data["providers"]
                 if not p["follow_ups"] and p["status"] == "active")
    page = (sample_site / "en" / "provider" / f"{quiet}.html").read_text(encoding="utf-8")
    assert "has recorded no follow-up" in _text(_section(page, "follow-up-heading"))


@pytest.mark.slow
def test_a_paused_or_deauthorised_provider_says_since_when_and_why(sample_site: Path) -> None:
    data = json.loads((sample_site / "data" / "providers.json").read_text(encoding="utf-8"))
    for status, reason in (("paused", "no room for more customers"),
                           ("deauthorised", "shortcomings in quality")):
        p = next(p for p in data["providers"] if p["status"] == status)
        assert p["status_since"] and p["status_reason"]
        page = _text((sample_site / "en" / "provider" / f"{p['provider_id']}.html")
                     .read_text(encoding="utf-8"))
        year = p["status_since"][:4]
        assert re.search(rf"Since [^.]*{year}\. Reason: {reason}\.", page), status


@pytest.mark.slow
def test_the_list_tags_providers_under_an_action_plan(sample_site: Path) -> None:
    data = json.loads((sample_site / "data" / "providers.json").read_text(encoding="utf-8"))
    planned = {p["provider_id"] for p in data["providers"] if p["status"] != "deauthorised"
               and any(f["kind"] == "action_plan" and f["status"] == "open"
                       for f in p["follow_ups"])}
    listing = (sample_site / "en" / "providers" / "index.html").read_text(encoding="utf-8")
    rows = re.findall(r"<tr data-filter-item[^>]*>.*?</tr>", listing, re.S)
    tagged = {re.search(r'provider/([a-z0-9-]+)\.html', row).group(1)
              for row in rows if 'data-followup="action-plan"' in row}
    assert tagged == planned and planned
    assert '<select id="list-followup" name="followup">' in listing


@pytest.mark.slow
def test_the_employer_entrance_has_a_contact_a_guide_and_only_providers_with_a_sector(
    sample_site: Path,
) -> None:
    data = json.loads((sample_site / "data" / "providers.json").read_text(encoding="utf-8"))
    listed = [p for p in data["providers"] if p["status"] in ("active", "paused")]
    for lang in ("", "ar/"):
        page = (sample_site / f"{lang}employers.html").read_text(encoding="utf-8")
        assert 'href="mailto:foretag@nacka.example"' in page
        assert re.search(r'href="[^"]*for-employers\.html"', page)
        assert (sample_site / f"{lang}for-employers.html").exists()
    entrance = (sample_site / "en" / "employers.html").read_text(encoding="utf-8")
    shown = set(re.findall(r'href="[^"]*provider/([a-z0-9-]+)\.html"', entrance))
    assert shown == {p["provider_id"] for p in listed if p["employer_sectors"]}
    # A provider of a service for employers that reports no sector is found by its service.
    without = [p for p in listed
               if not p["employer_sectors"] and set(p["services"]) & set(EMPLOYER_SERVICES)]
    assert without, "the sample has an employer service's provider without a sector"
    for p in without:
        assert p["provider_id"] not in shown
        for service in set(p["services"]) & set(EMPLOYER_SERVICES):
            page = sample_site / "en" / "employers" / f"service-{service}.html"
            assert f"provider/{p['provider_id']}.html" in page.read_text(encoding="utf-8")


def test_complaints_and_placements_are_checked_at_load(tmp_path: Path) -> None:
    tables = valid_tables()
    pid = tables["providers.csv"][0]["provider_id"]
    next_year = str(dt.date.today().year + 1)
    tables["complaints.csv"] = [
        {"provider_id": pid, "year": "2025", "complaints": "3"},
        {"provider_id": pid, "year": next_year, "complaints": "1"},
        {"provider_id": "no-such-provider", "year": "2025", "complaints": "-1"},
    ]
    tables["employer_placements.csv"] = [
        {"year": "2025", "sector": "bygg", "placements": "12", "hires": "4"},
        {"year": "2025", "sector": "rymd", "placements": "1", "hires": "x"},
    ]
    text = "\n".join(_problems(write_folder(tmp_path, tables)))
    assert re.search(rf"complaints\.csv:{line_of(1)}: column 'year': .*after the year", text)
    assert re.search(rf"complaints\.csv:{line_of(2)}: column 'provider_id'", text)
    assert re.search(rf"complaints\.csv:{line_of(2)}: column 'complaints'", text)
    assert re.search(rf"employer_placements\.csv:{line_of(1)}: column 'sector'", text)
    assert re.search(rf"employer_placements\.csv:{line_of(1)}: column 'hires'", text)
    assert "complaints.csv:2:" not in text and "employer_placements.csv:2:" not in text


@pytest.mark.slow
def test_complaints_are_counts_newest_first_and_small_placement_counts_are_hidden(
    sample_site: Path,
) -> None:
    data = Path(__file__).resolve().parent.parent / "data"
    complaints = pd.read_csv(data / "complaints.csv")
    pid = complaints.sort_values("complaints").iloc[-1]["provider_id"]
    page = (sample_site / "en" / "provider" / f"{pid}.html").read_text(encoding="utf-8")
    items = re.findall(r"<li>(\d{4}): (\d+) complaints?</li>", page)
    mine = complaints[complaints["provider_id"] == pid].sort_values("year", ascending=False)
    expected = list(zip(mine["year"], mine["complaints"], strict=True))
    assert [(int(y), int(n)) for y, n in items] == expected
    assert "so compare with care" in _text(page)
    placed = pd.read_csv(data / "employer_placements.csv")
    latest = placed[placed["year"] == placed["year"].max()]
    entrance = (sample_site / "en" / "employers.html").read_text(encoding="utf-8")
    table = entrance[entrance.index('id="placements-heading"'):]
    table = table[: table.index("</table>")]
    shown = {int(n) for n in re.findall(r'data-n="(\d+)"', table)}
    counts = set(latest["placements"]) | set(latest["hires"])
    assert shown == {n for n in counts if n >= 5}
    assert any(n < 5 for n in counts) and "fewer than 5" in table


def test_placements_under_k_are_not_counts_in_the_model() -> None:
    """A count of fewer than K people is never passed on to the pages."""
    frame = pd.DataFrame(
        {"year": [2024, 2025, 2025], "sector": ["bygg", "vard-omsorg", "bygg"],
         "placements": [40, 12, 4], "hires": [10, 5, 0]}
    )
    year, rows = placements(frame, 5)
    assert year == 2025
    assert {r.sector: (r.placements, r.hires) for r in rows} == {
        "bygg": (None, None), "vard-omsorg": (12, 5)
    }
