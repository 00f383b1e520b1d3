"""Create or edit any kind of record.

Input is checked here only for its form (dates in every accepted way, times, numbers); the rules
of a record are the service's (``citynet.services.records``), whose ``ValidationError`` names the
field. A save names the revision the form was loaded at: when someone else saved in between, the
service refuses with ``ConflictError`` and the form stays open with the user's input.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Checkbox, Footer, Header, Input, Label, Select, Static

from citynet.i18n import N_, _, _l
from citynet.i18n import vocabulary
from citynet.tui import fmt
from citynet.tui.screens.base import CitynetScreen
from citynet.tui.widgets import Heading, plain

# (field, label msgid, type); type is text | date | fuzzy | datetime | int | float | bool |
# country | timezone | ref:<kind> | a vocabulary (code → label, citynet.i18n.vocabulary).
T = "text"
FIELDS: dict[str, list[tuple[str, str, object]]] = {
    "city": [("slug", N_("Slug"), T), ("name_ja", N_("Name (Japanese)"), T),
             ("name_en", N_("Name (English)"), T), ("name_kana", N_("Reading (kana)"), T),
             ("country", N_("Country"), "country"), ("timezone", N_("Time zone"), "timezone"),
             ("region_ja", N_("Region (Japanese)"), T), ("region_en", N_("Region (English)"), T),
             ("latitude", N_("Latitude"), "float"), ("longitude", N_("Longitude"), "float"),
             ("is_home", N_("Home city"), "bool"),
             ("notes_ja", N_("Notes (Japanese)"), T), ("notes_en", N_("Notes (English)"), T)],
    "organisation": [("slug", N_("Slug"), T), ("name_ja", N_("Name (Japanese)"), T),
                     ("name_en", N_("Name (English)"), T), ("name_kana", N_("Reading (kana)"), T),
                     ("abbreviation", N_("Abbreviation"), T),
                     ("kind", N_("Kind"), vocabulary.ORGANISATION_KINDS), ("country", N_("Country"), "country"),
                     ("city_id", N_("City"), "ref:city"),
                     ("notes_ja", N_("Notes (Japanese)"), T), ("notes_en", N_("Notes (English)"), T)],
    "network": [("slug", N_("Slug"), T), ("name_ja", N_("Name (Japanese)"), T),
                ("name_en", N_("Name (English)"), T), ("founded", N_("Founded"), "fuzzy"),
                ("description_ja", N_("Description (Japanese)"), T),
                ("description_en", N_("Description (English)"), T)],
    "membership": [("network_id", N_("Network"), "ref:network"), ("city_id", N_("City"), "ref:city"),
                   ("organisation_id", N_("Organisation"), "ref:organisation"),
                   ("country", N_("Country represented"), "country"),
                   ("role_ja", N_("Role (Japanese)"), T), ("role_en", N_("Role (English)"), T),
                   ("start", N_("From"), "fuzzy"), ("end", N_("Until"), "fuzzy")],
    "relationship": [("slug", N_("Slug"), T), ("city_id", N_("City"), "ref:city"),
                     ("kind", N_("Kind"), vocabulary.RELATIONSHIP_KINDS),
                     ("status", N_("Status"), vocabulary.RELATIONSHIP_STATUSES),
                     ("since", N_("Since"), "fuzzy"), ("until", N_("Until"), "fuzzy"),
                     ("notes_ja", N_("Notes (Japanese)"), T), ("notes_en", N_("Notes (English)"), T)],
    "person": [("slug", N_("Slug"), T), ("family_name_ja", N_("Family name (Japanese)"), T),
               ("given_name_ja", N_("Given name (Japanese)"), T),
               ("family_name_latin", N_("Family name (Latin)"), T),
               ("given_name_latin", N_("Given name (Latin)"), T),
               ("name_kana", N_("Reading (kana)"), T), ("name_katakana", N_("Name in katakana"), T),
               ("name_order", N_("Name order"), vocabulary.NAME_ORDERS),
               ("honorific_ja", N_("Honorific (Japanese)"), T),
               ("honorific_en", N_("Honorific (English)"), T),
               ("email", N_("Email"), T), ("phone", N_("Phone"), T),
               ("notes_ja", N_("Notes (Japanese)"), T), ("notes_en", N_("Notes (English)"), T)],
    "position": [("slug", N_("Slug"), T), ("title_ja", N_("Title (Japanese)"), T),
                 ("title_en", N_("Title (English)"), T), ("person_id", N_("Holder"), "ref:person"),
                 ("city_id", N_("City"), "ref:city"),
                 ("organisation_id", N_("Organisation"), "ref:organisation"),
                 ("start", N_("From"), "fuzzy"), ("end", N_("Until"), "fuzzy"),
                 ("ended", N_("Known to have ended"), "bool")],
    "event": [("slug", N_("Slug"), T), ("title_ja", N_("Title (Japanese)"), T),
              ("title_en", N_("Title (English)"), T), ("kind", N_("Kind"), vocabulary.EVENT_KINDS),
              ("status", N_("Status"), vocabulary.EVENT_STATUSES), ("start_date", N_("Start date"), "date"),
              ("end_date", N_("End date"), "date"), ("timezone", N_("Time zone"), "timezone"),
              ("city_id", N_("City"), "ref:city"), ("venue_ja", N_("Venue (Japanese)"), T),
              ("venue_en", N_("Venue (English)"), T),
              ("attend_start", N_("Our attendance from"), "date"),
              ("attend_end", N_("Our attendance until"), "date"),
              ("visibility", N_("Visibility"), vocabulary.VISIBILITIES),
              ("theme_ja", N_("Theme (Japanese)"), T), ("theme_en", N_("Theme (English)"), T),
              ("notes_ja", N_("Notes (Japanese)"), T), ("notes_en", N_("Notes (English)"), T)],
    "session": [("slug", N_("Slug"), T), ("event_id", N_("Event"), "ref:event"),
                ("title_ja", N_("Title (Japanese)"), T), ("title_en", N_("Title (English)"), T),
                ("kind", N_("Kind"), vocabulary.SESSION_KINDS),
                ("starts_at", N_("Starts (venue time)"), "datetime"),
                ("ends_at", N_("Ends (venue time)"), "datetime"),
                ("day", N_("Day, when the time is unknown"), "date"),
                ("room_ja", N_("Room (Japanese)"), T), ("room_en", N_("Room (English)"), T),
                ("status", N_("Status"), vocabulary.SESSION_STATUSES),
                ("visibility", N_("Visibility"), vocabulary.VISIBILITIES),
                ("theme_ja", N_("Theme (Japanese)"), T), ("theme_en", N_("Theme (English)"), T),
                ("notes_ja", N_("Notes (Japanese)"), T), ("notes_en", N_("Notes (English)"), T)],
    "participant": [("session_id", N_("Session"), "ref:session"),
                    ("person_id", N_("Person"), "ref:person"),
                    ("position_id", N_("Position"), "ref:position"),
                    ("role", N_("Role"), vocabulary.PARTICIPANT_ROLES), ("sort_order", N_("Order"), "int"),
                    ("capacity_ja", N_("Capacity (Japanese)"), T),
                    ("capacity_en", N_("Capacity (English)"), T)],
    "organisation_role": [("event_id", N_("Event"), "ref:event"),
                          ("session_id", N_("Session"), "ref:session"),
                          ("organisation_id", N_("Organisation"), "ref:organisation"),
                          ("role", N_("Role"), vocabulary.ORGANISATION_ROLES),
                          ("sort_order", N_("Order"), "int")],
}
SLUG_SOURCES = ("name_en", "title_en", "family_name_latin", "given_name_latin", "name_ja", "title_ja")


class InputProblem(ValueError):
    pass


def normalise(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip()


def parse_clock(text: str) -> time:
    s = normalise(text).replace("時", ":").replace("分", "")
    match = re.fullmatch(r"(\d{1,2}):(\d{2})|(\d{1,2}):?", s)
    if not match:
        raise InputProblem(_("Cannot read {text!r} as a time; write it like 13:00.").format(text=text))
    hour, minute = (int(match[1]), int(match[2])) if match[1] else (int(match[3]), 0)
    if hour > 23 or minute > 59:
        raise InputProblem(_("{text}: there is no such time.").format(text=text))
    return time(hour, minute)


def parse_local_datetime(text: str) -> datetime:
    """'2024-11-11 13:00', '令和6年11月11日 13:00', '２０２４/１１/１１　１３：００' → naive local."""
    from citynet.i18n.eras import DateInputError, parse_date

    s = normalise(text)
    parts = s.rsplit(" ", 1)
    if len(parts) != 2:
        match = re.fullmatch(r"(.*日)(\d{1,2}[:時].*)", s)
        if not match:
            raise InputProblem(_("Give a date and a time, such as 2024-11-11 13:00."))
        parts = [match[1], match[2]]
    try:
        day = parse_date(parts[0])
    except DateInputError as error:
        raise InputProblem(str(error)) from None
    return datetime.combine(day, parse_clock(parts[1]))


def parse_field(kind_of_field, text: str):
    """A typed value from an Input's text (None when empty)."""
    text = text.strip()
    if not text:
        return None
    if kind_of_field == "date":
        from citynet.i18n.eras import DateInputError, parse_date

        try:
            return parse_date(text)
        except DateInputError as error:
            raise InputProblem(str(error)) from None
    if kind_of_field == "fuzzy":
        from citynet.i18n.eras import DateInputError, parse_partial_date

        s = normalise(text)
        if re.fullmatch(r"(?i)fy\d{4}", s):
            return s.upper()
        try:
            year, month, day = parse_partial_date(text)
        except DateInputError as error:
            raise InputProblem(str(error)) from None
        return f"{year:04d}" + (f"-{month:02d}" if month else "") + (f"-{day:02d}" if day else "")
    if kind_of_field == "datetime":
        return parse_local_datetime(text)
    if kind_of_field == "int":
        try:
            return int(normalise(text))
        except ValueError:
            raise InputProblem(_("Write a whole number.")) from None
    if kind_of_field == "float":
        try:
            return float(normalise(text))
        except ValueError:
            raise InputProblem(_("Write a number, such as 35.86.")) from None
    return text


