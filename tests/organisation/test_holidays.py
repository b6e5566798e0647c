"""Public holidays from the `holidays` package: one click for a year, the
yearly job for the next, never twice, never over what an admin typed."""

from datetime import date

import pytest
import sqlalchemy as sa

from recruit import jobs
from recruit.organisation import holiday_import, tasks
from recruit.organisation import services as org
from recruit.organisation.models import WORKING_DAY, Holiday


def _in(country: str, locale: str | None = None) -> None:
    org.apply_country_defaults(country)
    if locale:
        org.get_settings().locale = locale


def test_a_year_is_imported_in_the_organisations_language(ctx):
    _in("BG")
    result = holiday_import.import_year(2027)
    assert result.added == result.listed >= 10
    names = {h.day: h.name for h in org.holidays()}
    assert names[date(2027, 3, 3)].startswith("Ден на Освобождението")


def test_names_fall_back_to_english(ctx):
    _in("RO", locale="bs")  # the package has no Bosnian for Romania
    holiday_import.import_year(2027)
    assert {h.day: h.name for h in org.holidays()}[date(2027, 1, 1)] == "New Year's Day"


def test_importing_again_adds_nothing_and_keeps_what_was_typed(ctx):
    _in("RU")
    org.add_holiday(date(2027, 1, 1), "Our own name")
    first = holiday_import.import_year(2027)
    assert first.added == first.listed - 1
    again = holiday_import.import_year(2027)
    assert again.added == 0 and again.listed == first.listed
    days = ctx.session.scalars(sa.select(Holiday.day)).all()
    assert len(days) == len(set(days)) == first.listed
    assert {h.day: h.name for h in org.holidays()}[date(2027, 1, 1)] == "Our own name"


def test_ukraine_under_martial_law_lists_no_days_off(ctx):
    _in("UA")
    assert holiday_import.import_year(2027).listed == 0


def test_no_country_no_import(ctx):
    with pytest.raises(org.SettingsError, match="country"):
        holiday_import.import_year(2027)
    _in("BG")
    with pytest.raises(org.SettingsError):
        holiday_import.import_year(1990)


def test_a_working_saturday_counts_in_the_organisations_calendar(ctx):
    org.get_settings().working_days = [0, 1, 2, 3, 4]
    org.add_holiday(date(2027, 3, 13), "Worked for the bridge day", kind=WORKING_DAY)
    org.add_holiday(date(2027, 3, 8), "Moved day off")
    cal = org.calendar()
    assert cal.is_business_day(date(2027, 3, 13)) and not cal.is_business_day(date(2027, 3, 8))
    with pytest.raises(org.SettingsError):
        org.add_holiday(date(2027, 3, 14), "?", kind="half_day")


def test_the_yearly_job_imports_next_year_once(ctx):
    assert tasks.import_next_year_holidays() is None  # no country yet
    _in("GE")
    year = org.local_now().year + 1
    result = tasks.import_next_year_holidays()
    assert result.year == year and result.added > 0
    removed = org.holidays()[0]
    org.remove_holiday(removed.id)
    assert tasks.import_next_year_holidays() is None  # done for this year: the removed day stays removed
    assert removed.day not in {h.day for h in org.holidays()}


def test_the_yearly_job_is_registered_as_periodic(ctx):
    assert jobs._PERIODIC["organisation.holidays_next_year"] == 24 * 3600
    assert jobs._REGISTRY["organisation.holidays_next_year"] is tasks.import_next_year_holidays


def test_one_click_on_settings(client, login_as, clean_app):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"  # the admin's browser: Romania's defaults make Romanian
    login_as("admin")
    client.post("/admin/settings/country-defaults", data={"country": "RO"})
    page = client.get("/admin/settings").get_data(as_text=True)
    assert "Import the public holidays of Romania" in page
    first = client.post("/admin/settings/holidays/import", data={"year": 2027}, follow_redirects=True)
    assert "holidays of 2027 added" in first.get_data(as_text=True)
    again = client.post("/admin/settings/holidays/import", data={"year": 2027}, follow_redirects=True)
    text = again.get_data(as_text=True)
    assert "Nothing added: all 17 holidays of 2027 were already in the calendar." in text
    with clean_app.app_context():
        assert len(org.holidays()) == 17


def test_a_working_day_is_added_by_hand(client, login_as, clean_app):
    login_as("admin")
    client.post("/admin/settings/holidays", data={"day": "2027-03-13", "name": "Worked Saturday",
                                                  "kind": WORKING_DAY})
    page = client.get("/admin/settings").get_data(as_text=True)
    assert "Worked Saturday" in page and "Working day" in page
    with clean_app.app_context():
        assert org.calendar().is_business_day(date(2027, 3, 13))


def test_a_year_that_is_no_year_is_refused_and_nothing_imported(client, login_as, clean_app):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    login_as("admin")
    client.post("/admin/settings/country-defaults", data={"country": "RO"})
    for year in ("", "abc", "1999", "99999", "2027.5"):
        page = client.post("/admin/settings/holidays/import", data={"year": year}, follow_redirects=True)
        assert page.status_code == 200 and "Give a year from 2000 to 2100." in page.get_data(as_text=True)
    with clean_app.app_context():
        assert org.holidays() == []
