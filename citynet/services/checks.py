"""The checker: what is wrong or doubtful in an event's records, as data (warnings as data).

One checker for every face: ``citynet check``, the event page of the terminal UI and a release
(which lists the warnings it accepted by their keys). Each :class:`Finding` names its rule, whether
it blocks, a stable key (the same problem gives the same key on every run) and the plain values a
sentence needs; :mod:`citynet.presenters.checks` says it in words.

The rules (docs/releases.md, "The checker's rules", says the same for users):

* ``overlap``: one person — named directly, or the holder of a position — in two sessions whose
  times overlap, compared as instants (13:00 in Baku and 18:00 in Tokyo are the same instant);
  also across events. A post without a named holder counts as one person: whoever holds it cannot
  be in two places. Back-to-back sessions (13:00–14:00, 14:00–15:00) do not overlap; a session
  without an end is its start instant.
* ``travel``: one person in sessions in two cities (the sessions' events' cities, both with
  coordinates) that the great-circle distance at the configured speed does not allow: the most
  favourable placement of the two sessions leaves less time between them than the journey takes.
  A timed session is placed at its times; a session known only to the day may be anywhere in that
  local day. So a day-only pair on the same day in one zone needs more than a day's travel apart,
  and a timed session and a day-only one need the whole day to be too short. Cities without
  coordinates, and sessions without a day, are not judged; a pair that overlaps is reported as
  ``overlap`` only.
* ``outside_event``: a session whose local day (in the venue's zone) is not within its event's
  dates (an event without dates is not judged).
* ``night`` (advisory): a timed session of which some part falls in the night window in home
  time (the home city's zone), when a participant of the home city takes part: a position at the
  home city or at one of its organisations.
* ``post_not_held``: a participant taking part through a post that, on the session's day, had
  ended (its end date is past: a month-precise end means the whole month counts as held) or had
  not begun. The ``ended`` flag alone (市長（当時）) says the post ended at some unknown time,
  which may be after the session: it is not a finding. A session without a day is judged by its
  event's dates, and only when all of them are outside the post's time.
* ``missing_translation`` (only with ``lang``): a title or name the document in that language
  needs but lacks — for ``ja`` the Japanese title of the event and of its sessions, participants'
  posts in Japanese and their names in Japanese or in a katakana form; for ``en`` English titles
  and names in Latin letters; ``both`` needs both. With a ``document`` only what that document
  prints counts: the programme its shown sessions and who is on stage, the briefing the home
  city's sessions and their participants, the report the public sessions' titles.
* ``untimed`` (only for the programme): a session without a start time.

Every rule blocks except ``night``. Cancelled sessions and sessions of cancelled events are not
checked (a cancelled event has no findings).

A fixed number of queries per event: :func:`citynet.services.events.event_detail`, then the home
city, its organisations, the other sessions of the same people and the coordinates of the cities
involved.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.orm import aliased
from sqlmodel import Session as DbSession, col

from citynet.fuzzy import FuzzyDate
from citynet.services.briefing import _home_sessions
from citynet.services.cities import home_city
from citynet.services.convert import city_ref
from citynet.services.events import event_detail, list_events
from citynet.services.lists import session_select
from citynet.services.readmodel import event_timing
from citynet.services.views import (
    BiText, CityRef, EventDetail, ParticipantView, PersonRef, PositionView, SessionView,
)
from citynet.store import models as m

__all__ = ["RULES", "ADVISORY", "DOCUMENTS", "LANGS", "CheckSettings", "SessionRef", "Finding",
           "check_event", "check_detail", "check_all", "check_events", "keys", "great_circle_km", "last_day"]

# The rules, in the order findings are listed (blocking ones first, see :func:`_order`).
RULES = ("overlap", "travel", "outside_event", "post_not_held", "missing_translation", "untimed",
         "night")
ADVISORY = frozenset({"night"})
DOCUMENTS = ("briefing", "programme", "report")
LANGS = ("ja", "en", "both")
# Who the programme names (as render/pdf/programme.py prints them: on stage).
STAGE_ROLES = ("host", "moderator", "speaker", "panelist")
EARTH_RADIUS_KM = 6371.0


@dataclass(frozen=True)
class CheckSettings:
    """What the rules assume: how fast people travel door to door (flights: 600 km/h), and the
    night in home time (22:00–07:00; a window past midnight wraps)."""

    travel_speed_kmh: float = 600.0
    night_start: time = time(22, 0)
    night_end: time = time(7, 0)


@dataclass(frozen=True)
class SessionRef:
    """A session as a finding names it: its slug and title, its event's, its times and place."""

    slug: str
    title: BiText
    event_slug: str
    event_title: BiText
    timezone: str  # the venue's zone
    day: date | None  # local day (from the instants, or given alone)
    starts_at: datetime | None  # aware
    ends_at: datetime | None
    city: BiText | None = None  # the event's city


