"""The rules behind the plain-language sentences, and that no template decides one."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

import pytest
from conftest import ROOT
from statsmodels.stats.proportion import proportion_confint

from generator.model.sitemodel import Figure, Provider
from generator.model.verdicts import (
    armitage_z,
    difference,
    expected_share,
    trend,
    versus_all,
)


def fig(value, low=None, high=None, *, few=False, hidden=False, period="2025", n=100) -> Figure:
    return Figure(
        "work_or_studies",
        period,
        None if hidden else value,
        None if hidden else low,
        None if hidden else high,
        None,
        None if hidden else n,
        hidden,
        "secondary" if hidden else "",
        few,
    )


def test_versus_all_decides_by_the_providers_interval_its_ends_included() -> None:
    own = fig(60, 50, 70)
    assert versus_all(own, fig(49)) == "higher"
    assert versus_all(own, fig(50)) == "chance"
    assert versus_all(own, fig(70)) == "chance"
    assert versus_all(own, fig(71)) == "lower"
    # Nothing to say: a figure missing or hidden, or resting on few answers.
    assert versus_all(own, None) is None
    assert versus_all(None, fig(40)) is None
    assert versus_all(own, fig(None, hidden=True)) is None
    assert versus_all(fig(None, hidden=True), fig(40)) is None
    assert versus_all(fig(90, 60, 98, few=True), fig(40)) is None


def _percent(fraction: float) -> int:
    return int(Decimal(repr(fraction * 100)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def test_versus_all_agrees_with_statsmodels_wilson_away_from_rounding() -> None:
    """Cross-check on unrounded numbers: the all-provider share below
    statsmodels' Wilson interval is "higher", above it "lower". The rule sees
    whole percent, so cases within one point of a bound are left out."""
    compared = 0
    for n in (20, 35, 60, 120, 400):
        for x in range(0, n + 1, max(1, n // 15)):
            low, high = proportion_confint(x, n, alpha=0.05, method="wilson")
            own = fig(_percent(x / n), _percent(low), _percent(high), n=n)
            for share in range(0, 101, 3):
                p = share / 100
                if min(abs(p - low), abs(p - high)) < 0.011:
                    continue
                expected = "higher" if p < low else "lower" if p > high else "chance"
                assert versus_all(own, fig(share)) == expected, (x, n, share)
                compared += 1
    assert compared > 2_000


def test_expected_share_adds_up_and_needs_both_figures() -> None:
    assert expected_share(fig(62, 50, 72), fig(8, -3, 19)) == 54
    assert expected_share(fig(62, 50, 72), fig(-5, -15, 4)) == 67
    assert expected_share(fig(62, 50, 72), fig(None, hidden=True)) is None
    assert expected_share(fig(None, hidden=True), fig(8, -3, 19)) is None
    assert expected_share(fig(62, 50, 72), None) is None


def _provider(figures: dict[str, Figure]) -> Provider:
    return Provider(
        id="p",
        name="P",
        org_number="",
        website=None,
        email=None,
        phone=None,
        services=(),
        staff_languages=(),
        employer_sectors=(),
        authorised_since=None,
        status="active",
        premises=[],
        staff={},
        staff_year=None,
        groups=[],
        groups_year=None,
        texts={},
        figures={year: {"work_or_studies": f} for year, f in figures.items()},
        profiles={},
    )


def test_a_difference_is_said_in_counted_words() -> None:
    assert (difference(fig(13)).direction, difference(fig(13)).count) == ("more", 13)
    assert (difference(fig(-4)).direction, difference(fig(-4)).count) == ("fewer", 4)
    assert difference(fig(0)).direction == "same"
    assert difference(fig(None, hidden=True)) is None and difference(None) is None


def counted(x: int, n: int, period: str, *, few: bool = False) -> Figure:
    return Figure("work_or_studies", period, round(100 * x / n), 0, 100, x, n, False, "", few)


def test_a_trend_names_the_first_and_last_reliable_years_or_the_only_one() -> None:
    years = ("2021", "2022", "2023", "2024", "2025")
    p = _provider(
        {
            "2021": fig(None, hidden=True, period="2021"),
            "2022": counted(70, 100, "2022"),
            "2023": counted(19, 19, "2023", few=True),  # few answers: never an end
            "2024": counted(75, 100, "2024"),
            "2025": counted(2, 10, "2025", few=True),
        }
    )
    found = trend(p, years, "work_or_studies")
    assert found is not None and found.last is not None
    assert (found.first.period, found.last.period) == ("2022", "2024")
    assert found.direction == "chance"  # 70 % to 75 % of 100: could be chance
    one = trend(_provider({"2023": counted(70, 100, "2023")}), years, "work_or_studies")
    assert one is not None and one.first.period == "2023" and one.last is None
    assert trend(_provider({}), years, "work_or_studies") is None
    only_few = _provider({"2023": counted(9, 10, "2023", few=True)})
    assert trend(only_few, years, "work_or_studies") is None


def test_a_change_is_stated_only_when_the_trend_test_excludes_chance() -> None:
    years = ("2021", "2022", "2023")
    up = _provider({y: counted(x, 100, y) for y, x in zip(years, (50, 60, 70), strict=True)})
    down = _provider({y: counted(x, 100, y) for y, x in zip(years, (70, 60, 50), strict=True)})
    flat = _provider({y: counted(x, 100, y) for y, x in zip(years, (60, 66, 62), strict=True)})
    assert trend(up, years, "work_or_studies").direction == "up"
    assert trend(down, years, "work_or_studies").direction == "down"
    assert trend(flat, years, "work_or_studies").direction == "chance"


def test_the_trend_statistic_is_the_linear_by_linear_test_of_statsmodels() -> None:
    """Cochran-Armitage's z^2 is N / (N - 1) times the linear-by-linear
    association statistic statsmodels computes for the 2 x k table."""
    import numpy as np
    from statsmodels.stats.contingency_tables import Table

    successes, trials = [31, 40, 52, 47], [60, 70, 75, 62]
    scores = [2021.0, 2022.0, 2023.0, 2024.0]
    z = armitage_z(successes, trials, scores)
    table = np.array([[x, n - x] for x, n in zip(successes, trials, strict=True)])
    theirs = Table(table).test_ordinal_association(row_scores=np.array(scores))
    n_total = sum(trials)
    assert z**2 == pytest.approx(theirs.zscore**2 * n_total / (n_total - 1), rel=1e-9)


@pytest.mark.parametrize(
    "pattern",
    [
        # Jinja's "-%}" and "-}}" trim whitespace: no arithmetic.
        r"\.(value|ci_low|ci_high|numerator|denominator)\s*[-+*/<>](?![%}])",
        r"[-+*/<>]\s*[\w.]+\.(value|ci_low|ci_high|numerator|denominator)\b",
        r"shown\|length|shown_figures\(",
    ],
)
def test_no_template_decides_a_statistical_rule(pattern: str) -> None:
    """Comparing or computing with figures belongs in verdicts.py, where it is tested."""
    found = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in sorted((ROOT / "theme" / "templates").rglob("*"))
        if path.is_file()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if re.search(pattern, line)
    ]
    assert not found, found


def test_a_provider_is_set_against_its_own_service_where_there_are_figures_by_service() -> None:
    """An SFI school is compared with all SFI schools, not with every service;
    one offering several services gets the all-services figure without a
    verdict; an indicator without figures by service keeps the all-provider one."""
    import dataclasses

    from generator.model.verdicts import reference

    everyone, sfi = fig(76, period="2023-2025"), fig(65, period="2023-2025")
    by_service = {"sfi": {"work_or_studies": sfi}, "praktik": {}}
    sfi_school = dataclasses.replace(_provider({}), services=("sfi",))
    both = dataclasses.replace(_provider({}), services=("sfi", "praktik"))
    placements = dataclasses.replace(_provider({}), services=("praktik",))

    own = reference(sfi_school, "work_or_studies", everyone, by_service)
    assert (own.figure, own.service, own.comparable) == (sfi, "sfi", True)
    mixed = reference(both, "work_or_studies", everyone, by_service)
    assert (mixed.figure, mixed.service, mixed.comparable) == (everyone, None, False)
    # No figure for its one service (none published): no like-for-like verdict.
    alone = reference(placements, "work_or_studies", everyone, by_service)
    assert (alone.figure, alone.comparable) == (everyone, False)
    # Passed grades have no figures by service: all providers, as before.
    graded = reference(both, "passed", everyone, by_service)
    assert (graded.figure, graded.service, graded.comparable) == (everyone, None, True)
    # The verdict follows: 60 % (likely 50-70) is "lower" than every service's
    # 76 %, but could be chance against the SFI schools' 65 %.
    school = fig(60, 50, 70, period="2023-2025")
    assert versus_all(school, everyone) == "lower"
    assert versus_all(school, own.figure) == "chance"


def test_easy_to_read_words_for_a_share() -> None:
    """'About 7 of 10', rounded half up as every share; 'almost all' from 95 %,
    'almost none' up to 5 %; nothing for a hidden or missing figure."""
    from generator.model.verdicts import out_of_ten

    def share(value: int | None, suppressed: bool = False) -> Figure:
        return Figure("satisfied_end", "2023-2025", value, None, None, None, 40, suppressed,
                      "", False)

    assert out_of_ten(share(66)) == ("about", 7)
    assert out_of_ten(share(65)) == ("about", 7)
    assert out_of_ten(share(64)) == ("about", 6)
    assert out_of_ten(share(94)) == ("about", 9)
    assert out_of_ten(share(95)) == ("almost_all", None)
    assert out_of_ten(share(6)) == ("about", 1)
    assert out_of_ten(share(5)) == ("almost_none", None)
    assert out_of_ten(share(None, suppressed=True)) is None
    assert out_of_ten(None) is None
