"""Releases of a briefing or programme, and what changed since one.

A release is a document as it went out (``citynet release``): a row of ``document_release``
numbered per event, document and language, holding a *snapshot* of the data the document was
built from. The snapshot is the canonical JSON (keys sorted, no spaces) of a compact read model:

- the event: title, dates, venue, city, time zone, status;
- each session, keyed by its uuid (stable across renames): title, kind, status, day or instants
  (UTC, ISO), room;
- each participant of a session, keyed by the person (``person:<slug>``) or, for a post whose
  holder is unknown, the post (``position:<slug>``): role, name and post as the documents print
  them, in Japanese and in English.

Names and posts are kept as words, not ids, so that a diff can still name someone who has since
been deleted or renamed. :func:`differences` compares two snapshots; the current data is
snapshotted the same way, so "what changed since v1" is ``differences(v1, now)``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, timezone
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import col

from citynet.errors import N_, CitynetError, NotFound
from citynet.i18n.names import person_display_name, position_title, titled_name
from citynet.services.views import EventDetail, ParticipantView, PersonRef
from citynet.store import models as m

SNAPSHOT_SCHEMA = 1
DOCUMENTS = m.RELEASE_DOCUMENTS
LANGS = m.DOCUMENT_LANGS


def canonical_json(value: Any) -> str:
    """The one JSON form of a snapshot: keys sorted, no spaces, text as written."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _both(ja: str | None, en: str | None) -> dict[str, str | None]:
    return {"ja": ja, "en": en}


def _iso(value: date | datetime | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):  # instants in UTC, as the store keeps them
        aware = value if value.tzinfo is not None else value.replace(tzinfo=timezone.utc)
        return aware.astimezone(timezone.utc).isoformat()
    return value.isoformat()


def _person_name(person: PersonRef, lang: str) -> str:
    return person_display_name(person.family_name_ja, person.given_name_ja, person.family_name_latin,
                               person.given_name_latin, person.name_order, lang,
                               katakana=person.name_katakana)


def _participant(p: ParticipantView) -> tuple[str, dict]:
    holder = p.holder
    post = p.position
    if holder is not None:
        key = f"person:{holder.slug}"
    else:
        assert post is not None  # a participant is a person or a post (CHECK ck_participant_who)
        key = f"position:{post.slug}"
    entry = {
        "role": p.role,
        "name": _both(*(_person_name(holder, lang) if holder else None for lang in ("ja", "en"))),
        "post": _both(*(position_title(post.title.ja, post.title.en, post.ended, lang) if post else None
                        for lang in ("ja", "en"))),
        "capacity": _both(p.capacity.ja, p.capacity.en),
    }
    return key, entry


def document_snapshot(detail: EventDetail) -> dict:
    """The compact read model of an event document (see the module's description)."""
    event = detail.event
    sessions = {}
    for s in detail.sessions:
        participants = dict(_participant(p) for p in s.participants)
        sessions[s.uuid] = {
            "slug": s.slug, "kind": s.kind, "status": s.status,
            "title": _both(s.title.ja, s.title.en), "room": _both(s.room.ja, s.room.en),
            "day": _iso(s.local_day), "starts_at": _iso(s.starts_at), "ends_at": _iso(s.ends_at),
            "timezone": s.timezone, "participants": participants,
        }
    city = event.city
    return {
        "schema": SNAPSHOT_SCHEMA,
        "event": {
            "slug": event.slug, "kind": event.kind, "status": event.status,
            "title": _both(event.title.ja, event.title.en), "venue": _both(event.venue.ja, event.venue.en),
            "city": _both(city.name.ja, city.name.en) if city else None,
            "start_date": _iso(event.start_date), "end_date": _iso(event.end_date),
            "timezone": event.timezone,
        },
        "sessions": sessions,
    }


# --- what changed ---------------------------------------------------------------------------

# The kinds of difference, in the order a reader wants them: the event, then each session.
EVENT_FIELDS = ("title", "start_date", "end_date", "venue", "city", "status")
SESSION_FIELDS = ("title", "room")


