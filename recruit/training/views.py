"""Onboarding pages: starting a plan from a hire, the plan with its gates, the
new hire's own page, to-do lists, the mentor's and HR's overviews."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import format_date, ngettext
from flask_babel import gettext as _
from flask_login import current_user

from recruit import audit
from recruit.auth import services as accounts
from recruit.auth.permissions import allow, can, ensure, load
from recruit.exports import csv_download
from recruit.extensions import db
from recruit.i18n import label
from recruit.organisation.services import local_now
from recruit.training import activity_log, pages, plan_templates, readiness, tasks
from recruit.training import gates as gating
from recruit.training import plans as onboarding
from recruit.training.criteria import METRICS, format_lines
from recruit.training.errors import TrainingError
from recruit.training.models import ActivityImport, OnboardingPlan, OnboardingTemplate, PlanStage, PlanTask
from recruit.web import commit_or_flash, db_int, same_site_path

bp = Blueprint("training", __name__)


@bp.record_once
def _template_globals(state) -> None:
    state.app.jinja_env.globals.update(plan_can=can)
EVERYONE = ("admin", "hiring_manager", "recruiter", "receptionist", "mentor", "trainer", "new_hire")


def _date(raw: str | None, default: date | None = None) -> date:
    if not raw:
        if default is None:
            raise ValueError(_("Give a date."))
        return default
    try:
        return date.fromisoformat(raw)
    except ValueError as exc:
        raise ValueError(_("Dates look like 2026-11-24.")) from exc


@bp.route("/plans")
@allow("admin", "recruiter")
def overview():
    state = request.args.get("state", "active")
    mentor = request.args.get("mentor", type=db_int)
    plans = pages.plans_overview(state, mentor)
    lines = pages.summaries(plans)
    if request.args.get("format") in ("csv", "xlsx"):
        def rows():
            for plan in plans:
                stage = lines[plan.id].stage
                yield [plan.hire.full_name, plan.hire.email, plan.start_date.isoformat(),
                       stage.name if stage else _("all stages signed off"), plan.mentor.full_name,
                       plan.curator.full_name, label(plan.state, "plan_state"), lines[plan.id].overdue,
                       label("yes", "training_yes_no") if plan.needs_decision else ""]

        return csv_download("onboarding-plans.csv", [_("New hire"), _("E-mail"), _("Started"), _("Stage"),
                                                     _("Mentor"), _("Curator"), _("State"), _("Overdue tasks"),
                                                     _("Needs a decision")], rows())
    return render_template("training/overview.html", plans=plans, state=state, mentor=mentor,
                           mentors=[u for u, _room in onboarding.mentors_with_room()], summaries=lines)


@bp.route("/plans/new", methods=["GET", "POST"])
@allow("admin", "recruiter")
def new():
    application = pages.hire_application(request.values.get("application", 0, type=db_int))
    templates = plan_templates.templates()
    if not templates:
        templates = [plan_templates.ensure_default_template()]
        db.session.commit()
    staff = accounts.active_people()

    def start() -> OnboardingPlan:
        template = plan_templates.chosen_template(request.form.get("template_id", 0, type=db_int))
        return onboarding.start_plan(onboarding.PlanRequest(
            hire_email=request.form.get("hire_email", ""), hire_name=request.form.get("hire_name", ""),
            start=_date(request.form.get("start")), template=template,
            mentor_id=request.form.get("mentor_id", 0, type=db_int),
            curator_id=request.form.get("curator_id", 0, type=db_int),
            head_id=request.form.get("head_id", 0, type=db_int) or None,
            hr_id=current_user.id, sysadmin_id=request.form.get("sysadmin_id", 0, type=db_int) or None,
            application=application), current_user)

    if request.method == "POST" and (started := commit_or_flash(start)):
        flash(_("The plan is running; %(name)s has an invitation to their account.",
                name=started.value.hire.full_name), "success")
        return redirect(url_for("training.plan", plan_id=started.value.id))
    return render_template("training/new.html", application=application, templates=templates, staff=staff,
                           mentors=onboarding.mentors_with_room(), today=local_now().date())


@bp.route("/plans/<int:plan_id>")
@allow(*EVERYONE)
def plan(plan_id: int):
    _held = pages.plan_to_show(plan_id)  # held: `load` finds it in the session
    return _render_plan(load(OnboardingPlan, plan_id, "plan.view"))


def _render_plan(plan: OnboardingPlan):
    facts = gating.plan_facts(plan)  # read once for the gates and the activity chart
    gates = gating.gates(plan, facts)
    return render_template("training/plan.html", plan=plan, gates=gates, current=onboarding.current_stage(plan),
                           roles=onboarding.responsibilities(plan, current_user), today=local_now().date(),
                           activity=pages.activity_chart(plan, facts=facts), metrics=METRICS,
                           forecasts=readiness.plan_forecasts(plan, facts),
                           tries=facts.tries, decisions=facts.decisions, changes=activity_log.history(plan))


@bp.route("/my-plan")
@allow("new_hire")
def mine():
    plan = pages.own_plan(current_user)
    if plan is None:
        return render_template("training/no_plan.html")
    return _render_plan(plan)


@bp.route("/plan-tasks/<int:task_id>/done", methods=["POST"])
@allow(*EVERYONE)
def tick(task_id: int):
    task = load(PlanTask, task_id)
    ensure("plan.view", task.stage.plan)
    try:
        onboarding.tick_task(task, current_user, done=request.form.get("undo") != "1")
    except PermissionError:
        abort(403)
    db.session.commit()
    return redirect(same_site_path(request.form.get("next"), url_for("training.plan", plan_id=task.stage.plan_id)))


@bp.route("/plans/<int:plan_id>/activity", methods=["POST"])
@allow(*EVERYONE)
def log_activity(plan_id: int):
    plan = load(OnboardingPlan, plan_id, "plan.log_activity")
    saved: list = []

    def save() -> None:
        saved.append(_date(request.form.get("day"), local_now().date()))
        activity_log.log_activity(plan, saved[0], {m: request.form.get(m, "") for m in METRICS}, current_user)

    commit_or_flash(save, lambda: _("Activity for %(day)s saved.", day=format_date(saved[0], "medium")))
    return redirect(url_for("training.plan", plan_id=plan.id) + "#activity")


@bp.route("/plans/<int:plan_id>/activity/import", methods=["POST"])
@allow(*EVERYONE)
def import_activity(plan_id: int):
    plan = load(OnboardingPlan, plan_id, "plan.log_activity")
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        flash(_("Choose the CRM export (CSV) first."), "error")
        return redirect(url_for("training.plan", plan_id=plan.id) + "#activity")
    held = commit_or_flash(lambda: activity_log.upload_activity(plan, upload.read(), upload.filename, current_user))
    if held is None:
        return redirect(url_for("training.plan", plan_id=plan.id) + "#activity")
    return redirect(url_for("training.activity_import", plan_id=plan.id, import_id=held.value.id))


def _held_import(plan_id: int, import_id: int) -> tuple[OnboardingPlan, ActivityImport]:
    plan = load(OnboardingPlan, plan_id, "plan.log_activity")
    upload = activity_log.held_import(plan, import_id)
    if upload is None:
        abort(404)
    return plan, upload


@bp.route("/plans/<int:plan_id>/activity/import/<int:import_id>")
@allow(*EVERYONE)
def activity_import(plan_id: int, import_id: int):
    plan, upload = _held_import(plan_id, import_id)
    if upload.applied_at is not None:
        flash(_("This file has already been imported."), "info")
        return redirect(url_for("training.plan", plan_id=plan.id) + "#activity")
    try:
        shown = activity_log.preview(upload)
    except TrainingError as exc:
        flash(str(exc), "error")
        return redirect(url_for("training.plan", plan_id=plan.id) + "#activity")
    return render_template("training/activity_import.html", plan=plan, preview=shown, metrics=METRICS)


@bp.route("/plans/<int:plan_id>/activity/import/<int:import_id>", methods=["POST"])
@allow(*EVERYONE)
def apply_activity_import(plan_id: int, import_id: int):
    plan, upload = _held_import(plan_id, import_id)

    def done() -> str:
        report = outcome.value
        text = ngettext("%(num)d day updated from the CRM export.", "%(num)d days updated from the CRM export.",
                        report["days"])
        if report["kept_lower"]:
            text += " " + ngettext("%(num)d lower number was kept as it was.",
                                   "%(num)d lower numbers were kept as they were.", report["kept_lower"])
        return text

    outcome = commit_or_flash(lambda: activity_log.apply_import(
        upload, current_user, skip_bad_rows=request.form.get("skip") == "1", lower=request.form.get("lower") == "1"))
    if outcome is None:  # the preview again, or the plan when it was applied meanwhile
        return redirect(url_for("training.activity_import", plan_id=plan.id, import_id=import_id))
    flash(done(), "success")
    return redirect(url_for("training.plan", plan_id=plan.id) + "#activity")


@bp.route("/plans/<int:plan_id>/role-play", methods=["POST"])
@allow(*EVERYONE)
def role_play(plan_id: int):
    plan = load(OnboardingPlan, plan_id, "plan.coach")
    commit_or_flash(lambda: onboarding.record_role_play(plan, _date(request.form.get("tried_on"), local_now().date()),
                                                request.form.get("players", ""), request.form.get("passed") == "1",
                                                request.form.get("notes", ""), current_user),
                    _("Role-play try recorded."))
    return redirect(url_for("training.plan", plan_id=plan.id) + "#role-play")


@bp.route("/plans/<int:plan_id>/decision", methods=["POST"])
@allow(*EVERYONE)
def decide(plan_id: int):
    plan = load(OnboardingPlan, plan_id, "plan.decide")
    commit_or_flash(lambda: gating.decide(plan, request.form.get("decision", ""), request.form.get("reason", ""),
                                      current_user), _("Decision recorded."))
    return redirect(url_for("training.plan", plan_id=plan.id))


@bp.route("/plan-stages/<int:stage_id>/sign-off", methods=["POST"])
@allow(*EVERYONE)
def sign_off(stage_id: int):
    stage = load(PlanStage, stage_id)
    ensure("plan.view", stage.plan)
    commit_or_flash(lambda: gating.sign_off(stage, current_user), _("“%(name)s” is signed off.", name=stage.name))
    return redirect(url_for("training.plan", plan_id=stage.plan_id))


@bp.route("/plan-stages/<int:stage_id>/override", methods=["POST"])
@allow(*EVERYONE)
def override(stage_id: int):
    stage = load(PlanStage, stage_id)
    ensure("plan.view", stage.plan)
    index = request.form.get("index", -1, type=db_int)
    commit_or_flash(lambda: gating.override(stage, index, request.form.get("reason", ""), current_user),
                    _("Criterion overridden; the reason is in the audit trail."), category="info")
    return redirect(url_for("training.plan", plan_id=stage.plan_id))


@bp.route("/plans/<int:plan_id>/summary")
@allow(*EVERYONE)
def summary(plan_id: int):
    """The whole history on one printable page."""
    plan = load(OnboardingPlan, plan_id, "plan.view")
    facts = gating.plan_facts(plan)
    return render_template("training/summary.html", plan=plan, gates=gating.gates(plan, facts),
                           tries=facts.tries, decisions=facts.decisions,
                           totals=pages.activity_totals(plan), history=audit.history("onboarding_plans", plan.id))


@bp.route("/plans/bonuses")
@allow("admin", "recruiter")
def bonuses():
    lines = tasks.mentor_bonuses()
    if request.args.get("format") in ("csv", "xlsx"):
        return csv_download("mentor-bonuses.csv", [_("Mentor"), _("Trainee"), _("Started"),
                                                   _("Business days allowed"), _("Business days taken"),
                                                   _("Bonus earned")],
                            ([line.plan.mentor.full_name, line.plan.hire.full_name, line.plan.start_date.isoformat(),
                              line.days_allowed or "", line.days_taken or "",
                              label("yes" if line.earned else "no", "training_yes_no")]
                             for line in lines))
    return render_template("training/bonuses.html", lines=lines)


@bp.route("/onboarding-templates", methods=["GET", "POST"])
@allow("admin")
def templates():
    if request.method == "POST" and (created := commit_or_flash(
            lambda: plan_templates.create_template(request.form.get("name", ""), current_user))):
        return redirect(url_for("training.template", template_id=created.value.id))
    templates = plan_templates.templates()
    if not templates:
        templates = [plan_templates.ensure_default_template()]
        db.session.commit()
    return render_template("training/templates.html", templates=templates)


# The template page's forms name their edit; each has its own function.
TEMPLATE_EDITS = {
    "details": plan_templates.edit_details,
    "add_stage": plan_templates.add_stage,
    "save_stage": plan_templates.save_stage,
    "stage_up": plan_templates.stage_up,
    "stage_down": plan_templates.stage_down,
    "delete_stage": plan_templates.delete_stage,
    "add_task": plan_templates.add_task,
    "task_up": plan_templates.task_up,
    "task_down": plan_templates.task_down,
    "delete_task": plan_templates.delete_task,
}


@bp.route("/onboarding-templates/<int:template_id>", methods=["GET", "POST"])
@allow("admin")
def template(template_id: int):
    template = load(OnboardingTemplate, template_id)
    if request.method == "POST":
        edit = TEMPLATE_EDITS.get(request.form.get("action", ""), plan_templates.unknown_change)
        commit_or_flash(lambda: edit(template, request.form.to_dict(), current_user),
                        lambda: _("Saved as version %(v)d; running plans keep the version they started with.",
                                  v=template.version))
        return redirect(url_for("training.template", template_id=template.id))
    return render_template("training/template.html", template=template, format_lines=format_lines,
                           metrics=METRICS)


@bp.route("/todo")
@allow("admin", "hiring_manager", "recruiter", "mentor")
def todo():
    return render_template("training/todo.html", tasks=pages.todo_for(current_user), today=local_now().date())


@bp.route("/mentees")
@allow("admin", "hiring_manager", "mentor")
def mentees():
    plans = pages.mentees_of(current_user)
    return render_template("training/mentees.html", plans=plans, summaries=pages.summaries(plans))

