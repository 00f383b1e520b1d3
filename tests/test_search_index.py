"""The search index (``search_term``, ``search_doc``): the folding rules both sides share, every
writer keeping it in step (the write path on create, update and delete, the demo loader, the dump
restore, migration 0005 for rows stored before), and searching through it."""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa
from test_dump import without_restore_entry

from citynet.demo.loader import load_demo
from citynet.services import records
from citynet.services.dump import dumps, export_json, import_json
from citynet.services.fold import folded_text, raw_words, romanise, word_forms
from citynet.services.hits import search
from citynet.services.search import SEARCH_KINDS, index_entry, rebuild_index
from citynet.store import migrate
from citynet.store import models as m
from citynet.store.db import make_engine
from citynet.store.schema import SCHEMA_HEAD


@pytest.mark.parametrize("typed, stored", [
    ("ＳＡＩＴＡＭＡ", "Saitama"), ("ｻｲﾀﾏ", "さいたま"), ("サイタマ", "さいたま"),
    ("munster", "Münster"), ("muenster", "Münster"), ("niteroi", "Niterói"),
    ("tokyo", "Tōkyō"), ("toukyou", "Tokyo"), ("tookyoo", "Tōkyō"), ("とうきょう", "Tokyo"),
    ("shimbashi", "Shinbashi"), ("simizu", "Shimizu"), ("tutiya", "Tsuchiya"),
    ("zyun", "Jun"), ("junichi", "Jun'ichi"), ("satoh", "Sato"), ("さとう", "Sato"),
    ("ho", "Hồ"), ("strasse", "Straße"), ("きずな", "KIZUNA"),
])
def test_what_is_typed_and_what_is_stored_fold_to_one_spelling(typed, stored):
    assert set(folded_text(typed).split()) & set(folded_text(stored).split()), (typed, stored)


def test_words_are_cut_at_punctuation_and_where_scripts_meet():
    assert raw_words("E-KIZUNAハイレベル会議") == ["e", "kizuna", "はいれべる会議"]
    assert raw_words("ペーター・クルツ") == ["ぺーたー", "くるつ"]
    assert word_forms("がっこう") == ["がっこう", "gakko"]  # voicing marks stay in kana
    assert word_forms("서울") == ["서울"] and romanise("清水") is None


def test_a_person_is_indexed_by_every_name_joined_and_apart():
    entry = index_entry("person", {
        "slug": "shimizu-hayato", "family_name_ja": "清水", "given_name_ja": "勇人",
        "family_name_latin": "SHIMIZU", "given_name_latin": "Hayato", "name_kana": "シミズ ハヤト"})
    names, words = entry.names.split(), entry.words.split()
    assert {"清水勇人", "simizuhayato", "hayatosimizu", "しみずはやと"} <= set(names)
    assert {"清水", "勇人", "simizu", "hayato", "しみず", "はやと"} <= set(words)
    assert entry.terms["清水勇人"] == 0 and entry.terms["hayato"] == 1
    assert entry.terms["ayato"] == 2 and "to" not in entry.terms  # inside: three Latin letters
    assert entry.terms["みず"] == 2  # inside: two Japanese characters


def _index_rows(connection) -> set[tuple]:
    terms = set(connection.execute(sa.select(m.SearchTerm.__table__)).all())
    docs = set(connection.execute(sa.select(m.SearchDoc.__table__)).all())
    return terms | docs


def test_every_writer_keeps_the_index(engine, open_db, tmp_path):
    load_demo(engine)
    with engine.connect() as c:
        after_demo = _index_rows(c)
    with engine.begin() as c:  # the demo loader wrote what a rebuild writes
        rebuild_index(c)
    with engine.connect() as c:
        assert _index_rows(c) == after_demo
    # the write path on create, update and delete
    city = records.create_record(engine, "city", {"slug": "ganja", "name_ja": "ギャンジャ",
                                                  "name_en": "Ganja", "country": "AZ",
                                                  "timezone": "Asia/Baku"}, origin="form")
    assert [h.slug for h in search(engine, "ぎゃんじゃ").hits] == ["ganja"]
    records.update_record(engine, "city", city.id, 1, {"name_en": "Gəncə"}, origin="form")
    assert [h.slug for h in search(engine, "gence").hits] == ["ganja"]
    records.delete_record(engine, "city", city.id, 2, origin="form")
    assert search(engine, "ganja").hits == ()
    with engine.connect() as c:
        assert _index_rows(c) == after_demo
    # the restore indexes what it restores; the round trip is byte-identical
    dump = export_json(engine)
    assert "search_term" not in dump["tables"]  # derived data is never dumped
    copy = open_db(f"sqlite:///{tmp_path / 'copy.db'}")
    import_json(copy, json.loads(dumps(dump)))
    with copy.connect() as c:
        assert _index_rows(c) == after_demo
    assert dumps(without_restore_entry(export_json(copy))) == dumps(dump)