@dataclass(frozen=True)
class Difference:
    """One difference between two snapshots. ``what`` is one of: ``event_<field>`` (a field of
    the event changed), ``session_added``, ``session_removed``, ``session_cancelled``,
    ``session_moved`` (day or times), ``session_status``, ``session_title``, ``session_room``,
    ``participant_added``, ``participant_removed``, ``participant_post`` (same person, another
    post or role). ``session`` is the session's entry (the new one, or the old one when removed);
    ``old`` and ``new`` the values compared (snapshot entries); ``who`` a participant's entry."""

    what: str
    session: dict | None = None
    old: Any = None
    new: Any = None
    who: dict | None = None


def _when(entry: dict) -> tuple:
    return (entry.get("day"), entry.get("starts_at"), entry.get("ends_at"))


def _session_order(entry: dict) -> tuple:
    return (entry.get("starts_at") or entry.get("day") or "~", entry.get("slug") or "")


def differences(old: dict, new: dict) -> tuple[Difference, ...]:
    """What changed from snapshot ``old`` to snapshot ``new``, event first, then sessions in
    time order (a removed session where it was)."""
    found: list[Difference] = []
    old_event, new_event = old["event"], new["event"]
    for name in EVENT_FIELDS:
        if old_event.get(name) != new_event.get(name):
            found.append(Difference(f"event_{name}", None, old_event.get(name), new_event.get(name)))
    before, after = old["sessions"], new["sessions"]
    keys = sorted(set(before) | set(after),
                  key=lambda k: _session_order(after.get(k) or before[k]))
    for key in keys:
        was, now = before.get(key), after.get(key)
        if was is None:
            found.append(Difference("session_added", now))
            continue
        if now is None:
            found.append(Difference("session_removed", was))
            continue
        if was["status"] != now["status"]:
            what = "session_cancelled" if now["status"] == "cancelled" else "session_status"
            found.append(Difference(what, now, was["status"], now["status"]))
        if _when(was) != _when(now):
            found.append(Difference("session_moved", now, was, now))
        for name in SESSION_FIELDS:
            if was.get(name) != now.get(name):
                found.append(Difference(f"session_{name}", now, was.get(name), now.get(name)))
        found.extend(_participant_differences(now, was["participants"], now["participants"]))
    return tuple(found)


def _participant_differences(session: dict, was: dict, now: dict) -> list[Difference]:
    found = []
    for key in sorted(set(was) | set(now), key=lambda k: (k not in was, k)):
        if key not in now:
            found.append(Difference("participant_removed", session, who=was[key]))
        elif key not in was:
            found.append(Difference("participant_added", session, who=now[key]))
        elif (was[key]["post"], was[key]["role"]) != (now[key]["post"], now[key]["role"]):
            found.append(Difference("participant_post", session, was[key], now[key], who=now[key]))
    return found


# --- releases as stored -------------------------------------------------------------------


@dataclass(frozen=True)
class ReleaseView:
    id: int
    event_slug: str
    document: str
    lang: str
    version: int
    released_at: datetime
    released_by: str | None
    recipients: str | None
    note: str | None
    content_hash: str
    accepted_warnings: tuple[dict, ...]  # {"key", "rule", "blocking", "text": {"ja", "en"}}


def event_id_of(connection: sa.Connection, slug: str) -> int:
    found = connection.execute(sa.select(col(m.Event.id)).where(col(m.Event.slug) == slug)).scalar()
    if found is None:
        raise NotFound(N_("no event with slug {slug!r}"), slug=slug)
    return found


_R = m.Release


def _view(row: Any, slug: str) -> ReleaseView:
    return ReleaseView(row.id, slug, row.document, row.lang, row.version, row.created_at,
                       row.updated_by, row.recipients, row.note, row.content_hash,
                       tuple(json.loads(row.accepted_warnings or "[]")))


