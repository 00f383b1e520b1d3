"""Search relevance: what a user types, and the record a user wants to see first.

The store holds the demo data plus a deterministic set of namesakes and hard spellings, all
written through the single write path: 40 people named ABE Ai (阿部 愛) each holding another
post, one ABE Daisuke, about two hundred people named Sato (佐藤) with different given names and
40 cities named Sato (佐藤市, one per prefecture), a city stored in half-width katakana
(ｷｮｳﾄｼﾃｨ), Tōkyō with macrons, long vowels written three ways (Ohno, Kōno, Itō), Hepburn and
Kunrei variants (Tsuchiya Jun'ichi, Shimbashi), a Korean name in Hangul, an Arabic name,
organisations known by their abbreviation (UNFCCC, JICA, C40) and the COPs either side of COP29.

It checks:

- the relevance table (:data:`TABLE`): for each query — kanji, hiragana, katakana in full and
  half width, romaji in Hepburn and its variants, full-width Latin, diacritics, several words in
  either order, abbreviations and initials — the kind and slug of the first hit, on SQLite and on
  PostgreSQL. The expected record is the one a user typing the query is looking for, written from
  the data above, not copied from the engine's output. A slug ending in ``*`` stands for any of a
  group of namesakes (any ABE Ai, any Sato, any mayor): which of them comes first is the list
  order's business;
- that both engines give the same ordered hits and the same totals for every query of the table;
- honest results: namesakes carry what tells them apart (their post, their region), the totals
  per kind count exactly the records that match (all 40 ABE Ai and never ABE Daisuke, every Sato
  and nothing else, the query not being *broad*), pages join up, and among namesakes the one
  taking part in an upcoming session comes first.

The store is built once per engine (module scope); the PostgreSQL half is skipped with a visible
reason unless ``CITYNET_TEST_POSTGRES_URL`` names a server.
"""

from __future__ import annotations

import secrets
import shutil
from collections.abc import Iterator
from datetime import date, timedelta
from fnmatch import fnmatchcase
from pathlib import Path
from urllib.parse import quote

import pytest
import sqlalchemy as sa
from conftest import BACKENDS
from sqlalchemy.engine import Engine

from citynet.demo.loader import load_demo
from citynet.services.hits import SearchResults, search
from citynet.services.records import writing
from citynet.services.search import match
from citynet.store import models as m
from citynet.store.db import open_database

# --- the synthetic records ------------------------------------------------------------------------

# 47 prefectures minus 7: the 40 cities named Sato (佐藤市), one in each (slug sato-<prefecture>).
PREFECTURES = [
    ("hokkaido", "北海道", "Hokkaido"), ("aomori", "青森県", "Aomori Prefecture"),
    ("iwate", "岩手県", "Iwate Prefecture"), ("miyagi", "宮城県", "Miyagi Prefecture"),
    ("akita", "秋田県", "Akita Prefecture"), ("yamagata", "山形県", "Yamagata Prefecture"),
    ("fukushima", "福島県", "Fukushima Prefecture"), ("ibaraki", "茨城県", "Ibaraki Prefecture"),
    ("tochigi", "栃木県", "Tochigi Prefecture"), ("gunma", "群馬県", "Gunma Prefecture"),
    ("chiba", "千葉県", "Chiba Prefecture"), ("kanagawa", "神奈川県", "Kanagawa Prefecture"),
    ("niigata", "新潟県", "Niigata Prefecture"), ("toyama", "富山県", "Toyama Prefecture"),
    ("ishikawa", "石川県", "Ishikawa Prefecture"), ("fukui", "福井県", "Fukui Prefecture"),
    ("yamanashi", "山梨県", "Yamanashi Prefecture"), ("nagano", "長野県", "Nagano Prefecture"),
    ("gifu", "岐阜県", "Gifu Prefecture"), ("shizuoka", "静岡県", "Shizuoka Prefecture"),
    ("aichi", "愛知県", "Aichi Prefecture"), ("mie", "三重県", "Mie Prefecture"),
    ("shiga", "滋賀県", "Shiga Prefecture"), ("nara", "奈良県", "Nara Prefecture"),
    ("wakayama", "和歌山県", "Wakayama Prefecture"), ("tottori", "鳥取県", "Tottori Prefecture"),
    ("shimane", "島根県", "Shimane Prefecture"), ("okayama", "岡山県", "Okayama Prefecture"),
    ("hiroshima", "広島県", "Hiroshima Prefecture"), ("yamaguchi", "山口県", "Yamaguchi Prefecture"),
    ("tokushima", "徳島県", "Tokushima Prefecture"), ("kagawa", "香川県", "Kagawa Prefecture"),
    ("ehime", "愛媛県", "Ehime Prefecture"), ("kochi", "高知県", "Kochi Prefecture"),
    ("fukuoka", "福岡県", "Fukuoka Prefecture"), ("saga", "佐賀県", "Saga Prefecture"),
    ("nagasaki", "長崎県", "Nagasaki Prefecture"), ("kumamoto", "熊本県", "Kumamoto Prefecture"),
    ("oita", "大分県", "Oita Prefecture"), ("miyazaki", "宮崎県", "Miyazaki Prefecture"),
]
SATO_CITIES = len(PREFECTURES)

