"""Calendars and messages that stay true, read the way a mail client reads
them: the mail as it reaches a real SMTP server, parsed with the `email`
package, and its calendar parsed with `icalendar`.

An interviewer's entry follows their hours on a day still to come (same
UID, a higher SEQUENCE each time, CANCEL when they are off the day or the
day is off); a candidate's own decline takes their entry off; UIDs carry the
installation's domain; the invitation is offered inline; and what a
candidate reads names the position, the company, the place and whom to
call, never the day's internal title."""

from __future__ import annotations

from datetime import time, timedelta
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default as default_policy

import pytest
import sqlalchemy as sa
from icalendar import Calendar

from recruit import phones
from recruit.interviews import bookings, links, sessions
from recruit.interviews.models import InterviewerCalendar
from recruit.interviews.sessions import local_datetime
from recruit.organisation import services as org
from recruit.organisation.services import SettingsError
from tests.conftest import csrf_token, login
from tests.servers import SMTPRecorder
from tests.worlds.interview_day import stream

pytestmark = pytest.mark.pg

TITLE = "Internal: Tuesday batch B"  # the recruiters' own name for the day
PHONE = "+380 44 228 15 40"


class Inbox:
    def __init__(self, recorder: SMTPRecorder):
        self.recorder = recorder

    def to(self, address: str) -> list[EmailMessage]:
        return [message_from_bytes(e.original_content, policy=default_policy)
                for e in self.recorder.messages if address in e.rcpt_tos]

    def last(self, address: str) -> EmailMessage:
        found = self.to(address)
        assert found, f"no mail to {address}"
        return found[-1]


@pytest.fixture
def inbox(smtp) -> Inbox:
    return Inbox(smtp)


def calendar_parts(message: EmailMessage) -> tuple[EmailMessage, EmailMessage]:
    """The inline calendar (inside multipart/alternative, beside the text and
    its HTML) and the .ics attachment; both must be there."""
    assert message.get_content_type() == "multipart/mixed"
    alternative = next(p for p in message.iter_parts() if p.get_content_type() == "multipart/alternative")
    kinds = [p.get_content_type() for p in alternative.iter_parts()]
    assert kinds == ["text/plain", "text/html", "text/calendar"], kinds
    inline = list(alternative.iter_parts())[2]
    assert inline.get_content_disposition() is None  # shown, not filed away as an attachment
    (attached,) = list(message.iter_attachments())
    assert attached.get_content_type() == "text/calendar" and attached.get_filename().endswith(".ics")
    return inline, attached


def event_of(message: EmailMessage, method: str):
    inline, attached = calendar_parts(message)
    assert inline.get_param("method") == method and inline.get_param("charset").upper() == "UTF-8"
    assert attached.get_param("method") == method
    data = inline.get_content()
    assert data == attached.get_content()  # the same entry twice
    calendar = Calendar.from_ical(data)
    assert str(calendar["method"]) == method
    (event,) = calendar.walk("VEVENT")
    assert "RSVP" not in event["attendee"].params  # no reply is asked for: none would be read
    assert "RSVP" not in data
    return event


def text_of(message: EmailMessage) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def html_of(message: EmailMessage) -> str:
    return message.get_body(preferencelist=("html",)).get_content()


# --- the interviewers' calendars ---------------------------------------------------------

