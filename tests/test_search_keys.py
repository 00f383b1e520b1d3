"""Search keys: one normalised, indexed column per searchable table, kept by every writer (the
records service, the demo loader, the dump restore, migration 0002) and searched with LIKE."""

from __future__ import annotations

import json

import pytest
from test_dump import without_restore_entry
import sqlalchemy as sa

from citynet.demo.loader import load_demo
from citynet.services import records
from citynet.services.dump import dumps, export_json, import_json
from citynet.services.search import (
    KEY_FIELDS, normalise_query, person_sort_key, search_key_for, search_records,
)
from citynet.store import migrate
from citynet.store.schema import SCHEMA_HEAD
from citynet.store import models as m
from citynet.store.db import make_engine


def test_normalise_query():
    assert normalise_query("ＳＡＩＴＡＭＡ　Ｃｉｔｙ") == "saitama city"
    assert normalise_query("サイタマ") == normalise_query("さいたま") == "さいたま"
    assert normalise_query("ｼﾐｽﾞ") == "しみず"  # half-width katakana
    assert normalise_query("Straße  １２３") == "strasse 123"
    assert normalise_query(None) == ""


def test_person_key_holds_every_name_and_the_joined_japanese_name():
    key = search_key_for(m.Person, {
        "slug": "shimizu-hayato", "family_name_ja": "清水", "given_name_ja": "勇人",
        "family_name_latin": "SHIMIZU", "given_name_latin": "Hayato", "name_kana": "シミズ ハヤト"})
    assert key == "清水 勇人 shimizu hayato しみず はやと shimizu-hayato 清水勇人 しみずはやと"


def test_every_writer_keeps_the_key(engine, open_db, tmp_path):
    load_demo(engine)
    dump = export_json(engine)
    original = dumps(dump)
    for model in KEY_FIELDS:
        rows = dump["tables"][model.__tablename__]
        assert rows and all(row["search_key"] == search_key_for(model, row) for row in rows)
    # the records service on create and update
    city = records.create_record(engine, "city", {"slug": "ganja", "name_ja": "ギャンジャ",
                                                  "name_en": "Ganja", "country": "AZ",
                                                  "timezone": "Asia/Baku"}, origin="form")
    assert records.get_values(engine, "city", city.id)["search_key"] == "ぎゃんじゃ ganja"
    records.update_record(engine, "city", city.id, 1, {"name_kana": "ギャンジャ", "name_en": "Gəncə"}, origin="form")
    assert records.get_values(engine, "city", city.id)["search_key"] == "ぎゃんじゃ gəncə ganja"
    # the restore recomputes it: a dump without keys (older schema) or with a wrong one restores
    # searchable, and the round trip is byte-identical
    for row in dump["tables"]["person"]:
        row["search_key"] = "stale"
    for row in dump["tables"]["city"]:
        del row["search_key"]
    copy = open_db(f"sqlite:///{tmp_path / 'copy.db'}")
    import_json(copy, json.loads(dumps(dump)))
    assert dumps(without_restore_entry(export_json(copy))) == original


def test_search_records_any_script_width_and_case(engine):
    load_demo(engine)
    slugs = lambda q, **kw: [(r.kind, r.slug) for r in search_records(engine, q, **kw)]  # noqa: E731
    assert ("person", "shimizu-hayato") in slugs("シミズ")
    assert slugs("しみず") == slugs("ｼﾐｽﾞ") == slugs("シミズ")
    assert ("person", "shimizu-hayato") in slugs("清水勇人")
    assert ("person", "shimizu-hayato") in slugs("HAYATO shimizu")
    saitama = slugs("ＳＡＩＴＡＭＡ")
    assert saitama[0] == ("city", "saitama")  # prefix matches first, cities before the rest
    assert saitama == slugs("saitama")
    assert all(kind == "event" for kind, _ in slugs("saitama", kinds=["event"]))
    page1 = slugs("saitama", limit=3)
    page2 = slugs("saitama", limit=3, offset=3)
    assert page1 + page2 == slugs("saitama", limit=6) and not set(page1) & set(page2)
    hit = search_records(engine, "shimizu")[0]
    # the person's label (readmodel.person_label): family name first, in capitals in English
    assert (hit.label_ja, hit.label_en) == ("清水 勇人", "SHIMIZU Hayato")
    assert slugs("") == [] and slugs("   ") == []


