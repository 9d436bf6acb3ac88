"""Who a provider's customers were (issue 17): shares worked out from published
counts only, shown beside all providers' mix; a hidden count keeps its share
hidden, with the hidden figure's own reason."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from generator.model.mix import BASE, customer_mix, share_of
from generator.model.sitemodel import Figure


def _fig(den: int | None, *, breakdown: str = "total", reason: str = "") -> Figure:
    hidden = bool(reason)
    return Figure(BASE, "2023-2025", None if hidden else 50, None, None, None,
                  None if hidden else den, hidden, reason, False, breakdown=breakdown)


def test_a_share_is_rounded_half_up_and_needs_both_counts_published() -> None:
    assert share_of(_fig(1), _fig(8)) == 13  # 12.5 -> 13
    assert share_of(_fig(1), _fig(3)) == 33
    assert share_of(_fig(2), _fig(3)) == 67
    assert share_of(_fig(None, reason="secondary"), _fig(40)) is None
    assert share_of(_fig(12), _fig(None, reason="secondary")) is None
    assert share_of(None, _fig(40)) is None


def test_the_mix_keeps_page_order_and_says_what_hides_a_share() -> None:
    total = _fig(40)
    profiles = {
        "age_band=20-24": {BASE: _fig(10, breakdown="age_band=20-24")},
        "age_band=25-29": {BASE: _fig(None, breakdown="age_band=25-29", reason="secondary")},
    }
    groups = {"age_band": ("age_band=16-19", "age_band=20-24", "age_band=25-29"),
              "disability": ("disability=yes",)}
    mix = customer_mix(profiles, total, groups)
    assert list(mix) == ["age_band"]  # no disability rows at all: no column
    none, shown, hidden = mix["age_band"]
    assert none.part is None and none.share is None and none.hidden is None  # no customers
    assert shown.share == 25 and shown.hidden is None
    assert hidden.share is None and hidden.hidden is hidden.part
    # A hidden total hides every share, each saying it is the total that is hidden.
    dark = customer_mix(profiles, _fig(None, reason="secondary"), groups)["age_band"][1]
    assert dark.share is None and dark.hidden is dark.total


@pytest.mark.slow
def test_every_share_of_the_mix_on_a_page_is_its_published_counts(sample_site: Path) -> None:
    with (sample_site / "data" / "indicators.csv").open(encoding="utf-8") as f:
        rows = {(r["provider_id"], r["year"], r["indicator"], r["breakdown"]): r
                for r in csv.DictReader(f)}
    checked = hidden = 0
    for page in sorted((sample_site / "en" / "provider").glob("*.html")):
        html = page.read_text(encoding="utf-8")
        if 'id="mix-heading"' not in html:
            continue
        section = html[html.index('id="mix-heading"'):]
        section = section[: section.index("</section>")]
        hidden += section.count("figure--suppressed")
        for part, total, share in re.findall(
            r'<span class="figure" data-fig="([^"]+)" data-n="\d+">'
            r'<span class="figure__value" data-fig="([^"]+)" data-n="\d+">(\d+)', section
        ):
            p, t = rows[tuple(part.split("|"))], rows[tuple(total.split("|"))]
            assert p["denominator"] and t["denominator"], (page.name, part)
            expected = int(100 * int(p["denominator"]) / int(t["denominator"]) + 0.5)
            assert int(share) == expected, (page.name, part)
            checked += 1
    assert checked > 100 and hidden > 10