def test_an_interviewers_entry_follows_their_hours_then_goes(ctx, world, inbox):
    session = stream(world)
    ctx.session.commit()
    anna, boris = world["anna"], world["boris"]
    first = event_of(inbox.last(boris.email), "REQUEST")
    uid = str(first["uid"])
    assert uid == f"session-{session.id}-{boris.id}@recruit.test" and int(first["sequence"]) == 0
    assert first.decoded("dtstart") == local_datetime(session.day, time(11))
    assert first.decoded("dtend") == session.ends_at

    sessions.set_interviewer_hours(session, boris.id, time(10, 30), time(11, 30), world["recruiter"])
    ctx.session.commit()
    changed = inbox.last(boris.email)
    assert "10:30" in text_of(changed) and "11:30" in text_of(changed)
    event = event_of(changed, "REQUEST")
    assert str(event["uid"]) == uid and int(event["sequence"]) == 1
    assert event.decoded("dtstart") == local_datetime(session.day, time(10, 30))
    assert event.decoded("dtend") == local_datetime(session.day, time(11, 30))
    assert ctx.session.get(InterviewerCalendar, (session.id, boris.id)).sequence == 1  # kept in the database

    count = len(inbox.to(boris.email))
    sessions.set_interviewer_hours(session, boris.id, time(10, 30), time(11, 30), world["recruiter"])
    ctx.session.commit()
    assert len(inbox.to(boris.email)) == count  # the same hours saved again: nothing to tell

    sessions.set_interviewer_hours(session, boris.id, None, None, world["recruiter"], remove=True)
    ctx.session.commit()
    event = event_of(inbox.last(boris.email), "CANCEL")
    assert str(event["uid"]) == uid and int(event["sequence"]) == 2 and str(event["status"]) == "CANCELLED"
    count = len(inbox.to(boris.email))
    assert sessions.set_interviewer_hours(session, boris.id, None, None, world["recruiter"], remove=True) is None
    ctx.session.commit()
    assert len(inbox.to(boris.email)) == count  # a second click on "remove": nothing more, nobody added back
    assert [i.user_id for i in session.interviewers] == [anna.id]

    # put back on the day: a REQUEST that outranks the CANCEL the calendar has
    sessions.set_interviewer_hours(session, boris.id, time(11), None, world["recruiter"])
    ctx.session.commit()
    event = event_of(inbox.last(boris.email), "REQUEST")
    assert str(event["uid"]) == uid and int(event["sequence"]) == 3

    anna_uid = str(event_of(inbox.last(anna.email), "REQUEST")["uid"])
    bookings.cancel_session(session, world["recruiter"], "")
    ctx.session.commit()
    for person, uid_, sequence in ((anna, anna_uid, 1), (boris, uid, 4)):
        event = event_of(inbox.last(person.email), "CANCEL")
        assert str(event["uid"]) == uid_ and int(event["sequence"]) == sequence


def test_an_interviewer_added_later_gets_their_first_entry(ctx, world, inbox):
    session = stream(world, interviewers=[sessions.InterviewerHours(world["anna"].id)])
    ctx.session.commit()
    assert inbox.to(world["boris"].email) == []
    sessions.set_interviewer_hours(session, world["boris"].id, time(10), time(11), world["recruiter"])
    ctx.session.commit()
    event = event_of(inbox.last(world["boris"].email), "REQUEST")
    assert int(event["sequence"]) == 0 and event.decoded("dtend") == local_datetime(session.day, time(11))
    # "Add interviewer" with no times, clicked twice: the whole day once, and they stay on it
    for _click in range(2):
        sessions.set_interviewer_hours(session, world["boris"].id, None, None, world["recruiter"])
        ctx.session.commit()
    whole_day = [event_of(m, "REQUEST") for m in inbox.to(world["boris"].email)[1:]]
    assert [int(e["sequence"]) for e in whole_day] == [1]
    assert (whole_day[0].decoded("dtstart"), whole_day[0].decoded("dtend")) == (session.starts_at, session.ends_at)
    assert sorted(i.user_id for i in session.interviewers) == sorted([world["anna"].id, world["boris"].id])


def test_a_day_that_is_over_sends_no_calendar(ctx, world, inbox):
    session = stream(world)
    ctx.session.commit()
    sent = len(inbox.recorder.messages)
    back = timedelta(days=7)  # the day as if it were last week
    session.day -= back
    session.starts_at -= back
    session.ends_at -= back
    for item in session.interviewers:
        item.starts_at -= back
        item.ends_at -= back
    for slot in session.slots:
        slot.starts_at -= back
        slot.ends_at -= back
    ctx.session.commit()
    sessions.set_interviewer_hours(session, world["boris"].id, time(10, 30), None, world["recruiter"])
    ctx.session.commit()
    assert len(inbox.recorder.messages) == sent


def test_uids_carry_the_installations_domain_and_keep_it(ctx, world, inbox, clean_app):
    clean_app.config["EXTERNAL_URL"] = "https://jobs.demo-trading.example:8443/recruit"
    try:
        session = stream(world)
        result = bookings.book(session, [(world["apps"][0].id, 1)], None, world["recruiter"])
        ctx.session.commit()
        booking = result.invited[0]
        invite = event_of(inbox.last("c0@x.test"), "REQUEST")
        assert str(invite["uid"]) == f"booking-{booking.id}@jobs.demo-trading.example"
        entry = event_of(inbox.last(world["anna"].email), "REQUEST")
        assert str(entry["uid"]).endswith("@jobs.demo-trading.example")
        # the address changes: what is already in calendars keeps its UID
        clean_app.config["EXTERNAL_URL"] = "https://hr.demo-trading.example"
        bookings.reschedule(booking, session.slots[3].id)
        sessions.set_interviewer_hours(session, world["anna"].id, time(10), time(11), world["recruiter"])
        ctx.session.commit()
        moved = event_of(inbox.last("c0@x.test"), "REQUEST")
        assert str(moved["uid"]) == str(invite["uid"]) and int(moved["sequence"]) == 1
        assert str(event_of(inbox.last(world["anna"].email), "REQUEST")["uid"]) == str(entry["uid"])
    finally:
        clean_app.config["EXTERNAL_URL"] = "http://recruit.test"


