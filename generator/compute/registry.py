"""The indicators: one entry each, and every list of them derived from here.

An entry says what an indicator is (a share, a count, a difference, a staff
share), where pages use it (headline lists and sort orders, the provider's
results table, breakdowns by customer group, people like me, search results)
and its words: the label, the short column heading, the unit of its base and
the plain-language sentence. Labels, open data, the site model, the
comparison and the templates read those uses from here, so adding an
indicator is one entry here, its computation in ``indicators.py``, and the
translations of its words.

``N_`` and ``NP_`` only mark messages for extraction (``pybabel extract -k N_
-k NP_:1,2``); the templates translate them in the visitor's language.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Kind = Literal["share", "count", "difference", "staff"]


def N_(message: str) -> str:  # noqa: N802 - the gettext convention
    """Marks a message for extraction; labels.py uses this one too."""
    return message


def NP_(singular: str, plural: str) -> tuple[str, str]:  # noqa: N802 - the gettext convention
    return singular, plural


@dataclass(frozen=True)
class Indicator:
    name: str  # the open data's code
    kind: Kind
    label: str
    short: str | None  # the column heading in tables; None where no table has the column
    # "%(num)s answers": what the figure's base counts.
    unit: tuple[str, str] | None = None
    # "Of %(base)s customers who …, %(num)s (%(share)s) …" for shares of customers.
    sentence: tuple[str, str] | None = None
    headline: bool = False  # provider lists: columns and sort orders
    results: bool = False  # a row of the provider's results table and of the comparison
    breakdown: bool = False  # computed per customer group (indicator 7 of the contract)
    # Computed per service but for no customer group: a split no page shows by group.
    by_service: bool = False
    # Shown per customer group on pages (people like me): the column's place, 1 first.
    profile: int = 0
    search_result: bool = False  # shown in a search result entry
    factsheet: bool = False  # a row of the printable fact sheet
    staff_role: str | None = None  # the staff.csv role a staff share counts
    # A difference follows the share it is about, in tables and the comparison.
    about: str | None = None
    # A row of the provider page's results table on paper too. The split of work
    # or studies and how services ended stay on screen: the fact sheet is the
    # printed summary, and the page stays within a few sheets.
    on_paper: bool = True
    # (a, b): worked out after disclosure control from two published figures,
    # a's base over b's base, for all customers of a provider and period (the
    # response rates: derived.py). Not counted from the records.
    derived_from: tuple[str, str] | None = None


# In the order pages show them; the open data lists them in the same order.
INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        "satisfied_end",
        "share",
        N_("Satisfied customers at the end"),
        N_("Satisfied"),
        unit=NP_("%(num)s answer", "%(num)s answers"),
        sentence=NP_(
            "Of %(base)s customer who answered at the end in %(period)s, %(num)s (%(share)s)"
            " were satisfied.",
            "Of %(base)s customers who answered at the end in %(period)s, %(num)s (%(share)s)"
            " were satisfied.",
        ),
        headline=True,
        results=True,
        factsheet=True,
        breakdown=True,
        profile=2,
        search_result=True,
    ),
    Indicator(
        "satisfied_4w",
        "share",
        N_("Satisfied customers after four weeks"),
        N_("Satisfied after 4 weeks"),
        unit=NP_("%(num)s answer", "%(num)s answers"),
        sentence=NP_(
            "Of %(base)s customer who answered after four weeks in %(period)s, %(num)s"
            " (%(share)s) were satisfied.",
            "Of %(base)s customers who answered after four weeks in %(period)s, %(num)s"
            " (%(share)s) were satisfied.",
        ),
        results=True,
        breakdown=True,
    ),
    Indicator(
        "work_or_studies",
        "share",
        N_("Went on to work or studies"),
        N_("Work or studies"),
        unit=NP_("%(num)s customer who finished", "%(num)s customers who finished"),
        sentence=NP_(
            "Of %(base)s customer who finished in %(period)s, %(num)s (%(share)s) went on to"
            " work or studies.",
            "Of %(base)s customers who finished in %(period)s, %(num)s (%(share)s) went on to"
            " work or studies.",
        ),
        headline=True,
        results=True,
        factsheet=True,
        breakdown=True,
        profile=1,
        search_result=True,
    ),
    Indicator(
        "into_work",
        "share",
        N_("Went on to work"),
        N_("Work"),
        unit=NP_("%(num)s customer who finished", "%(num)s customers who finished"),
        sentence=NP_(
            "Of %(base)s customer who finished in %(period)s, %(num)s (%(share)s) went on to"
            " work.",
            "Of %(base)s customers who finished in %(period)s, %(num)s (%(share)s) went on to"
            " work.",
        ),
        results=True,
        on_paper=False,
        by_service=True,
    ),
    Indicator(
        "into_studies",
        "share",
        N_("Went on to studies"),
        N_("Studies"),
        unit=NP_("%(num)s customer who finished", "%(num)s customers who finished"),
        sentence=NP_(
            "Of %(base)s customer who finished in %(period)s, %(num)s (%(share)s) went on to"
            " studies.",
            "Of %(base)s customers who finished in %(period)s, %(num)s (%(share)s) went on to"
            " studies.",
        ),
        results=True,
        on_paper=False,
        by_service=True,
    ),
    Indicator(
        "self_sufficient_6m",
        "share",
        N_("Still self-sufficient after six months"),
        N_("Self-sufficient after 6 months"),
        unit=NP_("%(num)s customer followed up", "%(num)s customers followed up"),
        sentence=NP_(
            "Of %(base)s customer followed up six months after getting work or studies in"
            " %(period)s, %(num)s (%(share)s) still supported themselves.",
            "Of %(base)s customers followed up six months after getting work or studies in"
            " %(period)s, %(num)s (%(share)s) still supported themselves.",
        ),
        headline=True,
        results=True,
        factsheet=True,
        breakdown=True,
        profile=3,
    ),
    Indicator(
        "passed",
        "share",
        N_("Passed grades"),
        N_("Passed"),
        unit=NP_("%(num)s graded customer", "%(num)s graded customers"),
        sentence=NP_(
            "Of %(base)s customer who got a grade in %(period)s, %(num)s (%(share)s) passed.",
            "Of %(base)s customers who got a grade in %(period)s, %(num)s (%(share)s) passed.",
        ),
        headline=True,
        results=True,
        factsheet=True,
    ),
    Indicator(
        "started",
        "count",
        N_("Customers who started"),
        N_("Started"),
        results=True,
        factsheet=True,
    ),
    Indicator(
        "dropped_out",
        "share",
        N_("Customers who dropped out"),
        N_("Dropped out"),
        unit=NP_("%(num)s customer whose service ended", "%(num)s customers whose service ended"),
        sentence=NP_(
            "Of %(base)s customer whose service ended in %(period)s, %(num)s (%(share)s)"
            " dropped out.",
            "Of %(base)s customers whose service ended in %(period)s, %(num)s (%(share)s)"
            " dropped out.",
        ),
        results=True,
        on_paper=False,
    ),
    Indicator(
        "switched_provider",
        "share",
        N_("Customers who switched to another provider"),
        N_("Switched provider"),
        unit=NP_("%(num)s customer whose service ended", "%(num)s customers whose service ended"),
        sentence=NP_(
            "Of %(base)s customer whose service ended in %(period)s, %(num)s (%(share)s)"
            " switched to another provider.",
            "Of %(base)s customers whose service ended in %(period)s, %(num)s (%(share)s)"
            " switched to another provider.",
        ),
        results=True,
        on_paper=False,
    ),
    Indicator(
        "answered_4w",
        "share",
        N_("Customers who answered the survey after four weeks"),
        N_("Answered after 4 weeks"),
        unit=NP_("%(num)s customer whose service ended", "%(num)s customers whose service ended"),
        sentence=NP_(
            "Of %(base)s customer whose service ended in %(period)s, %(num)s (%(share)s)"
            " had answered the survey four weeks after the start.",
            "Of %(base)s customers whose service ended in %(period)s, %(num)s (%(share)s)"
            " had answered the survey four weeks after the start.",
        ),
        results=True,
        on_paper=False,
        derived_from=("satisfied_4w", "dropped_out"),
    ),
    Indicator(
        "answered_end",
        "share",
        N_("Customers who answered the survey at the end"),
        N_("Answered at the end"),
        unit=NP_("%(num)s customer whose service ended", "%(num)s customers whose service ended"),
        sentence=NP_(
            "Of %(base)s customer whose service ended in %(period)s, %(num)s (%(share)s)"
            " answered the survey at the end.",
            "Of %(base)s customers whose service ended in %(period)s, %(num)s (%(share)s)"
            " answered the survey at the end.",
        ),
        results=True,
        on_paper=False,
        derived_from=("satisfied_end", "dropped_out"),
    ),
    Indicator(
        "work_or_studies_vs_expected",
        "difference",
        N_("Work or studies compared with what would be expected for its customers"),
        None,
        about="work_or_studies",
    ),
    Indicator(
        "teachers_certified",
        "staff",
        N_("Teachers with a teacher certification"),
        None,
        unit=NP_("%(num)s teacher", "%(num)s teachers"),
        staff_role="teacher",
    ),
    Indicator(
        "teachers_with_degree",
        "staff",
        N_("Teachers with a relevant degree"),
        None,
        unit=NP_("%(num)s teacher", "%(num)s teachers"),
        staff_role="teacher",
    ),
    Indicator(
        "coaches_with_degree",
        "staff",
        N_("Coaches with a relevant degree"),
        None,
        unit=NP_("%(num)s coach", "%(num)s coaches"),
        staff_role="coach",
    ),
)

BY_NAME: dict[str, Indicator] = {i.name: i for i in INDICATORS}
NAMES: tuple[str, ...] = tuple(BY_NAME)


def names(*, kind: Kind | None = None, **uses: bool | str) -> tuple[str, ...]:
    """The names of the indicators of a kind and with the given uses (True: any
    use at all; a string: that value), in page order."""

    def has(i: Indicator, use: str, wanted: bool | str) -> bool:
        value = getattr(i, use)
        return bool(value) == wanted if isinstance(wanted, bool) else value == wanted

    return tuple(
        i.name
        for i in INDICATORS
        if (kind is None or i.kind == kind) and all(has(i, u, v) for u, v in uses.items())
    )


def with_differences(shown: tuple[str, ...]) -> tuple[str, ...]:
    """``shown`` with each difference right after the share it is about."""
    out: list[str] = []
    for name in shown:
        out.append(name)
        out += [i.name for i in INDICATORS if i.about == name]
    return tuple(out)


HEADLINE = names(headline=True)
RESULTS = names(results=True)
SHARES = names(kind="share")
STAFF = names(kind="staff")
BREAKDOWN = names(breakdown=True)
# Every indicator with figures for each service's customers.
BY_SERVICE = tuple(i.name for i in INDICATORS if i.breakdown or i.by_service)
# Worked out from published figures (derived.py): name -> (its numerator's
# figure, its denominator's figure), each figure's base.
DERIVED: dict[str, tuple[str, str]] = {
    i.name: i.derived_from for i in INDICATORS if i.derived_from is not None
}
PROFILE = tuple(sorted(names(profile=True), key=lambda n: BY_NAME[n].profile))
SEARCH_RESULT = names(search_result=True)
FACTSHEET = names(factsheet=True)
