"""Releasing a briefing or programme: the document as it goes out, recorded with what it was
built from (``citynet release``).

A release is made in one transaction, so that a refused or failed release leaves nothing behind:

1. the checker runs on the event for that document and language; a blocking warning refuses the
   release unless the caller accepts the warnings (they are then listed in the document's annex
   and stored with the release);
2. the writer's transaction starts (on SQLite it holds the write lock, so two releases cannot
   take the same version; on PostgreSQL the unique key refuses the second);
3. the next version is the last one of that event, document and language plus one; the
   document's data is read once and snapshotted (:mod:`citynet.services.releases`); a release
   after the first is compared with the last one: the first page says "changed since vN" with the
   changes, an annex gives them with their details;
4. the PDF is rendered with its version in every footer and written (atomically) as
   ``<slug>-<document>-<lang>-v<N>.pdf``; the release row (with the PDF's SHA-256) is written
   by the single write path, and the transaction commits; if the commit fails, the file is
   removed again.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING
from datetime import date, datetime
from pathlib import Path

from reportlab.platypus import Spacer

from citynet.errors import N_, CitynetError
from citynet.files import atomic_write, default_output
from citynet.presenters.releases import changed_since, difference_text
from citynet.render.pdf import common
from citynet.render.pdf.furniture import Doc
from citynet.render.pdf.phrases import phrase
from citynet.services.releases import Difference

if TYPE_CHECKING:
    from citynet.services.checks import CheckSettings

# Changes named on the first page; the annex holds them all.
FIRST_PAGE_CHANGES = 8


@dataclass(frozen=True)
class ReleaseMarks:
    """What a release adds to its document."""

    version: int
    since: int | None  # the version it is compared with (None for a first release)
    differences: tuple[Difference, ...]
    accepted: tuple[dict, ...]  # warnings it went out with: {"key", "rule", "blocking", "text": {"ja", "en"}}
    home_tz: str


def _bullet(text: Callable[[str], str]) -> Callable[[str], str]:
    return lambda lang: "• " + text(lang)


def add_release_notes(doc: Doc, marks: ReleaseMarks) -> None:
    """"Changed since vN" after the cover, and the annex at the end."""
    since = marks.since
    if since is not None:
        notice = doc.texts(lambda lang: changed_since(since, len(marks.differences), lang), "h2")
        shown = marks.differences[:FIRST_PAGE_CHANGES]
        for d in shown:
            notice += doc.texts(_bullet(partial(difference_text, d, marks.home_tz)), "body")
        if len(marks.differences) > len(shown):
            notice += doc.texts(lambda lang: phrase(N_("… and {count} more: see the annex"), lang,
                                                    count=len(marks.differences) - len(shown)), "small")
        at = doc.cover_end if doc.cover_end is not None else 0
        doc.story[at:at] = [Spacer(1, 4), *notice, Spacer(1, 6)]
    if marks.differences or marks.accepted:
        doc.page_break()
        doc.heading(N_("Annex"))
    if marks.differences:
        doc.heading(N_("Changes since v{version}"), level=2, version=since)
        for d in marks.differences:
            doc.add(doc.texts(_bullet(partial(difference_text, d, marks.home_tz)), "body"))
    if marks.accepted:
        doc.heading(N_("Warnings when this version went out"), level=2)
        for warning in marks.accepted:
            doc.add(doc.texts(_bullet(warning["text"].__getitem__), "body"))


@dataclass(frozen=True)
class Released:
    path: Path | None  # None when no file was asked for (the demo's release)
    version: int
    since: int | None
    differences: tuple[Difference, ...]
    accepted: tuple[dict, ...]
    home_tz: str


class BlockingWarnings(CitynetError):
    """A release refused on blocking warnings: the warnings come with it, to be listed."""

    def __init__(self, findings: tuple) -> None:
        super().__init__(N_("not released: {count} blocking warnings (see them with citynet check; "
                            "release anyway with --accept-warnings)"), count=len(findings))
        self.findings = findings


def release_document(engine, document: str, slug: str, lang: str, *, recipients: str | None = None,
                     note: str | None = None, accept_warnings: bool = False,
                     output: Path | None = None, origin: str = "cli", user: str | None = None,
                     now: datetime | None = None, generated_on: date | None = None,
                     write_file: bool = True, settings: CheckSettings | None = None) -> Released:
    """Make a release (see the module's description); returns what was written. ``settings``
    are the checker's (the command line passes the settings file's; None: the defaults). The
    demo loader records its release with a fixed user and time, and without writing the PDF."""
    from citynet.presenters.checks import finding_text
    from citynet.render.pdf import build_event_pdf, event_document_data, output_name
    from citynet.services.checks import check_event
    from citynet.services.records import writing
    from citynet.services.releases import (
        canonical_json, differences, document_snapshot, event_id_of, latest_release,
    )

    if document not in ("briefing", "programme"):
        raise CitynetError(N_("only a briefing or a programme is released, not {document!r}"),
                           document=document)
    if lang not in ("ja", "en", "both"):
        raise CitynetError(N_("unknown language {lang!r}: use ja, en or both"), lang=lang)
    findings = check_event(engine, slug, document=document, lang=lang, settings=settings)
    blocking = tuple(f for f in findings if f.blocking)
    if blocking and not accept_warnings:
        raise BlockingWarnings(blocking)
    # Past this point every finding went out with the release: advisory ones, and blocking ones
    # the caller accepted. The annex lists them; the release row keeps them.
    accepted = tuple({"key": f.key, "rule": f.rule, "blocking": f.blocking,
                      "text": {one: finding_text(f, one) for one in ("ja", "en")}}
                     for f in findings)
    written: Path | None = None
    try:
        with writing(engine, origin=origin, user=user, now=now) as writer:
            event_id = event_id_of(writer.c, slug)
            last = latest_release(writer.c, event_id, document, lang)
            version = last[0] + 1 if last else 1
            data = event_document_data(engine, document, slug)
            snapshot = document_snapshot(data.detail)
            changes = differences(last[1], snapshot) if last else ()
            home_tz = common.home_tz(data)
            marks = ReleaseMarks(version, last[0] if last else None, changes, accepted, home_tz)
            pdf = build_event_pdf(data, document, lang, generated_on=generated_on, release=marks,
                                  created=now)  # the demo's fixed time: the same bytes each load
            writer.create("release", {
                "event_id": event_id, "document": document, "lang": lang, "version": version,
                "recipients": recipients, "note": note,
                "content_hash": hashlib.sha256(pdf).hexdigest(),
                "snapshot": canonical_json(snapshot), "accepted_warnings": canonical_json(list(accepted)),
            })
            if write_file:
                target = Path(output) if output is not None else default_output(
                    output_name(document, slug, lang, version))
                written = atomic_write(target, pdf, create_parent=output is None)
    except BaseException:
        if written is not None:
            written.unlink(missing_ok=True)
        raise
    return Released(written, version, marks.since, changes, accepted, home_tz)


__all__ = ["BlockingWarnings", "ReleaseMarks", "Released", "add_release_notes", "release_document"]
