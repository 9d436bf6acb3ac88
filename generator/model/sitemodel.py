"""The language-neutral model of the site: providers with their facts and protected figures.

Built once per build from the validated Dataset and the protected indicator
table; the Pelican plugin renders it in every language. Only published values
reach this model: a suppressed figure carries its reason and no numbers.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from generator.compute import registry
from generator.compute.casemix import NotComparable, not_comparable
from generator.compute.indicators import BREAKDOWN_COLUMNS as BREAKDOWN_VALUES
from generator.compute.indicators import services_with_records, unknown_outcomes
from generator.ingest import schema
from generator.ingest.dataset import Dataset
from generator.ingest.sanitize import render_markdown
from generator.model import labels
from generator.model.followups import (
    FollowUp,
    Placements,
    complaints,
    follow_ups,
    placements,
    under_action_plan,
)
from generator.protect.disclosure import FEWER_THAN_K, SECONDARY
from generator.slugs import slugify, unique_slugs

HEADLINE = registry.HEADLINE
SHARE_INDICATORS = registry.SHARES
STAFF_INDICATORS = registry.STAFF
SORT_KEYS = ("name",) + HEADLINE
VS_EXPECTED = "work_or_studies_vs_expected"
# Indicator 7 as the pages show it (the open data also has satisfied_4w).
PROFILE_INDICATORS = registry.PROFILE
# The situations a visitor can pick ("people like me"), in the order the form asks.
PROFILE_COLUMNS = ("age_band", "born_abroad", "education_level", "service")
# Every breakdown column the provider page shows: all that indicator 7 has.
BREAKDOWN_COLUMNS = tuple(BREAKDOWN_VALUES)
TREND_YEARS = 5
# All providers' figures by group that pages show beside a provider's own. The
# model keeps no others: any all-provider figure in the model is on pages, so
# a change to one that is not shown would re-render every page for nothing.
ALL_PROFILE_INDICATORS = ("work_or_studies",)


@dataclass(frozen=True)
class Figure:
    """One published (or suppressed) figure."""

    indicator: str
    period: str
    value: int | None
    ci_low: int | None
    ci_high: int | None
    numerator: int | None
    denominator: int | None
    suppressed: bool
    reason: str
    low_reliability: bool
    comparison: str = ""
    strength: str = ""  # "clearly" where the class holds at 99.8 % too
    # Which row of the open data this is (see marks.py).
    provider_id: str = ""
    breakdown: str = "total"

    @property
    def shown(self) -> bool:
        return not self.suppressed and self.value is not None


@dataclass
class Provider:
    id: str
    name: str
    org_number: str
    website: str | None
    email: str | None
    phone: str | None
    services: tuple[str, ...]
    staff_languages: tuple[str, ...]
    employer_sectors: tuple[str, ...]
    authorised_since: dt.date | None
    status: str
    premises: list[dict[str, Any]]
    staff: dict[str, dict[str, Any]]  # role -> headcount (None under K), latest year
    staff_year: int | None
    groups: list[dict[str, Any]]  # per service, latest year
    groups_year: int | None
    texts: dict[str, str]  # lang -> sanitised HTML
    figures: dict[str, dict[str, Figure]] = field(
        default_factory=dict
    )  # period -> indicator -> Figure
    # breakdown ("age_band=20-24") -> indicator -> Figure, for the pooled period
    profiles: dict[str, dict[str, Figure]] = field(default_factory=dict)
    # period -> service -> indicator -> Figure: the figures for one service's customers
    by_service: dict[str, dict[str, dict[str, Figure]]] = field(default_factory=dict)
    # Why there is no compared-with-expected figure, where the model cannot tell
    # the provider's own effect from that of the customers it mostly serves.
    not_compared: NotComparable | None = None
    # More than a tenth of the customers who finished in the pooled period have
    # no known outcome (indicators.unknown_outcomes); None under K of them.
    outcome_unknown_high: bool | None = None
    # Indicators none of its services has ever had a record for: "does not
    # apply", a row its pages leave out (indicators.services_with_records).
    not_applicable: frozenset[str] = frozenset()
    # Since when, and why, a provider is paused or deauthorised (providers.csv).
    status_since: dt.date | None = None
    status_reason: str | None = None
    follow_ups: tuple[FollowUp, ...] = ()  # newest first (followups.py)
    complaints: tuple[tuple[int, int], ...] = ()  # (year, complaints received), newest first

    @property
    def listed(self) -> bool:
        return self.status in schema.LISTED_STATUSES

    @property
    def action_plan(self) -> bool:
        """Under an action plan the municipality has not closed."""
        return under_action_plan(self.follow_ups)

    @property
    def districts(self) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for p in self.premises:
            if p["district"]:
                seen.setdefault(p["district"], None)
        return tuple(seen)

    @property
    def district_names(self) -> dict[str, str]:
        """Slug -> district name of its premises, in the premises' order."""
        out: dict[str, str] = {}
        for p in self.premises:
            if p["district"]:
                out.setdefault(_district_slug(p), p["district"])
        return out

    @property
    def district_slugs(self) -> tuple[str, ...]:
        return tuple(self.district_names)

    @property
    def step_free(self) -> bool:
        """At least one of its premises has a step-free entrance (not only partly)."""
        return any(p["step_free_access"] == "yes" for p in self.premises)

    @property
    def hearing_loop(self) -> bool:
        return any(p["hearing_loop"] for p in self.premises)

    @property
    def nearest_stop_m(self) -> int | None:
        """Metres from its premises closest to public transport to the nearest stop."""
        known = [p["transit_stop_m"] for p in self.premises if p["transit_stop_m"] is not None]
        return min(known) if known else None

    @property
    def stops_by_district(self) -> dict[str, int]:
        """District slug -> metres to the nearest stop from the provider's premises there."""
        out: dict[str, int] = {}
        for p in self.premises:
            if p["district"] and p["transit_stop_m"] is not None:
                slug = _district_slug(p)
                out[slug] = min(out.get(slug, p["transit_stop_m"]), p["transit_stop_m"])
        return out

    def figure(self, period: str, indicator: str) -> Figure | None:
        return self.figures.get(period, {}).get(indicator)

    def shown_figures(self, periods: tuple[str, ...], indicator: str) -> list[Figure]:
        """The published figures of an indicator in these periods, in their order."""
        found = (self.figure(period, indicator) for period in periods)
        return [f for f in found if f is not None and f.shown]

    def indicators_with_figures(self, periods: tuple[str, ...]) -> set[str]:
        """Indicators with a figure (shown or hidden) in any of these periods."""
        return {name for period in periods for name in self.figures.get(period, {})}

    def service_figure(self, period: str, service: str, indicator: str) -> Figure | None:
        """The figure for the customers of one service; None where there is none
        (an indicator without figures by service: registry ``breakdown``)."""
        return self.by_service.get(period, {}).get(service, {}).get(indicator)

    def profile(self, breakdown: str, indicator: str) -> Figure | None:
        return self.profiles.get(breakdown, {}).get(indicator)


