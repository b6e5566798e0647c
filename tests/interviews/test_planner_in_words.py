"""The planner in plain words: the proposal slot by slot with a sentence
that explains it, the preference that sets the weights, the waiting list
chosen from the planner, and a cancelled day's waiting list told and offered
another open day through its link."""

import html
import re
from dataclasses import replace
from datetime import time

import pytest
import sqlalchemy as sa
from flask_babel import force_locale
from markupsafe import Markup

from recruit.auth.models import User
from recruit.extensions import db
from recruit.interviews import bookings, links, planning, proposals, sessions
from recruit.interviews.errors import InterviewError
from recruit.interviews.formats import percent
from recruit.interviews.models import Booking, InterviewSession, Slot
from recruit.mail import OutboxMessage
from recruit.templating import options_choosing
from recruit.vacancies.models import Vacancy
from tests.conftest import login
from tests.worlds.interview_day import days_ahead, stream
from tests.worlds.interviews import plan_day

pytestmark = pytest.mark.pg


def test_the_sentence_says_how_many_come_and_how_many_are_invited_per_interviewer(world, ctx):
    session = stream(world)
    proposal = planning.propose(session, world["apps"], 5)  # "never keep waiting": not all thirty
    views, rest = proposals.slot_views(session, proposal.future, proposal.held, proposal.assignment,
                                       world["apps"], proposal.probabilities)
    assert [v.index for v in views] == [0, 1, 2, 3] and [len(v.rows) for v in views] == proposal.planned
    assert views[0].expected == pytest.approx(sum(proposal.probabilities[a.id] for a in views[0].rows))
    assert rest  # more than the day holds at this preference
    sentence = proposals.explanation(views, proposal.probabilities, len(rest))
    invited = [proposal.probabilities[a.id] for v in views for a in v.rows]
    one_in = round(len(invited) / sum(invited))
    per_seat = round(len(invited) / sum(v.capacity for v in views if v.rows))
    assert f"About 1 in {one_in} of these candidates comes, so {per_seat} are invited for each " \
           f"interviewer and slot. {len(rest)} more would mostly wait" in sentence
    everyone = proposals.explanation(views, proposal.probabilities, 0)
    assert f"comes: all {len(invited)} ticked are invited, and the day could take more." in everyone
    likely = {a.id: 0.9 for a in world["apps"]}
    assert proposals.explanation(views[:1], likely, 2).startswith("Nearly all of these candidates come, so")
    one = proposals.explanation([replace(views[0], rows=views[0].rows[:1])], likely, 0)
    assert one == "Nearly all of these candidates come: the 1 ticked is invited, and the day could take more."
    assert proposals.explanation([], proposal.probabilities, 3).startswith("Nobody more is proposed")


def test_each_row_shows_its_candidate_chance_channel_and_choice(world, ctx):
    """The page's rows are read as plain values: every one still carries its
    candidate's name, channel in the reader's words, chance and choice."""
    session = stream(world)
    proposal = planning.propose(session, world["apps"], 5)
    views, rest = proposals.slot_views(session, proposal.future, proposal.held, proposal.assignment,
                                       world["apps"], proposal.probabilities)
    waiting, not_now, elsewhere, untouched = rest[:4]
    choices = {waiting.id: "w", not_now.id: "", elsewhere.id: "2"}
    groups = proposals.lines(views, rest, proposals.rest_choices(rest, choices, {waiting.id}),
                             proposal.probabilities)
    assert [view for view, _rows in groups] == [*views, None]
    shown = {a.id: a for a in world["apps"]}
    for view, rows in groups:
        assert [row.id for row in rows] == [a.id for a in (view.rows if view else rest)]
        for row in rows:
            candidate = shown[row.id].candidate
            assert row.name == candidate.full_name
            assert row.channel == {"Referral": "Referral", "HeadHunter": "HeadHunter"}[candidate.source]
            assert row.shows_up == percent(proposal.probabilities[row.id], 0) and row.shows_up.endswith("%")
            if view:
                assert (row.chosen, row.ticked) == (view.index, True)
    marked = {row.id: (row.chosen, row.ticked) for row in groups[-1][1]}
    assert marked[waiting.id] == ("w", True) and marked[not_now.id] == (None, False)
    assert marked[elsewhere.id] == (2, False) and marked[untouched.id] == ("w", False)
    with force_locale("uk"):
        first = proposals.lines(views, rest, proposals.rest_choices(rest, {}, set()), proposal.probabilities)[0][1]
        referral = next(row for row in first if shown[row.id].candidate.source == "Referral")
        assert referral.channel == "Рекомендація"


