from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, StringField, widgets
from wtforms import SelectMultipleField as _SelectMultiple
from wtforms.validators import DataRequired, Email, EqualTo, Length

from recruit.auth.models import ROLES

ROLE_LABELS = {
    "admin": _l("Admin"),
    "hiring_manager": _l("Hiring manager"),
    "recruiter": _l("Recruiter"),
    "receptionist": _l("Receptionist"),
    "mentor": _l("Mentor / curator"),
    "new_hire": _l("New hire"),
}


class MultiCheckboxField(_SelectMultiple):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired()])
    remember = BooleanField(_l("Keep me signed in"))


class ForgotPasswordForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Email(check_deliverability=False)])


class SetPasswordForm(FlaskForm):
    password = PasswordField(_l("New password"), validators=[DataRequired(), Length(min=10, max=200)])
    confirm = PasswordField(_l("Repeat it"), validators=[DataRequired(), EqualTo("password")])


class ChangePasswordForm(SetPasswordForm):
    current = PasswordField(_l("Current password"), validators=[DataRequired()])


class ApiTokenForm(FlaskForm):
    name = StringField(_l("What will use it"), validators=[DataRequired(), Length(max=80)])


class UserForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Email(check_deliverability=False), Length(max=254)])
    full_name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=120)])
    roles = MultiCheckboxField(_l("Roles"), choices=[(r, ROLE_LABELS[r]) for r in ROLES],
                               validators=[DataRequired(message=_l("Choose at least one role."))])
    active = BooleanField(_l("Active"), default=True)
