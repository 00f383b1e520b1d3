"""Releases of a briefing or programme and what changed since one (issue 15, parts 1, 2, 3 and 6).

On both engines, on the demo store: the demo's COP29 briefing v1; a scripted change (the press
conference moves 30 minutes, a counterpart is added to the E-KIZUNA talks) gives a v2 whose first
page names both changes, whose annex has them in detail, and whose calendar carries the moved
session with a higher SEQUENCE. The command line's release, releases and changes on SQLite.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta, timezone
from pathlib import Path

import icalendar
import pytest
from pypdf import PdfReader

from citynet.demo.loader import load_demo
from citynet.render.ics import export_ics
from citynet.render.pdf.release import BlockingWarnings, release_document
from citynet.services import records
from citynet.services.releases import changes_since, parse_version, release_snapshot, releases_of_event
from citynet.errors import CitynetError

PRESS = "cop29-press-conference"
TALKS = "e-kizuna-high-level-talks"


def _page_texts(path: Path) -> list[str]:
    return [page.extract_text() for page in PdfReader(str(path)).pages]


def _session(engine, slug: str) -> dict:
    return records.find_by_slug(engine, "session", slug)


def _move_press_conference_and_add_a_counterpart(engine) -> None:
    """The worked example's change: +30 minutes, and the Mayor of Nuremberg joins the talks."""
    press = _session(engine, PRESS)
    records.update_record(engine, "session", press["id"], press["revision"],
                          {"starts_at": press["starts_at"] + timedelta(minutes=30),
                           "ends_at": press["ends_at"] + timedelta(minutes=30)}, origin="cli")
    talks = records.find_by_slug(engine, "session", TALKS)
    person = records.find_by_slug(engine, "person", "marcus-koenig")
    records.create_record(engine, "participant", {"session_id": talks["id"], "person_id": person["id"],
                                                  "role": "participant"}, origin="cli")


@pytest.fixture
def demo(engine):
    load_demo(engine)
    return engine


def test_the_demo_holds_a_first_release_of_the_cop29_briefing(demo) -> None:
    (release,) = releases_of_event(demo, "cop29")
    assert (release.document, release.lang, release.version) == ("briefing", "both", 1)
    assert release.released_by == "demo"
    _view, snapshot = release_snapshot(demo, "cop29", "briefing", "both", 1)
    titles = {s["title"]["en"] for s in snapshot["sessions"].values()}
    assert "Press conference" in titles
    # Nothing changed since the demo was loaded.
    assert changes_since(demo, "cop29", 1).differences == ()


def test_worked_example_v2_names_both_changes_and_the_calendar_follows(demo, tmp_path: Path) -> None:
    before = export_ics(demo, "event", "cop29", "en", "internal", tmp_path / "before.ics")
    _move_press_conference_and_add_a_counterpart(demo)

    report = changes_since(demo, "cop29", 1)
    assert [d.what for d in report.differences] == ["session_moved", "participant_added"]

    done = release_document(demo, "briefing", "cop29", "both", recipients="市長室",
                            note="時間変更のため再送", output=tmp_path / "v2.pdf")
    assert (done.version, done.since) == (2, 1)
    pages = _page_texts(tmp_path / "v2.pdf")
    first = pages[0]
    assert "第1版からの変更: 2件" in first
    assert "Changed since v1: 2 changes" in first
    # Both changes are named on the first page, in both languages, with Japan time.
    assert "日時変更: プレスカンファレンス" in first and "13:30～14:00" in first
    assert "日本時間 18:30～19:00" in first
    assert "Moved: Press conference" in first and "18:30–19:00 JST" in first
    assert "マルクス・ケーニヒ が参加" in first
    assert "added Marcus König" in first
    # The annex gives them again, after the document; every footer carries the version.
    annex = pages[-1]
    assert "別紙" in annex and "第1版からの変更" in annex and "Changes since v1" in annex
    assert all("第2版" in page and "Version 2" in page for page in pages)
    # The release is recorded with the PDF's hash, who it went to and the note.
    newest = releases_of_event(demo, "cop29")[0]
    assert newest.version == 2 and newest.recipients == "市長室" and newest.note == "時間変更のため再送"
    assert newest.content_hash == hashlib.sha256((tmp_path / "v2.pdf").read_bytes()).hexdigest()

    after = export_ics(demo, "event", "cop29", "en", "internal", tmp_path / "after.ics")

    def press_event(path: Path):
        calendar = icalendar.Calendar.from_ical(path.read_bytes())
        (found,) = [c for c in calendar.walk("VEVENT") if "Press conference" in str(c["SUMMARY"])]
        return found

    old, new = press_event(before), press_event(after)
    assert str(old["UID"]) == str(new["UID"])
    assert int(old.get("SEQUENCE", 0)) == 0 and int(new["SEQUENCE"]) == 1
    assert new.decoded("DTSTART").astimezone(timezone.utc) == datetime(2024, 11, 11, 9, 30,
                                                                       tzinfo=timezone.utc)
    assert new.decoded("LAST-MODIFIED") > old.decoded("LAST-MODIFIED")


