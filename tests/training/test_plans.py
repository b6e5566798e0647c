"""Onboarding plans in the services: dates in business days, tasks, the
activity log, role-play, gates, sign-offs and overrides."""

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from recruit.audit import AppendOnlyError, AuditEntry
from recruit.mail import OutboxMessage
from recruit.organisation import services as org
from recruit.training import activity_log, gates, plan_templates, tasks
from recruit.training import plans as ts
from recruit.training.errors import TrainingError
from recruit.training.models import QuizOutcome, SignOff
from recruit.utc import utcnow

pytestmark = pytest.mark.pg


def _plan(people, start, email="hire@x.test"):
    template = plan_templates.ensure_default_template()
    return ts.start_plan(ts.PlanRequest(hire_email=email, hire_name="New Hire", start=start, template=template,
                                        mentor_id=people["mentor"].id, curator_id=people["curator"].id,
                                        head_id=people["head"].id, hr_id=people["hr"].id), people["hr"])


def test_default_template_has_the_four_stages(ctx):
    template = plan_templates.ensure_default_template()
    assert [s.name for s in template.stages] == ["Orientation", "Product and client base",
                                                "Sales training with a mentor", "Working rhythm under a curator"]
    assert any("1C" in t.title and t.owner_role == "sysadmin" for t in template.stages[0].tasks)
    assert {c["kind"] for c in template.stages[2].criteria} == {"tasks_done", "activity", "quiz_passed",
                                                                "role_play", "sign_off"}
    assert template.stages[3].criteria[-1] == {"kind": "sign_off", "role": "curator"}
    assert plan_templates.ensure_default_template() is template


def test_plan_dates_skip_weekends_and_holidays(people, ctx):
    org.add_holiday(date(2027, 1, 7), "Christmas")
    plan = _plan(people, date(2027, 1, 2))  # a Saturday
    assert plan.start_date == date(2027, 1, 4)
    orientation, product = plan.stages[0], plan.stages[1]
    assert (orientation.starts_on, orientation.due_on) == (date(2027, 1, 4), date(2027, 1, 5))
    assert product.starts_on == date(2027, 1, 6)
    assert product.due_on == date(2027, 1, 13)  # five business days skipping the 7th and the weekend
    head_task = orientation.tasks[3]
    assert head_task.owner_role == "head" and head_task.starts_on == date(2027, 1, 5)
    assert plan.template_version == 1
    invitation = ctx.session.scalar(sa.select(OutboxMessage).where(OutboxMessage.kind == "invitation"))
    assert invitation.recipient == "hire@x.test"
    assert plan.hire.has_role("new_hire")


def test_mentor_capacity_and_hired_only(people, ctx):
    people["mentor"].max_mentees = 1
    _plan(people, date(2027, 2, 1), "a@x.test")
    with pytest.raises(TrainingError, match="most they take"):
        _plan(people, date(2027, 2, 1), "b@x.test")
    assert dict((u.email, room) for u, room in ts.mentors_with_room())["mentor@x.test"] == 0


def test_tasks_are_ticked_by_their_owners(people):
    plan = _plan(people, date(2027, 2, 1))
    briefing = plan.stages[0].tasks[0]  # HR's
    with pytest.raises(PermissionError):
        ts.tick_task(briefing, people["mentor"])
    ts.tick_task(briefing, people["hr"])
    assert briefing.done_at is not None and briefing.done_by_id == people["hr"].id


def _complete_tasks(stage, people, plan):
    owners = {"hr": people["hr"], "head": people["head"], "mentor": people["mentor"],
              "curator": people["curator"], "new_hire": plan.hire, "sysadmin": people["admin"]}
    for task in stage.tasks:
        ts.tick_task(task, owners[task.owner_role])


def test_gate_sign_off_and_override(people, ctx):
    plan = _plan(people, org.local_now().date() - timedelta(days=40))
    orientation = plan.stages[0]
    with pytest.raises(TrainingError, match="All required tasks done"):
        gates.sign_off(orientation, people["mentor"])
    with pytest.raises(PermissionError):
        gates.override(orientation, 0, "they know the company already", people["mentor"])
    with pytest.raises(TrainingError, match="Write why"):
        gates.override(orientation, 0, " ", people["head"])
    gates.override(orientation, 0, "Rehired: knows the company already", people["head"])
    lines = gates.gate(orientation)
    assert lines[0].met and not lines[0].result.met and lines[0].override.reason.startswith("Rehired")
    with pytest.raises(PermissionError):
        gates.sign_off(orientation, people["curator"])  # stages 1-3 are the mentor's
    record = gates.sign_off(orientation, people["mentor"])
    assert record.evidence[0]["overridden"].startswith("Rehired")
    with pytest.raises(TrainingError, match="already signed off"):
        gates.sign_off(orientation, people["mentor"])
    ctx.session.commit()
    actions = ctx.session.scalars(sa.select(AuditEntry.action).where(AuditEntry.action.in_(
        ("criterion.override", "stage.sign_off")))).all()
    assert actions == ["criterion.override", "stage.sign_off"]
    record.role = "curator"
    with pytest.raises(AppendOnlyError):
        ctx.session.flush()
    ctx.session.rollback()
    # stage 2 needs its tasks and 20 calls a day over the last three business days
    product = plan.stages[1]
    _complete_tasks(product, people, plan)
    with pytest.raises(TrainingError, match="Activity target met"):
        gates.sign_off(product, people["mentor"])
    cal = org.calendar()
    day = cal.add_business_days(org.local_now().date(), -1) if not cal.is_business_day(org.local_now().date()) \
        else org.local_now().date()
    for _ in range(3):
        activity_log.log_activity(plan, day, {"calls": 25}, plan.hire)
        day = cal.add_business_days(day, -1)
    gates.sign_off(product, people["mentor"])
    assert ts.current_stage(plan).name == "Sales training with a mentor"


