"""What a spreadsheet import did (or, in a dry run, would do), as lines for the terminal."""

from __future__ import annotations

from citynet.i18n import _
from citynet.services.importer import ImportReport


def report_lines(report: ImportReport, *, details: bool) -> list[str]:
    lines = []
    for column in report.ignored_columns:
        lines.append(_("column {column!r} is not used (name it with --map)").format(column=column))
    if details:
        for action in report.actions:
            if action.action == "create":
                lines.append(_("row {row}: create {table} {slug}").format(
                    row=action.row, table=action.table, slug=action.slug or ""))
            elif action.action == "update":
                lines.append(_("row {row}: update {table} {slug}: {fields}").format(
                    row=action.row, table=action.table, slug=action.slug or "",
                    fields=", ".join(action.fields)))
    for rejection in report.rejected:
        lines.append(_("row {row}: rejected: {reason}").format(row=rejection.row, reason=rejection.message))
    for conflict in report.conflicts:
        lines.append(_("row {row}: conflict, not imported: {reason}").format(
            row=conflict.row, reason=conflict.message))
    counts = dict(created=report.count("create"), updated=report.count("update"),
                  unchanged=report.count("unchanged"), rejected=len(report.rejected),
                  conflicts=len(report.conflicts))
    if report.dry_run:
        lines.append(_("Dry run, nothing written: {created} to create, {updated} to update, "
                       "{unchanged} unchanged, {rejected} rejected, {conflicts} in conflict.")
                     .format(**counts))
    elif report.written:
        lines.append(_("Imported: {created} created, {updated} updated, {unchanged} unchanged, "
                       "{rejected} rejected, {conflicts} in conflict.").format(**counts))
    else:
        lines.append(_("Nothing imported: {rejected} rows rejected and {conflicts} in conflict (fix "
                       "them, or use --skip-invalid to import the {good} good rows).").format(
            rejected=counts["rejected"], conflicts=counts["conflicts"],
            good=report.rows - counts["rejected"] - counts["conflicts"]))
    return lines
