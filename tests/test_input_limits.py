"""Input a user can give that is out of range or of the wrong type: one line on stderr, exit 2,
nothing changed, never a traceback; and a search input of any length is answered."""

from __future__ import annotations

import pytest

from citynet.services import lists, pickers, records
from citynet.services import hits, search


# --- history --limit --------------------------------------------------------------------------


@pytest.mark.parametrize("limit", ["99999999999999999999", "-1", "0", "-99999999999999999999"])
def test_history_limit_out_of_range_is_one_line(cli, tmp_path, limit):
    result = cli("history", "--since", "2000-01-01", "--limit", limit)
    assert result.code == 2, result
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "--limit" in result.stderr
    assert not list(tmp_path.rglob("*.db"))  # refused before any database is opened


def test_history_limit_in_range_still_works(cli):
    cli.load_demo()
    result = cli("history", "--since", "2000-01-01", "--limit", "3")
    assert result.code == 0, result
    changes = [line for line in result.stdout.splitlines() if line[:4].isdigit()]
    assert len(changes) == 3, result.stdout


# --- the settings file ------------------------------------------------------------------------


@pytest.mark.parametrize("text, key", [
    ("lang = 5\n", "lang"),
    ("database = 7\n", "database"),
    ("user = 7\n", "user"),
    ("user = [\"a\"]\n", "user"),
    ("lang = true\n", "lang"),
    ("keys = 3\n", "keys"),
])
def test_settings_value_of_the_wrong_type_is_one_line_naming_the_key(cli, tmp_path, text, key):
    settings = tmp_path / "settings.toml"
    settings.write_text(text, encoding="utf-8")
    # database = … is read only when neither --db nor CITYNET_DATABASE_URL names one.
    env = {"CITYNET_CONFIG": str(settings), "CITYNET_DATABASE_URL": None}
    result = cli("history", "--since", "2000-01-01", env=env)
    assert result.code == 2, result
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    assert key in lines[0] and str(settings) in lines[0]
    assert not list(tmp_path.rglob("*.db"))  # nothing created


def test_settings_of_the_right_types_are_read(cli, tmp_path):
    settings = tmp_path / "settings.toml"
    settings.write_text('lang = "en"\nuser = "Sato"\n[keys]\nsearch = "ctrl+f"\n', encoding="utf-8")
    assert cli("demo", env={"CITYNET_CONFIG": str(settings)}).code == 0
    result = cli("history", "--since", "2000-01-01", "--limit", "1",
                 env={"CITYNET_CONFIG": str(settings)})
    assert result.code == 0, result


def test_settings_error_is_translated(tmp_path, monkeypatch):
    from citynet.config import ENV_CONFIG, load_config
    from citynet.errors import CitynetError
    from citynet.i18n import describe_in

    settings = tmp_path / "settings.toml"
    settings.write_text("database = 7\n", encoding="utf-8")
    monkeypatch.setenv(ENV_CONFIG, str(settings))
    with pytest.raises(CitynetError) as raised:
        load_config()
    assert "database" in describe_in("en", raised.value)
    japanese = describe_in("ja", raised.value)
    assert "database" in japanese and "設定ファイル" in japanese


# --- search input length ----------------------------------------------------------------------

LONG_QUERIES = [
    "a" * 100_000,  # "LIKE or GLOB pattern too complex" on SQLite
    " ".join(f"w{n}" for n in range(30_000)),  # "Expression tree is too large" on SQLite
    "あ" * 100_000,
    "%_\\" * 40_000,
]


def _seed(engine):
    records.create_record(engine, "city", {"slug": "testburg", "name_en": "Testburg",
                                           "name_ja": "テストブルク", "country": "DE",
                                           "timezone": "Europe/Berlin"}, origin="form")
    records.create_record(engine, "person", {"slug": "test-person", "family_name_latin": "Testburg",
                                             "given_name_latin": "Anna"}, origin="form")


@pytest.mark.parametrize("query", LONG_QUERIES, ids=["letters", "words", "kana", "wildcards"])
def test_every_search_entry_point_answers_a_long_query(engine, query):
    _seed(engine)
    assert hits.search(engine, query).hits == ()
    for kind in lists.LIST_KINDS:
        assert lists.list_page(engine, kind, query).rows == ()
    for kind in ("city", "person", "position", "event", "organisation"):
        assert pickers.choices(engine, kind, query) == ()


def test_a_long_query_is_cut_to_the_cap_and_still_finds(engine):
    _seed(engine)
    query = "testburg " * 20_000  # the first MAX_QUERY_LENGTH characters are still "testburg …"
    assert search.MAX_QUERY_LENGTH == 200
    assert {h.slug for h in hits.search(engine, query).hits} == {"testburg", "test-person"}
    assert [r.slug for r in lists.list_page(engine, "city", query).rows] == ["testburg"]
    assert [c.slug for c in pickers.choices(engine, "person", query)] == ["test-person"]
    # What lies beyond the cap is not read: it cannot narrow the hits.
    beyond = "testburg " * 30 + "nowhere"
    assert [r.slug for r in lists.list_page(engine, "city", beyond).rows] == ["testburg"]
