"""One read model: the events of a city, past / upcoming / undated, person and city labels.

The rules a user relies on, checked where the user sees them: the city detail screen of the
terminal UI, the city profile the PDF is built from, and the city calendar. The expected values
come from the records each test writes (or from the demo's source data), not from the code.
"""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import icalendar
import pytest
from sqlmodel import Session

from citynet.demo.loader import load_demo
from citynet.i18n import set_language
from citynet.render.ics import render_calendar
from citynet.services import dashboard, details, hits, lists, pickers
from citynet.services.calendar import calendar_data
from citynet.services.cities import city_profile
from citynet.services.search import rebuild_index
from citynet.services.readmodel import (
    city_label, date_not_recorded, event_timing, person_label,
)
from citynet.services.views import BiText
from citynet.store import models as m

TODAY = date(2026, 1, 15)


@pytest.fixture(autouse=True)
def english_ui():
    set_language("en")
    yield
    set_language("en")


# --- the rule itself ----------------------------------------------------------------------------


@pytest.mark.parametrize("status, start, end, timing, not_recorded", [
    ("held", None, None, "past", True),  # a visit that happened; its date was never written down
    ("cancelled", None, None, "past", True),
    ("held", date(2027, 3, 1), None, "past", False),  # held: over, whatever the dates say
    ("cancelled", date(2027, 3, 1), date(2027, 3, 2), "past", False),
    ("planned", None, None, "undated", False),  # not upcoming, not past: no date yet
    ("confirmed", None, None, "undated", False),
    ("postponed", None, None, "undated", False),
    ("planned", date(2026, 1, 10), date(2026, 1, 14), "past", False),  # ended yesterday
    ("confirmed", date(2026, 1, 10), date(2026, 1, 15), "upcoming", False),  # ends today
    ("planned", date(2026, 1, 15), None, "upcoming", False),  # one day, today
    ("planned", date(2026, 1, 14), None, "past", False),  # one day, yesterday
    ("postponed", date(2026, 4, 1), None, "upcoming", False),
])
def test_event_timing(status, start, end, timing, not_recorded):
    assert event_timing(status, start, end, TODAY) == timing
    assert date_not_recorded(status, start, end) is not_recorded


# --- one city, its events everywhere ------------------------------------------------------------

# slug: (status, start, end, how the event is linked to Testburg, or None for an unrelated event)
EVENTS = {
    "testburg-visit": ("held", None, None, "held in Testburg"),
    "testburg-plan": ("planned", None, None, "held in Testburg"),
    "summit-2020": ("held", date(2020, 5, 1), date(2020, 5, 3), "a Testburg office holder spoke"),
    "forum-2031": ("confirmed", date(2031, 6, 1), date(2031, 6, 2), "a Testburg body co-hosts"),
    "conference-2019": ("held", date(2019, 10, 10), None, "registered from Testburg"),
    "expo-2032": ("cancelled", date(2032, 4, 1), None, "held in Testburg"),
    "unrelated-2030": ("planned", date(2030, 1, 1), None, None),
}
PAST = {"testburg-visit", "summit-2020", "conference-2019", "expo-2032"}
UPCOMING = {"forum-2031"}
UNDATED = {"testburg-plan"}
OF_TESTBURG = PAST | UPCOMING | UNDATED


@pytest.fixture
def testburg(engine):
    """A home city, Testburg with its mayor and city office, another venue city and the events
    above (internal visibility, so the internal calendar shows them all)."""
    with Session(engine) as db:
        home = m.City(slug="hometown", name_ja="ホーム市", name_en="Hometown", country="JP",
                      timezone="Asia/Tokyo", is_home=True)
        testburg = m.City(slug="testburg", name_ja="テストブルク", name_en="Testburg", country="DE",
                          timezone="Europe/Berlin")
        elsewhere = m.City(slug="elsewhere", name_en="Elsewhere", country="FR",
                           timezone="Europe/Paris")
        db.add_all([home, testburg, elsewhere])
        db.flush()
        mayor = m.Person(slug="anna-beispiel", family_name_latin="Beispiel",
                         given_name_latin="Anna", name_order="given_first")
        db.add(mayor)
        db.flush()
        position = m.Position(slug="mayor-of-testburg", city_id=testburg.id, person_id=mayor.id,
                              title_en="Mayor of Testburg")
        office = m.Organisation(slug="testburg-city-office", kind="city_government",
                                name_en="Testburg City Office", city_id=testburg.id, country="DE")
        db.add_all([position, office])
        db.flush()
        events = {}
        for slug, (status, start, end, link) in EVENTS.items():
            venue = testburg if link == "held in Testburg" else elsewhere
            events[slug] = m.Event(slug=slug, kind="conference", title_en=slug.replace("-", " "),
                                   timezone=venue.timezone, city_id=venue.id, status=status,
                                   start_date=start, end_date=end, visibility="internal")
        db.add_all(events.values())
        db.flush()
        talk = m.Session(slug="summit-2020-talk", event_id=events["summit-2020"].id, kind="panel",
                         title_en="Talk", day=date(2020, 5, 2), status="held",
                         visibility="internal")
        db.add(talk)
        db.flush()
        db.add_all([
            m.SessionParticipant(session_id=talk.id, position_id=position.id, role="speaker"),
            m.OrganisationRole(event_id=events["forum-2031"].id, organisation_id=office.id,
                               role="co_host"),
            m.Registration(event_id=events["conference-2019"].id, category="overseas_city",
                           city_id=testburg.id, country="DE"),
        ])
        db.commit()
        written = {slug: (event.id, event.uuid) for slug, event in events.items()}
    # Written past the write path (which keeps the search index in step): index it here.
    with engine.begin() as connection:
        rebuild_index(connection)
    return written


