"""The ICS export against icalendar (issue 17, part 4)."""

from __future__ import annotations

from pathlib import Path

from common import HWM, child, failed, record

# --- 4. ICS export ----------------------------------------------------------------------------------

ICS_CHILD = HWM + r"""
import json, sys, time
from citynet.store.db import open_database
from citynet.render.ics import export_ics
engine = open_database(sys.argv[1])
base = hwm_mb()
t = time.perf_counter()
path = export_ics(engine, "all", None, "both", "internal", output=sys.argv[2])
took = time.perf_counter() - t
body = open(path, "rb").read()
print(json.dumps({"seconds": took, "vevents": body.count(b"BEGIN:VEVENT"), "bytes": len(body), "base_mb": base,
                  "rss_mb": hwm_mb()}))
"""

# The floor: icalendar building the same VEVENTs (same UIDs, stamps, times, texts, parameters)
# from tuples already in memory, and serialising the calendar. Its input is read from the
# citynet file, so both produce the same entries.
ICS_FLOOR = HWM + r"""
import json, sys, time
from icalendar import Calendar, Event
cal = Calendar.from_ical(open(sys.argv[1], "rb").read())
tuples = [(e["UID"], e["DTSTAMP"].dt, e["SEQUENCE"], e["DTSTART"].dt, e["DTEND"].dt if "DTEND" in e else None,
           str(e["SUMMARY"]), str(e.get("DESCRIPTION", "")), str(e.get("LOCATION", "")), str(e["STATUS"]),
           str(e["CLASS"])) for e in cal.walk("VEVENT")]
zones = [c for c in cal.walk("VTIMEZONE")]
del cal
t = time.perf_counter()
out = Calendar.new(prodid="-//bench//floor//EN")
for z in zones:
    out.add_component(z)
for uid, stamp, seq, start, end, summary, desc, loc, status, klass in tuples:
    item = Event.new(uid=uid, stamp=stamp, last_modified=stamp, sequence=seq, start=start, end=end,
                     summary=summary, description=desc or None, location=loc or None, status=status)
    item.add("CLASS", klass)
    for name in ("SUMMARY", "DESCRIPTION", "LOCATION"):
        if name in item:
            item[name].params["LANGUAGE"] = "ja"
    out.add_component(item)
body = out.to_ical()
took = time.perf_counter() - t
print(json.dumps({"seconds": took, "vevents": body.count(b"BEGIN:VEVENT"), "rss_mb": hwm_mb()}))
"""


def bench_ics(small: str, large: str, tmp: Path) -> None:
    try:
        runs = {}
        for label, url in (("small", small), ("large", large)):
            out = tmp / f"all-{label}.ics"
            runs[label] = child(ICS_CHILD, url, str(out), timeout=900)
            runs[label]["floor"] = child(ICS_FLOOR, str(out), timeout=900)
        s, l = runs["small"], runs["large"]
        record(f"ICS export, all internal, {l['vevents']:,} VEVENTs", l["seconds"], "s",
               l["floor"]["seconds"], "≤ 1.5×", l["seconds"] / l["floor"]["seconds"] <= 1.5,
               f"{l['bytes'] / 1e6:.0f} MB written")
        record(f"ICS export, all internal, {s['vevents']:,} VEVENTs", s["seconds"], "s",
               s["floor"]["seconds"], "≤ 1.5×", s["seconds"] / s["floor"]["seconds"] <= 1.5)
        grow_s, grow_l = s["rss_mb"] - s["base_mb"], l["rss_mb"] - l["base_mb"]
        record(f"ICS export memory above start, {l['vevents']:,} VEVENTs", grow_l, "MB", grow_s,
               "not growing", grow_l <= 2 * max(grow_s, 20),
               f"peak RSS {l['rss_mb']:.0f} MB (start {l['base_mb']:.0f}); {s['rss_mb']:.0f} MB at "
               f"{s['vevents']:,}; floor (one in-memory Calendar) {l['floor']['rss_mb']:.0f} MB")
    except Exception as error:
        failed("ICS export", error)
