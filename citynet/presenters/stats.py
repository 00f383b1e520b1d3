"""Participation figures of an event, as lines for the terminal (``citynet stats``)."""

from __future__ import annotations

from sqlalchemy.engine import Engine

from citynet.i18n import _
from citynet.i18n.text import bilingual
from citynet.services.events import event_detail


def stats_lines(engine: Engine, slug: str, lang: str) -> list[str]:
    from citynet.i18n.format import participation_sentence

    detail = event_detail(engine, slug)
    totals = detail.totals
    title = bilingual(detail.event.title.ja, detail.event.title.en, lang)
    if totals is None:
        return [title, _("No participation figures recorded for this event.")]
    lines = [title, participation_sentence(totals, lang)]
    rows = [
        (_("Participants"), totals.total),
        (_("Overseas countries"), totals.overseas_countries),
        (_("Overseas cities"), totals.overseas_cities),
        (_("Domestic cities"), totals.domestic_cities),
        (_("Companies and organisations"), totals.organisations),
        (_("Sponsoring companies"), totals.sponsors),
    ]
    # Terminal columns, not characters: a Japanese character takes two.
    from rich.cells import cell_len

    width = max(cell_len(label) for label, _value in rows)
    lines += [f"  {label}{' ' * (width - cell_len(label))}  {value}"
              for label, value in rows if value is not None]
    return lines


