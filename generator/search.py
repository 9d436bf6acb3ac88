"""Search index stage: Pagefind over the rendered site, one index per page language."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


class SearchIndexError(Exception):
    pass


def build_search_index(site: Path) -> None:
    # The pagefind package runs the binary shipped in the pagefind-bin wheel: no download.
    cmd = [sys.executable, "-m", "pagefind", "--site", str(site), "--silent"]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        detail = (proc.stderr or proc.stdout).strip().splitlines()[-5:]
        raise SearchIndexError("Pagefind failed: " + " / ".join(detail))
