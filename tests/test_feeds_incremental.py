"""Feeds that follow the store: an incremental build gives the bytes a build from scratch gives,
rewrites only the feeds a change reaches, and a running server picks changes up by itself."""

from __future__ import annotations

import http.client
import threading
import time
from pathlib import Path

import icalendar
import pytest

from citynet.demo.loader import load_demo
from citynet.feeds import build as feeds_build
from citynet.feeds import create_server
from citynet.feeds.build import update_feeds
from citynet.feeds.server import StoreFollower
from citynet.render.ics import render_calendar
from citynet.services import records
from citynet.services.calendar import calendar_stream


@pytest.fixture
def demo(engine, monkeypatch):
    # The code the calendars come from, as the builder fingerprints it, stays put during a test
    # (others may be compiling the catalogs meanwhile); a test below changes it on purpose.
    monkeypatch.setattr(feeds_build, "_code_fingerprint", lambda: "this code")
    load_demo(engine)
    return engine


def build(engine, directory: Path, **options):
    return update_feeds(engine, directory, base_url="https://feeds.example.org",
                        tokens_file=directory.parent / f"{directory.name}-tokens.json", **options)


def feed_files(directory: Path) -> dict[str, bytes]:
    return {f"{p.parent.name}/{p.name}": p.read_bytes()
            for audience in ("public", "internal") for p in sorted((directory / audience).glob("*.ics"))}


def stamps(directory: Path) -> dict[str, int]:
    return {f"{p.parent.name}/{p.name}": p.stat().st_mtime_ns
            for audience in ("public", "internal") for p in (directory / audience).glob("*.ics")}


def scratch(engine, tmp_path: Path, label: str) -> dict[str, bytes]:
    """The feeds built from nothing, in a directory of their own."""
    report = build(engine, tmp_path / f"scratch-{label}")
    assert report.full
    return feed_files(tmp_path / f"scratch-{label}")


def record(engine, kind: str, slug: str) -> dict:
    return records.find_by_slug(engine, kind, slug)


def update(engine, kind: str, which: str, **changes) -> None:
    current = record(engine, kind, which)
    records.update_record(engine, kind, current["id"], current["revision"], changes, origin="cli")


def session_entry(body: bytes, uid: str):
    found = [e for e in icalendar.Calendar.from_ical(body).walk("VEVENT") if str(e["UID"]) == uid]
    assert len(found) == 1
    return found[0]


def test_every_feed_is_the_calendar_rendered_whole(demo, tmp_path):
    build(demo, tmp_path / "feeds")
    files = feed_files(tmp_path / "feeds")
    assert "public/all.ics" in files and "internal/city-mannheim.ics" in files
    for name, body in files.items():
        audience, filename = name.split("/")
        feed = filename.removesuffix(".ics")
        scope, _, slug = feed.partition("-")
        stream = calendar_stream(demo, scope, slug or None, audience)
        assert body == render_calendar(stream, "both"), name


