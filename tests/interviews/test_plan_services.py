"""What the interview pages read, now services: the candidates a day offers,
the selected applications, the signed picture, the figures of a hand-edited
plan (the per-slot show-up probabilities are computed in planning), the
day's board; and the pages' objects loaded by permissions.load (404)."""

from datetime import time, timedelta

import pytest

from recruit.auth.models import User
from recruit.extensions import db
from recruit.interviews import picker, planning, sessions
from recruit.organisation.services import local_now
from recruit.vacancies.models import Application, Vacancy
from tests.conftest import login


@pytest.fixture
def day(clean_app, make):
    recruiter = make.user("recruiter", email="rec@x.test")
    interviewer = make.user("hiring_manager", email="boss@x.test")
    make.user("receptionist", email="desk@x.test")
    vacancy = make.vacancy("open", manager=interviewer)
    apps = [make.candidate(vacancy, full_name=f"Person {n}", source="HeadHunter") for n in range(6)]
    with clean_app.app_context():
        session = sessions.create_session(
            kind="stream", title="Day", vacancy=db.session.get(Vacancy, vacancy),
            day=(local_now() + timedelta(days=2)).date(), start=time(10), end=time(12), place="Room",
            interviewers=[sessions.InterviewerHours(interviewer)], created_by=db.session.get(User, recruiter))
        db.session.commit()
        session_id = session.id
    return {"recruiter": recruiter, "interviewer": interviewer, "vacancy": vacancy, "apps": apps,
            "session": session_id}


def test_the_day_offers_its_vacancys_new_and_screened_candidates(clean_app, day):
    with clean_app.app_context():
        session = db.session.get(sessions.InterviewSession, day["session"])
        db.session.get(Application, day["apps"][0]).stage = "rejected"
        db.session.flush()
        offered = [a.id for a in picker.picker(session, picker.PickerFilter()).ready]
        assert sorted(offered) == sorted(day["apps"][1:])
        session.vacancy_id = None
        assert picker.picker(session, picker.PickerFilter()).ready == []  # a day for any vacancy: choose one first
        chosen = picker.picker(session, picker.PickerFilter(vacancy_id=day["vacancy"]))
        assert sorted(a.id for a in chosen.ready) == sorted(day["apps"][1:])
        db.session.rollback()


def test_selected_applications_read_the_ticked_ids_only(clean_app, day):
    with clean_app.app_context():
        chosen = planning.selected_applications([day["apps"][1], day["apps"][3], 10 ** 9])
        assert sorted(a.id for a in chosen) == sorted([day["apps"][1], day["apps"][3]])
        assert planning.selected_applications([]) == []


def test_a_hand_plan_is_evaluated_in_planning(clean_app, day):
    with clean_app.test_request_context():
        session = db.session.get(sessions.InterviewSession, day["session"])
        applications = planning.selected_applications(day["apps"])
        assignment = {applications[0].id: 0, applications[1].id: 0, applications[2].id: 2}
        hand = planning.evaluate_hand_plan(session, applications, assignment)
        assert set(hand.probabilities) == {a.id for a in applications}
        start = session.slots[0].starts_at
        expected = {a.id: planning.show_probability(a, session, start) for a in applications}
        assert hand.probabilities == expected
        per_slot = {0: [expected[applications[0].id], expected[applications[1].id]],
                    2: [expected[applications[2].id]]}
        assert hand.metrics == planning.evaluate_assignment(session, per_slot)


def test_the_picture_comes_back_signed_or_is_made_as_things_stand(clean_app, day):
    with clean_app.test_request_context():
        session = db.session.get(sessions.InterviewSession, day["session"])
        applications = planning.selected_applications(day["apps"])
        proposal = planning.propose(session, applications)
        assert sorted(proposal.assignment) == sorted(a.id for slot in proposal.slots for a in slot)
        token = planning.sign(session, proposal.base, proposal.planned)
        picture, same = planning.picture_for(session, token, applications)
        assert same == token and picture.planned == proposal.planned
        fresh, signed = planning.picture_for(session, "not a signature", applications)
        assert planning.read(session, signed) == fresh
        assert fresh.base == proposal.base and fresh.planned == proposal.planned


def test_the_days_board_groups_by_slot_and_counts_by_state(clean_app, day):
    with clean_app.app_context():
        session = db.session.get(sessions.InterviewSession, day["session"])
        assert sessions.days_ahead(db.session.get(Vacancy, day["vacancy"])) == [session]
        interviewers = sessions.possible_interviewers()
        assert {day["recruiter"], day["interviewer"]} <= {u.id for u in interviewers}
        assert all(u.active and u.has_role(*sessions.INTERVIEWER_ROLES) for u in interviewers)
        assert [u.email for u in sessions.possible_receptionists()] == ["desk@x.test"]
        assert sessions.bookings_by_slot([]) == {}
        assert sessions.state_counts([]) == dict.fromkeys(sessions.BOARD_STATES, 0)


@pytest.mark.parametrize("path", ["/interviews/{missing}", "/interviews/{missing}/plan?a=1",
                                  "/reception/{missing}", "/bookings/{missing}/scorecard",
                                  "/interviews/schedule?vacancy={missing}&a=1", "/plans/{missing}",
                                  "/onboarding-templates/{missing}", "/admin/users/{missing}",
                                  "/admin/outbox/{missing}"])
def test_a_page_for_no_object_is_not_found(clean_app, make, path):
    make.user("admin", "recruiter", email="both@x.test")
    client = clean_app.test_client()
    login(client, "both@x.test")
    assert client.get(path.format(missing=10 ** 9)).status_code == 404
