"""The first screen: home city's key figures, counts, upcoming events and sessions, recent changes."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Footer, Header

from citynet.i18n import _
from citynet.tui import fmt
from citynet.tui.screens.base import CitynetScreen
from citynet.tui.widgets import record_key, Heading, Para, Table


def _figures(data) -> str:
    parts = []
    for f in data.key_figures:
        period = f" ({fmt.figure_period(f.period, f.kind)})" if f.period else ""
        parts.append(f"{fmt.bi(f.label)}: {fmt.key_figure(f.value, f.unit)}{period}")
    return "\n".join(parts)


class DashboardScreen(CitynetScreen):
    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll():
            yield Para(_("Opening the database…"), id="home")
            yield Para("", id="counts")
            yield Heading(_("Upcoming events and sessions"), id="upcoming-title")
            yield Table(id="upcoming")
            yield Heading(_("Recent changes"))
            yield Table(id="recent")
        yield Footer()

    def on_mount(self) -> None:
        self.reload()

    def reload(self) -> None:
        if self.app.engine is None or not self.app.ready:
            return
        self.load(self.read, then=self.show, now=self.app.now(), home_tz=self.app.home_tz)

    @staticmethod
    def read(source, now, home_tz: str):
        """The dashboard from ``source`` (an engine, or the reader the app starts with), its
        "upcoming" from today at home."""
        from citynet.services import dashboard

        return dashboard.dashboard(source, now=now, today=fmt.local_date(now, home_tz))

    def show(self, data) -> None:
        self.show_tables(data)
        self.show_home(data)

    def show_home(self, data) -> None:
        """The home city and its key figures (the country's name loads Babel's territories on
        first use: the first look shows the tables before it)."""
        home = data.home
        if home is not None:
            head = _("Home city: {name} ({country})").format(
                name=fmt.bi(home.name), country=fmt.country(home.country))
            figures = _figures(data)
            self.query_one("#home", Para).set(head + ("\n" + figures if figures else ""))
        else:
            self.query_one("#home", Para).set(_("No home city recorded yet."))

    def show_tables(self, data, waited: bool = False) -> None:
        """The counts and the two tables (laid out first: a table's columns are cut to its
        width, which one shown before the first layout can only guess)."""
        if not waited and not self.query_one("#upcoming", Table).size.width:
            self.call_after_refresh(self.show_tables, data, True)
            return
        c = data.counts
        self.query_one("#counts", Para).set(
            _("Cities {city} | Networks {network} | Organisations {organisation} | People {person}"
              " | Events {event} | Sessions {session}").format(**c))
        mode, home_tz = self.app.time_mode, self.app.home_tz
        self.query_one("#upcoming-title", Heading).update(
            _("Nothing ahead: the latest events and sessions") if data.upcoming_is_past
            else _("Upcoming events and sessions"))
        rows = []
        for u in data.upcoming:
            d, t = fmt.when(u.starts_at, u.ends_at, u.day, u.timezone, home_tz, mode)
            rows.append((f"{u.kind}:{u.slug}", [d, t, fmt.bi(u.title),
                                                 fmt.bi(u.event_title) if u.kind == "session" else ""]))
        zone = _("home time") if mode == "home" else _("local time")
        self.query_one("#upcoming", Table).show(
            [_("Date"), _("Time ({zone})").format(zone=zone), _("Title"), _("Event")], rows)
        self.query_one("#recent", Table).show(
            [_("Changed (UTC)"), _("Kind"), _("Name"), _("Rev.")],
            [(f"{r.kind}:{r.slug}" if r.slug else None,
              [r.updated_at.strftime("%Y-%m-%d %H:%M"), fmt.kind_name(r.kind), fmt.bi(r.label),
               str(r.revision)]) for r in data.recent])

    def on_data_table_row_selected(self, event: Table.RowSelected) -> None:
        found = record_key(event.row_key.value)
        if found is not None:
            self.app.open_record(*found)