def test_an_incremental_build_gives_the_bytes_of_a_build_from_scratch(demo, tmp_path):
    feeds = tmp_path / "feeds"
    assert build(demo, feeds).full
    steps = [
        # a session moved: its event's feeds, the cities and networks holding it, "all"
        ("session moved", lambda: update(demo, "session", "cop29-press-conference",
                                         starts_at="2024-11-11 14:30", ends_at="2024-11-11 15:00")),
        ("session cancelled", lambda: update(demo, "session", "e-kizuna-high-level-talks",
                                             status="cancelled")),
        ("session made internal", lambda: update(demo, "session", "kuala-lumpur-site-visit",
                                                 visibility="internal")),
        ("person renamed", lambda: update(demo, "person", record(demo, "person", _a_participant(demo))["slug"],
                                          family_name_latin="Renamed")),
        ("post moved to another city", lambda: update(
            demo, "position", "mayor-of-penang", city_id=record(demo, "city", "zagreb")["id"])),
        ("organisation renamed", lambda: update(demo, "organisation", "iclei-japan", name_en="ICLEI Japan Office")),
        ("city renamed", lambda: update(demo, "city", "baku", name_en="Baku City")),
        ("event made internal", lambda: update(demo, "event", "kuala-lumpur-visit", visibility="internal")),
        ("event renamed (a new feed name)", lambda: update(demo, "event", "cop29", slug="cop-29")),
        ("a new partner city", lambda: records.create_record(
            demo, "relationship", {"slug": "saitama-giessen", "city_id": record(demo, "city", "giessen")["id"],
                               "kind": "friendship"},
            origin="cli")),
        ("a participant added at a partner city", lambda: records.create_record(
            demo, "participant", {"session_id": record(demo, "session", "cop29-multilevel-climate-action")["id"],
                                  "position_id": record(demo, "position", "mayor-of-mannheim")["id"],
                                  "role": "speaker"}, origin="cli")),
        ("a network member left", lambda: _delete_a_membership(demo)),
        # the network's own event: its feed gains an event no member of it holds
        ("an event became a network's own", lambda: update(
            demo, "event", "kuala-lumpur-visit", network_id=record(demo, "network", "urban7")["id"])),
    ]
    for label, change in steps:
        before, before_stamps = feed_files(feeds), stamps(feeds)
        change()
        report = build(demo, feeds)
        assert not report.full, label
        after = feed_files(feeds)
        assert after == scratch(demo, tmp_path, label.replace(" ", "-")), label
        if label != "a network member left":  # its events are the network's through others too
            assert after != before, label
        rewritten = {f"{p.parent.name}/{p.name}" for p in report.rewritten}
        # Only feeds whose bytes changed were written; the others kept their mtime (and ETag).
        for name in set(after) & set(before):
            if after[name] == before[name]:
                assert stamps(feeds)[name] == before_stamps[name], (label, name)
                assert name not in rewritten, (label, name)
            else:
                assert name in rewritten, (label, name)
        assert report.rendered_events < 10, label  # not every event again


def _a_participant(engine) -> str:
    import sqlalchemy as sa

    with engine.connect() as c:
        return c.execute(sa.text(
            "SELECT p.slug FROM person p JOIN session_participant sp ON sp.person_id = p.id "
            "JOIN session s ON s.id = sp.session_id WHERE s.visibility = 'public' ORDER BY p.slug")).scalars().first()


def _delete_a_membership(engine) -> None:
    import sqlalchemy as sa

    with engine.connect() as c:
        row = c.execute(sa.text("SELECT id, revision FROM membership ORDER BY id")).first()
    records.delete_record(engine, "membership", row.id, row.revision, origin="cli")


def test_nothing_changed_nothing_written(demo, tmp_path):
    feeds = tmp_path / "feeds"
    build(demo, feeds)
    before = stamps(feeds)
    report = build(demo, feeds)
    assert not report.full and report.rewritten == [] and report.rendered_events == 0
    assert stamps(feeds) == before
    # a record no calendar shows reaches no feed either
    records.create_record(demo, "project", {"slug": "bench-project", "title_en": "A project",
                                                "city_id": record(demo, "city", "mannheim")["id"]}, origin="cli")
    report = build(demo, feeds)
    assert report.rewritten == [] and report.rendered_events == 0


