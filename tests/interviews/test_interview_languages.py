"""Whose language each interview message is in: everything a candidate
receives (invitation, reminders, waiting-list and cancellation notices, the
.ics, their own page) in the candidate's language, whoever sends it; what an
interviewer receives in theirs. A code on a page goes through a label map."""

from __future__ import annotations

import base64
import re
from datetime import time

import pytest
import sqlalchemy as sa
from babel.dates import format_date
from babel.messages.pofile import read_po
from icalendar import Calendar

from tests.conftest import login

_CATALOGUES: dict[str, object] = {}


def _msgstr(code: str, msgid: str) -> str | None:
    """The catalogue's translation, or None while the translators have not written it."""
    if code not in _CATALOGUES:
        with open(f"translations/{code}/LC_MESSAGES/messages.po", "rb") as fh:
            _CATALOGUES[code] = read_po(fh, locale=code)
    message = _CATALOGUES[code].get(msgid)
    return message.string if message and message.string and not message.fuzzy else None


def _html_lang(response) -> str:
    match = re.search(r'<html lang="([^"]+)"', response.get_data(as_text=True))
    assert match, "the page names its language"
    return match.group(1)


def _messages(app, kind_prefix: str, recipient: str | None = None):
    from recruit.extensions import db
    from recruit.mail import OutboxMessage

    with app.app_context():
        stmt = sa.select(OutboxMessage).where(OutboxMessage.kind.startswith(kind_prefix)).order_by(OutboxMessage.id)
        if recipient:
            stmt = stmt.where(OutboxMessage.recipient == recipient)
        return list(db.session.scalars(stmt))


def _ics(message) -> Calendar:
    (item,) = [a for a in message.attachments if a["filename"].endswith(".ics")]
    return Calendar.from_ical(base64.b64decode(item["data"]))


def _event(message):
    return _ics(message).walk("vevent")[0]


def _speaks(app, application_id: int, code: str | None) -> str:
    """Give the application's candidate a language; their e-mail address back."""
    from recruit.extensions import db
    from recruit.vacancies.models import Application

    with app.app_context():
        candidate = db.session.get(Application, application_id).candidate
        candidate.language = code
        db.session.commit()
        return candidate.email


def _plan_and_book(app, day, assignment, *, base=None, recruiter_speaks="ru", interviewer_speaks="bg"):
    """A day planned and booked by a recruiter whose request is in another
    language: the candidates' messages must not follow the recruiter. With
    `base` (the seats taken when the plan was made), `assignment` is a list of
    bookings made one after the other from that same picture."""
    from flask import g

    from recruit.auth.models import User
    from recruit.extensions import db
    from recruit.interviews import bookings, links, sessions
    from recruit.vacancies.models import Vacancy

    with app.app_context():
        db.session.get(User, day["interviewer"]).locale = interviewer_speaks
        db.session.commit()
    with app.test_request_context("/"):
        g.locale = recruiter_speaks
        session = sessions.create_session(kind="stream", title="Day", vacancy=db.session.get(Vacancy, day["vacancy"]),
                                    day=day["day"], start=time(10), end=time(12), place="Room",
                                    interviewers=[sessions.InterviewerHours(day["interviewer"])],
                                    created_by=db.session.get(User, day["recruiter"]))
        tokens = {}
        for batch in (assignment if base is not None else [assignment]):
            result = bookings.book(session, batch, base, db.session.get(User, day["recruiter"]))
            tokens.update({b.application_id: links.booking_token(b) for b in result.invited + result.waitlisted})
        db.session.commit()
        return session.id, tokens


