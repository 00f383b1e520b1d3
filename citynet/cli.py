"""The command line: parses arguments, resolves the database and the language, then imports only
the layer the command needs (Textual, ReportLab, icalendar and Alembic stay off other paths).

A user's mistake ends as one line on stderr and exit status 2, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from citynet import __version__
from citynet.errors import CitynetError
from citynet.i18n import N_, _, describe

EXIT_USAGE = 2


# The kinds of record ``add`` and ``edit`` know (the write path's kinds).
RECORD_KINDS = ("city", "relationship", "organisation", "network", "membership", "person",
                "position", "event", "session", "participant", "organisation_role",
                "participation_totals", "registration", "milestone", "project", "project_partner",
                "key_figure", "commitment")
# The documents ``release`` sends out (a report or a city profile is exported, not released).
RELEASED_DOCUMENTS = ("briefing", "programme")
# The kinds ``search --kind`` knows (the search engine's; a test keeps the two the same).
SEARCH_KINDS = ("person", "city", "organisation", "network", "position", "event", "session",
                "project")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one line, not the usage block
        self.exit(EXIT_USAGE, f"citynet: error: {_hide_secrets(message)}\n")


def _port(text: str) -> int:
    """--port: a TCP port number, 1–65535 (the socket layer would wrap 70000 round to 4464)."""
    try:
        port = int(text)
    except ValueError:
        port = 0
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(_("not a port number (1–65535): {value}").format(value=text))
    return port


def _common(parser: argparse.ArgumentParser, *, lang_choices=("ja", "en")) -> None:
    # SUPPRESS: an option given before the sub-command is not overwritten by the default here.
    parser.add_argument("--db", metavar="URL", default=argparse.SUPPRESS,
                        help=_("database URL (default: CITYNET_DATABASE_URL, else a file in the user data dir)"))
    parser.add_argument("--lang", choices=lang_choices, default=argparse.SUPPRESS)


def _scope(parser: argparse.ArgumentParser, scopes: tuple[str, ...]) -> None:
    group = parser.add_mutually_exclusive_group(required=True)
    for scope in scopes:
        if scope == "all":
            group.add_argument("--all", action="store_true", help=_("every event"))
        else:
            group.add_argument(f"--{scope}", metavar="SLUG")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="citynet", description=_("Partner cities, networks, people and events."))
    parser.add_argument("--version", action="version", version=f"citynet {__version__}")
    parser.add_argument("--db", metavar="URL", default=None)
    parser.add_argument("--lang", choices=("ja", "en"), default=None)
    commands = parser.add_subparsers(dest="command", parser_class=_Parser)

    demo = commands.add_parser("demo", help=_("create/upgrade the database and load the demo data"))
    _common(demo)
    demo_mode = demo.add_mutually_exclusive_group()
    demo_mode.add_argument("--force", action="store_true", help=_("replace the data already there"))
    demo_mode.add_argument("--if-empty", action="store_true",
                           help=_("load only into an empty database; otherwise leave it as it is"))

    db = commands.add_parser("db", help=_("schema migrations"))
    db.add_argument("action", choices=("upgrade", "current"))
    _common(db)

    export = commands.add_parser("export", help=_("export data, calendars or PDFs"))
    export_kinds = export.add_subparsers(dest="format", required=True, parser_class=_Parser)
    export_json = export_kinds.add_parser("json", help=_("full dump of every record"))
    _common(export_json)
    export_json.add_argument("-o", "--output", metavar="FILE", help=_("file to write, - for stdout"))
    export_ics = export_kinds.add_parser("ics", help=_("iCalendar file"))
    _common(export_ics, lang_choices=("ja", "en", "both"))
    _scope(export_ics, ("event", "city", "network", "all"))
    export_ics.add_argument("--audience", choices=("public", "internal"), default="public")
    export_ics.add_argument("-o", "--output", metavar="FILE")
    export_pdf = export_kinds.add_parser("pdf", help=_("briefing PDF"))
    export_pdf.add_argument("document", choices=("briefing", "programme", "report", "city"))
    _common(export_pdf, lang_choices=("ja", "en", "both"))
    _scope(export_pdf, ("event", "city"))
    export_pdf.add_argument("-o", "--output", metavar="FILE")
    for sheet_format in ("csv", "xlsx"):
        export_sheet = export_kinds.add_parser(
            sheet_format, help=_("participant, contact or commitment list as {format}").format(format=sheet_format.upper()))
        export_sheet.add_argument("list", choices=("participants", "contacts", "commitments"))
        _common(export_sheet)
        export_sheet.add_argument("--event", metavar="SLUG",
                                  help=_("the event (for participants; for commitments, to keep "
                                         "those of its sessions only)"))
        export_sheet.add_argument("-o", "--output", metavar="FILE")

    import_ = commands.add_parser("import", help=_("restore a dump"))
    import_kinds = import_.add_subparsers(dest="format", required=True, parser_class=_Parser)
    import_json = import_kinds.add_parser("json", help=_("restore a dump into an empty database"))
    import_json.add_argument("file", metavar="FILE")
    _common(import_json)
    for sheet_format in ("csv", "xlsx"):
        import_sheet = import_kinds.add_parser(
            sheet_format, help=_("import records from a {format} file").format(format=sheet_format.upper()))
        import_sheet.add_argument("kind", choices=("cities", "organisations", "people", "participants"))
        import_sheet.add_argument("file", metavar="FILE")
        _common(import_sheet)
        import_sheet.add_argument("--dry-run", action="store_true",
                                  help=_("show what would be created, updated and rejected; write nothing"))
        import_sheet.add_argument("--skip-invalid", action="store_true",
                                  help=_("import the good rows even if some are rejected"))
        import_sheet.add_argument("--map", action="append", metavar="COLUMN=FIELD", default=[],
                                  help=_("read a column as a field (FIELD - ignores the column)"))

    backup = commands.add_parser("backup", help=_("back up the whole database"))
    _common(backup)
    backup.add_argument("-o", "--output", metavar="FILE",
                        help=_("a .db file (SQLite copy) or .json dump; default: exports/citynet-backup-TIME"))
    restore = commands.add_parser("restore", help=_("replace the database with a backup"))
    restore.add_argument("file", metavar="FILE", help=_("a .db backup or a .json dump"))
    _common(restore)
    restore.add_argument("--force", action="store_true",
                         help=_("replace the data already there (in one transaction)"))

    feeds = commands.add_parser("feeds", help=_("shared calendar subscription feeds"))
    feeds_actions = feeds.add_subparsers(dest="action", required=True, parser_class=_Parser)
    feeds_build = feeds_actions.add_parser("build", help=_("write every feed and an index page"))
    _common(feeds_build)
    feeds_build.add_argument("-o", "--output", metavar="DIR", help=_("default: exports/feeds"))
    feeds_build.add_argument("--base-url", metavar="URL",
                             help=_("where the feeds will be served, for the index page's links"))
    feeds_build.add_argument("--full", action="store_true",
                             help=_("render every feed again (by default only what the changes "
                                    "since the last build reach)"))
    feeds_serve = feeds_actions.add_parser("serve", help=_("serve the built feeds over HTTP"))
    _common(feeds_serve)
    feeds_serve.add_argument("--host", default="127.0.0.1")
    feeds_serve.add_argument("--port", type=_port, default=8080, help=_("1–65535; default: 8080"))
    feeds_serve.add_argument("-d", "--directory", metavar="DIR", help=_("default: exports/feeds"))
    feeds_rotate = feeds_actions.add_parser("rotate-token",
                                            help=_("give an internal feed a new secret link"))
    _common(feeds_rotate)
    feeds_rotate.add_argument("name", metavar="FEED")
    feeds_rotate.add_argument("-d", "--directory", metavar="DIR", help=_("default: exports/feeds"))

    stats = commands.add_parser("stats", help=_("participation figures of an event"))
    _common(stats)
    stats.add_argument("--event", metavar="SLUG", required=True)

    check_help = _("warnings about an event's records (every event not yet over without "
                   "--event); exit status 0: nothing blocking, 1: something blocks")
    check = commands.add_parser("check", help=check_help, description=check_help)
    _common(check)
    check.add_argument("--event", metavar="SLUG", help=_("only this event"))
    check.add_argument("--json", action="store_true",
                       help=_("one JSON object: the findings, with their keys and sentences"))
    check.add_argument("--document", choices=RELEASED_DOCUMENTS, default=None,
                       help=_("also what a release of this document needs (with --event): "
                              "translations, and times for a programme"))
    check.add_argument("--of", dest="document_lang", choices=("ja", "en", "both"), default=None,
                       metavar="LANG", help=_("the document's language (with --document; default: both)"))

    search = commands.add_parser("search", help=_("find records by any of their names: "
                                                  "citynet search クルツ --kind person"))
    _common(search)
    search.add_argument("query", metavar="QUERY")
    search.add_argument("--kind", choices=SEARCH_KINDS, action="append",
                        help=_("only records of this kind (repeatable)"))
    search.add_argument("--limit", type=_search_limit, default=20, metavar="N",
                        help=_("at most N hits, 1–{max}; default: 20").format(max=SEARCH_LIMIT_MAX))
    search.add_argument("--json", action="store_true",
                        help=_("one JSON object: the hits, the total and the totals per kind"))

    history = commands.add_parser("history", help=_("who changed what, newest first"))
    _common(history)
    history_scope = history.add_mutually_exclusive_group()
    history_scope.add_argument("--event", metavar="SLUG",
                               help=_("the event, its sessions, participants and organisations"))
    history_scope.add_argument("--city", metavar="SLUG",
                               help=_("the city, its relationships and positions"))
    history_scope.add_argument("--person", metavar="SLUG", help=_("the person and their positions"))
    history.add_argument("--since", metavar="DATE",
                         help=_("changes from this day on (home time), e.g. 2024-11-11 or 令和6年11月11日"))
    history.add_argument("--limit", type=_history_limit, default=200, metavar="N",
                         help=_("at most N changes, 1–{max}; default: 200").format(max=HISTORY_LIMIT_MAX))

    release = commands.add_parser("release", help=_("send out a briefing or programme: a numbered PDF, "
                                                    "recorded with the data it was built from"))
    release.add_argument("document", choices=RELEASED_DOCUMENTS)
    _common(release, lang_choices=("ja", "en", "both"))
    release.add_argument("--event", metavar="SLUG", required=True)
    release.add_argument("--to", metavar="TEXT", help=_("who it goes to"))
    release.add_argument("--note", metavar="TEXT", help=_("a note kept with the release"))
    release.add_argument("--accept-warnings", action="store_true",
                         help=_("release despite blocking warnings; they are listed in its annex"))
    release.add_argument("-o", "--output", metavar="FILE")
    releases = commands.add_parser("releases", help=_("the releases of an event, newest first"))
    _common(releases)
    releases.add_argument("--event", metavar="SLUG", required=True)
    changes = commands.add_parser("changes", help=_("what changed since a release: citynet changes "
                                                    "--event cop29 --since v1"))
    _common(changes)
    changes.add_argument("--event", metavar="SLUG", required=True)
    changes.add_argument("--since", metavar="vN", required=True)
    changes.add_argument("--document", choices=RELEASED_DOCUMENTS, default=None,
                         help=_("briefing or programme (needed only when both were released)"))
    changes.add_argument("--of", dest="release_lang", choices=("ja", "en", "both"), default=None,
                         metavar="LANG", help=_("the release's language (needed only when it was "
                                                "released in several)"))

    add = commands.add_parser("add", help=_("create a record: citynet add city slug=bonn name_en=Bonn "
                                            "country=DE timezone=Europe/Berlin"))
    _common(add)
    add.add_argument("kind", choices=RECORD_KINDS)
    add.add_argument("values", nargs="+", metavar="FIELD=VALUE")
    edit = commands.add_parser("edit", help=_("change a record: citynet edit session SLUG "
                                              "starts_at='2024-11-11 13:30'"))
    _common(edit)
    edit.add_argument("kind", choices=RECORD_KINDS)
    edit.add_argument("key", metavar="SLUG|#ID")
    edit.add_argument("values", nargs="+", metavar="FIELD=VALUE")
    edit.add_argument("--revision", type=int, metavar="N",
                      help=_("the revision you started from; refused if someone saved since"))
    return parser


def _say(line: str) -> None:
    """One line on stderr; a Message from a lower layer (e.g. the store) in the UI language."""
    print(_hide_secrets(describe(line)), file=sys.stderr)


# Database URLs in use (--db, CITYNET_DATABASE_URL, the settings file): their passwords never
# appear in a message, whatever a driver repeats.
_SECRET_URLS: list[str] = []


def _hide_secrets(text: str) -> str:
    """``text`` with any URL's password, and the passwords of the database URLs in use, as ***."""
    if "://" not in text and not _SECRET_URLS:
        return text
    from citynet.store.db import hide_passwords

    return hide_passwords(text, *_SECRET_URLS)


