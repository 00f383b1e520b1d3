"""The event report: the home city's participation and the totals (a sentence, a table, a chart),
the organisations, and the programme with everyone who took part. Sections with nothing recorded
are left out."""

from __future__ import annotations

from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib.units import mm
from reportlab.platypus import Spacer

from citynet.i18n import N_, ngettext_in
from citynet.i18n.format import country_name, format_number, participation_sentence
from citynet.render.pdf.common import (
    attendance, cover_fields, organisations_section, participant_role, participant_text, session_day,
)
from citynet.render.pdf.fonts import MAIN, visual_runs
from citynet.render.pdf.furniture import ACCENT, FRAME_WIDTH, Doc, cell
from citynet.render.pdf.phrases import LABELLED, Msgid, phrase
from citynet.services.briefing import EventDocumentData

TITLE = N_("Event report")
_TOTALS = (("total", N_("Total participants")), ("overseas_countries", N_("Overseas countries")),
           ("overseas_cities", N_("Overseas cities")), ("domestic_cities", N_("Domestic cities")),
           ("organisations", N_("Companies and organisations")),
           ("sponsors", N_("Sponsoring companies")))
_CHARTED = ("overseas_cities", "domestic_cities", "organisations", "sponsors")
_CATEGORIES = {"overseas_city": N_("Overseas cities"), "domestic_city": N_("Domestic cities"),
               "organisation": N_("Companies and organisations"), "other": N_("Other")}


def _chart(doc: Doc, items: list[tuple[str, int]]) -> Drawing:
    """Horizontal bars, labels in the document's language(s), values at the bar ends."""
    bar = 7 * mm if doc.lang != "both" else 9 * mm
    height = bar * len(items) + 12 * mm
    width = FRAME_WIDTH
    label_width = 62 * mm
    drawing = Drawing(width, height, initialFontName=MAIN, initialFontSize=8)
    chart = HorizontalBarChart()
    chart.x, chart.y = label_width, 6 * mm
    chart.width, chart.height = width - label_width - 20 * mm, bar * len(items)
    chart.data = [[value for _label, value in reversed(items)]]
    chart.bars[0].fillColor = ACCENT
    chart.bars[0].strokeColor = None
    chart.barWidth = bar * 0.6
    chart.categoryAxis.categoryNames = ["" for _ in items]
    chart.categoryAxis.visibleTicks = 0
    chart.categoryAxis.labels.fontName = MAIN
    chart.valueAxis.valueMin = 0
    chart.valueAxis.labels.fontName = MAIN
    chart.valueAxis.labels.fontSize = 8
    chart.barLabelFormat = "%d"
    chart.barLabels.fontName = MAIN
    chart.barLabels.fontSize = 9
    chart.barLabels.boxAnchor = "w"
    chart.barLabels.dx = 3
    drawing.add(chart)
    for index, (label, _value) in enumerate(reversed(items)):
        y = chart.y + bar * index + bar / 2 - 3
        x = label_width - 4
        # right-aligned label, font runs so letters missing from the Japanese font still draw
        from citynet.render.pdf.fonts import text_width

        x -= text_width(label, 9)
        for font, piece in visual_runs(label):
            drawing.add(String(x, y, piece, fontName=font, fontSize=9))
            from reportlab.pdfbase.pdfmetrics import stringWidth

            x += stringWidth(piece, font, 9)
    return drawing


def build(doc: Doc, data: EventDocumentData) -> None:
    event = data.detail.event
    doc.add(doc.texts(doc.bi(event.title), "title"))
    doc.add(doc.texts(lambda lang: phrase(TITLE, lang), "title2"))
    cover_fields(doc, event)
    participation(doc, data)
    doc.add(Spacer(1, 4))
    organisations_section(doc, data.detail)
    programme(doc, data)


def participation(doc: Doc, data: EventDocumentData) -> None:
    """The home city's part (its attendance, its sessions) and the totals, counted or reported,
    with charts; left out when none of it is recorded."""
    event = data.detail.event
    totals = data.detail.totals
    ours: list[tuple[Msgid, list]] = []
    if event.attend_start is not None:
        ours.append((N_("Our attendance"), doc.texts(lambda lang: attendance(event, lang))))
    if data.home is not None and data.home_sessions:
        count = len(data.home_sessions)
        ours.append((N_("Our sessions"), doc.texts(lambda lang: ngettext_in(
            lang, "{count} session", "{count} sessions", count).format(
                count=format_number(count, lang)))))
    if totals is None and not ours:
        return
    doc.heading(N_("Participation"))
    doc.fields(ours)
    if totals is None:
        return
    values = {key: getattr(totals, key) for key, _ in _TOTALS}
    doc.add(doc.texts(lambda lang: participation_sentence(values, lang)))
    doc.add(doc.texts(lambda lang: phrase("Counted from registrations." if totals.computed
                                          else "As reported by the organisers.", lang), "small"))
    rows = [[cell(doc, lambda lang, m=msgid: phrase(m, lang)),
             cell(doc, lambda lang, v=values[key]: format_number(v, lang))]
            for key, msgid in _TOTALS if values[key] is not None]
    doc.table([N_("Item"), N_("Count")], rows, [4, 1.2], numeric=[1])  # counts flush right
    if data.registrations_by_country:
        doc.heading(N_("Registrations by country"), level=2)
        items = [(doc.words_of({lang: country_name(code, lang) if code else phrase("Other", lang)
                                for lang in doc.langs}), n)
                 for code, n in data.registrations_by_country]
        doc.add(_chart(doc, items))
    else:
        items = [(doc.words(msgid), values[key]) for key, msgid in _TOTALS
                 if key in _CHARTED and values[key] is not None]
        if items:
            doc.heading(N_("Participating bodies by category"), level=2)
            doc.add(_chart(doc, items))
    if data.registrations_by_category:
        doc.heading(N_("Registrations by category"), level=2)
        doc.add(_chart(doc, [(doc.words(_CATEGORIES.get(c, "Other")), n)
                             for c, n in data.registrations_by_category]))


def programme(doc: Doc, data: EventDocumentData) -> None:
    """The public sessions with their day and everyone who took part (speakers first, as the
    programme lists them; a foreign post with its country)."""
    event = data.detail.event
    home_country = data.home.country if data.home else None
    public = [s for s in data.detail.sessions if s.visibility == "public"]
    if not public:
        return
    doc.heading(N_("Programme"))
    rows = []
    for s in public:
        who = []
        for p in s.participants:
            who += doc.texts({lang: phrase(LABELLED, lang, label=participant_role(p.role, lang),
                                            value=participant_text(p, lang, home_country))
                              for lang in doc.langs}, "cell")
        rows.append([cell(doc, lambda lang, s=s: session_day(s, lang, event)),
                     cell(doc, doc.bi(s.title)), who or ""])
    doc.table([N_("Date"), N_("Session"), N_("Participants")], rows, [1.4, 2.4, 3.2])
