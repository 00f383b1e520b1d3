"""The documents' own words (headings, labels), in the document's language.

Msgids are English and live in the citynet catalog like every other word; mark them with ``N_``
where they are written, since a msgid passed on in a variable is not extracted. Vocabulary
labels (roles, kinds, statuses) come from :mod:`citynet.i18n.vocabulary`.

A few words read differently in a document than on screen: "Organisations" is 団体 in the UI and
主催・共催等 in a document. Those carry the context ``document`` (marked with ``NP_``, which gives
the pair); :func:`phrase` accepts a plain msgid or such a pair. A word whose Japanese depends on
what it labels carries a context naming that ("Time" of a day and a time is 日時, of times
alone 時間).
"""

from __future__ import annotations

from citynet.i18n import N_, NP_, gettext_in, pgettext_in

Msgid = str | tuple[str, str]  # a msgid, or (context, msgid)

ORGANISATIONS = NP_("document", "Organisations")  # 主催・共催等: the organisations, by role
NETWORKS = NP_("document", "Networks")  # 所属ネットワーク
NAME = NP_("document", "Name")  # 氏名: of a person
DATE = NP_("document", "Date")  # 時期: of an exchange or a milestone, known roughly
ENTRY = NP_("document", "Event")  # 内容: what a timeline or milestone row says happened
POSITION = NP_("document", "Position")  # 役職名: the title column of a positions table
DAY_AND_TIME = NP_("date and time", "Time")  # 日時: a day with its times
TIMES = N_("Time")  # 時間: times alone, under a day's heading
# "Room: Hall B" / 「会議室：Hall B」: a label and its value inside a line or a cell.
LABELLED = N_("{label}: {value}")


def phrase(msgid: Msgid, lang: str, **values) -> str:
    """``msgid`` in ``lang`` ("ja" or "en"), with ``{name}`` placeholders filled in."""
    text = pgettext_in(lang, *msgid) if isinstance(msgid, tuple) else gettext_in(lang, msgid)
    return text.format(**values) if values else text