@dataclass
class SiteModel:
    providers: list[Provider]  # every provider, sorted by name
    all_figures: dict[str, dict[str, Figure]]  # period -> indicator -> Figure, for all providers
    latest_year: str
    pooled_period: str
    data_date: dt.date | None
    k: int
    r: int
    services: tuple[str, ...]  # offered by at least one listed provider, contract order
    districts: dict[str, str]  # slug -> district name, for listed providers
    sectors: tuple[str, ...]
    all_profiles: dict[str, dict[str, Figure]] = field(default_factory=dict)
    # column -> the breakdown labels ("age_band=20-24") with figures, contract order
    profile_groups: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # (provider_id, indicator) -> the trend chart's file (charts.ChartFile)
    charts: dict[tuple[str, str], Any] = field(default_factory=dict)
    # The cost of protection, for the methodology page: indicator -> (figures
    # in the open data, hidden as resting on fewer than K, hidden to protect
    # others, left out of the site as withdrawn breakdowns).
    hidden_counts: dict[str, tuple[int, int, int, int]] = field(default_factory=dict)
    # All providers' figures for the customers of one service, pooled period:
    # service -> indicator -> Figure, the reference on the service's pages.
    service_reference: dict[str, dict[str, Figure]] = field(default_factory=dict)
    # Each open-data file's size in bytes by its path in the site, as written
    # (opendata.write_open_data), for the open-data page.
    open_data_sizes: dict[str, int] = field(default_factory=dict)
    # The staff figures' own disclosure threshold (STAFF_DISCLOSURE_K); 0: K.
    staff_k: int = 0
    # The municipality publishes its follow-ups (follow_ups.csv is there): pages
    # then say so even of a provider with none.
    follow_ups_given: bool = False
    complaints_given: bool = False  # complaints.csv is there
    # Work placements and hires through the providers by sector, the latest year
    # of employer_placements.csv (followups.placements).
    placements_year: int | None = None
    placements: tuple[Placements, ...] = ()

    @property
    def staff_threshold(self) -> int:
        """The fewest employees a staff figure may rest on."""
        return self.staff_k or self.k

    @property
    def any_left_out(self) -> bool:
        return any(counts[3] for counts in self.hidden_counts.values())

    @property
    def trend_years(self) -> tuple[str, ...]:
        """The last five calendar years, oldest first: the span of the trend charts."""
        last = int(self.latest_year)
        return tuple(str(y) for y in range(last - TREND_YEARS + 1, last + 1))

    @property
    def listed(self) -> list[Provider]:
        return [p for p in self.providers if p.listed]

    def provider(self, provider_id: str) -> Provider:
        return next(p for p in self.providers if p.id == provider_id)

    @property
    def staff_languages(self) -> tuple[str, ...]:
        """Languages the staff of at least one listed provider speak (ISO 639-1 codes)."""
        seen: dict[str, None] = {}
        for p in self.listed:
            for code in p.staff_languages:
                seen.setdefault(code, None)
        return tuple(sorted(seen))


