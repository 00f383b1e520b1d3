"""Serving the feed directory over HTTP: a small WSGI application run by waitress.

Only these paths answer, everything else is 404 (nothing is ever looked up from the request
path; names are matched against the directory's listing, so ``..``, encoded slashes or symlinks
cannot reach outside it):

* ``/`` and ``/index.html``: the public index page;
* ``/public/<name>.ics``: a public feed;
* ``/internal/<token>/<name>.ics``: an internal feed, with that feed's current token;
* ``/internal/<token>/``: the internal index page, with the ``index`` token.

Feeds go out inline as ``text/calendar; charset=utf-8`` with an ETag (a hash of the bytes) and
Last-Modified (the file's mtime); a matching If-None-Match or If-Modified-Since answers 304.

Clients that hold connections open cannot stop the server answering others: at most
:data:`CONNECTION_LIMIT` connections are open at once (waitress stops accepting beyond it, and
polls with ``poll()``, which has no descriptor ceiling, not ``select()``); a connection has
:data:`REQUEST_TIMEOUT` seconds to send a whole request, from when it opens or its previous
answer went out, however it trickles its bytes (waitress's own ``channel_timeout``, here
:data:`IDLE_TIMEOUT`, counts from the last byte received, so a byte now and then would keep a
half-sent request open for ever); a connection with nothing moving is closed after
:data:`IDLE_TIMEOUT` seconds, looked for every :data:`CLEANUP_INTERVAL` seconds.

Given the store, the server follows it (:class:`StoreFollower`): a background thread looks at
the change table every :data:`FOLLOW_INTERVAL` seconds (the newest id, and how many rows lie past
the last one built) and, when it moved, runs the incremental build. Feeds are replaced by
rename, so an answer in progress reads the old file whole and the next one the new file, with a
new ETag; requests never wait for a build.
"""

from __future__ import annotations

import hashlib
import re
import threading
import time
from collections.abc import Callable
from email.utils import formatdate, parsedate_to_datetime
from pathlib import Path
from typing import Any

from citynet.errors import N_, CitynetError
from citynet.feeds.tokens import INDEX, default_tokens_file, load_tokens, token_matches
from citynet.i18n import _

# Limits against clients that hold connections open (README, "Calendar feeds").
CONNECTION_LIMIT = 500  # connections open at once (within a default 1024-descriptor limit)
REQUEST_TIMEOUT = 10  # seconds to send a whole request (request line and headers)
IDLE_TIMEOUT = 30  # seconds with nothing received or sent (waitress channel_timeout)
CLEANUP_INTERVAL = 5  # seconds between waitress's looks for idle connections
FOLLOW_INTERVAL = 3  # seconds between looks at the store's change table

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
_TYPES = {".ics": "text/calendar; charset=utf-8", ".html": "text/html; charset=utf-8"}


