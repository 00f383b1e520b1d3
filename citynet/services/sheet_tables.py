"""The lists a spreadsheet export holds: the contacts, and an event's participants (rows of
values in the requested language; ``citynet.render.sheets`` writes them as CSV or XLSX)."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import col

from citynet.i18n import N_, _, gettext_in
from citynet.services.sheet_columns import CONTACT_COLUMNS
from citynet.services.tables import table_of
from citynet.store import models as m

PARTICIPANT_COLUMNS = (N_("Session"), N_("Date"), N_("Role"), N_("Name"), N_("Job title"),
                       N_("Affiliation"), N_("Country"))
COMMITMENT_COLUMNS = (N_("Event"), N_("Session"), N_("Date"), N_("Commitment"), N_("Committed by"),
                      N_("To"), N_("Due"), N_("Status"))


def _pick(ja: str | None, en: str | None, lang: str) -> str:
    from citynet.i18n.text import bilingual

    return bilingual(ja, en, lang)


def _name_of(row: dict | None, lang: str) -> str | None:
    """A city's or organisation's name to find it by on import: in ``lang``, else the other."""
    if row is None:
        return None
    first, second = ("name_ja", "name_en") if lang == "ja" else ("name_en", "name_ja")
    return row[first] or row[second] or row["slug"]


def _current_position(positions: list[dict]) -> dict | None:
    current = [p for p in positions if not p["ended"] and not p["end"]]
    pool = current or positions
    return max(pool, key=lambda p: (p["start"] or "", p["id"])) if pool else None


def contacts_table(engine: Engine, lang: str) -> tuple[list[str], list[list]]:
    """Every person with their current title and e-mail/phone (personal data: internal use)."""
    from citynet.i18n.names import sort_by_reading

    with engine.connect() as c:
        people = [dict(r) for r in c.execute(sa.select(table_of(m.Person))).mappings()]
        positions: dict[int, list[dict]] = {}
        for r in c.execute(sa.select(table_of(m.Position))
                           .where(col(m.Position.person_id).is_not(None))).mappings():
            positions.setdefault(r["person_id"], []).append(dict(r))
        cities = {r["id"]: dict(r) for r in c.execute(sa.select(table_of(m.City))).mappings()}
        orgs = {r["id"]: dict(r) for r in c.execute(sa.select(table_of(m.Organisation))).mappings()}
    people = sorted(people, key=lambda p: (p["family_name_latin"] or "", p["slug"]))
    people = sort_by_reading(people, key=lambda p: p["name_kana"])
    headers = [gettext_in(lang, msgid) for _name, msgid in CONTACT_COLUMNS]
    rows = []
    for person in people:
        position = _current_position(positions.get(person["id"], []))
        org = orgs.get(position["organisation_id"]) if position else None
        city = cities.get(position["city_id"]) if position else None
        rows.append([
            person["slug"], person["family_name_ja"], person["given_name_ja"],
            person["family_name_latin"], person["given_name_latin"], person["name_kana"],
            position["title_ja"] if position else None,
            position["title_en"] if position else None,
            _name_of(org, lang), _name_of(city if not org else None, lang),
            person["email"], person["phone"],
        ])
    return headers, rows


def participants_table(engine: Engine, event_slug: str, lang: str) -> tuple[list[str], list[list]]:
    """The participants of an event's sessions, session by session, in programme order."""
    from citynet.errors import NotFound
    from citynet.i18n.format import country_name, format_date
    from citynet.i18n.names import person_display_name, position_title
    from citynet.i18n.vocabulary import label

    with engine.connect() as c:
        event = c.execute(sa.select(table_of(m.Event)).where(col(m.Event.slug) == event_slug)).mappings().first()
        if event is None:
            raise NotFound(_("no event {slug!r}").format(slug=event_slug))
        sessions = [dict(r) for r in c.execute(
            sa.select(table_of(m.Session)).where(col(m.Session.event_id) == event["id"])).mappings()]
        session_ids = [s["id"] for s in sessions]
        parts = [dict(r) for r in c.execute(sa.select(table_of(m.SessionParticipant)).where(
            col(m.SessionParticipant.session_id).in_(session_ids or [-1]))).mappings()]
        people = {r["id"]: dict(r) for r in c.execute(sa.select(table_of(m.Person))).mappings()}
        positions = {r["id"]: dict(r) for r in c.execute(sa.select(table_of(m.Position))).mappings()}
        cities = {r["id"]: dict(r) for r in c.execute(sa.select(table_of(m.City))).mappings()}
        orgs = {r["id"]: dict(r) for r in c.execute(sa.select(table_of(m.Organisation))).mappings()}
    order = {s["id"]: (s["day"] or date.max, s["starts_at"].replace(tzinfo=None) if s["starts_at"]
                       else datetime.max, s["id"]) for s in sessions}
    by_id = {s["id"]: s for s in sessions}
    parts.sort(key=lambda p: (order[p["session_id"]], p["sort_order"], p["id"]))
    headers = [gettext_in(lang, msgid) for msgid in PARTICIPANT_COLUMNS]
    rows = []
    for part in parts:
        session = by_id[part["session_id"]]
        position = positions.get(part["position_id"])
        person = people.get(part["person_id"]) or (people.get(position["person_id"]) if position else None)
        org = orgs.get(position["organisation_id"]) if position else None
        city = cities.get(position["city_id"]) if position else None
        country = (org or {}).get("country") or (city or {}).get("country")
        day = session["day"] or (session["starts_at"].date() if session["starts_at"] else None)
        rows.append([
            _pick(session["title_ja"], session["title_en"], lang),
            format_date(day, lang) if day else None,
            label("participant_role", part["role"], lang),
            person_display_name(person["family_name_ja"], person["given_name_ja"],
                                person["family_name_latin"], person["given_name_latin"],
                                person["name_order"], lang, person["name_katakana"]) if person else None,
            position_title(position["title_ja"], position["title_en"], position["ended"], lang)
            if position else None,
            _pick(org["name_ja"], org["name_en"], lang) if org else
            _pick(city["name_ja"], city["name_en"], lang) if city else None,
            country_name(country, lang) if country else None,
        ])
    return headers, rows


def commitments_table(engine: Engine, lang: str, event: str | None = None) -> tuple[list[str], list[list]]:
    """The commitments (of one event's sessions, or all), open first, as the read model orders
    them; names, dates and statuses in words in ``lang``."""
    from citynet.i18n.format import format_date, format_stored_fuzzy
    from citynet.i18n.names import person_display_name
    from citynet.i18n.vocabulary import label
    from citynet.services.commitments import all_commitments
    from citynet.services.views import PersonRef

    def person(p: PersonRef | None) -> str | None:
        if p is None:
            return None
        return person_display_name(p.family_name_ja, p.given_name_ja, p.family_name_latin,
                                   p.given_name_latin, p.name_order, lang, katakana=p.name_katakana)

    headers = [gettext_in(lang, msgid) for msgid in COMMITMENT_COLUMNS]
    rows = []
    for x in all_commitments(engine, event):
        to = (person(x.to) if isinstance(x.to, PersonRef)
              else _pick(x.to.name.ja, x.to.name.en, lang) if x.to is not None else None)
        rows.append([
            _pick(x.event_title.ja, x.event_title.en, lang),
            _pick(x.session_title.ja, x.session_title.en, lang),
            format_date(x.session_day, lang) if x.session_day else None,
            _pick(x.text.ja, x.text.en, lang), person(x.by), to,
            format_stored_fuzzy(x.due, lang) or None,
            label("commitment_status", x.status, lang),
        ])
    return headers, rows
