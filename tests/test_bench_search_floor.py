"""The search benchmark's floor does the same work as citynet (issue 17, part 1): for each face
of the search engine, replaying the statements citynet ran for a keystroke through the bare
driver gives back the records citynet shows, and no fewer statements than it ran."""

from __future__ import annotations

# Demo names in both scripts, a prefix, a reading, a place that is a person's name too.
QUERIES = ("mann", "マンハイム", "さいたま", "清水", "kuala", "baku", "sato")


def _ids(result) -> list[int]:
    """The record ids a face shows, in its order (search results, a list page, picker hits)."""
    if hasattr(result, "hits"):
        return [hit.id for hit in result.hits]
    if hasattr(result, "rows"):
        return [row.id for row in result.rows]
    return [hit.id for hit in result]


def _ints(rows: list[list[tuple]]) -> set[int]:
    return {value for statement in rows for row in statement for value in row
            if isinstance(value, int) and not isinstance(value, bool)}


def test_each_search_floor_returns_the_records_citynet_shows(demo_store, bench_run):
    faces = [(label, fn) for label, limit, fn in bench_run.search_faces(demo_store) if limit != "zones"]
    assert {label for label, _fn in faces} >= {"search screen", "people list filter",
                                               "cities list filter", "person picker", "city picker"}
    raw = demo_store.raw_connection()
    try:
        shown_anything = set()
        for label, fn in faces:
            floor = bench_run.replay_floor(demo_store, raw.driver_connection, fn, QUERIES)
            for query in QUERIES:
                shown = _ids(fn(query))
                statements = bench_run._statements(demo_store, fn, query)
                replayed = floor(query)
                assert len(replayed) == len(statements) >= 1, (label, query)
                missing = set(shown) - _ints(replayed)
                assert not missing, f"{label} {query!r}: the floor's rows lack {sorted(missing)}"
                if shown:
                    shown_anything.add(label)
        # every face found something in the demo for at least one query: the check above bites
        assert shown_anything == {label for label, _fn in faces}
    finally:
        raw.close()


def test_the_search_limit_reads_the_index_range_of_the_first_word(demo_store, bench_run):
    """The limit (a bound, not the floor) finds the people whose names start with the word."""
    from citynet.services import hits

    raw = demo_store.raw_connection()
    try:
        limits = bench_run.search_limits(demo_store, raw.driver_connection)
        found = {record_id for _kind, record_id in limits["person terms"]("清水")}
        people = {hit.id for hit in hits.search(demo_store, "清水", kinds=["person"]).hits}
        assert people and people <= found
    finally:
        raw.close()
