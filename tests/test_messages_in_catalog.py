"""Every message a user can see goes through the catalog: an error raised with a bare English
string, or a notification or a printed line written as a literal, is never translated and breaks
the Japanese UI. The check reads the source (functions and all), so a new one fails here."""

from __future__ import annotations

import ast
import importlib
import pkgutil
import re
from pathlib import Path

import citynet
from citynet.errors import CitynetError

ROOT = Path(citynet.__file__).parent
TRANSLATORS = {"_", "N_", "NP_", "gettext", "ngettext", "pgettext", "gettext_in", "ngettext_in",
               "pgettext_in", "phrase", "describe", "describe_in", "_l"}
# Words in a literal: anything with two letters in a row is a sentence a person reads.
WORDS = re.compile(r"[A-Za-z]{2}|[\u3040-\u30ff\u4e00-\u9fff]")
# Lines that are not sentences: the program's name before an error, as every command-line tool
# prints it.
ALLOWED_LITERALS = {"citynet: error: "}


def _user_errors() -> set[str]:
    for module in pkgutil.walk_packages([str(ROOT)], prefix="citynet."):
        if not module.name.startswith(("citynet.tui", "citynet.store.migrations", "citynet.__main__")):
            importlib.import_module(module.name)
    names, todo = set(), [CitynetError]
    while todo:
        cls = todo.pop()
        names.add(cls.__name__)
        todo.extend(cls.__subclasses__())
    return names


def _literal_words(node: ast.AST) -> str | None:
    """The words of a literal message (a string, an f-string, or "…".format(…)), else None."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        text = node.value
    elif isinstance(node, ast.JoinedStr):
        text = "".join(v.value for v in node.values
                       if isinstance(v, ast.Constant) and isinstance(v.value, str))
    elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
          and node.func.attr == "format"):
        return _literal_words(node.func.value)
    else:
        return None
    return text if WORDS.search(text) and text not in ALLOWED_LITERALS else None


def _name(func: ast.AST) -> str:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


def _untranslated(tree: ast.AST, errors: set[str]) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call):
            call = node.exc
            # ValidationError(kind, field, message): the message comes third
            position = 2 if _name(call.func) == "ValidationError" else 0
            if _name(call.func) in errors and len(call.args) > position:
                words = _literal_words(call.args[position])
                if words is not None:
                    found.append((node.lineno, words))
        elif isinstance(node, ast.Call) and _name(node.func) in ("notify", "print", "_say"):
            for arg in node.args[:1]:
                words = _literal_words(arg)
                if words is not None:
                    found.append((node.lineno, words))
    return found


def test_no_user_facing_message_bypasses_the_catalog():
    errors = _user_errors()
    problems = []
    for path in sorted(ROOT.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for line, words in _untranslated(tree, errors):
            problems.append(f"{path.relative_to(ROOT.parent)}:{line}: {words!r}")
    assert problems == [], "messages not marked for the catalog:\n" + "\n".join(problems)


def test_the_check_finds_an_untranslated_error_and_a_printed_line():
    source = (
        "def f():\n"
        "    raise NotFound(f'no event {slug}')\n"
        "def g():\n"
        "    print('Written.')\n"
        "def h():\n"
        "    raise NotFound(_('no event {slug}').format(slug=1))\n"
        "    print(_('Written.'))\n")
    assert [line for line, _words in _untranslated(ast.parse(source), {"NotFound"})] == [2, 4]
