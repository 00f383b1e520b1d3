"""The .ics exporter over the demo data: validity, instants, identity, change stamps."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest
import vobject
from sqlmodel import Session, select

from citynet.demo.loader import load_demo
from citynet.errors import CitynetError
from citynet.render.ics import entry_uid, export_ics, render_calendar
from citynet.services.calendar import calendar_data, network_slugs, partner_city_slugs
from citynet.services.records import update_record
from citynet.store import models as m
from citynet.store.db import open_database

UTC = timezone.utc


def parse(body: bytes) -> icalendar.Calendar:
    """Parse with icalendar and with independent strict parsers; fail on any complaint."""
    assert body.startswith(b"BEGIN:VCALENDAR\r\n") and body.endswith(b"END:VCALENDAR\r\n")
    assert b"\n" not in body.replace(b"\r\n", b""), "bare LF"
    for line in body.split(b"\r\n"):
        assert len(line) <= 75, line
        line.decode("utf-8")  # every folded line decodes alone
    cal = icalendar.Calendar.from_ical(body)
    for component in cal.walk():
        assert not component.errors, component.errors
    assert not cal.get_missing_tzids()
    cal.validate()
    text = body.decode("utf-8")
    strict = vobject.readOne(text, validate=True)
    strict.validate(raiseException=True)
    try:
        from ical.calendar_stream import IcsCalendarStream
    except ImportError:  # pragma: no cover - ical is a test dependency; vobject still ran
        pass
    else:
        IcsCalendarStream.calendar_from_ics(text)
    return cal


def lint(cal: icalendar.Calendar) -> None:
    """The rules the validating libraries miss (METHOD, VTIMEZONE shape, duplicate UIDs …)."""
    assert "METHOD" not in cal
    uids = []
    for tz in cal.walk("VTIMEZONE"):
        assert "COMMENT" not in tz
        kinds = [c.name for c in tz.subcomponents]
        assert kinds.count("STANDARD") == 1 and kinds.count("DAYLIGHT") <= 1, kinds
        for block in tz.subcomponents:
            assert "RDATE" not in block
    for event in cal.walk("VEVENT"):
        assert "ORGANIZER" not in event and "ATTENDEE" not in event
        uids.append(str(event["UID"]))
        start, end = event["DTSTART"].dt, event["DTEND"].dt if "DTEND" in event else None
        if end is not None:
            assert type(start) is type(end)
            assert end > start
        if isinstance(start, datetime):
            assert start.tzinfo is not None
        assert event["DTSTAMP"].dt.tzinfo is not None
        assert int(event["SEQUENCE"]) >= 0
        assert str(event["STATUS"]) in ("TENTATIVE", "CONFIRMED", "CANCELLED")
    assert len(uids) == len(set(uids))
    refresh = cal["REFRESH-INTERVAL"]
    assert refresh.params["VALUE"] == "DURATION"


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    engine = open_database(f"sqlite:///{tmp_path_factory.mktemp('demo') / 'demo.db'}")
    load_demo(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def demo_copy(tmp_path):
    """A demo database of the test's own (for tests that change it)."""
    engine = open_database(f"sqlite:///{tmp_path / 'demo.db'}")
    load_demo(engine)
    yield engine
    engine.dispose()


def events_by_uid(cal) -> dict:
    return {str(e["UID"]): e for e in cal.walk("VEVENT")}


def session_event(cal, slug):
    return events_by_uid(cal)[entry_uid("session", slug)]


def test_every_export_parses_everywhere(demo):
    scopes = [("all", None)] + [("network", s) for s in network_slugs(demo)]
    scopes += [("city", s) for s in partner_city_slugs(demo)] + [("city", "saitama"), ("event", "cop29")]
    for scope, slug in scopes:
        for audience in ("public", "internal"):
            data = calendar_data(demo, scope, slug, audience)
            for lang in ("ja", "en", "both"):
                lint(parse(render_calendar(data, lang)))