def _opt_int(value: Any) -> int | None:
    return None if pd.isna(value) else int(value)


def _opt_str(value: Any) -> str | None:
    return None if pd.isna(value) or value == "" else str(value)


def _opt_date(value: Any) -> dt.date | None:
    return None if pd.isna(value) else pd.Timestamp(value).date()


def _opt_bool(value: Any) -> bool | None:
    return None if pd.isna(value) else bool(value)


def _column(table: pd.DataFrame, name: str, kind: Callable[[Any], Any]) -> list[Any]:
    """A column as Python values of ``kind``, None where missing."""
    if name not in table.columns:
        return [None] * len(table)
    column = table[name]
    missing = column.isna().to_numpy(dtype=bool)
    return [None if gone else kind(v) for v, gone in zip(column.tolist(), missing, strict=True)]


def _figure_list(table: pd.DataFrame) -> list[Figure]:
    """A Figure per row, read column by column: the site's 400,000 rows were read
    a value at a time in seconds."""
    text = [_column(table, c, str) for c in ("reason", "comparison", "strength")]
    return [
        Figure(
            indicator=indicator,
            period=period,
            value=value,
            ci_low=ci_low,
            ci_high=ci_high,
            numerator=numerator,
            denominator=denominator,
            suppressed=bool(suppressed),
            reason=reason or "",
            low_reliability=bool(low),
            comparison=comparison or "",
            strength=strength or "",
            provider_id=provider,
            breakdown=breakdown,
        )
        for (indicator, period, value, ci_low, ci_high, numerator, denominator, suppressed,
             low, provider, breakdown, reason, comparison, strength) in zip(
            _column(table, "indicator", str),
            _column(table, "year", str),
            *(_column(table, c, int)
              for c in ("value", "ci_low", "ci_high", "numerator", "denominator")),
            _column(table, "suppressed", bool),
            _column(table, "low_reliability", bool),
            _column(table, "provider_id", str),
            _column(table, "breakdown", str),
            *text,
            strict=True,
        )
    ]


def _figures(table: pd.DataFrame) -> dict[str, dict[str, dict[str, Figure]]]:
    """provider_id -> period -> indicator -> Figure, for breakdown 'total'."""
    out: dict[str, dict[str, dict[str, Figure]]] = {}
    for fig in _figure_list(table[table["breakdown"] == "total"]):
        out.setdefault(fig.provider_id, {}).setdefault(fig.period, {})[fig.indicator] = fig
    return out


