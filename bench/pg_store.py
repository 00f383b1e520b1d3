"""The synthetic store of ``bench/synthetic.py`` copied into PostgreSQL, for the benchmarks that
compare both engines.

    .venv/bin/python bench/pg_store.py [--scale 1.0] [--pg URL] [--force]

``ensure(sqlite_path, url)`` (re)creates the database named in ``url`` (default
``citynet_bench``), lets ``citynet.store.db.open_database`` create the schema (it migrates), then
copies every table's rows from the cached SQLite file with psycopg 3's ``COPY … FROM STDIN``
(the search index too; not ``alembic_version``, which the migration wrote). Values are read with
``sqlite3`` and converted by the models' SQLAlchemy column types where they have a result
processor (``UTCDateTime`` → aware UTC datetimes, ``Date`` → dates, ``Boolean`` 0/1 → booleans);
every other column is copied as SQLite returns it. The tables are truncated and filled in one
transaction (``COPY … FREEZE``, foreign-key triggers off for it: the rows come from a store whose
keys SQLite checked; indexes other than the keys' dropped first and built once the rows are in),
the id sequences are set past the largest id, then ``VACUUM ANALYZE``.

The copy is cached: the database's comment names the SQLite file (its name holds seed, scale,
generator version and schema head) with its size and modification time, written only once the
copy is complete; a database with the same comment is used as it is.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
for _p in (ROOT, ROOT / "bench"):
    if str(_p) not in sys.path:
        sys.path.insert(0, str(_p))

DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/citynet_bench"
ENV_URL = "CITYNET_BENCH_POSTGRES_URL"
MARK = "citynet bench copy of "
SKIP = {"alembic_version"}


def _libpq(url) -> str:
    """A libpq connection URI for a SQLAlchemy URL."""
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def marker(sqlite_path: Path) -> str:
    """What the database's comment says once it holds a copy of this file: its name, size and
    modification time (a cache file rebuilt under the same name is copied again)."""
    stat = sqlite_path.stat()
    return f"{MARK}{sqlite_path.name} ({stat.st_size} bytes, mtime_ns {stat.st_mtime_ns})"


def current_marker(url: str) -> str | None:
    """The comment of the database named in ``url`` (None: no such database or no comment)."""
    import psycopg
    import sqlalchemy as sa

    target = sa.engine.make_url(url)
    with psycopg.connect(_libpq(target.set(database="postgres")), autocommit=True) as c:
        row = c.execute("SELECT shobj_description(oid, 'pg_database') FROM pg_database "
                        "WHERE datname = %s", (target.database,)).fetchone()
    return row[0] if row else None


def _recreate(url) -> None:
    import psycopg
    from psycopg import sql

    name = sql.Identifier(url.database)
    with psycopg.connect(_libpq(url.set(database="postgres")), autocommit=True) as c:
        c.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
        c.execute(sql.SQL("CREATE DATABASE {} TEMPLATE template0 ENCODING 'UTF8'").format(name))


def _converters(table_name: str, columns: list[str]):
    """Per column, SQLAlchemy's result processor for the model's type on SQLite (or None)."""
    from sqlalchemy.dialects import sqlite as sqlite_dialect
    from sqlmodel import SQLModel

    import citynet.store.models  # noqa: F401  (the tables register with SQLModel.metadata)

    dialect = sqlite_dialect.dialect()
    table = SQLModel.metadata.tables.get(table_name)
    out = []
    for name in columns:
        column = table.c.get(name) if table is not None else None
        out.append(column.type.dialect_impl(dialect).result_processor(dialect, None)
                   if column is not None else None)
    return out


def copy_rows(sqlite_path: Path, url, log=print) -> dict[str, int]:
    """Every table's rows from the SQLite file into the (migrated, empty) PostgreSQL database;
    rows copied per table."""
    import psycopg
    from psycopg import sql

    source = sqlite3.connect(f"file:{sqlite_path}?mode=ro", uri=True)
    counts: dict[str, int] = {}
    try:
        with psycopg.connect(_libpq(url)) as pg:
            pg_tables = {r[0]: [] for r in pg.execute(
                "SELECT table_name FROM information_schema.tables "
                "WHERE table_schema = 'public' AND table_type = 'BASE TABLE'")}
            for table, column in pg.execute(
                    "SELECT table_name, column_name FROM information_schema.columns "
                    "WHERE table_schema = 'public' ORDER BY table_name, ordinal_position"):
                if table in pg_tables:
                    pg_tables[table].append(column)
            tables = [name for (name,) in source.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
                if name in pg_tables and name not in SKIP]
            pg.execute("SET session_replication_role = replica")  # no FK triggers (superuser)
            pg.execute("SET TIME ZONE 'UTC'")
            # Truncated in this transaction, so COPY FREEZE may write the rows frozen (no
            # hint-bit writes or vacuum afterwards; index-only scans see an all-visible map).
            pg.execute(sql.SQL("TRUNCATE {}").format(sql.SQL(", ").join(map(sql.Identifier, tables))))
            # Indexes other than the constraints' are built after the rows are in (one sort each
            # instead of a b-tree insert per row); the keys (primary, unique) stay.
            indexes = pg.execute(
                "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.schemaname = 'public' "
                "AND i.tablename = ANY(%s) AND NOT EXISTS (SELECT 1 FROM pg_constraint c "
                "WHERE c.conindid = (quote_ident(i.schemaname) || '.' || quote_ident(i.indexname))::regclass)",
                (tables,)).fetchall()
            for index, _definition in indexes:
                pg.execute(sql.SQL("DROP INDEX {}").format(sql.Identifier(index)))
            for name in tables:
                t = time.perf_counter()
                have = {r[1] for r in source.execute(f'PRAGMA table_info("{name}")')}
                columns = [c for c in pg_tables[name] if c in have]
                convert = _converters(name, columns)
                typed = [(i, f) for i, f in enumerate(convert) if f is not None]
                statement = sql.SQL("COPY {} ({}) FROM STDIN (FREEZE)").format(
                    sql.Identifier(name), sql.SQL(", ").join(map(sql.Identifier, columns)))
                cursor = source.execute("SELECT {} FROM \"{}\"".format(
                    ", ".join(f'"{c}"' for c in columns), name))
                n = 0
                with pg.cursor() as pc, pc.copy(statement) as copy:
                    while batch := cursor.fetchmany(20_000):
                        if typed:
                            for row in batch:
                                row = list(row)
                                for i, f in typed:
                                    row[i] = f(row[i])
                                copy.write_row(row)
                        else:
                            for row in batch:
                                copy.write_row(row)
                        n += len(batch)
                counts[name] = n
                if n >= 50_000:
                    log(f"  copied {n:,} rows of {name} in {time.perf_counter() - t:.1f} s")
            t = time.perf_counter()
            pg.execute("SET maintenance_work_mem = '256MB'")
            for _index, definition in indexes:
                pg.execute(definition)
            log(f"  built {len(indexes)} indexes in {time.perf_counter() - t:.1f} s")
            for name in tables:
                sequence = pg.execute("SELECT pg_get_serial_sequence(%s, 'id')", (
                    sql.Identifier(name).as_string(pg),)).fetchone()[0] if "id" in pg_tables[name] else None
                if sequence:
                    pg.execute(sql.SQL("SELECT setval(%s, coalesce(max(id), 0) + 1, false) FROM {}")
                               .format(sql.Identifier(name)), (sequence,))
            pg.execute("RESET session_replication_role")
    finally:
        source.close()
    return counts


def ensure(sqlite_path: str | Path, url: str | None = None, *, force: bool = False,
           log=print) -> str:
    """The PostgreSQL database at ``url`` holding the store of ``sqlite_path`` (copied unless it
    holds it already); its URL."""
    import psycopg
    import sqlalchemy as sa
    from psycopg import sql

    from citynet.store.db import open_database

    sqlite_path = Path(str(sqlite_path).removeprefix("sqlite:///"))
    url = url or DEFAULT_URL
    target = sa.engine.make_url(url)
    if target.get_backend_name() != "postgresql" or not target.database:
        raise ValueError(f"not a PostgreSQL database URL: {target.render_as_string()}")
    want = marker(sqlite_path)
    if not force and current_marker(url) == want:
        return url
    t0 = time.perf_counter()
    log(f"copying {sqlite_path.name} into PostgreSQL database {target.database} …")
    _recreate(target)
    engine = open_database(url)  # creates the schema (migrations)
    engine.dispose()
    counts = copy_rows(sqlite_path, target, log)
    with psycopg.connect(_libpq(target), autocommit=True) as pg:
        pg.execute("VACUUM ANALYZE")
        pg.execute(sql.SQL("COMMENT ON DATABASE {} IS {}").format(
            sql.Identifier(target.database), sql.Literal(want)))
    log(f"copied {sum(counts.values()):,} rows in {len(counts)} tables in "
        f"{time.perf_counter() - t0:.1f} s")
    return url


def main(argv=None) -> int:
    import os

    import synthetic

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--pg", default=os.environ.get(ENV_URL, DEFAULT_URL))
    parser.add_argument("--force", action="store_true", help="copy even if the database holds it")
    args = parser.parse_args(argv)
    print(ensure(synthetic.build(args.seed, args.scale), args.pg, force=args.force))
    return 0


if __name__ == "__main__":
    sys.exit(main())
