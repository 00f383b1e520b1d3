"""What a feed's subscriber may see, and that the feed server keeps answering.

* One-language records: a feed falls back to the language a record has; the missing-translation
  marker never reaches a subscriber.
* Public feeds hold an event only through public links, and nothing internal (session,
  participant, note) reaches them (a property test over random visibilities and participants).
* Slow clients that never finish their request headers do not stop the server answering others.
"""

from __future__ import annotations

import http.client
import socket
import threading
import time
from datetime import date, datetime, timedelta, timezone

import icalendar
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from sqlmodel import Session

from citynet.feeds import build_feeds, create_server
from citynet.i18n.text import MISSING_MARK
from citynet.render.ics import render_calendar
from citynet.services.calendar import calendar_data
from citynet.store import models as m


def _unfolded(body: bytes) -> str:
    return body.replace(b"\r\n ", b"").replace(b"\r\n\t", b"").decode("utf-8")


def _reset(engine) -> None:
    with Session(engine) as db:
        for model in reversed(m.ALL_TABLES):
            db.exec(model.__table__.delete())
        db.commit()


# --- 13: one-language records ---------------------------------------------------------------


def _one_language_world(engine) -> None:
    """A Japanese-only event and an English-only one, each with a session, a participant and a
    position in that language only, in a city named in that language only."""
    with Session(engine) as db:
        home = m.City(slug="home", name_ja="ホーム市", name_en="Home City", country="JP",
                      timezone="Asia/Tokyo", is_home=True)
        ja_city = m.City(slug="ja-city", name_ja="和名市", country="JP", timezone="Asia/Tokyo")
        en_city = m.City(slug="en-city", name_en="Englishton", country="GB", timezone="Europe/London")
        db.add_all([home, ja_city, en_city])
        db.flush()
        ja_person = m.Person(slug="ja-person", family_name_ja="山田", given_name_ja="花子")
        en_person = m.Person(slug="en-person", family_name_latin="Smith", given_name_latin="Jane",
                             name_order="given_first")
        db.add_all([ja_person, en_person])
        db.flush()
        ja_position = m.Position(slug="ja-pos", person_id=ja_person.id, city_id=ja_city.id,
                                 title_ja="和名市長")
        en_position = m.Position(slug="en-pos", person_id=en_person.id, city_id=en_city.id,
                                 title_en="Mayor of Englishton")
        db.add_all([ja_position, en_position])
        db.flush()
        ja_event = m.Event(slug="ja-only", kind="meeting", title_ja="日本語だけの会議",
                           theme_ja="日本語のテーマ", venue_ja="和名会館", start_date=date(2025, 5, 1),
                           timezone="Asia/Tokyo", city_id=ja_city.id, visibility="public",
                           status="confirmed")
        en_event = m.Event(slug="en-only", kind="meeting", title_en="English Only Forum",
                           theme_en="An English theme", venue_en="Town Hall",
                           start_date=date(2025, 6, 1), timezone="Europe/London",
                           city_id=en_city.id, visibility="public", status="confirmed")
        db.add_all([ja_event, en_event])
        db.flush()
        ja_session = m.Session(slug="ja-only-s", event_id=ja_event.id, kind="meeting",
                               title_ja="日本語だけの分科会", room_ja="大会議室",
                               starts_at=datetime(2025, 5, 1, 1, 0, tzinfo=timezone.utc),
                               ends_at=datetime(2025, 5, 1, 2, 0, tzinfo=timezone.utc),
                               visibility="public", status="confirmed")
        en_session = m.Session(slug="en-only-s", event_id=en_event.id, kind="meeting",
                               title_en="English Only Panel", room_en="Room 1",
                               starts_at=datetime(2025, 6, 1, 9, 0, tzinfo=timezone.utc),
                               ends_at=datetime(2025, 6, 1, 10, 0, tzinfo=timezone.utc),
                               visibility="public", status="confirmed")
        db.add_all([ja_session, en_session])
        db.flush()
        db.add_all([
            m.SessionParticipant(session_id=ja_session.id, position_id=ja_position.id,
                                 role="speaker", capacity_ja="登壇者代表"),
            m.SessionParticipant(session_id=en_session.id, position_id=en_position.id,
                                 role="speaker", capacity_en="Keynote"),
        ])
        db.add(m.Relationship(slug="rel-ja", city_id=ja_city.id, kind="sister"))
        db.add(m.Relationship(slug="rel-en", city_id=en_city.id, kind="sister"))
        db.commit()


