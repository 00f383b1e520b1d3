"""Where an export may be written, and writing it safely.

This is the one rule for every output (JSON, CSV, XLSX, PDF, ICS, backups, the feed directory),
checked by :func:`check_output` (and :func:`check_output_directory` for the feeds) and applied by
:func:`atomic_write`:

* ``-`` is standard output. What is not text (a PDF, an XLSX workbook) is refused when standard
  output is a terminal; to a pipe or a file it is written as it is.
* The live database is never a target: not its file, nor its ``-wal``, ``-shm`` or ``-journal``
  file, compared as the same file after links are resolved (a symbolic or a hard link to it is
  refused too). The command line names it with :func:`protect`.
* An existing directory is refused. An existing character device or FIFO (``/dev/null``, a
  terminal, a named pipe, ``/dev/stdout``) is written through — it is never replaced by a regular
  file — except where the writer can only replace a file (``stream_ok=False``: a backup), where it
  is refused; any other file that is not a regular one (a socket, a block device) is refused. A
  target that is this process's standard output (``/dev/stdout`` redirected to a file) is written
  as standard output.
* A regular file is written under a temporary name in the same directory, then renamed: a crash
  or a kill leaves either the old file or the new one, never half of one. Through a symbolic link,
  the file it points to is replaced and the link stays.
* A missing directory is created only for the default place (``./exports/``); a directory the
  user named must exist.
* A new file gets the mode the user's umask gives (``-rw-r--r--`` with the usual 022), so that a
  briefing can be shared as any document; one that holds personal data (contact and participant
  lists, a JSON dump, feed tokens: ``private=True``) is ``-rw-------``, even when it replaces a
  file. Any other file replaced keeps the mode it had.
"""

from __future__ import annotations

import codecs
import os
import shutil
import stat
import sys
import tempfile
from pathlib import Path
from typing import IO

from citynet.errors import N_, CitynetError

EXPORTS_DIR = Path("exports")
STDOUT = "-"
# Beside a SQLite database: its write-ahead log, shared memory and rollback journal.
_DATABASE_COMPANIONS = ("", "-wal", "-shm", "-journal")
_SNIFF = 8192

_protected: set[Path] = set()


def default_output(filename: str, subdir: str | None = None) -> Path:
    """Where an export goes without ``-o``: under ./exports/ (created when missing)."""
    directory = EXPORTS_DIR / subdir if subdir else EXPORTS_DIR
    return directory / filename


def protect(database: Path | str) -> None:
    """Never write over the file ``database`` (the live SQLite store) nor its companions."""
    for suffix in _DATABASE_COMPANIONS:
        _protected.add(Path(f"{database}{suffix}"))


