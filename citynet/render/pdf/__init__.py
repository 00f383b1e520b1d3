"""PDF documents: briefing, programme and report of an event, and a city profile.

One entry point for the command line and the UI: :func:`export_pdf`. Each document is a module
(``briefing``, ``programme``, ``report``, ``city``) writing onto the shared page furniture
(``furniture``: page, styles, header and footer; ``fonts``; ``markup``: escaping and line
breaking; ``phrases``: the documents' own words).
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

from sqlalchemy.engine import Engine

from citynet.errors import N_, CitynetError
from citynet.files import atomic_write, default_output

if TYPE_CHECKING:
    from citynet.config import DocumentSettings
    from citynet.render.pdf.furniture import Doc
    from citynet.render.pdf.release import ReleaseMarks
    from citynet.services.briefing import EventDocumentData
    from citynet.services.views import BiText

DOCUMENTS = ("briefing", "programme", "report", "city")
EVENT_DOCUMENTS = ("briefing", "programme", "report")
LANGS = ("ja", "en", "both")

__all__ = ["DOCUMENTS", "EVENT_DOCUMENTS", "LANGS", "build_event_pdf", "event_document_data", "export_pdf",
           "render_pdf", "output_name"]


def output_name(document: str, slug: str, lang: str, version: int | None = None) -> str:
    """``<slug>-<document>-<lang>.pdf`` (``…-v2.pdf`` for a release): from the slug only, never
    from free text."""
    return f"{slug}-{document}-{lang}{f'-v{version}' if version else ''}.pdf"


def render_pdf(engine: Engine, document: str, slug: str, lang: str, *,
               generated_on: date | None = None, settings: DocumentSettings | None = None) -> bytes:
    """The document as PDF bytes (nothing written). ``settings``: the office's ([documents],
    [office]; default: the settings file's)."""
    if document not in DOCUMENTS:
        raise CitynetError(N_("unknown document {document!r}: use one of {choices}"), document=document,
                           choices=", ".join(DOCUMENTS))
    if lang not in LANGS:
        raise CitynetError(N_("unknown language {lang!r}: use ja, en or both"), lang=lang)
    from citynet.i18n.format import date_style
    from citynet.render.pdf.furniture import Doc, generation_day

    generated_on = generated_on or generation_day()
    if document == "city":
        from citynet.render.pdf import city
        from citynet.services.cities import city_profile

        profile = city_profile(engine, slug, today=generated_on)
        home = profile.home.name if profile.home else None
        # a city profile is a staff document (notes, people, every event): internal
        doc = _office(Doc(lang, city.TITLE, generated_on, subject=_names(profile.background.city.name, lang),
                          classification="internal"), settings, home)
        with date_style(doc.date_style):
            city.build(doc, profile)
        return doc.build()

    data = event_document_data(engine, document, slug)
    return build_event_pdf(data, document, lang, generated_on=generated_on, settings=settings)


def _office(doc: Doc, settings: DocumentSettings | None, home: BiText | None) -> Doc:
    """The office's settings onto a document: its date style, the issuing office (the home
    city's name when none is set) and section."""
    if settings is None:
        from citynet.config import document_settings

        settings = document_settings()
    doc.date_style = settings.dates
    doc.office = dict(settings.office) or (_names(home, doc.lang) if home is not None else {})
    doc.section = dict(settings.section)
    return doc


def event_document_data(engine: Engine, document: str, slug: str) -> EventDocumentData:
    """What an event document is built from (one read: a release snapshots the same data)."""
    from citynet.services import briefing as services

    if document == "briefing":
        return services.briefing_data(engine, slug)
    if document == "programme":
        return services.programme_data(engine, slug)
    return services.report_data(engine, slug)


def build_event_pdf(data: EventDocumentData, document: str, lang: str, *,
                    generated_on: date | None = None, release: ReleaseMarks | None = None,
                    settings: DocumentSettings | None = None, created: datetime | None = None) -> bytes:
    """An event document as PDF bytes; a release adds its version, what changed since the last
    one (on the first page and in an annex) and the warnings it went out with. ``created``: the
    PDF's creation date (a release's time; default: now, or SOURCE_DATE_EPOCH's)."""
    from citynet.i18n.format import date_style
    from citynet.render.pdf.furniture import Doc, generation_day, strictest

    module: ModuleType  # the document's module: TITLE and build(doc, data)
    if document == "briefing":
        from citynet.render.pdf import briefing as module
    elif document == "programme":
        from citynet.render.pdf import programme as module
    else:
        from citynet.render.pdf import report as module
    event = data.detail.event
    from citynet.i18n.vocabulary import HANDLING_MARKS

    mark = HANDLING_MARKS.get(event.visibility)
    # The footer's classification: the audience of what is shown. A programme and a report show
    # what the event's audience may see; a briefing adds staff notes, commitments and people
    # met before, so it is internal at least.
    classification = strictest(event.visibility, "internal" if document == "briefing" else None)
    doc = _office(Doc(lang, module.TITLE, generated_on or generation_day(), subject=_names(event.title, lang),
                      handling_mark=mark, version=release.version if release else None,
                      classification=classification, created=created),
                  settings, data.home.name if data.home else None)
    with date_style(doc.date_style):
        module.build(doc, data)
        if release is not None:
            from citynet.render.pdf.release import add_release_notes

            add_release_notes(doc, release)
    return doc.build()


def _names(bitext: BiText, lang: str) -> dict[str, str]:
    from citynet.i18n.text import bilingual

    return {one: bilingual(bitext.ja, bitext.en, one) for one in ("ja", "en")}


def export_pdf(engine: Engine, document: str, slug: str, lang: str, output: Path | None = None, *,
               generated_on: date | None = None) -> Path:
    """Render a document and write it atomically; returns the path written.

    Without ``output`` the file is ``exports/<slug>-<document>-<lang>.pdf``.
    """
    data = render_pdf(engine, document, slug, lang, generated_on=generated_on)
    path = Path(output) if output is not None else default_output(output_name(document, slug, lang))
    # ./exports/ is created when missing; a directory the user named must exist.
    return atomic_write(path, data, create_parent=output is None)