def test_a_third_release_compares_with_the_second(demo, tmp_path: Path) -> None:
    _move_press_conference_and_add_a_counterpart(demo)
    release_document(demo, "briefing", "cop29", "both", output=tmp_path / "v2.pdf")
    done = release_document(demo, "briefing", "cop29", "both", output=tmp_path / "v3.pdf")
    assert (done.version, done.since, done.differences) == (3, 2, ())
    assert "第2版から変更なし" in _page_texts(tmp_path / "v3.pdf")[0]
    # Versions are counted per document and language: the first English programme is v1.
    first = release_document(demo, "programme", "cop29", "en", output=tmp_path / "p.pdf",
                             accept_warnings=True)
    assert (first.version, first.since) == (1, None)


def test_each_kind_of_change_is_named(demo) -> None:
    press, talks = _session(demo, PRESS), _session(demo, TALKS)
    records.update_record(demo, "session", press["id"], press["revision"],
                          {"status": "cancelled"}, origin="cli")
    records.update_record(demo, "session", talks["id"], talks["revision"],
                          {"title_en": "E-KIZUNA Summit Talks", "room_en": "Hall 2"}, origin="cli")
    event = records.find_by_slug(demo, "event", "cop29")
    records.create_record(demo, "session", {"slug": "cop29-reception", "event_id": event["id"],
                                            "kind": "ceremony", "title_ja": "レセプション",
                                            "title_en": "Reception", "day": "2024-11-13"},
                          origin="cli")
    report = changes_since(demo, "cop29", 1)
    whats = [d.what for d in report.differences]
    assert "session_cancelled" in whats and "session_added" in whats
    assert "session_title" in whats and "session_room" in whats
    from citynet.presenters.releases import difference_text

    ja = [difference_text(d, report.home_tz, "ja") for d in report.differences]
    en = [difference_text(d, report.home_tz, "en") for d in report.differences]
    assert any(line.startswith("中止: プレスカンファレンス") for line in ja)
    assert any(line.startswith("追加: レセプション") for line in ja)
    # Only the English title changed: the Japanese line says it is the English title.
    assert any("英語名称" in line and "E-KIZUNA Summit Talks" in line for line in ja)
    assert any(line.startswith("Retitled:") and "E-KIZUNA Summit Talks" in line for line in en)
    assert any("room ∅ → Hall 2" in line for line in en)


