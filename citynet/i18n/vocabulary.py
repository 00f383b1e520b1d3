"""Labels of the data model's vocabularies: the codes stored in the database, put into words.

One dict per vocabulary, code → English msgid (marked with ``N_`` so the catalog finds it), in
the order of the code tuples in :mod:`citynet.store.models` (a test keeps the two in step).
Screens, PDFs and calendars all translate a code with :func:`label`, in an explicit language:
the UI passes :func:`citynet.i18n.get_language`, a document its own language.

A code shared by two vocabularies may read differently in each: "host" is 主催者 (Host) as a
participant's role and 主催 (Organized by) as an organisation's role.
"""

from __future__ import annotations

from collections.abc import Mapping

from citynet.i18n import NP_, N_, gettext_in

__all__ = [
    "PARTICIPANT_ROLES", "ORGANISATION_ROLES", "RELATIONSHIP_KINDS", "RELATIONSHIP_STATUSES",
    "EVENT_KINDS", "EVENT_STATUSES", "SESSION_KINDS", "SESSION_STATUSES", "VISIBILITIES",
    "HANDLING_MARKS", "ORGANISATION_KINDS", "NAME_ORDERS", "KEY_FIGURE_KINDS", "COMMITMENT_STATUSES",
    "RELEASE_DOCUMENTS", "DOCUMENT_LANGS", "VOCABULARIES",
    "CALENDAR_AUDIENCES", "CONFERENCE_KINDS", "dates_msgid", "label",
]

PARTICIPANT_ROLES = {
    "host": N_("Host"),
    "moderator": N_("Moderator"),
    "speaker": N_("Speaker"),
    "panelist": N_("Panelist"),
    "participant": N_("Participant"),
    "interpreter": N_("Interpreter"),
}
# 主催, 共催, 後援, 協賛, 協力: the order documents list organisations in.
ORGANISATION_ROLES = {
    "host": N_("Organized by"),
    "co_host": N_("Co-organized by"),
    "support": N_("Supported by"),
    "sponsor": N_("Sponsored by"),
    "cooperation": N_("In cooperation with"),
}
RELATIONSHIP_KINDS = {
    "sister": N_("Sister city"),
    "friendship": N_("Friendship city"),
    "network_partner": N_("Partner in a city network"),
    "mou": N_("Memorandum of understanding"),
    "exchange": N_("Exchange partner"),
}
RELATIONSHIP_STATUSES = {"active": N_("active"), "planned": N_("planned"), "ended": N_("ended")}
EVENT_KINDS = {
    "summit": N_("summit"), "conference": N_("conference"), "inbound_visit": N_("inbound visit"),
    "outbound_visit": N_("outbound visit"), "meeting": N_("meeting"), "ceremony": N_("ceremony"),
}
EVENT_STATUSES = {
    "planned": N_("planned"), "confirmed": N_("confirmed"), "held": N_("held"),
    "postponed": N_("postponed"), "cancelled": N_("cancelled"),
}
SESSION_KINDS = {
    "press_conference": N_("press conference"), "high_level_talks": N_("high-level talks"),
    "seminar": N_("seminar"), "panel": N_("panel"), "site_visit": N_("site visit"),
    "plenary": N_("plenary"), "meeting": N_("meeting"), "ceremony": N_("ceremony"),
    "other": N_("other"),
}
SESSION_STATUSES = {
    "planned": N_("planned"), "confirmed": N_("confirmed"), "held": N_("held"),
    "cancelled": N_("cancelled"),
}
VISIBILITIES = {"public": N_("public"), "internal": N_("internal"), "confidential": N_("confidential")}
# The handling mark a document of that visibility carries (public ones carry none).
HANDLING_MARKS = {"internal": N_("Internal use only"), "confidential": N_("Confidential")}
ORGANISATION_KINDS = {
    "city_government": N_("city government"), "local_government": N_("local government"),
    "government_agency": N_("government agency"), "ministry": N_("ministry"),
    "un_body": N_("UN body"), "university": N_("university"), "company": N_("company"),
    "ngo": N_("NGO"), "association": N_("association"), "other": N_("other"),
}
NAME_ORDERS = {
    "family_first": N_("family name first"), "given_first": N_("given name first"),
    "single": N_("single name"),
}
KEY_FIGURE_KINDS = {"actual": N_("actual"), "target": N_("target")}
COMMITMENT_STATUSES = {"open": N_("open"), "done": N_("done"), "dropped": N_("dropped")}
RELEASE_DOCUMENTS = {"briefing": N_("briefing"), "programme": N_("programme")}
DOCUMENT_LANGS = {"ja": N_("Japanese"), "en": N_("English"), "both": N_("Japanese and English")}
# Not stored codes: the audiences a calendar is exported for (``citynet export ics --audience``).
CALENDAR_AUDIENCES = {"public": N_("public calendar"), "internal": N_("internal calendar")}
# 会期 is said of a conference (or a summit) only; a visit, a meeting or a ceremony has a 日程.
CONFERENCE_KINDS = frozenset({"summit", "conference"})

VOCABULARIES: dict[str, Mapping[str, str]] = {
    "participant_role": PARTICIPANT_ROLES,
    "organisation_role": ORGANISATION_ROLES,
    "relationship_kind": RELATIONSHIP_KINDS,
    "relationship_status": RELATIONSHIP_STATUSES,
    "event_kind": EVENT_KINDS,
    "event_status": EVENT_STATUSES,
    "session_kind": SESSION_KINDS,
    "session_status": SESSION_STATUSES,
    "visibility": VISIBILITIES,
    "handling_mark": HANDLING_MARKS,
    "organisation_kind": ORGANISATION_KINDS,
    "name_order": NAME_ORDERS,
    "key_figure_kind": KEY_FIGURE_KINDS,
    "commitment_status": COMMITMENT_STATUSES,
    "release_document": RELEASE_DOCUMENTS,
    "document_lang": DOCUMENT_LANGS,
}


def dates_msgid(event_kind: str | None) -> str | tuple[str, str]:
    """The label of an event's dates: 会期 for a conference, 日程 for any other event ("Dates"
    in English either way); a msgid, or a (context, msgid) pair as documents' phrases take."""
    return NP_("conference", "Dates") if event_kind in CONFERENCE_KINDS else N_("Dates")


def label(vocabulary: str | Mapping[str, str], code: str | None, lang: str) -> str:
    """The label of ``code`` in ``lang``; ``vocabulary`` is a name from :data:`VOCABULARIES` or
    one of the dicts. An unknown code is shown as stored, None or "" as "".
    """
    if not code:
        return ""
    words = VOCABULARIES[vocabulary] if isinstance(vocabulary, str) else vocabulary
    return gettext_in(lang, words[code]) if code in words else code
