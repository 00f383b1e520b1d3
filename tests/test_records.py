"""Saving records: validation, optimistic locking and deletes that say what depends on a record."""

from __future__ import annotations

import random
from datetime import date, datetime, timezone

import pytest

from citynet.errors import ConflictError
from citynet.services import records
from citynet.services.rules import ValidationError

BAKU = {"slug": "baku", "name_ja": "バクー", "name_en": "Baku", "country": "AZ",
        "timezone": "Asia/Baku"}


def _event(**overrides):
    values = {"slug": "cop29", "kind": "conference", "title_en": "COP29", "title_ja": "COP29",
              "start_date": "2024-11-11", "end_date": "2024-11-22", "timezone": "Asia/Baku"}
    values.update(overrides)
    return values


def test_create_then_update_bumps_revision(engine):
    city = records.create_record(engine, "city", BAKU, origin="form")
    assert city.revision == 1
    updated = records.update_record(engine, "city", city.id, 1, {"name_ja": "バクー市"}, origin="form")
    assert updated.revision == 2
    assert records.get_values(engine, "city", city.id)["name_ja"] == "バクー市"


def test_second_saver_from_the_same_revision_is_refused_and_first_save_kept(engine):
    city = records.create_record(engine, "city", BAKU, origin="form")
    records.update_record(engine, "city", city.id, 1, {"name_en": "Baku (first)"}, origin="form")
    with pytest.raises(ConflictError) as refused:
        records.update_record(engine, "city", city.id, 1, {"name_en": "Baku (second)"}, origin="form")
    assert "revision 2" in str(refused.value)
    values = records.get_values(engine, "city", city.id)
    assert values["name_en"] == "Baku (first)" and values["revision"] == 2


def test_refusal_names_the_user_who_saved_and_when(engine, monkeypatch):
    monkeypatch.setenv("CITYNET_USER", "tanaka")
    monkeypatch.setenv("CITYNET_CONFIG", "/nonexistent/citynet.toml")
    city = records.create_record(engine, "city", BAKU, origin="form")
    records.update_record(engine, "city", city.id, 1, {"name_en": "Baku (tanaka)"}, origin="form")
    with pytest.raises(ConflictError) as refused:
        records.update_record(engine, "city", city.id, 1, {"name_en": "Baku (sato)"}, user="sato", origin="form")
    assert str(refused.value).startswith("tanaka saved this record at ")
    assert " UTC (revision 2, you started from 1)" in str(refused.value)  # no home city: UTC


def test_randomised_interleavings_never_lose_a_save(engine):
    """Several editors start from whatever revision they last saw; exactly the saves made from
    the current revision win, and the stored value is the last winning one."""
    city = records.create_record(engine, "city", BAKU, origin="form")
    rng = random.Random(2024)
    seen = {editor: 1 for editor in range(4)}
    stored_revision, last_written = 1, "Baku"
    for step in range(40):
        editor = rng.randrange(4)
        name = f"Baku {editor}.{step}"
        try:
            info = records.update_record(engine, "city", city.id, seen[editor], {"name_en": name}, origin="form")
        except ConflictError:
            assert seen[editor] != stored_revision
            seen[editor] = records.get_values(engine, "city", city.id)["revision"]
            continue
        assert seen[editor] == stored_revision
        stored_revision, last_written = info.revision, name
        seen[editor] = info.revision
    values = records.get_values(engine, "city", city.id)
    assert (values["revision"], values["name_en"]) == (stored_revision, last_written)


@pytest.mark.parametrize("field, value, problem", [
    ("timezone", "Asia/Bakuu", "unknown time zone"),
    ("end_date", "2024-11-01", "ends before"),
    ("start_date", "2024-02-31", "has 29 days"),
    ("kind", "party", "choose one of: summit, conference"),
    ("slug", "COP 29", "not a valid slug"),
])
def test_invalid_event_is_refused_and_nothing_saved(engine, field, value, problem):
    with pytest.raises(ValidationError) as refused:
        records.create_record(engine, "event", _event(**{field: value}), origin="form")
    assert refused.value.field == field
    assert problem in str(refused.value)
    from citynet.services.dump import is_empty

    assert is_empty(engine)


def test_duplicate_slug_is_refused(engine):
    records.create_record(engine, "city", BAKU, origin="form")
    with pytest.raises(ValidationError, match="already in use"):
        records.create_record(engine, "city", BAKU, origin="form")


def test_session_end_before_start_is_refused(engine):
    records.create_record(engine, "city", BAKU, origin="form")
    event = records.create_record(engine, "event", _event(), origin="form")
    start = datetime(2024, 11, 11, 9, 0, tzinfo=timezone.utc)
    with pytest.raises(ValidationError, match="ends before"):
        records.create_record(engine, "session", {
            "slug": "press", "event_id": event.id, "kind": "press_conference", "title_en": "Press",
            "starts_at": start, "ends_at": start.replace(hour=8)}, origin="form")


def test_a_time_without_offset_is_venue_time_and_needs_a_venue(engine):
    event = records.create_record(engine, "event", _event(), origin="form")
    session = records.create_record(engine, "session", {
        "slug": "press", "event_id": event.id, "kind": "press_conference", "title_en": "Press",
        "starts_at": "2024-11-11T13:00:00"}, origin="form")
    # 13:00 in Baku (UTC+4) is 09:00 UTC
    stored = records.get_values(engine, "session", session.id)["starts_at"]
    assert stored.astimezone(timezone.utc) == datetime(2024, 11, 11, 9, 0, tzinfo=timezone.utc)
    with pytest.raises(ValidationError, match="time zone"):  # no event: no venue, no zone
        records.create_record(engine, "session", {
            "slug": "press-2", "kind": "press_conference", "title_en": "Press",
            "starts_at": "2024-11-11 13:00"}, origin="form")


def test_delete_names_what_depends_and_keeps_the_record(engine):
    city = records.create_record(engine, "city", BAKU, origin="form")
    records.create_record(engine, "event", _event(city_id=city.id), origin="form")
    assert [(d.kind, d.count) for d in records.dependents(engine, "city", city.id)] == [("event", 1)]
    with pytest.raises(ValidationError, match="1 event"):
        records.delete_record(engine, "city", city.id, 1, origin="form")
    assert records.get_values(engine, "city", city.id)["slug"] == "baku"


def test_delete_with_stale_revision_is_refused(engine):
    city = records.create_record(engine, "city", BAKU, origin="form")
    records.update_record(engine, "city", city.id, 1, {"notes_en": "host of COP29"}, origin="form")
    with pytest.raises(ConflictError):
        records.delete_record(engine, "city", city.id, 1, origin="form")
    records.delete_record(engine, "city", city.id, 2, origin="form")
    assert records.dependents(engine, "city", city.id) == []


def test_dates_are_kept_as_dates(engine):
    event = records.create_record(engine, "event", _event(attend_start="2024-11-11",
                                                         attend_end="2024-11-13"), origin="form")
    values = records.get_values(engine, "event", event.id)
    assert values["attend_end"] == date(2024, 11, 13)


def test_attendance_outside_the_event_is_refused(engine):
    with pytest.raises(ValidationError, match="attendance"):
        records.create_record(engine, "event", _event(attend_start="2024-11-23"), origin="form")
