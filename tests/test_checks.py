"""The checker (``citynet check``, the event page's warnings, a release's list): each rule fires on
a small store built through the write path and stays quiet on the near miss; the settings file's
[checks] table; the command line's lines and exit statuses; the demo's true warnings."""

from __future__ import annotations

import asyncio
import os
import shutil
from datetime import time

import pytest

from citynet.errors import CitynetError
from citynet.i18n import set_language
from citynet.services.checks import CheckSettings, check_all, check_event, great_circle_km
from citynet.services.records import create_record

DEFAULTS = CheckSettings()
SAITAMA = {"slug": "saitama", "name_ja": "さいたま市", "name_en": "Saitama", "country": "JP",
           "timezone": "Asia/Tokyo", "is_home": True, "latitude": 35.8617, "longitude": 139.6455}
BAKU = {"slug": "baku", "name_ja": "バクー", "name_en": "Baku", "country": "AZ",
        "timezone": "Asia/Baku", "latitude": 40.4093, "longitude": 49.8671}


@pytest.fixture(autouse=True)
def english():
    set_language("en")
    yield
    set_language("en")


class Store:
    """A minimal store: the home city Saitama and Baku (with coordinates), the mayor of Saitama
    (Sato Hanako), an event in each city; sessions and participants added per test."""

    def __init__(self, engine):
        self.engine = engine
        self.ids: dict[str, int] = {}
        self.add("city", **SAITAMA)
        self.add("city", **BAKU)
        self.add("person", slug="sato-hanako", family_name_ja="佐藤", given_name_ja="花子",
                 family_name_latin="Sato", given_name_latin="Hanako")
        self.add("position", slug="mayor-of-saitama", city_id=self.ids["saitama"],
                 person_id=self.ids["sato-hanako"], title_ja="さいたま市長",
                 title_en="Mayor of Saitama City")
        self.event("cop", "baku", "Asia/Baku", "2024-11-11", "2024-11-13")
        self.event("home", "saitama", "Asia/Tokyo", "2024-11-01", "2024-11-30")

    def add(self, record_kind: str, **values) -> int:
        info = create_record(self.engine, record_kind, values, origin="form")
        if "slug" in values:
            self.ids[values["slug"]] = info.id
        return info.id

    def event(self, slug, city, tz, start, end, **values):
        return self.add("event", slug=slug, kind="conference", title_ja=f"{slug}（日）",
                        title_en=f"{slug} (en)", timezone=tz, city_id=self.ids[city],
                        start_date=start, end_date=end, **{"status": "confirmed", **values})

    def session(self, slug, event, *, day=None, start=None, end=None, who=(), **values):
        """A session; times are local wall-clock times in the event's zone, as a form takes them."""
        fields = {"slug": slug, "event_id": self.ids[event], "kind": "other",
                  "title_ja": f"{slug}（日）", "title_en": f"{slug} (en)", **values}
        if day:
            fields["day"] = day
        if start:
            fields["starts_at"] = f"{day} {start}"
        if end:
            fields["ends_at"] = f"{day} {end}"
        self.add("session", **fields)
        for item in who:
            key, slug_ = item if isinstance(item, tuple) else ("position", item)
            role = "speaker"
            self.add("participant", session_id=self.ids[slug], role=role,
                     **{f"{key}_id": self.ids[slug_]})


def keys(findings):
    return [f.key for f in findings]


@pytest.fixture
def store(engine):
    return Store(engine)


# --- overlap ------------------------------------------------------------------------------------


def test_the_same_instant_in_two_zones_is_an_overlap_across_events(store):
    # 13:00 in Baku (UTC+4) is 18:00 in Saitama (UTC+9): the mayor cannot be at both.
    store.session("baku-talk", "cop", day="2024-11-12", start="13:00", end="14:00",
                  who=["mayor-of-saitama"])
    store.session("home-talk", "home", day="2024-11-12", start="18:00", end="18:30",
                  who=[("person", "sato-hanako")])
    expected = ["overlap:sato-hanako:baku-talk:home-talk"]
    assert keys(check_event(store.engine, "cop", settings=DEFAULTS)) == expected
    assert keys(check_event(store.engine, "home", settings=DEFAULTS)) == expected  # the same key
    finding = check_event(store.engine, "cop", settings=DEFAULTS)[0]
    assert finding.blocking and finding.person.slug == "sato-hanako"
    assert [s.slug for s in finding.sessions] == ["baku-talk", "home-talk"]