# Given names of the Sato people: a first and a second part, (romaji, kana, kanji) each.
_FIRST = [("ken", "けん", "健"), ("sho", "しょう", "翔"), ("ryo", "りょう", "亮"), ("taku", "たく", "拓"),
          ("yu", "ゆう", "優"), ("kei", "けい", "圭"), ("shin", "しん", "慎"), ("ko", "こう", "浩"),
          ("tatsu", "たつ", "達"), ("hide", "ひで", "秀"), ("kazu", "かず", "和"), ("nao", "なお", "直"),
          ("tomo", "とも", "智"), ("haru", "はる", "春"), ("yoshi", "よし", "義"), ("teru", "てる", "輝"),
          ("nobu", "のぶ", "信"), ("tetsu", "てつ", "哲"), ("masa", "まさ", "正"), ("hiro", "ひろ", "博")]
_SECOND = [("ta", "た", "太"), ("suke", "すけ", "介"), ("hei", "へい", "平"), ("ya", "や", "也"),
           ("to", "と", "人"), ("ji", "じ", "治"), ("go", "ご", "吾"), ("ma", "ま", "真"),
           ("ki", "き", "樹"), ("ro", "ろう", "郎")]
# No Sato may be found by another test's word (Masato holds "sato", Yoshito "ito").
_TAKEN = ("sato", "ito", "ono", "abe", "kim", "taro", "kazuko", "daisuke", "hayato")
SATO_GIVEN = [(a + b, ak + bk, aj + bj) for a, ak, aj in _FIRST for b, bk, bj in _SECOND
              if not any(word in a + b for word in _TAKEN)]

# The 40 ABE Ai: each holds another post (a title at one of eight bodies of the demo).
ABE_AI = 40
POST_TITLES = [
    ("climate-policy-director", "気候変動政策課長", "Director, Climate Change Policy Division"),
    ("international-office-head", "国際協力室長", "Head, International Cooperation Office"),
    ("senior-researcher", "主任研究員", "Senior Researcher"),
    ("urban-planning-chief", "都市計画係長", "Chief, Urban Planning Section"),
    ("policy-adviser", "政策参与", "Policy Adviser"),
]
POST_BODIES = ["moe", "mlit", "meti", "mofa", "cabinet-office", "saitama-city-government",
               "iclei-japan", "saitama-university"]
RECENT_ABE_AI = "abe-ai-17"  # her post takes part in the upcoming Shimbashi site visit

JP = dict(country="JP", timezone="Asia/Tokyo")


