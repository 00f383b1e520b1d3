"""Finding, preparing, registering and choosing the PDF fonts: a fallback chain, glyph by glyph.

ReportLab embeds a TrueType font as a subset when it is registered as a ``TTFont``; CID fonts
(HeiseiMin …) are never embedded and CFF-outline OpenType files (Noto CJK ``.otf``/``.ttc``) do not
load at all, so only TrueType-outline files are candidates (observed with ReportLab 5.1). ReportLab
has no glyph fallback of its own: :func:`font_runs` cuts text into runs, each drawn by the first
font of the chain that has a glyph for it (its ``cmap``).

The chain, in order (a face has a regular and, where noted, a bold weight):

====================  ==============================================================  ==========
face                  file                                                            bold
====================  ==============================================================  ==========
Japanese              ``CITYNET_PDF_FONT`` (``.ttf``, or ``.ttc#index``), else a        yes
                      Japanese font on the system (IPAex, BIZ UD, IPA, Takao), else
                      Noto Sans JP (``justmytype-intl-cjk``; JIS X 0208/0213, 𠮷)
Noto Sans JP          when the Japanese face above is another font: what it lacks (𠮷)  yes
Latin                 ``CITYNET_PDF_FALLBACK_FONT``, else Noto Sans (``manimgx-fonts``:  yes
                      Latin, Greek, Cyrillic with every diacritic, Vietnamese)
Korean, Simplified    Noto Sans KR, SC and TC (``justmytype-intl-cjk``)                regular
and Traditional
Chinese
Arabic, Hebrew, Thai  Noto Sans Arabic, Hebrew, Thai (``manimgx-fonts``)               yes
symbols, emoji        Noto Sans Symbols, Noto Emoji (monochrome outlines)             yes
====================  ==============================================================  ==========

``CITYNET_PDF_BOLD_FONT`` and ``CITYNET_PDF_FALLBACK_BOLD_FONT`` name the bold files of the first
and the Latin face. Every file is OFL 1.1 (Noto) or IPA (IPAex): both allow embedding.

The packaged Noto files are *variable* TrueType fonts; ReportLab ignores the variation axes and
draws the default instance (Thin for the CJK ones), so a static instance at weight 400 or 700 is
made once with fontTools' instancer and kept under the user cache directory (``CITYNET_FONT_CACHE``
to choose another): about 15 s for a CJK weight, the first time that face is needed. A face is read
(its cmap) only when a character reaches it, and prepared only when one is drawn with it.

Per character: white space and default-ignorable characters (ZWJ, variation selectors) go with the
run they are in; a combining mark stays with its base (the cluster goes to the first font that
has all of it, after trying its composed form); an emoji ZWJ sequence goes whole to the emoji font,
which draws its parts side by side (ReportLab applies no ligatures: 👩‍👩‍👧 prints as 👩👩👧). A
character no font of the chain has prints as 〓 (下駄記号, the substitute Japanese typesetting uses
for a missing glyph), never as an empty box.

Right-to-left text: :func:`visual` shapes Arabic (``arabic-reshaper``: contextual forms and
lam-alef) and puts a *line* in visual order (``python-bidi``, paragraph direction left to right, as
every document is); lines are broken in logical order first (markup.py), and widths are measured
on the shaped text (:func:`text_width`).
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import re
import tempfile
import unicodedata
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterator

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from citynet.errors import N_, CitynetError

ENV_FONT = "CITYNET_PDF_FONT"
ENV_BOLD = "CITYNET_PDF_BOLD_FONT"
ENV_FALLBACK = "CITYNET_PDF_FALLBACK_FONT"
ENV_FALLBACK_BOLD = "CITYNET_PDF_FALLBACK_BOLD_FONT"
ENV_CACHE = "CITYNET_FONT_CACHE"

MAIN = "CitynetJP"  # the names the first faces are registered under
MAIN_BOLD = "CitynetJP-Bold"
FALLBACK = "CitynetLatin"
FALLBACK_BOLD = "CitynetLatin-Bold"
MISSING = "〓"  # drawn for a character no font has

_SYSTEM_DIRS = (
    Path("/usr/share/fonts"), Path("/usr/local/share/fonts"), Path.home() / ".local/share/fonts",
    Path.home() / ".fonts", Path("/Library/Fonts"), Path("/System/Library/Fonts"),
    Path(os.environ.get("WINDIR", "C:/Windows")) / "Fonts",
)
# TrueType-outline Japanese fonts, best first (file names as Debian and the vendors ship them),
# each with its bold file where one exists.
_JAPANESE_FILES = ("ipaexg.ttf", "BIZUDGothic-Regular.ttf", "ipag.ttf", "TakaoGothic.ttf",
                   "TakaoPGothic.ttf", "ipaexm.ttf", "BIZUDMincho-Regular.ttf")
_JAPANESE_BOLD = {"BIZUDGothic-Regular.ttf": "BIZUDGothic-Bold.ttf"}

_CJK = ("justmytype_intl_cjk", "fonts/ofl")
_NOTO = ("manimgx_fonts", "")


@dataclass(frozen=True)
class Source:
    """A font file; ``weight`` asks for a static instance of a variable font at that weight."""

    path: Path
    index: int = 0
    weight: float | None = None


@dataclass(frozen=True)
class Face:
    """One link of the chain: the names it is registered under and its files."""

    name: str
    regular: Source
    bold: Source | None = None

    @property
    def bold_name(self) -> str:
        return f"{self.name}-Bold"


@dataclass(frozen=True)
class FontChoice:
    """The chain, first face first; kept for the callers that name the first two files."""

    faces: tuple[Face, ...]

    @property
    def main_path(self) -> Path:
        return self.faces[0].regular.path

    @property
    def fallback_path(self) -> Path | None:
        latin = [face for face in self.faces if face.name == FALLBACK]
        return latin[0].regular.path if latin else None


def _package_file(package: str, relative: str) -> Path | None:
    """A data file inside an installed package, found without importing it."""
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


def _packaged(where: tuple[str, str], file: str, weight: float | None) -> Source | None:
    package, folder = where
    path = _package_file(package, f"{folder}/{file}" if folder else file)
    return Source(path, 0, weight) if path else None


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


def _configured(variable: str) -> Source | None:
    value = os.environ.get(variable, "").strip()
    if not value:
        return None
    path, index = _split_index(value)
    if not path.is_file():
        raise CitynetError(E_NO_FILE, variable=variable, path=str(path))
    return Source(path, index)


def choose_fonts() -> FontChoice:
    """The chain (see the module docstring); raises CitynetError when no Japanese font is found."""
    noto_jp = _packaged(_CJK, "notosansjp/NotoSansJP[wght].ttf", 400)
    noto_jp_bold = _packaged(_CJK, "notosansjp/NotoSansJP[wght].ttf", 700)
    faces: list[Face] = []
    main = _configured(ENV_FONT)
    main_bold = _configured(ENV_BOLD)
    if main is None:
        system = _find_system(_JAPANESE_FILES)
        if system is not None:
            main = Source(system)
            bold_file = _JAPANESE_BOLD.get(system.name)
            if main_bold is None and bold_file and (system.parent / bold_file).is_file():
                main_bold = Source(system.parent / bold_file)
    if main is None:
        main, noto_jp = noto_jp, None
    if main is None:
        raise CitynetError(N_("no Japanese TrueType font found: install citynet with its dependencies "
                              "(justmytype-intl-cjk) or set {variable} to a .ttf file"), variable=ENV_FONT)
    faces.append(Face(MAIN, main, main_bold or noto_jp_bold))
    if noto_jp is not None:
        faces.append(Face("CitynetJP2", noto_jp, noto_jp_bold))
    latin = _configured(ENV_FALLBACK) or _packaged(_NOTO, "NotoSans[wght].ttf", 400)
    if latin is None:
        system_latin = _find_system(("DejaVuSans.ttf", "NotoSans-Regular.ttf"))
        latin = Source(system_latin) if system_latin else None
    latin_bold = _configured(ENV_FALLBACK_BOLD) or (
        _packaged(_NOTO, "NotoSans[wght].ttf", 700) if latin and latin.weight else None)
    if latin is not None:
        faces.append(Face(FALLBACK, latin, latin_bold))
    # the rest of the chain: (name, package, file, bold too)
    rest = (("CitynetKR", _CJK, "notosanskr/NotoSansKR[wght].ttf", False),
            ("CitynetSC", _CJK, "notosanssc/NotoSansSC[wght].ttf", False),
            ("CitynetTC", _CJK, "notosanstc/NotoSansTC[wght].ttf", False),
            ("CitynetArabic", _NOTO, "NotoSansArabic[wght].ttf", True),
            ("CitynetHebrew", _NOTO, "NotoSansHebrew[wght].ttf", True),
            ("CitynetThai", _NOTO, "NotoSansThai[wght].ttf", True),
            ("CitynetSymbols", _NOTO, "NotoSansSymbols[wght].ttf", True),
            ("CitynetEmoji", _NOTO, "NotoEmoji[wght].ttf", True))
    for name, where, file, has_bold in rest:
        regular = _packaged(where, file, 400)
        if regular is not None:
            faces.append(Face(name, regular, _packaged(where, file, 700) if has_bold else None))
    return FontChoice(tuple(faces))


# --- static instances of variable fonts ---------------------------------------------------------

def _cache_dir() -> Path:
    configured = os.environ.get(ENV_CACHE, "").strip()
    if configured:
        return Path(configured).expanduser()
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("citynet")) / "fonts"


# Tables ReportLab never reads (it applies no OpenType layout); dropping them first makes
# instancing a CJK weight about a quarter faster.
_UNUSED_TABLES = ("GSUB", "GPOS", "GDEF", "BASE", "vhea", "vmtx", "VVAR", "VORG", "HVAR", "MVAR")


def _static_file(source: Source) -> Path:
    """The file to register: ``source`` itself, or its static instance (made once, cached)."""
    from fontTools.ttLib import TTFont as ToolsFont

    if source.weight is None:
        return source.path
    with ToolsFont(str(source.path), lazy=True, fontNumber=source.index) as font:
        if "fvar" not in font:
            return source.path
        axes = {axis.axisTag: axis for axis in font["fvar"].axes}
        wght = axes.get("wght")
        if len(axes) == 1 and wght is not None and wght.defaultValue == source.weight:
            return source.path  # the default instance is the one wanted: ReportLab draws it
    stat = source.path.stat()
    key = hashlib.sha256(f"{source.path.name}:{stat.st_size}:{source.weight}".encode()).hexdigest()[:12]
    name = f"{source.path.stem.split('[')[0]}-{int(source.weight)}-{key}.ttf"
    for directory in (_cache_dir(), Path(tempfile.gettempdir()) / f"citynet-fonts-{getattr(os, 'getuid', lambda: 0)()}"):
        target = directory / name
        if target.is_file():
            return target
        try:
            directory.mkdir(parents=True, exist_ok=True)
            with _locked(directory / f"{name}.lock"):
                if not target.is_file():  # another process may have made it meanwhile
                    if announce is not None:
                        from citynet.i18n import _

                        announce(_(PREPARING).format(font=source.path.stem.split("[")[0],
                                                     weight=int(source.weight)))
                    _instantiate(source, target)
            return target
        except OSError:
            continue  # a cache directory that cannot be written: try the next
    raise CitynetError(E_FONT, path=str(source.path), reason="no writable cache directory")


# Preparing a font takes up to a minute, once: a face that says so is told here (the command
# line sets it; nothing is said when it is None).
announce: Callable[[str], None] | None = None
PREPARING = N_("Preparing the PDF font {font} ({weight}), once: this takes up to a minute…")


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    """One process at a time makes a given instance (the others wait, then find it made):
    parallel test workers or two exports at once do not each spend the CPU on it."""
    with open(path, "a") as handle:
        try:
            import fcntl
        except ImportError:  # not on Windows: the atomic rename alone keeps the file whole
            yield
            return
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _instantiate(source: Source, target: Path) -> None:
    from fontTools.ttLib import TTFont as ToolsFont
    from fontTools.varLib import instancer

    font = ToolsFont(str(source.path), fontNumber=source.index)
    for tag in _UNUSED_TABLES:
        if tag in font:
            del font[tag]
    pins = {axis.axisTag: axis.defaultValue for axis in font["fvar"].axes}
    pins["wght"] = source.weight
    try:
        instancer.instantiateVariableFont(font, pins, inplace=True, updateFontNames=True)
    except Exception:  # names cannot always be updated (no STAT): the outlines are what matter
        font = ToolsFont(str(source.path), fontNumber=source.index)
        for tag in _UNUSED_TABLES:
            if tag in font:
                del font[tag]
        instancer.instantiateVariableFont(font, pins, inplace=True)
    # written beside and renamed: two processes preparing the same font never see half a file
    handle, temporary = tempfile.mkstemp(dir=target.parent, suffix=".part")
    os.close(handle)
    try:
        font.save(temporary)
        os.replace(temporary, target)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)


# --- registration ---------------------------------------------------------------------------

def _fix_non_bmp_to_unicode() -> None:
    """ReportLab 5.1 writes a ToUnicode entry as ``<%04X>`` of the code point, which for 𠮷
    (U+20BB7) is not UTF-16: text extraction then reads ₻. Write UTF-16BE (a surrogate pair)."""
    from reportlab.pdfbase import ttfonts

    original = ttfonts.makeToUnicodeCMap
    if getattr(original, "citynet", False):
        return

    def make(fontname, subset):
        text = original(fontname, [min(code, 0xFFFF) for code in subset])
        for index, code in enumerate(subset):
            if code > 0xFFFF:
                utf16 = chr(code).encode("utf-16-be").hex().upper()
                text = text.replace(f"<{index:02X}> <FFFF>", f"<{index:02X}> <{utf16}>", 1)
        return text

    make.citynet = True  # type: ignore[attr-defined]
    ttfonts.makeToUnicodeCMap = make


def _register(name: str, source: Source) -> None:
    try:
        path = _static_file(source)
        index = source.index if path == source.path else 0
        pdfmetrics.registerFont(TTFont(name, str(path), subfontIndex=index))
    except (TTFError, OSError, ValueError, KeyError) as error:
        raise CitynetError(E_FONT, path=str(source.path), reason=str(error)) from None


_BOLD: dict[str, str] = {}  # registered face name -> the name of its bold (itself if none)


def _same_file(alias: str, name: str) -> None:
    """Register ``alias`` as a second name for the file of ``name`` (a style that asks for a bold
    the chain does not have)."""
    face = pdfmetrics.getFont(name).face
    pdfmetrics.registerFont(TTFont(alias, face.filename, subfontIndex=face.subfontIndex))


def _ensure(face: Face) -> None:
    """Register a face (and its bold) the first time it is used."""
    if face.name in _BOLD:
        return
    from reportlab.lib.fonts import addMapping

    _register(face.name, face.regular)
    bold = face.name
    if face.bold is not None:
        _register(face.bold_name, face.bold)
        bold = face.bold_name
    # a family, so that <b> in markup finds the bold face (or the regular, for want of one)
    for is_bold, is_italic in ((0, 0), (0, 1), (1, 0), (1, 1)):
        addMapping(face.name, is_bold, is_italic, bold if is_bold else face.name)
    _BOLD[face.name] = bold


def bold_font(font: str) -> str:
    """The bold of a registered face: itself where the chain has no bold for that script."""
    return _BOLD.get(font, font)


@lru_cache(maxsize=1)
def register_fonts() -> FontChoice:
    """Choose the chain and register the faces every document uses (Japanese and Latin, both
    weights, under :data:`MAIN`, :data:`MAIN_BOLD`, :data:`FALLBACK`, :data:`FALLBACK_BOLD`);
    the others are registered when a character needs them."""
    _fix_non_bmp_to_unicode()
    choice = choose_fonts()
    for face in choice.faces:
        if face.name in (MAIN, FALLBACK):
            _ensure(face)
    if FALLBACK not in _BOLD:  # no Latin face at all: its names draw with the Japanese one
        _same_file(FALLBACK, MAIN)
        _BOLD[FALLBACK] = FALLBACK
    for name, bold in ((MAIN, MAIN_BOLD), (FALLBACK, FALLBACK_BOLD)):
        if bold_font(name) != bold:  # styles name the bold faces: they must exist
            _same_file(bold, bold_font(name))
            _BOLD[name] = bold
    return choice


@lru_cache(maxsize=None)
def _cmap(face: Face) -> frozenset[int]:
    """The code points a face has glyphs for, read from the file without preparing it."""
    from fontTools.ttLib import TTFont as ToolsFont

    try:
        with ToolsFont(str(face.regular.path), lazy=True, fontNumber=face.regular.index) as font:
            cmap = font.getBestCmap() or {}
    except Exception as error:  # a damaged file: say which, never a traceback
        raise CitynetError(E_FONT, path=str(face.regular.path), reason=str(error)) from None
    return frozenset(cmap)


def _is_ignorable(char: str) -> bool:
    """Characters that take no room of their own: joiners, variation selectors, bidi marks."""
    code = ord(char)
    return (code in (0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF) or 0xFE00 <= code <= 0xFE0F
            or 0xE0100 <= code <= 0xE01EF or 0x200E <= code <= 0x200F or 0x202A <= code <= 0x202E
            or 0x2066 <= code <= 0x2069 or 0x1F3FB <= code <= 0x1F3FF or 0xE0020 <= code <= 0xE007F)


@lru_cache(maxsize=8192)
def _face_for(cluster: str) -> Face | None:
    """The first face that has every character of ``cluster`` (ignorable ones aside)."""
    codes = [ord(char) for char in cluster if not _is_ignorable(char)] or [ord(cluster[0])]
    for face in register_fonts().faces:
        have = _cmap(face)
        if all(code in have for code in codes):
            return face
    return None


def font_for(char: str) -> str:
    """The registered font that draws ``char`` (see :func:`font_runs`)."""
    runs = font_runs(char)
    return runs[0][0] if runs else MAIN


def _clusters(text: str) -> list[str]:
    """Characters with what belongs to them: combining marks and ignorable characters stay with
    the character before, and an emoji ZWJ sequence is one cluster."""
    clusters: list[str] = []
    for char in text:
        if clusters and (unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me")
                         or _is_ignorable(char) or clusters[-1][-1] == "\u200d"):
            clusters[-1] += char
        else:
            clusters.append(char)
    return clusters


@lru_cache(maxsize=16384)
def _placed(cluster: str) -> tuple[str, str]:
    """``(font name, text to draw)`` for one cluster (cached: the line breaker asks often)."""
    if cluster.isspace():
        return MAIN, cluster
    for candidate in dict.fromkeys((cluster, unicodedata.normalize("NFC", cluster))):
        face = _face_for(candidate)
        if face is not None:
            _ensure(face)
            have = _cmap(face)
            # an ignorable character the font lacks is left out, never drawn as a box
            return face.name, "".join(char for char in candidate if ord(char) in have)
    base = cluster[0]
    face = _face_for(base) if not _is_ignorable(base) else None
    if face is not None:  # the base alone, without the marks no font can add to it
        _ensure(face)
        return face.name, base
    if all(_is_ignorable(char) for char in cluster):
        return MAIN, ""
    return MAIN, MISSING


_SEGMENTS = re.compile(r"\s+|\S+")


def _is_wide(cluster: str) -> bool:
    return unicodedata.east_asian_width(cluster[0]) in ("W", "F")


@lru_cache(maxsize=16384)
def _segment_runs(segment: str) -> tuple[tuple[str, str], ...]:
    """Runs of one word (no white space in it). A word of an alphabet (Ελληνικά, Łódź) is drawn
    whole by the first face that has all its letters, so that one word never mixes two designs;
    Japanese and Chinese text (and a word no single face has) go character by character."""
    if segment.isspace():
        return ((MAIN, segment),)
    clusters = _clusters(segment)
    if len(clusters) > 1 and not any(_is_wide(cluster) for cluster in clusters):
        face = _face_for(segment)
        if face is not None:
            _ensure(face)
            have = _cmap(face)
            return ((face.name, "".join(char for char in segment if ord(char) in have
                                        or not _is_ignorable(char))),)
    runs: list[tuple[str, str]] = []
    for cluster in clusters:
        font, piece = _placed(cluster)
        if not piece:
            continue
        if runs and runs[-1][0] == font:
            runs[-1] = (font, runs[-1][1] + piece)
        else:
            runs.append((font, piece))
    return tuple(runs)


def font_runs(text: str) -> list[tuple[str, str]]:
    """``text`` cut into ``(font name, piece)`` runs, each drawable by its font: every cluster
    goes to the first face of the chain that has it, a word of an alphabet whole to the first
    face that has all of it (see the module docstring). White space is the Japanese font's
    (Noto Emoji's space, for one, is as wide as an emoji)."""
    runs: list[tuple[str, str]] = []
    for segment in _SEGMENTS.findall(text):
        for font, piece in _segment_runs(segment):
            if runs and runs[-1][0] == font:
                runs[-1] = (runs[-1][0], runs[-1][1] + piece)
            else:
                runs.append((font, piece))
    return runs


# --- right-to-left text -----------------------------------------------------------------------

_ARABIC = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff]")
_RTL = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")