def test_back_to_back_sessions_do_not_overlap(store):
    store.session("first", "cop", day="2024-11-12", start="13:00", end="14:00",
                  who=["mayor-of-saitama"])
    store.session("second", "cop", day="2024-11-12", start="14:00", end="15:00",
                  who=["mayor-of-saitama"])
    assert check_event(store.engine, "cop", settings=DEFAULTS) == ()
    store.session("third", "cop", day="2024-11-12", start="14:59", who=["mayor-of-saitama"])
    assert keys(check_event(store.engine, "cop", settings=DEFAULTS)) == [
        "overlap:sato-hanako:second:third"]


def test_a_cancelled_session_or_event_is_not_checked(store):
    store.session("first", "cop", day="2024-11-12", start="13:00", end="14:00",
                  who=["mayor-of-saitama"])
    store.session("second", "cop", day="2024-11-12", start="13:30", end="15:00",
                  who=["mayor-of-saitama"], status="cancelled")
    assert check_event(store.engine, "cop", settings=DEFAULTS) == ()
    store.event("off", "baku", "Asia/Baku", "2024-11-11", "2024-11-13", status="cancelled")
    store.session("off-talk", "off", day="2024-11-20", start="13:00", who=["mayor-of-saitama"])
    assert check_event(store.engine, "off", settings=DEFAULTS) == ()
    assert check_event(store.engine, "cop", settings=DEFAULTS) == ()


# --- travel -------------------------------------------------------------------------------------


def test_travel_between_cities_too_close_in_time(store):
    distance = great_circle_km((SAITAMA["latitude"], SAITAMA["longitude"]),
                               (BAKU["latitude"], BAKU["longitude"]))
    assert 7500 < distance < 7900  # Saitama–Baku: about 12.8 hours at 600 km/h
    # 10:00–11:00 in Baku is 15:00–16:00 in Japan; 18:00 in Saitama is 2 hours later.
    store.session("baku-morning", "cop", day="2024-11-12", start="10:00", end="11:00",
                  who=["mayor-of-saitama"])
    store.session("home-evening", "home", day="2024-11-12", start="18:00", end="19:00",
                  who=["mayor-of-saitama"])
    found = check_event(store.engine, "cop", settings=DEFAULTS)
    assert keys(found) == ["travel:sato-hanako:baku-morning:home-evening"]
    assert found[0].distance_km == pytest.approx(distance, abs=1)


def test_travel_with_enough_time_is_fine(store):
    store.session("baku-morning", "cop", day="2024-11-12", start="10:00", end="11:00",
                  who=["mayor-of-saitama"])
    # 14 hours after the end in Baku: more than the 12.8 hours the journey takes.
    store.session("home-next-day", "home", day="2024-11-13", start="10:00", end="11:00",
                  who=["mayor-of-saitama"])
    assert check_event(store.engine, "cop", settings=DEFAULTS) == ()


def test_day_only_sessions_are_judged_by_the_whole_day(store):
    # On the same day, one session may be early in Saitama and the other late in Baku: 29 hours
    # apart at most, enough at 600 km/h, too little at 200 km/h (38.5 hours).
    store.session("baku-day", "cop", day="2024-11-12", who=["mayor-of-saitama"])
    store.session("home-day", "home", day="2024-11-12", who=["mayor-of-saitama"])
    assert check_event(store.engine, "cop", settings=DEFAULTS) == ()
    slow = CheckSettings(travel_speed_kmh=200)
    assert keys(check_event(store.engine, "cop", settings=slow)) == [
        "travel:sato-hanako:baku-day:home-day"]


