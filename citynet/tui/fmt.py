"""Words for the screens, from citynet.i18n (the one place that turns data into words).

Thin adapters only: each function picks the UI language and the time display, then calls the
i18n formatter. No Textual here, so these are testable on their own.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from citynet.errors import CitynetError
from citynet.i18n import N_, _, get_language, pgettext
from citynet.i18n import vocabulary
from citynet.i18n.format import (
    country_name, format_date, format_date_range, format_figure_period, format_key_figure,
    format_month_day, format_session_times, format_stored_fuzzy, person_display_name,
    position_title,
)
from citynet.i18n.text import bilingual
from citynet.presenters.search import kind_name  # noqa: F401 - the screens' kind names

DEFAULT_HOME_TZ = "Asia/Tokyo"


def bi(text, lang: str | None = None) -> str:
    """A BiText (or None) in the UI language, with the missing-translation marker."""
    if text is None:
        return ""
    return bilingual(text.ja, text.en, lang or get_language())


def person_name(p, lang: str | None = None) -> str:
    if p is None:
        return ""
    return person_display_name(p.family_name_ja, p.given_name_ja, p.family_name_latin,
                               p.given_name_latin, p.name_order, lang or get_language(),
                               katakana=p.name_katakana)


def position_name(pos, lang: str | None = None) -> str:
    if pos is None:
        return ""
    return position_title(pos.title.ja, pos.title.en, pos.ended, lang or get_language())


def day(d: date | None, lang: str | None = None) -> str:
    return format_date(d, lang or get_language()) if d is not None else ""


def month_day(d: date, lang: str | None = None) -> str:
    """11月12日（火） / Tue 12 Nov: a day under a heading that gives the year."""
    return format_month_day(d, lang or get_language())


def day_range(start: date | None, end: date | None, lang: str | None = None) -> str:
    if start is None:
        return _("date to be confirmed")
    return format_date_range(start, end, lang or get_language())


def event_dates(event, lang: str | None = None) -> str:
    """An event's dates; for an event that is over without dates, "date not recorded" (its date
    will not be confirmed: ``citynet.services.readmodel.date_not_recorded``)."""
    from citynet.services.readmodel import date_not_recorded

    if date_not_recorded(event.status, event.start_date, event.end_date):
        return _("date not recorded")
    return day_range(event.start_date, event.end_date, lang)


def fuzzy(text: str | None, lang: str | None = None) -> str:
    """A stored fuzzy date ('2009', '2019-07', '2022-11-22', 'FY2026') for display."""
    try:
        return format_stored_fuzzy(text, lang or get_language())
    except (CitynetError, ValueError):  # show what is stored rather than fail a screen
        return text or ""


def figure_period(text: str | None, kind: str | None, lang: str | None = None) -> str:
    """A key figure's period as the briefing writes it (a target's year: 2030年度)."""
    try:
        return format_figure_period(text, kind, lang or get_language())
    except (CitynetError, ValueError):
        return text or ""


def dates_label(event_kind: str | None) -> str:
    """会期 for a conference's dates, 日程 for any other event's (as documents label them)."""
    msgid = vocabulary.dates_msgid(event_kind)
    return pgettext(*msgid) if isinstance(msgid, tuple) else _(msgid)


def key_figure(value, unit: str, lang: str | None = None) -> str:
    """767.4万t-CO2 / 7.674 million t-CO2, 21.7%: as the briefing writes it."""
    return format_key_figure(value, unit, lang or get_language())


def country(code: str | None, lang: str | None = None) -> str:
    if not code:
        return ""
    try:
        return country_name(code, lang or get_language())
    except ValueError:  # an unknown code shows as typed
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
    text = format_session_times(start, end, venue_tz, home_tz, lang)
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


# Record kinds are the UI's own words; the data's vocabularies are in citynet.i18n.vocabulary.
PLURAL_NAMES = {
    "city": N_("Cities"), "network": N_("Networks"), "organisation": N_("Organisations"),
    "person": N_("People"), "event": N_("Events"), "session": N_("Sessions"),
}


def code(value: str | None, vocab: str | dict[str, str]) -> str:
    """A stored code of ``vocab`` (a name in citynet.i18n.vocabulary.VOCABULARIES, or its dict)
    in the UI language."""
    return vocabulary.label(vocab, value, get_language())


def local_date(instant: datetime, tz: str) -> date:
    """The calendar day of ``instant`` in zone ``tz`` (the home city's "today")."""
    return instant.astimezone(ZoneInfo(tz)).date()