def show_value(kind_of_field, value, zone: str | None) -> str:
    if value is None:
        return ""
    if kind_of_field == "datetime":
        return value.astimezone(ZoneInfo(zone or "UTC")).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _ref_search(kind: str):
    def search(engine, query):
        from citynet.services.browse import choices

        return [(c.id, fmt.bi(c.label) + (f" ({c.detail})" if c.detail else "") + f"  [{c.slug}]")
                for c in choices(engine, kind, query)]
    return search


def load_form(engine, kind: str, record_id: int | None, defaults: dict) -> dict:
    """Values, revision, labels of referenced records and the venue zone (runs in a worker)."""
    from citynet.services import browse

    values, revision = dict(defaults), None
    if record_id is not None:
        record = browse.record_values(engine, kind, record_id=record_id)
        values, revision = record.values, record.revision
    labels = {}
    for name, _label, typ in FIELDS[kind]:
        if isinstance(typ, str) and typ.startswith("ref:") and values.get(name) is not None:
            choice = browse.choice_label(engine, typ[4:], values[name])
            if choice is not None:
                labels[name] = f"{fmt.bi(choice.label)}  [{choice.slug}]"
    return {"values": values, "revision": revision, "labels": labels,
            "zone": venue_zone(engine, kind, values)}


def venue_zone(engine, kind: str, values: dict) -> str | None:
    if kind == "event":
        return values.get("timezone")
    if kind == "session" and values.get("event_id") is not None:
        from citynet.services import browse

        return browse.record_values(engine, "event", record_id=values["event_id"]).values["timezone"]
    return None