def _city(slug, name_ja, name_en, name_kana=None, *, country, timezone, region_ja=None,
          region_en=None):
    return dict(slug=slug, name_ja=name_ja, name_en=name_en, name_kana=name_kana, country=country,
                timezone=timezone, region_ja=region_ja, region_en=region_en)


def _person(slug, family_ja, given_ja, family_latin, given_latin, kana=None, katakana=None,
            order="family_first"):
    return dict(slug=slug, family_name_ja=family_ja, given_name_ja=given_ja,
                family_name_latin=family_latin, given_name_latin=given_latin, name_kana=kana,
                name_katakana=katakana, name_order=order)


def _organisation(slug, name_ja, name_en, kind, *, kana=None, abbreviation=None, country=None):
    return dict(slug=slug, name_ja=name_ja, name_en=name_en, name_kana=kana,
                abbreviation=abbreviation, kind=kind, country=country)


def add_synthetic(engine: Engine) -> None:
    """The namesakes and hard spellings, written through the write path in one transaction."""
    soon = date.today() + timedelta(days=45)  # "upcoming", whenever the test runs
    with writing(engine, origin="cli") as w:
        cities = {info.slug: info.id for info in w.create_many("city", [
            *(_city(f"sato-{key}", "佐藤市", "Sato", "さとうし", region_ja=ja, region_en=en, **JP)
              for key, ja, en in PREFECTURES),
            _city("kyoto", "ｷｮｳﾄｼﾃｨ", "Kyoto City", region_ja="京都府", region_en="Kyoto Prefecture",
                  **JP),  # a legacy import in half-width katakana
            _city("tokyo", "東京都", "Tōkyō", "とうきょうと", region_ja="東京都", region_en="Tokyo",
                  **JP),
            _city("dubai", "ドバイ", "Dubai", country="AE", timezone="Asia/Dubai",
                  region_en="Emirate of Dubai"),
            _city("belem", "ベレン", "Belém", country="BR", timezone="America/Belem",
                  region_en="Pará"),
            _city("seoul", "ソウル特別市", "Seoul", country="KR", timezone="Asia/Seoul"),
        ])}
        w.create_many("organisation", [
            _organisation("unfccc", "国連気候変動枠組条約事務局",
                          "United Nations Framework Convention on Climate Change secretariat",
                          "un_body", abbreviation="UNFCCC"),
            _organisation("jica", "独立行政法人国際協力機構", "Japan International Cooperation Agency",
                          "government_agency", kana="こくさいきょうりょくきこう",
                          abbreviation="JICA", country="JP"),
            _organisation("c40", "C40世界大都市気候先導グループ", "C40 Cities Climate Leadership Group",
                          "ngo", abbreviation="C40"),
            _organisation("seoul-metropolitan-government", "ソウル特別市庁",
                          "Seoul Metropolitan Government", "city_government", country="KR"),
        ])
        people = {info.slug: info.id for info in w.create_many("person", [
            *(_person(f"abe-ai-{n:02d}", "阿部", "愛", "Abe", "Ai", "あべ あい")
              for n in range(1, ABE_AI + 1)),
            _person("abe-daisuke", "阿部", "大輔", "Abe", "Daisuke", "あべ だいすけ"),
            *(_person(f"sato-{romaji}", "佐藤", kanji, "Sato", romaji.capitalize(), f"さとう {kana}")
              for romaji, kana, kanji in SATO_GIVEN),
            _person("ohno-kazuko", "大野", "和子", "Ohno", "Kazuko", "おおの かずこ"),
            _person("kono-taro", "河野", "太郎", "Kōno", "Tarō", "こうの たろう"),
            _person("itoh-misaki", "伊藤", "美咲", "Itō", "Misaki", "いとう みさき"),
            _person("tsuchiya-junichi", "土屋", "純一", "Tsuchiya", "Jun'ichi", "つちや じゅんいち"),
            _person("hayashi-midori", "林", "翠", "Hayashi", "Midori", "はやし みどり"),
            _person("kobayashi-kenichi", "小林", "健一", "Kobayashi", "Ken'ichi", "こばやし けんいち"),
            _person("mori-takashi", "森", "隆", "Mori", "Takashi", "もり たかし"),
            _person("morita-yuko", "森田", "裕子", "Morita", "Yuko", "もりた ゆうこ"),
            # a Korean name: the name in its own script where a Japanese name has its kanji
            _person("kim-minjun", "김", "민준", "Kim", "Min-jun", katakana="キム・ミンジュン"),
            _person("fatima-al-mansouri", None, None, "Al Mansouri", "Fatima",
                    katakana="ファーティマ・アル・マンスーリ", order="given_first"),
        ])}
        table = m.Organisation.__table__
        bodies = dict(w.c.execute(sa.select(table.c.slug, table.c.id)
                                  .where(table.c.slug.in_(POST_BODIES))).all())
        posts = [(body, key, ja, en) for body in POST_BODIES for key, ja, en in POST_TITLES]
        assert len(posts) == ABE_AI
        positions = w.create_many("position", [
            dict(slug=f"{body}-{key}", title_ja=ja, title_en=en, organisation_id=bodies[body],
                 person_id=people[f"abe-ai-{n:02d}"])
            for n, (body, key, ja, en) in enumerate(posts, start=1)])
        events = {info.slug: info.id for info in w.create_many("event", [
            dict(slug="cop28", kind="conference", status="held", city_id=cities["dubai"],
                 timezone="Asia/Dubai", start_date="2023-11-30", end_date="2023-12-12",
                 title_ja="国連気候変動枠組条約第28回締約国会議（COP28）",
                 title_en="28th Conference of the Parties to the UNFCCC (COP28)"),
            dict(slug="cop30", kind="conference", status="held", city_id=cities["belem"],
                 timezone="America/Belem", start_date="2025-11-10", end_date="2025-11-21",
                 title_ja="国連気候変動枠組条約第30回締約国会議（COP30）",
                 title_en="30th Conference of the Parties to the UNFCCC (COP30)"),
            dict(slug="tokyo-redevelopment-tour", kind="outbound_visit", status="confirmed",
                 city_id=cities["tokyo"], timezone="Asia/Tokyo", start_date=soon.isoformat(),
                 end_date=soon.isoformat(), title_ja="都心再開発の視察",
                 title_en="Study tour of inner-city redevelopment"),
        ])}
        session = w.create("session", dict(
            slug="shimbashi-redevelopment-visit", event_id=events["tokyo-redevelopment-tour"],
            kind="site_visit", day=soon.isoformat(), title_ja="新橋駅西口地区再開発の視察",
            title_en="Site visit to the Shimbashi Station West Exit redevelopment"))
        recent_post = positions[int(RECENT_ABE_AI.rsplit("-", 1)[1]) - 1].id
        w.create("participant", dict(session_id=session.id, position_id=recent_post,
                                     role="participant"))


