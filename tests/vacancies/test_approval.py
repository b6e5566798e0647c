"""The vacancy's approval that people notice: an e-mail to the reviewers,
the approver and the requester at each step, in each reader's language,
through the outbox (a refusing SMTP server delays a message and loses
nothing); the reviewer who sends a vacancy back keeps sight of it; and a new
headcount or pay on an approved vacancy is a change approved the same way,
the approved values in force until then."""

from __future__ import annotations

from email import message_from_bytes
from email.policy import default as default_policy

import pytest
import sqlalchemy as sa
from flask_babel import force_locale, gettext

from recruit import audit
from recruit.auth import services as accounts
from recruit.auth.permissions import can
from recruit.mail import OutboxMessage, retry_due
from recruit.organisation import services as org
from recruit.utc import utcnow
from recruit.vacancies import amendments, services
from recruit.vacancies import candidates as candidate_services
from recruit.vacancies.models import VacancyAmendment, VacancyReview

pytestmark = pytest.mark.pg


@pytest.fixture
def people(ctx):
    """A manager reading Ukrainian, HR Russian, legal Bulgarian, the approver
    Georgian; the second recruiter and the mentor have no language of their own."""
    def make(email, roles, locale=None):
        user = accounts.create_user(email, email.split("@")[0].title(), roles, password="long-enough-pw")
        user.locale = locale
        return user

    people = {
        "manager": make("manager@x.test", ["hiring_manager"], "uk"),
        "hr": make("hr@x.test", ["recruiter"], "ru"),
        "legal": make("legal@x.test", ["hiring_manager"], "bg"),
        "ceo": make("ceo@x.test", ["admin"], "ka"),
        "recruiter": make("rec@x.test", ["recruiter"]),
        "mentor": make("mentor@x.test", ["mentor"]),
    }
    org.update_settings(name="X", timezone="Europe/Kyiv", working_days=[0, 1, 2, 3, 4],
                        reminder_offsets_hours=[24], retention_days=365, approver_id=people["ceo"].id)
    org.add_review_step("HR", people["hr"].id)
    org.add_review_step("Legal", people["legal"].id)
    ctx.session.commit()
    return people


def _in(code: str, msgid: str, **values) -> str:
    """The message as that language's catalogue writes it (and not English)."""
    with force_locale(code):
        text = gettext(msgid, **values)
    assert text != msgid % values, f"{msgid!r} is translated into {code}"
    return text


def _mail(ctx, since: int = 0) -> list[OutboxMessage]:
    ctx.session.flush()
    return list(ctx.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.id > since)
                                    .order_by(OutboxMessage.id)))


def _last_id(ctx) -> int:
    ctx.session.flush()
    return ctx.session.scalar(sa.select(sa.func.max(OutboxMessage.id))) or 0


def _sent(messages) -> set[tuple[str, str]]:
    return {(m.kind, m.recipient) for m in messages}


def _request(people, **fields):
    return services.request_vacancy(None, {"position": "Client manager", "city": "Lviv", "headcount": 2,
                                           "salary_min": 50000, "salary_max": 90000, **fields}, people["manager"])


def _open(people, ctx):
    vacancy = _request(people)
    services.transition(vacancy, "in_review", people["manager"])
    for item in vacancy.reviews:
        services.review(vacancy, item.id, "approved", "", item.reviewer)
    services.transition(vacancy, "approved", people["ceo"])
    services.transition(vacancy, "open", people["recruiter"])
    ctx.session.commit()
    return vacancy


# --- the e-mails of the vacancy's own approval --------------------------------------------------

