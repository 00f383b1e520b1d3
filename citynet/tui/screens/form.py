"""Create or edit any kind of record.

The form shows the fields of the rule book (``citynet.services.rules``) and hands what was typed,
as typed, to the single write path (``citynet.services.records``, origin ``form``): dates, era
dates, fiscal years, times and numbers are read there, the same way an import or a restore reads
them, and a ``ValidationError`` names the field, which the form marks. A save names the revision
the form was loaded at: when someone else saved in between, the service refuses with
``ConflictError`` and the form stays open with the user's input.
"""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Checkbox, Footer, Header, Input, Label, Select, Static

from citynet.i18n import _, _l
from citynet.services import rules
from citynet.tui import fmt
from citynet.tui.screens.base import CitynetScreen
from citynet.tui.widgets import Heading, plain

# The kinds a form edits, with the fields of the rule book: (field, label msgid, type); type is
# text | slug | date | fuzzy | datetime | int | count | float | bool | country | timezone |
# ref:<kind> | a vocabulary (code → label, citynet.i18n.vocabulary).
FORM_KINDS = ("city", "organisation", "network", "membership", "relationship", "person",
              "position", "event", "session", "participant", "organisation_role", "commitment")
FIELDS = {kind: rules.FIELDS[kind] for kind in FORM_KINDS}
TEXT_TYPES = ("text", "slug", "date", "fuzzy", "datetime", "int", "count", "float")
SLUG_SOURCES = ("name_en", "title_en", "family_name_latin", "given_name_latin", "name_ja", "title_ja")


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
        from citynet.i18n import get_language
        from citynet.presenters.search import hit_detail, hit_name
        from citynet.services.pickers import choices

        lang = get_language()
        return [(hit.id, hit_name(hit, lang) + (f" ({detail})" if (detail := hit_detail(hit, lang))
                                                else "") + f"  [{hit.slug}]")
                for hit in choices(engine, kind, query)]
    return search


def load_form(engine, kind: str, record_id: int | None, defaults: dict) -> dict:
    """Values, revision, labels of referenced records and the venue zone (runs in a worker)."""
    from citynet.services import pickers

    values, revision = dict(defaults), None
    if record_id is not None:
        record = pickers.record_values(engine, kind, record_id=record_id)
        values, revision = record.values, record.revision
    labels = {}
    for name, _label, typ in FIELDS[kind]:
        if isinstance(typ, str) and typ.startswith("ref:") and values.get(name) is not None:
            choice = pickers.choice_label(engine, typ[4:], values[name])
            if choice is not None:
                labels[name] = f"{fmt.bi(choice.label)}  [{choice.slug}]"
    return {"values": values, "revision": revision, "labels": labels,
            "zone": venue_zone(engine, kind, values)}


def venue_zone(engine, kind: str, values: dict) -> str | None:
    if kind == "event":
        return values.get("timezone")
    if kind == "session" and values.get("event_id") is not None:
        from citynet.services import pickers

        return pickers.record_values(engine, "event", record_id=values["event_id"]).values["timezone"]
    return None


def save_record(engine, kind: str, record_id, revision, values: dict):
    """Create or update through the write path (runs in a worker)."""
    from citynet.services.records import create_record, update_record

    if record_id is None:
        return create_record(engine, kind, values, origin="form")
    return update_record(engine, kind, record_id, revision, values, origin="form")


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
            for name, _msgid, typ in FIELDS[self.kind]:
                with Horizontal(classes="row"):
                    yield Label(plain(rules.field_label(self.kind, name)), classes="field-label")
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
        label = rules.field_label(self.kind, name)
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
                button.label = plain(modal.chosen_label or str(value))

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

    def collect(self) -> dict | None:
        """The values as typed (text inputs) or chosen (lists, boxes, pickers), or None after
        showing what is missing; for a record being edited, only what changed."""
        values: dict = {}
        for name, _label, typ in FIELDS[self.kind]:
            error_widget = self.query_one(f"#e-{name}", Static)
            error_widget.update("")
            error_widget.display = False
            if isinstance(typ, dict):
                v = self.query_one(f"#f-{name}", Select).value
                values[name] = None if v is Select.NULL else v
            elif typ == "bool":
                values[name] = self.query_one(f"#f-{name}", Checkbox).value
            elif typ in ("country", "timezone") or typ.startswith("ref:"):
                values[name] = self.values.get(name)
            else:
                values[name] = self.query_one(f"#f-{name}", Input).value.strip() or None
        if "slug" in values and not values["slug"] and self.record_id is None:
            from citynet.services.slugs import suggest_slug

            values["slug"] = suggest_slug(*(values.get(s) for s in SLUG_SOURCES))
            if not values["slug"] and self.kind not in rules.NAMED_BY:
                # nothing to make one from (a relationship): ask, in words. (A nameless city is
                # told by the rule book that it needs a name.)
                self.show_problem("slug", _("Give a slug: lower-case letters, digits and "
                                            "hyphens, such as zagreb-friendship."))
                return None
        if self.record_id is None:  # a new record: empty fields take the defaults
            return {k: v for k, v in values.items() if v is not None}
        return {k: v for k, v in values.items() if v != self._shown(k)}

    def _shown(self, name: str):
        """A loaded value as its widget shows it (text inputs hold text)."""
        typ = dict((n, t) for n, _l2, t in FIELDS[self.kind])[name]
        value = self.loaded.get(name)
        if typ in TEXT_TYPES:
            return show_value(typ, value, self.zone) or None
        return value

    def show_problem(self, name: str, message: str) -> None:
        widget = self.query(f"#e-{name}")
        if widget:
            widget.first().update(plain(message))
            widget.first().display = True
            self.query_one(f"#f-{name}").focus()
        self.app.notify(_("{field}: {problem}").format(field=self._label(name), problem=message),
                        severity="error", markup=False)

    def _label(self, name: str) -> str:
        return rules.field_label(self.kind, name)

    def action_save(self) -> None:
        if self.saving:
            return
        if not self.filled:  # still loading: save once the record is there
            self.save_pending = True
            return
        values = self.collect()
        if values is None:
            return
        if self.record_id is not None and not values:
            self.app.notify(_("Nothing changed."))
            self.app.pop_screen()
            return
        self.saving = True
        self.run_worker(lambda: self._save(values), thread=True, exclusive=True,
                        group="save", exit_on_error=False)

    def _save(self, values) -> None:
        from citynet.errors import CitynetError, ConflictError
        from citynet.i18n import describe
        from citynet.services.rules import ValidationError

        try:
            info = save_record(self.app.engine, self.kind, self.record_id, self.revision, values)
        except ConflictError as error:
            self.app.call_from_thread(self._conflict, describe(error))
        except ValidationError as error:
            self.app.call_from_thread(self._invalid, error.field, error.message)
        except CitynetError as error:
            self.app.call_from_thread(self._invalid, None, describe(error))
        except Exception as error:  # a database that went away: the input stays, saving ends
            reason = str(getattr(error, "orig", None) or error).strip().splitlines()
            self.app.call_from_thread(self._invalid, None, reason[0] if reason else type(error).__name__)
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
