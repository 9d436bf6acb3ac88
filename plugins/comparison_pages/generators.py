"""The Generator that writes the data pages: provider lists, provider pages, search, employers.

Like Pelican's own generators: generate_context() puts the site model in the
shared context (so Markdown pages can use it too), generate_output() writes
one page per list variant and per provider.
"""

from __future__ import annotations

from typing import Any

from pelican.generators import Generator

from generator.sitemodel import HEADLINE, Provider, SiteModel
from generator.slugs import slugify

from .i18n import list_path, provider_path


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


class ComparisonPagesGenerator(Generator):
    def generate_context(self) -> None:
        model: SiteModel = self.settings["COMPARISON_MODEL"]
        self.context["model"] = model

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
        self._write(writer, "employers.html", "employers")

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
