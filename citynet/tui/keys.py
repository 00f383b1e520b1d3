"""User key bindings, Posting-style: every ``Binding`` has an ``id``; the settings file maps ids to
keys and the app applies them with Textual's keymap API (``App.set_keymap``)::

    [keys]
    search = "ctrl+f"             # one key
    quit = "ctrl+q,ctrl+x"        # several, comma-separated
    go-cities = "c"

Unknown ids and values that are not key names are reported once (a toast) and ignored.
"""

from __future__ import annotations

from textual.binding import Binding


def _screen_classes():
    from citynet.tui.application import CitynetApp
    from citynet.tui.screens import (agenda, compare, dashboard, detail, form, history, lists, modals,
                                     search)

    return (CitynetApp, dashboard.DashboardScreen, lists.ListScreen, agenda.AgendaScreen,
            detail.DetailScreen,
            form.FormScreen, search.SearchScreen, history.HistoryScreen, modals.ConfirmModal, modals.MessageModal,
            modals.PickerModal, modals.ExportModal, modals.HelpModal, modals.ChoiceModal,
            compare.CompareScreen)


def binding_ids() -> dict[str, str]:
    """Every binding id the user can remap → its default key(s)."""
    found: dict[str, str] = {}
    for cls in _screen_classes():
        for klass in cls.__mro__:
            for binding in klass.__dict__.get("BINDINGS", ()):
                if isinstance(binding, Binding) and binding.id and binding.id not in found:
                    found[binding.id] = binding.key
    return found


def clean_keymap(raw) -> tuple[dict[str, str], list[str]]:
    """(usable id → key map, problems) from the ``[keys]`` table of the settings file."""
    if raw is None:
        return {}, []
    if not isinstance(raw, dict):
        return {}, ["[keys]"]
    known = binding_ids()
    keymap, problems = {}, []
    for binding_id, keys in raw.items():
        if binding_id not in known:
            problems.append(str(binding_id))
        elif not isinstance(keys, str) or not keys.replace(",", "").strip():
            problems.append(f"{binding_id} = {keys!r}")
        else:
            keymap[binding_id] = ",".join(k.strip() for k in keys.split(",") if k.strip())
    return keymap, problems