class FeedApp:
    """The WSGI application over one feed directory."""

    def __init__(self, directory: Path, tokens_file: Path | None = None) -> None:
        self.root = Path(directory).resolve()
        self.tokens_file = Path(tokens_file) if tokens_file is not None else default_tokens_file(self.root)
        self._etags: dict[Path, tuple[tuple, str]] = {}

    # -- routing ------------------------------------------------------------------------------

    def _listed(self, folder: str, filename: str) -> Path | None:
        """``folder/filename`` only if it is a regular file listed in that folder."""
        if not _NAME.match(filename):
            return None
        base = self.root / folder if folder else self.root
        # The name is one plain path segment (checked above); resolving follows any link, and
        # what lands outside the feed directory is never served.
        path = (base / filename).resolve()
        return path if path.is_relative_to(self.root) and path.is_file() else None

    def resolve(self, path_info: str) -> tuple[Path, bool] | None:
        """(file, is_internal) for a request path, or None (404)."""
        if path_info in ("/", "/index.html"):
            found = self._listed("", "index.html")
            return (found, False) if found else None
        parts = path_info.split("/")
        if len(parts) == 3 and parts[0] == "" and parts[1] == "public" and parts[2].endswith(".ics"):
            found = self._listed("public", parts[2])
            return (found, False) if found else None
        if len(parts) == 4 and parts[0] == "" and parts[1] == "internal":
            token, filename = parts[2], parts[3]
            tokens = load_tokens(self.tokens_file)
            if filename in ("", "index.html"):
                name, filename = INDEX, "index.html"
            elif filename.endswith(".ics"):
                name = filename[:-4]
            else:
                return None
            if not token or not token_matches(tokens, name, token):
                return None
            found = self._listed("internal", filename)
            return (found, True) if found else None
        return None

    # -- WSGI -----------------------------------------------------------------------------------

    def __call__(self, environ, start_response):
        method = environ.get("REQUEST_METHOD", "GET")
        if method not in ("GET", "HEAD"):
            return self._plain(start_response, "405 Method Not Allowed", b"method not allowed\n",
                               [("Allow", "GET, HEAD")])
        try:
            found = self.resolve(environ.get("PATH_INFO", "") or "/")
        except Exception:  # an unreadable tokens file: answer as for any unknown path
            found = None
        if found is None:
            return self._plain(start_response, "404 Not Found", b"not found\n")
        path, internal = found
        etag, mtime = self._validators(path)
        headers = [
            ("ETag", etag),
            ("Last-Modified", formatdate(mtime, usegmt=True)),
            ("Cache-Control", "private, no-cache" if internal else "no-cache"),
            ("X-Content-Type-Options", "nosniff"),
            ("Referrer-Policy", "no-referrer"),
        ]
        if self._not_modified(environ, etag, mtime):
            start_response("304 Not Modified", headers)
            return [b""]
        body = path.read_bytes()
        headers += [("Content-Type", _TYPES.get(path.suffix, "application/octet-stream")),
                    ("Content-Length", str(len(body)))]
        start_response("200 OK", headers)
        return [b"" if method == "HEAD" else body]

    def _validators(self, path: Path) -> tuple[str, int]:
        """(ETag, mtime) of a feed file; the hash is recomputed only when the file changed
        (feeds are replaced by rename, so a new file has a new inode and mtime)."""
        stat = path.stat()
        key = (stat.st_ino, stat.st_mtime_ns, stat.st_size)
        cached = self._etags.get(path)
        if cached is None or cached[0] != key:
            etag = f'"{hashlib.sha256(path.read_bytes()).hexdigest()[:32]}"'
            cached = self._etags[path] = (key, etag)
        return cached[1], int(stat.st_mtime)

    @staticmethod
    def _not_modified(environ, etag: str, mtime: int) -> bool:
        if_none_match = environ.get("HTTP_IF_NONE_MATCH")
        if if_none_match is not None:  # takes precedence over If-Modified-Since (RFC 9110 §13.2.2)
            tags = [t.strip().removeprefix("W/") for t in if_none_match.split(",")]
            return "*" in tags or etag in tags
        since = environ.get("HTTP_IF_MODIFIED_SINCE")
        if since:
            try:
                return mtime <= int(parsedate_to_datetime(since).timestamp())
            except (TypeError, ValueError, OverflowError):
                return False
        return False

    @staticmethod
    def _plain(start_response, status: str, body: bytes, extra=()):
        start_response(status, [("Content-Type", "text/plain; charset=utf-8"),
                                ("Content-Length", str(len(body))), *extra])
        return [body]


def make_app(directory: Path, tokens_file: Path | None = None) -> FeedApp:
    return FeedApp(directory, tokens_file)


def _request_timeout_channel(base: Any, request_timeout: float) -> Any:
    """waitress's channel class ``base``, closing a connection that has not sent a whole request
    within ``request_timeout`` seconds of opening or of its previous answer going out."""

    class RequestTimeoutChannel(base):
        will_close: bool  # waitress's: close the connection at the next turn

        def __init__(self, *args, **kwargs) -> None:
            self.waiting_since = time.monotonic()
            super().__init__(*args, **kwargs)

        def readable(self) -> bool:
            # Asked on every turn of the server's loop (at least once a second).
            now = time.monotonic()
            if self.requests or self.total_outbufs_len:  # answering, not waiting for a request
                self.waiting_since = now
            elif not self.will_close and now - self.waiting_since > request_timeout:
                self.will_close = True  # writable() turns true, and handle_write() closes it
            return super().readable()

    return RequestTimeoutChannel


