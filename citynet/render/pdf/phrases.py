"""The documents' own words (headings, labels), in the document's language.

Msgids are English and live in the citynet catalog like every other word; mark them with ``N_``
where they are written, since a msgid passed on in a variable is not extracted. Vocabulary
labels (roles, kinds, statuses) come from :mod:`citynet.i18n.vocabulary`.

A few words read differently in a document than on screen: "Organisations" is 団体 in the UI and
主催・共催等 in a document. Those carry the context ``document`` (marked with ``NP_``, which gives
the pair); :func:`phrase` accepts a plain msgid or such a pair.
"""

from __future__ import annotations

from citynet.i18n import NP_, gettext_in, pgettext_in

Msgid = str | tuple[str, str]  # a msgid, or (context, msgid)

ORGANISATIONS = NP_("document", "Organisations")  # 主催・共催等: the organisations, by role
NETWORKS = NP_("document", "Networks")  # 所属ネットワーク
NAME = NP_("document", "Name")  # 氏名: of a person
DATE = NP_("document", "Date")  # 時期: of an exchange or a milestone, known roughly


def phrase(msgid: Msgid, lang: str, **values) -> str:
    """``msgid`` in ``lang`` ("ja" or "en"), with ``{name}`` placeholders filled in."""
    text = pgettext_in(lang, *msgid) if isinstance(msgid, tuple) else gettext_in(lang, msgid)
    return text.format(**values) if values else text
