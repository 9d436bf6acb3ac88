"""The nightly run: build a new release next to the live one, check it, switch atomically.

Layout of the site folder (the web server serves ``live``)::

    SITE/live -> releases/20261124T020000Z   symlink, swapped in one rename
    SITE/releases/<id>/                       complete, checked releases (the last N kept)
    SITE/releases/.building-<pid>/            a release being built (removed if the run dies)
    SITE/reports/<id>.json, latest.json       machine-readable run reports
    SITE/journal.jsonl                        which releases are complete, and what was live when
    SITE/cache/                               kept between nights (pipeline.build_into)
    SITE/nightly.log                          one line per event, always written
    SITE/.lock                                held while a run works (released by the OS if it dies)

Only a folder the journal records as complete is a release: anything else in
``releases/`` (a run killed after its rename, a stray folder) is never kept,
pruned, recovered to or rolled back to as one. Rollback follows the journal's
history of what was live, so it never returns to a release it left.
"""

from __future__ import annotations

import csv
import datetime as dt
import fcntl
import io
import json
import os
import re
import shutil
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from generator.build.pipeline import BuildReport, build_into
from generator.build.settings import DEFAULT_SETTINGS_FILE, load_settings
from generator.files import remove_tree
from generator.ingest.problems import InvalidData
from generator.outputs.publish import remove_dead_runs_folders
from generator.pages import addresses

LIVE = "live"
RELEASES = "releases"
REPORTS = "reports"
JOURNAL = "journal.jsonl"
BUILDING_PREFIX = ".building-"
RELEASE_ID_RE = re.compile(r"\d{8}T\d{6}Z(-\d+)?")


class Held(Exception):
    """The new data look incomplete against the live release: nothing is published."""


def fallen(before: dict[str, Any] | None, after: dict[str, Any], share: float) -> str | None:
    """Why a night's data look incomplete, or None.

    A night with no records, or whose records or providers fall by more than
    ``share`` against the live release's (an export cut short, read while it
    was written, or filtered by mistake), must not replace a good site.
    """
    if not after.get("records"):
        return "the data hold no records"
    for name in ("records", "providers"):
        was, now = (before or {}).get(name), after.get(name, 0)
        if was and now < was * (1 - share):
            return (
                f"{name} fell from {was} in the live release to {now} "
                f"({(was - now) / was:.0%}; HOLD_IF_FALLEN_BY allows {share:.0%}): check the "
                "export, or run again with --accept-fall if the fall is real"
            )
    return None


