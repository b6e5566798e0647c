"""Training's periodic jobs (the daily digest for mentors and curators, the
hires' reminders) and the mentor bonus."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import format_date, ngettext
from flask_babel import gettext as _

from recruit import i18n, jobs
from recruit.auth.models import User
from recruit.extensions import db
from recruit.mail import absolute_url, queue_mail
from recruit.organisation.services import calendar, local_now, zone
from recruit.training.models import (
    OnboardingPlan,
    OnboardingTemplate,
    PlanStage,
    PlanTask,
)
from recruit.training.pages import pending_sign_offs, todo_for


def _language_of(user: User) -> str:
    """What a person's mail is written in: their own language, else the organisation's."""
    return i18n.first_shipped(user.locale, i18n.organisation_default())



@dataclass
class BonusLine:
    plan: OnboardingPlan
    days_allowed: int | None
    days_taken: int | None
    earned: bool


def mentor_bonuses() -> list[BonusLine]:
    """DOMAIN.md §3: a mentor earns the bonus when the trainee reaches the
    stage-3 targets (its sign-off) within the template's business days."""
    cal = calendar()
    lines = []
    for plan in db.session.scalars(sa.select(OnboardingPlan).order_by(OnboardingPlan.start_date)).unique():
        template = db.session.get(OnboardingTemplate, plan.template_id) if plan.template_id else None
        allowed = template.mentor_bonus_days if template else None
        stage = next((s for s in plan.stages if s.position == 3), None)
        taken = None
        if stage is not None and stage.sign_off is not None:
            signed_on = stage.sign_off.signed_at.astimezone(zone()).date()
            taken = cal.business_days_between(plan.start_date, signed_on) + 1
        lines.append(BonusLine(plan, allowed, taken, bool(allowed and taken is not None and taken <= allowed)))
    return lines



def send_digests() -> int:
    """Once a day, each mentor and curator hears about overdue tasks and sign-offs waiting for them."""
    today = local_now().date()
    people = set(db.session.scalars(sa.select(OnboardingPlan.mentor_id).where(OnboardingPlan.state == "active"))) | \
        set(db.session.scalars(sa.select(OnboardingPlan.curator_id).where(OnboardingPlan.state == "active")))
    sent = 0
    for user_id in sorted(people):
        user = db.session.get(User, user_id)
        if user is None or not user.active:
            continue
        overdue = [t for t in todo_for(user) if t.due_on < today]
        waiting = pending_sign_offs(user)
        if not overdue and not waiting:
            continue
        with i18n.in_language(_language_of(user)):
            lines = [_("Overdue: %(task)s (%(hire)s, due %(due)s)", task=t.title, hire=t.stage.plan.hire.full_name,
                       due=format_date(t.due_on, "long")) for t in overdue]
            lines += [_("Ready for your sign-off: %(stage)s of %(hire)s", stage=s.name, hire=s.plan.hire.full_name)
                      for s in waiting]
            queue_mail(user.email, ngettext("Onboarding: %(num)d thing waits for you",
                                            "Onboarding: %(num)d things wait for you", len(lines)),
                       _("Hello %(name)s,\n\n%(lines)s\n\n%(link)s", name=user.full_name, lines="\n".join(lines),
                         link=absolute_url("training.mentees")), kind="training.digest")
        sent += 1
    return sent


def remind_hires() -> int:
    """New hires hear the day before about their tasks due the next business day."""
    cal = calendar()
    tomorrow = cal.add_business_days(local_now().date(), 1)
    tasks = db.session.scalars(
        sa.select(PlanTask).join(PlanStage, PlanTask.stage_id == PlanStage.id)
        .join(OnboardingPlan, PlanStage.plan_id == OnboardingPlan.id)
        .where(OnboardingPlan.state == "active", PlanTask.owner_role == "new_hire", PlanTask.done_at.is_(None),
               PlanTask.due_on == tomorrow)).unique().all()
    by_hire: dict[int, list[PlanTask]] = {}
    for task in tasks:
        by_hire.setdefault(task.stage.plan.hire_id, []).append(task)
    for hire_id, items in by_hire.items():
        hire = db.session.get(User, hire_id)
        with i18n.in_language(_language_of(hire)):
            queue_mail(hire.email, _("Due tomorrow in your onboarding"),
                       _("Hello %(name)s,\n\nDue on %(day)s:\n%(tasks)s\n\n%(link)s", name=hire.full_name,
                         day=format_date(tomorrow, "full"), tasks="\n".join(f"- {t.title}" for t in items),
                         link=absolute_url("training.mine")), kind="training.reminder")
    return len(by_hire)


JOBS = [
    jobs.Job("training.digest", send_digests, every_seconds=24 * 3600),
    jobs.Job("training.reminders", remind_hires, every_seconds=24 * 3600),
]