def test_demo_sessions_instants(demo):
    cal = parse(render_calendar(calendar_data(demo, "event", "cop29", "public"), "en"))
    baku = ZoneInfo("Asia/Baku")
    press = session_event(cal, "cop29-press-conference")
    start, end = press["DTSTART"], press["DTEND"]
    assert start.params["TZID"] == "Asia/Baku"
    assert start.dt.replace(tzinfo=None) == datetime(2024, 11, 11, 13, 0)
    assert start.dt.astimezone(UTC) == datetime(2024, 11, 11, 9, 0, tzinfo=UTC)
    assert end.dt.astimezone(UTC) == datetime(2024, 11, 11, 9, 30, tzinfo=UTC)
    assert start.dt.astimezone(baku).hour == 13
    assert "18:00–18:30 JST" in str(press["DESCRIPTION"])
    talks = session_event(cal, "e-kizuna-high-level-talks")
    assert talks["DTSTART"].dt.astimezone(baku) == datetime(2024, 11, 12, 16, 30, tzinfo=baku)
    assert talks["DTSTART"].dt.astimezone(UTC) == datetime(2024, 11, 12, 12, 30, tzinfo=UTC)
    assert talks["DTEND"].dt.astimezone(UTC) == datetime(2024, 11, 12, 13, 30, tzinfo=UTC)
    # The embedded VTIMEZONE alone (what Outlook uses) gives the same instants.
    embedded = cal.walk("VTIMEZONE")[0].to_tz(lookup_tzid=False)
    wall = datetime(2024, 11, 11, 13, 0, tzinfo=embedded)
    assert wall.astimezone(UTC) == datetime(2024, 11, 11, 9, 0, tzinfo=UTC)
    # Participants with roles and titles, the venue; never contact data.
    description = str(press["DESCRIPTION"])
    assert "Speaker: SHIMIZU Hayato, Mayor of Saitama City" in description
    assert "Venue: Baku Olympic Stadium" in description
    assert "@" not in cal.to_ical().decode()


def test_all_day_and_multi_day_events_end_exclusive(demo):
    cal = parse(render_calendar(calendar_data(demo, "all", None, "public"), "en"))
    summit = events_by_uid(cal)[entry_uid("event", "saitama-summit-2022")]
    assert summit["DTSTART"].params["VALUE"] == "DATE"
    assert summit["DTSTART"].dt == datetime(2022, 11, 22).date()
    assert summit["DTEND"].dt == datetime(2022, 11, 25).date()
    u7 = events_by_uid(cal)[entry_uid("event", "u7-summit-2025")]
    assert (u7["DTSTART"].dt, u7["DTEND"].dt) == (datetime(2025, 4, 29).date(), datetime(2025, 4, 30).date())
    cop = events_by_uid(cal)[entry_uid("event", "cop29")]
    assert (cop["DTSTART"].dt, cop["DTEND"].dt) == (datetime(2024, 11, 11).date(), datetime(2024, 11, 23).date())


def test_unknown_times_never_at_midnight_and_undated_events_left_out(demo):
    data = calendar_data(demo, "all", None, "internal")
    cal = parse(render_calendar(data, "en"))
    uids = events_by_uid(cal)
    for ev in data.events:
        if ev.event.start_date is None:
            assert entry_uid("event", ev.event.slug) not in uids
        for cs in ev.sessions:
            s = cs.session
            uid = entry_uid("session", s.slug)
            if s.starts_at is None and s.day is None:
                assert uid not in uids  # listed under "Time to be confirmed" in its event instead
            elif s.starts_at is None:
                assert uids[uid]["DTSTART"].params["VALUE"] == "DATE"
    for event in cal.walk("VEVENT"):
        start = event["DTSTART"].dt
        if isinstance(start, datetime):
            assert (start.hour, start.minute) != (0, 0)
    cop = uids[entry_uid("event", "cop29")]
    assert "Time to be confirmed:" in str(cop["DESCRIPTION"])


