"""Words for the codes this feature stores (states, kinds, outcomes): pages
show them through the `label` filter, never the code itself.

The kinds:
- `booking_state`: a booking's state (models.BOOKING_STATES);
- `interview_session_kind`: a day's format (models.SESSION_KINDS);
- `interview_lead_band`: how far ahead an invitation went out (showrate.LEAD_BANDS),
  one part of a show-rate segment;
- `interview_confirmed`: whether the candidate confirmed ("yes"/"no"), the other
  yes/no part of a segment;
- `call_outcome`: how a call of the day-before round ended (models.CALL_OUTCOMES).
- PLANNING_PREFERENCE: the planner's five steps (preferences.STEPS), from
  idle interviewers to waiting candidates."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from recruit.i18n import register_labels

BOOKING_STATE = {
    "waitlisted": _l("Waiting list"),
    "invited": _l("Invited"),
    "confirmed": _l("Confirmed"),
    "declined": _l("Declined"),
    "arrived": _l("Arrived"),
    "no_show": _l("No-show"),
    "cancelled": _l("Cancelled"),
}

SESSION_KIND = {
    "stream": _l("Stream"),
    "group": _l("Group"),
}

# the codes are showrate.LEAD_BANDS' own (English) names of the bands
LEAD_BAND = {
    "same or next day": _l("same or next day"),
    "2-3 days": _l("2–3 days ahead"),
    "4-7 days": _l("4–7 days ahead"),
    "over a week": _l("over a week ahead"),
}

CONFIRMED = {
    "yes": _l("confirmed"),
    "no": _l("not confirmed"),
}

CALL_OUTCOME = {
    "confirmed": _l("Confirmed by phone"),
    "declined": _l("Declined"),
    "no_answer": _l("No answer"),
    "call_back": _l("Call back"),
}


# preferences.STEPS, in the recruiter's words: what the planner is told to spare
PLANNING_PREFERENCE = {
    1: _l("Keep interviewers busy"),
    2: _l("Mostly keep interviewers busy"),
    3: _l("Balance busy interviewers and short waits"),
    4: _l("Mostly keep waits short"),
    5: _l("Never keep candidates waiting"),
}


def register() -> None:
    """Called by create_app."""
    register_labels("booking_state", BOOKING_STATE)
    register_labels("interview_session_kind", SESSION_KIND)
    register_labels("interview_lead_band", LEAD_BAND)
    register_labels("interview_confirmed", CONFIRMED)
    register_labels("call_outcome", CALL_OUTCOME)
