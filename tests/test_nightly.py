"""The nightly run under faults: bad data, kill -9, two runs at once, rollback, a full
disk and an unwritable folder. The live site must always be the last good release."""

from __future__ import annotations

import json
import os
import re
import resource
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest
from conftest import FIXTURES, run_cli, snapshot, start_cli_writing

pytestmark = pytest.mark.slow

SMALL = FIXTURES / "spreadsheet-export"  # builds fast, and is a real spreadsheet export


TWO_LANGUAGES = FIXTURES / "two-languages.py"


def night(*args: str, **kwargs: object) -> subprocess.CompletedProcess[str]:
    """`generator nightly ARGS` with the two-language settings (what these tests
    check does not depend on the number of languages)."""
    return run_cli("nightly", *args, "--settings", str(TWO_LANGUAGES), **kwargs)


def live_target(site: Path) -> str:
    return os.readlink(site / "live")


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A site folder with one good release from the spreadsheet export."""
    site = tmp_path_factory.mktemp("nightly") / "site"
    proc = night("--data", str(SMALL), "--site", str(site))
    assert proc.returncode == 0, proc.stderr
    return site


@pytest.fixture
def site(published: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "site"
    shutil.copytree(published, copy, symlinks=True)
    return copy


def test_a_run_publishes_a_release_and_reports(site: Path) -> None:
    target = live_target(site)
    assert target.startswith("releases/")
    assert (site / "live" / "index.html").is_file()
    report = json.loads((site / "reports" / "latest.json").read_text(encoding="utf-8"))
    assert report["status"] == "published" and report["release"] == target.split("/")[1]
    assert report["counts"]["providers"] == 5 and report["counts"]["pages"] > 100
    assert set(report["timings"]) >= {
        "load+validate",
        "render",
        "search index",
        "checks",
        "publish",
    }
    assert report["checks"]["passed"] is True
    assert report["changes"]["first_release"] is True
    assert "published release" in (site / "nightly.log").read_text(encoding="utf-8")


def test_second_run_reports_what_changed(site: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(SMALL, data)
    providers = (data / "providers.csv").read_text(encoding="utf-8-sig").splitlines()
    (data / "providers.csv").write_text(
        "\n".join(
            line.replace(";active", ";deauthorised") if line.startswith("leverantor-05") else line
            for line in providers
        )
        + "\n",
        encoding="utf-8",
    )
    results = (data / "results.csv").read_text(encoding="utf-8-sig").splitlines()
    # Drop most of one provider's records: its figures move.
    kept = [
        line
        for i, line in enumerate(results)
        if not (line.split(";")[1:2] == ["leverantor-01"] and i % 3)
    ]
    (data / "results.csv").write_text("\n".join(kept) + "\n", encoding="utf-8")
    # A ninth of the records gone (11 %) is more than HOLD_IF_FALLEN_BY allows: held.
    before, target = snapshot(site / "live"), live_target(site)
    live = json.loads((site / "reports" / "latest.json").read_text(encoding="utf-8"))
    was = live["counts"]["records"]
    held = night("--data", str(data), "--site", str(site), "--keep", "2")
    assert held.returncode == 2, held.stderr
    fell = re.search(r"records fell from (\d+) in the live release to (\d+) \(11%", held.stderr)
    assert fell and int(fell.group(1)) == was and int(fell.group(2)) < 0.9 * was, held.stderr
    assert "--accept-fall" in held.stderr and "Traceback" not in held.stderr
    assert live_target(site) == target and snapshot(site / "live") == before
    report = json.loads((site / "reports" / "latest.json").read_text(encoding="utf-8"))
    assert report["status"] == "held"
    assert len(list((site / "releases").iterdir())) == 1
    # The operator says the fall is real.
    proc = night("--data", str(data), "--site", str(site), "--keep", "2", "--accept-fall")
    assert proc.returncode == 0, proc.stderr
    assert "providers added: none" in proc.stdout
    report = json.loads((site / "reports" / "latest.json").read_text(encoding="utf-8"))
    assert report["changes"]["first_release"] is False
    assert "figures that moved beyond their interval" in proc.stdout
    assert len(list((site / "releases").iterdir())) == 2


def test_invalid_data_exits_2_and_the_live_site_is_unchanged(site: Path, tmp_path: Path) -> None:
    before, target = snapshot(site / "live"), live_target(site)
    data = tmp_path / "bad"
    shutil.copytree(SMALL, data)
    (data / "staff.csv").write_text("provider_id;year\nx;y\n", encoding="utf-8")
    proc = night("--data", str(data), "--site", str(site))
    assert proc.returncode == 2
    assert "staff.csv" in proc.stderr and "Traceback" not in proc.stderr
    assert live_target(site) == target and snapshot(site / "live") == before
    report = json.loads((site / "reports" / "latest.json").read_text(encoding="utf-8"))
    assert report["status"] == "invalid data" and report["problems"]
    assert not list((site / "releases").glob(".building-*"))


def start_building(site: Path) -> subprocess.Popen[bytes]:
    """Start a nightly run; return once it is writing its release. Without the
    site's cache, and in all seven languages, it renders every page, which
    leaves time to act mid-build."""
    shutil.rmtree(site / "cache", ignore_errors=True)
    return start_cli_writing(
        ["nightly", "--data", str(SMALL), "--site", str(site)],
        site / "releases",
        ".building-*",
    )


def latest(site: Path) -> dict[str, object]:
    return json.loads((site / "reports" / "latest.json").read_text(encoding="utf-8"))


def test_a_second_run_exits_at_once_and_kill_9_leaves_live_and_the_next_run_recovers(
    site: Path,
) -> None:
    before, target = snapshot(site / "live"), live_target(site)
    proc = start_building(site)
    # Two runs at once: the second exits 1 at once and touches nothing.
    start = time.monotonic()
    second = night("--data", str(SMALL), "--site", str(site))
    assert second.returncode == 1
    assert "another nightly run is in progress" in second.stderr
    assert time.monotonic() - start < 10
    assert proc.poll() is None, "the first run is still building"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert live_target(site) == target and snapshot(site / "live") == before
    # The killed run is seen as one: never "published".
    killed = latest(site)
    assert killed["status"] == "running" and killed["pid"] == proc.pid
    # What a killed run could leave in releases/ besides its own folder: a
    # folder renamed but never recorded complete, and another program's folder.
    (site / "releases" / "20990101T000000Z").mkdir()
    (site / "releases" / "pagefind-x1y2").mkdir()

    again = night("--data", str(SMALL), "--site", str(site), "--keep", "2")
    assert again.returncode == 0, again.stderr
    assert not list((site / "releases").glob(".building-*"))
    assert live_target(site) != target
    # Neither stray folder counted as a release: the one before stays for rollback.
    assert sorted(p.name for p in (site / "releases").iterdir()) == sorted(
        [target.split("/")[1], live_target(site).split("/")[1]]
    )
    reports = [json.loads(p.read_text(encoding="utf-8")) for p in (site / "reports").glob("2*")]
    assert [r["status"] for r in reports if r["pid"] == proc.pid] == ["died"]


def test_same_input_gives_a_byte_identical_release_and_rollback_returns_to_it(
    site: Path,
) -> None:
    first = live_target(site)
    assert night("--data", str(SMALL), "--site", str(site)).returncode == 0
    second = live_target(site)
    assert second != first
    assert snapshot(site / first) == snapshot(site / second)
    left = [p for p in site.rglob("pagefind-*") if p.is_dir()]
    assert not left, "Pagefind's working folder is left behind"
    proc = run_cli("rollback", "--site", str(site))
    assert proc.returncode == 0, proc.stderr
    assert live_target(site) == first
    # A night after the rollback, then another rollback: back to the first
    # release, not to the second, which was rolled back from.
    assert night("--data", str(SMALL), "--site", str(site)).returncode == 0
    third = live_target(site)
    assert third not in (first, second)
    assert run_cli("rollback", "--site", str(site)).returncode == 0
    assert live_target(site) == first
    # Nothing older: a clear message, exit 1.
    proc = run_cli("rollback", "--site", str(site))
    assert proc.returncode == 1 and "no earlier release" in proc.stderr


def _limit_file_size() -> None:
    # A full disk, as a program sees it: writes past 64 KiB fail with an OSError.
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (64 * 1024, 64 * 1024))


def test_a_full_disk_exits_1_and_the_live_site_is_unchanged(site: Path) -> None:
    before, target = snapshot(site / "live"), live_target(site)
    proc = night("--data", str(SMALL), "--site", str(site), preexec_fn=_limit_file_size)
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    assert live_target(site) == target and snapshot(site / "live") == before
    assert not list((site / "releases").glob(".building-*"))


def _make_unwritable(folders: list[Path], on: bool) -> None:
    if os.geteuid() == 0:
        # Permissions do not stop root; the immutable attribute does.
        subprocess.run(["chattr", "+i" if on else "-i", *map(str, folders)], check=True)
    else:
        for folder in folders:
            os.chmod(folder, 0o555 if on else 0o755)


def test_an_unwritable_site_folder_exits_1(site: Path) -> None:
    before, target = snapshot(site / "live"), live_target(site)
    folders = [site, site / "releases"]
    _make_unwritable(folders, True)
    try:
        proc = night("--data", str(SMALL), "--site", str(site))
    finally:
        _make_unwritable(folders, False)
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr and "Build failed" in proc.stderr
    assert live_target(site) == target and snapshot(site / "live") == before


def test_a_night_that_looks_incomplete_is_held() -> None:
    """No records, or records or providers fallen by more than the share, against
    the live release's counts; a first release is held only when it is empty."""
    from generator.build.nightly import fallen

    live = {"records": 1000, "providers": 40}
    assert fallen(live, {"records": 950, "providers": 40}, 0.1) is None
    assert fallen(live, {"records": 900, "providers": 36}, 0.1) is None  # exactly 10 %
    assert "records fell from 1000" in (fallen(live, {"records": 899, "providers": 40}, 0.1)
                                        or "")
    assert "providers fell from 40" in (fallen(live, {"records": 990, "providers": 35}, 0.1)
                                        or "")
    assert fallen(live, {"records": 0, "providers": 40}, 0.1) == "the data hold no records"
    assert fallen(None, {"records": 0, "providers": 0}, 0.1) == "the data hold no records"
    assert fallen(None, {"records": 5, "providers": 1}, 0.1) is None
    assert fallen(live, {"records": 500, "providers": 40}, 0.6) is None