def save_record(engine, kind: str, record_id, revision, values: dict, local_times: dict):
    """Attach the venue's zone to typed times, then create or update (runs in a worker)."""
    from citynet.services.records import create_record, update_record

    if local_times:
        zone = ZoneInfo(venue_zone(engine, kind, values) or "UTC")
        for name, naive in local_times.items():
            values[name] = naive.replace(tzinfo=zone) if naive is not None else None
    if record_id is None:
        return create_record(engine, kind, values)
    return update_record(engine, kind, record_id, revision, values)


class FormScreen(CitynetScreen):
    wait_for_data = True  # keys typed while the record loads are replayed into the filled form
    blocks_navigation = True  # a section key or "/" never throws away what was typed
    BINDINGS = [Binding("ctrl+s", "save", _l("Save"), id="save", priority=True),
                Binding("escape", "back", _l("Cancel"), id="cancel")]

    def __init__(self, kind: str, record_id: int | None = None, defaults: dict | None = None) -> None:
        super().__init__()
        self.kind = kind
        self.record_id = record_id
        self.defaults = dict(defaults or {})
        self.loaded: dict = {}
        self.revision: int | None = None
        self.values: dict = dict(self.defaults)  # picker values (refs, country, time zone)
        self.zone: str | None = None
        self.saving = False
        # Keys typed before the record has loaded (a fast typist, pasted or scripted input) are
        # kept: ``fill`` leaves every field the user already edited alone, and a save asked for
        # meanwhile waits for the load instead of being lost.
        self.filled = False
        self.save_pending = False
        self.picked: set[str] = set()

    def compose(self) -> ComposeResult:
        yield Header()
        title = (_("Edit {kind}") if self.record_id else _("New {kind}")).format(
            kind=fmt.kind_name(self.kind))
        with VerticalScroll(id="form"):
            yield Heading(title, id="form-title")
            for name, label, typ in FIELDS[self.kind]:
                with Horizontal(classes="row"):
                    yield Label(plain(_(label)), classes="field-label")
                    if isinstance(typ, dict):
                        yield Select([(plain(fmt.code(v, typ)), v) for v in typ], prompt=_("Choose"),
                                     id=f"f-{name}", compact=True)
                    elif typ == "bool":
                        yield Checkbox(plain(""), id=f"f-{name}", compact=True)
                    elif typ in ("country", "timezone") or typ.startswith("ref:"):
                        yield Button(plain(_("(none)")), id=f"f-{name}", classes="picker",
                                     compact=True)
                    else:
                        yield Input(id=f"f-{name}", placeholder=self._hint(typ), compact=True)
                yield Static("", id=f"e-{name}", classes="field-error", markup=False)
            with Horizontal(classes="buttons"):
                yield Button(plain(_("Save")), variant="primary", id="save")
                yield Button(plain(_("Cancel")), id="cancel")
        yield Footer()

    @staticmethod
    def _hint(typ) -> str:
        return {"date": _("2024-11-11 or 令和6年11月11日"),
                "fuzzy": _("2009, 2019-07, 令和元年 or FY2026"),
                "datetime": _("2024-11-11 13:00 (venue time)")}.get(typ, "")

    def on_mount(self) -> None:
        for widget in self.query(".field-error"):
            widget.display = False
        self.load(load_form, self.kind, self.record_id, self.defaults, then=self.fill)

    def fill(self, data: dict) -> None:
        self.loaded = dict(data["values"])
        self.revision = data["revision"]
        self.zone = data["zone"]
        for name, _label, typ in FIELDS[self.kind]:
            value = self.loaded.get(name)
            if isinstance(typ, dict):
                select = self.query_one(f"#f-{name}", Select)
                if value is not None and select.value is Select.NULL:
                    select.value = value
            elif typ == "bool":
                checkbox = self.query_one(f"#f-{name}", Checkbox)
                if not checkbox.value:
                    checkbox.value = bool(value)
            elif typ in ("country", "timezone") or typ.startswith("ref:"):
                if name in self.picked:
                    continue  # chosen by the user before the record arrived
                self.values[name] = value
                label = data["labels"].get(name) or (
                    fmt.country(value) + f" ({value})" if typ == "country" and value else value)
                self.query_one(f"#f-{name}", Button).label = plain(label or _("(none)"))
            else:
                field = self.query_one(f"#f-{name}", Input)
                if not field.value:  # otherwise typed before the load: the user's text wins
                    field.value = show_value(typ, value, self.zone)
        self.filled = True
        if self.focused is None:
            first = self.query(Input).first(None)
            if first is not None:
                first.focus()
        self.keys_now_ready()
        if self.save_pending:
            self.save_pending = False
            self.action_save()

    # --- pickers -------------------------------------------------------------------------------

    @on(Button.Pressed, ".picker")
    def pick(self, event: Button.Pressed) -> None:
        from citynet.tui.screens.modals import PickerModal, country_options, timezone_options

        name = event.button.id.removeprefix("f-")
        typ = dict((n, t) for n, _l2, t in FIELDS[self.kind])[name]
        label = _(dict((n, lb) for n, lb, _t in FIELDS[self.kind])[name])
        if typ == "timezone":
            modal = PickerModal(label, options=timezone_options())
        elif typ == "country":
            modal = PickerModal(label, options=country_options())
        else:
            modal = PickerModal(label, search=_ref_search(typ[4:]))

        def chosen(value) -> None:
            if value is ...:
                return
            self.values[name] = value
            self.picked.add(name)
            button = self.query_one(f"#f-{name}", Button)
            if value is None:
                button.label = plain(_("(none)"))
            elif typ == "country":
                button.label = plain(f"{fmt.country(value)} ({value})")
            elif typ == "timezone":
                button.label = plain(value)
            else:
                match = [lbl for v, lbl in getattr(modal, "_last", []) if v == value]
                button.label = plain(match[0] if match else str(value))

        original_fill = modal._fill

        def remember(matches):
            modal._last = list(matches)
            original_fill(matches)
        modal._fill = remember
        self.app.push_screen(modal, chosen)

    # --- saving --------------------------------------------------------------------------------

    @on(Button.Pressed, "#save")
    def save_pressed(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#cancel")
    def cancel_pressed(self) -> None:
        self.action_back()

    def action_back(self) -> None:
        self.app.pop_screen()

    def collect(self) -> tuple[dict, dict] | None:
        """(values, local times) from the widgets, or None after showing the problems."""
        values, local_times, problems = {}, {}, {}
        for name, _label, typ in FIELDS[self.kind]:
            error_widget = self.query_one(f"#e-{name}", Static)
            error_widget.update("")
            error_widget.display = False
            try:
                if isinstance(typ, dict):
                    v = self.query_one(f"#f-{name}", Select).value
                    values[name] = None if v is Select.NULL else v
                elif typ == "bool":
                    values[name] = self.query_one(f"#f-{name}", Checkbox).value
                elif typ in ("country", "timezone") or typ.startswith("ref:"):
                    values[name] = self.values.get(name)
                elif typ == "datetime":
                    local_times[name] = parse_field(typ, self.query_one(f"#f-{name}", Input).value)
                else:
                    values[name] = parse_field(typ, self.query_one(f"#f-{name}", Input).value)
            except InputProblem as problem:
                problems[name] = str(problem)
        if "slug" in values and not values["slug"] and self.record_id is None:
            from citynet.services.browse import suggest_slug

            values["slug"] = suggest_slug(*(values.get(s) for s in SLUG_SOURCES))
            if not values["slug"]:  # nothing to make one from (a relationship): ask, in words
                problems.setdefault("slug", _("Give a slug: lower-case letters, digits and "
                                              "hyphens, such as zagreb-friendship."))
        for name, message in problems.items():
            self.show_problem(name, message)
        if problems:
            return None
        if self.record_id is None:  # a new record: empty fields take the defaults
            values = {k: v for k, v in values.items() if v is not None}
        if self.record_id is not None:  # send only what changed
            values = {k: v for k, v in values.items() if v != self.loaded.get(k)}
            local_times = {k: v for k, v in local_times.items()
                           if show_value("datetime", self.loaded.get(k), self.zone)
                           != (v.strftime("%Y-%m-%d %H:%M") if v else "")}
            if local_times and "event_id" in FIELDS_NAMES(self.kind):
                values.setdefault("event_id", self.loaded.get("event_id"))
        return values, local_times

    def show_problem(self, name: str, message: str) -> None:
        widget = self.query(f"#e-{name}")
        if widget:
            widget.first().update(plain(message))
            widget.first().display = True
            self.query_one(f"#f-{name}").focus()
        self.app.notify(f"{self._label(name)}: {message}", severity="error", markup=False)

    def _label(self, name: str) -> str:
        for n, label, _t in FIELDS[self.kind]:
            if n == name:
                return _(label)
        return name

    def action_save(self) -> None:
        if self.saving:
            return
        if not self.filled:  # still loading: save once the record is there
            self.save_pending = True
            return
        collected = self.collect()
        if collected is None:
            return
        values, local_times = collected
        if self.record_id is not None and not values and not local_times:
            self.app.notify(_("Nothing changed."))
            self.app.pop_screen()
            return
        self.saving = True
        self.run_worker(lambda: self._save(values, local_times), thread=True, exclusive=True,
                        group="save", exit_on_error=False)

    def _save(self, values, local_times) -> None:
        from citynet.errors import CitynetError, ConflictError
        from citynet.services.records import ValidationError

        try:
            info = save_record(self.app.engine, self.kind, self.record_id, self.revision, values,
                               local_times)
        except ConflictError as error:
            self.app.call_from_thread(self._conflict, str(error))
        except ValidationError as error:
            self.app.call_from_thread(self._invalid, error.field, error.message)
        except CitynetError as error:
            self.app.call_from_thread(self._invalid, None, str(error))
        else:
            self.app.call_from_thread(self._saved, info)

    def _conflict(self, message: str) -> None:
        from citynet.tui.screens.modals import MessageModal

        self.saving = False
        self.app.push_screen(MessageModal(_("Not saved.") + "\n" + message))

    def _invalid(self, field: str | None, message: str) -> None:
        self.saving = False
        if field and self.query(f"#e-{field}"):
            self.show_problem(field, message)
        else:
            self.app.notify(_("Not saved: {reason}").format(reason=message), severity="error",
                            markup=False, timeout=8)

    def _saved(self, info) -> None:
        self.saving = False
        self.app.notify(_("Saved (revision {revision}).").format(revision=info.revision))
        self.app.pop_screen()
        self.app.refresh_screens()


def FIELDS_NAMES(kind: str) -> set[str]:
    return {n for n, _l2, _t in FIELDS[kind]}
