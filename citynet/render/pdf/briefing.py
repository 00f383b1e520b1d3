"""The briefing: what the mayor's office reads before an event.

Cover (title, dates, venue, handling mark), the home city's sessions with local and Japan times
and their participants, the organisations by role, a background section for each partner city
present (with where we last met it and the commitments made there), one for each network the
event is one of (what it is, since when, its members), the people of the event met before, the
home city's key figures and milestones, and notes. What each field says when a fact is known,
unknown, planned, held or cancelled is in docs/documents.md; a section with nothing in it is
left out.
"""

from __future__ import annotations

from reportlab.platypus import PageBreak, Spacer

from citynet.i18n import N_
from citynet.i18n.format import (
    country_name, format_date, format_figure_period, format_key_figure, format_stored_fuzzy,
)
from citynet.i18n.text import bilingual
from citynet.i18n.vocabulary import (
    COMMITMENT_STATUSES, EVENT_STATUSES, KEY_FIGURE_KINDS, RELATIONSHIP_KINDS, RELATIONSHIP_STATUSES,
    dates_msgid, label,
)
from citynet.render.pdf.common import (
    attendance, event_dates, home_tz, org_role_rows, organisations_section, participant_role,
    participant_text, person_name, position_status, session_when, venue,
)
from citynet.render.pdf.furniture import STYLES, Doc, cell
from citynet.render.pdf.markup import Text
from citynet.render.pdf.phrases import (
    DATE, DAY_AND_TIME, ENTRY, NAME, NETWORKS, ORGANISATIONS, POSITION, phrase,
)
from citynet.services.briefing import EventDocumentData, NetworkBackground
from citynet.services.cities import CityBackground
from citynet.services.commitments import CommitmentView, Meeting

TITLE = N_("Briefing")


def cover(doc: Doc, data: EventDocumentData) -> None:
    event = data.detail.event
    if doc.handling_mark:
        doc.add(Text(doc.words(doc.handling_mark), STYLES["mark"]))
    doc.add(Spacer(1, 6))
    doc.add(doc.texts(doc.bi(event.title), "title"))
    doc.add(doc.texts(lambda lang: phrase(doc.title_msgid, lang), "title2"))
    doc.add(Spacer(1, 6))
    doc.fields([
        (N_("Theme"), doc.texts(doc.bi(event.theme)) if event.theme else []),
        (dates_msgid(event.kind), doc.texts(lambda lang: event_dates(event, lang))),
        (N_("Our attendance"), doc.texts(lambda lang: attendance(event, lang))),
        (N_("Venue"), doc.texts(lambda lang: venue(event, lang))),
        (N_("Status"), doc.texts(lambda lang: label(EVENT_STATUSES, event.status, lang))),
    ])
    doc.end_cover()


def sessions(doc: Doc, data: EventDocumentData) -> None:
    """The home city's sessions, each with every participant (a foreign post with its country)
    and the organisations of that session; left out when the home city takes part in none."""
    if not data.home_sessions:
        return
    home = data.home
    event = data.detail.event
    home_country = home.country if home else None
    name = doc.bi(home.name) if home else {lang: "" for lang in doc.langs}
    doc.heading_text(lambda lang: phrase("Sessions of {city}", lang, city=name[lang]))
    if any(s.timezone != home_tz(data) for s in data.home_sessions):  # at home: home time only
        doc.add(doc.texts(lambda lang: phrase("Times are local, followed by Japan time.", lang),
                          "small"))
    for session in data.home_sessions:
        doc.heading_text(doc.bi(session.title), level=2)
        doc.fields([
            (DAY_AND_TIME, doc.texts({lang: session_when(session, home_tz(data), lang, event)
                                      for lang in doc.langs})),
            (N_("Room"), doc.texts(doc.bi(session.room)) if session.room else []),
            (N_("Theme"), doc.texts(doc.bi(session.theme)) if session.theme else []),
            (N_("Notes"), doc.texts(doc.bi(session.notes)) if session.notes else []),
        ])
        if session.participants:
            rows = [[cell(doc, lambda lang, p=p: participant_role(p.role, lang)),
                     cell(doc, lambda lang, p=p: participant_text(p, lang, home_country))]
                    for p in session.participants]
            doc.table([N_("Role"), N_("Participants")], rows, [1, 4])
        if session.organisation_roles:
            doc.table([N_("Role"), ORGANISATIONS], org_role_rows(doc, session.organisation_roles),
                      [1, 4])


