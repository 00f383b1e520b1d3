"""Search hits and list sizes in words, for the terminal UI and ``citynet search`` alike: a hit's
name, what tells it apart, and the line saying how many were found and in what order."""

from __future__ import annotations

from typing import TYPE_CHECKING

from citynet.i18n import N_, _, ngettext
from citynet.i18n.format import country_name, format_date, format_date_range, person_display_name
from citynet.i18n.quantities import format_number
from citynet.i18n.text import bilingual

if TYPE_CHECKING:  # the screens import this module before the first paint: no SQLAlchemy yet
    from citynet.services.hits import SearchHit, SearchResults

KIND_NAMES = {
    "city": N_("City"), "network": N_("Network"), "organisation": N_("Organisation"),
    "person": N_("Person"), "event": N_("Event"), "session": N_("Session"),
    "position": N_("Position"), "project": N_("Project"), "membership": N_("Membership"),
    "relationship": N_("Relationship"), "participant": N_("Participant"),
    "organisation_role": N_("Organisation role"), "commitment": N_("Commitment"),
}
# The list orders (citynet.services.lists.Page.order), as the list says which it uses.
ORDER_NAMES = {"reading": N_("in 五十音 order"), "alphabetical": N_("in alphabetical order"),
               "date": N_("newest first")}


def hit_name(hit: SearchHit, lang: str) -> str:
    p = hit.person
    if p is not None:
        return person_display_name(p.family_name_ja, p.given_name_ja, p.family_name_latin,
                                   p.given_name_latin, p.name_order, lang, katakana=p.name_katakana)
    return bilingual(hit.label.ja, hit.label.en, lang)


def hit_detail(hit: SearchHit, lang: str) -> str:
    """What tells the hit apart from its namesakes: a post, a region and country, dates …"""
    parts = []
    if hit.context:
        parts.append(bilingual(hit.context.ja, hit.context.en, lang))
    if hit.country:
        parts.append(country_name(hit.country, lang))
    if hit.start is not None:
        parts.append(format_date_range(hit.start, hit.end, lang) if hit.end and hit.end != hit.start
                     else format_date(hit.start, lang))
    return " · ".join(part for part in parts if part)


def kind_name(kind: str) -> str:
    return _(KIND_NAMES.get(kind, kind))


def results_line(results: SearchResults, lang: str) -> str:
    """"40 of 1,203 found (people 1,203)" / "Nothing found." / for a broad query, the matches
    among the names read so far and a hint to type more."""
    if not results.hits:
        return _("Nothing found.")
    shown, total = len(results.hits), format_number(results.total, lang)
    if results.broad:
        line = _("{shown} of more than {total} found: type more to narrow").format(
            shown=shown, total=total)
    elif shown + results.offset < results.total or results.offset:
        line = _("{shown} of {total} found").format(shown=shown, total=total)
    else:
        line = ngettext("{count} found", "{count} found", shown).format(count=shown)
    if len(results.totals) > 1 and not results.broad:
        line += " (" + _(", ").join(f"{kind_name(kind)} {format_number(count, lang)}"
                                    for kind, count in results.totals.items()) + ")"
    return line


def list_line(total: int | None, order: str, broad: bool, lang: str,
              row: int | None = None, order_text: str | None = None) -> str:
    """The line above a list: how many rows it holds (and which the cursor is on) and its order
    (``order_text``: a sort the user chose, in words; else the list's own order)."""
    order_text = order_text or _(ORDER_NAMES.get(order, "newest first"))
    if total is None:
        return order_text
    count = format_number(total, lang)
    if row is not None and total:
        place = format_number(row, lang)
        if broad:
            return _("row {row} of more than {count}, {order}: type more to narrow").format(
                row=place, count=count, order=order_text)
        return _("row {row} of {count}, {order}").format(row=place, count=count, order=order_text)
    if broad:
        return _("more than {count}, {order}: type more to narrow").format(count=count,
                                                                            order=order_text)
    return ngettext("{count} row, {order}", "{count} rows, {order}", total).format(
        count=count, order=order_text)


__all__ = ["hit_name", "hit_detail", "kind_name", "results_line", "list_line", "ORDER_NAMES"]
