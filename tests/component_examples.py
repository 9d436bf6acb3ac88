"""Example calls of the theme's components, as GOV.UK Frontend keeps fixtures
beside each component: every state a component has (shown, few answers,
hidden for each reason, missing; one page or many), with what a visitor must
see. tests/test_components.py renders each in every language, checks the
text and runs axe-core on it, without building a site.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from generator.model.followups import FollowUp
from generator.model.mix import MixShare
from generator.model.sitemodel import Figure
from generator.model.verdicts import Reference
from generator.pages.views import ServiceResults


def figure(
    value: int | None,
    n: int | None = 120,
    *,
    indicator: str = "work_or_studies",
    few: bool = False,
    reason: str = "",
    comparison: str = "",
    strength: str = "",
) -> Figure:
    hidden = bool(reason)
    return Figure(
        indicator,
        "2023-2025",
        None if hidden else value,
        None if hidden or value is None else max(value - 8, 0),
        None if hidden or value is None else min(value + 8, 100),
        None if hidden or value is None or n is None else round(value * n / 100),
        None if hidden else n,
        hidden,
        reason,
        few,
        comparison,
        strength,
        provider_id="example",
    )


@dataclass(frozen=True)
class Example:
    name: str
    component: str  # the file in theme/templates/components/
    call: str  # a Jinja expression calling one of its macros
    arguments: dict[str, Any] = field(default_factory=dict)
    # Text a visitor must see, and text that must not be there (English).
    shows: tuple[str, ...] = ()
    never: tuple[str, ...] = ()


SHOWN = figure(78, 40)
EXAMPLES = (
    Example("cell: shown", "figure", "figure.cell(fig)", {"fig": SHOWN}, ("78", "70", "86")),
    Example(
        "cell: few answers",
        "figure",
        "figure.cell(fig)",
        {"fig": figure(90, 10, few=True)},
        ("90", "Few answers"),
    ),
    Example(
        "cell: too few",
        "figure",
        "figure.cell(fig)",
        {"fig": figure(None, reason="fewer_than_k")},
        ("Too few to show",),
        ("%",),
    ),
    Example(
        "cell: hidden to protect others",
        "figure",
        "figure.cell(fig)",
        {"fig": figure(None, reason="secondary")},
        ("Hidden to protect privacy",),
        ("Too few", "%"),
    ),
    Example("cell: no figures", "figure", "figure.cell(None)", {}, ("No figures",)),
    Example(
        "cell: a count",
        "figure",
        "figure.cell(fig)",
        {"fig": figure(134, None, indicator="started")},
        ("134",),
        ("%",),
    ),
    Example(
        "detail: shown",
        "figure",
        "figure.detail(fig)",
        {"fig": SHOWN},
        ("78", "Likely between 70", "31 of 40"),
    ),
    Example(
        "detail: too few, with its reason",
        "figure",
        "figure.detail(fig)",
        {"fig": figure(None, reason="fewer_than_k")},
        ("Too few to show", "Fewer than 5 people."),
        ("%",),
    ),
    Example(
        "detail: hidden to protect others, never 'too few'",
        "figure",
        "figure.detail(fig)",
        {"fig": figure(None, reason="secondary")},
        ("Hidden to protect privacy", "Hidden so that no one's result can be worked out."),
        ("Too few", "Fewer than"),
    ),
    Example(
        "head count under the staff figures' own threshold (3, not K)",
        "figure",
        "figure.headcount(role)",
        {"role": {"headcount": None, "headcount_below_k": True, "headcount_hidden": False}},
        ("fewer than 3",),
        ("fewer than 5",),
    ),
    Example(
        "staff share: every employee counted, so exact, without a range",
        "figure",
        "figure.detail(fig)",
        {"fig": figure(63, 8, indicator="teachers_certified", few=True)},
        ("63", "5 of 8 teachers"),
        ("Likely", "Few answers", "55"),
    ),
    Example(
        "staff share hidden: fewer than the staff threshold",
        "figure",
        "figure.detail(fig)",
        {"fig": figure(None, indicator="teachers_certified", reason="fewer_than_k")},
        ("Too few to show", "Fewer than 3 people."),
    ),
    Example(
        "head count",
        "figure",
        "figure.headcount(role)",
        {"role": {"headcount": 12, "headcount_below_k": False, "headcount_hidden": False}},
        ("12",),
    ),
    Example(
        "results by service: each service against all providers of the same service",
        "results",
        "results.by_service(rows, 'by-service', '2023-2025')",
        {"rows": [ServiceResults(
            "sfi",
            (figure(81, 40, indicator="satisfied_end"), figure(52, 27),
             figure(None, indicator="self_sufficient_6m", reason="secondary")),
            (figure(84, 300, indicator="satisfied_end"), figure(65, 280),
             figure(71, 90, indicator="self_sufficient_6m")),
        )]},
        ("Swedish for immigrants (SFI)", "All providers of Swedish for immigrants (SFI) together",
         "52", "65", "Hidden to protect privacy", "Results by service, 2023–2025"),
    ),
    Example(
        "postcode: its two groups keep their order in every script",
        "contact",
        "contact.postcode(code)",
        {"code": "132 34"},
        ("132 34",),
    ),
    Example(
        "opening hours as data: days and times in the visitor's language, notes as written",
        "hours",
        "hours.opening_hours(text)",
        {"text": 'Mo-Th 08:00-18:00; Fr 08:00-15:00; Sa,Su off; "Stängt i juli"'},
        ("Monday–Thursday", "6:00", "Friday", "Saturday and Sunday closed", "Stängt i juli"),
        ("Mo-Th", "off"),
    ),
    Example(
        "opening hours as free text: shown as written",
        "hours",
        "hours.opening_hours(text)",
        {"text": "Efter överenskommelse"},
        ("Efter överenskommelse",),
    ),
    Example(
        "sentence: shown, against all providers",
        "plain",
        "plain.sentence(fig, reference, '2023-2025')",
        {"fig": SHOWN, "reference": Reference(figure(60, 900), None, True)},
        ("31", "40", "78", "For all providers: 60", "clearly higher"),
    ),
    Example(
        "sentence: against all providers of its one service",
        "plain",
        "plain.sentence(fig, reference, '2023-2025')",
        {"fig": SHOWN, "reference": Reference(figure(60, 900), "sfi", True)},
        ("For all providers of Swedish for immigrants (SFI): 60", "clearly higher"),
    ),
    Example(
        "sentence: several services, so no verdict",
        "plain",
        "plain.sentence(fig, reference, '2023-2025')",
        {"fig": SHOWN, "reference": Reference(figure(60, 900), None, False)},
        ("all services together: 60", "by service below"),
        ("clearly", "chance"),
    ),
    Example(
        "sentence: few answers",
        "plain",
        "plain.sentence(fig, reference, '2023-2025')",
        {"fig": figure(90, 10, few=True), "reference": Reference(figure(60, 900), None, True)},
        ("uncertain",),
        ("clearly",),
    ),
    Example(
        "sentence: hidden to protect others",
        "plain",
        "plain.sentence(fig, none, '2023-2025')",
        {"fig": figure(None, reason="secondary")},
        ("is hidden",),
        ("Too few",),
    ),
    Example(
        "points: better than expected",
        "plain",
        "plain.points(fig)",
        {"fig": figure(12, 200, indicator="work_or_studies_vs_expected", comparison="better")},
        ("12 more out of 100 than expected", "Likely between"),
    ),
    Example(
        "points: clearly better than expected",
        "plain",
        "plain.points(fig)",
        {"fig": figure(15, 300, indicator="work_or_studies_vs_expected", comparison="better",
                       strength="clearly")},
        ("15 more out of 100 than expected", "Clearly better than expected"),
    ),
    Example(
        "points: a single year, shown without a class",
        "plain",
        "plain.points(fig)",
        {"fig": figure(-6, 80, indicator="work_or_studies_vs_expected")},
        ("6 fewer out of 100 than expected", "Likely between"),
        ("Few answers", "Better than", "Worse than", "No clear difference"),
    ),
    Example(
        "pagination: one page shows nothing",
        "pagination",
        "pagination.nav(paths, 1)",
        {"paths": ("providers/index.html",)},
        (),
        ("Next page",),
    ),
    Example(
        "pagination: page 6 of 12",
        "pagination",
        "pagination.nav(paths, 6) ~ pagination.range_text(251, 50, 600)",
        {"paths": tuple(f"providers/all-page-{n}.html" for n in range(1, 13))},
        ("Previous page", "Next page", "Showing 251–300 of 600."),
    ),
    Example(
        "phone number",
        "contact",
        "contact.phone(number)",
        {"number": "08-465 004 06"},
        ("08-465 004 06",),
    ),
    Example(
        "customer mix: a group's share, from two published counts",
        "figure",
        "figure.mix(s)",
        {"s": MixShare("age_band=20-24", figure(50, 30), figure(50, 120), 25)},
        ("25",),
        ("Hidden", "No customers"),
    ),
    Example(
        "customer mix: a hidden count hides the share, with the count's own reason",
        "figure",
        "figure.mix(s) ~ figure.mix(none)",
        {"s": MixShare("age_band=20-24", figure(None, reason="secondary"), figure(50, 120),
                       None),
         "none": MixShare("age_band=16-19", None, figure(50, 120), None)},
        ("Hidden to protect privacy", "No customers"),
        ("%", "Too few"),
    ),
    Example(
        "follow-ups, newest first; a summary not written in the visitor's language is Swedish",
        "followup",
        "followup.follow_up_list(p, 'en')",
        {"p": {"follow_ups": (
            FollowUp(dt.date(2025, 11, 10), "action_plan", "open",
                     (("sv", "Åtgärdsplan för bättre information."),)),
            FollowUp(dt.date(2025, 10, 2), "quality_dialogue", "closed",
                     (("sv", "Kvalitetsdialog."), ("en", "A quality dialogue."))),
        )}},
        ("Action plan", "Ongoing", "Åtgärdsplan för bättre information.", "Quality dialogue",
         "Closed", "A quality dialogue."),
        ("Kvalitetsdialog.", "no follow-up"),
    ),
    Example(
        "follow-ups: none recorded",
        "followup",
        "followup.follow_up_list(p, 'en')",
        {"p": {"follow_ups": ()}},
        ("The municipality has recorded no follow-up of this provider.",),
    ),
    Example(
        "a provider's status: since when and why, and an open action plan",
        "followup",
        "followup.status_since(p) ~ followup.action_plan_notice(p)",
        {"p": {"status_since": dt.date(2025, 9, 1), "status_reason": "full",
               "action_plan": True}},
        ("2025", "Reason: no room for more customers.", "(an action plan)"),
    ),
    Example(
        "compare tick box",
        "shortlist",
        "shortlist.toggle(p)",
        {"p": {"id": "example", "name": "Exempel AB"}},
    ),
)