def test_every_step_mails_the_people_it_concerns_in_their_own_language(people, ctx):
    vacancy = _request(people)
    link = f"/vacancies/{vacancy.id}"
    title = vacancy.title

    mark = _last_id(ctx)
    services.transition(vacancy, "in_review", people["manager"], "Budget agreed")
    sent = _mail(ctx, mark)
    assert _sent(sent) == {("vacancy.submitted", "hr@x.test"), ("vacancy.submitted", "legal@x.test")}
    to_hr = next(m for m in sent if m.recipient == "hr@x.test")
    assert to_hr.subject == _in("ru", "Please review: %(title)s", title=title)
    assert _in("ru", "%(who)s asks you to review the vacancy “%(title)s”. Your step: %(steps)s.",
               who="Manager", title=title, steps="HR") in to_hr.body
    assert link in to_hr.body and "Budget agreed" in to_hr.body
    assert to_hr.related_type == "vacancies" and to_hr.related_id == vacancy.id
    to_legal = next(m for m in sent if m.recipient == "legal@x.test")
    assert to_legal.subject == _in("bg", "Please review: %(title)s", title=title)

    mark = _last_id(ctx)
    services.review(vacancy, vacancy.reviews[0].id, "approved", "", people["hr"])
    sent = _mail(ctx, mark)
    assert _sent(sent) == {("vacancy.step_approved", "manager@x.test")}
    assert sent[0].subject == _in("uk", "Review step approved: %(title)s", title=title)

    mark = _last_id(ctx)
    services.review(vacancy, vacancy.reviews[1].id, "changes_requested", "Add the probation period", people["legal"])
    sent = _mail(ctx, mark)
    assert _sent(sent) == {("vacancy.changes_requested", "manager@x.test"), ("vacancy.sent_back", "hr@x.test")}
    to_manager = next(m for m in sent if m.recipient == "manager@x.test")
    assert to_manager.subject == _in("uk", "Changes asked for: %(title)s", title=title)
    assert "Add the probation period" in to_manager.body and link in to_manager.body

    services.update_vacancy(vacancy, {"duties": "Probation: 3 months", "headcount": 3}, people["manager"])
    mark = _last_id(ctx)
    services.transition(vacancy, "in_review", people["manager"], "Probation added")
    sent = _mail(ctx, mark)
    assert _sent(sent) == {("vacancy.resubmitted", "hr@x.test"), ("vacancy.resubmitted", "legal@x.test")}
    to_legal = next(m for m in sent if m.recipient == "legal@x.test")
    assert to_legal.subject == _in("bg", "Changed, please review again: %(title)s", title=title)
    with force_locale("bg"):  # what changed since it was sent back, in the reader's words
        changed = ", ".join([gettext("Headcount"), gettext("Duties")])
    assert _in("bg", "What changed: %(fields)s", fields=changed) in to_legal.body

    services.review(vacancy, vacancy.reviews[0].id, "approved", "", people["hr"])
    mark = _last_id(ctx)
    services.review(vacancy, vacancy.reviews[1].id, "approved", "", people["legal"])
    sent = _mail(ctx, mark)
    assert _sent(sent) == {("vacancy.step_approved", "manager@x.test"),
                           ("vacancy.ready_for_approval", "ceo@x.test")}
    assert next(m for m in sent if m.recipient == "ceo@x.test").subject == \
        _in("ka", "Ready for your approval: %(title)s", title=title)

    mark = _last_id(ctx)
    services.transition(vacancy, "approved", people["ceo"], "Signed")
    sent = _mail(ctx, mark)
    assert _sent(sent) == {("vacancy.approved", "manager@x.test"), ("vacancy.approved", "hr@x.test"),
                           ("vacancy.approved", "legal@x.test")}
    assert next(m for m in sent if m.recipient == "manager@x.test").subject == \
        _in("uk", "Approved: %(title)s", title=title)

    mark = _last_id(ctx)
    services.transition(vacancy, "open", people["recruiter"])
    sent = _mail(ctx, mark)
    assert _sent(sent) == {("vacancy.open", "manager@x.test")}
    assert sent[0].subject == _in("uk", "Open for candidates: %(title)s", title=title)


def test_a_refusal_reaches_everyone_it_involved_and_nobody_hears_of_their_own_step(people, ctx):
    vacancy = _request(people)
    services.transition(vacancy, "in_review", people["manager"])
    mark = _last_id(ctx)
    services.transition(vacancy, "cancelled", people["ceo"], "No budget this year")
    sent = _mail(ctx, mark)
    assert _sent(sent) == {("vacancy.cancelled", "manager@x.test"), ("vacancy.cancelled", "hr@x.test"),
                           ("vacancy.cancelled", "legal@x.test")}
    assert all("No budget this year" in m.body for m in sent)


def test_a_withdrawal_tells_the_reviewers_still_asked(people, ctx):
    vacancy = _request(people)
    services.transition(vacancy, "in_review", people["manager"])
    services.review(vacancy, vacancy.reviews[0].id, "approved", "", people["hr"])
    mark = _last_id(ctx)
    services.transition(vacancy, "draft", people["manager"], "Wrong city")
    assert _sent(_mail(ctx, mark)) == {("vacancy.withdrawn", "legal@x.test")}


