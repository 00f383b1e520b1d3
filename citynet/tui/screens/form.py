"""Create or edit any kind of record.

The form shows the fields of the rule book (``citynet.services.rules``) and hands what was typed,
as typed, to the single write path (``citynet.services.records``, origin ``form``): dates, era
dates, fiscal years, times and numbers are read there, the same way an import or a restore reads
them, and a ``ValidationError`` names the field, which the form marks. A save names the revision
the form was loaded at: when someone else saved in between, the service refuses with
``ConflictError`` and the form stays open with the user's input, offering to compare (their
values beside the typed ones, field by field: ``citynet.tui.screens.compare``) or to reload.

Safe entry: leaving a form with unsaved changes (Esc, Cancel, the app's quit) asks whether to
save, discard or keep editing; a new record's slug follows its name (``services/slugs.py``) until
the user edits the slug; required fields are marked from the rule book; any failed save ends
"saving" and keeps the input.
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
REQUIRED_MARK, NAME_MARK = "*", "+"


def required_marks(kind: str) -> dict[str, str]:
    """Field → its mark: ``*`` a field the rule book requires that has no default (it must be
    filled), ``+`` a name field (one of them is needed: ``rules.NAMED_BY``)."""
    from citynet.services.records import defaults

    start = defaults(kind)
    marks = {name: REQUIRED_MARK for name in rules.required_fields(kind)
             if start.get(name) is None and name in dict((n, t) for n, _l, t in FIELDS[kind])}
    for name in rules.NAMED_BY.get(kind, ()):
        marks.setdefault(name, NAME_MARK)
    return marks


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


def load_theirs(engine, kind: str, record_id: int) -> dict | None:
    """The record as stored now (after someone else's save), as ``load_form`` gives it; None
    when it was deleted meanwhile."""
    from citynet.errors import NotFound

    try:
        return load_form(engine, kind, record_id, {})
    except NotFound:
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
        self.labels: dict[str, str] = {}  # the picker labels of the loaded record
        # The slug a new record's name suggested and the form filled in; once the user types a
        # slug of their own it is left alone.
        self.auto_slug: str | None = None
        self.slug_edited = False
        self.after_save = None  # what to do once saved (leave the app, say), besides closing


    def compose(self) -> ComposeResult:
        yield Header()
        title = (_("Edit {kind}") if self.record_id else _("New {kind}")).format(
            kind=fmt.kind_name(self.kind))
        with VerticalScroll(id="form"):
            yield Heading(title, id="form-title")
            marks = required_marks(self.kind)
            legend = [_("* required")] if REQUIRED_MARK in marks.values() else []
            if NAME_MARK in marks.values():
                legend.append(_("+ at least one of these"))
            yield Static(plain("   ".join(legend)), id="form-legend", markup=False)
            for name, _msgid, typ in FIELDS[self.kind]:
                with Horizontal(classes="row"):
                    mark = marks.get(name)
                    yield Label(plain(rules.field_label(self.kind, name) + (f" {mark}" if mark else "")),
                                classes="field-label")
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

    def fill(self, data: dict, overwrite: bool = False) -> None:
        """Show the record loaded (``data`` from ``load_form``). Fields the user already edited
        keep their input, unless ``overwrite`` (a reload: every field shows the stored value)."""
        self.loaded = dict(data["values"])
        self.revision = data["revision"]
        self.zone = data["zone"]
        self.labels = dict(data["labels"])
        for name, _label, typ in FIELDS[self.kind]:
            self.set_field(name, self.loaded.get(name), overwrite)
        self.filled = True
        if self.record_id is None and not isinstance(self.focused, (Input, Select, Checkbox, Button)):
            # a new record starts at its name (the slug follows it), so typing goes there
            first = next((i for i in self.query(Input) if i.id != "f-slug"), None)
            if first is not None:
                first.focus()
        elif self.focused is None:
            first = self.query(Input).first(None)
            if first is not None:
                first.focus()
        self.keys_now_ready()
        if self.save_pending:
            self.save_pending = False
            self.action_save()

    def relabel(self) -> None:
        """The new UI language: rebuilt, with everything typed and chosen kept."""
        if not self.filled:
            super().relabel()
            return
        state = self.current()
        shown = {name: str(button.label) for name, _l2, typ in FIELDS[self.kind]
                 if not isinstance(typ, dict) and typ not in TEXT_TYPES and typ != "bool"
                 for button in self.query(f"#f-{name}").results(Button)}
        self.refresh(recompose=True)
        self.call_after_refresh(self._restore, state, shown)

    def _restore(self, state: dict, shown: dict) -> None:
        for widget in self.query(".field-error"):
            widget.display = False
        for name, _l2, typ in FIELDS[self.kind]:
            value = state.get(name)
            if isinstance(typ, dict):
                select = self.query_one(f"#f-{name}", Select)
                if value is None:
                    select.clear()
                else:
                    select.value = value
            elif typ == "bool":
                self.query_one(f"#f-{name}", Checkbox).value = bool(value)
            elif typ in TEXT_TYPES:
                self.query_one(f"#f-{name}", Input).value = value or ""
            else:
                label = self.picked_label(name, value) if name not in self.picked else shown.get(name)
                self.query_one(f"#f-{name}", Button).label = plain(label or _("(none)"))

    def _type(self, name: str):
        return dict((n, t) for n, _l2, t in FIELDS[self.kind])[name]

    def set_field(self, name: str, value, overwrite: bool = True) -> None:
        """Show a stored value in its field (``overwrite`` False: only a field still empty)."""
        typ = self._type(name)
        if isinstance(typ, dict):
            select = self.query_one(f"#f-{name}", Select)
            if overwrite or (value is not None and select.value is Select.NULL):
                if value is None:
                    select.clear()
                else:
                    select.value = value
        elif typ == "bool":
            checkbox = self.query_one(f"#f-{name}", Checkbox)
            if overwrite or not checkbox.value:
                checkbox.value = bool(value)
        elif typ in ("country", "timezone") or typ.startswith("ref:"):
            if name in self.picked and not overwrite:
                return  # chosen by the user before the record arrived
            self.picked.discard(name)
            self.values[name] = value
            self.query_one(f"#f-{name}", Button).label = plain(self.picked_label(name, value))
        else:
            field = self.query_one(f"#f-{name}", Input)
            if overwrite or not field.value:  # otherwise typed before the load: the user's text wins
                field.value = show_value(typ, value, self.zone)

    def picked_label(self, name: str, value) -> str:
        """A picker's label for a stored value (the loaded record's labels for references)."""
        typ = self._type(name)
        if value is None:
            return _("(none)")
        if typ == "country":
            return f"{fmt.country(value)} ({value})"
        if value == self.loaded.get(name) and self.labels.get(name):
            return self.labels[name]
        return str(value)

    # --- the slug follows the name of a new record ------------------------------------------------

    @on(Input.Changed)
    def typed(self, event: Input.Changed) -> None:
        from citynet.services.slugs import SOURCE_FIELDS

        name = (event.input.id or "").removeprefix("f-")
        if self.record_id is not None or not self.query("#f-slug"):
            return
        if name == "slug":
            if event.value != (self.auto_slug or ""):
                # typed by the user; emptied, it follows the name again
                self.slug_edited = bool(event.value.strip())
            return
        if name in SOURCE_FIELDS and not self.slug_edited:
            self.follow_name()

    def follow_name(self) -> None:
        from citynet.services.slugs import SOURCE_FIELDS, slug_for

        typed = {name: self.query_one(f"#f-{name}", Input).value for name in SOURCE_FIELDS
                 if self.query(f"#f-{name}")}
        suggestion = slug_for(typed) or ""
        field = self.query_one("#f-slug", Input)
        if field.value not in ("", self.auto_slug or ""):  # the user's own, not yet seen as typed
            self.slug_edited = True
            return
        if field.value != suggestion:
            self.auto_slug = suggestion
            field.value = suggestion

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
        """Leave; with unsaved changes, ask first (save / discard / keep editing)."""
        self.leave(self.app.pop_screen)

    def leave(self, then) -> None:
        """Run ``then`` (which leaves the form) at once when nothing is unsaved; otherwise ask:
        save (and ``then`` once saved), discard (``then``), or keep editing."""
        if not self.filled or not self.dirty():
            then()
            return
        from citynet.tui.screens.modals import LeaveModal

        def answered(choice: str | None) -> None:
            if choice == "save":
                self.after_save = then
                self.action_save()
            elif choice == "discard":
                then()

        self.app.push_screen(LeaveModal(), answered)

    def current(self) -> dict:
        """Every field as it stands: text as typed (stripped; empty is None), choices as chosen."""
        values: dict = {}
        for name, _label, typ in FIELDS[self.kind]:
            if isinstance(typ, dict):
                v = self.query_one(f"#f-{name}", Select).value
                values[name] = None if v is Select.NULL else v
            elif typ == "bool":
                values[name] = self.query_one(f"#f-{name}", Checkbox).value
            elif typ in ("country", "timezone") or typ.startswith("ref:"):
                values[name] = self.values.get(name)
            else:
                values[name] = self.query_one(f"#f-{name}", Input).value.strip() or None
        return values

    def changed_fields(self) -> dict:
        """The fields whose widget differs from the record loaded (for a new one: its defaults)."""
        return {k: v for k, v in self.current().items() if v != self._shown(k)}

    def dirty(self) -> bool:
        return bool(self.changed_fields())

    def collect(self) -> dict | None:
        """The values as typed (text inputs) or chosen (lists, boxes, pickers), or None after
        showing what is missing; for a record being edited, only what changed."""
        for name, _label, _typ in FIELDS[self.kind]:
            error_widget = self.query_one(f"#e-{name}", Static)
            error_widget.update("")
            error_widget.display = False
        values = self.current()
        if "slug" in values and not values["slug"] and self.record_id is None:
            from citynet.services.slugs import slug_for

            values["slug"] = slug_for(values)
            named = any(values.get(f) for f in rules.NAMED_BY.get(self.kind, ()))
            if not values["slug"] and (named or self.kind not in rules.NAMED_BY):
                # nothing to make one from (a relationship; a name in kanji only): ask, in
                # words. (A nameless city is told by the rule book that it needs a name.)
                self.show_problem("slug", _("Give a slug: lower-case letters, digits and "
                                            "hyphens, such as zagreb-friendship."))
                return None
        if self.record_id is None:  # a new record: empty fields take the defaults
            return {k: v for k, v in values.items() if v is not None}
        return {k: v for k, v in values.items() if v != self._shown(k)}

    def _shown(self, name: str):
        """A loaded value as its widget shows it (text inputs hold text; a box unticked)."""
        typ = self._type(name)
        value = self.loaded.get(name)
        if typ in TEXT_TYPES:
            return show_value(typ, value, self.zone) or None
        if typ == "bool":
            return bool(value)
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
            self._leave_saved()
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
            try:  # their version, for "compare" and "reload"
                theirs = load_theirs(self.app.engine, self.kind, self.record_id)
            except Exception:  # noqa: BLE001 - the conflict is still said; no compare offered
                theirs = None
            self.app.call_from_thread(self._conflict, describe(error), theirs)
        except ValidationError as error:
            self.app.call_from_thread(self._invalid, error.field, error.message)
        except CitynetError as error:
            self.app.call_from_thread(self._invalid, None, describe(error))
        except Exception as error:  # a database that went away: the input stays, saving ends
            reason = str(getattr(error, "orig", None) or error).strip().splitlines()
            self.app.call_from_thread(self._invalid, None, reason[0] if reason else type(error).__name__)
        else:
            self.app.call_from_thread(self._saved, info)

    def _conflict(self, message: str, theirs: dict | None) -> None:
        from citynet.tui.screens.modals import ConflictModal, MessageModal

        self.saving = False
        self.after_save = None
        text = _("Not saved.") + "\n" + message
        if theirs is None:  # deleted meanwhile: nothing to compare with
            self.app.push_screen(MessageModal(text))
            return

        def answered(choice: str | None) -> None:
            if choice == "compare":
                self.compare(theirs)
            elif choice == "reload":
                self.reload_theirs(theirs)

        self.app.push_screen(ConflictModal(text), answered)

    def compare(self, theirs: dict) -> None:
        """Their values beside the typed ones, for the fields that differ; the choices made
        there are put in the form, which then saves on their revision."""
        from citynet.tui.screens.compare import CompareScreen, compare_rows

        rows = compare_rows(self, theirs)

        def decided(take_theirs: set[str] | None) -> None:
            if take_theirs is None:
                return  # back to the form, as it was
            self.rebase(theirs, take_theirs)
            self.action_save()

        self.app.push_screen(CompareScreen(rows), decided)

    def rebase(self, theirs: dict, take_theirs) -> None:
        """Start from their version: the fields in ``take_theirs`` show their value, the others
        keep what was typed; a save then names their revision."""
        mine = self.current()
        picked = set(self.picked)
        self.loaded = dict(theirs["values"])
        self.revision = theirs["revision"]
        self.zone = theirs["zone"]
        self.labels = dict(theirs["labels"])
        for name in take_theirs:
            self.set_field(name, self.loaded.get(name))
        self.picked = {name for name in picked if name not in take_theirs}
        for name in self.picked:  # a chosen record keeps its label
            self.values[name] = mine[name]

    def reload_theirs(self, theirs: dict) -> None:
        """Take their version whole: every field shows what is stored now."""
        self.fill(theirs, overwrite=True)
        self.picked.clear()
        self.app.notify(_("Reloaded: revision {revision}.").format(revision=self.revision))

    def _invalid(self, field: str | None, message: str) -> None:
        self.saving = False
        self.after_save = None
        if field and self.query(f"#e-{field}"):
            self.show_problem(field, message)
        else:
            self.app.notify(_("Not saved: {reason}").format(reason=message), severity="error",
                            markup=False, timeout=8)

    def _saved(self, info) -> None:
        self.saving = False
        self.app.notify(_("Saved (revision {revision}).").format(revision=info.revision))
        self._leave_saved()
        self.app.refresh_screens()

    def _leave_saved(self) -> None:
        then, self.after_save = self.after_save, None
        (then or self.app.pop_screen)()
