"""The store, the services and i18n stay light: importing them pulls in no UI, PDF, calendar or
migration library (those load only in the modules that need them, when they need them).

Each check runs in a fresh interpreter, since this test process has imported everything already.
Modules are discovered with pkgutil, so new modules are covered without editing this file.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path


REPO_ROOT = Path(__file__).resolve().parents[1]
FORBIDDEN = ("textual", "reportlab", "icalendar", "alembic")
# Explicit modules plus every module of these packages (recursively).
MODULES = ("citynet.store.models", "citynet.store.db", "citynet.store.schema", "citynet.errors", "citynet.fuzzy")
PACKAGES = ("citynet.services", "citynet.i18n")
# The only modules allowed to import alembic (at import time).
ALEMBIC_ALLOWED = ("citynet.store.migrate", "citynet.store.migrations")

PROBE = r"""
import importlib, json, pkgutil, sys

forbidden, modules, packages = json.loads(sys.argv[1])

def loaded():
    return {name for name in sys.modules
            if any(name == f or name.startswith(f + ".") for f in forbidden)}

targets = list(modules)
missing = []
for package in packages:
    try:
        root = importlib.import_module(package)
    except ModuleNotFoundError as error:
        if error.name == package:
            missing.append(package)
            continue
        raise
    targets.append(package)
    targets += [info.name for info in pkgutil.walk_packages(root.__path__, package + ".")]

report = {"imported": [], "missing": missing, "culprits": {}}
for name in targets:
    before = loaded()
    importlib.import_module(name)
    report["imported"].append(name)
    new = sorted({n.split(".")[0] for n in loaded() - before})
    if new:
        report["culprits"][name] = new
print(json.dumps(report))
"""


def probe(modules, packages) -> dict:
    completed = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps([FORBIDDEN, modules, packages])],
        capture_output=True, text=True, cwd=REPO_ROOT, timeout=120,
    )
    assert completed.returncode == 0, f"importing failed:\n{completed.stderr}"
    return json.loads(completed.stdout.strip().splitlines()[-1])


def test_light_modules_import_no_heavy_libraries():
    report = probe(MODULES, PACKAGES)
    assert report["missing"] == [], f"packages not found: {report['missing']}"
    discovered = set(report["imported"])
    assert "citynet.store.models" in discovered and "citynet.store.db" in discovered
    # Discovery really walked the packages (not only their __init__).
    for package in PACKAGES:
        assert any(name.startswith(package + ".") for name in discovered), package
    culprits = {name: libs for name, libs in report["culprits"].items()
                if not name.startswith(ALEMBIC_ALLOWED)}
    assert culprits == {}, (
        "these modules import heavy libraries at import time (import them inside the function "
        f"that needs them): {culprits}")


def test_discovery_covers_every_file():
    """pkgutil finds every .py file of the packages (guards against a probe that sees nothing)."""
    report = probe((), PACKAGES)
    expected = set()
    for package in PACKAGES:
        directory = REPO_ROOT.joinpath(*package.split("."))
        for path in directory.rglob("*.py"):
            parts = path.relative_to(REPO_ROOT).with_suffix("").parts
            if parts[-1] == "__init__":
                parts = parts[:-1]
            if all((REPO_ROOT.joinpath(*parts[:i]) / "__init__.py").exists()
                   for i in range(len(package.split(".")), len(parts))):
                expected.add(".".join(parts))
    assert expected <= set(report["imported"])


def test_the_probe_can_fail():
    """The migration module does import alembic: the probe must notice it."""
    report = probe(("citynet.store.migrate",), ())
    assert report["culprits"].get("citynet.store.migrate") == ["alembic"]


def test_opening_a_current_database_loads_no_heavy_library(tmp_path):
    """Opening an up-to-date store (every start of the tool) needs no alembic."""
    from citynet.store.db import open_database

    url = f"sqlite:///{tmp_path / 'c.db'}"
    open_database(url).dispose()
    code = (
        "import sys\n"
        "import citynet.store.models\n"
        "from citynet.store.db import open_database\n"
        f"open_database({url!r}, upgrade=False).dispose()\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in "
        f"{list(FORBIDDEN)!r}))\n"
    )
    completed = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                               cwd=REPO_ROOT, timeout=120)
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.strip() == "[]"


def test_the_first_screen_needs_no_database_library():
    """The modules the terminal UI imports before its first paint (the app, the dashboard screen
    and what it uses for words) load neither SQLAlchemy nor SQLModel: the store is opened in a
    worker after the first frame."""
    code = ("import sys, citynet.tui.application, citynet.tui.screens.dashboard, "
            "citynet.tui.fmt, citynet.presenters.search\n"
            "print(sorted(m for m in ('sqlalchemy', 'sqlmodel') if m in sys.modules))\n")
    completed = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                               cwd=REPO_ROOT, timeout=120)
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.strip() == "[]"