def _by_service(table: pd.DataFrame) -> dict[str, dict[str, dict[str, dict[str, Figure]]]]:
    """provider_id -> period -> service -> indicator -> Figure, every period."""
    out: dict[str, dict[str, dict[str, dict[str, Figure]]]] = {}
    for fig in _figure_list(table[table["breakdown"].str.startswith("service=")]):
        service = fig.breakdown.removeprefix("service=")
        periods = out.setdefault(fig.provider_id, {})
        periods.setdefault(fig.period, {}).setdefault(service, {})[fig.indicator] = fig
    return out


def _profiles(table: pd.DataFrame, period: str) -> dict[str, dict[str, dict[str, Figure]]]:
    """provider_id -> breakdown -> indicator -> Figure, for the pooled period.

    Only the known values: "unknown" rows are in the open data (they take part
    in the disclosure relations) but a visitor cannot pick "unknown".
    """
    out: dict[str, dict[str, dict[str, Figure]]] = {}
    rows = table[
        (table["year"] == period)
        & (table["breakdown"] != "total")
        & table["indicator"].isin(PROFILE_INDICATORS)
        & ~table["breakdown"].str.endswith("=unknown")
    ]
    for fig in _figure_list(rows):
        out.setdefault(fig.provider_id, {}).setdefault(fig.breakdown, {})[fig.indicator] = fig
    return out


def _as_reference(figures: dict[str, dict[str, Figure]]) -> dict[str, dict[str, Figure]]:
    """All providers' figures as the pages use them: a reference beside each
    provider's own, shown as share and interval, never with its numerator.

    Leaving the numerator out (it stays in the open data) keeps every page that
    shows the reference unchanged when a night's data moves the all-provider
    count but not its rounded share: the page cache can then reuse those pages.
    """
    return {
        key: {name: dataclasses.replace(fig, numerator=None) for name, fig in group.items()}
        for key, group in figures.items()
    }


def _profile_groups(all_profiles: dict[str, dict[str, Figure]]) -> dict[str, tuple[str, ...]]:
    return {
        column: tuple(
            f"{column}={v}" for v in BREAKDOWN_VALUES[column] if f"{column}={v}" in all_profiles
        )
        for column in BREAKDOWN_COLUMNS
    }


def _district_slug(premises: dict[str, Any]) -> str:
    """The slug _premises gave the premises' district (unique among the districts
    of the data); premises made by hand have the plain slug."""
    return premises.get("district_slug") or slugify(premises["district"])


def _premises(ds: Dataset) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    for row in ds.premises.itertuples(index=False):
        out.setdefault(row.provider_id, []).append(
            {
                "id": str(row.premises_id),
                "street_address": _opt_str(row.street_address),
                "postcode": _opt_str(row.postcode),
                "city": _opt_str(row.city),
                "district": _opt_str(row.district),
                "latitude": None if pd.isna(row.latitude) else float(row.latitude),
                "longitude": None if pd.isna(row.longitude) else float(row.longitude),
                "step_free_access": _opt_str(row.step_free_access),
                "accessible_toilet": _opt_bool(row.accessible_toilet),
                "hearing_loop": _opt_bool(row.hearing_loop),
                "quiet_room": _opt_bool(row.quiet_room),
                "transit_stop_m": _opt_int(row.transit_stop_m),
                "classrooms": _opt_int(row.classrooms),
                "opening_hours": _opt_str(row.opening_hours),
            }
        )
    # One slug per distinct district name, never shared (slugs.unique_slugs).
    slugs = unique_slugs(p["district"] for rows in out.values() for p in rows if p["district"])
    for rows in out.values():
        for p in rows:
            p["district_slug"] = slugs.get(p["district"]) if p["district"] else None
    return out


def _at_least_k(value: Any, k: int) -> int | None:
    """A head count as published: None when it is a group under the staff
    threshold (never printed)."""
    n = _opt_int(value)
    return n if n is None or n >= k else None


