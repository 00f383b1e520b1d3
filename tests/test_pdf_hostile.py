"""Long and unbreakable texts in briefing documents: a URL, a 126-letter surname, notes taller
than a page. Lines break at legal points and never one letter per line, a cell taller than a
page goes on over the next, line breaking is linear, and no layout error reaches a user."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from citynet.demo.loader import load_demo
from citynet.render.pdf import markup, render_pdf
from citynet.render.pdf.fonts import text_width
from citynet.render.pdf.markup import break_lines
from citynet.services import records

URL = "https://example.org/" + "/".join(f"segment{i}?q={i}&x=abcdefghij" for i in range(8))
SURNAME = ("Wolfeschlegelsteinhausenbergerdorffvoralternwarengewissenhaftschaferswessenschafe"
           "warenwohlgepflegeundsorgfaltigkeitbeschutzenvonangreif")[:126]
assert len(SURNAME) == 126


def test_a_url_breaks_after_its_separators_and_fills_its_lines():
    width = 120
    lines = break_lines(URL, width, 9)
    assert "".join(lines) == URL
    assert len(lines) > 3
    for line in lines[:-1]:
        assert line[-1] in "/.-_?&=", line  # a legal point is never far in a URL
        assert text_width(line, 9) > width / 2, line
        assert text_width(line, 9) <= width + 0.01


def test_a_word_longer_than_a_line_fills_each_line():
    width = 80
    lines = break_lines(f"{SURNAME} Hayato", width, 9)
    assert "".join(lines).replace(" ", "").replace("\u2010", "") == f"{SURNAME}Hayato"
    for line in lines[:-1]:
        assert width / 2 < text_width(line, 9) <= width + 0.01, line
    assert all(len(line) > 2 for line in lines[:-1])


def test_line_breaking_is_linear_in_the_text(monkeypatch):
    """Ten times the text costs about ten times the measuring, for prose, a long word and
    Japanese (the old breaker re-measured each line and each cut: quadratic and worse)."""
    calls = {"characters": 0}

    def counting_width(text, size):
        calls["characters"] += len(text)
        return text_width(text, size)

    monkeypatch.setattr(markup, "text_width", counting_width)
    for unit in ("word ", "x", "長い備考です。", URL):
        measured = []
        for repeat in (100, 1000):
            calls["characters"] = 0
            break_lines(unit * repeat, 150, 9)
            measured.append(calls["characters"])
        assert measured[1] <= 12 * measured[0], (unit, measured)


def _squash(text: str) -> str:
    # a long word hyphenated at a line's end (U+2010, added by the breaker) reads whole again
    return re.sub(r"\s+", "", re.sub("\u2010\\s*", "", text))


@pytest.fixture
def hostile_store(engine):
    load_demo(engine)
    # a COP29 speaker with a 126-letter surname
    shimizu = records.find_by_slug(engine, "person", "shimizu-hayato")
    records.update_record(engine, "person", shimizu["id"], shimizu["revision"],
                          {"family_name_latin": SURNAME}, origin="cli")
    # session notes taller than a page, in both languages, with a URL in them
    session = records.find_by_slug(engine, "session", "cop29-press-conference")
    records.update_record(engine, "session", session["id"], session["revision"], {
        "notes_en": f"See {URL} " + "The mayor will present the zero-carbon plan. " * 90,
        "notes_ja": "市長がゼロカーボンシティの取組を紹介する。" * 150}, origin="cli")
    return engine


@pytest.mark.parametrize("document,slug", [("briefing", "cop29"), ("programme", "cop29"),
                                           ("report", "cop29")])
def test_hostile_texts_render_in_every_language(hostile_store, document, slug):
    for lang in ("ja", "en", "both"):
        data = render_pdf(hostile_store, document, slug, lang)  # no LayoutError, no traceback
        pages = PdfReader(io.BytesIO(data)).pages
        text = "\n".join(page.extract_text() for page in pages)
        if lang != "ja" and document != "report":
            assert _squash(SURNAME).upper() in _squash(text).upper(), (document, lang)
        stray = [line for line in text.splitlines()
                 if re.fullmatch(r"\s*[A-Za-z]{1,2}\s*", line)]
        assert not stray, (document, lang, stray[:5])  # never one or two letters on a line
        if document == "briefing":
            assert len(pages) >= 3, lang  # the notes go on over the next page
            if lang != "ja":  # every sentence of the notes once: nothing lost or repeated at a split
                # (the page furniture, drawn last on each page, is dropped: a sentence may go on
                # over a page break)
                body = "\n".join(line for page in pages for line in page.extract_text().splitlines()[:-4])
                assert _squash(body).count("zero-carbonplan") == 90, lang
                # and the part after a split fills its lines, not one word per line
                words = set("The mayor will present the zero-carbon plan.".split())
                lone = [line for line in text.splitlines() if line.strip() in words]
                assert len(lone) <= 1, lone


def test_a_document_that_cannot_be_laid_out_is_one_line_and_no_file(cli, tmp_path, monkeypatch):
    from reportlab.platypus import SimpleDocTemplate
    from reportlab.platypus.doctemplate import LayoutError

    def refuse(*_args, **_kwargs):
        raise LayoutError("Flowable <Table …> too large on page 2")

    cli.load_demo()  # before the patch: loading the demo renders its released documents
    monkeypatch.setattr(SimpleDocTemplate, "build", refuse)
    target = tmp_path / "b.pdf"
    code, _out, err = cli("export", "pdf", "briefing", "--event", "cop29", "-o", str(target))
    assert code == 2 and len(err.strip().splitlines()) == 1 and "laid out" in err, err
    assert "Traceback" not in err and "Flowable" not in err
    assert not target.exists()