def _print_error(error: BaseException) -> int:
    """The one place a user's mistake is printed: one line, in the UI language, exit status 2,
    with no database password in it. A CitynetError says what it says; a database or a file
    system error (a server that cannot be reached, a full disk) says its driver's first line."""
    if isinstance(error, CitynetError):
        text = describe(error)
    else:
        lines = str(getattr(error, "orig", None) or error).strip().splitlines()
        text = lines[0] if lines else type(error).__name__
    print(f"citynet: error: {_hide_secrets(text)}", file=sys.stderr)
    return EXIT_USAGE


def _note_secret_urls(url: str | None) -> str:
    """Note the database URLs in use, whose passwords the error printer hides; the resolved one."""
    import os

    from citynet.store.db import ENV_URL, resolve_database_url

    resolved = resolve_database_url(url)
    _SECRET_URLS.extend(u for u in (url, os.environ.get(ENV_URL), resolved) if u)
    return resolved


def _protect_live_database(url: str | None) -> None:
    """Note the database in use: citynet.files refuses to write any export over its file, and
    the error printer hides its password."""
    from citynet.files import protect
    from citynet.store.db import live_database_file

    path = live_database_file(_note_secret_urls(url))
    if path is not None:
        protect(path)


def _engine(args, *, create: bool = False):
    """The store; only commands that write may create it (reading an empty one is an error)."""
    from citynet.store.db import open_database

    return open_database(args.db, create=create, announce=_say)


