"""The Japanese calendar, fiscal years and date input.

Expected values come from the era start dates (大正 1912-07-30, 昭和 1926-12-25, 平成 1989-01-08,
令和 2019-05-01), ICU's Japanese-calendar output (ICU 72) and the 元号 cabinet orders (昭和64年政令第1号,
平成31年政令第143号), not from the code under test.
"""

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from citynet.errors import CitynetError
from citynet.i18n import describe, set_language
from citynet.i18n.eras import (
    DateInputError, fiscal_year, fiscal_year_era, format_fiscal_year, format_wareki, parse_date,
    parse_fiscal_year, parse_partial_date, to_wareki,
)


@pytest.fixture(autouse=True)
def english_ui():
    set_language("en")
    yield
    set_language("en")


# First and last day of every era (and 元年), and Meiji from 1873-01-01 only.
ERA_BOUNDARIES = [
    (date(1873, 1, 1), "明治6年1月1日"),
    (date(1912, 7, 29), "明治45年7月29日"),
    (date(1912, 7, 30), "大正元年7月30日"),
    (date(1912, 12, 31), "大正元年12月31日"),
    (date(1913, 1, 1), "大正2年1月1日"),
    (date(1926, 12, 24), "大正15年12月24日"),
    (date(1926, 12, 25), "昭和元年12月25日"),
    (date(1927, 1, 1), "昭和2年1月1日"),
    (date(1989, 1, 7), "昭和64年1月7日"),
    (date(1989, 1, 8), "平成元年1月8日"),
    (date(1990, 1, 1), "平成2年1月1日"),
    (date(2019, 4, 30), "平成31年4月30日"),
    (date(2019, 5, 1), "令和元年5月1日"),
    (date(2019, 12, 31), "令和元年12月31日"),
    (date(2020, 1, 1), "令和2年1月1日"),
    (date(2024, 11, 11), "令和6年11月11日"),
]


@pytest.mark.parametrize("d, expected", ERA_BOUNDARIES)
def test_era_boundaries(d, expected):
    assert format_wareki(d) == expected


@pytest.mark.parametrize("d, expected", [
    (date(2024, 11, 11), "令和6年11月11日（月）"),
    (date(2019, 4, 30), "平成31年4月30日（火）"),
    (date(2019, 5, 1), "令和元年5月1日（水）"),
    (date(1989, 1, 7), "昭和64年1月7日（土）"),
    (date(1989, 1, 8), "平成元年1月8日（日）"),
    (date(1926, 12, 25), "昭和元年12月25日（土）"),
    (date(1912, 7, 30), "大正元年7月30日（火）"),
])
def test_weekday(d, expected):
    assert format_wareki(d, weekday=True) == expected


def test_digit_modes():
    assert format_wareki(date(2030, 10, 20), digits="kanji") == "令和十二年十月二十日"
    assert format_wareki(date(2019, 5, 1), digits="kanji") == "令和元年五月一日"
    assert format_wareki(date(2024, 11, 11), digits="full") == "令和６年１１月１１日"
    assert format_wareki(date(2024, 11, 1), digits="mixed") == "令和６年11月１日"


def test_to_wareki_year_numbers():
    assert to_wareki(date(2024, 1, 1))[1] == 2024 - 2018
    assert to_wareki(date(2000, 1, 1))[1] == 2000 - 1988
    assert to_wareki(date(1970, 1, 1))[1] == 1970 - 1925
    assert to_wareki(date(1920, 1, 1))[1] == 1920 - 1911
    assert to_wareki(date(1900, 1, 1))[0].kanji == "明治"


def test_before_1873_refused():
    with pytest.raises(DateInputError, match="1873"):
        format_wareki(date(1872, 12, 31))


# -- fiscal years ------------------------------------------------------------------------------

