"""Shared fixtures: real citynet databases on SQLite and PostgreSQL, and a CLI runner.

PostgreSQL tests run when ``CITYNET_TEST_POSTGRES_URL`` names a server, e.g.
``postgresql+psycopg://postgres@127.0.0.1:5432/test``; otherwise they are skipped with a visible
reason. Each PostgreSQL test gets a fresh schema (``citynet_t_<random>``) in that database, made
the connection's only ``search_path`` entry and dropped afterwards, so tests never see each
other's tables (nor anyone else's in ``public``).
"""

from __future__ import annotations

import gc
import os
import secrets
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Callable, Iterator, NamedTuple
from urllib.parse import quote

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine, make_url

from citynet.store.db import open_database

PG_ENV = "CITYNET_TEST_POSTGRES_URL"
PG_SKIP_REASON = f"set {PG_ENV} to run PostgreSQL tests"
REPO_ROOT = Path(__file__).resolve().parents[1]
BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]

# PDF fonts: the static weights made from the packaged variable fonts (about a minute the first
# time) are kept in the real user's cache, shared by every test, not in each test's own home.
if not os.environ.get("CITYNET_FONT_CACHE"):
    from platformdirs import user_cache_dir

    os.environ["CITYNET_FONT_CACHE"] = str(Path(user_cache_dir("citynet")) / "fonts")


# Test databases in memory-backed storage when the machine has it (Linux's /dev/shm): SQLite
# syncs each commit to disk, and on a disk the suite waits on those syncs (loading the demo took
# 2.5-4.3 s there against 1.5-1.9 s in /dev/shm, and a third more CPU). Only where neither
# TMPDIR nor pytest's own PYTEST_DEBUG_TEMPROOT chooses the place; passed tests' directories are
# not kept (tmp_path_retention_policy in pyproject.toml), so a run leaves little in memory.
if not (os.environ.get("TMPDIR") or os.environ.get("PYTEST_DEBUG_TEMPROOT")) \
        and os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK | os.X_OK):
    os.environ["PYTEST_DEBUG_TEMPROOT"] = "/dev/shm"


def pytest_collection_finish(session: pytest.Session) -> None:
    """What collection imported (Textual, ReportLab, SQLAlchemy, the test modules) lives until the
    run ends: moved out of the collector's reach, so that a full collection (the in-process CLI
    runner's, or Python's own as a test allocates) walks only what the tests made since, not every
    module's objects again (about a tenth to half a second each on this suite's heap).
    Collections are rarer too: a Textual test makes and drops tens of thousands of objects per
    screen, and at Python's default (700, 10, 10) it spent a tenth of its CPU collecting them
    (test_tui_behaviour 17.6 -> 15.3 s, test_tui_agenda with a CLI subset 19.7 -> 17.8 s)."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(10_000, 50, 50)


# --- PostgreSQL ---------------------------------------------------------------------------------


def _pg_server_url() -> str | None:
    return os.environ.get(PG_ENV) or None


@pytest.fixture(scope="session")
def pg_admin_engine() -> Iterator[Engine]:
    """An autocommit engine on the test server's database (creates and drops test schemas)."""
    url = _pg_server_url()
    if url is None:
        pytest.skip(PG_SKIP_REASON)
    parsed = make_url(url)
    if parsed.get_backend_name() != "postgresql":
        pytest.fail(f"{PG_ENV} is not a PostgreSQL URL: {url}")
    if parsed.get_driver_name() in ("psycopg2", "default", ""):
        parsed = parsed.set(drivername="postgresql+psycopg")
    engine = sa.create_engine(parsed, isolation_level="AUTOCOMMIT", pool_pre_ping=True)
    try:
        with engine.connect() as connection:
            connection.execute(sa.text("SELECT 1"))
    except sa.exc.OperationalError as error:
        # The variable is set on purpose: an unreachable server is a failure, not a skip.
        pytest.fail(f"{PG_ENV} is set but the server is unreachable: {error.orig}")
    yield engine
    engine.dispose()