def test_both_languages_in_one_summary(demo):
    body = render_calendar(calendar_data(demo, "event", "cop29", "public"), "both")
    cal = parse(body)
    for event in cal.walk("VEVENT"):
        assert " / " in str(event["SUMMARY"])
    assert body.count(b"\r\nSUMMARY") == len(cal.walk("VEVENT"))
    assert body.count(b"\r\nDESCRIPTION") == len(cal.walk("VEVENT"))


def test_calendar_metadata(demo):
    body = render_calendar(calendar_data(demo, "network", "urban7", "internal"), "en")
    cal = parse(body)
    assert b"REFRESH-INTERVAL;VALUE=DURATION:PT12H\r\n" in body
    assert b"X-PUBLISHED-TTL:PT12H\r\n" in body
    assert str(cal["X-WR-CALNAME"]) == str(cal["NAME"])
    assert "internal" in str(cal["NAME"])
    again = icalendar.Calendar.from_ical(
        render_calendar(calendar_data(demo, "network", "urban7", "internal"), "en"))
    assert str(cal["UID"]) == str(again["UID"])
    assert cal["PRODID"] != icalendar.Calendar.from_ical(
        render_calendar(calendar_data(demo, "all", None, "internal"), "en"))["PRODID"]


def test_reexport_is_byte_identical(demo, tmp_path):
    first = export_ics(demo, "all", None, "both", "internal", tmp_path / "a.ics").read_bytes()
    second = export_ics(demo, "all", None, "both", "internal", tmp_path / "b.ics").read_bytes()
    assert first == second


def test_dump_and_restore_keeps_bytes_and_uids(demo, tmp_path):
    from citynet.services.dump import export_json, import_json

    restored = open_database(f"sqlite:///{tmp_path / 'restored.db'}")
    try:
        import_json(restored, export_json(demo))
        for scope, slug in (("all", None), ("event", "cop29"), ("network", "iclei")):
            for audience in ("public", "internal"):
                before = render_calendar(calendar_data(demo, scope, slug, audience), "both")
                after = render_calendar(calendar_data(restored, scope, slug, audience), "both")
                assert before == after
    finally:
        restored.dispose()


def _session_row(engine, slug):
    with Session(engine) as db:
        return db.exec(select(m.Session).where(m.Session.slug == slug)).one()


def test_time_change_and_cancellation_keep_uid_and_raise_sequence(demo_copy):
    def press():
        cal = parse(render_calendar(calendar_data(demo_copy, "event", "cop29", "public"), "en"))
        return session_event(cal, "cop29-press-conference")

    before = press()
    row = _session_row(demo_copy, "cop29-press-conference")
    update_record(demo_copy, "session", row.id, row.revision,
                  {"starts_at": row.starts_at + timedelta(hours=1), "ends_at": row.ends_at + timedelta(hours=1)}, origin="form")
    moved = press()
    assert str(moved["UID"]) == str(before["UID"])
    assert int(moved["SEQUENCE"]) > int(before["SEQUENCE"])
    assert moved["DTSTART"].dt.astimezone(UTC) == datetime(2024, 11, 11, 10, 0, tzinfo=UTC)
    assert moved["DTSTAMP"].dt >= before["DTSTAMP"].dt

    row = _session_row(demo_copy, "cop29-press-conference")
    update_record(demo_copy, "session", row.id, row.revision, {"status": "cancelled"}, origin="form")
    cancelled = press()
    assert str(cancelled["UID"]) == str(before["UID"])
    assert int(cancelled["SEQUENCE"]) > int(moved["SEQUENCE"])
    assert str(cancelled["STATUS"]) == "CANCELLED"