# The head count of a role is the denominator of this indicator's row: where
# disclosure control hides that row, the head count is hidden with it, or the
# sums of indicators.csv would give a smaller head count away.
_HEADCOUNT_INDICATOR = {"teacher": "teachers_with_degree", "coach": "coaches_with_degree"}


def _hidden_headcounts(table: pd.DataFrame) -> set[tuple[str, str, str]]:
    """(provider_id, year, role) whose head count disclosure control hid."""
    role_of = {v: k for k, v in _HEADCOUNT_INDICATOR.items()}
    rows = table[table["indicator"].isin(list(role_of)) & table["suppressed"].astype(bool)]
    return {
        (str(r.provider_id), str(r.year), role_of[str(r.indicator)])
        for r in rows.itertuples(index=False)
    }


def _staff(
    ds: Dataset, k: int, hidden: set[tuple[str, str, str]] = frozenset()
) -> dict[str, tuple[int, dict[str, dict[str, Any]]]]:
    """Latest year's head count per role. The degree and certification counts are
    published only as protected shares (indicators), never raw."""
    out: dict[str, tuple[int, dict[str, dict[str, Any]]]] = {}
    if ds.staff.empty:
        return out
    latest = ds.staff.groupby("provider_id")["year"].transform("max")
    for row in ds.staff[ds.staff["year"] == latest].itertuples(index=False):
        year, roles = out.setdefault(row.provider_id, (int(row.year), {}))
        headcount = _opt_int(row.headcount)
        below = headcount is not None and headcount < k
        key = (str(row.provider_id), str(int(row.year)), str(row.role))
        protected = not below and key in hidden
        roles[str(row.role)] = {
            "headcount": None if protected else _at_least_k(headcount, k),
            "headcount_below_k": below,
            "headcount_hidden": protected,
        }
    return out


def _groups(group_sizes: pd.DataFrame, k: int) -> dict[str, tuple[int, list[dict[str, Any]]]]:
    """Latest year's group sizes per service; a size under K is published as 'below K'."""
    out: dict[str, tuple[int, list[dict[str, Any]]]] = {}
    if group_sizes.empty:
        return out
    sizes = group_sizes.assign(year=group_sizes["year"].astype(int))
    sizes = sizes[sizes["provider_id"] != "all"]
    latest = sizes.groupby("provider_id")["year"].transform("max")
    rows = sizes[sizes["year"] == latest]
    order = {code: i for i, code in enumerate(schema.SERVICES)}
    for row in sorted(rows.itertuples(index=False), key=lambda r: order.get(r.service, 99)):
        year, items = out.setdefault(row.provider_id, (int(row.year), []))
        median, largest = float(row.median_size), int(row.largest_size)
        # With two groups the median is their mean: the smaller group is
        # 2 x median - largest, so the median is hidden when that is under K.
        pair_gives_away = int(row.groups) == 2 and 2 * median - largest < k
        items.append(
            {
                "service": str(row.service),
                "groups": int(row.groups),
                "median_size": median if median >= k and not pair_gives_away else None,
                "median_below_k": median < k,
                "median_hidden": median >= k and pair_gives_away,
                "largest_size": largest if largest >= k else None,
                "largest_below_k": largest < k,
            }
        )
    return out


