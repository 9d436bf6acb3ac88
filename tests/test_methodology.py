"""The methodology page's account of what protection costs."""

from __future__ import annotations

import re

from conftest import ROOT


def test_figures_left_out_are_counted_per_indicator_and_shown_when_there_are_any() -> None:
    """The methodology page's table of hidden figures gets a column for the
    breakdown rows left out of the site, on a site that left some out."""
    import pandas as pd
    from jinja2 import Environment, FileSystemLoader

    from generator.model import labels
    from generator.model.sitemodel import SiteModel, _hidden_counts
    from generator.pages.views import Editorial, Site
    from generator.protect.disclosure import FEWER_THAN_K, SECONDARY, WITHDRAWN, left_out_counts

    protected = pd.DataFrame(
        {
            "indicator": ["work_or_studies"] * 4 + ["satisfied_end"] * 2,
            "reason": [FEWER_THAN_K, SECONDARY, WITHDRAWN, WITHDRAWN, "", FEWER_THAN_K],
        }
    )
    left_out = left_out_counts(protected)
    assert left_out == {"work_or_studies": 2}
    published = protected[protected["reason"] != WITHDRAWN]
    counts = _hidden_counts(published, left_out)
    assert counts == {"satisfied_end": (2, 1, 0, 0), "work_or_studies": (2, 1, 1, 2)}

    env = Environment(
        loader=FileSystemLoader(ROOT / "theme" / "templates"),
        extensions=["jinja2.ext.i18n"],
        autoescape=True,
    )
    env.install_null_translations(newstyle=True)
    env.filters.update(number=str, date=str, period=str)
    template = env.get_template("methodology.html")
    for counts_shown, header in ((counts, True), ({"passed": (3, 1, 0, 0)}, False)):
        model = SiteModel(
            [], {}, "2025", "2023-2025", None, 5, 20, (), {}, (), hidden_counts=counts_shown
        )
        context = template.new_context(
            {"site": Site.of(model), "editorial": Editorial.of(model), "labels": labels}
        )
        html = "".join(template.blocks["after_content"](context))
        assert ("Left out of the site" in html) is header
        row = re.search(r'data-indicator="work_or_studies">(.*?)</tr>', html, re.S)
        if header:
            assert row is not None
            assert re.findall(r"<td[^>]*>(\d+)</td>", row.group(1)) == ["2", "1", "1", "2"]