SUMMARIES = {"ja-only": "日本語だけの会議", "en-only": "English Only Forum",
             "ja-only-s": "日本語だけの分科会", "en-only-s": "English Only Panel"}


def _check_no_marker(body: bytes) -> dict[str, icalendar.Event]:
    text = _unfolded(body)
    assert MISSING_MARK not in text and "未訳" not in text and "missing" not in text.lower()
    calendar = icalendar.Calendar.from_ical(body)
    assert not calendar.get_missing_tzids()
    return {str(item["SUMMARY"]): item for item in calendar.walk("VEVENT")}


@pytest.mark.parametrize("lang", ["ja", "en", "both"])
def test_a_record_in_one_language_shows_that_language_never_the_marker(engine, lang):
    _one_language_world(engine)
    body = render_calendar(calendar_data(engine, "all", None, "public"), lang)
    items = _check_no_marker(body)
    # Each summary is the one text the record has, once (not "text / text", not marked).
    assert set(items) == set(SUMMARIES.values())
    ja_session = items["日本語だけの分科会"]
    assert "山田 花子" in str(ja_session["DESCRIPTION"])
    assert "和名市長" in str(ja_session["DESCRIPTION"])
    assert "登壇者代表" in str(ja_session["DESCRIPTION"])
    assert "大会議室" in str(ja_session["LOCATION"]) and "和名会館" in str(ja_session["LOCATION"])
    assert "和名市" in str(ja_session["LOCATION"])
    en_session = items["English Only Panel"]
    assert "Mayor of Englishton" in str(en_session["DESCRIPTION"])
    assert "Keynote" in str(en_session["DESCRIPTION"])
    assert "Englishton" in str(en_session["LOCATION"])
    assert "日本語のテーマ" in str(items["日本語だけの会議"]["DESCRIPTION"])
    assert "An English theme" in str(items["English Only Forum"]["DESCRIPTION"])
    # The calendar of a city named in one language is named in that language.
    for slug, name in (("ja-city", "和名市"), ("en-city", "Englishton")):
        city_body = render_calendar(calendar_data(engine, "city", slug, "public"), lang)
        _check_no_marker(city_body)
        assert name in str(icalendar.Calendar.from_ical(city_body)["NAME"])


def test_built_public_feeds_never_show_the_marker(engine, tmp_path):
    _one_language_world(engine)
    for lang in ("ja", "en", "both"):
        directory = tmp_path / lang
        build_feeds(engine, directory, lang=lang, tokens_file=tmp_path / f"tokens-{lang}.json")
        feeds = sorted((directory / "public").glob("*.ics"))
        assert {p.name for p in feeds} >= {"all.ics", "event-ja-only.ics", "event-en-only.ics",
                                           "city-ja-city.ics", "city-en-city.ics"}
        for path in feeds:
            _check_no_marker(path.read_bytes())


# --- 6: public feeds hold an event only through public links -------------------------------

CITIES = ("mannheim", "penang")  # partner cities; "home" is the home city
# Bodies a position can be at, and organisations (with the city they are in, if any).
ORGANISATIONS = {"org-mannheim": "mannheim", "org-penang": "penang", "org-free": None}
BODIES = ("home", *CITIES, *ORGANISATIONS)
NETWORK = "urban7"  # members: the city of Mannheim and org-free
NETWORK_CITIES, NETWORK_ORGS = ("mannheim",), ("org-free",)
SEEN_BY = {"public": ("public",), "internal": ("public", "internal")}

visibility = st.sampled_from(m.VISIBILITIES)
session_strategy = st.fixed_dictionaries({
    "visibility": visibility,
    "participants": st.lists(st.sampled_from(BODIES), max_size=3),
    "roles": st.lists(st.sampled_from(tuple(ORGANISATIONS)), max_size=2),
})
event_strategy = st.fixed_dictionaries({
    "visibility": visibility,
    "city": st.sampled_from((None, "home", *CITIES)),
    "sessions": st.lists(session_strategy, max_size=3),
    "roles": st.lists(st.sampled_from(tuple(ORGANISATIONS)), max_size=2),
    "registrations": st.lists(st.sampled_from((*CITIES, *ORGANISATIONS)), max_size=2),
})
world_strategy = st.lists(event_strategy, min_size=1, max_size=4)


