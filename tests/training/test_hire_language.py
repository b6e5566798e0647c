"""A hired candidate keeps their language: the account invitation and what
follows are in it, not in the organisation's."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from babel.messages.pofile import read_po

from tests.worlds.training import hired


def test_the_hires_invitation_is_in_the_language_they_had_as_a_candidate(clean_app, make):
    from recruit.auth.models import User
    from recruit.extensions import db
    from recruit.mail import OutboxMessage
    from recruit.training import plans as ts
    from recruit.training.plan_templates import ensure_default_template
    from recruit.vacancies.models import Application

    with open("translations/ro/LC_MESSAGES/messages.po", "rb") as fh:
        subject = read_po(fh, locale="ro").get("You are invited to Recruit").string
    assert subject and subject != "You are invited to Recruit"
    mentor = make.user("mentor", email="mentor@x.test")
    hr = make.user("recruiter", email="hr@x.test")
    application_id = hired(clean_app, make)
    with clean_app.app_context():
        application = db.session.get(Application, application_id)
        application.candidate.language = "ro"
        template = ensure_default_template()
        ts.start_plan(ts.PlanRequest("ivan@x.test", "Ivan Hired", date.today(), template, mentor_id=mentor,
                                     curator_id=mentor, application=application), db.session.get(User, hr))
        db.session.commit()
        hire = db.session.scalar(sa.select(User).where(User.email == "ivan@x.test"))
        invitation = db.session.scalar(sa.select(OutboxMessage).where(OutboxMessage.recipient == "ivan@x.test",
                                                                      OutboxMessage.kind == "invitation"))
        assert hire.locale == "ro"
        assert invitation.subject == subject