@pytest.fixture
def pg_url(pg_admin_engine: Engine) -> Iterator[str]:
    """URL of an empty PostgreSQL schema of its own, dropped after the test."""
    schema = f"citynet_t_{secrets.token_hex(6)}"
    with pg_admin_engine.connect() as connection:
        connection.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    base = pg_admin_engine.url.render_as_string(hide_password=False)
    separator = "&" if "?" in base else "?"
    yield f"{base}{separator}options={quote(f'-csearch_path={schema}', safe='')}"
    with pg_admin_engine.connect() as connection:
        # A connection a test forgot to close would block the drop: fail loudly, do not hang.
        connection.execute(sa.text("SET lock_timeout = '20s'"))
        connection.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test that reaches the PostgreSQL server carries the ``postgres`` mark, so that
    ``-m postgres`` selects exactly the tests that differ when a server URL is set."""
    for item in items:
        if {"pg_url", "pg_admin_engine"} & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.postgres)


# --- SQLite -------------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _own_settings_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test reads or writes the developer's own settings file (the UI remembers its language
    and time display there): each test has one of its own, not yet created."""
    monkeypatch.setenv("CITYNET_CONFIG", str(tmp_path / "settings" / "config.toml"))


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """URL of a SQLite file that does not exist yet (in the test's temporary directory)."""
    return f"sqlite:///{tmp_path / 'citynet.db'}"


# --- either -------------------------------------------------------------------------------------


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def database_url(backend: str, request: pytest.FixtureRequest) -> str:
    """URL of an empty database (no tables) on the parametrised backend."""
    if backend == "postgres":
        return request.getfixturevalue("pg_url")
    return request.getfixturevalue("sqlite_url")


