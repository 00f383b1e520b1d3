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
"""

from __future__ import annotations

import hashlib
import re
from email.utils import formatdate, parsedate_to_datetime
from pathlib import Path

from citynet.feeds.tokens import INDEX, default_tokens_file, load_tokens, token_matches

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


def create_server(directory: Path, host: str = "127.0.0.1", port: int = 8080, tokens_file: Path | None = None):
    """A waitress server, not yet running (``port=0`` picks a free port: ``server.effective_port``)."""
    import waitress

    return waitress.create_server(make_app(directory, tokens_file), host=host, port=port, threads=4,
                                  ident="citynet")


def serve(directory: Path, host: str = "127.0.0.1", port: int = 8080, tokens_file: Path | None = None) -> None:
    """Serve the feed directory until interrupted (blocking)."""
    server = create_server(directory, host, port, tokens_file)
    try:
        server.run()
    finally:
        server.close()
