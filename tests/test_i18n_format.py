"""Dates, ranges, fuzzy dates, session times, numbers and countries in both languages.

Expected strings are written from the requirements, Babel 2.19 (CLDR 49) and ICU 72 reference
outputs and the figures of the demo's source presentation, not copied from the code's output.
"""

from datetime import date, datetime, timedelta, timezone

import pytest

from citynet.i18n.format import (
    REVIEWED_COUNTRIES, country_name, format_count_people, format_date, format_date_range,
    format_fuzzy_date, format_man_oku, format_number, format_percent, format_session_times,
    format_tonnes_co2, format_utc_offset, participation_sentence, timezone_city,
)

THIN_SPACES = ("\u2009", "\u202f", "\u00a0")


def utc(*args):
    return datetime(*args, tzinfo=timezone.utc)


# -- single dates --------------------------------------------------------------------------------

@pytest.mark.parametrize("lang, style, weekday, expected", [
    ("ja", "seireki", False, "2024年11月11日"),
    ("ja", "seireki", True, "2024年11月11日（月）"),
    ("ja", "wareki", False, "令和6年11月11日"),
    ("ja", "wareki", True, "令和6年11月11日（月）"),
    ("ja", "both", False, "令和6年（2024年）11月11日"),
    ("ja", "seireki(wareki)", False, "2024年（令和6年）11月11日"),
    ("en", "seireki", False, "11 November 2024"),
    ("en", "seireki", True, "Mon 11 Nov 2024"),
    ("en", "wareki", False, "11 November 2024"),  # English documents use the Gregorian calendar
])
def test_format_date(lang, style, weekday, expected):
    assert format_date(date(2024, 11, 11), lang, style=style, weekday=weekday) == expected


def test_format_date_first_year_of_reiwa():
    assert format_date(date(2019, 5, 1), "ja", style="wareki") == "令和元年5月1日"
    assert format_date(date(2019, 5, 1), "ja", style="both") == "令和元年（2019年）5月1日"


# -- ranges ----------------------------------------------------------------------------------------

RANGES = [
    # same month
    (date(2022, 11, 22), date(2022, 11, 24), "seireki", "2022年11月22日～24日", "22–24 November 2022"),
    (date(2022, 11, 22), date(2022, 11, 24), "wareki", "令和4年11月22日～24日", "22–24 November 2022"),
    (date(2022, 11, 22), date(2022, 11, 24), "both", "令和4年（2022年）11月22日～24日", "22–24 November 2022"),
    (date(2024, 11, 11), date(2024, 11, 22), "wareki", "令和6年11月11日～22日", "11–22 November 2024"),
    # across months
    (date(2024, 11, 30), date(2024, 12, 2), "seireki", "2024年11月30日～12月2日", "30 November – 2 December 2024"),
    (date(2024, 11, 30), date(2024, 12, 2), "wareki", "令和6年11月30日～12月2日", "30 November – 2 December 2024"),
    # across years
    (date(2024, 12, 30), date(2025, 1, 2), "seireki", "2024年12月30日～2025年1月2日",
     "30 December 2024 – 2 January 2025"),
    (date(2024, 12, 30), date(2025, 1, 2), "wareki", "令和6年12月30日～7年1月2日",
     "30 December 2024 – 2 January 2025"),
    # across the era change
    (date(2019, 4, 29), date(2019, 5, 2), "wareki", "平成31年4月29日～令和元年5月2日", "29 April – 2 May 2019"),
    (date(2019, 4, 29), date(2019, 5, 2), "seireki", "2019年4月29日～5月2日", "29 April – 2 May 2019"),
]


@pytest.mark.parametrize("start, end, style, ja, en", RANGES)
def test_format_date_range(start, end, style, ja, en):
    assert format_date_range(start, end, "ja", style=style) == ja
    assert format_date_range(start, end, "en", style=style) == en


def test_range_with_weekdays():
    assert format_date_range(date(2022, 11, 22), date(2022, 11, 24), "ja", weekday=True) == \
        "2022年11月22日（火）～24日（木）"
    assert format_date_range(date(2022, 11, 22), date(2022, 11, 24), "en", weekday=True) == \
        "Tue 22 – Thu 24 Nov 2022"


def test_range_of_one_day_and_open_end():
    assert format_date_range(date(2024, 11, 11), date(2024, 11, 11), "ja") == "2024年11月11日"
    assert format_date_range(date(2024, 11, 11), None, "en") == "11 November 2024"


def test_range_backwards_is_an_error():
    with pytest.raises(ValueError):
        format_date_range(date(2024, 11, 12), date(2024, 11, 11), "en")


# -- fuzzy dates ---------------------------------------------------------------------------------