def test_a_blocking_warning_refuses_the_release_and_writes_nothing(demo, tmp_path: Path) -> None:
    # The press conference now overlaps the talks for the mayor, who speaks at both.
    press, talks = _session(demo, PRESS), _session(demo, TALKS)
    records.update_record(demo, "session", press["id"], press["revision"],
                          {"starts_at": talks["starts_at"], "ends_at": talks["ends_at"]}, origin="cli")
    with pytest.raises(BlockingWarnings) as refused:
        release_document(demo, "briefing", "cop29", "ja", output=tmp_path / "x.pdf")
    assert any(f.rule == "overlap" for f in refused.value.findings)
    assert not (tmp_path / "x.pdf").exists()
    assert [r.version for r in releases_of_event(demo, "cop29")] == [1]
    done = release_document(demo, "briefing", "cop29", "ja", output=tmp_path / "x.pdf",
                            accept_warnings=True)
    assert any(w["rule"] == "overlap" for w in done.accepted)
    annex = _page_texts(tmp_path / "x.pdf")[-1]
    assert "この版の発行時の警告" in annex
    stored = releases_of_event(demo, "cop29")[0]
    assert any(w["rule"] == "overlap" and w["blocking"] for w in stored.accepted_warnings)


def test_a_failed_write_leaves_no_release(demo, tmp_path: Path) -> None:
    with pytest.raises(CitynetError):
        release_document(demo, "briefing", "cop29", "ja", output=tmp_path / "missing" / "x.pdf")
    assert [r.version for r in releases_of_event(demo, "cop29")] == [1]


@pytest.mark.parametrize("text, version", [("v2", 2), ("V10", 10), ("3", 3)])
def test_versions_are_read_as_people_write_them(text: str, version: int) -> None:
    assert parse_version(text) == version


@pytest.mark.parametrize("text", ["", "v", "v0", "two", "-1"])
def test_a_bad_version_is_one_clear_error(text: str) -> None:
    with pytest.raises(CitynetError):
        parse_version(text)


# --- the command line (SQLite) ----------------------------------------------------------------


def test_cli_release_releases_and_changes(cli) -> None:
    cli.load_demo()
    assert cli("edit", "session", PRESS, "starts_at=2024-11-11 13:30", "ends_at=2024-11-11 14:00",
               "--lang", "en").code == 0
    changes = cli("changes", "--event", "cop29", "--since", "v1", "--lang", "ja")
    assert changes.code == 0, changes.stderr
    assert changes.stdout.splitlines()[0].startswith("ブリーフィング資料 第1版（日英併記）")
    assert "日時変更: プレスカンファレンス" in changes.stdout
    released = cli("release", "briefing", "--event", "cop29", "--lang", "en", "--to", "Mayor's Office")
    assert released.code == 0, released.stderr
    assert "Released version 1." in released.stdout  # the first English one
    path = Path(released.stdout.strip().splitlines()[-1].split(": ", 1)[1])
    assert path.is_absolute() and path.name == "cop29-briefing-en-v1.pdf" and path.exists()
    listed = cli("releases", "--event", "cop29", "--lang", "en")
    lines = listed.stdout.splitlines()
    assert lines[0].startswith("v1 briefing (English)") and "to Mayor's Office" in lines[0]
    assert lines[1].startswith("v1 briefing (Japanese and English)") and "by demo" in lines[1]
    # Two releases have a v1 now: the command asks which.
    ambiguous = cli("changes", "--event", "cop29", "--since", "v1", "--lang", "en")
    assert ambiguous.code == 2 and len(ambiguous.stderr.splitlines()) == 1
    assert "--document" in ambiguous.stderr
    chosen = cli("changes", "--event", "cop29", "--since", "v1", "--of", "en", "--lang", "en")
    assert chosen.code == 0 and "no changes" in chosen.stdout


@pytest.mark.parametrize("args", [
    ("changes", "--event", "cop29", "--since", "v7"),
    ("changes", "--event", "nowhere", "--since", "v1"),
    ("changes", "--event", "cop29", "--since", "seven"),
    ("release", "briefing", "--event", "nowhere"),
    ("releases", "--event", "nowhere"),
])
def test_cli_mistakes_are_one_line_and_change_nothing(cli, args) -> None:
    cli.load_demo()
    result = cli(*args, "--lang", "en")
    assert result.code == 2 and len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert "v1 briefing" in cli("releases", "--event", "cop29", "--lang", "en").stdout
