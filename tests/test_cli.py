"""The command line as a user runs it: exit codes, messages, and the output folder swap."""

from __future__ import annotations

import os
import shutil
import signal
from pathlib import Path

import pytest
from conftest import FIXTURES, ROOT, SAMPLE_DATA, run_cli, snapshot, start_cli_writing

pytestmark = pytest.mark.slow


@pytest.fixture
def old_site(tmp_path: Path) -> Path:
    out = tmp_path / "site"
    out.mkdir()
    (out / "index.html").write_text("<!doctype html><title>old</title>", encoding="utf-8")
    return out


def test_check_accepts_the_sample_and_the_spreadsheet_export() -> None:
    for folder in (SAMPLE_DATA, FIXTURES / "spreadsheet-export"):
        proc = run_cli("check", "--data", str(folder))
        assert proc.returncode == 0, proc.stderr
        assert "valid" in proc.stdout


def test_invalid_data_exits_2_with_one_line_per_problem_and_publishes_nothing(
    tmp_path: Path, old_site: Path
) -> None:
    data = tmp_path / "data"
    shutil.copytree(FIXTURES / "spreadsheet-export", data)
    results = data / "results.csv"
    lines = results.read_text(encoding="utf-8-sig").splitlines()
    lines[2] = lines[2].replace(";2025-", ";2025-13-", 1)  # an impossible date on line 3
    lines[4] = lines[4].replace("leverantor-01", "no-such-provider", 1)  # line 5
    results.write_text("\n".join(lines) + "\n", encoding="utf-8")
    before = snapshot(old_site)

    proc = run_cli("build", "--data", str(data), "--output", str(old_site))

    assert proc.returncode == 2
    problems = [line for line in proc.stderr.splitlines() if line.startswith(str(data))]
    assert any(line.startswith(f"{results}:3: column ") for line in problems), proc.stderr
    assert any(line.startswith(f"{results}:5: column 'provider_id': ") for line in problems), (
        proc.stderr
    )
    assert "Traceback" not in proc.stderr
    assert snapshot(old_site) == before
    assert not [p for p in old_site.parent.iterdir() if p.name.startswith(".site.")]


def test_missing_folder_is_a_clear_problem(tmp_path: Path) -> None:
    proc = run_cli("check", "--data", str(tmp_path / "nowhere"))
    assert proc.returncode == 2
    assert "providers.csv" in proc.stderr and "Traceback" not in proc.stderr


def test_an_interrupted_build_leaves_the_old_site_and_the_next_replaces_it(
    tmp_path: Path, old_site: Path
) -> None:
    before = snapshot(old_site)
    small = str(FIXTURES / "spreadsheet-export")
    proc = start_cli_writing(
        ["build", "--data", small, "--output", str(old_site)],
        old_site.parent,
        ".site.building-*",
    )
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert snapshot(old_site) == before

    # The next run cleans up after the dead one and replaces the old site.
    done = run_cli(
        "build", "--data", small, "--output", str(old_site),
        "--settings", str(SAMPLE_DATA / "settings.py"),
    )
    assert done.returncode == 0, done.stderr
    assert not [p for p in old_site.parent.iterdir() if p.name.startswith(".site.")]
    # Other data with the sample's settings: its placeholder addresses would be
    # published in a real municipality's name, so the build says so.
    assert "placeholder addresses (CONTACT_EMAIL, ACCESSIBILITY_CONTACT_EMAIL" in done.stderr
    assert "Nacka kommun" in (old_site / "index.html").read_text(encoding="utf-8")
    assert "<title>old</title>" not in (old_site / "index.html").read_text(encoding="utf-8")
    assert (old_site / "en" / "index.html").exists()
    assert (old_site / "data" / "indicators.csv").exists()


def test_sample_command_writes_a_valid_data_set(tmp_path: Path) -> None:
    out = tmp_path / "sample"
    proc = run_cli("sample", "--out", str(out), "--scale", "small", "--seed", "7")
    assert proc.returncode == 0, proc.stderr
    assert run_cli("check", "--data", str(out)).returncode == 0


def test_bad_settings_exit_1(tmp_path: Path) -> None:
    conf = tmp_path / "conf.py"
    conf.write_text(
        (ROOT / "pelicanconf.py").read_text(encoding="utf-8") + "\nDISCLOSURE_K = 2\n",
        encoding="utf-8",
    )
    shutil.copytree(ROOT / "content", tmp_path / "content")
    proc = run_cli(
        "build",
        "--data",
        str(SAMPLE_DATA),
        "--output",
        str(tmp_path / "o"),
        "--settings",
        str(conf),
    )
    assert proc.returncode == 1
    assert "DISCLOSURE_K" in proc.stderr and "Traceback" not in proc.stderr
