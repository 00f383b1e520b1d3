"""The change history: every create, update and delete through the records service leaves one
``change`` row with field-level old → new values, in the same transaction (a refused save leaves
none); ``history()`` reads it back per record, event, city, person or day; ``citynet history``."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone

import pytest
from test_dump import without_restore_entry
import sqlalchemy as sa

from citynet.errors import ConflictError, NotFound
from citynet.services import records
from citynet.services.dump import dumps, export_json, import_json
from citynet.services.history import current_user, format_instant, history
from citynet.services.hits import search
from citynet.services.rules import ValidationError
from citynet.store import models as m

BAKU = {"slug": "baku", "name_ja": "バクー", "name_en": "Baku", "country": "AZ",
        "timezone": "Asia/Baku"}
COP29 = {"slug": "cop29", "kind": "conference", "title_en": "COP29", "title_ja": "COP29",
         "start_date": "2024-11-11", "end_date": "2024-11-22", "timezone": "Asia/Baku"}


def changes_of(view) -> dict:
    return {c.field: [c.old, c.new] for c in view.changes}


def change_rows(engine) -> int:
    with engine.connect() as connection:
        return connection.execute(sa.select(sa.func.count()).select_from(m.Change.__table__)).scalar_one()


def test_create_update_delete_are_recorded_with_old_and_new_values(engine):
    city = records.create_record(engine, "city", BAKU, user="sato", origin="form")
    event = records.create_record(engine, "event", {**COP29, "city_id": city.id}, user="sato", origin="form")
    records.update_record(engine, "event", event.id, 1, {
        "title_en": "COP29 Baku", "end_date": "2024-11-23",
        "starts_at": "2024-11-11T10:00:00+04:00", "ends_at": "2024-11-11T12:00:00+04:00"},
        user="tanaka", origin="form")
    records.update_record(engine, "event", event.id, 2, {"city_id": None, "notes_en": None},
                          user="tanaka", origin="form")  # notes_en unchanged: not listed
    records.delete_record(engine, "event", event.id, 3, user="suzuki", origin="form")

    found = history(engine, kind="event", record_id=event.id)
    assert [(v.action, v.user, v.slug) for v in found] == [
        ("delete", "suzuki", "cop29"), ("update", "tanaka", "cop29"),
        ("update", "tanaka", "cop29"), ("create", "sato", "cop29")]
    delete, second, first, create = found
    assert changes_of(create) == {
        "slug": [None, "cop29"], "kind": [None, "conference"], "title_ja": [None, "COP29"],
        "title_en": [None, "COP29"], "start_date": [None, "2024-11-11"],
        "end_date": [None, "2024-11-22"], "timezone": [None, "Asia/Baku"],
        "city_id": [None, city.id], "status": [None, "planned"], "visibility": [None, "public"]}
    assert changes_of(first) == {
        "title_en": ["COP29", "COP29 Baku"], "end_date": ["2024-11-22", "2024-11-23"],
        "starts_at": [None, "2024-11-11T06:00:00Z"], "ends_at": [None, "2024-11-11T08:00:00Z"]}
    assert changes_of(second) == {"city_id": [city.id, None]}
    assert changes_of(delete)["title_en"] == ["COP29 Baku", None]
    assert changes_of(delete)["starts_at"] == ["2024-11-11T06:00:00Z", None]
    assert all(v.at.tzinfo is not None and v.at.utcoffset() == timedelta(0) for v in found)
    # The stored text is JSON, field order as in the table.
    with engine.connect() as connection:
        text = connection.execute(sa.select(m.Change.__table__.c.changes)
                                  .where(m.Change.__table__.c.id == create.id)).scalar_one()
    assert list(json.loads(text))[:3] == ["slug", "kind", "title_ja"]


def test_updated_by_is_stamped_and_the_search_index_kept(engine):
    city = records.create_record(engine, "city", BAKU, user="sato", origin="form")
    assert records.get_values(engine, "city", city.id)["updated_by"] == "sato"
    records.update_record(engine, "city", city.id, 1, {"name_ja": "ギャンジャ"}, user="tanaka",
                          origin="form")
    values = records.get_values(engine, "city", city.id)
    assert values["updated_by"] == "tanaka"
    assert [h.slug for h in search(engine, "ぎゃんじゃ").hits] == ["baku"]
    with engine.connect() as c:  # the old name is gone from the index
        terms = set(c.execute(sa.select(m.SearchTerm.term).where(
            m.SearchTerm.kind == "city", m.SearchTerm.record_id == city.id)).scalars())
    assert "ぎゃんじゃ" in terms and "ばくー" not in terms


def test_managed_fields_cannot_be_set_by_a_form(engine):
    with pytest.raises(ValidationError, match="no such field"):
        records.create_record(engine, "city", {**BAKU, "updated_by": "mallory"}, origin="form")
    with pytest.raises(ValidationError, match="no such field"):
        records.create_record(engine, "city", {**BAKU, "revision": 7}, origin="form")


def test_refused_saves_record_nothing(engine):
    city = records.create_record(engine, "city", BAKU, user="sato", origin="form")
    event = records.create_record(engine, "event", {**COP29, "city_id": city.id}, origin="form")
    assert change_rows(engine) == 2
    with pytest.raises(ValidationError):
        records.create_record(engine, "city", BAKU, origin="form")  # duplicate slug: the database refuses
    with pytest.raises(ValidationError):
        records.update_record(engine, "city", city.id, 1, {"timezone": "Mars/Olympus"}, origin="form")
    with pytest.raises(ConflictError):
        records.update_record(engine, "city", city.id, 7, {"name_en": "x"}, origin="form")
    with pytest.raises(ValidationError):
        records.delete_record(engine, "city", city.id, 1, origin="form")  # the event depends on it
    with pytest.raises(ConflictError):
        records.delete_record(engine, "event", event.id, 5, origin="form")
    assert change_rows(engine) == 2


def test_a_failing_history_write_undoes_the_save(engine, monkeypatch):
    """Same transaction: if the change row cannot be written, the save is not kept either."""
    city = records.create_record(engine, "city", BAKU, origin="form")

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(records.Writer, "_record_changes", broken)
    with pytest.raises(RuntimeError):
        records.update_record(engine, "city", city.id, 1, {"name_en": "Lost"}, origin="form")
    with pytest.raises(RuntimeError):
        records.create_record(engine, "city", {**BAKU, "slug": "baku-2"}, origin="form")
    with pytest.raises(RuntimeError):
        records.delete_record(engine, "city", city.id, 1, origin="form")
    values = records.get_values(engine, "city", city.id)
    assert (values["name_en"], values["revision"]) == ("Baku", 1)
    with engine.connect() as connection:
        assert connection.execute(sa.text("SELECT count(*) FROM city")).scalar_one() == 1


def _event_with_children(engine):
    city = records.create_record(engine, "city", BAKU, origin="form")
    other = records.create_record(engine, "city", {**BAKU, "slug": "tokyo", "name_en": "Tokyo",
                                                   "country": "JP", "timezone": "Asia/Tokyo"}, origin="form")
    event = records.create_record(engine, "event", {**COP29, "city_id": city.id}, origin="form")
    press = records.create_record(engine, "session", {"slug": "press", "event_id": event.id,
                                                      "kind": "press_conference", "title_en": "Press"},
                                   origin="form")
    talks = records.create_record(engine, "session", {"slug": "talks", "event_id": event.id,
                                                      "kind": "high_level_talks", "title_en": "Talks"},
                                   origin="form")
    person = records.create_record(engine, "person", {"slug": "shimizu-hayato",
                                                      "family_name_ja": "清水", "given_name_ja": "勇人"}, origin="form")
    position = records.create_record(engine, "position", {
        "slug": "mayor", "person_id": person.id, "city_id": other.id, "title_en": "Mayor"}, origin="form")
    participant = records.create_record(engine, "participant", {
        "session_id": talks.id, "person_id": person.id, "role": "speaker"}, origin="form")
    org = records.create_record(engine, "organisation", {"slug": "unfccc", "kind": "un_body",
                                                         "name_en": "UNFCCC"}, origin="form")
    role = records.create_record(engine, "organisation_role", {
        "event_id": event.id, "organisation_id": org.id, "role": "host"}, origin="form")
    relationship = records.create_record(engine, "relationship", {
        "slug": "tokyo-friendship", "city_id": other.id, "kind": "friendship"}, origin="form")
    return dict(city=city, other=other, event=event, press=press, talks=talks, person=person,
                position=position, participant=participant, org=org, role=role,
                relationship=relationship)


def test_event_city_and_person_scopes_include_their_parts_even_deleted(engine):
    r = _event_with_children(engine)
    records.delete_record(engine, "participant", r["participant"].id, 1, origin="form")
    records.delete_record(engine, "session", r["talks"].id, 1, origin="form")  # gone, but its history stays
    records.update_record(engine, "organisation", r["org"].id, 1, {"name_ja": "国連気候変動枠組条約"}, origin="form")

    def seen(**scope):
        return sorted({(v.kind, v.record_id, v.action) for v in history(engine, **scope)})

    assert seen(event="cop29") == sorted([
        ("event", r["event"].id, "create"),
        ("session", r["press"].id, "create"),
        ("session", r["talks"].id, "create"), ("session", r["talks"].id, "delete"),
        ("participant", r["participant"].id, "create"),
        ("participant", r["participant"].id, "delete"),
        ("organisation_role", r["role"].id, "create")])
    assert seen(city="tokyo") == sorted([
        ("city", r["other"].id, "create"), ("position", r["position"].id, "create"),
        ("relationship", r["relationship"].id, "create")])
    assert seen(person="shimizu-hayato") == sorted([
        ("person", r["person"].id, "create"), ("position", r["position"].id, "create")])
    # A deleted record's slug still names its history; a slug never seen is an error.
    assert [v.action for v in history(engine, slug="talks")] == ["delete", "create"]
    with pytest.raises(NotFound):
        history(engine, event="cop30")


def test_since_is_a_day_in_home_time_and_limit_keeps_the_newest(engine):
    records.create_record(engine, "city", {**BAKU, "slug": "saitama", "country": "JP",
                                           "timezone": "Asia/Tokyo", "is_home": True}, origin="form")
    city = records.create_record(engine, "city", BAKU, origin="form")
    for step in range(3):
        records.update_record(engine, "city", city.id, step + 1, {"notes_en": f"note {step}"}, origin="form")
    with engine.begin() as connection:  # move the first two changes back in time
        table = m.Change.__table__
        connection.execute(sa.update(table).where(table.c.id <= 2).values(
            at=datetime(2024, 11, 10, 15, 30, tzinfo=timezone.utc)))  # 00:30 on the 11th in Japan
    assert len(history(engine, since=date(2024, 11, 11))) == 5
    assert len(history(engine, since=date(2024, 11, 12))) == 3
    assert len(history(engine, since=date.today() + timedelta(days=2))) == 0
    newest = history(engine, limit=2)
    assert [changes_of(v)["notes_en"][1] for v in newest] == ["note 2", "note 1"]


def test_current_user_order(tmp_path, monkeypatch):
    config = tmp_path / "config.toml"
    monkeypatch.setenv("CITYNET_CONFIG", str(config))
    monkeypatch.setenv("CITYNET_USER", "from-env")
    assert current_user() == "from-env"
    config.write_text('user = "Sato Hanako"\n', encoding="utf-8")
    assert current_user() == "Sato Hanako"
    assert current_user("explicit") == "explicit"
    config.write_text("", encoding="utf-8")
    monkeypatch.delenv("CITYNET_USER")
    import getpass

    assert current_user() == getpass.getuser()


def test_format_instant_names_the_zone():
    at = datetime(2024, 11, 11, 9, 0, tzinfo=timezone.utc)
    assert format_instant(at, "Asia/Tokyo") == "2024-11-11 18:00 JST"
    assert format_instant(at, "UTC") == "2024-11-11 09:00 UTC"
    assert format_instant(at, "Asia/Baku") == "2024-11-11 13:00 UTC+4"


def test_history_is_in_the_dump_and_round_trips(engine, open_db, tmp_path):
    from citynet.demo.loader import load_demo

    load_demo(engine)
    demo_rows = change_rows(engine)  # the demo loader writes through the write path too
    assert demo_rows == sum(len(rows) for name, rows in export_json(engine)["tables"].items()
                            if name != "change")
    ganja = {**BAKU, "slug": "ganja", "name_ja": "ギャンジャ", "name_en": "Ganja"}
    city_id = records.create_record(engine, "city", ganja, user="sato", origin="form").id
    records.update_record(engine, "city", city_id, 1, {"name_ja": "ギャンジャ市"}, user="tanaka", origin="form")
    dump = export_json(engine)
    changes = dump["tables"]["change"]
    assert {row["origin"] for row in changes[:demo_rows]} == {"demo"}
    assert [(row["action"], row["origin"]) for row in changes[demo_rows:]] == [
        ("create", "form"), ("update", "form")]
    assert list(dump["tables"])[-1] == "change"
    copy = open_db(f"sqlite:///{tmp_path / 'copy.db'}")
    import_json(copy, json.loads(dumps(dump)))
    assert dumps(without_restore_entry(export_json(copy))) == dumps(dump)
    assert [v.user for v in history(copy, slug="ganja")] == ["tanaka", "sato"]


# --- the command line ---------------------------------------------------------------------------


def test_cli_history_lines_and_bad_date(cli):
    from citynet.store.db import open_database

    cli.load_demo()
    engine = open_database(cli.db_url)
    try:
        values = {"slug": "cop29-press", "kind": "press_conference", "title_en": "Press",
                  "event_id": None}
        with engine.connect() as connection:
            values["event_id"] = connection.execute(
                sa.text("SELECT id FROM event WHERE slug = 'cop29'")).scalar_one()
        session = records.create_record(engine, "session", values, user="sato", origin="form")
        records.update_record(engine, "session", session.id, 1, {"title_en": "Press conference",
                                                                 "title_ja": "記者会見"},
                              user="tanaka", origin="form")
    finally:
        engine.dispose()
    result = cli("history", "--event", "cop29", "--lang", "en")
    assert result.code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "Times in home time (Asia/Tokyo)."
    assert " JST  tanaka  updated (form)  session cop29-press  " in lines[1]
    assert "Title (Japanese): ∅ → 記者会見; Title (English): Press → Press conference" in lines[1]
    assert " JST  sato  created (form)  session cop29-press  " in lines[2]
    assert all("created (demo data)" in line for line in lines[3:])  # the event as the demo loaded it
    assert any(" event cop29 " in line for line in lines[3:])
    # Era dates and full-width digits are accepted; the future has no changes.
    today = cli("history", "--since", "令和８年１１月２９日", "--lang", "en")
    assert today.code == 0 and len(today.stdout.splitlines()) == 3
    future = cli("history", "--since", "2999-01-01", "--lang", "en")
    assert future.stdout.strip() == "No changes recorded."
    bad = cli("history", "--since", "2024-02-30", "--lang", "en")
    assert bad.code == 2 and bad.stdout == ""
    assert bad.stderr.startswith("citynet: error: ") and len(bad.stderr.strip().splitlines()) == 1
    assert cli("history", "--lang", "en").code == 2
    unknown = cli("history", "--city", "atlantis", "--lang", "en")
    assert unknown.code == 2 and "atlantis" in unknown.stderr
    japanese = cli("history", "--person", "shimizu-hayato", "--since", "2999-01-01", "--lang", "ja")
    assert japanese.code == 0 and japanese.stdout.strip() == "変更の記録はありません。"
