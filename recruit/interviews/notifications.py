"""Messages to candidates and interviewers, each built in its reader's
language: invitations with their calendar entry, reminders, waitlist,
decline and cancellation notices, the interviewers' calendars.

What a candidate reads names the position, the company, the place with its
directions (or the video link) and whom to call; the day's own title is the
recruiters' word for it and stays inside. Every calendar entry keeps its UID
(on the right, the installation's own domain) and sends a higher SEQUENCE
with each change, so calendars move or drop the entry they already have."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import LazyString
from flask_babel import gettext as _

from recruit import audit, phones
from recruit.auth.models import User
from recruit.dates import clock, in_letter
from recruit.extensions import db
from recruit.i18n import in_language, shipped
from recruit.interviews import ics
from recruit.interviews.links import booking_link, candidate_language_of, user_language
from recruit.interviews.models import Booking, InterviewerCalendar, InterviewSession
from recruit.mail import attachment, cancel_pending, queue_mail
from recruit.organisation.services import get_settings
from recruit.utc import utcnow

# what an interviewer is told, by what happened to their hours on the day
ADDED, HOURS, REMOVED, DAY_CALLED_OFF = "added", "hours", "removed", "day_called_off"


def _when(booking: Booking) -> str:
    start = booking.slot.starts_at if booking.slot else booking.session.starts_at
    return in_letter(start)


def _where(session: InterviewSession) -> str:
    if session.video_link:
        return _("Online: %(link)s", link=session.video_link)
    text = session.place
    if session.directions:
        text += "\n" + session.directions
    return text


def _domain() -> str:
    return ics.uid_domain(current_app.config["EXTERNAL_URL"])


# --- what a candidate is told ----------------------------------------------------------

def _position(booking: Booking) -> str:
    """The vacancy the candidate applied for (a day may be open to several)."""
    vacancy = booking.application.vacancy if booking.application else booking.session.vacancy
    return vacancy.position if vacancy is not None else ""


def company_name() -> str:
    return get_settings().name


def contact_phone() -> str:
    """The organisation's number for candidates, as people there write it; "" when none is set."""
    settings = get_settings()
    return phones.display(settings.contact_phone, settings.phone_region) if settings.contact_phone else ""


@dataclass(frozen=True)
class CandidateFacts:
    """What the candidate's page says beside the time and place."""
    position: str
    company: str
    phone: str       # as people there write it
    phone_link: str  # tel: target (E.164)


def candidate_facts(booking: Booking) -> CandidateFacts:
    settings = get_settings()
    return CandidateFacts(position=_position(booking), company=settings.name, phone=contact_phone(),
                          phone_link=settings.contact_phone)


def _call_line() -> str:
    phone = contact_phone()
    return _("Questions, or cannot find us? Call %(phone)s.", phone=phone) if phone else ""


def _facts(booking: Booking) -> str:
    lines = [_("When: %(when)s", when=_when(booking)), _("Where: %(where)s", where=_where(booking.session))]
    if call := _call_line():
        lines.append(call)
    return "\n".join(lines)


def _about(booking: Booking) -> dict[str, str]:
    return {"name": booking.candidate.full_name, "position": _position(booking), "company": company_name(),
            "when": _when(booking)}


def _booking_uid(booking: Booking) -> str:
    if not booking.ics_uid:
        booking.ics_uid = f"booking-{booking.id}@{_domain()}"
    return booking.ics_uid


def _ics_for(booking: Booking, method: str) -> dict:
    slot = booking.slot
    details = _("Interview for the position of %(position)s at %(company)s.", position=_position(booking),
                company=company_name()) + "\n" + _where(booking.session)
    if call := _call_line():
        details += "\n" + call
    invitation = ics.Invitation(
        uid=_booking_uid(booking), sequence=booking.ics_sequence,
        starts_at=slot.starts_at if slot else booking.session.starts_at,
        ends_at=slot.ends_at if slot else booking.session.ends_at,
        summary=_("Interview: %(position)s, %(company)s", position=_position(booking), company=company_name()),
        location=booking.session.video_link or booking.session.place,
        description=details + "\n\n" + booking_link(booking),
        organizer_email=current_app.config["MAIL_SENDER"], organizer_name=company_name(),
        attendee_email=booking.candidate.email, attendee_name=booking.candidate.full_name,
        url=booking_link(booking), language=candidate_language_of(booking))
    return attachment("invite.ics", ics.content_type(method), ics.build(invitation, method=method))