def test_role_play_quiz_and_readiness(people, ctx):
    today = org.local_now().date()
    plan = _plan(people, today - timedelta(days=60))
    for stage in plan.stages[:2]:
        for index, item in enumerate(stage.criteria):
            if item["kind"] != "sign_off":
                gates.override(stage, index, "tested elsewhere", people["admin"])
        gates.sign_off(stage, people["mentor"])
    training = plan.stages[2]
    _complete_tasks(training, people, plan)
    gates.override(training, 1, "calls tested elsewhere", people["admin"])
    ts.record_role_play(plan, today - timedelta(days=3), "Head of sales as the client", False, "too fast",
                        people["mentor"])
    assert not plan.needs_decision
    ts.record_role_play(plan, today - timedelta(days=2), "Two seniors", False, "no closing", people["mentor"])
    assert plan.needs_decision
    lines = {line.kind: line for line in gates.gate(training)}
    assert lines["role_play"].result.needs_decision and not lines["quiz_passed"].met
    with pytest.raises(PermissionError):
        gates.decide(plan, "extend", "one more week", people["mentor"])
    gates.decide(plan, "extend", "Promising; one more week", people["head"])
    assert not plan.needs_decision and plan.state == "active"
    ts.record_role_play(plan, today, "Head of sales", True, "closed the deal", people["mentor"])
    ctx.session.add(QuizOutcome(plan_id=plan.id, quiz_key="product-knowledge", passed=True, score=0.9,
                                signed_off_by_id=people["mentor"].id, signed_off_at=utcnow()))
    ctx.session.flush()
    lines = {line.kind: line for line in gates.gate(training)}
    assert lines["role_play"].met and lines["quiz_passed"].met
    gates.sign_off(training, people["mentor"])
    rhythm = plan.stages[3]
    for index, item in enumerate(rhythm.criteria):
        if item["kind"] == "activity":
            gates.override(rhythm, index, "measured in the CRM", people["head"])
    with pytest.raises(PermissionError):
        gates.sign_off(rhythm, people["mentor"])
    gates.sign_off(rhythm, people["curator"])
    assert plan.state == "ready" and plan.ready_on == today
    ctx.session.commit()
    assert ctx.session.scalar(sa.select(sa.func.count(SignOff.id))) == 4


def test_digest_reminders_and_mentor_bonus(people, ctx):
    today = org.local_now().date()
    cal = org.calendar()
    plan = _plan(people, cal.add_business_days(today, -8))  # the mentor's product training is overdue
    sent = tasks.send_digests()
    ctx.session.commit()
    digests = ctx.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.kind == "training.digest")).all()
    assert sent == 1 and [m.recipient for m in digests] == ["mentor@x.test"]
    assert "Overdue" in digests[0].body
    for task in plan.stages[1].tasks:
        task.due_on = cal.add_business_days(today, 1)
    plan.stages[1].tasks[2].owner_role = "new_hire"
    assert tasks.remind_hires() == 1
    reminder = ctx.session.scalar(sa.select(OutboxMessage).where(OutboxMessage.kind == "training.reminder"))
    assert reminder.recipient == "hire@x.test" and "First client-base entries" in reminder.body
    lines = tasks.mentor_bonuses()
    assert len(lines) == 1 and lines[0].days_allowed == 40 and lines[0].days_taken is None
    assert not lines[0].earned
    for stage in plan.stages[:3]:
        for index, item in enumerate(stage.criteria):
            if item["kind"] != "sign_off":
                gates.override(stage, index, "fast learner", people["admin"])
        gates.sign_off(stage, people["mentor"])
    line = tasks.mentor_bonuses()[0]
    assert line.days_taken == 9 and line.earned  # signed today, the ninth business day


def test_template_edits_make_versions_and_leave_running_plans_alone(people, ctx):
    plan = _plan(people, date(2027, 2, 1))
    template = plan_templates.ensure_default_template()
    admin = people["admin"]
    orientation = template.stages[0]
    plan_templates.add_task(template, {"stage_id": str(orientation.id), "title": "Sign the job description",
                                        "owner_role": "new_hire", "start_offset": "0", "duration": "1"}, admin)
    plan_templates.stage_down(template, {"stage_id": str(orientation.id)}, admin)
    assert [s.name for s in template.stages][:2] == ["Product and client base", "Orientation"]
    with pytest.raises(TrainingError, match="line 1"):
        plan_templates.save_stage(template, {"stage_id": str(orientation.id), "name": "Orientation",
                                              "duration_days": "2", "criteria": "sign_off janitor"}, admin)
    plan_templates.save_stage(template, {"stage_id": str(orientation.id), "name": "Orientation",
                                          "duration_days": "3", "criteria": "tasks_done\nsign_off mentor"}, admin)
    assert template.version == 4 and orientation.duration_days == 3
    assert "Sign the job description" not in [t.title for t in plan.stages[0].tasks]  # the running plan's copy
    assert plan.template_version == 1 and len(plan.stages[0].tasks) == 4
    newer = _plan(people, date(2027, 2, 1), "second@x.test")
    assert newer.template_version == 4 and newer.stages[1].name == "Orientation"
    assert "Sign the job description" in [t.title for t in newer.stages[1].tasks]
    with pytest.raises(TrainingError, match="Unknown change"):
        plan_templates.unknown_change(template, {}, admin)
