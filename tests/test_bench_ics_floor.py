"""The ICS export's floor (bench/ics_floor.py) does the work citynet does: on the demo store, its
calendar and citynet's, both read back with icalendar's parser, hold the same VEVENTs (every
property, with its parameters) and the same VTIMEZONE TZIDs; the hand-formatted physical limit
(``--plain``) writes the same entries too."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import icalendar
import pytest

from citynet.render.ics import export_ics

ROOT = Path(__file__).resolve().parents[1]


def _floor():
    spec = importlib.util.spec_from_file_location("ics_floor", ROOT / "bench" / "ics_floor.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _entries(body: bytes) -> dict[str, dict]:
    """Each VEVENT by UID: every property as its value and parameters as the parser reads them
    (instants compared as instants, with the TZID they name)."""
    cal = icalendar.Calendar.from_ical(body)
    out = {}
    for event in cal.walk("VEVENT"):
        props = {}
        for name, value in event.property_items(recursive=False):
            if name in ("BEGIN", "END"):
                continue
            parsed = event[name]
            params = dict(parsed.params)
            if hasattr(parsed, "dt"):
                props[name] = (parsed.dt, params)
            else:
                props[name] = (str(parsed), params)
        out[str(event["UID"])] = props
    return out


def _zones(body: bytes) -> list[str]:
    return [str(tz["TZID"]) for tz in icalendar.Calendar.from_ical(body).walk("VTIMEZONE")]


@pytest.mark.parametrize("lang,audience", [("both", "internal"), ("ja", "public"), ("en", "internal")])
@pytest.mark.parametrize("plain", [False, True])
def test_floor_builds_the_same_entries(demo_store, tmp_path, lang, audience, plain):
    url = demo_store.url.render_as_string(hide_password=False)
    ours = export_ics(demo_store, "all", None, lang, audience, output=tmp_path / "citynet.ics").read_bytes()
    floor_path = tmp_path / "floor.ics"
    count = _floor().build(url, str(floor_path), lang, audience, plain=plain)
    floor = floor_path.read_bytes()
    mine, theirs = _entries(ours), _entries(floor)
    assert count == len(theirs) == len(mine) > 3
    assert mine.keys() == theirs.keys()
    for uid, props in mine.items():
        assert props == theirs[uid], uid
    # Descriptions really are there (the demo has participants with titles, venues, home times).
    assert any("DESCRIPTION" in p and "\n" in p["DESCRIPTION"][0] for p in mine.values())
    assert _zones(ours) == _zones(floor)
    head = icalendar.Calendar.from_ical(floor)
    assert str(head["NAME"]) == str(icalendar.Calendar.from_ical(ours)["NAME"])
    if plain:  # the physical limit writes the very bytes of citynet's entries
        assert floor[floor.index(b"BEGIN:VEVENT"):] == ours[ours.index(b"BEGIN:VEVENT"):]