def build_site_model(
    ds: Dataset,
    table: pd.DataFrame,
    group_sizes: pd.DataFrame,
    *,
    k: int,
    r: int,
    pooled_years: int = 3,
    left_out: dict[str, int] | None = None,
    staff_k: int | None = None,
) -> SiteModel:
    """The figures and facts every page shows. ``staff_k``: the staff figures'
    own disclosure threshold (``STAFF_DISCLOSURE_K``); None: K."""
    staff_k = k if staff_k is None else staff_k
    figures = _figures(table)
    latest = ds.reporting_year or (ds.data_date.year if ds.data_date else dt.date.today().year)
    pooled = str(latest) if pooled_years == 1 else f"{latest - pooled_years + 1}-{latest}"
    profiles = _profiles(table, pooled)
    by_service = _by_service(table)
    premises = _premises(ds)
    staff = _staff(ds, staff_k, _hidden_headcounts(table))
    groups = _groups(group_sizes, k)
    followed = follow_ups(ds.follow_ups)
    complained = complaints(ds.complaints)
    placed_year, placed = placements(ds.employer_placements, k)
    cannot = not_comparable(ds.results)
    unknown = unknown_outcomes(ds.results, latest - pooled_years + 1, latest, k)
    applies = services_with_records(ds.results)

    providers: list[Provider] = []
    for row in ds.providers.itertuples(index=False):
        pid = str(row.provider_id)
        texts = {
            lang: render_markdown(src)
            for (text_pid, lang), src in sorted(ds.texts.items())
            if text_pid == pid
        }
        staff_year, staff_roles = staff.get(pid, (None, {}))
        groups_year, group_items = groups.get(pid, (None, []))
        providers.append(
            Provider(
                id=pid,
                name=str(row.name),
                org_number=str(row.org_number),
                website=_opt_str(row.website),
                email=_opt_str(row.email),
                phone=_opt_str(row.phone),
                services=tuple(row.services),
                staff_languages=tuple(row.staff_languages),
                employer_sectors=tuple(row.employer_sectors),
                authorised_since=_opt_date(row.authorised_since),
                status=str(row.status),
                premises=premises.get(pid, []),
                staff=staff_roles,
                staff_year=staff_year,
                groups=group_items,
                groups_year=groups_year,
                texts=texts,
                figures=figures.get(pid, {}),
                profiles=profiles.get(pid, {}),
                by_service=by_service.get(pid, {}),
                not_compared=cannot.get(pid),
                outcome_unknown_high=unknown.get(pid),
                not_applicable=frozenset(
                    name for name, services in applies.items()
                    if not services & set(row.services)
                ),
                status_since=_opt_date(row.status_since),
                status_reason=_opt_str(row.status_reason),
                follow_ups=followed.get(pid, ()),
                complaints=complained.get(pid, ()),
            )
        )
    providers.sort(key=lambda p: (p.name.casefold(), p.id))

    listed = [p for p in providers if p.listed]
    services = tuple(s for s in schema.SERVICES if any(s in p.services for p in listed))
    sectors = tuple(s for s in schema.SECTORS if any(s in p.employer_sectors for p in listed))
    districts: dict[str, str] = {}
    for p in listed:
        for slug, name in p.district_names.items():
            districts.setdefault(slug, name)
    districts = dict(sorted(districts.items(), key=lambda kv: kv[1].casefold()))

    return SiteModel(
        providers=providers,
        all_figures=_as_reference(figures.get("all", {})),
        latest_year=str(latest),
        pooled_period=pooled,
        data_date=ds.data_date,
        k=k,
        staff_k=staff_k,
        r=r,
        services=services,
        districts=districts,
        sectors=sectors,
        all_profiles=_as_reference(
            {
                group: {k: f for k, f in figs.items() if k in ALL_PROFILE_INDICATORS}
                for group, figs in profiles.get("all", {}).items()
            }
        ),
        profile_groups=_profile_groups(profiles.get("all", {})),
        service_reference=_as_reference(
            {
                service: {k: f for k, f in figs.items() if k in PROFILE_INDICATORS}
                for service, figs in by_service.get("all", {}).get(pooled, {}).items()
            }
        ),
        hidden_counts=_hidden_counts(table, left_out or {}),
        follow_ups_given=ds.follow_ups_given,
        complaints_given=ds.complaints_given,
        placements_year=placed_year,
        placements=placed,
    )


def _hidden_counts(
    table: pd.DataFrame, left_out: dict[str, int]
) -> dict[str, tuple[int, int, int, int]]:
    """Per indicator, in page order: how many figures, how many hidden for each
    reason, and how many left out of the publication altogether."""
    out: dict[str, tuple[int, int, int, int]] = {}
    for indicator in labels.INDICATORS:
        rows = table[table["indicator"] == indicator]
        if len(rows) or left_out.get(indicator):
            reason = rows["reason"].astype("string")
            out[indicator] = (
                len(rows),
                int((reason == FEWER_THAN_K).sum()),
                int((reason == SECONDARY).sum()),
                left_out.get(indicator, 0),
            )
    return out
