"""The Generator that writes the data pages: provider lists, provider pages, search,
comparison, fact sheets and the employer entrance.

Like Pelican's own generators: generate_context() puts the site model in the
shared context (so Markdown pages can use it too), generate_output() writes
one page per list variant and per provider.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pelican.generators import Generator

from generator.pagecache import PageCache
from generator.ranking import sort_by_group, sort_providers
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
    split,
)
from .i18n import like_me_path, list_path, provider_path


class ComparisonPagesGenerator(Generator):
    def generate_context(self) -> None:
        model: SiteModel = self.settings["COMPARISON_MODEL"]
        self.context["model"] = model

    def _page_cache(self) -> PageCache | None:
        folder = self.settings.get("PAGE_CACHE_DIR")
        if not folder:
            return None
        if not hasattr(self, "_cache"):
            salt = self.settings["PAGE_CACHE_SALT"] + self.settings["DEFAULT_LANG"]
            self._cache = PageCache(Path(folder), salt)
            self.settings["PAGE_CACHE_STATS"] = self._cache
        return self._cache

    def _write(self, writer: Any, path: str, template: str, **variables: Any) -> None:
        """Render one page, or take it from the page cache when its inputs are unchanged."""
        cache = self._page_cache()
        if cache is not None:
            # Lists never show a provider's own text (tests/test_cache.py
            # checks): PageCache.key leaves it out of their "providers".
            inputs = dict(variables)
            provider = variables.get("provider")
            if provider is not None:
                model: SiteModel = self.context["model"]
                inputs["_charts"] = [model.charts.get((provider.id, k)) for k in HEADLINE]
            key = cache.key(path, template, inputs)
            target = Path(self.output_path) / path
            if cache.restore(key, target):
                return
        loaded = self.env.get_template(template) if "." in template else self.get_template(template)
        writer.write_file(
            path,
            loaded,
            self.context,
            relative_urls=self.settings["RELATIVE_URLS"],
            page_path=path,
            **variables,
        )
        if cache is not None:
            cache.store(key, target)

    def _write_pages(
        self,
        writer: Any,
        path_for: Any,
        template: str,
        providers: list[Provider],
        size: int,
        **variables: Any,
    ) -> None:
        """A list of providers split into pages of at most size, one file per page.

        Each page gets its own slice as ``providers`` and, for the pagination
        component, ``page_paths``, ``page_number``, ``first_number`` (place of
        its first provider in the whole list) and ``total_count``.
        """
        pages = split(providers, size)
        paths = [path_for(n) for n in range(1, len(pages) + 1)]
        for number, chunk in enumerate(pages, start=1):
            self._write(
                writer,
                paths[number - 1],
                template,
                providers=chunk,
                page_paths=paths,
                page_number=number,
                first_number=(number - 1) * size + 1,
                total_count=len(providers),
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
                self._write_pages(
                    writer,
                    lambda n, g=group: like_me_path(g, n),
                    "like-me-group",
                    sort_by_group(model.listed, group, "work_or_studies"),
                    self.settings["LIST_PAGE_SIZE"],
                    group=group,
                    column=column,
                )

    def _write_compare(self, writer: Any, model: SiteModel) -> None:
        listed = model.listed
        self._write(writer, compare_path(), "compare")
        for code in model.services:
            self._write_pages(
                writer,
                lambda n, c=code: compare_service_path(c, n),
                "compare-service",
                [p for p in listed if code in p.services],
                self.settings["COMPARE_PAGE_SIZE"],
                service=code,
            )
        for provider in listed:
            # Only listed providers can be compared: no data for a deauthorised one.
            path = compare_data_path(provider.id)
            self._write(writer, path, "compare-provider.json", provider=provider)
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
            self._write_pages(
                writer,
                lambda n, k=kind, c=code: employers_path(k, c, n),
                "employers",
                chosen,
                self.settings["LIST_PAGE_SIZE"],
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
        size = self.settings["LIST_PAGE_SIZE"]
        for filter_key, kind, value, providers in filters:
            for sort in ("name", *HEADLINE):
                self._write_pages(
                    writer,
                    lambda n, f=filter_key, s=sort: list_path(f, s, n),
                    "providers",
                    sort_providers(providers, sort, model.pooled_period),
                    size,
                    filter_key=filter_key,
                    filter_kind=kind,
                    filter_value=value,
                    sort=sort,
                )