def test_without_a_language_of_their_own_people_read_the_organisations(people, ctx):
    org.update_settings(name="X", timezone="Europe/Bucharest", working_days=[0, 1, 2, 3, 4],
                        reminder_offsets_hours=[24], retention_days=365, approver_id=people["ceo"].id, locale="ro")
    vacancy = _open(people, ctx)
    people["hr"].locale = None
    mark = _last_id(ctx)
    amendments.propose(vacancy, {"headcount": (2, 3)}, "A second shop opens", people["recruiter"])
    to_hr = next(m for m in _mail(ctx, mark) if m.recipient == "hr@x.test")
    assert to_hr.subject == _in("ro", "Change to review: %(title)s", title=vacancy.title)
    assert f"{_in('ro', 'Headcount')}: 2 → 3" in to_hr.body


def test_a_long_title_still_makes_a_subject_the_outbox_keeps(people, ctx):
    vacancy = _request(people, position="Старший менеджер з роботи з ключовими клієнтами " * 2, city="Л" * 80)
    services.transition(vacancy, "in_review", people["manager"])
    ctx.session.commit()
    subjects = [m.subject for m in _mail(ctx)]
    assert len(subjects) == 2 and all(0 < len(s) <= 200 for s in subjects)


def test_a_double_click_on_a_review_records_and_mails_it_once(people, ctx):
    vacancy = _request(people)
    services.transition(vacancy, "in_review", people["manager"])
    services.review(vacancy, vacancy.reviews[0].id, "approved", "", people["hr"])
    mark = _last_id(ctx)
    with pytest.raises(services.VacancyError, match="already recorded"):
        services.review(vacancy, vacancy.reviews[0].id, "changes_requested", "on second thought", people["hr"])
    assert _mail(ctx, mark) == [] and vacancy.state == "in_review"


def test_the_mail_goes_over_smtp_and_a_refusing_server_loses_nothing(people, ctx, smtp):
    vacancy = _request(people)
    smtp.refuse = 2  # both review requests refused once
    services.transition(vacancy, "in_review", people["manager"])
    ctx.session.commit()
    waiting = _mail(ctx)
    assert {(m.recipient, m.status) for m in waiting} == {("hr@x.test", "queued"), ("legal@x.test", "queued")}
    assert all("451" in m.last_error for m in waiting) and smtp.messages == []
    for message in waiting:
        message.next_attempt_at = utcnow()
    ctx.session.commit()
    retry_due()
    ctx.session.commit()
    assert sorted(e.rcpt_tos[0] for e in smtp.messages) == ["hr@x.test", "legal@x.test"]
    letter = message_from_bytes(next(e for e in smtp.messages if e.rcpt_tos == ["hr@x.test"]).content,
                                policy=default_policy)
    assert letter["Subject"] == _in("ru", "Please review: %(title)s", title=vacancy.title)
    assert f"/vacancies/{vacancy.id}" in letter.get_content()


# --- the reviewer who sends it back ---------------------------------------------------------------

def test_the_reviewer_who_asked_for_changes_follows_the_draft_and_only_they(people, ctx, app):
    vacancy = _request(people)
    other_draft = _request(people, position="Key account manager")
    services.transition(vacancy, "in_review", people["manager"])
    services.review(vacancy, vacancy.reviews[0].id, "approved", "", people["hr"])
    services.review(vacancy, vacancy.reviews[1].id, "changes_requested", "Add the probation period", people["legal"])
    ctx.session.commit()

    def visible(user):
        return {v.id for v in ctx.session.scalars(services.visible_vacancies(user))}

    assert vacancy.state == "draft"
    assert can("vacancy.view", vacancy, user=people["legal"]) and visible(people["legal"]) == {vacancy.id}
    assert can("vacancy.comment", vacancy, user=people["legal"])
    assert not can("vacancy.edit", vacancy, user=people["legal"])
    assert services.allowed_transitions(vacancy, people["legal"]) == []
    for other in ("hr", "mentor", "recruiter"):
        assert not can("vacancy.view", vacancy, user=people[other]) and vacancy.id not in visible(people[other])
    assert other_draft.id not in visible(people["legal"])
    # a recruiter may not cancel a draft that is not theirs, seen or not
    assert services.allowed_transitions(vacancy, people["hr"]) == []
    # sent again: a fresh chain, and the draft is the requester's again when it next comes back
    services.transition(vacancy, "in_review", people["manager"])
    services.transition(vacancy, "draft", people["manager"])
    ctx.session.commit()
    assert not can("vacancy.view", vacancy, user=people["legal"])