def _live_counts(site: Path) -> dict[str, Any] | None:
    """The counts the run report of the live release recorded, if there is one."""
    live = live_release(site)
    if live is None:
        return None
    try:
        report = json.loads((site / REPORTS / f"{live.name}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    counts = report.get("counts") if isinstance(report, dict) else None
    return counts if isinstance(counts, dict) else None


class LockHeld(Exception):
    pass


class RollbackImpossible(Exception):
    pass


@contextmanager
def site_lock(site: Path) -> Iterator[None]:
    """An exclusive, non-blocking lock on the site folder for the whole run."""
    site.mkdir(parents=True, exist_ok=True)
    fh = open(site / ".lock", "a+")  # noqa: SIM115 - held for the duration of the run
    try:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            fh.seek(0)
            holder = fh.read().strip() or "another process"
            raise LockHeld(
                f"{site}: another nightly run is in progress ({holder}); try again later"
            ) from None
        fh.seek(0)
        fh.truncate()
        fh.write(f"pid {os.getpid()}")
        fh.flush()
        yield
    finally:
        fh.close()


class Log:
    """Appends every event to nightly.log; shows progress only on a terminal."""

    def __init__(self, site: Path, stream: TextIO = sys.stderr) -> None:
        self.path = site / "nightly.log"
        self.interactive = stream.isatty()
        self.stream = stream

    def __call__(self, message: str) -> None:
        stamp = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        try:
            with self.path.open("a", encoding="utf-8") as fh:
                fh.write(f"{stamp} {message}\n")
        except OSError:
            pass  # a full disk must not hide the real error
        if self.interactive:
            print(f"… {message}", file=self.stream, flush=True)


def _journal(site: Path) -> list[dict[str, Any]]:
    """The journal's events, oldest first; a line cut short by a kill is skipped."""
    try:
        lines = (site / JOURNAL).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return []
    events = []
    for line in lines:
        try:
            event = json.loads(line)
        except ValueError:
            continue
        if isinstance(event, dict) and isinstance(event.get("release"), str):
            events.append(event)
    return events


def _note(site: Path, event: str, release: str, **more: Any) -> None:
    """Append one event to the journal, on disk before the run goes on."""
    stamp = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    line = json.dumps({"time": stamp, "event": event, "release": release, **more}) + "\n"
    fd = os.open(site / JOURNAL, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(fd, line.encode("utf-8"))
        os.fsync(fd)
    finally:
        os.close(fd)


def releases(site: Path) -> list[Path]:
    """The complete releases, oldest first."""
    folder = site / RELEASES
    complete = {e["release"] for e in _journal(site) if e.get("event") == "complete"}
    return sorted(
        folder / name
        for name in complete
        if RELEASE_ID_RE.fullmatch(name) and (folder / name).is_dir()
    )


def _adopt_earlier_releases(site: Path, log: Log) -> None:
    """A site published before the journal existed: its release folders with a
    front page are taken as complete, once."""
    folder = site / RELEASES
    if (site / JOURNAL).exists() or not folder.is_dir():
        return
    adopted = [
        release
        for release in sorted(folder.iterdir())
        if RELEASE_ID_RE.fullmatch(release.name) and (release / addresses.START).is_file()
    ]
    for release in adopted:
        _note(site, "complete", release.name, adopted=True)
        log(f"took the earlier release {release.name} into the journal")
    # Their history as the names tell it: each was live after the one before,
    # up to the one live now.
    live = live_release(site)
    if live is not None:
        for release in adopted:
            if release.name <= live.name:
                _note(site, "live", release.name, via="adopted")
        if live not in adopted:
            _note(site, "live", live.name, via="adopted")


def history(site: Path) -> list[str]:
    """The releases that were live, each on top of the one live before it: a
    publication pushes, a rollback pops (so a release left by a rollback is
    never returned to)."""
    stack: list[str] = []
    for event in _journal(site):
        if event.get("event") != "live":
            continue
        if event.get("via") == "rollback":
            while stack and stack[-1] != event["release"]:
                stack.pop()
            if not stack:
                stack.append(event["release"])
        else:
            stack.append(event["release"])
    return stack


def live_release(site: Path) -> Path | None:
    link = site / LIVE
    if not link.is_symlink():
        return None
    target = (site / os.readlink(link)).resolve()
    return target if target.is_dir() else None


def switch_live(site: Path, release: Path) -> None:
    """Point SITE/live at release in one rename: a web server never sees it half-done."""
    tmp = site / f".{LIVE}.{os.getpid()}"
    if tmp.is_symlink() or tmp.exists():
        tmp.unlink()
    os.symlink(os.path.relpath(release, site), tmp)
    link = site / LIVE
    if link.exists() and not link.is_symlink():
        tmp.unlink()
        raise OSError(f"{link} is a folder, not a link; move it away once to start nightly runs")
    os.replace(tmp, link)


def recover(site: Path, log: Log) -> None:
    """Clean up after runs that died: half-built releases, stray links, folders
    that are not releases, and the report of a run that never finished."""
    _adopt_earlier_releases(site, log)
    folder = site / RELEASES
    if folder.is_dir():
        for stale in remove_dead_runs_folders(list(folder.glob(f"{BUILDING_PREFIX}*"))):
            log(f"removed the unfinished release {stale.name} of a run that died")
        complete = set(releases(site))
        for stray in sorted(folder.iterdir()):
            if stray.is_dir() and not stray.name.startswith(".") and stray not in complete:
                if stray == live_release(site):
                    continue  # never take away what visitors see
                shutil.rmtree(stray, ignore_errors=True)
                log(f"removed {stray.name}: not a complete release")
    for tmp in site.glob(f".{LIVE}.*"):
        tmp.unlink(missing_ok=True)
    _mark_died(site, log)
    if live_release(site) is None and releases(site):
        newest = releases(site)[-1]
        switch_live(site, newest)
        _note(site, "live", newest.name, via="recover")
        log(f"pointed {LIVE} at the newest complete release {newest.name}")


def _mark_died(site: Path, log: Log) -> None:
    """A run report still "running" when the lock is free is a run that died:
    say so in it and in latest.json."""
    latest = site / REPORTS / "latest.json"
    try:
        last = json.loads(latest.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return
    if not isinstance(last, dict) or last.get("status") != "running":
        return
    last["status"] = "died"
    last["problems"] = [
        *last.get("problems", []),
        "the run stopped before it finished (killed, or the machine went down); "
        "nothing of it was published",
    ]
    died = RunReport(**{k: v for k, v in last.items() if k in RunReport.__dataclass_fields__})
    died.write(site)
    log(f"the run of {last.get('started', '?')} (pid {last.get('pid', '?')}) died unfinished")


def prune(site: Path, keep: int, log: Log) -> None:
    live = live_release(site)
    complete = releases(site)
    old = [r for r in complete if r != live][: max(0, len(complete) - keep)]
    for release in old:
        remove_tree(release)
        log(f"removed the old release {release.name}")


def _release_id(site: Path) -> str:
    base = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    rid, n = base, 1
    while (site / RELEASES / rid).exists():
        n += 1
        rid = f"{base}-{n}"
    return rid


# ------------------------------------------------------------------ what changed


def _indicator_rows(release: Path) -> dict[tuple[str, str, str, str], dict[str, str]]:
    path = release / "data" / "indicators.csv"
    if not path.is_file():
        return {}
    rows = csv.DictReader(io.StringIO(path.read_text(encoding="utf-8")))
    return {(r["provider_id"], r["year"], r["indicator"], r["breakdown"]): r for r in rows}


def _provider_ids(release: Path) -> set[str]:
    path = release / "data" / "providers.json"
    if not path.is_file():
        return set()
    data = json.loads(path.read_text(encoding="utf-8"))
    return {p["provider_id"] for p in data.get("providers", [])}


def changes(previous: Path | None, current: Path) -> dict[str, Any]:
    """Providers added or removed, and published figures that moved outside their
    previous 95 % interval (the same period, indicator and breakdown)."""
    if previous is None:
        return {"first_release": True, "providers_added": [], "providers_removed": [], "moved": [],
                "vanished": []}
    before, after = _provider_ids(previous), _provider_ids(current)
    old_rows, moved = _indicator_rows(previous), []
    new_rows = _indicator_rows(current)
    # Figures the live site shows that tonight's would hide or drop, in the periods
    # both publish (a closed year's new pooled period replaces the old on purpose).
    periods = {key[1] for key in new_rows}
    vanished = [
        "/".join(key)
        for key, old in sorted(old_rows.items())
        if old["suppressed"] != "yes"
        and key[1] in periods
        and (key not in new_rows or new_rows[key]["suppressed"] == "yes")
    ]
    for key, row in sorted(new_rows.items()):
        old = old_rows.get(key)
        if not old or row["suppressed"] == "yes" or old["suppressed"] == "yes":
            continue
        if not (old["ci_low"] and old["ci_high"] and row["value"]):
            continue
        value = float(row["value"])
        if value < float(old["ci_low"]) or value > float(old["ci_high"]):
            moved.append(
                {
                    "provider_id": key[0],
                    "year": key[1],
                    "indicator": key[2],
                    "breakdown": key[3],
                    "before": old["value"],
                    "before_interval": [old["ci_low"], old["ci_high"]],
                    "after": row["value"],
                }
            )
    return {
        "first_release": False,
        "providers_added": sorted(after - before),
        "providers_removed": sorted(before - after),
        "moved": moved,
        "vanished": vanished,
    }


# ------------------------------------------------------------------ the run


@dataclass
class RunReport:
    status: str = "running"
    release: str | None = None
    started: str = ""
    finished: str = ""
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    checks: dict[str, Any] = field(default_factory=dict)
    changes: dict[str, Any] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    damaged_cache_entries: list[str] = field(default_factory=list)
    pid: int = 0

    def write(self, site: Path) -> Path | None:
        folder = site / REPORTS
        try:
            folder.mkdir(parents=True, exist_ok=True)
            text = json.dumps(self.__dict__, ensure_ascii=False, indent=2) + "\n"
            name = f"{self.release or self.started.replace(':', '')}.json"
            (folder / name).write_text(text, encoding="utf-8")
            tmp = folder / f".latest.{os.getpid()}"
            tmp.write_text(text, encoding="utf-8")
            os.replace(tmp, folder / "latest.json")
            return folder / name
        except OSError:
            return None


def summary(report: RunReport) -> str:
    lines = [
        f"Nightly run {report.status}: release {report.release or '-'} in {report.seconds:.1f} s"
    ]
    if report.counts:
        lines.append("  " + ", ".join(f"{k} {v}" for k, v in report.counts.items()))
    ch = report.changes
    if ch.get("first_release"):
        lines.append("  first release")
    elif ch:
        lines.append(f"  providers added: {', '.join(ch['providers_added']) or 'none'}")
        lines.append(f"  providers removed: {', '.join(ch['providers_removed']) or 'none'}")
        if ch.get("revised"):
            lines.append(f"  figures of closed years revised: {len(ch['revised'])}")
        gone = ch.get("vanished", [])
        lines.append(f"  figures shown before and hidden or gone now: {len(gone)}")
        lines += [f"    {key}" for key in gone[:10]]
        moved = ch["moved"]
        lines.append(f"  figures that moved beyond their interval: {len(moved)}")
        for m in moved[:10]:
            lines.append(
                f"    {m['provider_id']} {m['indicator']} {m['year']} {m['breakdown']}: "
                f"{m['before']} ({m['before_interval'][0]}–{m['before_interval'][1]}) "
                f"-> {m['after']}"
            )
    lines += [f"  {p}" for p in report.problems[:20]]
    return "\n".join(lines)


def run_nightly(
    data: Path,
    site: Path,
    keep: int = 7,
    settings_file: Path = DEFAULT_SETTINGS_FILE,
    accept_fall: bool = False,
) -> RunReport:
    """Build, check and publish one release. Raises LockHeld, InvalidData, Held or any
    failure; the live site changes only at the very end, in one rename."""
    site = site.absolute()
    report = RunReport(started=dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"))
    start = time.perf_counter()
    with site_lock(site):
        log = Log(site)
        log(f"nightly run started (pid {os.getpid()}), data {data}")
        try:
            recover(site, log)
            settings = load_settings(settings_file)
            rid = _release_id(site)
            report.release = rid
            report.pid = os.getpid()
            report.write(site)  # "running": a run killed from here on is seen as one
            building = site / RELEASES / f"{BUILDING_PREFIX}{os.getpid()}"
            building.mkdir(parents=True)
            build = BuildReport()
            try:
                # SITE/cache keeps charts, pages, fonts, the search index and check
                # results between nights: a night where little changed is cheap.
                build_into(
                    data, building, settings, settings_file, build, log, site / "cache",
                    live_release(site),
                )
                report.timings = {k: round(v, 3) for k, v in build.timings.items()}
                report.checks = {"passed": True, **build.checks}
                report.damaged_cache_entries = build.damaged
                model = build.model
                assert model is not None
                report.counts = {
                    "providers": len(model.providers),
                    "listed": len(model.listed),
                    "records": build.records,
                    "pages": build.pages,
                    "hidden_fewer_than_k": sum(build.protection.hidden_fewer_than_k.values()),
                    "hidden_secondary": build.protection.secondary,
                }
                why = fallen(_live_counts(site), report.counts, settings["HOLD_IF_FALLEN_BY"])
                if why and not accept_fall:
                    raise Held(why)
                report.changes = changes(live_release(site), building)
                report.changes["revised"] = [k.replace("\x1f", "/") for k in build.revised]
                final = site / RELEASES / rid
                os.rename(building, final)
                _note(site, "complete", rid)
            except BaseException:
                shutil.rmtree(building, ignore_errors=True)
                raise
            publish_start = time.perf_counter()
            previous = live_release(site)
            switch_live(site, final)
            _note(site, "live", rid, via="publish", previous=previous.name if previous else None)
            report.timings["publish"] = round(time.perf_counter() - publish_start, 3)
            prune(site, keep, log)
            report.status = "published"
            log(f"published release {rid}")
        except Held as err:
            report.status = "held"
            report.problems = [str(err)]
            log(f"held, nothing published: {err}")
            raise
        except InvalidData as err:
            report.status = "invalid data"
            report.problems = err.lines()
            log(f"invalid data, nothing published: {len(err.problems) + err.truncated} problem(s)")
            raise
        except BaseException as err:
            report.status = "failed"
            report.problems = [str(err) or type(err).__name__]
            log(f"failed, nothing published: {err}")
            raise
        finally:
            report.seconds = round(time.perf_counter() - start, 3)
            report.finished = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
            report.write(site)
    return report


def rollback(site: Path) -> Path:
    """Point live at the release that was live before the current one (the journal's
    history), skipping releases pruned since."""
    site = site.absolute()
    with site_lock(site):
        log = Log(site)
        _adopt_earlier_releases(site, log)
        current = live_release(site)
        complete = releases(site)
        stack = history(site)
        if stack and current is not None and stack[-1] == current.name:
            stack.pop()
            earlier = [site / RELEASES / name for name in reversed(stack)]
            target = next((r for r in earlier if r in complete and r != current), None)
        else:  # a live link set by hand: the newest release older than it
            older = [r for r in complete if current is None or r.name < current.name]
            target = older[-1] if older else None
        if target is None:
            raise RollbackImpossible(f"{site}: there is no earlier release to return to")
        switch_live(site, target)
        _note(
            site, "live", target.name, via="rollback", previous=current.name if current else None
        )
        log(f"rolled back from {current.name if current else '-'} to {target.name}")
        return target
