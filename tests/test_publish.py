"""The output folder is swapped in one step and recovers from a run that died."""

from __future__ import annotations

from pathlib import Path

from generator.outputs.publish import recover, replace_atomically, staging_dir


def make_site(folder: Path, marker: str) -> None:
    folder.mkdir(parents=True)
    (folder / "index.html").write_text(marker, encoding="utf-8")


def test_replace_swaps_in_the_new_site_and_removes_the_old(tmp_path: Path) -> None:
    out = tmp_path / "site"
    make_site(out, "old")
    new = staging_dir(out)
    make_site(new, "new")
    replace_atomically(new, out)
    assert (out / "index.html").read_text(encoding="utf-8") == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_first_build_creates_the_folder(tmp_path: Path) -> None:
    out = tmp_path / "deep" / "site"
    new = tmp_path / "deep" / ".site.building-1"
    make_site(new, "new")
    replace_atomically(new, out)
    assert (out / "index.html").read_text(encoding="utf-8") == "new"


def test_recover_puts_back_a_site_left_half_swapped(tmp_path: Path) -> None:
    out = tmp_path / "site"
    make_site(tmp_path / ".site.old-999999", "previous")
    make_site(tmp_path / ".site.building-999998", "partial")
    recover(out)
    assert (out / "index.html").read_text(encoding="utf-8") == "previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]