def test_the_invitation_reminders_and_ics_are_in_the_candidates_language(clean_app, day):
    email = _speaks(clean_app, day["apps"][0], "uk")
    _plan_and_book(clean_app, day, [(day["apps"][0], 1)])
    (letter,) = _messages(clean_app, "interview.invitation", email)
    uk_day = format_date(day["day"], "full", locale="uk")
    assert uk_day in letter.subject and uk_day in letter.body  # the date written the Ukrainian way
    assert format_date(day["day"], "full", locale="ru") not in letter.subject  # not the recruiter's language
    subject = _msgstr("uk", "Invitation: interview for %(position)s at %(company)s, %(when)s")
    if subject:
        when = re.escape(uk_day) + r", 10:30 \(.+\)"
        pattern = re.escape(subject).replace(re.escape("%(when)s"), when).replace(
            re.escape("%(position)s"), "Client manager").replace(re.escape("%(company)s"), ".+")
        assert re.fullmatch(pattern, letter.subject), letter.subject
    event = _event(letter)
    assert event["summary"].params["LANGUAGE"] == "uk" and event["description"].params["LANGUAGE"] == "uk"
    summary = _msgstr("uk", "Interview: %(position)s, %(company)s")
    if summary:  # the position and the company, never the day's internal title
        assert str(event["summary"]) == summary % {"position": "Client manager", "company": "Our company"}
    reminders = _messages(clean_app, "interview.reminder", email)
    assert reminders and all(uk_day in r.subject for r in reminders)
    reminder = _msgstr("uk", "Reminder: interview for %(position)s at %(company)s, %(when)s")
    if reminder:
        assert all(r.subject.startswith(reminder.split("%(position)s")[0] + "Client manager") for r in reminders)


def test_the_interviewer_reads_their_invitation_in_their_own_language(clean_app, day):
    from recruit.auth.models import User
    from recruit.extensions import db

    _speaks(clean_app, day["apps"][0], "uk")
    _plan_and_book(clean_app, day, [(day["apps"][0], 1)], interviewer_speaks="bg")
    with clean_app.app_context():
        address = db.session.get(User, day["interviewer"]).email
    (letter,) = _messages(clean_app, "interview.interviewer.request", address)
    assert format_date(day["day"], "full", locale="bg") in letter.subject
    event = _event(letter)
    assert event["summary"].params["LANGUAGE"] == "bg"
    summary = _msgstr("bg", "Interviews: %(title)s")
    if summary:
        assert str(event["summary"]) == summary % {"title": "Day"}


def test_an_interviewer_without_a_choice_reads_the_organisations_language(clean_app, day):
    from recruit.auth.models import User
    from recruit.extensions import db
    from recruit.organisation.services import get_settings

    with clean_app.app_context():
        get_settings().locale = "ro"
        db.session.commit()
        address = db.session.get(User, day["interviewer"]).email
    _plan_and_book(clean_app, day, [(day["apps"][0], 1)], interviewer_speaks=None)
    (letter,) = _messages(clean_app, "interview.interviewer.request", address)
    assert format_date(day["day"], "full", locale="ro") in letter.subject
    assert _event(letter)["summary"].params["LANGUAGE"] == "ro"


def test_a_candidate_without_a_language_gets_the_vacancys(clean_app, day):
    from recruit.extensions import db
    from recruit.vacancies.models import Vacancy

    with clean_app.app_context():
        db.session.get(Vacancy, day["vacancy"]).language = "ka"
        db.session.commit()
    email = _speaks(clean_app, day["apps"][0], None)
    _plan_and_book(clean_app, day, [(day["apps"][0], 1)])
    (letter,) = _messages(clean_app, "interview.invitation", email)
    assert format_date(day["day"], "full", locale="ka") in letter.subject
    assert _event(letter)["summary"].params["LANGUAGE"] == "ka"


def test_the_waiting_list_notice_is_in_the_candidates_language(clean_app, day):
    first = _speaks(clean_app, day["apps"][0], "uk")
    second = _speaks(clean_app, day["apps"][1], "ka")
    # two recruiters plan from the same picture (nothing booked yet): the second finds the slot full
    _session_id, _tokens = _plan_and_book(clean_app, day, [[(day["apps"][0], 1)], [(day["apps"][1], 1)]],
                                          base=[0] * 4)
    assert _messages(clean_app, "interview.invitation", first)
    (notice,) = _messages(clean_app, "interview.waitlist", second)
    ka_day = format_date(day["day"], "full", locale="ka")
    assert ka_day in notice.body
    subject = _msgstr("ka", "Waiting list: interview for %(position)s at %(company)s")
    if subject:
        assert notice.subject == subject % {"position": "Client manager", "company": "Our company"}