@dataclass(frozen=True)
class Finding:
    """One warning. ``key`` is its identity across runs (``overlap:<who>:<session>:<session>``,
    sessions in slug order), so a release can list which warnings were accepted."""

    rule: str
    blocking: bool
    key: str
    event: str  # the slug of the event checked
    event_title: BiText
    sessions: tuple[SessionRef, ...] = ()  # the sessions involved, in time order
    person: PersonRef | None = None  # who (overlap, travel, post_not_held, night, a name lacking)
    position: PositionView | None = None  # the post they take part through
    home_timezone: str | None = None  # for "13:00 Baku time (18:00 Japan time)"
    distance_km: float | None = None  # travel
    travel_needed: timedelta | None = None  # travel: the journey at the configured speed
    speed_kmh: float | None = None
    event_start: date | None = None  # outside_event
    event_end: date | None = None
    post_start: str | None = None  # post_not_held: the post's fuzzy dates
    post_end: str | None = None
    not_begun: bool = False  # post_not_held: before the post began (else after it ended)
    lang: str | None = None  # missing_translation: the language lacking ("ja" or "en")
    record_kind: str | None = None  # missing_translation: "event", "session", "person", "position"
    record_slug: str | None = None
    text: BiText | None = None  # missing_translation: what the record has


# --- entry points -------------------------------------------------------------------------------


def check_event(engine: Engine, slug: str, *, document: str | None = None, lang: str | None = None,
                settings: CheckSettings | None = None) -> tuple[Finding, ...]:
    """The findings of one event, blocking first, in a fixed order. ``document`` (briefing,
    programme, report) and ``lang`` (ja, en, both) add the rules about that document. Without
    ``settings`` the defaults (:class:`CheckSettings`), so that a run does not depend on whose
    settings file is read: the faces pass the user's ``[checks]`` table
    (:func:`citynet.config.check_settings`). An unknown slug raises
    :class:`citynet.errors.NotFound`."""
    return check_detail(engine, event_detail(engine, slug), document=document, lang=lang,
                        settings=settings)


def check_all(engine: Engine, *, settings: CheckSettings | None = None,
              today: date | None = None) -> tuple[Finding, ...]:
    """The findings of every event that is not over (upcoming or undated, as
    :func:`citynet.services.readmodel.event_timing` says at ``today``): a held event's records
    are history, nothing to prepare. Events in date order; a problem shared by two events (an
    overlap across them) is listed once, under the first."""
    today = today or date.today()
    return check_events(engine, [event.slug for event in list_events(engine)
                                 if event_timing(event.status, event.start_date, event.end_date,
                                                 today) != "past"], settings=settings)


def check_events(engine: Engine, slugs: Iterable[str], *, settings: CheckSettings | None = None
                 ) -> tuple[Finding, ...]:
    """The findings of these events, in their order; a problem shared by two of them (an overlap
    across events) is listed once, under the first (``citynet check`` and the agenda's panel)."""
    settings = settings or CheckSettings()
    seen: set[str] = set()
    found: list[Finding] = []
    for slug in slugs:
        for finding in check_event(engine, slug, settings=settings):
            if finding.key not in seen:
                seen.add(finding.key)
                found.append(finding)
    return tuple(found)


def check_detail(engine: Engine, detail: EventDetail, *, document: str | None = None,
                 lang: str | None = None, settings: CheckSettings | None = None
                 ) -> tuple[Finding, ...]:
    """:func:`check_event` on an event detail already read (the UI's event page has one)."""
    if document is not None and document not in DOCUMENTS:
        raise ValueError(f"document must be one of {DOCUMENTS}, not {document!r}")
    if lang is not None and lang not in LANGS:
        raise ValueError(f"lang must be one of {LANGS}, not {lang!r}")
    settings = settings or CheckSettings()
    event = detail.event
    if event.status == "cancelled":
        return ()
    context = _read_context(engine, detail)
    sessions = [s for s in detail.sessions if s.status != "cancelled"]
    findings: list[Finding] = []
    findings += _people_rules(context, sessions, settings)
    findings += _outside_event(context, sessions)
    findings += _post_not_held(context, sessions)
    findings += _night(context, sessions, settings)
    if lang is not None:
        findings += _missing_translation(context, sessions, document, lang)
    if document == "programme":
        findings += _untimed(context, sessions)
    unique: dict[str, Finding] = {}
    for finding in findings:  # the same problem met twice (a name in two sessions): the first
        unique.setdefault(finding.key, finding)
    return tuple(sorted(unique.values(), key=_order))


