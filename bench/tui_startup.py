"""Superseded by ``bench/run.py`` (issue 8), which absorbed this script: the same headless
first-paint comparison against a minimal Textual app with a DataTable, and the list and search
latencies, now on the seeded synthetic store of ``bench/synthetic.py`` instead of an ad-hoc one.

    .venv/bin/python bench/tui_startup.py      # = bench/run.py --only ui,lists,search --no-doc
"""

import subprocess
import sys
from pathlib import Path

if __name__ == "__main__":
    run = Path(__file__).with_name("run.py")
    sys.exit(subprocess.call([sys.executable, str(run), "--only", "ui,lists,search", "--no-doc",
                              *sys.argv[1:]]))
