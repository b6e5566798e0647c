"""The planner's picture of a day, signed by the server.

A plan is made from a picture: the seats already taken per slot and how
many the planner proposes per slot. Booking raises a slot's cap to the
picture's seats plus the planner's number, so two recruiters planning from
the same picture never fill the same seats twice. The picture travels with
the plan page and comes back signed: a client cannot raise a cap by sending
its own numbers, and a hand-edited plan that puts more people into a slot
than the planner proposed is an override the recruiter makes on purpose,
with a reason, in the audit trail."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer

from recruit.interviews import services as iv
from recruit.interviews.models import InterviewSession
from recruit.keys import signing_keys

MAX_AGE = 6 * 3600  # a plan page left open over lunch still books; yesterday's does not


@dataclass(frozen=True)
class Picture:
    base: list[int]  # seats taken per slot when the plan was made
    planned: list[int]  # the planner's proposal per slot


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(signing_keys(current_app.config), salt="recruit-plan-picture")


def sign(session: InterviewSession, base: Sequence[int], planned: Sequence[int]) -> str:
    return _serializer().dumps({"s": session.id, "b": list(base), "p": list(planned)})


def read(session: InterviewSession, token: str | None) -> Picture | None:
    """The picture if this server signed it for this day recently, else None."""
    if not token:
        return None
    try:
        data = _serializer().loads(token, max_age=MAX_AGE)
    except BadSignature:  # SignatureExpired is one
        return None
    slots = len(session.slots)
    if not isinstance(data, dict) or data.get("s") != session.id:
        return None
    base, planned = data.get("b"), data.get("p")
    if not (isinstance(base, list) and isinstance(planned, list) and len(base) == len(planned) == slots):
        return None
    if not all(isinstance(n, int) and n >= 0 for n in [*base, *planned]):
        return None
    return Picture(base, planned)


def counts(slots: int, assignment: dict[int, int]) -> list[int]:
    """People per slot index in an assignment (application id -> slot index)."""
    per_slot = [0] * slots
    for index in assignment.values():
        per_slot[index] += 1
    return per_slot


def beyond_plan(picture: Picture, assignment: dict[int, int]) -> dict[int, tuple[int, int]]:
    """Slot index -> (planner's number, assigned) where the hand plan asks for more."""
    return {index: (planned, assigned)
            for index, (planned, assigned) in enumerate(zip(picture.planned, counts(len(picture.planned), assignment),
                                                            strict=True))
            if assigned > planned}


def picture_now(session: InterviewSession, applications: Sequence) -> Picture:
    """For a booking that arrives without a picture (an old page, a hand-made
    request): the planner's proposal for these candidates as things stand."""
    ok, _problems = iv.eligible(list(applications), session)
    if not ok:
        return Picture([slot.booked for slot in session.slots], [0] * len(session.slots))
    proposal = iv.propose(session, ok)
    return Picture(proposal.base, [len(slot) for slot in proposal.slots])
