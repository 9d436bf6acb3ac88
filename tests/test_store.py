"""The build store: entries under keys that hold the output libraries' versions,
checked on every read, copied out, and kept only while builds use them."""

from __future__ import annotations

import importlib.metadata
import io
import os
import tarfile
import time
from pathlib import Path

from generator.files import write_entry
from generator.store import Store, environment


def test_an_entry_comes_back_only_under_the_same_key_and_versions(tmp_path: Path) -> None:
    store = Store(tmp_path / "charts", environment("fonts A"), suffix=".svg")
    store.put("chart-1", b"<svg/>")
    assert store.get("chart-1") == b"<svg/>"
    assert store.get("chart-2") is None
    assert store.path("chart-1").suffix == ".svg"
    # Another version of a library that shapes the output, or other font files:
    # the same key names another entry, so nothing made with the old ones is used.
    assert Store(tmp_path / "charts", environment("fonts B")).get("chart-1") is None
    versions = environment("")
    assert f"pandas={importlib.metadata.version('pandas')}" in versions
    assert f"vl-convert-python={importlib.metadata.version('vl-convert-python')}" in versions


def test_a_damaged_entry_is_dropped_and_reported(tmp_path: Path) -> None:
    store = Store(tmp_path / "pages", fan_out=True)
    store.put("page", b"<html>1</html>")
    path = store.path("page")
    assert path.parent.name == path.name[:2]
    data = bytearray(path.read_bytes())
    data[-3] ^= 0x20
    path.write_bytes(bytes(data))
    assert store.get("page") is None
    assert not path.exists() and store.damage.entries == [str(path)]


def test_copy_out_writes_a_copy_never_a_link(tmp_path: Path) -> None:
    store = Store(tmp_path / "pages")
    store.put("page", b"<html></html>")
    target = tmp_path / "site" / "en" / "page.html"
    assert store.copy_out("page", target)
    assert target.read_bytes() == b"<html></html>"
    assert target.stat().st_ino != store.path("page").stat().st_ino
    assert not store.copy_out("missing", tmp_path / "site" / "missing.html")
    assert not (tmp_path / "site" / "missing.html").exists()


def test_a_folder_is_one_entry_and_cannot_write_outside_its_target(tmp_path: Path) -> None:
    bundle = tmp_path / "bundle"
    (bundle / "fragment").mkdir(parents=True)
    (bundle / "pagefind-entry.json").write_text("{}", encoding="utf-8")
    (bundle / "fragment" / "en_1.pf_fragment").write_bytes(b"\x00\x01")
    store = Store(tmp_path / "search", suffix=".tar")
    store.put_folder("en-abc", bundle)
    out = tmp_path / "out"
    assert store.copy_out_folder("en-abc", out)
    assert (out / "fragment" / "en_1.pf_fragment").read_bytes() == b"\x00\x01"
    assert (out / "pagefind-entry.json").read_text(encoding="utf-8") == "{}"
    # An entry whose bytes prove themselves but whose names lead out of the
    # target (written by whoever can write the cache) is refused.
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w") as tar:
        info = tarfile.TarInfo("../escaped.txt")
        info.size = 1
        tar.addfile(info, io.BytesIO(b"x"))
    write_entry(store.path("evil"), buf.getvalue())
    assert not store.copy_out_folder("evil", tmp_path / "out2")
    assert not (tmp_path / "escaped.txt").exists()
    assert str(store.path("evil")) in store.damage.entries


def test_keep_drops_what_this_build_did_not_use(tmp_path: Path) -> None:
    first = Store(tmp_path / "pages", fan_out=True)
    for key in ("a", "b", "c"):
        first.put(key, key.encode())
    night = Store(tmp_path / "pages", fan_out=True)
    assert night.get("a") == b"a"
    night.put("d", b"d")
    assert night.keep() == 2
    left = sorted(p.name for p in (tmp_path / "pages").rglob("*") if p.is_file())
    assert left == sorted([night.name("a"), night.name("d")])
    # Fan-out folders left empty go too.
    assert len([p for p in (tmp_path / "pages").iterdir()]) == 2


def test_a_shared_store_keeps_what_any_build_used_lately(tmp_path: Path) -> None:
    """Font subsets are shared by every site the user builds: what this build
    did not use may be another site's, so only long-unused entries go."""
    store = Store(tmp_path / "fonts", suffix=".woff2")
    store.put("used", b"1")
    store.put("other-site", b"2")
    store.put("forgotten", b"3")
    month_ago = time.time() - 31 * 86400
    for key in ("used", "forgotten"):
        os.utime(store.path(key), (month_ago, month_ago))
    tonight = Store(tmp_path / "fonts", suffix=".woff2")
    assert tonight.get("used") == b"1"
    assert tonight.keep_recent(30) == 1
    assert tonight.path("used").exists() and tonight.path("other-site").exists()
    assert not tonight.path("forgotten").exists()