def test_the_change_summary_counts_figures_that_disappeared(tmp_path: Path) -> None:
    """A figure the live site shows that tonight's hides or drops is counted; the
    pooled period a closed year replaces is not."""
    from generator.build.nightly import changes

    header = "provider_id,year,indicator,breakdown,value,ci_low,ci_high,suppressed"

    def release(name: str, rows: list[str]) -> Path:
        folder = tmp_path / name / "data"
        folder.mkdir(parents=True)
        (folder / "indicators.csv").write_text("\n".join([header, *rows]) + "\n")
        (folder / "providers.json").write_text('{"providers": [{"provider_id": "p1"}]}')
        return folder.parent

    live = release("live", [
        "p1,2025,work_or_studies,total,70,60,80,no",  # hidden tonight
        "p1,2025,passed,total,90,80,95,no",  # gone tonight
        "p1,2025,satisfied_end,total,80,70,88,no",  # still shown
        "p1,2023-2025,work_or_studies,total,72,65,79,no",  # its period is replaced
    ])
    tonight = release("tonight", [
        "p1,2025,work_or_studies,total,,,,yes",
        "p1,2025,satisfied_end,total,81,71,89,no",
        "p1,2024-2026,work_or_studies,total,73,66,80,no",
    ])
    found = changes(live, tonight)
    assert found["vanished"] == ["p1/2025/passed/total", "p1/2025/work_or_studies/total"]
    assert found["moved"] == []


def test_a_site_published_before_the_journal_keeps_its_releases_and_their_order(
    tmp_path: Path,
) -> None:
    """Release folders of an earlier version are taken into the journal once, in
    the order their names tell; a folder that is not a release is not."""
    from generator.build import nightly

    site = tmp_path / "site"
    names = ["20260101T000000Z", "20260102T000000Z", "20260103T000000Z"]
    for name in names:
        (site / "releases" / name).mkdir(parents=True)
        (site / "releases" / name / "index.html").write_text("<p>release</p>", encoding="utf-8")
    (site / "releases" / "pagefind-abc").mkdir()
    (site / "live").symlink_to(f"releases/{names[2]}")
    assert nightly.rollback(site).name == names[1]
    assert nightly.rollback(site).name == names[0]
    with pytest.raises(nightly.RollbackImpossible):
        nightly.rollback(site)
    assert [p.name for p in nightly.releases(site)] == names
