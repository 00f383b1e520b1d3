"""One rule book: the form, a spreadsheet import and a dump restore refuse the same bad input
with the same message, naming the field by its label and a vocabulary by its words — and accept
the same good input (令和8年度, FY2026, 2021-04) as the same value.

Each case gives the values as a form sends them (and as a dump row holds them), and, where the
import can carry that kind of record, the cells of a spreadsheet row.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from citynet.errors import CitynetError
from citynet.services import records
from citynet.services.dump import check_dump, export_json, restore_dump
from citynet.services.importer import import_file
from citynet.services.rules import ValidationError

BIG = "1" * 31  # a whole number far beyond any integer column
LONG = "x" * 501  # one character over the limit of a one-line text

# Refs in form values: "@kind" is replaced by the id of the base record of that kind.
CITY = {"slug": "bonn", "name_en": "Bonn", "country": "DE", "timezone": "Europe/Berlin"}
SESSION = {"slug": "talks", "event_id": "@event", "title_en": "Talks", "kind": "seminar"}
EVENT = {"slug": "visit", "title_en": "Visit", "kind": "meeting", "timezone": "Asia/Tokyo"}
POSITION = {"slug": "mayor-x", "person_id": "@person", "city_id": "@city", "title_en": "Mayor"}
PERSON_ROW = {"family_name_latin": "Newman", "given_name_latin": "Ann", "title_en": "Mayor",
              "city": "Base City"}
PARTICIPANT = {"session_id": "@session", "person_id": "@person", "role": "speaker"}
PARTICIPANT_ROW = {"event": "base-event", "session": "base-session", "person": "base-person",
                   "role": "speaker"}


def _without(values: dict, *names: str) -> dict:
    return {k: v for k, v in values.items() if k not in names}


# (id, kind, form values, import kind or None, import cells, the message)
CASES = [
    ("nameless-city", "city", _without(CITY, "name_en"), "cities", _without(CITY, "name_en"),
     "Name (Japanese): give a name in Japanese or in English"),
    ("city-without-country", "city", _without(CITY, "country"), "cities",
     _without(CITY, "country"), "Country: a value is required"),
    ("unknown-country-name", "city", {**CITY, "country": "Atlantis"}, "cities",
     {**CITY, "country": "Atlantis"}, "Country: unknown country: 'Atlantis'"),
    ("unknown-country-code", "city", {**CITY, "country": "XX"}, "cities", {**CITY, "country": "XX"},
     "Country: unknown country: 'XX'"),
    ("city-without-zone", "city", _without(CITY, "timezone") | {"country": "US"}, "cities",
     _without(CITY, "timezone") | {"country": "US"}, "Time zone: a value is required"),
    ("unknown-zone", "city", {**CITY, "timezone": "Mars/Olympus"}, "cities",
     {**CITY, "timezone": "Mars/Olympus"}, "Time zone: unknown time zone: 'Mars/Olympus'"),
    ("latitude-91", "city", {**CITY, "latitude": "91"}, "cities", {**CITY, "latitude": "91"},
     "Latitude: must lie between -90 and 90"),
    ("longitude--181", "city", {**CITY, "longitude": "-181"}, "cities",
     {**CITY, "longitude": "-181"}, "Longitude: must lie between -180 and 180"),
    ("latitude-words", "city", {**CITY, "latitude": "north"}, "cities",
     {**CITY, "latitude": "north"}, "Latitude: write a number, such as 35.86"),
    ("latitude-nan", "city", {**CITY, "latitude": "nan"}, "cities", {**CITY, "latitude": "nan"},
     "Latitude: write a number, such as 35.86"),
    ("nul-in-name", "city", {**CITY, "name_en": "Bo\x00nn"}, "cities", {**CITY, "name_en": "Bo\x00nn"},
     "Name (English): contains a control character (U+0000)"),
    ("bell-in-name", "city", {**CITY, "name_ja": "ボ\x07ン"}, "cities", {**CITY, "name_ja": "ボ\x07ン"},
     "Name (Japanese): contains a control character (U+0007)"),
    ("name-too-long", "city", {**CITY, "name_en": LONG}, "cities", {**CITY, "name_en": LONG},
     "Name (English): longer than 500 characters"),
    ("bad-slug", "city", {**CITY, "slug": "Bad Slug!"}, "cities", {**CITY, "slug": "Bad Slug!"},
     "Slug: not a valid slug: 'Bad Slug!'"),
    ("home-maybe", "city", {**CITY, "is_home": "maybe"}, None, None, "Home city: write yes or no"),
    ("nameless-organisation", "organisation", {"slug": "org", "kind": "ngo"}, "organisations",
     {"slug": "org", "kind": "ngo"}, "Name (Japanese): give a name in Japanese or in English"),
    ("unknown-organisation-kind", "organisation", {"slug": "org", "name_en": "Org", "kind": "party"},
     "organisations", {"slug": "org", "name_en": "Org", "kind": "party"},
     "Kind: choose one of: city government, local government"),
    ("abbreviation-too-long", "organisation", {"slug": "org", "name_en": "Org", "kind": "ngo",
                                               "abbreviation": "A" * 33},
     "organisations", {"slug": "org", "name_en": "Org", "kind": "ngo", "abbreviation": "A" * 33},
     "Abbreviation: longer than 32 characters"),
    ("organisation-country", "organisation", {"slug": "org", "name_en": "Org", "kind": "ngo",
                                              "country": "Narnia"},
     "organisations", {"slug": "org", "name_en": "Org", "kind": "ngo", "country": "Narnia"},
     "Country: unknown country: 'Narnia'"),
    ("nameless-person", "person", {"slug": "nobody", "email": "a@example.org"}, "people",
     {"slug": "nobody", "email": "a@example.org"},
     "Family name (Japanese): give a name in Japanese or in English"),
    ("unknown-name-order", "person", {"slug": "ann", "family_name_latin": "Newman",
                                      "name_order": "backwards"},
     "people", {"slug": "ann", "family_name_latin": "Newman", "name_order": "backwards"},
     "Name order: choose one of: family name first, given name first, single name"),
    ("nul-in-family-name", "person", {"slug": "ann", "family_name_latin": "New\x00man"}, "people",
     {"slug": "ann", "family_name_latin": "New\x00man"},
     "Family name (Latin): contains a control character (U+0000)"),
    ("newline-in-honorific", "person", {"slug": "ann", "family_name_latin": "Newman",
                                        "honorific_en": "Dr\nProf"},
     "people", {"slug": "ann", "family_name_latin": "Newman", "honorific_en": "Dr\nProf"},
     "Honorific (English): contains a control character (U+000A)"),
    ("position-start-not-a-date", "position", {**POSITION, "start": "いつか"}, "people",
     {**PERSON_ROW, "start": "いつか"}, "From: Cannot read 'いつか' as a date"),
    ("position-start-no-such-era-year", "position", {**POSITION, "start": "平成32年"}, "people",
     {**PERSON_ROW, "start": "平成32年"}, "From: 平成32年: 平成32年 does not exist"),
    ("position-ends-before-start", "position", {**POSITION, "start": "2020", "end": "2019"},
     "people", {**PERSON_ROW, "start": "2020", "end": "2019"}, "Until: ends before From"),
    ("position-no-such-month", "position", {**POSITION, "start": "2021-13"}, "people",
     {**PERSON_ROW, "start": "2021-13"}, "From: 2021-13: there is no month 13."),
    ("nameless-session", "session", _without(SESSION, "title_en"), None, None,
     "Title (Japanese): give a name in Japanese or in English"),
    ("session-without-kind", "session", _without(SESSION, "kind"), None, None,
     "Kind: choose one of: press conference, high-level talks, seminar"),
    ("unknown-session-kind", "session", {**SESSION, "kind": "party"}, None, None,
     "Kind: choose one of: press conference, high-level talks, seminar"),
    ("session-ends-before-start", "session", {**SESSION, "starts_at": "2024-11-12 10:00",
                                              "ends_at": "2024-11-12 09:00"}, None, None,
     "Ends (venue time): ends before Starts (venue time)"),
    ("session-no-such-time", "session", {**SESSION, "starts_at": "2024-11-12 25:00"}, None, None,
     "Starts (venue time): 25:00: there is no such time"),
    ("unknown-session-status", "session", {**SESSION, "status": "done"}, None, None,
     "Status: choose one of: planned, confirmed, held, cancelled"),
    ("event-without-zone", "event", _without(EVENT, "timezone"), None, None,
     "Time zone: a value is required"),
    ("event-no-such-day", "event", {**EVENT, "start_date": "2024-02-30"}, None, None,
     "Start date: 2024-02-30: month 2 of 2024 has 29 days."),
    ("unknown-visibility", "event", {**EVENT, "visibility": "secret"}, None, None,
     "Visibility: choose one of: public, internal, confidential"),
    ("order-out-of-range", "participant", {**PARTICIPANT, "sort_order": BIG}, "participants",
     {**PARTICIPANT_ROW, "sort_order": BIG}, "Order: must lie between 0 and 2147483647"),
    ("negative-order", "participant", {**PARTICIPANT, "sort_order": "-1"}, "participants",
     {**PARTICIPANT_ROW, "sort_order": "-1"}, "Order: must lie between 0 and 2147483647"),
    ("unknown-role", "participant", {**PARTICIPANT, "role": "boss"}, "participants",
     {**PARTICIPANT_ROW, "role": "boss"}, "Role: choose one of: Host, Moderator, Speaker"),
    ("order-in-words", "participant", {**PARTICIPANT, "sort_order": "first"}, "participants",
     {**PARTICIPANT_ROW, "sort_order": "first"}, "Order: write a whole number"),
]


@pytest.fixture
def base(engine):
    """A city, an event with one session, and a person: what the cases refer to."""
    with records.writing(engine, origin="cli") as writer:
        ids = {
            "city": writer.create("city", {"slug": "base-city", "name_en": "Base City",
                                           "country": "DE", "timezone": "Europe/Berlin"}).id,
            "event": writer.create("event", {"slug": "base-event", "title_en": "Base event",
                                             "kind": "meeting", "timezone": "Asia/Baku"}).id,
            "person": writer.create("person", {"slug": "base-person", "family_name_latin": "Base",
                                               "given_name_latin": "Person"}).id,
        }
        ids["session"] = writer.create("session", {"slug": "base-session", "title_en": "Base",
                                                   "kind": "seminar", "event_id": ids["event"]}).id
    return ids


def _form_values(values: dict, ids: dict) -> dict:
    return {k: ids[v[1:]] if isinstance(v, str) and v.startswith("@") else v
            for k, v in values.items()}


def form_message(engine, kind: str, values: dict) -> str:
    """What the form shows: it hands what was typed to the write path (as its worker does)."""
    from citynet.tui.screens.form import save_record

    with pytest.raises(ValidationError) as refused:
        save_record(engine, kind, None, None, values)
    return str(refused.value)


def import_message(engine, kind: str, cells: dict, path: Path) -> str:
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(list(cells))
        writer.writerow(list(cells.values()))
    report = import_file(engine, kind, path, "csv")
    assert not report.written and len(report.rejected) == 1, report
    return report.rejected[0].message


def restore_message(engine, kind: str, values: dict) -> str:
    """What a restore (--force, into this very database) says about a dump holding the row."""
    model = records.model_for(kind)
    stamp = "2026-01-01T00:00:00Z"
    defaults = records.defaults(kind)
    row = {**{c.name: None for c in model.__table__.columns}, **defaults, **values,
           "id": 900_000, "uuid": "00000000-0000-4000-8000-000000000001", "created_at": stamp,
           "updated_at": stamp, "revision": 1, "updated_by": None}
    data = export_json(engine)
    data["tables"][model.__tablename__].append(row)
    with pytest.raises(CitynetError) as refused:
        restore_dump(engine, check_dump(data), replace=True)
    return str(refused.value)


@pytest.mark.parametrize("case", CASES, ids=[case[0] for case in CASES])
def test_form_import_and_restore_refuse_with_the_same_message(engine, base, tmp_path, case):
    _id, kind, values, import_kind, cells, expected = case
    before = export_json(engine)
    values = _form_values(values, base)
    message = form_message(engine, kind, values)
    assert expected in message
    assert message.split(": ", 1)[0] == expected.split(": ", 1)[0]  # the field by its label
    if import_kind is not None:
        assert message in import_message(engine, import_kind, cells, tmp_path / "in.csv")
    assert message in restore_message(engine, kind, values)
    assert export_json(engine) == before  # nothing changed anywhere


def test_there_are_at_least_thirty_cases():
    assert len(CASES) >= 30
    assert sum(1 for case in CASES if case[3] is not None) >= 20


@pytest.mark.parametrize("typed, stored", [("令和8年度", "FY2026"), ("FY2026", "FY2026"),
                                           ("2021-04", "2021-04"), ("ＦＹ２０２６", "FY2026"),
                                           ("令和3年4月", "2021-04")])
def test_fiscal_years_and_months_are_read_alike_everywhere(engine, base, tmp_path, typed, stored):
    from citynet.tui.screens.form import save_record

    form = save_record(engine, "position", None, None,
                       _form_values({**POSITION, "slug": "by-form", "start": typed}, base))
    assert records.get_values(engine, "position", form.id)["start"] == stored

    path = tmp_path / "people.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["slug", "family_name_latin", "title_en", "city", "start"])
        writer.writerow(["by-import", "Importer", "Deputy Mayor", "Base City", typed])
    report = import_file(engine, "people", path, "csv")
    assert report.written, report.rejected
    imported = [row for row in export_json(engine)["tables"]["position"]
                if row["title_en"] == "Deputy Mayor"]
    assert [row["start"] for row in imported] == [stored]

    data = export_json(engine)
    row = dict(data["tables"]["position"][-1])
    row.update(id=900_001, uuid="00000000-0000-4000-8000-000000000002", slug="by-restore",
               start=typed)
    data["tables"]["position"].append(row)
    restore_dump(engine, check_dump(data), replace=True)
    assert records.find_by_slug(engine, "position", "by-restore")["start"] == stored


def test_messages_are_in_the_ui_language(engine, base):
    from citynet.i18n import set_language

    set_language("ja")
    try:
        message = form_message(engine, "session", _form_values({**SESSION, "kind": "party"}, base))
    finally:
        set_language("en")
    assert message.startswith("種類") and "セミナー" in message and "seminar" not in message
