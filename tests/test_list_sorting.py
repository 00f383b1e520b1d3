"""Lists sorted by any column and narrowed by country, status, dates and network, on SQLite and
PostgreSQL: every page is read by keyset (forwards, backwards from the end, from a cursor in
the middle) and the pages put together are the list; the order is the one a reader expects
(dates newest first with undated last, countries by their names, statuses in the vocabulary's
order); each filter keeps exactly the records it names."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from citynet.i18n import set_language
from citynet.services import lists
from citynet.services.records import create_record
from citynet.store import models as m


@pytest.fixture
def store(engine):
    from citynet.demo.loader import load_demo

    load_demo(engine)
    # ties and gaps: two events on the same day, one without a date, one without a city
    for n, (day, status) in enumerate([(date(2024, 11, 11), "planned"), (date(2024, 11, 11), "held"),
                                       (None, "postponed"), (date(2030, 1, 1), "confirmed")]):
        create_record(engine, "event", {"slug": f"tie-{n}", "kind": "meeting",
                                        "title_ja": f"同日会議{n}", "start_date": day,
                                        "status": status, "timezone": "Asia/Tokyo"},
                      origin="form")
    yield engine
    set_language("en")


def ids(page) -> list[int]:
    return [row.id for row in page.rows]


def whole(engine, kind, **how) -> list[int]:
    return ids(lists.list_page(engine, kind, limit=10_000, **how))


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_every_sort_pages_by_keyset_both_ways(store, lang):
    set_language(lang)
    for kind, sorts in lists.SORTS.items():
        for sort in dict.fromkeys(sorts):
            for down in (False, True):
                how = {"sort": sort, "descending": down}
                expected = whole(store, kind, **how)
                assert len(expected) == len(set(expected)) > 1, (kind, sort)
                # forwards, two rows a page
                page = lists.list_page(store, kind, limit=2, **how)
                assert page.total == len(expected) and page.before is None
                seen = ids(page)
                while page.cursor is not None:
                    page = lists.list_page(store, kind, after=page.cursor, limit=2, **how)
                    assert page.before is not None  # a page after the first has one before it
                    seen += ids(page)
                assert seen == expected, (kind, sort, down)
                # the last page of the whole list, then backwards to the first
                page = lists.list_page(store, kind, limit=2, last=True, **how)
                assert page.total == len(expected) and page.cursor is None
                assert ids(page) == expected[-2:]
                back = ids(page)
                while page.before is not None:
                    page = lists.list_page(store, kind, before=page.before, limit=2, **how)
                    assert page.cursor is not None
                    back = ids(page) + back
                assert back == expected, (kind, sort, down, "backwards")


def test_dates_newest_first_undated_last_and_the_other_way(store):
    rows = lists.list_page(store, "event", limit=100).rows  # the default: newest first
    dated = [r.start_date for r in rows if r.start_date is not None]
    assert dated == sorted(dated, reverse=True)
    assert rows[-1].start_date is None and rows[0].start_date == date(2030, 1, 1)
    first = [r.start_date for r in rows].index(None)
    assert all(r.start_date is None for r in rows[first:])  # undated ones together, at the end
    up = lists.list_page(store, "event", sort="date", descending=False, limit=100).rows
    assert [r.id for r in up] == [r.id for r in reversed(rows)]
    sessions = lists.list_page(store, "session", limit=100).rows
    days = [s.day for s in sessions if s.day is not None]
    assert days == sorted(days, reverse=True)


def test_countries_by_name_and_statuses_in_the_vocabulary_order(store):
    from babel import Locale

    set_language("ja")
    countries = [r.country for r in lists.list_page(store, "city", sort="country", limit=100).rows]
    assert len(countries) == 16
    for code in set(countries):  # the cities of one country together
        first = countries.index(code)
        assert countries[first:first + countries.count(code)] == [code] * countries.count(code)
    set_language("en")
    rows = lists.list_page(store, "city", sort="country", limit=100).rows
    names = Locale.parse("en").territories
    assert [names[r.country] for r in rows] == sorted(names[r.country] for r in rows)
    rows = lists.list_page(store, "event", sort="status", limit=100).rows
    places = [m.EVENT_STATUSES.index(r.status) for r in rows]
    assert places == sorted(places) and places[0] == 0 and places[-1] == 3


def test_filters_keep_exactly_what_they_name(store):
    from citynet.services.readmodel import events_of_network

    az = lists.list_page(store, "event", filters=lists.ListFilter(country="AZ")).rows
    assert [r.slug for r in az] == ["cop29"]
    held = lists.list_page(store, "event", filters=lists.ListFilter(status="held"))
    assert held.total == len(held.rows) and {r.status for r in held.rows} == {"held"}
    assert "tie-1" in {r.slug for r in held.rows} and "tie-0" not in {r.slug for r in held.rows}
    # an event overlapping the range counts (COP29: 11–22 November 2024)
    november = lists.ListFilter(since=date(2024, 11, 15), until=date(2024, 11, 30))
    assert {r.slug for r in lists.list_page(store, "event", filters=november).rows} == {"cop29"}
    since = lists.ListFilter(since=date(2025, 1, 1))
    later = lists.list_page(store, "event", filters=since).rows
    assert later and all((r.end_date or r.start_date) >= date(2025, 1, 1) for r in later)
    sessions = lists.list_page(store, "session", filters=lists.ListFilter(
        since=date(2024, 11, 12), until=date(2024, 11, 12))).rows
    assert sessions and {s.day for s in sessions} == {date(2024, 11, 12)}
    with store.connect() as c:
        urban7 = c.execute(sa.select(m.Network.id).where(m.Network.slug == "urban7")).scalar_one()
        members = set(c.execute(sa.select(m.Membership.city_id).where(
            m.Membership.network_id == urban7, m.Membership.city_id.is_not(None))).scalars())
        network_events = set(c.execute(events_of_network(urban7, "urban7")).scalars())
    in_network = lists.ListFilter(network=urban7)
    assert set(ids(lists.list_page(store, "city", filters=in_network))) == members
    assert set(ids(lists.list_page(store, "event", filters=in_network))) == network_events
    sessions = lists.list_page(store, "session", filters=in_network).rows
    assert all(s.event_slug for s in sessions)
    # a filter and the text filter together, sorted and paged: the same rows
    both = lists.ListFilter(status="held")
    page = lists.list_page(store, "event", "cop", filters=both, sort="title", limit=1)
    assert page.total == 1 and [r.slug for r in page.rows] == ["cop29"] and page.cursor is None
    assert lists.list_page(store, "event", "cop", filters=lists.ListFilter(status="planned")).total == 0


def test_a_list_sorts_only_by_its_columns(store):
    with pytest.raises(ValueError):
        lists.list_page(store, "person", sort="status")