def _load_world(engine, events) -> dict:
    """Insert the random events; return what each record is called in the output."""
    _reset(engine)
    tokens = {"notes": [], "sessions": {}, "participants": {}}
    with Session(engine) as db:
        cities = {"home": m.City(slug="home", name_en="Home City", name_ja="ホーム市", country="JP",
                                 timezone="Asia/Tokyo", is_home=True, notes_en="NOTE-home")}
        for slug in CITIES:
            cities[slug] = m.City(slug=slug, name_en=slug.title(), name_ja=slug, country="DE",
                                  timezone="Europe/Berlin", notes_en=f"NOTE-{slug}")
        db.add_all(cities.values())
        db.flush()
        organisations = {}
        for slug, city in ORGANISATIONS.items():
            organisations[slug] = m.Organisation(slug=slug, name_en=slug, kind="ngo",
                                                 city_id=cities[city].id if city else None)
        db.add_all(organisations.values())
        network = m.Network(slug=NETWORK, name_en="Urban 7", name_ja="アーバン7")
        db.add(network)
        db.flush()
        db.add_all([m.Membership(network_id=network.id, city_id=cities[c].id) for c in NETWORK_CITIES]
                   + [m.Membership(network_id=network.id, organisation_id=organisations[o].id)
                      for o in NETWORK_ORGS])
        count = 0
        for e_index, e in enumerate(events):
            event = m.Event(slug=f"e{e_index}", kind="meeting", title_en=f"EVENT{e_index}",
                            title_ja=f"催し{e_index}", start_date=date(2025, 1, 1) + timedelta(days=e_index),
                            timezone="Europe/Berlin", visibility=e["visibility"], status="confirmed",
                            city_id=cities[e["city"]].id if e["city"] else None,
                            notes_en=f"NOTE-e{e_index}", notes_ja=f"NOTE-e{e_index}-ja")
            tokens["notes"] += [f"NOTE-e{e_index}", f"NOTE-e{e_index}-ja"]
            db.add(event)
            db.flush()
            for org in e["roles"]:
                db.add(m.OrganisationRole(event_id=event.id, organisation_id=organisations[org].id,
                                          role="support"))
            for body in e["registrations"]:
                city = body if body in cities else ORGANISATIONS[body]
                db.add(m.Registration(event_id=event.id, category="other", name="REGISTERED",
                                      city_id=cities[city].id if city else None,
                                      organisation_id=organisations[body].id if body in organisations else None))
            for s_index, s in enumerate(e["sessions"]):
                slug = f"e{e_index}-s{s_index}"
                starts = datetime(2025, 1, 1, 8, tzinfo=timezone.utc) + timedelta(days=e_index, hours=s_index)
                session = m.Session(slug=slug, event_id=event.id, kind="meeting",
                                    title_en=f"SESSION-{slug}", title_ja=f"分科会-{slug}",
                                    starts_at=starts, ends_at=starts + timedelta(minutes=30),
                                    visibility=s["visibility"], status="confirmed",
                                    notes_en=f"NOTE-{slug}")
                tokens["notes"].append(f"NOTE-{slug}")
                db.add(session)
                db.flush()
                tokens["sessions"][slug] = (s["visibility"], session.uuid)
                for org in s["roles"]:
                    db.add(m.OrganisationRole(event_id=event.id, session_id=session.id,
                                              organisation_id=organisations[org].id, role="support"))
                for body in s["participants"]:
                    count += 1
                    name = f"Person{count:03d}x"
                    person = m.Person(slug=f"p{count}", family_name_latin=name, given_name_latin="Q",
                                      notes_en=f"NOTE-p{count}")
                    db.add(person)
                    db.flush()
                    position = m.Position(
                        slug=f"pos{count}", person_id=person.id, title_en=f"Title{count:03d}x",
                        city_id=cities[body].id if body in cities else None,
                        organisation_id=organisations[body].id if body in organisations else None,
                        notes_en=f"NOTE-pos{count}")
                    db.add(position)
                    db.flush()
                    db.add(m.SessionParticipant(session_id=session.id, position_id=position.id,
                                                role="speaker"))
                    tokens["notes"] += [f"NOTE-p{count}", f"NOTE-pos{count}"]
                    tokens["participants"][name] = s["visibility"]
        db.commit()
    return tokens