@lru_cache(maxsize=4096)
def shape(text: str) -> str:
    """Arabic letters in their contextual forms (initial, medial, final, lam-alef), in logical
    order; any other text as it is."""
    if not _ARABIC.search(text):
        return text
    import arabic_reshaper

    return arabic_reshaper.reshape(text)


@lru_cache(maxsize=4096)
def visual(line: str) -> str:
    """One line as it is drawn: shaped, and right-to-left runs in visual order (the line's own
    direction is left to right, as every document's is). Call it on a line, never on a paragraph:
    reordering before breaking would put the lines themselves in the wrong order."""
    shaped = shape(line)
    if not _RTL.search(shaped):
        return shaped
    from bidi import get_display

    return get_display(shaped, base_dir="L")


def visual_runs(line: str) -> list[tuple[str, str]]:
    """The runs to draw one line with: :func:`visual`, then :func:`font_runs`."""
    return font_runs(visual(line))


@lru_cache(maxsize=65536)
def _width(text: str, size: float, bold: bool) -> float:
    return sum(pdfmetrics.stringWidth(piece, bold_font(font) if bold else font, size)
               for font, piece in font_runs(shape(text)))


def text_width(text: str, size: float, bold: bool = False) -> float:
    """The width ``text`` takes when drawn (shaped; the order of a line does not change it),
    in the bold faces with ``bold``."""
    if len(text) > 64:  # a long text is rarely measured twice: not worth keeping
        return _width.__wrapped__(text, size, bold)
    return _width(text, size, bold)


def draw_text(canvas, x: float, y: float, text: str, size: float, *, align: str = "left",
              bold: bool = False) -> None:
    """Draw one line on a canvas (page furniture), switching fonts per run."""
    if align != "left":
        width = text_width(text, size)
        x = x - width if align == "right" else x - width / 2
    for font, piece in visual_runs(text):
        name = bold_font(font) if bold else font
        canvas.setFont(name, size)
        canvas.drawString(x, y, piece)
        x += pdfmetrics.stringWidth(piece, name, size)
