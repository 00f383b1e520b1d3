"""A large people import (issue 17, part 7) on a real SQLite file and on PostgreSQL: its bulk
statements write the same people, posts, change rows and search index rows as creating the
same records one by one through the write path; a search finds what it wrote; a bad row, or a
slug taken while the file was read, changes nothing and is named in one line."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import sqlalchemy as sa

from citynet.services import search
from citynet.services.importer import PROGRESS_EVERY, import_file
from citynet.services.records import create_record, writing
from citynet.store import models as m

ROWS = 2 * PROGRESS_EVERY + 345  # three parts of creates, the last one short
FAMILIES = ("Müller", "Łukasiewicz", "O'Neil", "Nguyễn", "Smith", "Kurz", "Dąbrowska", "Ōno")
GIVEN = ("Jonas", "Mira", "Tomasz", "Inès", "Kofi", "Lena", "Ravi", "Noor", "Jun'ichi")
KANJI = ("佐藤", "鈴木", "高橋", "田中", "渡辺")
PEOPLE = ("person", "position", "change", "search_doc", "search_term")


def _sheet(path: Path, rows: int, bad_row: int | None = None) -> Path:
    """People as an office lists them: Latin names (some with diacritics), some Japanese names,
    e-mail, and every seventh with a post at an organisation of the store."""
    with path.open("w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(["Family name", "Given name", "姓", "名", "メール", "役職", "所属"])
        for i in range(rows):
            family = f"{FAMILIES[i % len(FAMILIES)]}{i:05d}"
            given = GIVEN[i % len(GIVEN)]
            ja = (KANJI[i % len(KANJI)], f"花子{i}") if i % 3 == 0 else ("", "")
            post = ("Deputy Mayor", "Urban Bureau") if i % 7 == 0 else ("", "")
            email = f"{given.lower()}.{i}@example.org"
            if i + 2 == bad_row:  # the header is row 1
                family = "x" * 501
            out.writerow([family, given, *ja, email, *post])
    return path


def _bureau(engine) -> None:
    create_record(engine, "organisation", {"slug": "urban-bureau", "name_en": "Urban Bureau",
                                           "kind": "other"}, origin="cli")


def _counts(engine) -> dict[str, int]:
    with engine.connect() as c:
        return {t: c.exec_driver_sql(f'SELECT count(*) FROM "{t}"').scalar_one() for t in PEOPLE}


def _written(engine) -> dict[str, object]:
    """Everything the import writes, with references and record ids as slugs and without what a
    write stamps differently each time (ids, uuids, instants)."""
    stamped = {"id", "uuid", "created_at", "updated_at"}
    with engine.connect() as c:
        slugs = {kind: dict(c.exec_driver_sql(f'SELECT id, slug FROM "{kind}"').all())
                 for kind in ("person", "position", "organisation")}
        ref = {"person_id": "person", "organisation_id": "organisation"}

        def named(row: dict) -> dict:
            return {k: (slugs[ref[k]][v] if k in ref and v is not None else v)
                    for k, v in row.items() if k not in stamped}

        out: dict[str, object] = {}
        for kind in ("person", "position"):
            rows = c.execute(sa.select(m.SQLModel.metadata.tables[kind])).mappings()
            out[kind] = sorted((named(dict(r)) for r in rows), key=lambda r: r["slug"])
        changes = c.exec_driver_sql("SELECT kind, record_id, slug, action, origin, \"user\", changes "
                                    "FROM change WHERE kind IN ('person', 'position')").all()
        out["change"] = sorted(
            (kind, slugs[kind][record_id], slug, action, origin, user,
             {k: [None if o is None else slugs[ref[k]][o] if k in ref else o,
                  slugs[ref[k]][n] if k in ref and n is not None else n]
              for k, (o, n) in json.loads(text).items()})
            for kind, record_id, slug, action, origin, user, text in changes)
        docs = c.exec_driver_sql("SELECT kind, record_id, names, words, sort_ja, sort_en FROM search_doc "
                                 "WHERE kind IN ('person', 'position')").all()
        out["search_doc"] = sorted((k, slugs[k][i], *rest) for k, i, *rest in docs)
        terms = c.exec_driver_sql("SELECT kind, term, record_id, place FROM search_term "
                                  "WHERE kind IN ('person', 'position')").all()
        out["search_term"] = sorted((k, t, slugs[k][i], p) for k, t, i, p in terms)
    return out


def _one_by_one(engine, written: dict) -> None:
    """The same people and posts created one at a time, each in its own transaction."""
    ids = {}
    for person in written["person"]:
        values = {k: v for k, v in person.items() if k not in ("revision", "updated_by") and v is not None}
        ids[person["slug"]] = create_record(engine, "person", values, origin="import").id
    with engine.connect() as c:
        bureau = c.exec_driver_sql("SELECT id FROM organisation WHERE slug = 'urban-bureau'").scalar_one()
    for post in written["position"]:
        values = {k: v for k, v in post.items() if k not in ("revision", "updated_by") and v is not None}
        values.update(person_id=ids[post["person_id"]], organisation_id=bureau)
        create_record(engine, "position", values, origin="import")


def test_bulk_import_writes_what_one_by_one_creates_write(engine, tmp_path):
    _bureau(engine)
    sheet = _sheet(tmp_path / "people.csv", ROWS)
    report = import_file(engine, "people", sheet, "csv")
    assert report.written and not report.rejected and not report.conflicts
    assert report.count("create") == ROWS + len(range(0, ROWS, 7))
    bulk = _written(engine)
    assert len(bulk["person"]) == ROWS and len(bulk["position"]) == len(range(0, ROWS, 7))
    assert {c[3] for c in bulk["change"]} == {"create"}

    # a search finds people of every part, by a name with diacritics typed without them, by
    # their Japanese name
    with engine.connect() as c:
        for query, slug_part in (("muller00008", "muller00008"), ("nguyen02339", "nguyen02339"),
                                 ("佐藤 花子1005", None)):
            hits = search.rank(c, query, kinds=["person"]).found
            assert hits, query
            slug = c.exec_driver_sql(f"SELECT slug FROM person WHERE id = {hits[0].id}").scalar_one()
            if slug_part:
                assert slug_part in slug
            else:
                assert c.exec_driver_sql(f"SELECT given_name_ja FROM person WHERE id = {hits[0].id}"
                                         ).scalar_one() == "花子1005"

    with writing(engine, origin="cli") as writer:
        writer.delete_everything()
    _bureau(engine)
    _one_by_one(engine, bulk)
    assert _written(engine) == bulk


def test_a_bad_row_changes_nothing_and_is_named_in_one_line(engine, tmp_path):
    _bureau(engine)
    before = _counts(engine)
    bad = PROGRESS_EVERY + 801  # in the second part
    report = import_file(engine, "people", _sheet(tmp_path / "people.csv", ROWS, bad_row=bad), "csv")
    assert not report.written
    assert [r.row for r in report.rejected] == [bad]
    message = report.rejected[0].message
    assert "\n" not in message and message.startswith("Family name (Latin)") and "500" in message
    assert _counts(engine) == before


def test_a_slug_taken_while_the_file_was_read_leaves_its_row_out(engine, tmp_path):
    """The write finds the slug taken (someone saved a person meanwhile): with --skip-invalid
    that row is a conflict and every other row is written, from the parts prepared again."""
    _bureau(engine)
    sheet = _sheet(tmp_path / "people.csv", ROWS)
    dry = import_file(engine, "people", sheet, "csv", dry_run=True)
    taken = [a.slug for a in dry.actions if a.table == "person"][PROGRESS_EVERY + 10]
    before = _counts(engine)

    def someone_saves() -> None:
        create_record(engine, "person", {"slug": taken, "family_name_latin": "Other"}, origin="form")

    report = import_file(engine, "people", sheet, "csv", skip_invalid=True, before_write=someone_saves)
    assert report.written and [r.row for r in report.conflicts] == [PROGRESS_EVERY + 12]
    assert "already in use" in report.conflicts[0].message
    after = _counts(engine)
    assert after["person"] == before["person"] + 1 + ROWS - 1
    with engine.connect() as c:
        assert c.exec_driver_sql(
            f"SELECT family_name_latin FROM person WHERE slug = '{taken}'").scalar_one() == "Other"
        # the people of the last part found their ids and index rows after the row left out
        assert c.exec_driver_sql("SELECT count(*) FROM person p JOIN search_doc d ON d.kind = 'person' "
                                 "AND d.record_id = p.id").scalar_one() == after["person"]