def _order(finding: Finding) -> tuple:
    first = finding.sessions[0] if finding.sessions else None
    return (not finding.blocking, RULES.index(finding.rule), _time_key(first), finding.key)


def _time_key(ref: SessionRef | None) -> tuple:
    if ref is None:
        return (0, 0.0)
    if ref.starts_at is not None:
        return (1, ref.starts_at.timestamp())
    if ref.day is not None:
        return (1, datetime.combine(ref.day, time(), ZoneInfo(ref.timezone)).timestamp())
    return (2, 0.0)


# --- what the rules read ------------------------------------------------------------------------


@dataclass(frozen=True)
class _Place:
    """A session where a rule sees it: its ref, the city's coordinates."""

    ref: SessionRef
    city_id: int | None
    event_id: int


@dataclass
class _Context:
    detail: EventDetail
    home: CityRef | None
    home_organisations: frozenset[int]
    # sessions of other events (not cancelled) in which the event's people take part: who → places
    elsewhere: dict[str, list[_Place]]
    coordinates: dict[int, tuple[float, float]]


def _who(participant: ParticipantView) -> str | None:
    """A participant's identity for the rules about one person: the person's slug, else the
    post's (whoever holds it is one person)."""
    holder = participant.holder
    if holder is not None:
        return holder.slug
    return f"position:{participant.position.slug}" if participant.position else None


def _ref(session: SessionView, detail: EventDetail) -> SessionRef:
    event = detail.event
    return SessionRef(session.slug, session.title, event.slug, event.title, session.timezone,
                      session.local_day, session.starts_at, session.ends_at,
                      event.city.name if event.city else None)


def _read_context(engine: Engine, detail: EventDetail) -> _Context:
    event = detail.event
    people: set[int] = set()
    posts: set[int] = set()
    for session in detail.sessions:
        for participant in session.participants:
            if participant.holder is not None:
                people.add(participant.holder.id)
            elif participant.position is not None:
                posts.add(participant.position.id)
    elsewhere: dict[str, list[_Place]] = defaultdict(list)
    city_ids = {event.city.id} if event.city else set()
    with DbSession(engine) as db:
        home_row = home_city(db)
        home = city_ref(home_row) if home_row else None
        organisations: frozenset[int] = frozenset()
        if home is not None:
            organisations = frozenset(i for i in db.connection().execute(
                sa.select(col(m.Organisation.id)).where(col(m.Organisation.city_id) == home.id)
            ).scalars() if i is not None)
        if people or posts:
            for row in db.connection().execute(_other_sessions(event.id, people, posts)):
                who = row.person_slug or row.holder_slug or f"position:{row.position_slug}"
                ref = SessionRef(row.slug, BiText(row.title_ja, row.title_en), row.event_slug,
                                 BiText(row.ev_ja, row.ev_en), row.timezone,
                                 _local_day(row.day, row.starts_at, row.timezone), row.starts_at,
                                 row.ends_at, BiText(row.city_ja, row.city_en)
                                 if row.city_ja or row.city_en else None)
                elsewhere[who].append(_Place(ref, row.city_id, row.event_id))
                if row.city_id is not None:
                    city_ids.add(row.city_id)
        coordinates: dict[int, tuple[float, float]] = {}
        if city_ids:
            ct = m.City
            for r in db.connection().execute(
                    sa.select(col(ct.id), col(ct.latitude), col(ct.longitude))
                    .where(col(ct.id).in_(city_ids))):
                if r.latitude is not None and r.longitude is not None:
                    coordinates[r.id] = (float(r.latitude), float(r.longitude))
    return _Context(detail, home, organisations, dict(elsewhere), coordinates)


