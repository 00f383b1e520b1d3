"""The city profile: a partner city, its people and positions (current and past), the
relationship, its networks, the exchanges with the home city and upcoming events."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from citynet.i18n import N_
from citynet.i18n.eras import ja_paren
from citynet.i18n.format import country_name, format_utc_offset, timezone_city
from citynet.render.pdf.briefing import city_background, positions_table, timeline_table
from citynet.render.pdf.furniture import Doc
from citynet.render.pdf.phrases import phrase
from citynet.services.cities import CityProfile

TITLE = N_("City profile")


def _zone(tz: str, lang: str) -> str:
    from datetime import datetime, timezone

    offset = format_utc_offset(datetime.now(timezone.utc).astimezone(ZoneInfo(tz)).utcoffset())
    return timezone_city(tz, lang) + (ja_paren(offset) if lang == "ja" else f" ({offset})")


def build(doc: Doc, profile: CityProfile) -> None:
    background = profile.background
    city = background.city
    home_name = doc.bi(profile.home.name) if profile.home else {lang: "" for lang in doc.langs}
    doc.add(doc.texts(doc.bi(city.name), "title"))
    doc.add(doc.texts(lambda lang: f"{country_name(city.country, lang)} — {phrase(TITLE, lang)}",
                      "title2"))
    doc.fields([
        (N_("Country"), doc.texts(lambda lang: country_name(city.country, lang))),
        (N_("Region"), doc.texts(doc.bi(background.region)) if background.region else []),
        (N_("Time zone"), doc.texts(lambda lang: _zone(city.timezone, lang))),
        (N_("Notes"), doc.texts(doc.bi(background.notes)) if background.notes else []),
    ])
    doc.heading(N_("People and positions"))
    positions_table(doc, background.positions)
    doc.heading(N_("Relationship"))
    _relationship(doc, profile)
    doc.heading_text(lambda lang: phrase("Exchanges with {city}", lang, city=home_name[lang]))
    timeline_table(doc, profile.past)
    doc.heading(N_("Upcoming events"))
    timeline_table(doc, profile.upcoming)
    if profile.undated:
        doc.heading(N_("Events without dates"))
        timeline_table(doc, profile.undated)


def _relationship(doc: Doc, profile: CityProfile) -> None:
    from citynet.render.pdf.briefing import _relationship_and_networks

    _relationship_and_networks(doc, profile.background)
