"""One write path: every origin (form, cli, import, restore, demo) leaves field-level change rows
that say where the write came from, and an import never overwrites a save that raced it.

Runs on SQLite and, with CITYNET_TEST_POSTGRES_URL, on PostgreSQL; the race uses a second
process (the command line) writing between the import's read and its write.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import sqlalchemy as sa

from citynet.demo.loader import load_demo
from citynet.services import records
from citynet.services.dump import export_json, import_json
from citynet.services.history import history
from citynet.services.importer import import_file
from citynet.store import models as m


def _changes(engine, **where) -> list[dict]:
    table = m.Change.__table__
    with engine.connect() as connection:
        rows = connection.execute(sa.select(table).where(
            *(table.c[k] == v for k, v in where.items())).order_by(table.c.id)).mappings()
        return [{**row, "changes": json.loads(row["changes"])} for row in rows]


def _url(engine) -> str:
    return engine.url.render_as_string(hide_password=False)


def _citynet(engine, *args: str) -> subprocess.CompletedProcess:
    """The command line in a process of its own, on the same database."""
    env = {**os.environ, "CITYNET_USER": "cli-user"}
    return subprocess.run([sys.executable, "-m", "citynet", *args, "--db", _url(engine),
                           "--lang", "en"], capture_output=True, text=True, env=env, timeout=120)


def _city_csv(path: Path, rows: list[tuple[str, str, str, str]]) -> Path:
    lines = ["slug,name_en,country,timezone"] + [",".join(row) for row in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


# --- one test per origin --------------------------------------------------------------------------


def test_demo_writes_its_records_with_origin_demo(engine):
    load_demo(engine)
    changes = _changes(engine)
    dumped = export_json(engine)["tables"]
    assert len(changes) == sum(len(rows) for name, rows in dumped.items() if name != "change")
    assert {(c["origin"], c["action"], c["user"]) for c in changes} == {("demo", "create", "demo")}
    [kurz] = [c for c in changes if c["slug"] == "peter-kurz"]
    assert kurz["changes"]["family_name_latin"] == [None, "Kurz"]


def test_form_save_writes_change_rows_with_origin_form(engine):
    from citynet.tui.screens.form import save_record

    info = save_record(engine, "city", None, None, {"name_en": "Bonn", "slug": "bonn",
                                                    "country": "DE", "timezone": "Europe/Berlin"})
    save_record(engine, "city", info.id, info.revision, {"name_ja": "ボン"})
    changes = _changes(engine, record_id=info.id, kind="city")
    assert [(c["action"], c["origin"]) for c in changes] == [("create", "form"), ("update", "form")]
    assert changes[1]["changes"] == {"name_ja": [None, "ボン"]}


def test_cli_add_and_edit_write_change_rows_with_origin_cli(engine):
    added = _citynet(engine, "add", "city", "slug=bonn", "name_en=Bonn", "country=Germany",
                     "timezone=Europe/Berlin")
    assert added.returncode == 0, added.stderr
    edited = _citynet(engine, "edit", "city", "bonn", "name_ja=ボン", "latitude=50.73")
    assert edited.returncode == 0, edited.stderr
    changes = _changes(engine, slug="bonn")
    assert [(c["action"], c["origin"], c["user"]) for c in changes] == [
        ("create", "cli", "cli-user"), ("update", "cli", "cli-user")]
    assert changes[0]["changes"]["country"] == [None, "DE"]  # a country name, read as its code
    assert changes[1]["changes"] == {"name_ja": [None, "ボン"], "latitude": [None, 50.73]}
    # a refused edit changes nothing and says so in one line
    refused = _citynet(engine, "edit", "city", "bonn", "latitude=91")
    assert refused.returncode == 2 and refused.stderr.strip().count("\n") == 0
    assert "Latitude: must lie between -90 and 90" in refused.stderr
    assert len(_changes(engine, slug="bonn")) == 2


def test_reimporting_a_changed_row_shows_in_history(engine, tmp_path):
    first = import_file(engine, "cities", _city_csv(tmp_path / "a.csv", [
        ("bonn", "Bonn", "DE", "Europe/Berlin")]), "csv")
    assert first.written
    again = import_file(engine, "cities", _city_csv(tmp_path / "b.csv", [
        ("bonn", "Bonn (Rhein)", "DE", "Europe/Berlin")]), "csv")
    assert again.written and again.count("update") == 1
    changes = _changes(engine, slug="bonn")
    assert [(c["action"], c["origin"]) for c in changes] == [("create", "import"), ("update", "import")]
    assert changes[1]["changes"] == {"name_en": ["Bonn", "Bonn (Rhein)"]}
    # and the command a user runs shows it
    shown = _citynet(engine, "history", "--city", "bonn")
    assert shown.returncode == 0, shown.stderr
    assert "updated (import)  city bonn  Name (English): Bonn → Bonn (Rhein)" in shown.stdout


def test_restore_keeps_the_history_and_adds_one_restore_entry(engine, open_db, tmp_path):
    source = open_db(f"sqlite:///{tmp_path / 'source.db'}")
    load_demo(source)
    records.create_record(source, "city", {"slug": "bonn", "name_en": "Bonn", "country": "DE",
                                           "timezone": "Europe/Berlin"}, origin="form", user="sato")
    dumped = export_json(source)
    import_json(engine, dumped)
    restored = _changes(engine)
    assert len(restored) == len(dumped["tables"]["change"]) + 1
    assert [c["origin"] for c in restored[:-1]] == [c["origin"] for c in dumped["tables"]["change"]]
    last = restored[-1]
    assert (last["action"], last["origin"], last["kind"]) == ("restore", "restore", "store")
    assert last["changes"]["records"] == [None, sum(
        len(rows) for name, rows in dumped["tables"].items() if name != "change")]
    assert [v.user for v in history(engine, slug="bonn")] == ["sato"]


# --- an import racing a save ------------------------------------------------------------------------


def test_an_import_racing_a_save_reports_a_conflict_and_the_save_survives(engine, tmp_path):
    import_file(engine, "cities", _city_csv(tmp_path / "a.csv", [
        ("bonn", "Bonn", "DE", "Europe/Berlin"), ("graz", "Graz", "AT", "Europe/Vienna")]), "csv")
    update = _city_csv(tmp_path / "b.csv", [("bonn", "Bonn (import)", "DE", "Europe/Berlin"),
                                             ("graz", "Graz (import)", "AT", "Europe/Vienna")])

    def someone_saves():  # after the import read bonn, before it writes
        saved = _citynet(engine, "edit", "city", "bonn", "name_en=Bonn (saved by hand)")
        assert saved.returncode == 0, saved.stderr

    def name(slug):
        return records.find_by_slug(engine, "city", slug)["name_en"]

    dry = import_file(engine, "cities", update, "csv", dry_run=True, before_write=someone_saves)
    assert [c.row for c in dry.conflicts] == [2] and "cli-user saved this record" in dry.conflicts[0].message
    assert name("bonn") == "Bonn (saved by hand)" and name("graz") == "Graz"  # a dry run writes nothing

    def saves_again():
        saved = _citynet(engine, "edit", "city", "bonn", "name_en=Bonn (saved again)")
        assert saved.returncode == 0, saved.stderr

    # all or nothing: the conflict keeps the whole file out
    report = import_file(engine, "cities", update, "csv", before_write=saves_again)
    assert not report.written and [c.row for c in report.conflicts] == [2]
    assert name("bonn") == "Bonn (saved again)" and name("graz") == "Graz"

    def saves_once_more():
        saved = _citynet(engine, "edit", "city", "bonn", "name_en=Bonn (saved once more)")
        assert saved.returncode == 0, saved.stderr

    # --skip-invalid: the other rows go in, the raced one is left alone
    report = import_file(engine, "cities", update, "csv", skip_invalid=True,
                         before_write=saves_once_more)
    assert report.written and [c.row for c in report.conflicts] == [2]
    assert name("bonn") == "Bonn (saved once more)" and name("graz") == "Graz (import)"
    bonn = [c for c in _changes(engine, slug="bonn") if c["action"] == "update"]
    assert [c["origin"] for c in bonn] == ["cli", "cli", "cli"]  # the import wrote nothing to it


def test_cli_import_reports_the_conflict_in_one_line_per_row(engine, tmp_path):
    import_file(engine, "cities", _city_csv(tmp_path / "a.csv", [
        ("bonn", "Bonn", "DE", "Europe/Berlin")]), "csv")
    # a revision that is no longer current: the same refusal a racing import meets
    refused = _citynet(engine, "edit", "city", "bonn", "name_en=Old", "--revision", "0")
    assert refused.returncode == 2
    assert "saved this record" in refused.stderr and "revision 1, you started from 0" in refused.stderr


def test_a_slug_taken_meanwhile_is_a_conflict_not_a_crash(engine, tmp_path):
    new = _city_csv(tmp_path / "new.csv", [("bonn", "Bonn", "DE", "Europe/Berlin"),
                                           ("graz", "Graz", "AT", "Europe/Vienna")])

    def someone_creates_bonn():  # after the import planned to create bonn, before it writes
        records.create_record(engine, "city", {"slug": "bonn", "name_en": "Bonn (by hand)",
                                               "country": "DE", "timezone": "Europe/Berlin"},
                              origin="form")

    report = import_file(engine, "cities", new, "csv", skip_invalid=True,
                         before_write=someone_creates_bonn)
    assert report.written and [c.row for c in report.conflicts] == [2]
    assert "'bonn' is already in use" in report.conflicts[0].message
    assert records.find_by_slug(engine, "city", "bonn")["name_en"] == "Bonn (by hand)"
    assert records.find_by_slug(engine, "city", "graz")["name_en"] == "Graz"


def test_a_row_that_builds_on_a_raced_row_is_left_out_with_it(engine, tmp_path):
    """Row 3 updates the city row 2 creates; row 2 is left out (its slug was taken meanwhile),
    so row 3 goes with it."""
    new = _city_csv(tmp_path / "new.csv", [("bonn", "Bonn", "DE", "Europe/Berlin"),
                                           ("bonn", "Bonn am Rhein", "DE", "Europe/Berlin"),
                                           ("graz", "Graz", "AT", "Europe/Vienna")])

    def someone_creates_bonn():
        records.create_record(engine, "city", {"slug": "bonn", "name_en": "Bonn (by hand)",
                                               "country": "DE", "timezone": "Europe/Berlin"},
                              origin="form")

    report = import_file(engine, "cities", new, "csv", skip_invalid=True,
                         before_write=someone_creates_bonn)
    assert [c.row for c in report.conflicts] == [2, 3]
    assert "not written" in report.conflicts[1].message
    assert records.find_by_slug(engine, "city", "bonn")["name_en"] == "Bonn (by hand)"
    assert records.find_by_slug(engine, "city", "graz")["revision"] == 1


def test_rows_changing_one_record_make_one_update(engine, tmp_path):
    import_file(engine, "cities", _city_csv(tmp_path / "a.csv", [
        ("bonn", "Bonn", "DE", "Europe/Berlin")]), "csv")
    path = tmp_path / "b.csv"
    path.write_text("slug,name_en,name_ja\nbonn,Bonn am Rhein,\nbonn,,ボン\n", encoding="utf-8")
    report = import_file(engine, "cities", path, "csv")
    assert report.written and not report.conflicts
    bonn = records.find_by_slug(engine, "city", "bonn")
    assert (bonn["name_en"], bonn["name_ja"], bonn["revision"]) == ("Bonn am Rhein", "ボン", 2)
    [update] = [c for c in _changes(engine, slug="bonn") if c["action"] == "update"]
    assert update["changes"] == {"name_ja": [None, "ボン"], "name_en": ["Bonn", "Bonn am Rhein"]}


def _people_csv(path: Path, count: int) -> Path:
    """``count`` new people (named after the count, so that files of other sizes never match)."""
    lines = ["Family name,Given name,Organisation,Title"] + [
        f"Person{count}x{n:05d},Given,Bonn,Councillor {n}" for n in range(count)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_the_write_phase_takes_the_same_statements_for_20_rows_or_1500(engine, tmp_path):
    """The write transaction (which holds SQLite's write lock) runs bulk statements: their number
    does not grow with the rows (up to a batch of 1,000), so a big import locks others out for
    its inserts alone."""
    import_file(engine, "cities", _city_csv(tmp_path / "a.csv", [
        ("bonn", "Bonn", "DE", "Europe/Berlin")]), "csv")
    counted: dict[int, int] = {}
    for rows in (20, 1500):
        statements: list[str] = []

        def count(_conn, _cursor, statement, *_args):
            statements.append(statement)

        def start_counting():
            sa.event.listen(engine, "before_cursor_execute", count)

        try:
            report = import_file(engine, "people", _people_csv(tmp_path / f"p{rows}.csv", rows),
                                 "csv", before_write=start_counting)
        finally:
            sa.event.remove(engine, "before_cursor_execute", count)
        assert report.written and report.count("create") == 2 * rows  # a person and a post each
        counted[rows] = len(statements)
    # 1,500 rows: two batches of each insert where 20 rows need one, and the slug checks of
    # 3,000 new records in chunks of 500
    assert counted[1500] <= counted[20] + 20, counted


def test_a_reference_to_no_record_is_refused_in_words(engine):
    """A reference the write path cannot resolve (here a negative id, the form an import uses
    for records it has yet to write) is written as given and refused by the database, in words."""
    import pytest

    from citynet.services.rules import ValidationError

    with pytest.raises(ValidationError, match="does not exist"):
        records.create_record(engine, "organisation", {"name_en": "X", "slug": "x", "kind": "other",
                                                       "city_id": -5}, origin="cli")
    assert not _changes(engine)  # nothing written, not even the change row
