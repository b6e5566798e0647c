from flask_babel import lazy_gettext as _l
from wtforms import (
    DateField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional, Regexp, ValidationError

from recruit.interviews.hiring_report import Filters
from recruit.web import TranslatedForm, db_int

# wtforms fills in %(max)d
TOO_LONG = _l("At most %(max)d characters.")


class SessionForm(TranslatedForm):
    kind = SelectField(_l("Format"), choices=[("stream", _l("Stream: individual interviews in slots")),
                                              ("group", _l("Group: one sitting"))])
    title = StringField(_l("Title"), validators=[Length(max=160, message=TOO_LONG)])
    vacancy_id = SelectField(_l("Vacancy"), coerce=int, choices=[])
    day = DateField(_l("Date"), validators=[DataRequired(message=_l("Choose the day."))])
    start = TimeField(_l("From"), validators=[DataRequired(message=_l("Give the time the day starts."))])
    end = TimeField(_l("To"), validators=[DataRequired(message=_l("Give the time the day ends."))])
    slot_minutes = IntegerField(_l("Slot length, minutes"), default=30,
                                validators=[Optional(), NumberRange(min=5, max=240,
                                                                    message=_l("A slot lasts 5 to 240 minutes."))])
    seats = IntegerField(_l("Seats (group)"), default=8, validators=[
        Optional(), NumberRange(min=1, max=200, message=_l("A group sitting has 1 to 200 seats."))])
    place = StringField(_l("Place (room, address)"), validators=[Length(max=200, message=TOO_LONG)])
    directions = TextAreaField(_l("How to get there"), validators=[Length(max=2000, message=TOO_LONG)])
    video_link = StringField(_l("Video-call link (remote interviews)"), validators=[Length(max=500, message=TOO_LONG)])
    interviewers = SelectMultipleField(_l("Interviewers"), coerce=int, choices=[],
                                       validators=[DataRequired(message=_l("Name at least one interviewer."))])
    receptionist_id = SelectField(_l("Receptionist"), coerce=int, choices=[])


def _score(value: object) -> int | None:
    return int(value) if value not in (None, "") else None  # type: ignore[call-overload]


# No score is chosen for the interviewer: a 3 written in advance was saved as a judgement nobody made.
_SCORES = [("", "—")] + [(i, str(i)) for i in range(1, 6)]
_SCORED = DataRequired(message=_l("Scores run from 1 to 5."))


class ScorecardForm(TranslatedForm):
    motivation = SelectField(_l("Motivation"), coerce=_score, choices=_SCORES, validators=[_SCORED])
    competence = SelectField(_l("Competence"), coerce=_score, choices=_SCORES, validators=[_SCORED])
    adequacy = SelectField(_l("Adequacy"), coerce=_score, choices=_SCORES, validators=[_SCORED])
    note = TextAreaField(_l("Note"), validators=[Length(max=5000, message=TOO_LONG)])
    next_stage = SelectField(_l("Next step"), choices=[])


def scorecard_form(criteria: list, card=None) -> ScorecardForm:
    """The scorecard with one score per criterion of the vacancy's kit, read
    back from the author's card when it is opened again."""

    class KitScorecardForm(ScorecardForm):
        pass

    for criterion in criteria:
        setattr(KitScorecardForm, f"kit_{criterion.id}",
                SelectField(criterion.name, coerce=_score, choices=_SCORES, validators=[_SCORED]))
    form = KitScorecardForm(obj=card)
    if card is not None and not form.is_submitted():
        given = {s.criterion_id: s.score for s in card.criteria}
        for criterion in criteria:
            getattr(form, f"kit_{criterion.id}").data = given.get(criterion.id)
    return form


def kit_scores(form: ScorecardForm, criteria: list) -> dict[int, int]:
    return {c.id: getattr(form, f"kit_{c.id}").data for c in criteria}


class CriterionForm(Form):
    """One row of the kit (a plain Form: the kit's form carries the CSRF token)."""

    name = StringField(_l("Criterion"), validators=[Length(max=120, message=TOO_LONG)])
    question = TextAreaField(_l("Question to ask"), validators=[Length(max=2000, message=TOO_LONG)])
    low = TextAreaField(_l("What a 1 looks like"), validators=[Length(max=2000, message=TOO_LONG)])
    high = TextAreaField(_l("What a 5 looks like"), validators=[Length(max=2000, message=TOO_LONG)])


class KitForm(TranslatedForm):
    criteria = FieldList(FormField(CriterionForm), min_entries=1, max_entries=14)


class DecisionForm(TranslatedForm):
    next_step = SelectField(_l("Next step"), choices=[
        ("", "—"), ("role_play", _l("Role-play")), ("offer", _l("Offer")), ("rejected", _l("Reject"))],
        validators=[DataRequired(message=_l("Choose the next step."))])
    reason = StringField(_l("Reason (for a rejection)"), validators=[Length(max=500, message=TOO_LONG)])


class CallForm(TranslatedForm):
    """One call of the day-before round: the outcome is the button tapped;
    `tap` marks this form once (a double tap records one call) and `seen` is
    the last call the page showed (someone else's call since is not
    overwritten)."""

    outcome = SelectField(_l("Outcome"), choices=[("confirmed", _l("Confirmed by phone")), ("declined", _l("Declined")),
                                                 ("no_answer", _l("No answer")), ("call_back", _l("Call back"))],
                          validators=[DataRequired(message=_l("Choose how the call ended."))])
    note = StringField(_l("Note"), validators=[Length(max=200, message=TOO_LONG)])
    call_back = StringField(_l("Call back at"), validators=[
        Optional(), Regexp(r"^\d{1,2}:\d{2}$", message=_l("Times look like 13:30."))])
    tap = HiddenField(validators=[DataRequired(message=_l("This form is out of date; the call list is shown again."))])
    seen = IntegerField(validators=[Optional()], default=0)


def _chosen_id(value: object) -> int | None:
    """A choice of a vacancy or an interviewer: "" is "all"; anything else must be an id."""
    if value in (None, "", "0"):
        return None
    return db_int(str(value))


def _plausible_day(form, field) -> None:
    if field.data is not None and not FIRST_REPORT_YEAR <= field.data.year <= LAST_REPORT_YEAR:
        raise ValidationError(_l("Choose a day between %(first)s and %(last)s.", first=FIRST_REPORT_YEAR,
                                 last=LAST_REPORT_YEAR))


FIRST_REPORT_YEAR, LAST_REPORT_YEAR = 2000, 2100


class ReportFilterForm(TranslatedForm):
    """The reports' filters, read from the page's GET parameters: every one
    optional, each refused on its own with a message while the others apply."""

    class Meta:
        csrf = False  # a GET form that changes nothing

    start = DateField(_l("From"), validators=[Optional(), _plausible_day])
    end = DateField(_l("To"), validators=[Optional(), _plausible_day])
    vacancy = SelectField(_l("Vacancy"), coerce=_chosen_id, choices=[], validate_choice=True)
    interviewer = SelectField(_l("Interviewer"), coerce=_chosen_id, choices=[], validate_choice=True)
    channel = SelectField(_l("Channel"), choices=[], default="", validate_choice=True)

    def validate_end(self, field) -> None:
        if field.data and self.start.data and not self.start.errors and field.data < self.start.data:
            raise ValidationError(_l("The period ends before it starts: choose a later end."))

    def filters(self) -> Filters:
        """The filters that are valid (a refused field narrows nothing)."""
        def valid(name: str):
            item = self[name]
            return None if item.errors else item.data or None

        return Filters(start=valid("start"), end=valid("end"), vacancy_id=valid("vacancy"),
                       interviewer_id=valid("interviewer"), channel=valid("channel"))
