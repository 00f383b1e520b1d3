"""One record with what relates to it; Enter on a row opens that record.

The builders below turn a service's detail view into a title, header lines and table sections;
they are plain functions (no Textual), so each kind's wording can be tested on its own.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Footer, Header

from citynet.i18n import _, _l, pgettext
from citynet.tui import fmt
from citynet.tui.screens.base import CitynetScreen
from citynet.tui.widgets import record_key, Heading, Para, Table


@dataclass
class Section:
    title: str
    columns: list[str]
    rows: list[tuple[str | None, list]]


@dataclass
class Built:
    title: str
    lines: list[str]
    sections: list[Section]
    record_id: int
    revision: int
    # (kind, defaults) of the child record "a" adds, or a list of them to choose from
    add: tuple[str, dict] | list[tuple[str, dict]] | None = None
    exportable: bool = False
    extra: dict = field(default_factory=dict)


# --- loaders (run in a worker) ------------------------------------------------------------------


def load_detail(engine, kind: str, slug: str):
    from citynet.services import details

    if kind == "city":
        return details.city_detail(engine, slug)
    if kind == "network":
        return details.network_detail(engine, slug)
    if kind == "organisation":
        return details.organisation_detail(engine, slug)
    if kind == "person":
        return details.person_detail(engine, slug)
    from citynet.services.events import event_detail

    if kind == "event":
        from dataclasses import replace

        from citynet.config import check_settings
        from citynet.services.checks import check_detail

        from citynet.services.releases import releases_of_event

        detail = event_detail(engine, slug)
        # the page's warnings (the checker's findings) and the event's releases, read here with
        # the rest of the page
        findings = check_detail(engine, detail, settings=check_settings())
        return replace(detail, extra={**detail.extra, "findings": findings,
                                      "releases": releases_of_event(engine, slug)})
    if kind == "session":
        from citynet.services.commitments import commitments_of_session

        detail = event_detail(engine, details.session_event_slug(engine, slug))
        return (detail, next(s for s in detail.sessions if s.slug == slug),
                commitments_of_session(engine, slug))
    raise ValueError(kind)


# --- builders -----------------------------------------------------------------------------------


def _member_name(ms) -> str:
    return fmt.bi(ms.city.name) if ms.city else fmt.bi(ms.organisation.name) if ms.organisation else ""


def _period(start, end) -> str:
    if not start and not end:
        return ""
    return f"{fmt.fuzzy(start)} - {fmt.fuzzy(end)}" if end else _("since {date}").format(
        date=fmt.fuzzy(start))


def _position_rows(positions, with_body: bool, with_holder: bool = True):
    rows = []
    for p in positions:
        cells = [fmt.position_name(p)]
        if with_holder:
            cells.append(fmt.person_name(p.person) if p.person else _("(holder unknown)"))
        if with_body:
            cells.append(fmt.bi(p.city.name) if p.city else fmt.bi(p.organisation.name)
                         if p.organisation else "")
        cells.append(_period(p.start, p.end))
        key = f"person:{p.person.slug}" if (with_holder and p.person) else (
            f"city:{p.city.slug}" if p.city else f"organisation:{p.organisation.slug}"
            if p.organisation else None)
        rows.append((key, cells))
    return rows


def _event_rows(events):
    return [(f"event:{e.slug}", [fmt.event_dates(e), fmt.bi(e.title),
                                 fmt.bi(e.city), fmt.code(e.status, "event_status")]) for e in events]


def _timeline_key(t) -> str | None:
    """What a timeline row opens: the event, or the network of a membership."""
    if t.kind == "event":
        return f"event:{t.slug}"
    if t.kind == "membership":
        return f"network:{t.slug}"
    return None


def _commitment_section(commitments, with_session: bool = True) -> Section:
    """Commitments as the service orders them (open first); Enter edits one (its row key names
    it by id: a commitment has no slug)."""
    columns = [_("Status"), _("Due"), _("Commitment"), _("Committed by"), _("To")]
    if with_session:
        columns += [_("Date"), _("Session"), _("Event")]
    rows = []
    for x in commitments:
        to = (fmt.person_name(x.to) if x.to_kind == "person" else fmt.bi(x.to.name) if x.to else "")
        cells = [fmt.code(x.status, "commitment_status"), fmt.fuzzy(x.due), fmt.bi(x.text),
                 fmt.person_name(x.by), to]
        if with_session:
            cells += [fmt.day(x.session_day), fmt.bi(x.session_title), fmt.bi(x.event_title)]
        rows.append((f"commitment:{x.id}", cells))
    return Section(_("Commitments"), columns, rows)


def build_city(d, mode, home_tz) -> Built:
    c = d.city
    lines = [f"{fmt.country(c.country)} | {c.timezone}" + (f" | {fmt.bi(d.region)}" if d.region else "")]
    if c.name_kana:
        lines.append(_("Reading: {kana}").format(kana=c.name_kana))
    if c.is_home:
        lines.append(_("This is the home city."))
    for r in d.relationships:
        lines.append(_("Relationship: {kind} ({status}) {period}").format(
            kind=fmt.code(r.kind, "relationship_kind"),
            status=fmt.code(r.status, "relationship_status"), period=_period(r.since, r.until)))
    if d.notes:
        lines.append(fmt.bi(d.notes))
    event_cols = [_("Dates"), _("Title"), _("City"), _("Status")]
    sections = [
        Section(_("Networks"), [_("Network"), _("Role"), _("Period")],
                [(f"network:{ms.network.slug}", [fmt.bi(ms.network.name), fmt.bi(ms.role),
                                                 _period(ms.start, ms.end)]) for ms in d.memberships]),
        Section(_("People and positions"), [pgettext("position", "Title"), _("Holder"), _("Period")],
                _position_rows(d.positions, with_body=False)),
        Section(_("Upcoming events"), event_cols, _event_rows(d.upcoming_events)),
        Section(_("Events without dates"), event_cols, _event_rows(d.undated_events)),
        Section(_("Past events"), event_cols, _event_rows(d.past_events)),
        Section(_("Timeline of exchanges"), [pgettext("timeline", "When"), _("What"), _("Kind")],
                [(_timeline_key(t), [fmt.fuzzy(t.when) if t.when else fmt.day(t.start_date),
                                     fmt.code(t.relationship.kind, "relationship_kind")
                                     if t.relationship else fmt.bi(t.title),
                                     fmt.kind_name(t.kind)]) for t in d.timeline]),
        _commitment_section(d.commitments),
    ]
    return Built(fmt.bi(c.name), lines, sections, c.id, d.revision,
                 add=("relationship", {"city_id": c.id}), exportable=True)


def build_network(d, mode, home_tz) -> Built:
    lines = []
    if d.founded:
        lines.append(_("Founded: {date}").format(date=fmt.fuzzy(d.founded)))
    if d.description:
        lines.append(fmt.bi(d.description))
    rows = []
    for ms in d.members:
        key = f"city:{ms.city.slug}" if ms.city else (
            f"organisation:{ms.organisation.slug}" if ms.organisation else None)
        rows.append((key, [_member_name(ms), fmt.country(ms.country) if ms.country else "",
                           fmt.bi(ms.role), _period(ms.start, ms.end)]))
    event_cols = [_("Dates"), _("Title"), _("City"), _("Status")]
    return Built(fmt.bi(d.name), lines,
                 [Section(_("Members over time"), [_("Member"), _("Country"), _("Role"), _("Period")],
                          rows),
                  Section(_("Upcoming events"), event_cols, _event_rows(d.upcoming_events)),
                  Section(_("Events without dates"), event_cols, _event_rows(d.undated_events)),
                  Section(_("Past events"), event_cols, _event_rows(d.past_events))],
                 d.id, d.revision, add=("membership", {"network_id": d.id}), exportable=True)


def build_organisation(d, mode, home_tz) -> Built:
    o = d.organisation
    lines = [" | ".join(x for x in (fmt.code(o.kind, "organisation_kind"), fmt.country(o.country),
                                    o.abbreviation or "", fmt.bi(d.city.name) if d.city else "")
                        if x)]
    if d.notes:
        lines.append(fmt.bi(d.notes))
    sections = [
        Section(_("People and positions"), [pgettext("position", "Title"), _("Holder"), _("Period")],
                _position_rows(d.positions, with_body=False)),
        Section(_("Networks"), [_("Network"), _("Role"), _("Period")],
                [(f"network:{ms.network.slug}", [fmt.bi(ms.network.name), fmt.bi(ms.role),
                                                 _period(ms.start, ms.end)]) for ms in d.memberships]),
        Section(_("Roles in events"), [_("Role"), _("Dates"), _("Event")],
                [(f"event:{e.slug}", [fmt.code(role, "organisation_role"),
                                      fmt.event_dates(e),
                                      fmt.bi(e.title)]) for role, e in d.events]),
    ]
    return Built(fmt.bi(o.name), lines, sections, o.id, d.revision,
                 add=("position", {"organisation_id": o.id}))


def build_person(d, mode, home_tz) -> Built:
    p = d.person
    lines = []
    if p.name_kana:
        lines.append(_("Reading: {kana}").format(kana=p.name_kana))
    if p.honorific:
        lines.append(fmt.bi(p.honorific))
    if d.notes:
        lines.append(fmt.bi(d.notes))
    sessions = []
    for ps in d.sessions:
        s = ps.session
        day_text, times = fmt.when(s.starts_at, s.ends_at, s.day, s.timezone, home_tz, mode)
        sessions.append((f"session:{s.slug}", [day_text, times, fmt.code(ps.role, "participant_role"),
                                               fmt.bi(s.title),
                                               fmt.bi(s.event_title)]))
    sections = [
        Section(_("Positions over time"), [pgettext("position", "Title"), _("At"), _("Period")],
                _position_rows(d.positions, with_body=True, with_holder=False)),
        Section(_("Sessions taken part in"),
                [_("Date"), _("Time"), _("Role"), _("Session"), _("Event")], sessions),
        _commitment_section(d.commitments),
    ]
    return Built(fmt.person_name(p), lines, sections, p.id, d.revision,
                 add=("position", {"person_id": p.id}))


def _who(part) -> tuple[str, str]:
    holder = part.holder
    name = fmt.person_name(holder) if holder else _("(to be announced)")
    title = fmt.position_name(part.position) if part.position else ""
    if part.capacity:
        title = f"{title} / {fmt.bi(part.capacity)}" if title else fmt.bi(part.capacity)
    return name, title


def _times(s, mode, home_tz) -> tuple[str, str]:
    """(shown time, the other zone's time) for a timetable row."""
    if s.starts_at is None:
        return (_("time to be confirmed") if s.day else "", "")
    first = home_tz if mode == "home" else s.timezone
    second = s.timezone if mode == "home" else home_tz
    a = fmt.clock(s.starts_at, first) + (f"-{fmt.clock(s.ends_at, first)}" if s.ends_at else "")
    b = fmt.clock(s.starts_at, second) + (f"-{fmt.clock(s.ends_at, second)}" if s.ends_at else "")
    return a, b if first != second else ""


def _warnings_section(findings) -> Section:
    """The checker's findings (blocking first), each row opening its first session (a page
    without findings says so in its header lines instead: see build_event)."""
    from citynet.i18n import get_language
    from citynet.presenters.checks import finding_text, severity

    lang = get_language()
    return Section(_("Warnings"), [_("Severity"), _("Warning")],
                   [(f"session:{f.sessions[0].slug}" if f.sessions else None,
                     [severity(f, lang), finding_text(f, lang)]) for f in findings])


def _releases_section(releases, home_tz) -> Section:
    """The event's releases, newest first ("c" shows what changed since the newest)."""
    from citynet.i18n import get_language
    from citynet.presenters.releases import release_name
    from citynet.services.history import format_instant

    lang = get_language()
    return Section(_("Releases"), [_("Release"), _("Released"), _("Released by"), _("Sent to"), _("Note")],
                   [(None, [release_name(r, lang), format_instant(r.released_at, home_tz),
                            r.released_by or "", r.recipients or "", r.note or ""])
                    for r in releases])


def build_event(d, mode, home_tz) -> Built:
    e = d.event
    lines = [" | ".join(x for x in (fmt.code(e.kind, "event_kind"), fmt.code(e.status, "event_status"),
                                     fmt.event_dates(e)) if x)]
    place = " | ".join(x for x in (fmt.bi(e.venue), fmt.bi(e.city.name) if e.city else "",
                                    e.timezone) if x)
    lines.append(place)
    if e.theme:
        lines.append(fmt.bi(e.theme))
    if e.attend_start:
        lines.append(_("Our attendance: {dates}").format(dates=fmt.day_range(e.attend_start, e.attend_end)))
    t = d.totals
    if t is not None:
        lines.append(_("Participants: {total} | overseas countries {countries} | overseas cities "
                       "{cities} | domestic cities {domestic} | organisations {orgs}").format(
            total=t.total if t.total is not None else "-",
            countries=t.overseas_countries if t.overseas_countries is not None else "-",
            cities=t.overseas_cities if t.overseas_cities is not None else "-",
            domestic=t.domestic_cities if t.domestic_cities is not None else "-",
            orgs=t.organisations if t.organisations is not None else "-"))
    if "findings" in d.extra and not d.extra["findings"]:
        from citynet.presenters.checks import NO_WARNINGS

        lines.append(_(NO_WARNINGS))
    shown = _("home time") if mode == "home" else _("local time")
    other = _("local time") if mode == "home" else _("home time")
    timetable, participants = [], []
    by_day = defaultdict(list)
    for s in d.sessions:
        by_day[s.local_day].append(s)
    for day_value, sessions in by_day.items():
        for n, s in enumerate(sessions):
            a, b = _times(s, mode, home_tz)
            label = (fmt.day(day_value) if day_value else _("date to be confirmed")) if n == 0 else ""
            timetable.append((f"session:{s.slug}", [label, a, b,
                                                    fmt.bi(s.title), fmt.bi(s.room)]))
            for part in s.participants:
                name, title = _who(part)
                key = f"person:{part.holder.slug}" if part.holder else f"session:{s.slug}"
                participants.append((key, [fmt.bi(s.title), fmt.code(part.role, "participant_role"),
                                           name, title]))
    sections = [
        Section(_("Timetable (day by day)"),
                [_("Day (local)"), _("Time ({zone})").format(zone=shown),
                 _("Time ({zone})").format(zone=other), _("Session"), _("Room")], timetable),
        Section(_("Participants and roles"),
                [_("Session"), _("Role"), _("Name"), pgettext("participant", "Title")], participants),
        Section(_("Organisations"), [_("Role"), _("Organisation")],
                [(f"organisation:{r.organisation.slug}",
                  [fmt.code(r.role, "organisation_role"), fmt.bi(r.organisation.name)])
                 for r in d.organisation_roles]),
        _warnings_section(d.extra.get("findings", ())),
        _releases_section(d.extra.get("releases", ()), home_tz),
    ]
    return Built(fmt.bi(e.title), lines, sections, e.id, e.revision,
                 add=("session", {"event_id": e.id}), exportable=True,
                 extra={"timezone": e.timezone})


def build_session(data, mode, home_tz) -> Built:
    d, s, commitments = data
    e = d.event
    lines = [_("Event: {title}").format(title=fmt.bi(e.title)),
             " | ".join(x for x in (fmt.code(s.kind, "session_kind"), fmt.code(s.status, "session_status"),
                                     fmt.day(s.local_day) if s.local_day else "") if x),
             fmt.session_times(s.starts_at, s.ends_at, s.timezone, home_tz, mode)]
    if s.room:
        lines.append(_("Room: {room}").format(room=fmt.bi(s.room)))
    if s.theme:
        lines.append(fmt.bi(s.theme))
    rows = []
    for part in s.participants:
        name, title = _who(part)
        rows.append((f"person:{part.holder.slug}" if part.holder else None,
                     [fmt.code(part.role, "participant_role"), name, title]))
    sections = [
        Section(_("Participants and roles"), [_("Role"), _("Name"), pgettext("participant", "Title")],
                rows),
        Section(_("Organisations"), [_("Role"), _("Organisation")],
                [(f"organisation:{r.organisation.slug}",
                  [fmt.code(r.role, "organisation_role"), fmt.bi(r.organisation.name)])
                 for r in s.organisation_roles]),
        Section(_("Event"), [fmt.dates_label(e.kind), _("Title")],
                [(f"event:{e.slug}", [fmt.event_dates(e), fmt.bi(e.title)])]),
        _commitment_section(commitments, with_session=False),
    ]
    return Built(fmt.bi(s.title), lines, sections, s.id, s.revision,
                 add=[("participant", {"session_id": s.id}), ("commitment", {"session_id": s.id})],
                 extra={"event_id": e.id})


def _changes_since(engine, slug: str, release):
    from citynet.services.releases import changes_since

    return changes_since(engine, slug, release.version, document=release.document, lang=release.lang)


BUILDERS = {"city": build_city, "network": build_network, "organisation": build_organisation,
            "person": build_person, "event": build_event, "session": build_session}


class DetailScreen(CitynetScreen):
    BINDINGS = [
        # priority: acted on as soon as the key arrives, so keys typed right after "e" go to
        # the form it opens, not to this screen (there is no text field here to type into)
        Binding("e", "edit", _l("Edit"), id="edit", priority=True),
        Binding("a", "add", _l("Add"), id="add", priority=True),
        Binding("d", "delete", _l("Delete"), id="delete", priority=True),
        Binding("x", "export", _l("Export"), id="export", priority=True),
        Binding("h", "history", _l("History"), id="history", priority=True),
        Binding("c", "changes", _l("Changes"), id="changes", priority=True),
    ]

    def __init__(self, kind: str, slug: str) -> None:
        super().__init__()
        self.kind = kind
        self.slug = slug
        self.built: Built | None = None
        self.data = None

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="detail", can_focus=False):
            yield Heading(fmt.kind_name(self.kind), id="title")
            yield Para(_("Loading…"), id="lines")
        yield Footer()

    def on_mount(self) -> None:
        self.reload()

    def reload(self) -> None:
        self.load(load_detail, self.kind, self.slug, then=self.show)

    def relabel(self) -> None:
        self.reload()

    async def show(self, data) -> None:
        self.data = data
        built = BUILDERS[self.kind](data, self.app.time_mode, self.app.home_tz)
        self.built = built
        self.query_one("#title", Heading).update(f"{fmt.kind_name(self.kind)}: {built.title}")
        self.query_one("#lines", Para).set("\n".join(x for x in built.lines if x))
        container = self.query_one("#detail", VerticalScroll)
        scrolled = container.scroll_y
        focused_index = None
        old = list(container.query(".section"))
        for n, widget in enumerate(old):
            if widget.has_focus and isinstance(widget, Table):
                focused_index = n
        if old:
            for widget in old:
                await widget.remove()
        widgets = []
        for section in built.sections:
            if not section.rows:
                continue
            table = Table(classes="section")
            widgets.append(Heading(f"{section.title} ({len(section.rows)})", classes="section"))
            widgets.append(table)
        tables = [w for w in widgets if isinstance(w, Table)]
        for table, section in zip(tables, [s for s in built.sections if s.rows]):
            table.show(section.columns, section.rows)
        await container.mount_all(widgets)
        if tables:
            target = widgets[focused_index] if focused_index is not None and focused_index < len(
                widgets) and isinstance(widgets[focused_index], Table) else tables[0]
            # Opening a record shows it from the top; after a reload (T, L, a save) the page stays
            # where it was, once the new sections have their heights.
            self.set_focus(target, scroll_visible=False)
            if focused_index is not None:
                self.call_after_refresh(container.scroll_to, y=scrolled, animate=False)

    def on_data_table_row_selected(self, event: Table.RowSelected) -> None:
        found = record_key(event.row_key.value)
        if found is not None:
            self.app.open_record(*found)

    def action_edit(self) -> None:
        if self.built is not None:
            self.app.open_form(self.kind, record_id=self.built.record_id)

    def action_add(self) -> None:
        if self.built is None or self.built.add is None:
            return
        if isinstance(self.built.add, tuple):
            kind, defaults = self.built.add
            self.app.open_form(kind, defaults=defaults)
            return
        # several kinds of child record (a session's participants and commitments): ask which
        from citynet.services.fixed_choices import FixedChoice
        from citynet.tui.screens.modals import PickerModal

        offered = dict(self.built.add)
        options = [FixedChoice(kind, fmt.kind_name(kind), "", "") for kind in offered]

        def chosen(kind) -> None:
            if kind in offered:
                self.app.open_form(kind, defaults=offered[kind])

        self.app.push_screen(PickerModal(_("Add"), options=options, allow_clear=False), chosen)

    def action_delete(self) -> None:
        if self.built is None:
            return
        from citynet.services.records import dependents

        self.load(dependents, self.kind, self.built.record_id, then=self._confirm_delete,
                  group="delete")

    def _confirm_delete(self, found) -> None:
        from citynet.tui.screens.modals import ConfirmModal, MessageModal

        built = self.built
        if found:
            listed = "\n".join(f"- {fmt.kind_name(d.kind)}: {d.count}" for d in found)
            self.app.push_screen(MessageModal(
                _("{name} cannot be deleted while other records depend on it:").format(name=built.title)
                + "\n" + listed + "\n" + _("Delete or move those first.")))
            return
        self.app.push_screen(ConfirmModal(
            _("Delete {kind} {name}? This cannot be undone.").format(
                kind=fmt.kind_name(self.kind), name=built.title),
            yes=_("Delete"), no=_("Cancel")), self._delete_answer)

    def _delete_answer(self, yes: bool | None) -> None:
        if not yes or self.built is None:
            return
        from citynet.services.records import delete_record

        self.load(delete_record, self.kind, self.built.record_id, self.built.revision,
                  then=self._deleted, group="delete", origin="form")

    def _deleted(self, _result) -> None:
        self.app.notify(_("Deleted."))
        self.app.pop_screen()
        self.app.refresh_screens()

    def action_history(self) -> None:
        if self.built is None:
            return
        from citynet.tui.screens.history import HistoryScreen

        self.app.push_screen(HistoryScreen(self.kind, self.built.record_id, self.slug,
                                           self.built.title))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # "c" is an event's key: other pages do not show it in the footer
        return self.kind == "event" if action == "changes" else True

    def action_changes(self) -> None:
        """What changed since the event's newest release, in the UI language."""
        releases = self.data.extra.get("releases") if self.kind == "event" and self.data else None
        if not releases:
            self.app.notify(_("Nothing released yet: changes are counted from a release "
                              "(citynet release)."), severity="warning")
            return
        self.load(_changes_since, self.slug, releases[0], then=self._show_changes, group="changes")

    def _show_changes(self, report) -> None:
        from citynet.i18n import get_language
        from citynet.presenters.releases import changes_lines
        from citynet.tui.screens.modals import MessageModal

        self.app.push_screen(MessageModal("\n".join(changes_lines(report, get_language()))))

    def action_export(self) -> None:
        if self.built is None or not self.built.exportable:
            self.app.notify(_("Only events, cities and networks can be exported."), severity="warning")
            return
        from citynet.tui.screens.modals import ExportModal

        self.app.push_screen(ExportModal(self.kind, self.slug, self.built.title))
