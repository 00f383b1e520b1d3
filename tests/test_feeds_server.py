"""The feed directory and its HTTP server (waitress on 127.0.0.1, an ephemeral port)."""

from __future__ import annotations

import http.client
import json
import os
import threading
import time
from email.utils import formatdate

import icalendar
import pytest
import vobject

from citynet.demo.loader import load_demo
from citynet.feeds import build_feeds, create_server, rotate_token
from citynet.render.ics import entry_uid
from citynet.store.db import open_database


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("feeds")
    engine = open_database(f"sqlite:///{root / 'demo.db'}")
    load_demo(engine)
    directory = root / "exports" / "feeds"
    paths = build_feeds(engine, directory, base_url="https://feeds.example.org/cal")
    yield engine, directory, root / "exports" / "feed-tokens.json", paths
    engine.dispose()


@pytest.fixture(scope="module")
def server(built):
    _, directory, tokens_file, _ = built
    (directory.parent / "secret.txt").write_text("outside the feed directory")
    srv = create_server(directory, host="127.0.0.1", port=0, tokens_file=tokens_file)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    yield srv.effective_port
    srv.close()
    thread.join(timeout=5)


def get(port, path, headers=None, method="GET"):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.putrequest(method, path, skip_accept_encoding=True)  # the raw path, unnormalised
        for key, value in (headers or {}).items():
            connection.putheader(key, value)
        connection.endheaders()
        response = connection.getresponse()
        return response.status, response.msg, response.read()
    finally:
        connection.close()


def tokens(built):
    return json.loads(built[2].read_text())


def test_build_writes_every_feed_and_an_index(built):
    _, directory, tokens_file, paths = built
    names = {p.name for p in (directory / "public").iterdir()}
    assert {"all.ics", "event-cop29.ics", "network-urban7.ics", "network-iclei.ics",
            "city-mannheim.ics"} <= names
    assert (directory / "internal" / "all.ics").is_file()
    for path in paths:
        if path.suffix == ".ics":
            body = path.read_bytes()
            cal = icalendar.Calendar.from_ical(body)
            assert not cal.get_missing_tzids()
            vobject.readOne(body.decode(), validate=True).validate(raiseException=True)
    index = (directory / "index.html").read_text()
    assert "https://feeds.example.org/cal/public/event-cop29.ics" in index
    assert "webcal://feeds.example.org/cal/public/event-cop29.ics" in index
    assert "internal" not in index.replace("citynet calendars", "")
    assert not tokens_file.is_relative_to(directory)
    assert oct(tokens_file.stat().st_mode & 0o777) == "0o600"
    internal_index = (directory / "internal" / "index.html").read_text()
    assert f"internal/{tokens(built)['all']}/all.ics" in internal_index


def test_rebuild_keeps_unchanged_files(built):
    engine, directory, tokens_file, _ = built
    path = directory / "public" / "all.ics"
    before = (path.read_bytes(), path.stat().st_mtime_ns, tokens_file.read_bytes())
    time.sleep(0.01)
    build_feeds(engine, directory, base_url="https://feeds.example.org/cal")
    assert (path.read_bytes(), path.stat().st_mtime_ns, tokens_file.read_bytes()) == before


def test_public_feed_with_etag_and_304(server, built):
    status, headers, body = get(server, "/public/event-cop29.ics")
    assert status == 200
    assert headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert "attachment" not in headers.get("Content-Disposition", "")
    assert body == (built[1] / "public" / "event-cop29.ics").read_bytes()
    cal = icalendar.Calendar.from_ical(body)
    assert entry_uid("session", "cop29-press-conference") in {str(e["UID"]) for e in cal.walk("VEVENT")}
    etag, last_modified = headers["ETag"], headers["Last-Modified"]
    assert get(server, "/public/event-cop29.ics", {"If-None-Match": etag})[0] == 304
    assert get(server, "/public/event-cop29.ics", {"If-Modified-Since": last_modified})[0] == 304
    assert get(server, "/public/event-cop29.ics", {"If-None-Match": '"other"'})[0] == 200
    assert get(server, "/public/event-cop29.ics",
               {"If-Modified-Since": formatdate(0, usegmt=True)})[0] == 200
    status, headers, body = get(server, "/public/event-cop29.ics", method="HEAD")
    assert status == 200 and body == b""
    assert get(server, "/public/event-cop29.ics", method="POST")[0] == 405


def test_index_page(server):
    status, headers, body = get(server, "/")
    assert status == 200 and headers["Content-Type"] == "text/html; charset=utf-8"
    assert b"webcal://" in body


def test_internal_feeds_need_their_token(server, built):
    t = tokens(built)
    assert get(server, "/internal/all.ics")[0] == 404
    assert get(server, "/internal//all.ics")[0] == 404
    assert get(server, "/internal/wrong-token/all.ics")[0] == 404
    assert get(server, f"/internal/{t['event-cop29']}/all.ics")[0] == 404  # another feed's token
    status, headers, body = get(server, f"/internal/{t['all']}/all.ics")
    assert status == 200 and headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert "private" in headers["Cache-Control"]
    assert get(server, f"/internal/{t['index']}/")[0] == 200


def test_rotation_revokes_the_old_url(server, built):
    old = tokens(built)["network-urban7"]
    assert get(server, f"/internal/{old}/network-urban7.ics")[0] == 200
    new = rotate_token(built[2], "network-urban7")
    assert get(server, f"/internal/{old}/network-urban7.ics")[0] == 404
    assert get(server, f"/internal/{new}/network-urban7.ics")[0] == 200


@pytest.mark.parametrize("path", [
    "/public/unknown.ics", "/public/", "/public", "/nothing", "/feed-tokens.json",
    "/../feed-tokens.json", "/public/../../feed-tokens.json", "/public/..%2f..%2ffeed-tokens.json",
    "/public/%2e%2e/%2e%2e/secret.txt", "/../secret.txt", "/public/../index.html/../../secret.txt",
    "/internal/x/../../secret.txt", "/public/all.ics/", "/public/.hidden.ics", "//etc/passwd",
    "/public/%00.ics", "/internal/all.ics", "/public/..\\..\\secret.txt",
])
def test_nothing_outside_the_directory_or_unknown(server, path):
    status, _, body = get(server, path)
    assert status == 404
    assert b"outside the feed directory" not in body and b"{" not in body


def test_symlink_out_of_the_directory_is_not_served(server, built):
    directory = built[1]
    link = directory / "public" / "escape.ics"
    os.symlink(directory.parent / "secret.txt", link)
    try:
        assert get(server, "/public/escape.ics")[0] == 404
    finally:
        link.unlink()
