"""Every script a partner city uses, in every document and language.

A hostile corpus — 𠮷田, 김민수, 张伟 / 張偉, สวัสดี, مرحبا بالعالم, שלום עולם, 🌏, 👩‍👩‍👧, Ελληνικά,
Кириллица, Łódź, Đà Nẵng, ``<b>&`` — is written through the write path as a partner city, people
and their posts, a session's title and notes, then rendered as briefing, programme, report and city
profile in ja, en and both. The checks read the PDF itself: every embedded font's ToUnicode entry
names a real glyph of that font (never .notdef, never an empty outline for a visible character),
every character of the extracted text is one of those, and the text extracts in reading order.
"""

from __future__ import annotations

import io
import re
import time
import unicodedata

import pytest
from fontTools.ttLib import TTFont as ToolsFont
from pypdf import PdfReader

from citynet.demo.loader import load_demo
from citynet.render.pdf import fonts, render_pdf
from citynet.render.pdf.furniture import STYLES
from citynet.render.pdf.markup import Text, break_lines, line_markup
from citynet.services import records

CORPUS = ["𠮷田", "김민수", "张伟 / 張偉", "สวัสดี", "مرحبا بالعالم", "שלום עולם", "🌏", "👩‍👩‍👧",
          "Ελληνικά", "Кириллица", "Łódź", "Đà Nẵng", "<b>&"]
LINE = " · ".join(CORPUS)
DOCUMENTS = [("briefing", "cop29"), ("programme", "cop29"), ("report", "cop29"), ("city", "corpus")]
LANGS = ("ja", "en", "both")
# people named in these scripts: (family ja, given ja, family Latin-or-other, given)
PEOPLE = [("𠮷田", "太郎", None, None), (None, None, "김", "민수"), ("张", "伟", "Zhang", "Wei"),
          (None, None, "สวัสดี", "Somchai"), (None, None, "بالعالم", "مرحبا"),
          (None, None, "עולם", "שלום"), (None, None, "Ελληνικά", "Кириллица"),
          (None, None, "Łódź", "Đà Nẵng 👩‍👩‍👧"), (None, None, "<b>&", "🌏")]


def build_corpus(engine) -> None:
    """The demo, then the corpus through the write path: a partner city named in these scripts,
    people and their posts, the COP29 press conference's title and notes."""
    load_demo(engine)
    city = records.create_record(engine, "city", {
        "slug": "corpus", "name_ja": "مرحبا بالعالم 𠮷田市", "name_en": "Łódź 🌏 שלום עולם <b>&",
        "country": "PL", "timezone": "Europe/Warsaw",
        "notes_ja": "東京とمرحبا بالعالمの交流。" + LINE, "notes_en": LINE}, origin="cli")
    session = records.find_by_slug(engine, "session", "cop29-press-conference")
    for number, (family_ja, given_ja, family, given) in enumerate(PEOPLE):
        values: dict = {"slug": f"corpus-person-{number}"}
        if family_ja:
            values.update(family_name_ja=family_ja, given_name_ja=given_ja, name_kana="よしだ たろう",
                          name_order="family_first")
        if family:
            values.update(family_name_latin=family, given_name_latin=given, name_order="given_first")
        person = records.create_record(engine, "person", values, origin="cli")
        post = records.create_record(engine, "position", {
            "slug": f"corpus-post-{number}", "person_id": person.id, "city_id": city.id,
            "title_ja": f"مرحبا市長{number}", "title_en": f"Mayor שלום {number}"}, origin="cli")
        records.create_record(engine, "participant", {
            "session_id": session["id"], "person_id": person.id, "position_id": post.id,
            "role": "speaker"}, origin="cli")
    records.update_record(engine, "session", session["id"], session["revision"], {
        "title_ja": "記者会見 " + LINE, "title_en": "Press conference " + LINE,
        "notes_ja": "東京とمرحبا بالعالمの交流。" + LINE, "notes_en": LINE}, origin="cli")