def test_a_rows_select_marks_its_choice_once_per_page():
    choose = options_choosing(Markup('<option value="">not now</option><option value="w">waiting list</option>'
                                     '<option value="0">10:00</option><option value="10">15:00</option>'))
    assert 'selected' not in choose[None]
    assert choose[0].count("selected") == 1 and '<option value="0" selected>10:00' in choose[0]
    assert '<option value="10" selected>15:00' in choose[10] and '<option value="w" selected>' in choose["w"]
    assert choose(10) is choose[10]  # written once, whichever way the template asks


def test_the_preference_sets_how_many_are_invited(world, ctx):
    session = stream(world)
    busy = planning.propose(session, world["apps"], 1)
    never = planning.propose(session, world["apps"], 5)
    assert sum(busy.planned) > sum(never.planned)
    assert busy.metrics.idle_minutes < never.metrics.idle_minutes
    assert never.metrics.waiting_minutes < busy.metrics.waiting_minutes
    assert planning.propose(session, world["apps"]).preference == 2  # the organisation's default


def test_a_hand_plan_is_weighed_with_the_seats_already_taken(world, ctx):
    session = stream(world)
    first = bookings.book(session, [(world["apps"][0].id, 0), (world["apps"][1].id, 0)], None, world["recruiter"])
    ctx.session.commit()
    held = [b.predicted_show for b in first.invited]
    hand = planning.evaluate_hand_plan(session, world["apps"][2:4], {world["apps"][2].id: 1})
    expected = planning.evaluate_assignment(session, {})  # the held seats alone...
    assert hand.metrics.interviews_held > expected.interviews_held > 0
    assert planning.held_seats(session)[0] == pytest.approx(held)


def test_the_recruiter_puts_candidates_on_the_waiting_list_from_the_planner(world, ctx):
    session = stream(world)
    result = bookings.book(session, [(world["apps"][0].id, 0)], None, world["recruiter"],
                           waitlist=[world["apps"][1].id, world["apps"][2].id, world["apps"][1].id])
    ctx.session.commit()
    assert len(result.invited) == 1 and [b.waitlist_position for b in result.waitlisted] == [1, 2]
    assert all(b.slot_id is None and b.state == "waitlisted" for b in result.waitlisted)
    notices = ctx.session.scalars(sa.select(OutboxMessage.recipient).where(
        OutboxMessage.kind == "interview.waitlist")).all()
    assert sorted(notices) == ["c1@x.test", "c2@x.test"]
    again = bookings.book(session, [], None, world["recruiter"], waitlist=[world["apps"][1].id])
    assert not again.waitlisted and "already has an interview" in again.skipped[0]
    # a freed seat goes to the first of them
    bookings.cancel(result.invited[0], world["recruiter"])
    ctx.session.commit()
    assert ctx.session.get(Booking, result.waitlisted[0].id).state == "invited"


def test_a_cancelled_day_tells_its_waiting_list_and_offers_another_open_day(world, ctx):
    session = stream(world)
    other = stream(world, title="Another day", day=days_ahead(5), start=time(14), end=time(15))
    result = bookings.book(session, [(world["apps"][0].id, 0)], None, world["recruiter"],
                           waitlist=[world["apps"][1].id])
    ctx.session.commit()
    waiting = result.waitlisted[0]
    bookings.cancel_session(session, world["recruiter"], "")
    ctx.session.commit()
    told = ctx.session.scalar(sa.select(OutboxMessage).where(OutboxMessage.kind == "interview.waitlist_cancel"))
    assert told.recipient == "c1@x.test" and "waiting list" in told.body and "another day" in told.body
    assert "/b/" in told.body
    invited_told = ctx.session.scalar(sa.select(OutboxMessage).where(OutboxMessage.kind == "interview.cancel"))
    assert "/b/" in invited_told.body and "another day" in invited_told.body
    assert bookings.may_choose_another_day(waiting)
    free = bookings.free_slots(waiting)
    assert free and {s.session_id for s in free} == {other.id}
    moved = bookings.choose_another_day(waiting, free[0].id)
    ctx.session.commit()
    assert (moved.state, moved.session_id, moved.slot_id) == ("invited", other.id, free[0].id)
    assert ctx.session.get(Slot, free[0].id).booked == 1
    with pytest.raises(InterviewError, match="no longer be moved"):
        bookings.choose_another_day(moved, free[0].id)


