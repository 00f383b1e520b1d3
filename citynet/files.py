"""Writing output files safely: a temporary name in the same directory, then a rename.

A crash or a kill leaves either the old file or the new one, never half of one.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import IO

from citynet.i18n import _
from citynet.errors import CitynetError

EXPORTS_DIR = Path("exports")


def default_output(filename: str, subdir: str | None = None) -> Path:
    """Where an export goes without ``-o``: under ./exports/ (created when missing)."""
    directory = EXPORTS_DIR / subdir if subdir else EXPORTS_DIR
    return directory / filename


def atomic_write(path: Path | str, data: bytes | IO[bytes], *, create_parent: bool = True) -> Path:
    """Write ``data`` (bytes, or a binary stream copied in chunks so that a large export is
    never held in memory whole) to ``path`` through a temporary file and a rename."""
    path = Path(path)
    directory = path.parent
    if not directory.exists():
        if not create_parent:
            raise CitynetError(_("directory does not exist: {directory}").format(directory=directory))
        try:
            directory.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise CitynetError(_("cannot create directory {directory}: {reason}").format(directory=directory, reason=error.strerror)) from None
    if path.is_dir():
        raise CitynetError(_("is a directory, not a file: {path}").format(path=path))
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    except OSError as error:
        raise CitynetError(_("cannot write in {directory}: {reason}").format(directory=directory, reason=error.strerror)) from None
    try:
        with os.fdopen(handle, "wb") as stream:
            if isinstance(data, (bytes, bytearray)):
                stream.write(data)
            else:
                shutil.copyfileobj(data, stream, 1 << 20)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path
