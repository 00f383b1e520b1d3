"""The four PDF documents on the demo data: facts in each language, fonts, line breaking.

Each document is rendered once per language for the whole module (the fixtures have module
scope); the expected facts come from the source document, not from the output.
"""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from pypdf import PdfReader

from citynet.errors import CitynetError, NotFound
from citynet.render.pdf import export_pdf, output_name, render_pdf
from citynet.render.pdf import markup

GENERATED = date(2026, 1, 15)
LANGS = ("ja", "en", "both")
DOCS = {"briefing": "cop29", "programme": "cop29", "report": "saitama-summit-2022", "city": "muenster"}
EXTRA = {("briefing", "saitama-summit-2022"), ("city", "kuala-lumpur")}


@pytest.fixture(scope="module")
def rendered(demo_store):
    """{(document, slug, lang): (pdf bytes, text)}, with every line break recorded."""
    lines: list[str] = []
    original = markup.break_lines

    def recording(text, width, size, *bold):
        result = original(text, width, size, *bold)
        lines.extend(result)
        return result

    markup.break_lines = recording
    try:
        out = {}
        for document, slug in list(DOCS.items()) + sorted(EXTRA):
            for lang in LANGS:
                data = render_pdf(demo_store, document, slug, lang, generated_on=GENERATED)
                reader = PdfReader(io.BytesIO(data))
                text = "\n".join(page.extract_text() for page in reader.pages)
                out[(document, slug, lang)] = (data, text)
    finally:
        markup.break_lines = original
    out["lines"] = lines
    return out


def text_of(rendered, document, lang, slug=None):
    return rendered[(document, slug or DOCS[document], lang)][1]


def squash(text: str) -> str:
    """Extracted text without line breaks and spaces (a name may wrap inside a cell)."""
    return re.sub(r"\s+", "", text)


FACTS = {
    ("briefing", "ja"): ["国連気候変動枠組条約第29回締約国会議", "13:00", "18:00", "バクー", "さいたま市長",
                         "清水勇人", "プレスカンファレンス", "ザグレブ市議会議長", "主催", "協力", "イクレイ日本",
                         "767.4万t-CO2", "2024年11月11日"],
    ("briefing", "en"): ["COP29", "13:00–13:30 (Baku, AZT, UTC+4) / 18:00–18:30 JST", "SHIMIZU Hayato",
                         "Mayor of Saitama City", "Press conference", "E-KIZUNA High-Level Talks",
                         "16:30–17:30", "Moderator", "Niterói", "Zagreb", "In cooperation with",
                         "ICLEI Japan", "Briefing", "7.674 million t-CO2"],
    ("programme", "ja"): ["プレスカンファレンス", "13:00", "日本時間", "18:00", "16:30", "21:30",
                          "モデレーター", "イクレイ日本事務局長", "ジャパン・パビリオン"],
    ("programme", "en"): ["Press conference", "E-KIZUNA High-Level Talks", "(Baku, AZT, UTC+4)",
                          "18:00–18:30 JST", "21:30–22:30 JST", "Speaker", "Moderator",
                          "Secretary General of ICLEI Japan", "Japan Pavilion"],
    ("report", "ja"): ["329名", "海外9か国15都市", "国内22都市", "50企業・団体", "主催", "共催", "後援",
                       "さいたま市", "イクレイ日本", "外務省", "経済産業省", "2022年11月22日"],
    ("report", "en"): ["329 participants", "15 cities", "9 overseas countries", "22", "50",
                       "Organized by", "Co-organized by", "Supported by", "ICLEI Japan",
                       "Ministry of Foreign Affairs", "Tue 22", "Thu 24 Nov 2022"],
    ("city", "ja"): ["ミュンスター市", "ミュンスター市長", "マルクス・レーヴェ", "ドイツ",
                     "さいたまサステナブル都市サミット"],
    ("city", "en"): ["Münster", "Mayor of Münster", "Markus Lewe", "Germany",
                     "Saitama Sustainable City Summit"],
}