# --- the event's dates --------------------------------------------------------------------------


def test_a_session_outside_its_event_dates(store):
    store.session("last-evening", "cop", day="2024-11-13", start="23:30")  # still the 13th in Baku
    assert check_event(store.engine, "cop", settings=DEFAULTS) == ()
    store.session("after", "cop", day="2024-11-14")
    found = check_event(store.engine, "cop", settings=DEFAULTS)
    assert keys(found) == ["outside_event:after"] and found[0].blocking


# --- night --------------------------------------------------------------------------------------


def test_night_in_home_time_is_advisory(store):
    # 19:00–20:00 in Baku is 00:00–01:00 in Japan.
    store.session("late", "cop", day="2024-11-12", start="19:00", end="20:00",
                  who=["mayor-of-saitama"])
    found = check_event(store.engine, "cop", settings=DEFAULTS)
    assert keys(found) == ["night:late"] and not found[0].blocking
    # The night window comes from the settings: 01:00–05:00 misses it.
    assert check_event(store.engine, "cop",
                       settings=CheckSettings(night_start=time(1), night_end=time(5))) == ()


def test_no_night_warning_by_day_or_without_a_home_participant(store):
    store.session("afternoon", "cop", day="2024-11-12", start="13:00", end="13:30",
                  who=["mayor-of-saitama"])  # 18:00 in Japan
    store.add("city", slug="mannheim", name_en="Mannheim", country="DE", timezone="Europe/Berlin")
    store.add("position", slug="mayor-of-mannheim", city_id=store.ids["mannheim"],
              title_en="Mayor of Mannheim", title_ja="マンハイム市長")
    store.session("late", "cop", day="2024-11-12", start="19:00", end="20:00",
                  who=["mayor-of-mannheim"])
    assert check_event(store.engine, "cop", settings=DEFAULTS) == ()


# --- posts --------------------------------------------------------------------------------------


def test_a_post_that_had_ended_or_not_begun(store):
    store.add("position", slug="old-post", city_id=store.ids["saitama"], title_en="Old post",
              title_ja="旧職", start="2020-04", end="2024-10")
    store.add("position", slug="month-post", city_id=store.ids["baku"], title_en="Month post",
              title_ja="月職", start="2020", end="2024-11")
    store.add("position", slug="then-post", city_id=store.ids["baku"], title_en="Then post",
              title_ja="当時職", ended=True)
    store.add("position", slug="new-post", city_id=store.ids["baku"], title_en="New post",
              title_ja="新職", start="2025")
    store.session("talk", "cop", day="2024-11-12",
                  who=["old-post", "month-post", "then-post", "new-post"])
    found = check_event(store.engine, "cop", settings=DEFAULTS)
    # ended in October: not held; held "until November": the whole month counts; ended at an
    # unknown time (当時): not a finding; begins in 2025: not yet held
    assert keys(found) == ["post_not_held:new-post:talk", "post_not_held:old-post:talk"]
    assert {f.position.slug: f.not_begun for f in found} == {"new-post": True, "old-post": False}


# --- documents ----------------------------------------------------------------------------------


def test_missing_translation_only_for_the_language_asked(store):
    store.add("person", slug="peter-kurz", family_name_latin="Kurz", given_name_latin="Peter",
              name_order="given_first")
    store.add("person", slug="markus-lewe", family_name_latin="Lewe", given_name_latin="Markus",
              name_order="given_first", name_katakana="マルクス・レーヴェ")
    store.session("talk", "cop", day="2024-11-12", start="10:00", title_ja="",
                  who=[("person", "peter-kurz"), ("person", "markus-lewe")])
    assert check_event(store.engine, "cop", settings=DEFAULTS) == ()
    assert check_event(store.engine, "cop", lang="en", settings=DEFAULTS) == ()
    expected = ["missing_translation:ja:person:peter-kurz", "missing_translation:ja:session:talk"]
    assert sorted(keys(check_event(store.engine, "cop", lang="ja", settings=DEFAULTS))) == expected
    assert sorted(keys(check_event(store.engine, "cop", lang="both", settings=DEFAULTS))) == expected