def test_without_another_open_day_the_message_offers_none(world, ctx):
    session = stream(world)
    bookings.book(session, [], None, world["recruiter"], waitlist=[world["apps"][1].id])
    ctx.session.commit()
    bookings.cancel_session(session, world["recruiter"], "The office is closed.")
    ctx.session.commit()
    told = ctx.session.scalar(sa.select(OutboxMessage).where(OutboxMessage.kind == "interview.waitlist_cancel"))
    assert "The office is closed." in told.body and "/b/" not in told.body


# --- the pages --------------------------------------------------------------------------

def test_the_plan_page_shows_the_day_slot_by_slot_with_its_sentence_and_data(clean_app, day):
    client = clean_app.test_client()
    login(client, "rec@x.test")
    session_id = plan_day(client, day)
    page = html.unescape(client.get(f"/interviews/{session_id}/plan", query_string={"a": day["apps"]})
                         .get_data(as_text=True))
    assert "About 1 in 5 of these candidates comes: all 12 ticked are invited, and the day could take more." in page
    assert page.count('<tbody data-slot="') == 5  # four slots, then those not invited
    assert "expected arrivals:" in page and "data-plan-data" in page
    assert 'id="preference"' in page and 'value="2" selected' in page
    checked = r'name="invite" value="(\d+)" id="invite_\d+" aria-describedby="invite-hint" checked'
    ticked = re.findall(checked, page)
    assert len(ticked) > 4  # overbooked
    never = html.unescape(client.get(f"/interviews/{session_id}/plan",
                                     query_string={"a": day["apps"], "preference": 5}).get_data(as_text=True))
    assert len(re.findall(checked, never)) < len(ticked)
    assert 'name="preference" value="5"' in never


def test_ticks_slots_and_the_waiting_list_are_booked_as_sent(clean_app, day):
    client = clean_app.test_client()
    login(client, "rec@x.test")
    session_id = plan_day(client, day)
    page = client.get(f"/interviews/{session_id}/plan", query_string={"a": day["apps"]}).get_data(as_text=True)
    picture = re.search(r'name="picture" value="([^"]+)"', page).group(1)
    apps = day["apps"]
    form = {"application": apps, "picture": picture, "ticks": "1", "action": "evaluate",
            "invite": [apps[0], apps[1], apps[2]],
            f"slot_{apps[0]}": "0", f"slot_{apps[1]}": "w", f"slot_{apps[2]}": "1",
            f"slot_{apps[3]}": "0"}  # a slot chosen but not ticked: not invited
    edited = html.unescape(client.post(f"/interviews/{session_id}/book", data=form).get_data(as_text=True))
    assert "Figures for your edited plan." in edited and "data-edited hidden" not in edited
    form["action"] = "send"
    done = html.unescape(client.post(f"/interviews/{session_id}/book", data=form, follow_redirects=True)
                         .get_data(as_text=True))
    assert "2 invited, 1 on the waiting list." in done
    with clean_app.app_context():
        states = dict(db.session.execute(sa.select(Booking.application_id, Booking.state)
                                         .where(Booking.session_id == session_id)).all())
        assert states == {apps[0]: "invited", apps[2]: "invited", apps[1]: "waitlisted"}


