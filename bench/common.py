"""Shared by the benchmark modules: the results table, fresh interpreters, alternating runs."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench"
sys.path[:0] = [str(ROOT), str(BENCH)]
DOC = ROOT / "docs" / "benchmarks.md"
RESULTS: list[dict] = []
NOTES: list[str] = []
PROFILES: dict[str, str] = {}
SECTION = {"name": ""}  # the section being measured: each result carries it


def record(name: str, value: float, unit: str, floor: float | None = None, goal: str = "",
           ok: bool | None = None, note: str = "", ratio: float | None = None) -> None:
    """``ratio``: when given, the figure's own (the median of alternating pairs' ratios);
    otherwise value / floor."""
    if ratio is None:
        ratio = value / floor if floor else None
    RESULTS.append(dict(name=name, value=value, unit=unit, floor=floor, ratio=ratio, goal=goal,
                        ok=ok, note=note, section=SECTION["name"]))
    flag = "" if ok is None else ("ok" if ok else "MISSED")
    print(f"  {name:<52} {value:10.3f} {unit:<5} floor {fmt(floor) if floor is not None else '-':>8}"
          f" {('×%.2f' % ratio) if ratio else '':>7} {goal:<12} {flag}", flush=True)


def failed(name: str, error: BaseException | str) -> None:
    RESULTS.append(dict(name=name, value=None, unit="", floor=None, ratio=None, goal="", ok=False,
                        note=f"error: {str(error).splitlines()[0][:160] if str(error) else type(error).__name__}",
                        section=SECTION["name"]))
    print(f"  {name:<52} ERROR {error}", flush=True)


def child(code: str, *args: str, timeout: float = 600) -> dict:
    """Run ``code`` in a fresh interpreter; its ``key value`` / JSON lines become a dict."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT), str(BENCH)]), TEXTUAL_DISABLE_KITTY_KEY="1")
    proc = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, env=env,
                          cwd=ROOT, timeout=timeout)
    out = {}
    for line in proc.stdout.splitlines():
        if line.startswith("{"):
            out.update(json.loads(line))
        elif " " in line:
            key, value = line.split(" ", 1)
            out[key] = value
    if proc.returncode != 0 and not out:
        raise RuntimeError(proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else f"exit {proc.returncode}")
    return out


# --- datasets ---------------------------------------------------------------------------------------


def dataset(scale: float) -> str:
    import synthetic

    t = time.perf_counter()
    path = synthetic.build(1, scale)
    took = time.perf_counter() - t
    if took > 1:
        NOTES.append(f"built dataset scale {scale:g} in {took:.0f} s")
    return f"sqlite:///{path}"


def open_engine(url: str):
    from citynet.store.db import open_database

    return open_database(url)


# --- whole processes ---


# Fresh interpreters as a user's: bytecode cached (here in bench/.cache, the checkout stays
# clean), whatever PYTHONDONTWRITEBYTECODE the calling shell has. Without it, citynet's own
# modules compile from source on every start while the libraries' do not.
PYCACHE = BENCH / ".cache" / "pycache"


def process_env() -> dict:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT), str(BENCH)]),
               TEXTUAL_DISABLE_KITTY_KEY="1", PYTHONPYCACHEPREFIX=str(PYCACHE))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def process_time(argv: list[str], stdin=subprocess.DEVNULL) -> float:
    """Wall time of a whole process (start to exit), as a user waits for it."""
    t = time.perf_counter()
    proc = subprocess.run(argv, capture_output=True, text=True, env=process_env(), cwd=ROOT,
                          stdin=stdin, timeout=300)
    took = time.perf_counter() - t
    if proc.returncode not in (0, 1):  # check: 1 = something blocks
        raise RuntimeError(f"{' '.join(argv[:6])}: exit {proc.returncode}: "
                           f"{proc.stderr.strip().splitlines()[-1:] or ''}")
    return took


def child_timed(code: str, *args: str) -> dict:
    proc = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                          env=process_env(), cwd=ROOT, timeout=120)
    out = {}
    for line in proc.stdout.splitlines():
        if " " in line:
            key, value = line.split(" ", 1)
            out[key] = float(value)
    if proc.returncode != 0 or not out:
        raise RuntimeError(proc.stderr.strip().splitlines()[-1] if proc.stderr.strip()
                           else f"exit {proc.returncode}")
    return out


def alternate(cases: dict, runs: int) -> dict[str, list]:
    """Run every case once per round, the cases in turn, ``runs`` rounds (after one unmeasured
    warm-up round): on a shared machine a case and its floor see the same load."""
    for fn in cases.values():
        fn()
    out: dict[str, list] = {name: [] for name in cases}
    for _ in range(runs):
        for name, fn in cases.items():
            out[name].append(fn())
    return out


def spread(values) -> str:
    return f"median {statistics.median(values):.3f}, min–max {min(values):.3f}–{max(values):.3f}"


def loadavg() -> str:
    try:
        return "/".join(f"{x:.1f}" for x in os.getloadavg())
    except OSError:
        return "?"


def pct(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q / 100 * (len(values) - 1))))]



# Peak memory from VmHWM (per address space, so reset at exec): ru_maxrss would carry the parent's
# peak into the child on Linux.
HWM = r"""
def hwm_mb():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
"""

def _timed(fn) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t




def profile(label: str, fn, top: int = 15) -> None:
    import cProfile
    import io
    import pstats

    pr = cProfile.Profile()
    pr.enable()
    try:
        fn()
    finally:
        pr.disable()
    text = io.StringIO()
    stats = pstats.Stats(pr, stream=text).sort_stats("tottime")
    stats.print_stats(top)
    lines = [l for l in text.getvalue().splitlines() if l.strip()]
    start = next((i for i, l in enumerate(lines) if "ncalls" in l), 0)
    PROFILES[label] = "\n".join(l.replace(str(ROOT) + "/", "").replace(sys.prefix + "/lib/python3.11/site-packages/", "")
                                for l in lines[start:start + top + 1])


def fmt(value, digits=3):
    if value is None:
        return "–"
    return f"{value:,.{digits}f}" if abs(value) < 1000 else f"{value:,.0f}"
