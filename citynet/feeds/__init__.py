"""Shared calendar feeds: building the feed directory and serving it (a thin layer over render/ics)."""

from __future__ import annotations

from citynet.feeds.build import build_feeds, default_directory, feed_specs
from citynet.feeds.server import FeedApp, create_server, make_app, serve
from citynet.feeds.tokens import default_tokens_file, rotate_token

__all__ = ["build_feeds", "serve", "create_server", "make_app", "FeedApp", "rotate_token",
           "default_tokens_file", "default_directory", "feed_specs"]
