"""CSV and XLSX: importing cities, organisations, people and participants; exporting lists.

Reading a file:
- CSV in UTF-8 (with or without BOM), UTF-16 with BOM, or CP932 (Shift_JIS, as Japanese Excel
  saves it): UTF-8 is tried strictly first, then CP932; comma- or tab-separated;
- XLSX: the first sheet, through openpyxl;
- the first row names the columns, in Japanese or English (:data:`ALIASES`, plus the headers
  :func:`export_contacts` writes, in both languages); ``--map COL=field`` names any other column
  (``--map COL=-`` ignores it); columns nobody knows are reported and ignored.

Importing is one transaction: every row is checked with the rules of the forms
(:mod:`citynet.services.validation`) and written; a rejected row names its row number (as the
spreadsheet numbers it, the header being row 1) and the problem. With any rejection nothing is
written unless ``skip_invalid``; ``dry_run`` runs everything and then rolls back, so what it
reports is exactly what the import would do. A kill half-way leaves the database as it was.

Importing the same file twice creates nothing new: a row matches an existing record by slug when
it has one, else by a natural key (a city by country and name, an organisation by name or
abbreviation, a person by names and organisation, a position by holder, body and title, a
participant by session and person/position). A matched record is updated with the non-empty
cells that differ; empty cells never erase anything. New slugs come from
:func:`citynet.services.browse.suggest_slug`.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Callable

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError

from citynet.errors import CitynetError
from citynet.i18n import N_, _, gettext_in
from citynet.services.validation import ValidationError, coerce_value, validate_values
from citynet.store import models as m

IMPORT_KINDS = ("cities", "organisations", "people", "participants")
PROGRESS_EVERY = 1000

# --- reading files ------------------------------------------------------------------------------


def decode_csv(data: bytes) -> str:
    """The text of a CSV file: UTF-16 by its BOM, else UTF-8 (BOM optional), else CP932."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    for encoding in ("utf-8-sig", "cp932"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise CitynetError(_("cannot read the file's encoding: save it as UTF-8 or Shift_JIS (CP932)"))


def _cell(value) -> str | None:
    """A cell as text (None when empty): XLSX dates as ISO dates, whole numbers without .0."""
    if value is None:
        return None
    if isinstance(value, datetime):
        value = value.date() if (value.hour, value.minute, value.second) == (0, 0, 0) else value
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value).strip().strip("\u3000").strip()
    return text or None


def read_rows(path: Path, fmt: str) -> tuple[list[str], list[tuple[int, list[str | None]]]]:
    """(headers, [(row number, cells)]) of a CSV or XLSX file; blank rows are left out."""
    if not path.is_file():
        raise CitynetError(_("no such file: {path}").format(path=path))
    if fmt == "csv":
        text = decode_csv(path.read_bytes())
        first = text.split("\n", 1)[0]
        delimiter = "\t" if first.count("\t") > first.count(",") else ","
        try:
            raw = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
        except csv.Error as error:
            raise CitynetError(_("cannot read {path}: {reason}").format(path=path, reason=error)) from None
    else:
        import zipfile

        from openpyxl import load_workbook

        try:
            book = load_workbook(path, read_only=True, data_only=True)
        except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
            raise CitynetError(_("cannot read {path}: {reason}").format(path=path, reason=error)) from None
        try:
            raw = [list(row) for row in book.worksheets[0].iter_rows(values_only=True)]
        finally:
            book.close()
    rows = [(number, [_cell(v) for v in cells]) for number, cells in enumerate(raw, start=1)]
    rows = [(number, cells) for number, cells in rows if any(cells)]
    if not rows:
        raise CitynetError(_("the file is empty: {path}").format(path=path))
    (_number, headers), data = rows[0], rows[1:]
    return [h or "" for h in headers], data


# --- headers ------------------------------------------------------------------------------------


def normalise_header(text: str) -> str:
    """NFKC, lower case, brackets and separators as single spaces, no required-field stars."""
    text = unicodedata.normalize("NFKC", text or "").casefold()
    text = re.sub(r"[*※]", "", text)
    text = re.sub(r"[\s_\-・:()\[\]/]+", " ", text)
    return text.strip()


