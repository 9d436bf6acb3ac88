"""Settings are checked up front, and every one is documented."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from conftest import ROOT

from generator.build.settings import PROJECT_SETTINGS, SettingsError, load_settings


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


def test_the_readme_module_map_is_the_package_layout() -> None:
    """The "How it is built" table has one row per stage subpackage, in pipeline
    order, and names exactly the modules each one holds."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## How it is built") :]
    section = section[: section.index("\n\n", section.index("| stage"))]
    rows = [line for line in section.splitlines() if line.startswith("| ") and "`" in line]
    generator = ROOT / "generator"
    packages = sorted(
        p.parent.name for p in generator.glob("*/__init__.py") if p.parent.name != "site"
    )
    named_packages = []
    for row in rows:
        _stage, package, modules = (cell.strip() for cell in row.strip("|").split("|"))
        name = re.fullmatch(r"`generator/(\w+)/`", package).group(1)  # type: ignore[union-attr]
        named_packages.append(name)
        named = set(re.findall(r"`generator/(\w+)/(\w+)\.py`", modules))
        assert {folder for folder, _ in named} == {name}, row
        held = {p.stem for p in (generator / name).glob("*.py")} - {"__init__"}
        assert {module for _, module in named} == held, (name, held)
    assert sorted(named_packages) == packages
    assert named_packages == [
        "ingest", "compute", "protect", "model", "pages", "outputs", "build", "tools"
    ]
    # Beside the stages only the entry point and the helpers every stage uses,
    # each named where the map begins.
    helpers = {"files.py", "store.py", "slugs.py"}
    assert {p.name for p in generator.glob("*.py")} == {"__init__.py", "__main__.py", *helpers}
    intro = section[: section.index("| stage")]
    assert all(f"`generator/{name}`" in intro for name in helpers), intro


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("DISCLOSURE_K = 2", "DISCLOSURE_K"),
        ("RELIABILITY_R = 3", "RELIABILITY_R"),
        ("STAFF_DISCLOSURE_K = 2", "STAFF_DISCLOSURE_K"),
        ("STAFF_DISCLOSURE_K = 6", "STAFF_DISCLOSURE_K"),  # above K
        ("STAFF_DISCLOSURE_K = True", "STAFF_DISCLOSURE_K"),
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


def test_the_default_file_gives_every_setting_its_documented_default() -> None:
    defaults = load_settings()
    for name, default, _help in PROJECT_SETTINGS:
        assert defaults[name] == default, name


def test_a_municipalitys_file_holds_only_what_it_changes(tmp_path: Path) -> None:
    conf = tmp_path / "settings.py"
    conf.write_text("MUNICIPALITY = 'Testby kommun'\nDISCLOSURE_K = 7\n", encoding="utf-8")
    settings = load_settings(conf)
    assert settings["MUNICIPALITY"] == "Testby kommun" and settings["DISCLOSURE_K"] == 7
    assert settings["RELIABILITY_R"] == 20 and settings["PATH"] == str(ROOT / "content")
    assert settings["THEME"] == str(ROOT / "theme")
    # Its own folders are its own, read from where the file is.
    shutil.copytree(ROOT / "content" / "sv", tmp_path / "pages" / "sv")
    conf.write_text("PATH = 'pages'\nLANGUAGES = ['sv']\n", encoding="utf-8")
    assert load_settings(conf)["PATH"] == str(tmp_path / "pages")


def test_the_sample_municipality_keeps_its_settings_in_the_sample(tmp_path: Path) -> None:
    # A real build with the defaults gets no one else's name or addresses.
    defaults = load_settings()
    assert defaults["MUNICIPALITY"] == "Kommunen"
    assert not [v for v in defaults.values() if isinstance(v, str) and "nacka" in v.lower()]
    sample = load_settings(ROOT / "data" / "settings.py")
    assert sample["MUNICIPALITY"] == "Nacka kommun" and sample["LANGUAGES"][0] == "sv"
