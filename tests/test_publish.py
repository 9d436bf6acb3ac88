"""The output folder is swapped in one step and recovers from a run that died."""

from __future__ import annotations

from pathlib import Path

from generator.files import remove_tree
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


def test_removing_a_site_removes_every_file_and_never_follows_a_link(tmp_path: Path) -> None:
    site = tmp_path / "old"
    for rel in ("index.html", "sv/provider/a.html", "sv/provider/b/c.html", "charts/x.svg",
                "en/index.html"):
        (site / rel).parent.mkdir(parents=True, exist_ok=True)
        (site / rel).write_text(rel, encoding="utf-8")
    kept = tmp_path / "kept"
    (kept / "deep").mkdir(parents=True)
    (kept / "deep" / "page.html").write_text("keep", encoding="utf-8")
    (site / "sv" / "elsewhere").symlink_to(kept)
    (site / "linked-file").symlink_to(kept / "deep" / "page.html")
    remove_tree(site)
    assert not site.exists()
    assert (kept / "deep" / "page.html").read_text(encoding="utf-8") == "keep"
    link = tmp_path / "link"
    link.symlink_to(kept)
    remove_tree(link)
    assert not link.exists() and (kept / "deep" / "page.html").exists()
    remove_tree(tmp_path / "never-was")  # nothing to remove is no error
