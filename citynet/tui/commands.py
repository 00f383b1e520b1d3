"""The command palette: translated navigation and actions, and record search while typing.

It replaces Textual's system commands (English only); the useful ones are re-added here.
"""

from __future__ import annotations

import asyncio
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from citynet.i18n import N_, _, get_language

COMMANDS = [
    (N_("Go to dashboard"), "go('dashboard')"), (N_("Go to cities"), "go('city')"),
    (N_("Go to networks"), "go('network')"), (N_("Go to organisations"), "go('organisation')"),
    (N_("Go to people"), "go('person')"), (N_("Go to events"), "go('event')"),
    (N_("Go to sessions"), "go('session')"), (N_("Open the agenda"), "go('agenda')"),
    (N_("Search records"), "search"),
    (N_("Switch language (日本語/English)"), "toggle_language"),
    (N_("Switch time display (home/local)"), "toggle_time"),
    (N_("Quit"), "quit"),
]


class CitynetCommands(Provider):
    async def discover(self) -> Hits:
        for title, action in COMMANDS:
            yield DiscoveryHit(_(title), partial(self.app.run_action, action))

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, action in COMMANDS:
            score = matcher.match(_(title))
            if score > 0:
                yield Hit(score, matcher.highlight(_(title)), partial(self.app.run_action, action))
        if len(query.strip()) < 1 or self.app.engine is None:
            return
        from citynet.presenters.search import hit_detail, hit_name, kind_name
        from citynet.services.hits import search

        results = await asyncio.to_thread(search, self.app.engine, query, limit=10)
        lang = get_language()
        for h in results.hits:
            detail = hit_detail(h, lang)
            text = f"{kind_name(h.kind)}: {hit_name(h, lang)}" + (f" ({detail})" if detail else "")
            yield Hit(0.5, text, partial(self.app.open_record, h.kind, h.slug), text=text)


def translated_palette():
    """Textual's command palette with its own words in the UI language (its placeholder and its
    "No matches found" are English literals in Textual 8)."""
    from rich.align import Align
    from rich.text import Text
    from textual.command import CommandList, CommandPalette
    from textual.widgets.option_list import Option

    class Palette(CommandPalette):
        def _start_no_matches_countdown(self, search_value: str) -> None:
            # Textual's own method, with the message translated.
            self._stop_no_matches_countdown()

            def show_no_matches() -> None:
                if search_value:
                    self.query_one(CommandList).add_option(Option(
                        Align.center(Text(_("No matches found"), style="not bold")),
                        disabled=True, id=self._NO_MATCHES))
                    self._list_visible = True
                else:
                    self._list_visible = False

            self._no_matches_timer = self.set_timer(self._NO_MATCHES_COUNTDOWN, show_no_matches)

    return Palette(id="--command-palette", placeholder=_("Search for commands…"))
