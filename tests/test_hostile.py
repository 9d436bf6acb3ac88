"""Hostile input: nothing in the data may run as code in a visitor's browser."""

from __future__ import annotations

import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import FIXTURES

from generator.build.pipeline import build
from generator.outputs.opendata import neutralise

pytestmark = pytest.mark.slow

PAYLOADS = {
    "opening_hours": 'Mån–fre 8–17 " onmouseover="alert(1)',
    "street_address": "Storgatan 1 ' onfocus='alert(2)",
    "district": "Fisksätra & {{ 7*7 }} %(x)s",
    # A right-to-left override or another invisible character is refused at load
    # (tests/test_validate.py), so it never reaches a page.
    "city": "Nacka ${7*7} `id` $(id)",
}
# A javascript: or data: link is refused at load with the text's file and line
# (tests/test_checks.py); the sanitiser drops it too (tests/test_sanitize.py).
TEXT = """# Om oss

<script>alert(3)</script>
<img src=x onerror=alert(4)>
<iframe src="https://evil.example"></iframe>
<a href="https://example.org" onclick="alert(7)">länk</a>
<svg onload=alert(8)></svg>
<style>body{display:none}</style>
"""


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hostile")
    data = root / "data"
    shutil.copytree(FIXTURES / "spreadsheet-export", data)
    premises = data / "premises.csv"
    lines = premises.read_text(encoding="utf-8-sig").splitlines()
    header = lines[0].split(";")
    cells = lines[1].split(";")
    for column, value in PAYLOADS.items():
        cells[header.index(column)] = '"' + value.replace('"', '""') + '"'
    lines[1] = ";".join(cells)
    premises.write_text("\n".join(lines) + "\n", encoding="utf-8")
    (data / "texts" / "leverantor-01").mkdir(parents=True)
    (data / "texts" / "leverantor-01" / "sv.md").write_text(TEXT, encoding="utf-8")
    out = root / "site"
    # Two languages, one right to left: every page escapes data the same way in each.
    build(data, out, FIXTURES / "two-languages.py")
    return out


class Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, dict[str, str | None]]] = []


    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, dict(attrs)))


def test_no_data_string_becomes_markup_or_script(hostile_site: Path) -> None:
    for page in hostile_site.rglob("*.html"):
        parser = Elements()
        parser.feed(page.read_text(encoding="utf-8"))
        for tag, attrs in parser.found:
            where = f"{page.relative_to(hostile_site)}: <{tag} {attrs}>"
            if tag == "img":  # only the build's own charts, by content hash
                chart = re.fullmatch(r"(\.\./)*charts/[a-p]{16}\.svg", attrs.get("src") or "")
                assert chart, where
                assert attrs.get("alt") == "", where
                continue
            assert tag not in ("iframe", "style", "svg", "object", "embed"), where
            if tag == "script":
                assert attrs.get("src", "").startswith(("../", "theme/", "pagefind/")) or (
                    "/theme/js/" in attrs.get("src", "")
                ), where
            assert not [a for a in attrs if a.startswith("on")], where
            for key in ("href", "src", "action"):
                value = (attrs.get(key) or "").strip().lower()
                assert not value.startswith(("javascript:", "data:", "vbscript:")), where
        assert "49" not in re.findall(r"Fisksätra &amp; (\S+)", page.read_text(encoding="utf-8"))
    # Charts are files drawn by the build from numbers only: nothing from the data in them.
    charts = sorted((hostile_site / "charts").glob("*.svg"))
    assert charts, "the build drew charts"
    for chart in charts:
        svg = chart.read_text(encoding="utf-8")
        texts = re.findall(r"<text[^>]*>([^<]*)</text>", svg)
        assert all(re.fullmatch(r"\d{4}|\d{1,3}%", t) for t in texts), (chart, texts)
        assert "<script" not in svg and not re.search(r"\son[a-z]+=", svg)


def test_payloads_are_shown_as_text(hostile_site: Path) -> None:
    page = (hostile_site / "provider" / "leverantor-01.html").read_text(encoding="utf-8")
    assert "Mån–fre 8–17 &#34; onmouseover=&#34;alert(1)" in page
    assert "Fisksätra &amp; {{ 7*7 }} %(x)s" in page
    assert 'rel="noopener noreferrer' in page  # the provider's own link


def test_json_keeps_the_strings_as_data(hostile_site: Path) -> None:
    data = json.loads((hostile_site / "data" / "providers.json").read_text(encoding="utf-8"))
    premises = next(p for p in data["providers"] if p["provider_id"] == "leverantor-01")[
        "premises"
    ][0]
    assert premises["opening_hours"] == PAYLOADS["opening_hours"]


@pytest.mark.parametrize("text", ['=HYPERLINK("x")', "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx"])
def test_text_cells_that_a_spreadsheet_would_run_are_neutralised(text: str) -> None:
    assert neutralise(text) == "'" + text


def test_numbers_and_ordinary_text_stay_as_they_are() -> None:
    from generator.outputs.opendata import _cell

    assert _cell(-3) == "-3" and _cell(42) == "42" and _cell("sfi") == "sfi"


def test_oversized_input_is_refused_with_a_clear_message(tmp_path: Path) -> None:
    from generator.ingest.problems import InvalidData
    from generator.ingest.validate import load_and_validate

    with pytest.raises(InvalidData) as err:
        load_and_validate(FIXTURES / "spreadsheet-export", max_file_bytes=1000)
    assert any("over the limit" in line for line in err.value.lines())
