"""Page furniture shared by every document: page size, styles, header and footer, tables,
and the rule for showing two languages.

Bilingual documents (``both``) put the Japanese first and the English directly beneath it, item
by item, at the same size in a lighter ink: a heading is 「参加者 / Participants」, a table cell holds
the Japanese line with the English under it. The reader who needs one language reads one colour.

Typography of an official document: body 10 pt, tables 9 pt, bold for titles, headings and
labels, counts right-aligned; a heading stays with the first two rows or lines of what follows,
and no page holds a table's single first or last row. Every heading is a bookmark of the PDF's
outline; the footer carries the classification, the issuing section, the date and page X of Y.
"""

from __future__ import annotations

import io
import os
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from typing import Any, Callable, Iterable

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus.doctemplate import LayoutError
from reportlab.platypus import Flowable, PageBreak, SimpleDocTemplate, Spacer, Table, TableStyle

from citynet.errors import N_, CitynetError
from citynet.i18n.format import date_style, format_date
from citynet.i18n.text import BILINGUAL_SEPARATOR, bilingual
from citynet.render.pdf.fonts import MAIN, MAIN_BOLD, draw_text, register_fonts
from citynet.render.pdf.markup import MIN_LINES, Text
from citynet.render.pdf.phrases import Msgid, phrase

PAGE = A4
MARGIN_X = 18 * mm
MARGIN_TOP = 24 * mm
MARGIN_BOTTOM = 20 * mm
FRAME_WIDTH = PAGE[0] - 2 * MARGIN_X

INK = colors.HexColor("#1a1a1a")
ACCENT = colors.HexColor("#1f4e79")  # headings and rules
# The second language in "both" is set at the size of the first (a reader of English only must
# read it as easily) and kept visibly second by its ink alone: dark grey beside the Japanese's
# near-black, still 7.5:1 against white (WCAG AAA). A lighter weight is not available (the
# fonts have regular and bold), and a smaller size was the complaint.
SECOND = colors.HexColor("#505050")
RULE = colors.HexColor("#b8c4d0")
HEAD_FILL = colors.HexColor("#e8eef4")
MARK_RED = colors.HexColor("#b00020")


def _style(name: str, size: float, *, leading: float | None = None, color=INK, before: float = 0,
           after: float = 0, indent: float = 0, font: str = MAIN, phrases: bool = False
           ) -> ParagraphStyle:
    style = ParagraphStyle(name, fontName=font, fontSize=size, leading=leading or size * 1.5,
                           textColor=color, spaceBefore=before, spaceAfter=after, leftIndent=indent)
    style.phrases = phrases  # titles and headings break between phrases (markup.break_lines)
    return style


# Sizes of an official document: body 10 pt (the 10–10.5 pt of printed notices), tables 9 pt,
# notes under a table 9 pt; the second language in "both" at the same size (see SECOND).
BODY_SIZE, TABLE_SIZE = 10, 9
STYLES = {
    "title": _style("title", 20, leading=28, color=ACCENT, after=2, font=MAIN_BOLD, phrases=True),
    "title2": _style("title2", 13, leading=18, color=SECOND, after=6, phrases=True),
    "h1": _style("h1", 13, leading=18, color=ACCENT, before=10, after=4, font=MAIN_BOLD, phrases=True),
    "h2": _style("h2", 10.5, leading=15, color=ACCENT, before=6, after=2, font=MAIN_BOLD, phrases=True),
    "body": _style("body", BODY_SIZE, after=2),
    "body2": _style("body2", BODY_SIZE, color=SECOND, after=3),
    "cell": _style("cell", TABLE_SIZE, leading=13),
    "cell2": _style("cell2", TABLE_SIZE, leading=13, color=SECOND),
    "head": _style("head", TABLE_SIZE, leading=13, color=ACCENT, font=MAIN_BOLD),
    "head2": _style("head2", TABLE_SIZE, leading=13, color=ACCENT, font=MAIN_BOLD),
    "mark": _style("mark", 11, leading=16, color=MARK_RED, after=6),
    "small": _style("small", TABLE_SIZE, leading=13, color=SECOND, after=2),
}
_RIGHT: dict[str, ParagraphStyle] = {}


