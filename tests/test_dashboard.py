"""The dashboard's "upcoming" list: what is on from now on, in time order, cut at the limit, the
same on SQLite and PostgreSQL (sessions with a time and sessions with only a day are read by two
statements and merged)."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from citynet.services import dashboard
from citynet.services.records import create_record

NOW = datetime(2024, 11, 11, 5, 0, tzinfo=timezone.utc)  # 14:00 in Tokyo
TODAY = date(2024, 11, 11)


@pytest.fixture
def conference(engine):
    def add(kind, values):
        return create_record(engine, kind, values, origin="cli").id

    tokyo = add("city", {"slug": "tokyo", "name_en": "Tokyo", "name_ja": "東京", "country": "JP",
                         "timezone": "Asia/Tokyo", "is_home": "yes"})
    conf = add("event", {"slug": "conf", "kind": "conference", "title_en": "Conference",
                         "start_date": "2024-11-10", "end_date": "2024-11-20",
                         "timezone": "Asia/Tokyo", "city_id": tokyo})
    # Created out of time order, so that neither id nor insertion order gives the answer.
    sessions = {
        "later-day": {"day": "2024-11-14"},
        "timed-13th": {"starts_at": "2024-11-13 10:00"},
        "timed-12th-evening": {"starts_at": "2024-11-12 15:00"},
        "day-12th": {"day": "2024-11-12"},
        "timed-12th-morning": {"starts_at": "2024-11-12 10:00"},
        "over-this-morning": {"starts_at": "2024-11-11 10:00"},  # 01:00 UTC: before now
        "day-today": {"day": "2024-11-11"},
        "day-yesterday": {"day": "2024-11-10"},
    }
    for slug, when in sessions.items():
        add("session", {"slug": slug, "event_id": conf, "kind": "meeting",
                        "title_en": slug.replace("-", " "), **when})
    return engine


# The event first (it started on the 10th and runs on), then the sessions from now on: a day
# without a time counts from its midnight.
IN_ORDER = ["conf", "day-today", "day-12th", "timed-12th-morning", "timed-12th-evening",
            "timed-13th", "later-day"]


def test_upcoming_is_in_time_order_and_cut_at_the_limit(conference):
    for limit in range(1, len(IN_ORDER) + 2):
        board = dashboard.dashboard(conference, today=TODAY, now=NOW, limit=limit)
        assert [u.slug for u in board.upcoming] == IN_ORDER[:limit], limit
        assert not board.upcoming_is_past


def test_nothing_ahead_shows_the_latest(conference):
    later = datetime(2025, 1, 1, tzinfo=timezone.utc)
    board = dashboard.dashboard(conference, today=later.date(), now=later, limit=12)
    assert board.upcoming_is_past
    assert board.upcoming[0].slug == "timed-13th"  # the latest session with a time


def test_events_ahead_running_ones_first_then_by_start(engine):
    """Events whose dates reach today: those still running (started before today) and those
    starting today or later, read by two statements and merged; in start order, cut at every
    limit. Over and undated events are not ahead."""
    tokyo = create_record(engine, "city", {"slug": "tokyo", "name_en": "Tokyo", "country": "JP",
                                           "timezone": "Asia/Tokyo", "is_home": "yes"}, origin="cli").id
    events = {  # created out of order: neither id nor insertion order gives the answer
        "starts-later": ("2024-11-20", None), "over": ("2024-11-01", "2024-11-10"),
        "running-since-5th": ("2024-11-05", "2024-11-30"), "starts-today": ("2024-11-11", None),
        "undated": (None, None), "running-since-1st": ("2024-11-01", "2024-11-11"),
        "over-yesterday": ("2024-11-10", None), "starts-tomorrow": ("2024-11-12", "2024-11-13"),
    }
    for slug, (start, end) in events.items():
        create_record(engine, "event", {"slug": slug, "kind": "meeting", "title_en": slug,
                                        "start_date": start, "end_date": end,
                                        "timezone": "Asia/Tokyo", "city_id": tokyo}, origin="cli")
    ahead = ["running-since-1st", "running-since-5th", "starts-today", "starts-tomorrow",
             "starts-later"]
    for limit in range(1, len(ahead) + 2):
        board = dashboard.dashboard(engine, today=TODAY, now=NOW, limit=limit)
        assert [u.slug for u in board.upcoming if u.kind == "event"] == ahead[:limit], limit
