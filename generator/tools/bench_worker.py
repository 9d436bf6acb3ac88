"""One build for the benchmark, in its own process: writes timings and peak RSS as JSON."""

from __future__ import annotations

import json
import resource
import sys
from pathlib import Path

from generator.build.pipeline import build


def main(data: str, output: str, report: str, cache: str, settings: str) -> None:
    result = build(Path(data), Path(output), Path(settings), cache=Path(cache))
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    Path(report).write_text(
        json.dumps(
            {
                "timings": result.timings,
                "pages": result.pages,
                "cache": result.cache,
                "peak_rss_mb": max(own, children) / 1024,
            }
        ),
        encoding="utf-8",
    )


if __name__ == "__main__":
    main(*sys.argv[1:6])
