"""Command line: build, check, sample. Exit 0 on success, 2 on invalid input, 1 otherwise."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from generator.ingest.problems import InvalidData

EXIT_OK, EXIT_FAILURE, EXIT_INVALID = 0, 1, 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="jamfor" if Path(sys.argv[0]).name == "jamfor" else "python -m generator",
        description="Build the provider comparison site from a folder of data files.",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    b = sub.add_parser("build", help="validate the data and build the whole site")
    b.add_argument("--data", type=Path, default=Path("data"), help="data folder (default: data)")
    b.add_argument(
        "--output", type=Path, default=Path("output"), help="site folder (default: output)"
    )
    b.add_argument(
        "--settings", type=Path, default=None, help="settings file (default: pelicanconf.py)"
    )
    b.add_argument(
        "--cache",
        type=Path,
        default=None,
        help="folder kept between builds to reuse what did not change (default: OUTPUT.cache)",
    )
    b.add_argument(
        "--no-cache", action="store_true", help="render everything afresh, keep no cache"
    )

    c = sub.add_parser("check", help="validate the data only")
    c.add_argument("--data", type=Path, default=Path("data"), help="data folder (default: data)")

    n = sub.add_parser("nightly", help="build a new release, check it and switch the live site")
    n.add_argument("--data", type=Path, default=Path("data"), help="data folder (default: data)")
    n.add_argument(
        "--site", type=Path, required=True, help="site folder; the web server serves SITE/live"
    )
    n.add_argument("--keep", type=int, default=7, help="releases to keep (default: 7)")
    n.add_argument(
        "--accept-fall",
        action="store_true",
        help="publish even if records or providers fell by more than HOLD_IF_FALLEN_BY",
    )
    n.add_argument(
        "--settings", type=Path, default=None, help="settings file (default: pelicanconf.py)"
    )

    rb = sub.add_parser("rollback", help="switch the live site back to the previous release")
    rb.add_argument("--site", type=Path, required=True, help="site folder")

    bn = sub.add_parser("bench", help="time a full build and two rebuilds, print the figures")
    bn.add_argument("--scale", choices=("small", "city", "national"), default="small")
    bn.add_argument("--work", type=Path, default=None, help="folder for data and sites (reused)")
    bn.add_argument(
        "--no-proof",
        action="store_true",
        help="build with DISCLOSURE_PROOF off: the suppression rules alone, without the proof",
    )

    a = sub.add_parser(
        "audit",
        help="measure what an attacker with a linear-programming solver learns of hidden figures",
    )
    a.add_argument("--data", type=Path, default=Path("data"), help="data folder (default: data)")
    a.add_argument(
        "--settings", type=Path, default=None, help="settings file (default: pelicanconf.py)"
    )

    i = sub.add_parser(
        "init", help="write a starter settings file with every setting explained"
    )
    i.add_argument("folder", type=Path, help="folder to write settings.py into")

    s = sub.add_parser("sample", help="write a synthetic data set in the data contract")
    s.add_argument("--out", type=Path, required=True, help="folder to write")
    s.add_argument("--scale", choices=("small", "city", "national"), default="small")
    s.add_argument("--seed", type=int, default=1)
    s.add_argument(
        "--draws", choices=("systematic", "binomial"), default="systematic",
        help="systematic: counts within one of the model (the committed sample); "
        "binomial: each record drawn on its own, with the spread of real data",
    )
    return parser


def _warn_about_placeholders(data: Path, settings_file: Path) -> None:
    """The committed settings describe the sample's municipality; say so when they
    are used for other data, before anything is published with them."""
    from generator.build.settings import (
        DEFAULT_SETTINGS_FILE,
        ROOT,
        SettingsError,
        load_settings,
        placeholder_settings,
    )

    if data.resolve() == (ROOT / "data").resolve():
        return
    try:
        names = placeholder_settings(load_settings(settings_file))
    except SettingsError:
        return  # the build itself reports it, in its own way
    if names:
        print(
            f"warning: {settings_file} still holds the sample's placeholder addresses "
            f"({', '.join(names)}); edit the municipality's settings before publishing.",
            file=sys.stderr,
        )
    if settings_file.resolve() == DEFAULT_SETTINGS_FILE.resolve():
        print(
            "warning: built with the default settings (no municipality's name, no contact "
            "addresses); write the municipality's own with 'jamfor init DIR' and pass it "
            "with --settings.",
            file=sys.stderr,
        )


def _print_problems(err: InvalidData) -> None:
    for line in err.lines():
        print(line, file=sys.stderr)
    print(
        f"The data has {len(err.problems) + err.truncated} problem(s); nothing was published.",
        file=sys.stderr,
    )


def damage_note(entries: list[str]) -> str:
    """The report's line on cache entries that failed their check."""
    shown = ", ".join(entries[:5]) + (f" and {len(entries) - 5} more" if len(entries) > 5 else "")
    return (
        f"The cache held {len(entries)} damaged entr{'y' if len(entries) == 1 else 'ies'} "
        f"({shown}): dropped and built again; the site is as a build from nothing."
    )


def revision_note(revised: list[str]) -> str:
    """The build's word on figures the site showed before and shows changed now."""
    shown = ", ".join(key.replace("\x1f", "/") for key in revised[:5])
    more = f" and {len(revised) - 5} more" if len(revised) > 5 else ""
    return (
        f"{len(revised)} figures the site published before changed: records of a closed year "
        f"were added or corrected, or a disclosure threshold was changed ({shown}{more}). The "
        "change of each tells about the records corrected; publish corrections together, "
        "rarely (README, Release to release)."
    )