def _write_text(output: str | None, default_name: str, text: str, *,
                private: bool = False) -> Path | None:
    from citynet.files import atomic_write, default_output

    # - is standard output; ./exports/ is created when missing; a directory the user named must
    # exist (citynet.files has the rule for every output).
    return atomic_write(Path(output) if output else default_output(default_name),
                        text.encode("utf-8"), create_parent=output is None, binary=False,
                        private=private)


def _written(path: Path | None) -> None:
    """Say where an export went, unless it went to standard output (the line would join it)."""
    from citynet.files import is_stdout

    if path is not None and not is_stdout(path):
        print(_("Written: {path}").format(path=path))


def _say_when_fonts_are_prepared() -> None:
    """A command that renders a PDF says so when a font is prepared first (up to a minute)."""
    from citynet.render.pdf import fonts

    fonts.announce = _say


def cmd_demo(args) -> int:
    from citynet.demo.loader import load_demo

    _say_when_fonts_are_prepared()  # the demo's release renders its briefing
    engine = _engine(args, create=True)
    if args.if_empty:
        from citynet.services.dump import is_empty

        if not is_empty(engine):
            print(_("The database already holds data; demo data not loaded."))
            return 0
    counts = load_demo(engine, force=args.force)
    print(_("Demo data loaded: {n} records.").format(n=_records(counts)))
    return 0