def right_aligned(style: ParagraphStyle) -> ParagraphStyle:
    """The style set flush right (a table's numbers and their column heading)."""
    if style.name not in _RIGHT:
        _RIGHT[style.name] = ParagraphStyle(style.name + "-right", parent=style, alignment=TA_RIGHT)
        _RIGHT[style.name].phrases = getattr(style, "phrases", False)
    return _RIGHT[style.name]
_SECONDARY = {"title": "title2", "body": "body2", "cell": "cell2", "head": "head2", "h1": "h1",
              "h2": "h2", "small": "small", "mark": "mark", "title2": "title2", "body2": "body2",
              "cell2": "cell2"}


# The footer's classification, from the audience of what a document shows (an event's
# visibility; a staff document is at least internal).
CLASSIFICATIONS: dict[str, Msgid] = {"public": N_("Public"), "internal": N_("Internal use only"),
                                     "confidential": N_("Confidential")}
_STRICTNESS = ("public", "internal", "confidential")


def strictest(*visibilities: str | None) -> str:
    """The strictest of these visibilities (confidential over internal over public)."""
    known = [v for v in visibilities if v in _STRICTNESS]
    return max(known, key=_STRICTNESS.index) if known else "internal"


@dataclass
class Doc:
    """One document being written: its language, title and the flowables so far."""

    lang: str  # "ja", "en" or "both"
    title_msgid: str
    generated_on: date
    subject: dict[str, str] = field(default_factory=dict)  # the event's or city's name per language
    handling_mark: str | None = None  # msgid, e.g. "Internal use only"
    story: list[Flowable] = field(default_factory=list)
    version: int | None = None  # a release's version, printed in every page's footer
    cover_end: int | None = None  # where the cover ends in the story (a release's notice goes there)
    date_style: str = "seireki"  # how dates are written ([documents] dates): seireki, wareki, both
    classification: str = "internal"  # the audience of what is shown: public, internal, confidential
    office: dict[str, str] = field(default_factory=dict)  # the issuing office per language (author)
    section: dict[str, str] = field(default_factory=dict)  # the issuing section per language (footer)
    created: datetime | None = None  # the PDF's creation date (None: now, or SOURCE_DATE_EPOCH's)
    _lead: list[Flowable] = field(default_factory=list)  # headings waiting for what follows them

    @property
    def langs(self) -> tuple[str, ...]:
        return ("ja", "en") if self.lang == "both" else (self.lang,)

    # --- words ------------------------------------------------------------------------------
    def words(self, msgid: Msgid, **values: object) -> str:
        """A phrase of the document's own in its language(s): "参加者 / Participants" in both."""
        return BILINGUAL_SEPARATOR.join(phrase(msgid, lang, **values) for lang in self.langs)

    def words_of(self, per_lang: Callable[[str], str] | dict[str, str]) -> str:
        """A computed text in the document's language(s), joined like :meth:`words`."""
        get = per_lang.__getitem__ if isinstance(per_lang, dict) else per_lang
        return BILINGUAL_SEPARATOR.join(dict.fromkeys(get(lang) for lang in self.langs))

    def bi(self, bitext) -> dict[str, str]:
        """A record's text per document language (the missing side shows the marker)."""
        return {lang: bilingual(bitext.ja, bitext.en, lang) for lang in self.langs}

    # --- flowables --------------------------------------------------------------------------
    def texts(self, per_lang: Callable[[str], str] | dict[str, str] | str, style: str = "body"
              ) -> list[Flowable]:
        """One paragraph per document language: Japanese, then English beneath in a lighter style.
        Identical texts (a name written the same in both) are shown once."""
        if isinstance(per_lang, str):
            values = [per_lang]
        else:
            get = per_lang.get if isinstance(per_lang, dict) else per_lang
            values = []
            for lang in self.langs:
                value = get(lang)
                if value and value not in values:
                    values.append(value)
        return [Text(value, STYLES[style if i == 0 else _SECONDARY[style]])
                for i, value in enumerate(values) if value]

    def add(self, *flowables: Flowable | Iterable[Flowable]) -> None:
        for item in flowables:
            if isinstance(item, Flowable):
                self._append(item)
            else:
                for one in item:
                    self._append(one)

    def _append(self, flowable: Flowable) -> None:
        """Onto the story; a heading waiting for its first content is kept with it."""
        if self._lead and not isinstance(flowable, (Spacer, PageBreak)):
            self.story.append(KeepWithFirst(self._lead, flowable))
            self._lead = []
        elif self._lead and isinstance(flowable, Spacer):
            self._lead.append(flowable)
        else:
            self._flush()
            self.story.append(flowable)

    def _flush(self) -> None:
        """A heading nothing followed goes on alone (the end of the document)."""
        self.story.extend(self._lead)
        self._lead = []

    def heading(self, msgid: Msgid, level: int = 1, **values: object) -> None:
        self._heading(self.words(msgid, **values), level)

    def heading_text(self, per_lang, level: int = 1) -> None:
        if isinstance(per_lang, dict):
            text = BILINGUAL_SEPARATOR.join(dict.fromkeys(per_lang[lang] for lang in self.langs))
        else:
            text = BILINGUAL_SEPARATOR.join(dict.fromkeys(per_lang(lang) for lang in self.langs))
        self._heading(text, level)

    def _heading(self, text: str, level: int) -> None:
        """A section heading: a bookmark in the outline (level 1 and 2), kept with the first
        rows or lines of what follows (:class:`KeepWithFirst`)."""
        if not text.strip():  # a record without a title: its content stands without a heading
            return
        self._lead.append(Heading(text, STYLES["h1" if level == 1 else "h2"], level))
        if level == 1:
            self._lead.append(Rule())

    def fields(self, rows: list[tuple[Msgid, list[Flowable]]], label_width: float = 32 * mm) -> None:
        """Label / value pairs (会期, 会場 …) as a borderless two-column table."""
        data = [[Text(self.words(label), STYLES["head"]), value] for label, value in rows if value]
        if not data:
            return
        table = HouseTable(data, colWidths=[label_width, FRAME_WIDTH - label_width], hAlign="LEFT",
                           splitInRow=1)  # a value taller than a page goes on over the next
        table.setStyle(TableStyle([
            ("FONTNAME", (0, 0), (-1, -1), MAIN),
            ("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 6), ("TOPPADDING", (0, 0), (-1, -1), 2),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ("LINEBELOW", (0, 0), (-1, -1), 0.3, RULE),
        ]))
        self._append(table)

    def table(self, header_msgids: list[Msgid], rows: list[list], widths: list[float],
              numeric: Iterable[int] = ()) -> None:
        """A ruled table whose header row repeats on every page it continues on; the columns
        ``numeric`` (counts, figures) are set flush right, their heading too."""
        total = sum(widths)
        widths = [w * FRAME_WIDTH / total for w in widths]
        head = [self.texts({lang: phrase(m, lang) for lang in self.langs}, "head") for m in header_msgids]
        data = [head] + rows
        for column in numeric:
            for row in data:
                for item in row[column] if isinstance(row[column], list) else [row[column]]:
                    if isinstance(item, Text):
                        item.style = right_aligned(item.style)
        table = HouseTable(data, colWidths=widths, repeatRows=1, hAlign="LEFT",
                           splitInRow=1)  # a row taller than a page goes on over the next
        table.setStyle(TableStyle([
            ("FONTNAME", (0, 0), (-1, -1), MAIN),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("BACKGROUND", (0, 0), (-1, 0), HEAD_FILL),
            ("LINEABOVE", (0, 0), (-1, 0), 0.8, ACCENT),
            ("LINEBELOW", (0, 0), (-1, 0), 0.5, ACCENT),
            ("LINEBELOW", (0, 1), (-1, -1), 0.3, RULE),
            ("LEFTPADDING", (0, 0), (-1, -1), 4), ("RIGHTPADDING", (0, 0), (-1, -1), 4),
            ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ]))
        self._append(table)
        self.story.append(Spacer(1, 4))

    def end_cover(self) -> None:
        """Mark the end of the title block: what a release says on the first page goes here."""
        if self.cover_end is None:
            self._flush()
            self.cover_end = len(self.story)

    def none_recorded(self) -> None:
        self.add(self.texts(lambda lang: phrase("None recorded.", lang), "body2"))

    def page_break(self) -> None:
        self._append(PageBreak())

    # --- output -----------------------------------------------------------------------------
    def title_line(self) -> str:
        parts = []
        for lang in self.langs:
            subject = self.subject.get(lang, "")
            name = phrase(self.title_msgid, lang)
            parts.append(f"{subject} — {name}" if subject else name)
        return BILINGUAL_SEPARATOR.join(parts)

    def author(self) -> str:
        """The issuing office and section, for the PDF's metadata: さいたま市 国際交流課."""
        lang = self.langs[0]
        parts = [self.office.get(lang) or self.office.get("ja", ""), self.section.get(lang, "")]
        return " ".join(p for p in parts if p) or "citynet"

    def build(self) -> bytes:
        register_fonts()
        self._flush()
        buffer = io.BytesIO()
        furniture = self
        title = self.title_line()

        class PagedCanvas(Canvas):
            """Draws header and footer after the last page, when the page count is known; the
            outline's bookmarks are set then too (a page's reference exists only when the page
            is written, so a bookmark made while the page was laid out would point at page 1)."""

            def __init__(self, *args: Any, **kwargs: Any) -> None:
                kwargs.setdefault("lang", "ja" if furniture.lang != "en" else "en")
                super().__init__(*args, **kwargs)
                self._pages: list[dict] = []
                self._sections: list[tuple[str, int, float]] = []
                if created is not None:
                    self._doc._timeStamp = _timestamp(created)

            def mark_section(self, title: str, level: int, top: float) -> None:
                self._sections.append((title, level, top))

            def showPage(self):
                self._pages.append(dict(self.__dict__))
                self._startPage()
                self._sections = []

            def save(self):
                total = len(self._pages)
                depth = -1
                for number, state in enumerate(self._pages, start=1):
                    self.__dict__.update(state)
                    furniture._draw_furniture(self, number, total)
                    for index, (text, level, top) in enumerate(self._sections):
                        key = f"section-{number}-{index}"
                        self.bookmarkPage(key, fit="XYZ", left=0, top=top)
                        depth = min(level - 1, depth + 1)  # an outline never skips a level
                        self.addOutlineEntry(text, key, level=depth, closed=False)
                    super().showPage()
                if depth >= 0:
                    self.showOutline()
                super().save()

        epoch = source_date_epoch()
        created = self.created or (datetime.fromtimestamp(epoch, timezone.utc) if epoch is not None
                                   else None)
        template = SimpleDocTemplate(
            buffer, pagesize=PAGE, leftMargin=MARGIN_X, rightMargin=MARGIN_X, topMargin=MARGIN_TOP,
            bottomMargin=MARGIN_BOTTOM, title=title, author=self.author(),
            subject=self.words(self.title_msgid), creator="citynet",
            lang="ja" if self.lang != "en" else "en",
            # the creation date is the time of generation; SOURCE_DATE_EPOCH (or a release's own
            # time) fixes it and the file's identifier, for reproducible output
            invariant=1 if created is not None else 0, initialFontName=MAIN, initialFontSize=BODY_SIZE)
        try:
            with date_style(self.date_style):  # the footer's date too
                template.build(list(self.story), canvasmaker=PagedCanvas)
        except LayoutError:  # long texts break into lines and split across pages: a last guard
            raise CitynetError(N_("the document cannot be laid out: a text in it is too large "
                                  "for a page; shorten it and try again")) from None
        return buffer.getvalue()

    def _draw_furniture(self, canvas: Canvas, number: int, total: int) -> None:
        width, height = PAGE
        canvas.saveState()
        canvas.setFillColor(SECOND)
        top = height - 14 * mm
        title = self.title_line()
        mark = self.words(self.handling_mark) if self.handling_mark else ""
        room = FRAME_WIDTH - (_measure(mark, 8) + 8 if mark else 0)
        draw_text(canvas, MARGIN_X, top, _fit(title, 8, room), 8)
        if mark:
            canvas.setFillColor(MARK_RED)
            draw_text(canvas, width - MARGIN_X, top, mark, 8, align="right")
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.5)
        canvas.line(MARGIN_X, top - 3, width - MARGIN_X, top - 3)
        bottom = 11 * mm
        canvas.line(MARGIN_X, bottom + 9, width - MARGIN_X, bottom + 9)
        # left: classification · issuing section · date (and version); right: page X of Y
        page = BILINGUAL_SEPARATOR.join(
            phrase("Page {page} of {pages}", lang, page=number, pages=total) for lang in self.langs)
        canvas.setFillColor(MARK_RED if self.classification != "public" else SECOND)
        classification = self.words(CLASSIFICATIONS[self.classification])
        draw_text(canvas, MARGIN_X, bottom, classification, 7.5)
        x = MARGIN_X + _measure(classification, 7.5) + 8
        canvas.setFillColor(SECOND)
        section = self.words_of(lambda lang: self.section.get(lang) or self.section.get("ja", ""))
        generated = BILINGUAL_SEPARATOR.join(
            phrase("Generated {date}", lang, date=format_date(self.generated_on, lang))
            + (" " + phrase("Version {version}", lang, version=self.version) if self.version else "")
            for lang in self.langs)
        left = "　".join(part for part in (section, generated) if part)
        room = width - MARGIN_X - _measure(page, 7.5) - 8 - x
        if _measure(left, 7.5) > room and section:  # both languages: the date on a second line
            draw_text(canvas, x, bottom, _fit(section, 7.5, room), 7.5)
            draw_text(canvas, x, bottom - 9, _fit(generated, 7.5, room), 7.5)
        else:
            draw_text(canvas, x, bottom, _fit(left, 7.5, room), 7.5)
        draw_text(canvas, width - MARGIN_X, bottom, page, 7.5, align="right")
        canvas.restoreState()