# Field → headers a user may write. A field ending in "*" takes the Japanese or English column
# by the text of each cell (Japanese characters → *_ja, else *_en).
_NAMES_JA = ("名称", "名称 日本語", "日本語名", "名前 日本語", "name ja", "name japanese")
_NAMES_EN = ("名称 英語", "英語名", "英文名", "name en", "name english", "english name")
_COMMON = {
    "slug": ("slug", "スラッグ", "識別子", "id"),
    "notes*": ("備考", "メモ", "notes", "note", "remarks", "comments"),
    "notes_ja": ("備考 日本語", "notes ja"),
    "notes_en": ("備考 英語", "notes en"),
}
ALIASES: dict[str, dict[str, tuple[str, ...]]] = {
    "cities": {
        **_COMMON,
        "name_ja": ("都市名", "都市", "都市名 日本語", *_NAMES_JA),
        "name_en": ("city", "city name", "都市名 英語", "name", *_NAMES_EN),
        "name_kana": ("読み", "よみ", "読み仮名", "よみがな", "ふりがな", "フリガナ", "reading", "kana",
                      "name kana"),
        "country": ("国", "国名", "国 地域", "country", "country code", "国コード"),
        "region*": ("地域", "州", "県", "州 県", "region", "state", "province"),
        "region_ja": ("region ja",),
        "region_en": ("region en",),
        "timezone": ("タイムゾーン", "時間帯", "時差", "time zone", "timezone", "tz", "iana time zone"),
        "latitude": ("緯度", "latitude", "lat"),
        "longitude": ("経度", "longitude", "lon", "lng", "long"),
    },
    "organisations": {
        **_COMMON,
        "name_ja": ("団体名", "組織名", "機関名", "所属名", *_NAMES_JA),
        "name_en": ("organisation", "organization", "organisation name", "organization name",
                    "name", *_NAMES_EN),
        "name_kana": ("読み", "よみ", "よみがな", "ふりがな", "フリガナ", "reading", "kana"),
        "abbreviation": ("略称", "abbreviation", "acronym", "short name"),
        "kind": ("種別", "区分", "種類", "kind", "type", "category"),
        "country": ("国", "国名", "country", "country code"),
        "city": ("都市", "所在都市", "所在地", "city"),
    },
    "people": {
        **_COMMON,
        "family_name_ja": ("姓", "氏", "苗字", "名字", "姓 日本語", "family name ja"),
        "given_name_ja": ("名", "名 日本語", "given name ja"),
        "full_name_ja": ("氏名", "名前", "氏名 日本語"),
        "family_name_latin": ("family name", "last name", "surname", "姓 ローマ字", "姓 英字",
                              "family name latin"),
        "given_name_latin": ("given name", "first name", "forename", "名 ローマ字", "名 英字",
                             "given name latin"),
        "full_name_latin": ("name", "full name", "氏名 ローマ字", "氏名 英字", "name latin"),
        "name_kana": ("読み", "よみ", "よみがな", "ふりがな", "フリガナ", "reading", "kana", "氏名 よみ"),
        "name_katakana": ("カタカナ", "カタカナ表記", "katakana"),
        "name_order": ("姓名の順", "name order"),
        "honorific*": ("敬称", "honorific"),
        "email": ("メール", "メールアドレス", "eメール", "e mail", "email", "email address", "mail"),
        "phone": ("電話", "電話番号", "tel", "phone", "telephone", "phone number"),
        "title*": ("役職", "肩書", "役職名", "職名", "title", "position", "job title"),
        "title_ja": ("役職 日本語", "title ja"),
        "title_en": ("役職 英語", "title en"),
        "organisation": ("所属", "所属先", "所属団体", "団体", "組織", "organisation", "organization",
                         "affiliation"),
        "city": ("都市", "所属都市", "city"),
        "start": ("就任", "就任日", "開始", "開始日", "from", "start", "since"),
        "end": ("退任", "退任日", "終了", "終了日", "until", "end", "to"),
    },
    "participants": {
        "event": ("イベント", "行事", "事業", "event", "event slug"),
        "session": ("セッション", "プログラム", "session", "session slug"),
        "person": ("人物", "参加者", "氏名", "名前", "person", "participant", "name"),
        "position": ("役職", "肩書", "position", "title"),
        "role": ("役割", "区分", "role"),
        "capacity*": ("立場", "capacity"),
        "sort_order": ("順番", "順", "order", "sort order"),
    },
}

# The columns the contacts export writes (msgids; the file carries them in the UI language).
CONTACT_COLUMNS = (
    ("slug", N_("Slug")), ("family_name_ja", N_("Family name (Japanese)")),
    ("given_name_ja", N_("Given name (Japanese)")), ("family_name_latin", N_("Family name")),
    ("given_name_latin", N_("Given name")), ("name_kana", N_("Reading")),
    ("title_ja", N_("Job title (Japanese)")), ("title_en", N_("Job title (English)")),
    ("organisation", N_("Organisation")), ("city", N_("City")),
    ("email", N_("Email")), ("phone", N_("Phone")),
)
PARTICIPANT_COLUMNS = (N_("Session"), N_("Date"), N_("Role"), N_("Name"), N_("Job title"),
                       N_("Affiliation"), N_("Country"))


def _model_fields(kind: str) -> set[str]:
    model = {"cities": m.City, "organisations": m.Organisation, "people": m.Person}.get(kind)
    if model is None:
        return set()
    managed = {"id", "created_at", "updated_at", "revision", "updated_by", "search_key", "sort_key",
               "is_home"}
    return {c.name for c in model.__table__.columns if c.name not in managed}


def known_fields(kind: str) -> list[str]:
    return sorted(set(ALIASES[kind]) | _model_fields(kind))


def _alias_table(kind: str) -> dict[str, str]:
    table: dict[str, str] = {}
    for name in _model_fields(kind):
        table[normalise_header(name)] = name
    for name, aliases in ALIASES[kind].items():
        table[normalise_header(name.rstrip("*"))] = name
        for alias in aliases:
            table[normalise_header(alias)] = name
    if kind == "people":  # what the contacts export writes, in either language
        for name, msgid in CONTACT_COLUMNS:
            for lang in ("en", "ja"):
                table.setdefault(normalise_header(gettext_in(lang, msgid)), name)
    return table


@dataclass
class ColumnPlan:
    fields: dict[int, str]  # column index → field
    headers: dict[str, str]  # field → the header as written in the file
    ignored: list[str]


def plan_columns(kind: str, headers: list[str], mapping: dict[str, str]) -> ColumnPlan:
    known = set(known_fields(kind))
    aliases = _alias_table(kind)
    user = {normalise_header(column): target for column, target in mapping.items()}
    for column, target in mapping.items():
        if target != "-" and target not in known:
            raise CitynetError(_("--map {column}={field}: no such field for {kind}; fields: {fields}")
                               .format(column=column, field=target, kind=kind,
                                       fields=", ".join(sorted(f.rstrip("*") for f in known))))
    unused = set(user) - {normalise_header(h) for h in headers}
    if unused:
        raise CitynetError(_("--map names a column the file does not have: {column}").format(
            column=sorted(unused)[0]))
    fields: dict[int, str] = {}
    by_field: dict[str, str] = {}
    ignored: list[str] = []
    for index, header in enumerate(headers):
        key = normalise_header(header)
        if not key:
            continue
        target = user.get(key) or aliases.get(key)
        if target is None and key.rstrip("*") + "*" in known:
            target = key + "*"
        if target is None or target == "-":
            ignored.append(header)
            continue
        target = target if target in known else target + "*" if target + "*" in known else target
        if target in by_field:
            raise CitynetError(_("two columns give {field}: {first} and {second}; use --map").format(
                field=target.rstrip("*"), first=by_field[target], second=header))
        by_field[target] = header
        fields[index] = target
    return ColumnPlan(fields, by_field, ignored)