def test_missing_translation_counts_only_what_the_document_prints(store):
    store.add("person", slug="peter-kurz", family_name_latin="Kurz", given_name_latin="Peter",
              name_order="given_first")
    store.session("talk", "cop", day="2024-11-12", start="10:00")
    store.add("participant", session_id=store.ids["talk"], person_id=store.ids["peter-kurz"],
              role="participant")  # the programme names only who is on stage
    assert check_event(store.engine, "cop", document="programme", lang="ja", settings=DEFAULTS) == ()
    assert keys(check_event(store.engine, "cop", lang="ja", settings=DEFAULTS)) == [
        "missing_translation:ja:person:peter-kurz"]


def test_untimed_only_for_the_programme(store):
    store.session("timed", "cop", day="2024-11-12", start="10:00")
    store.session("day-only", "cop", day="2024-11-12")
    store.session("dropped", "cop", day="2024-11-12", status="cancelled")
    assert check_event(store.engine, "cop", settings=DEFAULTS) == ()
    assert keys(check_event(store.engine, "cop", document="programme", settings=DEFAULTS)) == [
        "untimed:day-only"]


def test_check_all_reads_the_events_not_yet_over(store):
    store.session("after", "cop", day="2024-11-14")
    from datetime import date

    assert keys(check_all(store.engine, settings=DEFAULTS, today=date(2024, 11, 1))) == [
        "outside_event:after"]
    assert check_all(store.engine, settings=DEFAULTS, today=date(2025, 1, 1)) == ()


# --- the settings file --------------------------------------------------------------------------


def _settings_file(text: str):
    from citynet.config import config_path

    path = config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_checks_table_of_the_settings_file():
    from citynet.config import check_settings

    assert check_settings() == DEFAULTS  # no file: the defaults (600 km/h, 22:00–07:00)
    _settings_file('lang = "en"\n[checks]\ntravel_speed_kmh = 800\nnight = "23:30-06:00"\n')
    assert check_settings() == CheckSettings(800.0, time(23, 30), time(6, 0))


@pytest.mark.parametrize("text, setting", [
    ("travel_speed_kmh = 0", "travel_speed_kmh"),
    ('travel_speed_kmh = "fast"', "travel_speed_kmh"),
    ('night = "22:00"', "night"),
    ('night = "25:00-07:00"', "night"),
    ('night = "07:00-07:00"', "night"),
])
def test_a_bad_checks_setting_is_one_line(text, setting, cli):
    from citynet.config import check_settings

    path = _settings_file(f"[checks]\n{text}\n")
    with pytest.raises(CitynetError) as refused:
        check_settings()
    assert setting in str(refused.value) and str(path) in str(refused.value)
    cli.load_demo()
    code, out, err = cli("check", "--event", "cop29", env={"CITYNET_CONFIG": str(path)})
    assert code == 2 and out == "" and len(err.strip().splitlines()) == 1 and setting in err


# --- the command line and the demo --------------------------------------------------------------