# --- the stores, one per engine -------------------------------------------------------------------


@pytest.fixture(scope="module")
def sqlite_store(tmp_path_factory: pytest.TempPathFactory,
                 demo_sqlite_template: Path) -> Iterator[Engine]:
    """The demo (a copy of the session's demo file, which ``load_demo`` filled) plus the synthetic
    records, on SQLite."""
    path = tmp_path_factory.mktemp("relevance") / "citynet.db"
    shutil.copyfile(demo_sqlite_template, path)
    engine = open_database(f"sqlite:///{path}")
    add_synthetic(engine)
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def pg_store(pg_admin_engine: Engine) -> Iterator[Engine]:
    """The same on PostgreSQL, in a schema of its own (as conftest's ``pg_url`` makes one, but
    for the whole module), dropped afterwards."""
    schema = f"citynet_t_{secrets.token_hex(6)}"
    with pg_admin_engine.connect() as connection:
        connection.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    base = pg_admin_engine.url.render_as_string(hide_password=False)
    separator = "&" if "?" in base else "?"
    engine = open_database(f"{base}{separator}options={quote(f'-csearch_path={schema}', safe='')}")
    try:
        load_demo(engine)
        add_synthetic(engine)
        yield engine
    finally:
        engine.dispose()
        with pg_admin_engine.connect() as connection:
            connection.execute(sa.text("SET lock_timeout = '20s'"))
            connection.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))


