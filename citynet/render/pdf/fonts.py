"""Finding, registering and embedding the PDF fonts.

ReportLab embeds a TrueType font as a subset when it is registered as a ``TTFont``; CID fonts
(HeiseiMin …) are never embedded and CFF-outline OpenType files (Noto CJK ``.otf``/``.ttc``) do not
load at all, so only TrueType-outline files are candidates (observed with ReportLab 5.1).

The Japanese font is, in this order:

1. the file named by ``CITYNET_PDF_FONT`` (a ``.ttf``, or ``.ttc`` with ``#index``);
2. a suitable font installed on the system (IPAex Gothic, BIZ UD Gothic, IPA Gothic, Takao);
3. IPAexGothic shipped inside the ``matplotlib-fontja`` (or ``japanize-matplotlib``) package,
   which the install provides.

The Latin fallback, used for the letters the Japanese font lacks (İ ı Ə ğ Đ …), is
``CITYNET_PDF_FALLBACK_FONT``, else DejaVu Sans from the system, else the copy matplotlib ships.
ReportLab has no per-glyph fallback, so :func:`font_runs` splits text into runs per font.
"""

from __future__ import annotations

import importlib.util
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from citynet.errors import N_, CitynetError

ENV_FONT = "CITYNET_PDF_FONT"
ENV_FALLBACK = "CITYNET_PDF_FALLBACK_FONT"

MAIN = "CitynetJP"  # the names the fonts are registered under
FALLBACK = "CitynetLatin"

_SYSTEM_DIRS = (
    Path("/usr/share/fonts"), Path("/usr/local/share/fonts"), Path.home() / ".local/share/fonts",
    Path.home() / ".fonts", Path("/Library/Fonts"), Path("/System/Library/Fonts"),
    Path(os.environ.get("WINDIR", "C:/Windows")) / "Fonts",
)
# TrueType-outline Japanese fonts, best first (file names as Debian and the vendors ship them).
_JAPANESE_FILES = ("ipaexg.ttf", "BIZUDGothic-Regular.ttf", "ipag.ttf", "TakaoGothic.ttf",
                   "TakaoPGothic.ttf", "ipaexm.ttf", "BIZUDMincho-Regular.ttf")
_FALLBACK_FILES = ("DejaVuSans.ttf", "NotoSans-Regular.ttf", "LiberationSans-Regular.ttf")
_PACKAGED_JAPANESE = (("matplotlib_fontja", "fonts/ipaexg.ttf"),
                      ("japanize_matplotlib", "fonts/ipaexg.ttf"))


@dataclass(frozen=True)
class FontChoice:
    main_path: Path
    main_index: int
    fallback_path: Path | None


def _package_file(package: str, relative: str) -> Path | None:
    """A data file inside an installed package, found without importing it (matplotlib_fontja
    imports matplotlib on import)."""
    try:
        spec = importlib.util.find_spec(package)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    for location in spec.submodule_search_locations:
        candidate = Path(location) / relative
        if candidate.is_file():
            return candidate
    return None


def _find_system(names: tuple[str, ...]) -> Path | None:
    wanted = {name.lower(): rank for rank, name in enumerate(names)}
    best: tuple[int, Path] | None = None
    for directory in _SYSTEM_DIRS:
        if not directory.is_dir():
            continue
        for root, _dirs, files in os.walk(directory):
            for file in files:
                rank = wanted.get(file.lower())
                if rank is not None and (best is None or rank < best[0]):
                    best = (rank, Path(root) / file)
    return best[1] if best else None


def _split_index(value: str) -> tuple[Path, int]:
    path, _, index = value.partition("#")
    return Path(path).expanduser(), int(index) if index.isdigit() else 0


E_NO_FILE = N_("{variable} names no file: {path}")
E_FONT = N_("cannot use font {path}: {reason}")


