"""Pieces several documents print the same way: people, dates, times, organisations."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from citynet.i18n import N_
from citynet.i18n.format import (
    country_name, format_date, format_date_range, format_session_times, person_display_name,
    position_title, titled_name,
)
from citynet.i18n.text import bilingual
from citynet.i18n.vocabulary import ORGANISATION_ROLES, PARTICIPANT_ROLES, dates_msgid, label
from citynet.render.pdf.furniture import Doc, cell
from citynet.render.pdf.phrases import ORGANISATIONS, phrase
from citynet.services.readmodel import date_not_recorded
from citynet.services.views import EventView, ParticipantView, PersonRef, SessionView
from citynet.store.models import ORGANISATION_ROLES as ROLE_ORDER


def person_name(person: PersonRef, lang: str) -> str:
    return person_display_name(person.family_name_ja, person.given_name_ja, person.family_name_latin,
                               person.given_name_latin, person.name_order, lang,
                               katakana=person.name_katakana)


def participant_text(participant: ParticipantView, lang: str) -> str:
    """さいたま市長 清水 勇人 ／ SHIMIZU Hayato, Mayor of Saitama City; a capacity follows."""
    holder = participant.holder
    title = ""
    if participant.position is not None:
        p = participant.position
        title = position_title(p.title.ja, p.title.en, p.ended, lang)
    text = titled_name(person_name(holder, lang), title, lang) if holder else title
    capacity = bilingual(participant.capacity.ja, participant.capacity.en, lang)
    if capacity:
        text = f"{text}／{capacity}" if lang == "ja" else f"{text}; {capacity}"
    return text


def participant_role(role: str, lang: str) -> str:
    return label(PARTICIPANT_ROLES, role, lang)


def cover_fields(doc: Doc, event: EventView) -> None:
    """Theme, dates and venue of an event, under a document's title."""
    doc.fields([
        (N_("Theme"), doc.texts(doc.bi(event.theme)) if event.theme else []),
        (dates_msgid(event.kind), doc.texts(lambda lang: event_dates(event, lang))),
        (N_("Venue"), doc.texts(lambda lang: venue(event, lang))),
    ])
    doc.end_cover()


def event_dates(event: EventView, lang: str) -> str:
    """An event's dates; one that is over without dates reads "date not recorded" (saying "not
    yet fixed" of a held event would state more than the store knows)."""
    if event.start_date is None:
        if date_not_recorded(event.status, event.start_date, event.end_date):
            return phrase(N_("date not recorded"), lang)
        return phrase("Date not yet fixed", lang)
    return format_date_range(event.start_date, event.end_date, lang, weekday=True)


def attendance(event: EventView, lang: str) -> str:
    if event.attend_start is None:
        return ""
    return format_date_range(event.attend_start, event.attend_end, lang, weekday=True)


def venue(event: EventView, lang: str) -> str:
    parts = [bilingual(event.venue.ja, event.venue.en, lang) if event.venue else ""]
    if event.city is not None:
        city = bilingual(event.city.name.ja, event.city.name.en, lang)
        country = country_name(event.city.country, lang)
        parts.append(f"{country} {city}" if lang == "ja" else f"{city}, {country}")
    parts = [p for p in parts if p]
    return ("（".join(parts) + "）" if lang == "ja" else " (".join(parts) + ")") if len(parts) == 2 \
        else (parts[0] if parts else "")


def session_day(session: SessionView, lang: str) -> str:
    day = session.local_day
    return format_date(day, lang, weekday=True) if day else phrase("Date not yet fixed", lang)


def session_times(session: SessionView, home_tz: str, lang: str) -> str:
    return format_session_times(session.starts_at, session.ends_at, session.timezone, home_tz, lang)


def session_when(session: SessionView, home_tz: str, lang: str) -> str:
    """Day, then venue and home times on the next line."""
    if session.local_day is None:
        return phrase("Date not yet fixed", lang)
    return f"{session_day(session, lang)}\n{session_times(session, home_tz, lang)}"


def org_role_rows(doc: Doc, roles, sessions=()) -> list[list]:
    """Rows of (role, organisation) in the order 主催, 共催, 後援, 協賛, 協力."""
    titles = {s.id: s.title for s in sessions}
    rows = []
    for role in ROLE_ORDER:
        for item in (r for r in roles if r.role == role):
            def name(lang, item=item):
                text = bilingual(item.organisation.name.ja, item.organisation.name.en, lang)
                if item.session_id in titles:
                    session = bilingual(titles[item.session_id].ja, titles[item.session_id].en, lang)
                    text = f"{text}（{session}）" if lang == "ja" else f"{text} ({session})"
                return text
            rows.append([cell(doc, lambda lang, r=role: label(ORGANISATION_ROLES, r, lang)),
                         cell(doc, name)])
    return rows


def organisations_section(doc: Doc, detail) -> None:
    """The event's and its sessions' organisations by role (主催・共催等), or "None recorded"."""
    doc.heading(ORGANISATIONS)
    roles = list(detail.organisation_roles) + [r for s in detail.sessions for r in s.organisation_roles]
    rows = org_role_rows(doc, roles, detail.sessions)
    if rows:
        doc.table([N_("Role"), ORGANISATIONS], rows, [1, 4])
    else:
        doc.none_recorded()


def home_tz(data) -> str:
    return data.home.timezone if data.home else "Asia/Tokyo"


def check_zone(tz: str) -> ZoneInfo:
    return ZoneInfo(tz)
