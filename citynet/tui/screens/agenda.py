"""The agenda: events and sessions by day, week or month, in home or local time.

The rows come from ``citynet.services.agenda`` (read in a thread worker); this screen only puts
them into words. ``T`` (the app's time display) re-reads the range in the other zone; ``t`` goes
to today (the home city's today), ``g`` to a typed date (ISO or era dates, read by
``citynet.i18n.eras.parse_date``, the rule book's reader), ``←``/``→`` to the previous or next
day, week or month, ``v`` changes the span. Enter opens the event or the session.
"""

from __future__ import annotations

from datetime import date, timedelta

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Footer, Header, Input

from citynet.i18n import N_, _, _l, get_language
from citynet.i18n.format import format_date_range
from citynet.tui import fmt
from citynet.tui.screens.base import CitynetScreen
from citynet.tui.widgets import Heading, Para, Table, record_key

SPAN_NAMES = {"day": N_("Day"), "week": N_("Week"), "month": N_("Month")}
HOME_MARK = "*"  # ASCII: an ambiguous-width mark (★, ●) misaligns in some terminals
WIDE = 120  # from this width the venue city has a column of its own
# The warnings panel checks at most this many of the range's events (those with the home city's
# people first): a month of a large store holds hundreds, each a few queries.
CHECKED_EVENTS = 30
WARNINGS_SHOWN = 3  # lines of the panel; the event's page lists them all


def columns(mode: str, wide: bool) -> list[str]:
    zone = _("home time") if mode == "home" else _("local time")
    head = ["", _("Date"), _("Time ({zone})").format(zone=zone), _("Title"), _("Event")]
    return head + ([_("City")] if wide else []) + [_("Status")]


def time_text(item) -> str:
    """The time column: HH:MM-HH:MM in the zone shown (ASCII: the en dash is ambiguous-width); a day of a longer event; a day-only
    session's "time to be confirmed"."""
    if item.starts is not None:
        return item.starts.strftime("%H:%M") + (f"-{item.ends.strftime('%H:%M')}"
                                                if item.ends is not None else "-")
    if item.ends is not None:  # the last day of a timed event over several days
        return f"-{item.ends.strftime('%H:%M')}"
    if item.kind == "session":
        return _("time to be confirmed")
    if item.day_of is not None:
        return _("all day {n}/{total}").format(n=item.day_of[0], total=item.day_of[1])
    return _("all day")


def cells(item, first_of_day: bool, wide: bool) -> list:
    vocab = "event_status" if item.kind == "event" else "session_status"
    row = [HOME_MARK if item.home_people else "",
           fmt.month_day(item.day) if first_of_day else "", time_text(item), fmt.bi(item.title),
           fmt.bi(item.event_title) if item.kind == "session" else ""]
    return row + ([fmt.bi(item.city)] if wide else []) + [fmt.code(item.status, vocab)]


def agenda_findings(engine, data) -> tuple[tuple, int, int]:
    """The findings that concern what the agenda shows: of its events (those with the home city's
    people first, at most CHECKED_EVENTS), the findings about a session on screen or about the
    event itself; with how many events were checked, of how many."""
    from citynet.config import check_settings
    from citynet.services.checks import check_events

    events: dict[str, bool] = {}
    for item in data.items:
        events[item.event_slug] = events.get(item.event_slug, False) or item.home_people
    order = sorted(events, key=lambda slug: not events[slug])  # stable: date order otherwise
    shown = {item.slug for item in data.items if item.kind == "session"}
    findings = tuple(f for f in check_events(engine, order[:CHECKED_EVENTS], settings=check_settings())
                     if not f.sessions or any(s.slug in shown for s in f.sessions))
    return findings, min(len(order), CHECKED_EVENTS), len(order)