def source_date_epoch() -> int | None:
    """SOURCE_DATE_EPOCH (seconds since 1970, UTC) when set: the generation time of reproducible
    output; a value that is not a whole number is a one-line error."""
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not value:
        return None
    if not value.isdigit():
        raise CitynetError(N_("SOURCE_DATE_EPOCH must be a whole number of seconds since 1970, "
                              "not {value!r}"), value=value)
    return int(value)


def _timestamp(moment: datetime):
    """ReportLab's time stamp of the PDF's creation and modification dates, set to ``moment``."""
    import time

    from reportlab.lib.utils import TimeStamp

    stamp = TimeStamp(1)
    seconds = moment.timestamp() if moment.tzinfo else moment.replace(tzinfo=timezone.utc).timestamp()
    stamp.t = seconds
    stamp.lt = time.gmtime(seconds)
    stamp.YMDhms = tuple(stamp.lt)[:6]
    stamp.dhh = stamp.dmm = 0
    stamp.tzname = "UTC"
    return stamp


def generation_day() -> date:
    """The day a document is generated: today, or SOURCE_DATE_EPOCH's (UTC) when it is set."""
    epoch = source_date_epoch()
    if epoch is None:
        return date.today()
    return datetime.fromtimestamp(epoch, timezone.utc).date()


