"""Secret per-feed tokens for the internal feeds (bearer secrets in the URL).

Anyone who has a feed's URL can read the feed, so its token is unguessable and rotatable.
The tokens live in a JSON file *outside* the feed directory (``{"feed name": "token", ...}``),
written atomically with mode 0600. A feed without a token gets one when the feeds are built;
:func:`rotate_token` replaces one (the old URL then answers 404). The server rereads the file
on each request, so a rotation needs no restart. ``CITYNET_FEED_TOKENS`` names another file.
"""

from __future__ import annotations

import hmac
import json
import os
import secrets
from pathlib import Path

from citynet.i18n import _
from citynet.errors import CitynetError
from citynet.files import atomic_write

ENV_TOKENS = "CITYNET_FEED_TOKENS"
INDEX = "index"  # the token of the internal index page
TOKEN_BYTES = 32


def default_tokens_file(directory: Path) -> Path:
    """Beside the feed directory, never inside it (so it can never be served)."""
    if os.environ.get(ENV_TOKENS):
        return Path(os.environ[ENV_TOKENS])
    return Path(directory).resolve().parent / "feed-tokens.json"


def load_tokens(path: Path) -> dict[str, str]:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as error:
        raise CitynetError(_("cannot read feed tokens {path}: {reason}").format(path=path, reason=error)) from None
    if not isinstance(data, dict) or not all(isinstance(k, str) and isinstance(v, str)
                                             for k, v in data.items()):
        raise CitynetError(_("feed tokens file {path} is not a JSON object of strings").format(path=path))
    return data


def _save(path: Path, tokens: dict[str, str]) -> None:
    atomic_write(path, (json.dumps(tokens, indent=2, sort_keys=True) + "\n").encode(), private=True)


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def ensure_tokens(path: Path, names) -> dict[str, str]:
    """The tokens of ``names``, creating the missing ones (existing tokens are kept)."""
    tokens = load_tokens(path)
    missing = [n for n in names if n not in tokens]
    if missing:
        tokens.update({name: new_token() for name in missing})
        _save(path, tokens)
    return tokens


def rotate_token(path: Path, name: str) -> str:
    """Give feed ``name`` a new token (``"index"`` for the internal index page); return it."""
    tokens = load_tokens(path)
    if name not in tokens:
        raise CitynetError(_("no internal feed named {name!r}; run citynet feeds build first").format(name=name))
    tokens[name] = new_token()
    _save(path, tokens)
    return tokens[name]


def token_matches(tokens: dict[str, str], name: str, given: str) -> bool:
    expected = tokens.get(name)
    return expected is not None and hmac.compare_digest(expected.encode(), given.encode())
