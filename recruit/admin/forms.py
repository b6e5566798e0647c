from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, DecimalField, IntegerField, SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange

from recruit.auth.forms import MultiCheckboxField

WEEKDAYS = [(0, _l("Monday")), (1, _l("Tuesday")), (2, _l("Wednesday")), (3, _l("Thursday")),
            (4, _l("Friday")), (5, _l("Saturday")), (6, _l("Sunday"))]


class SettingsForm(FlaskForm):
    name = StringField(_l("Organisation name"), validators=[DataRequired(), Length(max=120)])
    timezone = SelectField(_l("Time zone"), choices=[])
    working_days = MultiCheckboxField(_l("Working week"), coerce=int, choices=WEEKDAYS,
                                      validators=[DataRequired(message=_l("Choose at least one working day."))])
    reminder_offsets = StringField(_l("Reminders, hours before an interview (comma separated)"),
                                   validators=[DataRequired(), Length(max=60)])
    retention_days = IntegerField(_l("Keep rejected candidates for (days)"),
                                  validators=[DataRequired(), NumberRange(min=30, max=3650)])
    approver_id = SelectField(_l("Final approver of vacancies"), coerce=int, choices=[])
    interview_reward = DecimalField(_l("Value of an interview held"), places=2, default=1,
                                    validators=[DataRequired(), NumberRange(min=0.01, max=100)])
    interview_overflow_cost = DecimalField(_l("Cost of a candidate waiting one slot"), places=2, default=0.5,
                                           validators=[InputRequired(), NumberRange(min=0, max=100)])
    show_rate_half_life_days = IntegerField(_l("Show-up history half-life (days)"), default=60,
                                            validators=[DataRequired(), NumberRange(min=7, max=730)])
    no_show_grace_minutes = IntegerField(_l("No-show after the slot plus (minutes)"), default=30,
                                         validators=[InputRequired(), NumberRange(min=0, max=240)])
    require_two_factor = BooleanField(_l("Admins and recruiters must use two-factor sign-in"))


class HolidayForm(FlaskForm):
    day = DateField(_l("Date"), validators=[DataRequired()])
    name = StringField(_l("Name"), validators=[Length(max=120)])


class ReviewStepForm(FlaskForm):
    label = StringField(_l("Review by (e.g. HR, legal)"), validators=[DataRequired(), Length(max=80)])
    reviewer_id = SelectField(_l("Reviewer"), coerce=int, choices=[])