_COLUMNS = (col(_R.id), col(_R.document), col(_R.lang), col(_R.version), col(_R.created_at),
            col(_R.updated_by), col(_R.recipients), col(_R.note), col(_R.content_hash),
            col(_R.accepted_warnings))


def releases_of_event(engine: Engine, slug: str) -> tuple[ReleaseView, ...]:
    """Every release of an event, newest first."""
    with engine.connect() as connection:
        event_id = event_id_of(connection, slug)
        rows = connection.execute(sa.select(*_COLUMNS).where(col(_R.event_id) == event_id)
                                  .order_by(col(_R.created_at).desc(), col(_R.id).desc()))
        return tuple(_view(row, slug) for row in rows)


def latest_release(connection: sa.Connection, event_id: int, document: str, lang: str
                   ) -> tuple[int, dict] | None:
    """The version and snapshot of the last release of that document and language, if any."""
    row = connection.execute(
        sa.select(col(_R.version), col(_R.snapshot))
        .where(col(_R.event_id) == event_id, col(_R.document) == document, col(_R.lang) == lang)
        .order_by(col(_R.version).desc()).limit(1)).first()
    return (row.version, json.loads(row.snapshot)) if row else None


def release_snapshot(engine: Engine, slug: str, document: str, lang: str, version: int
                     ) -> tuple[ReleaseView, dict]:
    """One release and its snapshot; NotFound in words when there is no such version."""
    with engine.connect() as connection:
        event_id = event_id_of(connection, slug)
        row = connection.execute(
            sa.select(*_COLUMNS, col(_R.snapshot))
            .where(col(_R.event_id) == event_id, col(_R.document) == document,
                   col(_R.lang) == lang, col(_R.version) == version)).first()
    if row is None:
        raise NotFound(N_("{event} has no release v{version} of the {document} in {lang}"),
                       event=slug, version=version, document=document, lang=lang)
    return _view(row, slug), json.loads(row.snapshot)


@dataclass(frozen=True)
class ChangesSince:
    """What changed since a release, for ``citynet changes`` and the event page."""

    release: ReleaseView
    differences: tuple[Difference, ...]
    home_tz: str


def changes_since(engine: Engine, slug: str, version: int, *, document: str | None = None,
                  lang: str | None = None) -> ChangesSince:
    """The differences between release ``version`` and the data now. The document and language
    may be left out when only one release has that version."""
    from citynet.services.events import event_detail
    from citynet.services.history import home_time_zone

    candidates = [r for r in releases_of_event(engine, slug) if r.version == version
                  and (document is None or r.document == document) and (lang is None or r.lang == lang)]
    if not candidates:
        raise NotFound(N_("{event} has no release v{version}{of}"), event=slug, version=version,
                       of="" if document is None and lang is None
                       else f" ({' '.join(x for x in (document, lang) if x)})")
    if len(candidates) > 1:
        raise CitynetError(N_("{event} has several releases v{version}: {which}; name one with "
                              "--document and --of"), event=slug, version=version,
                           which=", ".join(f"{r.document} {r.lang}" for r in candidates))
    release, snapshot = release_snapshot(engine, slug, candidates[0].document, candidates[0].lang,
                                         version)
    now = document_snapshot(event_detail(engine, slug))
    return ChangesSince(release, differences(snapshot, now), home_time_zone(engine))


def parse_version(text: str) -> int:
    """``v2``, ``V2`` or ``2``: a release's version number."""
    cleaned = text.strip().lower().removeprefix("v")
    if not cleaned.isdigit() or int(cleaned) < 1:
        raise CitynetError(N_("not a release version: {text!r} (write v1, v2, …)"), text=text)
    return int(cleaned)


__all__ = ["SNAPSHOT_SCHEMA", "ChangesSince", "Difference", "changes_since", "ReleaseView", "canonical_json", "differences",
           "document_snapshot", "event_id_of", "latest_release", "parse_version", "release_snapshot",
           "releases_of_event"]
