"""The ICS export against its fair floor (issue 17, parts 1 and 4).

``citynet export ics --all --audience internal --lang both`` as a whole process, against the
floor of ``bench/ics_floor.py`` as a whole process (the same rows read with the DB-API driver,
the same VEVENTs built with icalendar, VTIMEZONEs by icalendar from zoneinfo, written to a file;
tests/test_bench_ics_floor.py checks that it writes the same entries), and against the physical
limit (the same text by plain string formatting, ``--plain``). The three run in turn, pair after
pair, so each sees the same load; the figure is the median of the per-pair ratios, with their
range. Memory: VmHWM at the end above VmHWM once the libraries are loaded and the store is open
(citynet) or the libraries loaded (floor), per run; the largest over the runs.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

from common import BENCH, HWM, ROOT, failed, loadavg, process_env, record

FLOOR = BENCH / "ics_floor.py"

# citynet's own command line, started as a user starts it; the start mark is taken once the
# store is open (what the export's memory is measured above), then the command runs.
CITYNET = HWM + r"""
import json, sys, time
t0 = time.perf_counter()
from citynet.store.db import open_database
import citynet.render.ics
open_database(sys.argv[1]).dispose()
base = hwm_mb()
from citynet.cli import main
t = time.perf_counter()
code = main(["--db", sys.argv[1], "export", "ics", "--all", "--audience", "internal", "--lang", "both",
             "-o", sys.argv[2]])
took = time.perf_counter() - t
print(json.dumps({"seconds": took, "base_mb": base, "rss_mb": hwm_mb(), "code": code}))
"""


def _run(argv: list[str], timeout: float) -> dict:
    t = time.perf_counter()
    proc = subprocess.run(argv, check=False, capture_output=True, text=True, env=process_env(), cwd=ROOT,
                          timeout=timeout)
    wall = time.perf_counter() - t
    out = {}
    for line in proc.stdout.splitlines():
        if line.startswith("{"):
            out.update(json.loads(line))
    if proc.returncode != 0 or not out or out.get("code", 0) not in (0, None):
        raise RuntimeError(proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else f"exit {proc.returncode}")
    out["wall"] = wall
    return out


def _cases(url: str, tmp: Path, timeout: float) -> dict:
    ours, floor, plain = tmp / "ics-citynet.ics", tmp / "ics-floor.ics", tmp / "ics-plain.ics"
    return {
        "citynet": lambda: _run([sys.executable, "-c", CITYNET, url, str(ours)], timeout)
        | {"vevents": ours.read_bytes().count(b"BEGIN:VEVENT"), "bytes": ours.stat().st_size},
        "floor": lambda: _run([sys.executable, str(FLOOR), url, str(floor)], timeout),
        "plain": lambda: _run([sys.executable, str(FLOOR), url, str(plain), "--plain"], timeout),
    }


def _pairs(cases: dict, rounds: int, warm: bool) -> dict[str, list[dict]]:
    if warm:
        for fn in cases.values():
            fn()
    out: dict[str, list[dict]] = {name: [] for name in cases}
    for _ in range(rounds):
        for name, fn in cases.items():
            out[name].append(fn())
    return out


def _ratios(runs: dict, name: str, key: str = "wall") -> list[float]:
    return [a[key] / b[key] for a, b in zip(runs["citynet"], runs[name])]


def _span(values: list[float]) -> str:
    return f"{statistics.median(values):.2f} ({min(values):.2f}–{max(values):.2f})"


def measure(label: str, url: str, tmp: Path, rounds: int, warm: bool, timeout: float = 1800) -> dict:
    """Alternating runs of citynet, the floor and the physical limit on ``url``; recorded."""
    load_before = loadavg()
    runs = _pairs(_cases(url, tmp, timeout), rounds, warm)
    ours, floor, plain = runs["citynet"], runs["floor"], runs["plain"]
    vevents = ours[0]["vevents"]
    if floor[0]["vevents"] != vevents or plain[0]["vevents"] != vevents:
        raise RuntimeError(f"VEVENTs differ: citynet {vevents}, floor {floor[0]['vevents']}, "
                           f"plain {plain[0]['vevents']}")
    to_floor, to_plain = _ratios(runs, "floor"), _ratios(runs, "plain")
    wall = statistics.median(r["wall"] for r in ours)
    load = f"load {load_before} → {loadavg()}"
    record(f"ICS export {label}, all internal, {vevents:,} VEVENTs", wall, "s",
           statistics.median(r["wall"] for r in floor), "≤ 1.2×", statistics.median(to_floor) <= 1.2,
           f"whole processes, {rounds} alternating runs; ratio to floor {_span(to_floor)}, to the plain-"
           f"formatting limit {_span(to_plain)} ({statistics.median(r['wall'] for r in plain):.1f} s); "
           f"in-process export {statistics.median(r['seconds'] for r in ours):.1f} s vs floor "
           f"{statistics.median(r['seconds'] for r in floor):.1f} s; {ours[0]['bytes'] / 1e6:.0f} MB written; {load}",
           ratio=statistics.median(to_floor))
    grow = max(r["rss_mb"] - r["base_mb"] for r in ours)
    floor_grow = max(r["rss_mb"] - r["base_mb"] for r in floor)
    record(f"ICS export memory above start {label}, {vevents:,} VEVENTs", grow, "MiB", floor_grow,
           "≤ 60 MiB", grow <= 60,
           f"VmHWM {max(r['rss_mb'] for r in ours):.0f} MiB (start {ours[0]['base_mb']:.0f}); floor "
           f"{max(r['rss_mb'] for r in floor):.0f} MiB (start {floor[0]['base_mb']:.0f}); plain "
           f"{max(r['rss_mb'] - r['base_mb'] for r in plain):.0f} MiB above start")
    return runs


def bench_ics(small: str, large: str, tmp: Path, pg_url: str | None = None, *,
              small_rounds: int = 5, large_rounds: int = 3) -> None:
    """``small``/``large``: SQLite URLs of the synthetic stores (scale 0.1 and 1.0);
    ``pg_url``: a PostgreSQL database to load the large store into (bench/pg_store.py) and
    export from too."""
    for label, url, rounds, warm in (("SQLite", small, small_rounds, True), ("SQLite", large, large_rounds, False)):
        try:
            measure(label, url, tmp, rounds, warm)
        except Exception as error:  # noqa: BLE001  (a failed section is recorded, the others run)
            failed(f"ICS export {label} {url.rsplit('/', 1)[-1]}", error)
    if pg_url:
        try:
            import pg_store

            measure("PostgreSQL", pg_store.ensure(large, pg_url), tmp, large_rounds, False)
        except Exception as error:  # noqa: BLE001  (a failed section is recorded, the others run)
            failed("ICS export PostgreSQL", error)


if __name__ == "__main__":
    import argparse

    import common

    parser = argparse.ArgumentParser(description="ICS export against its floor")
    parser.add_argument("--scale", type=float, action="append", help="scales (default 0.1)")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--pg", help="also from PostgreSQL, this database (bench/pg_store.py loads it)")
    args = parser.parse_args()
    tmp = Path(__import__("tempfile").mkdtemp(prefix="ics-bench-"))
    for scale in args.scale or [0.1]:
        url = common.dataset(scale)
        measure("SQLite", url, tmp, args.rounds, warm=scale < 0.5)
        if args.pg:
            import pg_store

            measure("PostgreSQL", pg_store.ensure(url, args.pg), tmp, args.rounds, warm=scale < 0.5)
    for line in common.NOTES:
        print(line)