def city_background(doc: Doc, background: CityBackground, home_name: dict[str, str],
                    heading: str = N_("Background: {city}"), met: Meeting | None = None,
                    leave_out_event: int | None = None) -> None:
    """A partner city: country, region, notes, where we last met it, the relationship and its
    networks, its office holders and the exchanges with the home city (without the event the
    document is about, ``leave_out_event``). Sections with nothing in them are left out."""
    city = background.city
    name = doc.bi(city.name)
    doc.heading_text(lambda lang: phrase(heading, lang, city=name[lang]))
    doc.fields([
        (N_("Country"), doc.texts(lambda lang: country_name(city.country, lang))),
        (N_("Region"), doc.texts(doc.bi(background.region)) if background.region else []),
        (N_("Notes"), doc.texts(doc.bi(background.notes)) if background.notes else []),
    ])
    if met is not None:
        doc.add(doc.texts(lambda lang: last_met_text(met, lang)))
    if background.relationships:
        doc.heading(N_("Relationship"), level=2)
        relationships(doc, background.relationships)
    memberships_table(doc, background.memberships)
    holders = background.current_positions or background.positions
    if holders:
        doc.heading(N_("Office holders"), level=2)
        positions_table(doc, holders)
    timeline = [t for t in background.timeline
                if leave_out_event is None or t.event is None or t.event.id != leave_out_event]
    if timeline:
        doc.heading_text(lambda lang: phrase("Exchanges with {city}", lang, city=home_name[lang]),
                         level=2)
        timeline_table(doc, timeline)


def relationships(doc: Doc, items) -> None:
    """Each relationship in a line (kind, since, status), its notes beneath."""
    for rel in items:
        def describe(lang, rel=rel):
            parts = [label(RELATIONSHIP_KINDS, rel.kind, lang)]
            if rel.since:
                parts.append(format_stored_fuzzy(rel.since, lang, open_ended=rel.until is None))
            parts.append(label(RELATIONSHIP_STATUSES, rel.status, lang))
            return ("、" if lang == "ja" else ", ").join(parts)
        doc.add(doc.texts(describe))
        if rel.notes:
            doc.add(doc.texts(doc.bi(rel.notes), "body2"))


def memberships_table(doc: Doc, memberships) -> None:
    """The networks a city belongs to (left out when none)."""
    if not memberships:
        return
    doc.heading(NETWORKS, level=2)
    rows = [[cell(doc, doc.bi(ms.network.name)),
             cell(doc, doc.bi(ms.role) if ms.role else ""),
             cell(doc, lambda lang, ms=ms: format_stored_fuzzy(ms.start, lang, open_ended=ms.end is None))]
            for ms in memberships]
    doc.table([N_("Network"), N_("Role"), N_("Since")], rows, [3, 3, 1.5])


def positions_table(doc: Doc, positions) -> None:
    """Posts with their holders and what the data says of them on the document's day: former,
    current only when confirmed, "as of" the last confirmation (``common.position_status``); a
    post's notes under its title, so that two posts of one title read apart."""
    if not positions:
        return
    rows = []
    for p in positions:
        title = cell(doc, lambda lang, p=p: bilingual(p.title.ja, p.title.en, lang))
        if p.notes:
            title += cell(doc, doc.bi(p.notes), "cell2")
        rows.append([
            title,
            cell(doc, lambda lang, p=p: person_name(p.person, lang) if p.person
                 else phrase("Holder not recorded", lang)),
            cell(doc, lambda lang, p=p: _period(p, doc.generated_on, lang)),
        ])
    doc.table([POSITION, NAME, N_("Period")], rows, [3, 2.5, 1.6])