# --- what the candidate reads --------------------------------------------------------------

def _company(ctx):
    org.update_settings(name="Demo Trading LLC", timezone="Europe/Moscow", working_days=[0, 1, 2, 3, 4],
                        reminder_offsets_hours=[24, 2], retention_days=365, approver_id=None, phone_region="UA",
                        contact_phone=PHONE)
    ctx.session.commit()
    return phones.display(phones.to_e164(PHONE, "UA"), "UA")


def _says_what_a_candidate_needs(text: str, shown_phone: str, *, place: bool = True) -> None:
    assert "Client manager" in text and "Demo Trading LLC" in text and shown_phone in text
    if place:
        assert "Office, room 5" in text and "Metro Park, exit 2" in text
    assert TITLE not in text and "Tuesday batch" not in text


def test_the_invitation_reminder_and_cancellation_name_position_company_place_and_phone(ctx, world, inbox):
    shown = _company(ctx)
    assert shown == "044 228 1540"
    session = stream(world, title=TITLE)
    result = bookings.book(session, [(world["apps"][0].id, 1)], None, world["recruiter"])
    ctx.session.commit()
    booking = result.invited[0]
    invitation = inbox.last("c0@x.test")
    for text in (invitation["subject"], text_of(invitation)):
        assert "Client manager" in text and "Demo Trading LLC" in text and TITLE not in text
    _says_what_a_candidate_needs(text_of(invitation), shown)
    _says_what_a_candidate_needs(html_of(invitation), shown)
    (link,) = [word for word in text_of(invitation).split() if "/b/" in word]
    assert links.booking_from_token(link.rsplit("/", 1)[1]).id == booking.id
    assert f'<a href="{link}">' in html_of(invitation)  # the link works in the HTML part too
    event = event_of(invitation, "REQUEST")
    assert str(event["summary"]) == "Interview: Client manager, Demo Trading LLC"
    _says_what_a_candidate_needs(str(event["description"]), shown)
    assert str(event["location"]) == "Office, room 5" and str(event["url"]) == link
    assert event["organizer"].params["CN"] == "Demo Trading LLC"

    from recruit.mail import OutboxMessage

    reminders = ctx.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.kind.startswith(
        "interview.reminder"))).all()
    assert reminders
    for reminder in reminders:
        _says_what_a_candidate_needs(reminder.subject + "\n" + reminder.body, shown)

    bookings.cancel(booking, world["recruiter"], "The position is filled.")
    ctx.session.commit()
    cancel = inbox.last("c0@x.test")
    _says_what_a_candidate_needs(cancel["subject"] + text_of(cancel), shown, place=False)
    event = event_of(cancel, "CANCEL")
    assert str(event["uid"]) == f"booking-{booking.id}@recruit.test" and int(event["sequence"]) == 1
    _says_what_a_candidate_needs(str(event["summary"]) + str(event["description"]), shown)


def test_the_waiting_list_notice_names_position_and_company(ctx, world, inbox):
    shown = _company(ctx)
    session = stream(world, title=TITLE, kind="group", seats=1, slot_minutes=30)
    session.slots[0].invite_cap = 1
    ctx.session.commit()
    bookings.book(session, [(world["apps"][0].id, 0), (world["apps"][1].id, 0)], [0], world["recruiter"],
                  planned=[1])
    ctx.session.commit()
    notice = inbox.last("c1@x.test")
    assert "Waiting list" in notice["subject"]
    _says_what_a_candidate_needs(notice["subject"] + text_of(notice), shown, place=False)
    assert notice.get_content_type() == "text/plain"  # no calendar entry for a place not held


def test_a_video_interview_gives_the_link(ctx, world, inbox):
    shown = _company(ctx)
    session = stream(world, title=TITLE, place="", directions="", video_link="https://meet.example/abc-def")
    bookings.book(session, [(world["apps"][0].id, 1)], None, world["recruiter"])
    ctx.session.commit()
    invitation = inbox.last("c0@x.test")
    assert "https://meet.example/abc-def" in text_of(invitation) and shown in text_of(invitation)
    event = event_of(invitation, "REQUEST")
    assert str(event["location"]) == "https://meet.example/abc-def"


