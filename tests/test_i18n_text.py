"""The bilingual rule: never substitute the other language silently."""

import pytest

from citynet.i18n.text import MISSING_MARK, bilingual, has_missing_mark, is_missing


def test_both_present():
    assert bilingual("さいたま市", "Saitama", "ja") == "さいたま市"
    assert bilingual("さいたま市", "Saitama", "en") == "Saitama"
    assert bilingual("さいたま市", "Saitama", "both") == "さいたま市 / Saitama"
    assert not is_missing("さいたま市", "Saitama", "both")


@pytest.mark.parametrize("ja, en, lang, expected", [
    (None, "Saitama", "ja", f"{MISSING_MARK} Saitama"),
    ("さいたま市", None, "en", f"{MISSING_MARK} さいたま市"),
    ("さいたま市", "  ", "en", f"{MISSING_MARK} さいたま市"),
    ("さいたま市", None, "both", f"さいたま市 / {MISSING_MARK}"),
    ("", "Saitama", "both", f"{MISSING_MARK} / Saitama"),
])
def test_missing_side_is_marked(ja, en, lang, expected):
    assert bilingual(ja, en, lang) == expected
    assert is_missing(ja, en, lang)
    assert has_missing_mark(bilingual(ja, en, lang))


def test_empty_record_is_not_a_missing_translation():
    assert bilingual(None, "", "both") == ""
    assert not is_missing(None, None, "ja")


def test_marker_reads_in_both_languages():
    assert "未訳" in MISSING_MARK and "missing" in MISSING_MARK


def test_bad_lang():
    with pytest.raises(ValueError):
        bilingual("a", "b", "fr")
