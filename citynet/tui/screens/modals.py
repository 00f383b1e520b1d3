"""Small dialogs: confirm, message, leave or save a form, a refused save, pick from a searchable
list, export."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, LoadingIndicator, OptionList, RadioButton, RadioSet
from textual.widgets.option_list import Option

from citynet.i18n import N_, _, _l, describe, get_language
from citynet.tui.widgets import Heading, Para, plain


class HelpModal(ModalScreen[None]):
    """The keys of the screen it was opened on: each binding's key(s) as the user's keymap has
    them (so a remapped key shows) and what it does, in the UI language."""

    BINDINGS = [Binding("escape", "close", _l("Close"), id="close")]

    def __init__(self, keys: list[tuple[str, str]]) -> None:
        super().__init__()
        self.keys = keys  # (key(s) as shown, description)

    def compose(self) -> ComposeResult:
        from citynet.tui.widgets import Table

        with Vertical(classes="dialog"):
            yield Heading(_("Keys"))
            yield Para(_("Esc closes this help."))
            yield Table(id="help-keys")

    def on_mount(self) -> None:
        from citynet.tui.widgets import Table

        table = self.query_one("#help-keys", Table)
        table.show([_("Key"), _("Action")], [(None, [key, text]) for key, text in self.keys])
        table.focus()

    def action_close(self) -> None:
        self.dismiss(None)


def screen_keys(screen) -> list[tuple[str, str]]:
    """(key(s), description) of citynet's bindings active on ``screen`` (those with an id: the
    keys a user can remap; the widgets' own arrow and page keys are not listed), the app's
    included, in the order Textual checks them, each description once (its keys joined)."""
    app = screen.app
    keys: dict[str, list[str]] = {}
    for active in screen.active_bindings.values():
        binding = active.binding
        if not binding.id or not binding.description or binding.action == "help":
            continue
        shown = app.get_key_display(binding)
        entry = keys.setdefault(str(binding.description), [])
        if shown not in entry:
            entry.append(shown)
    return [(" / ".join(shown), text) for text, shown in keys.items()]


class ConfirmModal(ModalScreen[bool]):
    BINDINGS = [Binding("escape", "no", _l("Cancel"), id="cancel"),
                Binding("y", "yes", _l("Yes"), id="yes", show=False)]

    def __init__(self, text: str, yes: str, no: str) -> None:
        super().__init__()
        self.text, self.yes, self.no = text, yes, no

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Para(self.text)
            with Horizontal(classes="buttons"):
                yield Button(plain(self.yes), variant="primary", id="yes")
                yield Button(plain(self.no), id="no")

    def on_mount(self) -> None:
        self.query_one("#yes", Button).focus()

    @on(Button.Pressed)
    def pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_yes(self) -> None:
        self.dismiss(True)

    def action_no(self) -> None:
        self.dismiss(False)


class MessageModal(ModalScreen[None]):
    BINDINGS = [Binding("escape", "close", _l("Close"), id="close")]

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Para(self.text)
            yield Button(plain(_("OK")), variant="primary", id="ok")

    def on_mount(self) -> None:
        self.query_one("#ok", Button).focus()

    def on_button_pressed(self, _event) -> None:
        self.dismiss(None)

    def action_close(self) -> None:
        self.dismiss(None)


class ChoiceModal(ModalScreen[str | None]):
    """A question with a few answers (buttons); dismissed with the id of the one chosen, or None
    (Esc, or the last button: "keep editing")."""

    BINDINGS = [Binding("escape", "keep", _l("Keep editing"), id="cancel")]

    def __init__(self, text: str, choices: list[tuple[str | None, str]]) -> None:
        super().__init__()
        self.text, self.choices = text, choices

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Para(self.text)
            with Horizontal(classes="buttons"):
                for n, (answer, label) in enumerate(self.choices):
                    yield Button(plain(label), id=f"answer-{answer or 'keep'}",
                                 variant="primary" if n == 0 else "default")

    def on_mount(self) -> None:
        self.query(Button).first().focus()

    @on(Button.Pressed)
    def pressed(self, event: Button.Pressed) -> None:
        answer = (event.button.id or "").removeprefix("answer-")
        self.dismiss(None if answer == "keep" else answer)

    def action_keep(self) -> None:
        self.dismiss(None)


class LeaveModal(ChoiceModal):
    """Leaving a form with unsaved changes: "save", "discard" or None (keep editing)."""

    def __init__(self) -> None:
        super().__init__(_("This form has unsaved changes."),
                         [("save", _("Save")), ("discard", _("Discard")), (None, _("Keep editing"))])


class ConflictModal(ChoiceModal):
    """A save refused because someone else saved first: "compare" (their values beside yours,
    field by field), "reload" (take theirs whole) or None (keep editing)."""

    def __init__(self, text: str) -> None:
        super().__init__(text, [("compare", _("Compare")), ("reload", _("Reload theirs")),
                                (None, _("Keep editing"))])


class PickerModal(ModalScreen):
    """Pick one value from a list filtered while typing (NFKC + casefold).

    ``options`` are the FixedChoice of a fixed list (time zones, countries: filtered by the search
    engine's rules); for records, ``search(engine, query)`` runs in a worker and returns
    (value, label) pairs.
    Dismissed with the chosen value (None: cleared; Ellipsis: cancelled); ``chosen_label`` then
    holds the label the list showed for it.
    """

    BINDINGS = [Binding("escape", "cancel", _l("Cancel"), id="cancel"),
                Binding("down", "focus_list", show=False)]

    def __init__(self, title: str, options=None, search=None, allow_clear: bool = True) -> None:
        super().__init__()
        self.title_text = title
        self.options = options or []
        self.search = search
        self.allow_clear = allow_clear
        self.chosen_label: str | None = None  # the label of the value chosen, once chosen
        self._matches: list = []  # (value, label) of the options listed

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog pick-dialog"):
            yield Heading(self.title_text)
            yield Input(placeholder=_("Type to search"), id="picker-query")
            yield OptionList(id="picker-options")

    def on_mount(self) -> None:
        self.query_one("#picker-query", Input).focus()
        self.refilter("")

    def on_input_changed(self, event: Input.Changed) -> None:
        self.refilter(event.value)

    def on_input_submitted(self, _event: Input.Submitted) -> None:
        options = self.query_one(OptionList)
        if options.option_count:
            self.choose(options.highlighted or 0)

    def refilter(self, text: str) -> None:
        if self.search is not None:
            self.lookup(text)
            return
        from citynet.services.fixed_choices import filter_choices

        self._fill([(c.value, c.label) for c in filter_choices(self.options, text)])

    @work(thread=True, exclusive=True, group="picker", exit_on_error=False)
    def lookup(self, text: str) -> None:
        matches = self.search(self.app.engine, text)
        self.app.call_from_thread(self._fill, matches)

    def _fill(self, matches) -> None:
        if self.allow_clear:
            matches = [(None, _("(none)"))] + list(matches)
        self._matches = list(matches)
        options = self.query_one(OptionList)
        options.clear_options()
        options.add_options([Option(plain(label)) for _v, label in matches])
        if matches:
            options.highlighted = 1 if self.allow_clear and len(matches) > 1 else 0

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.choose(event.option_index)

    def choose(self, index: int) -> None:
        """Dismiss with the value of the option at ``index``, keeping its label."""
        value, self.chosen_label = self._matches[index]
        self.dismiss(value)

    def action_focus_list(self) -> None:
        self.query_one(OptionList).focus()

    def action_cancel(self) -> None:
        self.dismiss(...)  # Ellipsis: nothing chosen (None means "cleared")


# The PDF documents of a record of each kind (see citynet.render.pdf), with their button labels.
PDF_DOCUMENTS = {"event": (("briefing", N_("Briefing (PDF)")), ("programme", N_("Programme (PDF)")),
                           ("report", N_("Report (PDF)"))),
                 "city": (("city", N_("City profile (PDF)")),),
                 "network": ()}
EXPORT_LANGS = (("ja", N_("Japanese")), ("en", N_("English")), ("both", N_("Both")))


class ExportModal(ModalScreen[None]):
    """Export an event, a city or a network: its documents (PDF) and its calendar (public or
    internal), in Japanese, English or both, through the command line's code; the file written
    is named by its absolute path."""

    BINDINGS = [Binding("escape", "close", _l("Close"), id="close")]

    def __init__(self, kind: str, slug: str, title: str) -> None:
        super().__init__()
        self.kind, self.slug, self.title_text = kind, slug, title

    def compose(self) -> ComposeResult:
        ui = get_language()
        with Vertical(classes="dialog export-dialog"):
            yield Heading(_("Export {name}").format(name=self.title_text))
            with RadioSet(id="export-lang"):
                for code, label in EXPORT_LANGS:
                    yield RadioButton(plain(_(label)), value=code == ui, id=f"lang-{code}")
            with Vertical(classes="buttons-v"):
                for n, (document, label) in enumerate(PDF_DOCUMENTS[self.kind]):
                    yield Button(plain(_(label)), id=f"pdf-{document}", compact=True,
                                 variant="primary" if n == 0 else "default")
                yield Button(plain(_("Calendar (public)")), id="ics-public", compact=True)
                yield Button(plain(_("Calendar (internal)")), id="ics-internal", compact=True)
                yield Button(plain(_("Close")), id="close", compact=True)
            yield LoadingIndicator(id="progress")
            yield Para("", id="result")

    def on_mount(self) -> None:
        self.query_one("#progress").display = False
        self.query(".buttons-v Button").first().focus()

    def language(self) -> str:
        pressed = self.query_one("#export-lang", RadioSet).pressed_button
        return (pressed.id or "").removeprefix("lang-") if pressed is not None else get_language()

    @on(Button.Pressed)
    def pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "close":
            self.dismiss(None)
            return
        self.query_one("#progress").display = True
        self.query_one("#result", Para).set(_("Writing the file…"))
        for button in self.query(Button):
            button.disabled = button.id != "close"
        self.export(event.button.id, self.language())

    @work(thread=True, exclusive=True, group="export", exit_on_error=False)
    def export(self, what: str, lang: str) -> None:
        try:
            if what.startswith("pdf-"):
                from citynet.render.pdf import export_pdf

                path = export_pdf(self.app.engine, what.removeprefix("pdf-"), self.slug, lang)
            else:
                from citynet.render.ics import export_ics

                path = export_ics(self.app.engine, self.kind, self.slug, lang, what.split("-")[1])
        except Exception as error:  # noqa: BLE001 - shown to the user, the dialog stays usable
            from citynet.errors import CitynetError

            text = describe(error) if isinstance(error, CitynetError) else f"{type(error).__name__}: {error}"
            self.app.call_from_thread(self._done, None, text)
            return
        self.app.call_from_thread(self._done, path.absolute(), None)

    def _done(self, path, error) -> None:
        self.query_one("#progress").display = False
        for button in self.query(Button):
            button.disabled = False
        if error:
            text = _("Export failed: {error}").format(error=error)
            self.app.notify(text, severity="error", markup=False)
        else:
            text = _("Written: {path}").format(path=path)
            self.app.notify(text, markup=False, timeout=10)
        self.query_one("#result", Para).set(text)

    def action_close(self) -> None:
        self.dismiss(None)


def timezone_options():
    """The time zones a picker offers, found by city and country in either language."""
    from citynet.services.fixed_choices import timezone_choices

    return timezone_choices(get_language())


def country_options():
    from citynet.services.fixed_choices import country_choices

    return country_choices(get_language())