def _period(position, day, lang: str) -> str:
    start = format_stored_fuzzy(position.start, lang)
    end = format_stored_fuzzy(position.end, lang)
    status = position_status(position, day, lang)
    if start or end:
        dash = "～" if lang == "ja" else "–"
        return f"{start}{dash}{end}" + (f"\n{status}" if status else "")
    return status


def timeline_table(doc: Doc, entries) -> None:
    if not entries:
        return
    rows = []
    for entry in entries:
        def when(lang, entry=entry):
            if entry.event is not None:
                return event_dates(entry.event, lang)
            return (format_stored_fuzzy(entry.when, lang, open_ended=entry.ongoing)
                    or phrase(N_("date not recorded"), lang))
        rows.append([cell(doc, when), cell(doc, doc.bi(entry.title))])
    doc.table([DATE, ENTRY], rows, [1.4, 4])


def network_background(doc: Doc, background: NetworkBackground) -> None:
    """A network the event is one of: what it is, since when, and its members (from the network
    records); left out when the store knows nothing of it beyond its name."""
    network = background.network
    if not (network.description or network.founded or background.members):
        return
    name = doc.bi(network.name)
    doc.heading_text(lambda lang: phrase(N_("Background: {network}"), lang, network=name[lang]))
    if network.description:
        doc.add(doc.texts(doc.bi(network.description)))
    doc.fields([(N_("Founded"), doc.texts(lambda lang: format_stored_fuzzy(network.founded, lang))
                 if network.founded else [])])
    if background.members:
        rows = [[cell(doc, lambda lang, ms=ms: _member_name(ms, lang)),
                 cell(doc, lambda lang, ms=ms: country_name(ms.country, lang) if ms.country else ""),
                 cell(doc, doc.bi(ms.role) if ms.role else ""),
                 cell(doc, lambda lang, ms=ms: format_stored_fuzzy(ms.start, lang,
                                                                   open_ended=ms.end is None))]
                for ms in background.members]
        doc.table([N_("Member"), N_("Country"), N_("Role"), N_("Since")], rows, [3, 1.4, 2.4, 1.2])


def _member_name(membership, lang: str) -> str:
    body = membership.city or membership.organisation
    return bilingual(body.name.ja, body.name.en, lang) if body else ""


# "last met at <event>, <date> — commitments: …" (前回の面会: COP29（2024年11月12日）— 約束事項: …)
LAST_MET = N_("Last met at {event}, {date}")
WITH_COMMITMENTS = N_("{met} — commitments: {commitments}")


def last_met_text(meeting: Meeting, lang: str) -> str:
    """Where we last met, and the commitments made there: open ones first (with their due
    date), done ones marked done; dropped ones are left out."""
    text = phrase(LAST_MET, lang, event=bilingual(meeting.event_title.ja, meeting.event_title.en, lang),
                  date=format_date(meeting.day, lang))
    shown = [c for c in meeting.commitments if c.status != "dropped"]
    if not shown:
        return text
    separator = "、" if lang == "ja" else "; "
    return phrase(WITH_COMMITMENTS, lang, met=text,
                  commitments=separator.join(_commitment_text(c, lang) for c in shown))


def _commitment_text(commitment: CommitmentView, lang: str) -> str:
    text = bilingual(commitment.text.ja, commitment.text.en, lang)
    if commitment.status == "done":
        return phrase(N_("{text} ({status})"), lang, text=text,
                      status=label(COMMITMENT_STATUSES, "done", lang))
    if commitment.due:
        return phrase(N_("{text} (due {date})"), lang, text=text,
                      date=format_stored_fuzzy(commitment.due, lang))
    return text


