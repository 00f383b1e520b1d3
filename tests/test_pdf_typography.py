"""The typography and furniture of the PDF documents, read back from the PDFs themselves.

Sizes, fonts and positions come from the drawn text (pypdf's visitor: each line with its size,
font and place); the outline and metadata from pypdf. Expected values come from what an office
document needs (body 10 pt, tables at least 9 pt, the English of "both" as large as the
Japanese, dates as the office writes them, a zone by abbreviation and the event's own city), not
from the code under test.
"""

from __future__ import annotations

import io
import re
import shutil
import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

import pytest
from pypdf import PdfReader

from citynet.config import DocumentSettings, document_settings
from citynet.demo.loader import load_demo
from citynet.errors import CitynetError
from citynet.i18n.format import format_session_times, format_zone
from citynet.render.pdf import render_pdf
from citynet.render.pdf.furniture import Doc, cell
from citynet.render.pdf.markup import HYPHEN, break_lines
from citynet.services import records
from citynet.store.db import open_database

GENERATED = date(2026, 1, 15)
PLAIN = DocumentSettings()  # the defaults, whatever the developer's own settings file says
DEMO = [("briefing", "cop29"), ("programme", "cop29"), ("report", "saitama-summit-2022"),
        ("city", "muenster"), ("city", "kuala-lumpur"), ("briefing", "saitama-summit-2022")]
LANGS = ("ja", "en", "both")
PAGE_TOP, PAGE_BOTTOM = 790, 50  # the body lies between the header (y≈802) and the footer (y≈31)


# --- reading a PDF back ------------------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    page: int
    x: float
    y: float
    size: float
    bold: bool
    text: str

    @property
    def heading(self) -> bool:
        """A section heading: bold at the heading sizes (13 pt, 10.5 pt)."""
        return self.bold and round(self.size, 1) in (13.0, 10.5)

    @property
    def body(self) -> bool:
        return PAGE_BOTTOM < self.y < PAGE_TOP


def lines_of(pdf: bytes) -> list[Line]:
    """Every drawn line, page by page, with the size, weight and place of its first piece."""
    out: list[Line] = []
    for number, page in enumerate(PdfReader(io.BytesIO(pdf)).pages, start=1):
        text: list[str] = []
        first: list[tuple] = []

        def flush() -> None:
            line = "".join(text).strip()
            if line and first:
                x, y, size, font = first[0]
                out.append(Line(number, x, y, size, "Bold" in font, line))
            text.clear()
            first.clear()

        def visit(chunk, cm, tm, font, size, number=number):
            if not chunk:
                return
            pieces = chunk.split("\n")
            for index, piece in enumerate(pieces):
                if piece.strip() and not first:
                    name = str(font.get("/BaseFont", "")) if font else ""
                    first.append((tm[4] * cm[0] + cm[4], tm[5] * cm[3] + cm[5],
                                  size * abs(tm[3] * cm[3]), name))
                text.append(piece)
                if index < len(pieces) - 1:
                    flush()

        page.extract_text(visitor_text=visit)
        flush()
    return out


def page_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


# --- stores ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def rendered(demo_store):
    return {(document, slug, lang): render_pdf(demo_store, document, slug, lang,
                                               generated_on=GENERATED, settings=PLAIN)
            for document, slug in DEMO for lang in LANGS}


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """The hostile corpus (every script, a 126-letter surname, a long URL, notes taller than a
    page) in every document and language."""
    from tests.test_pdf_hostile import SURNAME, URL
    from tests.test_pdf_scripts import DOCUMENTS, build_corpus

    engine = open_database(f"sqlite:///{tmp_path_factory.mktemp('hostile') / 'corpus.db'}")
    build_corpus(engine)
    person = records.find_by_slug(engine, "person", "shimizu-hayato")
    records.update_record(engine, "person", person["id"], person["revision"],
                          {"family_name_latin": SURNAME}, origin="cli")
    event = records.find_by_slug(engine, "event", "cop29")
    records.update_record(engine, "event", event["id"], event["revision"], {
        "notes_en": f"See {URL} " + "The mayor will present the zero-carbon plan. " * 90,
        "notes_ja": "市長がゼロカーボンシティの取組を紹介する。" * 150}, origin="cli")
    out = {(document, lang): render_pdf(engine, document, slug, lang, generated_on=GENERATED,
                                        settings=PLAIN)
           for document, slug in DOCUMENTS for lang in LANGS}
    engine.dispose()
    return out