@pytest.fixture(scope="module", params=BACKENDS)
def store(request: pytest.FixtureRequest) -> Engine:
    return request.getfixturevalue("pg_store" if request.param == "postgres" else "sqlite_store")


# --- the relevance table --------------------------------------------------------------------------

TABLE: list[tuple[str, str, str]] = [
    # ABE Ai: any of the forty, never ABE Daisuke; in any order, script and width
    ("abe ai", "person", "abe-ai-*"),
    ("ai abe", "person", "abe-ai-*"),
    ("ＡＢＥ　ＡＩ", "person", "abe-ai-*"),
    ("阿部 愛", "person", "abe-ai-*"),
    ("阿部愛", "person", "abe-ai-*"),
    ("あべ あい", "person", "abe-ai-*"),
    ("アベ アイ", "person", "abe-ai-*"),
    ("ｱﾍﾞ ｱｲ", "person", "abe-ai-*"),
    ("ai", "person", "abe-ai-*"),  # two Latin letters: the start of a word (not dAIsuke)
    ("abe daisuke", "person", "abe-daisuke"),
    ("daisuke abe", "person", "abe-daisuke"),
    ("阿部 大輔", "person", "abe-daisuke"),
    ("だいすけ", "person", "abe-daisuke"),
    # Sato: people before the 40 cities called Sato; one Sato by both names
    ("sato", "person", "sato-*"),
    ("ＳＡＴＯ", "person", "sato-*"),
    ("satou", "person", "sato-*"),
    ("satoh", "person", "sato-*"),
    ("さとう", "person", "sato-*"),
    ("サトウ", "person", "sato-*"),
    ("佐藤", "person", "sato-*"),
    ("sato kenta", "person", "sato-kenta"),
    ("kenta sato", "person", "sato-kenta"),
    ("佐藤健太", "person", "sato-kenta"),
    ("さとう けんた", "person", "sato-kenta"),
    ("佐藤市", "city", "sato-*"),
    # long vowels: Ōno = Oono = Ohno, Kōno = Kouno = Kohno, Itō = Itou = Itoh
    ("ohno", "person", "ohno-kazuko"),
    ("Ōno", "person", "ohno-kazuko"),
    ("oono kazuko", "person", "ohno-kazuko"),
    ("おおの", "person", "ohno-kazuko"),
    ("大野", "person", "ohno-kazuko"),
    ("kouno tarou", "person", "kono-taro"),
    ("kohno taro", "person", "kono-taro"),
    ("河野太郎", "person", "kono-taro"),
    ("itoh", "person", "itoh-misaki"),
    ("itou misaki", "person", "itoh-misaki"),
    ("いとう", "person", "itoh-misaki"),
    # Hepburn and Kunrei: tsu/tu, chi/ti, ji/zi, m/n before b, the apostrophe of Jun'ichi
    ("tutiya", "person", "tsuchiya-junichi"),
    ("TSUCHIYA", "person", "tsuchiya-junichi"),
    ("junichi", "person", "tsuchiya-junichi"),
    ("jun'ichi tsuchiya", "person", "tsuchiya-junichi"),
    ("ｼﾞｭﾝｲﾁ", "person", "tsuchiya-junichi"),
    ("土屋", "person", "tsuchiya-junichi"),
    ("shinbashi", "session", "shimbashi-redevelopment-visit"),
    ("shimbashi", "session", "shimbashi-redevelopment-visit"),
    ("しんばし", "session", "shimbashi-redevelopment-visit"),
    ("新橋", "session", "shimbashi-redevelopment-visit"),
    # one character: a whole word only (林 is not 小林, 森 is not 森田)
    ("林", "person", "hayashi-midori"),
    ("小林", "person", "kobayashi-kenichi"),
    ("森", "person", "mori-takashi"),
    ("mori", "person", "mori-takashi"),
    # Korean and Arabic names
    ("김민준", "person", "kim-minjun"),
    ("민준", "person", "kim-minjun"),
    ("kim minjun", "person", "kim-minjun"),
    ("min-jun kim", "person", "kim-minjun"),
    ("キム・ミンジュン", "person", "kim-minjun"),
    ("fatima al mansouri", "person", "fatima-al-mansouri"),
    ("al-mansouri", "person", "fatima-al-mansouri"),
    ("マンスーリ", "person", "fatima-al-mansouri"),
    # the demo's people
    ("クルツ", "person", "peter-kurz"),
    ("ｸﾙﾂ", "person", "peter-kurz"),
    ("kurz", "person", "peter-kurz"),
    ("kurz peter", "person", "peter-kurz"),
    ("しみず はやと", "person", "shimizu-hayato"),
    ("清水勇人", "person", "shimizu-hayato"),
    ("shimizu", "person", "shimizu-hayato"),
    ("hayato shimizu", "person", "shimizu-hayato"),
    ("シミズ", "person", "shimizu-hayato"),
    ("könig", "person", "marcus-koenig"),
    ("koenig", "person", "marcus-koenig"),
    ("ケーニヒ", "person", "marcus-koenig"),
    ("lewe", "person", "markus-lewe"),
    ("レーヴェ", "person", "markus-lewe"),
    # cities: diacritics, ß, kana, width; cities before their mayors and events
    ("munster", "city", "muenster"),
    ("muenster", "city", "muenster"),
    ("Münster", "city", "muenster"),
    ("ＭＵＥＮＳＴＥＲ", "city", "muenster"),
    ("ミュンスター", "city", "muenster"),
    ("niteroi", "city", "niteroi"),
    ("Niterói", "city", "niteroi"),
    ("ニテロイ", "city", "niteroi"),
    ("gießen", "city", "giessen"),
    ("belem", "city", "belem"),
    ("とうきょう", "city", "tokyo"),
    ("tokyo", "city", "tokyo"),
    ("toukyou", "city", "tokyo"),
    ("tookyoo", "city", "tokyo"),
    ("東京", "city", "tokyo"),
    ("キョウトシティ", "city", "kyoto"),
    ("ｷｮｳﾄｼﾃｨ", "city", "kyoto"),
    ("きょうと", "city", "kyoto"),
    ("kyoto", "city", "kyoto"),
    ("さいたま", "city", "saitama"),
    ("ＳＡＩＴＡＭＡ", "city", "saitama"),
    ("さいたま市", "city", "saitama"),
    ("こうべ", "city", "kobe"),
    ("神戸", "city", "kobe"),
    ("lumpur kuala", "city", "kuala-lumpur"),
    ("seoul", "city", "seoul"),
    ("ソウル", "city", "seoul"),
    # posts: words across title and body, in either order and script
    ("mayor mannheim", "position", "mayor-of-mannheim"),
    ("mannheim mayor", "position", "mayor-of-mannheim"),
    ("市長 マンハイム", "position", "mayor-of-mannheim"),
    ("マンハイム市長", "position", "mayor-of-mannheim"),
    ("さいたま市長", "position", "mayor-of-saitama"),
    ("mayor saitama", "position", "mayor-of-saitama"),
    ("mayor", "position", "mayor-of-*"),
    ("市長", "position", "mayor-of-*"),  # a user looking for mayors, not for a summit
    # organisations and networks: abbreviations, initials, organisations before networks
    ("ICLEI", "organisation", "iclei"),
    ("イクレイ", "organisation", "iclei"),
    ("iclei japan", "organisation", "iclei-japan"),
    ("イクレイ日本", "organisation", "iclei-japan"),
    ("MOFA", "organisation", "mofa"),
    ("外務省", "organisation", "mofa"),
    ("gaimusho", "organisation", "mofa"),
    ("METI", "organisation", "meti"),
    ("JICA", "organisation", "jica"),
    ("UNFCCC", "organisation", "unfccc"),
    ("C40", "organisation", "c40"),
    ("TEPCO HD", "organisation", "tepco-holdings"),
    ("東京電力ホールディングス", "organisation", "tepco-holdings"),
    ("埼玉大学", "organisation", "saitama-university"),
    ("UN-Habitat", "organisation", "un-habitat"),
    ("saitama city", "organisation", "saitama-city-government"),
    ("U7", "network", "urban7"),
    ("Ｕ７", "network", "urban7"),
    ("urban7", "network", "urban7"),
    # events: COP29 among COP28 and COP30, written every way
    ("COP29", "event", "cop29"),
    ("cop 29", "event", "cop29"),
    ("ＣＯＰ２９", "event", "cop29"),
    ("第29回締約国会議", "event", "cop29"),
    ("COP28", "event", "cop28"),
    ("cop30", "event", "cop30"),
    ("きずな", "event", "saitama-summit-2022"),
    ("E-KIZUNA", "event", "saitama-summit-2022"),
    ("SSCS", "event", "saitama-summit-2022"),
    ("mayors summit", "event", "u7-summit-2025"),
    ("市長サミット", "event", "u7-summit-2025"),
    # sessions and projects
    ("E-KIZUNAハイレベル会議", "session", "e-kizuna-high-level-talks"),
    ("high-level talks", "session", "kuala-lumpur-high-level-talks"),  # its whole title
    ("press conference", "session", "cop29-press-conference"),
    ("クリーン・シティ・パートナーシップ", "session", "cop29-clean-city-partnership-seminar"),
    ("misono", "session", "misono-model-block-site-visit"),
    ("美園", "session", "misono-model-block-site-visit"),
    ("green co-creation", "project", "green-co-creation-model"),
    ("ごみ発電", "project", "waste-power-energy-management"),
    ("waste-to-energy", "project", "waste-power-energy-management"),
]
QUERIES = list(dict.fromkeys(query for query, _kind, _slug in TABLE))


