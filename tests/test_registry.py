"""One home for the indicators: every list of them derives from generator/compute/registry.py."""

from __future__ import annotations

import ast
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import ROOT, extract_messages

from generator.compute import registry

NAMES = set(registry.NAMES)

# Where an indicator's name may be spelled out besides the registry: the code
# that computes one particular indicator, the sample data generator, and the
# input's code lists (the end reasons "dropped_out" and "switched_provider"
# name the records their two indicators count).
COMPUTING = {
    "generator/ingest/schema.py",
    "generator/compute/indicators.py",
    "generator/compute/casemix.py",
    "generator/tools/sample.py",
}


def test_no_module_or_template_restates_a_list_of_indicators() -> None:
    """A tuple, list, set or dict of two or more indicator names outside the
    registry is a second home that the next indicator would miss."""
    found = []
    for path in sorted([*(ROOT / "generator").rglob("*.py"), *(ROOT / "plugins").rglob("*.py")]):
        rel = str(path.relative_to(ROOT))
        if rel == "generator/compute/registry.py" or rel in COMPUTING:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            items = (
                node.keys
                if isinstance(node, ast.Dict)
                else node.elts
                if isinstance(node, ast.Tuple | ast.List | ast.Set)
                else []
            )
            named = [i.value for i in items if isinstance(i, ast.Constant) and i.value in NAMES]
            if len(named) >= 2:
                found.append(f"{rel}:{node.lineno}: {named}")
    quoted = "|".join(re.escape(n) for n in sorted(NAMES, key=len, reverse=True))
    listed = re.compile(rf"['\"]({quoted})['\"]\s*,\s*['\"]({quoted})['\"]")
    for path in sorted((ROOT / "theme" / "templates").rglob("*")):
        if path.is_file():
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if listed.search(line):
                    found.append(f"{path.relative_to(ROOT)}:{number}")
    assert not found, found


NEW = """
    Indicator(
        "satisfied_mid",
        "share",
        N_("Satisfied customers half way"),
        N_("Satisfied half way"),
        unit=NP_("%(num)s mid-way answer", "%(num)s mid-way answers"),
        sentence=NP_(
            "Of %(base)s customer who answered half way in %(period)s, %(num)s"
            " (%(share)s) were satisfied.",
            "Of %(base)s customers who answered half way in %(period)s, %(num)s"
            " (%(share)s) were satisfied.",
        ),
        headline=True,
        results=True,
        breakdown=True,
    ),
)
"""

PROBE = r"""
import json, sys
sys.path.insert(0, "plugins")
from generator.model import labels
from generator.outputs import opendata
from generator.compute import registry
from generator.compute import indicators
from generator.model import sitemodel
from comparison_pages import compare, i18n
from jinja2 import Environment, FileSystemLoader
env = Environment(loader=FileSystemLoader("theme/templates"), extensions=["jinja2.ext.i18n"])
env.install_null_translations(newstyle=True)
env.globals.update(INDICATOR=registry.BY_NAME, model=None)
env.filters["number"] = str
unit = env.from_string(
    '{% import "components/figure.html" as f with context %}{{ f.unit("satisfied_mid", 7) }}'
).render()
print(json.dumps({
    "labels": list(labels.INDICATORS),
    "short": list(labels.INDICATORS_SHORT),
    "open_data": list(opendata.INDICATOR_NAMES),
    "computed": list(indicators.RESULT_INDICATORS),
    "breakdown": list(indicators.BREAKDOWN_INDICATORS),
    "headline": list(sitemodel.HEADLINE),
    "sort_keys": list(sitemodel.SORT_KEYS),
    "shares": list(sitemodel.SHARE_INDICATORS),
    "compare": [row for _, rows in compare.COMPARE_SECTIONS for row in rows],
    "unit": unit,
}))
"""


def test_adding_an_indicator_is_one_registry_entry(tmp_path: Path) -> None:
    """Add an entry to a copy of the registry: labels, open data, what is
    counted, headline lists, sort orders, the comparison and the templates'
    words all take it, and the message extraction finds its words for the
    translators (the catalog test then asks for them)."""
    for folder in ("generator", "plugins", "theme"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    shutil.copy(ROOT / "babel.cfg", tmp_path)
    path = tmp_path / "generator" / "compute" / "registry.py"
    text = path.read_text(encoding="utf-8")
    end = text.index("\n)\n", text.index("INDICATORS: tuple[Indicator, ...] = ("))
    path.write_text(text[:end] + NEW + text[end + 3 :], encoding="utf-8")

    probe = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=tmp_path, capture_output=True, text=True, check=True
    )
    seen = json.loads(probe.stdout)
    for use in ("labels", "short", "open_data", "breakdown", "headline", "shares"):
        assert seen[use][-1] == "satisfied_mid", (use, seen[use])
    assert "satisfied_mid" in seen["computed"] and "satisfied_mid" in seen["sort_keys"]
    assert {"pooled:satisfied_mid", "latest:satisfied_mid"} <= set(seen["compare"])
    assert seen["unit"] == "7 mid-way answers"

    pot = tmp_path / "messages.pot"
    extract_messages(tmp_path, pot)
    messages = pot.read_text(encoding="utf-8")
    assert 'msgid "Satisfied customers half way"' in messages
    assert 'msgid "%(num)s mid-way answer"\nmsgid_plural "%(num)s mid-way answers"' in messages
    assert "answered half way in %(period)s" in messages