def test_like_wildcards_are_literal(engine):
    records.create_record(engine, "organisation", {"slug": "c40", "kind": "ngo",
                                                   "name_en": "C40 100% Cities_Net"}, origin="form")
    records.create_record(engine, "organisation", {"slug": "c41", "kind": "ngo",
                                                   "name_en": "C41 1000 CitiesXNet"}, origin="form")
    assert [r.slug for r in search_records(engine, "100%")] == ["c40"]
    assert [r.slug for r in search_records(engine, "cities_")] == ["c40"]


# --- migration 0002 with data present -----------------------------------------------------------


def test_upgrade_from_0001_with_data_fills_keys_and_keeps_data(database_url):
    engine = make_engine(database_url, create_dir=True)
    try:
        migrate.upgrade(engine, "0001_initial")
        stamp = "2024-01-01 00:00:00+00:00"
        with engine.begin() as connection:
            connection.execute(sa.text(
                "INSERT INTO city (id, created_at, updated_at, revision, slug, name_ja, name_en, "
                "name_kana, country, timezone, is_home) VALUES (1, :t, :t, 3, 'saitama', "
                "'さいたま市', 'Saitama', 'サイタマシ', 'JP', 'Asia/Tokyo', true)"), {"t": stamp})
            connection.execute(sa.text(
                "INSERT INTO person (id, created_at, updated_at, revision, slug, family_name_ja, "
                "given_name_ja, family_name_latin, given_name_latin, name_kana, name_order) VALUES "
                "(1, :t, :t, 1, 'shimizu-hayato', '清水', '勇人', 'SHIMIZU', 'Hayato', "
                "'しみず はやと', 'family_first')"), {"t": stamp})
            connection.execute(sa.text(
                "INSERT INTO event (id, created_at, updated_at, revision, slug, kind, title_ja, "
                "title_en, timezone, city_id, status, visibility) VALUES (1, :t, :t, 2, "
                "'summit', 'summit', 'ＳＤＧｓ サミット', 'SDGs Summit', 'Asia/Tokyo', 1, "
                "'held', 'public')"), {"t": stamp})
        migrate.upgrade(engine)
        with engine.connect() as connection:
            city = connection.execute(sa.text("SELECT * FROM city")).one()._mapping
            person = connection.execute(sa.text("SELECT * FROM person")).one()._mapping
            event = connection.execute(sa.text("SELECT * FROM event")).one()._mapping
            version = connection.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()
            changes = connection.execute(sa.text("SELECT count(*) FROM change")).scalar()
        assert version == SCHEMA_HEAD and changes == 0
        assert (city["slug"], city["name_ja"], city["revision"], city["updated_by"]) == (
            "saitama", "さいたま市", 3, None)
        assert city["search_key"] == "さいたま市 saitama さいたまし" == search_key_for(m.City, city)
        assert person["search_key"] == search_key_for(m.Person, person)
        assert "清水勇人" in person["search_key"].split()
        assert person["sort_key"] == person_sort_key(person)  # migration 0003
        assert event["search_key"] == "sdgs さみっと sdgs summit summit" == search_key_for(m.Event, event)
        assert event["revision"] == 2 and event["city_id"] == 1
        # and the upgraded store is searchable and writable through the services
        assert [r.slug for r in search_records(engine, "ハヤト")] == ["shimizu-hayato"]
        records.update_record(engine, "city", 1, 3, {"name_en": "Saitama City"}, user="sato", origin="form")
    finally:
        engine.dispose()