def test_event_venue_change_raises_session_sequence(demo_copy):
    def sequence():
        cal = parse(render_calendar(calendar_data(demo_copy, "event", "cop29", "public"), "en"))
        return int(session_event(cal, "cop29-press-conference")["SEQUENCE"])

    before = sequence()
    with Session(demo_copy) as db:
        event = db.exec(select(m.Event).where(m.Event.slug == "cop29")).one()
        event_id, revision = event.id, event.revision
    update_record(demo_copy, "event", event_id, revision, {"venue_en": "Baku Expo Center"}, origin="form")
    assert sequence() > before


def test_export_ics_default_path_and_errors(demo, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path = export_ics(demo, "event", "cop29", "ja", "public")
    assert path == tmp_path / "exports" / "event-cop29-public-ja.ics"  # told as an absolute path
    parse(path.read_bytes())
    assert export_ics(demo, "all", None, "en", "internal") == tmp_path / "exports" / "all-all-internal-en.ics"
    for args in (("week", None, "en", "public"), ("event", "cop29", "fr", "public"),
                 ("event", "cop29", "en", "everyone"), ("event", None, "en", "public"),
                 ("event", "no-such-event", "en", "public"), ("city", "atlantis", "en", "public"),
                 ("all", "cop29", "en", "public"), ("event", "../x", "en", "public")):
        with pytest.raises(CitynetError) as caught:
            export_ics(demo, *args)
        assert "\n" not in str(caught.value)


def test_internal_event_stays_out_of_public_calendars(demo_copy):
    with Session(demo_copy) as db:
        event = db.exec(select(m.Event).where(m.Event.slug == "cop29")).one()
        event_id, revision = event.id, event.revision
    update_record(demo_copy, "event", event_id, revision, {"visibility": "internal"}, origin="form")
    with pytest.raises(CitynetError, match="internal"):
        calendar_data(demo_copy, "event", "cop29", "public")
    parse(render_calendar(calendar_data(demo_copy, "event", "cop29", "internal"), "en"))
    cal = parse(render_calendar(calendar_data(demo_copy, "all", None, "public"), "en"))
    assert entry_uid("event", "cop29") not in events_by_uid(cal)
    assert entry_uid("session", "cop29-press-conference") not in events_by_uid(cal)


def test_daylight_saving_zone_gets_outlook_shaped_rules(demo_copy):
    """A Mannheim event with sessions in summer and winter time: one RRULE pair, right instants."""
    berlin = ZoneInfo("Europe/Berlin")
    with Session(demo_copy) as db:
        event = m.Event(slug="mannheim-visit", kind="inbound_visit", title_en="Mannheim visit",
                        start_date=datetime(2025, 3, 1).date(), end_date=datetime(2025, 12, 1).date(),
                        timezone="Europe/Berlin", visibility="public", status="confirmed")
        db.add(event)
        db.flush()
        for slug, local in (("summer-talk", datetime(2025, 7, 1, 10, 0)), ("winter-talk", datetime(2025, 11, 20, 10, 0))):
            start = local.replace(tzinfo=berlin).astimezone(UTC)
            db.add(m.Session(slug=slug, event_id=event.id, kind="meeting", title_en=slug,
                             starts_at=start, ends_at=start + timedelta(hours=1)))
        db.commit()
    cal = parse(render_calendar(calendar_data(demo_copy, "event", "mannheim-visit", "public"), "en"))
    lint(cal)
    (vtz,) = cal.walk("VTIMEZONE")
    assert str(vtz["TZID"]) == "Europe/Berlin"
    assert sorted(c.name for c in vtz.subcomponents) == ["DAYLIGHT", "STANDARD"]
    assert all("RRULE" in c for c in vtz.subcomponents)
    embedded = vtz.to_tz(lookup_tzid=False)
    by_summary = {str(e["SUMMARY"]): e for e in cal.walk("VEVENT")}
    summer = by_summary["summer-talk"]["DTSTART"].dt
    winter = by_summary["winter-talk"]["DTSTART"].dt
    assert summer.replace(tzinfo=embedded).astimezone(UTC) == datetime(2025, 7, 1, 8, 0, tzinfo=UTC)
    assert winter.replace(tzinfo=embedded).astimezone(UTC) == datetime(2025, 11, 20, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize("tzid", ["Africa/Casablanca", "Africa/El_Aaiun", "Pacific/Fiji",
                                  "America/Santiago", "Australia/Lord_Howe", "Asia/Tehran"])
def test_every_zone_is_described_as_tzdata_has_it(demo_copy, tzid):
    """Zones whose clocks change irregularly (Ramadan in Morocco, Fiji's dropped summer time, a
    30-minute change on Lord Howe) get a VTIMEZONE built from tzdata's own transitions: a parser
    reading only the file places every session at the instant tzdata gives."""
    zone = ZoneInfo(tzid)
    locals_ = [datetime(year, month, day, 10, 0) for year in (2019, 2022, 2024, 2026)
               for month, day in ((1, 15), (4, 20), (5, 10), (7, 1), (10, 5), (12, 20))]
    with Session(demo_copy) as db:
        event = m.Event(slug="zone-tour", kind="meeting", title_en="Zone tour",
                        start_date=locals_[0].date(), end_date=locals_[-1].date(), timezone=tzid,
                        visibility="public", status="confirmed")
        db.add(event)
        db.flush()
        for n, local in enumerate(locals_):
            start = local.replace(tzinfo=zone).astimezone(UTC)
            db.add(m.Session(slug=f"zone-talk-{n}", event_id=event.id, kind="meeting",
                             title_en=f"talk {n}", starts_at=start, ends_at=start + timedelta(hours=1)))
        db.commit()
    # parse() runs the validating readers; the Outlook shape of lint() (one rule pair) cannot
    # hold for a zone without one yearly rule: those keep the RDATE form
    cal = parse(render_calendar(calendar_data(demo_copy, "event", "zone-tour", "public"), "en"))
    (vtz,) = [v for v in cal.walk("VTIMEZONE") if str(v["TZID"]) == tzid]
    embedded = vtz.to_tz(lookup_tzid=False)
    talks = {str(e["SUMMARY"]): e for e in cal.walk("VEVENT") if str(e["SUMMARY"]).startswith("talk")}
    assert len(talks) == len(locals_)
    for n, local in enumerate(locals_):
        wall = talks[f"talk {n}"]["DTSTART"].dt
        assert wall.replace(tzinfo=None) == local
        assert wall.replace(tzinfo=embedded).utcoffset() == zone.utcoffset(local), (tzid, local)


def test_renaming_a_slug_keeps_the_calendar_uid(demo_copy):
    """Subscribers see the same item after an officer renames a session's or an event's slug."""
    from citynet.services.records import find_by_slug

    before = parse(render_calendar(calendar_data(demo_copy, "event", "cop29", "public"), "en"))
    session = find_by_slug(demo_copy, "session", "cop29-press-conference")
    event = find_by_slug(demo_copy, "event", "cop29")
    old_session_uid = entry_uid("session", "cop29-press-conference")  # what subscribers already have
    assert old_session_uid in events_by_uid(before)
    update_record(demo_copy, "session", session["id"], session["revision"],
                  {"slug": "cop29-press-briefing"}, origin="form")
    update_record(demo_copy, "event", event["id"], event["revision"], {"slug": "cop-29-baku"},
                  origin="form")
    after = parse(render_calendar(calendar_data(demo_copy, "event", "cop-29-baku", "public"), "en"))
    assert set(events_by_uid(after)) == set(events_by_uid(before))
    moved = events_by_uid(after)[old_session_uid]
    assert int(moved["SEQUENCE"]) > int(events_by_uid(before)[old_session_uid]["SEQUENCE"])
    assert entry_uid("session", "cop29-press-briefing") not in events_by_uid(after)
