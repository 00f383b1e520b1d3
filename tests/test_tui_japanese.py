"""The Japanese UI speaks Japanese: every screen, walked with Pilot on the demo store at 80x24 and
160x48, shows no English word or stored code.

What a screen shows is its rendered text (the compositor's strips) plus what it holds beyond the
window (every cell of its tables, its labels, buttons, placeholders and dropdown options), so a
leak below the fold or in a column cut short is found too.

The deny-list is derived, not typed, where the code holds the words:
- field names: every column of every table in ``store/models.py`` (theme_ja, event_id, slug …);
- vocabulary codes: every closed vocabulary there (seminar, planned, public, host …);
- ISO 3166 country codes standing alone (JP, DE …), from Babel's territories;
- Textual's own English defaults (its palette, its system commands, Select's prompt);
- common English UI words (Name, Title, Status, Save, Cancel, Loading …).
A second check fails on any Latin word at all that the data does not hold, so an English word
nobody thought of listing is caught as well.

Allowed, because the data holds it in Latin letters and has nothing else to show: a person's
Latin name; the English name, title, venue, room, role or label of a record that has no
Japanese one; abbreviations (COP29, ICLEI, DESNZ); units (t-CO2); URLs and e-mail addresses.
Also allowed, deliberately: the name of the program (citynet), key names in the footer and the
help (esc, ctrl, enter, tab, F1 …), IANA zone ids (Asia/Tokyo: a form's time-zone picker and a
city's time zone show the id users type and recognise), abbreviations Japanese offices write in
Latin letters (UTC, JST, NGO, MOU, PDF, OK) and the input forms a hint shows (FY2026, R6), and,
in the country picker only, the code beside a country's name (「ドイツ (DE)」: a country is found
by typing its code too).
"""

from __future__ import annotations

import asyncio
import os
import re

import pytest

os.environ.setdefault("TEXTUAL_DISABLE_KITTY_KEY", "1")

from citynet.i18n import set_language  # noqa: E402
from tests import test_tui_app as tui_app  # noqa: E402
from tests.test_tui_app import engine, screen_text  # noqa: E402,F401  (a copy of the demo store)

SIZES = [(80, 24), (160, 48)]

# Textual's English defaults (8.x), which must never reach a Japanese screen.
TEXTUAL_DEFAULTS = ("Search for commands…", "No matches found", "Quit", "Palette", "palette",
                    "Select", "Theme", "Keys", "Minimize", "Maximize", "Screenshot",
                    "Press ctrl+q to quit", "Do you want to quit?", "Show keys", "Hide keys",
                    "Change theme", "Save screenshot")
# Words a screen, a button or a column would say in English.
UI_WORDS = ("Name", "Title", "Status", "Save", "Cancel", "Loading", "Delete", "Edit", "New",
            "Back", "Search", "Filter", "Yes", "No", "OK", "Close", "Help", "Export", "History",
            "Date", "Dates", "Time", "Kind", "Country", "City", "Event", "Session", "Person",
            "Organisation", "Network", "Role", "Notes", "Language", "English", "Japanese",
            "Choose", "none", "Add", "Changes", "Agenda", "Today", "Week", "Month", "Day", "row",
            "rows", "found", "Nothing", "error", "Error", "home", "local", "time", "Sort", "sort",
            "Reading", "Founded", "Members", "Honorific", "Abbr", "Detail", "When", "Who",
            "Field", "Record", "Old", "Key", "Action", "Commands", "Dashboard", "Cities",
            "People", "Events", "Sessions", "Networks", "Organisations", "Upcoming", "Recent",
            "Position", "Participant", "Commitment", "Membership", "Relationship", "Timetable",
            "more", "type")
# Key names the footer and the help show (Textual's own spelling of keys).
KEY_NAMES = {"esc", "ctrl", "enter", "tab", "shift", "space", "up", "down", "left", "right",
             "home", "end", "pageup", "pagedown", "F1", "f1", "delete", "backspace", "insert"}
# Abbreviations Japanese officials write in Latin letters, and the input forms a hint shows
# (令和6年 → R6, 年度 → FY2026).
ABBREVIATIONS = {"UTC", "JST", "NGO", "MOU", "PDF", "FY2026", "R6", "OK"}
ALWAYS_ALLOWED = {"citynet", "Esc"} | KEY_NAMES | ABBREVIATIONS
ZONE_ID = re.compile(r"\b(?:Africa|America|Antarctica|Asia|Atlantic|Australia|Europe|Indian|"
                     r"Pacific|Etc)/[A-Za-z_\-]+(?:/[A-Za-z_\-]+)?")
