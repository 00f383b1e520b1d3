"""PDF documents: briefing, programme and report of an event, and a city profile.

One entry point for the command line and the UI: :func:`export_pdf`. Each document is a module
(``briefing``, ``programme``, ``report``, ``city``) writing onto the shared page furniture
(``furniture``: page, styles, header and footer; ``fonts``; ``markup``: escaping and line
breaking; ``phrases``: the documents' own words).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

from sqlalchemy.engine import Engine

from citynet.errors import N_, CitynetError
from citynet.files import atomic_write, default_output

if TYPE_CHECKING:
    from citynet.services.views import BiText

DOCUMENTS = ("briefing", "programme", "report", "city")
EVENT_DOCUMENTS = ("briefing", "programme", "report")
LANGS = ("ja", "en", "both")

__all__ = ["DOCUMENTS", "EVENT_DOCUMENTS", "LANGS", "export_pdf", "render_pdf", "output_name"]


def output_name(document: str, slug: str, lang: str) -> str:
    """``<slug>-<document>-<lang>.pdf``: from the slug only, never from free text."""
    return f"{slug}-{document}-{lang}.pdf"


def render_pdf(engine: Engine, document: str, slug: str, lang: str, *,
               generated_on: date | None = None) -> bytes:
    """The document as PDF bytes (nothing written)."""
    if document not in DOCUMENTS:
        raise CitynetError(N_("unknown document {document!r}: use one of {choices}"), document=document,
                           choices=", ".join(DOCUMENTS))
    if lang not in LANGS:
        raise CitynetError(N_("unknown language {lang!r}: use ja, en or both"), lang=lang)
    generated_on = generated_on or date.today()
    from citynet.render.pdf.furniture import Doc

    if document == "city":
        from citynet.render.pdf import city
        from citynet.services.cities import city_profile

        profile = city_profile(engine, slug, today=generated_on)
        doc = Doc(lang, city.TITLE, generated_on,
                  subject=_names(profile.background.city.name, lang))
        city.build(doc, profile)
        return doc.build()

    from citynet.services import briefing as services

    module: ModuleType  # the document's module: TITLE and build(doc, data)
    if document == "briefing":
        from citynet.render.pdf import briefing as module

        data = services.briefing_data(engine, slug)
    elif document == "programme":
        from citynet.render.pdf import programme as module

        data = services.programme_data(engine, slug)
    else:
        from citynet.render.pdf import report as module

        data = services.report_data(engine, slug)
    event = data.detail.event
    from citynet.i18n.vocabulary import HANDLING_MARKS

    mark = HANDLING_MARKS.get(event.visibility)
    doc = Doc(lang, module.TITLE, generated_on, subject=_names(event.title, lang), handling_mark=mark)
    module.build(doc, data)
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