@pytest.mark.parametrize("fy, expected", [
    (1988, "昭和63年度"), (1989, "平成元年度"), (2018, "平成30年度"), (2019, "令和元年度"),
    (2020, "令和2年度"), (2024, "令和6年度"), (2026, "令和8年度"),
    (1926, "大正15年度"), (1927, "昭和2年度"),
])
def test_fiscal_year_wareki(fy, expected):
    assert format_fiscal_year(fy, "ja") == expected


def test_fiscal_year_other_forms():
    assert format_fiscal_year(2019, "ja", calendar="seireki") == "2019年度"
    assert format_fiscal_year(2019, "ja", calendar="both") == "令和元年度（2019年度）"
    assert format_fiscal_year(2026, "en") == "FY2026"
    assert format_fiscal_year(2019, "en", calendar="wareki") == "FY2019"


def test_plan_reference_years_are_written_in_the_western_calendar():
    """A plan's target year and base year print as plans write them (2050年度, 2013年度比);
    any other fiscal year keeps the era."""
    assert format_fiscal_year(2050, "ja", reference=True) == "2050年度"
    assert format_fiscal_year(2013, "ja", reference=True) == "2013年度"
    assert format_fiscal_year(2013, "ja", calendar="both", reference=True) == "2013年度"
    assert format_fiscal_year(2013, "ja") == "平成25年度"
    assert format_fiscal_year(2026, "ja") == "令和8年度"
    assert format_fiscal_year(2050, "en", reference=True) == "FY2050"


def test_full_width_output_reads_back():
    """Japanese dates are written with full-width parentheses (11日（月）, 令和6年（2024年）) and
    typed input may use them or ASCII ones."""
    from citynet.i18n.format import format_date

    d = date(2024, 11, 11)
    for style in ("seireki", "wareki", "both", "seireki(wareki)"):
        text = format_date(d, "ja", style=style, weekday=True)
        assert "(" not in text and text.endswith("（月）")
        assert parse_date(text) == d


@pytest.mark.parametrize("d, fy", [
    (date(2026, 3, 31), 2025), (date(2026, 4, 1), 2026), (date(2027, 3, 31), 2026),
    (date(2019, 4, 30), 2019), (date(2019, 5, 1), 2019), (date(1989, 1, 7), 1988), (date(1989, 1, 8), 1988),
])
def test_fiscal_year_of_a_day(d, fy):
    assert fiscal_year(d) == fy


@given(st.dates(min_value=date(1874, 1, 1), max_value=date(2100, 12, 31)))
def test_each_day_belongs_to_one_fiscal_year(d):
    fy = fiscal_year(d)
    assert date(fy, 4, 1) <= d <= date(fy + 1, 3, 31)


def test_fiscal_year_era_across_changes():
    assert fiscal_year_era(1988)[0].kanji == "昭和"
    assert fiscal_year_era(2019) == (fiscal_year_era(2020)[0], 1)


@pytest.mark.parametrize("text, fy", [
    ("令和8年度", 2026), ("令和８年度", 2026), ("R8年度", 2026), ("2026年度", 2026), ("FY2026", 2026),
    ("令和元年度", 2019), ("平成31年度", 2019), ("平成元年度", 1989), ("昭和63年度", 1988),
])
def test_parse_fiscal_year(text, fy):
    assert parse_fiscal_year(text) == fy


@pytest.mark.parametrize("text", ["平成32年度", "昭和64年度", "令和0年度", "来年度"])
def test_parse_fiscal_year_refuses(text):
    with pytest.raises(DateInputError):
        parse_fiscal_year(text)