def cmd_db(args) -> int:
    from citynet.store.db import make_engine, read_schema_state, resolve_database_url

    if args.action == "upgrade":
        engine = _engine(args, create=True)
    else:
        engine = make_engine(resolve_database_url(args.db))
    state = read_schema_state(engine)
    if state.revision is None:
        print(_("empty database (no schema)"))
    else:
        print(state.revision + ("" if state.is_current else " " + _("(not current)")))
    return 0


def cmd_export(args) -> int:
    from citynet.i18n import get_language

    if args.output is not None:  # refused before anything is read or rendered
        from citynet.files import check_output

        check_output(args.output, binary=args.format in ("pdf", "xlsx"))
    engine = _engine(args)
    # Without --lang a document is in the UI language (--lang, the settings file, the locale).
    document_lang = args.lang or get_language()
    if args.format in ("csv", "xlsx"):
        from citynet.render.sheets import export_list

        path = export_list(engine, args.list, args.format, get_language(), event=args.event,
                           output=Path(args.output) if args.output else None)
    elif args.format == "json":
        from citynet.services.dump import dumps, export_json

        path = _write_text(args.output, "citynet-dump.json", dumps(export_json(engine)),
                           private=True)  # everyone's names, posts and contacts
    elif args.format == "ics":
        from citynet.render.ics import export_ics

        scope = next(s for s in ("event", "city", "network") if getattr(args, s)) if not args.all else "all"
        path = export_ics(engine, scope, None if scope == "all" else getattr(args, scope),
                          document_lang, args.audience, Path(args.output) if args.output else None)
    else:
        from citynet.render.pdf import export_pdf

        _say_when_fonts_are_prepared()
        slug = args.city if args.document == "city" else args.event
        if not slug:
            wanted = "--city" if args.document == "city" else "--event"
            raise CitynetError(_("the {document} document needs {option}").format(
                document=args.document, option=wanted))
        path = export_pdf(engine, args.document, slug, document_lang,
                          Path(args.output) if args.output else None)
    _written(path)
    return 0


