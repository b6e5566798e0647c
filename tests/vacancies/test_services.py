from datetime import date

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from recruit import audit
from recruit.auth import services as accounts
from recruit.demo import CLIENT_MANAGER
from recruit.extensions import db
from recruit.organisation import services as org
from recruit.vacancies import candidates as candidate_services
from recruit.vacancies import services
from recruit.vacancies.models import Application, Vacancy
from recruit.vacancies.pipeline import STAGE_INDEX

pytestmark = pytest.mark.pg


@pytest.fixture
def people(ctx):
    make = lambda email, roles: accounts.create_user(email, email.split("@")[0], roles, password="long-enough-pw")  # noqa: E731
    people = {
        "manager": make("manager@x.test", ["hiring_manager"]),
        "hr": make("hr@x.test", ["recruiter"]),
        "legal": make("legal@x.test", ["hiring_manager"]),
        "ceo": make("ceo@x.test", ["admin"]),
        "recruiter": make("rec@x.test", ["recruiter"]),
        "mentor": make("mentor@x.test", ["mentor"]),
    }
    org.update_settings(name="X", timezone="Asia/Vladivostok", working_days=[0, 1, 2, 3, 4],
                        reminder_offsets_hours=[24, 2], retention_days=365, approver_id=people["ceo"].id)
    org.add_review_step("HR", people["hr"].id)
    org.add_review_step("Legal", people["legal"].id)
    ctx.session.commit()
    return people


def _template():
    return services.save_template(None, CLIENT_MANAGER)


def test_request_from_template_copies_its_requirements(people):
    template = _template()
    vacancy = services.request_vacancy(template, {"city": "Kazan", "headcount": 3, "salary_min": 60000,
                                                  "salary_max": 90000, "target_start": date(2027, 2, 1)},
                                       people["manager"])
    assert vacancy.state == "draft" and vacancy.position == "Client manager"
    assert vacancy.min_experience_years == 1.0 and "30 calls" in vacancy.kpis
    assert vacancy.pay_level == 2


@pytest.mark.parametrize("data, message", [
    ({"position": ""}, "Name the position"),
    ({"position": "X", "headcount": 0}, "headcount"),
    ({"position": "X", "pay_level": 5}, "pay level"),
    ({"position": "X", "salary_min": 100, "salary_max": 50}, "salary range"),
    ({"position": "X", "salary_min": -1, "salary_max": 50}, "negative"),
])
def test_invalid_requests_write_nothing(people, ctx, data, message):
    with pytest.raises(services.VacancyError, match=message):
        services.request_vacancy(None, data, people["manager"])
    assert ctx.session.scalar(sa.select(sa.func.count(Vacancy.id))) == 0


def test_review_and_approval_chain_is_audited(people, ctx):
    vacancy = services.request_vacancy(_template(), {"city": "Moscow"}, people["manager"])
    with pytest.raises(PermissionError):
        services.transition(vacancy, "in_review", people["recruiter"])
    services.transition(vacancy, "in_review", people["manager"], "please review")
    assert [r.label for r in vacancy.reviews] == ["HR", "Legal"]
    with pytest.raises(services.VacancyError, match="Waiting for the review of: HR, Legal"):
        services.transition(vacancy, "approved", people["ceo"])
    with pytest.raises(PermissionError):
        services.review(vacancy, vacancy.reviews[0].id, "approved", "", people["legal"])
    services.review(vacancy, vacancy.reviews[0].id, "approved", "ok", people["hr"])
    with pytest.raises(services.VacancyError, match="Say which changes"):
        services.review(vacancy, vacancy.reviews[1].id, "changes_requested", "", people["legal"])
    services.review(vacancy, vacancy.reviews[1].id, "changes_requested", "fix the salary", people["legal"])
    assert vacancy.state == "draft"
    services.transition(vacancy, "in_review", people["manager"], "fixed")
    for item in vacancy.reviews:
        services.review(vacancy, item.id, "approved", "", item.reviewer)
    with pytest.raises(PermissionError):
        services.transition(vacancy, "approved", people["hr"])
    services.transition(vacancy, "approved", people["ceo"], "signed")
    assert vacancy.approved_by_id == people["ceo"].id
    assert vacancy.approved_on == org.local_now().date()  # the organisation's date, not UTC's
    with pytest.raises(PermissionError):
        services.transition(vacancy, "open", people["manager"])
    services.transition(vacancy, "open", people["recruiter"])
    ctx.session.commit()
    moves = [(e.data["from"], e.data["to"], e.actor.email) for e in audit.history("vacancies", vacancy.id)
             if e.action == "vacancy.transition"]
    assert moves == [
        ("draft", "in_review", "manager@x.test"), ("in_review", "draft", "legal@x.test"),
        ("draft", "in_review", "manager@x.test"), ("in_review", "approved", "ceo@x.test"),
        ("approved", "open", "rec@x.test"),
    ]
    assert [c.body for c in vacancy.comments][:2] == ["please review", "[HR] ok"]


