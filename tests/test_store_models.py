"""The constraints of the model that users rely on, checked on a real, migrated database
(SQLite and PostgreSQL): each rule is shown both to accept a valid row and to refuse a bad one,
and the refusal is traced to the constraint that should cause it."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError, StatementError
from sqlmodel import Session, select

from citynet.store import models as m

BAKU = ZoneInfo("Asia/Baku")
TOKYO = ZoneInfo("Asia/Tokyo")


# --- helpers ------------------------------------------------------------------------------------


def add(engine, *rows):
    """Insert rows in one transaction; return them refreshed (ids loaded)."""
    with Session(engine, expire_on_commit=False) as session:
        session.add_all(rows)
        session.commit()
        for row in rows:
            session.refresh(row)
    return rows[0] if len(rows) == 1 else rows


def refused(engine, row, *markers: str) -> str:
    """Inserting ``row`` fails with IntegrityError whose message names one of ``markers``
    (a constraint, index or column name); the table is left as it was."""
    table = type(row).__table__
    before = count(engine, table)
    with Session(engine) as session:
        session.add(row)
        with pytest.raises(IntegrityError) as caught:
            session.flush()
        session.rollback()
    message = str(caught.value.orig)
    if markers:
        assert any(marker in message for marker in markers), \
            f"refused for another reason than {markers}: {message}"
    assert count(engine, table) == before
    return message


def count(engine, table) -> int:
    with engine.connect() as connection:
        return connection.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()


def city(slug="baku", **kw):
    kw.setdefault("country", "AZ")
    kw.setdefault("timezone", "Asia/Baku")
    kw.setdefault("name_en", slug.title())
    return m.City(slug=slug, **kw)


def event(slug="summit", city_id=None, **kw):
    kw.setdefault("kind", "summit")
    kw.setdefault("timezone", "Asia/Baku")
    return m.Event(slug=slug, city_id=city_id, **kw)


@pytest.fixture
def world(engine):
    """A small graph most tests hang rows on: ids only, so tests can build fresh rows."""
    saitama = add(engine, city("saitama", country="JP", timezone="Asia/Tokyo", is_home=True))
    baku = add(engine, city("baku"))
    org = add(engine, m.Organisation(slug="iclei", kind="ngo", name_en="ICLEI"))
    network = add(engine, m.Network(slug="cities-net", name_en="Cities Net"))
    person = add(engine, m.Person(slug="jane-doe", family_name_latin="Doe", given_name_latin="Jane",
                                  name_order="given_first"))
    position = add(engine, m.Position(slug="baku-mayor", city_id=baku.id, person_id=person.id,
                                      title_en="Mayor"))
    ev = add(engine, event("summit", city_id=baku.id, start_date=date(2026, 5, 1),
                           end_date=date(2026, 5, 3)))
    session = add(engine, m.Session(slug="opening", event_id=ev.id, kind="plenary"))
    project = add(engine, m.Project(slug="green", city_id=saitama.id, title_en="Green"))
    return dict(home=saitama.id, city=baku.id, org=org.id, network=network.id, person=person.id,
                position=position.id, event=ev.id, session=session.id, project=project.id)


# --- unique slugs -------------------------------------------------------------------------------

SLUGGED = {
    "city": lambda w, slug: city(slug),
    "organisation": lambda w, slug: m.Organisation(slug=slug, kind="ngo"),
    "network": lambda w, slug: m.Network(slug=slug),
    "person": lambda w, slug: m.Person(slug=slug, family_name_ja="山田"),
    "position": lambda w, slug: m.Position(slug=slug, city_id=w["city"]),
    "event": lambda w, slug: event(slug),
    "session": lambda w, slug: m.Session(slug=slug, event_id=w["event"], kind="seminar"),
    "relationship": lambda w, slug: m.Relationship(slug=slug, city_id=w["city"], kind="sister"),
    "milestone": lambda w, slug: m.Milestone(slug=slug, city_id=w["home"], when="2009"),
    "project": lambda w, slug: m.Project(slug=slug, city_id=w["home"]),
    "key_figure": lambda w, slug: m.KeyFigure(slug=slug, city_id=w["home"], kind="actual",
                                              value=1.0, unit="%"),
}


def test_every_table_with_a_slug_is_covered():
    # (change.slug only repeats the slug of the record a change was made to: not unique)
    slugged = {t.__tablename__ for t in m.ALL_TABLES if "slug" in t.__table__.c and t.__table__.c.slug.unique}
    assert slugged == set(SLUGGED)


@pytest.mark.parametrize("table", sorted(SLUGGED))
def test_slugs_are_unique(engine, world, table):
    make = SLUGGED[table]
    add(engine, make(world, "dup-slug"))
    refused(engine, make(world, "dup-slug"), "slug")
    add(engine, make(world, "other-slug"))  # a different slug is fine


# --- the home city ------------------------------------------------------------------------------


def test_only_one_home_city(engine):
    add(engine, city("saitama", country="JP", timezone="Asia/Tokyo", is_home=True))
    refused(engine, city("tokyo", country="JP", timezone="Asia/Tokyo", is_home=True),
            "uq_city_home", "is_home")
    # The index is partial: any number of cities that are not home.
    add(engine, city("baku"), city("hue", country="VN", timezone="Asia/Ho_Chi_Minh"),
        city("pittsburgh", country="US", timezone="America/New_York"))
    with Session(engine) as session:
        homes = session.exec(select(m.City).where(m.City.is_home)).all()
    assert [c.slug for c in homes] == ["saitama"]


def test_home_city_can_move(engine):
    old = add(engine, city("saitama", country="JP", timezone="Asia/Tokyo", is_home=True))
    with Session(engine) as session:
        row = session.get(m.City, old.id)
        row.is_home = False
        session.add(city("tokyo", country="JP", timezone="Asia/Tokyo", is_home=True))
        session.commit()
    with Session(engine) as session:
        assert session.exec(select(m.City.slug).where(m.City.is_home)).all() == ["tokyo"]


def test_country_is_two_letters(engine):
    # One letter fits the column on both engines, so the CHECK itself must refuse it.
    refused(engine, city("x", country="J"), "ck_city_country")


# --- events -------------------------------------------------------------------------------------


def test_event_end_date_before_start_refused(engine, world):
    refused(engine, event("backwards", start_date=date(2026, 5, 3), end_date=date(2026, 5, 1)),
            "ck_event_dates")
    # End is inclusive: a one-day event may end the day it starts.
    one_day = add(engine, event("one-day", start_date=date(2026, 5, 3), end_date=date(2026, 5, 3)))
    assert one_day.end_date == date(2026, 5, 3)


def test_event_end_date_needs_start(engine):
    refused(engine, event("no-start", end_date=date(2026, 5, 3)), "ck_event_end_needs_start")
    # Dates may both be unknown.
    add(engine, event("undated"))


def test_event_attendance_window_ordered(engine):
    refused(engine, event("attend", start_date=date(2026, 5, 1), end_date=date(2026, 5, 9),
                          attend_start=date(2026, 5, 5), attend_end=date(2026, 5, 4)),
            "ck_event_attend_dates")
    add(engine, event("attend-ok", start_date=date(2026, 5, 1), end_date=date(2026, 5, 9),
                      attend_start=date(2026, 5, 4), attend_end=date(2026, 5, 5)))


# --- sessions -----------------------------------------------------------------------------------


def test_session_end_before_start_refused(engine, world):
    start = datetime(2026, 5, 1, 13, 0, tzinfo=BAKU)
    refused(engine, m.Session(slug="s1", event_id=world["event"], kind="seminar",
                              starts_at=start, ends_at=start - timedelta(minutes=30)),
            "ck_session_times")
    add(engine, m.Session(slug="s2", event_id=world["event"], kind="seminar",
                          starts_at=start, ends_at=start + timedelta(minutes=90)))


def test_session_times_compared_as_instants_not_wall_clock(engine, world):
    start = datetime(2026, 5, 1, 9, 0, tzinfo=timezone.utc)
    # 12:00 in Baku is 08:00 UTC: later on the wall clock, an hour earlier in fact.
    refused(engine, m.Session(slug="s1", event_id=world["event"], kind="seminar", starts_at=start,
                              ends_at=datetime(2026, 5, 1, 12, 0, tzinfo=BAKU)),
            "ck_session_times")
    # 13:00 Baku (09:00 UTC) to 09:30 UTC: earlier on the wall clock, half an hour later in fact.
    add(engine, m.Session(slug="s2", event_id=world["event"], kind="seminar",
                          starts_at=datetime(2026, 5, 1, 13, 0, tzinfo=BAKU),
                          ends_at=datetime(2026, 5, 1, 9, 30, tzinfo=timezone.utc)))


def test_session_end_needs_start(engine, world):
    refused(engine, m.Session(slug="s1", event_id=world["event"], kind="seminar",
                              ends_at=datetime(2026, 5, 1, 9, 0, tzinfo=timezone.utc)),
            "ck_session_end_needs_start")
    # A session known only to the day has no instants.
    add(engine, m.Session(slug="s2", event_id=world["event"], kind="seminar", day=date(2026, 5, 1)))


def test_session_needs_an_existing_event(engine, world):
    refused(engine, m.Session(slug="orphan", event_id=world["event"] + 1000, kind="seminar"),
            "FOREIGN KEY", "foreign key", "event")


# --- memberships and positions: exactly one body ------------------------------------------------


def test_membership_is_a_city_or_an_organisation(engine, world):
    n = world["network"]
    add(engine, m.Membership(network_id=n, city_id=world["city"]))
    add(engine, m.Membership(network_id=n, organisation_id=world["org"]))
    refused(engine, m.Membership(network_id=n, city_id=world["city"], organisation_id=world["org"]),
            "ck_membership_member")
    refused(engine, m.Membership(network_id=n), "ck_membership_member")


def test_position_is_at_a_city_or_an_organisation(engine, world):
    refused(engine, m.Position(slug="both", city_id=world["city"], organisation_id=world["org"]),
            "ck_position_body")
    refused(engine, m.Position(slug="neither", person_id=world["person"]), "ck_position_body")
    add(engine, m.Position(slug="org-chair", organisation_id=world["org"], person_id=world["person"]))


def test_position_holder_is_optional(engine, world):
    vacant = add(engine, m.Position(slug="deputy-mayor", city_id=world["city"], title_en="Deputy Mayor"))
    with Session(engine) as session:
        assert session.get(m.Position, vacant.id).person_id is None


# --- session participants -----------------------------------------------------------------------


def test_participant_is_a_person_or_a_position(engine, world):
    s = world["session"]
    add(engine, m.SessionParticipant(session_id=s, person_id=world["person"], role="speaker"))
    add(engine, m.SessionParticipant(session_id=s, position_id=world["position"], role="host"))
    refused(engine, m.SessionParticipant(session_id=s, role="panelist"), "ck_participant_who")


# --- vocabularies -------------------------------------------------------------------------------

# (table, column, a valid value, factory building a row with that column set)
VOCABULARIES = [
    ("event", "kind", m.EVENT_KINDS, lambda w, **kw: event("ev-v", **{"kind": "summit", **kw})),
    ("event", "status", m.EVENT_STATUSES, lambda w, **kw: event("ev-v", **kw)),
    ("event", "visibility", m.VISIBILITIES, lambda w, **kw: event("ev-v", **kw)),
    ("session", "kind", m.SESSION_KINDS,
     lambda w, **kw: m.Session(slug="s-v", event_id=w["event"], **{"kind": "seminar", **kw})),
    ("session", "status", m.SESSION_STATUSES,
     lambda w, **kw: m.Session(slug="s-v", event_id=w["event"], kind="seminar", **kw)),
    ("session", "visibility", m.VISIBILITIES,
     lambda w, **kw: m.Session(slug="s-v", event_id=w["event"], kind="seminar", **kw)),
    ("session_participant", "role", m.PARTICIPANT_ROLES,
     lambda w, **kw: m.SessionParticipant(session_id=w["session"], person_id=w["person"], **kw)),
    ("organisation_role", "role", m.ORGANISATION_ROLES,
     lambda w, **kw: m.OrganisationRole(event_id=w["event"], organisation_id=w["org"], **kw)),
    ("relationship", "kind", m.RELATIONSHIP_KINDS,
     lambda w, **kw: m.Relationship(slug="r-v", city_id=w["city"], **{"kind": "sister", **kw})),
    ("relationship", "status", m.RELATIONSHIP_STATUSES,
     lambda w, **kw: m.Relationship(slug="r-v", city_id=w["city"], kind="sister", **kw)),
    ("organisation", "kind", m.ORGANISATION_KINDS,
     lambda w, **kw: m.Organisation(slug="o-v", **{"kind": "ngo", **kw})),
    ("person", "name_order", m.NAME_ORDERS,
     lambda w, **kw: m.Person(slug="p-v", family_name_ja="山田", **kw)),
    ("project_partner", "role", m.PROJECT_PARTNER_ROLES,
     lambda w, **kw: m.ProjectPartner(project_id=w["project"], organisation_id=w["org"], **kw)),
    ("key_figure", "kind", m.KEY_FIGURE_KINDS,
     lambda w, **kw: m.KeyFigure(slug="k-v", city_id=w["home"], value=1.0, unit="%",
                                 **{"kind": "actual", **kw})),
    ("registration", "category", m.REGISTRATION_CATEGORIES,
     lambda w, **kw: m.Registration(event_id=w["event"], name="A. Guest", **kw)),
]


@pytest.mark.parametrize("table, column, values, make", VOCABULARIES,
                         ids=[f"{t}.{c}" for t, c, _, _ in VOCABULARIES])
def test_vocabulary_refuses_unknown_values(engine, world, table, column, values, make):
    constraint = "ck_participant_role" if table == "session_participant" else f"ck_{table}_{column}"
    for bad in ("bogus", values[0].upper(), ""):
        refused(engine, make(world, **{column: bad}), constraint)
    # Every value of the vocabulary is accepted (the CHECK and the Python tuple agree).
    for value in values:
        row = add(engine, make(world, **{column: value}))
        with Session(engine) as session:
            assert getattr(session.get(type(row), row.id), column) == value
            session.delete(session.get(type(row), row.id))
            session.commit()


# --- foreign keys -------------------------------------------------------------------------------


def test_deleting_a_city_referenced_by_an_event_fails(engine, world):
    with Session(engine) as session:
        session.delete(session.get(m.City, world["city"]))
        with pytest.raises(IntegrityError):
            session.flush()
        session.rollback()
    with Session(engine) as session:
        assert session.get(m.City, world["city"]) is not None
        assert session.get(m.Event, world["event"]).city_id == world["city"]


def test_deleting_an_unreferenced_city_works(engine):
    lone = add(engine, city("lone"))
    with Session(engine) as session:
        session.delete(session.get(m.City, lone.id))
        session.commit()
    assert count(engine, m.City.__table__) == 0


def test_event_must_reference_an_existing_city(engine):
    refused(engine, event("nowhere", city_id=424242))


def test_raw_delete_bypassing_the_orm_is_refused_too(engine, world):
    # Foreign keys are enforced by the database itself (PRAGMA foreign_keys on SQLite).
    with pytest.raises(IntegrityError):
        with engine.begin() as connection:
            connection.execute(sa.delete(m.City.__table__).where(m.City.__table__.c.id == world["city"]))
    assert count(engine, m.City.__table__) == 2


# --- datetimes ----------------------------------------------------------------------------------


def test_session_times_come_back_aware_in_utc(engine, world):
    row = add(engine, m.Session(slug="talks", event_id=world["event"], kind="high_level_talks",
                                starts_at=datetime(2026, 5, 1, 13, 0, tzinfo=BAKU),
                                ends_at=datetime(2026, 5, 1, 14, 30, tzinfo=BAKU)))
    with Session(engine) as session:  # a fresh session: values come from the database
        back = session.get(m.Session, row.id)
        assert back.starts_at == datetime(2026, 5, 1, 9, 0, tzinfo=timezone.utc)
        assert back.starts_at.utcoffset() == timedelta(0)
        assert (back.starts_at.hour, back.starts_at.minute) == (9, 0)
        assert back.ends_at == datetime(2026, 5, 1, 10, 30, tzinfo=timezone.utc)
        assert back.ends_at.utcoffset() == timedelta(0)
        # Shown in the venue's zone it is 13:00 again.
        assert back.starts_at.astimezone(BAKU).replace(tzinfo=None) == datetime(2026, 5, 1, 13, 0)


def test_querying_by_instant_works_across_zones(engine, world):
    add(engine, m.Session(slug="talks", event_id=world["event"], kind="meeting",
                          starts_at=datetime(2026, 5, 1, 13, 0, tzinfo=BAKU)))
    with Session(engine) as session:
        # 18:00 in Tokyo is the same instant as 13:00 in Baku.
        same = session.exec(select(m.Session.slug).where(
            m.Session.starts_at == datetime(2026, 5, 1, 18, 0, tzinfo=TOKYO))).all()
        later = session.exec(select(m.Session.slug).where(
            m.Session.starts_at > datetime(2026, 5, 1, 17, 59, tzinfo=TOKYO))).all()
    assert same == ["talks"]
    assert later == ["talks"]


def test_record_timestamps_are_aware_utc(engine, world):
    with Session(engine) as session:
        home = session.get(m.City, world["home"])
        for value in (home.created_at, home.updated_at):
            assert value.tzinfo is not None and value.utcoffset() == timedelta(0)
            assert abs(datetime.now(timezone.utc) - value) < timedelta(minutes=5)


def test_naive_datetimes_are_refused(engine, world):
    with Session(engine) as session:
        session.add(m.Session(slug="naive", event_id=world["event"], kind="meeting",
                              starts_at=datetime(2026, 5, 1, 13, 0)))
        with pytest.raises(StatementError):
            session.flush()
        session.rollback()
    assert count(engine, m.Session.__table__) == 1