def test_the_index_pages_follow_the_feeds_tokens_and_address(demo, tmp_path):
    from citynet.feeds import rotate_token

    feeds = tmp_path / "feeds"
    tokens_file = tmp_path / "feeds-tokens.json"
    listed = build(demo, feeds).feeds
    pages = [feeds / "index.html", feeds / "internal" / "index.html"]
    kept = [p.stat().st_mtime_ns for p in pages]
    update(demo, "session", "cop29-press-conference", title_en="Press conference (renamed)")
    # the feed list, read from the build's state this time, in the same order
    assert build(demo, feeds).feeds == listed
    assert [p.stat().st_mtime_ns for p in pages] == kept  # the same feeds, tokens and address

    new = rotate_token(tokens_file, "event-cop29")
    build(demo, feeds)
    assert f"internal/{new}/event-cop29.ics" in pages[1].read_text()

    update(demo, "event", "cop29", slug="cop-29")
    build(demo, feeds)
    assert "public/event-cop-29.ics" in pages[0].read_text()
    assert "public/event-cop29.ics" not in pages[0].read_text()

    update_feeds(demo, feeds, base_url="https://calendars.example.org", tokens_file=tokens_file)
    assert "https://calendars.example.org/public/all.ics" in pages[0].read_text()
    assert "https://calendars.example.org/internal/" in pages[1].read_text()

    pages[0].unlink()
    build(demo, feeds)
    assert "https://feeds.example.org/public/event-cop-29.ics" in pages[0].read_text()


def test_what_cannot_be_mapped_rebuilds_everything(demo, tmp_path):
    feeds = tmp_path / "feeds"
    build(demo, feeds)
    update(demo, "city", "saitama", name_en="Saitama City (home)")  # the home city: every description
    report = build(demo, feeds)
    assert report.full
    assert feed_files(feeds) == scratch(demo, tmp_path, "home")
    # the store loaded again from nothing: its history starts over
    load_demo(demo, force=True)
    report = build(demo, feeds)
    assert report.full
    assert feed_files(feeds) == scratch(demo, tmp_path, "reloaded")


def test_other_code_or_language_renders_everything_again(demo, tmp_path, monkeypatch):
    feeds = tmp_path / "feeds"
    build(demo, feeds)
    before = stamps(feeds)
    monkeypatch.setattr(feeds_build, "_code_fingerprint", lambda: "other code")
    report = build(demo, feeds)
    assert report.full and report.rewritten == []  # the same bytes: files and ETags kept
    assert stamps(feeds) == before
    assert not build(demo, feeds).full
    report = build(demo, feeds, lang="en")
    assert report.full
    stream = calendar_stream(demo, "event", "cop29", "public")
    assert (feeds / "public" / "event-cop29.ics").read_bytes() == render_calendar(stream, "en")


def test_a_change_committed_late_below_the_last_one_built_is_not_lost(demo, tmp_path):
    """On PostgreSQL a change id is handed out before its transaction commits: a build may see
    a later id first. The earlier one is looked for again and built when it commits."""
    feeds = tmp_path / "feeds"
    build(demo, feeds)
    press = record(demo, "session", "cop29-press-conference")
    talks = record(demo, "session", "kuala-lumpur-high-level-talks")
    if demo.dialect.name == "sqlite":
        pytest.skip("a SQLite writer holds the whole file: changes commit in id order")
    with records.writing(demo, origin="cli") as slow:
        slow.update("session", press["id"], press["revision"], {"title_en": "Press conference (moved)"})
        update(demo, "session", talks["slug"], title_en="Talks (renamed)")  # commits first, higher id
        build(demo, feeds)
    build(demo, feeds)
    assert feed_files(feeds) == scratch(demo, tmp_path, "late")
    entry = session_entry((feeds / "public" / "all.ics").read_bytes(), press["uuid"])
    assert "Press conference (moved)" in str(entry["SUMMARY"])


def test_a_cancelled_session_stays_in_the_feed_as_cancelled(demo, tmp_path):
    feeds = tmp_path / "feeds"
    build(demo, feeds)
    session = record(demo, "session", "cop29-press-conference")
    body = (feeds / "public" / "event-cop29.ics").read_bytes()
    before = session_entry(body, session["uuid"])
    update(demo, "session", "cop29-press-conference", status="cancelled")
    build(demo, feeds)
    after = session_entry((feeds / "public" / "event-cop29.ics").read_bytes(), session["uuid"])
    assert str(after["STATUS"]) == "CANCELLED"
    assert int(after["SEQUENCE"]) == int(before["SEQUENCE"]) + 1
    assert after["DTSTART"].dt == before["DTSTART"].dt


