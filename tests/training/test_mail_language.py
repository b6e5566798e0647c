"""The onboarding mail is written in its reader's language: a mentor's digest
and a new hire's reminder in the language of the person's account, else the
organisation's (here English)."""

from pathlib import Path

import pytest
import sqlalchemy as sa
from babel.dates import format_date
from babel.messages.pofile import read_po

from recruit.auth import services as accounts
from recruit.mail import OutboxMessage
from recruit.organisation import services as org
from recruit.training import plans as ts
from recruit.training import tasks
from recruit.training.plan_templates import ensure_default_template

UK_CATALOGUE = Path(__file__).resolve().parents[2] / "translations" / "uk" / "LC_MESSAGES" / "messages.po"


def _uk(message: str) -> str:
    with UK_CATALOGUE.open("rb") as fh:
        catalogue = read_po(fh)
    found = catalogue.get(message)
    assert found is not None and found.string, f"the uk catalogue translates {message!r}"
    return found.string


@pytest.fixture
def plan(ctx):
    make = lambda email, roles: accounts.create_user(email, email.split("@")[0].title(), roles,  # noqa: E731
                                                     password="long-enough-pw")
    admin, mentor, curator = make("admin@x.test", ["admin"]), make("mentor@x.test", ["mentor"]), \
        make("curator@x.test", ["mentor"])
    hr = make("hr@x.test", ["recruiter"])
    org.update_settings(name="X", timezone="Europe/Kyiv", working_days=[0, 1, 2, 3, 4],
                        reminder_offsets_hours=[24], retention_days=365, approver_id=admin.id)
    today = org.local_now().date()
    started = ts.start_plan(ts.PlanRequest(hire_email="hire@x.test", hire_name="New Hire",
                                           start=org.calendar().add_business_days(today, -8),
                                           template=ensure_default_template(), mentor_id=mentor.id,
                                           curator_id=curator.id, hr_id=hr.id), hr)
    ctx.session.commit()
    return started


def test_a_mentor_with_ukrainian_gets_the_digest_in_ukrainian(plan, ctx):
    plan.mentor.locale = "uk"
    overdue = min(t.due_on for s in plan.stages for t in s.tasks if t.owner_role == "mentor")
    assert tasks.send_digests() == 1
    ctx.session.commit()
    digest = ctx.session.scalar(sa.select(OutboxMessage).where(OutboxMessage.kind == "training.digest"))
    assert format_date(overdue, "long", locale="uk") in digest.body
    assert "Overdue" not in digest.body and "Hello" not in digest.body


def test_a_hire_with_ukrainian_gets_the_reminder_in_ukrainian(plan, ctx):
    plan.hire.locale = "uk"
    tomorrow = org.calendar().add_business_days(org.local_now().date(), 1)
    plan.stages[1].tasks[2].due_on = tomorrow  # the hire's own task
    assert tasks.remind_hires() == 1
    ctx.session.commit()
    reminder = ctx.session.scalar(sa.select(OutboxMessage).where(OutboxMessage.kind == "training.reminder"))
    assert reminder.subject == _uk("Due tomorrow in your onboarding")
    assert format_date(tomorrow, "full", locale="uk") in reminder.body


def test_without_a_language_of_their_own_people_read_the_organisations(plan, ctx):
    assert plan.mentor.locale is None
    tomorrow = org.calendar().add_business_days(org.local_now().date(), 1)
    plan.stages[1].tasks[2].due_on = tomorrow
    tasks.send_digests()
    tasks.remind_hires()
    ctx.session.commit()
    digest = ctx.session.scalar(sa.select(OutboxMessage).where(OutboxMessage.kind == "training.digest"))
    reminder = ctx.session.scalar(sa.select(OutboxMessage).where(OutboxMessage.kind == "training.reminder"))
    assert digest.body.startswith("Hello Mentor") and "Overdue" in digest.body
    assert reminder.subject == "Due tomorrow in your onboarding"
    assert format_date(tomorrow, "full", locale="en") in reminder.body