def _send_invitation(booking: Booking, *, updated: bool = False) -> None:
    with in_language(candidate_language_of(booking)):
        about = _about(booking)
        subject = _("Updated: interview for %(position)s at %(company)s, %(when)s", **about) if updated else \
            _("Invitation: interview for %(position)s at %(company)s, %(when)s", **about)
        body = _("Hello %(name)s,\n\n%(company)s invites you to an interview for the position of %(position)s."
                 "\n\n%(facts)s\n\n"
                 "Please confirm that you will come, decline, or choose another time here:\n%(link)s\n\n"
                 "We look forward to meeting you.", **about, facts=_facts(booking), link=booking_link(booking))
        queue_mail(booking.candidate.email, subject, body, kind="interview.invitation",
                   attachments=[_ics_for(booking, "REQUEST")], related=booking)
    _schedule_reminders(booking)


def _schedule_reminders(booking: Booking) -> None:
    cancel_pending(booking, "interview.reminder")
    start = booking.slot.starts_at if booking.slot else booking.session.starts_at
    now = utcnow()
    for hours in get_settings().reminder_offsets_hours or []:
        send_at = start - timedelta(hours=hours)
        if send_at <= now:
            continue
        with in_language(candidate_language_of(booking)):  # written now, sent later: the language of today
            about = _about(booking)
            queue_mail(booking.candidate.email,
                       _("Reminder: interview for %(position)s at %(company)s, %(when)s", **about),
                       _("Hello %(name)s,\n\nA reminder of your interview for the position of %(position)s at "
                         "%(company)s.\n\n%(facts)s\n\nConfirm, decline or choose another time:\n%(link)s",
                         **about, facts=_facts(booking), link=booking_link(booking)),
                       kind=f"interview.reminder.{hours}h", send_at=send_at, related=booking)


def _send_waitlist_notice(booking: Booking) -> None:
    with in_language(candidate_language_of(booking)):
        about = _about(booking)
        body = _("Hello %(name)s,\n\nThe interview day for the position of %(position)s at %(company)s on %(day)s "
                 "is full for now. You are on the waiting list; if a place frees up we will offer it to you by "
                 "e-mail. You can follow it here:\n%(link)s", **about, day=in_letter(booking.session.starts_at),
                 link=booking_link(booking))
        if call := _call_line():
            body += "\n\n" + call
        queue_mail(booking.candidate.email,
                   _("Waiting list: interview for %(position)s at %(company)s", **about), body,
                   kind="interview.waitlist", related=booking)


def _another_day(booking: Booking, other_day: bool) -> str:
    """The closing lines of a cancelled day's message: the link to pick another day, when there is one."""
    if other_day:
        return "\n\n" + _("You can choose a time on another day here:\n%(link)s", link=booking_link(booking))
    return ""


def _send_cancellation(booking: Booking, reason: str | LazyString, *, other_day: bool = False) -> None:
    """`reason` is what the recruiter typed (sent as it is) or a lazy string
    of ours, read here in the candidate's language."""
    booking.ics_sequence += 1
    with in_language(candidate_language_of(booking)):
        about = _about(booking)
        body = _("Hello %(name)s,\n\nYour interview for the position of %(position)s at %(company)s on %(when)s "
                 "is cancelled. %(reason)s", **about, reason=str(reason)) + _another_day(booking, other_day)
        if call := _call_line():
            body += "\n\n" + call
        queue_mail(booking.candidate.email, _("Cancelled: interview for %(position)s at %(company)s, %(when)s",
                                              **about),
                   body, kind="interview.cancel", attachments=[_ics_for(booking, "CANCEL")], related=booking)


def _send_waitlist_cancellation(booking: Booking, reason: str | LazyString, *, other_day: bool = False) -> None:
    """A day called off tells its waiting list too: they were waiting for a place on it."""
    with in_language(candidate_language_of(booking)):
        about = {**_about(booking), "day": in_letter(booking.session.starts_at)}
        body = _("Hello %(name)s,\n\nYou were on the waiting list for an interview for the position of "
                 "%(position)s at %(company)s on %(day)s. The day is cancelled. %(reason)s",
                 **about, reason=str(reason)) + _another_day(booking, other_day)
        if call := _call_line():
            body += "\n\n" + call
        queue_mail(booking.candidate.email,
                   _("Cancelled: interviews for %(position)s at %(company)s on %(day)s", **about),
                   body, kind="interview.waitlist_cancel", related=booking)


