"""Every face of the one search engine: ``citynet search`` (lines and JSON, kinds, bad input),
the fixed pickers (time zones found by city and country in either language), the list filters
with their count and order, and a broad query saying that it read only part of the matches."""

from __future__ import annotations

import json

from citynet.cli import SEARCH_KINDS as CLI_SEARCH_KINDS
from citynet.i18n import set_language
from citynet.services import lists
from citynet.services.fixed_choices import country_choices, filter_choices, timezone_choices
from citynet.services.records import writing
from citynet.services.search import BROAD_ROWS, SEARCH_KINDS


def test_the_command_line_knows_the_engine_s_kinds():
    assert CLI_SEARCH_KINDS == tuple(SEARCH_KINDS)


def test_citynet_search_prints_hits_with_what_tells_them_apart(cli):
    cli.load_demo()
    result = cli("search", "クルツ", "--lang", "ja")
    assert result.code == 0, result.stderr
    assert result.stdout.splitlines() == ["人物\tpeter-kurz\tペーター・クルツ\tマンハイム市長"]
    assert "1件見つかりました" in result.stderr
    result = cli("search", "munster", "--lang", "en")
    first = result.stdout.splitlines()[0].split("\t")
    assert first[:3] == ["City", "muenster", "Münster"] and "Germany" in first[3]
    assert "2 found" in result.stderr


def test_citynet_search_json_kinds_and_limit(cli):
    cli.load_demo()
    result = cli("search", "saitama", "--json", "--limit", "2", "--lang", "en")
    data = json.loads(result.stdout)
    assert data["query"] == "saitama" and data["complete"] is True
    assert len(data["hits"]) == 2 and data["total"] == sum(data["totals"].values()) > 2
    assert data["hits"][0] == {"kind": "city", "slug": "saitama", "name_ja": "さいたま市",
                               "name_en": "Saitama", "name": "Saitama",
                               "detail": "Saitama Prefecture · Japan"}
    only = json.loads(cli("search", "saitama", "--json", "--kind", "event", "--kind", "session").stdout)
    assert {h["kind"] for h in only["hits"]} == {"event", "session"}
    assert only["total"] == data["totals"]["event"] + data["totals"]["session"]


def test_citynet_search_refuses_bad_input_in_one_line(cli):
    cli.load_demo()
    for args in (["search", "x", "--limit", "0"], ["search", "x", "--kind", "planet"],
                 ["search"]):
        result = cli(*args)
        assert result.code == 2 and result.stdout == ""
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    nothing = cli("search", "%%%", "--lang", "en")
    assert nothing.code == 0 and nothing.stdout == "" and "Nothing found." in nothing.stderr


def test_time_zones_are_found_by_city_and_country_in_either_language():
    for lang in ("ja", "en"):
        zones = timezone_choices(lang)
        first = lambda query: [c.value for c in filter_choices(zones, query)][:1]  # noqa: E731
        assert first("とうきょう") == first("東京") == first("tokyo") == ["Asia/Tokyo"]
        assert first("ベルリン") == first("berlin") == ["Europe/Berlin"]
        assert first("バクー") == ["Asia/Baku"]
        malaysia = {c.value for c in filter_choices(zones, "Malaysia")}
        assert {"Asia/Kuala_Lumpur", "Asia/Kuching"} <= malaysia
        assert malaysia == {c.value for c in filter_choices(zones, "マレーシア")}
        assert filter_choices(zones, "atlantis") == []
    labels = {c.value: c.label for c in timezone_choices("ja")}
    assert labels["Asia/Tokyo"] == "Asia/Tokyo — 東京（日本）"
    assert [c.value for c in filter_choices(country_choices("ja"), "どいつ")] == ["DE"]


def test_a_list_filter_says_how_many_and_in_what_order(engine):
    with writing(engine, origin="cli") as w:
        w.create_many("city", [{"slug": f"sakura-{n}", "name_ja": "佐倉市", "name_kana": "さくらし",
                                "name_en": "Sakura", "country": "JP", "timezone": "Asia/Tokyo"}
                               for n in range(3)])
    set_language("ja")
    page = lists.list_page(engine, "city", "さくら")
    assert (page.total, page.order, page.broad) == (3, "reading", False)
    set_language("en")
    assert lists.list_page(engine, "city", "sakura").order == "alphabetical"
    assert lists.list_page(engine, "event").order == "date"


def test_a_broad_query_reads_part_of_the_matches_and_says_so(engine):
    # More index rows start with "sa" than a search reads of one kind.
    people = [{"slug": f"p-{n}", "family_name_latin": f"Sa{n:04d}", "given_name_latin": "Ken"}
              for n in range(BROAD_ROWS + 50)]
    with writing(engine, origin="cli") as w:
        w.create_many("person", people)
    set_language("en")
    page = lists.list_page(engine, "person", "sa")
    assert page.broad and page.total is not None and page.total < len(people)
    assert [r.slug for r in page.rows][:3] == ["p-0", "p-1", "p-2"]  # the list's own order
    narrow = lists.list_page(engine, "person", "sa0012")
    assert not narrow.broad and narrow.total == 1
