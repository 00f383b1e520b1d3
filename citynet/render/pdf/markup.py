"""Text into ReportLab paragraphs: escaping, font runs and Japanese line breaking (kinsoku).

One rule, one place: every string that reaches ReportLab markup goes through :func:`escape`
here, and only :class:`Text` builds markup. ReportLab's own ``wordWrap='CJK'`` lets lines start
with 、 or ） and end with （ (observed with ReportLab 5.1), so lines are broken here instead: the text is cut
into units that may not be split (a Latin word, a kana or kanji, punctuation glued to its
neighbour under the kinsoku rules of JIS X 4051 / JLREQ), the units are laid greedily into the
width the frame offers, and the lines are joined with ``<br/>`` so ReportLab never re-breaks them.
Titles and headings also keep each Japanese phrase whole (BudouX: グローバル is never cut グ/ローバル),
a short bracketed aside such as （金） stays with what it follows, and a Latin word longer than a
line is hyphenated at a point of its hyphenation patterns (pyphen) before it is ever cut anywhere.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from xml.sax.saxutils import escape as _xml_escape

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, Paragraph

from citynet.render.pdf.fonts import MAIN, MAIN_BOLD, bold_font, text_width, visual_runs

# Characters that may not begin a line (行頭禁則) and may not end one (行末禁則).
CANNOT_START = frozenset(
    "、。，．,.・：；:;？！?!）)］]｝}〕〉》」』】〙〗〟’”»›ゝゞーヽヾ々〻‐゠–—〜～…‥%％℃°′″"
    "ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿ"
)
CANNOT_END = frozenset("（(［[｛{〔〈《「『【〘〖〝‘“«‹")
_SLACK = 0.01  # points: measured and drawn widths agree to far better than this
MIN_LINES = 2  # a paragraph split across pages leaves at least this many lines on each


def escape(text: str) -> str:
    """A user string made safe for ReportLab paragraph markup: ``< > & " '`` print verbatim."""
    return _xml_escape(text, {'"': "&quot;", "'": "&#39;"})


def _measure(text: str, size: float, bold: bool) -> float:
    # the keyword only when it matters, so a plain ``text_width(text, size)`` can stand in for it
    return text_width(text, size, bold=True) if bold else text_width(text, size)


def _is_cjk(char: str) -> bool:
    """A character after or before which a line may break (kanji, kana, CJK punctuation)."""
    code = ord(char)
    if (0x3000 <= code <= 0x30FF or 0x3400 <= code <= 0x9FFF or 0xF900 <= code <= 0xFAFF
            or 0xFF00 <= code <= 0xFF60 or 0x31F0 <= code <= 0x31FF or 0x20000 <= code <= 0x3FFFF):
        return True
    return unicodedata.east_asian_width(char) in ("W", "F")


def _units(text: str) -> list[str]:
    """Atoms: one CJK character, one run of white space, or one Latin word (with its punctuation)."""
    units: list[str] = []
    for char in text:
        if units:
            last = units[-1]
            if char.isspace() and last[-1].isspace():
                units[-1] = last + char
                continue
            if (not char.isspace() and not _is_cjk(char) and not last[-1].isspace()
                    and not _is_cjk(last[-1])):
                units[-1] = last + char
                continue
        units.append(char)
    return units


def _may_break(before: str, after: str) -> bool:
    if before[-1].isspace() or after[0].isspace():
        return True
    if after[0] in CANNOT_START or before[-1] in CANNOT_END:
        return False
    # a number stays with the counter or unit after it: 22日, 2024年, 329名, 767.4万 (JLREQ 分離禁止)
    if before[-1].isascii() and before[-1].isdigit() and _is_cjk(after[0]):
        return False
    # en/em dashes and slashes between Latin words stay with their words: "13:00–13:30"
    return _is_cjk(before[-1]) or _is_cjk(after[0])


@lru_cache(maxsize=1)
def _phrase_parser():
    import budoux

    return budoux.load_default_japanese_parser()


def _phrase_starts(text: str) -> frozenset[int] | None:
    """Where a Japanese phrase begins in ``text`` (BudouX's model: a break between two phrases
    reads naturally, one inside a word does not); None for a text with no Japanese in it."""
    if not any(_is_cjk(char) for char in text):
        return None
    starts, position = set(), 0
    for piece in _phrase_parser().parse(text):
        starts.add(position)
        position += len(piece)
    return frozenset(starts) if position == len(text) else None


