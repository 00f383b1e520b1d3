"""What a user can ask or do, as plain functions over an engine returning plain data.

Every face (CLI, terminal UI, PDFs, calendars) calls these; none queries the tables itself.
Results are frozen dataclasses, never ORM objects, so they can cross threads safely.
"""