def _progress(msg: str) -> None:
    if sys.stderr.isatty():
        print(f"… {msg}", file=sys.stderr)


def _nightly(args: argparse.Namespace) -> int:
    from generator.build.nightly import Held, LockHeld, run_nightly, summary
    from generator.build.settings import DEFAULT_SETTINGS_FILE

    if args.keep < 1:
        print("--keep must be at least 1", file=sys.stderr)
        return EXIT_FAILURE
    _warn_about_placeholders(args.data, args.settings or DEFAULT_SETTINGS_FILE)
    try:
        report = run_nightly(
            args.data, args.site, args.keep, args.settings or DEFAULT_SETTINGS_FILE,
            accept_fall=args.accept_fall,
        )
    except LockHeld as err:
        print(err, file=sys.stderr)
        return EXIT_FAILURE
    except Held as err:
        print(f"Held, nothing published: {err}. The live site was left as it was.",
              file=sys.stderr)
        return EXIT_INVALID
    print(summary(report))
    return EXIT_OK


def _audit(args: argparse.Namespace) -> int:
    """Exit 0 when no hidden figure can be pinned down, 1 when some can (listed)."""
    import time

    from generator.build.pipeline import BuildReport, compute_table
    from generator.build.settings import DEFAULT_SETTINGS_FILE, load_settings
    from generator.protect import proofstore
    from generator.protect.audit import measure

    settings = load_settings(args.settings or DEFAULT_SETTINGS_FILE)
    start = time.perf_counter()
    table, protected = compute_table(
        args.data, settings, BuildReport(), proofstore.default_folder()
    )
    found = measure(
        table, protected, settings["DISCLOSURE_K"], settings["RELIABILITY_R"],
        settings["STAFF_DISCLOSURE_K"],
    )
    for line in found.lines():
        print(line)
    print(f"Audited {len(table)} figures in {time.perf_counter() - start:.1f} s.")
    return EXIT_FAILURE if found.leaks else EXIT_OK


def run(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "check":
            from generator.build.pipeline import check

            ds = check(args.data)
            print(
                f"{args.data}: the data is valid ({len(ds.providers)} providers, "
                f"{len(ds.results)} records)."
            )
            return EXIT_OK
        if args.command == "init":
            from generator.build.settings import write_starter

            written = write_starter(args.folder)
            if written is None:
                print(f"{args.folder / 'settings.py'} exists already; nothing was written.",
                      file=sys.stderr)
                return EXIT_FAILURE
            print(
                f"Wrote {written}. Edit it, then build with: "
                f"jamfor build --data DATA --settings {written}"
            )
            return EXIT_OK
        if args.command == "sample":
            from generator.tools.sample import write_sample

            write_sample(args.out, args.scale, args.seed, args.draws)
            print(f"Wrote a {args.scale} sample data set to {args.out}")
            return EXIT_OK
        if args.command == "bench":
            from generator.tools.bench import run_bench

            print(run_bench(args.scale, args.work, proof=not args.no_proof))
            return EXIT_OK
        if args.command == "nightly":
            return _nightly(args)
        if args.command == "audit":
            return _audit(args)
        if args.command == "rollback":
            from generator.build.nightly import rollback

            release = rollback(args.site)
            print(f"{args.site}: the live site is now release {release.name}")
            return EXIT_OK
        from generator.build.pipeline import build
        from generator.build.settings import DEFAULT_SETTINGS_FILE

        _warn_about_placeholders(args.data, args.settings or DEFAULT_SETTINGS_FILE)
        cache = False if args.no_cache else (args.cache or True)
        report = build(
            args.data, args.output, args.settings or DEFAULT_SETTINGS_FILE, _progress, cache
        )
        if report.unchanged:
            print(
                f"Nothing changed since the site in {args.output} was built (same data, "
                f"settings and code): it was left as it was ({report.pages} pages, "
                f"checked in {report.total:.1f} s)."
            )
            return EXIT_OK
        reused = (
            f" {report.cache['hits']} of {report.cache['hits'] + report.cache['misses']}"
            " pages were unchanged and reused."
            if report.cache.get("hits")
            else ""
        )
        print(
            f"Built {report.pages} pages into {args.output} in {report.total:.1f} s "
            f"({', '.join(f'{k} {v:.1f} s' for k, v in report.timings.items())}).{reused}"
        )
        if report.damaged:
            print(damage_note(report.damaged))
        print(report.protection.summary())
        if report.revised:
            print(revision_note(report.revised))
        return EXIT_OK
    except InvalidData as err:
        _print_problems(err)
        return EXIT_INVALID
    except KeyboardInterrupt:
        print("Interrupted; the previous site was left as it was.", file=sys.stderr)
        return EXIT_FAILURE
    except Exception as err:  # noqa: BLE001 - the command line reports, never a traceback
        from generator.build.nightly import RollbackImpossible
        from generator.build.settings import SettingsError

        if isinstance(err, RollbackImpossible):
            print(err, file=sys.stderr)
            return EXIT_FAILURE
        kind = "Settings problem" if isinstance(err, SettingsError) else "Build failed"
        print(f"{kind}: {err}", file=sys.stderr)
        print("The previous site was left as it was.", file=sys.stderr)
        return EXIT_FAILURE


def main() -> None:
    """The ``jamfor`` command."""
    sys.exit(run())