def choose_fonts() -> FontChoice:
    """Which files to use (see the module docstring); raises CitynetError when none is found."""
    main: Path | None
    fallback: Path | None
    configured = os.environ.get(ENV_FONT, "").strip()
    if configured:
        main, index = _split_index(configured)
        if not main.is_file():
            raise CitynetError(E_NO_FILE, variable=ENV_FONT, path=str(main))
    else:
        index = 0
        main = _find_system(_JAPANESE_FILES)
        if main is None:
            for package, relative in _PACKAGED_JAPANESE:
                main = _package_file(package, relative)
                if main is not None:
                    break
        if main is None:
            raise CitynetError(N_("no Japanese TrueType font found: install citynet with its dependencies "
                                  "(matplotlib-fontja) or set {variable} to a .ttf file"), variable=ENV_FONT)
    configured_fallback = os.environ.get(ENV_FALLBACK, "").strip()
    if configured_fallback:
        fallback = Path(configured_fallback).expanduser()
        if not fallback.is_file():
            raise CitynetError(E_NO_FILE, variable=ENV_FALLBACK, path=str(fallback))
    else:
        fallback = _find_system(_FALLBACK_FILES) or _package_file(
            "matplotlib", "mpl-data/fonts/ttf/DejaVuSans.ttf")
    return FontChoice(main, index, fallback)


@lru_cache(maxsize=1)
def register_fonts() -> FontChoice:
    """Register the chosen fonts once per process under :data:`MAIN` and :data:`FALLBACK`."""
    choice = choose_fonts()
    try:
        pdfmetrics.registerFont(TTFont(MAIN, str(choice.main_path), subfontIndex=choice.main_index))
    except (TTFError, OSError) as error:
        raise CitynetError(E_FONT, path=str(choice.main_path), reason=str(error)) from None
    if choice.fallback_path is not None:
        try:
            pdfmetrics.registerFont(TTFont(FALLBACK, str(choice.fallback_path)))
        except (TTFError, OSError) as error:
            raise CitynetError(E_FONT, path=str(choice.fallback_path), reason=str(error)) from None
    # Bold and italic map to the same face: IPAex has one weight, and a family mapping keeps
    # <b> in ReportLab markup from looking for a Helvetica-Bold.
    from reportlab.lib.fonts import addMapping

    for bold in (0, 1):
        for italic in (0, 1):
            addMapping(MAIN, bold, italic, MAIN)
            if choice.fallback_path is not None:
                addMapping(FALLBACK, bold, italic, FALLBACK)
    return choice


def _covers(font_name: str, char: str) -> bool:
    face = pdfmetrics.getFont(font_name).face
    return ord(char) in face.charToGlyph


@lru_cache(maxsize=4096)
def font_for(char: str) -> str:
    """The registered font that draws ``char``: the Japanese font when it has the glyph, else the
    Latin fallback when that has it, else the Japanese font (its .notdef box: visible, not lost)."""
    choice = register_fonts()
    if char.isspace() or _covers(MAIN, char):
        return MAIN
    if choice.fallback_path is not None and _covers(FALLBACK, char):
        return FALLBACK
    return MAIN


def font_runs(text: str) -> list[tuple[str, str]]:
    """``text`` cut into ``(font name, piece)`` runs, each drawable by its font."""
    runs: list[tuple[str, str]] = []
    for char in text:
        font = font_for(char)
        if runs and runs[-1][0] == font:
            runs[-1] = (font, runs[-1][1] + char)
        else:
            runs.append((font, char))
    return runs


def text_width(text: str, size: float) -> float:
    return sum(pdfmetrics.stringWidth(piece, font, size) for font, piece in font_runs(text))


def draw_text(canvas, x: float, y: float, text: str, size: float, *, align: str = "left") -> None:
    """Draw one line on a canvas (page furniture), switching fonts per run."""
    if align != "left":
        width = text_width(text, size)
        x = x - width if align == "right" else x - width / 2
    for font, piece in font_runs(text):
        canvas.setFont(font, size)
        canvas.drawString(x, y, piece)
        x += pdfmetrics.stringWidth(piece, font, size)
