"""A time of day on a page is what Babel's "HH:mm" writes, in the reader's
zone and in every shipped language, across a change of the clocks: the
`time` filter and the desk write it without Babel's pattern machinery."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest
from flask import render_template_string
from flask_babel import force_locale, format_time

from recruit.dates import clock
from recruit.extensions import db
from recruit.i18n import LANGUAGES
from recruit.organisation import services as org

# 26 to 29 March 2026: Europe's clocks move forward on the 29th at 01:00 UTC
MOMENTS = [datetime(2026, 3, 28, 22, 7, tzinfo=UTC) + timedelta(minutes=37 * n) for n in range(12)]


@pytest.mark.parametrize(("zone", "first"), [("Europe/Kyiv", "00:07"), ("Europe/Sarajevo", "23:07"),
                                             ("Asia/Tbilisi", "02:07")])
def test_the_clock_is_babels_hh_mm_in_the_readers_zone_and_language(clean_app, zone, first):
    with clean_app.app_context():
        org.update_settings(name="X", timezone=zone, working_days=[0, 1, 2, 3, 4], reminder_offsets_hours=[24],
                            retention_days=365, approver_id=None)
        db.session.commit()
    with clean_app.test_request_context("/"):
        assert clock(MOMENTS[0]) == first
        for language in LANGUAGES:
            with force_locale(language):
                for moment in MOMENTS:
                    assert clock(moment) == format_time(moment, "HH:mm"), (language, moment)
                    naive = moment.replace(tzinfo=None)  # stored as UTC without its zone (SQLite)
                    assert clock(naive) == format_time(naive, "HH:mm")
                    assert render_template_string("{{ m|time }}", m=moment) == format_time(moment, "HH:mm")
                assert render_template_string("{{ t|time }}", t=time(9, 5)) == format_time(time(9, 5), "HH:mm")
                assert render_template_string("{{ m|time('H:mm:ss') }}", m=MOMENTS[0]) == \
                    format_time(MOMENTS[0], "H:mm:ss")
        assert render_template_string("{{ none|time }}", none=None) == "—"