def _other_sessions(event_id: int, people: set[int], posts: set[int]) -> sa.Select:
    """The sessions of other events (neither cancelled) with any of ``people`` taking part
    (directly or holding a post) or any of ``posts`` (without a named holder): the columns of
    :func:`citynet.services.lists.session_select`, with who and the event's city."""
    s, ev, sp, pos, ct = m.Session, m.Event, m.SessionParticipant, m.Position, m.City
    direct = aliased(m.Person, name="direct")
    holder = aliased(m.Person, name="holder")
    who: list[sa.ColumnElement[bool]] = []
    if people:
        who += [col(sp.person_id).in_(people), col(pos.person_id).in_(people)]
    if posts:
        who.append(sa.and_(col(sp.position_id).in_(posts), col(sp.person_id).is_(None),
                           col(pos.person_id).is_(None)))
    return (session_select()
            .add_columns(sa.label("event_id", col(ev.id)), sa.label("city_id", col(ev.city_id)),
                         sa.label("city_ja", col(ct.name_ja)), sa.label("city_en", col(ct.name_en)),
                         sa.label("person_slug", col(direct.slug)),
                         sa.label("holder_slug", col(holder.slug)),
                         sa.label("position_slug", col(pos.slug)))
            .join(sp, col(sp.session_id) == col(s.id))
            .outerjoin(pos, col(pos.id) == col(sp.position_id))
            .outerjoin(direct, col(direct.id) == col(sp.person_id))
            .outerjoin(holder, col(holder.id) == col(pos.person_id))
            .outerjoin(ct, col(ct.id) == col(ev.city_id))
            .where(col(s.event_id) != event_id, col(s.status) != "cancelled",
                   col(ev.status) != "cancelled", sa.or_(*who))
            .order_by(col(s.id), col(sp.id)))


def _local_day(day: date | None, starts_at: datetime | None, tz: str) -> date | None:
    return starts_at.astimezone(ZoneInfo(tz)).date() if starts_at is not None else day


# --- overlap and travel -------------------------------------------------------------------------


def _people_rules(context: _Context, sessions: list[SessionView],
                  settings: CheckSettings) -> list[Finding]:
    detail = context.detail
    event = detail.event
    here: dict[str, list[tuple[_Place, ParticipantView]]] = defaultdict(list)
    for session in sessions:
        seen: set[str] = set()
        for participant in session.participants:
            who = _who(participant)
            if who is None or who in seen:
                continue
            seen.add(who)
            place = _Place(_ref(session, detail), event.city.id if event.city else None, event.id)
            here[who].append((place, participant))
    findings: list[Finding] = []
    for who, mine in here.items():
        participant = mine[0][1]
        others = [(p, None) for p in context.elsewhere.get(who, [])]
        for i, (a, part_a) in enumerate(mine):
            for b, _part in mine[i + 1:] + others:
                finding = _pair(context, who, participant, a, b, settings)
                if finding is not None:
                    findings.append(finding)
    return findings


def _pair(context: _Context, who: str, participant: ParticipantView, a: _Place, b: _Place,
          settings: CheckSettings) -> Finding | None:
    first, second = sorted((a, b), key=lambda p: _time_key(p.ref) + (p.ref.slug,))
    slugs = ":".join(sorted((a.ref.slug, b.ref.slug)))
    event = context.detail.event
    pair = (first.ref, second.ref)
    home = context.home.timezone if context.home else None
    if _overlaps(a.ref, b.ref):
        return Finding("overlap", True, f"overlap:{who}:{slugs}", event.slug, event.title, pair,
                       person=participant.holder, position=participant.position,
                       home_timezone=home)
    if a.city_id is None or b.city_id is None or a.city_id == b.city_id:
        return None
    if a.city_id not in context.coordinates or b.city_id not in context.coordinates:
        return None
    distance = great_circle_km(context.coordinates[a.city_id], context.coordinates[b.city_id])
    needed = timedelta(hours=distance / settings.travel_speed_kmh)
    room = _most_time_between(a.ref, b.ref)
    if room is None or room >= needed:
        return None
    return Finding("travel", True, f"travel:{who}:{slugs}", event.slug, event.title, pair,
                   person=participant.holder, position=participant.position, home_timezone=home,
                   distance_km=float(round(distance)), travel_needed=needed,
                   speed_kmh=settings.travel_speed_kmh)