def _slugs(rows) -> set[str]:
    return {row.slug for row in rows}


def _event_slugs(entries) -> set[str]:
    return {entry.event.slug for entry in entries if entry.event is not None}


def test_city_detail_lists_past_upcoming_and_undated(engine, testburg):
    detail = details.city_detail(engine, "testburg", today=TODAY)
    assert _slugs(detail.past_events) == PAST
    assert _slugs(detail.upcoming_events) == UPCOMING
    assert _slugs(detail.undated_events) == UNDATED
    # Past: newest first, the visit whose date was not recorded last.
    assert [e.slug for e in detail.past_events] == [
        "expo-2032", "summit-2020", "conference-2019", "testburg-visit"]


def test_the_tui_shows_a_held_visit_without_dates_as_past_date_not_recorded(engine, testburg):
    from citynet.tui.screens.detail import build_city

    built = build_city(details.city_detail(engine, "testburg", today=TODAY), "home", "Asia/Tokyo")
    sections = {section.title: section for section in built.sections}
    past = {key: cells for key, cells in sections["Past events"].rows}
    assert past["event:testburg-visit"][0] == "date not recorded"
    undated = {key: cells for key, cells in sections["Events without dates"].rows}
    assert undated == {"event:testburg-plan": undated["event:testburg-plan"]}
    assert undated["event:testburg-plan"][0] == "date to be confirmed"
    upcoming = {key for key, _cells in sections["Upcoming events"].rows}
    assert upcoming == {"event:forum-2031"}


def test_city_profile_splits_the_same_way(engine, testburg):
    profile = city_profile(engine, "testburg", today=TODAY)
    assert _event_slugs(profile.past) == PAST
    assert _event_slugs(profile.upcoming) == UPCOMING
    assert _event_slugs(profile.undated) == UNDATED
    visit = next(t for t in profile.past if t.event and t.event.slug == "testburg-visit")
    assert date_not_recorded(visit.event.status, visit.event.start_date, visit.event.end_date)


def test_the_same_events_of_a_city_in_the_ui_the_pdf_and_the_calendar(engine, testburg):
    detail = details.city_detail(engine, "testburg", today=TODAY)
    in_ui = _slugs(detail.past_events + detail.upcoming_events + detail.undated_events)
    profile = city_profile(engine, "testburg", today=TODAY)
    in_pdf = _event_slugs(profile.past + profile.upcoming + profile.undated)
    calendar = calendar_data(engine, "city", "testburg", "internal")
    in_calendar = {ev.event.slug for ev in calendar.events}
    assert in_ui == in_pdf == in_calendar == OF_TESTBURG

    # The exported file places every dated event of the city (an undated one has no day to go in).
    uids = {str(vevent["UID"]) for vevent in
            icalendar.Calendar.from_ical(render_calendar(calendar, "en")).walk("VEVENT")}
    dated = {slug for slug in OF_TESTBURG if EVENTS[slug][1] is not None}
    assert {testburg[slug][1] for slug in dated} <= uids
    assert testburg["unrelated-2030"][1] not in uids


def test_a_network_page_lists_the_events_its_calendar_holds(engine, testburg):
    """A network's events are its members' (Testburg's here; the home city, a member too, does
    not make every event the network's): the same on its page and in its calendar."""
    from citynet.services.records import create_record, find_by_slug

    network = create_record(engine, "network", {"slug": "testnet", "name_en": "Testnet"},
                            origin="form")
    for city in ("testburg", "hometown"):
        create_record(engine, "membership", {"network_id": network.id,
                                             "city_id": find_by_slug(engine, "city", city)["id"]},
                      origin="form")
    detail = details.network_detail(engine, "testnet", today=TODAY)
    on_page = _slugs(detail.past_events + detail.upcoming_events + detail.undated_events)
    calendar = calendar_data(engine, "network", "testnet", "internal")
    assert on_page == {ev.event.slug for ev in calendar.events} == OF_TESTBURG
    city = details.city_detail(engine, "testburg", today=TODAY)
    assert [e.slug for e in detail.past_events] == [e.slug for e in city.past_events]


