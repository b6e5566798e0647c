from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField, widgets
from wtforms import SelectMultipleField as _SelectMultiple
from wtforms.validators import DataRequired, EqualTo, Length, ValidationError

from recruit.auth.models import ROLES
from recruit.emails import is_valid as is_email
from recruit.i18n import LANGUAGES
from recruit.web import TranslatedForm


def Email(message=None):  # noqa: N802 - reads like the WTForms validator it replaces
    """The product's one e-mail check (recruit/emails.py), with internal domains allowed."""

    def check(form, field):
        if field.data and not is_email(field.data.strip()):
            raise ValidationError(message or _l("Invalid email address."))

    return check

ROLE_LABELS = {
    "admin": _l("Admin"),
    "hiring_manager": _l("Hiring manager"),
    "recruiter": _l("Recruiter"),
    "receptionist": _l("Receptionist"),
    "mentor": _l("Mentor / curator"),
    "trainer": _l("Trainer"),
    "new_hire": _l("New hire"),
}


class MultiCheckboxField(_SelectMultiple):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class LoginForm(TranslatedForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired()])
    remember = BooleanField(_l("Keep me signed in"))


class ForgotPasswordForm(TranslatedForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Email()])


class SetPasswordForm(TranslatedForm):
    password = PasswordField(_l("New password"), validators=[DataRequired(), Length(min=10, max=200)])
    confirm = PasswordField(_l("Repeat it"), validators=[DataRequired(), EqualTo("password")])


class ChangePasswordForm(SetPasswordForm):
    current = PasswordField(_l("Current password"), validators=[DataRequired()])


class TwoFactorCodeForm(TranslatedForm):
    code = StringField(_l("Code"), validators=[DataRequired(), Length(max=40)])


class ConfirmPasswordForm(TranslatedForm):
    password = PasswordField(_l("Your password"), validators=[DataRequired(), Length(max=200)])


class LanguageForm(TranslatedForm):
    locale = SelectField(_l("Language"), choices=[("", _l("The organisation's language")),
                                                   *LANGUAGES.items()])


class ApiTokenForm(TranslatedForm):
    name = StringField(_l("What will use it"), validators=[DataRequired(), Length(max=80)])


class UserForm(TranslatedForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Email(), Length(max=254)])
    full_name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=120)])
    roles = MultiCheckboxField(_l("Roles"), choices=[(r, ROLE_LABELS[r]) for r in ROLES],
                               validators=[DataRequired(message=_l("Choose at least one role."))])
    active = BooleanField(_l("Active"), default=True)
