"""Building the feed directory: one calendar per event, partner city and network, plus "all".

Layout (``exports/feeds/`` by default)::

    index.html               public subscription links (https and webcal)
    public/<name>.ics        served at /public/<name>.ics
    internal/<name>.ics      served only at /internal/<token>/<name>.ics
    internal/index.html      served only at /internal/<index token>/

Names: ``all``, ``event-<slug>``, ``city-<slug>``, ``network-<slug>``. A file whose bytes did
not change is not rewritten (its mtime, the server's Last-Modified, and its ETag stay); feeds of
records that disappeared or stopped being visible are removed.

Incremental: the directory keeps ``.build-state.sqlite`` (never served: the server answers only
the paths above) with each event's rendered VEVENTs per audience (``render.ics.EventBlock``),
the VTIMEZONEs already built (by their zone and instants), what each feed held (its events in
order, its title, a hash of its bytes) and the last ``change`` row built. A build reads the
change rows after it, maps them to the events and bodies they may touch
(``services.feed_changes``), renders only those events again, recomputes the event lists of the
feeds they reach with the calendars' own queries and puts those feeds together from the kept
blocks: the same bytes as rendering each feed whole. Anything it cannot map (a restore, the home
city, a reloaded store, other code, language or database) rebuilds everything.
"""

from __future__ import annotations

import fcntl
import hashlib
import html
import json
import os
import sqlite3
import tempfile
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo

import citynet
from citynet.feeds.tokens import INDEX, default_tokens_file, ensure_tokens
from citynet.files import atomic_write, check_output_directory, default_output
from citynet.render.ics import (
    END,
    LANGS,
    EventBlock,
    calendar_head,
    event_block,
    home_timezone,
    vtimezone_ical,
    write_blocks,
)
from citynet.services import feed_changes
from citynet.services.calendar import (
    BATCH,
    CalendarStream,
    calendar_events,
    calendar_outline,
    event_slugs,
    network_slugs,
    partner_city_slugs,
)
from citynet.store.db import read_schema_state, safe_url

FEEDS_SUBDIR = "feeds"
DEFAULT_BASE_URL = "http://127.0.0.1:8080"
ENV_BASE_URL = "CITYNET_FEEDS_BASE_URL"


def default_directory() -> Path:
    return default_output(FEEDS_SUBDIR)


def feed_specs(engine, audiences: Iterable[str] = ("public", "internal")
               ) -> dict[str, list[tuple[str, str, str | None]]]:
    """(feed name, scope, slug) of every feed, per audience (the cities and networks read once)."""
    bodies = [(f"city-{slug}", "city", slug) for slug in partner_city_slugs(engine)]
    bodies += [(f"network-{slug}", "network", slug) for slug in network_slugs(engine)]
    return {audience: [("all", "all", None), *((f"event-{slug}", "event", slug)
                                               for slug in event_slugs(engine, audience)), *bodies]
            for audience in audiences}


def _file_mark(path: Path) -> str:
    """What tells a file was replaced or changed (rewritten by rename: a new inode)."""
    try:
        found = os.stat(path)
    except OSError:
        return ""
    return f"{found.st_ino}:{found.st_mtime_ns}:{found.st_size}"


def _write_if_changed(path: Path, body: bytes) -> bool:
    """Write ``body`` unless the file holds it already (not flushed: see :func:`_make_durable`);
    True if written."""
    try:
        if path.read_bytes() == body:
            return False
    except OSError:
        pass
    atomic_write(path, body, sync=False)
    return True


# Past this many files written, one sync of the file system costs less than one fsync each
# (a build from scratch writes ~40,000 at 100,000 sessions).
SYNC_ALL_PAST = 16


def _make_durable(paths: list[Path]) -> None:
    """Flush the files a build wrote to disk before its state records them (they were written
    and renamed unflushed): after a crash before that, the next build puts the same feeds
    together again and rewrites any file that did not reach the disk whole."""
    if len(paths) > SYNC_ALL_PAST:
        os.sync()
        return
    for path in paths:
        handle = os.open(path, os.O_RDONLY)
        try:
            os.fsync(handle)
        finally:
            os.close(handle)


def _links(base_url: str, path: str) -> tuple[str, str]:
    https = f"{base_url.rstrip('/')}/{path}"
    _scheme, _, rest = https.partition("://")
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