def _city_of(body: str) -> str | None:
    return body if body in ("home", *CITIES) else ORGANISATIONS[body]


def _expected_city_events(events, city: str, audience: str) -> set[str]:
    """The events an audience's calendar of ``city`` may hold: only through links it may see."""
    seen = SEEN_BY[audience]
    found = set()
    for index, e in enumerate(events):
        if e["visibility"] not in seen:
            continue
        sessions = [s for s in e["sessions"] if s["visibility"] in seen]
        links = [e["city"] == city,
                 any(body == city for s in sessions for body in s["participants"]),
                 any(ORGANISATIONS[org] == city for org in e["roles"]),
                 any(ORGANISATIONS[org] == city for s in sessions for org in s["roles"])]
        if audience == "internal":  # registrations are never published
            links.append(any(_city_of(body) == city for body in e["registrations"]))
        if any(links):
            found.add(f"e{index}")
    return found


def _expected_network_events(events, audience: str) -> set[str]:
    found = set().union(*(_expected_city_events(events, c, audience) for c in NETWORK_CITIES))
    seen = SEEN_BY[audience]
    for index, e in enumerate(events):
        if e["visibility"] not in seen:
            continue
        sessions = [s for s in e["sessions"] if s["visibility"] in seen]
        links = [any(org in NETWORK_ORGS for org in e["roles"]),
                 any(org in NETWORK_ORGS for s in sessions for org in s["roles"]),
                 any(body in NETWORK_ORGS for s in sessions for body in s["participants"])]
        if audience == "internal":
            links.append(any(body in NETWORK_ORGS for body in e["registrations"]))
        if any(links):
            found.add(f"e{index}")
    return found


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(events=world_strategy, lang=st.sampled_from(("ja", "en", "both")))
def test_feeds_hold_an_event_only_through_links_their_audience_may_see(engine, events, lang):
    tokens = _load_world(engine, events)
    for audience, seen in SEEN_BY.items():
        calendars = {("all", None): calendar_data(engine, "all", None, audience),
                     ("network", NETWORK): calendar_data(engine, "network", NETWORK, audience)}
        for city in CITIES:
            calendars["city", city] = calendar_data(engine, "city", city, audience)
        for city in CITIES:
            held = {e.event.slug for e in calendars["city", city].events}
            assert held == _expected_city_events(events, city, audience), (audience, city)
        held = {e.event.slug for e in calendars["network", NETWORK].events}
        assert held == _expected_network_events(events, audience), audience
        for (scope, slug), data in calendars.items():
            text = _unfolded(render_calendar(data, lang))
            assert "NOTE-" not in text and "REGISTERED" not in text, (scope, slug)
            for session_slug, (session_seen_by, uid) in tokens["sessions"].items():
                if session_seen_by not in seen:
                    assert f"SESSION-{session_slug}" not in text and f"分科会-{session_slug}" not in text
                    assert uid not in text
            for name, session_seen_by in tokens["participants"].items():
                if session_seen_by not in seen:
                    assert name.upper() not in text.upper(), (scope, slug, name)


def test_an_internal_session_does_not_put_a_public_event_in_a_city_public_feed(engine):
    """The finding as reported: a Mannheim post-holder attends only an internal session of a
    public event."""
    event = {"visibility": "public", "city": "home", "roles": [], "registrations": [],
             "sessions": [{"visibility": "public", "participants": ["home"], "roles": []},
                          {"visibility": "internal", "participants": ["mannheim"], "roles": []}]}
    _load_world(engine, [event])
    assert [e.event.slug for e in calendar_data(engine, "city", "mannheim", "public").events] == []
    assert [e.event.slug for e in calendar_data(engine, "city", "mannheim", "internal").events] == ["e0"]
    assert [e.event.slug for e in calendar_data(engine, "all", None, "public").events] == ["e0"]


# --- 5: slow clients do not stop the feed server ------------------------------------------------

FEED = (b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//citynet//test//EN\r\n"
        b"BEGIN:VTIMEZONE\r\nTZID:UTC\r\nBEGIN:STANDARD\r\nDTSTART:20000101T000000\r\n"
        b"TZOFFSETFROM:+0000\r\nTZOFFSETTO:+0000\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n"
        b"END:VCALENDAR\r\n")
