"""The briefing: what the mayor's office reads before an event.

Cover (title, dates, venue, handling mark), the home city's sessions with local and Japan times
and their participants, the organisations by role, a background section for each partner city
present, the home city's key figures and milestones, and notes.
"""

from __future__ import annotations

from reportlab.platypus import PageBreak, Spacer

from citynet.i18n.format import (
    country_name, format_percent, format_tonnes_co2,
)
from citynet.i18n.text import bilingual
from citynet.render.pdf.common import (
    attendance, event_dates, fuzzy, home_tz, org_role_rows, participant_role, participant_text,
    person_name, session_when, venue,
)
from citynet.render.pdf.furniture import STYLES, Doc, cell
from citynet.render.pdf.markup import Text
from citynet.render.pdf.phrases import (
    EVENT_STATUSES, KEY_FIGURE_KINDS, RELATIONSHIP_KINDS, RELATIONSHIP_STATUSES, phrase,
)
from citynet.services.briefing import EventDocumentData
from citynet.services.cities import CityBackground

TITLE = "Briefing"


def cover(doc: Doc, data: EventDocumentData) -> None:
    event = data.detail.event
    if doc.handling_mark:
        doc.add(Text(doc.words(doc.handling_mark), STYLES["mark"]))
    doc.add(Spacer(1, 6))
    doc.add(doc.texts(doc.bi(event.title), "title"))
    doc.add(doc.texts(lambda lang: phrase(doc.title_msgid, lang), "title2"))
    doc.add(Spacer(1, 6))
    doc.fields([
        ("Theme", doc.texts(doc.bi(event.theme))) if event.theme else ("Theme", []),
        ("Dates", doc.texts(lambda lang: event_dates(event, lang))),
        ("Our attendance", doc.texts(lambda lang: attendance(event, lang))),
        ("Venue", doc.texts(lambda lang: venue(event, lang))),
        ("Status", doc.texts(lambda lang: phrase(EVENT_STATUSES[event.status], lang))),
    ])


def sessions(doc: Doc, data: EventDocumentData) -> None:
    home = data.home
    name = doc.bi(home.name) if home else {lang: "" for lang in doc.langs}
    doc.heading_text(lambda lang: phrase("Sessions of {city}", lang, city=name[lang]))
    doc.add(doc.texts(lambda lang: phrase("All times local; Japan time in the second line.", lang),
                      "small"))
    if not data.home_sessions:
        doc.none_recorded()
    for session in data.home_sessions:
        doc.heading_text(doc.bi(session.title), level=2)
        doc.fields([
            ("Time", doc.texts(lambda lang, s=session: session_when(s, home_tz(data), lang))),
            ("Room", doc.texts(doc.bi(session.room)) if session.room else []),
            ("Theme", doc.texts(doc.bi(session.theme)) if session.theme else []),
            ("Notes", doc.texts(doc.bi(session.notes)) if session.notes else []),
        ])
        if session.participants:
            rows = [[cell(doc, lambda lang, p=p: participant_role(p.role, lang)),
                     cell(doc, lambda lang, p=p: participant_text(p, lang))]
                    for p in session.participants]
            doc.table(["Role", "Participants"], rows, [1, 4])
        if session.organisation_roles:
            doc.table(["Role", "Organisations"], org_role_rows(doc, session.organisation_roles), [1, 4])


def organisations(doc: Doc, data: EventDocumentData) -> None:
    doc.heading("Organisations")
    roles = list(data.detail.organisation_roles) + [
        r for s in data.detail.sessions for r in s.organisation_roles]
    rows = org_role_rows(doc, roles, data.detail.sessions)
    if rows:
        doc.table(["Role", "Organisations"], rows, [1, 4])
    else:
        doc.none_recorded()


def city_background(doc: Doc, background: CityBackground, home_name: dict[str, str],
                    heading: str = "Background: {city}") -> None:
    city = background.city
    name = doc.bi(city.name)
    doc.heading_text(lambda lang: phrase(heading, lang, city=name[lang]))
    doc.fields([
        ("Country", doc.texts(lambda lang: country_name(city.country, lang))),
        ("Region", doc.texts(doc.bi(background.region)) if background.region else []),
        ("Notes", doc.texts(doc.bi(background.notes)) if background.notes else []),
    ])
    doc.heading("Relationship", level=2)
    _relationship_and_networks(doc, background)
    doc.heading("Office holders", level=2)
    positions_table(doc, background.current_positions or background.positions)
    doc.heading_text(lambda lang: phrase("Exchanges with {city}", lang, city=home_name[lang]), level=2)
    timeline_table(doc, background.timeline)