def test_the_candidates_page_speaks_their_language_and_keeps_their_choice(clean_app, day):
    from recruit.audit import AuditEntry
    from recruit.extensions import db
    from recruit.interviews.models import Booking, Slot
    from recruit.vacancies.models import Application

    email = _speaks(clean_app, day["apps"][0], "uk")
    session_id, tokens = _plan_and_book(clean_app, day, [(day["apps"][0], 1)])
    token = tokens[day["apps"][0]]
    client = clean_app.test_client()  # no account, a browser in English
    page = client.get(f"/b/{token}", headers={"Accept-Language": "en"})
    assert page.status_code == 200 and _html_lang(page) == "uk"
    text = page.get_data(as_text=True)
    assert 'class="languages"' in text and 'hreflang="ro"' in text  # the switcher, on the candidate's own page
    assert format_date(day["day"], "full", locale="uk") in text
    heading = _msgstr("uk", "Your interview")
    if heading:
        assert heading in text
    # the candidate picks Romanian: kept on their record for what is sent next
    chosen = client.get(f"/b/{token}?lang=ro")
    assert _html_lang(chosen) == "ro" and format_date(day["day"], "full", locale="ro") in chosen.get_data(as_text=True)
    with clean_app.app_context():
        candidate = db.session.get(Application, day["apps"][0]).candidate
        assert candidate.language == "ro"
        assert db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "candidate.language")) is not None
    assert _html_lang(clean_app.test_client().get(f"/b/{token}")) == "ro"  # another device, no cookie
    waiting = [r for r in _messages(clean_app, "interview.reminder", email) if r.status == "queued"]
    assert waiting and all(format_date(day["day"], "full", locale="ro") in r.subject for r in waiting)
    # the next message follows the choice: moving the interview sends an update in Romanian
    with clean_app.app_context():
        target = db.session.scalar(sa.select(Slot).where(Slot.session_id == session_id, Slot.index == 3))
    moved = client.post(f"/b/{token}", data={"action": "reschedule", "slot_id": target.id}, follow_redirects=True)
    assert _html_lang(moved) == "ro"
    flash = _msgstr("ro", "Moved. A new calendar invitation is on its way.")
    if flash:
        assert flash in moved.get_data(as_text=True)
    update = _messages(clean_app, "interview.invitation", email)[-1]
    assert format_date(day["day"], "full", locale="ro") in update.subject
    assert _event(update)["summary"].params["LANGUAGE"] == "ro"
    subject = _msgstr("ro", "Updated: interview for %(position)s at %(company)s, %(when)s")
    if subject:
        assert update.subject.startswith(subject.split("%(position)s")[0] + "Client manager")
    # a link replaced by a newer one: the "link expired" page still speaks Romanian
    with clean_app.app_context():
        db.session.scalar(sa.select(Booking)).token_version += 1
        db.session.commit()
    expired = client.get(f"/b/{token}", headers={"Accept-Language": "en"})
    assert expired.status_code == 410 and _html_lang(expired) == "ro"
    assert 'class="languages"' in expired.get_data(as_text=True)
    forged = clean_app.test_client().get(f"/b/{token}x", headers={"Accept-Language": "bg"})
    assert forged.status_code == 410 and _html_lang(forged) == "bg"  # nobody known: the browser's language


def test_an_unknown_language_on_the_link_changes_nothing(clean_app, day):
    from recruit.extensions import db
    from recruit.vacancies.models import Application

    _speaks(clean_app, day["apps"][0], "uk")
    _session_id, tokens = _plan_and_book(clean_app, day, [(day["apps"][0], 1)])
    page = clean_app.test_client().get(f"/b/{tokens[day['apps'][0]]}?lang=xx")
    assert _html_lang(page) == "uk"
    with clean_app.app_context():
        assert db.session.get(Application, day["apps"][0]).candidate.language == "uk"