@pytest.fixture(scope="session")
def migrated_sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file migrated once per run; tests get copies (migrating each time is slower)."""
    path = tmp_path_factory.mktemp("template") / "citynet.db"
    engine = open_database(f"sqlite:///{path}")
    engine.dispose()  # closing the last connection checkpoints the WAL into the file
    for suffix in ("-wal", "-shm"):
        assert not Path(f"{path}{suffix}").exists(), "template still has a WAL"
    return path


def _migrated_sqlite(template: Path, url: str) -> Engine:
    shutil.copyfile(template, make_url(url).database)
    return open_database(url)  # checks the copy is a current citynet database


@pytest.fixture
def engine(backend: str, request: pytest.FixtureRequest) -> Iterator[Engine]:
    """A migrated, empty citynet database on SQLite and on PostgreSQL."""
    if backend == "postgres":
        engine = open_database(request.getfixturevalue("pg_url"))
    else:
        engine = _migrated_sqlite(request.getfixturevalue("migrated_sqlite_template"),
                                  request.getfixturevalue("sqlite_url"))
    yield engine
    engine.dispose()


@pytest.fixture
def sqlite_engine(migrated_sqlite_template: Path, sqlite_url: str) -> Iterator[Engine]:
    """A migrated, empty citynet database on a SQLite file."""
    engine = _migrated_sqlite(migrated_sqlite_template, sqlite_url)
    yield engine
    engine.dispose()


@pytest.fixture
def open_db() -> Iterator[Callable[..., Engine]]:
    """``open_database`` whose engines are disposed after the test (PostgreSQL schemas can drop)."""
    engines: list[Engine] = []

    def opener(*args, **kwargs) -> Engine:
        engine = open_database(*args, **kwargs)
        engines.append(engine)
        return engine

    yield opener
    for engine in engines:
        engine.dispose()


# --- the command line ---------------------------------------------------------------------------


class CliResult(NamedTuple):
    code: int
    stdout: str
    stderr: str


class CliRunner:
    """Runs ``citynet ARGS`` against a database of the test's own.

    ``CITYNET_DATABASE_URL`` points at a SQLite file in the test's temporary directory (not yet
    created) and the user data/config directories are redirected there too, so no test touches
    the real user's store. Pass ``env={...}`` to add or override variables (a value of ``None``
    removes one).

    By default the command runs in this process (``citynet.cli.main`` with that environment, the
    working directory and standard streams of its own: a pipe, not a terminal), which spares each
    call the 1–2 s of a new interpreter importing SQLAlchemy. ``process=True`` runs
    ``python -m citynet`` in a subprocess, for what only a real process shows (its exit status
    from ``sys.exit``, a terminal on standard output, the interpreter's start-up).
    """

    def __init__(self, tmp_path: Path, demo_template: Callable[[], Path]) -> None:
        self.tmp_path = tmp_path
        self._demo_template = demo_template
        self.db_url = f"sqlite:///{tmp_path / 'cli.db'}"
        home = tmp_path / "home"
        home.mkdir(exist_ok=True)
        env = dict(os.environ)
        env.pop(PG_ENV, None)
        pythonpath = env.get("PYTHONPATH")
        env.update({
            "CITYNET_DATABASE_URL": self.db_url,
            "HOME": str(home),
            "XDG_DATA_HOME": str(home / ".local" / "share"),
            "XDG_CONFIG_HOME": str(home / ".config"),
            "XDG_CACHE_HOME": str(home / ".cache"),
            "PYTHONPATH": f"{REPO_ROOT}{os.pathsep}{pythonpath}" if pythonpath else str(REPO_ROOT),
            "PYTHONIOENCODING": "utf-8",
            "NO_COLOR": "1",
            "COLUMNS": "100",
        })
        self.env = env

    def load_demo(self) -> None:
        """The demo data in this runner's database, as ``citynet demo`` leaves it (a copy of one
        loaded per test run: the demo command itself is tested on its own)."""
        shutil.copyfile(self._demo_template(), self.tmp_path / "cli.db")

    def __call__(self, *args: str, input: str | None = None, env: dict[str, str | None] | None = None,
                 cwd: Path | None = None, timeout: float = 120, process: bool = False) -> CliResult:
        run_env = dict(self.env)
        for key, value in (env or {}).items():
            if value is None:
                run_env.pop(key, None)
            else:
                run_env[key] = value
        argv = [str(arg) for arg in args]
        if not process:
            return _run_in_process(argv, input, run_env, cwd or self.tmp_path)
        completed = subprocess.run(
            [sys.executable, "-m", "citynet", *argv],
            input=input, capture_output=True, text=True, encoding="utf-8",
            env=run_env, cwd=cwd or self.tmp_path, timeout=timeout,
        )
        return CliResult(completed.returncode, completed.stdout, completed.stderr)


def _run_in_process(argv: list[str], input: str | None, env: dict[str, str], cwd: Path) -> CliResult:
    """``citynet.cli.main(argv)`` as a fresh process would run it: its own environment, working
    directory and streams; the state a process would not carry over is put back afterwards."""
    import io

    from citynet import cli as cli_module
    from citynet import files
    from citynet.i18n import get_language, set_language

    saved_env, saved_cwd, saved_lang = dict(os.environ), os.getcwd(), get_language()
    saved_streams = sys.stdin, sys.stdout, sys.stderr
    out = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", newline="")
    err = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", newline="")
    try:
        os.environ.clear()
        os.environ.update(env)
        os.chdir(cwd)
        sys.stdin = io.TextIOWrapper(io.BytesIO((input or "").encode("utf-8")), encoding="utf-8")
        sys.stdout, sys.stderr = out, err
        try:
            code = cli_module.main(argv)
        except SystemExit as exit_:  # argparse's usage errors
            code = exit_.code if isinstance(exit_.code, int) else (0 if exit_.code is None else 1)
        out.flush()
        err.flush()
    finally:
        sys.stdin, sys.stdout, sys.stderr = saved_streams
        os.chdir(saved_cwd)
        os.environ.clear()
        os.environ.update(saved_env)
        set_language(saved_lang)
        files._protected.clear()
        cli_module._SECRET_URLS.clear()
        gc.collect()  # engines the command left to the collector close their files now
    decode = lambda stream: stream.buffer.getvalue().decode("utf-8", "replace")  # noqa: E731
    return CliResult(code, decode(out), decode(err))


@pytest.fixture(scope="session")
def demo_sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file holding the demo, loaded once per run; tests take copies."""
    from citynet.demo.loader import load_demo

    path = tmp_path_factory.mktemp("demo") / "demo.db"
    engine = open_database(f"sqlite:///{path}")
    load_demo(engine)
    engine.dispose()  # closing the last connection checkpoints the WAL into the file
    return path


@pytest.fixture(scope="module")
def demo_store(demo_sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """A copy of the demo store shared by one test module that only reads it (documents rendered
    from the demo, say)."""
    path = tmp_path_factory.mktemp("demo-store") / "demo.db"
    shutil.copyfile(demo_sqlite_template, path)
    engine = open_database(f"sqlite:///{path}")
    yield engine
    engine.dispose()


@pytest.fixture
def cli(tmp_path: Path, request: pytest.FixtureRequest) -> CliRunner:
    """``cli("stats", "--event", "cop29")`` -> ``(code, stdout, stderr)`` of that citynet command."""
    return CliRunner(tmp_path, lambda: request.getfixturevalue("demo_sqlite_template"))


@pytest.fixture(scope="session")
def bench_run():
    """``bench/run.py`` as a module (the benchmark's floors), for the tests that hold each floor's
    output to citynet's."""
    bench = str(Path(__file__).resolve().parents[1] / "bench")
    sys.path.insert(0, bench)
    try:
        import run

        yield run
    finally:
        sys.path.remove(bench)
