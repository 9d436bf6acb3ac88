"""Fuzzing the whole build: any input either builds or ends with exit 2 and FILE:LINE
messages, never a traceback (the loader alone is fuzzed harder in test_validate.py)."""

from __future__ import annotations

import contextlib
import io
import re
import shutil
import tempfile
from pathlib import Path

import pytest
from conftest import examples
from datafolder import valid_tables, write_folder
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.build.cli import run

pytestmark = pytest.mark.slow

# Values that are valid in some column and not in others, and plain junk.
cells = st.one_of(
    st.sampled_from(
        [
            "",
            "0",
            "-1",
            "yes",
            "nej",
            "2025-02-29",
            "2024-02-29",
            "sfi",
            "all",
            "55+",
            "completed",
            "external",
            "work",
            "none",
            "5",
            "passed",
            "<b>x</b>",
            "1e9",
            "NaN",
            "Orminge",
            "partly",
            "=1+1",
        ]
    ),
    st.text(max_size=12),
)


@settings(max_examples=examples(8))  # a whole build each (about 4 s)
@given(data=st.data(), value=cells)
def test_any_change_to_a_valid_folder_builds_or_exits_2(data: st.DataObject, value: str) -> None:
    tables = valid_tables()
    name = data.draw(st.sampled_from(sorted(tables)))
    row = data.draw(st.integers(0, len(tables[name]) - 1))
    column = data.draw(st.sampled_from(sorted(tables[name][row])))
    tables[name][row][column] = value
    root = Path(tempfile.mkdtemp(prefix="fuzz-build-"))
    try:
        write_folder(root / "data", tables)
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = run(["build", "--data", str(root / "data"), "--output", str(root / "site")])
        assert code in (0, 2), err.getvalue()
        assert "Traceback" not in err.getvalue()
        if code == 2:
            problems = [line for line in err.getvalue().splitlines() if line.startswith(str(root))]
            assert problems and all(re.match(r".+\.(csv|md):(\d+:)? ", p) for p in problems)
            assert not (root / "site").exists()
        else:
            assert (root / "site" / "index.html").exists()
    finally:
        shutil.rmtree(root)