@pytest.mark.parametrize("kwargs, ja, en", [
    (dict(year=2009, open_ended=True), "2009年～", "since 2009"),
    (dict(year=2026, precision="fiscal_year", planned=True), "令和8年度（予定）", "FY2026 (planned)"),
    (dict(year=2019, month=7), "2019年7月", "July 2019"),
    (dict(year=2019, month=7, open_ended=True), "2019年7月～", "since July 2019"),
    (dict(year=2022, month=4, open_ended=True), "2022年4月～", "since April 2022"),
    (dict(year=2022, month=11, day=22), "2022年11月22日", "22 November 2022"),
    (dict(year=2013, precision="fiscal_year", style="seireki"), "2013年度", "FY2013"),
    (dict(year=2019, precision="fiscal_year"), "令和元年度", "FY2019"),
    (dict(year=2009, style="wareki"), "平成21年", "2009"),
    (dict(year=2019, month=7, style="wareki"), "令和元年7月", "July 2019"),
    (dict(year=2019, month=4, style="wareki"), "平成31年4月", "April 2019"),
])
def test_format_fuzzy_date(kwargs, ja, en):
    assert format_fuzzy_date(lang="ja", **kwargs) == ja
    assert format_fuzzy_date(lang="en", **kwargs) == en


# -- session times -------------------------------------------------------------------------------

# 令和6年11月11日 13:00-13:30（現地時間）, Baku (UTC+4): 09:00-09:30 UTC, 18:00-18:30 JST.
BAKU_PRESS = (utc(2024, 11, 11, 9, 0), utc(2024, 11, 11, 9, 30))


def test_baku_and_tokyo():
    assert format_session_times(*BAKU_PRESS, "Asia/Baku", "Asia/Tokyo", "en") == \
        "13:00–13:30 (Baku, UTC+4) / 18:00–18:30 JST"
    assert format_session_times(*BAKU_PRESS, "Asia/Baku", "Asia/Tokyo", "ja") == \
        "13:00～13:30（バクー、UTC+4） / 日本時間 18:00～18:30"


def test_kuala_lumpur_and_tokyo():
    start, end = utc(2024, 3, 5, 2, 0), utc(2024, 3, 5, 3, 30)  # 10:00 in KL (UTC+8), 11:00 in Tokyo
    assert format_session_times(start, end, "Asia/Kuala_Lumpur", "Asia/Tokyo", "en") == \
        "10:00–11:30 (Kuala Lumpur, UTC+8) / 11:00–12:30 JST"
    assert format_session_times(start, end, "Asia/Kuala_Lumpur", "Asia/Tokyo", "ja") == \
        "10:00～11:30（クアラルンプール、UTC+8） / 日本時間 11:00～12:30"


def test_berlin_winter_and_summer():
    winter = utc(2024, 1, 15, 9, 0)  # CET, UTC+1: 10:00 in Berlin, 18:00 in Tokyo
    summer = utc(2024, 7, 15, 9, 0)  # CEST, UTC+2: 11:00 in Berlin, 18:00 in Tokyo
    assert format_session_times(winter, winter + timedelta(hours=1), "Europe/Berlin", "Asia/Tokyo", "en") == \
        "10:00–11:00 (Berlin, UTC+1) / 18:00–19:00 JST"
    assert format_session_times(summer, summer + timedelta(hours=1), "Europe/Berlin", "Asia/Tokyo", "en") == \
        "11:00–12:00 (Berlin, UTC+2) / 18:00–19:00 JST"
    assert format_session_times(summer, None, "Europe/Berlin", "Asia/Tokyo", "ja") == \
        "11:00（ベルリン、UTC+2） / 日本時間 18:00"


def test_home_day_differs():
    start = utc(2024, 7, 15, 18, 0)  # 20:00 in Berlin is 03:00 the next day in Tokyo
    assert format_session_times(start, start + timedelta(hours=1), "Europe/Berlin", "Asia/Tokyo", "en") == \
        "20:00–21:00 (Berlin, UTC+2) / 03:00–04:00 JST (next day)"
    assert format_session_times(start, start + timedelta(hours=1), "Europe/Berlin", "Asia/Tokyo", "ja") == \
        "20:00～21:00（ベルリン、UTC+2） / 日本時間 03:00～04:00（翌日）"


def test_event_at_home():
    start = utc(2022, 11, 22, 1, 0)  # 10:00 JST in Saitama
    assert format_session_times(start, start + timedelta(hours=1), "Asia/Tokyo", "Asia/Tokyo", "en") == \
        "10:00–11:00 JST"
    assert format_session_times(start, start + timedelta(hours=1), "Asia/Tokyo", "Asia/Tokyo", "ja") == \
        "日本時間 10:00～11:00"
    # the other way round: home time first, then a partner's local time (Berlin in winter, UTC+1)
    assert format_session_times(start, None, "Asia/Tokyo", "Asia/Tokyo", "en", partner_tz="Europe/Berlin") == \
        "10:00 JST / 02:00 (Berlin, UTC+1)"


def test_naive_datetimes_are_utc():
    naive = datetime(2024, 11, 11, 9, 0)
    assert format_session_times(naive, None, "Asia/Baku", "Asia/Tokyo", "en") == "13:00 (Baku, UTC+4) / 18:00 JST"


