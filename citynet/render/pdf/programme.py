"""The programme: every public session day by day, with times, rooms and everyone taking part
(each with their post and, for a foreign post, its country)."""

from __future__ import annotations

from itertools import groupby

from reportlab.platypus import Spacer

from citynet.i18n import N_
from citynet.render.pdf.common import (
    cover_fields, home_tz, participant_role, participant_text, session_day, session_times,
)
from citynet.render.pdf.furniture import Doc, cell
from citynet.render.pdf.phrases import LABELLED, TIMES, phrase
from citynet.services.briefing import EventDocumentData

TITLE = N_("Programme")


def build(doc: Doc, data: EventDocumentData) -> None:
    event = data.detail.event
    home_country = data.home.country if data.home else None
    doc.add(doc.texts(doc.bi(event.title), "title"))
    doc.add(doc.texts(lambda lang: phrase(TITLE, lang), "title2"))
    cover_fields(doc, event)
    doc.add(Spacer(1, 4))
    shown = [s for s in data.detail.sessions
             if s.visibility == "public" or event.visibility != "public"]
    if not shown:
        doc.heading(TITLE)
        doc.none_recorded()
        return
    for _day, group in groupby(shown, key=lambda s: s.local_day):
        day_sessions = list(group)
        doc.heading_text(lambda lang: session_day(day_sessions[0], lang, event))
        rows = []
        for s in day_sessions:
            what = doc.texts(doc.bi(s.title), "cell")
            if s.theme:
                what += doc.texts(doc.bi(s.theme), "cell2")
            if s.room:
                room = doc.bi(s.room)
                what += doc.texts({lang: phrase(LABELLED, lang, label=phrase("Room", lang),
                                                value=room[lang]) for lang in doc.langs}, "cell2")
            if s.status == "cancelled":
                what += doc.texts(lambda lang: phrase("cancelled", lang), "cell2")
            who = []
            for p in s.participants:  # everyone, in the programme's order: the stage and the rest
                who += doc.texts({lang: phrase(LABELLED, lang, label=participant_role(p.role, lang),
                                                value=participant_text(p, lang, home_country))
                                  for lang in doc.langs}, "cell")
            rows.append([cell(doc, lambda lang, s=s: session_times(s, home_tz(data), lang, event)
                              .replace(" / ", "\n")), what, who or ""])
        doc.table([TIMES, N_("Session"), N_("Participants")], rows, [1.9, 2.1, 3.0])