def test_search_pages_and_kinds(engine):
    load_demo(engine)
    everything = search(engine, "saitama", limit=100)
    assert everything.hits[0].slug == "saitama" and everything.total == len(everything.hits)
    assert sum(everything.totals.values()) == everything.total
    first, second = search(engine, "saitama", limit=3), search(engine, "saitama", limit=3, offset=3)
    assert [h.slug for h in first.hits + second.hits] == [h.slug for h in everything.hits[:6]]
    events = search(engine, "saitama", kinds=["event"])
    assert {h.kind for h in events.hits} == {"event"} and events.total == everything.totals["event"]
    assert search(engine, "").hits == () and search(engine, "   ").total == 0


def test_like_wildcards_are_literal(engine):
    records.create_record(engine, "organisation", {"slug": "c40", "kind": "ngo",
                                                   "name_en": "C40 100% Cities_Net"}, origin="form")
    records.create_record(engine, "organisation", {"slug": "c41", "kind": "ngo",
                                                   "name_en": "C41 1000 CitiesXNet"}, origin="form")
    assert [h.slug for h in search(engine, "100%").hits] == ["c40", "c41"]  # % is not a word
    assert [h.slug for h in search(engine, "c40").hits] == ["c40"]


# --- migration 0005 with data present -----------------------------------------------------------


def test_upgrade_from_0004_with_data_builds_the_index_and_keeps_data(database_url):
    engine = make_engine(database_url, create_dir=True)
    try:
        migrate.upgrade(engine, "0004_uuid_origin")
        stamp = "2024-01-01 00:00:00+00:00"
        with engine.begin() as connection:
            connection.execute(sa.text(
                "INSERT INTO city (id, uuid, created_at, updated_at, revision, slug, name_ja, "
                "name_en, name_kana, country, timezone, is_home, search_key) VALUES (1, 'u1', :t, "
                ":t, 3, 'saitama', 'さいたま市', 'Saitama', 'サイタマシ', 'JP', 'Asia/Tokyo', true, "
                "'old key')"), {"t": stamp})
            connection.execute(sa.text(
                "INSERT INTO person (id, uuid, created_at, updated_at, revision, slug, "
                "family_name_ja, given_name_ja, family_name_latin, given_name_latin, name_kana, "
                "name_order, sort_key) VALUES (1, 'u2', :t, :t, 1, 'shimizu-hayato', '清水', '勇人', "
                "'SHIMIZU', 'Hayato', 'しみず はやと', 'family_first', 'x')"), {"t": stamp})
        migrate.upgrade(engine)
        with engine.connect() as connection:
            version = connection.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()
            city = connection.execute(sa.text("SELECT * FROM city")).one()._mapping
            person_columns = set(connection.execute(sa.text("SELECT * FROM person")).keys())
        assert version == SCHEMA_HEAD
        assert "search_key" not in city and "sort_key" not in person_columns
        assert (city["slug"], city["name_ja"], city["revision"]) == ("saitama", "さいたま市", 3)
        assert [(h.kind, h.slug) for h in search(engine, "ハヤト").hits] == [
            ("person", "shimizu-hayato")]
        assert [h.slug for h in search(engine, "さいたま").hits] == ["saitama"]
        records.update_record(engine, "city", 1, 3, {"name_en": "Saitama City"}, user="sato",
                              origin="form")
    finally:
        engine.dispose()


def test_every_searchable_kind_has_names_and_an_order():
    from citynet.services.ordering import english_sort_text, japanese_sort_text

    for kind in SEARCH_KINDS:
        assert japanese_sort_text(kind, {}) and english_sort_text(kind, {})
