"""The message catalog and the gettext plumbing.

If this fails after you added strings: run ``python -m citynet.i18n.catalog``, translate the
new or fuzzy entries in locales/ja/LC_MESSAGES/citynet.po, and run the command again.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import citynet.i18n as i18n
from citynet.i18n import (
    _, _l, gettext_in, get_language, ngettext, ngettext_in, resolve_language, set_language,
    translations_for,
)

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def english_ui():
    set_language("en")
    yield
    set_language("en")


def test_japanese_catalog_is_complete():
    catalog = pytest.importorskip("citynet.i18n.catalog")
    problems = catalog.problems("ja", template=catalog.extract())
    assert not problems, (
        "run `python -m citynet.i18n.catalog` and translate in locales/ja/LC_MESSAGES/citynet.po:\n  "
        + "\n  ".join(problems)
    )


def test_catalog_is_read_from_the_po_file():
    assert gettext_in("ja", "then {title}") == "{title}（当時）"
    assert gettext_in("en", "then {title}") == "then {title}"
    assert ngettext_in("ja", "{n} participant", "{n} participants", 2) == "{n}名"


def test_ui_language_switch():
    assert _("time to be confirmed") == "time to be confirmed"
    lazy = _l("time to be confirmed")
    set_language("ja")
    assert get_language() == "ja"
    assert _("time to be confirmed") == "時間未定"
    assert str(lazy) == "時間未定"
    assert ngettext("{n} city", "{n} cities", 3) == "{n}都市"
    assert gettext_in("en", "time to be confirmed") == "time to be confirmed"  # documents choose their own
    set_language("en")
    assert str(lazy) == "time to be confirmed"


def test_set_language_refuses_unknown():
    with pytest.raises(ValueError):
        set_language("fr")


@pytest.fixture
def clean_env(monkeypatch):
    for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(var, raising=False)
    return monkeypatch


def test_resolve_language_order(clean_env):
    clean_env.setenv("LANG", "ja_JP.UTF-8")
    assert resolve_language("en", "ja") == "en"      # --lang first
    assert resolve_language(None, "en") == "en"      # then the config file
    assert resolve_language(None, None) == "ja"      # then the system locale
    assert resolve_language("ja-JP", None) == "ja"
    clean_env.setenv("LC_ALL", "C.UTF-8")
    assert resolve_language(None, None) == "en"      # LC_ALL overrides LANG
    clean_env.delenv("LC_ALL")
    clean_env.setenv("LC_MESSAGES", "ja_JP.eucJP")
    clean_env.setenv("LANG", "en_GB.UTF-8")
    assert resolve_language(None, "") == "ja"


def test_resolve_language_default_is_english(clean_env):
    assert resolve_language(None, None) == "en"


@pytest.mark.parametrize("cli, config", [("fr", None), (None, "deutsch"), ("jp", "ja")])
def test_resolve_language_refuses_invalid(clean_env, cli, config):
    with pytest.raises(ValueError) as info:
        resolve_language(cli, config)
    assert "\n" not in str(info.value)


def test_import_is_light():
    code = "import sys, citynet.i18n; print(sorted(m for m in ('babel', 'textual') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == "[]"


def test_build_hook_puts_compiled_catalog_in_the_package(tmp_path):
    """What a non-editable `pip install .` gets: setup.py's build_py compiles the .po into the
    package, and the installed package finds it without the source tree or Babel."""
    src = tmp_path / "src"
    shutil.copytree(ROOT / "citynet", src / "citynet", ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    shutil.copytree(ROOT / "locales", src / "locales", ignore=shutil.ignore_patterns("*.mo"))
    for name in ("setup.py", "pyproject.toml", "babel.cfg"):
        shutil.copy(ROOT / name, src / name)
    (src / "README.md").write_text("citynet\n")
    out = tmp_path / "out"
    subprocess.run([sys.executable, "setup.py", "-q", "build_py", "--build-lib", str(out)],
                   cwd=src, check=True, capture_output=True)
    assert (out / "citynet" / "i18n" / "locale" / "ja" / "LC_MESSAGES" / "citynet.mo").is_file()
    code = ("import sys, citynet.i18n as i; assert i.SOURCE_LOCALE_DIR is None; i.set_language('ja');"
            "print(i._('time to be confirmed')); print('babel' in sys.modules)")
    env = dict(os.environ, PYTHONPATH=str(out))
    result = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True,
                            text=True, check=True)
    assert result.stdout.split() == ["時間未定", "False"]


def test_missing_catalog_falls_back_to_english(monkeypatch, tmp_path):
    monkeypatch.setattr(i18n, "SOURCE_LOCALE_DIR", None)
    monkeypatch.setattr(i18n, "PACKAGE_LOCALE_DIR", tmp_path)
    i18n.reload_catalogs()
    try:
        assert translations_for("ja").gettext("time to be confirmed") == "time to be confirmed"
    finally:
        monkeypatch.undo()
        i18n.reload_catalogs()


def test_extractor_splits_conditional_msgids():
    import io

    catalog = pytest.importorskip("citynet.i18n.catalog")
    from babel.messages.frontend import parse_keywords

    source = b'phrase("current" if now else "former", lang)\n_("Quit")\nngettext("{n} city", "{n} cities", n)\n'
    found = [m for _l, _f, m, _c in catalog.extract_python(io.BytesIO(source), parse_keywords(catalog.KEYWORDS), (), {})]
    assert found == [("current", None), ("former", None), "Quit", ("{n} city", "{n} cities", None)]


# --- Japanese that reads as a city office writes it ---------------------------------------------

# What the ja catalog must not say, and what it says instead. A weekday may also arrive through a
# placeholder ({weekday}, {given}), so those count as weekdays.
DENIED_JA = [
    ("イベント", "イベント", "行事 (one word for an event)"),
    ("前職", "前職", "退任 (a position that has ended, beside 現職)"),
    ("肩書", "肩書", "立場 for a participant's capacity, 役職 / 役職名 for a title"),
    ("(月)", r"\((?:[月火水木金土日]|\{weekday\}|\{given\})\)", "（月）: full-width parentheses round a weekday"),
    ("->", r"->", "→"),
]


def _ja_messages():
    """(context, msgid, translation) of every form of every entry in the ja catalog."""
    catalog = pytest.importorskip("citynet.i18n.catalog")
    from babel.messages.pofile import read_po

    with catalog.po_path("ja").open("rb") as f:
        po = read_po(f, locale="ja", domain=i18n.DOMAIN)
    for message in po:
        if message.id:
            for text in catalog._forms(message.string):
                yield message.context, catalog._forms(message.id)[0], text


@pytest.mark.parametrize("example, pattern, instead", DENIED_JA, ids=[d[0] for d in DENIED_JA])
def test_japanese_catalog_avoids_denied_terms(example, pattern, instead):
    import re

    rule = re.compile(pattern)
    assert rule.search(example)  # the rule catches what it is meant to catch
    found = [f"{context + ' | ' if context else ''}{msgid!r}: {text!r}"
             for context, msgid, text in _ja_messages() if text and rule.search(text)]
    assert not found, f"use {instead} in locales/ja/LC_MESSAGES/citynet.po:\n  " + "\n  ".join(found)


def test_japanese_punctuation_in_counts_and_questions():
    """「{n}件」 without a space, and no half-width space after ？."""
    import re

    found = [f"{msgid!r}: {text!r}" for _c, msgid, text in _ja_messages()
             if text and re.search(r"\}\s+件|？ ", text)]
    assert not found, "\n  ".join(found)


@pytest.mark.parametrize("context, msgid, ja", [
    (None, "former", "退任"),
    ("document", "Event", "内容"),            # timeline and milestone tables
    (None, "Event", "行事"),
    (None, "Time", "時間"),                   # times alone (programme by day, person screen)
    ("date and time", "Time", "日時"),        # briefing, calendars
    (None, "Capacity (Japanese)", "立場（日本語）"),
    (None, "Known to have ended", "退任済み"),
    (None, "At", "所属"),
    ("position", "Title", "役職名"),
    ("document", "Position", "役職名"),
    (None, "Title", "名称"),                  # an event's or a session's title
    (None, "Family name", "姓（ローマ字）"),
    (None, "Given name", "名（ローマ字）"),
    (None, "Background: {city}", "{city}の概要"),
    (None, "Base year {year}", "{year}比"),
    (None, "Sessions of {city}", "{city}関係セッション"),
    (None, "Room", "会議室"),
    (None, "Venue", "会場"),
    (None, "Value", "数値"),
    (None, "Partner in a city network", "都市ネットワークによる連携"),
    (None, "meeting", "会合"),
    (None, "single name", "名のみ"),
    (None, "Country represented", "代表国"),
    (None, "Overseas countries", "海外の国・地域"),
    (None, "Members over time", "加盟状況の推移"),
    ("conference", "Dates", "会期"),
    (None, "Dates", "日程"),
])
def test_terms_in_their_contexts(context, msgid, ja):
    from citynet.i18n import pgettext_in

    assert (pgettext_in("ja", context, msgid) if context else gettext_in("ja", msgid)) == ja