# A short bracketed aside, such as a weekday or the Western year beside an era's: 11月15日（金）,
# 令和6年（2024年）. It stays with what it follows.
_ASIDE = re.compile(r"(?<=\S)[（(][^（()）\s]{1,3}[）)]")
# A date in a title or heading is one phrase: 2024年11月15日 is not broken after 11月.
_DATE = re.compile(r"(?:[令平昭大明][和成正治])?(?:\d{1,4}|元)年(?:（\d{4}年）)?(?:\d{1,2}月(?:\d{1,2}日)?)?")


def _groups(text: str, phrases: bool = False, whole_dates: bool = False) -> list[str]:
    """Units glued together wherever a break is forbidden; with ``phrases``, also inside a
    Japanese phrase (titles and headings); with ``phrases`` or ``whole_dates``, inside a date."""
    starts = _phrase_starts(text) if phrases else None
    dates: set[int] = set()
    if phrases or whole_dates:
        dates = {at for match in _DATE.finditer(text) for at in range(match.start() + 1, match.end())}
    asides = {match.start() for match in _ASIDE.finditer(text)} if "（" in text or "(" in text else ()
    groups: list[str] = []
    position = 0
    for unit in _units(text):
        glued = groups and not groups[-1][-1].isspace() and not unit[0].isspace() and (
            position in dates or position in asides
            or (starts is not None and position not in starts))
        if groups and (glued or not _may_break(groups[-1], unit)):
            groups[-1] += unit
        else:
            groups.append(unit)
        position += len(unit)
    return groups


# Inside a word too long for a line (a URL, a 126-letter name), a line may end after one of these.
_LATIN_BREAK_AFTER = frozenset("/.-_?&=,;:#~+)")


def _may_cut(text: str, position: int) -> bool:
    """Whether a line may end before ``text[position]`` inside a group too long for a line."""
    before, after = text[position - 1], text[position]
    if after in CANNOT_START or before in CANNOT_END:
        return False
    return _is_cjk(before) or _is_cjk(after) or before in _LATIN_BREAK_AFTER


# The hyphen added where a word is hyphenated (U+2010: not in the text, so a line ending with it
# and a line ending with a hyphen of the text itself stay apart).
HYPHEN = "\u2010"
_WORD = re.compile(r"[^\W\d_]{6,}")  # a run of letters worth hyphenating
_NOT_HYPHENATED = frozenset("/@:?&=#%")  # addresses and URLs are never given a hyphen


@lru_cache(maxsize=1)
def _hyphenator():
    import pyphen

    # English patterns for any Latin word: names in a document come from many languages, and a
    # pattern's points are legal syllable breaks far more often than a cut at the line's end.
    # At least three letters on either side: never a line of one or two letters.
    return pyphen.Pyphen(lang="en_US", left=3, right=3)


def _hyphen_points(group: str) -> frozenset[int]:
    """Positions inside ``group`` where a long Latin word may be hyphenated (none in a URL or
    an address, none in Japanese)."""
    if _NOT_HYPHENATED & set(group):
        return frozenset()
    points: set[int] = set()
    for word in _WORD.finditer(group):
        if any(_is_cjk(char) for char in word.group()):
            continue
        points.update(word.start() + at for at in _hyphenator().positions(word.group()))
    return frozenset(points)


