"""The documents' own words (headings, labels, vocabulary), in the document's language.

Msgids are English and go through the citynet catalog (:func:`citynet.i18n.gettext_in`), so
the catalog's completeness test covers them. ``_PENDING_JA`` holds the Japanese for msgids the
catalog does not translate yet; it is consulted only when the catalog has no entry, and each
entry should move to ``locales/ja/LC_MESSAGES/citynet.po`` (then be deleted here).
"""

from __future__ import annotations

from citynet.i18n import N_, gettext_in

# Vocabulary of the data model, by code.
ORGANISATION_ROLES = {
    "host": N_("Organized by"),
    "co_host": N_("Co-organized by"),
    "support": N_("Supported by"),
    "sponsor": N_("Sponsored by"),
    "cooperation": N_("In cooperation with"),
}
PARTICIPANT_ROLES = {
    "host": N_("Host"),
    "moderator": N_("Moderator"),
    "speaker": N_("Speaker"),
    "panelist": N_("Panelist"),
    "participant": N_("Participant"),
    "interpreter": N_("Interpreter"),
}
RELATIONSHIP_KINDS = {
    "sister": N_("Sister city"),
    "friendship": N_("Friendship city"),
    "network_partner": N_("Partner in a city network"),
    "mou": N_("Memorandum of understanding"),
    "exchange": N_("Exchange partner"),
}
RELATIONSHIP_STATUSES = {"active": N_("active"), "planned": N_("planned"), "ended": N_("ended")}
EVENT_STATUSES = {
    "planned": N_("planned"), "confirmed": N_("confirmed"), "held": N_("held"),
    "postponed": N_("postponed"), "cancelled": N_("cancelled"),
}
VISIBILITY_MARKS = {"internal": N_("Internal use only"), "confidential": N_("Confidential")}
KEY_FIGURE_KINDS = {"actual": N_("actual"), "target": N_("target")}

_PENDING_JA = {
    "Organized by": "主催", "Co-organized by": "共催", "Supported by": "後援",
    "Sponsored by": "協賛", "In cooperation with": "協力",
    "Host": "主催者", "Moderator": "モデレーター", "Speaker": "スピーカー", "Panelist": "パネリスト",
    "Participant": "参加者", "Interpreter": "通訳",
    "Sister city": "姉妹都市", "Friendship city": "友好都市",
    "Partner in a city network": "都市ネットワークのパートナー",
    "Memorandum of understanding": "覚書（MOU）", "Exchange partner": "交流都市",
    "active": "継続中", "planned": "予定", "ended": "終了", "confirmed": "確定", "held": "開催済み",
    "postponed": "延期", "cancelled": "中止",
    "Internal use only": "取扱注意（庁内限り）", "Confidential": "秘",
    "actual": "実績", "target": "目標",
    # document titles
    "Briefing": "ブリーフィング資料", "Programme": "プログラム", "Event report": "実施報告",
    "City profile": "都市概要",
    # page furniture
    "Page {page} of {pages}": "{page} / {pages} ページ", "Generated {date}": "作成日 {date}",
    # headings and labels
    "Dates": "会期", "Venue": "会場", "Theme": "テーマ", "Status": "状況", "Our attendance": "本市参加期間",
    "Sessions of {city}": "{city}が参加するセッション", "Session": "セッション",
    "Time": "日時", "Room": "会場", "Participants": "参加者", "Role": "役割",
    "Organisations": "主催・共催等", "Background: {city}": "都市背景：{city}",
    "Relationship": "本市との関係", "Networks": "所属ネットワーク", "Exchanges with {city}": "{city}との交流の経緯",
    "Office holders": "主な役職者", "Key figures of {city}": "{city}の主要指標",
    "Milestones": "主な取組", "Notes": "備考", "Programme": "プログラム", "Speakers and moderators": "登壇者・モデレーター",
    "Participation": "参加状況", "Total participants": "参加者数", "Overseas countries": "海外の国",
    "Overseas cities": "海外の都市", "Domestic cities": "国内の都市",
    "Companies and organisations": "企業・団体", "Sponsoring companies": "協賛企業",
    "Item": "項目", "Count": "数", "Participating bodies by category": "区分別の参加団体数",
    "Registrations by country": "国別の登録者数", "Registrations by category": "区分別の登録者数",
    "Counted from registrations.": "登録データから集計。", "As reported by the organisers.": "主催者発表による。",
    "Country": "国", "Region": "地域", "Time zone": "タイムゾーン", "Since": "開始", "Until": "終了",
    "Position": "役職", "Name": "氏名", "Period": "期間", "current": "現職", "former": "前職",
    "Holder not recorded": "氏名未登録", "Upcoming events": "今後の予定", "Event": "行事",
    "Date": "時期", "Other": "その他", "Network": "ネットワーク", "No relationship recorded.": "本市との関係は登録されていません。",
    "None recorded.": "登録なし。", "Time not yet fixed": "時間未定", "Date not yet fixed": "日程未定",
    "People and positions": "人物・役職", "Figure": "指標", "Value": "値", "Year": "年度",
    "Base year {year}": "基準年度 {year}", "Contents": "目次", "Day {n}": "{n}日目",
    "Held in {city}": "開催地 {city}", "Session notes": "セッションの備考",
    "{title} (cancelled)": "{title}（中止）", "All times local; Japan time in the second line.":
        "時刻は現地時間、2行目は日本時間。",
}


def phrase(msgid: str, lang: str, **values) -> str:
    """``msgid`` in ``lang`` ("ja" or "en"), with ``{name}`` placeholders filled in."""
    text = gettext_in(lang, msgid)
    if lang == "ja" and text == msgid:
        text = _PENDING_JA.get(msgid, msgid)
    return text.format(**values) if values else text


def pending_catalog_entries() -> dict[str, str]:
    """Japanese this module still supplies itself (for the report and a test)."""
    return dict(_PENDING_JA)