URL = re.compile(r"(?:https?://|www\.)\S+|\S+@\S+\.\S+")
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z0-9_]*(?:[-'][A-Za-z0-9_]+)*")


def field_names() -> set[str]:
    from citynet.store import models as m

    return {column.name for table in m.SQLModel.metadata.sorted_tables
            for column in table.columns}


def vocabulary_codes() -> set[str]:
    from citynet.store import models as m

    return {code for name, value in vars(m).items()
            if name.isupper() and isinstance(value, tuple) and value
            and all(isinstance(v, str) for v in value) for code in value}


def country_codes() -> set[str]:
    from babel import Locale

    # CLDR also names groupings (UN, EU, 419 …): only two-letter country codes
    return {code for code in Locale("en").territories
            if len(code) == 2 and code.isalpha() and code not in ("UN", "EU", "EZ", "QO", "ZZ")
            and not code.startswith("X")}


def deny_words() -> dict[str, str]:
    """word → why it is denied."""
    denied: dict[str, str] = {}
    for word in UI_WORDS:
        denied[word] = "English UI word"
    for word in vocabulary_codes():
        denied[word] = "vocabulary code"
    for word in field_names():
        denied[word] = "field name"
    for word in country_codes():
        denied[word] = "country code"
    return denied


def allowed_data_words(engine, everything: bool = False) -> set[str]:
    """The Latin words of what the demo store holds that has nothing Japanese to stand for it
    (``everything``: of all it holds, as a history or an edit form shows the English fields'
    values beside the Japanese ones), and the names of the users who saved."""
    import sqlalchemy as sa

    from citynet.store import models as m

    words: set[str] = set()
    with engine.connect() as c:
        for table in m.SQLModel.metadata.sorted_tables:
            columns = {col.name for col in table.columns}
            if table.name in ("search_term", "search_doc", "document_release"):
                continue
            if table.name == "change":  # who saved: a user name, as the system gives it
                words.update(w for (u,) in c.execute(sa.select(table.c.user).distinct()) if u
                             for w in LATIN_WORD.findall(u))
                continue
            for col in table.columns:
                name = col.name
                if name in ("family_name_latin", "given_name_latin", "abbreviation", "unit"):
                    keep = sa.true()
                elif everything and _is_text(col):
                    keep = sa.true()
                elif name.endswith("_en") and f"{name[:-3]}_ja" in columns:
                    keep = table.c[f"{name[:-3]}_ja"].is_(None)  # the English shown for lack of a Japanese one
                elif name.endswith("_ja") or name == "name":
                    keep = sa.true()  # Japanese text may hold Latin proper names (COP29, E-KIZUNA)
                else:
                    continue
                for (value,) in c.execute(sa.select(col).where(col.isnot(None), keep)):
                    if isinstance(value, str):
                        words.update(LATIN_WORD.findall(URL.sub(" ", value)))
    return words


def _is_text(column) -> bool:
    import sqlalchemy as sa
    from sqlmodel.sql.sqltypes import AutoString

    return isinstance(column.type, (sa.String, AutoString))


def widget_text(app) -> str:
    """What the screen holds beyond the window: table cells and headers, labels, buttons, inputs'
    placeholders, dropdown options."""
    from textual.widgets import Button, DataTable, Input, Label, Select, Static

    parts: list[str] = []
    for widget in app.screen.query("*"):
        if isinstance(widget, DataTable):
            parts += [str(column.label) for column in widget.columns.values()]
            for row in range(widget.row_count):
                parts += [str(cell) for cell in widget.get_row_at(row)]
        elif isinstance(widget, Input):
            parts += [widget.placeholder or "", widget.value or ""]
        elif isinstance(widget, Select):
            parts += [str(prompt) for prompt, _value in widget._options]
        elif isinstance(widget, (Button, Label, Static)):
            parts.append(str(widget.visual) if hasattr(widget, "visual") else str(widget.render()))
    return "\n".join(parts)


def leaks(text: str, denied: dict[str, str], allowed: set[str]) -> list[str]:
    found = []
    text = URL.sub(" ", ZONE_ID.sub(" ", text))
    for phrase in TEXTUAL_DEFAULTS:
        if phrase in text:
            found.append(f"{phrase!r} (Textual's default)")
    for word in sorted(set(LATIN_WORD.findall(text))):
        if word in ALWAYS_ALLOWED or word in allowed:
            continue
        # a word cut by a column's width ("Natio…") or by a dialog over it ("KIZU") is part of
        # a word the data holds
        if word not in denied and any(word in whole for whole in allowed):
            continue
        # an English or code word the data does not hold
        why = denied.get(word) or denied.get(word.rstrip("s")) or "Latin word not in the data"
        if len(word) > 1 or word in denied:
            found.append(f"{word!r} ({why})")
    return found


ARROW_VALUE = re.compile(r"(?:^|[\s:])([A-Za-z_]+) → |→ ([A-Za-z_]+)\s*$", re.M)


def whole_values(text: str, denied: dict[str, str]) -> list[str]:
    """Old or new values in a history ("∅ → seminar", "JP → DE") that are a code, a field name
    or a country code: the words the vocabulary, the rule book or Babel has for them are meant."""
    found = []
    for match in ARROW_VALUE.finditer(text):
        value = match.group(1) or match.group(2)
        if value in denied and denied[value] != "English UI word":
            found.append(f"{value!r} ({denied[value]}, as a value)")
    return found


@pytest.fixture(autouse=True)
def language():
    set_language("ja")
    yield
    set_language("en")


DETAILS = [("city", "mannheim"), ("network", "urban7"), ("organisation", "un-habitat"),
           ("person", "peter-kurz"), ("event", "cop29"), ("session", "cop29-press-conference")]
# The kinds of record a form can be opened for: the lists' "n" and the pages' "a".
NEW_FORMS = ["city", "network", "organisation", "person", "event", "session", "relationship",
             "membership", "position", "participant", "commitment"]


async def walk(app, pilot, seen: dict[str, str]) -> None:
    from textual.widgets import Input

    """Open every screen in turn; ``seen[name]`` is what it showed (and, after a tab, what the
    user typed there: their own words)."""

    async def settle(rounds: int = 4) -> None:
        await tui_app.settle(app, pilot, rounds, pause=0.02)

    async def look(name: str) -> None:
        await settle()
        seen[name] = screen_text(app) + "\n" + widget_text(app)

    async def home() -> None:
        while len(app.screen_stack) > 2:
            app.pop_screen()
        await settle()

    await look("dashboard")
    for key, kind in zip("234567", ("city", "network", "organisation", "person", "event",
                                    "session")):
        await pilot.press(key)
        await look(f"list {kind}")
        await pilot.press("end")  # the end of the list, and its status line
        await look(f"list {kind} (end)")
        await pilot.press("question_mark")
        await look(f"help on list {kind}")
        await pilot.press("escape", "s")  # sorted by the next column: the status line says so
        await look(f"list {kind} sorted")
        if kind != "person":
            await pilot.press("F")
            await look(f"list {kind} conditions")
            if kind == "event":
                app.screen.query_one("#narrow-since").value = "令和6年1月1日"
                app.screen.query_one("#narrow-status").value = "held"
                await pilot.click("#narrow-apply")
                await look(f"list {kind} narrowed")
        await home()
    await pilot.press("8")
    await look("agenda")
    await home()
    for kind, slug in DETAILS:
        app.open_record(kind, slug)
        await look(f"{kind} page")
        await pilot.press("h")
        await look(f"{kind} history")
        await home()
    app.open_record("event", "cop29")
    await settle()
    await pilot.press("x")
    await look("export dialog")
    await home()
    app.open_record("network", "iclei")
    await settle()
    await pilot.press("d")
    await look("delete refused (dependents)")
    await home()
    app.open_record("person", "marcus-koenig")
    await settle()
    await pilot.press("d")
    await look("delete refused (a person in a session)")
    await home()
    app.open_record("organisation", "cabinet-office")
    await settle()
    await pilot.press("d")
    await look("delete confirmation")
    await home()
    await pilot.press("slash")
    await settle()
    for query in ("さいたま", "cop", "mannheim", "kurz"):
        app.screen.query_one("#search-input").value = query
        await settle(6)
        await look(f"search {query}")
        seen[f"search {query}"] += "\t" + query
    await home()
    await pilot.press("ctrl+p")
    await settle()
    await pilot.press(*"zzzq")
    await pilot.pause(0.8)  # "no matches" shows after half a second
    await look("palette (no match)")
    seen["palette (no match)"] += "\tzzzq"
    await pilot.press("escape")
    await pilot.press("ctrl+p")
    await settle()
    await pilot.press(*"バクー")
    await pilot.pause(0.5)
    await look("palette (records)")
    await pilot.press("escape")
    await home()
    await pilot.press("question_mark")
    await look("help on the dashboard")
    await pilot.press("escape")
    for kind in NEW_FORMS:
        app.open_form(kind)
        await look(f"new {kind} form")
        await home()
    app.open_form("city")
    await settle()
    app.screen.query_one("#f-name_ja").value = "テスト市"
    await settle()
    slug = app.screen.query_one("#f-slug").value  # made from the name typed: their data
    await pilot.press("escape")  # leaving a form with changes asks: save, discard or stay
    await look("leave a changed form")
    seen["leave a changed form"] += "\t" + slug
    await home()
    app.open_form("city")
    await settle()
    await pilot.click("#f-country")  # a picker: the countries by name
    await settle()
    app.screen.query_one(Input).value = "ドイツ"
    await look("country picker")
    await home()
    from citynet.services.records import find_by_slug

    app.open_form("event", record_id=find_by_slug(app.engine, "event", "cop29")["id"])
    await look("edit event form")
    await home()


# Screens that show the English fields' values beside the Japanese ones (as data, labelled 英語).
SHOWS_ENGLISH_FIELDS = ("history", "edit ")


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_every_screen_speaks_japanese(engine, size):
    denied = deny_words()
    proper = allowed_data_words(engine) - set(UI_WORDS)
    everything = allowed_data_words(engine, everything=True)
    report: list[str] = []

    async def go():
        from citynet.tui.application import CitynetApp

        app = CitynetApp(engine=engine, keymap={})
        seen: dict[str, str] = {}
        async with app.run_test(size=size) as pilot:
            await walk(app, pilot, seen)
        return seen

    seen = asyncio.run(go())
    assert len(seen) >= 45, sorted(seen)  # every screen was reached
    for name, text in seen.items():
        assert "Traceback" not in text, name
        text, _tab, typed = text.partition("\t")
        if name == "country picker":
            # deliberate: the picker shows the code beside the name, "ドイツ (DE)", as one
            # finds a country by typing its code too; never a code on its own
            text = re.sub(r"(?<=[^\sA-Za-z]) \([A-Z]{2}\)", "", text)
        shows_values = any(mark in name for mark in SHOWS_ENGLISH_FIELDS)
        allowed = set(LATIN_WORD.findall(typed)) | (everything if shows_values else proper)
        for leak in leaks(text, denied, allowed):
            report.append(f"{name}: {leak}")
        if shows_values:  # English sentences, but never a code or a field name as a value
            for leak in whole_values(text, denied):
                report.append(f"{name}: {leak}")
    assert not report, "\n".join(report)


def test_the_deny_list_catches_what_it_should():
    """The checker itself: codes, field names and country codes fail; data names pass."""
    denied = deny_words()
    allowed = {"Peter", "Kurz", "COP29"}
    assert "theme_ja" in denied and "event_id" in denied and "slug" in denied
    assert "seminar" in denied and "planned" in denied and "public" in denied and "host" in denied
    assert "JP" in denied and "DE" in denied
    assert leaks("種類: seminar → 予定", denied, allowed)
    assert leaks("テーマ（日本語） theme_ja", denied, allowed)
    assert leaks("バクー（AZ）", denied, allowed)
    assert leaks("Search for commands…", denied, allowed)
    assert leaks("名前 Name", denied, allowed)
    assert not leaks("ペーター・クルツ Peter Kurz COP29 Asia/Tokyo esc 戻る", denied, allowed)
    assert whole_values("種類  ∅ → seminar", denied) and whole_values("国 JP → DE", denied)
    assert not whole_values("備考（英語）  ∅ → a seminar on site", denied)


def test_history_values_in_words():
    """A history's countries and dates read as words in the UI language, never as codes."""
    from citynet.presenters.history import field_value_words

    assert field_value_words("city", "country", "DE", "Asia/Tokyo", {}) == "ドイツ"
    assert field_value_words("event", "start_date", "2024-11-11", "Asia/Tokyo", {}) == \
        "2024年11月11日"
    assert field_value_words("event", "status", "planned", "Asia/Tokyo", {}) == "予定"
    set_language("en")
    assert field_value_words("city", "country", "DE", "Asia/Tokyo", {}) == "Germany"
    assert field_value_words("event", "start_date", "2024-11-11", "Asia/Tokyo", {}) == \
        "11 November 2024"
