"""Words for the screens, from citynet.i18n (the one place that turns data into words).

Thin adapters only: each function picks the UI language and the time display, then calls the
i18n formatter. No Textual here, so these are testable on their own.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from citynet.i18n import _, get_language
from citynet.i18n.text import bilingual

DEFAULT_HOME_TZ = "Asia/Tokyo"


def bi(text, lang: str | None = None) -> str:
    """A BiText (or None) in the UI language, with the missing-translation marker."""
    if text is None:
        return ""
    return bilingual(text.ja, text.en, lang or get_language())


def person_name(p, lang: str | None = None) -> str:
    if p is None:
        return ""
    lang = lang or get_language()
    try:
        from citynet.i18n.format import person_display_name
        return person_display_name(p.family_name_ja, p.given_name_ja, p.family_name_latin,
                                   p.given_name_latin, p.name_order, lang,
                                   katakana=p.name_katakana)
    except ImportError:  # pragma: no cover - while citynet.i18n.names is being written
        ja = "".join(x for x in (p.family_name_ja, p.given_name_ja) if x)
        latin = " ".join(x for x in (p.given_name_latin, p.family_name_latin) if x)
        return (ja or latin) if lang == "ja" else (latin or ja)


def position_name(pos, lang: str | None = None) -> str:
    if pos is None:
        return ""
    lang = lang or get_language()
    try:
        from citynet.i18n.format import position_title
        return position_title(pos.title.ja, pos.title.en, pos.ended, lang)
    except ImportError:  # pragma: no cover
        return bi(pos.title, lang)


def day(d: date | None, lang: str | None = None) -> str:
    if d is None:
        return ""
    try:
        from citynet.i18n.format import format_date
        return format_date(d, lang or get_language())
    except ImportError:  # pragma: no cover
        return d.isoformat()


def day_range(start: date | None, end: date | None, lang: str | None = None) -> str:
    if start is None:
        return _("date to be confirmed")
    try:
        from citynet.i18n.format import format_date_range
        return format_date_range(start, end, lang or get_language())
    except ImportError:  # pragma: no cover
        return start.isoformat() + (f"–{end.isoformat()}" if end and end != start else "")


def fuzzy(text: str | None, lang: str | None = None) -> str:
    """A stored fuzzy date ('2009', '2019-07', '2022-11-22', 'FY2026') for display."""
    if not text:
        return ""
    try:
        from citynet.i18n.format import format_fuzzy_date
        from citynet.store.fuzzy import FuzzyDate
        f = FuzzyDate.parse(text)
        if f.fiscal:
            return text
        return format_fuzzy_date(f.year, f.month, f.day, lang=lang or get_language())
    except Exception:  # noqa: BLE001 - show what is stored rather than fail a screen
        return text


def country(code: str | None, lang: str | None = None) -> str:
    if not code:
        return ""
    try:
        from citynet.i18n.format import country_name
        return country_name(code, lang or get_language())
    except Exception:  # noqa: BLE001 - an unknown code shows as typed
        return code


def zone_of(instant: datetime, tz: str) -> datetime:
    return instant.astimezone(ZoneInfo(tz))


def clock(instant: datetime | None, tz: str) -> str:
    """HH:MM of an instant in a zone (a table cell; the full wording is session_times)."""
    if instant is None:
        return ""
    return zone_of(instant, tz).strftime("%H:%M")


def session_times(start: datetime | None, end: datetime | None, venue_tz: str, home_tz: str,
                  mode: str = "home", lang: str | None = None) -> str:
    """Venue and home time; in "local" mode the venue's time comes first (as the i18n
    formatter writes it), in "home" mode home time comes first."""
    lang = lang or get_language()
    if start is None:
        return _("time to be confirmed")
    try:
        from citynet.i18n.format import format_session_times
        text = format_session_times(start, end, venue_tz, home_tz, lang)
    except ImportError:  # pragma: no cover
        text = f"{clock(start, venue_tz)}–{clock(end, venue_tz)} ({venue_tz}) / " \
               f"{clock(start, home_tz)}–{clock(end, home_tz)} ({home_tz})"
    if mode == "home" and venue_tz != home_tz and " / " in text:
        first, second = text.split(" / ", 1)
        text = f"{second} / {first}"
    return text


def when(start: datetime | None, end: datetime | None, day_only: date | None, venue_tz: str,
         home_tz: str, mode: str) -> tuple[str, str]:
    """(day, HH:MM–HH:MM) of a session in the zone the time display asks for."""
    tz = home_tz if mode == "home" else venue_tz
    if start is None:
        return day(day_only), _("time to be confirmed") if day_only else ""
    local = zone_of(start, tz)
    times = local.strftime("%H:%M") + (f"–{clock(end, tz)}" if end else "")
    return day(local.date()), times


# Vocabulary words (record kinds, statuses, roles) are stored as codes and shown through gettext.
from citynet.i18n import N_  # noqa: E402

KIND_NAMES = {
    "city": N_("City"), "network": N_("Network"), "organisation": N_("Organisation"),
    "person": N_("Person"), "event": N_("Event"), "session": N_("Session"),
    "position": N_("Position"), "membership": N_("Membership"), "relationship": N_("Relationship"),
    "participant": N_("Participant"), "organisation_role": N_("Organisation role"),
}
PLURAL_NAMES = {
    "city": N_("Cities"), "network": N_("Networks"), "organisation": N_("Organisations"),
    "person": N_("People"), "event": N_("Events"), "session": N_("Sessions"),
}
CODES = {
    # relationship kinds / statuses
    "sister": N_("sister city"), "friendship": N_("friendship city"),
    "network_partner": N_("network partner"), "mou": N_("memorandum of understanding"),
    "exchange": N_("exchange"), "active": N_("active"), "planned": N_("planned"),
    "ended": N_("ended"),
    # event kinds / statuses
    "summit": N_("summit"), "conference": N_("conference"), "inbound_visit": N_("inbound visit"),
    "outbound_visit": N_("outbound visit"), "meeting": N_("meeting"), "ceremony": N_("ceremony"),
    "confirmed": N_("confirmed"), "held": N_("held"), "postponed": N_("postponed"),
    "cancelled": N_("cancelled"),
    # roles
    "host": N_("host"), "co_host": N_("co-host"), "support": N_("support"),
    "sponsor": N_("sponsor"), "cooperation": N_("cooperation"), "moderator": N_("moderator"),
    "speaker": N_("speaker"), "panelist": N_("panelist"), "participant": N_("participant"),
    "interpreter": N_("interpreter"),
    # session kinds
    "press_conference": N_("press conference"), "high_level_talks": N_("high-level talks"),
    "seminar": N_("seminar"), "panel": N_("panel"), "site_visit": N_("site visit"),
    "plenary": N_("plenary"), "other": N_("other"),
    # visibility, organisation kinds, name order
    "public": N_("public"), "internal": N_("internal"), "confidential": N_("confidential"),
    "city_government": N_("city government"), "local_government": N_("local government"),
    "government_agency": N_("government agency"), "ministry": N_("ministry"),
    "un_body": N_("UN body"), "university": N_("university"), "company": N_("company"),
    "ngo": N_("NGO"), "association": N_("association"),
    "family_first": N_("family name first"), "given_first": N_("given name first"),
    "single": N_("single name"),
    "actual": N_("actual"), "target": N_("target"),
}


def code(value: str | None) -> str:
    if not value:
        return ""
    return _(CODES[value]) if value in CODES else value


def kind_name(kind: str) -> str:
    return _(KIND_NAMES.get(kind, kind))
