"""Extract, update and compile the message catalogs in one command::

    python -m citynet.i18n.catalog           # extract → locales/citynet.pot, update .po files, compile .mo
    python -m citynet.i18n.catalog --check   # also fail (exit 1) on untranslated, fuzzy or stale entries

Sources are the Python files under ``citynet/`` (mapping in ``babel.cfg``), with the keywords in
:data:`KEYWORDS`. Each ``locales/<lang>/LC_MESSAGES/citynet.po`` is updated (created for ``ja`` if
absent); new strings appear untranslated, changed ones fuzzy: translate them and run the command
again. Compiled ``.mo`` files are not committed; installed packages get theirs from ``setup.py``.
"""

from __future__ import annotations

import argparse
import ast
import io
import logging
import re
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.extract import extract_python as babel_extract_python
from babel.messages.frontend import parse_keywords, parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from citynet.i18n import DOMAIN, reload_catalogs

__all__ = ["KEYWORDS", "ROOT", "extract", "extract_python", "update", "compile_catalogs", "problems", "main"]

ROOT = Path(__file__).resolve().parents[2]
LOCALES = ROOT / "locales"
TEMPLATE = LOCALES / f"{DOMAIN}.pot"
TARGET_LANGUAGES = ("ja",)  # msgids are English, so English needs no catalog
# _l: lazy _ for Textual class attributes; NP_: mark only, with a context;
# gettext_in/ngettext_in/pgettext_in: a document's explicit language;
# phrase: citynet.render.pdf.phrases.phrase(msgid, lang).
KEYWORDS = ["_", "_l", "N_", "NP_:1c,2", "gettext", "ngettext:1,2", "pgettext:1c,2", "npgettext:1c,2,3",
            "gettext_in:2", "ngettext_in:2,3", "pgettext_in:2c,3", "phrase:1"]
HEADER = ("# citynet messages ({lang}). Msgids are English.\n"
          "# Update with: python -m citynet.i18n.catalog (see locales/README.md)")
_PLACEHOLDER = re.compile(r"\{[^{}]*\}")

log = logging.getLogger(__name__)


def po_path(lang: str) -> Path:
    return LOCALES / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def extract() -> Catalog:
    """All marked strings under citynet/, as a template catalog."""
    with (ROOT / "babel.cfg").open() as f:
        method_map, options_map = parse_mapping_cfg(f)
    template = Catalog(project="citynet", domain=DOMAIN, charset="utf-8", header_comment=HEADER.format(lang="template"))
    for filename, lineno, message, comments, context in extract_from_dir(
        ROOT / "citynet", method_map, options_map, keywords=parse_keywords(KEYWORDS),
        comment_tags=("TRANSLATORS:",), strip_comment_tags=True,
    ):
        location = f"citynet/{Path(filename).as_posix()}"
        template.add(message, None, [(location, lineno)], auto_comments=comments, context=context)
    return template


def extract_python(fileobj, keywords, comment_tags, options):
    """Babel's Python extractor, except that ``f("a" if c else "b", ...)`` gives the two msgids
    "a" and "b" (Babel's token reader joins them into one msgid "ab"). Used through babel.cfg."""
    source = fileobj.read()
    splits = {}
    try:
        calls = [n for n in ast.walk(ast.parse(source)) if isinstance(n, ast.Call)]
    except SyntaxError:
        calls = []
    for call in calls:
        name = getattr(call.func, "id", None) or getattr(call.func, "attr", None)
        for arg in call.args if name in keywords else ():
            branches = (arg.body, arg.orelse) if isinstance(arg, ast.IfExp) else ()
            if branches and all(isinstance(b, ast.Constant) and isinstance(b.value, str) for b in branches):
                splits[(name, branches[0].value + branches[1].value)] = (branches[0].value, branches[1].value)
    for lineno, funcname, messages, comments in babel_extract_python(io.BytesIO(source), keywords,
                                                                     comment_tags, options):
        parts = messages if isinstance(messages, tuple) else (messages,)
        joined = next((m for m in parts if (funcname, m) in splits), None)
        if joined is None:
            yield lineno, funcname, messages, comments
            continue
        for branch in splits[(funcname, joined)]:
            new = tuple(branch if m == joined else m for m in parts)
            yield lineno, funcname, new if isinstance(messages, tuple) else new[0], comments