def test_the_table_is_large_and_has_no_query_twice():
    assert len(TABLE) >= 60 and len(QUERIES) == len(TABLE)


def _shown(results: SearchResults, n: int = 5) -> str:
    return ", ".join(f"{h.kind}:{h.slug}" for h in results.hits[:n]) or "nothing"


@pytest.mark.parametrize("query, kind, slug", TABLE,
                         ids=[f"{n:03d}-{slug.rstrip('*-')}" for n, (_q, _k, slug) in
                              enumerate(TABLE, start=1)])
def test_first_hit_is_what_the_user_wants(store: Engine, query: str, kind: str, slug: str):
    results = search(store, query, lang="en")
    assert results.hits, f"{query!r} finds nothing; a user wants {kind} {slug}"
    first = results.hits[0]
    assert first.kind == kind and fnmatchcase(first.slug, slug), (
        f"{query!r}: first hit {first.kind}:{first.slug}, a user wants {kind}:{slug} "
        f"(first hits: {_shown(results)})")


# --- both engines agree ---------------------------------------------------------------------------


def _answer(engine: Engine, query: str, lang: str) -> tuple:
    results = search(engine, query, lang=lang, limit=60)
    return [(h.kind, h.slug) for h in results.hits], results.total, results.totals


def test_sqlite_and_postgres_give_the_same_hits_in_the_same_order(sqlite_store: Engine,
                                                                  pg_store: Engine):
    differ = [(query, lang) for query in QUERIES for lang in ("en", "ja")
              if _answer(sqlite_store, query, lang) != _answer(pg_store, query, lang)]
    assert not differ, f"the engines differ on {differ}"


