"""The columns of an imported spreadsheet: which field each one gives.

The first row names the columns, in Japanese or English (:data:`ALIASES`, plus the headers the
contacts export writes, in both languages); ``--map COL=field`` names any other column
(``--map COL=-`` ignores it); columns nobody knows are reported and ignored.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from citynet.errors import CitynetError
from citynet.i18n import N_, _, gettext_in
from citynet.services.rules import MANAGED_FIELDS
from citynet.services.tables import table_of
from citynet.store import models as m


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


def _model_fields(kind: str) -> set[str]:
    models: dict[str, type[m.Record]] = {"cities": m.City, "organisations": m.Organisation,
                                         "people": m.Person}
    model = models.get(kind)
    if model is None:
        return set()
    managed = {*MANAGED_FIELDS, "is_home"}
    return {c.name for c in table_of(model).columns if c.name not in managed}


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
    for column, wanted in mapping.items():
        if wanted != "-" and wanted not in known:
            raise CitynetError(_("--map {column}={field}: no such field for {kind}; fields: {fields}")
                               .format(column=column, field=wanted, kind=kind,
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


def parse_mapping(items: list[str] | None) -> dict[str, str]:
    mapping = {}
    for item in items or ():
        column, sep, target = item.partition("=")
        if not sep or not column.strip() or not target.strip():
            raise CitynetError(_("--map takes COLUMN=field, not {item!r}").format(item=item))
        mapping[column.strip()] = target.strip()
    return mapping