def _overlaps(a: SessionRef, b: SessionRef) -> bool:
    """Whether two timed sessions share an instant; a session without an end is its start."""
    if a.starts_at is None or b.starts_at is None:
        return False
    if a.starts_at == b.starts_at:
        return True
    a_end, b_end = a.ends_at or a.starts_at, b.ends_at or b.starts_at
    if a.ends_at is None:
        return b.starts_at <= a.starts_at < b_end
    if b.ends_at is None:
        return a.starts_at <= b.starts_at < a_end
    return max(a.starts_at, b.starts_at) < min(a_end, b_end)


def _window(ref: SessionRef) -> tuple[datetime, datetime] | None:
    """(the earliest the session can be over, the latest it can begin): a timed session's end and
    start; a day-only session may be anywhere in its local day."""
    if ref.starts_at is not None:
        return ref.ends_at or ref.starts_at, ref.starts_at
    if ref.day is None:
        return None
    zone = ZoneInfo(ref.timezone)
    start = datetime.combine(ref.day, time(), zone)
    end = datetime.combine(ref.day + timedelta(days=1), time(), zone)
    return start, end


def _most_time_between(a: SessionRef, b: SessionRef) -> timedelta | None:
    """The longest time between the two sessions in their most favourable placement (one after
    the other, either way round); None when a session has no day."""
    wa, wb = _window(a), _window(b)
    if wa is None or wb is None:
        return None
    return max(wb[1] - wa[0], wa[1] - wb[0])


