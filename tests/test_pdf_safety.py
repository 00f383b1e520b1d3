"""User strings print verbatim (escaping), accented names render, line breaking keeps kinsoku."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader
from sqlmodel import Session, select

from citynet.demo.loader import load_demo
from citynet.render.pdf import render_pdf
from citynet.render.pdf.fonts import FALLBACK, MAIN, font_for, register_fonts
from citynet.render.pdf.markup import CANNOT_END, CANNOT_START, break_lines, escape, line_markup
from citynet.store import models as m
from citynet.store.db import open_database

NASTY_FAMILY = '<b>Kurz</b> & "Söhne"'
NASTY_CITY = "Mannheim <font name=\"Nope\"> & 'Co' &amp; &nbsp;"
NASTY_TITLE = "件名 <b>重要 & <i>Ž</i>"


@pytest.fixture(scope="module")
def nasty_pdfs(tmp_path_factory):
    engine = open_database(f"sqlite:///{tmp_path_factory.mktemp('nasty') / 'n.db'}")
    load_demo(engine)
    with Session(engine) as db:
        person = db.exec(select(m.Person).where(m.Person.slug == "peter-kurz")).one()
        person.family_name_latin = NASTY_FAMILY
        city = db.exec(select(m.City).where(m.City.slug == "mannheim")).one()
        city.name_en = NASTY_CITY
        city.name_ja = "マンハイム<市>"
        event = db.exec(select(m.Event).where(m.Event.slug == "saitama-summit-2022")).one()
        event.theme_en = NASTY_TITLE
        db.add_all([person, city, event])
        db.commit()
    out = {}
    for document, slug in (("briefing", "saitama-summit-2022"), ("city", "mannheim")):
        for lang in ("en", "ja"):
            data = render_pdf(engine, document, slug, lang)
            reader = PdfReader(io.BytesIO(data))
            out[(document, lang)] = "\n".join(p.extract_text() for p in reader.pages)
    engine.dispose()
    return out


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_adversarial_names_print_verbatim(nasty_pdfs):
    briefing = squash(nasty_pdfs[("briefing", "en")])
    assert squash(f"Peter {NASTY_FAMILY}") in briefing
    assert squash(NASTY_CITY) in briefing
    assert squash(NASTY_TITLE) in briefing
    city = squash(nasty_pdfs[("city", "en")])
    assert squash(NASTY_CITY) in city
    assert squash("マンハイム<市>") in squash(nasty_pdfs[("city", "ja")])


@pytest.mark.parametrize("text", ['<b>', 'a & b', '"quoted" \'single\'', "&amp;", "<br/>", "]]>"])
def test_escape_round_trips(text):
    from xml.sax.saxutils import unescape

    assert unescape(escape(text), {"&quot;": '"', "&#39;": "'"}) == text
    assert "<" not in escape(text) and '"' not in escape(text)


def test_letters_missing_from_the_japanese_font_use_the_latin_fallback():
    from reportlab.pdfbase import pdfmetrics

    register_fonts()
    for char in "üößóé清水":
        assert font_for(char) == MAIN  # the Japanese font has these
    for char in "İıƏğŽž":
        font = font_for(char)
        assert font == FALLBACK and ord(char) in pdfmetrics.getFont(font).face.charToGlyph, char
    # a word is drawn whole by one font that has all its letters, never two designs in a word
    assert f'<font name="{FALLBACK}">İlham</font>' in line_markup("İlham")


JAPANESE = ("温室効果ガスの排出量は削減傾向にあるものの、ゼロカーボンシティ達成に向けた更なる取組が必要。"
            "「公・民・学」それぞれが主体となって取り組むグリーン成長モデル（COP29）、の実現。"
            "プレスカンファレンス（2024年11月11日）に、クアラルンプール市長（当時）が参加した。")


@pytest.mark.parametrize("width", [63.5, 71, 80, 101, 150, 233, 320])
def test_break_lines_keeps_kinsoku_and_width(width):
    from citynet.render.pdf.fonts import text_width

    lines = break_lines(JAPANESE * 2, width, 9.5)
    assert "".join(lines) == JAPANESE * 2
    for line in lines:
        assert line[0] not in CANNOT_START, line
        assert line[-1] not in CANNOT_END, line
        assert text_width(line, 9.5) <= width + 0.01


def test_an_unbreakable_group_wider_than_the_line_still_fits():
    # （COP29）、 cannot be broken legally in 40 pt: overflow is never the answer
    from citynet.render.pdf.fonts import text_width

    lines = break_lines("モデル（COP29）、の実現", 40, 9.5)
    assert "".join(lines) == "モデル（COP29）、の実現"
    assert all(text_width(line, 9.5) <= 40.01 for line in lines)


def test_latin_words_are_not_split():
    lines = break_lines("Secretary of the California Natural Resources Agency", 60, 9)
    assert " ".join(lines) == "Secretary of the California Natural Resources Agency"
