"""One error hierarchy: errors carry a msgid and arguments, English as ``str``, translated at the
edge with ``describe`` (the store raises them without importing citynet.i18n)."""

from __future__ import annotations

import pickle

import pytest

from citynet.errors import N_, CitynetError, ConflictError, Message, NotFound
from citynet.i18n import UnsupportedLanguage, describe, describe_in, set_language


@pytest.fixture(autouse=True)
def english_ui():
    set_language("en")
    yield
    set_language("en")


def test_coded_error_is_english_as_str_and_translated_by_describe():
    error = CitynetError(N_("directory does not exist: {directory}"), directory="/nowhere")
    assert str(error) == "directory does not exist: /nowhere"
    assert error.msgid == "directory does not exist: {directory}"
    assert error.params == {"directory": "/nowhere"}
    assert describe(error) == "directory does not exist: /nowhere"
    set_language("ja")
    assert describe(error) == "ディレクトリがありません: /nowhere"
    assert str(error) == "directory does not exist: /nowhere"  # str stays English
    assert describe_in("en", error) == "directory does not exist: /nowhere"


def test_already_translated_message_still_works():
    set_language("ja")
    error = CitynetError("値 {x} は使えません")  # translated and formatted before raising: no arguments
    assert str(error) == describe(error) == "値 {x} は使えません"  # braces are left alone
    assert NotFound("no such thing").msgid == "no such thing"
    assert isinstance(ConflictError("x"), CitynetError)


def test_message_is_a_str_that_can_be_translated():
    note = Message(N_("database {database} upgraded from {before} to {after}"),
                   database="sqlite:///x.db", before="empty", after="0004")
    assert isinstance(note, str) and "empty" in note and "\n" not in note
    assert note == "database sqlite:///x.db upgraded from empty to 0004"
    set_language("ja")
    assert describe(note) != note and "sqlite:///x.db" in describe(note)
    assert describe("plain text") == "plain text"


def test_errors_survive_pickling():
    error = CitynetError(N_("not a database URL: {url}"), url="nope")
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is CitynetError
    assert (copy.msgid, copy.params, str(copy)) == (error.msgid, error.params, str(error))


def test_unsupported_language_is_both_kinds_of_error():
    with pytest.raises(UnsupportedLanguage) as info:
        set_language("fr")
    assert isinstance(info.value, CitynetError) and isinstance(info.value, ValueError)
    assert str(info.value) == "Unsupported language 'fr': use ja or en."


def test_store_errors_are_coded_and_translated_at_the_edge(tmp_path):
    from citynet.store.db import open_database

    missing = tmp_path / "missing" / "c.db"
    with pytest.raises(CitynetError) as info:
        open_database(f"sqlite:///{missing}", create=False)
    assert info.value.params == {"path": missing}
    assert str(info.value).startswith("no citynet database at ")
    set_language("ja")
    assert describe(info.value).startswith(f"{missing} に citynet のデータベースがありません")


def test_cli_prints_store_errors_in_the_ui_language(cli, tmp_path):
    missing = tmp_path / "nowhere"
    url = f"sqlite:///{missing / 'c.db'}"
    code, _out, err = cli("--lang", "ja", "db", "current", "--db", url)
    assert code == 2, err
    assert err.strip() == f"citynet: error: ディレクトリがありません: {missing}"
    code, _out, err = cli("--lang", "en", "db", "current", "--db", url)
    assert code == 2, err
    assert err.strip() == f"citynet: error: directory does not exist: {missing}"
