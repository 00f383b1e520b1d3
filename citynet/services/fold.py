"""How text is folded for search: one rule book for the stored index and for what a user types.

A text is cut into words (at spaces, punctuation and where Latin letters meet Japanese script),
and each word folded: NFKC (full-width letters and digits, half-width katakana), casefold,
katakana → hiragana, diacritics dropped (Münster → munster, Niterói → niteroi) and Hepburn
variants brought to one spelling (Tōkyō = toukyou = tookyoo = tokyo; shi = si, chi = ti,
tsu = tu, ji = zi, fu = hu, sha = sya, ja = zya, shimbashi = shinbashi).

A word in kana also gets its romanisation under the same rules (さとう → sato, きずな → kizuna,
とうきょう → tokyo), and a German word with an umlaut its ae/oe/ue spelling (Münster → muenster),
so that each meets the other spelling however it is typed. Both sides fold with the same
functions: what the index holds and what a query asks for always agree.

A bottom module: it imports nothing of citynet.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# ァ (U+30A1) … ヶ (U+30F6) sit 0x60 above ぁ … ゖ; ー and ・ have no hiragana and stay.
_HIRAGANA = {code: code - 0x60 for code in range(0x30A1, 0x30F7)}
# Letters NFKD does not take apart.
_LETTERS = str.maketrans({"ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "æ": "ae",
                          "œ": "oe", "ı": "i", "ħ": "h", "ə": "e"})
_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue"})
_APOSTROPHES = str.maketrans("", "", "'’`")


def to_hiragana(text: str) -> str:
    return text.translate(_HIRAGANA)


def _is_latin(ch: str) -> bool:
    # Basic Latin to the IPA letters (Azerbaijani ə), and Latin Extended Additional (Vietnamese)
    return ch < "\u02b0" or "\u1e00" <= ch <= "\u1eff"


def _word_char(ch: str) -> bool:
    return unicodedata.category(ch)[0] in "LNM"


# In ASCII, NFKC and kana folding change nothing, casefold is lower(), and the letters and digits
# are the word characters.
_ASCII_WORD = re.compile(r"[a-z0-9]+")


def raw_words(text: str | None) -> list[str]:
    """The words of a text after NFKC, casefold and katakana → hiragana, before any other
    folding: cut at anything not a letter, digit or mark, and where a Latin letter meets a letter
    of another script (E-KIZUNAハイレベル会議 → e, kizuna, はいれべる会議; digits go with either:
    COP29, 第29回); apostrophes are dropped (Jun'ichi → junichi)."""
    if text is None or text.isascii():  # most names: the same words without a per-character walk
        return _ASCII_WORD.findall((text or "").lower().translate(_APOSTROPHES))
    folded = to_hiragana(unicodedata.normalize("NFKC", text or "").casefold())
    folded = folded.translate(_APOSTROPHES)
    words: list[str] = []
    current: list[str] = []
    latin = None
    for ch in folded:
        if not _word_char(ch):
            if current:
                words.append("".join(current))
            current, latin = [], None
            continue
        kind = unicodedata.category(ch)[0]
        if kind == "L":  # digits and marks go with either script: COP29, 第29回, 2025年
            script = _is_latin(ch)
            if current and latin is not None and script != latin:
                words.append("".join(current))
                current = []
            latin = script
        current.append(ch)
    if current:
        words.append("".join(current))
    return words


def _strip_marks(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word.translate(_LETTERS))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


# Hepburn and its variants, to one spelling (applied in order, to a word without diacritics).
_ROMAJI_RULES = [
    (re.compile(r"tch"), "cch"),
    (re.compile(r"shi"), "si"), (re.compile(r"sh(?=[aueo])"), "sy"), (re.compile(r"sh$"), "s"),
    (re.compile(r"chi"), "ti"), (re.compile(r"ch(?=[aueo])"), "ty"), (re.compile(r"ch$"), "t"),
    (re.compile(r"tsu"), "tu"), (re.compile(r"ts$"), "t"),
    (re.compile(r"ji"), "zi"), (re.compile(r"j(?=[aueo])"), "zy"), (re.compile(r"j$"), "z"),
    (re.compile(r"fu"), "hu"),
    (re.compile(r"m(?=[bmp])"), "n"),
    (re.compile(r"oh(?![aiueoy])"), "o"),
    (re.compile(r"ou"), "o"),
    (re.compile(r"([aiueo])\1+"), r"\1"),
]


@lru_cache(maxsize=65536)
def fold_latin(word: str) -> str:
    """A Latin word without diacritics, Hepburn variants brought to one spelling."""
    word = _strip_marks(word)
    for pattern, replacement in _ROMAJI_RULES:
        word = pattern.sub(replacement, word)
    return word


# --- kana → romaji (already in the folded spelling: si, ti, tu, zi, hu, sya …) ------------------

_GOJUON = {
    "あ": "a", "い": "i", "う": "u", "え": "e", "お": "o",
    "か": "ka", "き": "ki", "く": "ku", "け": "ke", "こ": "ko",
    "さ": "sa", "し": "si", "す": "su", "せ": "se", "そ": "so",
    "た": "ta", "ち": "ti", "つ": "tu", "て": "te", "と": "to",
    "な": "na", "に": "ni", "ぬ": "nu", "ね": "ne", "の": "no",
    "は": "ha", "ひ": "hi", "ふ": "hu", "へ": "he", "ほ": "ho",
    "ま": "ma", "み": "mi", "む": "mu", "め": "me", "も": "mo",
    "や": "ya", "ゆ": "yu", "よ": "yo",
    "ら": "ra", "り": "ri", "る": "ru", "れ": "re", "ろ": "ro",
    "わ": "wa", "ゐ": "i", "ゑ": "e", "を": "o", "ん": "n",
    "が": "ga", "ぎ": "gi", "ぐ": "gu", "げ": "ge", "ご": "go",
    "ざ": "za", "じ": "zi", "ず": "zu", "ぜ": "ze", "ぞ": "zo",
    "だ": "da", "ぢ": "zi", "づ": "zu", "で": "de", "ど": "do",
    "ば": "ba", "び": "bi", "ぶ": "bu", "べ": "be", "ぼ": "bo",
    "ぱ": "pa", "ぴ": "pi", "ぷ": "pu", "ぺ": "pe", "ぽ": "po",
    "ぁ": "a", "ぃ": "i", "ぅ": "u", "ぇ": "e", "ぉ": "o", "ゔ": "bu", "ゎ": "wa",
}
_SMALL_Y = {"ゃ": "a", "ゅ": "u", "ょ": "o"}


def romanise(kana: str) -> str | None:
    """The romanisation of a word in hiragana, in the folded spelling; None if it holds
    anything but kana (a kanji has no reading here)."""
    out: list[str] = []
    double = False
    for ch in kana:
        if ch in _SMALL_Y:
            if not out or not out[-1].endswith("i") or len(out[-1]) < 2:
                return None
            out[-1] = out[-1][:-1] + "y" + _SMALL_Y[ch]  # き+ゃ → kya, し+ゃ → sya
            continue
        if ch == "っ":
            double = True
            continue
        if ch == "ー":
            continue  # a long vowel: folded away like ou / oo
        syllable = _GOJUON.get(ch)
        if syllable is None:
            return None
        if double and syllable[0] not in "aiueon":
            syllable = syllable[0] + syllable
        double = False
        out.append(syllable)
    return fold_latin("".join(out)) if out else None


def fold_word(word: str) -> str:
    """One raw word (see :func:`raw_words`) in its folded spelling."""
    # Only Latin loses its marks: in kana they are the voicing (が is not か), in Hangul the
    # syllable itself.
    return fold_latin(word) if is_latin_word(word) else word


def word_forms(word: str) -> list[str]:
    """The spellings a raw word is found by: folded, and for a kana word its romanisation, for a
    German word with an umlaut its ae/oe/ue spelling."""
    if word.isascii():  # no umlaut, no kana: one spelling
        return [form] if (form := fold_latin(word)) else []
    forms = [fold_word(word)]
    if any(ch in "äöü" for ch in word):
        forms.append(fold_latin(word.translate(_UMLAUTS)))
    if not is_latin_word(word):
        roman = romanise(word)
        if roman:
            forms.append(roman)
    return list(dict.fromkeys(form for form in forms if form))


def is_latin_word(word: str) -> bool:
    return word.isascii() or all(_is_latin(ch) for ch in word)


def folded_text(text: str | None) -> str:
    """A text as its folded words joined by spaces (for matching a short fixed list in memory)."""
    return " ".join(form for word in raw_words(text) for form in word_forms(word))


__all__ = ["to_hiragana", "raw_words", "fold_latin", "romanise", "fold_word", "word_forms",
           "is_latin_word", "folded_text"]