def cmd_import(args) -> int:
    if args.format in ("csv", "xlsx"):
        return _import_sheet(args)
    from citynet.services.dump import check_dump, restore_dump

    path = Path(args.file)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise CitynetError(_("no such file: {path}").format(path=path)) from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise CitynetError(_("cannot read {path}: {reason}").format(path=path, reason=error)) from None
    checked = check_dump(data)  # before the database is touched: a bad dump changes nothing
    counts = restore_dump(_engine(args, create=True), checked, source=path.name)
    print(_("Restored {n} records.").format(n=_records(counts)))
    return 0


def _records(counts: dict[str, int]) -> int:
    """Records among rows per table (the change history is not a record)."""
    return sum(n for table, n in counts.items() if table != "change")


def _import_sheet(args) -> int:
    from citynet.presenters.imports import report_lines
    from citynet.services.importer import import_file
    from citynet.services.sheet_columns import parse_mapping

    mapping = parse_mapping(args.map)
    engine = _engine(args, create=not args.dry_run)

    def progress(phase: str, done: int, total: int) -> None:
        if phase == "checked":
            _say(_("… {done} of {total} rows checked").format(done=done, total=total))
        else:
            _say(_("… {done} of {total} records written").format(done=done, total=total))

    report = import_file(engine, args.kind, Path(args.file), args.format, dry_run=args.dry_run,
                         skip_invalid=args.skip_invalid, mapping=mapping, progress=progress)
    for line in report_lines(report, details=args.dry_run):
        print(line)
    clean = not report.rejected and not report.conflicts
    return 0 if report.written or (args.dry_run and clean) else 1


