"""Web fonts stage: Noto Sans Arabic and Ethiopic, subset to the characters the pages use.

Arabic-script (Arabic, Persian) and Ethiopic (Tigrinya) text is unreadable on
many phones without a font that covers it. The fonts come from Debian's
``fonts-noto-core`` package and are served from the site itself, so no request
leaves the site's host; subsetting to the characters actually used keeps them
to a few tens of kilobytes.
"""

from __future__ import annotations

import hashlib
import html
import io
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.outputs.assets import name_hash
from generator.store import Store

FONT_DIRS = (Path("/usr/share/fonts/truetype/noto"), Path("/usr/share/fonts/noto"))


@dataclass(frozen=True)
class WebFont:
    family: str
    file_stem: str  # e.g. NotoSansArabic -> NotoSansArabic-Regular.ttf / -Bold.ttf
    ranges: tuple[tuple[int, int], ...]  # the script's Unicode blocks

    def covers(self, ch: str) -> bool:
        code = ord(ch)
        return any(lo <= code <= hi for lo, hi in self.ranges)


FONTS = (
    WebFont(
        "Noto Sans Arabic",
        "NotoSansArabic",
        ((0x0600, 0x06FF), (0x0750, 0x077F), (0x08A0, 0x08FF), (0xFB50, 0xFDFF), (0xFE70, 0xFEFF)),
    ),
    WebFont(
        "Noto Sans Ethiopic",
        "NotoSansEthiopic",
        ((0x1200, 0x139F), (0x2D80, 0x2DDF), (0xAB00, 0xAB2F)),
    ),
)

_TAG = re.compile(r"<[^>]*>")


def _find(stem: str, weight: str) -> Path | None:
    for folder in FONT_DIRS:
        path = folder / f"{stem}-{weight}.ttf"
        if path.is_file():
            return path
    return None


def font_files_fingerprint() -> str:
    """Which font files a build would subset, and their size and age: a font
    installed (or updated) after a build changes the site."""
    parts = []
    for font in FONTS:
        for weight in ("Regular", "Bold"):
            path = _find(font.file_stem, weight)
            if path is None:
                parts.append(f"{font.file_stem}-{weight}: none")
            else:
                stat = path.stat()
                parts.append(f"{path}: {stat.st_size} {stat.st_mtime_ns}")
    return "\n".join(parts)


def used_characters(site: Path) -> set[str]:
    chars: set[str] = set()
    for page in site.rglob("*.html"):
        text = html.unescape(_TAG.sub(" ", page.read_text(encoding="utf-8")))
        chars.update(text)
    return chars


def _subset(source: Path, chars: set[str]) -> bytes:
    from fontTools import subset

    options = subset.Options()
    options.flavor = "woff2"
    options.layout_features = ["*"]  # Arabic shaping needs init/medi/fina/liga and more
    options.name_IDs = ["*"]
    options.notdef_outline = True
    font = subset.load_font(str(source), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(ord(c) for c in chars))
    subsetter.subset(font)
    buf = io.BytesIO()
    subset.save_font(font, buf, options)
    return buf.getvalue()


def _range_css(chars: set[str]) -> str:
    return ", ".join(f"U+{ord(c):X}" for c in sorted(chars))


