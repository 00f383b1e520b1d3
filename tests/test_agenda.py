"""The agenda's read model (``citynet.services.agenda``) on SQLite and PostgreSQL: which day a
session falls on in home time and in the venue's time, sessions known only to the day, events
over several days, the home city's people, day / week / month ranges."""

from __future__ import annotations

from datetime import date

import pytest

from citynet.services import agenda as ag
from citynet.services.records import create_record

HOME_TZ = "Asia/Tokyo"


def _add(engine, kind, values):
    return create_record(engine, kind, values, origin="form").id


@pytest.fixture
def store(engine):
    """Saitama (home, Tokyo time), Baku (UTC+4) and Paris; an event in Baku with sessions at
    13:00 and 23:30 Baku time, one known only to the day, one with no date; a three-day event
    without sessions; an event in Paris; the Mayor of Saitama in one of the sessions, a person
    holding a post of the home city (taking part without the post named) in another."""
    home = _add(engine, "city", {"slug": "saitama", "name_ja": "さいたま市", "name_en": "Saitama",
                                 "country": "JP", "timezone": HOME_TZ, "is_home": True})
    baku = _add(engine, "city", {"slug": "baku", "name_ja": "バクー", "name_en": "Baku",
                                 "country": "AZ", "timezone": "Asia/Baku"})
    paris = _add(engine, "city", {"slug": "paris", "name_en": "Paris", "country": "FR",
                                  "timezone": "Europe/Paris"})
    mayor = _add(engine, "person", {"slug": "mayor", "family_name_latin": "Shimizu",
                                    "given_name_latin": "Hayato"})
    aide = _add(engine, "person", {"slug": "aide", "family_name_latin": "Sato",
                                   "given_name_latin": "Ai"})
    guest = _add(engine, "person", {"slug": "guest", "family_name_latin": "Doe",
                                    "given_name_latin": "Jane"})
    post = _add(engine, "position", {"slug": "mayor-of-saitama", "title_en": "Mayor",
                                     "person_id": mayor, "city_id": home})
    _add(engine, "position", {"slug": "saitama-aide", "title_en": "Aide", "person_id": aide,
                              "city_id": home})
    conf = _add(engine, "event", {"slug": "conf", "kind": "conference", "title_en": "Conference",
                                  "title_ja": "会議", "status": "confirmed",
                                  "start_date": "2024-11-11", "end_date": "2024-11-22",
                                  "timezone": "Asia/Baku", "city_id": baku})
    press = _add(engine, "session", {"slug": "press", "event_id": conf, "kind": "press_conference",
                                     "title_en": "Press conference",
                                     "starts_at": "2024-11-11 13:00",
                                     "ends_at": "2024-11-11 13:30"})
    late = _add(engine, "session", {"slug": "late", "event_id": conf, "kind": "other",
                                    "title_en": "Late reception", "starts_at": "2024-11-12 23:30",
                                    "ends_at": "2024-11-13 00:30"})
    _add(engine, "session", {"slug": "pavilion", "event_id": conf, "kind": "seminar",
                             "title_en": "Pavilion seminar", "day": "2024-11-14"})
    _add(engine, "session", {"slug": "undated", "event_id": conf, "kind": "seminar",
                             "title_en": "Some seminar"})
    _add(engine, "participant", {"session_id": press, "position_id": post, "role": "speaker"})
    _add(engine, "participant", {"session_id": late, "person_id": guest, "role": "participant"})
    _add(engine, "event", {"slug": "fair", "kind": "meeting", "title_en": "Trade fair",
                           "status": "planned", "start_date": "2024-11-29",
                           "end_date": "2024-12-01", "timezone": HOME_TZ, "city_id": home})
    expo = _add(engine, "event", {"slug": "expo", "kind": "meeting", "title_en": "Paris expo",
                                  "status": "planned", "start_date": "2024-11-15",
                                  "timezone": "Europe/Paris", "city_id": paris})
    talk = _add(engine, "session", {"slug": "talk", "event_id": expo, "kind": "other",
                                    "title_en": "Talk", "starts_at": "2024-11-15 10:00"})
    _add(engine, "participant", {"session_id": talk, "person_id": aide, "role": "speaker"})
    return engine


def _rows(result, kind=None):
    return [(i.day, i.slug, i.starts.strftime("%H:%M") if i.starts else None)
            for i in result.items if kind is None or i.kind == kind]


def test_a_session_at_13_00_in_baku_is_at_18_00_the_same_day_in_home_time(store):
    day = date(2024, 11, 11)
    home = ag.agenda(store, day, date(2024, 11, 12), "home", HOME_TZ)
    local = ag.agenda(store, day, date(2024, 11, 12), "local", HOME_TZ)
    assert (day, "press", "18:00") in _rows(home, "session")
    assert (day, "press", "13:00") in _rows(local, "session")
    press = next(i for i in home.items if i.slug == "press")
    assert press.ends.strftime("%H:%M") == "18:30" and press.event_slug == "conf"
    assert press.city.en == "Baku" and press.title.en == "Press conference"


def test_a_session_at_23_30_in_baku_lands_on_the_next_day_in_home_time(store):
    local = ag.agenda(store, *ag.span_range(date(2024, 11, 12), "day"), "local", HOME_TZ)
    assert (date(2024, 11, 12), "late", "23:30") in _rows(local, "session")
    home_12 = ag.agenda(store, *ag.span_range(date(2024, 11, 12), "day"), "home", HOME_TZ)
    assert "late" not in [i.slug for i in home_12.items]
    home_13 = ag.agenda(store, *ag.span_range(date(2024, 11, 13), "day"), "home", HOME_TZ)
    assert (date(2024, 11, 13), "late", "04:30") in _rows(home_13, "session")