# --- 1. sizes and weights ----------------------------------------------------------------------


@pytest.mark.parametrize("document, slug", DEMO)
@pytest.mark.parametrize("lang", LANGS)
def test_body_text_is_10_pt_and_tables_at_least_9(rendered, document, slug, lang):
    lines = [line for line in lines_of(rendered[(document, slug, lang)]) if line.body]
    sizes = {round(line.size, 1) for line in lines}
    small = [(line.size, line.text) for line in lines if line.size < 9 - 0.01
             and not re.fullmatch(r"[\d,.\s]+", line.text)]  # a chart's value axis: 8 pt figures
    assert not small, small[:5]
    assert 10.0 in sizes or document == "programme"  # a programme is all tables


def test_english_in_both_is_as_large_as_the_japanese(rendered):
    lines = lines_of(rendered[("briefing", "cop29", "both")])

    def size_of(text: str) -> float:
        return next(line.size for line in lines if line.text.startswith(text))

    assert size_of("時刻は現地時間") == size_of("Times are local")  # a note under a heading
    assert size_of("2024年11月11日（月）～22日（金）") == size_of("Mon 11 – Fri 22 Nov 2024") == 10
    assert size_of("さいたま市長 清水 勇人") == size_of("SHIMIZU Hayato, Mayor of Saitama City") == 9


def test_titles_headings_and_labels_are_bold(rendered):
    lines = lines_of(rendered[("briefing", "cop29", "ja")])
    by_text = {line.text: line for line in lines}
    assert by_text["国連気候変動枠組条約第29回締約国会議（COP29）"].bold  # the title
    assert by_text["さいたま市関係セッション"].bold and by_text["さいたま市関係セッション"].size == 13
    assert by_text["会期"].bold  # a label
    assert not by_text["2024年11月11日（月）～22日（金）"].bold  # its value


@pytest.mark.skipif(shutil.which("pdftotext") is None,
                    reason="pdftotext (Debian's poppler-utils) is not installed: it reads the word boxes")
def test_counts_and_figures_are_right_aligned(rendered):
    """The right edges of the counts in the report's totals line up and their left edges do
    not (329 and 9 differ in width); read with pdftotext's word boxes."""
    boxes = _word_boxes(rendered[("report", "saitama-summit-2022", "ja")])
    header = next(box for box in boxes if box[4] == "数")  # the Count column's heading (数)
    counts = [box for box in boxes if re.fullmatch(r"\d[\d,]*", box[4])
              and box[1] > header[1] and box[1] - header[1] < 140 and box[0] > header[0] - 60]
    assert len(counts) >= 4, counts
    rights = {round(box[2]) for box in counts + [header]}
    lefts = {round(box[0]) for box in counts}
    assert max(rights) - min(rights) <= 1, counts  # the heading too
    assert len(lefts) > 1, counts
    # the briefing's key figures: the values end at one right edge too
    boxes = _word_boxes(rendered[("briefing", "cop29", "ja")])
    values = [box for box in boxes if box[4].startswith(("767.4万", "21.7%", "51%"))]
    assert len(values) == 3 and max(b[2] for b in values) - min(b[2] for b in values) <= 1, values
    assert max(b[0] for b in values) - min(b[0] for b in values) > 5, values