# --- values -------------------------------------------------------------------------------------

_JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff\uff66-\uff9f々〆ヵヶ]")


def has_japanese(text: str) -> bool:
    return bool(_JAPANESE.search(text))


def _key(text: str | None) -> str:
    """A matching key: NFKC, case-folded, without spaces or middle dots."""
    return re.sub(r"[\s・･.]+", "", unicodedata.normalize("NFKC", text or "").casefold())


_COUNTRY_NAMES: dict[str, str] | None = None


def country_code(text: str) -> str:
    """JP, jp, 日本, Japan, マレーシア, Malaysia → the ISO code; else ValidationError."""
    global _COUNTRY_NAMES
    from citynet.services.validation import _countries

    candidate = unicodedata.normalize("NFKC", text).strip()
    if candidate.upper() in _countries():
        return candidate.upper()
    if _COUNTRY_NAMES is None:
        from babel import Locale

        from citynet.i18n.format import COUNTRY_OVERRIDES

        names: dict[str, str] = {}
        for lang in ("en", "ja"):
            for code, name in Locale(lang).territories.items():
                if code in _countries():
                    names.setdefault(_key(name), code)
            for code, name in COUNTRY_OVERRIDES.get(lang, {}).items():
                names[_key(name)] = code
        names.update({_key("日本国"): "JP", _key("USA"): "US", _key("UK"): "GB",
                      _key("アメリカ"): "US", _key("イギリス"): "GB", _key("韓国"): "KR"})
        _COUNTRY_NAMES = names
    code = _COUNTRY_NAMES.get(_key(candidate))
    if code is None:
        raise ValidationError("country", _("unknown country: {value!r} (use a code such as JP or a "
                                           "country name)").format(value=text))
    return code


def default_time_zone(country: str | None) -> str | None:
    """The country's time zone when it has only one (JP → Asia/Tokyo), else None."""
    if not country:
        return None
    from babel.core import get_global

    zones = get_global("territory_zones").get(country, [])
    return zones[0] if len(zones) == 1 else None


def vocabulary_code(field_name: str, vocabulary: str, text: str) -> str:
    """A vocabulary code from its code or its label in Japanese or English."""
    from citynet.i18n.vocabulary import VOCABULARIES

    words = VOCABULARIES[vocabulary]
    key = _key(text)
    for code, msgid in words.items():
        if key in (_key(code), _key(msgid), _key(gettext_in("ja", msgid)), _key(gettext_in("en", msgid))):
            return code
    raise ValidationError(field_name, _("must be one of: {values}").format(values=", ".join(words)))


def fuzzy_date(field_name: str, text: str) -> str:
    """A fuzzy date (2009, 2019-07, 2022-11-22, FY2026) from what a user typed (令和元年5月 …)."""
    from citynet.i18n.eras import DateInputError, normalise_input, parse_fiscal_year, parse_partial_date

    compact = normalise_input(text)
    try:
        if re.fullmatch(r"(?i)fy[0-9]{4}|.*年度", compact):
            return f"FY{parse_fiscal_year(text):04d}"
        year, month, day = parse_partial_date(text)
    except DateInputError as error:
        raise ValidationError(field_name, str(error)) from None
    return f"{year:04d}" + (f"-{month:02d}" if month else "") + (f"-{day:02d}" if day else "")


def _number(field_name: str, text: str) -> float:
    try:
        return float(unicodedata.normalize("NFKC", text).replace(",", ""))
    except ValueError:
        raise ValidationError(field_name, _("not a number: {value!r}").format(value=text)) from None


def split_name_ja(text: str) -> tuple[str | None, str | None]:
    parts = text.replace("\u3000", " ").split()
    if len(parts) >= 2:
        return parts[0], " ".join(parts[1:])
    return text.strip(), None


def split_name_latin(text: str) -> tuple[str | None, str | None, str]:
    """(family, given, name order) from "SHIMIZU Hayato", "Kurz, Peter" or "Peter Kurz"."""
    text = " ".join(text.split())
    if "," in text:
        family, given = (p.strip() for p in text.split(",", 1))
        return family or None, given or None, "given_first"
    parts = text.split(" ")
    if len(parts) == 1:
        return parts[0], None, "single"
    if parts[0].isupper() and len(parts[0]) > 1 and not parts[-1].isupper():
        return parts[0], " ".join(parts[1:]), "family_first"
    return parts[-1], " ".join(parts[:-1]), "given_first"


# --- the import ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rejection:
    row: int
    message: str


@dataclass(frozen=True)
class Action:
    row: int
    action: str  # create | update | unchanged
    table: str
    slug: str | None
    fields: tuple[str, ...] = ()


@dataclass
class ImportReport:
    kind: str
    rows: int = 0
    actions: list[Action] = field(default_factory=list)
    rejected: list[Rejection] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    dry_run: bool = False
    written: bool = False

    def count(self, action: str) -> int:
        return sum(1 for a in self.actions if a.action == action)