# --- honest results -------------------------------------------------------------------------------


def test_namesakes_are_told_apart_by_their_post(store: Engine):
    results = search(store, "abe ai", lang="en")
    assert results.total == ABE_AI and results.totals == {"person": ABE_AI}
    assert len(results.hits) == ABE_AI
    assert {h.label.en for h in results.hits} == {"ABE Ai"}
    assert {h.label.ja for h in results.hits} == {"阿部 愛"}
    contexts = [h.context for h in results.hits]
    assert None not in contexts and len(set(contexts)) == ABE_AI  # forty different posts
    kurz = search(store, "peter kurz", lang="en").hits[0]
    assert kurz.context.en == "Mayor of Mannheim"  # the title names its city already


@pytest.mark.parametrize("query", ["abe ai", "ai abe", "ＡＢＥ　ＡＩ", "阿部 愛", "阿部愛", "あべ あい",
                                   "アベ アイ", "ｱﾍﾞ ｱｲ"])
def test_every_spelling_of_abe_ai_finds_the_forty_and_only_them(store: Engine, query: str):
    results = search(store, query, lang="en", limit=100)
    others = sorted(h.slug for h in results.hits if not h.slug.startswith("abe-ai-"))
    assert results.totals == {"person": ABE_AI}, f"{query!r}: {results.totals}, also {others}"
    assert not others