def great_circle_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """The great-circle distance between two (latitude, longitude) points, in km (haversine)."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (math.sin((lat2 - lat1) / 2) ** 2
         + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2)
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


# --- the event's own dates, posts, night ----------------------------------------------------------


def _outside_event(context: _Context, sessions: list[SessionView]) -> list[Finding]:
    event = context.detail.event
    if event.start_date is None:
        return []
    last = event.end_date or event.start_date
    return [Finding("outside_event", True, f"outside_event:{s.slug}", event.slug, event.title,
                    (_ref(s, context.detail),), event_start=event.start_date, event_end=last)
            for s in sessions
            if s.local_day is not None and not event.start_date <= s.local_day <= last]


def last_day(value: FuzzyDate) -> date:
    """The last day a fuzzy date can mean: a month-precise end holds the whole month."""
    if value.fiscal:
        return date(value.year + 1, 3, 31)
    if value.day is not None:
        return date(value.year, value.month or 1, value.day)
    if value.month is not None:
        following = date(value.year + (value.month == 12), value.month % 12 + 1, 1)
        return following - timedelta(days=1)
    return date(value.year, 12, 31)


def _post_not_held(context: _Context, sessions: list[SessionView]) -> list[Finding]:
    event = context.detail.event
    findings = []
    for session in sessions:
        if session.local_day is not None:
            first = last = session.local_day
        elif event.start_date is not None:
            first, last = event.start_date, event.end_date or event.start_date
        else:
            continue
        for participant in session.participants:
            post = participant.position
            if post is None:
                continue
            begun = FuzzyDate.parse(post.start).first_day() if post.start else None
            ended = last_day(FuzzyDate.parse(post.end)) if post.end else None
            not_begun = begun is not None and last < begun
            if not (not_begun or (ended is not None and first > ended)):
                continue
            findings.append(Finding(
                "post_not_held", True, f"post_not_held:{post.slug}:{session.slug}", event.slug,
                event.title, (_ref(session, context.detail),), person=participant.holder,
                position=post, post_start=post.start, post_end=post.end, not_begun=not_begun,
                event_start=event.start_date, event_end=event.end_date))
    return findings


def _of_home(context: _Context, participant: ParticipantView) -> bool:
    post = participant.position
    if post is None or context.home is None:
        return False
    if post.city is not None and post.city.id == context.home.id:
        return True
    return post.organisation is not None and post.organisation.id in context.home_organisations


def _nights(start: datetime, end: datetime, zone: ZoneInfo,
            settings: CheckSettings) -> Iterator[tuple[datetime, datetime]]:
    """The night windows (home time) that may meet [start, end]."""
    day = start.astimezone(zone).date() - timedelta(days=1)
    while day <= end.astimezone(zone).date():
        night_end_day = day + timedelta(days=1) if settings.night_end <= settings.night_start else day
        yield (datetime.combine(day, settings.night_start, zone),
               datetime.combine(night_end_day, settings.night_end, zone))
        day += timedelta(days=1)


def _in_night(ref: SessionRef, zone: ZoneInfo, settings: CheckSettings) -> bool:
    start = ref.starts_at
    if start is None:
        return False
    end = ref.ends_at
    for night_start, night_end in _nights(start, end or start, zone, settings):
        if end is None:
            if night_start <= start < night_end:
                return True
        elif start < night_end and night_start < end:
            return True
    return False


def _night(context: _Context, sessions: list[SessionView], settings: CheckSettings) -> list[Finding]:
    if context.home is None:
        return []
    zone = ZoneInfo(context.home.timezone)
    event = context.detail.event
    findings = []
    for session in sessions:
        ours = [p for p in session.participants if _of_home(context, p)]
        ref = _ref(session, context.detail)
        if ours and _in_night(ref, zone, settings):
            findings.append(Finding("night", False, f"night:{session.slug}", event.slug, event.title,
                                    (ref,), person=ours[0].holder, position=ours[0].position,
                                    home_timezone=context.home.timezone))
    return findings


# --- the documents ------------------------------------------------------------------------------


def _lacks(text: BiText, lang: str) -> bool:
    """Whether a record's text lacks the side ``lang`` ("ja" or "en") while having the other
    (a record with no text at all has nothing to translate)."""
    present = {side: bool(value and value.strip()) for side, value in (("ja", text.ja), ("en", text.en))}
    return any(present.values()) and not present[lang]


def _name_lacks(person: PersonRef, lang: str) -> bool:
    """A name in Japanese needs a Japanese or katakana form; in English, Latin letters."""
    if lang == "ja":
        return not any(x and x.strip() for x in (person.family_name_ja, person.given_name_ja,
                                                 person.name_katakana))
    return not any(x and x.strip() for x in (person.family_name_latin, person.given_name_latin))


def _document_sessions(context: _Context, sessions: list[SessionView],
                       document: str | None) -> list[tuple[SessionView, tuple[ParticipantView, ...]]]:
    """The sessions the document prints, each with the participants it names."""
    detail, event = context.detail, context.detail.event
    if document == "programme":
        shown = [s for s in sessions if s.visibility == "public" or event.visibility != "public"]
        return [(s, tuple(p for p in s.participants if p.role in STAGE_ROLES)) for s in shown]
    if document == "briefing":
        ours = {s.slug for s in _home_sessions(detail, context.home)}
        return [(s, s.participants) for s in sessions if s.slug in ours]
    if document == "report":
        return [(s, ()) for s in sessions if s.visibility == "public"]
    return [(s, s.participants) for s in sessions]


def _missing_translation(context: _Context, sessions: list[SessionView], document: str | None,
                         lang: str) -> list[Finding]:
    detail = context.detail
    event = detail.event
    findings: list[Finding] = []
    def lacking(side: str, kind: str, slug: str, text: BiText, refs: tuple[SessionRef, ...] = (),
                person: PersonRef | None = None, post: PositionView | None = None) -> None:
        findings.append(Finding("missing_translation", True,
                                f"missing_translation:{side}:{kind}:{slug}", event.slug,
                                event.title, refs, person=person, position=post, lang=side,
                                record_kind=kind, record_slug=slug, text=text))

    for side in (("ja", "en") if lang == "both" else (lang,)):
        if _lacks(event.title, side):
            lacking(side, "event", event.slug, event.title)
        for session, participants in _document_sessions(context, sessions, document):
            ref = (_ref(session, detail),)
            if _lacks(session.title, side):
                lacking(side, "session", session.slug, session.title, ref)
            for participant in participants:
                holder, post = participant.holder, participant.position
                if holder is not None and _name_lacks(holder, side):
                    lacking(side, "person", holder.slug, BiText(), ref, person=holder)
                if post is not None and _lacks(post.title, side):
                    lacking(side, "position", post.slug, post.title, ref, person=holder, post=post)
    return findings


def _untimed(context: _Context, sessions: list[SessionView]) -> list[Finding]:
    event = context.detail.event
    shown = [s for s, _people in _document_sessions(context, sessions, "programme")]
    return [Finding("untimed", True, f"untimed:{s.slug}", event.slug, event.title,
                    (_ref(s, context.detail),)) for s in shown if s.starts_at is None]


def keys(findings: Iterable[Finding]) -> tuple[str, ...]:
    """The findings' keys, in order (what a release records as accepted)."""
    return tuple(f.key for f in findings)