def test_the_home_zone_defaults_to_the_home_citys(store):
    result = ag.agenda(store, date(2024, 11, 11), date(2024, 11, 12))
    assert result.home_tz == HOME_TZ
    assert (date(2024, 11, 11), "press", "18:00") in _rows(result, "session")


def test_a_week_holds_its_days_sessions_and_each_day_of_the_events(store):
    start, end = ag.span_range(date(2024, 11, 13), "week")  # Wednesday
    assert (start, end) == (date(2024, 11, 11), date(2024, 11, 18))  # Monday to Sunday
    week = ag.agenda(store, start, end, "home", HOME_TZ)
    sessions = _rows(week, "session")
    assert sessions == [(date(2024, 11, 11), "press", "18:00"), (date(2024, 11, 13), "late", "04:30"),
                        (date(2024, 11, 14), "pavilion", None),
                        (date(2024, 11, 15), "talk", "18:00")]  # 10:00 in Paris (UTC+1)
    conf_days = [i for i in week.items if i.slug == "conf"]
    assert [i.day for i in conf_days] == week.days()  # every day of the week: 11-17 Nov
    assert [i.day_of for i in conf_days] == [(n, 12) for n in range(1, 8)]
    assert all(i.all_day for i in conf_days)
    assert [i.slug for i in week.items if i.day == date(2024, 11, 15)] == ["conf", "expo", "talk"]
    assert "undated" not in [i.slug for i in week.items]  # no day, no time: not in an agenda


def test_a_day_only_session_is_on_its_day_in_both_displays(store):
    for mode in ("home", "local"):
        day = ag.agenda(store, date(2024, 11, 14), date(2024, 11, 15), mode, HOME_TZ)
        pavilion = [i for i in day.items if i.slug == "pavilion"]
        assert len(pavilion) == 1 and pavilion[0].starts is None
        assert pavilion[0].day == date(2024, 11, 14)


def test_a_month_holds_an_event_over_its_end_only_on_the_months_days(store):
    start, end = ag.span_range(date(2024, 11, 20), "month")
    assert (start, end) == (date(2024, 11, 1), date(2024, 12, 1))
    november = ag.agenda(store, start, end, "home", HOME_TZ)
    fair = [(i.day, i.day_of) for i in november.items if i.slug == "fair"]
    assert fair == [(date(2024, 11, 29), (1, 3)), (date(2024, 11, 30), (2, 3))]
    assert len([i for i in november.items if i.slug == "conf"]) == 12  # 11-22 November
    december = ag.agenda(store, *ag.span_range(date(2024, 12, 1), "month"), "home", HOME_TZ)
    assert [(i.day, i.day_of) for i in december.items] == [(date(2024, 12, 1), (3, 3))]
    assert ag.agenda(store, date(2024, 10, 1), date(2024, 11, 1), "home", HOME_TZ).items == ()


def test_rows_in_a_day_all_day_first_then_by_time(store):
    day = ag.agenda(store, date(2024, 11, 15), date(2024, 11, 16), "home", HOME_TZ)
    assert [(i.kind, i.slug) for i in day.items] == [("event", "conf"), ("event", "expo"),
                                                     ("session", "talk")]
    assert day.items[0].status == "confirmed"  # a code: the screens say it in words


def test_home_people_are_marked(store):
    marked = {i.slug: i.home_people
              for i in ag.agenda(store, date(2024, 11, 11), date(2024, 11, 18), "local",
                                 HOME_TZ).items}
    assert marked["press"] is True  # the Mayor of Saitama, in his post
    assert marked["talk"] is True  # a person holding a post of the home city
    assert marked["late"] is False and marked["pavilion"] is False  # others only, or nobody
    assert marked["conf"] is True and marked["expo"] is True  # an event: one of its sessions


def test_spans_and_steps():
    assert ag.span_range(date(2024, 2, 29), "month") == (date(2024, 2, 1), date(2024, 3, 1))
    assert ag.span_range(date(2024, 11, 17), "week") == (date(2024, 11, 11), date(2024, 11, 18))
    assert ag.step(date(2024, 1, 31), "month", 1) == date(2024, 2, 29)
    assert ag.step(date(2024, 12, 15), "month", 1) == date(2025, 1, 15)
    assert ag.step(date(2024, 1, 15), "month", -1) == date(2023, 12, 15)
    assert ag.step(date(2024, 11, 12), "week", -1) == date(2024, 11, 5)
    assert ag.step(date(2024, 11, 30), "day", 1) == date(2024, 12, 1)


def test_a_range_is_fixed_queries_whatever_its_length(store):
    import sqlalchemy as sa

    counted = []

    def count(*_args):
        counted.append(1)

    sa.event.listen(store, "before_cursor_execute", count)
    try:
        for start, end in (ag.span_range(date(2024, 11, 12), s) for s in ag.SPANS):
            counted.clear()
            ag.agenda(store, start, end, "home", HOME_TZ)
            assert len(counted) == 4  # sessions timed, by day, events, home marks
    finally:
        sa.event.remove(store, "before_cursor_execute", count)


def test_a_day_under_a_heading_that_gives_the_year():
    from citynet.i18n.format import format_month_day

    assert format_month_day(date(2024, 11, 12), "ja") == "11月12日（火）"
    assert format_month_day(date(2024, 11, 12), "en") == "Tue 12 Nov"
    assert format_month_day(date(2025, 1, 5), "ja", weekday=False) == "1月5日"
