"""Person names, titles and 五十音順 (関係府省庁申合せ 令和元年10月25日: English family-first, family name in capitals)."""

import pytest

from citynet.i18n.format import kana_sort_key, person_display_name, position_title, sort_by_reading, titled_name
from citynet.i18n.text import MISSING_MARK

SHIMIZU = ("清水", "勇人", "Shimizu", "Hayato", "family_first")
KURZ = (None, None, "Kurz", "Peter", "given_first")


@pytest.mark.parametrize("args, katakana, ja, en", [
    (SHIMIZU, None, "清水 勇人", "SHIMIZU Hayato"),
    (KURZ, "ペーター・クルツ", "ペーター・クルツ", "Peter Kurz"),
    (KURZ, None, "Peter Kurz", "Peter Kurz"),
    ((None, None, "Lewe", "Markus", "given-first"), None, "Markus Lewe", "Markus Lewe"),
    ((None, None, None, "Anwar", "single"), "アンワル", "アンワル", "Anwar"),
    ((None, None, "İlham Əliyev", None, "single"), None, "İlham Əliyev", "İlham Əliyev"),
    (("河野", "みどり", "Kono", "Midori", "family_first"), None, "河野 みどり", "KONO Midori"),
    (("大野", "太郎", "Ohno", "Taro", "family_first"), None, "大野 太郎", "OHNO Taro"),  # as supplied, never re-romanised
])
def test_person_display_name(args, katakana, ja, en):
    assert person_display_name(*args, "ja", katakana=katakana) == ja
    assert person_display_name(*args, "en", katakana=katakana) == en


def test_both_languages():
    assert person_display_name(*SHIMIZU, "both") == "清水 勇人 / SHIMIZU Hayato"
    assert person_display_name(*KURZ, "both") == "Peter Kurz"


def test_japanese_person_without_romanisation_is_flagged():
    text = person_display_name("清水", "勇人", None, None, "family_first", "en")
    assert MISSING_MARK in text and "清水 勇人" in text


def test_bad_name_order():
    with pytest.raises(ValueError):
        person_display_name(*SHIMIZU[:4], "surname", "en")


def test_position_title():
    assert position_title("クアラルンプール市長", "Mayor of Kuala Lumpur", True, "ja") == "クアラルンプール市長（当時）"
    assert position_title("クアラルンプール市長", "Mayor of Kuala Lumpur", True, "en") == "then Mayor of Kuala Lumpur"
    assert position_title("さいたま市長", "Mayor of Saitama City", False, "ja") == "さいたま市長"
    assert position_title("さいたま市長", "Mayor of Saitama City", False, "both") == "さいたま市長 / Mayor of Saitama City"
    assert position_title("さいたま市長", None, False, "en") == f"{MISSING_MARK} さいたま市長"


def test_titled_name():
    assert titled_name("清水 勇人", "さいたま市長", "ja") == "さいたま市長 清水 勇人"
    assert titled_name("SHIMIZU Hayato", "Mayor of Saitama City", "en") == "SHIMIZU Hayato, Mayor of Saitama City"


# Dictionary order (ICU ja collation): hiragana = katakana at the first level,
# voicing and the long mark decided later.
ICU_ORDER = ["かー", "かあ", "がか", "かき", "カキ", "はせかわ", "はせがわ", "はは", "ばば", "ぱぱ"]


def test_kana_order_matches_dictionary_order():
    assert sorted(reversed(ICU_ORDER), key=kana_sort_key) == ICU_ORDER
    assert sorted(sorted(ICU_ORDER), key=kana_sort_key) == ICU_ORDER


def test_code_point_order_would_be_wrong():
    assert sorted(ICU_ORDER) != ICU_ORDER


def test_kana_details():
    assert kana_sort_key("きっと") < kana_sort_key("きつね")    # small っ is つ at the first level
    assert kana_sort_key("ｼﾐｽﾞ") == kana_sort_key("シミズ")     # half-width katakana
    assert kana_sort_key("しみず") < kana_sort_key("シミズ")     # hiragana before katakana, last
    assert kana_sort_key("しみず はやと") < kana_sort_key("しみずあ")  # family name decides first


def test_sort_names_by_reading():
    people = [
        ("渡辺 一郎", "わたなべ いちろう"), ("清水 勇人", "しみず はやと"), ("長谷川 花子", "はせがわ はなこ"),
        ("阿部 健", "あべ けん"), ("河野 みどり", "こうの みどり"), ("大野 太郎", "おおの たろう"),
        ("東海林 実", "しょうじ みのる"), ("ペーター・クルツ", "ぺーたー くるつ"), ("名無し", None),
    ]
    ordered = [name for name, _ in sort_by_reading(people, key=lambda p: p[1])]
    assert ordered == ["阿部 健", "大野 太郎", "河野 みどり", "清水 勇人", "東海林 実",
                       "長谷川 花子", "ペーター・クルツ", "渡辺 一郎", "名無し"]
