"""Privacy rules over random data (hypothesis): no e-mail or phone anywhere, and no record a
feed's audience may not see; every random export still parses strictly."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import icalendar
import pytest
import vobject
from hypothesis import HealthCheck, given, settings, strategies as st
from sqlmodel import Session

from citynet.render.ics import entry_uid, render_calendar
from citynet.services.calendar import calendar_data
from citynet.store import models as m
from citynet.store.db import open_database

ZONES = ("Asia/Tokyo", "Asia/Baku", "Asia/Kuala_Lumpur", "Europe/Berlin", "America/New_York")
# Text with the characters that break calendars: separators, newlines, controls, CJK.
text = st.text(alphabet=st.sampled_from(list("abc ,;:\\\n\r\t\x00\x07\"'<>/東京市長é")),
               max_size=20)

person = st.fixed_dictionaries({
    "family": text, "given": text,
    "email": st.from_regex(r"[a-z]{1,8}@[a-z]{1,8}\.example", fullmatch=True),
    "phone": st.from_regex(r"\+81-[0-9]{2,4}-[0-9]{4}-[0-9]{4}", fullmatch=True),
})
session = st.fixed_dictionaries({
    "title": text,
    "visibility": st.sampled_from(m.VISIBILITIES),
    "status": st.sampled_from(m.SESSION_STATUSES),
    "offset_hours": st.one_of(st.none(), st.integers(-48, 400)),
    "day_only": st.booleans(),
    "people": st.lists(st.integers(0, 3), max_size=3),
})
event = st.fixed_dictionaries({
    "title": text,
    "visibility": st.sampled_from(m.VISIBILITIES),
    "zone": st.sampled_from(ZONES),
    "start": st.one_of(st.none(), st.dates(date(2015, 1, 1), date(2030, 12, 31))),
    "days": st.integers(0, 5),
    "sessions": st.lists(session, max_size=4),
})
world = st.fixed_dictionaries({
    "people": st.lists(person, min_size=4, max_size=4),
    "events": st.lists(event, min_size=1, max_size=4),
})


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    engine = open_database(f"sqlite:///{tmp_path_factory.mktemp('privacy') / 'p.db'}")
    yield engine
    engine.dispose()


def _reset(engine) -> None:
    with Session(engine) as db:
        for model in reversed(m.ALL_TABLES):
            db.exec(model.__table__.delete())
        db.commit()


def _load(engine, data) -> dict:
    """Insert the random world; return {(kind, slug): visibility} of events and sessions."""
    _reset(engine)
    visibility = {}
    with Session(engine) as db:
        home = m.City(slug="home", name_en="Home, City", country="JP", timezone="Asia/Tokyo", is_home=True)
        db.add(home)
        db.flush()
        body = m.Organisation(slug="org", name_en="Org", kind="ngo")
        db.add(body)
        db.flush()
        people = []
        for i, p in enumerate(data["people"]):
            row = m.Person(slug=f"p{i}", family_name_latin=p["family"] or "X", given_name_latin=p["given"],
                           family_name_ja=p["family"] or None, email=p["email"], phone=p["phone"],
                           name_order="given_first")
            db.add(row)
            db.flush()
            position = m.Position(slug=f"pos{i}", person_id=row.id, organisation_id=body.id,
                                  title_en=f"Title {i}")
            db.add(position)
            db.flush()
            people.append((row, position))
        for e_index, e in enumerate(data["events"]):
            start = e["start"]
            row = m.Event(slug=f"e{e_index}", kind="meeting", title_en=e["title"] or None,
                          title_ja=e["title"] or None, start_date=start,
                          end_date=start + timedelta(days=e["days"]) if start else None,
                          timezone=e["zone"], city_id=home.id, visibility=e["visibility"],
                          venue_en=e["title"] or None)
            db.add(row)
            db.flush()
            visibility[("event", row.slug)] = e["visibility"]
            for s_index, s in enumerate(e["sessions"]):
                base = datetime.combine(start or date(2024, 1, 1), datetime.min.time(), timezone.utc)
                starts = base + timedelta(hours=s["offset_hours"]) if s["offset_hours"] is not None else None
                srow = m.Session(
                    slug=f"e{e_index}-s{s_index}", event_id=row.id, kind="meeting",
                    title_en=s["title"] or None, visibility=s["visibility"], status=s["status"],
                    day=(starts.date() if starts else None) if s["day_only"] else None,
                    starts_at=None if s["day_only"] else starts,
                    ends_at=None if s["day_only"] or starts is None else starts + timedelta(minutes=45))
                db.add(srow)
                db.flush()
                visibility[("session", srow.slug)] = s["visibility"]
                for k in s["people"]:
                    person_row, position = people[k]
                    db.add(m.SessionParticipant(session_id=srow.id, position_id=position.id, role="speaker"))
        db.commit()
    return visibility


def _check_parses(body: bytes) -> icalendar.Calendar:
    cal = icalendar.Calendar.from_ical(body)
    for component in cal.walk():
        assert not component.errors
    assert not cal.get_missing_tzids()
    vobject.readOne(body.decode("utf-8"), validate=True).validate(raiseException=True)
    return cal


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
@given(data=world, lang=st.sampled_from(("ja", "en", "both")))
def test_no_personal_data_and_no_hidden_record(engine, data, lang):
    visibility = _load(engine, data)
    for audience, allowed in (("public", {"public"}), ("internal", {"public", "internal"})):
        body = render_calendar(calendar_data(engine, "all", None, audience), lang)
        cal = _check_parses(body)
        unfolded = body.replace(b"\r\n ", b"").decode("utf-8")
        for p in data["people"]:
            assert p["email"] not in unfolded and p["phone"] not in unfolded
            assert "@" not in unfolded
        assert "ORGANIZER" not in unfolded and "ATTENDEE" not in unfolded and "METHOD" not in unfolded
        uids = {str(e["UID"]) for e in cal.walk("VEVENT")}
        for (kind, slug), seen_by in visibility.items():
            if seen_by not in allowed:
                assert entry_uid(kind, slug) not in uids
        for event in cal.walk("VEVENT"):
            assert str(event["CLASS"]) == "PUBLIC" or audience == "internal"
            start = event["DTSTART"].dt
            if "DTEND" in event:
                assert event["DTEND"].dt > start
