"""Messages to candidates and interviewers, each built in its reader's
language: invitations with .ics, reminders, waitlist and cancellation
notices, the interviewers' calendars."""

from __future__ import annotations

from datetime import timedelta

from flask import current_app
from flask_babel import LazyString
from flask_babel import gettext as _

from recruit import audit
from recruit.dates import in_letter
from recruit.i18n import in_language, shipped
from recruit.interviews import ics
from recruit.interviews.links import booking_link, candidate_language_of, user_language
from recruit.interviews.models import Booking, InterviewSession
from recruit.mail import attachment, cancel_pending, queue_mail
from recruit.organisation.services import get_settings
from recruit.utc import utcnow


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


def _ics_for(booking: Booking, method: str) -> dict:
    slot = booking.slot
    invitation = ics.Invitation(
        uid=f"booking-{booking.id}@recruit", sequence=booking.ics_sequence,
        starts_at=slot.starts_at if slot else booking.session.starts_at,
        ends_at=slot.ends_at if slot else booking.session.ends_at,
        summary=_("Interview: %(title)s", title=booking.session.title),
        location=booking.session.video_link or booking.session.place,
        description=_where(booking.session) + "\n\n" + booking_link(booking),
        organizer_email=current_app.config["MAIL_SENDER"], attendee_email=booking.candidate.email,
        attendee_name=booking.candidate.full_name, url=booking_link(booking), language=candidate_language_of(booking))
    return attachment("invite.ics", ics.content_type(method), ics.build(invitation, method=method))


def _send_invitation(booking: Booking, *, updated: bool = False) -> None:
    with in_language(candidate_language_of(booking)):
        subject = _("Updated: your interview on %(when)s", when=_when(booking)) if updated else \
            _("Invitation to an interview on %(when)s", when=_when(booking))
        body = _("Hello %(name)s,\n\nWe invite you to an interview for “%(title)s”.\n\nWhen: %(when)s\n"
                 "Where: %(where)s\n\n"
                 "Please confirm that you will come, decline, or choose another time here:\n%(link)s\n\n"
                 "We look forward to meeting you.",
                 name=booking.candidate.full_name, title=booking.session.title, when=_when(booking),
                 where=_where(booking.session), link=booking_link(booking))
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
            queue_mail(booking.candidate.email, _("Reminder: your interview on %(when)s", when=_when(booking)),
                       _("Hello %(name)s,\n\nA reminder of your interview for “%(title)s”.\n\nWhen: %(when)s\n"
                         "Where: %(where)s\n\nConfirm, decline or choose another time:\n%(link)s",
                         name=booking.candidate.full_name, title=booking.session.title, when=_when(booking),
                         where=_where(booking.session), link=booking_link(booking)),
                       kind=f"interview.reminder.{hours}h", send_at=send_at, related=booking)


def _send_waitlist_notice(booking: Booking) -> None:
    with in_language(candidate_language_of(booking)):
        queue_mail(booking.candidate.email, _("You are on the waiting list for an interview"),
                   _("Hello %(name)s,\n\nThe interview day “%(title)s” on %(day)s is full for now. You are on the "
                     "waiting list; if a place frees up we will offer it to you by e-mail. You can follow it here:\n"
                     "%(link)s", name=booking.candidate.full_name, title=booking.session.title,
                     day=in_letter(booking.session.starts_at), link=booking_link(booking)),
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
        queue_mail(booking.candidate.email, _("Cancelled: your interview on %(when)s", when=_when(booking)),
                   _("Hello %(name)s,\n\nYour interview for “%(title)s” on %(when)s is cancelled. %(reason)s",
                     name=booking.candidate.full_name, title=booking.session.title, when=_when(booking),
                     reason=str(reason)) + _another_day(booking, other_day),
                   kind="interview.cancel", attachments=[_ics_for(booking, "CANCEL")], related=booking)


def _send_waitlist_cancellation(booking: Booking, reason: str | LazyString, *, other_day: bool = False) -> None:
    """A day called off tells its waiting list too: they were waiting for a place on it."""
    with in_language(candidate_language_of(booking)):
        queue_mail(booking.candidate.email,
                   _("Cancelled: the interview day on %(day)s", day=in_letter(booking.session.starts_at)),
                   _("Hello %(name)s,\n\nYou were on the waiting list for the interview day “%(title)s” on "
                     "%(day)s. The day is cancelled. %(reason)s",
                     name=booking.candidate.full_name, title=booking.session.title,
                     day=in_letter(booking.session.starts_at), reason=str(reason)) + _another_day(booking, other_day),
                   kind="interview.waitlist_cancel", related=booking)


def _notify_interviewers(session: InterviewSession, method: str) -> None:
    for item in session.interviewers:
        code = user_language(item.user)
        with in_language(code):
            invitation = ics.Invitation(
                uid=f"session-{session.id}-{item.user_id}@recruit", sequence=1 if method == "CANCEL" else 0,
                starts_at=item.starts_at, ends_at=item.ends_at,
                summary=_("Interviews: %(title)s", title=session.title),
                location=session.video_link or session.place, description=_where(session),
                organizer_email=current_app.config["MAIL_SENDER"], attendee_email=item.user.email,
                attendee_name=item.user.full_name, language=code)
            subject = _("Cancelled: %(title)s", title=session.title) if method == "CANCEL" else \
                _("You are interviewing: %(title)s on %(day)s", title=session.title,
                  day=in_letter(item.starts_at))
            queue_mail(item.user.email, subject, _where(session), kind=f"interview.interviewer.{method.lower()}",
                       attachments=[attachment("interviews.ics", ics.content_type(method),
                                               ics.build(invitation, method=method))], related=session)


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