@pytest.mark.parametrize("document", sorted(DOCS))
@pytest.mark.parametrize("lang", LANGS)
def test_document_states_the_facts(rendered, document, lang):
    text = squash(text_of(rendered, document, lang))
    wanted = FACTS[(document, lang)] if lang != "both" else (
        FACTS[(document, "ja")] + FACTS[(document, "en")])
    missing = [fact for fact in wanted if squash(fact) not in text]
    assert not missing, f"{document}/{lang} lacks {missing}"


def test_briefing_names_the_urban7_mayors(rendered):
    text = squash(text_of(rendered, "briefing", "en", "saitama-summit-2022"))
    for fact in ("Peter Kurz", "Markus Lewe", "Marcus König", "Mannheim", "Münster", "Nuremberg",
                 "Background: Mannheim"):
        assert squash(fact) in text


def test_city_profile_marks_a_past_mayor(rendered):
    # two posts of one title (the source's "then Mayor", and the Mayor who visited Saitama, not
    # said to be the same person): the first is former, neither is called current (no date
    # confirms either), and each carries the note that tells them apart
    ja = squash(text_of(rendered, "city", "ja", "kuala-lumpur"))
    en = squash(text_of(rendered, "city", "en", "kuala-lumpur"))
    assert ja.count("クアラルンプール市長") >= 2 and "退任" in ja and "現職" not in ja
    assert "MayorofKualaLumpur" in en and "former" in en and "current" not in en
    assert squash("資料の表記は「クアラルンプール市長（当時）」") in ja
    assert squash('The source writes "then Mayor of Kuala Lumpur"') in en
    assert squash("さいたま市を訪問した市長") in ja


# The Japanese a city office writes, where it stands in the demo documents, and the words it
# replaced (退任 not 前職, 内容 not 行事 over a timeline, {city}の概要 not 都市背景：{city}, 2013年度比
# not 基準年度 平成25年度, full-width （月） and ：). Table headers are checked as their whole row.
JA_WORDING = {
    ("briefing", "cop29"): (
        ["会期2024年11月11日（月）～22日（金）", "会場バクーオリンピックスタジアム", "さいたま市関係セッション",
         "時刻は現地時間（日本時間を併記）。", "日時2024年11月11日（月）", "会議室ジャパン・パビリオン",
         "ザグレブ市の概要", "バクーの概要", "国・地域クロアチア", "役職名氏名期間", "時期内容",
         "指標数値年度基準年度", "51%（目標）2030年度2013年度比", "0t-CO2（目標）2050年度",
         "（実績）平成25年度", "21.7%（実績）記録なし2013年度比"],
        ["都市背景", "が参加するセッション", "2行目", "基準年度平成25年度", "令和12年度", "令和32年度",
         "時期行事", "指標値", "前職", "(月)"]),
    ("briefing", "saitama-summit-2022"): (
        ["マンハイム市の概要", "2013年度比", "会期2022年11月22日（火）～24日（木）"],
        ["都市背景", "時刻は現地時間"]),  # at home: only home time is shown, no note
    ("programme", "cop29"): (
        ["2024年11月12日（火）", "時間セッション参加者", "スピーカー：さいたま市長清水勇人",
         "モデレーター：イクレイ日本事務局長", "会議室：ジャパン・パビリオン"],
        ["日時", "登壇者", "スピーカー:", "会場:", "(火)"]),
    ("city", "kuala-lumpur"): (
        ["退任", "役職名氏名期間", "時期内容", "国・地域マレーシア", "MYT（UTC+8）"],
        ["前職", "時期行事", "(UTC+8)"]),
    ("city", "muenster"): (
        ["都市ネットワークによる連携", "役職名氏名期間", "時期内容"],
        ["都市ネットワークのパートナー", "時期行事"]),
    ("report", "saitama-summit-2022"): (
        ["会期2022年11月22日（火）～24日（木）", "海外の国・地域"],
        ["海外の国9", "(火)"]),
}


