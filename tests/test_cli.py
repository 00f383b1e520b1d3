"""The command line as a user runs it: demo, dump and restore, stats, and every bad input.

Each bad input must end as one line on stderr with exit status 2 and change nothing.
"""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

import pytest

from test_dump import without_restore_entry

from citynet.services.dump import dumps

SOURCE_SENTENCE_JA = "海外9か国15都市をはじめ、国内22都市、50企業・団体など 329名"


@pytest.fixture
def demo_dump(cli) -> dict:
    cli.load_demo()
    code, out, err = cli("export", "json", "-o", "-")
    assert code == 0, err
    return json.loads(out)


def _refused(result) -> str:
    code, out, err = result
    assert code == 2, (code, out, err)
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("citynet: error: "), err
    assert "Traceback" not in err
    return lines[0]


def _restore_into_fresh(cli, tmp_path: Path, data: dict, name: str) -> tuple:
    dump = tmp_path / f"{name}.json"
    dump.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    url = f"sqlite:///{tmp_path / (name + '.db')}"
    return cli("import", "json", str(dump), "--db", url), url


def test_version(cli):
    code, out, _err = cli("--version")
    assert code == 0 and out.startswith("citynet ")


def test_demo_announces_the_schema_upgrade_on_first_use(cli):
    code, _out, err = cli("demo", process=True)  # once as a real process, as a user runs it
    assert code == 0
    assert "upgraded from empty to" in err
    code, _out, err = cli("db", "current")
    assert code == 0 and "upgraded" not in err


def test_demo_twice_needs_force(cli, demo_dump):
    assert "--force" in _refused(cli("demo"))
    code, _out, _err = cli("demo", "--force")
    assert code == 0


def test_dump_restore_dump_is_identical(cli, tmp_path, demo_dump):
    (code, out, err), url = _restore_into_fresh(cli, tmp_path, demo_dump, "copy")
    assert code == 0, err
    code, out, err = cli("export", "json", "-o", "-", "--db", url)
    assert code == 0, err
    # the same records and history, plus the one entry saying it was restored
    assert without_restore_entry(json.loads(out)) == demo_dump
    # and byte-identical as written to a file
    first, second = tmp_path / "a.json", tmp_path / "b.json"
    assert cli("export", "json", "-o", str(first))[0] == 0
    assert cli("export", "json", "-o", str(second), "--db", url)[0] == 0
    restored = without_restore_entry(json.loads(second.read_text(encoding="utf-8")))
    assert first.read_bytes() == dumps(restored).encode("utf-8")


def test_dump_holds_the_source_facts(demo_dump):
    text = json.dumps(demo_dump, ensure_ascii=False)
    for fact in ("さいたまサステナブル都市サミット", "E-KIZUNA", "Urban7", "Peter", "Kurz", "Markus", "Lewe",
                 "Marcus", "König", "清水", "勇人", "クアラルンプール", "ペナン", "クチン", "ジョホールバル",
                 "神戸ポートピアホテル", "バクーオリンピックスタジアム", "ジャパン・パビリオン",
                 "指定都市市長会", "カナダ自治体連盟", "A Case for Constructive Multilevel Multilateralism",
                 "芝浦工業大学", "埼玉大学", "東京電力パワーグリッド", "東京電力ホールディングス", "イクレイ日本",
                 "外務省", "環境省", "国土交通省", "経済産業省", "UN-Habitat", "アレッツ", "オータン",
                 "ブライスビル", "ギーセン", "ザグレブ", "ニテロイ", "美園"):
        assert fact in text, fact
    sessions = {row["slug"]: row for row in demo_dump["tables"]["session"]}
    assert sessions["cop29-press-conference"]["starts_at"] == "2024-11-11T09:00:00Z"
    assert sessions["e-kizuna-high-level-talks"]["ends_at"] == "2024-11-12T13:30:00Z"
    totals = demo_dump["tables"]["participation_totals"][0]
    assert (totals["total"], totals["overseas_countries"], totals["overseas_cities"],
            totals["domestic_cities"], totals["organisations"], totals["sponsors"]) == (329, 9, 15, 22, 50, 23)


def test_stats_prints_the_source_sentence_in_both_languages(cli, demo_dump):
    code, out, err = cli("stats", "--event", "saitama-summit-2022", "--lang", "ja")
    assert code == 0, err
    assert SOURCE_SENTENCE_JA in out
    code, out, err = cli("stats", "--event", "saitama-summit-2022", "--lang", "en")
    assert code == 0, err
    for figure in ("329", "15 cities", "9 overseas countries", "22", "50"):
        assert figure in out, figure
    assert "か国" not in out


def _with(data: dict, table: str, which: str, changes: dict) -> dict:
    copy = json.loads(json.dumps(data))
    row = next(r for r in copy["tables"][table] if r.get("slug") == which)
    row.update(changes)
    return copy


@pytest.mark.parametrize("table, slug, changes, problem", [
    ("event", "cop29", {"end_date": "2024-11-01"}, "ends before"),
    ("event", "cop29", {"start_date": "2024-02-31"}, "has 29 days"),
    ("city", "baku", {"timezone": "Asia/Baku_City"}, "unknown time zone"),
    ("city", "mannheim", {"slug": "saitama"}, "duplicate slug 'saitama'"),
    ("session", "cop29-press-conference", {"ends_at": "2024-11-11T08:00:00Z"}, "ends before"),
])
def test_bad_records_in_a_dump_are_refused_and_nothing_restored(cli, tmp_path, demo_dump, table,
                                                                 slug, changes, problem):
    result, url = _restore_into_fresh(cli, tmp_path, _with(demo_dump, table, slug, changes), "bad")
    assert problem in _refused(result)
    assert not Path(url.removeprefix("sqlite:///")).exists()


