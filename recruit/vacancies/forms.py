from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    EmailField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
    StopValidation,
    ValidationError,
)

from recruit.i18n import LANGUAGES
from recruit.web import TranslatedForm


class LanguageField(SelectField):
    """A language choice whose empty value means "the default": a record
    without a language (None) shows, and validates, as that empty choice."""

    def process_data(self, value: object) -> None:
        super().process_data("" if value is None else value)


PAY_LEVEL_CHOICES = [(1, _l("1 — no experience")), (2, _l("2 — a year or more, 1C, consults clients")),
                     (3, _l("3 — two years or more, wins new clients")),
                     (4, _l("4 — lead account manager, three years or more"))]


class TemplateForm(TranslatedForm):
    title = StringField(_l("Position title"), validators=[DataRequired(), Length(max=120)])
    general = TextAreaField(_l("General provisions"), description=_l(
        "Who the position reports to, who substitutes, which documents the holder must know."))
    requirements = TextAreaField(_l("Requirements"))
    duties = TextAreaField(_l("Duties"))
    rights = TextAreaField(_l("Rights"))
    responsibility = TextAreaField(_l("Responsibility"))
    kpis = TextAreaField(_l("Evaluation criteria (KPIs), one per line"))
    pay_level = SelectField(_l("Pay level"), coerce=int, choices=PAY_LEVEL_CHOICES)
    education = StringField(_l("Education"), validators=[Length(max=120)])
    min_experience_years = DecimalField(_l("Minimum experience, years"), places=1,
                                        validators=[Optional(), NumberRange(min=0, max=40)])
    skills = TextAreaField(_l("Skills"))


class VacancyForm(TranslatedForm):
    position = StringField(_l("Position"), validators=[DataRequired(), Length(max=120)])
    department = StringField(_l("Department"), validators=[Length(max=120)])
    city = StringField(_l("City"), validators=[Length(max=80)])
    headcount = IntegerField(_l("Headcount"), default=1, validators=[DataRequired(), NumberRange(min=1, max=500)])
    pay_level = SelectField(_l("Pay level"), coerce=int, choices=PAY_LEVEL_CHOICES)
    salary_min = IntegerField(_l("Salary from"), default=0, validators=[Optional(), NumberRange(min=0)])
    salary_max = IntegerField(_l("Salary to"), default=0, validators=[Optional(), NumberRange(min=0)])
    education = StringField(_l("Education"), validators=[Length(max=120)])
    min_experience_years = DecimalField(_l("Minimum experience, years"), places=1,
                                        validators=[Optional(), NumberRange(min=0, max=40)])
    skills = TextAreaField(_l("Skills"))
    duties = TextAreaField(_l("Duties"))
    kpis = TextAreaField(_l("KPIs, one per line"))
    target_start = DateField(_l("Target start date"), validators=[Optional()])
    language = LanguageField(_l("Candidates' language"), choices=[("", _l("The organisation's language")),
                                                                 *LANGUAGES.items()],
                           description=_l("What invitations and reminders to its candidates are written in, "
                                          "unless a candidate has their own."))

    change_reason = TextAreaField(_l("Why the headcount or pay changes"), validators=[Length(max=5000)],
                                  description=_l("A new headcount or pay goes through review and approval "
                                                 "again; the approved values stay until it is approved."))

    def validate_salary_max(self, field: IntegerField) -> None:
        if (self.salary_min.data or 0) > (field.data or 0):
            raise ValidationError(_l("The upper figure must not be below the lower one."))


class TransitionForm(TranslatedForm):
    target = HiddenField(validators=[DataRequired()])
    comment = TextAreaField(_l("Comment"), validators=[Length(max=5000)])


class ReviewForm(TranslatedForm):
    decision = SelectField(_l("Decision"), choices=[("approved", _l("Approve")),
                                                    ("changes_requested", _l("Ask for changes"))])
    comment = TextAreaField(_l("Comment"), validators=[Length(max=5000)])


