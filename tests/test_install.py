"""The package installed on its own, away from this checkout, builds a site."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, SAMPLE_DATA

pytestmark = pytest.mark.slow


def _python(args: list[str], cwd: Path, target: Path) -> subprocess.CompletedProcess[str]:
    # Only the installed copy is importable: not the checkout, not its editable install.
    env = {**os.environ, "PYTHONPATH": str(target), "PYTHONSAFEPATH": "1"}
    return subprocess.run(
        [sys.executable, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=600
    )


def test_an_installed_wheel_builds_a_site_from_an_empty_folder(tmp_path: Path) -> None:
    wheels = tmp_path / "wheels"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "--no-build-isolation",
         "--quiet", "--wheel-dir", str(wheels)],
        check=True, cwd=tmp_path, capture_output=True, timeout=300,
    )
    # pip wheel leaves its build folder in the checkout.
    shutil.rmtree(ROOT / "build", ignore_errors=True)
    (wheel,) = wheels.glob("*.whl")
    target = tmp_path / "installed"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target",
         str(target), str(wheel)],
        check=True, capture_output=True, timeout=300,
    )
    assert (target / "bin" / "jamfor").is_file()
    home = tmp_path / "municipality"
    home.mkdir()
    code = "import generator.pages.render as r; print(r.__file__, r.ROOT)"
    where = _python(["-c", code], home, target)
    assert where.stdout.startswith(str(target)), where.stdout + where.stderr
    assert str(ROOT) not in where.stdout

    made = _python(["-m", "generator", "init", "conf"], home, target)
    assert made.returncode == 0, made.stderr
    settings = home / "conf" / "settings.py"
    text = settings.read_text(encoding="utf-8")
    assert "# Name of the municipality, shown on every page." in text
    assert _python(["-m", "generator", "init", "conf"], home, target).returncode == 1
    settings.write_text(
        text.replace("MUNICIPALITY = 'Kommunen'", "MUNICIPALITY = 'Testby kommun'")
        .replace("LANGUAGES = ['sv', 'en', 'ar', 'fa', 'so', 'ti', 'uk']",
                 "LANGUAGES = ['sv', 'en']"),
        encoding="utf-8",
    )
    data = home / "data"
    shutil.copytree(SAMPLE_DATA, data, ignore=shutil.ignore_patterns("settings.py"))
    built = _python(
        ["-m", "generator", "build", "--data", "data", "--output", "site", "--settings",
         str(settings)],
        home, target,
    )
    assert built.returncode == 0, built.stderr
    index = (home / "site" / "index.html").read_text(encoding="utf-8")
    assert "Testby kommun" in index and "Nacka" not in index
    assert (home / "site" / "en" / "providers" / "index.html").is_file()
    assert not (home / "site" / "ar").exists()
    assert list((home / "site" / "theme" / "css").glob("site.*.css"))
    assert "default settings" not in built.stderr
