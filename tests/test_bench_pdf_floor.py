"""The PDF benchmark's floor sets what citynet's programme sets (issue 17, part 1): run as the
benchmark runs it, on a demo event, its PDF holds every session title, time and participant of
citynet's programme, read back from both files."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys

from pypdf import PdfReader


def _text(pdf: bytes) -> str:
    """The words of a PDF with every space and line break taken out (lines wrap differently)."""
    return re.sub(r"\s+", "", "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages))


def test_the_pdf_floor_sets_every_session_of_the_programme(demo_store, bench_run, tmp_path):
    from citynet.render.pdf import render_pdf

    spec = bench_run.pdf_floor_spec(demo_store, "cop29", "ja")
    assert spec["sessions"] >= 3 and spec["participants"] >= 3
    spec_file = tmp_path / "spec.json"
    spec_file.write_text(json.dumps(spec, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "floor.pdf"
    subprocess.run([sys.executable, "-c", bench_run.PDF_FLOOR, str(spec_file), str(out)], check=True,
                   timeout=120)
    floor = _text(out.read_bytes())
    citynet = _text(render_pdf(demo_store, "programme", "cop29", "ja"))
    cells = [re.sub(r"\s+", "", line) for _title, rows in spec["days"] for row in rows
             for value in row for line in value]
    assert cells
    for cell in cells:
        assert cell in floor, f"the floor's PDF lacks {cell!r}"
    # the same titles are in citynet's own programme: the floor sets the same sessions
    titles = [re.sub(r"\s+", "", row[1][0]) for _title, rows in spec["days"] for row in rows]
    for title in titles:
        assert title in citynet, f"citynet's programme lacks {title!r}"