def test_the_demo_shows_only_true_warnings(cli):
    """COP29: the E-KIZUNA High-Level Talks ran 16:30–17:30 in Baku, 21:30–22:30 in Japan: the
    Mayor of Saitama (a home-city participant) is in a session reaching into the night in home
    time, an advisory. The two Japan Pavilion sessions have no day or time: the programme cannot
    place them. Nothing else in the demo is wrong."""
    from citynet.store.db import open_database

    cli.load_demo()
    engine = open_database(cli.db_url)
    try:
        assert keys(check_event(engine, "cop29", settings=DEFAULTS)) == [
            "night:e-kizuna-high-level-talks"]
        assert keys(check_event(engine, "cop29", document="programme", lang="both",
                                settings=DEFAULTS)) == [
            "untimed:cop29-clean-city-partnership-seminar",
            "untimed:cop29-multilevel-climate-action", "night:e-kizuna-high-level-talks"]
        from citynet.services.events import list_events

        for event in list_events(engine):
            if event.slug != "cop29":
                assert check_event(engine, event.slug, lang="both", settings=DEFAULTS) == (), event.slug
    finally:
        engine.dispose()
    code, out, err = cli("check", "--event", "cop29", "--lang", "en")
    assert code == 0, err
    assert out.splitlines() == [
        "[advisory] “E-KIZUNA High-Level Talks” falls in the night in home time: 12 November 2024 "
        "16:30–17:30 (Baku, UTC+4) / 21:30–22:30 JST (SHIMIZU Hayato takes part)",
        "0 blocking, 1 advisory"]
    code, out, err = cli("check", "--event", "cop29", "--lang", "ja")
    assert code == 0, err
    lines = out.splitlines()
    assert len(lines) == 2 and lines[0].startswith("［参考］")
    assert "16:30～17:30（バクー、UTC+4）" in lines[0] and "日本時間 21:30～22:30" in lines[0]
    assert "清水 勇人" in lines[0] and lines[1] == "発行を止める警告 0件、参考 1件"
    code, out, err = cli("check", "--event", "saitama-summit-2022", "--lang", "en")
    assert (code, out.splitlines()) == (0, ["No warnings.", "0 blocking, 0 advisory"])
    code, out, err = cli("check", "--lang", "en")  # every demo event is over: nothing to check
    assert (code, out.splitlines()) == (0, ["No warnings.", "0 blocking, 0 advisory"])


def test_cli_exit_status_and_json(cli):
    import json

    cli.load_demo()
    code, out, err = cli("add", "session", "slug=late-session", "event=cop29", "kind=other",
                         "title_en=Late session", "title_ja=遅いセッション", "day=2024-11-25")
    assert code == 0, err
    code, out, err = cli("check", "--event", "cop29", "--lang", "en")
    assert code == 1, err
    lines = out.splitlines()
    assert lines[0] == ("[blocking] “Late session” is on 25 November 2024, outside the event's "
                        "dates (11–22 November 2024)")
    assert lines[-1] == "1 blocking, 1 advisory"
    code, out, err = cli("check", "--event", "cop29", "--json", "--lang", "en")
    assert code == 1
    data = json.loads(out)
    assert (data["blocking"], data["advisory"]) == (1, 1)
    assert [f["key"] for f in data["findings"]] == ["outside_event:late-session",
                                                    "night:e-kizuna-high-level-talks"]
    code, out, err = cli("check", "--event", "nope")
    assert code == 2 and out == "" and len(err.strip().splitlines()) == 1 and "nope" in err


# --- the terminal UI ----------------------------------------------------------------------------


def test_event_page_shows_the_warnings(demo_sqlite_template, tmp_path):
    os.environ.setdefault("TEXTUAL_DISABLE_KITTY_KEY", "1")
    from citynet.store.db import open_database
    from citynet.tui.application import CitynetApp

    path = tmp_path / "t.db"
    shutil.copy(demo_sqlite_template, path)
    engine = open_database(f"sqlite:///{path}")

    def text_of(app) -> str:
        return "\n".join(strip.text.rstrip() for strip in app.screen._compositor.render_strips())

    async def go():
        app = CitynetApp(engine=engine, keymap={})
        async with app.run_test(size=(200, 60)) as pilot:
            for slug, expected in (("cop29", "Warnings (1)"), ("u7-summit-2025", "No warnings.")):
                app.open_record("event", slug)
                text = ""
                for _ in range(40):
                    await app.workers.wait_for_complete()
                    await pilot.pause(0.02)
                    text = text_of(app)
                    if expected in text:
                        break
                assert expected in text, text
                if slug == "cop29":
                    assert "advisory" in text and "falls in the night in home time" in text
                await pilot.press("escape")
    try:
        asyncio.run(go())
    finally:
        engine.dispose()
