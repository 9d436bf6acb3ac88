"""Settings are checked up front, and every one is documented."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import ROOT

from generator.settings import PROJECT_SETTINGS, SettingsError, load_settings


def test_every_setting_is_documented_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name, _default, _help in PROJECT_SETTINGS:
        assert f"`{name}`" in readme, name


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
