"""The Generator that writes the data pages: what ``generator.pages`` yields.

Like Pelican's own generators: generate_context() puts what every page may
state of the whole site (``views.Site``) and what the editorial Markdown
pages show from the data (``views.Editorial``) in the shared context; no
template sees the site model itself. generate_output() writes
each page with its template and view, or takes it from the page cache when
its key is unchanged. The site model and the page cache come from the render
stage (``generator.render.current``), not through Pelican's settings.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pelican.generators import Generator

from generator.pages.render import current
from generator.pages.views import Editorial, Page, Site, pages


class ComparisonPagesGenerator(Generator):
    def generate_context(self) -> None:
        model = current().model
        self.context["site"] = Site.of(model)
        self.context["editorial"] = Editorial.of(model)

    def _write(self, writer: Any, page: Page) -> None:
        cache = current().cache
        if cache is not None:
            key = cache.key(page)
            target = Path(self.output_path) / page.path
            if cache.restore(key, target):
                return
        name = page.template
        template = self.env.get_template(name) if "." in name else self.get_template(name)
        writer.write_file(
            page.path,
            template,
            self.context,
            relative_urls=self.settings["RELATIVE_URLS"],
            page_path=page.path,
            # What the editorial pages show is not in a data page's key.
            editorial=None,
            **page.view.variables(),
        )
        if cache is not None:
            cache.store_page(key, target)

    def generate_output(self, writer: Any) -> None:
        settings = self.settings
        first = settings["DEFAULT_LANG"] == settings["LANGUAGES"][0]
        for page in pages(
            current().model, settings["LIST_PAGE_SIZE"], settings["COMPARE_PAGE_SIZE"]
        ):
            if first or not page.first_language_only:
                self._write(writer, page)