def test_the_demo_visit_to_kuala_lumpur_is_past_date_not_recorded(tmp_path):
    """The demo's visit to Kuala Lumpur was held and its source gives no date."""
    from citynet.store.db import open_database

    engine = open_database(f"sqlite:///{tmp_path / 'demo.db'}")
    try:
        load_demo(engine)
        detail = details.city_detail(engine, "kuala-lumpur", today=TODAY)
        assert "kuala-lumpur-visit" in _slugs(detail.past_events)
        assert "kuala-lumpur-visit" not in _slugs(detail.upcoming_events + detail.undated_events)
        profile = city_profile(engine, "kuala-lumpur", today=TODAY)
        assert "kuala-lumpur-visit" in _event_slugs(profile.past)
        assert "kuala-lumpur-visit" not in _event_slugs(profile.upcoming + profile.undated)
    finally:
        engine.dispose()


# --- labels -------------------------------------------------------------------------------------


def _person(**names) -> SimpleNamespace:
    fields = dict.fromkeys(("family_name_ja", "given_name_ja", "family_name_latin",
                            "given_name_latin", "name_katakana"))
    return SimpleNamespace(**{**fields, "name_order": "family_first", **names})


def test_person_label_follows_the_name_order():
    japanese = _person(family_name_ja="清水", given_name_ja="勇人", family_name_latin="Shimizu",
                       given_name_latin="Hayato")
    assert person_label(japanese) == BiText("清水 勇人", "SHIMIZU Hayato")
    foreign = _person(family_name_latin="Kurz", given_name_latin="Peter", name_order="given_first")
    assert person_label(foreign) == BiText("Peter Kurz", "Peter Kurz")  # a name is not translated
    with_katakana = _person(family_name_latin="Kurz", given_name_latin="Peter",
                            name_order="given_first", name_katakana="ペーター・クルツ")
    assert person_label(with_katakana) == BiText("ペーター・クルツ", "Peter Kurz")
    unromanised = _person(family_name_ja="清水", given_name_ja="勇人")
    assert person_label(unromanised) == BiText("清水 勇人", None)


def test_one_label_per_person_and_city_across_the_ui(engine, testburg):
    anna = BiText("Anna Beispiel", "Anna Beispiel")  # given_first, no Japanese form
    person_hits = [h for h in hits.search(engine, "beispiel").hits if h.kind == "person"]
    assert [h.label for h in person_hits] == [anna]
    assert [c.label for c in pickers.choices(engine, "person", "beispiel")] == [anna]
    person_id = lists.list_page(engine, "person", "beispiel").rows[0].id
    assert pickers.choice_label(engine, "person", person_id).label == anna
    changes = dashboard.dashboard(engine, today=TODAY, limit=50).recent
    recent = [r.label for r in changes if r.kind == "person"]
    assert recent == [anna]

    testburg_label = BiText("テストブルク", "Testburg")
    city_row = lists.list_page(engine, "city", "testburg").rows[0]
    assert city_row.name == testburg_label
    assert [h.label for h in hits.search(engine, "testburg").hits if h.kind == "city"] == [
        testburg_label]
    assert pickers.choice_label(engine, "city", city_row.id).label == testburg_label
    [expo] = lists.list_page(engine, "event", "expo").rows
    assert expo.city == testburg_label  # the venue of an event row
    assert city_label(SimpleNamespace(name_ja="テストブルク", name_en="Testburg")) == testburg_label


def test_an_event_of_the_network_itself_counts_though_no_member_holds_it(engine, testburg):
    """An event recorded as the network's own (event.network_id: an Urban7 summit that a
    non-member city hosts) is on the network's page and in its calendar, like its members'."""
    from citynet.services.records import create_record, find_by_slug, update_record

    network = create_record(engine, "network", {"slug": "testnet", "name_en": "Testnet"},
                            origin="form")
    unrelated = find_by_slug(engine, "event", "unrelated-2030")
    assert "unrelated-2030" not in _slugs(details.network_detail(engine, "testnet", today=TODAY)
                                          .upcoming_events)
    update_record(engine, "event", unrelated["id"], unrelated["revision"],
                  {"network_id": network.id}, origin="form")
    detail = details.network_detail(engine, "testnet", today=TODAY)
    on_page = _slugs(detail.past_events + detail.upcoming_events + detail.undated_events)
    calendar = calendar_data(engine, "network", "testnet", "internal")
    assert on_page == {ev.event.slug for ev in calendar.events} == {"unrelated-2030"}


def test_the_demo_urban7_summit_is_an_urban7_event(tmp_path):
    """The 2025 Urban7 Mayors' Summit (held by Kobe, not a member) is on Urban7's page, and its
    briefing carries the Urban7 background."""
    from citynet.services.briefing import briefing_data
    from citynet.store.db import open_database

    engine = open_database(f"sqlite:///{tmp_path / 'demo.db'}")
    try:
        load_demo(engine)
        detail = details.network_detail(engine, "urban7", today=TODAY)
        assert "u7-summit-2025" in _slugs(detail.past_events)
        data = briefing_data(engine, "u7-summit-2025")
        assert [n.network.slug for n in data.networks] == ["urban7"]
    finally:
        engine.dispose()
