"""The feeds after one session changed (issue 17, part 5)."""

from __future__ import annotations

import os
import statistics
from pathlib import Path

from common import BENCH, NOTES, child, failed, loadavg, record

# --- 6b. feeds following the store: the incremental build -----------------------------------------

# In one interpreter: catch the feed directory up with the store (from scratch the first time),
# then per run move one public session 30 minutes through the write path and time the
# incremental build; right after, the floor: what any correct build must at least do — notice
# the change (SELECT max(id) FROM change), render the changed event's calendar whole (both
# audiences, citynet's exporter) and write the bytes of every file the build rewrote (each
# through a temporary file, fsync and rename, as atomic_write does). The bytes to write are read
# before the floor's clock starts.
FEEDS_INC_CHILD = r"""
import json, os, statistics, sys, time
from datetime import timedelta
from pathlib import Path
import sqlalchemy as sa
from citynet.store.db import open_database
from citynet.feeds.build import update_feeds
from citynet.render.ics import render_calendar
from citynet.services import records
from citynet.services.calendar import calendar_stream

url, feeds, runs = sys.argv[1], Path(sys.argv[2]), int(sys.argv[3])
engine = open_database(url)
build = lambda: update_feeds(engine, feeds, base_url="https://feeds.example.org",
                             tokens_file=feeds.parent / "feed-tokens.json")
t = time.perf_counter()
first = build()
catch_up = {"seconds": time.perf_counter() - t, "full": first.full, "events": first.rendered_events}

def mtimes():
    return {p: p.stat().st_mtime_ns for a in ("public", "internal") for p in (feeds / a).glob("*.ics")}

with engine.connect() as c:
    newest = c.execute(sa.text("SELECT max(id) FROM change")).scalar() or 0
    candidates = c.execute(sa.text(
        "SELECT s.id, e.slug FROM session s JOIN event e ON e.id = s.event_id "
        "WHERE s.visibility = 'public' AND e.visibility = 'public' AND s.starts_at IS NOT NULL "
        "AND s.status <> 'cancelled' ORDER BY s.id")).all()
picked = [candidates[(newest * 7919 + n * 104729) % len(candidates)] for n in range(runs)]
out = []
for session_id, event_slug in picked:
    before = mtimes()
    values = records.get_values(engine, "session", session_id)
    start, end = values["starts_at"], values["ends_at"]
    moved = {"starts_at": (start + timedelta(minutes=30)).isoformat()}
    if end is not None:
        moved["ends_at"] = (end + timedelta(minutes=30)).isoformat()
    records.update_record(engine, "session", session_id, values["revision"], moved, origin="cli")
    t, cpu = time.perf_counter(), time.process_time()
    report = build()
    seconds, cpu = time.perf_counter() - t, time.process_time() - cpu
    after = mtimes()
    changed = {p for p in after if before.get(p) != after[p]}
    rewritten = set(report.rewritten)
    bodies = [(p, p.read_bytes()) for p in sorted(rewritten)]
    # the floor
    t = time.perf_counter()
    with engine.connect() as c:
        c.execute(sa.text("SELECT max(id) FROM change")).scalar()
    rendered = {a: render_calendar(calendar_stream(engine, "event", event_slug, a), "both")
                for a in ("public", "internal")}
    for p, body in bodies:
        tmp = p.with_name(f".floor-{p.name}.tmp")
        with open(tmp, "wb") as f:
            f.write(body)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, p.with_name(f".floor-{p.name}"))
    floor = time.perf_counter() - t
    for p, _ in bodies:
        p.with_name(f".floor-{p.name}").unlink()
    same = all((feeds / a / f"event-{event_slug}.ics").read_bytes() == rendered[a] for a in ("public", "internal"))
    out.append({"seconds": seconds, "cpu": cpu, "floor": floor, "full": report.full, "events": report.rendered_events,
                "rewritten": sorted(p.parent.name + "/" + p.name for p in rewritten),
                "bytes": sum(len(b) for _, b in bodies), "files": len(after),
                "kept": len(after) - len(changed), "changed_is_rewritten": changed == rewritten,
                "event_feed_as_exported": same})
print(json.dumps({"catch_up": catch_up, "runs": out}))
"""


def bench_feeds_incremental(large: str, runs: int = 5) -> None:
    """The feeds after one session changed in the large store (issue 17, part 5): ≤ 2 s."""
    import shutil

    name = "feeds: rebuild after one session changed, 100k store"
    try:
        # The store this measurement changes, and its feed directory, kept beside the dataset:
        # the first run builds the feeds from scratch (minutes), later ones only catch up.
        source = Path(large.removeprefix("sqlite:///"))
        home = BENCH / ".cache" / f"feeds-incremental-{source.stem}"
        store = home / "store.db"
        if not store.exists():
            home.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, home / "store.tmp")
            os.replace(home / "store.tmp", store)
        result = child(FEEDS_INC_CHILD, f"sqlite:///{store}", str(home / "feeds"), str(runs), timeout=7200)
        measured = result["runs"]
        seconds = [r["seconds"] for r in measured]
        floors = [r["floor"] for r in measured]
        value, floor = statistics.median(seconds), statistics.median(floors)
        ratios = [s / f for s, f in zip(seconds, floors)]  # each build against the floor run right after it
        kept_ok = all(r["changed_is_rewritten"] and r["event_feed_as_exported"] and not r["full"]
                      for r in measured)
        rewritten = sorted({len(r["rewritten"]) for r in measured})
        catch_up = result["catch_up"]
        note = (f"{len(measured)} runs, {min(seconds):.2f}–{max(seconds):.2f} s (floor "
                f"{min(floors):.2f}–{max(floors):.2f} s; per-pair ratio {min(ratios):.2f}–{max(ratios):.2f}); "
                f"CPU {statistics.median(r['cpu'] for r in measured):.2f} s per build (median); "
                f"load {loadavg()}; {'/'.join(map(str, rewritten))} of "
                f"{measured[0]['files']:,} feed files rewritten per run "
                f"({max(r['bytes'] for r in measured) / 1e6:.0f} MB: both 'all' feeds, the event's, its "
                f"cities' and networks'); every other file kept its bytes, mtime and ETag: "
                f"{'yes' if kept_ok else 'NO'}; catching up first: {catch_up['seconds']:.0f} s"
                f"{' (from scratch)' if catch_up['full'] else ''}")
        record(name, value, "s", floor, "≤ 2 s", value <= 2 and kept_ok, note, ratio=statistics.median(ratios))
        if not kept_ok:
            NOTES.append(f"{name}: a file changed that the build did not rewrite, or an event feed "
                         f"differs from the exporter's: {measured}")
    except Exception as error:
        failed(name, error)
