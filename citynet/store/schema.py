"""Schema revisions known to this build, without importing Alembic (kept off the start path).

A test checks these against the Alembic scripts in ``migrations/versions``.
"""

KNOWN_REVISIONS: tuple[str, ...] = ("0001_initial", "0002_history_search", "0003_person_sort_key",
                                   "0004_uuid_origin", "0005_search_index",
                                   "0006_releases_commitments", "0007_position_as_of",
                                   "0008_event_network", "0009_recent_indexes")
SCHEMA_HEAD = KNOWN_REVISIONS[-1]