def test_a_dump_from_a_newer_schema_is_refused(cli, tmp_path, demo_dump):
    result, _url = _restore_into_fresh(cli, tmp_path, {**demo_dump, "schema": "9999_future"}, "new")
    assert "newer" in _refused(result)


def test_restore_into_a_database_with_data_is_refused(cli, tmp_path, demo_dump):
    dump = tmp_path / "dump.json"
    dump.write_text(json.dumps(demo_dump), encoding="utf-8")
    assert "not empty" in _refused(cli("import", "json", str(dump)))


def test_a_file_that_is_not_a_dump_is_refused(cli, tmp_path):
    other = tmp_path / "other.json"
    other.write_text('{"hello": 1}', encoding="utf-8")
    assert "not a citynet dump" in _refused(cli("import", "json", str(other)))
    assert "no such file" in _refused(cli("import", "json", str(tmp_path / "missing.json")))


def test_unknown_slug(cli, demo_dump):
    assert "nope" in _refused(cli("stats", "--event", "nope"))


def test_a_file_that_is_not_a_citynet_database(cli, tmp_path):
    random_bytes = tmp_path / "random.db"
    random_bytes.write_bytes(os.urandom(4096))
    before = random_bytes.read_bytes()
    _refused(cli("stats", "--event", "cop29", "--db", f"sqlite:///{random_bytes}"))
    assert random_bytes.read_bytes() == before
    foreign = tmp_path / "foreign.db"
    with sqlite3.connect(foreign) as connection:
        connection.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY)")
    before = foreign.read_bytes()
    assert "not a citynet database" in _refused(cli("demo", "--db", f"sqlite:///{foreign}"))
    assert foreign.read_bytes() == before


def test_a_missing_directory_is_refused_not_created(cli, tmp_path, demo_dump):
    missing = tmp_path / "no" / "such"
    assert "does not exist" in _refused(cli("demo", "--db", f"sqlite:///{missing / 'c.db'}"))
    assert not missing.exists()
    assert "does not exist" in _refused(cli("export", "json", "-o", str(missing / "d.json")))
    assert "does not exist" in _refused(cli("export", "ics", "--all", "-o", str(missing / "a.ics")))
    assert "does not exist" in _refused(cli("export", "pdf", "programme", "--event", "cop29",
                                            "-o", str(missing / "p.pdf")))
    assert not missing.exists()


def test_a_read_only_directory_is_refused(cli, tmp_path, demo_dump):
    if os.geteuid() == 0:
        read_only = Path("/proc")  # read-only even for root
    else:
        read_only = tmp_path / "ro"
        read_only.mkdir()
        read_only.chmod(0o555)
    _refused(cli("demo", "--db", f"sqlite:///{read_only / 'c.db'}"))
    _refused(cli("export", "json", "-o", str(read_only / "d.json")))
    assert not (read_only / "d.json").exists()


def test_bad_arguments_are_one_line(cli):
    _refused(cli("export", "ics", "--event", "a", "--city", "b"))
    _refused(cli("stats"))
    _refused(cli("--lang", "fr", "stats", "--event", "cop29"))


def test_exports_from_the_command_line(cli, tmp_path, demo_dump):
    """The export commands write where -o says, in the language asked, documents too ('both')."""
    from icalendar import Calendar
    from pypdf import PdfReader

    ics = tmp_path / "cop29.ics"
    code, out, err = cli("export", "ics", "--event", "cop29", "--lang", "both", "-o", str(ics))
    assert code == 0, err
    assert str(ics) in out
    calendar = Calendar.from_ical(ics.read_bytes())
    summaries = [str(e["SUMMARY"]) for e in calendar.walk("VEVENT")]
    assert any("プレスカンファレンス" in s and "Press conference" in s for s in summaries)

    pdf = tmp_path / "briefing.pdf"
    code, out, err = cli("export", "pdf", "briefing", "--event", "cop29", "--lang", "ja", "-o", str(pdf))
    assert code == 0, err
    text = "".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert "バクー" in text and "18:00" in text

    code, out, err = cli("export", "pdf", "city", "--event", "cop29")
    assert "--city" in _refused((code, out, err))

    feeds = tmp_path / "feeds"
    code, out, err = cli("feeds", "build", "-o", str(feeds))
    assert code == 0, err
    assert (feeds / "index.html").is_file()
    assert "nope" in _refused(cli("feeds", "rotate-token", "nope", "-d", str(feeds)))



def test_a_save_that_meets_a_locked_database_is_one_line_and_writes_nothing(cli, demo_dump, tmp_path):
    """Another program holds SQLite's write lock: the command waits the busy timeout (5 s), then
    says so in one line; nothing is written, and the same command works once the lock is gone."""
    import sqlite3

    holder = sqlite3.connect(tmp_path / "cli.db", isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        line = _refused(cli("edit", "city", "baku", "name_en=Baku (locked out)"))
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert "busy" in line
    code, out, _err = cli("export", "json", "-o", "-")
    assert json.loads(out) == demo_dump
    code, _out, err = cli("edit", "city", "baku", "name_en=Baku (saved)")
    assert code == 0, err