def cmd_backup(args) -> int:
    from citynet.services.backup import backup

    if args.output is not None:  # a backup replaces a whole file: never a device, a FIFO or -
        from citynet.files import check_output

        check_output(args.output, stream_ok=False)
    path = backup(_engine(args), Path(args.output) if args.output else None)
    _written(path)
    return 0


def _restore_progress(table: str, n: int) -> None:
    if n >= 1000:  # only for big tables: a restore of thousands of rows says it is working
        _say(_("… {table}: {n}").format(table=table, n=n))


def cmd_restore(args) -> int:
    from citynet.services import dump
    from citynet.services.backup import read_backup

    checked = dump.check_dump(read_backup(Path(args.file)))  # before the database is touched
    counts = dump.restore_dump(_engine(args, create=True), checked, replace=args.force,
                               progress=_restore_progress, source=Path(args.file).name)
    print(_("Restored {n} records.").format(n=_records(counts)))
    return 0


def cmd_feeds(args) -> int:

    from citynet.feeds import build_feeds, default_directory, default_tokens_file, rotate_token, serve

    if args.action == "build":
        if args.output is not None:  # refused before the database is opened
            from citynet.files import check_output_directory

            check_output_directory(args.output)
        # The default directory is created when missing; the parent of one the user named must exist.
        paths = build_feeds(_engine(args), Path(args.output) if args.output else None,
                            base_url=args.base_url, create_parent=args.output is None, full=args.full)
        print(_("Written {n} files.").format(n=len(paths)))
        return 0
    directory = Path(args.directory) if args.directory else default_directory()
    if args.action == "rotate-token":
        rotate_token(default_tokens_file(directory), args.name)
        print(_("New link made for {name}; run citynet feeds build to update the index page.")
              .format(name=args.name))
        return 0
    # The feeds follow this store: rebuilt (only what changed) when its change table moves.
    serve(directory, host=args.host, port=args.port, announce=lambda line: print(line, flush=True),
          engine=_engine(args))
    return 0


def cmd_stats(args) -> int:
    from citynet.i18n import get_language
    from citynet.presenters.stats import stats_lines

    for line in stats_lines(_engine(args), args.event, get_language()):
        print(line)
    return 0


def cmd_check(args) -> int:
    """One line per finding (blocking or advisory), then the counts; exit status 1 when something
    blocks, 0 otherwise."""
    from citynet.config import check_settings
    from citynet.i18n import get_language
    from citynet.presenters.checks import finding_record, findings_lines
    from citynet.services.checks import check_all, check_event

    lang, engine, settings = get_language(), _engine(args), check_settings()
    if args.document and not args.event:
        raise CitynetError(_("--document needs --event"))
    if args.event:
        findings = check_event(engine, args.event, settings=settings, document=args.document,
                               lang=(args.document_lang or "both") if args.document else None)
    else:
        findings = check_all(engine, settings=settings)
    blocking = sum(1 for f in findings if f.blocking)
    if args.json:
        print(json.dumps({"findings": [finding_record(f, lang) for f in findings],
                          "blocking": blocking, "advisory": len(findings) - blocking},
                         ensure_ascii=False, indent=2))
    else:
        for line in findings_lines(findings, lang, with_event=not args.event):
            print(line)
    return 1 if blocking else 0


def cmd_search(args) -> int:
    """Hits best first, one per line: kind, slug, name, what tells it apart; the count last."""
    from citynet.i18n import get_language
    from citynet.presenters.search import hit_detail, hit_name, kind_name, results_line
    from citynet.services.hits import search

    lang = get_language()
    results = search(_engine(args), args.query, kinds=args.kind, limit=args.limit)
    if args.json:
        print(json.dumps({
            "query": args.query, "total": results.total, "totals": results.totals,
            "complete": not results.broad,
            "hits": [{"kind": h.kind, "slug": h.slug, "name_ja": h.label.ja, "name_en": h.label.en,
                      "name": hit_name(h, lang), "detail": hit_detail(h, lang) or None}
                     for h in results.hits]}, ensure_ascii=False, indent=2))
        return 0
    for h in results.hits:
        detail = hit_detail(h, lang)
        print("\t".join([kind_name(h.kind), h.slug, hit_name(h, lang)] + ([detail] if detail else [])))
    print(results_line(results, lang), file=sys.stderr)
    return 0


