"""Sending an arrival in to an interviewer who is still with someone: the
desk asks first, naming who they are with, and goes ahead only with a
confirmation for that very interview; two desks at once never send two
people to one interviewer."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from recruit.audit import AuditEntry
from recruit.auth.models import User
from recruit.extensions import db
from recruit.interviews import desk
from recruit.interviews.errors import InterviewerBusyError, InterviewError
from recruit.interviews.models import Booking, InterviewSession
from tests.concurrency import at_once
from tests.conftest import TEST_DB, login
from tests.worlds import busy_day

pytestmark = pytest.mark.pg
JSON = {"Accept": "application/json"}


def _people(ids):
    anna = db.session.get(User, ids["interviewer"])
    boris = db.session.scalar(sa.select(User).where(User.full_name == "Boris"))
    rita = db.session.scalar(sa.select(User).where(User.email == ids["recruiter"]))
    with_anna = db.session.scalar(sa.select(Booking).where(Booking.session_id == ids["session"],
                                                           Booking.interviewer_id == anna.id))
    return anna, boris, rita, with_anna


def test_a_busy_interviewer_is_not_taken_from_their_candidate_unasked(clean_app):
    ids = busy_day.build(clean_app, 15)
    with clean_app.test_request_context("/"):
        anna, boris, rita, with_anna = _people(ids)
        waiting = db.session.get(Booking, ids["arrived"][0])
        name, current = waiting.candidate.full_name, with_anna.candidate.full_name

        with pytest.raises(InterviewerBusyError) as asked:
            desk.send_in(waiting, anna.id, rita)
        question = asked.value
        assert (question.booking_id, question.interviewer_id, question.with_id) == (waiting.id, anna.id, with_anna.id)
        assert f"Anna is still with {current}" in str(question)
        assert f"Send {name} in anyway?" in str(question) and f"ends the interview with {current}" in str(question)
        db.session.rollback()
        assert db.session.get(Booking, waiting.id).seen_at is None  # asked, nothing sent

        other = db.session.get(Booking, ids["arrived"][1])
        with pytest.raises(InterviewerBusyError):  # a confirmation for another interview is no confirmation
            desk.send_in(db.session.get(Booking, waiting.id), anna.id, rita, ending=other.id)
        db.session.rollback()

        sent = desk.send_in(db.session.get(Booking, waiting.id), anna.id, rita, ending=with_anna.id)
        db.session.commit()
        assert sent.interviewer_id == anna.id and sent.seen_at is not None
        entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "booking.sent_in",
                                                              AuditEntry.object_id == waiting.id))
        assert entry.data["ended"] == with_anna.id and entry.actor_id == rita.id
        panel = {i["name"]: i for i in desk.day_snapshot(db.session.get(InterviewSession, ids["session"]))
                 ["interviewers"]}
        assert panel["Anna"]["with"] == name

        # a free interviewer is not asked about
        free = desk.send_in(db.session.get(Booking, ids["arrived"][1]), boris.id, rita)
        assert free.interviewer_id == boris.id
        db.session.rollback()


def test_the_question_is_asked_only_while_it_still_stands(clean_app):
    ids = busy_day.build(clean_app, 15)
    with clean_app.test_request_context("/"):
        anna, boris, _rita, with_anna = _people(ids)
        day = db.session.get(InterviewSession, ids["session"])
        waiting = ids["arrived"][0]
        question = desk.send_in_question(day, waiting, anna.id)
        assert question is not None and question.with_id == with_anna.id and question.interviewer == "Anna"
        assert desk.send_in_question(day, waiting, boris.id) is None  # free: nothing to ask
        assert desk.send_in_question(day, ids["expected"][0], anna.id) is None  # not arrived: nothing to send
        assert desk.send_in_question(day, waiting, 987654) is None  # nobody who interviews that day
        # the slot's length has run out since they went in: the interviewer is free again
        later = with_anna.seen_at + timedelta(minutes=day.slot_minutes, seconds=1)
        assert desk.send_in_question(day, waiting, anna.id, now=later) is None


def test_a_send_in_already_made_is_not_made_again(clean_app):
    ids = busy_day.build(clean_app, 15)
    with clean_app.test_request_context("/"):
        _anna, boris, rita, _with_anna = _people(ids)
        waiting = db.session.get(Booking, ids["arrived"][0])
        desk.send_in(waiting, boris.id, rita)
        db.session.commit()
        with pytest.raises(InterviewError, match="Only a waiting arrival"):
            desk.send_in(db.session.get(Booking, waiting.id), boris.id, rita, ending=waiting.id)


def _desk(app, ids):
    client = app.test_client()
    login(client, ids["desk"], busy_day.PASSWORD)
    return client


def test_the_screen_asks_with_its_script_and_without(clean_app):
    ids = busy_day.build(clean_app, 15)
    with clean_app.app_context():
        anna, _boris, _rita, with_anna = _people(ids)
        anna_id, current_id, current = anna.id, with_anna.id, with_anna.candidate.full_name
        waiting = ids["arrived"][0]
        name = db.session.get(Booking, waiting).candidate.full_name
    client = _desk(clean_app, ids)

    # the script asks in the page: the question comes back with the answer, the send-in is not made
    answer = client.post(f"/bookings/{waiting}/send-in", data={"interviewer_id": anna_id}, headers=JSON)
    body = answer.get_json()
    assert answer.status_code == 409 and body["error"]["busy"]
    assert f"Anna is still with {current}" in body["question"] and f"Send {name} in now" in body["question"]
    assert f'name="ending" value="{current_id}"' in body["question"] and 'role="alertdialog"' not in body["question"]
    assert name in body["regions"]["waiting"]  # still waiting

    # without the script: a page of its own that asks, and names the interview the confirmation ends
    refused = client.post(f"/bookings/{waiting}/send-in", data={"interviewer_id": anna_id})
    assert refused.status_code == 302 and f"send={waiting}" in refused.headers["Location"]
    page = client.get(refused.headers["Location"]).get_data(as_text=True)
    assert 'id="desk-question"' in page and f"Anna is still with {current} (until" in page
    assert f'name="ending" value="{current_id}"' in page and f"Keep {name} waiting" in page

    # confirmed: sent in, and the interviewer is with the new candidate
    sent = client.post(f"/bookings/{waiting}/send-in", data={"interviewer_id": anna_id, "ending": current_id})
    assert sent.status_code == 302 and "send=" not in sent.headers["Location"]
    state = client.get(f"/reception/{ids['session']}/state.json").get_json()
    assert {i["name"]: i["with"] for i in state["interviewers"]}["Anna"] == name
    assert waiting not in [w["id"] for w in state["waiting"]]
    # the question's address after the fact asks nothing more
    again = client.get(refused.headers["Location"]).get_data(as_text=True)
    assert 'id="desk-question"' not in again


def test_a_confirmation_overtaken_by_another_desk_asks_again(clean_app):
    ids = busy_day.build(clean_app, 15)
    with clean_app.app_context():
        anna, _boris, _rita, with_anna = _people(ids)
        anna_id, current_id = anna.id, with_anna.id
        first, second = ids["arrived"][:2]
        second_name = db.session.get(Booking, second).candidate.full_name
    desk_a, desk_b = _desk(clean_app, ids), _desk(clean_app, ids)
    assert desk_a.post(f"/bookings/{first}/send-in", data={"interviewer_id": anna_id}, headers=JSON).status_code == 409
    assert desk_b.post(f"/bookings/{second}/send-in", data={"interviewer_id": anna_id, "ending": current_id},
                       headers=JSON).status_code == 200  # desk B confirmed first
    late = desk_a.post(f"/bookings/{first}/send-in", data={"interviewer_id": anna_id, "ending": current_id},
                       headers=JSON)
    assert late.status_code == 409 and f"Anna is still with {second_name}" in late.get_json()["question"]
    with clean_app.app_context():
        assert db.session.get(Booking, first).seen_at is None


@pytest.mark.skipif(TEST_DB != "postgres", reason="row locks and parallel writers: PostgreSQL run")
def test_two_desks_at_once_send_one_person_to_a_free_interviewer(clean_app):
    ids = busy_day.build(clean_app, 15)
    with clean_app.app_context():
        boris = db.session.scalar(sa.select(User.id).where(User.full_name == "Boris"))
    arrivals = ids["arrived"][:2]

    def tap(n: int, client) -> int:
        return client.post(f"/bookings/{arrivals[n]}/send-in", data={"interviewer_id": boris},
                           headers=JSON).status_code

    statuses = at_once(clean_app, 2, tap, before=lambda n: _desk(clean_app, ids))
    assert sorted(statuses) == [200, 409]
    with clean_app.app_context():
        sent = db.session.scalars(sa.select(Booking).where(Booking.id.in_(arrivals), Booking.interviewer_id == boris))
        assert len(list(sent)) == 1