class RowProblem(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class _Table:
    """The rows of one table as the import sees them, with its slugs and natural keys."""

    def __init__(self, connection: Connection, model, keys: Callable[[dict], list]):
        self.model, self.table, self.keys_of = model, model.__table__, keys
        self.by_id: dict[int, dict] = {}
        self.by_slug: dict[str, int] = {}
        self.by_key: dict[tuple, list[int]] = {}
        for row in connection.execute(sa.select(self.table)).mappings():
            self._remember(dict(row))

    def _remember(self, row: dict) -> None:
        self.by_id[row["id"]] = row
        if "slug" in row:
            self.by_slug[row["slug"]] = row["id"]
        for key in self.keys_of(row):
            if key is not None:
                ids = self.by_key.setdefault(key, [])
                if row["id"] not in ids:
                    ids.append(row["id"])

    def find(self, keys: list) -> list[int]:
        for key in keys:
            if key is not None and self.by_key.get(key):
                return self.by_key[key]
        return []

    def unique_slug(self, base: str | None, fallback: str) -> str:
        base = (base or fallback)[:70].strip("-") or fallback
        slug, n = base, 2
        while slug in self.by_slug:
            slug, n = f"{base}-{n}", n + 1
        return slug


def _hash_slug(prefix: str, *texts: str | None) -> str:
    digest = hashlib.sha1("|".join(t or "" for t in texts).encode("utf-8")).hexdigest()[:8]
    return f"{prefix}-{digest}"


def _city_key(text: str | None) -> str:
    """A city's matching key: ミュンスター市 and ミュンスター, Saitama City and Saitama meet."""
    key = _key(text)
    for suffix in ("市", "city"):
        if key.endswith(suffix) and len(key) > len(suffix) + 1:
            return key[:-len(suffix)]
    return key


def _city_keys(row: dict) -> list:
    return [("en", row.get("country"), _city_key(row.get("name_en"))) if row.get("name_en") else None,
            ("ja", row.get("country"), _city_key(row.get("name_ja"))) if row.get("name_ja") else None,
            ("any-en", _city_key(row.get("name_en"))) if row.get("name_en") else None,
            ("any-ja", _city_key(row.get("name_ja"))) if row.get("name_ja") else None]


def _organisation_keys(row: dict) -> list:
    return [("ja", _key(row.get("name_ja"))) if row.get("name_ja") else None,
            ("en", _key(row.get("name_en"))) if row.get("name_en") else None,
            ("abbr", _key(row.get("abbreviation"))) if row.get("abbreviation") else None]


def _person_keys(row: dict) -> list:
    ja = _key((row.get("family_name_ja") or "") + (row.get("given_name_ja") or ""))
    latin_parts = sorted(_key(x) for x in (row.get("family_name_latin"), row.get("given_name_latin")) if x)
    return [("ja", ja) if ja else None, ("latin", tuple(latin_parts)) if latin_parts else None]


def _position_keys(row: dict) -> list:
    body = (row.get("city_id"), row.get("organisation_id"))
    holder = row.get("person_id")
    return [("ja", holder, body, _key(row.get("title_ja"))) if row.get("title_ja") else None,
            ("en", holder, body, _key(row.get("title_en"))) if row.get("title_en") else None]


def _participant_keys(row: dict) -> list:
    return [(row.get("session_id"), row.get("person_id"), row.get("position_id"))]


class Importer:
    def __init__(self, connection: Connection, kind: str, plan: ColumnPlan):
        from citynet.services.history import current_user

        self.c, self.kind, self.plan = connection, kind, plan
        self.user = current_user()
        self.now = m.utcnow()
        self.cities = _Table(connection, m.City, _city_keys)
        self.organisations = _Table(connection, m.Organisation, _organisation_keys)
        if kind in ("people", "participants"):
            self.people = _Table(connection, m.Person, _person_keys)
            self.positions = _Table(connection, m.Position, _position_keys)
        if kind == "participants":
            self.events = _Table(connection, m.Event, lambda row: [])
            self.sessions = _Table(connection, m.Session, lambda row: [("event", row["event_id"])])
            self.participants = _Table(connection, m.SessionParticipant, _participant_keys)
        self.actions: list[Action] = []

    # -- helpers --

    def header(self, field_name: str) -> str:
        for name in (field_name, field_name.rsplit("_", 1)[0] + "*"):
            if name in self.plan.headers:
                return self.plan.headers[name]
        return field_name

    def problem(self, error: ValidationError) -> RowProblem:
        return RowProblem(f"{self.header(error.field)}: {error.message}")

    @staticmethod
    def values_of(cells: dict) -> dict:
        """Cells → field values, a "*" field split by language."""
        values = {}
        for name, text in cells.items():
            if text is None:
                continue
            if name.endswith("*"):
                base = name[:-1]
                values[f"{base}_ja" if has_japanese(text) else f"{base}_en"] = text
            else:
                values[name] = text
        return values

    def clean(self, model, values: dict) -> dict:
        out = {}
        for name, raw in values.items():
            try:
                out[name] = coerce_value(model, name, raw)
            except ValidationError as error:
                raise self.problem(error) from None
        return out

    def validate(self, model, full: dict) -> None:
        try:
            validate_values(model, full)
        except ValidationError as error:
            raise self.problem(error) from None

    def _stamps(self, model, full: dict) -> dict:
        from citynet.services.search import has_search_key, person_sort_key, search_key_for

        stamps = {}
        columns = model.__table__.columns
        if "updated_by" in columns:
            stamps["updated_by"] = self.user
        if "search_key" in columns and has_search_key(model):
            stamps["search_key"] = search_key_for(model, full)
        if "sort_key" in columns and model is m.Person:
            stamps["sort_key"] = person_sort_key(full)
        return stamps

    def save(self, number: int, store: _Table, values: dict, existing_id: int | None,
             slug_base: str | None, slug_fallback: str, label: str | None = None) -> int:
        """Create or update one record (values already clean); returns its id."""
        model = store.model
        editable = [c.name for c in model.__table__.columns
                    if c.name not in ("id", "created_at", "updated_at", "revision", "updated_by",
                                      "search_key", "sort_key")]
        if existing_id is None:
            probe = model()
            full = {name: getattr(probe, name) for name in editable}
            full.update(values)
            if "slug" in editable and not full.get("slug"):
                full["slug"] = store.unique_slug(slug_base, slug_fallback)
            elif "slug" in editable and full["slug"] in store.by_slug:
                raise RowProblem(_("{column}: that slug is already in use").format(
                    column=self.header("slug")))
            self.validate(model, full)
            row = {**full, "created_at": self.now, "updated_at": self.now, "revision": 1,
                   **self._stamps(model, full)}
            new_id = self.c.execute(sa.insert(store.table).values(**row)).inserted_primary_key[0]
            store._remember({**row, "id": new_id})
            self.actions.append(Action(number, "create", store.table.name, full.get("slug") or label))
            return new_id
        current = store.by_id[existing_id]
        changes = {k: v for k, v in values.items() if k != "slug" and current.get(k) != v}
        if not changes:
            self.actions.append(Action(number, "unchanged", store.table.name, current.get("slug") or label))
            return existing_id
        full = {name: current.get(name) for name in editable}
        full.update(changes)
        self.validate(model, full)
        stamps = {"updated_at": self.now, "revision": current["revision"] + 1,
                  **self._stamps(model, full)}
        self.c.execute(sa.update(store.table).where(store.table.c.id == existing_id)
                       .values(**changes, **stamps))
        store._remember({**current, **changes, **stamps})
        self.actions.append(Action(number, "update", store.table.name, current.get("slug") or label,
                                   tuple(sorted(changes))))
        return existing_id

    def one(self, store: _Table, ids: list[int], what: str, text: str) -> int | None:
        if len(ids) > 1:
            raise RowProblem(_("{what} {text!r} is ambiguous ({n} records); give its slug").format(
                what=what, text=text, n=len(ids)))
        return ids[0] if ids else None

    def find_city(self, text: str) -> int:
        store = self.cities
        found = store.by_slug.get(text)
        if found is None:
            found = self.one(store, store.find([("any-ja", _city_key(text)), ("any-en", _city_key(text))]),
                             self.header("city"), text)
        if found is None:
            raise RowProblem(_("{column}: no city {text!r}").format(column=self.header("city"), text=text))
        return found

    def find_organisation(self, text: str) -> int:
        store = self.organisations
        found = store.by_slug.get(text)
        if found is None:
            found = self.one(store, store.find([("ja", _key(text)), ("en", _key(text)),
                                                 ("abbr", _key(text))]),
                             self.header("organisation"), text)
        if found is None:
            raise RowProblem(_("{column}: no organisation {text!r}").format(
                column=self.header("organisation"), text=text))
        return found

    # -- the kinds --

    def city(self, number: int, cells: dict) -> None:
        values = self.values_of(cells)
        try:
            if "country" in values:
                values["country"] = country_code(values["country"])
            for name in ("latitude", "longitude"):
                if name in values:
                    values[name] = _number(name, values[name])
        except ValidationError as error:
            raise self.problem(error) from None
        values = self.clean(m.City, values)
        store = self.cities
        existing = store.by_slug.get(values["slug"]) if values.get("slug") else None
        if existing is None:
            if not (values.get("name_ja") or values.get("name_en")):
                raise RowProblem(_("a city needs a name (Japanese or English)"))
            if not values.get("country"):
                raise RowProblem(_("{column}: a value is required").format(column=self.header("country")))
            existing = self.one(store, store.find(_city_keys(values)[:2]), _("city"),
                                values.get("name_en") or values.get("name_ja"))
        if existing is None and "timezone" not in values:
            zone = default_time_zone(values.get("country"))
            if zone is None:
                raise RowProblem(_("{column}: a value is required ({country} has several time zones)")
                                 .format(column=self.header("timezone"), country=values["country"]))
            values["timezone"] = zone
        self.save(number, store, values, existing,
                  _suggest(values.get("name_en")), _hash_slug("city", values.get("country"), values.get("name_ja")))

    def organisation(self, number: int, cells: dict) -> None:
        values = self.values_of(cells)
        try:
            if "country" in values:
                values["country"] = country_code(values["country"])
            if "kind" in values:
                values["kind"] = vocabulary_code("kind", "organisation_kind", values["kind"])
        except ValidationError as error:
            raise self.problem(error) from None
        city = values.pop("city", None)
        if city is not None:
            values["city_id"] = self.find_city(city)
        values = self.clean(m.Organisation, values)
        store = self.organisations
        existing = store.by_slug.get(values["slug"]) if values.get("slug") else None
        if existing is None:
            if not (values.get("name_ja") or values.get("name_en")):
                raise RowProblem(_("an organisation needs a name (Japanese or English)"))
            existing = self.one(store, store.find(_organisation_keys(values)), _("organisation"),
                                values.get("name_en") or values.get("name_ja"))
            if existing is None:
                values.setdefault("kind", "other")
        self.save(number, store, values, existing,
                  _suggest(values.get("abbreviation"), values.get("name_en")),
                  _hash_slug("organisation", values.get("name_ja")))

    def person(self, number: int, cells: dict) -> None:
        values = self.values_of(cells)
        if "full_name_ja" in values:
            family, given = split_name_ja(values.pop("full_name_ja"))
            values.setdefault("family_name_ja", family)
            if given:
                values.setdefault("given_name_ja", given)
        if "full_name_latin" in values:
            family, given, order = split_name_latin(values.pop("full_name_latin"))
            values.setdefault("family_name_latin", family)
            if given:
                values.setdefault("given_name_latin", given)
            if "family_name_ja" not in values:
                values.setdefault("name_order", order)
        position = {k: values.pop(k) for k in ("title_ja", "title_en", "organisation", "city",
                                               "start", "end") if k in values}
        try:
            if "name_order" in values:
                values["name_order"] = vocabulary_code("name_order", "name_order", values["name_order"])
            for name in ("start", "end"):
                if name in position:
                    position[name] = fuzzy_date(name, position[name])
        except ValidationError as error:
            raise self.problem(error) from None
        values = self.clean(m.Person, values)
        body = {}
        if position.get("organisation"):
            try:
                body["organisation_id"] = self.find_organisation(position["organisation"])
            except RowProblem:
                try:  # 所属: ミュンスター — a city government is often named by its city
                    body["city_id"] = self.find_city(position["organisation"])
                except RowProblem:
                    raise RowProblem(_("{column}: no organisation or city {text!r}").format(
                        column=self.header("organisation"), text=position["organisation"])) from None
        elif position.get("city"):
            body["city_id"] = self.find_city(position["city"])
        store = self.people
        existing = store.by_slug.get(values["slug"]) if values.get("slug") else None
        if existing is None:
            candidates = store.find(_person_keys(values))
            if body and len(candidates) > 1:  # the same name at the same organisation or city
                holding = {p["person_id"] for p in self.positions.by_id.values()
                           if p.get("organisation_id") == body.get("organisation_id")
                           and p.get("city_id") == body.get("city_id")}
                candidates = [c for c in candidates if c in holding] or candidates
            existing = self.one(store, candidates, _("person"),
                                " ".join(v for v in (values.get("family_name_ja"), values.get("given_name_ja"),
                                                     values.get("family_name_latin")) if v))
        title = {k: position[k] for k in ("title_ja", "title_en") if position.get(k)}
        if (title or position.get("start") or position.get("end")) and not body:
            raise RowProblem(_("{column}: a title needs an organisation or a city").format(
                column=self.header("title_ja")))
        if body and not title:
            raise RowProblem(_("{column}: an organisation or city needs a title").format(
                column=self.header("organisation")))
        # Check the position before anything of the row is written.
        if title:
            self.validate(m.Position, {**body, **title, "slug": "probe",
                                       "start": position.get("start"), "end": position.get("end")})
        person_id = self.save(number, store, values, existing,
                              _suggest(" ".join(x for x in (values.get("given_name_latin"),
                                                             values.get("family_name_latin")) if x)),
                              _hash_slug("person", values.get("family_name_ja"), values.get("given_name_ja")))
        if title:
            row = {"person_id": person_id, "city_id": body.get("city_id"),
                   "organisation_id": body.get("organisation_id"), **title}
            positions = self.positions
            found = positions.find(_position_keys(row))
            pos_values = {**row, **{k: position[k] for k in ("start", "end") if position.get(k)}}
            body_slug = (self.organisations.by_id[body["organisation_id"]]["slug"] if "organisation_id" in body
                         else self.cities.by_id[body["city_id"]]["slug"])
            person_slug = store.by_id[person_id]["slug"]
            self.save(number, positions, pos_values, found[0] if found else None,
                      _suggest(f"{body_slug} {title.get('title_en') or ''} {person_slug}"),
                      _hash_slug("position", body_slug, person_slug))

    def participant(self, number: int, cells: dict) -> None:
        values = self.values_of(cells)
        event_text = values.get("event")
        if not event_text:
            raise RowProblem(_("{column}: a value is required").format(column=self.header("event")))
        event_id = self.events.by_slug.get(event_text)
        if event_id is None:
            raise RowProblem(_("{column}: no event {slug!r}").format(column=self.header("event"), slug=event_text))
        sessions = self.sessions.by_key.get(("event", event_id), [])
        session_text = values.get("session")
        if session_text:
            session_id = self.sessions.by_slug.get(session_text)
            if session_id is None:
                titles = [s for s in sessions if _key(session_text) in (
                    _key(self.sessions.by_id[s].get("title_ja")), _key(self.sessions.by_id[s].get("title_en")))]
                session_id = self.one(self.sessions, titles, self.header("session"), session_text)
            if session_id is None or session_id not in sessions:
                raise RowProblem(_("{column}: the event {event} has no session {session!r}").format(
                    column=self.header("session"), event=event_text, session=session_text))
        elif len(sessions) == 1:
            session_id = sessions[0]
        else:
            raise RowProblem(_("{column}: the event {event} has {n} sessions; name one").format(
                column=self.header("session"), event=event_text, n=len(sessions)))
        person_id = position_id = None
        if values.get("person"):
            text = values["person"]
            person_id = self.people.by_slug.get(text)
            if person_id is None:
                lf, lg, _order = split_name_latin(text)
                probe = [("ja", _key(text))] + [
                    ("latin", tuple(sorted(_key(x) for x in (lf, lg) if x)))]
                person_id = self.one(self.people, self.people.find(probe), self.header("person"), text)
            if person_id is None:
                raise RowProblem(_("{column}: no person {text!r}").format(column=self.header("person"), text=text))
        if values.get("position"):
            text = values["position"]
            position_id = self.positions.by_slug.get(text)
            if position_id is None:
                matches = [p["id"] for p in self.positions.by_id.values()
                           if _key(text) in (_key(p.get("title_ja")), _key(p.get("title_en")))
                           and (person_id is None or p.get("person_id") == person_id)]
                position_id = self.one(self.positions, matches, self.header("position"), text)
            if position_id is None:
                raise RowProblem(_("{column}: no position {text!r}").format(
                    column=self.header("position"), text=text))
        if person_id is None and position_id is None:
            raise RowProblem(_("a participant needs a person or a position"))
        record = {"session_id": session_id, "person_id": person_id, "position_id": position_id}
        try:
            record["role"] = vocabulary_code(self.header("role"), "participant_role",
                                             values.get("role") or "participant")
        except ValidationError as error:
            raise RowProblem(f"{error.field}: {error.message}") from None
        for name in ("capacity_ja", "capacity_en"):
            if values.get(name):
                record[name] = values[name]
        if values.get("sort_order"):
            try:
                record["sort_order"] = int(unicodedata.normalize("NFKC", values["sort_order"]))
            except ValueError:
                raise RowProblem(_("{column}: write a whole number").format(
                    column=self.header("sort_order"))) from None
        store = self.participants
        found = store.find(_participant_keys(record))
        if not found and "sort_order" not in record:
            orders = [p["sort_order"] for p in store.by_id.values() if p["session_id"] == session_id]
            record["sort_order"] = max(orders, default=0) + 1
        who = (self.people.by_id[person_id]["slug"] if person_id is not None
               else self.positions.by_id[position_id]["slug"])
        self.save(number, store, self.clean(m.SessionParticipant, record), found[0] if found else None,
                  None, "", label=f"{self.sessions.by_id[session_id]['slug']}: {who}")


def _suggest(*texts: str | None) -> str | None:
    from citynet.services.browse import suggest_slug

    return suggest_slug(*texts)


def parse_mapping(items: list[str] | None) -> dict[str, str]:
    mapping = {}
    for item in items or ():
        column, sep, target = item.partition("=")
        if not sep or not column.strip() or not target.strip():
            raise CitynetError(_("--map takes COLUMN=field, not {item!r}").format(item=item))
        mapping[column.strip()] = target.strip()
    return mapping


_REQUIRED_COLUMNS = {
    "cities": (("name_ja", "name_en", "slug"), ("country", "slug")),
    "organisations": (("name_ja", "name_en", "slug"),),
    "people": (("family_name_ja", "given_name_ja", "full_name_ja", "family_name_latin",
                "given_name_latin", "full_name_latin", "slug"),),
    "participants": (("event",), ("person", "position")),
}


def import_file(engine: Engine, kind: str, path: Path | str, fmt: str, *, dry_run: bool = False,
                skip_invalid: bool = False, mapping: dict[str, str] | None = None,
                progress: Callable[[int, int], None] | None = None) -> ImportReport:
    """Import a CSV or XLSX file of ``kind`` (see the module docstring); returns the report."""
    if kind not in IMPORT_KINDS:
        raise CitynetError(_("cannot import {kind}; choose one of: {kinds}").format(
            kind=kind, kinds=", ".join(IMPORT_KINDS)))
    path = Path(path)
    headers, rows = read_rows(path, fmt)
    plan = plan_columns(kind, headers, mapping or {})
    for group in _REQUIRED_COLUMNS[kind]:
        if not any(name in plan.headers or name + "*" in plan.headers for name in group):
            raise CitynetError(_("the file has no column for {field}; name one with --map COLUMN={field}")
                               .format(field=group[0]))
    report = ImportReport(kind, rows=len(rows), ignored_columns=plan.ignored, dry_run=dry_run)
    handler = {"cities": "city", "organisations": "organisation", "people": "person",
               "participants": "participant"}[kind]
    connection = engine.connect()
    transaction = connection.begin()
    try:
        importer = Importer(connection, kind, plan)
        work = getattr(importer, handler)
        for done, (number, cells) in enumerate(rows, start=1):
            fields = {name: cells[index] if index < len(cells) else None
                      for index, name in plan.fields.items()}
            marker = len(importer.actions)
            try:
                work(number, fields)
            except IntegrityError as error:
                # A rule only the database knows: the transaction cannot go on, nothing is written.
                reason = str(getattr(error, "orig", error)).strip().splitlines()[0]
                raise CitynetError(_("row {row}: the database refused the row: {reason}").format(
                    row=number, reason=reason)) from None
            except RowProblem as problem:
                del importer.actions[marker:]
                report.rejected.append(Rejection(number, problem.message))
            if progress is not None and done % PROGRESS_EVERY == 0:
                progress(done, len(rows))
        report.actions = importer.actions
        if dry_run or (report.rejected and not skip_invalid):
            transaction.rollback()
        else:
            transaction.commit()
            report.written = True
    except IntegrityError as error:
        transaction.rollback()
        reason = str(getattr(error, "orig", error)).strip().splitlines()[0]
        raise CitynetError(_("the database refused the import: {reason}").format(reason=reason)) from None
    except BaseException:
        transaction.rollback()
        raise
    finally:
        connection.close()
    return report


def report_lines(report: ImportReport, *, details: bool) -> list[str]:
    """What an import did (or, dry, would do), for the terminal, in the UI language."""
    lines = []
    for column in report.ignored_columns:
        lines.append(_("column {column!r} is not used (name it with --map)").format(column=column))
    if details:
        for action in report.actions:
            if action.action == "create":
                lines.append(_("row {row}: create {table} {slug}").format(
                    row=action.row, table=action.table, slug=action.slug or ""))
            elif action.action == "update":
                lines.append(_("row {row}: update {table} {slug}: {fields}").format(
                    row=action.row, table=action.table, slug=action.slug or "",
                    fields=", ".join(action.fields)))
    for rejection in report.rejected:
        lines.append(_("row {row}: rejected: {reason}").format(row=rejection.row, reason=rejection.message))
    counts = dict(created=report.count("create"), updated=report.count("update"),
                  unchanged=report.count("unchanged"), rejected=len(report.rejected))
    if report.dry_run:
        lines.append(_("Dry run, nothing written: {created} to create, {updated} to update, "
                       "{unchanged} unchanged, {rejected} rejected.").format(**counts))
    elif report.written:
        lines.append(_("Imported: {created} created, {updated} updated, {unchanged} unchanged, "
                       "{rejected} rejected.").format(**counts))
    else:
        lines.append(_("Nothing imported: {rejected} rows rejected (fix them, or use --skip-invalid "
                       "to import the {good} good rows).").format(
            rejected=counts["rejected"], good=report.rows - counts["rejected"]))
    return lines


# --- exports ------------------------------------------------------------------------------------


def _pick(ja: str | None, en: str | None, lang: str) -> str:
    from citynet.i18n.text import bilingual

    return bilingual(ja, en, lang)


def _name_of(row: dict | None, lang: str) -> str | None:
    """A city's or organisation's name to find it by on import: in ``lang``, else the other."""
    if row is None:
        return None
    first, second = ("name_ja", "name_en") if lang == "ja" else ("name_en", "name_ja")
    return row[first] or row[second] or row["slug"]


def _current_position(positions: list[dict]) -> dict | None:
    current = [p for p in positions if not p["ended"] and not p["end"]]
    pool = current or positions
    return max(pool, key=lambda p: (p["start"] or "", p["id"])) if pool else None


def contacts_table(engine: Engine, lang: str) -> tuple[list[str], list[list]]:
    """Every person with their current title and e-mail/phone (personal data: internal use)."""
    from citynet.i18n.names import sort_by_reading

    with engine.connect() as c:
        people = [dict(r) for r in c.execute(sa.select(m.Person.__table__)).mappings()]
        positions: dict[int, list[dict]] = {}
        for r in c.execute(sa.select(m.Position.__table__).where(m.Position.person_id.is_not(None))).mappings():
            positions.setdefault(r["person_id"], []).append(dict(r))
        cities = {r["id"]: dict(r) for r in c.execute(sa.select(m.City.__table__)).mappings()}
        orgs = {r["id"]: dict(r) for r in c.execute(sa.select(m.Organisation.__table__)).mappings()}
    people = sorted(people, key=lambda p: (p["family_name_latin"] or "", p["slug"]))
    people = sort_by_reading(people, key=lambda p: p["name_kana"])
    headers = [gettext_in(lang, msgid) for _name, msgid in CONTACT_COLUMNS]
    rows = []
    for person in people:
        position = _current_position(positions.get(person["id"], []))
        org = orgs.get(position["organisation_id"]) if position else None
        city = cities.get(position["city_id"]) if position else None
        rows.append([
            person["slug"], person["family_name_ja"], person["given_name_ja"],
            person["family_name_latin"], person["given_name_latin"], person["name_kana"],
            position["title_ja"] if position else None,
            position["title_en"] if position else None,
            _name_of(org, lang), _name_of(city if not org else None, lang),
            person["email"], person["phone"],
        ])
    return headers, rows


def participants_table(engine: Engine, event_slug: str, lang: str) -> tuple[list[str], list[list]]:
    """The participants of an event's sessions, session by session, in programme order."""
    from citynet.errors import NotFound
    from citynet.i18n.format import country_name, format_date
    from citynet.i18n.names import person_display_name, position_title
    from citynet.i18n.vocabulary import label

    with engine.connect() as c:
        event = c.execute(sa.select(m.Event.__table__).where(m.Event.slug == event_slug)).mappings().first()
        if event is None:
            raise NotFound(_("no event {slug!r}").format(slug=event_slug))
        sessions = [dict(r) for r in c.execute(
            sa.select(m.Session.__table__).where(m.Session.event_id == event["id"])).mappings()]
        session_ids = [s["id"] for s in sessions]
        parts = [dict(r) for r in c.execute(sa.select(m.SessionParticipant.__table__).where(
            m.SessionParticipant.session_id.in_(session_ids or [-1]))).mappings()]
        people = {r["id"]: dict(r) for r in c.execute(sa.select(m.Person.__table__)).mappings()}
        positions = {r["id"]: dict(r) for r in c.execute(sa.select(m.Position.__table__)).mappings()}
        cities = {r["id"]: dict(r) for r in c.execute(sa.select(m.City.__table__)).mappings()}
        orgs = {r["id"]: dict(r) for r in c.execute(sa.select(m.Organisation.__table__)).mappings()}
    order = {s["id"]: (s["day"] or date.max, s["starts_at"].replace(tzinfo=None) if s["starts_at"]
                       else datetime.max, s["id"]) for s in sessions}
    by_id = {s["id"]: s for s in sessions}
    parts.sort(key=lambda p: (order[p["session_id"]], p["sort_order"], p["id"]))
    headers = [gettext_in(lang, msgid) for msgid in PARTICIPANT_COLUMNS]
    rows = []
    for part in parts:
        session = by_id[part["session_id"]]
        position = positions.get(part["position_id"])
        person = people.get(part["person_id"]) or (people.get(position["person_id"]) if position else None)
        org = orgs.get(position["organisation_id"]) if position else None
        city = cities.get(position["city_id"]) if position else None
        country = (org or {}).get("country") or (city or {}).get("country")
        day = session["day"] or (session["starts_at"].date() if session["starts_at"] else None)
        rows.append([
            _pick(session["title_ja"], session["title_en"], lang),
            format_date(day, lang) if day else None,
            label("participant_role", part["role"], lang),
            person_display_name(person["family_name_ja"], person["given_name_ja"],
                                person["family_name_latin"], person["given_name_latin"],
                                person["name_order"], lang, person["name_katakana"]) if person else None,
            position_title(position["title_ja"], position["title_en"], position["ended"], lang)
            if position else None,
            _pick(org["name_ja"], org["name_en"], lang) if org else
            _pick(city["name_ja"], city["name_en"], lang) if city else None,
            country_name(country, lang) if country else None,
        ])
    return headers, rows


def to_csv(headers: list[str], rows: list[list]) -> bytes:
    """UTF-8 with BOM and CRLF line ends: Japanese Excel opens it as it is."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(headers)
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(headers: list[str], rows: list[list], title: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    sheet.title = re.sub(r"[\\/*?:\[\]]", " ", title)[:31] or "citynet"
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(list(row))
    sheet.freeze_panes = "A2"
    for index, header in enumerate(headers, start=1):
        longest = max([len(str(header))] + [len(str(r[index - 1] or "")) for r in rows[:500]])
        sheet.column_dimensions[get_column_letter(index)].width = min(60, max(8, longest * 1.6))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def export_list(engine: Engine, what: str, fmt: str, lang: str, *, event: str | None = None,
                output: Path | None = None) -> Path:
    """Write the contacts or an event's participants as CSV or XLSX (atomic write)."""
    from citynet.files import atomic_write, default_output

    if what == "participants":
        if not event:
            raise CitynetError(_("the participants list needs --event"))
        headers, rows = participants_table(engine, event, lang)
        name = f"{event}-participants"
        title = gettext_in(lang, "Participants")
    else:
        headers, rows = contacts_table(engine, lang)
        name, title = "contacts", gettext_in(lang, "Contacts")
    data = to_csv(headers, rows) if fmt == "csv" else to_xlsx(headers, rows, title)
    path = Path(output) if output else default_output(f"{name}.{fmt}")
    return atomic_write(path, data, create_parent=output is None)