def _limit(maximum: int, message: str):
    """An argparse type for --limit: a whole number from 1 to ``maximum``, else ``message``
    (a msgid with {max} and {value}) as the one-line error. 0 would show nothing, a negative
    number everything on SQLite and an error on PostgreSQL, a huge one overflows the driver's
    integer."""
    def parse(text: str) -> int:
        try:
            limit = int(text)
        except ValueError:
            limit = 0
        if not 1 <= limit <= maximum:
            raise argparse.ArgumentTypeError(_(message).format(max=maximum, value=text))
        return limit
    return parse


SEARCH_LIMIT_MAX = 1000
_search_limit = _limit(SEARCH_LIMIT_MAX, N_("not a number of hits (1–{max}): {value}"))
HISTORY_LIMIT_MAX = 100_000
_history_limit = _limit(HISTORY_LIMIT_MAX, N_("not a number of changes (1–{max}): {value}"))


def cmd_history(args) -> int:
    from citynet.i18n.eras import parse_date
    from citynet.presenters.history import history_lines

    if not (args.event or args.city or args.person or args.since):
        raise CitynetError(_("give --event, --city, --person or --since"))
    since = None
    if args.since is not None:
        since = parse_date(args.since)  # DateInputError is a CitynetError
    for line in history_lines(_engine(args), event=args.event, city=args.city,
                              person=args.person, since=since, limit=args.limit):
        print(line)
    return 0


def _field_values(kind: str, words: list[str], engine) -> dict:
    """FIELD=VALUE words → raw values for the write path; ``event=SLUG`` names the record an
    ``event_id`` refers to; an empty VALUE clears the field."""
    from citynet.services.records import find_by_slug
    from citynet.services.rules import field_spec

    values: dict = {}
    for word in words:
        name, sep, text = word.partition("=")
        if not sep or not name:
            raise CitynetError(_("write each value as FIELD=VALUE, not {word!r}").format(word=word))
        spec = field_spec(kind, name) or field_spec(kind, name + "_id")
        if spec is None:
            raise CitynetError(_("a {kind} has no field {field!r}").format(kind=kind, field=name))
        if isinstance(spec.type, str) and spec.type.startswith("ref:"):
            if not text:
                values[spec.name] = None
            elif name == spec.name and text.isdigit():
                values[spec.name] = int(text)
            else:
                values[spec.name] = find_by_slug(engine, spec.type[4:], text)["id"]
        else:
            values[spec.name] = text or None
    return values


def cmd_add(args) -> int:
    from citynet.services.records import create_record

    engine = _engine(args)
    info = create_record(engine, args.kind, _field_values(args.kind, args.values, engine),
                         origin="cli")
    print(_("Created {kind} {key} (revision {revision}).").format(
        kind=args.kind, key=info.slug or f"#{info.id}", revision=info.revision))
    return 0


def cmd_edit(args) -> int:
    from citynet.services.records import find_by_slug, get_values, update_record

    engine = _engine(args)
    if args.key.startswith("#") and args.key[1:].isdigit():
        current = get_values(engine, args.kind, int(args.key[1:]))
    else:
        current = find_by_slug(engine, args.kind, args.key)
    revision = args.revision if args.revision is not None else current["revision"]
    info = update_record(engine, args.kind, current["id"], revision,
                         _field_values(args.kind, args.values, engine), origin="cli")
    print(_("Saved {kind} {key} (revision {revision}).").format(
        kind=args.kind, key=info.slug or f"#{info.id}", revision=info.revision))
    return 0


