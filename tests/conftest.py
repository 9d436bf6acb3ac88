"""Shared fixtures: one real build of the bundled sample site, served over HTTP."""

from __future__ import annotations

import fcntl
import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_DATA = ROOT / "data"
# The sample municipality's own settings, as `make serve` builds with them.
SAMPLE_SETTINGS = SAMPLE_DATA / "settings.py"
FIXTURES = Path(__file__).resolve().parent / "fixtures"

# How deep the property tests search: `ci` is what `make test` (and so CI) runs,
# `dev` a quick loop while editing, `thorough` ten times `ci`, for a weekly run
# or after a change to disclosure control. HYPOTHESIS_PROFILE picks one.
EXAMPLES_SCALE = {"dev": 0.2, "ci": 1.0, "thorough": 10.0}
for _name, _scale in EXAMPLES_SCALE.items():
    settings.register_profile(
        _name,
        max_examples=max(1, round(100 * _scale)),  # for tests that do not set their own
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow],
        print_blob=True,
        # CI runs the same examples every time, so its time and its verdict do
        # not depend on the draw; `dev` and `thorough` draw afresh and explore.
        derandomize=_name == "ci",
    )
PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "ci")
if PROFILE not in EXAMPLES_SCALE:
    raise pytest.UsageError(f"HYPOTHESIS_PROFILE must be one of {', '.join(EXAMPLES_SCALE)}")
settings.load_profile(PROFILE)


def examples(n: int) -> int:
    """A property test's number of examples in the `ci` profile, scaled to the one in use."""
    return max(1, round(n * EXAMPLES_SCALE[PROFILE]))


# The order in which the two pytest-xdist workers take the modules (`make test`
# runs --dist loadfile --no-loadscope-reorder): the longest first, so that no
# worker is left with a long module at the end, and the first four alternate
# between modules that need the session's sample site and modules that do not,
# so that one worker builds the site while the other works. Modules not listed
# follow in name order.
MODULE_ORDER = (
    "test_accessibility.py",  # builds the sample site
    "test_disclosure.py",
    "test_cache.py",
    "test_nightly.py",
    "test_layout.py",
    "test_find_and_compare.py",
    "test_checks.py",
    "test_cli.py",
    "test_validate.py",
    "test_install.py",
    "test_phone.py",
    "test_fuzz_build.py",
    "test_casemix.py",
    "test_proof.py",
    "test_site.py",
    "test_fair_comparison.py",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    rank = {name: i for i, name in enumerate(MODULE_ORDER)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))


CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def run_cli(*args: str, **kwargs: object) -> subprocess.CompletedProcess[str]:
    """`python -m generator ARGS` as a user runs it, from the project folder."""
    return subprocess.run(
        [sys.executable, "-m", "generator", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        **kwargs,  # type: ignore[arg-type]
    )


def start_cli_writing(args: list[str], parent: Path, pattern: str) -> subprocess.Popen[bytes]:
    """Start `python -m generator ARGS`; return once a folder parent/PATTERN holds a page,
    that is, once the run is writing its new site (the moment to kill it in a test)."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "generator", *args],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        found = list(parent.glob(pattern))
        if found and any(found[0].rglob("*.html")):
            return proc
        time.sleep(0.02)
    proc.kill()
    raise AssertionError(f"`generator {args[0]}` never started writing into {parent}/{pattern}")


# The axe rule set: every rule tagged for WCAG 2.0, 2.1 and 2.2 at levels A and AA.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
# Violations only: axe still runs every rule on every element, but does not send
# back each element that passed, which took a third of the time of a run.
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}


@functools.cache
def _axe() -> Any:
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """axe-core's WCAG A and AA violations on the page as it is now."""
    return _axe().run(page, options=AXE_OPTIONS).response["violations"]


def extract_messages(project: Path, pot: Path) -> None:
    """Extract the gettext messages of a project folder into ``pot``, as
    `make catalogs` does (the same keywords: ``N_``, and ``NP_`` for plurals)."""
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg"]
        + ["-k", "N_", "-k", "NP_:1,2", "--no-location", "-o", str(pot), "."],
        cwd=project,
        check=True,
        capture_output=True,
    )


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under folder with its bytes: equal snapshots mean an untouched folder."""
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site built from the committed sample data, by the real build: once per
    test run, shared by the pytest-xdist workers (the first builds, the others
    wait for it), and read only."""
    from generator.build.pipeline import build

    run = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        run = run.parent  # the run's folder, above each worker's own
    out = run / "sample-site" / "output"
    with (run / "sample-site.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        done = run / "sample-site.done"
        if not done.exists():
            build(SAMPLE_DATA, out, SAMPLE_SETTINGS)
            done.touch()
    return out


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


def serve(directory: Path, mount: str = "/") -> tuple[http.server.ThreadingHTTPServer, str]:
    """Serve directory at http://127.0.0.1:PORT{mount} on a thread."""
    if mount != "/":
        # Serve from a parent folder so the site lives under a sub-path.
        parent = directory.parent / "_mount"
        target = parent / mount.strip("/")
        target.parent.mkdir(parents=True, exist_ok=True)
        if not target.exists():
            target.symlink_to(directory, target_is_directory=True)
        directory = parent
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}{mount}"


@pytest.fixture(scope="session")
def site_url(sample_site: Path) -> Iterator[str]:
    server, url = serve(sample_site)
    yield url
    server.shutdown()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not shutil.which("chromium") and not Path("/usr/bin/chromium").exists():
        pytest.fail("Chromium is missing: run scripts/install-browser")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser: object) -> Iterator[object]:
    context = browser.new_context()  # type: ignore[attr-defined]
    pg = context.new_page()
    yield pg
    context.close()
