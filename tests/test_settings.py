"""Settings are checked up front, and every one is documented."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import ROOT

from generator.settings import PROJECT_SETTINGS, SettingsError, load_settings


def test_the_readme_settings_table_is_the_codes_defaults_and_help() -> None:
    """One row per setting, in the code's order, with its default and its help text."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Settings") :]
    section = section[: section.index("\n## ", 1)]
    rows = [
        [cell.strip() for cell in line.strip("|").split("|")]
        for line in section.splitlines()
        if line.startswith("| `")
    ]
    expected = [
        [f"`{name}`", f"`{default!r}`", help_text]
        for name, default, help_text in PROJECT_SETTINGS
    ]
    assert rows == expected


def test_the_readme_module_map_names_every_module() -> None:
    """The "How it is built" table names every pipeline module, and nothing that is gone."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## How it is built") :]
    section = section[: section.index("\n\n", section.index("| stage"))]
    named = set(re.findall(r"`generator/(\w+)\.py`", section))
    modules = {p.stem for p in (ROOT / "generator").glob("*.py")}
    assert named <= modules, named - modules
    # Tools around the build (benchmark, simulation, sample data), not its stages.
    tools = {"__init__", "__main__", "bench", "bench_worker", "casemix_simulation", "sample"}
    assert modules - tools <= named, sorted(modules - tools - named)


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("DISCLOSURE_K = 2", "DISCLOSURE_K"),
        ("RELIABILITY_R = 3", "RELIABILITY_R"),
        ("LANGUAGES = ['sv', 'xx']", "no catalog"),
        ("MAX_INPUT_FILE_MB = 0", "MAX_INPUT_FILE_MB"),
        ("LIST_PAGE_SIZE = 0", "LIST_PAGE_SIZE"),
        ("COMPARE_PAGE_SIZE = 'many'", "COMPARE_PAGE_SIZE"),
    ],
)
def test_bad_settings_are_refused(tmp_path: Path, line: str, message: str) -> None:
    conf = tmp_path / "pelicanconf.py"
    conf.write_text(
        (ROOT / "pelicanconf.py").read_text(encoding="utf-8") + "\n" + line + "\n", encoding="utf-8"
    )
    (tmp_path / "content").symlink_to(ROOT / "content")
    with pytest.raises(SettingsError, match=message):
        load_settings(conf)
