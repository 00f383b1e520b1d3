"""Vocabulary labels, stored fuzzy dates and key figures: one wording for screens and documents."""

import pytest

from citynet.errors import CitynetError
from citynet.i18n import vocabulary
from citynet.i18n.format import format_figure_period, format_key_figure, format_stored_fuzzy
from citynet.store import models


@pytest.mark.parametrize("name, codes", [
    ("participant_role", models.PARTICIPANT_ROLES), ("organisation_role", models.ORGANISATION_ROLES),
    ("relationship_kind", models.RELATIONSHIP_KINDS),
    ("relationship_status", models.RELATIONSHIP_STATUSES),
    ("event_kind", models.EVENT_KINDS), ("event_status", models.EVENT_STATUSES),
    ("session_kind", models.SESSION_KINDS), ("session_status", models.SESSION_STATUSES),
    ("visibility", models.VISIBILITIES), ("organisation_kind", models.ORGANISATION_KINDS),
    ("name_order", models.NAME_ORDERS), ("key_figure_kind", models.KEY_FIGURE_KINDS),
])
def test_every_stored_code_has_a_label_in_model_order(name, codes):
    assert tuple(vocabulary.VOCABULARIES[name]) == codes


def test_label_depends_on_the_vocabulary_and_language():
    assert vocabulary.label("participant_role", "host", "ja") == "主催者"
    assert vocabulary.label(vocabulary.ORGANISATION_ROLES, "host", "ja") == "主催"
    assert vocabulary.label("organisation_role", "co_host", "en") == "Co-organized by"
    assert vocabulary.label("relationship_kind", "sister", "ja") == "姉妹都市"
    assert vocabulary.label("event_status", "unheard_of", "ja") == "unheard_of"
    assert vocabulary.label("event_status", None, "ja") == ""


def test_stored_fuzzy_dates_including_fiscal_years():
    assert format_stored_fuzzy("FY2026", "ja") == "令和8年度"
    assert format_stored_fuzzy("FY2026", "en") == "FY2026"
    assert format_stored_fuzzy("FY2026", "en", planned=True) == "FY2026 (planned)"
    assert format_stored_fuzzy("2009", "ja", open_ended=True) == "2009年～"
    assert format_stored_fuzzy("2019-07", "en") == "July 2019"
    assert format_stored_fuzzy(None, "ja") == "" and format_stored_fuzzy("", "en") == ""
    with pytest.raises(CitynetError):
        format_stored_fuzzy("someday", "en")


def test_key_figure_periods_follow_the_plan_rule():
    """Targets and base years are a plan's reference points (2030年度, 2013年度比); the year of an
    actual figure keeps the era."""
    assert format_figure_period("FY2050", "target", "ja") == "2050年度"
    assert format_figure_period("FY2030", "target", "ja") == "2030年度"
    assert format_figure_period("FY2013", "actual", "ja") == "平成25年度"
    assert format_figure_period("FY2013", "actual", "ja", base=True) == "2013年度"
    assert format_figure_period("FY2030", "target", "en") == "FY2030"
    assert format_figure_period("2030", "target", "ja") == "2030年"
    assert format_figure_period(None, "target", "ja") == ""


def test_event_dates_label_depends_on_the_kind():
    """会期 is a conference's (or a summit's); a visit or a meeting has a 日程."""
    from citynet.i18n import gettext_in, pgettext_in

    def phrase(msgid, lang):
        return pgettext_in(lang, *msgid) if isinstance(msgid, tuple) else gettext_in(lang, msgid)

    assert phrase(vocabulary.dates_msgid("conference"), "ja") == "会期"
    assert phrase(vocabulary.dates_msgid("summit"), "ja") == "会期"
    assert phrase(vocabulary.dates_msgid("outbound_visit"), "ja") == "日程"
    assert phrase(vocabulary.dates_msgid("meeting"), "ja") == "日程"
    assert phrase(vocabulary.dates_msgid("conference"), "en") == "Dates"


def test_key_figures():
    assert format_key_figure(7_674_000, "t-CO2", "ja") == "767.4万t-CO2"
    assert format_key_figure(7_674_000, "t-CO2", "en") == "7.674 million t-CO2"
    assert format_key_figure(21.7, "%", "ja") == "21.7%"
    assert format_key_figure(51, "%", "en") == "51%"
    assert format_key_figure(0, "t-CO2", "ja") == "0 t-CO2"
    assert format_key_figure(1234.5, "km", "en") == "1,234.5 km"


def test_screens_use_the_same_words():
    from citynet.i18n import set_language
    from citynet.tui import fmt

    set_language("ja")
    try:
        assert fmt.fuzzy("FY2026") == "令和8年度"
        assert fmt.fuzzy("not a date") == "not a date"  # shown as stored, never a crash
        assert fmt.key_figure(7_674_000, "t-CO2") == "767.4万t-CO2"
        assert fmt.code("moderator", "participant_role") == "モデレーター"
    finally:
        set_language("en")