def create_server(directory: Path, host: str = "127.0.0.1", port: int = 8080, tokens_file: Path | None = None,
                  *, request_timeout: float = REQUEST_TIMEOUT):
    """A waitress server, not yet running (``port=0`` picks a free port: ``server.effective_port``),
    with the limits above (``request_timeout`` replaces :data:`REQUEST_TIMEOUT`)."""
    import waitress
    from waitress.server import BaseWSGIServer

    if not isinstance(port, int) or not 0 <= port <= 65535:  # the socket layer would wrap it round
        raise CitynetError(N_("not a port number (1–65535): {value}"), value=port)

    server = waitress.create_server(make_app(directory, tokens_file), host=host, port=port, threads=4,
                                    ident="citynet", connection_limit=CONNECTION_LIMIT,
                                    channel_timeout=IDLE_TIMEOUT, cleanup_interval=CLEANUP_INTERVAL,
                                    asyncore_use_poll=True)
    # One listener, or several (a host name with IPv4 and IPv6 addresses) sharing one map.
    listeners = [server] if isinstance(server, BaseWSGIServer) else [
        s for s in server.map.values() if isinstance(s, BaseWSGIServer)]
    for listener in listeners:
        listener.channel_class = _request_timeout_channel(listener.channel_class, request_timeout)
    return server


def served_urls(host: str, port: int) -> tuple[str, str]:
    """(index page, public feeds) URLs of a server listening on ``host``:``port``."""
    shown = f"[{host}]" if ":" in host and not host.startswith("[") else host
    base = f"http://{shown}:{port}/"
    return base, f"{base}public/"


class StoreFollower:
    """Keeps a feed directory in step with the store (see the module doc): builds once when
    started (everything, if the directory was never built), then again each time the change
    table moved. A failed build (the database busy or gone for a moment) is said through
    ``announce`` and tried again at the next look; the files stay as they were."""

    def __init__(self, engine, directory: Path, tokens_file: Path | None = None, *,
                 interval: float = FOLLOW_INTERVAL,
                 announce: Callable[[str], object] | None = None) -> None:
        self.engine, self.directory, self.tokens_file = engine, Path(directory), tokens_file
        self.interval, self.announce = interval, announce
        self.builds = 0  # builds finished (tests wait on it)
        self._marks: tuple[int, int] | None = None  # what the change table shows when nothing moved
        self._watch_after = 0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def check(self) -> bool:
        """Build if the store moved since the last build (or there was none); True if it built."""
        from citynet.feeds.build import update_feeds
        from citynet.services.feed_changes import change_marks

        marks = change_marks(self.engine, self._watch_after)
        if marks == self._marks:
            return False
        report = update_feeds(self.engine, self.directory, tokens_file=self.tokens_file)
        # A row committed after the build read the table makes the next look differ: it builds again.
        self._marks, self._watch_after = report.quiet_marks, report.watch_after
        self.builds += 1
        return True

    def _run(self) -> None:
        from citynet.i18n import describe

        said = None
        while not self._stop.is_set():
            try:
                self.check()
                said = None
            except Exception as error:  # the next look tries again; the same reason is said once
                line = _("Feeds not updated: {reason}").format(reason=describe(error))
                if self.announce is not None and line != said:
                    self.announce(line)
                said = line
            self._stop.wait(self.interval)

    def start(self) -> "StoreFollower":
        self._thread = threading.Thread(target=self._run, name="citynet-feeds-follow", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=60)


def serve(directory: Path, host: str = "127.0.0.1", port: int = 8080, tokens_file: Path | None = None,
          announce: Callable[[str], object] | None = None, engine=None) -> None:
    """Serve the feed directory until interrupted (blocking); ``announce`` gets one line saying
    where (the index page and the public feeds; internal feeds only under their secret links).
    With ``engine`` the feeds follow that store (:class:`StoreFollower`)."""
    server = create_server(directory, host, port, tokens_file)
    follower = None
    try:
        if announce is not None:
            index, public = served_urls(host, server.effective_port)
            announce(_("Serving {directory} at {index} (public feeds: {public}NAME.ics); "
                       "Ctrl+C stops").format(directory=Path(directory), index=index, public=public))
        if engine is not None:
            follower = StoreFollower(engine, directory, tokens_file, announce=announce).start()
        server.run()
    finally:
        if follower is not None:
            follower.stop()
        server.close()
