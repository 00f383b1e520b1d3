"""Pieces several documents print the same way: people, dates, times, organisations."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from citynet.i18n import N_
from citynet.i18n.format import (
    country_name, format_date, format_date_range, format_session_times, format_stored_fuzzy,
    person_display_name, position_title, titled_name,
)
from citynet.i18n.text import bilingual
from citynet.i18n.vocabulary import ORGANISATION_ROLES, PARTICIPANT_ROLES, dates_msgid, label
from citynet.render.pdf.furniture import Doc, cell
from citynet.render.pdf.phrases import ORGANISATIONS, phrase
from citynet.services.cities import position_standing
from citynet.services.readmodel import OVER, date_not_recorded
from citynet.services.views import EventView, ParticipantView, PersonRef, PositionView, SessionView
from citynet.store.models import ORGANISATION_ROLES as ROLE_ORDER


def person_name(person: PersonRef, lang: str) -> str:
    return person_display_name(person.family_name_ja, person.given_name_ja, person.family_name_latin,
                               person.given_name_latin, person.name_order, lang,
                               katakana=person.name_katakana)


def participant_text(participant: ParticipantView, lang: str, home_country: str | None = None) -> str:
    """さいたま市長 清水 勇人 ／ SHIMIZU Hayato, Mayor of Saitama City; a capacity follows. A post
    of another country than ``home_country`` names its country (イタリア・アレッツオ市長 / Mayor of
    Arezzo, Italy), unless the title already does."""
    holder = participant.holder
    title = ""
    if participant.position is not None:
        p = participant.position
        title = with_country(position_title(p.title.ja, p.title.en, p.ended, lang),
                             post_country(p), home_country, lang)
    text = titled_name(person_name(holder, lang), title, lang) if holder else title
    capacity = bilingual(participant.capacity.ja, participant.capacity.en, lang)
    if capacity:
        text = f"{text}／{capacity}" if lang == "ja" else f"{text}; {capacity}"
    return text


def post_country(position: PositionView) -> str | None:
    """The country of a post: its city's, else its organisation's (None for a body of no
    country, such as a UN programme)."""
    if position.city is not None:
        return position.city.country
    return position.organisation.country if position.organisation else None


def with_country(title: str, country: str | None, home_country: str | None, lang: str) -> str:
    """A foreign post's title with its country, as a Japanese programme writes it
    (クロアチア・ザグレブ市議会議長) and an English one (President of the Zagreb City Assembly,
    Croatia); a home post, a post of no country and a title naming its country stay as they are."""
    if not title or not country or home_country is None or country == home_country:
        return title
    name = country_name(country, lang)
    if not name or name in title:
        return title
    return f"{name}・{title}" if lang == "ja" else f"{title}, {name}"


def position_status(position: PositionView, day, lang: str) -> str:
    """What a document says of a post's holder on ``day`` (``cities.position_standing``): 退任 /
    former; 現職（2026年1月確認） / current (confirmed January 2026); 2022年11月時点 / as of November
    2022; for a named holder never confirmed, 在職未確認 / not confirmed; nothing for a post whose
    holder is not recorded and never confirmed."""
    standing = position_standing(position, day)
    as_of = format_stored_fuzzy(position.as_of, lang)
    if standing == "former":
        return phrase("former", lang)
    if standing == "current" and position.person is not None:
        return phrase(N_("current (confirmed {date})"), lang, date=as_of)
    if as_of:
        return phrase(N_("as of {date}"), lang, date=as_of)
    return phrase(N_("not confirmed"), lang) if position.person is not None else ""


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


def session_over(session: SessionView, event: EventView | None = None) -> bool:
    """A session that took place or was called off, or one of an event that is over: what it
    lacks (a day, a time) was not recorded; nothing is left to fix."""
    return session.status in OVER or (event is not None and event.status in OVER)


def session_day(session: SessionView, lang: str, event: EventView | None = None) -> str:
    """The session's day; without one, "date not recorded" when it is over (see
    :func:`session_over`), else "Date not yet fixed"."""
    day = session.local_day
    if day:
        return format_date(day, lang, weekday=True)
    if session_over(session, event):
        return phrase(N_("date not recorded"), lang)
    return phrase("Date not yet fixed", lang)


def session_times(session: SessionView, home_tz: str, lang: str, event: EventView | None = None) -> str:
    """Venue time named by the event's own city, the zone's abbreviation and offset (13:00～13:30
    （マンハイム、CET、UTC+1）), then home time."""
    if session.starts_at is None and session_over(session, event):
        return phrase(N_("time not recorded"), lang)
    return format_session_times(session.starts_at, session.ends_at, session.timezone, home_tz, lang,
                                city=venue_city(event, session.timezone, lang))


def venue_city(event: EventView | None, tz: str, lang: str) -> str:
    """The name of the event's city when the session keeps its zone (Mannheim, Penang), else ""
    (the zone is then named by abbreviation and offset only: its exemplar city — Berlin for
    Mannheim, Kuala Lumpur for Penang — would name another place)."""
    if event is None or event.city is None or event.city.timezone != tz:
        return ""
    return bilingual(event.city.name.ja, event.city.name.en, lang)


def session_when(session: SessionView, home_tz: str, lang: str, event: EventView | None = None) -> str:
    """Day, then venue and home times on the next line (the day alone when neither is known)."""
    if session.local_day is None:
        return session_day(session, lang, event)
    return f"{session_day(session, lang, event)}\n{session_times(session, home_tz, lang, event)}"


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


def organisations_section(doc: Doc, detail, sessions=None) -> None:
    """The event's organisations by role (主催・共催等), with those of ``sessions`` (all of the
    event's by default) named with their session; left out when there are none."""
    sessions = detail.sessions if sessions is None else sessions
    roles = list(detail.organisation_roles) + [r for s in sessions for r in s.organisation_roles]
    rows = org_role_rows(doc, roles, sessions)
    if rows:
        doc.heading(ORGANISATIONS)
        doc.table([N_("Role"), ORGANISATIONS], rows, [1, 4])


def home_tz(data) -> str:
    return data.home.timezone if data.home else "Asia/Tokyo"


def check_zone(tz: str) -> ZoneInfo:
    return ZoneInfo(tz)