def update(template: Catalog) -> None:
    """Write the template and merge it into each language's .po."""
    LOCALES.mkdir(exist_ok=True)
    _write_if_changed(TEMPLATE, template)
    for lang in TARGET_LANGUAGES:
        path = po_path(lang)
        if path.exists():
            with path.open("rb") as f:
                catalog = read_po(f, locale=lang, domain=DOMAIN)
            catalog.update(template, update_creation_date=False)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            catalog = Catalog(locale=lang, domain=DOMAIN, project="citynet", charset="utf-8", fuzzy=False,
                              header_comment=HEADER.format(lang=lang))
            catalog.update(template, update_creation_date=False)
        _write_if_changed(path, catalog)


def _write_if_changed(path: Path, catalog: Catalog) -> None:
    """Rewrite a .po/.pot only when more than its creation date changed (quiet git diffs)."""
    buf = io.BytesIO()
    write_po(buf, catalog, include_lineno=False, sort_output=True, ignore_obsolete=True)
    strip = lambda data: re.sub(rb'"POT-Creation-Date: [^"]*"\n', b"", data)  # noqa: E731
    if not path.exists() or strip(path.read_bytes()) != strip(buf.getvalue()):
        path.write_bytes(buf.getvalue())


def compile_catalogs() -> list[Path]:
    """locales/<lang>/LC_MESSAGES/citynet.po → .mo beside it (fuzzy entries left out)."""
    written = []
    for path in sorted(LOCALES.glob(f"*/LC_MESSAGES/{DOMAIN}.po")):
        with path.open("rb") as f:
            catalog = read_po(f, domain=DOMAIN)
        with path.with_suffix(".mo").open("wb") as f:
            write_mo(f, catalog)
        written.append(path.with_suffix(".mo"))
    reload_catalogs()
    return written


def problems(lang: str = "ja", template: Catalog | None = None) -> list[str]:
    """Untranslated, fuzzy, placeholder-mismatched and (given a template) missing msgids."""
    with po_path(lang).open("rb") as f:
        catalog = read_po(f, locale=lang, domain=DOMAIN)
    found = []
    for message in catalog:
        if not message.id:
            continue
        ids = _forms(message.id)
        strings = _forms(message.string)
        if message.fuzzy:
            found.append(f"fuzzy: {ids[0]!r}")
        elif not all(strings):
            found.append(f"untranslated: {ids[0]!r}")
        elif any(set(_PLACEHOLDER.findall(s)) != set(_PLACEHOLDER.findall(ids[-1])) for s in strings):
            found.append(f"placeholders differ: {ids[0]!r}")
    if template is not None:
        for message in template:
            if message.id and catalog.get(message.id, message.context) is None:
                found.append(f"missing from {lang} catalog: {message.id!r}")
    return found


def _forms(value: str | tuple[str, ...] | list[str] | None) -> tuple[str, ...]:
    """A message's id or string as a tuple of its forms (several for plurals; none: one empty)."""
    if value is None:
        return ("",)
    return (value,) if isinstance(value, str) else tuple(value)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m citynet.i18n.catalog", description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if any catalog entry needs work")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    template = extract()
    update(template)
    for path in compile_catalogs():
        log.info("compiled %s", path.relative_to(ROOT))
    log.info("%d messages in %s", len(template), TEMPLATE.relative_to(ROOT))
    issues = [f"{lang}: {p}" for lang in TARGET_LANGUAGES for p in problems(lang)]
    for issue in issues:
        log.warning("%s", issue)
    return 1 if issues and args.check else 0


if __name__ == "__main__":
    sys.exit(main())