def test_the_family_name_alone_finds_every_abe(store: Engine):
    results = search(store, "阿部", lang="ja", limit=100)
    assert results.totals == {"person": ABE_AI + 1}
    assert "abe-daisuke" in {h.slug for h in results.hits}


def test_the_one_taking_part_in_an_upcoming_session_comes_first(store: Engine):
    for query in ("abe ai", "阿部 愛", "あべ あい"):
        first = search(store, query, lang="en").hits[0]
        assert first.slug == RECENT_ABE_AI, (query, first.slug)
    # the other 39 follow in list order
    slugs = [h.slug for h in search(store, "abe ai", lang="en").hits]
    rest = [s for s in slugs if s != RECENT_ABE_AI]
    assert rest == sorted(rest)


@pytest.mark.parametrize("query", ["sato", "ＳＡＴＯ", "satou", "さとう", "サトウ", "佐藤"])
def test_every_sato_is_counted_and_nothing_else(store: Engine, query: str):
    with store.connect() as connection:  # every match is counted, not those of the first rows
        assert not match(connection, query).broad
    results = search(store, query, lang="en")
    assert results.totals == {"person": len(SATO_GIVEN), "city": SATO_CITIES}, query
    assert results.total == len(SATO_GIVEN) + SATO_CITIES
    assert [h.kind for h in results.hits] == ["person"] * len(results.hits)  # 40 people first
    assert len({h.slug for h in results.hits}) == len(results.hits)


def test_the_cities_named_sato_show_their_region(store: Engine):
    results = search(store, "sato", kinds=["city"], lang="en", limit=SATO_CITIES)
    assert results.totals == {"city": SATO_CITIES} and len(results.hits) == SATO_CITIES
    assert {h.label.en for h in results.hits} == {"Sato"}
    assert {h.country for h in results.hits} == {"JP"}
    assert {h.context.en for h in results.hits} == {en for _key, _ja, en in PREFECTURES}


def test_pages_of_a_long_list_join_up(store: Engine):
    whole = [h.slug for h in search(store, "sato", lang="en", limit=120).hits]
    pages = [h.slug for offset in range(0, 120, 40)
             for h in search(store, "sato", lang="en", limit=40, offset=offset).hits]
    assert pages == whole and len(set(whole)) == 120
    first = search(store, "sato", lang="en", limit=40, offset=40)
    assert first.offset == 40 and first.total == len(SATO_GIVEN) + SATO_CITIES


def test_a_query_for_cop29_finds_no_other_cop(store: Engine):
    events = search(store, "COP29", kinds=["event"], lang="en")
    assert [h.slug for h in events.hits] == ["cop29"] and events.totals == {"event": 1}
    assert events.hits[0].start == date(2024, 11, 11)
