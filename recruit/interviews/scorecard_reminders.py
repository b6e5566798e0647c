"""Reminders of missing scorecards: an interviewer who held an interview and
wrote no scorecard for it gets one e-mail, in their language, listing the
interviews with a link to each scorecard. The nightly job asks the next
morning for the days that are over; the reports' button asks now for every
day that has ended. Each missing scorecard is asked for once: a
`ScorecardReminder` row per booking and interviewer is written with the
e-mail, and the unique pair keeps a second job or a double click from
sending it again."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, time, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy.exc import IntegrityError

from recruit.auth.models import User
from recruit.dates import in_letter
from recruit.extensions import db
from recruit.i18n import in_language
from recruit.interviews.links import user_language
from recruit.interviews.models import (
    Booking,
    InterviewSession,
    Scorecard,
    ScorecardReminder,
    SessionInterviewer,
    Slot,
)
from recruit.interviews.scorecards import held_by
from recruit.mail import absolute_url, queue_mail
from recruit.organisation.services import zone
from recruit.utc import utcnow
from recruit.vacancies.models import Candidate

MORNING = time(8)  # the nightly job writes from 08:00 in the organisation's zone, not at midnight
LOOKBACK = timedelta(days=30)  # older interviews are not chased (an installation's first run)


@dataclass(frozen=True)
class Sent:
    interviewers: int
    scorecards: int


def _missing(ended_before: datetime) -> dict[int, list[tuple[int, str, datetime, str]]]:
    """{interviewer: [(booking, candidate, start, day's title)]}: interviews
    held on days ended before the instant, with no scorecard from the one
    who held them and no reminder yet."""
    owes = SessionInterviewer.user_id
    own_card = sa.exists().where(Scorecard.booking_id == Booking.id, Scorecard.interviewer_id == owes)
    reminded = sa.exists().where(ScorecardReminder.booking_id == Booking.id, ScorecardReminder.interviewer_id == owes)
    rows = db.session.execute(
        sa.select(owes, Booking.id, Candidate.full_name,
                  sa.func.coalesce(Slot.starts_at, InterviewSession.starts_at), InterviewSession.title)
        .join(InterviewSession, Booking.session_id == InterviewSession.id)
        .join(SessionInterviewer, held_by(Booking, InterviewSession))
        .join(Candidate, Booking.candidate_id == Candidate.id)
        .join(User, owes == User.id)
        .outerjoin(Slot, Booking.slot_id == Slot.id)
        .where(Booking.state == "arrived", User.active.is_(True), InterviewSession.cancelled_at.is_(None),
               InterviewSession.ends_at < ended_before, InterviewSession.ends_at >= ended_before - LOOKBACK,
               sa.not_(own_card), sa.not_(reminded))
        .order_by(owes, InterviewSession.starts_at, Booking.id))
    missing: dict[int, list[tuple[int, str, datetime, str]]] = defaultdict(list)
    for interviewer_id, booking_id, candidate, starts_at, title in rows:
        missing[interviewer_id].append((booking_id, candidate, starts_at, title))
    return missing


def _write(interviewer: User, interviews: list[tuple[int, str, datetime, str]]) -> None:
    with in_language(user_language(interviewer)):
        lines = "\n".join(_("- %(candidate)s, %(title)s, %(when)s:\n  %(link)s", candidate=candidate, title=title,
                            when=in_letter(starts_at),
                            link=absolute_url("interviews.scorecard", booking_id=booking_id))
                          for booking_id, candidate, starts_at, title in interviews)
        subject = ngettext("%(num)d scorecard to fill in", "%(num)d scorecards to fill in", len(interviews))
        body = _("Hello %(name)s,\n\nYou held these interviews and their scorecards are still empty:\n\n"
                 "%(interviews)s\n\nThe hiring decision rests on a scorecard written while the interview is fresh; "
                 "it takes a minute per candidate.", name=interviewer.full_name, interviews=lines)
        queue_mail(interviewer.email, subject, body, kind="interview.scorecard_reminder", related=interviewer)


def send_reminders(ended_before: datetime) -> Sent:
    """One e-mail per interviewer for the scorecards missing from days ended
    before the instant. An interviewer whose reminders another process is
    writing at the same moment is left to it (savepoint, unique pair).
    Flushes; the caller (the job, the request) commits."""
    interviewers = scorecards = 0
    missing = _missing(ended_before)
    people = {u.id: u for u in db.session.scalars(sa.select(User).where(User.id.in_(list(missing))))} \
        if missing else {}
    for interviewer_id, interviews in missing.items():
        try:
            with db.session.begin_nested():
                db.session.add_all(ScorecardReminder(booking_id=booking_id, interviewer_id=interviewer_id)
                                   for booking_id, *_rest in interviews)
                db.session.flush()
        except IntegrityError:
            continue
        _write(people[interviewer_id], interviews)  # outside the savepoint: a job queued in it may commit
        interviewers += 1
        scorecards += len(interviews)
    return Sent(interviewers, scorecards)


def send_now() -> Sent:
    """The reports' button: every interview of a day that has ended."""
    return send_reminders(utcnow())


def remind_next_morning(now: datetime | None = None) -> int:
    """The periodic job: from 08:00 in the organisation's zone, the days
    before today. Run hourly, it finds nothing new until the next morning."""
    local = (now or utcnow()).astimezone(zone())
    if local.timetz().replace(tzinfo=None) < MORNING:
        return 0
    midnight = datetime.combine(local.date(), time(), tzinfo=zone())
    return send_reminders(midnight).scorecards
