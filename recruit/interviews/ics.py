"""Calendar invitations (RFC 5545) for candidates and interviewers: METHOD
REQUEST with a stable UID and a SEQUENCE that grows with every change, METHOD
CANCEL when it is called off. The summary and description come written in the
attendee's language and say which (LANGUAGE=uk). No reply is asked for (no
RSVP): answers come through the candidate's own link, and nobody reads
calendar replies. No Flask here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlsplit

from icalendar import Calendar, Event, vCalAddress, vText

PRODID = "-//Recruit//Interview scheduling//EN"


@dataclass(frozen=True)
class Invitation:
    uid: str
    sequence: int
    starts_at: datetime
    ends_at: datetime
    summary: str
    location: str
    description: str
    organizer_email: str
    attendee_email: str
    attendee_name: str = ""
    organizer_name: str = ""
    url: str = ""
    language: str = ""  # what the summary and description are written in (RFC 5545 LANGUAGE)


def build(invitation: Invitation, *, method: str = "REQUEST", stamp: datetime | None = None) -> bytes:
    if method not in ("REQUEST", "CANCEL"):
        raise ValueError("method is REQUEST or CANCEL")
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    event = Event()
    event.add("uid", invitation.uid)
    event.add("sequence", invitation.sequence)
    event.add("dtstamp", (stamp or datetime.now(UTC)).astimezone(UTC))
    event.add("dtstart", invitation.starts_at.astimezone(UTC))
    event.add("dtend", invitation.ends_at.astimezone(UTC))
    text = {"language": invitation.language} if invitation.language else None
    event.add("summary", invitation.summary, parameters=text)
    if invitation.location:
        event.add("location", invitation.location)
    event.add("description", invitation.description, parameters=text)
    if invitation.url:
        event.add("url", invitation.url)
    event.add("status", "CANCELLED" if method == "CANCEL" else "CONFIRMED")
    organizer = vCalAddress(f"mailto:{invitation.organizer_email}")
    organizer.params["cn"] = vText(invitation.organizer_name or "Recruit")
    event["organizer"] = organizer
    attendee = vCalAddress(f"mailto:{invitation.attendee_email}")
    if invitation.attendee_name:
        attendee.params["cn"] = vText(invitation.attendee_name)
    attendee.params["role"] = vText("REQ-PARTICIPANT")
    event.add("attendee", attendee, encode=0)
    calendar.add_component(event)
    return calendar.to_ical()


def content_type(method: str) -> str:
    """What the file is sent as; mail clients offer it as an invitation (or
    take it off the calendar) from the method."""
    return f"text/calendar; method={method}; charset=UTF-8"


def uid_domain(external_url: str) -> str:
    """The installation's own name for the right side of a UID (RFC 5545
    recommends a domain the sender owns), from the address it is reached at."""
    host = urlsplit(external_url).hostname or ""
    return host.lower() or "localhost"