def cmd_release(args) -> int:
    from citynet.i18n import get_language
    from citynet.render.pdf.release import BlockingWarnings, release_document

    if args.output is not None:  # refused before anything is read or rendered
        from citynet.files import check_output

        check_output(args.output, binary=True)
    engine = _engine(args)
    _say_when_fonts_are_prepared()
    try:
        from citynet.config import check_settings

        done = release_document(engine, args.document, args.event, args.lang or get_language(),
                                recipients=args.to, note=args.note, settings=check_settings(),
                                accept_warnings=args.accept_warnings,
                                output=Path(args.output) if args.output else None)
    except BlockingWarnings as refused:
        from citynet.presenters.checks import finding_text

        for finding in refused.findings:
            print(finding_text(finding, get_language()), file=sys.stderr)
        raise
    from citynet.presenters.releases import released_lines

    for line in released_lines(done, get_language()):
        print(line)
    _written(done.path)
    return 0


def cmd_releases(args) -> int:
    from citynet.i18n import get_language
    from citynet.presenters.releases import release_line
    from citynet.services.history import home_time_zone
    from citynet.services.releases import releases_of_event

    engine = _engine(args)
    found = releases_of_event(engine, args.event)
    if not found:
        print(_("{event} has not been released yet").format(event=args.event))
    zone = home_time_zone(engine)
    for release in found:
        print(release_line(release, zone, get_language()))
    return 0


def cmd_changes(args) -> int:
    from citynet.i18n import get_language
    from citynet.presenters.releases import changes_lines
    from citynet.services.releases import changes_since, parse_version

    engine = _engine(args)
    report = changes_since(engine, args.event, parse_version(args.since), document=args.document,
                           lang=args.release_lang)
    for line in changes_lines(report, get_language()):
        print(line)
    return 0


COMMANDS = {"demo": cmd_demo, "add": cmd_add, "edit": cmd_edit, "db": cmd_db, "export": cmd_export, "import": cmd_import,
            "feeds": cmd_feeds, "stats": cmd_stats, "check": cmd_check, "search": cmd_search,
            "backup": cmd_backup, "restore": cmd_restore, "history": cmd_history,
            "release": cmd_release, "releases": cmd_releases, "changes": cmd_changes}


def _resolve_language(cli_lang: str | None) -> None:
    from citynet.config import load_config
    from citynet.i18n import resolve_language, set_language

    set_language(resolve_language(cli_lang, load_config().get("lang")))  # UnsupportedLanguage: a CitynetError


def _database_from_config(cli_db: str | None) -> str | None:
    if cli_db:
        return cli_db
    import os

    from citynet.config import load_config
    from citynet.store.db import ENV_URL

    return None if os.environ.get(ENV_URL) else load_config().get("database")


def _lang_in(argv: list[str]) -> str | None:
    """The --lang value, read before parsing so that help and errors are in that language."""
    for index, word in enumerate(argv):
        if word == "--lang" and index + 1 < len(argv):
            return argv[index + 1]
        if word.startswith("--lang="):
            return word.split("=", 1)[1]
    return None


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    ui_lang = _lang_in(argv)
    try:
        # A document's --lang both is not a UI language; argparse judges other values.
        _resolve_language(ui_lang if ui_lang in ("ja", "en") else None)
    except CitynetError as error:
        return _print_error(error)
    args = build_parser().parse_args(argv)
    try:
        args.db = _database_from_config(args.db)
        if args.command is None:
            # Parsing the URL to protect its file needs SQLAlchemy: the UI does it once the
            # store is open, after its first frame (citynet.tui.application).
            _note_secret_urls(args.db)
            from citynet.tui.app import run_app

            return run_app(args.db, args.lang)
        _protect_live_database(args.db)
        return COMMANDS[args.command](args)
    except CitynetError as error:
        return _print_error(error)
    except KeyboardInterrupt:
        return 130
    except Exception as error:  # a database that cannot be reached, a disk that is full, …
        from sqlalchemy.exc import SQLAlchemyError

        if isinstance(error, (SQLAlchemyError, OSError)):
            return _print_error(error)
        raise