# --- a change of headcount or pay -----------------------------------------------------------------

def _entries(vacancy, action):
    return [e for e in audit.history("vacancies", vacancy.id) if e.action == action]


def test_a_new_headcount_or_pay_waits_for_approval_while_the_rest_applies(people, ctx):
    vacancy = _open(people, ctx)
    application = candidate_services.add_candidate(vacancy, {"full_name": "A B", "email": "ab@x.test"}).application
    mark = _last_id(ctx)
    proposed = services.update_vacancy(vacancy, {"headcount": 3, "salary_max": 95000, "duties": "Call clients"},
                                       people["recruiter"], reason="A second shop opens in March")
    ctx.session.commit()
    assert (vacancy.headcount, vacancy.salary_max, vacancy.duties) == (2, 90000, "Call clients")
    assert proposed.state == "pending" and proposed.changes == {"headcount": [2, 3], "salary_max": [90000, 95000]}
    assert [r.label for r in proposed.reviews] == ["HR", "Legal"]
    assert vacancy.reviews and all(r.amendment_id is None for r in vacancy.reviews)  # the vacancy's own chain
    assert _entries(vacancy, "vacancy.update")[-1].data["changed"] == {
        "duties": {"before": "", "after": "Call clients"}}
    assert _entries(vacancy, "vacancy.amendment_proposed")[-1].data["changed"] == {
        "headcount": {"before": 2, "after": 3}, "salary_max": {"before": 90000, "after": 95000}}
    sent = _mail(ctx, mark)
    assert _sent(sent) == {("vacancy.amendment_proposed", "hr@x.test"),
                           ("vacancy.amendment_proposed", "legal@x.test"),
                           ("vacancy.amendment_proposed", "manager@x.test")}
    to_hr = next(m for m in sent if m.recipient == "hr@x.test")
    assert to_hr.subject == _in("ru", "Change to review: %(title)s", title=vacancy.title)
    assert "A second shop opens in March" in to_hr.body
    assert services.awaiting_me(people["hr"]) == [vacancy]
    # the pipeline goes on under the approved values
    candidate_services.move(application, "screened")
    assert candidate_services.add_candidate(vacancy, {"full_name": "C D", "email": "cd@x.test"}).application
    assert services.funnel_for(vacancy).forecast.hires_needed == 2

    services.review(vacancy, proposed.reviews[0].id, "approved", "", people["hr"])
    with pytest.raises(services.VacancyError, match="Waiting for the review of: Legal"):
        amendments.settle(vacancy, proposed.id, "approved", "", people["ceo"])
    mark = _last_id(ctx)
    services.review(vacancy, proposed.reviews[1].id, "approved", "", people["legal"])
    sent = _mail(ctx, mark)
    assert _sent(sent) == {("vacancy.amendment_ready", "ceo@x.test")}
    assert sent[0].subject == _in("ka", "Change ready for your approval: %(title)s", title=vacancy.title)
    assert services.awaiting_me(people["ceo"]) == [vacancy]
    with pytest.raises(PermissionError):
        amendments.settle(vacancy, proposed.id, "approved", "", people["recruiter"])
    mark = _last_id(ctx)
    amendments.settle(vacancy, proposed.id, "approved", "Budget found", people["ceo"])
    ctx.session.commit()
    assert (vacancy.headcount, vacancy.salary_max, proposed.state) == (3, 95000, "approved")
    assert _entries(vacancy, "vacancy.amendment_approved")[-1].data["changed"] == {
        "headcount": {"before": 2, "after": 3}, "salary_max": {"before": 90000, "after": 95000}}
    assert _entries(vacancy, "vacancy.amendment_approved")[-1].actor.email == "ceo@x.test"
    assert _sent(_mail(ctx, mark)) == {("vacancy.amendment_approved", "rec@x.test"),
                                       ("vacancy.amendment_approved", "manager@x.test"),
                                       ("vacancy.amendment_approved", "hr@x.test"),
                                       ("vacancy.amendment_approved", "legal@x.test")}
    with pytest.raises(services.VacancyError, match="already decided"):
        amendments.settle(vacancy, proposed.id, "declined", "late click", people["ceo"])
    assert services.awaiting_me(people["ceo"]) == []


