"""The order of lists: in Japanese, 五十音順 of the reading, from the stored
``search_doc.sort_ja`` (``services.ordering.japanese_sort_text``), whose order in the database
must be the order ``kana_sort_key`` gives, on SQLite and PostgreSQL; in English, alphabetical."""

from __future__ import annotations

import random
import unicodedata

import sqlalchemy as sa

from citynet.i18n import set_language
from citynet.i18n.names import kana_sort_key
from citynet.services import lists
from citynet.services.ordering import japanese_sort_text
from citynet.services.records import create_record
from citynet.store import models as m


def person_sort_key(values) -> str:
    return japanese_sort_text("person", values)


def _latin(text):
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def reference_order(values: dict) -> tuple:
    """The order as a Python tuple: reading in 五十音順, then Latin names; no reading last."""
    reading = (values.get("name_kana") or "").strip()
    latin = (_latin(values.get("family_name_latin")).strip(),
             _latin(values.get("given_name_latin")).strip())
    return (0, kana_sort_key(reading), *latin) if reading else (2, (), *latin)


# (reading, Latin family, Latin given)
TRICKY = [
    ("はせがわ", "Hasegawa", "A"), ("はせかわ", "Hasekawa", "B"), ("ばば", "Baba", "C"),
    ("はは", "Haha", "D"), ("ぱぱ", "Papa", "E"), ("カキ", "Kaki", "F"), ("かき", "Kaki", "G"),
    ("かき", "Kaki", "a"), ("ハセガワ", "Hasegawa", "H"), ("ｶｷ", "Kaki", "I"),
    ("きゃ", "Kya", "J"), ("きや", "Kiya", "K"), ("かあ", "Kaa", "L"), ("カー", "Kaa", "M"),
    ("おおた", "Ōta", "N"), ("オオタ", "Ota", "O"), ("やまだ たろう", "Yamada", "P"),
    ("やまだたろう", "Yamada", "Q"), ("やまだ", "Yamada", "R"), ("  ", "Blank", "S"),
    (None, "Zed", "T"), (None, "adams", "U"), (None, "Ádams", "V"), (None, "Ota", "W"),
    (None, "Ōta", "X"), (None, None, "Y"), ("ヴァン", "Van", "Z"), ("う゛", "U", "ZA"),
]


def _values(reading, family, given):
    values = {"family_name_latin": family, "given_name_latin": given}
    if reading is not None:
        values["name_kana"] = reading
    return values


def test_database_order_is_the_kana_order(engine):
    set_language("ja")
    for n, (reading, family, given) in enumerate(TRICKY):
        create_record(engine, "person", {**_values(reading, family, given), "slug": f"p-{n}"}, origin="form")
    with engine.connect() as c:
        doc = m.SearchDoc.__table__
        stored = c.execute(sa.select(m.Person.slug, m.Person.family_name_latin,
                                     m.Person.given_name_latin, m.Person.name_kana,
                                     doc.c.sort_ja)
                           .join(doc, sa.and_(doc.c.kind == "person",
                                              doc.c.record_id == m.Person.id))).all()
    for row in stored:
        assert row.sort_ja == person_sort_key(row._mapping)
    expected = [r.slug for r in sorted(stored, key=lambda r: (reference_order(r._mapping),
                                                              int(r.slug[2:])))]
    page = lists.list_page(engine, "person", limit=100)
    assert page.order == "reading"
    assert [r.slug for r in page.rows] == expected
    assert page.total == len(TRICKY) and page.cursor is None
    # paging by keyset, three at a time, gives the same order
    seen, cursor = [], None
    while True:
        part = lists.list_page(engine, "person", after=cursor, limit=3)
        seen += [r.slug for r in part.rows]
        cursor = part.cursor
        if cursor is None:
            break
    assert seen == expected
    # the dakuten rule itself: はせかわ < はせがわ, はは < ばば < ぱぱ, かき < カキ
    position = {TRICKY[int(s[2:])][2]: i for i, s in enumerate(expected)}
    assert position["B"] < position["A"] and position["D"] < position["C"] < position["E"]
    assert position["G"] < position["F"]
    assert position["T"] > position["S"] > position["R"]  # no reading (or a blank one): last


def test_sqlite_pages_a_list_by_the_index(sqlite_engine):
    with sqlite_engine.connect() as c:
        plan = c.exec_driver_sql(
            "EXPLAIN QUERY PLAN SELECT record_id FROM search_doc WHERE kind = 'person' AND "
            "(sort_ja, record_id) > ('x', 1) ORDER BY sort_ja, record_id LIMIT 101").all()
    text = " ".join(str(row[-1]) for row in plan)
    assert "ix_search_doc_ja" in text and "TEMP B-TREE" not in text, text


def test_japanese_lists_sort_by_reading_and_english_ones_by_name(engine):
    """Cities: a reading (name_kana), or a name in kana alone (with 市), sorts 五十音順 in
    Japanese; in English the English name decides (アレッツオ, オータン, バクー … not Arezzo, Autun, Baku)."""
    cities = [("baku", "バクー", None, "Baku", "AZ"), ("arezzo", "アレッツォ市", None, "Arezzo", "IT"),
              ("autun", "オータン", None, "Autun", "FR"), ("saitama", "さいたま市", "さいたまし",
                                                         "Saitama", "JP"),
              ("kyoto", "京都市", "きょうとし", "Kyoto", "JP"), ("zz", "無読", None, "Zebra", "JP"),
              ("latin", None, None, "Aachen", "DE")]
    for slug, ja, kana, en, country in cities:
        create_record(engine, "city", {"slug": slug, "name_ja": ja, "name_kana": kana, "name_en": en,
                                       "country": country, "timezone": "UTC"}, origin="form")
    set_language("ja")
    page = lists.list_page(engine, "city")
    assert page.order == "reading"
    assert [c.slug for c in page.rows] == ["arezzo", "autun", "kyoto", "saitama", "baku", "zz",
                                           "latin"]
    set_language("en")
    page = lists.list_page(engine, "city")
    assert page.order == "alphabetical"
    assert [c.slug for c in page.rows] == ["latin", "arezzo", "autun", "baku", "kyoto", "saitama",
                                           "zz"]


def test_sort_key_text_order_equals_the_tuple_order_for_many_readings():
    rng = random.Random(7)
    kana = "あいうえおかがきぎくぐぱはばひびぴゃやゅゆょよっつーァアカガキャヤッツヴｶｷﾞ "
    people = []
    for n in range(3000):
        reading = "".join(rng.choice(kana) for _ in range(rng.randint(0, 4)))
        family = rng.choice([None, "Ota", "Ōta", "ota", "Abe", "Åberg", "zed"])
        people.append((_values(reading or None, family, rng.choice(["A", "a", "B", None])), n))
    by_tuple = sorted(people, key=lambda p: (reference_order(p[0]), p[1]))
    by_text = sorted(people, key=lambda p: (person_sort_key(p[0]), p[1]))
    assert [n for _, n in by_text] == [n for _, n in by_tuple]