def _word_boxes(pdf: bytes) -> list[tuple[float, float, float, float, str]]:
    import subprocess
    import tempfile
    from html import unescape

    with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
        file.write(pdf)
        file.flush()
        html = subprocess.run(["pdftotext", "-bbox", file.name, "-"], capture_output=True, text=True,
                              check=True).stdout
    return [(float(a), float(b), float(c), float(d), unescape(word)) for a, b, c, d, word in re.findall(
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', html)]


# --- 2. dates as the office writes them ---------------------------------------------------------


@pytest.mark.parametrize("style, day, not_there", [
    ("seireki", "2024年11月11日（月）", "令和6年11月"),
    ("wareki", "令和6年11月11日（月）", "2024年11月11日"),
    ("both", "令和6年（2024年）11月11日（月）", "令和6年11月11日"),
])
def test_the_date_style_setting_writes_every_date_of_a_document(demo_store, style, day, not_there):
    pdf = render_pdf(demo_store, "programme", "cop29", "ja", generated_on=GENERATED,
                     settings=DocumentSettings(dates=style))
    text = squash(page_text(pdf))
    assert squash(day) in text  # the cover's dates and the day headings
    assert squash(not_there) not in text
    footer = {"seireki": "作成日2026年1月15日", "wareki": "作成日令和8年1月15日",
              "both": "作成日令和8年（2026年）1月15日"}[style]
    assert footer in text  # one style per document: the footer's date too
    english = squash(page_text(render_pdf(demo_store, "programme", "cop29", "en", generated_on=GENERATED,
                                          settings=DocumentSettings(dates=style))))
    assert "Mon11Nov2024" in english and "令和" not in english  # English dates stay Gregorian


def test_the_date_style_comes_from_the_settings_file(demo_store, tmp_path, monkeypatch):
    settings = tmp_path / "config.toml"
    monkeypatch.setenv("CITYNET_CONFIG", str(settings))
    settings.write_text('[documents]\ndates = "wareki"\n[office]\nname = "さいたま市"\n'
                        'section = "国際交流課"\nsection_en = "International Relations Division"\n',
                        encoding="utf-8")
    assert document_settings() == DocumentSettings(
        "wareki", {"ja": "さいたま市", "en": "さいたま市"},
        {"ja": "国際交流課", "en": "International Relations Division"})
    text = squash(page_text(render_pdf(demo_store, "programme", "cop29", "both", generated_on=GENERATED)))
    assert "令和6年11月11日（月）" in text and "国際交流課/InternationalRelationsDivision" in text
    for bad in ('[documents]\ndates = "heisei"\n', '[documents]\ndates = 2024\n', '[office]\nname = 5\n',
                'documents = "wareki"\n'):
        settings.write_text(bad, encoding="utf-8")
        with pytest.raises(CitynetError):
            document_settings()


# --- 3. time zones: abbreviation, offset and the event's own city -------------------------------

WINTER = datetime(2025, 1, 20, 9, 0, tzinfo=timezone.utc)  # 10:00 in Mannheim (CET)
SUMMER = datetime(2025, 7, 20, 8, 0, tzinfo=timezone.utc)  # 10:00 in Mannheim (CEST)


@pytest.mark.parametrize("start, tz, city, lang, expected", [
    (WINTER, "Europe/Berlin", "マンハイム", "ja", "10:00～11:00（マンハイム、CET、UTC+1） / 日本時間 18:00～19:00"),
    (SUMMER, "Europe/Berlin", "Mannheim", "en", "10:00–11:00 (Mannheim, CEST, UTC+2) / 17:00–18:00 JST"),
    (WINTER, "Asia/Kuala_Lumpur", "Penang", "en", "17:00–18:00 (Penang, MYT, UTC+8) / 18:00–19:00 JST"),
    (WINTER, "Asia/Kuala_Lumpur", "ペナン", "ja", "17:00～18:00（ペナン、MYT、UTC+8） / 日本時間 18:00～19:00"),
    (WINTER, "Asia/Baku", "Baku", "en", "13:00–14:00 (Baku, AZT, UTC+4) / 18:00–19:00 JST"),
    (WINTER, "America/Sao_Paulo", "Niterói", "en", "06:00–07:00 (Niterói, UTC-3) / 18:00–19:00 JST"),
])
def test_documents_name_a_zone_by_its_city_abbreviation_and_offset(start, tz, city, lang, expected):
    assert format_session_times(start, start + timedelta(hours=1), tz, "Asia/Tokyo", lang,
                                city=city) == expected


def test_the_ui_and_calendars_keep_naming_the_zone_by_its_city():
    """Without a venue city (the TUI, the calendars) the zone's own city is shown, as before."""
    assert format_session_times(WINTER, None, "Europe/Berlin", "Asia/Tokyo", "en") == \
        "10:00 (Berlin, UTC+1) / 18:00 JST"
    assert format_zone("Asia/Baku", WINTER, "ja") == "AZT、UTC+4"
    assert format_zone("Europe/Berlin", SUMMER, "en") == "CEST, UTC+2"


@pytest.mark.parametrize("slug, city_ja, city_en, tz, wrong", [
    ("mannheim", "マンハイム市", "Mannheim", "Europe/Berlin", ("ベルリン", "Berlin")),
    ("penang", "ペナン市", "Penang", "Asia/Kuala_Lumpur", ("クアラルンプール", "Kuala Lumpur")),
])
def test_a_document_names_the_events_own_city_not_the_zones(engine, slug, city_ja, city_en, tz, wrong):
    """COP29 moved to Mannheim or Penang: its programme names that city with the zone's
    abbreviation, never the zone's exemplar city (on both stores)."""
    load_demo(engine)
    city = records.find_by_slug(engine, "city", slug)
    event = records.find_by_slug(engine, "event", "cop29")
    records.update_record(engine, "event", event["id"], event["revision"],
                          {"city_id": city["id"], "timezone": tz}, origin="cli")
    ja = squash(page_text(render_pdf(engine, "programme", "cop29", "ja", generated_on=GENERATED,
                                     settings=PLAIN)))
    en = squash(page_text(render_pdf(engine, "programme", "cop29", "en", generated_on=GENERATED,
                                     settings=PLAIN)))
    abbreviation = "CET" if slug == "mannheim" else "MYT"
    assert squash(f"（{city_ja}、{abbreviation}、UTC+") in ja
    assert squash(f"({city_en}, {abbreviation}, UTC+") in en
    assert squash(wrong[0]) not in ja and squash(wrong[1]) not in en
    profile = squash(page_text(render_pdf(engine, "city", "penang", "en", generated_on=GENERATED,
                                          settings=PLAIN)))
    assert "MYT(UTC+8)" in profile and "KualaLumpur(" not in profile


# --- 4. furniture: outline, metadata, footer ---------------------------------------------------


def _outline(pdf: bytes) -> list[tuple[int, str, int]]:
    reader = PdfReader(io.BytesIO(pdf))
    out: list[tuple[int, str, int]] = []

    def walk(items, depth):
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                out.append((depth, item.title, reader.get_destination_page_number(item) + 1))

    walk(reader.outline, 0)
    return out


@pytest.mark.parametrize("document, slug", DEMO)
@pytest.mark.parametrize("lang", LANGS)
def test_every_heading_is_a_bookmark_on_its_page(rendered, document, slug, lang):
    pdf = rendered[(document, slug, lang)]
    headings: list[tuple[int, str]] = []
    previous: Line | None = None
    for line in lines_of(pdf):
        if line.heading and line.body:
            if previous is not None and _continues(previous, line):
                headings[-1] = (line.page, headings[-1][1] + " " + line.text)  # a heading on two lines
            else:
                headings.append((line.page, line.text))
            previous = line
    outline = _outline(pdf)
    assert outline, "no outline"
    assert [(page, squash(title)) for _depth, title, page in outline] == \
        [(page, squash(text)) for page, text in headings]
    assert all(depth in (0, 1) for depth, _title, _page in outline)


def _continues(previous: Line, line: Line) -> bool:
    """Whether a heading line is the next line of the heading above it: same page, size and
    margin, one line's leading below (18 pt at 13 pt, 15 pt at 10.5 pt); a new heading stands
    further down, after the rule and space of the one before."""
    leading = 18 if round(line.size, 1) == 13.0 else 15
    return (previous.page == line.page and previous.size == line.size and abs(previous.x - line.x) < 1
            and abs(previous.y - line.y - leading) < 0.6)


def test_metadata_names_the_office_and_the_time_of_generation(demo_store, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    office = DocumentSettings(office={"ja": "さいたま市", "en": "Saitama City"},
                              section={"ja": "国際交流課", "en": "International Relations Division"})
    before = datetime.now(timezone.utc).replace(microsecond=0)
    pdf = render_pdf(demo_store, "briefing", "cop29", "ja", generated_on=GENERATED, settings=office)
    after = datetime.now(timezone.utc)
    meta = PdfReader(io.BytesIO(pdf)).metadata
    assert meta.author == "さいたま市 国際交流課"
    assert meta.title.startswith("国連気候変動枠組条約第29回締約国会議（COP29）") and "ブリーフィング資料" in meta.title
    assert meta.subject == "ブリーフィング資料"
    created = meta.creation_date.astimezone(timezone.utc)
    assert before - timedelta(seconds=1) <= created <= after, created
    english = PdfReader(io.BytesIO(render_pdf(demo_store, "briefing", "cop29", "en", settings=office))).metadata
    assert english.author == "Saitama City International Relations Division"
    # unset: the home city names the office
    plain = PdfReader(io.BytesIO(render_pdf(demo_store, "programme", "cop29", "ja", settings=PLAIN))).metadata
    assert plain.author == "さいたま市"


def test_source_date_epoch_fixes_the_creation_date_and_the_bytes(demo_store, monkeypatch):
    epoch = 1_731_283_200  # 2024-11-11 00:00 UTC
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(epoch))
    first = render_pdf(demo_store, "briefing", "cop29", "both", settings=PLAIN)
    time.sleep(1.1)
    second = render_pdf(demo_store, "briefing", "cop29", "both", settings=PLAIN)
    assert first == second
    meta = PdfReader(io.BytesIO(first)).metadata
    assert meta.creation_date.astimezone(timezone.utc) == datetime(2024, 11, 11, tzinfo=timezone.utc)
    assert "作成日2024年11月11日" in squash(page_text(first))  # the footer's day is the epoch's too
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    with pytest.raises(CitynetError):
        render_pdf(demo_store, "briefing", "cop29", "ja", settings=PLAIN)


def _footer(pdf: bytes) -> list[str]:
    return [line.text for line in lines_of(pdf) if line.page == 1 and line.y < PAGE_BOTTOM]


@pytest.mark.parametrize("visibility, programme, briefing", [
    ("public", "公開", "取扱注意（庁内限り）"),
    ("internal", "取扱注意（庁内限り）", "取扱注意（庁内限り）"),
    ("confidential", "秘", "秘"),
])
def test_the_footer_carries_the_classification_section_and_page(engine, visibility, programme, briefing):
    load_demo(engine)
    event = records.find_by_slug(engine, "event", "cop29")
    records.update_record(engine, "event", event["id"], event["revision"], {"visibility": visibility},
                          origin="cli")
    office = DocumentSettings(section={"ja": "国際交流課", "en": "International Relations Division"})
    for document, mark in (("programme", programme), ("briefing", briefing)):
        footer = " ".join(_footer(render_pdf(engine, document, "cop29", "ja", generated_on=GENERATED,
                                             settings=office)))
        assert footer.startswith(mark), footer
        assert "国際交流課" in footer and "作成日 2026年1月15日" in footer
        assert re.search(r"1 / \d+ ページ", footer), footer
    english = " ".join(_footer(render_pdf(engine, "programme", "cop29", "en", settings=office)))
    assert english.startswith({"public": "Public", "internal": "Internal use only",
                               "confidential": "Confidential"}[visibility])
    assert "International Relations Division" in english and re.search(r"Page 1 of \d+", english)


def test_a_city_profile_is_internal(rendered):
    assert " ".join(_footer(rendered[("city", "kuala-lumpur", "ja")])).startswith("取扱注意（庁内限り）")


# --- 5. layout: headings with their content, no lone rows, lines -------------------------------


def _body_pages(pdf: bytes) -> dict[int, list[Line]]:
    pages: dict[int, list[Line]] = {}
    for line in lines_of(pdf):
        if line.body:
            pages.setdefault(line.page, []).append(line)
    return pages


def _assert_no_heading_at_a_foot(pdf: bytes, name) -> None:
    for page, lines in _body_pages(pdf).items():
        last = min(lines, key=lambda line: (line.y, -line.x))
        assert not last.heading, (name, page, last.text)
        assert not all(line.heading for line in lines), (name, page)


@pytest.mark.parametrize("document, slug", DEMO)
@pytest.mark.parametrize("lang", LANGS)
def test_no_heading_ends_a_page_in_the_demo_documents(rendered, document, slug, lang):
    _assert_no_heading_at_a_foot(rendered[(document, slug, lang)], (document, slug, lang))


def test_no_heading_ends_a_page_in_the_hostile_corpus(hostile):
    for name, pdf in hostile.items():
        _assert_no_heading_at_a_foot(pdf, name)


def _table_document(filler: int, rows: int) -> bytes:
    doc = Doc("en", "Programme", GENERATED, classification="public")
    for number in range(filler):
        doc.add(doc.texts(f"Paragraph {number} before the table, long enough to fill a line. " * 2))
    doc.heading("Participants")
    doc.table(["Role", "Participants"], [[cell(doc, f"Row {n:02d}"), cell(doc, "A participant")]
                                         for n in range(rows)], [1, 3])
    return doc.build()


@pytest.mark.parametrize("rows", [3, 24, 37])
def test_a_table_never_leaves_one_row_alone_on_a_page(rows):
    """Wherever the page breaks fall (the text before the table grows a paragraph at a time),
    every page holding rows of a table holds at least two, and the heading stands with them."""
    for filler in range(16, 40):
        pages = _body_pages(_table_document(filler, rows))
        on_page = {page: [line.text for line in lines if re.fullmatch(r"Row \d\d", line.text)]
                   for page, lines in pages.items()}
        counts = [len(found) for found in on_page.values() if found]
        assert sum(counts) == rows, (filler, on_page)
        assert min(counts) >= 2, (filler, rows, on_page)
        heading_page = next(page for page, lines in pages.items()
                            if any(line.text == "Participants" and line.heading for line in lines))
        assert "Row 00" in on_page[heading_page] and "Row 01" in on_page[heading_page], filler


def _short_latin_lines(pdf: bytes) -> list[str]:
    return [line.text for line in lines_of(pdf) if re.fullmatch(r"[A-Za-z]{1,2}[.,;:]?", line.text)]


@pytest.mark.parametrize("document, slug", DEMO)
def test_no_line_of_one_or_two_latin_letters_in_the_demo(rendered, document, slug):
    for lang in LANGS:
        assert not _short_latin_lines(rendered[(document, slug, lang)]), (document, slug, lang)


def test_no_line_of_one_or_two_latin_letters_in_the_hostile_corpus(hostile):
    for name, pdf in hostile.items():
        assert not _short_latin_lines(pdf), name


# --- 6. line breaking: phrases, asides, hyphenation ---------------------------------------------

TITLE = "グローバル・サステナブル・シティ・サミット2024年11月15日（金）開催報告"
KATAKANA_WORDS = ("グローバル", "サステナブル", "シティ", "サミット")


@pytest.mark.parametrize("width", [150, 200, 260, 330, 420])
def test_a_japanese_title_breaks_between_phrases(width):
    """Set at 20 pt: a katakana word, the date with its weekday and 開催報告 are never cut
    where the line is wide enough for them (150 pt holds 7 characters)."""
    lines = break_lines(TITLE, width, 20, True, True)
    assert "".join(lines) == TITLE
    for word in KATAKANA_WORDS + ("開催報告",) + (("2024年11月15日（金）",) if width >= 220 else ()):
        assert any(word in line for line in lines), (word, lines)  # never cut グ/ローバル
    assert all(not line.startswith("（金）") for line in lines), lines


@pytest.mark.parametrize("width", range(60, 200, 7))  # from 6 characters at 10 pt
def test_a_weekday_in_brackets_is_never_alone_on_a_line(width):
    for text in ("会期は2024年11月15日（金）から", "Meeting on 15日(金) at the hall", "11月12日（火）"):
        lines = break_lines(text, width, 10)
        assert not any(re.fullmatch(r"[（(].[）)]", line) for line in lines), lines
        assert not any(line.startswith(("（火）", "（金）", "(金)")) for line in lines), lines


def test_a_heading_in_a_document_keeps_its_katakana_words(demo_store):
    """The demo's headings and titles, laid out in narrow columns of a rendered page: no
    katakana word of them is cut at a line's end."""
    for document, slug in (("briefing", "cop29"), ("report", "saitama-summit-2022")):
        lines = lines_of(render_pdf(demo_store, document, slug, "ja", generated_on=GENERATED,
                                    settings=PLAIN))
        big = [line for line in lines if line.bold and line.size >= 10.5]
        for above, below in zip(big, big[1:]):
            if above.page == below.page and 0 < above.y - below.y < 30:
                assert not (_katakana(above.text[-1]) and _katakana(below.text[0])), (above.text, below.text)


def _katakana(char: str) -> bool:
    return "\u30a1" <= char <= "\u30fa" or char == "ー"


# in-ter-na-tion-al-i-sa-tion, as a dictionary hyphenates it
SYLLABLES = {2, 5, 7, 11, 13, 14, 16}


@pytest.mark.parametrize("width", [40, 50, 60, 75])
def test_a_long_latin_word_is_hyphenated_at_its_syllables(width):
    word = "internationalisation"
    lines = break_lines(f"{word} {word}", width, 10)
    assert "".join(line.removesuffix(HYPHEN) for line in lines).replace(" ", "") == word * 2
    assert any(line.endswith(HYPHEN) for line in lines)
    position = 0
    for line in lines:
        piece = line.removesuffix(HYPHEN).strip()
        start = position % len(word)
        if line.endswith(HYPHEN):
            assert start + len(piece) in SYLLABLES, (line, lines)
        position += len(piece.replace(" ", ""))
        assert len(piece) >= 3, lines


def test_a_url_is_never_hyphenated():
    url = "https://example.org/internationalisation/internationalisation?x=internationalisation"
    lines = break_lines(url, 60, 10)
    assert "".join(lines) == url and not any(HYPHEN in line for line in lines)


if __name__ == "__main__":
    # docs/pdf/*.png, the README's previews of the demo documents (first pages, as an office with
    # its section set prints them): .venv/bin/python tests/test_pdf_typography.py
    # (the hostile corpus's preview: .venv/bin/python tests/test_pdf_scripts.py)
    import subprocess
    import tempfile
    from pathlib import Path

    office = DocumentSettings(office={"ja": "さいたま市", "en": "Saitama City"},
                              section={"ja": "国際交流課", "en": "International Relations Division"})
    previews = [("briefing", "cop29", "both"), ("programme", "cop29", "en"),
                ("report", "saitama-summit-2022", "ja"), ("city", "muenster", "both"),
                ("city", "kuala-lumpur", "ja")]
    with tempfile.TemporaryDirectory() as folder:
        engine = open_database(f"sqlite:///{folder}/demo.db")
        load_demo(engine)
        for document, slug, lang in previews:
            pdf = Path(folder) / f"{slug}-{document}-{lang}.pdf"
            pdf.write_bytes(render_pdf(engine, document, slug, lang, generated_on=GENERATED, settings=office))
            target = Path(__file__).resolve().parents[1] / "docs" / "pdf" / f"{slug}-{document}-{lang}"
            subprocess.run(["pdftoppm", "-r", "80", "-f", "1", "-l", "1", "-singlefile", "-png",
                            str(pdf), str(target)], check=True)
            print(f"{target}.png")
        engine.dispose()