# -- input -------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("2024-11-11", date(2024, 11, 11)),
    ("2024/11/11", date(2024, 11, 11)),
    ("2024年11月11日", date(2024, 11, 11)),
    ("２０２４年１１月１１日", date(2024, 11, 11)),
    ("２０２４－１１－１１", date(2024, 11, 11)),
    ("令和6年11月11日", date(2024, 11, 11)),
    ("令和６年１１月１１日", date(2024, 11, 11)),
    ("令和6年11月11日(月)", date(2024, 11, 11)),
    ("令和６年１１月１１日（月）", date(2024, 11, 11)),
    ("令和6年(2024年)11月11日", date(2024, 11, 11)),
    ("2024年(令和6年)11月11日", date(2024, 11, 11)),
    ("令和 6 年 11 月 11 日", date(2024, 11, 11)),
    ("令和元年5月1日", date(2019, 5, 1)),
    ("令和1年5月1日", date(2019, 5, 1)),
    ("㋿6年11月11日", date(2024, 11, 11)),
    ("R6.11.11", date(2024, 11, 11)),
    ("r6/11/11", date(2024, 11, 11)),
    ("Ｒ６．１１．１１", date(2024, 11, 11)),
    ("H31.4.30", date(2019, 4, 30)),
    ("S64.1.7", date(1989, 1, 7)),
    ("令和十二年十月二十日", date(2030, 10, 20)),
    ("明治6年1月1日", date(1873, 1, 1)),
])
def test_parse_date(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("2009", (2009, None, None)), ("2009年", (2009, None, None)), ("2019年7月", (2019, 7, None)),
    ("2019-07", (2019, 7, None)), ("令和元年", (2019, None, None)), ("令和8年", (2026, None, None)),
    ("平成31年", (2019, None, None)), ("令和元年5月", (2019, 5, None)),
])
def test_parse_partial_date(text, expected):
    assert parse_partial_date(text) == expected


@pytest.mark.parametrize("text, why", [
    ("平成32年1月1日", "2019-04-30"),       # 平成 ended on 2019-04-30
    ("平成32年", "2019-04-30"),
    ("平成31年5月1日", "2019-04-30"),       # already 令和元年
    ("令和元年4月30日", "2019-05-01"),      # 令和 had not begun
    ("令和元年4月", "2019-05-01"),
    ("昭和64年1月8日", "1989-01-07"),
    ("大正元年7月29日", "1912-07-30"),
    ("2024-02-31", "29"),                   # February 2024 has 29 days
    ("2023-02-29", "28"),
    ("2024-13-01", "13"),
    ("1872-12-31", "1873"),
    ("明治5年12月2日", "1873"),
    ("令和6年11月11日(火)", "月"),          # 2024-11-11 is a Monday
    ("令和0年1月1日", "元年"),
    ("十一月", "2024-11-11"),               # unreadable: the message shows an example
    ("", "2024-11-11"),
    ("٢٠٢٤-١١-١١", "2024-11-11"),           # other scripts' digits are not accepted
])
def test_impossible_dates_say_why(text, why):
    with pytest.raises(DateInputError) as info:
        parse_date(text)
    message = str(info.value)
    assert why in message
    assert "\n" not in message


def test_year_alone_is_not_a_date():
    with pytest.raises(DateInputError, match="month and day"):
        parse_date("令和元年")


def test_error_message_in_japanese_ui():
    """Raised as a msgid with arguments: English as a str, the UI language where it is shown."""
    set_language("ja")
    with pytest.raises(DateInputError) as info:
        parse_date("平成32年1月1日")
    assert "平成32年は存在しません" in describe(info.value)
    assert "does not exist" in str(info.value)
    assert isinstance(info.value, CitynetError) and isinstance(info.value, ValueError)


@settings(max_examples=300)
@given(
    st.dates(min_value=date(1873, 1, 1), max_value=date(2100, 12, 31)),
    st.sampled_from(["half", "full", "mixed", "kanji"]),
    st.booleans(),
)
def test_parse_round_trip(d, digits, weekday):
    assert parse_date(format_wareki(d, weekday=weekday, digits=digits)) == d


@given(st.dates(min_value=date(1873, 1, 1), max_value=date(2100, 12, 31)))
def test_parse_iso_round_trip(d):
    assert parse_date(d.isoformat()) == d


def test_every_day_next_to_an_era_change_round_trips():
    for first in (date(1912, 7, 30), date(1926, 12, 25), date(1989, 1, 8), date(2019, 5, 1)):
        for d in (first - timedelta(days=1), first):
            assert parse_date(format_wareki(d)) == d