def is_stdout(path: Path | str | None) -> bool:
    """``-``, or a path naming this process's standard output (e.g. ``/dev/stdout``)."""
    if path is None:
        return False
    if str(path) == STDOUT:
        return True
    try:
        target, out = os.stat(path), os.fstat(sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        return False
    return (target.st_dev, target.st_ino) == (out.st_dev, out.st_ino)


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        pass
    try:
        return a.resolve() == b.resolve()
    except (OSError, RuntimeError):
        return False


def _refuse_live_database(path: Path) -> None:
    for protected in _protected:
        if _same_file(path, protected):
            raise CitynetError(N_("refused: {path} is the database in use"), path=path)


def _mode(path: Path) -> int | None:
    """The mode of what ``path`` names (links followed), None when nothing is there."""
    try:
        return os.stat(path).st_mode
    except FileNotFoundError:
        return None
    except OSError as error:
        raise CitynetError(N_("cannot write {path}: {reason}"), path=path,
                           reason=error.strerror or str(error)) from None


def _stdout_is_terminal() -> bool:
    try:
        return sys.stdout.isatty()
    except (AttributeError, ValueError):
        return False


def _refuse_terminal(path: Path | str) -> None:
    if str(path) == STDOUT:
        raise CitynetError(N_("refused: this output is not text and standard output is a "
                              "terminal; redirect it to a file or a pipe"))
    raise CitynetError(N_("refused: this output is not text and {path} is a terminal; "
                          "name a file"), path=path)


def check_output(path: Path | str, *, create_parent: bool = False, binary: bool = False,
                 stream_ok: bool = True) -> None:
    """Refuse (CitynetError) a target the module doc's rule forbids; nothing is written.

    ``binary``: the data is not text (refused on a terminal). ``stream_ok``: an existing
    character device or FIFO may be written through (False: refused, for a writer that can only
    replace a whole file)."""
    if is_stdout(path):  # - or, e.g., /dev/stdout (when redirected to a file: not replaced)
        if not stream_ok:
            raise CitynetError(N_("refused: this output cannot go to standard output (-); "
                                  "name a file"))
        if binary and _stdout_is_terminal():
            _refuse_terminal(path)
        if str(path) == STDOUT:
            return
    path = Path(path)
    _refuse_live_database(path)
    _check_parent(path.parent, create_parent)
    mode = _mode(path)
    if mode is None or stat.S_ISREG(mode):
        return
    if stat.S_ISDIR(mode):
        raise CitynetError(N_("is a directory, not a file: {path}"), path=path)
    if (stat.S_ISCHR(mode) or stat.S_ISFIFO(mode)) and stream_ok:
        return
    raise CitynetError(N_("refused: {path} is not a regular file"), path=path)


def check_output_directory(directory: Path | str, *, create_parent: bool = False) -> None:
    """Refuse a directory to write many files into (the feeds): ``-``, something that is not a
    directory (the live database included), or one whose parent is missing (unless
    ``create_parent``; the directory itself is created when missing)."""
    if str(directory) == STDOUT:
        raise CitynetError(N_("refused: a directory is needed here, not standard output (-)"))
    directory = Path(directory)
    _refuse_live_database(directory)
    mode = _mode(directory)
    if mode is not None:
        if not stat.S_ISDIR(mode):
            raise CitynetError(N_("not a directory: {directory}"), directory=directory)
        return
    _check_parent(directory.parent, create_parent)


def _check_parent(directory: Path, create_parent: bool) -> None:
    """The directory an output goes into: it must exist (or be allowed to be created)."""
    if not directory.exists():
        if not create_parent:
            raise CitynetError(N_("directory does not exist: {directory}"), directory=directory)
    elif not directory.is_dir():
        raise CitynetError(N_("not a directory: {directory}"), directory=directory)


def _looks_binary(data: bytes | bytearray | IO[bytes]) -> bool:
    """Not text: a NUL byte or something that is not UTF-8 in the first bytes."""
    if isinstance(data, (bytes, bytearray)):
        sample = bytes(data[:_SNIFF])
    else:
        try:
            position = data.tell()
            sample = data.read(_SNIFF)
            data.seek(position)
        except (AttributeError, OSError, ValueError):
            return False
    if b"\0" in sample:
        return True
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
    except UnicodeDecodeError:
        return True
    return False


def _copy(data: bytes | bytearray | IO[bytes], stream: IO[bytes]) -> None:
    if isinstance(data, (bytes, bytearray)):
        stream.write(data)
    else:
        shutil.copyfileobj(data, stream, 1 << 20)
    stream.flush()


def _write_stdout(data: bytes | bytearray | IO[bytes]) -> None:
    sys.stdout.flush()
    _copy(data, sys.stdout.buffer)


def _write_through(path: Path, data: bytes | bytearray | IO[bytes], binary: bool) -> None:
    """Write into an existing character device or FIFO: opened as it is, never created."""
    try:
        handle = os.open(path, os.O_WRONLY | os.O_NOCTTY | getattr(os, "O_CLOEXEC", 0))
    except OSError as error:
        raise CitynetError(N_("cannot write {path}: {reason}"), path=path,
                           reason=error.strerror or str(error)) from None
    with os.fdopen(handle, "wb") as stream:
        mode = os.fstat(stream.fileno()).st_mode
        if not (stat.S_ISCHR(mode) or stat.S_ISFIFO(mode)):  # swapped since it was checked
            raise CitynetError(N_("refused: {path} is not a regular file"), path=path)
        if binary and stream.isatty():
            _refuse_terminal(path)
        _copy(data, stream)


def _umask() -> int:
    """This process's umask, read without changing it (other threads may be creating files)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)  # no /proc: the classic read, setting it back at once
    os.umask(mask)
    return mask


def atomic_write(path: Path | str, data: bytes | IO[bytes], *, create_parent: bool = True,
                 binary: bool | None = None, private: bool = False, sync: bool = True) -> Path:
    """Write ``data`` (bytes, or a binary stream copied in chunks so that a large export is
    never held in memory whole) to ``path`` by the module doc's rule: ``-`` is standard output, a
    device or a FIFO is written through, a regular file is replaced through a temporary file and
    a rename. ``binary`` (None: seen from the first bytes) says the data is not text;
    ``private``: the file holds personal data (readable by its owner only); ``sync=False``: the
    file is not flushed to disk before the rename (a caller writing thousands makes them durable
    at once, before it records them: ``feeds build``)."""
    if binary is None:
        binary = _looks_binary(data)
    check_output(path, create_parent=create_parent, binary=binary)
    if is_stdout(path):
        _write_stdout(data)
        return Path(path)
    path = Path(path)
    mode = _mode(path)
    if mode is not None and not stat.S_ISREG(mode):
        _write_through(path, data, binary)
        return path.absolute()
    # A link to a file: the file it points to is replaced, the link stays a link.
    target = Path(os.path.realpath(path)) if mode is not None and path.is_symlink() else path
    directory = target.parent
    if not directory.exists():
        try:
            directory.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise CitynetError(N_("cannot create directory {directory}: {reason}"),
                               directory=directory, reason=error.strerror) from None
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
    except OSError as error:
        raise CitynetError(N_("cannot write in {directory}: {reason}"), directory=directory,
                           reason=error.strerror) from None
    if private:
        new_mode = 0o600
    elif mode is not None:  # a file replaced keeps its mode
        new_mode = stat.S_IMODE(os.stat(target).st_mode)
    else:
        new_mode = 0o666 & ~_umask()
    try:
        with os.fdopen(handle, "wb") as stream:
            os.fchmod(stream.fileno(), new_mode)  # mkstemp made it -rw-------
            _copy(data, stream)
            if sync:
                os.fsync(stream.fileno())
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path.absolute()  # what the user is told: a path that works from any directory