def people_met_before(doc: Doc, data: EventDocumentData) -> None:
    """The event's people (other than the home city's own) we met before, each with where."""
    people = [x for x in data.met_before if x.person is not None]
    if not people:
        return
    doc.heading(N_("People met before"))
    rows = [[cell(doc, lambda lang, p=x.person: person_name(p, lang)),
             cell(doc, lambda lang, met=x.meeting: last_met_text(met, lang))] for x in people]
    doc.table([NAME, N_("Last met")], rows, [1.6, 4])


def key_figures(doc: Doc, data: EventDocumentData) -> None:
    """The home city's key figures, each with its own year and, for a reduction, its base year
    in a column of its own; a year the data does not give reads "not recorded"."""
    if not (data.key_figures or data.milestones) or data.home is None:
        return
    name = doc.bi(data.home.name)
    doc.heading_text(lambda lang: phrase("Key figures of {city}", lang, city=name[lang]))
    if data.key_figures:
        rows = [[cell(doc, doc.bi(f.label)), cell(doc, lambda lang, f=f: _figure(f, lang)),
                 cell(doc, lambda lang, f=f: format_figure_period(f.period, f.kind, lang)
                      or phrase(N_("not recorded"), lang)),
                 cell(doc, lambda lang, f=f: phrase(
                     "Base year {year}", lang,
                     year=format_figure_period(f.base_period, f.kind, lang, base=True))
                      if f.base_period else "")]
                for f in data.key_figures]
        doc.table([N_("Figure"), N_("Value"), N_("Year"), N_("Base year")], rows, [4, 1.8, 1.4, 1.4],
                  numeric=[1])  # figures flush right, as a table of numbers is read
    if data.milestones:
        doc.heading(N_("Milestones"), level=2)
        rows = [[cell(doc, lambda lang, m=m: format_stored_fuzzy(m.when, lang, open_ended=m.ongoing)),
                 cell(doc, doc.bi(m.title))] for m in data.milestones]
        doc.table([DATE, ENTRY], rows, [1.4, 4])


def _figure(figure, lang: str) -> str:
    """767.4万t-CO2（実績） / 7.674 million t-CO2 (actual)."""
    value = format_key_figure(figure.value, figure.unit, lang)
    kind = label(KEY_FIGURE_KINDS, figure.kind, lang)
    return f"{value}（{kind}）" if lang == "ja" else f"{value} ({kind})"


def notes(doc: Doc, data: EventDocumentData) -> None:
    event = data.detail.event
    if not event.notes:
        return
    doc.heading(N_("Notes"))
    doc.add(doc.texts(doc.bi(event.notes)))


def build(doc: Doc, data: EventDocumentData) -> None:
    cover(doc, data)
    sessions(doc, data)
    # the home sessions show their own organisations: the section names the rest
    shown = {s.id for s in data.home_sessions}
    organisations_section(doc, data.detail, [s for s in data.detail.sessions if s.id not in shown])
    home_name = doc.bi(data.home.name) if data.home else {lang: "" for lang in doc.langs}
    met = {x.city.id: x.meeting for x in data.met_before if x.city is not None}
    for index, partner in enumerate(data.partners):
        # a partner with a relationship gets its own page; a city only present at the event
        # (no relationship, few facts) follows on the same page when there is room
        if index == 0 or partner.relationships:
            doc.add(PageBreak())
        city_background(doc, partner, home_name, met=met.get(partner.city.id),
                        leave_out_event=data.detail.event.id)
    for network in data.networks:
        network_background(doc, network)
    people_met_before(doc, data)
    if data.key_figures or data.milestones:
        doc.add(PageBreak())
        key_figures(doc, data)
    notes(doc, data)


__all__ = ["TITLE", "build", "city_background", "memberships_table", "network_background",
           "positions_table", "relationships", "timeline_table"]
