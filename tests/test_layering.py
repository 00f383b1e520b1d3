"""The store, the services and i18n stay light: importing them pulls in no UI, PDF, calendar or
migration library (those load only in the modules that need them, when they need them).

Each check runs in a fresh interpreter, since this test process has imported everything already.
Modules are discovered with pkgutil, so new modules are covered without editing this file.
"""

from __future__ import annotations

import json
import os
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


# Libraries the terminal UI's first frame does without: the store (SQLAlchemy, SQLModel), dates
# and numbers in words (Babel), documents (ReportLab, icalendar), migrations (Alembic).
FIRST_FRAME_FORBIDDEN = ("sqlalchemy", "sqlmodel", "babel", "reportlab", "icalendar", "alembic")
# Screens shown later: each is imported when it is first opened.
LATER_SCREENS = ("agenda", "compare", "detail", "form", "history", "lists", "modals", "search")


def test_the_first_screen_needs_no_database_library():
    """The modules the terminal UI imports before its first paint (the app, the dashboard screen
    and what it uses for words) load none of the store's, Babel's or the documents' libraries:
    the store is opened in a worker after the first frame."""
    code = ("import sys, citynet.tui.app, citynet.tui.application, citynet.tui.screens.dashboard, "
            "citynet.tui.fmt, citynet.presenters.search\n"
            f"print(sorted(m for m in {FIRST_FRAME_FORBIDDEN!r} if m in sys.modules))\n")
    completed = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                               cwd=REPO_ROOT, timeout=120)
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.strip() == "[]"


# ``citynet --db URL`` as a user starts it (the command line's main hands over to the UI), the app
# class swapped for one that runs headless and looks at what is loaded at its first frame.
FIRST_FRAME_PROBE = r"""
import json, sys
import citynet.tui.application as application
seen = {}
class Probe(application.CitynetApp):
    def run(self, **kwargs):
        return super().run(headless=True, size=(100, 30))
    def on_ready(self):  # the first frame is on the screen
        seen["loaded"] = sorted({m.split(".")[0] for m in sys.modules} & set(json.loads(sys.argv[2])))
        seen["screens"] = sorted(m.rsplit(".", 1)[1] for m in sys.modules
                                 if m.startswith("citynet.tui.screens."))
        self.exit()
application.CitynetApp = Probe
from citynet.cli import main
main(["--db", sys.argv[1], "--lang", "ja"])
print(json.dumps(seen))
"""


def test_the_first_frame_is_drawn_before_the_store_is_opened(tmp_path):
    """Start ``citynet`` to the UI's first frame: by then nothing has imported the store's
    libraries (neither the command line on its way to the UI nor a worker started early, which
    would hold the interpreter the first paint needs), nor Babel or a document library; of the
    screens only the dashboard is loaded. The catalogs are compiled first, as an install leaves
    them (a checkout compiles a changed .po once, with Babel, and keeps the .mo)."""
    from citynet.i18n import LANGUAGES, reload_catalogs, translations_for

    reload_catalogs()
    for lang in LANGUAGES:
        translations_for(lang)
    completed = subprocess.run(
        [sys.executable, "-c", FIRST_FRAME_PROBE, f"sqlite:///{tmp_path / 'first.db'}",
         json.dumps(FIRST_FRAME_FORBIDDEN)],
        capture_output=True, text=True, cwd=REPO_ROOT, timeout=120,
        env={**os.environ, "TEXTUAL_DISABLE_KITTY_KEY": "1", "CITYNET_CONFIG": str(tmp_path / "none.toml")})
    assert completed.returncode == 0, completed.stderr
    seen = json.loads(completed.stdout.strip().splitlines()[-1])
    assert seen["loaded"] == []
    assert "dashboard" in seen["screens"]
    assert not set(seen["screens"]) & set(LATER_SCREENS), seen["screens"]