class AgendaScreen(CitynetScreen):
    BINDINGS = [
        # priority, so that the table's own keys do not take them; never while typing a date
        Binding("t", "today", _l("Today"), id="agenda-today", priority=True),
        Binding("g", "jump", _l("Go to date"), id="agenda-jump", priority=True),
        Binding("v", "span", _l("Day/week/month"), id="agenda-span", priority=True),
        # not in the footer (80 columns hold the others); the help screen and the heading say them
        Binding("left", "move(-1)", _l("Previous day, week or month"), id="agenda-previous",
                priority=True, show=False),
        Binding("right", "move(1)", _l("Next day, week or month"), id="agenda-next",
                priority=True, show=False),
    ]

    def __init__(self, anchor: date | None = None, span: str = "week") -> None:
        super().__init__()
        self.anchor = anchor  # None until mounted: the home city's today
        self.span = span
        self.shown = None  # the Agenda on screen

    def check_action(self, action: str, parameters) -> bool | None:
        if action in ("today", "jump", "span", "move") and isinstance(self.focused, Input):
            return False
        return True

    def compose(self) -> ComposeResult:
        yield Header()
        yield Heading(_("Agenda"), id="agenda-title")
        yield Input(placeholder=_("Go to date (2024-11-12, 令和6年11月12日, R6.11.12)"),
                    id="agenda-date")
        yield Para("", id="agenda-status")
        yield Table(id="agenda-rows")
        yield Para("", id="agenda-warnings")
        yield Footer()

    def on_mount(self) -> None:
        if self.anchor is None:
            self.anchor = self.today()
        self.query_one("#agenda-rows", Table).focus()
        self.reload()

    def today(self) -> date:
        return fmt.local_date(self.app.now(), self.app.home_tz)

    def reload(self) -> None:
        from citynet.services import agenda

        if self.anchor is None:
            return
        start, end = agenda.span_range(self.anchor, self.span)
        self.load(agenda.agenda, start, end, then=self.show, mode=self.app.time_mode,
                  home_tz=self.app.home_tz)

    def show(self, data) -> None:
        self.shown = data
        lang = get_language()
        zone = _("home time") if data.mode == "home" else _("local time")
        period = format_date_range(data.start, data.end - timedelta(days=1), lang,
                                   weekday=self.span != "month")
        self.query_one("#agenda-title", Heading).update(
            _("Agenda ({span}): {period}, {zone}").format(span=_(SPAN_NAMES[self.span]),
                                                          period=period, zone=zone))
        wide = self.app.size.width >= WIDE
        rows, previous = [], None
        anchor_row = None
        for item in data.items:
            if anchor_row is None and item.day >= self.anchor:
                anchor_row = len(rows)
            rows.append((f"{item.kind}:{item.slug}", cells(item, item.day != previous, wide)))
            previous = item.day
        table = self.query_one("#agenda-rows", Table)
        table.show(columns(data.mode, wide), rows)
        if rows:
            table.move_cursor(row=anchor_row if anchor_row is not None else len(rows) - 1,
                              animate=False)
        marked = any(item.home_people for item in data.items)
        status = (_("Entries: {n}").format(n=len(rows)) if rows
                  else _("Nothing on these days."))
        status += "  " + _("left/right: previous/next")
        if marked:
            status += "  " + _("{mark} with home city people").format(mark=HOME_MARK)
        self.query_one("#agenda-status", Para).set(status)
        self.query_one("#agenda-warnings", Para).set("")
        self.load(agenda_findings, data, then=self.show_warnings, group="warnings")

    def show_warnings(self, result) -> None:
        """The checker's findings for the sessions and events on screen (blocking first)."""
        from citynet.presenters.checks import finding_line

        findings, checked, total = result
        lang = get_language()
        lines = [_("Warnings: {n}").format(n=len(findings)) if findings else _("No warnings.")]
        if checked < total:
            lines[0] += "  " + _("(the first {checked} of {total} events checked)").format(
                checked=checked, total=total)
        lines += [finding_line(f, lang) for f in findings[:WARNINGS_SHOWN]]
        if len(findings) > WARNINGS_SHOWN:
            lines.append(_("… {n} more: see each event's page").format(n=len(findings) - WARNINGS_SHOWN))
        self.query_one("#agenda-warnings", Para).set("\n".join(lines))

    def go_to(self, day: date) -> None:
        self.anchor = day
        self.reload()

    def on_data_table_row_selected(self, event: Table.RowSelected) -> None:
        found = record_key(event.row_key.value)
        if found is not None:
            self.app.open_record(*found)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        from citynet.errors import CitynetError
        from citynet.i18n import describe
        from citynet.i18n.eras import parse_date

        text = event.value.strip()
        if not text:
            self.query_one("#agenda-rows", Table).focus()
            return
        try:
            day = parse_date(text)
        except CitynetError as error:
            self.query_one("#agenda-status", Para).set(describe(error))
            return
        event.input.value = ""
        self.query_one("#agenda-rows", Table).focus()
        self.go_to(day)

    def action_back(self) -> None:
        field = self.query_one("#agenda-date", Input)
        if self.focused is field:  # Esc leaves the date field first
            field.value = ""
            self.query_one("#agenda-rows", Table).focus()
            return
        super().action_back()

    def action_today(self) -> None:
        self.go_to(self.today())

    def action_jump(self) -> None:
        self.query_one("#agenda-date", Input).focus()

    def action_span(self) -> None:
        from citynet.services.agenda import SPANS

        self.span = SPANS[(SPANS.index(self.span) + 1) % len(SPANS)]
        self.reload()

    def action_move(self, by: int) -> None:
        from citynet.services.agenda import step

        if self.anchor is not None:
            self.go_to(step(self.anchor, self.span, by))
