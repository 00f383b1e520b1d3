"""The demo dataset holds the facts of its source, a Saitama City presentation on its zero-carbon and
international work.

Expected values are written from the source document, not copied from citynet/demo/data.py.
"""

from __future__ import annotations

from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import Session, select

from citynet.demo.loader import load_demo
from citynet.errors import CitynetError
from citynet.store import models as m
from citynet.store.db import open_database

UTC = timezone.utc
BAKU = ZoneInfo("Asia/Baku")


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    engine = open_database(f"sqlite:///{tmp_path_factory.mktemp('demo')}/t.db")
    load_demo(engine)
    return engine


@pytest.fixture
def db(engine):
    with Session(engine) as session:
        yield session


def one(db, model, **where):
    return db.exec(select(model).filter_by(**where)).one()


def as_utc(value: datetime) -> datetime:
    """Instants come back in UTC (aware; a naive value from SQLite is read as UTC)."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def participants(db, session_slug):
    session = one(db, m.Session, slug=session_slug)
    rows = db.exec(select(m.SessionParticipant).where(m.SessionParticipant.session_id == session.id)
                   .order_by(m.SessionParticipant.sort_order)).all()
    return [(db.get(m.Position, row.position_id), row) for row in rows]


# --- COP29 -----------------------------------------------------------------------------------


def test_cop29_dates_place_and_attendance(db):
    cop = one(db, m.Event, slug="cop29")
    assert "COP29" in cop.title_ja and "COP29" in cop.title_en
    assert (cop.start_date, cop.end_date) == (date(2024, 11, 11), date(2024, 11, 22))  # 令和６年11月11日～22日
    assert (cop.attend_start, cop.attend_end) == (date(2024, 11, 11), date(2024, 11, 13))
    assert cop.timezone == "Asia/Baku"
    assert db.get(m.City, cop.city_id).slug == "baku"
    assert db.get(m.City, cop.city_id).country == "AZ"
    assert cop.venue_ja == "バクーオリンピックスタジアム"
    assert cop.venue_en == "Baku Olympic Stadium"
    assert cop.status == "held" and cop.kind == "conference"


def test_press_conference_time_is_local_baku_time(db):
    press = one(db, m.Session, slug="cop29-press-conference")
    assert press.day == date(2024, 11, 11)
    assert as_utc(press.starts_at) == datetime(2024, 11, 11, 9, 0, tzinfo=UTC)
    assert as_utc(press.ends_at) == datetime(2024, 11, 11, 9, 30, tzinfo=UTC)
    assert as_utc(press.starts_at).astimezone(BAKU).strftime("%H:%M") == "13:00"
    assert as_utc(press.ends_at).astimezone(BAKU).strftime("%H:%M") == "13:30"


def test_press_conference_speakers_in_source_order(db):
    rows = participants(db, "cop29-press-conference")
    assert [row.role for _, row in rows] == ["speaker"] * 6
    titles = [position.title_ja for position, _ in rows]
    assert titles[0] == "さいたま市長"
    assert "天然資源局長官" in titles[1]
    assert "都市実践部門長" in titles[2]
    assert titles[3] == "ザグレブ市議会議長"
    assert titles[4] == "ニテロイ市長"
    assert "グローバルアドボカシーディレクター" in titles[5]
    assert rows[3][1].capacity_ja == "COP29欧州地域委員会代表団メンバー"
    assert "European Committee of the Regions" in rows[3][1].capacity_en
    assert rows[4][1].capacity_ja == "ICLEIグローバル執行委員会気候行動支援ポートフォリオ議長"
    assert "ICLEI Global Executive Committee" in rows[4][1].capacity_en
    # The source names none of the other speakers.
    assert all(position.person_id is None for position, _ in rows[1:])
    assert all(row.person_id is None for _, row in rows)
    un_habitat = db.get(m.Organisation, rows[2][0].organisation_id)
    assert un_habitat.kind == "un_body"
    california = db.get(m.Organisation, rows[1][0].organisation_id)
    assert (california.kind, california.country) == ("government_agency", "US")


def test_e_kizuna_high_level_talks(db):
    talks = one(db, m.Session, slug="e-kizuna-high-level-talks")
    assert talks.title_en == "E-KIZUNA High-Level Talks"
    assert talks.day == date(2024, 11, 12)
    # 16:30－17:30（現地時間）= UTC+4
    assert as_utc(talks.starts_at) == datetime(2024, 11, 12, 12, 30, tzinfo=UTC)
    assert as_utc(talks.ends_at) == datetime(2024, 11, 12, 13, 30, tzinfo=UTC)
    roles = db.exec(select(m.OrganisationRole).where(m.OrganisationRole.session_id == talks.id)).all()
    assert sorted((r.role, db.get(m.Organisation, r.organisation_id).name_ja) for r in roles) == [
        ("cooperation", "イクレイ日本"), ("host", "さいたま市")]


def test_e_kizuna_high_level_talks_participants(db):
    rows = participants(db, "e-kizuna-high-level-talks")
    assert len(rows) == 8
    titles = [position.title_ja for position, _ in rows]
    assert titles == ["アレッツオ市長", "オータン市長", "ブライスビル市長", "ギーセン郡長",
                      "英国政府エネルギー安全保障・ネットゼロ省副局長", "さいたま市長",
                      "イクレイ日本理事長", "イクレイ日本事務局長"]
    by_title = {position.title_ja: row.role for position, row in rows}
    assert by_title["イクレイ日本事務局長"] == "moderator"
    assert by_title["イクレイ日本理事長"] == "participant"
    assert [row.role for _, row in rows].count("moderator") == 1
    countries = [db.get(m.City, p.city_id).country if p.city_id else
                 db.get(m.Organisation, p.organisation_id).country for p, _ in rows]
    assert countries[:6] == ["IT", "FR", "US", "DE", "GB", "JP"]
    giessen = one(db, m.Position, title_ja="ギーセン郡長")
    assert db.get(m.City, giessen.city_id).slug == "giessen"
    assert "District Administrator" in giessen.title_en


def test_japan_pavilion_sessions_have_no_invented_time(db):
    cop = one(db, m.Event, slug="cop29")
    sessions = db.exec(select(m.Session).where(m.Session.event_id == cop.id,
                                               m.Session.room_ja == "ジャパン・パビリオン")).all()
    assert sorted(s.title_ja for s in sessions) == [
        "クリーン・シティ・パートナーシップ・プログラムセミナー",
        "マルチレベル気候行動を通じた循環共生型社会の実現に向けた取組",
    ]
    for session in sessions:
        assert session.room_en == "Japan Pavilion"
        assert session.day is None and session.starts_at is None and session.ends_at is None
        [(position, row)] = participants(db, session.slug)
        assert position.title_ja == "さいたま市長" and row.role == "speaker"
    # さいたま市長が登壇した会議等: four in all
    assert len(db.exec(select(m.Session).where(m.Session.event_id == cop.id)).all()) == 4


# --- The 2022 summit -------------------------------------------------------------------------


def test_saitama_summit_2022(db):
    summit = one(db, m.Event, slug="saitama-summit-2022")
    assert summit.title_ja == "さいたまサステナブル都市サミット～E-KIZUNA グローバルサミット～"
    assert summit.theme_ja == "持続可能な都市の実現に向けて、今、私たちがすべきこと"
    assert (summit.start_date, summit.end_date) == (date(2022, 11, 22), date(2022, 11, 24))
    assert summit.starts_at is None and summit.ends_at is None  # all-day
    assert summit.timezone == "Asia/Tokyo"
    assert summit.venue_ja is None and summit.venue_en is None  # not given in the source
    assert summit.status == "held" and summit.visibility == "public"


def test_summit_totals(db):
    summit = one(db, m.Event, slug="saitama-summit-2022")
    totals = one(db, m.ParticipationTotals, event_id=summit.id)
    assert (totals.total, totals.overseas_countries, totals.overseas_cities, totals.domestic_cities,
            totals.organisations, totals.sponsors) == (329, 9, 15, 22, 50, 23)


def test_summit_organisation_roles(db):
    summit = one(db, m.Event, slug="saitama-summit-2022")
    roles = db.exec(select(m.OrganisationRole).where(m.OrganisationRole.event_id == summit.id,
                                                     m.OrganisationRole.session_id.is_(None))).all()

    def names(role):
        rows = sorted((r for r in roles if r.role == role), key=lambda r: r.sort_order)
        return [db.get(m.Organisation, r.organisation_id).name_ja for r in rows]

    assert names("host") == ["さいたま市"]
    assert names("co_host") == ["イクレイ日本"]
    assert names("support") == ["外務省", "環境省", "国土交通省", "経済産業省"]
    assert names("sponsor") == []  # 23 companies, not named
    for name in ("外務省", "環境省", "国土交通省", "経済産業省"):
        ministry = one(db, m.Organisation, name_ja=name)
        assert (ministry.kind, ministry.country) == ("ministry", "JP")


def test_urban7_session_at_the_summit(db):
    summit = one(db, m.Event, slug="saitama-summit-2022")
    [session] = db.exec(select(m.Session).where(m.Session.event_id == summit.id)).all()
    assert session.theme_ja == "グローバルな課題と地方公共団体の役割"
    assert session.day is None and session.starts_at is None
    rows = participants(db, session.slug)
    people = [db.get(m.Person, row.person_id) for _, row in rows]
    assert [(p.family_name_latin, p.given_name_latin) for p in people] == [
        ("Shimizu", "Hayato"), ("Kurz", "Peter"), ("Lewe", "Markus"), ("König", "Marcus")]
    assert [position.title_ja for position, _ in rows] == [
        "さいたま市長", "マンハイム市長", "ミュンスター市長", "ニュルンベルク市長"]
    assert all(row.role != "moderator" for _, row in rows)  # the source does not say who moderated


def test_names(db):
    shimizu = one(db, m.Person, family_name_ja="清水")
    assert (shimizu.given_name_ja, shimizu.name_kana, shimizu.name_order) == ("勇人", "しみず はやと",
                                                                              "family_first")
    koenig = one(db, m.Person, given_name_latin="Marcus")
    assert koenig.family_name_latin == "König"  # with ö, never Koenig or König decomposed
    assert "\u00f6" in koenig.family_name_latin
    assert koenig.name_order == "given_first"
    # The slide gives the German mayors in Latin letters only; their katakana forms are those
    # the Japanese press writes (so that クルツ finds Peter Kurz).
    assert {p.slug: p.name_katakana for p in db.exec(select(m.Person)).all()} == {
        "shimizu-hayato": None, "peter-kurz": "ペーター・クルツ", "markus-lewe": "マルクス・レーヴェ",
        "marcus-koenig": "マルクス・ケーニヒ"}
    for position in db.exec(select(m.Position)).all():
        assert position.start is None and position.end is None  # no dates in the source


# --- Cities, networks ------------------------------------------------------------------------

CITY_SLUGS = {"saitama", "mannheim", "muenster", "nuremberg", "kuala-lumpur", "penang", "kuching-north",
              "johor-bahru", "kobe", "baku", "arezzo", "autun", "blytheville", "giessen", "zagreb",
              "niteroi"}


def test_cities(db):
    cities = {c.slug: c for c in db.exec(select(m.City)).all()}
    assert set(cities) == CITY_SLUGS
    assert [slug for slug, c in cities.items() if c.is_home] == ["saitama"]
    for slug in ("kuala-lumpur", "penang", "johor-bahru", "kuching-north"):
        assert cities[slug].country == "MY"
        assert cities[slug].timezone in ("Asia/Kuala_Lumpur", "Asia/Kuching")
    assert all(c.timezone != "Asia/Singapore" for c in cities.values())
    assert cities["baku"].timezone == "Asia/Baku"
    assert cities["saitama"].timezone == "Asia/Tokyo"
    for city in cities.values():
        ZoneInfo(city.timezone)
        assert city.latitude is None and city.longitude is None


def test_kuala_lumpur_mayor_then(db):
    kl = one(db, m.City, slug="kuala-lumpur")
    then = [p for p in db.exec(select(m.Position).where(m.Position.city_id == kl.id)).all() if p.ended]
    assert len(then) == 1
    assert then[0].person_id is None  # no name in the source
    rows = participants(db, "kuala-lumpur-high-level-talks")
    assert {position.title_ja for position, _ in rows} == {"クアラルンプール市長", "さいたま市長"}
    assert any(position.ended for position, _ in rows)


def test_malaysian_visits_have_no_dates(db):
    visits = db.exec(select(m.Event).where(m.Event.kind.in_(("inbound_visit", "outbound_visit")))).all()
    assert len(visits) >= 3
    for visit in visits:
        assert visit.start_date is None and visit.end_date is None and visit.starts_at is None
    inbound = [v for v in visits if v.kind == "inbound_visit"]
    assert [db.get(m.City, v.city_id).slug for v in inbound] == ["saitama"]
    [misono] = db.exec(select(m.Session).where(m.Session.event_id == inbound[0].id)).all()
    assert "美園" in misono.title_ja
    assert {position.title_ja for position, _ in participants(db, misono.slug)} == {
        "クアラルンプール市長", "ペナン市長", "クチン北市長"}
    johor = [v for v in visits if db.get(m.City, v.city_id).slug == "johor-bahru"]
    assert johor and "エコガーデン" in johor[0].title_ja


def test_urban7(db):
    urban7 = one(db, m.Network, slug="urban7")
    assert urban7.founded == "2021"
    assert urban7.description_ja == ("G7各国の都市連合で構成される連合体であり、G7各国政府へ共同して意見を"
                                     "述べることを目的に、2021年に立ち上げられた。")
    members = db.exec(select(m.Membership).where(m.Membership.network_id == urban7.id)).all()
    assert sorted((db.get(m.Organisation, x.organisation_id).name_ja, x.country) for x in members) == [
        ("カナダ自治体連盟", "CA"), ("指定都市市長会", "JP")]


def test_urban7_2025(db):
    summit = one(db, m.Event, slug="u7-summit-2025")
    assert (summit.start_date, summit.end_date) == (date(2025, 4, 29), date(2025, 4, 29))
    assert summit.venue_ja == "神戸ポートピアホテル"
    assert db.get(m.City, summit.city_id).slug == "kobe"
    handover = db.exec(select(m.Event).where(m.Event.start_date == date(2025, 5, 29))).one()
    assert "A Case for Constructive Multilevel Multilateralism" in handover.theme_en
    assert "建設的な多層的・多国間主義の実現に向けた提案" in handover.theme_ja
    assert handover.city_id is None and handover.venue_ja is None


# --- The home city's record ------------------------------------------------------------------


def test_milestones_fuzzy_dates(db):
    milestones = {x.when: x for x in db.exec(select(m.Milestone)).all()}
    assert set(milestones) == {"2009", "2011", "2019-07", "2020-07", "2022-04", "2022-11", "2024-08"}
    assert {w for w, x in milestones.items() if x.ongoing} == {"2009", "2011", "2019-07", "2020-07",
                                                               "2022-04"}
    assert "E-KIZUNA" in milestones["2009"].title_ja
    summit = one(db, m.Event, slug="saitama-summit-2022")
    assert milestones["2022-11"].event_id == summit.id


def test_key_figures(db):
    figures = db.exec(select(m.KeyFigure)).all()
    base = [f for f in figures if f.unit == "t-CO2" and f.kind == "actual"]
    assert len(base) == 1 and base[0].value == 7_674_000 and base[0].period == "FY2013"  # 767.4万t-CO2
    [achieved] = [f for f in figures if f.kind == "actual" and f.unit == "%"]
    assert achieved.value == pytest.approx(21.7)
    assert achieved.base_period == "FY2013" and achieved.period is None
    [target] = [f for f in figures if f.kind == "target" and f.unit == "%"]
    assert target.value == 51 and target.base_period == "FY2013" and target.period == "FY2030"
    [zero] = [f for f in figures if f.period == "FY2050"]
    assert zero.kind == "target" and "ゼロカーボン" in zero.label_ja
    # 2050年度 ゼロカーボンシティ達成(目標): a goal, so the English does not say it was achieved
    assert "achieved" not in zero.label_en.lower() and "Zero Carbon City" in zero.label_en


def test_posts_are_confirmed_as_of_the_slide_that_shows_them(db):
    def as_of(slug):
        return one(db, m.Position, slug=slug).as_of
    # 清水勇人（さいたま市長）, Peter Kurz (マンハイム市長) … at the summit of 2022.11: named there only
    for slug in ("mayor-of-saitama", "mayor-of-mannheim", "mayor-of-muenster", "mayor-of-nuremberg"):
        assert as_of(slug) == "2022-11", slug
    # the COP29 speakers (11 Nov 2024) and participants of the talks (12 Nov 2024), not named
    for slug in ("secretary-california-natural-resources-agency", "chief-urban-practices-un-habitat",
                 "president-zagreb-city-assembly", "mayor-of-niteroi", "iclei-global-advocacy-director",
                 "mayor-of-arezzo", "mayor-of-autun", "mayor-of-blytheville",
                 "district-administrator-giessen", "deputy-director-uk-desnz", "chair-iclei-japan",
                 "secretary-general-iclei-japan"):
        position = one(db, m.Position, slug=slug)
        assert (position.as_of, position.person_id) == ("2024-11", None), slug
    # the Malaysian visits carry no date at all; the then Mayor of Kuala Lumpur has left the post
    for slug in ("mayor-of-kuala-lumpur", "mayor-of-penang", "mayor-of-kuching-north"):
        assert as_of(slug) is None, slug
    then = one(db, m.Position, slug="mayor-of-kuala-lumpur-then")
    assert then.ended and then.as_of is None


def test_projects(db):
    waste = db.exec(select(m.Project).where(m.Project.title_ja.contains("ごみ発電"))).one()
    assert (waste.start, waste.planned) == ("FY2026", True)  # 令和８年度（予定）
    assert "自己託送" in waste.summary_ja
    model = one(db, m.Project, title_ja="さいたま発の公民学によるグリーン共創モデル")
    partners = db.exec(select(m.ProjectPartner).where(m.ProjectPartner.project_id == model.id)
                       .order_by(m.ProjectPartner.role, m.ProjectPartner.sort_order)).all()
    assert [(p.role, db.get(m.Organisation, p.organisation_id).name_ja) for p in partners] == [
        ("co_proposer", "学校法人芝浦工業大学"), ("co_proposer", "国立大学法人埼玉大学"),
        ("co_proposer", "東京電力パワーグリッド株式会社埼玉総支社"), ("proposer", "さいたま市")]
    assert "2030" in model.summary_ja and "2030" in model.summary_en


# --- Whole-dataset properties ----------------------------------------------------------------


def test_every_bilingual_field_is_translated(db):
    missing = []
    for model in m.ALL_TABLES:
        pairs = [name[:-3] for name in model.model_fields if name.endswith("_ja")
                 and f"{name[:-3]}_en" in model.model_fields]
        for row in db.exec(select(model)).all():
            for stem in pairs:
                ja, en = getattr(row, f"{stem}_ja"), getattr(row, f"{stem}_en")
                if (ja is None) != (en is None) or ja == "" or en == "":
                    missing.append((model.__tablename__, getattr(row, "slug", row.id), stem))
    assert missing == []


def test_fixed_timestamps_and_revision(db):
    stamp = datetime(2026, 1, 1, tzinfo=UTC)
    for model in m.ALL_TABLES:
        for row in db.exec(select(model)).all():
            if isinstance(row, m.Change):  # the demo's history: one creation per record, same stamp
                assert as_utc(row.at) == stamp and (row.action, row.origin) == ("create", "demo")
                continue
            assert as_utc(row.created_at) == stamp and as_utc(row.updated_at) == stamp
            assert row.revision == 1
            if hasattr(row, "visibility"):
                assert row.visibility == "public"
            if isinstance(row, (m.Event, m.Session)):
                assert row.status == "held"


def test_load_twice(tmp_path):
    engine = open_database(f"sqlite:///{tmp_path}/t.db")
    counts = load_demo(engine)
    assert counts["city"] == 16 and counts["registration"] == 0
    with pytest.raises(CitynetError, match="already holds data; use --force"):
        load_demo(engine)
    assert load_demo(engine, force=True) == counts