def test_the_cancellation_is_in_the_candidates_language_not_the_recruiters(clean_app, day):
    from recruit.auth.models import User
    from recruit.extensions import db

    email = _speaks(clean_app, day["apps"][0], "uk")
    session_id, _tokens = _plan_and_book(clean_app, day, [(day["apps"][0], 1)])
    with clean_app.app_context():
        db.session.get(User, day["recruiter"]).locale = "ru"
        db.session.commit()
    client = clean_app.test_client()
    login(client, "rec@x.test")
    response = client.post(f"/interviews/{session_id}/cancel", data={"reason": ""}, follow_redirects=True)
    assert _html_lang(response) == "ru"
    (letter,) = _messages(clean_app, "interview.cancel", email)
    assert format_date(day["day"], "full", locale="uk") in letter.subject
    reason = _msgstr("uk", "The interview day was cancelled.")
    if reason:
        assert reason in letter.body
    russian = _msgstr("ru", "The interview day was cancelled.")
    if russian:
        assert russian not in letter.body
    assert _ics(letter)["method"] == "CANCEL" and _event(letter)["summary"].params["LANGUAGE"] == "uk"


@pytest.mark.parametrize("kind,codes", [
    ("booking_state", "BOOKING_STATES"),
    ("interview_session_kind", "SESSION_KINDS"),
])
def test_every_stored_code_has_a_label(clean_app, kind, codes):
    from recruit.i18n import in_language, label, labels
    from recruit.interviews import models

    every = getattr(models, codes)
    assert set(labels(kind)) == set(every)
    with clean_app.test_request_context("/"), in_language("uk"):
        for code in every:
            assert label(code, kind) != code


def test_every_lead_band_has_a_label(clean_app):
    from recruit.i18n import labels
    from recruit.interviews.showrate import LEAD_BANDS

    assert {band for _limit, band in LEAD_BANDS} == set(labels("interview_lead_band"))


def test_pages_show_labels_not_codes(clean_app, day):
    from recruit.extensions import db
    from recruit.interviews import desk
    from recruit.interviews.models import Booking

    _speaks(clean_app, day["apps"][0], None)
    session_id, _tokens = _plan_and_book(clean_app, day, [(day["apps"][0], 1)])
    with clean_app.app_context():
        booking = db.session.scalar(sa.select(Booking))
        desk.check_in(booking, booking.session.interviewers[0].user)
        booking_id = booking.id
        db.session.commit()
    client = clean_app.test_client()
    login(client, "rec@x.test")
    detail = client.get(f"/interviews/{session_id}").get_data(as_text=True)
    assert ">Stream<" in detail and ">Arrived<" in detail and ">stream<" not in detail
    assert "Arrived 1" in detail  # the counts by state
    index = client.get("/interviews").get_data(as_text=True)
    assert ">Stream<" in index
    again = client.post(f"/bookings/{booking_id}/check-in", headers={"Accept": "application/json"})
    assert again.get_json()["error"]["message"].endswith("has already arrived.")


def test_shares_and_counts_follow_the_locale(clean_app, day):
    from recruit.interviews.formats import percent, years_of_experience

    with clean_app.test_request_context("/"):
        from recruit.i18n import in_language

        with in_language("en"):
            assert percent(0.2) == "20.0%" and percent(0.254, 0) == "25%" and percent(None) == "—"
            assert years_of_experience(1) == "1 year of experience"
            assert years_of_experience(3) == "3 years of experience"
            assert years_of_experience(0.5) == "0.5 years of experience"
        with in_language("ru"):
            assert percent(0.2) == "20,0\xa0%"
            assert "2,5" in years_of_experience(2.5)


def test_the_export_speaks_the_readers_language(clean_app, day):
    import csv
    import io

    from recruit.i18n import in_language, label

    _speaks(clean_app, day["apps"][0], None)
    _plan_and_book(clean_app, day, [(day["apps"][0], 1)])
    client = clean_app.test_client()
    login(client, "rec@x.test")
    rows = list(csv.reader(io.StringIO(client.get("/interviews/reports.csv?lang=uk").get_data().decode("utf-8-sig"))))
    with clean_app.test_request_context("/"), in_language("uk"):
        assert rows[1][2] == label("stream", "interview_session_kind")
        assert rows[1][6] == label("invited", "booking_state")
        for msgid, cell in (("Session", rows[0][0]), ("Candidate", rows[0][4]), ("no", rows[1][8])):
            assert cell == (_msgstr("uk", msgid) or msgid)
