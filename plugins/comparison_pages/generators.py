"""The Generator that writes the data pages: provider lists, provider pages, search,
comparison, fact sheets and the employer entrance.

Like Pelican's own generators: generate_context() puts the site model in the
shared context (so Markdown pages can use it too), generate_output() writes
one page per list variant and per provider.
"""

from __future__ import annotations

from typing import Any

from pelican.generators import Generator

from generator.sitemodel import HEADLINE, PROFILE_COLUMNS, Provider, SiteModel
from generator.slugs import slugify

from .compare import (
    EMPLOYER_SERVICES,
    compare_data_path,
    compare_path,
    compare_service_path,
    employer_providers,
    employers_path,
    factsheet_path,
)
from .i18n import like_me_path, list_path, provider_path


def sort_providers(providers: list[Provider], key: str, period: str) -> list[Provider]:
    """Providers in list order for a sort key.

    By name, or by a figure, highest first. A figure resting on few answers is
    never placed above a reliable one, and a hidden or missing figure always
    sorts last (never as 0).
    """
    by_name = sorted(providers, key=lambda p: (p.name.casefold(), p.id))
    if key == "name":
        return by_name

    def rank(p: Provider) -> tuple[int, int]:
        fig = p.figure(period, key)
        if fig is None or not fig.shown:
            return (2, 0)
        return (1 if fig.low_reliability else 0, -(fig.value or 0))

    return sorted(by_name, key=rank)


def sort_by_group(providers: list[Provider], group: str, indicator: str) -> list[Provider]:
    """Providers by their figure for one customer group, with the same rules as
    sort_providers(): few answers after reliable figures, hidden ones last."""
    by_name = sorted(providers, key=lambda p: (p.name.casefold(), p.id))

    def rank(p: Provider) -> tuple[int, int]:
        fig = p.profile(group, indicator)
        if fig is None or not fig.shown:
            return (2, 0)
        return (1 if fig.low_reliability else 0, -(fig.value or 0))

    return sorted(by_name, key=rank)


def search_ranks(model: SiteModel) -> dict[str, dict[str, str]]:
    """Sort key -> provider id -> its place in the sorted list, zero-padded.

    The search sorts by these places, given to Pagefind as filters (rank_<key>),
    not as Pagefind sort keys: Pagefind drops a page without a sort value from
    sorted results, and (in 1.5) writes several sort keys in a random order, so
    two builds of the same data would differ. The places come from the same
    sort_providers() as the pre-rendered lists: a hidden or missing figure comes
    last, never as 0, and a figure with few answers after the reliable ones.
    """
    width = max(4, len(str(len(model.providers))))
    return {
        key: {
            p.id: f"{i:0{width}d}"
            for i, p in enumerate(sort_providers(model.listed, key, model.pooled_period))
        }
        for key in ("name", *HEADLINE)
    }


class ComparisonPagesGenerator(Generator):
    def generate_context(self) -> None:
        model: SiteModel = self.settings["COMPARISON_MODEL"]
        self.context["model"] = model
        self.context["search_ranks"] = search_ranks(model)

    def _write(self, writer: Any, path: str, template: str, **variables: Any) -> None:
        writer.write_file(
            path,
            self.get_template(template),
            self.context,
            relative_urls=self.settings["RELATIVE_URLS"],
            page_path=path,
            **variables,
        )

    def generate_output(self, writer: Any) -> None:
        model: SiteModel = self.context["model"]
        self._write_lists(writer, model)
        for provider in model.providers:
            self._write(writer, provider_path(provider.id), "provider", provider=provider)
        self._write(writer, "search.html", "search")
        self._write_compare(writer, model)
        self._write_employers(writer, model)
        self._write_like_me(writer, model)

    def _write_like_me(self, writer: Any, model: SiteModel) -> None:
        self._write(writer, like_me_path(), "like-me")
        for column in PROFILE_COLUMNS:
            for group in model.profile_groups.get(column, ()):
                self._write(
                    writer,
                    like_me_path(group),
                    "like-me-group",
                    group=group,
                    column=column,
                    providers=sort_by_group(model.listed, group, "work_or_studies"),
                )

    def _write_compare(self, writer: Any, model: SiteModel) -> None:
        listed = model.listed
        self._write(writer, compare_path(), "compare")
        for code in model.services:
            self._write(
                writer,
                compare_service_path(code),
                "compare-service",
                providers=[p for p in listed if code in p.services],
                service=code,
            )
        data_template = self.env.get_template("compare-provider.json")
        for provider in listed:
            # Only listed providers can be compared: no data for a deauthorised one.
            path = compare_data_path(provider.id)
            writer.write_file(
                path,
                data_template,
                self.context,
                relative_urls=self.settings["RELATIVE_URLS"],
                page_path=path,
                provider=provider,
            )
            self._write(writer, factsheet_path(provider.id), "factsheet", provider=provider)

    def _write_employers(self, writer: Any, model: SiteModel) -> None:
        providers = employer_providers(model.listed)
        services = [s for s in EMPLOYER_SERVICES if any(s in p.services for p in providers)]
        sectors = [s for s in model.sectors if any(s in p.employer_sectors for p in providers)]
        pages: list[tuple[str, str | None, list[Provider]]] = [("all", None, providers)]
        for code in sectors:
            pages.append(("sector", code, [p for p in providers if code in p.employer_sectors]))
        for code in services:
            pages.append(("service", code, [p for p in providers if code in p.services]))
        for kind, code, chosen in pages:
            self._write(
                writer,
                employers_path(kind, code),
                "employers",
                providers=chosen,
                filter_kind=kind,
                filter_value=code,
                employer_services=services,
                employer_sectors=sectors,
            )

    def _write_lists(self, writer: Any, model: SiteModel) -> None:
        listed = model.listed
        filters: list[tuple[str, str, str | None, list[Provider]]] = [("all", "all", None, listed)]
        for code in model.services:
            filters.append(
                (f"service-{code}", "service", code, [p for p in listed if code in p.services])
            )
        for slug, name in model.districts.items():
            in_district = [p for p in listed if any(slugify(d) == slug for d in p.districts)]
            filters.append((f"district-{slug}", "district", name, in_district))
        for filter_key, kind, value, providers in filters:
            for sort in ("name", *HEADLINE):
                self._write(
                    writer,
                    list_path(filter_key, sort),
                    "providers",
                    providers=sort_providers(providers, sort, model.pooled_period),
                    filter_key=filter_key,
                    filter_kind=kind,
                    filter_value=value,
                    sort=sort,
                )