def test_a_change_needs_a_reason_and_waits_alone(people, ctx):
    vacancy = _open(people, ctx)
    with pytest.raises(services.VacancyError, match="Say why"):
        services.update_vacancy(vacancy, {"headcount": 3, "duties": "x"}, people["recruiter"])
    ctx.session.rollback()
    assert ctx.session.scalar(sa.select(sa.func.count(VacancyAmendment.id))) == 0
    services.update_vacancy(vacancy, {"pay_level": 3}, people["recruiter"], reason="Level 3 people only")
    ctx.session.commit()
    with pytest.raises(services.VacancyError, match="already waits"):
        services.update_vacancy(vacancy, {"salary_min": 60000}, people["recruiter"], reason="more")
    ctx.session.rollback()
    # the other fields stay editable meanwhile, the pending change untouched
    assert services.update_vacancy(vacancy, {"duties": "Call clients", "pay_level": vacancy.pay_level},
                                   people["recruiter"]) is None
    assert vacancy.pay_level == 1 and vacancy.duties == "Call clients"


def test_a_change_sent_back_or_declined_leaves_the_approved_values(people, ctx):
    vacancy = _open(people, ctx)
    first = services.update_vacancy(vacancy, {"headcount": 5}, people["recruiter"], reason="Expansion")
    mark = _last_id(ctx)
    services.review(vacancy, first.reviews[0].id, "changes_requested", "Five is too many", people["hr"])
    ctx.session.commit()
    assert first.state == "returned" and vacancy.headcount == 2
    sent = _mail(ctx, mark)
    assert _sent(sent) == {("vacancy.amendment_returned", "rec@x.test"),
                           ("vacancy.amendment_returned", "manager@x.test")}
    assert next(m for m in sent if m.recipient == "manager@x.test").subject == \
        _in("uk", "Change sent back: %(title)s", title=vacancy.title)
    with pytest.raises(services.VacancyError, match="no longer waits"):
        services.review(vacancy, first.reviews[1].id, "approved", "", people["legal"])

    second = services.update_vacancy(vacancy, {"headcount": 3}, people["recruiter"], reason="Expansion, smaller")
    for item in second.reviews:
        services.review(vacancy, item.id, "approved", "", item.reviewer)
    with pytest.raises(services.VacancyError, match="Say why the change is declined"):
        amendments.settle(vacancy, second.id, "declined", "", people["ceo"])
    amendments.settle(vacancy, second.id, "declined", "Not this quarter", people["ceo"])
    ctx.session.commit()
    assert second.state == "declined" and vacancy.headcount == 2
    assert _entries(vacancy, "vacancy.amendment_declined")[-1].data["comment"] == "Not this quarter"


def test_the_proposer_may_withdraw_a_change_and_a_filled_vacancy_drops_it(people, ctx):
    vacancy = _open(people, ctx)
    change = services.update_vacancy(vacancy, {"headcount": 3}, people["recruiter"], reason="Expansion")
    with pytest.raises(PermissionError):
        amendments.settle(vacancy, change.id, "withdrawn", "", people["hr"])
    mark = _last_id(ctx)
    amendments.settle(vacancy, change.id, "withdrawn", "", people["recruiter"])
    assert change.state == "withdrawn" and vacancy.headcount == 2
    assert _sent(_mail(ctx, mark)) == {("vacancy.amendment_withdrawn", "hr@x.test"),
                                       ("vacancy.amendment_withdrawn", "legal@x.test"),
                                       ("vacancy.amendment_withdrawn", "manager@x.test")}
    again = services.update_vacancy(vacancy, {"headcount": 4}, people["recruiter"], reason="Expansion")
    services.transition(vacancy, "filled", people["recruiter"], "Done with two")
    ctx.session.commit()
    assert again.state == "withdrawn" and amendments.pending(vacancy) is None
    assert ctx.session.scalar(sa.select(sa.func.count(VacancyReview.id)).where(
        VacancyReview.amendment_id == again.id, VacancyReview.decision == "pending")) == 2
    assert services.awaiting_me(people["hr"]) == []


def test_without_a_review_chain_the_change_goes_straight_to_the_approver(people, ctx):
    vacancy = _open(people, ctx)
    for step in org.review_steps():
        ctx.session.delete(step)
    ctx.session.commit()
    mark = _last_id(ctx)
    change = services.update_vacancy(vacancy, {"salary_min": 55000}, people["recruiter"], reason="Market rate")
    assert change.reviews == []
    assert ("vacancy.amendment_ready", "ceo@x.test") in _sent(_mail(ctx, mark))
    amendments.settle(vacancy, change.id, "approved", "", people["ceo"])
    assert vacancy.salary_min == 55000