class AmendmentForm(TranslatedForm):
    decision = HiddenField(validators=[DataRequired()])
    comment = TextAreaField(_l("Comment"), validators=[Length(max=5000)])


class CommentForm(TranslatedForm):
    body = TextAreaField(_l("Comment"), validators=[DataRequired(), Length(max=5000)])


class CandidateForm(TranslatedForm):
    full_name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=160)])
    email = EmailField(_l("E-mail"), validators=[Length(max=254)])
    phone = StringField(_l("Phone"), validators=[Length(max=40)])
    city = StringField(_l("City"), validators=[Length(max=80)])
    source = StringField(_l("Source channel"), validators=[Length(max=80)],
                         description=_l("Job board name, referral, walk-in, agency…"))
    experience_years = DecimalField(_l("Experience, years"), places=1,
                                    validators=[Optional(), NumberRange(min=0, max=60)])
    education = StringField(_l("Education"), validators=[Length(max=120)])
    notes = TextAreaField(_l("Notes"), validators=[Length(max=5000)])
    language = LanguageField(_l("Language"), choices=[("", _l("The vacancy's language")), *LANGUAGES.items()],
                           description=_l("What everything sent to the candidate is written in."))


class ResumeForm(TranslatedForm):
    resume = FileField(_l("Résumé (PDF, DOCX or ODT)"), validators=[FileRequired()])


class AnonymiseForm(TranslatedForm):
    reason = StringField(_l("Reason"), validators=[DataRequired(), Length(max=500)])


class ImportUploadForm(TranslatedForm):
    file = FileField(_l("CSV file"), validators=[FileRequired()])


class ImportRunForm(TranslatedForm):
    skip_bad_rows = BooleanField(_l("Import only the valid rows and skip the bad ones"))


def _import_id(value: object) -> int | None:
    """An import's id, or None for anything else (the action then asks to choose one)."""
    text = str(value or "")
    return int(text) if text.isdigit() and len(text) < 10 else None


class BulkForm(TranslatedForm):
    """One action for many candidates of a pipeline (vacancies.bulk)."""

    scope = RadioField(_l("For"), default="ticked", choices=[
        ("ticked", _l("The ticked candidates")), ("filter", _l("Everyone matching the filter")),
        ("batch", _l("Everyone from one import"))])
    batch = SelectField(_l("Import"), coerce=_import_id, choices=[], validate_choice=False)
    action = SelectField(_l("Action"), choices=[
        ("", "—"), ("move", _l("Move to a stage")), ("reject", _l("Reject")),
        ("invite", _l("Invite to an interview day")), ("email", _l("Send an e-mail"))],
        validators=[DataRequired(message=_l("Choose what to do."))])
    target = SelectField(_l("Stage"), choices=[], validate_choice=False)
    reason = StringField(_l("Reason"), validators=[Length(max=500, message=_l("At most %(max)d characters."))])
    subject = StringField(_l("Subject"), validators=[Length(max=200, message=_l("At most %(max)d characters."))])
    body = TextAreaField(_l("Text"), validators=[Length(max=10000, message=_l("At most %(max)d characters."))])


MONTH_PATTERN = r"^\d{4}-(0[1-9]|1[0-2])$"


def _finite(form, field) -> None:
    """NaN and infinity parse as decimals; they are not amounts (and cannot be compared)."""
    if field.data is not None and not field.data.is_finite():
        raise StopValidation(_l("Enter an amount of zero or more."))


class ChannelCostForm(TranslatedForm):
    """A channel's cost for one month, in the organisation's currency."""

    channel = SelectField(_l("Channel"), choices=[], validate_choice=True)
    month = StringField(_l("Month"), validators=[
        DataRequired(message=_l("Choose the month.")),
        Regexp(MONTH_PATTERN, message=_l("Give the month as year and month, e.g. 2026-03."))])
    amount = DecimalField(_l("Amount"), places=2, validators=[
        InputRequired(message=_l("Enter an amount of zero or more.")), _finite,
        NumberRange(min=0, max=999999999999, message=_l("Enter an amount of zero or more."))])
