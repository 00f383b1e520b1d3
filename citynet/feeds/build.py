"""Building the feed directory: one calendar per event, partner city and network, plus "all".

Layout (``exports/feeds/`` by default)::

    index.html               public subscription links (https and webcal)
    public/<name>.ics        served at /public/<name>.ics
    internal/<name>.ics      served only at /internal/<token>/<name>.ics
    internal/index.html      served only at /internal/<index token>/

Names: ``all``, ``event-<slug>``, ``city-<slug>``, ``network-<slug>``. A file whose bytes did
not change is not rewritten (its mtime, the server's Last-Modified, stays); feeds of records
that disappeared or stopped being visible are removed.
"""

from __future__ import annotations

import html
import os
from pathlib import Path

from citynet.files import atomic_write, check_output_directory, default_output
from citynet.render.ics import render_calendar
from citynet.services.calendar import calendar_stream, event_slugs, network_slugs, partner_city_slugs
from citynet.feeds.tokens import INDEX, default_tokens_file, ensure_tokens

FEEDS_SUBDIR = "feeds"
DEFAULT_BASE_URL = "http://127.0.0.1:8080"
ENV_BASE_URL = "CITYNET_FEEDS_BASE_URL"


def default_directory() -> Path:
    return default_output(FEEDS_SUBDIR)


def feed_specs(engine, audience: str) -> list[tuple[str, str, str | None]]:
    """(feed name, scope, slug) of every feed of an audience."""
    specs: list[tuple[str, str, str | None]] = [("all", "all", None)]
    specs += [(f"event-{slug}", "event", slug) for slug in event_slugs(engine, audience)]
    specs += [(f"city-{slug}", "city", slug) for slug in partner_city_slugs(engine)]
    specs += [(f"network-{slug}", "network", slug) for slug in network_slugs(engine)]
    return specs


def _write_if_changed(path: Path, body: bytes) -> Path:
    try:
        if path.read_bytes() == body:
            return path
    except OSError:
        pass
    return atomic_write(path, body)


def _links(base_url: str, path: str) -> tuple[str, str]:
    https = f"{base_url.rstrip('/')}/{path}"
    scheme, _, rest = https.partition("://")
    return https, f"webcal://{rest}"


def _index_page(title: str, rows: list[tuple[str, str]], base_url: str) -> bytes:
    items = []
    for name, path in rows:
        https, webcal = _links(base_url, path)
        items.append(
            f'<li>{html.escape(name)}: <a href="{html.escape(https)}">{html.escape(https)}</a>'
            f' · <a href="{html.escape(webcal)}">webcal</a></li>')
    return ("<!DOCTYPE html>\n<html lang=\"ja\">\n<head><meta charset=\"utf-8\">"
            "<meta name=\"referrer\" content=\"no-referrer\">"
            f"<title>{html.escape(title)}</title></head>\n<body>\n<h1>{html.escape(title)}</h1>\n"
            "<ul>\n" + "\n".join(items) + "\n</ul>\n</body>\n</html>\n").encode("utf-8")


def _remove_stale(directory: Path, keep: set[Path]) -> None:
    if not directory.is_dir():
        return
    for entry in directory.iterdir():
        if entry.suffix == ".ics" and entry.is_file() and entry not in keep:
            entry.unlink()


def build_feeds(engine, directory: Path | None = None, *, base_url: str | None = None,
                lang: str = "both", tokens_file: Path | None = None,
                create_parent: bool = True) -> list[Path]:
    """Write every feed and both index pages; return the paths written or kept.

    The directory is created when missing; with ``create_parent=False`` (a directory the user
    named) its parent must exist, else nothing is written."""
    if directory is not None:
        check_output_directory(directory, create_parent=create_parent)
    directory = Path(directory) if directory is not None else default_directory()
    base_url = base_url or os.environ.get(ENV_BASE_URL) or DEFAULT_BASE_URL
    tokens_file = Path(tokens_file) if tokens_file is not None else default_tokens_file(directory)
    written: list[Path] = []
    public_rows, internal_rows = [], []
    specs = {audience: feed_specs(engine, audience) for audience in ("public", "internal")}
    tokens = ensure_tokens(tokens_file, [INDEX] + [name for name, _, _ in specs["internal"]])
    for audience in ("public", "internal"):
        folder = directory / audience
        kept = set()
        for name, scope, slug in specs[audience]:
            body = render_calendar(calendar_stream(engine, scope, slug, audience), lang)
            path = _write_if_changed(folder / f"{name}.ics", body)
            kept.add(path)
            written.append(path)
            if audience == "public":
                public_rows.append((name, f"public/{name}.ics"))
            else:
                internal_rows.append((name, f"internal/{tokens[name]}/{name}.ics"))
        _remove_stale(folder, kept)
    written.append(_write_if_changed(directory / "index.html",
                                     _index_page("citynet calendars", public_rows, base_url)))
    written.append(_write_if_changed(directory / "internal" / "index.html",
                                     _index_page("citynet calendars (internal)", internal_rows, base_url)))
    return written
