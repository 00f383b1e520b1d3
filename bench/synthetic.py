"""A deterministic synthetic citynet store for benchmarks (issue 8).

    .venv/bin/python bench/synthetic.py --seed 1 --db sqlite:////tmp/big.db [--scale 1.0] [--force]

At scale 1.0: 10,000 cities in real countries and time zones (Babel's territory → zone table,
zones checked against zoneinfo), 100,000 people (about 60 % Japanese names in kanji with kana
readings and Hepburn romaji, 40 % Latin names with a katakana spelling), 2,000 organisations,
20,000 positions, 50 networks, 20,000 events, 100,000 sessions and 300,000 session participants.
The same seed and scale give the same rows, byte for byte (timestamps are fixed, not "now").

Proportions (per record, from the seeded generator):

* events: 30 % multi-day (2–5 days), 70 % all-day (dates only), the rest timed; 6 % cancelled,
  3 % postponed; 75 % public, 20 % internal, 5 % confidential; dates 2018–2028;
* sessions: 8 % known only to the day (all-day), 2 % with neither day nor time, 5 % cancelled,
  15 % internal, 3 % confidential; 09:00–18:00 local, 30–180 minutes;
* participants: 85 % a person, 15 % a position; roles mostly speaker/participant;
* one event, ``bench-programme``, has exactly 300 public sessions and 1,000 participants (the
  programme-PDF benchmark), counted inside the totals above.

The file is built once under ``bench/.cache/`` (keyed by seed, scale, generator version and schema
head) and copied to ``--db``; reruns reuse it. Rows go in with SQLAlchemy Core ``executemany`` in
one transaction, into a database created by ``citynet.store.db.open_database`` (the migrated
schema). If the schema has the search index (migration 0005) it is built by
``citynet.services.search.rebuild_index``.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import sys
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo, available_timezones

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

CACHE = ROOT / "bench" / ".cache"
GENERATOR_VERSION = 5  # 3: person.sort_key (migration 0003); 4: record uuids (0004); 5: search index (0005)
# Zones citynet's ICS exporter refused until its VTIMEZONEs were built from tzdata itself
# (icalendar's dropped some of their changes). Still left out, so that the dataset and the figures
# stay comparable with earlier runs.
UNDESCRIBABLE_ZONES = frozenset({"Africa/Casablanca", "Africa/El_Aaiun", "Pacific/Fiji"})
BASE = {"city": 10_000, "person": 100_000, "organisation": 2_000, "position": 20_000,
        "network": 50, "event": 20_000, "session": 100_000, "participant": 300_000}
PROGRAMME_EVENT = "bench-programme"
PROGRAMME_SESSIONS = 300
PROGRAMME_PARTICIPANTS = 1_000
STAMP = datetime(2026, 1, 1, tzinfo=timezone.utc)  # every updated_at is at or before this

# --- names ----------------------------------------------------------------------------------------

# (kanji, kana, romaji)
FAMILY_JA = [
    ("佐藤", "さとう", "Sato"), ("鈴木", "すずき", "Suzuki"), ("高橋", "たかはし", "Takahashi"),
    ("田中", "たなか", "Tanaka"), ("伊藤", "いとう", "Ito"), ("渡辺", "わたなべ", "Watanabe"),
    ("山本", "やまもと", "Yamamoto"), ("中村", "なかむら", "Nakamura"), ("小林", "こばやし", "Kobayashi"),
    ("加藤", "かとう", "Kato"), ("吉田", "よしだ", "Yoshida"), ("山田", "やまだ", "Yamada"),
    ("佐々木", "ささき", "Sasaki"), ("山口", "やまぐち", "Yamaguchi"), ("松本", "まつもと", "Matsumoto"),
    ("井上", "いのうえ", "Inoue"), ("木村", "きむら", "Kimura"), ("林", "はやし", "Hayashi"),
    ("斎藤", "さいとう", "Saito"), ("清水", "しみず", "Shimizu"), ("山崎", "やまざき", "Yamazaki"),
    ("森", "もり", "Mori"), ("池田", "いけだ", "Ikeda"), ("橋本", "はしもと", "Hashimoto"),
    ("阿部", "あべ", "Abe"), ("石川", "いしかわ", "Ishikawa"), ("前田", "まえだ", "Maeda"),
    ("藤田", "ふじた", "Fujita"), ("小川", "おがわ", "Ogawa"), ("岡田", "おかだ", "Okada"),
    ("長谷川", "はせがわ", "Hasegawa"), ("村上", "むらかみ", "Murakami"), ("近藤", "こんどう", "Kondo"),
    ("石井", "いしい", "Ishii"), ("坂本", "さかもと", "Sakamoto"), ("遠藤", "えんどう", "Endo"),
]
GIVEN_JA = [
    ("勇人", "はやと", "Hayato"), ("太郎", "たろう", "Taro"), ("花子", "はなこ", "Hanako"),
    ("翔太", "しょうた", "Shota"), ("陽菜", "ひな", "Hina"), ("蓮", "れん", "Ren"),
    ("結衣", "ゆい", "Yui"), ("大輔", "だいすけ", "Daisuke"), ("美咲", "みさき", "Misaki"),
    ("健太", "けんた", "Kenta"), ("さくら", "さくら", "Sakura"), ("直樹", "なおき", "Naoki"),
    ("恵", "めぐみ", "Megumi"), ("拓也", "たくや", "Takuya"), ("愛", "あい", "Ai"),
    ("誠", "まこと", "Makoto"), ("由美", "ゆみ", "Yumi"), ("浩", "ひろし", "Hiroshi"),
    ("彩", "あや", "Aya"), ("修", "おさむ", "Osamu"), ("真由美", "まゆみ", "Mayumi"),
    ("隆", "たかし", "Takashi"), ("智子", "ともこ", "Tomoko"), ("悠真", "ゆうま", "Yuma"),
]
# (romaji syllable, katakana) for Latin names and foreign place names with a katakana spelling.
SYLLABLES = [
    ("ka", "カ"), ("ki", "キ"), ("ko", "コ"), ("ma", "マ"), ("mi", "ミ"), ("mo", "モ"),
    ("na", "ナ"), ("ni", "ニ"), ("no", "ノ"), ("ra", "ラ"), ("ri", "リ"), ("ro", "ロ"),
    ("sa", "サ"), ("se", "セ"), ("so", "ソ"), ("ta", "タ"), ("te", "テ"), ("to", "ト"),
    ("la", "ラ"), ("len", "レン"), ("ber", "ベル"), ("burg", "ブルク"), ("don", "ドン"),
    ("var", "ヴァル"), ("el", "エル"), ("an", "アン"), ("har", "ハル"), ("mun", "ミュン"),
    ("ster", "スター"), ("pen", "ペン"), ("da", "ダ"), ("ba", "バ"), ("ku", "ク"), ("lum", "ルン"),
]
GIVEN_LATIN = [
    ("Anna", "アンナ"), ("Peter", "ペーター"), ("Maria", "マリア"), ("Thomas", "トーマス"),
    ("Aziz", "アジズ"), ("Siti", "シティ"), ("Elena", "エレナ"), ("Lukas", "ルーカス"),
    ("Nur", "ヌル"), ("Sophie", "ソフィー"), ("David", "デイビッド"), ("Fatima", "ファティマ"),
    ("Leyla", "レイラ"), ("Rashad", "ラシャド"), ("Olga", "オルガ"), ("Carlos", "カルロス"),
    ("Ingrid", "イングリッド"), ("Kwame", "クワメ"), ("Priya", "プリヤ"), ("Jean", "ジャン"),
]
TITLES = [("市長", "Mayor"), ("副市長", "Deputy Mayor"), ("局長", "Director-General"),
          ("部長", "Director"), ("課長", "Head of Division"), ("主任", "Officer"),
          ("議長", "Chair"), ("事務局長", "Secretary-General"), ("教授", "Professor")]
EVENT_WORDS = [("脱炭素", "Decarbonisation"), ("都市間連携", "City-to-City Cooperation"),
               ("気候変動", "Climate Action"), ("水環境", "Water"), ("スマートシティ", "Smart Cities"),
               ("交通", "Mobility"), ("防災", "Disaster Risk Reduction"), ("循環経済", "Circular Economy"),
               ("国際交流", "International Exchange"), ("再生可能エネルギー", "Renewable Energy")]
SESSION_WORDS = [("開会式", "Opening"), ("基調講演", "Keynote"), ("パネル討論", "Panel Discussion"),
                 ("分科会", "Breakout Session"), ("視察", "Site Visit"), ("首長会談", "Mayors' Talks"),
                 ("記者会見", "Press Conference"), ("閉会式", "Closing"), ("意見交換", "Exchange of Views")]
ROOMS = [("大ホール", "Main Hall"), ("会議室A", "Room A"), ("会議室B", "Room B"),
         ("国際会議場", "Convention Hall"), (None, None)]

EVENT_KINDS = ("summit", "conference", "inbound_visit", "outbound_visit", "meeting", "ceremony")
SESSION_KINDS = ("press_conference", "high_level_talks", "seminar", "panel", "site_visit",
                 "plenary", "meeting", "ceremony", "other")
ROLES = (("speaker", 30), ("participant", 35), ("panelist", 15), ("moderator", 8), ("host", 7),
         ("interpreter", 5))
STAGE_ROLES = (("speaker", 45), ("panelist", 25), ("moderator", 15), ("host", 15))
ORG_KINDS = ("city_government", "local_government", "government_agency", "ministry", "un_body",
             "university", "company", "ngo", "association", "other")


def _hira(text: str) -> str:
    return "".join(chr(ord(c) - 0x60) if "\u30a1" <= c <= "\u30f6" else c for c in text)


def _weighted(rng: random.Random, pairs):
    values, weights = zip(*pairs)
    return rng.choices(values, weights)[0]


def country_zones() -> list[tuple[str, list[str]]]:
    """Real countries with their plausible zones (Babel's territory_zones ∩ zoneinfo)."""
    from babel.core import get_global

    known = available_timezones()
    pairs = []
    for territory, zones in sorted(get_global("territory_zones").items()):
        zones = [z for z in zones if z in known and z not in UNDESCRIBABLE_ZONES]
        if len(territory) == 2 and territory.isalpha() and zones:
            pairs.append((territory, zones))
    return pairs


# --- rows -----------------------------------------------------------------------------------------


def _stamps(rng: random.Random) -> dict:
    updated = STAMP - timedelta(minutes=rng.randrange(0, 6 * 365 * 24 * 60))
    created = updated - timedelta(days=rng.randrange(0, 400))
    return {"created_at": created, "updated_at": updated, "revision": rng.choice((1, 1, 1, 2, 3))}


def _place_name(rng: random.Random) -> tuple[str, str]:
    parts = rng.sample(SYLLABLES, rng.randint(2, 3))
    latin = "".join(p[0] for p in parts)
    return latin.capitalize(), "".join(p[1] for p in parts)


def generate(seed: int, scale: float) -> dict[str, list[dict]]:
    rng = random.Random(seed)
    n = {k: max(1, round(v * scale)) for k, v in BASE.items()}
    n["session"] = max(n["session"], PROGRAMME_SESSIONS + n["event"])
    n["participant"] = max(n["participant"], PROGRAMME_PARTICIPANTS + 1)
    n["person"] = max(n["person"], PROGRAMME_PARTICIPANTS)
    countries = country_zones()
    rows: dict[str, list[dict]] = {}

    # cities: the home city first, then about 15 % Japanese cities, the rest worldwide
    cities = [dict(slug="saitama", name_ja="さいたま市", name_en="Saitama City", name_kana="さいたまし",
                   country="JP", timezone="Asia/Tokyo", latitude=35.8617, longitude=139.6455,
                   is_home=True, **_stamps(rng))]
    for i in range(1, n["city"]):
        latin, kata = _place_name(rng)
        if rng.random() < 0.15:
            family = rng.choice(FAMILY_JA)
            country, zone = "JP", "Asia/Tokyo"
            ja, kana, en = family[0] + "市", family[1] + "し", f"{family[2]} City"
        else:
            country, zones = rng.choice(countries)
            zone = rng.choice(zones)
            ja, kana, en = kata, _hira(kata), latin
        cities.append(dict(slug=f"{en.lower().replace(' ', '-')}-{i}", name_ja=ja, name_en=en,
                           name_kana=kana, country=country, timezone=zone,
                           latitude=round(rng.uniform(-60, 70), 4),
                           longitude=round(rng.uniform(-179, 179), 4), is_home=False,
                           **_stamps(rng)))
    rows["city"] = cities

    rows["organisation"] = []
    for i in range(n["organisation"]):
        latin, kata = _place_name(rng)
        city_id = rng.randrange(1, n["city"] + 1)
        rows["organisation"].append(dict(
            slug=f"org-{latin.lower()}-{i}", name_ja=f"{kata}協会", name_en=f"{latin} Association",
            name_kana=_hira(kata) + "きょうかい", kind=rng.choice(ORG_KINDS),
            country=cities[city_id - 1]["country"], city_id=city_id, **_stamps(rng)))

    rows["network"] = []
    rows["membership"] = []
    for i in range(n["network"]):
        latin, kata = _place_name(rng)
        rows["network"].append(dict(slug=f"net-{latin.lower()}-{i}", name_ja=f"{kata}都市ネットワーク",
                                    name_en=f"{latin} Cities Network", founded=str(rng.randint(1990, 2024)),
                                    **_stamps(rng)))
        for city_id in rng.sample(range(1, n["city"] + 1), min(20, n["city"])):
            rows["membership"].append(dict(network_id=i + 1, city_id=city_id, **_stamps(rng)))

    rows["relationship"] = [dict(slug=f"rel-{i}", city_id=i, kind=rng.choice(
        ("sister", "friendship", "network_partner", "mou", "exchange")), status="active",
        since=str(rng.randint(1960, 2024)), **_stamps(rng)) for i in range(2, min(n["city"], 201) + 1)]

    persons = []
    for i in range(n["person"]):
        if rng.random() < 0.6:
            fam, giv = rng.choice(FAMILY_JA), rng.choice(GIVEN_JA)
            persons.append(dict(
                slug=f"{fam[2].lower()}-{giv[2].lower()}-{i}", family_name_ja=fam[0], given_name_ja=giv[0],
                family_name_latin=fam[2], given_name_latin=giv[2], name_kana=f"{fam[1]} {giv[1]}",
                name_order="family_first", **_stamps(rng)))
        else:
            given = rng.choice(GIVEN_LATIN)
            fam_latin, fam_kata = _place_name(rng)
            persons.append(dict(
                slug=f"{given[0].lower()}-{fam_latin.lower()}-{i}", family_name_latin=fam_latin,
                given_name_latin=given[0], name_katakana=f"{given[1]}・{fam_kata}",
                name_kana=f"{_hira(fam_kata)} {_hira(given[1])}", name_order="given_first",
                **_stamps(rng)))
    rows["person"] = persons

    rows["position"] = []
    for i in range(n["position"]):
        title = rng.choice(TITLES)
        at_city = rng.random() < 0.6
        rows["position"].append(dict(
            slug=f"pos-{i}", person_id=rng.randrange(1, n["person"] + 1) if rng.random() < 0.9 else None,
            city_id=rng.randrange(1, n["city"] + 1) if at_city else None,
            organisation_id=None if at_city else rng.randrange(1, n["organisation"] + 1),
            title_ja=title[0], title_en=title[1], start=str(rng.randint(2000, 2025)),
            ended=rng.random() < 0.2, **_stamps(rng)))

    # events: the programme event is id 1
    zones = {}
    events = []
    for i in range(n["event"]):
        city_id = rng.randrange(1, n["city"] + 1)
        zone = cities[city_id - 1]["timezone"]
        start = date(2018, 1, 1) + timedelta(days=rng.randrange(0, 11 * 365))
        multi = rng.random() < 0.30
        end = start + timedelta(days=rng.randint(1, 4)) if multi else None
        past = start < STAMP.date()
        roll = rng.random()
        status = ("cancelled" if roll < 0.06 else "postponed" if roll < 0.09
                  else ("held" if past else rng.choice(("planned", "confirmed"))))
        vis = _weighted(rng, (("public", 75), ("internal", 20), ("confidential", 5)))
        word = rng.choice(EVENT_WORDS)
        city = cities[city_id - 1]
        row = dict(slug=f"event-{i}", kind=rng.choice(EVENT_KINDS),
                   title_ja=f"{city['name_ja']}{word[0]}会議{i}", title_en=f"{city['name_en']} {word[1]} Forum {i}",
                   theme_ja=f"{word[0]}の推進" if rng.random() < 0.5 else None,
                   theme_en=f"Advancing {word[1].lower()}" if rng.random() < 0.5 else None,
                   start_date=start, end_date=end, timezone=zone, city_id=city_id,
                   venue_ja=f"{city['name_ja']}国際会議場", venue_en=f"{city['name_en']} Convention Centre",
                   status=status, visibility=vis, **_stamps(rng))
        if not multi and rng.random() < 0.15:  # a timed single-day event
            z = zones.setdefault(zone, ZoneInfo(zone))
            local = datetime(start.year, start.month, start.day, rng.randint(9, 15), rng.choice((0, 30)), tzinfo=z)
            row["starts_at"] = local.astimezone(timezone.utc)
            row["ends_at"] = (local + timedelta(hours=rng.randint(1, 4))).astimezone(timezone.utc)
        if i == 0:
            row.update(slug=PROGRAMME_EVENT, status="confirmed", visibility="public", end_date=start + timedelta(days=2),
                       start_date=start, starts_at=None, ends_at=None)
        events.append(row)
    rows["event"] = events

    # sessions: 300 for the programme event, at least one per other event, the rest at random
    sessions = []
    owners = [1] * PROGRAMME_SESSIONS + list(range(2, n["event"] + 1))
    owners += [rng.randrange(2, n["event"] + 1) for _ in range(n["session"] - len(owners))]
    owners.sort()
    for i, event_id in enumerate(owners):
        ev = events[event_id - 1]
        z = zones.setdefault(ev["timezone"], ZoneInfo(ev["timezone"]))
        span = ((ev["end_date"] or ev["start_date"]) - ev["start_date"]).days
        day = ev["start_date"] + timedelta(days=rng.randint(0, span))
        word = rng.choice(SESSION_WORDS)
        room = rng.choice(ROOMS)
        programme = event_id == 1
        roll = rng.random()
        row = dict(slug=f"session-{i}", event_id=event_id, kind=rng.choice(SESSION_KINDS),
                   title_ja=f"{word[0]}{i}", title_en=f"{word[1]} {i}", room_ja=room[0], room_en=room[1],
                   status="cancelled" if rng.random() < 0.05 else ("held" if ev["status"] == "held" else "planned"),
                   visibility="public" if programme else _weighted(rng, (("public", 82), ("internal", 15), ("confidential", 3))),
                   **_stamps(rng))
        if programme or roll >= 0.10:
            local = datetime(day.year, day.month, day.day, rng.randint(9, 17), rng.choice((0, 15, 30, 45)), tzinfo=z)
            row["day"] = day
            row["starts_at"] = local.astimezone(timezone.utc)
            row["ends_at"] = (local + timedelta(minutes=rng.choice((30, 45, 60, 90, 120, 180)))).astimezone(timezone.utc)
        elif roll >= 0.02:
            row["day"] = day  # known only to the day
        sessions.append(row)
    rows["session"] = sessions

    participants = []
    programme_persons = rng.sample(range(1, n["person"] + 1), PROGRAMME_PARTICIPANTS)
    for k, person_id in enumerate(programme_persons):
        participants.append(dict(session_id=1 + k % PROGRAMME_SESSIONS, person_id=person_id,
                                 role=_weighted(rng, STAGE_ROLES), sort_order=k // PROGRAMME_SESSIONS,
                                 **_stamps(rng)))
    for k in range(n["participant"] - PROGRAMME_PARTICIPANTS):
        session_id = rng.randrange(PROGRAMME_SESSIONS + 1, n["session"] + 1)
        by_position = rng.random() < 0.15
        participants.append(dict(
            session_id=session_id,
            person_id=None if by_position else rng.randrange(1, n["person"] + 1),
            position_id=rng.randrange(1, n["position"] + 1) if by_position else None,
            role=_weighted(rng, ROLES), sort_order=k % 7,
            capacity_ja="代理" if rng.random() < 0.02 else None,
            capacity_en="on behalf" if rng.random() < 0.02 else None, **_stamps(rng)))
    rows["session_participant"] = participants

    rows["organisation_role"] = [dict(
        event_id=rng.randrange(1, n["event"] + 1), organisation_id=rng.randrange(1, n["organisation"] + 1),
        role=rng.choice(("host", "co_host", "support", "sponsor", "cooperation")), sort_order=0,
        **_stamps(rng)) for _ in range(n["event"] // 2)]
    return rows


# --- writing --------------------------------------------------------------------------------------

ORDER = ("city", "relationship", "organisation", "network", "membership", "person", "position",
         "event", "session", "session_participant", "organisation_role")


def write(engine, rows: dict[str, list[dict]]) -> None:
    """Insert every row in one transaction; the columns are the database's (whatever migration
    it is at), typed as the models type them so datetimes are stored as citynet stores them."""
    import sqlalchemy as sa

    from citynet.store import models as m

    models = {t.__tablename__: t for t in m.ALL_TABLES}
    reflected = sa.MetaData()
    reflected.reflect(engine, only=list(ORDER))
    defaults = {"is_home": False, "ended": False, "sort_order": 0}
    with engine.begin() as c:
        for name in ORDER:
            model_columns = models[name].__table__.c
            table = sa.Table(name, sa.MetaData(), *[
                sa.Column(col.name, model_columns[col.name].type if col.name in model_columns else col.type)
                for col in reflected.tables[name].columns])
            columns = [col.name for col in table.columns if col.name != "id"]
            data = rows[name]
            if "uuid" in columns:  # migration 0004: the identity a migration gives existing rows
                from citynet.services.records import legacy_uuid

                for number, row in enumerate(data, start=1):  # ids are given in this order
                    row["uuid"] = legacy_uuid(name, row.get("slug"), number)
            full = [{col: row.get(col, defaults.get(col)) for col in columns} for row in data]
            for start in range(0, len(full), 50_000):
                c.execute(sa.insert(table), full[start:start + 50_000])
        if "search_term" in sa.inspect(c).get_table_names():  # migration 0005: the search index
            from citynet.services.search import rebuild_index

            rebuild_index(c)


def cache_path(seed: int, scale: float) -> Path:
    from citynet.store.schema import SCHEMA_HEAD

    return CACHE / f"citynet-seed{seed}-scale{scale:g}-v{GENERATOR_VERSION}-{SCHEMA_HEAD}.db"


def build(seed: int, scale: float, verbose: bool = True) -> Path:
    """The cached database file for ``seed``/``scale``, built if missing."""
    from citynet.store.db import open_database

    path = cache_path(seed, scale)
    if path.exists():
        return path
    CACHE.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".tmp{os.getpid()}")
    for leftover in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
        leftover.unlink(missing_ok=True)
    t0 = time.perf_counter()
    rows = generate(seed, scale)
    t1 = time.perf_counter()
    engine = open_database(f"sqlite:///{tmp}")
    write(engine, rows)
    with engine.connect() as c:
        c.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        c.exec_driver_sql("ANALYZE")
    engine.dispose()
    for side in (Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
        side.unlink(missing_ok=True)
    os.replace(tmp, path)
    if verbose:
        counts = ", ".join(f"{len(v):,} {k}" for k, v in rows.items())
        print(f"built {path.name}: generate {t1 - t0:.1f} s, insert {time.perf_counter() - t1:.1f} s ({counts})",
              file=sys.stderr)
    return path


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--db", help="sqlite:///PATH to write (default: only the cache file)")
    parser.add_argument("--force", action="store_true", help="replace an existing --db file")
    args = parser.parse_args(argv)
    cached = build(args.seed, args.scale)
    if not args.db:
        print(cached)
        return 0
    if not args.db.startswith("sqlite:///"):
        parser.error("--db must be a sqlite:/// URL (the generator copies a SQLite file)")
    target = Path(args.db.removeprefix("sqlite:///"))
    if target.exists() and not args.force:
        parser.error(f"{target} exists (use --force to replace it)")
    for side in (target, Path(f"{target}-wal"), Path(f"{target}-shm")):
        side.unlink(missing_ok=True)
    shutil.copyfile(cached, target)
    print(target)
    return 0


if __name__ == "__main__":
    sys.exit(main())