# --- the server follows the store ---------------------------------------------------------------


def get(port: int, path: str, etag: str | None = None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path, headers={"If-None-Match": etag} if etag else {})
        response = connection.getresponse()
        return response.status, response.getheader("ETag"), response.read()
    finally:
        connection.close()


def test_the_server_follows_the_store(demo, tmp_path):
    feeds = tmp_path / "feeds"
    tokens_file = tmp_path / "feed-tokens.json"
    follower = StoreFollower(demo, feeds, tokens_file, interval=0.1).start()
    server = create_server(feeds, host="127.0.0.1", port=0, tokens_file=tokens_file)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 60
        while follower.builds == 0:  # the first build: the directory did not exist
            assert time.monotonic() < deadline
            time.sleep(0.05)
        port = server.effective_port
        status, etag, body = get(port, "/public/event-cop29.ics")
        assert status == 200
        other_status, other_etag, _ = get(port, "/public/event-kuala-lumpur-visit.ics")
        assert other_status == 200
        session = record(demo, "session", "cop29-press-conference")
        before = session_entry(body, session["uuid"])

        update(demo, "session", "cop29-press-conference", starts_at="2024-11-11 15:30",
               ends_at="2024-11-11 16:00")
        deadline = time.monotonic() + 30
        while True:  # a subscriber polling with its ETag
            status, new_etag, new_body = get(port, "/public/event-cop29.ics", etag)
            if status == 200:
                break
            assert status == 304 and time.monotonic() < deadline
            time.sleep(0.1)
        assert new_etag != etag
        after = session_entry(new_body, session["uuid"])
        assert int(after["SEQUENCE"]) == int(before["SEQUENCE"]) + 1
        assert after["DTSTART"].dt != before["DTSTART"].dt
        assert after["DTSTART"].dt.astimezone().isoformat() == \
            record(demo, "session", "cop29-press-conference")["starts_at"].astimezone().isoformat()
        # a feed the change does not reach answers 304 to its old ETag
        assert get(port, "/public/event-kuala-lumpur-visit.ics", other_etag)[0] == 304
    finally:
        follower.stop()
        server.close()
        thread.join(timeout=5)


def test_a_zone_that_changed_on_the_first_day_of_the_window_is_described(demo, tmp_path):
    """Africa/Sao_Tome went back from +01:00 to +00:00 at 01:00 UTC on 1 January 2019: sessions
    in 2020 get a VTIMEZONE whose window starts that day, and a reader of the file alone places
    them where tzdata does (the feed used to be refused: "cannot describe time zone")."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    zone = ZoneInfo("Africa/Sao_Tome")
    event = records.create_record(demo, "event", {
        "slug": "sao-tome-visit", "kind": "meeting", "title_en": "São Tomé visit", "start_date": "2020-07-10",
        "end_date": "2020-07-12", "timezone": "Africa/Sao_Tome", "visibility": "public",
        "status": "confirmed"}, origin="cli")
    records.create_record(demo, "session", {
        "slug": "sao-tome-talk", "event_id": event.id, "kind": "meeting", "title_en": "Talk",
        "starts_at": "2020-07-10 11:45", "ends_at": "2020-07-10 12:15"}, origin="cli")
    build(demo, tmp_path / "feeds")
    cal = icalendar.Calendar.from_ical((tmp_path / "feeds" / "public" / "event-sao-tome-visit.ics").read_bytes())
    (vtz,) = [v for v in cal.walk("VTIMEZONE") if str(v["TZID"]) == "Africa/Sao_Tome"]
    (talk,) = [e for e in cal.walk("VEVENT") if str(e["SUMMARY"]) == "Talk"]
    wall = talk["DTSTART"].dt.replace(tzinfo=None)
    assert wall == datetime(2020, 7, 10, 11, 45)
    assert wall.replace(tzinfo=vtz.to_tz(lookup_tzid=False)).utcoffset() == zone.utcoffset(wall)
