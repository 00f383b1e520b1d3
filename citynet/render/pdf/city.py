"""The city profile: a city, its posts and their holders (what the data says of each on the
document's day), its relationship with the home city and its networks, its projects, the
exchanges with the home city and the events ahead. The home city's own profile lists its partner
cities and its networks instead of a relationship with itself. A section with nothing in it is
left out."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from citynet.i18n import N_
from citynet.i18n.eras import ja_paren
from citynet.i18n.format import country_name, format_stored_fuzzy, format_utc_offset, zone_abbreviation
from citynet.i18n.text import bilingual
from citynet.i18n.vocabulary import RELATIONSHIP_KINDS, RELATIONSHIP_STATUSES, label
from citynet.render.pdf.briefing import (
    memberships_table, positions_table, relationships, timeline_table,
)
from citynet.render.pdf.furniture import Doc, cell
from citynet.render.pdf.phrases import phrase
from citynet.services.cities import CityProfile, PartnerView, ProjectView
from citynet.services.rules import PROJECT_PARTNER_ROLES

TITLE = N_("City profile")


def _zone(tz: str, lang: str, day) -> str:
    """The city's zone by abbreviation and offset on the document's day (MYT（UTC+8）, CET (UTC+1)):
    the zone's exemplar city would name another place (Penang's zone is "Kuala Lumpur")."""
    from datetime import datetime, time, timezone

    instant = datetime.combine(day, time(12), tzinfo=timezone.utc)
    offset = format_utc_offset(instant.astimezone(ZoneInfo(tz)).utcoffset())
    abbr = zone_abbreviation(tz, instant)
    if abbr is None:
        return offset
    return abbr + (ja_paren(offset) if lang == "ja" else f" ({offset})")


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
        (N_("Time zone"), doc.texts(lambda lang: _zone(city.timezone, lang, doc.generated_on))),
        (N_("Notes"), doc.texts(doc.bi(background.notes)) if background.notes else []),
    ])
    if background.positions:
        doc.heading(N_("People and positions"))
        positions_table(doc, background.positions)
    if city.is_home:
        _partners(doc, profile.partners)
    elif background.relationships:
        doc.heading(N_("Relationship"))
        relationships(doc, background.relationships)
    memberships_table(doc, background.memberships)
    _projects(doc, profile.projects)
    if profile.past:
        if city.is_home:
            doc.heading(N_("Milestones and events"))
        else:
            doc.heading_text(lambda lang: phrase("Exchanges with {city}", lang, city=home_name[lang]))
        timeline_table(doc, profile.past)
    if profile.upcoming:
        doc.heading(N_("Upcoming events"))
        timeline_table(doc, profile.upcoming)
    if profile.undated:
        doc.heading(N_("Events without dates"))
        timeline_table(doc, profile.undated)


def _partners(doc: Doc, partners: tuple[PartnerView, ...]) -> None:
    """The home city's partner cities: the city and its country, the kind of relationship, since
    when and its status, its notes."""
    if not partners:
        return
    doc.heading(N_("Partner cities"))
    rows = []
    for p in partners:
        def kind(lang, rel=p.relationship):
            parts = [label(RELATIONSHIP_KINDS, rel.kind, lang)]
            if rel.since:
                parts.append(format_stored_fuzzy(rel.since, lang, open_ended=rel.until is None))
            parts.append(label(RELATIONSHIP_STATUSES, rel.status, lang))
            return ("、" if lang == "ja" else ", ").join(parts)
        rows.append([
            cell(doc, lambda lang, c=p.city: bilingual(c.name.ja, c.name.en, lang))
            + cell(doc, lambda lang, c=p.city: country_name(c.country, lang), "cell2"),
            cell(doc, kind),
            cell(doc, doc.bi(p.relationship.notes) if p.relationship.notes else ""),
        ])
    doc.table([N_("City"), N_("Relationship"), N_("Notes")], rows, [2, 2.4, 3])


def _projects(doc: Doc, projects: tuple[ProjectView, ...]) -> None:
    """The city's projects: title and summary, the start (令和8年度（予定） / FY2026 (planned)),
    the organisations taking part with their roles."""
    if not projects:
        return
    doc.heading(N_("Projects"))
    rows = []
    for p in projects:
        what = cell(doc, doc.bi(p.title))
        if p.summary:
            what += cell(doc, doc.bi(p.summary), "cell2")
        partners = []
        for role, organisation in p.partners:
            partners += cell(doc, lambda lang, r=role, o=organisation: phrase(
                "{label}: {value}", lang, label=label(PROJECT_PARTNER_ROLES, r, lang),
                value=bilingual(o.name.ja, o.name.en, lang)))
        rows.append([what,
                     cell(doc, lambda lang, p=p: format_stored_fuzzy(p.start, lang, planned=p.planned)
                          or phrase(N_("not recorded"), lang)),
                     partners or ""])
    doc.table([N_("Project"), N_("Start"), N_("Partners")], rows, [4, 1.4, 2.4])
