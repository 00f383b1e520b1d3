"""CSV/XLSX import and export on both engines: encodings, Japanese headers, bad rows, no
duplicates on a second import, dry runs that change nothing, and lists Excel opens."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
import sqlalchemy as sa

from citynet.demo.loader import load_demo
from citynet.errors import CitynetError
from citynet.presenters.imports import report_lines
from citynet.render.sheets import export_list
from citynet.services.dump import export_json, is_empty
from citynet.services.importer import import_file
from citynet.services.rules import parse_country as country_code
from citynet.services.sheet_columns import plan_columns
from citynet.services.sheet_reading import decode_csv
from citynet.store import models as m

FIXTURES = Path(__file__).parent / "fixtures"


def _count(engine, model) -> int:
    with engine.connect() as c:
        return c.execute(sa.select(sa.func.count()).select_from(model.__table__)).scalar_one()


def _rows(engine, model, *where):
    with engine.connect() as c:
        return [dict(r) for r in c.execute(sa.select(model.__table__).where(*where)).mappings()]


def test_fixture_encodings_are_what_they_say():
    assert not (FIXTURES / "people.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    assert (FIXTURES / "people_bom.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    raw = (FIXTURES / "people_cp932.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    assert decode_csv(raw) == (FIXTURES / "people.csv").read_text(encoding="utf-8")


def test_cities_with_japanese_headers_all_or_nothing(engine):
    report = import_file(engine, "cities", FIXTURES / "cities_ja.csv", "csv")
    assert not report.written and is_empty(engine)
    # the rule book's messages: fields named by their labels in the UI language
    assert [(r.row, r.message.split(":")[0]) for r in report.rejected] == [
        (5, "Country"), (6, "Time zone"), (7, "Latitude")]
    assert "アトランティス国" in report.rejected[0].message


def test_cities_skip_invalid_then_again_creates_no_duplicates(engine):
    first = import_file(engine, "cities", FIXTURES / "cities_ja.csv", "csv", skip_invalid=True)
    assert first.written and first.count("create") == 3
    cities = {c["slug"]: c for c in _rows(engine, m.City)}
    assert set(cities) == {"munich", "george-town", "yokohama"}
    assert cities["munich"]["country"] == "DE" and cities["munich"]["name_ja"] == "ミュンヘン"
    assert cities["munich"]["name_kana"] == "みゅんへん" and cities["munich"]["latitude"] == 48.137
    assert cities["munich"]["notes_ja"] == "Urban7の候補"
    assert cities["george-town"]["country"] == "MY"
    assert cities["yokohama"]["timezone"] == "Asia/Tokyo"  # the one zone of JP, by default
    before = export_json(engine)
    second = import_file(engine, "cities", FIXTURES / "cities_ja.csv", "csv", skip_invalid=True)
    assert second.count("create") == 0 and second.count("unchanged") == 3
    assert export_json(engine) == before


def test_dry_run_changes_nothing_and_says_what_it_would_do(engine):
    load_demo(engine)
    before = export_json(engine)
    report = import_file(engine, "people", FIXTURES / "people.csv", "csv", dry_run=True,
                         skip_invalid=True)
    assert export_json(engine) == before
    lines = report_lines(report, details=True)
    assert "row 2: create person taro-yamada" in lines
    assert any(line.startswith("row 4: rejected: 所属") for line in lines)
    assert lines[-1].startswith("Dry run, nothing written: 6 to create")


@pytest.mark.parametrize("name", ["people.csv", "people_bom.csv", "people_cp932.csv"])
def test_people_in_every_encoding(engine, name):
    load_demo(engine)
    report = import_file(engine, "people", FIXTURES / name, "csv", skip_invalid=True)
    assert [r.row for r in report.rejected] == [4, 7]
    assert "令和99年13月1日" in report.rejected[1].message
    people = {p["slug"]: p for p in _rows(engine, m.Person)}
    yamada = people["taro-yamada"]
    assert (yamada["family_name_ja"], yamada["given_name_ja"], yamada["name_kana"],
            yamada["email"], yamada["phone"]) == ("山田", "太郎", "やまだ たろう",
                                                  "taro.yamada@example.jp", "03-1234-5678")
    [position] = _rows(engine, m.Position, m.Position.person_id == yamada["id"])
    assert position["title_ja"] == "国際課長" and position["start"] == "2023-04-01"
    [government] = _rows(engine, m.Organisation, m.Organisation.slug == "saitama-city-government")
    assert position["organisation_id"] == government["id"]
    # 所属 ミュンスター is the city ミュンスター市; an English title goes to title_en
    anna = people["anna-mueller"]
    [mayor] = _rows(engine, m.Position, m.Position.person_id == anna["id"])
    assert mayor["title_en"] == "Mayor" and mayor["title_ja"] is None and mayor["start"] == "2020"
    # and again: nothing new
    counts = (_count(engine, m.Person), _count(engine, m.Position))
    again = import_file(engine, "people", FIXTURES / name, "csv", skip_invalid=True)
    assert again.count("create") == 0
    assert (_count(engine, m.Person), _count(engine, m.Position)) == counts


def test_xlsx_organisations(engine):
    load_demo(engine)
    report = import_file(engine, "organisations", FIXTURES / "organisations.xlsx", "xlsx")
    assert not report.written
    assert [r.row for r in report.rejected] == [5, 6]
    assert report.rejected[0].message.startswith("Kind: choose one of: city government")
    assert report.rejected[1].message.startswith("都市:")
    report = import_file(engine, "organisations", FIXTURES / "organisations.xlsx", "xlsx",
                         skip_invalid=True)
    assert report.count("create") == 3
    orgs = {o["name_en"]: o for o in _rows(engine, m.Organisation)}
    assert orgs["Yokohama International Affairs Bureau"]["kind"] == "local_government"
    assert orgs["Yokohama International Affairs Bureau"]["country"] == "JP"
    assert orgs["City of Münster"]["kind"] == "city_government"
    [muenster] = _rows(engine, m.City, m.City.slug == "muenster")
    assert orgs["City of Münster"]["city_id"] == muenster["id"]
    assert orgs["Global Covenant of Mayors"]["abbreviation"] == "GCoM"
    assert orgs["Global Covenant of Mayors"]["kind"] == "ngo"
    again = import_file(engine, "organisations", FIXTURES / "organisations.xlsx", "xlsx",
                        skip_invalid=True)
    assert again.count("create") == 0 and again.count("unchanged") == 3


def test_participants(engine):
    load_demo(engine)
    report = import_file(engine, "participants", FIXTURES / "participants.csv", "csv",
                         skip_invalid=True)
    assert [r.row for r in report.rejected] == [4, 5]
    assert "4" in report.rejected[0].message  # the event has 4 sessions: name one
    assert report.count("create") == 2
    [session] = _rows(engine, m.Session, m.Session.slug == "cop29-clean-city-partnership-seminar")
    people = {p["id"]: p["slug"] for p in _rows(engine, m.Person)}
    found = {(people.get(p["person_id"]), p["role"]) for p in _rows(
        engine, m.SessionParticipant, m.SessionParticipant.session_id == session["id"])}
    assert {("peter-kurz", "speaker"), ("markus-lewe", "moderator")} <= found
    again = import_file(engine, "participants", FIXTURES / "participants.csv", "csv",
                        skip_invalid=True)
    assert again.count("create") == 0 and again.count("unchanged") == 2


def test_map_names_other_columns(engine, tmp_path):
    path = tmp_path / "staedte.csv"
    path.write_text("Stadt,Land,Zeitzone,Nr.\nHeidelberg,DE,Europe/Berlin,1\n", encoding="utf-8")
    with pytest.raises(CitynetError, match="no column for name_ja"):
        import_file(engine, "cities", path, "csv")
    with pytest.raises(CitynetError, match="no such field"):
        import_file(engine, "cities", path, "csv", mapping={"Stadt": "stadt"})
    report = import_file(engine, "cities", path, "csv",
                         mapping={"Stadt": "name_en", "Land": "country", "Zeitzone": "timezone"})
    assert report.written and report.ignored_columns == ["Nr."]
    [city] = _rows(engine, m.City)
    assert (city["slug"], city["name_en"], city["country"], city["timezone"]) == (
        "heidelberg", "Heidelberg", "DE", "Europe/Berlin")


def test_country_names_and_codes():
    assert country_code("jp") == "JP"
    assert country_code("マレーシア") == "MY"
    assert country_code("Germany") == "DE"
    assert country_code("ドイツ") == "DE"


def test_headers_in_both_languages():
    plan = plan_columns("people", ["氏名", "Email", "役職", "所属", "就任", "謎"], {})
    assert sorted(plan.fields.values()) == sorted(["full_name_ja", "email", "title*", "organisation",
                                                   "start"])
    assert plan.ignored == ["謎"]


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_contacts_export_reimports_as_unchanged(engine, tmp_path, lang):
    load_demo(engine)
    import_file(engine, "people", FIXTURES / "people.csv", "csv", skip_invalid=True)
    path = export_list(engine, "contacts", "csv", lang, output=tmp_path / "contacts.csv")
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0][1] == ("姓（日本語）" if lang == "ja" else "Family name (Japanese)")
    assert any("taro.yamada@example.jp" in row for row in rows)
    before = export_json(engine)
    report = import_file(engine, "people", path, "csv")
    assert report.rejected == [] and report.count("create") == 0 and report.count("update") == 0
    assert export_json(engine) == before


def test_participants_export_xlsx(engine, tmp_path):
    from openpyxl import load_workbook

    load_demo(engine)
    path = export_list(engine, "participants", "xlsx", "ja", event="cop29",
                       output=tmp_path / "p.xlsx")
    sheet = load_workbook(path).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][4:6] == ("役職", "所属")
    assert any(row[3] == "清水 勇人" and row[4] == "さいたま市長" for row in rows[1:])
    with pytest.raises(CitynetError):
        export_list(engine, "participants", "csv", "en", event="no-such-event",
                    output=tmp_path / "x.csv")