@pytest.fixture(scope="module")
def corpus_store(tmp_path_factory):
    from citynet.store.db import open_database

    engine = open_database(f"sqlite:///{tmp_path_factory.mktemp('scripts') / 'corpus.db'}")
    build_corpus(engine)
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def rendered(corpus_store):
    """{(document, lang): pdf bytes}: every document in every language, no traceback."""
    return {(document, lang): render_pdf(corpus_store, document, slug, lang)
            for document, slug in DOCUMENTS for lang in LANGS}


def _objects(reader: PdfReader):
    """Every font dictionary of the document (pages and the forms they draw), once."""
    seen: dict[int, object] = {}

    def walk(resources):
        resources = resources.get_object() if resources is not None else {}
        for font in (resources.get("/Font") or {}).values():
            seen.setdefault(font.idnum, font.get_object())
        for xobject in (resources.get("/XObject") or {}).values():
            form = xobject.get_object()
            if form.get("/Subtype") == "/Form":
                walk(form.get("/Resources"))

    for page in reader.pages:
        walk(page.get("/Resources"))
    return list(seen.values())


_BFCHAR = re.compile(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>")


def _to_unicode(font) -> dict[int, str]:
    data = font["/ToUnicode"].get_object().get_data().decode("latin-1")
    body = data.split("beginbfchar", 1)[1].split("endbfchar", 1)[0]
    return {int(code, 16): bytes.fromhex(text).decode("utf-16-be") for code, text in _BFCHAR.findall(body)}


def _glyph_problems(data: bytes) -> tuple[set[str], list[str]]:
    """(every character the document draws, what is wrong with any of them): each piece of text
    the page draws is traced to its font, and each of its characters, through that font's
    ToUnicode map, to the glyph of the embedded font program that draws it."""
    reader = PdfReader(io.BytesIO(data))
    used: dict[str, set[str]] = {}
    for page in reader.pages:
        def visit(text, _cm, _tm, font, _size):
            if font is not None and text:
                used.setdefault(str(font.get("/BaseFont")), set()).update(text)

        page.extract_text(visitor_text=visit)
    drawn: set[str] = set()
    problems = []
    for font in _objects(reader):
        name = str(font.get("/BaseFont"))
        descriptor = font.get("/FontDescriptor")
        if font.get("/Subtype") != "/TrueType" or descriptor is None or "/FontFile2" not in descriptor.get_object():
            problems.append(f"{name}: not an embedded TrueType font")
            continue
        program = ToolsFont(io.BytesIO(descriptor.get_object()["/FontFile2"].get_object().get_data()))
        cmap: dict[int, str] = {}
        for table in program["cmap"].tables:
            cmap.update(table.cmap)
        code_of = {text: code for code, text in _to_unicode(font).items()}
        for char in sorted(used.get(name, set())):
            if char.isspace():
                continue
            if char not in code_of:
                problems.append(f"{name}: {char!r} is not in the font's ToUnicode map")
                continue
            glyph = cmap.get(code_of[char])
            if glyph is None or program.getGlyphID(glyph) == 0:
                problems.append(f"{name}: {char!r} is .notdef")
                continue
            visible = unicodedata.category(char) not in ("Cf", "Mn", "Zs")
            if visible and program["glyf"][glyph].numberOfContours == 0:
                problems.append(f"{name}: {char!r} has an empty glyph")
            drawn.add(char)
    return drawn, problems


def _text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def _squash(text: str) -> str:
    """Extracted text compared with the source: no white space (lines wrap), compatibility forms
    folded (Arabic is drawn in its joined presentation forms: ﻣﺮﺣﺒﺎ reads مرحبا), no joiners."""
    return re.sub(r"[\s\u200d\ufe0f]+", "", unicodedata.normalize("NFKC", text))


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("document", [document for document, _slug in DOCUMENTS])
def test_every_character_is_drawn_with_a_glyph_of_its_font(rendered, document, lang):
    data = rendered[(document, lang)]
    drawn, problems = _glyph_problems(data)
    assert not problems, problems[:10]
    text = _text(data)
    undrawn = {char for char in text if not char.isspace() and char not in drawn}
    assert not undrawn, sorted(undrawn)
    assert fonts.MISSING not in text  # nothing fell through to the substitute
    assert set("𠮷김张ส🌏Łש") <= drawn and any("\ufe70" <= char <= "\ufeff" for char in drawn)


def test_the_corpus_renders_from_either_store(engine):
    """The same corpus written to SQLite and to PostgreSQL: the same text comes back, every
    character drawn with a glyph of its font."""
    build_corpus(engine)
    for document, slug in (("city", "corpus"), ("briefing", "cop29")):
        data = render_pdf(engine, document, slug, "both")
        drawn, problems = _glyph_problems(data)
        assert not problems, problems[:10]
        text = _squash(_text(data))
        for item in CORPUS:
            if item not in RTL:
                assert _squash(item) in text, (document, item)


def test_the_glyph_check_catches_a_character_drawn_without_its_glyph():
    """The check above is not vacuous: '!' drawn in the Thai font, which has no glyph for it
    (ReportLab writes such a character as code 0, the .notdef box), is caught."""
    from reportlab.pdfgen.canvas import Canvas

    fonts.register_fonts()
    fonts.font_runs("ส")  # the Thai face registered
    buffer = io.BytesIO()
    canvas = Canvas(buffer, initialFontName=fonts.MAIN)
    canvas.setFont("CitynetThai", 12)
    canvas.drawString(72, 720, "ส!")
    canvas.save()
    _drawn, problems = _glyph_problems(buffer.getvalue())
    assert len(problems) == 1 and "NotoSansThai" in problems[0], problems


RTL = {"مرحبا بالعالم", "שלום עולם"}


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("document", [document for document, _slug in DOCUMENTS])
def test_every_script_of_the_corpus_reads_back(rendered, document, lang):
    """Every item extracts. Arabic and Hebrew are drawn in visual order (and Arabic in its
    joined forms); pypdf 7 gives each right-to-left word back in reading order, but the words of
    a right-to-left phrase in the order they stand on the page (poppler's pdftotext gives the
    whole phrase in reading order): what is tested is what pypdf gives."""
    text = _squash(_text(rendered[(document, lang)]))
    for item in CORPUS:
        if item in RTL:
            first, second = (_squash(word) for word in item.split())
            assert first + second in text or second + first in text, (document, lang, item)
        else:
            assert _squash(item) in text, (document, lang, item)
    if document == "city" and lang != "en":
        # a paragraph mixing Japanese and Arabic reads as written
        assert _squash("東京とمرحبا بالعالمの交流。") in text or _squash("東京とبالعالم مرحباの交流。") in text


def test_the_pdf_fonts_cover_the_scripts_and_both_weights():
    """Japanese with 𠮷, Korean, both Chinese, Latin with every diacritic, Thai, Arabic (joined
    forms), Hebrew and emoji each reach a font that has them; Japanese and Latin come in bold."""
    from reportlab.pdfbase import pdfmetrics

    fonts.register_fonts()
    sample = "𠮷田清水김민수张伟張偉ẞŁłŐőĐđẫệİıƏəŘřΩωЖжЁёสวัสดีשלום🌏👩👧" + fonts.shape("مرحبا")
    for char in sample:
        runs = fonts.font_runs(char)
        assert len(runs) == 1 and runs[0][1] == char, (char, runs)
        face = pdfmetrics.getFont(runs[0][0]).face
        assert ord(char) in face.charToGlyph and face.charToGlyph[ord(char)] != 0, char
    for regular, bold in ((fonts.MAIN, fonts.MAIN_BOLD), (fonts.FALLBACK, fonts.FALLBACK_BOLD)):
        assert fonts.bold_font(regular) == bold
        assert pdfmetrics.getFont(bold).face.filename != pdfmetrics.getFont(regular).face.filename
        # the bold face is wider: a heading is measured in the face it is drawn in
        assert fonts.text_width("Saitama さいたま", 10, bold=True) > fonts.text_width("Saitama さいたま", 10)
    for style in ("title", "h1", "h2", "head"):
        assert STYLES[style].fontName == fonts.MAIN_BOLD, style
    assert STYLES["body"].fontName == fonts.MAIN


def test_grouping_keeps_marks_words_and_emoji_sequences_together():
    # a combining mark stays with its base (composed where a font has the composed letter)
    runs = fonts.font_runs("Ha\u0301n")
    assert "".join(piece for _font, piece in runs) in ("Hán", "Ha\u0301n")
    assert len(runs) == 1
    # a word of an alphabet is drawn whole by one font, never two designs in one word
    assert len(fonts.font_runs("Łódź")) == 1 and len(fonts.font_runs("Ελληνικά")) == 1
    # an emoji ZWJ sequence goes whole to the emoji font
    family = fonts.font_runs("👩\u200d👩\u200d👧")
    assert len(family) == 1 and family[0][0] == "CitynetEmoji"
    # a character no font has prints as the visible substitute, never as an empty box
    assert fonts.font_runs("\U0010fffd") == [(fonts.MAIN, fonts.MISSING)]
    # a lone variation selector takes no room and is never a substitute or a box
    assert fonts.text_width("\ufe0f", 10) == 0
    assert fonts.MISSING not in "".join(piece for _font, piece in fonts.font_runs("\ufe0f"))


def test_right_to_left_lines_are_broken_in_logical_order_then_reordered():
    text = "مرحبا بالعالم " * 12
    width = 120
    lines = break_lines(text, width, 9)
    assert " ".join(line.strip() for line in lines).split() == text.split()  # logical, in order
    for line in lines:
        assert fonts.text_width(line, 9) <= width + 0.01
        # each line drawn in visual order: its words reversed, letters in joined forms
        shown = fonts.visual(line)
        words = [unicodedata.normalize("NFKC", word[::-1]) for word in shown.split()]
        assert list(reversed(words)) == line.split()
    mixed = line_markup("東京とمرحبا بالعالمの交流")
    assert mixed.startswith("東京と") and mixed.endswith("の交流")
    assert unicodedata.normalize("NFKC", fonts.visual("مرحبا"))[::-1] == "مرحبا"


def test_a_10000_character_note_with_every_script_lays_out_in_well_under_a_second():
    fonts.register_fonts()
    note = (LINE + " 市長がゼロカーボンシティの取組を紹介する。 https://example.org/a/b?c=d ") * 60
    note = note[:10_000]
    Text(note[:200], STYLES["body"]).wrap(480, 10_000)  # every font of the corpus prepared
    started = time.perf_counter()
    paragraph = Text(note, STYLES["body"])
    paragraph.wrap(480, 100_000)
    assert time.perf_counter() - started < 1.0


if __name__ == "__main__":
    # docs/pdf/hostile-corpus.png, the README's preview of the corpus (the first page of the
    # corpus city's profile in both languages): .venv/bin/python tests/test_pdf_scripts.py
    import subprocess
    import tempfile
    from pathlib import Path

    from citynet.store.db import open_database

    with tempfile.TemporaryDirectory() as folder:
        engine = open_database(f"sqlite:///{folder}/corpus.db")
        build_corpus(engine)
        pdf = Path(folder) / "corpus.pdf"
        pdf.write_bytes(render_pdf(engine, "city", "corpus", "both"))
        engine.dispose()
        target = Path(__file__).resolve().parents[1] / "docs" / "pdf" / "hostile-corpus"
        subprocess.run(["pdftoppm", "-r", "80", "-f", "1", "-l", "1", "-singlefile", "-png",
                        str(pdf), str(target)], check=True)
        print(f"{target}.png")