def _measure(text: str, size: float) -> float:
    from citynet.render.pdf.fonts import text_width

    return text_width(text, size)


def _fit(text: str, size: float, width: float) -> str:
    """Shorten a header line to the width, with an ellipsis (the full title is on the cover)."""
    if _measure(text, size) <= width:
        return text
    while text and _measure(text + "…", size) > width:
        text = text[:-1]
    return text + "…"


class Rule(Flowable):
    """A thin accent line under a section heading."""

    def wrap(self, avail_width, avail_height):
        self.width = avail_width
        return avail_width, 4

    def draw(self):
        self.canv.setStrokeColor(ACCENT)
        self.canv.setLineWidth(0.8)
        self.canv.line(0, 3, self.width, 3)


class Heading(Text):
    """A section heading: drawn as text, and entered in the PDF's outline where it stands."""

    def __init__(self, content, style: ParagraphStyle, level: int):
        super().__init__(content, style)
        self.level = level

    def draw(self):
        super().draw()
        mark = getattr(self.canv, "mark_section", None)
        if mark is not None:
            _x, top = self.canv.absolutePosition(0, self.height)
            mark(self.plain.replace("\n", " "), self.level, top)

    def split(self, avail_width, avail_height):
        parts = super().split(avail_width, avail_height)
        if len(parts) == 2:  # the first part keeps the bookmark
            first = Heading(parts[0].runs, self.style, self.level)
            parts = [first, parts[1]]
        return parts