def test_the_candidate_of_a_cancelled_day_picks_another_day_from_the_link(clean_app, day):
    client = clean_app.test_client()
    login(client, "rec@x.test")
    session_id = plan_day(client, day)
    with clean_app.app_context():
        session = db.session.get(InterviewSession, session_id)
        recruiter = db.session.get(User, day["recruiter"])
        waiting = bookings.book(session, [], None, recruiter, waitlist=[day["apps"][0]]).waitlisted[0]
        invited = bookings.book(session, [(day["apps"][1], 0)], None, recruiter).invited[0]
        tokens = links.booking_token(waiting), links.booking_token(invited)
        db.session.commit()
        waiting_id = waiting.id
    client.post(f"/interviews/{session_id}/cancel", data={"reason": ""})
    candidate = clean_app.test_client()
    page = html.unescape(candidate.get(f"/b/{tokens[0]}").get_data(as_text=True))
    assert "is cancelled" in page and "No other day is open for now." in page and "another_day" not in page
    with clean_app.app_context():  # another day of the vacancy opens
        other = sessions.create_session(
            kind="stream", title="Second day", vacancy=db.session.get(Vacancy, day["vacancy"]), day=day["day"],
            start=time(15), end=time(16), place="Room", interviewers=[sessions.InterviewerHours(day["interviewer"])],
            created_by=db.session.get(User, day["recruiter"]))
        db.session.commit()
        slot_id, other_id = other.slots[1].id, other.id
    page = html.unescape(candidate.get(f"/b/{tokens[0]}").get_data(as_text=True))
    assert "Choose another day" in page and f'value="{slot_id}"' in page
    assert "Choose another day" in candidate.get(f"/b/{tokens[1]}").get_data(as_text=True)  # and the invited one
    done = html.unescape(candidate.post(f"/b/{tokens[0]}", data={"action": "another_day", "slot_id": slot_id},
                                        follow_redirects=True).get_data(as_text=True))
    assert "You are invited on the day you chose." in done and "I will come" in done
    refused = html.unescape(candidate.post(f"/b/{tokens[0]}", data={"action": "another_day", "slot_id": slot_id},
                                           follow_redirects=True).get_data(as_text=True))
    assert "can no longer be moved" in refused  # a second click moves nothing more
    with clean_app.app_context():
        moved = db.session.get(Booking, waiting_id)
        assert (moved.state, moved.session_id, moved.slot_id) == ("invited", other_id, slot_id)
        mail = db.session.scalars(sa.select(OutboxMessage.subject).where(
            OutboxMessage.recipient == moved.candidate.email, OutboxMessage.kind == "interview.invitation")).all()
        assert len(mail) == 1 and mail[0].startswith("Updated: interview for Client manager at ")


def test_a_group_sitting_is_never_planned_busier_than_step_4(world, ctx):
    group = stream(world, kind="group", seats=4, slot_minutes=0)
    busy, floor = planning.propose(group, world["apps"], 1), planning.propose(group, world["apps"], 4)
    assert busy.planned == floor.planned and 4 < floor.planned[0] < 30  # overbooked, not flooded
    assert planning.propose(group, world["apps"], 5).planned[0] < floor.planned[0]


def test_only_those_cancelled_with_their_day_may_choose_another(world, ctx):
    session = stream(world)
    stream(world, title="Another day", day=days_ahead(5), start=time(14), end=time(15))
    result = bookings.book(session, [(world["apps"][0].id, 0), (world["apps"][1].id, 1)], None, world["recruiter"])
    ctx.session.commit()
    by_hand, with_day = result.invited
    bookings.cancel(by_hand, world["recruiter"], "Not for this role.")
    bookings.cancel_session(session, world["recruiter"], "")
    ctx.session.commit()
    assert not bookings.may_choose_another_day(by_hand) and bookings.may_choose_another_day(with_day)
    with pytest.raises(InterviewError, match="no longer be moved"):
        bookings.choose_another_day(by_hand, bookings.free_slots(with_day)[0].id)
    mails = ctx.session.scalars(sa.select(OutboxMessage.body).where(OutboxMessage.kind == "interview.cancel",
                                                                   OutboxMessage.recipient == "c0@x.test")).all()
    assert mails and all("another day" not in body for body in mails)  # the recruiter's own cancellation
