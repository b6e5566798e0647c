"""Admin pages: users and roles, organisation settings, outbox, audit trail."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from recruit import audit
from recruit.admin import outbox as outbox_services
from recruit.admin.forms import HolidayForm, ReviewStepForm, SettingsForm
from recruit.auth import services as accounts
from recruit.auth import two_factor
from recruit.auth.forms import UserForm
from recruit.auth.models import User
from recruit.auth.permissions import allow
from recruit.extensions import db
from recruit.mail import OutboxMessage
from recruit.organisation import services as org
from recruit.search import contains, search_key
from recruit.timeutil import utcnow
from recruit.web import commit_or_flash, db_int

bp = Blueprint("admin", __name__)


@bp.route("/users")
@allow("admin")
def users():
    q = request.args.get("q", "").strip()
    stmt = sa.select(User).order_by(User.active.desc(), User.full_name)
    if q:
        stmt = stmt.where(sa.or_(contains(User.name_norm, search_key(q)), contains(User.email, q.lower())))
    return render_template("admin/users.html", users=list(db.session.scalars(stmt)), q=q)


@bp.route("/users/new", methods=["GET", "POST"])
@allow("admin")
def user_new():
    form = UserForm()
    invited = _("%(email)s was invited; the invitation is in the outbox.", email=form.email.data or "")
    if form.validate_on_submit() and commit_or_flash(
            lambda: accounts.invite_user(form.email.data, form.full_name.data, form.roles.data), invited):
        return redirect(url_for("admin.users"))
    return render_template("admin/user_edit.html", form=form, user=None)


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@allow("admin")
def user_edit(user_id: int):
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    form = UserForm(obj=user, data={"roles": sorted(user.roles)} if request.method == "GET" else None)
    form.email.render_kw = {"readonly": True}
    form.email.data = user.email
    if form.validate_on_submit() and commit_or_flash(
            lambda: accounts.update_user(user, full_name=form.full_name.data, roles=form.roles.data,
                                         active=form.active.data, actor=current_user), _("Saved.")):
        return redirect(url_for("admin.users"))
    return render_template("admin/user_edit.html", form=form, user=user)


@bp.route("/users/<int:user_id>/reset", methods=["POST"])
@allow("admin")
def user_reset(user_id: int):
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    accounts.request_password_reset(user.email)
    db.session.commit()
    flash(_("A password reset link for %(email)s is in the outbox.", email=user.email), "info")
    return redirect(url_for("admin.user_edit", user_id=user.id))


APPROVER_ROLES = ("admin", "hiring_manager")
REVIEWER_ROLES = ("admin", "hiring_manager", "recruiter")


def _user_choices(blank: str | None = None, roles: tuple[str, ...] = ()) -> list[tuple[int, str]]:
    """Only the people who may hold the part: the select field refuses any
    other id that a hand-made request sends."""
    people = db.session.scalars(sa.select(User).where(User.active.is_(True)).order_by(User.full_name))
    choices = [(u.id, f"{u.full_name} <{u.email}>") for u in people if not roles or u.has_role(*roles)]
    return ([(0, blank)] if blank else []) + choices


@bp.route("/settings", methods=["GET", "POST"])
@allow("admin")
def settings():
    current = org.get_settings()
    form = SettingsForm(data=None if request.method == "POST" else {
        "name": current.name, "timezone": current.timezone, "working_days": current.working_days,
        "reminder_offsets": ", ".join(str(h) for h in current.reminder_offsets_hours),
        "retention_days": current.retention_days, "approver_id": current.approver_id or 0,
        "interview_reward": current.interview_reward, "interview_overflow_cost": current.interview_overflow_cost,
        "show_rate_half_life_days": int(current.show_rate_half_life_days),
        "no_show_grace_minutes": current.no_show_grace_minutes, "require_two_factor": current.require_two_factor})
    form.timezone.choices = [(z, z) for z in org.valid_timezones()]
    form.approver_id.choices = _user_choices(_("Any admin"), APPROVER_ROLES)
    if form.validate_on_submit():
        try:
            offsets = [int(x) for x in form.reminder_offsets.data.replace(";", ",").split(",") if x.strip()]
        except ValueError:
            flash(_("Reminder offsets are whole hours, separated by commas."), "error")
        else:
            if commit_or_flash(lambda: two_factor.set_requirement(org.update_settings(
                    name=form.name.data, timezone=form.timezone.data, working_days=form.working_days.data,
                    reminder_offsets_hours=offsets, retention_days=form.retention_days.data,
                    approver_id=form.approver_id.data or None,
                    interview_reward=float(form.interview_reward.data),
                    interview_overflow_cost=float(form.interview_overflow_cost.data),
                    show_rate_half_life_days=float(form.show_rate_half_life_days.data),
                    no_show_grace_minutes=form.no_show_grace_minutes.data), form.require_two_factor.data),
                    _("Settings saved.")):
                return redirect(url_for("admin.settings"))
    step_form = ReviewStepForm()
    step_form.reviewer_id.choices = _user_choices(roles=REVIEWER_ROLES)
    return render_template("admin/settings.html", form=form, holiday_form=HolidayForm(), step_form=step_form,
                           holidays=org.holidays(), steps=org.review_steps())


@bp.route("/settings/holidays", methods=["POST"])
@allow("admin")
def holiday_add():
    form = HolidayForm()
    if form.validate_on_submit():
        commit_or_flash(lambda: org.add_holiday(form.day.data, form.name.data or ""))
    else:
        flash(_("Give the holiday's date."), "error")
    return redirect(url_for("admin.settings") + "#holidays")


@bp.route("/settings/holidays/<int:holiday_id>/remove", methods=["POST"])
@allow("admin")
def holiday_remove(holiday_id: int):
    org.remove_holiday(holiday_id)
    db.session.commit()
    return redirect(url_for("admin.settings") + "#holidays")


@bp.route("/settings/review-steps", methods=["POST"])
@allow("admin")
def review_step_add():
    form = ReviewStepForm()
    form.reviewer_id.choices = _user_choices(roles=REVIEWER_ROLES)
    if form.validate_on_submit():
        org.add_review_step(form.label.data, form.reviewer_id.data)
        db.session.commit()
    else:
        flash(_("Name the review and choose the reviewer."), "error")
    return redirect(url_for("admin.settings") + "#review")


@bp.route("/settings/review-steps/<int:step_id>/remove", methods=["POST"])
@allow("admin")
def review_step_remove(step_id: int):
    org.remove_review_step(step_id)
    db.session.commit()
    return redirect(url_for("admin.settings") + "#review")


@bp.route("/outbox")
@allow("admin")
def outbox():
    page = db.paginate(sa.select(OutboxMessage).order_by(OutboxMessage.id.desc()),
                       page=request.args.get("page", 1, type=db_int), per_page=50, error_out=False)
    return render_template("admin/outbox.html", page=page, now=utcnow())


@bp.route("/outbox/<int:message_id>")
@allow("admin")
def outbox_message(message_id: int):
    message = db.session.get(OutboxMessage, message_id)
    if message is None:
        abort(404)
    return render_template("admin/outbox_message.html", message=message, resendable=outbox_services.RESENDABLE)


@bp.route("/outbox/<int:message_id>/send-again", methods=["POST"])
@allow("admin")
def outbox_send_again(message_id: int):
    message = db.session.get(OutboxMessage, message_id)
    if message is None:
        abort(404)
    fresh = commit_or_flash(lambda: outbox_services.send_again(message, current_user),
                            _("Sent again; the new message is below."), errors=(outbox_services.OutboxError,))
    return redirect(url_for("admin.outbox_message", message_id=fresh.value.id if fresh else message.id))


@bp.route("/audit")
@allow("admin")
def audit_log():
    flt = {"action": request.args.get("action", "").strip(), "actor": request.args.get("actor", "").strip(),
           "object_type": request.args.get("object_type", "").strip()}
    object_id = request.args.get("object_id", type=db_int)
    page = db.paginate(audit.trail(**flt, object_id=object_id), page=request.args.get("page", 1, type=db_int),
                       per_page=100, error_out=False)
    return render_template("admin/audit.html", page=page, flt=flt, object_id=object_id,
                           detail_items=audit.detail_items)