def _at_top(flowable: Flowable) -> bool:
    """Whether the flowable is being laid out at the top of its frame (a fresh page): nothing
    is gained there by waiting for the next one."""
    frame = getattr(flowable, "_frame", None)
    return bool(getattr(frame, "_atTop", True))


# What of a section's content must fit beside its heading, and on either side of a table's break.
MIN_ROWS = 2


class KeepWithFirst(Flowable):
    """Headings kept with the beginning of what follows them: they go to the next page unless
    the first MIN_ROWS rows of a table (with its header), the first MIN_LINES lines of a
    paragraph, or all of anything else fit beneath them. Never a heading alone at a page's foot."""

    def __init__(self, lead: list[Flowable], follower: Flowable):
        super().__init__()
        self.lead = list(lead)
        self.follower = follower

    def _lead_height(self, avail_width: float) -> float:
        total = 0.0
        for index, item in enumerate(self.lead):
            total += item.wrap(avail_width, 1e6)[1]
            if index:
                total += item.getSpaceBefore()
            total += item.getSpaceAfter()
        return total

    def _first_height(self, avail_width: float, avail_height: float) -> float:
        follower = self.follower
        height = follower.wrap(avail_width, avail_height)[1] + follower.getSpaceBefore()
        # a table or paragraph too short to be split with enough on both sides goes whole
        if isinstance(follower, Table):
            heights = getattr(follower, "_rowHeights", None) or []
            header = follower.repeatRows if isinstance(follower.repeatRows, int) else 0
            if len(heights) - header < 2 * MIN_ROWS:
                return height
            return min(height, sum(heights[:header + MIN_ROWS]) + follower.getSpaceBefore())
        if isinstance(follower, Text):
            lines = round(height / follower.style.leading)
            if lines < 2 * MIN_LINES:
                return height
            return min(height, MIN_LINES * follower.style.leading + follower.getSpaceBefore())
        return height

    def wrap(self, avail_width, avail_height):
        self.width = avail_width
        self.height = (self._lead_height(avail_width) + self.follower.wrap(avail_width, avail_height)[1]
                       + self.follower.getSpaceBefore())
        return self.width, self.height

    def split(self, avail_width, avail_height):
        needed = self._lead_height(avail_width) + self._first_height(avail_width, avail_height)
        if needed > avail_height and not _at_top(self):
            return []  # the whole of it on the next page
        return [*self.lead, self.follower]

    def draw(self):  # all of it fits where it stands: the parts one under the other
        y = self.height
        for item in [*self.lead, self.follower]:
            _w, h = item.wrap(self.width, y)
            y -= h + (item.getSpaceBefore() if item is not self.lead[0] else 0)
            item.drawOn(self.canv, 0, y)
            y -= item.getSpaceAfter()

    def getSpaceBefore(self):
        return self.lead[0].getSpaceBefore()

    def getSpaceAfter(self):
        return self.follower.getSpaceAfter()


