"""The JSON dump on both engines: demo → dump → restore elsewhere → dump gives the same dump."""

from __future__ import annotations

import json

import pytest

from citynet.demo.loader import load_demo
from citynet.errors import CitynetError
from citynet.services.dump import dumps, export_json, import_json, is_empty


def without_restore_entry(data: dict) -> dict:
    """A dump less the one history entry its restore added (checked to be there, once)."""
    changes = data["tables"]["change"]
    restores = [c for c in changes if c["action"] == "restore"]
    assert len(restores) == 1 and restores[0]["origin"] == "restore", restores
    return {**data, "tables": {**data["tables"], "change": [c for c in changes if c not in restores]}}


def test_round_trip_across_engines(engine, open_db, tmp_path):
    load_demo(engine)
    original = export_json(engine)
    copy = open_db(f"sqlite:///{tmp_path / 'copy.db'}")
    import_json(copy, json.loads(dumps(original)))
    assert dumps(without_restore_entry(export_json(copy))) == dumps(original)
    # and back onto the first engine's kind, after emptying it is refused while it holds data
    with pytest.raises(CitynetError, match="not empty"):
        import_json(engine, original)


def test_restored_database_accepts_new_records(engine, tmp_path, open_db):
    """After a restore with explicit ids, new rows get fresh ids (PostgreSQL sequences moved on)."""
    source = open_db(f"sqlite:///{tmp_path / 'source.db'}")
    load_demo(source)
    import_json(engine, export_json(source))
    from citynet.services.records import create_record

    created = create_record(engine, "city", {"slug": "tokyo", "name_ja": "東京都", "name_en": "Tokyo",
                                            "country": "JP", "timezone": "Asia/Tokyo"}, origin="form")
    assert created.id == max(row["id"] for row in export_json(source)["tables"]["city"]) + 1


def test_a_bad_row_restores_nothing(engine, tmp_path, open_db):
    source = open_db(f"sqlite:///{tmp_path / 'source.db'}")
    load_demo(source)
    data = export_json(source)
    data["tables"]["session"][-1]["event_id"] = 999_999  # refers to no event
    with pytest.raises(CitynetError) as refused:
        import_json(engine, data)
    # said in words, with the field's label, before any database constraint could say it
    assert "Event: refers to a record that is not in the dump (id 999999)" in str(refused.value)
    assert "FOREIGN KEY" not in str(refused.value) and "constraint" not in str(refused.value)
    assert is_empty(engine)