PARTIAL = b"GET /public/all.ics HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: "


@pytest.fixture
def feed_server(tmp_path):
    """Start a feed server on 127.0.0.1 (an ephemeral port) over a one-feed directory; stopped
    and joined at the end whatever the test did."""
    directory = tmp_path / "feeds"
    (directory / "public").mkdir(parents=True)
    (directory / "public" / "all.ics").write_bytes(FEED)
    started = []

    def start(**options):
        server = create_server(directory, host="127.0.0.1", port=0,
                               tokens_file=tmp_path / "tokens.json", **options)
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        started.append((server, thread))
        return server

    yield start
    for server, thread in started:
        server.close()
        for channel in list(server._map.values()):  # channels of clients still open
            try:
                channel.close()
            except OSError:
                pass
        thread.join(timeout=5)


class SlowClients:
    """``count`` sockets on 127.0.0.1 that send a partial request header, then one byte each
    now and then, never the blank line that ends it; every loop bounded in rounds and time,
    every socket closed by :meth:`close`."""

    def __init__(self, port: int, count: int, *, every: float = 0.2, longest: float = 15.0):
        self.port, self.every, self.deadline = port, every, time.monotonic() + longest
        self.sockets: list[socket.socket] = []
        self.stop = threading.Event()
        self.dropped = 0  # sockets the server closed
        for _ in range(count):
            sock = socket.create_connection(("127.0.0.1", port), timeout=2)
            sock.sendall(PARTIAL)
            self.sockets.append(sock)
        self.thread = threading.Thread(target=self._trickle, daemon=True)
        self.thread.start()

    def _trickle(self) -> None:
        alive = list(self.sockets)
        for _round in range(int(15.0 / self.every) + 1):  # bounded, and by the deadline
            if self.stop.is_set() or time.monotonic() > self.deadline or not alive:
                return
            for sock in list(alive):
                try:
                    sock.send(b"x")
                except OSError:  # closed by the server
                    alive.remove(sock)
                    self.dropped += 1
            self.stop.wait(self.every)

    def close(self) -> None:
        self.stop.set()
        self.thread.join(timeout=5)
        for sock in self.sockets:
            sock.close()


def _get_feed(port: int, timeout: float) -> tuple[int, bytes, float]:
    began = time.monotonic()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", "/public/all.ics")
        response = connection.getresponse()
        return response.status, response.read(), time.monotonic() - began
    finally:
        connection.close()


def test_slow_clients_do_not_stop_a_normal_client(feed_server):
    server = feed_server()
    port = server.effective_port
    slow = SlowClients(port, 200)
    try:
        time.sleep(0.5)  # the slow ones are all in, trickling
        times = []
        for _ in range(5):
            try:
                status, body, took = _get_feed(port, timeout=1.0)
            except (TimeoutError, OSError) as error:
                pytest.fail(f"a normal client got no feed within a second beside 200 slow ones: {error!r}")
            assert status == 200 and body == FEED
            times.append(took)
        print(f"\nnormal client beside 200 slow ones: longest {max(times) * 1000:.1f} ms, "
              f"all {[round(t * 1000, 1) for t in times]} ms")
        assert max(times) < 1.0
        assert slow.dropped == 0  # within the request timeout they are left alone
    finally:
        slow.close()


def test_a_request_that_never_finishes_is_closed_after_the_request_timeout(feed_server):
    from citynet.feeds import server as feeds_server

    server = feed_server(request_timeout=1)
    assert server.adj.connection_limit == feeds_server.CONNECTION_LIMIT >= 400
    assert server.adj.asyncore_use_poll  # select() cannot watch descriptors past 1024
    assert server.adj.channel_timeout == feeds_server.IDLE_TIMEOUT
    assert server.adj.cleanup_interval <= feeds_server.IDLE_TIMEOUT
    slow = SlowClients(server.effective_port, 3, every=0.1, longest=8.0)
    began = time.monotonic()
    try:
        slow.thread.join(timeout=8)
        took = time.monotonic() - began
        assert slow.dropped == 3, "trickling clients were never closed"
        print(f"\ntrickling clients closed after {took:.2f} s (request timeout 1 s)")
        assert took < 4.0
        # The server still answers.
        status, body, _ = _get_feed(server.effective_port, timeout=1.0)
        assert status == 200 and body == FEED
    finally:
        slow.close()