class HouseTable(Table):
    """A table that never leaves one row alone on a page: a break that would put a single row
    at a page's foot (the table then begins on the next) or carry a single last row over to
    the next page is moved one row earlier."""

    def wrap(self, avail_width, avail_height):
        # measured once per width: keeping a heading with the first rows asks for the size too
        if getattr(self, "_wrapped_for", None) != avail_width:
            self._wrapped = super().wrap(avail_width, avail_height)
            self._wrapped_for = avail_width
        return self._wrapped

    def _data_rows(self, table: Table) -> int:
        header = table.repeatRows if isinstance(table.repeatRows, int) else 0
        return len(table._cellvalues) - header

    def split(self, avail_width, avail_height):
        parts = super().split(avail_width, avail_height)
        if len(parts) != 2 or not isinstance(parts[0], Table) or not isinstance(parts[1], Table):
            return parts
        first, rest = parts
        header = self.repeatRows if isinstance(self.repeatRows, int) else 0
        first_rows = len(first._cellvalues) - header
        rest_rows = self._data_rows(rest)
        whole_rows = first_rows + rest_rows == len(self._cellvalues) - header  # no row was cut
        if not whole_rows:
            return parts
        if rest_rows < MIN_ROWS and first_rows > MIN_ROWS:  # one row fewer on this page
            first.wrap(avail_width, avail_height)
            shorter = super().split(avail_width, avail_height - first._rowHeights[-1] - 0.5)
            if len(shorter) == 2:
                return shorter
        if (first_rows < MIN_ROWS or rest_rows < MIN_ROWS) and not _at_top(self):
            return []  # too short to split well: the table begins on the next page
        return parts


def cell(doc: Doc, per_lang, style: str = "cell") -> list[Flowable]:
    """Table cell content: one paragraph per language (see :meth:`Doc.texts`)."""
    return doc.texts(per_lang, style)