def test_time_unknown():
    assert format_session_times(None, None, "Asia/Baku", "Asia/Tokyo", "en") == "time to be confirmed"
    assert format_session_times(date(2024, 11, 11), None, "Asia/Baku", "Asia/Tokyo", "ja") == "時間未定"


@pytest.mark.parametrize("minutes, expected", [(240, "UTC+4"), (330, "UTC+5:30"), (-210, "UTC-3:30"), (0, "UTC")])
def test_utc_offset(minutes, expected):
    assert format_utc_offset(timedelta(minutes=minutes)) == expected


@pytest.mark.parametrize("tz, ja, en", [
    ("Asia/Baku", "バクー", "Baku"), ("Asia/Kuala_Lumpur", "クアラルンプール", "Kuala Lumpur"),
    ("Europe/Berlin", "ベルリン", "Berlin"), ("Asia/Tokyo", "東京", "Tokyo"),
])
def test_timezone_city(tz, ja, en):
    assert timezone_city(tz, "ja") == ja
    assert timezone_city(tz, "en") == en


# -- numbers -----------------------------------------------------------------------------------------

def test_tonnes_co2():
    assert format_tonnes_co2(7_674_000, "ja") == "767.4万t-CO2"
    assert format_tonnes_co2(7_674_000, "en") == "7.674 million t-CO2"


def test_man_oku_with_half_up_rounding():
    assert format_man_oku(7_674_000) == "767.4万"
    assert format_man_oku(12_345_678) == "1,234.6万"       # grouping kept, unlike Babel's compact form
    assert format_man_oku(7_675_500) == "767.6万"
    assert format_man_oku(7_674_500) == "767.5万"          # 四捨五入; Babel would give 767.4万
    assert format_man_oku(120_000_000) == "1億2,000万"
    assert format_man_oku(385_987_000, decimals=0) == "3億8,599万"
    assert format_man_oku(1234) == "1,234"


def test_numbers_and_percentages():
    assert format_number(7_674_000, "ja") == "7,674,000"
    assert format_number(2.5, "en", decimals=0) == "3"        # half up, not half even
    assert format_percent(21.7, "ja") == "21.7%"
    assert format_percent(51, "en") == "51%"


def test_count_people():
    assert format_count_people(329, "ja") == "329名"
    assert format_count_people(329, "en") == "329 participants"
    assert format_count_people(1, "en") == "1 participant"
    assert format_count_people(1200, "ja") == "1,200名"


SUMMIT = dict(total=329, overseas_countries=9, overseas_cities=15, domestic_cities=22, organisations=50)


def test_participation_sentence_source_figures():
    assert participation_sentence(SUMMIT, "ja") == "海外9か国15都市をはじめ、国内22都市、50企業・団体など 329名"
    assert participation_sentence(SUMMIT, "en") == (
        "329 participants, including 15 cities in 9 overseas countries, 22 cities in Japan "
        "and 50 companies and organisations")


def test_participation_sentence_with_parts_missing():
    assert participation_sentence(dict(SUMMIT, organisations=None), "ja") == "海外9か国15都市をはじめ、国内22都市など 329名"
    assert participation_sentence(dict(total=329, domestic_cities=22), "en") == "329 participants, including 22 cities in Japan"
    assert participation_sentence(dict(total=329), "ja") == "329名"
    assert participation_sentence(dict(SUMMIT, total=None), "en") == (
        "15 cities in 9 overseas countries, 22 cities in Japan and 50 companies and organisations")


def test_participation_sentence_from_attributes():
    class Totals:
        total, overseas_countries, overseas_cities, domestic_cities, organisations = 329, 9, 15, 22, 50

    assert participation_sentence(Totals(), "ja") == "海外9か国15都市をはじめ、国内22都市、50企業・団体など 329名"


# -- countries -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("code, ja, en", [
    ("MY", "マレーシア", "Malaysia"), ("AZ", "アゼルバイジャン", "Azerbaijan"), ("DE", "ドイツ", "Germany"),
    ("JP", "日本", "Japan"), ("US", "米国", "United States"), ("GB", "英国", "United Kingdom"),
    ("HR", "クロアチア", "Croatia"), ("MM", "ミャンマー", "Myanmar (Burma)"),
])
def test_country_name(code, ja, en):
    assert country_name(code, "ja") == ja
    assert country_name(code, "en") == en


def test_unknown_country():
    with pytest.raises(ValueError):
        country_name("XX", "en")


def test_reviewed_countries_have_names_in_both_languages():
    for code in REVIEWED_COUNTRIES:
        for lang in ("ja", "en"):
            name = country_name(code, lang)
            assert name and not any(ch in name for ch in THIN_SPACES)


def test_no_thin_spaces_in_english_output():
    texts = [format_date_range(s, e, "en", weekday=w) for s, e, *_ in RANGES for w in (False, True)]
    texts.append(format_session_times(*BAKU_PRESS, "Asia/Baku", "Asia/Tokyo", "en"))
    assert not [t for t in texts if any(ch in t for ch in THIN_SPACES)]
