"""Page furniture shared by every document: page size, styles, header and footer, tables,
and the rule for showing two languages.

Bilingual documents (``both``) put the Japanese first and the English directly beneath it, item
by item, in a lighter and smaller style: a heading is 「参加者 / Participants」, a table cell holds the
Japanese line with the English under it. The reader who needs one language reads one colour.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Callable, Iterable

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus.doctemplate import LayoutError
from reportlab.platypus import (
    CondPageBreak, Flowable, KeepTogether, PageBreak, SimpleDocTemplate, Spacer, Table, TableStyle,
)

from citynet.errors import N_, CitynetError
from citynet.i18n.format import format_date
from citynet.i18n.text import BILINGUAL_SEPARATOR, bilingual
from citynet.render.pdf.fonts import MAIN, MAIN_BOLD, draw_text, register_fonts
from citynet.render.pdf.markup import Text
from citynet.render.pdf.phrases import Msgid, phrase

PAGE = A4
MARGIN_X = 18 * mm
MARGIN_TOP = 24 * mm
MARGIN_BOTTOM = 20 * mm
FRAME_WIDTH = PAGE[0] - 2 * MARGIN_X

INK = colors.HexColor("#1a1a1a")
ACCENT = colors.HexColor("#1f4e79")  # headings and rules
SECOND = colors.HexColor("#555555")  # the second language and notes
RULE = colors.HexColor("#b8c4d0")
HEAD_FILL = colors.HexColor("#e8eef4")
MARK_RED = colors.HexColor("#b00020")


def _style(name: str, size: float, *, leading: float | None = None, color=INK, before: float = 0,
           after: float = 0, indent: float = 0, font: str = MAIN) -> ParagraphStyle:
    return ParagraphStyle(name, fontName=font, fontSize=size, leading=leading or size * 1.5,
                          textColor=color, spaceBefore=before, spaceAfter=after, leftIndent=indent)


STYLES = {
    "title": _style("title", 20, leading=28, color=ACCENT, after=2, font=MAIN_BOLD),
    "title2": _style("title2", 13, leading=18, color=SECOND, after=6),
    "h1": _style("h1", 13, leading=18, color=ACCENT, before=10, after=4, font=MAIN_BOLD),
    "h2": _style("h2", 10.5, leading=15, color=ACCENT, before=6, after=2, font=MAIN_BOLD),
    "body": _style("body", 9.5, after=2),
    "body2": _style("body2", 8.5, color=SECOND, after=3),
    "cell": _style("cell", 8.5, leading=12.5),
    "cell2": _style("cell2", 7.5, leading=11, color=SECOND),
    "head": _style("head", 8.5, leading=12, color=ACCENT, font=MAIN_BOLD),
    "head2": _style("head2", 7.5, leading=10.5, color=ACCENT, font=MAIN_BOLD),
    "mark": _style("mark", 11, leading=16, color=MARK_RED, after=6),
    "small": _style("small", 7.5, leading=11, color=SECOND, after=2),
}
_SECONDARY = {"title": "title2", "body": "body2", "cell": "cell2", "head": "head2", "h1": "h1",
              "h2": "h2", "small": "small", "mark": "mark", "title2": "title2", "body2": "body2",
              "cell2": "cell2"}


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
                self.story.append(item)
            else:
                self.story.extend(item)

    def heading(self, msgid: Msgid, level: int = 1, **values: object) -> None:
        style = STYLES["h1" if level == 1 else "h2"]
        self.story.append(CondPageBreak(45 * mm if level == 1 else 30 * mm))
        flowables = [Text(self.words(msgid, **values), style)]
        if level == 1:
            flowables.append(Rule())
        self.story.append(KeepTogether(flowables))

    def heading_text(self, per_lang, level: int = 1) -> None:
        style = "h1" if level == 1 else "h2"
        self.story.append(CondPageBreak(45 * mm if level == 1 else 40 * mm))
        if isinstance(per_lang, dict):
            text = BILINGUAL_SEPARATOR.join(dict.fromkeys(per_lang[lang] for lang in self.langs))
        else:
            text = BILINGUAL_SEPARATOR.join(dict.fromkeys(per_lang(lang) for lang in self.langs))
        items = [Text(text, STYLES[style])]
        if level == 1:
            items.append(Rule())
        self.story.append(KeepTogether(items))

    def fields(self, rows: list[tuple[Msgid, list[Flowable]]], label_width: float = 32 * mm) -> None:
        """Label / value pairs (会期, 会場 …) as a borderless two-column table."""
        data = [[Text(self.words(label), STYLES["head"]), value] for label, value in rows if value]
        if not data:
            return
        table = Table(data, colWidths=[label_width, FRAME_WIDTH - label_width], hAlign="LEFT",
                      splitInRow=1)  # a value taller than a page goes on over the next
        table.setStyle(TableStyle([
            ("FONTNAME", (0, 0), (-1, -1), MAIN),
            ("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 6), ("TOPPADDING", (0, 0), (-1, -1), 2),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ("LINEBELOW", (0, 0), (-1, -1), 0.3, RULE),
        ]))
        self.story.append(table)

    def table(self, header_msgids: list[Msgid], rows: list[list], widths: list[float]) -> None:
        """A ruled table whose header row repeats on every page it continues on."""
        total = sum(widths)
        widths = [w * FRAME_WIDTH / total for w in widths]
        head = [self.texts({lang: phrase(m, lang) for lang in self.langs}, "head") for m in header_msgids]
        table = Table([head] + rows, colWidths=widths, repeatRows=1, hAlign="LEFT",
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
        self.story.append(table)
        self.story.append(Spacer(1, 4))

    def end_cover(self) -> None:
        """Mark the end of the title block: what a release says on the first page goes here."""
        if self.cover_end is None:
            self.cover_end = len(self.story)

    def none_recorded(self) -> None:
        self.add(self.texts(lambda lang: phrase("None recorded.", lang), "body2"))

    def page_break(self) -> None:
        self.story.append(PageBreak())

    # --- output -----------------------------------------------------------------------------
    def title_line(self) -> str:
        parts = []
        for lang in self.langs:
            subject = self.subject.get(lang, "")
            name = phrase(self.title_msgid, lang)
            parts.append(f"{subject} — {name}" if subject else name)
        return BILINGUAL_SEPARATOR.join(parts)

    def build(self) -> bytes:
        register_fonts()
        buffer = io.BytesIO()
        furniture = self
        title = self.title_line()

        class PagedCanvas(Canvas):
            """Draws header and footer after the last page, when the page count is known."""

            def __init__(self, *args: Any, **kwargs: Any) -> None:
                kwargs.setdefault("lang", "ja" if furniture.lang != "en" else "en")
                super().__init__(*args, **kwargs)
                self._pages: list[dict] = []

            def showPage(self):
                self._pages.append(dict(self.__dict__))
                self._startPage()

            def save(self):
                total = len(self._pages)
                for number, state in enumerate(self._pages, start=1):
                    self.__dict__.update(state)
                    furniture._draw_furniture(self, number, total)
                    super().showPage()
                super().save()

        template = SimpleDocTemplate(
            buffer, pagesize=PAGE, leftMargin=MARGIN_X, rightMargin=MARGIN_X, topMargin=MARGIN_TOP,
            bottomMargin=MARGIN_BOTTOM, title=title, author="citynet", subject=title,
            creator="citynet", lang="ja" if self.lang != "en" else "en",
            invariant=1, initialFontName=MAIN, initialFontSize=9.5)
        try:
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
        canvas.setFillColor(SECOND)
        generated = BILINGUAL_SEPARATOR.join(
            phrase("Generated {date}", lang, date=format_date(self.generated_on, lang))
            + (" " + phrase("Version {version}", lang, version=self.version) if self.version else "")
            for lang in self.langs)
        draw_text(canvas, MARGIN_X, bottom, generated, 7.5)
        page = BILINGUAL_SEPARATOR.join(
            phrase("Page {page} of {pages}", lang, page=number, pages=total) for lang in self.langs)
        draw_text(canvas, width - MARGIN_X, bottom, page, 7.5, align="right")
        canvas.restoreState()


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


def cell(doc: Doc, per_lang, style: str = "cell") -> list[Flowable]:
    """Table cell content: one paragraph per language (see :meth:`Doc.texts`)."""
    return doc.texts(per_lang, style)