def _relationship_and_networks(doc: Doc, background: CityBackground) -> None:
    if not background.relationships:
        doc.add(doc.texts(lambda lang: phrase("No relationship recorded.", lang), "body2"))
    for rel in background.relationships:
        def describe(lang, rel=rel):
            parts = [phrase(RELATIONSHIP_KINDS[rel.kind], lang)]
            if rel.since:
                parts.append(fuzzy(rel.since, lang, open_ended=rel.until is None))
            parts.append(phrase(RELATIONSHIP_STATUSES[rel.status], lang))
            return ("、" if lang == "ja" else ", ").join(parts)
        doc.add(doc.texts(describe))
        if rel.notes:
            doc.add(doc.texts(doc.bi(rel.notes), "body2"))
    if background.memberships:
        doc.heading("Networks", level=2)
        rows = [[cell(doc, doc.bi(ms.network.name)),
                 cell(doc, doc.bi(ms.role) if ms.role else ""),
                 cell(doc, lambda lang, ms=ms: fuzzy(ms.start, lang, open_ended=ms.end is None))]
                for ms in background.memberships]
        doc.table(["Network", "Role", "Since"], rows, [3, 3, 1.5])


def positions_table(doc: Doc, positions) -> None:
    if not positions:
        doc.none_recorded()
        return
    rows = []
    for p in positions:
        rows.append([
            cell(doc, lambda lang, p=p: bilingual(p.title.ja, p.title.en, lang)),
            cell(doc, lambda lang, p=p: person_name(p.person, lang) if p.person
                 else phrase("Holder not recorded", lang)),
            cell(doc, lambda lang, p=p: _period(p, lang)),
        ])
    doc.table(["Position", "Name", "Period"], rows, [3, 2.5, 1.6])


def _period(position, lang: str) -> str:
    status = phrase("current" if position.is_current else "former", lang)
    start = fuzzy(position.start, lang)
    end = fuzzy(position.end, lang)
    if start or end:
        dash = "～" if lang == "ja" else "–"
        return f"{start}{dash}{end}\n{status}"
    return status


def timeline_table(doc: Doc, entries) -> None:
    if not entries:
        doc.none_recorded()
        return
    rows = []
    for entry in entries:
        def when(lang, entry=entry):
            if entry.event is not None:
                return event_dates(entry.event, lang)
            return fuzzy(entry.when, lang, open_ended=entry.ongoing) or phrase("Date not yet fixed", lang)
        rows.append([cell(doc, when), cell(doc, doc.bi(entry.title))])
    doc.table(["Date", "Event"], rows, [1.4, 4])


def key_figure_value(figure, lang: str) -> str:
    if figure.unit == "%":
        return format_percent(figure.value, lang)
    if figure.unit == "t-CO2":
        if figure.value == 0:
            return "0 t-CO2"
        return format_tonnes_co2(figure.value, lang)
    return f"{figure.value:g} {figure.unit}"


def key_figures(doc: Doc, data: EventDocumentData) -> None:
    if not (data.key_figures or data.milestones) or data.home is None:
        return
    name = doc.bi(data.home.name)
    doc.heading_text(lambda lang: phrase("Key figures of {city}", lang, city=name[lang]))
    if data.key_figures:
        rows = []
        for f in data.key_figures:
            def year(lang, f=f):
                text = fuzzy(f.period, lang)
                if f.base_period:
                    base = phrase("Base year {year}", lang, year=fuzzy(f.base_period, lang))
                    text = f"{text}\n{base}" if text else base
                return text
            rows.append([cell(doc, doc.bi(f.label)),
                         cell(doc, lambda lang, f=f: f"{key_figure_value(f, lang)}"
                              f"（{phrase(KEY_FIGURE_KINDS[f.kind], lang)}）" if lang == "ja" else
                              f"{key_figure_value(f, lang)} ({phrase(KEY_FIGURE_KINDS[f.kind], lang)})"),
                         cell(doc, year)])
        doc.table(["Figure", "Value", "Year"], rows, [4, 1.8, 1.6])
    if data.milestones:
        doc.heading("Milestones", level=2)
        rows = [[cell(doc, lambda lang, m=m: fuzzy(m.when, lang, open_ended=m.ongoing)),
                 cell(doc, doc.bi(m.title))] for m in data.milestones]
        doc.table(["Date", "Event"], rows, [1.4, 4])


def notes(doc: Doc, data: EventDocumentData) -> None:
    event = data.detail.event
    totals = data.detail.totals
    items = [event.notes] if event.notes else []
    if totals is not None and hasattr(totals, "notes"):
        items.append(totals.notes)
    doc.heading("Notes")
    if not items:
        doc.none_recorded()
    for item in items:
        doc.add(doc.texts(doc.bi(item)))


def build(doc: Doc, data: EventDocumentData) -> None:
    cover(doc, data)
    sessions(doc, data)
    organisations(doc, data)
    home_name = doc.bi(data.home.name) if data.home else {lang: "" for lang in doc.langs}
    for index, partner in enumerate(data.partners):
        # a partner with a relationship gets its own page; a city only present at the event
        # (no relationship, few facts) follows on the same page when there is room
        if index == 0 or partner.relationships:
            doc.add(PageBreak())
        city_background(doc, partner, home_name)
    if data.key_figures or data.milestones:
        doc.add(PageBreak())
        key_figures(doc, data)
    notes(doc, data)


__all__ = ["TITLE", "build", "city_background", "positions_table", "timeline_table"]