def _cut_long(group: str, width: float, size: float, bold: bool = False) -> list[str]:
    """A group wider than a line, cut into lines: each as full as it can be, ending at a legal
    point (kinsoku kept, a URL after / . - _ ? & =) or at a hyphenation point of a long word
    (the line then ends with a hyphen) when one lies in the line's second half, else between
    any two characters: that is the only place a rule gives way, rather than overflow.
    Linear: each character is measured once."""
    widths = [_measure(char, size, bold) for char in group]
    before = [0.0]  # before[i]: the width of group[:i]
    for one in widths:
        before.append(before[-1] + one)
    hyphens = _hyphen_points(group)
    hyphen_width = _measure(HYPHEN, size, bold) if hyphens else 0.0
    pieces, start = [], 0
    while start < len(group):
        end, used = start, 0.0
        while end < len(group) and used + widths[end] <= width + _SLACK:
            used += widths[end]
            end += 1
        if end == len(group):
            pieces.append(group[start:])
            break
        end = max(end, start + 1)  # a line holds at least one character, whatever the width
        cut, piece, added = end, None, 0
        while cut > start + max(1, (end - start) // 2):
            if _may_cut(group, cut):
                piece = group[start:cut]
                break
            if cut in hyphens and before[cut] - before[start] + hyphen_width <= width + _SLACK:
                piece, added = group[start:cut] + HYPHEN, 1
                break
            cut -= 1
        if piece is None:  # a legal point in the line's first half, before any cut at all
            cut = next((at for at in range(cut, start, -1) if _may_cut(group, at)), end)
            piece = group[start:cut]
        pieces.append(piece)
        start += len(piece) - added
    return pieces


def consumed(text: str, position: int, line: str) -> int:
    """How many characters of ``text`` from ``position`` the line holds: its length, less the
    hyphen a hyphenated line adds."""
    if line.endswith(HYPHEN) and not text.startswith(line, position):
        return len(line) - 1
    return len(line)


def _is_katakana(char: str) -> bool:
    return "\u30a0" < char <= "\u30ff" and char != "・"


def _katakana_words(groups: list[str]) -> list[str]:
    """Groups with each run of katakana glued into one word."""
    out: list[str] = []
    for group in groups:
        if out and _is_katakana(out[-1][-1]) and _is_katakana(group[0]):
            out[-1] += group
        else:
            out.append(group)
    return out


def break_lines(text: str, width: float, size: float, bold: bool = False, phrases: bool = False
                ) -> list[str]:
    """``text`` broken into lines no wider than ``width`` (points) at ``size``, kinsoku kept;
    ``phrases``: Japanese phrases kept whole where they fit (titles and headings).

    Explicit newlines are kept; white space at a break is dropped. Linear in the text: each
    group is measured once and a line's width is kept as it grows. Lines are broken in logical
    order (right-to-left text too): :func:`line_markup` puts each line in visual order.
    """
    lines: list[str] = []
    for paragraph in text.split("\n"):
        current, used = "", 0.0
        # (group, how whole it is kept): 0 a phrase, 1 a katakana word or a date, 2 a group
        queue = [(group, 0 if phrases else 2) for group in reversed(_groups(paragraph, phrases))]
        while queue:
            group, level = queue.pop()
            smaller: list[str] = []
            while level < 2 and len(smaller) < 2 and _measure(group, size, bold) > width + _SLACK:
                # longer than a line: a phrase breaks between its katakana words and dates
                # (グローバル・サステナブル at its ・), and those where any line may break
                level += 1
                smaller = _katakana_words(_groups(group, whole_dates=True)) if level == 1 else _groups(group)
            if len(smaller) > 1:
                queue.extend((piece, level) for piece in reversed(smaller))
                continue
            if group.isspace():
                if current:  # never at the start of a line
                    current, used = current + group, used + _measure(group, size, bold)
                continue
            group_width = _measure(group, size, bold)
            if used + group_width <= width + _SLACK:
                current, used = current + group, used + group_width
                continue
            if current.strip():
                lines.append(current.rstrip())
            current, used = group, group_width
            if group_width > width + _SLACK:
                *full, current = _cut_long(group, width, size, bold)
                lines.extend(full)
                used = _measure(current, size, bold)
        lines.append(current.rstrip())
    return lines


def _offset_after(text: str, lines: list[str]) -> int:
    """Where ``text`` goes on after these first lines of it (each line is a piece of the text;
    only white space, dropped at the breaks, lies between them)."""
    position = 0
    for line in lines:
        while position < len(text) and text[position].isspace() and not text.startswith(
                line.removesuffix(HYPHEN), position):
            position += 1
        position += consumed(text, position, line)
    return position


def line_markup(line: str, bold: bool = False) -> str:
    """One line as markup: in visual order (right-to-left runs reordered, Arabic shaped), each
    run escaped and in the font of the chain that has its glyphs (the paragraph's own font,
    the Japanese one, needs no tag); ``bold``: the line of a bold style."""
    parts = []
    for font, piece in visual_runs(line):
        piece = escape(piece)
        if font == MAIN:
            parts.append(piece)
        else:
            parts.append(f'<font name="{bold_font(font) if bold else font}">{piece}</font>')
    return "".join(parts)


@dataclass(frozen=True)
class Run:
    """A piece of text with its own colour or size inside a :class:`Text`."""

    text: str
    color: str | None = None
    size: float | None = None


class Text(Flowable):
    """A paragraph of plain (user) text, broken into lines by the rules above.

    Accepts a string or a sequence of :class:`Run`. The markup is built at wrap time, when the
    width is known; splitting across pages is the inner ``Paragraph``'s.
    """

    def __init__(self, content, style: ParagraphStyle):
        super().__init__()
        self.runs = (Run(content),) if isinstance(content, str) else tuple(content)
        self.style = style
        self._para: Paragraph | None = None
        self._for_width: float | None = None
        self._size: tuple[float, float] | None = None

    @property
    def bold(self) -> bool:
        """Whether the style draws in the bold face (headings, labels)."""
        return self.style.fontName == MAIN_BOLD

    @property
    def phrases(self) -> bool:
        """Whether the style keeps Japanese phrases whole (titles and headings)."""
        return bool(getattr(self.style, "phrases", False))

    @property
    def plain(self) -> str:
        return "".join(run.text for run in self.runs)

    def _build(self, avail_width: float) -> Paragraph:
        if self._para is not None and self._for_width == avail_width:
            return self._para
        style = self.style
        width = avail_width - style.leftIndent - style.rightIndent
        sizes = [run.size or style.fontSize for run in self.runs]
        if len(set(sizes)) == 1 and all(run.color is None for run in self.runs):
            lines = break_lines(self.plain, width, sizes[0], self.bold, self.phrases)
            markup = "<br/>".join(line_markup(line, self.bold) for line in lines)
        else:
            markup = self._mixed_markup(width)
        self._para = Paragraph(markup, style)
        self._for_width = avail_width
        self._size = None
        return self._para

    def _mixed_markup(self, width: float) -> str:
        """Runs of different size or colour: break the whole text at the largest size (safe),
        then dress each character range in its run's attributes."""
        largest = max(run.size or self.style.fontSize for run in self.runs)
        owner: list[Run] = [run for run in self.runs for _ in run.text]
        lines = break_lines(self.plain, width, largest, self.bold, self.phrases)
        out, position = [], 0
        plain = self.plain
        for line in lines:
            # find the line again in the source (white space at breaks was dropped)
            while position < len(plain) and plain[position] in " \t" and not line.startswith(
                    plain[position]):
                position += 1
            pieces: list[tuple[Run, str]] = []
            start = position
            for index in range(len(line)):
                run = owner[start + index] if start + index < len(owner) else self.runs[-1]
                if pieces and pieces[-1][0] is run:
                    pieces[-1] = (run, pieces[-1][1] + line[index])
                else:
                    pieces.append((run, line[index]))
            position = start + consumed(plain, start, line)
            if position < len(plain) and plain[position] == "\n":
                position += 1
            rendered = []
            for run, piece in pieces:
                inner = line_markup(piece, self.bold)
                attrs = ""
                if run.color:
                    attrs += f' color="{run.color}"'
                if run.size:
                    attrs += f' size="{run.size}"'
                rendered.append(f"<font{attrs}>{inner}</font>" if attrs else inner)
            out.append("".join(rendered))
        return "<br/>".join(out)

    # --- Flowable protocol -------------------------------------------------------------------
    def wrap(self, avail_width, avail_height):
        # A table measures its cells each time it is measured (laid out, split, kept with its
        # heading): the lines are fixed once broken for a width, so is the size.
        if self._para is None or self._for_width != avail_width or self._size is None:
            self._size = self._build(avail_width).wrap(avail_width, avail_height)
        self.width, self.height = self._size
        return self.width, self.height

    def split(self, avail_width, avail_height):
        """Split into two Texts that each break their own lines when laid out. A table splitting
        a row passes the column's whole width, then lays the parts out without its padding:
        the lines are broken at the width this Text was last laid out at, or ReportLab would
        break them again (a word alone on a line, and a first part taller than its room)."""
        if len(self.runs) != 1:
            return self._build(avail_width).split(avail_width, avail_height)
        style, run = self.style, self.runs[0]
        if self._for_width is not None and self._for_width < avail_width:
            avail_width = self._for_width  # the width it was laid out at, without the padding
        width = avail_width - style.leftIndent - style.rightIndent
        lines = break_lines(run.text, width, run.size or style.fontSize, self.bold, self.phrases)
        fit = int((avail_height + _SLACK) // style.leading)
        if fit < 1:
            return []
        if fit >= len(lines):
            return [self]
        # no paragraph's single first line at a page's foot, nor its single last line at the
        # top of the next (where a page is being begun, nothing is gained by waiting)
        frame = getattr(self, "_frame", None)
        waits = frame is not None and not frame._atTop  # the next page may take it whole
        if len(lines) - fit < MIN_LINES:
            fit = len(lines) - MIN_LINES
        if fit < MIN_LINES:
            if waits:
                return []
            fit = max(1, int((avail_height + _SLACK) // style.leading))
        rest = run.text[_offset_after(run.text, lines[:fit]):].lstrip()
        return [Text([Run("\n".join(lines[:fit]), run.color, run.size)], style),
                Text([Run(rest, run.color, run.size)], style)]

    def draw(self):
        self._para.drawOn(self.canv, 0, 0)

    def getSpaceBefore(self):
        return self.style.spaceBefore

    def getSpaceAfter(self):
        return self.style.spaceAfter

    def minWidth(self):
        return max((_measure(group, self.style.fontSize, self.bold)
                    for group in _groups(self.plain, self.phrases)), default=0)