def test_state_machine_refuses_shortcuts(people):
    vacancy = services.request_vacancy(None, {"position": "X"}, people["manager"])
    with pytest.raises(services.VacancyError, match="cannot become open"):
        services.transition(vacancy, "open", people["ceo"])
    services.transition(vacancy, "cancelled", people["manager"])
    with pytest.raises(services.VacancyError):
        services.transition(vacancy, "draft", people["manager"])


def _open_vacancy(people, headcount=1):
    vacancy = services.request_vacancy(None, {"position": "Sales", "headcount": headcount}, people["manager"])
    services.transition(vacancy, "in_review", people["manager"])
    for item in vacancy.reviews:
        services.review(vacancy, item.id, "approved", "", item.reviewer)
    services.transition(vacancy, "approved", people["ceo"])
    services.transition(vacancy, "open", people["recruiter"])
    return vacancy


def test_filling_short_of_headcount_needs_a_reason(people):
    vacancy = _open_vacancy(people, headcount=2)
    with pytest.raises(services.VacancyError, match="Only 0 of 2"):
        services.transition(vacancy, "filled", people["recruiter"])
    services.transition(vacancy, "filled", people["recruiter"], "budget cut")
    assert vacancy.state == "filled"


def test_visibility_by_role_and_ownership(people, ctx):
    draft = services.request_vacancy(None, {"position": "Draft"}, people["manager"])
    opened = _open_vacancy(people)
    ctx.session.commit()

    def visible(user):
        return {v.id for v in ctx.session.scalars(services.visible_vacancies(user))}

    assert visible(people["manager"]) == {draft.id, opened.id}
    assert visible(people["recruiter"]) == {opened.id}
    assert visible(people["legal"]) == {opened.id}  # reviewer of it
    assert visible(people["mentor"]) == set()
    assert visible(people["ceo"]) == {draft.id, opened.id}


def test_funnel_learns_from_the_organisations_outcomes(people, ctx):
    vacancy = _open_vacancy(people, headcount=3)
    default = services.funnel_for(vacancy).forecast
    assert default.invitations == 5 * default.interviews
    # 60 candidates invited; 30 come, which is 1 in 2 rather than 1 in 5
    for n in range(60):
        result = candidate_services.add_candidate(vacancy, {"full_name": f"C{n}", "email": f"c{n}@x.test"})
        app = result.application
        candidate_services.move(app, "screened")
        candidate_services.move(app, "invited")
        if n % 2 == 0:
            candidate_services.move(app, "interviewed")
            candidate_services.move(app, "rejected", "not a fit")
        else:
            candidate_services.move(app, "withdrawn", "did not come")
    ctx.session.commit()
    _invite, show, hire = services.observed_rates()
    assert (show.observed, show.trials) == (30, 60)
    assert 0.4 < show.value < 0.5
    learned = services.funnel_for(vacancy).forecast
    assert learned.invitations / learned.interviews < 2.5 < default.invitations / default.interviews
    assert hire.trials == 30 and hire.observed == 0  # nobody hired yet: more interviews per hire
    assert learned.interviews > default.interviews


def test_only_open_vacancies_take_candidates(people):
    vacancy = services.request_vacancy(None, {"position": "X"}, people["manager"])
    with pytest.raises(candidate_services.CandidateError, match="Only open vacancies"):
        candidate_services.add_candidate(vacancy, {"full_name": "A", "email": "a@x.test"})
    opened = _open_vacancy(people)
    app = candidate_services.add_candidate(opened, {"full_name": "A", "email": "a@x.test"}).application
    services.transition(opened, "on_hold", people["recruiter"])
    with pytest.raises(candidate_services.CandidateError, match="Only open"):
        candidate_services.add_candidate(opened, {"full_name": "B", "email": "b@x.test"})
    candidate_services.move(app, "screened")  # the pipeline still moves while on hold
    with pytest.raises(candidate_services.CandidateError, match="Hire only into an open vacancy"):
        candidate_services.move(app, "hired")
    assert app.furthest_stage == STAGE_INDEX["screened"]


def test_concurrent_edit_is_detected(people, clean_app):
    """Two recruiters editing the same vacancy: the second save is refused
    (optimistic version check), not silently lost."""
    vacancy = _open_vacancy(people)
    db.session.commit()
    with Session(db.engine) as first, Session(db.engine) as second:
        a = first.get(Vacancy, vacancy.id)
        b = second.get(Vacancy, vacancy.id)
        a.headcount = 4
        first.commit()
        b.headcount = 5
        with pytest.raises(StaleDataError):
            second.commit()
    db.session.expire_all()
    assert db.session.get(Vacancy, vacancy.id).headcount == 4
    assert db.session.scalar(sa.select(sa.func.count(Application.id))) == 0
