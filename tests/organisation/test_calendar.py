"""Days moved by decree: a working Saturday counts, a moved day off does not."""

from datetime import date

from recruit.organisation.calendar import BusinessCalendar

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