def source_characters(model: Any, languages: list[str], content: Path) -> set[str]:
    """Every character the pages can contain, taken from what they are made of.

    The catalogs and editorial pages of every language, the provider data, and
    what Babel writes for each language (language names, months, number
    symbols). A superset of the characters on the pages, found without reading
    a single page: so the fonts, and fonts.css, are known before rendering and
    do not depend on any one page.
    """
    from babel import Locale
    from babel.messages.pofile import read_po

    from generator.pages.formatting import Formatter
    from generator.pages.render import ROOT

    chars: set[str] = set()
    for lang in languages:
        po = ROOT / "theme" / "translations" / lang / "LC_MESSAGES" / "messages.po"
        with po.open("rb") as fh:
            for message in read_po(fh):
                strings = message.string if isinstance(message.string, tuple) else (message.string,)
                for text in strings:
                    chars.update(text or "")
        for path in (content / lang).rglob("*"):
            if path.is_file():
                chars.update(path.read_text(encoding="utf-8", errors="replace"))
        locale = Locale.parse(lang)
        for names in (
            locale.languages,
            locale.months["format"]["wide"],
            locale.days["format"]["wide"],
        ):
            for value in names.values():
                chars.update(str(value))
        chars.update(Locale.parse(lang).get_display_name(lang) or "")
        chars.update("".join(str(v) for v in locale.number_symbols.get("latn", {}).values()))
        chars.update(Formatter(lang).file_size_characters())  # the open-data page's sizes
        chars.update(Formatter(lang).opening_hours_characters())
    for p in model.providers:
        chars.update(p.name)
        for text in p.texts.values():
            chars.update(html.unescape(_TAG.sub(" ", text)))
        for premises in p.premises:
            for value in premises.values():
                if isinstance(value, str):
                    chars.update(value)
    chars.update("".join(model.districts.values()))
    return chars


def _cached_subset(source: Path, chars: set[str], store: Store | None) -> bytes:
    """_subset, kept in store by a hash of the font file and the characters."""
    if store is None:
        return _subset(source, chars)
    h = hashlib.sha256(source.read_bytes())
    h.update("".join(sorted(chars)).encode())
    key = h.hexdigest()
    data = store.get(key)
    if data is None:
        data = _subset(source, chars)
        store.put(key, data)
    return data


KEEP_UNUSED_DAYS = 30


def shared_folder() -> Path | None:
    """The user's folder of font subsets, shared by every site built (a subset is a
    function of the font file and the characters, and is checked on every read)."""
    from generator.protect.proofstore import default_folder

    proofs = default_folder()
    return proofs.parent / "fonts" if proofs is not None else None


def build_fonts(
    site: Path,
    chars: set[str] | None = None,
    store: Store | None = None,
) -> list[Path]:
    """Write subset fonts and theme/css/fonts.css; returns the files written.

    ``chars`` defaults to the characters found on the pages already in site;
    ``store`` keeps subsets between builds, in ``shared_folder()``: shared by
    every site the user builds, it keeps what any build used lately.
    """
    chars = used_characters(site) if chars is None else chars
    css: list[str] = ["/* Generated at build time: Noto subsets for the scripts on the pages. */"]
    written: list[Path] = []
    font_dir = site / "theme" / "fonts"
    for font in FONTS:
        needed = {c for c in chars if font.covers(c)}
        if not needed:
            continue
        # Digits, punctuation and joiners shape with the script's own glyphs.
        extra = set("0123456789%().,:;–-‐ \u200c\u200d\u061b\u061f\u060c\u066a\u066b\u066c")
        for weight, css_weight in (("Regular", 400), ("Bold", 700)):
            source = _find(font.file_stem, weight)
            if source is None:
                print(
                    f"warning: {font.file_stem}-{weight}.ttf not found (install Debian's "
                    "fonts-noto-core); pages fall back to the visitor's own fonts",
                    file=sys.stderr,
                )
                continue
            data = _cached_subset(source, needed | extra, store)
            digest = name_hash(data)
            name = f"{font.file_stem}-{weight}.{digest}.woff2"
            font_dir.mkdir(parents=True, exist_ok=True)
            (font_dir / name).write_bytes(data)
            written.append(font_dir / name)
            css.append(
                "@font-face {"
                f' font-family: "{font.family}"; font-style: normal; font-weight: {css_weight};'
                f' font-display: swap; src: url("../fonts/{name}") format("woff2");'
                f" unicode-range: {_range_css(needed)}; }}"
            )
    if store is not None:
        store.keep_recent(KEEP_UNUSED_DAYS)
    css_path = site / "theme" / "css" / "fonts.css"
    css_path.parent.mkdir(parents=True, exist_ok=True)
    css_path.write_text("\n".join(css) + "\n", encoding="utf-8")
    written.append(css_path)
    return written