AUDIENCES = ("public", "internal")
STATE_FILE = ".build-state.sqlite"  # beside the feeds, never served (see the module doc)
LOCK_FILE = ".build.lock"
STATE_VERSION = "2"
# Change rows past which mapping each one costs more than rendering everything again.
FULL_REBUILD_CHANGES = 20_000
# On PostgreSQL a change id is handed out before its transaction commits, so a row may appear
# below the last one built; ids missing below it are looked for again for this long (a write
# transaction lasts seconds; a missing id older than this was rolled back).
GAP_SECONDS = 15 * 60
GAPS_KEPT = 10_000
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICRO = timedelta(microseconds=1)


def _micros(instant: datetime) -> int:
    return (instant - _EPOCH) // _MICRO


# The code a calendar's bytes come from (besides the libraries below): the renderer, the read
# queries and views, and the words (i18n and the compiled catalogs). How the builder keeps its
# state is STATE_VERSION's.
_RENDERING_CODE = ("render/ics.py", "services/calendar.py", "services/convert.py", "services/views.py",
                   "services/events.py", "services/readmodel.py", "store/models.py", "i18n/**/*.py",
                   "i18n/locale/**/*.mo")


@lru_cache(maxsize=1)
def _code_fingerprint() -> str:
    """What the bytes of a calendar depend on besides the store: the code above, icalendar,
    Babel and the time-zone data (any change: every block is rendered again). Read once per
    process: what it renders with is the code it loaded (a server upgraded in place builds
    from scratch when restarted)."""
    from importlib import metadata

    digest = hashlib.sha256()
    package = Path(citynet.__file__).resolve().parent
    for pattern in _RENDERING_CODE:
        for path in sorted(package.glob(pattern)):
            digest.update(f"{path.relative_to(package)}\0".encode())
            digest.update(path.read_bytes())
    for name in ("icalendar", "babel", "tzdata"):
        try:
            digest.update(f"{name}={metadata.version(name)}\0".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{name}=-\0".encode())
    zi = Path("/usr/share/zoneinfo/tzdata.zi")  # the system's zones, when zoneinfo reads them
    if zi.is_file():
        digest.update(zi.read_bytes())
    return digest.hexdigest()


class _State:
    """The build state and the rendered blocks, in one SQLite file (one transaction per build)."""

    def __init__(self, path: Path) -> None:
        self.db = sqlite3.connect(path, isolation_level=None)
        os.chmod(path, 0o600)  # it holds internal calendars' entries
        self.db.executescript("""
            PRAGMA journal_mode=WAL;
            CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS block (audience TEXT NOT NULL, event_id INTEGER NOT NULL,
                body BLOB NOT NULL, count INTEGER NOT NULL, latest TEXT NOT NULL,
                instants TEXT NOT NULL, PRIMARY KEY (audience, event_id));
            CREATE TABLE IF NOT EXISTS zone (digest TEXT PRIMARY KEY, body BLOB NOT NULL);
            CREATE TABLE IF NOT EXISTS feed (audience TEXT NOT NULL, name TEXT NOT NULL,
                title TEXT NOT NULL, events TEXT NOT NULL, sha TEXT NOT NULL, zones TEXT NOT NULL,
                PRIMARY KEY (audience, name));
            CREATE TABLE IF NOT EXISTS member (audience TEXT NOT NULL, event_id INTEGER NOT NULL,
                name TEXT NOT NULL, PRIMARY KEY (audience, event_id, name));
            CREATE TABLE IF NOT EXISTS block_instant (audience TEXT NOT NULL, tzid TEXT NOT NULL,
                instant INTEGER NOT NULL, event_id INTEGER NOT NULL,
                PRIMARY KEY (audience, tzid, instant, event_id));
            CREATE INDEX IF NOT EXISTS ix_block_instant_event ON block_instant (audience, event_id);
            CREATE INDEX IF NOT EXISTS ix_block_latest ON block (audience, latest);
            CREATE TABLE IF NOT EXISTS layout (audience TEXT NOT NULL, name TEXT NOT NULL,
                start INTEGER NOT NULL, events TEXT NOT NULL, lengths TEXT NOT NULL,
                zones TEXT NOT NULL, PRIMARY KEY (audience, name));
        """)
        self.touched_zones: dict[str, set[str]] = {}  # per audience: zones whose instants changed

    def meta(self) -> dict[str, str]:
        return dict(self.db.execute("SELECT key, value FROM meta"))

    def set_meta(self, values: dict[str, str]) -> None:
        self.db.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", values.items())

    def clear(self) -> None:
        for table in ("meta", "block", "zone", "feed", "member", "block_instant", "layout"):
            self.db.execute(f"DELETE FROM {table}")

    def cached_events(self, audience: str) -> set[int]:
        return {r[0] for r in self.db.execute("SELECT event_id FROM block WHERE audience = ?", (audience,))}

    def put_block(self, audience: str, event_id: int, block: EventBlock) -> None:
        instants = {tzid: sorted(_micros(i) for i in found) for tzid, found in block.instants.items()}
        self.drop_blocks(audience, [event_id])
        # In UTC, so that the text's order is the instants' (see latest()).
        self.db.execute("INSERT INTO block VALUES (?, ?, ?, ?, ?, ?)",
                        (audience, event_id, block.body, block.count,
                         block.latest.astimezone(UTC).isoformat(),
                         json.dumps(instants, separators=(",", ":"))))
        self.db.executemany("INSERT INTO block_instant VALUES (?, ?, ?, ?)",
                            [(audience, tzid, i, event_id) for tzid, found in instants.items() for i in found])
        self.touched_zones.setdefault(audience, set()).update(instants)

    def drop_blocks(self, audience: str, event_ids: Iterable[int]) -> None:
        for event_id in event_ids:
            self.touched_zones.setdefault(audience, set()).update(r[0] for r in self.db.execute(
                "SELECT DISTINCT tzid FROM block_instant WHERE audience = ? AND event_id = ?", (audience, event_id)))
            self.db.execute("DELETE FROM block_instant WHERE audience = ? AND event_id = ?", (audience, event_id))
            self.db.execute("DELETE FROM block WHERE audience = ? AND event_id = ?", (audience, event_id))

    def bodies(self, audience: str, event_ids: Iterable[int]) -> dict[int, bytes]:
        ordered = sorted(set(event_ids))
        found: dict[int, bytes] = {}
        for first in range(0, len(ordered), 500):
            chunk = ordered[first:first + 500]
            found.update((r[0], bytes(r[1])) for r in self.db.execute(
                f"SELECT event_id, body FROM block WHERE audience = ? AND event_id IN ({','.join('?' * len(chunk))})",
                (audience, *chunk)))
        return found

    def latest(self, audience: str) -> datetime | None:
        """The latest change of any block: one index lookup (ISO text in UTC sorts as the
        instants do: a whole second sorts before itself with a fraction)."""
        found = self.db.execute("SELECT max(latest) FROM block WHERE audience = ?", (audience,)).fetchone()[0]
        return None if found is None else datetime.fromisoformat(found)

    def zone_instants(self, audience: str, tzid: str) -> frozenset[int]:
        """The distinct instants of a zone over every block of the audience (the "all" feed's)."""
        return frozenset(r[0] for r in self.db.execute(
            "SELECT DISTINCT instant FROM block_instant WHERE audience = ? AND tzid = ?", (audience, tzid)))

    def zone_body(self, digest: str) -> bytes | None:
        row = self.db.execute("SELECT body FROM zone WHERE digest = ?", (digest,)).fetchone()
        return None if row is None else bytes(row[0])

    def layout(self, audience: str, name: str):
        row = self.db.execute("SELECT start, events, lengths, zones FROM layout WHERE audience = ? AND name = ?",
                              (audience, name)).fetchone()
        return None if row is None else (row[0], json.loads(row[1]), json.loads(row[2]), json.loads(row[3]))

    def put_layout(self, audience: str, name: str, start: int, events: list[int], lengths: list[int],
                   zones: dict[str, str]) -> None:
        self.db.execute("INSERT OR REPLACE INTO layout VALUES (?, ?, ?, ?, ?, ?)",
                        (audience, name, start, json.dumps(events), json.dumps(lengths), json.dumps(zones)))

    def blocks(self, audience: str, event_ids: list[int]) -> Iterator[EventBlock]:
        """The kept blocks of ``event_ids`` in that order; instants as integer microseconds
        (what :meth:`zone` reads back)."""
        for first in range(0, len(event_ids), 500):
            chunk = event_ids[first:first + 500]
            rows = {r[0]: r[1:] for r in self.db.execute(
                f"SELECT event_id, body, count, latest, instants FROM block WHERE audience = ? "
                f"AND event_id IN ({','.join('?' * len(chunk))})", (audience, *chunk))}
            for event_id in chunk:
                body, count, latest, instants = rows[event_id]
                yield EventBlock(body, count, datetime.fromisoformat(latest),
                                 {tzid: frozenset(found) for tzid, found in json.loads(instants).items()})

    def zone(self, tzid: str, instants: frozenset, used: dict[str, str]) -> bytes:
        """The VTIMEZONE of ``tzid`` for these instants (microseconds since the epoch, as the
        blocks keep them), built once per distinct set."""
        if any(not isinstance(i, int) for i in instants):  # an empty calendar's placeholder day
            return vtimezone_ical(tzid, instants)
        digest = _zone_digest(tzid, instants)
        used[tzid] = digest
        row = self.db.execute("SELECT body FROM zone WHERE digest = ?", (digest,)).fetchone()
        if row is not None:
            return bytes(row[0])
        zone = ZoneInfo(tzid)
        body = vtimezone_ical(tzid, [(_EPOCH + i * _MICRO).astimezone(zone) for i in instants])
        self.db.execute("INSERT OR REPLACE INTO zone VALUES (?, ?)", (digest, body))
        return body

    def feed_names(self, audience: str) -> set[str]:
        """Every feed built (its key's index alone is read)."""
        return {r[0] for r in self.db.execute("SELECT name FROM feed WHERE audience = ?", (audience,))}

    def feed(self, audience: str, name: str) -> tuple[str, str] | None:
        """(title, hash of the bytes) of a feed built, or None."""
        row = self.db.execute("SELECT title, sha FROM feed WHERE audience = ? AND name = ?",
                              (audience, name)).fetchone()
        return None if row is None else (row[0], row[1])

    def feed_events(self, audience: str, name: str) -> list[int] | None:
        row = self.db.execute("SELECT events FROM feed WHERE audience = ? AND name = ?", (audience, name)).fetchone()
        return None if row is None else json.loads(row[0])

    def lengths(self, audience: str, event_ids: list[int]) -> list[int]:
        found: dict[int, int] = {}
        for first in range(0, len(event_ids), 500):
            chunk = event_ids[first:first + 500]
            found.update(self.db.execute(
                f"SELECT event_id, length(body) FROM block WHERE audience = ? AND event_id IN ({','.join('?' * len(chunk))})",
                (audience, *chunk)))
        return [found[i] for i in event_ids]

    def length(self, audience: str, event_ids: list[int]) -> int:
        return sum(self.lengths(audience, event_ids))

    def put_feed(self, audience: str, name: str, title: str, events: list[int], sha: str,
                 zones: set[str]) -> None:
        self.db.execute("INSERT OR REPLACE INTO feed VALUES (?, ?, ?, ?, ?, ?)",
                        (audience, name, title, json.dumps(events), sha, json.dumps(sorted(zones))))
        self.db.execute("DELETE FROM member WHERE audience = ? AND name = ?", (audience, name))
        if name != "all":
            self.db.executemany("INSERT OR IGNORE INTO member VALUES (?, ?, ?)",
                                [(audience, event_id, name) for event_id in events])

    def drop_feed(self, audience: str, name: str) -> None:
        self.db.execute("DELETE FROM feed WHERE audience = ? AND name = ?", (audience, name))
        self.db.execute("DELETE FROM member WHERE audience = ? AND name = ?", (audience, name))
        self.db.execute("DELETE FROM layout WHERE audience = ? AND name = ?", (audience, name))

    def feeds_holding(self, audience: str, event_ids: set[int]) -> set[str]:
        found: set[str] = set()
        ordered = sorted(event_ids)
        for first in range(0, len(ordered), 500):
            chunk = ordered[first:first + 500]
            found.update(r[0] for r in self.db.execute(
                f"SELECT name FROM member WHERE audience = ? AND event_id IN ({','.join('?' * len(chunk))})",
                (audience, *chunk)))
        return found

    def prune_zones(self) -> None:
        used = set()
        for (zones,) in self.db.execute("SELECT zones FROM feed"):
            used.update(json.loads(zones))
        for (zones,) in self.db.execute("SELECT zones FROM layout"):
            used.update(json.loads(zones).values())
        kept = {r[0] for r in self.db.execute("SELECT digest FROM zone")}
        self.db.executemany("DELETE FROM zone WHERE digest = ?", [(d,) for d in kept - used])


def _zone_digest(tzid: str, instants: frozenset[int]) -> str:
    return hashlib.sha256(f"{tzid}:{','.join(map(str, sorted(instants)))}".encode()).hexdigest()


@contextmanager
def _locked(directory: Path) -> Iterator[None]:
    """One build at a time per directory (a server following the store and a ``feeds build``)."""
    with open(directory / LOCK_FILE, "a+b") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


@dataclass
class BuildReport:
    """What one build did: every path written or kept, those rewritten, whether it started over."""

    listed: dict[str, list[str]] = field(default_factory=dict)  # every feed's name, per audience
    pages: list[Path] = field(default_factory=list)  # the index pages
    rewritten: list[Path] = field(default_factory=list)
    rendered_events: int = 0
    full: bool = False
    last_change: int = 0
    # Change rows after this id are what the next build has to look at (the last one built, or
    # below it the first id not yet committed when this build read): what a server watches.
    watch_after: int = 0
    directory: Path = Path()

    quiet_marks: tuple[int, int] = (0, 0)  # feed_changes.change_marks(watch_after) while quiet

    @property
    def feeds(self) -> list[tuple[str, str]]:
        """(audience, name) of every feed (made when asked, as the paths: 35,000 at 100k)."""
        return [(audience, name) for audience, names in self.listed.items() for name in names]

    @property
    def paths(self) -> list[Path]:
        """Every feed file and both index pages (made when asked)."""
        return [self.directory / audience / f"{name}.ics" for audience, name in self.feeds] + self.pages


def _title_key(outline: CalendarStream) -> str:
    home = outline.home
    return json.dumps([outline.title.ja, outline.title.en, home.timezone if home else None])


def build_feeds(engine, directory: Path | None = None, *, base_url: str | None = None,
                lang: str = "both", tokens_file: Path | None = None,
                create_parent: bool = True, full: bool = False) -> list[Path]:
    """Write every feed and both index pages; return the paths written or kept.

    Incremental (see the module doc): only the feeds the store's changes since the last build
    reach are put together again, and only those whose bytes changed are rewritten; ``full``
    renders everything again. The directory is created when missing; with
    ``create_parent=False`` (a directory the user named) its parent must exist, else nothing is
    written."""
    return update_feeds(engine, directory, base_url=base_url, lang=lang, tokens_file=tokens_file,
                        create_parent=create_parent, full=full).paths


def update_feeds(engine, directory: Path | None = None, *, base_url: str | None = None,
                 lang: str = "both", tokens_file: Path | None = None,
                 create_parent: bool = True, full: bool = False) -> BuildReport:
    """:func:`build_feeds`, saying what it did."""
    if lang not in LANGS:
        from citynet.errors import CitynetError
        from citynet.render.ics import E_LANGUAGE
        raise CitynetError(E_LANGUAGE, lang=lang)
    if directory is not None:
        check_output_directory(directory, create_parent=create_parent)
    directory = Path(directory) if directory is not None else default_directory()
    directory.mkdir(parents=create_parent, exist_ok=True)
    tokens_file = Path(tokens_file) if tokens_file is not None else default_tokens_file(directory)
    with _locked(directory):
        state = _State(directory / STATE_FILE)
        try:
            state.db.execute("BEGIN IMMEDIATE")
            report = _build(engine, directory, state, base_url, lang, tokens_file, full)
            state.db.execute("COMMIT")
        except BaseException:
            state.db.execute("ROLLBACK")
            raise
        finally:
            state.db.close()
    return report


def _build(engine, directory: Path, state: _State, base_url: str | None, lang: str,
           tokens_file: Path, full: bool) -> BuildReport:
    report = BuildReport()
    meta = state.meta()
    base_url = base_url or os.environ.get(ENV_BASE_URL) or meta.get("base_url") or DEFAULT_BASE_URL
    fingerprint = "|".join([STATE_VERSION, _code_fingerprint(), lang, safe_url(engine),
                            str(read_schema_state(engine).revision)])
    newest = feed_changes.last_change(engine)
    newest_id = newest[0] if newest else 0
    last = int(meta.get("last_change", "0"))
    gaps: dict[int, float] = {int(k): v for k, v in json.loads(meta.get("gaps", "{}")).items()}
    reach = feed_changes.Reach(full=True)
    if not full and meta.get("fingerprint") == fingerprint and newest_id >= last and (
            last == 0 or feed_changes.change_fingerprint(engine, last) == meta.get("last_fingerprint")):
        rows = feed_changes.changes_after(engine, last, gaps)
        if len(rows) <= FULL_REBUILD_CHANGES:
            reach = feed_changes.reach_of(engine, rows)
        seen = {r.id for r in rows}
        low = last
    else:
        seen, low, gaps = set(), max(0, newest_id - 1000), {}
    report.full = reach.full
    if reach.full:
        state.clear()
    now = time.time()
    if engine.dialect.name == "postgresql":  # see GAP_SECONDS
        gaps = {i: t for i, t in gaps.items() if i not in seen and now - t < GAP_SECONDS}
        if newest_id > low:
            committed = _present_ids(engine, low, newest_id)
            gaps.update({i: now for i in range(low + 1, newest_id) if i not in committed and i not in gaps})
        if len(gaps) > GAPS_KEPT:
            gaps = dict(sorted(gaps.items())[-GAPS_KEPT:])
    else:
        gaps = {}

    outlines = {audience: calendar_outline(engine, "all", None, audience) for audience in AUDIENCES}
    home_tz = home_timezone(outlines["public"][0])
    if meta.get("home_tz") not in (None, home_tz) and not reach.full:
        state.clear()
        reach = feed_changes.Reach(full=True)
        report.full = True
    # The feeds there are, in order: read from the store when the changes may alter the list,
    # else the list built last time (35,000 names at 100,000 sessions; a name says its scope
    # and slug: <scope>-<slug>).
    listing = reach.full or reach.listing or any(f"feeds:{audience}" not in meta for audience in AUDIENCES)
    if listing:
        listed = {audience: [name for name, _, _ in specs]
                  for audience, specs in feed_specs(engine, AUDIENCES).items()}
    else:
        listed = {audience: json.loads(meta[f"feeds:{audience}"]) for audience in AUDIENCES}

    # Which events, cities and networks the changes reach (for the feeds below).
    reached_cities: set[str] = set()
    reached_networks: set[str] = set()
    touched = reach.events | reach.tied
    if not reach.full and not reach.empty:
        tied_cities, tied_organisations = feed_changes.bodies_of(engine, reach.tied)
        cities = reach.cities | tied_cities
        organisations = reach.organisations | tied_organisations
        networks = reach.networks | feed_changes.networks_of(engine, cities, organisations, reach.network_slugs)
        reached_cities = feed_changes.slugs_of(engine, "city", cities)
        reached_networks = feed_changes.slugs_of(engine, "network", networks)
        reached_events = feed_changes.slugs_of(engine, "event", touched)
    else:
        reached_events = set()

    # The blocks: every event of each audience, rendered again where the changes reach it.
    render: dict[str, list[int]] = {}
    changed: dict[str, set[int]] = {}
    for audience in AUDIENCES:
        all_ids = outlines[audience][1]
        cached = state.cached_events(audience)
        visible = set(all_ids)
        state.drop_blocks(audience, cached - visible)
        render[audience] = [i for i in all_ids if i not in cached or i in reach.events]
        changed[audience] = set(render[audience]) | (cached - visible)
    _render_blocks(engine, state, render, home_tz, lang)
    report.listed = listed
    report.rendered_events = sum(map(len, render.values()))

    written: list[Path] = []  # every file this build wrote, made durable before the state says so
    for audience in AUDIENCES:
        outline_all, all_ids = outlines[audience]
        changed_blocks = changed[audience]
        names = set(listed[audience])
        # The feeds: those the changes reach, or new, or whose file is missing, put together again.
        kept = state.feed_names(audience) if listing else names  # the list is the feeds built
        folder = directory / audience
        present = {n[:-4] for n in (os.listdir(folder) if folder.is_dir() else ()) if n.endswith(".ics")}
        if reach.full:
            wanted = names
        else:
            wanted = names & ({"all"} | (names - kept) | (names - present)
                              | state.feeds_holding(audience, touched | changed_blocks)
                              | {f"event-{slug}" for slug in reached_events}
                              | {f"city-{slug}" for slug in reached_cities}
                              | {f"network-{slug}" for slug in reached_networks})
        for name in (name for name in listed[audience] if name in wanted):
            scope, _, slug = name.partition("-")
            path = folder / f"{name}.ics"
            outline, ids = (outline_all, all_ids) if scope == "all" else \
                calendar_outline(engine, scope, slug, audience)
            title = _title_key(outline)
            before = state.feed(audience, name)
            on_disk = name in present
            if (before is not None and before[0] == title and not changed_blocks.intersection(ids)
                    and on_disk and state.feed_events(audience, name) == ids):
                continue  # the same events, none of them changed: the same bytes
            # The hash of the file's bytes as last built ("": not taken, see _splice_all).
            old_sha = (before[1] or None) if before is not None and on_disk else None
            if scope == "all" and before is not None and on_disk:
                # Every event of the audience: spliced from the file as it is and the blocks
                # that changed (the file is ~100 MB at 100,000 sessions).
                spliced = _splice_all(path, outline, lang, state, audience, ids, changed_blocks)
                if spliced is not None:
                    if spliced:
                        report.rewritten.append(path)
                        state.put_feed(audience, name, title, ids, "", set())
                    else:
                        state.put_feed(audience, name, title, ids, before[1], set())
                    continue
            zones_used: dict[str, str] = {}
            result = _write_feed(path, outline, lang, state.blocks(audience, ids),
                                 lambda tzid, found, used=zones_used: state.zone(tzid, found, used), old_sha)
            if result.rewritten:
                report.rewritten.append(path)
            state.put_feed(audience, name, title, ids, result.sha, set(zones_used.values()))
            if scope == "all":
                state.put_layout(audience, name, path.stat().st_size - len(END) - state.length(audience, ids),
                                 ids, state.lengths(audience, ids), zones_used)
        for name in kept - names:
            state.drop_feed(audience, name)
        for stale in present - names:
            if (folder / f"{stale}.ics").is_file():
                (folder / f"{stale}.ics").unlink()
    if report.full:  # an incremental build adds a few; a build from scratch starts the list again
        state.prune_zones()
    written += report.rewritten
    # The index pages change only with the feed list, a token or the base URL (35,000 rows at
    # 100,000 sessions: neither the tokens nor the pages are read while these stay).
    report.pages = [directory / "index.html", directory / "internal" / "index.html"]
    tokens_mark = _file_mark(tokens_file)
    if (listing or base_url != meta.get("base_url") or tokens_mark != meta.get("tokens")
            or not all(path.is_file() for path in report.pages)):
        tokens = ensure_tokens(tokens_file, [INDEX, *listed["internal"]])
        tokens_mark = _file_mark(tokens_file)
        links = {"public": [(name, f"public/{name}.ics") for name in listed["public"]],
                 "internal": [(name, f"internal/{tokens[name]}/{name}.ics") for name in listed["internal"]]}
        for path, title, audience in zip(report.pages, ("citynet calendars", "citynet calendars (internal)"),
                                         AUDIENCES):
            if _write_if_changed(path, _index_page(title, links[audience], base_url)):
                written.append(path)
    _make_durable(written)
    report.directory = directory
    if listing:
        state.set_meta({f"feeds:{audience}": json.dumps(listed[audience]) for audience in AUDIENCES})
    state.set_meta({"fingerprint": fingerprint, "base_url": base_url, "home_tz": home_tz, "tokens": tokens_mark,
                    "last_change": str(newest_id), "last_fingerprint": newest[1] if newest else "",
                    "gaps": json.dumps({str(k): v for k, v in gaps.items()})})
    report.last_change = newest_id
    report.watch_after = min([newest_id, *(i - 1 for i in gaps)])
    # What the change table shows while nothing new is written: every id after watch_after up
    # to the newest one is there, but for the gaps.
    report.quiet_marks = (newest_id, newest_id - report.watch_after - len(gaps))
    return report


def _render_blocks(engine, state: _State, render: dict[str, list[int]], home_tz: str, lang: str) -> None:
    """Render and keep the blocks of the events in ``render`` (ids per audience). A block
    depends only on the :class:`CalendarEvent` (and the zone and language), so an event the
    internal audience reads as the public one does (no session only it may see: most events)
    is rendered once for both; both audiences' events are read a batch at a time."""
    public = set(render["public"])
    internal = render["internal"]
    for first in range(0, len(internal), BATCH):
        chunk = internal[first:first + BATCH]
        seen = {ev.event.id: ev for ev in calendar_events(engine, [i for i in chunk if i in public], "public")}
        for ev in calendar_events(engine, chunk, "internal"):
            block = event_block(ev, home_tz, lang)
            state.put_block("internal", ev.event.id, block)
            if seen.get(ev.event.id) == ev:
                state.put_block("public", ev.event.id, block)
                del seen[ev.event.id]
        for ev in seen.values():
            state.put_block("public", ev.event.id, event_block(ev, home_tz, lang))
    alone = set(internal)
    for ev in calendar_events(engine, [i for i in render["public"] if i not in alone], "public"):
        state.put_block("public", ev.event.id, event_block(ev, home_tz, lang))


def _present_ids(engine, low: int, high: int) -> set[int]:
    import sqlalchemy as sa

    from citynet.services.tables import table_of
    from citynet.store import models as m

    table = table_of(m.Change)
    with engine.connect() as c:
        return set(c.execute(sa.select(table.c.id).where(table.c.id > low, table.c.id <= high)).scalars())


@dataclass(frozen=True)
class _Written:
    sha: str
    rewritten: bool


def _write_feed(path: Path, outline: CalendarStream, lang: str, blocks: Iterable[EventBlock],
                zones, old_sha: str | None) -> _Written:
    """Put the feed together; write it if its bytes differ from the file's (``old_sha``: their
    hash, None when not known: the file is read)."""
    with tempfile.SpooledTemporaryFile(max_size=8 << 20) as spool:
        write_blocks(outline, lang, blocks, spool, zones=zones)
        spool.seek(0)
        digest = hashlib.sha256()
        while chunk := spool.read(1 << 20):
            digest.update(chunk)
        sha = digest.hexdigest()
        if old_sha is None and path.is_file():  # built from scratch: the file may be the same still
            old_sha = hashlib.sha256(path.read_bytes()).hexdigest()
        if sha == old_sha:
            return _Written(sha, False)
        spool.seek(0)
        atomic_write(path, spool, binary=False, sync=False)
    return _Written(sha, True)


class _Spliced:
    """A read-only stream of chunks (what ``atomic_write`` copies from)."""

    def __init__(self, chunks: Iterator[bytes]) -> None:
        self.chunks = chunks

    def read(self, _size: int = -1) -> bytes:
        for chunk in self.chunks:
            if chunk:
                return chunk
        return b""


def _splice_all(path: Path, outline: CalendarStream, lang: str, state: _State, audience: str,
                ids: list[int], changed: set[int]) -> bool | None:
    """The "all" feed from the file as it is, with the blocks of changed events replaced, added
    or dropped and the VTIMEZONEs of the zones whose instants changed built again: the bytes
    :func:`write_blocks` would write. True if rewritten, False if the bytes are the same; None
    when the file is not as last built (then it is put together whole). The bytes are not
    hashed (100 MB: a fifth of a second): the feed's hash is then recorded as not taken, and a
    build that puts the file together whole reads it again."""
    layout = state.layout(audience, "all")
    if layout is None:
        return None
    start, old_ids, old_lengths, old_zones = layout
    try:
        size = path.stat().st_size
    except OSError:
        return None
    if size != start + sum(old_lengths) + len(END):
        return None
    zones = dict(old_zones)
    for tzid in state.touched_zones.get(audience, set()):
        instants = state.zone_instants(audience, tzid)
        if instants:
            state.zone(tzid, instants, zones)  # built and kept once per distinct set
        else:
            zones.pop(tzid, None)
    bodies = [(tzid, state.zone_body(zones[tzid])) for tzid in sorted(zones)]
    if not zones or any(body is None for _tzid, body in bodies):
        return None  # an empty calendar, or all-day entries only: put together whole
    head = calendar_head(outline, lang, state.latest(audience), bodies)  # type: ignore[arg-type]
    offsets, at = {}, start
    for event_id, length in zip(old_ids, old_lengths):
        offsets[event_id] = (at, length)
        at += length
    new = state.bodies(audience, [i for i in ids if i in changed or i not in offsets])
    lengths = [len(new[i]) if i in new else offsets[i][1] for i in ids]
    with open(path, "rb") as old:

        def unchanged(event_id: int, body: bytes) -> bool:
            if event_id not in offsets or offsets[event_id][1] != len(body):
                return False
            old.seek(offsets[event_id][0])
            return old.read(len(body)) == body

        # The same bytes (an event with no entries came or went, a block rendered the same):
        # the file, its mtime and its ETag stay.
        if (head == old.read(start)
                and [i for i, n in zip(ids, lengths) if n] == [i for i, n in zip(old_ids, old_lengths) if n]
                and all(unchanged(i, body) for i, body in new.items() if body)):
            state.put_layout(audience, "all", len(head), ids, lengths, zones)
            return False

        def chunks() -> Iterator[bytes]:
            yield head
            run: list[int] = []  # [offset, length] of old bytes to copy

            def flush() -> Iterator[bytes]:
                if run:
                    old.seek(run[0])
                    left = run[1]
                    while left > 0:
                        piece = old.read(min(left, 1 << 20))
                        if not piece:
                            raise OSError(f"{path} changed while read")
                        left -= len(piece)
                        yield piece
                    run.clear()

            for event_id in ids:
                if event_id in new:
                    yield from flush()
                    yield new[event_id]
                else:
                    offset, length = offsets[event_id]
                    if run and run[0] + run[1] == offset:
                        run[1] += length
                    else:
                        yield from flush()
                        run.extend((offset, length))
            yield from flush()
            yield END

        atomic_write(path, _Spliced(chunks()), binary=False, sync=False)  # type: ignore[arg-type]
    state.put_layout(audience, "all", len(head), ids, lengths, zones)
    return True