def _send_decline_receipt(booking: Booking) -> None:
    """The candidate declined on their page: their calendar drops the entry
    it has (same UID, higher SEQUENCE, CANCEL), and they read that we know."""
    booking.ics_sequence += 1
    with in_language(candidate_language_of(booking)):
        about = _about(booking)
        body = _("Hello %(name)s,\n\nYou declined the interview for the position of %(position)s at %(company)s "
                 "on %(when)s. Thank you for letting us know; the entry is taken off your calendar.", **about)
        if call := _call_line():
            body += "\n\n" + call
        queue_mail(booking.candidate.email,
                   _("Declined: interview for %(position)s at %(company)s, %(when)s", **about), body,
                   kind="interview.declined", attachments=[_ics_for(booking, "CANCEL")], related=booking)


# --- the interviewers' calendars -------------------------------------------------------

def _calendar_entry(session: InterviewSession, user_id: int) -> InterviewerCalendar:
    """The interviewer's entry for the day with its SEQUENCE raised for what
    is sent now (the first message sends 0). The UPDATE counts in the
    database, so two changes in two processes send two numbers."""
    entry = db.session.get(InterviewerCalendar, (session.id, user_id))
    if entry is None:
        entry = InterviewerCalendar(session_id=session.id, user_id=user_id, sequence=0,
                                    uid=f"session-{session.id}-{user_id}@{_domain()}")
        db.session.add(entry)
        db.session.flush()
        return entry
    db.session.execute(sa.update(InterviewerCalendar)
                       .where(InterviewerCalendar.session_id == session.id, InterviewerCalendar.user_id == user_id)
                       .values(sequence=InterviewerCalendar.sequence + 1).execution_options(synchronize_session=False))
    db.session.refresh(entry)
    return entry


def notify_interviewer(session: InterviewSession, user: User, change: str, starts_at: datetime,
                       ends_at: datetime) -> None:
    """One interviewer's calendar follows their hours on a day still to come:
    a REQUEST with the hours they have now, or a CANCEL when they are off the
    day or the day is off. A day already over is left as it was."""
    if session.ends_at <= utcnow():
        return
    method = "CANCEL" if change in (REMOVED, DAY_CALLED_OFF) else "REQUEST"
    entry = _calendar_entry(session, user.id)
    code = user_language(user)
    with in_language(code):
        day = in_letter(starts_at)
        invitation = ics.Invitation(
            uid=entry.uid, sequence=entry.sequence, starts_at=starts_at, ends_at=ends_at,
            summary=_("Interviews: %(title)s", title=session.title),
            location=session.video_link or session.place, description=_where(session),
            organizer_email=current_app.config["MAIL_SENDER"], organizer_name=company_name(),
            attendee_email=user.email, attendee_name=user.full_name, language=code)
        subject = {
            ADDED: _("You are interviewing: %(title)s on %(day)s", title=session.title, day=day),
            HOURS: _("Your hours changed: %(title)s on %(day)s", title=session.title, day=day),
            REMOVED: _("You are no longer interviewing: %(title)s on %(day)s", title=session.title, day=day),
            DAY_CALLED_OFF: _("Cancelled: %(title)s", title=session.title),
        }[change]
        if change == REMOVED:
            body = _("You no longer interview on this day; the entry is taken off your calendar.")
        elif change == DAY_CALLED_OFF:
            body = _("The day is cancelled; the entry is taken off your calendar.")
        else:
            body = _("Your hours: %(start)s – %(end)s", start=clock(starts_at), end=clock(ends_at)) + "\n" + \
                _where(session)
        queue_mail(user.email, subject, body, kind=f"interview.interviewer.{method.lower()}",
                   attachments=[attachment("interviews.ics", ics.content_type(method),
                                           ics.build(invitation, method=method))], related=session)


def notify_interviewers(session: InterviewSession, change: str) -> None:
    """Everyone on the day: their first entry (ADDED) or its end (DAY_CALLED_OFF)."""
    for item in session.interviewers:
        notify_interviewer(session, item.user, change, item.starts_at, item.ends_at)


def set_candidate_language(booking: Booking, code: str) -> bool:
    """The candidate chose a language on their page: kept for the next
    messages, and the reminders not yet sent are written again in it. True
    when it changed (the caller commits)."""
    chosen = shipped(code)
    if chosen is None or booking.candidate.language == chosen:
        return False
    booking.candidate.language = chosen
    audit.record("candidate.language", booking.candidate, actor_id=None, via="booking_link", language=chosen)
    if booking.state in ("invited", "confirmed"):
        _schedule_reminders(booking)
    return True