@pytest.mark.parametrize("document, slug", sorted(JA_WORDING))
def test_japanese_reads_as_a_city_office_writes_it(rendered, document, slug):
    text = squash(text_of(rendered, document, "ja", slug))
    wanted, replaced = JA_WORDING[(document, slug)]
    missing = [w for w in wanted if squash(w) not in text]
    old = [w for w in replaced if squash(w) in text]
    assert not missing, f"{document}/{slug} lacks {missing}"
    assert not old, f"{document}/{slug} still says {old}"


@pytest.mark.parametrize("document", sorted(DOCS))
def test_header_and_footer_on_every_page(rendered, document):
    data, _ = rendered[(document, DOCS[document], "en")]
    reader = PdfReader(io.BytesIO(data))
    total = len(reader.pages)
    for number, page in enumerate(reader.pages, start=1):
        text = page.extract_text()
        assert f"Page {number} of {total}" in text
        assert "Generated 15 January 2026" in text
    ja = PdfReader(io.BytesIO(rendered[(document, DOCS[document], "ja")][0]))
    assert f"1 / {len(ja.pages)} ページ" in ja.pages[0].extract_text()
    assert "作成日 2026年1月15日" in ja.pages[0].extract_text()


def _fonts(data: bytes):
    reader = PdfReader(io.BytesIO(data))
    for page in reader.pages:
        resources = page.get("/Resources") or {}
        fonts = resources.get("/Font") or {}
        for ref in fonts.values():
            yield ref.get_object()


def test_every_font_is_an_embedded_truetype_subset(rendered):
    for key, value in rendered.items():
        if key == "lines":
            continue
        seen = list(_fonts(value[0]))
        assert seen, key
        for font in seen:
            name = str(font["/BaseFont"])
            assert re.match(r"^/[A-Z]{6}\+", name), (key, name)  # a subset
            descriptor = font["/FontDescriptor"].get_object()
            assert "/FontFile2" in descriptor, (key, name)  # TrueType program embedded
            assert "Helvetica" not in name


def test_no_line_breaks_a_kinsoku_rule(rendered):
    lines = [line for line in rendered["lines"] if line]
    assert len(lines) > 500
    starts = [line for line in lines if line[0] in markup.CANNOT_START]
    ends = [line for line in lines if line[-1] in markup.CANNOT_END]
    assert not starts, starts[:5]
    assert not ends, ends[:5]


def test_bilingual_missing_side_is_visible_not_hidden(rendered):
    # the briefing in English names Japanese organisations by their English names only
    assert "イクレイ日本" not in text_of(rendered, "briefing", "en")


def test_export_writes_under_exports_by_default(demo_store, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path = export_pdf(demo_store, "programme", "cop29", "en", generated_on=GENERATED)
    assert path == tmp_path / "exports" / "cop29-programme-en.pdf"  # named by its absolute path
    assert path.read_bytes().startswith(b"%PDF")
    assert output_name("city", "zagreb", "both") == "zagreb-city-both.pdf"
    assert [p.name for p in (tmp_path / "exports").iterdir()] == ["cop29-programme-en.pdf"]


def test_a_failed_render_leaves_no_file(demo_store, tmp_path, monkeypatch):
    from citynet.render.pdf import furniture

    def crash(self):
        raise RuntimeError("boom")

    monkeypatch.setattr(furniture.Doc, "build", crash)
    target = tmp_path / "out.pdf"
    with pytest.raises(RuntimeError):
        export_pdf(demo_store, "city", "zagreb", "ja", target)
    assert list(tmp_path.iterdir()) == []


def test_bad_input_is_a_one_line_error(demo_store):
    with pytest.raises(NotFound):
        render_pdf(demo_store, "briefing", "no-such-event", "ja")
    with pytest.raises(NotFound):
        render_pdf(demo_store, "city", "atlantis", "en")
    with pytest.raises(CitynetError):
        render_pdf(demo_store, "poster", "cop29", "en")
    with pytest.raises(CitynetError):
        render_pdf(demo_store, "briefing", "cop29", "fr")
