"""The demo data renders in both languages with no missing-translation marker."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from citynet.i18n.eras import parse_fiscal_year, parse_partial_date
from citynet.i18n.format import (
    REVIEWED_COUNTRIES, country_name, format_date_range, format_fuzzy_date, format_session_times,
    format_tonnes_co2, participation_sentence, person_display_name, position_title, timezone_city,
)
from citynet.i18n.text import bilingual, has_missing_mark

data = pytest.importorskip("citynet.demo.data")
HOME_TZ = "Asia/Tokyo"
LANGS = ("ja", "en")


def rows(table):
    return [row for slide in data.SLIDES for row in slide.get(table, [])]


def fuzzy(text, lang, **kwargs):
    if text.upper().startswith("FY"):
        return format_fuzzy_date(parse_fiscal_year(text), precision="fiscal_year", lang=lang, **kwargs)
    year, month, day = parse_partial_date(text)
    return format_fuzzy_date(year, month, day, lang=lang, **kwargs)


def rendered():
    """Every piece of demo data that the UI, PDFs and calendars put into words."""
    for slide in data.SLIDES:
        for table, table_rows in slide.items():
            if not isinstance(table_rows, list):
                continue
            for row in table_rows:
                for key in row:
                    if key.endswith(("_ja", "_en")) and table != "person":  # names: person_display_name
                        stem = key[:-3]
                        for lang in (*LANGS, "both"):
                            yield f"{table}.{stem}", bilingual(row.get(f"{stem}_ja"), row.get(f"{stem}_en"), lang)
                if row.get("country"):
                    assert row["country"] in REVIEWED_COUNTRIES, f"review the names of {row['country']}"
                    for lang in LANGS:
                        yield f"{table}.country", country_name(row["country"], lang)
                if row.get("timezone"):
                    for lang in LANGS:
                        yield f"{table}.timezone", timezone_city(row["timezone"], lang)
    for p in rows("person"):
        for lang in (*LANGS, "both"):
            yield "person", person_display_name(p.get("family_name_ja"), p.get("given_name_ja"),
                                                p.get("family_name_latin"), p.get("given_name_latin"),
                                                p["name_order"], lang, katakana=p.get("name_katakana"))
    for pos in rows("position"):
        for lang in (*LANGS, "both"):
            yield "position", position_title(pos.get("title_ja"), pos.get("title_en"), bool(pos.get("ended")), lang)
    for lang in LANGS:
        for m in rows("milestone"):
            yield "milestone.when", fuzzy(m["when"], lang, open_ended=bool(m.get("ongoing")))
        for n in rows("network"):
            if n.get("founded"):
                yield "network.founded", fuzzy(n["founded"], lang)
        for p in rows("project"):
            if p.get("start"):
                yield "project.start", fuzzy(p["start"], lang, planned=bool(p.get("planned")))
        for k in rows("key_figure"):
            if k.get("period"):
                yield "key_figure.period", fuzzy(k["period"], lang)
            if k.get("unit") == "t-CO2":
                yield "key_figure.value", format_tonnes_co2(k["value"], lang)
        for t in rows("participation_totals"):
            yield "participation", participation_sentence(t, lang)
        events = {e["slug"]: e for e in rows("event")}
        for e in events.values():
            if e.get("start_date"):
                yield "event.dates", format_date_range(date.fromisoformat(e["start_date"]),
                                                       date.fromisoformat(e["end_date"]), lang, style="wareki")
        for s in rows("session"):
            tz = events[s["event"]].get("timezone") or HOME_TZ
            if s.get("day") and s.get("start"):
                day = date.fromisoformat(s["day"])
                start = datetime.combine(day, time.fromisoformat(s["start"]), ZoneInfo(tz))
                end = datetime.combine(day, time.fromisoformat(s["end"]), ZoneInfo(tz)) if s.get("end") else None
                yield "session.times", format_session_times(start, end, tz, HOME_TZ, lang)


def test_demo_renders_without_missing_marker():
    outputs = list(rendered())
    assert len(outputs) > 100
    flagged = [(what, text) for what, text in outputs if has_missing_mark(text)]
    assert not flagged


def test_demo_press_conference_times():
    assert "13:00–13:30 (Baku, UTC+4) / 18:00–18:30 JST" in [text for what, text in rendered() if what == "session.times"]
