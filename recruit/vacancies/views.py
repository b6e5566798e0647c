"""The vacancy pages: job-description templates, vacancy intake, review,
transitions and comments. The candidate pages are candidate_views.py, the
import pages import_views.py; all three put their routes on the one
vacancies blueprint (blueprint.py). Views parse input, call a service,
commit, render."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from recruit import audit
from recruit.auth.permissions import ANY_ROLE, allow, load
from recruit.extensions import db
from recruit.i18n import label
from recruit.vacancies import amendments as vacancy_amendments

# the candidate and import pages: imported for their routes, which join bp
from recruit.vacancies import candidate_views, import_views  # noqa: F401
from recruit.vacancies import services as vacancy_services
from recruit.vacancies.blueprint import bp, form_data
from recruit.vacancies.forms import (
    AmendmentForm,
    CommentForm,
    ReviewForm,
    TemplateForm,
    TransitionForm,
    VacancyForm,
)
from recruit.vacancies.models import JobTemplate, Vacancy
from recruit.vacancies.pipeline import VACANCY_STATES
from recruit.web import commit_or_flash, db_int

# --- templates ---------------------------------------------------------------------

@bp.route("/templates")
@allow("admin", "hiring_manager", "recruiter")
def templates():
    return render_template("vacancies/templates.html", templates=vacancy_services.templates(str(get_locale())))


@bp.route("/templates/<int:template_id>")
@allow("admin", "hiring_manager", "recruiter")
def template_detail(template_id: int):
    return render_template("vacancies/template_detail.html", template=load(JobTemplate, template_id))


@bp.route("/templates/new", methods=["GET", "POST"])
@bp.route("/templates/<int:template_id>/edit", methods=["GET", "POST"])
@allow("admin")
def template_edit(template_id: int | None = None):
    template = load(JobTemplate, template_id) if template_id else None
    form = TemplateForm(obj=template)
    if form.validate_on_submit() and (saved := commit_or_flash(
            lambda: vacancy_services.save_template(template, form_data(form)),
            _("Template saved. Vacancies already requested keep their own copy."))):
        return redirect(url_for("vacancies.template_detail", template_id=saved.value.id))
    return render_template("vacancies/template_edit.html", form=form, template=template)


# --- vacancies ---------------------------------------------------------------------

@bp.route("/vacancies")
@allow("admin", "hiring_manager", "recruiter")
def index():
    state = request.args.get("state") if request.args.get("state") in VACANCY_STATES else None
    vacancies = vacancy_services.vacancy_list(current_user, state)
    counts = vacancy_services.stage_counts_of(vacancies)
    return render_template("vacancies/index.html", vacancies=vacancies, state=state, counts=counts,
                           states=VACANCY_STATES)


@bp.route("/vacancies/new", methods=["GET", "POST"])
@allow("admin", "hiring_manager")
def new():
    template_id = request.args.get("template", type=db_int)
    template = vacancy_services.template_or_none(template_id)
    if template is None:
        return render_template("vacancies/choose_template.html",
                               templates=vacancy_services.templates(str(get_locale())))
    form = VacancyForm(data=vacancy_services.defaults_from_template(template) if request.method == "GET" else None)
    if form.validate_on_submit() and (requested := commit_or_flash(
            lambda: vacancy_services.request_vacancy(template, form_data(form), current_user),
            _("Draft saved. Send it for review when it is ready."))):
        return redirect(url_for("vacancies.detail", vacancy_id=requested.value.id))
    return render_template("vacancies/edit.html", form=form, template=template, vacancy=None)


@bp.route("/vacancies/<int:vacancy_id>")
@allow(ANY_ROLE)
def detail(vacancy_id: int):
    vacancy = load(Vacancy, vacancy_id, "vacancy.view")
    funnel = vacancy_services.funnel_for(vacancy) if vacancy.state not in ("draft",) else None
    my_reviews = [r for r in vacancy.reviews if r.reviewer_id == current_user.id and r.decision == "pending"
                  and vacancy.state == "in_review"]
    return render_template(
        "vacancies/detail.html", vacancy=vacancy, funnel=funnel, history=audit.history("vacancies", vacancy.id),
        transitions=vacancy_services.allowed_transitions(vacancy, current_user), my_reviews=my_reviews,
        transition_form=TransitionForm(), review_form=ReviewForm(), comment_form=CommentForm(),
        approver=vacancy_services.approver(), change=vacancy_amendments.for_page(vacancy, current_user),
        amendment_form=AmendmentForm())


@bp.route("/vacancies/<int:vacancy_id>/edit", methods=["GET", "POST"])
@allow(ANY_ROLE)
def edit(vacancy_id: int):
    vacancy = load(Vacancy, vacancy_id, "vacancy.edit")
    form = VacancyForm(obj=vacancy)
    if form.validate_on_submit() and (saved := commit_or_flash(
            lambda: vacancy_services.update_vacancy(vacancy, form_data(form), current_user,
                                                    reason=form.change_reason.data or ""))):
        flash(_("Saved. The new headcount or pay waits for review and approval; until then the approved "
                "values stay.") if saved.value else _("Vacancy saved."), "success")
        return redirect(url_for("vacancies.detail", vacancy_id=vacancy.id))
    return render_template("vacancies/edit.html", form=form, template=vacancy.template, vacancy=vacancy,
                           amends=vacancy.state in vacancy_amendments.APPROVED_STATES,
                           change=vacancy_amendments.pending(vacancy))


@bp.route("/vacancies/<int:vacancy_id>/transition", methods=["POST"])
@allow(ANY_ROLE)
def transition(vacancy_id: int):
    vacancy = load(Vacancy, vacancy_id, "vacancy.view")
    form = TransitionForm()
    if not form.validate_on_submit():
        flash(_("Choose what to do with the vacancy."), "error")
        return redirect(url_for("vacancies.detail", vacancy_id=vacancy.id))
    commit_or_flash(lambda: vacancy_services.transition(vacancy, form.target.data, current_user,
                                                        form.comment.data or ""),
                    lambda: _("The vacancy is now %(state)s.", state=label(vacancy.state, "vacancy_state")))
    return redirect(url_for("vacancies.detail", vacancy_id=vacancy.id))


@bp.route("/vacancies/<int:vacancy_id>/reviews/<int:review_id>", methods=["POST"])
@allow(ANY_ROLE)
def review(vacancy_id: int, review_id: int):
    vacancy = load(Vacancy, vacancy_id, "vacancy.view")
    form = ReviewForm()
    if form.validate_on_submit():
        commit_or_flash(lambda: vacancy_services.review(vacancy, review_id, form.decision.data,
                                                        form.comment.data or "", current_user),
                        _("Your review is recorded; the people it concerns are told by e-mail."))
    # a reviewer who sent the vacancy back still sees it (policies.sent_back_by)
    return redirect(url_for("vacancies.detail", vacancy_id=vacancy.id))


@bp.route("/vacancies/<int:vacancy_id>/amendments/<int:amendment_id>", methods=["POST"])
@allow(ANY_ROLE)
def amendment(vacancy_id: int, amendment_id: int):
    """The approver approves or declines a change of headcount or pay; its proposer may withdraw it."""
    vacancy = load(Vacancy, vacancy_id, "vacancy.view")
    form = AmendmentForm()
    if not form.validate_on_submit():
        flash(_("Choose what to do with the change."), "error")
    else:
        commit_or_flash(lambda: vacancy_amendments.settle(vacancy, amendment_id, form.decision.data,
                                                  form.comment.data or "", current_user),
                        lambda: _("The change is now %(state)s.",
                                  state=label(form.decision.data, "amendment_state")))
    return redirect(url_for("vacancies.detail", vacancy_id=vacancy.id))


@bp.route("/vacancies/<int:vacancy_id>/comments", methods=["POST"])
@allow(ANY_ROLE)
def comment(vacancy_id: int):
    vacancy = load(Vacancy, vacancy_id, "vacancy.comment")
    form = CommentForm()
    if form.validate_on_submit():
        vacancy_services.add_comment(vacancy, form.body.data, current_user)
        db.session.commit()
    else:
        flash(_("Write something first."), "error")
    return redirect(url_for("vacancies.detail", vacancy_id=vacancy.id) + "#comments")