def test_a_candidates_own_decline_takes_the_entry_off_their_calendar(world, inbox, client, clean_app):
    from recruit.extensions import db

    with clean_app.app_context():
        _company(db)
        session = stream(world, title=TITLE)
        result = bookings.book(session, [(world["apps"][0].id, 1)], None, world["recruiter"])
        db.session.commit()
        token = links.booking_token(result.invited[0])
    invite = event_of(inbox.last("c0@x.test"), "REQUEST")
    page = client.get(f"/b/{token}")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    for shown in ("Client manager", "Demo Trading LLC", "Office, room 5", "Metro Park, exit 2", "044 228 1540",
                  'href="tel:+380442281540"'):
        assert shown in text, shown
    assert TITLE not in text
    response = client.post(f"/b/{token}", data={"action": "decline", "csrf_token": csrf_token(text)})
    assert response.status_code == 302
    declined = inbox.last("c0@x.test")
    assert "Declined" in declined["subject"]
    _says_what_a_candidate_needs(declined["subject"] + text_of(declined), "044 228 1540", place=False)
    event = event_of(declined, "CANCEL")
    assert str(event["uid"]) == str(invite["uid"]) and int(event["sequence"]) > int(invite["sequence"])
    assert event.decoded("dtstart") == invite.decoded("dtstart")
    count = len(inbox.to("c0@x.test"))
    client.post(f"/b/{token}", data={"action": "decline", "csrf_token": csrf_token(text)})  # a second click
    assert len(inbox.to("c0@x.test")) == count


def test_a_waitlisted_candidates_decline_sends_no_calendar(ctx, world, inbox):
    session = stream(world, kind="group", seats=1)
    session.slots[0].invite_cap = 1
    ctx.session.commit()
    result = bookings.book(session, [(world["apps"][0].id, 0), (world["apps"][1].id, 0)], [0], world["recruiter"],
                           planned=[1])
    ctx.session.commit()
    count = len(inbox.to("c1@x.test"))
    bookings.decline(result.waitlisted[0])
    ctx.session.commit()
    assert len(inbox.to("c1@x.test")) == count  # they never had an entry to take off


# --- the number candidates call ------------------------------------------------------------

def test_the_admin_sets_the_phone_candidates_call(make, client, clean_app):
    from recruit.extensions import db

    make.user("admin", email="boss@x.test")
    login(client, "boss@x.test")
    page = client.get("/admin/settings")
    html = page.get_data(as_text=True)
    assert 'name="contact_phone"' in html and 'type="tel"' in html
    with clean_app.app_context():
        current = org.get_settings()
        data = {"csrf_token": csrf_token(html), "name": current.name, "timezone": current.timezone,
                "working_days": [str(d) for d in current.working_days], "reminder_offsets": "24, 2",
                "retention_days": str(current.retention_days), "approver_id": "0",
                "planning_preference": str(current.planning_preference), "show_rate_half_life_days": "60",
                "no_show_grace_minutes": "30",
                "locale": current.locale, "currency": current.currency, "phone_region": "UA",
                "csv_separator": current.csv_separator, "country": current.country or ""}
    bad = client.post("/admin/settings", data={**data, "contact_phone": "call us"})
    assert bad.status_code == 200 and "is not a phone number candidates can call" in bad.get_data(as_text=True)
    with clean_app.app_context():
        assert org.get_settings().contact_phone == ""  # nothing saved
    good = client.post("/admin/settings", data={**data, "contact_phone": "044 228 15 40"})
    assert good.status_code == 302
    with clean_app.app_context():
        db.session.expire_all()
        assert org.get_settings().contact_phone == "+380442281540"
    assert 'value="044 228 1540"' in client.get("/admin/settings").get_data(as_text=True)


def test_a_phone_nobody_can_call_is_refused(ctx):
    with pytest.raises(SettingsError):
        org.update_settings(name="X", timezone="Europe/Moscow", working_days=[0, 1, 2, 3, 4],
                            reminder_offsets_hours=[24], retention_days=365, approver_id=None, contact_phone="12")
    assert org.get_settings().contact_phone == "" and org.get_settings().name != "X"  # nothing changed


def test_remove_clicked_twice_in_the_browser_takes_the_interviewer_off_once(world, inbox, client, clean_app):
    from recruit.extensions import db
    from recruit.interviews.models import InterviewSession

    with clean_app.app_context():
        session_id = stream(world).id
        db.session.commit()
    login(client, "rec@x.test", "long-enough-pw")
    page = client.get(f"/interviews/{session_id}").get_data(as_text=True)
    form = {"csrf_token": csrf_token(page), "user_id": str(world["boris"].id), "action": "remove"}
    for _click in range(2):
        assert client.post(f"/interviews/{session_id}/interviewers", data=form).status_code == 302
    cancels = [m for m in inbox.to(world["boris"].email) if next(m.iter_attachments()).get_param("method") == "CANCEL"]
    assert len(cancels) == 1 and int(event_of(cancels[0], "CANCEL")["sequence"]) == 1
    with clean_app.app_context():
        day = db.session.get(InterviewSession, session_id)
        assert [i.user_id for i in day.interviewers] == [world["anna"].id]
