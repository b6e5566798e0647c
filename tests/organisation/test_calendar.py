"""Days moved by decree: a working Saturday counts, a moved day off does not."""

from datetime import date

from recruit.organisation import services as org
from recruit.organisation.calendar import BusinessCalendar
from tests.statements import counting

WEEK = [0, 1, 2, 3, 4]


def test_a_working_saturday_is_a_business_day():
    saturday = date(2027, 3, 13)
    cal = BusinessCalendar.of(WEEK, [date(2027, 3, 8)], working_dates=[saturday])
    assert cal.is_business_day(saturday)
    assert not BusinessCalendar.of(WEEK).is_business_day(saturday)
    assert cal.add_business_days(date(2027, 3, 12), 1) == saturday  # Friday + 1 is the worked Saturday
    assert cal.business_days_between(date(2027, 3, 8), date(2027, 3, 15)) == 5  # Mon off, Sat worked


def test_a_working_day_wins_over_a_day_off_on_the_same_date():
    day = date(2027, 1, 2)
    assert BusinessCalendar.of(WEEK, [day], [day]).is_business_day(day)


def test_the_old_two_argument_form_still_works():
    cal = BusinessCalendar.of(WEEK, [date(2027, 1, 7)])
    assert cal.add_business_days(date(2027, 1, 6), 1) == date(2027, 1, 8)



def test_a_request_reads_the_calendar_once_and_sees_its_own_changes(ctx, app):
    """The business calendar is kept for the request (pages ask for it per
    plan and per stage), and a holiday or a working week changed in that
    request is seen by the next question at once."""
    friday = date(2027, 3, 5)
    with app.test_request_context("/"), counting(app) as statements:
        assert org.calendar().add_business_days(friday, 1) == date(2027, 3, 8)
        read = len(statements)
        assert org.calendar() is org.calendar() and len(statements) == read  # kept, not read again
        org.add_holiday(date(2027, 3, 8), "A Monday off")
        assert org.calendar().add_business_days(friday, 1) == date(2027, 3, 9)
        org.get_settings().working_days = [0, 1, 2, 3, 4, 5]
        ctx.session.flush()
        assert org.calendar().add_business_days(friday, 1) == date(2027, 3, 6)  # Saturdays are worked now
